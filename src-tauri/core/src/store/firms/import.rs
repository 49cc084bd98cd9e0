//! Applying an export of the firms register (CSV, `.xlsx`, `.ods`; read by [`crate::import`]):
//! one row per firm, or one row per firm and qualification. Rows are grouped by firm (its
//! number in the organisation, else its SIRET, else its name and postcode), matched to the
//! register the same way, and compared field by field: the preview says what would change, firm
//! by firm and qualification by qualification, and lists the firms of the register absent from
//! the file (left as they are). Applying is one transaction; each change goes to the firm's
//! history with the import it came from; each import applied is recorded (file, SHA-256, counts,
//! who). Imperfect data comes in with a warning; only a row without a name is refused.

use super::history::{self, By, Change};
use super::qualifications::QualificationStatus;
use super::qualifications::{self, shown_date, Qualification};
use super::{firm_changes, from_row, insert, update, COLUMNS};
use crate::error::{Error, Result};
use crate::import::{FirmRow, QualificationRow};
use crate::model::{Firm, ImportOutcome};
use crate::store::now_timestamp;
use crate::validate::{validate_firm, FirmForm, ValidFirm};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// A row refused: it cannot be a firm (no name), or the file's structure broke there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportLine {
    pub line: usize,
    pub message: String,
}

/// What the import does to one firm of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirmImport {
    /// The file's first line for this firm.
    pub line: usize,
    pub name: String,
    pub number: String,
    /// The firm in the register; `None` for a firm the preview would create.
    pub firm_id: Option<i64>,
    /// `created`, `updated` or `unchanged` ([`ImportOutcome`]).
    pub outcome: &'static str,
    /// Each field changed, old → new.
    pub changes: Vec<Change>,
    pub qualifications: Vec<QualificationImport>,
    /// « Ligne N : SIRET « … » à vérifier … »: kept with a warning.
    pub warnings: Vec<String>,
}

/// What the import does to one qualification of a firm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualificationImport {
    pub line: usize,
    /// « 2.1 Économie de la construction ».
    pub name: String,
    /// `added`, `changed`, `ended` or `unchanged`.
    pub outcome: &'static str,
    pub changes: Vec<Change>,
}

/// A firm of the register that the file does not hold: left as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbsentFirm {
    pub id: i64,
    pub name: String,
    pub number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub applied: bool,
    /// The import's record (applied imports only).
    pub import_id: Option<i64>,
    pub file_name: String,
    pub sha256: String,
    /// « CSV », « Excel (.xlsx) », « OpenDocument (.ods) ».
    pub format: &'static str,
    pub encoding: &'static str,
    pub delimiter: String,
    /// Each column of the file and the field it was recognised as (`None`: ignored).
    pub columns: Vec<(String, Option<&'static str>)>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows refused.
    pub rejected: usize,
    pub qualifications_added: usize,
    /// Changed or ended.
    pub qualifications_changed: usize,
    pub warnings: usize,
    /// Firms of the register absent from the file (all of them counted, the first 500 listed).
    pub absent_count: usize,
    pub absent: Vec<AbsentFirm>,
    pub firms: Vec<FirmImport>,
    pub refused: Vec<ImportLine>,
}

const ABSENT_LISTED: usize = 500;

/// Reads the file at `path` and imports it (see [`import`]).
pub fn import_file(
    conn: &mut Connection,
    path: &Path,
    apply: bool,
    author: &str,
    today: NaiveDate,
) -> Result<ImportReport> {
    let (bytes, name) = crate::store::read_import_file(path)?;
    import(conn, &bytes, &name, apply, author, today)
}

/// Imports an export of the register. With `apply` false nothing is kept: the preview runs the
/// same code in a transaction that is rolled back.
pub fn import(
    conn: &mut Connection,
    bytes: &[u8],
    file_name: &str,
    apply: bool,
    author: &str,
    today: NaiveDate,
) -> Result<ImportReport> {
    let parsed = crate::import::parse(bytes).map_err(Error::refused)?;
    let sha256 = crate::archive::sha256_hex(bytes);
    let tx = conn.transaction()?;
    let import_id = if apply {
        tx.execute(
            "INSERT INTO firm_imports (imported_at, author, file_name, sha256, format, firms_created, firms_changed,
                                       firms_unchanged, firms_absent, rows_refused, qualifications_added,
                                       qualifications_changed, warnings)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0, 0, 0, 0, 0, 0)",
            params![now_timestamp(), author, file_name, sha256, parsed.format],
        )?;
        Some(tx.last_insert_rowid())
    } else {
        None
    };
    let reason = format!("Import du fichier « {file_name} »");
    let by = By { author, reason: &reason, import_id };
    let mut refused: Vec<ImportLine> =
        parsed.errors.iter().map(|(line, message)| ImportLine { line: *line, message: message.clone() }).collect();
    let mut firms = Vec::new();
    let mut seen: HashSet<i64> = HashSet::new();
    for group in groups(&parsed.rows) {
        match import_firm(&tx, &group, by, today)? {
            Ok((done, id)) => {
                seen.insert(id);
                firms.push(done);
            }
            Err(line) => refused.push(line),
        }
    }
    refused.sort_by_key(|l| l.line);
    let absent = absent(&tx, &seen)?;
    let count = |o: ImportOutcome| firms.iter().filter(|f| f.outcome == o.code()).count();
    let quals =
        |f: &dyn Fn(&str) -> bool| firms.iter().flat_map(|firm| &firm.qualifications).filter(|q| f(q.outcome)).count();
    let mut report = ImportReport {
        applied: apply,
        import_id,
        file_name: file_name.to_owned(),
        sha256,
        format: parsed.format,
        encoding: parsed.encoding,
        delimiter: parsed.delimiter.clone(),
        columns: parsed.columns.clone(),
        created: count(ImportOutcome::Created),
        updated: count(ImportOutcome::Updated),
        unchanged: count(ImportOutcome::Unchanged),
        rejected: refused.len(),
        qualifications_added: quals(&|o| o == "added"),
        qualifications_changed: quals(&|o| o == "changed" || o == "ended"),
        warnings: firms.iter().map(|f| f.warnings.len()).sum(),
        absent_count: absent.len(),
        absent,
        firms,
        refused,
    };
    report.absent.truncate(ABSENT_LISTED);
    if let Some(id) = import_id {
        tx.execute(
            "UPDATE firm_imports SET firms_created = ?2, firms_changed = ?3, firms_unchanged = ?4, firms_absent = ?5,
                    rows_refused = ?6, qualifications_added = ?7, qualifications_changed = ?8, warnings = ?9
             WHERE id = ?1",
            params![
                id,
                report.created as i64,
                report.updated as i64,
                report.unchanged as i64,
                report.absent_count as i64,
                report.rejected as i64,
                report.qualifications_added as i64,
                report.qualifications_changed as i64,
                report.warnings as i64
            ],
        )?;
        tx.commit()?;
    } else {
        tx.rollback()?;
    }
    Ok(report)
}

