//! Performing the procedure's actions on a stored complaint: the step change, its clocks and
//! its journal entry in one transaction; and the clocks as the complaint page shows them.

use crate::deadlines::{self, clock_state, days_left, format_fr, french_weekday, ClockState, OverallState};
use crate::error::{Error, FieldErrors, Result};
use crate::model::Step;
use crate::store::journal::{self, JournalKind, NewEntry};
use crate::store::settings::{self, DeadlineSettings};
use crate::validate::parse_date;
use crate::workflow::{
    allowed, decision_step, next_hint, refusal_message, transition, ActionKind, CommitteeOutcome, Context, Decision,
    FieldSpec, Manager, Means, Target,
};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

coded_enum!(
    /// The clocks of a complaint (DESIGN.md « Deadlines »).
    Clock {
        Overall => "overall", "Délai global de traitement";
        FirmAnswer => "firm_answer", "Réponse du qualifié";
        InvestigatorAnswer => "investigator_answer", "Réponse de l'instructeur";
        ComplainantDetails => "complainant_details", "Précisions du plaignant (indicatif)";
        ComplainantInfo => "complainant_info", "Informations du plaignant (indicatif)";
    }
);

impl Clock {
    /// How the start date reads in the explanation (« reçue le 31/01/2026 → … »).
    fn start_label(self) -> &'static str {
        match self {
            Clock::Overall => "reçue le",
            Clock::FirmAnswer => "qualifié informé le",
            Clock::InvestigatorAnswer => "transmise le",
            Clock::ComplainantDetails | Clock::ComplainantInfo => "demandées le",
        }
    }
}

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

/// An allowed action and the form it needs, for the complaint page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionView {
    pub code: &'static str,
    pub label: &'static str,
    pub fields: Vec<FieldSpec>,
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

/// The workflow part of the complaint page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkflowView {
    pub next_hint: &'static str,
    pub actions: Vec<ActionView>,
    pub clocks: Vec<ClockView>,
    pub overall_state: &'static str,
}

struct Loaded {
    step: Step,
    received_on: NaiveDate,
    ctx: Context,
}

