//! Harness for the end-to-end tests: starts the built app through tauri-driver in its own
//! temp data dir, and finds elements the way a user does — by labels and button texts.

mod intake;
mod process;
mod seed;
pub mod tools;

pub use intake::{Addressee, Channel, Civility, FirmChoice, FirmStatus, Intake, Nature, Role};
pub use seed::{Population, SeedFirm};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The window title every test expects to stay untouched by hostile text.
pub const WINDOW_TITLE: &str = "Réclamations — OPQTECC";

/// The heading of the first start's setup.
pub const SETUP_HEADING: &str = "Bienvenue dans Réclamations";

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The app binary under test: `RECLAMATIONS_APP`, else the workspace's debug build.
pub fn app_binary() -> PathBuf {
    std::env::var_os("RECLAMATIONS_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/reclamations"))
}

/// Screenshots land in `target/e2e-screenshots/` for people to look at.
pub fn screenshot_dir() -> PathBuf {
    workspace_root().join("target/e2e-screenshots")
}

/// Two free ports, distinct: both are held while the second is chosen (choosing them one after
/// the other could give the same port twice, and tauri-driver and WebKitWebDriver would then
/// fight over it).
fn free_ports() -> TestResult<(u16, u16)> {
    let first = TcpListener::bind("127.0.0.1:0")?;
    let second = TcpListener::bind("127.0.0.1:0")?;
    Ok((first.local_addr()?.port(), second.local_addr()?.port()))
}

/// A temp data dir (and temp HOME-like folders for WebKit) that outlives app restarts.
pub struct Profile {
    pub root: tempfile::TempDir,
    pub today: Option<String>,
}

impl Profile {
    pub fn new() -> TestResult<Self> {
        Ok(Profile { root: tempfile::tempdir()?, today: None })
    }

    /// A profile whose « today » is `date` (`YYYY-MM-DD`).
    pub fn on(date: &str) -> TestResult<Self> {
        Ok(Profile { today: Some(date.to_owned()), ..Profile::new()? })
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// The names inside the data dir, as the app spells them.
    pub fn layout(&self) -> reclamations_core::datadir::DataDir {
        reclamations_core::datadir::DataDir::new(self.data_dir())
    }

    /// Environment for the app process (tauri-driver passes its own environment on).
    pub fn env(&self) -> Vec<(String, String)> {
        let r = self.root.path();
        let mut env = vec![
            ("RECLAMATIONS_DATA_DIR".to_owned(), self.data_dir().display().to_string()),
            ("XDG_DATA_HOME".to_owned(), r.join("xdg-data").display().to_string()),
            ("XDG_CACHE_HOME".to_owned(), r.join("xdg-cache").display().to_string()),
            ("XDG_CONFIG_HOME".to_owned(), r.join("xdg-config").display().to_string()),
            ("GSETTINGS_BACKEND".to_owned(), "memory".to_owned()),
        ];
        if let Some(today) = &self.today {
            env.push(("RECLAMATIONS_TODAY".to_owned(), today.clone()));
        }
        env
    }
}

/// A running app and its WebDriver session. Call `quit()` at the end of a test.
pub struct App {
    pub client: Client,
    driver: Child,
    data_dir: PathBuf,
    /// The processes the driver started (the app among them), killed if they outlive the test.
    processes: Vec<process::Seen>,
}

impl App {
    /// Starts tauri-driver and the app with the profile's environment; waits for the first
    /// screen. On a first start (an empty register) that is the setup, which is skipped as a
    /// user would (« Passer la configuration »): the tests of other areas start from the dashboard.
    pub async fn launch(profile: &Profile) -> TestResult<App> {
        let mut app = App::launch_first_start(profile).await?;
        let heading = app.wait_for(Locator::Css("main:not([aria-busy]) h1")).await?;
        if heading.text().await? == SETUP_HEADING {
            app.click_text("Passer la configuration").await?;
            app.wait_heading("Tableau de bord").await?;
        }
        Ok(app)
    }

