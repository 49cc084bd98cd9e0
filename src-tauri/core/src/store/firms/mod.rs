//! The firms register (« qualifiés / certifiés »): firms and the qualifications they hold, each
//! correction kept in the firm's history. Applying an export of the register is `import`; the
//! « Dossier du qualifié » view is `file`; the status on a day is `scope`.

mod file;
pub mod history;
mod import;
mod qualifications;
mod scope;

pub use file::{firm_file, FirmComplaint, FirmFile};
pub use history::{By, Change, HistoryEntry};
pub use import::{import, import_file, AbsentFirm, FirmImport, ImportLine, ImportReport, QualificationImport};
pub use qualifications::{add_qualification, correct_qualification, end_qualification, qualifications, Qualification};
pub use scope::{
    out_of_scope_warning, scope_at_intake, scope_of_firm, scope_of_new_firm, scope_on, standing, Scope, Standing,
    StatusFlags,
};

use crate::error::{Error, Result};
use crate::model::{Address, Firm};
use crate::store::{bool_int, now_timestamp};
use crate::validate::{siret_to_check, validate_firm, FirmForm, ValidFirm};
use chrono::NaiveDate;
use rusqlite::types::ToSql;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

const COLUMNS: &str =
    "id, name, siret, address_lines, postcode, city, email, phone, is_qualified, is_certified, is_rge, coalesce(number, '')";

pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<Firm> {
    let lines: String = r.get(3)?;
    let siret: Option<String> = r.get(2)?;
    Ok(Firm {
        id: r.get(0)?,
        number: r.get(11)?,
        name: r.get(1)?,
        siret_to_check: siret_to_check(siret.as_deref()),
        siret,
        address: Address { lines: split_lines(&lines), postcode: r.get(4)?, city: r.get(5)? },
        email: r.get(6)?,
        phone: r.get(7)?,
        is_qualified: r.get(8)?,
        is_certified: r.get(9)?,
        is_rge: r.get(10)?,
    })
}

pub(crate) fn split_lines(s: &str) -> Vec<String> {
    s.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// What insert and update write, as `?1`…`?12` (the 11th the time of the change).
struct Columns<'a> {
    firm: &'a ValidFirm,
    address_lines: String,
    flags: [i64; 3],
    now: String,
}

impl<'a> Columns<'a> {
    fn of(firm: &'a ValidFirm) -> Self {
        Columns {
            firm,
            address_lines: firm.address.lines.join("\n"),
            flags: [bool_int(firm.is_qualified), bool_int(firm.is_certified), bool_int(firm.is_rge)],
            now: now_timestamp(),
        }
    }

    fn values(&self) -> [&dyn ToSql; 12] {
        let f = self.firm;
        [
            &f.name,
            &f.siret,
            &self.address_lines,
            &f.address.postcode,
            &f.address.city,
            &f.email,
            &f.phone,
            &self.flags[0],
            &self.flags[1],
            &self.flags[2],
            &self.now,
            &f.number,
        ]
    }
}

/// The name of the firm other than `id` whose `column` (`siret` or `number`) is `value`.
pub(super) fn holder(conn: &Connection, column: &str, value: &str, id: Option<i64>) -> Result<Option<String>> {
    Ok(conn
        .query_row(&format!("SELECT name FROM firms WHERE {column} = ?1 AND id IS NOT ?2"), params![value, id], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The other firm that already has this SIRET or this number, as a field error.
fn clash(conn: &Connection, firm: &ValidFirm, id: Option<i64>, field_prefix: &str) -> Result<()> {
    let other = |column: &str, value: &Option<String>| match value {
        Some(value) => holder(conn, column, value, id),
        None => Ok(None),
    };
    if let Some(name) = other("siret", &firm.siret)? {
        return Err(Error::field(
            &format!("{field_prefix}.siret"),
            format!("Ce SIRET est déjà celui de « {name} » dans le registre : choisissez ce qualifié dans la liste."),
        ));
    }
    if let Some(name) = other("number", &firm.number)? {
        return Err(Error::field(
            &format!("{field_prefix}.number"),
            format!("Ce numéro est déjà celui de « {name} » dans le registre."),
        ));
    }
    Ok(())
}

/// Inserts a firm. A SIRET or number already in the register is refused with the existing firm's name.
pub fn insert(conn: &Connection, firm: &ValidFirm, field_prefix: &str) -> Result<i64> {
    clash(conn, firm, None, field_prefix)?;
    conn.execute(
        "INSERT INTO firms (name, siret, address_lines, postcode, city, email, phone,
                            is_qualified, is_certified, is_rge, created_at, updated_at, number)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
        params_from_iter(Columns::of(firm).values()),
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> Result<Firm> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM firms WHERE id = ?1"), params![id], from_row).map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => Error::NotFound { what: "Le qualifié", id },
        other => other.into(),
    })
}

/// All firms, by name.
pub fn list(conn: &Connection) -> Result<Vec<Firm>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM firms ORDER BY name COLLATE NOCASE, id"))?;
    let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "oui"
    } else {
        "non"
    }
}

