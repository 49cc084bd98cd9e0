//! The procedure's words in one place: the journal's sentence for each action and for what a
//! letter sent sets off, how a sending is stated, and the messages about a typed date. A
//! sentence states what was recorded and what was checked, never that a letter went out unless
//! its sending was recorded.

use super::action::{Act, Action, Outcome};
use super::clocks::Clock;
use super::file::FileState;
use super::steps::{Decider, Decision, Manager, Means};
use crate::french::{format_fr, french_weekday};
use crate::model::{SendMode, Step};
use crate::validate::{parse_date, spaced_registered, INVALID_DATE};
use chrono::NaiveDate;

/// The date of an action as typed: readable, not in the future, not before the receipt.
pub fn action_date(typed: &str, received_on: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    match parse_date(typed) {
        None => Err(INVALID_DATE.into()),
        Some(d) if d > today => Err("La date ne peut pas être dans le futur.".into()),
        Some(d) if d < received_on => {
            Err(format!("La date ne peut pas précéder la réception de la réclamation ({}).", format_fr(received_on)))
        }
        Some(d) => Ok(d),
    }
}

/// « lundi 06/04/2026 ».
pub fn due_fr(due: Option<NaiveDate>) -> String {
    due.map(|due| format!("{} {}", french_weekday(due), format_fr(due))).unwrap_or_default()
}

/// What was checked, as the journal writes it: « Vérifié : … ; … ».
fn checked_fr(checked: &[String]) -> String {
    if checked.is_empty() {
        String::new()
    } else {
        format!(" Vérifié : {}.", checked.join(" ; "))
    }
}

/// How a letter went, after « envoyé le … »: « en recommandé avec AR n° … », « par courriel »,
/// « en courrier simple ».
pub fn sent_by(mode: SendMode, number: &str) -> String {
    match mode {
        SendMode::Registered => format!("en recommandé avec AR n° {}", spaced_registered(number)),
        SendMode::Email => "par courriel".into(),
        SendMode::Simple => "en courrier simple".into(),
    }
}

/// An obligation's letter as the checklist shows it: « envoyé le 12/03/2026 (recommandé n° …) ».
pub fn sent_state(on: &str, mode: SendMode, number: &str) -> String {
    let how = match mode {
        SendMode::Registered => format!("recommandé n° {}", spaced_registered(number)),
        SendMode::Email => "par courriel".into(),
        SendMode::Simple => "courrier simple".into(),
    };
    format!("envoyé le {on} ({how})")
}

/// A letter sent, as the file's documents list shows it (`on`: « 12/03/2026 »): « Envoyé le
/// 12/03/2026 en recommandé n° … », « … par courriel », « … en courrier simple ».
pub fn sent_as(on: &str, mode: Option<SendMode>, number: &str) -> String {
    let how = match mode {
        Some(SendMode::Registered) => format!("en recommandé n° {}", spaced_registered(number)),
        Some(SendMode::Email) => "par courriel".into(),
        Some(SendMode::Simple) | None => "en courrier simple".into(),
    };
    format!("Envoyé le {on} {how}")
}

/// How the journal's entry of the firm's answer begins: letters find the day of the answer by it.
pub const FIRM_ANSWER_RECEIVED: &str = "Réponse du qualifié reçue le";

/// « Réclamation complète : accusé de réception enregistré, daté du … ».
pub fn acknowledged(on: NaiveDate) -> String {
    format!("Réclamation complète : accusé de réception enregistré, daté du {}.", format_fr(on))
}

/// The précisions asked on `on` (`missing`: the elements the complaint lacks), answer expected
/// (indicatively) on `due`.
pub fn details_requested(on: NaiveDate, missing: &[&str], due: Option<NaiveDate>) -> String {
    format!(
        "Demande de précisions enregistrée, datée du {} ; manque : {} ; réponse attendue (indicatif) le {}.",
        format_fr(on),
        missing.join(" ; "),
        due_fr(due)
    )
}

