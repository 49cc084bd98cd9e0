//! Settings stored as key/value rows, with OPQTECC's defaults when a key is absent.

use crate::error::{Error, FieldErrors, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// The procedure's durations (docs/PROCEDURE.md « Clocks »).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineSettings {
    /// The firm's answer, from the day it was informed.
    pub firm_months: u32,
    /// The investigator's answer, from transmission.
    pub investigator_months: u32,
    /// The complainant's details or information (indicative).
    pub complainant_months: u32,
    /// The overall deadline, from receipt.
    pub overall_months: u32,
    /// From how many months a complaint is flagged.
    pub flag_months: u32,
    /// A clock is « bientôt » this many days before its due date.
    pub soon_days: u32,
    /// Years a closed file is kept before it may be purged.
    pub retention_years: u32,
    /// The expert's report, from the appointment.
    #[serde(default = "one_month")]
    pub expert_months: u32,
}

fn one_month() -> u32 {
    1
}

impl Default for DeadlineSettings {
    fn default() -> Self {
        DeadlineSettings {
            firm_months: 1,
            investigator_months: 1,
            complainant_months: 1,
            overall_months: 6,
            flag_months: 5,
            soon_days: 7,
            retention_years: 5,
            expert_months: 1,
        }
    }
}

const KEYS: [&str; 8] = [
    "deadline.firm_months",
    "deadline.investigator_months",
    "deadline.complainant_months",
    "deadline.overall_months",
    "deadline.flag_months",
    "deadline.soon_days",
    "retention.years",
    "deadline.expert_months",
];

impl DeadlineSettings {
    fn values(&self) -> [u32; 8] {
        [
            self.firm_months,
            self.investigator_months,
            self.complainant_months,
            self.overall_months,
            self.flag_months,
            self.soon_days,
            self.retention_years,
            self.expert_months,
        ]
    }

    fn from_values(v: [u32; 8]) -> Self {
        DeadlineSettings {
            firm_months: v[0],
            investigator_months: v[1],
            complainant_months: v[2],
            overall_months: v[3],
            flag_months: v[4],
            soon_days: v[5],
            retention_years: v[6],
            expert_months: v[7],
        }
    }

    fn validate(&self) -> Result<()> {
        let mut errors = FieldErrors::new();
        let months = |v: u32| (1..=24).contains(&v);
        for (key, value) in [
            ("firm_months", self.firm_months),
            ("investigator_months", self.investigator_months),
            ("complainant_months", self.complainant_months),
            ("overall_months", self.overall_months),
            ("expert_months", self.expert_months),
        ] {
            if !months(value) {
                errors.insert(key.into(), "Entre 1 et 24 mois.".into());
            }
        }
        if self.flag_months == 0 || self.flag_months >= self.overall_months {
            errors.insert("flag_months".into(), "Au moins 1 mois et moins que le délai global.".into());
        }
        if self.soon_days > 60 {
            errors.insert("soon_days".into(), "Entre 0 et 60 jours.".into());
        }
        if !(1..=30).contains(&self.retention_years) {
            errors.insert("retention_years".into(), "Entre 1 et 30 ans.".into());
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation { fields: errors })
        }
    }
}

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", params![key], |r| r.get(0)).optional()?)
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The durations in force; a missing or unreadable value falls back to its default.
pub fn deadlines(conn: &Connection) -> Result<DeadlineSettings> {
    let mut values = DeadlineSettings::default().values();
    // One read for the eight durations: every action and every page asks for them.
    let mut stmt =
        conn.prepare_cached("SELECT key, value FROM settings WHERE key LIKE 'deadline.%' OR key = 'retention.years'")?;
    let stored = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (value, key) in values.iter_mut().zip(KEYS) {
        if let Some(v) = stored.iter().find(|(k, _)| k == key).and_then(|(_, s)| s.parse().ok()) {
            *value = v;
        }
    }
    Ok(DeadlineSettings::from_values(values))
}

