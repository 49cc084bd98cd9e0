//! The first start: the setup offered on an empty register, step by step, then the dashboard;
//! and the demonstration register, opened and closed without touching the real one.

use fantoccini::Locator;
use reclamations_e2e::{assert_contains_all, db_count, App, Profile, TestResult, SETUP_HEADING, WINDOW_TITLE};

fn setting(profile: &Profile, key: &str) -> TestResult<Option<String>> {
    let conn = rusqlite::Connection::open(profile.layout().database())?;
    match conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)) {
        Ok(v) => Ok(Some(v)),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[tokio::test]
async fn a_first_start_goes_through_the_setup_then_opens_the_dashboard() -> TestResult {
    let profile = Profile::on("2026-12-01")?;
    let usb = profile.root.path().join("cle-usb");
    std::fs::create_dir_all(&usb)?;
    let csv = profile.root.path().join("qualifies.csv");
    std::fs::write(
        &csv,
        "Raison sociale;SIRET;Adresse;Code postal;Ville;Qualifié\n\
         Économie Bâtiment Conseil;73282932000074;3 avenue Foch;75016;Paris;oui\n\
         Cabinet Durand;;1 rue Haute;33000;Bordeaux;oui\n",
    )?;

    let mut app = App::launch_first_start(&profile).await?;
    app.wait_heading(SETUP_HEADING).await?;
    app.screenshot("setup-0-bienvenue").await?;
    app.click_text("Commencer la configuration").await?;

    // 1. The organisation, prefilled: a change is saved by « Suivant » itself.
    app.wait_heading("Organisme et logo").await?;
    assert_eq!(app.value(None, "Nom de l’organisme").await?, "OPQTECC");
    // The signatories' names are not asked here: they are picked from the staff next.
    app.wait_text("Les noms des signataires se choisissent parmi le personnel").await?;
    assert!(!app.main_text().await?.contains("Nom de la Déléguée Générale"));
    app.fill(None, "Courriel de l’organisme", "pas-un-courriel").await?;
    app.click_text("Suivant").await?;
    // Refused: the step stays, with the message next to the field and what was typed kept.
    app.wait_for(Locator::XPath("//p[contains(@class, 'setup-status')][contains(., 'n’a pas pu être enregistré')]"))
        .await?;
    app.screenshot("setup-1-organisme-refus").await?;
    assert_eq!(app.value(None, "Courriel de l’organisme").await?, "pas-un-courriel");
    app.wait_heading("Organisme et logo").await?;
    app.fill(None, "Courriel de l’organisme", "secretariat@opqtecc.example").await?;
    // The logo, from a file.
    let logo = reclamations_e2e::workspace_root().join("tests/fixtures/logo-rouge.png");
    app.fill(None, "ou le fichier du logo", &logo.display().to_string()).await?;
    app.click_text("Utiliser ce fichier").await?;
    app.wait_text("logo-rouge.png — 120 × 60 pixels").await?;
    app.screenshot("setup-1-organisme").await?;
    app.click_text("Suivant").await?;

    // 2. Staff: a person typed but not added keeps the step, then is added.
    app.wait_heading("Personnel et signataires").await?;
    app.fill(None, "Nom", "Claire Dubois").await?;
    app.fill(None, "Fonction", "Assistante qualification").await?;
    app.click_text("Suivant").await?;
    app.wait_text("n’est pas encore enregistré").await?;
    app.wait_heading("Personnel et signataires").await?;
    app.click_text("Ajouter").await?;
    app.wait_for(Locator::XPath("//table[@aria-label='Personnel']//td[normalize-space(.)='Claire Dubois']")).await?;
    // She signs the letters: picked once, her name goes to the organisation's signatories.
    app.select_css("select[aria-label='Signataire : Claire Dubois']", "Déléguée Générale").await?;
    app.wait_text("Claire Dubois : Déléguée Générale.").await?;
    app.screenshot("setup-2-personnel").await?;
    app.click_text("Suivant").await?;

    // 3. The backup destination, saved by « Suivant ».
    app.wait_heading("Sauvegarde externe").await?;
    app.fill(None, "Destination des sauvegardes automatiques", &usb.display().to_string()).await?;
    app.screenshot("setup-3-sauvegarde").await?;
    app.click_text("Suivant").await?;

    // 4. The firms' import, optional: done here.
    app.wait_heading("Registre des qualifiés").await?;
    app.fill(None, "Chemin du fichier", &csv.display().to_string()).await?;
    app.click_text("Aperçu de l’import").await?;
    app.wait_text("2 nouveau(x)").await?;
    app.click_text("Importer ces qualifiés").await?;
    app.wait_text("Import terminé").await?;
    app.screenshot("setup-4-qualifies").await?;
    app.click_text("Terminer").await?;

    app.wait_heading("Tableau de bord").await?;
    app.wait_text("Configuration terminée").await?;
    app.wait_text("Pour commencer").await?;
    // Staff, backup destination and firms are marked done; the first complaint is still to come.
    let done = app
        .client
        .find_all(Locator::XPath("//ol[contains(@class, 'first-steps')]/li[contains(@class, 'done')]"))
        .await?;
    assert_eq!(done.len(), 3);
    app.screenshot("setup-5-tableau-de-bord").await?;
    // The user picker offers the person added.
    app.wait_for(Locator::XPath("//select[@id='current-user']/option[contains(., 'Claire Dubois')]")).await?;
    app.quit().await?;

    // What the setup saved is in the register's file.
    assert!(setting(&profile, "setup.completed")?.is_some_and(|v| v == "2026-12-01 terminée"));
    assert!(setting(&profile, "organisation")?.is_some_and(|v| v.contains("secretariat@opqtecc.example")));
    assert!(
        setting(&profile, "organisation")?.is_some_and(|v| v.contains("\"general_delegate_name\":\"Claire Dubois\"")),
        "the signatory's name, typed once"
    );
    assert_eq!(setting(&profile, "backup.destination")?.as_deref(), Some(usb.display().to_string().as_str()));
    assert_eq!(db_count(&profile, "SELECT COUNT(*) FROM staff WHERE name = 'Claire Dubois'")?, 1);
    assert_eq!(db_count(&profile, "SELECT COUNT(*) FROM firms")?, 2);
    assert_eq!(db_count(&profile, "SELECT COUNT(*) FROM organisation_logo WHERE file_name = 'logo-rouge.png'")?, 1);

    // Once done, the next start opens on the dashboard.
    let mut app = App::launch_first_start(&profile).await?;
    app.wait_heading("Tableau de bord").await?;
    app.quit().await
}

#[tokio::test]
async fn the_demonstration_opens_apart_and_closes_leaving_the_real_register_untouched() -> TestResult {
    let profile = Profile::on("2026-12-01")?;
    let demo_dir = profile.root.path().join("data-demonstration");
    let mut app = App::launch_first_start(&profile).await?;
    app.wait_heading(SETUP_HEADING).await?;
    let staff_before = db_count(&profile, "SELECT COUNT(*) FROM staff")?;

    app.click_text("Essayer avec des données de démonstration").await?;
    wait_for_the_demonstration(&mut app).await?;
    app.wait_heading("Tableau de bord").await?;
    app.wait_for(Locator::Css(".counts a.count")).await?;
    assert_eq!(app.title().await?, "Réclamations — DÉMONSTRATION");
    let banner = app.client.find(Locator::Css("#demo-banner")).await?.text().await?;
    assert_contains_all("the banner", &banner, &["Données de démonstration", "Quitter la démonstration"]);
    app.screenshot("demo-1-tableau-de-bord").await?;

    // A separate folder, marked, with the generated register.
    assert!(demo_dir.join("DEMONSTRATION.txt").is_file());
    let demo = rusqlite::Connection::open(demo_dir.join("reclamations.sqlite3"))?;
    let complaints: i64 = demo.query_row("SELECT COUNT(*) FROM complaints", [], |r| r.get(0))?;
    assert_eq!(complaints, reclamations_core::demo::VOLUME.complaints as i64);
    drop(demo);

    // A letter printed in the demonstration says so: the organisation's name is marked. (The
    // demonstration's files already hold the letters their procedure sent.)
    let before = reclamations_e2e::tools::files_named(&demo_dir.join("documents"), ".pdf");
    assert!(!before.is_empty(), "the demonstration's letters are archived");
    app.choose_user("Sophie Martin (Assistante qualification)").await?;
    app.click_text("Générer : Relance du qualifié").await?;
    app.validate_preview("Relance du qualifié").await?;
    let letters: Vec<_> = reclamations_e2e::tools::files_named(&demo_dir.join("documents"), ".pdf")
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    assert_eq!(letters.len(), 1, "{letters:?}");
    if let Some(text) = reclamations_e2e::tools::pdf_text(&letters[0])? {
        assert_contains_all("the demonstration's letter", &text, &["OPQTECC — DÉMONSTRATION"]);
        reclamations_e2e::tools::pdf_page_one_png(&letters[0], "demo-relance")?;
    }
    app.click_text("Réclamations").await?;
    app.wait_for(Locator::XPath("//main[not(@aria-busy)]//table//a[starts-with(normalize-space(.), 'REC-')]")).await?;
    app.screenshot("demo-2-reclamations").await?;

    // Something done in the demonstration stays in it.
    app.click_text("Paramètres").await?;
    app.fill(None, "Nom", "Personne de démonstration").await?;
    app.click_text("Ajouter").await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Personnel']//td[normalize-space(.)='Personne de démonstration']",
    ))
    .await?;
    // Backing up the demonstration (into the real register's repository) is refused.
    let usb = profile.root.path().join("cle-usb");
    std::fs::create_dir_all(&usb)?;
    app.fill(None, "Destination des sauvegardes automatiques", &usb.display().to_string()).await?;
    app.click_text("Enregistrer : sauvegardes externes").await?;
    app.wait_text("La démonstration n'est ni sauvegardée ni restaurée").await?;
    assert_eq!(std::fs::read_dir(&usb)?.count(), 0, "nothing written to the destination");
    assert_eq!(db_count(&profile, "SELECT COUNT(*) FROM complaints")?, 0, "the real register has no complaint");
    assert_eq!(db_count(&profile, "SELECT COUNT(*) FROM staff")?, staff_before);

    app.click_text("Quitter la démonstration").await?;
    // Back on the real register, still at its first start.
    app.wait_heading(SETUP_HEADING).await?;
    assert!(app.client.find(Locator::Css("#demo-banner[hidden]")).await.is_ok(), "the banner is gone");
    assert_eq!(app.title().await?, WINDOW_TITLE);
    assert!(!demo_dir.exists(), "the demonstration folder is deleted on leaving it");
    app.screenshot("demo-3-retour").await?;
    app.quit().await?;

    assert_eq!(db_count(&profile, "SELECT COUNT(*) FROM complaints")?, 0);
    assert_eq!(db_count(&profile, "SELECT COUNT(*) FROM firms")?, 0);
    assert_eq!(db_count(&profile, "SELECT COUNT(*) FROM staff")?, staff_before);
    assert_eq!(db_count(&profile, "SELECT COUNT(*) FROM staff WHERE name = 'Personne de démonstration'")?, 0);
    assert_eq!(setting(&profile, "setup.completed")?, None, "the real register's setup is still to do");
    Ok(())
}

/// Waits for the demonstration's banner: the register is made through the real procedure, its
/// letters rendered one by one (a few seconds in a release build, about twenty in the debug
/// build these tests run).
pub(crate) async fn wait_for_the_demonstration(app: &mut App) -> TestResult {
    let mut tries = 0;
    loop {
        match app.wait_for(Locator::Css("#demo-banner:not([hidden])")).await {
            Ok(_) => return Ok(()),
            Err(e) if tries >= 5 => return Err(e),
            Err(_) => tries += 1,
        }
    }
}
