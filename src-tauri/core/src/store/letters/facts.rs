//! What a letter quotes from the register: its merge values, its recipient's postal lines (or
//! email address) and its signatory, for a complaint and a letter kind.
//!
//! Decisions are read from the `decisions` history (schema 2), the old complaint columns only
//! when a file has no row. Who signs a decision letter follows who decided:
//! - `qualification_manager` → the Responsable des Qualifications;
//! - `certification_manager` → the Responsable des Certifications;
//! - `investigator` → the complaint's Responsable, who passed the file to the instructeur (the
//!   `decideur` field then reads « l'instructeur désigné par le Responsable des … »);
//! - `appeals_committee` → the Déléguée Générale, « pour la commission de recours » (the
//!   committee has no signatory of its own in the settings);
//! - `unknown` (files decided before schema 2) → the complaint's Responsable.
//!
//! The reasons quoted are those written for the letter's recipient: the complainant's letters
//! never carry `reasons_firm`, the firm's never `reasons_complainant`.

use crate::deadlines;
use crate::error::{Error, Result};
use crate::french::format_fr_long;
use crate::letters::kinds::{LetterKind, Recipient, Signatory};
use crate::letters::merge::{agreement, MergeValues, FIRM_AGREEMENT};
use crate::letters::typography;
use crate::model::{Channel, Civility};
use crate::procedure::wording::FIRM_ANSWER_RECEIVED;
use crate::procedure::{CommitteeOutcome, Decision, Manager};
use crate::store::clocks::{self, Clock};
use crate::store::complaints::ComplaintDetail;
use crate::store::settings::{self, FirmLetterContent, Organisation};
use crate::store::{code_or_empty, corrupt_row, firms};
use crate::validate::parse_date;
use chrono::{Days, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};

/// What a letter is made of before it becomes a PDF.
pub(super) struct Facts {
    pub values: MergeValues,
    pub recipient: Vec<String>,
    pub reference: String,
    pub signatory_name: String,
    pub signatory_title: String,
    /// The letters' footer line: the register's digest of the day (`store::digest`).
    pub register_digest: String,
}

pub(super) fn civility_name(civility: Option<Civility>, name: &str) -> String {
    match civility {
        Some(c) => format!("{} {name}", c.label()),
        None => name.to_owned(),
    }
}

/// A stored ISO date as letters write it (« 2 mars 2026 »); empty when there is none.
pub(super) fn long(iso: &str) -> String {
    parse_date(iso).map(format_fr_long).unwrap_or_default()
}

/// Who signs a letter of `kind`: the Déléguée Générale, or the manager the complaint went to.
pub(super) fn signatory(org: &Organisation, who: Signatory, manager: Option<Manager>) -> (String, String) {
    match (who, manager) {
        (Signatory::GeneralDelegate, _) => (org.general_delegate_name.clone(), org.general_delegate_title.clone()),
        (Signatory::Manager, Some(Manager::Certification)) => {
            (org.certification_manager_name.clone(), org.certification_manager_title.clone())
        }
        (Signatory::Manager, _) => (org.qualification_manager_name.clone(), org.qualification_manager_title.clone()),
    }
}

fn postal(lines: &[String], whose: &str) -> Result<Vec<String>> {
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    typography::postal_address(&refs).map_err(|e| Error::refused(format!("Adresse {whose} : {e}")))
}

/// « 1 mois », « 6 mois ».
fn months(n: u32) -> String {
    format!("{n} mois")
}

/// « 1 an », « 5 ans ».
fn years(n: u32) -> String {
    if n == 1 {
        "1 an".to_owned()
    } else {
        format!("{n} ans")
    }
}

/// What the workflow recorded on the complaint row that letters quote (the decisions' old
/// columns are only the fallback of [`decisions`]).
struct Outcome {
    manager: Option<Manager>,
    reason: String,
    info: String,
    justification: String,
    reply_by_email: bool,
    overrun_expected_on: Option<String>,
    legacy_decision: Option<Decision>,
    legacy_decided_on: Option<String>,
    legacy_outcome: Option<CommitteeOutcome>,
    legacy_scope: String,
    legacy_committee_on: Option<String>,
    legacy_committee_reasons: String,
    investigator_id: Option<i64>,
    expert_id: Option<i64>,
    expert_mission: String,
    expert_appointed_on: Option<String>,
    committee_hearing_on: Option<String>,
}

fn outcome(conn: &Connection, id: i64) -> Result<Outcome> {
    conn.query_row(
        "SELECT manager, inadmissible_reason, information_request, overrun_justification, reply_by_email,
                overrun_expected_on, decision, decided_on, committee_outcome, committee_scope, committee_on,
                committee_reasons, investigator_id, expert_id, expert_mission, expert_appointed_on,
                committee_hearing_on
         FROM complaints WHERE id = ?1",
        params![id],
        |r| {
            Ok(Outcome {
                manager: code_or_empty(r, 0)?,
                reason: r.get(1)?,
                info: r.get(2)?,
                justification: r.get(3)?,
                reply_by_email: r.get(4)?,
                overrun_expected_on: r.get(5)?,
                legacy_decision: code_or_empty(r, 6)?,
                legacy_decided_on: r.get(7)?,
                legacy_outcome: code_or_empty(r, 8)?,
                legacy_scope: r.get(9)?,
                legacy_committee_on: r.get(10)?,
                legacy_committee_reasons: r.get(11)?,
                investigator_id: r.get(12)?,
                expert_id: r.get(13)?,
                expert_mission: r.get(14)?,
                expert_appointed_on: r.get(15)?,
                committee_hearing_on: r.get(16)?,
            })
        },
    )
    .map_err(corrupt_row("complaints", id))
}

/// Who decided, as the `decisions` table codes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decider {
    QualificationManager,
    CertificationManager,
    Investigator,
    AppealsCommittee,
    Unknown,
}

impl Decider {
    fn from_code(code: &str) -> Decider {
        match code {
            "qualification_manager" => Decider::QualificationManager,
            "certification_manager" => Decider::CertificationManager,
            "investigator" => Decider::Investigator,
            "appeals_committee" => Decider::AppealsCommittee,
            _ => Decider::Unknown,
        }
    }
}

/// One decision as a letter quotes it.
struct DecisionFacts {
    kind: String,
    decider: Decider,
    decided_on: String,
    reasons_complainant: String,
    reasons_firm: String,
    scope: String,
}

impl DecisionFacts {
    /// The reasons written for `recipient`; none for anybody else.
    fn reasons_for(&self, recipient: Recipient) -> String {
        match recipient {
            Recipient::Complainant | Recipient::Contact => self.reasons_complainant.clone(),
            Recipient::Firm => self.reasons_firm.clone(),
            Recipient::Investigator | Recipient::Expert => String::new(),
        }
    }
}

