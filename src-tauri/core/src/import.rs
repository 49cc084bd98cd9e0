//! Import of a firms register exported from a spreadsheet: CSV text, or the workbook itself
//! (Excel `.xlsx` or `.xls`, OpenDocument `.ods`).
//!
//! The register may list one row per firm, or — as the organisation's own export does — one
//! row per firm *and* qualification (« N° qualifié ; Raison sociale ; SIRET ; … ;
//! Qualification ; Date d'attribution ; Fin de validité ; RGE »). Each data row becomes one
//! [`FirmRow`], with its [`QualificationRow`] when the row names a qualification; rows of the
//! same firm are kept as they are (grouping them is the caller's business).
//!
//! Pipeline ([`parse`]): the format is told from the bytes. CSV text is [`decode`]d (UTF-8 or
//! Windows-1252), its [`detect_delimiter`] found from the header line, and split into
//! [`records`] (RFC 4180). A workbook is read with `calamine` (first worksheet holding any
//! non-empty cell), each cell turned into text (numbers without `.0` nor exponent, dates as
//! ISO `YYYY-MM-DD`, booleans as « oui »/« non »), each row numbered as the spreadsheet shows
//! it. Both then share the same steps: the header is mapped to known fields (case, accents,
//! spaces and punctuation ignored, see [`field`]), and each data row is built.
//!
//! Imperfect data comes in with a warning ([`FirmRow::warnings`]) rather than being refused:
//! an unrecognised yes/no value, status or type, an unreadable date, a SIRET that fails its
//! check. Only a row that cannot be a firm (empty « raison sociale ») and broken CSV records
//! (unterminated quote, too many values) are line errors ([`ParsedFile::errors`]); an
//! unreadable file is a whole-file `Err`. Every message meant for the user is in French and
//! starts with « Ligne N : » when it concerns one line.

use chrono::NaiveDate;
use serde::Serialize;

/// Labels of the recognised fields, as reported in [`ParsedFile::columns`] (French, ready
/// to be shown in the import preview).
pub mod field {
    /// The firm's number in the organisation (« N° qualifié »).
    pub const NUMBER: &str = "n° qualifié";
    pub const NAME: &str = "raison sociale";
    pub const SIRET: &str = "SIRET";
    pub const ADDRESS: &str = "adresse";
    pub const POSTCODE: &str = "code postal";
    pub const CITY: &str = "ville";
    pub const EMAIL: &str = "courriel";
    pub const PHONE: &str = "téléphone";
    pub const QUALIFIED: &str = "qualifié";
    pub const CERTIFIED: &str = "certifié";
    pub const RGE: &str = "RGE";
    pub const QUAL_CODE: &str = "code de la qualification";
    pub const QUAL_LABEL: &str = "qualification";
    /// Qualification or certification.
    pub const QUAL_KIND: &str = "type";
    pub const GRANTED: &str = "date d'attribution";
    pub const VALID_UNTIL: &str = "fin de validité";
    pub const STATUS: &str = "statut";
    pub const STATUS_FROM: &str = "date du statut";
    pub const STATUS_UNTIL: &str = "fin du statut";
}

/// Names of the file formats, as reported in [`ParsedFile::format`].
pub mod format {
    pub const CSV: &str = "CSV";
    pub const XLSX: &str = "Excel (.xlsx)";
    pub const ODS: &str = "OpenDocument (.ods)";
    pub const XLS: &str = "Excel 97-2003 (.xls)";
}

/// Character encoding found by [`decode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

impl Encoding {
    /// Name shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Text of the file: UTF-8 (with or without BOM) when valid, else Windows-1252 (Excel's
/// "CSV (séparateur: point-virgule)" on French Windows).
///
/// The BOM is never part of the returned text. A file that starts with a UTF-8 BOM is
/// taken as UTF-8 even if some later bytes are invalid (they become U+FFFD).
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return (String::from_utf8_lossy(rest).into_owned(), Encoding::Utf8);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), Encoding::Utf8),
        Err(_) => {
            // Windows-1252 maps every byte, so this never reports errors.
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}

const DELIMITER_CANDIDATES: [u8; 3] = [b';', b',', b'\t'];

/// `;` or `,` (or tab), detected from the header line (first non-blank line) outside
/// quotes: the one that splits it into the most columns; `;` wins ties, then `,`.
/// A header without any of them gives `;`.
pub fn detect_delimiter(text: &str) -> u8 {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bytes = text.as_bytes();
    let mut start = 0;
    loop {
        let end = line_end(bytes, start);
        if end >= bytes.len() || !is_blank(&bytes[start..end], 0) {
            break;
        }
        start = after_line_break(bytes, end);
    }
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'\n' || b == b'\r' {
            break;
        } else if let Some(k) = DELIMITER_CANDIDATES.iter().position(|&c| c == b) {
            counts[k] += 1;
            at_field_start = true;
        } else if b == b'"' && at_field_start {
            in_quotes = true;
            at_field_start = false;
        } else if b != b' ' {
            at_field_start = false;
        }
        i += 1;
    }
    let mut best = 0;
    for (k, &count) in counts.iter().enumerate() {
        if count > counts[best] {
            best = k;
        }
    }
    DELIMITER_CANDIDATES[best]
}

/// RFC 4180 records, split by the `csv` crate: quoted fields with `""` escapes, delimiters
/// and line breaks (`\n`, `\r\n`, or a lone `\r`) inside quotes. Returns for each record its
/// 1-based line number in the file (of the record's first line) and its fields (not trimmed;
/// line breaks inside quoted fields are kept as written).
///
/// Blank lines (empty or only spaces/tabs that are not the delimiter) are skipped. An
/// unterminated quote is an error for that record (French message) and parsing resumes at
/// the line following the one where that quote was opened.
///
/// What spreadsheets and hand-edited files do, as the crate reads it: a quote in the middle
/// of an unquoted field is kept literally; text after a closing quote is appended to the
/// field. A quote opens a quoted field only as the field's first character (RFC 4180: with a
/// space before it, it is an ordinary character). A UTF-8 BOM at the very start is dropped.
pub fn records(text: &str, delimiter: u8) -> Vec<(usize, Result<Vec<String>, String>)> {
    let mut out = Vec::new();
    if !delimiter.is_ascii() || matches!(delimiter, b'"' | b'\r' | b'\n') {
        out.push((1, Err(format!("Ligne 1 : séparateur de colonnes non pris en charge (octet {delimiter:#04x})."))));
        return out;
    }
    let bytes = text.as_bytes();
    let lines = LineStarts::new(bytes);
    let mut from = 0;
    'restart: while from < bytes.len() {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(&bytes[from..]);
        for record in reader.records() {
            // Splitting happens on ASCII bytes only: every field of UTF-8 text is UTF-8.
            let Ok(record) = record else { break 'restart };
            let Some(position) = record.position() else { continue };
            // The crate's position may sit on the previous line break or on skipped empty lines.
            let mut start = skip_line_breaks(bytes, from + position.byte() as usize);
            if start == from && bytes[start..].starts_with(UTF8_BOM) {
                // The crate drops a BOM at the start of its input.
                start += UTF8_BOM.len();
            }
            let line = lines.line_of(start);
            let fields: Vec<String> = record.iter().map(str::to_owned).collect();
            if fields.len() == 1 && is_blank(&bytes[start..line_end(bytes, start)], delimiter) {
                continue;
            }
            if let Some(quote) = unterminated_quote(bytes.get(start..).unwrap_or_default(), delimiter) {
                let quote_line = lines.line_of(start + quote);
                let ignored = if quote_line == line {
                    format!("ligne {line} ignorée")
                } else {
                    format!("lignes {line} à {quote_line} ignorées")
                };
                out.push((
                    line,
                    Err(format!(
                        "Ligne {line} : guillemet ouvert dans la colonne n° {} mais jamais refermé ({ignored}).",
                        fields.len()
                    )),
                ));
                from = after_line_break(bytes, line_end(bytes, start + quote));
                continue 'restart;
            }
            out.push((line, Ok(fields)));
        }
        break;
    }
    out
}

/// Byte offsets where each line starts (after `\n`, `\r\n` or a lone `\r`), to number lines
/// the way a text editor does (the crate counts `\n` only).
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(bytes: &[u8]) -> Self {
        let mut starts = vec![0];
        let mut end = line_end(bytes, 0);
        while end < bytes.len() {
            let next = after_line_break(bytes, end);
            starts.push(next);
            end = line_end(bytes, next);
        }
        LineStarts(starts)
    }

    /// 1-based line of the byte at `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset).max(1)
    }
}

fn skip_line_breaks(bytes: &[u8], mut at: usize) -> usize {
    while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    at
}

/// When the record at the start of `record` runs to the end of the text inside a quoted
/// field, the offset of the quote that opened that field. Follows the crate's rules: a quote
/// opens a field only as its first byte, `""` inside quotes is one quote, and anything after
/// a closing quote joins the field.
fn unterminated_quote(record: &[u8], delimiter: u8) -> Option<usize> {
    enum State {
        FieldStart,
        Unquoted,
        Quoted(usize),
        AfterQuote(usize),
    }
    let mut state = State::FieldStart;
    for (i, &b) in record.iter().enumerate() {
        state = match state {
            State::Quoted(open) if b == b'"' => State::AfterQuote(open),
            State::Quoted(open) => State::Quoted(open),
            _ if b == b'\n' || b == b'\r' => return None,
            _ if b == delimiter => State::FieldStart,
            State::FieldStart if b == b'"' => State::Quoted(i),
            State::AfterQuote(open) if b == b'"' => State::Quoted(open),
            _ => State::Unquoted,
        };
    }
    match state {
        State::Quoted(open) => Some(open),
        _ => None,
    }
}

/// Index of the first `\r` or `\n` at or after `from`, or the text length.
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r'))
        .map_or(bytes.len(), |p| from + p)
}

/// Index just after the line break starting at `at` (`\r\n`, `\n` or `\r`).
fn after_line_break(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at) {
        Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => at + 2,
        Some(b'\r') | Some(b'\n') => at + 1,
        _ => at,
    }
}

fn is_inline_space(b: u8, delimiter: u8) -> bool {
    (b == b' ' || b == b'\t') && b != delimiter
}

fn is_blank(line: &[u8], delimiter: u8) -> bool {
    line.iter().all(|&b| is_inline_space(b, delimiter))
}

/// One data row: a firm, and the qualification the row names if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirmRow {
    /// 1-based line number in the file (first line of the record), or the row number the
    /// spreadsheet shows.
    pub line: usize,
    /// The firm's number in the organisation (« N° qualifié »); "" when absent.
    pub number: String,
    pub name: String,
    /// Digits only when it was typed with spaces or dots; kept even when it fails its check
    /// (with a warning).
    pub siret: String,
    /// Address lines separated by `'\n'`.
    pub address_lines: String,
    pub postcode: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub is_qualified: Option<bool>,
    pub is_certified: Option<bool>,
    pub is_rge: Option<bool>,
    /// Present when the row names a qualification (a code or a label column non-empty).
    pub qualification: Option<QualificationRow>,
    /// Non-blocking problems, each starting with « Ligne N : ».
    pub warnings: Vec<String>,
}

/// The qualification (or certification) named on a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualificationRow {
    /// Its code (« 2.1 »), "" when none.
    pub reference: String,
    pub label: String,
    /// "qualification" or "certification".
    pub kind: &'static str,
    /// Date of attribution, ISO `YYYY-MM-DD`, or "".
    pub valid_from: String,
    /// End of validity, ISO, or "".
    pub valid_until: String,
    /// `Some("active" | "suspended" | "withdrawn")`; `None` without a status column or when
    /// the status was not recognised (with a warning).
    pub status: Option<&'static str>,
    /// ISO or "".
    pub status_from: String,
    /// ISO or "".
    pub status_until: String,
    /// The RGE column's value on that row.
    pub is_rge: Option<bool>,
}

