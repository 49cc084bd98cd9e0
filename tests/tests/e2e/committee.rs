//! The expert and the appeals committee in the real window: an expert chosen from the register
//! after his declaration, his mission letter, his report and a new decision; then the committee's
//! hearing, the firm's convocation and a suspension of one qualification out of two, written back
//! to the firm's file and seen by the intake of the next complaint.

use fantoccini::Locator;
use reclamations_e2e::tools::{files_named as archived, pdf_text};
use reclamations_e2e::{assert_contains_all, App, FirmChoice, Intake, Nature, Profile, Role, SeedFirm, TestResult};

const FIRM: &str = "Cabinet Deux Lots — Lyon";

/// A client's complete complaint received `received`, against the seeded firm.
fn against_the_firm(received: &str) -> Intake {
    Intake::blank()
        .received(received)
        .role(Role::Client)
        .complainant("Claire Lefèvre")
        .email("claire.lefevre@example.fr")
        .complainant_address("12 rue des Lilas", "69003", "Lyon")
        .facts("Le métré remis était faux de 30 %.")
        .actions_taken("Courrier au cabinet le 2 octobre, sans réponse.")
        .natures(&[Nature::Services])
        .firm_choice(FirmChoice::Listed(FIRM.into()))
}

async fn step(app: &mut App) -> TestResult<String> {
    Ok(app.client.find(Locator::Id("current-step")).await?.text().await?)
}

/// Takes the complaint to « Qualifié informé » by phone.
async fn to_firm_informed(app: &mut App) -> TestResult {
    app.act("Accuser réception (réclamation complète)", &[]).await?;
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    app.act("Informer le qualifié", &[("Moyen", "Téléphone"), ("Résumé de l'échange", "Appel au gérant.")]).await
}

