//! Emails received: an `.eml` or Outlook `.msg` read to prefill « Nouvelle réclamation », then
//! archived byte for byte as the complaint's first received document with each file it
//! carried; or dropped on a complaint page as « courriel reçu ». Nothing is written before the
//! secretary confirms, and a file that cannot be read changes nothing.

use crate::archive;
use crate::error::{Error, Result};
use crate::french::{decimal, format_fr, integer, io_reason};
use crate::mail::{self, FoundContact, MailAttachment, Mailbox, ReceivedEmail};
use crate::model::Direction;
use crate::store::complaints::{self, Registered};
use crate::store::documents::{self, safe_name, NewDocument, DOCUMENT_IN, EMAIL_IN, MAX_BYTES};
use crate::store::journal::{self, JournalKind, NewEntry};
use crate::validate::{subject_mentions_reclamation, ComplaintForm};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A file the email carried, as « Nouvelle réclamation » lists it before saving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentView {
    pub name: String,
    pub content_type: String,
    pub size: u64,
    /// Joined to the complaint on saving; otherwise `reason` says why not (it stays inside the
    /// archived email).
    pub accepted: bool,
    pub reason: String,
}

/// What the form shows of an email before the secretary confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmailPreview {
    /// The file as read: the form sends it back on saving (the bytes must not have changed).
    pub path: String,
    pub file_name: String,
    pub sha256: String,
    pub size: u64,
    pub email: ReceivedEmail,
    /// « 02/11/2026 à 10:15 » in French local time; empty when the message has no date.
    pub sent_label: String,
    /// The date of receipt for the form (JJ/MM/AAAA): the message's date, never after today.
    pub received_on: String,
    pub subject_mentions_reclamation: bool,
    /// « Transféré par Marie Martin <m.martin@opqtecc.fr> le … » when read from a forward.
    pub forward_note: String,
    pub attachments: Vec<AttachmentView>,
    /// What the secretary should check before saving, in French (an old date, text decoded
    /// with the wrong charset, no sender address); shown above the preview.
    pub warnings: Vec<String>,
    /// An address and phone found in the text (its signature): offered « à vérifier », taken
    /// into the form only when the secretary says so.
    pub proposed: FoundContact,
}

/// An email dated more than this many days before today is flagged: the complaint's clocks
/// start at its date of receipt, and a message saved long ago (or sent by a computer with a
/// wrong clock) would start them late. A month covers a message forwarded after some delay.
pub const OLD_EMAIL_DAYS: i64 = 30;

/// The email a complaint is being registered from, as previewed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EmailSource {
    pub path: String,
    pub sha256: String,
}

/// Reads the file at `path` (at most [`MAX_BYTES`]) and parses it.
fn load(path: &Path) -> Result<(Vec<u8>, String, ReceivedEmail)> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let unreadable =
        |e: std::io::Error| Error::refused(format!("Le fichier « {name} » est illisible ({}).", io_reason(&e)));
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_BYTES {
        return Err(Error::refused(format!(
            "Le courriel « {name} » fait {} Mo : {} Mo au plus.",
            decimal(size as f64 / 1_048_576.0, 1),
            MAX_BYTES / 1_048_576
        )));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    let email = mail::read(&bytes, &name)?;
    Ok((bytes, name, email))
}

/// « Jean Dupont <jean.dupont@exemple.fr> », or the address alone.
pub fn mailbox_label(m: &Mailbox) -> String {
    match (m.name.trim(), m.address.trim()) {
        ("", a) => a.to_owned(),
        (n, "") => n.to_owned(),
        (n, a) => format!("{n} <{a}>"),
    }
}

/// « 02/11/2026 à 10:15 », the message's time in French local time.
fn sent_label(email: &ReceivedEmail) -> String {
    let Some(at) = email.sent_at.as_deref().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()) else {
        return String::new();
    };
    let local = at.with_timezone(&chrono_tz::Europe::Paris);
    format!("{} à {}", format_fr(local.date_naive()), local.format("%H:%M"))
}