/// The précisions received on `on` (`received`: the elements' names), `still_missing` what the
/// complaint still lacks.
pub fn details_received(on: NaiveDate, received: &[&str], still_missing: &[&str]) -> String {
    let rest = if still_missing.is_empty() {
        "la réclamation est complète.".to_owned()
    } else {
        format!("il manque encore : {}.", still_missing.join(" ; "))
    };
    format!("Précisions du plaignant reçues le {} : {} ; {rest}", format_fr(on), received.join(" ; "))
}

/// The complaint sent to its Responsable for a first analysis.
pub fn transmitted(manager: Manager, on: NaiveDate) -> String {
    format!("Transmise au {} le {} pour première analyse.", manager.label(), format_fr(on))
}

/// The firm told by phone or email, its answer due on `due`.
pub fn firm_informed(means: Means, on: NaiveDate, due: Option<NaiveDate>) -> String {
    format!(
        "Qualifié informé de la réclamation par {} le {} ; réponse circonstanciée attendue au plus tard le {}.",
        means.label().to_lowercase(),
        format_fr(on),
        due_fr(due)
    )
}

/// The firm's answer received (`late`: once its clock was stopped); begins with
/// [`FIRM_ANSWER_RECEIVED`].
pub fn firm_answer_received(on: NaiveDate, late: bool) -> String {
    if late {
        format!("{FIRM_ANSWER_RECEIVED} {}, après l'arrêt de son délai.", format_fr(on))
    } else {
        format!("{FIRM_ANSWER_RECEIVED} {}.", format_fr(on))
    }
}

/// The file passed to the instructeur `name`, its answer due on `due`.
pub fn passed_to_investigator(name: &str, on: NaiveDate, due: Option<NaiveDate>) -> String {
    format!(
        "Dossier transmis le {} à l'instructeur {name} ; réponse attendue au plus tard le {}.",
        format_fr(on),
        due_fr(due)
    )
}

/// The instructeur's answer received (`late`: once its clock was stopped), with the decision it
/// proposes.
pub fn investigator_answer_received(on: NaiveDate, late: bool, proposed: Option<Decision>) -> String {
    let on = format_fr(on);
    match proposed {
        _ if late => format!("Réponse de l'instructeur reçue le {on}, après l'arrêt de son délai."),
        Some(p) => format!("Réponse de l'instructeur reçue le {on} ; décision proposée : {}.", p.label()),
        None => format!("Réponse de l'instructeur reçue le {on}."),
    }
}

/// A decision taken by `by` (`investigator`: the instructeur's name, when it decides);
/// `stopped`: the clocks it did not wait for, `waiver` why; `checked`: the letters checked.
pub fn decided(
    on: NaiveDate,
    decision: Decision,
    by: Decider,
    investigator: &str,
    stopped: &[Clock],
    waiver: &str,
    checked: &[String],
) -> String {
    let by = if by == Decider::Investigator {
        format!("l'instructeur {investigator}")
    } else {
        format!("le {}", by.label())
    };
    let waiver = if stopped.is_empty() {
        String::new()
    } else {
        let whose: Vec<&str> =
            stopped.iter().map(|c| if *c == Clock::FirmAnswer { "du qualifié" } else { "de l'instructeur" }).collect();
        format!(" Décision sans attendre la réponse {} : {waiver}", whose.join(" et "))
    };
    format!("Décision du {} : {}, prise par {by}.{waiver}{}", format_fr(on), decision.label(), checked_fr(checked))
}

/// The file closed (`checked`: the letters checked before).
pub fn closed(on: NaiveDate, checked: &[String]) -> String {
    format!("Dossier clos le {}.{}", format_fr(on), checked_fr(checked))
}

