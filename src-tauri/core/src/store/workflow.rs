//! Performing the procedure's actions on a stored complaint, in three separate parts: checking
//! an action's form ([`check`]), applying its effects ([`effect`], one row of data per action)
//! with its step change and journal entry in one transaction, and the workflow part of the
//! complaint page ([`view`]). The clocks themselves are [`crate::store::clocks`].

use crate::deadlines::{self, OverallState};
use crate::error::{Error, FieldErrors, Result};
use crate::french::{format_fr, french_weekday};
use crate::model::{Checklist, Step};
use crate::store::clocks::{self, Clock, ClockView};
use crate::store::corrupt_row;
use crate::store::journal::{self, JournalKind, NewEntry};
use crate::store::settings::{self, DeadlineSettings};
use crate::validate::parse_date;
use crate::workflow::{
    allowed, decision_step, next_hint, transition, ActionKind, CommitteeOutcome, Context, Decision, FieldSpec, Manager,
    Means, Target,
};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

/// An action's data as typed in its small form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub action: String,
    pub date: String,
    pub text: String,
    pub choice: String,
    pub name: String,
}

impl ActionForm {
    /// The form of `action` on `date` (JJ/MM/AAAA), its other fields empty: for fixtures and tests.
    pub fn of(action: ActionKind, date: &str) -> Self {
        ActionForm { action: action.code().into(), date: date.into(), ..ActionForm::default() }
    }
}

/// An allowed action and the form it needs, for the complaint page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionView {
    pub code: &'static str,
    pub label: &'static str,
    pub fields: Vec<FieldSpec>,
}

/// The workflow part of the complaint page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkflowView {
    pub next_hint: &'static str,
    pub actions: Vec<ActionView>,
    pub clocks: Vec<ClockView>,
    pub overall_state: &'static str,
}

/// The stored state an action is decided on.
struct Loaded {
    step: Step,
    received_on: NaiveDate,
    checklist: Checklist,
    ctx: Context,
}

fn load(conn: &Connection, id: i64, today: NaiveDate, s: &DeadlineSettings) -> Result<Loaded> {
    let row: Option<(String, Checklist, bool)> = conn
        .query_row(
            "SELECT received_on, has_complainant_details, has_firm_details, has_facts, has_actions_taken,
                    expert_report_pending
             FROM complaints WHERE id = ?1",
            params![id],
            |r| {
                let checklist = Checklist {
                    complainant_details: r.get(1)?,
                    firm_details: r.get(2)?,
                    facts: r.get(3)?,
                    actions_taken: r.get(4)?,
                };
                Ok((r.get(0)?, checklist, r.get(5)?))
            },
        )
        .optional()?;
    let (received, checklist, expert_report_pending) = row.ok_or(Error::NotFound { what: "La réclamation", id })?;
    // Read apart so that an unknown step names its row rather than failing as a database error.
    let step: Step = conn
        .query_row("SELECT step FROM complaints WHERE id = ?1", params![id], |r| r.get(0))
        .map_err(corrupt_row("complaints", id))?;
    let received_on =
        parse_date(&received).ok_or(Error::CorruptRow { table: "complaints", id, value: received.clone() })?;
    let overrun = deadlines::overall_flag(received_on, today, s.flag_months, s.overall_months) == OverallState::Overrun;
    let ctx = Context {
        complete: checklist.is_complete(),
        firm_answer_pending: clocks::is_running(conn, id, Clock::FirmAnswer)?,
        investigator_answer_pending: clocks::is_running(conn, id, Clock::InvestigatorAnswer)?,
        complainant_answer_pending: clocks::is_running(conn, id, Clock::ComplainantDetails)?
            || clocks::is_running(conn, id, Clock::ComplainantInfo)?,
        expert_report_pending,
        overrun_unjustified: overrun && step != Step::Closed && !clocks::overall_justified(conn, id)?,
    };
    Ok(Loaded { step, received_on, checklist, ctx })
}

/// The complaint page's workflow: what to do next, the allowed actions, the clocks.
pub fn view(conn: &Connection, id: i64, today: NaiveDate) -> Result<WorkflowView> {
    let s = settings::deadlines(conn)?;
    let l = load(conn, id, today, &s)?;
    let actions = allowed(l.step, &l.ctx)
        .into_iter()
        .map(|a| ActionView { code: a.code(), label: a.label(), fields: a.fields() })
        .collect();
    let (clocks, overall_state) = clocks::views(conn, id, l.received_on, today, &s)?;
    Ok(WorkflowView { next_hint: next_hint(l.step, &l.ctx), actions, clocks, overall_state })
}

