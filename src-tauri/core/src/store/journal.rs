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
use std::collections::hash_map::Entry;

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

/// An entry's fields as its hash covers them, as bytes (what a text column holds).
struct Hashed<'a> {
    complaint_id: i64,
    seq: i64,
    kind: &'a [u8],
    occurred_on: &'a [u8],
    recorded_at: &'a [u8],
    author: &'a [u8],
    summary: &'a [u8],
    details: &'a [u8],
    participants: &'a [u8],
    step_from: Option<&'a [u8]>,
    step_to: Option<&'a [u8]>,
    corrects: Option<i64>,
    document: Option<i64>,
    prev_hash: &'a [u8],
}

/// An integer's decimal digits, written into `buf` (no allocation: the register's check
/// hashes a million entries).
fn decimal(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    use std::io::Write;
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    // 20 bytes hold any i64 (« -9223372036854775808 »).
    let _ = write!(cursor, "{n}");
    let len = usize::try_from(cursor.position()).unwrap_or(0);
    &buf[..len]
}

impl Hashed<'_> {
    fn digest(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        let (mut id, mut seq, mut corrects, mut document) = ([0u8; 20], [0u8; 20], [0u8; 20], [0u8; 20]);
        // Each field is length-prefixed so that no two different entries hash alike.
        for part in [
            decimal(self.complaint_id, &mut id),
            decimal(self.seq, &mut seq),
            self.kind,
            self.occurred_on,
            self.recorded_at,
            self.author,
            self.summary,
            self.details,
            self.participants,
            self.step_from.unwrap_or_default(),
            self.step_to.unwrap_or_default(),
            self.corrects.map_or(&[][..], |n| decimal(n, &mut corrects)),
            self.document.map_or(&[][..], |n| decimal(n, &mut document)),
            self.prev_hash,
        ] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        h.finalize().into()
    }

    fn hash(&self) -> String {
        hex::encode(self.digest())
    }

    /// Whether `stored` (lower-case hex) is this entry's hash.
    fn is(&self, stored: &[u8]) -> bool {
        let mut hex = [0u8; 64];
        hex::encode_to_slice(self.digest(), &mut hex).is_ok() && hex[..] == *stored
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
        kind: entry.kind.code().as_bytes(),
        occurred_on: occurred_on.as_bytes(),
        recorded_at: recorded_at.as_bytes(),
        author: entry.author.as_bytes(),
        summary: entry.summary.as_bytes(),
        details: entry.details.as_bytes(),
        participants: entry.participants.as_bytes(),
        step_from: entry.step_from.map(|s| s.code().as_bytes()),
        step_to: entry.step_to.map(|s| s.code().as_bytes()),
        corrects: entry.corrects,
        document: entry.document,
        prev_hash: prev_hash.as_bytes(),
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
            entry.step_from.map(Step::code),
            entry.step_to.map(Step::code),
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
/// still hashes to what is stored. The columns are read in place, as bytes (no copy, no UTF-8
/// check: the hash covers the bytes): « Vérifier le registre » goes through every entry.
fn link<'r>(
    r: &'r Row<'_>,
    complaint_id: i64,
    expected_seq: i64,
    expected_prev: &[u8],
) -> rusqlite::Result<(i64, &'r [u8], bool)> {
    let seq: i64 = r.get(0)?;
    let stored_prev = bytes(r, 9)?;
    let stored_hash = bytes(r, 10)?;
    if seq != expected_seq || stored_prev != expected_prev {
        return Ok((seq, stored_hash, false));
    }
    let entry = Hashed {
        complaint_id,
        seq,
        kind: bytes(r, 1)?,
        occurred_on: bytes(r, 2)?,
        recorded_at: bytes(r, 3)?,
        author: bytes(r, 4)?,
        summary: bytes(r, 5)?,
        details: bytes(r, 6)?,
        participants: bytes(r, 11)?,
        step_from: r.get_ref(7)?.as_bytes_or_null().map_err(|e| conversion(7, e))?,
        step_to: r.get_ref(8)?.as_bytes_or_null().map_err(|e| conversion(8, e))?,
        corrects: r.get(12)?,
        document: r.get(13)?,
        prev_hash: stored_prev,
    };
    Ok((seq, stored_hash, entry.is(stored_hash)))
}