/// Result of [`parse`]: what was found in the file, the rows read and the line errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedFile {
    /// One of [`format`](mod@format): "CSV", "Excel (.xlsx)", "OpenDocument (.ods)", "Excel 97-2003 (.xls)".
    pub format: &'static str,
    /// [`Encoding::label`] of the encoding found; "" for a workbook.
    pub encoding: &'static str,
    /// "point-virgule", "virgule" or "tabulation"; "" for a workbook.
    pub delimiter: String,
    /// Each header cell (trimmed) with the label of the field it was recognised as (see
    /// [`field`]), or `None` when the column is ignored.
    pub columns: Vec<(String, Option<&'static str>)>,
    pub rows: Vec<FirmRow>,
    /// Line number and French message (which already starts with « Ligne N : »).
    pub errors: Vec<(usize, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Number,
    Name,
    Siret,
    Address,
    Postcode,
    City,
    Email,
    Phone,
    Qualified,
    Certified,
    Rge,
    QualCode,
    QualLabel,
    QualKind,
    Granted,
    ValidUntil,
    Status,
    StatusFrom,
    StatusUntil,
}

impl Field {
    const ALL: [Field; 19] = [
        Field::Number,
        Field::Name,
        Field::Siret,
        Field::Address,
        Field::Postcode,
        Field::City,
        Field::Email,
        Field::Phone,
        Field::Qualified,
        Field::Certified,
        Field::Rge,
        Field::QualCode,
        Field::QualLabel,
        Field::QualKind,
        Field::Granted,
        Field::ValidUntil,
        Field::Status,
        Field::StatusFrom,
        Field::StatusUntil,
    ];

    fn label(self) -> &'static str {
        match self {
            Field::Number => field::NUMBER,
            Field::Name => field::NAME,
            Field::Siret => field::SIRET,
            Field::Address => field::ADDRESS,
            Field::Postcode => field::POSTCODE,
            Field::City => field::CITY,
            Field::Email => field::EMAIL,
            Field::Phone => field::PHONE,
            Field::Qualified => field::QUALIFIED,
            Field::Certified => field::CERTIFIED,
            Field::Rge => field::RGE,
            Field::QualCode => field::QUAL_CODE,
            Field::QualLabel => field::QUAL_LABEL,
            Field::QualKind => field::QUAL_KIND,
            Field::Granted => field::GRANTED,
            Field::ValidUntil => field::VALID_UNTIL,
            Field::Status => field::STATUS,
            Field::StatusFrom => field::STATUS_FROM,
            Field::StatusUntil => field::STATUS_UNTIL,
        }
    }

    /// Accepted headers, as produced by [`normalize_key`], best first: when several
    /// columns match a single-valued field, the best synonym wins (then the leftmost).
    /// Matching is exact, so « Code » (the firm's number) and « Code postal », or
    /// « Qualifié » (a yes/no flag) and « Qualification », do not collide.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::Number => &[
                "nqualifie",
                "noqualifie",
                "numqualifie",
                "numeroqualifie",
                "numerodequalifie",
                "nadherent",
                "noadherent",
                "numeroadherent",
                "numerodadherent",
                "codequalifie",
                "codeadherent",
                "nentreprise",
                "noentreprise",
                "numeroentreprise",
                "numerodentreprise",
                "identifiant",
                "matricule",
                "code",
            ],
            Field::Name => &[
                "raisonsociale",
                "denominationsociale",
                "denomination",
                "nomdelentreprise",
                "nomentreprise",
                "entreprise",
                "societe",
                "nom",
            ],
            Field::Siret => &["siret", "nsiret", "nosiret", "numsiret", "numerosiret", "numerodesiret"],
            Field::Address => &[
                "adresse",
                "adresse1",
                "adresse2",
                "adresse3",
                "complementdadresse",
                "complementadresse",
                "voie",
                "adressepostale",
            ],
            Field::Postcode => &["codepostal", "cp"],
            Field::City => &["ville", "commune", "localite"],
            Field::Email => {
                &["courriel", "email", "mail", "adresseelectronique", "adressemail", "adresseemail", "adressecourriel"]
            }
            Field::Phone => &["telephone", "tel", "numerodetelephone", "numerotelephone"],
            Field::Qualified => &["qualifie", "qualifiee"],
            Field::Certified => &["certifie", "certifiee"],
            Field::Rge => &["rge"],
            Field::QualCode => &[
                "codequalification",
                "codedelaqualification",
                "referencequalification",
                "referencedelaqualification",
                "refqualification",
                "nqualification",
                "noqualification",
                "numeroqualification",
                "numerodequalification",
                "ndequalification",
                "nodequalification",
                "codecertification",
                "referencecertification",
            ],
            Field::QualLabel => &[
                "qualification",
                "intitulequalification",
                "intituledelaqualification",
                "libellequalification",
                "libelledelaqualification",
                "qualificationcertification",
                "certification",
                "intitule",
                "libelle",
                "domaine",
            ],
            Field::QualKind => {
                &["type", "typedequalification", "typequalification", "qualificationoucertification", "nature"]
            }
            Field::Granted => &[
                "datedattribution",
                "dateattribution",
                "attribution",
                "attribuele",
                "datedobtention",
                "obtention",
                "datedebut",
                "datededebut",
                "debutdevalidite",
                "validedu",
                "valideapartirdu",
            ],
            Field::ValidUntil => &[
                "findevalidite",
                "datefindevalidite",
                "datedefindevalidite",
                "datedefin",
                "datefin",
                "validejusquau",
                "jusquau",
                "valideau",
                "echeance",
                "dateecheance",
                "datedecheance",
                "expiration",
                "datedexpiration",
            ],
            Field::Status => &["statut", "statutqualification", "statutdelaqualification", "etat"],
            Field::StatusFrom => &[
                "datedustatut",
                "datestatut",
                "datedestatut",
                "statutdepuis",
                "suspendudu",
                "suspendudepuis",
                "suspenduedepuis",
                "suspendedepuis",
                "datederetrait",
                "retireele",
                "retirele",
            ],
            Field::StatusUntil => &[
                "finsuspension",
                "findesuspension",
                "findustatut",
                "suspendujusquau",
                "suspenduejusquau",
                "suspenduau",
                "suspendueau",
            ],
        }
    }

    /// Several columns of this field are all used (joined in file order).
    fn is_multi(self) -> bool {
        self == Field::Address
    }

    /// Recognises a header cell: the field and the rank of the synonym matched.
    fn recognise(header: &str) -> Option<(Field, usize)> {
        let key = normalize_key(header);
        if key.is_empty() {
            return None;
        }
        Field::ALL.iter().find_map(|&field| field.synonyms().iter().position(|&s| s == key).map(|rank| (field, rank)))
    }
}

/// Lower case, accents folded, everything but letters and digits removed:
/// « N° SIRET » → "nsiret", « Complément d'adresse » → "complementdadresse".
pub(crate) fn normalize_key(text: &str) -> String {
    // Combining accents of decomposed text are gone after the fold; spaces, punctuation and
    // the degree sign are dropped here.
    crate::french::fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Assigns a field to each column. Single-valued fields go to one column only.
fn assign_fields(headers: &[String]) -> Vec<Option<Field>> {
    let recognised: Vec<Option<(Field, usize)>> = headers.iter().map(|h| Field::recognise(h)).collect();
    recognised
        .iter()
        .enumerate()
        .map(|(index, found)| {
            let (field, rank) = (*found)?;
            if field.is_multi() {
                return Some(field);
            }
            let beaten = recognised
                .iter()
                .enumerate()
                .any(|(other, o)| matches!(o, Some((f, r)) if *f == field && (*r, other) < (rank, index)));
            (!beaten).then_some(field)
        })
        .collect()
}

fn delimiter_label(delimiter: u8) -> &'static str {
    match delimiter {
        b',' => "virgule",
        b'\t' => "tabulation",
        _ => "point-virgule",
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Compound File Binary: Excel 97-2003 workbooks, but also password-protected `.xlsx`.
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Refuses text files that cannot be CSV, with a hint for the user.
fn check_is_text(bytes: &[u8]) -> Result<(), String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("Ce fichier est en UTF-16 (« Texte Unicode »), format non pris en charge. \
                    Dans Excel, enregistrez-le au format « CSV UTF-8 » ou « CSV (séparateur : \
                    point-virgule) »."
            .to_owned());
    }
    Ok(())
}

/// Whole pipeline: format, then for CSV decoding, delimiter and records, for a workbook its
/// first non-empty worksheet; then header recognition and rows.
///
/// Header recognition ignores case, accents, spaces and punctuation. A missing
/// « raison sociale » column (or a synonym) is a whole-file error listing the columns
/// found, and so is an unreadable workbook. A row that cannot be a firm (empty name) or a
/// broken CSV record is collected in [`ParsedFile::errors`] and left out of
/// [`ParsedFile::rows`]; lesser problems are the row's [`FirmRow::warnings`]. Rows whose
/// cells are all empty (`;;;` rows left by spreadsheets) are skipped silently.
pub fn parse(bytes: &[u8]) -> Result<ParsedFile, String> {
    parse_table(read_table(bytes)?)
}

/// The records of a file, whatever its format: a workbook's first non-empty worksheet, or
/// CSV text decoded, its delimiter found and split into records. Shared by every import of a
/// spreadsheet (the firms register, the complaints of the register kept before the app).
pub fn read_table(bytes: &[u8]) -> Result<Table, String> {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(CFB_MAGIC) {
        let (format, rows) = read_workbook(bytes)?;
        return Ok(Table {
            format,
            encoding: "",
            delimiter: String::new(),
            records: rows.into_iter().map(|(line, cells)| (line, Ok(cells))).collect(),
            is_workbook: true,
        });
    }
    check_is_text(bytes)?;
    let (decoded, encoding) = decode(bytes);
    let text = decoded.strip_prefix('\u{feff}').unwrap_or(&decoded);
    let delimiter = detect_delimiter(text);
    Ok(Table {
        format: format::CSV,
        encoding: encoding.label(),
        delimiter: delimiter_label(delimiter).to_owned(),
        records: records(text, delimiter),
        is_workbook: false,
    })
}

/// What the header and row steps need from either format.
pub struct Table {
    pub format: &'static str,
    pub encoding: &'static str,
    pub delimiter: String,
    /// Line (or spreadsheet row) number and cells, or the record's error.
    pub records: Vec<(usize, Result<Vec<String>, String>)>,
    /// A workbook's header is cut after its last non-empty cell, and a value beyond it is
    /// a warning (in CSV it betrays a delimiter or quote problem: a line error).
    pub is_workbook: bool,
}

