//! Statistiques for a year, counted against plain SQL, with its CSV export and printable report.

use fantoccini::Locator;
use reclamations_e2e::tools::pdf_text;
use reclamations_e2e::{App, Population, Profile, TestResult};

#[tokio::test]
async fn a_year_of_statistics_is_shown_exported_and_printed() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let (conn, _) = profile.populate(Population { firms: 10, complaints: 600, seed: 11 })?;
    // Counted here with plain SQL, not with the statistics code.
    let received: i64 =
        conn.query_row("SELECT count(*) FROM complaints WHERE received_on LIKE '2025-%'", [], |r| r.get(0))?;
    let closed: i64 =
        conn.query_row("SELECT count(*) FROM complaints WHERE closed_on LIKE '2025-%'", [], |r| r.get(0))?;
    drop(conn);
    assert!(received > 10);

    let mut app = App::launch(&profile).await?;
    app.click_text("Statistiques").await?;
    app.select(None, "Année", "2025").await?;
    app.wait_text("Bilan annuel des réclamations 2025").await?;
    let figures = app.wait_for(Locator::Css("[aria-label='Chiffres clés']")).await?.text().await?;
    assert!(
        figures.contains(&format!("{received}\nréclamations reçues"))
            || figures.contains(&format!("{received}réclamations reçues")),
        "{figures}"
    );
    assert!(
        figures.contains(&format!("{closed}\ndossiers clos")) || figures.contains(&format!("{closed}dossiers clos")),
        "{figures}"
    );
    app.screenshot("50-statistiques").await?;

    app.click_text("Exporter en CSV").await?;
    app.wait_text("Export CSV :").await?;
    let csv = std::fs::read(profile.data_dir().join("exports/statistiques-2025-01-01-2025-12-31.csv"))?;
    let text = String::from_utf8(csv)?;
    assert!(text.starts_with("\u{feff}Rubrique;Valeur;Nombre"), "{text}");
    assert!(text.contains(&format!("Réclamations reçues;Total;{received}\r\n")), "{text}");

    app.click_text("Bilan PDF à imprimer").await?;
    app.wait_text("Bilan PDF :").await?;
    let pdf = profile.data_dir().join("exports/bilan-2025-01-01-2025-12-31.pdf");
    if let Some(report) = pdf_text(&pdf)? {
        assert!(report.contains("Bilan annuel des réclamations 2025"), "{report}");
        assert!(report.contains(&format!("{received} réclamation(s) reçue(s)")), "{report}");
    }
    app.quit().await
}