/// The choice of an action's form, typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    None,
    Manager(Manager),
    Means(Means),
    Decision(Decision),
    Outcome(CommitteeOutcome),
}

impl Choice {
    /// The choice `code` for `action`; `None` when the code is not one of its options.
    fn parse(action: ActionKind, code: &str) -> Option<Choice> {
        use ActionKind as A;
        match action {
            A::Transmit => Manager::from_code(code).map(Choice::Manager),
            A::InformFirm => Means::from_code(code).map(Choice::Means),
            A::Decide => Decision::from_code(code).map(Choice::Decision),
            A::RecordCommitteeOutcome => CommitteeOutcome::from_code(code).map(Choice::Outcome),
            _ => Some(Choice::None),
        }
    }

    fn code(self) -> &'static str {
        match self {
            Choice::None => "",
            Choice::Manager(m) => m.code(),
            Choice::Means(m) => m.code(),
            Choice::Decision(d) => d.code(),
            Choice::Outcome(o) => o.code(),
        }
    }
}

/// The checked data of an action.
struct Data {
    date: NaiveDate,
    text: String,
    choice: Choice,
    name: String,
}

/// Checks an action's form field by field against its [`FieldSpec`]s; every refusal at once.
fn check(action: ActionKind, form: &ActionForm, received_on: NaiveDate, today: NaiveDate) -> Result<Data> {
    let mut errors = FieldErrors::new();
    let date = match parse_date(&form.date) {
        None => {
            errors.insert("date".into(), "Date invalide : utilisez le format JJ/MM/AAAA.".into());
            today
        }
        Some(d) if d > today => {
            errors.insert("date".into(), "La date ne peut pas être dans le futur.".into());
            d
        }
        Some(d) if d < received_on => {
            errors.insert(
                "date".into(),
                format!("La date ne peut pas précéder la réception de la réclamation ({}).", format_fr(received_on)),
            );
            d
        }
        Some(d) => d,
    };
    let text = form.text.replace("\r\n", "\n").trim().to_owned();
    let name = form.name.trim().to_owned();
    let choice = Choice::parse(action, &form.choice);
    for spec in action.fields() {
        let value = match spec.key {
            "text" => &text,
            "name" => &name,
            "choice" => &form.choice,
            _ => continue,
        };
        if spec.key == "choice" && !spec.options.iter().any(|(code, _)| *code == value.as_str()) {
            errors.insert("choice".into(), format!("Choisissez : {}.", spec.label.to_lowercase()));
        } else if spec.required && value.is_empty() {
            errors.insert(spec.key.into(), format!("Ce champ est obligatoire : {}.", spec.label.to_lowercase()));
        } else if value.chars().count() > 100_000 || value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            errors.insert(spec.key.into(), "Texte trop long ou avec des caractères invisibles.".into());
        }
    }
    match choice {
        Some(choice) if errors.is_empty() => Ok(Data { date, text, choice, name }),
        // The options are the choice's codes: an unparsed choice was refused above.
        _ => Err(Error::Validation { fields: errors }),
    }
}

/// What a column of `complaints` receives from an action's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    Text,
    Name,
    Choice,
    Date,
    Flag(bool),
    /// Whether the decision calls an expert (whose report is then awaited).
    IsExpert,
}

/// Which clocks an action stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stops {
    These(&'static [Clock]),
    /// Every running clock: the file is closed.
    All,
}

/// What an action does to the stored complaint, besides its step change (see
/// [`crate::workflow::transition`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Effect {
    /// The clock started on the action's date.
    starts: Option<Clock>,
    stops: Stops,
    /// Columns of `complaints` written.
    writes: &'static [(&'static str, Value)],
    /// The overall clock's overrun is recorded as justified.
    justifies_overrun: bool,
    /// The journal entry's kind when the step stays (a step change is always `StepChange`).
    journal: JournalKind,
}

const NONE: Stops = Stops::These(&[]);
const CLOSE: &[(&str, Value)] = &[("closed_on", Value::Date)];

