//! The procedure as data: its actions, and one pure function saying where each action leads
//! from each step (procedure § 5.3–5.4, docs/PROCEDURE.md « The register, step by step »).

use crate::model::Step;

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
        AppointExpert => "appoint_expert", "Désigner l'expert";
        RecordExpertReport => "record_expert_report", "Enregistrer le rapport de l'expert";
        ScheduleHearing => "schedule_hearing", "Fixer la séance de la commission";
        RecordCommitteeOutcome => "record_committee_outcome", "Enregistrer la décision de la commission";
        CloseFile => "mark_letters_sent", "Clore le dossier";
        JustifyOverrun => "justify_overrun", "Motiver le dépassement du délai";
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
    /// What the appeals committee decided for one qualification or certification.
    QualificationOutcome {
        Maintained => "maintained", "Maintenue";
        Suspended => "suspended", "Suspendue";
        Withdrawn => "withdrawn", "Retirée";
    }
);

coded_enum!(
    /// The committee's outcome as a whole, from its outcome per qualification: a withdrawal if any
    /// is withdrawn, else a suspension if any is suspended, else no sanction.
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
    /// Who took a decision (the `decisions` table).
    Decider {
        QualificationManager => "qualification_manager", "Responsable des Qualifications";
        CertificationManager => "certification_manager", "Responsable des Certifications";
        Investigator => "investigator", "Instructeur";
        AppealsCommittee => "appeals_committee", "Commission de recours";
        Unknown => "unknown", "Non enregistré (décision antérieure au contrôle des obligations)";
    }
);

impl Decider {
    /// The Responsable who decides for a complaint sent to `manager`.
    pub fn of(manager: Manager) -> Decider {
        match manager {
            Manager::Qualification => Decider::QualificationManager,
            Manager::Certification => Decider::CertificationManager,
        }
    }
}

coded_enum!(
    /// How the firm was told of the complaint (« par tout moyen »). By letter, the firm is
    /// informed when the information letter is sent (docs/PROCEDURE.md « Clocks »); these are the
    /// other means, recorded with a summary of the exchange.
    Means {
        Email => "email", "Courriel";
        Phone => "phone", "Téléphone";
    }
);

/// The facts, besides the step, that decide what is allowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The four required elements are all present.
    pub complete: bool,
    /// The firm's one-month clock is running.
    pub firm_answer_pending: bool,
    /// The firm was informed and its answer is not recorded (awaited, or late after a decision
    /// taken without waiting): it can still be recorded, whatever the step.
    pub firm_answer_missing: bool,
    pub investigator_answer_pending: bool,
    pub investigator_answer_missing: bool,
    pub complainant_answer_pending: bool,
    /// An expert was called and the report is not in yet.
    pub expert_report_pending: bool,
    /// The expert of the current expertise is appointed (from the register).
    pub expert_appointed: bool,
    /// The appeals committee's hearing date is set.
    pub hearing_scheduled: bool,
    /// Past the overall deadline, not closed, and not yet justified.
    pub overrun_unjustified: bool,
    /// The reason for the overrun is recorded (its letters may still be unsent).
    pub overrun_reason_recorded: bool,
    /// A decision was taken: the complaint can no longer be declared inadmissible.
    pub decided: bool,
}

