use super::*;
use crate::archive::sha256_file;
use crate::backup::drill::drill;
use crate::backup::schedule::{daily_snapshots, save_settings, settings, status, BackupSettings};
use crate::store::complaints::{self, tests::sample_complaint};
use rusqlite::params;

type R = Result<()>;

fn day(offset: i64) -> chrono::NaiveDateTime {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).and_then(|d| d.and_hms_opt(12, 30, 0)).unwrap_or_default();
    start + chrono::Duration::days(offset)
}

/// A data folder with one complaint, one journal entry and `docs` documents recorded in the
/// documents table.
fn data_dir(root: &Path, docs: usize) -> Result<(PathBuf, Connection)> {
    let data = root.join("data");
    fs::create_dir_all(&data)?;
    let mut conn = crate::db::open(&data.join(DATABASE))?;
    complaints::register(
        &mut conn,
        &sample_complaint(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default(),
        "S",
    )?;
    for i in 0..docs {
        add_document(&conn, &data, &format!("piece-{i}.pdf"), format!("%PDF pièce {i}").repeat(50 + i).as_bytes())?;
    }
    Ok((data, conn))
}

fn add_document(conn: &Connection, data: &Path, name: &str, bytes: &[u8]) -> R {
    let relative = format!("Q00001-x/REC-2026-0001/{name}");
    let path = data.join(DOCUMENTS).join(&relative);
    fs::create_dir_all(path.parent().unwrap_or(data))?;
    fs::write(&path, bytes)?;
    conn.execute(
        "INSERT INTO documents (complaint_id, direction, kind, relative_path, sha256, size_bytes, created_at)
         VALUES (1, 'in', 'document_in', ?1, ?2, ?3, '2026-01-01')",
        params![relative, crate::archive::sha256_hex(bytes), bytes.len() as i64],
    )?;
    Ok(())
}

/// Every table's rows, as text: two databases with the same dump hold the same data.
fn dump(conn: &Connection) -> Result<Vec<String>> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\""))?;
        let n = stmt.column_count();
        let rows = stmt.query_map([], |r| {
            let mut line = t.clone();
            for i in 0..n {
                line.push_str(&format!("|{:?}", r.get::<_, rusqlite::types::Value>(i)?));
            }
            Ok(line)
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    out.sort();
    Ok(out)
}

fn file_hashes(data: &Path) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for f in super::document_files(data)? {
        out.push((f.clone(), sha256_file(&data.join(&f))?.0));
    }
    Ok(out)
}

fn objects(dest: &Path) -> Result<(usize, usize)> {
    let all = present_objects(&repo_root(dest))?;
    // Database pieces have an extension (`.zst`, `.gz` in format 1), documents none.
    let pieces = all.keys().filter(|k| k.contains('.')).count();
    Ok((all.len() - pieces, pieces))
}

#[test]
fn a_snapshot_restores_the_same_database_and_every_file() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 3)?;
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    let mut calls = Vec::new();
    let report = snapshot(&conn, &data, &usb, day(0), |done, total| calls.push((done, total)))?;
    assert_eq!(calls.last(), Some(&(4, 4)));
    assert_eq!((report.info.complaints, report.info.documents, report.info.files), (1, 3, 3));
    assert_eq!(report.reused_objects, 0);
    assert!(report.new_objects >= 4, "{report:?}");
    assert!(report.read_in_place, "nobody else writes: the database is read from its file, not copied");
    assert!(usb.join(REPO_DIR).join(MARKER).is_file());
    assert_eq!(list(&usb)?.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), vec!["2026-01-01-123000"]);

    let verified = restore(&usb, &report.info.id, &tmp.path().join("work"))?;
    assert_eq!(verified.manifest.files.len(), 4);
    let other = tmp.path().join("autre-machine");
    fs::create_dir_all(&other)?;
    super::super::swap_in(verified, &other)?;
    let restored = crate::db::open(&other.join(DATABASE))?;
    assert_eq!(dump(&restored)?, dump(&conn)?);
    assert_eq!(file_hashes(&other)?, file_hashes(&data)?);
    assert_eq!(file_hashes(&other)?.len(), 3);
    Ok(())
}

/// Registers complaints on a connection of its own until `stop` or `cap` of them, as the app's
/// window does while the daily backup runs; returns how many it registered. The cap bounds the
/// test when the snapshots wait for the backup lock another test holds.
fn keep_registering(path: &Path, stop: &std::sync::atomic::AtomicBool, cap: usize) -> Result<usize> {
    let mut conn = crate::db::open(path)?;
    let mut n = 0;
    while n < cap && !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let mut form = sample_complaint();
        form.new_firm = None;
        form.firm_id = Some(1);
        complaints::register(&mut conn, &form, chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default(), "S")?;
        n += 1;
    }
    Ok(n)
}

