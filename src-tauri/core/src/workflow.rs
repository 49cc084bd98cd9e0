//! The procedure as data: its actions, and one pure function saying where each action leads
//! from each step (procedure § 5.3–5.4, docs/PROCEDURE.md « The register, step by step »).

use crate::model::Step;
use serde::Serialize;

coded_enum!(
    /// What the secretariat can do to a complaint.
    ActionKind {
        Acknowledge => "acknowledge", "Accuser réception (réclamation complète)";
        RequestDetails => "request_details", "Accuser réception et demander des précisions";
        RecordDetailsReceived => "record_details_received", "Enregistrer les précisions reçues";
        CloseForLackOfDetails => "close_for_lack_of_details", "Clore faute de précisions";
        DeclareInadmissible => "declare_inadmissible", "Déclarer irrecevable";
        Transmit => "transmit", "Transmettre au Responsable";
        RecordFirstAnalysis => "record_first_analysis", "Enregistrer la première analyse";
        InformFirm => "inform_firm", "Informer le qualifié";
        RecordFirmAnswer => "record_firm_answer", "Enregistrer la réponse du qualifié";
        RequestInformation => "request_information", "Demander des informations au plaignant";
        RecordComplainantAnswer => "record_complainant_answer", "Enregistrer la réponse du plaignant";
        PassToInvestigator => "pass_to_investigator", "Transmettre à un instructeur";
        RecordInvestigatorAnswer => "record_investigator_answer", "Enregistrer la réponse de l'instructeur";
        Decide => "decide", "Enregistrer la décision";
        RecordExpertReport => "record_expert_report", "Enregistrer le rapport de l'expert";
        RecordCommitteeOutcome => "record_committee_outcome", "Enregistrer la décision de la commission";
        MarkLettersSent => "mark_letters_sent", "Courriers envoyés : clore le dossier";
        JustifyOverrun => "justify_overrun", "Justifier le dépassement du délai";
    }
);

coded_enum!(
    /// The four decisions of § 5.4.
    Decision {
        Expert => "expert", "Appel à un expert";
        Dismissed => "dismissed", "Classement sans suite";
        Warning => "warning", "Avertissement";
        AppealsCommittee => "appeals_committee", "Passage en commission de recours";
    }
);

coded_enum!(
    CommitteeOutcome {
        Suspension => "suspension", "Suspension";
        Withdrawal => "withdrawal", "Retrait";
        NoSanction => "no_sanction", "Aucune sanction";
    }
);

coded_enum!(
    /// Who analyses and decides: Qualifications, or Certifications when the firm is concerned
    /// as certified.
    Manager {
        Qualification => "qualification", "Responsable des Qualifications";
        Certification => "certification", "Responsable des Certifications";
    }
);

coded_enum!(
    /// How the firm was told of the complaint (« par tout moyen »).
    Means {
        Letter => "letter", "Courrier";
        Email => "email", "Courriel";
        Phone => "phone", "Téléphone";
    }
);

/// The facts, besides the step, that decide what is allowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The four required elements are all present.
    pub complete: bool,
    pub firm_answer_pending: bool,
    pub investigator_answer_pending: bool,
    pub complainant_answer_pending: bool,
    /// An expert was called and the report is not in yet.
    pub expert_report_pending: bool,
    /// Past the overall deadline, not closed, and not yet justified.
    pub overrun_unjustified: bool,
}

/// Where an allowed action leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The step does not change (an answer recorded, a request sent…).
    Stay,
    To(Step),
    /// Depends on the decision taken: see [`decision_step`].
    ByDecision,
}

/// The step a decision leads to.
pub fn decision_step(decision: Decision) -> Step {
    match decision {
        Decision::Expert => Step::Expertise,
        Decision::AppealsCommittee => Step::AppealsCommittee,
        Decision::Dismissed | Decision::Warning => Step::Decided,
    }
}

/// Steps in which the file is being examined: information can be asked, a decision taken.
fn examining(step: Step) -> bool {
    matches!(step, Step::InAnalysis | Step::FirmInformed | Step::WithInvestigator | Step::Expertise)
}

