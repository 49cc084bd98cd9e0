//! A letter « par courriel »: a draft `.eml` (the letter's PDF attached, the reference in the
//! subject, the organisation as sender, a covering text from an editable template) archived
//! beside the letter for the office's mail client to send. The register notes a letter sent
//! by email only once such a draft exists (see `outgoing::mark_sent`).

use crate::archive;
use crate::error::{Error, Result};
use crate::letters::kinds::{LetterKind, Recipient};
use crate::letters::pdf::LetterDoc;
use crate::letters::templates::{self, MergeError};
use crate::mail::{self, Mailbox};
use crate::model::Direction;
use crate::store::documents::{self, archive_then_record, NewDocument, EMAIL_DRAFT};
use crate::store::emails::mailbox_label;
use crate::store::journal::{self, JournalKind, NewEntry};
use crate::store::settings;
use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The covering text of a letter sent by email (Paramètres, « Courriel d'accompagnement »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailCover {
    pub subject: String,
    pub body: String,
}

const SUBJECT_KEY: &str = "email.cover_subject";
const BODY_KEY: &str = "email.cover_body";

/// The fields a covering text may use, with what they hold.
pub const COVER_FIELDS: &[(&str, &str)] = &[
    ("reference", "Référence de la réclamation"),
    ("objet", "Objet du courrier joint"),
    ("courrier", "Type du courrier joint (« Accusé de réception », …)"),
    ("appel", "Formule d'appel du courrier (« Madame, »)"),
    ("destinataire", "Nom du destinataire"),
    ("piece_jointe", "Nom du fichier PDF joint"),
    ("organisation", "Nom de l'organisation"),
    ("signataire", "Nom du signataire du courrier"),
    ("titre_signataire", "Titre du signataire"),
];

impl Default for EmailCover {
    fn default() -> Self {
        EmailCover {
            subject: "{{ reference }} – {{ objet }}".into(),
            body: "{{ appel }}\n\nVeuillez trouver ci-joint notre courrier « {{ courrier }} » relatif au dossier \
                   {{ reference }} ({{ piece_jointe }}).\n\nNous vous remercions de rappeler cette référence dans \
                   toute correspondance.\n\n{{ signataire }}\n{{ titre_signataire }}\n{{ organisation }}"
                .into(),
        }
    }
}

/// The covering text in force.
pub fn cover(conn: &Connection) -> Result<EmailCover> {
    let default = EmailCover::default();
    Ok(EmailCover {
        subject: settings::get(conn, SUBJECT_KEY)?.unwrap_or(default.subject),
        body: settings::get(conn, BODY_KEY)?.unwrap_or(default.body),
    })
}

/// A covering text merged: the signatory's name and title may be empty, nothing else.
fn merge(text: &str, values: &BTreeMap<String, String>) -> std::result::Result<String, MergeError> {
    templates::merge_fields(text, values, COVER_FIELDS, &["signataire", "titre_signataire", "destinataire"])
}

fn sample_values() -> BTreeMap<String, String> {
    COVER_FIELDS.iter().map(|(name, _)| ((*name).to_owned(), "exemple".to_owned())).collect()
}

fn cover_error(e: &MergeError, field: &str) -> Error {
    match e {
        MergeError::Unknown(_) => Error::field(
            field,
            format!(
                "{} Champs possibles : {}.",
                e.message(),
                COVER_FIELDS.iter().map(|(n, _)| format!("{{{{ {n} }}}}")).collect::<Vec<_>>().join(", ")
            ),
        ),
        _ => Error::field(field, e.message()),
    }
}

/// Saves the covering text, refused while a field is unknown or the syntax wrong.
pub fn save_cover(conn: &mut Connection, new: &EmailCover) -> Result<()> {
    let values = sample_values();
    if new.subject.trim().is_empty() {
        return Err(Error::field("subject", "L'objet du courriel ne peut pas être vide."));
    }
    merge(&new.subject, &values).map_err(|e| cover_error(&e, "subject"))?;
    merge(&new.body, &values).map_err(|e| cover_error(&e, "body"))?;
    let tx = conn.transaction()?;
    settings::set(&tx, SUBJECT_KEY, new.subject.trim())?;
    settings::set(&tx, BODY_KEY, new.body.trim())?;
    tx.commit()?;
    Ok(())
}

/// The letter a draft is made for, as the documents table holds it.
struct Letter {
    complaint_id: i64,
    firm_id: Option<i64>,
    kind: LetterKind,
    recipient: Recipient,
    intervenant_id: Option<i64>,
    sent_on: Option<String>,
    relative_path: String,
    sha256: String,
    letter_data: Option<String>,
}