/// What the secretary should check: the message's date more than [`OLD_EMAIL_DAYS`] before
/// today or after it, text damaged by a wrong decoding, no sender address.
fn warnings(email: &ReceivedEmail, today: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(on) = email.received_on {
        let days = (today - on).num_days();
        if days > OLD_EMAIL_DAYS {
            out.push(format!(
                "Courriel daté du {}, il y a {} jours : vérifiez la date de réception.",
                format_fr(on),
                integer(days)
            ));
        } else if days < 0 {
            out.push(format!(
                "Courriel daté du {}, après aujourd'hui : la date du jour est proposée, vérifiez la date de réception.",
                format_fr(on)
            ));
        }
    }
    if let Some(sample) = mail::damaged_text(email) {
        out.push(format!("Le texte semble mal décodé (« {sample} ») : vérifiez-le dans le courriel d'origine."));
    }
    if email.from.address.is_empty() {
        out.push(
            "Le courriel ne donne pas l'adresse électronique de l'expéditeur : saisissez-la d'après le message."
                .to_owned(),
        );
    }
    out
}

fn forward_note(email: &ReceivedEmail) -> String {
    email.forwarded.as_ref().map_or_else(String::new, |f| {
        let on =
            f.on.as_deref()
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                .map(|d| format!(" le {}", format_fr(d.with_timezone(&chrono_tz::Europe::Paris).date_naive())))
                .unwrap_or_default();
        let how = if f.how == "attached" { "l'original en pièce jointe" } else { "l'original cité dans le message" };
        let by = mailbox_label(&f.by);
        let by = if by.is_empty() { String::new() } else { format!(" par {by}") };
        format!("Transféré{by}{on} ({how}).")
    })
}

/// The date of receipt: the message's date in Paris, or today when it has none or is later.
fn received_on(email: &ReceivedEmail, today: NaiveDate) -> NaiveDate {
    email.received_on.filter(|d| *d <= today).unwrap_or(today)
}

/// Whether a carried file is joined to the complaint, and why not.
fn decide(a: &MailAttachment) -> std::result::Result<(String, String), String> {
    if a.size == 0 {
        return Err("fichier vide".into());
    }
    if a.size > MAX_BYTES {
        return Err(format!("{} Mo, plus de {} Mo", decimal(a.size as f64 / 1_048_576.0, 1), MAX_BYTES / 1_048_576));
    }
    safe_name(&a.name).map_err(|_| "type de fichier non accepté (PDF, JPG, PNG, EML ou MSG)".to_owned())
}

fn attachment_views(email: &ReceivedEmail) -> Vec<AttachmentView> {
    email
        .attachments
        .iter()
        .map(|a| {
            let decided = decide(a);
            AttachmentView {
                name: a.name.clone(),
                content_type: a.content_type.clone(),
                size: a.size,
                accepted: decided.is_ok(),
                reason: decided.err().unwrap_or_default(),
            }
        })
        .collect()
}

/// Reads an email for « Nouvelle réclamation »: nothing is written.
pub fn preview(path: &Path, today: NaiveDate) -> Result<EmailPreview> {
    let (bytes, file_name, email) = load(path)?;
    Ok(EmailPreview {
        path: path.display().to_string(),
        sha256: archive::sha256_hex(&bytes),
        size: bytes.len() as u64,
        file_name,
        sent_label: sent_label(&email),
        received_on: format_fr(received_on(&email, today)),
        subject_mentions_reclamation: subject_mentions_reclamation(&email.subject),
        forward_note: forward_note(&email),
        attachments: attachment_views(&email),
        warnings: warnings(&email, today),
        proposed: mail::find_contact(&email.body),
        email,
    })
}

/// Files written for one email: taken back if the transaction that records them fails.
struct Written(Vec<PathBuf>);

