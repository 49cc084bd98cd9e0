//! Letters: produced from the complaint page, archived in the data dir, journaled, printed as
//! the day's mail, marked sent, exported for an audit; templates edited in Paramètres.

use fantoccini::Locator;
use reclamations_e2e::tools::{pdf_page_one_png, pdf_text, sha256, sha256_check};
use reclamations_e2e::{assert_contains_all, App, Civility, Intake, Profile, TestResult};
use std::path::PathBuf;

async fn generate(app: &mut App, label: &str) -> TestResult {
    app.generate_letter(label).await
}

/// The archived files of the complaint, oldest first.
fn archived(profile: &Profile) -> TestResult<Vec<PathBuf>> {
    let dir = profile.data_dir().join("documents/Q00001-economie-batiment-conseil/REC-2026-0001");
    let mut files = std::fs::read_dir(&dir)?.map(|e| Ok(e?.path())).collect::<TestResult<Vec<PathBuf>>>()?;
    files.sort();
    Ok(files)
}

#[tokio::test]
async fn letters_are_generated_archived_journaled_and_sent() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    assert_eq!(app.register(&Intake::complete().civility(Civility::Madame)).await?, "REC-2026-0001");

    // The AR, from the complaint page.
    generate(&mut app, "Accusé de réception").await?;
    let files = archived(&profile)?;
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with("2026-11-28_acknowledgement_v1.pdf"), "{files:?}");
    let journal = app.client.find(Locator::Css("ol.timeline")).await?.text().await?;
    if let Some(hash) = sha256(&files[0])? {
        assert!(journal.contains(&format!("SHA-256 {hash}")), "journal lacks the file's hash {hash}:\n{journal}");
    }
    assert!(journal.contains("Courrier généré : Accusé de réception (modèle v1)"), "{journal}");
    if let Some(text) = pdf_text(&files[0])? {
        assert_contains_all(
            "AR",
            &text,
            &[
                "Madame Claire Lefèvre",
                "69003 LYON",
                "Réf. : REC-2026-0001",
                "Paris, le 28 novembre 2026",
                "27 novembre 2026",
            ],
        );
    }
    pdf_page_one_png(&files[0], "lettre-1-accuse-de-reception")?;
    app.screenshot("20-courriers").await?;

    // The day's mail: one PDF with the letters not yet sent.
    app.click_text("Réclamations").await?;
    app.click_text("Courrier du jour").await?;
    app.wait_text("1 courrier(s) du jour réunis dans").await?;
    let printed = profile.data_dir().join("impressions/courrier-du-jour-2026-11-28.pdf");
    if let Some(text) = pdf_text(&printed)? {
        assert!(text.contains("Réf. : REC-2026-0001"), "{text}");
    }

    // Through the procedure to a warning, with the firm's notification and the decision letter.
    app.click_text("REC-2026-0001").await?;
    app.act("Accuser réception (réclamation complète)", &[]).await?;
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    app.fill(None, "N° de recommandé (si envoi recommandé)", "1A 987 654 3210 9").await?;
    generate(&mut app, "Information du qualifié").await?;
    // Marked sent by registered post: the firm is informed that day.
    app.mark_letter_sent("Information du qualifié", Some("1A 987 654 3210 9")).await?;
    app.wait_text("Qualifié informé de la réclamation par le courrier « Information du qualifié » envoyé le 28/11/2026 en recommandé avec AR n° 1A 987 654 3210 9").await?;
    app.act(
        "Enregistrer la décision",
        &[
            ("Décision", "Avertissement"),
            ("Motifs adressés au plaignant", "Le cabinet a reconnu l'erreur."),
            ("Motifs adressés au qualifié", "Métré erroné de 30 %."),
            ("Décision sans attendre la réponse du qualifié : motif", "Le cabinet a reconnu les faits par téléphone."),
        ],
    )
    .await?;
    generate(&mut app, "Décision : avertissement (qualifié)").await?;
    let files = archived(&profile)?;
    assert_eq!(files.len(), 3, "{files:?}");
    let notification =
        files.iter().find(|f| f.to_string_lossy().contains("firm_notification")).ok_or("no notification")?;
    if let Some(text) = pdf_text(notification)? {
        assert_contains_all(
            "notification",
            &text,
            &[
                "Économie Bâtiment Conseil",
                "75016 PARIS",
                "Lettre recommandée avec accusé de réception n° 1A 987 654 3210 9",
                "au plus tard le 28 décembre 2026",
                // The facts and the actions as typed at intake, and the natures ticked.
                "Le métré remis était faux de 30 %.",
                "Courrier au cabinet le 2 octobre, sans réponse.",
                "Elle porte sur : prestations réalisées.",
                "le Responsable des Qualifications vous demande",
            ],
        );
        assert!(!text.contains("Pièce jointe"), "facts mode by default:\n{text}");
    }
    pdf_page_one_png(notification, "lettre-2-information-du-qualifie")?;
    let decision = files.iter().find(|f| f.to_string_lossy().contains("decision_warning_firm")).ok_or("no decision")?;
    if let Some(text) = pdf_text(decision)? {
        assert!(text.contains("Métré erroné de 30"), "{text}");
    }
    pdf_page_one_png(decision, "lettre-3-decision-avertissement")?;

    // Marking the AR sent by registered post.
    let row = app
        .wait_for(Locator::XPath("//table[@aria-label='Documents du dossier']//tr[contains(., 'Accusé de réception')]"))
        .await?;
    let mark = row.find(Locator::XPath(".//button[normalize-space(.)='Marquer envoyé']")).await?;
    app.click(&mark).await?;
    app.select(None, "Mode d’envoi", "Recommandé avec AR").await?;
    app.fill(None, "N° du recommandé", "1A 111 222 3333 4").await?;
    let submit = app
        .wait_for(Locator::XPath("//form[starts-with(@aria-label, 'Marquer envoyé')]//button[@type='submit']"))
        .await?;
    app.click(&submit).await?;
    app.wait_text("Envoyé le 28/11/2026 en recommandé n° 1A 111 222 3333 4").await?;
    app.wait_text("Courrier « Accusé de réception » envoyé le 28/11/2026 en recommandé avec AR n° 1A 111 222 3333 4.")
        .await?;
    app.screenshot("21-courriers-envoyes").await?;

    // The dossier exported for an audit: every file listed in the manifest matches its hash.
    let audit = profile.root.path().join("audit");
    std::fs::create_dir_all(&audit)?;
    app.fill(None, "ou dans le dossier", &audit.display().to_string()).await?;
    app.click_text("Exporter dans ce dossier").await?;
    app.wait_text("Dossier exporté :").await?;
    let dossier = audit.join("dossier-REC-2026-0001");
    if let Some(check) = sha256_check(&dossier, "manifeste-sha256.txt")? {
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
        assert_eq!(
            String::from_utf8_lossy(&check.stdout).lines().count(),
            7,
            "synthèse, journal, intégrité, JSON and 3 letters"
        );
    }
    app.quit().await
}

