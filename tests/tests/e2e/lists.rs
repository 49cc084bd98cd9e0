//! Deep lists: the complaints list's filters, sort and page live in the URL, so that back from a
//! complaint returns to the same page, the same first row and the same scroll position.

use fantoccini::Locator;
use reclamations_e2e::{App, Population, Profile, TestResult};
use std::time::{Duration, Instant};

async fn scroll_y(app: &mut App) -> TestResult<f64> {
    Ok(app.client.execute("return window.scrollY;", vec![]).await?.as_f64().unwrap_or(-1.0))
}

async fn first_reference(app: &mut App) -> TestResult<String> {
    Ok(app.wait_for(Locator::Css("main table tbody tr:first-child td:first-child a")).await?.text().await?)
}

#[tokio::test]
async fn back_from_a_complaint_returns_to_the_same_page_and_scroll() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let (conn, _) = profile.populate(Population { firms: 12, complaints: 450, seed: 15 })?;
    // Page 3 sorted by complainant, read here with plain SQL.
    let expected_first: String = conn.query_row(
        "SELECT c.reference FROM complaints c JOIN complainants p ON p.id = c.complainant_id
         ORDER BY p.name COLLATE NOCASE, p.id, c.id LIMIT 1 OFFSET 200",
        [],
        |r| r.get(0),
    )?;
    let expected_page_two: String = conn.query_row(
        "SELECT c.reference FROM complaints c JOIN complainants p ON p.id = c.complainant_id
         ORDER BY p.name COLLATE NOCASE, p.id, c.id LIMIT 1 OFFSET 100",
        [],
        |r| r.get(0),
    )?;
    drop(conn);
    let mut app = App::launch(&profile).await?;
    app.click_text("Réclamations").await?;
    app.wait_text("1–100 sur 450 réclamation(s)").await?;
    app.wait_text("Page 1 sur 5").await?;
    app.click_text("Plaignant").await?;
    app.wait_for(Locator::XPath("//th[@aria-sort='ascending'][normalize-space(.)='Plaignant ▲']")).await?;
    app.click_text("Page suivante").await?;
    app.wait_text("101–200 sur 450 réclamation(s)").await?;
    app.click_text("Page suivante").await?;
    app.wait_text("201–300 sur 450 réclamation(s)").await?;
    app.wait_text("Page 3 sur 5").await?;
    assert_eq!(first_reference(&mut app).await?, expected_first, "page 3 by cursor is the SQL's page 3");
    let url = app.client.current_url().await?.to_string();
    assert!(url.contains("tri=complainant") && url.contains("ordre=asc") && url.contains("page=3"), "{url}");
    assert!(url.contains("depuis="), "the page's first row is kept in the URL: {url}");

    // Scroll down to the 60th row and open it.
    let link = app.wait_for(Locator::Css("main table tbody tr:nth-child(60) td:first-child a")).await?;
    let reference = link.text().await?;
    app.client.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![serde_json::to_value(&link)?]).await?;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let scrolled = scroll_y(&mut app).await?;
    assert!(scrolled > 500.0, "the list was scrolled down ({scrolled})");
    app.screenshot("lists-1-page-3-scrolled").await?;
    link.click().await?;
    app.wait_for(Locator::XPath(&format!("//h1[contains(., '{reference}')]"))).await?;

    // Back: the same page, the same first row, the same scroll position.
    app.client.back().await?;
    app.wait_text("201–300 sur 450 réclamation(s)").await?;
    assert_eq!(first_reference(&mut app).await?, expected_first);
    let started = Instant::now();
    let restored = loop {
        let y = scroll_y(&mut app).await?;
        if (y - scrolled).abs() <= 2.0 || started.elapsed() > Duration::from_secs(3) {
            break y;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!((restored - scrolled).abs() <= 2.0, "scroll restored: {restored} for {scrolled}");
    assert_eq!(app.client.current_url().await?.to_string(), url, "the same URL");
    app.screenshot("lists-2-back-same-page").await?;

    // « Page précédente » by cursor, then a jump to a page by its number.
    app.click_text("Page précédente").await?;
    app.wait_text("101–200 sur 450 réclamation(s)").await?;
    assert_eq!(first_reference(&mut app).await?, expected_page_two);
    app.fill(None, "Aller à la page", "3").await?;
    app.click_text("Aller").await?;
    app.wait_text("201–300 sur 450 réclamation(s)").await?;
    assert_eq!(first_reference(&mut app).await?, expected_first);
    app.fill(None, "Aller à la page", "9").await?;
    app.click_text("Aller").await?;
    app.wait_text("Indiquez une page entre 1 et 5.").await?;
    app.screenshot("lists-3-page-jump-refused").await?;
    app.quit().await
}
