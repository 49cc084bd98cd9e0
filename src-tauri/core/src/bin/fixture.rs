//! Fills a data dir with realistic French data for scale tests and demonstrations:
//! `cargo run -p reclamations-core --release --bin reclamations-fixture -- DATA_DIR [COMPLAINTS] [FIRMS]`
//! (defaults: 100 000 complaints over 20 years, 5 000 firms, about 1 000 000 journal entries).

use std::time::Instant;

fn main() {
    if let Err(e) = run() {
        eprintln!("Erreur : {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir =
        std::path::PathBuf::from(args.get(1).ok_or("usage : reclamations-fixture DOSSIER [RÉCLAMATIONS] [QUALIFIÉS]")?);
    let complaints: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(100_000);
    let firms: usize = args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(5_000);
    let today = match std::env::var("RECLAMATIONS_TODAY") {
        Ok(s) => chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")?,
        Err(_) => chrono::Local::now().date_naive(),
    };
    let layout = reclamations_core::datadir::DataDir::new(&dir);
    std::fs::create_dir_all(layout.documents())?;
    let path = layout.database();
    if path.exists() {
        return Err(format!("{} existe déjà : choisissez un dossier vide", path.display()).into());
    }
    let mut conn = reclamations_core::db::open(&path)?;
    let started = Instant::now();
    let done = reclamations_core::fixtures::populate(&mut conn, firms, complaints, today, 2026, |i| {
        if i % 10_000 == 0 {
            eprintln!("{i} réclamations…");
        }
    })?;
    println!(
        "{} qualifiés, {} réclamations, {} entrées de journal en {:.1} s dans {}",
        done.firms,
        done.complaints,
        done.journal_entries,
        started.elapsed().as_secs_f64(),
        path.display()
    );
    Ok(())
}
