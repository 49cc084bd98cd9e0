//! The qualifications and certifications a firm holds: added, corrected and ended by hand, each
//! change in the firm's history; never deleted (complaints and the committee name them).

use super::history::{self, By, Change};
use crate::error::{Error, FieldErrors, Result};
use crate::french::format_fr;
use crate::validate::{parse_date, INVALID_DATE};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A qualification's status written back by the appeals committee (schema 3): suspended
/// between two dates, or withdrawn from a date, because of a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualificationStatus {
    pub qualification_id: i64,
    /// `active`, `suspended` or `withdrawn`.
    pub status: String,
    /// ISO dates; empty when not set.
    pub status_from: String,
    pub status_until: String,
    pub complaint_id: Option<i64>,
    /// The complaint's reference (« REC-2026-0042 »); empty when none.
    pub complaint_reference: String,
}

impl QualificationStatus {
    /// Whether the status takes the qualification out of force on `day`: suspended that day
    /// (from ≤ day ≤ until), or withdrawn (day ≥ from).
    pub fn suspends_on(&self, day: NaiveDate) -> bool {
        let from = parse_date(&self.status_from);
        let until = parse_date(&self.status_until);
        match self.status.as_str() {
            // Suspended without an end (an import saying « suspendue »): until further notice.
            "suspended" => from.is_some_and(|f| f <= day) && until.is_none_or(|u| day <= u),
            "withdrawn" => from.is_some_and(|f| f <= day),
            _ => false,
        }
    }

    /// « suspendue du 01/06/2026 au 30/11/2026 (réclamation REC-2026-0001) », « retirée à
    /// compter du 01/06/2026 (…) »; empty for an active qualification.
    pub fn text(&self) -> String {
        let date = |iso: &str| parse_date(iso).map(format_fr).unwrap_or_default();
        let what = match self.status.as_str() {
            "suspended" if self.status_until.is_empty() => format!("suspendue depuis le {}", date(&self.status_from)),
            "suspended" => format!("suspendue du {} au {}", date(&self.status_from), date(&self.status_until)),
            "withdrawn" => format!("retirée à compter du {}", date(&self.status_from)),
            _ => return String::new(),
        };
        if self.complaint_reference.is_empty() {
            what
        } else {
            format!("{what} (réclamation {})", self.complaint_reference)
        }
    }
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
    /// ISO dates (as typed on a form: « 14/03/2027 » or ISO); empty when not known.
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

impl Qualification {
    /// « 2.1 Économie de la construction ».
    pub fn name(&self) -> String {
        format!("{} {}", self.reference, self.label).trim().to_owned()
    }
}

/// The longest qualification code kept, in characters.
pub(crate) const REFERENCE_MAX: usize = 40;

const SELECT: &str = "SELECT q.id, q.kind, q.reference, q.label, q.is_rge, coalesce(q.valid_from, ''),
        coalesce(q.valid_until, ''), q.status, coalesce(q.status_from, ''), coalesce(q.status_until, ''),
        q.status_complaint_id, coalesce(c.reference, ''), q.firm_id
     FROM firm_qualifications q LEFT JOIN complaints c ON c.id = q.status_complaint_id";

type Held = (Vec<Qualification>, HashMap<i64, QualificationStatus>);

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, Qualification, QualificationStatus)> {
    let q = Qualification {
        id: r.get(0)?,
        kind: r.get(1)?,
        reference: r.get(2)?,
        label: r.get(3)?,
        is_rge: r.get(4)?,
        valid_from: r.get(5)?,
        valid_until: r.get(6)?,
    };
    let status = QualificationStatus {
        qualification_id: q.id,
        status: r.get(7)?,
        status_from: r.get(8)?,
        status_until: r.get(9)?,
        complaint_id: r.get(10)?,
        complaint_reference: r.get(11)?,
    };
    Ok((r.get(12)?, q, status))
}

fn collect(
    rows: impl Iterator<Item = rusqlite::Result<(i64, Qualification, QualificationStatus)>>,
) -> Result<HashMap<i64, Held>> {
    let mut out: HashMap<i64, Held> = HashMap::new();
    for row in rows {
        let (firm_id, q, status) = row?;
        let entry = out.entry(firm_id).or_default();
        if status.status != "active" {
            entry.1.insert(q.id, status);
        }
        entry.0.push(q);
    }
    Ok(out)
}

/// The firm's qualifications, by reference.
pub fn qualifications(conn: &Connection, firm_id: i64) -> Result<Vec<Qualification>> {
    Ok(held(conn, firm_id)?.0)
}

