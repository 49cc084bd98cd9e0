//! Performing the procedure's actions on a stored complaint, in separate parts: the form an
//! action needs for this file ([`form_fields`]) and its check ([`check`]), the obligations it
//! waits for ([`crate::store::obligations`]), its effects ([`effect`], one row of data per
//! action) with its step change, decision and journal entry in one transaction, what a letter
//! marked sent sets off ([`letter_sent`]), and the workflow part of the complaint page
//! ([`view`]). The clocks themselves are [`crate::store::clocks`].

use crate::deadlines::{self, OverallState};
use crate::error::{Error, FieldErrors, Result};
use crate::french::{format_fr, french_weekday};
use crate::letters::kinds::LetterKind;
use crate::model::{Checklist, SendMode, Step};
use crate::store::clocks::{self, Clock, ClockView, StopReason};
use crate::store::decisions::{self, Decided, DecisionRow, NewDecision};
use crate::store::declarations::{self, Clearance};
use crate::store::intervenants::{self, IntervenantKind};
use crate::store::journal::{self, JournalKind, NewEntry};
use crate::store::obligations::{self, ObligationView};
use crate::store::settings::{self, DeadlineSettings};
use crate::store::staff::{self, StaffSignatory};
use crate::store::{code_or_empty, corrupt_row};
use crate::validate::parse_date;
use crate::workflow::{
    allowed, decision_step, next_hint, transition, ActionKind, CommitteeOutcome, Context, Decider, Decision, FieldSpec,
    Manager, Means, QualificationOutcome, Target,
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
    /// Who decided (a [`Decider`] code).
    pub by: String,
    /// The reasons addressed to the firm (`text` holds the complainant's).
    pub firm_text: String,
    /// Why a decision is taken without waiting for an awaited answer.
    pub waiver: String,
    /// The elements received (codes of [`Checklist::elements`]).
    pub elements: Vec<String>,
    /// The expected date of the decision (JJ/MM/AAAA), in an overrun's letters.
    pub expected: String,
    /// An instructeur or an expert of the register (its id).
    pub intervenant: String,
    /// A received document of the complaint (its id), the answer or the report.
    pub document: String,
    /// The appeals committee's hearing date (JJ/MM/AAAA; may be ahead).
    pub hearing: String,
    /// The committee's outcome for each qualification of the firm.
    pub outcomes: Vec<OutcomeForm>,
}

/// The committee's outcome for one qualification, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OutcomeForm {
    pub qualification_id: i64,
    /// A [`QualificationOutcome`] code.
    pub outcome: String,
    /// JJ/MM/AAAA: the suspension's start or the withdrawal's date.
    pub from: String,
    /// JJ/MM/AAAA: the suspension's end.
    pub until: String,
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
    /// The letters it waits for, one sentence each (the core refuses it until they are sent).
    pub waiting_for: Vec<String>,
}

/// The workflow part of the complaint page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkflowView {
    pub next_hint: &'static str,
    pub actions: Vec<ActionView>,
    pub clocks: Vec<ClockView>,
    pub overall_state: &'static str,
    pub obligations: Vec<ObligationView>,
    pub decisions: Vec<DecisionRow>,
}

/// The stored state an action is decided on.
struct Loaded {
    step: Step,
    received_on: NaiveDate,
    checklist: Checklist,
    ctx: Context,
    manager: Option<Manager>,
    investigator: String,
    proposed: Manager,
    /// The latest request for précisions is past its (indicative) date.
    details_lapsed: bool,
    firm_id: i64,
    /// The active instructeurs (or experts, for the expertise) of the register: (id, name).
    investigators: Vec<(String, String)>,
    experts: Vec<(String, String)>,
    /// The complaint's received documents: (id, « 12/03/2026 — nom »).
    received: Vec<(String, String)>,
    /// The firm's qualifications and certifications: (id, « Qualification 2.1 — … »).
    qualifications: Vec<(String, String)>,
}

