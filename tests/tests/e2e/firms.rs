//! The firms' register as the organisation keeps it: its own export (Windows-1252, one row per
//! firm and qualification) previewed, imported, imported again without change; the status from
//! the dated qualifications; a complaint against a firm whose qualification expired warned at
//! intake and declared inadmissible; qualifications and details corrected with their history.

use fantoccini::Locator;
use reclamations_e2e::{db_count, App, FirmChoice, Intake, Nature, Profile, Role, TestResult};
use std::path::Path;

/// The qualification software's export: « ; », Windows-1252, one row per firm and qualification,
/// a bad SIRET, a row without a name, a duplicated row.
fn export(path: &Path) -> TestResult {
    let text = [
        "N° qualifié;Raison sociale;SIRET;Adresse 1;Adresse 2;Code postal;Ville;E-mail;Tél.;Qualification;Date d'attribution;Fin de validité;RGE",
        "Q-0001;Économie Bâtiment Conseil;732 829 320 00074;3 avenue Foch;;75016;Paris;contact@ebc.fr;01 45 00 00 00;2.1 Économie de la construction;15/03/2023;14/03/2027;oui",
        "Q-0001;Économie Bâtiment Conseil;732 829 320 00074;3 avenue Foch;;75016;Paris;contact@ebc.fr;01 45 00 00 00;2.2 Métré;01/01/2017;31/12/2020;non",
        "Q-0002;Cabinet Œil du Métreur;12345678901234;12 rue des Lilas;Bât. B;69003;Lyon;oeil@metreur.fr;;2.1 Économie de la construction;01/01/2018;31/12/2020;non",
        "Q-0003;Études Réunies;;1 rue Haute;;33000;Bordeaux;etudes@reunies.fr;;2.3 Ordonnancement;01/02/2024;31/01/2028;non",
        "Q-0004;;;;;;;;;2.1 Économie de la construction;;;",
        "Q-0001;Économie Bâtiment Conseil;732 829 320 00074;3 avenue Foch;;75016;Paris;contact@ebc.fr;01 45 00 00 00;2.2 Métré;01/01/2017;31/12/2020;non",
    ]
    .join("\r\n");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    std::fs::write(path, bytes)?;
    Ok(())
}

/// From the firms' register, asks for the preview of importing `file`.
async fn preview_import(app: &mut App, file: &Path) -> TestResult {
    app.click_text("Qualifiés").await?;
    app.click_text("Importer un fichier").await?;
    app.fill(None, "Chemin du fichier", &file.display().to_string()).await?;
    app.click_text("Aperçu de l’import").await
}

