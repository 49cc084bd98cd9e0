//! The demonstration register: a separate data folder filled by the fixture generator, for
//! trying the app without touching the real register. It lives beside the real data folder
//! (`<dossier>-demonstration`), carries a marker file, and is made anew each time it is opened.

use crate::datadir::DataDir;
use crate::french::io_reason;
use crate::letters::pdf::Fonts;
use crate::store::{settings, setup, staff};
use crate::{db, fixtures, Error, Result};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The marker file: only a folder holding it is ever emptied or deleted by this module.
pub const MARKER: &str = "DEMONSTRATION.txt";
const MARKER_TEXT: &str = "Données de démonstration de Réclamations : fictives, créées par l'application et \
supprimées quand on quitte la démonstration. Ce dossier n'est pas le registre réel.\n";

/// How much the demonstration holds: three years of a small office's complaints, the recent
/// ones at every step, some firms late in answering. Every complaint goes through the real
/// procedure with its letters (about ten milliseconds a letter): this volume keeps the wait
/// after « Essayer avec des données de démonstration » to a few seconds.
pub const VOLUME: fixtures::Volume =
    fixtures::Volume { firms: 25, complaints: 70, years: 3, recent: 24, lapsed_percent: 35 };
const SEED: u64 = 2026;

/// What the organisation is called in the demonstration: printed on every letter it produces.
pub const ORGANISATION_SUFFIX: &str = " — DÉMONSTRATION";

/// The demonstration folder that goes with the real data folder `real`.
pub fn dir_for(real: &Path) -> PathBuf {
    match real.file_name() {
        Some(name) => {
            let mut name = name.to_os_string();
            name.push("-demonstration");
            real.with_file_name(name)
        }
        None => real.join("demonstration"),
    }
}

/// What [`create`] made.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Demo {
    pub data_dir: PathBuf,
    pub firms: usize,
    pub complaints: usize,
}

/// Makes the demonstration folder anew (removing the previous one, if it is one), with its
/// register dated up to `today`. Refused if the folder exists and is not a demonstration.
pub fn create(real: &Path, today: NaiveDate) -> Result<Demo> {
    let dir = dir_for(real);
    remove(&dir)?;
    let layout = DataDir::new(&dir);
    let failed = |e: std::io::Error| {
        Error::refused(format!(
            "Le dossier de démonstration ne peut pas être créé ({}) : {}",
            io_reason(&e),
            dir.display()
        ))
    };
    std::fs::create_dir_all(layout.documents()).map_err(failed)?;
    // The marker first: a folder left half made by a crash is still known as a demonstration.
    std::fs::write(dir.join(MARKER), MARKER_TEXT).map_err(failed)?;
    let mut conn = db::open(&layout.database())?;
    // The organisation and its staff first: the letters generated below print them.
    let mut org = settings::organisation(&conn)?;
    if !org.name.ends_with(ORGANISATION_SUFFIX) {
        org.name.push_str(ORGANISATION_SUFFIX);
    }
    // Fictitious signatories, so that the letters show a signature as the real ones will.
    for (name, fictitious) in [
        (&mut org.general_delegate_name, "Isabelle Garnier"),
        (&mut org.qualification_manager_name, "Thierry Mercier"),
        (&mut org.certification_manager_name, "Céline Faure"),
    ] {
        if name.trim().is_empty() {
            *name = fictitious.to_owned();
        }
    }
    settings::save_organisation(&conn, &org)?;
    for (name, role) in [("Sophie Martin", "Assistante qualification"), ("Luc Petit", "Chargé de réclamations")] {
        staff::add(&conn, &staff::StaffForm { name: name.into(), role: role.into() })?;
    }
    // Thousands of small transactions: not synced one by one while the register is made (a
    // demonstration interrupted is made anew), synced once at the end.
    conn.pragma_update(None, "synchronous", "OFF")?;
    let fonts = Fonts::liberation()?;
    let made = fixtures::populate_by_workflow(&mut conn, &layout.documents(), &fonts, VOLUME, today, SEED, |_| {})?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    setup::finish(&conn, false, today)?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok(Demo { data_dir: dir, firms: made.firms, complaints: made.complaints })
}

