//! The backup repository (« dépôt »): incremental, deduplicated snapshots of the data folder on a
//! destination off the data disk (USB drive, network share, second disk), and the local second
//! line in `backups/depot/`. The format is described in `docs/BACKUP-FORMAT.md`:
//!
//! ```text
//! Reclamations-sauvegardes/
//!   depot.json                 marker: format name and version
//!   objects/ab/<sha256>        one document, stored once, named by the SHA-256 of its content
//!   objects/cd/<sha256>.zst    one piece of a database snapshot (cut where its content says,
//!                              32 to 512 KiB), zstd, named by the SHA-256 of the
//!                              uncompressed piece (`.gz`: a 1 MiB gzip piece of format 1)
//!   snapshots/<id>.json        what one snapshot holds; written LAST (temp name, fsync, rename)
//!   tmp/<run>/                 work files of a run; removed by `cleanup`
//! ```
//! A snapshot exists only once its manifest exists; everything a manifest names was synced
//! before the manifest got its name.

use super::{Manifest, ManifestFile, Verified};
use crate::datadir::{DataDir, BACKUP_WORK_PREFIX, DATABASE, DOCUMENTS, RESTORE_WORK_PREFIX};
use crate::error::{Error, Result};
use crate::french::io_reason;
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use super::retention::{select as select_kept, Tiers};

/// The folder made inside the chosen destination.
pub const REPO_DIR: &str = "Reclamations-sauvegardes";
/// The local repository, inside the data folder's `backups/`.
pub const LOCAL_REPO: &str = "depot";
const MARKER: &str = "depot.json";
const OBJECTS: &str = "objects";
const SNAPSHOTS: &str = "snapshots";
const TMP: &str = "tmp";
/// The format written by this build.
pub const FORMAT_VERSION: u32 = 2;
const FORMAT_NAME: &str = "reclamations-depot";
/// The database snapshot is cut where its content says (FastCDC 2020), in pieces of
/// `DB_CHUNK_MIN` to `DB_CHUNK_MAX` bytes, about `DB_CHUNK_AVG`: a row inserted or grown moves
/// the cuts of its own piece only. A day's changes touch pages all over the file (indexes), so
/// small pieces write less: on the 100 000-complaint database, 32/128/512 KiB wrote 2.8 MB
/// (zstd) for a day, 256 KiB/1 MiB/4 MiB 17.4 MB, fixed 1 MiB pieces 9.1 MB
/// (docs/PERFORMANCE.md).
pub const DB_CHUNK_MIN: u32 = 32 * 1024;
pub const DB_CHUNK_AVG: u32 = 128 * 1024;
pub const DB_CHUNK_MAX: u32 = 512 * 1024;
/// zstd level of the database pieces: level 3 compresses a register about as well as gzip -6,
/// several times faster.
const ZSTD_LEVEL: i32 = 3;
/// Threads hashing and compressing (the machines this runs on have two cores or more).
const WORKERS: usize = 2;

/// One run at a time per process: a prune never sweeps the objects of a snapshot being written.
static RUN: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> MutexGuard<'static, ()> {
    RUN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The repository a destination holds: the destination itself if it is one (the local
/// `backups/depot/`, or a `Reclamations-sauvegardes` folder chosen directly), else the
/// `Reclamations-sauvegardes` folder inside it.
pub fn repo_root(dest: &Path) -> PathBuf {
    if dest.join(MARKER).is_file() {
        dest.to_path_buf()
    } else {
        dest.join(REPO_DIR)
    }
}

/// The local repository of a data folder (`backups/depot/`).
pub fn local_repo(data_dir: &Path) -> PathBuf {
    DataDir::new(data_dir).backups().join(LOCAL_REPO)
}

// ---------------------------------------------------------------------------------------------
// Manifests

/// One document in a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotFile {
    /// Relative to the data folder, with « / » (`documents/…`).
    pub path: String,
    pub sha256: String,
    pub size: u64,
    /// Modification time (nanoseconds since 1970) when it was read: the next snapshot trusts
    /// the hash of a file whose size and time did not change.
    #[serde(default)]
    pub mtime: i64,
}

/// How a database piece is compressed; its object's name ends with [`Codec::ext`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Codec {
    /// Format 1 (fixed 1 MiB pieces): manifests without a codec are gzip.
    #[default]
    Gzip,
    /// Format 2.
    Zstd,
}

impl Codec {
    pub fn ext(self) -> &'static str {
        match self {
            Codec::Gzip => "gz",
            Codec::Zstd => "zst",
        }
    }
}

/// One piece of the database snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    /// SHA-256 of the uncompressed piece; the object is `objects/<2>/<sha256>.<codec ext>`.
    pub sha256: String,
    pub size: u64,
    #[serde(default)]
    pub codec: Codec,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseEntry {
    /// SHA-256 and size of the whole database file (the pieces end to end).
    pub sha256: String,
    pub size: u64,
    pub chunks: Vec<Chunk>,
}

/// `snapshots/<id>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotManifest {
    pub format: u32,
    pub id: String,
    /// Local time, `YYYY-MM-DDTHH:MM:SS`.
    pub created_at: String,
    pub app_version: String,
    pub schema_version: i64,
    pub complaints: i64,
    pub journal_entries: i64,
    pub firms: i64,
    pub documents: i64,
    pub database: DatabaseEntry,
    pub files: Vec<SnapshotFile>,
    /// The identity of the register snapshotted ([`crate::db::register_id`]); absent from
    /// snapshots made before registers had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register_id: Option<String>,
}

impl SnapshotManifest {
    /// The same contents as a `.tar` backup's manifest (the database first, then each document):
    /// what a restore hands to [`super::swap_in`] and the confirmation shows.
    fn into_backup_manifest(self) -> Manifest {
        let database = ManifestFile { path: DATABASE.into(), size: self.database.size, sha256: self.database.sha256 };
        let files = std::iter::once(database)
            .chain(self.files.into_iter().map(|f| ManifestFile { path: f.path, size: f.size, sha256: f.sha256 }))
            .collect();
        Manifest {
            app_version: self.app_version,
            schema_version: self.schema_version,
            created_at: self.created_at,
            complaints: self.complaints,
            journal_entries: self.journal_entries,
            firms: self.firms,
            documents: self.documents,
            files,
            register_id: self.register_id,
        }
    }

