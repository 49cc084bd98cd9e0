//! Exporting the register's complaints (« Exporter » on the complaints list): the whole register
//! as `.xlsx` and as CSV, a year, and the list's filters, on a register of
//! `REGISTER_EXPORT_BENCH_COMPLAINTS` (100 000) complaints.
//!
//! `cargo bench -p reclamations-core --bench register_export`: the register is generated once
//! (100 000: the scale bench's `target/bench-fixture/`, shared; another size:
//! `target/bench-register-export-N/`), « today » is 2026-11-28.

use chrono::NaiveDate;
use reclamations_core::store::register_export::{self, Format, Scope};
use reclamations_core::store::search::ListQuery;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).ok_or("date")?;
    let n: usize =
        std::env::var("REGISTER_EXPORT_BENCH_COMPLAINTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target");
    let dir =
        if n == 100_000 { target.join("bench-fixture") } else { target.join(format!("bench-register-export-{n}")) };
    let path = reclamations_core::datadir::DataDir::new(&dir).database();
    if !path.exists() {
        std::fs::create_dir_all(&dir)?;
        eprintln!("Generating {n} complaints into {} (once)…", dir.display());
        let started = Instant::now();
        let mut conn = reclamations_core::db::open(&path)?;
        let firms = (n / 20).max(10);
        let done = reclamations_core::fixtures::populate(&mut conn, firms, n, today, 2026, |_| {})?;
        eprintln!("{done:?} in {:.0} s", started.elapsed().as_secs_f64());
    }
    let conn = reclamations_core::db::open(&path)?;
    let total: i64 = conn.query_row("SELECT count(*) FROM complaints", [], |r| r.get(0))?;
    println!("Data: {total} complaints.");
    println!();
    println!("| export | rows | size | median | runs |");
    println!("|---|---|---|---|---|");
    let list = ListQuery { step: "closed".into(), sort: "firm".into(), ..ListQuery::default() };
    let cases: [(&str, Scope, Format, usize); 5] = [
        ("whole register, .xlsx", Scope::All, Format::Xlsx, 3),
        ("whole register, CSV", Scope::All, Format::Csv, 3),
        ("year 2025, .xlsx", Scope::Year { year: 2025 }, Format::Xlsx, 5),
        ("list: closed, sorted by firm, .xlsx", Scope::List { query: Box::new(list) }, Format::Xlsx, 3),
        ("whole register, .xlsx written to disk (fsync, rename)", Scope::All, Format::Xlsx, 3),
    ];
    for (i, (label, scope, format, runs)) in cases.into_iter().enumerate() {
        let mut times = Vec::with_capacity(runs);
        let mut last = (0, 0);
        for _ in 0..runs {
            let started = Instant::now();
            if i == 4 {
                let out = target.join(format!("bench-register-export.{}", format.extension()));
                let written = reclamations_core::files::register_export::write(&conn, &scope, format, today, &out)?;
                last = (written.rows, std::fs::metadata(&out)?.len() as usize);
            } else {
                let (bytes, rows) = match format {
                    Format::Xlsx => register_export::to_xlsx(&conn, &scope, today)?,
                    Format::Csv => register_export::to_csv(&conn, &scope, today)?,
                };
                last = (rows, bytes.len());
            }
            times.push(started.elapsed());
        }
        times.sort();
        let median = times[times.len() / 2];
        println!("| {label} | {} | {:.1} MB | {} | {runs} |", last.0, last.1 as f64 / 1_000_000.0, show(median));
    }
    Ok(())
}

fn show(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.0} ms", s * 1000.0)
    }
}