/// The one rule of the procedure: where `action` leads from `step`, or `Err` with why not
/// (`None` when the step alone forbids it).
pub fn transition(step: Step, ctx: &Context, action: ActionKind) -> Result<Target, Option<&'static str>> {
    use ActionKind as A;
    use Step as S;
    let when = |ok: bool, why: &'static str, target: Target| if ok { Ok(target) } else { Err(Some(why)) };
    match (action, step) {
        (A::Acknowledge, S::Registered) => {
            when(ctx.complete, "la réclamation est incomplète : demandez des précisions", Target::To(S::Complete))
        }
        (A::RequestDetails, S::Registered) => when(
            !ctx.complete,
            "la réclamation est complète : accusez simplement réception",
            Target::To(S::AwaitingDetails),
        ),
        (A::RecordDetailsReceived, S::AwaitingDetails) => Ok(Target::To(S::Complete)),
        (A::CloseForLackOfDetails, S::AwaitingDetails) => Ok(Target::To(S::Closed)),
        (A::DeclareInadmissible, S::Registered | S::AwaitingDetails | S::Complete) => Ok(Target::To(S::Inadmissible)),
        (A::Transmit, S::Complete) => Ok(Target::To(S::InAnalysis)),
        (A::RecordFirstAnalysis, S::InAnalysis) => Ok(Target::Stay),
        (A::InformFirm, S::InAnalysis) => Ok(Target::To(S::FirmInformed)),
        (A::RecordFirmAnswer, S::FirmInformed | S::WithInvestigator | S::Expertise) => {
            when(ctx.firm_answer_pending, "aucune réponse du qualifié n'est attendue", Target::Stay)
        }
        (A::RequestInformation, s) if examining(s) => {
            when(!ctx.complainant_answer_pending, "une demande au plaignant est déjà en cours", Target::Stay)
        }
        (A::RecordComplainantAnswer, s) if examining(s) => {
            when(ctx.complainant_answer_pending, "aucune réponse du plaignant n'est attendue", Target::Stay)
        }
        (A::PassToInvestigator, S::FirmInformed) => Ok(Target::To(S::WithInvestigator)),
        (A::RecordInvestigatorAnswer, S::WithInvestigator) => {
            when(ctx.investigator_answer_pending, "aucune réponse de l'instructeur n'est attendue", Target::Stay)
        }
        (A::Decide, S::FirmInformed | S::WithInvestigator) => Ok(Target::ByDecision),
        (A::Decide, S::Expertise) => {
            when(!ctx.expert_report_pending, "le rapport de l'expert n'est pas encore enregistré", Target::ByDecision)
        }
        (A::RecordExpertReport, S::Expertise) => {
            when(ctx.expert_report_pending, "le rapport de l'expert est déjà enregistré", Target::Stay)
        }
        (A::RecordCommitteeOutcome, S::AppealsCommittee) => Ok(Target::To(S::Decided)),
        (A::MarkLettersSent, S::Decided | S::Inadmissible) => Ok(Target::To(S::Closed)),
        (A::JustifyOverrun, s) if s != S::Closed => when(
            ctx.overrun_unjustified,
            "le délai global n'est pas dépassé, ou le dépassement est déjà justifié",
            Target::Stay,
        ),
        _ => Err(None),
    }
}

/// The actions allowed now, in the order the procedure meets them.
pub fn allowed(step: Step, ctx: &Context) -> Vec<ActionKind> {
    ActionKind::ALL.iter().copied().filter(|a| transition(step, ctx, *a).is_ok()).collect()
}

/// What to do next, for the complaint page.
pub fn next_hint(step: Step, ctx: &Context) -> &'static str {
    match step {
        Step::Registered if ctx.complete => "Adresser l'accusé de réception au plaignant.",
        Step::Registered => "Adresser l'accusé de réception avec une demande de précisions, listant les éléments manquants.",
        Step::AwaitingDetails => "Attendre les précisions du plaignant, puis les enregistrer ; sans réponse, clore le dossier.",
        Step::Complete => "Transmettre la réclamation au Responsable des Qualifications (ou des Certifications).",
        Step::InAnalysis => "Effectuer la première analyse, puis informer le qualifié.",
        Step::FirmInformed if ctx.firm_answer_pending => {
            "Attendre la réponse circonstanciée du qualifié (sous un mois), puis décider ou transmettre à un instructeur."
        }
        Step::FirmInformed => "Décider, ou transmettre la réclamation et la réponse du qualifié à un instructeur.",
        Step::WithInvestigator if ctx.investigator_answer_pending => {
            "Attendre la réponse de l'instructeur (sous un mois), puis enregistrer la décision."
        }
        Step::WithInvestigator => "Enregistrer la décision.",
        Step::Expertise if ctx.expert_report_pending => "Enregistrer le rapport de l'expert, puis décider.",
        Step::Expertise => "Enregistrer la nouvelle décision.",
        Step::AppealsCommittee => "Enregistrer la décision de la commission de recours.",
        Step::Decided => "Adresser les courriers de décision au plaignant et au qualifié, puis les marquer envoyés.",
        Step::Inadmissible => "Adresser le courrier d'irrecevabilité au plaignant, puis clore le dossier.",
        Step::Closed => "Dossier clos.",
    }
}

