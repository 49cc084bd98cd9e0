//! Tableau de bord: what needs doing, most urgent first, computed from the stored facts and
//! « today » on every call (no counters that could drift).

use crate::deadlines::{self, add_years, days_left, OverallState};
use crate::error::{Error, Result};
use crate::french::{format_fr, french_weekday};
use crate::letters::kinds::LetterKind;
use crate::model::{DashboardCategory, Step};
use crate::store::clocks::Clock;
use crate::store::{corrupt_row, settings};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

/// One line of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// `overdue`, `soon`, `overrun`, `ar_to_send`, `letter_to_send`, `awaiting`, `purge`.
    pub category: &'static str,
    /// `red`, `orange` or `neutral`.
    pub severity: &'static str,
    pub complaint_id: i64,
    pub reference: String,
    pub complainant: String,
    pub firm: String,
    /// What is due, in French.
    pub what: String,
    pub due_on: Option<String>,
    pub due_label: String,
    /// How the due date was computed.
    pub explanation: String,
    /// Negative when late.
    pub days_left: Option<i64>,
    /// For a lapsed answer (firm, instructeur, expert, complainant): the reminder letter's
    /// kind code, which the dashboard's button generates.
    pub reminder: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepCount {
    pub step: &'static str,
    pub label: &'static str,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dashboard {
    pub today: String,
    pub soon_days: u32,
    pub items: Vec<Item>,
    pub counts: Vec<StepCount>,
    /// Open complaints past the flag (5 months) and not yet overrun.
    pub flagged: Vec<Item>,
    /// How many answers are awaited and files may be purged; `items` lists the first
    /// [`LONG_LIST`] of each (the oldest first), so that years of history stay fast to show.
    pub awaiting_total: i64,
    pub purge_total: i64,
}

/// At most this many « awaiting » and « purge » lines are listed.
pub const LONG_LIST: i64 = 100;

/// The last closing date whose retention has run out by `today` (5 years after 29/02 is 28/02).
fn purge_cutoff(today: NaiveDate, years: u32) -> NaiveDate {
    let mut c = today - chrono::Duration::days(i64::from(years) * 366 + 2);
    while add_years(c + chrono::Duration::days(1), years) <= today {
        c += chrono::Duration::days(1);
    }
    c
}

struct Row {
    complaint_id: i64,
    reference: String,
    complainant: String,
    firm: String,
}

fn row(r: &rusqlite::Row<'_>, from: usize) -> rusqlite::Result<Row> {
    Ok(Row {
        complaint_id: r.get(from)?,
        reference: r.get(from + 1)?,
        complainant: r.get(from + 2)?,
        firm: r.get(from + 3)?,
    })
}

const PARTIES: &str = "c.id, c.reference, p.name, f.name FROM complaints c
     JOIN complainants p ON p.id = c.complainant_id JOIN firms f ON f.id = c.firm_id";

fn item(category: DashboardCategory, severity: &'static str, r: Row, what: String) -> Item {
    Item {
        category: category.code(),
        severity,
        complaint_id: r.complaint_id,
        reference: r.reference,
        complainant: r.complainant,
        firm: r.firm,
        what,
        due_on: None,
        due_label: String::new(),
        explanation: String::new(),
        days_left: None,
        reminder: None,
    }
}

/// The reminder letter for a lapsed answer of `clock`; none for the overall clock.
pub fn reminder_for(clock: Clock) -> Option<LetterKind> {
    match clock {
        Clock::FirmAnswer => Some(LetterKind::FirmReminder),
        Clock::InvestigatorAnswer => Some(LetterKind::InvestigatorReminder),
        Clock::ExpertReport => Some(LetterKind::ExpertReminder),
        Clock::ComplainantDetails | Clock::ComplainantInfo => Some(LetterKind::ComplainantReminder),
        Clock::Overall => None,
    }
}