/// What differs between a stored firm and its new values, field by field, as people read them.
pub(crate) fn firm_changes(old: &Firm, new: &ValidFirm) -> Vec<Change> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        Change::of("N° qualifié", old.number.clone(), opt(&new.number)),
        Change::of("Raison sociale", old.name.clone(), new.name.clone()),
        Change::of("SIRET", opt(&old.siret), opt(&new.siret)),
        Change::of("Adresse", old.address.lines.join(", "), new.address.lines.join(", ")),
        Change::of("Code postal", old.address.postcode.clone(), new.address.postcode.clone()),
        Change::of("Ville", old.address.city.clone(), new.address.city.clone()),
        Change::of("Courriel", old.email.clone(), new.email.clone()),
        Change::of("Téléphone", old.phone.clone(), new.phone.clone()),
        Change::of("Qualifié (statut déclaré)", yes_no(old.is_qualified), yes_no(new.is_qualified)),
        Change::of("Certifié (statut déclaré)", yes_no(old.is_certified), yes_no(new.is_certified)),
        Change::of("RGE (statut déclaré)", yes_no(old.is_rge), yes_no(new.is_rge)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Changes a firm, writing each changed field to its history. Letters already archived are
/// PDFs: they keep what they said. Returns the changes (none: nothing was written).
pub fn update(conn: &Connection, id: i64, firm: &ValidFirm, field_prefix: &str, by: By<'_>) -> Result<Vec<Change>> {
    let old = get(conn, id)?;
    let changes = firm_changes(&old, firm);
    if changes.is_empty() {
        return Ok(changes);
    }
    clash(conn, firm, Some(id), field_prefix)?;
    conn.execute(
        "UPDATE firms SET name = ?1, siret = ?2, address_lines = ?3, postcode = ?4, city = ?5, email = ?6, phone = ?7,
                          is_qualified = ?8, is_certified = ?9, is_rge = ?10, updated_at = ?11, number = ?12
         WHERE id = ?13",
        params_from_iter(Columns::of(firm).values().into_iter().chain([&id as &dyn ToSql])),
    )?;
    history::write(conn, id, None, &changes, by)?;
    crate::store::search::reindex_firm(conn, id)?;
    Ok(changes)
}

/// Creates (`id` = None) or corrects a firm from its form; a correction says why (`form.reason`),
/// and who (`author`) and when go with it into the firm's history.
pub fn save(conn: &mut Connection, id: Option<i64>, form: &FirmForm, author: &str) -> Result<i64> {
    let firm = validate_firm(form, "firm")?;
    let tx = conn.transaction()?;
    let id = match id {
        Some(id) => {
            let reason = form.reason.trim();
            if reason.is_empty() && !firm_changes(&get(&tx, id)?, &firm).is_empty() {
                return Err(Error::field(
                    "firm.reason",
                    "Indiquez le motif de la modification (déménagement, erreur de saisie…) : il est gardé dans l'historique du qualifié.",
                ));
            }
            update(&tx, id, &firm, "firm", By { author, reason, import_id: None })?;
            id
        }
        None => insert(&tx, &firm, "firm")?,
    };
    tx.commit()?;
    Ok(id)
}

/// Words typed in a search box as the firms' search text holds them: folded, and the whole
/// text without its spaces (a SIRET or a number typed with spaces).
fn search_patterns(text: &str) -> (Vec<String>, String) {
    let escape = |s: &str| format!("%{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let folded = crate::french::fold(text.trim());
    let words = folded.split_whitespace().take(8).map(escape).collect();
    let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    (words, escape(&compact))
}

/// What the firms list filters on, beside the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct FirmQuery {
    pub text: String,
    /// A [`Standing::code`] (`valid`, `expired`, `suspended`, `withdrawn`, `future`, `declared`,
    /// `none`), or `siret_to_check`; empty: all.
    pub status: String,
}

/// A line of the firms list: the firm and its status today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirmListItem {
    #[serde(flatten)]
    pub firm: Firm,
    pub standing: Standing,
}

