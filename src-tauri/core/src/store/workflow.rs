//! Performing the procedure's actions on a stored complaint. The rules are
//! [`crate::procedure`]; this module loads a file's state ([`load`]), asks them, and saves what
//! they decide: [`perform`] checks an action (step, obligations, form, impartiality) and writes
//! its effects, its step change and its journal entry in one transaction; what a letter marked
//! sent sets off ([`letter_sent`]) goes through the same transition rule and the same
//! [`record`]. [`view`] is the workflow part of the complaint page. The clocks themselves are
//! [`crate::store::clocks`].

use crate::deadlines::{self, OverallState};
use crate::error::{Error, Result};
use crate::letters::kinds::LetterKind;
use crate::model::{Checklist, SendMode, Step};
use crate::procedure::effects::{self, Effect, LetterEffect, Stops};
use crate::procedure::form;
use crate::procedure::obligations::Ledger;
use crate::procedure::wording::{self, Informed};
use crate::procedure::FileState;
use crate::procedure::{
    allowed, next_hint, transition, Act, Action, ActionKind, Context, Decider, Decision, FieldKey, FieldSpec, Manager,
    Outcome, QualificationOutcome, Target,
};
use crate::store::clocks::{self, Clock, ClockFacts, ClockView, StopReason};
use crate::store::decisions::{self, Decided, DecisionRow, NewDecision};
use crate::store::declarations::{self, Clearance};
use crate::store::intervenants::{self, IntervenantKind};
use crate::store::journal::{self, JournalKind, NewEntry};
use crate::store::obligations::{self, ObligationView};
use crate::store::settings::{self, DeadlineSettings};
use crate::store::staff::{self, StaffSignatory};
use crate::store::{code_or_empty, corrupt_row};
use crate::validate::parse_date;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;

pub use crate::procedure::form::{ActionForm, OutcomeForm};

/// An allowed action and the form it needs, for the complaint page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionView {
    pub code: &'static str,
    pub label: &'static str,
    pub fields: Vec<FieldSpec>,
    /// The letters it waits for, one sentence each (the core refuses it until they are sent).
    pub waiting_for: Vec<String>,
}

/// The workflow part of the complaint page (empty by default: a complaint read for a letter).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WorkflowView {
    pub next_hint: &'static str,
    pub actions: Vec<ActionView>,
    pub clocks: Vec<ClockView>,
    pub overall_state: &'static str,
    pub obligations: Vec<ObligationView>,
    pub decisions: Vec<DecisionRow>,
}

/// What [`load`] reads besides the step and the context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// The step and what decides the transitions: enough for a letter marked sent.
    Rules,
    /// And the options of one action's form.
    Form(ActionKind),
    /// And the options of every form (intervenants, documents, qualifications), with the
    /// Responsable proposed when the page already knows it.
    Forms(Option<Manager>),
}

/// A file's stored state, and its firm.
struct Loaded {
    file: FileState,
    firm_id: i64,
}

fn load(conn: &Connection, id: i64, today: NaiveDate, s: &DeadlineSettings, depth: Depth) -> Result<Loaded> {
    type Row = (String, Checklist, [bool; 5], i64, Step, Option<Manager>, String);
    let row: Option<Row> = conn
        .query_row(
            "SELECT received_on, has_complainant_details, has_firm_details, has_facts, has_actions_taken,
                    expert_report_pending, overrun_justification <> '', expert_id IS NOT NULL,
                    committee_hearing_on IS NOT NULL, firm_id,
                    EXISTS (SELECT 1 FROM decisions WHERE complaint_id = c.id), step, manager, investigator
             FROM complaints c WHERE c.id = ?1",
            params![id],
            |r| {
                let checklist = Checklist {
                    complainant_details: r.get(1)?,
                    firm_details: r.get(2)?,
                    facts: r.get(3)?,
                    actions_taken: r.get(4)?,
                };
                let flags = [r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(10)?];
                Ok((r.get(0)?, checklist, flags, r.get(9)?, r.get(11)?, code_or_empty(r, 12)?, r.get(13)?))
            },
        )
        .optional()
        // An unknown code names its row rather than failing as a database error.
        .map_err(corrupt_row("complaints", id))?;
    let (received, checklist, flags, firm_id, step, manager, investigator) =
        row.ok_or(Error::NotFound { what: "La réclamation", id })?;
    let [expert_report_pending, overrun_reason_recorded, expert_appointed, hearing_scheduled, decided] = flags;
    let received_on =
        parse_date(&received).ok_or(Error::CorruptRow { table: "complaints", id, value: received.clone() })?;
    let overrun = deadlines::overall_flag(received_on, today, s.flag_months, s.overall_months) == OverallState::Overrun;
    let c = ClockFacts::read(conn, id)?;
    let ctx = Context {
        complete: checklist.is_complete(),
        firm_answer_pending: c.is_running(Clock::FirmAnswer),
        firm_answer_missing: c.unanswered(Clock::FirmAnswer),
        investigator_answer_pending: c.is_running(Clock::InvestigatorAnswer),
        investigator_answer_missing: c.unanswered(Clock::InvestigatorAnswer),
        complainant_answer_pending: c.is_running(Clock::ComplainantDetails) || c.is_running(Clock::ComplainantInfo),
        expert_report_pending,
        expert_appointed,
        hearing_scheduled,
        overrun_unjustified: overrun && step != Step::Closed && !c.overall_justified(),
        overrun_reason_recorded,
        decided,
    };
    let mut file = FileState {
        step,
        received_on,
        checklist,
        ctx,
        manager,
        investigator,
        proposed: Manager::Qualification,
        details_lapsed: c.latest_due(Clock::ComplainantDetails).and_then(parse_date).is_some_and(|due| due < today),
        investigators: Vec::new(),
        experts: Vec::new(),
        received: Vec::new(),
        qualifications: Vec::new(),
    };
    match depth {
        Depth::Rules => {}
        Depth::Form(action) => load_options(conn, id, firm_id, &mut file, Some(action), None)?,
        Depth::Forms(proposed) => load_options(conn, id, firm_id, &mut file, None, proposed)?,
    }
    Ok(Loaded { file, firm_id })
}

