//! Letters of a complaint: templates (versioned), the merge data drawn from the register,
//! generation into the firm's file, marking sent, and the day's mail.

use crate::archive;
use crate::deadlines::{format_fr, format_fr_long};
use crate::error::{Error, FieldErrors, Result};
use crate::letters::kinds::{LetterKind, Recipient, Signatory};
use crate::letters::pdf::{self, Fonts, LetterDoc, Letterhead};
use crate::letters::templates::{self, MergeError};
use crate::letters::typography;
use crate::model::{Civility, Step};
use crate::store::complaints::ComplaintDetail;
use crate::store::journal::{self, JournalKind, NewEntry};
use crate::store::settings::{self, Organisation};
use crate::store::{complaints, now_timestamp};
use crate::validate::{normalise_registered_number, parse_date};
use crate::workflow::{CommitteeOutcome, Decision, Manager};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A template as stored: the latest version of a kind is the one in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    pub kind: LetterKind,
    pub kind_label: &'static str,
    pub recipient_label: &'static str,
    pub version: i64,
    pub subject: String,
    pub body: String,
    pub is_default: bool,
    pub created_at: String,
    pub author: String,
}

fn insert_template(
    conn: &Connection,
    kind: LetterKind,
    subject: &str,
    body: &str,
    is_default: bool,
    author: &str,
) -> Result<i64> {
    let version: i64 = conn.query_row(
        "SELECT coalesce(max(version), 0) + 1 FROM letter_templates WHERE kind = ?1",
        params![kind.code()],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO letter_templates (kind, version, subject, body, is_default, created_at, author)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![kind.code(), version, subject, body, is_default, now_timestamp(), author],
    )?;
    Ok(version)
}

