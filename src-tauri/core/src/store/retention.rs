//! The 5-year retention in the database: which closed files are past it, and removing their
//! rows. Personal data goes; an anonymous trace stays for the statistics, and the purge itself
//! is logged (when, by whom, how many). Their files are deleted by [`crate::files::purge`].

use crate::deadlines::add_years;
use crate::error::{Error, Result};
use crate::store::now_timestamp;
use crate::store::{clocks, settings};
use chrono::NaiveDate;
use rusqlite::{params, Connection};

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

/// What the purge removed from the database; the files named are for the caller to delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purged {
    pub references: Vec<String>,
    /// The documents of the purged complaints, relative to `documents/`.
    pub files: Vec<String>,
}

/// Removes every eligible complaint's personal data in one transaction, keeping an anonymous
/// trace and logging the purge, then merges the search index and empties the WAL so that no
/// deleted text stays in the database files. `expected` is the number the person confirmed:
/// if it no longer matches, nothing is done (the list changed under their eyes).
pub fn purge_records(conn: &mut Connection, today: NaiveDate, author: &str, expected: usize) -> Result<Purged> {
    let targets = eligible(conn, today)?;
    if targets.is_empty() {
        return Err(Error::refused("Aucun dossier n'est à purger aujourd'hui."));
    }
    if targets.len() != expected {
        return Err(Error::refused(format!(
            "{} dossier(s) sont à purger, et non {expected} : vérifiez la liste puis confirmez à nouveau.",
            targets.len()
        )));
    }
    let tx = conn.transaction()?;
    let mut files = Vec::new();
    for (id, _) in &targets {
        let mut stmt = tx.prepare_cached("SELECT relative_path FROM documents WHERE complaint_id = ?1")?;
        files.extend(stmt.query_map(params![id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?);
        tx.execute(
            "INSERT INTO purged_complaints (reference, firm_id, received_on, closed_on, channel, addressed_to,
                 complainant_role, nature_services, nature_ethics, nature_mark_use, decision, committee_outcome,
                 overrun_justified, purged_on, legacy_reference)
             SELECT c.reference, c.firm_id, c.received_on, c.closed_on, c.channel, c.addressed_to, p.role,
                    c.nature_services, c.nature_ethics, c.nature_mark_use, c.decision, c.committee_outcome,
                    EXISTS (SELECT 1 FROM deadlines d WHERE d.complaint_id = c.id AND d.clock = 'overall'
                            AND d.justified_on IS NOT NULL), ?2, c.legacy_reference
             FROM complaints c JOIN complainants p ON p.id = c.complainant_id WHERE c.id = ?1",
            params![id, today.to_string()],
        )?;
        let complainant: i64 =
            tx.query_row("SELECT complainant_id FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?;
        clocks::delete_all(&tx, *id)?;
        for sql in [
            // Before the journal, whose entries they point to.
            "DELETE FROM complaint_corrections WHERE complaint_id = ?1",
            "DELETE FROM journal WHERE complaint_id = ?1",
            // Before the documents: a declaration names the signed form it was received as.
            "DELETE FROM declarations WHERE complaint_id = ?1",
            "DELETE FROM documents WHERE complaint_id = ?1",
            // Before the decisions: the committee's outcome per qualification names its decision.
            "DELETE FROM committee_outcomes WHERE complaint_id = ?1",
            // After the documents, which name the decision they announce.
            "DELETE FROM decisions WHERE complaint_id = ?1",
            // A qualification keeps its status (the firm's register); only its link to the
            // purged complaint goes (the trace in `purged_complaints` keeps the reference).
            "UPDATE firm_qualifications SET status_complaint_id = NULL WHERE status_complaint_id = ?1",
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
    Ok(Purged { references, files })
}
