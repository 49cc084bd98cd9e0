//! The register kept before the application comes in: a spreadsheet of old complaints
//! previewed (columns mapped, one remapped by hand, an unknown firm taken as one of the
//! register, a bad line refused), imported at once; an imported open complaint shows its old
//! reference, a journal that starts with the import and obligations « antérieur à
//! l'application », and goes on through the procedure to its closing; the same file again adds
//! nothing.

use fantoccini::Locator;
use reclamations_e2e::{db_count, xpath_literal, App, Profile, TestResult};
use std::path::Path;

/// The firms register, so that the firm has an address for its letters.
fn firms(path: &Path) -> TestResult {
    let text = "N° qualifié;Raison sociale;Adresse;Code postal;Ville\n\
                Q-0001;Bâtir Conseil;8 rue du Chantier;75002;Paris\n";
    std::fs::write(path, text)?;
    Ok(())
}

/// The old register: closed, open and overrun complaints; a firm under another name; a
/// column the app does not know (« Observations »); a date that cannot be read.
fn old_register(path: &Path) -> TestResult {
    let text = [
        "N° réclamation;Reçue le;Canal;Plaignant;Qualité;Adresse;Code postal;Ville;N° qualifié;Entreprise;Nature;Faits;Observations;AR le;Qualifié informé le;Réponse du qualifié le;Décision;Date de décision;Clôturée le",
        "2021-004;04/03/2021;Courrier;M. Ancien;client;1 rue Vieille;75001;Paris;Q-0001;Bâtir Conseil;Prestations;Chiffrage faux;Appels sans suite;08/03/2021;20/03/2021;10/04/2021;Avertissement;01/06/2021;05/06/2021",
        "2026-027;05/10/2026;Courrier;Mme Attente;client;4 rue Basse;13001;Marseille;Q-0001;;Usage de la marque;Logo utilisé sans droit;Courrier au cabinet resté sans réponse;07/10/2026;;;;;",
        "2026-015;01/06/2025;LRAR;M. Retard;client;6 rue Lente;35000;Rennes;;Batir-Conseil SARL;Prestations;Métrés faux;;03/06/2025;10/06/2025;;;;",
        "2026-040;31/02/2026;Courrier;M. Illisible;client;;;;Q-0001;;Prestations;;;;;;;;",
        "2024-009;12/02/2024;courriel;Mme Close;tiers;7 rue Vive;44000;Nantes;Q-0001;;Déontologie;Propos déplacés;;14/02/2024;;;Classement sans suite;10/05/2024;12/05/2024",
    ]
    .join("\n");
    std::fs::write(path, text)?;
    Ok(())
}