fn load(conn: &Connection, id: i64, today: NaiveDate, s: &DeadlineSettings) -> Result<Loaded> {
    type Row = (String, Checklist, bool, bool, i64, bool, bool);
    let row: Option<Row> = conn
        .query_row(
            "SELECT received_on, has_complainant_details, has_firm_details, has_facts, has_actions_taken,
                    expert_report_pending, overrun_justification <> '', firm_id, expert_id IS NOT NULL,
                    committee_hearing_on IS NOT NULL
             FROM complaints WHERE id = ?1",
            params![id],
            |r| {
                let checklist = Checklist {
                    complainant_details: r.get(1)?,
                    firm_details: r.get(2)?,
                    facts: r.get(3)?,
                    actions_taken: r.get(4)?,
                };
                Ok((r.get(0)?, checklist, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?))
            },
        )
        .optional()?;
    let (
        received,
        checklist,
        expert_report_pending,
        overrun_reason_recorded,
        firm_id,
        expert_appointed,
        hearing_scheduled,
    ) = row.ok_or(Error::NotFound { what: "La réclamation", id })?;
    // Read apart so that an unknown code names its row rather than failing as a database error.
    let (step, manager, investigator): (Step, Option<Manager>, String) = conn
        .query_row("SELECT step, manager, investigator FROM complaints WHERE id = ?1", params![id], |r| {
            Ok((r.get(0)?, code_or_empty(r, 1)?, r.get(2)?))
        })
        .map_err(corrupt_row("complaints", id))?;
    let received_on =
        parse_date(&received).ok_or(Error::CorruptRow { table: "complaints", id, value: received.clone() })?;
    let overrun = deadlines::overall_flag(received_on, today, s.flag_months, s.overall_months) == OverallState::Overrun;
    let decided: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM decisions WHERE complaint_id = ?1)", params![id], |r| r.get(0))?;
    let details_due = clocks::latest_dates(conn, id, Clock::ComplainantDetails)?.and_then(|(_, due)| parse_date(&due));
    let ctx = Context {
        complete: checklist.is_complete(),
        firm_answer_pending: clocks::is_running(conn, id, Clock::FirmAnswer)?,
        firm_answer_missing: clocks::unanswered(conn, id, Clock::FirmAnswer)?,
        investigator_answer_pending: clocks::is_running(conn, id, Clock::InvestigatorAnswer)?,
        investigator_answer_missing: clocks::unanswered(conn, id, Clock::InvestigatorAnswer)?,
        complainant_answer_pending: clocks::is_running(conn, id, Clock::ComplainantDetails)?
            || clocks::is_running(conn, id, Clock::ComplainantInfo)?,
        expert_report_pending,
        expert_appointed,
        hearing_scheduled,
        overrun_unjustified: overrun && step != Step::Closed && !clocks::overall_justified(conn, id)?,
        overrun_reason_recorded,
        decided,
    };
    let pairs = |sql: &str, p: &dyn rusqlite::ToSql| -> Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map([p], |r| Ok((r.get::<_, i64>(0)?.to_string(), r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    };
    let register = |kind| -> Result<Vec<(String, String)>> {
        Ok(intervenants::list(conn, Some(kind), true)?.into_iter().map(|i| (i.id.to_string(), i.display)).collect())
    };
    let investigators = register(IntervenantKind::Investigator)?;
    let experts = register(IntervenantKind::Expert)?;
    let received = pairs(
        "SELECT id, substr(created_at, 9, 2) || '/' || substr(created_at, 6, 2) || '/' || substr(created_at, 1, 4)
                || ' — ' || CASE original_name WHEN '' THEN relative_path ELSE original_name END
         FROM documents WHERE complaint_id = ?1 AND direction = 'in' ORDER BY id",
        &id,
    )?;
    let qualifications = pairs(
        "SELECT id, CASE kind WHEN 'certification' THEN 'Certification ' ELSE 'Qualification ' END || reference
                || CASE label WHEN '' THEN '' ELSE ' — ' || label END
         FROM firm_qualifications WHERE firm_id = ?1 ORDER BY kind, reference",
        &firm_id,
    )?;
    let proposed = match crate::store::firms::scope_on(conn, firm_id, received_on)?.proposed_manager {
        "certification" => Manager::Certification,
        _ => Manager::Qualification,
    };
    Ok(Loaded {
        step,
        received_on,
        checklist,
        ctx,
        manager,
        investigator,
        proposed,
        details_lapsed: details_due.is_some_and(|due| due < today),
        firm_id,
        investigators,
        experts,
        received,
        qualifications,
    })
}

/// The fields of `action`'s form for this file: the static ones of [`ActionKind::fields`], with
/// what depends on the file (the elements still missing, the Responsable proposed, a reason to
/// decide without waiting for an awaited answer…).
fn form_fields(action: ActionKind, l: &Loaded) -> Vec<FieldSpec> {
    let mut fields = action.fields();
    for f in &mut fields {
        match (action, f.key) {
            (ActionKind::RecordDetailsReceived, "elements") => f.options = l.checklist.missing_options(),
            (ActionKind::CloseForLackOfDetails, "text") if !l.details_lapsed => {
                f.label = "Motif de la clôture avant l'échéance des précisions";
                f.required = true;
            }
            (ActionKind::Transmit, "choice") => f.default = l.manager.unwrap_or(l.proposed).code().to_owned(),
            (ActionKind::PassToInvestigator, "intervenant") => f.options = l.investigators.clone(),
            (ActionKind::AppointExpert, "intervenant") => f.options = l.experts.clone(),
            (_, "document") => f.options = l.received.clone(),
            (ActionKind::RecordCommitteeOutcome, "outcomes") => f.options = l.qualifications.clone(),
            (ActionKind::Decide, "by") => {
                if l.investigator.is_empty() {
                    f.options.retain(|(code, _)| *code != Decider::Investigator.code());
                }
                f.default = Decider::of(l.manager.unwrap_or(l.proposed)).code().to_owned();
            }
            _ => {}
        }
    }
    if action == ActionKind::Decide {
        let label = match (l.ctx.firm_answer_pending, l.ctx.investigator_answer_pending) {
            (true, true) => Some("Décision sans attendre les réponses du qualifié et de l'instructeur : motif"),
            (true, false) => Some("Décision sans attendre la réponse du qualifié : motif"),
            (false, true) => Some("Décision sans attendre la réponse de l'instructeur : motif"),
            (false, false) => None,
        };
        if let Some(label) = label {
            fields.push(FieldSpec::new("waiver", label, "textarea", true));
        }
    }
    fields
}

/// The complaint page's workflow: what to do next, the allowed actions, the clocks, the
/// obligations and the decisions.
pub fn view(conn: &Connection, id: i64, today: NaiveDate) -> Result<WorkflowView> {
    let s = settings::deadlines(conn)?;
    let l = load(conn, id, today, &s)?;
    let mut actions = Vec::new();
    for a in allowed(l.step, &l.ctx) {
        let waiting_for = obligations::unmet(conn, id, a)?;
        actions.push(ActionView { code: a.code(), label: a.label(), fields: form_fields(a, &l), waiting_for });
    }
    let (clocks, overall_state) = clocks::views(conn, id, l.received_on, today, &s)?;
    Ok(WorkflowView {
        next_hint: next_hint(l.step, &l.ctx),
        actions,
        clocks,
        overall_state,
        obligations: obligations::checklist(conn, id)?,
        decisions: decisions::list(conn, id)?,
    })
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
            A::RecordInvestigatorAnswer if !code.is_empty() => Decision::from_code(code).map(Choice::Decision),
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

    fn label(self) -> &'static str {
        match self {
            Choice::None => "",
            Choice::Manager(m) => m.label(),
            Choice::Means(m) => m.label(),
            Choice::Decision(d) => d.label(),
            Choice::Outcome(o) => o.label(),
        }
    }
}

