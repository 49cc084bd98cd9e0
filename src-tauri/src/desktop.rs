//! What makes the app behave like a desktop program: one instance per data folder, the window's
//! size and place kept, the technical log, and the notification of overdue deadlines at start.
//! The log holds ids, kinds and counts, never personal data (names, complaint text).

use crate::paths::Startup;
use crate::state::AppState;
use reclamations_core::backup::schedule::DailyOutcome;
use reclamations_core::datadir::{DataDir, LOG_FILE_STEM};
use std::hash::{Hash, Hasher};
use std::path::Path;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_log::{RotationStrategy, Target, TargetKind, TimezoneStrategy};
use tauri_plugin_window_state::StateFlags;

/// The setting (`settings` table) that turns the start-up notification off: `"0"` or `"1"`.
pub const NOTIFY_ON_START: &str = "notifications.on_start";
/// One log file grows to this size, then a new one starts.
const LOG_MAX_BYTES: u128 = 1024 * 1024;
/// Log files kept (the current one and the older ones).
const LOGS_KEPT: usize = 5;

/// A second launch on the same data folder hands its turn to the running window (shown,
/// unminimised, focused) and exits. The instance is named after the data folder: a launch on
/// another folder (a demonstration, a test) is an app of its own, and the data dir's lock still
/// refuses a second app on the same data from elsewhere. Without a session bus (D-Bus on Linux)
/// the plugin lets the app start normally.
pub fn single_instance<R: Runtime>(data_dir: &Path) -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(instance_id(data_dir))
        .callback(|app, _argv, _cwd| {
            log::info!("Nouveau lancement sur le même dossier : la fenêtre ouverte est ramenée au premier plan.");
            bring_to_front(app);
        })
        .build()
}

/// The D-Bus name of the instance on `data_dir`: the app's identifier and a hash of the folder
/// (its canonical form when it exists, so that `./données` and its full path are one folder).
pub fn instance_id(data_dir: &Path) -> String {
    let canonical = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    canonical.hash(&mut hasher);
    format!("org.opqtecc.reclamations.d{:016x}", hasher.finish())
}

fn bring_to_front<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else {
        log::warn!("Nouveau lancement : la fenêtre principale est introuvable.");
        return;
    };
    let shown = window.show().and_then(|()| window.unminimize()).and_then(|()| window.set_focus());
    if let Err(e) = shown {
        log::warn!("La fenêtre n'a pas pu être ramenée au premier plan : {e}");
    }
}

/// The window's size, position, maximised and full-screen states, saved in the app's config
/// folder (`~/.config/org.opqtecc.reclamations/.window-state.json` under Linux), restored when
/// the window opens. Saved at exit by the plugin, and also shortly after each move or resize,
/// so that a window closed abruptly (a session ended, a crash) still opens where it was.
pub fn window_state<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::<R>::new("window-state-autosave")
        .on_window_ready(|window| {
            let generation = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let app = window.app_handle().clone();
            window.on_window_event(move |event| {
                if matches!(event, tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)) {
                    save_soon(&app, &generation);
                }
            });
        })
        .build()
}

/// The window-state plugin itself, registered with [`window_state`]'s autosave.
pub fn window_state_plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new().with_state_flags(saved_flags()).build()
}

fn saved_flags() -> StateFlags {
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED | StateFlags::FULLSCREEN
}

/// Saves the window's state 500 ms after the last of a burst of moves or resizes.
fn save_soon<R: Runtime>(app: &AppHandle<R>, generation: &std::sync::Arc<std::sync::atomic::AtomicU64>) {
    use std::sync::atomic::Ordering;
    use tauri_plugin_window_state::AppHandleExt;
    let mine = generation.fetch_add(1, Ordering::SeqCst) + 1;
    let generation = generation.clone();
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(500));
        if generation.load(Ordering::SeqCst) == mine {
            if let Err(e) = app.save_window_state(saved_flags()) {
                log::warn!("La taille et la position de la fenêtre n'ont pas pu être enregistrées : {e}");
            }
        }
    });
}

/// The technical log: `logs/reclamations.log` in the data folder, a new file past 1 Mo, the
/// last five kept; also on stderr. When the folder cannot be made (the data dir is unusable,
/// which the start-up dialog will explain), the log goes to stderr only.
pub fn log<R: Runtime>(data_dir: &Path) -> tauri::plugin::TauriPlugin<R> {
    let layout = DataDir::new(data_dir);
    let mut targets = vec![Target::new(TargetKind::Stderr)];
    if std::fs::create_dir_all(layout.logs()).is_ok() {
        targets
            .push(Target::new(TargetKind::Folder { path: layout.logs(), file_name: Some(LOG_FILE_STEM.to_owned()) }));
    }
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets(targets)
        .level(log::LevelFilter::Info)
        // The libraries' own chatter (windowing, D-Bus, HTTP of the webview) only when it matters.
        .filter(|meta| meta.target().starts_with("reclamations") || meta.level() <= log::Level::Warn)
        .max_file_size(LOG_MAX_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(LOGS_KEPT))
        .timezone_strategy(TimezoneStrategy::UseLocal)
        .build()
}

