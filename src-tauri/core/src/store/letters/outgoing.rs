//! The outgoing letters: composed from a template and the register, generated into the firm's
//! file (never overwritten) with the journal told, then marked sent and their AR card recorded;
//! and the reply to an oral contact, which needs no complaint.

use super::compose::{assemble, build_doc, merge, without_recording};
use super::facts::{civility_name, facts_for, is_reminder, long, reminder_due, signatory, stated_firm_due, Facts};
use super::templates::{template, Template};
use crate::datadir;
use crate::deadlines;
use crate::error::{Error, FieldErrors, Result};
use crate::french::{format_fr, format_fr_long};
use crate::letters::kinds::{LetterKind, Signatory};
use crate::letters::merge::MergeValues;
use crate::letters::pdf::{self, Fonts, LetterDoc};
use crate::letters::typography;
use crate::model::{Civility, Direction, SendMode};
use crate::procedure::{wording, FieldKey};
use crate::store::complaints;
use crate::store::complaints::ComplaintDetail;
use crate::store::documents::{self, archive_then_record, firm_folder, NewDocument};
use crate::store::journal::{self, JournalKind, NewEntry};
use crate::store::settings;
use crate::validate::{normalise_registered_number, parse_date};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The letter of `kind` for a complaint, with the template in force, before rendering.
pub fn compose(
    conn: &Connection,
    complaint_id: i64,
    kind: LetterKind,
    registered_number: Option<&str>,
    today: NaiveDate,
) -> Result<LetterDoc> {
    let c = complaints::get_for_letter(conn, complaint_id)?;
    Ok(compose_for(conn, &c, kind, registered(registered_number)?, today, None, None)?.0)
}

/// `person`: the intervenant a declaration form names (`None` for every other letter);
/// `adapted`: the text edited for this file, instead of the template's.
fn compose_for(
    conn: &Connection,
    c: &ComplaintDetail,
    kind: LetterKind,
    number: Option<String>,
    today: NaiveDate,
    person: Option<i64>,
    adapted: Option<&Adapted>,
) -> Result<(LetterDoc, Template)> {
    let t = template(conn, kind)?;
    let facts = facts_for(conn, c, kind, today, person)?;
    let title = format!("{} – {}", kind.label(), c.reference);
    let doc = match adapted {
        Some(a) => {
            a.check()?;
            assemble(conn, &facts, a.subject.trim(), &a.body, number, today, &title)?
        }
        None => build_doc(conn, &facts, &t.subject, &t.body, number, today, &title)?,
    };
    Ok((doc, t))
}

/// « Adapter ce courrier »: the subject and text of one letter, the template applied to the
/// file, edited for this file only (the template stays as it is).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Adapted {
    pub subject: String,
    pub body: String,
}

impl Adapted {
    /// Refused when a part is empty, or when it still holds template syntax: the adapted
    /// text is printed as typed, never merged again.
    fn check(&self) -> Result<()> {
        let mut errors = FieldErrors::new();
        for (key, text, empty) in [
            ("adapted_subject", &self.subject, "L'objet du courrier ne peut pas être vide."),
            ("adapted_body", &self.body, "Le texte du courrier ne peut pas être vide."),
        ] {
            if text.trim().is_empty() {
                errors.insert(key.into(), empty.into());
            } else if text.contains("{{") || text.contains("{%") {
                errors.insert(
                    key.into(),
                    "Ce texte contient encore « {{ » ou « {% » : écrivez-le tel qu'il doit être imprimé (les champs de fusion ne servent que dans les modèles).".into(),
                );
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation { fields: errors })
        }
    }
}

/// The template of `kind` applied to the file: what « Adapter ce courrier » opens.
/// `intervenant`: the instructeur a transmission letter is addressed to (see [`LetterChoice`]).
pub fn merged_text(
    conn: &Connection,
    complaint_id: i64,
    kind: LetterKind,
    intervenant: Option<i64>,
    today: NaiveDate,
) -> Result<Adapted> {
    let c = complaints::get_for_letter(conn, complaint_id)?;
    let t = template(conn, kind)?;
    let person = addressee(conn, complaint_id, kind, intervenant)?;
    let (subject, body) = without_recording(conn, |tx| {
        let facts = facts_for(tx, &c, kind, today, person)?;
        merge(&facts, &t.subject, &t.body)
    })?;
    Ok(Adapted { subject, body })
}

/// What « Aperçu » shows: the letter exactly as it will print, and its PDF.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub doc: LetterDoc,
    #[serde(skip)]
    pub pdf: Vec<u8>,
    /// The unsent letter of the same kind that validating would replace (« Régénérer »).
    pub replaces: Option<Replaced>,
}

/// An earlier letter, not sent, that a new one of its kind replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replaced {
    pub document_id: i64,
    pub created_on: String,
}