/// The template in force for `kind`; OPQTECC's default becomes version 1 on first use.
pub fn template(conn: &Connection, kind: LetterKind) -> Result<Template> {
    let row = conn
        .query_row(
            "SELECT version, subject, body, is_default, created_at, author FROM letter_templates
             WHERE kind = ?1 ORDER BY version DESC LIMIT 1",
            params![kind.code()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let (version, subject, body, is_default, created_at, author) = match row {
        Some(row) => row,
        None => {
            let (subject, body) = templates::default_template(kind);
            insert_template(conn, kind, &subject, &body, true, "")?;
            return template(conn, kind);
        }
    };
    Ok(Template {
        kind,
        kind_label: kind.label(),
        recipient_label: kind.recipient().label(),
        version,
        subject,
        body,
        is_default,
        created_at,
        author,
    })
}

pub fn list_templates(conn: &Connection) -> Result<Vec<Template>> {
    LetterKind::ALL.iter().map(|k| template(conn, *k)).collect()
}

fn template_error(e: &MergeError, field: &str) -> Error {
    Error::field(field, e.message())
}

/// Saves a new version of a kind's wording, after checking its merge fields.
pub fn save_template(conn: &Connection, kind: LetterKind, subject: &str, body: &str, author: &str) -> Result<i64> {
    let mut errors = FieldErrors::new();
    if subject.trim().is_empty() {
        errors.insert("subject".into(), "Indiquez l'objet du courrier.".into());
    }
    if body.trim().is_empty() {
        errors.insert("body".into(), "Le texte du courrier est vide.".into());
    }
    if let Err(e) = templates::check(subject, "") {
        errors.insert("subject".into(), e.message());
    }
    if let Err(e) = templates::check("", body) {
        errors.insert("body".into(), e.message());
    }
    if !errors.is_empty() {
        return Err(Error::Validation { fields: errors });
    }
    insert_template(conn, kind, subject.trim(), body.trim(), false, author)
}

/// « Restaurer le texte d'origine »: a new version with OPQTECC's default wording.
pub fn restore_default(conn: &Connection, kind: LetterKind, author: &str) -> Result<i64> {
    let (subject, body) = templates::default_template(kind);
    insert_template(conn, kind, &subject, &body, true, author)
}

/// What a letter is made of before it becomes a PDF.
struct Facts {
    values: BTreeMap<&'static str, String>,
    recipient: Vec<String>,
    reference: String,
    signatory_name: String,
    signatory_title: String,
}

fn civility_name(civility: Option<Civility>, name: &str) -> String {
    match civility {
        Some(c) => format!("{} {name}", c.label()),
        None => name.to_owned(),
    }
}

fn clock_dates(conn: &Connection, id: i64, clock: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT start_on, due_on FROM deadlines WHERE complaint_id = ?1 AND clock = ?2 ORDER BY id DESC LIMIT 1",
            params![id, clock],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

fn long(iso: &str) -> String {
    parse_date(iso).map(format_fr_long).unwrap_or_default()
}

pub(crate) fn letterhead(org: &Organisation) -> Letterhead {
    let mut lines: Vec<String> =
        org.address_lines.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    lines.push(format!("{} {}", org.postcode.trim(), org.city.trim().to_uppercase()));
    for (label, value) in [("Tél. ", &org.phone), ("", &org.email), ("", &org.website)] {
        if !value.trim().is_empty() {
            lines.push(format!("{label}{}", value.trim()));
        }
    }
    Letterhead {
        name: org.name.clone(),
        lines,
        footer: format!("{} – {}", org.name, org.one_line_address()),
        logo_png: Some(LOGO_PNG.to_vec()),
    }
}

/// The default logo, shipped in `assets/`.
const LOGO_PNG: &[u8] = include_bytes!("../../../../assets/logo.png");

fn signatory(org: &Organisation, who: Signatory, manager: Option<Manager>) -> (String, String) {
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
    typography::postal_address(&refs).map_err(|e| Error::field("letter", format!("Adresse {whose} : {e}")))
}

/// What the workflow recorded on a complaint that letters quote.
struct Outcome {
    manager: String,
    reason: String,
    info: String,
    outcome: String,
    scope: String,
    committee_on: Option<String>,
    decided_on: Option<String>,
    committee_reasons: String,
    justification: String,
    decision: String,
}

/// Gathers the merge values and the recipient of `kind` for a complaint.
fn facts(conn: &Connection, c: &ComplaintDetail, kind: LetterKind, today: NaiveDate) -> Result<Facts> {
    let org = settings::organisation(conn)?;
    let Outcome {
        manager,
        reason,
        info,
        outcome,
        scope,
        committee_on,
        decided_on,
        committee_reasons,
        justification,
        decision,
    } = conn.query_row(
        "SELECT manager, inadmissible_reason, information_request, committee_outcome, committee_scope,
                    committee_on, decided_on, committee_reasons, overrun_justification, decision
             FROM complaints WHERE id = ?1",
        params![c.id],
        |r| {
            Ok(Outcome {
                manager: r.get(0)?,
                reason: r.get(1)?,
                info: r.get(2)?,
                outcome: r.get(3)?,
                scope: r.get(4)?,
                committee_on: r.get(5)?,
                decided_on: r.get(6)?,
                committee_reasons: r.get(7)?,
                justification: r.get(8)?,
                decision: r.get(9)?,
            })
        },
    )?;
    let manager = Manager::from_code(&manager);
    let p = &c.complainant;
    let complainant_name = civility_name(p.civility, &p.name);
    let recipient_kind = kind.recipient();
    let (recipient, appel, recipient_name) = match recipient_kind {
        Recipient::Complainant | Recipient::Contact => {
            let mut lines = vec![complainant_name.clone()];
            if !p.organisation.is_empty() {
                lines.push(p.organisation.clone());
            }
            lines.extend(p.address.lines.iter().cloned());
            lines.push(format!("{} {}", p.address.postcode, p.address.city));
            if !p.address.is_complete() {
                return Err(Error::field(
                    "letter",
                    "Le plaignant n'a pas d'adresse postale complète : complétez-la avant d'éditer ce courrier.",
                ));
            }
            let appel = p.civility.map_or("Madame, Monsieur", Civility::label);
            (postal(&lines, "du plaignant")?, appel.to_owned(), complainant_name.clone())
        }
        Recipient::Firm => {
            let f = &c.firm;
            if !f.address.is_complete() {
                return Err(Error::field(
                    "letter",
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
    };
    let missing = c.missing_elements.iter().map(|m| format!("- {m} ;")).collect::<Vec<_>>().join("\n");
    let missing = missing.strip_suffix(" ;").map(|m| format!("{m}.")).unwrap_or(missing);
    let overall = clock_dates(conn, c.id, "overall")?;
    let firm = clock_dates(conn, c.id, "firm_answer")?;
    let investigator = clock_dates(conn, c.id, "investigator_answer")?;
    let complainant = match clock_dates(conn, c.id, "complainant_info")? {
        Some(dates) => Some(dates),
        None => clock_dates(conn, c.id, "complainant_details")?,
    };
    let (sig_name, sig_title) = signatory(&org, kind.signatory(), manager);
    let mut v: BTreeMap<&'static str, String> = BTreeMap::new();
    v.insert("reference", c.reference.clone());
    v.insert("date_reception", long(&c.received_on));
    v.insert("date_lettre", format_fr_long(today));
    v.insert("appel", appel);
    v.insert("plaignant", complainant_name);
    v.insert("qualifie", c.firm.name.clone());
    v.insert("destinataire", recipient_name);
    v.insert("elements_manquants", missing);
    v.insert("echeance_globale", overall.map(|(_, due)| long(&due)).unwrap_or_default());
    // Before the request is recorded, the answer is asked for within the usual duration from today.
    let complainant_due = match complainant {
        Some((_, due)) => long(&due),
        None => format_fr_long(crate::deadlines::deadline(today, settings::deadlines(conn)?.complainant_months).due),
    };
    v.insert("echeance_plaignant", complainant_due);
    v.insert("echeance_qualifie", firm.as_ref().map(|(_, due)| long(due)).unwrap_or_default());
    v.insert("date_information_qualifie", firm.as_ref().map(|(start, _)| long(start)).unwrap_or_default());
    v.insert("echeance_instructeur", investigator.map(|(_, due)| long(&due)).unwrap_or_default());
    v.insert("instructeur", c.investigator.clone());
    v.insert("responsable", manager.unwrap_or(Manager::Qualification).label().to_owned());
    v.insert("motif", reason);
    v.insert("informations_demandees", info);
    v.insert("decision", Decision::from_code(&decision).map(|d| d.label().to_owned()).unwrap_or_default());
    v.insert("date_decision", decided_on.as_deref().map(long).unwrap_or_default());
    v.insert("motifs", c.decision_reasons.clone());
    v.insert("date_commission", committee_on.as_deref().map(long).unwrap_or_default());
    v.insert(
        "decision_commission",
        CommitteeOutcome::from_code(&outcome).map(|o| o.label().to_lowercase()).unwrap_or_default(),
    );
    v.insert("qualifications", if scope.is_empty() { String::new() } else { format!("({scope})") });
    v.insert("motifs_commission", committee_reasons);
    v.insert("justification", justification);
    v.insert("organisation", org.name.clone());
    v.insert("adresse_organisation", org.one_line_address());
    v.insert("courriel_organisation", org.email.clone());
    v.insert("signataire", sig_name.clone());
    v.insert("titre_signataire", sig_title.clone());
    Ok(Facts {
        values: v,
        recipient,
        reference: c.reference.clone(),
        signatory_name: sig_name,
        signatory_title: sig_title,
    })
}

/// Builds the letter from a template's text and the facts; refuses unknown or empty fields.
fn build_doc(
    org: &Organisation,
    facts: &Facts,
    subject: &str,
    body: &str,
    registered_number: Option<String>,
    today: NaiveDate,
    title: &str,
) -> Result<LetterDoc> {
    let subject = templates::merge(subject, &facts.values).map_err(|e| template_error(&e, "letter"))?;
    let body = templates::merge(body, &facts.values).map_err(|e| template_error(&e, "letter"))?;
    let mut paragraphs: Vec<String> = templates::paragraphs(&body).iter().map(|p| typography::french(p)).collect();
    let salutation =
        if paragraphs.first().is_some_and(|p| p.ends_with(',')) { paragraphs.remove(0) } else { String::new() };
    // The last paragraph is the « formule de politesse », kept with the signature.
    let closing = if paragraphs.len() > 1 { paragraphs.pop().unwrap_or_default() } else { String::new() };
    Ok(LetterDoc {
        letterhead: letterhead(org),
        recipient: facts.recipient.clone(),
        place_date: format!("{}, le {}", org.letter_place.trim(), format_fr_long(today)),
        reference: facts.reference.clone(),
        subject: typography::french(&subject),
        registered_number,
        salutation,
        paragraphs,
        closing,
        signatory_name: facts.signatory_name.clone(),
        signatory_title: facts.signatory_title.clone(),
        title: title.to_owned(),
        created: chrono::Local::now().naive_local(),
    })
}

/// The letter of `kind` for a complaint, with the template in force, before rendering.
pub fn compose(
    conn: &Connection,
    complaint_id: i64,
    kind: LetterKind,
    registered_number: Option<&str>,
    today: NaiveDate,
) -> Result<LetterDoc> {
    let c = complaints::get(conn, complaint_id, today)?;
    Ok(compose_for(conn, &c, kind, registered(registered_number)?, today)?.0)
}

fn compose_for(
    conn: &Connection,
    c: &ComplaintDetail,
    kind: LetterKind,
    number: Option<String>,
    today: NaiveDate,
) -> Result<(LetterDoc, Template)> {
    let org = settings::organisation(conn)?;
    let t = template(conn, kind)?;
    let facts = facts(conn, c, kind, today)?;
    let doc =
        build_doc(&org, &facts, &t.subject, &t.body, number, today, &format!("{} – {}", kind.label(), c.reference))?;
    Ok((doc, t))
}

/// A registered-letter number typed for a letter: normalised and checked, or refused.
fn registered(number: Option<&str>) -> Result<Option<String>> {
    match number.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(None),
        Some(n) => normalise_registered_number(n).map(|n| Some(spaced_registered(&n))).ok_or_else(|| {
            Error::field("registered_number", "Numéro de recommandé invalide : 13 caractères, comme 1A 123 456 7890 1.")
        }),
    }
}

/// « 1A12345678901 » → « 1A 123 456 7890 1 », as printed on La Poste's slips.
fn spaced_registered(n: &str) -> String {
    if n.len() == 13 && n.as_bytes()[0].is_ascii_digit() {
        format!("{} {} {} {} {}", &n[..2], &n[2..5], &n[5..8], &n[8..12], &n[12..])
    } else {
        n.to_owned()
    }
}

/// A generated, archived letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Generated {
    pub document_id: i64,
    pub path: PathBuf,
    pub sha256: String,
    pub template_version: i64,
}

/// The folder of a firm's file under `documents/`, stable across renames of the firm.
pub fn firm_folder(firm_id: i64, firm_name: &str) -> String {
    format!("Q{firm_id:05}-{}", archive::slug(firm_name, 40))
}

/// Generates a letter of `kind` for a complaint, archives the PDF in the firm's file (never
/// overwriting) and records it with its SHA-256 in the journal, in one transaction.
#[allow(clippy::too_many_arguments)]
pub fn generate(
    conn: &mut Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    complaint_id: i64,
    kind: LetterKind,
    registered_number: Option<&str>,
    today: NaiveDate,
    author: &str,
) -> Result<Generated> {
    let number = registered(registered_number)?;
    let c = complaints::get(conn, complaint_id, today)?;
    let (doc, t) = compose_for(conn, &c, kind, number.clone(), today)?;
    let bytes = pdf::render(&doc, fonts)
        .map_err(|e| Error::field("letter", format!("Le PDF n'a pas pu être produit : {e}")))?;
    let sha256 = archive::sha256_hex(&bytes);
    let dir = documents_dir.join(firm_folder(c.firm.id, &c.firm.name)).join(&c.reference);
    let stem = format!("{today}_{}_v{}", kind.code(), t.version);
    let path = archive::write_new(&dir, &stem, "pdf", &bytes)?;
    let relative = path.strip_prefix(documents_dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
    let letter_data = serde_json::to_string(&doc).ok();
    let result = (|| -> Result<i64> {
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO documents (complaint_id, firm_id, direction, kind, recipient, relative_path, original_name,
                                    sha256, size_bytes, template_version, letter_data, created_at, registered_number,
                                    send_mode)
             VALUES (?1, ?2, 'out', ?3, ?4, ?5, '', ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                c.id,
                c.firm.id,
                kind.code(),
                kind.recipient().code(),
                relative,
                sha256,
                bytes.len() as i64,
                t.version,
                letter_data,
                today.to_string(),
                number.clone().unwrap_or_default(),
                if number.is_some() { "registered" } else { "" },
            ],
        )?;
        let document_id = tx.last_insert_rowid();
        let summary = format!(
            "Courrier généré : {} (modèle v{}){} — fichier {relative}, SHA-256 {sha256}.",
            kind.label(),
            t.version,
            number.as_ref().map(|n| format!(", recommandé n° {n}")).unwrap_or_default()
        );
        journal::append(
            &tx,
            c.id,
            &NewEntry {
                document: Some(document_id),
                ..NewEntry::simple(JournalKind::LetterOut, today, author, &summary)
            },
        )?;
        tx.commit()?;
        Ok(document_id)
    })();
    match result {
        Ok(document_id) => Ok(Generated { document_id, path, sha256, template_version: t.version }),
        Err(e) => {
            // Nothing refers to the file: take it back so the archive matches the register.
            let _ = std::fs::remove_file(&path);
            Err(e)
        }
    }
}

/// « Bilan annuel des réclamations »: the statistics as a printable report on the letterhead,
/// signed by the Déléguée Générale.
pub fn statistics_report(
    conn: &Connection,
    s: &crate::store::stats::Stats,
    title: &str,
    today: NaiveDate,
) -> Result<LetterDoc> {
    let org = settings::organisation(conn)?;
    let n = |v: Option<f64>| v.map(|x| format!("{x:.1}").replace('.', ",")).unwrap_or_else(|| "—".into());
    let list = |counts: &[crate::store::stats::Count]| -> Vec<String> {
        counts.iter().map(|c| format!("- {} : {}", c.label, c.count)).collect()
    };
    let mut p: Vec<String> = vec![format!(
        "Période du {} au {}. {} réclamation(s) reçue(s), dont {} purgée(s) à l'issue de leur durée de conservation (comptées d'après leur trace anonyme) ; {} dossier(s) clos.",
        parse_date(&s.from).map(format_fr).unwrap_or_default(),
        parse_date(&s.to).map(format_fr).unwrap_or_default(),
        s.received,
        s.received_purged,
        s.closed
    )];
    p.push("Réclamations reçues par nature :".into());
    p.extend(list(&s.by_nature));
    p.push("Par canal :".into());
    p.extend(list(&s.by_channel));
    p.push("Par destinataire :".into());
    p.extend(list(&s.by_addressee));
    p.push("Par qualité du plaignant :".into());
    p.extend(list(&s.by_role));
    p.push("Décisions des dossiers clos :".into());
    p.extend(list(&s.by_decision));
    p.push("Commission de recours :".into());
    p.extend(list(&s.by_committee_outcome));
    p.push(format!(
        "Délai de traitement (de la réception à la clôture) : médiane {} jours, moyenne {} jours, 90e centile {} jours. Dossiers clos dans le délai global : {} %.",
        n(s.handling_median_days),
        n(s.handling_mean_days),
        s.handling_p90_days.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
        n(s.closed_within_deadline_pct)
    ));
    p.push(format!(
        "Dépassements du délai global : {}, dont {} justifié(s) auprès des deux parties. Accusés de réception adressés sous {} jours : {} %. Réclamations encore ouvertes en fin de période : {}.",
        s.overruns, s.overruns_justified, s.ar_days, n(s.ar_within_pct), s.open_at_end
    ));
    if !s.top_firms.is_empty() {
        p.push("Qualifiés les plus concernés :".into());
        p.extend(list(&s.top_firms));
    }
    Ok(LetterDoc {
        letterhead: letterhead(&org),
        recipient: vec!["Revue de direction".into(), org.name.clone()],
        place_date: format!("{}, le {}", org.letter_place.trim(), format_fr_long(today)),
        reference: title.to_owned(),
        subject: title.to_owned(),
        registered_number: None,
        salutation: String::new(),
        paragraphs: p.iter().map(|x| typography::french(x)).collect(),
        closing: String::new(),
        signatory_name: org.general_delegate_name.clone(),
        signatory_title: org.general_delegate_title.clone(),
        title: title.to_owned(),
        created: chrono::Local::now().naive_local(),
    })
}

/// A preview of unsaved wording, for Paramètres: with a complaint's data, or none at all.
pub fn preview(
    conn: &Connection,
    fonts: &Fonts,
    kind: LetterKind,
    subject: &str,
    body: &str,
    complaint_id: i64,
    today: NaiveDate,
) -> Result<Vec<u8>> {
    let c = complaints::get(conn, complaint_id, today)?;
    let org = settings::organisation(conn)?;
    let facts = facts(conn, &c, kind, today)?;
    let doc = build_doc(&org, &facts, subject, body, None, today, &format!("Aperçu – {}", kind.label()))?;
    pdf::render(&doc, fonts).map_err(|e| Error::field("letter", format!("Le PDF n'a pas pu être produit : {e}")))
}

/// A document of a complaint's file, for its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentView {
    pub id: i64,
    pub direction: String,
    pub kind: String,
    pub kind_label: String,
    pub recipient_label: &'static str,
    pub relative_path: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub template_version: Option<i64>,
    pub created_on: String,
    pub sent_on: Option<String>,
    pub send_mode: String,
    pub registered_number: String,
    pub ar_returned_on: Option<String>,
}

pub fn documents(conn: &Connection, complaint_id: i64) -> Result<Vec<DocumentView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, direction, kind, recipient, relative_path, sha256, size_bytes, template_version, created_at,
                sent_on, send_mode, registered_number, ar_returned_on
         FROM documents WHERE complaint_id = ?1 ORDER BY id DESC",
    )?;
    let rows = stmt
        .query_map(params![complaint_id], |r| {
            let kind: String = r.get(2)?;
            let recipient: String = r.get(3)?;
            Ok(DocumentView {
                id: r.get(0)?,
                direction: r.get(1)?,
                kind_label: LetterKind::from_code(&kind).map_or_else(|| kind.clone(), |k| k.label().to_owned()),
                kind,
                recipient_label: Recipient::from_code(&recipient).map_or("", Recipient::label),
                relative_path: r.get(4)?,
                sha256: r.get(5)?,
                size_bytes: r.get(6)?,
                template_version: r.get(7)?,
                created_on: r.get(8)?,
                sent_on: r.get(9)?,
                send_mode: r.get(10)?,
                registered_number: r.get(11)?,
                ar_returned_on: r.get(12)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The archived file of a document, checked to stay inside the documents folder.
pub fn document_path(conn: &Connection, documents_dir: &Path, id: i64) -> Result<PathBuf> {
    let relative: String = conn
        .query_row("SELECT relative_path FROM documents WHERE id = ?1", params![id], |r| r.get(0))
        .optional()?
        .ok_or(Error::NotFound { what: "Le document", id })?;
    if relative.split('/').any(|part| part == ".." || part.is_empty()) {
        return Err(Error::NotFound { what: "Le document", id });
    }
    Ok(documents_dir.join(relative))
}

/// The letters a complaint calls for now, in the procedure's order.
pub fn offered(conn: &Connection, c: &ComplaintDetail) -> Result<Vec<LetterKind>> {
    use LetterKind as K;
    let (decision, outcome, justified, reason): (String, String, bool, String) = conn.query_row(
        "SELECT decision, committee_outcome, overrun_justification <> '', inadmissible_reason FROM complaints WHERE id = ?1",
        params![c.id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let clock = |code: &str| c.workflow.clocks.iter().find(|k| k.clock == code);
    let mut out = Vec::new();
    match c.step {
        Step::Registered if c.missing_elements.is_empty() => out.push(K::Acknowledgement),
        Step::Registered | Step::AwaitingDetails => out.push(K::RequestDetails),
        Step::Complete => out.push(K::Acknowledgement),
        _ => {}
    }
    if !reason.is_empty() {
        out.push(K::Inadmissible);
    }
    if let Some(firm) = clock("firm_answer") {
        out.push(K::FirmNotification);
        if firm.state == "overdue" {
            out.push(K::FirmReminder);
        }
    }
    if clock("complainant_info").is_some() {
        out.push(K::InformationRequest);
    }
    if clock("investigator_answer").is_some() {
        out.push(K::InvestigatorTransmission);
    }
    if let Some(d) = Decision::from_code(&decision) {
        out.extend(LetterKind::for_decision(d));
    }
    if !outcome.is_empty() {
        out.extend([K::CommitteeOutcomeComplainant, K::CommitteeOutcomeFirm]);
    }
    if justified {
        out.extend([K::OverrunComplainant, K::OverrunFirm]);
    }
    Ok(out)
}

/// « Marquer envoyé »: date and mode, with the registered number checked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SentForm {
    pub date: String,
    /// `simple` or `registered`.
    pub mode: String,
    pub registered_number: String,
}

pub fn mark_sent(
    conn: &mut Connection,
    document_id: i64,
    form: &SentForm,
    today: NaiveDate,
    author: &str,
) -> Result<()> {
    let mut errors = FieldErrors::new();
    let date = match parse_date(&form.date) {
        Some(d) if d <= today => Some(d),
        Some(_) => {
            errors.insert("date".into(), "La date d'envoi ne peut pas être dans le futur.".into());
            None
        }
        None => {
            errors.insert("date".into(), "Date invalide : utilisez le format JJ/MM/AAAA.".into());
            None
        }
    };
    let number = match form.mode.as_str() {
        "simple" => None,
        "registered" => match registered(Some(&form.registered_number)) {
            Ok(Some(n)) => Some(n),
            _ => {
                errors.insert(
                    "registered_number".into(),
                    "Numéro de recommandé invalide : 13 caractères, comme 1A 123 456 7890 1.".into(),
                );
                None
            }
        },
        _ => {
            errors.insert("mode".into(), "Choisissez courrier simple ou recommandé.".into());
            None
        }
    };
    let (Some(date), true) = (date, errors.is_empty()) else {
        return Err(Error::Validation { fields: errors });
    };
    let tx = conn.transaction()?;
    let row: Option<(Option<i64>, String, Option<String>, String)> = tx
        .query_row(
            "SELECT complaint_id, kind, sent_on, created_at FROM documents WHERE id = ?1 AND direction = 'out'",
            params![document_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (complaint_id, kind, sent_on, created) = row.ok_or(Error::NotFound { what: "Le courrier", id: document_id })?;
    if let Some(sent) = sent_on {
        return Err(Error::field("date", format!("Ce courrier est déjà marqué envoyé le {}.", long(&sent))));
    }
    if parse_date(&created).is_some_and(|c| date < c) {
        return Err(Error::field("date", "La date d'envoi précède la date du courrier."));
    }
    tx.execute(
        "UPDATE documents SET sent_on = ?2, send_mode = ?3, registered_number = coalesce(?4, registered_number)
         WHERE id = ?1",
        params![document_id, date.to_string(), if number.is_some() { "registered" } else { "simple" }, number],
    )?;
    if let Some(complaint_id) = complaint_id {
        let label = LetterKind::from_code(&kind).map_or_else(|| kind.clone(), |k| k.label().to_owned());
        let how =
            number.map(|n| format!("en recommandé avec AR n° {n}")).unwrap_or_else(|| "en courrier simple".into());
        let summary = format!("Courrier « {label} » envoyé le {} {how}.", format_fr(date));
        journal::append(
            &tx,
            complaint_id,
            &NewEntry {
                document: Some(document_id),
                ..NewEntry::simple(JournalKind::LetterOut, date, author, &summary)
            },
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// The date on the returned AR card of a registered letter.
pub fn record_ar_returned(
    conn: &mut Connection,
    document_id: i64,
    date: &str,
    today: NaiveDate,
    author: &str,
) -> Result<()> {
    let date = parse_date(date)
        .filter(|d| *d <= today)
        .ok_or_else(|| Error::field("ar_date", "Date invalide ou dans le futur (JJ/MM/AAAA)."))?;
    let tx = conn.transaction()?;
    let row: Option<(Option<i64>, Option<String>, String)> = tx
        .query_row("SELECT complaint_id, sent_on, send_mode FROM documents WHERE id = ?1", params![document_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let (complaint_id, sent_on, mode) = row.ok_or(Error::NotFound { what: "Le courrier", id: document_id })?;
    if mode != "registered" || sent_on.as_deref().and_then(parse_date).is_none_or(|s| date < s) {
        return Err(Error::field("ar_date", "Seul un recommandé envoyé a un avis de réception, daté après l'envoi."));
    }
    tx.execute("UPDATE documents SET ar_returned_on = ?2 WHERE id = ?1", params![document_id, date.to_string()])?;
    if let Some(complaint_id) = complaint_id {
        let summary = format!("Avis de réception du recommandé retourné, signé le {}.", format_fr(date));
        journal::append(
            &tx,
            complaint_id,
            &NewEntry {
                document: Some(document_id),
                ..NewEntry::simple(JournalKind::LetterIn, date, author, &summary)
            },
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// « Courrier du jour »: every letter generated `today` and not yet marked sent, as one PDF.
pub fn day_mail(conn: &Connection, fonts: &Fonts, today: NaiveDate) -> Result<(Vec<u8>, usize)> {
    let mut stmt = conn.prepare_cached(
        "SELECT letter_data FROM documents
         WHERE direction = 'out' AND created_at = ?1 AND sent_on IS NULL AND letter_data IS NOT NULL ORDER BY id",
    )?;
    let docs: Vec<LetterDoc> = stmt
        .query_map(params![today.to_string()], |r| r.get::<_, String>(0))?
        .filter_map(|json| json.ok().and_then(|j| serde_json::from_str::<LetterDoc>(&j).ok()))
        .map(|mut doc| {
            doc.letterhead.logo_png = Some(LOGO_PNG.to_vec());
            doc
        })
        .collect();
    if docs.is_empty() {
        return Err(Error::field("day_mail", "Aucun courrier généré aujourd'hui n'attend d'être envoyé."));
    }
    let bytes = pdf::render_many(&docs, fonts)
        .map_err(|e| Error::field("day_mail", format!("Le PDF n'a pas pu être produit : {e}")))?;
    Ok((bytes, docs.len()))
}

/// The reply to an oral contact, explaining how to complain in writing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub civility: String,
    pub name: String,
    pub address_lines: String,
    pub postcode: String,
    pub city: String,
}

pub fn how_to_complain(
    conn: &mut Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    form: &ContactForm,
    today: NaiveDate,
) -> Result<Generated> {
    let mut errors = FieldErrors::new();
    let civility = match form.civility.as_str() {
        "" => None,
        code => Civility::from_code(code),
    };
    if form.name.trim().is_empty() {
        errors.insert("name".into(), "Indiquez le nom de la personne.".into());
    }
    let mut lines = vec![civility_name(civility, form.name.trim())];
    lines.extend(form.address_lines.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned));
    lines.push(format!("{} {}", form.postcode.trim(), form.city.trim()));
    let recipient = match typography::postal_address(&lines.iter().map(String::as_str).collect::<Vec<_>>()) {
        Ok(r) => r,
        Err(e) => {
            errors.insert("address_lines".into(), e);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(Error::Validation { fields: errors });
    }
    let org = settings::organisation(conn)?;
    let t = template(conn, LetterKind::HowToComplain)?;
    let (sig_name, sig_title) = signatory(&org, Signatory::GeneralDelegate, None);
    let mut values: BTreeMap<&'static str, String> = BTreeMap::new();
    values.insert("appel", civility.map_or("Madame, Monsieur", Civility::label).to_owned());
    values.insert("destinataire", lines[0].clone());
    values.insert("date_lettre", format_fr_long(today));
    values.insert("organisation", org.name.clone());
    values.insert("adresse_organisation", org.one_line_address());
    values.insert("courriel_organisation", org.email.clone());
    values.insert("signataire", sig_name.clone());
    values.insert("titre_signataire", sig_title.clone());
    let facts = Facts {
        values,
        recipient,
        reference: format!("Contact oral du {}", format_fr(today)),
        signatory_name: sig_name,
        signatory_title: sig_title,
    };
    let doc = build_doc(&org, &facts, &t.subject, &t.body, None, today, LetterKind::HowToComplain.label())?;
    let bytes = pdf::render(&doc, fonts)
        .map_err(|e| Error::field("letter", format!("Le PDF n'a pas pu être produit : {e}")))?;
    let sha256 = archive::sha256_hex(&bytes);
    let stem = format!("{today}_how_to_complain_{}", archive::slug(&form.name, 30));
    let path = archive::write_new(&documents_dir.join("contacts-oraux"), &stem, "pdf", &bytes)?;
    let relative = path.strip_prefix(documents_dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
    let inserted = conn.execute(
        "INSERT INTO documents (direction, kind, recipient, relative_path, sha256, size_bytes, template_version,
                                letter_data, created_at)
         VALUES ('out', 'how_to_complain', 'contact', ?1, ?2, ?3, ?4, ?5, ?6)",
        params![relative, sha256, bytes.len() as i64, t.version, serde_json::to_string(&doc).ok(), today.to_string()],
    );
    match inserted {
        Ok(_) => Ok(Generated { document_id: conn.last_insert_rowid(), path, sha256, template_version: t.version }),
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(e.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::letters::pdf::{layout, WINDOW};
    use crate::store::complaints::tests::sample_complaint;
    use crate::store::workflow::{perform, ActionForm};
    use std::sync::OnceLock;

    fn fonts() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts::liberation().unwrap_or_else(|e| panic!("fonts: {e}")))
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn act(
        conn: &mut Connection,
        id: i64,
        action: &str,
        date: &str,
        choice: &str,
        text: &str,
        name: &str,
    ) -> Result<()> {
        let form = ActionForm {
            action: action.into(),
            date: date.into(),
            choice: choice.into(),
            text: text.into(),
            name: name.into(),
        };
        perform(conn, id, "Sophie Martin", &form, day(2026, 4, 30)).map(|_| ())
    }

    /// A complete complaint received 02/03/2026, taken to a warning decision.
    fn decided(conn: &mut Connection) -> Result<i64> {
        let mut form = sample_complaint();
        form.received_on = "02/03/2026".into();
        let id = complaints::register(conn, &form, day(2026, 3, 2), "S")?.id;
        act(conn, id, "acknowledge", "02/03/2026", "", "", "")?;
        act(conn, id, "transmit", "03/03/2026", "qualification", "", "")?;
        act(conn, id, "inform_firm", "04/03/2026", "letter", "", "")?;
        act(conn, id, "request_information", "05/03/2026", "", "Copie du contrat de maîtrise d'œuvre.", "")?;
        act(conn, id, "pass_to_investigator", "06/03/2026", "", "", "Paul Bernard")?;
        act(conn, id, "decide", "20/04/2026", "warning", "Métré erroné de 30 %, reconnu par le cabinet.", "")?;
        Ok(id)
    }

    fn pdftotext(bytes: &[u8]) -> Option<String> {
        let dir = tempfile::tempdir().ok()?;
        let path = dir.path().join("l.pdf");
        std::fs::write(&path, bytes).ok()?;
        let out = std::process::Command::new("pdftotext").args(["-layout"]).arg(&path).arg("-").output().ok()?;
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Expected facts for each kind: (kind, texts that must be in the PDF).
    fn expectations() -> Vec<(LetterKind, Vec<&'static str>)> {
        use LetterKind as K;
        let complainant = vec!["Madame Claire Lefèvre", "69003 LYON", "Madame,"];
        let firm = vec!["Économie Bâtiment Conseil", "75016 PARIS", "Madame, Monsieur,"];
        let with =
            |base: &Vec<&'static str>, more: &[&'static str]| base.iter().chain(more).copied().collect::<Vec<_>>();
        vec![
            (K::Acknowledgement, with(&complainant, &["2 mars 2026", "2 septembre 2026"])),
            (K::FirmNotification, with(&firm, &["Madame Claire Lefèvre", "7 avril 2026"])),
            (K::FirmReminder, with(&firm, &["4 mars 2026", "7 avril 2026"])),
            (K::InformationRequest, with(&complainant, &["Copie du contrat de maîtrise d’œuvre.", "7 avril 2026"])),
            (
                K::InvestigatorTransmission,
                vec!["Paul Bernard", "75007 PARIS", "7 avril 2026", "Responsable des Qualifications"],
            ),
            (K::WarningComplainant, with(&complainant, &["20 avril 2026", "Métré erroné de 30", "avertissement"])),
            (K::WarningFirm, with(&firm, &["20 avril 2026", "Métré erroné de 30", "avertissement"])),
        ]
    }

    #[test]
    fn each_kind_names_the_right_people_dates_and_fits_the_window() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        for (kind, expected) in expectations() {
            let doc = compose(&conn, id, kind, None, day(2026, 4, 30))?;
            let placed = layout(&doc, fonts());
            // The recipient's lines, not the same words in the letterhead (the investigator's
            // letter goes c/o the organisation).
            let address: Vec<_> = placed
                .lines
                .iter()
                .filter(|l| {
                    doc.recipient.contains(&l.text)
                        && l.page == 0
                        && l.x_mm > 90.0
                        && l.y_from_top_mm > 40.0
                        && l.y_from_top_mm < 100.0
                })
                .collect();
            assert_eq!(address.len(), doc.recipient.len(), "{kind:?}");
            for l in &address {
                let top = l.y_from_top_mm - l.size_pt * 0.3528 * 0.9;
                let bottom = l.y_from_top_mm + l.size_pt * 0.3528 * 0.25;
                assert!(WINDOW.contains(l.x_mm, top, l.width_mm, bottom), "{kind:?}: {} outside the window", l.text);
            }
            let bytes = pdf::render(&doc, fonts()).map_err(|e| Error::field("pdf", e.to_string()))?;
            let Some(text) = pdftotext(&bytes) else { continue };
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for e in expected.iter().chain(&["REC-2026-0001", "Paris, le 30 avril 2026"]) {
                assert!(flat.contains(e), "{kind:?}: « {e} » missing from\n{text}");
            }
            assert!(!flat.contains("Lettre recommandée"), "{kind:?}: not registered");
        }
        Ok(())
    }

    #[test]
    fn the_signatory_follows_the_kind_and_the_manager() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let mut org = settings::organisation(&conn)?;
        org.general_delegate_name = "Sophie Martin".into();
        org.qualification_manager_name = "Luc Petit".into();
        settings::save_organisation(&conn, &org)?;
        let ar = compose(&conn, id, LetterKind::Acknowledgement, None, day(2026, 4, 30))?;
        assert_eq!(
            (ar.signatory_name.as_str(), ar.signatory_title.as_str()),
            ("Sophie Martin", "La Déléguée Générale")
        );
        let decision = compose(&conn, id, LetterKind::WarningFirm, None, day(2026, 4, 30))?;
        assert_eq!(decision.signatory_name, "Luc Petit");
        Ok(())
    }

    #[test]
    fn missing_data_and_unknown_fields_are_refused_before_any_pdf() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        // The complaint is complete: no missing elements to list.
        let err = compose(&conn, id, LetterKind::RequestDetails, None, day(2026, 4, 30));
        assert!(
            matches!(&err, Err(Error::Validation { fields }) if fields["letter"].contains("{{elements_manquants}}")),
            "{err:?}"
        );
        // No committee yet.
        assert!(compose(&conn, id, LetterKind::CommitteeOutcomeFirm, None, day(2026, 4, 30)).is_err());
        let e = save_template(&conn, LetterKind::Acknowledgement, "Objet", "{{appel}}, {{referense}}", "S");
        assert!(matches!(&e, Err(Error::Validation { fields }) if fields["body"].contains("{{referense}}")), "{e:?}");
        let dir = tempfile::tempdir()?;
        let generated =
            generate(&mut conn, dir.path(), fonts(), id, LetterKind::RequestDetails, None, day(2026, 4, 30), "S");
        assert!(generated.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).map(|d| d.count()).unwrap_or(0), 0, "no file written");
        Ok(())
    }

    #[test]
    fn an_incomplete_complaint_gets_the_list_of_missing_elements() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut form = sample_complaint();
        form.actions_taken.clear();
        form.checklist.actions_taken = false;
        form.facts.clear();
        form.checklist.facts = false;
        let id = complaints::register(&mut conn, &form, day(2026, 11, 28), "S")?.id;
        let doc = compose(&conn, id, LetterKind::RequestDetails, None, day(2026, 11, 28))?;
        let items: Vec<&String> = doc.paragraphs.iter().filter(|p| p.starts_with("- ")).collect();
        assert_eq!(items.len(), 2, "{:?}", doc.paragraphs);
        assert!(items[0].contains("exposé détaillé") && items[1].contains("actions déjà menées"));
        Ok(())
    }

    #[test]
    fn generated_letters_are_archived_versioned_journaled_and_sent() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let dir = tempfile::tempdir()?;
        let today = day(2026, 4, 30);
        let first = generate(
            &mut conn,
            dir.path(),
            fonts(),
            id,
            LetterKind::WarningFirm,
            Some("1a 123 456 7890 1"),
            today,
            "S",
        )?;
        let again = generate(&mut conn, dir.path(), fonts(), id, LetterKind::WarningFirm, None, today, "S")?;
        assert_ne!(first.path, again.path, "a regenerated letter is a new file");
        let bytes = std::fs::read(&first.path)?;
        assert_eq!(archive::sha256_hex(&bytes), first.sha256);
        let entry = journal::list(&conn, id)?.into_iter().find(|e| e.summary.contains(&first.sha256));
        assert!(entry.is_some_and(|e| e.kind == "letter_out" && e.summary.contains("modèle v1")));
        if let Some(text) = pdftotext(&bytes) {
            assert!(text.contains("Lettre recommandée avec accusé de réception n° 1A 123 456 7890 1"), "{text}");
        }
        assert!(first.path.starts_with(dir.path().join("Q00001-economie-batiment-conseil").join("REC-2026-0001")));
        // A new template version is recorded on the next letter.
        save_template(
            &conn,
            LetterKind::WarningFirm,
            "Avertissement {{reference}}",
            "{{appel}},\n\nTexte.\n\nSalutations.",
            "S",
        )?;
        let third = generate(&mut conn, dir.path(), fonts(), id, LetterKind::WarningFirm, None, today, "S")?;
        assert_eq!(third.template_version, 2);
        restore_default(&conn, LetterKind::WarningFirm, "S")?;
        assert!(template(&conn, LetterKind::WarningFirm)?.is_default);

        let (pdf, count) = day_mail(&conn, fonts(), today)?;
        assert_eq!(count, 3);
        assert!(pdf.starts_with(b"%PDF"));
        let bad = SentForm { date: "30/04/2026".into(), mode: "registered".into(), registered_number: "123".into() };
        assert!(mark_sent(&mut conn, first.document_id, &bad, today, "S").is_err());
        let sent = SentForm {
            date: "30/04/2026".into(),
            mode: "registered".into(),
            registered_number: "1A 123 456 7890 1".into(),
        };
        mark_sent(&mut conn, first.document_id, &sent, today, "S")?;
        assert!(mark_sent(&mut conn, first.document_id, &sent, today, "S").is_err(), "already sent");
        assert_eq!(day_mail(&conn, fonts(), today)?.1, 2);
        record_ar_returned(&mut conn, first.document_id, "30/04/2026", today, "S")?;
        let docs = documents(&conn, id)?;
        let d = docs.iter().find(|d| d.id == first.document_id);
        assert!(d.is_some_and(
            |d| d.ar_returned_on.as_deref() == Some("2026-04-30") && d.registered_number == "1A 123 456 7890 1"
        ));
        assert_eq!(journal::first_broken(&conn, id)?, None);
        Ok(())
    }

    #[test]
    fn the_letters_offered_follow_the_file() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let c = complaints::get(&conn, id, day(2026, 4, 30))?;
        let offered = offered(&conn, &c)?;
        use LetterKind as K;
        assert_eq!(
            offered,
            [
                K::FirmNotification,
                K::FirmReminder,
                K::InformationRequest,
                K::InvestigatorTransmission,
                K::WarningComplainant,
                K::WarningFirm
            ]
        );
        Ok(())
    }

    #[test]
    fn how_to_complain_needs_no_complaint() -> Result<()> {
        let mut conn = open_in_memory()?;
        let dir = tempfile::tempdir()?;
        let form = ContactForm {
            civility: "monsieur".into(),
            name: "Jean Durand".into(),
            address_lines: "4 rue Victor Hugo".into(),
            postcode: "33000".into(),
            city: "Bordeaux".into(),
        };
        let g = how_to_complain(&mut conn, dir.path(), fonts(), &form, day(2026, 11, 28))?;
        if let Some(text) = pdftotext(&std::fs::read(&g.path)?) {
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains("Monsieur Jean Durand") && flat.contains("33000 BORDEAUX"), "{text}");
            assert!(flat.contains("secretariat@opqtecc.org") && flat.contains("« réclamation »"), "{text}");
        }
        assert!(how_to_complain(&mut conn, dir.path(), fonts(), &ContactForm::default(), day(2026, 11, 28)).is_err());
        Ok(())
    }
}