/// The schema version of the database file before the app opens it (`None`: no file yet, or
/// unreadable — the opening will say why). Read to log the migrations the opening applies.
pub fn schema_on_disk(startup: &Startup) -> Option<i64> {
    let path = DataDir::new(&startup.data_dir).database();
    if !path.is_file() {
        return None;
    }
    let conn = reclamations_core::db::Connection::open(&path).ok()?;
    conn.query_row("PRAGMA user_version", [], |r| r.get(0)).ok()
}

/// The start-up lines: version, data folder, schema version and the migrations applied.
pub fn log_startup(state: &AppState, schema_before: Option<i64>) {
    let known = reclamations_core::db::schema_version();
    log::info!(
        "Démarrage de Réclamations {} (Tauri {}, {} {})",
        env!("CARGO_PKG_VERSION"),
        tauri::VERSION,
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    log::info!("Dossier de données : {}", state.data_dir().display());
    match schema_before {
        None => log::info!("Nouvelle base de données créée au schéma {known}"),
        Some(before) if before < known => {
            log::info!("Migrations appliquées : schéma {before} → {known} (sauvegarde faite avant la migration)")
        }
        Some(_) => log::info!("Schéma de données {known}, à jour"),
    }
    if let Some(today) = std::env::var_os(crate::paths::TODAY_ENV).filter(|v| !v.is_empty()) {
        log::info!("Date du jour fixée par {} : {}", crate::paths::TODAY_ENV, today.to_string_lossy());
    }
}

/// The daily backups' outcome: ids, counts and French reasons, no content.
pub fn log_daily_backup(outcome: &DailyOutcome) {
    match (&outcome.local, &outcome.local_error) {
        (Some(s), _) => log::info!("Sauvegarde quotidienne locale faite : instantané {}", s.info.id),
        (None, Some(e)) => log::error!("Sauvegarde quotidienne locale impossible : {e}"),
        (None, None) => log::info!("Sauvegarde quotidienne locale : déjà faite aujourd'hui"),
    }
    match (&outcome.external, &outcome.external_error) {
        (Some(s), _) => log::info!("Sauvegarde quotidienne externe faite : instantané {}", s.info.id),
        (None, Some(e)) => {
            log::warn!("Sauvegarde quotidienne externe impossible (réessayée au prochain démarrage) : {e}")
        }
        (None, None) => {}
    }
    if let Some(drill) = &outcome.drill {
        log::info!("Exercice de restauration mensuel : {}", if drill.ok { "réussi" } else { "échoué" });
    }
    if outcome.old_tars_removed > 0 {
        log::info!("Anciennes sauvegardes .tar supprimées : {}", outcome.old_tars_removed);
    }
}

/// Gives back to the system the memory that the start's background work (the day's digest, the
/// daily backup with its compression buffers, the monthly drill) used and freed. glibc keeps
/// freed memory in its per-thread arenas for reuse; after a day's first backup at 100 000
/// complaints that is tens of megabytes the idle app would hold all day. Elsewhere a no-op.
pub fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `malloc_trim` takes no pointer and touches only glibc's own heaps, each under
        // its arena lock; glibc documents it as safe to call from any thread at any time.
        let released = unsafe { libc::malloc_trim(0) };
        log::debug!("Mémoire libérée rendue au système : {}", if released == 1 { "oui" } else { "rien à rendre" });
    }
}

/// The environment variable that makes the app print, on stderr, when its first screen was
/// drawn (`RECLAMATIONS_STARTUP_PROBE=1`, read by `scripts/measure-start.sh`). Off by default.
pub const STARTUP_PROBE_ENV: &str = "RECLAMATIONS_STARTUP_PROBE";
/// The background work waits at most this long for the first screen (a UI that never says it
/// is drawn must not leave the day without its backup).
const FIRST_SCREEN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// WebKitGTK's switch for drawing without GPU compositing.
const NO_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// The value to give [`NO_COMPOSITING`] when the environment has `current`: « 1 » when it is
/// unset. Someone who sets it themselves (« 0 » to have compositing back) keeps their choice.
pub fn compositing_switch(current: Option<&std::ffi::OsStr>) -> Option<&'static str> {
    current.is_none().then_some("1")
}

