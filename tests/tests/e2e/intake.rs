//! Intake: the firm's status on the date of receipt (a complaint out of the procedure's scope is
//! warned, saved and declared inadmissible), a postal address for every complainant unless an
//! email complaint is answered by email, and a new firm's status never ticked in advance.

use fantoccini::Locator;
use reclamations_e2e::{
    assert_contains_all, db_count, App, Channel, FirmChoice, FirmStatus, Intake, Nature, Profile, Role, SeedFirm,
    TestResult,
};

const OUT_OF_SCOPE: &str = "Aucune qualification ni certification valide le 27/11/2026 : la réclamation est hors du champ de la procédure. Vous pouvez l'enregistrer puis la déclarer irrecevable (hors du champ de la procédure).";

const ADDRESS_REQUIRED: &str = "Adresse postale incomplète : indiquez l'adresse, le code postal et la ville du plaignant (ou, pour une réclamation reçue par courriel, cochez « Répondre par courriel »).";

/// A client's complaint received on 27/11/2026, everything but the firm and the address.
fn without_firm_nor_address() -> Intake {
    Intake::blank()
        .received("27/11/2026")
        .role(Role::Client)
        .complainant("Claire Lefèvre")
        .email("claire.lefevre@example.fr")
        .facts("Le métré remis était faux de 30 %.")
        .actions_taken("Courrier au cabinet le 2 octobre, sans réponse.")
        .natures(&[Nature::Services])
}

/// The text of the element `css` finds, once it is there.
async fn text_of(app: &mut App, css: &str) -> TestResult<String> {
    Ok(app.wait_for(Locator::Css(css)).await?.text().await?)
}

/// Scrolls the element `css` finds to the middle of the window (for a screenshot).
async fn show(app: &mut App, css: &str) -> TestResult {
    let el = app.wait_for(Locator::Css(css)).await?;
    app.client.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![serde_json::to_value(&el)?]).await?;
    Ok(())
}

/// A firm whose only qualification expired two months before the complaint was received: the
/// form warns next to the firm, the complaint is saved all the same, its page shows the status
/// on the date of receipt, and it is declared inadmissible as out of the procedure's scope.
#[tokio::test]
async fn an_expired_firm_is_warned_at_intake_and_declared_inadmissible() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    profile.seed_firm(&SeedFirm {
        name: "Cabinet Ancien Métré".into(),
        street: "9 quai de Saône".into(),
        postcode: "69009".into(),
        city: "Lyon".into(),
        // The register's flag still says « Qualifié »: the dated qualification decides.
        is_qualified: true,
        qualifications: vec![(
            "2.1".into(),
            "Économie de la construction".into(),
            "01/10/2022".into(),
            "30/09/2026".into(),
        )],
    })?;
    let mut app = App::launch(&profile).await?;
    app.open_intake_form().await?;
    let intake = without_firm_nor_address()
        .complainant_address("12 rue des Lilas", "69003", "Lyon")
        .firm_choice(FirmChoice::Listed("Cabinet Ancien Métré — Lyon".into()));
    app.fill_intake(&intake).await?;
    let warning = text_of(&mut app, "#firm-scope .scope-warning").await?;
    assert_eq!(warning, OUT_OF_SCOPE);
    let status = text_of(&mut app, "#firm-scope").await?;
    assert_contains_all(
        "the status at intake",
        &status,
        &[
            "Ni qualifié ni certifié le 27/11/2026",
            "Non valides le 27/11/2026",
            "Qualification 2.1 — Économie de la construction : du 01/10/2022 au 30/09/2026",
        ],
    );
    // The warning sits in the firm's card, right under the firm's list.
    let placed = app
        .client
        .execute(
            "const s = document.getElementById('firm-scope');
             return s.previousElementSibling.querySelector('select[name=firm_id]') !== null;",
            vec![],
        )
        .await?;
    assert_eq!(placed, serde_json::json!(true), "the status follows the « Qualifié » field");
    show(&mut app, "#firm-scope").await?;
    app.screenshot("50-saisie-hors-champ").await?;

    // A date of receipt while the qualification was valid: no warning.
    app.fill(Some("Réception"), "Date de réception", "15/09/2026").await?;
    app.wait_for(Locator::XPath("//div[@id='firm-scope'][contains(., 'Qualifié le 15/09/2026')]")).await?;
    let warned =
        app.client.execute("return document.querySelector('#firm-scope .scope-warning') !== null", vec![]).await?;
    assert_eq!(warned, serde_json::json!(false));
    app.fill(Some("Réception"), "Date de réception", "27/11/2026").await?;
    app.wait_for(Locator::Css("#firm-scope .scope-warning")).await?;

    // Saving stays allowed: the register records what was received.
    assert_eq!(app.save_intake().await?, "REC-2026-0001");
    app.wait_text("hors du champ de la procédure").await?;
    let card = text_of(&mut app, "section[aria-labelledby='h-qualifie'] .scope").await?;
    assert_contains_all(
        "the status on the complaint's page",
        &card,
        &[
            "Ni qualifié ni certifié le 27/11/2026",
            "Qualification 2.1 — Économie de la construction : du 01/10/2022 au 30/09/2026",
            "hors du champ de la procédure",
            "Déclarer irrecevable",
        ],
    );
    show(&mut app, "section[aria-labelledby='h-qualifie']").await?;
    app.screenshot("51-fiche-hors-champ").await?;

    app.act("Déclarer irrecevable", &[("Motif de l'irrecevabilité", "hors du champ de la procédure")]).await?;
    app.wait_for(Locator::XPath("//span[@id='current-step'][normalize-space(.)='Irrecevable']")).await?;
    assert_eq!(
        db_count(&profile, "SELECT count(*) FROM complaints WHERE step = 'inadmissible' AND inadmissible_reason LIKE '%hors du champ de la procédure%'")?,
        1
    );
    // Once declared, the page no longer offers the action it pointed to.
    let card = text_of(&mut app, "section[aria-labelledby='h-qualifie'] .scope").await?;
    assert!(!card.contains("Elle peut être déclarée irrecevable"), "{card}");
    show(&mut app, "section[aria-labelledby='h-qualifie']").await?;
    app.screenshot("52-irrecevable-hors-champ").await?;
    app.quit().await
}