fn parse_table(table: Table) -> Result<ParsedFile, String> {
    let Table { format, encoding, delimiter, records, is_workbook } = table;
    let mut all = records.into_iter();
    let header = match all.next() {
        None if is_workbook => {
            return Err("Le classeur est vide : aucune feuille ne contient de données.".to_owned());
        }
        None => return Err("Le fichier est vide : aucune ligne d'en-tête trouvée.".to_owned()),
        Some((_, Err(message))) => {
            return Err(format!("Ligne d'en-tête illisible. {message}"));
        }
        Some((_, Ok(cells))) => cells,
    };
    let mut headers: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
    if is_workbook {
        let used = headers.iter().rposition(|h| !h.is_empty()).map_or(0, |last| last + 1);
        headers.truncate(used);
    }
    let fields = assign_fields(&headers);
    if !fields.contains(&Some(Field::Name)) {
        let found: Vec<String> =
            headers.iter().filter(|h| !h.is_empty()).map(|h| format!("« {} »", single_line(h))).collect();
        let found = if found.is_empty() { "aucune".to_owned() } else { found.join(", ") };
        return Err(format!(
            "Colonne « raison sociale » introuvable dans la ligne d'en-tête. Colonnes trouvées : \
             {found}. Intitulés acceptés : raison sociale, nom, entreprise, société, dénomination."
        ));
    }

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (line, record) in all {
        let values = match record {
            Ok(values) => values,
            Err(message) => {
                errors.push((line, message));
                continue;
            }
        };
        if values.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let extra = values.iter().skip(headers.len()).find(|v| !v.trim().is_empty());
        if let (Some(extra), false) = (extra, is_workbook) {
            errors.push((
                line,
                format!(
                    "Ligne {line} : {} valeurs pour {} colonnes (valeur en trop : « {} ») ; \
                     vérifiez les séparateurs et les guillemets.",
                    values.len(),
                    headers.len(),
                    single_line(extra)
                ),
            ));
            continue;
        }
        match build_row(line, &values, &headers, &fields) {
            Ok(mut row) => {
                if let Some(extra) = extra {
                    row.warnings.push(format!(
                        "Ligne {line} : valeur « {} » dans une colonne sans intitulé, ignorée.",
                        single_line(extra)
                    ));
                }
                rows.push(row)
            }
            Err(problem) => errors.push((line, problem)),
        }
    }

    Ok(ParsedFile {
        format,
        encoding,
        delimiter,
        columns: headers.into_iter().zip(fields.iter().map(|f| f.map(Field::label))).collect(),
        rows,
        errors,
    })
}

/// A worksheet row: its number as the spreadsheet shows it (1-based) and its cells as text.
type SheetRow = (usize, Vec<String>);

/// Format name and the rows of the first worksheet that has a non-empty cell: each row's
/// number as the spreadsheet shows it (1-based) and its cells as text, rows whose cells are
/// all empty left out. Any failure of the reader is a French whole-file error.
fn read_workbook(bytes: &[u8]) -> Result<(&'static str, Vec<SheetRow>), String> {
    // The reader must never take the application down: a malformed file that makes it panic
    // is reported like any other unreadable workbook.
    std::panic::catch_unwind(|| read_workbook_unguarded(bytes))
        .unwrap_or_else(|_| Err(unreadable_workbook(if bytes.starts_with(CFB_MAGIC) { "xls" } else { "" }, false)))
}

fn read_workbook_unguarded(bytes: &[u8]) -> Result<(&'static str, Vec<SheetRow>), String> {
    use calamine::{open_workbook_from_rs, Ods, Xls, Xlsx};
    use std::io::Cursor;
    if bytes.starts_with(CFB_MAGIC) {
        let workbook: Xls<_> = open_workbook_from_rs(Cursor::new(bytes))
            .map_err(|e| unreadable_workbook("xls", matches!(e, calamine::XlsError::Password)))?;
        return Ok((format::XLS, first_sheet_rows(workbook, "xls")?));
    }
    if is_opendocument(bytes) {
        let workbook: Ods<_> = open_workbook_from_rs(Cursor::new(bytes))
            .map_err(|e| unreadable_workbook("ods", matches!(e, calamine::OdsError::Password)))?;
        return Ok((format::ODS, first_sheet_rows(workbook, "ods")?));
    }
    let workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| unreadable_workbook("xlsx", matches!(e, calamine::XlsxError::Password)))?;
    Ok((format::XLSX, first_sheet_rows(workbook, "xlsx")?))
}

/// An OpenDocument package starts with its uncompressed `mimetype` entry (ODF 1.2, part 3,
/// 3.3): the local header's name at offset 30, the media type after it.
fn is_opendocument(bytes: &[u8]) -> bool {
    bytes.get(30..38) == Some(b"mimetype".as_slice())
        && bytes.get(38..).is_some_and(|rest| rest.starts_with(b"application/vnd.oasis.opendocument"))
}

/// French message for a workbook that cannot be read; `extension` is "xls", "xlsx", "ods"
/// or "" when not known.
fn unreadable_workbook(extension: &str, password: bool) -> String {
    if password {
        return "Ce classeur est protégé par un mot de passe : ouvrez-le dans le tableur, \
                retirez le mot de passe, enregistrez-le puis importez-le de nouveau."
            .to_owned();
    }
    let what = match extension {
        "xls" => {
            "Ce fichier Excel (.xls) n'a pas pu être lu : il est endommagé, protégé par un mot de \
                  passe, ou ce n'est pas un classeur."
        }
        "ods" => {
            "Ce classeur OpenDocument (.ods) n'a pas pu être lu : il est endommagé ou ce n'est pas \
                  un classeur."
        }
        "xlsx" => {
            "Ce fichier compressé n'a pas pu être lu comme un classeur Excel (.xlsx) : il est \
                   endommagé ou ce n'est pas un classeur."
        }
        _ => "Ce classeur n'a pas pu être lu : il est endommagé ou ce n'est pas un classeur.",
    };
    format!("{what} Ouvrez-le dans le tableur, puis « Enregistrer sous » au format .xlsx ou CSV.")
}

/// Rows of the first worksheet (in the workbook's order) that has a non-empty cell; none
/// when every worksheet is empty.
fn first_sheet_rows<RS, R>(mut workbook: R, extension: &str) -> Result<Vec<SheetRow>, String>
where
    RS: std::io::Read + std::io::Seek,
    R: calamine::Reader<RS>,
{
    let names: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|sheet| sheet.typ == calamine::SheetType::WorkSheet)
        .map(|sheet| sheet.name.clone())
        .collect();
    for name in names {
        let range = workbook.worksheet_range(&name).map_err(|_| unreadable_workbook(extension, false))?;
        // `rows()` starts at the range's first used row, which `start()` gives (0-based).
        let first_row = range.start().map_or(0, |(row, _)| row as usize);
        let rows: Vec<SheetRow> = range
            .rows()
            .enumerate()
            .map(|(index, cells)| (first_row + index + 1, cells.iter().map(cell_text).collect::<Vec<String>>()))
            .filter(|(_, cells)| cells.iter().any(|cell| !cell.trim().is_empty()))
            .collect();
        if !rows.is_empty() {
            return Ok(rows);
        }
    }
    Ok(Vec::new())
}

/// Text of a cell: strings as they are; numbers in plain decimal, integral ones without
/// `.0` (a SIRET stored as a number keeps its 14 digits); dates as ISO `YYYY-MM-DD`;
/// booleans « oui »/« non »; errors and empty cells "".
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "oui" } else { "non" }.to_owned(),
        Data::DateTime(datetime) if datetime.is_datetime() => {
            let (year, month, day, ..) = datetime.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        // A duration (« [hh]:mm ») has no date: its value in days.
        Data::DateTime(duration) => number_text(duration.as_f64()),
        // ISO date or date-time (OpenDocument's date-value): its date.
        Data::DateTimeIso(iso) => iso.split('T').next().unwrap_or_default().to_owned(),
        Data::DurationIso(iso) => iso.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// Plain decimal (Rust's `Display` for `f64` never writes an exponent, nor `.0` for an
/// integral value); "" for NaN and infinities.
fn number_text(value: f64) -> String {
    if !value.is_finite() {
        String::new()
    } else if value == 0.0 {
        "0".to_owned() // not « -0 »
    } else {
        format!("{value}")
    }
}

/// Trimmed, with inner line breaks turned into single spaces.
pub(crate) fn single_line(raw: &str) -> String {
    raw.split(['\r', '\n']).map(str::trim).filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Digits only when the value is made of digits, spaces and dots; else as typed (trimmed).
pub(crate) fn clean_siret(raw: &str) -> String {
    let value = single_line(raw);
    let only_number_chars = value.chars().all(|c| c.is_ascii_digit() || c == '.' || c.is_whitespace());
    if only_number_chars && value.chars().any(|c| c.is_ascii_digit()) {
        value.chars().filter(char::is_ascii_digit).collect()
    } else {
        value
    }
}

/// Warning for a SIRET that is not 14 digits or fails its check digit; `None` when it is
/// valid or empty.
pub(crate) fn siret_warning(line: usize, siret: &str) -> Option<String> {
    if siret.is_empty() || crate::validate::siret_is_valid(siret) {
        return None;
    }
    let why = if siret.len() == 14 && siret.bytes().all(|b| b.is_ascii_digit()) {
        "clé de contrôle incorrecte"
    } else if siret.contains(['E', 'e']) && siret.contains('+') {
        "ne compte pas 14 chiffres : le tableur l'a écrit en notation scientifique et en a perdu des chiffres"
    } else {
        "ne compte pas 14 chiffres"
    };
    Some(format!("Ligne {line} : SIRET « {siret} » à vérifier ({why})"))
}

/// `Some(None)` for an empty cell, `Some(Some(b))` for a recognised value, `None` when the
/// value is not recognised.
pub(crate) fn parse_flag(raw: &str) -> Option<Option<bool>> {
    if raw.trim().is_empty() {
        return Some(None);
    }
    match normalize_key(raw).as_str() {
        "oui" | "o" | "x" | "1" | "vrai" | "true" => Some(Some(true)),
        "non" | "n" | "0" | "faux" | "false" => Some(Some(false)),
        _ => None,
    }
}

/// A status as typed, folded: `Some` of "active", "suspended" or "withdrawn", `None` when
/// not recognised. An empty cell is « en cours ».
fn parse_status(raw: &str) -> Option<&'static str> {
    match normalize_key(raw).as_str() {
        "" | "encours" | "valide" | "validee" | "active" | "actif" | "attribuee" | "attribue" | "expiree"
        | "expire" | "echue" | "echu" => Some("active"),
        "suspendue" | "suspendu" | "suspension" => Some("suspended"),
        "retiree" | "retire" | "retrait" | "radiee" | "radie" => Some("withdrawn"),
        _ => None,
    }
}

/// "qualification" or "certification" from a « type » cell: `Ok(None)` when empty,
/// `Err(())` when neither word is there.
fn parse_kind(raw: &str) -> Result<Option<&'static str>, ()> {
    let folded = normalize_key(raw);
    if folded.is_empty() {
        Ok(None)
    } else if folded.contains("certif") {
        Ok(Some("certification"))
    } else if folded.contains("qualif") {
        Ok(Some("qualification"))
    } else {
        Err(())
    }
}

