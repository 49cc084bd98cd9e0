//! Taking in the register of complaints kept before the application (a spreadsheet read by
//! [`crate::register_sheet`]): each complaint is created at the step its dates reach, with its
//! clocks computed from those dates, a journal that starts with « Repris de l'ancien registre
//! le … (fichier …, SHA-256 …), par … » and then states only what the sheet says, and the
//! procedure's obligations for the steps taken before the import shown « antérieur à
//! l'application ». From the import on, the complaint is like any other.
//!
//! The preview runs the same code in a transaction that is rolled back: what it shows is what
//! applying does. Applying is one transaction. A complaint whose old reference the register
//! already holds (imported before, even since purged) is left out: the same file imported twice
//! adds nothing. Firms are matched by number, then SIRET, then name; the unknown ones are listed,
//! each to be created (the default) or taken as a firm of the register the user chooses.

use crate::error::{Error, Result};
use crate::french::format_fr;
use crate::import::normalize_key;
use crate::model::{Nature, Step};
use crate::register_sheet::{self, Column, FieldChoice, SheetComplaint, SheetDecision, SheetFirm};
use crate::store::clocks::{self, Clock, StopReason};
use crate::store::journal::{self, JournalKind, NewEntry};
use crate::store::{bool_int, now_timestamp};
use crate::validate::ValidFirm;
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// What the user chose in the preview.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ImportChoices {
    /// The field code of each column (`""`: ignored); empty: the headers are recognised.
    pub mapping: Vec<String>,
    /// For an unknown firm (its [`UnknownFirm::key`]), the register's firm to take; absent or
    /// 0: the firm is created.
    pub firms: HashMap<String, i64>,
}

/// A line refused, with its French message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedLine {
    pub line: usize,
    pub message: String,
}

/// One complaint the import creates (or, in a preview, would create).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedComplaint {
    pub line: usize,
    pub legacy_reference: String,
    /// The register's reference (the one applying gave, or in a preview would give).
    pub reference: String,
    pub id: Option<i64>,
    pub received_on: String,
    pub complainant: String,
    pub firm: String,
    pub step: &'static str,
    pub step_label: &'static str,
    pub warnings: Vec<String>,
}

/// A line whose old reference the register already holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlreadyThere {
    pub line: usize,
    pub legacy_reference: String,
    /// The register's reference, or « purgée » for a purged one.
    pub reference: String,
}

/// A firm the register does not know, or knows under several names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownFirm {
    pub key: String,
    /// « Bâtir Plus (n° Q-0012) ».
    pub described: String,
    pub lines: Vec<usize>,
    /// The firm chosen for it; `None`: it is created.
    pub chosen: Option<i64>,
    /// Firms of the register with a name alike, to choose from.
    pub candidates: Vec<Candidate>,
    /// Without a name it cannot be created: its lines are refused unless a firm is chosen.
    pub can_create: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepCount {
    pub step: &'static str,
    pub label: &'static str,
    pub count: usize,
}

/// The preview of an import, or what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterImportReport {
    pub applied: bool,
    pub import_id: Option<i64>,
    pub file_name: String,
    pub sha256: String,
    pub format: &'static str,
    pub encoding: &'static str,
    pub delimiter: String,
    pub columns: Vec<Column>,
    pub fields: Vec<FieldChoice>,
    /// Required fields no column fills: nothing can be imported until they are chosen.
    pub missing: Vec<String>,
    pub created: usize,
    pub open: usize,
    pub firms_created: usize,
    pub warnings: usize,
    pub by_step: Vec<StepCount>,
    pub complaints: Vec<ImportedComplaint>,
    pub already: Vec<AlreadyThere>,
    pub refused: Vec<RefusedLine>,
    pub unknown_firms: Vec<UnknownFirm>,
}

/// Who imports, from which file, and when.
struct Source<'a> {
    import_id: Option<i64>,
    file_name: &'a str,
    sha256: &'a str,
    author: &'a str,
    today: NaiveDate,
}

/// Reads the file at `path` and imports it (see [`import`]).
pub fn import_file(
    conn: &mut Connection,
    path: &Path,
    choices: &ImportChoices,
    apply: bool,
    author: &str,
    today: NaiveDate,
) -> Result<RegisterImportReport> {
    let (bytes, name) = crate::store::read_import_file(path)?;
    import(conn, &bytes, &name, choices, apply, author, today)
}

