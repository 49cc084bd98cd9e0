//! « Courrier du jour »: the letters generated today and not yet sent, printed again as one PDF
//! from what each was when generated. It starts with the list of its letters (recipient,
//! reference, simple or registered, the registered number) and, when registered letters are
//! among them, the deposit list to hand over at the post office counter (« Liste de dépôt des
//! envois recommandés »: sender, date, one line per registered letter, the total, room for the
//! counter's stamp). When a letter announces an enclosure (« Pièce jointe : », the copy of the
//! complaint sent to the firm), a page lists, letter by letter, the received documents of its
//! file to print and put in the envelope with it.

use super::facts::received_documents;
use super::letterhead::letterhead;
use crate::error::{Error, Result};
use crate::french::format_fr_long;
use crate::letters::kinds::LetterKind;
use crate::letters::pdf::{self, Fonts, LetterDoc};
use crate::model::SendMode;
use crate::store::settings::Organisation;
use crate::store::{logo, settings};
use chrono::NaiveDate;
use rusqlite::{params, Connection};

/// Whether a letter's body lists an enclosure.
fn announces_enclosure(doc: &LetterDoc) -> bool {
    doc.paragraphs.iter().any(|p| p.starts_with("Pièce jointe") || p.starts_with("Pièces jointes"))
}

/// One letter of the day, as the lists name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub reference: String,
    pub letter: String,
    /// The postal lines of the recipient (the name first, « 69003 LYON » last).
    pub recipient: Vec<String>,
    /// The registered number when the letter goes registered with AR.
    pub registered: Option<String>,
}

impl Posted {
    fn name(&self) -> &str {
        self.recipient.first().map_or("", String::as_str)
    }

    /// The address after the name, on one line.
    fn address(&self) -> String {
        self.recipient.iter().skip(1).map(String::as_str).collect::<Vec<_>>().join(", ")
    }
}

/// A registered number kept on one line (no-break spaces).
fn unbroken(number: &str) -> String {
    number.replace(' ', "\u{a0}")
}

/// The first page's paragraphs: every letter, simple or registered.
pub fn letters_list(posted: &[Posted]) -> Vec<String> {
    let registered = posted.iter().filter(|p| p.registered.is_some()).count();
    let mut out = vec![format!(
        "{} courrier(s) à mettre sous pli et à poster, dont {} en recommandé avec avis de réception{}.",
        posted.len(),
        registered,
        if registered > 0 { " (liste de dépôt à la page suivante)" } else { "" }
    )];
    for (n, p) in posted.iter().enumerate() {
        let mode = match &p.registered {
            Some(number) => format!("recommandé avec AR n° {}", unbroken(&crate::validate::spaced_registered(number))),
            None => "lettre simple".to_owned(),
        };
        let address = p.address();
        let to = if address.is_empty() { p.name().to_owned() } else { format!("{}, {address}", p.name()) };
        out.push(format!("{}. {} – {} – {to} – {mode}", n + 1, p.reference, p.letter));
    }
    out
}

/// The deposit list's paragraphs: the sender, one line per registered letter, the total.
pub fn deposit_list(org: &Organisation, posted: &[Posted], today: NaiveDate) -> Vec<String> {
    let street: Vec<&str> = org.address_lines.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut out = vec![
        format!(
            "Expéditeur : {}, {}, {} {}",
            org.name.trim(),
            street.join(", "),
            org.postcode.trim(),
            org.city.trim().to_uppercase()
        ),
        format!("Date du dépôt : {}", format_fr_long(today)),
        "Envois recommandés avec avis de réception (n° du recommandé – destinataire – adresse) :".to_owned(),
    ];
    let registered: Vec<&Posted> = posted.iter().filter(|p| p.registered.is_some()).collect();
    for (n, p) in registered.iter().enumerate() {
        out.push(format!(
            "{}. N° {} – {} – {} (réf. {})",
            n + 1,
            unbroken(p.registered.as_deref().unwrap_or_default()),
            p.name(),
            p.address(),
            p.reference
        ));
    }
    out.push(format!("Total : {} envoi(s) recommandé(s) avec avis de réception.", registered.len()));
    out
}