/// Where an allowed action leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The step does not change (an answer recorded, a request sent…).
    Stay,
    To(Step),
    /// Depends on the decision taken: see [`decision_step`].
    ByDecision,
    /// To the step once the four elements are present; otherwise the step stays.
    IfComplete(Step),
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
/// (`None` when the step alone forbids it). What must have been sent before (the
/// obligations) is checked apart, against the documents: [`crate::obligations`].
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
        (A::RequestDetails, S::AwaitingDetails) => when(
            !ctx.complete && !ctx.complainant_answer_pending,
            "une demande de précisions est déjà en cours",
            Target::Stay,
        ),
        (A::RecordDetailsReceived, S::AwaitingDetails) => Ok(Target::IfComplete(S::Complete)),
        (A::CloseForLackOfDetails, S::AwaitingDetails) => Ok(Target::To(S::Closed)),
        (
            A::DeclareInadmissible,
            S::Registered | S::AwaitingDetails | S::Complete | S::InAnalysis | S::FirmInformed | S::WithInvestigator,
        ) => when(!ctx.decided, "une décision a déjà été prise", Target::To(S::Inadmissible)),
        (A::Transmit, S::Complete) => Ok(Target::To(S::InAnalysis)),
        (A::RecordFirstAnalysis, S::InAnalysis) => Ok(Target::Stay),
        (A::InformFirm, S::InAnalysis) => Ok(Target::To(S::FirmInformed)),
        (A::RecordFirmAnswer, _) => {
            when(ctx.firm_answer_missing, "aucune réponse du qualifié n'est attendue", Target::Stay)
        }
        (A::RequestInformation, s) if examining(s) => {
            when(!ctx.complainant_answer_pending, "une demande au plaignant est déjà en cours", Target::Stay)
        }
        (A::RecordComplainantAnswer, s) if examining(s) => {
            when(ctx.complainant_answer_pending, "aucune réponse du plaignant n'est attendue", Target::Stay)
        }
        (A::PassToInvestigator, S::FirmInformed) => Ok(Target::To(S::WithInvestigator)),
        (A::RecordInvestigatorAnswer, _) => {
            when(ctx.investigator_answer_missing, "aucune réponse de l'instructeur n'est attendue", Target::Stay)
        }
        (A::Decide, S::FirmInformed | S::WithInvestigator) => Ok(Target::ByDecision),
        (A::Decide, S::Expertise) => {
            when(!ctx.expert_report_pending, "le rapport de l'expert n'est pas encore enregistré", Target::ByDecision)
        }
        (A::AppointExpert, S::Expertise) => {
            when(ctx.expert_report_pending && !ctx.expert_appointed, "l'expert est déjà désigné", Target::Stay)
        }
        (A::RecordExpertReport, S::Expertise) => when(
            ctx.expert_report_pending && ctx.expert_appointed,
            "désignez d'abord l'expert, ou le rapport est déjà enregistré",
            Target::Stay,
        ),
        (A::ScheduleHearing, S::AppealsCommittee) => Ok(Target::Stay),
        (A::RecordCommitteeOutcome, S::AppealsCommittee) => {
            when(ctx.hearing_scheduled, "fixez d'abord la date de la séance", Target::To(S::Decided))
        }
        (A::CloseFile, S::Decided | S::Inadmissible) => Ok(Target::To(S::Closed)),
        (A::JustifyOverrun, s) if s != S::Closed => when(
            ctx.overrun_unjustified && !ctx.overrun_reason_recorded,
            "le délai global n'est pas dépassé, ou le motif du dépassement est déjà enregistré",
            Target::Stay,
        ),
        _ => Err(None),
    }
}

/// The actions allowed now, in the order the procedure meets them.
pub fn allowed(step: Step, ctx: &Context) -> Vec<ActionKind> {
    ActionKind::ALL.iter().copied().filter(|a| transition(step, ctx, *a).is_ok()).collect()
}

/// The secretariat's next action on an open file, for the dashboard's « À faire »: `None` when
/// the file waits for someone else (an answer whose clock runs, listed by its clock; the
/// expert's report) or is closed. The letters a step calls for are the obligations'
/// ([`crate::procedure::obligations`]); this says only which action comes next.
pub fn next_action(step: Step, ctx: &Context) -> Option<ActionKind> {
    use ActionKind as A;
    match step {
        Step::Registered if ctx.complete => Some(A::Acknowledge),
        Step::Registered => Some(A::RequestDetails),
        Step::AwaitingDetails if ctx.complainant_answer_pending => None,
        Step::AwaitingDetails => Some(A::RecordDetailsReceived),
        Step::Complete => Some(A::Transmit),
        Step::InAnalysis => Some(A::RecordFirstAnalysis),
        Step::FirmInformed if ctx.firm_answer_pending => None,
        Step::WithInvestigator if ctx.investigator_answer_pending => None,
        Step::FirmInformed | Step::WithInvestigator => Some(A::Decide),
        Step::Expertise if ctx.expert_report_pending && !ctx.expert_appointed => Some(A::AppointExpert),
        Step::Expertise if ctx.expert_report_pending => None,
        Step::Expertise => Some(A::Decide),
        Step::AppealsCommittee if !ctx.hearing_scheduled => Some(A::ScheduleHearing),
        Step::AppealsCommittee => Some(A::RecordCommitteeOutcome),
        Step::Decided | Step::Inadmissible => Some(A::CloseFile),
        Step::Closed => None,
    }
}

