//! The documents table: every letter sent and every file received, archived under
//! `documents/` and listed for a complaint, for a firm's file and for an audit export. Rows are
//! read through one mapping ([`from_row`]) and written through one insert ([`insert`]).

use crate::archive;
use crate::error::{Error, Result};
use crate::french::format_fr;
use crate::letters::kinds::{LetterKind, Recipient};
use crate::model::SendMode;
use crate::procedure::wording;
use crate::store::{code_or_empty, read_rows};
use crate::validate::parse_date;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A document of a complaint's or a firm's file, for their pages and exports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentView {
    pub id: i64,
    /// The complaint's reference; empty for a reply to an oral contact.
    pub reference: String,
    pub direction: String,
    pub kind: String,
    pub kind_label: String,
    pub recipient_label: &'static str,
    pub relative_path: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub template_version: Option<i64>,
    pub created_on: String,
    pub sent_on: Option<String>,
    pub send_mode: String,
    pub registered_number: String,
    pub ar_returned_on: Option<String>,
    /// A letter sent, as the list shows it: « Envoyé le 12/03/2026 en recommandé n° … »; empty
    /// when not sent.
    pub sent_label: String,
    /// A file that came inside a received email: that email's document.
    pub attached_to: Option<i64>,
    /// An email draft: the letter it carries, and the address it is written to.
    pub carries: Option<i64>,
    pub email_to: String,
    pub original_name: String,
    /// A letter that no longer meets its obligation after a correction, and why (« Adressé à … avant
    /// la correction du … »); empty otherwise.
    pub superseded: String,
    /// A letter adapted for this file (its text edited before it was archived).
    pub adapted: bool,
}

/// The columns [`from_row`] reads, from `documents d LEFT JOIN complaints c`.
const SELECT: &str =
    "SELECT d.id, coalesce(c.reference, ''), d.direction, d.kind, d.recipient, d.relative_path, d.sha256,
            d.size_bytes, d.template_version, d.created_at, d.sent_on, d.send_mode, d.registered_number,
            d.ar_returned_on, d.attached_to, d.carries, d.email_to, d.original_name, d.superseded, d.adapted
     FROM documents d LEFT JOIN complaints c ON c.id = d.complaint_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<DocumentView> {
    let kind: String = r.get(3)?;
    let recipient: Option<Recipient> = code_or_empty(r, 4)?;
    let sent_on: Option<String> = r.get(10)?;
    let send_mode: String = r.get(11)?;
    // Stored without spaces, shown as on La Poste's slip.
    let registered_number = crate::validate::spaced_registered(&r.get::<_, String>(12)?);
    let sent_label = sent_on.as_deref().map_or_else(String::new, |on| {
        let on = on.get(..10).and_then(parse_date).map_or_else(|| on.to_owned(), format_fr);
        wording::sent_as(&on, SendMode::from_code(&send_mode), &registered_number)
    });
    Ok(DocumentView {
        id: r.get(0)?,
        reference: r.get(1)?,
        direction: r.get(2)?,
        kind_label: kind_label(&kind),
        kind,
        recipient_label: recipient.map_or("", Recipient::label),
        relative_path: r.get(5)?,
        sha256: r.get(6)?,
        size_bytes: r.get(7)?,
        template_version: r.get(8)?,
        created_on: r.get(9)?,
        sent_on,
        send_mode,
        registered_number,
        ar_returned_on: r.get(13)?,
        sent_label,
        attached_to: r.get(14)?,
        carries: r.get(15)?,
        email_to: r.get(16)?,
        original_name: r.get(17)?,
        superseded: r.get(18)?,
        adapted: r.get(19)?,
    })
}

/// The kinds of documents that are not letters: files received, and email drafts.
pub const DOCUMENT_IN: &str = "document_in";
pub const EMAIL_IN: &str = "email_in";
pub const EMAIL_DRAFT: &str = "email_draft";

/// A letter kind's label, or the label of a received file or an email draft.
pub(crate) fn kind_label(code: &str) -> String {
    match code {
        DOCUMENT_IN => "Document reçu".to_owned(),
        EMAIL_IN => "Courriel reçu".to_owned(),
        EMAIL_DRAFT => "Courriel préparé".to_owned(),
        _ => LetterKind::from_code(code).map_or_else(|| code.to_owned(), |k| k.label().to_owned()),
    }
}

/// A complaint's documents, newest first.
pub fn documents(conn: &Connection, complaint_id: i64) -> Result<Vec<DocumentView>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE d.complaint_id = ?1 ORDER BY d.id DESC"))?;
    let rows = read_rows(&mut stmt, params![complaint_id], "documents", from_row)?;
    Ok(rows)
}

/// Every document of a firm's file, all complaints together, newest first.
pub fn for_firm(conn: &Connection, firm_id: i64) -> Result<Vec<DocumentView>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE d.firm_id = ?1 ORDER BY d.created_at DESC, d.id DESC"))?;
    let rows = read_rows(&mut stmt, params![firm_id], "documents", from_row)?;
    Ok(rows)
}

/// The archived file of a document, checked to stay inside the documents folder.
pub fn document_path(conn: &Connection, documents_dir: &Path, id: i64) -> Result<PathBuf> {
    let relative: String = conn
        .query_row("SELECT relative_path FROM documents WHERE id = ?1", params![id], |r| r.get(0))
        .optional()?
        .ok_or(Error::NotFound { what: "Le document", id })?;
    if relative.split('/').any(|part| part == ".." || part.is_empty()) {
        return Err(Error::NotFound { what: "Le document", id });
    }
    Ok(documents_dir.join(relative))
}

