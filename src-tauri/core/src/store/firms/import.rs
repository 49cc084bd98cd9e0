//! Applying a CSV export of the firms register: matched to the firms already there, previewed
//! then applied in one transaction, with a report line per CSV line. The CSV itself is read by
//! [`crate::import`].

use super::{from_row, insert, update, COLUMNS};
use crate::error::{Error, Result};
use crate::model::{Firm, ImportOutcome};
use crate::validate::{validate_firm, FirmForm};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

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
    let parsed = crate::import::parse(bytes).map_err(Error::refused)?;
    let tx = conn.transaction()?;
    let mut lines: Vec<ImportLine> = parsed
        .errors
        .iter()
        .map(|(line, message)| ImportLine {
            line: *line,
            name: String::new(),
            outcome: ImportOutcome::Rejected.code(),
            message: message.clone(),
        })
        .collect();
    for row in &parsed.rows {
        let (outcome, message) = match import_row(&tx, row) {
            Ok(outcome) => outcome,
            Err(Error::Validation { fields }) => {
                (ImportOutcome::Rejected.code(), fields.values().cloned().collect::<Vec<_>>().join(" "))
            }
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
    let count = |o: ImportOutcome| lines.iter().filter(|l| l.outcome == o.code()).count();
    Ok(ImportReport {
        applied: apply,
        encoding: parsed.encoding,
        delimiter: parsed.delimiter.clone(),
        columns: parsed.columns.clone(),
        created: count(ImportOutcome::Created),
        updated: count(ImportOutcome::Updated),
        unchanged: count(ImportOutcome::Unchanged),
        rejected: count(ImportOutcome::Rejected),
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
            Ok((ImportOutcome::Created.code(), "Qualifié créé.".into()))
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
                Ok((ImportOutcome::Unchanged.code(), "Déjà à jour.".into()))
            } else {
                update(conn, old.id, &firm, "firm").map_err(|e| prefix_line(e, row.line))?;
                Ok((ImportOutcome::Updated.code(), "Fiche mise à jour.".into()))
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
    let key = crate::french::fold(name.trim());
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM firms WHERE postcode = ?1"))?;
    let candidates = stmt.query_map(params![postcode.trim()], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(candidates.into_iter().find(|f| crate::french::fold(&f.name) == key && (siret.is_empty() || f.siret.is_none())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::firms::list;

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
        assert!(matches!(&e, Err(Error::Refused { message }) if message.contains("raison sociale")), "{e:?}");
        Ok(())
    }
}