/// The window draws its page without GPU compositing, unless the environment says otherwise.
/// The app is forms, tables and text, with no 3D and no animation that compositing would
/// speed up. Without it the web process needs no GL stack. On the 100 000-complaint register,
/// under Xvfb (Mesa's software GL), the idle PSS went from 345 to 260 MB and the start was no
/// slower (docs/PERFORMANCE.md). It also avoids the blank windows that some GPU drivers give
/// WebKitGTK. Called at the very start of `run()`, before any thread exists, since the
/// environment is then changed.
pub fn draw_without_compositing() {
    if cfg!(target_os = "linux") {
        if let Some(value) = compositing_switch(std::env::var_os(NO_COMPOSITING).as_deref()) {
            std::env::set_var(NO_COMPOSITING, value);
        }
    }
}

/// When `run()` began, for the probe line (the rest of the launch, from the process's exec, is
/// what the measuring script adds by timing from outside).
static RUN_STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Notes when `run()` began; called first.
pub fn note_run_started() {
    RUN_STARTED.get_or_init(std::time::Instant::now);
}

/// Where the page's start went, for the probe line: when the page began loading (epoch ms), and
/// the milliseconds from then until its modules were evaluated, the app's context read, the
/// first view rendered and its frame shown. Numbers only; zero when the UI sent none.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StartMarks {
    pub page_start_epoch_ms: f64,
    pub modules_ms: f64,
    pub context_ms: f64,
    pub rendered_ms: f64,
    pub shown_ms: f64,
}

/// The first screen's signal: the UI says when its first view is drawn (`first_screen_shown`),
/// and the start's background work (digest, daily backup and drill, notification) waits for it.
pub struct FirstScreen {
    sender: std::sync::Mutex<Option<std::sync::mpsc::Sender<()>>>,
    receiver: std::sync::Mutex<Option<std::sync::mpsc::Receiver<()>>>,
}

/// Waits for [`FirstScreen`]'s signal (or its timeout).
pub struct FirstScreenWaiter(Option<std::sync::mpsc::Receiver<()>>);

impl FirstScreen {
    pub fn new() -> Self {
        let (sender, receiver) = std::sync::mpsc::channel();
        FirstScreen { sender: std::sync::Mutex::new(Some(sender)), receiver: std::sync::Mutex::new(Some(receiver)) }
    }

    /// The one waiter (a second call gets one that does not wait).
    pub fn waiter(&self) -> FirstScreenWaiter {
        FirstScreenWaiter(self.receiver.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take())
    }

    /// The UI's first view is drawn: the background work starts. Only the first call counts
    /// (the view reloaded after a restore calls again); it prints the probe line when asked,
    /// with where the page's time went (`marks`, the UI's own clock).
    pub fn shown(&self, marks: &StartMarks) {
        let Some(sender) = self.sender.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() else {
            return;
        };
        if std::env::var_os(STARTUP_PROBE_ENV).is_some_and(|v| v == "1") {
            let epoch_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default();
            let since_run_ms = RUN_STARTED.get().map(|t| t.elapsed().as_millis()).unwrap_or_default();
            let StartMarks { page_start_epoch_ms, modules_ms, context_ms, rendered_ms, shown_ms } = marks;
            eprintln!(
                "reclamations-startup-probe first-screen epoch_ms={epoch_ms} since_run_ms={since_run_ms} \
                 page_start_epoch_ms={page_start_epoch_ms:.0} modules_ms={modules_ms:.0} context_ms={context_ms:.0} \
                 rendered_ms={rendered_ms:.0} shown_ms={shown_ms:.0}"
            );
        }
        let _ = sender.send(());
    }
}

impl Default for FirstScreen {
    fn default() -> Self {
        Self::new()
    }
}

impl FirstScreenWaiter {
    /// Until the first screen is drawn, or [`FIRST_SCREEN_TIMEOUT`].
    pub fn wait(self) {
        if let Some(receiver) = self.0 {
            if receiver.recv_timeout(FIRST_SCREEN_TIMEOUT).is_err() {
                log::warn!("Premier écran non signalé : les tâches de démarrage commencent quand même.");
            }
        }
    }
}

/// How many answers or deadlines are overdue today, from the dashboard's data.
pub fn overdue_count(
    conn: &reclamations_core::db::Connection,
    today: chrono::NaiveDate,
) -> reclamations_core::Result<usize> {
    let d = reclamations_core::store::dashboard::dashboard(conn, today)?;
    Ok(d.items.iter().chain(d.flagged.iter()).filter(|i| matches!(i.category, "overdue" | "overrun")).count())
}

/// Whether the start-up notification is on (the default).
pub fn notify_on_start(conn: &reclamations_core::db::Connection) -> reclamations_core::Result<bool> {
    Ok(reclamations_core::store::settings::get(conn, NOTIFY_ON_START)?.as_deref() != Some("0"))
}

