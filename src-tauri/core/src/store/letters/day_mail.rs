//! « Courrier du jour »: the letters generated today and not yet sent, printed again as one PDF
//! from what each was when generated.

use super::letterhead::LOGO_PNG;
use crate::error::{Error, Result};
use crate::letters::pdf::{self, Fonts, LetterDoc};
use chrono::NaiveDate;
use rusqlite::{params, Connection};

/// Every letter generated `today` and not yet marked sent, as one PDF, with their count.
pub fn day_mail(conn: &Connection, fonts: &Fonts, today: NaiveDate) -> Result<(Vec<u8>, usize)> {
    let mut stmt = conn.prepare_cached(
        "SELECT letter_data FROM documents
         WHERE direction = 'out' AND created_at = ?1 AND sent_on IS NULL AND letter_data IS NOT NULL ORDER BY id",
    )?;
    let docs: Vec<LetterDoc> = stmt
        .query_map(params![today.to_string()], |r| r.get::<_, String>(0))?
        .filter_map(|json| json.ok().and_then(|j| serde_json::from_str::<LetterDoc>(&j).ok()))
        .map(|mut doc| {
            // A stored letter has no logo (`Letterhead::logo_png` is not serialised): put it back.
            doc.letterhead.logo_png = Some(LOGO_PNG.to_vec());
            doc
        })
        .collect();
    if docs.is_empty() {
        return Err(Error::refused("Aucun courrier généré aujourd'hui n'attend d'être envoyé."));
    }
    let bytes = pdf::render_many(&docs, fonts)?;
    Ok((bytes, docs.len()))
}