#[test]
fn snapshots_taken_while_another_connection_writes_restore_a_whole_database_of_one_instant() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 1)?;
    // Enough pages that a snapshot takes a while: 300 complaints.
    {
        let stop = std::sync::atomic::AtomicBool::new(false);
        assert_eq!(keep_registering(&data.join(DATABASE), &stop, 300)?, 300);
    }
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    let quiet = snapshot(&conn, &data, &usb, day(0), |_, _| {})?;
    assert!(quiet.read_in_place);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let path = data.join(DATABASE);
    let mut reports = vec![quiet];
    let written = std::thread::scope(|s| -> Result<usize> {
        let writer = s.spawn(|| keep_registering(&path, &stop, 1500));
        for d in 1..=6 {
            reports.push(snapshot(&conn, &data, &usb, day(d), |_, _| {})?);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        writer.join().map_err(|_| Error::Backup("writer".into()))?
    })?;
    assert!(written > 0, "the other connection wrote during the snapshots");
    eprintln!(
        "{written} complaints registered during 6 snapshots; read in place: {:?}",
        reports.iter().map(|r| r.read_in_place).collect::<Vec<_>>()
    );
    // Whichever way each was read (in place, or copied when the other connection's writes were
    // in the log), each restores a sound database holding what its manifest counted.
    for report in &reports {
        let verified = restore(&usb, &report.info.id, &tmp.path().join("work"))?;
        let dir = tmp.path().join(format!("restored-{}", report.info.id));
        fs::create_dir_all(&dir)?;
        super::super::swap_in(verified, &dir)?;
        let restored = Connection::open_with_flags(dir.join(DATABASE), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let check: String = restored.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        assert_eq!(check, "ok", "{}", report.info.id);
        assert_eq!(count(&restored, "complaints")?, report.info.complaints, "{}", report.info.id);
        assert_eq!(count(&restored, "journal")?, report.info.journal_entries, "{}", report.info.id);
        let every: crate::store::journal::Wanted = (1..=report.info.complaints).map(|id| (id, Vec::new())).collect();
        for chain in crate::store::journal::walk_chains(&restored, &every, &mut |_| {})? {
            assert_eq!(chain.first_broken, None, "{} #{}", report.info.id, chain.complaint_id);
        }
    }
    Ok(())
}

#[test]
fn the_next_snapshot_writes_only_the_new_document_and_the_database() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 3)?;
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    snapshot(&conn, &data, &usb, day(0), |_, _| {})?;
    assert_eq!(objects(&usb)?, (3, 1));
    // Nothing changed: nothing but the manifest is written.
    let same = snapshot(&conn, &data, &usb, day(0) + chrono::Duration::minutes(1), |_, _| {})?;
    assert_eq!((same.new_objects, same.reused_objects), (0, 4), "{same:?}");
    // A day's activity: one scan received.
    let scan = vec![7u8; 300_000];
    add_document(&conn, &data, "scan.pdf", &scan)?;
    let next = snapshot(&conn, &data, &usb, day(1), |_, _| {})?;
    assert_eq!(objects(&usb)?, (4, 2), "one document and one database piece more");
    assert_eq!(next.new_objects, 2);
    assert_eq!(next.reused_objects, 3);
    let db_piece = next.bytes_written - scan.len() as u64;
    assert!(db_piece < 100_000, "the database piece is compressed: {db_piece}");
    assert_eq!(list(&usb)?.len(), 3);
    assert_eq!(list(&usb)?[0].documents, 4, "newest first");
    Ok(())
}

#[test]
fn a_missing_destination_is_refused_in_french() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 1)?;
    let usb = tmp.path().join("cle-absente");
    let message = snapshot(&conn, &data, &usb, day(0), |_, _| {}).err().map(|e| e.user_message()).unwrap_or_default();
    assert!(message.contains("introuvable") && message.contains("branchez le disque"), "{message}");
    assert!(!usb.exists(), "never created");
    assert!(restore(&usb, "x", tmp.path()).is_err());
    assert!(prune(&usb, &Tiers::default()).is_err());
    assert_eq!(cleanup(&usb)?, 0);
    Ok(())
}

