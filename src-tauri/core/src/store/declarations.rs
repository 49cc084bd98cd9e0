//! Declarations of interests: before an instructeur or an expert takes a file (and the
//! Responsable, when the settings ask for it), the person declares whether he has a conflict of
//! interest with the firm or the complainant. Append-only: the latest declaration of a person
//! for a file decides ([`Clearance`]); each one is in the journal.

use crate::error::{Error, FieldErrors, Result};
use crate::french::format_fr;
use crate::store::intervenants::{self, IntervenantKind};
use crate::store::journal::{self, JournalKind, NewEntry};
use crate::store::{bool_int, now_timestamp, read_rows, settings};
use crate::validate::parse_date;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

coded_enum!(
    /// In which role a person declares (`declarations.role`).
    DeclarationRole {
        Investigator => "investigator", "Instructeur";
        Expert => "expert", "Expert";
        Manager => "manager", "Responsable";
    }
);

impl From<IntervenantKind> for DeclarationRole {
    fn from(kind: IntervenantKind) -> Self {
        match kind {
            IntervenantKind::Investigator => DeclarationRole::Investigator,
            IntervenantKind::Expert => DeclarationRole::Expert,
        }
    }
}

/// Whether a person may act on a file: his latest declaration for it decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Clearance {
    NoConflict,
    Conflict,
    NotDeclared,
}

/// The « Déclaration d'intérêts » form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DeclarationForm {
    /// An instructeur or an expert of the register…
    pub intervenant_id: Option<i64>,
    /// …or a member of staff (a Responsable).
    pub staff_id: Option<i64>,
    /// `investigator`, `expert` or `manager`; empty: the intervenant's kind, or `manager`.
    pub role: String,
    /// JJ/MM/AAAA.
    pub date: String,
    pub conflict: bool,
    pub comment: String,
    /// A document received for this complaint (the signed declaration).
    pub document_id: Option<i64>,
}

/// One declaration, for the complaint page and the audit export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclarationView {
    pub id: i64,
    pub intervenant_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub person_name: String,
    pub role: DeclarationRole,
    pub role_label: &'static str,
    /// ISO date.
    pub declared_on: String,
    pub conflict: bool,
    /// « Absence de conflit d'intérêts » / « Conflit d'intérêts déclaré ».
    pub answer_label: &'static str,
    pub comment: String,
    pub document_id: Option<i64>,
    /// The document's file name in the complaint's folder.
    pub document_name: String,
    pub recorded_at: String,
    pub author: String,
}

const COMMENT_MAX: usize = 2000;
const MANAGER_REQUIRED: &str = "impartiality.manager_required";

fn answer_label(conflict: bool) -> &'static str {
    if conflict {
        "Conflit d'intérêts déclaré"
    } else {
        "Absence de conflit d'intérêts"
    }
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<DeclarationView> {
    let role: DeclarationRole = r.get(4)?;
    let conflict: bool = r.get(6)?;
    let path: Option<String> = r.get(9)?;
    Ok(DeclarationView {
        id: r.get(0)?,
        intervenant_id: r.get(1)?,
        staff_id: r.get(2)?,
        person_name: r.get(3)?,
        role,
        role_label: role.label(),
        declared_on: r.get(5)?,
        conflict,
        answer_label: answer_label(conflict),
        comment: r.get(7)?,
        document_id: r.get(8)?,
        document_name: path.map(|p| p.rsplit('/').next().unwrap_or_default().to_owned()).unwrap_or_default(),
        recorded_at: r.get(10)?,
        author: r.get(11)?,
    })
}

/// A complaint's declarations, oldest first (by date declared, then as recorded).
pub fn list(conn: &Connection, complaint_id: i64) -> Result<Vec<DeclarationView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.intervenant_id, d.staff_id, d.person_name, d.role, d.declared_on, d.conflict, d.comment,
                d.document_id, doc.relative_path, d.recorded_at, d.author
         FROM declarations d LEFT JOIN documents doc ON doc.id = d.document_id
         WHERE d.complaint_id = ?1 ORDER BY d.declared_on, d.id",
    )?;
    read_rows(&mut stmt, params![complaint_id], "declarations", from_row)
}