/// The folder of a firm's file under `documents/`, stable across renames of the firm.
pub fn firm_folder(firm_id: i64, firm_name: &str) -> String {
    format!("Q{firm_id:05}-{}", archive::slug(firm_name, 40))
}

/// The kinds of files the secretariat receives (attached to a complaint, or carried by an
/// email).
pub const ALLOWED: &[&str] = &["pdf", "jpg", "jpeg", "png", "eml", "msg"];
/// The largest file received, 50 MB: a long scanned letter, well below what would slow a backup.
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;

/// « ../../Courrier reçu (2).PDF » → (« courrier-recu-2 », « pdf »): no folders, no dots, no
/// accents; the extension must be one of [`ALLOWED`].
pub fn safe_name(original: &str) -> Result<(String, String)> {
    let file = original.rsplit(['/', '\\']).next().unwrap_or(original);
    let (stem, ext) = file.rsplit_once('.').unwrap_or((file, ""));
    let ext = ext.to_ascii_lowercase();
    if !ALLOWED.contains(&ext.as_str()) {
        return Err(Error::refused(
            format!("Type de fichier non accepté (« {file} ») : joignez un PDF, une image JPG ou PNG, ou un courriel EML ou MSG."),
        ));
    }
    Ok((archive::slug(stem, 60), ext))
}

/// A row of the documents table about to be written; empty texts are the table's defaults.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewDocument<'a> {
    pub complaint_id: Option<i64>,
    pub firm_id: Option<i64>,
    /// `in` or `out`.
    pub direction: &'a str,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub original_name: &'a str,
    pub template_version: Option<i64>,
    /// The letter as rendered (JSON), to print the day's mail again.
    pub letter_data: Option<String>,
    pub created_on: NaiveDate,
    pub registered_number: &'a str,
    pub send_mode: &'a str,
    /// The answer date the letter states (the firm's information letter).
    pub due_on: Option<NaiveDate>,
    /// A file that came inside a received email: that email's document.
    pub attached_to: Option<i64>,
    /// An email draft: the letter it carries.
    pub carries: Option<i64>,
    /// An email draft: the address it is written to.
    pub email_to: &'a str,
    /// A declaration form: the intervenant it is addressed to.
    pub intervenant_id: Option<i64>,
    /// A letter whose merged text was edited for this file.
    pub adapted: bool,
}

/// Records an archived file (see [`archive_then_record`]); returns the new document's id.
pub(crate) fn insert(conn: &Connection, doc: &NewDocument<'_>, file: &Archived<'_>) -> Result<i64> {
    conn.execute(
        "INSERT INTO documents (complaint_id, firm_id, direction, kind, recipient, relative_path, original_name,
                                sha256, size_bytes, template_version, letter_data, created_at, registered_number,
                                send_mode, due_on, attached_to, carries, email_to, intervenant_id, adapted)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        params![
            doc.complaint_id,
            doc.firm_id,
            doc.direction,
            doc.kind,
            doc.recipient,
            file.relative_path,
            doc.original_name,
            file.sha256,
            file.size_bytes,
            doc.template_version,
            doc.letter_data,
            doc.created_on.to_string(),
            doc.registered_number,
            doc.send_mode,
            doc.due_on.map(|d| d.to_string()),
            doc.attached_to,
            doc.carries,
            doc.email_to,
            doc.intervenant_id,
            doc.adapted,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A file just written into the archive, as the register records it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Archived<'a> {
    /// Under `documents/`, with `/` separators on every system.
    pub relative_path: &'a str,
    pub sha256: &'a str,
    pub size_bytes: i64,
}

/// Writes `bytes` as a new file (never overwriting) in `folder` under `documents_dir`, then
/// calls `record` with it. When `record` fails, nothing refers to the file: it is taken back so
/// that the archive matches the register.
pub(crate) fn archive_then_record<T>(
    documents_dir: &Path,
    folder: &Path,
    stem: &str,
    ext: &str,
    bytes: &[u8],
    record: impl FnOnce(&Archived<'_>) -> Result<T>,
) -> Result<(PathBuf, String, T)> {
    let sha256 = archive::sha256_hex(bytes);
    let path = archive::write_new(&documents_dir.join(folder), stem, ext, bytes)?;
    let relative = path.strip_prefix(documents_dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
    let file = Archived { relative_path: &relative, sha256: &sha256, size_bytes: bytes.len() as i64 };
    match record(&file) {
        Ok(value) => Ok((path, sha256, value)),
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sanitised_and_types_checked() -> Result<()> {
        assert_eq!(safe_name("../../Courrier reçu (2).PDF")?, ("courrier-recu-2".into(), "pdf".into()));
        assert_eq!(safe_name("C:\\\\Users\\\\x\\\\..\\\\scan.jpeg")?, ("scan".into(), "jpeg".into()));
        assert_eq!(safe_name("..pdf")?.0, "sans-nom");
        assert!(safe_name("facture.exe").is_err());
        assert!(safe_name("sans-extension").is_err());
        assert!(safe_name("lettre.pdf.exe").is_err());
        Ok(())
    }
}