/// A text column's bytes, borrowed from the row.
fn bytes<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r [u8]> {
    r.get_ref(i)?.as_bytes().map_err(|e| conversion(i, e))
}

fn conversion(i: usize, e: rusqlite::types::FromSqlError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
}

/// Recomputes a complaint's chain; returns the sequence number of the first entry that does
/// not match (edited, reordered or with a missing predecessor), or `None` when all is intact.
pub fn first_broken(conn: &Connection, complaint_id: i64) -> Result<Option<i64>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {CHAIN_COLUMNS} FROM journal WHERE complaint_id = ?1 ORDER BY seq"))?;
    let mut rows = stmt.query(params![complaint_id])?;
    let mut expected_prev = GENESIS.as_bytes().to_vec();
    let mut expected_seq = 1;
    while let Some(r) = rows.next()? {
        let (seq, stored_hash, follows) = link(r, complaint_id, expected_seq, &expected_prev)?;
        if !follows {
            return Ok(Some(seq));
        }
        expected_prev.clear();
        expected_prev.extend_from_slice(stored_hash);
        expected_seq += 1;
    }
    Ok(None)
}

/// A map keyed by complaint id, hashed by one multiplication of the id rather than SipHash:
/// « Vérifier le registre » looks up the complaint of each of a million entries, twice. The
/// ids are the register's own, so the slower hash's defence against chosen keys buys nothing.
pub type IdMap<V> = std::collections::HashMap<i64, V, std::hash::BuildHasherDefault<IdHasher>>;

/// The chains a walk is asked for: complaint id → the sequence numbers whose stored hash is
/// wanted, sorted.
pub type Wanted = IdMap<Vec<i64>>;

/// The hasher of [`IdMap`].
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_i64(&mut self, n: i64) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// One complaint's chain as [`walk_chains`] found it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Chain {
    pub complaint_id: i64,
    /// What [`first_broken`] says of it.
    pub first_broken: Option<i64>,
    /// (sequence number, stored hash) of the entries asked for that exist, in order.
    pub hashes: Vec<(i64, String)>,
}

impl Chain {
    /// The stored hash of entry `seq`, if it was asked for and exists.
    pub fn hash_at(&self, seq: i64) -> Option<&str> {
        self.hashes.binary_search_by_key(&seq, |(s, _)| *s).ok().map(|i| self.hashes[i].1.as_str())
    }
}

/// A chain being walked through a part of the journal: where it began in that part, the next
/// entry expected, and what was found so far.
struct Walk {
    chain: Chain,
    /// The sequence number and stored previous hash of the chain's first entry in the part:
    /// [`stitch`] checks them against the end of the chain in the parts before.
    first_seq: i64,
    first_prev: Vec<u8>,
    expected_seq: i64,
    expected_prev: Vec<u8>,
    /// An entry came out of sequence order: judged by [`first_broken`] instead.
    astray: bool,
}

/// The chains of the complaints of `wanted` (complaint id → the sequence numbers whose stored
/// hash is wanted, sorted), recomputed in one read of the whole journal in storage order,
/// where [`first_broken`] is one query per complaint, reading each entry through the
/// (complaint, sequence) index: « Vérifier le registre » goes through a million entries. The
/// entries of a chain are stored in the order they were appended, so each chain is walked in
/// sequence order; a chain whose entries come in another order (rows deleted or re-inserted
/// outside the app) is checked by [`first_broken`] itself, so the answer is the same either
/// way. Complaints without entries are not in the result. `progress(fraction)` follows the
/// read, from 0 to 1.
pub fn walk_chains(conn: &Connection, wanted: &Wanted, progress: &mut dyn FnMut(f64)) -> Result<Vec<Chain>> {
    let last = last_id(conn)?;
    let whole = mapped(conn, || walk_part(conn, wanted, 0, last, progress))?;
    finish(conn, wanted, stitch(vec![whole]))
}

/// [`walk_chains`] on both cores: the upper half of the journal (by entry id, which is its
/// storage order) is read on a second, read-only connection to the database at `path`, on a
/// thread of its own, while `conn` reads the lower half; the chains that span both halves are
/// joined where they meet (the first entry of the upper half must follow the last of the lower
/// half). Same answer as [`walk_chains`] (tested). Both halves stop at the last entry `conn`
/// sees: the journal only grows, so what the second connection reads below it is what `conn`
/// reads. `progress` follows the lower half.
pub fn walk_chains_in_two(
    conn: &Connection,
    path: &std::path::Path,
    wanted: &Wanted,
    progress: &mut dyn FnMut(f64),
) -> Result<Vec<Chain>> {
    Ok(walk_in_two_meanwhile(conn, path, wanted, || Ok(()), progress)?.0)
}

