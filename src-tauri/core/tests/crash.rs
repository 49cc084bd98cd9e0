//! Crash safety: the app's write paths run in a child process killed with SIGKILL at random
//! moments, again and again (200 times by default, `CRASH_KILLS=1000` for the long run). After
//! each kill the database passes `integrity_check`, every write that returned success is there,
//! every journal chain verifies, and every archived letter is whole and matches its hash.

use reclamations_core::archive::sha256_file;
use reclamations_core::fixtures::Rng;
use reclamations_core::store::journal;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[test]
fn writes_survive_being_killed_at_any_moment() -> TestResult {
    let kills: usize = std::env::var("CRASH_KILLS").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let mut rng = Rng::new(20261128);
    let mut acknowledged: Vec<(String, String)> = Vec::new();
    let started = Instant::now();
    for kill in 0..kills {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash-writer"))
            .arg(dir)
            .arg((kill + 1).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Kill at a random moment: early (during start-up and the first writes) or later.
        std::thread::sleep(Duration::from_millis(2 + rng.below(if kill % 3 == 0 { 40 } else { 250 }) as u64));
        child.kill()?; // SIGKILL
        let status = child.wait()?;
        reader.join().map_err(|_| "reader thread")?;
        let lines: Vec<String> = rx.try_iter().collect();
        if let Some(code) = status.code() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                std::io::Read::read_to_string(&mut e, &mut err)?;
            }
            return Err(format!("the writer stopped by itself ({code}): {err}").into());
        }
        for line in lines {
            let parts: Vec<&str> = line.split_whitespace().collect();
            acknowledged.push((parts.get(1).copied().unwrap_or("").to_owned(), parts[2..].join(" ")));
        }
        check(dir, &acknowledged)?;
    }
    eprintln!(
        "{kills} kills survived in {:.1} s; {} acknowledged writes checked after each",
        started.elapsed().as_secs_f64(),
        acknowledged.len()
    );
    Ok(())
}

/// What must hold after any crash.
fn check(dir: &std::path::Path, acknowledged: &[(String, String)]) -> TestResult {
    let layout = reclamations_core::datadir::DataDir::new(dir);
    let conn = reclamations_core::db::open(&layout.database())?;
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    assert_eq!(ok, "ok");
    for (what, rest) in acknowledged {
        let mut it = rest.split_whitespace();
        let id: i64 = it.next().ok_or("id")?.parse()?;
        match what.as_str() {
            "register" | "action" | "journal" => {
                let n: i64 =
                    conn.query_row("SELECT count(*) FROM journal WHERE complaint_id = ?1", [id], |r| r.get(0))?;
                let expected = match what.as_str() {
                    "register" => 1,
                    "action" => 2,
                    _ => 3,
                };
                assert!(n >= expected, "complaint {id}: {what} acknowledged but only {n} journal entries");
            }
            "letter" => {
                let sha = it.next().ok_or("sha")?;
                let stored: String =
                    conn.query_row("SELECT sha256 FROM documents WHERE id = ?1", [id], |r| r.get(0))?;
                assert_eq!(stored, sha, "document {id}");
            }
            _ => {}
        }
    }
    // Every journal chain verifies.
    let ids: Vec<i64> =
        conn.prepare("SELECT id FROM complaints")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    for id in ids {
        assert_eq!(journal::first_broken(&conn, id)?, None, "journal of complaint {id}");
    }
    // Every archived letter is whole and matches its recorded hash.
    let docs: Vec<(String, String)> = conn
        .prepare("SELECT relative_path, sha256 FROM documents")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (path, sha) in docs {
        let (actual, _) = sha256_file(&layout.documents().join(&path))?;
        assert_eq!(actual, sha, "{path} does not match its hash");
    }
    Ok(())
}
