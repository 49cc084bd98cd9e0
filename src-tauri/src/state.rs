//! What the commands share: the open database, the data folder and the clock.

use crate::paths::Startup;
use chrono::NaiveDate;
use reclamations_core::datadir::DataDir;
use reclamations_core::db::{self, Connection};
use reclamations_core::french::io_reason;
use reclamations_core::letters::pdf::Fonts;
use reclamations_core::Error;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock, RwLock, RwLockReadGuard};

pub struct AppState {
    conn: Mutex<Connection>,
    /// The data folder in use: the real one, or the demonstration's while it is open.
    place: RwLock<Place>,
    /// The real data folder, whatever is open: the technical log and the demonstration's
    /// location go with it.
    real: DataDir,
    fixed_today: Option<NaiveDate>,
    /// Parsed on first use, not at start-up.
    fonts: OnceLock<std::result::Result<Fonts, reclamations_core::letters::pdf::PdfError>>,
    /// The last restore of this session, until it is undone: « Annuler la restauration ».
    last_restore: Mutex<Option<LastRestore>>,
    /// Held while the app runs, demonstration or not: a second instance on the same data dir is
    /// refused.
    _lock: std::fs::File,
}

/// A restore that can be undone: what was restored, and where the register it replaced is kept.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LastRestore {
    /// « la sauvegarde du 28/11/2026 à 10:05 », for the messages.
    pub restored: String,
    pub replaced_kept_in: PathBuf,
    /// What the replaced register held, to say what the undo brings back.
    pub replaced: reclamations_core::backup::RegisterState,
}

/// The data folder the commands work on.
struct Place {
    layout: DataDir,
    /// The demonstration folder's own lock, while it is open.
    demo_lock: Option<std::fs::File>,
}

impl AppState {
    /// Creates the data folder if needed and opens the database. Errors are French sentences
    /// saying what to do, for the start-up dialog.
    pub fn open(startup: &Startup) -> Result<Self, String> {
        let dir = &startup.data_dir;
        let layout = DataDir::new(dir);
        std::fs::create_dir_all(layout.documents()).map_err(|e| {
            format!(
                "Réclamations ne peut pas créer son dossier de données :\n{}\n\n({})\n\nVérifiez que ce dossier est \
                 accessible en écriture, ou indiquez-en un autre avec l'option --data-dir ou la variable \
                 RECLAMATIONS_DATA_DIR.",
                dir.display(),
                io_reason(&e)
            )
        })?;
        let lock = lock_data_dir(&layout)?;
        let path = layout.database();
        let conn = db::open(&path).map_err(|e| open_failure(&path, &e))?;
        Ok(AppState {
            conn: Mutex::new(conn),
            place: RwLock::new(Place { layout: layout.clone(), demo_lock: None }),
            real: layout,
            fixed_today: startup.today,
            fonts: OnceLock::new(),
            last_restore: Mutex::new(None),
            _lock: lock,
        })
    }

