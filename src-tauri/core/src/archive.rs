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
    } else if is_windows_reserved(trimmed) {
        // « CON », « nul », « com1 »… name devices on Windows, whatever the extension.
        format!("{trimmed}-")
    } else {
        trimmed.to_owned()
    }
}

/// Windows' reserved device names (`CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`, `LPT1`–`LPT9`),
/// in any case: no file may be called so, with or without an extension.
pub fn is_windows_reserved(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or(name).trim_end_matches([' ', '.']).to_ascii_lowercase();
    matches!(base.as_str(), "con" | "prn" | "aux" | "nul")
        || (base.len() == 4
            && (base.starts_with("com") || base.starts_with("lpt"))
            && base.as_bytes()[3].is_ascii_digit()
            && base.as_bytes()[3] != b'0')
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
    place_new_with(dir, stem, ext, tmp, |from, to| fs::hard_link(from, to))
}

/// [`place_new`] with the linking step given (tests inject a file system without hard links).
///
/// A hard link fails if the target exists: no overwrite, even in a race. Where links cannot
/// be made (exFAT USB keys, some network shares), the name is reserved by creating it empty
/// with `create_new` (which also fails if it exists), then the synced temporary file is
/// renamed onto that reservation: the final name never holds a partial file, and no file
/// of anyone else is ever replaced.
pub(crate) fn place_new_with(
    dir: &Path,
    stem: &str,
    ext: &str,
    tmp: &Path,
    link: impl Fn(&Path, &Path) -> std::io::Result<()>,
) -> Result<PathBuf> {
    use std::io::ErrorKind;
    let mut n = 1;
    let mut links = true;
    let result = loop {
        let name = if n == 1 { format!("{stem}.{ext}") } else { format!("{stem}-{n}.{ext}") };
        let target = dir.join(name);
        let placed = if links {
            match link(tmp, &target) {
                Err(e) if e.kind() != ErrorKind::AlreadyExists => {
                    links = false;
                    reserve_then_rename(tmp, &target)
                }
                other => other,
            }
        } else {
            reserve_then_rename(tmp, &target)
        };
        match placed {
            Ok(()) => break Ok(target),
            Err(e) if e.kind() == ErrorKind::AlreadyExists && n < 10_000 => n += 1,
            Err(e) => break Err(e),
        }
    };
    let _ = fs::remove_file(tmp);
    let target = result?;
    sync_dir(dir);
    Ok(target)
}

/// The fallback of [`place_new_with`]: `target` created empty (refused if it exists), then
/// `tmp` renamed onto it.
fn reserve_then_rename(tmp: &Path, target: &Path) -> std::io::Result<()> {
    fs::OpenOptions::new().write(true).create_new(true).open(target)?;
    fs::rename(tmp, target).inspect_err(|_| {
        let _ = fs::remove_file(target);
    })
}

