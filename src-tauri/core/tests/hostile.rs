//! Hostile input: every core entry point behind a command gets arbitrary text, ids, dates and
//! numbers (proptest; `PROPTEST_CASES=10000` for the long run). Nothing panics; every refusal
//! is a French message (never a database error); what is accepted is stored verbatim and SQL
//! fragments are never executed.

use chrono::NaiveDate;
use proptest::prelude::*;
use reclamations_core::model::{Addressee, ComplainantRole, Nature};
use reclamations_core::procedure::ActionForm;
use reclamations_core::store::journal::ManualEntryForm;
use reclamations_core::store::letters::SentForm;
use reclamations_core::store::search::ListQuery;
use reclamations_core::store::settings::DeadlineSettings;
use reclamations_core::store::staff::StaffForm;
use reclamations_core::store::{
    complaints, documents, firms, journal, letters, page, search, settings, staff, workflow,
};
use reclamations_core::validate::{ComplainantForm, ComplaintForm, FirmForm};
use reclamations_core::{db, Error};
use std::sync::Mutex;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
}

/// Text an attacker or a careless paste could produce.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,60}",
        Just("'; DROP TABLE complaints; --".to_owned()),
        Just("\" OR 1=1 --".to_owned()),
        Just("<img src=x onerror=alert(1)>".to_owned()),
        Just("\u{202E}gnp.exe\u{202C} 🙂👍 مرحبا".to_owned()),
        Just("\u{0}\u{1}\u{7}\u{1b}[31m".to_owned()),
        Just("31/02/2026".to_owned()),
        Just("9999-99-99".to_owned()),
        Just("{{reference}} {{inconnu}} {{".to_owned()),
        Just("NEAR(a b) OR c* \"d".to_owned()),
        Just(String::new()),
    ]
}

fn id() -> impl Strategy<Value = i64> {
    prop_oneof![Just(1_i64), Just(0), Just(-1), Just(i64::MAX), Just(i64::MIN), any::<i64>()]
}

/// A refusal must be one of ours, in French: never a raw database failure.
fn acceptable<T>(r: &Result<T, Error>) -> Result<(), TestCaseError> {
    if let Err(e) = r {
        prop_assert!(!matches!(e, Error::Database(_) | Error::Io(_)), "unexpected failure: {e:?}");
        let message = e.user_message();
        prop_assert!(!message.is_empty());
        if let Error::Validation { fields } = e {
            prop_assert!(fields.values().all(|m| !m.is_empty()));
        }
    }
    Ok(())
}

/// One shared database with a complaint, so that ids 1 exist.
fn conn() -> &'static Mutex<rusqlite_conn::Conn> {
    static CONN: std::sync::OnceLock<Mutex<rusqlite_conn::Conn>> = std::sync::OnceLock::new();
    CONN.get_or_init(|| {
        let mut c = db::open_in_memory().unwrap_or_else(|e| panic!("{e:?}"));
        let mut rng = reclamations_core::fixtures::Rng::new(3);
        let f = reclamations_core::validate::validate_firm(&reclamations_core::fixtures::firm(&mut rng, 1), "firm")
            .unwrap_or_else(|e| panic!("{e:?}"));
        let firm = firms::insert(&c, &f, "firm").unwrap_or_else(|e| panic!("{e:?}"));
        complaints::register(&mut c, &reclamations_core::fixtures::complaint(&mut rng, firm, today()), today(), "S")
            .unwrap_or_else(|e| panic!("{e:?}"));
        Mutex::new(c)
    })
}

mod rusqlite_conn {
    pub type Conn = reclamations_core::db::Connection;
}

fn lock() -> std::sync::MutexGuard<'static, rusqlite_conn::Conn> {
    conn().lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

