//! What the procedure obliges the organisation to send, to whom, by which means and before
//! which action (docs/PROCEDURE.md « Obligations »), checked against the documents actually
//! generated and marked sent. The complaint page shows them as a checklist; the workflow refuses
//! an action whose obligations are not met, naming each one.

use crate::error::Result;
use crate::french::format_fr;
use crate::letters::kinds::{LetterKind, Recipient};
use crate::model::{SendMode, Step};
use crate::store::clocks::Clock;
use crate::store::corrupt_row;
use crate::store::decisions::{self, Decided};
use crate::validate::parse_date;
use crate::workflow::{ActionKind, Decision};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

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
    /// Due before the obligations were checked (schema 2): shown, never required.
    pub legacy: bool,
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
    /// `to_prepare`, `ready`, `sent`, `ar_returned`, `legacy`.
    pub state: &'static str,
    /// « à préparer », « prêt, à envoyer », « envoyé le 12/03/2026 (recommandé n° …) »,
    /// « AR revenu le 16/03/2026 ».
    pub state_label: String,
    pub met: bool,
    pub document_id: Option<i64>,
}

/// A letter as stored, for the check.
struct Letter {
    id: i64,
    decision_id: Option<i64>,
    sent_on: Option<String>,
    mode: String,
    number: String,
    ar_on: Option<String>,
}

/// What a complaint is, for its obligations.
struct File {
    /// An expert of the register is appointed for the current expertise.
    expert: bool,
    hearing: bool,
    inform_of_expert: bool,
    step: Step,
    legacy: bool,
    reply_by_email: bool,
    /// Received by email: its acknowledgement and requests for details may go back by email.
    by_email: bool,
    inadmissible: bool,
    overrun_reason: bool,
    details_asked: bool,
    closed_for_lack: bool,
    informed_by_letter: bool,
    investigator: bool,
}

fn file(conn: &Connection, id: i64) -> Result<File> {
    type Row = (Step, bool, bool, bool, bool, bool, bool, bool, bool);
    let (step, legacy, reply_by_email, inadmissible, overrun_reason, incomplete, expert, hearing, by_email): Row = conn
        .query_row(
            "SELECT step, legacy_obligations, reply_by_email, inadmissible_reason <> '', overrun_justification <> '',
                    has_complainant_details * has_firm_details * has_facts * has_actions_taken = 0,
                    expert_id IS NOT NULL, committee_hearing_on IS NOT NULL, channel = 'email'
             FROM complaints WHERE id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?)),
        )
        .map_err(corrupt_row("complaints", id))?;
    // The parties are told of the expert unless the settings say otherwise.
    let inform_of_expert = crate::store::settings::expert_inform_parties(conn)?;
    let exists = |sql: &str| -> Result<bool> { Ok(conn.query_row(sql, params![id], |_| Ok(())).optional()?.is_some()) };
    Ok(File {
        expert,
        hearing,
        inform_of_expert,
        step,
        legacy,
        reply_by_email,
        by_email,
        inadmissible,
        overrun_reason,
        details_asked: (step == Step::Registered && incomplete)
            || exists(&format!(
                "SELECT 1 FROM deadlines WHERE complaint_id = ?1 AND clock = '{}'",
                Clock::ComplainantDetails.code()
            ))?,
        closed_for_lack: exists(
            "SELECT 1 FROM journal WHERE complaint_id = ?1 AND step_from = 'awaiting_details' AND step_to = 'closed'",
        )?,
        informed_by_letter: exists(&format!(
            "SELECT 1 FROM deadlines WHERE complaint_id = ?1 AND clock = '{}' AND document_id IS NOT NULL",
            Clock::FirmAnswer.code()
        ))?,
        investigator: exists(&format!(
            "SELECT 1 FROM deadlines WHERE complaint_id = ?1 AND clock = '{}'",
            Clock::InvestigatorAnswer.code()
        ))?,
    })
}

