//! Letter PDFs: lays out a French business letter (window-envelope address, justified body,
//! pagination) with the real font metrics, then writes it with printpdf.
//!
//! [`layout`] is pure and says where every line goes; [`render`] and [`render_many`] only turn
//! that layout into PDF operations, so the tests can check positions without reading a PDF.

use printpdf::{
    Color, FontEmbeddingMode, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, RawImage, RawImageData, RawImageFormat, Rgb, TextItem, TextMatrix, XObjectId,
    XObjectTransform,
};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::letters::typography::french;

/// The fonts compiled into the binary (Liberation Sans 2.1, SIL Open Font License 1.1).
/// They live in the repository's `assets/fonts/`, with their licence.
macro_rules! font_file {
    ($name:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/fonts/", $name))
    };
}
const LIBERATION_SANS_REGULAR: &[u8] = font_file!("LiberationSans-Regular.ttf");
const LIBERATION_SANS_BOLD: &[u8] = font_file!("LiberationSans-Bold.ttf");
const LIBERATION_SANS_ITALIC: &[u8] = font_file!("LiberationSans-Italic.ttf");

#[derive(Debug, Clone, thiserror::Error)]
pub enum PdfError {
    #[error("police illisible : {0}")]
    Font(String),
    #[error("logo illisible : {0}")]
    Logo(String),
    #[error("PDF : {0}")]
    Pdf(String),
}

/// A rectangle on the page, in mm from the page's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowZone {
    pub x_min_mm: f32,
    pub x_max_mm: f32,
    pub y_min_mm: f32,
    pub y_max_mm: f32,
}

impl WindowZone {
    /// Whether a box (`top` and `bottom` measured from the page top) lies wholly inside.
    pub fn contains(&self, x_mm: f32, top_mm: f32, width_mm: f32, bottom_mm: f32) -> bool {
        x_mm >= self.x_min_mm
            && x_mm + width_mm <= self.x_max_mm
            && top_mm >= self.y_min_mm
            && bottom_mm <= self.y_max_mm
    }
}

/// The part of an A4 page, folded in three, that shows through the window of a French DL
/// envelope whatever the play of the sheet inside it. NF Z11-001 itself is paywalled; the
/// figures combine what secondary sources agree on:
/// - edics.fr, « Rédiger vos adresses : les bonnes pratiques »: an address frame 85 × 33 mm,
///   55 mm from the top and 110 mm from the left edge, 10 pt Arial/Helvetica-like type;
/// - a summary of NF Z11-001: the address 50 mm from the top, 110 mm from the right edge
///   (x = 100 mm), side margins 20 mm;
/// - the usual DL window, 45 × 100 mm, 20 mm from the right and 15 mm from the bottom of the
///   envelope, with about 10 mm of play of the folded sheet each way.
///
/// Users must print at 100 % (« taille réelle »): « ajuster à la page » moves the address out.
pub const WINDOW: WindowZone = WindowZone { x_min_mm: 100.0, x_max_mm: 190.0, y_min_mm: 50.0, y_max_mm: 84.0 };

// Page geometry, in mm from the top-left corner.
const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 22.0;
const RIGHT: f32 = 190.0;
const PT_PER_MM: f32 = 72.0 / 25.4;

// Letterhead.
const LOGO_TOP: f32 = 14.0;
const LOGO_MAX_W: f32 = 30.0;
const LOGO_MAX_H: f32 = 22.0;
const LOGO_GAP: f32 = 5.0;
const NAME_SIZE: f32 = 12.0;
const NAME_STEP: f32 = 5.0;
const SENDER_SIZE: f32 = 9.0;
const SENDER_STEP: f32 = 3.9;

// Recipient block: 6 lines × 4.8 mm from a first baseline at 57 mm end at 81 mm, 81.8 mm with
// the descenders, inside the window (84 mm) with room to spare.
const ADDRESS_X: f32 = 110.0;
const ADDRESS_FIRST_BASELINE: f32 = 57.0;
const ADDRESS_SIZE: f32 = 10.5;
const ADDRESS_STEP: f32 = 4.8;
const ADDRESS_MIN_SIZE: f32 = 7.0;

// Below the window.
const DATE_BASELINE: f32 = 95.0;
const REGISTERED_SIZE: f32 = 9.5;
const META_SIZE: f32 = 10.0;
const META_STEP: f32 = 5.5;

// Body.
const BODY_SIZE: f32 = 10.5;
const BODY_STEP: f32 = 4.9;
const PARAGRAPH_GAP: f32 = 3.2;
const BULLET_GAP: f32 = 1.2;
const BULLET_X: f32 = LEFT + 3.0;
const BULLET_TEXT_X: f32 = LEFT + 8.0;
const SALUTATION_GAP: f32 = 9.0;
const SIGNATURE_X: f32 = 118.0;
const SIGNATURE_GAP: f32 = 20.0;
const CONTINUATION_HEADER_BASELINE: f32 = 15.0;
const CONTINUATION_BODY_TOP: f32 = 27.0;
const BODY_BOTTOM: f32 = 268.0;

// Footer: 12 mm from the bottom edge.
const FOOTER_BASELINE: f32 = PAGE_H - 12.0;
const FOOTER_RULE_Y: f32 = FOOTER_BASELINE - 5.0;
const FOOTER_SIZE: f32 = 8.0;
const FOOTER_MAX_W: f32 = 150.0;
// The register digest, under the footer line (its descenders end 7 mm above the edge).
const DIGEST_BASELINE: f32 = FOOTER_BASELINE + 3.6;
const DIGEST_SIZE: f32 = 6.5;

/// The three faces of the letter's font, parsed and subset once and reused for every letter;
/// and the last logo printed, decoded and encoded for the PDF once.
pub struct Fonts {
    regular: Face,
    bold: Face,
    italic: Face,
    /// The logo in force, as its PNG bytes and its PDF image: letters of a session all carry
    /// the same one.
    logo: Mutex<Option<(Vec<u8>, Arc<PreparedLogo>)>>,
}

impl Fonts {
    pub fn load(regular: &[u8], bold: &[u8], italic: &[u8]) -> Result<Fonts, PdfError> {
        Ok(Fonts {
            regular: Face::parse(regular, "regular")?,
            bold: Face::parse(bold, "bold")?,
            italic: Face::parse(italic, "italic")?,
            logo: Mutex::new(None),
        })
    }

    /// The PDF image of `png`, made once for the logo in force (a logo that cannot be read is
    /// an error each time, never kept).
    fn logo(&self, png: &[u8]) -> Result<Arc<PreparedLogo>, PdfError> {
        let mut cached = self.logo.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((bytes, logo)) = cached.as_ref() {
            if bytes.as_slice() == png {
                return Ok(Arc::clone(logo));
            }
        }
        let logo = Arc::new(PreparedLogo::new(png)?);
        *cached = Some((png.to_vec(), Arc::clone(&logo)));
        Ok(logo)
    }

    /// Liberation Sans, embedded in the binary.
    pub fn liberation() -> Result<Fonts, PdfError> {
        Fonts::load(LIBERATION_SANS_REGULAR, LIBERATION_SANS_BOLD, LIBERATION_SANS_ITALIC)
    }

    fn face(&self, style: Style) -> &Face {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
            Style::Italic => &self.italic,
        }
    }
}

/// The logo as printpdf writes it (decoded, made opaque or grey when it can be, compressed at
/// the best level), made once: each PDF gets a 1-pixel placeholder that these streams replace.
struct PreparedLogo {
    image: lopdf::Stream,
    /// The transparency of an image with alpha (`/SMask`).
    smask: Option<lopdf::Stream>,
}

impl PreparedLogo {
    fn new(png: &[u8]) -> Result<PreparedLogo, PdfError> {
        let image = decode_logo(png)?;
        let mut pdf = PdfDocument::new("logo");
        let id = pdf.add_image(&image);
        let mut doc = pdf.to_lopdf_document(&PdfSaveOptions::default(), &mut Vec::new());
        let reference = xobject_reference(&doc, &id).ok_or_else(|| PdfError::Logo("image absente".to_string()))?;
        let mut image = match doc.objects.remove(&reference) {
            Some(lopdf::Object::Stream(stream)) => stream,
            _ => return Err(PdfError::Logo("image absente".to_string())),
        };
        let smask = match image.dict.get(b"SMask").and_then(lopdf::Object::as_reference) {
            Ok(mask) => match doc.objects.remove(&mask) {
                Some(lopdf::Object::Stream(stream)) => Some(stream),
                _ => return Err(PdfError::Logo("transparence absente".to_string())),
            },
            Err(_) => None,
        };
        image.dict.remove(b"SMask");
        // What `PdfDocument::save` would do to them in each PDF.
        let mut smask = smask;
        for stream in std::iter::once(&mut image).chain(smask.as_mut()) {
            if stream.allows_compression {
                stream.compress().map_err(|e| PdfError::Logo(e.to_string()))?;
            }
        }
        Ok(PreparedLogo { image, smask })
    }

    /// Stands for the logo in printpdf's document until [`save`] puts the real image in.
    fn placeholder() -> RawImage {
        RawImage {
            pixels: RawImageData::U8(vec![255, 255, 255]),
            width: 1,
            height: 1,
            data_format: RawImageFormat::RGB8,
            tag: Vec::new(),
        }
    }
}

/// The object printpdf wrote the image `id` to.
fn xobject_reference(doc: &lopdf::Document, id: &XObjectId) -> Option<lopdf::ObjectId> {
    doc.objects.values().find_map(|object| match object {
        lopdf::Object::Dictionary(dict) => dict.get(id.0.as_bytes()).and_then(lopdf::Object::as_reference).ok(),
        _ => None,
    })
}

