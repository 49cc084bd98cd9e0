//! Accessibility: every screen, with data, passes axe-core's WCAG 2.1 A and AA rules in the real
//! window (axe-core from the npm registry, installed by `scripts/setup.sh` into `.axe/`).

use fantoccini::Locator;
use reclamations_e2e::{App, Civility, Intake, Profile, TestResult};

/// axe-core's source, injected through WebDriver (which the page's CSP does not govern).
fn axe_source() -> TestResult<String> {
    let path = reclamations_e2e::workspace_root().join(".axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e} — run scripts/setup.sh test", path.display()).into())
}

/// The WCAG 2.1 A/AA violations of the screen shown, one line each (rule, impact, elements).
async fn violations(app: &mut App, axe: &str) -> TestResult<Vec<String>> {
    app.client.execute(&format!("{axe}\n;return typeof window.axe;"), vec![]).await?;
    let found = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then((r) => done(r.violations.map((v) => `${v.id} (${v.impact}) : ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`)))
               .catch((e) => done([`axe a échoué : ${e}`]));",
            vec![],
        )
        .await?;
    Ok(found.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default())
}

#[tokio::test]
async fn every_screen_passes_the_wcag_aa_check_with_data() -> TestResult {
    let axe = axe_source()?;
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    let mut report = Vec::new();
    // The empty register's dashboard offers the first steps.
    app.wait_text("Pour commencer").await?;
    app.wait_text("Choisir une destination de sauvegarde externe").await?;
    app.screenshot("tableau-de-bord-vide").await?;
    for v in violations(&mut app, &axe).await? {
        report.push(format!("tableau de bord vide : {v}"));
    }
    app.register(&Intake::complete().civility(Civility::Madame)).await?;
    let mut check = async |app: &mut App, screen: &str| -> TestResult {
        for v in violations(app, &axe).await? {
            report.push(format!("{screen} : {v}"));
        }
        Ok(())
    };
    check(&mut app, "page de la réclamation").await?;
    for (link, heading) in [
        ("Tableau de bord", "Tableau de bord"),
        ("Réclamations", "Réclamations"),
        ("Qualifiés", "Qualifiés"),
        ("Statistiques", "Statistiques"),
        ("Paramètres", "Paramètres"),
    ] {
        app.click_text(link).await?;
        app.wait_for(Locator::XPath(&format!(
            "//h1[starts-with(normalize-space(.), {})]",
            reclamations_e2e::xpath_literal(heading)
        )))
        .await?;
        check(&mut app, link).await?;
    }
    app.open_intake_form().await?;
    check(&mut app, "Nouvelle réclamation").await?;
    app.click_text("Qualifiés").await?;
    app.click_text("Économie Bâtiment Conseil").await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='Économie Bâtiment Conseil']")).await?;
    check(&mut app, "dossier du qualifié").await?;
    app.quit().await?;
    assert!(report.is_empty(), "{} violation(s) WCAG 2.1 AA :\n{}", report.len(), report.join("\n"));
    Ok(())
}

#[tokio::test]
async fn the_first_start_and_the_demonstration_pass_the_wcag_aa_check() -> TestResult {
    let axe = axe_source()?;
    let profile = Profile::on("2026-12-01")?;
    let mut app = App::launch_first_start(&profile).await?;
    let mut report = Vec::new();
    let screens = [
        "Bienvenue dans Réclamations",
        "Organisme et logo",
        "Personnel et signataires",
        "Sauvegarde externe",
        "Registre des qualifiés",
    ];
    for (n, heading) in screens.iter().enumerate() {
        if n > 0 {
            app.click_text(if n == 1 { "Commencer la configuration" } else { "Suivant" }).await?;
        }
        app.wait_heading(heading).await?;
        for v in violations(&mut app, &axe).await? {
            report.push(format!("premier démarrage, {heading} : {v}"));
        }
    }
    for heading in screens.iter().rev().skip(1) {
        app.click_text("Précédent").await?;
        app.wait_heading(heading).await?;
    }
    app.click_text("Essayer avec des données de démonstration").await?;
    super::setup::wait_for_the_demonstration(&mut app).await?;
    app.wait_for(Locator::Css("main:not([aria-busy]) .counts a.count")).await?;
    for v in violations(&mut app, &axe).await? {
        report.push(format!("démonstration, tableau de bord : {v}"));
    }
    app.click_text("Réclamations").await?;
    app.wait_for(Locator::XPath("//main[not(@aria-busy)]//table//a[starts-with(normalize-space(.), 'REC-')]")).await?;
    for v in violations(&mut app, &axe).await? {
        report.push(format!("démonstration, réclamations : {v}"));
    }
    app.click_text("Quitter la démonstration").await?;
    app.wait_heading("Bienvenue dans Réclamations").await?;
    app.quit().await?;
    assert!(report.is_empty(), "{} violation(s) WCAG 2.1 AA :\n{}", report.len(), report.join("\n"));
    Ok(())
}
