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