/// The effect of each action, as data.
fn effect(action: ActionKind) -> Effect {
    use ActionKind as A;
    use Clock as C;
    use JournalKind as J;
    use Value as V;
    let e = |starts, stops, writes, journal| Effect { starts, stops, writes, justifies_overrun: false, journal };
    match action {
        A::Acknowledge => e(None, NONE, &[], J::StepChange),
        A::RequestDetails => e(Some(C::ComplainantDetails), NONE, &[], J::StepChange),
        A::RecordDetailsReceived => e(
            None,
            Stops::These(&[C::ComplainantDetails]),
            &[
                ("has_complainant_details", V::Flag(true)),
                ("has_firm_details", V::Flag(true)),
                ("has_facts", V::Flag(true)),
                ("has_actions_taken", V::Flag(true)),
            ],
            J::StepChange,
        ),
        A::CloseForLackOfDetails | A::MarkLettersSent => e(None, Stops::All, CLOSE, J::StepChange),
        A::DeclareInadmissible => e(None, NONE, &[("inadmissible_reason", V::Text)], J::StepChange),
        A::Transmit => e(None, NONE, &[("manager", V::Choice)], J::StepChange),
        A::RecordFirstAnalysis => e(None, NONE, &[], J::Note),
        A::InformFirm => e(Some(C::FirmAnswer), NONE, &[], J::StepChange),
        A::RecordFirmAnswer => e(None, Stops::These(&[C::FirmAnswer]), &[], J::LetterIn),
        A::RequestInformation => e(Some(C::ComplainantInfo), NONE, &[("information_request", V::Text)], J::LetterOut),
        A::RecordComplainantAnswer => {
            e(None, Stops::These(&[C::ComplainantInfo, C::ComplainantDetails]), &[], J::LetterIn)
        }
        A::PassToInvestigator => e(Some(C::InvestigatorAnswer), NONE, &[("investigator", V::Name)], J::StepChange),
        A::RecordInvestigatorAnswer => e(None, Stops::These(&[C::InvestigatorAnswer]), &[], J::LetterIn),
        A::Decide => e(
            None,
            NONE,
            &[
                ("decision", V::Choice),
                ("decision_reasons", V::Text),
                ("expert_report_pending", V::IsExpert),
                ("decided_on", V::Date),
            ],
            J::StepChange,
        ),
        A::RecordExpertReport => e(None, NONE, &[("expert_report_pending", V::Flag(false))], J::LetterIn),
        A::RecordCommitteeOutcome => e(
            None,
            NONE,
            &[
                ("committee_outcome", V::Choice),
                ("committee_scope", V::Name),
                ("committee_reasons", V::Text),
                ("committee_on", V::Date),
            ],
            J::StepChange,
        ),
        A::JustifyOverrun => {
            Effect { justifies_overrun: true, ..e(None, NONE, &[("overrun_justification", V::Text)], J::Note) }
        }
    }
}

/// Writes an action's effect; returns the due date of the clock it started.
fn apply(conn: &Connection, id: i64, effect: &Effect, d: &Data, s: &DeadlineSettings) -> Result<Option<NaiveDate>> {
    if !effect.writes.is_empty() {
        let date = d.date.to_string();
        let values: Vec<rusqlite::types::Value> = effect
            .writes
            .iter()
            .map(|(_, v)| match v {
                Value::Text => d.text.clone().into(),
                Value::Name => d.name.clone().into(),
                Value::Choice => d.choice.code().to_owned().into(),
                Value::Date => date.clone().into(),
                Value::Flag(b) => i64::from(*b).into(),
                Value::IsExpert => i64::from(d.choice == Choice::Decision(Decision::Expert)).into(),
            })
            .collect();
        // The column names come from the constant table above, never from input.
        let set: Vec<String> =
            effect.writes.iter().enumerate().map(|(i, (column, _))| format!("{column} = ?{}", i + 2)).collect();
        let sql = format!("UPDATE complaints SET {} WHERE id = ?1", set.join(", "));
        let mut stmt = conn.prepare_cached(&sql)?;
        stmt.execute(rusqlite::params_from_iter(std::iter::once(rusqlite::types::Value::from(id)).chain(values)))?;
    }
    match effect.stops {
        Stops::These(list) => clocks::stop(conn, id, list, d.date)?,
        Stops::All => clocks::stop_all(conn, id, d.date)?,
    }
    if effect.justifies_overrun {
        clocks::justify_overall(conn, id, d.date)?;
    }
    effect.starts.map(|clock| clocks::start(conn, id, clock, d.date, clock.months(s), clock.indicative())).transpose()
}

