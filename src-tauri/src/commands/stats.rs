//! Statistiques: figures for a period, the one before and the five-year trend, CSV export,
//! printable report; the audit export of a dossier.

use super::write_and_open;
use crate::dialogs;
use crate::state::AppState;
use reclamations_core::store::stats::{self, Period};
use reclamations_core::Result;
use serde::Serialize;
use tauri::{AppHandle, State};

/// The period's figures, those of the period just before it (`Period::previous`) and the trend
/// over five calendar years ending at its end: `{ current, previous, trend }`.
#[tauri::command]
pub async fn get_statistics(state: State<'_, AppState>, from: String, to: String) -> Result<stats::Review> {
    Period::parse(&from, &to)?.review(&state.conn())
}

#[derive(Serialize)]
pub struct Exported {
    path: String,
    opened: bool,
}

/// Writes the CSV under `exports/` (French Excel: UTF-8 with BOM, « ; », decimal commas).
#[tauri::command]
pub async fn export_statistics_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<Exported> {
    let period = Period::parse(&from, &to)?;
    let review = period.review(&state.conn())?;
    let (path, opened) = write_and_open(
        &app,
        &state.layout().exports(),
        &format!("statistiques-{}-{}", period.from, period.to),
        "csv",
        stats::to_csv(&review)?.as_bytes(),
    )?;
    Ok(Exported { path: path.display().to_string(), opened })
}

/// « Bilan annuel des réclamations »: the printable PDF report.
#[tauri::command]
pub async fn statistics_report(
    app: AppHandle,
    state: State<'_, AppState>,
    from: String,
    to: String,
    title: String,
) -> Result<Exported> {
    let period = Period::parse(&from, &to)?;
    let bytes = {
        let conn = state.conn();
        let review = period.review(&conn)?;
        let doc = stats::statistics_report(&conn, &review, &title, state.today())?;
        reclamations_core::letters::pdf::render(&doc, state.fonts()?)?
    };
    let (path, opened) = write_and_open(
        &app,
        &state.layout().exports(),
        &format!("bilan-{}-{}", period.from, period.to),
        "pdf",
        &bytes,
    )?;
    Ok(Exported { path: path.display().to_string(), opened })
}

/// « Exporter le dossier » for an audit: a complaint (`complaint_id`) or a firm's whole file
/// (`firm_id`), into `folder` or a folder chosen in a native dialog.
#[tauri::command]
pub async fn export_dossier(
    app: AppHandle,
    state: State<'_, AppState>,
    complaint_id: Option<i64>,
    firm_id: Option<i64>,
    folder: Option<String>,
) -> Result<Option<Exported>> {
    use reclamations_core::files::export::{self, DossierOf};
    let what = DossierOf::chosen(complaint_id, firm_id)?;
    let Some(folder) = dialogs::typed_or_picked(folder, dialogs::pick_folder("Dossier où exporter")).await else {
        return Ok(None);
    };
    let fonts = state.fonts()?;
    let conn = state.conn();
    let docs = state.documents_dir();
    let mut progress = crate::commands::safety::reporter(&app, "export");
    let dir = export::export(&conn, &docs, fonts, what, &folder, state.today(), &mut progress)?;
    Ok(Some(Exported { path: dir.display().to_string(), opened: false }))
}
