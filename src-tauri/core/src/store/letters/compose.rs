//! The letter as a document: a template's subject and body merged with a complaint's facts (a
//! syntax error, an unknown field or an empty printed one refused before any PDF exists),
//! French typography, and the organisation's letterhead. Used by the outgoing letters and by
//! the template preview.

use super::facts::Facts;
use super::letterhead::letterhead;
use crate::error::{Error, Result};
use crate::french::format_fr_long;
use crate::letters::pdf::LetterDoc;
use crate::letters::templates::{self, MergeError};
use crate::letters::typography;
use crate::store::settings;
use chrono::NaiveDate;
use rusqlite::Connection;

/// A refusal keyed `letter`: an empty field is the file's to complete; an unknown field or a
/// syntax error is the template's to review (an edited version that no longer checks).
fn template_error(e: &MergeError, field: &str) -> Error {
    match e {
        MergeError::Empty(_) => Error::field(field, e.message()),
        MergeError::Unknown(_) | MergeError::Syntax { .. } => {
            Error::field(field, format!("Modèle à revoir (Paramètres, « Modèles de courriers ») : {}", e.message()))
        }
    }
}

/// Runs `work` in a transaction rolled back at the end: what composing a letter records on the
/// way (the day's register digest it quotes, a default template moved to its new wording) is not
/// kept — for the previews and the text « Adapter ce courrier » opens, which write nothing.
pub(super) fn without_recording<T>(conn: &Connection, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let tx = conn.unchecked_transaction()?;
    let out = work(&tx);
    drop(tx);
    out
}

/// Builds the letter from a template's text and the facts, under the organisation's letterhead;
/// refuses unknown or empty fields.
pub(super) fn build_doc(
    conn: &Connection,
    facts: &Facts,
    subject: &str,
    body: &str,
    registered_number: Option<String>,
    today: NaiveDate,
    title: &str,
) -> Result<LetterDoc> {
    let (subject, body) = merge(facts, subject, body)?;
    assemble(conn, facts, &subject, &body, registered_number, today, title)
}

/// A template's subject and body merged with the facts: the text « Adapter ce courrier »
/// opens for editing.
pub(super) fn merge(facts: &Facts, subject: &str, body: &str) -> Result<(String, String)> {
    merge_values(&facts.values.to_map(), subject, body)
}

/// [`merge`] with any values (the template preview's example).
pub(super) fn merge_values(
    values: &std::collections::BTreeMap<String, String>,
    subject: &str,
    body: &str,
) -> Result<(String, String)> {
    let subject = templates::merge(subject, values).map_err(|e| template_error(&e, "letter"))?;
    let body = templates::merge(body, values).map_err(|e| template_error(&e, "letter"))?;
    Ok((subject, body))
}

/// The letter from a subject and body already merged (a template's, or the text adapted for
/// one file, which is taken as typed: never merged again), with French typography, under the
/// organisation's letterhead.
pub(super) fn assemble(
    conn: &Connection,
    facts: &Facts,
    subject: &str,
    body: &str,
    registered_number: Option<String>,
    today: NaiveDate,
    title: &str,
) -> Result<LetterDoc> {
    let mut paragraphs: Vec<String> = templates::paragraphs(body).iter().map(|p| typography::french(p)).collect();
    let salutation =
        if paragraphs.first().is_some_and(|p| p.ends_with(',')) { paragraphs.remove(0) } else { String::new() };
    // The last paragraph is the « formule de politesse », kept with the signature.
    let closing = if paragraphs.len() > 1 { paragraphs.pop().unwrap_or_default() } else { String::new() };
    let org = settings::organisation(conn)?;
    Ok(LetterDoc {
        letterhead: letterhead(conn, &org)?,
        recipient: facts.recipient.clone(),
        place_date: typography::french(&format!("{}, le {}", org.letter_place.trim(), format_fr_long(today))),
        reference: facts.reference.clone(),
        subject: typography::french(subject),
        registered_number: registered_number.map(|n| crate::validate::spaced_registered(&n)),
        salutation,
        paragraphs,
        closing,
        signatory_name: facts.signatory_name.clone(),
        signatory_title: facts.signatory_title.clone(),
        title: title.to_owned(),
        created: chrono::Local::now().naive_local(),
        register_digest: facts.register_digest.clone(),
    })
}
