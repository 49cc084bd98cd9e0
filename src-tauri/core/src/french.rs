//! French text: dates (short and long), weekday names, decimal commas, the one accent fold,
//! and French words for the file-system failures a secretary meets.
//!
//! The fold is built on `unicode-normalization` (unicode-rs, the crate behind `idna`/`url`):
//! canonical decomposition (NFD), combining marks dropped, then recomposed (NFC) so that text
//! without accents (Korean, say) comes out as it went in. NFD does not split the letters that
//! are not « base + accent » — œ, æ, ß, ø, ł, đ, ı, and the ordinals ª º — so they are spelled
//! out by hand. `deunicode`/`any_ascii` were not chosen: they transliterate every script into
//! ASCII, which changes far more than accents (and « € » into « EUR »).

use chrono::{Datelike, NaiveDate, Weekday};
use std::io;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The text with its accents removed, case kept: « Saint-Étienne » → « Saint-Etienne »,
/// « Œuvre » → « OEuvre », « Straße » → « Strasse ».
pub fn without_accents(s: &str) -> String {
    let mut spelled = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'œ' => spelled.push_str("oe"),
            'Œ' => spelled.push_str("OE"),
            'æ' => spelled.push_str("ae"),
            'Æ' => spelled.push_str("AE"),
            'ß' => spelled.push_str("ss"),
            'ẞ' => spelled.push_str("SS"),
            'ø' => spelled.push('o'),
            'Ø' => spelled.push('O'),
            'ł' => spelled.push('l'),
            'Ł' => spelled.push('L'),
            'đ' => spelled.push('d'),
            'Đ' => spelled.push('D'),
            'ı' => spelled.push('i'),
            'ª' => spelled.push('a'),
            'º' => spelled.push('o'),
            other => spelled.push(other),
        }
    }
    spelled.nfd().filter(|&c| !is_combining_mark(c)).nfc().collect()
}

/// Lower case without accents, for lenient comparisons (« Réclamation » ~ « reclamation »).
pub fn fold(s: &str) -> String {
    without_accents(&s.to_lowercase())
}

