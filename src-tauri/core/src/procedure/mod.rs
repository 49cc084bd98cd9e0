//! The procedure, pure: its steps and the one transition rule ([`steps`]), what each action's
//! form asks for and how it is read into a typed [`Action`] ([`form`], [`action`]), what each
//! action does as data ([`effects`]), the letters it obliges the organisation to send
//! ([`obligations`]) and the journal's words ([`wording`]). No SQL and no files here: the store
//! loads a file's state, asks these rules, and saves what they decide.

pub mod action;
pub mod clocks;
pub mod effects;
pub mod file;
pub mod form;
pub mod obligations;
pub mod steps;
pub mod wording;

pub use action::{Act, Action, Chosen, Outcome};
pub use file::FileState;
pub use form::{ActionForm, FieldKey, FieldSpec, Input, OutcomeForm};
pub use steps::*;
