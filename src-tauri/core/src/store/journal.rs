//! The journal: append-only, each entry chained to the previous one of the same complaint by
//! a SHA-256 hash, so that any later edit of a row is detectable.

use crate::error::{Error, Result};
use crate::model::{JournalEntry, Step};
use crate::store::{now_timestamp, read_rows};
use crate::validate::parse_date;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash a complaint's first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub use crate::model::JournalKind;

/// What an action writes into the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry<'a> {
    pub kind: JournalKind,
    pub occurred_on: NaiveDate,
    pub author: &'a str,
    pub summary: &'a str,
    pub details: &'a str,
    pub participants: &'a str,
    pub step_from: Option<Step>,
    pub step_to: Option<Step>,
    /// The entry this one corrects (kind `Correction`).
    pub corrects: Option<i64>,
    /// The archived document this entry is about (a letter out, a scan in).
    pub document: Option<i64>,
}

impl<'a> NewEntry<'a> {
    /// An entry with no participants, step change or correction.
    pub fn simple(kind: JournalKind, occurred_on: NaiveDate, author: &'a str, summary: &'a str) -> Self {
        NewEntry {
            kind,
            occurred_on,
            author,
            summary,
            details: "",
            participants: "",
            step_from: None,
            step_to: None,
            corrects: None,
            document: None,
        }
    }
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
    participants: &'a str,
    step_from: Option<&'a str>,
    step_to: Option<&'a str>,
    corrects: Option<i64>,
    document: Option<i64>,
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
            self.participants,
            self.step_from.unwrap_or(""),
            self.step_to.unwrap_or(""),
            self.corrects.map(|id| id.to_string()).unwrap_or_default().as_str(),
            self.document.map(|id| id.to_string()).unwrap_or_default().as_str(),
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
    let id = append_unindexed(conn, complaint_id, entry)?;
    // Every change to a complaint writes here: keep its search row in step, in the same transaction.
    crate::store::search::reindex(conn, complaint_id)?;
    Ok(id)
}