/// Previews (`apply` false: everything is rolled back) or applies the import of `bytes`.
pub fn import(
    conn: &mut Connection,
    bytes: &[u8],
    file_name: &str,
    choices: &ImportChoices,
    apply: bool,
    author: &str,
    today: NaiveDate,
) -> Result<RegisterImportReport> {
    let mapping = (!choices.mapping.is_empty()).then_some(choices.mapping.as_slice());
    let sheet = register_sheet::parse(bytes, mapping, today).map_err(Error::refused)?;
    let sha256 = crate::archive::sha256_hex(bytes);
    let tx = conn.transaction()?;
    let mut report = RegisterImportReport {
        applied: false,
        import_id: None,
        file_name: file_name.to_owned(),
        sha256: sha256.clone(),
        format: sheet.format,
        encoding: sheet.encoding,
        delimiter: sheet.delimiter.clone(),
        columns: sheet.columns.clone(),
        fields: register_sheet::field_choices(),
        missing: sheet.missing.clone(),
        created: 0,
        open: 0,
        firms_created: 0,
        warnings: 0,
        by_step: Vec::new(),
        complaints: Vec::new(),
        already: Vec::new(),
        refused: sheet
            .errors
            .iter()
            .map(|(line, message)| RefusedLine { line: *line, message: message.clone() })
            .collect(),
        unknown_firms: Vec::new(),
    };

    // Already in the register: left out.
    let mut todo: Vec<&SheetComplaint> = Vec::new();
    for c in &sheet.rows {
        match already(&tx, &c.legacy_reference)? {
            Some(reference) => report.already.push(AlreadyThere {
                line: c.line,
                legacy_reference: c.legacy_reference.clone(),
                reference,
            }),
            None => todo.push(c),
        }
    }

    // The firms: matched, or chosen, or created.
    let register = Register::load(&tx)?;
    let mut firm_of: HashMap<String, Option<i64>> = HashMap::new();
    let mut unknown: Vec<UnknownFirm> = Vec::new();
    for c in &todo {
        let key = c.firm.key();
        if let Some(u) = unknown.iter_mut().find(|u| u.key == key) {
            u.lines.push(c.line);
            continue;
        }
        if firm_of.contains_key(&key) {
            continue;
        }
        match register.find(&tx, &c.firm)? {
            Found::One(id) => {
                firm_of.insert(key, Some(id));
            }
            Found::Unknown(candidates) => {
                let chosen = choices.firms.get(&key).copied().filter(|id| *id > 0);
                if let Some(id) = chosen {
                    if !register.exists(id) {
                        return Err(Error::refused(format!(
                            "Le qualifié choisi pour « {} » n'est plus dans le registre : choisissez-en un autre.",
                            c.firm.describe()
                        )));
                    }
                }
                unknown.push(UnknownFirm {
                    key,
                    described: c.firm.describe(),
                    lines: vec![c.line],
                    chosen,
                    candidates,
                    can_create: !c.firm.name.is_empty(),
                });
            }
        }
    }

    let import_id = if apply && !todo.is_empty() {
        tx.execute(
            "INSERT INTO register_imports (imported_at, author, file_name, sha256, complaints, firms_created, skipped)
             VALUES (?1, ?2, ?3, ?4, 0, 0, 0)",
            params![now_timestamp(), author, file_name, sha256],
        )?;
        Some(tx.last_insert_rowid())
    } else {
        None
    };
    let source = Source { import_id, file_name, sha256: &sha256, author, today };
    let months = crate::store::settings::deadlines(&tx)?;
    for c in todo {
        let key = c.firm.key();
        let firm_id = match firm_of.get(&key) {
            Some(Some(id)) => *id,
            _ => {
                let Some(u) = unknown.iter().find(|u| u.key == key) else { continue };
                match u.chosen {
                    Some(id) => id,
                    None if !u.can_create => {
                        report.refused.push(RefusedLine {
                            line: c.line,
                            message: format!(
                                "Ligne {} : qualifié {} absent du registre et sans raison sociale : choisissez-le \
                                 ci-dessous, ou importez d'abord le registre des qualifiés.",
                                c.line,
                                c.firm.describe()
                            ),
                        });
                        continue;
                    }
                    None => {
                        let id = create_firm(&tx, &c.firm)?;
                        report.firms_created += 1;
                        firm_of.insert(key, Some(id));
                        id
                    }
                }
            }
        };
        let (id, reference) = create(&tx, c, firm_id, &source, months.firm_months)?;
        let step = c.step();
        report.complaints.push(ImportedComplaint {
            line: c.line,
            legacy_reference: c.legacy_reference.clone(),
            reference,
            id: apply.then_some(id),
            received_on: c.received_on.to_string(),
            complainant: c.complainant_name.clone(),
            firm: register.name_of(firm_id).unwrap_or_else(|| c.firm.describe()),
            step: step.code(),
            step_label: step.label(),
            warnings: c.warnings.clone(),
        });
    }
    report.refused.sort_by_key(|l| l.line);
    report.created = report.complaints.len();
    report.open = report.complaints.iter().filter(|c| c.step != Step::Closed.code()).count();
    report.warnings = report.complaints.iter().map(|c| c.warnings.len()).sum();
    report.by_step = Step::ALL
        .iter()
        .map(|s| StepCount {
            step: s.code(),
            label: s.label(),
            count: report.complaints.iter().filter(|c| c.step == s.code()).count(),
        })
        .filter(|s| s.count > 0)
        .collect();
    report.unknown_firms = unknown;
    report.applied = apply && report.missing.is_empty();
    match import_id {
        Some(id) if report.applied && report.created > 0 => {
            tx.execute(
                "UPDATE register_imports SET complaints = ?2, firms_created = ?3, skipped = ?4 WHERE id = ?1",
                params![id, report.created as i64, report.firms_created as i64, report.already.len() as i64],
            )?;
            tx.commit()?;
            report.import_id = Some(id);
        }
        // A preview, or nothing to take in (every complaint already there, or refused).
        _ => tx.rollback()?,
    }
    Ok(report)
}