/// Advances are looked up in a table for the characters French letters use (below U+2200:
/// Latin, punctuation, U+202F, €) so measuring costs no cmap/hmtx walk per character.
const ADVANCE_TABLE_END: u32 = 0x2200;
const NO_GLYPH: u16 = u16::MAX;

struct Face {
    parsed: ParsedFont,
    units_per_em: f32,
    /// Above the baseline, in em.
    ascent: f32,
    /// Below the baseline, in em (positive).
    descent: f32,
    advances: Vec<u16>,
    /// The face cut to [`prepared_char`]s, once per session; `None` if that failed (every PDF
    /// then subsets the face itself).
    prepared: Option<Prepared>,
}

/// A face subset once to the characters French letters use, and its font program already
/// compressed: a letter that uses no other character embeds it as it is, instead of having
/// the face subset, parsed again and compressed (at the best, slowest level) for each PDF.
/// The PDF is larger (the faces hold about 200 characters instead of the letter's 60 or so:
/// some 58 KB instead of 29), rendering about 1 ms faster.
struct Prepared {
    parsed: ParsedFont,
    /// The subset font program, as printpdf writes it into the PDF.
    program: Vec<u8>,
    /// `program` compressed with zlib (`/FlateDecode`), written in its place.
    compressed: Vec<u8>,
}

/// The characters of the prepared subset: ASCII, Latin-1 (the French accents, « », °, the
/// no-break space), Œ œ Ÿ, the typographic dashes, quotes and ellipsis, U+202F, €. A letter
/// with any other character (a name in Polish, say) has its faces subset for it alone.
fn prepared_char(c: char) -> bool {
    matches!(
        c,
        ' '..='~'
            | '\u{A0}'..='\u{FF}'
            | '\u{152}'
            | '\u{153}'
            | '\u{178}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2018}'..='\u{201E}'
            | '\u{2022}'
            | '\u{2026}'
            | '\u{202F}'
            | '\u{2039}'
            | '\u{203A}'
            | '\u{20AC}'
    )
}

impl Prepared {
    fn new(parsed: &ParsedFont) -> Option<Prepared> {
        use std::io::Write as _;
        let glyphs: BTreeMap<u16, String> = ('\0'..='\u{20AC}')
            .filter(|c| prepared_char(*c))
            .filter_map(|c| match parsed.lookup_glyph_index(c as u32) {
                Some(gid) if gid != 0 => Some((gid, c.to_string())),
                _ => None,
            })
            .collect();
        let subset = printpdf::subset_font(parsed, &glyphs).ok()?;
        let prepared = ParsedFont::from_bytes(&subset.bytes, 0, &mut Vec::new())?;
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&subset.bytes).ok()?;
        let compressed = encoder.finish().ok()?;
        Some(Prepared { parsed: prepared, program: subset.bytes, compressed })
    }
}

