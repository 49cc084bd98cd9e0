//! The register digest: one SHA-256 Merkle root over every complaint's chain head (id,
//! reference, head hash, number of entries), every purged complaint's anonymous trace and every
//! purge, printed short on each letter and in full in the annual report and the audit export.
//!
//! It is computed once a day — by the day's first letter, report or check — and kept with its
//! leaves in an append-only record (`digest_leaves`, `digest_days`, migration 0006): a day only
//! adds the leaves of the chains that grew since the previous day (the journal rows above the
//! previous day's mark), so a letter never rescans the register. Given a digest and its date,
//! [`verify`] recomputes that day's root from the record (has the record itself been altered?)
//! and compares each recorded leaf with the journal as it is now (which complaints differ?).

use crate::error::{Error, Result};
use crate::french::format_fr;
use crate::store::journal::{self, GENESIS};
use crate::store::now_timestamp;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The register's digest on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Digest {
    pub on: NaiveDate,
    /// 64 lowercase hex digits.
    pub root: String,
    /// The first 16 hex digits, upper case, in groups of 4: « 3F2A-9C41-0B7E-55D2 ».
    pub short: String,
    /// The complaints whose chains it covers (purged ones count as their trace, not here).
    pub complaints: usize,
}

impl Digest {
    fn new(on: NaiveDate, root: String, complaints: usize) -> Digest {
        Digest { on, short: grouped(&root[..16.min(root.len())]), root, complaints }
    }

    /// The full form, upper case in groups of 4, as printed in reports.
    pub fn full(&self) -> String {
        grouped(&self.root)
    }

    /// The letters' footer line: « Empreinte du registre au 01/12/2026 : 3F2A-9C41-0B7E-55D2 ».
    pub fn footer(&self) -> String {
        format!("Empreinte du registre au {} : {}", format_fr(self.on), self.short)
    }

    /// The reports' line, with the full form.
    pub fn full_line(&self) -> String {
        format!(
            "Empreinte du registre au {} ({} réclamation(s)) : {}. « Vérifier le registre » (Paramètres) \
             dit si l'historique du registre jusqu'à cette date est inchangé.",
            format_fr(self.on),
            self.complaints,
            self.full()
        )
    }
}

fn grouped(hex: &str) -> String {
    let upper = hex.to_ascii_uppercase();
    upper.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// The answer of « Vérifier le registre ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestCheck {
    pub matches: bool,
    pub message: String,
    /// The references of the complaints (or the purges) that no longer match.
    pub differing: Vec<String>,
}

const COMPLAINT: &str = "complaint";
const PURGED: &str = "purged";
const PURGE: &str = "purge";

/// One leaf of the tree, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Leaf {
    key: String,
    kind: String,
    complaint_id: Option<i64>,
    entries: i64,
    head: String,
}

fn length_prefixed(h: &mut Sha256, part: &[u8]) {
    h.update((part.len() as u64).to_le_bytes());
    h.update(part);
}

impl Leaf {
    fn hash(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update([0u8]);
        for part in [
            self.kind.as_str(),
            self.key.as_str(),
            self.complaint_id.map(|id| id.to_string()).unwrap_or_default().as_str(),
            self.entries.to_string().as_str(),
            self.head.as_str(),
        ] {
            length_prefixed(&mut h, part.as_bytes());
        }
        h.finalize().into()
    }
}

/// The Merkle root of leaves sorted by key: a node is SHA-256(1 ‖ left ‖ right), an odd last
/// node goes up as it is; an empty register has a root of its own.
fn merkle(mut level: Vec<[u8; 32]>) -> String {
    if level.is_empty() {
        return hex::encode(Sha256::digest([2u8]));
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair.get(1) {
                Some(right) => {
                    let mut h = Sha256::new();
                    h.update([1u8]);
                    h.update(pair[0]);
                    h.update(right);
                    h.finalize().into()
                }
                None => pair[0],
            })
            .collect();
    }
    hex::encode(level[0])
}