fn clearance(conn: &Connection, complaint_id: i64, column: &str, person: i64) -> Result<Clearance> {
    let latest: Option<bool> = conn
        .query_row(
            &format!(
                "SELECT conflict FROM declarations WHERE complaint_id = ?1 AND {column} = ?2
                 ORDER BY declared_on DESC, id DESC LIMIT 1"
            ),
            params![complaint_id, person],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match latest {
        None => Clearance::NotDeclared,
        Some(true) => Clearance::Conflict,
        Some(false) => Clearance::NoConflict,
    })
}

/// Whether intervenant `intervenant_id` may act on complaint `complaint_id`.
pub fn intervenant_clearance(conn: &Connection, complaint_id: i64, intervenant_id: i64) -> Result<Clearance> {
    clearance(conn, complaint_id, "intervenant_id", intervenant_id)
}

/// Whether member of staff `staff_id` may decide on complaint `complaint_id`.
pub fn staff_clearance(conn: &Connection, complaint_id: i64, staff_id: i64) -> Result<Clearance> {
    clearance(conn, complaint_id, "staff_id", staff_id)
}

/// Whether the Responsable must declare too before deciding (Paramètres, default no).
pub fn manager_declaration_required(conn: &Connection) -> Result<bool> {
    Ok(settings::get(conn, MANAGER_REQUIRED)?.as_deref() == Some("1"))
}

pub fn set_manager_declaration_required(conn: &Connection, required: bool) -> Result<()> {
    settings::set(conn, MANAGER_REQUIRED, if required { "1" } else { "0" })
}

/// Who declares, as checked against the register.
struct Person {
    intervenant_id: Option<i64>,
    staff_id: Option<i64>,
    /// « Mme Anne Roux », kept on the row.
    name: String,
    role: DeclarationRole,
}