    fn info(&self) -> SnapshotInfo {
        SnapshotInfo {
            id: self.id.clone(),
            created_at: self.created_at.clone(),
            complaints: self.complaints,
            journal_entries: self.journal_entries,
            firms: self.firms,
            documents: self.documents,
            files: self.files.len(),
            bytes: self.database.size + self.files.iter().map(|f| f.size).sum::<u64>(),
        }
    }

    fn created(&self) -> Option<chrono::NaiveDateTime> {
        chrono::NaiveDateTime::parse_from_str(&self.created_at, "%Y-%m-%dT%H:%M:%S").ok()
    }

    /// Every object this snapshot needs, as names relative to `objects/`.
    fn objects(&self) -> impl Iterator<Item = String> + '_ {
        let chunks = self.database.chunks.iter().map(|c| object_name(&c.sha256, Some(c.codec)));
        chunks.chain(self.files.iter().map(|f| object_name(&f.sha256, None)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    pub id: String,
    pub created_at: String,
    pub complaints: i64,
    #[serde(default)]
    pub journal_entries: i64,
    #[serde(default)]
    pub firms: i64,
    pub documents: i64,
    /// Documents' files in the snapshot (the database not counted).
    pub files: usize,
    /// What the snapshot restores: database plus documents, uncompressed.
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotReport {
    pub info: SnapshotInfo,
    /// Objects written by this snapshot (documents and database pieces).
    pub new_objects: usize,
    /// Bytes written to the destination: new objects (compressed) and the manifest.
    pub bytes_written: u64,
    /// Objects already in the repository, not written again.
    pub reused_objects: usize,
    /// The database was read from its own file in one pass ([`read_in_place`]), not first
    /// copied through SQLite's online backup.
    pub read_in_place: bool,
}

fn is_sha(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `ab/<sha>` (a document) or `ab/<sha>.zst` (a database piece, `.gz` in format 1). Callers
/// check `is_sha` on manifest data first.
fn object_name(sha: &str, codec: Option<Codec>) -> String {
    let prefix = sha.get(..2).unwrap_or("00");
    match codec {
        Some(codec) => format!("{prefix}/{sha}.{}", codec.ext()),
        None => format!("{prefix}/{sha}"),
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    // Directories cannot be opened for sync on Windows; there, rename is durable enough.
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// A snapshot id is ours only: digits, letters and « - ». Anything else is refused before it
/// becomes a path.
fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() < 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn read_manifest(path: &Path) -> Option<SnapshotManifest> {
    let bytes = fs::read(path).ok()?;
    let m: SnapshotManifest = serde_json::from_slice(&bytes).ok()?;
    let sane = valid_id(&m.id)
        && m.database.chunks.iter().all(|c| is_sha(&c.sha256))
        && m.files.iter().all(|f| is_sha(&f.sha256) && safe_document_path(&f.path).is_some());
    let named = path.file_stem().is_some_and(|s| s.to_string_lossy() == m.id);
    (sane && named && m.format <= FORMAT_VERSION).then_some(m)
}

/// Manifests in `snapshots/`: the readable ones, and how many could not be read.
fn manifests(root: &Path) -> Result<(Vec<SnapshotManifest>, usize)> {
    let dir = root.join(SNAPSHOTS);
    let Ok(entries) = fs::read_dir(&dir) else { return Ok((Vec::new(), 0)) };
    let mut out = Vec::new();
    let mut unreadable = 0;
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        match read_manifest(&path) {
            Some(m) => out.push(m),
            None => unreadable += 1,
        }
    }
    out.sort_by(|a, b| (&b.created_at, &b.id).cmp(&(&a.created_at, &a.id)));
    Ok((out, unreadable))
}

/// A document's path from a manifest, checked: relative, under `documents/`, no « .. ».
fn safe_document_path(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let mut components = p.components();
    if components.next() != Some(Component::Normal(DOCUMENTS.as_ref())) {
        return None;
    }
    if !p.components().all(|c| matches!(c, Component::Normal(_))) || p.components().count() < 2 {
        return None;
    }
    Some(p.to_path_buf())
}

/// The snapshots a destination holds, complete ones only, newest first.
pub fn list(dest: &Path) -> Result<Vec<SnapshotInfo>> {
    Ok(manifests(&repo_root(dest))?.0.iter().map(SnapshotManifest::info).collect())
}

pub fn missing_destination(dest: &Path) -> Error {
    Error::refused(format!(
        "La destination de sauvegarde « {} » est introuvable : branchez le disque ou choisissez-en une autre dans \
         Paramètres. La sauvegarde sera retentée au prochain démarrage ; les données ne sont pas modifiées.",
        dest.display()
    ))
}

// ---------------------------------------------------------------------------------------------
// Snapshot

/// Objects present in the repository: name relative to `objects/` → size on disk.
fn present_objects(root: &Path) -> Result<HashMap<String, u64>> {
    let mut out = HashMap::new();
    let Ok(prefixes) = fs::read_dir(root.join(OBJECTS)) else { return Ok(out) };
    for prefix in prefixes {
        let prefix = prefix?;
        if !prefix.file_type()?.is_dir() {
            continue;
        }
        let p = prefix.file_name().to_string_lossy().into_owned();
        for object in fs::read_dir(prefix.path())? {
            let object = object?;
            let size = object.metadata()?.len();
            out.insert(format!("{p}/{}", object.file_name().to_string_lossy()), size);
        }
    }
    Ok(out)
}

/// Every file under `documents/`, relative to the data folder with « / » (as in a `.tar`).
fn document_files(data_dir: &Path) -> Result<Vec<String>> {
    super::document_files(data_dir)
}

fn mtime_nanos(meta: &fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A run's writer: new objects go to `tmp/<run>/`, are synced, then renamed into `objects/`.
struct Writer<'a> {
    root: &'a Path,
    work: tempfile::TempDir,
    present: HashMap<String, u64>,
    touched: BTreeSet<String>,
    /// New objects written in the work folder, not yet synced nor named: (work file, name).
    pending: Vec<(PathBuf, String)>,
    new_objects: usize,
    reused: usize,
    bytes_written: u64,
}

impl<'a> Writer<'a> {
    fn new(root: &'a Path) -> Result<Self> {
        // create_dir, not create_dir_all: a repository whose destination vanished is not
        // silently recreated somewhere else.
        for sub in [OBJECTS, SNAPSHOTS, TMP] {
            create_dir(&root.join(sub))?;
        }
        let work = tempfile::Builder::new().prefix("run-").tempdir_in(root.join(TMP))?;
        let present = present_objects(root)?;
        Ok(Writer {
            root,
            work,
            present,
            touched: BTreeSet::new(),
            pending: Vec::new(),
            new_objects: 0,
            reused: 0,
            bytes_written: 0,
        })
    }

    fn has(&self, name: &str, size: Option<u64>) -> bool {
        match (self.present.get(name), size) {
            (Some(&on_disk), Some(expected)) => on_disk == expected,
            (Some(&on_disk), None) => on_disk > 0,
            (None, _) => false,
        }
    }

    /// Keeps a work file for its object name (or drops it if the object exists). It gets
    /// the name in [`Writer::commit`], once synced.
    fn place(&mut self, tmp: &Path, name: &str, stored: u64) -> Result<()> {
        if self.present.contains_key(name) {
            fs::remove_file(tmp)?;
            self.reused += 1;
            return Ok(());
        }
        self.pending.push((tmp.to_path_buf(), name.to_owned()));
        self.present.insert(name.to_owned(), stored);
        self.new_objects += 1;
        self.bytes_written += stored;
        Ok(())
    }

    /// Stores the documents not known from the previous snapshot: copied (and hashed while
    /// copied) into the work folder by [`WORKERS`] threads, then kept unless the repository
    /// already holds them. `jobs` are (index, path); `done(index, sha, size)` is called in order
    /// of completion.
    fn documents(&mut self, jobs: &[(usize, PathBuf)], mut done: impl FnMut(usize, String, u64)) -> Result<()> {
        let work = self.work.path().to_path_buf();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let (tx, rx) = std::sync::mpsc::channel::<std::io::Result<(usize, PathBuf, String, u64)>>();
        let mut first_error = None;
        std::thread::scope(|scope| {
            for _ in 0..WORKERS.min(jobs.len()) {
                let tx = tx.clone();
                let (next, work) = (&next, &work);
                scope.spawn(move || loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((i, path)) = jobs.get(k) else { break };
                    let tmp = work.join(format!("doc-{i}.part"));
                    let copied = copy_hashing(path, &tmp).map(|(sha, size)| (*i, tmp, sha, size));
                    let failed = copied.is_err();
                    if tx.send(copied).is_err() || failed {
                        // Stop the others too.
                        next.store(usize::MAX / 2, std::sync::atomic::Ordering::Relaxed);
                        break;
                    }
                });
            }
            drop(tx);
            for result in rx {
                match result {
                    Ok((i, tmp, sha, size)) => {
                        let name = object_name(&sha, None);
                        let placed = if self.has(&name, Some(size)) {
                            self.reused += 1;
                            fs::remove_file(&tmp)
                        } else {
                            // An object of the wrong size (a damaged earlier copy) is replaced.
                            self.present.remove(&name);
                            self.place(&tmp, &name, size).map_err(|e| match e {
                                Error::Io(io) => io,
                                other => std::io::Error::other(other.to_string()),
                            })
                        };
                        if let Err(e) = placed {
                            first_error.get_or_insert(e);
                            next.store(usize::MAX / 2, std::sync::atomic::Ordering::Relaxed);
                        }
                        done(i, sha, size);
                    }
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
        });
        match first_error {
            Some(e) => Err(e.into()),
            None => Ok(()),
        }
    }

    /// Stores a database image in content-defined pieces, zstd-compressed. The image is read
    /// and cut here; [`WORKERS`] threads hash each piece and compress the pieces the repository
    /// lacks, while one more hashes the whole image, so that the reading thread only reads and
    /// cuts (it was the slowest of the three when it hashed the whole too).
    fn database(&mut self, image: impl Read) -> Result<DatabaseEntry> {
        let cuts = fastcdc::v2020::StreamCDC::new(image, DB_CHUNK_MIN, DB_CHUNK_AVG, DB_CHUNK_MAX);
        let work = self.work.path().to_path_buf();
        let present = &self.present;
        let mut size = 0u64;
        // (index, sha, size, Some((work file, stored size)) when written)
        type Done = (usize, String, u64, Option<(PathBuf, u64)>);
        let (to_workers, jobs) = std::sync::mpsc::sync_channel::<(usize, std::sync::Arc<Vec<u8>>)>(2 * WORKERS);
        let (to_whole, pieces) = std::sync::mpsc::sync_channel::<std::sync::Arc<Vec<u8>>>(4 * WORKERS);
        let jobs = Mutex::new(jobs);
        let (tx, results) = std::sync::mpsc::channel::<std::io::Result<Done>>();
        let (read, whole): (std::io::Result<()>, Option<String>) = std::thread::scope(|scope| {
            let whole = scope.spawn(move || {
                let mut whole = Sha256::new();
                for piece in pieces {
                    whole.update(piece.as_slice());
                }
                hex::encode(whole.finalize())
            });
            for _ in 0..WORKERS {
                let tx = tx.clone();
                let (jobs, work) = (&jobs, &work);
                scope.spawn(move || {
                    let mut zstd = zstd::bulk::Compressor::new(ZSTD_LEVEL);
                    loop {
                        let job = jobs.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        let Ok((i, piece)) = job else { break };
                        let sha = hex::encode(Sha256::digest(piece.as_slice()));
                        let name = object_name(&sha, Some(Codec::Zstd));
                        let written = if present.get(&name).is_some_and(|&s| s > 0) {
                            Ok(None)
                        } else {
                            let tmp = work.join(format!("db-{i}.part"));
                            zstd.as_mut()
                                .map_err(|e| std::io::Error::other(e.to_string()))
                                .and_then(|z| z.compress(&piece))
                                .and_then(|packed| fs::write(&tmp, &packed).map(|()| Some((tmp, packed.len() as u64))))
                        };
                        if tx.send(written.map(|w| (i, sha, piece.len() as u64, w))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let cut_all = || -> std::io::Result<()> {
                for (i, cut) in cuts.enumerate() {
                    let cut = cut.map_err(|e| match e {
                        fastcdc::v2020::Error::IoError(io) => io,
                        other => std::io::Error::other(other.to_string()),
                    })?;
                    size += cut.data.len() as u64;
                    let piece = std::sync::Arc::new(cut.data);
                    if to_whole.send(piece.clone()).is_err() || to_workers.send((i, piece)).is_err() {
                        break;
                    }
                }
                Ok(())
            };
            let read = cut_all();
            // The workers and the whole's hasher stop once every piece is taken.
            drop(to_workers);
            drop(to_whole);
            (read, whole.join().ok())
        });
        let mut done: Vec<Done> = results.into_iter().collect::<std::io::Result<_>>()?;
        read?;
        done.sort_by_key(|d| d.0);
        let mut chunks = Vec::with_capacity(done.len());
        for (_, sha, n, written) in done {
            let name = object_name(&sha, Some(Codec::Zstd));
            match written {
                // The same piece twice in one file: written once.
                Some((tmp, stored)) => self.place(&tmp, &name, stored)?,
                None => self.reused += 1,
            }
            chunks.push(Chunk { sha256: sha, size: n, codec: Codec::Zstd });
        }
        let sha256 = whole.ok_or_else(|| Error::Backup("La sauvegarde s'est interrompue : réessayez.".into()))?;
        Ok(DatabaseEntry { sha256, size, chunks })
    }

    /// Syncs the new objects (one file-system sync, not one per file: 1 500 fsyncs took
    /// 100 s on a first snapshot), names them, syncs the object folders, then writes the
    /// manifest last: the snapshot now exists.
    fn commit(&mut self, manifest: &SnapshotManifest) -> Result<()> {
        let files: Vec<PathBuf> = self.pending.iter().map(|(tmp, _)| tmp.clone()).collect();
        sync_files(self.work.path(), &files)?;
        for (tmp, name) in std::mem::take(&mut self.pending) {
            let (prefix, file) = name.split_once('/').unwrap_or(("00", name.as_str()));
            let dir = self.root.join(OBJECTS).join(prefix);
            create_dir(&dir)?;
            fs::rename(&tmp, dir.join(file))?;
            self.touched.insert(prefix.to_owned());
        }
        for prefix in &self.touched {
            sync_dir(&self.root.join(OBJECTS).join(prefix))?;
        }
        sync_dir(&self.root.join(OBJECTS))?;
        // Compact: with 3 600 database pieces, the indented form was 0.75 MB a snapshot.
        let json = serde_json::to_vec(manifest)
            .map_err(|_| Error::Backup("Le manifeste de la sauvegarde n'a pas pu être écrit : réessayez.".into()))?;
        let tmp = self.work.path().join(format!("{}.json", manifest.id));
        {
            let mut f = File::create(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()?;
        }
        let target = self.root.join(SNAPSHOTS).join(format!("{}.json", manifest.id));
        if target.exists() {
            return Err(Error::Backup("Une sauvegarde du même nom existe déjà : réessayez dans une seconde.".into()));
        }
        fs::rename(&tmp, &target)?;
        sync_dir(&self.root.join(SNAPSHOTS))?;
        self.bytes_written += json.len() as u64;
        Ok(())
    }
}

/// Makes `files` (all in `dir`'s file system) durable: one `syncfs` on Linux, else one
/// sync per file.
fn sync_files(dir: &Path, files: &[PathBuf]) -> std::io::Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    #[cfg(target_os = "linux")]
    {
        let _ = files;
        rustix::fs::syncfs(File::open(dir)?)?;
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        for f in files {
            File::options().write(true).open(f)?.sync_all()?;
        }
    }
    Ok(())
}

fn create_dir(dir: &Path) -> std::io::Result<()> {
    match fs::create_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        other => other,
    }
}

fn write_marker(root: &Path) -> Result<()> {
    let marker = root.join(MARKER);
    // A format 1 repository gets the version of the objects now written into it (format 1
    // objects stay readable; older builds ignore the format 2 snapshots).
    let version = fs::read(&marker)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("version").and_then(serde_json::Value::as_u64));
    if version.is_some_and(|v| v >= u64::from(FORMAT_VERSION)) {
        return Ok(());
    }
    let json = serde_json::json!({ "format": FORMAT_NAME, "version": FORMAT_VERSION, "doc": "docs/BACKUP-FORMAT.md" });
    let tmp = root.join(format!(".{MARKER}.tmp"));
    {
        let mut f = File::create(&tmp)?;
        f.write_all(json.to_string().as_bytes())?;
        f.sync_all()?;
    }
    fs::rename(tmp, marker)?;
    Ok(())
}

fn count(conn: &Connection, table: &str) -> Result<i64> {
    // Table names are our own constants, never user input.
    Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
}

/// Makes a snapshot of `conn`'s database and of `data_dir/documents` into the repository at
/// `dest`. Only what the repository lacks is written. `progress(done, total)` is called per
/// file. Fails in French if the destination is missing or vanishes: no manifest is written
/// then, so nothing looks complete.
pub fn snapshot(
    conn: &Connection,
    data_dir: &Path,
    dest: &Path,
    now: chrono::NaiveDateTime,
    progress: impl FnMut(usize, usize),
) -> Result<SnapshotReport> {
    if !dest.is_dir() {
        return Err(missing_destination(dest));
    }
    let root = repo_root(dest);
    let _run = one_at_a_time();
    if let Some(foreign) = foreign_set(&root, &Ours::of(conn)?)? {
        return Err(Error::refused(foreign.refusal(dest)));
    }
    snapshot_in(conn, data_dir, &root, now, progress).map_err(|e| explain(e, dest, &root))
}

/// A failure of the local repository (`backups/depot/`), which is created when missing.
pub(crate) fn snapshot_local(conn: &Connection, data_dir: &Path, now: chrono::NaiveDateTime) -> Result<SnapshotReport> {
    let root = local_repo(data_dir);
    let _run = one_at_a_time();
    take_local_repo(data_dir, &Ours::of(conn)?)?;
    fs::create_dir_all(&root)?;
    snapshot_in(conn, data_dir, &root, now, |_, _| {}).map_err(|e| explain(e, &root, &root))
}

fn explain(e: Error, dest: &Path, root: &Path) -> Error {
    match e {
        Error::Io(_) | Error::Database(_) if !root.is_dir() => Error::Backup(format!(
            "La destination de sauvegarde « {} » a disparu pendant la sauvegarde (disque débranché ?) : cette \
                 sauvegarde est abandonnée et rien d'incomplet n'est gardé. Rebranchez le disque : la prochaine \
                 sauvegarde sera complète. Les données ne sont pas modifiées.",
            dest.display()
        )),
        Error::Io(io) => Error::Backup(format!(
            "La sauvegarde n'a pas pu être écrite dans « {} » ({}) : vérifiez que ce dossier est accessible et que \
             le disque n'est pas plein, puis réessayez. Les données ne sont pas modifiées.",
            dest.display(),
            io_reason(&io)
        )),
        other => other,
    }
}

fn snapshot_in(
    conn: &Connection,
    data_dir: &Path,
    root: &Path,
    now: chrono::NaiveDateTime,
    mut progress: impl FnMut(usize, usize),
) -> Result<SnapshotReport> {
    create_dir(root)?;
    write_marker(root)?;
    let (previous, _) = manifests(root)?;
    let known: HashMap<&str, &SnapshotFile> =
        previous.first().map(|m| m.files.iter().map(|f| (f.path.as_str(), f)).collect()).unwrap_or_default();
    let mut w = Writer::new(root)?;

    let docs = document_files(data_dir)?;
    let total = docs.len() + 1;
    let (database, counts, read_in_place) = match read_in_place(conn, &mut w)? {
        Some((database, counts)) => (database, counts, true),
        None => {
            let (database, counts) = copied_then_read(conn, data_dir, &mut w)?;
            (database, counts, false)
        }
    };
    progress(1, total);

    // Documents unchanged since the previous snapshot (same size and time, object present)
    // are taken from its manifest; the others are copied and hashed on both cores.
    let mut files = Vec::with_capacity(docs.len());
    let mut to_copy = Vec::new();
    let mut done = 1;
    for (i, doc) in docs.iter().enumerate() {
        let path = data_dir.join(doc);
        let meta = fs::metadata(&path)?;
        let mtime = mtime_nanos(&meta);
        let trusted = known
            .get(doc.as_str())
            .filter(|f| f.size == meta.len() && f.mtime == mtime && mtime != 0)
            .filter(|f| w.has(&object_name(&f.sha256, None), Some(f.size)));
        match trusted {
            Some(f) => {
                w.reused += 1;
                files.push(SnapshotFile { path: doc.clone(), sha256: f.sha256.clone(), size: f.size, mtime });
                done += 1;
                progress(done, total);
            }
            None => {
                files.push(SnapshotFile { path: doc.clone(), sha256: String::new(), size: 0, mtime });
                to_copy.push((i, path));
            }
        }
    }
    w.documents(&to_copy, |i, sha256, size| {
        files[i].sha256 = sha256;
        files[i].size = size;
        done += 1;
        progress(done, total);
    })?;

    let mut id = now.format("%Y-%m-%d-%H%M%S").to_string();
    let mut n = 2;
    while root.join(SNAPSHOTS).join(format!("{id}.json")).exists() {
        id = format!("{}-{n}", now.format("%Y-%m-%d-%H%M%S"));
        n += 1;
    }
    let manifest = SnapshotManifest {
        format: FORMAT_VERSION,
        id,
        created_at: now.format("%Y-%m-%dT%H:%M:%S").to_string(),
        app_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: crate::db::schema_version(),
        complaints: counts.complaints,
        journal_entries: counts.journal_entries,
        firms: counts.firms,
        documents: counts.documents,
        database,
        files,
        register_id: counts.register_id,
    };
    w.commit(&manifest)?;
    Ok(SnapshotReport {
        info: manifest.info(),
        new_objects: w.new_objects,
        bytes_written: w.bytes_written,
        reused_objects: w.reused,
        read_in_place,
    })
}

/// What a snapshot's manifest says of the database it holds.
struct Counts {
    complaints: i64,
    journal_entries: i64,
    firms: i64,
    documents: i64,
    register_id: Option<String>,
}

impl Counts {
    fn of(conn: &Connection) -> Result<Self> {
        Ok(Counts {
            complaints: count(conn, "complaints")?,
            journal_entries: count(conn, "journal")?,
            firms: count(conn, "firms")?,
            documents: count(conn, "documents")?,
            register_id: crate::db::register_id(conn)?,
        })
    }
}

/// The database read from its own file, in one pass, as it is at one instant: its log is
/// emptied into it (`wal_checkpoint(TRUNCATE)`), then a read transaction begins; if the log is
/// still empty once that transaction has its snapshot, the transaction reads the file itself,
/// and SQLite copies nothing into the file while such a reader lasts (writers meanwhile go to
/// the log). So the file's first `page_count × page_size` bytes are that instant's database,
/// read once, where a copy would write and read it again. `None` when that cannot be had
/// (another connection wrote in between, a reader held the log, a transaction is open, no
/// file): the caller copies through SQLite's online backup instead.
fn read_in_place(conn: &Connection, w: &mut Writer<'_>) -> Result<Option<(DatabaseEntry, Counts)>> {
    let Some(path) = conn.path().filter(|p| !p.is_empty()).map(PathBuf::from) else { return Ok(None) };
    if !conn.is_autocommit() {
        return Ok(None);
    }
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    let wal = mode.eq_ignore_ascii_case("wal");
    if wal {
        let (busy, log, moved): (i64, i64, i64) =
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        if busy != 0 || log != moved {
            return Ok(None);
        }
    } else if mode.eq_ignore_ascii_case("memory") || mode.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let mut log_path = path.clone().into_os_string();
    log_path.push("-wal");
    conn.execute_batch("BEGIN DEFERRED")?;
    let read = (|| -> Result<Option<(DatabaseEntry, Counts)>> {
        // The first read gives the transaction its snapshot.
        let counts = Counts::of(conn)?;
        if wal && fs::metadata(&log_path).map(|m| m.len()).unwrap_or(0) != 0 {
            return Ok(None);
        }
        let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        let len = u64::try_from(page_size.saturating_mul(pages)).unwrap_or(0);
        let file = File::open(&path)?;
        if file.metadata()?.len() < len {
            return Ok(None);
        }
        Ok(Some((w.database(file.take(len))?, counts)))
    })();
    let ended = conn.execute_batch("COMMIT");
    let read = read?;
    ended?;
    Ok(read)
}

/// The database copied through SQLite's online backup API into a work folder on the data disk,
/// then read (what [`read_in_place`] avoids when it can).
fn copied_then_read(conn: &Connection, data_dir: &Path, w: &mut Writer<'_>) -> Result<(DatabaseEntry, Counts)> {
    let local_work = DataDir::new(data_dir).backups();
    fs::create_dir_all(&local_work)?;
    let db_work = tempfile::Builder::new().prefix(BACKUP_WORK_PREFIX).tempdir_in(&local_work)?;
    let db_copy = db_work.path().join(DATABASE);
    {
        let mut copy = Connection::open(&db_copy)?;
        // A work copy, read back at once: no need for it to survive a power cut.
        copy.execute_batch("PRAGMA synchronous = OFF; PRAGMA journal_mode = OFF;")?;
        let backup = rusqlite::backup::Backup::new(conn, &mut copy)?;
        backup.run_to_completion(1024, std::time::Duration::from_millis(0), None)?;
    }
    let counts = Counts::of(&Connection::open_with_flags(&db_copy, OpenFlags::SQLITE_OPEN_READ_ONLY)?)?;
    Ok((w.database(File::open(&db_copy)?)?, counts))
}

// ---------------------------------------------------------------------------------------------
// Restore

/// Rebuilds a snapshot's database and documents in `dir`. Problems with the repository's
/// objects (missing, altered) are collected in French; errors writing `dir` are returned.
pub(crate) fn materialize(root: &Path, m: &SnapshotManifest, dir: &Path, problems: &mut Vec<String>) -> Result<()> {
    let objects = root.join(OBJECTS);
    // The database, piece by piece.
    {
        let mut out = File::create(dir.join(DATABASE))?;
        let mut whole = Sha256::new();
        let mut size = 0u64;
        let mut db_ok = true;
        for (i, chunk) in m.database.chunks.iter().enumerate() {
            let mut bytes = Vec::with_capacity(chunk.size as usize);
            let read = fs::read(objects.join(object_name(&chunk.sha256, Some(chunk.codec)))).and_then(|packed| {
                match chunk.codec {
                    Codec::Gzip => flate2::read::GzDecoder::new(packed.as_slice()).read_to_end(&mut bytes).map(|_| ()),
                    // Never more than the manifest says: a damaged object cannot fill the memory.
                    Codec::Zstd => zstd::bulk::decompress(&packed, chunk.size as usize).map(|b| bytes = b),
                }
            });
            if read.is_err() || bytes.len() as u64 != chunk.size || hex::encode(Sha256::digest(&bytes)) != chunk.sha256
            {
                problems.push(format!(
                    "La partie n° {} de la base dans la sauvegarde {} est manquante ou altérée.",
                    i + 1,
                    m.id
                ));
                db_ok = false;
                bytes.resize(chunk.size as usize, 0);
            }
            whole.update(&bytes);
            size += bytes.len() as u64;
            out.write_all(&bytes)?;
        }
        out.sync_all()?;
        if db_ok && (size != m.database.size || hex::encode(whole.finalize()) != m.database.sha256) {
            problems.push(format!("La base de la sauvegarde {} ne correspond pas à son empreinte.", m.id));
        }
    }
    // The documents.
    let mut written = vec![dir.join(DATABASE)];
    for f in &m.files {
        let Some(relative) = safe_document_path(&f.path) else {
            problems.push(format!("Chemin interdit dans la sauvegarde : {}.", f.path));
            continue;
        };
        let target = dir.join(relative);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let source = objects.join(object_name(&f.sha256, None));
        let copied = copy_hashing(&source, &target);
        written.push(target);
        match copied {
            Ok((sha, size)) if sha == f.sha256 && size == f.size => {}
            Ok(_) => {
                problems.push(format!("Le fichier {} de la sauvegarde ne correspond pas à son empreinte.", f.path))
            }
            Err(_) if !source.exists() => problems.push(format!("Le fichier {} manque dans la sauvegarde.", f.path)),
            Err(e) => return Err(e.into()),
        }
    }
    // Everything restored is on disk before `swap_in` can give it the data's name.
    sync_files(dir, &written)?;
    Ok(())
}

fn copy_hashing(from: &Path, to: &Path) -> std::io::Result<(String, u64)> {
    let mut from = File::open(from)?;
    let mut out = File::create(to)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = from.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// The manifest of snapshot `id`, or a French refusal.
pub(crate) fn load(root: &Path, id: &str) -> Result<SnapshotManifest> {
    if !valid_id(id) {
        return Err(Error::Restore(format!("« {id} » n'est pas le nom d'une sauvegarde.")));
    }
    let m = read_manifest(&root.join(SNAPSHOTS).join(format!("{id}.json"))).ok_or_else(|| {
        Error::Restore(format!("La sauvegarde {id} est introuvable ou illisible dans « {} ».", root.display()))
    })?;
    if m.schema_version > crate::db::schema_version() {
        return Err(Error::Restore(
            "Cette sauvegarde vient d'une version plus récente de Réclamations : installez-la d'abord.".into(),
        ));
    }
    Ok(m)
}

/// What snapshot `id` of the repository at `dest` holds (its manifest only), as a backup file's
/// manifest says it: for the restore's confirmation.
pub fn manifest(dest: &Path, id: &str) -> Result<Manifest> {
    Ok(load(&repo_root(dest), id)?.into_backup_manifest())
}

/// Rebuilds snapshot `id` in a work folder inside `work_parent`, checked whole (every piece and
/// file against its hash, `integrity_check`), ready for [`super::swap_in`]. Nothing of the
/// current data is touched.
pub fn restore(dest: &Path, id: &str, work_parent: &Path) -> Result<Verified> {
    if !dest.is_dir() {
        return Err(missing_destination(dest));
    }
    let root = repo_root(dest);
    let _run = one_at_a_time();
    let m = load(&root, id)?;
    fs::create_dir_all(work_parent)?;
    let dir = tempfile::Builder::new().prefix(RESTORE_WORK_PREFIX).tempdir_in(work_parent)?;
    let mut problems = Vec::new();
    materialize(&root, &m, dir.path(), &mut problems).map_err(|e| match e {
        Error::Io(io) => Error::Restore(format!(
            "La sauvegarde {id} n'a pas pu être restaurée ({}) : les données actuelles sont conservées.",
            io_reason(&io)
        )),
        other => other,
    })?;
    if let Some(first) = problems.first() {
        return Err(Error::Restore(format!("{first} Sauvegarde refusée : les données actuelles sont conservées.")));
    }
    let check = integrity(&dir.path().join(DATABASE));
    if check != "ok" {
        return Err(Error::Restore(format!("La base de la sauvegarde {id} est endommagée : {check}")));
    }
    let manifest = m.into_backup_manifest();
    if !dir.path().join(DOCUMENTS).exists() {
        fs::create_dir_all(dir.path().join(DOCUMENTS))?;
    }
    Ok(Verified { manifest, dir })
}

/// `PRAGMA integrity_check` of a database file: « ok », or what is wrong (French when the file
/// cannot be opened at all).
pub(crate) fn integrity(db: &Path) -> String {
    let Ok(conn) = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return "base illisible".into();
    };
    let rows: std::result::Result<Vec<String>, _> =
        conn.prepare("PRAGMA integrity_check").and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect());
    match rows {
        Ok(rows) if rows.len() == 1 && rows[0] == "ok" => "ok".into(),
        Ok(rows) => rows.join(" ; "),
        Err(_) => "base illisible ou endommagée".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Retention and leftovers

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PruneReport {
    pub kept: Vec<String>,
    pub removed: Vec<String>,
    pub objects_removed: usize,
    pub bytes_freed: u64,
}

/// Keeps exactly the snapshots the tiers select (the newest always), removes the others'
/// manifests, then every object no kept snapshot references.
pub fn prune(dest: &Path, tiers: &Tiers) -> Result<PruneReport> {
    if !dest.is_dir() {
        return Err(missing_destination(dest));
    }
    let root = repo_root(dest);
    let _run = one_at_a_time();
    let (all, unreadable) = manifests(&root)?;
    let dated: Vec<(String, chrono::NaiveDateTime)> =
        all.iter().filter_map(|m| m.created().map(|t| (m.id.clone(), t))).collect();
    let keep: HashSet<String> = select_kept(&dated, tiers).into_iter().collect();
    let mut report = PruneReport { kept: Vec::new(), removed: Vec::new(), objects_removed: 0, bytes_freed: 0 };
    let mut referenced = HashSet::new();
    for m in &all {
        // A snapshot whose date cannot be read is kept, as is everything it references.
        if keep.contains(&m.id) || m.created().is_none() {
            report.kept.push(m.id.clone());
            referenced.extend(m.objects());
        } else {
            fs::remove_file(root.join(SNAPSHOTS).join(format!("{}.json", m.id)))?;
            report.removed.push(m.id.clone());
        }
    }
    sync_dir(&root.join(SNAPSHOTS))?;
    // With a manifest we cannot read, we cannot know what it needs: no object is removed.
    if unreadable == 0 {
        for (name, size) in present_objects(&root)? {
            if !referenced.contains(&name) {
                fs::remove_file(root.join(OBJECTS).join(&name))?;
                report.objects_removed += 1;
                report.bytes_freed += size;
            }
        }
    }
    Ok(report)
}

/// Removes what interrupted runs left in the repository (`tmp/`). Objects they had already
/// placed are whole and kept: the next snapshot reuses them, `prune` removes them otherwise.
/// A missing destination has nothing to clean.
pub fn cleanup(dest: &Path) -> Result<usize> {
    let root = repo_root(dest);
    let _run = one_at_a_time();
    cleanup_root(&root)
}

fn cleanup_root(root: &Path) -> Result<usize> {
    let mut removed = 0;
    let Ok(entries) = fs::read_dir(root.join(TMP)) else { return Ok(0) };
    for entry in entries {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
        removed += 1;
    }
    if let Ok(entries) = fs::read_dir(root) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// The local repository's leftovers, for [`super::cleanup_local`].
pub(crate) fn cleanup_local_repo(data_dir: &Path) -> Result<usize> {
    let _run = one_at_a_time();
    cleanup_root(&local_repo(data_dir))
}

/// The repository's manifest of the newest snapshot, for the drill.
pub(crate) fn latest(root: &Path) -> Result<Option<SnapshotManifest>> {
    Ok(manifests(root)?.0.into_iter().next())
}

/// Holds the run lock for the drill.
pub(crate) fn lock_runs() -> MutexGuard<'static, ()> {
    one_at_a_time()
}

// ---------------------------------------------------------------------------------------------
// One register per backup set

/// The register about to be backed up: its identity and whether it holds anything yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ours {
    pub register_id: Option<String>,
    pub complaints: i64,
}

impl Ours {
    pub fn of(conn: &Connection) -> Result<Self> {
        Ok(Ours { register_id: crate::db::register_id(conn)?, complaints: count(conn, "complaints")? })
    }
}

/// A backup set that belongs to another register than ours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignSet {
    /// Its newest snapshot.
    pub latest: SnapshotInfo,
    /// Ours is empty (a new install): restoring that register is what the user wants.
    pub can_restore: bool,
}

/// « 28/11/2026 à 10:05 » from a snapshot's `2026-11-28T10:05:00`.
pub fn shown_stamp(created_at: &str) -> String {
    chrono::NaiveDateTime::parse_from_str(created_at, "%Y-%m-%dT%H:%M:%S")
        .map(|t| t.format("%d/%m/%Y à %H:%M").to_string())
        .unwrap_or_else(|_| created_at.to_owned())
}

impl ForeignSet {
    /// Why nothing of ours is written there, in French.
    pub fn refusal(&self, dest: &Path) -> String {
        let what = format!(
            "« {} » contient les sauvegardes d'un autre registre ({} réclamation(s), dernière sauvegarde le {})",
            dest.display(),
            self.latest.complaints,
            shown_stamp(&self.latest.created_at)
        );
        if self.can_restore {
            format!(
                "{what}. Ce poste n'a encore aucune réclamation : pour y reprendre ce registre, cliquez sur « Restaurer \
                 ce registre » ; sinon choisissez un autre dossier."
            )
        } else {
            format!(
                "{what} : Réclamations ne mêle pas les sauvegardes de deux registres. Choisissez un autre dossier ou \
                 un autre disque."
            )
        }
    }
}

/// Whether the repository at `root` holds another register's snapshots. Its newest snapshot
/// naming a register decides. A set made before registers had an identity is taken as ours,
/// unless ours is empty while the set holds complaints (a new install pointed at the real
/// register's key).
pub fn foreign_set(root: &Path, ours: &Ours) -> Result<Option<ForeignSet>> {
    let (all, _) = manifests(root)?;
    let Some(newest) = all.first() else { return Ok(None) };
    let foreign = match all.iter().find(|m| m.register_id.is_some()) {
        Some(named) => (named.register_id != ours.register_id).then_some(named),
        None => (ours.complaints == 0 && newest.complaints > 0).then_some(newest),
    };
    Ok(foreign.map(|m| ForeignSet { latest: m.info(), can_restore: ours.complaints == 0 }))
}

/// The local repository follows the register in the data folder: after a restore of another
/// register (or its undoing), the repository of the register replaced is set aside as
/// `depot-<its identity>` and the restored register's own, if it was set aside, is taken back.
fn take_local_repo(data_dir: &Path, ours: &Ours) -> Result<()> {
    let root = local_repo(data_dir);
    let (all, _) = manifests(&root)?;
    let Some(theirs) = all.iter().find_map(|m| m.register_id.clone()) else { return Ok(()) };
    if Some(&theirs) == ours.register_id.as_ref() {
        return Ok(());
    }
    let backups = DataDir::new(data_dir).backups();
    let mut aside = backups.join(format!("{LOCAL_REPO}-{theirs}"));
    let mut n = 2;
    while aside.exists() {
        aside = backups.join(format!("{LOCAL_REPO}-{theirs}-{n}"));
        n += 1;
    }
    fs::rename(&root, &aside)?;
    if let Some(own) = ours.register_id.as_ref().map(|id| backups.join(format!("{LOCAL_REPO}-{id}"))) {
        if own.is_dir() {
            fs::rename(own, &root)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Destination check

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestinationCheck {
    pub path: String,
    pub writable: bool,
    pub free_bytes: Option<u64>,
    /// About what the next snapshot writes (everything if the destination holds none yet).
    pub needed_bytes: u64,
    /// French, when the destination cannot be used.
    pub message: Option<String>,
    /// French, when it can be used but protects less than it seems (same disk as the data).
    pub warning: Option<String>,
    /// The destination holds another register's snapshots (then `message` says so).
    pub foreign: Option<ForeignSet>,
}

/// « 1,2 Go », « 350 Mo ».
pub fn human_bytes(n: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let mb = n as f64 / MB;
    if mb >= 1024.0 {
        format!("{} Go", crate::french::decimal(mb / 1024.0, 1))
    } else if mb >= 1.0 {
        format!("{} Mo", crate::french::decimal(mb, 0))
    } else {
        format!("{} ko", crate::french::decimal(n as f64 / 1024.0, 0))
    }
}

#[cfg(unix)]
fn free_space(dir: &Path) -> Option<u64> {
    let s = rustix::fs::statvfs(dir).ok()?;
    Some(s.f_bavail.saturating_mul(s.f_frsize))
}

#[cfg(not(unix))]
fn free_space(_dir: &Path) -> Option<u64> {
    None
}

#[cfg(unix)]
fn same_device(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    matches!((fs::metadata(a), fs::metadata(b)), (Ok(x), Ok(y)) if x.dev() == y.dev())
}

#[cfg(not(unix))]
fn same_device(_a: &Path, _b: &Path) -> bool {
    false
}

/// Whether `dest` can receive the automatic backup of `data_dir` (the register `ours`): present,
/// writable, outside the data folder, holding no other register's snapshots, with room for the
/// next snapshot. Never fails: the answer says why not.
pub fn check_destination(dest: &Path, data_dir: &Path, ours: &Ours) -> DestinationCheck {
    let mut check = DestinationCheck {
        path: dest.display().to_string(),
        writable: false,
        free_bytes: None,
        needed_bytes: needed_bytes(dest, data_dir),
        message: None,
        warning: None,
        foreign: None,
    };
    let shown = dest.display();
    if !dest.is_dir() {
        check.message = Some(format!(
            "Le dossier « {shown} » est introuvable : branchez le disque ou choisissez un autre dossier."
        ));
        return check;
    }
    if let (Ok(d), Ok(data)) = (dest.canonicalize(), data_dir.canonicalize()) {
        if d.starts_with(&data) {
            check.message = Some(format!(
                "« {shown} » est dans le dossier des données de Réclamations : choisissez un autre disque (clé USB, \
                 disque réseau, second disque)."
            ));
            return check;
        }
    }
    if let Ok(Some(foreign)) = foreign_set(&repo_root(dest), ours) {
        check.message = Some(foreign.refusal(dest));
        check.foreign = Some(foreign);
        return check;
    }
    check.writable = tempfile::NamedTempFile::new_in(dest)
        .and_then(|mut f| {
            f.write_all(b"test")?;
            f.as_file().sync_all()
        })
        .is_ok();
    check.free_bytes = free_space(dest);
    if !check.writable {
        check.message = Some(format!(
            "Réclamations ne peut pas écrire dans « {shown} » : choisissez un dossier où vous avez le droit d'écrire, \
             ou un disque qui n'est pas protégé en écriture."
        ));
    } else if let Some(free) = check.free_bytes.filter(|&f| f < check.needed_bytes) {
        check.message = Some(format!(
            "Il reste {} libres sur « {shown} » et la sauvegarde demande environ {} : libérez de la place ou \
             choisissez un disque plus grand.",
            human_bytes(free),
            human_bytes(check.needed_bytes)
        ));
    } else if same_device(dest, data_dir) {
        check.warning = Some(
            "Cette destination est sur le même disque que les données : elle ne protège ni d'une panne de ce disque \
             ni d'un vol de l'ordinateur. Préférez une clé USB, un disque externe ou un dossier réseau."
                .into(),
        );
    }
    check
}

/// The database's size plus the documents the destination's newest snapshot lacks.
fn needed_bytes(dest: &Path, data_dir: &Path) -> u64 {
    let layout = DataDir::new(data_dir);
    let db = fs::metadata(layout.database()).map(|m| m.len()).unwrap_or(0);
    let known: HashSet<(String, u64)> = manifests(&repo_root(dest))
        .ok()
        .and_then(|(m, _)| m.into_iter().next())
        .map(|m| m.files.into_iter().map(|f| (f.path, f.size)).collect())
        .unwrap_or_default();
    let docs: u64 = document_files(data_dir)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| {
            let size = fs::metadata(data_dir.join(&p)).ok()?.len();
            (!known.contains(&(p, size))).then_some(size)
        })
        .sum();
    db + docs
}

#[cfg(test)]
mod tests;
