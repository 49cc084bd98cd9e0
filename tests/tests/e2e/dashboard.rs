//! The dashboard and the list's instant search: an overdue answer in red, then both on a large
//! data dir.

use fantoccini::Locator;
use reclamations_e2e::tools::pdf_text;
use reclamations_e2e::{assert_contains_all, db_count, App, Intake, Population, Profile, TestResult};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Every file under `dir` whose name contains `part`.
fn files_named(dir: &Path, part: &str) -> TestResult<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(files_named(&path, part)?);
        } else if path.file_name().is_some_and(|n| n.to_string_lossy().contains(part)) {
            out.push(path);
        }
    }
    Ok(out)
}

/// Registers a complete complaint received on 05/02/2026 and takes it to « Qualifié informé ».
async fn register_and_inform(app: &mut App) -> TestResult {
    let intake = Intake::complete()
        .received("05/02/2026")
        .complainant("Hélène Besnard")
        .complainant_address("4 rue Pasteur", "21000", "Dijon")
        .firm("Atelier Chiffrage Noël", "9 quai de Saône", "69009", "Lyon")
        .facts("Le métré du lot charpente comptait deux fois les fermettes.")
        .actions_taken("Deux courriels restés sans réponse.");
    assert_eq!(app.register(&intake).await?, "REC-2026-0001");
    app.act("Accuser réception (réclamation complète)", &[]).await?;
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    app.act("Informer le qualifié", &[("Moyen", "Téléphone"), ("Résumé de l'échange", "Appel au gérant du cabinet.")])
        .await
}

#[tokio::test]
async fn the_dashboard_shows_an_overdue_answer_in_red_and_search_finds_it() -> TestResult {
    let mut profile = Profile::on("2026-02-10")?;
    let mut app = App::launch(&profile).await?;
    register_and_inform(&mut app).await?; // firm informed 10/02/2026: answer due 10/03/2026
    app.quit().await?;

    profile.today = Some("2026-03-12".into());
    let mut app = App::launch(&profile).await?;
    let row = app.wait_for(Locator::Css("table[aria-label='À faire'] tr[data-category='overdue']")).await?;
    assert_eq!(row.attr("class").await?.as_deref(), Some("due due-red"));
    let text = row.text().await?;
    assert_contains_all(
        "dashboard row",
        &text,
        &[
            "REC-2026-0001",
            "Hélène Besnard",
            "Réponse du qualifié : échéance dépassée",
            "mardi 10/03/2026",
            "2 j de retard",
        ],
    );
    app.screenshot("30-tableau-de-bord").await?;

    app.click_text("Réclamations").await?;
    app.fill(None, "Rechercher", "fermettes").await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Liste des réclamations']//a[normalize-space(.)='REC-2026-0001']",
    ))
    .await?;
    app.wait_text("1–1 sur 1 réclamation(s)").await?;
    app.fill(None, "Rechercher", "BESNARD charp").await?;
    app.wait_text("1–1 sur 1 réclamation(s)").await?;
    app.fill(None, "Rechercher", "introuvable").await?;
    app.wait_text("Aucune réclamation ne correspond.").await?;
    app.fill(None, "Rechercher", "").await?;
    let overdue = app.wait_for(Locator::XPath("//label[contains(., 'En retard seulement')]")).await?;
    app.click(&overdue).await?;
    app.wait_text("1–1 sur 1 réclamation(s)").await?;
    app.screenshot("31-recherche").await?;
    app.quit().await
}