/// The latest decision of the committee (`committee`) or of anybody else; among the latter,
/// one of kind `prefer` first (the decision a decision letter announces).
fn latest_decision(conn: &Connection, id: i64, committee: bool, prefer: Option<&str>) -> Result<Option<DecisionFacts>> {
    Ok(conn
        .query_row(
            "SELECT kind, decided_by, decided_on, reasons_complainant, reasons_firm, scope FROM decisions
             WHERE complaint_id = ?1 AND (decided_by = 'appeals_committee') = ?2
             ORDER BY coalesce(kind = ?3, 0) DESC, seq DESC LIMIT 1",
            params![id, committee, prefer],
            |r| {
                Ok(DecisionFacts {
                    kind: r.get(0)?,
                    decider: Decider::from_code(&r.get::<_, String>(1)?),
                    decided_on: r.get(2)?,
                    reasons_complainant: r.get(3)?,
                    reasons_firm: r.get(4)?,
                    scope: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// The decision and the committee's outcome a letter quotes: the history, or the complaint's
/// old columns (one reasons text, then given to both parties) for a file without a row.
fn decisions(
    conn: &Connection,
    c: &ComplaintDetail,
    o: &Outcome,
    kind: LetterKind,
) -> Result<(Option<DecisionFacts>, Option<DecisionFacts>)> {
    let announced = decision_of(kind).map(Decision::code);
    let decision = match latest_decision(conn, c.id, false, announced)? {
        Some(d) => Some(d),
        None => o.legacy_decision.map(|d| DecisionFacts {
            kind: d.code().to_owned(),
            decider: Decider::Unknown,
            decided_on: o.legacy_decided_on.clone().unwrap_or_default(),
            reasons_complainant: c.decision_reasons.clone(),
            reasons_firm: c.decision_reasons.clone(),
            scope: String::new(),
        }),
    };
    let committee = match latest_decision(conn, c.id, true, None)? {
        Some(d) => Some(d),
        None => o.legacy_outcome.map(|x| DecisionFacts {
            kind: x.code().to_owned(),
            decider: Decider::AppealsCommittee,
            decided_on: o.legacy_committee_on.clone().or_else(|| o.legacy_decided_on.clone()).unwrap_or_default(),
            reasons_complainant: o.legacy_committee_reasons.clone(),
            reasons_firm: o.legacy_committee_reasons.clone(),
            scope: o.legacy_scope.clone(),
        }),
    };
    Ok((decision, committee))
}

/// The decision a decision letter announces.
fn decision_of(kind: LetterKind) -> Option<Decision> {
    Decision::ALL.iter().copied().find(|d| LetterKind::for_decision(*d).contains(&kind))
}

/// The Responsable of the complaint: the one it was passed to, else the one the firm's status
/// on the date of receipt calls for.
fn responsable(conn: &Connection, c: &ComplaintDetail, manager: Option<Manager>) -> Result<Manager> {
    if let Some(m) = manager {
        return Ok(m);
    }
    let Some(received) = parse_date(&c.received_on) else {
        return Ok(Manager::Qualification);
    };
    let scope = firms::scope_on(conn, c.firm.id, received)?;
    Ok(Manager::from_code(scope.proposed_manager).unwrap_or(Manager::Qualification))
}

/// The day the current firm's answer was received, if it was: the journal's entry « Réponse du
/// qualifié reçue le … » (the event itself: a late answer, recorded after a decision taken
/// without waiting, keeps its own day, while its clock keeps the day it was stopped), else its
/// clock stopped as answered (files without that entry). After a correction of the firm, only
/// answers received since count: the old firm's answer is not the new one's. With `by` (a
/// decision's day), only an answer received by then: a decision letter never says it analysed an
/// answer that came after.
fn firm_answered_on(conn: &Connection, id: i64, by: Option<&str>) -> Result<Option<String>> {
    let corrected: Option<String> =
        conn.query_row("SELECT firm_corrected_on FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?;
    let by_journal: Option<String> = conn
        .query_row(
            "SELECT occurred_on FROM journal
             WHERE complaint_id = ?1 AND substr(summary, 1, length(?4)) = ?4 AND (?2 IS NULL OR occurred_on >= ?2)
               AND (?3 IS NULL OR occurred_on <= ?3)
             ORDER BY seq DESC LIMIT 1",
            params![id, corrected, by, FIRM_ANSWER_RECEIVED],
            |r| r.get(0),
        )
        .optional()?;
    let journalled: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM journal WHERE complaint_id = ?1 AND substr(summary, 1, length(?2)) = ?2)",
        params![id, FIRM_ANSWER_RECEIVED],
        |r| r.get(0),
    )?;
    if by_journal.is_some() || journalled {
        return Ok(by_journal);
    }
    Ok(conn
        .query_row(
            "SELECT stopped_on FROM deadlines
             WHERE complaint_id = ?1 AND clock = ?2 AND stop_reason = 'answered' AND stopped_on IS NOT NULL
               AND (?3 IS NULL OR stopped_on >= ?3) AND (?4 IS NULL OR stopped_on <= ?4)
             ORDER BY id DESC LIMIT 1",
            params![id, Clock::FirmAnswer, corrected, by],
            |r| r.get(0),
        )
        .optional()?)
}

/// The received documents of a complaint (scans, emails), oldest first: (id, file).
pub(super) fn received_documents(conn: &Connection, id: i64) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, relative_path FROM documents WHERE complaint_id = ?1 AND direction = 'in' ORDER BY id",
    )?;
    let rows = stmt.query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The answer date the firm's information letter states: the due date of the current firm's
/// clock started by its information (not a reminder's, see [`clocks::event_dates`]) when one
/// was started, else one answer period from `today` (the lead's clock, started when the letter
/// is sent, keeps the date the letter stated).
pub(super) fn stated_firm_due(conn: &Connection, id: i64, today: NaiveDate) -> Result<NaiveDate> {
    if let Some(due) = clocks::event_dates(conn, id, Clock::FirmAnswer)?.and_then(|(_, due)| parse_date(&due)) {
        return Ok(due);
    }
    Ok(deadlines::deadline(today, settings::deadlines(conn)?.firm_months).due)
}

/// An instructeur or an expert of the register, as a letter addresses them.
#[derive(Debug, Clone)]
pub(super) struct Party {
    /// `investigator` or `expert`.
    kind: String,
    civility: Option<Civility>,
    name: String,
    lines: Vec<String>,
    postcode: String,
    city: String,
}

impl Party {
    fn full_name(&self) -> String {
        civility_name(self.civility, &self.name)
    }

    /// « instructeur », « expert ».
    fn role(&self) -> &'static str {
        if self.kind == "expert" {
            "expert"
        } else {
            "instructeur"
        }
    }

    /// The postal block, the « formule d'appel », the name and the agreement; refused when the
    /// address is incomplete.
    fn block(&self) -> Result<Addressed> {
        if self.lines.is_empty() || self.postcode.trim().is_empty() || self.city.trim().is_empty() {
            return Err(Error::refused(format!(
                "{} n'a pas d'adresse postale complète dans le registre des intervenants : complétez sa fiche avant d'éditer ce courrier.",
                self.full_name()
            )));
        }
        let mut lines = vec![self.full_name()];
        lines.extend(self.lines.iter().cloned());
        lines.push(format!("{} {}", self.postcode.trim(), self.city.trim()));
        let whose = if self.kind == "expert" { "de l'expert" } else { "de l'instructeur" };
        let appel = self.civility.map_or("Madame, Monsieur", Civility::label).to_owned();
        Ok((postal(&lines, whose)?, appel, self.full_name(), agreement(self.civility)))
    }
}

/// An intervenant of the register (`intervenants` table), read here directly so that letters
/// depend only on the table; `None` when there is no such row.
pub(super) fn intervenant(conn: &Connection, id: i64) -> Result<Option<Party>> {
    match crate::store::intervenants::get(conn, id) {
        Ok(i) => Ok(Some(Party {
            kind: i.kind.code().to_owned(),
            civility: i.civility,
            name: i.name.trim().to_owned(),
            lines: i.address.lines.iter().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect(),
            postcode: i.address.postcode,
            city: i.address.city,
        })),
        Err(Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The parties a letter may be addressed to besides the complainant and the firm.
struct Parties {
    investigator: Option<Party>,
    expert: Option<Party>,
    /// The person a declaration form names.
    named: Option<Party>,
}

/// A letter's recipient: the postal lines, the « formule d'appel », the name, and the agreement
/// of the participles that refer to them (`{{e}}`).
type Addressed = (Vec<String>, String, String, &'static str);

/// The recipient's lines, the « formule d'appel », the recipient's name and agreement. A firm
/// is a company, « le qualifié »: its participles are masculine (`{{e}}` is empty).
fn recipient(
    c: &ComplaintDetail,
    kind: LetterKind,
    org: &Organisation,
    reply_by_email: bool,
    parties: &Parties,
) -> Result<Addressed> {
    let p = &c.complainant;
    if kind == LetterKind::ConflictDeclaration {
        // The form goes to the person it names, else the file's instructeur, else its expert.
        let person = parties.named.as_ref().or(parties.investigator.as_ref()).or(parties.expert.as_ref());
        return match person {
            Some(person) => person.block(),
            None => Err(Error::refused(
                "Choisissez l'instructeur ou l'expert du registre à qui adresser le formulaire de déclaration.",
            )),
        };
    }
    Ok(match kind.recipient() {
        Recipient::Complainant | Recipient::Contact => {
            let complainant_name = civility_name(p.civility, &p.name);
            let mut lines = vec![complainant_name.clone()];
            if !p.organisation.is_empty() {
                lines.push(p.organisation.clone());
            }
            let appel = p.civility.map_or("Madame, Monsieur", Civility::label).to_owned();
            if !p.address.is_complete() {
                // Answered by email (§ 5.1: the complaint came by email): the letter is sent
                // as an attachment, its address block says so.
                if reply_by_email && !p.email.trim().is_empty() {
                    lines.push(format!("Par courriel : {}", p.email.trim()));
                    return Ok((lines, appel, complainant_name, agreement(p.civility)));
                }
                return Err(Error::refused(
                    "Le plaignant n'a pas d'adresse postale complète : complétez-la avant d'éditer ce courrier.",
                ));
            }
            lines.extend(p.address.lines.iter().cloned());
            lines.push(format!("{} {}", p.address.postcode, p.address.city));
            (postal(&lines, "du plaignant")?, appel, complainant_name, agreement(p.civility))
        }
        Recipient::Firm => {
            let f = &c.firm;
            if !f.address.is_complete() {
                return Err(Error::refused(
                    "Le qualifié n'a pas d'adresse postale complète : complétez sa fiche avant d'éditer ce courrier.",
                ));
            }
            let mut lines = vec![f.name.clone()];
            lines.extend(f.address.lines.iter().cloned());
            lines.push(format!("{} {}", f.address.postcode, f.address.city));
            (postal(&lines, "du qualifié")?, "Madame, Monsieur".to_owned(), f.name.clone(), FIRM_AGREEMENT)
        }
        // The transmission letter addressed to the instructeur chosen for it (the file has none yet).
        Recipient::Investigator if parties.named.is_some() => {
            parties.named.as_ref().map(Party::block).transpose()?.unwrap_or_default()
        }
        Recipient::Investigator if parties.investigator.is_some() => {
            parties.investigator.as_ref().map(Party::block).transpose()?.unwrap_or_default()
        }
        Recipient::Investigator => {
            // A file passed before the register (only the name typed): the investigator is
            // reached through the organisation's own address.
            let mut lines = vec![c.investigator.clone(), format!("c/o {}", org.name)];
            lines.extend(org.address_lines.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned));
            lines.push(format!("{} {}", org.postcode, org.city));
            (
                postal(&lines, "de l'instructeur")?,
                "Madame, Monsieur".to_owned(),
                c.investigator.clone(),
                agreement(None),
            )
        }
        Recipient::Expert => match &parties.expert {
            Some(expert) => expert.block()?,
            None => return Err(Error::refused("Aucun expert n'est désigné pour ce dossier.")),
        },
    })
}

/// « le Responsable des Qualifications », « l'instructeur désigné par le Responsable des … ».
fn decider_phrase(decider: Decider, manager: Manager) -> String {
    match decider {
        Decider::QualificationManager => format!("le {}", Manager::Qualification.label()),
        Decider::CertificationManager => format!("le {}", Manager::Certification.label()),
        Decider::Investigator => format!("l'instructeur désigné par le {}", manager.label()),
        Decider::AppealsCommittee => "la commission de recours".to_owned(),
        Decider::Unknown => format!("le {}", manager.label()),
    }
}

/// The new answer date a reminder gives: the reminder's days from `today` (Paramètres), rolled
/// to a working day. The same for every reminder; `generate` stores it as the letter's date.
pub(super) fn reminder_due(conn: &Connection, today: NaiveDate) -> Result<NaiveDate> {
    let days = settings::letters(conn)?.reminder_days;
    Ok(deadlines::roll_to_working_day(today.checked_add_days(Days::new(u64::from(days))).unwrap_or(today)))
}

/// Whether a letter kind is a reminder (it states a new answer date).
pub(super) fn is_reminder(kind: LetterKind) -> bool {
    matches!(
        kind,
        LetterKind::FirmReminder
            | LetterKind::InvestigatorReminder
            | LetterKind::ExpertReminder
            | LetterKind::ComplainantReminder
    )
}

/// The documents received for a complaint, as an enclosures list: « - Réclamation.pdf, reçu
/// le 2 mars 2026 », one line each, oldest first; empty when there is none. The day is the one
/// of the journal's entry that recorded the document (the answer it came with), else the day it
/// was filed.
fn enclosures(conn: &Connection, id: i64) -> Result<String> {
    let mut stmt = conn.prepare_cached(
        "SELECT original_name, relative_path,
                coalesce((SELECT min(occurred_on) FROM journal j WHERE j.complaint_id = ?1 AND j.document_id = d.id),
                         substr(created_at, 1, 10))
         FROM documents d
         WHERE complaint_id = ?1 AND direction = 'in' ORDER BY created_at, id",
    )?;
    let rows = stmt
        .query_map(params![id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let lines: Vec<String> = rows
        .into_iter()
        .map(|(name, path, on)| {
            let name = if name.trim().is_empty() {
                path.rsplit('/').next().unwrap_or_default().to_owned()
            } else {
                name.trim().to_owned()
            };
            format!("- {name}, reçu le {}", long(&on))
        })
        .collect();
    Ok(join_list(&lines))
}

/// « - a ;\n- b. »: list lines joined as the letters print them.
fn join_list(lines: &[String]) -> String {
    match lines.split_last() {
        None => String::new(),
        Some((last, rest)) => {
            let mut out: Vec<String> = rest.iter().map(|l| format!("{l} ;")).collect();
            out.push(format!("{last}."));
            out.join("\n")
        }
    }
}

/// The committee's outcome for each qualification of its latest decision, one line each:
/// « - 2.1 Économie de la construction : maintenue, sans suspension ni retrait »,
/// « - … : suspendue du 1er juin 2026 au 30 novembre 2026 », « - … : retirée à compter du … ».
/// « Maintenue » means the committee pronounced neither suspension nor withdrawal on that
/// qualification: it stays valid without interruption (what the committee said otherwise is
/// in its reasons). Empty for a file without rows in `committee_outcomes`.
fn outcomes_by_qualification(conn: &Connection, id: i64) -> Result<String> {
    let mut stmt = conn.prepare_cached(
        "SELECT q.reference, q.label, o.outcome, coalesce(o.from_on, ''), coalesce(o.until_on, '')
         FROM committee_outcomes o JOIN firm_qualifications q ON q.id = o.qualification_id
         WHERE o.complaint_id = ?1 AND o.decision_id = (
             SELECT id FROM decisions WHERE complaint_id = ?1 AND decided_by = 'appeals_committee'
             ORDER BY seq DESC LIMIT 1)
         ORDER BY q.reference, o.id",
    )?;
    let rows = stmt
        .query_map(params![id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let lines: Vec<String> = rows
        .into_iter()
        .map(|(reference, label, outcome, from, until)| {
            let name = if label.trim().is_empty() { reference } else { format!("{reference} {}", label.trim()) };
            let what = match outcome.as_str() {
                "suspended" => format!("suspendue du {} au {}", long(&from), long(&until)),
                "withdrawn" => format!("retirée à compter du {}", long(&from)),
                _ => "maintenue, sans suspension ni retrait".to_owned(),
            };
            format!("- {name} : {what}")
        })
        .collect();
    Ok(join_list(&lines))
}

/// The qualifications the committee is to examine: the scope of the referral decision when
/// one was typed, else the firm's qualifications and certifications not withdrawn.
fn qualifications_concerned(conn: &Connection, c: &ComplaintDetail) -> Result<String> {
    let typed: Option<String> = conn
        .query_row(
            "SELECT scope FROM decisions WHERE complaint_id = ?1 AND kind = 'appeals_committee'
               AND decided_by <> 'appeals_committee' AND trim(scope) <> '' ORDER BY seq DESC LIMIT 1",
            params![c.id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(scope) = typed {
        return Ok(scope.trim().to_owned());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT reference, label FROM firm_qualifications WHERE firm_id = ?1 AND status <> 'withdrawn'
         ORDER BY reference",
    )?;
    let names = stmt
        .query_map(params![c.firm.id], |r| {
            let (reference, label): (String, String) = (r.get(0)?, r.get(1)?);
            Ok(if label.trim().is_empty() { reference } else { format!("{reference} {}", label.trim()) })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names.join(", "))
}

/// Gathers the merge values and the recipient of `kind` for a complaint.
pub(super) fn facts(conn: &Connection, c: &ComplaintDetail, kind: LetterKind, today: NaiveDate) -> Result<Facts> {
    facts_for(conn, c, kind, today, None)
}

/// [`facts`], the declaration form addressed to the intervenant `person` of the register.
pub(super) fn facts_for(
    conn: &Connection,
    c: &ComplaintDetail,
    kind: LetterKind,
    today: NaiveDate,
    person: Option<i64>,
) -> Result<Facts> {
    let org = settings::organisation(conn)?;
    let durations = settings::deadlines(conn)?;
    let letter_settings = settings::letters(conn)?;
    let o = outcome(conn, c.id)?;
    let manager = responsable(conn, c, o.manager)?;
    let named = match person {
        Some(id) => Some(
            intervenant(conn, id)?
                .ok_or_else(|| Error::field("intervenant_id", "Cet intervenant n'existe pas dans le registre."))?,
        ),
        None => None,
    };
    let parties = Parties {
        investigator: o.investigator_id.map(|id| intervenant(conn, id)).transpose()?.flatten(),
        expert: o.expert_id.map(|id| intervenant(conn, id)).transpose()?.flatten(),
        named,
    };
    let (recipient, appel, recipient_name, recipient_agreement) = recipient(c, kind, &org, o.reply_by_email, &parties)?;
    let to = kind.recipient();

    // The firm's information letter: the facts quoted, or the complaint enclosed.
    let enclosure =
        kind == LetterKind::FirmNotification && letter_settings.firm_letter_content == FirmLetterContent::Enclosure;
    if enclosure && received_documents(conn, c.id)?.is_empty() {
        return Err(Error::refused(
            "Le courrier au qualifié doit joindre la copie de la réclamation (Paramètres) : joignez d'abord au dossier la réclamation reçue (scan ou courriel).",
        ));
    }

    let missing = c.missing_elements.iter().map(|m| format!("- {m} ;")).collect::<Vec<_>>().join("\n");
    let missing = missing.strip_suffix(" ;").map(|m| format!("{m}.")).unwrap_or(missing);
    // Every date a letter quotes is the one of the event it names: the clocks started by their
    // own event, never the restart of a reminder (whose new date is `nouvelle_echeance`).
    let overall = clocks::latest_dates(conn, c.id, Clock::Overall)?;
    let firm = clocks::event_dates(conn, c.id, Clock::FirmAnswer)?;
    let investigator = clocks::event_dates(conn, c.id, Clock::InvestigatorAnswer)?;
    let details_asked = clocks::event_dates(conn, c.id, Clock::ComplainantDetails)?;
    let info_asked = clocks::event_dates(conn, c.id, Clock::ComplainantInfo)?;
    // The request for information quotes its own clock; the other letters the précisions'.
    // The reminder to the complainant, the request it reminds: the one awaited (as
    // `workflow::reminded` chooses it), else the latest of the two.
    let complainant = if kind == LetterKind::InformationRequest {
        info_asked.clone().or(details_asked.clone())
    } else if kind == LetterKind::ComplainantReminder {
        if clocks::is_running(conn, c.id, Clock::ComplainantInfo)? && info_asked.is_some() {
            info_asked.clone()
        } else if clocks::is_running(conn, c.id, Clock::ComplainantDetails)? && details_asked.is_some() {
            details_asked.clone()
        } else {
            match (&details_asked, &info_asked) {
                (Some(d), Some(i)) => Some(if i.0 >= d.0 { i.clone() } else { d.clone() }),
                (d, i) => d.clone().or(i.clone()),
            }
        }
    } else {
        details_asked.clone().or(info_asked.clone())
    };
    let complainant_asked_on = complainant.as_ref().map(|(start, _)| long(start)).unwrap_or_default();
    // Before the request is recorded, the answer is asked for within the usual duration from today.
    let complainant_due = match complainant {
        Some((_, due)) => long(&due),
        None => format_fr_long(deadlines::deadline(today, durations.complainant_months).due),
    };
    let reminder = reminder_due(conn, today)?;
    let expert_clock = clocks::event_dates(conn, c.id, Clock::ExpertReport)?;
    let expert_due = match &expert_clock {
        Some((_, due)) => long(due),
        None if parties.expert.is_some() => {
            let from = o.expert_appointed_on.as_deref().and_then(parse_date).unwrap_or(today);
            format_fr_long(deadlines::deadline(from, durations.expert_months).due)
        }
        None => String::new(),
    };

    let (decision, committee) = decisions(conn, c, &o, kind)?;
    let is_decision_letter = decision_of(kind).is_some();
    // A decision letter speaks of the firm's answer only when it came before the decision.
    let answered_by = decision
        .as_ref()
        .filter(|d| is_decision_letter && !d.decided_on.trim().is_empty())
        .map(|d| d.decided_on.clone());
    // The committee's letters are signed for it by the Déléguée Générale.
    let is_outcome_letter = matches!(
        kind,
        LetterKind::CommitteeOutcomeComplainant | LetterKind::CommitteeOutcomeFirm | LetterKind::CommitteeConvocation
    );
    let (signatory_name, signatory_title) = if is_outcome_letter {
        let (name, title) = signatory(&org, Signatory::GeneralDelegate, None);
        (name, format!("{title}, pour la commission de recours"))
    } else if is_decision_letter {
        let who = match decision.as_ref().map(|d| d.decider) {
            Some(Decider::QualificationManager) => Manager::Qualification,
            Some(Decider::CertificationManager) => Manager::Certification,
            _ => manager,
        };
        signatory(&org, Signatory::Manager, Some(who))
    } else {
        signatory(&org, kind.signatory(), Some(manager))
    };

    let values = MergeValues {
        reference: c.reference.clone(),
        date_reception: long(&c.received_on),
        date_lettre: format_fr_long(today),
        appel,
        e: recipient_agreement.to_owned(),
        e_expert: parties.expert.as_ref().map_or("", |p| agreement(p.civility)).to_owned(),
        plaignant: civility_name(c.complainant.civility, &c.complainant.name),
        qualifie: c.firm.name.clone(),
        numero_qualifie: c.firm.number.clone(),
        destinataire: recipient_name,
        faits: c.facts.trim().to_owned(),
        natures: c.nature_labels.iter().map(|l| l.to_lowercase()).collect::<Vec<_>>().join(", "),
        actions_menees: c.actions_taken.trim().to_owned(),
        canal_courriel: if c.channel == Channel::Email { "courriel".to_owned() } else { String::new() },
        elements_manquants: missing,
        date_demande_precisions: details_asked.map(|(start, _)| long(&start)).unwrap_or_default(),
        echeance_globale: overall.map(|(_, due)| long(&due)).unwrap_or_default(),
        delai_global: months(durations.overall_months),
        delai_qualifie: months(durations.firm_months),
        delai_instructeur: months(durations.investigator_months),
        delai_plaignant: months(durations.complainant_months),
        duree_conservation: years(durations.retention_years),
        echeance_plaignant: complainant_due,
        echeance_qualifie: format_fr_long(stated_firm_due(conn, c.id, today)?),
        date_information_qualifie: firm.as_ref().map(|(start, _)| long(start)).unwrap_or_default(),
        reponse_qualifie: firm_answered_on(conn, c.id, answered_by.as_deref())?
            .as_deref()
            .map(long)
            .unwrap_or_default(),
        nouvelle_echeance: format_fr_long(reminder),
        pieces_jointes: if enclosure {
            format!("copie de la réclamation reçue le {}", long(&c.received_on))
        } else if matches!(kind, LetterKind::InvestigatorTransmission | LetterKind::ExpertMission) {
            // The complaint and the firm's answer, as received: every document of the file.
            enclosures(conn, c.id)?
        } else {
            String::new()
        },
        echeance_instructeur: match (&investigator, &parties.named) {
            (Some((_, due)), _) => long(due),
            // Addressed to the instructeur chosen: the date his clock will keep when it is sent.
            (None, Some(_)) if kind == LetterKind::InvestigatorTransmission => {
                format_fr_long(deadlines::deadline(today, durations.investigator_months).due)
            }
            (None, _) => String::new(),
        },
        instructeur: parties
            .named
            .as_ref()
            .filter(|_| kind == LetterKind::InvestigatorTransmission)
            .or(parties.investigator.as_ref())
            .map(Party::full_name)
            .unwrap_or_else(|| c.investigator.clone()),
        date_transmission_instructeur: investigator.as_ref().map(|(start, _)| long(start)).unwrap_or_default(),
        expert: parties.expert.as_ref().map(Party::full_name).unwrap_or_default(),
        mission_expert: o.expert_mission.trim().to_owned(),
        date_designation_expert: o.expert_appointed_on.as_deref().map(long).unwrap_or_default(),
        delai_expert: months(durations.expert_months),
        echeance_expert: expert_due,
        date_demande_plaignant: complainant_asked_on,
        role_destinataire: if kind == LetterKind::ConflictDeclaration {
            parties
                .named
                .as_ref()
                .or(parties.investigator.as_ref())
                .or(parties.expert.as_ref())
                .map(|p| p.role().to_owned())
                .unwrap_or_default()
        } else {
            String::new()
        },
        responsable: manager.label().to_owned(),
        motif: o.reason,
        informations_demandees: o.info,
        decision: decision
            .as_ref()
            .and_then(|d| Decision::from_code(&d.kind))
            .map(|d| d.label().to_owned())
            .unwrap_or_default(),
        date_decision: decision.as_ref().map(|d| long(&d.decided_on)).unwrap_or_default(),
        decideur: decision.as_ref().map(|d| decider_phrase(d.decider, manager)).unwrap_or_default(),
        motifs: decision.as_ref().map(|d| d.reasons_for(to)).unwrap_or_default(),
        date_commission: committee.as_ref().map(|d| long(&d.decided_on)).unwrap_or_default(),
        decision_commission: committee
            .as_ref()
            .and_then(|d| CommitteeOutcome::from_code(&d.kind))
            .map(|x| x.label().to_lowercase())
            .unwrap_or_default(),
        qualifications: committee
            .as_ref()
            .filter(|d| !d.scope.trim().is_empty())
            .map(|d| format!("({})", d.scope.trim()))
            .unwrap_or_default(),
        motifs_commission: committee.as_ref().map(|d| d.reasons_for(to)).unwrap_or_default(),
        date_seance: o.committee_hearing_on.as_deref().map(long).unwrap_or_default(),
        qualifications_concernees: qualifications_concerned(conn, c)?,
        decisions_par_qualification: outcomes_by_qualification(conn, c.id)?,
        voies_de_recours: letter_settings.committee_contest_text.trim().to_owned(),
        justification: o.justification,
        date_decision_prevue: o.overrun_expected_on.as_deref().map(long).unwrap_or_default(),
        organisation: org.name.clone(),
        adresse_organisation: org.one_line_address(),
        courriel_organisation: org.email.clone(),
        signataire: signatory_name.clone(),
        titre_signataire: signatory_title.clone(),
    };
    let register_digest = crate::store::digest::current(conn, today)?.footer();
    Ok(Facts { values, recipient, reference: c.reference.clone(), signatory_name, signatory_title, register_digest })
}

#[cfg(test)]
mod tests {
    use crate::db::open_in_memory;
    use crate::error::{Error, Result};
    use crate::letters::defaults::default_template;
    use crate::letters::kinds::LetterKind as K;
    use crate::letters::pdf::{self, layout, LetterDoc};
    use crate::store::attachments;
    use crate::store::clocks::{self, Clock};
    use crate::store::complaints::{self, tests::sample_complaint};
    use crate::store::journal::{self, JournalKind, NewEntry};
    use crate::store::letters::tests::{day, decided};
    use crate::store::letters::{compose, day_mail, generate};
    use crate::store::settings::{self, DeadlineSettings, FirmLetterContent, LetterSettings};
    use crate::test_support::{flat, fonts, pdftotext};
    use crate::validate::FirmForm;
    use rusqlite::{params, Connection};

    const TODAY: (i32, u32, u32) = (2026, 4, 30);

    fn today() -> chrono::NaiveDate {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    /// The firm's answer clock started on `start` (one month), as informing the firm does.
    fn firm_clock(conn: &Connection, id: i64, start: chrono::NaiveDate) -> Result<()> {
        clocks::start(conn, id, Clock::FirmAnswer, start, 1, false).map(|_| ())
    }

    /// A complete complaint received 02/03/2026, as the workflow leaves it (written directly, so
    /// that these tests read only what letters quote): passed to `manager`, the firm informed
    /// on 04/03/2026, its answer recorded on 20/03/2026 when `answered`, a warning decided on
    /// 20/04/2026 (the complaint's own columns: a file without a decisions row).
    fn walk(conn: &mut Connection, manager: &str, answered: bool) -> Result<i64> {
        let mut form = sample_complaint();
        form.received_on = "02/03/2026".into();
        // The sample firm, registered by the first complaint.
        if let Some(firm) = conn.query_row("SELECT min(id) FROM firms", [], |r| r.get::<_, Option<i64>>(0))? {
            form.firm_id = Some(firm);
            form.new_firm = None;
        }
        let id = complaints::register(conn, &form, day(2026, 3, 2), "S")?.id;
        firm_clock(conn, id, day(2026, 3, 4))?;
        if answered {
            conn.execute(
                "UPDATE deadlines SET stopped_on = '2026-03-20', stop_reason = 'answered'
                 WHERE complaint_id = ?1 AND clock = 'firm_answer'",
                params![id],
            )?;
        }
        conn.execute(
            "UPDATE complaints SET step = 'decided', manager = ?2, decision = 'warning', decided_on = '2026-04-20',
                                   decision_reasons = 'Métré erroné de 30 %.'
             WHERE id = ?1",
            params![id, manager],
        )?;
        Ok(id)
    }

    /// Typographic apostrophes as typed ones, blanks as single spaces: what the tests compare.
    fn plain(text: &str) -> String {
        flat(text).replace('’', "'")
    }

    /// The letter's subject and body as one flat text.
    fn words(doc: &LetterDoc) -> String {
        plain(&format!("{} {} {}", doc.subject, doc.paragraphs.join(" "), doc.closing))
    }

    fn letter(conn: &Connection, id: i64, kind: K) -> Result<String> {
        Ok(words(&compose(conn, id, kind, None, today())?))
    }

    /// The PDF text of a letter, `None` when the PDF tools are skipped.
    fn pdf_text(conn: &Connection, id: i64, kind: K) -> Result<Option<String>> {
        let doc = compose(conn, id, kind, None, today())?;
        let bytes = pdf::render(&doc, fonts()).map_err(|e| Error::field("pdf", e.to_string()))?;
        Ok(pdftotext(&bytes)?.map(|t| plain(&t)))
    }

    fn add_decision(
        conn: &Connection,
        id: i64,
        seq: i64,
        kind: &str,
        by: &str,
        reasons: (&str, &str),
        scope: &str,
    ) -> Result<()> {
        conn.execute(
            "INSERT INTO decisions (complaint_id, seq, kind, decided_by, decider_name, decided_on, reasons_complainant,
                                    reasons_firm, scope, recorded_at, author)
             VALUES (?1, ?2, ?3, ?4, '', ?5, ?6, ?7, ?8, '2026-04-21T10:00:00Z', 'S')",
            params![id, seq, kind, by, format!("2026-04-{:02}", 20 + seq), reasons.0, reasons.1, scope],
        )?;
        Ok(())
    }

    #[test]
    fn no_default_states_a_fixed_duration() {
        for kind in K::ALL {
            let (subject, body) = default_template(*kind);
            let text = format!("{subject} {body}");
            for fixed in ["six mois", "un mois", "6 mois", "1 mois", "cinq ans", "5 ans"] {
                assert!(!text.contains(fixed), "{kind:?} states « {fixed} »");
            }
        }
    }

    #[test]
    fn the_responsable_is_the_one_the_file_requires() -> Result<()> {
        let mut conn = open_in_memory()?;
        let q = walk(&mut conn, "qualification", false)?;
        assert!(letter(&conn, q, K::FirmNotification)?.contains("le Responsable des Qualifications vous demande"));
        let c = walk(&mut conn, "certification", false)?;
        let text = letter(&conn, c, K::FirmNotification)?;
        assert!(text.contains("le Responsable des Certifications vous demande"), "{text}");
        assert!(!text.contains("Qualifications"), "{text}");
        // Before the transmission, the Responsable the firm's status on the date of receipt
        // calls for: a firm that is only certified goes to Certifications.
        let mut form = sample_complaint();
        form.new_firm = Some(FirmForm {
            name: "Bureau Certifié".into(),
            address_lines: "1 rue Haute".into(),
            postcode: "75001".into(),
            city: "Paris".into(),
            is_certified: true,
            ..FirmForm::default()
        });
        let id = complaints::register(&mut conn, &form, day(2026, 11, 28), "S")?.id;
        let ar = words(&compose(&conn, id, K::Acknowledgement, None, day(2026, 11, 28))?);
        assert!(ar.contains("transmise pour analyse au Responsable des Certifications"), "{ar}");
        Ok(())
    }

    #[test]
    fn durations_come_from_the_settings() -> Result<()> {
        let mut conn = open_in_memory()?;
        let new = DeadlineSettings {
            overall_months: 8,
            flag_months: 7,
            firm_months: 2,
            retention_years: 10,
            ..DeadlineSettings::default()
        };
        settings::save_deadlines(&mut conn, &new)?;
        let id = walk(&mut conn, "qualification", false)?;
        let ar = letter(&conn, id, K::Acknowledgement)?;
        assert!(ar.contains("délai de traitement de 8 mois au plus"), "{ar}");
        assert!(ar.contains("conservées 10 ans après la clôture"), "{ar}");
        let firm = letter(&conn, id, K::FirmNotification)?;
        assert!(firm.contains("dans un délai de 2 mois"), "{firm}");
        Ok(())
    }

    #[test]
    fn the_firms_answer_is_mentioned_only_when_there_was_one() -> Result<()> {
        let mut conn = open_in_memory()?;
        let silent = walk(&mut conn, "qualification", false)?;
        let answered = walk(&mut conn, "qualification", true)?;
        let without = letter(&conn, silent, K::WarningComplainant)?;
        assert!(
            without.contains(
                "Après analyse de votre réclamation, le Responsable des Qualifications a décidé le 20 avril 2026"
            ),
            "{without}"
        );
        assert!(!without.contains("réponse du qualifié"), "{without}");
        let with = letter(&conn, answered, K::WarningComplainant)?;
        assert!(
            with.contains("Après analyse de votre réclamation et de la réponse du qualifié, le Responsable"),
            "{with}"
        );
        assert!(letter(&conn, answered, K::WarningFirm)?
            .contains("Après analyse de cette réclamation et de votre réponse,"));
        assert!(!letter(&conn, silent, K::WarningFirm)?.contains("votre réponse"));
        // A file whose clock did not record why it stopped: the journal's entry of the answer.
        let entry =
            NewEntry::simple(JournalKind::LetterIn, day(2026, 3, 25), "S", "Réponse du qualifié reçue le 25/03/2026.");
        journal::append(&conn, silent, &entry)?;
        let late = letter(&conn, silent, K::WarningComplainant)?;
        assert!(late.contains("Après analyse de votre réclamation et de la réponse du qualifié,"), "{late}");
        Ok(())
    }

    #[test]
    fn the_reasons_for_each_party_never_cross() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = walk(&mut conn, "qualification", true)?;
        add_decision(
            &conn,
            id,
            1,
            "warning",
            "qualification_manager",
            ("Motifs écrits pour la plaignante.", "Motifs écrits pour le cabinet."),
            "",
        )?;
        add_decision(
            &conn,
            id,
            2,
            "suspension",
            "appeals_committee",
            ("Avis de la commission à la plaignante.", "Avis de la commission au cabinet."),
            "2.1 Économie",
        )?;
        for (kind, own, other) in [
            (K::WarningComplainant, "Motifs écrits pour la plaignante.", "Motifs écrits pour le cabinet."),
            (K::WarningFirm, "Motifs écrits pour le cabinet.", "Motifs écrits pour la plaignante."),
            (
                K::CommitteeOutcomeComplainant,
                "Avis de la commission à la plaignante.",
                "Avis de la commission au cabinet.",
            ),
            (K::CommitteeOutcomeFirm, "Avis de la commission au cabinet.", "Avis de la commission à la plaignante."),
        ] {
            let text = letter(&conn, id, kind)?;
            assert!(text.contains(own) && !text.contains(other), "{kind:?}: {text}");
            if let Some(text) = pdf_text(&conn, id, kind)? {
                assert!(text.contains(own), "{kind:?}: {text}");
                assert!(!text.contains(other), "{kind:?}: {text}");
            }
        }
        // The old single text typed before the history is never quoted once rows exist.
        assert!(!letter(&conn, id, K::WarningComplainant)?.contains("Métré erroné de 30"));
        let outcome = letter(&conn, id, K::CommitteeOutcomeFirm)?;
        assert!(outcome.contains("Elle a décidé : suspension (2.1 Économie), pour les motifs suivants"), "{outcome}");
        Ok(())
    }

    #[test]
    fn the_signatory_and_the_decider_follow_who_decided() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut org = settings::organisation(&conn)?;
        org.general_delegate_name = "Sophie Martin".into();
        org.qualification_manager_name = "Luc Petit".into();
        org.certification_manager_name = "Anne Roy".into();
        settings::save_organisation(&conn, &org)?;
        let id = walk(&mut conn, "qualification", false)?;
        // No row: the complaint's old columns and its Responsable.
        let doc = compose(&conn, id, K::WarningFirm, None, today())?;
        assert_eq!(doc.signatory_name, "Luc Petit");
        assert!(words(&doc).contains("Métré erroné de 30"), "legacy fallback");
        add_decision(&conn, id, 1, "warning", "certification_manager", ("P", "F"), "")?;
        let doc = compose(&conn, id, K::WarningFirm, None, today())?;
        assert_eq!(
            (doc.signatory_name.as_str(), doc.signatory_title.as_str()),
            ("Anne Roy", "Le Responsable des Certifications")
        );
        assert!(words(&doc).contains("le Responsable des Certifications a décidé le 21 avril 2026"), "{}", words(&doc));
        add_decision(&conn, id, 2, "warning", "investigator", ("P", "F"), "")?;
        let doc = compose(&conn, id, K::WarningComplainant, None, today())?;
        assert_eq!(doc.signatory_name, "Luc Petit", "the Responsable who passed the file signs");
        assert!(
            words(&doc)
                .contains("l'instructeur désigné par le Responsable des Qualifications a décidé le 22 avril 2026"),
            "{}",
            words(&doc)
        );
        add_decision(&conn, id, 3, "no_sanction", "appeals_committee", ("P", "F"), "")?;
        let doc = compose(&conn, id, K::CommitteeOutcomeComplainant, None, today())?;
        assert_eq!(
            (doc.signatory_name.as_str(), doc.signatory_title.as_str()),
            ("Sophie Martin", "La Déléguée Générale, pour la commission de recours")
        );
        assert!(words(&doc).contains("Elle a décidé : aucune sanction, pour les motifs suivants"), "{}", words(&doc));
        Ok(())
    }

    #[test]
    fn a_decision_letter_quotes_the_decision_it_announces() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = walk(&mut conn, "qualification", false)?;
        add_decision(
            &conn,
            id,
            1,
            "expert",
            "qualification_manager",
            ("Expertise nécessaire.", "Expertise nécessaire (cabinet)."),
            "",
        )?;
        add_decision(
            &conn,
            id,
            2,
            "warning",
            "qualification_manager",
            ("Avertissement mérité.", "Avertissement (cabinet)."),
            "",
        )?;
        assert!(letter(&conn, id, K::ExpertComplainant)?.contains("Expertise nécessaire."));
        assert!(letter(&conn, id, K::WarningComplainant)?.contains("Avertissement mérité."));
        Ok(())
    }

    #[test]
    fn the_firm_notification_quotes_the_facts_and_states_the_answer_date() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut form = sample_complaint();
        form.received_on = "02/03/2026".into();
        form.facts = "Le métré remis le 3 septembre était faux de 30 %.\n\nLe devis a été dépassé.".into();
        let id = complaints::register(&mut conn, &form, day(2026, 3, 2), "S")?.id;
        conn.execute(
            "UPDATE complaints SET step = 'in_analysis', manager = 'qualification' WHERE id = ?1",
            params![id],
        )?;
        // No firm clock yet: the letter states one month from the day it is printed (30/04 →
        // 30/05/2026, a Saturday → Monday 1 June 2026).
        let doc = compose(&conn, id, K::FirmNotification, None, today())?;
        let text = words(&doc);
        for expected in [
            "Elle porte sur : prestations réalisées, déontologie.",
            "Le métré remis le 3 septembre était faux de 30 %.",
            "Le devis a été dépassé.",
            "Courrier au cabinet le 2 octobre, sans réponse.",
            "au plus tard le 1er juin 2026",
        ] {
            assert!(text.contains(expected), "« {expected} » missing from {text}");
        }
        assert!(!text.contains("Pièce jointe"), "{text}");
        let dir = tempfile::tempdir()?;
        let g = generate(&mut conn, dir.path(), fonts(), id, K::FirmNotification, None, today(), "S")?;
        let due: Option<String> =
            conn.query_row("SELECT due_on FROM documents WHERE id = ?1", params![g.document_id], |r| r.get(0))?;
        assert_eq!(due.as_deref(), Some("2026-06-01"), "the stated date is stored");
        if let Some(pdf) = pdftotext(&std::fs::read(&g.path)?)? {
            let pdf = plain(&pdf);
            assert!(pdf.contains("Le métré remis le 3 septembre était faux de 30"), "{pdf}");
            assert!(pdf.contains("au plus tard le 1er juin 2026"), "{pdf}");
        }
        // Another letter stores no answer date.
        let ar = generate(&mut conn, dir.path(), fonts(), id, K::Acknowledgement, None, today(), "S")?;
        let none: Option<String> =
            conn.query_row("SELECT due_on FROM documents WHERE id = ?1", params![ar.document_id], |r| r.get(0))?;
        assert_eq!(none, None);
        // Once the firm's clock runs, the letter states its due date.
        firm_clock(&conn, id, day(2026, 3, 4))?;
        assert!(letter(&conn, id, K::FirmNotification)?.contains("au plus tard le 7 avril 2026"));
        Ok(())
    }

    #[test]
    fn in_enclosure_mode_the_complaint_goes_with_the_letter_or_the_letter_is_refused() -> Result<()> {
        let mut conn = open_in_memory()?;
        settings::save_letters(
            &mut conn,
            &LetterSettings { firm_letter_content: FirmLetterContent::Enclosure, ..LetterSettings::default() },
        )?;
        let id = walk(&mut conn, "qualification", false)?;
        let dir = tempfile::tempdir()?;
        let refused = generate(&mut conn, dir.path(), fonts(), id, K::FirmNotification, None, today(), "S");
        assert!(
            matches!(&refused, Err(Error::Refused { message }) if message.contains("joignez d'abord au dossier la réclamation reçue")),
            "{refused:?}"
        );
        let scan = dir.path().join("Réclamation reçue.pdf");
        std::fs::write(&scan, b"%PDF-1.4 scan")?;
        let documents = dir.path().join("documents");
        attachments::attach(&mut conn, &documents, id, &scan, today(), "S")?;
        let g = generate(&mut conn, &documents, fonts(), id, K::FirmNotification, None, today(), "S")?;
        let doc = compose(&conn, id, K::FirmNotification, None, today())?;
        let text = words(&doc);
        assert!(text.contains("Pièce jointe : copie de la réclamation reçue le 2 mars 2026."), "{text}");
        assert!(text.contains("au plus tard le 7 avril 2026"), "{text}");
        assert!(!text.contains("Le métré remis était faux"), "the facts are enclosed, not quoted: {text}");
        if let Some(pdf) = pdftotext(&std::fs::read(&g.path)?)? {
            assert!(flat(&pdf).contains("Pièce jointe : copie de la réclamation reçue le 2 mars 2026"), "{pdf}");
        }
        // The day's mail starts with the page listing the file to print with the letter.
        let (bytes, count) = day_mail(&conn, fonts(), today())?;
        assert_eq!(count, 1);
        if let Some(pdf) = pdftotext(&bytes)? {
            let pdf = plain(&pdf);
            assert!(pdf.contains("Pièces à joindre aux courriers"), "{pdf}");
            // The long path may wrap anywhere.
            assert!(pdf.replace(' ', "").contains("REC-2026-0001/2026-04-30_recu_reclamation-recue.pdf"), "{pdf}");
        }
        Ok(())
    }

    #[test]
    fn an_email_only_complainant_is_written_to_by_email() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        conn.execute(
            "UPDATE complainants SET address_lines = '', postcode = '', city = ''
             WHERE id = (SELECT complainant_id FROM complaints WHERE id = ?1)",
            params![id],
        )?;
        let refused = compose(&conn, id, K::Acknowledgement, None, today());
        assert!(
            matches!(&refused, Err(Error::Refused { message }) if message.contains("adresse postale complète")),
            "{refused:?}"
        );
        conn.execute("UPDATE complaints SET reply_by_email = 1 WHERE id = ?1", params![id])?;
        let doc = compose(&conn, id, K::Acknowledgement, None, today())?;
        assert_eq!(doc.recipient, ["Madame Claire Lefèvre", "Par courriel : claire.lefevre@example.fr"]);
        let placed = layout(&doc, fonts());
        assert!(placed.lines.iter().any(|l| l.text == "Par courriel : claire.lefevre@example.fr" && l.x_mm > 90.0));
        // The firm still needs its postal address.
        assert!(compose(&conn, id, K::WarningFirm, None, today()).is_ok());
        Ok(())
    }

    #[test]
    fn the_reminder_gives_a_new_date_rolled_to_a_working_day() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = walk(&mut conn, "qualification", false)?;
        assert!(letter(&conn, id, K::FirmReminder)?.contains("au plus tard le 15 mai 2026"), "30/04 + 15 days");
        // 30/04 + 14 days = Thursday 14 May 2026, Ascension: the next working day.
        settings::save_letters(&mut conn, &LetterSettings { reminder_days: 14, ..LetterSettings::default() })?;
        let text = letter(&conn, id, K::FirmReminder)?;
        assert!(text.contains("Le 4 mars 2026, nous vous avons informé"), "{text}");
        assert!(text.contains("nous l'adresser au plus tard le 15 mai 2026"), "{text}");
        Ok(())
    }

    #[test]
    fn overrun_letters_give_the_expected_decision_date_when_set() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = walk(&mut conn, "qualification", false)?;
        conn.execute("UPDATE complaints SET overrun_justification = 'Expertise longue.' WHERE id = ?1", params![id])?;
        assert!(!letter(&conn, id, K::OverrunComplainant)?.contains("devrait intervenir"));
        conn.execute("UPDATE complaints SET overrun_expected_on = '2026-10-15' WHERE id = ?1", params![id])?;
        for kind in [K::OverrunComplainant, K::OverrunFirm] {
            let text = letter(&conn, id, kind)?;
            assert!(
                text.contains("La décision devrait intervenir au plus tard le 15 octobre 2026."),
                "{kind:?}: {text}"
            );
            assert!(text.contains("dans le délai de 6 mois prévu"), "{kind:?}: {text}");
        }
        Ok(())
    }

    #[test]
    fn acknowledgements_carry_the_data_protection_notice_on_one_page() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = walk(&mut conn, "qualification", false)?;
        let mut form = sample_complaint();
        form.received_on = "30/04/2026".into();
        form.firm_id = conn.query_row("SELECT min(id) FROM firms", [], |r| r.get(0))?;
        form.new_firm = None;
        form.facts.clear();
        form.checklist.facts = false;
        let incomplete = complaints::register(&mut conn, &form, day(2026, 4, 30), "S")?.id;
        for (id, kind) in [(id, K::Acknowledgement), (incomplete, K::RequestDetails)] {
            let doc = compose(&conn, id, kind, None, today())?;
            let text = words(&doc);
            for expected in [
                "Protection des données personnelles : OPQTECC traite",
                "pour instruire votre réclamation selon sa procédure",
                "conservées 5 ans après la clôture du dossier",
                "accéder, les faire rectifier ou effacer, en demander la limitation ou vous opposer",
                "secretariat@opqtecc.org",
                "CNIL",
            ] {
                assert!(text.contains(expected), "{kind:?}: « {expected} » missing from {text}");
            }
            let placed = layout(&doc, fonts());
            assert!(placed.lines.iter().all(|l| l.page == 0), "{kind:?} fits on one page");
        }
        let email = letter(&conn, incomplete, K::RequestDetails)?;
        assert!(email.contains("ne figurent pas dans votre réclamation"), "{email}");
        Ok(())
    }

    /// An intervenant of the register, written directly.
    fn intervenant(conn: &Connection, kind: &str, civility: &str, name: &str, lines: &str) -> Result<i64> {
        conn.execute(
            "INSERT INTO intervenants (kind, civility, name, address_lines, postcode, city, created_at)
             VALUES (?1, ?2, ?3, ?4, '69003', 'Lyon', '2026-01-01T00:00:00Z')",
            params![kind, civility, name, lines],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// `walk`'s file passed to an instructeur of the register on 06/03/2026 (clock started),
    /// then an expert appointed on 10/04/2026 with a mission (clock started), in Expertise.
    fn with_parties(conn: &mut Connection) -> Result<(i64, i64, i64)> {
        let id = walk(conn, "qualification", true)?;
        let inv = intervenant(conn, "investigator", "monsieur", "Paul Bernard", "8 quai Perrache\nBâtiment B")?;
        let exp = intervenant(conn, "expert", "madame", "Jeanne Roux", "3 rue Garibaldi")?;
        conn.execute(
            "UPDATE complaints SET step = 'expertise', investigator = 'Paul Bernard', investigator_id = ?2,
                    expert_id = ?3, expert_mission = 'Vérifier le métré du lot gros œuvre.',
                    expert_appointed_on = '2026-04-10'
             WHERE id = ?1",
            params![id, inv, exp],
        )?;
        clocks::start(conn, id, Clock::InvestigatorAnswer, day(2026, 3, 6), 1, false)?;
        clocks::start(conn, id, Clock::ExpertReport, day(2026, 4, 10), 1, false)?;
        Ok((id, inv, exp))
    }

    #[test]
    fn letters_to_the_instructeur_and_the_expert_go_to_their_addresses() -> Result<()> {
        let mut conn = open_in_memory()?;
        let legacy = walk(&mut conn, "qualification", false)?;
        conn.execute("UPDATE complaints SET investigator = 'Paul Bernard' WHERE id = ?1", params![legacy])?;
        clocks::start(&conn, legacy, Clock::InvestigatorAnswer, day(2026, 3, 6), 1, false)?;
        let old = compose(&conn, legacy, K::InvestigatorTransmission, None, today())?;
        assert_eq!(old.recipient[0], "Paul Bernard");
        assert!(old.recipient[1].starts_with("c/o "), "a legacy file keeps the c/o block: {:?}", old.recipient);
        let refused = compose(&conn, legacy, K::ExpertMission, None, today());
        assert!(matches!(&refused, Err(Error::Refused { message }) if message.contains("Aucun expert")), "{refused:?}");
        let (id, _, exp) = with_parties(&mut conn)?;
        let doc = compose(&conn, id, K::InvestigatorTransmission, None, today())?;
        assert_eq!(doc.recipient[0], "Monsieur Paul Bernard");
        let block = doc.recipient.join(" | ").to_uppercase();
        assert!(block.contains("8 QUAI PERRACHE") && block.contains("69003 LYON"), "{block}");
        assert!(!block.contains("C/O"), "{block}");
        assert_eq!(doc.salutation, "Monsieur,");
        let doc = compose(&conn, id, K::ExpertMission, None, today())?;
        assert_eq!(doc.recipient[0], "Madame Jeanne Roux");
        assert!(doc.recipient.iter().all(|l| !l.starts_with("c/o")), "{:?}", doc.recipient);
        assert_eq!(doc.salutation, "Madame,");
        // An incomplete address is refused, naming the person.
        conn.execute("UPDATE intervenants SET city = '' WHERE id = ?1", params![exp])?;
        let refused = compose(&conn, id, K::ExpertReminder, None, today());
        assert!(
            matches!(&refused, Err(Error::Refused { message }) if message.contains("Madame Jeanne Roux n'a pas d'adresse postale complète")),
            "{refused:?}"
        );
        Ok(())
    }

    #[test]
    fn every_new_kind_merges_on_a_prepared_file() -> Result<()> {
        let mut conn = open_in_memory()?;
        let (id, inv, _) = with_parties(&mut conn)?;
        conn.execute(
            "UPDATE complaints SET committee_hearing_on = '2026-06-18', information_request = 'Le contrat signé.'
             WHERE id = ?1",
            params![id],
        )?;
        clocks::start(&conn, id, Clock::ComplainantInfo, day(2026, 3, 20), 1, true)?;
        let dir = tempfile::tempdir()?;
        let doc = dir.path().join("Réclamation reçue.pdf");
        std::fs::write(&doc, b"%PDF-1.4 scan")?;
        attachments::attach(&mut conn, &dir.path().join("documents"), id, &doc, today(), "S")?;
        for (kind, expected) in [
            (
                K::InvestigatorReminder,
                vec![
                    "Le 6 mars 2026, nous vous avons transmis",
                    "au plus tard le 7 avril 2026",
                    "au plus tard le 15 mai 2026",
                ],
            ),
            (
                K::ExpertReminder,
                vec![
                    "Le 10 avril 2026, nous vous avons confié une mission",
                    "au plus tard le 11 mai 2026",
                    "au plus tard le 15 mai 2026",
                ],
            ),
            (
                K::ComplainantReminder,
                vec![
                    "Nous vous avons demandé le 20 mars 2026",
                    "Le contrat signé.",
                    "au plus tard le 15 mai 2026",
                    "seuls éléments",
                ],
            ),
            (
                K::ExpertMission,
                vec![
                    "Vérifier le métré du lot gros œuvre.",
                    "dans un délai de 1 mois, soit au plus tard le 11 mai 2026",
                    "Pièces jointes :",
                    "Réclamation reçue.pdf, reçu le 30 avril 2026.",
                ],
            ),
            (
                K::ExpertInformationComplainant,
                vec![
                    "Madame Jeanne Roux a été désignée en qualité d'expert le 10 avril 2026",
                    "Vérifier le métré",
                    "au plus tard le 11 mai 2026",
                ],
            ),
            (
                K::ExpertInformationFirm,
                vec![
                    "Le 4 mars 2026, nous vous avons informé",
                    "Madame Jeanne Roux a été désignée en qualité",
                    "Vérifier le métré",
                ],
            ),
            (
                K::CommitteeConvocation,
                vec!["lors de sa séance du 18 juin 2026", "par écrit", "oralement", "observations"],
            ),
            (
                K::InvestigatorTransmission,
                vec![
                    "Pièces jointes :",
                    "Réclamation reçue.pdf, reçu le 30 avril 2026.",
                    "ainsi que la réponse du qualifié",
                ],
            ),
            (
                K::ConflictDeclaration,
                vec![
                    "Je soussigné Monsieur Paul Bernard, sollicité en qualité d'instructeur",
                    "[ ] n'avoir aucun lien d'intérêts",
                    "Signature",
                ],
            ),
        ] {
            let text = letter(&conn, id, kind)?;
            for e in expected {
                assert!(text.contains(e), "{kind:?}: « {e} » missing from {text}");
            }
        }
        // The convocation is signed for the committee.
        let conv = compose(&conn, id, K::CommitteeConvocation, None, today())?;
        assert!(conv.signatory_title.ends_with("pour la commission de recours"), "{}", conv.signatory_title);
        // The PDFs of the mission letter and the convocation.
        for (kind, expected) in [
            (K::ExpertMission, "Vérifier le métré du lot gros œuvre."),
            (K::CommitteeConvocation, "lors de sa séance du 18 juin 2026"),
        ] {
            if let Some(pdf) = pdf_text(&conn, id, kind)? {
                assert!(pdf.contains(expected), "{kind:?}: {pdf}");
            }
        }
        // The declaration form for a named expert, through its own path.
        let exp = intervenant(&conn, "expert", "", "Bureau Alpha", "1 place Bellecour")?;
        let g = super::super::generate_declaration_form(&mut conn, dir.path(), fonts(), id, exp, today(), "S")?;
        let kind: String =
            conn.query_row("SELECT kind FROM documents WHERE id = ?1", params![g.document_id], |r| r.get(0))?;
        assert_eq!(kind, "conflict_declaration");
        if let Some(pdf) = pdftotext(&std::fs::read(&g.path)?)? {
            let pdf = plain(&pdf);
            assert!(pdf.contains("Bureau Alpha, sollicité(e) en qualité d'expert"), "{pdf}");
            assert!(!pdf.contains("Paul Bernard"), "{pdf}");
        }
        let unknown = super::super::generate_declaration_form(&mut conn, dir.path(), fonts(), id, 9999, today(), "S");
        assert!(
            matches!(&unknown, Err(Error::Validation { fields }) if fields.contains_key("intervenant_id")),
            "{unknown:?}"
        );
        assert!(
            letter(&conn, id, K::ConflictDeclaration)?.contains("Monsieur Paul Bernard"),
            "instructeur {inv} by default"
        );
        Ok(())
    }

    #[test]
    fn reminders_store_the_new_date_they_state_rolled_to_a_working_day() -> Result<()> {
        let mut conn = open_in_memory()?;
        let (id, _, _) = with_parties(&mut conn)?;
        clocks::start(&conn, id, Clock::ComplainantInfo, day(2026, 3, 20), 1, true)?;
        // 30/04 + 14 days = Thursday 14 May 2026, Ascension → Friday 15 May.
        settings::save_letters(&mut conn, &LetterSettings { reminder_days: 14, ..LetterSettings::default() })?;
        let dir = tempfile::tempdir()?;
        for kind in [K::FirmReminder, K::InvestigatorReminder, K::ExpertReminder, K::ComplainantReminder] {
            assert!(letter(&conn, id, kind)?.contains("au plus tard le 15 mai 2026"), "{kind:?}");
            let g = generate(&mut conn, dir.path(), fonts(), id, kind, None, today(), "S")?;
            let due: Option<String> =
                conn.query_row("SELECT due_on FROM documents WHERE id = ?1", params![g.document_id], |r| r.get(0))?;
            assert_eq!(due.as_deref(), Some("2026-05-15"), "{kind:?}");
        }
        let other = generate(&mut conn, dir.path(), fonts(), id, K::ExpertMission, None, today(), "S")?;
        let due: Option<String> =
            conn.query_row("SELECT due_on FROM documents WHERE id = ?1", params![other.document_id], |r| r.get(0))?;
        assert_eq!(due, None);
        Ok(())
    }

    #[test]
    fn outcome_letters_state_each_qualification_and_the_contest_text_when_set() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = walk(&mut conn, "qualification", false)?;
        let firm: i64 = conn.query_row("SELECT firm_id FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?;
        let mut quals = Vec::new();
        for (reference, label) in [("2.1", "Économie de la construction"), ("3.2", "OPC"), ("C1", "Certification A")] {
            conn.execute(
                "INSERT INTO firm_qualifications (firm_id, kind, reference, label, is_rge) VALUES (?1, 'qualification', ?2, ?3, 0)",
                params![firm, reference, label],
            )?;
            quals.push(conn.last_insert_rowid());
        }
        add_decision(&conn, id, 1, "suspension", "appeals_committee", ("Avis plaignante.", "Avis cabinet."), "")?;
        let decision: i64 = conn.query_row("SELECT max(id) FROM decisions", [], |r| r.get(0))?;
        for (q, outcome, from, until) in [
            (quals[0], "maintained", None, None),
            (quals[1], "suspended", Some("2026-06-01"), Some("2026-11-30")),
            (quals[2], "withdrawn", Some("2026-06-01"), None),
        ] {
            conn.execute(
                "INSERT INTO committee_outcomes (decision_id, complaint_id, qualification_id, outcome, from_on, until_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![decision, id, q, outcome, from, until],
            )?;
        }
        for kind in [K::CommitteeOutcomeComplainant, K::CommitteeOutcomeFirm] {
            let text = letter(&conn, id, kind)?;
            for expected in [
                "Elle a décidé, pour chacune des qualifications ou certifications concernées :",
                "- 2.1 Économie de la construction : maintenue, sans suspension ni retrait ;",
                "- 3.2 OPC : suspendue du 1er juin 2026 au 30 novembre 2026 ;",
                "- C1 Certification A : retirée à compter du 1er juin 2026.",
                "Les motifs de sa décision sont les suivants :",
            ] {
                assert!(text.contains(expected), "{kind:?}: « {expected} » missing from {text}");
            }
            assert!(!text.contains("Recours possible"), "no contest text by default: {text}");
        }
        assert!(letter(&conn, id, K::CommitteeOutcomeFirm)?
            .contains("Une qualification ou certification maintenue reste valide sans interruption"));
        assert!(!letter(&conn, id, K::CommitteeOutcomeComplainant)?.contains("maintenue reste valide"));
        let contest = "Recours possible sous deux mois auprès du Président de l'OPQTECC.";
        settings::save_letters(
            &mut conn,
            &LetterSettings { committee_contest_text: contest.into(), ..LetterSettings::default() },
        )?;
        for kind in [K::CommitteeOutcomeComplainant, K::CommitteeOutcomeFirm] {
            assert!(letter(&conn, id, kind)?.contains(contest), "{kind:?}");
            if let Some(pdf) = pdf_text(&conn, id, kind)? {
                assert!(pdf.contains("3.2 OPC : suspendue du 1er juin 2026 au 30 novembre 2026"), "{kind:?}: {pdf}");
            }
        }
        Ok(())
    }

    // ---- Every date a letter quotes is the one of the event it names ----

    use crate::letters::merge::FIELDS;
    use crate::procedure::{ActionKind, Decision};
    use crate::store::letters::{mark_sent, SentForm};
    use crate::store::workflow::{perform, ActionForm, OutcomeForm};
    use crate::test_support::{cleared_intervenant, form, qualification_of, send_letter};
    use std::collections::BTreeMap;

    /// The day every letter below is composed.
    fn evidence_day() -> chrono::NaiveDate {
        day(2026, 9, 30)
    }

    fn run(conn: &mut Connection, id: i64, f: &ActionForm) -> Result<()> {
        perform(conn, id, "S", f, evidence_day()).map(|_| ())
    }

    fn with(action: ActionKind, date: &str, fields: &[(&str, &str)]) -> ActionForm {
        form(action, date, fields)
    }

    /// A complete complaint received 02/03/2026, acknowledged, passed to the Responsable on
    /// 03/03, its firm informed by a registered letter sent on 23/03/2026 (answer asked by
    /// 23/04), then reminded on 27/04/2026: the user's case.
    fn informed_then_reminded(conn: &mut Connection) -> Result<i64> {
        let mut intake = sample_complaint();
        intake.received_on = "02/03/2026".into();
        if let Some(firm) = conn.query_row("SELECT min(id) FROM firms", [], |r| r.get::<_, Option<i64>>(0))? {
            intake.firm_id = Some(firm);
            intake.new_firm = None;
        }
        let id = complaints::register(conn, &intake, day(2026, 3, 2), "S")?.id;
        run(conn, id, &ActionForm::of(ActionKind::Acknowledge, "02/03/2026"))?;
        run(conn, id, &with(ActionKind::Transmit, "03/03/2026", &[("choice", "qualification")]))?;
        let dir = tempfile::tempdir()?;
        let g = generate(conn, dir.path(), fonts(), id, K::FirmNotification, None, day(2026, 3, 23), "S")?;
        let sent = SentForm {
            date: "23/03/2026".into(),
            mode: "registered".into(),
            registered_number: "1A 123 456 7890 1".into(),
        };
        mark_sent(conn, g.document_id, &sent, day(2026, 3, 23), "S")?;
        send_letter(conn, id, K::FirmReminder, "27/04/2026")?;
        Ok(id)
    }

    /// The files every letter kind is composed on, by kind.
    struct Files {
        /// Through the whole procedure: firm reminded, its answer late, information asked of
        /// the complainant and reminded, instructeur reminded, expert appointed and reminded,
        /// the committee with its hearing, the overrun's reason.
        full: i64,
        /// Incomplete: précisions asked on 02/02/2026, reminded on 05/03/2026.
        incomplete: i64,
        inadmissible: i64,
        /// Dismissed on 05/05/2026 without waiting for the reminded firm.
        dismissed: i64,
        /// A warning decided on 05/05/2026 without waiting, the firm's answer arriving on 12/05.
        warned: i64,
    }

    impl Files {
        fn for_kind(&self, kind: K) -> i64 {
            match kind {
                K::RequestDetails | K::LackOfDetailsClosure => self.incomplete,
                K::Inadmissible => self.inadmissible,
                K::DismissedComplainant | K::DismissedFirm => self.dismissed,
                K::WarningComplainant | K::WarningFirm => self.warned,
                _ => self.full,
            }
        }
    }

    fn files(conn: &mut Connection) -> Result<Files> {
        let full = informed_then_reminded(conn)?;
        let id = full;
        let q21 = qualification_of(conn, id, "2.1")?;
        let q32 = qualification_of(conn, id, "3.2")?;
        run(conn, id, &with(ActionKind::RequestInformation, "25/03/2026", &[("text", "Copie du contrat signé.")]))?;
        send_letter(conn, id, K::ComplainantReminder, "28/04/2026")?;
        run(conn, id, &with(ActionKind::RecordComplainantAnswer, "05/05/2026", &[("text", "Contrat reçu.")]))?;
        // Late: asked by 23/04, after the reminder.
        run(conn, id, &with(ActionKind::RecordFirmAnswer, "06/05/2026", &[("text", "Le cabinet conteste.")]))?;
        let bernard = cleared_intervenant(conn, id, "investigator", "Paul Bernard")?;
        run(conn, id, &with(ActionKind::PassToInvestigator, "07/05/2026", &[("intervenant", &bernard)]))?;
        send_letter(conn, id, K::InvestigatorTransmission, "07/05/2026")?;
        send_letter(conn, id, K::InvestigatorReminder, "10/06/2026")?;
        run(conn, id, &with(ActionKind::RecordInvestigatorAnswer, "15/06/2026", &[("text", "Erreur avérée.")]))?;
        let decide = |decision: &str, date: &str| {
            with(
                ActionKind::Decide,
                date,
                &[
                    ("choice", decision),
                    ("by", "qualification_manager"),
                    ("text", "Motifs pour le plaignant."),
                    ("firm_text", "Motifs pour le qualifié."),
                    ("waiver", "Le dossier est en état d'être décidé."),
                ],
            )
        };
        run(conn, id, &decide("expert", "16/06/2026"))?;
        send_letter(conn, id, K::ExpertComplainant, "16/06/2026")?;
        send_letter(conn, id, K::ExpertFirm, "16/06/2026")?;
        let expert = cleared_intervenant(conn, id, "expert", "Jeanne Roux")?;
        let appoint = [("intervenant", expert.as_str()), ("text", "Contre-métré du lot 2.")];
        run(conn, id, &with(ActionKind::AppointExpert, "17/06/2026", &appoint))?;
        for kind in [K::ExpertMission, K::ExpertInformationComplainant, K::ExpertInformationFirm] {
            send_letter(conn, id, kind, "18/06/2026")?;
        }
        send_letter(conn, id, K::ExpertReminder, "20/07/2026")?;
        run(conn, id, &with(ActionKind::RecordExpertReport, "24/07/2026", &[("text", "Écart confirmé.")]))?;
        run(conn, id, &decide("appeals_committee", "27/07/2026"))?;
        send_letter(conn, id, K::CommitteeComplainant, "28/07/2026")?;
        send_letter(conn, id, K::CommitteeFirm, "28/07/2026")?;
        run(conn, id, &with(ActionKind::ScheduleHearing, "29/07/2026", &[("hearing", "15/09/2026")]))?;
        send_letter(conn, id, K::CommitteeConvocation, "30/07/2026")?;
        let overrun = [("text", "La commission ne siège que le 15 septembre."), ("expected", "30/09/2026")];
        run(conn, id, &with(ActionKind::JustifyOverrun, "10/09/2026", &overrun))?;
        let outcome = ActionForm {
            text: "La commission a suspendu la qualification 2.1.".into(),
            firm_text: "Suspension de six mois de la qualification 2.1.".into(),
            outcomes: vec![
                OutcomeForm {
                    qualification_id: q21,
                    outcome: "suspended".into(),
                    from: "01/10/2026".into(),
                    until: "31/03/2027".into(),
                },
                OutcomeForm { qualification_id: q32, outcome: "maintained".into(), ..OutcomeForm::default() },
            ],
            ..ActionForm::of(ActionKind::RecordCommitteeOutcome, "15/09/2026")
        };
        run(conn, id, &outcome)?;

        let mut intake = sample_complaint();
        intake.received_on = "02/02/2026".into();
        intake.firm_id = conn.query_row("SELECT min(id) FROM firms", [], |r| r.get(0))?;
        intake.new_firm = None;
        intake.actions_taken.clear();
        intake.checklist.actions_taken = false;
        let incomplete = complaints::register(conn, &intake, day(2026, 2, 2), "S")?.id;
        run(conn, incomplete, &ActionForm::of(ActionKind::RequestDetails, "02/02/2026"))?;
        send_letter(conn, incomplete, K::ComplainantReminder, "05/03/2026")?;

        let mut intake = sample_complaint();
        intake.received_on = "02/03/2026".into();
        intake.firm_id = conn.query_row("SELECT min(id) FROM firms", [], |r| r.get(0))?;
        intake.new_firm = None;
        let inadmissible = complaints::register(conn, &intake, day(2026, 3, 2), "S")?.id;
        let why = [("text", "Le plaignant n'est ni client ni tiers.")];
        run(conn, inadmissible, &with(ActionKind::DeclareInadmissible, "05/03/2026", &why))?;

        let dismissed = informed_then_reminded(conn)?;
        run(conn, dismissed, &decide("dismissed", "05/05/2026"))?;
        let warned = informed_then_reminded(conn)?;
        run(conn, warned, &decide("warning", "05/05/2026"))?;
        run(conn, warned, &with(ActionKind::RecordFirmAnswer, "12/05/2026", &[("text", "Réponse tardive.")]))?;
        Ok(Files { full, incomplete, inadmissible, dismissed, warned })
    }

    /// The journal of a file, oldest first: (day, summary).
    fn journal_of(conn: &Connection, id: i64) -> Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare("SELECT occurred_on, summary FROM journal WHERE complaint_id = ?1 ORDER BY seq")?;
        let rows = stmt.query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The day of the journal's entry that starts with `prefix` (and holds `with`), and the first
    /// JJ/MM/AAAA date its sentence gives after `after` (a due date, a hearing).
    fn event(
        journal: &[(String, String)],
        prefix: &str,
        with: &str,
        after: &str,
    ) -> Option<(chrono::NaiveDate, Option<chrono::NaiveDate>)> {
        let (on, summary) = journal.iter().find(|(_, s)| s.starts_with(prefix) && s.contains(with))?;
        let said = summary.split_once(after).and_then(|(_, rest)| {
            rest.split(|c: char| !(c.is_ascii_digit() || c == '/')).find_map(crate::validate::parse_date)
        });
        Some((crate::validate::parse_date(on)?, said))
    }

    /// What each date field must say in the letter `kind` of file `id`: the day of the journal
    /// entry of the event it names (or the date that entry states), never a reminder's.
    fn expected_dates(
        conn: &Connection,
        id: i64,
        kind: K,
    ) -> Result<BTreeMap<&'static str, Option<chrono::NaiveDate>>> {
        let j = journal_of(conn, id)?;
        let informed = event(&j, "Qualifié informé de la réclamation", "", "au plus tard le");
        let transmitted = event(&j, "Dossier transmis le", "instructeur", "au plus tard le");
        let appointed = event(&j, "Expert désigné le", "", "au plus tard le");
        let details = event(&j, "Demande de précisions enregistrée", "", "(indicatif) le");
        let info = event(&j, "Demande d'informations complémentaires", "", "(indicatif) le");
        let asked = if kind == K::InformationRequest || details.is_none() { info } else { details };
        let decision_label = match kind {
            K::ExpertComplainant | K::ExpertFirm => Some(Decision::Expert.label()),
            K::CommitteeComplainant | K::CommitteeFirm => Some(Decision::AppealsCommittee.label()),
            K::DismissedComplainant | K::DismissedFirm => Some(Decision::Dismissed.label()),
            K::WarningComplainant | K::WarningFirm => Some(Decision::Warning.label()),
            _ => None,
        };
        let received: String =
            conn.query_row("SELECT received_on FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?;
        let overall: String = conn.query_row(
            "SELECT due_on FROM deadlines WHERE complaint_id = ?1 AND clock = 'overall'",
            params![id],
            |r| r.get(0),
        )?;
        let days = settings::letters(conn)?.reminder_days;
        let today = evidence_day();
        let day_of = |e: Option<(chrono::NaiveDate, Option<chrono::NaiveDate>)>| e.map(|(on, _)| on);
        let said = |e: Option<(chrono::NaiveDate, Option<chrono::NaiveDate>)>| e.and_then(|(_, s)| s);
        let decided = decision_label.and_then(|l| day_of(event(&j, "Décision du", &format!(": {l}"), "")));
        // A decision letter speaks of the firm's answer only when it came before the decision.
        let answered =
            day_of(event(&j, "Réponse du qualifié reçue", "", "")).filter(|on| decided.is_none_or(|d| *on <= d));
        Ok(BTreeMap::from([
            ("date_reception", crate::validate::parse_date(&received)),
            ("date_lettre", Some(today)),
            ("echeance_globale", crate::validate::parse_date(&overall)),
            ("date_information_qualifie", day_of(informed)),
            ("echeance_qualifie", said(informed)),
            ("reponse_qualifie", answered),
            (
                "nouvelle_echeance",
                Some(crate::deadlines::roll_to_working_day(today + chrono::Days::new(u64::from(days)))),
            ),
            ("date_transmission_instructeur", day_of(transmitted)),
            ("echeance_instructeur", said(transmitted)),
            ("date_designation_expert", day_of(appointed)),
            ("echeance_expert", said(appointed)),
            ("date_demande_precisions", day_of(details)),
            ("date_demande_plaignant", day_of(asked)),
            ("echeance_plaignant", said(asked)),
            ("date_decision", decided),
            ("date_commission", day_of(event(&j, "Commission de recours du", "", ""))),
            ("date_seance", said(event(&j, "Séance de la commission de recours fixée", "", "fixée au"))),
            ("date_decision_prevue", said(event(&j, "Motif du dépassement", "", "décision prévue le"))),
        ]))
    }

    /// The merge fields that hold a date.
    fn date_fields() -> Vec<&'static str> {
        FIELDS
            .iter()
            .map(|(name, _)| *name)
            .filter(|n| {
                n.starts_with("date_")
                    || n.starts_with("echeance")
                    || *n == "reponse_qualifie"
                    || *n == "nouvelle_echeance"
            })
            .collect()
    }

    #[test]
    fn every_date_a_letter_quotes_is_the_one_of_the_event_it_names() -> Result<()> {
        let mut conn = open_in_memory()?;
        let files = files(&mut conn)?;
        let today = evidence_day();
        let dates = date_fields();
        let mut checked = Vec::new();
        for kind in K::ALL.iter().copied() {
            let (subject, body) = default_template(kind);
            let used: Vec<String> = crate::letters::templates::fields_used(&format!("{subject}\n{body}"))
                .map_err(|e| Error::field("template", e.message()))?
                .into_iter()
                .filter(|f| dates.contains(&f.as_str()))
                .collect();
            if kind == K::HowToComplain {
                // Written outside any complaint: it quotes no date of the register.
                assert!(used.iter().all(|f| f == "date_lettre"), "{used:?}");
                continue;
            }
            if used.is_empty() {
                continue;
            }
            let ids = if kind == K::ComplainantReminder {
                vec![files.full, files.incomplete]
            } else {
                vec![files.for_kind(kind)]
            };
            for id in ids {
                let expected = expected_dates(&conn, id, kind)?;
                let c = complaints::get(&conn, id, today)?;
                let values = super::facts(&conn, &c, kind, today)?.values.to_map();
                let text = words(&compose(&conn, id, kind, None, today)?);
                for field in &used {
                    let want = expected
                        .get(field.as_str())
                        .copied()
                        .ok_or_else(|| Error::field("test", format!("{kind:?}: no expected date for {field}")))?;
                    let want = want.map(crate::french::format_fr_long).unwrap_or_default();
                    let got = values.get(field.as_str()).cloned().unwrap_or_default();
                    assert_eq!(got, want, "{kind:?} (file {id}): {{{{{field}}}}}");
                    // A printed date reads in the letter as the event's.
                    if !want.is_empty() && body.contains(&format!("{{{{{field}}}}}")) {
                        let printed = text.contains(&want);
                        let tested_only = !printed && body.contains(&format!("{{% if {field} %}}"));
                        assert!(printed || tested_only, "{kind:?}: « {want} » ({field}) missing from {text}");
                    }
                }
                checked.push(kind);
            }
        }
        // The letters of the user's case and of every reminder were among them.
        for kind in [
            K::DismissedFirm,
            K::WarningFirm,
            K::ExpertFirm,
            K::CommitteeFirm,
            K::FirmReminder,
            K::InvestigatorReminder,
            K::ExpertReminder,
            K::ComplainantReminder,
            K::ExpertInformationFirm,
            K::CommitteeConvocation,
            K::LackOfDetailsClosure,
            K::CommitteeOutcomeFirm,
            K::OverrunFirm,
        ] {
            assert!(checked.contains(&kind), "{kind:?} not checked");
        }
        // The user's case, as the letter reads: informed on 23/03 by registered letter, not on
        // the reminder's 27/04.
        let text = letter_on(&conn, files.dismissed, K::DismissedFirm, today)?;
        assert!(
            text.starts_with("Réclamation REC-") && text.contains("Le 23 mars 2026, nous vous avons informé"),
            "{text}"
        );
        assert!(!text.contains("27 avril 2026"), "{text}");
        // As printed, kept in target/letter-previews to look at.
        let doc = compose(&conn, files.dismissed, K::DismissedFirm, Some("1A 123 456 7890 1"), today)?;
        let bytes = pdf::render(&doc, fonts()).map_err(|e| Error::field("pdf", e.to_string()))?;
        let previews = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/letter-previews");
        std::fs::create_dir_all(&previews)?;
        std::fs::write(previews.join("decision-apres-relance.pdf"), &bytes)?;
        if let Some(pdf) = pdftotext(&bytes)? {
            let pdf = plain(&pdf);
            assert!(pdf.contains("Le 23 mars 2026, nous vous avons informé"), "{pdf}");
            assert!(pdf.contains("Lettre recommandée avec accusé de réception n° 1A 123 456 7890 1"), "{pdf}");
        }
        let warned = letter_on(&conn, files.warned, K::WarningComplainant, today)?;
        // The answer that came after the decision is not said to have been analysed.
        assert!(
            warned.contains(
                "Après analyse de votre réclamation, le Responsable des Qualifications a décidé le 5 mai 2026"
            ),
            "{warned}"
        );
        let expert = letter_on(&conn, files.full, K::ExpertFirm, today)?;
        assert!(expert.contains("Après analyse de cette réclamation et de votre réponse,"), "{expert}");
        Ok(())
    }

    fn letter_on(conn: &Connection, id: i64, kind: K, today: chrono::NaiveDate) -> Result<String> {
        Ok(words(&compose(conn, id, kind, None, today)?))
    }

    // ---- Agreement by civility and French typography, on every default template ----

    /// The letter as printed text: subject, salutation, body, closing, place and date.
    fn printed(doc: &LetterDoc) -> String {
        let mut parts = vec![doc.place_date.clone(), doc.subject.clone(), doc.salutation.clone()];
        parts.extend(doc.paragraphs.iter().cloned());
        parts.push(doc.closing.clone());
        parts.join("\n")
    }

    /// The dates of `text` whose day, month and year are separated by a breakable blank.
    fn breakable_dates(text: &str) -> Vec<String> {
        const MONTHS: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        let words: Vec<&str> = text.split(['\u{A0}', '\u{202F}']).collect();
        let mut broken = Vec::new();
        // Within each run between no-break spaces, a breakable blank between a day and its
        // month, or a month and its year.
        for run in &words {
            let tokens: Vec<&str> = run.split([' ', '\n', '\t']).collect();
            for pair in tokens.windows(2) {
                let day = pair[0] == "1er" || pair[0].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
                let month_year = MONTHS.contains(&pair[0])
                    && pair[1].len() >= 4
                    && pair[1].chars().take(4).all(|c| c.is_ascii_digit());
                if (day && MONTHS.iter().any(|m| pair[1].trim_end_matches([',', '.', ';']) == *m)) || month_year {
                    broken.push(format!("{} {}", pair[0], pair[1]));
                }
            }
        }
        broken
    }

    /// How many times `word` is a whole word of `text` (blanks and punctuation around).
    fn count_word(text: &str, word: &str) -> usize {
        text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | '«' | '»'))
            .filter(|w| *w == word)
            .count()
    }

    #[test]
    fn every_default_agrees_with_its_recipient_and_keeps_french_typography() -> Result<()> {
        let mut conn = open_in_memory()?;
        let files = files(&mut conn)?;
        let today = evidence_day();
        let dir = tempfile::tempdir()?;
        let mut texts: BTreeMap<&str, Vec<(K, String)>> = BTreeMap::new();
        for civility in ["", "madame", "monsieur"] {
            conn.execute("UPDATE complainants SET civility = ?1", params![civility])?;
            conn.execute("UPDATE intervenants SET civility = ?1", params![civility])?;
            for kind in K::ALL.iter().copied() {
                let doc = if kind == K::HowToComplain {
                    let contact = crate::store::letters::ContactForm {
                        civility: civility.into(),
                        name: "Claire Martin".into(),
                        address_lines: "12 rue de la Paix".into(),
                        postcode: "69003".into(),
                        city: "Lyon".into(),
                    };
                    let g = crate::store::letters::how_to_complain(&mut conn, dir.path(), fonts(), &contact, today)?;
                    let data: String = conn.query_row(
                        "SELECT letter_data FROM documents WHERE id = ?1",
                        params![g.document_id],
                        |r| r.get(0),
                    )?;
                    serde_json::from_str::<LetterDoc>(&data).map_err(|e| Error::field("letter_data", e.to_string()))?
                } else {
                    compose(&conn, files.for_kind(kind), kind, Some("1A 123 456 7890 1"), today)?
                };
                let text = printed(&doc);
                // No breakable space inside a date, nor before « : ; ! ? ».
                assert_eq!(breakable_dates(&text), Vec::<String>::new(), "{kind:?} ({civility}): {text}");
                for (i, sign) in text.char_indices().filter(|(_, c)| matches!(c, ':' | ';' | '!' | '?')) {
                    let before = text[..i].chars().next_back();
                    assert!(
                        !matches!(before, Some(' ' | '\t')),
                        "{kind:?}: breakable space before « {sign} » in {text}"
                    );
                }
                texts.entry(civility).or_default().push((kind, text));
            }
        }
        let neutral = &texts[""];
        let mut agreed = 0;
        for (i, (kind, unknown)) in neutral.iter().enumerate() {
            let (madame, monsieur) = (&texts["madame"][i].1, &texts["monsieur"][i].1);
            for known in [madame, monsieur] {
                assert!(!known.contains("(e)"), "{kind:?}: « (e) » to a known civility in {known}");
            }
            // Every neutral « informé(e) » is « informée » to Madame, « informé » to Monsieur.
            let neutral_words: std::collections::BTreeSet<&str> = unknown
                .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';'))
                .filter(|w| w.ends_with("(e)"))
                .collect();
            for word in neutral_words {
                let stem = word.trim_end_matches("(e)");
                let n = count_word(unknown, word);
                let feminine = format!("{stem}e");
                assert_eq!(
                    count_word(madame, &feminine),
                    n + count_word(unknown, &feminine),
                    "{kind:?}: « {word} » → « {feminine} » to Madame: {madame}"
                );
                assert_eq!(
                    count_word(monsieur, stem),
                    n + count_word(unknown, stem),
                    "{kind:?}: « {word} » → « {stem} » to Monsieur: {monsieur}"
                );
                agreed += n;
            }
            // Letters to the firm, a company, stay masculine whatever the complainant.
            if kind.recipient() == crate::letters::kinds::Recipient::Firm && *kind != K::ExpertInformationFirm {
                assert!(!unknown.contains("(e)"), "{kind:?}: {unknown}");
            }
        }
        assert!(agreed >= 10, "only {agreed} agreements checked");
        let of = |civility: &str, kind: K| {
            texts[civility].iter().find(|(k, _)| *k == kind).map(|(_, t)| plain(t)).unwrap_or_default()
        };
        assert!(of("madame", K::Acknowledgement).contains("Vous serez informée des suites"));
        assert!(of("monsieur", K::Acknowledgement).contains("Vous serez informé des suites"));
        assert!(of("", K::Acknowledgement).contains("Vous serez informé(e) des suites"));
        assert!(
            of("madame", K::ExpertInformationFirm).contains("Madame Jeanne Roux a été désignée en qualité d'expert")
        );
        assert!(
            of("monsieur", K::ExpertInformationComplainant).contains("Monsieur Jeanne Roux a été désigné en qualité")
        );
        assert!(
            of("madame", K::ConflictDeclaration).contains("Je soussignée Madame Paul Bernard, sollicitée en qualité")
        );
        assert!(of("madame", K::ExpertMission).contains("et vous a désignée le 17 juin 2026"));
        assert!(of("madame", K::HowToComplain).contains("Madame,"));
        Ok(())
    }

    #[test]
    fn the_firm_informed_is_the_current_one_and_never_its_reminder() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = walk(&mut conn, "qualification", false)?;
        let quoted = |conn: &Connection| -> Result<(String, String)> {
            let c = complaints::get(conn, id, today())?;
            let v = super::facts(conn, &c, K::FirmReminder, today())?.values;
            Ok((v.date_information_qualifie, v.echeance_qualifie))
        };
        let first_due = crate::deadlines::deadline(day(2026, 3, 4), 1).due;
        assert_eq!(quoted(&conn)?, ("4 mars 2026".to_owned(), crate::french::format_fr_long(first_due)));
        // A reminder on 10/04: its clock runs to 24/04, the letters still quote the information.
        conn.execute(
            "INSERT INTO documents (complaint_id, direction, kind, relative_path, sha256, size_bytes, created_at, sent_on)
             VALUES (?1, 'out', 'firm_reminder', 'relance.pdf', '', 0, '2026-04-10T09:00:00Z', '2026-04-10')",
            params![id],
        )?;
        let reminder = conn.last_insert_rowid();
        clocks::stop(&conn, id, &[Clock::FirmAnswer], day(2026, 4, 10), clocks::StopReason::Reminded)?;
        clocks::start_stated(&conn, id, Clock::FirmAnswer, day(2026, 4, 10), 1, day(2026, 4, 24), reminder)?;
        assert_eq!(quoted(&conn)?, ("4 mars 2026".to_owned(), crate::french::format_fr_long(first_due)));
        // The firm corrected on 15/04: the old firm's information is not the new one's…
        clocks::stop(&conn, id, &[Clock::FirmAnswer], day(2026, 4, 15), clocks::StopReason::Closed)?;
        conn.execute("UPDATE complaints SET firm_corrected_on = '2026-04-15' WHERE id = ?1", params![id])?;
        let (informed, _) = quoted(&conn)?;
        assert_eq!(informed, "");
        assert!(letter(&conn, id, K::FirmReminder)?.starts_with("Relance"), "no date, the sentence still reads");
        // …until the new firm is informed, the same day.
        clocks::start(&conn, id, Clock::FirmAnswer, day(2026, 4, 15), 1, false)?;
        let due = crate::deadlines::deadline(day(2026, 4, 15), 1).due;
        assert_eq!(quoted(&conn)?, ("15 avril 2026".to_owned(), crate::french::format_fr_long(due)));
        Ok(())
    }
}