/// Saves new durations. Clocks already started keep the due date they were given.
pub fn save_deadlines(conn: &mut Connection, new: &DeadlineSettings) -> Result<()> {
    new.validate()?;
    let tx = conn.transaction()?;
    for (value, key) in new.values().iter().zip(KEYS) {
        set(&tx, key, &value.to_string())?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;

    #[test]
    fn the_organisations_email_must_be_an_address() -> Result<()> {
        let conn = open_in_memory()?;
        let mut org = organisation(&conn)?;
        org.email = "pas-un-courriel".into();
        match save_organisation(&conn, &org) {
            Err(Error::Validation { fields }) => assert!(fields.contains_key("email"), "{fields:?}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        org.email = String::new();
        save_organisation(&conn, &org)?;
        org.email = "secretariat@opqtecc.example".into();
        save_organisation(&conn, &org)?;
        assert_eq!(organisation(&conn)?.email, "secretariat@opqtecc.example");
        Ok(())
    }

    #[test]
    fn defaults_then_saved_values() -> Result<()> {
        let mut conn = open_in_memory()?;
        assert_eq!(deadlines(&conn)?, DeadlineSettings::default());
        let new = DeadlineSettings { firm_months: 2, soon_days: 10, ..DeadlineSettings::default() };
        save_deadlines(&mut conn, &new)?;
        assert_eq!(deadlines(&conn)?, new);
        let bad = DeadlineSettings { flag_months: 6, overall_months: 6, firm_months: 0, ..new };
        match save_deadlines(&mut conn, &bad) {
            Err(Error::Validation { fields }) => {
                assert!(fields.contains_key("flag_months") && fields.contains_key("firm_months"))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(deadlines(&conn)?, new, "a refused save changes nothing");
        Ok(())
    }
}

/// The organisation's identity and signatories, printed on letters (OPQTECC by default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Organisation {
    pub name: String,
    /// Street lines, one per line.
    pub address_lines: String,
    pub postcode: String,
    pub city: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    /// The place in « Paris, le 28 novembre 2026 ».
    pub letter_place: String,
    pub general_delegate_name: String,
    pub general_delegate_title: String,
    pub qualification_manager_name: String,
    pub qualification_manager_title: String,
    pub certification_manager_name: String,
    pub certification_manager_title: String,
}

impl Default for Organisation {
    fn default() -> Self {
        Organisation {
            name: "OPQTECC".into(),
            address_lines: "41bis boulevard de La Tour-Maubourg".into(),
            postcode: "75007".into(),
            city: "Paris".into(),
            phone: String::new(),
            email: "secretariat@opqtecc.org".into(),
            website: String::new(),
            letter_place: "Paris".into(),
            general_delegate_name: String::new(),
            general_delegate_title: "La Déléguée Générale".into(),
            qualification_manager_name: String::new(),
            qualification_manager_title: "Le Responsable des Qualifications".into(),
            certification_manager_name: String::new(),
            certification_manager_title: "Le Responsable des Certifications".into(),
        }
    }
}

impl Organisation {
    /// « 41bis boulevard de La Tour-Maubourg 75007 Paris ».
    pub fn one_line_address(&self) -> String {
        let mut parts: Vec<&str> = self.address_lines.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let city = format!("{} {}", self.postcode, self.city);
        parts.push(city.trim());
        parts.join(", ")
    }

    fn validate(&self) -> Result<()> {
        let mut errors = FieldErrors::new();
        if self.name.trim().is_empty() {
            errors.insert("name".into(), "Indiquez le nom de l'organisme.".into());
        }
        if self.address_lines.trim().is_empty() {
            errors.insert("address_lines".into(), "Indiquez l'adresse de l'organisme.".into());
        }
        let pc = self.postcode.trim();
        if pc.len() != 5 || !pc.chars().all(|c| c.is_ascii_digit()) {
            errors.insert("postcode".into(), "Le code postal compte 5 chiffres.".into());
        }
        if self.city.trim().is_empty() {
            errors.insert("city".into(), "Indiquez la ville.".into());
        }
        if self.letter_place.trim().is_empty() {
            errors.insert("letter_place".into(), "Indiquez le lieu imprimé avant la date (« Paris »).".into());
        }
        let email = self.email.trim();
        if !email.is_empty() && !crate::validate::is_plausible_email(email) {
            // The sender of the emails the app prepares.
            errors.insert(
                "email".into(),
                "Cette adresse électronique n'est pas valide (exemple : nom@domaine.fr).".into(),
            );
        }
        for (key, title) in [
            ("general_delegate_title", &self.general_delegate_title),
            ("qualification_manager_title", &self.qualification_manager_title),
            ("certification_manager_title", &self.certification_manager_title),
        ] {
            if title.trim().is_empty() {
                errors.insert(key.into(), "Indiquez la fonction imprimée sous la signature.".into());
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation { fields: errors })
        }
    }
}

const ORGANISATION_KEY: &str = "organisation";

pub fn organisation(conn: &Connection) -> Result<Organisation> {
    Ok(get(conn, ORGANISATION_KEY)?.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
}

pub fn save_organisation(conn: &Connection, org: &Organisation) -> Result<()> {
    org.validate()?;
    write_organisation(conn, org)
}

fn write_organisation(conn: &Connection, org: &Organisation) -> Result<()> {
    let json = serde_json::to_string(org).map_err(|e| Error::refused(format!("Enregistrement impossible : {e}")))?;
    set(conn, ORGANISATION_KEY, &json)
}

/// The name printed under the signature of signatory `code` (« general_delegate »,
/// « qualification_manager », « certification_manager »): set when a member of staff is chosen
/// as that signatory, so that the name is typed once. An unknown code changes nothing.
pub fn set_signatory_name(conn: &Connection, code: &str, name: &str) -> Result<()> {
    let mut org = organisation(conn)?;
    let slot = match code {
        "general_delegate" => &mut org.general_delegate_name,
        "qualification_manager" => &mut org.qualification_manager_name,
        "certification_manager" => &mut org.certification_manager_name,
        _ => return Ok(()),
    };
    name.trim().clone_into(slot);
    write_organisation(conn, &org)
}

coded_enum!(
    /// What the letter informing the firm carries of the complaint (procedure § 5.4: the firm
    /// must answer the facts): the facts quoted, or a copy of the complaint enclosed.
    FirmLetterContent {
        Facts => "facts", "Les faits cités dans le courrier";
        Enclosure => "enclosure", "La réclamation en pièce jointe";
    }
);

coded_enum!(
    /// From when the firm's one-month clock runs when it is informed by letter: the day the
    /// letter is marked sent, or, for a registered letter, the day its AR card shows.
    FirmClockStart {
        Sent => "sent", "La date d'envoi du courrier";
        ArReturned => "ar_returned", "La date de l'avis de réception (lettre recommandée)";
    }
);

/// Settings of the letters' content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterSettings {
    /// From when the firm's clock runs (the letter keeps stating its own date).
    #[serde(default = "default_firm_clock_start")]
    pub firm_clock_start: FirmClockStart,
    /// What the firm's information letter carries of the complaint.
    pub firm_letter_content: FirmLetterContent,
    /// The firm's reminder gives a new answer date this many days after it is printed (rolled
    /// to a working day).
    pub reminder_days: u32,
    /// The way to contest the committee's outcome, if the organisation's rules provide one:
    /// printed as typed at the end of both outcome letters; empty, nothing is said.
    #[serde(default)]
    pub committee_contest_text: String,
    /// Whether the complainant and the firm are told by letter that an expert is appointed.
    #[serde(default = "yes")]
    pub expert_inform_parties: bool,
}

fn yes() -> bool {
    true
}

fn default_firm_clock_start() -> FirmClockStart {
    FirmClockStart::Sent
}

impl Default for LetterSettings {
    fn default() -> Self {
        LetterSettings {
            firm_clock_start: FirmClockStart::Sent,
            firm_letter_content: FirmLetterContent::Facts,
            reminder_days: 15,
            committee_contest_text: String::new(),
            expert_inform_parties: true,
        }
    }
}

const FIRM_CLOCK_START_KEY: &str = "letters.firm_clock_start";
const FIRM_LETTER_CONTENT_KEY: &str = "letters.firm_letter_content";
const REMINDER_DAYS_KEY: &str = "letters.reminder_days";
const CONTEST_TEXT_KEY: &str = "letters.committee_contest_text";
const EXPERT_INFORM_KEY: &str = "letters.expert_inform_parties";
/// The longest contest text accepted (it is printed in two letters).
const CONTEST_TEXT_MAX: usize = 2000;

/// Whether the two letters telling the parties an expert is appointed are sent (the settings'
/// `letters.expert_inform_parties`, default true).
pub fn expert_inform_parties(conn: &Connection) -> Result<bool> {
    Ok(get(conn, EXPERT_INFORM_KEY)?.is_none_or(|v| v != "0"))
}

/// The letters' settings in force; a missing or unreadable value falls back to its default.
pub fn letters(conn: &Connection) -> Result<LetterSettings> {
    let default = LetterSettings::default();
    Ok(LetterSettings {
        firm_clock_start: get(conn, FIRM_CLOCK_START_KEY)?
            .and_then(|code| FirmClockStart::from_code(&code))
            .unwrap_or(default.firm_clock_start),
        firm_letter_content: get(conn, FIRM_LETTER_CONTENT_KEY)?
            .and_then(|code| FirmLetterContent::from_code(&code))
            .unwrap_or(default.firm_letter_content),
        reminder_days: get(conn, REMINDER_DAYS_KEY)?.and_then(|s| s.parse().ok()).unwrap_or(default.reminder_days),
        committee_contest_text: get(conn, CONTEST_TEXT_KEY)?.unwrap_or_default(),
        expert_inform_parties: expert_inform_parties(conn)?,
    })
}

/// Saves the letters' settings. Letters already generated keep what they say.
pub fn save_letters(conn: &mut Connection, new: &LetterSettings) -> Result<()> {
    if !(1..=90).contains(&new.reminder_days) {
        return Err(Error::field("reminder_days", "Entre 1 et 90 jours."));
    }
    let contest = new.committee_contest_text.trim();
    if contest.chars().count() > CONTEST_TEXT_MAX {
        return Err(Error::field(
            "committee_contest_text",
            format!("Texte trop long : {CONTEST_TEXT_MAX} caractères au plus."),
        ));
    }
    let tx = conn.transaction()?;
    set(&tx, CONTEST_TEXT_KEY, contest)?;
    set(&tx, EXPERT_INFORM_KEY, if new.expert_inform_parties { "1" } else { "0" })?;
    set(&tx, FIRM_CLOCK_START_KEY, new.firm_clock_start.code())?;
    set(&tx, FIRM_LETTER_CONTENT_KEY, new.firm_letter_content.code())?;
    set(&tx, REMINDER_DAYS_KEY, &new.reminder_days.to_string())?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod letter_settings_tests {
    use super::*;
    use crate::db::open_in_memory;

    #[test]
    fn letter_settings_default_then_saved_and_checked() -> Result<()> {
        let mut conn = open_in_memory()?;
        assert_eq!(letters(&conn)?, LetterSettings::default());
        assert!(expert_inform_parties(&conn)?, "informed by default");
        let new = LetterSettings {
            firm_clock_start: FirmClockStart::ArReturned,
            firm_letter_content: FirmLetterContent::Enclosure,
            reminder_days: 10,
            committee_contest_text: "Recours possible sous deux mois auprès du Président.".into(),
            expert_inform_parties: false,
        };
        save_letters(&mut conn, &new)?;
        assert_eq!(letters(&conn)?, new);
        assert!(!expert_inform_parties(&conn)?);
        let long = LetterSettings { committee_contest_text: "x".repeat(2001), ..new.clone() };
        assert!(
            matches!(save_letters(&mut conn, &long), Err(Error::Validation { fields }) if fields.contains_key("committee_contest_text"))
        );
        let bad = LetterSettings { reminder_days: 0, ..new };
        assert!(
            matches!(save_letters(&mut conn, &bad), Err(Error::Validation { fields }) if fields.contains_key("reminder_days"))
        );
        set(&conn, FIRM_LETTER_CONTENT_KEY, "autre")?;
        assert_eq!(
            letters(&conn)?.firm_letter_content,
            FirmLetterContent::Facts,
            "an unknown code reads as the default"
        );
        Ok(())
    }
}
