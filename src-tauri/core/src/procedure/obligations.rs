//! What the procedure obliges the organisation to send, to whom, by which means and before
//! which action (docs/PROCEDURE.md « Obligations »), as rules over a file's facts and its
//! letters: no SQL here ([`crate::store::obligations`] loads them). The complaint page shows them
//! as a checklist; the workflow refuses an action whose obligations are not met, naming each.

use super::steps::{ActionKind, CommitteeOutcome, Decision};
use super::wording;
use crate::french::format_fr;
use crate::letters::kinds::{LetterKind, Recipient};
use crate::model::{SendMode, Step};
use crate::validate::parse_date;
use chrono::NaiveDate;
use serde::Serialize;

/// What was decided: one of the four decisions, or the committee's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    Decision(Decision),
    Committee(CommitteeOutcome),
}

impl Decided {
    pub fn code(self) -> &'static str {
        match self {
            Decided::Decision(d) => d.code(),
            Decided::Committee(o) => o.code(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Decided::Decision(d) => d.label(),
            Decided::Committee(o) => o.label(),
        }
    }

    pub fn from_code(code: &str) -> Option<Decided> {
        Decision::from_code(code)
            .map(Decided::Decision)
            .or_else(|| CommitteeOutcome::from_code(code).map(Decided::Committee))
    }

    /// The two letters announcing it, to the complainant and to the firm.
    pub fn letters(self) -> [LetterKind; 2] {
        match self {
            Decided::Decision(d) => LetterKind::for_decision(d),
            Decided::Committee(_) => [LetterKind::CommitteeOutcomeComplainant, LetterKind::CommitteeOutcomeFirm],
        }
    }
}

/// A letter the procedure obliges the organisation to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Obligation {
    pub letter: LetterKind,
    /// The decision the letter announces, for decision letters.
    pub decision_id: Option<i64>,
    /// The action refused until the letter is sent; `None` when nothing waits for it (the
    /// checklist still shows it).
    pub before: Option<ActionKind>,
    /// A letter sent as an email attachment counts (otherwise only a postal letter does).
    pub email_allowed: bool,
    /// Due before the obligations were checked (schema 2), or before the complaint was taken
    /// from the register kept before the application: shown, never required.
    pub legacy: bool,
    /// The complaint came from the old register: a legacy obligation reads « antérieur à
    /// l'application ».
    pub imported: bool,
    /// Not owed before this day (the closure for lack of details, while the complainant's
    /// month runs): until then it is « à venir », not « à préparer ».
    pub owed_from: Option<NaiveDate>,
}

impl Obligation {
    /// « Le courrier de décision au qualifié », as the refusal and the checklist name it.
    pub fn what(&self) -> String {
        use LetterKind as K;
        let to = match self.letter.recipient() {
            Recipient::Firm => "au qualifié",
            Recipient::Investigator => "à l'instructeur",
            Recipient::Expert => "à l'expert",
            _ => "au plaignant",
        };
        let name = match self.letter {
            K::Acknowledgement => "L'accusé de réception",
            K::RequestDetails => "L'accusé de réception avec demande de précisions",
            K::LackOfDetailsClosure => "Le courrier de clôture faute de précisions",
            K::Inadmissible => "Le courrier d'irrecevabilité",
            K::FirmNotification => "Le courrier d'information",
            K::FirmReminder => "La relance",
            K::InformationRequest => "La demande d'informations",
            K::InvestigatorTransmission => "Le courrier de transmission",
            K::InvestigatorReminder | K::ExpertReminder | K::ComplainantReminder => "La relance",
            K::ConflictDeclaration => "Le formulaire de déclaration d'intérêts",
            K::ExpertMission => "La lettre de mission",
            K::ExpertInformationComplainant | K::ExpertInformationFirm => "Le courrier désignant l'expert",
            K::CommitteeConvocation => "La convocation à la commission de recours",
            K::ExpertComplainant | K::ExpertFirm => "Le courrier d'appel à un expert",
            K::CommitteeComplainant | K::CommitteeFirm => "Le courrier de passage en commission de recours",
            K::CommitteeOutcomeComplainant | K::CommitteeOutcomeFirm => "Le courrier de décision de la commission",
            K::OverrunComplainant | K::OverrunFirm => "Le courrier justifiant le dépassement du délai",
            K::DismissedComplainant | K::DismissedFirm | K::WarningComplainant | K::WarningFirm => {
                "Le courrier de décision"
            }
            K::HowToComplain => "Le courrier",
        };
        format!("{name} {to}")
    }

