//! The register's export written to the file the user chose (store::register_export builds it).

use crate::archive;
use crate::error::Result;
use crate::store::register_export::{self, Format, Scope};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::path::Path;

/// What [`write`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Written {
    pub path: String,
    pub rows: usize,
}

/// Writes the export of `scope` to `path` (chosen by the user, who agreed to replace it):
/// a temporary file beside it, synced, then renamed onto it, so that `path` never holds a
/// partial file.
pub fn write(conn: &Connection, scope: &Scope, format: Format, today: NaiveDate, path: &Path) -> Result<Written> {
    let (bytes, rows) = match format {
        Format::Xlsx => register_export::to_xlsx(conn, scope, today)?,
        Format::Csv => register_export::to_csv(conn, scope, today)?,
    };
    archive::write_replacing(path, &bytes)?;
    Ok(Written { path: path.display().to_string(), rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::register_export::tests::{register_of_five, today};

    #[test]
    fn the_register_export_replaces_the_file_whole() -> Result<()> {
        let mut conn = open_in_memory()?;
        register_of_five(&mut conn)?;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("export.csv");
        std::fs::write(&path, "ancien contenu")?;
        let written = write(&conn, &Scope::Year { year: 2026 }, Format::Csv, today(), &path)?;
        assert_eq!(written.rows, 4);
        assert!(std::fs::read_to_string(&path)?.starts_with("\u{feff}Référence;"));
        let names: Vec<_> = std::fs::read_dir(dir.path())?.filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
        let xlsx = dir.path().join("export.xlsx");
        assert_eq!(write(&conn, &Scope::All, Format::Xlsx, today(), &xlsx)?.rows, 5);
        assert!(std::fs::read(&xlsx)?.starts_with(b"PK"));
        Ok(())
    }
}
