//! Réclamations core: the procedure's rules, validation and storage, with no Tauri and no UI,
//! so that it builds and tests without WebKit.

pub mod db;
pub mod error;
pub mod model;
pub mod store;
pub mod validate;

pub use error::{Error, Result};
