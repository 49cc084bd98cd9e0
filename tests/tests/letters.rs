//! End-to-end: letters produced from the complaint page, archived in the data dir, journaled,
//! printed as the day's mail, marked sent; templates edited in Paramètres.

use fantoccini::Locator;
use reclamations_e2e::{App, Profile, TestResult};
use std::path::{Path, PathBuf};
use std::process::Command;

async fn register(app: &mut App) -> TestResult {
    app.click_text("Réclamations").await?;
    app.click_text("Nouvelle réclamation").await?;
    app.fill(Some("Réception"), "Date de réception", "27/11/2026").await?;
    app.choose(Some("Plaignant"), "Client du qualifié").await?;
    app.select(Some("Plaignant"), "Civilité", "Madame").await?;
    app.fill(Some("Plaignant"), "Nom du plaignant", "Claire Lefèvre").await?;
    app.fill(Some("Plaignant"), "Adresse", "12 rue des Lilas").await?;
    app.fill(Some("Plaignant"), "Code postal", "69003").await?;
    app.fill(Some("Plaignant"), "Ville", "Lyon").await?;
    app.fill(Some("Qualifié ou certifié"), "Raison sociale", "Économie Bâtiment Conseil").await?;
    app.fill(Some("Qualifié ou certifié"), "Adresse du qualifié", "3 avenue Foch").await?;
    app.fill(Some("Qualifié ou certifié"), "Code postal du qualifié", "75016").await?;
    app.fill(Some("Qualifié ou certifié"), "Ville du qualifié", "Paris").await?;
    app.fill(Some("Réclamation"), "Faits reprochés", "Le métré remis était faux de 30 %.").await?;
    app.fill(Some("Réclamation"), "Actions déjà menées", "Courrier au cabinet le 2 octobre, sans réponse.").await?;
    app.choose(Some("Réclamation"), "Prestations réalisées").await?;
    app.click_text("Enregistrer la réclamation").await?;
    app.wait_text("Réclamation REC-2026-0001 enregistrée.").await
}

async fn generate(app: &mut App, label: &str) -> TestResult {
    app.click_text(&format!("Générer : {label}")).await?;
    app.wait_text(&format!("Courrier généré et archivé : {label}.")).await
}

/// The archived files of the complaint, oldest first.
fn archived(profile: &Profile) -> TestResult<Vec<PathBuf>> {
    let dir = profile.data_dir().join("documents/Q00001-economie-batiment-conseil/REC-2026-0001");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    Ok(files)
}

fn sha256(path: &Path) -> TestResult<String> {
    let out = Command::new("sha256sum").arg(path).output()?;
    Ok(String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap_or_default().to_owned())
}

/// Page 1 of a PDF as a PNG next to the screenshots, to look at.
fn page_one_png(pdf: &Path, name: &str) -> TestResult<PathBuf> {
    let dir = reclamations_e2e::screenshot_dir();
    std::fs::create_dir_all(&dir)?;
    let stem = dir.join(name);
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(&stem)
        .status()?;
    assert!(status.success(), "pdftoppm failed on {}", pdf.display());
    Ok(stem.with_extension("png"))
}

fn pdf_text(pdf: &Path) -> TestResult<String> {
    let out = Command::new("pdftotext").arg(pdf).arg("-").output()?;
    Ok(String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" "))
}