/// The SHA-256 of a row's columns, each as text and length-prefixed.
fn row_hash(values: &[Value]) -> String {
    let mut h = Sha256::new();
    for v in values {
        let text = match v {
            Value::Null => String::new(),
            Value::Integer(i) => i.to_string(),
            Value::Real(f) => f.to_string(),
            Value::Text(s) => s.clone(),
            Value::Blob(b) => hex::encode(b),
        };
        length_prefixed(&mut h, text.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The chain leaves of the complaints as they are now (`only`: these ids; `None`: all).
fn complaint_leaves(conn: &Connection, only: Option<&[i64]>) -> Result<Vec<Leaf>> {
    let sql = "SELECT c.id, c.reference, coalesce(j.seq, 0), coalesce(j.hash, ?2)
               FROM complaints c LEFT JOIN journal j ON j.complaint_id = c.id
                    AND j.seq = (SELECT max(seq) FROM journal WHERE complaint_id = c.id)
               WHERE ?1 IS NULL OR c.id = ?1";
    let mut stmt = conn.prepare_cached(sql)?;
    let read = |r: &rusqlite::Row<'_>| {
        Ok(Leaf {
            complaint_id: Some(r.get(0)?),
            key: r.get(1)?,
            kind: COMPLAINT.to_owned(),
            entries: r.get(2)?,
            head: r.get(3)?,
        })
    };
    let mut out = Vec::new();
    match only {
        None => {
            for leaf in stmt.query_map(params![None::<i64>, GENESIS], read)? {
                out.push(leaf?);
            }
        }
        Some(ids) => {
            for id in ids {
                for leaf in stmt.query_map(params![id, GENESIS], read)? {
                    out.push(leaf?);
                }
            }
        }
    }
    Ok(out)
}

const PURGED_COLUMNS: &str = "reference, firm_id, received_on, closed_on, channel, addressed_to, complainant_role,
     nature_services, nature_ethics, nature_mark_use, decision, committee_outcome, overrun_justified, purged_on";
const PURGE_COLUMNS: &str = "id, purged_at, purged_on, author, complaints, documents, references_purged";

fn values(r: &rusqlite::Row<'_>, n: usize) -> rusqlite::Result<Vec<Value>> {
    (0..n).map(|i| r.get::<_, Value>(i)).collect()
}

/// The purged complaints' traces and the purges, as they are now.
fn purge_leaves(conn: &Connection) -> Result<Vec<Leaf>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(&format!("SELECT {PURGED_COLUMNS} FROM purged_complaints"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let v = values(r, 14)?;
        out.push(Leaf { key: r.get(0)?, kind: PURGED.to_owned(), complaint_id: None, entries: 0, head: row_hash(&v) });
    }
    let mut stmt = conn.prepare(&format!("SELECT {PURGE_COLUMNS} FROM purge_log"))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let v = values(r, 7)?;
        let id: i64 = r.get(0)?;
        out.push(Leaf {
            key: purge_key(id),
            kind: PURGE.to_owned(),
            complaint_id: None,
            entries: r.get(4)?,
            head: row_hash(&v),
        });
    }
    Ok(out)
}

fn purge_key(id: i64) -> String {
    format!("purge:{id:08}")
}

/// The recorded leaves up to `day` included, by key, oldest first.
/// The recorded leaves by key, each key's oldest first.
type Record = BTreeMap<String, Vec<Leaf>>;

fn history(conn: &Connection, day: Option<NaiveDate>) -> Result<Record> {
    let mut stmt = conn.prepare_cached(
        "SELECT key, kind, complaint_id, entries, head FROM digest_leaves
         WHERE ?1 IS NULL OR on_day <= ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query(params![day.map(|d| d.to_string())])?;
    let mut out: BTreeMap<String, Vec<Leaf>> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let leaf =
            Leaf { key: r.get(0)?, kind: r.get(1)?, complaint_id: r.get(2)?, entries: r.get(3)?, head: r.get(4)? };
        out.entry(leaf.key.clone()).or_default().push(leaf);
    }
    Ok(out)
}

/// The root and the number of complaint chains of a record's latest leaves.
fn root_of(history: &BTreeMap<String, Vec<Leaf>>) -> (String, usize) {
    let latest: Vec<&Leaf> = history.values().filter_map(|v| v.last()).collect();
    let complaints = latest.iter().filter(|l| l.kind == COMPLAINT).count();
    (merkle(latest.iter().map(|l| l.hash()).collect()), complaints)
}

struct Day {
    on: NaiveDate,
    root: String,
    complaints: i64,
    journal_mark: i64,
    purge_mark: i64,
}

fn latest_day(conn: &Connection) -> Result<Option<Day>> {
    let row: Option<(String, String, i64, i64, i64)> = conn
        .query_row(
            "SELECT on_day, root, complaints, journal_mark, purge_mark FROM digest_days ORDER BY on_day DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((on, root, complaints, journal_mark, purge_mark)) = row else { return Ok(None) };
    let on = NaiveDate::parse_from_str(&on, "%Y-%m-%d").map_err(|_| Error::CorruptRow {
        table: "digest_days",
        id: 0,
        value: on.clone(),
    })?;
    Ok(Some(Day { on, root, complaints, journal_mark, purge_mark }))
}

impl Day {
    fn digest(&self) -> Digest {
        Digest::new(self.on, self.root.clone(), usize::try_from(self.complaints).unwrap_or(0))
    }
}

/// The register's digest of `today`: the one already computed today, or computed now from the
/// previous day's record and what changed since, and recorded. If the clock went back before
/// the latest digest, that one is given (with its own date): history is never rewritten.
///
/// The app calls it at start-up on a thread of its own ([`warm_up`]), so the day's first letter
/// finds it made. Two connections asking at once are safe: the computation holds the write
/// lock and looks again once it has it, so the second one waits and reads the first one's.
pub fn current(conn: &Connection, today: NaiveDate) -> Result<Digest> {
    if let Some(day) = latest_day(conn)? {
        if day.on >= today {
            return Ok(day.digest());
        }
    }
    // Inside the caller's transaction, a savepoint; on its own, a transaction that takes the
    // write lock first (a deferred one could not write after reading if another connection
    // committed meanwhile).
    let (begin, commit, rollback) = if conn.is_autocommit() {
        ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
    } else {
        ("SAVEPOINT register_digest", "RELEASE register_digest", "ROLLBACK TO register_digest; RELEASE register_digest")
    };
    conn.execute_batch(begin)?;
    match compute_day(conn, today) {
        Ok(d) => {
            conn.execute_batch(commit)?;
            Ok(d)
        }
        Err(e) => {
            let _ = conn.execute_batch(rollback);
            Err(e)
        }
    }
}

fn compute_day(conn: &Connection, today: NaiveDate) -> Result<Digest> {
    let previous = latest_day(conn)?;
    // Another connection (the start-up warm-up, or a letter) computed it while this one waited
    // for the write lock: that one is the day's digest.
    if let Some(day) = previous.as_ref().filter(|d| d.on >= today) {
        return Ok(day.digest());
    }
    let journal_mark: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM journal", [], |r| r.get(0))?;
    let purge_mark: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM purge_log", [], |r| r.get(0))?;
    // Everything again on the first day, after a purge (rows went, ids may be reused), or if
    // the journal shrank; otherwise only the chains that grew since the previous day.
    let since = previous.as_ref().filter(|p| p.purge_mark == purge_mark && journal_mark >= p.journal_mark);
    let candidates = match since {
        None => {
            let mut all = complaint_leaves(conn, None)?;
            all.extend(purge_leaves(conn)?);
            all
        }
        Some(p) => {
            let mut stmt = conn.prepare_cached("SELECT DISTINCT complaint_id FROM journal WHERE id > ?1")?;
            let ids = stmt.query_map(params![p.journal_mark], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            complaint_leaves(conn, Some(&ids))?
        }
    };
    let recorded: HashMap<String, Leaf> = if since.is_none() {
        history(conn, None)?.into_iter().filter_map(|(k, mut v)| v.pop().map(|l| (k, l))).collect()
    } else {
        let mut stmt = conn.prepare_cached(
            "SELECT key, kind, complaint_id, entries, head FROM digest_leaves WHERE key = ?1 ORDER BY id DESC LIMIT 1",
        )?;
        let mut map = HashMap::new();
        for c in &candidates {
            let leaf = stmt
                .query_row(params![c.key], |r| {
                    Ok(Leaf {
                        key: r.get(0)?,
                        kind: r.get(1)?,
                        complaint_id: r.get(2)?,
                        entries: r.get(3)?,
                        head: r.get(4)?,
                    })
                })
                .optional()?;
            if let Some(leaf) = leaf {
                map.insert(c.key.clone(), leaf);
            }
        }
        map
    };
    let day = today.to_string();
    let mut insert = conn.prepare_cached(
        "INSERT INTO digest_leaves (on_day, key, kind, complaint_id, entries, head) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    // Only what changed is recorded; a leaf that disappeared (a complaint deleted outside the
    // app) is not: the record keeps what the register was, for `verify` to compare.
    for leaf in candidates.iter().filter(|c| recorded.get(&c.key) != Some(*c)) {
        insert.execute(params![day, leaf.key, leaf.kind, leaf.complaint_id, leaf.entries, leaf.head])?;
    }
    let record = history(conn, Some(today))?;
    let (root, complaints) = root_of(&record);
    conn.execute(
        "INSERT INTO digest_days (on_day, root, complaints, leaves, journal_mark, purge_mark, computed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![day, root, complaints as i64, record.len() as i64, journal_mark, purge_mark, now_timestamp()],
    )?;
    Ok(Digest::new(today, root, complaints))
}

/// The day's digest computed ahead of need (at start-up, on its own connection), so that no
/// letter or report of the day pays for it; `Ok(true)` when it was computed now, `Ok(false)`
/// when the day already had it or the register is empty (a first start: the digest of an
/// empty register would be the one printed all day, and it costs nothing to compute later).
pub fn warm_up(conn: &Connection, today: NaiveDate) -> Result<bool> {
    if latest_day(conn)?.is_some_and(|d| d.on >= today) {
        return Ok(false);
    }
    let empty: bool = conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM complaints) AND NOT EXISTS (SELECT 1 FROM purge_log)",
        [],
        |r| r.get(0),
    )?;
    if empty {
        return Ok(false);
    }
    current(conn, today)?;
    Ok(true)
}

/// A digest as typed: spaces, dashes and case ignored; 16 (short form) or 64 hex digits,
/// returned in lower case; otherwise a message keyed `digest`.
pub fn normalise(typed: &str) -> Result<String> {
    let cleaned: String = typed.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '‐' | '–' | '.')).collect();
    let cleaned = cleaned.to_ascii_lowercase();
    if cleaned.is_empty() {
        return Err(Error::field("digest", "Saisissez l'empreinte imprimée sur le courrier ou le rapport."));
    }
    if !cleaned.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::field(
            "digest",
            "Une empreinte ne contient que des chiffres de 0 à 9 et des lettres de A à F.",
        ));
    }
    if cleaned.len() != 16 && cleaned.len() != 64 {
        return Err(Error::field(
            "digest",
            format!(
                "L'empreinte compte 16 caractères (forme courte, ex. 3F2A-9C41-0B7E-55D2) ou 64 (forme complète) ; \
                 {} saisi(s).",
                cleaned.len()
            ),
        ));
    }
    Ok(cleaned)
}

