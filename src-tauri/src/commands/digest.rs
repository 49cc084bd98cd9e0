//! « Vérifier le registre »: the register's digest of today, and the check of a digest typed
//! from a letter or a report.

use crate::commands::safety::reporter;
use crate::state::AppState;
use reclamations_core::store::digest::{self, Digest, DigestCheck};
use reclamations_core::validate::parse_date;
use reclamations_core::{Error, Result};
use serde::Serialize;
use tauri::{AppHandle, State};

#[derive(Serialize)]
pub struct RegisterDigest {
    #[serde(flatten)]
    digest: Digest,
    /// Upper case, in groups of 4.
    full: String,
}

/// Today's digest (computed once a day, then reused).
#[tauri::command]
pub async fn register_digest(state: State<'_, AppState>) -> Result<RegisterDigest> {
    let d = digest::current(&state.conn(), state.today())?;
    Ok(RegisterDigest { full: d.full(), digest: d })
}

/// Checks `digest` (full or short form) against the register's history up to `date` (JJ/MM/AAAA),
/// its progress reported as `registre`. The journal is read in two halves, the upper one on a
/// second, read-only connection on another thread (`journal::walk_chains_in_two`).
#[tauri::command]
pub async fn verify_register(
    app: AppHandle,
    state: State<'_, AppState>,
    digest: String,
    date: String,
) -> Result<DigestCheck> {
    let typed = digest;
    let Some(on) = parse_date(&date) else {
        // Both fields at once, so that the person corrects them in one go.
        let mut fields = match digest::normalise(&typed) {
            Err(Error::Validation { fields }) => fields,
            _ => Default::default(),
        };
        fields.insert("date".into(), reclamations_core::validate::INVALID_DATE.into());
        return Err(Error::Validation { fields });
    };
    let database = state.layout().database();
    digest::verify_in_parallel(&state.conn(), Some(&database), &typed, on, &mut reporter(&app, "registre"))
}
