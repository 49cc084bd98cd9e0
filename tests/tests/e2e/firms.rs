//! The firms' register: a CSV export from a spreadsheet previewed, imported, and imported again
//! without creating anything.

use fantoccini::Locator;
use reclamations_e2e::{App, Profile, TestResult};
use std::path::Path;

/// From the firms' register, asks for the preview of importing `csv`.
async fn preview_import(app: &mut App, csv: &Path) -> TestResult {
    app.click_text("Importer un fichier").await?;
    app.fill(None, "Chemin du fichier", &csv.display().to_string()).await?;
    app.click_text("Aperçu de l’import").await
}

#[tokio::test]
async fn a_csv_export_is_previewed_then_imported_once() -> TestResult {
    let profile = Profile::new()?;
    let csv = profile.root.path().join("qualifiés.csv");
    // Windows-1252, « ; », a quoted « ; » and a bad SIRET, as Excel exports it.
    let mut bytes = b"Raison sociale;SIRET;Adresse;Code postal;Ville;Qualifi\xE9;RGE\r\n".to_vec();
    bytes.extend_from_slice(b"\xC9conomie B\xE2timent Conseil;732 829 320 00074;3 avenue Foch;75016;Paris;oui;non\r\n");
    bytes.extend_from_slice(b"\"Cabinet Martin; associ\xE9s\";;12 rue des Lilas;69003;Lyon;oui;oui\r\n");
    bytes.extend_from_slice(b"Bureau Durand;12345678901234;1 rue Haute;33000;Bordeaux;oui;\r\n");
    std::fs::write(&csv, bytes)?;
    let mut app = App::launch(&profile).await?;
    app.click_text("Qualifiés").await?;
    preview_import(&mut app, &csv).await?;
    app.wait_text("Aperçu (rien n’est encore enregistré)").await?;
    app.wait_text("2 créé(s), 0 mis à jour, 0 inchangé(s), 1 refusé(s)").await?;
    app.wait_text("Ligne 4 :").await?;
    app.screenshot("32-import-apercu").await?;
    app.click_text("Importer ces qualifiés").await?;
    app.wait_text("Import terminé").await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Registre des qualifiés']//a[normalize-space(.)='Économie Bâtiment Conseil']",
    ))
    .await?;
    app.wait_for(Locator::XPath(
        "//table[@aria-label='Registre des qualifiés']//a[normalize-space(.)='Cabinet Martin; associés']",
    ))
    .await?;
    // The same file again creates nothing.
    preview_import(&mut app, &csv).await?;
    app.wait_text("0 créé(s), 0 mis à jour, 2 inchangé(s), 1 refusé(s)").await?;
    app.click_text("Économie Bâtiment Conseil").await?;
    app.wait_text("Dossier du qualifié").await?;
    app.screenshot("33-dossier-qualifie").await?;
    app.quit().await
}
