//! Letters benchmark: time per letter in-process, split into compose (the register read, the
//! template merged), layout, render (layout + PDF serialisation) and archive + journal (the
//! file written with fsync, the document and journal rows), as medians over rounds of 200
//! letters; then the same letters as one PDF (the day's mail). Run with
//! `cargo bench -p reclamations-core --bench letters`.
//!
//! `LETTERS_BENCH_ROUNDS` sets the number of rounds (5 by default). `LETTERS_BENCH_DUMP=dir`
//! also writes the 200 letters as composed (`letters.json`), the logo (`logo.png`) and the first
//! letter as we print it (`lettre-000.pdf`) there:
//! `scripts/bench-letters-vs-libreoffice.sh` builds the same letters for LibreOffice from them.

use chrono::NaiveDate;
use reclamations_core::fixtures::{self, Rng};
use reclamations_core::letters::kinds::LetterKind;
use reclamations_core::letters::pdf::{self, Fonts, LetterDoc};
use reclamations_core::store::{complaints, firms, letters};
use reclamations_core::validate::validate_firm;
use rusqlite::Connection;
use std::time::Instant;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Milliseconds per item of `work` run once over `n` items.
fn per_item_ms(n: usize, work: impl FnOnce() -> BenchResult<()>) -> BenchResult<f64> {
    let t = Instant::now();
    work()?;
    Ok(t.elapsed().as_secs_f64() * 1e3 / n.max(1) as f64)
}

/// The letter each complaint gets: the acknowledgement, or the request for details when the
/// complaint is not in a state to be acknowledged.
fn kind_for(conn: &Connection, id: i64, today: NaiveDate) -> LetterKind {
    if letters::compose(conn, id, LetterKind::Acknowledgement, None, today).is_ok() {
        LetterKind::Acknowledgement
    } else {
        LetterKind::RequestDetails
    }
}

fn compose_all(conn: &Connection, letters_to: &[(i64, LetterKind)], today: NaiveDate) -> BenchResult<Vec<LetterDoc>> {
    let mut docs = Vec::with_capacity(letters_to.len());
    for (id, kind) in letters_to {
        docs.push(letters::compose(conn, *id, *kind, None, today)?);
    }
    Ok(docs)
}

/// What archiving a letter must wait for whatever the code does, per letter: the three syncs
/// the register's safety requires (the file, its folder entry, the journal's commit).
fn durability_floor(dir: &std::path::Path, n: usize, size: usize) -> BenchResult<f64> {
    use std::io::Write as _;
    let folder = dir.join("floor");
    std::fs::create_dir_all(&folder)?;
    let db = Connection::open(folder.join("floor.sqlite3"))?;
    let _mode: String = db.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    db.execute_batch("PRAGMA synchronous = FULL; CREATE TABLE t (x BLOB);")?;
    let content = vec![b'%'; size];
    per_item_ms(n, || {
        for i in 0..n {
            let mut file = std::fs::File::create(folder.join(format!("{i}.pdf")))?;
            file.write_all(&content)?;
            file.sync_all()?;
            std::fs::File::open(&folder)?.sync_all()?;
            db.execute("INSERT INTO t (x) VALUES (?1)", [&content[..64]])?;
        }
        Ok(())
    })
}

