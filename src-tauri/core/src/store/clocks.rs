//! The `deadlines` table: a complaint's clocks started, stopped, justified, and read back as the
//! complaint page shows them.

use crate::deadlines::{self, clock_state, days_left, ClockState, OverallState};
use crate::error::{Error, Result};
use crate::french::{format_fr, french_weekday};
use crate::store::read_rows;
use crate::store::settings::DeadlineSettings;
use crate::validate::parse_date;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

pub use crate::procedure::clocks::{Clock, StopReason};

/// The clocks' durations are settings: the store's side of [`Clock`].
impl Clock {
    /// Its duration in months, as set in Paramètres.
    pub fn months(self, s: &DeadlineSettings) -> u32 {
        match self {
            Clock::Overall => s.overall_months,
            Clock::FirmAnswer => s.firm_months,
            Clock::InvestigatorAnswer => s.investigator_months,
            Clock::ExpertReport => s.expert_months,
            Clock::ComplainantDetails | Clock::ComplainantInfo => s.complainant_months,
        }
    }
}

/// One clock as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockView {
    pub clock: &'static str,
    pub label: &'static str,
    pub start_on: String,
    pub due_on: String,
    /// « lundi 02/03/2026 ».
    pub due_label: String,
    /// « reçue le 31/01/2026 → + 1 mois = 28/02/2026 → samedi → lundi 02/03/2026 ».
    pub explanation: String,
    /// `ok`, `soon`, `overdue`, `stopped`, and for the overall clock `flagged`, `overrun`,
    /// `justified`.
    pub state: &'static str,
    pub state_label: String,
    pub days_left: i64,
    pub stopped_on: Option<String>,
    pub indicative: bool,
}

/// Starts the overall clock of a newly registered complaint.
pub(crate) fn start_overall(conn: &Connection, id: i64, received_on: NaiveDate) -> Result<()> {
    let months = crate::store::settings::deadlines(conn)?.overall_months;
    start(conn, id, Clock::Overall, received_on, months, false).map(|_| ())
}

/// Starts a clock whose due date a letter stated (the clock keeps it: the letter and the clock
/// never disagree); `document` is that letter.
pub(crate) fn start_stated(
    conn: &Connection,
    id: i64,
    clock: Clock,
    start: NaiveDate,
    months: u32,
    due: NaiveDate,
    document: i64,
) -> Result<()> {
    conn.execute(
        "INSERT INTO deadlines (complaint_id, clock, start_on, months, due_on, indicative, document_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, clock, start.to_string(), months, due.to_string(), clock.indicative(), document],
    )?;
    Ok(())
}

/// Starts a clock; returns its due date.
pub(crate) fn start(
    conn: &Connection,
    id: i64,
    clock: Clock,
    start: NaiveDate,
    months: u32,
    indicative: bool,
) -> Result<NaiveDate> {
    let due = deadlines::deadline(start, months).due;
    conn.execute(
        "INSERT INTO deadlines (complaint_id, clock, start_on, months, due_on, indicative)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, clock, start.to_string(), months, due.to_string(), indicative],
    )?;
    Ok(due)
}

/// Stops the running clocks among `clocks`; returns those it stopped.
pub(crate) fn stop(conn: &Connection, id: i64, clocks: &[Clock], on: NaiveDate, why: StopReason) -> Result<Vec<Clock>> {
    let mut stopped = Vec::new();
    for clock in clocks {
        let n = conn.execute(
            "UPDATE deadlines SET stopped_on = ?3, stop_reason = ?4
             WHERE complaint_id = ?1 AND clock = ?2 AND stopped_on IS NULL",
            params![id, clock, on.to_string(), why],
        )?;
        if n > 0 {
            stopped.push(*clock);
        }
    }
    Ok(stopped)
}

/// Records that the answer of `clock` arrived, even after its clock was stopped (a decision
/// taken without waiting): the latest such clock is marked answered.
pub(crate) fn answered(conn: &Connection, id: i64, clock: Clock, on: NaiveDate) -> Result<()> {
    conn.execute(
        "UPDATE deadlines SET stopped_on = coalesce(stopped_on, ?3), stop_reason = ?4
         WHERE id = (SELECT max(id) FROM deadlines WHERE complaint_id = ?1 AND clock = ?2)",
        params![id, clock, on.to_string(), StopReason::Answered],
    )?;
    Ok(())
}

/// Stops every running clock: the file is closed.
pub(crate) fn stop_all(conn: &Connection, id: i64, on: NaiveDate) -> Result<()> {
    conn.execute(
        "UPDATE deadlines SET stopped_on = ?2, stop_reason = ?3 WHERE complaint_id = ?1 AND stopped_on IS NULL",
        params![id, on.to_string(), StopReason::Closed],
    )?;
    Ok(())
}