/// The register's reference of the complaint with this old reference, « purgée » when only its
/// trace is left; `None` when it was never imported.
fn already(conn: &Connection, legacy_reference: &str) -> Result<Option<String>> {
    let found: Option<String> = conn
        .prepare_cached("SELECT reference FROM complaints WHERE legacy_reference = ?1")?
        .query_row(params![legacy_reference], |r| r.get(0))
        .optional()?;
    if found.is_some() {
        return Ok(found);
    }
    let purged: Option<String> = conn
        .prepare_cached("SELECT reference FROM purged_complaints WHERE legacy_reference = ?1")?
        .query_row(params![legacy_reference], |r| r.get(0))
        .optional()?;
    Ok(purged.map(|r| format!("{r} (purgée)")))
}

/// The firms of the register, by folded name, to match the sheet's names in memory.
struct Register {
    by_name: HashMap<String, Vec<i64>>,
    all: Vec<Candidate>,
}

enum Found {
    One(i64),
    Unknown(Vec<Candidate>),
}

/// Words of a firm's name too common to tell two firms apart.
const COMMON: &[&str] = &[
    "sarl", "sas", "sasu", "eurl", "sa", "sci", "cabinet", "bureau", "etudes", "societe", "et", "de", "des", "du",
    "la", "le", "les",
];