/// Replaces (or creates) the file at `path` with `bytes`, as a whole or not at all: a temporary
/// file beside it, synced, renamed onto it, then the folder synced. For a file the user chose
/// in a save dialog (who agreed there to replace it).
pub fn write_replacing(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e.into());
    }
    sync_dir(dir);
    Ok(())
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

    /// Characters Windows forbids in a name.
    const FORBIDDEN: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

    fn windows_safe(name: &str) -> bool {
        !name.is_empty()
            && !name.chars().any(|c| FORBIDDEN.contains(&c) || c.is_control())
            && !name.ends_with(['.', ' '])
            && !is_windows_reserved(name)
    }

    #[test]
    fn names_made_from_data_are_valid_on_windows_and_differ_by_more_than_case() {
        for hostile in [
            "CON",
            "con",
            "Nul",
            "COM1",
            "lpt9",
            "aux.pdf",
            "PRN ",
            "prn.",
            "a<b>c:d\"e/f\\g|h?i*",
            "fin. ",
            "...",
            " ",
        ] {
            let s = slug(hostile, 60);
            assert!(windows_safe(&s), "{hostile:?} → {s:?}");
        }
        assert!(is_windows_reserved("COM3.txt") && is_windows_reserved("nul") && !is_windows_reserved("com0"));
        assert!(!is_windows_reserved("console") && !is_windows_reserved("com10"));
        // Lower case throughout: « Devis » and « DEVIS » are one name, numbered apart when both come.
        assert_eq!(slug("Devis SIGNÉ", 60), slug("devis signé", 60));
    }

    #[test]
    fn the_longest_archived_path_stays_under_windows_260_characters() -> Result<()> {
        use crate::letters::kinds::LetterKind;
        // A typical data dir: C:\Users\<a long user name>\AppData\Roaming\Reclamations-OPQTECC\
        let data_dir = format!("C:\\Users\\{}\\AppData\\Roaming\\Reclamations-OPQTECC\\", "m".repeat(24));
        let long = "Société d'Économie de la Construction et d'Ingénierie du Bâtiment ".repeat(5);
        let folder = format!(
            "documents\\{}\\{}\\",
            crate::store::documents::firm_folder(99_999, &long),
            crate::store::complaints::format_reference(2026, 99_999)
        );
        let (attachment, _) = crate::store::documents::safe_name(&format!("{long}.jpeg"))?;
        let mut stems: Vec<String> = LetterKind::ALL.iter().map(|k| format!("2026-12-01_{}_v999", k.code())).collect();
        stems.push(format!("2026-12-01_recu_{attachment}"));
        stems.push(format!("2026-12-01_pj999_{attachment}"));
        stems.push(format!("2026-12-01_courriel_{}", slug(&long, 40)));
        stems.push(format!(
            "2026-12-01_{}_courriel",
            LetterKind::ALL.iter().map(|k| k.code()).max_by_key(|c| c.len()).unwrap_or("")
        ));
        let longest = stems
            .iter()
            .flat_map(|stem| {
                // The final name (with a collision number) and the temporary one.
                [format!("{stem}-9999.jpeg"), format!(".{stem}.4294967295.tmp")]
            })
            .map(|name| format!("{data_dir}{folder}{name}"))
            .max_by_key(String::len)
            .unwrap_or_default();
        eprintln!("longest archived path: {} characters", longest.chars().count());
        assert!(longest.chars().count() < 260, "{} characters: {longest}", longest.chars().count());
        Ok(())
    }

    #[test]
    fn without_hard_links_archiving_copies_then_renames_and_never_overwrites() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let no_links = |_: &Path, _: &Path| Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "exFAT"));
        fs::write(dir.path().join("lettre.pdf"), b"existant")?;
        for (n, body) in [(2, &b"un"[..]), (3, &b"deux"[..])] {
            let tmp = dir.path().join(format!(".lettre.{n}.tmp"));
            fs::write(&tmp, body)?;
            let placed = place_new_with(dir.path(), "lettre", "pdf", &tmp, no_links)?;
            assert_eq!(placed, dir.path().join(format!("lettre-{n}.pdf")));
            assert_eq!(fs::read(&placed)?, body);
            assert!(!tmp.exists(), "the temporary name is gone");
        }
        assert_eq!(fs::read(dir.path().join("lettre.pdf"))?, b"existant", "never overwritten");
        // A link failing for another reason than « exists » on a later name also falls back.
        let flaky = |from: &Path, to: &Path| {
            if to.ends_with("note.pdf") {
                fs::hard_link(from, to)
            } else {
                Err(std::io::Error::other("réseau"))
            }
        };
        fs::write(dir.path().join("note.pdf"), b"a")?;
        let tmp = dir.path().join(".note.tmp");
        fs::write(&tmp, b"b")?;
        assert_eq!(place_new_with(dir.path(), "note", "pdf", &tmp, flaky)?, dir.path().join("note-2.pdf"));
        Ok(())
    }
}