    /// « … n'a pas été envoyé. »
    pub fn refusal(&self) -> String {
        use LetterKind as K;
        let feminine = matches!(
            self.letter,
            K::FirmReminder
                | K::InformationRequest
                | K::InvestigatorReminder
                | K::ExpertReminder
                | K::ComplainantReminder
                | K::ExpertMission
                | K::CommitteeConvocation
        );
        format!("{} n'a pas été {}.", self.what(), if feminine { "envoyée" } else { "envoyé" })
    }
}

/// An obligation and where it stands, for the complaint page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationView {
    pub letter: &'static str,
    pub letter_label: &'static str,
    pub what: String,
    /// The action that waits for it (its label), or empty.
    pub before: &'static str,
    /// `to_prepare`, `ready`, `sent`, `ar_returned`, `legacy`; `upcoming` (not owed yet, see
    /// [`Ledger::checklist_on`]).
    pub state: &'static str,
    /// « à préparer », « prêt, à envoyer », « envoyé le 12/03/2026 (recommandé n° …) »,
    /// « AR revenu le 16/03/2026 ».
    pub state_label: String,
    pub met: bool,
    pub document_id: Option<i64>,
    /// The day from which it is owed, when it is not owed at once.
    pub owed_from: Option<NaiveDate>,
    /// The date it was sent, when it was.
    #[serde(skip)]
    pub sent_on: Option<NaiveDate>,
    /// Due before the obligations were checked: shown, never required nor offered.
    #[serde(skip)]
    pub legacy: bool,
}

/// An outgoing letter of the file, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub id: i64,
    pub kind: Option<LetterKind>,
    pub decision_id: Option<i64>,
    pub sent_on: Option<String>,
    pub mode: Option<SendMode>,
    pub number: String,
    pub ar_on: Option<String>,
}

/// A decision of the file, for the letters it calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionFact {
    pub id: i64,
    pub decided: Option<Decided>,
    pub legacy: bool,
}

/// What a complaint is, for its obligations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub step: Option<Step>,
    /// An expert of the register is appointed for the current expertise.
    pub expert: bool,
    pub hearing: bool,
    /// The settings ask for the parties to be told of the expert.
    pub inform_of_expert: bool,
    pub legacy: bool,
    /// Taken from the register kept before the application (its steps before the import).
    pub imported: bool,
    pub reply_by_email: bool,
    /// Received by email: its acknowledgement and requests for details may go back by email.
    pub by_email: bool,
    pub inadmissible: bool,
    pub overrun_reason: bool,
    pub incomplete: bool,
    pub details_asked: bool,
    pub closed_for_lack: bool,
    /// The due date of the complainant's running clock for the details asked (the closure for
    /// lack of details is owed only after it).
    pub details_due: Option<NaiveDate>,
    pub informed_by_letter: bool,
    pub investigator: bool,
    /// The firm was corrected after it had been informed: the new one must be informed before a decision.
    pub firm_corrected: bool,
    pub decisions: Vec<DecisionFact>,
}