/// The checked data of an action.
struct Data {
    date: NaiveDate,
    text: String,
    choice: Choice,
    name: String,
    by: Option<Decider>,
    firm_text: String,
    waiver: String,
    elements: Vec<String>,
    expected: Option<NaiveDate>,
    intervenant: Option<i64>,
    document: Option<i64>,
    hearing: Option<NaiveDate>,
    outcomes: Vec<Outcome>,
}

/// The committee's checked outcome for one qualification.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    qualification_id: i64,
    label: String,
    outcome: QualificationOutcome,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
}

impl Outcome {
    /// « Qualification 2.1 : suspendue du 01/06/2026 au 30/11/2026 ».
    fn sentence(&self) -> String {
        let on = |d: Option<NaiveDate>| d.map(format_fr).unwrap_or_default();
        match self.outcome {
            QualificationOutcome::Maintained => format!("{} : maintenue", self.label),
            QualificationOutcome::Suspended => {
                format!("{} : suspendue du {} au {}", self.label, on(self.from), on(self.until))
            }
            QualificationOutcome::Withdrawn => format!("{} : retirée à compter du {}", self.label, on(self.from)),
        }
    }
}

/// The committee's outcome as a whole (see [`CommitteeOutcome`]).
fn overall(outcomes: &[Outcome]) -> CommitteeOutcome {
    if outcomes.iter().any(|o| o.outcome == QualificationOutcome::Withdrawn) {
        CommitteeOutcome::Withdrawal
    } else if outcomes.iter().any(|o| o.outcome == QualificationOutcome::Suspended) {
        CommitteeOutcome::Suspension
    } else {
        CommitteeOutcome::NoSanction
    }
}