fn load(conn: &Connection, id: i64, today: NaiveDate, s: &DeadlineSettings) -> Result<Loaded> {
    let row: Option<(String, String, bool, bool)> = conn
        .query_row(
            "SELECT step, received_on,
                    has_complainant_details AND has_firm_details AND has_facts AND has_actions_taken,
                    expert_report_pending
             FROM complaints WHERE id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (step, received, complete, expert_report_pending) =
        row.ok_or(Error::NotFound { what: "La réclamation", id })?;
    let step = Step::from_code(&step).unwrap_or(Step::Registered);
    let received_on = parse_date(&received).unwrap_or(today);
    let open = |clock: Clock| -> Result<bool> {
        Ok(conn
            .query_row(
                "SELECT 1 FROM deadlines WHERE complaint_id = ?1 AND clock = ?2 AND stopped_on IS NULL",
                params![id, clock.code()],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    };
    let justified: bool = conn
        .query_row(
            "SELECT justified_on IS NOT NULL FROM deadlines WHERE complaint_id = ?1 AND clock = 'overall'",
            params![id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false);
    let overrun = deadlines::overall_flag(received_on, today, s.flag_months, s.overall_months) == OverallState::Overrun;
    let ctx = Context {
        complete,
        firm_answer_pending: open(Clock::FirmAnswer)?,
        investigator_answer_pending: open(Clock::InvestigatorAnswer)?,
        complainant_answer_pending: open(Clock::ComplainantDetails)? || open(Clock::ComplainantInfo)?,
        expert_report_pending,
        overrun_unjustified: overrun && step != Step::Closed && !justified,
    };
    Ok(Loaded { step, received_on, ctx })
}

/// The complaint page's workflow: what to do next, the allowed actions, the clocks.
pub fn view(conn: &Connection, id: i64, today: NaiveDate) -> Result<WorkflowView> {
    let s = settings::deadlines(conn)?;
    let l = load(conn, id, today, &s)?;
    let actions = allowed(l.step, &l.ctx)
        .into_iter()
        .map(|a| ActionView { code: a.code(), label: a.label(), fields: a.fields() })
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT clock, start_on, months, stopped_on, justified_on, indicative
         FROM deadlines WHERE complaint_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut overall_state = "ok";
    let mut clocks = Vec::with_capacity(rows.len());
    for (code, start, months, stopped_on, justified_on, indicative) in rows {
        let (Some(clock), Some(start)) = (Clock::from_code(&code), parse_date(&start)) else { continue };
        let d = deadlines::deadline(start, months);
        let left = days_left(d.due, today);
        let (state, state_label) = if clock == Clock::Overall {
            let flag = deadlines::overall_flag(l.received_on, today, s.flag_months, months);
            let state = match (stopped_on.is_some(), flag, justified_on.is_some()) {
                (true, _, _) => ("stopped", "Dossier clos".to_owned()),
                (false, OverallState::Overrun, true) => ("justified", "Dépassement justifié".to_owned()),
                (false, OverallState::Overrun, false) => ("overrun", format!("En dépassement depuis {} j", -left)),
                (false, OverallState::Flagged, _) => {
                    ("flagged", format!("Plus de {} mois : reste {left} j", s.flag_months))
                }
                (false, OverallState::Normal, _) => ("ok", format!("Reste {left} j")),
            };
            overall_state = state.0;
            state
        } else {
            match clock_state(d.due, today, stopped_on.is_some(), i64::from(s.soon_days)) {
                ClockState::Stopped => ("stopped", "Réponse reçue".to_owned()),
                ClockState::Overdue => ("overdue", format!("Dépassé de {} j", -left)),
                ClockState::DueSoon if left == 0 => ("soon", "Échéance aujourd'hui".to_owned()),
                ClockState::DueSoon => ("soon", format!("Bientôt : reste {left} j")),
                ClockState::Ok => ("ok", format!("Reste {left} j")),
            }
        };
        clocks.push(ClockView {
            clock: clock.code(),
            label: clock.label(),
            start_on: start.to_string(),
            due_on: d.due.to_string(),
            due_label: format!("{} {}", french_weekday(d.due), format_fr(d.due)),
            explanation: d.explain(clock.start_label()),
            state,
            state_label,
            days_left: left,
            stopped_on,
            indicative,
        });
    }
    Ok(WorkflowView { next_hint: next_hint(l.step, &l.ctx), actions, clocks, overall_state })
}

/// Starts the overall clock of a newly registered complaint.
pub(crate) fn start_overall_clock(conn: &Connection, id: i64, received_on: NaiveDate) -> Result<()> {
    let months = settings::deadlines(conn)?.overall_months;
    start_clock(conn, id, Clock::Overall, received_on, months, false).map(|_| ())
}

pub(crate) fn start_clock(
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
        params![id, clock.code(), start.to_string(), months, due.to_string(), indicative],
    )?;
    Ok(due)
}

fn stop_clocks(conn: &Connection, id: i64, clocks: &[Clock], on: NaiveDate) -> Result<()> {
    for clock in clocks {
        conn.execute(
            "UPDATE deadlines SET stopped_on = ?3 WHERE complaint_id = ?1 AND clock = ?2 AND stopped_on IS NULL",
            params![id, clock.code(), on.to_string()],
        )?;
    }
    Ok(())
}

/// The validated data of an action.
struct Data {
    date: NaiveDate,
    text: String,
    choice: String,
    name: String,
}

fn validate(action: ActionKind, form: &ActionForm, received_on: NaiveDate, today: NaiveDate) -> Result<Data> {
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
    if errors.is_empty() {
        Ok(Data { date, text, choice: form.choice.clone(), name })
    } else {
        Err(Error::Validation { fields: errors })
    }
}

/// Performs an action on a complaint: refused with a French message unless the procedure
/// allows it from the current step. Returns the step after the action.
pub fn perform(conn: &mut Connection, id: i64, author: &str, form: &ActionForm, today: NaiveDate) -> Result<Step> {
    let action = ActionKind::from_code(&form.action).ok_or_else(|| Error::field("action", "Action inconnue."))?;
    // IMMEDIATE: the step read below cannot change before this transaction writes.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let s = settings::deadlines(&tx)?;
    let l = load(&tx, id, today, &s)?;
    let target = transition(l.step, &l.ctx, action)
        .map_err(|why| Error::ActionNotAllowed { message: refusal_message(l.step, action, why) })?;
    let d = validate(action, form, l.received_on, today)?;
    let date_fr = format_fr(d.date);
    let due_fr = |due: NaiveDate| format!("{} {}", french_weekday(due), format_fr(due));

    use ActionKind as A;
    let mut kind = JournalKind::StepChange;
    let summary: String = match action {
        A::Acknowledge => format!("Accusé de réception adressé au plaignant le {date_fr}."),
        A::RequestDetails => {
            let missing: Vec<&str> = crate::store::complaints::checklist(&tx, id)?.missing();
            let due = start_clock(&tx, id, Clock::ComplainantDetails, d.date, s.complainant_months, true)?;
            format!(
                "Accusé de réception avec demande de précisions adressé le {date_fr} ; manque : {} ; réponse attendue (indicatif) le {}.",
                missing.join(" ; "),
                due_fr(due)
            )
        }
        A::RecordDetailsReceived => {
            stop_clocks(&tx, id, &[Clock::ComplainantDetails], d.date)?;
            tx.execute(
                "UPDATE complaints SET has_complainant_details = 1, has_firm_details = 1, has_facts = 1,
                                       has_actions_taken = 1 WHERE id = ?1",
                params![id],
            )?;
            format!("Précisions du plaignant reçues le {date_fr} : la réclamation est complète.")
        }
        A::CloseForLackOfDetails => {
            close(&tx, id, d.date)?;
            format!("Dossier clos le {date_fr} faute de précisions du plaignant.")
        }
        A::DeclareInadmissible => {
            tx.execute("UPDATE complaints SET inadmissible_reason = ?2 WHERE id = ?1", params![id, d.text])?;
            format!("Réclamation déclarée irrecevable le {date_fr}.")
        }
        A::Transmit => {
            let manager = Manager::from_code(&d.choice).unwrap_or(Manager::Qualification);
            tx.execute("UPDATE complaints SET manager = ?2 WHERE id = ?1", params![id, manager.code()])?;
            format!("Transmise au {} le {date_fr} pour première analyse.", manager.label())
        }
        A::RecordFirstAnalysis => {
            kind = JournalKind::Note;
            format!("Première analyse du {date_fr}.")
        }
        A::InformFirm => {
            let means = Means::from_code(&d.choice).unwrap_or(Means::Letter);
            let due = start_clock(&tx, id, Clock::FirmAnswer, d.date, s.firm_months, false)?;
            format!(
                "Qualifié informé de la réclamation par {} le {date_fr} ; réponse circonstanciée attendue au plus tard le {}.",
                means.label().to_lowercase(),
                due_fr(due)
            )
        }
        A::RecordFirmAnswer => {
            kind = JournalKind::LetterIn;
            stop_clocks(&tx, id, &[Clock::FirmAnswer], d.date)?;
            format!("Réponse du qualifié reçue le {date_fr}.")
        }
        A::RequestInformation => {
            kind = JournalKind::LetterOut;
            tx.execute("UPDATE complaints SET information_request = ?2 WHERE id = ?1", params![id, d.text])?;
            let due = start_clock(&tx, id, Clock::ComplainantInfo, d.date, s.complainant_months, true)?;
            format!("Informations complémentaires demandées au plaignant le {date_fr} ; réponse attendue (indicatif) le {}.", due_fr(due))
        }
        A::RecordComplainantAnswer => {
            kind = JournalKind::LetterIn;
            stop_clocks(&tx, id, &[Clock::ComplainantInfo, Clock::ComplainantDetails], d.date)?;
            format!("Réponse du plaignant reçue le {date_fr}.")
        }
        A::PassToInvestigator => {
            tx.execute("UPDATE complaints SET investigator = ?2 WHERE id = ?1", params![id, d.name])?;
            let due = start_clock(&tx, id, Clock::InvestigatorAnswer, d.date, s.investigator_months, false)?;
            format!(
                "Dossier transmis le {date_fr} à l'instructeur {} ; réponse attendue au plus tard le {}.",
                d.name,
                due_fr(due)
            )
        }
        A::RecordInvestigatorAnswer => {
            kind = JournalKind::LetterIn;
            stop_clocks(&tx, id, &[Clock::InvestigatorAnswer], d.date)?;
            format!("Réponse de l'instructeur reçue le {date_fr}.")
        }
        A::Decide => {
            let decision = Decision::from_code(&d.choice).unwrap_or(Decision::Dismissed);
            tx.execute(
                "UPDATE complaints SET decision = ?2, decision_reasons = ?3, expert_report_pending = ?4, decided_on = ?5
                 WHERE id = ?1",
                params![id, decision.code(), d.text, decision == Decision::Expert, d.date.to_string()],
            )?;
            format!("Décision du {date_fr} : {}.", decision.label())
        }
        A::RecordExpertReport => {
            kind = JournalKind::LetterIn;
            tx.execute("UPDATE complaints SET expert_report_pending = 0 WHERE id = ?1", params![id])?;
            format!("Rapport de l'expert reçu le {date_fr}.")
        }
        A::RecordCommitteeOutcome => {
            let outcome = CommitteeOutcome::from_code(&d.choice).unwrap_or(CommitteeOutcome::NoSanction);
            tx.execute(
                "UPDATE complaints SET committee_outcome = ?2, committee_scope = ?3, committee_reasons = ?4,
                                       committee_on = ?5 WHERE id = ?1",
                params![id, outcome.code(), d.name, d.text, d.date.to_string()],
            )?;
            let scope = if d.name.is_empty() { String::new() } else { format!(" ({})", d.name) };
            format!("Commission de recours du {date_fr} : {}{scope}.", outcome.label())
        }
        A::MarkLettersSent => {
            close(&tx, id, d.date)?;
            format!("Courriers de décision adressés au plaignant et au qualifié le {date_fr} : dossier clos.")
        }
        A::JustifyOverrun => {
            kind = JournalKind::Note;
            tx.execute(
                "UPDATE deadlines SET justified_on = ?2 WHERE complaint_id = ?1 AND clock = 'overall'",
                params![id, d.date.to_string()],
            )?;
            tx.execute("UPDATE complaints SET overrun_justification = ?2 WHERE id = ?1", params![id, d.text])?;
            format!("Dépassement du délai global justifié le {date_fr} auprès du plaignant et du qualifié.")
        }
    };
    let next = match target {
        Target::Stay => l.step,
        Target::To(step) => step,
        Target::ByDecision => decision_step(Decision::from_code(&d.choice).unwrap_or(Decision::Dismissed)),
    };
    if next != l.step {
        tx.execute("UPDATE complaints SET step = ?2 WHERE id = ?1", params![id, next.code()])?;
    }
    let summary = if next != l.step { format!("{summary} Étape : « {} ».", next.label()) } else { summary };
    journal::append(
        &tx,
        id,
        &NewEntry {
            details: &d.text,
            step_from: (next != l.step).then_some(l.step),
            step_to: (next != l.step).then_some(next),
            ..NewEntry::simple(if next != l.step { JournalKind::StepChange } else { kind }, d.date, author, &summary)
        },
    )?;
    tx.commit()?;
    Ok(next)
}

fn close(conn: &Connection, id: i64, on: NaiveDate) -> Result<()> {
    conn.execute("UPDATE complaints SET closed_on = ?2 WHERE id = ?1", params![id, on.to_string()])?;
    conn.execute(
        "UPDATE deadlines SET stopped_on = ?2 WHERE complaint_id = ?1 AND stopped_on IS NULL",
        params![id, on.to_string()],
    )?;
    Ok(())
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
        ActionForm { action: action.code().into(), date: date.into(), ..ActionForm::default() }
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
            Err(Error::ActionNotAllowed { message }) => assert_eq!(
                message,
                "L'action « Enregistrer la décision » n'est pas possible à l'étape « Enregistrée »."
            ),
            other => panic!("{other:?}"),
        }
        let ack = act(ActionKind::Acknowledge, "02/02/2026");
        assert!(matches!(perform(&mut conn, id, "S", &ack, day(2026, 2, 2)),
            Err(Error::ActionNotAllowed { message }) if message.ends_with("la réclamation est incomplète : demandez des précisions.")));
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
            Err(Error::Validation { .. })
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