#[test]
fn a_destination_removed_mid_backup_leaves_no_snapshot_and_the_next_one_is_whole() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 4)?;
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    let result = snapshot(&conn, &data, &usb, day(0), |done, _| {
        if done == 2 {
            let _ = fs::remove_dir_all(&usb);
        }
    });
    let message = result.err().map(|e| e.user_message()).unwrap_or_default();
    assert!(message.contains("a disparu pendant la sauvegarde"), "{message}");
    assert!(!usb.exists(), "nothing recreated elsewhere");
    // Plugged back in (a fresh key here, or the same one with part of the objects on it).
    fs::create_dir_all(&usb)?;
    let report = snapshot(&conn, &data, &usb, day(0), |_, _| {})?;
    assert_eq!(list(&usb)?.len(), 1);
    let verified = restore(&usb, &report.info.id, &tmp.path().join("work"))?;
    assert_eq!(verified.manifest.files.len(), 5);
    // The same failure with the objects half-written, then the disk back: one snapshot only.
    let once = std::cell::Cell::new(false);
    let result = snapshot(&conn, &data, &usb, day(1), |done, _| {
        if done == 3 && !once.get() {
            once.set(true);
            let _ = fs::rename(usb.join(REPO_DIR), tmp.path().join("debranchee"));
        }
    });
    assert!(result.is_err());
    fs::rename(tmp.path().join("debranchee"), usb.join(REPO_DIR))?;
    assert_eq!(list(&usb)?.len(), 1, "the interrupted one does not exist");
    assert!(cleanup(&usb)? >= 1, "its work folder is a leftover");
    snapshot(&conn, &data, &usb, day(1), |_, _| {})?;
    assert_eq!(list(&usb)?.len(), 2);
    let report = drill(&usb, &tmp.path().join("work"), day(1).date())?;
    assert!(report.ok, "{report:?}");
    Ok(())
}

#[test]
fn retention_keeps_exactly_the_tiers_over_400_days() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 1)?;
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    let tiers = Tiers::default();
    for d in 0..400 {
        if d % 10 == 0 {
            add_document(&conn, &data, &format!("jour-{d}.pdf"), format!("jour {d} ").repeat(100).as_bytes())?;
        }
        snapshot(&conn, &data, &usb, day(d), |_, _| {})?;
        prune(&usb, &tiers)?;
    }
    let mut kept: Vec<String> = list(&usb)?.into_iter().map(|s| s.created_at[..10].to_owned()).collect();
    kept.sort();
    let mut expected: Vec<String> = [
        "2026-03-31",
        "2026-04-30",
        "2026-05-31",
        "2026-06-30",
        "2026-07-31",
        "2026-08-31",
        "2026-09-30",
        "2026-10-31",
        "2026-11-30",
        "2026-12-31",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // The 14 last days (22 January to 4 February 2027) cover January's and February's newest.
    expected.extend((22..=31).map(|d| format!("2027-01-{d}")));
    expected.extend((1..=4).map(|d| format!("2027-02-0{d}")));
    assert_eq!(kept, expected);
    // Every object left is referenced by a kept snapshot, and the oldest kept one restores.
    let again = prune(&usb, &tiers)?;
    assert_eq!((again.removed.len(), again.objects_removed), (0, 0));
    let oldest = list(&usb)?.pop().map(|s| s.id).unwrap_or_default();
    let verified = restore(&usb, &oldest, &tmp.path().join("work"))?;
    assert_eq!(verified.manifest.created_at, "2026-03-31T12:30:00");
    Ok(())
}

#[test]
fn prune_removes_what_no_kept_snapshot_references() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 1)?;
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    add_document(&conn, &data, "ephemere.pdf", b"temporaire")?;
    snapshot(&conn, &data, &usb, day(0), |_, _| {})?;
    fs::remove_file(data.join(DOCUMENTS).join("Q00001-x/REC-2026-0001/ephemere.pdf"))?;
    snapshot(&conn, &data, &usb, day(1), |_, _| {})?;
    let one = Tiers { daily: 1, monthly: 0, yearly: 0 };
    let report = prune(&usb, &one)?;
    assert_eq!((report.kept.len(), report.removed.len()), (1, 1));
    assert_eq!(report.objects_removed, 1, "the removed document (the database did not change): {report:?}");
    assert!(report.bytes_freed > 0);
    assert_eq!(objects(&usb)?, (1, 1));
    Ok(())
}

