//! « Exporter… » on the complaints list: a year as .xlsx, the list's filters as CSV, the whole
//! register; each file read back as a spreadsheet would and checked against what the list shows.
//! The native save dialog cannot be driven: the file's path is typed in the form's field.

use calamine::{Data, Reader, Xlsx};
use fantoccini::Locator;
use reclamations_e2e::{db_count, App, Population, Profile, TestResult};
use std::collections::BTreeMap;
use std::path::Path;

/// The list's rows on screen: reference → (received, complainant, firm, step).
async fn shown_rows(app: &mut App) -> TestResult<BTreeMap<String, [String; 4]>> {
    let rows = app.client.find_all(Locator::Css("main table[aria-label='Liste des réclamations'] tbody tr")).await?;
    let mut out = BTreeMap::new();
    for row in rows {
        let cells = row.find_all(Locator::Css("td")).await?;
        let mut text = Vec::new();
        for cell in cells {
            text.push(cell.text().await?.trim().to_owned());
        }
        if let [reference, received, complainant, firm, step] = text.as_slice() {
            out.insert(reference.clone(), [received.clone(), complainant.clone(), firm.clone(), step.clone()]);
        }
    }
    Ok(out)
}

fn cell(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        // As the list writes a date.
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{day:02}/{m:02}/{y:04}")
        }
        _ => String::new(),
    }
}

/// The workbook's rows (header first), cells as text, dates JJ/MM/AAAA; fails on a non-date
/// cell in « Date de réception ».
fn read_xlsx(path: &Path) -> TestResult<Vec<Vec<String>>> {
    let mut book: Xlsx<_> = calamine::open_workbook(path)?;
    let range = book.worksheet_range("Réclamations")?;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        if i > 0 && !matches!(row[2], Data::DateTime(_)) {
            return Err(format!("row {i}: « Date de réception » is not a date: {:?}", row[2]).into());
        }
        rows.push(row.iter().map(cell).collect());
    }
    Ok(rows)
}

fn read_csv(path: &Path) -> TestResult<Vec<Vec<String>>> {
    let text = std::fs::read_to_string(path)?;
    let body = text.strip_prefix('\u{feff}').ok_or("the CSV starts with a BOM")?;
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').has_headers(false).from_reader(body.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        rows.push(record?.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

/// Checks every exported row against the list's row of the same reference (all of them shown).
fn same_as_shown(rows: &[Vec<String>], shown: &BTreeMap<String, [String; 4]>) -> TestResult {
    assert_eq!(rows[0][..3], ["Référence", "Ancienne référence", "Date de réception"]);
    let col = |name: &str| rows[0].iter().position(|h| h == name).ok_or(format!("no column {name}"));
    let (plaignant, qualifie, etape) = (col("Plaignant")?, col("Qualifié")?, col("Étape")?);
    assert_eq!(rows.len() - 1, shown.len(), "one row per complaint listed");
    for row in &rows[1..] {
        let on_screen = shown.get(&row[0]).ok_or(format!("{} is not in the list", row[0]))?;
        let exported = [row[2].clone(), row[plaignant].clone(), row[qualifie].clone(), row[etape].clone()];
        assert_eq!(&exported, on_screen, "{}", row[0]);
    }
    Ok(())
}

#[tokio::test]
async fn the_list_exports_a_year_the_filtered_list_and_the_register() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let (conn, _) = profile.populate(Population { firms: 12, complaints: 300, seed: 21 })?;
    drop(conn);
    let in_2025 = db_count(&profile, "SELECT count(*) FROM complaints WHERE received_on LIKE '2025-%'")?;
    assert!((2..100).contains(&in_2025), "one page of 2025's complaints: {in_2025}");
    let out = tempfile::tempdir()?;
    let mut app = App::launch(&profile).await?;
    app.click_text("Réclamations").await?;
    app.wait_text("1–100 sur 300 réclamation(s)").await?;

    // The year 2025, as a workbook: the file's path typed without its extension.
    app.click_text("Exporter…").await?;
    app.wait_for(Locator::Css("form[aria-label='Exporter les réclamations']")).await?;
    app.choose(Some("Réclamations à exporter"), "Année de réception").await?;
    app.select(None, "Année à exporter", "2025").await?;
    let typed = out.path().join("annee-2025");
    app.fill(None, "Fichier (facultatif)", &typed.display().to_string()).await?;
    app.screenshot("export-1-form").await?;
    app.click_text("Exporter").await?;
    let xlsx = out.path().join("annee-2025.xlsx");
    app.wait_text(&format!("{in_2025} réclamation(s) exportée(s) dans {}.", xlsx.display())).await?;
    app.screenshot("export-2-done").await?;
    let rows = read_xlsx(&xlsx)?;
    // What the list shows for 2025.
    app.select(None, "Année de réception", "2025").await?;
    app.wait_text(&format!("1–{in_2025} sur {in_2025} réclamation(s)")).await?;
    let shown = shown_rows(&mut app).await?;
    same_as_shown(&rows, &shown)?;

    // The list's filters (2025, and a nature), as CSV: the same rows as the list, every one.
    app.select(None, "Nature", "Déontologie").await?;
    let filtered =
        db_count(&profile, "SELECT count(*) FROM complaints WHERE received_on LIKE '2025-%' AND nature_ethics = 1")?;
    assert!(filtered > 0 && filtered < in_2025, "the nature filters some out: {filtered} of {in_2025}");
    app.wait_text(&format!("1–{filtered} sur {filtered} réclamation(s)")).await?;
    let shown = shown_rows(&mut app).await?;
    app.click_text("Exporter…").await?;
    app.wait_text(&format!("Liste affichée (filtres) : {filtered} réclamation(s)")).await?;
    app.choose(Some("Format"), "CSV (séparateur « ; », pour Excel)").await?;
    let csv_path = out.path().join("liste.csv");
    app.fill(None, "Fichier (facultatif)", &csv_path.display().to_string()).await?;
    app.click_text("Exporter").await?;
    app.wait_text(&format!("{filtered} réclamation(s) exportée(s) dans {}.", csv_path.display())).await?;
    same_as_shown(&read_csv(&csv_path)?, &shown)?;

    // « Annuler » closes the form; then the whole register.
    app.click_text("Exporter…").await?;
    app.click_text("Annuler").await?;
    let forms = app.client.find_all(Locator::Css("form[aria-label='Exporter les réclamations']")).await?;
    assert!(forms.is_empty(), "« Annuler » closed the form");
    app.click_text("Exporter…").await?;
    app.choose(Some("Réclamations à exporter"), "Tout le registre").await?;
    let all = out.path().join("registre.xlsx");
    app.fill(None, "Fichier (facultatif)", &all.display().to_string()).await?;
    app.click_text("Exporter").await?;
    app.wait_text(&format!("300 réclamation(s) exportée(s) dans {}.", all.display())).await?;
    assert_eq!(read_xlsx(&all)?.len(), 301);
    app.quit().await
}