/// [`walk_chains_in_two`] with the halves meeting after entry `middle` (the tests' choice).
#[cfg(test)]
pub(crate) fn walk_in_two_at(
    conn: &Connection,
    path: &std::path::Path,
    middle: i64,
    last: i64,
    wanted: &Wanted,
    progress: &mut dyn FnMut(f64),
) -> Result<Vec<Chain>> {
    Ok(walk_halves(conn, path, middle, last, wanted, || Ok(()), progress)?.0)
}

/// [`walk_chains_in_two`], this thread running `meanwhile` (the caller's own reading) while
/// the second connection already walks the upper half; returns what `meanwhile` gave too.
pub fn walk_in_two_meanwhile<T>(
    conn: &Connection,
    path: &std::path::Path,
    wanted: &Wanted,
    meanwhile: impl FnOnce() -> Result<T>,
    progress: &mut dyn FnMut(f64),
) -> Result<(Vec<Chain>, T)> {
    let last = last_id(conn)?;
    walk_halves(conn, path, last / 2, last, wanted, meanwhile, progress)
}

fn walk_halves<T>(
    conn: &Connection,
    path: &std::path::Path,
    middle: i64,
    last: i64,
    wanted: &Wanted,
    meanwhile: impl FnOnce() -> Result<T>,
    progress: &mut dyn FnMut(f64),
) -> Result<(Vec<Chain>, T)> {
    let (parts, mine) = std::thread::scope(|scope| -> Result<(Vec<IdMap<Walk>>, T)> {
        let upper = scope.spawn(|| {
            let reader = read_only(path)?;
            mapped(&reader, || walk_part(&reader, wanted, middle, last, &mut |_| {}))
        });
        let mine = meanwhile()?;
        let lower = mapped(conn, || walk_part(conn, wanted, 0, middle, progress))?;
        Ok((vec![lower, joined(upper)?], mine))
    })?;
    Ok((finish(conn, wanted, stitch(parts))?, mine))
}

/// A second, read-only connection to the database at `path`.
fn read_only(path: &std::path::Path) -> Result<Connection> {
    let reader = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    reader.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(reader)
}

fn joined<T>(walker: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    walker.join().unwrap_or_else(|_| Err(interrupted()))
}

fn interrupted() -> Error {
    Error::field("journal", "La vérification du journal a été interrompue.")
}

pub(crate) fn last_id(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM journal", [], |r| r.get(0))?)
}

/// `read` with the database's pages read through a memory map rather than by one `pread` and
/// one copy each (a tenth of the check's profile at 100 000 complaints, though the time saved
/// is nearer 2 %); the connection's own setting is put back. An in-memory database has no map:
/// the pragma gives no row there.
fn mapped<T>(conn: &Connection, read: impl FnOnce() -> Result<T>) -> Result<T> {
    let before: i64 = conn.query_row("PRAGMA mmap_size", [], |r| r.get(0)).optional()?.unwrap_or(0);
    conn.execute_batch(&format!("PRAGMA mmap_size = {WALK_MMAP}"))?;
    let read = read();
    let restored = conn.execute_batch(&format!("PRAGMA mmap_size = {before}"));
    let read = read?;
    restored?;
    Ok(read)
}

/// The memory map asked for while the journal is walked (SQLite caps it at its own limit).
const WALK_MMAP: i64 = 4 << 30;

