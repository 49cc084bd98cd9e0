//! The firms register.

use crate::state::AppState;
use reclamations_core::model::Firm;
use reclamations_core::store::firms::{self, Scope, StatusFlags};
use reclamations_core::Result;
use tauri::State;

#[tauri::command]
pub async fn list_firms(state: State<'_, AppState>) -> Result<Vec<Firm>> {
    firms::list(&state.conn())
}

/// The firm's status on the date of receipt, for the intake form: a firm of the register
/// (`firm_id`) or the one being created (`new_firm`, its ticked boxes).
#[tauri::command]
pub async fn firm_scope(
    state: State<'_, AppState>,
    firm_id: Option<i64>,
    new_firm: Option<StatusFlags>,
    received_on: String,
) -> Result<Scope> {
    firms::scope_at_intake(&state.conn(), firm_id, new_firm, &received_on)
}
