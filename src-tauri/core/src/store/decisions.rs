//! The `decisions` table: every decision taken on a complaint, the appeals committee's
//! included, append-only like the journal (a new decision after an expert is a new row). The
//! latest one is copied into the complaint's columns that statistics and search read.

use crate::error::Result;
use crate::french::format_fr;
use crate::letters::kinds::LetterKind;
use crate::procedure::Decider;
use crate::store::{now_timestamp, read_rows};
use crate::validate::parse_date;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

pub use crate::procedure::obligations::Decided;

/// A decision about to be recorded.
pub(crate) struct NewDecision<'a> {
    pub decided: Decided,
    pub by: Decider,
    pub decider_name: &'a str,
    pub on: NaiveDate,
    pub reasons_complainant: &'a str,
    pub reasons_firm: &'a str,
    pub scope: &'a str,
    pub waiver: &'a str,
}

/// Appends a decision; returns its id.
pub(crate) fn append(conn: &Connection, complaint_id: i64, d: &NewDecision<'_>, author: &str) -> Result<i64> {
    let seq: i64 = conn.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM decisions WHERE complaint_id = ?1",
        params![complaint_id],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO decisions (complaint_id, seq, kind, decided_by, decider_name, decided_on, reasons_complainant,
                                reasons_firm, scope, waiver, recorded_at, author)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            complaint_id,
            seq,
            d.decided.code(),
            d.by,
            d.decider_name,
            d.on.to_string(),
            d.reasons_complainant,
            d.reasons_firm,
            d.scope,
            d.waiver,
            now_timestamp(),
            author
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A stored decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionRow {
    pub id: i64,
    pub seq: i64,
    pub kind: String,
    pub kind_label: &'static str,
    pub decided_by: &'static str,
    /// « Responsable des Certifications », « Instructeur : Paul Bernard ».
    pub decided_by_label: String,
    pub decided_on: String,
    pub reasons_complainant: String,
    pub reasons_firm: String,
    pub scope: String,
    pub waiver: String,
    /// Recorded before the obligations were checked (schema 2).
    pub legacy: bool,
    pub is_committee: bool,
    /// The latest decision: the one statistics count.
    pub is_final: bool,
    /// « 20/04/2026 ».
    pub date_label: String,
}

impl DecisionRow {
    pub fn decided(&self) -> Option<Decided> {
        Decided::from_code(&self.kind)
    }
}

/// A complaint's decisions, oldest first.
pub fn list(conn: &Connection, complaint_id: i64) -> Result<Vec<DecisionRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.seq, d.kind, d.decided_by, d.decider_name, d.decided_on, d.reasons_complainant,
                d.reasons_firm, d.scope, d.waiver, d.legacy, c.register_import_id IS NOT NULL
         FROM decisions d JOIN complaints c ON c.id = d.complaint_id WHERE d.complaint_id = ?1 ORDER BY d.seq",
    )?;
    let mut rows = read_rows(&mut stmt, params![complaint_id], "decisions", |r| {
        let kind: String = r.get(2)?;
        let by: Decider = r.get(3)?;
        let name: String = r.get(4)?;
        let on: String = r.get(5)?;
        let decided = Decided::from_code(&kind);
        let legacy: bool = r.get(10)?;
        let imported: bool = r.get(11)?;
        Ok(DecisionRow {
            id: r.get(0)?,
            seq: r.get(1)?,
            kind_label: decided.map_or("", Decided::label),
            is_committee: matches!(decided, Some(Decided::Committee(_))),
            kind,
            decided_by: by.code(),
            decided_by_label: match (name.is_empty(), by, legacy && imported) {
                // The old register says what was decided, not by whom.
                (_, Decider::Unknown, true) => "Non indiqué (ancien registre)".to_owned(),
                (true, ..) => by.label().to_owned(),
                (false, ..) => format!("{} : {name}", by.label()),
            },
            date_label: parse_date(&on).map(format_fr).unwrap_or_default(),
            decided_on: on,
            reasons_complainant: r.get(6)?,
            reasons_firm: r.get(7)?,
            scope: r.get(8)?,
            waiver: r.get(9)?,
            legacy,
            is_final: false,
        })
    })?;
    if let Some(last) = rows.last_mut() {
        last.is_final = true;
    }
    Ok(rows)
}

/// The latest decision, if any.
pub fn latest(conn: &Connection, complaint_id: i64) -> Result<Option<DecisionRow>> {
    Ok(list(conn, complaint_id)?.pop())
}

/// The decision a letter of `kind` announces: the latest one whose letters include it.
pub(crate) fn announced_by(conn: &Connection, complaint_id: i64, kind: LetterKind) -> Result<Option<i64>> {
    Ok(list(conn, complaint_id)?
        .into_iter()
        .rev()
        .find(|d| d.decided().is_some_and(|x| x.letters().contains(&kind)))
        .map(|d| d.id))
}
