//! An action's form: the fields each action asks for, completed for the file ([`fields_for`]),
//! and the one reading of what was typed into a typed [`Action`] ([`parse`]). This module is the
//! boundary: past it, the core never looks at a form's keys.

use super::action::{Act, Action, Chosen, Outcome};
use super::file::FileState;
use super::steps::{ActionKind, Decider, Decision, Manager, Means, QualificationOutcome};
use super::wording;
use crate::error::{Error, FieldErrors, Result};
use crate::validate::{invalid_date_of, parse_date, INVALID_DATE};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The fields a form can have: each is one field of [`ActionForm`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKey {
    Date,
    Text,
    Choice,
    /// Who decided (a [`Decider`] code).
    By,
    /// The reasons addressed to the firm (`text` holds the complainant's).
    FirmText,
    /// Why a decision is taken without waiting for an awaited answer.
    Waiver,
    Elements,
    Expected,
    Intervenant,
    Document,
    Hearing,
    Outcomes,
    /// Précisions: the facts received, written into the complaint.
    Facts,
    /// Précisions: the actions already taken, received, written into the complaint.
    ActionsTaken,
}

impl FieldKey {
    /// The key as the UI and the error messages name it.
    pub fn code(self) -> &'static str {
        match self {
            FieldKey::Date => "date",
            FieldKey::Text => "text",
            FieldKey::Choice => "choice",
            FieldKey::By => "by",
            FieldKey::FirmText => "firm_text",
            FieldKey::Waiver => "waiver",
            FieldKey::Elements => "elements",
            FieldKey::Expected => "expected",
            FieldKey::Intervenant => "intervenant",
            FieldKey::Document => "document",
            FieldKey::Hearing => "hearing",
            FieldKey::Outcomes => "outcomes",
            FieldKey::Facts => "facts",
            FieldKey::ActionsTaken => "actions_taken",
        }
    }
}

/// How a field is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Input {
    Date,
    Textarea,
    Select,
    /// Several of the options.
    Checks,
    Text,
    /// For each option, a qualification: its outcome and dates.
    Outcomes,
}

/// The data an action's small form asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    pub key: FieldKey,
    pub label: &'static str,
    pub input: Input,
    pub options: Vec<(String, String)>,
    pub required: bool,
    /// The value proposed (a choice's code), or empty.
    pub default: String,
}

impl FieldSpec {
    pub fn new(key: FieldKey, label: &'static str, input: Input, required: bool) -> FieldSpec {
        FieldSpec { key, label, input, options: vec![], required, default: String::new() }
    }
}

pub(crate) fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter().map(|v| (code(*v).to_owned(), label(*v).to_owned())).collect()
}