#[tokio::test]
async fn templates_refuse_unknown_fields_and_restore_the_default() -> TestResult {
    let profile = Profile::new()?;
    let mut app = App::launch(&profile).await?;
    app.click_text("Paramètres").await?;
    app.select(None, "Courrier", "Accusé de réception").await?;
    app.fill(None, "Texte du courrier", "{{appel}},\n\nVotre dossier {{numero_dossier}} est reçu.").await?;
    app.click_text("Enregistrer le modèle").await?;
    app.wait_text("Champ de fusion inconnu : {{numero_dossier}}").await?;
    app.screenshot("22-modeles-erreur").await?;
    app.fill(None, "Texte du courrier", "{{appel}},\n\nVotre dossier {{reference}} est bien reçu.\n\nSalutations.")
        .await?;
    app.click_text("Enregistrer le modèle").await?;
    app.wait_text("Modèle enregistré (version 2).").await?;
    app.click_text("Restaurer le texte d’origine").await?;
    app.wait_text("Texte d’origine rétabli (version 3).").await?;
    let body = app.value(None, "Texte du courrier").await?;
    assert!(body.contains("Nous accusons réception de votre réclamation"), "{body}");
    app.quit().await
}

#[tokio::test]
async fn the_firm_letter_content_is_chosen_in_settings() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    app.click_text("Paramètres").await?;
    app.select(None, "Le courrier d’information du qualifié contient", "La réclamation en pièce jointe").await?;
    app.select(
        None,
        "Par courrier, le délai de réponse du qualifié court à compter de",
        "La date de l'avis de réception (lettre recommandée)",
    )
    .await?;
    app.fill(
        None,
        "Nouvelle échéance donnée par les relances (qualifié, instructeur, expert, plaignant), en jours",
        "0",
    )
    .await?;
    app.click_text("Enregistrer le contenu des courriers").await?;
    app.wait_text("Entre 1 et 90 jours.").await?;
    app.fill(
        None,
        "Nouvelle échéance donnée par les relances (qualifié, instructeur, expert, plaignant), en jours",
        "10",
    )
    .await?;
    app.click_text("Enregistrer le contenu des courriers").await?;
    app.wait_text("Contenu des courriers enregistré.").await?;
    app.screenshot("25-contenu-des-courriers").await?;

    // In « enclosure » mode the firm's letter needs the complaint received in the file.
    assert_eq!(app.register(&Intake::complete().civility(Civility::Madame)).await?, "REC-2026-0001");
    app.act("Accuser réception (réclamation complète)", &[]).await?;
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    app.click_text("Générer : Information du qualifié").await?;
    app.wait_text("joignez d'abord au dossier la réclamation reçue (scan ou courriel)").await?;
    app.screenshot("26-information-sans-piece-jointe").await?;
    assert!(
        !profile.data_dir().join("documents/Q00001-economie-batiment-conseil/REC-2026-0001").exists()
            || archived(&profile)?.iter().all(|f| !f.to_string_lossy().contains("firm_notification"))
    );

    // Back to the facts quoted: the letter is made, with the setting read back.
    app.click_text("Paramètres").await?;
    let chosen = app.value(None, "Le courrier d’information du qualifié contient").await?;
    assert_eq!(chosen, "enclosure");
    assert_eq!(
        app.value(None, "Par courrier, le délai de réponse du qualifié court à compter de").await?,
        "ar_returned"
    );
    app.select(None, "Le courrier d’information du qualifié contient", "Les faits cités dans le courrier").await?;
    app.click_text("Enregistrer le contenu des courriers").await?;
    app.wait_text("Contenu des courriers enregistré.").await?;
    app.click_text("Réclamations").await?;
    app.click_text("REC-2026-0001").await?;
    generate(&mut app, "Information du qualifié").await?;
    let files = archived(&profile)?;
    let notification =
        files.iter().find(|f| f.to_string_lossy().contains("firm_notification")).ok_or("no notification")?;
    if let Some(text) = pdf_text(notification)? {
        assert_contains_all(
            "notification",
            &text,
            &["Le métré remis était faux de 30 %.", "au plus tard le 28 décembre 2026"],
        );
    }
    app.quit().await
}