impl Register {
    fn load(conn: &Connection) -> Result<Register> {
        let mut stmt =
            conn.prepare("SELECT id, name, coalesce(number, '') FROM firms ORDER BY name COLLATE NOCASE, id")?;
        let all: Vec<Candidate> = stmt
            .query_map([], |r| Ok(Candidate { id: r.get(0)?, name: r.get(1)?, number: r.get(2)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let mut by_name: HashMap<String, Vec<i64>> = HashMap::new();
        for f in &all {
            by_name.entry(normalize_key(&f.name)).or_default().push(f.id);
        }
        Ok(Register { by_name, all })
    }

    fn name_of(&self, id: i64) -> Option<String> {
        self.all.iter().find(|f| f.id == id).map(|f| f.name.clone())
    }

    fn exists(&self, id: i64) -> bool {
        self.all.iter().any(|f| f.id == id)
    }

    /// By number, then SIRET, then name (accents, case, spaces and punctuation ignored).
    fn find(&self, conn: &Connection, f: &SheetFirm) -> Result<Found> {
        for (column, value) in [("number", &f.number), ("siret", &f.siret)] {
            if value.is_empty() {
                continue;
            }
            let id: Option<i64> = conn
                .prepare_cached(&format!("SELECT id FROM firms WHERE {column} = ?1"))?
                .query_row(params![value], |r| r.get(0))
                .optional()?;
            if let Some(id) = id {
                return Ok(Found::One(id));
            }
        }
        let ids = self.by_name.get(&normalize_key(&f.name)).cloned().unwrap_or_default();
        // A name alone matches only when the sheet gives no number nor SIRET that could say otherwise.
        if let ([id], true) = (ids.as_slice(), f.number.is_empty() && f.siret.is_empty()) {
            return Ok(Found::One(*id));
        }
        Ok(Found::Unknown(self.candidates(&f.name, &ids)))
    }

    /// Firms named alike: the same name, or one of its telling words.
    fn candidates(&self, name: &str, same: &[i64]) -> Vec<Candidate> {
        let folded = crate::french::fold(name);
        let words: Vec<String> = folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3 && !COMMON.contains(w))
            .map(str::to_owned)
            .collect();
        let mut out: Vec<Candidate> = self.all.iter().filter(|f| same.contains(&f.id)).cloned().collect();
        for f in &self.all {
            if out.len() >= 8 {
                break;
            }
            let theirs = crate::french::fold(&f.name);
            let theirs: Vec<&str> = theirs.split(|c: char| !c.is_alphanumeric()).collect();
            if !out.iter().any(|o| o.id == f.id) && words.iter().any(|w| theirs.contains(&w.as_str())) {
                out.push(f.clone());
            }
        }
        out
    }
}

fn create_firm(conn: &Connection, f: &SheetFirm) -> Result<i64> {
    let firm = ValidFirm {
        number: (!f.number.is_empty()).then(|| f.number.clone()),
        name: f.name.clone(),
        siret: (!f.siret.is_empty()).then(|| f.siret.clone()),
        address: crate::model::Address::default(),
        email: String::new(),
        phone: String::new(),
        is_qualified: true,
        is_certified: false,
        is_rge: false,
    };
    crate::store::firms::insert(conn, &firm, "firm")
}

/// Creates one complaint of the old register at its step; returns its id and reference.
fn create(
    tx: &Connection,
    c: &SheetComplaint,
    firm_id: i64,
    s: &Source<'_>,
    firm_months: u32,
) -> Result<(i64, String)> {
    tx.execute(
        "INSERT INTO complainants (role, name, address_lines, postcode, city, email, phone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![c.role, c.complainant_name, c.address_lines.join("\n"), c.postcode, c.city, c.email, c.phone],
    )?;
    let complainant_id = tx.last_insert_rowid();
    let reference = crate::store::complaints::next_reference(tx, c.received_on.year())?;
    let step = c.step();
    // Past « Enregistrée », the file was found complete; before, the sheet's cells tell.
    let past = step != Step::Registered;
    let address_known = !c.address_lines.is_empty() && !c.city.is_empty();
    let (decision, outcome, decided_on) = match c.decision {
        Some((SheetDecision::Decision(d), on)) => (d.code(), "", Some(on.to_string())),
        Some((SheetDecision::Committee(o), on)) => ("appeals_committee", o.code(), Some(on.to_string())),
        Some((SheetDecision::Inadmissible, _)) | None => ("", "", None),
    };
    let inadmissible = matches!(c.decision, Some((SheetDecision::Inadmissible, _)));
    tx.execute(
        "INSERT INTO complaints (reference, received_on, channel, registered_number, addressed_to, complainant_id,
                                 firm_id, facts, actions_taken, nature_services, nature_ethics, nature_mark_use,
                                 has_complainant_details, has_firm_details, has_facts, has_actions_taken,
                                 step, manager, decision, decided_on, committee_outcome, committee_on,
                                 inadmissible_reason, closed_on, created_at, legacy_obligations,
                                 legacy_reference, register_import_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
                 ?22, ?23, ?24, ?25, ?26, ?27, ?28)",
        params![
            reference,
            c.received_on.to_string(),
            c.channel,
            c.registered_number,
            c.addressed_to,
            complainant_id,
            firm_id,
            c.facts,
            c.actions_taken,
            bool_int(c.natures.contains(&Nature::Services)),
            bool_int(c.natures.contains(&Nature::Ethics)),
            bool_int(c.natures.contains(&Nature::MarkUse)),
            bool_int(past || address_known || !c.email.is_empty()),
            1,
            bool_int(past || !c.facts.is_empty()),
            bool_int(past || !c.actions_taken.is_empty()),
            step,
            c.manager.map_or("", |m| m.code()),
            decision,
            decided_on,
            outcome,
            (!outcome.is_empty()).then(|| decided_on.clone()).flatten(),
            if inadmissible { "Irrecevable d'après l'ancien registre (motif non repris)" } else { "" },
            c.closed_on.map(|d| d.to_string()),
            now_timestamp(),
            bool_int(past),
            c.legacy_reference,
            s.import_id,
        ],
    )?;
    let id = tx.last_insert_rowid();
    let j = Journal { tx, id, author: s.author };

    let mut defaults = String::new();
    if !c.defaults.is_empty() {
        defaults = format!(" Non indiqué dans le fichier, retenu par défaut : {}.", c.defaults.join(" ; "));
    }
    j.write(
        JournalKind::Note,
        s.today,
        &format!(
            "Repris de l'ancien registre le {} (fichier « {} », SHA-256 {}), par {} : référence « {} », ligne {}.",
            format_fr(s.today),
            s.file_name,
            s.sha256,
            s.author,
            c.legacy_reference,
            c.line
        ),
        &format!(
            "Les entrées suivantes disent ce que l'ancien registre indique, à ses dates ; les courriers de ces \
             étapes ne sont pas dans l'application.{defaults}"
        ),
        None,
    )?;
    clocks::start_overall(tx, id, c.received_on)?;
    let mut at = Step::Registered;
    j.write(
        JournalKind::StepChange,
        c.received_on,
        &format!(
            "D'après l'ancien registre : réclamation reçue le {} ({}), adressée à : {}.",
            format_fr(c.received_on),
            c.channel.label().to_lowercase(),
            c.addressed_to.label()
        ),
        "",
        Some((None, Step::Registered)),
    )?;
    if let Some(on) = c.acknowledged_on {
        j.write(
            JournalKind::StepChange,
            on,
            &format!("D'après l'ancien registre : accusé de réception le {}.", format_fr(on)),
            "",
            Some((Some(at), Step::Complete)),
        )?;
        at = Step::Complete;
    }
    if let Some(on) = c.firm_informed_on {
        let due = clocks::start(tx, id, Clock::FirmAnswer, on, firm_months, false)?;
        j.write(
            JournalKind::StepChange,
            on,
            &format!(
                "D'après l'ancien registre : qualifié informé le {} ; réponse attendue au plus tard le {} (délai calculé par l'application).",
                format_fr(on),
                format_fr(due)
            ),
            "",
            Some((Some(at), Step::FirmInformed)),
        )?;
        at = Step::FirmInformed;
    }
    if let Some(on) = c.firm_answered_on {
        if c.firm_informed_on.is_some() {
            clocks::answered(tx, id, Clock::FirmAnswer, on)?;
        }
        j.write(
            JournalKind::LetterIn,
            on,
            &format!("D'après l'ancien registre : réponse du qualifié reçue le {}.", format_fr(on)),
            "",
            None,
        )?;
    }
    if let Some((decided, on)) = c.decision {
        let summary = match decided {
            SheetDecision::Inadmissible => {
                clocks::stop(
                    tx,
                    id,
                    &[Clock::FirmAnswer, Clock::InvestigatorAnswer, Clock::ExpertReport],
                    on,
                    StopReason::Closed,
                )?;
                format!("D'après l'ancien registre : réclamation déclarée irrecevable le {}.", format_fr(on))
            }
            _ => {
                clocks::stop(tx, id, &[Clock::FirmAnswer], on, StopReason::Waived)?;
                let (kind, by) = match decided {
                    SheetDecision::Committee(o) => (o.code(), "appeals_committee"),
                    SheetDecision::Decision(d) => (d.code(), "unknown"),
                    SheetDecision::Inadmissible => ("", "unknown"),
                };
                tx.execute(
                    "INSERT INTO decisions (complaint_id, seq, kind, decided_by, decided_on, reasons_complainant,
                                            reasons_firm, legacy, recorded_at, author)
                     VALUES (?1, 1, ?2, ?3, ?4, '', '', 1, ?5, ?6)",
                    params![id, kind, by, on.to_string(), now_timestamp(), s.author],
                )?;
                format!("D'après l'ancien registre : décision « {} » le {}.", decided.label(), format_fr(on))
            }
        };
        j.write(JournalKind::StepChange, on, &summary, "", Some((Some(at), decided.step())))?;
        at = decided.step();
    }
    if let Some(on) = c.closed_on {
        clocks::stop_all(tx, id, on)?;
        j.write(
            JournalKind::StepChange,
            on,
            &format!("D'après l'ancien registre : dossier clôturé le {}.", format_fr(on)),
            "",
            Some((Some(at), Step::Closed)),
        )?;
    }
    crate::store::search::reindex(tx, id)?;
    Ok((id, reference))
}