/// The firm's qualifications with the statuses that take some out of force (suspended, withdrawn).
pub(crate) fn held(conn: &Connection, firm_id: i64) -> Result<Held> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE q.firm_id = ?1 ORDER BY q.reference, q.id"))?;
    let rows = stmt.query_map(params![firm_id], read)?;
    Ok(collect(rows)?.remove(&firm_id).unwrap_or_default())
}

/// The qualifications and statuses of several firms in one query, by firm.
pub(crate) fn of_firms(conn: &Connection, ids: impl Iterator<Item = i64>) -> Result<HashMap<i64, Held>> {
    let ids: Vec<i64> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let json = format!("[{}]", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE q.firm_id IN (SELECT value FROM json_each(?1)) ORDER BY q.firm_id, q.reference, q.id"
    ))?;
    let rows = stmt.query_map(params![json], read)?;
    collect(rows)
}

/// A date of the form: ISO, or `None` when empty; an unreadable one is a field error.
fn form_date(key: &str, value: &str, errors: &mut FieldErrors) -> Option<String> {
    if value.trim().is_empty() {
        return None;
    }
    match parse_date(value) {
        Some(d) => Some(d.to_string()),
        None => {
            errors.insert(key.into(), INVALID_DATE.into());
            None
        }
    }
}

/// A qualification checked: kind, reference, dates in order. Returns the ISO dates.
fn check(q: &Qualification) -> Result<(Option<String>, Option<String>)> {
    let mut errors = FieldErrors::new();
    if !matches!(q.kind.as_str(), "qualification" | "certification") {
        errors.insert("kind".into(), "Choisissez qualification ou certification.".into());
    }
    if q.reference.trim().is_empty() || q.reference.chars().count() > REFERENCE_MAX {
        errors.insert("reference".into(), "Indiquez la référence (40 caractères au plus), par exemple 2.1.".into());
    }
    let from = form_date("valid_from", &q.valid_from, &mut errors);
    let until = form_date("valid_until", &q.valid_until, &mut errors);
    if let (Some(f), Some(u)) = (&from, &until) {
        if u < f {
            errors.insert("valid_until".into(), "La fin de validité précède son début.".into());
        }
    }
    if errors.is_empty() {
        Ok((from, until))
    } else {
        Err(Error::Validation { fields: errors })
    }
}

/// « 14/03/2027 », or « — » when not known.
pub(crate) fn shown_date(iso: &str) -> String {
    parse_date(iso).map(format_fr).unwrap_or_else(|| "—".into())
}

/// « qualification 2.1 Économie de la construction, du 01/01/2025 au 31/12/2028 ».
pub(crate) fn described(q: &Qualification) -> String {
    let kind = if q.kind == "certification" { "certification" } else { "qualification" };
    let rge = if q.is_rge { " (RGE)" } else { "" };
    format!("{kind} {}{rge}, du {} au {}", q.name(), shown_date(&q.valid_from), shown_date(&q.valid_until))
}

/// Adds a qualification to the firm; its history says who added it.
pub fn add_qualification(conn: &Connection, firm_id: i64, q: &Qualification, author: &str) -> Result<i64> {
    let (from, until) = check(q)?;
    super::get(conn, firm_id)?;
    let id = insert(conn, firm_id, q, from.as_deref(), until.as_deref())?;
    let stored =
        Qualification { valid_from: from.unwrap_or_default(), valid_until: until.unwrap_or_default(), ..q.clone() };
    let added = [Change { field: "Qualification ajoutée", old: String::new(), new: described(&stored) }];
    history::write(conn, firm_id, Some(id), &added, By { author, reason: "Saisie", import_id: None })?;
    Ok(id)
}

pub(crate) fn insert(
    conn: &Connection,
    firm_id: i64,
    q: &Qualification,
    from: Option<&str>,
    until: Option<&str>,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO firm_qualifications (firm_id, kind, reference, label, is_rge, valid_from, valid_until)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![firm_id, q.kind, q.reference.trim(), q.label.trim(), q.is_rge, from, until],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The stored qualification `id` of `firm_id`.
fn stored(conn: &Connection, firm_id: i64, id: i64) -> Result<Qualification> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE q.id = ?1 AND q.firm_id = ?2"))?;
    stmt.query_row(params![id, firm_id], read)
        .optional()?
        .map(|(_, q, _)| q)
        .ok_or(Error::NotFound { what: "La qualification", id })
}

