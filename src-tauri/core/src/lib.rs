//! Réclamations core: the procedure's rules, validation and storage, with no Tauri and no UI,
//! so that it builds and tests without WebKit.

#[macro_use]
pub mod model;
pub mod archive;
pub mod backup;
pub mod datadir;
pub mod db;
pub mod deadlines;
pub mod demo;
pub mod error;
pub mod files;
pub mod fixtures;
pub mod french;
pub mod import;
pub mod letters;
pub mod mail;
pub mod procedure;
pub mod register_sheet;
pub mod store;
#[cfg(test)]
pub(crate) mod test_support;
pub mod validate;
pub mod vocabulary;

pub use error::{Error, Result};