/// The journal's sentence for an action; `due` is the due date of the clock it started.
fn summary(action: ActionKind, d: &Data, missing: &[&str], due: Option<NaiveDate>) -> String {
    let date_fr = format_fr(d.date);
    let due_fr = due.map(|due| format!("{} {}", french_weekday(due), format_fr(due))).unwrap_or_default();
    let choice = match d.choice {
        Choice::None => "",
        Choice::Manager(m) => m.label(),
        Choice::Means(m) => m.label(),
        Choice::Decision(d) => d.label(),
        Choice::Outcome(o) => o.label(),
    };
    use ActionKind as A;
    match action {
        A::Acknowledge => format!("Accusé de réception adressé au plaignant le {date_fr}."),
        A::RequestDetails => format!(
            "Accusé de réception avec demande de précisions adressé le {date_fr} ; manque : {} ; réponse attendue (indicatif) le {due_fr}.",
            missing.join(" ; "),
        ),
        A::RecordDetailsReceived => format!("Précisions du plaignant reçues le {date_fr} : la réclamation est complète."),
        A::CloseForLackOfDetails => format!("Dossier clos le {date_fr} faute de précisions du plaignant."),
        A::DeclareInadmissible => format!("Réclamation déclarée irrecevable le {date_fr}."),
        A::Transmit => format!("Transmise au {choice} le {date_fr} pour première analyse."),
        A::RecordFirstAnalysis => format!("Première analyse du {date_fr}."),
        A::InformFirm => format!(
            "Qualifié informé de la réclamation par {} le {date_fr} ; réponse circonstanciée attendue au plus tard le {due_fr}.",
            choice.to_lowercase(),
        ),
        A::RecordFirmAnswer => format!("Réponse du qualifié reçue le {date_fr}."),
        A::RequestInformation => format!(
            "Informations complémentaires demandées au plaignant le {date_fr} ; réponse attendue (indicatif) le {due_fr}."
        ),
        A::RecordComplainantAnswer => format!("Réponse du plaignant reçue le {date_fr}."),
        A::PassToInvestigator => format!(
            "Dossier transmis le {date_fr} à l'instructeur {} ; réponse attendue au plus tard le {due_fr}.",
            d.name
        ),
        A::RecordInvestigatorAnswer => format!("Réponse de l'instructeur reçue le {date_fr}."),
        A::Decide => format!("Décision du {date_fr} : {choice}."),
        A::RecordExpertReport => format!("Rapport de l'expert reçu le {date_fr}."),
        A::RecordCommitteeOutcome => {
            let scope = if d.name.is_empty() { String::new() } else { format!(" ({})", d.name) };
            format!("Commission de recours du {date_fr} : {choice}{scope}.")
        }
        A::MarkLettersSent => {
            format!("Courriers de décision adressés au plaignant et au qualifié le {date_fr} : dossier clos.")
        }
        A::JustifyOverrun => {
            format!("Dépassement du délai global justifié le {date_fr} auprès du plaignant et du qualifié.")
        }
    }
}

