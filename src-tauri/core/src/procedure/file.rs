//! The stored state of one file as the procedure's rules read it (loaded by
//! [`crate::store::workflow`]): its step, the context of the transition rule, and the options its
//! forms offer.

use super::steps::{Context, Manager};
use crate::model::{Checklist, Step};
use chrono::NaiveDate;

/// The stored state of a file that its actions are decided, offered and read on: loaded by
/// [`crate::store::workflow`], read here without SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileState {
    pub step: Step,
    pub received_on: NaiveDate,
    pub checklist: Checklist,
    pub ctx: Context,
    pub manager: Option<Manager>,
    /// The instructeur's name, or empty.
    pub investigator: String,
    /// The Responsable proposed by the firm's scope on the date of receipt.
    pub proposed: Manager,
    /// The latest request for précisions is past its (indicative) date.
    pub details_lapsed: bool,
    /// The active instructeurs (or experts, for the expertise) of the register: (id, name).
    pub investigators: Vec<(String, String)>,
    pub experts: Vec<(String, String)>,
    /// The complaint's received documents: (id, « 12/03/2026 — nom »).
    pub received: Vec<(String, String)>,
    /// The firm's qualifications and certifications: (id, « Qualification 2.1 — … »).
    pub qualifications: Vec<(String, String)>,
}

impl FileState {
    /// The Responsable in charge: the one the file was sent to, else the one proposed.
    pub fn manager_or_proposed(&self) -> Manager {
        self.manager.unwrap_or(self.proposed)
    }
}
