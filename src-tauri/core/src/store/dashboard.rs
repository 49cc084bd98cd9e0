//! Tableau de bord: what needs doing, most urgent first, computed from the stored facts and
//! « today » on every call (no counters that could drift).

use crate::deadlines::{self, add_years, days_left, OverallState};
use crate::error::{Error, Result};
use crate::french::{format_fr, french_weekday};
use crate::letters::kinds::LetterKind;
use crate::model::{DashboardCategory, Step};
use crate::procedure::{next_action, ActionKind, Context};
use crate::store::clocks::Clock;
use crate::store::{corrupt_row, obligations, settings};
use crate::validate::parse_date;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::HashSet;

/// One line of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// A [`DashboardCategory`] code: a clock (`overdue`, `soon`, `overrun`, `awaiting`), the
    /// file's next step (`ar_to_send`, `to_transmit`, `first_analysis`, `to_decide`,
    /// `next_step`, `to_notify`, `to_close`), a letter (`letter_to_send`, `ar_awaited`), `purge`.
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
    /// kind code, which the dashboard's button generates (none when one is already generated
    /// and waits to be sent).
    pub reminder: Option<&'static str>,
    /// The letters owed now and not yet generated, which the dashboard's buttons generate
    /// (the reminder among them): never one already made.
    pub generate: Vec<&'static str>,
    /// For a step or a letter waiting on the secretariat: how many days it has waited, and
    /// since when (« depuis le 12/10/2026 »).
    pub waiting_days: Option<i64>,
    pub since_label: String,
    /// What comes later, not owed yet (« Clôture faute de précisions : à venir le 13/03/2026 »).
    pub note: String,
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

/// A step or a letter waiting on the secretariat longer than this is shown in red.
pub const STALE_DAYS: i64 = 30;

/// The steps of an open file (every one but « Clôturée »), for the index on `step`.
const OPEN_STEPS: &str = "('registered', 'awaiting_details', 'complete', 'in_analysis', 'firm_informed',
     'with_investigator', 'expertise', 'appeals_committee', 'decided', 'inadmissible')";

/// The last closing date whose retention has run out by `today` (5 years after 29/02 is 28/02).
fn purge_cutoff(today: NaiveDate, years: u32) -> NaiveDate {
    let mut c = today - chrono::Duration::days(i64::from(years) * 366 + 2);
    while add_years(c + chrono::Duration::days(1), years) <= today {
        c += chrono::Duration::days(1);
    }
    c
}

#[derive(Clone)]
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

/// [`PARTIES`] of the open files, read through the index on the step (with `step IN
/// OPEN_STEPS`): the planner, seeing ten of the eleven steps asked, would read every complaint
/// otherwise (28 ms instead of 4 on 100 000 complaints).
const OPEN_PARTIES: &str = "c.id, c.reference, p.name, f.name FROM complaints c INDEXED BY complaints_step_received
     CROSS JOIN complainants p ON p.id = c.complainant_id CROSS JOIN firms f ON f.id = c.firm_id";

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
        generate: Vec::new(),
        waiting_days: None,
        since_label: String::new(),
        note: String::new(),
    }
}

/// « Le courrier … » as « le courrier … », inside a sentence.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

/// `item` waiting since `since`: its days, its label, and red past [`STALE_DAYS`].
fn waiting(mut item: Item, since: NaiveDate, today: NaiveDate) -> Item {
    let days = (today - since).num_days().max(0);
    item.waiting_days = Some(days);
    item.since_label = format!("depuis le {}", format_fr(since));
    if days > STALE_DAYS && item.severity == "orange" {
        item.severity = "red";
    }
    item
}