proptest! {
    #[test]
    fn register_complaint(a in hostile(), b in hostile(), c in hostile(), d in hostile(), e in hostile(), f in hostile(), firm in proptest::option::of(id()), reply_by_email in any::<bool>()) {
        let form = ComplaintForm {
            received_on: a.clone(), channel: b.clone(), registered_number: c.clone(), email_subject: d.clone(), addressed_to: Addressee::President.code().into(),
            complainant: ComplainantForm { role: ComplainantRole::Client.code().into(), civility: e.clone(), name: f.clone(), organisation: a.clone(), address_lines: b.clone(), postcode: c.clone(), city: d.clone(), email: e.clone(), phone: f.clone() },
            firm_id: firm, new_firm: None, facts: a.clone(), actions_taken: b, natures: vec![c, Nature::Services.code().into()], checklist: Default::default(), reply_by_email,
        };
        let mut conn = lock();
        let r = complaints::register(&mut conn, &form, today(), "S");
        acceptable(&r)?;
        if let Ok(done) = r {
            let stored = complaints::get(&conn, done.id, today()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(stored.complainant.name, f.trim());
            prop_assert_eq!(stored.facts, a.replace("\r\n", "\n").replace('\r', "\n").trim().to_owned());
        }
        let count: i64 = conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'complaints'", [], |r| r.get(0)).unwrap_or(0);
        prop_assert_eq!(count, 1, "the complaints table is still there");
    }

    #[test]
    fn perform_action(id in id(), action in prop_oneof![hostile(), Just("decide".to_owned()), Just("acknowledge".to_owned()), Just("request_details".to_owned()), Just("record_details_received".to_owned()), Just("pass_to_investigator".to_owned()), Just("schedule_hearing".to_owned())], date in hostile(), text in hostile(), choice in hostile(), name in hostile(), by in hostile(), elements in proptest::collection::vec(hostile(), 0..3)) {
        let mut conn = lock();
        let form = ActionForm {
            action, date, firm_text: text.clone(), waiver: text.clone(), expected: name.clone(), intervenant: by.clone(),
            document: choice.clone(), hearing: name.clone(), outcomes: vec![], facts: name.clone(), actions_taken: by.clone(),
            text, choice, by, elements,
        };
        let r = workflow::perform(&mut conn, id, "S", &form, today());
        acceptable(&r)?;
    }

    #[test]
    fn corrections(id in id(), cause in prop_oneof![hostile(), Just("error".to_owned()), Just("change".to_owned())], text in hostile(), date in hostile(), apply in any::<bool>()) {
        let mut conn = lock();
        let complaint = reclamations_core::validate::ComplaintForm {
            received_on: date, facts: text.clone(), firm_id: Some(id), ..reclamations_core::validate::ComplaintForm::default()
        };
        let form = reclamations_core::store::corrections::CorrectionForm { cause, comment: text, complaint };
        acceptable(&reclamations_core::store::corrections::correct(&mut conn, id, &form, "S", today(), apply))?;
    }

    #[test]
    fn journal_entries(id in id(), kind in prop_oneof![hostile(), Just("call".to_owned()), Just("correction".to_owned())], date in hostile(), participants in hostile(), summary in hostile(), seq in proptest::option::of(id())) {
        let mut conn = lock();
        acceptable(&journal::add_manual(&mut conn, id, "S", &ManualEntryForm { kind, date, participants, summary, corrects_seq: seq }, today()))?;
        acceptable(&journal::verify(&conn, id))?;
    }

    #[test]
    fn search_and_reads(text in hostile(), step in hostile(), sort in hostile(), id in id(), offset in id(), limit in id(), year in proptest::option::of(any::<i32>())) {
        let conn = lock();
        let q = ListQuery { text, step, sort, firm_id: Some(id), year, offset, limit, ..ListQuery::default() };
        acceptable(&search::list(&conn, &q, today()))?;
        acceptable(&search::list(&conn, &ListQuery { text: q.text.clone(), ..ListQuery::default() }, today()))?;
        acceptable(&complaints::get(&conn, id, today()))?;
        acceptable(&firms::firm_file(&conn, id, today()))?;
        acceptable(&workflow::view(&conn, id, today()))?;
        acceptable(&page::read(&conn, id, today()))?;
        acceptable(&documents::documents(&conn, id))?;
        acceptable(&firms::search(&conn, &firms::FirmQuery { text: q.text.clone(), status: q.step.clone() }, usize::try_from(limit).unwrap_or(0), today()))?;
    }

    #[test]
    fn firms_and_import(name in hostile(), siret in hostile(), lines in hostile(), city in hostile(), id in proptest::option::of(id()), bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut conn = lock();
        let form = FirmForm { name, siret, address_lines: lines, reason: city.clone(), city, ..FirmForm::default() };
        acceptable(&firms::save(&mut conn, id, &form, "Claire"))?;
        acceptable(&firms::import(&mut conn, &bytes, "hostile.csv", false, "Claire", today()))?;
        acceptable(&firms::import(&mut conn, &bytes, "hostile.csv", true, "Claire", today()))?;
    }

    #[test]
    fn settings_staff_templates_letters(name in hostile(), subject in hostile(), body in hostile(), n in any::<u32>(), id in id(), date in hostile(), mode in hostile(), number in hostile()) {
        let mut conn = lock();
        acceptable(&staff::add(&conn, &StaffForm { name: name.clone(), role: subject.clone() }))?;
        acceptable(&staff::author(&conn, Some(id)))?;
        let s = DeadlineSettings { firm_months: n, soon_days: n / 3, ..DeadlineSettings::default() };
        acceptable(&settings::save_deadlines(&mut conn, &s))?;
        let kind = reclamations_core::letters::kinds::LetterKind::ALL[(n as usize) % reclamations_core::letters::kinds::LetterKind::ALL.len()];
        acceptable(&letters::save_template(&conn, kind, &subject, &body, "S"))?;
        acceptable(&letters::compose(&conn, id, kind, Some(&number), today()))?;
        acceptable(&letters::mark_sent(&mut conn, id, &SentForm { date, mode, registered_number: number }, today(), "S"))?;
        acceptable(&letters::record_ar_returned(&mut conn, id, &name, today(), "S"))?;
    }

    #[test]
    fn emails_in_and_out(bytes in proptest::collection::vec(any::<u8>(), 0..600), head in hostile(), subject in hostile(), body in hostile(), id in id(), ole in any::<bool>()) {
        // Arbitrary bytes, or a message whose headers and text are hostile, or bytes behind
        // Outlook's magic: read or refused in French, never a panic.
        let mut data = if ole { vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] } else { Vec::new() };
        data.extend_from_slice(&bytes);
        acceptable(&reclamations_core::mail::read(&data, "message.msg"))?;
        let text = format!("From: {head}\r\nSubject: {subject}\r\nDate: {head}\r\nContent-Type: text/html\r\n\r\n{body}");
        acceptable(&reclamations_core::mail::read(text.as_bytes(), "message.eml"))?;
        let mut conn = lock();
        let cover = letters::EmailCover { subject: subject.clone(), body: body.clone() };
        acceptable(&letters::save_email_cover(&mut conn, &cover))?;
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let now = chrono::Local::now().fixed_offset();
        acceptable(&letters::prepare_email(&mut conn, dir.path(), id, today(), now, "S"))?;
    }
}