impl Face {
    fn parse(bytes: &[u8], which: &str) -> Result<Face, PdfError> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| PdfError::Font(format!("{which} : {warnings:?}")))?;
        let metrics = parsed.pdf_font_metrics;
        let units_per_em = f32::from(metrics.units_per_em.max(1));
        let advances = (0..ADVANCE_TABLE_END)
            .map(|cp| match parsed.lookup_glyph_index(cp) {
                Some(gid) if gid != 0 => parsed.get_horizontal_advance(gid),
                _ => NO_GLYPH,
            })
            .collect();
        Ok(Face {
            units_per_em,
            ascent: f32::from(metrics.ascender) / units_per_em,
            descent: -f32::from(metrics.descender) / units_per_em,
            advances,
            prepared: Prepared::new(&parsed),
            parsed,
        })
    }

    fn advance(&self, c: char) -> Option<u16> {
        let cp = c as u32;
        if cp < ADVANCE_TABLE_END {
            return self.advances.get(cp as usize).copied().filter(|&a| a != NO_GLYPH);
        }
        match self.parsed.lookup_glyph_index(cp) {
            Some(gid) if gid != 0 => Some(self.parsed.get_horizontal_advance(gid)),
            _ => None,
        }
    }

    /// Width of `text` at `size_pt`, in mm (no kerning: printpdf does not apply it either).
    fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.advance(c).unwrap_or(0))).sum();
        units as f32 / self.units_per_em * size_pt / PT_PER_MM
    }

    /// Tabs become spaces, other control characters go, and characters the font lacks become
    /// « ? » rather than an invisible .notdef box.
    fn clean(&self, text: &str) -> String {
        text.chars()
            .filter_map(|c| match c {
                '\t' => Some(' '),
                '\n' => Some('\n'),
                c if c.is_control() => None,
                c if self.advance(c).is_none() => Some('?'),
                c => Some(c),
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Letterhead {
    pub name: String,
    /// Sender block: address lines, phone, e-mail, website.
    pub lines: Vec<String>,
    /// One line: the organisation's address, for the footer of every page.
    pub footer: String,
    /// An 8-bit PNG (16-bit ones are converted); none for a text-only letterhead. Not kept
    /// with a letter's stored data: the logo is set again when a letter is printed again.
    #[serde(skip)]
    pub logo_png: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LetterDoc {
    pub letterhead: Letterhead,
    /// Postal lines, already validated (≤ 6 × 38, see `typography::postal_address`).
    pub recipient: Vec<String>,
    /// « Paris, le 28 novembre 2026 ».
    pub place_date: String,
    /// « REC-2026-0042 », printed « Réf. : REC-2026-0042 ».
    pub reference: String,
    /// Printed « Objet : … » in bold.
    pub subject: String,
    /// Printed « Lettre recommandée avec accusé de réception n° … ».
    pub registered_number: Option<String>,
    /// « Madame, ».
    pub salutation: String,
    /// The body: each paragraph wraps and is justified (last line ragged); one starting with
    /// "- " is a list item (indented, « – » bullet); a "\n" inside forces a line break.
    pub paragraphs: Vec<String>,
    /// The « formule de politesse ».
    pub closing: String,
    pub signatory_name: String,
    pub signatory_title: String,
    /// PDF metadata title.
    pub title: String,
    /// PDF creation date, local time.
    pub created: chrono::NaiveDateTime,
    /// « Empreinte du registre au 28/11/2026 : 3F2A-9C41-0B7E-55D2 », printed small under the
    /// footer of every page (`store::digest`); empty: no line. Absent from older stored letters.
    #[serde(default)]
    pub register_digest: String,
}

/// Where each text line was placed, for tests and for checking the envelope window.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLine {
    /// 0-based page of the letter.
    pub page: usize,
    pub x_mm: f32,
    /// The baseline, from the top of the page.
    pub y_from_top_mm: f32,
    /// Width as printed (the full measure for a justified line).
    pub width_mm: f32,
    pub size_pt: f32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub pages: usize,
    pub lines: Vec<PlacedLine>,
}

/// Lays out `doc` on A4 pages, measuring with the real font metrics.
pub fn layout(doc: &LetterDoc, fonts: &Fonts) -> Layout {
    let composed = compose(doc, fonts);
    Layout { pages: composed.pages, lines: composed.lines.into_iter().map(|l| l.line).collect() }
}

/// One letter as PDF bytes.
pub fn render(doc: &LetterDoc, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    render_many(std::slice::from_ref(doc), fonts)
}

/// Several letters in one PDF (the day's mail, printed in one go); each keeps its own page
/// numbers. Fonts are embedded once, subset to the characters used.
pub fn render_many(docs: &[LetterDoc], fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    render_pdf(docs, fonts, false)
}

/// `window_guide` outlines [`WINDOW`] on first pages, to check the address on a preview.
fn render_pdf(docs: &[LetterDoc], fonts: &Fonts, window_guide: bool) -> Result<Vec<u8>, PdfError> {
    let first = docs.first().ok_or_else(|| PdfError::Pdf("aucune lettre à imprimer".to_string()))?;
    let title = if docs.len() == 1 { first.title.clone() } else { format!("Courriers ({} lettres)", docs.len()) };
    let mut pdf = PdfDocument::new(&title);
    let created = pdf_date(first.created);
    let info = &mut pdf.metadata.info;
    info.creation_date = created;
    info.modification_date = created;
    info.metadata_date = created;
    info.author = first.letterhead.name.clone();
    info.creator = first.letterhead.name.clone();
    info.producer = "printpdf".to_string();
    if docs.len() == 1 {
        info.subject = first.subject.clone();
    }

    let composed: Vec<Composed> = docs.iter().map(|d| compose(d, fonts)).collect();
    let mut font_ids: [Option<FontId>; 3] = [None, None, None];
    let mut prepared_programs: Vec<&Prepared> = Vec::new();
    for style in [Style::Regular, Style::Bold, Style::Italic] {
        let mut lines = composed.iter().flat_map(|c| &c.lines).filter(|l| l.style == style).peekable();
        if lines.peek().is_none() {
            continue;
        }
        let face = fonts.face(style);
        let prepared = face.prepared.as_ref().filter(|_| lines.all(|l| l.line.text.chars().all(prepared_char)));
        let id = match prepared {
            Some(p) => {
                let id = pdf.add_font(&p.parsed);
                // Already a subset: embedded whole, its program swapped for the compressed one.
                if let Some(font) = pdf.resources.fonts.map.get_mut(&id) {
                    font.meta.embedding_mode = FontEmbeddingMode::Full;
                    font.meta.requires_subsetting = false;
                }
                prepared_programs.push(p);
                id
            }
            None => pdf.add_font(&face.parsed),
        };
        font_ids[style as usize] = Some(id);
    }

    let mut logos: Vec<(&[u8], XObjectId, Arc<PreparedLogo>)> = Vec::new();
    let mut pages = Vec::new();
    for (doc, letter) in docs.iter().zip(&composed) {
        let mut logo = None;
        // A logo that was given but cannot be read is an error, not a silent omission.
        if let Some(png) = doc.letterhead.logo_png.as_deref() {
            let known = logos.iter().find(|(bytes, ..)| *bytes == png);
            let id = match known {
                Some((_, id, _)) => id.clone(),
                None => {
                    let image = fonts.logo(png)?;
                    let id = pdf.add_image(&PreparedLogo::placeholder());
                    logos.push((png, id.clone(), image));
                    id
                }
            };
            logo = letter.logo.map(|area| (id, area));
        }
        for page in 0..letter.pages {
            let mut ops = Vec::new();
            if page == 0 {
                if let Some((id, area)) = &logo {
                    ops.push(place_logo(id.clone(), area));
                }
            }
            ops.extend(footer_rule());
            if window_guide && page == 0 {
                ops.extend(window_outline());
            }
            ops.extend(text_ops(letter.lines.iter().filter(|l| l.line.page == page), &font_ids)?);
            pages.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
        }
    }
    pdf.with_pages(pages);
    let logos: Vec<(XObjectId, Arc<PreparedLogo>)> = logos.into_iter().map(|(_, id, image)| (id, image)).collect();
    save(&pdf, &prepared_programs, &logos)
}

/// What `PdfDocument::save` does (every stream compressed, then written), except that the
/// prepared fonts' programs and logos are put in already compressed.
fn save(
    pdf: &PdfDocument,
    prepared: &[&Prepared],
    logos: &[(XObjectId, Arc<PreparedLogo>)],
) -> Result<Vec<u8>, PdfError> {
    let mut warnings = Vec::new();
    let mut doc = pdf.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    for (id, logo) in logos {
        let reference = xobject_reference(&doc, id).ok_or_else(|| PdfError::Pdf("logo non placé".to_string()))?;
        let mut image = logo.image.clone();
        if let Some(smask) = &logo.smask {
            image.dict.set("SMask", lopdf::Object::Reference(doc.add_object(smask.clone())));
        }
        doc.objects.insert(reference, lopdf::Object::Stream(image));
    }
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else { continue };
        if stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        if let Some(p) =
            prepared.iter().find(|p| p.program.len() == stream.content.len() && p.program == stream.content)
        {
            stream.dict.set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(p.compressed.clone());
        }
    }
    doc.compress();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(|e| PdfError::Pdf(e.to_string()))?;
    if bytes.is_empty() {
        return Err(PdfError::Pdf(format!("document vide ({warnings:?})")));
    }
    Ok(bytes)
}

/// printpdf writes dates as UTC (`+00'00'`): convert the local wall time.
fn pdf_date(local: chrono::NaiveDateTime) -> printpdf::OffsetDateTime {
    use chrono::{Datelike, TimeZone, Timelike};
    let utc = chrono::Local.from_local_datetime(&local).earliest().map(|t| t.naive_utc()).unwrap_or(local);
    let as_u8 = |v: u32| u8::try_from(v).unwrap_or(0);
    printpdf::OffsetDateTime::new_in_offset(
        printpdf::Date { year: utc.year(), month: as_u8(utc.month()), day: as_u8(utc.day()) },
        printpdf::Time {
            hour: as_u8(utc.hour()),
            minute: as_u8(utc.minute()),
            second: as_u8(utc.second()),
            millisecond: 0,
        },
        printpdf::Offset { hours: 0, minutes: 0, seconds: 0, milliseconds: 0 },
    )
}

/// Decodes the logo; a 16-bit PNG would print blank, so its samples are narrowed to 8 bits.
pub(crate) fn decode_logo(png: &[u8]) -> Result<RawImage, PdfError> {
    let mut image = RawImage::decode_from_bytes(png, &mut Vec::new()).map_err(PdfError::Logo)?;
    if let RawImageData::U16(samples) = &image.pixels {
        let narrowed = samples.iter().map(|s| (s >> 8) as u8).collect();
        image.data_format = match image.data_format {
            RawImageFormat::R16 => RawImageFormat::R8,
            RawImageFormat::RG16 => RawImageFormat::RG8,
            RawImageFormat::RGB16 => RawImageFormat::RGB8,
            RawImageFormat::RGBA16 => RawImageFormat::RGBA8,
            other => return Err(PdfError::Logo(format!("format d’image non pris en charge ({other:?})"))),
        };
        image.pixels = RawImageData::U8(narrowed);
    }
    if let RawImageData::F32(_) = image.pixels {
        return Err(PdfError::Logo("image en virgule flottante non prise en charge".to_string()));
    }
    if image.width == 0 || image.height == 0 {
        return Err(PdfError::Logo("image vide".to_string()));
    }
    Ok(image)
}

fn place_logo(id: XObjectId, area: &LogoArea) -> Op {
    // An image fills the unit square: scaled to the size wanted, in points. (Not from the
    // image's pixels: printpdf only holds the placeholder, see [`PreparedLogo`].)
    Op::UseXobject {
        id,
        transform: XObjectTransform {
            translate_x: Some(Pt(area.x_mm * PT_PER_MM)),
            translate_y: Some(Pt((PAGE_H - area.top_mm - area.height_mm) * PT_PER_MM)),
            scale_x: Some(area.width_mm * PT_PER_MM),
            scale_y: Some(area.height_mm * PT_PER_MM),
            no_auto_scale: true,
            ..Default::default()
        },
    }
}

fn footer_rule() -> Vec<Op> {
    let y = Pt((PAGE_H - FOOTER_RULE_Y) * PT_PER_MM);
    let point = |x: f32| LinePoint { p: Point { x: Pt(x * PT_PER_MM), y }, bezier: false };
    vec![
        Op::SaveGraphicsState,
        Op::SetOutlineColor { col: Ink::Rule.color() },
        Op::SetOutlineThickness { pt: Pt(0.4) },
        Op::DrawLine { line: Line { points: vec![point(LEFT), point(RIGHT)], is_closed: false } },
        Op::RestoreGraphicsState,
    ]
}

fn window_outline() -> Vec<Op> {
    let point = |x: f32, y: f32| LinePoint {
        p: Point { x: Pt(x * PT_PER_MM), y: Pt((PAGE_H - y) * PT_PER_MM) },
        bezier: false,
    };
    let (x0, x1, y0, y1) = (WINDOW.x_min_mm, WINDOW.x_max_mm, WINDOW.y_min_mm, WINDOW.y_max_mm);
    vec![
        Op::SaveGraphicsState,
        Op::SetOutlineColor { col: Color::Rgb(Rgb { r: 0.85, g: 0.1, b: 0.1, icc_profile: None }) },
        Op::SetOutlineThickness { pt: Pt(0.5) },
        Op::DrawLine {
            line: Line { points: vec![point(x0, y0), point(x1, y0), point(x1, y1), point(x0, y1)], is_closed: true },
        },
        Op::RestoreGraphicsState,
    ]
}

fn text_ops<'a>(lines: impl Iterator<Item = &'a Placed>, font_ids: &[Option<FontId>; 3]) -> Result<Vec<Op>, PdfError> {
    let mut ops = vec![Op::StartTextSection];
    let mut current: Option<(Style, f32)> = None;
    let mut ink = None;
    for placed in lines {
        let line = &placed.line;
        if current != Some((placed.style, line.size_pt)) {
            let id = font_ids[placed.style as usize]
                .clone()
                .ok_or_else(|| PdfError::Pdf(format!("police {:?} non chargée", placed.style)))?;
            ops.push(Op::SetFont { font: PdfFontHandle::External(id), size: Pt(line.size_pt) });
            current = Some((placed.style, line.size_pt));
        }
        if ink != Some(placed.ink) {
            ops.push(Op::SetFillColor { col: placed.ink.color() });
            ink = Some(placed.ink);
        }
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(line.x_mm * PT_PER_MM), Pt((PAGE_H - line.y_from_top_mm) * PT_PER_MM)),
        });
        ops.push(Op::ShowText { items: text_items(&line.text, placed.gap_extra_mm, line.size_pt) });
    }
    ops.push(Op::EndTextSection);
    Ok(ops)
}

/// PDF word spacing (`Tw`) does not apply to two-byte (Identity-H) fonts, so a justified line
/// widens each space with a `TJ` offset, in thousandths of an em (negative moves right).
fn text_items(text: &str, gap_extra_mm: f32, size_pt: f32) -> Vec<TextItem> {
    if gap_extra_mm <= 0.0 || !text.contains(' ') {
        return vec![TextItem::Text(text.to_string())];
    }
    let offset = -gap_extra_mm * PT_PER_MM / size_pt * 1000.0;
    let mut items = Vec::new();
    let mut words = text.split(' ').peekable();
    while let Some(word) = words.next() {
        if words.peek().is_some() {
            items.push(TextItem::Text(format!("{word} ")));
            items.push(TextItem::Offset(offset));
        } else {
            items.push(TextItem::Text(word.to_string()));
        }
    }
    items
}

// ---------------------------------------------------------------------------------------------
// Composition: where everything goes.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Regular = 0,
    Bold = 1,
    Italic = 2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ink {
    Text,
    Muted,
    Accent,
    Rule,
}

impl Ink {
    fn color(self) -> Color {
        let (r, g, b) = match self {
            Ink::Text => (0.0, 0.0, 0.0),
            Ink::Muted => (0.33, 0.33, 0.33),
            Ink::Accent => (0.11, 0.22, 0.40),
            Ink::Rule => (0.6, 0.6, 0.6),
        };
        Color::Rgb(Rgb { r, g, b, icc_profile: None })
    }
}

struct Placed {
    line: PlacedLine,
    style: Style,
    ink: Ink,
    /// Extra width added to each space of a justified line.
    gap_extra_mm: f32,
}

