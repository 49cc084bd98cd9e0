//! Storage: one module per table, SQL literals with numbered parameters. The dossier export and
//! the purge's file effects (documents, backups) live in [`crate::files`], which `store` never imports.

pub mod attachments;
pub mod clocks;
pub mod complaints;
pub mod corrections;
pub mod dashboard;
pub mod decisions;
pub mod declarations;
pub mod digest;
pub mod documents;
pub mod emails;
pub mod firms;
pub mod intervenants;
pub mod journal;
pub mod letters;
pub mod logo;
pub mod obligations;
pub mod page;
pub mod persons;
pub mod register_export;
pub mod register_import;
pub mod retention;
pub mod search;
pub mod settings;
pub mod setup;
pub mod staff;
pub mod stats;
pub mod workflow;

use crate::error::Error;
use crate::model::UnknownCode;

/// The current time as stored in `created_at` / `recorded_at` columns.
/// The bytes of a spreadsheet to import and its file name, or the French refusal.
pub(crate) fn read_import_file(path: &std::path::Path) -> crate::Result<(Vec<u8>, String)> {
    let bytes = std::fs::read(path).map_err(|e| {
        let why = crate::french::io_reason(&e);
        Error::refused(format!("Le fichier « {} » est illisible ({why}) : vérifiez le chemin.", path.display()))
    })?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok((bytes, name))
}

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

/// A coded column where « none » is stored as `''` (the decision before one is taken, a
/// complainant without civility); any other value must be a known code.
pub(crate) fn code_or_empty<T: rusqlite::types::FromSql>(
    r: &rusqlite::Row<'_>,
    idx: usize,
) -> rusqlite::Result<Option<T>> {
    match r.get_ref(idx)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        rusqlite::types::ValueRef::Text(b"") => Ok(None),
        _ => r.get(idx).map(Some),
    }
}

/// Reads every row of `stmt` with `read`; column 0 must be the row's id in `table`, so that an
/// unknown stored code names its row (see [`corrupt_row`]).
pub(crate) fn read_rows<T>(
    stmt: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
    table: &'static str,
    read: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> crate::error::Result<Vec<T>> {
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        out.push(read(r).map_err(corrupt_row(table, id))?);
    }
    Ok(out)
}
