//! Réclamations core: the procedure's rules, validation and storage, with no Tauri and no UI,
//! so that it builds and tests without WebKit.

#[macro_use]
pub mod model;
pub mod archive;
pub mod backup;
pub mod db;
pub mod deadlines;
pub mod error;
pub mod fixtures;
pub mod import;
pub mod letters;
pub mod store;
pub mod validate;
pub mod vocabulary;
pub mod workflow;

pub use error::{Error, Result};