#[tokio::test]
async fn the_day_s_mail_starts_with_its_letters_and_the_deposit_list_of_the_registered_ones() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    assert_eq!(app.register(&Intake::complete().civility(Civility::Madame)).await?, "REC-2026-0001");
    generate(&mut app, "Accusé de réception").await?;
    app.act("Accuser réception (réclamation complète)", &[]).await?;
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    app.fill(None, "N° de recommandé (si envoi recommandé)", "1A 987 654 3210 9").await?;
    generate(&mut app, "Information du qualifié").await?;

    app.click_text("Réclamations").await?;
    app.click_text("Courrier du jour").await?;
    app.wait_text("2 courrier(s) du jour réunis dans").await?;
    let printed = profile.data_dir().join("impressions/courrier-du-jour-2026-11-28.pdf");
    pdf_page_one_png(&printed, "courrier-du-jour-1-liste")?;
    let Some(text) = pdf_text(&printed)? else { return app.quit().await };
    let text = text.replace('\u{a0}', " ");
    let at = |part: &str| text.find(part).ok_or_else(|| format!("« {part} » not in the day's mail:\n{text}"));
    // First the list of the letters, then the deposit list, then the letters themselves.
    let list = at("Objet : Liste des courriers du jour")?;
    let deposit = at("Objet : Liste de dépôt des envois recommandés")?;
    let first_letter = at("Réf. : REC-2026-0001")?;
    assert!(list < deposit && deposit < first_letter, "{text}");
    assert_contains_all(
        "list of the letters",
        &text[list..deposit],
        &[
            "2 courrier(s) à mettre sous pli et à poster, dont 1 en recommandé avec avis de réception",
            "1. REC-2026-0001 – Accusé de réception – Madame Claire Lefèvre",
            "69003 LYON – lettre simple",
            "2. REC-2026-0001 – Information du qualifié – Économie Bâtiment Conseil",
            "recommandé avec AR n° 1A 987 654 3210 9",
        ],
    );
    assert_contains_all(
        "deposit list",
        &text[deposit..first_letter],
        &[
            "Expéditeur : OPQTECC",
            "Date du dépôt : 28 novembre 2026",
            "1. N° 1A 987 654 3210 9 – Économie Bâtiment Conseil",
            "75016 PARIS",
            "Total : 1 envoi(s) recommandé(s) avec avis de réception.",
            "Cachet et signature du guichet",
        ],
    );
    app.quit().await
}
