//! Data written into a profile's data dir before the app starts: the core's generated register
//! (firms, complaints at every step, their journals), sized by a named `Population`.

use crate::{Profile, TestResult};
use chrono::NaiveDate;
use reclamations_core::fixtures::Populated;

/// How much generated data a test wants, and the seed that makes it repeatable.
#[derive(Clone, Copy, Debug)]
pub struct Population {
    pub firms: usize,
    pub complaints: usize,
    pub seed: u64,
}

impl Profile {
    /// The profile's « today » as a date (it must have one).
    pub fn today_date(&self) -> TestResult<NaiveDate> {
        let today = self.today.as_deref().ok_or("the profile has no « today »")?;
        Ok(NaiveDate::parse_from_str(today, "%Y-%m-%d")?)
    }

    /// Fills the data dir as of the profile's « today »; returns the open database, for the
    /// test to count with its own SQL, and what was generated.
    pub fn populate(&self, population: Population) -> TestResult<(rusqlite::Connection, Populated)> {
        std::fs::create_dir_all(self.layout().documents())?;
        let mut conn = reclamations_core::db::open(&self.layout().database())?;
        let Population { firms, complaints, seed } = population;
        let done =
            reclamations_core::fixtures::populate(&mut conn, firms, complaints, self.today_date()?, seed, |_| {})?;
        Ok((conn, done))
    }
}

/// A firm of the register with its dated qualifications, as the firms screen would record them.
#[derive(Clone, Debug, Default)]
pub struct SeedFirm {
    pub name: String,
    pub city: String,
    pub postcode: String,
    pub street: String,
    /// The register's flags (dated qualifications, when there are any, decide the status).
    pub is_qualified: bool,
    /// (reference, label, valid from, valid until), dates as `JJ/MM/AAAA`.
    pub qualifications: Vec<(String, String, String, String)>,
}

impl Profile {
    /// Writes `firm` into the profile's data dir before the app starts; returns its id.
    pub fn seed_firm(&self, firm: &SeedFirm) -> TestResult<i64> {
        use reclamations_core::store::firms;
        std::fs::create_dir_all(self.layout().documents())?;
        let mut conn = reclamations_core::db::open(&self.layout().database())?;
        let form = reclamations_core::validate::FirmForm {
            name: firm.name.clone(),
            address_lines: firm.street.clone(),
            postcode: firm.postcode.clone(),
            city: firm.city.clone(),
            is_qualified: firm.is_qualified,
            ..Default::default()
        };
        let id = firms::save(&mut conn, None, &form, "Préparation du test")?;
        for (reference, label, from, until) in &firm.qualifications {
            let q = firms::Qualification {
                reference: reference.clone(),
                label: label.clone(),
                valid_from: from.clone(),
                valid_until: until.clone(),
                ..Default::default()
            };
            firms::add_qualification(&conn, id, &q, "Préparation du test")?;
        }
        Ok(id)
    }
}