/// Waits until the firms list shows exactly `expected`, in order (the list follows the search
/// box after a short pause).
async fn wait_listed(app: &mut App, expected: &[&str]) -> TestResult {
    let mut names: Vec<String> = Vec::new();
    for _ in 0..50 {
        let found = app
            .client
            .execute(
                "return [...document.querySelectorAll(\"table[aria-label='Registre des qualifiés'] tbody tr td:first-child\")]
                    .map((td) => td.textContent.trim());",
                vec![],
            )
            .await?;
        names = serde_json::from_value(found)?;
        if names == expected {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!("the firms list shows {names:?}, not {expected:?}").into())
}

#[tokio::test]
async fn the_organisations_export_is_previewed_imported_once_and_its_expired_firm_warned_at_intake() -> TestResult {
    let profile = Profile::on("2026-12-03")?;
    let file = profile.root.path().join("export-qualifiés.csv");
    export(&file)?;
    let mut app = App::launch(&profile).await?;
    preview_import(&mut app, &file).await?;
    app.wait_text("Aperçu (rien n’est encore enregistré)").await?;
    app.wait_text("3 nouveau(x), 0 modifié(s), 0 inchangé(s), 1 ligne(s) refusée(s)").await?;
    app.wait_text("Qualifications : 4 ajoutée(s)").await?;
    app.wait_text("Ligne 6 : raison sociale vide").await?;
    app.wait_text("N° qualifié → n° qualifié").await?;
    // A bad check digit comes in with a warning, the duplicated row is said.
    app.wait_for(Locator::XPath(
        "//tr[@data-firm='Cabinet Œil du Métreur']//ul[@class='warnings']/li[contains(., 'SIRET')]",
    ))
    .await?;
    app.wait_for(Locator::XPath("//tr[@data-firm='Économie Bâtiment Conseil']//li[contains(., 'déjà lue ligne 3')]"))
        .await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM firms")?, 0, "a preview keeps nothing");
    app.screenshot("32-import-apercu").await?;

    app.click_text("Importer ces qualifiés").await?;
    app.wait_text("Import terminé").await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM firm_qualifications")?, 4);
    assert_eq!(db_count(&profile, "SELECT count(*) FROM firm_imports WHERE file_name = 'export-qualifiés.csv'")?, 1);
    // The status as of today, from the dated qualifications.
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Registre des qualifiés']//tr[contains(., 'Cabinet Œil du Métreur')]//span[@data-standing='expired'][normalize-space(.)='Qualification expirée le 31/12/2020']",
    ))
    .await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Registre des qualifiés']//tr[contains(., 'Économie Bâtiment Conseil')]//span[normalize-space(.)='Qualifié jusqu’au 14/03/2027' or normalize-space(.)=\"Qualifié jusqu'au 14/03/2027\"]",
    ))
    .await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Registre des qualifiés']//tr[contains(., 'Cabinet Œil du Métreur')]//span[normalize-space(.)='SIRET à vérifier']",
    ))
    .await?;

    // The same file again changes nothing.
    preview_import(&mut app, &file).await?;
    app.wait_text("0 nouveau(x), 0 modifié(s), 3 inchangé(s)").await?;
    app.wait_text("Qualifications : 0 ajoutée(s), 0 modifiée(s)").await?;
    app.click_text("Importer ces qualifiés").await?;
    app.wait_text("Import terminé").await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM firm_history")?, 4, "only the four additions");

    // The filter « qualification expirée », and a search without accents.
    app.select(None, "Statut aujourd’hui", "Qualification expirée").await?;
    wait_listed(&mut app, &["Cabinet Œil du Métreur"]).await?;
    app.screenshot("33-qualifies-expires").await?;
    app.select(None, "Statut aujourd’hui", "Tous les qualifiés").await?;
    wait_listed(&mut app, &["Cabinet Œil du Métreur", "Économie Bâtiment Conseil", "Études Réunies"]).await?;
    app.fill(None, "Rechercher un qualifié", "oeil metreur").await?;
    wait_listed(&mut app, &["Cabinet Œil du Métreur"]).await?;
    app.fill(None, "Rechercher un qualifié", "732 829 320").await?;
    wait_listed(&mut app, &["Économie Bâtiment Conseil"]).await?;

    // A complaint against the firm whose qualification expired: warned, saved, inadmissible.
    let intake = Intake::blank()
        .received("27/11/2026")
        .role(Role::Client)
        .complainant("Claire Lefèvre")
        .email("claire.lefevre@example.fr")
        .complainant_address("4 rue des Tanneurs", "69001", "Lyon")
        .firm_choice(FirmChoice::Listed("Cabinet Œil du Métreur — n° Q-0002 — Lyon".into()))
        .facts("Le métré remis était faux de 30 %.")
        .actions_taken("Courrier au cabinet le 2 octobre, sans réponse.")
        .natures(&[Nature::Services]);
    app.open_intake_form().await?;
    app.fill_intake(&intake).await?;
    app.wait_for(Locator::XPath(
        "//div[@id='firm-scope'][contains(., 'Aucune qualification ni certification valide le 27/11/2026')][contains(., 'expirée le 31/12/2020')]",
    ))
    .await?;
    app.save_intake().await?;
    app.act("Déclarer irrecevable", &[("Motif de l'irrecevabilité", "hors du champ de la procédure")]).await?;
    app.wait_for(Locator::XPath("//span[@id='current-step'][normalize-space(.)='Irrecevable']")).await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaints WHERE step = 'inadmissible'")?, 1);
    app.quit().await
}

