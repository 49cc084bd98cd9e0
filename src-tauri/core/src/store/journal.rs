//! The journal: append-only, each entry chained to the previous one of the same complaint by
//! a SHA-256 hash, so that any later edit of a row is detectable.

use crate::error::Result;
use crate::model::{JournalEntry, Step};
use crate::store::now_timestamp;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use sha2::{Digest, Sha256};

/// The hash a complaint's first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an action writes into the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry<'a> {
    pub kind: &'a str,
    pub occurred_on: NaiveDate,
    pub author: &'a str,
    pub summary: &'a str,
    pub details: &'a str,
    pub step_from: Option<Step>,
    pub step_to: Option<Step>,
}

struct Hashed<'a> {
    complaint_id: i64,
    seq: i64,
    kind: &'a str,
    occurred_on: &'a str,
    recorded_at: &'a str,
    author: &'a str,
    summary: &'a str,
    details: &'a str,
    step_from: Option<&'a str>,
    step_to: Option<&'a str>,
    prev_hash: &'a str,
}

impl Hashed<'_> {
    fn hash(&self) -> String {
        let mut h = Sha256::new();
        // Each field is length-prefixed so that no two different entries hash alike.
        for part in [
            self.complaint_id.to_string().as_str(),
            self.seq.to_string().as_str(),
            self.kind,
            self.occurred_on,
            self.recorded_at,
            self.author,
            self.summary,
            self.details,
            self.step_from.unwrap_or(""),
            self.step_to.unwrap_or(""),
            self.prev_hash,
        ] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// Appends an entry; call it inside the transaction that makes the change it records.
pub fn append(conn: &Connection, complaint_id: i64, entry: &NewEntry<'_>) -> Result<i64> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM journal WHERE complaint_id = ?1 ORDER BY seq DESC LIMIT 1",
            params![complaint_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let occurred_on = entry.occurred_on.to_string();
    let recorded_at = now_timestamp();
    let hashed = Hashed {
        complaint_id,
        seq,
        kind: entry.kind,
        occurred_on: &occurred_on,
        recorded_at: &recorded_at,
        author: entry.author,
        summary: entry.summary,
        details: entry.details,
        step_from: entry.step_from.map(Step::code),
        step_to: entry.step_to.map(Step::code),
        prev_hash: &prev_hash,
    };
    let hash = hashed.hash();
    conn.execute(
        "INSERT INTO journal (complaint_id, seq, kind, occurred_on, recorded_at, author, summary, details,
                              step_from, step_to, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            complaint_id,
            seq,
            entry.kind,
            occurred_on,
            recorded_at,
            entry.author,
            entry.summary,
            entry.details,
            hashed.step_from,
            hashed.step_to,
            prev_hash,
            hash
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<JournalEntry> {
    Ok(JournalEntry {
        id: r.get(0)?,
        seq: r.get(1)?,
        kind: r.get(2)?,
        occurred_on: r.get(3)?,
        recorded_at: r.get(4)?,
        author: r.get(5)?,
        summary: r.get(6)?,
        details: r.get(7)?,
        hash: r.get(8)?,
    })
}

/// A complaint's journal, newest first.
pub fn list(conn: &Connection, complaint_id: i64) -> Result<Vec<JournalEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, seq, kind, occurred_on, recorded_at, author, summary, details, hash
         FROM journal WHERE complaint_id = ?1 ORDER BY seq DESC",
    )?;
    let rows = stmt.query_map(params![complaint_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Recomputes a complaint's chain; returns the sequence number of the first entry that does
/// not match (edited, reordered or with a missing predecessor), or `None` when all is intact.
pub fn first_broken(conn: &Connection, complaint_id: i64) -> Result<Option<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, kind, occurred_on, recorded_at, author, summary, details, step_from, step_to, prev_hash, hash
         FROM journal WHERE complaint_id = ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query(params![complaint_id])?;
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let stored_prev: String = r.get(9)?;
        let stored_hash: String = r.get(10)?;
        let (kind, occurred_on, recorded_at): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
        let (author, summary, details): (String, String, String) = (r.get(4)?, r.get(5)?, r.get(6)?);
        let (step_from, step_to): (Option<String>, Option<String>) = (r.get(7)?, r.get(8)?);
        let recomputed = Hashed {
            complaint_id,
            seq,
            kind: &kind,
            occurred_on: &occurred_on,
            recorded_at: &recorded_at,
            author: &author,
            summary: &summary,
            details: &details,
            step_from: step_from.as_deref(),
            step_to: step_to.as_deref(),
            prev_hash: &stored_prev,
        }
        .hash();
        if seq != expected_seq || stored_prev != expected_prev || recomputed != stored_hash {
            return Ok(Some(seq));
        }
        expected_prev = stored_hash;
        expected_seq += 1;
    }
    Ok(None)
}
