//! Which letters a complaint calls for now: those the procedure obliges it to send (see
//! [`crate::store::obligations`]), and the reminders and requests its clocks call for.

use crate::error::Result;
use crate::letters::kinds::LetterKind;
use crate::model::Step;
use crate::store::complaints::ComplaintDetail;
use crate::store::obligations;
use rusqlite::Connection;

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
    if clock("firm_answer").is_some_and(|f| f.state == "overdue") {
        add(K::FirmReminder);
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