/// The obligations of a complaint so far, in the procedure's order.
pub fn required(f: &Facts) -> Vec<Obligation> {
    use LetterKind as K;
    let step = f.step.unwrap_or(Step::Registered);
    let ob = |letter: LetterKind, before: Option<ActionKind>, decision_id: Option<i64>, legacy: bool| Obligation {
        letter,
        decision_id,
        before,
        email_allowed: match letter.recipient() {
            // Answered by email throughout; or, for a complaint received by email, its
            // acknowledgement and requests for details (the decisions go by letter).
            Recipient::Complainant => {
                f.reply_by_email
                    || (f.by_email
                        && matches!(letter, K::Acknowledgement | K::RequestDetails | K::LackOfDetailsClosure))
            }
            // « par tout moyen »: the firm's information and the instructeur's transmission.
            _ => matches!(
                letter,
                K::FirmNotification
                    | K::FirmReminder
                    | K::InvestigatorTransmission
                    | K::InvestigatorReminder
                    | K::ExpertMission
                    | K::ExpertReminder
            ),
        },
        legacy,
        imported: f.imported,
        owed_from: None,
    };
    let mut out = Vec::new();
    let details_asked = f.details_asked || (step == Step::Registered && f.incomplete);
    let ar = if details_asked || step == Step::AwaitingDetails { K::RequestDetails } else { K::Acknowledgement };
    if step != Step::Registered || !f.legacy {
        out.push(ob(ar, None, None, f.legacy));
    }
    if f.closed_for_lack || step == Step::AwaitingDetails {
        let owed_from = if f.closed_for_lack { None } else { f.details_due.and_then(|d| d.succ_opt()) };
        out.push(Obligation {
            owed_from,
            ..ob(K::LackOfDetailsClosure, Some(ActionKind::CloseForLackOfDetails), None, false)
        });
    }
    if f.inadmissible {
        out.push(ob(K::Inadmissible, Some(ActionKind::CloseFile), None, f.legacy));
    }
    if f.firm_corrected {
        out.push(ob(K::FirmNotification, Some(ActionKind::Decide), None, false));
    } else if step == Step::InAnalysis || f.informed_by_letter {
        out.push(ob(K::FirmNotification, None, None, false));
    }
    if f.investigator {
        out.push(ob(K::InvestigatorTransmission, None, None, false));
    }
    for d in &f.decisions {
        let Some(decided) = d.decided else { continue };
        let before = match decided {
            Decided::Decision(Decision::Expert) => ActionKind::Decide,
            Decided::Decision(Decision::AppealsCommittee) => ActionKind::RecordCommitteeOutcome,
            _ => ActionKind::CloseFile,
        };
        for letter in decided.letters() {
            out.push(ob(letter, Some(before), Some(d.id), d.legacy));
        }
    }
    if step == Step::Expertise && f.expert {
        out.push(ob(K::ExpertMission, Some(ActionKind::RecordExpertReport), None, false));
        if f.inform_of_expert {
            for k in [K::ExpertInformationComplainant, K::ExpertInformationFirm] {
                out.push(ob(k, Some(ActionKind::RecordExpertReport), None, false));
            }
        }
    }
    if step == Step::AppealsCommittee && f.hearing {
        out.push(ob(K::CommitteeConvocation, Some(ActionKind::RecordCommitteeOutcome), None, false));
    }
    if f.overrun_reason {
        out.extend([K::OverrunComplainant, K::OverrunFirm].map(|k| ob(k, None, None, false)));
    }
    out
}

fn date_fr(iso: &str) -> String {
    parse_date(iso).map(format_fr).unwrap_or_else(|| iso.to_owned())
}

/// Where one obligation stands, from the file's letters.
pub fn state(o: &Obligation, letters: &[Letter]) -> ObligationView {
    let letters: Vec<&Letter> = letters
        .iter()
        .filter(|l| l.kind == Some(o.letter))
        .filter(|l| o.decision_id.is_none() || l.decision_id == o.decision_id || (o.legacy && l.decision_id.is_none()))
        .collect();
    let counts = |l: &Letter| l.sent_on.is_some() && (o.email_allowed || l.mode != Some(SendMode::Email));
    let sent = letters.iter().rev().find(|l| counts(l));
    let ready = letters.iter().rev().find(|l| l.sent_on.is_none());
    let by_email_only = letters.iter().any(|l| l.sent_on.is_some() && l.mode == Some(SendMode::Email));
    let (state, label, document) = match (sent, ready) {
        (Some(l), _) => {
            let on = l.sent_on.as_deref().map(date_fr).unwrap_or_default();
            let sent = wording::sent_state(&on, l.mode.unwrap_or(SendMode::Simple), &l.number);
            match &l.ar_on {
                Some(ar) => ("ar_returned", format!("{sent}, AR revenu le {}", date_fr(ar)), Some(l.id)),
                None => ("sent", sent, Some(l.id)),
            }
        }
        _ if o.legacy && o.imported => {
            ("legacy", "antérieur à l'application (repris de l'ancien registre) : non vérifié".to_owned(), None)
        }
        _ if o.legacy => ("legacy", "antérieur au contrôle des courriers : non vérifié".to_owned(), None),
        (None, Some(l)) => ("ready", "prêt, à envoyer".to_owned(), Some(l.id)),
        (None, None) if by_email_only => {
            ("to_prepare", "envoyé par courriel : un courrier postal est exigé".to_owned(), None)
        }
        (None, None) => ("to_prepare", "à préparer".to_owned(), None),
    };
    ObligationView {
        letter: o.letter.code(),
        letter_label: o.letter.label(),
        what: o.what(),
        before: o.before.map_or("", ActionKind::label),
        met: sent.is_some() || o.legacy,
        state,
        state_label: label,
        document_id: document,
        owed_from: o.owed_from,
        sent_on: sent.and_then(|l| l.sent_on.as_deref()).and_then(parse_date),
        legacy: o.legacy,
    }
}