fn main() -> BenchResult<()> {
    let rounds: usize = std::env::var("LETTERS_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
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
    let letters_to: Vec<(i64, LetterKind)> = ids.iter().map(|id| (*id, kind_for(&conn, *id, today))).collect();
    let n = letters_to.len();

    let t = Instant::now();
    let fonts = Fonts::liberation()?;
    let fonts_ms = t.elapsed().as_secs_f64() * 1e3;

    // Warm-up.
    for doc in compose_all(&conn, &letters_to[..10], today)? {
        pdf::render(&doc, &fonts)?;
    }

    let docs = compose_all(&conn, &letters_to, today)?;
    if let Some(out) = std::env::var_os("LETTERS_BENCH_DUMP") {
        let out = std::path::PathBuf::from(out);
        std::fs::create_dir_all(&out)?;
        std::fs::write(out.join("letters.json"), serde_json::to_vec(&docs)?)?;
        let logo = docs.first().and_then(|d| d.letterhead.logo_png.clone()).unwrap_or_default();
        std::fs::write(out.join("logo.png"), logo)?;
        if let Some(first) = docs.first() {
            std::fs::write(out.join("lettre-000.pdf"), pdf::render(first, &fonts)?)?;
        }
    }
    let pages: Vec<usize> = docs.iter().map(|d| pdf::layout(d, &fonts).pages).collect();
    let two_pages = pages.iter().filter(|&&p| p >= 2).count();

    let documents = reclamations_core::datadir::DataDir::new(dir.path()).documents();
    let (mut compose, mut layout, mut render, mut both, mut generate) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut bytes = 0;
    for _ in 0..rounds {
        compose.push(per_item_ms(n, || compose_all(&conn, &letters_to, today).map(|_| ()))?);
        layout.push(per_item_ms(n, || {
            docs.iter().for_each(|d| {
                std::hint::black_box(pdf::layout(d, &fonts));
            });
            Ok(())
        })?);
        render.push(per_item_ms(n, || {
            bytes = 0;
            for doc in &docs {
                bytes += pdf::render(doc, &fonts)?.len();
            }
            Ok(())
        })?);
        both.push(per_item_ms(n, || {
            for (id, kind) in &letters_to {
                std::hint::black_box(pdf::render(&letters::compose(&conn, *id, *kind, None, today)?, &fonts)?);
            }
            Ok(())
        })?);
        generate.push(per_item_ms(n, || {
            for (id, kind) in &letters_to {
                letters::generate(&mut conn, &documents, &fonts, *id, *kind, None, today, "Secrétariat")?;
            }
            Ok(())
        })?);
    }
    let (compose, layout, render, both, generate) =
        (median(&mut compose), median(&mut layout), median(&mut render), median(&mut both), median(&mut generate));
    let archive = generate - both;
    let floor = durability_floor(dir.path(), n, bytes / n)?;

    let many_ms = per_item_ms(50, || pdf::render_many(&docs[..50], &fonts).map(|_| ()).map_err(Into::into))?;
    let t = Instant::now();
    let (day, count) = letters::day_mail(&conn, &fonts, today)?;
    let day_ms = t.elapsed().as_secs_f64() * 1e3;

    println!("Medians of {rounds} rounds of {n} letters ({two_pages} of two pages or more), per letter:");
    println!();
    println!("| measure | result |");
    println!("|---|---|");
    println!("| fonts parsed and prepared (once per session) | {fonts_ms:.1} ms |");
    println!("| compose (register read, template merged), per letter | {compose:.3} ms |");
    println!("| layout alone, per letter | {layout:.3} ms |");
    println!("| render (layout + PDF), per letter | {render:.3} ms |");
    println!("| compose + render, per letter | {both:.3} ms |");
    println!("| generate: compose + render + archive (fsync) + journal, per letter | {generate:.3} ms |");
    println!(
        "| archive + journal (generate − compose + render), per letter | {archive:.3} ms ({:.2}× compose + render) |",
        archive / both.max(f64::EPSILON)
    );
    println!(
        "| of which the durability floor: write + fsync of a file of that size, fsync of its folder, one \
         SQLite commit (WAL, synchronous = FULL), per letter | {floor:.3} ms |"
    );
    println!("| average PDF size | {:.1} KB |", bytes as f64 / n as f64 / 1024.0);
    println!("| render_many, per letter (50 letters in one PDF) | {many_ms:.3} ms |");
    println!("| day's mail: {count} letters in one PDF | {day_ms:.0} ms, {:.0} KB |", day.len() as f64 / 1024.0);
    // For scripts/bench-letters-vs-libreoffice.sh.
    println!("LETTERS_BENCH compose_render_ms={both:.4} render_ms={render:.4} archive_journal_ms={archive:.4}");
    Ok(())
}
