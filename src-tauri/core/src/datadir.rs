//! The data folder's layout: every name inside it (database, documents, backups, prints,
//! exports, lock, kept data of a restore, temp names) is spelled here and nowhere else.

use std::path::{Path, PathBuf};

/// The SQLite file, relative to the data folder (also its name inside a backup).
pub const DATABASE: &str = "reclamations.sqlite3";
/// The firms' files, relative to the data folder (also its name inside a backup).
pub const DOCUMENTS: &str = "documents";
/// Automatic backups and those made before a restore, a migration or a purge.
pub const BACKUPS: &str = "backups";
/// The day's mail and previews: may be deleted at any time.
pub const IMPRESSIONS: &str = "impressions";
/// Statistics (CSV, annual report): may be deleted at any time.
pub const EXPORTS: &str = "exports";
/// The technical log (start-up, migrations, backups, errors' kinds; no personal data), rotated.
pub const LOGS: &str = "logs";
/// The technical log's file name inside `logs/`, without its `.log` extension.
pub const LOG_FILE_STEM: &str = "reclamations";
/// The file whose lock marks the data folder as in use.
pub const LOCK: &str = ".reclamations.lock";
/// Replies to oral contacts, inside `documents/`.
pub const ORAL_CONTACTS: &str = "contacts-oraux";
/// Prefix of the folder where a restore keeps the data it replaced.
pub const REPLACED_PREFIX: &str = "remplacees-";
/// Prefix of a backup's working folder (in the target folder, removed when done).
pub const BACKUP_WORK_PREFIX: &str = ".sauvegarde-";
/// Prefix of a restore's working folder (in the data folder, removed when done).
pub const RESTORE_WORK_PREFIX: &str = ".restauration-";

/// One data folder. Cheap to build: it only holds the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DataDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database(&self) -> PathBuf {
        self.root.join(DATABASE)
    }

    /// The database and its SQLite companions (`-wal`, `-shm`): what a restore replaces.
    pub fn database_files(&self) -> [PathBuf; 3] {
        let db = DATABASE;
        [self.root.join(db), self.root.join(format!("{db}-wal")), self.root.join(format!("{db}-shm"))]
    }

    pub fn documents(&self) -> PathBuf {
        self.root.join(DOCUMENTS)
    }

    pub fn oral_contacts(&self) -> PathBuf {
        self.documents().join(ORAL_CONTACTS)
    }

    pub fn backups(&self) -> PathBuf {
        self.root.join(BACKUPS)
    }

    pub fn impressions(&self) -> PathBuf {
        self.root.join(IMPRESSIONS)
    }

    pub fn exports(&self) -> PathBuf {
        self.root.join(EXPORTS)
    }

    pub fn logs(&self) -> PathBuf {
        self.root.join(LOGS)
    }

    /// The current technical log (older ones sit next to it, with their date in the name).
    pub fn log_file(&self) -> PathBuf {
        self.logs().join(format!("{LOG_FILE_STEM}.log"))
    }

    pub fn lock(&self) -> PathBuf {
        self.root.join(LOCK)
    }

    /// Where a restore made at `stamp` keeps the data it replaced.
    pub fn replaced(&self, stamp: &str) -> PathBuf {
        self.root.join(format!("{REPLACED_PREFIX}{stamp}"))
    }

    /// Whether a file name inside the data folder is a restore's kept data.
    pub fn is_replaced_name(name: &str) -> bool {
        name.starts_with(REPLACED_PREFIX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_hangs_off_the_root() {
        let d = DataDir::new("/données");
        assert_eq!(d.database(), Path::new("/données/reclamations.sqlite3"));
        assert_eq!(d.documents(), Path::new("/données/documents"));
        assert_eq!(d.oral_contacts(), Path::new("/données/documents/contacts-oraux"));
        assert_eq!(d.backups(), Path::new("/données/backups"));
        assert_eq!(d.impressions(), Path::new("/données/impressions"));
        assert_eq!(d.exports(), Path::new("/données/exports"));
        assert_eq!(d.lock(), Path::new("/données/.reclamations.lock"));
        assert_eq!(d.logs(), Path::new("/données/logs"));
        assert_eq!(d.log_file(), Path::new("/données/logs/reclamations.log"));
        assert_eq!(d.replaced("2026-03-01-120000"), Path::new("/données/remplacees-2026-03-01-120000"));
        assert!(DataDir::is_replaced_name("remplacees-2026-03-01-120000"));
        assert_eq!(d.database_files()[1], Path::new("/données/reclamations.sqlite3-wal"));
    }
}