/// Checks the committee's outcome for each qualification of the firm (`options`: id, label).
fn check_outcomes(forms: &[OutcomeForm], options: &[(String, String)], errors: &mut FieldErrors) -> Vec<Outcome> {
    if options.is_empty() {
        errors.insert(
            "outcomes".into(),
            "Le qualifié n'a aucune qualification ni certification enregistrée : ajoutez-les à sa fiche (Qualifiés) avant d'enregistrer la décision de la commission.".into(),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (id, label) in options {
        let Some(f) = forms.iter().find(|f| f.qualification_id.to_string() == *id) else {
            errors.insert("outcomes".into(), format!("Indiquez la décision pour : {label}."));
            continue;
        };
        let Some(outcome) = QualificationOutcome::from_code(&f.outcome) else {
            errors.insert("outcomes".into(), format!("Indiquez la décision pour : {label}."));
            continue;
        };
        let date = |v: &str| parse_date(v.trim());
        let (from, until) = (date(&f.from), date(&f.until));
        let problem = match outcome {
            QualificationOutcome::Maintained => None,
            QualificationOutcome::Suspended => match (from, until) {
                (Some(a), Some(b)) if a <= b => None,
                (Some(_), Some(_)) => Some("la fin de la suspension précède son début"),
                _ => Some("indiquez les dates de début et de fin de la suspension (JJ/MM/AAAA)"),
            },
            QualificationOutcome::Withdrawn if from.is_none() => Some("indiquez la date du retrait (JJ/MM/AAAA)"),
            QualificationOutcome::Withdrawn => None,
        };
        if let Some(problem) = problem {
            errors.insert("outcomes".into(), format!("{label} : {problem}."));
            continue;
        }
        let keep = |d: Option<NaiveDate>, wanted: bool| if wanted { d } else { None };
        out.push(Outcome {
            qualification_id: f.qualification_id,
            label: label.clone(),
            outcome,
            from: keep(from, outcome != QualificationOutcome::Maintained),
            until: keep(until, outcome == QualificationOutcome::Suspended),
        });
    }
    if forms.iter().any(|f| !options.iter().any(|(id, _)| *id == f.qualification_id.to_string())) {
        errors.insert("outcomes".into(), "Une qualification indiquée n'est pas celle de ce qualifié.".into());
    }
    out
}

fn clean(text: &str) -> String {
    text.replace("\r\n", "\n").trim().to_owned()
}

/// Checks an action's form field by field against its [`FieldSpec`]s; every refusal at once.
fn check(action: ActionKind, form: &ActionForm, l: &Loaded, today: NaiveDate) -> Result<Data> {
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
        Some(d) if d < l.received_on => {
            errors.insert(
                "date".into(),
                format!("La date ne peut pas précéder la réception de la réclamation ({}).", format_fr(l.received_on)),
            );
            d
        }
        Some(d) => d,
    };
    let specs = form_fields(action, l);
    // A value for a field this form does not have is dropped, never recorded.
    let kept = |key: &str, value: &str| if specs.iter().any(|f| f.key == key) { clean(value) } else { String::new() };
    let (text, name, firm_text, waiver) = (
        kept("text", &form.text),
        kept("name", &form.name),
        kept("firm_text", &form.firm_text),
        kept("waiver", &form.waiver),
    );
    let mut expected = None;
    let mut hearing = None;
    let mut outcomes = Vec::new();
    for spec in specs.iter() {
        let in_options = |v: &str| spec.options.iter().any(|(code, _)| *code == v);
        let value = match spec.key {
            "text" => &text,
            "name" => &name,
            "firm_text" => &firm_text,
            "waiver" => &waiver,
            "choice" | "by" | "intervenant" | "document" => {
                let v = match spec.key {
                    "choice" => &form.choice,
                    "by" => &form.by,
                    "intervenant" => &form.intervenant,
                    _ => &form.document,
                };
                if !spec.required && v.is_empty() {
                    continue;
                }
                if spec.key == "intervenant" && spec.options.is_empty() {
                    errors.insert(
                        spec.key.into(),
                        format!(
                            "Aucun {} actif au registre : ajoutez-le dans « Intervenants ».",
                            spec.label.to_lowercase()
                        ),
                    );
                } else if !in_options(v) {
                    errors.insert(spec.key.into(), format!("Choisissez : {}.", spec.label.to_lowercase()));
                }
                continue;
            }
            "elements" => {
                if form.elements.iter().any(|e| !in_options(e)) {
                    errors.insert("elements".into(), "Cochez seulement des éléments qui manquaient.".into());
                } else if spec.required && form.elements.is_empty() {
                    errors.insert("elements".into(), "Cochez au moins un élément reçu.".into());
                }
                continue;
            }
            "hearing" => {
                match parse_date(form.hearing.trim()) {
                    Some(h) if h >= date => hearing = Some(h),
                    Some(_) => {
                        errors.insert(
                            "hearing".into(),
                            "La séance ne peut pas précéder la date de la convocation.".into(),
                        );
                    }
                    None => {
                        errors.insert(
                            "hearing".into(),
                            "Date de la séance invalide : utilisez le format JJ/MM/AAAA.".into(),
                        );
                    }
                }
                continue;
            }
            "outcomes" => {
                outcomes = check_outcomes(&form.outcomes, &spec.options, &mut errors);
                continue;
            }
            "expected" => {
                match form.expected.trim() {
                    "" => {}
                    v => match parse_date(v) {
                        Some(e) if e >= date => expected = Some(e),
                        Some(_) => {
                            errors.insert(
                                "expected".into(),
                                "La date prévue de la décision ne peut pas être passée.".into(),
                            );
                        }
                        None => {
                            errors.insert("expected".into(), "Date invalide : utilisez le format JJ/MM/AAAA.".into());
                        }
                    },
                }
                continue;
            }
            _ => continue,
        };
        if spec.required && value.is_empty() {
            errors.insert(spec.key.into(), format!("Ce champ est obligatoire : {}.", spec.label.to_lowercase()));
        } else if value.chars().count() > 100_000 || value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            errors.insert(spec.key.into(), "Texte trop long ou avec des caractères invisibles.".into());
        }
    }
    let choice = match action {
        ActionKind::RecordCommitteeOutcome => Some(Choice::Outcome(overall(&outcomes))),
        _ => Choice::parse(action, &form.choice),
    };
    let id_of = |key: &str, v: &str| if specs.iter().any(|f| f.key == key) { v.parse::<i64>().ok() } else { None };
    match choice {
        Some(choice) if errors.is_empty() => Ok(Data {
            intervenant: id_of("intervenant", &form.intervenant),
            document: id_of("document", &form.document),
            hearing,
            outcomes,
            date,
            text,
            choice,
            name,
            by: Decider::from_code(&form.by),
            firm_text,
            waiver,
            elements: form.elements.clone(),
            expected,
        }),
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
    /// The expected date of the decision, or NULL.
    Expected,
    /// The intervenant chosen (its id).
    Intervenant,
    /// The hearing's date.
    Hearing,
}

/// Which clocks an action stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stops {
    These(&'static [Clock], StopReason),
    /// Every clock but the overall one: the file is going to be closed.
    AllButOverall,
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
    /// The clock whose answer the action records (even after it was stopped without one).
    answers: Option<Clock>,
    /// Columns of `complaints` written.
    writes: &'static [(&'static str, Value)],
    /// The action records a decision in the `decisions` table.
    decides: bool,
    /// The journal entry's kind when the step stays (a step change is always `StepChange`).
    journal: JournalKind,
}

const NONE: Stops = Stops::These(&[], StopReason::Closed);
const CLOSE: &[(&str, Value)] = &[("closed_on", Value::Date)];

