//! Where the data lives and what « today » is: from the command line, the environment, or the
//! platform's data directory.

use chrono::NaiveDate;
use std::ffi::OsString;
use std::path::PathBuf;

/// The folder created under the platform's data directory.
/// The names inside it are `reclamations_core::datadir::DataDir`'s.
pub const APP_FOLDER: &str = "Reclamations-OPQTECC";
pub const DATA_DIR_ENV: &str = "RECLAMATIONS_DATA_DIR";
pub const TODAY_ENV: &str = "RECLAMATIONS_TODAY";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Startup {
    pub data_dir: PathBuf,
    /// A fixed « today » for tests and demos; `None` means the system date.
    pub today: Option<NaiveDate>,
}

/// Reads `--data-dir PATH` (or `--data-dir=PATH`), then `RECLAMATIONS_DATA_DIR`, then the
/// platform default; and `RECLAMATIONS_TODAY=YYYY-MM-DD`. Errors are French sentences.
pub fn resolve(
    args: impl IntoIterator<Item = OsString>,
    env: impl Fn(&str) -> Option<OsString>,
    platform_data_dir: Option<PathBuf>,
) -> Result<Startup, String> {
    let mut from_args = None;
    let mut args = args.into_iter().skip(1);
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text == "--data-dir" {
            from_args = Some(args.next().ok_or("L'option --data-dir doit être suivie du chemin d'un dossier.")?);
        } else if let Some(path) = text.strip_prefix("--data-dir=") {
            from_args = Some(OsString::from(path));
        }
    }
    let data_dir = match from_args.or_else(|| env(DATA_DIR_ENV).filter(|v| !v.is_empty())) {
        Some(dir) => PathBuf::from(dir),
        None => platform_data_dir
            .ok_or(
                "Le dossier de données de votre session est introuvable. Indiquez un dossier avec l'option \
                 --data-dir ou la variable RECLAMATIONS_DATA_DIR.",
            )?
            .join(APP_FOLDER),
    };
    let today = match env(TODAY_ENV).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => {
            let text = v.to_string_lossy().into_owned();
            Some(NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
                format!("La variable RECLAMATIONS_TODAY vaut « {text} » : attendu une date AAAA-MM-JJ, par exemple 2026-03-01.")
            })?)
        }
    };
    Ok(Startup { data_dir, today })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn command_line_beats_environment_which_beats_platform() -> Result<(), String> {
        let env = |k: &str| (k == DATA_DIR_ENV).then(|| OsString::from("/env"));
        let platform = Some(PathBuf::from("/home/x/.local/share"));
        assert_eq!(
            resolve(args(&["app", "--data-dir", "/cli"]), env, platform.clone())?.data_dir,
            PathBuf::from("/cli")
        );
        assert_eq!(
            resolve(args(&["app", "--data-dir=/cli2"]), env, platform.clone())?.data_dir,
            PathBuf::from("/cli2")
        );
        assert_eq!(resolve(args(&["app"]), env, platform.clone())?.data_dir, PathBuf::from("/env"));
        let none = |_: &str| None;
        assert_eq!(
            resolve(args(&["app"]), none, platform)?.data_dir,
            PathBuf::from("/home/x/.local/share").join(APP_FOLDER)
        );
        assert!(resolve(args(&["app"]), none, None).is_err());
        assert!(resolve(args(&["app", "--data-dir"]), none, None).is_err());
        Ok(())
    }

    #[test]
    fn today_is_fixed_by_the_environment() -> Result<(), String> {
        let env = |k: &str| (k == TODAY_ENV).then(|| OsString::from("2026-03-01"));
        let s = resolve(args(&["app"]), env, Some(PathBuf::from("/d")))?;
        assert_eq!(s.today, NaiveDate::from_ymd_opt(2026, 3, 1));
        let bad = |k: &str| (k == TODAY_ENV).then(|| OsString::from("01/03/2026"));
        assert!(resolve(args(&["app"]), bad, Some(PathBuf::from("/d"))).is_err_and(|e| e.contains("AAAA-MM-JJ")));
        Ok(())
    }
}
