//! The automatic backups (once a day, local and external), their settings, the monthly drill,
//! and what the dashboard says about them.
//!
//! Settings keys (table `settings`):
//! - `backup.destination`: the external destination chosen by the user (absent: none);
//! - `backup.tiers.daily`, `backup.tiers.monthly`, `backup.tiers.yearly`: retention (14/12/5);
//! - `backup.warn_days`: the dashboard warns after this many days without an external backup (7);
//! - `backup.last_external`: `YYYY-MM-DDTHH:MM:SS` of the last complete external snapshot;
//! - `backup.last_external_error`: the French message of the last failed attempt (cleared on success);
//! - `backup.last_local`: `YYYY-MM-DDTHH:MM:SS` of the last local snapshot;
//! - `backup.last_drill`: the last [`DrillReport`], as JSON.

use super::drill::{drill, DrillReport};
use super::repo::{self, local_repo, PruneReport, SnapshotReport};
use super::retention::Tiers;
use crate::datadir::DataDir;
use crate::error::{Error, FieldErrors, Result};
use crate::store::settings::{get, set};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const DESTINATION: &str = "backup.destination";
pub const TIERS_DAILY: &str = "backup.tiers.daily";
pub const TIERS_MONTHLY: &str = "backup.tiers.monthly";
pub const TIERS_YEARLY: &str = "backup.tiers.yearly";
pub const WARN_DAYS: &str = "backup.warn_days";
pub const LAST_EXTERNAL: &str = "backup.last_external";
pub const LAST_EXTERNAL_ERROR: &str = "backup.last_external_error";
pub const LAST_LOCAL: &str = "backup.last_local";
pub const LAST_DRILL: &str = "backup.last_drill";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSettings {
    pub destination: Option<String>,
    pub tiers: Tiers,
    pub warn_days: i64,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings { destination: None, tiers: Tiers::default(), warn_days: 7 }
    }
}

fn number<T: std::str::FromStr>(conn: &Connection, key: &str, default: T) -> Result<T> {
    Ok(get(conn, key)?.and_then(|v| v.trim().parse().ok()).unwrap_or(default))
}

/// The backup settings in force; a missing or unreadable value falls back to its default.
pub fn settings(conn: &Connection) -> Result<BackupSettings> {
    let d = BackupSettings::default();
    Ok(BackupSettings {
        destination: get(conn, DESTINATION)?.filter(|s| !s.trim().is_empty()),
        tiers: Tiers {
            daily: number(conn, TIERS_DAILY, d.tiers.daily)?,
            monthly: number(conn, TIERS_MONTHLY, d.tiers.monthly)?,
            yearly: number(conn, TIERS_YEARLY, d.tiers.yearly)?,
        },
        warn_days: number(conn, WARN_DAYS, d.warn_days)?,
    })
}

/// Validates and saves the backup settings (fields `destination`, `tiers.daily`,
/// `tiers.monthly`, `tiers.yearly`, `warn_days`). The destination is not checked for presence
/// here: see [`repo::check_destination`].
pub fn save_settings(conn: &Connection, new: &BackupSettings) -> Result<()> {
    let mut errors = FieldErrors::new();
    if !(1..=366).contains(&new.tiers.daily) {
        errors.insert("tiers.daily".into(), "Entre 1 et 366 sauvegardes quotidiennes.".into());
    }
    if new.tiers.monthly > 120 {
        errors.insert("tiers.monthly".into(), "Entre 0 et 120 sauvegardes mensuelles.".into());
    }
    if new.tiers.yearly > 50 {
        errors.insert("tiers.yearly".into(), "Entre 0 et 50 sauvegardes annuelles.".into());
    }
    if !(1..=365).contains(&new.warn_days) {
        errors.insert("warn_days".into(), "Entre 1 et 365 jours.".into());
    }
    if new.destination.as_deref().is_some_and(|d| !Path::new(d.trim()).is_absolute()) {
        errors.insert("destination".into(), "Choisissez un dossier avec le bouton « Parcourir… ».".into());
    }
    if !errors.is_empty() {
        return Err(Error::Validation { fields: errors });
    }
    let tx = conn.unchecked_transaction()?;
    set(&tx, DESTINATION, new.destination.as_deref().map(str::trim).unwrap_or(""))?;
    set(&tx, TIERS_DAILY, &new.tiers.daily.to_string())?;
    set(&tx, TIERS_MONTHLY, &new.tiers.monthly.to_string())?;
    set(&tx, TIERS_YEARLY, &new.tiers.yearly.to_string())?;
    set(&tx, WARN_DAYS, &new.warn_days.to_string())?;
    tx.commit()?;
    Ok(())
}

