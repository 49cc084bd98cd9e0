//! The firms register at the organisation's size: its export of 5 000 firms × 3 qualifications
//! (Windows-1252, « ; », one row per firm and qualification: 15 000 rows) previewed, applied,
//! then the same file again (previewed, applied: no change); then the firms list searched and
//! filtered on that register. Into a real database file, as the app writes it.
//!
//! `cargo bench -p reclamations-core --bench firms_import` (FIRMS=… for another size).

use chrono::NaiveDate;
use reclamations_core::store::firms::{self, FirmQuery};
use std::time::{Duration, Instant};

/// The export: firm n has qualifications 2.1, 2.2 and 2.3 with dates around `today`, a few of
/// them expired, suspended or withdrawn, one SIRET in 50 with a wrong check digit.
fn export(firms: usize) -> Vec<u8> {
    let mut text = String::from(
        "N° qualifié;Raison sociale;SIRET;Adresse 1;Adresse 2;Code postal;Ville;E-mail;Tél.;Qualification;\
         Date d'attribution;Fin de validité;RGE;Statut\r\n",
    );
    let labels = ["2.1 Économie de la construction", "2.2 Métré", "2.3 Ordonnancement, pilotage et coordination"];
    for n in 0..firms {
        let siret = if n % 50 == 0 { format!("{:014}", 10_000_000_000_000_u64 + n as u64) } else { String::new() };
        for (k, label) in labels.iter().enumerate() {
            let end_year = 2019 + (n + k) % 12;
            let status = match (n + k) % 97 {
                0 => "suspendue",
                1 => "retirée",
                _ => "en cours",
            };
            text.push_str(&format!(
                "Q-{n:05};Cabinet Économiste n° {n};{siret};{} rue des Lilas;Bât. {};{:05};Ville {};cabinet{n}@example.fr;\
                 01 45 00 {:02} {:02};{label};01/01/{};31/12/{end_year};{};{status}\r\n",
                n % 200 + 1,
                n % 4,
                10_000 + n % 80_000,
                n % 300,
                n % 100,
                (n / 100) % 100,
                end_year - 4,
                if k == 0 { "oui" } else { "non" },
            ));
        }
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    bytes.into_owned()
}

fn timed<T>(name: &str, f: impl FnOnce() -> reclamations_core::Result<T>) -> reclamations_core::Result<(T, Duration)> {
    let t = Instant::now();
    let out = f()?;
    let took = t.elapsed();
    println!("| {name} | {:.0} ms |", took.as_secs_f64() * 1e3);
    Ok((out, took))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).ok_or("date")?;
    let n: usize = std::env::var("FIRMS").ok().and_then(|v| v.parse().ok()).unwrap_or(5_000);
    let bytes = export(n);
    let dir = tempfile::tempdir()?;
    let mut conn = reclamations_core::db::open(&dir.path().join("reclamations.sqlite3"))?;
    println!("Export: {n} firms × 3 qualifications, {} rows, {} KB.", n * 3, bytes.len() / 1024);
    println!();
    println!("| operation | time |");
    println!("|---|---|");
    let (preview, _) =
        timed("preview of the first import", || firms::import(&mut conn, &bytes, "export.csv", false, "Bench", today))?;
    let (first, _) =
        timed("first import applied", || firms::import(&mut conn, &bytes, "export.csv", true, "Bench", today))?;
    let (again_preview, _) = timed("preview of the same file again", || {
        firms::import(&mut conn, &bytes, "export.csv", false, "Bench", today)
    })?;
    let (again, _) =
        timed("same file applied again", || firms::import(&mut conn, &bytes, "export.csv", true, "Bench", today))?;
    for (what, query) in [
        ("firms list, first 500 with status", FirmQuery::default()),
        ("search « economiste 42 »", FirmQuery { text: "economiste 42".into(), status: String::new() }),
        (
            "filter « qualification expirée » (every firm's status)",
            FirmQuery { text: String::new(), status: "expired".into() },
        ),
    ] {
        let (found, _) = timed(what, || firms::search(&conn, &query, 500, today))?;
        println!("|   → {} firms | |", found.len());
    }
    println!();
    println!(
        "Preview: {} new, {} qualifications, {} warnings. Applied: {} new. Again: {} changed, {} unchanged (preview: {} changed); \
         qualifications changed again: {}.",
        preview.created,
        preview.qualifications_added,
        preview.warnings,
        first.created,
        again.updated,
        again.unchanged,
        again_preview.updated,
        again.qualifications_changed
    );
    for warning in preview.firms.iter().flat_map(|f| &f.warnings).filter(|w| !w.contains("SIRET")).take(3) {
        println!("Warning, for instance: {warning}");
    }
    if again.updated + again.created + again.qualifications_changed + again.qualifications_added > 0 {
        return Err("importing the same file again changed something".into());
    }
    Ok(())
}
