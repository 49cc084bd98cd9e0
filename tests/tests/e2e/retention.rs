//! Retention: files closed more than 5 years ago are purged on confirmation, leaving a trace.

use reclamations_e2e::{App, Population, Profile, TestResult};

/// Files closed more than 5 years ago are listed and purged on confirmation.
#[tokio::test]
async fn eligible_files_are_purged_on_confirmation() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let (conn, _) = profile.populate(Population { firms: 5, complaints: 40, seed: 7 })?;
    let eligible = reclamations_core::store::retention::eligible(&conn, profile.today_date()?)?.len();
    assert!(eligible > 20, "{eligible}");
    drop(conn);
    let mut app = App::launch(&profile).await?;
    app.click_text(&format!("Purger les {eligible} dossier(s) arrivés au terme de leur conservation…")).await?;
    app.click_text(&format!("Confirmer la purge de {eligible} dossier(s)")).await?;
    app.wait_text(&format!("{eligible} dossier(s) purgé(s)")).await?;
    app.screenshot("36-purge").await?;
    app.quit().await?;
    let conn = rusqlite::Connection::open(profile.layout().database())?;
    let left: i64 = conn.query_row("SELECT count(*) FROM complaints", [], |r| r.get(0))?;
    let traces: i64 = conn.query_row("SELECT count(*) FROM purged_complaints", [], |r| r.get(0))?;
    assert_eq!((left as usize, traces as usize), (40 - eligible, eligible));
    Ok(())
}
