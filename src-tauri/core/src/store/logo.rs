//! The organisation's logo, printed at the top left of every PDF (letters, day mail, statistics
//! report, audit export cover). Chosen in Paramètres (« Logo des courriers »); until then, or
//! after « Revenir au logo par défaut », the logo shipped in `assets/`. One row of
//! `organisation_logo` (0007_logo.sql), in the database so that a backup carries it.
//!
//! A chosen image is checked before it is kept, with the code the PDF uses ([`decode_logo`]): a
//! logo that was accepted never makes a letter fail. A JPEG is stored converted to PNG, the one
//! format the letters' layout and PDF read.

use crate::archive::sha256_hex;
use crate::error::{Error, Result};
use crate::letters::pdf::decode_logo;
use crate::store::letters::LOGO_PNG;
use base64::Engine as _;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// The largest file accepted, in bytes (2 Mo).
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// The smallest side, in pixels: below, the logo prints blurred.
pub const MIN_SIDE: usize = 32;
/// The largest side, in pixels.
pub const MAX_SIDE: usize = 4000;

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_MAGIC: &[u8] = b"\xFF\xD8\xFF";

/// The logo in force, for Paramètres.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogoInfo {
    /// False: the default logo.
    pub custom: bool,
    /// The file as chosen (empty for the default logo).
    pub file_name: String,
    pub width: u32,
    pub height: u32,
    /// Of the image as stored (and printed).
    pub sha256: String,
    /// The day it was chosen (`None` for the default logo).
    pub set_on: Option<String>,
    /// `data:image/png;base64,…`, for a preview `<img>`.
    pub data_url: String,
}

/// The image printed on the PDFs: the chosen one, else the default.
pub fn current(conn: &Connection) -> Result<Vec<u8>> {
    let stored: Option<Vec<u8>> =
        conn.query_row("SELECT image FROM organisation_logo WHERE id = 1", [], |r| r.get(0)).optional()?;
    Ok(stored.unwrap_or_else(|| LOGO_PNG.to_vec()))
}

/// The logo in force, with a preview.
pub fn info(conn: &Connection) -> Result<LogoInfo> {
    let row = conn
        .query_row(
            "SELECT image, file_name, sha256, width, height, set_on FROM organisation_logo WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, u32>(3)?,
                    r.get::<_, u32>(4)?,
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    match row {
        Some((image, file_name, sha256, width, height, set_on)) => Ok(LogoInfo {
            custom: true,
            file_name,
            width,
            height,
            sha256,
            set_on: Some(set_on),
            data_url: data_url(&image),
        }),
        None => {
            let decoded = decode_logo(LOGO_PNG)?;
            Ok(LogoInfo {
                custom: false,
                file_name: String::new(),
                width: side(decoded.width),
                height: side(decoded.height),
                sha256: sha256_hex(LOGO_PNG),
                set_on: None,
                data_url: data_url(LOGO_PNG),
            })
        }
    }
}

/// Keeps `bytes` (the file `file_name`, chosen `today`) as the logo, once checked: at most 2 Mo
/// (a caller reading a file may stop after `MAX_BYTES + 1` bytes),
/// a PNG or a JPEG that the PDF can read, 32 to 4000 pixels a side. A refusal is keyed `logo`.
pub fn set(conn: &mut Connection, bytes: &[u8], file_name: &str, today: NaiveDate) -> Result<LogoInfo> {
    let file_name = file_name.trim();
    let shown = if file_name.is_empty() { "(sans nom)" } else { file_name };
    if bytes.len() > MAX_BYTES {
        return Err(Error::field(
            "logo",
            format!(
                "Le fichier « {shown} » est trop lourd (plus de 2 Mo) pour un logo. Enregistrez-le en plus petit (par exemple 600 pixels de large), puis choisissez-le à nouveau."
            ),
        ));
    }
    let png = if bytes.starts_with(PNG_MAGIC) {
        bytes.to_vec()
    } else if bytes.starts_with(JPEG_MAGIC) {
        jpeg_to_png(bytes).map_err(|_| unreadable(shown))?
    } else {
        return Err(Error::field(
            "logo",
            format!(
                "Le fichier choisi n'est pas une image PNG ou JPEG : « {shown} ». Enregistrez le logo au format PNG (ou JPEG) depuis votre logiciel d'images, puis choisissez ce fichier."
            ),
        ));
    };
    let decoded = decode_logo(&png).map_err(|_| unreadable(shown))?;
    let (w, h) = (decoded.width, decoded.height);
    if w < MIN_SIDE || h < MIN_SIDE {
        return Err(Error::field(
            "logo",
            format!(
                "L'image « {shown} » fait {w} × {h} pixels : trop petite pour être nette sur un courrier. Choisissez une image d'au moins {MIN_SIDE} × {MIN_SIDE} pixels."
            ),
        ));
    }
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(Error::field(
            "logo",
            format!(
                "L'image « {shown} » fait {w} × {h} pixels : au plus {MAX_SIDE} pixels de côté. Réduisez-la (par exemple à 600 pixels de large), puis choisissez-la à nouveau."
            ),
        ));
    }
    let sha256 = sha256_hex(&png);
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO organisation_logo (id, image, file_name, sha256, width, height, set_on)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET image = excluded.image, file_name = excluded.file_name,
             sha256 = excluded.sha256, width = excluded.width, height = excluded.height, set_on = excluded.set_on",
        params![png, shown, sha256, w as i64, h as i64, today.to_string()],
    )?;
    tx.commit()?;
    info(conn)
}

