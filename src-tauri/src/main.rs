//! Entry point: everything happens in the library's `run()`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    reclamations_app::run();
}