/// The journal's sentence for an action; `due` is the clock it started, `stopped` the clocks
/// it stopped, `checked` the letters checked before it.
pub fn action_summary(
    action: &Action,
    file: &FileState,
    due: Option<NaiveDate>,
    stopped: &[Clock],
    checked: &[String],
) -> String {
    let on = action.on;
    let date_fr = format_fr(on);
    let due_fr = due_fr(due);
    match &action.act {
        Act::Acknowledge => acknowledged(on),
        Act::RequestDetails => details_requested(on, &file.checklist.missing(), due),
        Act::RecordDetailsReceived { elements, .. } => {
            let mut after = file.checklist;
            let received: Vec<&str> = file
                .checklist
                .elements()
                .into_iter()
                .filter(|(code, _, _)| elements.iter().any(|e| e == code))
                .map(|(_, name, _)| name)
                .collect();
            for code in elements {
                after.receive(code);
            }
            details_received(on, &received, &after.missing())
        }
        Act::CloseForLackOfDetails { reason } => {
            let why = if file.details_lapsed {
                "la date de réponse indiquée au plaignant est dépassée".to_owned()
            } else {
                format!("avant la date de réponse indiquée, motif : {reason}")
            };
            format!("Dossier clos le {date_fr} faute de précisions du plaignant ({why}).{}", checked_fr(checked))
        }
        Act::DeclareInadmissible { .. } => format!("Réclamation déclarée irrecevable le {date_fr}."),
        Act::Transmit { manager } => transmitted(*manager, on),
        Act::RecordFirstAnalysis { .. } => format!("Première analyse du {date_fr}."),
        Act::InformFirm { means, .. } => firm_informed(*means, on, due),
        Act::RecordFirmAnswer { .. } => firm_answer_received(on, !file.ctx.firm_answer_pending),
        Act::RequestInformation { .. } => format!(
            "Demande d'informations complémentaires au plaignant enregistrée, datée du {date_fr} ; réponse attendue (indicatif) le {due_fr}."
        ),
        Act::RecordComplainantAnswer { .. } => format!("Réponse du plaignant reçue le {date_fr}."),
        Act::PassToInvestigator { investigator } => passed_to_investigator(&investigator.name, on, due),
        Act::AppointExpert { expert, .. } => {
            format!("Expert désigné le {date_fr} : {} ; rapport attendu au plus tard le {due_fr}.", expert.name)
        }
        Act::ScheduleHearing { hearing } => format!(
            "Séance de la commission de recours fixée au {} {}.",
            french_weekday(*hearing),
            format_fr(*hearing)
        ),
        Act::RecordInvestigatorAnswer { proposed, .. } => {
            investigator_answer_received(on, !file.ctx.investigator_answer_pending, *proposed)
        }
        Act::Decide { decision, by, waiver, .. } => {
            decided(on, *decision, *by, &file.investigator, stopped, waiver, checked)
        }
        Act::RecordExpertReport { .. } => format!("Rapport de l'expert reçu le {date_fr}."),
        Act::RecordCommitteeOutcome { outcomes, .. } => format!(
            "Commission de recours du {date_fr} : {} ({}).{}",
            Outcome::overall(outcomes).label(),
            Outcome::scope(outcomes),
            checked_fr(checked)
        ),
        Act::CloseFile => closed(on, checked),
        Act::JustifyOverrun { expected, .. } => {
            let expected = expected.map(|e| format!(" ; décision prévue le {}", format_fr(e))).unwrap_or_default();
            format!(
                "Motif du dépassement du délai global enregistré le {date_fr}{expected}. Le dépassement sera justifié une fois les courriers au plaignant et au qualifié envoyés."
            )
        }
    }
}

/// The sentence ends with the step reached, when it changed.
pub fn with_step(summary: String, from: Step, to: Step) -> String {
    if from == to {
        summary
    } else {
        format!("{summary} Étape : « {} ».", to.label())
    }
}

