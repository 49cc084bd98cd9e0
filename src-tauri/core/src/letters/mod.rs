//! Letters: the kinds the procedure sends, their wording (templates with merge fields) and the
//! merge values they take, French typography and postal addresses, and the A4 PDF for window
//! envelopes.

pub mod defaults;
pub mod kinds;
pub mod merge;
pub mod pdf;
pub mod templates;
pub mod typography;