/// Appends without updating the search index: for bulk loads, which rebuild it at the end.
pub(crate) fn append_unindexed(conn: &Connection, complaint_id: i64, entry: &NewEntry<'_>) -> Result<i64> {
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
        kind: entry.kind.code(),
        occurred_on: &occurred_on,
        recorded_at: &recorded_at,
        author: entry.author,
        summary: entry.summary,
        details: entry.details,
        participants: entry.participants,
        step_from: entry.step_from.map(Step::code),
        step_to: entry.step_to.map(Step::code),
        corrects: entry.corrects,
        document: entry.document,
        prev_hash: &prev_hash,
    };
    let hash = hashed.hash();
    conn.execute(
        "INSERT INTO journal (complaint_id, seq, kind, occurred_on, recorded_at, author, summary, details,
                              participants, step_from, step_to, corrects_id, document_id, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            complaint_id,
            seq,
            entry.kind.code(),
            occurred_on,
            recorded_at,
            entry.author,
            entry.summary,
            entry.details,
            entry.participants,
            hashed.step_from,
            hashed.step_to,
            entry.corrects,
            entry.document,
            prev_hash,
            hash
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<JournalEntry> {
    let kind: JournalKind = r.get(2)?;
    Ok(JournalEntry {
        id: r.get(0)?,
        seq: r.get(1)?,
        kind_label: kind.label(),
        kind: kind.code().to_owned(),
        occurred_on: r.get(3)?,
        recorded_at: r.get(4)?,
        author: r.get(5)?,
        summary: r.get(6)?,
        details: r.get(7)?,
        hash: r.get(8)?,
        participants: r.get(9)?,
        corrects_seq: r.get(10)?,
    })
}

/// A journal entry with its hash chain, as exported for an audit.
#[derive(Debug, Clone, Serialize)]
pub struct JournalRow {
    pub seq: i64,
    pub kind: String,
    pub occurred_on: String,
    pub recorded_at: String,
    pub author: String,
    pub summary: String,
    pub details: String,
    pub participants: String,
    pub prev_hash: String,
    pub hash: String,
}

/// A complaint's journal oldest first, with the hashes that chain it.
pub fn rows(conn: &Connection, id: i64) -> Result<Vec<JournalRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, kind, occurred_on, recorded_at, author, summary, details, participants, prev_hash, hash
         FROM journal WHERE complaint_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map(params![id], |r| {
            Ok(JournalRow {
                seq: r.get(0)?,
                kind: r.get(1)?,
                occurred_on: r.get(2)?,
                recorded_at: r.get(3)?,
                author: r.get(4)?,
                summary: r.get(5)?,
                details: r.get(6)?,
                participants: r.get(7)?,
                prev_hash: r.get(8)?,
                hash: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A complaint's journal, newest first.
pub fn list(conn: &Connection, complaint_id: i64) -> Result<Vec<JournalEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT j.id, j.seq, j.kind, j.occurred_on, j.recorded_at, j.author, j.summary, j.details, j.hash,
                j.participants, c.seq
         FROM journal j LEFT JOIN journal c ON c.id = j.corrects_id
         WHERE j.complaint_id = ?1 ORDER BY j.seq DESC",
    )?;
    read_rows(&mut stmt, params![complaint_id], "journal", from_row)
}

/// The columns a chain is recomputed from, in the order [`link`] reads them.
const CHAIN_COLUMNS: &str = "seq, kind, occurred_on, recorded_at, author, summary, details, step_from, step_to, \
     prev_hash, hash, participants, corrects_id, document_id, complaint_id";

/// One journal row (read with [`CHAIN_COLUMNS`]) against the chain so far: its sequence
/// number, its stored hash, and whether it follows (`expected_seq`, `expected_prev`) and
/// still hashes to what is stored. The texts are read in place (no copy of each column):
/// « Vérifier le registre » goes through every entry of the register.
fn link<'r>(
    r: &'r Row<'_>,
    complaint_id: i64,
    expected_seq: i64,
    expected_prev: &str,
) -> rusqlite::Result<(i64, &'r str, bool)> {
    let seq: i64 = r.get(0)?;
    let stored_prev = text(r, 9)?;
    let stored_hash = text(r, 10)?;
    if seq != expected_seq || stored_prev != expected_prev {
        return Ok((seq, stored_hash, false));
    }
    let recomputed = Hashed {
        complaint_id,
        seq,
        kind: text(r, 1)?,
        occurred_on: text(r, 2)?,
        recorded_at: text(r, 3)?,
        author: text(r, 4)?,
        summary: text(r, 5)?,
        details: text(r, 6)?,
        participants: text(r, 11)?,
        step_from: text_or_null(r, 7)?,
        step_to: text_or_null(r, 8)?,
        corrects: r.get(12)?,
        document: r.get(13)?,
        prev_hash: stored_prev,
    }
    .hash();
    Ok((seq, stored_hash, recomputed == stored_hash))
}

/// Recomputes a complaint's chain; returns the sequence number of the first entry that does
/// not match (edited, reordered or with a missing predecessor), or `None` when all is intact.
pub fn first_broken(conn: &Connection, complaint_id: i64) -> Result<Option<i64>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {CHAIN_COLUMNS} FROM journal WHERE complaint_id = ?1 ORDER BY seq"))?;
    let mut rows = stmt.query(params![complaint_id])?;
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    while let Some(r) = rows.next()? {
        let (seq, stored_hash, follows) = link(r, complaint_id, expected_seq, &expected_prev)?;
        if !follows {
            return Ok(Some(seq));
        }
        expected_prev.clear();
        expected_prev.push_str(stored_hash);
        expected_seq += 1;
    }
    Ok(None)
}

/// One complaint's chain as [`walk_chains`] found it.
#[derive(Debug, Default)]
pub struct Chain {
    pub complaint_id: i64,
    /// What [`first_broken`] says of it.
    pub first_broken: Option<i64>,
    /// (sequence number, stored hash) of each entry, in order.
    pub hashes: Vec<(i64, String)>,
}

impl Chain {
    /// The stored hash of entry `seq`.
    pub fn hash_at(&self, seq: i64) -> Option<&str> {
        self.hashes.binary_search_by_key(&seq, |(s, _)| *s).ok().map(|i| self.hashes[i].1.as_str())
    }
}

/// Every chain of the complaints whose id is in `ids`, recomputed in one read of the journal
/// in (complaint, sequence) order, where [`first_broken`] is one query per complaint: the
/// register's check goes through a million entries. `each` gets each complaint that has
/// entries, in id order.
pub fn walk_chains(
    conn: &Connection,
    ids: std::ops::Range<i64>,
    mut each: impl FnMut(Chain) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CHAIN_COLUMNS} FROM journal WHERE complaint_id >= ?1 AND complaint_id < ?2 ORDER BY complaint_id, seq"
    ))?;
    let mut rows = stmt.query(params![ids.start, ids.end])?;
    let mut chain: Option<Chain> = None;
    let mut expected_prev = String::new();
    while let Some(r) = rows.next()? {
        let complaint_id: i64 = r.get(14)?;
        if chain.as_ref().is_none_or(|c| c.complaint_id != complaint_id) {
            if let Some(done) = chain.take() {
                each(done)?;
            }
            chain = Some(Chain { complaint_id, ..Chain::default() });
            expected_prev.clear();
            expected_prev.push_str(GENESIS);
        }
        let Some(c) = chain.as_mut() else { continue };
        let expected_seq = c.hashes.len() as i64 + 1;
        let (seq, stored_hash, follows) = if c.first_broken.is_none() {
            link(r, complaint_id, expected_seq, &expected_prev)?
        } else {
            (r.get(0)?, text(r, 10)?, true)
        };
        if !follows {
            c.first_broken = Some(seq);
        }
        expected_prev.clear();
        expected_prev.push_str(stored_hash);
        c.hashes.push((seq, stored_hash.to_owned()));
    }
    if let Some(done) = chain {
        each(done)?;
    }
    Ok(())
}

