//! The register of intervenants: the instructeurs and experts the organisation calls on, with
//! the postal address their letters go to. Never deleted (files name them): set inactive.

use crate::error::{Error, Result};
use crate::model::{Address, Civility};
use crate::store::{code_or_empty, now_timestamp, read_rows};
use crate::validate::{validate_contact, ContactForm};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

coded_enum!(
    /// What an intervenant does for the organisation.
    IntervenantKind {
        Investigator => "investigator", "Instructeur";
        Expert => "expert", "Expert";
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Intervenant {
    pub id: i64,
    pub kind: IntervenantKind,
    pub kind_label: &'static str,
    pub civility: Option<Civility>,
    pub name: String,
    pub address: Address,
    pub email: String,
    pub phone: String,
    pub speciality: String,
    pub active: bool,
    /// « Mme Anne Roux — métreur », for lists and the journal.
    pub display: String,
}

impl Intervenant {
    /// « Mme Anne Roux », « M. Paul Girard », or the name alone.
    pub fn civil_name(&self) -> String {
        civil_name(self.civility, &self.name)
    }
}

/// « Mme Anne Roux » / « M. Paul Girard » / « Anne Roux ».
pub fn civil_name(civility: Option<Civility>, name: &str) -> String {
    match civility {
        Some(Civility::Madame) => format!("Mme {name}"),
        Some(Civility::Monsieur) => format!("M. {name}"),
        None => name.to_owned(),
    }
}

/// The « Intervenant » form as typed (every value as text, so that a wrong one comes back as a
/// message next to its field).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct IntervenantForm {
    pub kind: String,
    pub civility: String,
    pub name: String,
    /// Street lines separated by line breaks.
    pub address_lines: String,
    pub postcode: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub speciality: String,
}

const SELECT: &str = "SELECT id, kind, civility, name, address_lines, postcode, city, email, phone, speciality, active
                      FROM intervenants";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Intervenant> {
    let kind: IntervenantKind = r.get(1)?;
    let civility: Option<Civility> = code_or_empty(r, 2)?;
    let name: String = r.get(3)?;
    let lines: String = r.get(4)?;
    let speciality: String = r.get(9)?;
    let named = civil_name(civility, &name);
    let display = if speciality.is_empty() { named } else { format!("{named} — {speciality}") };
    Ok(Intervenant {
        id: r.get(0)?,
        kind,
        kind_label: kind.label(),
        civility,
        name,
        address: Address {
            lines: lines.lines().map(str::to_owned).filter(|l| !l.is_empty()).collect(),
            postcode: r.get(5)?,
            city: r.get(6)?,
        },
        email: r.get(7)?,
        phone: r.get(8)?,
        speciality,
        active: r.get(10)?,
        display,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Intervenant> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
    let found = read_rows(&mut stmt, params![id], "intervenants", from_row)?;
    found.into_iter().next().ok_or(Error::NotFound { what: "L'intervenant", id })
}

/// The register, active first then by name; `kind` filters instructeurs or experts.
pub fn list(conn: &Connection, kind: Option<IntervenantKind>, active_only: bool) -> Result<Vec<Intervenant>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE (?1 IS NULL OR kind = ?1) AND (?2 = 0 OR active = 1)
         ORDER BY active DESC, name COLLATE NOCASE, id"
    ))?;
    read_rows(&mut stmt, params![kind, active_only], "intervenants", from_row)
}

