//! « Dossier du qualifié »: a firm with its qualifications, its complaints and every document
//! of its file.

use super::history::{self, HistoryEntry};
use super::qualifications::held;
use super::qualifications::QualificationStatus;
use super::scope::{standing, Standing, StatusFlags};
use super::{get, Qualification};
use crate::error::Result;
use crate::model::{Firm, Step};
use crate::procedure::Decision;
use crate::store::documents::{self, DocumentView};
use crate::store::{code_or_empty, read_rows};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

/// « Dossier du qualifié »: the firm, its qualifications, its complaints and its documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirmFile {
    pub firm: Firm,
    /// Its status today from the dated qualifications (or its declared flags).
    pub standing: Standing,
    /// Each correction of the firm or its qualifications, newest first.
    pub history: Vec<HistoryEntry>,
    pub qualifications: Vec<Qualification>,
    /// The appeals committee's statuses (suspended, withdrawn), one per qualification concerned,
    /// with their dates and the complaint; the firm file shows them beside each qualification.
    pub statuses: Vec<StatusView>,
    pub complaints: Vec<FirmComplaint>,
    pub documents: Vec<DocumentView>,
}

/// A qualification's status as the firm file shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusView {
    #[serde(flatten)]
    pub status: QualificationStatus,
    /// « suspendue du 01/06/2026 au 30/11/2026 (réclamation REC-2026-0001) ».
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirmComplaint {
    pub id: i64,
    pub reference: String,
    pub received_on: String,
    pub complainant: String,
    pub step_label: &'static str,
    pub decision_label: &'static str,
    pub closed_on: Option<String>,
}

/// The firm's file; its documents are those of every complaint about it.
pub fn firm_file(conn: &Connection, id: i64, today: NaiveDate) -> Result<FirmFile> {
    let firm = get(conn, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.reference, c.received_on, p.name, c.step, c.decision, c.closed_on
         FROM complaints c JOIN complainants p ON p.id = c.complainant_id
         WHERE c.firm_id = ?1 ORDER BY c.received_on DESC, c.id DESC",
    )?;
    let complaints = read_rows(&mut stmt, params![id], "complaints", |r| {
        let step: Step = r.get(4)?;
        let decision: Option<Decision> = code_or_empty(r, 5)?;
        Ok(FirmComplaint {
            id: r.get(0)?,
            reference: r.get(1)?,
            received_on: r.get(2)?,
            complainant: r.get(3)?,
            step_label: step.label(),
            decision_label: decision.map_or("", Decision::label),
            closed_on: r.get(6)?,
        })
    })?;
    let documents = documents::for_firm(conn, id)?;
    let (qualifications, mut found) = held(conn, id)?;
    let standing = standing(StatusFlags::of(&firm), &qualifications, &found, today);
    let statuses = qualifications
        .iter()
        .filter_map(|q| found.remove(&q.id))
        .map(|status| StatusView { text: status.text(), status })
        .collect();
    let history = history::of_firm(conn, id)?;
    Ok(FirmFile { firm, standing, history, qualifications, statuses, complaints, documents })
}
