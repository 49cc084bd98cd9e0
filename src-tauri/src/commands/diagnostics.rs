//! « Assistance » in Paramètres: the technical log, the diagnostic text to send to the support,
//! the start-up notification's setting, and the UI's report of a command's failure (its kind).

use crate::desktop::NOTIFY_ON_START;
use crate::state::AppState;
use reclamations_core::backup::{repo, schedule};
use reclamations_core::store::settings;
use reclamations_core::{db, Result};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

/// The diagnostic text: versions, data folder, schema version, counts, last backups. Ids and
/// counts only, no personal data: it may be pasted in an e-mail to the support.
#[tauri::command]
pub async fn diagnostics(state: State<'_, AppState>) -> Result<String> {
    let conn = state.conn();
    let schema: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let count = |table: &str| -> Result<i64> {
        // The table names are this file's constants, never input.
        Ok(conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?)
    };
    let open: i64 = conn.query_row("SELECT COUNT(*) FROM complaints WHERE step <> 'closed'", [], |r| r.get(0))?;
    let status = schedule::status(&conn, state.today())?;
    let local_repo = repo::local_repo(&state.data_dir());
    let last_local = if local_repo.is_dir() {
        repo::list(&local_repo).ok().and_then(|l| l.into_iter().next()).map(|s| s.created_at)
    } else {
        None
    };
    let webview = tauri::webview_version().unwrap_or_else(|_| "inconnue".to_owned());
    let lines = [
        format!("Réclamations {}", env!("CARGO_PKG_VERSION")),
        format!("Tauri {}, moteur web {webview}", tauri::VERSION),
        format!("Système : {} {}", std::env::consts::OS, std::env::consts::ARCH),
        format!(
            "Dossier de données : {}{}",
            state.data_dir().display(),
            if state.is_demo() { " (démonstration)" } else { "" }
        ),
        format!("Journal technique : {}", state.real_layout().log_file().display()),
        format!("Schéma de données : {schema} (cette version : {})", db::schema_version()),
        format!("Date du jour : {}", state.today()),
        format!("Réclamations : {} (dont {open} non clôturées)", count("complaints")?),
        format!("Entreprises : {}", count("firms")?),
        format!("Documents : {}", count("documents")?),
        format!("Entrées de journal : {}", count("journal")?),
        format!("Dernière sauvegarde locale : {}", last_local.as_deref().unwrap_or("aucune")),
        format!(
            "Dernière sauvegarde externe : {}",
            status.last_external.as_deref().unwrap_or(if status.external_destination.is_some() {
                "aucune"
            } else {
                "aucune destination configurée"
            })
        ),
        format!("Notification au démarrage : {}", if crate::desktop::notify_on_start(&conn)? { "oui" } else { "non" }),
    ];
    Ok(lines.join("\n"))
}

/// Opens the technical log's folder in the file manager; returns the current log file's path.
#[tauri::command]
pub async fn open_log(app: AppHandle, state: State<'_, AppState>) -> Result<String> {
    let logs = state.real_layout().logs();
    std::fs::create_dir_all(&logs)?;
    super::open(&app, &logs)?;
    Ok(state.real_layout().log_file().display().to_string())
}

/// A command that failed, as the UI saw it: logged with its kind, never its message or data.
#[tauri::command]
pub fn report_command_error(command: String, kind: String) {
    log::warn!("Commande {} en échec : {}", code(&command), code(&kind));
}

/// Only a short machine name is logged; anything else (free text) becomes `?`.
fn code(text: &str) -> &str {
    let ok = !text.is_empty() && text.len() <= 64 && text.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    if ok {
        text
    } else {
        "?"
    }
}

#[derive(Serialize, Deserialize)]
pub struct AssistanceSettings {
    /// A native notification at start when answers or deadlines are overdue.
    notify_on_start: bool,
}

#[tauri::command]
pub async fn get_assistance_settings(state: State<'_, AppState>) -> Result<AssistanceSettings> {
    Ok(AssistanceSettings { notify_on_start: crate::desktop::notify_on_start(&state.conn())? })
}

#[tauri::command]
pub async fn save_assistance_settings(state: State<'_, AppState>, settings: AssistanceSettings) -> Result<()> {
    let conn = state.conn();
    save(&conn, &settings)?;
    log::info!("Notification au démarrage : {}", if settings.notify_on_start { "activée" } else { "désactivée" });
    Ok(())
}

fn save(conn: &db::Connection, s: &AssistanceSettings) -> Result<()> {
    settings::set(conn, NOTIFY_ON_START, if s.notify_on_start { "1" } else { "0" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_machine_names_reach_the_log() {
        assert_eq!(code("register_complaint"), "register_complaint");
        assert_eq!(code("validation"), "validation");
        assert_eq!(code("Dupont Jean"), "?");
        assert_eq!(code(""), "?");
        assert_eq!(code(&"a".repeat(65)), "?");
        assert_eq!(code("x\nDémarrage"), "?");
    }

    #[test]
    fn the_setting_is_saved_and_read_back() -> Result<()> {
        let conn = db::open_in_memory()?;
        save(&conn, &AssistanceSettings { notify_on_start: false })?;
        assert!(!crate::desktop::notify_on_start(&conn)?);
        save(&conn, &AssistanceSettings { notify_on_start: true })?;
        assert!(crate::desktop::notify_on_start(&conn)?);
        Ok(())
    }
}
