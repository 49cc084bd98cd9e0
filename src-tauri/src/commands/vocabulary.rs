//! The register's words and the core's small text rules, for the UI (which keeps no copy).

use reclamations_core::validate;
use reclamations_core::vocabulary::{self, Vocabulary};

/// Every code the UI shows, with its French label; fetched once at start.
#[tauri::command]
pub fn vocabulary() -> Vocabulary {
    vocabulary::vocabulary()
}

/// Whether an e-mail's subject says « réclamation » (the intake form warns when not).
#[tauri::command]
pub fn subject_mentions_reclamation(subject: String) -> bool {
    validate::subject_mentions_reclamation(&subject)
}
