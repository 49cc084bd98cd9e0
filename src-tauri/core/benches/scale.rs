//! Scale benchmark: the dashboard, search, complaint page, firm file and list page on a data
//! dir of 100 000 complaints (~1 000 000 journal entries, 5 000 firms).
//!
//! `cargo bench -p reclamations-core --bench scale -- [DATA_DIR]`: with no data dir, one is
//! generated once into `target/bench-fixture/` (RECLAMATIONS_TODAY=2026-11-28 is « today »).

use chrono::NaiveDate;
use reclamations_core::store::search::{self, ListQuery};
use reclamations_core::store::{complaints, dashboard, firms};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).ok_or("date")?;
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-fixture"));
    let path = reclamations_core::datadir::DataDir::new(&dir).database();
    if !path.exists() {
        std::fs::create_dir_all(&dir)?;
        eprintln!("Generating 100 000 complaints into {} (once)…", dir.display());
        let started = Instant::now();
        let mut conn = reclamations_core::db::open(&path)?;
        let done = reclamations_core::fixtures::populate(&mut conn, 5_000, 100_000, today, 2026, |_| {})?;
        eprintln!("{done:?} in {:.0} s", started.elapsed().as_secs_f64());
    }
    let conn = reclamations_core::db::open(&path)?;
    let count = |sql: &str| -> rusqlite_count::Result { conn.query_row(sql, [], |r| r.get(0)) };
    let (n_complaints, n_journal, n_firms): (i64, i64, i64) = (
        count("SELECT count(*) FROM complaints")?,
        count("SELECT count(*) FROM journal")?,
        count("SELECT count(*) FROM firms")?,
    );

    println!("Data: {n_complaints} complaints, {n_journal} journal entries, {n_firms} firms.");
    println!();
    println!("| operation | median | p95 | runs |");
    println!("|---|---|---|---|");
    let mut id = 1_i64;
    measure("dashboard (all categories, counts, 5-month flags)", 30, || {
        dashboard::dashboard(&conn, today).map(|_| ())
    })?;
    for text in ["lefevre", "honoraires factures", "REC-2019-0042"] {
        measure(&format!("search « {text} » (first page of 100 + total)"), 50, || {
            search::list(&conn, &ListQuery { text: text.into(), limit: 100, ..ListQuery::default() }, today).map(|_| ())
        })?;
    }
    measure("complaint page (details, clocks, actions, journal)", 200, || {
        id = id * 7919 % n_complaints + 1;
        complaints::get(&conn, id, today).map(|_| ())
    })?;
    let mut firm = 1_i64;
    measure("firm file (complaints and documents)", 100, || {
        firm = firm * 31 % n_firms + 1;
        firms::firm_file(&conn, firm, today).map(|_| ())
    })?;
    measure("list page 1 (newest first, 100 rows + total)", 50, || {
        search::list(&conn, &ListQuery { limit: 100, ..ListQuery::default() }, today).map(|_| ())
    })?;
    measure("list page 500, sorted by complainant", 20, || {
        let q = ListQuery { limit: 100, offset: 50_000, sort: "complainant".into(), ..ListQuery::default() };
        search::list(&conn, &q, today).map(|_| ())
    })?;
    // Keyset: page 500 reached with « Page suivante » (the cursor is page 499's last row), then
    // kept in the URL (its first row), and a jump straight to page 500 (one offset scan on the
    // sort's index alone, then the cursor).
    for (sort, descending) in [("complainant", false), ("firm", false), ("step", false), ("reference", true)] {
        let base = ListQuery { limit: 100, sort: sort.into(), descending, ..ListQuery::default() };
        let page499 = search::list(&conn, &ListQuery { offset: 49_900, ..base.clone() }, today)?;
        let after = page499.rows.last().map(|r| r.id);
        let page500 = search::list(&conn, &ListQuery { after_id: after, offset: 50_000, ..base.clone() }, today)?;
        let first = page500.rows.first().map(|r| r.id);
        measure(&format!("list page 500 sorted by {sort}, « Page suivante » (keyset)"), 50, || {
            search::list(&conn, &ListQuery { after_id: after, offset: 50_000, ..base.clone() }, today).map(|_| ())
        })?;
        if sort == "complainant" {
            measure("list page 500 sorted by complainant, back from a complaint (cursor in the URL)", 50, || {
                search::list(&conn, &ListQuery { from_id: first, offset: 50_000, ..base.clone() }, today).map(|_| ())
            })?;
            let after500 = page500.rows.last().map(|r| r.id);
            let page501 = search::list(&conn, &ListQuery { after_id: after500, ..base.clone() }, today)?;
            let before = page501.rows.first().map(|r| r.id);
            measure("list page 500 sorted by complainant, « Page précédente » from 501 (keyset)", 50, || {
                search::list(&conn, &ListQuery { before_id: before, offset: 50_000, ..base.clone() }, today).map(|_| ())
            })?;
        }
        measure(&format!("list jump to page 500 sorted by {sort} (offset on the index, then keyset)"), 20, || {
            search::list(&conn, &ListQuery { offset: 50_000, ..base.clone() }, today).map(|_| ())
        })?;
    }
    measure("list filtered: step + year + overdue only", 30, || {
        let q = ListQuery {
            step: "firm_informed".into(),
            year: Some(2026),
            overdue_only: true,
            limit: 100,
            ..ListQuery::default()
        };
        search::list(&conn, &q, today).map(|_| ())
    })?;
    register_digest(&conn, &path, today)?;
    Ok(())
}

