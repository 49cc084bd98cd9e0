//! End-to-end: the real app in a real window (Xvfb), driven through tauri-driver, each test in
//! its own temp data dir.

use fantoccini::Locator;
use reclamations_e2e::{db_count, App, Profile, TestResult, WINDOW_TITLE};

/// Fills the whole « Nouvelle réclamation » form for a complete registered-letter complaint.
async fn fill_complete_complaint(app: &mut App) -> TestResult {
    app.fill(Some("Réception"), "Date de réception", "20/11/2026").await?;
    app.select(Some("Réception"), "Adressée à", "Président").await?;
    app.choose(Some("Réception"), "Courrier recommandé").await?;
    app.fill(Some("Réception"), "N° de recommandé", "1A 123 456 7890 1").await?;
    app.choose(Some("Plaignant"), "Client du qualifié").await?;
    app.select(Some("Plaignant"), "Civilité", "Madame").await?;
    app.fill(Some("Plaignant"), "Nom du plaignant", "Claire Lefèvre").await?;
    app.fill(Some("Plaignant"), "Organisme", "SCI Les Tilleuls").await?;
    app.fill(Some("Plaignant"), "Adresse", "12 rue des Lilas\nBâtiment B").await?;
    app.fill(Some("Plaignant"), "Code postal", "69003").await?;
    app.fill(Some("Plaignant"), "Ville", "Lyon").await?;
    app.fill(Some("Plaignant"), "Courriel", "claire.lefevre@example.fr").await?;
    app.fill(Some("Plaignant"), "Téléphone", "04 78 00 00 00").await?;
    app.select(Some("Qualifié ou certifié"), "Qualifié", "+ Nouveau qualifié (le créer)").await?;
    app.fill(Some("Qualifié ou certifié"), "Raison sociale", "Économie Bâtiment Conseil").await?;
    app.fill(Some("Qualifié ou certifié"), "SIRET", "732 829 320 00074").await?;
    app.fill(Some("Qualifié ou certifié"), "Adresse du qualifié", "3 avenue Foch").await?;
    app.fill(Some("Qualifié ou certifié"), "Code postal du qualifié", "75016").await?;
    app.fill(Some("Qualifié ou certifié"), "Ville du qualifié", "Paris").await?;
    app.fill(Some("Réclamation"), "Faits reprochés", "Le métré remis le 3 septembre était faux de 30 %.").await?;
    app.fill(Some("Réclamation"), "Actions déjà menées", "Courrier au cabinet le 2 octobre, sans réponse.").await?;
    app.choose(Some("Réclamation"), "Prestations réalisées").await?;
    app.choose(Some("Réclamation"), "Déontologie").await?;
    Ok(())
}

async fn open_new_form(app: &mut App) -> TestResult {
    app.click_text("Réclamations").await?;
    app.click_text("Nouvelle réclamation").await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='Nouvelle réclamation']")).await?;
    Ok(())
}

