//! Réclamations desktop app: resolves paths, opens the data, and serves the UI's commands.
//! The rules and storage live in `reclamations-core`.

// The one list of commands (`app_commands!`), also read by `build.rs`.
include!("commands/list.rs");

pub mod commands;
mod desktop;
mod dialogs;
pub mod paths;
pub mod state;

use state::AppState;
use tauri::Manager;

/// `module::command, …` (from `app_commands!`) → the handler of those commands.
macro_rules! invoke_handler {
    ($($module:ident :: $command:ident),* $(,)?) => {
        tauri::generate_handler![$(commands::$module::$command),*]
    };
}

/// Starts the app; on a start-up failure shows a French dialog and exits with status 1.
///
/// Order matters: the single-instance plugin comes first, so that a second launch hands over
/// to the running window and exits before anything else (the log, the data dir's lock); the
/// data is opened once the plugins are set up and before the event loop creates the window.
pub fn run() {
    desktop::note_run_started();
    desktop::draw_without_compositing();
    let startup = match paths::resolve(std::env::args_os(), |k| std::env::var_os(k), dirs::data_dir()) {
        Ok(s) => s,
        Err(message) => fail(&message),
    };
    let schema_before = desktop::schema_on_disk(&startup);
    let app = tauri::Builder::default()
        .plugin(desktop::single_instance(&startup.data_dir))
        .plugin(desktop::log(&startup.data_dir))
        .plugin(desktop::window_state_plugin())
        .plugin(desktop::window_state())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(app_commands!(invoke_handler))
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => window_failure(&e),
    };
    let state = match AppState::open(&startup) {
        Ok(s) => s,
        Err(message) => {
            log::error!("Démarrage impossible : le dossier de données n'a pas pu être ouvert.");
            fail(&message)
        }
    };
    desktop::log_startup(&state, schema_before);
    remove_leftover_demo(&startup.data_dir);
    // The day's digest, the daily backup (and the monthly drill) and the overdue notification
    // wait for the first screen: on two cores they would otherwise slow the window's start.
    let first_screen = desktop::FirstScreen::new();
    let after_first_screen = first_screen.waiter();
    let background = BackgroundStart {
        handle: app.handle().clone(),
        database: state.layout().database(),
        data_dir: state.data_dir(),
        today: state.today(),
    };
    std::thread::spawn(move || {
        after_first_screen.wait();
        background.start();
    });
    app.manage(first_screen);
    app.manage(state);
    app.run(|_, _| {});
}

/// What the app starts in the background once the first screen is drawn.
struct BackgroundStart {
    handle: tauri::AppHandle,
    database: std::path::PathBuf,
    data_dir: std::path::PathBuf,
    today: chrono::NaiveDate,
}

impl BackgroundStart {
    fn start(self) {
        let digest = register_digest_in_background(self.database.clone(), self.today);
        daily_backup_in_background(self.database.clone(), self.data_dir, self.today, digest);
        desktop::notify_overdue_in_background(&self.handle, self.database, self.today);
    }
}

fn window_failure(e: &tauri::Error) -> ! {
    log::error!("La fenêtre n'a pas pu s'ouvrir : {e}");
    fail(&format!(
        "La fenêtre de l'application n'a pas pu s'ouvrir ({e}). Sous Linux, vérifiez que WebKitGTK 4.1 est installé."
    ))
}

/// The day's register digest, computed once the first screen is drawn, on its own connection
/// and thread, so that the day's first letter or report finds it made and never waits for it
/// (a letter that comes before it is done waits for the write lock and reads the same digest:
/// see `store::digest::current`).
fn register_digest_in_background(path: std::path::PathBuf, today: chrono::NaiveDate) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let started = std::time::Instant::now();
        match reclamations_core::db::open(&path)
            .and_then(|conn| reclamations_core::store::digest::warm_up(&conn, today))
        {
            Ok(true) => log::info!("Empreinte du registre du jour calculée en {} ms", started.elapsed().as_millis()),
            Ok(false) => {}
            Err(e) => log::warn!(
                "Empreinte du registre non calculée au démarrage ({}) : le premier courrier la calculera.",
                e.kind()
            ),
        }
    })
}

/// The first start of the day makes the daily backups (the local repository, and the external
/// destination when one is set) once the first screen is drawn, on its own connection and
/// thread; the leftovers of an interrupted run are removed first. A destination missing (a USB
/// key not plugged in) is recorded for the dashboard and retried at the next start.
///
/// The snapshot waits for the digest's warm-up (about a second at 100 000 complaints): its one
/// write would otherwise restart the online copy of the database, and the snapshot then holds
/// the day's digest.
fn daily_backup_in_background(
    path: std::path::PathBuf,
    data_dir: std::path::PathBuf,
    today: chrono::NaiveDate,
    digest: std::thread::JoinHandle<()>,
) {
    use reclamations_core::backup::{self, repo, schedule};
    let now = today.and_time(chrono::Local::now().time());
    std::thread::spawn(move || {
        if let Err(e) = backup::cleanup_local(&data_dir) {
            log::warn!("Nettoyage des sauvegardes interrompues impossible ({}) : {}", e.kind(), e.user_message());
        }
        let _ = digest.join();
        let result = reclamations_core::db::open(&path).and_then(|conn| {
            let settings = schedule::settings(&conn)?;
            let external = settings.destination.as_deref().map(std::path::PathBuf::from);
            if let Some(dest) = external.as_deref().filter(|d| d.is_dir()) {
                let _ = repo::cleanup(dest);
            }
            let outcome = schedule::daily_snapshots(&conn, &data_dir, external.as_deref(), now, &settings.tiers)?;
            desktop::log_daily_backup(&outcome);
            Ok(())
        });
        if let Err(e) = result {
            log::error!("Sauvegarde quotidienne impossible ({}) : {}", e.kind(), e.user_message());
        }
        desktop::return_freed_memory();
    });
}

/// A demonstration left open when the app was closed is deleted at the next start: the app
/// always starts on the real register.
fn remove_leftover_demo(data_dir: &std::path::Path) {
    use reclamations_core::demo;
    let leftover = demo::dir_for(data_dir);
    if demo::is_demo(&leftover) {
        std::thread::spawn(move || match demo::remove(&leftover) {
            Ok(()) => log::info!("Données de démonstration d'une session précédente supprimées"),
            Err(e) => log::warn!("Données de démonstration non supprimées ({})", e.kind()),
        });
    }
}

fn fail(message: &str) -> ! {
    dialogs::fatal(message);
    std::process::exit(1);
}