/// Records that the overrun of the overall deadline was justified.
pub(crate) fn justify_overall(conn: &Connection, id: i64, on: NaiveDate) -> Result<()> {
    conn.execute(
        "UPDATE deadlines SET justified_on = ?2 WHERE complaint_id = ?1 AND clock = ?3",
        params![id, on.to_string(), Clock::Overall],
    )?;
    Ok(())
}

/// Deletes a complaint's clocks: the retention purge.
pub(crate) fn delete_all(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM deadlines WHERE complaint_id = ?1", params![id])?;
    Ok(())
}

/// Whether `clock` is running.
pub(crate) fn is_running(conn: &Connection, id: i64, clock: Clock) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM deadlines WHERE complaint_id = ?1 AND clock = ?2 AND stopped_on IS NULL",
            params![id, clock],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Whether the overrun of the overall deadline was justified.
pub(crate) fn overall_justified(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT justified_on IS NOT NULL FROM deadlines WHERE complaint_id = ?1 AND clock = ?2",
            params![id, Clock::Overall],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false))
}

/// A complaint's clocks as the transition rule reads them, from one read of its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ClockFacts {
    /// (clock, stopped, stop reason code, justified, due date), in the order they started.
    rows: Vec<(Option<Clock>, bool, String, bool, String)>,
}

