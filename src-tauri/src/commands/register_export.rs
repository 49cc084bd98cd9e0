//! « Exporter » on the complaints list: the register's complaints (the list's filters, a year,
//! or all) as `.xlsx` or CSV, to a file chosen in the native save dialog.

use crate::dialogs;
use crate::state::AppState;
use reclamations_core::files::register_export::{self as files, Written};
use reclamations_core::store::register_export::{self, Format, Scope};
use reclamations_core::Result;
use std::path::PathBuf;
use tauri::State;

/// Writes the export to `path` when the UI typed one (the e2e tests, or a user who prefers to
/// type it), else to the file chosen in a save dialog; `None`: the dialog was cancelled.
#[tauri::command]
pub async fn export_complaints(
    state: State<'_, AppState>,
    scope: Scope,
    format: Format,
    path: Option<String>,
) -> Result<Option<Written>> {
    let today = state.today();
    let proposed = register_export::file_name(&scope, format, today);
    let filter: (&str, &[&str]) = match format {
        Format::Xlsx => ("Classeur Excel (.xlsx)", &["xlsx"]),
        Format::Csv => ("CSV (séparateur « ; »)", &["csv"]),
    };
    let filters = [filter];
    let picked = dialogs::save_file("Exporter les réclamations", &proposed, &filters);
    let Some(chosen): Option<PathBuf> = dialogs::typed_or_picked(path, picked).await else {
        return Ok(None);
    };
    let target = register_export::with_extension(&chosen, format);
    let conn = state.conn();
    files::write(&conn, &scope, format, today, &target).map(Some)
}
