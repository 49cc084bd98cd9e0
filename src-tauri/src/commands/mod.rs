//! The commands the UI calls: one module per area, each command a few lines.

pub mod app;
pub mod complaints;
pub mod firms;
pub mod letters;
pub mod register;
pub mod safety;
pub mod settings;
pub mod stats;
