//! Backup figures: time and bytes of the first snapshot, of a second one after a day's
//! activity, of a restore and of the drill; then the destination's size after a simulated year
//! of daily snapshots with the retention tiers.
//!
//! `cargo bench -p reclamations-core --bench backup`
//!
//! Sizes (environment):
//! - `BACKUP_BENCH_COMPLAINTS` (100 000) complaints and `BACKUP_BENCH_DOCS_MB` (1 000) MB of
//!   generated documents for the first part (the data dir is generated once into
//!   `target/bench-backup/data-<complaints>-<mb>`);
//! - `BACKUP_BENCH_YEAR_COMPLAINTS` (10 000), `BACKUP_BENCH_DAYS` (365) for the year, with 20
//!   new complaints and 5 scans of 300 kB a day.
//!
//! Each run over an existing data dir is a new day: its scans have new names and new bytes
//! (the round is counted in `<data>/bench-round`).
//!
//! One step at a time, for `scripts/bench-backup-vs-restic.sh` (timed from outside):
//! `BACKUP_BENCH_STEP=generate|day|snapshot` with `BACKUP_BENCH_DATA=<data dir>` and, for
//! `snapshot`, `BACKUP_BENCH_DEST=<destination>`; sizes as above.

use reclamations_core::backup::drill;
use reclamations_core::backup::repo;
use reclamations_core::backup::retention::Tiers;
use reclamations_core::datadir::DataDir;
use reclamations_core::fixtures::{self, Rng};
use reclamations_core::store::{complaints, firms, journal};
use std::path::{Path, PathBuf};
use std::time::Instant;

type R<T> = Result<T, Box<dyn std::error::Error>>;

