//! « Vérifier les sauvegardes »: the newest snapshot restored into a temporary folder, then
//! checked as a restore would need it: `integrity_check`, every document against the hash the
//! database recorded, every complaint's journal chain.

use super::repo::{self, repo_root};
use crate::archive::sha256_file;
use crate::datadir::{DATABASE, DOCUMENTS, RESTORE_WORK_PREFIX};
use crate::error::{Error, Result};
use crate::french::io_reason;
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillReport {
    pub snapshot: String,
    /// `YYYY-MM-DD`.
    pub checked_on: String,
    pub ok: bool,
    /// « ok », or what `integrity_check` found.
    pub integrity: String,
    pub documents_checked: usize,
    pub chains_checked: usize,
    /// French, one line per problem (at most [`MAX_PROBLEMS`], then a count of the others).
    pub problems: Vec<String>,
}

pub const MAX_PROBLEMS: usize = 20;

/// Restores the newest complete snapshot of `dest` into a temporary folder in `work_parent`
/// and checks it. Fails only when there is nothing to check (destination missing, no
/// snapshot) or the work folder cannot be written; a damaged backup is a report with
/// `ok: false`.
pub fn drill(dest: &Path, work_parent: &Path, today: chrono::NaiveDate) -> Result<DrillReport> {
    if !dest.is_dir() {
        return Err(Error::refused(format!(
            "La destination de sauvegarde « {} » est introuvable : branchez le disque ou choisissez-en une autre dans \
             Paramètres, puis relancez la vérification.",
            dest.display()
        )));
    }
    let root = repo_root(dest);
    let _run = repo::lock_runs();
    let Some(manifest) = repo::latest(&root)? else {
        return Err(Error::refused(format!(
            "Aucune sauvegarde complète dans « {} » : faites d'abord une sauvegarde, puis vérifiez-la.",
            dest.display()
        )));
    };
    let io_error = |e: std::io::Error| {
        Error::Backup(format!(
            "La vérification n'a pas pu restaurer la sauvegarde dans {} ({}) : vérifiez la place libre, puis réessayez.",
            work_parent.display(),
            io_reason(&e)
        ))
    };
    std::fs::create_dir_all(work_parent).map_err(io_error)?;
    let work = tempfile::Builder::new().prefix(RESTORE_WORK_PREFIX).tempdir_in(work_parent).map_err(io_error)?;
    let mut problems = Vec::new();
    repo::materialize(&root, &manifest, work.path(), &mut problems).map_err(|e| match e {
        Error::Io(io) => io_error(io),
        other => other,
    })?;
    let mut report = DrillReport {
        snapshot: manifest.id.clone(),
        checked_on: today.to_string(),
        ok: false,
        integrity: repo::integrity(&work.path().join(DATABASE)),
        documents_checked: 0,
        chains_checked: 0,
        problems: Vec::new(),
    };
    if report.integrity != "ok" {
        problems.push(format!("La base restaurée est endommagée : {}.", report.integrity));
    } else if let Ok(db) = Connection::open_with_flags(work.path().join(DATABASE), OpenFlags::SQLITE_OPEN_READ_ONLY) {
        check_contents(&db, work.path(), &mut report, &mut problems)?;
    } else {
        problems.push("La base restaurée est illisible.".into());
    }
    if problems.len() > MAX_PROBLEMS {
        let others = problems.len() - MAX_PROBLEMS;
        problems.truncate(MAX_PROBLEMS);
        problems.push(format!("… et {others} autre(s) problème(s)."));
    }
    report.ok = problems.is_empty();
    report.problems = problems;
    Ok(report)
}

/// Every document row against its restored file, every journal chain.
fn check_contents(db: &Connection, dir: &Path, report: &mut DrillReport, problems: &mut Vec<String>) -> Result<()> {
    let docs: Vec<(String, String)> = db
        .prepare("SELECT relative_path, sha256 FROM documents ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    for (path, sha) in docs {
        report.documents_checked += 1;
        let file = dir.join(DOCUMENTS).join(&path);
        match sha256_file(&file) {
            Ok((actual, _)) if actual == sha => {}
            Ok(_) => problems.push(format!("Le document {path} ne correspond pas à l'empreinte enregistrée.")),
            Err(_) => problems.push(format!("Le document {path} manque dans la sauvegarde.")),
        }
    }
    let complaints: Vec<(i64, String)> = db
        .prepare("SELECT id, reference FROM complaints ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    for (id, reference) in complaints {
        report.chains_checked += 1;
        let integrity = crate::store::journal::verify(db, id)?;
        if !integrity.intact {
            let seq = integrity.first_broken.unwrap_or(0);
            problems.push(format!("Le journal de {reference} est altéré à partir de l'entrée n° {seq}."));
        }
    }
    Ok(())
}
