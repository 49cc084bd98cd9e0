//! Which letters a complaint calls for now: those the procedure obliges it to send (see
//! [`crate::store::obligations`]), and the reminders and requests its clocks call for.

use crate::error::Result;
use crate::letters::kinds::LetterKind;
use crate::model::Step;
use crate::store::complaints::ComplaintDetail;
use crate::store::{obligations, settings};
use rusqlite::{params, Connection};

/// The letters a complaint calls for now, in the procedure's order.
pub fn offered(conn: &Connection, c: &ComplaintDetail) -> Result<Vec<LetterKind>> {
    use LetterKind as K;
    let clock = |code: &str| c.workflow.clocks.iter().find(|k| k.clock == code);
    let mut out: Vec<LetterKind> = Vec::new();
    let mut add = |k: LetterKind| {
        if !out.contains(&k) {
            out.push(k);
        }
    };
    match c.step {
        Step::Registered if c.missing_elements.is_empty() => add(K::Acknowledgement),
        Step::Registered | Step::AwaitingDetails => add(K::RequestDetails),
        _ => {}
    }
    for o in obligations::obligations(conn, c.id)? {
        if !o.legacy {
            add(o.letter);
        }
    }
    let overdue = |code: &str| c.workflow.clocks.iter().any(|k| k.clock == code && k.state == "overdue");
    if overdue("firm_answer") {
        add(K::FirmReminder);
    }
    if overdue("investigator_answer") {
        add(K::InvestigatorReminder);
    }
    if overdue("expert_report") {
        add(K::ExpertReminder);
    }
    if overdue("complainant_details") || overdue("complainant_info") {
        add(K::ComplainantReminder);
    }
    let (expert, hearing): (Option<i64>, Option<String>) =
        conn.query_row("SELECT expert_id, committee_hearing_on FROM complaints WHERE id = ?1", params![c.id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    if c.step == Step::Expertise && expert.is_some() {
        add(K::ExpertMission);
        if settings::expert_inform_parties(conn)? {
            add(K::ExpertInformationComplainant);
            add(K::ExpertInformationFirm);
        }
    }
    if c.step == Step::AppealsCommittee && hearing.is_some() {
        add(K::CommitteeConvocation);
    }
    if clock("complainant_info").is_some() {
        add(K::InformationRequest);
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
        // The firm's clock was stopped by the decision taken without waiting: no reminder.
        assert_eq!(
            offered,
            [
                K::Acknowledgement,
                K::FirmNotification,
                K::InvestigatorTransmission,
                K::WarningComplainant,
                K::WarningFirm,
                K::InformationRequest,
            ]
        );
        Ok(())
    }
}