/// The entries with `after < id <= last`, in storage order, each chain of `wanted` walked from
/// its first entry there (whose link to the entries before is checked by [`stitch`]).
fn walk_part(
    conn: &Connection,
    wanted: &Wanted,
    after: i64,
    last: i64,
    progress: &mut dyn FnMut(f64),
) -> Result<IdMap<Walk>> {
    let mut walks: IdMap<Walk> = IdMap::with_capacity_and_hasher(wanted.len(), Default::default());
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {CHAIN_COLUMNS}, id FROM journal WHERE id > ?1 AND id <= ?2"))?;
    let mut rows = stmt.query(params![after, last])?;
    let span = (last - after).max(1) as f64;
    let mut read = 0u32;
    while let Some(r) = rows.next()? {
        read = read.wrapping_add(1);
        if read.is_multiple_of(16_384) {
            progress((r.get::<_, i64>(15)? - after) as f64 / span);
        }
        let complaint_id: i64 = r.get(14)?;
        let Some(seqs) = wanted.get(&complaint_id) else { continue };
        let seq: i64 = r.get(0)?;
        let w = match walks.entry(complaint_id) {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => {
                let first_prev = bytes(r, 9)?.to_vec();
                v.insert(Walk {
                    chain: Chain { complaint_id, ..Chain::default() },
                    first_seq: seq,
                    expected_prev: first_prev.clone(),
                    first_prev,
                    expected_seq: seq,
                    astray: false,
                })
            }
        };
        if w.astray {
            continue;
        }
        if seq != w.expected_seq {
            w.astray = true;
            continue;
        }
        let stored_hash = if w.chain.first_broken.is_none() {
            let (_, stored_hash, follows) = link(r, complaint_id, seq, &w.expected_prev)?;
            if !follows {
                w.chain.first_broken = Some(seq);
            }
            stored_hash
        } else {
            bytes(r, 10)?
        };
        if seqs.binary_search(&seq).is_ok() {
            w.chain.hashes.push((seq, String::from_utf8_lossy(stored_hash).into_owned()));
        }
        w.expected_prev.clear();
        w.expected_prev.extend_from_slice(stored_hash);
        w.expected_seq += 1;
    }
    progress(1.0);
    Ok(walks)
}

/// The parts' walks joined in storage order: a chain must begin with entry 1 after the
/// genesis, and each part's first entry of a chain must follow the chain's last entry in the
/// parts before; the first break found, in sequence order, is the chain's.
fn stitch(parts: Vec<IdMap<Walk>>) -> IdMap<Walk> {
    let mut parts = parts.into_iter();
    // The first part is the whole so far: its chains only have to begin well.
    let mut whole = parts.next().unwrap_or_default();
    whole.values_mut().for_each(begins);
    for part in parts {
        for (id, mut w) in part {
            let Some(before) = whole.get_mut(&id) else {
                begins(&mut w);
                whole.insert(id, w);
                continue;
            };
            if before.astray {
                continue;
            }
            if w.astray || w.first_seq != before.expected_seq {
                before.astray = true;
                continue;
            }
            if before.chain.first_broken.is_none() {
                before.chain.first_broken =
                    if w.first_prev != before.expected_prev { Some(w.first_seq) } else { w.chain.first_broken };
            }
            before.chain.hashes.append(&mut w.chain.hashes);
            before.expected_seq = w.expected_seq;
            before.expected_prev = w.expected_prev;
        }
    }
    whole
}

/// A chain first met in a part: it must begin there with entry 1, after the genesis.
fn begins(w: &mut Walk) {
    if !w.astray && w.first_seq != 1 {
        w.astray = true;
    } else if w.first_prev != GENESIS.as_bytes() {
        w.chain.first_broken = Some(1);
    }
}

/// The walked chains as the caller sees them: an astray chain checked by [`first_broken`],
/// its wanted hashes read by sequence number; sorted by complaint.
fn finish(conn: &Connection, wanted: &Wanted, walks: IdMap<Walk>) -> Result<Vec<Chain>> {
    let mut hashes = conn.prepare_cached("SELECT seq, hash FROM journal WHERE complaint_id = ?1 ORDER BY seq")?;
    let mut out = Vec::with_capacity(walks.len());
    for (id, w) in walks {
        if !w.astray {
            out.push(w.chain);
            continue;
        }
        let seqs = wanted.get(&id).map(Vec::as_slice).unwrap_or_default();
        let stored = hashes.query_map(params![id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut chain = Chain { complaint_id: id, first_broken: first_broken(conn, id)?, hashes: Vec::new() };
        for row in stored {
            let (seq, hash) = row?;
            if seqs.binary_search(&seq).is_ok() {
                chain.hashes.push((seq, hash));
            }
        }
        out.push(chain);
    }
    out.sort_by_key(|c| c.complaint_id);
    Ok(out)
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
