//! The automatic backups' destination off the data disk, a snapshot now, the restore drill,
//! and restoring a snapshot. Long runs use their own connection: the register stays usable.

use super::safety::{reporter, restore_verified, RestorePlan};
use crate::dialogs;
use crate::state::{AppState, LastRestore};
use reclamations_core::backup::drill::DrillReport;
use reclamations_core::backup::repo::{self, DestinationCheck, Ours, SnapshotInfo};
use reclamations_core::backup::schedule::{self, BackupSettings, BackupStatus};
use reclamations_core::{db, Error, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, State};

#[derive(Serialize)]
pub struct BackupOverview {
    settings: BackupSettings,
    status: BackupStatus,
    /// The external destination's complete snapshots, newest first.
    external: Vec<SnapshotInfo>,
    /// Why they cannot be listed (destination not plugged in…), in French.
    external_error: Option<String>,
    /// The local repository's (`backups/depot/`).
    local: Vec<SnapshotInfo>,
}

/// What Paramètres and the dashboard show of the backups.
#[tauri::command]
pub async fn backup_overview(state: State<'_, AppState>) -> Result<BackupOverview> {
    let (settings, status) = {
        let conn = state.conn();
        (schedule::settings(&conn)?, schedule::status(&conn, state.today())?)
    };
    let ours = ours(&state)?;
    let (external, external_error) = match settings.destination.as_deref().map(Path::new) {
        None => (Vec::new(), None),
        Some(dest) if !dest.is_dir() => {
            (Vec::new(), Some(repo::check_destination(dest, &state.data_dir(), &ours).message.unwrap_or_default()))
        }
        Some(dest) => match repo::list(dest) {
            // Another register's set is listed (it can be restored) with why nothing is written there.
            Ok(list) => {
                let foreign = repo::foreign_set(&repo::repo_root(dest), &ours)?;
                (list, foreign.map(|f| f.refusal(dest)))
            }
            Err(e) => (Vec::new(), Some(e.user_message())),
        },
    };
    let local_repo = repo::local_repo(&state.data_dir());
    let local = if local_repo.is_dir() { repo::list(&local_repo).unwrap_or_default() } else { Vec::new() };
    Ok(BackupOverview { settings, status, external, external_error, local })
}

/// The register open, for the checks that keep one register per backup set.
fn ours(state: &AppState) -> Result<Ours> {
    Ours::of(&state.conn())
}

/// A folder typed, or chosen in a native dialog, checked (writable, free space); not saved.
#[tauri::command]
pub async fn check_backup_destination(
    state: State<'_, AppState>,
    path: Option<String>,
) -> Result<Option<DestinationCheck>> {
    let picked = dialogs::pick_folder("Destination des sauvegardes (disque externe, clé USB, partage réseau)");
    let Some(path) = dialogs::typed_or_picked(path, picked).await else {
        return Ok(None);
    };
    Ok(Some(repo::check_destination(&path, &state.data_dir(), &ours(&state)?)))
}

/// Saves the backups' settings; a destination must pass the check.
#[tauri::command]
pub async fn save_backup_settings(state: State<'_, AppState>, settings: BackupSettings) -> Result<()> {
    state.refuse_in_demo()?;
    let settings = BackupSettings {
        destination: settings.destination.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()),
        ..settings
    };
    if let Some(dest) = settings.destination.as_deref() {
        if let Some(message) = repo::check_destination(Path::new(dest), &state.data_dir(), &ours(&state)?).message {
            return Err(Error::field("destination", message));
        }
    }
    schedule::save_settings(&state.conn(), &settings)
}

/// A connection of its own for a long run, so that the register stays usable meanwhile.
fn own_connection(state: &AppState) -> Result<db::Connection> {
    db::open(&state.layout().database())
}

/// « Sauvegarder maintenant vers la destination ».
#[tauri::command]
pub async fn backup_to_destination(app: AppHandle, state: State<'_, AppState>) -> Result<repo::SnapshotReport> {
    state.refuse_in_demo()?;
    let conn = own_connection(&state)?;
    let now = state.today().and_time(chrono::Local::now().time());
    let data_dir: PathBuf = state.data_dir();
    let progress = reporter(&app, "sauvegarde");
    tauri::async_runtime::spawn_blocking(move || {
        schedule::snapshot_now(&conn, &data_dir, now, progress).map(|(r, _)| r)
    })
    .await
    .map_err(|_| Error::Backup("La sauvegarde s'est interrompue.".into()))?
}

/// « Vérifier les sauvegardes »: the latest snapshot restored into a temporary folder and checked.
#[tauri::command]
pub async fn run_backup_drill(state: State<'_, AppState>) -> Result<DrillReport> {
    state.refuse_in_demo()?;
    let conn = own_connection(&state)?;
    let today = state.today();
    let data_dir: PathBuf = state.data_dir();
    tauri::async_runtime::spawn_blocking(move || schedule::drill_now(&conn, &data_dir, today))
        .await
        .map_err(|_| Error::Backup("La vérification s'est interrompue.".into()))?
}

/// The repository snapshot `id` is read from: `folder` (another machine's destination, a key
/// brought in), or the local one (`local`), or the configured destination.
fn snapshot_source(state: &AppState, local: bool, folder: Option<String>) -> Result<PathBuf> {
    Ok(match folder.map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()) {
        Some(f) => PathBuf::from(f),
        None if local => repo::local_repo(&state.data_dir()),
        None => schedule::settings(&state.conn())?
            .destination
            .map(PathBuf::from)
            .ok_or_else(|| Error::refused("Aucune destination de sauvegarde externe n'est configurée."))?,
    })
}

/// What restoring snapshot `id` would replace, against what it holds: the confirmation's
/// figures. Nothing is replaced.
#[tauri::command]
pub async fn inspect_snapshot(
    state: State<'_, AppState>,
    id: String,
    local: bool,
    folder: Option<String>,
) -> Result<RestorePlan> {
    state.refuse_in_demo()?;
    let source = snapshot_source(&state, local, folder)?;
    if !source.is_dir() {
        return Err(repo::missing_destination(&source));
    }
    let m = repo::manifest(&source, &id)?;
    RestorePlan::new(&state, id, m)
}

/// Restores snapshot `id` (see [`snapshot_source`]), once confirmed. The current data is backed
/// up first and kept; the restore can be undone.
#[tauri::command]
pub async fn restore_snapshot(
    state: State<'_, AppState>,
    id: String,
    local: bool,
    folder: Option<String>,
) -> Result<LastRestore> {
    state.refuse_in_demo()?;
    let source = snapshot_source(&state, local, folder)?;
    let verified = repo::restore(&source, &id, &state.data_dir())?;
    let label = format!("la sauvegarde du {}", repo::shown_stamp(&verified.manifest.created_at));
    restore_verified(&state, verified, label)
}

/// The snapshots of the repository in `folder` (to restore on a new machine).
#[tauri::command]
pub async fn list_snapshots(folder: String) -> Result<Vec<SnapshotInfo>> {
    let dest = PathBuf::from(folder.trim());
    if !dest.is_dir() {
        return Err(Error::field("folder", "Dossier introuvable : branchez le disque ou vérifiez le chemin."));
    }
    repo::list(&dest).map_err(|e| Error::field("folder", e.user_message()))
}
