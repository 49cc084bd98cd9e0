//! Instructeurs and experts: the register of intervenants in Paramètres (a refused form, then
//! two people added), and their declarations of interests on a registered complaint, shown on
//! its page and in its journal; the declaration form generated for an intervenant to sign.

use fantoccini::Locator;
use reclamations_e2e::tools::{files_named, pdf_page_one_png, pdf_text};
use reclamations_e2e::{assert_contains_all, db_count, App, Intake, Profile, TestResult};

#[tokio::test]
async fn intervenants_are_registered_then_declare_their_interests() -> TestResult {
    let profile = Profile::on("2026-12-01")?;
    let mut app = App::launch(&profile).await?;
    assert_eq!(app.register(&Intake::complete()).await?, "REC-2026-0001");

    app.click_text("Paramètres").await?;
    app.click_text("Ajouter un intervenant").await?;
    app.fill_intervenant("Instructeur", "Monsieur", "Paul Girard", "économiste").await?;
    // Letters go to the address: a missing city is refused next to its field.
    app.fill(None, "Ville", "").await?;
    app.click_text("Enregistrer l’intervenant").await?;
    app.wait_for(Locator::XPath("//div[contains(@class,'invalid')][.//label[starts-with(normalize-space(.),'Ville')]]//p[normalize-space(.)='Indiquez la ville.']")).await?;
    app.fill(None, "Ville", "Lyon").await?;
    app.click_text("Enregistrer l’intervenant").await?;
    app.wait_text("Intervenant ajouté.").await?;
    app.click_text("Ajouter un intervenant").await?;
    app.fill_intervenant("Expert", "Madame", "Anne Roux", "métreur").await?;
    app.click_text("Enregistrer l’intervenant").await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Intervenants']//td[normalize-space(.)='Mme Anne Roux — métreur']",
    ))
    .await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Intervenants']//td[normalize-space(.)='M. Paul Girard — économiste']",
    ))
    .await?;
    // Only the experts when filtered.
    app.select(None, "Afficher", "Experts").await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Intervenants'][not(.//td[normalize-space(.)='M. Paul Girard — économiste'])]",
    ))
    .await?;
    let table = app.wait_for(Locator::XPath("//table[@aria-label='Intervenants']")).await?;
    app.client
        .execute("arguments[0].scrollIntoView({ block: 'center' });", vec![serde_json::to_value(&table)?])
        .await?;
    app.screenshot("60-intervenants").await?;

    app.click_text("Réclamations").await?;
    app.click_text("REC-2026-0001").await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='REC-2026-0001']")).await?;
    app.declare("M. Paul Girard — économiste", "Absence de conflit d’intérêts", "").await?;
    app.declare("Mme Anne Roux — métreur", "Conflit d’intérêts déclaré", "A travaillé pour le qualifié en 2025")
        .await?;

    let card = app.wait_for(Locator::Id("declarations")).await?;
    app.client.execute("arguments[0].scrollIntoView({ block: 'start' });", vec![serde_json::to_value(&card)?]).await?;
    let shown = card.text().await?;
    assert_contains_all(
        "the declarations card",
        &shown,
        &[
            "M. Paul Girard",
            "Instructeur",
            "Absence de conflit d'intérêts",
            "Mme Anne Roux",
            "Expert",
            "Conflit d'intérêts déclaré",
            "A travaillé pour le qualifié en 2025",
            "01/12/2026",
        ],
    );
    app.screenshot("61-declarations").await?;
    let page = app.main_text().await?;
    assert_contains_all(
        "the journal",
        &page,
        &[
            "Déclaration d'intérêts de M. Paul Girard (instructeur) le 01/12/2026 : absence de conflit d'intérêts avec le qualifié et le plaignant.",
            "Déclaration d'intérêts de Mme Anne Roux (expert) le 01/12/2026 : conflit d'intérêts déclaré (A travaillé pour le qualifié en 2025) ; ne peut pas intervenir sur ce dossier.",
        ],
    );
    app.quit().await
}

/// « Générer le formulaire à signer » in the real window: the command is allowed by the
/// capability (it once was not, and the click showed Tauri's English refusal), the PDF is archived
/// in the data dir and listed on the complaint page, and no error is shown.
#[tokio::test]
async fn the_declaration_form_is_generated_for_an_intervenant_to_sign() -> TestResult {
    let profile = Profile::on("2026-12-01")?;
    let mut app = App::launch(&profile).await?;
    assert_eq!(app.register(&Intake::complete()).await?, "REC-2026-0001");
    app.add_intervenant("Instructeur", "Monsieur", "Paul Girard", "économiste").await?;

    app.click_text("Réclamations").await?;
    app.click_text("REC-2026-0001").await?;
    app.wait_heading("REC-2026-0001").await?;
    app.click_text("Enregistrer une déclaration").await?;
    app.select(None, "Qui déclare", "M. Paul Girard — économiste").await?;
    app.click_text("Générer le formulaire à signer").await?;
    app.wait_text("Formulaire de déclaration généré et archivé : à envoyer depuis la carte « Courriers ».").await?;

    // Listed with the complaint's documents, not yet sent; no error anywhere on the page.
    let row = app
        .wait_for(Locator::XPath(
            "//table[@aria-label='Documents du dossier']//tr[td[2][contains(normalize-space(.), 'absence de conflit')]]",
        ))
        .await?;
    app.client.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![serde_json::to_value(&row)?]).await?;
    let shown = row.text().await?;
    assert_contains_all("the document's row", &shown, &["01/12/2026", "Instructeur", "À envoyer"]);
    let errors = app.client.find_all(Locator::Css(".banner-error, [role='alert']:not([hidden])")).await?;
    for e in errors {
        let text = e.text().await?;
        assert!(text.trim().is_empty(), "an error is shown: {text}");
    }
    app.screenshot("62-formulaire-declaration").await?;

    // Archived in the data dir, recorded and journaled.
    let files = files_named(&profile.data_dir().join("documents"), "conflict_declaration");
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].to_string_lossy().ends_with("REC-2026-0001/2026-12-01_conflict_declaration_v1.pdf"), "{files:?}");
    assert_eq!(db_count(&profile, "SELECT count(*) FROM documents WHERE kind = 'conflict_declaration'")?, 1);
    if let Some(text) = pdf_text(&files[0])? {
        assert_contains_all("the declaration form", &text, &["Paul Girard", "REC-2026-0001"]);
    }
    pdf_page_one_png(&files[0], "lettre-declaration-interets")?;
    let journal = app.client.find(Locator::Css("ol.timeline")).await?.text().await?;
    assert!(journal.contains("Courrier généré : Déclaration d"), "{journal}");
    app.quit().await
}
