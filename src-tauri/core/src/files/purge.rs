//! The retention purge on disk: the database rows go through [`store::retention`], then the
//! purged complaints' documents, the older backups and prints that still hold their data are
//! deleted, and a fresh backup is made.

use crate::backup;
use crate::datadir::DataDir;
use crate::error::Result;
use crate::store::retention;
use chrono::NaiveDate;
use rusqlite::Connection;
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

/// Purges every eligible complaint (see [`retention::purge_records`]) and the files that hold
/// its data. `expected` is the number the person confirmed.
pub fn purge(
    conn: &mut Connection,
    data_dir: &Path,
    today: NaiveDate,
    author: &str,
    expected: usize,
) -> Result<PurgeReport> {
    let retention::Purged { references, files } = retention::purge_records(conn, today, author, expected)?;
    let layout = DataDir::new(data_dir);
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
            if DataDir::is_replaced_name(&entry.file_name().to_string_lossy()) {
                let _ = std::fs::remove_dir_all(entry.path());
                backups_deleted += 1;
            }
        }
    }
    backup::create(conn, data_dir, &layout.backups(), "apres-purge", |_, _| {})?;
    Ok(PurgeReport { complaints: references.len(), documents: files.len(), references, backups_deleted })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::letters::kinds::LetterKind;
    use crate::procedure::{ActionKind, Decision, Manager, Means};
    use crate::store::complaints::{self, tests::sample_complaint};
    use crate::store::retention::eligible;
    use crate::store::workflow::{perform, ActionForm};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn walk(conn: &mut Connection, id: i64) -> Result<()> {
        for (action, choice, text) in [
            (ActionKind::Acknowledge, "", ""),
            (ActionKind::Transmit, Manager::Qualification.code(), ""),
            (ActionKind::InformFirm, Means::Phone.code(), "Appel au gérant."),
        ] {
            let f = ActionForm { choice: choice.into(), text: text.into(), ..ActionForm::of(action, "10/02/2021") };
            perform(conn, id, "S", &f, day(2021, 2, 10))?;
        }
        crate::test_support::decide_and_close(conn, id, Decision::Dismissed, "10/02/2021", day(2021, 2, 10))
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
        std::fs::create_dir_all(DataDir::new(data).documents())?;
        let mut conn = crate::db::open(&DataDir::new(data).database())?;
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
        // The complaint's scan and its two decision letters.
        assert_eq!((report.complaints, report.documents), (1, 3));
        drop(conn);

        assert_eq!(files_containing(data, "quatrefages"), Vec::<String>::new());
        assert_eq!(files_containing(data, "zephyrine"), Vec::<String>::new());
        let conn = crate::db::open(&DataDir::new(data).database())?;
        let trace: (String, String, i64) =
            conn.query_row("SELECT reference, decision, nature_services FROM purged_complaints", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        assert_eq!(trace, ("REC-2021-0001".to_owned(), "dismissed".to_owned(), 1));
        let log: (String, i64, i64) =
            conn.query_row("SELECT author, complaints, documents FROM purge_log", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        assert_eq!(log, ("Sophie Martin".to_owned(), 1, 3));
        assert_eq!(complaints::get(&conn, kept, day(2026, 11, 28))?.complainant.name, "Paul Gardé");
        assert_eq!(crate::store::journal::first_broken(&conn, kept)?, None);
        Ok(())
    }
    /// A file that went to an instructeur and to the committee: its declaration, the committee's
    /// outcome per qualification and the qualification's link to it do not stop the purge.
    #[test]
    fn a_file_with_declarations_and_a_committee_outcome_is_purged() -> Result<()> {
        use rusqlite::params;
        let tmp = tempfile::tempdir()?;
        let data = tmp.path();
        std::fs::create_dir_all(DataDir::new(data).documents())?;
        let mut conn = crate::db::open(&DataDir::new(data).database())?;
        let mut form = sample_complaint();
        form.received_on = "05/01/2021".into();
        let id = complaints::register(&mut conn, &form, day(2021, 1, 5), "S")?.id;
        walk(&mut conn, id)?;
        crate::test_support::cleared_intervenant(&conn, id, "investigator", "Paul Bernard")?;
        let qualification = crate::test_support::qualification_of(&conn, id, "2.1")?;
        conn.execute(
            "INSERT INTO decisions (complaint_id, seq, kind, decided_by, decider_name, decided_on, reasons_complainant,
                                    reasons_firm, scope, recorded_at, author)
             VALUES (?1, 99, 'suspension', 'appeals_committee', '', '2021-02-10', 'R', 'R', '', '2021-02-10T10:00:00Z', 'S')",
            params![id],
        )?;
        let decision = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO committee_outcomes (decision_id, complaint_id, qualification_id, outcome, from_on, until_on)
             VALUES (?1, ?2, ?3, 'suspended', '2021-03-01', '2021-08-31')",
            params![decision, id, qualification],
        )?;
        conn.execute(
            "UPDATE firm_qualifications SET status = 'suspended', status_complaint_id = ?2 WHERE id = ?1",
            params![qualification, id],
        )?;

        let report = purge(&mut conn, data, day(2026, 2, 10), "Sophie Martin", 1)?;
        assert_eq!(report.complaints, 1);
        for table in ["declarations", "committee_outcomes", "decisions", "complaints"] {
            let left: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            assert_eq!(left, 0, "{table}");
        }
        // The firm's qualification stays, with its status; its link to the purged file goes.
        let (status, link): (String, Option<i64>) = conn.query_row(
            "SELECT status, status_complaint_id FROM firm_qualifications WHERE id = ?1",
            params![qualification],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        assert_eq!((status.as_str(), link), ("suspended", None));
        Ok(())
    }
}