impl ActionKind {
    /// The fields of this action's form, the date first. [`fields_for`] adds what depends on
    /// the file (the missing elements, a reason to decide without waiting…).
    pub fn fields(self) -> Vec<FieldSpec> {
        use FieldKey as K;
        let date = |label| FieldSpec::new(K::Date, label, Input::Date, true);
        let text = |label, required| FieldSpec::new(K::Text, label, Input::Textarea, required);
        let choice = |label, options| FieldSpec { options, ..FieldSpec::new(K::Choice, label, Input::Select, true) };
        use ActionKind as A;
        match self {
            A::Acknowledge => vec![date("Date d'envoi de l'accusé de réception")],
            A::RequestDetails => vec![date("Date d'envoi de la demande de précisions")],
            A::RecordDetailsReceived => vec![
                date("Date de réception des précisions"),
                FieldSpec::new(K::Elements, "Éléments reçus", Input::Checks, true),
                text("Précisions reçues", true),
                FieldSpec::new(
                    K::Facts,
                    "Faits reprochés reçus (ils complètent la réclamation)",
                    Input::Textarea,
                    false,
                ),
                FieldSpec::new(
                    K::ActionsTaken,
                    "Actions déjà menées reçues (elles complètent la réclamation)",
                    Input::Textarea,
                    false,
                ),
            ],
            A::CloseForLackOfDetails => vec![date("Date de clôture"), text("Motif", false)],
            A::DeclareInadmissible => vec![date("Date"), text("Motif de l'irrecevabilité", true)],
            A::Transmit => vec![
                date("Date de transmission"),
                choice("Transmise au", options(Manager::ALL, Manager::code, Manager::label)),
            ],
            A::RecordFirstAnalysis => vec![date("Date de l'analyse"), text("Première analyse", true)],
            A::InformFirm => vec![
                date("Date à laquelle le qualifié a été informé"),
                choice("Moyen", options(Means::ALL, Means::code, Means::label)),
                text("Résumé de l'échange", true),
            ],
            A::RecordFirmAnswer => vec![date("Date de réception de la réponse"), text("Résumé de la réponse", true)],
            A::RequestInformation => vec![date("Date de la demande"), text("Informations demandées", true)],
            A::RecordComplainantAnswer => {
                vec![date("Date de réception de la réponse"), text("Résumé de la réponse", true)]
            }
            A::PassToInvestigator => {
                vec![date("Date de transmission"), FieldSpec::new(K::Intervenant, "Instructeur", Input::Select, true)]
            }
            A::RecordInvestigatorAnswer => vec![
                date("Date de réception de la réponse"),
                text("Résumé de la réponse", true),
                FieldSpec {
                    options: options(Decision::ALL, Decision::code, Decision::label),
                    ..FieldSpec::new(K::Choice, "Décision proposée (facultatif)", Input::Select, false)
                },
                FieldSpec::new(K::Document, "Document reçu (facultatif)", Input::Select, false),
            ],
            A::AppointExpert => vec![
                date("Date de la désignation"),
                FieldSpec::new(K::Intervenant, "Expert", Input::Select, true),
                text("Mission de l'expert", true),
            ],
            A::ScheduleHearing => vec![
                date("Date de la décision de convoquer"),
                FieldSpec::new(K::Hearing, "Date de la séance", Input::Date, true),
            ],
            A::Decide => vec![
                date("Date de la décision"),
                choice("Décision", options(Decision::ALL, Decision::code, Decision::label)),
                FieldSpec {
                    options: options(&Decider::ALL[..3], Decider::code, Decider::label),
                    ..FieldSpec::new(K::By, "Décidée par", Input::Select, true)
                },
                text("Motifs adressés au plaignant", true),
                FieldSpec::new(K::FirmText, "Motifs adressés au qualifié", Input::Textarea, true),
            ],
            A::RecordExpertReport => vec![
                date("Date du rapport"),
                text("Conclusions de l'expert", true),
                FieldSpec::new(K::Document, "Rapport reçu (document du dossier, facultatif)", Input::Select, false),
            ],
            A::RecordCommitteeOutcome => vec![
                date("Date de la commission"),
                FieldSpec::new(
                    K::Outcomes,
                    "Décision pour chaque qualification ou certification",
                    Input::Outcomes,
                    true,
                ),
                text("Motifs adressés au plaignant", true),
                FieldSpec::new(K::FirmText, "Motifs adressés au qualifié", Input::Textarea, true),
            ],
            A::CloseFile => vec![date("Date de clôture")],
            A::JustifyOverrun => vec![
                date("Date"),
                text("Motif du dépassement (repris dans les deux courriers)", true),
                FieldSpec::new(K::Expected, "Date prévue de la décision", Input::Date, false),
            ],
        }
    }
}

