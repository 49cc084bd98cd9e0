//! The system programs some checks read the app's files with (poppler's `pdftotext` and
//! `pdftoppm`, `sha256sum`): a missing one fails the test, unless `RECLAMATIONS_SKIP_PDF_TOOLS=1`
//! asks to skip those checks (each skip is said on stderr). The README's test command installs
//! them.

use crate::{screenshot_dir, TestResult};
use std::ffi::OsStr;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The variable that turns a missing tool from a failure into a skipped check.
pub const SKIP_PDF_TOOLS: &str = "RECLAMATIONS_SKIP_PDF_TOOLS";

fn skipping() -> bool {
    std::env::var(SKIP_PDF_TOOLS).is_ok_and(|v| v == "1")
}

/// Runs `program` and requires it to succeed; `None` when it is not installed and skipping was
/// asked for.
fn run(program: &str, args: &[&OsStr], dir: Option<&Path>) -> TestResult<Option<Output>> {
    run_or_skip(program, args, dir, skipping())
}

fn run_or_skip(program: &str, args: &[&OsStr], dir: Option<&Path>, skip: bool) -> TestResult<Option<Output>> {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    match command.output() {
        Ok(output) => Ok(Some(output)),
        Err(e) if e.kind() == ErrorKind::NotFound && skip => {
            eprintln!("skipped: a check needs `{program}`, which is not installed ({SKIP_PDF_TOOLS}=1)");
            Ok(None)
        }
        Err(e) if e.kind() == ErrorKind::NotFound => Err(format!(
            "`{program}` is not installed: run the README's test command (it installs poppler-utils), \
             or set {SKIP_PDF_TOOLS}=1 to skip the checks that need it"
        )
        .into()),
        Err(e) => Err(format!("`{program}` could not run: {e}").into()),
    }
}

/// Like `run`, and fails when the program reports an error.
fn run_ok(program: &str, args: &[&OsStr]) -> TestResult<Option<Output>> {
    let Some(output) = run(program, args, None)? else { return Ok(None) };
    if !output.status.success() {
        return Err(format!("`{program}` failed: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    Ok(Some(output))
}

/// The text of a PDF, its whitespace collapsed to single spaces (line breaks fall anywhere).
pub fn pdf_text(pdf: &Path) -> TestResult<Option<String>> {
    let Some(out) = run_ok("pdftotext", &[pdf.as_os_str(), OsStr::new("-")])? else { return Ok(None) };
    Ok(Some(String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")))
}

/// Page 1 of a PDF as `<name>.png` next to the screenshots, for people to look at.
pub fn pdf_page_one_png(pdf: &Path, name: &str) -> TestResult<Option<PathBuf>> {
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir)?;
    let stem = dir.join(name);
    let args = ["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"].map(OsStr::new);
    let args: Vec<&OsStr> = args.into_iter().chain([pdf.as_os_str(), stem.as_os_str()]).collect();
    Ok(run_ok("pdftoppm", &args)?.map(|_| stem.with_extension("png")))
}

/// The SHA-256 of a file, in hexadecimal.
pub fn sha256(path: &Path) -> TestResult<Option<String>> {
    let Some(out) = run_ok("sha256sum", &[path.as_os_str()])? else { return Ok(None) };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let hash = stdout.split_whitespace().next().ok_or_else(|| format!("no hash from sha256sum: {stdout}"))?;
    Ok(Some(hash.to_owned()))
}

/// `sha256sum -c manifest` run in `dir`: its output, success or not, for the test to judge.
pub fn sha256_check(dir: &Path, manifest: &str) -> TestResult<Option<Output>> {
    run("sha256sum", &[OsStr::new("-c"), OsStr::new(manifest)], Some(dir))
}

/// Every file under `dir`, at any depth, whose path contains `part` (an archived letter by its
/// kind's code, for example).
pub fn files_named(dir: &Path, part: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().contains(part) {
                found.push(path);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const MISSING: &str = "reclamations-no-such-tool";

    #[test]
    fn a_missing_tool_fails_and_names_the_variable_that_skips_it() {
        let message = run_or_skip(MISSING, &[], None, false).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains(MISSING) && message.contains(SKIP_PDF_TOOLS), "{message}");
    }

    #[test]
    fn a_missing_tool_is_skipped_when_asked() -> TestResult {
        assert!(run_or_skip(MISSING, &[], None, true)?.is_none());
        Ok(())
    }
}