/// How a recorded leaf compares with the register as it is now.
enum Now {
    Same,
    /// Purged since the date, by a purge that the register logged.
    PurgedSince,
    Differs,
}

fn compare(conn: &Connection, on: NaiveDate, leaves: &[Leaf]) -> Result<Now> {
    let Some(last) = leaves.last() else { return Ok(Now::Same) };
    match last.kind.as_str() {
        COMPLAINT => compare_chain(conn, on, leaves),
        PURGED => {
            let mut stmt =
                conn.prepare_cached(&format!("SELECT {PURGED_COLUMNS} FROM purged_complaints WHERE reference = ?1"))?;
            let now = stmt.query_row(params![last.key], |r| values(r, 14)).optional()?;
            Ok(if now.is_some_and(|v| row_hash(&v) == last.head) { Now::Same } else { Now::Differs })
        }
        _ => {
            let id: Option<i64> = last.key.strip_prefix("purge:").and_then(|n| n.parse().ok());
            let mut stmt = conn.prepare_cached(&format!("SELECT {PURGE_COLUMNS} FROM purge_log WHERE id = ?1"))?;
            let now = stmt.query_row(params![id], |r| values(r, 7)).optional()?;
            Ok(if now.is_some_and(|v| row_hash(&v) == last.head) { Now::Same } else { Now::Differs })
        }
    }
}

fn compare_chain(conn: &Connection, on: NaiveDate, leaves: &[Leaf]) -> Result<Now> {
    let Some(last) = leaves.last() else { return Ok(Now::Same) };
    let Some(id) = last.complaint_id else { return Ok(Now::Differs) };
    let reference: Option<String> =
        conn.query_row("SELECT reference FROM complaints WHERE id = ?1", params![id], |r| r.get(0)).optional()?;
    if reference.as_deref() != Some(last.key.as_str()) {
        // Gone: only a logged purge after that date explains it.
        let purged_on: Option<String> = conn
            .query_row("SELECT purged_on FROM purged_complaints WHERE reference = ?1", params![last.key], |r| r.get(0))
            .optional()?;
        let logged: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM purge_log WHERE instr(', ' || references_purged || ', ', ', ' || ?1 || ', ') > 0)",
            params![last.key],
            |r| r.get(0),
        )?;
        let after = purged_on.is_some_and(|p| p.as_str() >= on.to_string().as_str());
        return Ok(if reference.is_none() && logged && after { Now::PurgedSince } else { Now::Differs });
    }
    let mut stmt = conn.prepare_cached("SELECT hash FROM journal WHERE complaint_id = ?1 AND seq = ?2")?;
    for leaf in leaves {
        if leaf.complaint_id != Some(id) {
            return Ok(Now::Differs);
        }
        if leaf.entries == 0 {
            continue;
        }
        let hash: Option<String> = stmt.query_row(params![id, leaf.entries], |r| r.get(0)).optional()?;
        if hash.as_deref() != Some(leaf.head.as_str()) {
            return Ok(Now::Differs);
        }
    }
    // The stored hashes match: are the entries themselves still those the hashes were made of?
    Ok(match journal::first_broken(conn, id)? {
        Some(seq) if seq <= last.entries => Now::Differs,
        _ => Now::Same,
    })
}

/// How a complaint's chain as walked compares with its recorded leaves: each recorded head
/// still stored at its place, and the chain intact up to the last one (as [`compare_chain`]).
fn judge(chain: &journal::Chain, leaves: &[Leaf]) -> Now {
    let Some(last) = leaves.last() else { return Now::Same };
    for leaf in leaves.iter().filter(|l| l.entries != 0) {
        if chain.hash_at(leaf.entries) != Some(leaf.head.as_str()) {
            return Now::Differs;
        }
    }
    match chain.first_broken {
        Some(seq) if seq <= last.entries => Now::Differs,
        _ => Now::Same,
    }
}