#[tokio::test]
async fn qualifications_and_details_are_corrected_with_their_history() -> TestResult {
    let profile = Profile::on("2026-12-03")?;
    let file = profile.root.path().join("export.csv");
    export(&file)?;
    let mut app = App::launch(&profile).await?;
    preview_import(&mut app, &file).await?;
    app.click_text("Importer ces qualifiés").await?;
    app.wait_text("Import terminé").await?;
    app.click_text("Cabinet Œil du Métreur").await?;
    app.wait_text("Dossier du qualifié — n° Q-0002").await?;
    app.wait_for(Locator::XPath(
        "//p[@class='firm-standing']//span[normalize-space(.)='Qualification expirée le 31/12/2020']",
    ))
    .await?;

    // The end date mistyped in the export, corrected from the firm file with a reason.
    app.click_text("Corriger").await?;
    app.fill(Some("Corriger 2.1"), "au", "31/12/2028").await?;
    app.click_text("Enregistrer la correction").await?;
    app.wait_text("Indiquez le motif de la correction").await?;
    app.fill(Some("Corriger 2.1"), "Motif", "Renouvellement oublié dans l’export").await?;
    app.click_text("Enregistrer la correction").await?;
    app.wait_text("Qualification corrigée.").await?;
    app.wait_for(Locator::XPath(
        "//p[@class='firm-standing']//span[normalize-space(.)=\"Qualifié jusqu'au 31/12/2028\"]",
    ))
    .await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Historique du qualifié']//tr[contains(., 'Fin de validité : 31/12/2020 → 31/12/2028')][contains(., 'Renouvellement oublié')]",
    ))
    .await?;

    // Ended early: the firm stopped its activity.
    app.click_text("Mettre fin").await?;
    app.fill(Some("Mettre fin à 2.1"), "Fin le", "30/11/2026").await?;
    app.fill(Some("Mettre fin à 2.1"), "Motif", "Cessation d’activité").await?;
    app.click_text("Mettre fin à la qualification").await?;
    app.wait_text("Qualification terminée.").await?;
    app.wait_for(Locator::XPath(
        "//p[@class='firm-standing']//span[normalize-space(.)='Qualification expirée le 30/11/2026']",
    ))
    .await?;

    // The firm moved: its details corrected, the old address kept in its history.
    app.click_text("Modifier").await?;
    app.fill(Some("Modifier le qualifié"), "Adresse", "8 quai Saint-Vincent").await?;
    app.fill(Some("Modifier le qualifié"), "Motif de la modification", "Déménagement").await?;
    app.click_text("Enregistrer le qualifié").await?;
    app.wait_text("Qualifié enregistré.").await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Historique du qualifié']//tr[contains(., 'Adresse : 12 rue des Lilas, Bât. B → 8 quai Saint-Vincent')][contains(., 'Déménagement')]",
    ))
    .await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM firm_history WHERE reason = 'Déménagement'")?, 1);
    app.screenshot("34-dossier-qualifie-historique").await?;

    // A new firm whose SIRET's check digit fails: refused once, then kept « à vérifier ».
    app.click_text("Qualifiés").await?;
    app.click_text("Nouveau qualifié").await?;
    app.fill(Some("Nouveau qualifié"), "Raison sociale", "Métrés du Sud").await?;
    app.fill(Some("Nouveau qualifié"), "SIRET", "732 829 320 00075").await?;
    app.click_text("Enregistrer le qualifié").await?;
    app.wait_text("La clé de contrôle de ce SIRET est incorrecte").await?;
    app.choose(Some("Nouveau qualifié"), "Garder ce SIRET (à vérifier)").await?;
    app.click_text("Enregistrer le qualifié").await?;
    app.wait_text("Qualifié enregistré.").await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='Métrés du Sud']")).await?;
    app.wait_text("SIRET à vérifier").await?;
    // Its first qualification, added by hand.
    app.fill(Some("Ajouter une qualification"), "Référence", "2.1").await?;
    app.fill(Some("Ajouter une qualification"), "Intitulé", "Économie de la construction").await?;
    app.fill(Some("Ajouter une qualification"), "Valide du", "01/01/2026").await?;
    app.fill(Some("Ajouter une qualification"), "au", "31/12/2029").await?;
    app.click_text("Ajouter").await?;
    app.wait_text("Qualification ajoutée.").await?;
    app.wait_for(Locator::XPath(
        "//p[@class='firm-standing']//span[normalize-space(.)=\"Qualifié jusqu'au 31/12/2029\"]",
    ))
    .await?;
    app.quit().await
}