#[tokio::test]
async fn an_expert_reports_then_the_committee_suspends_one_qualification_of_two() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    profile.seed_firm(&SeedFirm {
        name: "Cabinet Deux Lots".into(),
        street: "9 quai de Saône".into(),
        postcode: "69009".into(),
        city: "Lyon".into(),
        is_qualified: true,
        qualifications: vec![
            ("2.1".into(), "Économie de la construction".into(), "01/01/2022".into(), "31/12/2030".into()),
            ("3.2".into(), "Métré".into(), "01/01/2022".into(), "31/12/2030".into()),
        ],
    })?;
    let mut app = App::launch(&profile).await?;
    assert_eq!(app.register(&against_the_firm("27/11/2026")).await?, "REC-2026-0001");
    app.add_intervenant("Expert", "Madame", "Anne Roux", "métreur").await?;
    app.click_text("Réclamations").await?;
    app.click_text("REC-2026-0001").await?;
    to_firm_informed(&mut app).await?;

    // « Appel à un expert », its two letters, then the expert appointed after his declaration.
    app.act(
        "Enregistrer la décision",
        &[
            ("Décision", "Appel à un expert"),
            ("Motifs adressés au plaignant", "Un contre-métré est nécessaire."),
            ("Motifs adressés au qualifié", "Vos métrés du lot 2 sont contestés."),
            ("Décision sans attendre la réponse du qualifié : motif", "Le cabinet a répondu par téléphone."),
        ],
    )
    .await?;
    assert_eq!(step(&mut app).await?, "Expertise en cours");
    app.declare("Mme Anne Roux — métreur", "Absence de conflit d’intérêts", "").await?;
    app.act(
        "Désigner l'expert",
        &[("Expert", "Mme Anne Roux — métreur"), ("Mission de l'expert", "Contre-métré du lot 2.")],
    )
    .await?;
    let clock = app.clock_text("expert_report").await?;
    assert!(clock.contains("expert désigné le 28/11/2026 → + 1 mois = 28/12/2026"), "{clock}");
    // The report waits for the mission letter and the parties' information.
    app.act_refused(
        "Enregistrer le rapport de l'expert",
        &[("Conclusions de l'expert", "Écart de 30 % confirmé.")],
        "La lettre de mission à l'expert n'a pas été envoyée.",
    )
    .await?;
    app.send_letter("Mission de l'expert").await?;
    let mission = archived(&profile.data_dir().join("documents"), "expert_mission");
    let mission = mission.first().ok_or("no mission letter")?;
    if let Some(text) = pdf_text(mission)? {
        assert_contains_all(
            "mission",
            &text,
            &["Madame Anne Roux", "5 rue Garibaldi", "69006 LYON", "Contre-métré du lot 2."],
        );
    }
    app.send_letter("Désignation de l'expert (plaignant)").await?;
    app.send_letter("Désignation de l'expert (qualifié)").await?;
    app.send_letter("Décision : appel à un expert (plaignant)").await?;
    app.send_letter("Décision : appel à un expert (qualifié)").await?;
    app.act("Enregistrer le rapport de l'expert", &[("Conclusions de l'expert", "Écart de 30 % confirmé.")]).await?;
    assert!(app.clock_text("expert_report").await?.contains("Réponse reçue"));

    // A new decision: the committee. Its hearing, the convocation, then the outcome.
    app.act(
        "Enregistrer la décision",
        &[
            ("Décision", "Passage en commission de recours"),
            ("Motifs adressés au plaignant", "Les faits sont graves."),
            ("Motifs adressés au qualifié", "Les erreurs répétées justifient un examen par la commission."),
        ],
    )
    .await?;
    assert_eq!(step(&mut app).await?, "En commission de recours");
    let history = app.client.find(Locator::Css("ol.decisions")).await?.text().await?;
    assert_contains_all(
        "history",
        &history,
        &["Appel à un expert", "Passage en commission de recours", "décision en vigueur"],
    );
    app.act("Fixer la séance de la commission", &[("Date de la séance", "15/12/2026")]).await?;
    app.send_letter("Décision : commission de recours (plaignant)").await?;
    app.send_letter("Décision : commission de recours (qualifié)").await?;
    app.send_letter("Convocation du qualifié à la commission de recours").await?;
    let convocation = archived(&profile.data_dir().join("documents"), "committee_convocation");
    if let Some(text) = pdf_text(convocation.first().ok_or("no convocation")?)? {
        assert!(text.contains("15 décembre 2026"), "{text}");
    }

    // The outcome per qualification: 2.1 suspended, 3.2 maintained.
    app.click_text("Enregistrer la décision de la commission").await?;
    let form = "//form[@aria-label='Enregistrer la décision de la commission']";
    app.wait_for(Locator::XPath(form)).await?;
    app.select(None, "Décision pour Qualification 2.1 — Économie de la construction", "Suspendue").await?;
    app.fill(None, "Du (Qualification 2.1 — Économie de la construction)", "01/12/2026").await?;
    app.fill(None, "Au (Qualification 2.1 — Économie de la construction)", "31/05/2027").await?;
    app.select(None, "Décision pour Qualification 3.2 — Métré", "Maintenue").await?;
    app.fill(None, "Motifs adressés au plaignant", "La commission a suspendu une qualification.").await?;
    app.fill(None, "Motifs adressés au qualifié", "Suspension de six mois de la qualification 2.1.").await?;
    app.screenshot("70-commission-par-qualification").await?;
    let submit = app.wait_for(Locator::XPath(&format!("{form}//button[normalize-space(.)='Valider']"))).await?;
    app.click(&submit).await?;
    app.wait_text("Enregistré : Enregistrer la décision de la commission.").await?;
    assert_eq!(step(&mut app).await?, "Décidée");
    let journal = app.client.find(Locator::Css("ol.timeline")).await?.text().await?;
    assert!(
        journal.contains("Qualification 2.1 — Économie de la construction : suspendue du 01/12/2026 au 31/05/2027 ; Qualification 3.2 — Métré : maintenue"),
        "{journal}"
    );

    // The firm's file shows the suspension, with the complaint.
    app.click_text("Qualifiés").await?;
    app.click_text("Cabinet Deux Lots").await?;
    app.wait_text("Dossier du qualifié").await?;
    let row = app.wait_for(Locator::Css("tr[data-qualification='2.1'] .qualification-status")).await?.text().await?;
    assert!(row.contains("Suspendue") && row.contains("REC-2026-0001"), "{row}");
    let kept = app.wait_for(Locator::Css("tr[data-qualification='3.2'] .qualification-status")).await?.text().await?;
    assert_eq!(kept, "—");
    app.screenshot("71-dossier-qualifie-suspendu").await?;
    app.quit().await?;

    // A later complaint against that firm, received during the suspension: its status says so.
    let mut later = profile;
    later.today = Some("2027-01-15".into());
    let mut app = App::launch(&later).await?;
    app.open_intake_form().await?;
    app.fill_intake(&against_the_firm("14/01/2027")).await?;
    let shown = app.wait_for(Locator::Css("#firm-scope")).await?;
    app.client
        .execute("arguments[0].scrollIntoView({ block: 'center' });", vec![serde_json::to_value(&shown)?])
        .await?;
    let scope = shown.text().await?;
    assert!(scope.contains("suspendue du 01/12/2026 au 31/05/2027"), "{scope}");
    assert!(scope.contains("3.2"), "the maintained one is still valid: {scope}");
    app.screenshot("72-saisie-qualification-suspendue").await?;
    app.quit().await
}