/// The chains the record up to `on` asks about: each complaint id recorded → the sequence
/// numbers of its recorded heads, sorted (none for a chain recorded empty).
fn wanted_of(conn: &Connection, on: NaiveDate) -> Result<journal::Wanted> {
    let mut stmt = conn.prepare_cached(
        "SELECT complaint_id, entries FROM digest_leaves
         WHERE kind = ?1 AND complaint_id IS NOT NULL AND on_day <= ?2",
    )?;
    let mut rows = stmt.query(params![COMPLAINT, on.to_string()])?;
    let mut out = journal::IdMap::default();
    while let Some(r) = rows.next()? {
        let seqs: &mut Vec<i64> = out.entry(r.get(0)?).or_default();
        let entries: i64 = r.get(1)?;
        if entries != 0 {
            seqs.push(entries);
        }
    }
    for seqs in out.values_mut() {
        seqs.sort_unstable();
        seqs.dedup();
    }
    Ok(out)
}

/// Each recorded key compared with the register as it is now, in order. The complaints that
/// still bear their recorded reference are judged from `chains` (one ordered read of the
/// journal, [`journal::walk_chains`], for the complaints of `wanted`), provided the walk
/// asked for every head recorded for them; the other keys (purges, complaints gone or
/// renumbered) are compared one by one.
fn compare_all(
    conn: &Connection,
    on: NaiveDate,
    keys: &[(&String, &Vec<Leaf>)],
    wanted: &journal::Wanted,
    chains: &[journal::Chain],
) -> Result<Vec<Now>> {
    let references: journal::IdMap<String> = {
        let mut stmt = conn.prepare_cached("SELECT id, reference FROM complaints")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let by_id: journal::IdMap<&journal::Chain> = chains.iter().map(|c| (c.complaint_id, c)).collect();
    let mut out = Vec::with_capacity(keys.len());
    for (key, leaves) in keys {
        let Some(last) = leaves.last() else {
            out.push(Now::Same);
            continue;
        };
        let walked = last.complaint_id.filter(|id| {
            last.kind == COMPLAINT
                && leaves.iter().all(|l| l.complaint_id == Some(*id))
                && references.get(id) == Some(*key)
                && wanted
                    .get(id)
                    .is_some_and(|seqs| leaves.iter().all(|l| l.entries == 0 || seqs.binary_search(&l.entries).is_ok()))
        });
        out.push(match walked {
            // A recorded complaint with no entry now: judged as an empty chain.
            Some(id) => match by_id.get(&id) {
                Some(chain) => judge(chain, leaves),
                None => judge(&journal::Chain { complaint_id: id, ..Default::default() }, leaves),
            },
            None => compare(conn, on, leaves)?,
        });
    }
    Ok(out)
}

/// Checks a digest typed from a letter or a report (full or short form; spaces, dashes and
/// case ignored) against the register's history up to `on`: the record of that day must
/// still give that root, and each complaint recorded must still have the same chain.
pub fn verify(conn: &Connection, typed: &str, on: NaiveDate) -> Result<DigestCheck> {
    verify_in_parallel(conn, None, typed, on, &mut |_, _| {})
}

/// [`verify`], the journal read in two halves, the upper one on a second, read-only connection
/// to the database at `path`, on its own thread ([`journal::walk_chains_in_two`]); without
/// `path`, all on `conn`. The answer is the same either way (tested). Every chain is recomputed
/// whole each time: nothing in the file proves that a row was not altered since the last
/// check (a forger can drop the triggers), so no part of the answer is taken from an earlier
/// one. `progress(done, total)` follows the chains checked.
pub fn verify_in_parallel(
    conn: &Connection,
    path: Option<&std::path::Path>,
    typed: &str,
    on: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<DigestCheck> {
    let typed = normalise(typed)?;
    let date = format_fr(on);
    let recorded: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM digest_leaves WHERE on_day <= ?1)
             OR EXISTS (SELECT 1 FROM digest_days WHERE on_day = ?1)",
        params![on.to_string()],
        |r| r.get(0),
    )?;
    if !recorded {
        return Ok(DigestCheck {
            matches: false,
            message: format!(
                "Aucune empreinte du registre n'a été calculée au {date} ou avant : vérifiez la date imprimée \
                 à côté de l'empreinte."
            ),
            differing: Vec::new(),
        });
    }
    // The record read while the second connection, if any, already reads the journal's upper
    // half; the walk's progress counts the record's keys once they are known.
    let total = std::cell::Cell::new(0usize);
    let mut walk_progress = |f: f64| progress((total.get() as f64 * f) as usize, total.get());
    let read_record = || -> Result<(Record, Option<String>)> {
        let day_root: Option<String> = conn
            .query_row("SELECT root FROM digest_days WHERE on_day = ?1", params![on.to_string()], |r| r.get(0))
            .optional()?;
        let record = history(conn, Some(on))?;
        total.set(record.len());
        Ok((record, day_root))
    };
    // The chains asked for, read first: the second connection walks the journal's upper half
    // with them while this one reads the record, then the lower half.
    let wanted = wanted_of(conn, on)?;
    let (chains, (record, day_root)) = match path.filter(|_| journal::last_id(conn).is_ok_and(|n| n >= 2)) {
        Some(path) => journal::walk_in_two_meanwhile(conn, path, &wanted, read_record, &mut walk_progress)?,
        None => {
            let read = read_record()?;
            (journal::walk_chains(conn, &wanted, &mut walk_progress)?, read)
        }
    };
    let keys: Vec<(&String, &Vec<Leaf>)> = record.iter().collect();
    // The record's root on a thread of its own while the chains are judged.
    let (rooted, compared) = std::thread::scope(|scope| {
        let rooted = scope.spawn(|| root_of(&record));
        let compared = compare_all(conn, on, &keys, &wanted, &chains);
        (rooted.join(), compared)
    });
    progress(total.get(), total.get());
    let (root, complaints) =
        rooted.map_err(|_| Error::field("digest", "La vérification du registre a été interrompue : réessayez."))?;
    let typed_matches = root.starts_with(&typed);
    let mut differing = Vec::new();
    let mut purged_since = 0;
    for ((key, _), now) in keys.iter().zip(compared?) {
        match now {
            Now::Same => {}
            Now::PurgedSince => purged_since += 1,
            Now::Differs => differing.push(label(conn, key)?),
        }
    }
    let list = differing.join(", ");
    let message = match (typed_matches, differing.is_empty()) {
        (true, true) => {
            let purged = if purged_since > 0 {
                format!(" ; {purged_since} dossier(s) ont été purgés depuis, à l'issue de leur durée de conservation")
            } else {
                String::new()
            };
            format!(
                "Registre inchangé : l'empreinte correspond au registre du {date}, et les {complaints} réclamation(s) \
                 qu'il comptait ont toujours le même journal{purged}."
            )
        }
        (true, false) => format!(
            "Registre modifié depuis le {date} : l'empreinte correspond au registre de cette date, mais le journal \
             de {} dossier(s) n'est plus le même : {list}. Conservez une sauvegarde et prévenez la Déléguée Générale.",
            differing.len()
        ),
        (false, _) => {
            let record_intact = day_root.as_deref() == Some(root.as_str());
            let mut m = if record_intact {
                format!(
                    "L'empreinte saisie ne correspond pas à celle du registre au {date}. Vérifiez la saisie et la date ; \
                     si elles sont exactes, l'historique du registre a été réécrit : restaurez une sauvegarde \
                     antérieure à cette date pour comparer, et prévenez la Déléguée Générale."
                )
            } else {
                format!(
                    "L'historique des empreintes du registre a été modifié : celle du {date} ne peut plus être \
                     recalculée. Restaurez une sauvegarde antérieure à cette date pour comparer, et prévenez la \
                     Déléguée Générale."
                )
            };
            if !differing.is_empty() {
                m.push_str(&format!(" Dossier(s) dont le journal a changé depuis : {list}."));
            }
            m
        }
    };
    Ok(DigestCheck { matches: typed_matches && differing.is_empty(), message, differing })
}