#[tokio::test]
async fn letters_are_generated_archived_journaled_and_sent() -> TestResult {
    let mut profile = Profile::new()?;
    profile.today = Some("2026-11-28".into());
    let mut app = App::launch(&profile).await?;
    register(&mut app).await?;

    // The AR, from the complaint page.
    generate(&mut app, "Accusé de réception").await?;
    let files = archived(&profile)?;
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with("2026-11-28_acknowledgement_v1.pdf"), "{files:?}");
    let hash = sha256(&files[0])?;
    let journal = app.client.find(Locator::Css("ol.timeline")).await?.text().await?;
    assert!(journal.contains(&format!("SHA-256 {hash}")), "journal lacks the file's hash {hash}:\n{journal}");
    assert!(journal.contains("Courrier généré : Accusé de réception (modèle v1)"), "{journal}");
    let text = pdf_text(&files[0])?;
    for expected in [
        "Madame Claire Lefèvre",
        "69003 LYON",
        "Réf. : REC-2026-0001",
        "Paris, le 28 novembre 2026",
        "27 novembre 2026",
    ] {
        assert!(text.contains(expected), "AR lacks « {expected} »: {text}");
    }
    page_one_png(&files[0], "lettre-1-accuse-de-reception")?;
    app.screenshot("20-courriers").await?;

    // The day's mail: one PDF with the letters not yet sent.
    app.click_text("Réclamations").await?;
    app.click_text("Courrier du jour").await?;
    app.wait_text("1 courrier(s) du jour réunis dans").await?;
    let printed = profile.data_dir().join("impressions/courrier-du-jour-2026-11-28.pdf");
    assert!(pdf_text(&printed)?.contains("Réf. : REC-2026-0001"));

    // Through the procedure to a warning, with the firm's notification and the decision letter.
    app.click_text("REC-2026-0001").await?;
    app.act("Accuser réception (réclamation complète)", &[]).await?;
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    app.act("Informer le qualifié", &[("Moyen", "Courrier")]).await?;
    app.fill(None, "N° de recommandé (si envoi recommandé)", "1A 987 654 3210 9").await?;
    generate(&mut app, "Information du qualifié").await?;
    app.act(
        "Enregistrer la décision",
        &[("Décision", "Avertissement"), ("Motifs de la décision", "Métré erroné de 30 %.")],
    )
    .await?;
    generate(&mut app, "Décision : avertissement (qualifié)").await?;
    let files = archived(&profile)?;
    assert_eq!(files.len(), 3, "{files:?}");
    let notification =
        files.iter().find(|f| f.to_string_lossy().contains("firm_notification")).ok_or("no notification")?;
    let text = pdf_text(notification)?;
    for expected in [
        "Économie Bâtiment Conseil",
        "75016 PARIS",
        "Lettre recommandée avec accusé de réception n° 1A 987 654 3210 9",
        "au plus tard le 28 décembre 2026",
    ] {
        assert!(text.contains(expected), "notification lacks « {expected} »: {text}");
    }
    page_one_png(notification, "lettre-2-information-du-qualifie")?;
    let decision = files.iter().find(|f| f.to_string_lossy().contains("decision_warning_firm")).ok_or("no decision")?;
    assert!(pdf_text(decision)?.contains("Métré erroné de 30"));
    page_one_png(decision, "lettre-3-decision-avertissement")?;

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
    let check = Command::new("sha256sum").arg("-c").arg("manifeste-sha256.txt").current_dir(&dossier).output()?;
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    assert_eq!(
        String::from_utf8_lossy(&check.stdout).lines().count(),
        7,
        "synthèse, journal, intégrité, JSON and 3 letters"
    );
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

/// A backup written from Paramètres restores the register; a damaged one is refused and
/// changes nothing.
#[tokio::test]
async fn a_backup_is_made_then_restored_and_a_damaged_one_refused() -> TestResult {
    let mut profile = Profile::new()?;
    profile.today = Some("2026-11-28".into());
    let mut app = App::launch(&profile).await?;
    register(&mut app).await?;
    let usb = profile.root.path().join("cle-usb");
    std::fs::create_dir_all(&usb)?;
    app.click_text("Paramètres").await?;
    app.fill(None, "ou dans le dossier", &usb.display().to_string()).await?;
    app.click_text("Sauvegarder dans ce dossier").await?;
    app.wait_text("Sauvegarde écrite :").await?;
    let backup = std::fs::read_dir(&usb)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "tar"))
        .ok_or("no backup file")?;

    // A truncated copy is refused with a French message.
    let bytes = std::fs::read(&backup)?;
    let broken = usb.join("abimee.tar");
    std::fs::write(&broken, &bytes[..bytes.len() / 3])?;
    app.fill(None, "ou la sauvegarde", &broken.display().to_string()).await?;
    app.click_text("Restaurer cette sauvegarde").await?;
    app.wait_for(Locator::XPath("//p[contains(@class, 'banner-error')][contains(., 'sauvegarde')]")).await?;
    app.screenshot("23-sauvegarde-refusee").await?;

    // A second complaint, then the backup (with one complaint) is restored.
    app.click_text("Réclamations").await?;
    app.click_text("Nouvelle réclamation").await?;
    app.choose(Some("Plaignant"), "Tiers").await?;
    app.fill(Some("Plaignant"), "Nom du plaignant", "Paul Durand").await?;
    app.fill(Some("Plaignant"), "Courriel", "paul.durand@example.fr").await?;
    app.select(Some("Qualifié ou certifié"), "Qualifié", "Économie Bâtiment Conseil — Paris").await?;
    app.choose(Some("Réclamation"), "Déontologie").await?;
    app.click_text("Enregistrer la réclamation").await?;
    app.wait_text("Réclamation REC-2026-0002 enregistrée.").await?;
    app.click_text("Paramètres").await?;
    app.fill(None, "ou la sauvegarde", &backup.display().to_string()).await?;
    app.click_text("Restaurer cette sauvegarde").await?;
    app.wait_text("restaurée : 1 réclamation(s)").await?;
    app.screenshot("24-sauvegarde-restauree").await?;
    app.click_text("Réclamations").await?;
    app.wait_text("1–1 sur 1 réclamation(s)").await?;
    app.quit().await
}