/// The fields of `action`'s form for this file: the static ones of [`ActionKind::fields`], with
/// what depends on the file (the elements still missing, the Responsable proposed, a reason to
/// decide without waiting for an awaited answer…).
pub fn fields_for(action: ActionKind, f: &FileState) -> Vec<FieldSpec> {
    use ActionKind as A;
    use FieldKey as K;
    let mut fields = action.fields();
    // Only the elements still missing are asked for their content.
    fields.retain(|spec| match spec.key {
        K::Facts => !f.checklist.facts,
        K::ActionsTaken => !f.checklist.actions_taken,
        _ => true,
    });
    for spec in &mut fields {
        match (action, spec.key) {
            (A::RecordDetailsReceived, K::Elements) => spec.options = f.checklist.missing_options(),
            (A::CloseForLackOfDetails, K::Text) if !f.details_lapsed => {
                spec.label = "Motif de la clôture avant l'échéance des précisions";
                spec.required = true;
            }
            (A::Transmit, K::Choice) => spec.default = f.manager_or_proposed().code().to_owned(),
            (A::PassToInvestigator, K::Intervenant) => spec.options = f.investigators.clone(),
            (A::AppointExpert, K::Intervenant) => spec.options = f.experts.clone(),
            (_, K::Document) => spec.options = f.received.clone(),
            (A::RecordCommitteeOutcome, K::Outcomes) => spec.options = f.qualifications.clone(),
            (A::Decide, K::By) => {
                if f.investigator.is_empty() {
                    spec.options.retain(|(code, _)| *code != Decider::Investigator.code());
                }
                spec.default = Decider::of(f.manager_or_proposed()).code().to_owned();
            }
            _ => {}
        }
    }
    if action == A::Decide {
        let label = match (f.ctx.firm_answer_pending, f.ctx.investigator_answer_pending) {
            (true, true) => Some("Décision sans attendre les réponses du qualifié et de l'instructeur : motif"),
            (true, false) => Some("Décision sans attendre la réponse du qualifié : motif"),
            (false, true) => Some("Décision sans attendre la réponse de l'instructeur : motif"),
            (false, false) => None,
        };
        if let Some(label) = label {
            fields.push(FieldSpec::new(K::Waiver, label, Input::Textarea, true));
        }
    }
    fields
}

/// An action's data as typed in its small form (the UI sends it as JSON).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    /// An [`ActionKind`] code.
    pub action: String,
    pub date: String,
    pub text: String,
    pub choice: String,
    /// Who decided (a [`Decider`] code).
    pub by: String,
    /// The reasons addressed to the firm (`text` holds the complainant's).
    pub firm_text: String,
    /// Why a decision is taken without waiting for an awaited answer.
    pub waiver: String,
    /// The elements received (codes of [`crate::model::Checklist::elements`]).
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
    /// Précisions received: the facts, and the actions already taken, as the complaint will hold them.
    pub facts: String,
    pub actions_taken: String,
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
    /// The form of `action` on `date` (JJ/MM/AAAA), its other fields empty.
    pub fn of(action: ActionKind, date: &str) -> Self {
        ActionForm { action: action.code().into(), date: date.into(), ..ActionForm::default() }
    }

    /// The action the form is for.
    pub fn kind(&self) -> Result<ActionKind> {
        ActionKind::from_code(&self.action).ok_or_else(|| Error::refused("Action inconnue."))
    }

    /// The typed value of field `key` (a text or a code), as sent.
    fn value(&self, key: FieldKey) -> &str {
        match key {
            FieldKey::Date => &self.date,
            FieldKey::Text => &self.text,
            FieldKey::Choice => &self.choice,
            FieldKey::By => &self.by,
            FieldKey::FirmText => &self.firm_text,
            FieldKey::Waiver => &self.waiver,
            FieldKey::Expected => &self.expected,
            FieldKey::Intervenant => &self.intervenant,
            FieldKey::Document => &self.document,
            FieldKey::Hearing => &self.hearing,
            FieldKey::Facts => &self.facts,
            FieldKey::ActionsTaken => &self.actions_taken,
            FieldKey::Elements | FieldKey::Outcomes => "",
        }
    }
}