/// Registers a complete complaint, finds it in the list, and finds every field again after the
/// app is closed and started again on the same data dir.
#[tokio::test]
async fn a_registered_complaint_survives_a_restart_intact() -> TestResult {
    let mut profile = Profile::new()?;
    profile.today = Some("2026-11-28".into());
    let mut app = App::launch(&profile).await?;
    app.screenshot("01-tableau-de-bord").await?;
    open_new_form(&mut app).await?;
    fill_complete_complaint(&mut app).await?;
    let completeness = app.client.find(Locator::Id("completeness")).await?.text().await?;
    assert!(completeness.starts_with("Réclamation complète"), "{completeness}");
    app.screenshot("02-nouvelle-reclamation").await?;
    app.click_text("Enregistrer la réclamation").await?;
    app.wait_text("Réclamation REC-2026-0001 enregistrée.").await?;
    app.screenshot("03-fiche-reclamation").await?;
    app.click_text("Réclamations").await?;
    app.wait_for(Locator::XPath("//table//a[normalize-space(.)='REC-2026-0001']")).await?;
    let list = app.main_text().await?;
    for expected in ["REC-2026-0001", "20/11/2026", "Claire Lefèvre", "Économie Bâtiment Conseil", "Enregistrée"] {
        assert!(list.contains(expected), "list lacks {expected}: {list}");
    }
    app.screenshot("04-liste-reclamations").await?;
    app.click_text("Qualifiés").await?;
    app.wait_text("732829320").await?;
    app.screenshot("05-qualifies").await?;
    app.quit().await?;

    let mut app = App::launch(&profile).await?;
    app.click_text("Réclamations").await?;
    let row = app.wait_for(Locator::XPath("//table//tr/td[normalize-space(.)='Claire Lefèvre']")).await?;
    app.click(&row).await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='REC-2026-0001']")).await?;
    let page = app.main_text().await?;
    for expected in [
        "Reçue le 20/11/2026",
        "Courrier recommandé n° 1A12345678901",
        "adressée au Président",
        "Client du qualifié",
        "Madame Claire Lefèvre",
        "SCI Les Tilleuls",
        "12 rue des Lilas",
        "Bâtiment B",
        "69003 Lyon",
        "claire.lefevre@example.fr",
        "04 78 00 00 00",
        "Économie Bâtiment Conseil",
        "73282932000074",
        "3 avenue Foch",
        "75016 Paris",
        "Qualifié",
        "Prestations réalisées, Déontologie",
        "Le métré remis le 3 septembre était faux de 30 %.",
        "Courrier au cabinet le 2 octobre, sans réponse.",
        "La réclamation est complète.",
        "Réclamation REC-2026-0001 enregistrée",
        "Enregistrée",
    ] {
        assert!(page.contains(expected), "page lacks « {expected} »:\n{page}");
    }
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaints")?, 1);
    // The two address lines typed stay two lines.
    let lines =
        app.client.execute("return [...document.querySelectorAll('.address')][0].children.length", vec![]).await?;
    assert_eq!(lines, serde_json::json!(3), "two street lines and the postcode + city line");
    assert_eq!(
        db_count(
            &profile,
            "SELECT count(*) FROM complainants WHERE address_lines = '12 rue des Lilas' || char(10) || 'Bâtiment B'"
        )?,
        1
    );
    app.quit().await
}

/// A form with missing fields shows the core's French messages next to the fields and keeps
/// everything typed; once corrected, it saves.
#[tokio::test]
async fn missing_fields_are_explained_and_the_typing_is_kept() -> TestResult {
    let mut profile = Profile::new()?;
    profile.today = Some("2026-11-28".into());
    let mut app = App::launch(&profile).await?;
    open_new_form(&mut app).await?;
    app.fill(Some("Réception"), "Date de réception", "30/11/2026").await?;
    app.fill(Some("Plaignant"), "Nom du plaignant", "Jean Dupont").await?;
    app.fill(Some("Plaignant"), "Code postal", "750").await?;
    app.fill(Some("Réclamation"), "Faits reprochés", "Honoraires facturés deux fois.").await?;
    app.click_text("Enregistrer la réclamation").await?;
    app.wait_text("champs sont à corriger").await?;
    let text = app.main_text().await?;
    for message in [
        "La date de réception ne peut pas être dans le futur.",
        "Indiquez si le plaignant est un client du qualifié ou un tiers.",
        "Le code postal compte 5 chiffres",
        "Indiquez la raison sociale du qualifié ou certifié.",
        "Cochez au moins une nature",
    ] {
        assert!(text.contains(message), "missing message « {message} »:\n{text}");
    }
    // The message sits next to its field: the date's error is described by the date input.
    let date = app.field(Some("Réception"), "Date de réception").await?;
    assert_eq!(date.attr("aria-invalid").await?.as_deref(), Some("true"));
    let error_id = date.attr("aria-describedby").await?.unwrap_or_default();
    let error = app.client.find(Locator::Id(&error_id)).await?.text().await?;
    assert_eq!(error, "La date de réception ne peut pas être dans le futur.");
    app.screenshot("06-formulaire-erreurs").await?;
    assert_eq!(app.value(Some("Plaignant"), "Nom du plaignant").await?, "Jean Dupont");
    assert_eq!(app.value(Some("Réclamation"), "Faits reprochés").await?, "Honoraires facturés deux fois.");
    assert_eq!(app.value(Some("Réception"), "Date de réception").await?, "30/11/2026");
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaints")?, 0);

    // Leaving the form and coming back keeps the typing too.
    app.click_text("Tableau de bord").await?;
    app.click_text("Nouvelle réclamation").await?;
    assert_eq!(app.value(Some("Plaignant"), "Nom du plaignant").await?, "Jean Dupont");

    app.fill(Some("Réception"), "Date de réception", "28/11/2026").await?;
    app.choose(Some("Plaignant"), "Tiers").await?;
    app.fill(Some("Plaignant"), "Code postal", "75011").await?;
    app.fill(Some("Plaignant"), "Adresse", "5 rue Oberkampf").await?;
    app.fill(Some("Plaignant"), "Ville", "Paris").await?;
    app.fill(Some("Qualifié ou certifié"), "Raison sociale", "Cabinet Martin").await?;
    app.choose(Some("Réclamation"), "Usage de la marque").await?;
    app.click_text("Enregistrer la réclamation").await?;
    app.wait_text("Réclamation REC-2026-0001 enregistrée.").await?;
    // No actions taken were typed: the complaint is recorded as incomplete.
    app.wait_text("Mention des actions déjà menées — manquant").await?;
    assert_eq!(db_count(&profile, "SELECT has_actions_taken FROM complaints")?, 0);
    app.quit().await
}

