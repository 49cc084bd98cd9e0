//! Behaving like a desktop program: the window's size kept across a restart, a second launch
//! handing over to the running window, the technical log (start-up lines, errors' kinds, no
//! personal data) and « Assistance » in Paramètres.

use fantoccini::Locator;
use reclamations_e2e::{App, Intake, Profile, TestResult};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The app's technical log, all files of `logs/` (the current one and rotated ones).
fn log_text(profile: &Profile) -> TestResult<String> {
    let mut text = String::new();
    let dir = profile.layout().logs();
    for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        text.push_str(&std::fs::read_to_string(entry?.path())?);
    }
    Ok(text)
}

/// A private D-Bus session bus for this test (single-instance speaks over it under Linux),
/// stopped when dropped; the address is set in this process's environment, which tauri-driver
/// and the app inherit.
struct SessionBus {
    daemon: Child,
    previous: Option<std::ffi::OsString>,
}

impl SessionBus {
    fn start(dir: &Path) -> TestResult<SessionBus> {
        let socket = dir.join("bus");
        let address = format!("unix:path={}", socket.display());
        let daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", &format!("--address={address}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("dbus-daemon could not start ({e}): install the package dbus (scripts/setup.sh)"))?;
        let deadline = Instant::now() + Duration::from_secs(5);
        while !socket.exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let previous = std::env::var_os("DBUS_SESSION_BUS_ADDRESS");
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
        Ok(SessionBus { daemon, previous })
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        match self.previous.take() {
            Some(v) => std::env::set_var("DBUS_SESSION_BUS_ADDRESS", v),
            None => std::env::remove_var("DBUS_SESSION_BUS_ADDRESS"),
        }
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// The window-state file, in the app's config folder (the profile's XDG_CONFIG_HOME).
fn window_state_file(profile: &Profile) -> PathBuf {
    profile.root.path().join("xdg-config").join("org.opqtecc.reclamations").join(".window-state.json")
}

#[tokio::test]
async fn the_window_keeps_its_size_across_a_restart() -> TestResult {
    let profile = Profile::new()?;
    let app = App::launch(&profile).await?;
    let (_, _, w0, h0) = app.client.get_window_rect().await?;
    assert_eq!((w0, h0), (1280, 800), "the first start opens at the configured size");
    app.client.set_window_rect(40, 30, 1100, 700).await?;
    let (_, _, w, h) = app.client.get_window_rect().await?;
    assert_eq!((w, h), (1100, 700), "the window was resized");
    // The state is saved shortly after the last resize (and at exit).
    let file = window_state_file(&profile);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !std::fs::read_to_string(&file).is_ok_and(|t| t.contains("1100")) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.quit().await?;
    let saved = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let saved: serde_json::Value = serde_json::from_str(&saved)?;
    assert_eq!((saved["main"]["width"].as_u64(), saved["main"]["height"].as_u64()), (Some(1100), Some(700)), "{saved}");

    let mut app = App::launch(&profile).await?;
    let (_, _, w, h) = app.client.get_window_rect().await?;
    app.screenshot("desktop-fenetre-restauree").await?;
    app.quit().await?;
    assert_eq!((w, h), (1100, 700), "the size is restored at the next start");
    Ok(())
}

#[tokio::test]
async fn a_second_launch_brings_the_running_window_forward() -> TestResult {
    let profile = Profile::new()?;
    let bus = SessionBus::start(profile.root.path())?;
    let mut app = App::launch(&profile).await?;
    let started = Instant::now();
    let mut second = Command::new(reclamations_e2e::app_binary())
        .envs(profile.env())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let status = loop {
        if let Some(status) = second.try_wait()? {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(15) {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    if status.is_none() {
        let _ = second.kill();
    }
    let output = second.wait_with_output()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(status.is_some_and(|s| s.success()), "the second launch should hand over and exit: {status:?} {stderr}");
    assert!(!stderr.contains("déjà ouvert"), "no « already open » dialog: {stderr}");
    // The first window is still there and answers.
    app.click_text("Paramètres").await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='Paramètres']")).await?;
    // The running app was told (the single-instance callback, which shows and focuses it).
    let deadline = Instant::now() + Duration::from_secs(5);
    while !log_text(&profile)?.contains("ramenée au premier plan") && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let log = log_text(&profile)?;
    app.quit().await?;
    drop(bus);
    assert!(log.contains("Nouveau lancement sur le même dossier"), "{log}");
    Ok(())
}

#[tokio::test]
async fn the_technical_log_has_the_start_and_the_errors_kinds_but_no_personal_data() -> TestResult {
    let profile = Profile::new()?;
    let mut app = App::launch(&profile).await?;
    // A refused command: the blank form.
    app.open_intake_form().await?;
    app.click_text("Enregistrer la réclamation").await?;
    app.wait_for(Locator::Css(".field-error:not([hidden])")).await?;
    let intake = Intake::complete()
        .complainant("Zéphyrine Quatremare-Bellegarde")
        .facts("Les plans de la véranda Vauquelin n'ont jamais été livrés.");
    app.register(&intake).await?;

    // « Assistance »: the diagnostic text is shown read-only (and copied when the system allows).
    app.click_text("Paramètres").await?;
    app.click_text("Copier les informations de diagnostic").await?;
    let text = app.wait_for(Locator::Css("textarea[name='diagnostics']")).await?;
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut diagnostics = String::new();
    while !diagnostics.contains("Schéma de données") && Instant::now() < deadline {
        diagnostics = text.prop("value").await?.unwrap_or_default();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(text.attr("readonly").await?.is_some(), "the diagnostics are read-only");
    app.screenshot("desktop-assistance").await?;
    app.quit().await?;

    for expected in [
        "Réclamations ",
        "Schéma de données : ",
        "Réclamations : 1 (dont 1 non clôturées)",
        "Dossier de données : ",
        "Dernière sauvegarde locale",
    ] {
        assert!(diagnostics.contains(expected), "{expected:?} missing from the diagnostics:\n{diagnostics}");
    }
    assert!(!diagnostics.contains("Quatremare"), "{diagnostics}");

    let log = log_text(&profile)?;
    for expected in [
        "Démarrage de Réclamations",
        &format!("Dossier de données : {}", profile.data_dir().display()),
        "Nouvelle base de données créée au schéma",
        "Commande register_complaint en échec : validation",
    ] {
        assert!(log.contains(expected), "{expected:?} missing from the log:\n{log}");
    }
    for private in ["Zéphyrine", "Quatremare", "Vauquelin", "véranda"] {
        assert!(!log.contains(private), "personal data {private:?} in the log:\n{log}");
    }

    // A restart logs the schema as up to date, in the same file.
    let app = App::launch(&profile).await?;
    app.quit().await?;
    let log = log_text(&profile)?;
    assert!(log.contains("à jour"), "{log}");
    assert_eq!(log.matches("Démarrage de Réclamations").count(), 2, "{log}");
    Ok(())
}
