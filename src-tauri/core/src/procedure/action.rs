//! An action as the core handles it once its form is read: one variant per action, each with
//! its own checked fields ([`crate::procedure::form::parse`] is the only way to make one from
//! what a user typed).

use super::steps::{ActionKind, CommitteeOutcome, Decider, Decision, Manager, Means, QualificationOutcome};
use crate::french::format_fr;
use chrono::NaiveDate;

/// A checked action, on its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// The date the action took place (never in the future, never before the receipt).
    pub on: NaiveDate,
    pub act: Act,
}

/// An intervenant of the register chosen in a form: its id, and its name once the store has
/// checked its declaration of interests ([`crate::store::workflow`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub id: i64,
    pub name: String,
}

/// What each action carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act {
    Acknowledge,
    RequestDetails,
    /// The missing elements received (codes of [`crate::model::Checklist::elements`]), and
    /// what the complainant sent.
    RecordDetailsReceived {
        elements: Vec<String>,
        text: String,
        /// The facts received, written into the complaint (when « faits » was missing).
        facts: Option<String>,
        /// The actions already taken, received, written into the complaint.
        actions_taken: Option<String>,
    },
    /// The reason, required when closing before the date given to the complainant.
    CloseForLackOfDetails {
        reason: String,
    },
    DeclareInadmissible {
        reason: String,
    },
    Transmit {
        manager: Manager,
    },
    RecordFirstAnalysis {
        analysis: String,
    },
    /// The firm told by phone or email (by letter, the sending of the letter informs it).
    InformFirm {
        means: Means,
        summary: String,
    },
    RecordFirmAnswer {
        summary: String,
    },
    RequestInformation {
        asked: String,
    },
    RecordComplainantAnswer {
        summary: String,
    },
    PassToInvestigator {
        investigator: Chosen,
    },
    RecordInvestigatorAnswer {
        summary: String,
        proposed: Option<Decision>,
        document: Option<i64>,
    },
    Decide {
        decision: Decision,
        by: Decider,
        to_complainant: String,
        to_firm: String,
        waiver: String,
    },
    AppointExpert {
        expert: Chosen,
        mission: String,
    },
    RecordExpertReport {
        conclusions: String,
        document: Option<i64>,
    },
    ScheduleHearing {
        hearing: NaiveDate,
    },
    RecordCommitteeOutcome {
        outcomes: Vec<Outcome>,
        to_complainant: String,
        to_firm: String,
    },
    CloseFile,
    JustifyOverrun {
        reason: String,
        expected: Option<NaiveDate>,
    },
}

impl Act {
    /// Which action this is.
    pub fn kind(&self) -> ActionKind {
        use ActionKind as A;
        match self {
            Act::Acknowledge => A::Acknowledge,
            Act::RequestDetails => A::RequestDetails,
            Act::RecordDetailsReceived { .. } => A::RecordDetailsReceived,
            Act::CloseForLackOfDetails { .. } => A::CloseForLackOfDetails,
            Act::DeclareInadmissible { .. } => A::DeclareInadmissible,
            Act::Transmit { .. } => A::Transmit,
            Act::RecordFirstAnalysis { .. } => A::RecordFirstAnalysis,
            Act::InformFirm { .. } => A::InformFirm,
            Act::RecordFirmAnswer { .. } => A::RecordFirmAnswer,
            Act::RequestInformation { .. } => A::RequestInformation,
            Act::RecordComplainantAnswer { .. } => A::RecordComplainantAnswer,
            Act::PassToInvestigator { .. } => A::PassToInvestigator,
            Act::RecordInvestigatorAnswer { .. } => A::RecordInvestigatorAnswer,
            Act::Decide { .. } => A::Decide,
            Act::AppointExpert { .. } => A::AppointExpert,
            Act::RecordExpertReport { .. } => A::RecordExpertReport,
            Act::ScheduleHearing { .. } => A::ScheduleHearing,
            Act::RecordCommitteeOutcome { .. } => A::RecordCommitteeOutcome,
            Act::CloseFile => A::CloseFile,
            Act::JustifyOverrun { .. } => A::JustifyOverrun,
        }
    }

