//! The firms register (« qualifiés / certifiés »).

use crate::error::{Error, Result};
use crate::model::{Address, Firm};
use crate::store::{bool_int, now_timestamp};
use crate::validate::ValidFirm;
use rusqlite::{params, Connection, Row};

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

/// Inserts a firm. A SIRET already in the register is refused with the existing firm's name.
pub fn insert(conn: &Connection, firm: &ValidFirm, field_prefix: &str) -> Result<i64> {
    if let Some(siret) = &firm.siret {
        let existing: Option<String> = conn
            .query_row("SELECT name FROM firms WHERE siret = ?1", params![siret], |r| r.get(0))
            .map(Some)
            .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
        if let Some(name) = existing {
            return Err(Error::field(
                &format!("{field_prefix}.siret"),
                format!(
                    "Ce SIRET est déjà celui de « {name} » dans le registre : choisissez ce qualifié dans la liste."
                ),
            ));
        }
    }
    let now = now_timestamp();
    conn.execute(
        "INSERT INTO firms (name, siret, address_lines, postcode, city, email, phone,
                            is_qualified, is_certified, is_rge, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        params![
            firm.name,
            firm.siret,
            firm.address.lines.join("\n"),
            firm.address.postcode,
            firm.address.city,
            firm.email,
            firm.phone,
            bool_int(firm.is_qualified),
            bool_int(firm.is_certified),
            bool_int(firm.is_rge),
            now,
        ],
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
