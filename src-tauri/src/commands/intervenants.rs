//! The register of intervenants (instructeurs, experts), the declarations of interests of a
//! file, and the staff's signatory link.

use crate::state::AppState;
use reclamations_core::store::declarations::{self, DeclarationForm, DeclarationView};
use reclamations_core::store::intervenants::{self, Intervenant, IntervenantForm, IntervenantKind};
use reclamations_core::store::staff;
use reclamations_core::{Error, Result};
use tauri::State;

/// The register; `kind` (`investigator` / `expert`) filters it, `active_only` hides the inactive.
#[tauri::command]
pub async fn list_intervenants(
    state: State<'_, AppState>,
    kind: Option<String>,
    active_only: bool,
) -> Result<Vec<Intervenant>> {
    let kind = match kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(code) => {
            Some(IntervenantKind::from_code(code).ok_or_else(|| Error::refused("Type d'intervenant inconnu."))?)
        }
    };
    intervenants::list(&state.conn(), kind, active_only)
}

/// Adds (`id` null) or edits an intervenant; resolves to its id.
#[tauri::command]
pub async fn save_intervenant(state: State<'_, AppState>, id: Option<i64>, form: IntervenantForm) -> Result<i64> {
    intervenants::save(&mut state.conn(), id, &form)
}

#[tauri::command]
pub async fn set_intervenant_active(state: State<'_, AppState>, id: i64, active: bool) -> Result<()> {
    intervenants::set_active(&state.conn(), id, active)
}

#[tauri::command]
pub async fn list_declarations(state: State<'_, AppState>, id: i64) -> Result<Vec<DeclarationView>> {
    declarations::list(&state.conn(), id)
}

/// Records a declaration of interests for complaint `id`, signed by `staff_id`.
#[tauri::command]
pub async fn record_declaration(
    state: State<'_, AppState>,
    id: i64,
    staff_id: Option<i64>,
    form: DeclarationForm,
) -> Result<i64> {
    let mut s = state.begin(staff_id)?;
    declarations::record(&mut s.conn, id, &form, s.today, &s.author)
}

#[tauri::command]
pub async fn get_manager_declaration_required(state: State<'_, AppState>) -> Result<bool> {
    declarations::manager_declaration_required(&state.conn())
}

#[tauri::command]
pub async fn set_manager_declaration_required(state: State<'_, AppState>, required: bool) -> Result<()> {
    declarations::set_manager_declaration_required(&state.conn(), required)
}

/// Links a member of staff to a signatory (`""`: none).
#[tauri::command]
pub async fn set_staff_signatory(state: State<'_, AppState>, id: i64, signatory: String) -> Result<()> {
    staff::set_signatory(&mut state.conn(), id, &signatory)
}