#[test]
fn cleanup_removes_leftovers_and_nothing_else() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 1)?;
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    snapshot(&conn, &data, &usb, day(0), |_, _| {})?;
    let root = repo_root(&usb);
    fs::create_dir_all(root.join(TMP).join("run-abandonne"))?;
    fs::write(root.join(TMP).join("run-abandonne/1.part"), vec![0u8; 1000])?;
    // A manifest that never got its name is no snapshot.
    fs::write(root.join(TMP).join("run-abandonne/2026-01-02-123000.json"), b"{")?;
    assert_eq!(cleanup(&usb)?, 1);
    assert_eq!(fs::read_dir(root.join(TMP))?.count(), 0);
    assert_eq!(list(&usb)?.len(), 1);
    assert_eq!(objects(&usb)?, (1, 1));
    // The data folder's leftovers: a daily backup's work folder and a restore's.
    fs::create_dir_all(data.join("backups/.sauvegarde-abc123"))?;
    fs::write(data.join("backups/.sauvegarde-abc123/reclamations.sqlite3"), vec![1u8; 4096])?;
    fs::create_dir_all(data.join(".restauration-xyz"))?;
    fs::write(data.join("backups/reclamations-avant-restauration-2026.tar"), b"kept")?;
    assert_eq!(super::super::cleanup_local(&data)?, 2);
    assert!(!data.join("backups/.sauvegarde-abc123").exists());
    assert!(data.join("backups/reclamations-avant-restauration-2026.tar").exists());
    assert!(data.join(DATABASE).exists() && data.join(DOCUMENTS).exists());
    Ok(())
}

#[test]
fn restore_refuses_altered_objects_and_foreign_ids() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 2)?;
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    let report = snapshot(&conn, &data, &usb, day(0), |_, _| {})?;
    for bad in ["../../etc/passwd", "", "a/b", "inconnue"] {
        assert!(matches!(restore(&usb, bad, &tmp.path().join("work")), Err(Error::Restore(_))), "{bad}");
    }
    let root = repo_root(&usb);
    let m = load(&root, &report.info.id)?;
    let doc = root.join(OBJECTS).join(object_name(&m.files[0].sha256, None));
    let mut bytes = fs::read(&doc)?;
    bytes[3] ^= 1;
    fs::write(&doc, &bytes)?;
    match restore(&usb, &report.info.id, &tmp.path().join("work")) {
        Err(Error::Restore(message)) => assert!(message.contains("empreinte"), "{message}"),
        other => panic!("{:?}", other.map(|v| v.manifest)),
    }
    // The next snapshot replaces the damaged copy of an unchanged document? Its size is the
    // same, so it is trusted: the drill is what finds it (see the drill test).
    Ok(())
}

#[test]
fn the_drill_detects_a_corrupted_object_a_damaged_database_and_an_altered_journal() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 2)?;
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    let work = tmp.path().join("work");
    let today = day(3).date();
    assert!(drill(&usb, &work, today).is_err(), "nothing to check yet");
    snapshot(&conn, &data, &usb, day(0), |_, _| {})?;
    let good = drill(&usb, &work, today)?;
    assert!(good.ok, "{good:?}");
    assert_eq!((good.documents_checked, good.chains_checked, good.integrity.as_str()), (2, 1, "ok"));
    assert_eq!(good.checked_on, "2026-01-04");
    assert_eq!(fs::read_dir(&work)?.count(), 0, "the temporary folder is removed");

    // One document's object altered on the destination.
    let root = repo_root(&usb);
    let m = latest(&root)?.ok_or(Error::refused("no snapshot"))?;
    let doc = root.join(OBJECTS).join(object_name(&m.files[1].sha256, None));
    let original = fs::read(&doc)?;
    let mut bytes = original.clone();
    bytes[0] ^= 0x20;
    fs::write(&doc, &bytes)?;
    let bad = drill(&usb, &work, today)?;
    assert!(!bad.ok);
    assert!(bad.problems.iter().any(|p| p.contains(&m.files[1].path)), "{:?}", bad.problems);
    fs::write(&doc, &original)?;

    // A database piece replaced by garbage.
    let piece = root.join(OBJECTS).join(object_name(&m.database.chunks[0].sha256, Some(m.database.chunks[0].codec)));
    let original = fs::read(&piece)?;
    fs::write(&piece, b"pas du zstd")?;
    let bad = drill(&usb, &work, today)?;
    assert!(!bad.ok && bad.problems.iter().any(|p| p.contains("base")), "{:?}", bad.problems);
    fs::write(&piece, &original)?;
    assert!(drill(&usb, &work, today)?.ok);

    // A journal altered in the data before the snapshot: the backup is whole, the drill says
    // which complaint's chain is broken.
    conn.execute_batch("DROP TRIGGER journal_no_update; UPDATE journal SET summary = 'falsifié' WHERE seq = 1;")?;
    snapshot(&conn, &data, &usb, day(2), |_, _| {})?;
    let bad = drill(&usb, &work, today)?;
    assert!(!bad.ok && bad.problems.iter().any(|p| p.contains("REC-") && p.contains("journal")), "{:?}", bad.problems);
    Ok(())
}

