//! The first start: a short, skippable setup, offered once on an empty register.

use crate::store::settings;
use crate::Result;
use chrono::NaiveDate;
use rusqlite::Connection;

/// The setting that records when the setup was finished or skipped (`YYYY-MM-DD terminée` /
/// `YYYY-MM-DD passée`); its absence on an empty register means a first start.
pub const KEY: &str = "setup.completed";

/// Whether the setup is to be offered: never done nor skipped, and no complaint registered yet
/// (a register in use before the setup existed is not asked again).
pub fn needed(conn: &Connection) -> Result<bool> {
    if settings::get(conn, KEY)?.is_some() {
        return Ok(false);
    }
    let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM complaints)", [], |r| r.get(0))?;
    Ok(!any)
}

/// Records that the setup was gone through (`skipped`: left at once) on `today`.
pub fn finish(conn: &Connection, skipped: bool, today: NaiveDate) -> Result<()> {
    settings::set(conn, KEY, &format!("{today} {}", if skipped { "passée" } else { "terminée" }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;

    #[test]
    fn offered_once_on_an_empty_register() -> Result<()> {
        let conn = db::open_in_memory()?;
        assert!(needed(&conn)?);
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).ok_or(crate::Error::refused("date"))?;
        finish(&conn, true, today)?;
        assert!(!needed(&conn)?);
        assert_eq!(settings::get(&conn, KEY)?.as_deref(), Some("2026-12-01 passée"));
        finish(&conn, false, today)?;
        assert_eq!(settings::get(&conn, KEY)?.as_deref(), Some("2026-12-01 terminée"));
        Ok(())
    }

    #[test]
    fn a_register_already_in_use_is_not_asked() -> Result<()> {
        let mut conn = db::open_in_memory()?;
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).ok_or(crate::Error::refused("date"))?;
        crate::fixtures::populate(&mut conn, 2, 1, today, 7, |_| {})?;
        assert!(!needed(&conn)?);
        Ok(())
    }
}
