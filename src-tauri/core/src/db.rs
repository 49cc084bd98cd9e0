//! Opening the database: connection settings and the embedded, numbered migrations.

use crate::error::{Error, Result};
use std::path::Path;

// The app names the connection and SQLite's error codes through the core, which owns rusqlite.
pub use rusqlite::{Connection, Error as SqlError, ErrorCode};

/// Numbered migrations, embedded in the binary. Frozen once released: add, never edit.
/// The schema version is the number of migrations applied (`PRAGMA user_version`).
pub const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_obligations.sql"),
    include_str!("../migrations/0003_parties.sql"),
    include_str!("../migrations/0004_email.sql"),
    include_str!("../migrations/0005_digest.sql"),
    include_str!("../migrations/0006_keyset.sql"),
    include_str!("../migrations/0007_logo.sql"),
];

/// The schema version this build writes.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Opens (or creates) the database file and brings its schema up to date.
pub fn open(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// An in-memory database with the real migrations, for tests and benchmarks.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    // busy_timeout first: the other settings may have to wait for a lock.
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Reading the journal mode also proves the file is a database (a corrupt or foreign file
    // fails here, at start-up, with « file is not a database »).
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    // FULL: a committed change survives a power cut, not only a crash of the app.
    // secure_delete: what the retention purge deletes is overwritten, not left in free pages.
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;")?;
    Ok(())
}

/// Applies the migrations not yet applied, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = schema_version();
    if current > known {
        return Err(Error::SchemaTooNew { found: current, known });
    }
    if current > 0 && current < known {
        backup_before_migration(conn, current)?;
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        // user_version takes no bound parameter; the value is our own integer.
        tx.execute_batch(&format!("PRAGMA user_version = {}", index + 1))?;
        tx.commit()?;
    }
    Ok(())
}

/// A copy of the database as it was, beside it in `backups/`, before its schema changes.
fn backup_before_migration(conn: &Connection, version: i64) -> Result<()> {
    let Some(path) = conn.path().filter(|p| !p.is_empty()).map(std::path::PathBuf::from) else { return Ok(()) };
    let Some(dir) = path.parent().map(|d| crate::datadir::DataDir::new(d).backups()) else { return Ok(()) };
    std::fs::create_dir_all(&dir)?;
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    let target = dir.join(format!("avant-migration-schema-{version}-{stamp}.sqlite3"));
    let mut copy = Connection::open(&target)?;
    rusqlite::backup::Backup::new(conn, &mut copy)?.run_to_completion(1024, std::time::Duration::ZERO, None)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_and_validate() -> Result<()> {
        let conn = open_in_memory()?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        assert_eq!(version, schema_version());
        let problems: Vec<String> = conn
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        assert!(problems.is_empty());
        let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        assert_eq!(ok, "ok");
        Ok(())
    }

    #[test]
    fn reopening_does_not_migrate_twice_and_newer_schemas_are_refused() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("db.sqlite3");
        drop(open(&path)?);
        let conn = open(&path)?;
        conn.execute_batch("PRAGMA user_version = 99")?;
        drop(conn);
        assert!(matches!(open(&path), Err(Error::SchemaTooNew { found: 99, .. })));
        Ok(())
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("db.sqlite3");
        std::fs::write(&path, "ceci n'est pas une base de données, mais un texte assez long pour un en-tête")?;
        assert!(matches!(open(&path), Err(Error::Database(_))));
        Ok(())
    }
}
