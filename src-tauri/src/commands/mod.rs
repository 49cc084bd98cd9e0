//! The commands the UI calls: one module per area, each command a few lines.

pub mod app;
pub mod backups;
pub mod complaints;
pub mod diagnostics;
pub mod digest;
pub mod email;
pub mod firms;
pub mod intervenants;
pub mod letters;
pub mod logo;
pub mod register;
pub mod safety;
pub mod settings;
pub mod stats;
pub mod vocabulary;

use reclamations_core::{Error, Result};
use std::path::{Path, PathBuf};
use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

/// Opens a file in the system's viewer (to print). A missing viewer is reported, not fatal.
pub(crate) fn open(app: &AppHandle, path: &Path) -> Result<()> {
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| Error::Viewer { path: path.display().to_string(), reason: e.to_string() })
}

/// Writes a new file (never overwriting) in `dir` and tries to open it: `(path, opened)`.
pub(crate) fn write_and_open(
    app: &AppHandle,
    dir: &Path,
    stem: &str,
    ext: &str,
    bytes: &[u8],
) -> Result<(PathBuf, bool)> {
    let path = reclamations_core::archive::write_new(dir, stem, ext, bytes)?;
    let opened = open(app, &path).is_ok();
    Ok((path, opened))
}
