//! Helpers shared by the core's unit tests: the letter fonts, loaded once, and the PDF tools
//! (poppler's `pdftotext`, `pdfinfo`, `pdftoppm`, and `qpdf`) that read a PDF as a reader would.
//!
//! A test that needs a PDF tool fails when the tool is missing: `scripts/setup.sh` installs them.
//! Only `RECLAMATIONS_SKIP_PDF_TOOLS=1` skips those checks, each one saying so on stderr.

use crate::letters::pdf::Fonts;
use std::io;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The variable that lets the tests run on a machine without poppler and qpdf.
pub(crate) const SKIP_PDF_TOOLS: &str = "RECLAMATIONS_SKIP_PDF_TOOLS";

/// The shipped Liberation fonts, parsed once for all the tests of the process.
pub(crate) fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts::liberation().unwrap_or_else(|e| panic!("fonts: {e}")))
}

/// Runs a PDF tool. `Ok(None)` only when [`SKIP_PDF_TOOLS`] is `1`; a missing tool is an error.
pub(crate) fn pdf_tool(tool: &str, args: &[&str]) -> io::Result<Option<Output>> {
    if std::env::var(SKIP_PDF_TOOLS).is_ok_and(|v| v == "1") {
        eprintln!("SKIPPED: {tool} {args:?} ({SKIP_PDF_TOOLS}=1)");
        return Ok(None);
    }
    match Command::new(tool).args(args).output() {
        Ok(out) => Ok(Some(out)),
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!(
                "{tool} is needed by this test ({e}): install poppler-utils and qpdf (scripts/setup.sh), \
                 or set {SKIP_PDF_TOOLS}=1 to skip the PDF checks"
            ),
        )),
    }
}

/// The text of a PDF file as `pdftotext -layout` extracts it; `Ok(None)` when skipped.
pub(crate) fn pdftotext_file(path: &Path) -> io::Result<Option<String>> {
    let Some(out) = pdf_tool("pdftotext", &["-layout", &path.to_string_lossy(), "-"])? else {
        return Ok(None);
    };
    if !out.status.success() {
        return Err(io::Error::other(format!("pdftotext: {}", String::from_utf8_lossy(&out.stderr))));
    }
    Ok(Some(String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// The text of PDF bytes, through a temporary file; `Ok(None)` when skipped.
pub(crate) fn pdftotext(bytes: &[u8]) -> io::Result<Option<String>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, bytes)?;
    pdftotext_file(&path)
}

/// Blanks (no-break spaces included) as single spaces: what a reader compares.
pub(crate) fn flat(text: &str) -> String {
    text.replace(['\u{A0}', '\u{202F}'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}
