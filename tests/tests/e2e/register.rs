//! Registering a complaint through the « Nouvelle réclamation » form: what is saved survives a
//! restart, and what is missing is explained next to its field.

use fantoccini::Locator;
use reclamations_e2e::{assert_contains_all, db_count, App, Intake, Nature, Profile, Role, TestResult};

/// Registers a complete complaint, finds it in the list, and finds every field again after the
/// app is closed and started again on the same data dir.
#[tokio::test]
async fn a_registered_complaint_survives_a_restart_intact() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    app.screenshot("01-tableau-de-bord").await?;
    app.open_intake_form().await?;
    app.fill_intake(&Intake::full()).await?;
    let completeness = app.client.find(Locator::Id("completeness")).await?.text().await?;
    assert!(completeness.starts_with("Réclamation complète"), "{completeness}");
    app.screenshot("02-nouvelle-reclamation").await?;
    assert_eq!(app.save_intake().await?, "REC-2026-0001");
    app.screenshot("03-fiche-reclamation").await?;
    app.click_text("Réclamations").await?;
    app.wait_for(Locator::XPath("//table//a[normalize-space(.)='REC-2026-0001']")).await?;
    let list = app.main_text().await?;
    assert_contains_all(
        "list",
        &list,
        &["REC-2026-0001", "20/11/2026", "Claire Lefèvre", "Économie Bâtiment Conseil", "Enregistrée"],
    );
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
    assert_contains_all(
        "page",
        &page,
        &[
            "Reçue le 20/11/2026",
            // Stored without spaces, shown as on La Poste's slip.
            "Courrier recommandé n° 1A 123 456 7890 1",
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
        ],
    );
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
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    app.open_intake_form().await?;
    let typed = Intake::blank()
        .received("30/11/2026")
        .complainant("Jean Dupont")
        .postcode("750")
        .facts("Honoraires facturés deux fois.");
    app.fill_intake(&typed).await?;
    app.click_text("Enregistrer la réclamation").await?;
    app.wait_text("champs sont à corriger").await?;
    let text = app.main_text().await?;
    let messages = [
        "La date de réception ne peut pas être dans le futur.",
        "Indiquez si le plaignant est un client du qualifié ou un tiers.",
        "Le code postal compte 5 chiffres",
        "Indiquez la raison sociale du qualifié ou certifié.",
        "Cochez au moins une nature",
    ];
    assert_contains_all("the form's messages", &text, &messages);
    // The message sits next to its field: the date's error is described by the date input.
    let date = app.field(Some("Réception"), "Date de réception").await?;
    assert_eq!(date.attr("aria-invalid").await?.as_deref(), Some("true"));
    let error_id = date.attr("aria-describedby").await?.ok_or("the date input has no aria-describedby")?;
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

    let corrections = Intake::blank()
        .received("28/11/2026")
        .role(Role::ThirdParty)
        .complainant_address("5 rue Oberkampf", "75011", "Paris")
        .firm_name("Cabinet Martin")
        .natures(&[Nature::MarkUse]);
    app.fill_intake(&corrections).await?;
    assert_eq!(app.save_intake().await?, "REC-2026-0001");
    // No actions taken were typed: the complaint is recorded as incomplete.
    app.wait_text("Mention des actions déjà menées — manquant").await?;
    assert_eq!(db_count(&profile, "SELECT has_actions_taken FROM complaints")?, 0);
    app.quit().await
}
