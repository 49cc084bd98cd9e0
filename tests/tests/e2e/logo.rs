//! The letters' logo, chosen in Paramètres: a file that is not an image is refused next to the
//! field; a PNG is kept, shown, and printed on the next letter; back to the default logo, the day's
//! mail prints the default one again.

use fantoccini::Locator;
use reclamations_e2e::tools::SKIP_PDF_TOOLS;
use reclamations_e2e::{screenshot_dir, workspace_root, xpath_literal, App, Civility, Intake, Profile, TestResult};
use std::path::Path;
use std::process::Command;

/// The plain red logo (120 × 60 pixels) of `tests/fixtures`.
fn red_logo() -> std::path::PathBuf {
    workspace_root().join("tests/fixtures/logo-rouge.png")
}

/// Page 1 of `pdf` rendered at 50 dpi, saved as `name`.png beside the screenshots, and the number
/// of pure-red pixels in its top-left corner (the logo's place); `None` when the PDF tools are
/// skipped and not installed.
fn red_pixels_top_left(pdf: &Path, name: &str) -> TestResult<Option<usize>> {
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir)?;
    let stem = dir.join(name);
    // `-png`, or nothing: a binary PPM.
    let render = |format: &[&str]| {
        Command::new("pdftoppm")
            .args(format)
            .args(["-r", "50", "-f", "1", "-l", "1", "-singlefile"])
            .arg(pdf)
            .arg(&stem)
            .output()
    };
    let png = match render(&["-png"]) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && std::env::var(SKIP_PDF_TOOLS).is_ok_and(|v| v == "1") => {
            eprintln!("skipped: the logo's pixels need `pdftoppm` ({SKIP_PDF_TOOLS}=1)");
            return Ok(None);
        }
        other => other?,
    };
    assert!(png.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&png.stderr));
    // The same page as a binary PPM (P6), read here without an image library.
    let ppm = render(&[])?;
    assert!(ppm.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&ppm.stderr));
    let bytes = std::fs::read(stem.with_extension("ppm"))?;
    std::fs::remove_file(stem.with_extension("ppm"))?;
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let start = at;
        while bytes.get(at).is_some_and(|b| !b.is_ascii_whitespace()) {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(bytes.get(start..at).ok_or("short PPM header")?).into_owned());
    }
    at += 1; // the single blank after maxval
    assert_eq!((fields[0].as_str(), fields[3].as_str()), ("P6", "255"), "unexpected PPM header {fields:?}");
    let (w, h): (usize, usize) = (fields[1].parse()?, fields[2].parse()?);
    let pixels = bytes.get(at..at + w * h * 3).ok_or("PPM shorter than its header says")?;
    let red = (0..h / 6)
        .flat_map(|y| (0..w / 3).map(move |x| (y * w + x) * 3))
        .filter(|&i| pixels[i] > 200 && pixels[i + 1] < 60 && pixels[i + 2] < 60)
        .count();
    Ok(Some(red))
}

/// The message shown under the « ou le fichier du logo » field (its `aria-describedby`).
async fn logo_field_error(app: &mut App) -> TestResult<String> {
    let input = app.field(None, "ou le fichier du logo").await?;
    let described = input.attr("aria-describedby").await?.unwrap_or_default();
    assert_eq!(input.attr("aria-invalid").await?.as_deref(), Some("true"), "the field is not marked invalid");
    Ok(app.client.find(Locator::Id(&described)).await?.text().await?)
}

async fn use_logo_file(app: &mut App, path: &Path) -> TestResult {
    app.fill(None, "ou le fichier du logo", &path.display().to_string()).await?;
    app.click_text("Utiliser ce fichier").await
}

#[tokio::test]
async fn a_chosen_logo_is_checked_shown_and_printed() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    assert_eq!(app.register(&Intake::complete().civility(Civility::Madame)).await?, "REC-2026-0001");

    app.click_text("Paramètres").await?;
    app.wait_text("Logo par défaut (120 × 120 pixels)").await?;

    // A text file named like an image: refused, in French, under the field.
    let fake = profile.root.path().join("logo.png");
    std::fs::write(&fake, "Ceci n'est pas une image.\n")?;
    use_logo_file(&mut app, &fake).await?;
    app.wait_for(Locator::XPath("//p[contains(@class, 'field-error')][contains(., 'PNG ou JPEG')]")).await?;
    let message = logo_field_error(&mut app).await?;
    assert!(
        message.starts_with("Le fichier choisi n'est pas une image PNG ou JPEG : « logo.png »"),
        "unexpected refusal: {message}"
    );
    app.screenshot("80-logo-refuse").await?;
    assert!(app.main_text().await?.contains("Logo par défaut"), "a refusal changed the logo");

    // The red PNG: kept, and shown with its name and size.
    use_logo_file(&mut app, &red_logo()).await?;
    app.wait_text("Logo enregistré").await?;
    app.wait_text("logo-rouge.png — 120 × 60 pixels, choisi le 28/11/2026").await?;
    let preview = app.wait_for(Locator::Css("img[alt='Logo actuel des courriers']")).await?;
    let src = preview.attr("src").await?.unwrap_or_default();
    assert!(src.starts_with("data:image/png;base64,"), "preview source: {}", &src[..src.len().min(40)]);
    let drawn: bool = app
        .client
        .execute(
            "return arguments[0].complete && arguments[0].naturalWidth === 120;",
            vec![serde_json::to_value(&preview)?],
        )
        .await?
        .as_bool()
        .unwrap_or(false);
    assert!(drawn, "the preview image is not drawn at 120 px");
    app.screenshot("81-logo-choisi").await?;

    // The next letter prints it at the top left.
    app.click_text("Réclamations").await?;
    app.click_text("REC-2026-0001").await?;
    app.generate_letter("Accusé de réception").await?;
    let letter = profile
        .data_dir()
        .join("documents/Q00001-economie-batiment-conseil/REC-2026-0001/2026-11-28_acknowledgement_v1.pdf");
    if let Some(red) = red_pixels_top_left(&letter, "82-lettre-logo-rouge")? {
        assert!(red > 100, "only {red} red pixels where the logo prints");
    }

    // Back to the default logo: the day's mail reprints the letter with it.
    app.click_text("Paramètres").await?;
    app.click_text("Revenir au logo par défaut").await?;
    app.wait_text("Logo par défaut rétabli").await?;
    app.wait_text("Logo par défaut (120 × 120 pixels)").await?;
    let reset = format!("//button[normalize-space(.)={}]", xpath_literal("Revenir au logo par défaut"));
    assert!(!app.client.find(Locator::XPath(&reset)).await?.is_displayed().await?, "reset still offered");
    app.click_text("Réclamations").await?;
    app.click_text("Courrier du jour").await?;
    app.wait_text("1 courrier(s) du jour réunis dans").await?;
    let printed = profile.data_dir().join("impressions/courrier-du-jour-2026-11-28.pdf");
    if let Some(red) = red_pixels_top_left(&printed, "83-courrier-du-jour-logo-par-defaut")? {
        assert_eq!(red, 0, "the default logo has no pure red");
    }
    app.quit().await
}