/// Whether the intervenant is named on a file (assigned, or a declaration of interests).
fn named_on_a_file(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM complaints WHERE investigator_id = ?1 OR expert_id = ?1
             UNION ALL SELECT 1 FROM declarations WHERE intervenant_id = ?1 LIMIT 1",
            params![id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Adds (`id` None) or edits an intervenant; returns its id. The kind of someone already named
/// on a file cannot change (the file says in which role).
pub fn save(conn: &mut Connection, id: Option<i64>, form: &IntervenantForm) -> Result<i64> {
    let kind = IntervenantKind::from_code(form.kind.trim());
    let contact = validate_contact(&ContactForm {
        civility: &form.civility,
        name: &form.name,
        address_lines: &form.address_lines,
        postcode: &form.postcode,
        city: &form.city,
        email: &form.email,
        phone: &form.phone,
        speciality: &form.speciality,
    });
    let (kind, v) = match (kind, contact) {
        (Some(kind), Ok(v)) => (kind, v),
        (kind, contact) => {
            let mut fields = match contact {
                Err(Error::Validation { fields }) => fields,
                Err(other) => return Err(other),
                Ok(_) => Default::default(),
            };
            if kind.is_none() {
                fields.insert("kind".into(), "Choisissez instructeur ou expert.".into());
            }
            return Err(Error::Validation { fields });
        }
    };
    let tx = conn.transaction()?;
    let civility = v.civility.map_or("", Civility::code);
    let lines = v.address.lines.join("\n");
    let id = match id {
        None => {
            tx.execute(
                "INSERT INTO intervenants (kind, civility, name, address_lines, postcode, city, email, phone, speciality, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![kind, civility, v.name, lines, v.address.postcode, v.address.city, v.email, v.phone, v.speciality, now_timestamp()],
            )?;
            tx.last_insert_rowid()
        }
        Some(id) => {
            let before = get(&tx, id)?;
            if before.kind != kind && named_on_a_file(&tx, id)? {
                return Err(Error::field(
                    "kind",
                    format!(
                        "{} est déjà nommé(e) sur un dossier comme {} : son rôle ne peut plus changer. Ajoutez-le(la) à nouveau dans l'autre rôle.",
                        before.civil_name(),
                        before.kind_label.to_lowercase()
                    ),
                ));
            }
            tx.execute(
                "UPDATE intervenants SET kind = ?2, civility = ?3, name = ?4, address_lines = ?5, postcode = ?6, city = ?7,
                        email = ?8, phone = ?9, speciality = ?10
                 WHERE id = ?1",
                params![id, kind, civility, v.name, lines, v.address.postcode, v.address.city, v.email, v.phone, v.speciality],
            )?;
            id
        }
    };
    tx.commit()?;
    Ok(id)
}

/// Deactivates (or reactivates) an intervenant: an inactive one is no longer offered for new
/// files, and stays named on those he worked on.
pub fn set_active(conn: &Connection, id: i64, active: bool) -> Result<()> {
    let n = conn.execute("UPDATE intervenants SET active = ?2 WHERE id = ?1", params![id, active])?;
    if n == 0 {
        return Err(Error::NotFound { what: "L'intervenant", id });
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::db::open_in_memory;

    pub(crate) fn form(kind: IntervenantKind, name: &str) -> IntervenantForm {
        IntervenantForm {
            kind: kind.code().into(),
            civility: "madame".into(),
            name: name.into(),
            address_lines: "8 rue Juliette Récamier".into(),
            postcode: "69006".into(),
            city: "Lyon".into(),
            email: "a.roux@example.fr".into(),
            phone: "04 78 00 00 00".into(),
            speciality: "métreur".into(),
        }
    }

    fn errors(conn: &mut Connection, form: &IntervenantForm) -> crate::error::FieldErrors {
        match save(conn, None, form) {
            Err(Error::Validation { fields }) => fields,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn intervenants_are_saved_listed_edited_and_deactivated() -> Result<()> {
        let mut conn = open_in_memory()?;
        let anne = save(&mut conn, None, &form(IntervenantKind::Expert, "Anne Roux"))?;
        let paul = save(
            &mut conn,
            None,
            &IntervenantForm {
                civility: "monsieur".into(),
                speciality: String::new(),
                ..form(IntervenantKind::Investigator, "Paul Girard")
            },
        )?;
        let a = get(&conn, anne)?;
        assert_eq!(a.display, "Mme Anne Roux — métreur");
        assert_eq!(a.address.lines, vec!["8 rue Juliette Récamier"]);
        assert_eq!(get(&conn, paul)?.display, "M. Paul Girard");
        assert_eq!(
            list(&conn, Some(IntervenantKind::Expert), true)?.iter().map(|i| i.id).collect::<Vec<_>>(),
            vec![anne]
        );
        assert_eq!(list(&conn, None, false)?.len(), 2);

        let mut edited = form(IntervenantKind::Expert, "Anne Roux-Martin");
        edited.city = "Villeurbanne".into();
        assert_eq!(save(&mut conn, Some(anne), &edited)?, anne);
        assert_eq!(get(&conn, anne)?.address.city, "Villeurbanne");

        set_active(&conn, anne, false)?;
        assert!(list(&conn, Some(IntervenantKind::Expert), true)?.is_empty());
        assert!(!list(&conn, Some(IntervenantKind::Expert), false)?[0].active);
        assert!(matches!(get(&conn, 999), Err(Error::NotFound { .. })));
        assert!(matches!(save(&mut conn, Some(999), &edited), Err(Error::NotFound { .. })));
        Ok(())
    }

    #[test]
    fn name_kind_and_a_complete_postal_address_are_required() -> Result<()> {
        let mut conn = open_in_memory()?;
        let e = errors(&mut conn, &IntervenantForm::default());
        assert_eq!(e.keys().map(String::as_str).collect::<Vec<_>>(), ["address_lines", "kind", "name"]);
        assert!(e["address_lines"].contains("adresse postale complète"), "{e:?}");

        let mut f = form(IntervenantKind::Expert, "Anne Roux");
        f.postcode = String::new();
        f.email = "anne.roux".into();
        f.civility = "docteur".into();
        let e = errors(&mut conn, &f);
        assert_eq!(e["postcode"], "Indiquez le code postal.");
        assert!(e["email"].contains("n'est pas valide"));
        assert!(e.contains_key("civility"));

        let mut f = form(IntervenantKind::Expert, "Anne Roux");
        f.address_lines = "Résidence des Grands Chênes, escalier C, appartement 42".into();
        assert!(errors(&mut conn, &f)["address_lines"].contains("38 caractères"));
        assert!(list(&conn, None, false)?.is_empty(), "nothing written");
        Ok(())
    }

    #[test]
    fn the_kind_of_someone_named_on_a_file_cannot_change() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = save(&mut conn, None, &form(IntervenantKind::Investigator, "Paul Girard"))?;
        // Not yet named anywhere: a wrong kind may be corrected.
        save(&mut conn, Some(id), &form(IntervenantKind::Expert, "Paul Girard"))?;
        save(&mut conn, Some(id), &form(IntervenantKind::Investigator, "Paul Girard"))?;
        let c = crate::store::complaints::register(
            &mut conn,
            &crate::fixtures::sample_complaint(),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).ok_or(Error::refused("date"))?,
            "Test",
        )?;
        conn.execute("UPDATE complaints SET investigator_id = ?1 WHERE id = ?2", params![id, c.id])?;
        match save(&mut conn, Some(id), &form(IntervenantKind::Expert, "Paul Girard")) {
            Err(Error::Validation { fields }) => assert!(fields["kind"].contains("instructeur"), "{fields:?}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(get(&conn, id)?.kind, IntervenantKind::Investigator);
        Ok(())
    }
}
