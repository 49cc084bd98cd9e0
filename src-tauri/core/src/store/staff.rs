//! The staff list: who can act on the register, named in every journal entry.

use crate::error::{Error, FieldErrors, Result};
use crate::store::{code_or_empty, read_rows};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

coded_enum!(
    /// Which signatory of the settings (Paramètres « Organisme et signataires ») a member of
    /// staff is (`staff.signatory`).
    StaffSignatory {
        GeneralDelegate => "general_delegate", "Déléguée Générale";
        QualificationManager => "qualification_manager", "Responsable des Qualifications";
        CertificationManager => "certification_manager", "Responsable des Certifications";
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub active: bool,
    /// The signatory this member is, if any (at most one member per signatory).
    pub signatory: Option<StaffSignatory>,
    pub signatory_label: &'static str,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    pub name: String,
    pub role: String,
}

pub fn list(conn: &Connection) -> Result<Vec<StaffMember>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, role, active, signatory FROM staff ORDER BY active DESC, name")?;
    read_rows(&mut stmt, [], "staff", |r| {
        let signatory: Option<StaffSignatory> = code_or_empty(r, 4)?;
        Ok(StaffMember {
            id: r.get(0)?,
            name: r.get(1)?,
            role: r.get(2)?,
            active: r.get(3)?,
            signatory,
            signatory_label: signatory.map_or("", StaffSignatory::label),
        })
    })
}

/// The member of staff who is `signatory`, if one is linked.
pub fn signatory_member(conn: &Connection, signatory: StaffSignatory) -> Result<Option<StaffMember>> {
    Ok(list(conn)?.into_iter().find(|m| m.signatory == Some(signatory)))
}

/// Links member `id` to a signatory (`""`: none). At most one member per signatory: another
/// member already linked is refused, naming him; an inactive member cannot sign.
pub fn set_signatory(conn: &mut Connection, id: i64, signatory: &str) -> Result<()> {
    let wanted = match signatory.trim() {
        "" => None,
        code => Some(StaffSignatory::from_code(code).ok_or_else(|| {
            Error::field(
                "signatory",
                "Choisissez Déléguée Générale, Responsable des Qualifications ou des Certifications.",
            )
        })?),
    };
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let active: Option<bool> =
        tx.query_row("SELECT active FROM staff WHERE id = ?1", params![id], |r| r.get(0)).optional()?;
    match (active, wanted) {
        (None, _) => return Err(Error::NotFound { what: "La personne", id }),
        (Some(false), Some(_)) => {
            return Err(Error::field(
                "signatory",
                "Une personne inactive ne peut pas être signataire : réactivez-la d'abord.",
            ))
        }
        _ => {}
    }
    if let Some(s) = wanted {
        let holder: Option<String> = tx
            .query_row("SELECT name FROM staff WHERE signatory = ?1 AND id <> ?2", params![s, id], |r| r.get(0))
            .optional()?;
        if let Some(name) = holder {
            return Err(Error::field(
                "signatory",
                format!("{name} est déjà la personne « {} » : retirez-lui ce rôle d'abord.", s.label()),
            ));
        }
    }
    tx.execute("UPDATE staff SET signatory = ?2 WHERE id = ?1", params![id, wanted.map_or("", StaffSignatory::code)])?;
    // The letters are signed with this person's name: typed once, in the staff list.
    if let Some(s) = wanted {
        let name: String = tx.query_row("SELECT name FROM staff WHERE id = ?1", params![id], |r| r.get(0))?;
        crate::store::settings::set_signatory_name(&tx, s.code(), &name)?;
    }
    tx.commit()?;
    Ok(())
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

    #[test]
    fn one_member_per_signatory() -> Result<()> {
        let mut conn = open_in_memory()?;
        let sophie = add(&conn, &StaffForm { name: "Sophie Martin".into(), role: "Déléguée Générale".into() })?;
        let marc = add(&conn, &StaffForm { name: "Marc Blanc".into(), role: "Responsable".into() })?;
        set_signatory(&mut conn, sophie, "general_delegate")?;
        set_signatory(&mut conn, marc, "qualification_manager")?;
        let found = signatory_member(&conn, StaffSignatory::GeneralDelegate)?.map(|m| m.id);
        assert_eq!(found, Some(sophie));
        // The letters are signed with the names chosen here: typed once, in the staff list.
        let org = crate::store::settings::organisation(&conn)?;
        assert_eq!(
            (org.general_delegate_name.as_str(), org.qualification_manager_name.as_str()),
            ("Sophie Martin", "Marc Blanc")
        );
        match set_signatory(&mut conn, marc, "general_delegate") {
            Err(Error::Validation { fields }) => {
                assert!(fields["signatory"].starts_with("Sophie Martin est déjà"), "{fields:?}")
            }
            other => panic!("{other:?}"),
        }
        let m = list(&conn)?.into_iter().find(|m| m.id == marc).ok_or(Error::NotFound { what: "x", id: marc })?;
        assert_eq!(
            (m.signatory, m.signatory_label),
            (Some(StaffSignatory::QualificationManager), "Responsable des Qualifications")
        );
        // Setting again the one a member already holds is no conflict; clearing frees it.
        set_signatory(&mut conn, sophie, "general_delegate")?;
        set_signatory(&mut conn, sophie, "")?;
        set_signatory(&mut conn, marc, "general_delegate")?;
        assert!(matches!(set_signatory(&mut conn, marc, "president"), Err(Error::Validation { .. })));
        set_active(&conn, sophie, false)?;
        assert!(matches!(set_signatory(&mut conn, sophie, "certification_manager"), Err(Error::Validation { .. })));
        assert!(matches!(set_signatory(&mut conn, 999, ""), Err(Error::NotFound { .. })));
        Ok(())
    }
}
