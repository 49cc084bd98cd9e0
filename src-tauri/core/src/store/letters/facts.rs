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
use crate::letters::merge::MergeValues;
use crate::letters::typography;
use crate::model::{Channel, Civility};
use crate::store::clocks::{self, Clock};
use crate::store::complaints::ComplaintDetail;
use crate::store::settings::{self, FirmLetterContent, Organisation};
use crate::store::{code_or_empty, corrupt_row, firms};
use crate::validate::parse_date;
use crate::workflow::{CommitteeOutcome, Decision, Manager};
use chrono::{Days, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};

/// What a letter is made of before it becomes a PDF.
pub(super) struct Facts {
    pub values: MergeValues,
    pub recipient: Vec<String>,
    pub reference: String,
    pub signatory_name: String,
    pub signatory_title: String,
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
}

fn outcome(conn: &Connection, id: i64) -> Result<Outcome> {
    conn.query_row(
        "SELECT manager, inadmissible_reason, information_request, overrun_justification, reply_by_email,
                overrun_expected_on, decision, decided_on, committee_outcome, committee_scope, committee_on,
                committee_reasons
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
            Recipient::Investigator => String::new(),
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

/// The date the firm's answer was recorded, if it was: its clock stopped as answered, or the
/// « réponse du qualifié » entry of the journal.
fn firm_answered_on(conn: &Connection, id: i64) -> Result<Option<String>> {
    let by_clock: Option<String> = conn
        .query_row(
            "SELECT stopped_on FROM deadlines
             WHERE complaint_id = ?1 AND clock = ?2 AND stop_reason = 'answered' AND stopped_on IS NOT NULL
             ORDER BY id DESC LIMIT 1",
            params![id, Clock::FirmAnswer],
            |r| r.get(0),
        )
        .optional()?;
    if by_clock.is_some() {
        return Ok(by_clock);
    }
    Ok(conn
        .query_row(
            "SELECT occurred_on FROM journal
             WHERE complaint_id = ?1 AND kind = 'letter_in' AND summary LIKE 'Réponse du qualifié%'
             ORDER BY seq DESC LIMIT 1",
            params![id],
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

/// The answer date the firm's information letter states: the due date of the firm's clock
/// when one was started, else one answer period from `today` (the lead's clock, started when
/// the letter is sent, keeps the date the letter stated).
pub(super) fn stated_firm_due(conn: &Connection, id: i64, today: NaiveDate) -> Result<NaiveDate> {
    if let Some(due) = clocks::latest_dates(conn, id, Clock::FirmAnswer)?.and_then(|(_, due)| parse_date(&due)) {
        return Ok(due);
    }
    Ok(deadlines::deadline(today, settings::deadlines(conn)?.firm_months).due)
}

/// The recipient's lines, the « formule d'appel » and the recipient's name.
fn recipient(
    c: &ComplaintDetail,
    kind: LetterKind,
    org: &Organisation,
    reply_by_email: bool,
) -> Result<(Vec<String>, String, String)> {
    let p = &c.complainant;
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
                    return Ok((lines, appel, complainant_name));
                }
                return Err(Error::refused(
                    "Le plaignant n'a pas d'adresse postale complète : complétez-la avant d'éditer ce courrier.",
                ));
            }
            lines.extend(p.address.lines.iter().cloned());
            lines.push(format!("{} {}", p.address.postcode, p.address.city));
            (postal(&lines, "du plaignant")?, appel, complainant_name)
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
            (postal(&lines, "du qualifié")?, "Madame, Monsieur".to_owned(), f.name.clone())
        }
        Recipient::Investigator => {
            // The investigator is reached through the organisation's own address.
            let mut lines = vec![c.investigator.clone(), format!("c/o {}", org.name)];
            lines.extend(org.address_lines.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned));
            lines.push(format!("{} {}", org.postcode, org.city));
            (postal(&lines, "de l'instructeur")?, "Madame, Monsieur".to_owned(), c.investigator.clone())
        }
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

/// Gathers the merge values and the recipient of `kind` for a complaint.
pub(super) fn facts(conn: &Connection, c: &ComplaintDetail, kind: LetterKind, today: NaiveDate) -> Result<Facts> {
    let org = settings::organisation(conn)?;
    let durations = settings::deadlines(conn)?;
    let letter_settings = settings::letters(conn)?;
    let o = outcome(conn, c.id)?;
    let manager = responsable(conn, c, o.manager)?;
    let (recipient, appel, recipient_name) = recipient(c, kind, &org, o.reply_by_email)?;
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
    let overall = clocks::latest_dates(conn, c.id, Clock::Overall)?;
    let firm = clocks::latest_dates(conn, c.id, Clock::FirmAnswer)?;
    let investigator = clocks::latest_dates(conn, c.id, Clock::InvestigatorAnswer)?;
    let details_asked = clocks::latest_dates(conn, c.id, Clock::ComplainantDetails)?;
    let info_asked = clocks::latest_dates(conn, c.id, Clock::ComplainantInfo)?;
    // The request for information quotes its own clock; the other letters the précisions'.
    let complainant = if kind == LetterKind::InformationRequest {
        info_asked.clone().or(details_asked.clone())
    } else {
        details_asked.clone().or(info_asked.clone())
    };
    // Before the request is recorded, the answer is asked for within the usual duration from today.
    let complainant_due = match complainant {
        Some((_, due)) => long(&due),
        None => format_fr_long(deadlines::deadline(today, durations.complainant_months).due),
    };
    let reminder = deadlines::roll_to_working_day(
        today.checked_add_days(Days::new(u64::from(letter_settings.reminder_days))).unwrap_or(today),
    );

    let (decision, committee) = decisions(conn, c, &o, kind)?;
    let is_decision_letter = decision_of(kind).is_some();
    let is_outcome_letter = matches!(kind, LetterKind::CommitteeOutcomeComplainant | LetterKind::CommitteeOutcomeFirm);
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
        plaignant: civility_name(c.complainant.civility, &c.complainant.name),
        qualifie: c.firm.name.clone(),
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
        reponse_qualifie: firm_answered_on(conn, c.id)?.as_deref().map(long).unwrap_or_default(),
        nouvelle_echeance: format_fr_long(reminder),
        pieces_jointes: if enclosure {
            format!("copie de la réclamation reçue le {}", long(&c.received_on))
        } else {
            String::new()
        },
        echeance_instructeur: investigator.map(|(_, due)| long(&due)).unwrap_or_default(),
        instructeur: c.investigator.clone(),
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
        justification: o.justification,
        date_decision_prevue: o.overrun_expected_on.as_deref().map(long).unwrap_or_default(),
        organisation: org.name.clone(),
        adresse_organisation: org.one_line_address(),
        courriel_organisation: org.email.clone(),
        signataire: signatory_name.clone(),
        titre_signataire: signatory_title.clone(),
    };
    Ok(Facts { values, recipient, reference: c.reference.clone(), signatory_name, signatory_title })
}