/// The effect of each action, as data.
fn effect(action: ActionKind) -> Effect {
    use ActionKind as A;
    use Clock as C;
    use JournalKind as J;
    use Value as V;
    let e = |starts, stops, writes, journal| Effect { starts, stops, answers: None, writes, decides: false, journal };
    let answer = |clock, journal| Effect { answers: Some(clock), ..e(None, NONE, &[], journal) };
    match action {
        A::Acknowledge => e(None, NONE, &[], J::StepChange),
        A::RequestDetails => e(Some(C::ComplainantDetails), NONE, &[], J::LetterOut),
        // The elements received are written by `apply` from the form's list.
        A::RecordDetailsReceived => answer(C::ComplainantDetails, J::LetterIn),
        A::CloseForLackOfDetails => {
            e(None, Stops::All, &[("closed_on", V::Date), ("lack_of_details_reason", V::Text)], J::StepChange)
        }
        A::MarkLettersSent => e(None, Stops::All, CLOSE, J::StepChange),
        A::DeclareInadmissible => e(None, Stops::AllButOverall, &[("inadmissible_reason", V::Text)], J::StepChange),
        A::Transmit => e(None, NONE, &[("manager", V::Choice)], J::StepChange),
        A::RecordFirstAnalysis => e(None, NONE, &[], J::Note),
        A::InformFirm => e(Some(C::FirmAnswer), NONE, &[], J::StepChange),
        A::RecordFirmAnswer => answer(C::FirmAnswer, J::LetterIn),
        A::RequestInformation => e(Some(C::ComplainantInfo), NONE, &[("information_request", V::Text)], J::LetterOut),
        A::RecordComplainantAnswer => {
            e(None, Stops::These(&[C::ComplainantInfo, C::ComplainantDetails], StopReason::Answered), &[], J::LetterIn)
        }
        A::PassToInvestigator => e(
            Some(C::InvestigatorAnswer),
            NONE,
            &[("investigator", V::Name), ("investigator_id", V::Intervenant)],
            J::StepChange,
        ),
        A::AppointExpert => e(
            Some(C::ExpertReport),
            NONE,
            &[("expert_id", V::Intervenant), ("expert_mission", V::Text), ("expert_appointed_on", V::Date)],
            J::Note,
        ),
        A::ScheduleHearing => e(None, NONE, &[("committee_hearing_on", V::Hearing)], J::Note),
        A::RecordInvestigatorAnswer => answer(C::InvestigatorAnswer, J::LetterIn),
        A::Decide => Effect {
            decides: true,
            ..e(
                None,
                // Only running clocks stop, and the form asks for the reason when one runs.
                Stops::These(&[C::FirmAnswer, C::InvestigatorAnswer], StopReason::Waived),
                &[
                    ("decision", V::Choice),
                    ("decision_reasons", V::Text),
                    ("expert_report_pending", V::IsExpert),
                    ("decided_on", V::Date),
                ],
                J::StepChange,
            )
        },
        A::RecordExpertReport => Effect {
            answers: Some(C::ExpertReport),
            ..e(None, NONE, &[("expert_report_pending", V::Flag(false))], J::LetterIn)
        },
        A::RecordCommitteeOutcome => Effect {
            decides: true,
            ..e(
                None,
                NONE,
                &[
                    ("committee_outcome", V::Choice),
                    ("committee_scope", V::Name),
                    ("committee_reasons", V::Text),
                    ("committee_on", V::Date),
                ],
                J::StepChange,
            )
        },
        A::JustifyOverrun => {
            e(None, NONE, &[("overrun_justification", V::Text), ("overrun_expected_on", V::Expected)], J::Note)
        }
    }
}

/// Writes an action's effect; returns the due date of the clock it started and the clocks it
/// stopped.
fn apply(
    conn: &Connection,
    id: i64,
    action: ActionKind,
    l: &Loaded,
    d: &Data,
    s: &DeadlineSettings,
    author: &str,
) -> Result<(Option<NaiveDate>, Vec<Clock>)> {
    let effect = effect(action);
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
                Value::Expected => d.expected.map(|e| e.to_string()).into(),
                Value::Intervenant => d.intervenant.into(),
                Value::Hearing => d.hearing.map(|h| h.to_string()).into(),
            })
            .collect();
        // The column names come from the constant table above, never from input.
        let set: Vec<String> =
            effect.writes.iter().enumerate().map(|(i, (column, _))| format!("{column} = ?{}", i + 2)).collect();
        let sql = format!("UPDATE complaints SET {} WHERE id = ?1", set.join(", "));
        let mut stmt = conn.prepare_cached(&sql)?;
        stmt.execute(rusqlite::params_from_iter(std::iter::once(rusqlite::types::Value::from(id)).chain(values)))?;
    }
    if action == ActionKind::RecordDetailsReceived {
        let mut checklist = l.checklist;
        for code in &d.elements {
            checklist.receive(code);
        }
        conn.execute(
            "UPDATE complaints SET has_complainant_details = ?2, has_firm_details = ?3, has_facts = ?4,
                                   has_actions_taken = ?5 WHERE id = ?1",
            params![
                id,
                checklist.complainant_details,
                checklist.firm_details,
                checklist.facts,
                checklist.actions_taken
            ],
        )?;
    }
    let stopped = match effect.stops {
        Stops::These(list, why) => clocks::stop(conn, id, list, d.date, why)?,
        Stops::AllButOverall => {
            let others: Vec<Clock> = Clock::ALL.iter().copied().filter(|c| *c != Clock::Overall).collect();
            clocks::stop(conn, id, &others, d.date, StopReason::Closed)?
        }
        Stops::All => {
            clocks::stop_all(conn, id, d.date)?;
            Vec::new()
        }
    };
    if let Some(clock) = effect.answers {
        clocks::answered(conn, id, clock, d.date)?;
    }
    if effect.decides {
        let (decided, by, decider_name) = match d.choice {
            Choice::Outcome(o) => (Decided::Committee(o), Decider::AppealsCommittee, ""),
            Choice::Decision(x) => {
                let by = d.by.unwrap_or(Decider::of(l.manager.unwrap_or(l.proposed)));
                (Decided::Decision(x), by, if by == Decider::Investigator { l.investigator.as_str() } else { "" })
            }
            // `check` types the choice of both deciding actions.
            _ => return Err(Error::field("choice", "Choisissez : décision.")),
        };
        let new = NewDecision {
            decided,
            by,
            decider_name,
            on: d.date,
            reasons_complainant: &d.text,
            reasons_firm: &d.firm_text,
            scope: &d.name,
            waiver: &d.waiver,
        };
        let decision_id = decisions::append(conn, id, &new, author)?;
        if d.choice == Choice::Decision(Decision::Expert) {
            // A new expertise: its expert is appointed afresh.
            conn.execute(
                "UPDATE complaints SET expert_id = NULL, expert_mission = '', expert_appointed_on = NULL WHERE id = ?1",
                params![id],
            )?;
        }
        for o in &d.outcomes {
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
        }
    }
    let due = effect
        .starts
        .map(|clock| clocks::start(conn, id, clock, d.date, clock.months(s), clock.indicative()))
        .transpose()?;
    Ok((due, stopped))
}

