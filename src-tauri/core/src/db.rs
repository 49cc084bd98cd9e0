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
    include_str!("../migrations/0008_firms_register.sql"),
    include_str!("../migrations/0009_corrections.sql"),
    include_str!("../migrations/0010_adapted_letters.sql"),
    include_str!("../migrations/0011_register_import.sql"),
    include_str!("../migrations/0012_registered_numbers.sql"),
];

/// The schema version this build writes.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Opens (or creates) the database file and brings its schema up to date.
pub fn open(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    configure(&mut conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// An in-memory database with the real migrations, for tests and benchmarks.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&mut conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn configure(conn: &mut Connection) -> Result<()> {
    // busy_timeout first: the other settings may have to wait for a lock.
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Every transaction takes the write lock when it begins, waiting for it under the busy
    // timeout. A deferred one that read first, then wrote after another connection (the
    // background backup's thread) committed, would fail at once with « database is locked ».
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    // Reading the journal mode also proves the file is a database (a corrupt or foreign file
    // fails here, at start-up, with « file is not a database »).
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    // FULL: a committed change survives a power cut, not only a crash of the app.
    // secure_delete: what the retention purge deletes is overwritten, not left in free pages.
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;")?;
    register_fold(conn)
}

/// `fold(text)`: the one accent and case fold of [`crate::french::fold`], for the firms'
/// search text kept by triggers (schema 8). Every connection to the register has it.
pub fn register_fold(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            let text: Option<String> = ctx.get(0)?;
            Ok(text.map(|t| crate::french::fold(&t)))
        },
    )?;
    Ok(())
}

/// Applies the migrations not yet applied, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    // Schema 8's triggers call fold(): a connection opened by hand gets it here.
    register_fold(conn)?;
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
    ensure_register_id(conn)
}

/// The settings key of the register's identity.
const REGISTER_ID: &str = "register_id";

/// Gives the register its identity the first time it is opened: 32 random hex digits, kept in
/// `settings` and written in every backup, so that a backup set is known to belong to it.
fn ensure_register_id(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, lower(hex(randomblob(16)))) ON CONFLICT (key) DO NOTHING",
        [REGISTER_ID],
    )?;
    Ok(())
}

/// The register's identity (see [`ensure_register_id`]); `None` for a database never opened by
/// this build (a work copy opened read-only).
pub fn register_id(conn: &Connection) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [REGISTER_ID], |r| r.get(0)).optional()?)
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
    use sha2::{Digest, Sha256};

    /// Every released migration and the SHA-256 of its text (`sha256sum` of the file, with LF
    /// line ends). A migration is recorded here when it is released, and never edited after.
    const RELEASED: &[(&str, &str)] = &[
        ("0001_initial.sql", "e9296ff0b3e71535cc2842a900b0198e8146cc105dbee6fc4e53fe124381a292"),
        ("0002_obligations.sql", "151e062ee00fbe983c29ba6983d824f12a6adb298438757b0ab26f0545401e2c"),
        ("0003_parties.sql", "c99ef6eb5172c3e7ba4ecd7a082806679005d5e0a0db98cbd2fa208f565be013"),
        ("0004_email.sql", "1c0bf38763f2df4fe783e555c16c8c8ab8a9d256b70084e4cebe12c3de47ad8a"),
        ("0005_digest.sql", "b486d7c6e60e6c7150edefbbb73e2cc8f619a86fba3373db987e929a60c75262"),
        ("0006_keyset.sql", "9c78435c0dd95155f0613362eab4e79ac87bb3f05ef541c070d72e7943c480a3"),
        ("0007_logo.sql", "365cd685e69ee0382959e17950f45de8e6b2539128cb3654b7e325589db04bfb"),
        ("0008_firms_register.sql", "ce53ae1ac846912f29f45d17bb292ed1d3bde5d81705c2e7e2ca1f1eefed7020"),
        ("0009_corrections.sql", "318e59af47d44c19c58cacde14f53b9b80bedde0735310c1a3ff80603ae594b1"),
        ("0010_adapted_letters.sql", "b1afce785710d819bb0102ed2ad6caa5e2fbbf098dce8e3b10d416650fdb7b8e"),
        ("0011_register_import.sql", "5623a595460b8e297b8ec3571c7b3f5d10a2a425999e9794f74d75b30725c712"),
        ("0012_registered_numbers.sql", "e7f98af171e4049f0298d1c5352720d658faead141ab1f2d5289e6e03b429595"),
    ];

    /// The `.sql` files of `migrations/`, by name, with their text.
    fn migration_files() -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display())).path())
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .map(|p| {
                let name = p.file_name().unwrap_or_default().to_string_lossy().into_owned();
                let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                (name, text)
            })
            .collect();
        files.sort();
        files
    }

    /// A checkout that turns LF into CRLF (Windows) does not change a migration.
    fn sha256_lf(text: &str) -> String {
        Sha256::digest(text.replace("\r\n", "\n").as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn released_migrations_are_frozen_and_all_recorded() {
        let files = migration_files();
        let next = format!("{:04}", files.len() + 1);
        let mut problems = Vec::new();
        for (name, recorded) in RELEASED {
            match files.iter().find(|(f, _)| f == name) {
                None => problems.push(format!(
                    "migrations/{name} was released but is gone: restore it (databases in use have applied it)."
                )),
                Some((_, text)) if sha256_lf(text) != *recorded => problems.push(format!(
                    "migrations/{name} was edited after its release (SHA-256 {} instead of {recorded}). Released \
                     migrations are frozen: databases in use have already applied this one and will never run it \
                     again. Restore the file (git checkout) and make the change in a new migration, \
                     migrations/{next}_<what>.sql, added to db::MIGRATIONS.",
                    sha256_lf(text)
                )),
                Some(_) => {}
            }
        }
        for (name, text) in &files {
            if !RELEASED.iter().any(|(r, _)| r == name) {
                problems.push(format!(
                    "migrations/{name} is not recorded as released: once it is final, add (\"{name}\", \"{}\") \
                     to RELEASED in src/db.rs; from then on it is frozen (a later change is a new migration).",
                    sha256_lf(text)
                ));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        // Every file is embedded, in the order of its number.
        let texts: Vec<&str> = files.iter().map(|(_, t)| t.as_str()).collect();
        assert!(
            MIGRATIONS == texts.as_slice(),
            "db::MIGRATIONS must embed every file of migrations/, in order: {:?}",
            files.iter().map(|(n, _)| n).collect::<Vec<_>>()
        );
    }

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