/// What differs between two versions of a qualification, as people read it.
pub(crate) fn changes(old: &Qualification, new: &Qualification) -> Vec<Change> {
    let kind = |k: &str| if k == "certification" { "certification" } else { "qualification" }.to_owned();
    let yes_no = |b: bool| if b { "oui" } else { "non" }.to_owned();
    [
        Change::of("Type", kind(&old.kind), kind(&new.kind)),
        Change::of("Référence", old.reference.clone(), new.reference.clone()),
        Change::of("Intitulé", old.label.clone(), new.label.clone()),
        Change::of("RGE", yes_no(old.is_rge), yes_no(new.is_rge)),
        Change::of("Valide du", shown_date(&old.valid_from), shown_date(&new.valid_from)),
        Change::of("Fin de validité", shown_date(&old.valid_until), shown_date(&new.valid_until)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub(crate) fn write(conn: &Connection, q: &Qualification) -> Result<()> {
    let date = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    conn.execute(
        "UPDATE firm_qualifications SET kind = ?2, reference = ?3, label = ?4, is_rge = ?5, valid_from = ?6, valid_until = ?7
         WHERE id = ?1",
        params![q.id, q.kind, q.reference.trim(), q.label.trim(), q.is_rge, date(&q.valid_from), date(&q.valid_until)],
    )?;
    Ok(())
}

fn required_reason(reason: &str) -> Result<&str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::field(
            "reason",
            "Indiquez le motif de la correction : il est gardé dans l'historique du qualifié.",
        ));
    }
    Ok(reason)
}

/// Corrects a qualification's kind, reference, label, RGE or dates, saying why. Returns what changed.
pub fn correct_qualification(
    conn: &mut Connection,
    firm_id: i64,
    q: &Qualification,
    reason: &str,
    author: &str,
) -> Result<Vec<Change>> {
    let (from, until) = check(q)?;
    let reason = required_reason(reason)?;
    let tx = conn.transaction()?;
    let old = stored(&tx, firm_id, q.id)?;
    let new = Qualification {
        reference: q.reference.trim().to_owned(),
        label: q.label.trim().to_owned(),
        valid_from: from.unwrap_or_default(),
        valid_until: until.unwrap_or_default(),
        ..q.clone()
    };
    let changed = changes(&old, &new);
    if changed.is_empty() {
        return Err(Error::refused("Rien n'a changé : la qualification est déjà ainsi."));
    }
    write(&tx, &new)?;
    history::write(&tx, firm_id, Some(q.id), &changed, By { author, reason, import_id: None })?;
    tx.commit()?;
    Ok(changed)
}