    fn place(&self) -> RwLockReadGuard<'_, Place> {
        self.place.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The data folder in use (the demonstration's while it is open).
    pub fn data_dir(&self) -> PathBuf {
        self.place().layout.root().to_path_buf()
    }

    /// The real data folder, even while the demonstration is open.
    pub fn real_layout(&self) -> &DataDir {
        &self.real
    }

    /// Whether the demonstration register is the one open.
    pub fn is_demo(&self) -> bool {
        self.place().demo_lock.is_some()
    }

    /// Refuses what must never mix the demonstration with the real register: backing up to the
    /// external destination (the real register's repository), restoring, setting the backups.
    pub fn refuse_in_demo(&self) -> reclamations_core::Result<()> {
        if self.is_demo() {
            return Err(reclamations_core::Error::refused(
                "La démonstration n'est ni sauvegardée ni restaurée : quittez-la (« Quitter la démonstration ») pour \
                 sauvegarder ou restaurer le registre réel.",
            ));
        }
        Ok(())
    }

    /// Makes the demonstration register anew and switches every command to it; the real
    /// register is closed meanwhile (and its folder kept locked). Already open: made anew.
    pub fn open_demo(&self) -> reclamations_core::Result<reclamations_core::demo::Demo> {
        use reclamations_core::demo;
        let mut guard = self.conn();
        if self.is_demo() {
            self.switch(&mut guard, self.real.clone(), None)?;
        }
        let made = demo::create(self.real.root(), self.today())?;
        let layout = DataDir::new(&made.data_dir);
        let lock = lock_data_dir(&layout).map_err(reclamations_core::Error::refused)?;
        self.switch(&mut guard, layout, Some(lock))?;
        Ok(made)
    }

    /// Goes back to the real register and deletes the demonstration folder. A folder that
    /// cannot be deleted now (a file of it still open elsewhere) is only logged: the next start
    /// deletes it, and the user is back on the real register either way.
    pub fn close_demo(&self) -> reclamations_core::Result<()> {
        let mut guard = self.conn();
        let Some(demo_dir) = self.is_demo().then(|| self.data_dir()) else {
            return Ok(());
        };
        self.switch(&mut guard, self.real.clone(), None)?;
        if let Err(e) = reclamations_core::demo::remove(&demo_dir) {
            log::warn!("Dossier de démonstration non supprimé, il le sera au prochain démarrage ({})", e.kind());
        }
        Ok(())
    }

    /// Closes the open database and opens `layout`'s, under the connection's lock (no command
    /// runs meanwhile). If the new one cannot be opened, the real register is reopened.
    fn switch(
        &self,
        conn: &mut MutexGuard<'_, Connection>,
        layout: DataDir,
        demo_lock: Option<std::fs::File>,
    ) -> reclamations_core::Result<()> {
        let closed = std::mem::replace(&mut **conn, Connection::open_in_memory()?);
        drop(closed);
        let mut place = self.place.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        match db::open(&layout.database()) {
            Ok(opened) => {
                **conn = opened;
                *place = Place { layout, demo_lock };
                Ok(())
            }
            Err(e) => {
                **conn = db::open(&self.real.database())?;
                *place = Place { layout: self.real.clone(), demo_lock: None };
                Err(e)
            }
        }
    }

    /// « Today »: fixed by `RECLAMATIONS_TODAY`, else the system's local date.
    pub fn today(&self) -> NaiveDate {
        self.fixed_today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The data folder's names (documents, backups, impressions, exports…) of the folder in use.
    pub fn layout(&self) -> DataDir {
        self.place().layout.clone()
    }

    /// The firms' files.
    pub fn documents_dir(&self) -> PathBuf {
        self.place().layout.documents()
    }

    /// The letters' fonts, parsed once.
    pub fn fonts(&self) -> reclamations_core::Result<&Fonts> {
        self.fonts.get_or_init(Fonts::liberation).as_ref().map_err(|e| Error::Pdf(e.clone()))
    }

    /// Restores a verified backup: the current data is backed up into `backups/` first, the
    /// connection is closed while the files are swapped, then reopened on the restored data.
    /// `restored` names the backup for the messages; the restore can then be undone.
    pub fn restore(
        &self,
        verified: reclamations_core::backup::Verified,
        restored: String,
    ) -> reclamations_core::Result<LastRestore> {
        use reclamations_core::backup;
        let mut guard = self.conn();
        let (data_dir, layout) = (self.data_dir(), self.layout());
        let replaced = backup::register_state(&guard)?;
        backup::create(&guard, &data_dir, &layout.backups(), "avant-restauration", |_, _| {})?;
        let swapped = self.with_closed(&mut guard, &layout, || backup::swap_in(verified, &data_dir))?;
        let done = LastRestore { restored, replaced_kept_in: swapped, replaced };
        *self.restore_slot() = Some(done.clone());
        Ok(done)
    }

    /// The restore « Annuler la restauration » would undo, if any.
    pub fn restore_to_undo(&self) -> Option<LastRestore> {
        self.restore_slot().clone()
    }

    /// Puts back the register the last restore replaced; the restored one is kept aside in a
    /// `remplacees-…` folder. Returns the restore undone and where the restored register is now.
    pub fn undo_restore(&self) -> reclamations_core::Result<(LastRestore, PathBuf)> {
        // The connection first, then the slot: the order `restore` takes them in.
        let mut guard = self.conn();
        let mut slot = self.restore_slot();
        let Some(last) = slot.clone() else {
            return Err(Error::refused("Aucune restauration à annuler depuis le démarrage de l’application."));
        };
        let (data_dir, layout) = (self.data_dir(), self.layout());
        let kept = &last.replaced_kept_in;
        let aside = self.with_closed(&mut guard, &layout, || reclamations_core::backup::undo_swap(kept, &data_dir))?;
        *slot = None;
        Ok((last, aside))
    }

    fn restore_slot(&self) -> MutexGuard<'_, Option<LastRestore>> {
        self.last_restore.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `swap` with the database closed (nothing may write while its files are replaced),
    /// then reopens whatever is in place: the new data, or the current data if the swap failed.
    fn with_closed<T>(
        &self,
        guard: &mut MutexGuard<'_, Connection>,
        layout: &DataDir,
        swap: impl FnOnce() -> reclamations_core::Result<T>,
    ) -> reclamations_core::Result<T> {
        let closed = std::mem::replace(&mut **guard, Connection::open_in_memory()?);
        drop(closed);
        let swapped = swap();
        **guard = db::open(&layout.database())?;
        swapped
    }

    /// The connection; a panic in another command cannot make it unusable.
    pub fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What a command that changes the register starts with: « today », the connection, and
    /// the name of the person signing (refused if nobody active is chosen).
    pub fn begin(&self, staff_id: Option<i64>) -> reclamations_core::Result<Signed<'_>> {
        let today = self.today();
        let conn = self.conn();
        let author = reclamations_core::store::staff::author(&conn, staff_id)?;
        Ok(Signed { today, conn, author })
    }
}

/// See [`AppState::begin`].
pub struct Signed<'a> {
    pub today: NaiveDate,
    pub conn: MutexGuard<'a, Connection>,
    pub author: String,
}

