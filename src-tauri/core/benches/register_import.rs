//! The register kept before the application, at a secretariat's size: 2 000 old complaints
//! over eight years (most closed, some open at every step the sheet knows, a few lines with an
//! unreadable date), against a firms register of 500 firms of which the sheet names some by
//! number and some by name only. Previewed, applied, then the same file again (previewed,
//! applied: nothing added). Into a real database file, as the app writes it.
//!
//! `cargo bench -p reclamations-core --bench register_import` (COMPLAINTS=… for another size).

use chrono::{Duration as Days, NaiveDate};
use reclamations_core::store::register_import::{self, ImportChoices};
use std::time::{Duration, Instant};

/// The sheet: complaint n received some days before `today`, its steps dated after it.
fn sheet(complaints: usize, today: NaiveDate) -> Vec<u8> {
    let mut text = String::from(
        "N° réclamation;Reçue le;Canal;Plaignant;Qualité;Adresse;Code postal;Ville;N° qualifié;Entreprise;Nature;\
         Faits;AR le;Qualifié informé le;Réponse du qualifié le;Décision;Date de décision;Clôturée le\r\n",
    );
    let decisions = ["Classement sans suite", "Avertissement", "Appel à un expert", "Commission de recours", "Retrait"];
    let natures = ["Prestations", "Déontologie", "Usage de la marque", "Prestations, déontologie"];
    let fr = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    for n in 0..complaints {
        let received = today - Days::days(10 + (n as i64 * 1_427) % 2_900);
        let age = (today - received).num_days();
        let at = |days: i64| if days < age { fr(received + Days::days(days)) } else { String::new() };
        let decided = n % 11 != 0;
        let (decision, decided_on, closed) = if age > 120 && decided {
            let d = decisions[n % decisions.len()];
            let closes = !d.contains("expert") && !d.contains("Commission") || age > 300;
            let d = if closes && d.contains("Commission") { "Aucune sanction" } else { d };
            let d = if closes && d.contains("expert") { "Avertissement" } else { d };
            (d, at(100), if closes { at(110 + (n % 90) as i64) } else { String::new() })
        } else {
            ("", String::new(), String::new())
        };
        let (number, firm) = if n % 3 == 0 {
            (String::new(), format!("Cabinet Économiste n° {}", n % 500))
        } else {
            (format!("Q-{:05}", n % 650), String::new())
        };
        let received_text = if n % 250 == 7 { "31/02/2020".to_owned() } else { fr(received) };
        text.push_str(&format!(
            "OLD-{n:05};{received_text};{};M. Plaignant {n};{};{} rue des Lilas;{:05};Ville {};{number};{firm};{};\
             Faits de la réclamation {n} : retard, chiffrage, relations avec le client.;{};{};{};{decision};{decided_on};{closed}\r\n",
            if n % 4 == 0 { "LRAR" } else { "Courrier" },
            if n % 5 == 0 { "tiers" } else { "client" },
            n % 200 + 1,
            10_000 + n % 80_000,
            n % 300,
            natures[n % natures.len()],
            at(3),
            at(20),
            if n % 2 == 0 { at(45) } else { String::new() },
        ));
    }
    text.into_bytes()
}

fn timed<T>(name: &str, f: impl FnOnce() -> reclamations_core::Result<T>) -> reclamations_core::Result<T> {
    let t = Instant::now();
    let out = f()?;
    let took: Duration = t.elapsed();
    println!("| {name} | {:.0} ms |", took.as_secs_f64() * 1e3);
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).ok_or("date")?;
    let n: usize = std::env::var("COMPLAINTS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000);
    let bytes = sheet(n, today);
    let dir = tempfile::tempdir()?;
    let mut conn = reclamations_core::db::open(&dir.path().join("reclamations.sqlite3"))?;
    for f in 0..500 {
        conn.execute(
            "INSERT INTO firms (name, number, address_lines, postcode, city, created_at, updated_at)
             VALUES (?1, ?2, '1 rue Haute', '75001', 'Paris', '', '')",
            rusqlite::params![format!("Cabinet Économiste n° {f}"), format!("Q-{f:05}")],
        )?;
    }
    let choices = ImportChoices::default();
    let run = |conn: &mut rusqlite::Connection, apply: bool| {
        register_import::import(conn, &bytes, "ancien-registre.csv", &choices, apply, "Bench", today)
    };
    println!("Sheet: {n} complaints, {} KB; register: 500 firms.", bytes.len() / 1024);
    println!();
    println!("| operation | time |");
    println!("|---|---|");
    let preview = timed("preview of the import", || run(&mut conn, false))?;
    let applied = timed("import applied (one transaction)", || run(&mut conn, true))?;
    let again_preview = timed("preview of the same file again", || run(&mut conn, false))?;
    let again = timed("same file applied again", || run(&mut conn, true))?;
    println!();
    let steps: Vec<String> = applied.by_step.iter().map(|s| format!("{} {}", s.label, s.count)).collect();
    println!(
        "Preview: {} to take in ({} open), {} refused, {} firms to create. Applied: {} ({}). Again: {} added, {} already there (preview: {} to take in).",
        preview.created,
        preview.open,
        preview.refused.len(),
        preview.firms_created,
        applied.created,
        steps.join(", "),
        again.created,
        again.already.len(),
        again_preview.created
    );
    if again.created > 0 || applied.created != preview.created {
        return Err("the same file again added something, or applying differs from its preview".into());
    }
    Ok(())
}