/// The options of the forms (of `only`'s, or of all): the register's intervenants, the file's
/// documents received, the firm's qualifications, and the Responsable its scope proposes
/// (`proposed` when already known). Only what those forms ask for is read.
fn load_options(
    conn: &Connection,
    id: i64,
    firm_id: i64,
    file: &mut FileState,
    only: Option<ActionKind>,
    proposed: Option<Manager>,
) -> Result<()> {
    let keys: Vec<FieldKey> = match only {
        Some(action) => action.fields().iter().map(|f| f.key).collect(),
        None => vec![FieldKey::Intervenant, FieldKey::Document, FieldKey::Outcomes, FieldKey::Choice, FieldKey::By],
    };
    let needs = |key: FieldKey| keys.contains(&key);
    let pairs = |sql: &str, p: &dyn rusqlite::ToSql| -> Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map([p], |r| Ok((r.get::<_, i64>(0)?.to_string(), r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    };
    if needs(FieldKey::Intervenant) {
        for i in intervenants::list(conn, None, true)? {
            let pair = (i.id.to_string(), i.display);
            match i.kind {
                IntervenantKind::Investigator => file.investigators.push(pair),
                IntervenantKind::Expert => file.experts.push(pair),
            }
        }
    }
    if needs(FieldKey::Document) {
        file.received = pairs(
            "SELECT id, substr(created_at, 9, 2) || '/' || substr(created_at, 6, 2) || '/' || substr(created_at, 1, 4)
                || ' — ' || CASE original_name WHEN '' THEN relative_path ELSE original_name END
         FROM documents WHERE complaint_id = ?1 AND direction = 'in' ORDER BY id",
            &id,
        )?;
    }
    if needs(FieldKey::Outcomes) {
        file.qualifications = pairs(
            "SELECT id, CASE kind WHEN 'certification' THEN 'Certification ' ELSE 'Qualification ' END || reference
                || CASE label WHEN '' THEN '' ELSE ' — ' || label END
         FROM firm_qualifications WHERE firm_id = ?1 ORDER BY kind, reference",
            &firm_id,
        )?;
    }
    // The Responsable proposed: the default of « Transmise au » and of « Décidée par ».
    file.proposed = match proposed {
        Some(m) => m,
        None if needs(FieldKey::Choice) || needs(FieldKey::By) => {
            match crate::store::firms::scope_on(conn, firm_id, file.received_on)?.proposed_manager {
                "certification" => Manager::Certification,
                _ => Manager::Qualification,
            }
        }
        None => Manager::Qualification,
    };
    Ok(())
}

/// The complaint page's workflow: what to do next, the allowed actions, the clocks, the
/// obligations and the decisions; the obligations are derived once, from `ledger`.
fn view_with(
    conn: &Connection,
    id: i64,
    today: NaiveDate,
    ledger: &Ledger,
    proposed: Option<Manager>,
) -> Result<WorkflowView> {
    let s = settings::deadlines(conn)?;
    let l = load(conn, id, today, &s, Depth::Forms(proposed))?;
    let actions = allowed(l.file.step, &l.file.ctx)
        .into_iter()
        .map(|a| ActionView {
            code: a.code(),
            label: a.label(),
            fields: form::fields_for(a, &l.file),
            waiting_for: ledger.unmet(a),
        })
        .collect();
    let (clocks, overall_state) = clocks::views(conn, id, l.file.received_on, today, &s)?;
    Ok(WorkflowView {
        next_hint: next_hint(l.file.step, &l.file.ctx),
        actions,
        clocks,
        overall_state,
        obligations: ledger.checklist_on(today),
        decisions: decisions::list(conn, id)?,
    })
}

/// The workflow part of the complaint page; its obligations derived once.
pub fn view(conn: &Connection, id: i64, today: NaiveDate) -> Result<WorkflowView> {
    view_with(conn, id, today, &obligations::ledger(conn, id)?, None)
}

/// [`view`], for a page that already read the Responsable the firm's scope proposes.
pub(crate) fn view_for_page(conn: &Connection, id: i64, today: NaiveDate, proposed: Manager) -> Result<WorkflowView> {
    view_with(conn, id, today, &obligations::ledger(conn, id)?, Some(proposed))
}

/// A journal entry about to be written by [`record`].
struct Entry<'a> {
    /// Its kind when the step stays (a step change is always `StepChange`).
    kind: JournalKind,
    on: NaiveDate,
    author: &'a str,
    summary: String,
    details: String,
    document: Option<i64>,
}

/// The one place a complaint's step changes: writes `to` when it differs from `from`, and the
/// journal entry that says so (its sentence ends with the step reached).
fn record(conn: &Connection, id: i64, from: Step, to: Step, e: Entry<'_>) -> Result<()> {
    let changed = from != to;
    if changed {
        conn.execute("UPDATE complaints SET step = ?2 WHERE id = ?1", params![id, to])?;
    }
    let summary = wording::with_step(e.summary, from, to);
    journal::append(
        conn,
        id,
        &NewEntry {
            details: &e.details,
            step_from: changed.then_some(from),
            step_to: changed.then_some(to),
            document: e.document,
            ..NewEntry::simple(if changed { JournalKind::StepChange } else { e.kind }, e.on, e.author, &summary)
        },
    )
    .map(|_| ())
}

/// Where `action` leads from the file's step, or the refusal naming why; then the letters it
/// waits for, each named.
fn allowed_target(file: &FileState, action: ActionKind, ledger: &Ledger) -> Result<Target> {
    let target = transition(file.step, &file.ctx, action).map_err(|reason| Error::ActionNotAllowed {
        step: file.step,
        action,
        reason,
    })?;
    let missing = ledger.unmet(action);
    if !missing.is_empty() {
        return Err(Error::ObligationsUnmet { action, missing });
    }
    Ok(target)
}

/// Performs an action on a complaint: refused with a French message unless the procedure
/// allows it from the current step and the letters it waits for were sent. Returns the step
/// after the action.
pub fn perform(conn: &mut Connection, id: i64, author: &str, form: &ActionForm, today: NaiveDate) -> Result<Step> {
    // IMMEDIATE: the step read below cannot change before this transaction writes.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let next = act_in(&tx, id, author, form, today, None)?;
    tx.commit()?;
    Ok(next)
}

/// [`perform`] inside the caller's transaction. `letter`: the letter whose sending is this
/// action (the acknowledgement marked sent), which its journal entry names.
fn act_in(
    tx: &Connection,
    id: i64,
    author: &str,
    form: &ActionForm,
    today: NaiveDate,
    letter: Option<Sending>,
) -> Result<Step> {
    let kind = form.kind()?;
    let s = settings::deadlines(tx)?;
    let l = load(tx, id, today, &s, Depth::Form(kind))?;
    let ledger = obligations::ledger(tx, id)?;
    let target = allowed_target(&l.file, kind, &ledger)?;
    let mut action = form::parse(kind, form, &l.file, today)?;
    impartial(tx, id, &mut action)?;
    let stated = letter.and_then(|l| l.stated.map(|due| (due, l.document)));
    let (due, stopped) = apply(tx, id, &l, &action, &s, author, stated)?;
    let next = effects::next_step(target, &l.file, &action);
    let summary = wording::action_summary(&action, &l.file, due, &stopped, &ledger.checked(kind));
    let entry = Entry {
        kind: effects::effect(kind).journal,
        on: action.on,
        author,
        summary,
        details: action.act.details(),
        // The answer or the report received, chosen among the file's documents; or the
        // letter whose sending this is.
        document: action.act.document().or(letter.map(|l| l.document)),
    };
    record(tx, id, l.file.step, next, entry)?;
    Ok(next)
}

/// A letter whose sending is an action: the document, and the answer date it states.
#[derive(Debug, Clone, Copy)]
struct Sending {
    document: i64,
    stated: Option<NaiveDate>,
}

/// A letter that is the procedure's event, marked sent: that action, on the sending date,
/// through the same rule, obligations and effects as a typed one — when the file is at its
/// step and the action needs nothing else (a closing before the précisions are late needs its
/// reason typed). Otherwise only the sending is recorded, as for any letter.
fn event_by_letter(
    conn: &Connection,
    id: i64,
    document_id: i64,
    action: ActionKind,
    on: NaiveDate,
    author: &str,
) -> Result<()> {
    let mut form = ActionForm::of(action, &crate::french::format_fr(on));
    let (person, stated): (Option<i64>, Option<String>) =
        conn.query_row("SELECT intervenant_id, due_on FROM documents WHERE id = ?1", params![document_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    if action == ActionKind::PassToInvestigator {
        // A transmission letter made after the action names no one new: nothing more to record.
        let Some(person) = person else { return Ok(()) };
        form.intervenant = person.to_string();
    }
    let sending = Sending { document: document_id, stated: stated.as_deref().and_then(parse_date) };
    conn.execute_batch("SAVEPOINT event_by_letter")?;
    match act_in(conn, id, author, &form, on, Some(sending)) {
        Ok(_) => conn.execute_batch("RELEASE event_by_letter")?,
        Err(Error::ActionNotAllowed { .. } | Error::ObligationsUnmet { .. } | Error::Validation { .. }) => {
            conn.execute_batch("ROLLBACK TO event_by_letter; RELEASE event_by_letter")?;
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO event_by_letter; RELEASE event_by_letter");
            return Err(e);
        }
    }
    Ok(())
}

/// Writes the columns an action's own data fills.
fn write_columns(conn: &Connection, id: i64, file: &FileState, action: &Action) -> Result<()> {
    let on = action.on.to_string();
    let date = |d: &Option<NaiveDate>| d.map(|d| d.to_string());
    let set = |sql: &str, values: &[&dyn rusqlite::ToSql]| -> Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut all: Vec<&dyn rusqlite::ToSql> = vec![&id];
        all.extend_from_slice(values);
        stmt.execute(all.as_slice())?;
        Ok(())
    };
    match &action.act {
        Act::RecordDetailsReceived { elements, facts, actions_taken, .. } => {
            let mut c = file.checklist;
            for code in elements {
                c.receive(code);
            }
            // What was received completes the complaint: the page and the letters show it.
            for (column, value) in [("facts", facts), ("actions_taken", actions_taken)] {
                if let Some(value) = value {
                    conn.execute(
                        &format!(
                            "UPDATE complaints SET {column} = CASE WHEN trim({column}) = '' THEN ?2
                                                   ELSE {column} || char(10) || char(10) || ?2 END WHERE id = ?1"
                        ),
                        params![id, value],
                    )?;
                }
            }
            set(
                "UPDATE complaints SET has_complainant_details = ?2, has_firm_details = ?3, has_facts = ?4,
                                       has_actions_taken = ?5 WHERE id = ?1",
                &[&c.complainant_details, &c.firm_details, &c.facts, &c.actions_taken],
            )
        }
        Act::CloseForLackOfDetails { reason } => {
            set("UPDATE complaints SET closed_on = ?2, lack_of_details_reason = ?3 WHERE id = ?1", &[&on, reason])
        }
        Act::CloseFile => set("UPDATE complaints SET closed_on = ?2 WHERE id = ?1", &[&on]),
        Act::DeclareInadmissible { reason } => {
            set("UPDATE complaints SET inadmissible_reason = ?2 WHERE id = ?1", &[reason])
        }
        Act::Transmit { manager } => set("UPDATE complaints SET manager = ?2 WHERE id = ?1", &[manager]),
        Act::RequestInformation { asked } => {
            set("UPDATE complaints SET information_request = ?2 WHERE id = ?1", &[asked])
        }
        Act::PassToInvestigator { investigator } => set(
            "UPDATE complaints SET investigator = ?2, investigator_id = ?3 WHERE id = ?1",
            &[&investigator.name, &investigator.id],
        ),
        Act::AppointExpert { expert, mission } => set(
            "UPDATE complaints SET expert_id = ?2, expert_mission = ?3, expert_appointed_on = ?4 WHERE id = ?1",
            &[&expert.id, mission, &on],
        ),
        Act::ScheduleHearing { hearing } => {
            set("UPDATE complaints SET committee_hearing_on = ?2 WHERE id = ?1", &[&hearing.to_string()])
        }
        Act::Decide { decision, to_complainant, .. } => set(
            "UPDATE complaints SET decision = ?2, decision_reasons = ?3, expert_report_pending = ?4, decided_on = ?5
             WHERE id = ?1",
            &[decision, to_complainant, &(*decision == Decision::Expert), &on],
        ),
        Act::RecordExpertReport { .. } => set("UPDATE complaints SET expert_report_pending = 0 WHERE id = ?1", &[]),
        Act::RecordCommitteeOutcome { outcomes, to_complainant, .. } => set(
            "UPDATE complaints SET committee_outcome = ?2, committee_scope = ?3, committee_reasons = ?4,
                                   committee_on = ?5 WHERE id = ?1",
            &[&Outcome::overall(outcomes), &Outcome::scope(outcomes), to_complainant, &on],
        ),
        Act::JustifyOverrun { reason, expected } => set(
            "UPDATE complaints SET overrun_justification = ?2, overrun_expected_on = ?3 WHERE id = ?1",
            &[reason, &date(expected)],
        ),
        Act::Acknowledge
        | Act::RequestDetails
        | Act::RecordFirstAnalysis { .. }
        | Act::InformFirm { .. }
        | Act::RecordFirmAnswer { .. }
        | Act::RecordComplainantAnswer { .. }
        | Act::RecordInvestigatorAnswer { .. } => Ok(()),
    }
}

/// Records a decision, and the committee's outcome per qualification in the firms register.
fn write_decision(conn: &Connection, id: i64, l: &Loaded, action: &Action, author: &str) -> Result<()> {
    let (new, outcomes) = match &action.act {
        Act::Decide { decision, by, to_complainant, to_firm, waiver } => (
            NewDecision {
                decided: Decided::Decision(*decision),
                by: *by,
                decider_name: if *by == Decider::Investigator { l.file.investigator.as_str() } else { "" },
                on: action.on,
                reasons_complainant: to_complainant,
                reasons_firm: to_firm,
                scope: "",
                waiver,
            },
            &[][..],
        ),
        Act::RecordCommitteeOutcome { outcomes, to_complainant, to_firm } => (
            NewDecision {
                decided: Decided::Committee(Outcome::overall(outcomes)),
                by: Decider::AppealsCommittee,
                decider_name: "",
                on: action.on,
                reasons_complainant: to_complainant,
                reasons_firm: to_firm,
                scope: &Outcome::scope(outcomes),
                waiver: "",
            },
            &outcomes[..],
        ),
        _ => return Ok(()),
    };
    let decision_id = decisions::append(conn, id, &new, author)?;
    if matches!(action.act, Act::Decide { decision: Decision::Expert, .. }) {
        // A new expertise: its expert is appointed afresh.
        conn.execute(
            "UPDATE complaints SET expert_id = NULL, expert_mission = '', expert_appointed_on = NULL WHERE id = ?1",
            params![id],
        )?;
    }
    for o in outcomes {
        conn.execute(
            "INSERT INTO committee_outcomes (decision_id, complaint_id, qualification_id, outcome, from_on, until_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                decision_id,
                id,
                o.qualification_id,
                o.outcome,
                o.from.map(|f| f.to_string()),
                o.until.map(|u| u.to_string())
            ],
        )?;
        // Written back to the firms register (a maintained one keeps its status).
        let status = match o.outcome {
            QualificationOutcome::Maintained => continue,
            QualificationOutcome::Suspended => "suspended",
            QualificationOutcome::Withdrawn => "withdrawn",
        };
        conn.execute(
            "UPDATE firm_qualifications SET status = ?2, status_from = ?3, status_until = ?4, status_complaint_id = ?5
             WHERE id = ?1 AND firm_id = ?6",
            params![
                o.qualification_id,
                status,
                o.from.map(|f| f.to_string()),
                o.until.map(|u| u.to_string()),
                id,
                l.firm_id
            ],
        )?;
        // The firm's history says it, as any change to a qualification.
        let date = |d: Option<NaiveDate>| d.map(crate::french::format_fr).unwrap_or_default();
        let what = match o.outcome {
            QualificationOutcome::Suspended => format!("suspendue du {} au {}", date(o.from), date(o.until)),
            _ => format!("retirée à compter du {}", date(o.from)),
        };
        let reference: String =
            conn.query_row("SELECT reference FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?;
        let reason = format!("Décision de la commission de recours (réclamation {reference})");
        let by = crate::store::firms::By { author, reason: &reason, import_id: None };
        let change = crate::store::firms::Change { field: "Statut", old: "en cours".into(), new: what };
        crate::store::firms::history::write(conn, l.firm_id, Some(o.qualification_id), &[change], by)?;
    }
    Ok(())
}

/// Writes an action's effect; returns the due date of the clock it started and the clocks it
/// stopped.
/// `stated`: the due date a letter stated and that letter, which the clock the action starts
/// keeps (the transmission letter marked sent).
fn apply(
    conn: &Connection,
    id: i64,
    l: &Loaded,
    action: &Action,
    s: &DeadlineSettings,
    author: &str,
    stated: Option<(NaiveDate, i64)>,
) -> Result<(Option<NaiveDate>, Vec<Clock>)> {
    let effect = effects::effect(action.act.kind());
    write_columns(conn, id, &l.file, action)?;
    if effect.decides {
        write_decision(conn, id, l, action, author)?;
    }
    apply_effect(conn, id, &effect, action.on, s, stated)
}

/// Writes the clocks of an effect, on `on`: those it stops, answers and starts (keeping the due
/// date a letter `stated`, with that letter); returns the due date of the clock it started and
/// the clocks it stopped.
fn apply_effect(
    conn: &Connection,
    id: i64,
    effect: &Effect,
    on: NaiveDate,
    s: &DeadlineSettings,
    stated: Option<(NaiveDate, i64)>,
) -> Result<(Option<NaiveDate>, Vec<Clock>)> {
    let stopped = match effect.stops {
        Stops::These([], _) => Vec::new(),
        Stops::These(list, why) => clocks::stop(conn, id, list, on, why)?,
        Stops::AllButOverall => {
            let others: Vec<Clock> = Clock::ALL.iter().copied().filter(|c| *c != Clock::Overall).collect();
            clocks::stop(conn, id, &others, on, StopReason::Closed)?
        }
        Stops::All => {
            clocks::stop_all(conn, id, on)?;
            Vec::new()
        }
    };
    if let Some(clock) = effect.answers {
        clocks::answered(conn, id, clock, on)?;
    }
    let due = match (effect.starts, stated) {
        (Some(clock), Some((due, letter))) => {
            clocks::start_stated(conn, id, clock, on, clock.months(s), due, letter)?;
            Some(due)
        }
        (Some(clock), None) => Some(clocks::start(conn, id, clock, on, clock.months(s), clock.indicative())?),
        (None, _) => None,
    };
    Ok((due, stopped))
}

/// The intervenant `person` may take file `id`: he declared no conflict of interest with its
/// parties. His civil name, or the refusal keyed `intervenant`.
pub(crate) fn cleared(conn: &Connection, id: i64, person: i64) -> Result<String> {
    let name = intervenants::get(conn, person)?.civil_name();
    match declarations::intervenant_clearance(conn, id, person)? {
        Clearance::NoConflict => Ok(name),
        Clearance::Conflict => Err(Error::field(
            FieldKey::Intervenant.code(),
            format!("{name} a déclaré un conflit d'intérêts sur ce dossier : il ne peut pas y intervenir."),
        )),
        Clearance::NotDeclared => Err(Error::field(
            FieldKey::Intervenant.code(),
            format!("{name} n'a pas encore déclaré l'absence de conflit d'intérêts pour ce dossier : enregistrez d'abord sa déclaration (carte « Déclarations d'intérêts »)."),
        )),
    }
}

/// Impartiality (the qualification standard): an instructeur or an expert takes a file only
/// after declaring no conflict of interest with its parties, and so does the Responsable when
/// the settings ask for it. Fills the chosen intervenant's name.
fn impartial(conn: &Connection, id: i64, action: &mut Action) -> Result<()> {
    if let Some(person) = action.act.chosen_mut() {
        person.name = cleared(conn, id, person.id)?;
    }
    if let Act::Transmit { manager } = action.act {
        if declarations::manager_declaration_required(conn)? {
            let signatory = match manager {
                Manager::Certification => StaffSignatory::CertificationManager,
                Manager::Qualification => StaffSignatory::QualificationManager,
            };
            let label = manager.label();
            let Some(member) = staff::signatory_member(conn, signatory)? else {
                return Err(Error::field(
                    FieldKey::Choice.code(),
                    format!("Aucun membre du personnel n'est désigné comme {label} (Paramètres) : sa déclaration d'intérêts est exigée."),
                ));
            };
            if declarations::staff_clearance(conn, id, member.id)? != Clearance::NoConflict {
                return Err(Error::field(
                    FieldKey::Choice.code(),
                    format!(
                        "{} ({label}) doit d'abord déclarer l'absence de conflit d'intérêts pour ce dossier.",
                        member.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// What sending a letter sets off ([`effects::of_letter`]), inside the transaction that records
/// the sending (or, with `ar`, the return of its AR card): the action the letter is, the firm
/// informed by its information letter (its clock starts and keeps the answer date the letter
/// states), a clock reminded, and an overrun justified once its reason is recorded and both its
/// letters are sent.
pub(crate) fn letter_sent(
    conn: &Connection,
    complaint_id: i64,
    document_id: i64,
    kind: LetterKind,
    on: NaiveDate,
    ar: bool,
    author: &str,
) -> Result<()> {
    match effects::of_letter(kind, ar) {
        Some(LetterEffect::Act(action)) => event_by_letter(conn, complaint_id, document_id, action, on, author),
        Some(LetterEffect::InformsFirm) => firm_informed_by_letter(conn, complaint_id, document_id, on, ar, author),
        Some(LetterEffect::Reminds(clocks_)) => reminded(conn, complaint_id, document_id, clocks_, on, author),
        Some(LetterEffect::JustifiesOverrun) => overrun_justified(conn, complaint_id, author),
        None => Ok(()),
    }
}

/// The firm informed by its letter: the action « Informer le qualifié », through the same
/// transition rule, obligations check, effect ([`effects::firm_informed_by_letter`], written by
/// [`apply_effect`]) and journal entry ([`record`]) as a typed action, when the file is at its
/// step.
fn firm_informed_by_letter(
    conn: &Connection,
    id: i64,
    document_id: i64,
    on: NaiveDate,
    ar: bool,
    author: &str,
) -> Result<()> {
    let (mode, number, stated): (String, String, Option<String>) = conn.query_row(
        "SELECT send_mode, registered_number, due_on FROM documents WHERE id = ?1",
        params![document_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mode = SendMode::from_code(&mode).unwrap_or(SendMode::Simple);
    let clock_from_ar = settings::letters(conn)?.firm_clock_start == settings::FirmClockStart::ArReturned;
    if effects::firm_informed_on_ar(clock_from_ar, mode) != ar {
        return Ok(());
    }
    let s = settings::deadlines(conn)?;
    let l = load(conn, id, on, &s, Depth::Rules)?;
    let computed = deadlines::deadline(on, Clock::FirmAnswer.months(&s)).due;
    let due = stated.as_deref().and_then(parse_date).unwrap_or(computed);
    let how = if ar { Informed::ArSigned { number: &number } } else { Informed::Sent { mode, number: &number } };
    // Sent again, or at another step: the letter informs no one of anything new — unless the
    // firm was corrected after the old one was informed: the new one is informed now, and its
    // own clock starts (the step stays).
    let next = match allowed_target(&l.file, ActionKind::InformFirm, &obligations::ledger(conn, id)?) {
        Ok(Target::To(step)) => Some(step),
        Ok(_) => Some(l.file.step),
        Err(_) => None,
    };
    if next.is_none() {
        let corrected: bool =
            conn.query_row("SELECT firm_corrected_on IS NOT NULL FROM complaints WHERE id = ?1", params![id], |r| {
                r.get(0)
            })?;
        if !corrected || clocks::is_running(conn, id, Clock::FirmAnswer)? {
            return Ok(());
        }
    }
    let effect = effects::firm_informed_by_letter(next.is_some());
    apply_effect(conn, id, &effect, on, &s, Some((due, document_id)))?;
    let entry = Entry {
        kind: effect.journal,
        on,
        author,
        summary: wording::firm_informed_by_letter(LetterKind::FirmNotification.label(), how, on, due),
        details: String::new(),
        document: Some(document_id),
    };
    record(conn, id, l.file.step, next.unwrap_or(l.file.step), entry)
}

/// A reminder sent: the awaited answer's clock (the first of `clocks` running) runs on to the new
/// date the reminder states; the stopped one says « Relancé ».
fn reminded(
    conn: &Connection,
    id: i64,
    document_id: i64,
    clocks_: &[Clock],
    on: NaiveDate,
    author: &str,
) -> Result<()> {
    let mut running = None;
    for c in clocks_ {
        if clocks::is_running(conn, id, *c)? {
            running = Some(*c);
            break;
        }
    }
    let Some(clock) = running else { return Ok(()) };
    let stated: Option<String> =
        conn.query_row("SELECT due_on FROM documents WHERE id = ?1", params![document_id], |r| r.get(0))?;
    let reminder_days = i64::from(settings::letters(conn)?.reminder_days);
    let due = stated
        .as_deref()
        .and_then(parse_date)
        .unwrap_or_else(|| deadlines::roll_to_working_day(on + chrono::Duration::days(reminder_days)));
    let months: u32 = conn.query_row(
        "SELECT months FROM deadlines WHERE complaint_id = ?1 AND clock = ?2 AND stopped_on IS NULL",
        params![id, clock],
        |r| r.get(0),
    )?;
    clocks::stop(conn, id, &[clock], on, StopReason::Reminded)?;
    clocks::start_stated(conn, id, clock, on, months, due, document_id)?;
    let step = current_step(conn, id)?;
    let entry = Entry {
        kind: JournalKind::Note,
        on,
        author,
        summary: wording::reminded(on, clock, due),
        details: String::new(),
        document: Some(document_id),
    };
    record(conn, id, step, step, entry)
}

fn current_step(conn: &Connection, id: i64) -> Result<Step> {
    conn.query_row("SELECT step FROM complaints WHERE id = ?1", params![id], |r| r.get(0))
        .map_err(corrupt_row("complaints", id))
}

fn overrun_justified(conn: &Connection, id: i64, author: &str) -> Result<()> {
    if clocks::overall_justified(conn, id)? {
        return Ok(());
    }
    let Some((last, sent)) = obligations::ledger(conn, id)?.overrun_letters_sent() else { return Ok(()) };
    clocks::justify_overall(conn, id, last)?;
    let step = current_step(conn, id)?;
    let entry = Entry {
        kind: JournalKind::Note,
        on: last,
        author,
        summary: wording::overrun_justified(last, &sent),
        details: String::new(),
        document: None,
    };
    record(conn, id, step, step, entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::complaints::{self, tests::sample_complaint};
    use crate::test_support::{form, send_letter};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn act(action: ActionKind, date: &str) -> ActionForm {
        ActionForm::of(action, date)
    }

    /// An incomplete complaint received on Saturday 31/01/2026 (the actions already taken are missing).
    fn registered(conn: &mut Connection) -> Result<i64> {
        let mut form = sample_complaint();
        form.received_on = "31/01/2026".into();
        form.actions_taken.clear();
        form.checklist.actions_taken = false;
        Ok(complaints::register(conn, &form, day(2026, 2, 2), "Secrétariat")?.id)
    }

    /// A complete complaint received 02/03/2026, transmitted, its firm informed by phone on 04/03.
    fn informed(conn: &mut Connection) -> Result<i64> {
        let mut intake = sample_complaint();
        intake.received_on = "02/03/2026".into();
        let id = complaints::register(conn, &intake, day(2026, 3, 2), "S")?.id;
        let today = day(2026, 3, 4);
        perform(conn, id, "S", &act(ActionKind::Acknowledge, "02/03/2026"), today)?;
        perform(conn, id, "S", &form(ActionKind::Transmit, "03/03/2026", &[("choice", "qualification")]), today)?;
        let phone = form(ActionKind::InformFirm, "04/03/2026", &[("choice", "phone"), ("text", "Appel au gérant.")]);
        perform(conn, id, "S", &phone, today)?;
        Ok(id)
    }

    fn decide(decision: &str, date: &str, extra: &[(&str, &str)]) -> ActionForm {
        let mut fields = vec![
            ("choice", decision),
            ("by", "qualification_manager"),
            ("text", "Pour le plaignant : métré erroné."),
            ("firm_text", "Pour le cabinet : revoyez vos métrés."),
        ];
        fields.extend_from_slice(extra);
        form(ActionKind::Decide, date, &fields)
    }

    fn clock<'a>(v: &'a WorkflowView, code: &str) -> Option<&'a ClockView> {
        v.clocks.iter().find(|c| c.clock == code)
    }

    fn refusal(result: Result<Step>) -> String {
        match result {
            Err(e @ Error::ObligationsUnmet { .. }) => e.user_message(),
            other => panic!("expected a refusal for letters not sent, got {other:?}"),
        }
    }

    #[test]
    fn a_complaint_walks_the_whole_procedure_with_its_clocks_letters_and_journal() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = registered(&mut conn)?;
        let v = view(&conn, id, day(2026, 2, 2))?;
        let overall = clock(&v, "overall").ok_or(Error::field("t", "no overall clock"))?;
        assert_eq!(overall.explanation, "reçue le 31/01/2026 → + 6 mois = 31/07/2026");
        assert_eq!(v.actions.iter().map(|a| a.code).collect::<Vec<_>>(), ["request_details", "declare_inadmissible"]);
        assert_eq!(
            v.obligations.iter().map(|o| (o.letter, o.state)).collect::<Vec<_>>(),
            [("request_details", "to_prepare")]
        );

        let today = day(2026, 4, 1);
        assert_eq!(
            perform(&mut conn, id, "Sophie", &act(ActionKind::RequestDetails, "02/02/2026"), today)?,
            Step::AwaitingDetails
        );
        let received = form(
            ActionKind::RecordDetailsReceived,
            "10/02/2026",
            &[
                ("elements", "actions_taken"),
                ("text", "Lettre du 10/02"),
                ("actions_taken", "Relances des 2 et 20 octobre, restées sans effet."),
            ],
        );
        assert_eq!(perform(&mut conn, id, "Sophie", &received, today)?, Step::Complete);
        // What was received completes the complaint; the journal keeps it too.
        assert_eq!(
            complaints::get(&conn, id, today)?.actions_taken,
            "Relances des 2 et 20 octobre, restées sans effet."
        );
        assert!(journal::list(&conn, id)?[0].details.contains("Relances des 2 et 20 octobre"));
        perform(
            &mut conn,
            id,
            "Sophie",
            &form(ActionKind::Transmit, "11/02/2026", &[("choice", "qualification")]),
            today,
        )?;
        // The firm is informed when its letter is marked sent, on 31/03/2026.
        send_letter(&mut conn, id, LetterKind::FirmNotification, "31/03/2026")?;
        assert_eq!(complaints::get(&conn, id, today)?.step, Step::FirmInformed);
        // 31/03/2026 + 1 month = 30/04/2026, a Thursday: no roll.
        let v = view(&conn, id, day(2026, 4, 25))?;
        let firm = clock(&v, "firm_answer").ok_or(Error::field("t", "no firm clock"))?;
        assert_eq!(
            firm.explanation,
            "qualifié informé le 31/03/2026 → échéance indiquée dans le courrier : jeudi 30/04/2026"
        );
        assert_eq!((firm.state, firm.days_left), ("soon", 5));
        assert_eq!(clock(&view(&conn, id, day(2026, 5, 1))?, "firm_answer").map(|c| c.state), Some("overdue"));

        let today = day(2026, 6, 12);
        perform(
            &mut conn,
            id,
            "Sophie",
            &form(ActionKind::RecordFirmAnswer, "04/05/2026", &[("text", "Le cabinet conteste.")]),
            today,
        )?;
        let bernard = crate::test_support::cleared_intervenant(&conn, id, "investigator", "M. Bernard")?;
        perform(
            &mut conn,
            id,
            "Sophie",
            &form(ActionKind::PassToInvestigator, "05/05/2026", &[("intervenant", &bernard)]),
            today,
        )?;
        perform(
            &mut conn,
            id,
            "Sophie",
            &form(ActionKind::RecordInvestigatorAnswer, "01/06/2026", &[("text", "Erreur avérée.")]),
            today,
        )?;
        assert_eq!(perform(&mut conn, id, "Sophie", &decide("warning", "10/06/2026", &[]), today)?, Step::Decided);
        // Closing waits for both decision letters, naming each one missing.
        let close = act(ActionKind::CloseFile, "12/06/2026");
        assert_eq!(
            refusal(perform(&mut conn, id, "Sophie", &close, today)),
            "« Clore le dossier » n'est pas encore possible. Le courrier de décision au plaignant n'a pas été envoyé. Le courrier de décision au qualifié n'a pas été envoyé."
        );
        send_letter(&mut conn, id, LetterKind::WarningComplainant, "11/06/2026")?;
        assert_eq!(
            refusal(perform(&mut conn, id, "Sophie", &close, today)),
            "« Clore le dossier » n'est pas encore possible. Le courrier de décision au qualifié n'a pas été envoyé."
        );
        let v = view(&conn, id, today)?;
        let closing = v.actions.iter().find(|a| a.code == "mark_letters_sent").ok_or(Error::field("t", "no close"))?;
        assert_eq!(closing.waiting_for, ["Le courrier de décision au qualifié n'a pas été envoyé."]);
        send_letter(&mut conn, id, LetterKind::WarningFirm, "12/06/2026")?;
        assert_eq!(perform(&mut conn, id, "Sophie", &close, today)?, Step::Closed);

        let v = view(&conn, id, day(2026, 12, 1))?;
        assert!(v.clocks.iter().all(|c| c.state == "stopped"), "{:?}", v.clocks);
        // What closing waited for is sent; the letters nothing waits for are shown as they are.
        assert!(v.obligations.iter().filter(|o| !o.before.is_empty()).all(|o| o.met), "{:?}", v.obligations);
        assert_eq!(v.obligations.iter().find(|o| o.letter == "request_details").map(|o| o.state), Some("to_prepare"));
        let journal = journal::list(&conn, id)?;
        assert_eq!(
            journal[0].summary,
            "Dossier clos le 12/06/2026. Vérifié : Le courrier de décision au plaignant : envoyé le 11/06/2026 (courrier simple) ; Le courrier de décision au qualifié : envoyé le 12/06/2026 (courrier simple). Étape : « Clôturée »."
        );
        assert_eq!(journal::first_broken(&conn, id)?, None);
        let detail = complaints::get(&conn, id, day(2026, 12, 1))?;
        assert_eq!((detail.decision_label, detail.closed_on.as_deref()), ("Avertissement", Some("2026-06-12")));
        Ok(())
    }

    #[test]
    fn a_forbidden_action_is_refused_and_changes_nothing() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = registered(&mut conn)?;
        match perform(&mut conn, id, "S", &decide("warning", "02/02/2026", &[]), day(2026, 2, 2)) {
            Err(e @ Error::ActionNotAllowed { .. }) => assert_eq!(
                e.user_message(),
                "L'action « Enregistrer la décision » n'est pas possible à l'étape « Enregistrée »."
            ),
            other => panic!("{other:?}"),
        }
        let ack = act(ActionKind::Acknowledge, "02/02/2026");
        assert!(matches!(perform(&mut conn, id, "S", &ack, day(2026, 2, 2)),
            Err(e @ Error::ActionNotAllowed { .. }) if e.user_message().ends_with("la réclamation est incomplète : demandez des précisions.")));
        assert_eq!(journal::list(&conn, id)?.len(), 1);
        assert_eq!(complaints::get(&conn, id, day(2026, 2, 2))?.step, Step::Registered);
        Ok(())
    }

    #[test]
    fn action_data_is_validated_field_by_field() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = registered(&mut conn)?;
        match perform(&mut conn, id, "S", &act(ActionKind::DeclareInadmissible, "02/02/2026"), day(2026, 2, 2)) {
            Err(Error::Validation { fields }) => assert!(fields.contains_key("text"), "{fields:?}"),
            other => panic!("{other:?}"),
        }
        for (date, expected) in [("30/01/2026", "précéder"), ("03/02/2026", "futur"), ("xx", "invalide")] {
            match perform(&mut conn, id, "S", &act(ActionKind::RequestDetails, date), day(2026, 2, 2)) {
                Err(Error::Validation { fields }) => assert!(fields["date"].contains(expected), "{fields:?}"),
                other => panic!("{other:?}"),
            }
        }
        let unknown = ActionForm { action: "pirater".into(), ..ActionForm::default() };
        assert!(matches!(perform(&mut conn, id, "S", &unknown, day(2026, 2, 2)), Err(Error::Refused { .. })));
        // A decision needs who decided and both reasons.
        let mut conn = open_in_memory()?;
        let id = informed(&mut conn)?;
        let bare = form(ActionKind::Decide, "05/03/2026", &[("choice", "warning"), ("text", "x")]);
        match perform(&mut conn, id, "S", &bare, day(2026, 3, 5)) {
            Err(Error::Validation { fields }) => {
                assert_eq!(fields.keys().collect::<Vec<_>>(), ["by", "firm_text", "waiver"], "{fields:?}")
            }
            other => panic!("{other:?}"),
        }
        Ok(())
    }

    #[test]
    fn precisions_arrive_element_by_element_then_a_new_request_then_closure_with_its_letter() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut intake = sample_complaint();
        intake.received_on = "31/01/2026".into();
        intake.checklist.facts = false;
        intake.checklist.actions_taken = false;
        let id = complaints::register(&mut conn, &intake, day(2026, 2, 2), "S")?.id;
        let today = day(2026, 2, 20);
        perform(&mut conn, id, "S", &act(ActionKind::RequestDetails, "02/02/2026"), today)?;
        let v = view(&conn, id, today)?;
        let received =
            v.actions.iter().find(|a| a.code == "record_details_received").ok_or(Error::field("t", "none"))?;
        let options: Vec<&str> = received.fields[1].options.iter().map(|(code, _)| code.as_str()).collect();
        assert_eq!(options, ["facts", "actions_taken"]);
        // An element that was not missing is refused.
        let wrong =
            form(ActionKind::RecordDetailsReceived, "10/02/2026", &[("elements", "firm_details"), ("text", "x")]);
        assert!(matches!(perform(&mut conn, id, "S", &wrong, today), Err(Error::Validation { .. })));
        // An element received is asked for its content.
        let bare =
            form(ActionKind::RecordDetailsReceived, "10/02/2026", &[("elements", "facts"), ("text", "Exposé reçu.")]);
        assert!(
            matches!(perform(&mut conn, id, "S", &bare, today), Err(Error::Validation { fields }) if fields.contains_key("facts"))
        );
        let facts = form(
            ActionKind::RecordDetailsReceived,
            "10/02/2026",
            &[("elements", "facts"), ("text", "Exposé reçu."), ("facts", "Le métré était faux de 30 %.")],
        );
        assert_eq!(perform(&mut conn, id, "S", &facts, today)?, Step::AwaitingDetails);
        assert!(journal::list(&conn, id)?[0].summary.contains("il manque encore : la mention des actions déjà menées"));
        // The request's clock stopped with the answer: a second request asks for what is still missing.
        assert_eq!(
            perform(&mut conn, id, "S", &act(ActionKind::RequestDetails, "11/02/2026"), today)?,
            Step::AwaitingDetails
        );
        assert!(journal::list(&conn, id)?[0].summary.contains("manque : la mention des actions déjà menées"));
        // Before its date (11/03/2026), closing needs an explicit reason, and always its letter.
        let close = act(ActionKind::CloseForLackOfDetails, "20/02/2026");
        assert_eq!(
            refusal(perform(&mut conn, id, "S", &close, today)),
            "« Clore faute de précisions » n'est pas encore possible. Le courrier de clôture faute de précisions au plaignant n'a pas été envoyé."
        );
        send_letter(&mut conn, id, LetterKind::LackOfDetailsClosure, "20/02/2026")?;
        match perform(&mut conn, id, "S", &close, today) {
            Err(Error::Validation { fields }) => assert!(fields.contains_key("text"), "{fields:?}"),
            other => panic!("{other:?}"),
        }
        // Once the date has lapsed, no reason is needed.
        let later = day(2026, 3, 12);
        let close = act(ActionKind::CloseForLackOfDetails, "12/03/2026");
        assert_eq!(perform(&mut conn, id, "S", &close, later)?, Step::Closed);
        assert!(journal::list(&conn, id)?[0].summary.contains("la date de réponse indiquée au plaignant est dépassée"));
        Ok(())
    }

    #[test]
    fn an_overrun_is_justified_only_once_its_reason_is_recorded_and_both_letters_sent() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = registered(&mut conn)?;
        // 31/01/2026 + 6 months = 31/07/2026 (Friday); flagged from 30/06/2026 (+5 months, plain).
        assert_eq!(view(&conn, id, day(2026, 6, 29))?.overall_state, "ok");
        assert_eq!(view(&conn, id, day(2026, 6, 30))?.overall_state, "flagged");
        let v = view(&conn, id, day(2026, 8, 1))?;
        assert_eq!(v.overall_state, "overrun");
        let today = day(2026, 8, 3);
        let justify = form(
            ActionKind::JustifyOverrun,
            "03/08/2026",
            &[("text", "Expertise longue."), ("expected", "30/09/2026")],
        );
        assert_eq!(perform(&mut conn, id, "S", &justify, today)?, Step::Registered);
        let v = view(&conn, id, today)?;
        assert_eq!(v.overall_state, "overrun", "the reason alone does not justify");
        assert!(!v.actions.iter().any(|a| a.code == "justify_overrun"));
        assert_eq!(
            v.obligations.iter().filter(|o| o.letter.starts_with("overrun")).map(|o| o.state).collect::<Vec<_>>(),
            ["to_prepare", "to_prepare"]
        );
        send_letter(&mut conn, id, LetterKind::OverrunComplainant, "03/08/2026")?;
        assert_eq!(view(&conn, id, today)?.overall_state, "overrun");
        send_letter(&mut conn, id, LetterKind::OverrunFirm, "03/08/2026")?;
        assert_eq!(view(&conn, id, today)?.overall_state, "justified");
        let entry = &journal::list(&conn, id)?[0];
        assert!(entry.summary.starts_with("Dépassement du délai global justifié le 03/08/2026"), "{}", entry.summary);
        let expected: Option<String> =
            conn.query_row("SELECT overrun_expected_on FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?;
        assert_eq!(expected.as_deref(), Some("2026-09-30"));
        Ok(())
    }

    #[test]
    fn each_obligation_refuses_its_action_before_and_allows_it_after() -> Result<()> {
        // Inadmissible, then closed once its letter is sent.
        let mut conn = open_in_memory()?;
        let id = informed(&mut conn)?;
        let today = day(2026, 3, 20);
        let why = form(ActionKind::DeclareInadmissible, "05/03/2026", &[("text", "Hors du champ de la procédure.")]);
        assert_eq!(perform(&mut conn, id, "S", &why, today)?, Step::Inadmissible);
        let v = view(&conn, id, today)?;
        assert_eq!(clock(&v, "firm_answer").map(|c| c.state), Some("stopped"));
        let close = act(ActionKind::CloseFile, "06/03/2026");
        assert_eq!(
            refusal(perform(&mut conn, id, "S", &close, today)),
            "« Clore le dossier » n'est pas encore possible. Le courrier d'irrecevabilité au plaignant n'a pas été envoyé."
        );
        send_letter(&mut conn, id, LetterKind::Inadmissible, "06/03/2026")?;
        assert_eq!(perform(&mut conn, id, "S", &close, today)?, Step::Closed);

        // An expert, then the committee: each new step waits for the letters of the decision before.
        let mut conn = open_in_memory()?;
        let id = informed(&mut conn)?;
        let today = day(2026, 5, 30);
        let waiver = [("waiver", "Le cabinet a répondu par téléphone.")];
        assert_eq!(perform(&mut conn, id, "S", &decide("expert", "20/04/2026", &waiver), today)?, Step::Expertise);
        let expert = crate::test_support::cleared_intervenant(&conn, id, "expert", "Jean Durand")?;
        let appoint = form(
            ActionKind::AppointExpert,
            "21/04/2026",
            &[("intervenant", &expert), ("text", "Contre-métré du lot 2.")],
        );
        perform(&mut conn, id, "S", &appoint, today)?;
        for kind in
            [LetterKind::ExpertMission, LetterKind::ExpertInformationComplainant, LetterKind::ExpertInformationFirm]
        {
            send_letter(&mut conn, id, kind, "22/04/2026")?;
        }
        let report = form(ActionKind::RecordExpertReport, "25/04/2026", &[("text", "Écart confirmé.")]);
        perform(&mut conn, id, "S", &report, today)?;
        let committee = decide("appeals_committee", "26/04/2026", &[]);
        assert_eq!(
            refusal(perform(&mut conn, id, "S", &committee, today)),
            "« Enregistrer la décision » n'est pas encore possible. Le courrier d'appel à un expert au plaignant n'a pas été envoyé. Le courrier d'appel à un expert au qualifié n'a pas été envoyé."
        );
        send_letter(&mut conn, id, LetterKind::ExpertComplainant, "21/04/2026")?;
        send_letter(&mut conn, id, LetterKind::ExpertFirm, "21/04/2026")?;
        assert_eq!(perform(&mut conn, id, "S", &committee, today)?, Step::AppealsCommittee);
        let q21 = crate::test_support::qualification_of(&conn, id, "2.1")?;
        let q32 = crate::test_support::qualification_of(&conn, id, "3.2")?;
        let outcome = ActionForm {
            text: "La commission a suspendu la qualification.".into(),
            firm_text: "Suspension de six mois de la qualification 2.1.".into(),
            outcomes: vec![
                OutcomeForm {
                    qualification_id: q21,
                    outcome: "suspended".into(),
                    from: "01/06/2026".into(),
                    until: "30/11/2026".into(),
                },
                OutcomeForm { qualification_id: q32, outcome: "maintained".into(), ..OutcomeForm::default() },
            ],
            ..act(ActionKind::RecordCommitteeOutcome, "20/05/2026")
        };
        // The hearing first, then the convocation, then the outcome.
        assert!(matches!(perform(&mut conn, id, "S", &outcome, today), Err(Error::ActionNotAllowed { .. })));
        let hearing = form(ActionKind::ScheduleHearing, "28/04/2026", &[("hearing", "15/05/2026")]);
        perform(&mut conn, id, "S", &hearing, today)?;
        assert_eq!(
            journal::list(&conn, id)?[0].summary,
            "Séance de la commission de recours fixée au vendredi 15/05/2026."
        );
        assert_eq!(
            refusal(perform(&mut conn, id, "S", &outcome, today)),
            "« Enregistrer la décision de la commission » n'est pas encore possible. Le courrier de passage en commission de recours au plaignant n'a pas été envoyé. Le courrier de passage en commission de recours au qualifié n'a pas été envoyé. La convocation à la commission de recours au qualifié n'a pas été envoyée."
        );
        send_letter(&mut conn, id, LetterKind::CommitteeConvocation, "28/04/2026")?;
        // A suspension without its end date is refused, naming the qualification.
        let mut partial = outcome.clone();
        partial.outcomes[0].until.clear();
        send_letter(&mut conn, id, LetterKind::CommitteeComplainant, "27/04/2026")?;
        send_letter(&mut conn, id, LetterKind::CommitteeFirm, "27/04/2026")?;
        match perform(&mut conn, id, "S", &partial, today) {
            Err(Error::Validation { fields }) => {
                assert!(fields["outcomes"].starts_with("Qualification 2.1"), "{fields:?}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(perform(&mut conn, id, "S", &outcome, today)?, Step::Decided);
        assert!(journal::list(&conn, id)?[0].summary.contains(
            "Suspension (Qualification 2.1 — Économie de la construction : suspendue du 01/06/2026 au 30/11/2026 ; Qualification 3.2 — Économie de la construction : maintenue)"
        ));
        // Written back to the firms register, with the complaint that led to it.
        let status: (String, Option<String>, Option<String>, Option<i64>) = conn.query_row(
            "SELECT status, status_from, status_until, status_complaint_id FROM firm_qualifications WHERE id = ?1",
            params![q21],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        assert_eq!(
            status,
            ("suspended".to_owned(), Some("2026-06-01".to_owned()), Some("2026-11-30".to_owned()), Some(id))
        );
        let kept: String =
            conn.query_row("SELECT status FROM firm_qualifications WHERE id = ?1", params![q32], |r| r.get(0))?;
        assert_eq!(kept, "active");
        let close = act(ActionKind::CloseFile, "30/05/2026");
        assert!(refusal(perform(&mut conn, id, "S", &close, today))
            .contains("Le courrier de décision de la commission au qualifié"));
        send_letter(&mut conn, id, LetterKind::CommitteeOutcomeComplainant, "30/05/2026")?;
        send_letter(&mut conn, id, LetterKind::CommitteeOutcomeFirm, "30/05/2026")?;
        assert_eq!(perform(&mut conn, id, "S", &close, today)?, Step::Closed);

        // Decision history: three decisions kept, the last one final and counted.
        let history = decisions::list(&conn, id)?;
        let kinds: Vec<(&str, bool)> = history.iter().map(|d| (d.kind.as_str(), d.is_final)).collect();
        assert_eq!(kinds, [("expert", false), ("appeals_committee", false), ("suspension", true)]);
        assert_eq!(history[0].waiver, "Le cabinet a répondu par téléphone.");
        assert_eq!(history[2].decided_by, "appeals_committee");
        assert_eq!(
            (history[2].reasons_complainant.as_str(), history[2].reasons_firm.as_str()),
            ("La commission a suspendu la qualification.", "Suspension de six mois de la qualification 2.1.")
        );
        let stats = crate::store::stats::Period::parse("01/01/2026", "31/12/2026")?.statistics(&conn)?;
        let count = |list: &[crate::store::stats::Count], code: &str| {
            list.iter().find(|c| c.code == code).map_or(0, |c| c.count)
        };
        assert_eq!((count(&stats.by_decision, "appeals_committee"), count(&stats.by_decision, "expert")), (1, 0));
        assert_eq!(count(&stats.by_committee_outcome, "suspension"), 1);
        Ok(())
    }

    #[test]
    fn deciding_without_waiting_needs_a_reason_stops_the_clock_and_a_late_answer_is_still_recorded() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = informed(&mut conn)?;
        let today = day(2026, 3, 20);
        let v = view(&conn, id, today)?;
        let deciding = v.actions.iter().find(|a| a.code == "decide").ok_or(Error::field("t", "no decide"))?;
        assert_eq!(
            deciding.fields.last().map(|f| f.label),
            Some("Décision sans attendre la réponse du qualifié : motif")
        );
        assert_eq!(
            deciding.fields.iter().find(|f| f.key == crate::procedure::FieldKey::By).map(|f| f.default.as_str()),
            Some("qualification_manager")
        );
        match perform(&mut conn, id, "S", &decide("dismissed", "20/03/2026", &[]), today) {
            Err(Error::Validation { fields }) => assert!(fields.contains_key("waiver"), "{fields:?}"),
            other => panic!("{other:?}"),
        }
        let waived = decide("dismissed", "20/03/2026", &[("waiver", "Faits non établis, réponse inutile.")]);
        assert_eq!(perform(&mut conn, id, "S", &waived, today)?, Step::Decided);
        let entry = &journal::list(&conn, id)?[0];
        assert!(
            entry
                .summary
                .contains("Décision sans attendre la réponse du qualifié : Faits non établis, réponse inutile."),
            "{}",
            entry.summary
        );
        let v = view(&conn, id, today)?;
        let firm = clock(&v, "firm_answer").ok_or(Error::field("t", "no firm clock"))?;
        assert_eq!((firm.state, firm.state_label.as_str()), ("stopped", "Décision prise sans attendre la réponse"));
        // The answer arrives after the decision: it is recorded, and then no longer awaited.
        assert!(v.actions.iter().any(|a| a.code == "record_firm_answer"));
        let late = form(ActionKind::RecordFirmAnswer, "25/03/2026", &[("text", "Le cabinet conteste.")]);
        assert_eq!(perform(&mut conn, id, "S", &late, day(2026, 3, 25))?, Step::Decided);
        assert_eq!(
            journal::list(&conn, id)?[0].summary,
            "Réponse du qualifié reçue le 25/03/2026, après l'arrêt de son délai."
        );
        let v = view(&conn, id, day(2026, 3, 25))?;
        assert!(!v.actions.iter().any(|a| a.code == "record_firm_answer"));
        assert_eq!(clock(&v, "firm_answer").map(|c| c.state_label.as_str()), Some("Réponse reçue"));
        // Inadmissibility is no longer possible once decided.
        assert!(!v.actions.iter().any(|a| a.code == "declare_inadmissible"));
        Ok(())
    }

    #[test]
    fn a_firm_informed_by_phone_then_reminded_owes_no_information_letter() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = informed(&mut conn)?;
        send_letter(&mut conn, id, LetterKind::FirmReminder, "10/04/2026")?;
        let owed: Vec<&str> = obligations::checklist(&conn, id)?.iter().map(|o| o.letter).collect();
        assert!(!owed.contains(&LetterKind::FirmNotification.code()), "{owed:?}");
        let entries = crate::store::journal::list(&conn, id)?;
        assert!(entries.iter().any(|e| e.summary.starts_with("Relance envoyée le 10/04/2026")), "{entries:?}");
        Ok(())
    }

    #[test]
    fn the_firm_clock_keeps_the_date_its_letter_states() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut intake = sample_complaint();
        intake.received_on = "02/03/2026".into();
        let id = complaints::register(&mut conn, &intake, day(2026, 3, 2), "S")?.id;
        let today = day(2026, 3, 20);
        perform(&mut conn, id, "S", &act(ActionKind::Acknowledge, "02/03/2026"), today)?;
        perform(&mut conn, id, "S", &form(ActionKind::Transmit, "03/03/2026", &[("choice", "qualification")]), today)?;
        // Printed on Tuesday 03/03/2026, it states 03/04/2026 (+ 1 month, a Friday).
        let dir = tempfile::tempdir()?;
        let fonts = crate::test_support::fonts();
        let g = crate::store::letters::generate(
            &mut conn,
            dir.path(),
            fonts,
            id,
            LetterKind::FirmNotification,
            None,
            day(2026, 3, 3),
            "S",
        )?;
        let stated: Option<String> =
            conn.query_row("SELECT due_on FROM documents WHERE id = ?1", params![g.document_id], |r| r.get(0))?;
        assert_eq!(stated.as_deref(), Some("2026-04-03"));
        if let Some(text) = crate::test_support::pdftotext(&std::fs::read(&g.path)?)? {
            assert!(crate::test_support::flat(&text).contains("3 avril 2026"), "{text}");
        }
        // Sent only on 06/03/2026: the clock starts that day and keeps the letter's date.
        let sent = crate::store::letters::SentForm {
            date: "06/03/2026".into(),
            mode: "registered".into(),
            registered_number: "1A 123 456 7890 1".into(),
        };
        crate::store::letters::mark_sent(&mut conn, g.document_id, &sent, today, "S")?;
        let v = view(&conn, id, today)?;
        let firm = clock(&v, "firm_answer").ok_or(Error::field("t", "no firm clock"))?;
        assert_eq!((firm.start_on.as_str(), firm.due_on.as_str()), ("2026-03-06", "2026-04-03"));
        let entry = &journal::list(&conn, id)?[0];
        assert!(
            entry.summary.contains("envoyé le 06/03/2026 en recommandé avec AR n° 1A 123 456 7890 1"),
            "{}",
            entry.summary
        );
        assert!(entry.summary.contains("vendredi 03/04/2026 (date indiquée dans le courrier)"), "{}", entry.summary);
        assert_eq!(complaints::get(&conn, id, today)?.step, Step::FirmInformed);

        // With the setting « AR date », the clock waits for the AR card.
        let mut conn = open_in_memory()?;
        let ar =
            settings::LetterSettings { firm_clock_start: settings::FirmClockStart::ArReturned, ..Default::default() };
        settings::save_letters(&mut conn, &ar)?;
        let id = complaints::register(&mut conn, &intake, day(2026, 3, 2), "S")?.id;
        perform(&mut conn, id, "S", &act(ActionKind::Acknowledge, "02/03/2026"), today)?;
        perform(&mut conn, id, "S", &form(ActionKind::Transmit, "03/03/2026", &[("choice", "qualification")]), today)?;
        let g = crate::store::letters::generate(
            &mut conn,
            dir.path(),
            fonts,
            id,
            LetterKind::FirmNotification,
            None,
            day(2026, 3, 3),
            "S",
        )?;
        crate::store::letters::mark_sent(&mut conn, g.document_id, &sent, today, "S")?;
        assert_eq!(complaints::get(&conn, id, today)?.step, Step::InAnalysis);
        crate::store::letters::record_ar_returned(&mut conn, g.document_id, "09/03/2026", today, "S")?;
        let v = view(&conn, id, today)?;
        let firm = clock(&v, "firm_answer").ok_or(Error::field("t", "no firm clock"))?;
        assert_eq!((firm.start_on.as_str(), firm.due_on.as_str()), ("2026-03-09", "2026-04-03"));
        Ok(())
    }

    #[test]
    fn an_email_sending_counts_only_where_the_procedure_allows_it() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = informed(&mut conn)?;
        let today = day(2026, 3, 20);
        perform(&mut conn, id, "S", &decide("dismissed", "10/03/2026", &[("waiver", "Sans objet.")]), today)?;
        conn.execute("UPDATE firms SET email = 'contact@cabinet.fr'", [])?;
        let dir = tempfile::tempdir()?;
        let fonts = crate::test_support::fonts();
        for kind in [LetterKind::DismissedComplainant, LetterKind::DismissedFirm] {
            let g =
                crate::store::letters::generate(&mut conn, dir.path(), fonts, id, kind, None, day(2026, 3, 10), "S")?;
            let now = chrono::Local::now().fixed_offset();
            crate::store::letters::prepare_email(&mut conn, dir.path(), g.document_id, day(2026, 3, 10), now, "S")?;
            let by_email = crate::store::letters::SentForm {
                date: "10/03/2026".into(),
                mode: "email".into(),
                ..Default::default()
            };
            crate::store::letters::mark_sent(&mut conn, g.document_id, &by_email, today, "S")?;
        }
        // The final decision goes « par courrier »: an email does not count.
        let message = refusal(perform(&mut conn, id, "S", &act(ActionKind::CloseFile, "11/03/2026"), today));
        assert!(message.contains("Le courrier de décision au plaignant n'a pas été envoyé."), "{message}");
        let v = view(&conn, id, today)?;
        let states: Vec<&str> =
            v.obligations.iter().filter(|o| o.letter.starts_with("decision")).map(|o| o.state_label.as_str()).collect();
        assert_eq!(states, ["envoyé par courriel : un courrier postal est exigé"; 2]);
        Ok(())
    }

    #[test]
    fn files_decided_before_the_obligations_keep_their_history_and_are_marked() -> Result<()> {
        // A register at schema 1 with a decided complaint, then migrated.
        let mut conn = rusqlite::Connection::open_in_memory()?;
        conn.execute_batch(crate::db::MIGRATIONS[0])?;
        conn.execute_batch("PRAGMA user_version = 1")?;
        let now = "2026-01-01T10:00:00+01:00";
        conn.execute_batch(&format!(
            "INSERT INTO firms (name, created_at, updated_at) VALUES ('Cabinet', '{now}', '{now}');
             INSERT INTO complainants (role, name) VALUES ('client', 'Claire');
             INSERT INTO complaints (reference, received_on, channel, addressed_to, complainant_id, firm_id, nature_services,
                                     has_complainant_details, has_firm_details, has_facts, has_actions_taken, step, manager,
                                     decision, decision_reasons, decided_on, created_at)
             VALUES ('REC-2025-0001', '2025-10-01', 'letter', 'secretariat', 1, 1, 1, 1, 1, 1, 1, 'decided',
                     'certification', 'warning', 'Motifs d''alors.', '2025-12-01', '{now}');"
        ))?;
        crate::db::migrate(&mut conn)?;
        let history = decisions::list(&conn, 1)?;
        assert_eq!(history.len(), 1);
        let d = &history[0];
        assert!(d.legacy);
        assert_eq!(
            (d.kind.as_str(), d.decided_by, d.decided_on.as_str()),
            ("warning", "certification_manager", "2025-12-01")
        );
        assert_eq!((d.reasons_complainant.as_str(), d.reasons_firm.as_str()), ("Motifs d'alors.", "Motifs d'alors."));
        let today = day(2026, 1, 10);
        let v = view(&conn, 1, today)?;
        assert!(v
            .obligations
            .iter()
            .filter(|o| o.letter.starts_with("decision"))
            .all(|o| o.state == "legacy" && o.met));
        // No letter is invented after the fact: the file closes, and the journal says what was checked.
        assert_eq!(perform(&mut conn, 1, "S", &act(ActionKind::CloseFile, "10/01/2026"), today)?, Step::Closed);
        assert!(journal::list(&conn, 1)?[0].summary.contains("antérieur au contrôle des courriers : non vérifié"));
        Ok(())
    }

    #[test]
    fn only_someone_who_declared_no_conflict_takes_the_file() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = informed(&mut conn)?;
        let today = day(2026, 3, 20);
        // No instructeur in the register: said next to the field.
        let pass = |who: &str| form(ActionKind::PassToInvestigator, "05/03/2026", &[("intervenant", who)]);
        match perform(&mut conn, id, "S", &pass(""), today) {
            Err(Error::Validation { fields }) => assert!(fields["intervenant"].contains("Aucun instructeur actif")),
            other => panic!("{other:?}"),
        }
        conn.execute(
            "INSERT INTO intervenants (kind, name, address_lines, postcode, city, created_at)
             VALUES ('investigator', 'Anne Roux', '1 rue A', '75001', 'PARIS', '2026-01-01T00:00:00Z')",
            [],
        )?;
        let roux = conn.last_insert_rowid().to_string();
        match perform(&mut conn, id, "S", &pass(&roux), today) {
            Err(Error::Validation { fields }) => {
                assert!(fields["intervenant"].contains("n'a pas encore déclaré l'absence de conflit"), "{fields:?}")
            }
            other => panic!("{other:?}"),
        }
        let declare = |conn: &Connection, conflict: i64| {
            conn.execute(
                "INSERT INTO declarations (complaint_id, intervenant_id, person_name, role, declared_on, conflict,
                                           recorded_at, author)
                 VALUES (?1, ?2, 'Anne Roux', 'investigator', '2026-03-05', ?3, '2026-03-05T10:00:00Z', 'S')",
                params![id, roux, conflict],
            )
        };
        declare(&conn, 1)?;
        match perform(&mut conn, id, "S", &pass(&roux), today) {
            Err(Error::Validation { fields }) => {
                assert!(fields["intervenant"].contains("a déclaré un conflit d'intérêts"))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(complaints::get(&conn, id, today)?.step, Step::FirmInformed, "refused: nothing changed");
        // Her latest declaration decides.
        declare(&conn, 0)?;
        assert_eq!(perform(&mut conn, id, "S", &pass(&roux), today)?, Step::WithInvestigator);
        let stored: (String, Option<i64>) =
            conn.query_row("SELECT investigator, investigator_id FROM complaints WHERE id = ?1", params![id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        assert_eq!(stored, ("Anne Roux".to_owned(), roux.parse().ok()));
        Ok(())
    }

    #[test]
    fn the_expert_clock_runs_from_the_appointment_and_a_reminder_moves_it_to_the_date_it_states() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = informed(&mut conn)?;
        let today = day(2026, 5, 30);
        let waiver = [("waiver", "Le cabinet a répondu par téléphone.")];
        perform(&mut conn, id, "S", &decide("expert", "20/03/2026", &waiver), today)?;
        let expert = crate::test_support::cleared_intervenant(&conn, id, "expert", "Jean Durand")?;
        let appoint = form(
            ActionKind::AppointExpert,
            "23/03/2026",
            &[("intervenant", &expert), ("text", "Contre-métré du lot 2.")],
        );
        perform(&mut conn, id, "S", &appoint, today)?;
        // 23/03/2026 + 1 month = 23/04/2026, a Thursday.
        let v = view(&conn, id, day(2026, 4, 1))?;
        let report = clock(&v, "expert_report").ok_or(Error::field("t", "no expert clock"))?;
        assert_eq!(report.explanation, "expert désigné le 23/03/2026 → + 1 mois = 23/04/2026");
        assert_eq!(
            journal::list(&conn, id)?[0].summary,
            "Expert désigné le 23/03/2026 : M. Jean Durand ; rapport attendu au plus tard le jeudi 23/04/2026."
        );
        // The report waits for the mission letter and the parties' information.
        let report_form = form(ActionKind::RecordExpertReport, "27/04/2026", &[("text", "Écart confirmé.")]);
        let message = refusal(perform(&mut conn, id, "S", &report_form, today));
        assert!(message.contains("La lettre de mission à l'expert n'a pas été envoyée."), "{message}");
        for kind in
            [LetterKind::ExpertMission, LetterKind::ExpertInformationComplainant, LetterKind::ExpertInformationFirm]
        {
            send_letter(&mut conn, id, kind, "24/03/2026")?;
        }
        // Lapsed on 24/04: a reminder sent on 27/04 gives a new date, which the clock keeps.
        assert_eq!(clock(&view(&conn, id, day(2026, 4, 27))?, "expert_report").map(|c| c.state), Some("overdue"));
        let reminder = send_letter(&mut conn, id, LetterKind::ExpertReminder, "27/04/2026")?;
        let stated: Option<String> =
            conn.query_row("SELECT due_on FROM documents WHERE id = ?1", params![reminder], |r| r.get(0))?;
        let v = view(&conn, id, day(2026, 4, 27))?;
        let running: Vec<&ClockView> = v.clocks.iter().filter(|c| c.clock == "expert_report").collect();
        assert_eq!(running.len(), 2);
        assert_eq!(running[0].state_label, "Relancé : nouvelle échéance ci-dessous");
        let stated = stated.unwrap_or_else(|| "2026-05-12".to_owned());
        assert_eq!(running[1].due_on, stated);
        assert!(
            running[1].explanation.starts_with("relancé le 27/04/2026 → échéance indiquée dans le courrier"),
            "{}",
            running[1].explanation
        );
        assert_eq!(running[1].state, "ok");
        // The report stops it.
        assert_eq!(perform(&mut conn, id, "S", &report_form, today)?, Step::Expertise);
        let v = view(&conn, id, today)?;
        assert!(v.clocks.iter().filter(|c| c.clock == "expert_report").all(|c| c.state == "stopped"));
        assert!(v.actions.iter().any(|a| a.code == "decide"));
        Ok(())
    }

    #[test]
    fn the_responsable_declares_first_when_the_settings_ask_for_it() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut intake = sample_complaint();
        intake.received_on = "02/03/2026".into();
        let id = complaints::register(&mut conn, &intake, day(2026, 3, 2), "S")?.id;
        let today = day(2026, 3, 5);
        perform(&mut conn, id, "S", &act(ActionKind::Acknowledge, "02/03/2026"), today)?;
        declarations::set_manager_declaration_required(&conn, true)?;
        let transmit = form(ActionKind::Transmit, "03/03/2026", &[("choice", "qualification")]);
        match perform(&mut conn, id, "S", &transmit, today) {
            Err(Error::Validation { fields }) => {
                assert!(fields["choice"].contains("Aucun membre du personnel"), "{fields:?}")
            }
            other => panic!("{other:?}"),
        }
        let member = staff::add(&conn, &staff::StaffForm { name: "Luc Perrin".into(), role: "Responsable".into() })?;
        staff::set_signatory(&mut conn, member, "qualification_manager")?;
        match perform(&mut conn, id, "S", &transmit, today) {
            Err(Error::Validation { fields }) => {
                assert!(
                    fields["choice"].starts_with("Luc Perrin (Responsable des Qualifications) doit d'abord déclarer"),
                    "{fields:?}"
                )
            }
            other => panic!("{other:?}"),
        }
        let declared = declarations::DeclarationForm {
            staff_id: Some(member),
            date: "03/03/2026".into(),
            ..declarations::DeclarationForm::default()
        };
        declarations::record(&mut conn, id, &declared, today, "S")?;
        assert_eq!(perform(&mut conn, id, "S", &transmit, today)?, Step::InAnalysis);
        Ok(())
    }
}
