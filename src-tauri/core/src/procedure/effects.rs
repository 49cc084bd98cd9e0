//! What each action does to the file besides its step change, as data: the clocks it starts,
//! stops and answers, whether it records a decision, and the kind of its journal entry. The
//! store writes it ([`crate::store::workflow`]); the step it leads to is [`next_step`]. And what
//! a letter marked sent sets off ([`of_letter`]): the action it is, the firm informed, a clock
//! reminded, an overrun justified.

use super::action::{Act, Action};
use super::clocks::{Clock, StopReason};
use super::file::FileState;
use super::steps::{decision_step, ActionKind, Target};
use crate::letters::kinds::LetterKind;
use crate::model::{JournalKind, SendMode, Step};

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

/// The firm informed by its information letter: the effect of « Informer le qualifié », its
/// clock keeping the date the letter states. `at_step`: false when the file is past that step
/// and the letter informs a firm corrected after the old one was informed — its own clock
/// starts all the same, the step stays and the journal's entry is the letter's.
pub fn firm_informed_by_letter(at_step: bool) -> Effect {
    let inform = effect(ActionKind::InformFirm);
    if at_step {
        inform
    } else {
        Effect { journal: JournalKind::LetterOut, ..inform }
    }
}

/// Whether the firm is informed when the AR card of its information letter comes back (the
/// settings ask for it, and the letter went registered) rather than when it is sent.
pub fn firm_informed_on_ar(clock_from_ar: bool, mode: SendMode) -> bool {
    clock_from_ar && mode == SendMode::Registered
}

/// The action a letter's sending is, where the procedure's event *is* that letter: the
/// acknowledgement (the complaint acknowledged), the acknowledgement asking for précisions
/// (the précisions requested), the closing for lack of précisions (the file closed). The
/// firm's information letter has its own rule ([`firm_informed_by_letter`]); the other
/// letters follow an action that chose what they state (the instructeur, the hearing's date).
pub fn action_of_letter(kind: LetterKind) -> Option<ActionKind> {
    match kind {
        LetterKind::Acknowledgement => Some(ActionKind::Acknowledge),
        LetterKind::RequestDetails => Some(ActionKind::RequestDetails),
        LetterKind::LackOfDetailsClosure => Some(ActionKind::CloseForLackOfDetails),
        // Addressed to an instructeur chosen when it was generated: its sending passes him the
        // file, his clock keeping the date the letter states.
        LetterKind::InvestigatorTransmission => Some(ActionKind::PassToInvestigator),
        _ => None,
    }
}

/// What a letter marked sent, or the return of its AR card, sets off besides its sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterEffect {
    /// The letter is this action's event: the action, on the sending date ([`action_of_letter`]).
    Act(ActionKind),
    /// The firm's information letter informs the firm ([`firm_informed_by_letter`]), when sent
    /// or when its AR comes back ([`firm_informed_on_ar`]).
    InformsFirm,
    /// A reminder: the first of these clocks running runs on to the date the reminder states.
    Reminds(&'static [Clock]),
    /// An overrun letter: the overrun counts as justified once its reason is recorded and both
    /// its letters are sent.
    JustifiesOverrun,
}

/// What sending a letter of `kind` sets off (`ar`: the return of its AR card instead).
pub fn of_letter(kind: LetterKind, ar: bool) -> Option<LetterEffect> {
    use LetterKind as K;
    if kind == K::FirmNotification {
        return Some(LetterEffect::InformsFirm);
    }
    if ar {
        return None;
    }
    if let Some(action) = action_of_letter(kind) {
        return Some(LetterEffect::Act(action));
    }
    match kind {
        K::OverrunComplainant | K::OverrunFirm => Some(LetterEffect::JustifiesOverrun),
        K::FirmReminder => Some(LetterEffect::Reminds(&[Clock::FirmAnswer])),
        K::InvestigatorReminder => Some(LetterEffect::Reminds(&[Clock::InvestigatorAnswer])),
        K::ExpertReminder => Some(LetterEffect::Reminds(&[Clock::ExpertReport])),
        K::ComplainantReminder => Some(LetterEffect::Reminds(&[Clock::ComplainantInfo, Clock::ComplainantDetails])),
        _ => None,
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

    #[test]
    fn a_letter_sent_sets_off_its_action_or_its_rule_and_an_ar_only_the_firms_information() {
        assert_eq!(of_letter(LetterKind::Acknowledgement, false), Some(LetterEffect::Act(ActionKind::Acknowledge)));
        assert_eq!(of_letter(LetterKind::Acknowledgement, true), None);
        assert_eq!(of_letter(LetterKind::FirmNotification, true), Some(LetterEffect::InformsFirm));
        assert_eq!(of_letter(LetterKind::FirmReminder, false), Some(LetterEffect::Reminds(&[Clock::FirmAnswer])));
        assert_eq!(of_letter(LetterKind::OverrunFirm, true), None);
        let informs = firm_informed_by_letter(true);
        assert_eq!((informs.starts, informs.journal), (Some(Clock::FirmAnswer), JournalKind::StepChange));
        assert_eq!(firm_informed_by_letter(false).journal, JournalKind::LetterOut);
        assert!(firm_informed_on_ar(true, SendMode::Registered) && !firm_informed_on_ar(true, SendMode::Email));
    }
}
