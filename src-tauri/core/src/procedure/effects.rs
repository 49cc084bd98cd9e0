//! What each action does to the file besides its step change, as data: the clocks it starts,
//! stops and answers, whether it records a decision, and the kind of its journal entry. The
//! store writes it ([`crate::store::workflow`]); the step it leads to is [`next_step`].

use super::action::{Act, Action};
use super::clocks::{Clock, StopReason};
use super::file::FileState;
use super::steps::{decision_step, ActionKind, Target};
use crate::model::JournalKind;
use crate::model::Step;

/// Which clocks an action stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stops {
    These(&'static [Clock], StopReason),
    /// Every clock but the overall one: the file is going to be closed.
    AllButOverall,
    /// Every running clock: the file is closed.
    All,
}

/// What an action does to the stored complaint, besides its step change and the columns its
/// own data fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effect {
    /// The clock started on the action's date.
    pub starts: Option<Clock>,
    pub stops: Stops,
    /// The clock whose answer the action records (even after it was stopped without one).
    pub answers: Option<Clock>,
    /// The action records a decision in the `decisions` table.
    pub decides: bool,
    /// The journal entry's kind when the step stays (a step change is always `StepChange`).
    pub journal: JournalKind,
}

const NONE: Stops = Stops::These(&[], StopReason::Closed);

/// The effect of each action, as data.
pub fn effect(action: ActionKind) -> Effect {
    use ActionKind as A;
    use Clock as C;
    use JournalKind as J;
    let e = |starts, stops, journal| Effect { starts, stops, answers: None, decides: false, journal };
    let answer = |clock, journal| Effect { answers: Some(clock), ..e(None, NONE, journal) };
    match action {
        A::Acknowledge => e(None, NONE, J::StepChange),
        A::RequestDetails => e(Some(C::ComplainantDetails), NONE, J::LetterOut),
        A::RecordDetailsReceived => answer(C::ComplainantDetails, J::LetterIn),
        A::CloseForLackOfDetails | A::CloseFile => e(None, Stops::All, J::StepChange),
        A::DeclareInadmissible => e(None, Stops::AllButOverall, J::StepChange),
        A::Transmit => e(None, NONE, J::StepChange),
        A::RecordFirstAnalysis => e(None, NONE, J::Note),
        A::InformFirm => e(Some(C::FirmAnswer), NONE, J::StepChange),
        A::RecordFirmAnswer => answer(C::FirmAnswer, J::LetterIn),
        A::RequestInformation => e(Some(C::ComplainantInfo), NONE, J::LetterOut),
        A::RecordComplainantAnswer => {
            e(None, Stops::These(&[C::ComplainantInfo, C::ComplainantDetails], StopReason::Answered), J::LetterIn)
        }
        A::PassToInvestigator => e(Some(C::InvestigatorAnswer), NONE, J::StepChange),
        A::AppointExpert => e(Some(C::ExpertReport), NONE, J::Note),
        A::ScheduleHearing => e(None, NONE, J::Note),
        A::RecordInvestigatorAnswer => answer(C::InvestigatorAnswer, J::LetterIn),
        // Only running clocks stop, and the form asks for the reason when one runs.
        A::Decide => Effect {
            decides: true,
            ..e(None, Stops::These(&[C::FirmAnswer, C::InvestigatorAnswer], StopReason::Waived), J::StepChange)
        },
        A::RecordExpertReport => answer(C::ExpertReport, J::LetterIn),
        A::RecordCommitteeOutcome => Effect { decides: true, ..e(None, NONE, J::StepChange) },
        A::JustifyOverrun => e(None, NONE, J::Note),
    }
}

/// The step after `action`, allowed by [`super::steps::transition`] to lead to `target`.
pub fn next_step(target: Target, file: &FileState, action: &Action) -> Step {
    match (target, &action.act) {
        (Target::Stay, _) => file.step,
        (Target::To(step), _) => step,
        (Target::IfComplete(step), act) => {
            let mut after = file.checklist;
            if let Act::RecordDetailsReceived { elements, .. } = act {
                for code in elements {
                    after.receive(code);
                }
            }
            if after.is_complete() {
                step
            } else {
                file.step
            }
        }
        (Target::ByDecision, Act::Decide { decision, .. }) => decision_step(*decision),
        // Only `Decide` leads by decision (see `transition`).
        (Target::ByDecision, _) => file.step,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_change_and_every_clock_start_is_journalled_as_such() {
        for a in ActionKind::ALL {
            let e = effect(*a);
            if e.starts.is_some() {
                assert!(
                    matches!(e.journal, JournalKind::StepChange | JournalKind::LetterOut | JournalKind::Note),
                    "{a:?}"
                );
            }
            assert_eq!(e.decides, matches!(a, ActionKind::Decide | ActionKind::RecordCommitteeOutcome), "{a:?}");
        }
    }
}