/// Back to the default logo.
pub fn reset(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM organisation_logo", [])?;
    tx.commit()?;
    Ok(())
}

fn unreadable(shown: &str) -> Error {
    Error::field(
        "logo",
        format!(
            "L'image « {shown} » est abîmée ou incomplète : elle ne peut pas être imprimée. Ouvrez-la dans votre logiciel d'images, enregistrez-la de nouveau au format PNG, puis choisissez ce fichier."
        ),
    )
}

fn jpeg_to_png(jpeg: &[u8]) -> std::result::Result<Vec<u8>, image::ImageError> {
    let decoded = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg)?;
    let mut png = Vec::new();
    decoded.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    Ok(png)
}

fn data_url(png: &[u8]) -> String {
    format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png))
}

/// A side in pixels, as stored; the default logo is small, a chosen one at most [`MAX_SIDE`].
fn side(px: usize) -> u32 {
    u32::try_from(px).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 4).unwrap_or_default()
    }

    /// A plain-coloured RGB PNG, encoded by the `image` crate.
    pub(crate) fn plain_png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(width, height, image::Rgb(rgb));
        let mut out = Vec::new();
        let written =
            image::DynamicImage::ImageRgb8(img).write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png);
        assert!(written.is_ok(), "{written:?}");
        out
    }

    fn refusal(err: Error) -> String {
        match err {
            Error::Validation { fields } => fields.get("logo").cloned().unwrap_or_default(),
            other => format!("not a field refusal: {other:?}"),
        }
    }

    #[test]
    fn the_default_logo_until_one_is_chosen() -> TestResult {
        let conn = open_in_memory()?;
        assert_eq!(current(&conn)?, LOGO_PNG);
        let info = info(&conn)?;
        assert!(!info.custom);
        assert_eq!((info.width, info.height), (120, 120));
        assert_eq!(info.set_on, None);
        assert_eq!(info.sha256, sha256_hex(LOGO_PNG));
        assert!(info.data_url.starts_with("data:image/png;base64,iVBORw0KGgo"));
        Ok(())
    }

    #[test]
    fn a_chosen_png_is_kept_then_reset() -> TestResult {
        let mut conn = open_in_memory()?;
        let red = plain_png(200, 100, [255, 0, 0]);
        let info = set(&mut conn, &red, " logo-rouge.png ", day())?;
        assert!(info.custom);
        assert_eq!(info.file_name, "logo-rouge.png");
        assert_eq!((info.width, info.height), (200, 100));
        assert_eq!(info.set_on.as_deref(), Some("2026-05-04"));
        assert_eq!(info.sha256, sha256_hex(&red));
        assert_eq!(current(&conn)?, red);
        // A second choice replaces the first.
        let blue = plain_png(64, 64, [0, 0, 255]);
        set(&mut conn, &blue, "bleu.png", day())?;
        assert_eq!(current(&conn)?, blue);
        let rows: i64 = conn.query_row("SELECT count(*) FROM organisation_logo", [], |r| r.get(0))?;
        assert_eq!(rows, 1);
        reset(&mut conn)?;
        assert_eq!(current(&conn)?, LOGO_PNG);
        assert!(!super::info(&conn)?.custom);
        Ok(())
    }

    #[test]
    fn a_jpeg_is_stored_as_png() -> TestResult {
        let mut conn = open_in_memory()?;
        let img = image::RgbImage::from_pixel(40, 50, image::Rgb([0, 128, 0]));
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgb8(img).write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)?;
        assert!(jpeg.starts_with(JPEG_MAGIC));
        let info = set(&mut conn, &jpeg, "logo.jpg", day())?;
        assert_eq!((info.width, info.height), (40, 50));
        let stored = current(&conn)?;
        assert!(stored.starts_with(PNG_MAGIC));
        assert_eq!(info.sha256, sha256_hex(&stored));
        Ok(())
    }

    #[test]
    fn refusals_say_what_to_do_and_keep_the_logo() -> TestResult {
        let mut conn = open_in_memory()?;
        let kept = plain_png(50, 50, [0, 0, 255]);
        set(&mut conn, &kept, "bleu.png", day())?;

        let mut too_big = plain_png(40, 40, [1, 2, 3]);
        too_big.resize(MAX_BYTES + 1, 0);
        let m = refusal(set(&mut conn, &too_big, "gros.png", day()).err().ok_or("too big accepted")?);
        assert!(m.contains("« gros.png » est trop lourd (plus de 2 Mo)"), "{m}");

        let m = refusal(set(&mut conn, b"Ceci est un texte.", "logo.png", day()).err().ok_or("text accepted")?);
        assert!(m.starts_with("Le fichier choisi n'est pas une image PNG ou JPEG : « logo.png »"), "{m}");

        let mut truncated = plain_png(100, 100, [255, 0, 0]);
        truncated.truncate(truncated.len() / 2);
        let m = refusal(set(&mut conn, &truncated, "coupé.png", day()).err().ok_or("truncated accepted")?);
        assert!(m.contains("abîmée ou incomplète"), "{m}");

        let m =
            refusal(set(&mut conn, b"\xFF\xD8\xFF\xE0 pas un vrai jpeg", "faux.jpg", day()).err().ok_or("bad jpeg")?);
        assert!(m.contains("abîmée ou incomplète"), "{m}");

        let m = refusal(set(&mut conn, &plain_png(16, 16, [255, 0, 0]), "petit.png", day()).err().ok_or("16 px")?);
        assert!(m.contains("16 × 16 pixels") && m.contains("au moins 32 × 32"), "{m}");

        let m = refusal(set(&mut conn, &plain_png(4001, 40, [255, 0, 0]), "large.png", day()).err().ok_or("4001 px")?);
        assert!(m.contains("4001 × 40 pixels") && m.contains("au plus 4000"), "{m}");

        // The limits themselves are accepted.
        set(&mut conn, &plain_png(32, 4000, [255, 0, 0]), "limite.png", day())?;
        reset(&mut conn)?;
        set(&mut conn, &kept, "bleu.png", day())?;
        assert!(set(&mut conn, b"", "", day()).is_err());
        assert_eq!(current(&conn)?, kept, "a refusal leaves the logo in force");
        Ok(())
    }

    /// Page 1 of a PDF rendered at 50 dpi: the share of pure-red pixels in its top-left corner
    /// (where the logo prints); `None` when the PDF tools are skipped.
    fn red_share_top_left(pdf: &[u8]) -> std::result::Result<Option<f64>, Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let input = dir.path().join("lettre.pdf");
        std::fs::write(&input, pdf)?;
        let root = dir.path().join("page");
        let args = ["-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile"];
        let Some(out) = crate::test_support::pdf_tool(
            "pdftoppm",
            &[&args[..], &[&*input.to_string_lossy(), &*root.to_string_lossy()]].concat(),
        )?
        else {
            return Ok(None);
        };
        assert!(out.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
        let page = image::open(dir.path().join("page.png"))?.to_rgb8();
        let (w, h) = (page.width() / 3, page.height() / 6);
        let red = (0..w)
            .flat_map(|x| (0..h).map(move |y| (x, y)))
            .filter(|&(x, y)| {
                let [r, g, b] = page.get_pixel(x, y).0;
                r > 200 && g < 60 && b < 60
            })
            .count();
        Ok(Some(red as f64 / f64::from(w * h)))
    }

    #[test]
    fn letters_print_the_logo_in_force() -> TestResult {
        use crate::letters::kinds::LetterKind;
        use crate::letters::pdf::render;
        use crate::store::letters::{compose, tests::decided};
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let today = day();
        let default = compose(&conn, id, LetterKind::Acknowledgement, None, today)?;
        assert_eq!(default.letterhead.logo_png.as_deref(), Some(LOGO_PNG));
        let default_pdf = render(&default, crate::test_support::fonts())?;

        let red = plain_png(300, 150, [255, 0, 0]);
        set(&mut conn, &red, "rouge.png", today)?;
        let custom = compose(&conn, id, LetterKind::Acknowledgement, None, today)?;
        assert_eq!(custom.letterhead.logo_png.as_deref(), Some(&red[..]));
        let custom_pdf = render(&custom, crate::test_support::fonts())?;
        let text = String::from_utf8_lossy(&custom_pdf);
        assert!(text.contains("/Width 300") && text.contains("/Height 150"), "the red image is not in the PDF");

        if let (Some(before), Some(after)) = (red_share_top_left(&default_pdf)?, red_share_top_left(&custom_pdf)?) {
            assert!(before < 0.001, "the default logo is not red: {before}");
            assert!(after > 0.02, "the red logo does not show at the top left: {after}");
        }
        Ok(())
    }
}