/// Checks the committee's outcome for each qualification of the firm (`options`: id, label).
fn check_outcomes(forms: &[OutcomeForm], options: &[(String, String)], errors: &mut FieldErrors) -> Vec<Outcome> {
    let key = FieldKey::Outcomes.code();
    if options.is_empty() {
        errors.insert(
            key.into(),
            "Le qualifié n'a aucune qualification ni certification enregistrée : ajoutez-les à sa fiche (Qualifiés) avant d'enregistrer la décision de la commission.".into(),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (id, label) in options {
        let Some(f) = forms.iter().find(|f| f.qualification_id.to_string() == *id) else {
            errors.insert(key.into(), format!("Indiquez la décision pour : {label}."));
            continue;
        };
        let Some(outcome) = QualificationOutcome::from_code(&f.outcome) else {
            errors.insert(key.into(), format!("Indiquez la décision pour : {label}."));
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
            errors.insert(key.into(), format!("{label} : {problem}."));
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
        errors.insert(key.into(), "Une qualification indiquée n'est pas celle de ce qualifié.".into());
    }
    out
}

fn clean(text: &str) -> String {
    text.replace("\r\n", "\n").trim().to_owned()
}

/// Reads `form` for `action` on this file: each field checked against its [`FieldSpec`] (every
/// refusal at once, keyed by field), then typed. A value for a field this form does not have
/// is dropped, never recorded.
pub fn parse(action: ActionKind, form: &ActionForm, f: &FileState, today: NaiveDate) -> Result<Action> {
    use FieldKey as K;
    let mut errors = FieldErrors::new();
    let on = match wording::action_date(&form.date, f.received_on, today) {
        Ok(d) => d,
        Err(message) => {
            errors.insert(K::Date.code().into(), message);
            today
        }
    };
    let specs = fields_for(action, f);
    let has = |key: FieldKey| specs.iter().any(|s| s.key == key);
    let text_of = |key: FieldKey| if has(key) { clean(form.value(key)) } else { String::new() };
    let mut expected = None;
    let mut hearing = None;
    let mut outcomes = Vec::new();
    for spec in specs.iter() {
        let key = spec.key.code();
        let in_options = |v: &str| spec.options.iter().any(|(code, _)| *code == v);
        match spec.key {
            K::Date => {}
            K::Text | K::FirmText | K::Waiver | K::Facts | K::ActionsTaken => {
                let value = text_of(spec.key);
                if spec.required && value.is_empty() {
                    errors.insert(key.into(), format!("Ce champ est obligatoire : {}.", spec.label.to_lowercase()));
                } else if value.chars().count() > 100_000
                    || value.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
                {
                    errors.insert(key.into(), "Texte trop long ou avec des caractères invisibles.".into());
                }
            }
            K::Choice | K::By | K::Intervenant | K::Document => {
                let v = form.value(spec.key);
                if !spec.required && v.is_empty() {
                    continue;
                }
                if spec.key == K::Intervenant && spec.options.is_empty() {
                    errors.insert(
                        key.into(),
                        format!(
                            "Aucun {} actif au registre : ajoutez-le dans « Intervenants ».",
                            spec.label.to_lowercase()
                        ),
                    );
                } else if !in_options(v) {
                    errors.insert(key.into(), format!("Choisissez : {}.", spec.label.to_lowercase()));
                }
            }
            K::Elements => {
                if form.elements.iter().any(|e| !in_options(e)) {
                    errors.insert(key.into(), "Cochez seulement des éléments qui manquaient.".into());
                } else if spec.required && form.elements.is_empty() {
                    errors.insert(key.into(), "Cochez au moins un élément reçu.".into());
                }
            }
            K::Hearing => match parse_date(form.hearing.trim()) {
                Some(h) if h >= on => hearing = Some(h),
                Some(_) => {
                    errors.insert(key.into(), "La séance ne peut pas précéder la date de la convocation.".into());
                }
                None => {
                    errors.insert(key.into(), invalid_date_of("Date de la séance"));
                }
            },
            K::Outcomes => outcomes = check_outcomes(&form.outcomes, &spec.options, &mut errors),
            K::Expected => match form.expected.trim() {
                "" => {}
                v => match parse_date(v) {
                    Some(e) if e >= on => expected = Some(e),
                    Some(_) => {
                        errors.insert(key.into(), "La date prévue de la décision ne peut pas être passée.".into());
                    }
                    None => {
                        errors.insert(key.into(), INVALID_DATE.into());
                    }
                },
            },
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation { fields: errors });
    }
    // Every value below was checked against its field's options above.
    let id_of = |key: FieldKey| if has(key) { form.value(key).parse::<i64>().ok() } else { None };
    let chosen = || -> Result<Chosen> {
        let id = id_of(K::Intervenant).ok_or_else(|| Error::field(K::Intervenant.code(), "Choisissez."))?;
        Ok(Chosen { id, name: String::new() })
    };
    let choice = |what: &str| Error::field(K::Choice.code(), format!("Choisissez : {what}."));
    let text = text_of(K::Text);
    use ActionKind as A;
    let act = match action {
        A::Acknowledge => Act::Acknowledge,
        A::RequestDetails => Act::RequestDetails,
        A::RecordDetailsReceived => {
            // An element received whose content the complaint holds is asked for that content.
            let content = |code: &str, typed: &str, key: &str, what: &str| -> Result<Option<String>> {
                if !form.elements.iter().any(|e| e == code) {
                    return Ok(None);
                }
                let typed = typed.trim();
                if typed.is_empty() {
                    return Err(Error::field(
                        key,
                        format!(
                            "Recopiez {what} reçues : elles complètent la réclamation et les courriers les citeront."
                        ),
                    ));
                }
                Ok(Some(typed.to_owned()))
            };
            Act::RecordDetailsReceived {
                elements: form.elements.clone(),
                text,
                facts: content("facts", &form.facts, "facts", "les précisions sur les faits")?,
                actions_taken: content(
                    "actions_taken",
                    &form.actions_taken,
                    "actions_taken",
                    "les actions déjà menées",
                )?,
            }
        }
        A::CloseForLackOfDetails => Act::CloseForLackOfDetails { reason: text },
        A::DeclareInadmissible => Act::DeclareInadmissible { reason: text },
        A::Transmit => {
            Act::Transmit { manager: Manager::from_code(&form.choice).ok_or_else(|| choice("transmise au"))? }
        }
        A::RecordFirstAnalysis => Act::RecordFirstAnalysis { analysis: text },
        A::InformFirm => {
            Act::InformFirm { means: Means::from_code(&form.choice).ok_or_else(|| choice("moyen"))?, summary: text }
        }
        A::RecordFirmAnswer => Act::RecordFirmAnswer { summary: text },
        A::RequestInformation => Act::RequestInformation { asked: text },
        A::RecordComplainantAnswer => Act::RecordComplainantAnswer { summary: text },
        A::PassToInvestigator => Act::PassToInvestigator { investigator: chosen()? },
        A::RecordInvestigatorAnswer => Act::RecordInvestigatorAnswer {
            summary: text,
            proposed: Decision::from_code(&form.choice),
            document: id_of(K::Document),
        },
        A::Decide => Act::Decide {
            decision: Decision::from_code(&form.choice).ok_or_else(|| choice("décision"))?,
            by: Decider::from_code(&form.by).unwrap_or(Decider::of(f.manager_or_proposed())),
            to_complainant: text,
            to_firm: text_of(K::FirmText),
            waiver: text_of(K::Waiver),
        },
        A::AppointExpert => Act::AppointExpert { expert: chosen()?, mission: text },
        A::RecordExpertReport => Act::RecordExpertReport { conclusions: text, document: id_of(K::Document) },
        A::ScheduleHearing => {
            Act::ScheduleHearing { hearing: hearing.ok_or_else(|| Error::field(K::Hearing.code(), INVALID_DATE))? }
        }
        A::RecordCommitteeOutcome => {
            Act::RecordCommitteeOutcome { outcomes, to_complainant: text, to_firm: text_of(K::FirmText) }
        }
        A::CloseFile => Act::CloseFile,
        A::JustifyOverrun => Act::JustifyOverrun { reason: text, expected },
    };
    Ok(Action { on, act })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_form_starts_with_a_date() {
        for a in ActionKind::ALL {
            assert_eq!(a.fields().first().map(|f| f.key), Some(FieldKey::Date), "{a:?}");
        }
    }

    #[test]
    fn keys_and_inputs_reach_the_ui_as_their_codes() -> serde_json::Result<()> {
        let spec = FieldSpec::new(FieldKey::FirmText, "Motifs", Input::Textarea, true);
        let json = serde_json::to_value(&spec)?;
        assert_eq!(json["key"], "firm_text");
        assert_eq!(json["input"], "textarea");
        for key in [FieldKey::Date, FieldKey::Waiver, FieldKey::Outcomes, FieldKey::Intervenant] {
            assert_eq!(serde_json::to_value(key)?, key.code());
        }
        Ok(())
    }
}
