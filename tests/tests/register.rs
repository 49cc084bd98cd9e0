//! End-to-end: the dashboard with a fixed « today », instant search, the firms import, and the
//! app on a large data dir.

use fantoccini::Locator;
use reclamations_e2e::{App, Profile, TestResult};
use std::time::Instant;

async fn register_and_inform(app: &mut App) -> TestResult {
    app.click_text("Réclamations").await?;
    app.click_text("Nouvelle réclamation").await?;
    app.fill(Some("Réception"), "Date de réception", "05/02/2026").await?;
    app.choose(Some("Plaignant"), "Client du qualifié").await?;
    app.fill(Some("Plaignant"), "Nom du plaignant", "Hélène Besnard").await?;
    app.fill(Some("Plaignant"), "Adresse", "4 rue Pasteur").await?;
    app.fill(Some("Plaignant"), "Code postal", "21000").await?;
    app.fill(Some("Plaignant"), "Ville", "Dijon").await?;
    app.fill(Some("Qualifié ou certifié"), "Raison sociale", "Atelier Chiffrage Noël").await?;
    app.fill(Some("Qualifié ou certifié"), "Adresse du qualifié", "9 quai de Saône").await?;
    app.fill(Some("Qualifié ou certifié"), "Code postal du qualifié", "69009").await?;
    app.fill(Some("Qualifié ou certifié"), "Ville du qualifié", "Lyon").await?;
    app.fill(Some("Réclamation"), "Faits reprochés", "Le métré du lot charpente comptait deux fois les fermettes.")
        .await?;
    app.fill(Some("Réclamation"), "Actions déjà menées", "Deux courriels restés sans réponse.").await?;
    app.choose(Some("Réclamation"), "Prestations réalisées").await?;
    app.click_text("Enregistrer la réclamation").await?;
    app.wait_text("Réclamation REC-2026-0001 enregistrée.").await?;
    app.act("Accuser réception (réclamation complète)", &[]).await?;
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    app.act("Informer le qualifié", &[("Moyen", "Téléphone")]).await
}

#[tokio::test]
async fn the_dashboard_shows_an_overdue_answer_in_red_and_search_finds_it() -> TestResult {
    let mut profile = Profile::new()?;
    profile.today = Some("2026-02-10".into());
    let mut app = App::launch(&profile).await?;
    register_and_inform(&mut app).await?; // firm informed 10/02/2026: answer due 10/03/2026
    app.quit().await?;

    profile.today = Some("2026-03-12".into());
    let mut app = App::launch(&profile).await?;
    let row = app.wait_for(Locator::Css("table[aria-label='À faire'] tr[data-category='overdue']")).await?;
    assert_eq!(row.attr("class").await?.as_deref(), Some("due due-red"));
    let text = row.text().await?;
    for expected in [
        "REC-2026-0001",
        "Hélène Besnard",
        "Réponse du qualifié : échéance dépassée",
        "mardi 10/03/2026",
        "2 j de retard",
    ] {
        assert!(text.contains(expected), "dashboard row lacks « {expected} »: {text}");
    }
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
async fn a_csv_export_is_previewed_then_imported_once() -> TestResult {
    let profile = Profile::new()?;
    let csv = profile.root.path().join("qualifiés.csv");
    // Windows-1252, « ; », a quoted « ; » and a bad SIRET, as Excel exports it.
    let mut bytes = b"Raison sociale;SIRET;Adresse;Code postal;Ville;Qualifi\xE9;RGE\r\n".to_vec();
    bytes.extend_from_slice(b"\xC9conomie B\xE2timent Conseil;732 829 320 00074;3 avenue Foch;75016;Paris;oui;non\r\n");
    bytes.extend_from_slice(b"\"Cabinet Martin; associ\xE9s\";;12 rue des Lilas;69003;Lyon;oui;oui\r\n");
    bytes.extend_from_slice(b"Bureau Durand;12345678901234;1 rue Haute;33000;Bordeaux;oui;\r\n");
    std::fs::write(&csv, bytes)?;
    let mut app = App::launch(&profile).await?;
    app.click_text("Qualifiés").await?;
    app.click_text("Importer un fichier").await?;
    app.fill(None, "Chemin du fichier", &csv.display().to_string()).await?;
    app.click_text("Aperçu de l’import").await?;
    app.wait_text("Aperçu (rien n’est encore enregistré)").await?;
    app.wait_text("2 créé(s), 0 mis à jour, 0 inchangé(s), 1 refusé(s)").await?;
    app.wait_text("Ligne 4 :").await?;
    app.screenshot("32-import-apercu").await?;
    app.click_text("Importer ces qualifiés").await?;
    app.wait_text("Import terminé").await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Registre des qualifiés']//a[normalize-space(.)='Économie Bâtiment Conseil']",
    ))
    .await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Registre des qualifiés']//a[normalize-space(.)='Cabinet Martin; associés']",
    ))
    .await?;
    // The same file again creates nothing.
    app.click_text("Importer un fichier").await?;
    app.fill(None, "Chemin du fichier", &csv.display().to_string()).await?;
    app.click_text("Aperçu de l’import").await?;
    app.wait_text("0 créé(s), 0 mis à jour, 2 inchangé(s), 1 refusé(s)").await?;
    app.click_text("Économie Bâtiment Conseil").await?;
    app.wait_text("Dossier du qualifié").await?;
    app.screenshot("33-dossier-qualifie").await?;
    app.quit().await
}

