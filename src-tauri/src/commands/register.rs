//! Tableau de bord, search, firms register and firm files, received documents.

use crate::dialogs;
use crate::state::AppState;
use reclamations_core::model::Firm;
use reclamations_core::store::attachments;
use reclamations_core::store::dashboard::{self, Dashboard};
use reclamations_core::store::documents::ALLOWED;
use reclamations_core::store::firms::{self, FirmFile, ImportReport, Qualification};
use reclamations_core::store::search::{self, ListPage, ListQuery};
use reclamations_core::validate::FirmForm;
use reclamations_core::{Error, Result};
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
pub async fn search_firms(state: State<'_, AppState>, text: String) -> Result<Vec<Firm>> {
    firms::search(&state.conn(), &text, 500)
}

#[tauri::command]
pub async fn save_firm(state: State<'_, AppState>, id: Option<i64>, form: FirmForm) -> Result<i64> {
    firms::save(&mut state.conn(), id, &form)
}

#[tauri::command]
pub async fn get_firm_file(state: State<'_, AppState>, id: i64) -> Result<FirmFile> {
    firms::firm_file(&state.conn(), id)
}

#[tauri::command]
pub async fn add_qualification(state: State<'_, AppState>, firm_id: i64, qualification: Qualification) -> Result<i64> {
    firms::add_qualification(&state.conn(), firm_id, &qualification)
}

/// « Choisir un fichier… » for the import: returns the chosen path (the preview follows).
#[tauri::command]
pub async fn choose_import_file() -> Option<String> {
    dialogs::pick_file("Importer des qualifiés (CSV)", &[("CSV", &["csv", "txt"])])
        .await
        .map(|p| p.display().to_string())
}

/// Reads the file at `path` and imports it; with `apply` false, only reports what would happen.
#[tauri::command]
pub async fn import_firms(state: State<'_, AppState>, path: String, apply: bool) -> Result<ImportReport> {
    let bytes = std::fs::read(path.trim()).map_err(|e| {
        let why = reclamations_core::french::io_reason(&e);
        Error::refused(format!("Le fichier « {} » est illisible ({why}) : vérifiez le chemin.", path.trim()))
    })?;
    firms::import(&mut state.conn(), &bytes, apply)
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