/// The rows of one firm, in file order.
struct Group<'a> {
    rows: Vec<&'a FirmRow>,
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Rows grouped by firm: its number, else its SIRET, else its name and postcode (accents and
/// case ignored), in the order of their first row.
fn groups(rows: &[FirmRow]) -> Vec<Group<'_>> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Group<'_>> = Vec::new();
    for row in rows {
        let key = if !row.number.trim().is_empty() {
            format!("n:{}", crate::french::fold(&compact(&row.number)))
        } else if !row.siret.trim().is_empty() {
            format!("s:{}", compact(&row.siret))
        } else {
            format!("p:{}|{}", crate::french::fold(row.name.trim()), row.postcode.trim())
        };
        match index.get(&key) {
            Some(&at) => out[at].rows.push(row),
            None => {
                index.insert(key, out.len());
                out.push(Group { rows: vec![row] });
            }
        }
    }
    out
}

/// The firm of the register this group is: by number, else SIRET, else name within postcode.
fn find_existing(conn: &Connection, row: &FirmRow) -> Result<Option<Firm>> {
    let number = row.number.trim();
    if !number.is_empty() {
        let found = conn
            .query_row(&format!("SELECT {COLUMNS} FROM firms WHERE number = ?1"), params![number], from_row)
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    let siret = compact(&row.siret);
    if !siret.is_empty() {
        let found = conn
            .query_row(&format!("SELECT {COLUMNS} FROM firms WHERE siret = ?1"), params![siret], from_row)
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    let key = crate::french::fold(row.name.trim());
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM firms WHERE postcode = ?1"))?;
    let candidates = stmt.query_map(params![row.postcode.trim()], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(candidates.into_iter().find(|f| {
        crate::french::fold(&f.name) == key
            && (number.is_empty() || f.number.is_empty())
            && (siret.is_empty() || f.siret.is_none())
    }))
}

/// The firm's values once the file's are laid over the register's: an empty cell keeps what
/// the register holds. Values that do not pass the firm's checks (an email, a phone number, an
/// address) are left out with a warning; a doubtful SIRET is kept and flagged.
fn merged(
    row: &FirmRow,
    old: Option<&Firm>,
    kinds: (bool, bool),
    warnings: &mut Vec<String>,
) -> std::result::Result<ValidFirm, String> {
    let pick = |new: &str, old: &str| if new.trim().is_empty() { old.to_owned() } else { new.to_owned() };
    let mut form = match old {
        Some(f) => FirmForm {
            number: pick(&row.number, &f.number),
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
            confirm_siret: true,
            reason: String::new(),
        },
        None => FirmForm {
            number: row.number.clone(),
            name: row.name.clone(),
            siret: row.siret.clone(),
            address_lines: row.address_lines.clone(),
            postcode: row.postcode.clone(),
            city: row.city.clone(),
            email: row.email.clone(),
            phone: row.phone.clone(),
            is_qualified: row.is_qualified.unwrap_or(kinds.0 || !kinds.1),
            is_certified: row.is_certified.unwrap_or(kinds.1),
            is_rge: row.is_rge.unwrap_or(false),
            confirm_siret: true,
            reason: String::new(),
        },
    };
    let line = row.line;
    // Each pass drops the values refused by the previous one; the name alone cannot be dropped.
    for _ in 0..4 {
        let fields = match validate_firm(&form, "firm") {
            Ok(firm) => return Ok(firm),
            Err(Error::Validation { fields }) => fields,
            Err(other) => return Err(format!("Ligne {line} : {other}")),
        };
        for (key, message) in fields {
            let field = key.trim_start_matches("firm.");
            let keep_old = |new: &mut String, old: String, what: &str, warnings: &mut Vec<String>| {
                warnings.push(format!("Ligne {line} : {what} « {new} » non repris ({message})"));
                *new = old;
            };
            match field {
                "email" => {
                    keep_old(&mut form.email, old.map(|f| f.email.clone()).unwrap_or_default(), "courriel", warnings)
                }
                "phone" => {
                    keep_old(&mut form.phone, old.map(|f| f.phone.clone()).unwrap_or_default(), "téléphone", warnings)
                }
                "number" => keep_old(
                    &mut form.number,
                    old.map(|f| f.number.clone()).unwrap_or_default(),
                    "n° qualifié",
                    warnings,
                ),
                "address_lines" | "postcode" | "city" => {
                    let shown = [form.address_lines.replace('\n', ", "), form.postcode.clone(), form.city.clone()]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ");
                    warnings.push(format!("Ligne {line} : adresse « {shown} » non reprise ({message})"));
                    form.address_lines = old.map(|f| f.address.lines.join("\n")).unwrap_or_default();
                    form.postcode = old.map(|f| f.address.postcode.clone()).unwrap_or_default();
                    form.city = old.map(|f| f.address.city.clone()).unwrap_or_default();
                }
                _ => return Err(format!("Ligne {line} : {message}")),
            }
        }
    }
    Err(format!("Ligne {line} : ligne illisible, vérifiez ses valeurs."))
}

/// What the register's other firms already hold of this firm's SIRET or number: the value is
/// then not taken, with a warning.
fn clashes(
    conn: &Connection,
    firm: &mut ValidFirm,
    id: Option<i64>,
    old: Option<&Firm>,
    line: usize,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let holder = |column: &str, value: &str| super::holder(conn, column, value, id);
    if let Some(siret) = firm.siret.clone() {
        if let Some(name) = holder("siret", &siret)? {
            warnings
                .push(format!("Ligne {line} : SIRET {siret} déjà celui de « {name} » dans le registre : non repris"));
            firm.siret = old.and_then(|f| f.siret.clone()).filter(|s| *s != siret);
        }
    }
    if let Some(number) = firm.number.clone() {
        if let Some(name) = holder("number", &number)? {
            warnings.push(format!("Ligne {line} : n° {number} déjà celui de « {name} » dans le registre : non repris"));
            firm.number = old.map(|f| f.number.clone()).filter(|n| !n.is_empty() && *n != number);
        }
    }
    Ok(())
}

/// Imports one firm of the file and its qualifications. `Err` is a refused row.
fn import_firm(
    conn: &Connection,
    group: &Group<'_>,
    by: By<'_>,
    today: NaiveDate,
) -> Result<std::result::Result<(FirmImport, i64), ImportLine>> {
    let first = group.rows[0];
    // A firm's rows repeat its details: the same warning (« SIRET … à vérifier ») is said once,
    // at its first line.
    let mut warnings: Vec<String> = Vec::new();
    let mut said: HashSet<String> = HashSet::new();
    for row in &group.rows {
        for w in &row.warnings {
            let what = w.split_once(" : ").map_or(w.as_str(), |(_, what)| what).to_owned();
            if said.insert(what) {
                warnings.push(w.clone());
            }
        }
    }
    for row in group.rows.iter().skip(1) {
        let differs: Vec<&str> = [
            ("raison sociale", &row.name, &first.name),
            ("SIRET", &row.siret, &first.siret),
            ("adresse", &row.address_lines, &first.address_lines),
            ("courriel", &row.email, &first.email),
            ("téléphone", &row.phone, &first.phone),
        ]
        .into_iter()
        .filter(|(_, a, b)| !a.trim().is_empty() && a.trim() != b.trim())
        .map(|(what, _, _)| what)
        .collect();
        if !differs.is_empty() {
            warnings.push(format!(
                "Ligne {} : {} différent(e) de la ligne {} pour le même qualifié ; celle de la ligne {} est retenue",
                row.line,
                differs.join(", "),
                first.line,
                first.line
            ));
        }
    }
    let existing = find_existing(conn, first)?;
    let kinds = (
        group.rows.iter().filter_map(|r| r.qualification.as_ref()).any(|q| q.kind == "qualification"),
        group.rows.iter().filter_map(|r| r.qualification.as_ref()).any(|q| q.kind == "certification"),
    );
    let mut firm = match merged(first, existing.as_ref(), kinds, &mut warnings) {
        Ok(firm) => firm,
        Err(message) => return Ok(Err(ImportLine { line: first.line, message })),
    };
    clashes(conn, &mut firm, existing.as_ref().map(|f| f.id), existing.as_ref(), first.line, &mut warnings)?;
    warnings.extend(missing_contact(&firm, &group.rows, existing.is_some()));
    let (firm_id, outcome, changes) = match &existing {
        None => {
            let id = insert(conn, &firm, "firm")?;
            (id, ImportOutcome::Created, Vec::new())
        }
        Some(old) => {
            let changes = firm_changes(old, &firm);
            if !changes.is_empty() {
                update(conn, old.id, &firm, "firm", by)?;
            }
            let outcome = if changes.is_empty() { ImportOutcome::Unchanged } else { ImportOutcome::Updated };
            (old.id, outcome, changes)
        }
    };
    let qualifications = import_qualifications(conn, firm_id, group, by, today, &mut warnings)?;
    let outcome = match outcome {
        ImportOutcome::Unchanged if qualifications.iter().any(|q| q.outcome != "unchanged") => ImportOutcome::Updated,
        other => other,
    };
    let report = FirmImport {
        line: first.line,
        name: firm.name.clone(),
        number: firm.number.clone().unwrap_or_default(),
        // A firm created by a preview is rolled back: it has no id to link to.
        firm_id: (existing.is_some() || by.import_id.is_some()).then_some(firm_id),
        outcome: outcome.code(),
        changes,
        qualifications,
        warnings,
    };
    Ok(Ok((report, firm_id)))
}

/// A qualification's code as the register keeps it: trimmed, at most
/// [`REFERENCE_MAX`](qualifications::REFERENCE_MAX) characters.
fn stored_reference(reference: &str) -> String {
    let kept: String = reference.trim().chars().take(qualifications::REFERENCE_MAX).collect();
    kept.trim_end().to_owned()
}

/// « Cabinet Dupont : pas de téléphone dans le fichier »: said once per firm, when the firm ends up
/// without an email or a phone number (empty on each of its rows, and the register without it). A
/// value of the file left out (invalid, or differing from the firm's first row) has its own warning.
fn missing_contact(firm: &ValidFirm, rows: &[&FirmRow], in_register: bool) -> Option<String> {
    let none_in_file = |cell: fn(&FirmRow) -> &str| rows.iter().all(|r| cell(r).trim().is_empty());
    let no_email = firm.email.trim().is_empty() && none_in_file(|r| &r.email);
    let no_phone = firm.phone.trim().is_empty() && none_in_file(|r| &r.phone);
    let what = match (no_email, no_phone) {
        (true, true) => "pas d'adresse électronique ni de téléphone",
        (true, false) => "pas d'adresse électronique",
        (false, true) => "pas de téléphone",
        (false, false) => return None,
    };
    let place = if in_register { "dans le fichier ni dans le registre" } else { "dans le fichier" };
    Some(format!("{} : {what} {place}", firm.name))
}

/// How a qualification of the file is matched within its firm: its code (as it is stored, so a
/// code too long matches its stored, shortened self), else its label.
fn qualification_key(reference: &str, label: &str) -> String {
    let reference = stored_reference(reference);
    if reference.is_empty() {
        format!("l:{}", crate::french::fold(label.trim()))
    } else {
        format!("r:{}", crate::french::fold(&compact(&reference)))
    }
}

fn status_word(status: &str) -> &'static str {
    match status {
        "suspended" => "suspendue",
        "withdrawn" => "retirée",
        _ => "en cours",
    }
}

fn import_qualifications(
    conn: &Connection,
    firm_id: i64,
    group: &Group<'_>,
    by: By<'_>,
    today: NaiveDate,
    warnings: &mut Vec<String>,
) -> Result<Vec<QualificationImport>> {
    let (held, statuses) = qualifications::held(conn, firm_id)?;
    let mut by_key: HashMap<String, Qualification> = HashMap::new();
    for q in held {
        by_key.entry(qualification_key(&q.reference, "")).or_insert_with(|| q.clone());
        by_key.entry(qualification_key("", &q.label)).or_insert(q);
    }
    let mut done: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for row in &group.rows {
        let Some(file) = &row.qualification else { continue };
        let key = qualification_key(&file.reference, &file.label);
        if let Some(first) = done.get(&key) {
            warnings.push(format!(
                "Ligne {} : qualification « {} » déjà lue ligne {} ; ligne ignorée",
                row.line,
                format!("{} {}", file.reference, file.label).trim(),
                first
            ));
            continue;
        }
        done.insert(key.clone(), row.line);
        let reference = file.reference.trim();
        if reference.chars().count() > qualifications::REFERENCE_MAX {
            warnings.push(format!(
                "Ligne {} : code de qualification « {reference} » trop long, réduit à ses {} premiers caractères",
                row.line,
                qualifications::REFERENCE_MAX
            ));
        }
        let found = by_key.get(&key).cloned().or_else(|| {
            (!file.label.trim().is_empty()).then(|| by_key.get(&qualification_key("", &file.label)).cloned()).flatten()
        });
        let line = row.line;
        let result = match found {
            None => add(conn, firm_id, file, by, today, line, warnings)?,
            Some(old) => {
                let status = statuses.get(&old.id);
                apply_to(conn, firm_id, &old, status, file, by, today, line, warnings)?
            }
        };
        out.push(QualificationImport { line, ..result });
    }
    Ok(out)
}

fn from_file(file: &QualificationRow, id: i64) -> Qualification {
    Qualification {
        id,
        kind: file.kind.to_owned(),
        reference: stored_reference(&file.reference),
        label: file.label.trim().to_owned(),
        is_rge: file.is_rge.unwrap_or(false),
        valid_from: file.valid_from.clone(),
        valid_until: file.valid_until.clone(),
    }
}

/// Dates the wrong way round (the end of validity before the grant): the end is kept, the grant
/// date left empty, with a warning. The same rule for a qualification added and one compared
/// with the register, so that importing the file again changes nothing.
fn drop_grant_after_end(q: &mut Qualification, line: usize, warnings: &mut Vec<String>) {
    let from = crate::validate::parse_date(&q.valid_from);
    let until = crate::validate::parse_date(&q.valid_until);
    if let (Some(f), Some(u)) = (from, until) {
        if u < f {
            warnings.push(format!(
                "Ligne {line} : fin de validité ({}) antérieure à la date d'attribution ({}) : date d'attribution \
                 ignorée, à vérifier",
                shown_date(&q.valid_until),
                shown_date(&q.valid_from)
            ));
            q.valid_from.clear();
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn add(
    conn: &Connection,
    firm_id: i64,
    file: &QualificationRow,
    by: By<'_>,
    today: NaiveDate,
    line: usize,
    warnings: &mut Vec<String>,
) -> Result<QualificationImport> {
    let mut q = from_file(file, 0);
    drop_grant_after_end(&mut q, line, warnings);
    let date = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let id =
        qualifications::insert(conn, firm_id, &q, date(&q.valid_from).as_deref(), date(&q.valid_until).as_deref())?;
    let mut changes =
        vec![Change { field: "Qualification ajoutée", old: String::new(), new: qualifications::described(&q) }];
    if let Some(status) = file.status.filter(|s| *s != "active") {
        let from = if file.status_from.is_empty() { today.to_string() } else { file.status_from.clone() };
        set_status(conn, id, status, &from, &file.status_until)?;
        changes.push(Change { field: "Statut", old: "en cours".into(), new: status_word(status).into() });
    }
    history::write(conn, firm_id, Some(id), &changes, by)?;
    Ok(QualificationImport { line: 0, name: q.name(), outcome: "added", changes })
}

fn set_status(conn: &Connection, id: i64, status: &str, from: &str, until: &str) -> Result<()> {
    let date = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    conn.execute(
        "UPDATE firm_qualifications SET status = ?2, status_from = ?3, status_until = ?4, status_complaint_id = NULL
         WHERE id = ?1",
        params![id, status, date(from), date(until)],
    )?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn apply_to(
    conn: &Connection,
    firm_id: i64,
    old: &Qualification,
    status: Option<&QualificationStatus>,
    file: &QualificationRow,
    by: By<'_>,
    today: NaiveDate,
    line: usize,
    warnings: &mut Vec<String>,
) -> Result<QualificationImport> {
    let pick = |new: &str, old: &str| if new.trim().is_empty() { old.to_owned() } else { new.trim().to_owned() };
    let mut new = Qualification {
        id: old.id,
        kind: file.kind.to_owned(),
        reference: pick(&stored_reference(&file.reference), &old.reference),
        label: pick(&file.label, &old.label),
        is_rge: file.is_rge.unwrap_or(old.is_rge),
        valid_from: pick(&file.valid_from, &old.valid_from),
        valid_until: pick(&file.valid_until, &old.valid_until),
    };
    drop_grant_after_end(&mut new, line, warnings);
    let mut changes = qualifications::changes(old, &new);
    if !changes.is_empty() {
        qualifications::write(conn, &new)?;
    }
    let ended_before = crate::validate::parse_date(&old.valid_until).is_some_and(|u| u < today);
    let ended_now = crate::validate::parse_date(&new.valid_until).is_some_and(|u| u < today);
    let mut ended = ended_now && !ended_before;
    if let Some(wanted) = file.status {
        let current = status.map_or("active", |s| s.status.as_str());
        let committee = status.and_then(|s| s.complaint_id.map(|_| s.complaint_reference.clone()));
        let dates_differ = status.is_some_and(|s| {
            (!file.status_from.is_empty() && file.status_from != s.status_from)
                || (!file.status_until.is_empty() && file.status_until != s.status_until)
        });
        if wanted == "active" && current != "active" && committee.is_some() {
            warnings.push(format!(
                "Ligne {line} : « {} » est {} par la commission de recours (réclamation {}) : statut conservé",
                new.name(),
                status_word(current),
                committee.unwrap_or_default()
            ));
        } else if wanted != current || (wanted != "active" && dates_differ) {
            let from = if wanted == "active" {
                String::new()
            } else if !file.status_from.is_empty() {
                file.status_from.clone()
            } else {
                status
                    .filter(|s| s.status == wanted)
                    .map(|s| s.status_from.clone())
                    .unwrap_or_else(|| today.to_string())
            };
            let until = if wanted == "active" { String::new() } else { file.status_until.clone() };
            set_status(conn, old.id, wanted, &from, &until)?;
            changes.extend(Change::of("Statut", status_word(current), status_word(wanted)));
            if wanted != "active" {
                let old_from = status.map(|s| shown_date(&s.status_from)).unwrap_or_else(|| "—".into());
                changes.extend(Change::of("Statut depuis le", old_from, shown_date(&from)));
            }
            ended |= wanted == "withdrawn";
        }
    }
    if !changes.is_empty() {
        history::write(conn, firm_id, Some(old.id), &changes, by)?;
    }
    let outcome = if changes.is_empty() {
        "unchanged"
    } else if ended {
        "ended"
    } else {
        "changed"
    };
    Ok(QualificationImport { line, name: new.name(), outcome, changes })
}

/// Firms of the register that the file does not hold, by name.
fn absent(conn: &Connection, seen: &HashSet<i64>) -> Result<Vec<AbsentFirm>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, coalesce(number, '') FROM firms ORDER BY name COLLATE NOCASE, id")?;
    let rows = stmt.query_map([], |r| Ok(AbsentFirm { id: r.get(0)?, name: r.get(1)?, number: r.get(2)? }))?;
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        if !seen.contains(&row.id) {
            out.push(row);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::firms::{firm_file, history, list, search, FirmQuery};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default()
    }

    /// The organisation's export: Windows-1252, « ; », one row per firm and qualification.
    fn long_format(rows: &[&str]) -> Vec<u8> {
        let header = "N° qualifié;Raison sociale;SIRET;Adresse 1;Adresse 2;Code postal;Ville;E-mail;Tél.;Qualification;Date d'attribution;Fin de validité;RGE;Statut";
        let text = std::iter::once(header).chain(rows.iter().copied()).collect::<Vec<_>>().join("\r\n");
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    const ROWS: &[&str] = &[
        "Q-0001;Économie Bâtiment Conseil;732 829 320 00074;3 avenue Foch;;75016;Paris;contact@ebc.fr;01 45 00 00 00;2.1 Économie de la construction;15/03/2023;14/03/2027;oui;en cours",
        "Q-0001;Économie Bâtiment Conseil;732 829 320 00074;3 avenue Foch;;75016;Paris;contact@ebc.fr;01 45 00 00 00;2.2 Métré;01/01/2017;31/12/2020;non;",
        "Q-0002;Cabinet Œil du Métreur;12345678901234;12 rue des Lilas;Bât. B;69003;Lyon;;;2.1 Économie de la construction;01/01/2018;31/12/2020;non;en cours",
        "Q-0003;Études Réunies;;1 rue Haute;;33000;Bordeaux;etudes@reunies.fr;;2.1 Économie de la construction;01/02/2024;31/01/2028;non;suspendue",
        "Q-0004;Durand Économistes;;9 rue Basse;;13001;Marseille;pas-un-courriel;;2.1 Économie de la construction;01/06/2022;31/05/2026;non;retirée",
        "Q-0005;Bureau Futur;;2 place Nette;;59000;Lille;;;2.3 Ordonnancement;01/01/2027;31/12/2030;non;",
        "Q-0001;Économie Bâtiment Conseil;732 829 320 00074;3 avenue Foch;;75016;Paris;contact@ebc.fr;01 45 00 00 00;2.2 Métré;01/01/2017;31/12/2020;non;",
        "Q-0006;;;;;;;;;2.1 Économie de la construction;;;;",
        "Q-0007;Cabinet Statut Inconnu;;;;;;;;2.1 Économie de la construction;01/01/2025;31/12/2029;;en sommeil",
    ];

    fn standing_of(conn: &Connection, name: &str) -> Result<(String, String)> {
        let found = search(conn, &FirmQuery { text: name.into(), status: String::new() }, 10, today())?;
        let item = found.into_iter().next().ok_or(Error::refused(format!("{name} introuvable")))?;
        Ok((item.standing.code.to_owned(), item.standing.text))
    }

    #[test]
    fn the_long_format_export_is_previewed_applied_then_changes_nothing() -> Result<()> {
        let mut conn = open_in_memory()?;
        let bytes = long_format(ROWS);
        let preview = import(&mut conn, &bytes, "qualifies.csv", false, "Claire", today())?;
        assert!(list(&conn)?.is_empty(), "a preview keeps nothing");
        assert_eq!(
            (preview.created, preview.updated, preview.unchanged, preview.rejected),
            (6, 0, 0, 1),
            "{:#?}",
            preview.refused
        );
        assert_eq!(preview.qualifications_added, 7);
        assert!(preview.refused[0].message.starts_with("Ligne 9 : raison sociale vide"), "{:?}", preview.refused);
        let warned = |name: &str, what: &str| {
            preview.firms.iter().any(|f| f.name == name && f.warnings.iter().any(|w| w.contains(what)))
        };
        assert!(warned("Cabinet Œil du Métreur", "SIRET"), "a bad check digit is a warning");
        assert!(warned("Durand Économistes", "courriel"), "an invalid email is left out with a warning");
        assert!(warned("Économie Bâtiment Conseil", "déjà lue ligne 3"), "the duplicated row is said");
        assert!(warned("Cabinet Statut Inconnu", "statut") || warned("Cabinet Statut Inconnu", "Statut"));

        let done = import(&mut conn, &bytes, "qualifies.csv", true, "Claire", today())?;
        assert_eq!((done.created, done.qualifications_added), (6, 7));
        let ebc = list(&conn)?.into_iter().find(|f| f.number == "Q-0001").ok_or(Error::refused("Q-0001"))?;
        assert_eq!(ebc.siret.as_deref(), Some("73282932000074"));
        let oeil = list(&conn)?.into_iter().find(|f| f.number == "Q-0002").ok_or(Error::refused("Q-0002"))?;
        assert!(oeil.siret_to_check, "kept, flagged « SIRET à vérifier »");
        assert_eq!(firm_file(&conn, ebc.id, today())?.qualifications.len(), 2);

        // Status from the dated qualifications, as of today.
        assert_eq!(standing_of(&conn, "Q-0001")?, ("valid".into(), "Qualifié jusqu'au 14/03/2027".into()));
        assert_eq!(
            standing_of(&conn, "oeil du metreur")?,
            ("expired".into(), "Qualification expirée le 31/12/2020".into())
        );
        assert_eq!(standing_of(&conn, "etudes reunies")?.0, "suspended");
        assert!(standing_of(&conn, "etudes reunies")?.1.starts_with("Suspendue depuis le"));
        assert_eq!(standing_of(&conn, "durand")?.0, "withdrawn");
        assert_eq!(
            standing_of(&conn, "futur")?,
            ("future".into(), "Qualification en vigueur à partir du 01/01/2027".into())
        );
        let expired = search(&conn, &FirmQuery { text: String::new(), status: "expired".into() }, 500, today())?;
        assert_eq!(expired.iter().map(|f| f.firm.name.as_str()).collect::<Vec<_>>(), ["Cabinet Œil du Métreur"]);

        // The import is recorded.
        let (file, sha, created): (String, String, i64) =
            conn.query_row("SELECT file_name, sha256, firms_created FROM firm_imports", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        assert_eq!((file.as_str(), sha, created), ("qualifies.csv", crate::archive::sha256_hex(&bytes), 6));

        // The same file again changes nothing.
        let again = import(&mut conn, &bytes, "qualifies.csv", true, "Claire", today())?;
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 6), "{:#?}", again.firms);
        assert_eq!((again.qualifications_added, again.qualifications_changed), (0, 0));

        // A qualification whose end precedes its grant: the grant date is left out with a
        // warning, by the same rule when it is added and when it is compared with the register,
        // so that the file imported again still changes nothing.
        let reversed = "Q-0008;Cabinet Dates Inversées;;5 rue Vive;;44000;Nantes;dates@inversees.fr;02 40 00 00 00;2.1 Économie de la construction;01/06/2025;31/05/2024;non;";
        let with_reversed = long_format(&[ROWS, &[reversed]].concat());
        let said = "Ligne 11 : fin de validité (31/05/2024) antérieure à la date d'attribution (01/06/2025) : \
                    date d'attribution ignorée, à vérifier";
        let warned_reversed =
            |r: &ImportReport| r.firms.iter().any(|f| f.number == "Q-0008" && f.warnings.iter().any(|w| w == said));
        let added = import(&mut conn, &with_reversed, "qualifies-2.csv", true, "Claire", today())?;
        assert_eq!((added.created, added.updated, added.unchanged), (1, 0, 6), "{:#?}", added.firms);
        assert_eq!((added.qualifications_added, added.qualifications_changed), (1, 0));
        assert!(warned_reversed(&added), "{:#?}", added.firms);
        let dates = list(&conn)?.into_iter().find(|f| f.number == "Q-0008").ok_or(Error::refused("Q-0008"))?;
        let stored = &firm_file(&conn, dates.id, today())?.qualifications;
        assert_eq!(
            stored.iter().map(|q| (q.valid_from.as_str(), q.valid_until.as_str())).collect::<Vec<_>>(),
            [("", "2024-05-31")]
        );
        let reversed_again = import(&mut conn, &with_reversed, "qualifies-2.csv", true, "Claire", today())?;
        assert_eq!(
            (reversed_again.created, reversed_again.updated, reversed_again.unchanged),
            (0, 0, 7),
            "{:#?}",
            reversed_again.firms
        );
        assert_eq!((reversed_again.qualifications_added, reversed_again.qualifications_changed), (0, 0));
        assert!(warned_reversed(&reversed_again), "still said: the file still holds it");
        Ok(())
    }

    /// The warnings of the firm `number` about a missing email or phone number.
    fn missing_contact_warnings(report: &ImportReport, number: &str) -> Vec<String> {
        report
            .firms
            .iter()
            .filter(|f| f.number == number)
            .flat_map(|f| &f.warnings)
            .filter(|w| w.contains(" : pas d"))
            .cloned()
            .collect()
    }

    #[test]
    fn a_firm_left_without_email_or_phone_is_warned_once() -> Result<()> {
        let mut conn = open_in_memory()?;
        let first = long_format(&[
            "Q-0101;Sans Contact;;;;;;;;2.1 Économie de la construction;01/01/2025;31/12/2029;non;",
            "Q-0101;Sans Contact;;;;;;;;2.2 Métré;01/01/2025;31/12/2029;non;",
            "Q-0102;Courriel Seul;;;;;;seul@courriel.fr;;2.1 Économie de la construction;01/01/2025;31/12/2029;non;",
            "Q-0103;Téléphone Seul;;;;;;;01 45 00 00 01;2.1 Économie de la construction;01/01/2025;31/12/2029;non;",
            "Q-0104;Tout Va Bien;;;;;;bien@tout.fr;01 45 00 00 02;2.1 Économie de la construction;01/01/2025;31/12/2029;non;",
            // An invalid email has its own warning (« courriel … non repris »).
            "Q-0105;Courriel Faux;;;;;;pas-un-courriel;01 45 00 00 03;2.1 Économie de la construction;01/01/2025;31/12/2029;non;",
        ]);
        let r = import(&mut conn, &first, "a.csv", true, "Claire", today())?;
        assert_eq!(r.created, 5, "{:#?}", r.firms);
        assert_eq!(
            missing_contact_warnings(&r, "Q-0101"),
            ["Sans Contact : pas d'adresse électronique ni de téléphone dans le fichier"],
            "once for the firm, not once per row"
        );
        assert_eq!(missing_contact_warnings(&r, "Q-0102"), ["Courriel Seul : pas de téléphone dans le fichier"]);
        assert_eq!(
            missing_contact_warnings(&r, "Q-0103"),
            ["Téléphone Seul : pas d'adresse électronique dans le fichier"]
        );
        assert!(missing_contact_warnings(&r, "Q-0104").is_empty());
        assert!(missing_contact_warnings(&r, "Q-0105").is_empty());
        assert!(r.firms.iter().any(|f| f.number == "Q-0105" && f.warnings.iter().any(|w| w.contains("courriel"))));

        // A later file without them: nothing to say when the register has them.
        let later = long_format(&[
            "Q-0102;Courriel Seul;;;;;;;;2.1 Économie de la construction;01/01/2025;31/12/2029;non;",
            "Q-0104;Tout Va Bien;;;;;;;;2.1 Économie de la construction;01/01/2025;31/12/2029;non;",
        ]);
        let r = import(&mut conn, &later, "b.csv", true, "Claire", today())?;
        assert_eq!((r.created, r.updated, r.unchanged), (0, 0, 2), "{:#?}", r.firms);
        assert_eq!(
            missing_contact_warnings(&r, "Q-0102"),
            ["Courriel Seul : pas de téléphone dans le fichier ni dans le registre"]
        );
        assert!(missing_contact_warnings(&r, "Q-0104").is_empty());
        Ok(())
    }

    #[test]
    fn a_qualification_code_too_long_is_kept_shortened_and_matched_shortened() -> Result<()> {
        let mut conn = open_in_memory()?;
        // 49 characters: kept as its first 40, the space they end with trimmed. With its label
        // (matched by it, the code must not show as changed) and without (matched by the code).
        let code = "QE-2.1 ÉCONOMIE DE LA CONSTRUCTION NEUF ET ANCIEN";
        let text = format!(
            "N° qualifié;Raison sociale;Code qualification;Qualification;Fin de validité\n\
             Q-0201;Code Long;{code};Économie de la construction;31/12/2029\n\
             Q-0202;Code Seul;{code};;31/12/2029\n"
        );
        let first = import(&mut conn, text.as_bytes(), "a.csv", true, "Claire", today())?;
        assert_eq!((first.created, first.qualifications_added), (2, 2));
        for (firm, line) in first.firms.iter().zip(2..) {
            assert!(
                firm.warnings
                    .iter()
                    .any(|w| w.starts_with(&format!("Ligne {line} : code de qualification")) && w.contains("trop long")),
                "{:?}",
                firm.warnings
            );
        }
        let ids = first.firms.iter().map(|f| f.firm_id.ok_or(Error::refused("id"))).collect::<Result<Vec<_>>>()?;
        for id in &ids {
            let kept = qualifications::qualifications(&conn, *id)?;
            assert_eq!(
                kept.iter().map(|q| q.reference.as_str()).collect::<Vec<_>>(),
                ["QE-2.1 ÉCONOMIE DE LA CONSTRUCTION NEUF"]
            );
        }
        for _ in 0..2 {
            let again = import(&mut conn, text.as_bytes(), "a.csv", true, "Claire", today())?;
            assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2), "{:#?}", again.firms);
            assert_eq!((again.qualifications_added, again.qualifications_changed), (0, 0));
        }
        for id in &ids {
            assert_eq!(qualifications::qualifications(&conn, *id)?.len(), 1, "no duplicate");
        }
        Ok(())
    }

    #[test]
    fn a_later_export_changes_names_and_dates_ends_qualifications_and_lists_the_absent() -> Result<()> {
        let mut conn = open_in_memory()?;
        import(&mut conn, &long_format(ROWS), "janvier.csv", true, "Claire", today())?;
        let later = long_format(&[
            // Renamed, a qualification renewed.
            "Q-0001;EBC Économistes;732 829 320 00074;3 avenue Foch;;75016;Paris;contact@ebc.fr;01 45 00 00 00;2.1 Économie de la construction;15/03/2023;14/03/2031;oui;en cours",
            // Its qualification ended early.
            "Q-0005;Bureau Futur;;2 place Nette;;59000;Lille;;;2.3 Ordonnancement;01/01/2027;30/11/2026;non;",
        ]);
        let preview = import(&mut conn, &later, "décembre.csv", false, "Claire", today())?;
        let ebc = preview.firms.iter().find(|f| f.number == "Q-0001").ok_or(Error::refused("Q-0001"))?;
        assert_eq!(ebc.outcome, "updated");
        assert_eq!(
            ebc.changes,
            [Change {
                field: "Raison sociale",
                old: "Économie Bâtiment Conseil".into(),
                new: "EBC Économistes".into()
            }]
        );
        assert_eq!(ebc.qualifications[0].outcome, "changed");
        assert_eq!(ebc.qualifications[0].changes[0].new, "14/03/2031");
        let futur = preview.firms.iter().find(|f| f.number == "Q-0005").ok_or(Error::refused("Q-0005"))?;
        assert_eq!(futur.qualifications[0].outcome, "ended");
        assert_eq!(preview.absent_count, 4, "{:?}", preview.absent);
        assert!(preview.absent.iter().any(|a| a.number == "Q-0003"));
        let done = import(&mut conn, &later, "décembre.csv", true, "Claire", today())?;
        assert_eq!(list(&conn)?.len(), 6, "absent firms are left as they are");
        let id = done.firms[0].firm_id.ok_or(Error::refused("id"))?;
        let h = history::of_firm(&conn, id)?;
        assert!(h
            .iter()
            .any(|e| e.field == "Raison sociale" && e.import_file == "décembre.csv" && e.author == "Claire"));
        assert!(h.iter().any(|e| e.field == "Fin de validité" && e.old_value == "14/03/2027"));
        Ok(())
    }

    #[test]
    fn a_committee_status_is_not_undone_by_an_export_saying_en_cours() -> Result<()> {
        let mut conn = open_in_memory()?;
        import(&mut conn, &long_format(&[ROWS[0]]), "a.csv", true, "Claire", today())?;
        let now = "2026-01-01T10:00:00+01:00";
        conn.execute_batch(&format!(
            "INSERT INTO complainants (role, name) VALUES ('client', 'Claire');
             INSERT INTO complaints (reference, received_on, channel, addressed_to, complainant_id, firm_id, nature_services,
                                     has_complainant_details, has_firm_details, has_facts, has_actions_taken, step,
                                     manager, created_at)
             VALUES ('REC-2026-0001', '2026-01-10', 'letter', 'secretariat', 1, 1, 1, 1, 1, 1, 1, 'registered',
                     'qualification', '{now}');"
        ))?;
        let complaint = conn.last_insert_rowid();
        conn.execute(
            "UPDATE firm_qualifications SET status = 'suspended', status_from = '2026-06-01', status_until = '2027-05-31',
                    status_complaint_id = ?1",
            params![complaint],
        )?;
        let r = import(&mut conn, &long_format(&[ROWS[0]]), "a.csv", true, "Claire", today())?;
        assert_eq!(r.qualifications_changed, 0);
        assert!(r.firms[0].warnings.iter().any(|w| w.contains("commission de recours")), "{:?}", r.firms[0].warnings);
        Ok(())
    }

    #[test]
    fn one_row_per_firm_without_numbers_matches_by_siret_then_name_and_postcode() -> Result<()> {
        let mut conn = open_in_memory()?;
        import(
            &mut conn,
            "Raison sociale,Code postal,Ville\nCabinet Élan,69003,Lyon\n".as_bytes(),
            "a.csv",
            true,
            "C",
            today(),
        )?;
        let mut cp1252: Vec<u8> = Vec::new();
        cp1252.extend_from_slice(b"Raison sociale;Code postal;Ville;T\xE9l\xE9phone\nCABINET ELAN;69003;Lyon;04 78 00 00 00\n\xC9tudes R\xE9unies;69003;Lyon;\n");
        let r = import(&mut conn, &cp1252, "b.csv", true, "C", today())?;
        assert_eq!((r.encoding, r.created, r.updated), ("Windows-1252", 1, 1), "{:?}", r.firms);
        let names: Vec<String> = list(&conn)?.into_iter().map(|f| f.name).collect();
        assert!(names.contains(&"Études Réunies".to_owned()) && names.contains(&"CABINET ELAN".to_owned()));
        let e = import(&mut conn, b"Ville;Code postal\nLyon;69003\n", "c.csv", true, "C", today());
        assert!(matches!(&e, Err(Error::Refused { message }) if message.contains("raison sociale")), "{e:?}");
        Ok(())
    }

    #[test]
    fn search_folds_accents_and_case_and_finds_numbers_and_sirets_with_spaces() -> Result<()> {
        let mut conn = open_in_memory()?;
        import(&mut conn, &long_format(ROWS), "a.csv", true, "Claire", today())?;
        let names = |text: &str| -> Result<Vec<String>> {
            Ok(search(&conn, &FirmQuery { text: text.into(), status: String::new() }, 50, today())?
                .into_iter()
                .map(|f| f.firm.name)
                .collect())
        };
        assert_eq!(names("metreur")?, ["Cabinet Œil du Métreur"]);
        assert_eq!(names("oeil")?, ["Cabinet Œil du Métreur"]);
        assert_eq!(names("ECONOMIE batiment")?, ["Économie Bâtiment Conseil"]);
        assert_eq!(names("732 829 320 00074")?, ["Économie Bâtiment Conseil"]);
        assert_eq!(names("73282932000074")?, ["Économie Bâtiment Conseil"]);
        assert_eq!(names("q-0004")?, ["Durand Économistes"]);
        assert_eq!(names("bordeaux")?, ["Études Réunies"]);
        let flagged = search(&conn, &FirmQuery { text: String::new(), status: "siret_to_check".into() }, 50, today())?;
        assert_eq!(flagged.len(), 1);
        Ok(())
    }

    /// The same register as a workbook: each `;` cell written as a spreadsheet holds it (dates as
    /// real dates, the SIRET as a number).
    fn as_xlsx(rows: &[&str]) -> Vec<u8> {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut workbook = Workbook::new();
        let date_format = Format::new().set_num_format("dd/mm/yyyy");
        let sheet = workbook.add_worksheet();
        let header = "N° qualifié;Raison sociale;SIRET;Adresse 1;Adresse 2;Code postal;Ville;E-mail;Tél.;Qualification;Date d'attribution;Fin de validité;RGE;Statut";
        for (r, line) in std::iter::once(header).chain(rows.iter().copied()).enumerate() {
            for (c, cell) in line.split(';').enumerate() {
                let (r, c) = (r as u32, c as u16);
                let parts: Vec<&str> = cell.split('/').collect();
                let written = if let [d, m, y] = parts[..] {
                    match (y.parse(), m.parse(), d.parse()) {
                        (Ok(y), Ok(m), Ok(d)) => ExcelDateTime::from_ymd(y, m, d)
                            .and_then(|date| sheet.write_datetime_with_format(r, c, &date, &date_format).map(|_| ())),
                        _ => sheet.write_string(r, c, cell).map(|_| ()),
                    }
                } else if c == 2 && !cell.is_empty() && r > 0 {
                    sheet.write_number(r, c, cell.replace(' ', "").parse::<f64>().unwrap_or(0.0)).map(|_| ())
                } else if cell.is_empty() {
                    Ok(())
                } else {
                    sheet.write_string(r, c, cell).map(|_| ())
                };
                written.map_err(|e| Error::refused(e.to_string())).unwrap_or_else(|e| panic!("{e}"));
            }
        }
        workbook.save_to_buffer().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_same_register_as_an_xlsx_workbook_changes_nothing_after_its_csv() -> Result<()> {
        let mut conn = open_in_memory()?;
        let from_csv = import(&mut conn, &long_format(ROWS), "export.csv", true, "Claire", today())?;
        let xlsx = as_xlsx(ROWS);
        let from_xlsx = import(&mut conn, &xlsx, "export.xlsx", true, "Claire", today())?;
        assert_eq!(from_xlsx.format, "Excel (.xlsx)");
        assert_eq!(
            (from_xlsx.created, from_xlsx.updated, from_xlsx.unchanged, from_xlsx.rejected),
            (0, 0, from_csv.created, from_csv.rejected),
            "{:#?}",
            from_xlsx.firms
        );
        assert_eq!((from_xlsx.qualifications_added, from_xlsx.qualifications_changed), (0, 0));
        // And into an empty register, the workbook gives what the CSV gave.
        let mut fresh = open_in_memory()?;
        let alone = import(&mut fresh, &xlsx, "export.xlsx", true, "Claire", today())?;
        assert_eq!((alone.created, alone.qualifications_added, alone.rejected), (6, 7, 1));
        Ok(())
    }
}