#[test]
fn a_destination_is_checked_before_it_is_chosen() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 2)?;
    let ours = Ours::of(&conn)?;
    let missing = check_destination(&tmp.path().join("absente"), &data, &ours);
    assert!(!missing.writable && missing.message.as_deref().is_some_and(|m| m.contains("introuvable")));
    fs::create_dir_all(data.join("backups"))?;
    let inside = check_destination(&data.join("backups"), &data, &ours);
    assert!(inside.message.as_deref().is_some_and(|m| m.contains("dossier des données")), "{inside:?}");
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    let ok = check_destination(&usb, &data, &ours);
    assert!(ok.writable && ok.message.is_none(), "{ok:?}");
    assert!(ok.needed_bytes > 4096, "the database and the documents: {}", ok.needed_bytes);
    #[cfg(unix)]
    {
        assert!(ok.free_bytes.is_some_and(|f| f > 0));
        assert!(ok.warning.is_some(), "same disk as the data in a test");
    }
    Ok(())
}

#[test]
fn status_warns_with_a_fixed_today() -> R {
    let conn = crate::db::open_in_memory()?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap_or_default();
    assert_eq!(status(&conn, today)?.warning.as_deref(), Some("Aucune sauvegarde externe configurée"));
    let s = BackupSettings { destination: Some("/media/cle".into()), ..BackupSettings::default() };
    save_settings(&conn, &s)?;
    assert_eq!(settings(&conn)?, s);
    assert_eq!(status(&conn, today)?.warning.as_deref(), Some("Aucune sauvegarde externe n'a encore été faite"));
    crate::store::settings::set(&conn, super::super::schedule::LAST_EXTERNAL, "2026-12-04T09:00:00")?;
    assert_eq!(status(&conn, today)?.warning, None, "6 days < 7");
    crate::store::settings::set(&conn, super::super::schedule::LAST_EXTERNAL, "2026-12-01T09:00:00")?;
    assert_eq!(status(&conn, today)?.warning.as_deref(), Some("Aucune sauvegarde externe depuis 9 jours"));
    save_settings(&conn, &BackupSettings { warn_days: 10, ..s.clone() })?;
    assert_eq!(status(&conn, today)?.warning, None);
    let bad = BackupSettings { warn_days: 0, tiers: Tiers { daily: 0, monthly: 500, yearly: 1 }, ..s };
    match save_settings(&conn, &bad) {
        Err(Error::Validation { fields }) => {
            assert_eq!(fields.keys().collect::<Vec<_>>(), vec!["tiers.daily", "tiers.monthly", "warn_days"])
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}

#[test]
fn daily_snapshots_run_once_a_day_each_and_carry_the_external_failure() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 2)?;
    fs::create_dir_all(data.join("backups"))?;
    fs::write(data.join("backups/reclamations-quotidienne-2025-12-31-120000.tar"), b"ancienne")?;
    let usb = tmp.path().join("usb");
    let tiers = Tiers::default();
    // The key is not plugged in: the local copy is made, the external failure is said.
    let first = daily_snapshots(&conn, &data, Some(&usb), day(0), &tiers)?;
    assert!(first.local.is_some() && first.local_error.is_none(), "{first:?}");
    assert!(first.external.is_none());
    assert!(first.external_error.as_deref().is_some_and(|m| m.contains("introuvable")), "{first:?}");
    assert_eq!(first.old_tars_removed, 1);
    let drilled = first.drill.as_ref().map(|d| d.ok);
    assert_eq!(drilled, Some(true), "the first drill runs on the local repository");
    // Plugged in later the same day: the external one is made, the local one is not redone.
    fs::create_dir_all(&usb)?;
    let second = daily_snapshots(&conn, &data, Some(&usb), day(0) + chrono::Duration::hours(2), &tiers)?;
    assert!(second.local.is_none() && second.external.is_some() && second.external_error.is_none(), "{second:?}");
    assert!(second.drill.is_none(), "monthly");
    let st = status(&conn, day(0).date())?;
    assert_eq!(st.last_external.as_deref(), Some("2026-01-01T14:30:00"));
    assert_eq!(st.last_external_error, None);
    assert!(st.last_drill.is_some_and(|d| d.ok));
    let third = daily_snapshots(&conn, &data, Some(&usb), day(0) + chrono::Duration::hours(3), &tiers)?;
    assert!(third.local.is_none() && third.external.is_none());
    assert_eq!(list(&local_repo(&data))?.len(), 1);
    assert_eq!(list(&usb)?.len(), 1);
    // A month later the drill runs again, on the external repository.
    let later = daily_snapshots(&conn, &data, Some(&usb), day(31), &tiers)?;
    assert!(later.local.is_some() && later.external.is_some());
    assert_eq!(later.drill.map(|d| d.snapshot), Some("2026-02-01-123000".to_owned()));
    Ok(())
}