/// The French text of the notification, `None` when nothing is overdue.
pub fn overdue_message(count: usize) -> Option<String> {
    match count {
        0 => None,
        1 => Some("1 délai est dépassé : ouvrez le tableau de bord.".to_owned()),
        n => Some(format!("{n} délais sont dépassés : ouvrez le tableau de bord.")),
    }
}

/// At start, a native notification when answers or deadlines are overdue (unless turned off in
/// Paramètres). On its own thread and connection; a system without a notification service
/// (no daemon, as under Xvfb) is only logged.
pub fn notify_overdue_in_background<R: Runtime>(
    app: &AppHandle<R>,
    path: std::path::PathBuf,
    today: chrono::NaiveDate,
) {
    use tauri_plugin_notification::NotificationExt;
    let app = app.clone();
    std::thread::spawn(move || {
        let count = reclamations_core::db::open(&path).and_then(|conn| {
            if notify_on_start(&conn)? {
                overdue_count(&conn, today).map(Some)
            } else {
                Ok(None)
            }
        });
        let message = match count {
            Ok(Some(n)) => overdue_message(n),
            Ok(None) => None,
            Err(e) => {
                log::warn!("Notification de démarrage : délais illisibles ({})", e.kind());
                None
            }
        };
        if let Some(body) = message {
            match app.notification().builder().title("Réclamations — délais dépassés").body(&body).show() {
                Ok(()) => log::info!("Notification de démarrage envoyée : {body}"),
                Err(e) => log::warn!("Notification de démarrage impossible : {e}"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compositing_is_switched_off_unless_the_environment_chose() {
        assert_eq!(compositing_switch(None), Some("1"));
        assert_eq!(compositing_switch(Some(std::ffi::OsStr::new("0"))), None);
        assert_eq!(compositing_switch(Some(std::ffi::OsStr::new("1"))), None);
    }

    #[test]
    fn one_instance_per_data_folder() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir_all(&a)?;
        std::fs::create_dir_all(&b)?;
        assert_eq!(instance_id(&a), instance_id(&a.join("..").join("a")));
        assert_ne!(instance_id(&a), instance_id(&b));
        // A valid D-Bus name: dot-separated elements of letters, digits and `_`, none starting with a digit.
        let id = instance_id(&a);
        assert!(id.len() < 255);
        for element in id.split('.') {
            assert!(element.chars().next().is_some_and(|c| c.is_ascii_alphabetic()), "{id}");
            assert!(element.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{id}");
        }
        Ok(())
    }

    #[test]
    fn the_start_s_background_work_waits_for_the_first_screen_once() {
        let first_screen = FirstScreen::new();
        let waiter = first_screen.waiter();
        let started = std::time::Instant::now();
        let waiting = std::thread::spawn(move || waiter.wait());
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!waiting.is_finished(), "the background work waits for the first screen");
        first_screen.shown(&StartMarks::default());
        // The view drawn again (a reload after a restore) changes nothing.
        first_screen.shown(&StartMarks::default());
        assert!(waiting.join().is_ok());
        assert!(started.elapsed() < FIRST_SCREEN_TIMEOUT);
        // A second waiter does not wait.
        first_screen.waiter().wait();
    }

    #[test]
    fn the_notification_is_on_unless_turned_off() -> Result<(), Box<dyn std::error::Error>> {
        let conn = reclamations_core::db::open_in_memory()?;
        assert!(notify_on_start(&conn)?);
        reclamations_core::store::settings::set(&conn, NOTIFY_ON_START, "0")?;
        assert!(!notify_on_start(&conn)?);
        reclamations_core::store::settings::set(&conn, NOTIFY_ON_START, "1")?;
        assert!(notify_on_start(&conn)?);
        Ok(())
    }

    #[test]
    fn the_notification_counts_overdue_deadlines() -> Result<(), Box<dyn std::error::Error>> {
        use reclamations_core::{fixtures, store};
        let mut conn = reclamations_core::db::open_in_memory()?;
        let received = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).ok_or("date")?;
        store::complaints::register(&mut conn, &fixtures::sample_complaint(), received, "S")?;
        assert_eq!(overdue_count(&conn, received)?, 0, "nothing is late on the day of receipt");
        let much_later = chrono::NaiveDate::from_ymd_opt(2028, 6, 1).ok_or("date")?;
        assert!(overdue_count(&conn, much_later)? >= 1, "the complaint's deadlines are long past");
        assert_eq!(overdue_message(0), None);
        assert_eq!(overdue_message(1).as_deref(), Some("1 délai est dépassé : ouvrez le tableau de bord."));
        assert!(overdue_message(3).is_some_and(|m| m.starts_with("3 délais sont dépassés")));
        Ok(())
    }
}