impl ClockFacts {
    pub(crate) fn read(conn: &Connection, id: i64) -> Result<ClockFacts> {
        let mut stmt = conn.prepare_cached(
            "SELECT clock, stopped_on IS NOT NULL, coalesce(stop_reason, ''), justified_on IS NOT NULL, due_on
             FROM deadlines WHERE complaint_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map(params![id], |r| {
                let clock: String = r.get(0)?;
                Ok((Clock::from_code(&clock), r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ClockFacts { rows })
    }

    fn of(&self, clock: Clock) -> impl Iterator<Item = &(Option<Clock>, bool, String, bool, String)> {
        self.rows.iter().filter(move |r| r.0 == Some(clock))
    }

    /// Whether `clock` is running.
    pub(crate) fn is_running(&self, clock: Clock) -> bool {
        self.of(clock).any(|r| !r.1)
    }

    /// Whether `clock` was started and its answer is not recorded: running, or stopped without an
    /// answer (a decision taken without waiting, the file declared inadmissible or closed). Clocks
    /// stopped before schema 2 (no reason stored) count as answered.
    pub(crate) fn unanswered(&self, clock: Clock) -> bool {
        let mut started = false;
        for (_, stopped, reason, _, _) in self.of(clock) {
            started = true;
            if reason == StopReason::Answered.code() || (*stopped && reason.is_empty()) {
                return false;
            }
        }
        started
    }

    /// Whether the overrun of the overall deadline was justified.
    pub(crate) fn overall_justified(&self) -> bool {
        self.of(Clock::Overall).next().is_some_and(|r| r.3)
    }

    /// The due date (ISO) of the latest `clock`, if it was ever started.
    pub(crate) fn latest_due(&self, clock: Clock) -> Option<&str> {
        self.of(clock).last().map(|r| r.4.as_str())
    }
}

/// The start and due dates (ISO) of the latest `clock` of a complaint, if it was ever started.
pub fn latest_dates(conn: &Connection, id: i64, clock: Clock) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT start_on, due_on FROM deadlines WHERE complaint_id = ?1 AND clock = ?2 ORDER BY id DESC LIMIT 1",
            params![id, clock],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The start and due dates (ISO) of the latest `clock` of a complaint started by its own event —
/// the firm informed, the file transmitted to the instructeur, the expert appointed, the
/// complainant asked — and not by a reminder, whose letter restarts the clock to the new date it
/// states ([`crate::store::workflow`]): what a letter quotes as « le …, nous vous avons … ».
/// The firm's clock counts only when it is the current firm's: after a correction of the firm
/// (`complaints.firm_corrected_on`), the old firm's clocks (started before the correction, or
/// closed by it) are not.
pub fn event_dates(conn: &Connection, id: i64, clock: Clock) -> Result<Option<(String, String)>> {
    let corrected: Option<String> = if clock == Clock::FirmAnswer {
        conn.query_row("SELECT firm_corrected_on FROM complaints WHERE id = ?1", params![id], |r| r.get(0))
            .optional()?
            .flatten()
    } else {
        None
    };
    Ok(conn
        .query_row(
            "SELECT start_on, due_on FROM deadlines k
             WHERE complaint_id = ?1 AND clock = ?2
               AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = k.document_id AND d.kind LIKE '%reminder')
               AND (?3 IS NULL OR (start_on >= ?3
                    AND NOT (coalesce(stop_reason, '') = 'closed' AND stopped_on = ?3)))
             ORDER BY id DESC LIMIT 1",
            params![id, clock, corrected],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

struct Row {
    id: i64,
    clock: Clock,
    start: String,
    months: u32,
    due: String,
    stopped_on: Option<String>,
    stop_reason: Option<StopReason>,
    justified_on: Option<String>,
    indicative: bool,
    stated_by_letter: bool,
    /// The letter that started it is a reminder.
    by_reminder: bool,
}

/// A complaint's clocks in the order they were started, and the state of the overall one
/// (`ok` when there is none).
pub fn views(
    conn: &Connection,
    id: i64,
    received_on: NaiveDate,
    today: NaiveDate,
    s: &DeadlineSettings,
) -> Result<(Vec<ClockView>, &'static str)> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, clock, start_on, months, stopped_on, justified_on, indicative, due_on, stop_reason,
                document_id IS NOT NULL,
                coalesce((SELECT kind LIKE '%reminder' FROM documents WHERE documents.id = deadlines.document_id), 0)
         FROM deadlines WHERE complaint_id = ?1 ORDER BY id",
    )?;
    let rows = read_rows(&mut stmt, params![id], "deadlines", |r| {
        Ok(Row {
            id: r.get(0)?,
            clock: r.get(1)?,
            start: r.get(2)?,
            months: r.get(3)?,
            stopped_on: r.get(4)?,
            justified_on: r.get(5)?,
            indicative: r.get(6)?,
            due: r.get(7)?,
            stop_reason: crate::store::code_or_empty(r, 8)?,
            stated_by_letter: r.get(9)?,
            by_reminder: r.get(10)?,
        })
    })?;
    let overrun_reason: bool = conn
        .query_row("SELECT overrun_justification <> '' FROM complaints WHERE id = ?1", params![id], |r| r.get(0))
        .optional()?
        .unwrap_or(false);
    let mut overall_state = "ok";
    let mut clocks = Vec::with_capacity(rows.len());
    for row in rows {
        let start = parse_date(&row.start).ok_or_else(|| Error::CorruptRow {
            table: "deadlines",
            id: row.id,
            value: row.start.clone(),
        })?;
        let computed = deadlines::deadline(start, row.months);
        // The due date as notified when the clock started: settings changed since never move it.
        let due = parse_date(&row.due).unwrap_or(computed.due);
        let explanation = if row.stated_by_letter {
            format!(
                "{} {} → échéance indiquée dans le courrier : {} {}",
                if row.by_reminder { "relancé le" } else { row.clock.start_label() },
                format_fr(start),
                french_weekday(due),
                format_fr(due)
            )
        } else {
            computed.explain(row.clock.start_label())
        };
        let left = days_left(due, today);
        let (state, state_label) = if row.clock == Clock::Overall {
            let flag = deadlines::overall_flag(received_on, today, s.flag_months, row.months);
            let state = match (row.stopped_on.is_some(), flag, row.justified_on.is_some()) {
                (true, _, _) => ("stopped", "Dossier clos".to_owned()),
                (false, OverallState::Overrun, true) => ("justified", "Dépassement justifié".to_owned()),
                (false, OverallState::Overrun, false) if overrun_reason => {
                    ("overrun", format!("En dépassement depuis {} j : motif enregistré, courriers à envoyer", -left))
                }
                (false, OverallState::Overrun, false) => ("overrun", format!("En dépassement depuis {} j", -left)),
                (false, OverallState::Flagged, _) => {
                    ("flagged", format!("Plus de {} mois : reste {left} j", s.flag_months))
                }
                (false, OverallState::Normal, _) => ("ok", format!("Reste {left} j")),
            };
            overall_state = state.0;
            state
        } else {
            match clock_state(due, today, row.stopped_on.is_some(), i64::from(s.soon_days)) {
                ClockState::Stopped => ("stopped", row.stop_reason.unwrap_or(StopReason::Answered).label().to_owned()),
                ClockState::Overdue => ("overdue", format!("Dépassé de {} j", -left)),
                ClockState::DueSoon if left == 0 => ("soon", "Échéance aujourd'hui".to_owned()),
                ClockState::DueSoon => ("soon", format!("Bientôt : reste {left} j")),
                ClockState::Ok => ("ok", format!("Reste {left} j")),
            }
        };
        clocks.push(ClockView {
            clock: row.clock.code(),
            label: row.clock.label(),
            start_on: start.to_string(),
            due_on: due.to_string(),
            due_label: format!("{} {}", french_weekday(due), format_fr(due)),
            explanation,
            state,
            state_label,
            days_left: left,
            stopped_on: row.stopped_on,
            indicative: row.indicative,
        });
    }
    Ok((clocks, overall_state))
}