fn person(conn: &Connection, form: &DeclarationForm, errors: &mut FieldErrors) -> Result<Option<Person>> {
    let role = match form.role.trim() {
        "" => None,
        code => match DeclarationRole::from_code(code) {
            Some(r) => Some(r),
            None => {
                errors.insert("role".into(), "Choisissez le rôle : instructeur, expert ou responsable.".into());
                return Ok(None);
            }
        },
    };
    match (form.intervenant_id, form.staff_id) {
        (Some(id), None) => {
            let i = match intervenants::get(conn, id) {
                Ok(i) => i,
                Err(Error::NotFound { .. }) => {
                    errors.insert("person".into(), "Choisissez un intervenant du registre.".into());
                    return Ok(None);
                }
                Err(e) => return Err(e),
            };
            if !i.active {
                errors.insert(
                    "person".into(),
                    format!(
                        "{} est désactivé(e) dans le registre des intervenants : réactivez-le(la) d'abord.",
                        i.civil_name()
                    ),
                );
            }
            let own = DeclarationRole::from(i.kind);
            if role.is_some_and(|r| r != own) {
                errors.insert(
                    "role".into(),
                    format!("{} est inscrit(e) au registre comme {}.", i.civil_name(), i.kind_label.to_lowercase()),
                );
            }
            Ok(Some(Person { intervenant_id: Some(id), staff_id: None, name: i.civil_name(), role: own }))
        }
        (None, Some(id)) => {
            let found: Option<(String, bool)> = conn
                .query_row("SELECT name, active FROM staff WHERE id = ?1", params![id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((name, active)) = found else {
                errors.insert("person".into(), "Choisissez une personne du personnel.".into());
                return Ok(None);
            };
            if !active {
                errors.insert("person".into(), format!("{name} est inactive dans le personnel."));
            }
            if role.is_some_and(|r| r != DeclarationRole::Manager) {
                errors.insert("role".into(), "Un membre du personnel déclare comme responsable.".into());
            }
            Ok(Some(Person { intervenant_id: None, staff_id: Some(id), name, role: DeclarationRole::Manager }))
        }
        _ => {
            errors.insert("person".into(), "Choisissez qui déclare : un intervenant ou un responsable.".into());
            Ok(None)
        }
    }
}

/// The journal's sentence for a declaration.
fn summary(name: &str, role: DeclarationRole, on: NaiveDate, conflict: bool, comment: &str) -> String {
    let head = format!("Déclaration d'intérêts de {name} ({}) le {}", role.label().to_lowercase(), format_fr(on));
    if conflict {
        let why = if comment.is_empty() { String::new() } else { format!(" ({comment})") };
        format!("{head} : conflit d'intérêts déclaré{why} ; ne peut pas intervenir sur ce dossier.")
    } else {
        format!("{head} : absence de conflit d'intérêts avec le qualifié et le plaignant.")
    }
}

/// Records a declaration and its journal entry, in one transaction; returns its id.
pub fn record(
    conn: &mut Connection,
    complaint_id: i64,
    form: &DeclarationForm,
    today: NaiveDate,
    author: &str,
) -> Result<i64> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let received: Option<String> = tx
        .query_row("SELECT received_on FROM complaints WHERE id = ?1", params![complaint_id], |r| r.get(0))
        .optional()?;
    let received = received.ok_or(Error::NotFound { what: "La réclamation", id: complaint_id })?;
    let mut errors = FieldErrors::new();
    let who = person(&tx, form, &mut errors)?;
    let date = parse_date(&form.date);
    match date {
        None if form.date.trim().is_empty() => {
            errors.insert("date".into(), "Indiquez la date de la déclaration (JJ/MM/AAAA).".into());
        }
        None => {
            errors.insert("date".into(), crate::validate::INVALID_DATE.into());
        }
        Some(d) if d > today => {
            errors.insert("date".into(), "La date de la déclaration ne peut pas être dans le futur.".into());
        }
        Some(d) if parse_date(&received).is_some_and(|r| d < r) => {
            errors.insert(
                "date".into(),
                format!(
                    "La déclaration porte sur ce dossier : elle ne peut pas précéder sa réception (le {}).",
                    parse_date(&received).map(format_fr).unwrap_or_default()
                ),
            );
        }
        Some(_) => {}
    }
    let comment = form.comment.replace("\r\n", "\n").trim().to_owned();
    if comment.chars().count() > COMMENT_MAX {
        errors.insert("comment".into(), format!("Ce texte est trop long : {COMMENT_MAX} caractères au plus."));
    } else if comment.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        errors
            .insert("comment".into(), "Ce texte contient des caractères invisibles non autorisés : retapez-le.".into());
    }
    if let Some(doc) = form.document_id {
        let ok: Option<String> = tx
            .query_row(
                "SELECT direction FROM documents WHERE id = ?1 AND complaint_id = ?2",
                params![doc, complaint_id],
                |r| r.get(0),
            )
            .optional()?;
        match ok.as_deref() {
            Some("in") => {}
            Some(_) => {
                errors.insert("document_id".into(), "Choisissez un document reçu (pas un courrier envoyé).".into());
            }
            None => {
                errors.insert("document_id".into(), "Ce document n'appartient pas à ce dossier.".into());
            }
        }
    }
    let (Some(who), Some(date), true) = (who, date, errors.is_empty()) else {
        return Err(Error::Validation { fields: errors });
    };
    tx.execute(
        "INSERT INTO declarations (complaint_id, intervenant_id, staff_id, person_name, role, declared_on, conflict,
                                   comment, document_id, recorded_at, author)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            complaint_id,
            who.intervenant_id,
            who.staff_id,
            who.name,
            who.role,
            date.to_string(),
            bool_int(form.conflict),
            comment,
            form.document_id,
            now_timestamp(),
            author
        ],
    )?;
    let id = tx.last_insert_rowid();
    let text = summary(&who.name, who.role, date, form.conflict, &comment);
    let details = if form.conflict { "" } else { comment.as_str() };
    journal::append(
        &tx,
        complaint_id,
        &NewEntry {
            details,
            participants: &who.name,
            document: form.document_id,
            ..NewEntry::simple(JournalKind::Note, date, author, &text)
        },
    )?;
    tx.commit()?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::fixtures::sample_complaint;
    use crate::store::complaints;
    use crate::store::intervenants::tests::form as intervenant_form;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
    }

    struct Setup {
        conn: Connection,
        complaint: i64,
        other: i64,
        expert: i64,
    }

    fn setup() -> Result<Setup> {
        let mut conn = open_in_memory()?;
        // Received on 27/11/2026.
        let complaint = complaints::register(&mut conn, &sample_complaint(), day(1), "Test")?.id;
        let firm: i64 =
            conn.query_row("SELECT firm_id FROM complaints WHERE id = ?1", params![complaint], |r| r.get(0))?;
        let again = crate::validate::ComplaintForm { firm_id: Some(firm), new_firm: None, ..sample_complaint() };
        let other = complaints::register(&mut conn, &again, day(1), "Test")?.id;
        let expert = intervenants::save(&mut conn, None, &intervenant_form(IntervenantKind::Expert, "Anne Roux"))?;
        Ok(Setup { conn, complaint, other, expert })
    }

    fn declaration(intervenant: i64, date: &str, conflict: bool) -> DeclarationForm {
        DeclarationForm { intervenant_id: Some(intervenant), date: date.into(), conflict, ..DeclarationForm::default() }
    }

    fn document(conn: &Connection, complaint: i64, direction: &str, path: &str) -> Result<i64> {
        conn.execute(
            "INSERT INTO documents (complaint_id, direction, kind, relative_path, sha256, size_bytes, created_at)
             VALUES (?1, ?2, 'document_in', ?3, 'x', 1, '2026-12-01')",
            params![complaint, direction, path],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn field_errors(r: Result<i64>) -> FieldErrors {
        match r {
            Err(Error::Validation { fields }) => fields,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn the_latest_declaration_decides() -> Result<()> {
        let Setup { mut conn, complaint, other, expert } = setup()?;
        assert_eq!(intervenant_clearance(&conn, complaint, expert)?, Clearance::NotDeclared);
        record(&mut conn, complaint, &declaration(expert, "01/12/2026", true), day(3), "Test")?;
        assert_eq!(intervenant_clearance(&conn, complaint, expert)?, Clearance::Conflict);
        record(&mut conn, complaint, &declaration(expert, "02/12/2026", false), day(3), "Test")?;
        assert_eq!(intervenant_clearance(&conn, complaint, expert)?, Clearance::NoConflict);
        // A declaration dated earlier, recorded afterwards, does not override the latest one.
        record(&mut conn, complaint, &declaration(expert, "30/11/2026", true), day(3), "Test")?;
        assert_eq!(intervenant_clearance(&conn, complaint, expert)?, Clearance::NoConflict);
        // Another file is another question.
        assert_eq!(intervenant_clearance(&conn, other, expert)?, Clearance::NotDeclared);
        let listed = list(&conn, complaint)?;
        assert_eq!(
            listed.iter().map(|d| d.declared_on.as_str()).collect::<Vec<_>>(),
            ["2026-11-30", "2026-12-01", "2026-12-02"]
        );
        assert_eq!(listed[0].person_name, "Mme Anne Roux");
        assert_eq!(listed[0].role, DeclarationRole::Expert);
        Ok(())
    }

    #[test]
    fn each_declaration_is_in_the_journal() -> Result<()> {
        let Setup { mut conn, complaint, expert, .. } = setup()?;
        let doc = document(&conn, complaint, "in", "a/declaration.pdf")?;
        record(
            &mut conn,
            complaint,
            &DeclarationForm {
                document_id: Some(doc),
                comment: "Reçue signée".into(),
                ..declaration(expert, "01/12/2026", false)
            },
            day(3),
            "Sophie Martin",
        )?;
        record(
            &mut conn,
            complaint,
            &DeclarationForm {
                comment: "a travaillé pour le qualifié en 2025".into(),
                ..declaration(expert, "02/12/2026", true)
            },
            day(3),
            "Sophie Martin",
        )?;
        let entries = journal::list(&conn, complaint)?;
        let notes: Vec<_> = entries.iter().filter(|e| e.kind == "note").collect();
        assert!(
            notes.iter().any(|e| e.summary
                == "Déclaration d'intérêts de Mme Anne Roux (expert) le 01/12/2026 : absence de conflit d'intérêts avec le qualifié et le plaignant."
                && e.details == "Reçue signée"
                && e.author == "Sophie Martin"),
            "{notes:?}"
        );
        assert!(
            notes.iter().any(|e| e.summary
                == "Déclaration d'intérêts de Mme Anne Roux (expert) le 02/12/2026 : conflit d'intérêts déclaré (a travaillé pour le qualifié en 2025) ; ne peut pas intervenir sur ce dossier."),
            "{notes:?}"
        );
        assert_eq!(list(&conn, complaint)?[0].document_name, "declaration.pdf");
        assert_eq!(journal::verify(&conn, complaint)?.first_broken, None);
        Ok(())
    }

    #[test]
    fn refusals_are_keyed_by_field_and_write_nothing() -> Result<()> {
        let Setup { mut conn, complaint, other, expert } = setup()?;
        let foreign = document(&conn, other, "in", "b/autre.pdf")?;
        let sent = document(&conn, complaint, "out", "a/courrier.pdf")?;
        let e = field_errors(record(
            &mut conn,
            complaint,
            &DeclarationForm { document_id: Some(foreign), ..declaration(expert, "01/12/2026", false) },
            day(3),
            "Test",
        ));
        assert_eq!(e["document_id"], "Ce document n'appartient pas à ce dossier.");
        let e = field_errors(record(
            &mut conn,
            complaint,
            &DeclarationForm { document_id: Some(sent), ..declaration(expert, "01/12/2026", false) },
            day(3),
            "Test",
        ));
        assert!(e["document_id"].contains("reçu"));

        let e = field_errors(record(&mut conn, complaint, &DeclarationForm::default(), day(3), "Test"));
        assert_eq!(e.keys().map(String::as_str).collect::<Vec<_>>(), ["date", "person"]);
        let e = field_errors(record(&mut conn, complaint, &declaration(expert, "04/12/2026", false), day(3), "Test"));
        assert!(e["date"].contains("futur"));
        let e = field_errors(record(&mut conn, complaint, &declaration(expert, "20/11/2026", false), day(3), "Test"));
        assert!(e["date"].contains("27/11/2026"), "{e:?}");
        let e = field_errors(record(
            &mut conn,
            complaint,
            &DeclarationForm { role: "investigator".into(), ..declaration(expert, "01/12/2026", false) },
            day(3),
            "Test",
        ));
        assert!(e["role"].contains("expert"));
        intervenants::set_active(&conn, expert, false)?;
        let e = field_errors(record(&mut conn, complaint, &declaration(expert, "01/12/2026", false), day(3), "Test"));
        assert!(e["person"].contains("désactivé"));
        assert!(matches!(
            record(&mut conn, 999, &declaration(expert, "01/12/2026", false), day(3), "Test"),
            Err(Error::NotFound { .. })
        ));
        assert!(list(&conn, complaint)?.is_empty());
        assert!(journal::list(&conn, complaint)?.iter().all(|e| e.kind != "note"), "no journal entry either");
        Ok(())
    }

    #[test]
    fn a_responsable_declares_as_staff() -> Result<()> {
        let Setup { mut conn, complaint, .. } = setup()?;
        let staff = crate::store::staff::add(
            &conn,
            &crate::store::staff::StaffForm { name: "Marc Blanc".into(), role: "Responsable".into() },
        )?;
        assert!(!manager_declaration_required(&conn)?);
        set_manager_declaration_required(&conn, true)?;
        assert!(manager_declaration_required(&conn)?);
        assert_eq!(staff_clearance(&conn, complaint, staff)?, Clearance::NotDeclared);
        let f = DeclarationForm { staff_id: Some(staff), date: "01/12/2026".into(), ..DeclarationForm::default() };
        record(&mut conn, complaint, &f, day(3), "Test")?;
        assert_eq!(staff_clearance(&conn, complaint, staff)?, Clearance::NoConflict);
        let d = &list(&conn, complaint)?[0];
        assert_eq!((d.role, d.person_name.as_str()), (DeclarationRole::Manager, "Marc Blanc"));
        let both = DeclarationForm { intervenant_id: Some(1), ..f };
        assert!(field_errors(record(&mut conn, complaint, &both, day(3), "Test")).contains_key("person"));
        Ok(())
    }
}