    /// As [`App::launch`], leaving the first screen as it comes (the setup on a first start).
    /// A WebDriver session that cannot be made (the driver's stack, not the app) is tried once
    /// more, on new ports.
    pub async fn launch_first_start(profile: &Profile) -> TestResult<App> {
        match App::start(profile).await {
            Err(e) if e.to_string().starts_with(NO_SESSION) => {
                eprintln!("{e}: second attempt");
                App::start(profile).await
            }
            other => other,
        }
    }

    async fn start(profile: &Profile) -> TestResult<App> {
        let (port, native_port) = free_ports()?;
        let mut driver = Command::new(tauri_driver())
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .envs(profile.env())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("tauri-driver could not start ({e}); run the README's test command to install it"))?;
        let pid = driver.id();
        let client = match connect(port).await {
            Ok(client) => client,
            Err(e) => {
                process::kill_leftovers(&process::descendants(pid));
                let _ = driver.kill();
                let _ = driver.wait();
                return Err(e);
            }
        };
        let mut app = App { client, driver, data_dir: profile.data_dir(), processes: process::descendants(pid) };
        app.wait_for(Locator::Css("nav a")).await?;
        app.processes = process::descendants(pid);
        Ok(app)
    }

    /// Ends the session (closing the app) and stops tauri-driver with SIGTERM, so that it
    /// stops WebKitWebDriver too; kills the app if it is still running after 10 s.
    pub async fn quit(mut self) -> TestResult {
        let closed = self.client.clone().close().await;
        // The app holds its data dir's lock until its process is gone: wait for that (while
        // the driver still runs, so that the app can close its window), so that a relaunch on
        // the same data dir is not refused as a second instance.
        let lock = reclamations_core::datadir::DataDir::new(&self.data_dir).lock();
        let deadline = Instant::now() + Duration::from_secs(10);
        while let Ok(file) = std::fs::OpenOptions::new().write(true).open(&lock) {
            if file.try_lock().is_ok() || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.stop_driver();
        closed?;
        Ok(())
    }

    /// Stops tauri-driver, then kills what it left running (an app that did not close with
    /// the session, or that of a test that failed before `quit`).
    fn stop_driver(&mut self) {
        if !matches!(self.driver.try_wait(), Ok(Some(_))) {
            self.terminate_driver();
        }
        process::kill_leftovers(&self.processes);
    }

    fn terminate_driver(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.driver.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.driver.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    pub async fn wait_for(&mut self, locator: Locator<'_>) -> TestResult<Element> {
        match self.client.wait().at_most(Duration::from_secs(15)).for_element(locator).await {
            Ok(found) => Ok(found),
            // Name what was awaited and show what the window held instead: a bare
            // « WaitTimeout » says nothing of where a test stopped, nor why.
            Err(e) => {
                let seen = match self.client.find(Locator::Css("main")).await {
                    Ok(main) => main.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                let shot = self.screenshot("echec-attente").await.map(|p| p.display().to_string()).unwrap_or_default();
                Err(format!("{e} after 15 s waiting for {locator:?}; the page showed:\n{seen}\n(capture: {shot})")
                    .into())
            }
        }
    }

    /// Waits for the page whose main heading is `title`, fully rendered.
    pub async fn wait_heading(&mut self, title: &str) -> TestResult {
        let xpath = format!("//main[not(@aria-busy)]//h1[normalize-space(.)={}]", xpath_literal(title));
        self.wait_for(Locator::XPath(&xpath)).await?;
        Ok(())
    }

    /// A link or button by its visible text.
    pub async fn click_text(&mut self, text: &str) -> TestResult {
        let xpath = format!("//a[normalize-space(.)={q}] | //button[normalize-space(.)={q}]", q = xpath_literal(text));
        self.click_found(&xpath).await
    }

    /// Waits for the element `xpath` finds and clicks it. A view may re-render between finding
    /// and clicking (a search answering, a page reloading after an action): find it again, as
    /// a user's eye would.
    pub async fn click_found(&mut self, xpath: &str) -> TestResult {
        self.again_if_rerendered(async |app: &mut App| {
            let el = app.wait_for(Locator::XPath(xpath)).await?;
            app.click(&el).await
        })
        .await
    }

    /// Runs `step` again (three times at most) when the view re-rendered under it, leaving an
    /// element it had found stale or gone.
    async fn again_if_rerendered<T>(&mut self, mut step: impl AsyncFnMut(&mut App) -> TestResult<T>) -> TestResult<T> {
        let mut attempts = 0;
        loop {
            match step(self).await {
                Err(e) if attempts < 3 && rerendered(&*e) => {
                    attempts += 1;
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
                other => return other,
            }
        }
    }

    /// Clicks an element after scrolling it to the middle of the window, where no sticky bar
    /// covers it (as a user would scroll before clicking).
    pub async fn click(&mut self, el: &Element) -> TestResult {
        let arg = serde_json::to_value(el)?;
        self.client.execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg]).await?;
        if let Err(e) = el.click().await {
            let html = el.html(false).await.unwrap_or_default();
            let shot = self.screenshot("click-failed").await?;
            return Err(format!("click on {html} failed: {e} (see {})", shot.display()).into());
        }
        Ok(())
    }

    /// The form control whose label reads `label` (a trailing « * » for required fields is
    /// ignored), optionally inside the fieldset or section titled `section`.
    pub async fn field(&mut self, section: Option<&str>, label: &str) -> TestResult<Element> {
        let scope = section.map_or(String::new(), |s| {
            format!("//fieldset[legend[starts-with(normalize-space(.), {})]]", xpath_literal(s))
        });
        let l = xpath_literal(label);
        let star = xpath_literal(&format!("{label} *"));
        let xpath = format!("{scope}//label[normalize-space(.)={l} or normalize-space(.)={star}]");
        let label_el = self.wait_for(Locator::XPath(&xpath)).await?;
        let id = label_el.attr("for").await?.ok_or_else(|| format!("label « {label} » has no for="))?;
        Ok(self.client.find(Locator::Id(&id)).await?)
    }

    /// Types into a labelled field, replacing what was there.
    pub async fn fill(&mut self, section: Option<&str>, label: &str, text: &str) -> TestResult {
        self.again_if_rerendered(async |app: &mut App| app.fill_once(section, label, text).await).await
    }

    async fn fill_once(&mut self, section: Option<&str>, label: &str, text: &str) -> TestResult {
        let el = self.field(section, label).await?;
        el.clear().await?;
        if text.is_empty() {
            // Clearing does not fire « input »: say it, as typing would.
            let arg = serde_json::to_value(&el)?;
            self.client
                .execute("arguments[0].dispatchEvent(new Event('input', { bubbles: true }));", vec![arg])
                .await?;
        } else {
            // A line break is typed as the Enter key (WebKitWebDriver drops a raw "\n").
            el.send_keys(&text.replace('\n', "\u{E007}")).await?;
        }
        Ok(())
    }

    /// Picks an option of a labelled select by its visible text.
    pub async fn select(&mut self, section: Option<&str>, label: &str, option: &str) -> TestResult {
        self.again_if_rerendered(async |app: &mut App| app.select_once(section, label, option).await).await
    }

    async fn select_once(&mut self, section: Option<&str>, label: &str, option: &str) -> TestResult {
        let el = self.field(section, label).await?;
        self.pick_option(&el, option).await.map_err(|_| format!("no option « {option} » in « {label} »").into())
    }

    /// Picks an option of the select found by `css` by its visible text.
    pub async fn select_css(&mut self, css: &str, option: &str) -> TestResult {
        let el = self.wait_for(Locator::Css(css)).await?;
        self.pick_option(&el, option).await.map_err(|_| format!("no option « {option} » in {css}").into())
    }

    async fn pick_option(&mut self, el: &Element, option: &str) -> TestResult {
        // WebKitWebDriver reports option clicks as intercepted by the native popup: pick the
        // option the way the keyboard does, then announce the change as the browser would.
        let found = self
            .client
            .execute(
                "const [s, text] = arguments;
                 const o = [...s.options].find((o) => o.text.trim() === text);
                 if (!o) return false;
                 s.value = o.value;
                 s.dispatchEvent(new Event('input', { bubbles: true }));
                 s.dispatchEvent(new Event('change', { bubbles: true }));
                 return true;",
                vec![serde_json::to_value(el)?, serde_json::json!(option)],
            )
            .await?;
        if found != serde_json::json!(true) {
            return Err("no such option".into());
        }
        Ok(())
    }

    /// Clicks a radio button or checkbox by its label text.
    pub async fn choose(&mut self, section: Option<&str>, text: &str) -> TestResult {
        let scope = section.map_or(String::new(), |s| {
            format!("//fieldset[legend[starts-with(normalize-space(.), {})]]", xpath_literal(s))
        });
        let xpath = format!("{scope}//label[contains(@class, 'choice')][normalize-space(.)={}]", xpath_literal(text));
        self.click_found(&xpath).await
    }

    /// Opens an action of the complaint page by its button, fills its small form
    /// (`fields`: label → text, or for selects the option's text) and validates it.
    pub async fn act(&mut self, action: &str, fields: &[(&str, &str)]) -> TestResult {
        self.act_ticking(action, &[], fields).await
    }

    /// As [`App::act`], first ticking boxes: `ticks` are (the group's legend, the box's text).
    pub async fn act_ticking(&mut self, action: &str, ticks: &[(&str, &str)], fields: &[(&str, &str)]) -> TestResult {
        self.submit_action(action, ticks, fields).await?;
        self.wait_text(&format!("Enregistré : {action}.")).await
    }

    /// Opens an action, fills and validates it, and waits for the core's refusal `message`,
    /// shown in the form (above it, or next to the field concerned); returns with the form still open (what was typed kept).
    pub async fn act_refused(&mut self, action: &str, fields: &[(&str, &str)], message: &str) -> TestResult {
        self.submit_action(action, &[], fields).await?;
        let xpath = format!(
            "//form[@aria-label={}][.//*[(@role='alert' or contains(@class, 'field-error')) and contains(normalize-space(.), {})]]",
            xpath_literal(action),
            xpath_literal(message)
        );
        self.wait_for(Locator::XPath(&xpath)).await?;
        Ok(())
    }

    async fn submit_action(&mut self, action: &str, ticks: &[(&str, &str)], fields: &[(&str, &str)]) -> TestResult {
        let form = format!("//form[@aria-label={}]", xpath_literal(action));
        if self.client.find_all(Locator::XPath(&form)).await?.is_empty() {
            self.click_text(action).await?;
        }
        self.wait_for(Locator::XPath(&form)).await?;
        for (legend, text) in ticks {
            self.choose(Some(legend), text).await?;
        }
        for (label, value) in fields {
            let el = self.field(None, label).await?;
            if el.tag_name().await? == "select" {
                self.select(None, label, value).await?;
            } else {
                self.fill(None, label, value).await?;
            }
        }
        let submit = self.wait_for(Locator::XPath(&format!("{form}//button[normalize-space(.)='Valider']"))).await?;
        self.click(&submit).await
    }

    /// Adds an instructeur or an expert (`role`: « Instructeur » / « Expert ») to the register
    /// of intervenants, in Paramètres, with an address in Lyon.
    pub async fn add_intervenant(&mut self, role: &str, civility: &str, name: &str, speciality: &str) -> TestResult {
        self.click_text("Paramètres").await?;
        self.click_text("Ajouter un intervenant").await?;
        self.fill_intervenant(role, civility, name, speciality).await?;
        self.click_text("Enregistrer l’intervenant").await?;
        self.wait_text("Intervenant ajouté.").await
    }

    /// Fills the « Nouvel intervenant » form (the register's card must show it).
    pub async fn fill_intervenant(&mut self, role: &str, civility: &str, name: &str, speciality: &str) -> TestResult {
        self.select(None, "Rôle", role).await?;
        self.select(None, "Civilité", civility).await?;
        self.fill(None, "Nom de l’intervenant", name).await?;
        self.fill(None, "Spécialité", speciality).await?;
        self.fill(None, "Adresse (numéro et voie)", "5 rue Garibaldi").await?;
        self.fill(None, "Code postal", "69006").await?;
        self.fill(None, "Ville", "Lyon").await
    }

    /// Records, on the complaint page, the declaration of interests of `who` (as the list shows
    /// him: « M. Paul Girard — économiste »): `answer` is the radio button's text.
    pub async fn declare(&mut self, who: &str, answer: &str, comment: &str) -> TestResult {
        self.click_text("Enregistrer une déclaration").await?;
        self.select(None, "Qui déclare", who).await?;
        self.choose(Some("Réponse"), answer).await?;
        self.fill(None, "Commentaire", comment).await?;
        self.click_text("Enregistrer la déclaration").await?;
        // The page re-renders with the new row (a flash may still show from the one before).
        let row = format!(
            "//table[@aria-label='Déclarations d’intérêts']//tr[td[normalize-space(.)={}]]",
            xpath_literal(who.split(" — ").next().unwrap_or(who))
        );
        self.wait_for(Locator::XPath(&row)).await?;
        self.wait_text("Déclaration d’intérêts enregistrée.").await
    }

    /// Generates the letter `label` from the complaint page's « Courriers » card: « Générer »
    /// opens its preview, « Valider et archiver » archives it.
    pub async fn generate_letter(&mut self, label: &str) -> TestResult {
        self.click_text(&format!("Générer : {label}")).await?;
        self.validate_preview(label).await
    }

    /// « Valider et archiver » on the preview of `label` now shown.
    pub async fn validate_preview(&mut self, label: &str) -> TestResult {
        self.wait_for(Locator::XPath(&format!(
            "//h3[normalize-space(.)={}]",
            xpath_literal(&format!("Aperçu : {label}"))
        )))
        .await?;
        self.click_text("Valider et archiver").await?;
        self.wait_text(&format!("Courrier généré et archivé : {label}")).await
    }

    /// Marks the not-yet-sent letter `label` sent today (the form's default date), by simple
    /// post or, with `registered`, by registered post with that number.
    pub async fn mark_letter_sent(&mut self, label: &str, registered: Option<&str>) -> TestResult {
        let row = self
            .wait_for(Locator::XPath(&format!(
                "//table[@aria-label='Documents du dossier']//tr[td[2][starts-with(normalize-space(.), {})]][.//button[normalize-space(.)='Marquer envoyé']]",
                xpath_literal(label)
            )))
            .await?;
        let mark = row.find(Locator::XPath(".//button[normalize-space(.)='Marquer envoyé']")).await?;
        self.click(&mark).await?;
        if let Some(number) = registered {
            self.select(None, "Mode d’envoi", "Recommandé avec AR").await?;
            self.fill(None, "N° du recommandé", number).await?;
        }
        let submit = self
            .wait_for(Locator::XPath("//form[starts-with(@aria-label, 'Marquer envoyé')]//button[@type='submit']"))
            .await?;
        self.click(&submit).await?;
        self.wait_text(&format!("Courrier marqué envoyé : {label}.")).await
    }

    /// Generates the letter `label` and marks it sent by simple post.
    pub async fn send_letter(&mut self, label: &str) -> TestResult {
        self.generate_letter(label).await?;
        self.mark_letter_sent(label, None).await
    }

    /// Chooses who is working, in the sidebar's « Utilisateur » list.
    pub async fn choose_user(&mut self, name_and_role: &str) -> TestResult {
        self.wait_for(Locator::XPath(&format!(
            "//select[@id='current-user']/option[normalize-space(.)={}]",
            xpath_literal(name_and_role)
        )))
        .await?;
        self.select(None, "Utilisateur", name_and_role).await
    }

    /// The text of the clocks table row for `clock` (its code, e.g. `firm_answer`).
    pub async fn clock_text(&mut self, clock: &str) -> TestResult<String> {
        Ok(self.wait_for(Locator::Css(&format!("tr[data-clock='{clock}']"))).await?.text().await?)
    }

    pub async fn value(&mut self, section: Option<&str>, label: &str) -> TestResult<String> {
        let el = self.field(section, label).await?;
        Ok(el.prop("value").await?.ok_or_else(|| format!("« {label} » has no value"))?)
    }

    /// The visible text of the main area.
    pub async fn main_text(&mut self) -> TestResult<String> {
        Ok(self.client.find(Locator::Css("main")).await?.text().await?)
    }

    /// Waits until the main area shows `text`.
    pub async fn wait_text(&mut self, text: &str) -> TestResult {
        let xpath = format!("//main[contains(normalize-space(.), {})]", xpath_literal(text));
        self.wait_for(Locator::XPath(&xpath)).await?;
        Ok(())
    }

    pub async fn title(&mut self) -> TestResult<String> {
        Ok(self.client.title().await?)
    }

    /// Saves a PNG of the window under `target/e2e-screenshots/<name>.png`.
    pub async fn screenshot(&mut self, name: &str) -> TestResult<PathBuf> {
        // Let the page paint what the test just waited for.
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await?;
        // Drawn without GPU compositing (the app's default), WebKitWebDriver's capture behaves as
        // if it waited for the page's next paint: on a page with nothing left to paint it never
        // returns (docs/PERFORMANCE.md, « Compositing and memory »). A pixel in a corner, near-transparent, changes colour
        // every 50 ms while the capture is under way, so a paint always comes.
        self.client
            .execute(
                "let p = document.getElementById('e2e-paint');
                 if (!p) {
                   p = document.createElement('div');
                   p.id = 'e2e-paint';
                   p.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
                   document.documentElement.append(p);
                 }
                 let on = false;
                 clearInterval(window.e2ePaint);
                 window.e2ePaint = setInterval(() => { on = !on; p.style.background = on ? 'rgba(0,0,0,0.02)' : 'rgba(0,0,0,0.01)'; }, 50);",
                vec![],
            )
            .await?;
        let png = self.client.screenshot().await;
        self.client
            .execute("clearInterval(window.e2ePaint); document.getElementById('e2e-paint')?.remove();", vec![])
            .await?;
        let png = png?;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }
}

impl Drop for App {
    /// A test that fails before `quit` leaves no app behind for the tests after it.
    fn drop(&mut self) {
        self.stop_driver();
    }
}

fn tauri_driver() -> PathBuf {
    let home_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|c| c.join("bin/tauri-driver"));
    match home_bin {
        Some(p) if p.is_file() => p,
        _ => PathBuf::from("tauri-driver"),
    }
}

/// How [`connect`]'s failure begins.
const NO_SESSION: &str = "no WebDriver session";

async fn connect(port: u16) -> TestResult<Client> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "tauri:options".to_owned(),
        serde_json::json!({ "application": app_binary().canonicalize()?.display().to_string() }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        // tauri-driver needs a moment to listen; retry until it answers.
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return Ok(client),
            Err(e) if Instant::now() > deadline => return Err(format!("{NO_SESSION}: {e}").into()),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Whether an error says that an element found a moment ago was replaced by a re-render.
fn rerendered(e: &(dyn std::error::Error + Send + Sync)) -> bool {
    let text = format!("{e:?} {e}").to_lowercase();
    // WebKitWebDriver says « Node with identifier … was not found » for an element the page
    // replaced between finding and clicking it.
    text.contains("stale") || text.contains("nosuchelement") || text.contains("was not found")
}

/// An XPath string literal for any text (XPath 1.0 has no escapes).
pub fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else if !s.contains('"') {
        format!("\"{s}\"")
    } else {
        let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// Reads one value from the app's SQLite file (the real file the app wrote).
pub fn db_count(profile: &Profile, sql: &str) -> TestResult<i64> {
    let conn = rusqlite::Connection::open(profile.layout().database())?;
    Ok(conn.query_row(sql, [], |r| r.get(0))?)
}

/// Asserts that `text` (what `what` shows) contains each of `expected`, naming the first missing.
#[track_caller]
pub fn assert_contains_all(what: &str, text: &str, expected: &[&str]) {
    for part in expected {
        assert!(text.contains(part), "{what} lacks « {part} »:\n{text}");
    }
}