#[derive(Debug, Clone, Copy)]
struct LogoArea {
    x_mm: f32,
    top_mm: f32,
    width_mm: f32,
    height_mm: f32,
}

struct Composed {
    pages: usize,
    lines: Vec<Placed>,
    logo: Option<LogoArea>,
}

/// A piece of text on one line, before it knows its page and baseline.
struct Run {
    x_mm: f32,
    text: String,
    style: Style,
    size_pt: f32,
    width_mm: f32,
    gap_extra_mm: f32,
    ink: Ink,
}

/// One line of the flowing part of the letter (salutation to signature).
struct FlowLine {
    /// Extra space above, dropped at the top of a page.
    space_before: f32,
    /// Baseline-to-baseline distance from the previous line.
    step: f32,
    /// Must stay on the same page as the next line (orphans, widows, signature block).
    keep_with_next: bool,
    runs: Vec<Run>,
}

struct Composer<'a> {
    fonts: &'a Fonts,
    lines: Vec<Placed>,
}

impl Composer<'_> {
    fn run(&self, x_mm: f32, text: &str, style: Style, size_pt: f32, ink: Ink) -> Run {
        let face = self.fonts.face(style);
        let text = face.clean(text).replace('\n', " ");
        let width_mm = face.width_mm(&text, size_pt);
        Run { x_mm, text, style, size_pt, width_mm, gap_extra_mm: 0.0, ink }
    }

    fn place(&mut self, page: usize, y: f32, run: Run) {
        if run.text.trim().is_empty() {
            return;
        }
        self.lines.push(Placed {
            line: PlacedLine {
                page,
                x_mm: run.x_mm,
                y_from_top_mm: y,
                width_mm: run.width_mm,
                size_pt: run.size_pt,
                text: run.text,
            },
            style: run.style,
            ink: run.ink,
            gap_extra_mm: run.gap_extra_mm,
        });
    }

    /// The largest size up to `size_pt` at which `text` fits in `max_w`.
    fn fit(&self, text: &str, style: Style, size_pt: f32, max_w: f32, min_size: f32) -> f32 {
        let w = self.fonts.face(style).width_mm(text, size_pt);
        if w <= max_w || w <= 0.0 {
            size_pt
        } else {
            (size_pt * max_w / w).max(min_size)
        }
    }

    /// Breaks `text` into lines of `first_w` then `next_w` mm; lines ending a paragraph or a
    /// forced break stay ragged, the others are justified to the full measure.
    fn wrap(&self, text: &str, style: Style, size_pt: f32, first_w: f32, next_w: f32) -> Vec<(String, f32, f32)> {
        let face = self.fonts.face(style);
        let text = face.clean(text);
        let space = face.width_mm(" ", size_pt);
        let mut out: Vec<(String, f32, f32)> = Vec::new();
        for hard_line in text.split('\n') {
            let mut words: Vec<(String, f32)> = Vec::new();
            for word in hard_line.split(' ').filter(|w| !w.is_empty()) {
                let avail = if out.is_empty() && words.is_empty() { first_w } else { next_w };
                split_long_word(face, word, size_pt, avail, &mut words);
            }
            let mut line: Vec<(String, f32)> = Vec::new();
            let mut line_w = 0.0;
            for (word, w) in words {
                let avail = if out.is_empty() { first_w } else { next_w };
                let needed = if line.is_empty() { w } else { line_w + space + w };
                if !line.is_empty() && needed > avail {
                    out.push(justified(&line, line_w, avail));
                    line.clear();
                    line_w = w;
                } else {
                    line_w = needed;
                }
                line.push((word, w));
            }
            if !line.is_empty() {
                out.push((join_words(&line), line_w, 0.0));
            }
        }
        out
    }

    /// Wrapped lines from `x_first` / `x_next` to the right margin, justified or ragged.
    fn wrapped_runs(&self, text: &str, style: Style, size: f32, x: (f32, f32), justify: bool, ink: Ink) -> Vec<Run> {
        let (x_first, x_next) = x;
        self.wrap(text, style, size, RIGHT - x_first, RIGHT - x_next)
            .into_iter()
            .enumerate()
            .map(|(i, (text, natural, extra))| {
                let x_mm = if i == 0 { x_first } else { x_next };
                let extra = if justify { extra } else { 0.0 };
                let gaps = text.matches(' ').count() as f32;
                Run { x_mm, text, style, size_pt: size, width_mm: natural + extra * gaps, gap_extra_mm: extra, ink }
            })
            .collect()
    }
}

fn join_words(line: &[(String, f32)]) -> String {
    line.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>().join(" ")
}

/// A full line: the leftover width is shared between its spaces.
fn justified(line: &[(String, f32)], natural: f32, avail: f32) -> (String, f32, f32) {
    let gaps = line.len().saturating_sub(1);
    let extra = if gaps > 0 { ((avail - natural) / gaps as f32).max(0.0) } else { 0.0 };
    (join_words(line), natural, extra)
}

/// A word wider than the measure (a long URL) is cut where it must be.
fn split_long_word(face: &Face, word: &str, size_pt: f32, avail: f32, out: &mut Vec<(String, f32)>) {
    let w = face.width_mm(word, size_pt);
    if w <= avail {
        out.push((word.to_string(), w));
        return;
    }
    let mut piece = String::new();
    for c in word.chars() {
        piece.push(c);
        if face.width_mm(&piece, size_pt) > avail && piece.chars().count() > 1 {
            piece.pop();
            let pw = face.width_mm(&piece, size_pt);
            out.push((std::mem::take(&mut piece), pw));
            piece.push(c);
        }
    }
    if !piece.is_empty() {
        let pw = face.width_mm(&piece, size_pt);
        out.push((piece, pw));
    }
}

/// Width and height in pixels, read from the PNG header (layout stays pure: no decoding).
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if png.len() < 24 || !png.starts_with(SIGNATURE) || &png[12..16] != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    (w > 0 && h > 0).then_some((w, h))
}

fn compose(doc: &LetterDoc, fonts: &Fonts) -> Composed {
    let mut c = Composer { fonts, lines: Vec::new() };
    let head = &doc.letterhead;

    // Letterhead: logo top-left, the organisation's name beside it, the sender lines below.
    let logo = head.logo_png.as_deref().and_then(png_size).map(|(w, h)| {
        let scale = (LOGO_MAX_W / w as f32).min(LOGO_MAX_H / h as f32);
        LogoArea { x_mm: LEFT, top_mm: LOGO_TOP, width_mm: w as f32 * scale, height_mm: h as f32 * scale }
    });
    let head_x = logo.map_or(LEFT, |l| l.x_mm + l.width_mm + LOGO_GAP);
    let mut y = LOGO_TOP + fonts.bold.ascent * NAME_SIZE / PT_PER_MM;
    let name_runs = c.wrapped_runs(&french(&head.name), Style::Bold, NAME_SIZE, (head_x, head_x), false, Ink::Accent);
    for (i, run) in name_runs.into_iter().enumerate() {
        if i > 0 {
            y += NAME_STEP;
        }
        c.place(0, y, run);
    }
    y += 1.5;
    for line in head.lines.iter().filter(|l| !l.trim().is_empty()) {
        y += SENDER_STEP;
        let text = french(line);
        let size = c.fit(&text, Style::Regular, SENDER_SIZE, RIGHT - head_x, 6.0);
        let run = c.run(head_x, &text, Style::Regular, size, Ink::Muted);
        c.place(0, y, run);
    }
    let head_bottom = logo.map_or(y, |l| y.max(l.top_mm + l.height_mm));

    // Recipient, in the envelope window: at x = 110 mm unless a long line needs the room
    // between 100 and 110 mm, and smaller type only if even that is not enough.
    let widest = doc.recipient.iter().map(|l| fonts.regular.width_mm(l, ADDRESS_SIZE)).fold(0.0_f32, f32::max);
    let room = WINDOW.x_max_mm - 0.5 - WINDOW.x_min_mm;
    let (address_x, address_size) = if widest <= room {
        (ADDRESS_X.min(WINDOW.x_max_mm - 0.5 - widest), ADDRESS_SIZE)
    } else {
        (WINDOW.x_min_mm, (ADDRESS_SIZE * room / widest).max(ADDRESS_MIN_SIZE))
    };
    // Six lines and their descenders must end above the bottom of the window.
    let descent = fonts.regular.descent * address_size / PT_PER_MM;
    let step = ADDRESS_STEP.min((WINDOW.y_max_mm - 0.5 - descent - ADDRESS_FIRST_BASELINE) / 5.0);
    for (i, line) in doc.recipient.iter().enumerate() {
        let run = c.run(address_x, line, Style::Regular, address_size, Ink::Text);
        c.place(0, ADDRESS_FIRST_BASELINE + i as f32 * step, run);
    }

    // Below the window: place and date, then the references on the left.
    let mut y = DATE_BASELINE.max(head_bottom + 8.0);
    let date = french(&doc.place_date);
    let size = c.fit(&date, Style::Regular, META_SIZE, RIGHT - address_x, 7.0);
    let run = c.run(address_x, &date, Style::Regular, size, Ink::Text);
    c.place(0, y, run);
    y += 4.5;
    if let Some(number) = &doc.registered_number {
        y += META_STEP;
        let text = french(&format!("Lettre recommandée avec accusé de réception n° {}", number.trim()));
        let size = c.fit(&text, Style::Bold, REGISTERED_SIZE, RIGHT - LEFT, 7.0);
        let run = c.run(LEFT, &text, Style::Bold, size, Ink::Text);
        c.place(0, y, run);
    }
    y += META_STEP;
    let run = c.run(LEFT, &french(&format!("Réf. : {}", doc.reference.trim())), Style::Regular, META_SIZE, Ink::Text);
    c.place(0, y, run);
    let label = french("Objet : ");
    let label_w = fonts.bold.width_mm(&label, META_SIZE);
    let subject = format!("{label}{}", french(doc.subject.trim()));
    let subject_runs = c.wrapped_runs(&subject, Style::Bold, META_SIZE, (LEFT, LEFT + label_w), false, Ink::Text);
    for (i, run) in subject_runs.into_iter().enumerate() {
        y += if i == 0 { META_STEP } else { BODY_STEP };
        c.place(0, y, run);
    }

    // The flowing part, paginated with keep-together rules.
    let flow = flow_lines(&c, doc);
    let pages = paginate(&mut c, flow, y);

    // On following pages, a reminder of the reference at the top.
    let reminder = french(&format!("Réf. : {} (suite)", doc.reference.trim()));
    for page in 1..pages {
        let run = c.run(LEFT, &reminder, Style::Italic, 8.5, Ink::Muted);
        c.place(page, CONTINUATION_HEADER_BASELINE, run);
    }

    // Footer on every page; « n/N » only when there is more than one page.
    let footer = french(head.footer.trim());
    let footer_size = c.fit(&footer, Style::Regular, FOOTER_SIZE, FOOTER_MAX_W, 5.5);
    for page in 0..pages {
        let mut run = c.run(0.0, &footer, Style::Regular, footer_size, Ink::Muted);
        run.x_mm = (PAGE_W - run.width_mm) / 2.0;
        c.place(page, FOOTER_BASELINE, run);
        if pages > 1 {
            let mut run = c.run(0.0, &format!("{}/{}", page + 1, pages), Style::Regular, FOOTER_SIZE, Ink::Muted);
            run.x_mm = RIGHT - run.width_mm;
            c.place(page, FOOTER_BASELINE, run);
        }
    }
    let digest = french(doc.register_digest.trim());
    if !digest.is_empty() {
        let size = c.fit(&digest, Style::Regular, DIGEST_SIZE, FOOTER_MAX_W, 5.0);
        for page in 0..pages {
            let mut run = c.run(0.0, &digest, Style::Regular, size, Ink::Muted);
            run.x_mm = (PAGE_W - run.width_mm) / 2.0;
            c.place(page, DIGEST_BASELINE, run);
        }
    }

    Composed { pages, lines: c.lines, logo }
}