/// Firms whose name, number, SIRET, postcode or city holds every word of `text` (accents and
/// case ignored; a number or SIRET with or without spaces), by name, with their status on `today`.
pub fn search(conn: &Connection, query: &FirmQuery, limit: usize, today: NaiveDate) -> Result<Vec<FirmListItem>> {
    let (words, compact) = search_patterns(&query.text);
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    if !words.is_empty() {
        let each: Vec<String> = words
            .iter()
            .map(|w| {
                values.push(w.clone());
                format!("search_text LIKE ?{} ESCAPE '\\'", values.len())
            })
            .collect();
        values.push(compact);
        conditions.push(format!("(({}) OR search_text LIKE ?{} ESCAPE '\\')", each.join(" AND "), values.len()));
    }
    if query.status == "siret_to_check" {
        conditions.push("siret IS NOT NULL".into());
    }
    let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM firms {filter} ORDER BY name COLLATE NOCASE, id"))?;
    let firms = stmt.query_map(params_from_iter(values.iter()), from_row)?;
    let unfiltered = query.status.is_empty();
    let mut found: Vec<Firm> = Vec::new();
    for firm in firms {
        let firm = firm?;
        if query.status == "siret_to_check" && !firm.siret_to_check {
            continue;
        }
        found.push(firm);
        // Without a status filter the list stops at `limit`; with one, every firm's status is read.
        if unfiltered && found.len() >= limit {
            break;
        }
    }
    let mut held = qualifications::of_firms(conn, found.iter().map(|f| f.id))?;
    let items = found
        .into_iter()
        .map(|firm| {
            let (quals, statuses) = held.remove(&firm.id).unwrap_or_default();
            let standing = standing(StatusFlags::of(&firm), &quals, &statuses, today);
            FirmListItem { firm, standing }
        })
        .filter(|item| matches!(query.status.as_str(), "" | "siret_to_check") || item.standing.code == query.status)
        .take(limit)
        .collect();
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    #[test]
    fn editing_a_firm_keeps_its_siret_unique() -> Result<()> {
        let mut conn = open_in_memory()?;
        let a = save(
            &mut conn,
            None,
            &FirmForm { name: "A".into(), siret: "73282932000074".into(), ..FirmForm::default() },
            "Claire",
        )?;
        let b = save(&mut conn, None, &FirmForm { name: "B".into(), ..FirmForm::default() }, "Claire")?;
        let clash = save(
            &mut conn,
            Some(b),
            &FirmForm { name: "B".into(), siret: "73282932000074".into(), reason: "x".into(), ..FirmForm::default() },
            "Claire",
        );
        assert!(clash.is_err());
        let renamed = FirmForm { name: "A renommé".into(), siret: "73282932000074".into(), ..FirmForm::default() };
        // A correction says why.
        assert!(matches!(save(&mut conn, Some(a), &renamed, "Claire"),
            Err(Error::Validation { fields }) if fields.contains_key("firm.reason")));
        save(&mut conn, Some(a), &FirmForm { reason: "Changement de nom".into(), ..renamed }, "Claire")?;
        let history = history::of_firm(&conn, a)?;
        assert_eq!(history.len(), 1);
        assert_eq!(
            (history[0].field.as_str(), history[0].old_value.as_str(), history[0].new_value.as_str()),
            ("Raison sociale", "A", "A renommé")
        );
        assert_eq!((history[0].author.as_str(), history[0].reason.as_str()), ("Claire", "Changement de nom"));
        assert_eq!(get(&conn, a)?.name, "A renommé");
        add_qualification(
            &conn,
            a,
            &Qualification {
                reference: "2.1".into(),
                valid_from: "01/01/2025".into(),
                valid_until: "31/12/2028".into(),
                ..Qualification::default()
            },
            "Claire",
        )?;
        assert_eq!(qualifications(&conn, a)?[0].valid_until, "2028-12-31");
        assert!(add_qualification(
            &conn,
            a,
            &Qualification {
                reference: "x".into(),
                valid_from: "01/01/2025".into(),
                valid_until: "01/01/2024".into(),
                ..Qualification::default()
            },
            "Claire",
        )
        .is_err());
        Ok(())
    }
}
