//! Statistiques for a year, counted against plain SQL, beside the year before and over five
//! years, with its CSV export and printable report.

use fantoccini::Locator;
use reclamations_e2e::tools::{pdf_page_one_png, pdf_text};
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
    // Received and closed each year from 2021 to 2025, purged complaints included.
    let per_year = |column: &str| -> rusqlite::Result<Vec<i64>> {
        (2021..=2025)
            .map(|year| {
                conn.query_row(
                    &format!(
                        "SELECT (SELECT count(*) FROM complaints WHERE {column} LIKE ?1)
                              + (SELECT count(*) FROM purged_complaints WHERE {column} LIKE ?1)"
                    ),
                    [format!("{year}-%")],
                    |r| r.get(0),
                )
            })
            .collect()
    };
    let (received_by_year, closed_by_year) = (per_year("received_on")?, per_year("closed_on")?);
    drop(conn);
    assert!(received > 10);
    assert_eq!(received_by_year.last(), Some(&received));
    let received_2024 = received_by_year[3];

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
    assert!(figures.contains(&format!("2024 : {received_2024}")), "{figures}");
    // The five-year trend: its chart and its table, one column per year.
    app.wait_for(Locator::Css("svg.trend-chart")).await?;
    let table = app.wait_for(Locator::Css("[aria-label='Évolution sur 5 ans (tableau)']")).await?;
    let mut rows = Vec::new();
    for tr in table.find_all(Locator::Css("tbody tr")).await? {
        let mut cells = Vec::new();
        for cell in tr.find_all(Locator::Css("th, td")).await? {
            cells.push(cell.text().await?.trim().to_owned());
        }
        rows.push(cells);
    }
    let mut years = Vec::new();
    for th in table.find_all(Locator::Css("thead th")).await? {
        years.push(th.text().await?.trim().to_owned());
    }
    assert_eq!(years, ["", "2021", "2022", "2023", "2024", "2025", ""], "{years:?}");
    let row = |label: &str| rows.iter().find(|r| r.first().is_some_and(|l| l == label)).cloned().unwrap_or_default();
    let numbers = |v: &[i64]| v.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(row("Réclamations reçues").get(1..6), Some(&numbers(&received_by_year)[..]), "{rows:?}");
    assert_eq!(row("Dossiers clos").get(1..6), Some(&numbers(&closed_by_year)[..]), "{rows:?}");
    assert!(row("… en % des dossiers clos").iter().skip(1).take(5).all(|c| c.ends_with('%') || c == "—"), "{rows:?}");
    app.screenshot("50-statistiques").await?;
    let trend = app.wait_for(Locator::Css("section.trend")).await?;
    app.client.execute("arguments[0].scrollIntoView()", vec![serde_json::to_value(&trend)?]).await?;
    app.screenshot("51-statistiques-evolution").await?;

    app.click_text("Exporter en CSV").await?;
    app.wait_text("Export CSV :").await?;
    let csv = std::fs::read(profile.data_dir().join("exports/statistiques-2025-01-01-2025-12-31.csv"))?;
    let text = String::from_utf8(csv)?;
    assert!(text.starts_with("\u{feff}Rubrique;Valeur;Nombre"), "{text}");
    assert!(text.contains(&format!("Réclamations reçues;Total;{received}\r\n")), "{text}");
    assert!(text.contains(&format!("Période précédente : 2024;Réclamations reçues;{received_2024}\r\n")), "{text}");
    for (year, n) in (2021..=2025).zip(&received_by_year) {
        assert!(text.contains(&format!("Évolution sur 5 ans : {year};Réclamations reçues;{n}\r\n")), "{text}");
    }

    app.click_text("Bilan PDF à imprimer").await?;
    app.wait_text("Bilan PDF :").await?;
    let pdf = profile.data_dir().join("exports/bilan-2025-01-01-2025-12-31.pdf");
    if let Some(report) = pdf_text(&pdf)? {
        assert!(report.contains("Bilan annuel des réclamations 2025"), "{report}");
        assert!(report.contains(&format!("{received} réclamation(s) reçue(s)")), "{report}");
        assert!(report.contains("Comparaison avec la période précédente (2024)"), "{report}");
        assert!(report.contains(&format!("Réclamations reçues : {received} (2024 : {received_2024})")), "{report}");
        assert!(report.contains("Évolution sur 5 ans, de 2021 à 2025"), "{report}");
        for (year, n) in (2021..=2025).zip(&received_by_year) {
            assert!(report.contains(&format!("{n} reçues ; clos dans le délai global")), "{year}: {report}");
        }
        pdf_page_one_png(&pdf, "52-bilan-statistiques")?;
    }
    app.quit().await
}
