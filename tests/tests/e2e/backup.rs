//! Backups: one written from Paramètres restores the register; a damaged one is refused.

use fantoccini::Locator;
use reclamations_e2e::{App, Civility, FirmChoice, Intake, Nature, Profile, Role, TestResult};

/// A backup written from Paramètres restores the register; a damaged one is refused and
/// changes nothing.
#[tokio::test]
async fn a_backup_is_made_then_restored_and_a_damaged_one_refused() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    assert_eq!(app.register(&Intake::complete().civility(Civility::Madame)).await?, "REC-2026-0001");
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
    let second = Intake::blank()
        .role(Role::ThirdParty)
        .complainant("Paul Durand")
        .complainant_address("8 rue Pasteur", "33000", "Bordeaux")
        .email("paul.durand@example.fr")
        .firm_choice(FirmChoice::Listed("Économie Bâtiment Conseil — Paris".to_owned()))
        .natures(&[Nature::Ethics]);
    assert_eq!(app.register(&second).await?, "REC-2026-0002");
    app.click_text("Paramètres").await?;
    app.fill(None, "ou la sauvegarde", &backup.display().to_string()).await?;
    app.click_text("Restaurer cette sauvegarde").await?;
    app.wait_text("restaurée : 1 réclamation(s)").await?;
    app.screenshot("24-sauvegarde-restauree").await?;
    app.click_text("Réclamations").await?;
    app.wait_text("1–1 sur 1 réclamation(s)").await?;
    app.quit().await
}

/// Sets the external destination in Paramètres: checked, then saved.
async fn set_destination(app: &mut App, folder: &std::path::Path) -> TestResult {
    app.click_text("Paramètres").await?;
    app.fill(None, "Destination des sauvegardes automatiques", &folder.display().to_string()).await?;
    app.click_text("Vérifier ce dossier").await?;
    app.wait_text("Dossier utilisable").await?;
    app.click_text("Enregistrer : sauvegardes externes").await?;
    app.wait_text("Enregistré. La sauvegarde automatique du jour").await
}

/// The external destination: warned about on the dashboard until it is set, backed up to and
/// checked by the restore drill, restored from into a new data dir (another machine), and
/// warned about again when the key stays unplugged too long.
#[tokio::test]
async fn an_external_destination_is_backed_up_checked_restored_elsewhere_and_watched() -> TestResult {
    let mut profile = Profile::on("2026-11-28")?;
    let usb = profile.root.path().join("cle-usb");
    std::fs::create_dir_all(&usb)?;
    let mut app = App::launch(&profile).await?;
    app.wait_text("Aucune sauvegarde externe configurée").await?;
    assert_eq!(app.register(&Intake::complete().civility(Civility::Madame)).await?, "REC-2026-0001");
    set_destination(&mut app, &usb).await?;
    app.click_text("Sauvegarder maintenant vers la destination").await?;
    app.wait_text("Sauvegarde faite :").await?;
    app.click_text("Vérifier les sauvegardes").await?;
    app.wait_text("réussie — base intègre").await?;
    app.wait_text("Restaurer la sauvegarde du 28/11/2026").await?;
    app.screenshot("sauvegardes-externes").await?;
    app.click_text("Tableau de bord").await?;
    app.wait_text("Dernière sauvegarde externe : 28/11/2026").await?;
    let text = app.main_text().await?;
    assert!(!text.contains("Aucune sauvegarde externe"), "no warning once backed up: {text}");
    app.quit().await?;
    assert!(usb.join("Reclamations-sauvegardes/snapshots").is_dir());

    // Another machine: a new data dir restores the destination's snapshot.
    let other = Profile::on("2026-11-29")?;
    let mut app = App::launch(&other).await?;
    set_destination(&mut app, &usb).await?;
    let restore = app
        .wait_for(Locator::XPath(
            "//table[@aria-label='Sauvegardes sur la destination']//button[starts-with(normalize-space(.), 'Restaurer la sauvegarde du 28/11/2026')]",
        ))
        .await?;
    app.click(&restore).await?;
    app.wait_text("restaurée. Les données remplacées sont conservées").await?;
    app.click_text("Réclamations").await?;
    app.wait_text("1–1 sur 1 réclamation(s)").await?;
    app.quit().await?;

    // The key unplugged for twelve days: the start-up backup says so, the dashboard warns.
    std::fs::rename(&usb, profile.root.path().join("cle-rangee"))?;
    profile.today = Some("2026-12-10".into());
    let mut app = App::launch(&profile).await?;
    app.wait_text("Aucune sauvegarde externe depuis 12 jours").await?;
    // The start-up backup runs in the background: its failure shows once recorded.
    let mut seen = false;
    for _ in 0..20 {
        app.click_text("Réclamations").await?;
        app.click_text("Tableau de bord").await?;
        app.wait_text("Aucune sauvegarde externe depuis 12 jours").await?;
        if app.main_text().await?.contains("est introuvable") {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(seen, "the missing destination is reported on the dashboard");
    app.screenshot("sauvegarde-externe-absente").await?;
    app.quit().await
}