/// « Aperçu »: the letter `kind` rendered as « Valider et archiver » would archive it, with
/// nothing written — no file, no document, no journal entry, no digest of the day (the
/// transaction that computed it is rolled back).
pub fn preview_letter(
    conn: &Connection,
    fonts: &Fonts,
    complaint_id: i64,
    kind: LetterKind,
    choice: &LetterChoice,
    today: NaiveDate,
) -> Result<Preview> {
    let number = registered(choice.registered_number.as_deref())?;
    let c = complaints::get_for_letter(conn, complaint_id)?;
    let person = addressee(conn, complaint_id, kind, choice.intervenant_id)?;
    let (doc, replaces) = without_recording(conn, |tx| {
        let (doc, _) = compose_for(tx, &c, kind, number, today, person, choice.adapted.as_ref())?;
        // The letter validating would replace: the one `generate_for` marks replaced.
        Ok((doc, unsent_of_kind(tx, c.id, kind, person)?.into_iter().last()))
    })?;
    let pdf = render(&doc, fonts)?;
    Ok(Preview { doc, pdf, replaces })
}

/// The unsent letters of `kind` still in force for a complaint (the same decision's, the same
/// intervenant's for a declaration form), oldest first.
fn unsent_of_kind(
    conn: &Connection,
    complaint_id: i64,
    kind: LetterKind,
    person: Option<i64>,
) -> Result<Vec<Replaced>> {
    let decision = crate::store::decisions::announced_by(conn, complaint_id, kind)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, created_at FROM documents
         WHERE complaint_id = ?1 AND direction = 'out' AND kind = ?2 AND sent_on IS NULL AND superseded = ''
           AND coalesce(decision_id, 0) = coalesce(?3, decision_id, 0)
           AND coalesce(intervenant_id, 0) = coalesce(?4, 0)
         ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![complaint_id, kind.code(), decision, person], |r| {
            Ok(Replaced { document_id: r.get(0)?, created_on: r.get(1)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A registered-letter number typed for a letter: normalised and checked, or refused.
fn registered(number: Option<&str>) -> Result<Option<String>> {
    match number.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(None),
        // Stored without spaces, like the complaints' numbers: found however it is typed.
        Some(n) => normalise_registered_number(n).map(Some).ok_or_else(|| {
            Error::field("registered_number", "Numéro de recommandé invalide : 13 caractères, comme 1A 123 456 7890 1.")
        }),
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

fn render(doc: &LetterDoc, fonts: &Fonts) -> Result<Vec<u8>> {
    Ok(pdf::render(doc, fonts)?)
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
    generate_for(conn, documents_dir, fonts, complaint_id, kind, registered_number, today, author, None, None)
}

/// What the secretary chose for one letter on the complaint page: a registered number, the
/// text adapted for this file, the instructeur a transmission letter goes to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct LetterChoice {
    pub registered_number: Option<String>,
    pub adapted: Option<Adapted>,
    pub intervenant_id: Option<i64>,
}

/// « Valider et archiver »: the letter as previewed with `choice`, archived and journalled like
/// [`generate`]. Adapted, the journal says so; it meets its obligation like the standard letter,
/// and the template is untouched. A transmission letter addressed to an instructeur of the
/// register (who declared no conflict) states his answer date; marking it sent passes him the
/// file.
#[allow(clippy::too_many_arguments)]
pub fn generate_chosen(
    conn: &mut Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    complaint_id: i64,
    kind: LetterKind,
    choice: &LetterChoice,
    today: NaiveDate,
    author: &str,
) -> Result<Generated> {
    let person = addressee(conn, complaint_id, kind, choice.intervenant_id)?;
    generate_for(
        conn,
        documents_dir,
        fonts,
        complaint_id,
        kind,
        choice.registered_number.as_deref(),
        today,
        author,
        person,
        choice.adapted.as_ref(),
    )
}

/// The intervenant a letter is addressed to by choice: only the transmission letter takes one,
/// an instructeur of the register cleared for this file, when the file has none yet.
fn addressee(conn: &Connection, complaint_id: i64, kind: LetterKind, chosen: Option<i64>) -> Result<Option<i64>> {
    let Some(person) = chosen else { return Ok(None) };
    if kind != LetterKind::InvestigatorTransmission {
        return Ok(None);
    }
    let current: Option<i64> =
        conn.query_row("SELECT investigator_id FROM complaints WHERE id = ?1", params![complaint_id], |r| r.get(0))?;
    if current.is_some() {
        // Already passed (the action was recorded): the letter goes to that instructeur.
        return Ok(None);
    }
    let who = crate::store::intervenants::get(conn, person)?;
    if who.kind != crate::store::intervenants::IntervenantKind::Investigator {
        return Err(Error::field(FieldKey::Intervenant.code(), "Choisissez un instructeur du registre."));
    }
    crate::store::workflow::cleared(conn, complaint_id, person)?;
    Ok(Some(person))
}

/// The printable declaration of interests for the intervenant `intervenant_id` of the
/// register (an instructeur or an expert about to take the file), addressed to them, archived
/// and journalled like every letter.
pub fn generate_declaration_form(
    conn: &mut Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    complaint_id: i64,
    intervenant_id: i64,
    today: NaiveDate,
    author: &str,
) -> Result<Generated> {
    generate_for(
        conn,
        documents_dir,
        fonts,
        complaint_id,
        LetterKind::ConflictDeclaration,
        None,
        today,
        author,
        Some(intervenant_id),
        None,
    )
}

#[allow(clippy::too_many_arguments)]
fn generate_for(
    conn: &mut Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    complaint_id: i64,
    kind: LetterKind,
    registered_number: Option<&str>,
    today: NaiveDate,
    author: &str,
    person: Option<i64>,
    adapted: Option<&Adapted>,
) -> Result<Generated> {
    let number = registered(registered_number)?;
    let c = complaints::get_for_letter(conn, complaint_id)?;
    let (doc, t) = compose_for(conn, &c, kind, number.clone(), today, person, adapted)?;
    // The answer date the letter states, kept with it: the firm's information letter's
    // (`echeance_qualifie`), which the clock started when it is sent keeps; a reminder's new
    // date (`nouvelle_echeance`), to which its clock moves when it is sent.
    let due_on = match kind {
        LetterKind::FirmNotification => Some(stated_firm_due(conn, c.id, today)?),
        k if is_reminder(k) => Some(reminder_due(conn, today)?),
        // Addressed to the instructeur chosen: the answer date it states, which his clock keeps.
        LetterKind::InvestigatorTransmission if person.is_some() => {
            Some(deadlines::deadline(today, settings::deadlines(conn)?.investigator_months).due)
        }
        _ => None,
    };
    let bytes = render(&doc, fonts)?;
    let folder = Path::new(&firm_folder(c.firm.id, &c.firm.name)).join(&c.reference);
    let stem = format!("{today}_{}_v{}", kind.code(), t.version);
    let row = NewDocument {
        complaint_id: Some(c.id),
        firm_id: Some(c.firm.id),
        direction: Direction::Out.code(),
        kind: kind.code(),
        recipient: kind.recipient().code(),
        template_version: Some(t.version),
        letter_data: serde_json::to_string(&doc).ok(),
        created_on: today,
        registered_number: number.as_deref().unwrap_or_default(),
        send_mode: if number.is_some() { SendMode::Registered.code() } else { "" },
        due_on,
        intervenant_id: person,
        adapted: adapted.is_some(),
        ..NewDocument::default()
    };
    let (path, sha256, document_id) = archive_then_record(documents_dir, &folder, &stem, "pdf", &bytes, |file| {
        let tx = conn.transaction()?;
        // « Régénérer »: the earlier letter of this kind, not sent, stays archived, marked
        // replaced (it no longer counts, nor goes in the day's mail).
        let replaced = unsent_of_kind(&tx, c.id, kind, person)?;
        let document_id = documents::insert(&tx, &row, file)?;
        // A decision letter names the decision it announces: the obligation checks that one.
        if let Some(decision) = crate::store::decisions::announced_by(&tx, c.id, kind)? {
            tx.execute("UPDATE documents SET decision_id = ?2 WHERE id = ?1", params![document_id, decision])?;
        }
        let mark = format!("Remplacé par le courrier du {}, non envoyé", format_fr(today));
        for earlier in &replaced {
            tx.execute("UPDATE documents SET superseded = ?2 WHERE id = ?1", params![earlier.document_id, mark])?;
        }
        let mut summary =
            wording::letter_generated(kind.label(), t.version, number.as_deref(), file.relative_path, file.sha256);
        if adapted.is_some() {
            summary.push_str(&format!(" Courrier adapté pour ce dossier (le modèle v{} reste inchangé).", t.version));
        }
        for earlier in &replaced {
            summary.push_str(&format!(
                " Il remplace le courrier du {}, non envoyé, qui reste archivé.",
                parse_date(&earlier.created_on).map(format_fr).unwrap_or_else(|| earlier.created_on.clone())
            ));
        }
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
    })?;
    Ok(Generated { document_id, path, sha256, template_version: t.version })
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
            errors.insert("date".into(), crate::validate::INVALID_DATE.into());
            None
        }
    };
    let mode = SendMode::from_code(&form.mode);
    let number = match mode {
        Some(SendMode::Simple | SendMode::Email) => None,
        Some(SendMode::Registered) => match registered(Some(&form.registered_number)) {
            Ok(Some(n)) => Some(n),
            _ => {
                errors.insert(
                    "registered_number".into(),
                    "Numéro de recommandé invalide : 13 caractères, comme 1A 123 456 7890 1.".into(),
                );
                None
            }
        },
        None => {
            errors.insert("mode".into(), "Choisissez courrier simple ou recommandé.".into());
            None
        }
    };
    let (Some(date), true) = (date, errors.is_empty()) else {
        return Err(Error::Validation { fields: errors });
    };
    let tx = conn.transaction()?;
    type Sending = (Option<i64>, String, Option<String>, String, Option<String>, String);
    let row: Option<Sending> = tx
        .query_row(
            "SELECT d.complaint_id, d.kind, d.sent_on, d.created_at,
                    CASE d.recipient WHEN 'firm' THEN f.email WHEN 'complainant' THEN p.email END,
                    d.superseded
             FROM documents d LEFT JOIN complaints c ON c.id = d.complaint_id
                  LEFT JOIN firms f ON f.id = c.firm_id LEFT JOIN complainants p ON p.id = c.complainant_id
             WHERE d.id = ?1 AND d.direction = 'out'",
            params![document_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, Option<String>>(4)?, r.get(5)?)),
        )
        .optional()?;
    let (complaint_id, kind, sent_on, created, recipient_email, superseded) =
        row.ok_or(Error::NotFound { what: "Le courrier", id: document_id })?;
    let email = recipient_email.clone().unwrap_or_default();
    if !superseded.is_empty() && sent_on.is_none() {
        return Err(Error::field("date", format!("{superseded} : ce courrier ne peut plus être marqué envoyé.")));
    }
    let mode = mode.unwrap_or(SendMode::Simple);
    // Sent by email only as the draft the app prepared: the register names that file.
    let draft = match mode {
        SendMode::Email => Some(super::email::latest_draft(&tx, document_id)?.ok_or_else(|| {
            Error::field(
                "mode",
                if email.is_empty() {
                    "Le destinataire n'a pas d'adresse électronique : envoyez ce courrier par la poste."
                } else {
                    "Préparez d'abord le courriel (« Préparer par courriel ») : seul un courriel préparé par l'application peut être noté envoyé."
                },
            )
        })?),
        _ => None,
    };
    // The complainant's or firm's address corrected since the draft was written: that draft
    // went (or would go) to the old address.
    if let (Some((_, to, _, _)), Some(now)) = (&draft, &recipient_email) {
        if sent_on.is_none() && *to != now.trim().to_lowercase() {
            return Err(Error::field(
                "mode",
                format!(
                    "Le courriel préparé l'a été pour {to}, une adresse corrigée depuis : préparez de nouveau le courriel (« Préparer par courriel »), puis marquez-le envoyé."
                ),
            ));
        }
    }
    if let Some(sent) = sent_on {
        return Err(Error::field("date", format!("Ce courrier est déjà marqué envoyé le {}.", long(&sent))));
    }
    if parse_date(&created).is_some_and(|c| date < c) {
        return Err(Error::field("date", "La date d'envoi précède la date du courrier."));
    }
    tx.execute(
        "UPDATE documents SET sent_on = ?2, send_mode = ?3, registered_number = coalesce(?4, registered_number)
         WHERE id = ?1",
        params![document_id, date.to_string(), mode, number],
    )?;
    if let Some(complaint_id) = complaint_id {
        let label = documents::kind_label(&kind);
        let how = match (&draft, number) {
            (Some((draft_id, to, file, sha256)), _) => {
                tx.execute(
                    "UPDATE documents SET sent_on = ?2, send_mode = ?3 WHERE id = ?1",
                    params![draft_id, date.to_string(), SendMode::Email.code()],
                )?;
                format!("par courriel à {to}, le courrier en pièce jointe (courriel {file}, SHA-256 {sha256})")
            }
            (None, Some(n)) => wording::sent_by(SendMode::Registered, &n),
            _ => wording::sent_by(SendMode::Simple, ""),
        };
        let summary = wording::letter_sent(&label, date, &how);
        journal::append(
            &tx,
            complaint_id,
            &NewEntry {
                document: Some(document_id),
                ..NewEntry::simple(JournalKind::LetterOut, date, author, &summary)
            },
        )?;
        if let Some(kind) = LetterKind::from_code(&kind) {
            crate::store::workflow::letter_sent(&tx, complaint_id, document_id, kind, date, false, author)?;
        }
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
    let date = crate::validate::read_date(date).map_err(|m| Error::field("ar_date", m))?;
    if date > today {
        return Err(Error::field("ar_date", "La date de l'avis de réception ne peut pas être dans le futur."));
    }
    let tx = conn.transaction()?;
    let row: Option<(Option<i64>, Option<String>, String, String)> = tx
        .query_row(
            "SELECT complaint_id, sent_on, send_mode, kind FROM documents WHERE id = ?1",
            params![document_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (complaint_id, sent_on, mode, kind) = row.ok_or(Error::NotFound { what: "Le courrier", id: document_id })?;
    if mode != SendMode::Registered.code() || sent_on.as_deref().and_then(parse_date).is_none_or(|s| date < s) {
        return Err(Error::field("ar_date", "Seul un recommandé envoyé a un avis de réception, daté après l'envoi."));
    }
    tx.execute("UPDATE documents SET ar_returned_on = ?2 WHERE id = ?1", params![document_id, date.to_string()])?;
    if let Some(complaint_id) = complaint_id {
        let summary = wording::ar_returned(date);
        journal::append(
            &tx,
            complaint_id,
            &NewEntry {
                document: Some(document_id),
                ..NewEntry::simple(JournalKind::LetterIn, date, author, &summary)
            },
        )?;
        if let Some(kind) = LetterKind::from_code(&kind) {
            crate::store::workflow::letter_sent(&tx, complaint_id, document_id, kind, date, true, author)?;
        }
    }
    tx.commit()?;
    Ok(())
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
        code => {
            let known = Civility::from_code(code);
            if known.is_none() {
                errors.insert("civility".into(), "Civilité inconnue : choisissez-la dans la liste.".into());
            }
            known
        }
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
    let (signatory_name, signatory_title) = signatory(&org, Signatory::GeneralDelegate, None);
    // No complaint: the fields about one stay empty, and the merge refuses them if used.
    let values = MergeValues {
        appel: civility.map_or("Madame, Monsieur", Civility::label).to_owned(),
        e: crate::letters::merge::agreement(civility).to_owned(),
        destinataire: lines[0].clone(),
        date_lettre: format_fr_long(today),
        organisation: org.name.clone(),
        adresse_organisation: org.one_line_address(),
        courriel_organisation: org.email.clone(),
        signataire: signatory_name.clone(),
        titre_signataire: signatory_title.clone(),
        ..MergeValues::default()
    };
    let facts = Facts {
        values,
        recipient,
        reference: format!("Contact oral du {}", format_fr(today)),
        signatory_name,
        signatory_title,
        register_digest: crate::store::digest::current(conn, today)?.footer(),
    };
    let doc = build_doc(conn, &facts, &t.subject, &t.body, None, today, LetterKind::HowToComplain.label())?;
    let bytes = render(&doc, fonts)?;
    let stem = format!("{today}_how_to_complain_{}", crate::archive::slug(&form.name, 30));
    let row = NewDocument {
        direction: Direction::Out.code(),
        kind: "how_to_complain",
        recipient: "contact",
        template_version: Some(t.version),
        letter_data: serde_json::to_string(&doc).ok(),
        created_on: today,
        ..NewDocument::default()
    };
    let (path, sha256, document_id) =
        archive_then_record(documents_dir, Path::new(datadir::ORAL_CONTACTS), &stem, "pdf", &bytes, |file| {
            documents::insert(conn, &row, file)
        })?;
    Ok(Generated { document_id, path, sha256, template_version: t.version })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive;
    use crate::db::open_in_memory;
    use crate::letters::pdf::{layout, WINDOW};
    use crate::store::complaints::tests::sample_complaint;
    use crate::store::documents::documents;
    use crate::store::letters::tests::{day, decided};
    use crate::store::letters::{day_mail, restore_default, save_template};
    use crate::test_support::{flat, fonts, pdftotext};

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
            let Some(text) = pdftotext(&bytes)? else { continue };
            let flat = flat(&text);
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
        // « Régénérer »: a new file; the first, not sent, stays archived, marked replaced.
        let again = generate(&mut conn, dir.path(), fonts(), id, LetterKind::WarningFirm, None, today, "S")?;
        assert_ne!(first.path, again.path, "a regenerated letter is a new file");
        assert!(first.path.exists());
        let superseded = |conn: &Connection, doc: i64| -> Result<String> {
            Ok(conn.query_row("SELECT superseded FROM documents WHERE id = ?1", params![doc], |r| r.get(0))?)
        };
        assert_eq!(superseded(&conn, first.document_id)?, "Remplacé par le courrier du 30/04/2026, non envoyé");
        assert_eq!(superseded(&conn, again.document_id)?, "");
        let regenerated = journal::list(&conn, id)?.into_iter().find(|e| e.summary.contains(&again.sha256));
        assert!(
            regenerated.is_some_and(|e| e
                .summary
                .contains("Il remplace le courrier du 30/04/2026, non envoyé, qui reste archivé.")),
            "the journal names the letter replaced"
        );
        let bytes = std::fs::read(&first.path)?;
        assert_eq!(archive::sha256_hex(&bytes), first.sha256);
        let entry = journal::list(&conn, id)?.into_iter().find(|e| e.summary.contains(&first.sha256));
        assert!(entry.is_some_and(|e| e.kind == "letter_out" && e.summary.contains("modèle v1")));
        if let Some(text) = pdftotext(&bytes)? {
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

        // Only the letter in force goes in the day's mail.
        let (pdf, count) = day_mail(&conn, fonts(), today)?;
        assert_eq!(count, 1);
        assert!(pdf.starts_with(b"%PDF"));
        let sent = SentForm {
            date: "30/04/2026".into(),
            mode: "registered".into(),
            registered_number: "1A 123 456 7890 1".into(),
        };
        let refused = mark_sent(&mut conn, first.document_id, &sent, today, "S");
        assert!(
            matches!(&refused, Err(Error::Validation { fields }) if fields["date"].contains("ne peut plus être marqué envoyé")),
            "{refused:?}"
        );
        let bad = SentForm { date: "30/04/2026".into(), mode: "registered".into(), registered_number: "123".into() };
        assert!(mark_sent(&mut conn, third.document_id, &bad, today, "S").is_err());
        mark_sent(&mut conn, third.document_id, &sent, today, "S")?;
        assert!(mark_sent(&mut conn, third.document_id, &sent, today, "S").is_err(), "already sent");
        record_ar_returned(&mut conn, third.document_id, "30/04/2026", today, "S")?;
        let docs = documents(&conn, id)?;
        let d = docs.iter().find(|d| d.id == third.document_id);
        assert!(d.is_some_and(
            |d| d.ar_returned_on.as_deref() == Some("2026-04-30") && d.registered_number == "1A 123 456 7890 1"
        ));
        // The sending as the list shows it, worded by the core.
        assert!(d.is_some_and(|d| d.sent_label == "Envoyé le 30/04/2026 en recommandé n° 1A 123 456 7890 1"), "{d:?}");
        assert_eq!(journal::first_broken(&conn, id)?, None);
        // Stored in one form, without spaces, and found however it is typed.
        let stored: String =
            conn.query_row("SELECT registered_number FROM documents WHERE id = ?1", [third.document_id], |r| r.get(0))?;
        assert_eq!(stored, "1A12345678901");
        for typed in ["1A12345678901", "1a 123 456 7890 1", "1A 1234 5678 901"] {
            let q = crate::store::search::ListQuery { text: typed.into(), limit: 10, ..Default::default() };
            let found = crate::store::search::list(&conn, &q, today)?;
            assert_eq!(found.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![id], "« {typed} »");
        }
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
        if let Some(text) = pdftotext(&std::fs::read(&g.path)?)? {
            let flat = flat(&text);
            assert!(flat.contains("Monsieur Jean Durand") && flat.contains("33000 BORDEAUX"), "{text}");
            assert!(flat.contains("secretariat@opqtecc.org") && flat.contains("« réclamation »"), "{text}");
        }
        assert!(how_to_complain(&mut conn, dir.path(), fonts(), &ContactForm::default(), day(2026, 11, 28)).is_err());
        Ok(())
    }
}

/// Letters checked before they leave: the preview writes nothing, an adapted letter is
/// archived, journalled and meets its obligation, a letter that is the procedure's event
/// records its step when marked sent.
#[cfg(test)]
mod before_leaving_tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::model::Step;
    use crate::procedure::ActionKind;
    use crate::store::complaints::tests::sample_complaint;
    use crate::store::letters::tests::{day, decided};
    use crate::store::workflow::{perform, ActionForm};
    use crate::test_support::{flat, fonts, pdftotext};

    /// Every row of every table, as text: what « nothing written » compares.
    fn everything(conn: &Connection) -> Result<Vec<String>> {
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for t in tables {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\""))?;
            let columns = stmt.column_count();
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let values: Vec<String> =
                    (0..columns).map(|i| format!("{:?}", row.get_ref(i).ok())).collect::<Vec<_>>();
                out.push(format!("{t}: {}", values.join(", ")));
            }
        }
        Ok(out)
    }

    fn adapt(text: &Adapted) -> LetterChoice {
        LetterChoice { adapted: Some(text.clone()), ..LetterChoice::default() }
    }

    fn step(conn: &Connection, id: i64) -> Result<Step> {
        Ok(conn.query_row("SELECT step FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?)
    }

    fn sent(conn: &mut Connection, doc: i64, date: &str) -> Result<()> {
        let form = SentForm { date: date.into(), mode: "simple".into(), registered_number: String::new() };
        mark_sent(conn, doc, &form, day(2026, 4, 30), "S")
    }

    fn step_changes(conn: &Connection, id: i64) -> Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare(
            "SELECT step_from, step_to FROM journal WHERE complaint_id = ?1 AND step_from <> step_to ORDER BY seq",
        )?;
        let rows = stmt.query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    fn registered_on(conn: &mut Connection, received: &str, complete: bool) -> Result<i64> {
        let mut form = sample_complaint();
        form.received_on = received.into();
        if !complete {
            form.actions_taken.clear();
            form.checklist.actions_taken = false;
        }
        Ok(crate::store::complaints::register(conn, &form, day(2026, 3, 2), "S")?.id)
    }

    #[test]
    fn a_preview_writes_nothing_and_shows_what_validating_archives() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let dir = tempfile::tempdir()?;
        let today = day(2026, 4, 30);
        let before = everything(&conn)?;
        let preview = preview_letter(&conn, fonts(), id, LetterKind::WarningFirm, &LetterChoice::default(), today)?;
        assert_eq!(everything(&conn)?, before, "a preview writes nothing");
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 0);
        assert!(preview.pdf.starts_with(b"%PDF"));
        assert_eq!(preview.replaces, None);
        // Validated, the letter archived is the one previewed.
        let g = generate(&mut conn, dir.path(), fonts(), id, LetterKind::WarningFirm, None, today, "S")?;
        let archived: String =
            conn.query_row("SELECT letter_data FROM documents WHERE id = ?1", params![g.document_id], |r| r.get(0))?;
        let archived: LetterDoc = serde_json::from_str(&archived).map_err(|e| Error::refused(e.to_string()))?;
        assert_eq!(archived.paragraphs, preview.doc.paragraphs);
        assert_eq!(archived.subject, preview.doc.subject);
        assert_eq!(archived.recipient, preview.doc.recipient);
        // Previewed again: validating would replace the letter just made.
        let again = preview_letter(&conn, fonts(), id, LetterKind::WarningFirm, &LetterChoice::default(), today)?;
        assert_eq!(again.replaces.map(|r| r.document_id), Some(g.document_id));
        Ok(())
    }

    #[test]
    fn an_adapted_letter_is_archived_journalled_and_meets_its_obligation() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let dir = tempfile::tempdir()?;
        let today = day(2026, 4, 30);
        let kind = LetterKind::WarningComplainant;
        let template_before = template(&conn, kind)?;
        let mut text = merged_text(&conn, id, kind, None, today)?;
        assert!(text.subject.contains("REC-2026-0001"), "{text:?}");
        assert!(!text.body.contains("{{"), "merged: {text:?}");
        let sentence = "Nous mesurons la gêne que ce chantier vous a causée.";
        text.body = text.body.replacen("\n\n", &format!("\n\n{sentence}\n\n"), 1);

        // Template syntax left in the text is refused, the form kept by the caller.
        let bad = Adapted { subject: text.subject.clone(), body: format!("{} {{{{reference}}}}", text.body) };
        let refused = generate_chosen(&mut conn, dir.path(), fonts(), id, kind, &adapt(&bad), today, "S");
        assert!(
            matches!(&refused, Err(Error::Validation { fields }) if fields.contains_key("adapted_body")),
            "{refused:?}"
        );
        let empty = Adapted { subject: "  ".into(), body: text.body.clone() };
        assert!(generate_chosen(&mut conn, dir.path(), fonts(), id, kind, &adapt(&empty), today, "S").is_err());

        let g = generate_chosen(&mut conn, dir.path(), fonts(), id, kind, &adapt(&text), today, "S")?;
        if let Some(pdf) = pdftotext(&std::fs::read(&g.path)?)? {
            assert!(flat(&pdf).contains("Nous mesurons la gêne que ce chantier vous a causée."), "{pdf}");
        }
        let adapted: bool =
            conn.query_row("SELECT adapted FROM documents WHERE id = ?1", params![g.document_id], |r| r.get(0))?;
        assert!(adapted);
        let entry = crate::store::journal::list(&conn, id)?.into_iter().find(|e| e.summary.contains(&g.sha256));
        assert!(
            entry.is_some_and(|e| e.summary.contains("Courrier adapté pour ce dossier (le modèle v1 reste inchangé).")),
            "the journal says the letter was adapted"
        );
        // The template is untouched.
        assert_eq!(template(&conn, kind)?, template_before);
        // Sent, it meets its obligation like the standard letter.
        sent(&mut conn, g.document_id, "30/04/2026")?;
        let ledger = crate::store::obligations::ledger(&conn, id)?;
        let view = ledger.checklist().into_iter().find(|v| v.letter == kind.code());
        assert!(view.is_some_and(|v| v.met && v.document_id == Some(g.document_id)));
        Ok(())
    }

    #[test]
    fn marking_the_acknowledgement_sent_acknowledges_the_complaint_once() -> Result<()> {
        let mut conn = open_in_memory()?;
        let dir = tempfile::tempdir()?;
        let id = registered_on(&mut conn, "02/03/2026", true)?;
        let ar = generate(&mut conn, dir.path(), fonts(), id, LetterKind::Acknowledgement, None, day(2026, 3, 3), "S")?;
        assert_eq!(step(&conn, id)?, Step::Registered, "generated is not sent");
        sent(&mut conn, ar.document_id, "03/03/2026")?;
        assert_eq!(step(&conn, id)?, Step::Complete);
        assert_eq!(step_changes(&conn, id)?, [("registered".to_owned(), "complete".to_owned())]);
        let acknowledged: (String, Option<i64>) = conn.query_row(
            "SELECT occurred_on, document_id FROM journal WHERE complaint_id = ?1 AND step_to = 'complete'",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        assert_eq!(
            acknowledged,
            ("2026-03-03".to_owned(), Some(ar.document_id)),
            "dated the sending, naming the letter"
        );
        // The separate action is no longer possible: the event is recorded.
        let again =
            perform(&mut conn, id, "S", &ActionForm::of(ActionKind::Acknowledge, "03/03/2026"), day(2026, 3, 3));
        assert!(again.is_err());
        // Another acknowledgement sent changes nothing more.
        let second =
            generate(&mut conn, dir.path(), fonts(), id, LetterKind::Acknowledgement, None, day(2026, 3, 4), "S")?;
        let form = SentForm { date: "04/03/2026".into(), mode: "simple".into(), registered_number: String::new() };
        mark_sent(&mut conn, second.document_id, &form, day(2026, 3, 4), "S")?;
        assert_eq!(step_changes(&conn, id)?.len(), 1);
        Ok(())
    }

    #[test]
    fn the_request_for_precisions_then_the_closing_letter_record_their_steps_when_sent() -> Result<()> {
        let mut conn = open_in_memory()?;
        let dir = tempfile::tempdir()?;
        let id = registered_on(&mut conn, "02/03/2026", false)?;
        let ask = generate(&mut conn, dir.path(), fonts(), id, LetterKind::RequestDetails, None, day(2026, 3, 3), "S")?;
        let form = SentForm { date: "03/03/2026".into(), mode: "simple".into(), registered_number: String::new() };
        mark_sent(&mut conn, ask.document_id, &form, day(2026, 3, 3), "S")?;
        assert_eq!(step(&conn, id)?, Step::AwaitingDetails);
        assert!(crate::store::clocks::is_running(&conn, id, crate::store::clocks::Clock::ComplainantDetails)?);

        // The closing letter sent before the précisions are late: only the sending (closing
        // early needs its reason typed in the action).
        let early = day(2026, 3, 20);
        let close = generate(&mut conn, dir.path(), fonts(), id, LetterKind::LackOfDetailsClosure, None, early, "S")?;
        let form = SentForm { date: "20/03/2026".into(), mode: "simple".into(), registered_number: String::new() };
        mark_sent(&mut conn, close.document_id, &form, early, "S")?;
        assert_eq!(step(&conn, id)?, Step::AwaitingDetails);

        // Late: a new closing letter, sent, closes the file.
        let late = day(2026, 4, 20);
        let close = generate(&mut conn, dir.path(), fonts(), id, LetterKind::LackOfDetailsClosure, None, late, "S")?;
        let form = SentForm { date: "20/04/2026".into(), mode: "simple".into(), registered_number: String::new() };
        mark_sent(&mut conn, close.document_id, &form, late, "S")?;
        assert_eq!(step(&conn, id)?, Step::Closed);
        assert_eq!(
            step_changes(&conn, id)?,
            [
                ("registered".to_owned(), "awaiting_details".to_owned()),
                ("awaiting_details".to_owned(), "closed".to_owned())
            ]
        );
        Ok(())
    }

    #[test]
    fn the_transmission_letter_to_the_instructeur_chosen_passes_him_the_file_when_sent() -> Result<()> {
        let mut conn = open_in_memory()?;
        let dir = tempfile::tempdir()?;
        let id = registered_on(&mut conn, "02/03/2026", true)?;
        let ar = generate(&mut conn, dir.path(), fonts(), id, LetterKind::Acknowledgement, None, day(2026, 3, 2), "S")?;
        let form = SentForm { date: "02/03/2026".into(), mode: "simple".into(), registered_number: String::new() };
        mark_sent(&mut conn, ar.document_id, &form, day(2026, 3, 2), "S")?;
        let transmit = crate::test_support::form(ActionKind::Transmit, "03/03/2026", &[("choice", "qualification")]);
        perform(&mut conn, id, "S", &transmit, day(2026, 3, 3))?;
        crate::test_support::send_letter(&mut conn, id, LetterKind::FirmNotification, "04/03/2026")?;
        assert_eq!(step(&conn, id)?, Step::FirmInformed);

        // Someone who has not declared is refused, next to the choice.
        conn.execute(
            "INSERT INTO intervenants (kind, civility, name, address_lines, postcode, city, created_at)
             VALUES ('investigator', 'madame', 'Anne Durand', '1 rue Neuve', '69001', 'LYON', '2026-01-01T00:00:00+01:00')",
            [],
        )?;
        let undeclared = conn.last_insert_rowid();
        let choice = |person: i64| LetterChoice { intervenant_id: Some(person), ..LetterChoice::default() };
        let kind = LetterKind::InvestigatorTransmission;
        let refused =
            generate_chosen(&mut conn, dir.path(), fonts(), id, kind, &choice(undeclared), day(2026, 3, 10), "S");
        assert!(
            matches!(&refused, Err(Error::Validation { fields }) if fields["intervenant"].contains("n'a pas encore déclaré")),
            "{refused:?}"
        );

        let bernard: i64 = crate::test_support::cleared_intervenant(&conn, id, "investigator", "Paul Bernard")?
            .parse()
            .map_err(|_| Error::refused("id"))?;
        let letter =
            generate_chosen(&mut conn, dir.path(), fonts(), id, kind, &choice(bernard), day(2026, 3, 10), "S")?;
        if let Some(text) = pdftotext(&std::fs::read(&letter.path)?)? {
            let text = flat(&text);
            assert!(text.contains("Monsieur Paul Bernard") && text.contains("69002 LYON"), "{text}");
            // 10/03/2026 + 1 month = 10/04/2026, a Friday.
            assert!(text.contains("au plus tard le 10 avril 2026"), "{text}");
        }
        assert_eq!(step(&conn, id)?, Step::FirmInformed, "made, not sent: nothing passed");

        // Sent two days later: the file is passed that day, his clock keeping the letter's date.
        let form = SentForm { date: "12/03/2026".into(), mode: "simple".into(), registered_number: String::new() };
        mark_sent(&mut conn, letter.document_id, &form, day(2026, 3, 12), "S")?;
        assert_eq!(step(&conn, id)?, Step::WithInvestigator);
        let clock: (String, String, Option<i64>) = conn.query_row(
            "SELECT start_on, due_on, document_id FROM deadlines WHERE complaint_id = ?1 AND clock = 'investigator_answer'",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        assert_eq!(clock, ("2026-03-12".to_owned(), "2026-04-10".to_owned(), Some(letter.document_id)));
        let chosen: Option<i64> =
            conn.query_row("SELECT investigator_id FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?;
        assert_eq!(chosen, Some(bernard));
        let entry: Option<i64> = conn.query_row(
            "SELECT document_id FROM journal WHERE complaint_id = ?1 AND step_to = 'with_investigator'",
            params![id],
            |r| r.get(0),
        )?;
        assert_eq!(entry, Some(letter.document_id));
        // Its obligation is met by that letter.
        let ledger = crate::store::obligations::ledger(&conn, id)?;
        assert!(ledger.checklist().iter().any(|v| v.letter == kind.code() && v.met));
        Ok(())
    }

    #[test]
    fn every_default_template_previews_on_the_example_and_a_file_says_what_is_missing() -> Result<()> {
        let mut conn = open_in_memory()?;
        let today = day(2026, 4, 30);
        for kind in LetterKind::ALL {
            let (subject, body) = crate::letters::defaults::default_template(*kind);
            let pdf = crate::store::letters::preview(&conn, fonts(), *kind, &subject, &body, None, today)?;
            assert!(pdf.starts_with(b"%PDF"), "{kind:?}");
            if let Some(text) = pdftotext(&pdf)? {
                // No field left without an example (« [champ] »; the form's boxes are « [ ] »).
                let placeholder =
                    text.match_indices('[').any(|(i, _)| text[i + 1..].starts_with(|c: char| c.is_ascii_lowercase()));
                assert!(!placeholder && !text.contains("{{"), "{kind:?}: {text}");
            }
        }
        // On a file where a field is empty, the refusal names the file and the field.
        decided(&mut conn)?;
        let kind = LetterKind::ExpertMission;
        let (subject, body) = crate::letters::defaults::default_template(kind);
        let refused =
            crate::store::letters::preview(&conn, fonts(), kind, &subject, &body, Some("REC-2026-0001"), today);
        assert!(
            matches!(&refused, Err(Error::Validation { fields }) if fields["preview"].starts_with("Pour REC-2026-0001 : ")),
            "{refused:?}"
        );
        Ok(())
    }
}