/// How the firm's information letter informed it: sent (by `mode`), or its AR signed.
pub enum Informed<'a> {
    Sent { mode: SendMode, number: &'a str },
    ArSigned { number: &'a str },
}

/// The firm informed by its letter (`letter`: the letter's label), its answer due on `due`.
pub fn firm_informed_by_letter(letter: &str, how: Informed<'_>, on: NaiveDate, due: NaiveDate) -> String {
    let how = match how {
        Informed::ArSigned { number } => {
            format!(
                "dont l'avis de réception du recommandé n° {} est signé le {}",
                spaced_registered(number),
                format_fr(on)
            )
        }
        Informed::Sent { mode: SendMode::Email, .. } => format!("envoyé par courriel le {}", format_fr(on)),
        Informed::Sent { mode, number } => format!("envoyé le {} {}", format_fr(on), sent_by(mode, number)),
    };
    format!(
        "Qualifié informé de la réclamation par le courrier « {letter} » {how} ; réponse circonstanciée attendue au plus tard le {} (date indiquée dans le courrier).",
        due_fr(Some(due)),
    )
}

/// A reminder sent: the clock runs on to the date it states.
pub fn reminded(on: NaiveDate, clock: Clock, due: NaiveDate) -> String {
    format!(
        "Relance envoyée le {} ({}) : nouvelle échéance le {} (date indiquée dans la relance).",
        format_fr(on),
        clock.label(),
        due_fr(Some(due))
    )
}

/// The overrun justified once its reason is recorded and both letters sent (`sent`: each
/// letter with where it stands).
pub fn overrun_justified(on: NaiveDate, sent: &[String]) -> String {
    format!("Dépassement du délai global justifié le {} : motif enregistré ; {}.", format_fr(on), sent.join(" ; "))
}

/// A letter generated and archived: « Courrier généré : … (modèle v2), recommandé n° … — fichier
/// …, SHA-256 … ».
pub fn letter_generated(label: &str, version: i64, number: Option<&str>, file: &str, sha256: &str) -> String {
    let number = number.map(|n| format!(", recommandé n° {}", spaced_registered(n))).unwrap_or_default();
    format!("Courrier généré : {label} (modèle v{version}){number} — fichier {file}, SHA-256 {sha256}.")
}

/// A letter marked sent: « Courrier « … » envoyé le … en recommandé avec AR n° … ».
pub fn letter_sent(label: &str, on: NaiveDate, how: &str) -> String {
    format!("Courrier « {label} » envoyé le {} {how}.", format_fr(on))
}

/// The returned AR card of a registered letter.
pub fn ar_returned(on: NaiveDate) -> String {
    format!("Avis de réception du recommandé retourné, signé le {}.", format_fr(on))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn a_sending_reads_the_same_in_every_sentence() {
        let on = day(2026, 3, 6);
        let due = day(2026, 4, 7);
        assert_eq!(sent_by(SendMode::Registered, "1A 123"), "en recommandé avec AR n° 1A 123");
        let s = firm_informed_by_letter(
            "Information du qualifié",
            Informed::Sent { mode: SendMode::Registered, number: "1A 123" },
            on,
            due,
        );
        assert!(s.contains("envoyé le 06/03/2026 en recommandé avec AR n° 1A 123 ;"), "{s}");
        assert!(letter_sent("Information", on, &sent_by(SendMode::Simple, "")).ends_with("en courrier simple."));
        assert_eq!(sent_state("06/03/2026", SendMode::Registered, "1A"), "envoyé le 06/03/2026 (recommandé n° 1A)");
        assert_eq!(sent_as("06/03/2026", Some(SendMode::Registered), "1A"), "Envoyé le 06/03/2026 en recommandé n° 1A");
        assert_eq!(sent_as("06/03/2026", None, ""), "Envoyé le 06/03/2026 en courrier simple");
    }

    #[test]
    fn an_action_date_is_read_once_with_its_limits() {
        let received = day(2026, 3, 2);
        let today = day(2026, 3, 10);
        assert_eq!(action_date("05/03/2026", received, today), Ok(day(2026, 3, 5)));
        assert_eq!(action_date("5 mars", received, today), Err(INVALID_DATE.to_owned()));
        assert!(action_date("11/03/2026", received, today).is_err_and(|e| e.contains("futur")));
        assert!(action_date("01/03/2026", received, today).is_err_and(|e| e.contains("02/03/2026")));
    }
}