fn due_fr(due: Option<NaiveDate>) -> String {
    due.map(|due| format!("{} {}", french_weekday(due), format_fr(due))).unwrap_or_default()
}

/// What was checked, as the journal writes it: « ; vérifié : … ; … ».
fn checked_fr(checked: &[String]) -> String {
    if checked.is_empty() {
        String::new()
    } else {
        format!(" Vérifié : {}.", checked.join(" ; "))
    }
}

/// The journal's sentence for an action: it states what was recorded and what was checked,
/// never that a letter went out unless its sending was recorded.
fn summary(
    action: ActionKind,
    l: &Loaded,
    d: &Data,
    due: Option<NaiveDate>,
    stopped: &[Clock],
    checked: &[String],
) -> String {
    let date_fr = format_fr(d.date);
    let due_fr = due_fr(due);
    let choice = d.choice.label();
    use ActionKind as A;
    match action {
        A::Acknowledge => format!("Réclamation complète : accusé de réception enregistré, daté du {date_fr}."),
        A::RequestDetails => format!(
            "Demande de précisions enregistrée, datée du {date_fr} ; manque : {} ; réponse attendue (indicatif) le {due_fr}.",
            l.checklist.missing().join(" ; "),
        ),
        A::RecordDetailsReceived => {
            let mut after = l.checklist;
            let received: Vec<&str> = l
                .checklist
                .elements()
                .into_iter()
                .filter(|(code, _, _)| d.elements.iter().any(|e| e == code))
                .map(|(_, name, _)| name)
                .collect();
            for code in &d.elements {
                after.receive(code);
            }
            let rest = if after.is_complete() {
                "la réclamation est complète.".to_owned()
            } else {
                format!("il manque encore : {}.", after.missing().join(" ; "))
            };
            format!("Précisions du plaignant reçues le {date_fr} : {} ; {rest}", received.join(" ; "))
        }
        A::CloseForLackOfDetails => {
            let why = if l.details_lapsed {
                "la date de réponse indiquée au plaignant est dépassée".to_owned()
            } else {
                format!("avant la date de réponse indiquée, motif : {}", d.text)
            };
            format!("Dossier clos le {date_fr} faute de précisions du plaignant ({why}).{}", checked_fr(checked))
        }
        A::DeclareInadmissible => format!("Réclamation déclarée irrecevable le {date_fr}."),
        A::Transmit => format!("Transmise au {choice} le {date_fr} pour première analyse."),
        A::RecordFirstAnalysis => format!("Première analyse du {date_fr}."),
        A::InformFirm => format!(
            "Qualifié informé de la réclamation par {} le {date_fr} ; réponse circonstanciée attendue au plus tard le {due_fr}.",
            choice.to_lowercase(),
        ),
        A::RecordFirmAnswer if !l.ctx.firm_answer_pending => {
            format!("Réponse du qualifié reçue le {date_fr}, après l'arrêt de son délai.")
        }
        A::RecordFirmAnswer => format!("Réponse du qualifié reçue le {date_fr}."),
        A::RequestInformation => format!(
            "Demande d'informations complémentaires au plaignant enregistrée, datée du {date_fr} ; réponse attendue (indicatif) le {due_fr}."
        ),
        A::RecordComplainantAnswer => format!("Réponse du plaignant reçue le {date_fr}."),
        A::PassToInvestigator => format!(
            "Dossier transmis le {date_fr} à l'instructeur {} ; réponse attendue au plus tard le {due_fr}.",
            d.name
        ),
        A::AppointExpert => format!(
            "Expert désigné le {date_fr} : {} ; rapport attendu au plus tard le {due_fr}.",
            d.name
        ),
        A::ScheduleHearing => format!(
            "Séance de la commission de recours fixée au {}.",
            d.hearing.map(|h| format!("{} {}", french_weekday(h), format_fr(h))).unwrap_or_default()
        ),
        A::RecordInvestigatorAnswer if !l.ctx.investigator_answer_pending => {
            format!("Réponse de l'instructeur reçue le {date_fr}, après l'arrêt de son délai.")
        }
        A::RecordInvestigatorAnswer => match d.choice {
            Choice::Decision(p) => format!("Réponse de l'instructeur reçue le {date_fr} ; décision proposée : {}.", p.label()),
            _ => format!("Réponse de l'instructeur reçue le {date_fr}."),
        },
        A::Decide => {
            let by = d.by.map(|b| {
                if b == Decider::Investigator {
                    format!("l'instructeur {}", l.investigator)
                } else {
                    format!("le {}", b.label())
                }
            });
            let waiver = if stopped.is_empty() {
                String::new()
            } else {
                let whose: Vec<&str> = stopped
                    .iter()
                    .map(|c| if *c == Clock::FirmAnswer { "du qualifié" } else { "de l'instructeur" })
                    .collect();
                format!(" Décision sans attendre la réponse {} : {}", whose.join(" et "), d.waiver)
            };
            format!("Décision du {date_fr} : {choice}, prise par {}.{waiver}{}", by.unwrap_or_default(), checked_fr(checked))
        }
        A::RecordExpertReport => format!("Rapport de l'expert reçu le {date_fr}."),
        A::RecordCommitteeOutcome => {
            let each: Vec<String> = d.outcomes.iter().map(Outcome::sentence).collect();
            format!("Commission de recours du {date_fr} : {choice} ({}).{}", each.join(" ; "), checked_fr(checked))
        }
        A::MarkLettersSent => format!("Dossier clos le {date_fr}.{}", checked_fr(checked)),
        A::JustifyOverrun => {
            let expected = d.expected.map(|e| format!(" ; décision prévue le {}", format_fr(e))).unwrap_or_default();
            format!(
                "Motif du dépassement du délai global enregistré le {date_fr}{expected}. Le dépassement sera justifié une fois les courriers au plaignant et au qualifié envoyés."
            )
        }
    }
}

