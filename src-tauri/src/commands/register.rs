//! Tableau de bord, search, firms register and firm files, received documents.

use crate::dialogs;
use crate::state::AppState;
use reclamations_core::store::attachments;
use reclamations_core::store::dashboard::{self, Dashboard};
use reclamations_core::store::documents::ALLOWED;
use reclamations_core::store::firms::{self, Change, FirmFile, FirmListItem, FirmQuery, ImportReport, Qualification};
use reclamations_core::store::register_import::{self, ImportChoices, RegisterImportReport};
use reclamations_core::store::search::{self, ListPage, ListQuery};
use reclamations_core::validate::FirmForm;
use reclamations_core::Result;
use std::path::PathBuf;
use tauri::State;

#[tauri::command]
pub async fn get_dashboard(state: State<'_, AppState>) -> Result<Dashboard> {
    dashboard::dashboard(&state.conn(), state.today())
}

#[tauri::command]
pub async fn search_complaints(state: State<'_, AppState>, query: ListQuery) -> Result<ListPage> {
    search::list(&state.conn(), &query, state.today())
}

#[tauri::command]
pub async fn search_firms(state: State<'_, AppState>, query: FirmQuery) -> Result<Vec<FirmListItem>> {
    firms::search(&state.conn(), &query, 500, state.today())
}

#[tauri::command]
pub async fn save_firm(
    state: State<'_, AppState>,
    id: Option<i64>,
    staff_id: Option<i64>,
    form: FirmForm,
) -> Result<i64> {
    let mut s = state.begin(staff_id)?;
    firms::save(&mut s.conn, id, &form, &s.author)
}

#[tauri::command]
pub async fn get_firm_file(state: State<'_, AppState>, id: i64) -> Result<FirmFile> {
    firms::firm_file(&state.conn(), id, state.today())
}

#[tauri::command]
pub async fn add_qualification(
    state: State<'_, AppState>,
    firm_id: i64,
    staff_id: Option<i64>,
    qualification: Qualification,
) -> Result<i64> {
    let s = state.begin(staff_id)?;
    firms::add_qualification(&s.conn, firm_id, &qualification, &s.author)
}

/// Corrects a qualification's dates, label, kind or RGE, saying why (kept in the firm's history).
#[tauri::command]
pub async fn correct_qualification(
    state: State<'_, AppState>,
    firm_id: i64,
    staff_id: Option<i64>,
    qualification: Qualification,
    reason: String,
) -> Result<Vec<Change>> {
    let mut s = state.begin(staff_id)?;
    firms::correct_qualification(&mut s.conn, firm_id, &qualification, &reason, &s.author)
}

/// Ends a qualification on a day, saying why (kept in the firm's history).
#[tauri::command]
pub async fn end_qualification(
    state: State<'_, AppState>,
    firm_id: i64,
    staff_id: Option<i64>,
    id: i64,
    ended_on: String,
    reason: String,
) -> Result<Vec<Change>> {
    let mut s = state.begin(staff_id)?;
    firms::end_qualification(&mut s.conn, firm_id, id, &ended_on, &reason, &s.author)
}

/// « Choisir un fichier… » for the import: returns the chosen path (the preview follows).
#[tauri::command]
pub async fn choose_import_file() -> Option<String> {
    dialogs::pick_file(
        "Importer des qualifiés",
        &[("Export du registre (CSV, Excel, OpenDocument)", &["csv", "txt", "xlsx", "xls", "ods"])],
    )
    .await
    .map(|p| p.display().to_string())
}

/// Reads the file at `path` and imports it; with `apply` false, only reports what would happen.
#[tauri::command]
pub async fn import_firms(
    state: State<'_, AppState>,
    path: String,
    apply: bool,
    staff_id: Option<i64>,
) -> Result<ImportReport> {
    // The preview changes nothing: only applying is signed.
    let author = if apply { state.begin(staff_id)?.author } else { String::new() };
    firms::import_file(&mut state.conn(), std::path::Path::new(path.trim()), apply, &author, state.today())
}

/// « Choisir un fichier… » for the register kept before the application: returns the path.
#[tauri::command]
pub async fn choose_register_file() -> Option<String> {
    dialogs::pick_file(
        "Reprendre l'ancien registre des réclamations",
        &[("Tableur (CSV, Excel, OpenDocument)", &["csv", "txt", "xlsx", "xls", "ods"])],
    )
    .await
    .map(|p| p.display().to_string())
}

/// Reads the old register at `path` with the mapping and firms chosen; with `apply` false,
/// only reports what would happen (nothing is kept).
#[tauri::command]
pub async fn import_register(
    state: State<'_, AppState>,
    path: String,
    choices: ImportChoices,
    apply: bool,
    staff_id: Option<i64>,
) -> Result<RegisterImportReport> {
    // Both are signed: the preview shows the journal's first entry as applying writes it.
    let mut s = state.begin(staff_id)?;
    register_import::import_file(&mut s.conn, std::path::Path::new(path.trim()), &choices, apply, &s.author, s.today)
}

/// Attaches received files to a complaint: from paths (drag and drop, or typed), or, when none
/// are given, from a native file dialog. Returns how many were attached.
#[tauri::command]
pub async fn attach_documents(
    state: State<'_, AppState>,
    id: i64,
    staff_id: Option<i64>,
    paths: Vec<String>,
) -> Result<usize> {
    let paths: Vec<PathBuf> = if paths.is_empty() {
        match dialogs::pick_file("Joindre un document reçu", &[("Documents", ALLOWED)]).await {
            Some(p) => vec![p],
            None => return Ok(0),
        }
    } else {
        paths.iter().map(|p| PathBuf::from(p.trim())).collect()
    };
    let mut s = state.begin(staff_id)?;
    for path in &paths {
        attachments::attach(&mut s.conn, &state.documents_dir(), id, path, s.today, &s.author)?;
    }
    Ok(paths.len())
}