#[test]
fn huge_texts_are_refused_with_a_message_not_a_crash() {
    let huge = "é".repeat(10 * 1024 * 1024 / 2);
    let mut conn = lock();
    let mut rng = reclamations_core::fixtures::Rng::new(9);
    let mut form = reclamations_core::fixtures::complaint(&mut rng, 1, today());
    form.facts = huge.clone();
    match complaints::register(&mut conn, &form, today(), "S") {
        Err(Error::Validation { fields }) => assert!(fields["facts"].contains("trop long")),
        other => panic!("{other:?}"),
    }
    let entry = ManualEntryForm {
        kind: "note".into(),
        date: "28/11/2026".into(),
        participants: String::new(),
        summary: huge.clone(),
        corrects_seq: None,
    };
    assert!(matches!(journal::add_manual(&mut conn, 1, "S", &entry, today()), Err(Error::Validation { .. })));
    assert!(search::list(&conn, &ListQuery { text: huge, limit: 10, ..ListQuery::default() }, today()).is_ok());
}

/// A full disk: SQLite refuses the write (`max_page_count` reached, as on a full disk), the
/// message is French, and nothing half-written remains.
#[test]
fn a_full_disk_is_a_french_error_and_loses_nothing() -> Result<(), Box<dyn std::error::Error>> {
    let mut conn = db::open_in_memory()?;
    let mut rng = reclamations_core::fixtures::Rng::new(5);
    let f = reclamations_core::validate::validate_firm(&reclamations_core::fixtures::firm(&mut rng, 1), "firm")?;
    let firm = firms::insert(&conn, &f, "firm")?;
    let first = complaints::register(
        &mut conn,
        &reclamations_core::fixtures::complaint(&mut rng, firm, today()),
        today(),
        "S",
    )?;
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    conn.execute_batch(&format!("PRAGMA max_page_count = {pages}"))?;
    let mut form = reclamations_core::fixtures::complaint(&mut rng, firm, today());
    form.facts = "x".repeat(150_000);
    let err = complaints::register(&mut conn, &form, today(), "S").err().ok_or("the write should fail")?;
    assert_eq!(err.kind(), "database");
    let message = err.user_message();
    assert!(message.contains("Rien n'a été modifié") && message.contains("disque"), "{message}");
    let count: i64 = conn.query_row("SELECT count(*) FROM complaints", [], |r| r.get(0))?;
    let journal_entries: i64 = conn.query_row("SELECT count(*) FROM journal", [], |r| r.get(0))?;
    assert_eq!((count, journal_entries), (1, 1), "the refused complaint left nothing behind");
    assert_eq!(journal::first_broken(&conn, first.id)?, None);
    Ok(())
}

