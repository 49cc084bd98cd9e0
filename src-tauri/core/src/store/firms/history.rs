//! A firm's history: each correction of the firm or of one of its qualifications, with the old
//! and new values, who, when and why, by hand or by an import. Append-only: the schema's triggers
//! refuse to change or delete a line.

use crate::error::Result;
use crate::store::{now_timestamp, read_rows};
use rusqlite::{params, Connection};
use serde::Serialize;

/// Who changes something, why, and through which import (`None`: by hand).
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub author: &'a str,
    pub reason: &'a str,
    pub import_id: Option<i64>,
}

/// One field changed: its French label, old and new values as shown to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub field: &'static str,
    pub old: String,
    pub new: String,
}

impl Change {
    pub fn of(field: &'static str, old: impl Into<String>, new: impl Into<String>) -> Option<Change> {
        let (old, new) = (old.into(), new.into());
        (old != new).then_some(Change { field, old, new })
    }
}

/// Writes `changes` to the history of `firm_id` (of one of its qualifications when given).
pub(crate) fn write(
    conn: &Connection,
    firm_id: i64,
    qualification_id: Option<i64>,
    changes: &[Change],
    by: By<'_>,
) -> Result<()> {
    let at = now_timestamp();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO firm_history (firm_id, qualification_id, at, author, field, old_value, new_value, reason, import_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for c in changes {
        stmt.execute(params![
            firm_id,
            qualification_id,
            at,
            by.author,
            c.field,
            c.old,
            c.new,
            by.reason,
            by.import_id
        ])?;
    }
    Ok(())
}

/// A line of the firm file's « Historique des modifications ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub at: String,
    pub author: String,
    /// « 2.1 Économie de la construction » when the line is about a qualification; else empty.
    pub qualification: String,
    pub field: String,
    pub old_value: String,
    pub new_value: String,
    pub reason: String,
    /// The imported file's name when the change came from an import; else empty.
    pub import_file: String,
}

/// The firm's history, newest first.
pub fn of_firm(conn: &Connection, firm_id: i64) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.id, h.at, h.author, coalesce(trim(q.reference || ' ' || q.label), ''), h.field, h.old_value, h.new_value,
                h.reason, coalesce(i.file_name, '')
         FROM firm_history h
         LEFT JOIN firm_qualifications q ON q.id = h.qualification_id
         LEFT JOIN firm_imports i ON i.id = h.import_id
         WHERE h.firm_id = ?1 ORDER BY h.id DESC",
    )?;
    read_rows(&mut stmt, params![firm_id], "firm_history", |r| {
        Ok(HistoryEntry {
            at: r.get(1)?,
            author: r.get(2)?,
            qualification: r.get(3)?,
            field: r.get(4)?,
            old_value: r.get(5)?,
            new_value: r.get(6)?,
            reason: r.get(7)?,
            import_file: r.get(8)?,
        })
    })
}
