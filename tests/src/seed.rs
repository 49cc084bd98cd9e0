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
