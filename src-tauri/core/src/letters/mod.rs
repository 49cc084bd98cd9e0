//! Letters: the kinds the procedure sends, their default wording ([`defaults`]), the template
//! engine that merges it ([`templates`]) and the merge values it takes, French typography and
//! postal addresses, and the A4 PDF for window envelopes.

pub mod defaults;
pub mod kinds;
pub mod merge;
pub mod pdf;
pub mod templates;
pub mod typography;