/// A second register (another install) in its own folder under `root`, empty or with one
/// complaint.
fn other_register(root: &Path, with_a_complaint: bool) -> Result<(PathBuf, Connection)> {
    let data = root.join("autre-poste");
    fs::create_dir_all(&data)?;
    let mut conn = crate::db::open(&data.join(DATABASE))?;
    if with_a_complaint {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        complaints::register(&mut conn, &sample_complaint(), today, "S")?;
    }
    Ok((data, conn))
}

#[test]
fn a_backup_set_belongs_to_one_register() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 1)?;
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    snapshot(&conn, &data, &usb, day(0), |_, _| {})?;
    let ours = Ours::of(&conn)?;
    assert!(ours.register_id.as_deref().is_some_and(|id| id.len() == 32), "{ours:?}");
    let newest = latest(&repo_root(&usb))?.ok_or_else(|| Error::refused("a snapshot"))?;
    assert_eq!(newest.register_id, ours.register_id, "each snapshot names its register");
    assert_eq!(foreign_set(&repo_root(&usb), &ours)?, None);

    // A new, empty install pointed at the key: refused, with « Restaurer ce registre » offered.
    let (new_data, new_conn) = other_register(tmp.path(), false)?;
    let check = check_destination(&usb, &new_data, &Ours::of(&new_conn)?);
    let message = check.message.clone().unwrap_or_default();
    assert!(message.contains("contient les sauvegardes d'un autre registre (1 réclamation(s)"), "{message}");
    assert!(message.contains("Restaurer ce registre"), "{message}");
    assert!(check.foreign.as_ref().is_some_and(|f| f.can_restore && f.latest.id == newest.id), "{check:?}");
    let before = list(&usb)?.len();
    let refused = snapshot(&new_conn, &new_data, &usb, day(1), |_, _| {});
    assert!(matches!(&refused, Err(Error::Refused { message }) if message.contains("autre registre")), "{refused:?}");
    assert_eq!(list(&usb)?.len(), before, "nothing written into the other register's set");

    // A register with complaints of its own: refused, nothing offered to restore.
    let other = tmp.path().join("second");
    fs::create_dir_all(&other)?;
    let (busy_data, busy_conn) = other_register(&other, true)?;
    let check = check_destination(&usb, &busy_data, &Ours::of(&busy_conn)?);
    assert!(check.foreign.as_ref().is_some_and(|f| !f.can_restore), "{check:?}");
    assert!(check.message.unwrap_or_default().contains("ne mêle pas"));

    // Once the register is restored on the new install, the set is its own.
    let verified = restore(&usb, &newest.id, &new_data)?;
    drop(new_conn);
    crate::backup::swap_in(verified, &new_data)?;
    let restored = crate::db::open(&new_data.join(DATABASE))?;
    assert_eq!(Ours::of(&restored)?.register_id, ours.register_id, "the identity comes with the register");
    assert!(check_destination(&usb, &new_data, &Ours::of(&restored)?).foreign.is_none());
    snapshot(&restored, &new_data, &usb, day(2), |_, _| {})?;
    Ok(())
}

#[test]
fn a_set_made_before_registers_had_an_identity_is_claimed_unless_ours_is_empty() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 0)?;
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    let made = snapshot(&conn, &data, &usb, day(0), |_, _| {})?;
    // As written by an earlier version: no identity in the manifest.
    let path = repo_root(&usb).join(SNAPSHOTS).join(format!("{}.json", made.info.id));
    let mut m: SnapshotManifest = serde_json::from_slice(&fs::read(&path)?).map_err(|_| Error::refused("manifest"))?;
    m.register_id = None;
    fs::write(&path, serde_json::to_vec(&m).map_err(|_| Error::refused("json"))?)?;
    assert_eq!(foreign_set(&repo_root(&usb), &Ours::of(&conn)?)?, None, "a register with complaints claims it");
    snapshot(&conn, &data, &usb, day(1), |_, _| {})?;
    let (_, empty) = other_register(tmp.path(), false)?;
    let empty_ours = Ours { register_id: Ours::of(&empty)?.register_id, complaints: 0 };
    // Now the newest snapshot names our register: an empty install is refused all the same.
    assert!(foreign_set(&repo_root(&usb), &empty_ours)?.is_some_and(|f| f.can_restore));
    fs::remove_file(repo_root(&usb).join(SNAPSHOTS).join(format!("{}.json", list(&usb)?[0].id)))?;
    assert!(foreign_set(&repo_root(&usb), &empty_ours)?.is_some_and(|f| f.can_restore), "legacy set, empty install");
    Ok(())
}

