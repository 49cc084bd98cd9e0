//! What a letter quotes from the register: its merge values, its recipient's postal lines and
//! its signatory, for a complaint and a letter kind.

use crate::deadlines;
use crate::error::{Error, Result};
use crate::french::format_fr_long;
use crate::letters::kinds::{LetterKind, Recipient, Signatory};
use crate::letters::merge::MergeValues;
use crate::letters::typography;
use crate::model::Civility;
use crate::store::clocks::{self, Clock};
use crate::store::complaints::ComplaintDetail;
use crate::store::settings::{self, Organisation};
use crate::store::{code_or_empty, corrupt_row};
use crate::validate::parse_date;
use crate::workflow::{CommitteeOutcome, Decision, Manager};
use chrono::NaiveDate;
use rusqlite::{params, Connection};

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

/// What the workflow recorded on a complaint that letters quote.
struct Outcome {
    manager: Option<Manager>,
    reason: String,
    info: String,
    outcome: Option<CommitteeOutcome>,
    scope: String,
    committee_on: Option<String>,
    decided_on: Option<String>,
    committee_reasons: String,
    justification: String,
    decision: Option<Decision>,
}

/// The recipient's postal lines, the « formule d'appel » and the recipient's name.
fn recipient(c: &ComplaintDetail, kind: LetterKind, org: &Organisation) -> Result<(Vec<String>, String, String)> {
    let p = &c.complainant;
    Ok(match kind.recipient() {
        Recipient::Complainant | Recipient::Contact => {
            let complainant_name = civility_name(p.civility, &p.name);
            let mut lines = vec![complainant_name.clone()];
            if !p.organisation.is_empty() {
                lines.push(p.organisation.clone());
            }
            lines.extend(p.address.lines.iter().cloned());
            lines.push(format!("{} {}", p.address.postcode, p.address.city));
            if !p.address.is_complete() {
                return Err(Error::refused(
                    "Le plaignant n'a pas d'adresse postale complète : complétez-la avant d'éditer ce courrier.",
                ));
            }
            let appel = p.civility.map_or("Madame, Monsieur", Civility::label);
            (postal(&lines, "du plaignant")?, appel.to_owned(), complainant_name)
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

/// Gathers the merge values and the recipient of `kind` for a complaint.
pub(super) fn facts(conn: &Connection, c: &ComplaintDetail, kind: LetterKind, today: NaiveDate) -> Result<Facts> {
    let org = settings::organisation(conn)?;
    let o = conn
        .query_row(
            "SELECT manager, inadmissible_reason, information_request, committee_outcome, committee_scope,
                    committee_on, decided_on, committee_reasons, overrun_justification, decision
             FROM complaints WHERE id = ?1",
            params![c.id],
            |r| {
                Ok(Outcome {
                    manager: code_or_empty(r, 0)?,
                    reason: r.get(1)?,
                    info: r.get(2)?,
                    outcome: code_or_empty(r, 3)?,
                    scope: r.get(4)?,
                    committee_on: r.get(5)?,
                    decided_on: r.get(6)?,
                    committee_reasons: r.get(7)?,
                    justification: r.get(8)?,
                    decision: code_or_empty(r, 9)?,
                })
            },
        )
        .map_err(corrupt_row("complaints", c.id))?;
    let manager = o.manager;
    let (recipient, appel, recipient_name) = recipient(c, kind, &org)?;
    let missing = c.missing_elements.iter().map(|m| format!("- {m} ;")).collect::<Vec<_>>().join("\n");
    let missing = missing.strip_suffix(" ;").map(|m| format!("{m}.")).unwrap_or(missing);
    let overall = clocks::latest_dates(conn, c.id, Clock::Overall)?;
    let firm = clocks::latest_dates(conn, c.id, Clock::FirmAnswer)?;
    let investigator = clocks::latest_dates(conn, c.id, Clock::InvestigatorAnswer)?;
    let details_asked = clocks::latest_dates(conn, c.id, Clock::ComplainantDetails)?;
    let complainant = match clocks::latest_dates(conn, c.id, Clock::ComplainantInfo)? {
        Some(dates) => Some(dates),
        None => clocks::latest_dates(conn, c.id, Clock::ComplainantDetails)?,
    };
    // Before the request is recorded, the answer is asked for within the usual duration from today.
    let complainant_due = match complainant {
        Some((_, due)) => long(&due),
        None => format_fr_long(deadlines::deadline(today, settings::deadlines(conn)?.complainant_months).due),
    };
    let (signatory_name, signatory_title) = signatory(&org, kind.signatory(), manager);
    let values = MergeValues {
        reference: c.reference.clone(),
        date_reception: long(&c.received_on),
        date_lettre: format_fr_long(today),
        appel,
        plaignant: civility_name(c.complainant.civility, &c.complainant.name),
        qualifie: c.firm.name.clone(),
        destinataire: recipient_name,
        elements_manquants: missing,
        date_demande_precisions: details_asked.map(|(start, _)| long(&start)).unwrap_or_default(),
        echeance_globale: overall.map(|(_, due)| long(&due)).unwrap_or_default(),
        echeance_plaignant: complainant_due,
        // Before the firm is informed, the letter states the date from today: the clock keeps it.
        echeance_qualifie: match &firm {
            Some((_, due)) => long(due),
            None => format_fr_long(deadlines::deadline(today, settings::deadlines(conn)?.firm_months).due),
        },
        date_information_qualifie: firm.as_ref().map(|(start, _)| long(start)).unwrap_or_default(),
        echeance_instructeur: investigator.map(|(_, due)| long(&due)).unwrap_or_default(),
        instructeur: c.investigator.clone(),
        // Before the transmission no Responsable is chosen: the procedure's default addressee.
        responsable: manager.unwrap_or(Manager::Qualification).label().to_owned(),
        motif: o.reason,
        informations_demandees: o.info,
        decision: o.decision.map(|d| d.label().to_owned()).unwrap_or_default(),
        date_decision: o.decided_on.as_deref().map(long).unwrap_or_default(),
        motifs: c.decision_reasons.clone(),
        date_commission: o.committee_on.as_deref().map(long).unwrap_or_default(),
        decision_commission: o.outcome.map(|x| x.label().to_lowercase()).unwrap_or_default(),
        qualifications: if o.scope.is_empty() { String::new() } else { format!("({})", o.scope) },
        motifs_commission: o.committee_reasons,
        justification: o.justification,
        organisation: org.name.clone(),
        adresse_organisation: org.one_line_address(),
        courriel_organisation: org.email.clone(),
        signataire: signatory_name.clone(),
        titre_signataire: signatory_title.clone(),
    };
    Ok(Facts { values, recipient, reference: c.reference.clone(), signatory_name, signatory_title })
}
