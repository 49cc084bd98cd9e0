//! Instructeurs and experts: the register of intervenants in Paramètres (a refused form, then
//! two people added), and their declarations of interests on a registered complaint, shown on
//! its page and in its journal.

use fantoccini::Locator;
use reclamations_e2e::{assert_contains_all, App, Intake, Profile, TestResult};

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