/// Performs an action on a complaint: refused with a French message unless the procedure
/// allows it from the current step and the letters it waits for were sent. Returns the step
/// after the action.
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
    let missing = obligations::unmet(&tx, id, action)?;
    if !missing.is_empty() {
        return Err(Error::ObligationsUnmet { action, missing });
    }
    let checked = obligations::checked(&tx, id, action)?;
    let mut d = check(action, form, &l, today)?;
    impartial(&tx, id, action, &mut d)?;
    let (due, stopped) = apply(&tx, id, action, &l, &d, &s, author)?;
    let next = match (target, d.choice) {
        (Target::Stay, _) => l.step,
        (Target::To(step), _) => step,
        (Target::IfComplete(step), _) => {
            let complete = load(&tx, id, today, &s)?.ctx.complete;
            if complete {
                step
            } else {
                l.step
            }
        }
        (Target::ByDecision, Choice::Decision(decision)) => decision_step(decision),
        // `check` types the choice of `Decide`, the one action that leads by decision.
        (Target::ByDecision, _) => return Err(Error::field("choice", "Choisissez : décision.")),
    };
    let summary = summary(action, &l, &d, due, &stopped, &checked);
    let changed = next != l.step;
    if changed {
        tx.execute("UPDATE complaints SET step = ?2 WHERE id = ?1", params![id, next])?;
    }
    let summary = if changed { format!("{summary} Étape : « {} ».", next.label()) } else { summary };
    let details = [d.text.as_str(), d.firm_text.as_str(), d.waiver.as_str()]
        .iter()
        .filter(|t| !t.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n\n");
    journal::append(
        &tx,
        id,
        &NewEntry {
            details: &details,
            step_from: changed.then_some(l.step),
            step_to: changed.then_some(next),
            // The answer or the report received, chosen among the file's documents.
            document: d.document,
            ..NewEntry::simple(
                if changed { JournalKind::StepChange } else { effect(action).journal },
                d.date,
                author,
                &summary,
            )
        },
    )?;
    tx.commit()?;
    Ok(next)
}

/// Impartiality (the qualification standard): an instructeur or an expert takes a file only
/// after declaring no conflict of interest with its parties, and so does the Responsable when
/// the settings ask for it. Fills the chosen intervenant's name, and the committee's scope.
fn impartial(conn: &Connection, id: i64, action: ActionKind, d: &mut Data) -> Result<()> {
    if action == ActionKind::RecordCommitteeOutcome {
        d.name = d.outcomes.iter().map(Outcome::sentence).collect::<Vec<_>>().join(" ; ");
    }
    if let Some(person) = d.intervenant {
        let name = intervenants::get(conn, person)?.civil_name();
        match declarations::intervenant_clearance(conn, id, person)? {
            Clearance::NoConflict => {}
            Clearance::Conflict => {
                return Err(Error::field(
                    "intervenant",
                    format!("{name} a déclaré un conflit d'intérêts sur ce dossier : il ne peut pas y intervenir."),
                ))
            }
            Clearance::NotDeclared => {
                return Err(Error::field(
                    "intervenant",
                    format!("{name} n'a pas encore déclaré l'absence de conflit d'intérêts pour ce dossier : enregistrez d'abord sa déclaration (carte « Déclarations d'intérêts »)."),
                ))
            }
        }
        d.name = name;
    }
    if action == ActionKind::Transmit && declarations::manager_declaration_required(conn)? {
        let signatory = match d.choice {
            Choice::Manager(Manager::Certification) => StaffSignatory::CertificationManager,
            _ => StaffSignatory::QualificationManager,
        };
        let label = d.choice.label();
        let Some(member) = staff::signatory_member(conn, signatory)? else {
            return Err(Error::field(
                "choice",
                format!("Aucun membre du personnel n'est désigné comme {label} (Paramètres) : sa déclaration d'intérêts est exigée."),
            ));
        };
        if declarations::staff_clearance(conn, id, member.id)? != Clearance::NoConflict {
            return Err(Error::field(
                "choice",
                format!(
                    "{} ({label}) doit d'abord déclarer l'absence de conflit d'intérêts pour ce dossier.",
                    member.name
                ),
            ));
        }
    }
    Ok(())
}

