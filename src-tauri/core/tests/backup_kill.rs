//! Backups killed with SIGKILL at random moments: a child process (this same test binary, run
//! with `BACKUP_KILL_CHILD`) makes snapshots in a loop while documents arrive; after each kill
//! every snapshot the repository lists restores and verifies, and none is half there. At the
//! end `cleanup` removes the leftovers, and the next snapshot and the drill pass.
//! `BACKUP_KILLS` sets the number of kills (12 by default).

use reclamations_core::backup::{drill, repo};
use reclamations_core::fixtures::{self, Rng};
use reclamations_core::store::{complaints, firms};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CHILD: &str = "BACKUP_KILL_CHILD";

fn now(offset_seconds: i64) -> chrono::NaiveDateTime {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).and_then(|d| d.and_hms_opt(8, 0, 0)).unwrap_or_default();
    start + chrono::Duration::seconds(offset_seconds)
}

/// Writes a document of `size` bytes that no other document repeats.
fn document(data: &Path, name: &str, size: usize, rng: &mut Rng) -> std::io::Result<()> {
    let dir = data.join("documents/Q00001-cabinet/REC-2026-0001");
    std::fs::create_dir_all(&dir)?;
    let mut bytes = Vec::with_capacity(size);
    while bytes.len() < size {
        bytes.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    std::fs::write(dir.join(name), bytes)
}

fn setup(data: &Path) -> TestResult {
    std::fs::create_dir_all(data)?;
    let mut conn = reclamations_core::db::open(&data.join(reclamations_core::datadir::DATABASE))?;
    let mut rng = Rng::new(20261201);
    let firm = reclamations_core::validate::validate_firm(&fixtures::firm(&mut rng, 1), "firm")?;
    let firm_id = firms::insert(&conn, &firm, "firm")?;
    let today = now(0).date();
    for _ in 0..20 {
        complaints::register(&mut conn, &fixtures::complaint(&mut rng, firm_id, today), today, "Secrétariat")?;
    }
    for i in 0..24 {
        document(data, &format!("piece-{i:03}.pdf"), 400_000, &mut rng)?;
    }
    Ok(())
}

/// The child: snapshots in a loop, one new document before each, « OK <id> » after each.
#[test]
fn child_makes_snapshots_until_killed() -> TestResult {
    let Ok(args) = std::env::var(CHILD) else { return Ok(()) };
    let (data, dest) = args.split_once('|').ok_or("data|dest")?;
    let (data, dest) = (PathBuf::from(data), PathBuf::from(dest));
    let seed: u64 = std::env::var("BACKUP_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut rng = Rng::new(seed);
    let conn = reclamations_core::db::open(&data.join(reclamations_core::datadir::DATABASE))?;
    let out = std::io::stdout();
    for round in 0.. {
        document(&data, &format!("arrivee-{seed}-{round}.pdf"), 200_000, &mut rng)?;
        let report = repo::snapshot(&conn, &data, &dest, now(seed as i64 * 1000 + round), |_, _| {})?;
        writeln!(out.lock(), "OK {}", report.info.id)?;
        out.lock().flush()?;
    }
    Ok(())
}

#[test]
fn a_backup_killed_at_any_moment_leaves_only_whole_snapshots() -> TestResult {
    if std::env::var(CHILD).is_ok() {
        return Ok(());
    }
    let kills: usize = std::env::var("BACKUP_KILLS").ok().and_then(|s| s.parse().ok()).unwrap_or(12);
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    let dest = tmp.path().join("usb");
    std::fs::create_dir_all(&dest)?;
    setup(&data)?;
    let mut rng = Rng::new(7);
    let mut acknowledged: Vec<String> = Vec::new();
    let exe = std::env::current_exe()?;
    for kill in 0..kills {
        let mut child = Command::new(&exe)
            .args(["--exact", "child_makes_snapshots_until_killed", "--nocapture", "--test-threads=1", "--quiet"])
            .env(CHILD, format!("{}|{}", data.display(), dest.display()))
            .env("BACKUP_KILL_SEED", (kill + 1).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let reader =
            std::thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).collect::<Vec<String>>());
        std::thread::sleep(Duration::from_millis(5 + rng.below(if kill % 2 == 0 { 300 } else { 1500 }) as u64));
        child.kill()?; // SIGKILL
        let status = child.wait()?;
        let lines = reader.join().map_err(|_| "reader thread")?;
        if status.code().is_some() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                std::io::Read::read_to_string(&mut e, &mut err)?;
            }
            return Err(format!("the child stopped by itself ({status}): {}\n{err}", lines.join("\n")).into());
        }
        acknowledged.extend(lines.iter().filter_map(|l| l.strip_prefix("OK ").map(str::to_owned)));
        check(&dest, &acknowledged, &tmp.path().join("work"))?;
    }
    // The next start: leftovers removed, the next snapshot complete and valid.
    let root = repo::repo_root(&dest);
    let leftovers = repo::cleanup(&dest)?;
    assert_eq!(std::fs::read_dir(root.join("tmp"))?.count(), 0);
    let conn = reclamations_core::db::open(&data.join(reclamations_core::datadir::DATABASE))?;
    let report = repo::snapshot(&conn, &data, &dest, now(999_999), |_, _| {})?;
    let verified = repo::restore(&dest, &report.info.id, &tmp.path().join("work"))?;
    assert_eq!(verified.manifest.complaints, 20);
    let drill = drill::drill(&dest, &tmp.path().join("work"), now(0).date())?;
    assert!(drill.ok && drill.chains_checked == 20, "{drill:?}");
    eprintln!(
        "{kills} kills: {} snapshots acknowledged, {} listed, {leftovers} leftovers removed",
        acknowledged.len(),
        repo::list(&dest)?.len()
    );
    Ok(())
}

/// After a kill: every acknowledged snapshot is listed; every manifest present is a complete
/// snapshot that restores (the newest one is restored whole, with every hash checked).
fn check(dest: &Path, acknowledged: &[String], work: &Path) -> TestResult {
    let listed = repo::list(dest)?;
    let ids: Vec<&str> = listed.iter().map(|s| s.id.as_str()).collect();
    for id in acknowledged {
        assert!(ids.contains(&id.as_str()), "snapshot {id} acknowledged but not listed");
    }
    let root = repo::repo_root(dest);
    let manifests = std::fs::read_dir(root.join("snapshots")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(manifests, listed.len(), "a manifest that is not a complete snapshot");
    if let Some(newest) = listed.first() {
        repo::restore(dest, &newest.id, work)?;
    }
    Ok(())
}