impl Written {
    fn discard(self) {
        for path in self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Writes `bytes` under the complaint's folder and records the document row; the caller holds
/// the transaction.
#[allow(clippy::too_many_arguments)]
fn archive_one(
    tx: &Connection,
    documents_dir: &Path,
    folder: &Path,
    written: &mut Written,
    stem: &str,
    ext: &str,
    bytes: &[u8],
    row: &NewDocument<'_>,
) -> Result<(i64, String, String)> {
    let sha256 = archive::sha256_hex(bytes);
    let path = archive::write_new(&documents_dir.join(folder), stem, ext, bytes)?;
    written.0.push(path.clone());
    let relative = path.strip_prefix(documents_dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
    let file = documents::Archived { relative_path: &relative, sha256: &sha256, size_bytes: bytes.len() as i64 };
    let id = documents::insert(tx, row, &file)?;
    Ok((id, relative, sha256))
}

/// Archives a received email and each file it carried into complaint `complaint_id`'s folder,
/// with one journal entry each, inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
fn archive_received(
    tx: &Connection,
    documents_dir: &Path,
    complaint_id: i64,
    bytes: &[u8],
    original_name: &str,
    email: &ReceivedEmail,
    today: NaiveDate,
    author: &str,
    written: &mut Written,
) -> Result<i64> {
    let (firm_id, folder) = complaints::folder(tx, complaint_id)?;
    let ext = match email.format {
        mail::MailFormat::Eml => "eml",
        mail::MailFormat::Msg => "msg",
    };
    let occurred = received_on(email, today);
    let row = NewDocument {
        complaint_id: Some(complaint_id),
        firm_id: Some(firm_id),
        direction: Direction::In.code(),
        kind: EMAIL_IN,
        original_name,
        created_on: today,
        ..NewDocument::default()
    };
    let subject_slug = archive::slug(if email.subject.is_empty() { "sans-objet" } else { &email.subject }, 40);
    let (email_id, relative, sha256) = archive_one(
        tx,
        documents_dir,
        &folder,
        written,
        &format!("{occurred}_courriel_{subject_slug}"),
        ext,
        bytes,
        &row,
    )?;
    let sent = sent_label(email);
    let forward = forward_note(email);
    let refused: Vec<String> =
        email.attachments.iter().filter_map(|a| decide(a).err().map(|why| format!("« {} » ({why})", a.name))).collect();
    let summary = format!(
        "Courriel reçu{} de {}, objet « {} » — archivé tel quel : fichier {relative}, SHA-256 {sha256}.{}",
        if sent.is_empty() { String::new() } else { format!(" le {sent}") },
        mailbox_label(&email.from),
        email.subject,
        if forward.is_empty() { String::new() } else { format!(" {forward}") },
    );
    let details = if refused.is_empty() {
        String::new()
    } else {
        format!("Pièces jointes non extraites, conservées dans le courriel archivé : {}.", refused.join(", "))
    };
    journal::append(
        tx,
        complaint_id,
        &NewEntry {
            document: Some(email_id),
            details: &details,
            ..NewEntry::simple(JournalKind::EmailIn, occurred, author, &summary)
        },
    )?;
    for (n, a) in email.attachments.iter().enumerate() {
        let Ok((stem, ext)) = decide(a) else { continue };
        let inner_email = matches!(ext.as_str(), "eml" | "msg");
        let row = NewDocument {
            kind: if inner_email { EMAIL_IN } else { DOCUMENT_IN },
            original_name: &a.name,
            attached_to: Some(email_id),
            ..row.clone()
        };
        let (id, relative, sha256) = archive_one(
            tx,
            documents_dir,
            &folder,
            written,
            &format!("{occurred}_pj{}_{stem}", n + 1),
            &ext,
            &a.bytes,
            &row,
        )?;
        let summary = format!(
            "Pièce jointe du courriel : « {} » ({}, {} Ko) — fichier {relative}, SHA-256 {sha256}.",
            a.name,
            if a.content_type.is_empty() { "type non indiqué" } else { &a.content_type },
            a.size.div_ceil(1024)
        );
        journal::append(
            tx,
            complaint_id,
            &NewEntry { document: Some(id), ..NewEntry::simple(JournalKind::EmailIn, occurred, author, &summary) },
        )?;
    }
    Ok(email_id)
}

/// Re-reads the previewed file: its bytes must be those the secretary saw.
fn reload(source: &EmailSource) -> Result<(Vec<u8>, String, ReceivedEmail)> {
    let path = Path::new(source.path.trim());
    let loaded = load(path)?;
    if archive::sha256_hex(&loaded.0) != source.sha256 {
        return Err(Error::refused(
            "Le fichier du courriel a changé depuis sa lecture : relisez-le avant d'enregistrer (rien n'a été enregistré).",
        ));
    }
    Ok(loaded)
}

/// Registers a complaint typed from an email and archives the email (byte for byte, as its
/// first received document) with the files it carried: all of it, or nothing.
pub fn register_from_email(
    conn: &mut Connection,
    documents_dir: &Path,
    form: &ComplaintForm,
    source: &EmailSource,
    today: NaiveDate,
    author: &str,
) -> Result<Registered> {
    if form.channel != crate::model::Channel::Email.code() {
        return Err(Error::field(
            "channel",
            "Une réclamation lue d'un courriel a pour canal « Courriel » (ou retirez le courriel lu).",
        ));
    }
    let (bytes, name, email) = reload(source)?;
    let mut written = Written(Vec::new());
    let outcome = (|| {
        let tx = conn.transaction()?;
        let registered = complaints::register_in(&tx, form, today, author)?;
        archive_received(&tx, documents_dir, registered.id, &bytes, &name, &email, today, author, &mut written)?;
        tx.commit()?;
        Ok(registered)
    })();
    if outcome.is_err() {
        written.discard();
    }
    outcome
}

/// A received email dropped on a complaint page: archived as « courriel reçu », its journal
/// entry dated, signed and titled from the message. Returns the email's document id.
pub fn attach_email(
    conn: &mut Connection,
    documents_dir: &Path,
    complaint_id: i64,
    path: &Path,
    today: NaiveDate,
    author: &str,
) -> Result<i64> {
    let (bytes, name, email) = load(path)?;
    let mut written = Written(Vec::new());
    let outcome = (|| {
        let tx = conn.transaction()?;
        let id =
            archive_received(&tx, documents_dir, complaint_id, &bytes, &name, &email, today, author, &mut written)?;
        tx.commit()?;
        Ok(id)
    })();
    if outcome.is_err() {
        written.discard();
    }
    outcome
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::fixtures::sample_complaint;
    use crate::model::Channel;
    use crate::store::documents::documents;
    use rusqlite::params;

    pub(crate) fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default()
    }

    /// A complaint by email: UTF-8 quoted-printable text, a PDF, an executable and a file
    /// whose name tries to climb out of the firm's folder.
    pub(crate) const COMPLAINT_EML: &str = "From: =?utf-8?Q?Ren=C3=A9_Cl=C3=A9ment?= <Rene.Clement@Example.fr>\r\n\
To: reclamations@opqtecc.fr\r\n\
Subject: =?utf-8?Q?R=C3=A9clamation_contre_le_cabinet_Durand?=\r\n\
Date: Sat, 28 Nov 2026 23:30:00 +0000\r\n\
Message-ID: <abc@example.fr>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Le m=C3=A9tr=C3=A9 remis =C3=A9tait faux de 30 %.\r\n\
--b1\r\n\
Content-Type: application/pdf; name=\"devis sign=C3=A9.pdf\"\r\n\
Content-Disposition: attachment; filename=\"devis.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQgZGV2aXM=\r\n\
--b1\r\n\
Content-Type: application/octet-stream\r\n\
Content-Disposition: attachment; filename=\"outil.exe\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
TVqQAAMAAAAEAAAA\r\n\
--b1\r\n\
Content-Type: application/pdf\r\n\
Content-Disposition: attachment; filename=\"..\\\\..\\\\..\\\\win.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQgd2lu\r\n\
--b1--\r\n";

    pub(crate) fn email_form() -> ComplaintForm {
        ComplaintForm {
            channel: Channel::Email.code().into(),
            email_subject: "Réclamation contre le cabinet Durand".into(),
            received_on: "29/11/2026".into(),
            ..sample_complaint()
        }
    }

    fn file_count(dir: &Path) -> usize {
        let mut n = 0;
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else {
                    n += 1;
                }
            }
        }
        n
    }

