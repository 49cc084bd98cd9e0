//! The complaint page as one read model: the complaint with its workflow (obligations derived
//! once), and its letters card (what is offered, the documents, the email addresses). The page
//! reads it once, and an action answers with it, so the UI never reads the complaint twice.

use crate::error::Result;
use crate::letters::kinds::LetterKind;
use crate::store::complaints::{self, ComplaintDetail};
use crate::store::documents::{self, DocumentView};
use crate::store::letters;
use crate::store::workflow::{self, ActionForm};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// A letter the file calls for now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offered {
    pub code: &'static str,
    pub label: &'static str,
    pub recipient_label: &'static str,
    /// The letter of this kind already made and not sent: the button says « Régénérer », and
    /// the new one replaces it (it stays archived, marked « remplacé »).
    pub existing: Option<letters::Replaced>,
    /// `investigator`: the letter is addressed to an instructeur chosen for it (the
    /// transmission, before the file has one).
    pub chooses: Option<&'static str>,
}

/// What the complaint page shows in « Courriers ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LettersView {
    pub offered: Vec<Offered>,
    pub documents: Vec<DocumentView>,
    /// For each unsent letter whose recipient has an email address: that address.
    pub email_recipients: BTreeMap<i64, String>,
}

/// Everything the complaint page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintPage {
    pub complaint: ComplaintDetail,
    pub letters: LettersView,
}

/// The page of complaint `id` on `today`.
pub fn read(conn: &Connection, id: i64, today: NaiveDate) -> Result<ComplaintPage> {
    let complaint = complaints::get(conn, id, today)?;
    let documents = documents::documents(conn, id)?;
    let mut offered = Vec::new();
    for k in letters::offered(&complaint) {
        // A letter whose every obligation is met was sent: not offered again (a reminder or a
        // request for information may be owed again, and is offered while its clock calls for it).
        let obligations: Vec<_> = complaint.workflow.obligations.iter().filter(|o| o.letter == k.code()).collect();
        if !obligations.is_empty() && obligations.iter().all(|o| o.met) {
            continue;
        }
        // Read from the documents the card lists: no statement more per letter.
        let existing = documents
            .iter()
            .filter(|d| d.kind == k.code() && d.direction == "out" && d.sent_on.is_none() && d.superseded.is_empty())
            .max_by_key(|d| d.id)
            .map(|d| letters::Replaced { document_id: d.id, created_on: d.created_on.clone() });
        let chooses = (k == LetterKind::InvestigatorTransmission && complaint.step == crate::model::Step::FirmInformed)
            .then_some("investigator");
        offered.push(Offered {
            code: k.code(),
            label: k.label(),
            recipient_label: k.recipient().label(),
            existing,
            chooses,
        });
    }
    let letters = LettersView { offered, documents, email_recipients: letters::email_recipients(conn, id)? };
    Ok(ComplaintPage { complaint, letters })
}

/// Performs an action ([`workflow::perform`]) and answers with the page as it now is.
pub fn perform(
    conn: &mut Connection,
    id: i64,
    author: &str,
    form: &ActionForm,
    today: NaiveDate,
) -> Result<ComplaintPage> {
    workflow::perform(conn, id, author, form, today)?;
    read(conn, id, today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::letters::kinds::LetterKind;
    use crate::procedure::ActionKind;
    use crate::store::complaints::{self, tests::sample_complaint};
    use crate::test_support::{fonts, form};
    use rusqlite::trace::{TraceEvent, TraceEventCodes};
    use std::sync::{Arc, Mutex};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Runs `f` and returns the SQL statements it ran (triggers' own statements aside).
    fn statements<T>(conn: &mut Connection, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<Vec<String>> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        conn.trace_v2(
            TraceEventCodes::SQLITE_TRACE_STMT,
            Some(move |e: TraceEvent<'_>| {
                if let TraceEvent::Stmt(_, sql) = e {
                    if !sql.starts_with("--") {
                        if let Ok(mut v) = sink.lock() {
                            v.push(sql.split_whitespace().collect::<Vec<_>>().join(" "));
                        }
                    }
                }
            }),
        )?;
        let out = f(conn);
        conn.trace_v2(TraceEventCodes::empty(), None::<fn(TraceEvent<'_>)>)?;
        out?;
        let list = seen.lock().map(|v| v.clone()).unwrap_or_default();
        Ok(list)
    }

    /// « Informer le qualifié » and the page it answers with: one read of the complaint, the
    /// obligations derived once (docs/PERFORMANCE.md).
    #[test]
    fn an_action_and_its_page_cost_at_most_forty_statements() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut intake = sample_complaint();
        intake.received_on = "02/03/2026".into();
        let id = complaints::register(&mut conn, &intake, day(2026, 3, 2), "S")?.id;
        let today = day(2026, 3, 4);
        workflow::perform(&mut conn, id, "S", &ActionForm::of(ActionKind::Acknowledge, "02/03/2026"), today)?;
        let transmit = form(ActionKind::Transmit, "03/03/2026", &[("choice", "qualification")]);
        workflow::perform(&mut conn, id, "S", &transmit, today)?;
        let alone = statements(&mut conn, |c| read(c, id, today))?;
        let inform = form(ActionKind::InformFirm, "04/03/2026", &[("choice", "phone"), ("text", "Appel au gérant.")]);
        let both = statements(&mut conn, |c| perform(c, id, "S", &inform, today))?;
        eprintln!("page read: {} statements; action and page: {}", alone.len(), both.len());
        assert!(both.len() <= 40, "{} statements:\n{}", both.len(), both.join("\n"));
        assert!(alone.len() <= 25, "{} statements:\n{}", alone.len(), alone.join("\n"));
        let page = read(&conn, id, today)?;
        assert_eq!(page.complaint.step, crate::model::Step::FirmInformed);
        // More letters, sent or not, cost no more statements to show.
        let dir = tempfile::tempdir()?;
        for kind in [LetterKind::Acknowledgement, LetterKind::FirmNotification] {
            letters::generate(&mut conn, dir.path(), fonts(), id, kind, None, today, "S")?;
        }
        crate::test_support::send_letter(&mut conn, id, LetterKind::FirmReminder, "04/03/2026")?;
        let later = statements(&mut conn, |c| read(c, id, today))?;
        assert_eq!(later.len(), alone.len(), "{}", later.join("\n"));
        assert_eq!(read(&conn, id, today)?.letters.documents.len(), 3);
        Ok(())
    }
}