fn flow_lines(c: &Composer<'_>, doc: &LetterDoc) -> Vec<FlowLine> {
    let mut flow: Vec<FlowLine> = Vec::new();
    let one = |space_before, run: Run, keep_with_next| FlowLine {
        space_before,
        step: BODY_STEP,
        keep_with_next,
        runs: vec![run],
    };

    let salutation = french(doc.salutation.trim());
    if !salutation.is_empty() {
        flow.push(one(SALUTATION_GAP, c.run(LEFT, &salutation, Style::Regular, BODY_SIZE, Ink::Text), true));
    }

    let paragraphs: Vec<&String> = doc.paragraphs.iter().filter(|p| !p.trim().is_empty()).collect();
    let mut previous_was_bullet = false;
    for (index, paragraph) in paragraphs.iter().enumerate() {
        let trimmed = paragraph.trim();
        let bullet = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("– "));
        let gap = if flow.is_empty() {
            SALUTATION_GAP
        } else if bullet.is_some() && previous_was_bullet {
            BULLET_GAP
        } else {
            PARAGRAPH_GAP
        };
        let runs = match bullet {
            Some(text) => c.wrapped_runs(
                &french(text.trim()),
                Style::Regular,
                BODY_SIZE,
                (BULLET_TEXT_X, BULLET_TEXT_X),
                true,
                Ink::Text,
            ),
            None => c.wrapped_runs(&french(trimmed), Style::Regular, BODY_SIZE, (LEFT, LEFT), true, Ink::Text),
        };
        let last_paragraph = index + 1 == paragraphs.len();
        let start = flow.len();
        push_paragraph(&mut flow, runs, gap, last_paragraph);
        if bullet.is_some() {
            if let Some(first) = flow.get_mut(start) {
                first.runs.insert(0, c.run(BULLET_X, "–", Style::Regular, BODY_SIZE, Ink::Text));
            }
        }
        previous_was_bullet = bullet.is_some();
    }

    // Closing, then the signature block on the right half, after room for the signature;
    // all of it stays on one page, with the last lines of the body.
    let closing = c.wrapped_runs(&french(doc.closing.trim()), Style::Regular, BODY_SIZE, (LEFT, LEFT), true, Ink::Text);
    let gap = if flow.is_empty() { SALUTATION_GAP } else { PARAGRAPH_GAP };
    for (i, run) in closing.into_iter().enumerate() {
        flow.push(one(if i == 0 { gap } else { 0.0 }, run, true));
    }
    let mut signature = vec![
        c.run(SIGNATURE_X, &french(doc.signatory_name.trim()), Style::Bold, BODY_SIZE, Ink::Text),
        c.run(SIGNATURE_X, &french(doc.signatory_title.trim()), Style::Regular, BODY_SIZE, Ink::Text),
    ];
    signature.retain(|r| !r.text.trim().is_empty());
    let count = signature.len();
    for (i, run) in signature.into_iter().enumerate() {
        flow.push(one(if i == 0 { SIGNATURE_GAP } else { 0.0 }, run, i + 1 < count));
    }
    if let Some(last) = flow.last_mut() {
        last.keep_with_next = false;
    }
    flow
}

/// Orphans: a first line never stays alone at the foot of a page; widows: a last line never
/// starts a page alone; the last paragraph's last lines go with the closing.
fn push_paragraph(flow: &mut Vec<FlowLine>, runs: Vec<Run>, gap: f32, last_paragraph: bool) {
    let n = runs.len();
    for (i, run) in runs.into_iter().enumerate() {
        let keep_with_next = (i == 0 && n > 1) || (n >= 3 && i + 2 == n) || (last_paragraph && i + 1 == n);
        flow.push(FlowLine {
            space_before: if i == 0 { gap } else { 0.0 },
            step: BODY_STEP,
            keep_with_next,
            runs: vec![run],
        });
    }
}

