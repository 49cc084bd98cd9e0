//! Registering, listing and reading complaints.

use crate::state::AppState;
use reclamations_core::model::{ComplaintDetail, ComplaintSummary};
use reclamations_core::store::complaints::{self, Registered};
use reclamations_core::validate::ComplaintForm;
use reclamations_core::Result;
use tauri::State;

/// Who the journal names until the staff list exists.
const DEFAULT_AUTHOR: &str = "Secrétariat";

#[tauri::command]
pub async fn register_complaint(state: State<'_, AppState>, form: ComplaintForm) -> Result<Registered> {
    let today = state.today();
    complaints::register(&mut state.conn(), &form, today, DEFAULT_AUTHOR)
}

#[tauri::command]
pub async fn list_complaints(state: State<'_, AppState>, offset: i64, limit: i64) -> Result<Vec<ComplaintSummary>> {
    complaints::list(&state.conn(), offset, limit)
}

#[tauri::command]
pub async fn get_complaint(state: State<'_, AppState>, id: i64) -> Result<ComplaintDetail> {
    complaints::get(&state.conn(), id)
}