/// A page of the day's mail addressed to the secretariat itself.
fn own_page(
    conn: &Connection,
    org: &Organisation,
    today: NaiveDate,
    subject: &str,
    paragraphs: Vec<String>,
) -> Result<LetterDoc> {
    Ok(LetterDoc {
        letterhead: letterhead(conn, org)?,
        recipient: vec![format!("Secrétariat {}", org.name), "Courrier du jour".to_owned()],
        place_date: format!("{}, le {}", org.letter_place.trim(), format_fr_long(today)),
        reference: "Courrier du jour".to_owned(),
        subject: subject.to_owned(),
        registered_number: None,
        salutation: String::new(),
        paragraphs,
        closing: String::new(),
        signatory_name: String::new(),
        signatory_title: String::new(),
        title: format!("Courrier du jour du {} – {}", format_fr_long(today), subject.to_lowercase()),
        created: chrono::Local::now().naive_local(),
        register_digest: crate::store::digest::current(conn, today)?.footer(),
    })
}

/// Every letter generated `today` and not yet marked sent, as one PDF, with their count (the
/// list of letters, the deposit list and the enclosures' page are not counted).
pub fn day_mail(conn: &Connection, fonts: &Fonts, today: NaiveDate) -> Result<(Vec<u8>, usize)> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, complaint_id, letter_data, kind, send_mode, registered_number FROM documents
         WHERE direction = 'out' AND created_at = ?1 AND sent_on IS NULL AND superseded = ''
           AND letter_data IS NOT NULL ORDER BY id",
    )?;
    type Found = (i64, Option<i64>, String, String, String, String);
    let rows: Vec<Found> = stmt
        .query_map(params![today.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut docs = Vec::with_capacity(rows.len() + 3);
    let mut posted = Vec::with_capacity(rows.len());
    let mut to_enclose: Vec<String> = Vec::new();
    let logo = logo::current(conn)?;
    for (id, complaint_id, json, kind, mode, number) in rows {
        let Ok(mut doc) = serde_json::from_str::<LetterDoc>(&json) else { continue };
        // A stored letter has no logo (`Letterhead::logo_png` is not serialised): the one in force.
        doc.letterhead.logo_png = Some(logo.clone());
        let registered = (SendMode::from_code(&mode) == Some(SendMode::Registered))
            .then(|| doc.registered_number.clone().unwrap_or(number))
            .filter(|n| !n.trim().is_empty());
        posted.push(Posted {
            reference: doc.reference.clone(),
            letter: LetterKind::from_code(&kind).map_or_else(|| doc.subject.clone(), |k| k.label().to_owned()),
            recipient: doc.recipient.clone(),
            registered,
        });
        if let (Some(complaint_id), true) = (complaint_id, announces_enclosure(&doc)) {
            // The documents received before the letter was generated.
            let files: Vec<String> =
                received_documents(conn, complaint_id)?.into_iter().filter(|(d, _)| *d < id).map(|(_, f)| f).collect();
            to_enclose.push(format!("{} – {} :", doc.reference, doc.subject));
            if files.is_empty() {
                to_enclose.push("- aucun document reçu au dossier : joignez la réclamation avant l'envoi.".to_owned());
            }
            to_enclose.extend(files.into_iter().map(|f| format!("- documents/{f}")));
        }
        docs.push(doc);
    }
    if docs.is_empty() {
        return Err(Error::refused("Aucun courrier généré aujourd'hui n'attend d'être envoyé."));
    }
    let count = docs.len();
    let org = settings::organisation(conn)?;
    let mut first = vec![own_page(conn, &org, today, "Liste des courriers du jour", letters_list(&posted))?];
    if posted.iter().any(|p| p.registered.is_some()) {
        first.push(LetterDoc {
            closing: "Prise en charge par La Poste :".to_owned(),
            signatory_name: "Cachet et signature du guichet".to_owned(),
            signatory_title: "(date, cachet du bureau, signature de l'agent)".to_owned(),
            ..own_page(conn, &org, today, "Liste de dépôt des envois recommandés", deposit_list(&org, &posted, today))?
        });
    }
    if !to_enclose.is_empty() {
        let mut paragraphs = vec![
            "Ces courriers annoncent une pièce jointe : imprimez les documents suivants du dossier de données et joignez-les à leur courrier.".to_owned(),
        ];
        paragraphs.extend(to_enclose);
        first.push(own_page(conn, &org, today, "Pièces à joindre aux courriers", paragraphs)?);
    }
    first.extend(docs);
    let bytes = pdf::render_many(&first, fonts)?;
    Ok((bytes, count))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::letters::generate;
    use crate::store::letters::tests::{day, decided};
    use crate::test_support::{flat, fonts, pdftotext};

    #[test]
    fn the_day_s_mail_starts_with_its_letters_then_the_deposit_list_of_the_registered_ones() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let today = day(2026, 4, 30);
        let dir = tempfile::tempdir()?;
        generate(&mut conn, dir.path(), fonts(), id, LetterKind::WarningComplainant, None, today, "S")?;
        generate(&mut conn, dir.path(), fonts(), id, LetterKind::WarningFirm, Some("1A 123 456 7890 1"), today, "S")?;
        let (bytes, count) = day_mail(&conn, fonts(), today)?;
        assert_eq!(count, 2, "the lists are not counted as letters");
        let Some(text) = pdftotext(&bytes)? else { return Ok(()) };
        let pages: Vec<String> = text.split('\u{c}').map(|p| flat(p).replace('’', "'")).collect();
        let list = &pages[0];
        for expected in [
            "Liste des courriers du jour",
            "2 courrier(s) à mettre sous pli et à poster, dont 1 en recommandé avec avis de réception",
            "1. REC-2026-0001 – Décision : avertissement (plaignant) – Madame Claire Lefèvre",
            "69003 LYON – lettre simple",
            "2. REC-2026-0001 – Décision : avertissement (qualifié) – Économie Bâtiment Conseil",
            "recommandé avec AR n° 1A 123 456 7890 1",
        ] {
            assert!(list.contains(expected), "« {expected} » not on the first page:\n{list}");
        }
        let deposit = &pages[1];
        for expected in [
            "Liste de dépôt des envois recommandés",
            "Expéditeur : OPQTECC, 41bis boulevard de La Tour-Maubourg, 75007 PARIS",
            "Date du dépôt : 30 avril 2026",
            "1. N° 1A 123 456 7890 1 – Économie Bâtiment Conseil –",
            "75016 PARIS (réf. REC-2026-0001)",
            "Total : 1 envoi(s) recommandé(s) avec avis de réception.",
            "Cachet et signature du guichet",
        ] {
            assert!(deposit.contains(expected), "« {expected} » not on the deposit list:\n{deposit}");
        }
        assert!(!deposit.contains("Claire Lefèvre"), "the simple letter is not on the deposit list:\n{deposit}");
        assert!(pages[2].contains("Madame Claire Lefèvre"), "then the letters:\n{}", pages[2]);
        Ok(())
    }

    #[test]
    fn without_a_registered_letter_there_is_no_deposit_list() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let today = day(2026, 4, 30);
        let dir = tempfile::tempdir()?;
        generate(&mut conn, dir.path(), fonts(), id, LetterKind::WarningComplainant, None, today, "S")?;
        let (bytes, _) = day_mail(&conn, fonts(), today)?;
        let Some(text) = pdftotext(&bytes)? else { return Ok(()) };
        let text = flat(&text);
        assert!(text.contains("1 courrier(s) à mettre sous pli et à poster, dont 0 en recommandé"), "{text}");
        assert!(!text.contains("Liste de dépôt"), "{text}");
        Ok(())
    }
}