#[tokio::test]
async fn the_dashboard_generates_the_reminder_of_an_overdue_answer_with_its_new_date() -> TestResult {
    let mut profile = Profile::on("2026-02-10")?;
    let mut app = App::launch(&profile).await?;
    register_and_inform(&mut app).await?; // by phone on 10/02/2026: answer due 10/03/2026
    app.quit().await?;

    // 12/03/2026: overdue; the reminder gives 12/03 + 15 days = Friday 27/03/2026.
    profile.today = Some("2026-03-12".into());
    let mut app = App::launch(&profile).await?;
    let button = app
        .wait_for(Locator::Css(
            "table[aria-label='À faire'] tr[data-category='overdue'] button[data-reminder='firm_reminder']",
        ))
        .await?;
    assert_eq!(button.text().await?, "Générer : Relance du qualifié");
    // The complaint's page opens on the letter's preview, to check it before it is archived.
    app.click(&button).await?;
    app.validate_preview("Relance du qualifié").await?;
    app.click_text("Tableau de bord").await?;
    // Now listed as a letter to send.
    let row = app.wait_for(Locator::Css("table[aria-label='À faire'] tr[data-category='letter_to_send']")).await?;
    assert!(row.text().await?.contains("Courrier à envoyer : Relance du qualifié"));
    app.screenshot("32-tableau-de-bord-relance").await?;
    assert_eq!(
        db_count(&profile, "SELECT count(*) FROM documents WHERE kind = 'firm_reminder' AND due_on = '2026-03-27'")?,
        1
    );
    let files = files_named(&profile.data_dir().join("documents"), "firm_reminder")?;
    assert_eq!(files.len(), 1, "{files:?}");
    if let Some(text) = pdf_text(&files[0])? {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ").replace('’', "'");
        assert_contains_all(
            "reminder PDF",
            &text,
            &[
                "Relance",
                "REC-2026-0001",
                "Le 10 février 2026, nous vous avons informé",
                "au plus tard le 27 mars 2026",
            ],
        );
    }
    app.quit().await
}

#[tokio::test]
async fn a_complete_complaint_left_untransmitted_is_listed_with_its_wait_then_its_decision_letters_offered_once(
) -> TestResult {
    let mut profile = Profile::on("2026-02-10")?;
    let mut app = App::launch(&profile).await?;
    let intake = Intake::complete()
        .received("05/02/2026")
        .complainant("Hélène Besnard")
        .complainant_address("4 rue Pasteur", "21000", "Dijon")
        .firm("Atelier Chiffrage Noël", "9 quai de Saône", "69009", "Lyon");
    assert_eq!(app.register(&intake).await?, "REC-2026-0001");
    app.act("Accuser réception (réclamation complète)", &[]).await?; // complete on 10/02/2026
    app.quit().await?;

    // Two months later, never passed to the Responsable: in « À faire », in red, with its wait.
    profile.today = Some("2026-04-10".into());
    let mut app = App::launch(&profile).await?;
    let row = app.wait_for(Locator::Css("table[aria-label='À faire'] tr[data-category='to_transmit']")).await?;
    assert_eq!(row.attr("class").await?.as_deref(), Some("due due-red"));
    assert_contains_all(
        "row to transmit",
        &row.text().await?,
        &[
            "À transmettre",
            "REC-2026-0001",
            "Hélène Besnard",
            "Réclamation complète à transmettre au Responsable",
            "depuis le 10/02/2026",
            "attend depuis 59 j",
        ],
    );
    app.screenshot("36-tableau-de-bord-a-transmettre").await?;

    // Transmitted, the firm informed, a warning decided: its two letters are to make.
    app.click_text("REC-2026-0001").await?;
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    app.act("Informer le qualifié", &[("Moyen", "Téléphone"), ("Résumé de l'échange", "Appel au gérant.")]).await?;
    app.act(
        "Enregistrer la décision",
        &[
            ("Décision", "Avertissement"),
            ("Motifs adressés au plaignant", "Le cabinet a reconnu l'erreur."),
            ("Motifs adressés au qualifié", "Métré erroné de 30 %."),
            ("Décision sans attendre la réponse du qualifié : motif", "Le cabinet a reconnu les faits par téléphone."),
        ],
    )
    .await?;
    app.click_text("Tableau de bord").await?;
    let notify = "table[aria-label='À faire'] tr[data-category='to_notify']";
    let row = app.wait_for(Locator::Css(notify)).await?;
    assert!(row.text().await?.contains("Courriers à préparer : le courrier de décision au plaignant"));
    let button = app.wait_for(Locator::Css(&format!("{notify} button[data-letter='decision_warning_firm']"))).await?;
    assert_eq!(button.text().await?, "Générer : Décision : avertissement (qualifié)");
    app.click(&button).await?;
    app.validate_preview("Décision : avertissement (qualifié)").await?;
    app.click_text("Tableau de bord").await?;
    // Made: listed « à envoyer », no longer offered; the other one still is.
    let to_send = app.wait_for(Locator::Css("table[aria-label='À faire'] tr[data-category='letter_to_send']")).await?;
    assert!(to_send.text().await?.contains("Courrier à envoyer : Décision : avertissement (qualifié)"));
    let row = app.wait_for(Locator::Css(notify)).await?;
    let offered = row.find_all(Locator::Css("button[data-letter]")).await?;
    let mut kinds = Vec::new();
    for b in offered {
        kinds.push(b.attr("data-letter").await?.unwrap_or_default());
    }
    assert_eq!(kinds, ["decision_warning_complainant"]);
    app.screenshot("37-tableau-de-bord-decision-a-notifier").await?;
    app.quit().await
}