/// What one automatic run did. `None` reports: already done today (or no destination).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyOutcome {
    pub local: Option<SnapshotReport>,
    pub local_pruned: Option<PruneReport>,
    /// French, when the local snapshot failed.
    pub local_error: Option<String>,
    pub external: Option<SnapshotReport>,
    pub external_pruned: Option<PruneReport>,
    /// French, when the external snapshot failed (destination missing…): retried next start.
    pub external_error: Option<String>,
    /// The monthly drill, when it was due.
    pub drill: Option<DrillReport>,
    /// Old-style daily `.tar` files removed once the local repository holds a snapshot.
    pub old_tars_removed: usize,
}

fn done_today(dest: &Path, today: NaiveDate) -> Result<bool> {
    let prefix = today.format("%Y-%m-%d").to_string();
    Ok(repo::list(dest)?.first().is_some_and(|s| s.created_at.starts_with(&prefix)))
}

/// The automatic backups of the day: a snapshot into the local repository (`backups/depot/`)
/// and one into `external`, each once a day, each followed by a prune with `tiers`; then the
/// drill if none ran this past month. An external failure is carried in the outcome (the local
/// one is still made); only a failure to record the results is an error.
pub fn daily_snapshots(
    conn: &Connection,
    data_dir: &Path,
    external: Option<&Path>,
    now: NaiveDateTime,
    tiers: &Tiers,
) -> Result<DailyOutcome> {
    let today = now.date();
    let stamp = now.format("%Y-%m-%dT%H:%M:%S").to_string();
    let mut out = DailyOutcome::default();
    let local = local_repo(data_dir);
    let local_result = (|| -> Result<Option<(SnapshotReport, PruneReport)>> {
        if local.is_dir() && done_today(&local, today)? {
            return Ok(None);
        }
        let report = repo::snapshot_local(conn, data_dir, now)?;
        let pruned = repo::prune(&local, tiers)?;
        Ok(Some((report, pruned)))
    })();
    match local_result {
        Ok(Some((report, pruned))) => {
            set(conn, LAST_LOCAL, &stamp)?;
            out.local = Some(report);
            out.local_pruned = Some(pruned);
            out.old_tars_removed = remove_old_daily_tars(data_dir);
        }
        Ok(None) => {}
        Err(e) => out.local_error = Some(e.user_message()),
    }
    let mut external_ok = false;
    if let Some(dest) = external {
        let result = (|| -> Result<Option<(SnapshotReport, PruneReport)>> {
            if !dest.is_dir() {
                return Err(repo::missing_destination(dest));
            }
            if done_today(dest, today)? {
                return Ok(None);
            }
            let report = repo::snapshot(conn, data_dir, dest, now, |_, _| {})?;
            let pruned = repo::prune(dest, tiers)?;
            Ok(Some((report, pruned)))
        })();
        match result {
            Ok(done) => {
                external_ok = true;
                let tx = conn.unchecked_transaction()?;
                if let Some((report, pruned)) = done {
                    set(&tx, LAST_EXTERNAL, &report.info.created_at)?;
                    out.external = Some(report);
                    out.external_pruned = Some(pruned);
                }
                set(&tx, LAST_EXTERNAL_ERROR, "")?;
                tx.commit()?;
            }
            Err(e) => {
                let message = e.user_message();
                set(conn, LAST_EXTERNAL_ERROR, &format!("{stamp} {message}"))?;
                out.external_error = Some(message);
            }
        }
    }
    if drill_due(conn, today)? {
        let target = match external {
            Some(dest) if external_ok => Some(dest.to_path_buf()),
            _ if local.is_dir() => Some(local.clone()),
            _ => None,
        };
        if let Some(target) = target {
            if let Ok(report) = drill(&target, &DataDir::new(data_dir).backups(), today) {
                record_drill(conn, &report)?;
                out.drill = Some(report);
            }
        }
    }
    Ok(out)
}

