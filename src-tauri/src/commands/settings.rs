//! Paramètres: staff list and deadline durations.

use crate::state::AppState;
use reclamations_core::store::settings::{self, DeadlineSettings};
use reclamations_core::store::staff::{self, StaffForm, StaffMember};
use reclamations_core::Result;
use tauri::State;

#[tauri::command]
pub async fn list_staff(state: State<'_, AppState>) -> Result<Vec<StaffMember>> {
    staff::list(&state.conn())
}

#[tauri::command]
pub async fn add_staff(state: State<'_, AppState>, form: StaffForm) -> Result<i64> {
    staff::add(&state.conn(), &form)
}

#[tauri::command]
pub async fn set_staff_active(state: State<'_, AppState>, id: i64, active: bool) -> Result<()> {
    staff::set_active(&state.conn(), id, active)
}

#[tauri::command]
pub async fn get_deadline_settings(state: State<'_, AppState>) -> Result<DeadlineSettings> {
    settings::deadlines(&state.conn())
}

#[tauri::command]
pub async fn save_deadline_settings(state: State<'_, AppState>, settings: DeadlineSettings) -> Result<()> {
    settings::save_deadlines(&mut state.conn(), &settings)
}
