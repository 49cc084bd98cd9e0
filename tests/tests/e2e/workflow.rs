//! The procedure in the real app, step by step to closure, with « today » moved between
//! relaunches to watch its deadlines.

use fantoccini::Locator;
use reclamations_e2e::{assert_contains_all, App, Channel, Intake, Profile, Role, TestResult};

const SOPHIE: &str = "Sophie Martin (Déléguée Générale)";

/// Registers an incomplete complaint (no actions taken) received on `received`.
async fn register_incomplete(app: &mut App, received: &str) -> TestResult {
    let intake = Intake::complete()
        .received(received)
        .channel(Channel::Letter)
        .role(Role::ThirdParty)
        .complainant("Marc Lefèvre")
        .complainant_address("8 place Bellecour", "69002", "Lyon")
        .firm("Cabinet Moreau Économie", "1 rue de la République", "69001", "Lyon")
        .facts("Estimation du lot gros œuvre sous-évaluée de 40 %.")
        .without_actions_taken();
    assert_eq!(app.register(&intake).await?, "REC-2026-0001");
    Ok(())
}

async fn open_complaint(app: &mut App) -> TestResult {
    app.click_text("Réclamations").await?;
    app.click_text("REC-2026-0001").await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='REC-2026-0001']")).await?;
    Ok(())
}

async fn step(app: &mut App) -> TestResult<String> {
    Ok(app.client.find(Locator::Id("current-step")).await?.text().await?)
}

async fn relaunch(profile: &mut Profile, today: &str) -> TestResult<App> {
    profile.today = Some(today.into());
    let mut app = App::launch(profile).await?;
    // A new session: the user is chosen again.
    app.choose_user(SOPHIE).await?;
    open_complaint(&mut app).await?;
    Ok(app)
}

/// Calls a command directly from the page, as injected script would, bypassing the UI.
async fn forged_decision(app: &mut App) -> TestResult<serde_json::Value> {
    let script = "const done = arguments[arguments.length - 1];
        const staffId = Number(document.getElementById('current-user').value);
        window.__TAURI__.core.invoke('perform_action', { id: 1, staffId,
            form: { action: 'decide', date: '31/01/2026', choice: 'warning', text: 'forgé' } })
          .then((r) => done({ ok: r }), (e) => done({ err: e }));";
    Ok(app.client.execute_async(script, vec![]).await?)
}