/// Ends a qualification on `on` (its end of validity becomes that day), saying why.
pub fn end_qualification(
    conn: &mut Connection,
    firm_id: i64,
    id: i64,
    on: &str,
    reason: &str,
    author: &str,
) -> Result<Vec<Change>> {
    let Some(day) = parse_date(on) else { return Err(Error::field("ended_on", INVALID_DATE)) };
    let reason = required_reason(reason)?;
    let tx = conn.transaction()?;
    let old = stored(&tx, firm_id, id)?;
    if parse_date(&old.valid_from).is_some_and(|from| day < from) {
        return Err(Error::field("ended_on", "La fin ne peut pas précéder le début de validité."));
    }
    let new = Qualification { valid_until: day.to_string(), ..old.clone() };
    let changed = changes(&old, &new);
    if changed.is_empty() {
        return Err(Error::field("ended_on", "La qualification prend déjà fin ce jour-là."));
    }
    write(&tx, &new)?;
    let why = format!("Fin de la qualification : {reason}");
    history::write(&tx, firm_id, Some(id), &changed, By { author, reason: &why, import_id: None })?;
    tx.commit()?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::validate::FirmForm;

    /// A firm holding « 2.1 Économie de la construction » from 01/01/2025 to 31/12/2028.
    fn firm_with_qualification(conn: &mut Connection) -> Result<(i64, i64)> {
        let firm = super::super::save(
            conn,
            None,
            &FirmForm { name: "Cabinet Martin".into(), ..FirmForm::default() },
            "Claire",
        )?;
        let id = add_qualification(conn, firm, &economy("01/01/2025", "31/12/2028"), "Claire")?;
        Ok((firm, id))
    }

    fn economy(from: &str, until: &str) -> Qualification {
        Qualification {
            reference: "2.1".into(),
            label: "Économie de la construction".into(),
            valid_from: from.into(),
            valid_until: until.into(),
            ..Qualification::default()
        }
    }

    fn refused_field(result: Result<Vec<Change>>, field: &str) -> bool {
        matches!(result, Err(Error::Validation { fields }) if fields.contains_key(field))
    }

    /// The newest line of the firm's history: (qualification, field, old, new, author, reason).
    fn last_change(conn: &Connection, firm: i64) -> Result<(String, String, String, String, String, String)> {
        let h = history::of_firm(conn, firm)?;
        let e = h.first().ok_or(Error::refused("historique vide"))?;
        Ok((
            e.qualification.clone(),
            e.field.clone(),
            e.old_value.clone(),
            e.new_value.clone(),
            e.author.clone(),
            e.reason.clone(),
        ))
    }

    #[test]
    fn a_qualification_corrected_says_why_and_its_history_keeps_old_and_new() -> Result<()> {
        let mut conn = open_in_memory()?;
        let (firm, id) = firm_with_qualification(&mut conn)?;
        let corrected = Qualification { id, ..economy("01/01/2025", "14/03/2029") };
        assert!(refused_field(correct_qualification(&mut conn, firm, &corrected, "  ", "Bruno"), "reason"));
        assert_eq!(qualifications(&conn, firm)?[0].valid_until, "2028-12-31", "nothing written without a reason");
        assert_eq!(history::of_firm(&conn, firm)?.len(), 1, "only the addition");

        let changed = correct_qualification(&mut conn, firm, &corrected, "Erreur de saisie", "Bruno")?;
        assert_eq!(changed, [Change { field: "Fin de validité", old: "31/12/2028".into(), new: "14/03/2029".into() }]);
        assert_eq!(qualifications(&conn, firm)?[0].valid_until, "2029-03-14");
        assert_eq!(
            last_change(&conn, firm)?,
            (
                "2.1 Économie de la construction".into(),
                "Fin de validité".into(),
                "31/12/2028".into(),
                "14/03/2029".into(),
                "Bruno".into(),
                "Erreur de saisie".into()
            )
        );

        // The same again changes nothing and writes nothing; dates the wrong way round are refused.
        assert!(matches!(
            correct_qualification(&mut conn, firm, &corrected, "Erreur de saisie", "Bruno"),
            Err(Error::Refused { .. })
        ));
        let reversed = Qualification { id, ..economy("01/01/2025", "31/12/2024") };
        assert!(refused_field(correct_qualification(&mut conn, firm, &reversed, "Erreur", "Bruno"), "valid_until"));
        assert_eq!(history::of_firm(&conn, firm)?.len(), 2);
        Ok(())
    }

    #[test]
    fn a_qualification_ended_is_kept_with_its_end_and_why_in_the_history() -> Result<()> {
        let mut conn = open_in_memory()?;
        let (firm, id) = firm_with_qualification(&mut conn)?;
        let why = "Retrait demandé par le qualifié";
        assert!(refused_field(end_qualification(&mut conn, firm, id, "30/06/2026", "", "Bruno"), "reason"));
        assert!(refused_field(end_qualification(&mut conn, firm, id, "31/02/2026", why, "Bruno"), "ended_on"));
        assert!(
            refused_field(end_qualification(&mut conn, firm, id, "31/12/2024", why, "Bruno"), "ended_on"),
            "before its start"
        );
        assert_eq!(history::of_firm(&conn, firm)?.len(), 1, "nothing written when refused");

        let changed = end_qualification(&mut conn, firm, id, "30/06/2026", why, "Bruno")?;
        assert_eq!(changed, [Change { field: "Fin de validité", old: "31/12/2028".into(), new: "30/06/2026".into() }]);
        let kept = qualifications(&conn, firm)?;
        assert_eq!(
            kept.iter().map(|q| (q.id, q.valid_from.as_str(), q.valid_until.as_str())).collect::<Vec<_>>(),
            [(id, "2025-01-01", "2026-06-30")],
            "ended, not deleted"
        );
        assert_eq!(
            last_change(&conn, firm)?,
            (
                "2.1 Économie de la construction".into(),
                "Fin de validité".into(),
                "31/12/2028".into(),
                "30/06/2026".into(),
                "Bruno".into(),
                format!("Fin de la qualification : {why}")
            )
        );
        assert!(refused_field(end_qualification(&mut conn, firm, id, "30/06/2026", why, "Bruno"), "ended_on"));
        Ok(())
    }

    #[test]
    fn the_history_cannot_be_rewritten_nor_a_qualification_deleted() -> Result<()> {
        let mut conn = open_in_memory()?;
        let (firm, id) = firm_with_qualification(&mut conn)?;
        let refused = |sql: &str, said: &str| match conn.execute(sql, []) {
            Ok(n) => Err(Error::refused(format!("« {sql} » accepted ({n} rows)"))),
            Err(e) if e.to_string().contains(said) => Ok(()),
            Err(e) => Err(Error::refused(format!("« {sql} »: {e}"))),
        };
        refused("UPDATE firm_history SET reason = 'autre raison'", "append-only")?;
        refused("UPDATE firm_history SET new_value = ''", "append-only")?;
        refused("DELETE FROM firm_history", "append-only")?;
        refused("DELETE FROM firm_qualifications", "never deleted")?;
        assert_eq!(history::of_firm(&conn, firm)?[0].reason, "Saisie");
        assert_eq!(qualifications(&conn, firm)?.iter().map(|q| q.id).collect::<Vec<_>>(), [id]);
        Ok(())
    }
}
