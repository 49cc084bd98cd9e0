//! Paramètres: staff list, deadline durations and the letters' content.

use crate::state::AppState;
use reclamations_core::store::settings::{self, DeadlineSettings, FirmClockStart, FirmLetterContent, LetterSettings};
use reclamations_core::store::staff::{self, StaffForm, StaffMember};
use reclamations_core::Result;
use serde::Serialize;
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

/// The letters' settings, with the choices of the firm's letter content and their labels.
#[derive(Serialize)]
pub struct LetterSettingsView {
    #[serde(flatten)]
    settings: LetterSettings,
    firm_letter_contents: Vec<Choice>,
    firm_clock_starts: Vec<Choice>,
}

#[derive(Serialize)]
pub struct Choice {
    code: &'static str,
    label: &'static str,
}

#[tauri::command]
pub async fn get_letter_settings(state: State<'_, AppState>) -> Result<LetterSettingsView> {
    Ok(LetterSettingsView {
        settings: settings::letters(&state.conn())?,
        firm_letter_contents: FirmLetterContent::ALL
            .iter()
            .map(|c| Choice { code: c.code(), label: c.label() })
            .collect(),
        firm_clock_starts: FirmClockStart::ALL.iter().map(|c| Choice { code: c.code(), label: c.label() }).collect(),
    })
}

#[tauri::command]
pub async fn save_letter_settings(state: State<'_, AppState>, settings: LetterSettings) -> Result<()> {
    settings::save_letters(&mut state.conn(), &settings)
}
