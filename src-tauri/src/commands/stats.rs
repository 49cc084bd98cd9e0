//! Statistiques: figures for a period and the one before, CSV export, printable report.

use super::write_and_open;
use crate::state::AppState;
use reclamations_core::store::stats;
use reclamations_core::validate::parse_date;
use reclamations_core::{Error, Result};
use serde::Serialize;
use tauri::{AppHandle, State};

/// Acknowledgements are expected within 8 days of receipt (a week and a weekend).
const AR_DAYS: i64 = 8;

fn period(from: &str, to: &str) -> Result<(chrono::NaiveDate, chrono::NaiveDate)> {
    let from = parse_date(from).ok_or_else(|| Error::field("from", "Date de début invalide (JJ/MM/AAAA)."))?;
    let to = parse_date(to).ok_or_else(|| Error::field("to", "Date de fin invalide (JJ/MM/AAAA)."))?;
    if to < from {
        return Err(Error::field("to", "La fin de la période précède son début."));
    }
    Ok((from, to))
}

#[derive(Serialize)]
pub struct Comparison {
    current: stats::Stats,
    previous: stats::Stats,
}

/// The period's figures and those of the period of the same length just before it.
#[tauri::command]
pub async fn get_statistics(state: State<'_, AppState>, from: String, to: String) -> Result<Comparison> {
    let (from, to) = period(&from, &to)?;
    let length = to - from;
    let prev_to = from - chrono::Duration::days(1);
    let conn = state.conn();
    Ok(Comparison {
        current: stats::statistics(&conn, from, to, AR_DAYS)?,
        previous: stats::statistics(&conn, prev_to - length, prev_to, AR_DAYS)?,
    })
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
    let (from, to) = period(&from, &to)?;
    let s = stats::statistics(&state.conn(), from, to, AR_DAYS)?;
    let (path, opened) = write_and_open(
        &app,
        &state.layout().exports(),
        &format!("statistiques-{from}-{to}"),
        "csv",
        stats::to_csv(&s)?.as_bytes(),
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
    let (from, to) = period(&from, &to)?;
    let title =
        if title.trim().is_empty() { "Bilan des réclamations".to_owned() } else { title.chars().take(120).collect() };
    let bytes = {
        let conn = state.conn();
        let s = stats::statistics(&conn, from, to, AR_DAYS)?;
        let doc = stats::statistics_report(&conn, &s, &title, state.today())?;
        reclamations_core::letters::pdf::render(&doc, state.fonts()?)?
    };
    let (path, opened) = write_and_open(&app, &state.layout().exports(), &format!("bilan-{from}-{to}"), "pdf", &bytes)?;
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
    let folder = match folder.filter(|f| !f.trim().is_empty()) {
        Some(f) => std::path::PathBuf::from(f.trim()),
        None => match rfd::AsyncFileDialog::new().set_title("Dossier où exporter").pick_folder().await {
            Some(f) => f.path().to_path_buf(),
            None => return Ok(None),
        },
    };
    let fonts = state.fonts()?;
    let conn = state.conn();
    let docs = state.documents_dir();
    let mut progress = crate::commands::safety::reporter(&app, "export");
    let dir = export::export(&conn, &docs, fonts, what, &folder, state.today(), &mut progress)?;
    Ok(Some(Exported { path: dir.display().to_string(), opened: false }))
}
