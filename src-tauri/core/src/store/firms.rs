//! The firms register (« qualifiés / certifiés »).

use crate::error::{Error, Result};
use crate::model::{Address, Firm};
use crate::store::{bool_int, now_timestamp};
use crate::validate::{validate_firm, FirmForm, ValidFirm};
use rusqlite::{params, Connection, OptionalExtension, Row};
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
        "UPDATE firms SET name = ?2, siret = ?3, address_lines = ?4, postcode = ?5, city = ?6, email = ?7, phone = ?8,
                          is_qualified = ?9, is_certified = ?10, is_rge = ?11, updated_at = ?12
         WHERE id = ?1",
        params![
            id,
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
            now_timestamp()
        ],
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
                errors.insert(key.into(), "Date invalide : JJ/MM/AAAA.".into());
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

/// One line of the import report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportLine {
    pub line: usize,
    pub name: String,
    /// `created`, `updated`, `unchanged` or `rejected`.
    pub outcome: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub applied: bool,
    pub encoding: &'static str,
    pub delimiter: String,
    pub columns: Vec<(String, Option<&'static str>)>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub lines: Vec<ImportLine>,
}

/// Imports a CSV export of the firms register. The key is the SIRET, else the name and
/// postcode (accents and case ignored): importing the same file twice creates nothing new.
/// With `apply` false nothing is kept (the preview runs the same code, then rolls back).
pub fn import(conn: &mut Connection, bytes: &[u8], apply: bool) -> Result<ImportReport> {
    let parsed = crate::import::parse(bytes).map_err(|message| Error::field("file", message))?;
    let tx = conn.transaction()?;
    let mut lines: Vec<ImportLine> = parsed
        .errors
        .iter()
        .map(|(line, message)| ImportLine {
            line: *line,
            name: String::new(),
            outcome: "rejected",
            message: message.clone(),
        })
        .collect();
    for row in &parsed.rows {
        let (outcome, message) = match import_row(&tx, row) {
            Ok(outcome) => outcome,
            Err(Error::Validation { fields }) => ("rejected", fields.values().cloned().collect::<Vec<_>>().join(" ")),
            Err(other) => return Err(other),
        };
        lines.push(ImportLine { line: row.line, name: row.name.clone(), outcome, message });
    }
    if apply {
        tx.commit()?;
    } else {
        tx.rollback()?;
    }
    lines.sort_by_key(|l| l.line);
    let count = |o: &str| lines.iter().filter(|l| l.outcome == o).count();
    Ok(ImportReport {
        applied: apply,
        encoding: parsed.encoding,
        delimiter: parsed.delimiter.clone(),
        columns: parsed.columns.clone(),
        created: count("created"),
        updated: count("updated"),
        unchanged: count("unchanged"),
        rejected: count("rejected"),
        lines,
    })
}

fn import_row(conn: &Connection, row: &crate::import::FirmRow) -> Result<(&'static str, String)> {
    let existing = find_existing(conn, &row.siret, &row.name, &row.postcode)?;
    let pick = |new: &str, old: &str| if new.trim().is_empty() { old.to_owned() } else { new.to_owned() };
    let form = match &existing {
        Some(f) => FirmForm {
            name: row.name.clone(),
            siret: pick(&row.siret, f.siret.as_deref().unwrap_or("")),
            address_lines: pick(&row.address_lines, &f.address.lines.join("\n")),
            postcode: pick(&row.postcode, &f.address.postcode),
            city: pick(&row.city, &f.address.city),
            email: pick(&row.email, &f.email),
            phone: pick(&row.phone, &f.phone),
            is_qualified: row.is_qualified.unwrap_or(f.is_qualified),
            is_certified: row.is_certified.unwrap_or(f.is_certified),
            is_rge: row.is_rge.unwrap_or(f.is_rge),
        },
        None => FirmForm {
            name: row.name.clone(),
            siret: row.siret.clone(),
            address_lines: row.address_lines.clone(),
            postcode: row.postcode.clone(),
            city: row.city.clone(),
            email: row.email.clone(),
            phone: row.phone.clone(),
            is_qualified: row.is_qualified.unwrap_or(true),
            is_certified: row.is_certified.unwrap_or(false),
            is_rge: row.is_rge.unwrap_or(false),
        },
    };
    let firm = validate_firm(&form, "firm").map_err(|e| match e {
        Error::Validation { fields } => Error::Validation {
            fields: fields.into_iter().map(|(k, v)| (k.clone(), format!("Ligne {} : {v}", row.line))).collect(),
        },
        other => other,
    })?;
    match existing {
        None => {
            insert(conn, &firm, "firm").map_err(|e| prefix_line(e, row.line))?;
            Ok(("created", "Qualifié créé.".into()))
        }
        Some(old) => {
            let unchanged = old.name == firm.name
                && old.siret == firm.siret
                && old.address == firm.address
                && old.email == firm.email
                && old.phone == firm.phone
                && (old.is_qualified, old.is_certified, old.is_rge)
                    == (firm.is_qualified, firm.is_certified, firm.is_rge);
            if unchanged {
                Ok(("unchanged", "Déjà à jour.".into()))
            } else {
                update(conn, old.id, &firm, "firm").map_err(|e| prefix_line(e, row.line))?;
                Ok(("updated", "Fiche mise à jour.".into()))
            }
        }
    }
}