fn letter(conn: &Connection, document_id: i64) -> Result<Letter> {
    type Row = (Option<i64>, Option<i64>, String, String, Option<i64>, Option<String>, String, String, Option<String>);
    let row: Option<Row> = conn
        .query_row(
            "SELECT complaint_id, firm_id, kind, recipient, intervenant_id, sent_on, relative_path, sha256, letter_data
             FROM documents WHERE id = ?1 AND direction = 'out'",
            params![document_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?)),
        )
        .optional()?;
    let not_found = || Error::NotFound { what: "Le courrier", id: document_id };
    let (Some(complaint_id), firm_id, kind, recipient, intervenant_id, sent_on, relative_path, sha256, letter_data) =
        row.ok_or_else(not_found)?
    else {
        return Err(not_found());
    };
    let (Some(kind), Some(recipient)) = (LetterKind::from_code(&kind), Recipient::from_code(&recipient)) else {
        return Err(not_found());
    };
    Ok(Letter { complaint_id, firm_id, kind, recipient, intervenant_id, sent_on, relative_path, sha256, letter_data })
}

/// The email address of a letter's recipient, from the register as it is now; `None` when
/// the party has none.
fn recipient_of(conn: &Connection, l: &Letter) -> Result<Option<Mailbox>> {
    let sql = match l.recipient {
        Recipient::Complainant => {
            "SELECT p.name, p.email FROM complaints c JOIN complainants p ON p.id = c.complainant_id WHERE c.id = ?1"
        }
        Recipient::Firm => "SELECT f.name, f.email FROM complaints c JOIN firms f ON f.id = c.firm_id WHERE c.id = ?1",
        Recipient::Investigator | Recipient::Expert => {
            "SELECT i.name, i.email FROM complaints c JOIN intervenants i ON i.id = coalesce(?2,
                 CASE ?3 WHEN 'expert' THEN c.expert_id ELSE c.investigator_id END)
             WHERE c.id = ?1"
        }
        Recipient::Contact => return Ok(None),
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let found: Option<(String, String)> = if sql.contains("?3") {
        stmt.query_row(params![l.complaint_id, l.intervenant_id, l.recipient.code()], |r| Ok((r.get(0)?, r.get(1)?)))
    } else {
        stmt.query_row(params![l.complaint_id], |r| Ok((r.get(0)?, r.get(1)?)))
    }
    .optional()?;
    Ok(found
        .filter(|(_, email)| !email.trim().is_empty())
        .map(|(name, email)| Mailbox { name: name.trim().to_owned(), address: email.trim().to_lowercase() }))
}

/// The address each unsent letter of a complaint could be emailed to, by document id.
pub fn email_recipients(conn: &Connection, complaint_id: i64) -> Result<BTreeMap<i64, String>> {
    // One read for every unsent letter (the page asks it each time): the recipient's address
    // as `recipient_of` finds it.
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.kind, d.recipient,
                CASE d.recipient WHEN 'complainant' THEN p.email WHEN 'firm' THEN f.email
                                 WHEN 'investigator' THEN i.email WHEN 'expert' THEN i.email END
         FROM documents d JOIN complaints c ON c.id = d.complaint_id
              JOIN complainants p ON p.id = c.complainant_id JOIN firms f ON f.id = c.firm_id
              LEFT JOIN intervenants i ON i.id = coalesce(d.intervenant_id,
                   CASE d.recipient WHEN 'expert' THEN c.expert_id ELSE c.investigator_id END)
         WHERE d.complaint_id = ?1 AND d.direction = 'out' AND d.kind <> ?2 AND d.sent_on IS NULL",
    )?;
    let rows = stmt
        .query_map(params![complaint_id, EMAIL_DRAFT], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = BTreeMap::new();
    for (id, kind, recipient, email) in rows {
        let known = LetterKind::from_code(&kind).is_some() && Recipient::from_code(&recipient).is_some();
        let email = email.unwrap_or_default();
        if known && !email.trim().is_empty() {
            out.insert(id, email.trim().to_lowercase());
        }
    }
    Ok(out)
}

/// The latest draft made for letter `document_id`: (draft id, address, file, SHA-256).
pub(crate) fn latest_draft(conn: &Connection, document_id: i64) -> Result<Option<(i64, String, String, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, email_to, relative_path, sha256 FROM documents WHERE carries = ?1 ORDER BY id DESC LIMIT 1",
            params![document_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?)
}

/// A draft written and archived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prepared {
    pub document_id: i64,
    pub path: PathBuf,
    pub to: String,
}

