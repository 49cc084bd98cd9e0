//! Storage: one module per table, SQL literals with numbered parameters. No file is written
//! here: file effects (exports, purged documents, backups) live in [`crate::files`].

pub mod attachments;
pub mod clocks;
pub mod complaints;
pub mod dashboard;
pub mod firms;
pub mod journal;
pub mod letters;
pub mod retention;
pub mod search;
pub mod settings;
pub mod staff;
pub mod stats;
pub mod workflow;

use crate::error::Error;
use crate::model::UnknownCode;

/// The current time as stored in `created_at` / `recorded_at` columns.
pub(crate) fn now_timestamp() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

pub(crate) fn bool_int(b: bool) -> i64 {
    i64::from(b)
}

/// Turns a read failure of row `id` of `table` into [`Error::CorruptRow`] when a stored code is
/// unknown (see [`UnknownCode`]); any other failure stays a database error.
pub(crate) fn corrupt_row(table: &'static str, id: i64) -> impl Fn(rusqlite::Error) -> Error {
    move |e| match &e {
        rusqlite::Error::FromSqlConversionFailure(_, _, inner) => match inner.downcast_ref::<UnknownCode>() {
            Some(unknown) => Error::CorruptRow { table, id, value: unknown.code.clone() },
            None => Error::Database(e),
        },
        _ => Error::Database(e),
    }
}