/// A date as spreadsheets and people write it: dd/mm/yyyy, d/m/yyyy, dd/mm/yy (20yy up to
/// 69, else 19yy), with `.` or `-` instead of `/`, or yyyy-mm-dd; a time after it (ISO `T`
/// or a space) is ignored.
pub(crate) fn parse_date_text(raw: &str) -> Option<NaiveDate> {
    let date = raw.trim().split(['T', ' ']).next()?;
    let parts: Vec<&str> = date.split(['/', '.', '-']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    if ![a, b, c].iter().all(|p| !p.is_empty() && p.bytes().all(|d| d.is_ascii_digit())) {
        return None;
    }
    let number = |p: &str| p.parse::<u32>().ok();
    let (year, month, day) = if a.len() == 4 && b.len() <= 2 && c.len() <= 2 {
        (number(a)?, number(b)?, number(c)?)
    } else if a.len() <= 2 && b.len() <= 2 && (c.len() == 4 || c.len() == 2) {
        let year = number(c)?;
        let year = match c.len() {
            2 if year <= 69 => 2000 + year,
            2 => 1900 + year,
            _ => year,
        };
        (year, number(b)?, number(a)?)
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// A qualification cell that starts with its code (« 2.1 Économie de la construction »,
/// « 2.1 - Économie… », « 2.1 : … »): the code (a token starting with a digit, made of ASCII
/// letters, digits and dots, trailing dots dropped) and the rest. `None` when the cell does
/// not start that way.
fn split_code(value: &str) -> Option<(&str, &str)> {
    if !value.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let end = value.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.')).unwrap_or(value.len());
    let rest = &value[end..];
    let separators = ['-', '–', '—', ':', ')'];
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with(separators)) {
        return None;
    }
    let code = value[..end].trim_end_matches('.');
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(separators).unwrap_or(rest).trim_start();
    Some((code, rest))
}

/// The cells of a qualification, as typed (single line, trimmed).
#[derive(Default)]
struct QualificationCells {
    code: String,
    label: String,
    kind: Option<&'static str>,
    granted: String,
    valid_until: String,
    status: Option<&'static str>,
    status_from: String,
    status_until: String,
}

fn build_row(line: usize, values: &[String], headers: &[String], fields: &[Option<Field>]) -> Result<FirmRow, String> {
    let mut row = FirmRow {
        line,
        number: String::new(),
        name: String::new(),
        siret: String::new(),
        address_lines: String::new(),
        postcode: String::new(),
        city: String::new(),
        email: String::new(),
        phone: String::new(),
        is_qualified: None,
        is_certified: None,
        is_rge: None,
        qualification: None,
        warnings: Vec::new(),
    };
    let mut address: Vec<&str> = Vec::new();
    let mut cells = QualificationCells::default();
    let mut warnings = Vec::new();
    for (index, found) in fields.iter().enumerate() {
        let Some(field) = *found else { continue };
        // Rows shorter than the header are padded with empty cells.
        let raw = values.get(index).map_or("", String::as_str);
        let header = headers.get(index).map_or("", String::as_str);
        match field {
            Field::Number => row.number = single_line(raw),
            Field::Name => row.name = single_line(raw),
            Field::Siret => {
                row.siret = clean_siret(raw);
                warnings.extend(siret_warning(line, &row.siret));
            }
            Field::Address => address.extend(raw.split(['\r', '\n']).map(str::trim).filter(|part| !part.is_empty())),
            Field::Postcode => row.postcode = single_line(raw),
            Field::City => row.city = single_line(raw),
            Field::Email => row.email = single_line(raw),
            Field::Phone => row.phone = single_line(raw),
            Field::Qualified | Field::Certified | Field::Rge => {
                let slot = match field {
                    Field::Qualified => &mut row.is_qualified,
                    Field::Certified => &mut row.is_certified,
                    _ => &mut row.is_rge,
                };
                match parse_flag(raw) {
                    Some(value) => *slot = value,
                    None => warnings.push(format!(
                        "Ligne {line} : valeur « {} » non reconnue dans la colonne « {header} » \
                         (valeurs acceptées : oui/non, o/n, x ou vide, 1/0, vrai/faux, \
                         true/false), ignorée.",
                        single_line(raw),
                    )),
                }
            }
            Field::QualCode => cells.code = single_line(raw),
            Field::QualLabel => cells.label = single_line(raw),
            Field::QualKind => match parse_kind(raw) {
                Ok(kind) => cells.kind = kind,
                Err(()) => warnings.push(format!(
                    "Ligne {line} : type « {} » non reconnu dans la colonne « {header} » (valeurs \
                     acceptées : qualification, certification), déduit de l'intitulé.",
                    single_line(raw)
                )),
            },
            Field::Status => match parse_status(raw) {
                Some(status) => cells.status = Some(status),
                None => warnings.push(format!(
                    "Ligne {line} : statut « {} » non reconnu dans la colonne « {header} » (valeurs \
                     acceptées : en cours, valide, suspendue, retirée, radiée ou vide), ignoré.",
                    single_line(raw)
                )),
            },
            Field::Granted | Field::ValidUntil | Field::StatusFrom | Field::StatusUntil => {
                let typed = single_line(raw);
                let date = match parse_date_text(&typed) {
                    Some(date) => date.format("%Y-%m-%d").to_string(),
                    None if typed.is_empty() => String::new(),
                    None => {
                        warnings.push(format!(
                            "Ligne {line} : date « {typed} » illisible dans la colonne « {header} » \
                             (formats acceptés : JJ/MM/AAAA ou AAAA-MM-JJ), laissée vide."
                        ));
                        String::new()
                    }
                };
                let slot = match field {
                    Field::Granted => &mut cells.granted,
                    Field::ValidUntil => &mut cells.valid_until,
                    Field::StatusFrom => &mut cells.status_from,
                    _ => &mut cells.status_until,
                };
                *slot = date;
            }
        }
    }
    row.address_lines = address.join("\n");
    if row.name.is_empty() {
        return Err(format!("Ligne {line} : raison sociale vide"));
    }
    row.qualification = qualification(cells, row.is_rge);
    row.warnings = warnings;
    Ok(row)
}

/// The row's qualification when it names one (a code or a label).
fn qualification(cells: QualificationCells, is_rge: Option<bool>) -> Option<QualificationRow> {
    let QualificationCells { mut code, mut label, kind, granted, valid_until, status, status_from, status_until } =
        cells;
    if code.is_empty() {
        if let Some((found, rest)) = split_code(&label) {
            (code, label) = (found.to_owned(), rest.to_owned());
        }
    }
    if code.is_empty() && label.is_empty() {
        return None;
    }
    let kind = kind.unwrap_or_else(|| {
        let named_certification = |text: &str| crate::french::fold(text).contains("certif");
        if named_certification(&label) || named_certification(&code) {
            "certification"
        } else {
            "qualification"
        }
    });
    Some(QualificationRow {
        reference: code,
        label,
        kind,
        valid_from: granted,
        valid_until,
        status,
        status_from,
        status_until,
        is_rge,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse_str(text: &str) -> ParsedFile {
        parse(text.as_bytes()).unwrap()
    }

    fn ok_records(text: &str, delimiter: u8) -> Vec<(usize, Vec<String>)> {
        records(text, delimiter).into_iter().map(|(line, r)| (line, r.unwrap())).collect()
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn utf8_with_bom_is_decoded_and_bom_is_not_in_first_header() {
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend_from_slice("Raison sociale;Ville\nÉcole Dupont;Orléans\n".as_bytes());
        let (text, encoding) = decode(&bytes);
        assert_eq!(encoding, Encoding::Utf8);
        assert!(text.starts_with("Raison sociale"));
        let parsed = parse(&bytes).unwrap();
        assert_eq!(parsed.encoding, "UTF-8");
        assert_eq!(parsed.columns[0], ("Raison sociale".to_string(), Some(field::NAME)));
        assert_eq!(parsed.rows[0].name, "École Dupont");
        assert_eq!(parsed.rows[0].city, "Orléans");
    }

    #[test]
    fn utf8_without_bom() {
        let (text, encoding) = decode("Nom;Ville\nA;Sète\n".as_bytes());
        assert_eq!(encoding, Encoding::Utf8);
        assert_eq!(text, "Nom;Ville\nA;Sète\n");
        assert_eq!(Encoding::Utf8.label(), "UTF-8");
        assert_eq!(Encoding::Windows1252.label(), "Windows-1252");
    }

    #[test]
    fn windows_1252_is_decoded() {
        // « Économie Bâtiment » as written by Excel on French Windows.
        let bytes = b"\xC9conomie B\xE2timent";
        let (text, encoding) = decode(bytes);
        assert_eq!(encoding, Encoding::Windows1252);
        assert_eq!(text, "Économie Bâtiment");

        let file = b"Raison sociale;T\xE9l\xE9phone;Qualifi\xE9\n\xC9conomie B\xE2timent;01 02;oui\n\x80 Euro;;\n";
        let parsed = parse(file).unwrap();
        assert_eq!(parsed.encoding, "Windows-1252");
        assert_eq!(parsed.columns[1].1, Some(field::PHONE));
        assert_eq!(parsed.columns[2].1, Some(field::QUALIFIED));
        assert_eq!(parsed.rows[0].name, "Économie Bâtiment");
        assert_eq!(parsed.rows[1].name, "€ Euro");
    }

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter("Nom;Ville;CP\nA;B;C"), b';');
        assert_eq!(detect_delimiter("Nom,Ville,CP\nA,B,C"), b',');
        assert_eq!(detect_delimiter("Nom\tVille\tCP\n"), b'\t');
        // A `;` header whose values contain commas: only the header line counts.
        assert_eq!(detect_delimiter("Raison sociale;Adresse;Ville\nDupont;1, rue X, bât. 2, esc. B;Lyon\n"), b';');
        // Ties go to `;`.
        assert_eq!(detect_delimiter("a;b,c\n"), b';');
        assert_eq!(detect_delimiter("a,b\tc\n"), b',');
        assert_eq!(detect_delimiter("Raison sociale\nA\n"), b';');
        // Delimiters inside quotes do not count.
        assert_eq!(detect_delimiter("\"Nom, prénom, titre\";Ville\n"), b';');
        assert_eq!(detect_delimiter("\"a;b;c\",d,e\n"), b',');
        // Blank leading lines and BOM are skipped.
        assert_eq!(detect_delimiter("\u{feff}\n  \nNom,Ville\n"), b',');

        let parsed = parse_str("Raison sociale;Adresse;Ville\nDupont;1, rue X, bât. 2;Lyon\n");
        assert_eq!(parsed.delimiter, "point-virgule");
        assert_eq!(parsed.rows[0].address_lines, "1, rue X, bât. 2");
        let parsed = parse_str("Raison sociale,Ville\nDupont,Lyon\n");
        assert_eq!(parsed.delimiter, "virgule");
        let parsed = parse_str("Raison sociale\tVille\nDupont\tLyon\n");
        assert_eq!(parsed.delimiter, "tabulation");
        assert_eq!(parsed.rows[0].city, "Lyon");
    }

    #[test]
    fn quoted_fields_with_delimiter_escaped_quotes_and_line_breaks() {
        let text = "Raison sociale;Adresse;Ville\n\
                    \"Dupont; fils\";\"12 rue \"\"Haute\"\"\nBâtiment B\";Lyon\n\
                    Martin;3 place;Paris\n\
                    \n\
                    Durand;\"a\r\nb\r\nc\";Nice\n\
                    Petit;x;Metz\n";
        let recs = ok_records(text, b';');
        assert_eq!(
            recs,
            vec![
                (1, strings(&["Raison sociale", "Adresse", "Ville"])),
                (2, strings(&["Dupont; fils", "12 rue \"Haute\"\nBâtiment B", "Lyon"])),
                (4, strings(&["Martin", "3 place", "Paris"])),
                (6, strings(&["Durand", "a\r\nb\r\nc", "Nice"])),
                (9, strings(&["Petit", "x", "Metz"])),
            ]
        );
        let parsed = parse_str(text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.rows[0].name, "Dupont; fils");
        assert_eq!(parsed.rows[0].address_lines, "12 rue \"Haute\"\nBâtiment B");
        assert_eq!(parsed.rows[1].line, 4);
        assert_eq!(parsed.rows[2].address_lines, "a\nb\nc");
        assert_eq!(parsed.rows[3].line, 9);
    }

    #[test]
    fn lenient_quotes() {
        // Quote inside an unquoted field, text and spaces after a closing quote (the row
        // builder trims the spaces).
        let recs = ok_records("A;\"b;c\" ;d \"e\" f;\"g\"h\n", b';');
        assert_eq!(recs, vec![(1, strings(&["A", "b;c ", "d \"e\" f", "gh"]))]);
        assert_eq!(parse_str("Raison sociale;Ville\n\"Dupont; fils\"  ;Lyon\n").rows[0].name, "Dupont; fils");
        // RFC 4180: a quote after a space does not open a quoted field.
        let recs = ok_records("A; \"b;c\"\n", b';');
        assert_eq!(recs, vec![(1, strings(&["A", " \"b", "c\""]))]);
        // Trailing delimiter gives an empty last field; last line without line break.
        let recs = ok_records("a;b;\nc;\"\"", b';');
        assert_eq!(recs, vec![(1, strings(&["a", "b", ""])), (2, strings(&["c", ""]))]);
    }

    #[test]
    fn unterminated_quote_is_a_line_error_and_parsing_resumes() {
        let text = "Raison sociale;Ville\nDupont;\"Lyon\nMartin;Paris\nDurand;Nice\n";
        let recs = records(text, b';');
        assert_eq!(recs.len(), 4);
        assert_eq!(recs[1].0, 2);
        let message = recs[1].1.clone().unwrap_err();
        assert!(message.starts_with("Ligne 2 : guillemet"), "{message}");
        assert!(message.contains("jamais refermé"), "{message}");
        assert_eq!(recs[2], (3, Ok(strings(&["Martin", "Paris"]))));
        assert_eq!(recs[3], (4, Ok(strings(&["Durand", "Nice"]))));

        let parsed = parse_str(text);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].0, 2);
        let names: Vec<_> = parsed.rows.iter().map(|r| (r.line, r.name.as_str())).collect();
        assert_eq!(names, vec![(3, "Martin"), (4, "Durand")]);

        // The quote opens on a later line of a multi-line record.
        let recs = records("a;\"x\ny\";\"z\nb;c\n", b';');
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].0, 1);
        assert!(recs[0].1.as_ref().unwrap_err().contains("lignes 1 à 2"));
        assert_eq!(recs[1], (3, Ok(strings(&["b", "c"]))));
    }

    #[test]
    fn header_synonyms_with_accents_and_case() {
        let text = "RAISON SOCIALE;Téléphone;Code Postal;N° SIRET;E-mail;Localité;Tél.;Divers\n\
                    Dupont;01 02 03 04 05;69001;123 456 789 00012;a@b.fr;Lyon;06;z\n";
        let parsed = parse_str(text);
        let recognised: Vec<_> = parsed.columns.iter().map(|c| c.1).collect();
        assert_eq!(
            recognised,
            vec![
                Some(field::NAME),
                Some(field::PHONE),
                Some(field::POSTCODE),
                Some(field::SIRET),
                Some(field::EMAIL),
                Some(field::CITY),
                None, // second phone column: « Téléphone » is the better match
                None,
            ]
        );
        assert_eq!(parsed.columns[3].0, "N° SIRET");
        let row = &parsed.rows[0];
        assert_eq!(row.phone, "01 02 03 04 05");
        assert_eq!(row.postcode, "69001");
        assert_eq!(row.siret, "12345678900012");
        assert_eq!(row.email, "a@b.fr");
        assert_eq!(row.city, "Lyon");

        for (header, expected) in [
            ("  Dénomination ", Some(Field::Name)),
            ("Société", Some(Field::Name)),
            ("nom", Some(Field::Name)),
            ("Numéro SIRET", Some(Field::Siret)),
            ("Nº Siret", Some(Field::Siret)),
            ("Complément d’adresse", Some(Field::Address)),
            ("Adresse électronique", Some(Field::Email)),
            ("Courriel", Some(Field::Email)),
            ("CP", Some(Field::Postcode)),
            ("Commune", Some(Field::City)),
            ("Certifié", Some(Field::Certified)),
            ("R.G.E.", Some(Field::Rge)),
            ("Code\npostal", Some(Field::Postcode)),
            ("Prénom", None),
            ("", None),
        ] {
            assert_eq!(Field::recognise(header).map(|f| f.0), expected, "{header}");
        }
    }

    #[test]
    fn best_name_synonym_wins() {
        let parsed = parse_str("Nom;Raison sociale\nJean Dupont;Dupont SARL\n");
        assert_eq!(parsed.columns[0].1, None);
        assert_eq!(parsed.columns[1].1, Some(field::NAME));
        assert_eq!(parsed.rows[0].name, "Dupont SARL");
    }

    #[test]
    fn address_columns_are_joined_in_file_order() {
        let text = "Raison sociale;Adresse 1;Ville;Adresse 2;Complément d'adresse\n\
                    Dupont; 12 rue Haute ;Lyon;Bâtiment B;\n\
                    Martin;;Paris;;\"Lieu-dit\nLes Prés\"\n";
        let parsed = parse_str(text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.rows[0].address_lines, "12 rue Haute\nBâtiment B");
        assert_eq!(parsed.rows[1].address_lines, "Lieu-dit\nLes Prés");
        assert_eq!(parsed.columns.iter().filter(|c| c.1 == Some(field::ADDRESS)).count(), 3);
    }

    #[test]
    fn flags() {
        let text = "Raison sociale;Qualifié;CERTIFIE;RGE\n\
                    A;oui;non;\n\
                    B;X;;1\n\
                    C;Vrai;FAUX;0\n\
                    D; O ;n;true\n\
                    E;peut-être;oui;non\n\
                    F;Non;False;x\n";
        let parsed = parse_str(text);
        let flags: Vec<_> =
            parsed.rows.iter().map(|r| (r.name.as_str(), r.is_qualified, r.is_certified, r.is_rge)).collect();
        assert_eq!(
            flags,
            vec![
                ("A", Some(true), Some(false), None),
                ("B", Some(true), None, Some(true)),
                ("C", Some(true), Some(false), Some(false)),
                ("D", Some(true), Some(false), Some(true)),
                // An unrecognised value is left unset, with a warning: the row still comes in.
                ("E", None, Some(true), Some(false)),
                ("F", Some(false), Some(false), Some(true)),
            ]
        );
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let warned: Vec<_> = parsed.rows.iter().filter(|r| !r.warnings.is_empty()).collect();
        assert_eq!(warned.len(), 1);
        assert_eq!((warned[0].line, warned[0].warnings.len()), (6, 1));
        let message = &warned[0].warnings[0];
        assert!(message.starts_with("Ligne 6 : "), "{message}");
        assert!(message.contains("« peut-être »"), "{message}");
        assert!(message.contains("« Qualifié »"), "{message}");
    }

    #[test]
    fn missing_name_column_is_a_file_error() {
        let error = parse("Ville;Code postal;Prénom\nLyon;69001;Jean\n".as_bytes()).unwrap_err();
        assert!(error.contains("raison sociale"), "{error}");
        assert!(error.contains("« Ville », « Code postal », « Prénom »"), "{error}");
        assert!(parse(b"").unwrap_err().contains("vide"));
        assert!(parse(b"\n \n").unwrap_err().contains("vide"));
        assert!(parse(b"PK\x03\x04rest").unwrap_err().contains("classeur"));
    }

    #[test]
    fn empty_name_row_is_a_line_error() {
        let parsed = parse_str("Raison sociale;Ville\nA;Lyon\n  ;Paris\nB;Nice\n;;\n");
        assert_eq!(parsed.errors, vec![(3, "Ligne 3 : raison sociale vide".to_string())]);
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rows[1].line, 4);
    }

    #[test]
    fn too_many_fields_is_a_line_error_and_short_rows_are_padded() {
        let parsed = parse_str("Raison sociale;Ville;CP\nA;Lyon;69001;surplus\nB\nC;Nice;06000;;\n");
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].0, 2);
        assert!(parsed.errors[0].1.starts_with("Ligne 2 : 4 valeurs pour 3 colonnes"));
        assert!(parsed.errors[0].1.contains("« surplus »"));
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rows[0].name, "B");
        assert_eq!(parsed.rows[0].city, "");
        // Empty trailing cells beyond the header are tolerated.
        assert_eq!(parsed.rows[1].postcode, "06000");
    }

    #[test]
    fn crlf_files() {
        let text = "Raison sociale;Adresse;CP\r\n\
                    A;\"1 rue X\r\nBât. 2\";01000\r\n\
                    \r\n\
                    B;2 rue Y;75001\r\n";
        let parsed = parse_str(text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rows[0].postcode, "01000");
        assert_eq!(parsed.rows[0].address_lines, "1 rue X\nBât. 2");
        assert_eq!(parsed.rows[1].line, 5);
        assert_eq!(parsed.rows[1].postcode, "75001");
        assert_eq!(parsed.columns[2].0, "CP");
        // Old Mac line breaks (a lone CR) number lines too.
        let parsed = parse_str("Raison sociale;Ville\rA;Lyon\r\rB;\"Nice\rOuest\"\rC;Metz");
        let lines: Vec<_> = parsed.rows.iter().map(|r| (r.line, r.name.as_str())).collect();
        assert_eq!(lines, vec![(2, "A"), (4, "B"), (6, "C")]);
    }

    #[test]
    fn siret_cleanup() {
        assert_eq!(clean_siret(" 123 456 789 00012 "), "12345678900012");
        assert_eq!(clean_siret("123.456.789.00012"), "12345678900012");
        assert_eq!(clean_siret("123\u{a0}456\u{202f}789 00012"), "12345678900012");
        assert_eq!(clean_siret("1,23457E+13"), "1,23457E+13");
        assert_eq!(clean_siret("FR 123"), "FR 123");
        assert_eq!(clean_siret(""), "");
        assert_eq!(clean_siret(" . "), ".");
    }

    #[test]
    fn parsed_file_serializes() {
        fn assert_serialize<T: serde::Serialize>(_: &T) {}
        let parsed = parse_str("Raison sociale\nA\n");
        assert_serialize(&parsed);
        assert_eq!(parsed.rows[0].line, 2);
    }

    // --- One row per firm and qualification, CSV and workbooks ---

    /// The organisation's export header, as its software writes it.
    const LONG_HEADER: &str = "N° qualifié;Raison sociale;SIRET;Adresse 1;Adresse 2;Code postal;Ville;E-mail;Tél.;\
                               Qualification;Date d'attribution;Fin de validité;RGE";

    fn cp1252(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
        assert!(!unmappable, "{text}");
        bytes.into_owned()
    }

    #[test]
    fn the_organisation_s_header_is_recognised() {
        let text = format!(
            "{LONG_HEADER}\r\n1042;Cabinet Lemaire Économie;812 345 676 00017;12 rue des Tanneurs;Bât. B;67000;\
             Strasbourg;contact@lemaire.fr;03 88 12 34 56;2.1 Économie de la construction;15/03/2019;14/03/2023;oui\r\n"
        );
        let bytes = cp1252(&text);
        assert!(std::str::from_utf8(&bytes).is_err(), "really Windows-1252");
        let parsed = parse(&bytes).unwrap();
        assert_eq!(
            (parsed.format, parsed.encoding, parsed.delimiter.as_str()),
            ("CSV", "Windows-1252", "point-virgule")
        );
        let columns: Vec<(&str, Option<&str>)> = parsed.columns.iter().map(|(h, f)| (h.as_str(), *f)).collect();
        assert_eq!(
            columns,
            vec![
                ("N° qualifié", Some(field::NUMBER)),
                ("Raison sociale", Some(field::NAME)),
                ("SIRET", Some(field::SIRET)),
                ("Adresse 1", Some(field::ADDRESS)),
                ("Adresse 2", Some(field::ADDRESS)),
                ("Code postal", Some(field::POSTCODE)),
                ("Ville", Some(field::CITY)),
                ("E-mail", Some(field::EMAIL)),
                ("Tél.", Some(field::PHONE)),
                ("Qualification", Some(field::QUAL_LABEL)),
                ("Date d'attribution", Some(field::GRANTED)),
                ("Fin de validité", Some(field::VALID_UNTIL)),
                ("RGE", Some(field::RGE)),
            ]
        );
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(
            parsed.rows,
            vec![FirmRow {
                line: 2,
                number: "1042".into(),
                name: "Cabinet Lemaire Économie".into(),
                siret: "81234567600017".into(),
                address_lines: "12 rue des Tanneurs\nBât. B".into(),
                postcode: "67000".into(),
                city: "Strasbourg".into(),
                email: "contact@lemaire.fr".into(),
                phone: "03 88 12 34 56".into(),
                is_qualified: None,
                is_certified: None,
                is_rge: Some(true),
                qualification: Some(QualificationRow {
                    reference: "2.1".into(),
                    label: "Économie de la construction".into(),
                    kind: "qualification",
                    valid_from: "2019-03-15".into(),
                    valid_until: "2023-03-14".into(),
                    status: None,
                    status_from: String::new(),
                    status_until: String::new(),
                    is_rge: Some(true),
                }),
                warnings: vec![],
            }]
        );
    }

    #[test]
    fn new_headers_and_their_collisions() {
        for (header, expected) in [
            ("N° qualifié", Some(Field::Number)),
            ("Nº qualifié", Some(Field::Number)),
            ("Numéro d'adhérent", Some(Field::Number)),
            ("Code", Some(Field::Number)),
            ("Matricule", Some(Field::Number)),
            ("Code postal", Some(Field::Postcode)),
            ("Qualifié", Some(Field::Qualified)),
            ("Qualifiée", Some(Field::Qualified)),
            ("Qualification", Some(Field::QualLabel)),
            ("Intitulé de la qualification", Some(Field::QualLabel)),
            ("Qualification / certification", Some(Field::QualLabel)),
            ("Certification", Some(Field::QualLabel)),
            ("Certifié", Some(Field::Certified)),
            ("Code qualification", Some(Field::QualCode)),
            ("Réf. qualification", Some(Field::QualCode)),
            ("N° de qualification", Some(Field::QualCode)),
            ("Type", Some(Field::QualKind)),
            ("Qualification ou certification", Some(Field::QualKind)),
            ("Date d'attribution", Some(Field::Granted)),
            ("Attribué le", Some(Field::Granted)),
            ("Valide à partir du", Some(Field::Granted)),
            ("Fin de validité", Some(Field::ValidUntil)),
            ("Valide jusqu'au", Some(Field::ValidUntil)),
            ("Date d'échéance", Some(Field::ValidUntil)),
            ("Statut", Some(Field::Status)),
            ("État", Some(Field::Status)),
            ("Date du statut", Some(Field::StatusFrom)),
            ("Suspendue depuis", Some(Field::StatusFrom)),
            ("Retirée le", Some(Field::StatusFrom)),
            ("Fin de suspension", Some(Field::StatusUntil)),
            ("Suspendue jusqu'au", Some(Field::StatusUntil)),
        ] {
            assert_eq!(Field::recognise(header).map(|f| f.0), expected, "{header}");
        }
        // Every synonym is written as `normalize_key` makes it, and belongs to one field only.
        let mut seen = std::collections::HashMap::new();
        for field in Field::ALL {
            for &synonym in field.synonyms() {
                assert_eq!(normalize_key(synonym), synonym);
                if let Some(other) = seen.insert(synonym, field) {
                    panic!("« {synonym} » is a synonym of {other:?} and {field:?}");
                }
            }
        }
        // « Qualification » beats « Certification » as the label; a code column stops the split.
        let parsed =
            parse_str("Raison sociale;Certification;Qualification;Code qualification\nA;x;2.1 Économie;QE-21\n");
        let recognised: Vec<_> = parsed.columns.iter().map(|c| c.1).collect();
        assert_eq!(recognised, vec![Some(field::NAME), None, Some(field::QUAL_LABEL), Some(field::QUAL_CODE)]);
        let qualification = parsed.rows[0].qualification.clone().unwrap();
        assert_eq!((qualification.reference.as_str(), qualification.label.as_str()), ("QE-21", "2.1 Économie"));
    }

    #[test]
    fn qualification_code_is_split_from_the_label() {
        for (value, expected) in [
            ("2.1 Économie de la construction", Some(("2.1", "Économie de la construction"))),
            ("2.1 - Économie de la construction", Some(("2.1", "Économie de la construction"))),
            ("2.1 – Économie", Some(("2.1", "Économie"))),
            ("2.1 : Économie", Some(("2.1", "Économie"))),
            ("2.1: Économie", Some(("2.1", "Économie"))),
            ("2.1-Économie", Some(("2.1", "Économie"))),
            ("2.1. Économie", Some(("2.1", "Économie"))),
            ("31A Métrés", Some(("31A", "Métrés"))),
            ("2.1", Some(("2.1", ""))),
            ("Économie de la construction", None),
            ("A2 Économie", None),
            ("2.1Économie", None),
            ("", None),
        ] {
            assert_eq!(split_code(value), expected, "{value}");
        }
        let parsed = parse_str(
            "Raison sociale;Qualification\nA;Économie de la construction\nB;2.1 Économie\nC;\nD;Certification BIM\n",
        );
        let found: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| r.qualification.as_ref().map(|q| (q.reference.as_str(), q.label.as_str(), q.kind)))
            .collect();
        assert_eq!(
            found,
            vec![
                Some(("", "Économie de la construction", "qualification")),
                Some(("2.1", "Économie", "qualification")),
                None,
                Some(("", "Certification BIM", "certification")),
            ]
        );
    }

    #[test]
    fn kind_column() {
        let text = "Raison sociale;Qualification;Type\nA;Économie;Certification\nB;Économie;QUALIF.\n\
                    C;Certification BIM;\nD;Économie;autre\nE;;Certification\n";
        let parsed = parse_str(text);
        let kinds: Vec<_> = parsed.rows.iter().map(|r| r.qualification.as_ref().map(|q| q.kind)).collect();
        assert_eq!(
            kinds,
            vec![Some("certification"), Some("qualification"), Some("certification"), Some("qualification"), None]
        );
        let warnings: Vec<_> = parsed.rows.iter().flat_map(|r| r.warnings.clone()).collect();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("Ligne 5 : type « autre » non reconnu"), "{}", warnings[0]);
    }

    #[test]
    fn statuses() {
        let text = "Raison sociale;Qualification;Statut;Date du statut;Fin de suspension\n\
                    A;Q;;;\nB;Q;En cours;;\nC;Q;VALIDÉE;;\nD;Q;Expirée;;\nE;Q;Suspendue;01/02/2025;31/07/2025\n\
                    F;Q;suspendu;;\nG;Q;Retirée;15/11/2024;\nH;Q;radié;;\nI;Q;en attente;;\nJ;;Suspendue;;\n";
        let parsed = parse_str(text);
        let statuses: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| {
                let q = r.qualification.as_ref();
                (
                    r.name.as_str(),
                    q.and_then(|q| q.status),
                    q.map(|q| (q.status_from.as_str(), q.status_until.as_str())),
                )
            })
            .collect();
        assert_eq!(
            statuses,
            vec![
                ("A", Some("active"), Some(("", ""))),
                ("B", Some("active"), Some(("", ""))),
                ("C", Some("active"), Some(("", ""))),
                ("D", Some("active"), Some(("", ""))),
                ("E", Some("suspended"), Some(("2025-02-01", "2025-07-31"))),
                ("F", Some("suspended"), Some(("", ""))),
                ("G", Some("withdrawn"), Some(("2024-11-15", ""))),
                ("H", Some("withdrawn"), Some(("", ""))),
                ("I", None, Some(("", ""))),
                // No qualification named: nothing to attach the status to.
                ("J", None, None),
            ]
        );
        let warned: Vec<_> = parsed.rows.iter().filter(|r| !r.warnings.is_empty()).map(|r| r.line).collect();
        assert_eq!(warned, vec![10]);
        assert!(parsed.rows[8].warnings[0].contains("statut « en attente » non reconnu"), "{:?}", parsed.rows[8]);
        // Without a status column, the status is not given.
        assert_eq!(
            parse_str("Raison sociale;Qualification\nA;Q\n").rows[0].qualification.as_ref().unwrap().status,
            None
        );
    }

    #[test]
    fn dates() {
        for (typed, expected) in [
            ("15/03/2024", Some("2024-03-15")),
            ("5/3/2024", Some("2024-03-05")),
            ("05/03/24", Some("2024-03-05")),
            ("05/03/69", Some("2069-03-05")),
            ("05/03/70", Some("1970-03-05")),
            ("15.03.2024", Some("2024-03-15")),
            ("15-03-2024", Some("2024-03-15")),
            ("2024-03-15", Some("2024-03-15")),
            ("2024-03-15T10:30:00", Some("2024-03-15")),
            ("2024-03-15T00:00:00+01:00", Some("2024-03-15")),
            ("2024-03-15 10:30", Some("2024-03-15")),
            ("15/03/2024 00:00", Some("2024-03-15")),
            (" 15/03/2024 ", Some("2024-03-15")),
            ("29/02/2024", Some("2024-02-29")),
            ("29/02/2023", None),
            ("31/04/2024", None),
            ("15/13/2024", None),
            ("15/03/024", None),
            ("2024/03", None),
            ("15 mars 2024", None),
            ("45306", None),
            ("", None),
        ] {
            let found = parse_date_text(typed).map(|d| d.format("%Y-%m-%d").to_string());
            assert_eq!(found.as_deref(), expected, "{typed}");
        }
        let parsed =
            parse_str("Raison sociale;Qualification;Date d'attribution;Fin de validité\nA;Q;15 mars 2024;31/12/2027\n");
        let row = &parsed.rows[0];
        let q = row.qualification.as_ref().unwrap();
        assert_eq!((q.valid_from.as_str(), q.valid_until.as_str()), ("", "2027-12-31"));
        assert_eq!(row.warnings.len(), 1);
        assert!(
            row.warnings[0]
                .starts_with("Ligne 2 : date « 15 mars 2024 » illisible dans la colonne « Date d'attribution »"),
            "{}",
            row.warnings[0]
        );
    }

    #[test]
    fn siret_warnings_keep_the_siret() {
        let text = "Raison sociale;SIRET\nA;732 829 320 00074\nB;732 829 320 00075\nC;1234\nD;1,23457E+13\nE;\n\
                    F;356 000 000 00048\n";
        let parsed = parse_str(text);
        assert!(parsed.errors.is_empty());
        let found: Vec<_> = parsed.rows.iter().map(|r| (r.siret.as_str(), r.warnings.clone())).collect();
        assert_eq!(found[0], ("73282932000074", vec![]));
        assert_eq!(
            found[1],
            (
                "73282932000075",
                vec!["Ligne 3 : SIRET « 73282932000075 » à vérifier (clé de contrôle incorrecte)".into()]
            )
        );
        assert_eq!(found[2], ("1234", vec!["Ligne 4 : SIRET « 1234 » à vérifier (ne compte pas 14 chiffres)".into()]));
        assert_eq!(found[3].0, "1,23457E+13");
        assert!(found[3].1[0].contains("notation scientifique"), "{:?}", found[3]);
        assert_eq!(found[4], ("", vec![]));
        // La Poste's establishments follow their own rule.
        assert_eq!(found[5], ("35600000000048", vec![]));
    }

    /// A cell of the long-format test data, written natively in each format.
    #[derive(Clone, Copy, Debug)]
    enum Cell {
        Text(&'static str),
        Number(f64),
        Date(u16, u8, u8),
        Bool(bool),
        Empty,
    }

    const LONG_COLUMNS: [&str; 15] = [
        "N° qualifié",
        "Raison sociale",
        "SIRET",
        "Adresse 1",
        "Adresse 2",
        "Code postal",
        "Ville",
        "E-mail",
        "Tél.",
        "Qualification",
        "Date d'attribution",
        "Fin de validité",
        "RGE",
        "Statut",
        "Date du statut",
    ];

    /// Three firms, six rows: an expired qualification, a future end date, a suspension, a
    /// withdrawal, an unknown status, a SIRET whose check digit is wrong, a SIRET stored as
    /// text, and a duplicated row.
    fn long_rows() -> Vec<Vec<Cell>> {
        use Cell::*;
        let lemaire = [
            Number(1042.0),
            Text("Cabinet Lemaire Économie"),
            Number(81234567600017.0),
            Text("12 rue des Tanneurs"),
            Empty,
            Text("67000"),
            Text("Strasbourg"),
            Text("contact@lemaire-economie.fr"),
            Text("03 88 12 34 56"),
        ];
        let roussel = [
            Number(1057.0),
            Text("Bureau d'Études Économiques Roussel"),
            Number(84765432400016.0),
            Text("Parc d'activités du Moulin"),
            Text("Bâtiment C"),
            Text("44300"),
            Text("Nantes"),
            Text("contact@roussel-etudes.fr"),
            Text("02 40 55 66 77"),
        ];
        let aubert = [
            Number(1089.0),
            Text("Métrés & Coûts Aubert; SARL"),
            Text("73282932000074"),
            Text("5 quai Saint-Vincent"),
            Empty,
            Text("69001"),
            Text("Lyon"),
            Text("accueil@metres-aubert.fr"),
            Text("04 72 10 20 30"),
        ];
        let row = |firm: &[Cell; 9], qualification: [Cell; 6]| firm.iter().chain(&qualification).copied().collect();
        let expired =
            [Text("2.1 Économie de la construction"), Date(2019, 3, 15), Date(2023, 3, 14), Bool(false), Empty, Empty];
        vec![
            row(&lemaire, expired),
            row(
                &lemaire,
                [
                    Text("3.1 - Métré tous corps d'état"),
                    Date(2024, 6, 1),
                    Date(2030, 5, 31),
                    Bool(true),
                    Text("En cours"),
                    Empty,
                ],
            ),
            row(
                &roussel,
                [
                    Text("2.1 Économie de la construction"),
                    Date(2022, 9, 10),
                    Date(2026, 9, 9),
                    Bool(false),
                    Text("Suspendue"),
                    Date(2025, 2, 3),
                ],
            ),
            row(
                &roussel,
                [
                    Text("4.2 : Assistance à maîtrise d'ouvrage"),
                    Date(2022, 9, 10),
                    Date(2026, 9, 9),
                    Bool(false),
                    Text("Retirée"),
                    Date(2024, 11, 15),
                ],
            ),
            row(
                &aubert,
                [Text("Certification BIM"), Date(2024, 1, 5), Date(2028, 1, 4), Bool(true), Text("en attente"), Empty],
            ),
            row(&lemaire, expired),
        ]
    }

    fn long_csv() -> Vec<u8> {
        let mut text = LONG_COLUMNS.join(";");
        for row in long_rows() {
            text.push_str("\r\n");
            let cells: Vec<String> = row
                .iter()
                .map(|cell| match *cell {
                    Cell::Text(t) if t.contains([';', '"']) => format!("\"{}\"", t.replace('"', "\"\"")),
                    Cell::Text(t) => t.to_owned(),
                    Cell::Number(n) => format!("{n}"),
                    Cell::Date(y, m, d) => format!("{d:02}/{m:02}/{y}"),
                    Cell::Bool(b) => if b { "oui" } else { "non" }.to_owned(),
                    Cell::Empty => String::new(),
                })
                .collect();
            text.push_str(&cells.join(";"));
        }
        text.push_str("\r\n");
        cp1252(&text)
    }

    fn long_xlsx() -> Vec<u8> {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut workbook = Workbook::new();
        let date_format = Format::new().set_num_format("dd/mm/yyyy");
        let sheet = workbook.add_worksheet();
        sheet.set_name("Qualifiés").unwrap();
        for (col, title) in LONG_COLUMNS.iter().enumerate() {
            sheet.write_string(0, col as u16, *title).unwrap();
        }
        for (r, row) in long_rows().iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match *cell {
                    Cell::Text(t) => sheet.write_string(r, c, t).map(|_| ()),
                    Cell::Number(n) => sheet.write_number(r, c, n).map(|_| ()),
                    Cell::Date(y, m, d) => {
                        let date = ExcelDateTime::from_ymd(y, m, d).unwrap();
                        sheet.write_datetime_with_format(r, c, &date, &date_format).map(|_| ())
                    }
                    Cell::Bool(b) => sheet.write_boolean(r, c, b).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .unwrap();
            }
        }
        workbook.save_to_buffer().unwrap()
    }

    fn xml_escape(text: &str) -> String {
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
    }

    /// A minimal OpenDocument spreadsheet (mimetype, manifest, content), as the ODF package
    /// rules want it: `mimetype` first and stored. `rows` are placed from `first_row` (0-based).
    fn ods(rows: &[Vec<Cell>], first_row: usize) -> Vec<u8> {
        use std::io::Write;
        use zip::write::SimpleFileOptions;
        let mut content = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
             xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
             xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
             xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
             <office:body><office:spreadsheet><table:table table:name=\"Qualifiés\">",
        );
        if first_row > 0 {
            content.push_str(&format!(
                "<table:table-row table:number-rows-repeated=\"{first_row}\"><table:table-cell/></table:table-row>"
            ));
        }
        for row in rows {
            content.push_str("<table:table-row>");
            for cell in row {
                content.push_str(&match *cell {
                    Cell::Text(t) => format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        xml_escape(t)
                    ),
                    Cell::Number(n) => {
                        format!("<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>")
                    }
                    Cell::Date(y, m, d) => format!(
                        "<table:table-cell office:value-type=\"date\" office:date-value=\"{y}-{m:02}-{d:02}\">\
                         <text:p>{d:02}/{m:02}/{y}</text:p></table:table-cell>"
                    ),
                    Cell::Bool(b) => format!(
                        "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"{b}\"><text:p>{}</text:p></table:table-cell>",
                        if b { "VRAI" } else { "FAUX" }
                    ),
                    Cell::Empty => "<table:table-cell/>".to_owned(),
                });
            }
            content.push_str("</table:table-row>");
        }
        content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
        let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest \
             xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
             <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
             <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
             </manifest:manifest>";
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
        zip.start_file("META-INF/manifest.xml", SimpleFileOptions::default()).unwrap();
        zip.write_all(manifest.as_bytes()).unwrap();
        zip.start_file("content.xml", SimpleFileOptions::default()).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    fn long_ods() -> Vec<u8> {
        let mut rows = vec![LONG_COLUMNS.iter().map(|&t| Cell::Text(t)).collect::<Vec<_>>()];
        rows.extend(long_rows());
        ods(&rows, 0)
    }

    #[test]
    fn long_format_csv_one_row_per_firm_and_qualification() {
        let parsed = parse(&long_csv()).unwrap();
        assert_eq!((parsed.format, parsed.encoding), ("CSV", "Windows-1252"));
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.columns.last(), Some(&("Date du statut".to_string(), Some(field::STATUS_FROM))));
        let rows = &parsed.rows;
        assert_eq!(rows.len(), 6, "the duplicated row is kept");
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 3, 4, 5, 6, 7]);
        let numbers: Vec<_> = rows.iter().map(|r| r.number.as_str()).collect();
        assert_eq!(numbers, vec!["1042", "1042", "1057", "1057", "1089", "1042"]);
        assert_eq!(
            rows[0],
            FirmRow {
                line: 2,
                number: "1042".into(),
                name: "Cabinet Lemaire Économie".into(),
                siret: "81234567600017".into(),
                address_lines: "12 rue des Tanneurs".into(),
                postcode: "67000".into(),
                city: "Strasbourg".into(),
                email: "contact@lemaire-economie.fr".into(),
                phone: "03 88 12 34 56".into(),
                is_qualified: None,
                is_certified: None,
                is_rge: Some(false),
                qualification: Some(QualificationRow {
                    reference: "2.1".into(),
                    label: "Économie de la construction".into(),
                    kind: "qualification",
                    valid_from: "2019-03-15".into(),
                    valid_until: "2023-03-14".into(),
                    // A status column whose cell is empty: « en cours ».
                    status: Some("active"),
                    status_from: String::new(),
                    status_until: String::new(),
                    is_rge: Some(false),
                }),
                warnings: vec![],
            }
        );
        assert_eq!(FirmRow { line: 2, ..rows[5].clone() }, rows[0]);

        let q = |i: usize| rows[i].qualification.clone().unwrap();
        assert_eq!(
            (q(1).reference.as_str(), q(1).label.as_str(), q(1).valid_until.as_str(), q(1).is_rge),
            ("3.1", "Métré tous corps d'état", "2030-05-31", Some(true))
        );
        assert_eq!(rows[1].is_rge, Some(true));

        assert_eq!(rows[2].address_lines, "Parc d'activités du Moulin\nBâtiment C");
        assert_eq!(rows[2].siret, "84765432400016");
        assert_eq!(
            rows[2].warnings,
            vec!["Ligne 4 : SIRET « 84765432400016 » à vérifier (clé de contrôle incorrecte)".to_string()]
        );
        assert_eq!((q(2).status, q(2).status_from.as_str()), (Some("suspended"), "2025-02-03"));
        assert_eq!(
            (q(3).reference.as_str(), q(3).label.as_str(), q(3).status, q(3).status_from.as_str()),
            ("4.2", "Assistance à maîtrise d'ouvrage", Some("withdrawn"), "2024-11-15")
        );
        assert_eq!(rows[3].warnings.len(), 1);

        assert_eq!(rows[4].name, "Métrés & Coûts Aubert; SARL");
        assert_eq!(rows[4].siret, "73282932000074");
        assert_eq!(
            (q(4).reference.as_str(), q(4).label.as_str(), q(4).kind, q(4).status),
            ("", "Certification BIM", "certification", None)
        );
        assert_eq!(rows[4].warnings.len(), 1);
        assert!(
            rows[4].warnings[0].starts_with("Ligne 6 : statut « en attente » non reconnu"),
            "{:?}",
            rows[4].warnings
        );
    }

    #[test]
    fn long_format_xlsx_and_ods_give_the_same_rows_as_csv() {
        let csv = parse(&long_csv()).unwrap();
        let xlsx_bytes = long_xlsx();
        assert!(xlsx_bytes.starts_with(b"PK\x03\x04"));
        let xlsx = parse(&xlsx_bytes).unwrap();
        assert_eq!((xlsx.format, xlsx.encoding, xlsx.delimiter.as_str()), ("Excel (.xlsx)", "", ""));
        assert!(xlsx.errors.is_empty(), "{:?}", xlsx.errors);
        assert_eq!(xlsx.columns, csv.columns);
        // Same layout (header on the first row, no blank row): even the line numbers agree.
        assert_eq!(xlsx.rows, csv.rows);

        let ods = parse(&long_ods()).unwrap();
        assert_eq!((ods.format, ods.encoding, ods.delimiter.as_str()), ("OpenDocument (.ods)", "", ""));
        assert!(ods.errors.is_empty(), "{:?}", ods.errors);
        assert_eq!(ods.columns, csv.columns);
        assert_eq!(ods.rows, csv.rows);
    }

    #[test]
    fn workbook_rows_are_numbered_as_the_spreadsheet_shows_them() {
        use rust_xlsxwriter::Workbook;
        let mut workbook = Workbook::new();
        // An empty first sheet is passed over.
        workbook.add_worksheet().set_name("Notes").unwrap();
        let sheet = workbook.add_worksheet();
        // Header at B3, a blank row, a value beyond the header, short and long numbers.
        sheet.write_string(2, 1, "Raison sociale").unwrap();
        sheet.write_string(2, 2, "N° qualifié").unwrap();
        sheet.write_string(2, 3, "SIRET").unwrap();
        sheet.write_string(3, 1, "Alpha").unwrap();
        sheet.write_number(3, 2, 7).unwrap();
        sheet.write_number(3, 3, 73282932000074.0).unwrap();
        sheet.write_string(5, 1, "Bêta").unwrap();
        sheet.write_number(5, 2, 12.5).unwrap();
        sheet.write_string(5, 6, "note hors tableau").unwrap();
        sheet.write_string(6, 1, " ").unwrap();
        sheet.write_string(7, 1, "").unwrap();
        sheet.write_string(7, 2, "9").unwrap();
        let parsed = parse(&workbook.save_to_buffer().unwrap()).unwrap();
        assert_eq!(parsed.columns.len(), 3, "{:?}", parsed.columns);
        let rows: Vec<_> =
            parsed.rows.iter().map(|r| (r.line, r.name.as_str(), r.number.as_str(), r.siret.as_str())).collect();
        assert_eq!(rows, vec![(4, "Alpha", "7", "73282932000074"), (6, "Bêta", "12.5", "")]);
        assert_eq!(
            parsed.rows[1].warnings,
            vec!["Ligne 6 : valeur « note hors tableau » dans une colonne sans intitulé, ignorée.".to_string()]
        );
        assert_eq!(parsed.errors, vec![(8, "Ligne 8 : raison sociale vide".to_string())]);

        // The same in OpenDocument: rows numbered from the top of the sheet.
        let rows = vec![
            vec![Cell::Text("Raison sociale"), Cell::Text("Ville")],
            vec![Cell::Text("Alpha"), Cell::Text("Lyon")],
            vec![Cell::Empty, Cell::Empty],
            vec![Cell::Text("Bêta"), Cell::Number(69001.0)],
        ];
        let parsed = parse(&ods(&rows, 4)).unwrap();
        let lines: Vec<_> = parsed.rows.iter().map(|r| (r.line, r.name.as_str(), r.city.as_str())).collect();
        assert_eq!(lines, vec![(6, "Alpha", "Lyon"), (8, "Bêta", "69001")]);
    }

    #[test]
    fn cell_conversion() {
        use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
        let date = |serial: f64| Data::DateTime(ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, false));
        for (cell, expected) in [
            (Data::String(" Dupont ".into()), " Dupont "),
            (Data::Int(1042), "1042"),
            (Data::Float(73282932000074.0), "73282932000074"),
            (Data::Float(1042.0), "1042"),
            (Data::Float(1e20), "100000000000000000000"),
            (Data::Float(12.5), "12.5"),
            (Data::Float(0.000001), "0.000001"),
            (Data::Float(-0.0), "0"),
            (Data::Float(f64::NAN), ""),
            (Data::Bool(true), "oui"),
            (Data::Bool(false), "non"),
            (date(45306.0), "2024-01-15"),
            (date(45306.75), "2024-01-15"),
            (Data::DateTime(ExcelDateTime::new(1461.0, ExcelDateTimeType::DateTime, true)), "1908-01-01"),
            (Data::DateTimeIso("2024-01-15".into()), "2024-01-15"),
            (Data::DateTimeIso("2024-01-15T10:30:00".into()), "2024-01-15"),
            (Data::DurationIso("PT10H30M".into()), "PT10H30M"),
            (Data::Error(calamine::CellErrorType::Div0), ""),
            (Data::Empty, ""),
        ] {
            assert_eq!(cell_text(&cell), expected, "{cell:?}");
        }
    }

    #[test]
    fn unreadable_workbooks_are_file_errors() {
        let error = parse(b"PK\x03\x04rest").unwrap_err();
        assert!(error.contains("classeur") && error.contains(".xlsx"), "{error}");
        let mut cfb = CFB_MAGIC.to_vec();
        cfb.extend_from_slice(&[0; 600]);
        let error = parse(&cfb).unwrap_err();
        assert!(error.contains("(.xls)"), "{error}");
        // A real workbook cut in half.
        let xlsx = long_xlsx();
        let error = parse(&xlsx[..xlsx.len() / 2]).unwrap_err();
        assert!(error.starts_with("Ce fichier compressé n'a pas pu être lu"), "{error}");
        let ods_bytes = long_ods();
        let error = parse(&ods_bytes[..ods_bytes.len() / 2]).unwrap_err();
        assert!(error.contains("OpenDocument"), "{error}");
        // A workbook without any data, and one without a name column.
        let mut empty = rust_xlsxwriter::Workbook::new();
        empty.add_worksheet();
        let error = parse(&empty.save_to_buffer().unwrap()).unwrap_err();
        assert!(error.contains("classeur est vide"), "{error}");
        let error = parse(&ods(&[vec![Cell::Text("Ville")], vec![Cell::Text("Lyon")]], 0)).unwrap_err();
        assert!(error.contains("« raison sociale » introuvable"), "{error}");
    }

    const SAMPLE_CSV: &[u8] = include_bytes!("../../../docs/samples/qualifies-exemple.csv");
    const SAMPLE_XLS: &[u8] = include_bytes!("../tests/fixtures/register/qualifies-exemple.xls");

    #[test]
    fn sample_file_of_the_documentation() {
        let parsed = parse(SAMPLE_CSV).unwrap();
        assert_eq!(
            (parsed.format, parsed.encoding, parsed.delimiter.as_str()),
            ("CSV", "Windows-1252", "point-virgule")
        );
        assert_eq!(parsed.columns.len(), 15);
        assert!(parsed.columns.iter().all(|c| c.1.is_some()), "{:?}", parsed.columns);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.rows.len(), 8);
        let mut numbers: Vec<_> = parsed.rows.iter().map(|r| r.number.as_str()).collect();
        numbers.dedup();
        assert_eq!(numbers, vec!["1042", "1057", "1089", "1103"]);
        let qualifications: Vec<_> = parsed.rows.iter().filter_map(|r| r.qualification.clone()).collect();
        assert_eq!(qualifications.len(), 8);
        assert!(qualifications.iter().all(|q| q.valid_from.len() == 10 && q.valid_until.len() == 10));
        assert!(qualifications.iter().any(|q| q.valid_until.as_str() < "2024-01-01"), "an expired one");
        assert_eq!(qualifications.iter().filter(|q| q.status == Some("suspended")).count(), 1);
        assert_eq!(qualifications.iter().filter(|q| q.kind == "certification").count(), 1);
        assert!(qualifications.iter().filter(|q| q.kind == "qualification").all(|q| !q.reference.is_empty()));
        let warned: Vec<_> = parsed.rows.iter().filter(|r| !r.warnings.is_empty()).map(|r| r.line).collect();
        assert_eq!(warned, vec![4, 5], "the bad SIRET, on both rows of its firm");
        assert!(parsed.rows[2].warnings[0].contains("clé de contrôle incorrecte"));
        assert_eq!(parsed.rows[4].name, "Métrés & Coûts Aubert; SARL");
    }

    #[test]
    fn excel_97_workbook_gives_the_same_rows_as_its_csv() {
        let csv = parse(SAMPLE_CSV).unwrap();
        let xls = parse(SAMPLE_XLS).unwrap();
        assert_eq!((xls.format, xls.encoding, xls.delimiter.as_str()), ("Excel 97-2003 (.xls)", "", ""));
        assert_eq!(xls.columns, csv.columns);
        assert_eq!(xls.errors, csv.errors);
        assert_eq!(xls.rows, csv.rows);
    }

    /// Writes records the way a correct CSV writer does: a field is quoted when it
    /// contains the delimiter, a quote or a line break (or when `force` says so), and a
    /// record made of one blank field is quoted so that it is not a blank line.
    fn write_csv(
        records: &[Vec<(String, bool)>],
        delimiter: u8,
        crlf: bool,
        final_break: bool,
    ) -> (String, Vec<usize>) {
        let delimiter = delimiter as char;
        let line_break = if crlf { "\r\n" } else { "\n" };
        let mut out = String::new();
        let mut lines = Vec::new();
        for (r, record) in records.iter().enumerate() {
            if r > 0 {
                out.push_str(line_break);
            }
            lines.push(1 + count_line_breaks(&out));
            let single_blank =
                record.len() == 1 && record[0].0.chars().all(|c| (c == ' ' || c == '\t') && c != delimiter);
            for (f, (value, force)) in record.iter().enumerate() {
                if f > 0 {
                    out.push(delimiter);
                }
                let needs_quotes = value.contains([delimiter, '"', '\r', '\n']);
                if needs_quotes || *force || single_blank {
                    out.push('"');
                    out.push_str(&value.replace('"', "\"\""));
                    out.push('"');
                } else {
                    out.push_str(value);
                }
            }
        }
        if final_break {
            out.push_str(line_break);
        }
        (out, lines)
    }

    fn count_line_breaks(text: &str) -> usize {
        let bytes = text.as_bytes();
        let mut count = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    count += 1;
                    i += 1;
                }
                b'\r' | b'\n' => count += 1,
                _ => {}
            }
            i += 1;
        }
        count
    }

    fn field_text(max_len: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just('"'),
                Just(';'),
                Just(','),
                Just('\t'),
                Just('\n'),
                Just('\r'),
                Just(' '),
                Just('a'),
                Just('é'),
                any::<char>(),
            ],
            0..max_len,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn records_round_trip(
            records_in in prop::collection::vec(
                prop::collection::vec((field_text(10), any::<bool>()), 1..6),
                1..8,
            ),
            delimiter in prop_oneof![Just(b';'), Just(b','), Just(b'\t')],
            crlf in any::<bool>(),
            final_break in any::<bool>(),
        ) {
            let (text, lines) = write_csv(&records_in, delimiter, crlf, final_break);
            // A BOM at the start is the file's, not the first field's (see `records`).
            prop_assume!(!text.starts_with('\u{feff}'));
            let expected: Vec<(usize, Result<Vec<String>, String>)> = records_in
                .iter()
                .zip(lines)
                .map(|(record, line)| (line, Ok(record.iter().map(|f| f.0.clone()).collect())))
                .collect();
            prop_assert_eq!(records(&text, delimiter), expected);
        }

        #[test]
        fn records_never_panics(text in field_text(80), delimiter in any::<u8>()) {
            let total_lines = 1 + count_line_breaks(&text);
            for (line, _) in records(&text, delimiter) {
                prop_assert!(line >= 1 && line <= total_lines);
            }
            let _ = detect_delimiter(&text);
        }

        #[test]
        fn parse_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse(&bytes);
        }

        /// A damaged workbook gives rows or a French error, never a crash.
        #[test]
        fn damaged_workbooks_are_read_or_refused(
            ods in any::<bool>(),
            damage in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        ) {
            static WORKBOOKS: std::sync::OnceLock<(Vec<u8>, Vec<u8>)> = std::sync::OnceLock::new();
            let (xlsx, ods_bytes) = WORKBOOKS.get_or_init(|| (long_xlsx(), long_ods()));
            let mut bytes = if ods { ods_bytes.clone() } else { xlsx.clone() };
            for (at, value) in damage {
                let at = at.index(bytes.len());
                bytes[at] = value;
            }
            if let Err(message) = parse(&bytes) {
                prop_assert!(!message.is_empty());
            }
        }
    }
}