/// « Préparer par courriel »: writes the draft `.eml` of letter `document_id` (never
/// overwriting, a new one each time), archives it with its SHA-256 in the journal.
pub fn prepare(
    conn: &mut Connection,
    documents_dir: &Path,
    document_id: i64,
    today: NaiveDate,
    now: DateTime<FixedOffset>,
    author: &str,
) -> Result<Prepared> {
    let l = letter(conn, document_id)?;
    if l.sent_on.is_some() {
        return Err(Error::refused("Ce courrier est déjà marqué envoyé : aucun courriel n'est à préparer."));
    }
    let to = recipient_of(conn, &l)?.ok_or_else(|| {
        Error::refused(format!(
            "Le destinataire ({}) n'a pas d'adresse électronique : ajoutez-la à sa fiche, ou envoyez ce courrier par la poste.",
            l.recipient.label().to_lowercase()
        ))
    })?;
    let org = settings::organisation(conn)?;
    if !org.email.contains('@') {
        return Err(Error::refused(
            "Indiquez le courriel de l'organisme (Paramètres, « Organisme et signataires ») : c'est l'expéditeur du courriel.",
        ));
    }
    let pdf_path = documents::document_path(conn, documents_dir, document_id)?;
    let pdf = std::fs::read(&pdf_path).map_err(|e| {
        Error::refused(format!("Le courrier archivé est illisible ({}).", crate::french::io_reason(&e)))
    })?;
    if archive::sha256_hex(&pdf) != l.sha256 {
        return Err(Error::refused(
            "Le fichier archivé du courrier ne correspond plus à son empreinte : il ne peut pas être envoyé. Générez le courrier de nouveau.",
        ));
    }
    let doc: Option<LetterDoc> = l.letter_data.as_deref().and_then(|d| serde_json::from_str(d).ok());
    let reference = doc.as_ref().map(|d| d.reference.clone()).unwrap_or_default();
    let attachment_name = format!("{reference}_{}.pdf", archive::slug(l.kind.label(), 50));
    let values: BTreeMap<String, String> = [
        ("reference", reference.clone()),
        ("objet", doc.as_ref().map(|d| d.subject.clone()).unwrap_or_else(|| l.kind.label().to_owned())),
        ("courrier", l.kind.label().to_owned()),
        (
            "appel",
            doc.as_ref().map(|d| d.salutation.clone()).filter(|s| !s.is_empty()).unwrap_or("Madame, Monsieur,".into()),
        ),
        ("destinataire", to.name.clone()),
        ("piece_jointe", attachment_name.clone()),
        ("organisation", org.name.clone()),
        ("signataire", doc.as_ref().map(|d| d.signatory_name.clone()).unwrap_or_default()),
        ("titre_signataire", doc.as_ref().map(|d| d.signatory_title.clone()).unwrap_or_default()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let c = cover(conn)?;
    let subject = merge(&c.subject, &values).map_err(|e| cover_error(&e, "letter"))?;
    let body = merge(&c.body, &values).map_err(|e| cover_error(&e, "letter"))?;
    let domain = org.email.rsplit('@').next().unwrap_or("reclamations.invalid").trim().to_lowercase();
    let message_id = format!("{}.{document_id}.{}@{domain}", reference.to_lowercase(), now.timestamp());
    let from = Mailbox { name: org.name.trim().to_owned(), address: org.email.trim().to_lowercase() };
    let bytes = mail::write_draft(&mail::Draft {
        from: &from,
        to: &to,
        subject: subject.trim(),
        body: &body,
        attachment_name: &attachment_name,
        attachment: &pdf,
        date: now,
        message_id: &message_id,
    });
    let folder = Path::new(&pdf_path)
        .parent()
        .and_then(|p| p.strip_prefix(documents_dir).ok())
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let stem = format!("{today}_{}_courriel", l.kind.code());
    let row = NewDocument {
        complaint_id: Some(l.complaint_id),
        firm_id: l.firm_id,
        direction: Direction::Out.code(),
        kind: EMAIL_DRAFT,
        recipient: l.recipient.code(),
        created_on: today,
        carries: Some(document_id),
        email_to: &to.address,
        intervenant_id: l.intervenant_id,
        ..NewDocument::default()
    };
    let (path, _, id) = archive_then_record(documents_dir, &folder, &stem, "eml", &bytes, |file| {
        let tx = conn.transaction()?;
        let id = documents::insert(&tx, &row, file)?;
        let summary = format!(
            "Courriel préparé pour « {} » à {}, le courrier en pièce jointe (fichier {}, SHA-256 {}) — courriel {}, SHA-256 {}. À envoyer depuis la messagerie, puis à marquer envoyé.",
            l.kind.label(),
            mailbox_label(&to),
            l.relative_path,
            l.sha256,
            file.relative_path,
            file.sha256
        );
        journal::append(
            &tx,
            l.complaint_id,
            &NewEntry { document: Some(id), ..NewEntry::simple(JournalKind::EmailOut, today, author, &summary) },
        )?;
        tx.commit()?;
        Ok(id)
    })?;
    Ok(Prepared { document_id: id, path, to: to.address })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::complaints;
    use crate::store::emails::tests::{day, email_form};
    use crate::store::letters::{generate, mark_sent, SentForm};
    use crate::store::obligations;
    use crate::test_support::fonts;

    fn sent(mode: &str) -> SentForm {
        SentForm { date: "30/11/2026".into(), mode: mode.into(), registered_number: String::new() }
    }

    #[test]
    fn a_letter_leaves_by_email_as_a_draft_carrying_its_pdf_and_only_then_counts_as_sent() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let docs = tmp.path().join("documents");
        let mut conn = open_in_memory()?;
        let id = complaints::register(&mut conn, &email_form(), day(), "S")?.id;
        let letter = generate(&mut conn, &docs, fonts(), id, LetterKind::Acknowledgement, None, day(), "S")?;
        assert_eq!(
            email_recipients(&conn, id)?.get(&letter.document_id).map(String::as_str),
            Some("claire.lefevre@example.fr")
        );

        // Not before a draft exists: the register names the email it was sent as.
        let early = mark_sent(&mut conn, letter.document_id, &sent("email"), day(), "S");
        assert!(
            matches!(&early, Err(Error::Validation { fields }) if fields["mode"].contains("Préparez d'abord")),
            "{early:?}"
        );

        let now = chrono::DateTime::parse_from_rfc3339("2026-11-30T10:15:00+01:00")
            .map_err(|e| Error::refused(e.to_string()))?;
        let draft = prepare(&mut conn, &docs, letter.document_id, day(), now, "S")?;
        let bytes = std::fs::read(&draft.path)?;
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("X-Unsent: 1"), "{text}");
        let read = mail::read(&bytes, "brouillon.eml")?;
        assert_eq!(read.to.first().map(|m| m.address.as_str()), Some("claire.lefevre@example.fr"));
        let org = settings::organisation(&conn)?;
        assert_eq!(read.from.address, org.email.to_lowercase());
        assert!(read.subject.starts_with("REC-2026-0001 – "), "{}", read.subject);
        assert!(read.body.contains("Accusé de réception"), "{}", read.body);
        let pdf = read.attachments.first().ok_or(Error::refused("no attachment"))?;
        assert_eq!(archive::sha256_hex(&pdf.bytes), letter.sha256, "the letter's PDF, unchanged");
        assert_eq!(pdf.name, "REC-2026-0001_accuse-de-reception.pdf");

        mark_sent(&mut conn, letter.document_id, &sent("email"), day(), "S")?;
        let entry = journal::list(&conn, id)?
            .into_iter()
            .find(|e| e.summary.starts_with("Courrier « Accusé de réception » envoyé"))
            .ok_or(Error::refused("no entry"))?;
        let draft_sha = archive::sha256_hex(&bytes);
        assert!(
            entry.summary.contains(&draft_sha) && entry.summary.contains("par courriel à claire.lefevre@example.fr"),
            "{}",
            entry.summary
        );
        // Received by email: its acknowledgement by email counts.
        let ar = obligations::checklist(&conn, id)?
            .into_iter()
            .find(|o| o.letter == LetterKind::Acknowledgement.code())
            .ok_or(Error::refused("no AR"))?;
        assert!(ar.met, "{ar:?}");
        Ok(())
    }

    #[test]
    fn no_draft_without_both_addresses_and_the_cover_is_checked() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let docs = tmp.path().join("documents");
        let mut conn = open_in_memory()?;
        let id = complaints::register(&mut conn, &email_form(), day(), "S")?.id;
        let now = chrono::Local::now().fixed_offset();
        // The firm of the sample has no email address.
        let firm_letter = generate(&mut conn, &docs, fonts(), id, LetterKind::Acknowledgement, None, day(), "S")?;
        conn.execute("UPDATE complainants SET email = ''", [])?;
        let refused = prepare(&mut conn, &docs, firm_letter.document_id, day(), now, "S");
        assert!(
            matches!(&refused, Err(Error::Refused { message }) if message.contains("pas d'adresse électronique")),
            "{refused:?}"
        );
        assert!(email_recipients(&conn, id)?.is_empty());

        let bad = EmailCover { subject: "{{ reference }}".into(), body: "{{ inconnu }}".into() };
        let saved = save_cover(&mut conn, &bad);
        assert!(matches!(&saved, Err(Error::Validation { fields }) if fields.contains_key("body")), "{saved:?}");
        let good = EmailCover { subject: "Dossier {{ reference }}".into(), body: "{{ appel }}\n\nCi-joint.".into() };
        save_cover(&mut conn, &good)?;
        assert_eq!(cover(&conn)?, good);
        Ok(())
    }
}