#[test]
fn the_local_repository_of_a_replaced_register_is_set_aside_and_taken_back() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 1)?;
    let mine = Ours::of(&conn)?.register_id.ok_or_else(|| Error::refused("an identity"))?;
    snapshot_local(&conn, &data, day(0))?;
    let (other_data, other_conn) = other_register(tmp.path(), true)?;
    let theirs = Ours::of(&other_conn)?.register_id.ok_or_else(|| Error::refused("an identity"))?;
    snapshot_local(&other_conn, &other_data, day(0))?;
    // The other register is restored here.
    let verified = restore(&local_repo(&other_data), &list(&local_repo(&other_data))?[0].id, &data)?;
    drop(conn);
    let kept = crate::backup::swap_in(verified, &data)?;
    let restored = crate::db::open(&data.join(DATABASE))?;
    snapshot_local(&restored, &data, day(1))?;
    let backups = DataDir::new(&data).backups();
    assert!(backups.join(format!("depot-{mine}")).is_dir(), "our snapshots set aside");
    assert!(list(&local_repo(&data))?.iter().all(|s| s.created_at.starts_with("2026-01-02")), "theirs only");
    assert_eq!(latest(&local_repo(&data))?.and_then(|m| m.register_id), Some(theirs.clone()));
    // Undone: ours comes back with its snapshots.
    drop(restored);
    crate::backup::undo_swap(&kept, &data)?;
    let back = crate::db::open(&data.join(DATABASE))?;
    snapshot_local(&back, &data, day(2))?;
    assert_eq!(list(&local_repo(&data))?.len(), 2, "the snapshot of day 0 and today's");
    assert!(backups.join(format!("depot-{theirs}")).is_dir());
    Ok(())
}

