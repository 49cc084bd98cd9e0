//! Registering, listing and reading complaints; acting on them; their journal.

use crate::state::AppState;
use reclamations_core::procedure::ActionForm;
use reclamations_core::store::complaints::{self, Registered};
use reclamations_core::store::corrections::{self, CorrectionForm, CorrectionReport};
use reclamations_core::store::journal::{self, Integrity, ManualEntryForm};
use reclamations_core::store::page::{self, ComplaintPage};
use reclamations_core::validate::ComplaintForm;
use reclamations_core::Result;
use tauri::State;

#[tauri::command]
pub async fn register_complaint(
    state: State<'_, AppState>,
    form: ComplaintForm,
    staff_id: Option<i64>,
) -> Result<Registered> {
    let mut s = state.begin(staff_id)?;
    complaints::register(&mut s.conn, &form, s.today, &s.author)
}

/// Corrects what intake recorded: with `apply` false, what would change and what follows; with
/// `apply` true, the correction recorded (one transaction, one journal entry).
#[tauri::command]
pub async fn correct_complaint(
    state: State<'_, AppState>,
    id: i64,
    staff_id: Option<i64>,
    form: CorrectionForm,
    apply: bool,
) -> Result<CorrectionReport> {
    let mut s = state.begin(staff_id)?;
    corrections::correct(&mut s.conn, id, &form, &s.author, s.today, apply)
}

/// Everything the complaint page shows, in one read.
#[tauri::command]
pub async fn complaint_page(state: State<'_, AppState>, id: i64) -> Result<ComplaintPage> {
    page::read(&state.conn(), id, state.today())
}

/// Performs a procedure action (the core refuses what the step does not allow) and answers with
/// the page as it now is.
#[tauri::command]
pub async fn perform_action(
    state: State<'_, AppState>,
    id: i64,
    staff_id: Option<i64>,
    form: ActionForm,
) -> Result<ComplaintPage> {
    let mut s = state.begin(staff_id)?;
    page::perform(&mut s.conn, id, &s.author, &form, s.today)
}

#[tauri::command]
pub async fn add_journal_entry(
    state: State<'_, AppState>,
    id: i64,
    staff_id: Option<i64>,
    form: ManualEntryForm,
) -> Result<i64> {
    let mut s = state.begin(staff_id)?;
    journal::add_manual(&mut s.conn, id, &s.author, &form, s.today)
}

#[tauri::command]
pub async fn verify_journal(state: State<'_, AppState>, id: i64) -> Result<Integrity> {
    journal::verify(&state.conn(), id)
}
