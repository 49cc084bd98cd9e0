//! Backups and restore.

use crate::dialogs;
use crate::state::{AppState, LastRestore};
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

/// What a backup holds, from its manifest, for the confirmation.
#[derive(Serialize)]
pub struct BackupHolds {
    pub created_at: String,
    pub complaints: i64,
    pub journal_entries: i64,
    pub firms: i64,
    pub documents: i64,
    /// The backup is of another register than the one open (another install's).
    pub other_register: bool,
}

/// What « Restaurer » would do, shown before anything is replaced.
#[derive(Serialize)]
pub struct RestorePlan {
    /// The backup file, or the snapshot's id.
    pub source: String,
    /// The register open now, which the restore would replace.
    pub current: backup::RegisterState,
    pub backup: BackupHolds,
}

impl RestorePlan {
    /// The register open beside what the backup `m` (a file's or a snapshot's) says it holds.
    pub(crate) fn new(state: &AppState, source: String, m: Manifest) -> Result<Self> {
        let conn = state.conn();
        let ours = reclamations_core::db::register_id(&conn)?;
        let backup = BackupHolds {
            other_register: m.register_id.is_some_and(|theirs| ours.as_deref() != Some(theirs.as_str())),
            created_at: m.created_at,
            complaints: m.complaints,
            journal_entries: m.journal_entries,
            firms: m.firms,
            documents: m.documents,
        };
        Ok(RestorePlan { source, current: backup::register_state(&conn)?, backup })
    }
}

/// « Restaurer »: the backup at `path` (or chosen in a native dialog), read from its manifest
/// only, against the register open: the confirmation's figures. Nothing is replaced.
#[tauri::command]
pub async fn inspect_backup(state: State<'_, AppState>, path: Option<String>) -> Result<Option<RestorePlan>> {
    state.refuse_in_demo()?;
    let picked = dialogs::pick_file("Sauvegarde à restaurer", &[("Sauvegarde", &["tar"])]);
    let Some(path) = dialogs::typed_or_picked(path, picked).await else {
        return Ok(None);
    };
    let m = backup::inspect(&path)?;
    Ok(Some(RestorePlan::new(&state, path.display().to_string(), m)?))
}

/// The backup file's date for the messages: « la sauvegarde du 28/11/2026 à 10:05 ».
fn file_label(m: &Manifest) -> String {
    let shown = chrono::DateTime::parse_from_rfc3339(&m.created_at)
        .map(|t| t.format("%d/%m/%Y à %H:%M").to_string())
        .unwrap_or_else(|_| m.created_at.clone());
    format!("la sauvegarde du {shown}")
}

/// « Remplacer le registre par cette sauvegarde », once confirmed: verifies the backup whole,
/// backs up the current data, then swaps. The restore can be undone.
#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, path: String) -> Result<LastRestore> {
    state.refuse_in_demo()?;
    let verified = backup::verify(std::path::Path::new(path.trim()), &state.data_dir())?;
    let label = file_label(&verified.manifest);
    restore_verified(&state, verified, label)
}

/// Swaps a verified backup in (the current data backed up first); a failure says the current
/// data is kept.
pub(crate) fn restore_verified(state: &AppState, verified: backup::Verified, restored: String) -> Result<LastRestore> {
    state.restore(verified, restored).map_err(|e| match e {
        Error::Io(io) => Error::Restore(format!(
            "La restauration a échoué ({}) : les données actuelles sont conservées.",
            reclamations_core::french::io_reason(&io)
        )),
        other => other,
    })
}

/// The restore of this session that can still be undone, if any.
#[tauri::command]
pub async fn restore_status(state: State<'_, AppState>) -> Result<Option<LastRestore>> {
    Ok(state.restore_to_undo())
}

#[derive(Serialize)]
pub struct RestoreUndone {
    /// The register the restore had replaced, back in place.
    pub undone: LastRestore,
    /// Where the register that had been restored is kept now.
    pub restored_kept_in: String,
}

/// « Annuler la restauration »: the register as it was before the last restore comes back.
#[tauri::command]
pub async fn undo_restore(state: State<'_, AppState>) -> Result<RestoreUndone> {
    state.refuse_in_demo()?;
    let (undone, aside) = state.undo_restore().map_err(|e| match e {
        Error::Io(io) => Error::Restore(format!(
            "L’annulation de la restauration a échoué ({}) : le registre restauré reste en place.",
            reclamations_core::french::io_reason(&io)
        )),
        other => other,
    })?;
    Ok(RestoreUndone { undone, restored_kept_in: aside.display().to_string() })
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