/// `v` as it stands on `today`: « à venir le … » while it is not owed yet.
fn on(v: &ObligationView, today: NaiveDate) -> ObligationView {
    match v.owed_from {
        Some(from) if v.state == "to_prepare" && from > today => {
            ObligationView { state: "upcoming", state_label: format!("à venir le {}", format_fr(from)), ..v.clone() }
        }
        _ => v.clone(),
    }
}

/// A file's obligations and where each stands, derived once per read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    items: Vec<(Obligation, ObligationView)>,
}

impl Ledger {
    pub fn new(facts: &Facts, letters: &[Letter]) -> Ledger {
        Ledger { items: required(facts).into_iter().map(|o| (o, state(&o, letters))).collect() }
    }

    pub fn obligations(&self) -> impl Iterator<Item = &Obligation> {
        self.items.iter().map(|(o, _)| o)
    }

    /// The checklist of the complaint page.
    pub fn checklist(&self) -> Vec<ObligationView> {
        self.items.iter().map(|(_, v)| v.clone()).collect()
    }

    /// The checklist on `today`: a letter not owed yet is « à venir le … », not « à préparer ».
    pub fn checklist_on(&self, today: NaiveDate) -> Vec<ObligationView> {
        self.items.iter().map(|(_, v)| on(v, today)).collect()
    }

    /// The letters owed on `today` and not yet generated (nor sent): those to make.
    pub fn to_make(&self, today: NaiveDate) -> Vec<&Obligation> {
        self.items.iter().filter(|(_, v)| !v.legacy && on(v, today).state == "to_prepare").map(|(o, _)| o).collect()
    }

    fn before(&self, action: ActionKind) -> impl Iterator<Item = &(Obligation, ObligationView)> {
        self.items.iter().filter(move |(o, _)| o.before == Some(action))
    }

    /// Why `action` cannot be performed yet: one sentence per letter not sent (empty when none).
    pub fn unmet(&self, action: ActionKind) -> Vec<String> {
        self.before(action).filter(|(_, v)| !v.met).map(|(o, _)| o.refusal()).collect()
    }

    /// What was checked before `action`, for its journal entry: « courrier … : envoyé le … ».
    pub fn checked(&self, action: ActionKind) -> Vec<String> {
        self.before(action).map(|(_, v)| format!("{} : {}", v.what, v.state_label)).collect()
    }

    /// When both overrun letters are sent (the overrun then counts as justified): the later
    /// sending date, and each letter with where it stands.
    pub fn overrun_letters_sent(&self) -> Option<(NaiveDate, Vec<String>)> {
        let overrun: Vec<&ObligationView> = self
            .items
            .iter()
            .filter(|(o, _)| matches!(o.letter, LetterKind::OverrunComplainant | LetterKind::OverrunFirm))
            .map(|(_, v)| v)
            .collect();
        if overrun.iter().any(|v| !v.met) {
            return None;
        }
        let last = overrun.iter().filter_map(|v| v.sent_on).max()?;
        Some((last, overrun.iter().map(|v| format!("{} : {}", v.what, v.state_label)).collect()))
    }
}
