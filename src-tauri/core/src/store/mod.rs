//! Storage: one module per table, SQL literals with numbered parameters.

pub mod attachments;
pub mod complaints;
pub mod dashboard;
pub mod documents;
pub mod export;
pub mod firms;
pub mod journal;
pub mod letters;
pub mod retention;
pub mod search;
pub mod settings;
pub mod staff;
pub mod stats;
pub mod workflow;

/// The current time as stored in `created_at` / `recorded_at` columns.
pub(crate) fn now_timestamp() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

pub(crate) fn bool_int(b: bool) -> i64 {
    i64::from(b)
}