/// A text column, borrowed from the row.
fn text<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

fn text_or_null<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(i)?
        .as_str_or_null()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

/// The result of « Vérifier l'intégrité ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Integrity {
    pub intact: bool,
    pub entries: i64,
    pub first_broken: Option<i64>,
    pub message: String,
}

/// Recomputes the chain and says so in French.
pub fn verify(conn: &Connection, complaint_id: i64) -> Result<Integrity> {
    let entries: i64 =
        conn.query_row("SELECT count(*) FROM journal WHERE complaint_id = ?1", params![complaint_id], |r| r.get(0))?;
    let first_broken = first_broken(conn, complaint_id)?;
    let message = match first_broken {
        None => format!("Journal intègre : {entries} entrée(s) vérifiée(s), aucune modification détectée."),
        Some(seq) => format!(
            "Journal altéré : l'entrée n° {seq} a été modifiée ou supprimée en dehors de l'application. \
             Conservez une sauvegarde et prévenez la Déléguée Générale."
        ),
    };
    Ok(Integrity { intact: first_broken.is_none(), entries, first_broken, message })
}

/// An entry typed by the secretariat on the complaint page (call or meeting summary, note…).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ManualEntryForm {
    pub kind: String,
    pub date: String,
    pub participants: String,
    pub summary: String,
    /// For a correction: the sequence number of the entry corrected.
    pub corrects_seq: Option<i64>,
}

/// Validates and appends a manual entry. Step changes are not typed by hand: actions make them.
pub fn add_manual(
    conn: &mut Connection,
    complaint_id: i64,
    author: &str,
    form: &ManualEntryForm,
    today: NaiveDate,
) -> Result<i64> {
    let mut errors = crate::error::FieldErrors::new();
    let kind = JournalKind::from_code(&form.kind).filter(|k| *k != JournalKind::StepChange);
    if kind.is_none() {
        errors.insert("kind".into(), "Choisissez le type d'entrée.".into());
    }
    let date = parse_date(&form.date);
    match date {
        None => {
            errors.insert("date".into(), crate::validate::INVALID_DATE.into());
        }
        Some(d) if d > today => {
            errors.insert("date".into(), "La date ne peut pas être dans le futur.".into());
        }
        Some(_) => {}
    }
    let summary = form.summary.trim();
    if summary.is_empty() {
        errors.insert("summary".into(), "Résumez ce qui a été dit ou reçu.".into());
    } else if summary.chars().count() > 100_000 {
        errors.insert("summary".into(), "Ce texte est trop long : 100 000 caractères au plus.".into());
    }
    let participants = form.participants.trim();
    if matches!(kind, Some(JournalKind::Call | JournalKind::Meeting)) && participants.is_empty() {
        errors.insert("participants".into(), "Indiquez les participants à l'échange.".into());
    }
    let tx = conn.transaction()?;
    let corrects = match (kind, form.corrects_seq) {
        (Some(JournalKind::Correction), Some(seq)) => {
            let id: Option<i64> = tx
                .query_row(
                    "SELECT id FROM journal WHERE complaint_id = ?1 AND seq = ?2",
                    params![complaint_id, seq],
                    |r| r.get(0),
                )
                .optional()?;
            if id.is_none() {
                errors.insert("corrects_seq".into(), format!("Il n'y a pas d'entrée n° {seq} dans ce journal."));
            }
            id
        }
        (Some(JournalKind::Correction), None) => {
            errors.insert("corrects_seq".into(), "Indiquez le numéro de l'entrée corrigée.".into());
            None
        }
        _ => None,
    };
    let exists: Option<i64> =
        tx.query_row("SELECT id FROM complaints WHERE id = ?1", params![complaint_id], |r| r.get(0)).optional()?;
    if exists.is_none() {
        return Err(Error::NotFound { what: "La réclamation", id: complaint_id });
    }
    let (Some(kind), Some(date), true) = (kind, date, errors.is_empty()) else {
        return Err(Error::Validation { fields: errors });
    };
    let id = append(
        &tx,
        complaint_id,
        &NewEntry { participants, corrects, ..NewEntry::simple(kind, date, author, summary) },
    )?;
    tx.commit()?;
    Ok(id)
}
