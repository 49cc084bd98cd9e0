//! The clocks of a complaint and why one stops (docs/PROCEDURE.md « Clocks »): the codes the
//! procedure's effects name; [`crate::store::clocks`] keeps them in the `deadlines` table (and
//! reads their durations from the settings).

coded_enum!(
    /// The clocks of a complaint (docs/PROCEDURE.md « Clocks »).
    Clock {
        Overall => "overall", "Délai global de traitement";
        FirmAnswer => "firm_answer", "Réponse du qualifié";
        InvestigatorAnswer => "investigator_answer", "Réponse de l'instructeur";
        ExpertReport => "expert_report", "Rapport de l'expert";
        ComplainantDetails => "complainant_details", "Précisions du plaignant (indicatif)";
        ComplainantInfo => "complainant_info", "Informations du plaignant (indicatif)";
    }
);

impl Clock {
    /// How the start date reads in the explanation (« reçue le 31/01/2026 → … »).
    pub fn start_label(self) -> &'static str {
        match self {
            Clock::Overall => "reçue le",
            Clock::FirmAnswer => "qualifié informé le",
            Clock::InvestigatorAnswer => "transmise le",
            Clock::ExpertReport => "expert désigné le",
            Clock::ComplainantDetails | Clock::ComplainantInfo => "demandées le",
        }
    }

    /// The complainant's answers have no deadline in the procedure: theirs is only a reminder.
    pub fn indicative(self) -> bool {
        matches!(self, Clock::ComplainantDetails | Clock::ComplainantInfo)
    }
}

coded_enum!(
    /// Why a clock stopped (`deadlines.stop_reason`).
    StopReason {
        Answered => "answered", "Réponse reçue";
        Waived => "waived", "Décision prise sans attendre la réponse";
        Reminded => "reminded", "Relancé : nouvelle échéance ci-dessous";
        Closed => "closed", "Arrêté";
    }
);