/// Waits until `condition` (a JavaScript expression) holds and no preview is running.
async fn settled(app: &mut App, condition: &str) -> TestResult {
    let script = format!("return !document.querySelector(\"[aria-busy='true']\") && ({condition});");
    for _ in 0..100 {
        if app.client.execute(&script, vec![]).await? == serde_json::json!(true) {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!("still not so: {condition}").into())
}

async fn preview(app: &mut App, file: &Path) -> TestResult {
    app.click_text("Réclamations").await?;
    app.click_text("Reprendre l’ancien registre").await?;
    app.fill(None, "Chemin du fichier", &file.display().to_string()).await?;
    app.click_text("Aperçu de la reprise").await
}

async fn step(app: &mut App) -> TestResult<String> {
    Ok(app.client.find(Locator::Id("current-step")).await?.text().await?)
}

#[tokio::test]
async fn the_old_register_is_previewed_imported_and_its_open_complaint_goes_on_to_its_closing() -> TestResult {
    let profile = Profile::on("2026-12-03")?;
    let firms_file = profile.root.path().join("qualifies.csv");
    firms(&firms_file)?;
    let sheet = profile.root.path().join("ancien-registre.csv");
    old_register(&sheet)?;
    let mut app = App::launch(&profile).await?;
    app.click_text("Qualifiés").await?;
    app.click_text("Importer un fichier").await?;
    app.fill(None, "Chemin du fichier", &firms_file.display().to_string()).await?;
    app.click_text("Aperçu de l’import").await?;
    app.click_text("Importer ces qualifiés").await?;
    app.wait_text("Import terminé").await?;

    preview(&mut app, &sheet).await?;
    app.wait_text("Aperçu (rien n’est encore enregistré)").await?;
    app.wait_text("Ligne 5 : date de réception illisible (« 31/02/2026 »)").await?;
    app.wait_text("4 réclamations à reprendre, dont 2 en cours").await?;
    // « Batir-Conseil SARL » is not the register's name: listed, to create or to choose.
    app.wait_text("Qualifiés inconnus du registre (1)").await?;
    app.wait_text("1 qualifié à créer").await?;
    app.select_css("select[data-firm-key='r:batirconseilsarl']", "Bâtir Conseil (n° Q-0001)").await?;
    app.wait_text("0 qualifié à créer").await?;
    settled(&mut app, "true").await?;
    // The unknown column, mapped by hand to the actions already taken.
    app.click_found("//summary[normalize-space(.)='Colonnes du fichier et champs repris (modifiables)']").await?;
    app.select_css("select[data-column='Observations']", "Actions déjà menées").await?;
    settled(&mut app, "document.querySelector(\"select[data-column='Observations']\")?.value === 'actions_taken'")
        .await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaints")?, 0, "a preview keeps nothing");
    app.screenshot("60-reprise-apercu").await?;

    app.click_text("Reprendre 4 réclamations").await?;
    app.wait_text("Reprise terminée").await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaints WHERE register_import_id IS NOT NULL")?, 4);
    assert_eq!(db_count(&profile, "SELECT count(*) FROM firms")?, 1);
    assert_eq!(
        db_count(
            &profile,
            "SELECT count(*) FROM complaints WHERE actions_taken = 'Courrier au cabinet resté sans réponse'"
        )?,
        1
    );
    app.screenshot("61-reprise-terminee").await?;

    // The open one, by its old reference in the list's search.
    app.click_text("Réclamations").await?;
    app.fill(None, "Rechercher", "2026-027").await?;
    app.wait_for(Locator::XPath("//table[@aria-label='Liste des réclamations']//tr[contains(., 'Mme Attente')]"))
        .await?;
    app.click_text("REC-2026-0001").await?;
    app.wait_text("Ancienne référence : 2026-027 (reprise de l’ancien registre)").await?;
    assert_eq!(step(&mut app).await?, "Complète (recevable)");
    let page = app.main_text().await?;
    assert!(page.contains("antérieur à l'application (repris de l'ancien registre)"), "{page}");
    assert!(
        page.contains("Repris de l'ancien registre le 03/12/2026 (fichier « ancien-registre.csv », SHA-256"),
        "{page}"
    );
    assert!(page.contains("D'après l'ancien registre : accusé de réception le 07/10/2026."), "{page}");
    app.screenshot("62-reprise-dossier").await?;

    // From the import on, as any complaint.
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    app.send_letter("Information du qualifié").await?;
    assert_eq!(step(&mut app).await?, "Qualifié informé");
    app.act("Enregistrer la réponse du qualifié", &[("Résumé de la réponse", "Le logo a été retiré du site.")]).await?;
    app.act(
        "Enregistrer la décision",
        &[
            ("Décision", "Avertissement"),
            ("Décidée par", "Responsable des Qualifications"),
            ("Motifs adressés au plaignant", "Usage du logo sans droit établi."),
            ("Motifs adressés au qualifié", "Le logo ne peut figurer que sur les documents d'un qualifié."),
        ],
    )
    .await?;
    app.send_letter("Décision : avertissement (plaignant)").await?;
    app.send_letter("Décision : avertissement (qualifié)").await?;
    app.act("Clore le dossier", &[]).await?;
    assert_eq!(step(&mut app).await?, "Clôturée");
    let sent = app
        .client
        .find_all(Locator::XPath(&format!(
            "//*[contains(normalize-space(.), {})]",
            xpath_literal("antérieur à l'application")
        )))
        .await?;
    assert!(!sent.is_empty(), "the acknowledgement before the import stays « antérieur à l'application »");

    // The firm's file, from the complaint: the imported complaints are in it.
    app.wait_for(Locator::XPath("//section[@aria-labelledby='h-qualifie']//a[normalize-space(.)='Bâtir Conseil']"))
        .await?;
    // By its text: the page may render again after the closing.
    app.click_text("Bâtir Conseil").await?;
    app.wait_heading("Bâtir Conseil").await?;
    app.wait_text("REC-2021-0001").await?;
    // Each archived letter opens from the firm's file (the system viewer; none under Xvfb).
    app.click_found("//table[@aria-label='Documents du qualifié']//button[.='Ouvrir']").await?;
    app.screenshot("63-reprise-fiche-qualifie").await?;

    // The same file again adds nothing.
    preview(&mut app, &sheet).await?;
    app.wait_text("0 réclamation à reprendre").await?;
    app.wait_text("4 réclamations déjà au registre").await?;
    assert!(app.client.find_all(Locator::XPath("//button[starts-with(., 'Reprendre ')]")).await?.is_empty());
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaints")?, 4);
    app.quit().await
}
