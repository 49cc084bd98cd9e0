//! The end-to-end tests, one binary: the built app in a real window (Xvfb), driven through
//! tauri-driver, each test in its own temp data dir. One module per area of the app; the harness
//! (launching, finding fields by label, the intake form, generated data) is `reclamations_e2e`.

mod a11y;
mod backup;
mod before_leaving;
mod committee;
mod corrections;
mod dashboard;
mod desktop;
mod email;
mod export;
mod firms;
mod hostile;
mod intake;
mod keyboard;
mod letters;
mod lists;
mod logo;
mod parties;
mod personal_data;
mod register;
mod register_check;
mod register_import;
mod retention;
mod setup;
mod startup;
mod statistics;
mod workflow;
