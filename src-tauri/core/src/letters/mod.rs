//! Letters: the kinds the procedure sends, their wording (templates with merge fields), French
//! typography and postal addresses, and the A4 PDF for window envelopes.

pub mod kinds;
pub mod pdf;
pub mod templates;
pub mod typography;