/// The old automatic `.tar` copies (`backups/reclamations-quotidienne-*.tar`), superseded by the
/// local repository. Copies made before a restore, a migration or a purge are kept.
fn remove_old_daily_tars(data_dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(DataDir::new(data_dir).backups()) else { return 0 };
    entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("reclamations-quotidienne-") && name.ends_with(".tar")
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// « Sauvegarder maintenant vers la destination »: a snapshot into the configured external
/// destination, pruned with the tiers, recorded as the last external backup.
pub fn snapshot_now(
    conn: &Connection,
    data_dir: &Path,
    now: NaiveDateTime,
    progress: impl FnMut(usize, usize),
) -> Result<(SnapshotReport, PruneReport)> {
    let s = settings(conn)?;
    let Some(dest) = s.destination.as_deref().map(Path::new) else {
        return Err(Error::field(
            "destination",
            "Aucune destination de sauvegarde externe : choisissez un disque, une clé USB ou un partage réseau.",
        ));
    };
    if !dest.is_dir() {
        return Err(repo::missing_destination(dest));
    }
    let report = repo::snapshot(conn, data_dir, dest, now, progress)?;
    let pruned = repo::prune(dest, &s.tiers)?;
    let tx = conn.unchecked_transaction()?;
    set(&tx, LAST_EXTERNAL, &report.info.created_at)?;
    set(&tx, LAST_EXTERNAL_ERROR, "")?;
    tx.commit()?;
    Ok((report, pruned))
}

/// « Vérifier les sauvegardes »: the drill on the external destination when it is there, else
/// on the local repository; its result recorded.
pub fn drill_now(conn: &Connection, data_dir: &Path, today: NaiveDate) -> Result<DrillReport> {
    let s = settings(conn)?;
    let target = match s.destination.as_deref().map(Path::new) {
        Some(dest) if dest.is_dir() => dest.to_path_buf(),
        Some(dest) => return Err(repo::missing_destination(dest)),
        None => local_repo(data_dir),
    };
    let report = drill(&target, &DataDir::new(data_dir).backups(), today)?;
    record_drill(conn, &report)?;
    Ok(report)
}

/// Whether the monthly drill is due: none yet, or the last one a month ago or more.
pub fn drill_due(conn: &Connection, today: NaiveDate) -> Result<bool> {
    let last = last_drill(conn)?.and_then(|d| NaiveDate::parse_from_str(&d.checked_on, "%Y-%m-%d").ok());
    Ok(match last {
        None => true,
        Some(d) => d.checked_add_months(chrono::Months::new(1)).is_none_or(|due| today >= due),
    })
}

/// Stores a drill's result (on demand or monthly) for the dashboard and Paramètres.
pub fn record_drill(conn: &Connection, report: &DrillReport) -> Result<()> {
    let json = serde_json::to_string(report)
        .map_err(|_| Error::Backup("Le résultat de la vérification n'a pas pu être enregistré.".into()))?;
    set(conn, LAST_DRILL, &json)
}

fn last_drill(conn: &Connection) -> Result<Option<DrillReport>> {
    Ok(get(conn, LAST_DRILL)?.and_then(|j| serde_json::from_str(&j).ok()))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupStatus {
    pub external_destination: Option<String>,
    /// `YYYY-MM-DDTHH:MM:SS` of the last complete external snapshot.
    pub last_external: Option<String>,
    /// The last failed attempt's French message, prefixed with its date and time.
    pub last_external_error: Option<String>,
    /// For the dashboard: « Aucune sauvegarde externe configurée », « … depuis N jours ».
    pub warning: Option<String>,
    pub last_drill: Option<DrillReport>,
}

/// What the dashboard and Paramètres show. The warning comes once the last external backup is
/// `backup.warn_days` days old or more.
pub fn status(conn: &Connection, today: NaiveDate) -> Result<BackupStatus> {
    let s = settings(conn)?;
    let last_external = get(conn, LAST_EXTERNAL)?.filter(|v| !v.is_empty());
    let last_date = last_external.as_deref().and_then(|v| NaiveDate::parse_from_str(v.get(..10)?, "%Y-%m-%d").ok());
    let warning = match (&s.destination, last_date) {
        (None, _) => Some("Aucune sauvegarde externe configurée".to_owned()),
        (Some(_), None) => Some("Aucune sauvegarde externe n'a encore été faite".to_owned()),
        (Some(_), Some(d)) => {
            let days = (today - d).num_days();
            (days >= s.warn_days).then(|| format!("Aucune sauvegarde externe depuis {days} jours"))
        }
    };
    Ok(BackupStatus {
        external_destination: s.destination,
        last_external,
        last_external_error: get(conn, LAST_EXTERNAL_ERROR)?.filter(|v| !v.is_empty()),
        warning,
        last_drill: last_drill(conn)?,
    })
}
