//! Backups: one `.tar` file holding a consistent copy of the database (SQLite's online backup
//! API, never a copy of the live file) and every document, with a manifest (versions, counts,
//! SHA-256 of each file). Restoring verifies everything before it replaces anything.
//!
//! The automatic backups go to deduplicated repositories instead ([`repo`]): one on a
//! destination off the data disk, one in `backups/depot/`. The single `.tar` file stays for
//! « Sauvegarder maintenant » (a copy to hand over).

pub mod drill;
pub mod repo;
pub mod retention;
pub mod schedule;

use crate::archive::sha256_file;
use crate::datadir::{DataDir, BACKUP_WORK_PREFIX, DATABASE, DOCUMENTS, RESTORE_WORK_PREFIX};
use crate::error::{Error, Result};
use crate::french::io_reason;
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub app_version: String,
    pub schema_version: i64,
    pub created_at: String,
    pub complaints: i64,
    pub journal_entries: i64,
    pub firms: i64,
    pub documents: i64,
    pub files: Vec<ManifestFile>,
    /// The identity of the register backed up (see [`crate::db::register_id`]); absent from
    /// backups made before registers had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register_id: Option<String>,
}

/// What a register holds, for the restore's confirmation (what will be replaced, against what
/// the backup holds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterState {
    pub complaints: i64,
    pub journal_entries: i64,
    pub firms: i64,
    pub documents: i64,
    /// When the journal last recorded something (`recorded_at`), if ever.
    pub latest_change: Option<String>,
}

