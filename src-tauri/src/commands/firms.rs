//! The firms register.

use crate::state::AppState;
use reclamations_core::model::Firm;
use reclamations_core::store::firms;
use reclamations_core::Result;
use tauri::State;

#[tauri::command]
pub async fn list_firms(state: State<'_, AppState>) -> Result<Vec<Firm>> {
    firms::list(&state.conn())
}