/// Performs an action on a complaint: refused with a French message unless the procedure
/// allows it from the current step. Returns the step after the action.
pub fn perform(conn: &mut Connection, id: i64, author: &str, form: &ActionForm, today: NaiveDate) -> Result<Step> {
    let action = ActionKind::from_code(&form.action).ok_or_else(|| Error::refused("Action inconnue."))?;
    // IMMEDIATE: the step read below cannot change before this transaction writes.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let s = settings::deadlines(&tx)?;
    let l = load(&tx, id, today, &s)?;
    let target = transition(l.step, &l.ctx, action).map_err(|reason| Error::ActionNotAllowed {
        step: l.step,
        action,
        reason,
    })?;
    let d = check(action, form, l.received_on, today)?;
    let effect = effect(action);
    let due = apply(&tx, id, &effect, &d, &s)?;
    let next = match (target, d.choice) {
        (Target::Stay, _) => l.step,
        (Target::To(step), _) => step,
        (Target::ByDecision, Choice::Decision(decision)) => decision_step(decision),
        // `check` types the choice of `Decide`, the one action that leads by decision.
        (Target::ByDecision, _) => return Err(Error::field("choice", "Choisissez : décision.")),
    };
    let summary = summary(action, &d, &l.checklist.missing(), due);
    let changed = next != l.step;
    if changed {
        tx.execute("UPDATE complaints SET step = ?2 WHERE id = ?1", params![id, next])?;
    }
    let summary = if changed { format!("{summary} Étape : « {} ».", next.label()) } else { summary };
    journal::append(
        &tx,
        id,
        &NewEntry {
            details: &d.text,
            step_from: changed.then_some(l.step),
            step_to: changed.then_some(next),
            ..NewEntry::simple(if changed { JournalKind::StepChange } else { effect.journal }, d.date, author, &summary)
        },
    )?;
    tx.commit()?;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::complaints::{self, tests::sample_complaint};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn act(action: ActionKind, date: &str) -> ActionForm {
        ActionForm::of(action, date)
    }

    /// An incomplete complaint received on Saturday 31/01/2026.
    fn registered(conn: &mut Connection) -> Result<i64> {
        let mut form = sample_complaint();
        form.received_on = "31/01/2026".into();
        form.actions_taken.clear();
        form.checklist.actions_taken = false;
        Ok(complaints::register(conn, &form, day(2026, 2, 2), "Secrétariat")?.id)
    }

    fn clock<'a>(v: &'a WorkflowView, code: &str) -> Option<&'a ClockView> {
        v.clocks.iter().find(|c| c.clock == code)
    }

    #[test]
    fn a_complaint_walks_the_whole_procedure_with_its_clocks_and_journal() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = registered(&mut conn)?;
        let v = view(&conn, id, day(2026, 2, 2))?;
        let overall = clock(&v, "overall").ok_or(Error::field("t", "no overall clock"))?;
        assert_eq!(overall.explanation, "reçue le 31/01/2026 → + 6 mois = 31/07/2026");
        assert_eq!(v.actions.iter().map(|a| a.code).collect::<Vec<_>>(), ["request_details", "declare_inadmissible"]);

        let steps = [
            (act(ActionKind::RequestDetails, "02/02/2026"), Step::AwaitingDetails),
            (
                ActionForm { text: "Lettre du 10/02".into(), ..act(ActionKind::RecordDetailsReceived, "10/02/2026") },
                Step::Complete,
            ),
            (
                ActionForm { choice: "qualification".into(), ..act(ActionKind::Transmit, "11/02/2026") },
                Step::InAnalysis,
            ),
            (ActionForm { choice: "letter".into(), ..act(ActionKind::InformFirm, "31/03/2026") }, Step::FirmInformed),
        ];
        for (form, expected) in &steps {
            assert_eq!(perform(&mut conn, id, "Sophie", form, day(2026, 4, 1))?, *expected);
        }
        // 31/03/2026 + 1 month = 30/04/2026, a Thursday: no roll.
        let v = view(&conn, id, day(2026, 4, 25))?;
        let firm = clock(&v, "firm_answer").ok_or(Error::field("t", "no firm clock"))?;
        assert_eq!(firm.explanation, "qualifié informé le 31/03/2026 → + 1 mois = 30/04/2026");
        assert_eq!((firm.state, firm.days_left), ("soon", 5));
        assert_eq!(clock(&view(&conn, id, day(2026, 5, 1))?, "firm_answer").map(|c| c.state), Some("overdue"));

        let rest = [
            (
                ActionForm { text: "Le cabinet conteste.".into(), ..act(ActionKind::RecordFirmAnswer, "04/05/2026") },
                Step::FirmInformed,
            ),
            (
                ActionForm { name: "M. Bernard".into(), ..act(ActionKind::PassToInvestigator, "05/05/2026") },
                Step::WithInvestigator,
            ),
            (
                ActionForm {
                    text: "Erreur avérée.".into(), ..act(ActionKind::RecordInvestigatorAnswer, "01/06/2026")
                },
                Step::WithInvestigator,
            ),
            (
                ActionForm {
                    choice: "warning".into(),
                    text: "Métré erroné.".into(),
                    ..act(ActionKind::Decide, "10/06/2026")
                },
                Step::Decided,
            ),
            (act(ActionKind::MarkLettersSent, "12/06/2026"), Step::Closed),
        ];
        for (form, expected) in &rest {
            assert_eq!(perform(&mut conn, id, "Sophie", form, day(2026, 6, 12))?, *expected);
        }
        let v = view(&conn, id, day(2026, 12, 1))?;
        assert!(v.actions.is_empty());
        assert!(v.clocks.iter().all(|c| c.state == "stopped"), "{:?}", v.clocks);
        let journal = journal::list(&conn, id)?;
        assert_eq!(journal.len(), 10, "registration + 9 actions");
        assert!(journal.iter().take(9).all(|e| e.author == "Sophie"), "newest first, registration last");
        assert!(journal[0].summary.contains("dossier clos"), "{}", journal[0].summary);
        assert_eq!(journal::first_broken(&conn, id)?, None);
        let detail = complaints::get(&conn, id, day(2026, 12, 1))?;
        assert_eq!((detail.decision_label, detail.closed_on.as_deref()), ("Avertissement", Some("2026-06-12")));
        Ok(())
    }

    #[test]
    fn a_forbidden_action_is_refused_and_changes_nothing() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = registered(&mut conn)?;
        let forged = ActionForm { choice: "warning".into(), text: "x".into(), ..act(ActionKind::Decide, "02/02/2026") };
        match perform(&mut conn, id, "S", &forged, day(2026, 2, 2)) {
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
        perform(&mut conn, id, "S", &act(ActionKind::DeclareInadmissible, "02/02/2026"), day(2026, 2, 2))
            .map(|_| ())
            .or_else(|e| match e {
            Error::Validation { fields } if fields.contains_key("text") => Ok(()),
            other => Err(other),
        })?;
        for (date, expected) in [("30/01/2026", "précéder"), ("03/02/2026", "futur"), ("xx", "invalide")] {
            match perform(&mut conn, id, "S", &act(ActionKind::RequestDetails, date), day(2026, 2, 2)) {
                Err(Error::Validation { fields }) => assert!(fields["date"].contains(expected), "{fields:?}"),
                other => panic!("{other:?}"),
            }
        }
        assert!(matches!(
            perform(
                &mut conn,
                id,
                "S",
                &ActionForm { action: "pirater".into(), ..ActionForm::default() },
                day(2026, 2, 2)
            ),
            Err(Error::Refused { .. })
        ));
        Ok(())
    }

    #[test]
    fn an_open_complaint_past_six_months_is_overrun_until_justified() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = registered(&mut conn)?;
        // 31/01/2026 + 6 months = 31/07/2026 (Friday); flagged from 30/06/2026 (+5 months, plain).
        assert_eq!(view(&conn, id, day(2026, 6, 29))?.overall_state, "ok");
        assert_eq!(view(&conn, id, day(2026, 6, 30))?.overall_state, "flagged");
        assert_eq!(view(&conn, id, day(2026, 7, 31))?.overall_state, "flagged");
        let v = view(&conn, id, day(2026, 8, 1))?;
        assert_eq!(v.overall_state, "overrun");
        assert!(v.actions.iter().any(|a| a.code == "justify_overrun"));
        let justify = ActionForm { text: "Expertise longue.".into(), ..act(ActionKind::JustifyOverrun, "03/08/2026") };
        assert_eq!(perform(&mut conn, id, "S", &justify, day(2026, 8, 3))?, Step::Registered);
        let v = view(&conn, id, day(2026, 8, 3))?;
        assert_eq!(v.overall_state, "justified");
        assert!(!v.actions.iter().any(|a| a.code == "justify_overrun"));
        Ok(())
    }

    #[test]
    fn each_action_writes_its_columns_clocks_and_journal_kind() -> Result<()> {
        let mut conn = open_in_memory()?;
        let today = day(2026, 3, 1);
        let column = |conn: &Connection, id: i64, sql: &str| -> Result<String> {
            Ok(conn.query_row(sql, params![id], |r| r.get(0))?)
        };
        // Inadmissible, then closed by the letters.
        let id = registered(&mut conn)?;
        let why = ActionForm {
            text: "Hors du champ de la qualification.".into(),
            ..act(ActionKind::DeclareInadmissible, "02/02/2026")
        };
        assert_eq!(perform(&mut conn, id, "S", &why, today)?, Step::Inadmissible);
        assert_eq!(
            column(&conn, id, "SELECT inadmissible_reason FROM complaints WHERE id = ?1")?,
            "Hors du champ de la qualification."
        );
        assert_eq!(perform(&mut conn, id, "S", &act(ActionKind::MarkLettersSent, "03/02/2026"), today)?, Step::Closed);
        assert_eq!(column(&conn, id, "SELECT closed_on FROM complaints WHERE id = ?1")?, "2026-02-03");
        // Closed for lack of details: every clock stops on that day.
        let mut conn = open_in_memory()?;
        let id = registered(&mut conn)?;
        perform(&mut conn, id, "S", &act(ActionKind::RequestDetails, "02/02/2026"), today)?;
        assert_eq!(view(&conn, id, today)?.clocks.len(), 2);
        assert_eq!(
            perform(&mut conn, id, "S", &act(ActionKind::CloseForLackOfDetails, "20/02/2026"), today)?,
            Step::Closed
        );
        let v = view(&conn, id, today)?;
        assert!(v.clocks.iter().all(|c| c.stopped_on.as_deref() == Some("2026-02-20")), "{:?}", v.clocks);
        // Analysis and a request to the complainant: notes and letters, no step change.
        let mut conn = open_in_memory()?;
        let id = registered(&mut conn)?;
        for form in [
            ActionForm { text: "Lettre reçue.".into(), ..act(ActionKind::RequestDetails, "02/02/2026") },
            ActionForm { text: "Précisions.".into(), ..act(ActionKind::RecordDetailsReceived, "03/02/2026") },
            ActionForm { choice: "certification".into(), ..act(ActionKind::Transmit, "04/02/2026") },
            ActionForm { text: "Recevable.".into(), ..act(ActionKind::RecordFirstAnalysis, "05/02/2026") },
            ActionForm { choice: "email".into(), ..act(ActionKind::InformFirm, "06/02/2026") },
            ActionForm { text: "Le devis signé.".into(), ..act(ActionKind::RequestInformation, "07/02/2026") },
            ActionForm { text: "Devis joint.".into(), ..act(ActionKind::RecordComplainantAnswer, "10/02/2026") },
        ] {
            perform(&mut conn, id, "S", &form, today)?;
        }
        assert_eq!(column(&conn, id, "SELECT manager FROM complaints WHERE id = ?1")?, "certification");
        assert_eq!(column(&conn, id, "SELECT information_request FROM complaints WHERE id = ?1")?, "Le devis signé.");
        let kinds: Vec<String> = journal::list(&conn, id)?.into_iter().take(4).map(|e| e.kind).collect();
        assert_eq!(kinds, ["letter_in", "letter_out", "step_change", "note"]);
        let info = view(&conn, id, today)?;
        let info = clock(&info, "complainant_info").ok_or(Error::field("t", "no complainant clock"))?;
        assert_eq!((info.stopped_on.as_deref(), info.indicative), (Some("2026-02-10"), true));
        assert!(journal::list(&conn, id)?[2].summary.contains("par courriel"));
        Ok(())
    }

    #[test]
    fn a_new_decision_after_an_expertise() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut form = sample_complaint();
        form.received_on = "02/03/2026".into();
        let id = complaints::register(&mut conn, &form, day(2026, 3, 2), "S")?.id;
        let today = day(2026, 5, 1);
        for f in [
            act(ActionKind::Acknowledge, "02/03/2026"),
            ActionForm { choice: "certification".into(), ..act(ActionKind::Transmit, "03/03/2026") },
            ActionForm { choice: "phone".into(), ..act(ActionKind::InformFirm, "04/03/2026") },
            ActionForm {
                choice: "expert".into(),
                text: "Contre-métré".into(),
                ..act(ActionKind::Decide, "20/04/2026")
            },
        ] {
            perform(&mut conn, id, "S", &f, today)?;
        }
        let again =
            ActionForm { choice: "dismissed".into(), text: "x".into(), ..act(ActionKind::Decide, "21/04/2026") };
        assert!(matches!(perform(&mut conn, id, "S", &again, today), Err(Error::ActionNotAllowed { .. })));
        perform(
            &mut conn,
            id,
            "S",
            &ActionForm { text: "Écart confirmé".into(), ..act(ActionKind::RecordExpertReport, "25/04/2026") },
            today,
        )?;
        let committee = ActionForm {
            choice: "appeals_committee".into(),
            text: "Grave".into(),
            ..act(ActionKind::Decide, "26/04/2026")
        };
        assert_eq!(perform(&mut conn, id, "S", &committee, today)?, Step::AppealsCommittee);
        let outcome = ActionForm {
            choice: "suspension".into(),
            name: "Qualification 2.1".into(),
            text: "Six mois".into(),
            ..act(ActionKind::RecordCommitteeOutcome, "30/04/2026")
        };
        assert_eq!(perform(&mut conn, id, "S", &outcome, today)?, Step::Decided);
        assert!(journal::list(&conn, id)?[0].summary.contains("Suspension (Qualification 2.1)"));
        Ok(())
    }
}