/// Places the flow from below the header of page 1 onwards; returns the page count.
fn paginate(c: &mut Composer<'_>, flow: Vec<FlowLine>, header_last_baseline: f32) -> usize {
    let mut positions: Vec<(usize, f32)> = vec![(0, 0.0); flow.len()];
    let mut page = 0;
    let mut page_start = 0;
    let mut previous = Some(header_last_baseline);
    let mut i = 0;
    while i < flow.len() {
        let line = &flow[i];
        let y = match previous {
            Some(p) => p + line.space_before + line.step,
            None => CONTINUATION_BODY_TOP,
        };
        if y > BODY_BOTTOM && previous.is_some() {
            // Go back over the lines that must follow this one onto the next page, unless that
            // would empty the page.
            let mut start = i;
            while start > page_start && flow[start - 1].keep_with_next {
                start -= 1;
            }
            if start == page_start {
                start = i;
            }
            page += 1;
            page_start = start;
            previous = None;
            i = start;
            continue;
        }
        positions[i] = (page, y);
        previous = Some(y);
        i += 1;
    }
    for (line, (page, y)) in flow.into_iter().zip(positions) {
        for run in line.runs {
            c.place(page, y, run);
        }
    }
    page + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::typography::postal_address;
    use crate::test_support::{flat, fonts, pdf_tool, pdftotext_file};
    use std::path::{Path, PathBuf};

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    /// A small 8-bit (or 16-bit) RGBA PNG, written by hand: stored deflate blocks, no crates.
    fn test_png(width: u32, height: u32, bit_depth: u8) -> Vec<u8> {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = 0xFFFF_FFFFu32;
            for &b in bytes {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
                }
            }
            !crc
        }
        fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
            out.extend((data.len() as u32).to_be_bytes());
            let mut body = kind.to_vec();
            body.extend(data);
            out.extend(&body);
            out.extend(crc32(&body).to_be_bytes());
        }
        let mut raw = Vec::new();
        for y in 0..height {
            raw.push(0); // filter: none
            for x in 0..width {
                // A navy disc with a light band across it, on a transparent background.
                let (dx, dy) = (x as f32 - width as f32 / 2.0, y as f32 - height as f32 / 2.0);
                let inside = dx * dx + dy * dy <= (height as f32 / 2.0).powi(2);
                let band = y >= height * 2 / 5 && y < height * 3 / 5;
                let rgba: [u8; 4] = match (inside, band) {
                    (true, false) => [28, 56, 102, 255],
                    (true, true) => [120, 170, 220, 255],
                    (false, _) => [0, 0, 0, 0],
                };
                for v in rgba {
                    raw.push(v);
                    if bit_depth == 16 {
                        raw.push(v);
                    }
                }
            }
        }
        let mut zlib = vec![0x78, 0x01];
        let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
        for (i, block) in blocks.iter().enumerate() {
            zlib.push(u8::from(i + 1 == blocks.len()));
            let len = block.len() as u16;
            zlib.extend(len.to_le_bytes());
            zlib.extend((!len).to_le_bytes());
            zlib.extend(*block);
        }
        let (mut a, mut b) = (1u32, 0u32);
        for &byte in &raw {
            a = (a + u32::from(byte)) % 65_521;
            b = (b + a) % 65_521;
        }
        zlib.extend(((b << 16) | a).to_be_bytes());
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend(width.to_be_bytes());
        ihdr.extend(height.to_be_bytes());
        ihdr.extend([bit_depth, 6, 0, 0, 0]);
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(&mut png, b"IDAT", &zlib);
        chunk(&mut png, b"IEND", &[]);
        png
    }

    const FRENCH_SIGNS: &str = "Caractères à vérifier : é è à ç ù œ Œ « guillemets » 150 € et le dossier n° 12.";

    fn created() -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 28).and_then(|d| d.and_hms_opt(10, 30, 0)).unwrap_or_default()
    }

    fn sample_letter() -> LetterDoc {
        LetterDoc {
            letterhead: Letterhead {
                name: "OPQTECC".to_string(),
                lines: vec![
                    "Organisme de qualification des techniciens".to_string(),
                    "12 rue de la République".to_string(),
                    "75011 Paris".to_string(),
                    "Tél. : 01 23 45 67 89".to_string(),
                    "reclamations@opqtecc.fr – www.opqtecc.fr".to_string(),
                ],
                footer:
                    "OPQTECC – Association loi 1901 – 12 rue de la République, 75011 Paris – SIRET 123 456 789 00012"
                        .to_string(),
                logo_png: Some(test_png(96, 64, 8)),
            },
            recipient: vec![
                "Madame Claire Martin".to_string(),
                "Société Martin Thermique".to_string(),
                "8 avenue des Frères Lumière".to_string(),
                "69008 LYON".to_string(),
            ],
            place_date: "Paris, le 28 novembre 2026".to_string(),
            reference: "REC-2026-0042".to_string(),
            subject: "Accusé de réception de votre réclamation".to_string(),
            registered_number: Some("1A 123 456 7890 1".to_string()),
            salutation: "Madame,".to_string(),
            paragraphs: vec![
                "Nous avons bien reçu, le 21 novembre 2026, votre réclamation concernant l'instruction de votre \
                 demande de qualification. Elle a été enregistrée sous la référence rappelée ci-dessus, que nous \
                 vous remercions de mentionner dans toute correspondance."
                    .to_string(),
                "Conformément à notre procédure de traitement des réclamations, votre dossier sera examiné par \
                 une personne n'ayant pas participé à la décision contestée. Vous recevrez une réponse écrite \
                 motivée dans un délai de deux mois à compter de la date de réception."
                    .to_string(),
                "Pour nous permettre d'instruire votre réclamation, nous vous invitons à nous transmettre :"
                    .to_string(),
                "- la copie de la décision contestée ;".to_string(),
                "- tout document justifiant votre demande (attestations, références de chantiers...).".to_string(),
                FRENCH_SIGNS.to_string(),
            ],
            closing: "Nous vous prions d'agréer, Madame, l'expression de nos salutations distinguées.".to_string(),
            signatory_name: "Jean Dupont".to_string(),
            signatory_title: "Responsable qualité".to_string(),
            title: "Accusé de réception REC-2026-0042".to_string(),
            created: created(),
            register_digest: "Empreinte du registre au 28/11/2026 : 3F2A-9C41-0B7E-55D2".to_string(),
        }
    }

    fn long_letter(paragraphs: usize) -> LetterDoc {
        let mut doc = sample_letter();
        doc.paragraphs = (1..=paragraphs)
            .map(|i| {
                format!(
                    "Paragraphe {i}. Le comité de qualification a examiné les pièces du dossier, les rapports \
                     d'audit et les observations que vous avez formulées ; il a estimé que les éléments \
                     produits justifiaient un nouvel examen de la demande."
                )
            })
            .collect();
        doc
    }

    fn ascent_descent_mm(size_pt: f32) -> (f32, f32) {
        let f = fonts();
        let ascent = f.regular.ascent.max(f.bold.ascent) * size_pt / PT_PER_MM;
        let descent = f.regular.descent.max(f.bold.descent) * size_pt / PT_PER_MM;
        (ascent, descent)
    }

    fn is_page_number(text: &str) -> bool {
        text.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.chars().all(|c| c.is_ascii_digit())
                && b.chars().all(|c| c.is_ascii_digit())
        })
    }

    #[test]
    fn measures_with_the_font_metrics() {
        // Liberation Sans has Arial's metrics: « M » is 1706/2048 em wide.
        let w = fonts().regular.width_mm("M", 10.0);
        assert!((w - 1706.0 / 2048.0 * 10.0 / PT_PER_MM).abs() < 1e-4, "{w}");
        assert!(fonts().bold.width_mm("Réclamation", 10.0) > fonts().regular.width_mm("Réclamation", 10.0));
        assert_eq!(fonts().regular.clean("a\tb\u{1F600}c\u{7}"), "a b?c");
    }

    #[test]
    fn six_line_address_of_38_characters_lies_inside_the_window() -> TestResult {
        let raw = [
            "MADAME CLAIRE-MARIE DE LA ROCHEFOUCAULD",
            "SCI LES JARDINS DU CHATEAU DE VERSAILLES",
            "BATIMENT B ESCALIER 4 APPARTEMENT 1204",
            "RESIDENCE DES GRANDS MOULINS DE PANTIN",
            "147 BOULEVARD DU MARECHAL DE LATTRE DE",
            "78000 VERSAILLES",
        ];
        let trimmed: Vec<String> = raw.iter().map(|l| l.chars().take(38).collect()).collect();
        let refs: Vec<&str> = trimmed.iter().map(String::as_str).collect();
        let mut doc = sample_letter();
        doc.recipient = postal_address(&refs)?;
        let layout = layout(&doc, fonts());
        for wanted in &doc.recipient {
            let line = layout.lines.iter().find(|l| &l.text == wanted).ok_or(format!("missing {wanted}"))?;
            let (ascent, descent) = ascent_descent_mm(line.size_pt);
            let (top, bottom) = (line.y_from_top_mm - ascent, line.y_from_top_mm + descent);
            println!(
                "{:>6.1} {:>5.1}–{:>5.1} w {:>5.1} {:>4.1} pt  {}",
                line.x_mm, top, bottom, line.width_mm, line.size_pt, line.text
            );
            assert_eq!(line.page, 0);
            assert!(WINDOW.contains(line.x_mm, top, line.width_mm, bottom), "outside the window: {line:?}");
            assert!(line.size_pt >= 9.0, "address type below the norm's 9 pt: {line:?}");
        }
        Ok(())
    }

    #[test]
    fn short_address_sits_at_110_mm() -> TestResult {
        let layout = layout(&sample_letter(), fonts());
        let first = layout.lines.iter().find(|l| l.text == "Madame Claire Martin").ok_or("no recipient")?;
        assert_eq!((first.x_mm, first.y_from_top_mm, first.size_pt), (ADDRESS_X, ADDRESS_FIRST_BASELINE, ADDRESS_SIZE));
        Ok(())
    }

    #[test]
    fn no_line_crosses_the_margins() {
        for doc in [sample_letter(), long_letter(40)] {
            let layout = layout(&doc, fonts());
            for line in &layout.lines {
                assert!(line.x_mm >= LEFT - 0.01, "left margin: {line:?}");
                assert!(line.x_mm + line.width_mm <= RIGHT + 0.01, "right margin: {line:?}");
            }
            // Justified lines reach the right margin exactly.
            let full = layout.lines.iter().filter(|l| (l.x_mm + l.width_mm - RIGHT).abs() < 0.01).count();
            assert!(full >= 3, "only {full} justified lines");
        }
    }

    #[test]
    fn justified_lines_are_measured_to_the_margin() {
        let c = Composer { fonts: fonts(), lines: Vec::new() };
        let runs =
            c.wrapped_runs(&long_letter(1).paragraphs[0], Style::Regular, BODY_SIZE, (LEFT, LEFT), true, Ink::Text);
        assert!(runs.len() >= 2);
        let Some((last, full)) = runs.split_last() else { return };
        for run in full {
            let natural = fonts().regular.width_mm(&run.text, BODY_SIZE);
            let gaps = run.text.matches(' ').count() as f32;
            assert!((natural + gaps * run.gap_extra_mm - (RIGHT - LEFT)).abs() < 0.01, "{}", run.text);
        }
        assert_eq!(last.gap_extra_mm, 0.0);
    }

    #[test]
    fn the_register_digest_sits_under_the_footer_of_every_page_without_touching_it() {
        let f = fonts();
        for doc in [sample_letter(), long_letter(40)] {
            let l = layout(&doc, f);
            for page in 0..l.pages {
                let on_page = |start: &str| l.lines.iter().find(|x| x.page == page && x.text.starts_with(start));
                let (Some(digest), Some(footer)) =
                    (on_page("Empreinte du registre au"), on_page("OPQTECC – Association"))
                else {
                    panic!("page {page}: no digest or footer line")
                };
                assert_eq!(
                    digest.text.replace('\u{A0}', " "),
                    "Empreinte du registre au 28/11/2026 : 3F2A-9C41-0B7E-55D2"
                );
                // The footer's descenders end above the digest's capitals, which end in the page.
                let footer_bottom = footer.y_from_top_mm + f.regular.descent * footer.size_pt / PT_PER_MM;
                let digest_top = digest.y_from_top_mm - f.regular.ascent * digest.size_pt / PT_PER_MM;
                assert!(footer_bottom < digest_top, "{footer:?} / {digest:?}");
                let digest_bottom = digest.y_from_top_mm + f.regular.descent * digest.size_pt / PT_PER_MM;
                assert!(digest_bottom <= PAGE_H - 6.0, "{digest:?}");
                assert!(digest.x_mm >= LEFT && digest.x_mm + digest.width_mm <= RIGHT, "{digest:?}");
            }
        }
        // No digest (the template preview of an empty register, an older stored letter): no line.
        let mut doc = sample_letter();
        doc.register_digest.clear();
        assert!(!layout(&doc, f).lines.iter().any(|x| x.text.starts_with("Empreinte")));
        let old = serde_json::to_value(&doc).map(|mut v| {
            v.as_object_mut().map(|o| o.remove("register_digest"));
            v
        });
        let back: Result<LetterDoc, _> = old.and_then(serde_json::from_value);
        assert!(back.is_ok_and(|d| d.register_digest.is_empty()), "a letter stored before the digest still reads");
    }

    #[test]
    fn long_letter_numbers_its_pages_and_short_one_does_not() {
        let long = layout(&long_letter(40), fonts());
        assert!(long.pages >= 2, "{} pages", long.pages);
        for page in 0..long.pages {
            let wanted = format!("{}/{}", page + 1, long.pages);
            assert!(long.lines.iter().any(|l| l.page == page && l.text == wanted), "no {wanted}");
            assert!(
                long.lines.iter().any(|l| l.page == page && l.text.starts_with("OPQTECC – Association")),
                "no footer"
            );
            if page > 0 {
                assert!(long.lines.iter().any(|l| l.page == page && l.text.contains("REC-2026-0042")), "no reminder");
            }
        }
        let short = layout(&sample_letter(), fonts());
        assert_eq!(short.pages, 1);
        assert!(!short.lines.iter().any(|l| is_page_number(&l.text)));
        assert!(short.lines.iter().any(|l| l.text.starts_with("OPQTECC – Association")));
    }

    #[test]
    fn registered_line_only_when_registered() {
        let registered = |doc: &LetterDoc| {
            layout(doc, fonts()).lines.iter().filter(|l| l.text.starts_with("Lettre recommandée")).count()
        };
        let mut doc = sample_letter();
        assert_eq!(registered(&doc), 1);
        let line = layout(&doc, fonts()).lines.into_iter().find(|l| l.text.starts_with("Lettre recommandée"));
        assert_eq!(
            line.map(|l| l.text),
            Some("Lettre recommandée avec accusé de réception n°\u{A0}1A\u{A0}123\u{A0}456\u{A0}7890\u{A0}1".into())
        );
        doc.registered_number = None;
        assert_eq!(registered(&doc), 0);
    }

    #[test]
    fn nothing_below_the_window_enters_it() {
        let layout = layout(&sample_letter(), fonts());
        for line in layout.lines.iter().filter(|l| l.page == 0 && !sample_letter().recipient.contains(&l.text)) {
            let (ascent, descent) = ascent_descent_mm(line.size_pt);
            let overlaps_x = line.x_mm < WINDOW.x_max_mm && line.x_mm + line.width_mm > WINDOW.x_min_mm;
            let overlaps_y =
                line.y_from_top_mm - ascent < WINDOW.y_max_mm && line.y_from_top_mm + descent > WINDOW.y_min_mm;
            assert!(!(overlaps_x && overlaps_y), "in the window: {line:?}");
        }
    }

    #[test]
    fn signature_stays_with_the_closing_and_the_last_lines() {
        for n in 1..=45 {
            let doc = long_letter(n);
            let layout = layout(&doc, fonts());
            let page_of = |text: &str| layout.lines.iter().find(|l| l.text.starts_with(text)).map(|l| l.page);
            let closing = page_of("Nous vous prions");
            assert!(closing.is_some());
            assert_eq!(page_of("Jean Dupont"), closing, "{n} paragraphs");
            assert_eq!(page_of("Responsable qualité"), closing, "{n} paragraphs");
            // The body line just before the closing is on the same page.
            let body: Vec<&PlacedLine> =
                layout.lines.iter().filter(|l| l.x_mm == LEFT && l.y_from_top_mm < BODY_BOTTOM + 0.1).collect();
            let closing_index = body.iter().position(|l| l.text.starts_with("Nous vous prions"));
            if let Some(i) = closing_index.filter(|&i| i > 0) {
                assert_eq!(body[i - 1].page, body[i].page, "{n} paragraphs: closing alone");
            }
            // Nothing below the body area but the footer.
            for line in &layout.lines {
                assert!(
                    line.y_from_top_mm <= BODY_BOTTOM
                        || line.y_from_top_mm == FOOTER_BASELINE
                        || line.y_from_top_mm == DIGEST_BASELINE,
                    "{line:?}"
                );
            }
        }
    }

    #[test]
    fn no_paragraph_leaves_its_first_line_alone_at_the_foot_of_a_page() {
        let layout = layout(&long_letter(40), fonts());
        for page in 0..layout.pages.saturating_sub(1) {
            let last = layout
                .lines
                .iter()
                .filter(|l| l.page == page && l.y_from_top_mm <= BODY_BOTTOM)
                .max_by(|a, b| a.y_from_top_mm.total_cmp(&b.y_from_top_mm));
            let last = last.map(|l| l.text.as_str()).unwrap_or_default();
            assert!(!last.starts_with("Paragraphe"), "orphan at the foot of page {}: {last}", page + 1);
        }
    }

    #[test]
    fn paragraphs_split_across_pages_keep_two_lines_on_each_side() {
        let mut splits = 0;
        for extra in 0..12 {
            let mut doc = long_letter(0);
            let sentence = "Le comité a examiné les pièces du dossier et les observations formulées par le demandeur. ";
            doc.paragraphs =
                (0..14).map(|i| format!("Paragraphe {i}. {}", sentence.repeat(1 + (i + extra) % 6))).collect();
            let layout = layout(&doc, fonts());
            let body: Vec<&PlacedLine> = layout
                .lines
                .iter()
                .filter(|l| l.x_mm == LEFT && (l.page > 0 || l.y_from_top_mm > DATE_BASELINE + 20.0))
                .filter(|l| l.y_from_top_mm <= BODY_BOTTOM && !l.text.starts_with("Réf."))
                .collect();
            for pair in body.windows(2) {
                let (before, after) = (pair[0], pair[1]);
                if before.page == after.page {
                    continue;
                }
                let index = body.iter().position(|l| std::ptr::eq(*l, after)).unwrap_or_default();
                let after_ends_paragraph = body.get(index + 1).is_none_or(|next| next.text.starts_with("Paragraphe"));
                assert!(!before.text.starts_with("Paragraphe"), "orphan: {before:?}");
                assert!(after.text.starts_with("Paragraphe") || !after_ends_paragraph, "widow: {after:?}");
                splits += usize::from(!after.text.starts_with("Paragraphe"));
            }
        }
        assert!(splits > 0, "no paragraph was split: the test proves nothing");
    }

    #[test]
    fn bullets_are_indented_with_a_dash() {
        let layout = layout(&sample_letter(), fonts());
        let dashes: Vec<&PlacedLine> = layout.lines.iter().filter(|l| l.text == "–").collect();
        assert_eq!(dashes.len(), 2);
        assert!(dashes.iter().all(|d| d.x_mm == BULLET_X));
        let item = layout.lines.iter().find(|l| l.text.starts_with("la copie")).map(|l| l.x_mm);
        assert_eq!(item, Some(BULLET_TEXT_X));
    }

    #[test]
    fn body_text_gets_french_typography() {
        let layout = layout(&sample_letter(), fonts());
        assert!(layout.lines.iter().any(|l| l.text == "Objet\u{A0}: Accusé de réception de votre réclamation"));
        assert!(layout.lines.iter().any(|l| l.text.contains("l’instruction")));
        assert!(layout.lines.iter().any(|l| l.text.contains("chantiers…)")));
    }

    #[test]
    fn no_break_spaces_have_a_glyph_as_wide_as_a_space_in_every_face() {
        let f = fonts();
        for face in [&f.regular, &f.bold, &f.italic] {
            let space = face.advance(' ');
            assert!(space.is_some_and(|w| w > 0));
            assert_eq!(face.advance('\u{A0}'), space, "U+00A0 is a full space");
            // U+202F is narrower than a space, but has a glyph: never a « ? ».
            assert!(face.advance('\u{202F}').is_some_and(|w| w > 0 && Some(w) <= space));
            assert_eq!(face.clean("23\u{A0}avril\u{A0}2026\u{202F}?"), "23\u{A0}avril\u{A0}2026\u{202F}?");
        }
    }

    /// A date in a long paragraph, moved one character at a time across the line end: it is
    /// never split (« 23 / avril »), while the same words with plain spaces are, somewhere.
    #[test]
    fn a_date_is_never_split_across_lines() {
        let c = Composer { fonts: fonts(), lines: Vec::new() };
        let mut plain_split = false;
        for n in 0..60 {
            let paragraph = format!(
                "Nous vous avons demandé {} de répondre, et vous nous avez écrit le 23 avril 2026 une lettre \
                 que nous avons lue avec attention ; elle est jointe au dossier de la réclamation.",
                "très ".repeat(4 + n / 6) + &"x".repeat(n % 6)
            );
            let mut doc = sample_letter();
            doc.paragraphs = vec![paragraph.clone()];
            let lines: Vec<String> = layout(&doc, fonts()).lines.into_iter().map(|l| l.text).collect();
            assert!(lines.iter().any(|l| l.contains("23\u{A0}avril\u{A0}2026")), "{n}: {lines:?}");
            for line in &lines {
                let last = line.split(' ').next_back().unwrap_or_default();
                assert!(!matches!(last, "23" | "avril" | "23\u{A0}avril"), "{n}: a date cut at « {line} »");
            }
            let wrapped = c.wrap(&paragraph, Style::Regular, BODY_SIZE, RIGHT - LEFT, RIGHT - LEFT);
            plain_split |= !wrapped.iter().any(|(text, _, _)| text.contains("23 avril 2026"));
        }
        assert!(plain_split, "the date never reached the end of a line: the test proves nothing");
    }

    #[test]
    fn justification_widens_spaces_with_tj_offsets() {
        let items = text_items("un deux trois", 1.0, 10.0);
        assert_eq!(items.len(), 5);
        assert_eq!(items[0], TextItem::Text("un ".into()));
        match items[1] {
            TextItem::Offset(o) => assert!((o + 1000.0 * PT_PER_MM / 10.0).abs() < 0.01),
            _ => panic!("expected an offset"),
        }
        assert_eq!(text_items("seul", 2.0, 10.0), vec![TextItem::Text("seul".into())]);
    }

    #[test]
    fn prepared_faces_give_every_character_of_theirs_the_same_advance() {
        let f = fonts();
        for face in [&f.regular, &f.bold, &f.italic] {
            let Some(prepared) = face.prepared.as_ref() else { panic!("face not prepared") };
            for c in ('\0'..='\u{20AC}').filter(|c| prepared_char(*c)) {
                let Some(advance) = face.advance(c) else { continue };
                let gid = prepared.parsed.lookup_glyph_index(c as u32).filter(|&g| g != 0);
                assert!(gid.is_some(), "{c:?} missing from the prepared face");
                assert_eq!(gid.map(|g| prepared.parsed.get_horizontal_advance(g)), Some(advance), "{c:?}");
            }
        }
    }

    /// A character the prepared faces lack: the letter's faces are subset for it alone.
    #[test]
    fn a_character_outside_the_prepared_faces_is_printed_too() -> TestResult {
        let mut doc = sample_letter();
        doc.paragraphs.push("Wojciech Łukasiewicz, de Gdańsk, écrit.".into());
        let bytes = render(&doc, fonts())?;
        let path = temp_pdf("outside", &bytes)?;
        qpdf_check(&path)?;
        if let Some(text) = pdftotext_file(&path)? {
            let flat = flat(&text);
            for wanted in ["Wojciech Łukasiewicz, de Gdańsk, écrit.", "Réf. : REC-2026-0042", "« guillemets »"] {
                assert!(flat.contains(wanted), "« {wanted} » missing from:\n{text}");
            }
        }
        std::fs::remove_file(path)?;
        Ok(())
    }

    /// The logo, made once for the session, is in every letter with its transparency; another
    /// logo replaces it.
    #[test]
    fn the_prepared_logo_is_in_every_letter() -> TestResult {
        let fonts = Fonts::liberation()?;
        let mut doc = sample_letter();
        for (w, h) in [(96, 64), (96, 64), (40, 50)] {
            doc.letterhead.logo_png = Some(test_png(w, h, 8));
            let path = temp_pdf(&format!("logo-{w}"), &render(&doc, &fonts)?)?;
            qpdf_check(&path)?;
            if let Some(out) = pdf_tool("pdfimages", &["-list", &path.to_string_lossy()])? {
                let list = String::from_utf8_lossy(&out.stdout);
                let sizes: Vec<(&str, &str, &str)> = list
                    .lines()
                    .skip(2)
                    .filter_map(|l| {
                        let cols: Vec<&str> = l.split_whitespace().collect();
                        Some((*cols.get(2)?, *cols.get(3)?, *cols.get(4)?))
                    })
                    .collect();
                let (w, h) = (w.to_string(), h.to_string());
                assert_eq!(sizes, vec![("image", w.as_str(), h.as_str()), ("smask", w.as_str(), h.as_str())], "{list}");
            }
            std::fs::remove_file(path)?;
        }
        Ok(())
    }

    #[test]
    fn logo_is_checked_and_16_bit_narrowed() -> TestResult {
        assert!(matches!(decode_logo(b"pas une image"), Err(PdfError::Logo(_))));
        let image = decode_logo(&test_png(8, 4, 16))?;
        assert!(matches!(image.pixels, RawImageData::U8(_)));
        assert_eq!(image.data_format, RawImageFormat::RGBA8);
        assert_eq!(png_size(&test_png(96, 64, 8)), Some((96, 64)));
        let mut doc = sample_letter();
        let mut broken = test_png(96, 64, 8);
        broken.truncate(40);
        doc.letterhead.logo_png = Some(broken);
        assert!(matches!(render(&doc, fonts()), Err(PdfError::Logo(_))));
        doc.letterhead.logo_png = Some(b"pas une image".to_vec());
        assert!(matches!(render(&doc, fonts()), Err(PdfError::Logo(_))));
        Ok(())
    }

    // ---- The PDF as a reader sees it (poppler-utils, qpdf: see `crate::test_support`) ----

    fn out_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/letter-previews")
    }

    fn temp_pdf(name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
        let path = std::env::temp_dir().join(format!("letters-draft-{}-{name}.pdf", std::process::id()));
        std::fs::write(&path, bytes)?;
        Ok(path)
    }

    fn qpdf_check(path: &Path) -> std::io::Result<()> {
        if let Some(out) = pdf_tool("qpdf", &["--check", &path.to_string_lossy()])? {
            assert!(
                out.status.success(),
                "qpdf --check: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    }

    #[test]
    fn rendered_text_extracts_with_every_french_character() -> TestResult {
        let doc = sample_letter();
        let bytes = render(&doc, fonts())?;
        println!("one-page letter: {} bytes ({:.1} KB)", bytes.len(), bytes.len() as f32 / 1024.0);
        assert!(bytes.len() < 150 * 1024, "{} bytes: fonts not subset?", bytes.len());
        let path = temp_pdf("sample", &bytes)?;
        qpdf_check(&path)?;
        if let Some(text) = pdftotext_file(&path)? {
            let flat = flat(&text);
            for sign in ["é", "è", "à", "ç", "ù", "œ", "Œ", "«", "»", "€", "n°", "’", "–", "…"] {
                assert!(flat.contains(sign), "{sign} missing from:\n{text}");
            }
            for wanted in [
                "é è à ç ù œ Œ « guillemets » 150 € et le dossier n° 12.",
                "Réf. : REC-2026-0042",
                "Objet : Accusé de réception de votre réclamation",
                "Lettre recommandée avec accusé de réception n° 1A 123 456 7890 1",
                "Paris, le 28 novembre 2026",
                "Madame Claire Martin",
                "Société Martin Thermique",
                "8 avenue des Frères Lumière",
                "69008 LYON",
                "Jean Dupont",
                "reclamations@opqtecc.fr",
            ] {
                assert!(flat.contains(wanted), "« {wanted} » missing from:\n{text}");
            }
            assert!(!flat.contains("1/1"));
        }
        std::fs::remove_file(path)?;
        Ok(())
    }

    #[test]
    fn rendered_long_letter_has_page_numbers() -> TestResult {
        let bytes = render(&long_letter(40), fonts())?;
        let path = temp_pdf("long", &bytes)?;
        qpdf_check(&path)?;
        if let Some(text) = pdftotext_file(&path)? {
            let pages = layout(&long_letter(40), fonts()).pages;
            for page in 1..=pages {
                assert!(text.contains(&format!("{page}/{pages}")), "{page}/{pages} missing");
            }
            assert!(flat(&text).contains("Paragraphe 40."));
        }
        std::fs::remove_file(path)?;
        Ok(())
    }

    #[test]
    fn render_many_puts_the_days_mail_in_one_pdf() -> TestResult {
        let docs = [sample_letter(), long_letter(40), sample_letter()];
        let expected: usize = docs.iter().map(|d| layout(d, fonts()).pages).sum();
        let bytes = render_many(&docs, fonts())?;
        let path = temp_pdf("many", &bytes)?;
        qpdf_check(&path)?;
        if let Some(out) = pdf_tool("qpdf", &["--show-npages", &path.to_string_lossy()])? {
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), expected.to_string());
        }
        assert!(matches!(render_many(&[], fonts()), Err(PdfError::Pdf(_))));
        std::fs::remove_file(path)?;
        Ok(())
    }

    #[test]
    fn creation_date_and_title_are_set() -> TestResult {
        let bytes = render(&sample_letter(), fonts())?;
        let path = temp_pdf("info", &bytes)?;
        if let Some(out) = pdf_tool("pdfinfo", &[&path.to_string_lossy()])? {
            let info = String::from_utf8_lossy(&out.stdout);
            assert!(info.contains("Title:           Accusé de réception REC-2026-0042"), "{info}");
            assert!(info.contains("2026"), "{info}");
            assert!(!info.contains("1970"), "{info}");
            assert!(info.contains("Pages:           1"), "{info}");
        }
        std::fs::remove_file(path)?;
        Ok(())
    }

    /// Page 1 of the sample letter as PNGs to look at, in out/: `lettre-exemple.png` as printed,
    /// `fenetre-6-lignes.png` with a 6-line address and the window zone outlined in red.
    #[test]
    fn preview_png_of_page_one() -> TestResult {
        let dir = out_dir();
        std::fs::create_dir_all(&dir)?;
        let mut six = sample_letter();
        six.recipient = postal_address(&[
            "MADAME CLAIRE-MARIE DE LA ROCHEFOUCAUL",
            "SCI LES JARDINS DU CHATEAU DE VERSAIL",
            "BATIMENT B ESCALIER 4 APPARTEMENT 1204",
            "RESIDENCE DES GRANDS MOULINS DE PANTIN",
            "147 BOULEVARD DU MARECHAL DE LATTRE",
            "78000 VERSAILLES",
        ])?;
        let previews = [
            ("lettre-exemple", render(&sample_letter(), fonts())?),
            ("fenetre-6-lignes", render_pdf(std::slice::from_ref(&six), fonts(), true)?),
            ("lettre-longue", render(&long_letter(40), fonts())?),
        ];
        for (name, bytes) in previews {
            let pdf = dir.join(format!("{name}.pdf"));
            std::fs::write(&pdf, bytes)?;
            let (pdf, prefix) = (pdf.to_string_lossy().into_owned(), dir.join(name).to_string_lossy().into_owned());
            let args = ["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf.as_str(), prefix.as_str()];
            if let Some(out) = pdf_tool("pdftoppm", &args)? {
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                assert!(dir.join(format!("{name}.png")).exists());
            }
        }
        Ok(())
    }
}