/// What sending a letter sets off, inside the transaction that records the sending (or, with
/// `ar`, the return of its AR card): the firm is informed by its information letter (its clock
/// starts and keeps the answer date the letter states), and an overrun counts as justified once
/// its reason is recorded and both its letters are sent.
pub(crate) fn letter_sent(
    conn: &Connection,
    complaint_id: i64,
    document_id: i64,
    kind: LetterKind,
    on: NaiveDate,
    ar: bool,
    author: &str,
) -> Result<()> {
    match kind {
        LetterKind::FirmNotification => firm_informed_by_letter(conn, complaint_id, document_id, on, ar, author),
        LetterKind::OverrunComplainant | LetterKind::OverrunFirm if !ar => {
            overrun_justified(conn, complaint_id, on, author)
        }
        _ if ar => Ok(()),
        LetterKind::FirmReminder => reminded(conn, complaint_id, document_id, &[Clock::FirmAnswer], on, author),
        LetterKind::InvestigatorReminder => {
            reminded(conn, complaint_id, document_id, &[Clock::InvestigatorAnswer], on, author)
        }
        LetterKind::ExpertReminder => reminded(conn, complaint_id, document_id, &[Clock::ExpertReport], on, author),
        LetterKind::ComplainantReminder => {
            reminded(conn, complaint_id, document_id, &[Clock::ComplainantInfo, Clock::ComplainantDetails], on, author)
        }
        _ => Ok(()),
    }
}

fn firm_informed_by_letter(
    conn: &Connection,
    id: i64,
    document_id: i64,
    on: NaiveDate,
    ar: bool,
    author: &str,
) -> Result<()> {
    let step: Step = conn
        .query_row("SELECT step FROM complaints WHERE id = ?1", params![id], |r| r.get(0))
        .map_err(corrupt_row("complaints", id))?;
    let (mode, number, stated): (String, String, Option<String>) = conn.query_row(
        "SELECT send_mode, registered_number, due_on FROM documents WHERE id = ?1",
        params![document_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let from_ar = settings::letters(conn)?.firm_clock_start == settings::FirmClockStart::ArReturned
        && mode == SendMode::Registered.code();
    if step != Step::InAnalysis || from_ar != ar {
        return Ok(());
    }
    let s = settings::deadlines(conn)?;
    let computed = deadlines::deadline(on, s.firm_months).due;
    let due = stated.as_deref().and_then(parse_date).unwrap_or(computed);
    clocks::start_stated(conn, id, Clock::FirmAnswer, on, s.firm_months, due, document_id)?;
    conn.execute("UPDATE complaints SET step = ?2 WHERE id = ?1", params![id, Step::FirmInformed])?;
    let how = if ar {
        format!("dont l'avis de réception du recommandé n° {number} est signé le {}", format_fr(on))
    } else if mode == SendMode::Registered.code() {
        format!("envoyé le {} en recommandé avec AR n° {number}", format_fr(on))
    } else if mode == SendMode::Email.code() {
        format!("envoyé par courriel le {}", format_fr(on))
    } else {
        format!("envoyé le {} en courrier simple", format_fr(on))
    };
    let summary = format!(
        "Qualifié informé de la réclamation par le courrier « {} » {how} ; réponse circonstanciée attendue au plus tard le {} (date indiquée dans le courrier). Étape : « {} ».",
        LetterKind::FirmNotification.label(),
        due_fr(Some(due)),
        Step::FirmInformed.label()
    );
    journal::append(
        conn,
        id,
        &NewEntry {
            document: Some(document_id),
            step_from: Some(step),
            step_to: Some(Step::FirmInformed),
            ..NewEntry::simple(JournalKind::StepChange, on, author, &summary)
        },
    )
    .map(|_| ())
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
    let summary = format!(
        "Relance envoyée le {} ({}) : nouvelle échéance le {} (date indiquée dans la relance).",
        format_fr(on),
        clock.label(),
        due_fr(Some(due))
    );
    journal::append(
        conn,
        id,
        &NewEntry { document: Some(document_id), ..NewEntry::simple(JournalKind::Note, on, author, &summary) },
    )
    .map(|_| ())
}

fn overrun_justified(conn: &Connection, id: i64, on: NaiveDate, author: &str) -> Result<()> {
    if clocks::overall_justified(conn, id)? {
        return Ok(());
    }
    let Some(last) = obligations::overrun_letters_sent(conn, id)? else { return Ok(()) };
    let last = parse_date(&last).unwrap_or(on);
    clocks::justify_overall(conn, id, last)?;
    let sent: Vec<String> = obligations::checklist(conn, id)?
        .into_iter()
        .filter(|o| matches!(o.letter, "overrun_complainant" | "overrun_firm"))
        .map(|o| format!("{} : {}", o.what, o.state_label))
        .collect();
    let summary = format!(
        "Dépassement du délai global justifié le {} : motif enregistré ; {}.",
        format_fr(last),
        sent.join(" ; ")
    );
    journal::append(conn, id, &NewEntry::simple(JournalKind::Note, last, author, &summary)).map(|_| ())
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
            &[("elements", "actions_taken"), ("text", "Lettre du 10/02")],
        );
        assert_eq!(perform(&mut conn, id, "Sophie", &received, today)?, Step::Complete);
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
        let close = act(ActionKind::MarkLettersSent, "12/06/2026");
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
        let facts =
            form(ActionKind::RecordDetailsReceived, "10/02/2026", &[("elements", "facts"), ("text", "Exposé reçu.")]);
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
        let close = act(ActionKind::MarkLettersSent, "06/03/2026");
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
        let close = act(ActionKind::MarkLettersSent, "30/05/2026");
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
            deciding.fields.iter().find(|f| f.key == "by").map(|f| f.default.as_str()),
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
        let message = refusal(perform(&mut conn, id, "S", &act(ActionKind::MarkLettersSent, "11/03/2026"), today));
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
        assert_eq!(perform(&mut conn, 1, "S", &act(ActionKind::MarkLettersSent, "10/01/2026"), today)?, Step::Closed);
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