fn prefix_line(e: Error, line: usize) -> Error {
    match e {
        Error::Validation { fields } => {
            Error::Validation { fields: fields.into_iter().map(|(k, v)| (k, format!("Ligne {line} : {v}"))).collect() }
        }
        other => other,
    }
}

fn find_existing(conn: &Connection, siret: &str, name: &str, postcode: &str) -> Result<Option<Firm>> {
    let siret: String = siret.chars().filter(|c| !c.is_whitespace()).collect();
    if !siret.is_empty() {
        let found = conn
            .query_row(&format!("SELECT {COLUMNS} FROM firms WHERE siret = ?1"), params![siret], from_row)
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    // Name + postcode, accents and case ignored: compared in Rust over the firms of that postcode.
    let key = crate::validate::fold(name.trim());
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM firms WHERE postcode = ?1"))?;
    let candidates = stmt.query_map(params![postcode.trim()], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(candidates
        .into_iter()
        .find(|f| crate::validate::fold(&f.name) == key && (siret.is_empty() || f.siret.is_none())))
}

/// « Dossier du qualifié »: the firm, its qualifications, its complaints and its documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirmFile {
    pub firm: Firm,
    pub qualifications: Vec<Qualification>,
    pub complaints: Vec<FirmComplaint>,
    pub documents: Vec<FirmDocument>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirmComplaint {
    pub id: i64,
    pub reference: String,
    pub received_on: String,
    pub complainant: String,
    pub step_label: &'static str,
    pub decision_label: &'static str,
    pub closed_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirmDocument {
    pub id: i64,
    pub reference: String,
    pub direction: String,
    pub kind_label: String,
    pub created_on: String,
    pub sent_on: Option<String>,
    pub relative_path: String,
}

pub fn firm_file(conn: &Connection, id: i64) -> Result<FirmFile> {
    let firm = get(conn, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.reference, c.received_on, p.name, c.step, c.decision, c.closed_on
         FROM complaints c JOIN complainants p ON p.id = c.complainant_id
         WHERE c.firm_id = ?1 ORDER BY c.received_on DESC, c.id DESC",
    )?;
    let complaints = stmt
        .query_map(params![id], |r| {
            let step: String = r.get(4)?;
            let decision: String = r.get(5)?;
            Ok(FirmComplaint {
                id: r.get(0)?,
                reference: r.get(1)?,
                received_on: r.get(2)?,
                complainant: r.get(3)?,
                step_label: crate::model::Step::from_code(&step).map_or("", crate::model::Step::label),
                decision_label: crate::workflow::Decision::from_code(&decision)
                    .map_or("", crate::workflow::Decision::label),
                closed_on: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, coalesce(c.reference, ''), d.direction, d.kind, d.created_at, d.sent_on, d.relative_path
         FROM documents d LEFT JOIN complaints c ON c.id = d.complaint_id
         WHERE d.firm_id = ?1 ORDER BY d.created_at DESC, d.id DESC",
    )?;
    let documents = stmt
        .query_map(params![id], |r| {
            let kind: String = r.get(3)?;
            Ok(FirmDocument {
                id: r.get(0)?,
                reference: r.get(1)?,
                direction: r.get(2)?,
                kind_label: crate::letters::kinds::LetterKind::from_code(&kind)
                    .map_or_else(|| kind.clone(), |k| k.label().to_owned()),
                created_on: r.get(4)?,
                sent_on: r.get(5)?,
                relative_path: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(FirmFile { firm, qualifications: qualifications(conn, id)?, complaints, documents })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    const CSV: &str = "Raison sociale;SIRET;Adresse;Code postal;Ville;Courriel;Qualifié;RGE\n\
        Économie Bâtiment Conseil;732 829 320 00074;3 avenue Foch;75016;Paris;contact@ebc.fr;oui;non\n\
        \"Cabinet Martin; associés\";;\"12 rue des Lilas\";69003;Lyon;;oui;oui\n\
        Bureau Durand;12345678901234;1 rue Haute;33000;Bordeaux;;oui;\n\
        Doublon SIRET;73282932000074;9 rue Basse;75016;Paris;;oui;\n";

    fn names(conn: &Connection) -> Result<Vec<String>> {
        Ok(list(conn)?.into_iter().map(|f| f.name).collect())
    }

    #[test]
    fn import_previews_then_creates_and_a_second_run_creates_nothing() -> Result<()> {
        let mut conn = open_in_memory()?;
        let preview = import(&mut conn, CSV.as_bytes(), false)?;
        assert_eq!((preview.created, preview.updated, preview.rejected), (2, 1, 1), "{:?}", preview.lines);
        assert!(names(&conn)?.is_empty(), "a preview keeps nothing");
        let bad = preview.lines.iter().find(|l| l.line == 4).map(|l| l.message.clone()).unwrap_or_default();
        assert!(bad.starts_with("Ligne 4 :") && bad.contains("SIRET"), "{bad}");
        // The 4th data line has the same SIRET as the first: it updates that firm's name.
        let done = import(&mut conn, CSV.as_bytes(), true)?;
        assert_eq!((done.created, done.updated, done.rejected), (2, 1, 1));
        assert_eq!(names(&conn)?, ["Cabinet Martin; associés", "Doublon SIRET"]);
        let again = import(&mut conn, CSV.as_bytes(), true)?;
        assert_eq!((again.created, again.rejected), (0, 1), "{:?}", again.lines);
        assert_eq!(list(&conn)?.len(), 2);
        Ok(())
    }

    #[test]
    fn windows_1252_and_comma_files_match_by_name_and_postcode() -> Result<()> {
        let mut conn = open_in_memory()?;
        import(&mut conn, "Raison sociale,Code postal,Ville\nCabinet Élan,69003,Lyon\n".as_bytes(), true)?;
        // Same firm, spelled without accents and in capitals, exported by Excel in Windows-1252.
        let mut cp1252: Vec<u8> = b"\xEF\xBB\xBF".to_vec();
        cp1252.clear();
        cp1252.extend_from_slice(b"Raison sociale;Code postal;Ville;T\xE9l\xE9phone\nCABINET ELAN;69003;Lyon;04 78 00 00 00\n\xC9tudes R\xE9unies;69003;Lyon;\n");
        let r = import(&mut conn, &cp1252, true)?;
        assert_eq!((r.encoding, r.created, r.updated), ("Windows-1252", 1, 1), "{:?}", r.lines);
        assert!(names(&conn)?.contains(&"Études Réunies".to_owned()));
        // A UTF-8 BOM is not part of the first header.
        let bom = "\u{feff}Raison sociale;Ville\nBureau Nord;Lille\n";
        assert_eq!(import(&mut conn, bom.as_bytes(), true)?.created, 1);
        Ok(())
    }

    #[test]
    fn a_file_without_a_name_column_is_refused_as_a_whole() -> Result<()> {
        let mut conn = open_in_memory()?;
        let e = import(&mut conn, b"Ville;Code postal\nLyon;69003\n", true);
        assert!(matches!(&e, Err(Error::Validation { fields }) if fields["file"].contains("raison sociale")), "{e:?}");
        Ok(())
    }

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
