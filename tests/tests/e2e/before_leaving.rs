//! Letters checked before they leave, in the real window: « Générer » shows the letter as it
//! will print and archives nothing until « Valider et archiver »; a letter made and not sent is
//! « Régénérer », the earlier one kept and marked replaced; the acknowledgement marked sent is
//! the complaint acknowledged; a decision letter adapted for one file prints the sentence added.

use fantoccini::Locator;
use reclamations_e2e::tools::{files_named, pdf_text};
use reclamations_e2e::{App, Civility, Intake, Profile, TestResult};

async fn step(app: &mut App) -> TestResult<String> {
    Ok(app.client.find(Locator::Id("current-step")).await?.text().await?)
}

fn documents(profile: &Profile) -> TestResult<i64> {
    let conn = rusqlite::Connection::open(profile.layout().database())?;
    Ok(conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?)
}

#[tokio::test]
async fn the_acknowledgement_is_previewed_validated_regenerated_and_sent_in_one_recording() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    assert_eq!(app.register(&Intake::complete().civility(Civility::Madame)).await?, "REC-2026-0001");

    // « Générer »: the preview, nothing archived.
    app.click_text("Générer : Accusé de réception").await?;
    app.wait_text("Aperçu : Accusé de réception").await?;
    let paper = app.wait_for(Locator::Css("[aria-label='Aperçu du courrier']")).await?.text().await?;
    assert!(paper.contains("Madame Claire Lefèvre") && paper.contains("Objet :"), "{paper}");
    assert_eq!(documents(&profile)?, 0, "a preview archives nothing");
    app.screenshot("27-apercu-accuse-de-reception").await?;
    app.click_text("Ouvrir l’aperçu PDF").await?;
    app.wait_text("(non archivé)").await?;
    let previews = files_named(&profile.data_dir().join("impressions"), "apercu-REC-2026-0001-acknowledgement");
    assert_eq!(previews.len(), 1, "{previews:?}");
    if let Some(text) = pdf_text(&previews[0])? {
        assert!(text.contains("Madame Claire Lefèvre"), "{text}");
    }
    assert_eq!(documents(&profile)?, 0);
    // « Fermer l'aperçu » leaves nothing behind.
    app.click_text("Fermer l’aperçu").await?;
    assert_eq!(documents(&profile)?, 0);

    // Validated: archived once.
    app.generate_letter("Accusé de réception").await?;
    assert_eq!(documents(&profile)?, 1);

    // Made and not sent: « Régénérer », with the warning; the earlier one stays, replaced.
    app.click_text("Régénérer : Accusé de réception").await?;
    app.wait_text("n’a pas été envoyé : en validant celui-ci, l’ancien reste archivé, marqué « remplacé »").await?;
    app.screenshot("28-regenerer-avertissement").await?;
    app.validate_preview("Accusé de réception").await?;
    app.wait_text("Non envoyé — Remplacé par le courrier du 28/11/2026, non envoyé").await?;
    assert_eq!(documents(&profile)?, 2);
    let sendable = app
        .client
        .find_all(Locator::XPath(
            "//table[@aria-label='Documents du dossier']//button[normalize-space(.)='Marquer envoyé']",
        ))
        .await?;
    assert_eq!(sendable.len(), 1, "only the letter in force can be marked sent");

    // Marked sent: the complaint is acknowledged, without another action.
    assert_eq!(step(&mut app).await?, "Enregistrée");
    app.mark_letter_sent("Accusé de réception", None).await?;
    app.wait_for(Locator::XPath("//*[@id='current-step'][normalize-space(.)='Complète (recevable)']")).await?;
    let actions = app.client.find_all(Locator::Css(".procedure-actions button")).await?;
    for b in &actions {
        assert!(!b.text().await?.starts_with("Accuser réception"), "the acknowledgement is recorded by its letter");
    }
    let journal = app.client.find(Locator::Css("ol.timeline")).await?.text().await?;
    assert!(journal.contains("Il remplace le courrier du 28/11/2026, non envoyé, qui reste archivé."), "{journal}");
    // Sent, the acknowledgement is no longer offered.
    assert!(app
        .client
        .find_all(Locator::XPath("//button[contains(normalize-space(.), ': Accusé de réception')]"))
        .await?
        .is_empty());
    app.screenshot("29-accuse-envoye-etape").await?;
    app.quit().await
}

