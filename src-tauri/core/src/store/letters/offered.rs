//! Which letters a complaint calls for now: those the procedure obliges it to send (see
//! [`crate::store::obligations`]), and the reminders and requests its clocks call for.

use crate::letters::kinds::LetterKind;
use crate::model::Step;
use crate::store::complaints::ComplaintDetail;

/// The letters a complaint calls for now, in the procedure's order.
pub fn offered(c: &ComplaintDetail) -> Vec<LetterKind> {
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
    // The file can go to an instructeur: his transmission letter, addressed to the one chosen
    // for it, passes him the file when it is sent.
    if c.step == Step::FirmInformed {
        add(K::InvestigatorTransmission);
    }
    // The obligations as the page read them: not derived again; one not owed yet (« à venir »)
    // is not offered.
    for o in c.workflow.obligations.iter().filter(|o| !o.legacy && o.state != "upcoming") {
        if let Some(letter) = LetterKind::from_code(o.letter) {
            add(letter);
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
    // The expert's and the committee's letters are obligations, offered above.
    if clock("complainant_info").is_some() {
        add(K::InformationRequest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::error::Result;
    use crate::store::clocks::Clock;
    use crate::store::complaints;
    use crate::store::complaints::tests::sample_complaint;
    use crate::store::letters::tests::{day, decided};
    use crate::store::settings;
    use chrono::NaiveDate;
    use rusqlite::{params, Connection};

    #[test]
    fn the_letters_offered_follow_the_file() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let c = complaints::get(&conn, id, day(2026, 4, 30))?;
        let offered = offered(&c);
        use LetterKind as K;
        // The firm's clock was stopped by the decision taken without waiting: no reminder; the
        // information asked of the complainant on 05/03 is overdue: its reminder.
        assert_eq!(
            offered,
            [
                K::Acknowledgement,
                K::FirmNotification,
                K::InvestigatorTransmission,
                K::WarningComplainant,
                K::WarningFirm,
                K::ComplainantReminder,
                K::InformationRequest,
            ]
        );
        Ok(())
    }

    /// A file written directly in `step`, with the given open clocks started on `start`.
    fn file_with(conn: &mut Connection, step: &str, clocks: &[(Clock, NaiveDate)]) -> Result<i64> {
        let mut form = sample_complaint();
        form.received_on = "02/03/2026".into();
        if let Some(firm) = conn.query_row("SELECT min(id) FROM firms", [], |r| r.get::<_, Option<i64>>(0))? {
            form.firm_id = Some(firm);
            form.new_firm = None;
        }
        let id = complaints::register(conn, &form, day(2026, 3, 2), "S")?.id;
        conn.execute("UPDATE complaints SET step = ?2, manager = 'qualification' WHERE id = ?1", params![id, step])?;
        for (clock, start) in clocks {
            crate::store::clocks::start(conn, id, *clock, *start, 1, false)?;
        }
        Ok(id)
    }

    fn reminders(conn: &Connection, id: i64, today: NaiveDate) -> Result<Vec<LetterKind>> {
        let c = complaints::get(conn, id, today)?;
        Ok(offered(&c).into_iter().filter(|k| k.label().starts_with("Relance")).collect())
    }

    #[test]
    fn each_overdue_clock_offers_its_reminder_and_the_expert_and_committee_letters_their_step() -> Result<()> {
        use LetterKind as K;
        let mut conn = open_in_memory()?;
        let march = day(2026, 3, 10);
        for (clock, kind) in [
            (Clock::FirmAnswer, K::FirmReminder),
            (Clock::InvestigatorAnswer, K::InvestigatorReminder),
            (Clock::ExpertReport, K::ExpertReminder),
            (Clock::ComplainantDetails, K::ComplainantReminder),
            (Clock::ComplainantInfo, K::ComplainantReminder),
        ] {
            let id = file_with(&mut conn, "firm_informed", &[(clock, march)])?;
            assert_eq!(reminders(&conn, id, day(2026, 4, 10))?, [] as [K; 0], "{clock:?} not yet lapsed");
            assert_eq!(reminders(&conn, id, day(2026, 4, 30))?, [kind], "{clock:?}");
        }
        // Expertise with an expert: the mission and, as the settings want, the two letters.
        let id = file_with(&mut conn, "expertise", &[])?;
        let offered_now =
            |conn: &Connection| -> Result<Vec<K>> { Ok(offered(&complaints::get(conn, id, day(2026, 4, 30))?)) };
        assert!(!offered_now(&conn)?.contains(&K::ExpertMission), "no expert yet");
        conn.execute(
            "INSERT INTO intervenants (kind, name, created_at) VALUES ('expert', 'Jeanne Roux', '2026-01-01T00:00:00Z')",
            [],
        )?;
        conn.execute("UPDATE complaints SET expert_id = last_insert_rowid() WHERE id = ?1", params![id])?;
        let with_expert = offered_now(&conn)?;
        for k in [K::ExpertMission, K::ExpertInformationComplainant, K::ExpertInformationFirm] {
            assert!(with_expert.contains(&k), "{k:?}: {with_expert:?}");
        }
        let settings = settings::LetterSettings { expert_inform_parties: false, ..settings::LetterSettings::default() };
        settings::save_letters(&mut conn, &settings)?;
        let without = offered_now(&conn)?;
        assert!(without.contains(&K::ExpertMission) && !without.contains(&K::ExpertInformationFirm), "{without:?}");
        // The committee: the convocation once the hearing is dated.
        let id = file_with(&mut conn, "appeals_committee", &[])?;
        let has = |conn: &Connection| -> Result<bool> {
            Ok(offered(&complaints::get(conn, id, day(2026, 4, 30))?).contains(&K::CommitteeConvocation))
        };
        assert!(!has(&conn)?);
        conn.execute("UPDATE complaints SET committee_hearing_on = '2026-06-18' WHERE id = ?1", params![id])?;
        assert!(has(&conn)?);
        Ok(())
    }
}