/// Whether `dir` is a demonstration folder (it holds the marker).
pub fn is_demo(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
}

/// Deletes the demonstration folder `dir`; nothing to do if it does not exist. Refused,
/// without touching anything, if it exists without the marker (someone else's folder).
pub fn remove(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !is_demo(dir) {
        return Err(Error::refused(format!(
            "Le dossier {} existe déjà et n'est pas un dossier de démonstration : il n'a pas été touché. \
             Renommez-le ou déplacez-le pour essayer la démonstration.",
            dir.display()
        )));
    }
    std::fs::remove_dir_all(dir).map_err(|e| {
        Error::refused(format!(
            "Le dossier de démonstration n'a pas pu être supprimé ({}) : {}",
            io_reason(&e),
            dir.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Result<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 12, 1).ok_or(Error::refused("date"))
    }

    #[test]
    fn the_demonstration_sits_beside_the_real_folder() {
        assert_eq!(
            dir_for(Path::new("/home/a/.local/share/Reclamations-OPQTECC")),
            PathBuf::from("/home/a/.local/share/Reclamations-OPQTECC-demonstration")
        );
        assert_eq!(dir_for(Path::new("/")), PathBuf::from("/demonstration"));
    }

    #[test]
    fn made_anew_marked_and_filled_without_touching_the_real_register() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let real = tmp.path().join("donnees");
        std::fs::create_dir_all(&real)?;
        let real_db = DataDir::new(&real).database();
        drop(db::open(&real_db)?);
        let before = std::fs::read(&real_db)?;

        let demo = create(&real, day()?)?;
        assert_eq!(demo.data_dir, tmp.path().join("donnees-demonstration"));
        assert!(is_demo(&demo.data_dir));
        let conn = db::open(&DataDir::new(&demo.data_dir).database())?;
        let n: i64 = conn.query_row("SELECT COUNT(*) FROM complaints", [], |r| r.get(0))?;
        assert_eq!(n, VOLUME.complaints as i64);
        let board = crate::store::dashboard::dashboard(&conn, day()?)?;
        let overdue = board.items.iter().filter(|i| i.category == "overdue").count();
        assert!(overdue >= 3, "some answers are overdue: {overdue}");
        assert!(settings::organisation(&conn)?.name.ends_with(ORGANISATION_SUFFIX));
        assert!(!setup::needed(&conn)?);
        assert!(staff::list(&conn)?.iter().any(|s| s.name == "Luc Petit"));
        // Something done in the demonstration is gone when it is made again.
        std::fs::write(demo.data_dir.join("trace.txt"), "x")?;
        drop(conn);
        let again = create(&real, day()?)?;
        assert!(!again.data_dir.join("trace.txt").exists());

        assert_eq!(std::fs::read(&real_db)?, before, "the real register is untouched");
        remove(&again.data_dir)?;
        assert!(!again.data_dir.exists());
        remove(&again.data_dir)?;
        Ok(())
    }

    #[test]
    fn a_folder_that_is_not_a_demonstration_is_never_deleted() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let real = tmp.path().join("donnees");
        let theirs = dir_for(&real);
        std::fs::create_dir_all(&theirs)?;
        std::fs::write(theirs.join("important.txt"), "à garder")?;
        let err = create(&real, day()?).err().ok_or(Error::refused("should be refused"))?;
        assert!(err.user_message().contains("n'est pas un dossier de démonstration"), "{}", err.user_message());
        assert_eq!(std::fs::read_to_string(theirs.join("important.txt"))?, "à garder");
        Ok(())
    }

    /// Every complaint of the demonstration went through the real procedure: its journal is the
    /// app's own (chained, dated in order, worded in French without a stored code), its letters
    /// are archived and sent where the procedure requires them, and the newest files show every
    /// step. The same seed and day give the same register.
    #[test]
    fn the_demonstration_went_through_the_procedure_with_its_letters() -> Result<()> {
        use crate::model::Step;
        use crate::store::{digest, journal, obligations};
        let tmp = tempfile::tempdir()?;
        let demo = create(&tmp.path().join("donnees"), day()?)?;
        let layout = DataDir::new(&demo.data_dir);
        let conn = db::open(&layout.database())?;
        let files: Vec<(i64, Step)> = conn
            .prepare("SELECT id, step FROM complaints ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        assert_eq!(files.len(), VOLUME.complaints);
        for step in Step::ALL {
            assert!(files.iter().any(|(_, s)| s == step), "no file at step {step:?}");
        }
        let (mut authors, mut summaries) = (std::collections::BTreeSet::new(), Vec::new());
        for (id, step) in &files {
            assert_eq!(journal::first_broken(&conn, *id)?, None, "complaint {id}");
            let rows = journal::rows(&conn, *id)?;
            assert!(rows.windows(2).all(|w| w[0].occurred_on <= w[1].occurred_on), "complaint {id}: dated in order");
            for row in &rows {
                let codes = crate::test_support::codes_in(&row.summary);
                assert!(codes.is_empty(), "complaint {id}: {codes:?} in « {} »", row.summary);
                assert!(!row.summary.contains(": warning."), "{}", row.summary);
                authors.insert(row.author.clone());
                summaries.push(row.summary.clone());
            }
            // What the procedure requires before each step taken was sent; a closed file has
            // all its letters, none of them excused as older than the check.
            for o in obligations::checklist(&conn, *id)? {
                assert_ne!(o.state, "legacy", "complaint {id}: {}", o.what);
                if *step == Step::Closed {
                    assert!(o.met, "complaint {id} is closed without: {} ({})", o.what, o.state_label);
                }
            }
        }
        assert!(authors.len() >= 3, "{authors:?}");
        let summary = |start: &str| summaries.iter().any(|s| s.starts_with(start));
        for start in ["Décision du ", "Courrier généré : ", "Dossier clos le ", "Qualifié informé de la réclamation"]
        {
            assert!(summary(start), "no « {start}… » in the journals");
        }
        assert!(summaries.iter().any(|s| s.contains(" : Avertissement, prise par ")));
        // Several years of history.
        let years: i64 =
            conn.query_row("SELECT count(DISTINCT substr(received_on, 1, 4)) FROM complaints", [], |r| r.get(0))?;
        assert!(years >= 3, "{years}");
        // Each letter is archived, as the journal says (its file and hash).
        let letters: Vec<(String, String)> = conn
            .prepare("SELECT relative_path, sha256 FROM documents WHERE direction = 'out' AND kind <> 'email_draft'")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        assert!(letters.len() >= 3 * VOLUME.complaints / 2, "{} letters", letters.len());
        for (path, _) in letters.iter().take(20) {
            assert!(layout.documents().join(path).is_file(), "{path}");
        }
        // The register digest printed on a letter is the one of its day, and checks.
        let printed: (String, String) =
            conn.query_row("SELECT on_day, root FROM digest_days ORDER BY on_day LIMIT 1 OFFSET 10", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let on = crate::validate::parse_date(&printed.0).ok_or(Error::refused("date"))?;
        assert!(digest::verify(&conn, &printed.1, on)?.matches, "{printed:?}");

        // Made again from the same seed on the same day: the same register.
        let again = create(&tmp.path().join("autres"), day()?)?;
        let other = db::open(&DataDir::new(&again.data_dir).database())?;
        let all = |c: &rusqlite::Connection| -> Result<Vec<String>> {
            Ok(c.prepare("SELECT summary FROM journal ORDER BY id")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?)
        };
        let strip = |list: Vec<String>| -> Vec<String> {
            // A letter's hash differs (its PDF carries the time it was made): the rest is the same.
            list.into_iter().map(|s| s.split(", SHA-256").next().unwrap_or_default().to_owned()).collect()
        };
        assert_eq!(strip(all(&conn)?), strip(all(&other)?));
        Ok(())
    }
}