/// One complaint from registration to closure: incomplete → details received → transmitted →
/// firm informed → firm answers → investigator → « avertissement » → letters sent → closed.
#[tokio::test]
async fn a_complaint_goes_through_the_whole_procedure() -> TestResult {
    let mut profile = Profile::on("2026-01-31")?;
    let mut app = App::launch(&profile).await?;

    // Paramètres: add the person who works, and pick her for this session.
    app.click_text("Paramètres").await?;
    app.fill(None, "Nom", "Sophie Martin").await?;
    app.fill(None, "Fonction", "Déléguée Générale").await?;
    app.click_text("Ajouter").await?;
    app.wait_for(Locator::XPath("//td[normalize-space(.)='Sophie Martin']")).await?;
    app.screenshot("10-parametres").await?;
    app.choose_user(SOPHIE).await?;

    register_incomplete(&mut app, "31/01/2026").await?;
    assert_eq!(step(&mut app).await?, "Enregistrée");
    let overall = app.clock_text("overall").await?;
    assert!(overall.contains("reçue le 31/01/2026 → + 6 mois = 31/07/2026"), "{overall}");

    // A forged call for an action the step does not allow is refused by the core.
    let forged = forged_decision(&mut app).await?;
    assert_eq!(forged["err"]["kind"], "action_not_allowed", "{forged}");
    assert_eq!(
        forged["err"]["message"],
        "L'action « Enregistrer la décision » n'est pas possible à l'étape « Enregistrée »."
    );
    // Only the allowed actions are offered.
    let buttons = app.client.find_all(Locator::Css(".procedure-actions button")).await?;
    let mut labels = Vec::new();
    for b in &buttons {
        labels.push(b.text().await?);
    }
    assert_eq!(labels, ["Accuser réception et demander des précisions", "Déclarer irrecevable"]);

    app.act("Accuser réception et demander des précisions", &[]).await?;
    assert_eq!(step(&mut app).await?, "En attente de précisions");
    let details = app.clock_text("complainant_details").await?;
    assert!(
        details.contains("demandées le 31/01/2026 → + 1 mois = 28/02/2026 → samedi → lundi 02/03/2026"),
        "{details}"
    );
    app.screenshot("11-attente-precisions").await?;
    app.quit().await?;

    let mut app = relaunch(&mut profile, "2026-02-10").await?;
    app.act(
        "Enregistrer les précisions reçues",
        &[("Précisions reçues", "Lettre du 9 février : relances restées sans effet.")],
    )
    .await?;
    assert_eq!(step(&mut app).await?, "Complète (recevable)");
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    assert_eq!(step(&mut app).await?, "Transmise — en analyse");
    app.act("Informer le qualifié", &[("Moyen", "Courrier")]).await?;
    assert_eq!(step(&mut app).await?, "Qualifié informé");
    let firm = app.clock_text("firm_answer").await?;
    assert!(firm.contains("mardi 10/03/2026") && firm.contains("Reste 28 j"), "{firm}");
    app.quit().await?;

    let mut app = relaunch(&mut profile, "2026-03-12").await?;
    let firm = app.clock_text("firm_answer").await?;
    assert!(firm.contains("Dépassé de 2 j"), "{firm}");
    let class = app.client.find(Locator::Css("tr[data-clock='firm_answer']")).await?.attr("class").await?;
    assert_eq!(class.as_deref(), Some("clock-overdue"));
    app.screenshot("12-reponse-qualifie-en-retard").await?;
    app.act(
        "Enregistrer la réponse du qualifié",
        &[("Résumé de la réponse", "Le cabinet reconnaît une erreur de métré.")],
    )
    .await?;
    assert!(app.clock_text("firm_answer").await?.contains("Réponse reçue"));
    app.act("Transmettre à un instructeur", &[("Nom de l'instructeur", "Paul Bernard")]).await?;
    assert_eq!(step(&mut app).await?, "Chez l'instructeur");
    // 12/04/2026 is a Sunday (a week after Easter): due on Monday 13/04/2026.
    let inv = app.clock_text("investigator_answer").await?;
    assert!(inv.contains("transmise le 12/03/2026 → + 1 mois = 12/04/2026 → dimanche → lundi 13/04/2026"), "{inv}");
    app.quit().await?;

    let mut app = relaunch(&mut profile, "2026-04-13").await?;
    assert!(app.clock_text("investigator_answer").await?.contains("Échéance aujourd'hui"));
    app.act("Enregistrer la réponse de l'instructeur", &[("Résumé de la réponse", "Faute avérée, sans gravité.")])
        .await?;
    app.act(
        "Enregistrer la décision",
        &[("Décision", "Avertissement"), ("Motifs de la décision", "Erreur de métré reconnue par le cabinet.")],
    )
    .await?;
    assert_eq!(step(&mut app).await?, "Décidée");
    app.act("Courriers envoyés : clore le dossier", &[]).await?;
    assert_eq!(step(&mut app).await?, "Clôturée");
    let page = app.main_text().await?;
    assert!(page.contains("Dossier clos."), "{page}");
    assert_eq!(app.client.find_all(Locator::Css(".procedure-actions button")).await?.len(), 0);

    // The journal, newest first, signed by the chosen user, with its chain intact.
    let entries = app.client.find_all(Locator::Css("ol.timeline > li")).await?;
    assert_eq!(entries.len(), 10, "registration + 9 actions");
    let newest = entries[0].text().await?;
    assert!(
        newest.contains("13/04/2026") && newest.contains("Sophie Martin") && newest.contains("dossier clos"),
        "{newest}"
    );
    let journal = app.client.find(Locator::Css("ol.timeline")).await?.text().await?;
    assert_contains_all(
        "journal",
        &journal,
        &[
            "Accusé de réception avec demande de précisions adressé le 31/01/2026",
            "Transmise au Responsable des Qualifications le 10/02/2026",
            "Qualifié informé de la réclamation par courrier le 10/02/2026",
            "Réponse du qualifié reçue le 12/03/2026",
            "Dossier transmis le 12/03/2026 à l'instructeur Paul Bernard",
            "Décision du 13/04/2026 : Avertissement.",
            "Erreur de métré reconnue par le cabinet.",
        ],
    );
    app.click_text("Vérifier l’intégrité").await?;
    app.wait_text("Journal intègre : 10 entrée(s) vérifiée(s)").await?;
    app.screenshot("13-dossier-clos").await?;

    // A phone call summary added by hand.
    app.click_text("Ajouter au journal").await?;
    app.select(None, "Type", "Appel téléphonique").await?;
    app.fill(None, "Participants", "Marc Lefèvre, Sophie Martin").await?;
    app.fill(None, "Résumé", "Le plaignant remercie pour la décision.").await?;
    let submit =
        app.wait_for(Locator::XPath("//form[@aria-label='Ajouter au journal']//button[@type='submit']")).await?;
    app.click(&submit).await?;
    app.wait_text("Participants : Marc Lefèvre, Sophie Martin").await?;
    app.quit().await
}

/// A complaint left open past 6 months is « en dépassement » until a justification is recorded.
#[tokio::test]
async fn an_overrun_shows_until_it_is_justified() -> TestResult {
    let mut profile = Profile::on("2026-01-05")?;
    let mut app = App::launch(&profile).await?;
    register_incomplete(&mut app, "02/01/2026").await?;
    assert!(app.clock_text("overall").await?.contains("Reste"));
    app.quit().await?;

    profile.today = Some("2026-07-10".into());
    let mut app = App::launch(&profile).await?;
    open_complaint(&mut app).await?;
    let overall = app.clock_text("overall").await?;
    assert!(overall.contains("En dépassement depuis 8 j"), "{overall}");
    assert!(overall.contains("reçue le 02/01/2026 → + 6 mois = 02/07/2026"), "{overall}");
    app.screenshot("14-depassement").await?;
    app.act(
        "Justifier le dépassement du délai",
        &[("Justification du dépassement", "Expertise contradictoire en cours.")],
    )
    .await?;
    let overall = app.clock_text("overall").await?;
    assert!(overall.contains("Dépassement justifié"), "{overall}");
    assert!(app
        .client
        .find_all(Locator::XPath("//button[normalize-space(.)='Justifier le dépassement du délai']"))
        .await?
        .is_empty());
    app.quit().await
}