    #[test]
    fn an_email_prefills_the_form_and_saving_archives_it_with_its_files() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let source = tmp.path().join("Réclamation Durand.eml");
        std::fs::write(&source, COMPLAINT_EML)?;
        let p = preview(&source, day())?;
        assert_eq!(p.email.from.address, "rene.clement@example.fr");
        assert_eq!(p.email.from.name, "René Clément");
        assert_eq!(p.received_on, "29/11/2026", "23:30 UTC on the 28th is the 29th in Paris");
        assert!(p.subject_mentions_reclamation);
        assert!(p.email.body.contains("Le métré remis était faux"), "{}", p.email.body);
        let accepted: Vec<bool> = p.attachments.iter().map(|a| a.accepted).collect();
        assert_eq!(accepted, [true, false, true], "{:?}", p.attachments);
        assert!(p.attachments[1].reason.contains("type de fichier non accepté"));

        let mut conn = open_in_memory()?;
        let docs = tmp.path().join("documents");
        let source_ref = EmailSource { path: source.display().to_string(), sha256: p.sha256.clone() };
        let reg = register_from_email(&mut conn, &docs, &email_form(), &source_ref, day(), "S")?;
        let all = documents(&conn, reg.id)?;
        assert_eq!(all.len(), 3, "the email and its two accepted files: {all:?}");
        let email = all.iter().find(|d| d.kind == EMAIL_IN).ok_or(Error::refused("no email"))?;
        assert_eq!(std::fs::read(docs.join(&email.relative_path))?, COMPLAINT_EML.as_bytes(), "byte for byte");
        assert_eq!(email.sha256, archive::sha256_hex(COMPLAINT_EML.as_bytes()));
        assert!(email.relative_path.ends_with(".eml"));
        for d in all.iter().filter(|d| d.kind == DOCUMENT_IN) {
            assert_eq!(d.attached_to, Some(email.id));
            let path = docs.join(&d.relative_path);
            assert!(path.starts_with(docs.join("Q00001-economie-batiment-conseil/REC-2026-0001")), "{path:?}");
            assert_eq!(archive::sha256_hex(&std::fs::read(&path)?), d.sha256);
        }
        let journal = journal::list(&conn, reg.id)?;
        let email_entry =
            journal.iter().find(|e| e.summary.contains("Courriel reçu")).ok_or(Error::refused("no entry"))?;
        assert!(email_entry.summary.contains(&email.sha256), "{}", email_entry.summary);
        assert!(email_entry.summary.contains("René Clément <rene.clement@example.fr>"));
        assert!(email_entry.details.contains("outil.exe"), "the refused file is named: {}", email_entry.details);
        assert_eq!(email_entry.occurred_on, "2026-11-29");
        assert_eq!(journal.iter().filter(|e| e.summary.starts_with("Pièce jointe du courriel")).count(), 2);
        assert_eq!(file_count(&docs), 3);
        Ok(())
    }

    #[test]
    fn a_changed_or_unreadable_file_or_a_refused_form_writes_nothing() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let docs = tmp.path().join("documents");
        let source = tmp.path().join("courriel.eml");
        std::fs::write(&source, COMPLAINT_EML)?;
        let p = preview(&source, day())?;
        let source_ref = EmailSource { path: source.display().to_string(), sha256: p.sha256.clone() };
        let mut conn = open_in_memory()?;
        let count = |conn: &Connection| -> Result<i64> {
            Ok(conn.query_row("SELECT count(*) FROM complaints", params![], |r| r.get(0))?)
        };

        // The form refused (no facts' nature): nothing in the register, no file left.
        let bad = ComplaintForm { natures: vec![], ..email_form() };
        assert!(matches!(
            register_from_email(&mut conn, &docs, &bad, &source_ref, day(), "S"),
            Err(Error::Validation { .. })
        ));
        // Not the email channel.
        let letter = ComplaintForm { channel: Channel::Letter.code().into(), ..email_form() };
        let refused = register_from_email(&mut conn, &docs, &letter, &source_ref, day(), "S");
        assert!(matches!(&refused, Err(Error::Validation { fields }) if fields.contains_key("channel")), "{refused:?}");
        // Changed since it was read.
        std::fs::write(&source, COMPLAINT_EML.replace("30 %", "40 %"))?;
        let changed = register_from_email(&mut conn, &docs, &email_form(), &source_ref, day(), "S");
        assert!(matches!(&changed, Err(Error::Refused { message }) if message.contains("a changé")), "{changed:?}");
        // Not an email at all.
        let pdf = tmp.path().join("scan.eml");
        std::fs::write(&pdf, b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n")?;
        assert!(matches!(preview(&pdf, day()), Err(Error::Refused { .. })));
        assert_eq!(count(&conn)?, 0);
        assert_eq!(file_count(&docs), 0);
        Ok(())
    }

    fn corpus(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail").join(name)
    }

    #[test]
    fn an_old_email_is_flagged_with_its_age() -> Result<()> {
        // 5 January 2021, read on 30 November 2026: 2 155 days.
        let p = preview(&corpus("thunderbird-quoted-address.eml"), day())?;
        assert_eq!(p.received_on, "05/01/2021");
        assert_eq!(
            p.warnings,
            ["Courriel daté du 05/01/2021, il y a 2\u{202f}155 jours : vérifiez la date de réception."]
        );
        assert_eq!(p.email.from.address, "helene.chateau@example.fr");
        // 30 days is still recent; 31 is not.
        let on = |d: u32| ReceivedEmail { received_on: NaiveDate::from_ymd_opt(2026, 10, d), ..p.email.clone() };
        assert!(warnings(&on(31), day()).is_empty());
        assert_eq!(warnings(&on(30), day()).len(), 1);
        let later = ReceivedEmail { received_on: NaiveDate::from_ymd_opt(2026, 12, 2), ..p.email.clone() };
        let w = warnings(&later, day());
        assert!(w.len() == 1 && w[0].starts_with("Courriel daté du 02/12/2026, après aujourd'hui"), "{w:?}");
        assert_eq!(received_on(&later, day()), day());
        Ok(())
    }

    #[test]
    fn mojibake_and_a_missing_address_are_said_and_a_signature_is_proposed_not_written() -> Result<()> {
        let p = preview(&corpus("mojibake.eml"), day())?;
        assert_eq!(p.warnings, ["Le texte semble mal décodé (« Ã© ») : vérifiez-le dans le courriel d'origine."]);
        let x500 = preview(&corpus("poi-quick.msg"), day())?;
        assert!(x500.warnings.iter().any(|w| w.contains("ne donne pas l'adresse électronique")), "{:?}", x500.warnings);

        let p = preview(&corpus("signature-address-phone.eml"), day())?;
        assert_eq!(p.proposed.address_lines, ["3 avenue Foch"]);
        assert_eq!((p.proposed.postcode.as_str(), p.proposed.phone.as_str()), ("69003", "07 11 22 33 44"));
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        // Saving takes only what the form says: the proposal is not written by itself.
        let tmp = tempfile::tempdir()?;
        let mut conn = open_in_memory()?;
        let source = EmailSource { path: p.path.clone(), sha256: p.sha256.clone() };
        let form = ComplaintForm {
            email_subject: p.email.subject.clone(),
            received_on: p.received_on.clone(),
            ..email_form()
        };
        let reg = register_from_email(&mut conn, &tmp.path().join("documents"), &form, &source, day(), "S")?;
        let (postcode, phone): (String, String) = conn.query_row(
            "SELECT p.postcode, p.phone FROM complaints c JOIN complainants p ON p.id = c.complainant_id
             WHERE c.id = ?1",
            [reg.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        assert_eq!(
            (postcode.as_str(), phone.as_str()),
            (form.complainant.postcode.as_str(), form.complainant.phone.as_str())
        );
        Ok(())
    }

    #[test]
    fn a_forward_is_noted_with_its_colleague_or_without_a_name() -> Result<()> {
        let p = preview(&corpus("forwarded-quoted-address.eml"), day())?;
        assert_eq!(
            p.forward_note,
            "Transféré par Claire Bernard <c.bernard@cabinet-exemple.fr> le 03/11/2026 (l'original cité dans le message)."
        );
        let mut email = p.email.clone();
        if let Some(f) = email.forwarded.as_mut() {
            f.by = Mailbox::default();
        }
        assert_eq!(forward_note(&email), "Transféré le 03/11/2026 (l'original cité dans le message).");
        Ok(())
    }

    #[test]
    fn an_email_dropped_on_a_complaint_takes_its_date_sender_and_subject() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let docs = tmp.path().join("documents");
        let mut conn = open_in_memory()?;
        let id = complaints::register(&mut conn, &sample_complaint(), day(), "S")?.id;
        let source = tmp.path().join("reponse.eml");
        std::fs::write(&source, COMPLAINT_EML)?;
        crate::store::attachments::attach(&mut conn, &docs, id, &source, day(), "S")?;
        let entry = journal::list(&conn, id)?
            .into_iter()
            .find(|e| e.summary.starts_with("Courriel reçu"))
            .ok_or(Error::refused("no entry"))?;
        assert_eq!(entry.occurred_on, "2026-11-29", "the message's date in Paris, not today");
        assert!(entry.summary.contains("Réclamation contre le cabinet Durand"), "{}", entry.summary);
        assert!(entry.summary.contains("rene.clement@example.fr"));
        Ok(())
    }
}
