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
    // The user chosen before the restart is remembered on this workstation.
    app.wait_for(Locator::XPath(&format!(
        "//select[@id='current-user']/option[normalize-space(.)={}]",
        reclamations_e2e::xpath_literal(SOPHIE)
    )))
    .await?;
    let chosen = app
        .client
        .execute(
            "const s = document.getElementById('current-user'); return s.options[s.selectedIndex]?.text ?? '';",
            vec![],
        )
        .await?;
    assert_eq!(chosen, serde_json::json!(SOPHIE), "the user chosen before the restart");
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

/// The letters of the « Courriers exigés par la procédure » card: (letter code, state).
async fn obligations(app: &mut App) -> TestResult<Vec<(String, String)>> {
    let rows = app.client.find_all(Locator::Css("table.obligations tbody tr")).await?;
    let mut out = Vec::new();
    for r in rows {
        out.push((r.attr("data-letter").await?.unwrap_or_default(), r.attr("class").await?.unwrap_or_default()));
    }
    Ok(out)
}

/// One complaint from registration to closure, every letter the procedure requires generated
/// and marked sent before the step that waits for it: incomplete → précisions received →
/// transmitted → firm informed by its letter → firm answers → investigator → « avertissement »
/// → « clore » refused until both decision letters are sent → closed.
#[tokio::test]
async fn a_complaint_goes_through_the_whole_procedure_with_its_letters() -> TestResult {
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
    app.add_intervenant("Instructeur", "Monsieur", "Paul Bernard", "économiste").await?;

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
    assert_eq!(obligations(&mut app).await?, [("request_details".to_owned(), "obligation-to_prepare".to_owned())]);

    // One event, one recording: the request marked sent is the request made (no action more).
    app.send_letter("Accusé de réception et demande de précisions").await?;
    assert_eq!(step(&mut app).await?, "En attente de précisions");
    let buttons = app.client.find_all(Locator::Css(".procedure-actions button")).await?;
    for b in &buttons {
        assert_ne!(b.text().await?, "Accuser réception et demander des précisions", "already recorded by the letter");
    }
    let details = app.clock_text("complainant_details").await?;
    assert!(
        details.contains("demandées le 31/01/2026 → + 1 mois = 28/02/2026 → samedi → lundi 02/03/2026"),
        "{details}"
    );
    // The closure for lack of details is owed only once the complainant's month has run: « à
    // venir », not « à préparer », and not offered.
    let owed = obligations(&mut app).await?;
    assert!(owed.contains(&("lack_of_details_closure".to_owned(), "obligation-upcoming".to_owned())), "{owed:?}");
    app.wait_text("à venir le 03/03/2026").await?;
    assert!(app
        .client
        .find_all(Locator::XPath("//button[normalize-space(.)='Générer : Clôture faute de précisions']"))
        .await?
        .is_empty());
    app.screenshot("11-attente-precisions").await?;
    app.quit().await?;

    let mut app = relaunch(&mut profile, "2026-02-10").await?;
    app.act_ticking(
        "Enregistrer les précisions reçues",
        &[("Éléments reçus", "la mention des actions déjà menées auprès du qualifié ou certifié")],
        &[
            ("Précisions reçues", "Lettre du 9 février : relances restées sans effet."),
            (
                "Actions déjà menées reçues (elles complètent la réclamation)",
                "Relances des 2 et 20 octobre, restées sans effet.",
            ),
        ],
    )
    .await?;
    assert_eq!(step(&mut app).await?, "Complète (recevable)");
    // What was received completes the complaint: its page shows it.
    app.wait_text("Relances des 2 et 20 octobre, restées sans effet.").await?;
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    assert_eq!(step(&mut app).await?, "Transmise — en analyse");
    // By letter, the firm is informed when its letter is marked sent.
    app.send_letter("Information du qualifié").await?;
    assert_eq!(step(&mut app).await?, "Qualifié informé");
    let firm = app.clock_text("firm_answer").await?;
    assert!(firm.contains("mardi 10/03/2026") && firm.contains("Reste 28 j"), "{firm}");
    assert!(firm.contains("échéance indiquée dans le courrier"), "{firm}");
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
    // The instructeur is chosen from the register, once he has declared no conflict of interest.
    app.act_refused(
        "Transmettre à un instructeur",
        &[("Instructeur", "M. Paul Bernard — économiste")],
        "M. Paul Bernard n'a pas encore déclaré l'absence de conflit d'intérêts pour ce dossier",
    )
    .await?;
    app.declare("M. Paul Bernard — économiste", "Absence de conflit d’intérêts", "").await?;
    // One event, one recording: the transmission letter, addressed to the instructeur chosen
    // for it, passes him the file when it is marked sent.
    app.click_text("Générer : Transmission à l'instructeur").await?;
    app.select(None, "Instructeur destinataire", "M. Paul Bernard — économiste").await?;
    app.click_text("Aperçu du courrier").await?;
    app.validate_preview("Transmission à l'instructeur").await?;
    assert_eq!(step(&mut app).await?, "Qualifié informé");
    app.mark_letter_sent("Transmission à l'instructeur", None).await?;
    app.wait_for(Locator::XPath("//*[@id='current-step'][normalize-space(.)=\"Chez l'instructeur\"]")).await?;
    // 12/04/2026 is a Sunday (a week after Easter): the letter states Monday 13/04/2026, and
    // his clock keeps that date.
    let inv = app.clock_text("investigator_answer").await?;
    assert!(inv.contains("transmise le 12/03/2026 → échéance indiquée dans le courrier : lundi 13/04/2026"), "{inv}");
    // Addressed to him, at the address of the register.
    let transmission =
        reclamations_e2e::tools::files_named(&profile.data_dir().join("documents"), "investigator_transmission")
            .pop()
            .ok_or("no transmission letter")?;
    if let Some(text) = reclamations_e2e::tools::pdf_text(&transmission)? {
        assert_contains_all(
            "transmission",
            &text,
            &["Monsieur Paul Bernard", "5 rue Garibaldi", "69006 LYON", "Monsieur,"],
        );
    }
    app.quit().await?;

    let mut app = relaunch(&mut profile, "2026-04-13").await?;
    assert!(app.clock_text("investigator_answer").await?.contains("Échéance aujourd'hui"));
    app.act("Enregistrer la réponse de l'instructeur", &[("Résumé de la réponse", "Faute avérée, sans gravité.")])
        .await?;
    app.act(
        "Enregistrer la décision",
        &[
            ("Décision", "Avertissement"),
            ("Décidée par", "Responsable des Qualifications"),
            ("Motifs adressés au plaignant", "Erreur de métré reconnue par le cabinet."),
            ("Motifs adressés au qualifié", "Vos métrés doivent être contrôlés par un second économiste."),
        ],
    )
    .await?;
    assert_eq!(step(&mut app).await?, "Décidée");
    let decisions = app.client.find(Locator::Css("ol.decisions")).await?.text().await?;
    assert_contains_all(
        "décisions",
        &decisions,
        &["Avertissement", "par Responsable des Qualifications", "Motifs adressés au qualifié", "second économiste"],
    );

    // « Clore » is refused while a decision letter is not sent, the message next to the form.
    let waiting = app.client.find(Locator::Css(".waiting-for")).await?.text().await?;
    assert!(waiting.contains("Le courrier de décision au plaignant n'a pas été envoyé."), "{waiting}");
    app.act_refused("Clore le dossier", &[], "Le courrier de décision au qualifié n'a pas été envoyé.").await?;
    app.screenshot("13-cloture-refusee").await?;
    app.send_letter("Décision : avertissement (plaignant)").await?;
    app.act_refused("Clore le dossier", &[], "Le courrier de décision au qualifié n'a pas été envoyé.").await?;
    let refusal = app.main_text().await?;
    assert!(!refusal.contains("Le courrier de décision au plaignant n'a pas été envoyé."), "{refusal}");
    app.send_letter("Décision : avertissement (qualifié)").await?;
    assert!(app.client.find_all(Locator::Css(".waiting-for")).await?.is_empty());
    app.act("Clore le dossier", &[]).await?;
    assert_eq!(step(&mut app).await?, "Clôturée");
    let page = app.main_text().await?;
    assert!(page.contains("Dossier clos."), "{page}");
    assert_eq!(app.client.find_all(Locator::Css(".procedure-actions button")).await?.len(), 0);
    for (letter, state) in obligations(&mut app).await? {
        assert_eq!(state, "obligation-sent", "{letter}");
    }

    // The journal, newest first, signed by the chosen user, with its chain intact.
    let entries = app.client.find_all(Locator::Css("ol.timeline > li")).await?;
    let newest = entries[0].text().await?;
    assert!(
        newest.contains("13/04/2026")
            && newest.contains("Sophie Martin")
            && newest.contains("Dossier clos le 13/04/2026."),
        "{newest}"
    );
    let journal = app.client.find(Locator::Css("ol.timeline")).await?.text().await?;
    assert_contains_all(
        "journal",
        &journal,
        &[
            "Demande de précisions enregistrée, datée du 31/01/2026",
            "Transmise au Responsable des Qualifications le 10/02/2026",
            "Qualifié informé de la réclamation par le courrier « Information du qualifié » envoyé le 10/02/2026 en courrier simple",
            "Réponse du qualifié reçue le 12/03/2026",
            "Dossier transmis le 12/03/2026 à l'instructeur M. Paul Bernard",
            "Décision du 13/04/2026 : Avertissement, prise par le Responsable des Qualifications.",
            "Le courrier de décision au qualifié : envoyé le 13/04/2026 (courrier simple)",
            "Erreur de métré reconnue par le cabinet.",
        ],
    );
    app.click_text("Vérifier l’intégrité").await?;
    app.wait_text("Journal intègre :").await?;
    app.screenshot("14-dossier-clos").await?;

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

/// A complaint left open past 6 months is « en dépassement » until its reason is recorded and
/// both letters explaining it are sent.
#[tokio::test]
async fn an_overrun_is_justified_only_after_both_letters() -> TestResult {
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
    app.act(
        "Motiver le dépassement du délai",
        &[
            ("Motif du dépassement (repris dans les deux courriers)", "Expertise contradictoire en cours."),
            ("Date prévue de la décision", "30/09/2026"),
        ],
    )
    .await?;
    let overall = app.clock_text("overall").await?;
    assert!(overall.contains("motif enregistré, courriers à envoyer"), "{overall}");
    app.screenshot("15-depassement-motive").await?;
    app.send_letter("Justification du dépassement (plaignant)").await?;
    let overall = app.clock_text("overall").await?;
    assert!(overall.contains("En dépassement depuis"), "one letter is not enough: {overall}");
    app.send_letter("Justification du dépassement (qualifié)").await?;
    let overall = app.clock_text("overall").await?;
    assert!(overall.contains("Dépassement justifié"), "{overall}");
    let journal = app.client.find(Locator::Css("ol.timeline")).await?.text().await?;
    assert!(journal.contains("Dépassement du délai global justifié le 10/07/2026 : motif enregistré"), "{journal}");
    assert!(app
        .client
        .find_all(Locator::XPath("//button[normalize-space(.)='Motiver le dépassement du délai']"))
        .await?
        .is_empty());
    app.screenshot("16-depassement-justifie").await?;
    app.quit().await
}
