//! « Données d'une personne (droit d'accès) » in Paramètres: a complainant found by her name
//! typed without accents, and her data exported into a folder that holds her complaint and
//! nothing of anyone else's.

use fantoccini::Locator;
use reclamations_e2e::tools::{pdf_page_one_png, pdf_text};
use reclamations_e2e::{assert_contains_all, App, Civility, FirmChoice, Intake, Profile, TestResult};

#[tokio::test]
async fn a_complainants_data_are_exported_without_anyone_elses() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    let hers = Intake::complete()
        .civility(Civility::Madame)
        .complainant("Hélène Bézier")
        .email("helene.bezier@example.fr")
        .facts("Le métré remis était faux de 30 %.");
    assert_eq!(app.register(&hers).await?, "REC-2026-0001");
    let his = Intake::complete()
        .civility(Civility::Monsieur)
        .complainant("Marc Fontaine")
        .email("marc.fontaine@example.fr")
        .firm_choice(FirmChoice::New)
        .firm("Toitures Durand", "8 rue Neuve", "13001", "Marseille");
    assert_eq!(app.register(&his).await?, "REC-2026-0002");

    app.click_text("Paramètres").await?;
    app.wait_heading("Paramètres").await?;
    app.fill(None, "Nom ou adresse électronique", "helene bezier").await?;
    app.click_text("Chercher").await?;
    let table = app.wait_for(Locator::XPath("//table[@aria-label='Personnes trouvées']")).await?;
    let found = table.text().await?;
    assert_contains_all("matches", &found, &["Hélène Bézier", "Plaignant", "helene.bezier@example.fr"]);
    assert!(!found.contains("Fontaine"), "{found}");

    let target = profile.root.path().join("acces");
    std::fs::create_dir_all(&target)?;
    // The card's own folder field (the backups card above has one labelled alike).
    let folder = app
        .wait_for(Locator::XPath(
            "//section[@aria-labelledby='h-personal-data']//input[@placeholder='Dossier de destination']",
        ))
        .await?;
    app.click(&folder).await?;
    folder.send_keys(&target.display().to_string()).await?;
    app.click_text("Exporter dans ce dossier").await?;
    app.wait_text("Dossier exporté :").await?;
    app.screenshot("personal-data-export").await?;

    let dir = target.join("donnees-helene-bezier-2026-11-28");
    let pdf = dir.join("donnees-personnelles.pdf");
    assert!(pdf.is_file(), "no PDF in {}", dir.display());
    assert!(dir.join("manifeste-sha256.txt").is_file());
    if let Some(text) = pdf_text(&pdf)? {
        assert_contains_all(
            "PDF",
            &text,
            &["Données personnelles détenues sur Hélène Bézier", "REC-2026-0001", "helene.bezier@example.fr"],
        );
        for absent in ["REC-2026-0002", "Fontaine", "Toitures Durand"] {
            assert!(!text.contains(absent), "« {absent} » in the PDF:\n{text}");
        }
    }
    pdf_page_one_png(&pdf, "personal-data-pdf")?;

    // The same export again is refused, in French.
    app.click_text("Exporter dans ce dossier").await?;
    app.wait_text("existe déjà").await?;
    app.quit().await
}
