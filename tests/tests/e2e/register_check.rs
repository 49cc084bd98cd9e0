//! « Vérifier le registre »: the digest printed on a letter, typed back in Paramètres, says the
//! register is unchanged; after the SQLite file is altered with the app closed (one chain
//! rewritten with recomputed hashes, another complaint's journal deleted), it names them.

use fantoccini::Locator;
use reclamations_core::store::journal::{self, JournalKind, NewEntry};
use reclamations_e2e::tools::{files_named, pdf_page_one_png, pdf_text};
use reclamations_e2e::{assert_contains_all, App, FirmChoice, Intake, Nature, Profile, Role, TestResult};

/// « Empreinte du registre au 28/11/2026 : 3F2A-9C41-0B7E-55D2 » → (date, short form).
fn printed_digest(text: &str) -> Option<(String, String)> {
    let rest = &text[text.find("Empreinte du registre au ")? + "Empreinte du registre au ".len()..];
    let date: String = rest.chars().take(10).collect();
    let after = rest.get(10..)?.strip_prefix(" : ")?;
    let short: String = after.chars().take(19).collect();
    Some((date, short))
}

async fn check(app: &mut App, digest: &str, date: &str) -> TestResult<String> {
    app.fill(None, "Empreinte", digest).await?;
    app.fill(None, "Date", date).await?;
    app.click_text("Vérifier le registre").await?;
    app.wait_for(Locator::Css(".register-verdict [data-verdict]")).await?;
    Ok(app.client.find(Locator::Css(".register-verdict")).await?.text().await?)
}

#[tokio::test]
async fn a_digest_from_a_letter_checks_then_names_the_altered_complaints() -> TestResult {
    // The complaints come in on the 27th; the letter goes out on the 28th, whose digest the app
    // computed at start (the day's digest is the register as the day began).
    let mut profile = Profile::on("2026-11-27")?;
    let mut app = App::launch(&profile).await?;
    let mut refs = vec![app.register(&Intake::complete()).await?];
    for (name, email) in [("Paul Durand", "paul.durand@example.fr"), ("Anne Roux", "anne.roux@example.fr")] {
        // The same firm, from the register this time.
        let next = Intake::blank()
            .role(Role::ThirdParty)
            .complainant(name)
            .complainant_address("8 rue Pasteur", "33000", "Bordeaux")
            .email(email)
            .firm_choice(FirmChoice::Listed("Économie Bâtiment Conseil — Paris".to_owned()))
            .natures(&[Nature::Ethics]);
        refs.push(app.register(&next).await?);
    }
    assert_eq!(refs, ["REC-2026-0001", "REC-2026-0002", "REC-2026-0003"]);
    app.quit().await?;
    profile.today = Some("2026-11-28".to_owned());
    let mut app = App::launch(&profile).await?;
    app.click_text("Réclamations").await?;
    app.click_text("REC-2026-0001").await?;
    app.generate_letter("Accusé de réception").await?;
    let letters = files_named(&profile.data_dir().join("documents"), "acknowledgement");
    assert_eq!(letters.len(), 1, "{letters:?}");
    pdf_page_one_png(&letters[0], "registre-lettre-empreinte")?;
    // Without pdftotext (skipped on request), the digest shown in Paramètres stands in.
    let printed = pdf_text(&letters[0])?.map(|t| printed_digest(&t).ok_or(format!("no digest in the letter:\n{t}")));

    app.click_text("Paramètres").await?;
    let short = app.wait_for(Locator::Css("[data-digest='short']")).await?.text().await?;
    let full = app.client.find(Locator::Css("[data-digest='full']")).await?.text().await?;
    assert_eq!(full.replace('-', "").len(), 64, "{full}");
    assert!(full.starts_with(&short), "{full} / {short}");
    app.wait_text("Empreinte du registre au 28/11/2026 (3 réclamation(s))").await?;
    let (date, typed) = match printed {
        Some(found) => {
            let (date, typed) = found?;
            assert_eq!((date.as_str(), typed.as_str()), ("28/11/2026", short.as_str()), "letter vs Paramètres");
            (date, typed)
        }
        None => ("28/11/2026".to_owned(), short.clone()),
    };

    // A typing slip is refused next to its field.
    app.fill(None, "Empreinte", "3F2A-9C41").await?;
    app.fill(None, "Date", "31/02/2026").await?;
    app.click_text("Vérifier le registre").await?;
    app.wait_text("L'empreinte compte 16 caractères").await?;
    app.wait_text("Date invalide").await?;
    let invalid = app.client.find_all(Locator::Css("[aria-invalid='true']")).await?;
    assert_eq!(invalid.len(), 2);

    // Typed as printed, lower case and with spaces: unchanged.
    let verdict = check(&mut app, &typed.to_lowercase().replace('-', " "), &date).await?;
    assert!(verdict.contains("Registre inchangé"), "{verdict}");
    assert!(verdict.contains("les 3 réclamation(s)"), "{verdict}");
    app.screenshot("registre-inchange").await?;
    app.quit().await?;

    // The app closed, a forger edits the file: REC-2026-0001's chain rewritten with every hash
    // recomputed (its own check sees nothing), REC-2026-0002's journal deleted.
    {
        let conn = rusqlite::Connection::open(profile.layout().database())?;
        let id = |reference: &str| -> TestResult<i64> {
            Ok(conn.query_row("SELECT id FROM complaints WHERE reference = ?1", [reference], |r| r.get(0))?)
        };
        let (first, second) = (id("REC-2026-0001")?, id("REC-2026-0002")?);
        let rows = journal::rows(&conn, first)?;
        conn.execute("DELETE FROM journal WHERE complaint_id = ?1", [first])?;
        for row in &rows {
            let summary = row.summary.replace("Réclamation", "Simple courrier");
            let kind = JournalKind::from_code(&row.kind).unwrap_or(JournalKind::Note);
            let on = chrono::NaiveDate::parse_from_str(&row.occurred_on, "%Y-%m-%d")?;
            journal::append(&conn, first, &NewEntry::simple(kind, on, &row.author, &summary))?;
        }
        assert_eq!(journal::first_broken(&conn, first)?, None, "the rewrite is consistent");
        conn.execute("DELETE FROM journal WHERE complaint_id = ?1", [second])?;
    }

    let mut app = App::launch(&profile).await?;
    app.click_text("Paramètres").await?;
    app.wait_for(Locator::Css("[data-digest='short']")).await?;
    let verdict = check(&mut app, &typed, &date).await?;
    assert_contains_all(
        "the verdict",
        &verdict,
        &["Registre modifié depuis le 28/11/2026", "REC-2026-0001", "REC-2026-0002"],
    );
    assert!(!verdict.contains("REC-2026-0003"), "{verdict}");
    let listed = app.client.find_all(Locator::Css(".register-verdict ul.differing li")).await?;
    let mut names = Vec::new();
    for li in listed {
        names.push(li.text().await?);
    }
    assert_eq!(names, ["REC-2026-0001", "REC-2026-0002"]);
    app.screenshot("registre-modifie").await?;
    app.quit().await
}