/// Complaint text is untrusted: markup and scripts are shown literally and never run.
#[tokio::test]
async fn hostile_text_is_shown_as_text_and_runs_nothing() -> TestResult {
    let mut profile = Profile::new()?;
    profile.today = Some("2026-11-28".into());
    let mut app = App::launch(&profile).await?;
    open_new_form(&mut app).await?;
    fill_complete_complaint(&mut app).await?;
    let img = r#"<img src=x onerror="document.title='pirate'">"#;
    let script = "<script>document.title='pirate'</script>";
    let svg = r#""><svg onload="window.__TAURI__.core.invoke('register_complaint',{form:{}})">"#;
    app.fill(Some("Réclamation"), "Faits reprochés", &format!("{img}\n{script}")).await?;
    app.fill(Some("Réclamation"), "Actions déjà menées", svg).await?;
    app.fill(Some("Plaignant"), "Organisme", "<b>Gras</b>").await?;
    app.click_text("Enregistrer la réclamation").await?;
    app.wait_text("Réclamation REC-2026-0001 enregistrée.").await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let page = app.main_text().await?;
    for literal in [img, script, "<b>Gras</b>", svg] {
        assert!(page.contains(literal), "« {literal} » not shown literally:\n{page}");
    }
    assert!(page.contains(&format!("{img}\n{script}")), "line break of the facts lost:\n{page}");
    assert_eq!(app.title().await?, WINDOW_TITLE);
    let injected = app
        .client
        .execute("return document.querySelectorAll('main img, main script, main svg, main b').length", vec![])
        .await?;
    assert_eq!(injected, serde_json::json!(0));
    app.screenshot("07-texte-hostile").await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaints")?, 1);
    app.quit().await
}

/// A corrupt data file stops the start with a native French dialog, never a silent exit.
#[tokio::test]
async fn a_corrupt_data_file_shows_a_french_dialog() -> TestResult {
    let profile = Profile::new()?;
    std::fs::create_dir_all(profile.data_dir())?;
    std::fs::write(profile.data_dir().join("reclamations.sqlite3"), vec![b'#'; 8192])?;
    let mut child = std::process::Command::new(reclamations_e2e::app_binary())
        .envs(profile.env())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    // Still running: the dialog waits for the user.
    let waiting = child.try_wait()?.is_none();
    let shot = reclamations_e2e::screenshot_dir().join("08-erreur-demarrage.png");
    std::fs::create_dir_all(reclamations_e2e::screenshot_dir())?;
    let _ = std::process::Command::new("import").args(["-window", "root"]).arg(&shot).status();
    child.kill()?;
    let output = child.wait_with_output()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(waiting, "the app exited instead of showing its dialog: {stderr}");
    assert!(stderr.contains("illisible ou endommagé"), "{stderr}");
    // The file is left as it was, for the support to look at.
    assert_eq!(std::fs::read(profile.data_dir().join("reclamations.sqlite3"))?, vec![b'#'; 8192]);
    Ok(())
}