/// The size of the large data dir: 100 000 complaints by default, `RECLAMATIONS_E2E_LARGE`
/// to change it.
fn large_size() -> usize {
    std::env::var("RECLAMATIONS_E2E_LARGE").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000)
}

#[tokio::test]
async fn the_app_stays_responsive_on_a_large_data_dir() -> TestResult {
    let mut profile = Profile::new()?;
    profile.today = Some("2026-11-28".into());
    let n = large_size();
    std::fs::create_dir_all(profile.data_dir().join("documents"))?;
    let mut conn = reclamations_core::db::open(&profile.data_dir().join("reclamations.sqlite3"))?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).ok_or("date")?;
    let started = Instant::now();
    let done = reclamations_core::fixtures::populate(&mut conn, (n / 20).max(10), n, today, 2026, |_| {})?;
    drop(conn);
    eprintln!("large fixture: {done:?} in {:.0} s", started.elapsed().as_secs_f64());

    let started = Instant::now();
    let mut app = App::launch(&profile).await?;
    app.wait_for(Locator::XPath("//h2[starts-with(normalize-space(.), 'À faire')]")).await?;
    let dashboard = started.elapsed();
    app.screenshot("34-tableau-de-bord-100k").await?;
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

/// Files closed more than 5 years ago are listed and purged on confirmation.
#[tokio::test]
async fn eligible_files_are_purged_on_confirmation() -> TestResult {
    let mut profile = Profile::new()?;
    profile.today = Some("2026-11-28".into());
    std::fs::create_dir_all(profile.data_dir().join("documents"))?;
    let mut conn = reclamations_core::db::open(&profile.data_dir().join("reclamations.sqlite3"))?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).ok_or("date")?;
    reclamations_core::fixtures::populate(&mut conn, 5, 40, today, 7, |_| {})?;
    let eligible = reclamations_core::store::retention::eligible(&conn, today)?.len();
    assert!(eligible > 20, "{eligible}");
    drop(conn);
    let mut app = App::launch(&profile).await?;
    app.click_text(&format!("Purger les {eligible} dossier(s) arrivés au terme de leur conservation…")).await?;
    app.click_text(&format!("Confirmer la purge de {eligible} dossier(s)")).await?;
    app.wait_text(&format!("{eligible} dossier(s) purgé(s)")).await?;
    app.screenshot("36-purge").await?;
    app.quit().await?;
    let conn = rusqlite::Connection::open(profile.data_dir().join("reclamations.sqlite3"))?;
    let left: i64 = conn.query_row("SELECT count(*) FROM complaints", [], |r| r.get(0))?;
    let traces: i64 = conn.query_row("SELECT count(*) FROM purged_complaints", [], |r| r.get(0))?;
    assert_eq!((left as usize, traces as usize), (40 - eligible, eligible));
    Ok(())
}
