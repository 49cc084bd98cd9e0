//! The 5-year retention: closed files past it are purged on a person's confirmation. Personal
//! data and documents go; an anonymous trace stays for the statistics, and the purge itself is
//! logged (when, by whom, how many).

use crate::deadlines::add_years;
use crate::error::{Error, Result};
use crate::store::now_timestamp;
use crate::store::settings;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    pub complaints: usize,
    pub documents: usize,
    pub references: Vec<String>,
    /// Backups that held the purged data and were deleted with it.
    pub backups_deleted: usize,
}

/// The complaints whose retention has run out by `today`.
pub fn eligible(conn: &Connection, today: NaiveDate) -> Result<Vec<(i64, String)>> {
    let years = settings::deadlines(conn)?.retention_years;
    let mut stmt = conn.prepare_cached(
        "SELECT id, reference, closed_on FROM complaints WHERE closed_on IS NOT NULL ORDER BY closed_on, id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, closed)| crate::validate::parse_date(closed).is_some_and(|c| add_years(c, years) <= today))
        .map(|(id, reference, _)| (id, reference))
        .collect())
}

/// Purges every eligible complaint. `expected` is the number the person confirmed: if it no
/// longer matches, nothing is done (the list changed under their eyes).
pub fn purge(
    conn: &mut Connection,
    data_dir: &Path,
    today: NaiveDate,
    author: &str,
    expected: usize,
) -> Result<PurgeReport> {
    let targets = eligible(conn, today)?;
    if targets.is_empty() {
        return Err(Error::field("purge", "Aucun dossier n'est à purger aujourd'hui."));
    }
    if targets.len() != expected {
        return Err(Error::field(
            "purge",
            format!(
                "{} dossier(s) sont à purger, et non {expected} : vérifiez la liste puis confirmez à nouveau.",
                targets.len()
            ),
        ));
    }
    let tx = conn.transaction()?;
    let mut files = Vec::new();
    for (id, _) in &targets {
        let mut stmt = tx.prepare_cached("SELECT relative_path FROM documents WHERE complaint_id = ?1")?;
        files.extend(stmt.query_map(params![id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?);
        tx.execute(
            "INSERT INTO purged_complaints (reference, firm_id, received_on, closed_on, channel, addressed_to,
                 complainant_role, nature_services, nature_ethics, nature_mark_use, decision, committee_outcome,
                 overrun_justified, purged_on)
             SELECT c.reference, c.firm_id, c.received_on, c.closed_on, c.channel, c.addressed_to, p.role,
                    c.nature_services, c.nature_ethics, c.nature_mark_use, c.decision, c.committee_outcome,
                    c.overrun_justification <> '', ?2
             FROM complaints c JOIN complainants p ON p.id = c.complainant_id WHERE c.id = ?1",
            params![id, today.to_string()],
        )?;
        let complainant: i64 =
            tx.query_row("SELECT complainant_id FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?;
        for sql in [
            "DELETE FROM journal WHERE complaint_id = ?1",
            "DELETE FROM documents WHERE complaint_id = ?1",
            "DELETE FROM deadlines WHERE complaint_id = ?1",
            "DELETE FROM complaints_fts WHERE rowid = ?1",
            "DELETE FROM complaints WHERE id = ?1",
        ] {
            tx.execute(sql, params![id])?;
        }
        tx.execute("DELETE FROM complainants WHERE id = ?1", params![complainant])?;
    }
    let references: Vec<String> = targets.iter().map(|(_, r)| r.clone()).collect();
    tx.execute(
        "INSERT INTO purge_log (purged_at, purged_on, author, complaints, documents, references_purged)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            now_timestamp(),
            today.to_string(),
            author,
            targets.len() as i64,
            files.len() as i64,
            references.join(", ")
        ],
    )?;
    tx.commit()?;
    // Leave no trace of the deleted text: merge the search index, empty the WAL.
    conn.execute_batch("INSERT INTO complaints_fts (complaints_fts) VALUES ('optimize');")?;
    let _: (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let layout = crate::datadir::DataDir::new(data_dir);
    let documents = layout.documents();
    for file in &files {
        let path = documents.join(file);
        let _ = std::fs::remove_file(&path);
        // Remove the complaint's folder once empty.
        if let Some(parent) = path.parent() {
            let _ = std::fs::remove_dir(parent);
        }
    }
    // Older backups and prints hold the purged data too: they go, and a fresh backup is made.
    let mut backups_deleted = 0;
    for dir in [layout.backups(), layout.impressions()] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                if std::fs::remove_file(entry.path()).is_ok() {
                    backups_deleted += 1;
                }
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(data_dir) {
        for entry in entries.flatten() {
            if crate::datadir::DataDir::is_replaced_name(&entry.file_name().to_string_lossy()) {
                let _ = std::fs::remove_dir_all(entry.path());
                backups_deleted += 1;
            }
        }
    }
    crate::backup::create(conn, data_dir, &layout.backups(), "apres-purge", |_, _| {})?;
    Ok(PurgeReport { complaints: targets.len(), documents: files.len(), references, backups_deleted })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::kinds::LetterKind;
    use crate::store::complaints::{self, tests::sample_complaint};
    use crate::store::workflow::{perform, ActionForm};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn walk(conn: &mut Connection, id: i64) -> Result<()> {
        for (action, choice, text) in [
            ("acknowledge", "", ""),
            ("transmit", "qualification", ""),
            ("inform_firm", "letter", ""),
            ("decide", "dismissed", "Faits non établis selon Mme Quatrefages."),
            ("mark_letters_sent", "", ""),
        ] {
            let f = ActionForm {
                action: action.into(),
                date: "10/02/2021".into(),
                choice: choice.into(),
                text: text.into(),
                ..ActionForm::default()
            };
            perform(conn, id, "S", &f, day(2021, 2, 10))?;
        }
        Ok(())
    }

    /// Every byte of every file under `dir` that contains `needle` (case-insensitive ASCII).
    fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    let lower: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
                    if lower.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                        found.push(path.display().to_string());
                    }
                }
            }
        }
        found
    }

    #[test]
    fn nothing_of_a_purged_complainant_remains_in_the_data_dir() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let data = tmp.path();
        std::fs::create_dir_all(data.join("documents"))?;
        let mut conn = crate::db::open(&data.join("reclamations.sqlite3"))?;
        let mut form = sample_complaint();
        form.received_on = "05/01/2021".into();
        form.complainant.name = "Zéphyrine Quatrefages".into();
        form.complainant.email = "zquatrefages@example.fr".into();
        form.facts = "Mme Quatrefages conteste le métré.".into();
        let id = complaints::register(&mut conn, &form, day(2021, 1, 5), "S")?.id;
        // A second complaint, kept: it must survive the purge intact.
        let mut other = sample_complaint();
        other.new_firm = None;
        other.firm_id = Some(1);
        other.complainant.name = "Paul Gardé".into();
        other.complainant.email = "paul@example.fr".into();
        let kept = complaints::register(&mut conn, &other, day(2026, 11, 28), "S")?.id;
        let fonts = crate::letters::pdf::Fonts::liberation().map_err(|e| Error::field("f", e.to_string()))?;
        crate::store::letters::generate(
            &mut conn,
            &data.join("documents"),
            &fonts,
            id,
            LetterKind::Acknowledgement,
            None,
            day(2021, 1, 5),
            "S",
        )?;
        walk(&mut conn, id)?;
        crate::backup::daily(&conn, data, day(2024, 1, 1), 14)?;
        assert!(!files_containing(data, "quatrefages").is_empty(), "the name is there before");

        // Closed on 10/02/2021: eligible on 10/02/2026.
        assert!(eligible(&conn, day(2026, 2, 9))?.is_empty());
        assert_eq!(eligible(&conn, day(2026, 2, 10))?.len(), 1);
        assert!(
            purge(&mut conn, data, day(2026, 2, 10), "Sophie Martin", 2).is_err(),
            "the confirmed count must match"
        );
        let report = purge(&mut conn, data, day(2026, 2, 10), "Sophie Martin", 1)?;
        assert_eq!((report.complaints, report.documents), (1, 1));
        drop(conn);

        assert_eq!(files_containing(data, "quatrefages"), Vec::<String>::new());
        assert_eq!(files_containing(data, "zephyrine"), Vec::<String>::new());
        let conn = crate::db::open(&data.join("reclamations.sqlite3"))?;
        let trace: (String, String, i64) =
            conn.query_row("SELECT reference, decision, nature_services FROM purged_complaints", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        assert_eq!(trace, ("REC-2021-0001".to_owned(), "dismissed".to_owned(), 1));
        let log: (String, i64, i64) =
            conn.query_row("SELECT author, complaints, documents FROM purge_log", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        assert_eq!(log, ("Sophie Martin".to_owned(), 1, 1));
        assert_eq!(complaints::get(&conn, kept, day(2026, 11, 28))?.complainant.name, "Paul Gardé");
        assert_eq!(crate::store::journal::first_broken(&conn, kept)?, None);
        Ok(())
    }
}