/// A format 1 snapshot written the way the build before format 2 wrote it: the database in
/// fixed 1 MiB pieces, gzip, `objects/ab/<sha>.gz`; documents whole; a manifest whose chunks
/// have no codec; the marker at version 1.
fn v1_snapshot(conn: &Connection, data: &Path, dest: &Path, now: chrono::NaiveDateTime) -> Result<String> {
    let root = repo_root(dest);
    for sub in ["", OBJECTS, SNAPSHOTS] {
        fs::create_dir_all(root.join(sub))?;
    }
    if !root.join(MARKER).is_file() {
        fs::write(root.join(MARKER), r#"{"doc":"docs/BACKUP-FORMAT.md","format":"reclamations-depot","version":1}"#)?;
    }
    let copy_dir = tempfile::tempdir()?;
    let copy = copy_dir.path().join(DATABASE);
    conn.execute("VACUUM INTO ?1", [copy.to_string_lossy()])?;
    let db = fs::read(&copy)?;
    let mut chunks = Vec::new();
    for piece in db.chunks(1 << 20) {
        let sha = hex::encode(Sha256::digest(piece));
        let object = root.join(OBJECTS).join(format!("{}/{sha}.gz", &sha[..2]));
        fs::create_dir_all(object.parent().unwrap_or(&root))?;
        let mut enc = flate2::write::GzEncoder::new(File::create(&object)?, flate2::Compression::new(6));
        enc.write_all(piece)?;
        enc.finish()?;
        chunks.push(serde_json::json!({ "sha256": sha, "size": piece.len() }));
    }
    let mut files = Vec::new();
    for doc in super::document_files(data)? {
        let (sha, size) = sha256_file(&data.join(&doc))?;
        let object = root.join(OBJECTS).join(format!("{}/{sha}", &sha[..2]));
        fs::create_dir_all(object.parent().unwrap_or(&root))?;
        fs::copy(data.join(&doc), &object)?;
        files.push(serde_json::json!({ "path": doc, "sha256": sha, "size": size, "mtime": 0 }));
    }
    let id = now.format("%Y-%m-%d-%H%M%S").to_string();
    let n = |table: &str| count(conn, table);
    let manifest = serde_json::json!({
        "format": 1,
        "id": id,
        "created_at": now.format("%Y-%m-%dT%H:%M:%S").to_string(),
        "app_version": "0.1.0",
        "schema_version": crate::db::schema_version(),
        "complaints": n("complaints")?,
        "journal_entries": n("journal")?,
        "firms": n("firms")?,
        "documents": n("documents")?,
        "database": { "sha256": hex::encode(Sha256::digest(&db)), "size": db.len(), "chunks": chunks },
        "files": files,
        "register_id": crate::db::register_id(conn)?,
    });
    fs::write(
        root.join(SNAPSHOTS).join(format!("{id}.json")),
        serde_json::to_vec_pretty(&manifest).unwrap_or_default(),
    )?;
    Ok(id)
}

/// A database dump and the documents' hashes.
type Contents = (Vec<String>, Vec<(String, String)>);

/// Restores snapshot `id` of `usb` into a fresh folder: its database dump and documents.
fn restored(usb: &Path, id: &str, tmp: &Path, name: &str) -> Result<Contents> {
    let verified = restore(usb, id, &tmp.join(format!("work-{name}")))?;
    let other = tmp.join(name);
    fs::create_dir_all(&other)?;
    super::super::swap_in(verified, &other)?;
    let conn = crate::db::open(&other.join(DATABASE))?;
    Ok((dump(&conn)?, file_hashes(&other)?))
}

#[test]
fn a_format_1_repository_stays_readable_restorable_and_prunable_beside_format_2_snapshots() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 2)?;
    // A database of several 1 MiB pieces.
    for i in 0..40 {
        add_document(&conn, &data, &format!("lettre-{i}.pdf"), format!("lettre {i} ").repeat(40).as_bytes())?;
    }
    conn.execute("CREATE TABLE filler (x BLOB)", [])?;
    for i in 0..30u8 {
        conn.execute("INSERT INTO filler VALUES (?1)", [vec![i; 100_000]])?;
    }
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    let old = v1_snapshot(&conn, &data, &usb, day(0))?;
    let at_v1 = (dump(&conn)?, file_hashes(&data)?);
    assert!(objects(&usb)?.1 >= 3, "several gzip pieces: {:?}", objects(&usb)?);
    assert_eq!(list(&usb)?.len(), 1);
    assert_eq!(restored(&usb, &old, tmp.path(), "v1")?, at_v1);

    // The next snapshot, format 2, in the same repository: the documents are reused, the
    // database is written in zstd pieces.
    add_document(&conn, &data, "scan.pdf", &[9u8; 50_000])?;
    let next = snapshot(&conn, &data, &usb, day(1), |_, _| {})?;
    assert_eq!(next.reused_objects, 42, "{next:?}");
    let root = repo_root(&usb);
    let m = load(&root, &next.info.id)?;
    assert_eq!(m.format, 2);
    assert!(m.database.chunks.iter().all(|c| c.codec == Codec::Zstd));
    assert!(fs::read_to_string(root.join(MARKER))?.contains("\"version\":2"));
    let at_v2 = (dump(&conn)?, file_hashes(&data)?);
    assert_eq!(list(&usb)?.len(), 2);
    assert_eq!(restored(&usb, &old, tmp.path(), "v1-again")?, at_v1);
    assert_eq!(restored(&usb, &next.info.id, tmp.path(), "v2")?, at_v2);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap_or_default();
    assert!(drill(&usb, &tmp.path().join("drill"), today)?.ok);

    // Pruning the format 1 snapshot removes its gzip pieces only; the format 2 one restores.
    let one = Tiers { daily: 1, monthly: 0, yearly: 0 };
    let pruned = prune(&usb, &one)?;
    assert_eq!(pruned.removed, vec![old]);
    assert!(present_objects(&root)?.keys().all(|k| !k.ends_with(".gz")));
    assert_eq!(restored(&usb, &next.info.id, tmp.path(), "v2-after-prune")?, at_v2);
    Ok(())
}

#[test]
fn a_row_inserted_early_in_the_database_rewrites_few_pieces() -> R {
    let tmp = tempfile::tempdir()?;
    let (data, conn) = data_dir(tmp.path(), 0)?;
    // About 8 MB of incompressible rows, then one row grown near the start of the file.
    let mut rng = 1u64;
    let mut noise = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (rng >> 33) as u8
            })
            .collect()
    };
    conn.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, x BLOB)", [])?;
    for _ in 0..400 {
        conn.execute("INSERT INTO filler (x) VALUES (?1)", [noise(20_000)])?;
    }
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb)?;
    let first = snapshot(&conn, &data, &usb, day(0), |_, _| {})?;
    conn.execute("UPDATE filler SET x = ?1 WHERE id = 3", [noise(20_000)])?;
    let next = snapshot(&conn, &data, &usb, day(1), |_, _| {})?;
    assert!(first.new_objects >= 4, "{first:?}");
    assert!(next.new_objects <= 3, "a changed page rewrites its own piece: {next:?} after {first:?}");
    Ok(())
}
