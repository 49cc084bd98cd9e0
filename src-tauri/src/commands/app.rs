//! About the running app: version, data folder, « today »; the first start's setup and the
//! demonstration register.

use crate::state::AppState;
use reclamations_core::store::setup;
use reclamations_core::Result;
use serde::Serialize;
use tauri::{State, WebviewWindow};

/// The window's title, and the demonstration's (so that it shows in the task bar too).
pub const TITLE: &str = "Réclamations — OPQTECC";
pub const DEMO_TITLE: &str = "Réclamations — DÉMONSTRATION (données fictives)";

#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    data_dir: String,
    today: String,
    /// The demonstration register is open (not the real one).
    demo: bool,
    /// A first start: the setup is offered.
    setup_needed: bool,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo> {
    let demo = state.is_demo();
    let setup_needed = !demo && setup::needed(&state.conn())?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir().display().to_string(),
        today: state.today().to_string(),
        demo,
        setup_needed,
    })
}

/// The UI's first view is drawn: the start's background work (the day's digest, the daily
/// backup and monthly drill, the overdue notification) begins now, not during the window's start.
#[tauri::command]
pub fn first_screen_shown(
    first_screen: State<'_, crate::desktop::FirstScreen>,
    marks: Option<crate::desktop::StartMarks>,
) {
    first_screen.shown(&marks.unwrap_or_default());
}

/// Records that the first start's setup was finished, or skipped: it is not offered again.
#[tauri::command]
pub fn finish_setup(state: State<'_, AppState>, skipped: bool) -> Result<()> {
    setup::finish(&state.conn(), skipped, state.today())?;
    log::info!("Configuration du premier démarrage {}", if skipped { "passée" } else { "terminée" });
    Ok(())
}

/// Opens a demonstration register made anew (the real one is closed meanwhile, untouched).
#[tauri::command]
pub async fn open_demo(state: State<'_, AppState>, window: WebviewWindow) -> Result<reclamations_core::demo::Demo> {
    let made = state.open_demo()?;
    log::info!("Démonstration ouverte : {} réclamations fictives", made.complaints);
    if let Err(e) = window.set_title(DEMO_TITLE) {
        log::warn!("Titre de la fenêtre inchangé : {e}");
    }
    Ok(made)
}

/// Leaves the demonstration: the real register again, the demonstration folder deleted.
#[tauri::command]
pub async fn close_demo(state: State<'_, AppState>, window: WebviewWindow) -> Result<()> {
    state.close_demo()?;
    log::info!("Démonstration fermée");
    if let Err(e) = window.set_title(TITLE) {
        log::warn!("Titre de la fenêtre inchangé : {e}");
    }
    Ok(())
}
