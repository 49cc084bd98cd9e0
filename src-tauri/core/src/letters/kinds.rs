//! The letters of the procedure: which kinds exist, to whom each goes, who signs it.

coded_enum!(
    /// Every letter the procedure sends (docs/PROCEDURE.md lists them).
    LetterKind {
        Acknowledgement => "acknowledgement", "Accusé de réception";
        RequestDetails => "request_details", "Accusé de réception et demande de précisions";
        Inadmissible => "inadmissible", "Réclamation irrecevable";
        LackOfDetailsClosure => "lack_of_details_closure", "Clôture faute de précisions";
        HowToComplain => "how_to_complain", "Comment déposer une réclamation";
        FirmNotification => "firm_notification", "Information du qualifié";
        FirmReminder => "firm_reminder", "Relance du qualifié";
        InformationRequest => "information_request", "Demande d'informations au plaignant";
        InvestigatorTransmission => "investigator_transmission", "Transmission à l'instructeur";
        InvestigatorReminder => "investigator_reminder", "Relance de l'instructeur";
        ConflictDeclaration => "conflict_declaration", "Déclaration d'absence de conflit d'intérêts";
        ExpertMission => "expert_mission", "Mission de l'expert";
        ExpertReminder => "expert_reminder", "Relance de l'expert";
        ExpertInformationComplainant => "expert_information_complainant", "Désignation de l'expert (plaignant)";
        ExpertInformationFirm => "expert_information_firm", "Désignation de l'expert (qualifié)";
        ComplainantReminder => "complainant_reminder", "Relance du plaignant";
        CommitteeConvocation => "committee_convocation", "Convocation du qualifié à la commission de recours";
        DismissedComplainant => "decision_dismissed_complainant", "Décision : classement sans suite (plaignant)";
        DismissedFirm => "decision_dismissed_firm", "Décision : classement sans suite (qualifié)";
        WarningComplainant => "decision_warning_complainant", "Décision : avertissement (plaignant)";
        WarningFirm => "decision_warning_firm", "Décision : avertissement (qualifié)";
        ExpertComplainant => "decision_expert_complainant", "Décision : appel à un expert (plaignant)";
        ExpertFirm => "decision_expert_firm", "Décision : appel à un expert (qualifié)";
        CommitteeComplainant => "decision_committee_complainant", "Décision : commission de recours (plaignant)";
        CommitteeFirm => "decision_committee_firm", "Décision : commission de recours (qualifié)";
        CommitteeOutcomeComplainant => "committee_outcome_complainant", "Décision de la commission (plaignant)";
        CommitteeOutcomeFirm => "committee_outcome_firm", "Décision de la commission (qualifié)";
        OverrunComplainant => "overrun_complainant", "Justification du dépassement (plaignant)";
        OverrunFirm => "overrun_firm", "Justification du dépassement (qualifié)";
    }
);

coded_enum!(
    /// Who receives a letter.
    Recipient {
        Complainant => "complainant", "Plaignant";
        Firm => "firm", "Qualifié";
        Investigator => "investigator", "Instructeur";
        Expert => "expert", "Expert";
        Contact => "contact", "Correspondant";
    }
);

coded_enum!(
    /// Who signs a letter (names and titles are settings).
    Signatory {
        GeneralDelegate => "general_delegate", "Déléguée Générale";
        Manager => "manager", "Responsable des Qualifications ou des Certifications";
    }
);

impl LetterKind {
    pub fn recipient(self) -> Recipient {
        use LetterKind as K;
        match self {
            K::FirmNotification
            | K::FirmReminder
            | K::DismissedFirm
            | K::WarningFirm
            | K::ExpertFirm
            | K::CommitteeFirm
            | K::CommitteeOutcomeFirm
            | K::OverrunFirm => Recipient::Firm,
            K::InvestigatorTransmission | K::InvestigatorReminder => Recipient::Investigator,
            // The declaration form goes to the instructeur or the expert it names.
            K::ConflictDeclaration => Recipient::Investigator,
            K::ExpertMission | K::ExpertReminder => Recipient::Expert,
            K::ExpertInformationFirm | K::CommitteeConvocation => Recipient::Firm,
            K::HowToComplain => Recipient::Contact,
            _ => Recipient::Complainant,
        }
    }

    /// The secretariat's letters are signed by the Déléguée Générale, who receives complaints;
    /// the analysis and its outcome by the Responsable who decides (§ 5.4).
    pub fn signatory(self) -> Signatory {
        use LetterKind as K;
        match self {
            K::Acknowledgement
            | K::RequestDetails
            | K::Inadmissible
            | K::LackOfDetailsClosure
            | K::HowToComplain
            | K::OverrunComplainant
            | K::OverrunFirm => Signatory::GeneralDelegate,
            _ => Signatory::Manager,
        }
    }

    /// The two decision letters of a decision, to the complainant and to the firm.
    pub fn for_decision(decision: crate::procedure::Decision) -> [LetterKind; 2] {
        use crate::procedure::Decision as D;
        match decision {
            D::Dismissed => [LetterKind::DismissedComplainant, LetterKind::DismissedFirm],
            D::Warning => [LetterKind::WarningComplainant, LetterKind::WarningFirm],
            D::Expert => [LetterKind::ExpertComplainant, LetterKind::ExpertFirm],
            D::AppealsCommittee => [LetterKind::CommitteeComplainant, LetterKind::CommitteeFirm],
        }
    }
}