/// What to do next, for the complaint page.
pub fn next_hint(step: Step, ctx: &Context) -> &'static str {
    match step {
        Step::Registered if ctx.complete => {
            "Éditer l'accusé de réception, l'envoyer et le marquer envoyé, puis enregistrer l'accusé de réception."
        }
        Step::Registered => {
            "Éditer l'accusé de réception avec demande de précisions (il liste les éléments manquants), l'envoyer, puis enregistrer la demande."
        }
        Step::AwaitingDetails => {
            "Enregistrer les précisions reçues, élément par élément ; sans réponse à l'échéance, adresser le courrier de clôture puis clore."
        }
        Step::Complete => "Transmettre la réclamation au Responsable des Qualifications (ou des Certifications).",
        Step::InAnalysis => {
            "Effectuer la première analyse, puis informer le qualifié : courrier d'information marqué envoyé (ou téléphone, courriel)."
        }
        Step::FirmInformed if ctx.firm_answer_pending => {
            "Attendre la réponse circonstanciée du qualifié, puis décider ou transmettre à un instructeur."
        }
        Step::FirmInformed => "Décider, ou transmettre la réclamation et la réponse du qualifié à un instructeur.",
        Step::WithInvestigator if ctx.investigator_answer_pending => {
            "Attendre la réponse de l'instructeur, puis enregistrer la décision."
        }
        Step::WithInvestigator => "Enregistrer la décision.",
        Step::Expertise if ctx.expert_report_pending && !ctx.expert_appointed => {
            "Désigner l'expert (après sa déclaration d'absence de conflit d'intérêts), puis lui adresser sa lettre de mission."
        }
        Step::Expertise if ctx.expert_report_pending => {
            "Adresser la lettre de mission (et informer les parties), puis enregistrer le rapport de l'expert."
        }
        Step::Expertise => "Envoyer les courriers d'appel à un expert, puis enregistrer la nouvelle décision.",
        Step::AppealsCommittee if !ctx.hearing_scheduled => {
            "Fixer la date de la séance de la commission de recours, puis convoquer le qualifié."
        }
        Step::AppealsCommittee => {
            "Envoyer les courriers de passage en commission et la convocation, puis enregistrer la décision de la commission pour chaque qualification."
        }
        Step::Decided => "Adresser les courriers de décision au plaignant et au qualifié, les marquer envoyés, puis clore.",
        Step::Inadmissible => "Adresser le courrier d'irrecevabilité au plaignant, le marquer envoyé, puis clore le dossier.",
        Step::Closed => "Dossier clos.",
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
    fn the_next_action_is_the_secretariat_s_unless_an_answer_is_awaited() {
        let c = ctx();
        assert_eq!(next_action(Step::Registered, &c), Some(A::Acknowledge));
        assert_eq!(next_action(Step::Registered, &Context::default()), Some(A::RequestDetails));
        assert_eq!(next_action(Step::Complete, &c), Some(A::Transmit));
        assert_eq!(next_action(Step::InAnalysis, &c), Some(A::RecordFirstAnalysis));
        assert_eq!(next_action(Step::FirmInformed, &Context { firm_answer_pending: true, ..c }), None);
        assert_eq!(next_action(Step::FirmInformed, &c), Some(A::Decide));
        assert_eq!(next_action(Step::Expertise, &Context { expert_report_pending: true, ..c }), Some(A::AppointExpert));
        let appointed = Context { expert_report_pending: true, expert_appointed: true, ..c };
        assert_eq!(next_action(Step::Expertise, &appointed), None);
        assert_eq!(next_action(Step::AppealsCommittee, &c), Some(A::ScheduleHearing));
        assert_eq!(next_action(Step::Decided, &c), Some(A::CloseFile));
        assert_eq!(next_action(Step::Closed, &c), None);
        // Every action named is one the procedure allows from that step.
        for step in Step::ALL {
            if let Some(a) = next_action(*step, &c) {
                assert!(transition(*step, &c, a).is_ok(), "{step:?} {a:?}");
            }
        }
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
        ];
        for (action, expected) in path {
            match transition(step, &c, action) {
                Ok(Target::To(next) | Target::IfComplete(next)) => step = next,
                other => panic!("{action:?} from {step:?}: {other:?}"),
            }
            assert_eq!(step, expected);
            c.complete = true;
        }
        assert_eq!(transition(step, &c, A::RecordCommitteeOutcome), Err(None));
        assert_eq!(transition(step, &c, A::Decide), Ok(Target::ByDecision));
        assert_eq!(decision_step(Decision::Warning), Step::Decided);
        assert_eq!(transition(Step::Decided, &c, A::CloseFile), Ok(Target::To(Step::Closed)));
    }

    #[test]
    fn completeness_decides_between_ar_and_request_for_details() {
        let incomplete = Context::default();
        assert_eq!(allowed(Step::Registered, &ctx()), vec![A::Acknowledge, A::DeclareInadmissible]);
        assert_eq!(allowed(Step::Registered, &incomplete), vec![A::RequestDetails, A::DeclareInadmissible]);
        assert!(matches!(transition(Step::Registered, &incomplete, A::Acknowledge), Err(Some(_))));
    }

    #[test]
    fn precisions_arrive_element_by_element_and_can_be_asked_again() {
        let waiting = Context { complainant_answer_pending: true, ..Context::default() };
        assert_eq!(
            allowed(Step::AwaitingDetails, &waiting),
            vec![A::RecordDetailsReceived, A::CloseForLackOfDetails, A::DeclareInadmissible]
        );
        assert_eq!(
            transition(Step::AwaitingDetails, &waiting, A::RecordDetailsReceived),
            Ok(Target::IfComplete(Step::Complete))
        );
        // Some elements came, the request's clock stopped: a new request is possible.
        let answered = Context::default();
        assert_eq!(transition(Step::AwaitingDetails, &answered, A::RequestDetails), Ok(Target::Stay));
        assert!(matches!(transition(Step::AwaitingDetails, &waiting, A::RequestDetails), Err(Some(_))));
    }

    #[test]
    fn nothing_but_a_late_answer_once_closed() {
        let everything = Context {
            complete: true,
            firm_answer_pending: true,
            firm_answer_missing: true,
            investigator_answer_pending: true,
            investigator_answer_missing: true,
            complainant_answer_pending: true,
            expert_report_pending: true,
            expert_appointed: true,
            hearing_scheduled: true,
            overrun_unjustified: true,
            overrun_reason_recorded: false,
            decided: true,
        };
        assert_eq!(allowed(Step::Closed, &everything), vec![A::RecordFirmAnswer, A::RecordInvestigatorAnswer]);
        let quiet = Context { complete: true, ..Context::default() };
        assert!(allowed(Step::Closed, &quiet).is_empty());
    }

    #[test]
    fn answers_are_recorded_while_missing_whatever_the_step() {
        let mut c = ctx();
        assert!(!allowed(Step::FirmInformed, &c).contains(&A::RecordFirmAnswer));
        c.firm_answer_missing = true;
        for step in [Step::FirmInformed, Step::WithInvestigator, Step::Decided, Step::AppealsCommittee, Step::Closed] {
            assert!(allowed(step, &c).contains(&A::RecordFirmAnswer), "{step:?}");
        }
        assert!(!allowed(Step::FirmInformed, &c).contains(&A::RecordComplainantAnswer));
        c.complainant_answer_pending = true;
        let now = allowed(Step::FirmInformed, &c);
        assert!(now.contains(&A::RecordComplainantAnswer) && !now.contains(&A::RequestInformation));
    }

    #[test]
    fn inadmissibility_stays_possible_until_a_decision() {
        let c = ctx();
        for step in [Step::Registered, Step::Complete, Step::InAnalysis, Step::FirmInformed, Step::WithInvestigator] {
            assert!(allowed(step, &c).contains(&A::DeclareInadmissible), "{step:?}");
        }
        let decided = Context { decided: true, ..ctx() };
        assert_eq!(
            transition(Step::WithInvestigator, &decided, A::DeclareInadmissible),
            Err(Some("une décision a déjà été prise"))
        );
        assert_eq!(transition(Step::Expertise, &c, A::DeclareInadmissible), Err(None));
    }

    #[test]
    fn an_expertise_needs_its_report_before_a_new_decision() {
        let mut c = ctx();
        c.expert_report_pending = true;
        assert_eq!(allowed(Step::Expertise, &c), vec![A::RequestInformation, A::AppointExpert]);
        c.expert_appointed = true;
        assert_eq!(allowed(Step::Expertise, &c), vec![A::RequestInformation, A::RecordExpertReport]);
        c.expert_report_pending = false;
        assert!(allowed(Step::Expertise, &c).contains(&A::Decide));
    }

    #[test]
    fn the_overrun_reason_is_recorded_once_while_overrun_and_open() {
        let mut c = ctx();
        assert!(!allowed(Step::FirmInformed, &c).contains(&A::JustifyOverrun));
        c.overrun_unjustified = true;
        for step in Step::ALL {
            assert_eq!(allowed(*step, &c).contains(&A::JustifyOverrun), *step != Step::Closed, "{step:?}");
        }
        c.overrun_reason_recorded = true;
        assert!(!allowed(Step::FirmInformed, &c).contains(&A::JustifyOverrun));
    }

    /// Every (step, action) pair, exhaustively: the allowed table is exactly this one.
    #[test]
    fn the_whole_table() {
        let c = Context { complete: true, firm_answer_pending: true, firm_answer_missing: true, ..Context::default() };
        let table: Vec<(Step, Vec<ActionKind>)> = Step::ALL.iter().map(|s| (*s, allowed(*s, &c))).collect();
        let expected = vec![
            (Step::Registered, vec![A::Acknowledge, A::DeclareInadmissible, A::RecordFirmAnswer]),
            (
                Step::AwaitingDetails,
                vec![A::RecordDetailsReceived, A::CloseForLackOfDetails, A::DeclareInadmissible, A::RecordFirmAnswer],
            ),
            (Step::Complete, vec![A::DeclareInadmissible, A::Transmit, A::RecordFirmAnswer]),
            (Step::Inadmissible, vec![A::RecordFirmAnswer, A::CloseFile]),
            (
                Step::InAnalysis,
                vec![
                    A::DeclareInadmissible,
                    A::RecordFirstAnalysis,
                    A::InformFirm,
                    A::RecordFirmAnswer,
                    A::RequestInformation,
                ],
            ),
            (
                Step::FirmInformed,
                vec![
                    A::DeclareInadmissible,
                    A::RecordFirmAnswer,
                    A::RequestInformation,
                    A::PassToInvestigator,
                    A::Decide,
                ],
            ),
            (
                Step::WithInvestigator,
                vec![A::DeclareInadmissible, A::RecordFirmAnswer, A::RequestInformation, A::Decide],
            ),
            (Step::Expertise, vec![A::RecordFirmAnswer, A::RequestInformation, A::Decide]),
            (Step::AppealsCommittee, vec![A::RecordFirmAnswer, A::ScheduleHearing]),
            (Step::Decided, vec![A::RecordFirmAnswer, A::CloseFile]),
            (Step::Closed, vec![A::RecordFirmAnswer]),
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
}