/// The register digest (`store::digest`), inside a savepoint rolled back at the end so that the
/// fixture stays as generated: the first day (every chain), the next day after 100 chains grew
/// (incremental), the same day again (what each letter pays), and the check of a printed digest.
fn register_digest(
    conn: &reclamations_core::db::Connection,
    path: &std::path::Path,
    today: NaiveDate,
) -> reclamations_core::Result<()> {
    use reclamations_core::store::digest;
    use reclamations_core::store::journal::{self, JournalKind, NewEntry};
    // Wall clock, and the process's CPU time (a figure that other processes' load on a shared
    // machine changes less).
    let once = |name: &str, f: &mut dyn FnMut() -> reclamations_core::Result<()>| {
        let (t, cpu) = (Instant::now(), cpu_ms());
        let r = f();
        let wall = t.elapsed().as_secs_f64() * 1e3;
        match (cpu, cpu_ms()) {
            (Some(a), Some(b)) => println!("| {name} | {wall:.0} ms (CPU {} ms) | | 1 |", b - a),
            _ => println!("| {name} | {wall:.0} ms | | 1 |"),
        }
        r
    };
    conn.execute_batch("SAVEPOINT bench_digest")?;
    let tomorrow = today.succ_opt().unwrap_or(today);
    let result = (|| {
        let mut first = None;
        once("register digest, first day (every chain head)", &mut || {
            first = Some(digest::current(conn, today)?);
            Ok(())
        })?;
        for id in (1..=100_i64).map(|i| i * 997) {
            journal::append(conn, id, &NewEntry::simple(JournalKind::Note, tomorrow, "Banc", "Appel"))?;
        }
        once("register digest, next day after 100 chains grew (incremental)", &mut || {
            digest::current(conn, tomorrow).map(|_| ())
        })?;
        measure("register digest, same day again (each letter's footer)", 200, || {
            digest::current(conn, tomorrow).map(|_| ())
        })?;
        let short = first.map(|d| d.short).unwrap_or_default();
        // Three runs of each, alternated. The second connection reads the file as committed
        // (without the 100 notes of the savepoint, which are after `today` and do not change
        // the answer).
        for _ in 0..3 {
            once("« Vérifier le registre » with a printed digest, one connection", &mut || {
                let check = digest::verify(conn, &short, today)?;
                if !check.matches {
                    eprintln!("unexpected: {}", check.message);
                }
                Ok(())
            })?;
            once("« Vérifier le registre », the journal in two halves on two threads (the app's)", &mut || {
                let check = digest::verify_in_parallel(conn, Some(path), &short, today, &mut |_, _| {})?;
                if !check.matches {
                    eprintln!("unexpected: {}", check.message);
                }
                Ok(())
            })?;
        }
        Ok(())
    })();
    conn.execute_batch("ROLLBACK TO bench_digest; RELEASE bench_digest")?;
    result
}

/// The process's CPU time (user + system) in ms, from `/proc/self/stat` (Linux; 10 ms ticks).
fn cpu_ms() -> Option<i64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: i64 = fields.get(11)?.parse::<i64>().ok()? + fields.get(12)?.parse::<i64>().ok()?;
    Some(ticks * 10)
}

/// Lets `count` above name rusqlite's result without a direct dependency on rusqlite.
mod rusqlite_count {
    pub type Result = std::result::Result<i64, reclamations_core::db::SqlError>;
}

fn measure(
    name: &str,
    runs: usize,
    mut f: impl FnMut() -> reclamations_core::Result<()>,
) -> reclamations_core::Result<()> {
    f()?; // warm the caches
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "| {name} | {:.2} ms | {:.2} ms | {runs} |",
        ms(times[runs / 2]),
        ms(times[(runs * 95 / 100).min(runs - 1)])
    );
    Ok(())
}