/// A documents folder that cannot be written (here a file stands where the folder should be):
/// the letter is refused with a French message and the journal does not claim it was archived.
#[test]
fn an_unwritable_documents_folder_is_a_french_error() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let mut conn = db::open(&tmp.path().join("db.sqlite3"))?;
    let mut rng = reclamations_core::fixtures::Rng::new(6);
    let f = reclamations_core::validate::validate_firm(&reclamations_core::fixtures::firm(&mut rng, 1), "firm")?;
    let firm = firms::insert(&conn, &f, "firm")?;
    let mut form = reclamations_core::fixtures::complaint(&mut rng, firm, today());
    form.checklist.actions_taken = true;
    form.actions_taken = "Relances.".into();
    let c = complaints::register(&mut conn, &form, today(), "S")?;
    let blocked = reclamations_core::datadir::DataDir::new(tmp.path()).documents();
    std::fs::write(&blocked, b"un fichier, pas un dossier")?;
    let fonts = reclamations_core::letters::pdf::Fonts::liberation()?;
    let kind = reclamations_core::letters::kinds::LetterKind::Acknowledgement;
    let err =
        letters::generate(&mut conn, &blocked, &fonts, c.id, kind, None, today(), "S").err().ok_or("should fail")?;
    assert_eq!(err.kind(), "io");
    assert!(err.user_message().contains("Vérifiez que le dossier de données est accessible"), "{}", err.user_message());
    assert_eq!(
        journal::list(&conn, c.id)?.len(),
        1,
        "no « courrier sortant » entry for a letter that was not archived"
    );
    assert!(documents::documents(&conn, c.id)?.is_empty());
    Ok(())
}