#[tokio::test]
async fn a_decision_letter_adapted_for_one_file_prints_the_sentence_added() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    assert_eq!(app.register(&Intake::complete().civility(Civility::Madame)).await?, "REC-2026-0001");
    app.act("Accuser réception (réclamation complète)", &[]).await?;
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    app.act("Informer le qualifié", &[("Moyen", "Téléphone"), ("Résumé de l'échange", "Appel au gérant.")]).await?;
    app.act(
        "Enregistrer la décision",
        &[
            ("Décision", "Avertissement"),
            ("Motifs adressés au plaignant", "Le métré comportait une erreur de 30 %."),
            ("Motifs adressés au qualifié", "Votre métré comportait une erreur de 30 %."),
            ("Décision sans attendre la réponse du qualifié : motif", "Le cabinet a reconnu l'erreur par téléphone."),
        ],
    )
    .await?;

    let label = "Décision : avertissement (plaignant)";
    app.click_text(&format!("Générer : {label}")).await?;
    app.wait_text(&format!("Aperçu : {label}")).await?;
    app.click_text("Adapter ce courrier").await?;
    let body = app.wait_for(Locator::Css("textarea[name='adapted_body']")).await?;
    let merged = body.prop("value").await?.unwrap_or_default();
    assert!(merged.contains("Le métré comportait une erreur de 30 %.") && !merged.contains("{{"), "{merged}");

    // Template syntax typed in is refused next to the text, the typing kept.
    let sentence = "Nous mesurons la gêne que ce chantier vous a causée.";
    let typed = format!("{merged}\n\n{sentence} {{{{reference}}}}");
    app.client
        .execute("arguments[0].value = arguments[1];", vec![serde_json::to_value(&body)?, typed.clone().into()])
        .await?;
    app.click_text("Aperçu du courrier adapté").await?;
    app.wait_text("écrivez-le tel qu'il doit être imprimé").await?;
    let kept = app.wait_for(Locator::Css("textarea[name='adapted_body']")).await?.prop("value").await?;
    assert_eq!(kept.as_deref(), Some(typed.as_str()));

    // The sentence goes before the closing formula.
    let adapted = merged.replacen("\n\nNous vous prions", &format!("\n\n{sentence}\n\nNous vous prions"), 1);
    assert_ne!(adapted, merged);
    let body = app.wait_for(Locator::Css("textarea[name='adapted_body']")).await?;
    app.client
        .execute("arguments[0].value = arguments[1];", vec![serde_json::to_value(&body)?, adapted.into()])
        .await?;
    app.screenshot("30-adapter-le-courrier").await?;
    app.click_text("Aperçu du courrier adapté").await?;
    app.wait_text(&format!("Aperçu : {label}")).await?;
    app.wait_text(sentence).await?;
    app.wait_text("Courrier adapté pour ce dossier : le modèle n’est pas modifié").await?;
    app.screenshot("31-apercu-adapte").await?;
    app.click_text("Valider et archiver").await?;
    app.wait_text(&format!("Courrier généré et archivé : {label} (adapté pour ce dossier).")).await?;
    app.wait_text("adapté pour ce dossier)").await?;

    let letters = files_named(&profile.data_dir().join("documents"), "decision_warning_complainant");
    assert_eq!(letters.len(), 1, "{letters:?}");
    if let Some(text) = pdf_text(&letters[0])? {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(sentence), "{text}");
    }
    let journal = app.client.find(Locator::Css("ol.timeline")).await?.text().await?;
    assert!(journal.contains("Courrier adapté pour ce dossier (le modèle v1 reste inchangé)."), "{journal}");
    // The template is as it was.
    let conn = rusqlite::Connection::open(profile.layout().database())?;
    let versions: i64 =
        conn.query_row("SELECT count(*) FROM letter_templates WHERE kind = 'decision_warning_complainant'", [], |r| {
            r.get(0)
        })?;
    assert!(versions <= 1, "the template is untouched");

    // The template's preview in Paramètres: on this file, a field it lacks is named; on the
    // example, every template previews.
    app.click_text("Paramètres").await?;
    app.select(None, "Courrier", "Mission de l'expert").await?;
    app.fill(None, "Dossier de l’aperçu (référence, vide pour un exemple)", "REC-2026-0001").await?;
    app.click_text("Prévisualiser").await?;
    app.wait_text("Pour REC-2026-0001 : Aucun expert n'est désigné pour ce dossier.").await?;
    app.screenshot("32-apercu-modele-champ-vide").await?;
    app.fill(None, "Dossier de l’aperçu (référence, vide pour un exemple)", "").await?;
    app.click_text("Prévisualiser").await?;
    app.wait_text("Aperçu enregistré : ").await?;
    let previews = files_named(&profile.data_dir().join("impressions"), "apercu-expert_mission");
    assert_eq!(previews.len(), 1, "{previews:?}");
    if let Some(text) = pdf_text(&previews[0])? {
        assert!(text.contains("Madame Claire Exemple"), "{text}");
    }
    app.quit().await
}
