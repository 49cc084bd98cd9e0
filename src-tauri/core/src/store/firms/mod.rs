//! The firms register (« qualifiés / certifiés »): firms and the qualifications they hold.
//! Applying a CSV export of the register is `import`; the « Dossier du qualifié » view is `file`.

mod file;
mod import;
mod scope;

pub use file::{firm_file, FirmComplaint, FirmFile};
pub use import::{import, ImportLine, ImportReport};
pub use scope::{
    out_of_scope_warning, scope_at_intake, scope_of_firm, scope_of_new_firm, scope_on, Scope, StatusFlags,
};

use crate::error::{Error, Result};
use crate::model::{Address, Firm};
use crate::store::{bool_int, now_timestamp};
use crate::validate::{validate_firm, FirmForm, ValidFirm};
use rusqlite::types::ToSql;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

const COLUMNS: &str =
    "id, name, siret, address_lines, postcode, city, email, phone, is_qualified, is_certified, is_rge";

pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<Firm> {
    let lines: String = r.get(3)?;
    Ok(Firm {
        id: r.get(0)?,
        name: r.get(1)?,
        siret: r.get(2)?,
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

/// What insert and update write, as `?1`…`?11` (the last one the time of the change).
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

    fn values(&self) -> [&dyn ToSql; 11] {
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
        ]
    }
}

/// Inserts a firm. A SIRET already in the register is refused with the existing firm's name.
pub fn insert(conn: &Connection, firm: &ValidFirm, field_prefix: &str) -> Result<i64> {
    if let Some(siret) = &firm.siret {
        let existing: Option<String> =
            conn.query_row("SELECT name FROM firms WHERE siret = ?1", params![siret], |r| r.get(0)).optional()?;
        if let Some(name) = existing {
            return Err(Error::field(
                &format!("{field_prefix}.siret"),
                format!(
                    "Ce SIRET est déjà celui de « {name} » dans le registre : choisissez ce qualifié dans la liste."
                ),
            ));
        }
    }
    conn.execute(
        "INSERT INTO firms (name, siret, address_lines, postcode, city, email, phone,
                            is_qualified, is_certified, is_rge, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
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

/// Changes a firm. Letters already archived are PDFs: they keep what they said.
pub fn update(conn: &Connection, id: i64, firm: &ValidFirm, field_prefix: &str) -> Result<()> {
    if let Some(siret) = &firm.siret {
        let other: Option<String> = conn
            .query_row("SELECT name FROM firms WHERE siret = ?1 AND id <> ?2", params![siret, id], |r| r.get(0))
            .optional()?;
        if let Some(name) = other {
            return Err(Error::field(
                &format!("{field_prefix}.siret"),
                format!("Ce SIRET est déjà celui de « {name} »."),
            ));
        }
    }
    let n = conn.execute(
        "UPDATE firms SET name = ?1, siret = ?2, address_lines = ?3, postcode = ?4, city = ?5, email = ?6, phone = ?7,
                          is_qualified = ?8, is_certified = ?9, is_rge = ?10, updated_at = ?11
         WHERE id = ?12",
        params_from_iter(Columns::of(firm).values().into_iter().chain([&id as &dyn ToSql])),
    )?;
    if n == 0 {
        return Err(Error::NotFound { what: "Le qualifié", id });
    }
    crate::store::search::reindex_firm(conn, id)?;
    Ok(())
}

/// Creates (`id` = None) or changes a firm from its form.
pub fn save(conn: &mut Connection, id: Option<i64>, form: &FirmForm) -> Result<i64> {
    let firm = validate_firm(form, "firm")?;
    let tx = conn.transaction()?;
    let id = match id {
        Some(id) => {
            update(&tx, id, &firm, "firm")?;
            id
        }
        None => insert(&tx, &firm, "firm")?,
    };
    tx.commit()?;
    Ok(id)
}

/// Firms whose name, SIRET or city contains `text` (all when empty), by name.
pub fn search(conn: &Connection, text: &str, limit: i64) -> Result<Vec<Firm>> {
    let pattern = format!("%{}%", text.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM firms
         WHERE name LIKE ?1 ESCAPE '\\' OR siret LIKE ?1 ESCAPE '\\' OR city LIKE ?1 ESCAPE '\\'
         ORDER BY name COLLATE NOCASE, id LIMIT ?2"
    ))?;
    let rows =
        stmt.query_map(params![pattern, limit.clamp(1, 10_000)], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A qualification or certification a firm holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Qualification {
    pub id: i64,
    /// `qualification` or `certification`.
    pub kind: String,
    pub reference: String,
    pub label: String,
    pub is_rge: bool,
    pub valid_from: String,
    pub valid_until: String,
}

impl Default for Qualification {
    fn default() -> Self {
        Qualification {
            id: 0,
            kind: "qualification".into(),
            reference: String::new(),
            label: String::new(),
            is_rge: false,
            valid_from: String::new(),
            valid_until: String::new(),
        }
    }
}

pub fn qualifications(conn: &Connection, firm_id: i64) -> Result<Vec<Qualification>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, reference, label, is_rge, coalesce(valid_from, ''), coalesce(valid_until, '')
         FROM firm_qualifications WHERE firm_id = ?1 ORDER BY reference",
    )?;
    let rows = stmt
        .query_map(params![firm_id], |r| {
            Ok(Qualification {
                id: r.get(0)?,
                kind: r.get(1)?,
                reference: r.get(2)?,
                label: r.get(3)?,
                is_rge: r.get(4)?,
                valid_from: r.get(5)?,
                valid_until: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn add_qualification(conn: &Connection, firm_id: i64, q: &Qualification) -> Result<i64> {
    let mut errors = crate::error::FieldErrors::new();
    if !matches!(q.kind.as_str(), "qualification" | "certification") {
        errors.insert("kind".into(), "Choisissez qualification ou certification.".into());
    }
    if q.reference.trim().is_empty() || q.reference.chars().count() > 40 {
        errors.insert("reference".into(), "Indiquez la référence (40 caractères au plus), par exemple 2.1.".into());
    }
    let date = |key: &str, v: &str, errors: &mut crate::error::FieldErrors| -> Option<String> {
        if v.trim().is_empty() {
            return None;
        }
        match crate::validate::parse_date(v) {
            Some(d) => Some(d.to_string()),
            None => {
                errors.insert(key.into(), crate::validate::INVALID_DATE.into());
                None
            }
        }
    };
    let from = date("valid_from", &q.valid_from, &mut errors);
    let until = date("valid_until", &q.valid_until, &mut errors);
    if let (Some(f), Some(u)) = (&from, &until) {
        if u < f {
            errors.insert("valid_until".into(), "La fin de validité précède son début.".into());
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation { fields: errors });
    }
    get(conn, firm_id)?;
    conn.execute(
        "INSERT INTO firm_qualifications (firm_id, kind, reference, label, is_rge, valid_from, valid_until)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![firm_id, q.kind, q.reference.trim(), q.label.trim(), q.is_rge, from, until],
    )?;
    Ok(conn.last_insert_rowid())
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
        )?;
        let b = save(&mut conn, None, &FirmForm { name: "B".into(), ..FirmForm::default() })?;
        let clash = save(
            &mut conn,
            Some(b),
            &FirmForm { name: "B".into(), siret: "73282932000074".into(), ..FirmForm::default() },
        );
        assert!(clash.is_err());
        save(
            &mut conn,
            Some(a),
            &FirmForm { name: "A renommé".into(), siret: "73282932000074".into(), ..FirmForm::default() },
        )?;
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
            }
        )
        .is_err());
        Ok(())
    }
}