fn env(key: &str, default: usize) -> usize {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => stack.push(e.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

/// A document that compresses like a scan (random bytes): `size` bytes.
fn document(data: &Path, folder: &str, name: &str, size: usize, rng: &mut Rng) -> R<()> {
    let dir = DataDir::new(data).documents().join(folder);
    std::fs::create_dir_all(&dir)?;
    let mut bytes = Vec::with_capacity(size + 8);
    while bytes.len() < size {
        bytes.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    bytes.truncate(size);
    std::fs::write(dir.join(name), bytes)?;
    Ok(())
}

fn generate(data: &Path, n_complaints: usize, docs_mb: usize, today: chrono::NaiveDate) -> R<()> {
    if DataDir::new(data).database().exists() {
        return Ok(());
    }
    std::fs::create_dir_all(data)?;
    let started = Instant::now();
    let mut conn = reclamations_core::db::open(&DataDir::new(data).database())?;
    let firms = (n_complaints / 20).max(10);
    reclamations_core::fixtures::populate(&mut conn, firms, n_complaints, today, 2026, |_| {})?;
    let mut rng = Rng::new(42);
    let mut written = 0usize;
    let mut i = 0;
    while written < docs_mb * 1_000_000 {
        // 100 kB to 2 MB, like letters and scans.
        let size = 100_000 + rng.below(1_900_000);
        document(data, &format!("Q{:05}-cabinet", i % 5000), &format!("piece-{i}.pdf"), size, &mut rng)?;
        written += size;
        i += 1;
    }
    eprintln!(
        "generated {n_complaints} complaints and {i} documents ({}) in {:.0} s",
        mb(written as u64),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A day's activity: `new` complaints registered with a journal entry each, `scans` documents.
fn activity(
    conn: &mut rusqlite::Connection,
    data: &Path,
    day: chrono::NaiveDate,
    new: usize,
    scans: usize,
    rng: &mut Rng,
) -> R<()> {
    let firm_id = firms::list(conn)?.first().map(|f| f.id).ok_or("no firm")?;
    for _ in 0..new {
        let r = complaints::register(conn, &fixtures::complaint(rng, firm_id, day), day, "Secrétariat")?;
        let note = journal::ManualEntryForm {
            kind: journal::JournalKind::Call.code().into(),
            date: reclamations_core::french::format_fr(day),
            participants: "Plaignant".into(),
            summary: "Appel de suivi.".into(),
            corrects_seq: None,
        };
        journal::add_manual(conn, r.id, "Secrétariat", &note, day)?;
    }
    for s in 0..scans {
        document(data, "Q00001-cabinet", &format!("scan-{day}-{s}.pdf"), 300_000, rng)?;
    }
    Ok(())
}

/// The next day of the data dir `data`: `today` plus the number of days already simulated
/// there, and a random generator of its own (new names, new bytes at each run).
fn next_round(data: &Path, today: chrono::NaiveDate) -> R<(chrono::NaiveDate, Rng)> {
    let file = data.join("bench-round");
    let round: u64 = std::fs::read_to_string(&file).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0) + 1;
    std::fs::write(&file, round.to_string())?;
    let day = today.checked_add_days(chrono::Days::new(round)).ok_or("date")?;
    Ok((day, Rng::new(7 + round)))
}

/// `BACKUP_BENCH_STEP`: one step for the comparison script.
fn step(step: &str, today: chrono::NaiveDate) -> R<()> {
    let data = PathBuf::from(std::env::var("BACKUP_BENCH_DATA")?);
    match step {
        "generate" => {
            generate(&data, env("BACKUP_BENCH_COMPLAINTS", 100_000), env("BACKUP_BENCH_DOCS_MB", 1_000), today)
        }
        "day" => {
            let mut conn = reclamations_core::db::open(&DataDir::new(&data).database())?;
            let (day, mut rng) = next_round(&data, today)?;
            activity(&mut conn, &data, day, 20, 5, &mut rng)
        }
        "snapshot" => {
            let dest = PathBuf::from(std::env::var("BACKUP_BENCH_DEST")?);
            std::fs::create_dir_all(&dest)?;
            let conn = reclamations_core::db::open(&DataDir::new(&data).database())?;
            // A new id each time: the clock, not the simulated day.
            let now = chrono::Local::now().naive_local();
            let t = Instant::now();
            let r = repo::snapshot(&conn, &data, &dest, now, |_, _| {})?;
            println!(
                "{:.3} s, {} written, {} new objects, {} reused",
                t.elapsed().as_secs_f64(),
                r.bytes_written,
                r.new_objects,
                r.reused_objects
            );
            Ok(())
        }
        other => Err(format!("BACKUP_BENCH_STEP: unknown step {other}").into()),
    }
}

fn main() -> R<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-backup");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).ok_or("date")?;
    if let Ok(s) = std::env::var("BACKUP_BENCH_STEP") {
        return step(&s, today);
    }
    if std::env::var("BACKUP_BENCH_ONLY_YEAR").is_err() {
        first_part(&root, today)?;
    }
    year(&root, today)
}

fn at(d: chrono::NaiveDate) -> chrono::NaiveDateTime {
    d.and_hms_opt(18, 0, 0).unwrap_or_default()
}

fn first_part(root: &Path, today: chrono::NaiveDate) -> R<()> {
    let n = env("BACKUP_BENCH_COMPLAINTS", 100_000);
    let docs_mb = env("BACKUP_BENCH_DOCS_MB", 1_000);
    let data = root.join(format!("data-{n}-{docs_mb}"));
    generate(&data, n, docs_mb, today)?;
    let db_size = std::fs::metadata(DataDir::new(&data).database())?.len();
    let docs_size = dir_size(&DataDir::new(&data).documents());
    println!("Data: {n} complaints (database {}), documents {}.", mb(db_size), mb(docs_size));
    println!();
    println!("| step | time | written to the destination | new objects | reused |");
    println!("|---|---|---|---|---|");

    let dest = root.join("usb");
    let _ = std::fs::remove_dir_all(&dest);
    std::fs::create_dir_all(&dest)?;
    let mut conn = reclamations_core::db::open(&DataDir::new(&data).database())?;
    let t = Instant::now();
    let first = repo::snapshot(&conn, &data, &dest, at(today), |_, _| {})?;
    println!(
        "| first snapshot | {:.1} s | {} | {} | {} |",
        t.elapsed().as_secs_f64(),
        mb(first.bytes_written),
        first.new_objects,
        first.reused_objects
    );
    let t = Instant::now();
    let same = repo::snapshot(&conn, &data, &dest, at(today) + chrono::Duration::minutes(5), |_, _| {})?;
    println!(
        "| again, nothing changed | {:.1} s | {} | {} | {} |",
        t.elapsed().as_secs_f64(),
        mb(same.bytes_written),
        same.new_objects,
        same.reused_objects
    );
    // A new day at each run over this data dir: new scans, new names.
    let (next_day, mut rng) = next_round(&data, today)?;
    activity(&mut conn, &data, next_day, 20, 5, &mut rng)?;
    let t = Instant::now();
    let second = repo::snapshot(&conn, &data, &dest, at(next_day), |_, _| {})?;
    println!(
        "| after a day (20 complaints, 20 journal entries, 5 scans of 300 kB) | {:.1} s | {} | {} | {} |",
        t.elapsed().as_secs_f64(),
        mb(second.bytes_written),
        second.new_objects,
        second.reused_objects
    );
    let work = root.join("work");
    std::fs::create_dir_all(&work)?;
    let t = Instant::now();
    let verified = repo::restore(&dest, &second.info.id, &work)?;
    println!("| restore (rebuilt and verified, ready to swap in) | {:.1} s | | | |", t.elapsed().as_secs_f64());
    drop(verified);
    let t = Instant::now();
    let drill = drill::drill(&dest, &work, next_day)?;
    println!(
        "| drill ({} documents, {} chains, ok = {}) | {:.1} s | | | |",
        drill.documents_checked,
        drill.chains_checked,
        drill.ok,
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let tar = reclamations_core::backup::create(&conn, &data, &root.join("tar"), "bench", |_, _| {})?;
    println!(
        "| for comparison: one full `.tar` (« Sauvegarder maintenant ») | {:.1} s | {} | | |",
        t.elapsed().as_secs_f64(),
        mb(std::fs::metadata(&tar)?.len())
    );
    let _ = std::fs::remove_file(&tar);
    println!();
    println!("Destination after these three snapshots: {}.", mb(dir_size(&dest)));
    Ok(())
}

/// A year of daily snapshots with the default tiers, on a smaller data dir, in
/// `BACKUP_BENCH_YEAR_DIR` (default `target/bench-backup`; a tmpfs such as `/dev/shm` keeps
/// a busy shared disk's syncs out of the figures).
fn year(root: &Path, today: chrono::NaiveDate) -> R<()> {
    let root = std::env::var("BACKUP_BENCH_YEAR_DIR").map(PathBuf::from).unwrap_or_else(|_| root.to_path_buf());
    let mut rng = Rng::new(11);
    let year_n = env("BACKUP_BENCH_YEAR_COMPLAINTS", 10_000);
    let days = env("BACKUP_BENCH_DAYS", 365);
    let year_data = root.join(format!("year-{year_n}"));
    let _ = std::fs::remove_dir_all(&year_data);
    generate(&year_data, year_n, 100, today)?;
    let year_dest = root.join("usb-year");
    let _ = std::fs::remove_dir_all(&year_dest);
    std::fs::create_dir_all(&year_dest)?;
    let mut conn = reclamations_core::db::open(&DataDir::new(&year_data).database())?;
    let tiers = Tiers::default();
    let started = Instant::now();
    let mut written = 0u64;
    let mut day = today;
    for _ in 0..days {
        day = day.succ_opt().ok_or("date")?;
        activity(&mut conn, &year_data, day, 20, 5, &mut rng)?;
        written += repo::snapshot(&conn, &year_data, &year_dest, at(day), |_, _| {})?.bytes_written;
        repo::prune(&year_dest, &tiers)?;
    }
    let db = std::fs::metadata(DataDir::new(&year_data).database())?.len();
    let docs = dir_size(&DataDir::new(&year_data).documents());
    println!();
    println!(
        "Year: {days} daily snapshots of a {year_n}-complaint data dir growing by 20 complaints and 5 scans a day \
         (at the end: database {}, documents {}), default tiers 14/12/5, pruned daily: {:.0} s in all \
         ({:.2} s a day), {} written in all, {} snapshots kept, destination {}; \
         the same with one full copy a day kept 14 times: {}.",
        mb(db),
        mb(docs),
        started.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64() / days as f64,
        mb(written),
        repo::list(&year_dest)?.len(),
        mb(dir_size(&year_dest)),
        mb(14 * (db + docs))
    );
    Ok(())
}
