//! Files in the data dir: written to a temporary name, synced, then linked into place, so
//! that a crash never leaves a half-written file where a good one was, and nothing archived
//! is ever overwritten.

use crate::error::Result;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// SHA-256 of bytes, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// SHA-256 of a file, read in blocks (backups hash files of hundreds of megabytes).
pub fn sha256_file(path: &Path) -> Result<(String, u64)> {
    use std::io::Read;
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Letters and digits kept, accents dropped, everything else as « - »: safe on every file
/// system, and never a path separator or « .. ».
pub fn slug(text: &str, max: usize) -> String {
    let folded = crate::french::fold(text);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= max {
            break;
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "sans-nom".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Writes `bytes` as a new file named `stem` + `.ext` in `dir`, or `stem-2.ext`, `stem-3.ext`…
/// if that name is taken. Returns the path written. The data is on disk (fsync) before the
/// name appears, and the folder is synced after.
pub fn write_new(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<PathBuf> {
    fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{stem}.{}.tmp", std::process::id()));
    {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    place_new(dir, stem, ext, &tmp)
}

/// Gives a synced file `tmp` (in `dir`, or on the same file system) its final name, as
/// [`write_new`] does, and removes the temporary name.
pub fn place_new(dir: &Path, stem: &str, ext: &str, tmp: &Path) -> Result<PathBuf> {
    let mut n = 1;
    let result = loop {
        let name = if n == 1 { format!("{stem}.{ext}") } else { format!("{stem}-{n}.{ext}") };
        let target = dir.join(name);
        // A hard link fails if the target exists: no overwrite, even in a race.
        match fs::hard_link(tmp, &target) {
            Ok(()) => break Ok(target),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 10_000 => n += 1,
            Err(e) => break Err(e),
        }
    };
    let _ = fs::remove_file(tmp);
    let target = result?;
    sync_dir(dir);
    Ok(target)
}

/// Makes a rename or link durable (no-op where folders cannot be opened, as on Windows).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_and_never_overwritten() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        assert_eq!(slug("../../Économie & Bâtiment: Conseil/..", 40), "economie-batiment-conseil");
        assert_eq!(slug("///", 10), "sans-nom");
        let a = write_new(tmp.path(), "lettre", "pdf", b"un")?;
        let b = write_new(tmp.path(), "lettre", "pdf", b"deux")?;
        assert_ne!(a, b);
        assert_eq!(fs::read(&a)?, b"un");
        assert_eq!(fs::read(&b)?, b"deux");
        let leftovers = fs::read_dir(tmp.path())?
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .count();
        assert_eq!(leftovers, 0);
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        Ok(())
    }
}