/// A letter complaint without a postal address is refused next to the address, keeping all
/// that was typed; an email complaint answered by email saves without one.
#[tokio::test]
async fn a_letter_without_an_address_is_refused_and_an_email_reply_needs_none() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    app.open_intake_form().await?;
    let typed = without_firm_nor_address()
        .channel(Channel::Letter)
        .firm("Économie Bâtiment Conseil", "3 avenue Foch", "75016", "Paris")
        .firm_status(&[FirmStatus::Qualified]);
    app.fill_intake(&typed).await?;
    app.click_text("Enregistrer la réclamation").await?;
    app.wait_text(ADDRESS_REQUIRED).await?;
    let address = app.field(Some("Plaignant"), "Adresse").await?;
    assert_eq!(address.attr("aria-invalid").await?.as_deref(), Some("true"));
    let error_id = address.attr("aria-describedby").await?.ok_or("the address has no aria-describedby")?;
    assert_eq!(app.client.find(Locator::Id(&error_id)).await?.text().await?, ADDRESS_REQUIRED);
    show(&mut app, "textarea[name='complainant.address_lines']").await?;
    app.screenshot("53-saisie-sans-adresse").await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaints")?, 0);
    for (section, label, expected) in [
        ("Réception", "Date de réception", "27/11/2026"),
        ("Plaignant", "Nom du plaignant", "Claire Lefèvre"),
        ("Plaignant", "Courriel", "claire.lefevre@example.fr"),
        ("Qualifié ou certifié", "Raison sociale", "Économie Bâtiment Conseil"),
        ("Réclamation", "Faits reprochés", "Le métré remis était faux de 30 %."),
    ] {
        assert_eq!(app.value(Some(section), label).await?, expected, "{label}");
    }
    // « Répondre par courriel » is offered for an email complaint only.
    let reply = "//label[contains(., 'Répondre par courriel')]/ancestor::div[contains(@class, 'check-item')]";
    let hidden = app.wait_for(Locator::XPath(reply)).await?.attr("hidden").await?;
    assert!(hidden.is_some(), "the box is hidden for a letter");

    let by_email =
        Intake::blank().channel(Channel::Email { subject: "Réclamation contre un économiste".into() }).reply_by_email();
    app.fill_intake(&by_email).await?;
    app.save_intake().await?;
    app.wait_text("Par courriel (pas d’adresse postale)").await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaints WHERE reply_by_email = 1")?, 1);
    app.quit().await
}

/// Neither the intake form's new firm nor the firms screen's ticks a status in advance.
#[tokio::test]
async fn a_new_firms_status_starts_unticked() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    app.open_intake_form().await?;
    app.select(Some("Qualifié ou certifié"), "Qualifié", "+ Nouveau qualifié (le créer)").await?;
    let ticked = "return [...document.querySelectorAll(arguments[0])].map((b) => [b.name === 'firm.flags' ? b.value : b.name, b.checked]);";
    let boxes = app.client.execute(ticked, vec![serde_json::json!("input[name='firm.flags']")]).await?;
    assert_eq!(boxes, serde_json::json!([["qualified", false], ["certified", false], ["rge", false]]));
    // Nothing ticked: the form says so against the date of receipt (28/11/2026 by default).
    app.wait_for(Locator::XPath("//div[@id='firm-scope'][contains(., 'Ni qualifié ni certifié le 28/11/2026')]"))
        .await?;
    app.choose(Some("Qualifié ou certifié"), "Certifié").await?;
    app.wait_for(Locator::XPath("//div[@id='firm-scope'][contains(., 'Certifié le 28/11/2026')]")).await?;
    show(&mut app, "#firm-scope").await?;
    app.screenshot("54-nouveau-qualifie-non-coche").await?;

    app.click_text("Qualifiés").await?;
    app.click_text("Nouveau qualifié").await?;
    app.wait_for(Locator::XPath("//form[@aria-label='Nouveau qualifié']")).await?;
    let boxes = app
        .client
        .execute(ticked, vec![serde_json::json!("form[aria-label='Nouveau qualifié'] input[type=checkbox]")])
        .await?;
    assert_eq!(
        boxes,
        serde_json::json!([
            ["confirm_siret", false],
            ["is_qualified", false],
            ["is_certified", false],
            ["is_rge", false]
        ])
    );
    app.quit().await
}