/// The counts and the latest change of the open register.
pub fn register_state(conn: &Connection) -> Result<RegisterState> {
    use rusqlite::OptionalExtension;
    let latest_change =
        conn.query_row("SELECT recorded_at FROM journal ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).optional()?;
    Ok(RegisterState {
        complaints: count(conn, "complaints")?,
        journal_entries: count(conn, "journal")?,
        firms: count(conn, "firms")?,
        documents: count(conn, "documents")?,
        latest_change,
    })
}

/// A backup that cannot be restored: the current data stays as it is.
fn refuse(message: impl Into<String>) -> Error {
    Error::Restore(message.into())
}

/// A damaged archive, in French: the tar crate's own text is English.
fn damaged(name: &std::path::Display<'_>, e: &std::io::Error) -> Error {
    refuse(format!("La sauvegarde {name} est tronquée ou endommagée ({}) : elle est refusée.", io_reason(e)))
}

fn count(conn: &Connection, table: &str) -> Result<i64> {
    // Table names are our own constants, never user input.
    Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
}

/// Every file under `documents/`, as paths relative to the data dir with « / ».
pub(crate) fn document_files(data_dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![DataDir::new(data_dir).documents()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if !entry.file_name().to_string_lossy().ends_with(".tmp") {
                let relative = path.strip_prefix(data_dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                out.push(relative);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Writes a backup of `conn`'s database and of `data_dir/documents` into `target_dir`;
/// `progress(done, total)` is called per file. Returns the backup file.
pub fn create(
    conn: &Connection,
    data_dir: &Path,
    target_dir: &Path,
    label: &str,
    progress: impl FnMut(usize, usize),
) -> Result<PathBuf> {
    write_backup(conn, data_dir, target_dir, label, progress).map_err(|e| match e {
        Error::Io(io) => Error::Backup(format!(
            "La sauvegarde n'a pas pu être écrite dans {} ({}) : vérifiez que ce dossier est accessible et que le \
             disque n'est pas plein, puis réessayez. Les données ne sont pas modifiées.",
            target_dir.display(),
            io_reason(&io)
        )),
        other => other,
    })
}

fn write_backup(
    conn: &Connection,
    data_dir: &Path,
    target_dir: &Path,
    label: &str,
    mut progress: impl FnMut(usize, usize),
) -> Result<PathBuf> {
    fs::create_dir_all(target_dir)?;
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    let work = tempfile::Builder::new().prefix(BACKUP_WORK_PREFIX).tempdir_in(target_dir)?;
    let db_copy = work.path().join(DATABASE);
    {
        let mut copy = Connection::open(&db_copy)?;
        let backup = rusqlite::backup::Backup::new(conn, &mut copy)?;
        backup.run_to_completion(1024, std::time::Duration::from_millis(0), None)?;
    }
    let docs = document_files(data_dir)?;
    let total = docs.len() + 1;
    let (sha256, size) = sha256_file(&db_copy)?;
    let mut files = vec![ManifestFile { path: DATABASE.into(), size, sha256 }];
    for (i, doc) in docs.iter().enumerate() {
        let (sha256, size) = sha256_file(&data_dir.join(doc))?;
        files.push(ManifestFile { path: doc.clone(), size, sha256 });
        progress(i + 1, total);
    }
    let manifest = Manifest {
        app_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: crate::db::schema_version(),
        created_at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        complaints: count(conn, "complaints")?,
        journal_entries: count(conn, "journal")?,
        firms: count(conn, "firms")?,
        documents: count(conn, "documents")?,
        files,
        register_id: crate::db::register_id(conn)?,
    };
    let json = serde_json::to_vec_pretty(&manifest)
        .map_err(|_| Error::Backup("Le manifeste de la sauvegarde n'a pas pu être écrit : réessayez.".into()))?;
    let tar_tmp = work.path().join("sauvegarde.tar");
    {
        let mut builder = tar::Builder::new(File::create(&tar_tmp)?);
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, MANIFEST, json.as_slice())?;
        builder.append_path_with_name(&db_copy, DATABASE)?;
        for doc in &docs {
            builder.append_path_with_name(data_dir.join(doc), doc)?;
        }
        let mut file = builder.into_inner()?;
        file.flush()?;
        file.sync_all()?;
    }
    progress(total, total);
    crate::archive::place_new(target_dir, &format!("reclamations-{label}-{stamp}"), "tar", &tar_tmp)
}

fn not_a_backup(name: &std::path::Display<'_>) -> Error {
    refuse(format!(
        "La sauvegarde {name} n'a pas de manifeste lisible : ce n'est pas une sauvegarde de Réclamations, ou elle est \
         tronquée."
    ))
}

/// What a backup says it holds, read from its manifest only (the archive's first entry): for
/// the confirmation shown before a restore. [`verify`] still checks the whole file then.
pub fn inspect(backup: &Path) -> Result<Manifest> {
    let name = backup.display();
    let file =
        File::open(backup).map_err(|e| refuse(format!("La sauvegarde {name} est illisible ({}).", io_reason(&e))))?;
    let mut archive = tar::Archive::new(file);
    let mut entries = archive.entries().map_err(|e| damaged(&name, &e))?;
    let mut entry = entries.next().ok_or_else(|| not_a_backup(&name))?.map_err(|e| damaged(&name, &e))?;
    let is_manifest = entry.path().is_ok_and(|p| p.as_ref() == Path::new(MANIFEST));
    if !is_manifest || entry.size() > 64 << 20 {
        return Err(not_a_backup(&name));
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut entry, &mut bytes).map_err(|e| damaged(&name, &e))?;
    serde_json::from_slice(&bytes).map_err(|_| not_a_backup(&name))
}

/// A verified backup, unpacked in a working folder, ready to replace the data.
pub struct Verified {
    pub manifest: Manifest,
    pub dir: tempfile::TempDir,
}

/// Unpacks a backup beside the data and checks it whole: the manifest, every file's size and
/// SHA-256, no file outside it, and `PRAGMA integrity_check` on the database. Nothing of the
/// current data is touched.
pub fn verify(backup: &Path, work_parent: &Path) -> Result<Verified> {
    check_backup(backup, work_parent).map_err(|e| match e {
        Error::Io(io) => refuse(format!(
            "La sauvegarde {} n'a pas pu être vérifiée ({}) : les données actuelles sont conservées.",
            backup.display(),
            io_reason(&io)
        )),
        other => other,
    })
}

fn check_backup(backup: &Path, work_parent: &Path) -> Result<Verified> {
    let name = backup.display();
    let file =
        File::open(backup).map_err(|e| refuse(format!("La sauvegarde {name} est illisible ({}).", io_reason(&e))))?;
    fs::create_dir_all(work_parent)?;
    let dir = tempfile::Builder::new().prefix(RESTORE_WORK_PREFIX).tempdir_in(work_parent)?;
    let mut archive = tar::Archive::new(file);
    // unpack_in refuses « .. » and absolute paths: nothing can land outside `dir`.
    let entries = archive.entries().map_err(|e| damaged(&name, &e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| damaged(&name, &e))?;
        let ok = entry.unpack_in(dir.path()).map_err(|e| damaged(&name, &e))?;
        if !ok {
            return Err(refuse(format!("La sauvegarde {name} contient un chemin interdit : elle est refusée.")));
        }
    }
    let manifest: Manifest = fs::read(dir.path().join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| not_a_backup(&name))?;
    if manifest.schema_version > crate::db::schema_version() {
        return Err(refuse(
            "Cette sauvegarde vient d'une version plus récente de Réclamations : installez-la d'abord.",
        ));
    }
    for f in &manifest.files {
        let path = dir.path().join(&f.path);
        let (sha256, size) = sha256_file(&path)
            .map_err(|_| refuse(format!("Fichier manquant dans la sauvegarde : {}. Elle est refusée.", f.path)))?;
        if size != f.size || sha256 != f.sha256 {
            return Err(refuse(format!(
                "Le fichier {} de la sauvegarde ne correspond pas à son empreinte : sauvegarde altérée, refusée.",
                f.path
            )));
        }
    }
    let listed = manifest.files.len() + 1;
    let mut present = document_files(dir.path())?.len() + 1;
    if dir.path().join(DATABASE).exists() {
        present += 1;
    }
    if present != listed {
        return Err(refuse("La sauvegarde contient des fichiers absents de son manifeste : elle est refusée."));
    }
    let db = Connection::open_with_flags(dir.path().join(DATABASE), OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|_| refuse("La base de la sauvegarde est illisible : elle est refusée."))?;
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| refuse("La base de la sauvegarde est endommagée : elle est refusée."))?;
    if check != "ok" {
        return Err(refuse(format!("La base de la sauvegarde est endommagée : {check}")));
    }
    drop(db);
    Ok(Verified { manifest, dir })
}

/// Replaces the data dir's database and documents with a verified backup. The caller has
/// closed its connection and made a backup of the current data. The replaced files are kept
/// in `remplacees-<date>/` until the user deletes them (or [`undo_swap`] puts them back).
pub fn swap_in(verified: Verified, data_dir: &Path) -> Result<PathBuf> {
    swap_from(verified.dir.path(), data_dir)
}

/// Moves the data dir's database (with its `-wal` and `-shm`) and documents into a new
/// `remplacees-<date>/` folder, then `source`'s in their place. Returns the folder kept.
fn swap_from(source: &Path, data_dir: &Path) -> Result<PathBuf> {
    let layout = DataDir::new(data_dir);
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S").to_string();
    let mut kept = layout.replaced(&stamp);
    let mut n = 2;
    while kept.exists() {
        kept = layout.replaced(&format!("{stamp}-{n}"));
        n += 1;
    }
    fs::create_dir_all(&kept)?;
    let [db, wal, shm] = layout.database_files();
    for current in [db, wal, shm, layout.documents()] {
        if let (true, Some(name)) = (current.exists(), current.file_name()) {
            fs::rename(&current, kept.join(name))?;
        }
    }
    let [_, source_wal, source_shm] = DataDir::new(source).database_files();
    fs::rename(source.join(DATABASE), layout.database())?;
    for (from, to) in
        [(source_wal, layout.database_files()[1].clone()), (source_shm, layout.database_files()[2].clone())]
    {
        if from.exists() {
            fs::rename(from, to)?;
        }
    }
    let docs = source.join(DOCUMENTS);
    if docs.exists() {
        fs::rename(&docs, layout.documents())?;
    } else {
        fs::create_dir_all(layout.documents())?;
    }
    if let Ok(d) = File::open(data_dir) {
        let _ = d.sync_all();
    }
    Ok(kept)
}

/// Undoes a restore: the register restored is set aside in a new `remplacees-<date>/` folder
/// (nothing is deleted) and the one it replaced, kept in `kept`, comes back. The caller has
/// closed its connection. Returns the folder where the restored register now is.
pub fn undo_swap(kept: &Path, data_dir: &Path) -> Result<PathBuf> {
    let from_data_dir = kept.parent().is_some_and(|p| p == data_dir)
        && kept.file_name().is_some_and(|n| DataDir::is_replaced_name(&n.to_string_lossy()));
    if !from_data_dir || !kept.join(DATABASE).is_file() {
        return Err(refuse(format!(
            "Le registre remplacé n'est plus dans « {} » : la restauration ne peut pas être annulée.",
            kept.display()
        )));
    }
    let restored = swap_from(kept, data_dir)?;
    // The folder is empty now that its register is back in place.
    let _ = fs::remove_dir(kept);
    Ok(restored)
}

/// Removes what interrupted backups and restores left in the data folder: the work folders
/// `backups/.sauvegarde-…` (a daily backup stopped by quitting left 462 MB there), the
/// `.restauration-…` folders, and the local repository's `tmp/`. Called at start, before any
/// backup runs. Returns how many entries were removed.
pub fn cleanup_local(data_dir: &Path) -> Result<usize> {
    let layout = DataDir::new(data_dir);
    let mut removed = 0;
    for (dir, prefix) in [(layout.backups(), BACKUP_WORK_PREFIX), (data_dir.to_path_buf(), RESTORE_WORK_PREFIX)] {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            if !entry.file_name().to_string_lossy().starts_with(prefix) {
                continue;
            }
            let path = entry.path();
            let gone = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
            if gone.is_ok() {
                removed += 1;
            }
        }
    }
    Ok(removed + repo::cleanup_local_repo(data_dir)?)
}

/// The automatic daily backup: made once a day into `backups/`, keeping the `keep` newest.
/// Returns the file made, or `None` if today's exists already.
pub fn daily(conn: &Connection, data_dir: &Path, today: chrono::NaiveDate, keep: usize) -> Result<Option<PathBuf>> {
    let dir = DataDir::new(data_dir).backups();
    let prefix = format!("reclamations-quotidienne-{today}");
    let mut existing: Vec<PathBuf> =
        fs::read_dir(&dir).map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
    if existing.iter().any(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&prefix))) {
        return Ok(None);
    }
    let made = create(conn, data_dir, &dir, &format!("quotidienne-{today}"), |_, _| {})?;
    existing.push(made.clone());
    let mut daily: Vec<PathBuf> = existing
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("reclamations-quotidienne-")))
        .collect();
    daily.sort();
    while daily.len() > keep.max(1) {
        let oldest = daily.remove(0);
        let _ = fs::remove_file(oldest);
    }
    Ok(Some(made))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::complaints::{self, tests::sample_complaint};

    fn day() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
    }

    fn data_dir_with_a_complaint(root: &Path) -> Result<(PathBuf, Connection)> {
        let data = root.join("data");
        fs::create_dir_all(data.join("documents/Q00001-x/REC-2026-0001"))?;
        fs::write(data.join("documents/Q00001-x/REC-2026-0001/lettre.pdf"), b"%PDF lettre")?;
        let mut conn = crate::db::open(&data.join(DATABASE))?;
        complaints::register(&mut conn, &sample_complaint(), day(), "S")?;
        Ok((data, conn))
    }

    #[test]
    fn a_backup_round_trips_and_counts_what_it_holds() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let (data, conn) = data_dir_with_a_complaint(tmp.path())?;
        let mut calls = 0;
        let file = create(&conn, &data, &tmp.path().join("usb"), "manuelle", |_, _| calls += 1)?;
        assert!(calls >= 2);
        let v = verify(&file, &tmp.path().join("work"))?;
        assert_eq!((v.manifest.complaints, v.manifest.journal_entries, v.manifest.files.len()), (1, 1, 2));
        // Restore into another data dir.
        let other = tmp.path().join("other");
        fs::create_dir_all(&other)?;
        let kept = swap_in(v, &other)?;
        assert!(kept.exists());
        let restored = crate::db::open(&other.join(DATABASE))?;
        assert_eq!(count(&restored, "complaints")?, 1);
        assert_eq!(crate::store::journal::first_broken(&restored, 1)?, None);
        assert_eq!(fs::read(other.join("documents/Q00001-x/REC-2026-0001/lettre.pdf"))?, b"%PDF lettre");
        Ok(())
    }

    #[test]
    fn a_truncated_or_altered_backup_is_refused() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let (data, conn) = data_dir_with_a_complaint(tmp.path())?;
        let file = create(&conn, &data, &tmp.path().join("usb"), "manuelle", |_, _| {})?;
        let bytes = fs::read(&file)?;
        let truncated = tmp.path().join("tronquee.tar");
        fs::write(&truncated, &bytes[..bytes.len() / 2])?;
        let e = verify(&truncated, &tmp.path().join("work")).err().map(|e| e.user_message()).unwrap_or_default();
        assert!(e.contains("tronquée") && !e.contains("error"), "{e}");
        // Flip one byte of the letter inside the archive.
        let mut altered = bytes.clone();
        if let Some(pos) = altered.windows(11).position(|w| w == b"%PDF lettre") {
            altered[pos + 1] = b'X';
        }
        let path = tmp.path().join("alteree.tar");
        fs::write(&path, &altered)?;
        match verify(&path, &tmp.path().join("work")) {
            Err(Error::Restore(message)) => assert!(message.contains("empreinte"), "{message}"),
            other => panic!("{:?}", other.map(|v| v.manifest)),
        }
        let not_a_backup = tmp.path().join("texte.tar");
        fs::write(&not_a_backup, b"pas une sauvegarde")?;
        assert!(verify(&not_a_backup, &tmp.path().join("work")).is_err());
        // The data dir was never touched.
        assert_eq!(fs::read(data.join("documents/Q00001-x/REC-2026-0001/lettre.pdf"))?, b"%PDF lettre");
        Ok(())
    }

    #[test]
    fn daily_backups_are_made_once_a_day_and_rotated() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let (data, conn) = data_dir_with_a_complaint(tmp.path())?;
        for d in 1..=5 {
            let date = chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
            assert!(daily(&conn, &data, date, 3)?.is_some());
            assert!(daily(&conn, &data, date, 3)?.is_none(), "once a day");
        }
        let mut names: Vec<String> = fs::read_dir(DataDir::new(&data).backups())?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names.len(), 3);
        assert!(names[0].starts_with("reclamations-quotidienne-2026-11-03"), "{names:?}");
        Ok(())
    }

    /// Every file under `dir` with its bytes: two folders with the same listing are the same.
    fn files_of(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d)? {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let name = path.strip_prefix(dir).unwrap_or(&path).display().to_string();
                    out.push((name, fs::read(&path)?));
                }
            }
        }
        out.sort();
        Ok(out)
    }

    #[test]
    fn a_restore_is_undone_byte_for_byte() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let (data, mut conn) = data_dir_with_a_complaint(tmp.path())?;
        let file = create(&conn, &data, &tmp.path().join("usb"), "manuelle", |_, _| {})?;
        // The register moves on after the backup: a second complaint and a document.
        let mut second = sample_complaint();
        (second.new_firm, second.firm_id) = (None, Some(1));
        complaints::register(&mut conn, &second, day(), "S")?;
        fs::write(data.join("documents/Q00001-x/REC-2026-0001/reponse.pdf"), b"%PDF reponse")?;
        let current = register_state(&conn)?;
        assert_eq!((current.complaints, current.journal_entries), (2, 2));
        assert!(current.latest_change.is_some());
        let inspected = inspect(&file)?;
        assert_eq!((inspected.complaints, inspected.register_id.clone()), (1, crate::db::register_id(&conn)?));
        // Closed (the WAL checkpointed into the file), as the app does before a swap.
        drop(conn);
        let before = files_of(&data)?;

        let verified = verify(&file, &data)?;
        let kept = swap_in(verified, &data)?;
        let restored = crate::db::open(&data.join(DATABASE))?;
        assert_eq!(register_state(&restored)?.complaints, 1);
        drop(restored);

        let set_aside = undo_swap(&kept, &data)?;
        assert!(!kept.exists(), "the kept folder is emptied into place and removed");
        assert!(set_aside.join(DATABASE).is_file(), "the restored register is kept, not deleted");
        let after: Vec<_> = files_of(&data)?
            .into_iter()
            .filter(|(name, _)| !name.starts_with(crate::datadir::REPLACED_PREFIX))
            .collect();
        assert_eq!(after, before, "database and documents as they were, byte for byte");
        let back = crate::db::open(&data.join(DATABASE))?;
        assert_eq!(register_state(&back)?, current);

        // Only a folder of the data dir that holds a register can be swapped back.
        let outside = tmp.path().join("remplacees-ailleurs");
        fs::create_dir_all(&outside)?;
        assert!(matches!(undo_swap(&outside, &data), Err(Error::Restore(_))));
        assert!(matches!(undo_swap(&kept, &data), Err(Error::Restore(_))), "already undone");
        let not_a_backup = tmp.path().join("texte.tar");
        fs::write(&not_a_backup, b"pas une sauvegarde")?;
        assert!(inspect(&not_a_backup).is_err());
        Ok(())
    }
}
