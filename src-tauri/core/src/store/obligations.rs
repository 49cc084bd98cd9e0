//! Loads what the procedure's obligations are decided on ([`crate::procedure::obligations`]):
//! a file's facts and its outgoing letters, in three reads, into a [`Ledger`] that the page, the
//! workflow and the letters then ask without reading again.

use crate::error::{Error, Result};
use crate::letters::kinds::LetterKind;
use crate::model::{SendMode, Step};
use crate::procedure::obligations::{DecisionFact, Facts, Ledger, Letter};
use crate::store::corrupt_row;
use crate::store::decisions::Decided;
use rusqlite::{params, Connection, OptionalExtension};

pub use crate::procedure::obligations::{Obligation, ObligationView};

/// The facts of complaint `id` its obligations depend on.
fn facts(conn: &Connection, id: i64) -> Result<Facts> {
    type Row = (Step, [bool; 14], Option<String>);
    // Cached: the dashboard asks it for every decided file not yet closed.
    let (step, b, details_due): Row = conn
        .prepare_cached(
            "SELECT step, legacy_obligations, reply_by_email, inadmissible_reason <> '', overrun_justification <> '',
                    has_complainant_details * has_firm_details * has_facts * has_actions_taken = 0,
                    expert_id IS NOT NULL, committee_hearing_on IS NOT NULL, channel = 'email',
                    EXISTS (SELECT 1 FROM deadlines WHERE complaint_id = c.id AND clock = 'complainant_details'),
                    EXISTS (SELECT 1 FROM journal WHERE complaint_id = c.id
                            AND step_from = 'awaiting_details' AND step_to = 'closed'),
                    EXISTS (SELECT 1 FROM deadlines k JOIN documents d ON d.id = k.document_id
                            WHERE k.complaint_id = c.id AND k.clock = 'firm_answer' AND d.kind = 'firm_notification'),
                    EXISTS (SELECT 1 FROM deadlines WHERE complaint_id = c.id AND clock = 'investigator_answer'),
                    firm_corrected_on IS NOT NULL, register_import_id IS NOT NULL,
                    (SELECT max(due_on) FROM deadlines WHERE complaint_id = c.id AND clock = 'complainant_details'
                            AND stopped_on IS NULL)
             FROM complaints c WHERE c.id = ?1",
        )?
        .query_row(params![id], |r| {
            let mut b = [false; 14];
            for (i, v) in b.iter_mut().enumerate() {
                *v = r.get(i + 1)?;
            }
            Ok((r.get(0)?, b, r.get(15)?))
        })
        .optional()
        .map_err(corrupt_row("complaints", id))?
        .ok_or(Error::NotFound { what: "La réclamation", id })?;
    let [legacy, reply_by_email, inadmissible, overrun_reason, incomplete, expert, hearing, by_email, details_asked, closed_for_lack, informed_by_letter, investigator, firm_corrected, imported] =
        b;
    let mut stmt =
        conn.prepare_cached("SELECT id, kind, legacy FROM decisions WHERE complaint_id = ?1 ORDER BY seq")?;
    let decisions = stmt
        .query_map(params![id], |r| {
            let kind: String = r.get(1)?;
            Ok(DecisionFact { id: r.get(0)?, decided: Decided::from_code(&kind), legacy: r.get(2)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Facts {
        step: Some(step),
        expert,
        hearing,
        // The parties are told of the expert unless the settings say otherwise.
        inform_of_expert: expert && crate::store::settings::expert_inform_parties(conn)?,
        legacy,
        imported,
        reply_by_email,
        by_email,
        inadmissible,
        overrun_reason,
        incomplete,
        details_asked,
        closed_for_lack,
        details_due: details_due.as_deref().and_then(crate::validate::parse_date),
        informed_by_letter,
        investigator,
        firm_corrected,
        decisions,
    })
}

/// The outgoing letters of complaint `id`, oldest first.
fn letters(conn: &Connection, id: i64) -> Result<Vec<Letter>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, decision_id, sent_on, send_mode, registered_number, ar_returned_on FROM documents
         WHERE complaint_id = ?1 AND direction = 'out' AND superseded = '' ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![id], |r| {
            let kind: String = r.get(1)?;
            let mode: String = r.get(4)?;
            Ok(Letter {
                id: r.get(0)?,
                kind: LetterKind::from_code(&kind),
                decision_id: r.get(2)?,
                sent_on: r.get(3)?,
                mode: SendMode::from_code(&mode),
                number: r.get(5)?,
                ar_on: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The obligations of complaint `id` and where each stands.
pub fn ledger(conn: &Connection, id: i64) -> Result<Ledger> {
    Ok(Ledger::new(&facts(conn, id)?, &letters(conn, id)?))
}

/// The checklist of the complaint page.
pub fn checklist(conn: &Connection, id: i64) -> Result<Vec<ObligationView>> {
    Ok(ledger(conn, id)?.checklist())
}
