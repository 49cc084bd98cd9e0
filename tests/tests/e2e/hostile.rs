//! Untrusted text (complaints, names, templates) with classic XSS payloads, in every form and
//! then every view that shows it: nothing runs, everything is shown literally.

use fantoccini::Locator;
use reclamations_e2e::{
    assert_contains_all, db_count, App, Channel, Intake, Nature, Profile, Role, TestResult, WINDOW_TITLE,
};

const IMG: &str = r#"<img src=x onerror="document.title=1">"#; // 37 characters: fits a name
const SCRIPT: &str = "<script>document.title='pirate'</script>";
const JS_URL: &str = "javascript:document.title='pirate'";
const SVG: &str = r#""><svg onload="document.title='pirate'">"#;

/// Nothing ran and nothing was parsed as HTML in the main area (the letters' logo preview of
/// Paramètres is the one image the app itself shows).
async fn assert_inert(app: &mut App, view: &str, literals: &[&str]) -> TestResult {
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.title().await?, WINDOW_TITLE, "{view}: a payload ran");
    let injected = app
        .client
        .execute("return document.querySelectorAll('main img:not(.logo-preview), main script, main svg, main iframe, body > img, body > svg').length", vec![])
        .await?;
    assert_eq!(injected, serde_json::json!(0), "{view}: markup was parsed");
    let text = app.main_text().await?;
    assert_contains_all(&format!("{view} (shown literally)"), &text, literals);
    Ok(())
}

/// Complaint text is untrusted: markup and scripts are shown literally and never run.
#[tokio::test]
async fn hostile_text_is_shown_as_text_and_runs_nothing() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    let img = r#"<img src=x onerror="document.title='pirate'">"#;
    let script = "<script>document.title='pirate'</script>";
    let svg = r#""><svg onload="window.__TAURI__.core.invoke('register_complaint',{form:{}})">"#;
    let intake = Intake::full().facts(&format!("{img}\n{script}")).actions_taken(svg).organisation("<b>Gras</b>");
    assert_eq!(app.register(&intake).await?, "REC-2026-0001");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let page = app.main_text().await?;
    assert_contains_all("the complaint page (shown literally)", &page, &[img, script, "<b>Gras</b>", svg]);
    assert!(page.contains(&format!("{img}\n{script}")), "line break of the facts lost:\n{page}");
    assert_eq!(app.title().await?, WINDOW_TITLE);
    let injected = app
        .client
        .execute("return document.querySelectorAll('main img, main script, main svg, main b').length", vec![])
        .await?;
    assert_eq!(injected, serde_json::json!(0));
    app.screenshot("07-texte-hostile").await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaints")?, 1);
    app.quit().await
}

#[tokio::test]
async fn payloads_in_every_field_are_shown_as_text_and_never_run() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;

    // Paramètres: staff, organisation, a template.
    app.click_text("Paramètres").await?;
    app.fill(None, "Nom", IMG).await?;
    app.fill(None, "Fonction", SVG).await?;
    app.click_text("Ajouter").await?;
    app.wait_text(IMG).await?;
    app.fill(None, "Site internet", SCRIPT).await?;
    app.click_text("Enregistrer : organisme et signataires").await?;
    app.wait_text("Enregistré.").await?;
    app.fill(None, "Objet", SVG).await?;
    app.fill(None, "Texte du courrier", &format!("{{{{appel}}}},\n\n{SCRIPT} {JS_URL}\n\nFin.")).await?;
    app.click_text("Enregistrer le modèle").await?;
    app.wait_text("Modèle enregistré").await?;
    assert_inert(&mut app, "Paramètres", &[IMG, SVG]).await?;
    app.choose_user(&format!("{IMG} ({SVG})")).await?;

    // A complaint with payloads in every free-text field.
    let payloads = Intake::blank()
        .channel(Channel::Email { subject: format!("Réclamation {SCRIPT}") })
        .role(Role::ThirdParty)
        .complainant(IMG)
        .organisation("<b onclick=x>Gras</b>")
        .complainant_address("<svg/onload=document.title=1>", "75011", "<i>Paris</i>")
        .firm(SVG, JS_URL, "75016", "Paris")
        .facts(&format!("{IMG}\n{SCRIPT}"))
        .actions_taken(&format!("{JS_URL} {SVG}"))
        .natures(&[Nature::Ethics]);
    assert_eq!(app.register(&payloads).await?, "REC-2026-0001");
    assert_inert(&mut app, "fiche", &[IMG, SCRIPT, JS_URL, SVG, "<b onclick=x>Gras</b>", "<i>Paris</i>"]).await?;

    // Journal entry and an action with payloads.
    app.click_text("Ajouter au journal").await?;
    app.select(None, "Type", "Entretien").await?;
    app.fill(None, "Participants", SVG).await?;
    app.fill(None, "Résumé", &format!("{SCRIPT} {IMG}")).await?;
    let submit =
        app.wait_for(Locator::XPath("//form[@aria-label='Ajouter au journal']//button[@type='submit']")).await?;
    app.click(&submit).await?;
    app.wait_text("Entrée ajoutée au journal.").await?;
    app.act("Accuser réception (réclamation complète)", &[]).await?;
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Certifications")]).await?;
    app.act("Informer le qualifié", &[("Moyen", "Courriel"), ("Résumé de l'échange", "Courriel au cabinet.")]).await?;
    app.act(
        "Enregistrer la décision",
        &[
            ("Décision", "Classement sans suite"),
            ("Motifs adressés au plaignant", &format!("{IMG} {JS_URL}")),
            ("Motifs adressés au qualifié", &format!("{SVG} {JS_URL}")),
            ("Décision sans attendre la réponse du qualifié : motif", SCRIPT),
        ],
    )
    .await?;
    assert_inert(&mut app, "fiche après actions", &[&format!("{IMG} {JS_URL}"), &format!("Participants : {SVG}")])
        .await?;
    app.screenshot("40-texte-hostile-fiche").await?;

    // Every view that shows them.
    app.click_text("Tableau de bord").await?;
    app.wait_text("Tableau de bord").await?;
    assert_inert(&mut app, "tableau de bord", &[]).await?;
    app.click_text("Réclamations").await?;
    app.fill(None, "Rechercher", &format!("{SCRIPT} {SVG}")).await?;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    app.fill(None, "Rechercher", "").await?;
    app.wait_text("1–1 sur 1 réclamation(s)").await?;
    assert_inert(&mut app, "liste", &[IMG, SVG]).await?;
    app.click_text("Qualifiés").await?;
    app.wait_text(SVG).await?;
    assert_inert(&mut app, "qualifiés", &[SVG]).await?;
    let link = app.wait_for(Locator::XPath("//table[@aria-label='Registre des qualifiés']//a")).await?;
    app.click(&link).await?;
    app.wait_text("Dossier du qualifié").await?;
    assert_inert(&mut app, "dossier du qualifié", &[SVG, JS_URL, IMG]).await?;
    app.screenshot("41-texte-hostile-qualifie").await?;
    app.quit().await
}