/// French weekday name in lowercase (« lundi » … « dimanche »).
pub fn french_weekday(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

/// Short French format JJ/MM/AAAA, e.g. « 28/11/2026 ».
pub fn format_fr(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

/// Long French format, e.g. « 28 novembre 2026 », « 1er mars 2026 ».
pub fn format_fr_long(date: NaiveDate) -> String {
    let month = match date.month() {
        1 => "janvier",
        2 => "février",
        3 => "mars",
        4 => "avril",
        5 => "mai",
        6 => "juin",
        7 => "juillet",
        8 => "août",
        9 => "septembre",
        10 => "octobre",
        11 => "novembre",
        _ => "décembre",
    };
    let day = if date.day() == 1 { "1er".to_string() } else { date.day().to_string() };
    format!("{} {} {}", day, month, date.year())
}

/// A number with `places` decimals and a decimal comma: `decimal(2.54, 1)` → « 2,5 ».
pub fn decimal(x: f64, places: usize) -> String {
    format!("{x:.places$}").replace('.', ",")
}

/// A whole number with its thousands set apart by a narrow no-break space, as French
/// typography (and the interface's `toLocaleString('fr-FR')`) writes them: « 1 708 ».
pub fn integer(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(d);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// Why a file operation failed, in French and without the system's (English) text:
/// « fichier ou dossier introuvable », « accès refusé », « disque plein »…
pub fn io_reason(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let reason = match e.kind() {
        K::NotFound => "fichier ou dossier introuvable",
        K::PermissionDenied => "accès refusé",
        K::AlreadyExists => "un fichier de ce nom existe déjà",
        K::StorageFull | K::QuotaExceeded => "disque plein",
        K::FileTooLarge => "fichier trop volumineux",
        K::ReadOnlyFilesystem => "disque en lecture seule",
        K::UnexpectedEof => "fichier tronqué",
        K::InvalidData => "contenu illisible ou endommagé",
        K::InvalidInput | K::InvalidFilename => "nom ou chemin de fichier invalide",
        K::NotADirectory => "un élément du chemin n'est pas un dossier",
        K::IsADirectory => "c'est un dossier, pas un fichier",
        K::DirectoryNotEmpty => "le dossier n'est pas vide",
        K::ResourceBusy | K::ExecutableFileBusy | K::WouldBlock => "fichier utilisé par un autre programme",
        K::TimedOut => "le disque ou le réseau ne répond pas",
        K::Interrupted => "opération interrompue",
        K::CrossesDevices => "déplacement impossible d'un disque à un autre",
        K::OutOfMemory => "mémoire insuffisante",
        K::Unsupported => "opération non prise en charge par ce disque",
        _ => "erreur de lecture ou d'écriture",
    };
    reason.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Result<NaiveDate, String> {
        NaiveDate::from_ymd_opt(y, m, day).ok_or_else(|| format!("{y}-{m}-{day}"))
    }

    #[test]
    fn whole_numbers_have_their_thousands_apart() {
        assert_eq!(integer(1708), "1\u{202f}708");
        assert_eq!(integer(31), "31");
        assert_eq!(integer(1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(integer(-1000), "-1\u{202f}000");
        assert_eq!(integer(0), "0");
    }

    /// The union of what the four former folds handled (validation, CSV headers, postal
    /// addresses, the complaint form's script).
    #[test]
    fn fold_removes_case_and_every_accent_the_old_folds_knew() {
        assert_eq!(fold("Réclamation LEFÈVRE"), "reclamation lefevre");
        assert_eq!(fold("àâäáãå ç éèêë îïíì ñ ôöóòõø ùûüú ýÿ"), "aaaaaa c eeee iiii n oooooo uuuu yy");
        assert_eq!(fold("ÀÂÄÁÃÅ Ç ÉÈÊË ÎÏÍÌ Ñ ÔÖÓÒÕØ ÙÛÜÚ ÝŸ"), "aaaaaa c eeee iiii n oooooo uuuu yy");
        assert_eq!(fold("Œuvre cœur Æsop Straße"), "oeuvre coeur aesop strasse");
        assert_eq!(fold("Nº 1ª"), "no 1a");
        // Decomposed input (as macOS file names and some pastes are) folds the same.
        assert_eq!(fold("Re\u{301}clamation"), "reclamation");
        // Punctuation and other scripts are kept.
        assert_eq!(fold("N° SIRET – l’été"), "n° siret – l’ete");
        assert_eq!(fold("한국"), "한국");
    }

    #[test]
    fn without_accents_keeps_the_case() {
        assert_eq!(without_accents("Saint-Étienne"), "Saint-Etienne");
        assert_eq!(without_accents("L’Haÿ-les-Roses"), "L’Hay-les-Roses");
        assert_eq!(without_accents("ŒIL Æ"), "OEIL AE");
    }

    #[test]
    fn dates_and_numbers_in_french() -> Result<(), String> {
        assert_eq!(format_fr(d(2026, 11, 28)?), "28/11/2026");
        assert_eq!(format_fr(d(2026, 3, 2)?), "02/03/2026");
        assert_eq!(format_fr_long(d(2026, 11, 28)?), "28 novembre 2026");
        assert_eq!(format_fr_long(d(2026, 3, 1)?), "1er mars 2026");
        assert_eq!(format_fr_long(d(2026, 8, 15)?), "15 août 2026");
        assert_eq!(format_fr_long(d(2026, 2, 2)?), "2 février 2026");
        assert_eq!(format_fr_long(d(2026, 12, 31)?), "31 décembre 2026");
        let _ = format_fr_long(NaiveDate::MAX);
        // 2026-03-02 is a Monday (python3: date(2026,3,2).strftime('%A')).
        let names = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
        for (i, name) in names.iter().enumerate() {
            assert_eq!(french_weekday(d(2026, 3, 2 + i as u32)?), *name);
        }
        assert_eq!(decimal(2.54, 1), "2,5");
        assert_eq!(decimal(-3.0, 1), "-3,0");
        assert_eq!(decimal(12.0, 0), "12");
        Ok(())
    }

    #[test]
    fn io_reasons_are_french_without_the_system_text() {
        let missing = io::Error::from(io::ErrorKind::NotFound);
        assert_eq!(io_reason(&missing), "fichier ou dossier introuvable");
        assert_eq!(io_reason(&io::Error::from(io::ErrorKind::PermissionDenied)), "accès refusé");
        assert_eq!(io_reason(&io::Error::from(io::ErrorKind::StorageFull)), "disque plein");
        assert_eq!(io_reason(&io::Error::from(io::ErrorKind::UnexpectedEof)), "fichier tronqué");
        let os = io::Error::from_raw_os_error(2);
        assert_eq!(io_reason(&os), "fichier ou dossier introuvable");
        let other = io::Error::other("broken pipe somewhere");
        assert!(!io_reason(&other).contains("broken"));
    }
}
