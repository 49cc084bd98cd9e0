//! Letters benchmark: time per letter in-process (compose + PDF), and a batch of 200 letters
//! generated as the app does it (compose, PDF, archive with fsync, journal). Run with
//! `cargo bench -p reclamations-core --bench letters`.

use chrono::NaiveDate;
use reclamations_core::fixtures::{self, Rng};
use reclamations_core::letters::kinds::LetterKind;
use reclamations_core::letters::pdf::{self, Fonts};
use reclamations_core::store::{complaints, firms, letters};
use reclamations_core::validate::validate_firm;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).ok_or("date")?;
    let dir = tempfile::tempdir()?;
    let mut conn = reclamations_core::db::open(&dir.path().join("bench.sqlite3"))?;
    let mut rng = Rng::new(7);
    let firm = validate_firm(&fixtures::firm(&mut rng, 1), "firm")?;
    let firm_id = firms::insert(&conn, &firm, "firm")?;
    let mut ids = Vec::new();
    for _ in 0..200 {
        let form = fixtures::complaint(&mut rng, firm_id, today);
        ids.push(complaints::register(&mut conn, &form, today, "Secrétariat")?.id);
    }

    let t = Instant::now();
    let fonts = Fonts::liberation()?;
    let fonts_ms = t.elapsed().as_secs_f64() * 1e3;

    // Warm-up, then the in-process time per letter.
    for id in ids.iter().take(10) {
        pdf::render(
            &letters::compose(&conn, *id, LetterKind::FirmNotification, None, today)
                .or_else(|_| letters::compose(&conn, *id, LetterKind::Acknowledgement, None, today))?,
            &fonts,
        )?;
    }
    let t = Instant::now();
    let mut bytes = 0;
    for id in &ids {
        let doc = letters::compose(&conn, *id, LetterKind::Acknowledgement, None, today)
            .or_else(|_| letters::compose(&conn, *id, LetterKind::RequestDetails, None, today))?;
        bytes += pdf::render(&doc, &fonts)?.len();
    }
    let per_letter_ms = t.elapsed().as_secs_f64() * 1e3 / ids.len() as f64;

    // Layout alone, and the same letters as one PDF (the day's mail path).
    let composed: Vec<_> = ids
        .iter()
        .take(50)
        .filter_map(|id| letters::compose(&conn, *id, LetterKind::Acknowledgement, None, today).ok())
        .collect();
    let t = Instant::now();
    for doc in &composed {
        std::hint::black_box(pdf::layout(doc, &fonts));
    }
    let layout_ms = t.elapsed().as_secs_f64() * 1e3 / composed.len().max(1) as f64;
    let t = Instant::now();
    let many = pdf::render_many(&composed, &fonts)?;
    let many_ms = t.elapsed().as_secs_f64() * 1e3 / composed.len().max(1) as f64;

    let docs = reclamations_core::datadir::DataDir::new(dir.path()).documents();
    let t = Instant::now();
    for id in &ids {
        let kind = if letters::compose(&conn, *id, LetterKind::Acknowledgement, None, today).is_ok() {
            LetterKind::Acknowledgement
        } else {
            LetterKind::RequestDetails
        };
        letters::generate(&mut conn, &docs, &fonts, *id, kind, None, today, "Secrétariat")?;
    }
    let batch_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let (day, count) = letters::day_mail(&conn, &fonts, today)?;
    let day_ms = t.elapsed().as_secs_f64() * 1e3;

    println!("| measure | result |");
    println!("|---|---|");
    println!("| fonts parsed (once per session) | {fonts_ms:.1} ms |");
    println!("| compose + render, per letter (in-process, 200 letters) | {per_letter_ms:.2} ms |");
    println!("| average PDF size | {:.1} KB |", bytes as f64 / ids.len() as f64 / 1024.0);
    println!("| layout alone, per letter | {layout_ms:.2} ms |");
    println!(
        "| render_many, per letter ({} letters, {:.0} KB) | {many_ms:.2} ms |",
        composed.len(),
        many.len() as f64 / 1024.0
    );
    println!(
        "| generate + archive (fsync) + journal, batch of 200 | {batch_s:.2} s ({:.1} ms/letter) |",
        batch_s * 1e3 / 200.0
    );
    println!("| day's mail: {count} letters in one PDF | {day_ms:.0} ms, {:.0} KB |", day.len() as f64 / 1024.0);
    Ok(())
}
