//! Backups and restore.

use crate::dialogs;
use crate::state::AppState;
use reclamations_core::backup::{self, Manifest};
use reclamations_core::{Error, Result};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

/// What long operations report to the window as they go: `{ what, done, total }`.
#[derive(Clone, Serialize)]
pub struct Progress {
    pub what: &'static str,
    pub done: usize,
    pub total: usize,
}

pub const PROGRESS_EVENT: &str = "reclamations://progress";

/// A progress callback that emits [`PROGRESS_EVENT`], at most every 2 % (and at the end).
pub fn reporter(app: &AppHandle, what: &'static str) -> impl FnMut(usize, usize) {
    let app = app.clone();
    let mut last = 0;
    move |done, total| {
        let step = (total / 50).max(1);
        if done == total || done >= last + step {
            last = done;
            let _ = app.emit(PROGRESS_EVENT, Progress { what, done, total });
        }
    }
}

#[derive(Serialize)]
pub struct BackupDone {
    path: String,
    size_bytes: u64,
}

/// « Sauvegarder maintenant »: into `folder`, or a folder chosen in a native dialog.
#[tauri::command]
pub async fn backup_now(
    app: AppHandle,
    state: State<'_, AppState>,
    folder: Option<String>,
) -> Result<Option<BackupDone>> {
    state.refuse_in_demo()?;
    let Some(folder) = dialogs::typed_or_picked(folder, dialogs::pick_folder("Dossier de la sauvegarde")).await else {
        return Ok(None);
    };
    let path = backup::create(&state.conn(), &state.data_dir(), &folder, "sauvegarde", reporter(&app, "sauvegarde"))?;
    let size_bytes = std::fs::metadata(&path)?.len();
    Ok(Some(BackupDone { path: path.display().to_string(), size_bytes }))
}

#[derive(Serialize)]
pub struct Restored {
    manifest: Manifest,
    replaced_kept_in: String,
}

/// « Restaurer »: verifies the backup whole, backs up the current data, then swaps.
#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, path: Option<String>) -> Result<Option<Restored>> {
    state.refuse_in_demo()?;
    let picked = dialogs::pick_file("Sauvegarde à restaurer", &[("Sauvegarde", &["tar"])]);
    let Some(path) = dialogs::typed_or_picked(path, picked).await else {
        return Ok(None);
    };
    let verified = backup::verify(&path, &state.data_dir())?;
    let manifest = verified.manifest.clone();
    let kept = restore_verified(&state, verified)?;
    Ok(Some(Restored { manifest, replaced_kept_in: kept.display().to_string() }))
}

/// Swaps a verified backup in (the current data backed up first); a failure says the current
/// data is kept.
pub(crate) fn restore_verified(state: &AppState, verified: backup::Verified) -> Result<std::path::PathBuf> {
    state.restore(verified).map_err(|e| match e {
        Error::Io(io) => Error::Restore(format!(
            "La restauration a échoué ({}) : les données actuelles sont conservées.",
            reclamations_core::french::io_reason(&io)
        )),
        other => other,
    })
}

/// The retention purge of every eligible file, confirmed by a person for `expected` files.
#[tauri::command]
pub async fn purge_eligible(
    state: State<'_, AppState>,
    staff_id: Option<i64>,
    expected: usize,
) -> Result<reclamations_core::files::purge::PurgeReport> {
    let mut s = state.begin(staff_id)?;
    reclamations_core::files::purge::purge(&mut s.conn, &state.data_dir(), s.today, &s.author, expected)
}
