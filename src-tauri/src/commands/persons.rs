//! « Données d'une personne » (Paramètres): finding a person in the register, and exporting what
//! it holds about them for a right-of-access request.

use crate::dialogs;
use crate::state::AppState;
use reclamations_core::files::access;
use reclamations_core::store::persons::{self, PersonKind, PersonMatch};
use reclamations_core::Result;
use serde::Serialize;
use tauri::State;

/// The complainants, firms and intervenants whose name or email holds every word of `text`.
#[tauri::command]
pub async fn find_persons(state: State<'_, AppState>, text: String) -> Result<Vec<PersonMatch>> {
    persons::find(&state.conn(), &text)
}

#[derive(Serialize)]
pub struct PersonExported {
    path: String,
}

/// Exports what the register holds about person `id` of `kind` into `folder`, or a folder chosen
/// in a native dialog (`None`: cancelled).
#[tauri::command]
pub async fn export_person_data(
    state: State<'_, AppState>,
    kind: PersonKind,
    id: i64,
    folder: Option<String>,
) -> Result<Option<PersonExported>> {
    let Some(folder) =
        dialogs::typed_or_picked(folder, dialogs::pick_folder("Dossier où exporter les données de la personne")).await
    else {
        return Ok(None);
    };
    let fonts = state.fonts()?;
    let conn = state.conn();
    let dir = access::export_person(&conn, &state.documents_dir(), fonts, kind, id, &folder, state.today())?;
    Ok(Some(PersonExported { path: dir.display().to_string() }))
}