/// The data an action's small form asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    /// `date`, `text`, `choice` or `name`: the keys of [`ActionForm`](crate::store::workflow::ActionForm).
    pub key: &'static str,
    pub label: &'static str,
    /// `date`, `textarea`, `select` or `text`.
    pub input: &'static str,
    pub options: Vec<(&'static str, &'static str)>,
    pub required: bool,
}

fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (code(*v), label(*v))).collect()
}

impl ActionKind {
    /// The fields of this action's form, beyond the date every action has.
    pub fn fields(self) -> Vec<FieldSpec> {
        let date = |label| FieldSpec { key: "date", label, input: "date", options: vec![], required: true };
        let text = |label, required| FieldSpec { key: "text", label, input: "textarea", options: vec![], required };
        let choice = |label, options| FieldSpec { key: "choice", label, input: "select", options, required: true };
        use ActionKind as A;
        match self {
            A::Acknowledge | A::RequestDetails => vec![date("Date d'envoi de l'accusé de réception")],
            A::RecordDetailsReceived => vec![date("Date de réception des précisions"), text("Précisions reçues", true)],
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
            ],
            A::RecordFirmAnswer => vec![date("Date de réception de la réponse"), text("Résumé de la réponse", true)],
            A::RequestInformation => vec![date("Date de la demande"), text("Informations demandées", true)],
            A::RecordComplainantAnswer => {
                vec![date("Date de réception de la réponse"), text("Résumé de la réponse", true)]
            }
            A::PassToInvestigator => vec![
                date("Date de transmission"),
                FieldSpec {
                    key: "name",
                    label: "Nom de l'instructeur",
                    input: "text",
                    options: vec![],
                    required: true,
                },
            ],
            A::RecordInvestigatorAnswer => {
                vec![date("Date de réception de la réponse"), text("Résumé de la réponse", true)]
            }
            A::Decide => vec![
                date("Date de la décision"),
                choice("Décision", options(Decision::ALL, Decision::code, Decision::label)),
                text("Motifs de la décision", true),
            ],
            A::RecordExpertReport => vec![date("Date du rapport"), text("Conclusions de l'expert", true)],
            A::RecordCommitteeOutcome => vec![
                date("Date de la commission"),
                choice(
                    "Décision de la commission",
                    options(CommitteeOutcome::ALL, CommitteeOutcome::code, CommitteeOutcome::label),
                ),
                FieldSpec {
                    key: "name",
                    label: "Qualifications ou certifications concernées",
                    input: "text",
                    options: vec![],
                    required: false,
                },
                text("Motifs", true),
            ],
            A::MarkLettersSent => vec![date("Date d'envoi des courriers aux deux parties")],
            A::JustifyOverrun => vec![date("Date"), text("Justification du dépassement", true)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActionKind as A;

    fn ctx() -> Context {
        Context { complete: true, ..Context::default() }
    }

    #[test]
    fn the_main_path_leads_from_registration_to_closure() {
        let mut c = Context { complete: false, ..Context::default() };
        let mut step = Step::Registered;
        let path = [
            (A::RequestDetails, Step::AwaitingDetails),
            (A::RecordDetailsReceived, Step::Complete),
            (A::Transmit, Step::InAnalysis),
            (A::InformFirm, Step::FirmInformed),
            (A::PassToInvestigator, Step::WithInvestigator),
            (A::RecordCommitteeOutcome, Step::WithInvestigator), // refused below
        ];
        for (action, expected) in path.iter().take(5) {
            match transition(step, &c, *action) {
                Ok(Target::To(next)) => step = next,
                other => panic!("{action:?} from {step:?}: {other:?}"),
            }
            assert_eq!(step, *expected);
            c.complete = true;
        }
        assert_eq!(transition(step, &c, path[5].0), Err(None));
        assert_eq!(transition(step, &c, A::Decide), Ok(Target::ByDecision));
        assert_eq!(decision_step(Decision::Warning), Step::Decided);
        assert_eq!(transition(Step::Decided, &c, A::MarkLettersSent), Ok(Target::To(Step::Closed)));
    }

    #[test]
    fn completeness_decides_between_ar_and_request_for_details() {
        let incomplete = Context::default();
        assert_eq!(allowed(Step::Registered, &ctx()), vec![A::Acknowledge, A::DeclareInadmissible]);
        assert_eq!(allowed(Step::Registered, &incomplete), vec![A::RequestDetails, A::DeclareInadmissible]);
        assert!(matches!(transition(Step::Registered, &incomplete, A::Acknowledge), Err(Some(_))));
    }

    #[test]
    fn nothing_is_allowed_once_closed() {
        let everything = Context {
            complete: true,
            firm_answer_pending: true,
            investigator_answer_pending: true,
            complainant_answer_pending: true,
            expert_report_pending: true,
            overrun_unjustified: true,
        };
        assert!(allowed(Step::Closed, &everything).is_empty());
    }

    #[test]
    fn answers_are_recorded_only_while_awaited() {
        let mut c = ctx();
        assert!(!allowed(Step::FirmInformed, &c).contains(&A::RecordFirmAnswer));
        c.firm_answer_pending = true;
        assert!(allowed(Step::FirmInformed, &c).contains(&A::RecordFirmAnswer));
        assert!(!allowed(Step::FirmInformed, &c).contains(&A::RecordComplainantAnswer));
        c.complainant_answer_pending = true;
        let now = allowed(Step::FirmInformed, &c);
        assert!(now.contains(&A::RecordComplainantAnswer) && !now.contains(&A::RequestInformation));
    }

    #[test]
    fn an_expertise_needs_its_report_before_a_new_decision() {
        let mut c = ctx();
        c.expert_report_pending = true;
        assert_eq!(allowed(Step::Expertise, &c), vec![A::RequestInformation, A::RecordExpertReport]);
        c.expert_report_pending = false;
        assert!(allowed(Step::Expertise, &c).contains(&A::Decide));
    }

    #[test]
    fn overrun_justification_only_when_overrun_and_open() {
        let mut c = ctx();
        assert!(!allowed(Step::FirmInformed, &c).contains(&A::JustifyOverrun));
        c.overrun_unjustified = true;
        for step in Step::ALL {
            assert_eq!(allowed(*step, &c).contains(&A::JustifyOverrun), *step != Step::Closed, "{step:?}");
        }
    }

    /// Every (step, action) pair, exhaustively: the allowed table is exactly this one.
    #[test]
    fn the_whole_table() {
        let c = Context { complete: true, firm_answer_pending: true, ..Context::default() };
        let table: Vec<(Step, Vec<ActionKind>)> = Step::ALL.iter().map(|s| (*s, allowed(*s, &c))).collect();
        let expected = vec![
            (Step::Registered, vec![A::Acknowledge, A::DeclareInadmissible]),
            (Step::AwaitingDetails, vec![A::RecordDetailsReceived, A::CloseForLackOfDetails, A::DeclareInadmissible]),
            (Step::Complete, vec![A::DeclareInadmissible, A::Transmit]),
            (Step::Inadmissible, vec![A::MarkLettersSent]),
            (Step::InAnalysis, vec![A::RecordFirstAnalysis, A::InformFirm, A::RequestInformation]),
            (Step::FirmInformed, vec![A::RecordFirmAnswer, A::RequestInformation, A::PassToInvestigator, A::Decide]),
            (Step::WithInvestigator, vec![A::RecordFirmAnswer, A::RequestInformation, A::Decide]),
            (Step::Expertise, vec![A::RecordFirmAnswer, A::RequestInformation, A::Decide]),
            (Step::AppealsCommittee, vec![A::RecordCommitteeOutcome]),
            (Step::Decided, vec![A::MarkLettersSent]),
            (Step::Closed, vec![]),
        ];
        assert_eq!(table, expected);
    }

    #[test]
    fn refusals_name_the_step_and_the_action() {
        let refused = crate::Error::ActionNotAllowed { step: Step::Registered, action: A::Decide, reason: None };
        assert_eq!(
            refused.user_message(),
            "L'action « Enregistrer la décision » n'est pas possible à l'étape « Enregistrée »."
        );
    }

    #[test]
    fn every_action_form_starts_with_a_date() {
        for a in ActionKind::ALL {
            assert_eq!(a.fields().first().map(|f| f.key), Some("date"), "{a:?}");
        }
    }
}
