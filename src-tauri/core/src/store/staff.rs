//! The staff list: who can act on the register, named in every journal entry.

use crate::error::{Error, FieldErrors, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub active: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    pub name: String,
    pub role: String,
}

pub fn list(conn: &Connection) -> Result<Vec<StaffMember>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, role, active FROM staff ORDER BY active DESC, name")?;
    let rows = stmt
        .query_map([], |r| Ok(StaffMember { id: r.get(0)?, name: r.get(1)?, role: r.get(2)?, active: r.get(3)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn add(conn: &Connection, form: &StaffForm) -> Result<i64> {
    let name = form.name.trim();
    let role = form.role.trim();
    let mut errors = FieldErrors::new();
    if name.is_empty() {
        errors.insert("name".into(), "Indiquez le nom de la personne.".into());
    } else if name.chars().count() > 80 || name.chars().any(char::is_control) {
        errors.insert("name".into(), "Nom invalide : 80 caractères au plus, sans caractères invisibles.".into());
    }
    if role.chars().count() > 80 || role.chars().any(char::is_control) {
        errors.insert("role".into(), "Fonction invalide : 80 caractères au plus.".into());
    }
    if !errors.is_empty() {
        return Err(Error::Validation { fields: errors });
    }
    conn.execute("INSERT INTO staff (name, role) VALUES (?1, ?2)", params![name, role])?;
    Ok(conn.last_insert_rowid())
}

/// Staff are never deleted (the journal names them): they are set inactive.
pub fn set_active(conn: &Connection, id: i64, active: bool) -> Result<()> {
    let n = conn.execute("UPDATE staff SET active = ?2 WHERE id = ?1", params![id, active])?;
    if n == 0 {
        return Err(Error::NotFound { what: "La personne", id });
    }
    Ok(())
}

/// The name the journal records for `id`; refused unless it is an active member.
pub fn author(conn: &Connection, id: Option<i64>) -> Result<String> {
    let found: Option<(String, bool)> = match id {
        Some(id) => conn
            .query_row("SELECT name, active FROM staff WHERE id = ?1", params![id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
        None => None,
    };
    match found {
        Some((name, true)) => Ok(name),
        _ => Err(Error::refused(
            "Choisissez qui vous êtes dans la liste « Utilisateur » (en bas du menu) : chaque action est signée.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    #[test]
    fn members_are_added_deactivated_and_required_to_act() -> Result<()> {
        let conn = open_in_memory()?;
        let id = add(&conn, &StaffForm { name: "Sophie Martin".into(), role: "Déléguée Générale".into() })?;
        assert_eq!(author(&conn, Some(id))?, "Sophie Martin");
        set_active(&conn, id, false)?;
        assert!(author(&conn, Some(id)).is_err());
        assert!(matches!(author(&conn, None), Err(Error::Refused { .. })), "not a field of the form");
        assert!(add(&conn, &StaffForm::default()).is_err());
        assert_eq!(list(&conn)?.len(), 2, "the seeded « Secrétariat » and Sophie Martin");
        Ok(())
    }
}
