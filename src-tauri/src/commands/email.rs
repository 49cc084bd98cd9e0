//! Emails: one read to prefill « Nouvelle réclamation », a complaint registered from it; a
//! letter's draft email, opened in the office's mail client; the covering text.

use super::open;
use crate::dialogs;
use crate::state::AppState;
use reclamations_core::store::complaints::Registered;
use reclamations_core::store::emails::{self, EmailPreview, EmailSource};
use reclamations_core::store::letters::{self, EmailCover};
use reclamations_core::validate::ComplaintForm;
use reclamations_core::Result;
use serde::Serialize;
use tauri::{AppHandle, State};

/// Reads the email at `path` (dropped or typed), or one chosen in a native dialog; nothing is
/// written. `None`: the dialog was cancelled.
#[tauri::command]
pub async fn read_email(state: State<'_, AppState>, path: Option<String>) -> Result<Option<EmailPreview>> {
    let picked = dialogs::pick_file("Courriel reçu", &[("Courriel (.eml, .msg)", &["eml", "msg"])]);
    let Some(path) = dialogs::typed_or_picked(path, picked).await else {
        return Ok(None);
    };
    emails::preview(&path, state.today()).map(Some)
}

/// Registers a complaint typed from an email, archiving the email and its files with it.
#[tauri::command]
pub async fn register_complaint_from_email(
    state: State<'_, AppState>,
    form: ComplaintForm,
    email: EmailSource,
    staff_id: Option<i64>,
) -> Result<Registered> {
    let mut s = state.begin(staff_id)?;
    emails::register_from_email(&mut s.conn, &state.documents_dir(), &form, &email, s.today, &s.author)
}

#[derive(Serialize)]
pub struct PreparedEmail {
    document_id: i64,
    path: String,
    to: String,
    opened: bool,
}

/// « Préparer par courriel »: writes the draft, archives it, opens it in the mail client.
#[tauri::command]
pub async fn prepare_email(
    app: AppHandle,
    state: State<'_, AppState>,
    document_id: i64,
    staff_id: Option<i64>,
) -> Result<PreparedEmail> {
    let now = chrono::Local::now().fixed_offset();
    let prepared = {
        let mut s = state.begin(staff_id)?;
        letters::prepare_email(&mut s.conn, &state.documents_dir(), document_id, s.today, now, &s.author)?
    };
    let opened = open(&app, &prepared.path).is_ok();
    Ok(PreparedEmail {
        document_id: prepared.document_id,
        path: prepared.path.display().to_string(),
        to: prepared.to,
        opened,
    })
}

#[tauri::command]
pub async fn get_email_cover(state: State<'_, AppState>) -> Result<EmailCover> {
    letters::email_cover(&state.conn())
}

#[tauri::command]
pub async fn save_email_cover(state: State<'_, AppState>, cover: EmailCover) -> Result<()> {
    letters::save_email_cover(&mut state.conn(), &cover)
}
