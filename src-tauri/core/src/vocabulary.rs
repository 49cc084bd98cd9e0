//! The register's words in one place: every code the UI shows, with its French label, served
//! whole to the UI (which holds no copy). Each list comes from its enum's `ALL`.

use crate::letters::kinds::{LetterKind, Recipient};
use crate::model::{
    Addressee, Channel, Civility, ComplainantRole, DashboardCategory, Direction, ImportOutcome, Nature, SendMode, Step,
};
use crate::procedure::{ActionKind, CommitteeOutcome, Decision, Manager, Means};
use crate::store::clocks::Clock;
use crate::store::journal::JournalKind;
use serde::Serialize;

coded_enum!(
    /// What a firm holds from OPQTECC (`firm_qualifications.kind`).
    QualificationKind {
        Qualification => "qualification", "Qualification";
        Certification => "certification", "Certification";
    }
);

coded_enum!(
    /// A firm's standing, as its three flags (`is_qualified`, `is_certified`, `is_rge`).
    FirmStatus {
        Qualified => "qualified", "Qualifié";
        Certified => "certified", "Certifié";
        Rge => "rge", "RGE";
    }
);

coded_enum!(
    /// The four required elements of a complaint, as the fields of [`crate::model::Checklist`].
    ChecklistItem {
        ComplainantDetails => "complainant_details", "Coordonnées précises du plaignant";
        FirmDetails => "firm_details", "Nom et coordonnées précises du qualifié ou certifié";
        Facts => "facts", "Exposé détaillé et précis des faits";
        ActionsTaken => "actions_taken", "Mention des actions déjà menées";
    }
);

/// How « adressée … » ends for each addressee, on the complaint's page.
pub fn addressed_to(a: Addressee) -> &'static str {
    match a {
        Addressee::President => "au Président",
        Addressee::GeneralDelegate => "à la Déléguée Générale",
        Addressee::Secretariat => "au secrétariat",
    }
}

/// One code and what the user reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Term {
    pub code: &'static str,
    pub label: &'static str,
}

/// An addressee, with the words that follow « adressée ».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AddresseeTerm {
    pub code: &'static str,
    pub label: &'static str,
    pub addressed_to: &'static str,
}

/// A journal kind; `manual`: typed by hand in « Ajouter au journal » (step changes are not),
/// `participants`: an exchange with people, whose participants must be named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct JournalKindTerm {
    pub code: &'static str,
    pub label: &'static str,
    pub manual: bool,
    pub participants: bool,
}

/// Everything the UI names, list by list, in each enum's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vocabulary {
    pub steps: Vec<Term>,
    pub channels: Vec<Term>,
    pub addressees: Vec<AddresseeTerm>,
    pub complainant_roles: Vec<Term>,
    pub civilities: Vec<Term>,
    pub natures: Vec<Term>,
    pub checklist: Vec<Term>,
    pub actions: Vec<Term>,
    pub decisions: Vec<Term>,
    pub committee_outcomes: Vec<Term>,
    pub managers: Vec<Term>,
    pub means: Vec<Term>,
    pub clocks: Vec<Term>,
    pub journal_kinds: Vec<JournalKindTerm>,
    pub letter_kinds: Vec<Term>,
    pub recipients: Vec<Term>,
    pub send_modes: Vec<Term>,
    pub directions: Vec<Term>,
    pub qualification_kinds: Vec<Term>,
    pub firm_statuses: Vec<Term>,
    pub import_outcomes: Vec<Term>,
    pub dashboard_categories: Vec<Term>,
}

fn terms<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<Term> {
    all.iter().map(|v| Term { code: code(*v), label: label(*v) }).collect()
}

/// The whole vocabulary, built from every variant of every enum.
pub fn vocabulary() -> Vocabulary {
    Vocabulary {
        steps: terms(Step::ALL, Step::code, Step::label),
        channels: terms(Channel::ALL, Channel::code, Channel::label),
        addressees: Addressee::ALL
            .iter()
            .map(|a| AddresseeTerm { code: a.code(), label: a.label(), addressed_to: addressed_to(*a) })
            .collect(),
        complainant_roles: terms(ComplainantRole::ALL, ComplainantRole::code, ComplainantRole::label),
        civilities: terms(Civility::ALL, Civility::code, Civility::label),
        natures: terms(Nature::ALL, Nature::code, Nature::label),
        checklist: terms(ChecklistItem::ALL, ChecklistItem::code, ChecklistItem::label),
        actions: terms(ActionKind::ALL, ActionKind::code, ActionKind::label),
        decisions: terms(Decision::ALL, Decision::code, Decision::label),
        committee_outcomes: terms(CommitteeOutcome::ALL, CommitteeOutcome::code, CommitteeOutcome::label),
        managers: terms(Manager::ALL, Manager::code, Manager::label),
        means: terms(Means::ALL, Means::code, Means::label),
        clocks: terms(Clock::ALL, Clock::code, Clock::label),
        journal_kinds: JournalKind::ALL
            .iter()
            .map(|k| JournalKindTerm {
                code: k.code(),
                label: k.label(),
                manual: *k != JournalKind::StepChange,
                participants: matches!(k, JournalKind::Call | JournalKind::Meeting),
            })
            .collect(),
        letter_kinds: terms(LetterKind::ALL, LetterKind::code, LetterKind::label),
        recipients: terms(Recipient::ALL, Recipient::code, Recipient::label),
        send_modes: terms(SendMode::ALL, SendMode::code, SendMode::label),
        directions: terms(Direction::ALL, Direction::code, Direction::label),
        qualification_kinds: terms(QualificationKind::ALL, QualificationKind::code, QualificationKind::label),
        firm_statuses: terms(FirmStatus::ALL, FirmStatus::code, FirmStatus::label),
        import_outcomes: terms(ImportOutcome::ALL, ImportOutcome::code, ImportOutcome::label),
        dashboard_categories: terms(DashboardCategory::ALL, DashboardCategory::code, DashboardCategory::label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_list_has_labels_and_unique_codes() -> Result<(), serde_json::Error> {
        let v = serde_json::to_value(vocabulary())?;
        let lists = v.as_object().map(|o| o.iter().collect::<Vec<_>>()).unwrap_or_default();
        assert_eq!(lists.len(), 22);
        for (name, list) in lists {
            let items = list.as_array().map(Vec::as_slice).unwrap_or_default();
            assert!(!items.is_empty(), "{name} is empty");
            let mut codes = HashSet::new();
            for item in items {
                let code = item["code"].as_str().unwrap_or_default();
                let label = item["label"].as_str().unwrap_or_default();
                assert!(!code.is_empty() && !label.trim().is_empty(), "{name}: {item}");
                assert!(codes.insert(code), "{name}: code {code} twice");
            }
        }
        Ok(())
    }

    #[test]
    fn lists_follow_their_enums() {
        let v = vocabulary();
        assert_eq!(v.steps.len(), Step::ALL.len());
        assert_eq!(v.journal_kinds.len(), JournalKind::ALL.len());
        assert_eq!(v.letter_kinds.len(), LetterKind::ALL.len());
        assert!(v.journal_kinds.iter().any(|k| k.code == "step_change" && !k.manual));
        assert!(v.addressees.iter().all(|a| !a.addressed_to.is_empty()));
    }

    #[test]
    fn the_checklist_items_are_the_fields_of_the_checklist() {
        let checklist = serde_json::to_value(crate::model::Checklist::default()).unwrap_or_default();
        for item in ChecklistItem::ALL {
            assert!(checklist.get(item.code()).is_some(), "{}", item.code());
        }
    }
}