/// The obligations of a complaint so far, in the procedure's order.
pub fn obligations(conn: &Connection, id: i64) -> Result<Vec<Obligation>> {
    use LetterKind as K;
    let f = file(conn, id)?;
    let to_complainant_by_email = f.reply_by_email;
    let ob = |letter: LetterKind, before: Option<ActionKind>, decision_id: Option<i64>, legacy: bool| Obligation {
        letter,
        decision_id,
        before,
        email_allowed: match letter.recipient() {
            // Answered by email throughout; or, for a complaint received by email, its
            // acknowledgement and requests for details (the decisions go by letter).
            Recipient::Complainant => {
                to_complainant_by_email
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
    };
    let mut out = Vec::new();
    let ar =
        if f.details_asked || matches!(f.step, Step::AwaitingDetails) { K::RequestDetails } else { K::Acknowledgement };
    if f.step != Step::Registered || !f.legacy {
        out.push(ob(ar, None, None, f.legacy));
    }
    if f.closed_for_lack || f.step == Step::AwaitingDetails {
        out.push(ob(K::LackOfDetailsClosure, Some(ActionKind::CloseForLackOfDetails), None, false));
    }
    if f.inadmissible {
        out.push(ob(K::Inadmissible, Some(ActionKind::MarkLettersSent), None, f.legacy));
    }
    if f.step == Step::InAnalysis || f.informed_by_letter {
        out.push(ob(K::FirmNotification, None, None, false));
    }
    if f.investigator {
        out.push(ob(K::InvestigatorTransmission, None, None, false));
    }
    let decisions = decisions::list(conn, id)?;
    for d in &decisions {
        let Some(decided) = d.decided() else { continue };
        let before = match decided {
            Decided::Decision(Decision::Expert) => ActionKind::Decide,
            Decided::Decision(Decision::AppealsCommittee) => ActionKind::RecordCommitteeOutcome,
            _ => ActionKind::MarkLettersSent,
        };
        for letter in decided.letters() {
            out.push(ob(letter, Some(before), Some(d.id), d.legacy));
        }
    }
    if f.step == Step::Expertise && f.expert {
        out.push(ob(K::ExpertMission, Some(ActionKind::RecordExpertReport), None, false));
        if f.inform_of_expert {
            for k in [K::ExpertInformationComplainant, K::ExpertInformationFirm] {
                out.push(ob(k, Some(ActionKind::RecordExpertReport), None, false));
            }
        }
    }
    if f.step == Step::AppealsCommittee && f.hearing {
        out.push(ob(K::CommitteeConvocation, Some(ActionKind::RecordCommitteeOutcome), None, false));
    }
    if f.overrun_reason {
        out.extend([K::OverrunComplainant, K::OverrunFirm].map(|k| ob(k, None, None, false)));
    }
    Ok(out)
}

fn letters_of(conn: &Connection, id: i64, kind: LetterKind) -> Result<Vec<Letter>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, decision_id, sent_on, send_mode, registered_number, ar_returned_on FROM documents
         WHERE complaint_id = ?1 AND kind = ?2 AND direction = 'out' ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![id, kind.code()], |r| {
            Ok(Letter {
                id: r.get(0)?,
                decision_id: r.get(1)?,
                sent_on: r.get(2)?,
                mode: r.get(3)?,
                number: r.get(4)?,
                ar_on: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn date_fr(iso: &str) -> String {
    parse_date(iso).map(format_fr).unwrap_or_else(|| iso.to_owned())
}

/// Where one obligation stands, from its letters.
fn state(conn: &Connection, id: i64, o: &Obligation) -> Result<ObligationView> {
    let letters: Vec<Letter> = letters_of(conn, id, o.letter)?
        .into_iter()
        .filter(|l| o.decision_id.is_none() || l.decision_id == o.decision_id || (o.legacy && l.decision_id.is_none()))
        .collect();
    let counts = |l: &Letter| l.sent_on.is_some() && (o.email_allowed || l.mode != SendMode::Email.code());
    let sent = letters.iter().rev().find(|l| counts(l));
    let ready = letters.iter().rev().find(|l| l.sent_on.is_none());
    let by_email_only = letters.iter().any(|l| l.sent_on.is_some() && l.mode == SendMode::Email.code());
    let (state, label, document) = match (sent, ready) {
        (Some(l), _) => {
            let on = l.sent_on.as_deref().map(date_fr).unwrap_or_default();
            let how = if l.mode == SendMode::Registered.code() {
                format!(" (recommandé n° {})", l.number)
            } else if l.mode == SendMode::Email.code() {
                " (par courriel)".to_owned()
            } else {
                " (courrier simple)".to_owned()
            };
            match &l.ar_on {
                Some(ar) => ("ar_returned", format!("envoyé le {on}{how}, AR revenu le {}", date_fr(ar)), Some(l.id)),
                None => ("sent", format!("envoyé le {on}{how}"), Some(l.id)),
            }
        }
        _ if o.legacy => ("legacy", "antérieur au contrôle des courriers : non vérifié".to_owned(), None),
        (None, Some(l)) => ("ready", "prêt, à envoyer".to_owned(), Some(l.id)),
        (None, None) if by_email_only => {
            ("to_prepare", "envoyé par courriel : un courrier postal est exigé".to_owned(), None)
        }
        (None, None) => ("to_prepare", "à préparer".to_owned(), None),
    };
    Ok(ObligationView {
        letter: o.letter.code(),
        letter_label: o.letter.label(),
        what: o.what(),
        before: o.before.map_or("", ActionKind::label),
        met: sent.is_some() || o.legacy,
        state,
        state_label: label,
        document_id: document,
    })
}

/// The checklist of the complaint page.
pub fn checklist(conn: &Connection, id: i64) -> Result<Vec<ObligationView>> {
    obligations(conn, id)?.iter().map(|o| state(conn, id, o)).collect()
}

/// Why `action` cannot be performed yet: one sentence per letter not sent (empty when none).
pub fn unmet(conn: &Connection, id: i64, action: ActionKind) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for o in obligations(conn, id)?.iter().filter(|o| o.before == Some(action)) {
        if !state(conn, id, o)?.met {
            out.push(o.refusal());
        }
    }
    Ok(out)
}

/// What was checked before `action`, for its journal entry: « courrier … envoyé le … ».
pub fn checked(conn: &Connection, id: i64, action: ActionKind) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for o in obligations(conn, id)?.iter().filter(|o| o.before == Some(action)) {
        let s = state(conn, id, o)?;
        out.push(format!("{} : {}", s.what, s.state_label));
    }
    Ok(out)
}

/// Whether both overrun letters are sent (the overrun then counts as justified); the later
/// sending date when they are.
pub(crate) fn overrun_letters_sent(conn: &Connection, id: i64) -> Result<Option<String>> {
    let mut latest: Option<String> = None;
    for o in obligations(conn, id)?
        .iter()
        .filter(|o| matches!(o.letter, LetterKind::OverrunComplainant | LetterKind::OverrunFirm))
    {
        let s = state(conn, id, o)?;
        if !s.met {
            return Ok(None);
        }
        let on: Option<String> = match s.document_id {
            Some(doc) => conn.query_row("SELECT sent_on FROM documents WHERE id = ?1", params![doc], |r| r.get(0))?,
            None => None,
        };
        latest = latest.max(on);
    }
    Ok(latest)
}