/// The line of an open file whose next action is the secretariat's (`action`), or `None` when
/// its letters are what it waits for (listed as letters to send) or the action has no line.
fn next_step_line(
    conn: &Connection,
    today: NaiveDate,
    action: ActionKind,
    hearing: Option<NaiveDate>,
    parties: Row,
) -> Result<Option<Item>> {
    use ActionKind as A;
    use DashboardCategory as D;
    let line = |category, what: &str| item(category, "orange", Row { ..parties.clone() }, what.to_owned());
    Ok(Some(match action {
        A::Acknowledge => line(D::ArToSend, "Accusé de réception à adresser"),
        A::RequestDetails => line(D::ArToSend, "Accusé de réception avec demande de précisions à adresser"),
        A::RecordDetailsReceived => {
            line(D::NextStep, "Précisions demandées : enregistrer celles reçues, ou clore faute de précisions")
        }
        A::Transmit => line(D::ToTransmit, "Réclamation complète à transmettre au Responsable"),
        A::RecordFirstAnalysis => line(D::FirstAnalysis, "Première analyse, puis informer le qualifié"),
        A::Decide => line(D::ToDecide, "Décision à prendre (réponses reçues ou délais écoulés)"),
        A::AppointExpert => line(D::NextStep, "Désigner l'expert"),
        A::ScheduleHearing => line(D::NextStep, "Fixer la séance de la commission de recours"),
        A::RecordCommitteeOutcome => match hearing {
            Some(on) if on >= today => Item {
                severity: "neutral",
                due_on: Some(on.to_string()),
                due_label: format!("séance le {}", format_fr(on)),
                ..line(D::NextStep, "Séance de la commission de recours fixée")
            },
            _ => line(D::NextStep, "Enregistrer la décision de la commission de recours"),
        },
        A::CloseFile => {
            // The letters the closure waits for (the decision's, the inadmissibility's) not made yet.
            let ledger = obligations::ledger(conn, parties.complaint_id)?;
            let to_make: Vec<_> =
                ledger.to_make(today).into_iter().filter(|o| o.before == Some(A::CloseFile)).collect();
            if !to_make.is_empty() {
                let what: Vec<String> = to_make.iter().map(|o| lower_first(&o.what())).collect();
                Item {
                    generate: to_make.iter().map(|o| o.letter.code()).collect(),
                    ..line(D::ToNotify, &format!("Courriers à préparer : {}", what.join(" ; ")))
                }
            } else if ledger.unmet(A::CloseFile).is_empty() {
                line(D::ToClose, "Courriers envoyés : clore le dossier")
            } else {
                return Ok(None);
            }
        }
        _ => return Ok(None),
    }))
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

    // Letters generated and not marked sent (« à envoyer »), with how long they have waited;
    // a letter made is never offered again while it waits.
    let mut unsent: HashSet<(i64, LetterKind)> = HashSet::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT doc.kind, doc.created_at, doc.id, {PARTIES} JOIN documents doc ON doc.complaint_id = c.id
         WHERE doc.direction = 'out' AND doc.sent_on IS NULL ORDER BY doc.created_at"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let kind: LetterKind = r.get(0).map_err(corrupt_row("documents", r.get(2)?))?;
        let created: String = r.get(1)?;
        let parties = row(r, 3)?;
        unsent.insert((parties.complaint_id, kind));
        let line =
            item(DashboardCategory::LetterToSend, "orange", parties, format!("Courrier à envoyer : {}", kind.label()));
        items.push(match parse_date(&created) {
            Some(on) => waiting(Item { due_label: format!("généré le {}", format_fr(on)), ..line }, on, today),
            None => line,
        });
    }

    // Open clocks due by the « soon » limit (overdue ones included), through the partial index
    // on open deadlines; and the awaited answers further away.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.clock, d.start_on, d.months, d.due_on, d.justified_on, d.id, c.step, {PARTIES}
         JOIN deadlines d ON d.complaint_id = c.id
         WHERE d.stopped_on IS NULL AND (d.due_on <= ?1 OR d.clock <> 'overall')
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
        let step: String = r.get(6)?;
        let parties = row(r, 7)?;
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
        // The letters owed by a lapsed answer and not yet made: its reminder, unless one waits
        // to be sent; after the details asked, the closure for lack of details.
        let complaint_id = parties.complaint_id;
        let reminder = reminder_for(clock).filter(|k| left < 0 && !unsent.contains(&(complaint_id, *k)));
        let mut generate: Vec<&'static str> = reminder.map(LetterKind::code).into_iter().collect();
        let mut note = String::new();
        if clock == Clock::ComplainantDetails && step == Step::AwaitingDetails.code() {
            if left < 0 {
                let closure = LetterKind::LackOfDetailsClosure;
                if obligations::ledger(conn, complaint_id)?.to_make(today).iter().any(|o| o.letter == closure) {
                    generate.push(closure.code());
                }
            } else {
                let from = d.due + chrono::Duration::days(1);
                note = format!("Sans réponse : clôture faute de précisions à venir le {}", format_fr(from));
            }
        }
        items.push(Item {
            due_on: Some(d.due.to_string()),
            due_label: format!("{} {}", french_weekday(d.due), format_fr(d.due)),
            explanation: d.explain(clock.start_label()),
            days_left: Some(left),
            reminder: reminder.map(LetterKind::code),
            generate,
            note,
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

    // The next step of every open file whose next action is the secretariat's (from the
    // procedure: `next_action`), with how long it has waited in its step; a file waiting for an
    // answer is listed by its clock above. One read over the open steps (index on `step`).
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.step, c.received_on,
                c.has_complainant_details * c.has_firm_details * c.has_facts * c.has_actions_taken,
                c.expert_report_pending, c.expert_id IS NOT NULL, c.committee_hearing_on,
                (SELECT group_concat(d.clock) FROM deadlines d
                  WHERE d.complaint_id = c.id AND d.stopped_on IS NULL AND d.clock <> 'overall'),
                (SELECT j.occurred_on FROM journal j WHERE j.complaint_id = c.id AND j.step_to = c.step
                  ORDER BY j.seq DESC LIMIT 1),
                {OPEN_PARTIES} WHERE c.step IN {OPEN_STEPS}"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let parties = row(r, 8)?;
        let step: Step = r.get(0).map_err(corrupt_row("complaints", parties.complaint_id))?;
        let (received, complete, report_pending, expert): (String, bool, bool, bool) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let hearing = r.get::<_, Option<String>>(5)?.as_deref().and_then(parse_date);
        let running: Option<String> = r.get(6)?;
        let runs = |clock: Clock| running.as_deref().is_some_and(|s| s.split(',').any(|c| c == clock.code()));
        let ctx = Context {
            complete,
            firm_answer_pending: runs(Clock::FirmAnswer),
            investigator_answer_pending: runs(Clock::InvestigatorAnswer),
            complainant_answer_pending: runs(Clock::ComplainantDetails) || runs(Clock::ComplainantInfo),
            expert_report_pending: report_pending,
            expert_appointed: expert,
            hearing_scheduled: hearing.is_some(),
            ..Context::default()
        };
        let Some(action) = next_action(step, &ctx) else { continue };
        // Since the step was reached (the acknowledgement: since the complaint was received).
        let reached = if step == Step::Registered { None } else { r.get::<_, Option<String>>(7)? };
        let since = reached.as_deref().and_then(parse_date).or_else(|| parse_date(&received));
        if let Some(line) = next_step_line(conn, today, action, hearing, parties)? {
            items.push(match since {
                Some(since) if line.severity != "neutral" => waiting(line, since, today),
                _ => line,
            });
        }
    }

    // Registered letters sent whose AR card has not come back (open files).
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT doc.kind, doc.sent_on, doc.registered_number, doc.id, {OPEN_PARTIES}
         CROSS JOIN documents doc ON doc.complaint_id = c.id
         WHERE c.step IN {OPEN_STEPS} AND doc.direction = 'out' AND doc.send_mode = 'registered'
           AND doc.sent_on IS NOT NULL AND doc.ar_returned_on IS NULL AND doc.superseded = ''
         ORDER BY doc.sent_on"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let kind: LetterKind = r.get(0).map_err(corrupt_row("documents", r.get(3)?))?;
        let (sent, number): (Option<String>, String) = (r.get(1)?, r.get(2)?);
        let number = crate::validate::spaced_registered(&number);
        let Some(sent) = sent.as_deref().and_then(parse_date) else { continue };
        let stale = (today - sent).num_days() > STALE_DAYS;
        let what = if stale {
            format!("AR non revenu : {} (recommandé n° {number}) — vérifier le suivi", kind.label())
        } else {
            format!("AR attendu : {} (recommandé n° {number})", kind.label())
        };
        let line = item(DashboardCategory::ArAwaited, if stale { "orange" } else { "neutral" }, row(r, 4)?, what);
        items.push(Item {
            due_label: format!("envoyé le {}", format_fr(sent)),
            waiting_days: Some((today - sent).num_days().max(0)),
            since_label: format!("depuis le {}", format_fr(sent)),
            ..line
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
            Some(D::Purge) => 4,
            _ => 2,
        }
    };
    // Late clocks and files left waiting past a month first, then the clocks due soon, the
    // steps and letters waiting on the secretariat (the longest waiting first), the awaited
    // answers, and the purges.
    let group = |i: &Item| match (i.severity, order(i.category)) {
        ("red", _) => 0,
        ("neutral", 4) => 4,
        ("neutral", _) => 3,
        (_, o) => o,
    };
    items.sort_by(|a, b| {
        group(a)
            .cmp(&group(b))
            .then_with(|| a.days_left.unwrap_or(i64::MAX).cmp(&b.days_left.unwrap_or(i64::MAX)))
            .then_with(|| b.waiting_days.unwrap_or(0).cmp(&a.waiting_days.unwrap_or(0)))
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

    /// A complete complaint received `received` and taken through `actions` (each on its date).
    fn taken(conn: &mut Connection, received: &str, actions: &[(ActionKind, &str, &str)]) -> Result<i64> {
        let mut form = sample_complaint();
        form.received_on = received.into();
        form.new_firm = None;
        form.firm_id = Some(1);
        let id = complaints::register(conn, &form, day(2026, 12, 31), "S")?.id;
        for (action, date, choice) in actions {
            let f = ActionForm { choice: (*choice).into(), text: "Appel.".into(), ..ActionForm::of(*action, date) };
            perform(conn, id, "S", &f, day(2026, 12, 31))?;
        }
        Ok(id)
    }

    fn line<'a>(d: &'a Dashboard, category: &str, id: i64) -> Result<&'a Item> {
        d.items
            .iter()
            .find(|i| i.category == category && i.complaint_id == id)
            .ok_or(crate::Error::field("t", format!("no {category} line for {id}: {:#?}", d.items)))
    }

    #[test]
    fn every_open_file_s_next_step_is_listed_with_how_long_it_has_waited() -> Result<()> {
        let mut conn = setup()?; // REC-2026-0001, received 27/11/2026, still « Enregistrée »
        let q = Manager::Qualification.code();
        // Complete since 02/10/2026 and never passed to the Responsable.
        let complete = taken(&mut conn, "01/10/2026", &[(ActionKind::Acknowledge, "02/10/2026", "")])?;
        // Transmitted on 20/11/2026: the first analysis.
        let analysis = taken(
            &mut conn,
            "16/11/2026",
            &[(ActionKind::Acknowledge, "17/11/2026", ""), (ActionKind::Transmit, "20/11/2026", q)],
        )?;
        // The firm informed by phone on 03/10/2026: its answer is late (its clock's line only).
        let firm = informed(&mut conn, "01/10/2026", "03/10/2026")?;

        let today = day(2026, 12, 2);
        let d = dashboard(&conn, today)?;
        let ack = line(&d, "ar_to_send", 1)?;
        assert_eq!((ack.waiting_days, ack.severity), (Some(5), "orange"), "{ack:?}");
        let transmit = line(&d, "to_transmit", complete)?;
        assert_eq!(transmit.what, "Réclamation complète à transmettre au Responsable");
        assert_eq!(transmit.waiting_days, Some(61));
        assert_eq!(transmit.since_label, "depuis le 02/10/2026");
        assert_eq!(transmit.severity, "red", "waiting for two months");
        let first = line(&d, "first_analysis", analysis)?;
        assert_eq!((first.waiting_days, first.severity), (Some(12), "orange"));
        assert!(line(&d, "overdue", firm).is_ok());
        assert!(
            d.items.iter().filter(|i| i.complaint_id == firm).all(|i| i.category == "overdue"),
            "a file waiting for an answer is listed by its clock: {:?}",
            d.items
        );
        // Red first: the late answer, then the file left waiting two months; then the others.
        assert_eq!(
            d.items.iter().take(2).map(|i| (i.category, i.complaint_id)).collect::<Vec<_>>(),
            [("overdue", firm), ("to_transmit", complete)]
        );
        // The answer recorded (its clock stopped): a decision to take.
        conn.execute(
            "UPDATE deadlines SET stopped_on = '2026-11-20' WHERE complaint_id = ?1 AND clock = 'firm_answer'",
            params![firm],
        )?;
        let d = dashboard(&conn, today)?;
        assert!(line(&d, "to_decide", firm)?.waiting_days.is_some());
        // Every open file is listed; a closed one is not.
        conn.execute(
            "UPDATE complaints SET step = 'closed', closed_on = '2026-12-01' WHERE id = ?1",
            params![complete],
        )?;
        let d = dashboard(&conn, today)?;
        assert!(d.items.iter().all(|i| i.complaint_id != complete));
        Ok(())
    }

    #[test]
    fn letters_are_offered_only_when_owed_and_never_once_made() -> Result<()> {
        use crate::store::letters::{generate, mark_sent, SentForm};
        use crate::test_support::fonts;
        use LetterKind as K;
        let mut conn = crate::db::open_in_memory()?;
        // Warning decided on 20/04/2026; the information asked of the complainant on 05/03 lapsed.
        let id = crate::store::letters::tests::decided(&mut conn)?;
        let today = day(2026, 4, 30);
        let dir = tempfile::tempdir()?;
        let notify =
            |conn: &Connection| -> Result<Item> { Ok(line(&dashboard(conn, today)?, "to_notify", id)?.clone()) };
        let n = notify(&conn)?;
        assert_eq!(n.generate, ["decision_warning_complainant", "decision_warning_firm"]);
        assert_eq!(
            n.what,
            "Courriers à préparer : le courrier de décision au plaignant ; le courrier de décision au qualifié"
        );
        assert_eq!((n.waiting_days, n.since_label.as_str()), (Some(10), "depuis le 20/04/2026"));
        let overdue = line(&dashboard(&conn, today)?, "overdue", id)?.clone();
        assert_eq!(
            (overdue.reminder, overdue.generate.clone()),
            (Some("complainant_reminder"), vec!["complainant_reminder"])
        );

        // Made: not offered again, listed « à envoyer » with the day it was made.
        let made = generate(&mut conn, dir.path(), fonts(), id, K::WarningComplainant, None, today, "S")?;
        generate(&mut conn, dir.path(), fonts(), id, K::ComplainantReminder, None, today, "S")?;
        let d = dashboard(&conn, today)?;
        assert_eq!(line(&d, "to_notify", id)?.generate, ["decision_warning_firm"]);
        let overdue = line(&d, "overdue", id)?;
        assert_eq!((overdue.reminder, overdue.generate.len()), (None, 0), "the reminder waits to be sent");
        let to_send: Vec<&str> =
            d.items.iter().filter(|i| i.category == "letter_to_send").map(|i| i.what.as_str()).collect();
        assert!(to_send.contains(&"Courrier à envoyer : Décision : avertissement (plaignant)"), "{to_send:?}");

        // Both sent, one registered: the file is to close, the AR card awaited.
        let registered = SentForm {
            date: "30/04/2026".into(),
            mode: "registered".into(),
            registered_number: "1A 123 456 7890 1".into(),
        };
        mark_sent(&mut conn, made.document_id, &registered, today, "S")?;
        crate::test_support::send_letter(&mut conn, id, K::WarningFirm, "30/04/2026")?;
        let d = dashboard(&conn, today)?;
        assert!(line(&d, "to_notify", id).is_err());
        assert_eq!(line(&d, "to_close", id)?.what, "Courriers envoyés : clore le dossier");
        let ar = line(&d, "ar_awaited", id)?;
        assert_eq!(ar.severity, "neutral");
        assert!(ar.what.contains("1A 123 456 7890 1"), "{}", ar.what);
        // A month and more without the card: orange, to check.
        assert_eq!(line(&dashboard(&conn, day(2026, 6, 5))?, "ar_awaited", id)?.severity, "orange");
        Ok(())
    }

    #[test]
    fn the_closure_for_lack_of_details_is_to_come_until_the_complainant_s_month_has_run() -> Result<()> {
        let mut conn = crate::db::open_in_memory()?;
        let mut form = sample_complaint();
        form.received_on = "02/03/2026".into();
        form.actions_taken.clear();
        form.checklist.actions_taken = false;
        let id = complaints::register(&mut conn, &form, day(2026, 3, 2), "S")?.id;
        perform(&mut conn, id, "S", &ActionForm::of(ActionKind::RequestDetails, "03/03/2026"), day(2026, 3, 3))?;
        // Asked on 03/03: the complainant has until 03/04/2026; the closure is owed from 04/04.
        let d = dashboard(&conn, day(2026, 3, 20))?;
        let waiting = d.items.iter().find(|i| i.complaint_id == id).ok_or(crate::Error::field("t", "no line"))?;
        assert_ne!(waiting.severity, "red");
        assert_eq!(waiting.generate, [] as [&str; 0]);
        assert_eq!(waiting.note, "Sans réponse : clôture faute de précisions à venir le 04/04/2026");
        let card = crate::store::workflow::view(&conn, id, day(2026, 3, 20))?.obligations;
        let closure =
            card.iter().find(|o| o.letter == "lack_of_details_closure").ok_or(crate::Error::field("t", "card"))?;
        assert_eq!((closure.state, closure.state_label.as_str()), ("upcoming", "à venir le 04/04/2026"));
        let page = complaints::get(&conn, id, day(2026, 3, 20))?;
        assert!(!crate::store::letters::offered(&page).contains(&LetterKind::LackOfDetailsClosure));

        // Lapsed: owed, offered on the dashboard beside the reminder, « à préparer » on the card.
        let d = dashboard(&conn, day(2026, 4, 7))?;
        let late = line(&d, "overdue", id)?;
        assert_eq!(late.generate, ["complainant_reminder", "lack_of_details_closure"]);
        let card = crate::store::workflow::view(&conn, id, day(2026, 4, 7))?.obligations;
        assert!(card.iter().any(|o| o.letter == "lack_of_details_closure" && o.state == "to_prepare"));
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