    /// The received document the action records (the instructeur's answer, the report).
    pub fn document(&self) -> Option<i64> {
        match self {
            Act::RecordInvestigatorAnswer { document, .. } | Act::RecordExpertReport { document, .. } => *document,
            _ => None,
        }
    }

    /// The intervenant the action gives the file to, whose impartiality is checked first.
    pub fn chosen_mut(&mut self) -> Option<&mut Chosen> {
        match self {
            Act::PassToInvestigator { investigator: c } | Act::AppointExpert { expert: c, .. } => Some(c),
            _ => None,
        }
    }

    /// The texts typed, as the journal entry's details keep them (blank line between them).
    pub fn details(&self) -> String {
        let texts: Vec<&str> = match self {
            Act::RecordDetailsReceived { text, facts, actions_taken, .. } => {
                [Some(text), facts.as_ref(), actions_taken.as_ref()].into_iter().flatten().map(String::as_str).collect()
            }
            Act::CloseForLackOfDetails { reason } | Act::DeclareInadmissible { reason } => vec![reason],
            Act::JustifyOverrun { reason, .. } => vec![reason],
            Act::RecordFirstAnalysis { analysis } => vec![analysis],
            Act::InformFirm { summary, .. }
            | Act::RecordFirmAnswer { summary }
            | Act::RecordComplainantAnswer { summary }
            | Act::RecordInvestigatorAnswer { summary, .. } => vec![summary],
            Act::RequestInformation { asked } => vec![asked],
            Act::AppointExpert { mission, .. } => vec![mission],
            Act::RecordExpertReport { conclusions, .. } => vec![conclusions],
            Act::Decide { to_complainant, to_firm, waiver, .. } => vec![to_complainant, to_firm, waiver],
            Act::RecordCommitteeOutcome { to_complainant, to_firm, .. } => vec![to_complainant, to_firm],
            Act::Acknowledge
            | Act::RequestDetails
            | Act::Transmit { .. }
            | Act::PassToInvestigator { .. }
            | Act::ScheduleHearing { .. }
            | Act::CloseFile => vec![],
        };
        texts.into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n\n")
    }
}

/// The committee's checked outcome for one qualification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub qualification_id: i64,
    /// « Qualification 2.1 — Économie de la construction ».
    pub label: String,
    pub outcome: QualificationOutcome,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Outcome {
    /// « Qualification 2.1 : suspendue du 01/06/2026 au 30/11/2026 ».
    pub fn sentence(&self) -> String {
        let on = |d: Option<NaiveDate>| d.map(format_fr).unwrap_or_default();
        match self.outcome {
            QualificationOutcome::Maintained => format!("{} : maintenue", self.label),
            QualificationOutcome::Suspended => {
                format!("{} : suspendue du {} au {}", self.label, on(self.from), on(self.until))
            }
            QualificationOutcome::Withdrawn => format!("{} : retirée à compter du {}", self.label, on(self.from)),
        }
    }

    /// What the committee decided for each qualification, as the file keeps it.
    pub fn scope(outcomes: &[Outcome]) -> String {
        outcomes.iter().map(Outcome::sentence).collect::<Vec<_>>().join(" ; ")
    }

    /// The committee's outcome as a whole (see [`CommitteeOutcome`]).
    pub fn overall(outcomes: &[Outcome]) -> CommitteeOutcome {
        if outcomes.iter().any(|o| o.outcome == QualificationOutcome::Withdrawn) {
            CommitteeOutcome::Withdrawal
        } else if outcomes.iter().any(|o| o.outcome == QualificationOutcome::Suspended) {
            CommitteeOutcome::Suspension
        } else {
            CommitteeOutcome::NoSanction
        }
    }
}