/// Takes the data dir's lock, or explains that Réclamations is already open on it (two
/// writers on one register must never happen). The lock goes with the process, even on a crash.
fn lock_data_dir(layout: &DataDir) -> Result<std::fs::File, String> {
    let dir = layout.root();
    let file =
        std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(layout.lock()).map_err(|e| {
            format!(
                "Réclamations ne peut pas verrouiller son dossier de données ({}) :\n{}",
                io_reason(&e),
                dir.display()
            )
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "Réclamations est déjà ouvert sur ce dossier de données :\n{}\n\nUtilisez la fenêtre déjà ouverte \
             (elle est peut-être réduite dans la barre des tâches), ou fermez-la avant de relancer l'application. \
             Deux fenêtres ne peuvent pas modifier le même registre en même temps.",
            dir.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!(
            "Réclamations ne peut pas verrouiller son dossier de données ({}) :\n{}",
            io_reason(&e),
            dir.display()
        )),
    }
}

fn open_failure(path: &Path, error: &Error) -> String {
    match error {
        Error::SchemaTooNew { .. } => error.user_message(),
        Error::Database(e) if matches!(e.sqlite_error_code(), Some(db::ErrorCode::NotADatabase)) => format!(
            "Le fichier de données est illisible ou endommagé :\n{}\n\nNe le supprimez pas. Fermez Réclamations, puis \
             restaurez la dernière sauvegarde, ou démarrez sur un autre dossier avec l'option --data-dir, et \
             contactez le support en lui transmettant ce fichier.",
            path.display()
        ),
        other => format!(
            "Réclamations ne peut pas ouvrir ses données :\n{}\n\n({other})\n\nVérifiez que le dossier est accessible \
             en écriture et que le disque n'est pas plein, puis relancez l'application.",
            path.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn startup(dir: &Path) -> Startup {
        Startup { data_dir: dir.to_path_buf(), today: NaiveDate::from_ymd_opt(2026, 3, 1) }
    }

    #[test]
    fn first_start_creates_the_folder_the_database_and_documents() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path().join("données");
        let state = AppState::open(&startup(&dir))?;
        assert!(DataDir::new(&dir).database().is_file());
        assert!(DataDir::new(&dir).documents().is_dir());
        assert_eq!(state.today(), NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("date")?);
        Ok(())
    }

    #[test]
    fn a_second_instance_on_the_same_data_dir_is_refused() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let first = AppState::open(&startup(tmp.path()))?;
        let message = AppState::open(&startup(tmp.path())).err().ok_or("should fail")?;
        assert!(message.contains("déjà ouvert sur ce dossier"), "{message}");
        drop(first);
        AppState::open(&startup(tmp.path()))?;
        Ok(())
    }

    #[test]
    fn a_command_begins_with_today_and_its_signing_author() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let state = AppState::open(&startup(tmp.path()))?;
        let seeded = reclamations_core::store::staff::list(&state.conn())?.first().map(|s| s.id);
        let signed = state.begin(seeded)?;
        assert_eq!(signed.today, state.today());
        assert_eq!(signed.author, "Secrétariat");
        drop(signed);
        assert!(matches!(state.begin(None), Err(Error::Refused { .. })), "nobody chosen");
        Ok(())
    }

    #[test]
    fn the_demonstration_switches_every_command_and_back() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let real = tmp.path().join("donnees");
        let state = AppState::open(&startup(&real))?;
        let count = |state: &AppState| -> Result<i64, Error> {
            Ok(state.conn().query_row("SELECT COUNT(*) FROM complaints", [], |r| r.get(0))?)
        };
        let made = state.open_demo()?;
        assert!(state.is_demo());
        assert_eq!(state.data_dir(), made.data_dir);
        assert_eq!(state.documents_dir(), DataDir::new(&made.data_dir).documents());
        assert_eq!(state.real_layout().root(), real.as_path());
        assert_eq!(count(&state)?, made.complaints as i64);
        assert!(matches!(state.refuse_in_demo(), Err(Error::Refused { .. })));
        // Opened again: made anew, still one demonstration.
        state.open_demo()?;
        assert!(state.is_demo());
        state.close_demo()?;
        assert!(!state.is_demo());
        assert_eq!(state.data_dir(), real);
        assert_eq!(count(&state)?, 0);
        assert!(!made.data_dir.exists(), "deleted on leaving");
        state.refuse_in_demo()?;
        state.close_demo()?;
        Ok(())
    }

    #[test]
    fn a_corrupt_file_gives_a_french_explanation() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        std::fs::write(DataDir::new(tmp.path()).database(), vec![b'x'; 4096])?;
        let message = AppState::open(&startup(tmp.path())).err().ok_or("should fail")?;
        assert!(message.contains("illisible ou endommagé"), "{message}");
        assert!(message.contains("Ne le supprimez pas"));
        Ok(())
    }

    #[test]
    fn an_unusable_folder_gives_a_french_explanation() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        // A file where the folder should be: fails even for root, unlike permissions.
        let blocker = tmp.path().join("fichier");
        std::fs::write(&blocker, "x")?;
        let message = AppState::open(&startup(&blocker.join("sous-dossier"))).err().ok_or("should fail")?;
        assert!(message.contains("ne peut pas créer son dossier de données"), "{message}");
        Ok(())
    }
}
