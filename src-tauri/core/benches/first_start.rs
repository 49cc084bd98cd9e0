//! First start benchmark: a new data folder opened (migrations applied), the setup check, and
//! the demonstration register made anew (the wait after « Essayer avec des données de
//! démonstration »). Run with `cargo bench -p reclamations-core --bench first_start`.

use chrono::NaiveDate;
use reclamations_core::datadir::DataDir;
use reclamations_core::{db, demo, store::setup};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).ok_or("date")?;
    let runs = 5;
    let (mut open, mut check, mut made) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let tmp = tempfile::tempdir()?;
        let real = tmp.path().join("Reclamations-OPQTECC");
        std::fs::create_dir_all(&real)?;
        let t = Instant::now();
        let conn = db::open(&DataDir::new(&real).database())?;
        open.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        assert!(setup::needed(&conn)?);
        check.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let d = demo::create(&real, today)?;
        made.push(t.elapsed().as_secs_f64() * 1e3);
        demo::remove(&d.data_dir)?;
    }
    let v = demo::VOLUME;
    println!("new data folder opened (all migrations): {:.1} ms (median of {runs})", median(open));
    println!("first-start check (setup::needed): {:.3} ms", median(check));
    println!(
        "demonstration made anew ({} firms, {} complaints over {} years): {:.0} ms",
        v.firms,
        v.complaints,
        v.years,
        median(made)
    );
    Ok(())
}
