//! Documents received (scans, PDFs, emails) attached to a complaint: copied into the firm's
//! file under a safe name, with their SHA-256 in the journal.

use crate::error::{Error, Result};
use crate::french::{decimal, io_reason};
use crate::model::Direction;
use crate::store::complaints;
use crate::store::documents::{self, archive_then_record, firm_folder, safe_name, NewDocument, MAX_BYTES};
use crate::store::journal::{self, JournalKind, NewEntry};
use chrono::NaiveDate;
use rusqlite::Connection;
use std::path::Path;

/// Attaches a received file to a complaint (an email through [`crate::store::emails`]).
/// Returns the new document's id.
pub fn attach(
    conn: &mut Connection,
    documents_dir: &Path,
    complaint_id: i64,
    source: &Path,
    today: NaiveDate,
    author: &str,
) -> Result<i64> {
    attach_with_limit(conn, documents_dir, complaint_id, source, today, author, MAX_BYTES)
}

pub fn attach_with_limit(
    conn: &mut Connection,
    documents_dir: &Path,
    complaint_id: i64,
    source: &Path,
    today: NaiveDate,
    author: &str,
    max_bytes: u64,
) -> Result<i64> {
    let original = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (stem, ext) = safe_name(&original)?;
    // An email is read: its journal entry takes the message's date, sender and subject.
    if matches!(ext.as_str(), "eml" | "msg") {
        return crate::store::emails::attach_email(conn, documents_dir, complaint_id, source, today, author);
    }
    let size = std::fs::metadata(source)
        .map_err(|e| Error::refused(format!("Le fichier « {original} » est illisible ({}).", io_reason(&e))))?
        .len();
    if size > max_bytes {
        return Err(Error::refused(format!(
            "Le fichier « {original} » fait {} Mo : {} Mo au plus. Réduisez la résolution du scan ou découpez-le.",
            decimal(size as f64 / 1_048_576.0, 1),
            max_bytes / 1_048_576
        )));
    }
    let bytes = std::fs::read(source)
        .map_err(|e| Error::refused(format!("Le fichier « {original} » est illisible ({}).", io_reason(&e))))?;
    let c = complaints::get(conn, complaint_id, today)?;
    let folder = Path::new(&firm_folder(c.firm.id, &c.firm.name)).join(&c.reference);
    let row = NewDocument {
        complaint_id: Some(c.id),
        firm_id: Some(c.firm.id),
        direction: Direction::In.code(),
        kind: documents::DOCUMENT_IN,
        original_name: &original,
        created_on: today,
        ..NewDocument::default()
    };
    let stem = format!("{today}_recu_{stem}");
    let (_, _, id) = archive_then_record(documents_dir, &folder, &stem, &ext, &bytes, |file| {
        let tx = conn.transaction()?;
        let id = documents::insert(&tx, &row, file)?;
        let summary = format!(
            "Document reçu joint : « {original} » ({} Ko) — fichier {}, SHA-256 {}.",
            bytes.len().div_ceil(1024),
            file.relative_path,
            file.sha256
        );
        journal::append(
            &tx,
            c.id,
            &NewEntry { document: Some(id), ..NewEntry::simple(JournalKind::LetterIn, today, author, &summary) },
        )?;
        tx.commit()?;
        Ok(id)
    })?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive;
    use crate::db::open_in_memory;
    use crate::store::complaints::tests::sample_complaint;
    use rusqlite::params;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
    }

    #[test]
    fn a_received_file_is_copied_hashed_and_journaled_inside_the_firm_file() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = complaints::register(&mut conn, &sample_complaint(), day(), "S")?.id;
        let tmp = tempfile::tempdir()?;
        let docs = tmp.path().join("documents");
        let source = tmp.path().join("Réponse du cabinet.pdf");
        std::fs::write(&source, b"%PDF-1.4 scan")?;
        let doc = attach(&mut conn, &docs, id, &source, day(), "S")?;
        let stored: String =
            conn.query_row("SELECT relative_path FROM documents WHERE id = ?1", params![doc], |r| r.get(0))?;
        assert_eq!(stored, "Q00001-economie-batiment-conseil/REC-2026-0001/2026-11-28_recu_reponse-du-cabinet.pdf");
        assert_eq!(std::fs::read(docs.join(&stored))?, b"%PDF-1.4 scan");
        let hash = archive::sha256_hex(b"%PDF-1.4 scan");
        assert!(journal::list(&conn, id)?[0].summary.contains(&hash));

        let big = tmp.path().join("gros.png");
        std::fs::write(&big, vec![0u8; 2048])?;
        let refused = attach_with_limit(&mut conn, &docs, id, &big, day(), "S", 1024);
        assert!(matches!(&refused, Err(Error::Refused { message }) if message.contains("Mo au plus")), "{refused:?}");
        let exe = tmp.path().join("virus.exe");
        std::fs::write(&exe, b"MZ")?;
        assert!(attach(&mut conn, &docs, id, &exe, day(), "S").is_err());
        Ok(())
    }
}
