//! « Courrier du jour »: the letters generated today and not yet sent, printed again as one PDF
//! from what each was when generated. When a letter announces an enclosure (« Pièce jointe : »,
//! the copy of the complaint sent to the firm), a first page lists, letter by letter, the
//! received documents of its file to print and put in the envelope with it.

use super::facts::received_documents;
use super::letterhead::letterhead;
use crate::error::{Error, Result};
use crate::french::format_fr_long;
use crate::letters::pdf::{self, Fonts, LetterDoc};
use crate::store::{logo, settings};
use chrono::NaiveDate;
use rusqlite::{params, Connection};

/// Whether a letter's body lists an enclosure.
fn announces_enclosure(doc: &LetterDoc) -> bool {
    doc.paragraphs.iter().any(|p| p.starts_with("Pièce jointe") || p.starts_with("Pièces jointes"))
}

/// Every letter generated `today` and not yet marked sent, as one PDF, with their count (the
/// enclosures' page, when there is one, is not counted).
pub fn day_mail(conn: &Connection, fonts: &Fonts, today: NaiveDate) -> Result<(Vec<u8>, usize)> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, complaint_id, letter_data FROM documents
         WHERE direction = 'out' AND created_at = ?1 AND sent_on IS NULL AND superseded = ''
           AND letter_data IS NOT NULL ORDER BY id",
    )?;
    let rows: Vec<(i64, Option<i64>, String)> = stmt
        .query_map(params![today.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut docs = Vec::with_capacity(rows.len() + 1);
    let mut to_enclose: Vec<String> = Vec::new();
    let logo = logo::current(conn)?;
    for (id, complaint_id, json) in rows {
        let Ok(mut doc) = serde_json::from_str::<LetterDoc>(&json) else { continue };
        // A stored letter has no logo (`Letterhead::logo_png` is not serialised): the one in force.
        doc.letterhead.logo_png = Some(logo.clone());
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
    if !to_enclose.is_empty() {
        let org = settings::organisation(conn)?;
        let mut paragraphs = vec![
            "Ces courriers annoncent une pièce jointe : imprimez les documents suivants du dossier de données et joignez-les à leur courrier.".to_owned(),
        ];
        paragraphs.extend(to_enclose);
        let slip = LetterDoc {
            letterhead: letterhead(conn, &org)?,
            recipient: vec![format!("Secrétariat {}", org.name), "Courrier du jour".to_owned()],
            place_date: format!("{}, le {}", org.letter_place.trim(), format_fr_long(today)),
            reference: "Courrier du jour".to_owned(),
            subject: "Pièces à joindre aux courriers".to_owned(),
            registered_number: None,
            salutation: String::new(),
            paragraphs,
            closing: String::new(),
            signatory_name: String::new(),
            signatory_title: String::new(),
            title: format!("Courrier du jour du {} – pièces à joindre", format_fr_long(today)),
            created: chrono::Local::now().naive_local(),
            register_digest: crate::store::digest::current(conn, today)?.footer(),
        };
        docs.insert(0, slip);
    }
    let bytes = pdf::render_many(&docs, fonts)?;
    Ok((bytes, count))
}