/// A key as the user reads it: the reference, or « purge du 10/02/2026 ».
fn label(conn: &Connection, key: &str) -> Result<String> {
    let Some(id) = key.strip_prefix("purge:").and_then(|n| n.parse::<i64>().ok()) else { return Ok(key.to_owned()) };
    let on: Option<String> =
        conn.query_row("SELECT purged_on FROM purge_log WHERE id = ?1", params![id], |r| r.get(0)).optional()?;
    Ok(match on.and_then(|d| crate::validate::parse_date(&d)) {
        Some(d) => format!("purge n° {id} du {}", format_fr(d)),
        None => format!("purge n° {id}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::complaints;
    use crate::store::journal::{JournalKind, NewEntry};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Registers `n` complaints (the first creates the firm, the others reuse it).
    fn register(conn: &mut Connection, n: usize, on: NaiveDate) -> Result<Vec<(i64, String)>> {
        let mut out = Vec::new();
        for i in 0..n {
            let mut form = crate::fixtures::sample_complaint();
            form.received_on = format_fr(on);
            if i > 0 || conn.query_row("SELECT count(*) FROM firms", [], |r| r.get::<_, i64>(0))? > 0 {
                form.new_firm = None;
                form.firm_id = Some(1);
            }
            form.complainant.name = format!("Plaignant {i}");
            form.complainant.email = format!("p{i}@example.fr");
            let r = complaints::register(conn, &form, on, "S")?;
            out.push((r.id, r.reference));
        }
        Ok(out)
    }

    fn note(conn: &Connection, id: i64, on: NaiveDate, text: &str) -> Result<i64> {
        journal::append(conn, id, &NewEntry::simple(JournalKind::Note, on, "S", text))
    }

    /// The root of the register as it is now, computed from scratch (no record).
    fn fresh_root(conn: &Connection) -> Result<String> {
        let mut leaves = complaint_leaves(conn, None)?;
        leaves.extend(purge_leaves(conn)?);
        leaves.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(merkle(leaves.iter().map(Leaf::hash).collect()))
    }

    /// Rewrites a complaint's chain as a forger would: the entries changed, every hash recomputed.
    fn rewrite_chain(conn: &Connection, id: i64) -> Result<()> {
        let entries = journal::rows(conn, id)?;
        conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        conn.execute("DELETE FROM journal WHERE complaint_id = ?1", params![id])?;
        for e in &entries {
            let summary = e.summary.replace("Réclamation", "Courrier");
            let kind = JournalKind::from_code(&e.kind).unwrap_or(JournalKind::Note);
            let on = crate::validate::parse_date(&e.occurred_on).unwrap_or_default();
            journal::append_unindexed(conn, id, &NewEntry::simple(kind, on, &e.author, &summary))?;
        }
        conn.execute_batch("PRAGMA foreign_keys = ON")?;
        Ok(())
    }

    #[test]
    fn one_digest_a_day_reused_by_every_letter_then_the_next_day_covers_the_changes() -> Result<()> {
        let mut conn = open_in_memory()?;
        let ids = register(&mut conn, 3, day(2026, 12, 1))?;
        let first = current(&conn, day(2026, 12, 1))?;
        assert_eq!(first.complaints, 3);
        assert_eq!(first.root.len(), 64);
        assert_eq!(first.short.len(), 19);
        assert!(first.root.to_ascii_uppercase().starts_with(&first.short.replace('-', "")));
        note(&conn, ids[0].0, day(2026, 12, 1), "Appel")?;
        assert_eq!(current(&conn, day(2026, 12, 1))?, first, "the day's digest does not move");
        assert_eq!(first.footer(), format!("Empreinte du registre au 01/12/2026 : {}", first.short));

        let second = current(&conn, day(2026, 12, 2))?;
        assert_ne!(second.root, first.root, "the note is in the next day's digest");
        assert_eq!(second.root, fresh_root(&conn)?, "incremental = from scratch");
        // Only the chain that grew was recorded again.
        let rows: i64 =
            conn.query_row("SELECT count(*) FROM digest_leaves WHERE on_day = '2026-12-02'", [], |r| r.get(0))?;
        assert_eq!(rows, 1);
        // The clock set back: the latest digest, with its own date, and nothing rewritten.
        assert_eq!(current(&conn, day(2026, 11, 30))?, second);
        Ok(())
    }

    #[test]
    fn every_letter_of_the_day_prints_the_days_digest_which_then_checks() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let mut conn = open_in_memory()?;
        let ids = register(&mut conn, 2, day(2026, 11, 28))?;
        let mut printed = Vec::new();
        for (id, _) in &ids {
            let g = crate::store::letters::generate(
                &mut conn,
                tmp.path(),
                crate::test_support::fonts(),
                *id,
                crate::letters::kinds::LetterKind::Acknowledgement,
                None,
                day(2026, 11, 28),
                "S",
            )?;
            let stored: String =
                conn.query_row("SELECT letter_data FROM documents WHERE id = ?1", params![g.document_id], |r| {
                    r.get(0)
                })?;
            let doc: crate::letters::pdf::LetterDoc =
                serde_json::from_str(&stored).map_err(|e| Error::field("letter", e.to_string()))?;
            printed.push(doc.register_digest);
            if let Some(text) = crate::test_support::pdftotext_file(&g.path)? {
                assert!(crate::test_support::flat(&text).contains(&printed[printed.len() - 1]), "{text}");
            }
        }
        let d = current(&conn, day(2026, 11, 28))?;
        // The second letter's journal entry came after the first letter: same digest all day.
        assert_eq!(printed, vec![d.footer(), d.footer()]);
        assert!(verify(&conn, &d.short, day(2026, 11, 28))?.matches);
        Ok(())
    }

    /// What the record holds: (days, leaves, the latest day's `computed_at`).
    fn record_state(conn: &Connection) -> Result<(i64, i64, String)> {
        Ok((
            conn.query_row("SELECT count(*) FROM digest_days", [], |r| r.get(0))?,
            conn.query_row("SELECT count(*) FROM digest_leaves", [], |r| r.get(0))?,
            conn.query_row("SELECT computed_at FROM digest_days ORDER BY on_day DESC LIMIT 1", [], |r| r.get(0))?,
        ))
    }

    #[test]
    fn after_the_start_up_warm_up_the_days_first_letter_computes_nothing() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let mut conn = open_in_memory()?;
        assert!(!warm_up(&conn, day(2026, 11, 27))?, "an empty register: left to the first letter");
        let none: i64 = conn.query_row("SELECT count(*) FROM digest_days", [], |r| r.get(0))?;
        assert_eq!(none, 0);
        let ids = register(&mut conn, 3, day(2026, 11, 27))?;
        let today = day(2026, 11, 28);
        let expected = fresh_root(&conn)?;
        assert!(warm_up(&conn, today)?, "the day had no digest yet");
        let warmed = record_state(&conn)?;
        let d = current(&conn, today)?;
        assert_eq!(d.root, expected);
        assert!(!warm_up(&conn, today)?, "once a day");
        let g = crate::store::letters::generate(
            &mut conn,
            tmp.path(),
            crate::test_support::fonts(),
            ids[0].0,
            crate::letters::kinds::LetterKind::Acknowledgement,
            None,
            today,
            "S",
        )?;
        // The letter read the day's row: no day, no leaf added, the row not rewritten.
        assert_eq!(record_state(&conn)?, warmed);
        let stored: String =
            conn.query_row("SELECT letter_data FROM documents WHERE id = ?1", params![g.document_id], |r| r.get(0))?;
        assert!(stored.contains(&d.footer()), "{stored}");
        Ok(())
    }

    #[test]
    fn a_letter_racing_the_warm_up_gets_the_same_digest_computed_once() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let path = tmp.path().join("register.sqlite3");
        let mut conn = crate::db::open(&path)?;
        register(&mut conn, 40, day(2026, 11, 1))?;
        for (n, today) in (2..=9).map(|d| day(2026, 11, d)).enumerate() {
            // Each day one more chain grows, then the warm-up (its own connection) and a letter
            // (a transaction on the app's connection) ask for the day's digest at the same time.
            note(&conn, 1 + n as i64, today, "Appel")?;
            let expected = fresh_root(&conn)?;
            let start = std::sync::Arc::new(std::sync::Barrier::new(2));
            let warm = {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || -> Result<()> {
                    let conn = crate::db::open(&path)?;
                    start.wait();
                    warm_up(&conn, today).map(|_| ())
                })
            };
            start.wait();
            let tx = conn.transaction()?;
            let letter = current(&tx, today)?;
            tx.commit()?;
            warm.join().map_err(|_| Error::field("thread", "panicked"))??;
            assert_eq!(letter.root, expected, "{today}: the digest of the register as it is");
            assert_eq!(current(&conn, today)?, letter, "{today}: one digest for the day");
            let days: i64 = conn.query_row(
                "SELECT count(*) FROM digest_days WHERE on_day = ?1",
                params![today.to_string()],
                |r| r.get(0),
            )?;
            assert_eq!(days, 1, "{today}");
            let grown: i64 = conn.query_row(
                "SELECT count(*) FROM digest_leaves WHERE on_day = ?1",
                params![today.to_string()],
                |r| r.get(0),
            )?;
            assert_eq!(grown, if n == 0 { 40 } else { 1 }, "{today}: only the grown chain recorded, once");
        }
        Ok(())
    }

    #[test]
    fn the_check_on_two_connections_says_exactly_what_the_check_on_one_says() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let path = tmp.path().join("register.sqlite3");
        let mut conn = crate::db::open(&path)?;
        let ids = register(&mut conn, 9, day(2026, 12, 1))?;
        let d = current(&conn, day(2026, 12, 1))?;
        let mut seen = Vec::new();
        let check = verify_in_parallel(&conn, Some(&path), &d.short, day(2026, 12, 1), &mut |done, total| {
            seen.push((done, total))
        })?;
        assert!(check.matches, "{}", check.message);
        assert_eq!(seen.last(), Some(&(9, 9)), "{seen:?}");
        assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
        // Altered in both halves of the keys: the first chain rewritten, the eighth deleted.
        rewrite_chain(&conn, ids[0].0)?;
        conn.execute("DELETE FROM journal WHERE complaint_id = ?1", params![ids[7].0])?;
        let one = verify(&conn, &d.short, day(2026, 12, 1))?;
        let two = verify_in_parallel(&conn, Some(&path), &d.short, day(2026, 12, 1), &mut |_, _| {})?;
        assert_eq!(two, one);
        assert_eq!(two.differing, vec![ids[0].1.clone(), ids[7].1.clone()]);
        Ok(())
    }

    #[test]
    fn a_digest_typed_from_paper_matches_in_any_form() -> Result<()> {
        let mut conn = open_in_memory()?;
        let ids = register(&mut conn, 2, day(2026, 12, 1))?;
        let d = current(&conn, day(2026, 12, 1))?;
        note(&conn, ids[1].0, day(2026, 12, 3), "Plus tard")?;
        current(&conn, day(2026, 12, 3))?;
        for typed in [d.root.clone(), d.full(), d.short.clone(), d.short.to_lowercase().replace('-', " ")] {
            let check = verify(&conn, &typed, day(2026, 12, 1))?;
            assert!(check.matches, "{typed}: {}", check.message);
            assert!(check.message.starts_with("Registre inchangé"), "{}", check.message);
        }
        // The same digest with another date, or another digest: no match.
        assert!(!verify(&conn, &d.short, day(2026, 12, 3))?.matches);
        let mut wrong = d.short.clone();
        wrong.replace_range(0..1, if wrong.starts_with('0') { "1" } else { "0" });
        let check = verify(&conn, &wrong, day(2026, 12, 1))?;
        assert!(!check.matches && check.message.contains("ne correspond pas"), "{}", check.message);
        // Before any digest.
        let check = verify(&conn, &d.short, day(2020, 1, 1))?;
        assert!(!check.matches && check.message.contains("Aucune empreinte"), "{}", check.message);
        Ok(())
    }

    #[test]
    fn a_typed_digest_that_is_not_one_is_refused_next_to_its_field() -> Result<()> {
        let conn = open_in_memory()?;
        let long = "A".repeat(10_000);
        for typed in ["", "3F2A-9C41", "3F2A-9C41-0B7E-55DZ", "xyz", "３F2A-9C41-0B7E-55D2", "é", long.as_str()] {
            match verify(&conn, typed, day(2026, 12, 1)) {
                Err(Error::Validation { fields }) => assert!(fields.contains_key("digest"), "{typed}"),
                other => panic!("{typed}: {other:?}"),
            }
        }
        Ok(())
    }

    #[test]
    fn deleting_a_complaints_journal_or_the_complaint_is_detected_and_named() -> Result<()> {
        let mut conn = open_in_memory()?;
        let ids = register(&mut conn, 3, day(2026, 12, 1))?;
        let d = current(&conn, day(2026, 12, 1))?;
        conn.execute("DELETE FROM journal WHERE complaint_id = ?1", params![ids[1].0])?;
        let check = verify(&conn, &d.short, day(2026, 12, 1))?;
        assert!(!check.matches);
        assert_eq!(check.differing, vec![ids[1].1.clone()]);
        assert!(check.message.contains("Registre modifié") && check.message.contains(&ids[1].1), "{}", check.message);

        // The next day's digest does not absorb the deletion: the old one still names it.
        current(&conn, day(2026, 12, 2))?;
        conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        conn.execute("DELETE FROM journal WHERE complaint_id = ?1", params![ids[2].0])?;
        conn.execute("DELETE FROM complaints WHERE id = ?1", params![ids[2].0])?;
        let check = verify(&conn, &d.short, day(2026, 12, 1))?;
        assert_eq!(check.differing, vec![ids[1].1.clone(), ids[2].1.clone()]);
        Ok(())
    }

    #[test]
    fn a_chain_rewritten_with_recomputed_hashes_is_detected() -> Result<()> {
        let mut conn = open_in_memory()?;
        let ids = register(&mut conn, 3, day(2026, 12, 1))?;
        note(&conn, ids[0].0, day(2026, 12, 1), "Appel du plaignant")?;
        let d = current(&conn, day(2026, 12, 1))?;
        rewrite_chain(&conn, ids[0].0)?;
        // Consistent: the complaint's own check sees nothing.
        assert_eq!(journal::first_broken(&conn, ids[0].0)?, None);
        let check = verify(&conn, &d.root, day(2026, 12, 1))?;
        assert!(!check.matches, "{}", check.message);
        assert_eq!(check.differing, vec![ids[0].1.clone()]);
        // Even once a later digest recorded the forged chain, the earlier digest names it.
        note(&conn, ids[0].0, day(2026, 12, 5), "Ajout")?;
        let later = current(&conn, day(2026, 12, 5))?;
        assert_eq!(verify(&conn, &d.root, day(2026, 12, 1))?.differing, vec![ids[0].1.clone()]);
        assert_eq!(verify(&conn, &later.root, day(2026, 12, 5))?.differing, vec![ids[0].1.clone()]);
        Ok(())
    }

    #[test]
    fn an_edited_entry_whose_hash_was_left_is_detected() -> Result<()> {
        let mut conn = open_in_memory()?;
        let ids = register(&mut conn, 2, day(2026, 12, 1))?;
        let d = current(&conn, day(2026, 12, 1))?;
        conn.execute_batch("DROP TRIGGER journal_no_update")?;
        conn.execute("UPDATE journal SET summary = 'autre' WHERE complaint_id = ?1 AND seq = 1", params![ids[0].0])?;
        assert_eq!(verify(&conn, &d.short, day(2026, 12, 1))?.differing, vec![ids[0].1.clone()]);
        Ok(())
    }

    #[test]
    fn the_walk_through_every_chain_says_what_each_chain_s_own_check_says() -> Result<()> {
        let mut conn = open_in_memory()?;
        let ids = register(&mut conn, 4, day(2026, 12, 1))?;
        for (id, _) in &ids {
            for n in 0..3 {
                note(&conn, *id, day(2026, 12, 2), &format!("Note {n}"))?;
            }
        }
        conn.execute_batch("DROP TRIGGER journal_no_update")?;
        // The first intact, the second edited, the third missing an entry, the fourth renumbered.
        conn.execute("UPDATE journal SET details = 'autre' WHERE complaint_id = ?1 AND seq = 3", params![ids[1].0])?;
        conn.execute("DELETE FROM journal WHERE complaint_id = ?1 AND seq = 2", params![ids[2].0])?;
        conn.execute("UPDATE journal SET seq = 9 WHERE complaint_id = ?1 AND seq = 4", params![ids[3].0])?;
        let every: journal::IdMap<Vec<i64>> = ids.iter().map(|(id, _)| (*id, (1..=20).collect())).collect();
        let walked: Vec<(i64, Option<i64>, usize)> = journal::walk_chains(&conn, &every, &mut |_| {})?
            .into_iter()
            .map(|c| (c.complaint_id, c.first_broken, c.hashes.len()))
            .collect();
        let mut each = Vec::new();
        for (id, _) in &ids {
            let entries: i64 =
                conn.query_row("SELECT count(*) FROM journal WHERE complaint_id = ?1", params![id], |r| r.get(0))?;
            each.push((*id, journal::first_broken(&conn, *id)?, entries as usize));
        }
        assert_eq!(walked, each);
        assert_eq!(each.iter().map(|e| e.1).collect::<Vec<_>>(), vec![None, Some(3), Some(3), Some(9)]);
        // Only the complaints and the entries asked for.
        let some = journal::IdMap::from_iter([(ids[1].0, vec![2]), (ids[3].0, vec![1, 9])]);
        let chains = journal::walk_chains(&conn, &some, &mut |_| {})?;
        assert_eq!(chains.iter().map(|c| c.complaint_id).collect::<Vec<_>>(), vec![ids[1].0, ids[3].0]);
        assert_eq!(chains[0].hashes.iter().map(|h| h.0).collect::<Vec<_>>(), vec![2]);
        assert_eq!(chains[1].hashes.iter().map(|h| h.0).collect::<Vec<_>>(), vec![1, 9]);
        let stored: String =
            conn.query_row("SELECT hash FROM journal WHERE complaint_id = ?1 AND seq = 9", params![ids[3].0], |r| {
                r.get(0)
            })?;
        assert_eq!(chains[1].hash_at(9), Some(stored.as_str()));
        Ok(())
    }

    #[test]
    fn the_journal_read_in_two_halves_says_what_one_read_says_wherever_the_halves_meet() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let path = tmp.path().join("register.sqlite3");
        let mut conn = crate::db::open(&path)?;
        let ids = register(&mut conn, 5, day(2026, 12, 1))?;
        for n in 0..3 {
            for (id, _) in &ids {
                note(&conn, *id, day(2026, 12, 2), &format!("Note {n}"))?;
            }
        }
        let every: journal::IdMap<Vec<i64>> = ids.iter().map(|(id, _)| (*id, (1..=20).collect())).collect();
        let last: i64 = conn.query_row("SELECT max(id) FROM journal", [], |r| r.get(0))?;
        for (n, alteration) in [
            // Intact; then the second edited, the third missing an entry, the fourth renumbered,
            // the fifth's first entry pointing elsewhere than the genesis.
            "",
            "UPDATE journal SET details = 'autre' WHERE complaint_id = ?1 AND seq = 3",
            "DELETE FROM journal WHERE complaint_id = ?1 AND seq = 2",
            "UPDATE journal SET seq = 9 WHERE complaint_id = ?1 AND seq = 4",
            "UPDATE journal SET prev_hash = 'x' WHERE complaint_id = ?1 AND seq = 1",
        ]
        .into_iter()
        .enumerate()
        {
            if !alteration.is_empty() {
                conn.execute_batch(
                    "DROP TRIGGER IF EXISTS journal_no_update; DROP TRIGGER IF EXISTS journal_no_delete",
                )?;
                conn.execute(alteration, params![ids[n].0])?;
            }
            let one = journal::walk_chains(&conn, &every, &mut |_| {})?;
            for middle in 0..=last {
                let two = journal::walk_in_two_at(&conn, &path, middle, last, &every, &mut |_| {})?;
                assert_eq!(two, one, "halves meeting after entry {middle}, alteration « {alteration} »");
            }
            assert_eq!(journal::walk_chains_in_two(&conn, &path, &every, &mut |_| {})?, one);
        }
        let broken: Vec<Option<i64>> =
            journal::walk_chains(&conn, &every, &mut |_| {})?.iter().map(|c| c.first_broken).collect();
        assert_eq!(broken, vec![None, Some(3), Some(3), Some(9), Some(1)]);
        Ok(())
    }

    #[test]
    fn an_altered_record_no_longer_gives_the_printed_digest() -> Result<()> {
        let mut conn = open_in_memory()?;
        let ids = register(&mut conn, 3, day(2026, 12, 1))?;
        let d = current(&conn, day(2026, 12, 1))?;
        // The record refuses edits…
        assert!(conn.execute("DELETE FROM digest_leaves WHERE key = ?1", params![ids[2].1]).is_err());
        assert!(conn.execute("UPDATE digest_days SET root = 'x'", []).is_err());
        // …but a forger can drop the triggers: delete a complaint and its recorded leaf.
        conn.execute_batch("DROP TRIGGER digest_leaves_no_delete")?;
        conn.execute("DELETE FROM digest_leaves WHERE key = ?1", params![ids[2].1])?;
        conn.execute("DELETE FROM journal WHERE complaint_id = ?1", params![ids[2].0])?;
        let check = verify(&conn, &d.short, day(2026, 12, 1))?;
        assert!(!check.matches);
        assert!(check.message.contains("L'historique des empreintes du registre a été modifié"), "{}", check.message);
        assert!(check.message.contains("sauvegarde"), "{}", check.message);
        Ok(())
    }

    #[test]
    fn a_logged_purge_after_the_date_is_not_a_difference() -> Result<()> {
        let mut conn = open_in_memory()?;
        let ids = register(&mut conn, 2, day(2021, 1, 5))?;
        let (id, reference) = ids[0].clone();
        for (action, choice) in [
            (crate::procedure::ActionKind::Acknowledge, ""),
            (crate::procedure::ActionKind::Transmit, crate::procedure::Manager::Qualification.code()),
            (crate::procedure::ActionKind::InformFirm, crate::procedure::Means::Phone.code()),
        ] {
            let f = crate::store::workflow::ActionForm {
                choice: choice.into(),
                text: "Appel.".into(),
                ..crate::store::workflow::ActionForm::of(action, "10/02/2021")
            };
            crate::store::workflow::perform(&mut conn, id, "S", &f, day(2021, 2, 10))?;
        }
        crate::test_support::decide_and_close(
            &mut conn,
            id,
            crate::procedure::Decision::Dismissed,
            "10/02/2021",
            day(2021, 2, 10),
        )?;
        let before = current(&conn, day(2021, 2, 11))?;
        crate::store::retention::purge_records(&mut conn, day(2026, 2, 10), "Sophie Martin", 1)?;
        let after = current(&conn, day(2026, 2, 10))?;
        assert_eq!(after.complaints, 1);
        assert_eq!(after.root, fresh_root(&conn)?);
        let check = verify(&conn, &before.short, day(2021, 2, 11))?;
        assert!(check.matches, "{}", check.message);
        assert!(check.message.contains("1 dossier(s) ont été purgés depuis"), "{}", check.message);
        assert!(verify(&conn, &after.short, day(2026, 2, 10))?.matches);
        // The purge trace is a leaf too: rewriting it is detected.
        conn.execute("UPDATE purged_complaints SET decision = 'founded' WHERE reference = ?1", params![reference])?;
        let check = verify(&conn, &after.short, day(2026, 2, 10))?;
        assert_eq!(check.differing, vec![reference.clone()]);
        // And a complaint deleted with a forged trace but no logged purge is not excused.
        let (other, other_ref) = ids[1].clone();
        let before_other = current(&conn, day(2026, 2, 11))?;
        conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        conn.execute(
            "INSERT INTO purged_complaints (reference, received_on, channel, addressed_to, complainant_role,
                 nature_services, nature_ethics, nature_mark_use, decision, committee_outcome, overrun_justified, purged_on)
             VALUES (?1, '2021-01-05', 'letter', 'secretariat', 'individual', 1, 0, 0, 'dismissed', '', 0, '2026-03-01')",
            params![other_ref],
        )?;
        conn.execute("DELETE FROM journal WHERE complaint_id = ?1", params![other])?;
        conn.execute("DELETE FROM complaints WHERE id = ?1", params![other])?;
        // (The trace rewritten above is still named.)
        assert_eq!(verify(&conn, &before_other.short, day(2026, 2, 11))?.differing, vec![reference, other_ref]);
        Ok(())
    }
}
