//! Which letters a complaint calls for now, from its step, its clocks and what was decided.

use crate::error::Result;
use crate::letters::kinds::LetterKind;
use crate::model::Step;
use crate::store::complaints::ComplaintDetail;
use crate::store::{code_or_empty, corrupt_row};
use crate::workflow::Decision;
use rusqlite::{params, Connection};

/// The letters a complaint calls for now, in the procedure's order.
pub fn offered(conn: &Connection, c: &ComplaintDetail) -> Result<Vec<LetterKind>> {
    use LetterKind as K;
    let (decision, outcome, justified, reason): (Option<Decision>, String, bool, String) = conn
        .query_row(
            "SELECT decision, committee_outcome, overrun_justification <> '', inadmissible_reason FROM complaints WHERE id = ?1",
            params![c.id],
            |r| Ok((code_or_empty(r, 0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map_err(corrupt_row("complaints", c.id))?;
    let clock = |code: &str| c.workflow.clocks.iter().find(|k| k.clock == code);
    let mut out = Vec::new();
    match c.step {
        Step::Registered if c.missing_elements.is_empty() => out.push(K::Acknowledgement),
        Step::Registered | Step::AwaitingDetails => out.push(K::RequestDetails),
        Step::Complete => out.push(K::Acknowledgement),
        _ => {}
    }
    if !reason.is_empty() {
        out.push(K::Inadmissible);
    }
    if let Some(firm) = clock("firm_answer") {
        out.push(K::FirmNotification);
        if firm.state == "overdue" {
            out.push(K::FirmReminder);
        }
    }
    if clock("complainant_info").is_some() {
        out.push(K::InformationRequest);
    }
    if clock("investigator_answer").is_some() {
        out.push(K::InvestigatorTransmission);
    }
    if let Some(d) = decision {
        out.extend(LetterKind::for_decision(d));
    }
    if !outcome.is_empty() {
        out.extend([K::CommitteeOutcomeComplainant, K::CommitteeOutcomeFirm]);
    }
    if justified {
        out.extend([K::OverrunComplainant, K::OverrunFirm]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::complaints;
    use crate::store::letters::tests::{day, decided};

    #[test]
    fn the_letters_offered_follow_the_file() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let c = complaints::get(&conn, id, day(2026, 4, 30))?;
        let offered = offered(&conn, &c)?;
        use LetterKind as K;
        assert_eq!(
            offered,
            [
                K::FirmNotification,
                K::FirmReminder,
                K::InformationRequest,
                K::InvestigatorTransmission,
                K::WarningComplainant,
                K::WarningFirm
            ]
        );
        Ok(())
    }
}