/// The journal of one imported complaint.
struct Journal<'a> {
    tx: &'a Connection,
    id: i64,
    author: &'a str,
}

impl Journal<'_> {
    fn write(
        &self,
        kind: JournalKind,
        on: NaiveDate,
        summary: &str,
        details: &str,
        step: Option<(Option<Step>, Step)>,
    ) -> Result<()> {
        let (step_from, step_to) = match step {
            Some((from, to)) => (from, Some(to)),
            None => (None, None),
        };
        journal::append_unindexed(
            self.tx,
            self.id,
            &NewEntry { details, step_from, step_to, ..NewEntry::simple(kind, on, self.author, summary) },
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::procedure::ActionKind;
    use crate::store::workflow::{perform, view};
    use crate::test_support::form;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default()
    }

    const SHEET: &str = "\
N° réclamation;Reçue le;Canal;Plaignant;Qualité;Adresse;Code postal;Ville;N° qualifié;Entreprise;Nature;Faits;AR le;Qualifié informé le;Réponse du qualifié le;Décision;Date de décision;Clôturée le
2021-004;04/03/2021;Courrier;M. Ancien;client;1 rue Vieille;75001;Paris;Q-0001;Bâtir Conseil;Prestations;Chiffrage faux;08/03/2021;20/03/2021;10/04/2021;Avertissement;01/06/2021;05/06/2021
2023-011;10/01/2023;LRAR;Mme Lente;tiers;2 rue Longue;69001;Lyon;;Bâtir Conseil;Déontologie;;12/01/2023;;;Classement sans suite;15/01/2024;20/01/2024
2026-031;02/11/2026;courriel;M. Neuf;client;3 rue Neuve;33000;Bordeaux;;Économies Nouvelles;Prestations;;;;;;;
2026-027;05/10/2026;Courrier;Mme Attente;client;4 rue Basse;13001;Marseille;Q-0001;;Usage de la marque;Logo utilisé sans droit;07/10/2026;;;;;
2026-020;01/09/2026;Courrier;M. Informé;tiers;5 rue Haute;59000;Lille;Q-0001;;Prestations;;03/09/2026;10/09/2026;01/10/2026;;;
2026-015;01/06/2025;Courrier;M. Retard;client;6 rue Lente;35000;Rennes;Q-0001;;Prestations;;03/06/2025;10/06/2025;;;;
2025-002;15/01/2025;Courrier;Mme Expertise;client;7 rue Vive;44000;Nantes;Q-0001;;Prestations;;20/01/2025;01/02/2025;;Appel à un expert;01/04/2025;
2026-040;31/02/2026;Courrier;M. Illisible;client;;;;Q-0001;;Prestations;;;;;;;
2026-041;01/03/2026;Courrier;M. Sans firme;client;;;;Q-9999;;Prestations;;;;;;;
2026-020;01/09/2026;Courrier;M. Doublon;tiers;;;;Q-0001;;Prestations;;;;;;;
";

    fn register() -> Result<Connection> {
        let conn = open_in_memory()?;
        conn.execute(
            "INSERT INTO firms (name, number, address_lines, postcode, city, created_at, updated_at)
             VALUES ('Bâtir Conseil', 'Q-0001', '8 rue du Chantier', '75002', 'Paris', '', '')",
            [],
        )?;
        Ok(conn)
    }

    fn run(conn: &mut Connection, apply: bool) -> Result<RegisterImportReport> {
        import(conn, SHEET.as_bytes(), "ancien.csv", &ImportChoices::default(), apply, "Marie Martin", today())
    }

    fn count(conn: &Connection, sql: &str) -> Result<i64> {
        Ok(conn.query_row(sql, [], |r| r.get(0))?)
    }

    fn id_of(conn: &Connection, legacy: &str) -> Result<i64> {
        Ok(conn.query_row("SELECT id FROM complaints WHERE legacy_reference = ?1", params![legacy], |r| r.get(0))?)
    }

    #[test]
    fn the_preview_writes_nothing_and_says_what_applying_does() -> Result<()> {
        let mut conn = register()?;
        let preview = run(&mut conn, false)?;
        assert!(!preview.applied);
        assert_eq!(count(&conn, "SELECT count(*) FROM complaints")?, 0);
        assert_eq!(count(&conn, "SELECT count(*) FROM firms")?, 1);
        assert_eq!(count(&conn, "SELECT count(*) FROM register_imports")?, 0);
        assert_eq!(preview.created, 7);
        assert_eq!(preview.firms_created, 1);
        let refused: Vec<&str> = preview.refused.iter().map(|l| l.message.as_str()).collect();
        assert_eq!(refused.len(), 3, "{refused:?}");
        assert!(refused[0].starts_with("Ligne 9 : date de réception illisible (« 31/02/2026 »)"), "{refused:?}");
        assert!(refused[1].starts_with("Ligne 10 : qualifié n° Q-9999 absent du registre"), "{refused:?}");
        assert!(refused[2].starts_with("Ligne 11 : référence « 2026-020 » déjà à la ligne 6"), "{refused:?}");
        let unknown: Vec<&str> = preview.unknown_firms.iter().map(|u| u.described.as_str()).collect();
        assert_eq!(unknown, vec!["Économies Nouvelles", "n° Q-9999"]);
        let applied = run(&mut conn, true)?;
        assert!(applied.applied);
        // The same references as the preview announced.
        let refs = |r: &RegisterImportReport| r.complaints.iter().map(|c| c.reference.clone()).collect::<Vec<_>>();
        assert_eq!(refs(&preview), refs(&applied));
        assert_eq!(count(&conn, "SELECT count(*) FROM complaints WHERE register_import_id IS NOT NULL")?, 7);
        Ok(())
    }

    #[test]
    fn each_complaint_is_at_its_step_with_its_clocks_journal_and_obligations() -> Result<()> {
        let mut conn = register()?;
        let report = run(&mut conn, true)?;
        let sha = report.sha256.clone();
        let step = |legacy: &str| -> Result<String> {
            Ok(conn
                .query_row("SELECT step FROM complaints WHERE legacy_reference = ?1", params![legacy], |r| r.get(0))?)
        };
        for (legacy, expected) in [
            ("2021-004", "closed"),
            ("2023-011", "closed"),
            ("2026-031", "registered"),
            ("2026-027", "complete"),
            ("2026-020", "firm_informed"),
            ("2026-015", "firm_informed"),
            ("2025-002", "expertise"),
        ] {
            assert_eq!(step(legacy)?, expected, "{legacy}");
        }

        // The journal starts with the import and then says only what the sheet says.
        let old = id_of(&conn, "2021-004")?;
        let entries = journal::list(&conn, old)?;
        let summaries: Vec<&str> = entries.iter().map(|e| e.summary.as_str()).collect();
        assert_eq!(
            summaries.last().copied(),
            Some(
                format!(
                    "Repris de l'ancien registre le 03/12/2026 (fichier « ancien.csv », SHA-256 {sha}), par Marie Martin : référence « 2021-004 », ligne 2."
                )
                .as_str()
            ),
            "{summaries:?}"
        );
        assert!(summaries.contains(&"D'après l'ancien registre : accusé de réception le 08/03/2021."));
        assert!(summaries.contains(&"D'après l'ancien registre : décision « Avertissement » le 01/06/2021."));
        assert!(summaries.contains(&"D'après l'ancien registre : dossier clôturé le 05/06/2021."));
        assert!(journal::verify(&conn, old)?.intact);

        // Obligations of the steps before the import: « antérieur à l'application », never sent.
        let w = view(&conn, old, today())?;
        assert!(!w.obligations.is_empty());
        for o in &w.obligations {
            assert_eq!(o.state, "legacy", "{o:?}");
            assert!(o.state_label.contains("antérieur à l'application"), "{o:?}");
            assert_eq!(o.sent_on, None);
        }
        // What was decided, not by whom: the old register does not say.
        assert_eq!(
            w.decisions.iter().map(|d| d.decided_by_label.as_str()).collect::<Vec<_>>(),
            vec!["Non indiqué (ancien registre)"]
        );
        // Not acknowledged before the import: the acknowledgement is owed as for any complaint.
        let fresh = view(&conn, id_of(&conn, "2026-031")?, today())?;
        assert_eq!(fresh.obligations.first().map(|o| o.state), Some("to_prepare"));

        // Clocks from the sheet's dates: the firm's month from the day it was informed.
        let informed = id_of(&conn, "2026-015")?;
        let (due, stopped): (String, Option<String>) = conn.query_row(
            "SELECT due_on, stopped_on FROM deadlines WHERE complaint_id = ?1 AND clock = 'firm_answer'",
            params![informed],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        assert_eq!((due.as_str(), stopped), ("2025-07-10", None));
        let overall: String = conn.query_row(
            "SELECT due_on FROM deadlines WHERE complaint_id = ?1 AND clock = 'overall'",
            params![informed],
            |r| r.get(0),
        )?;
        assert_eq!(overall, "2025-12-01");
        let w = view(&conn, informed, today())?;
        assert_eq!(w.overall_state, "overrun");
        // Old reference searchable.
        let q = crate::store::search::ListQuery { text: "2026-015".into(), limit: 10, ..Default::default() };
        let found = crate::store::search::list(&conn, &q, today())?;
        assert_eq!(found.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![informed]);
        Ok(())
    }

    #[test]
    fn the_same_file_again_adds_nothing_and_the_digest_covers_the_imported() -> Result<()> {
        let mut conn = register()?;
        run(&mut conn, true)?;
        let digest = crate::store::digest::current(&conn, today())?;
        assert_eq!(digest.complaints, 7);
        let again = run(&mut conn, true)?;
        assert_eq!((again.created, again.already.len()), (0, 7));
        assert_eq!(count(&conn, "SELECT count(*) FROM complaints")?, 7);
        assert_eq!(count(&conn, "SELECT count(*) FROM register_imports")?, 1);
        assert_eq!(count(&conn, "SELECT count(*) FROM firms")?, 2);
        Ok(())
    }

    #[test]
    fn an_unknown_firm_can_be_taken_as_one_of_the_register_and_the_column_mapping_changed() -> Result<()> {
        let mut conn = register()?;
        let keep: i64 = conn.query_row("SELECT id FROM firms", [], |r| r.get(0))?;
        let mut choices = ImportChoices::default();
        choices.firms.insert("r:economiesnouvelles".into(), keep);
        choices.firms.insert("n:q-9999".into(), keep);
        let report = import(&mut conn, SHEET.as_bytes(), "ancien.csv", &choices, true, "Marie Martin", today())?;
        assert_eq!((report.created, report.firms_created), (8, 0));
        assert_eq!(count(&conn, "SELECT count(DISTINCT firm_id) FROM complaints")?, 1);

        // The « Faits » column ignored by hand: the complaint comes without its facts.
        let mut conn = register()?;
        let mut mapping: Vec<String> = report.columns.iter().map(|c| c.field.unwrap_or_default().to_owned()).collect();
        mapping[11] = String::new();
        let choices = ImportChoices { mapping, firms: HashMap::new() };
        import(&mut conn, SHEET.as_bytes(), "ancien.csv", &choices, true, "Marie Martin", today())?;
        assert_eq!(count(&conn, "SELECT count(*) FROM complaints WHERE facts <> ''")?, 0);
        Ok(())
    }

    #[test]
    fn an_imported_open_complaint_goes_on_through_the_procedure_to_its_closing() -> Result<()> {
        let mut conn = register()?;
        run(&mut conn, true)?;
        let id = id_of(&conn, "2026-027")?;
        let date = "10/11/2026";
        perform(&mut conn, id, "Test", &form(ActionKind::Transmit, date, &[("choice", "qualification")]), today())?;
        // The information letter sent informs the firm (its month starts).
        crate::test_support::send_letter(&mut conn, id, crate::letters::kinds::LetterKind::FirmNotification, date)?;
        crate::test_support::decide_and_close(
            &mut conn,
            id,
            crate::procedure::Decision::Dismissed,
            "20/11/2026",
            today(),
        )?;
        let step: String = conn.query_row("SELECT step FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?;
        assert_eq!(step, "closed");
        // The letters after the import are checked as for any complaint: sent ones read « envoyé ».
        let w = view(&conn, id, today())?;
        assert!(w.obligations.iter().any(|o| o.state == "sent"), "{:?}", w.obligations);
        assert!(w.obligations.iter().any(|o| o.state == "legacy"), "{:?}", w.obligations);
        assert!(journal::verify(&conn, id)?.intact);
        Ok(())
    }

    /// The same sheet as an Excel workbook, its dates real dates: the same complaints come in.
    #[test]
    fn the_sheet_as_a_workbook_with_real_dates_comes_in_the_same() -> Result<()> {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut workbook = Workbook::new();
        let date_format = Format::new().set_num_format("dd/mm/yyyy");
        let sheet = workbook.add_worksheet();
        let fail = |e: rust_xlsxwriter::XlsxError| Error::refused(e.to_string());
        for (r, line) in SHEET.lines().enumerate() {
            for (c, cell) in line.split(';').enumerate() {
                let (r, c) = (r as u32, c as u16);
                match crate::import::parse_date_text(cell).filter(|_| cell.len() == 10) {
                    Some(d) => {
                        let date =
                            ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(fail)?;
                        sheet.write_datetime_with_format(r, c, &date, &date_format).map_err(fail)?;
                    }
                    None if cell.is_empty() => {}
                    None => {
                        sheet.write_string(r, c, cell).map_err(fail)?;
                    }
                }
            }
        }
        let bytes = workbook.save_to_buffer().map_err(fail)?;
        let mut from_csv = register()?;
        let csv = run(&mut from_csv, false)?;
        let mut conn = register()?;
        let xlsx = import(&mut conn, &bytes, "ancien.xlsx", &ImportChoices::default(), false, "Marie Martin", today())?;
        assert_eq!(xlsx.format, crate::import::format::XLSX);
        let key = |r: &RegisterImportReport| {
            r.complaints.iter().map(|c| (c.legacy_reference.clone(), c.received_on.clone(), c.step)).collect::<Vec<_>>()
        };
        assert_eq!(key(&xlsx), key(&csv));
        // The impossible 31/02/2026 is text in the workbook too: refused the same way.
        assert_eq!(xlsx.refused.len(), csv.refused.len());
        Ok(())
    }

    #[test]
    fn an_inadmissible_complaint_and_a_committee_outcome_reach_their_steps() -> Result<()> {
        let text = "Réf;Reçue le;Plaignant;N° qualifié;Nature;AR le;Décision;Date de décision;Clôturée le\n\
                    X-1;02/02/2024;M. A;Q-0001;Prestations;05/02/2024;Irrecevable;10/02/2024;12/02/2024\n\
                    X-2;02/03/2024;M. B;Q-0001;Déontologie;05/03/2024;Suspension;10/09/2024;\n\
                    X-3;02/04/2024;M. C;Q-0001;Prestations;05/04/2024;Commission de recours;10/08/2024;\n";
        let mut conn = register()?;
        let r = import(&mut conn, text.as_bytes(), "a.csv", &ImportChoices::default(), true, "Marie Martin", today())?;
        assert_eq!(r.refused, vec![]);
        let row = |legacy: &str| -> Result<(String, String, String)> {
            Ok(conn.query_row(
                "SELECT step, decision, committee_outcome FROM complaints WHERE legacy_reference = ?1",
                params![legacy],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        };
        assert_eq!(row("X-1")?, ("closed".into(), String::new(), String::new()));
        assert_eq!(row("X-2")?, ("decided".into(), "appeals_committee".into(), "suspension".into()));
        assert_eq!(row("X-3")?, ("appeals_committee".into(), "appeals_committee".into(), String::new()));
        // The inadmissibility letter is owed before the import: not checked, never « envoyé ».
        let w = view(&conn, id_of(&conn, "X-1")?, today())?;
        assert!(w.obligations.iter().any(|o| o.letter == "inadmissible" && o.state == "legacy"), "{:?}", w.obligations);
        let kinds: Vec<String> = conn
            .prepare("SELECT kind FROM decisions ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        assert_eq!(kinds, vec!["suspension", "appeals_committee"]);
        Ok(())
    }
}
