//! Test helper for the crash-safety harness (`tests/crash.rs`): runs the app's write paths in
//! a loop on a data dir — register, act, journal, archive a letter — and prints « OK … » after
//! each one that returned success, until it is killed.

use reclamations_core::fixtures::{self, Rng};
use reclamations_core::letters::kinds::LetterKind;
use reclamations_core::letters::pdf::Fonts;
use reclamations_core::procedure::ActionKind;
use reclamations_core::store::journal::{self, JournalKind, ManualEntryForm};
use reclamations_core::store::workflow::{self, ActionForm};
use reclamations_core::store::{complaints, firms, letters};
use std::io::Write;

fn main() {
    if let Err(e) = run() {
        eprintln!("crash-writer: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).ok_or("usage: crash-writer DATA_DIR SEED")?);
    let seed: u64 = std::env::args().nth(2).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).ok_or("date")?;
    let layout = reclamations_core::datadir::DataDir::new(&dir);
    let mut conn = reclamations_core::db::open(&layout.database())?;
    let fonts = Fonts::liberation()?;
    let mut rng = Rng::new(seed);
    let firm_id = match firms::list(&conn)?.first() {
        Some(f) => f.id,
        None => firms::insert(
            &conn,
            &reclamations_core::validate::validate_firm(&fixtures::firm(&mut rng, 1), "firm")?,
            "firm",
        )?,
    };
    let out = std::io::stdout();
    loop {
        let mut form = fixtures::complaint(&mut rng, firm_id, today);
        form.checklist.actions_taken = true;
        form.actions_taken = "Relances restées sans effet.".into();
        let r = complaints::register(&mut conn, &form, today, "Secrétariat")?;
        writeln!(out.lock(), "OK register {}", r.id)?;
        let ack = ActionForm::of(ActionKind::Acknowledge, "28/11/2026");
        workflow::perform(&mut conn, r.id, "Secrétariat", &ack, today)?;
        writeln!(out.lock(), "OK action {}", r.id)?;
        let note = ManualEntryForm {
            kind: JournalKind::Call.code().into(),
            date: "28/11/2026".into(),
            participants: "Plaignant".into(),
            summary: "Appel de suivi.".into(),
            corrects_seq: None,
        };
        journal::add_manual(&mut conn, r.id, "Secrétariat", &note, today)?;
        writeln!(out.lock(), "OK journal {}", r.id)?;
        let g = letters::generate(
            &mut conn,
            &layout.documents(),
            &fonts,
            r.id,
            LetterKind::Acknowledgement,
            None,
            today,
            "Secrétariat",
        )?;
        writeln!(out.lock(), "OK letter {} {}", g.document_id, g.sha256)?;
        out.lock().flush()?;
    }
}