/// Everything due, most urgent first.
pub fn dashboard(conn: &Connection, today: NaiveDate) -> Result<Dashboard> {
    let s = settings::deadlines(conn)?;
    let soon_limit = today + chrono::Duration::days(i64::from(s.soon_days));
    let mut items = Vec::new();
    let mut flagged = Vec::new();
    let mut awaiting_total = 0;

    // Open clocks due by the « soon » limit (overdue ones included), through the partial index
    // on open deadlines; and the awaited answers further away.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.clock, d.start_on, d.months, d.due_on, d.justified_on, d.id, {PARTIES}
         JOIN deadlines d ON d.complaint_id = c.id
         WHERE d.stopped_on IS NULL AND (d.due_on <= ?1 OR d.clock IN ('firm_answer', 'investigator_answer', 'expert_report'))
         ORDER BY d.due_on"
    ))?;
    let mut rows = stmt.query(params![soon_limit.to_string()])?;
    while let Some(r) = rows.next()? {
        // due_on (column 3) only selects the rows: the due date is recomputed with its explanation.
        let deadline_id: i64 = r.get(5)?;
        let clock: Clock = r.get(0).map_err(corrupt_row("deadlines", deadline_id))?;
        let (start, months, justified): (String, u32, Option<String>) = (r.get(1)?, r.get(2)?, r.get(4)?);
        let start = crate::validate::parse_date(&start).ok_or(Error::CorruptRow {
            table: "deadlines",
            id: deadline_id,
            value: start,
        })?;
        let d = deadlines::deadline(start, months);
        let left = days_left(d.due, today);
        let parties = row(r, 6)?;
        let (category, severity, what) = match clock {
            Clock::Overall if left < 0 && justified.is_none() => (
                DashboardCategory::Overrun,
                "red",
                "Délai global dépassé : justifier auprès des deux parties".to_owned(),
            ),
            Clock::Overall if left < 0 => continue,
            Clock::Overall => (DashboardCategory::Soon, "orange", "Fin du délai global de traitement".to_owned()),
            _ if left < 0 => (DashboardCategory::Overdue, "red", format!("{} : échéance dépassée", clock.label())),
            _ if d.due <= soon_limit => (DashboardCategory::Soon, "orange", format!("{} attendue", clock.label())),
            _ => {
                awaiting_total += 1;
                if awaiting_total > LONG_LIST {
                    continue;
                }
                (DashboardCategory::Awaiting, "neutral", format!("{} attendue", clock.label()))
            }
        };
        items.push(Item {
            due_on: Some(d.due.to_string()),
            due_label: format!("{} {}", french_weekday(d.due), format_fr(d.due)),
            explanation: d.explain(clock.start_label()),
            days_left: Some(left),
            reminder: if left < 0 { reminder_for(clock).map(LetterKind::code) } else { None },
            ..item(category, severity, parties, what)
        });
    }

    // Complaints flagged at 5 months: the overall clock is open and received at least
    // `flag_months` ago (the date-to-date rule is applied in Rust to the few candidates).
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.start_on, {PARTIES} JOIN deadlines d ON d.complaint_id = c.id
         WHERE d.clock = 'overall' AND d.stopped_on IS NULL AND d.start_on <= ?1 AND d.due_on >= ?2"
    ))?;
    let bound = today - chrono::Duration::days(i64::from(s.flag_months) * 28);
    let mut rows = stmt.query(params![bound.to_string(), today.to_string()])?;
    while let Some(r) = rows.next()? {
        let Some(received) = crate::validate::parse_date(&r.get::<_, String>(0)?) else { continue };
        if deadlines::overall_flag(received, today, s.flag_months, s.overall_months) == OverallState::Flagged {
            let d = deadlines::deadline(received, s.overall_months);
            flagged.push(Item {
                due_on: Some(d.due.to_string()),
                due_label: format!("{} {}", french_weekday(d.due), format_fr(d.due)),
                explanation: d.explain("reçue le"),
                days_left: Some(days_left(d.due, today)),
                ..item(
                    DashboardCategory::Flagged,
                    "orange",
                    row(r, 1)?,
                    format!("Plus de {} mois depuis la réception", s.flag_months),
                )
            });
        }
    }

    // Acknowledgements not yet sent: complaints still in step « Enregistrée ».
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.received_on, {PARTIES} WHERE c.step = 'registered' ORDER BY c.received_on"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let received: String = r.get(0)?;
        items.push(Item {
            due_on: Some(received.clone()),
            due_label: crate::validate::parse_date(&received).map(format_fr).unwrap_or_default(),
            ..item(DashboardCategory::ArToSend, "orange", row(r, 1)?, "Accusé de réception à adresser".to_owned())
        });
    }

    // Letters generated and not marked sent.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT doc.kind, doc.created_at, doc.id, {PARTIES} JOIN documents doc ON doc.complaint_id = c.id
         WHERE doc.direction = 'out' AND doc.sent_on IS NULL ORDER BY doc.created_at"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let kind: LetterKind = r.get(0).map_err(corrupt_row("documents", r.get(2)?))?;
        let created: String = r.get(1)?;
        let what = format!("Courrier à envoyer : {}", kind.label());
        items.push(Item {
            due_label: crate::validate::parse_date(&created)
                .map(|d| format!("généré le {}", format_fr(d)))
                .unwrap_or_default(),
            ..item(DashboardCategory::LetterToSend, "orange", row(r, 3)?, what)
        });
    }

    // Closed files past the retention period: eligible for purge (counted, the oldest listed).
    let cutoff = purge_cutoff(today, s.retention_years).to_string();
    let purge_total: i64 = conn.query_row(
        "SELECT count(*) FROM complaints WHERE closed_on IS NOT NULL AND closed_on <= ?1",
        params![cutoff],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.closed_on, {PARTIES} WHERE c.closed_on IS NOT NULL AND c.closed_on <= ?1 ORDER BY c.closed_on LIMIT ?2"
    ))?;
    let mut rows = stmt.query(params![cutoff, LONG_LIST])?;
    while let Some(r) = rows.next()? {
        let Some(closed) = crate::validate::parse_date(&r.get::<_, String>(0)?) else { continue };
        let eligible = add_years(closed, s.retention_years);
        items.push(Item {
            due_on: Some(eligible.to_string()),
            due_label: format!("clos le {}", format_fr(closed)),
            ..item(
                DashboardCategory::Purge,
                "neutral",
                row(r, 1)?,
                format!("Conservation de {} ans écoulée : purge possible", s.retention_years),
            )
        });
    }

    let order = |c: &str| {
        use DashboardCategory as D;
        match D::from_code(c) {
            Some(D::Overdue | D::Overrun) => 0,
            Some(D::Soon) => 1,
            Some(D::ArToSend | D::LetterToSend) => 2,
            Some(D::Awaiting) => 3,
            _ => 4,
        }
    };
    items.sort_by(|a, b| {
        order(a.category)
            .cmp(&order(b.category))
            .then_with(|| a.days_left.unwrap_or(i64::MAX).cmp(&b.days_left.unwrap_or(i64::MAX)))
            .then_with(|| a.reference.cmp(&b.reference))
    });

    let mut counts: Vec<StepCount> =
        Step::ALL.iter().map(|s| StepCount { step: s.code(), label: s.label(), count: 0 }).collect();
    let mut stmt = conn.prepare_cached("SELECT step, count(*) FROM complaints GROUP BY step")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (step, n): (String, i64) = (r.get(0)?, r.get(1)?);
        if let Some(c) = counts.iter_mut().find(|c| c.step == step) {
            c.count = n;
        }
    }
    Ok(Dashboard {
        today: today.to_string(),
        soon_days: s.soon_days,
        items,
        counts,
        flagged,
        awaiting_total,
        purge_total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::procedure::{ActionKind, Manager, Means};
    use crate::store::complaints::{self, tests::sample_complaint};
    use crate::store::letters;
    use crate::store::workflow::{perform, ActionForm};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// A complete complaint received `received`, its firm informed on `informed`.
    fn informed(conn: &mut Connection, received: &str, informed: &str) -> Result<i64> {
        let mut form = sample_complaint();
        form.received_on = received.into();
        form.new_firm = None;
        form.firm_id = Some(1);
        let id = complaints::register(conn, &form, day(2026, 12, 31), "S")?.id;
        for (action, date, choice) in [
            (ActionKind::Acknowledge, received, ""),
            (ActionKind::Transmit, received, Manager::Qualification.code()),
            (ActionKind::InformFirm, informed, Means::Phone.code()),
        ] {
            let f = ActionForm { choice: choice.into(), text: "Appel.".into(), ..ActionForm::of(action, date) };
            perform(conn, id, "S", &f, day(2026, 12, 31))?;
        }
        Ok(id)
    }

    fn setup() -> Result<Connection> {
        let mut conn = open_in_memory()?;
        complaints::register(&mut conn, &sample_complaint(), day(2026, 11, 28), "S")?; // creates firm 1; stays « Enregistrée »
        Ok(conn)
    }

    fn find<'a>(d: &'a Dashboard, category: &str, reference: &str) -> Option<&'a Item> {
        d.items.iter().find(|i| i.category == category && i.reference == reference)
    }

    #[test]
    fn clocks_are_sorted_into_overdue_soon_and_awaiting_with_their_boundaries() -> Result<()> {
        let mut conn = setup()?;
        // Firm informed 02/11/2026 → due 02/12/2026 (Wednesday).
        informed(&mut conn, "02/11/2026", "02/11/2026")?; // REC-2026-0002
                                                          // Informed 31/10/2026 → 30/11/2026 (Monday).
        informed(&mut conn, "30/10/2026", "31/10/2026")?; // REC-2026-0003
                                                          // Informed 03/10/2026 → 03/11/2026 (Tuesday).
        informed(&mut conn, "01/10/2026", "03/10/2026")?; // REC-2026-0004
                                                          // Informed 28/11/2026 → due 28/12/2026.
        informed(&mut conn, "20/11/2026", "28/11/2026")?; // REC-2026-0005

        // Today Monday 30/11/2026: 0003 is due today (soon, 0 days), 0002 in 2 days (soon),
        // 0004 is late (overdue), 0005 is further away (awaiting).
        let d = dashboard(&conn, day(2026, 11, 30))?;
        let due_today = find(&d, "soon", "REC-2026-0003").ok_or(crate::Error::field("t", "0003"))?;
        assert_eq!((due_today.days_left, due_today.severity), (Some(0), "orange"));
        assert_eq!(find(&d, "soon", "REC-2026-0002").and_then(|i| i.days_left), Some(2));
        let late = find(&d, "overdue", "REC-2026-0004").ok_or(crate::Error::field("t", "0004"))?;
        assert_eq!((late.days_left, late.severity), (Some(-27), "red"));
        assert_eq!(late.reminder, Some("firm_reminder"), "a lapsed answer offers its reminder");
        assert_eq!(due_today.reminder, None, "not before it lapses");
        assert!(find(&d, "awaiting", "REC-2026-0005").is_some());
        // Most urgent first.
        assert_eq!(d.items[0].reference, "REC-2026-0004");
        // The day after: 0003 becomes overdue.
        assert!(find(&dashboard(&conn, day(2026, 12, 1))?, "overdue", "REC-2026-0003").is_some());
        Ok(())
    }

    #[test]
    fn every_lapsed_answer_offers_its_own_reminder() -> Result<()> {
        let mut conn = setup()?;
        let id = informed(&mut conn, "01/10/2026", "03/10/2026")?;
        for (clock, start) in [
            (Clock::InvestigatorAnswer, "2026-10-05"),
            (Clock::ExpertReport, "2026-10-06"),
            (Clock::ComplainantInfo, "2026-10-07"),
        ] {
            conn.execute(
                "INSERT INTO deadlines (complaint_id, clock, start_on, months, due_on) VALUES (?1, ?2, ?3, 1, ?4)",
                params![id, clock, start, start.replace("-10-", "-11-")],
            )?;
        }
        let d = dashboard(&conn, day(2026, 12, 1))?;
        let mut reminders: Vec<&str> =
            d.items.iter().filter(|i| i.complaint_id == id).filter_map(|i| i.reminder).collect();
        reminders.sort_unstable();
        assert_eq!(reminders, ["complainant_reminder", "expert_reminder", "firm_reminder", "investigator_reminder"]);
        assert!(d.items.iter().filter(|i| i.reminder.is_some()).all(|i| i.category == "overdue"));
        assert_eq!(reminder_for(Clock::Overall), None);
        Ok(())
    }

    #[test]
    fn a_due_date_rolled_past_a_weekend_is_not_late_on_the_weekend() -> Result<()> {
        let mut conn = setup()?;
        // Informed 31/10/2025 → 30/11/2025 is a Sunday → due Monday 01/12/2025.
        informed(&mut conn, "30/10/2025", "31/10/2025")?;
        let on_sunday = dashboard(&conn, day(2025, 11, 30))?;
        let i = find(&on_sunday, "soon", "REC-2025-0001").ok_or(crate::Error::field("t", "soon"))?;
        assert_eq!(i.due_label, "lundi 01/12/2025");
        assert!(i.explanation.ends_with("30/11/2025 → dimanche → lundi 01/12/2025"), "{}", i.explanation);
        assert!(find(&dashboard(&conn, day(2025, 12, 2))?, "overdue", "REC-2025-0001").is_some());
        Ok(())
    }

    #[test]
    fn acknowledgements_letters_overruns_flags_purges_and_counts() -> Result<()> {
        let mut conn = setup()?; // REC-2026-0001, received 27/11/2026, still « Enregistrée »
        let d = dashboard(&conn, day(2026, 11, 28))?;
        assert!(find(&d, "ar_to_send", "REC-2026-0001").is_some());
        assert_eq!(d.counts.iter().find(|c| c.step == "registered").map(|c| c.count), Some(1));

        // Letters generated and not sent.
        let dir = tempfile::tempdir()?;
        let fonts = crate::letters::pdf::Fonts::liberation().map_err(|e| crate::Error::field("f", e.to_string()))?;
        letters::generate(
            &mut conn,
            dir.path(),
            &fonts,
            1,
            crate::letters::kinds::LetterKind::Acknowledgement,
            None,
            day(2026, 11, 28),
            "S",
        )?;
        assert!(find(&dashboard(&conn, day(2026, 11, 28))?, "letter_to_send", "REC-2026-0001").is_some());

        // Received 27/11/2026: flagged from 27/04/2027, overrun after 27/05/2027 (Thursday).
        assert!(dashboard(&conn, day(2027, 4, 26))?.flagged.is_empty());
        assert_eq!(dashboard(&conn, day(2027, 4, 27))?.flagged.len(), 1);
        assert!(find(&dashboard(&conn, day(2027, 5, 27))?, "overrun", "REC-2026-0001").is_none());
        assert!(find(&dashboard(&conn, day(2027, 5, 28))?, "overrun", "REC-2026-0001").is_some());

        // Closed on 12/06/2027: eligible for purge on 12/06/2032, not the day before.
        conn.execute("UPDATE complaints SET step = 'closed', closed_on = '2027-06-12' WHERE id = 1", [])?;
        conn.execute("UPDATE deadlines SET stopped_on = '2027-06-12' WHERE complaint_id = 1", [])?;
        assert!(find(&dashboard(&conn, day(2032, 6, 11))?, "purge", "REC-2026-0001").is_none());
        let d = dashboard(&conn, day(2032, 6, 12))?;
        assert!(find(&d, "purge", "REC-2026-0001").is_some());
        assert_eq!(d.purge_total, 1);
        Ok(())
    }

    #[test]
    fn the_purge_cutoff_follows_the_date_to_date_rule() {
        assert_eq!(purge_cutoff(day(2032, 6, 12), 5), day(2027, 6, 12));
        // Closed on 29/02/2028: eligible on 28/02/2033.
        assert_eq!(purge_cutoff(day(2033, 2, 28), 5), day(2028, 2, 29));
        assert_eq!(purge_cutoff(day(2033, 2, 27), 5), day(2028, 2, 27));
        assert_eq!(purge_cutoff(day(2029, 3, 1), 5), day(2024, 3, 1));
    }
}
