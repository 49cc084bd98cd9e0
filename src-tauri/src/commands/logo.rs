//! Paramètres, « Logo des courriers »: the organisation's logo on every PDF, chosen in a native
//! dialog or typed as a path, checked by the core before it is kept.

use crate::dialogs;
use crate::state::AppState;
use reclamations_core::store::logo::{self, LogoInfo, MAX_BYTES};
use reclamations_core::{Error, Result};
use std::io::Read;
use std::path::Path;
use tauri::State;

#[tauri::command]
pub async fn get_logo(state: State<'_, AppState>) -> Result<LogoInfo> {
    logo::info(&state.conn())
}

/// « Choisir un logo… »: the chosen path (`None`: cancelled); `set_logo` follows.
#[tauri::command]
pub async fn choose_logo() -> Option<String> {
    dialogs::pick_file("Logo des courriers", &[("Image PNG ou JPEG", &["png", "jpg", "jpeg"])])
        .await
        .map(|p| p.display().to_string())
}

/// Reads the image at `path` and keeps it as the logo. At most `MAX_BYTES + 1` bytes are read:
/// a larger file is refused by the core all the same, without being loaded whole.
#[tauri::command]
pub async fn set_logo(state: State<'_, AppState>, path: String) -> Result<LogoInfo> {
    let path = Path::new(path.trim());
    let unreadable = |e: std::io::Error| {
        let why = reclamations_core::french::io_reason(&e);
        Error::field("logo", format!("Le fichier « {} » est illisible ({why}) : vérifiez le chemin.", path.display()))
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|f| f.take(MAX_BYTES as u64 + 1).read_to_end(&mut bytes)).map_err(unreadable)?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    logo::set(&mut state.conn(), &bytes, &file_name, state.today())
}

/// « Revenir au logo par défaut ».
#[tauri::command]
pub async fn reset_logo(state: State<'_, AppState>) -> Result<LogoInfo> {
    let mut conn = state.conn();
    logo::reset(&mut conn)?;
    logo::info(&conn)
}