/// The size of the large data dir: 100 000 complaints by default, `RECLAMATIONS_E2E_LARGE`
/// to change it.
fn large_size() -> usize {
    std::env::var("RECLAMATIONS_E2E_LARGE").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000)
}

#[tokio::test]
async fn the_app_stays_responsive_on_a_large_data_dir() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let n = large_size();
    let started = Instant::now();
    let (_, done) = profile.populate(Population { firms: (n / 20).max(10), complaints: n, seed: 2026 })?;
    eprintln!("large fixture: {done:?} in {:.0} s", started.elapsed().as_secs_f64());

    let started = Instant::now();
    let mut app = App::launch(&profile).await?;
    app.wait_for(Locator::XPath("//h2[starts-with(normalize-space(.), 'À faire')]")).await?;
    let dashboard = started.elapsed();
    app.screenshot("34-tableau-de-bord-100k").await?;
    show_the_whole_to_do_list(&mut app, n).await?;
    app.click_text("Réclamations").await?;
    let all = format!("1–100 sur {n} réclamation(s)");
    app.wait_text(&all).await?;
    let started = Instant::now();
    app.fill(None, "Rechercher", "honoraires").await?;
    // The count changes when the search has answered.
    let status = loop {
        let text =
            app.client.find(Locator::XPath("//p[@role='status'][contains(., 'réclamation(s)')]")).await?.text().await?;
        if text != all {
            break text;
        }
        assert!(started.elapsed().as_secs() < 15, "no search result after 15 s");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let search = started.elapsed();
    assert!(status.starts_with("1–100 sur "), "{status}");
    app.screenshot("35-recherche-100k").await?;
    eprintln!("{n} complaints: app started with its dashboard in {dashboard:?}; search shown in {search:?}");
    app.quit().await
}

/// A long « À faire » shows its first 50 rows, the most urgent; « Afficher les N autres » adds
/// the rest, and the table then holds as many rows as its heading counts. The same for the
/// complaints older than five months when that list is long.
async fn show_the_whole_to_do_list(app: &mut App, complaints: usize) -> TestResult {
    let todo = show_the_whole_table(app, "h-todo", "À faire").await?;
    // Only a smaller data dir (RECLAMATIONS_E2E_LARGE) has a to-do list that short.
    assert!(
        todo > 50 || complaints < 100_000,
        "the 100 000-complaint register has {todo} things to do, expected more than 50"
    );
    if !app.client.find_all(Locator::Css("#h-flagged")).await?.is_empty() {
        show_the_whole_table(app, "h-flagged", "Plus de 5 mois").await?;
    }
    Ok(())
}

/// The table `label` of the card headed `heading_id`: its first 50 rows, then all of them
/// after its « Afficher les N autres ». Returns the count its heading states.
async fn show_the_whole_table(app: &mut App, heading_id: &str, label: &str) -> TestResult<usize> {
    let heading = app.wait_for(Locator::Css(&format!("#{heading_id}"))).await?.text().await?;
    let total: usize = heading.rsplit('(').next().unwrap_or_default().trim_end_matches(')').trim().parse()?;
    let card = format!("//section[@aria-labelledby='{heading_id}']");
    let rows = format!("{card}//table[@aria-label='{label}']/tbody/tr");
    let more = format!("{card}//button[starts-with(normalize-space(.), 'Afficher les')]");
    let shown = app.client.find_all(Locator::XPath(&rows)).await?.len();
    if total <= 50 {
        assert_eq!(shown, total, "{heading}");
        assert!(app.client.find_all(Locator::XPath(&more)).await?.is_empty(), "no button under a short list");
        return Ok(total);
    }
    assert_eq!(shown, 50, "a long list shows its first 50 rows ({heading})");
    app.click_found(&format!("{card}//button[normalize-space(.)='Afficher les {} autres']", total - 50)).await?;
    let started = Instant::now();
    while app.client.find_all(Locator::XPath(&rows)).await?.len() != total {
        assert!(started.elapsed().as_secs() < 15, "the rest of « {label} » not shown after 15 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(app.client.find_all(Locator::XPath(&more)).await?.is_empty(), "the button goes once « {label} » is whole");
    Ok(total)
}
