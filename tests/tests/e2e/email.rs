//! Email in and out, in the real window: a complaint created from an `.eml` and from an
//! Outlook `.msg` (through the path-taking twin of the drop: WebDriver cannot drive a native
//! drop), the originals archived byte for byte, a hostile HTML body shown as text only; a
//! letter prepared « par courriel » as a draft `.eml` carrying its PDF, then marked sent.

use reclamations_e2e::tools::sha256;
use reclamations_e2e::{
    assert_contains_all, db_count, App, FirmChoice, FirmStatus, Intake, Nature, Profile, Role, TestResult,
};
use std::path::PathBuf;

/// The corpus of messages the core's tests read too.
fn corpus(name: &str) -> PathBuf {
    reclamations_e2e::workspace_root().join("src-tauri/core/tests/fixtures/mail").join(name)
}

/// An Outlook-style Windows-1252 message whose HTML part carries a script and an `onerror`.
const HOSTILE_EML: &str = "outlook-1252-html-script.eml";
/// A real Outlook `.msg` (Apache POI's test data) with a PDF and an embedded message attached.
const MSG: &str = "poi-attachment_msg_pdf.msg";

/// What the secretary completes after reading an email: the rest of the form.
fn completion() -> Intake {
    Intake::blank()
        .role(Role::Client)
        .firm("Économie Bâtiment Conseil", "3 avenue Foch", "75016", "Paris")
        .firm_status(&[FirmStatus::Qualified])
        .actions_taken("Relance par courriel, sans réponse.")
        .natures(&[Nature::Services])
}

/// Reads the email at `path` into the open intake form, as a drop would.
async fn read_email(app: &mut App, path: &std::path::Path) -> TestResult {
    app.fill(None, "ou le fichier du courriel", &path.display().to_string()).await?;
    app.click_text("Lire ce fichier").await?;
    app.wait_text("À l’enregistrement, le courriel est archivé tel quel").await
}

/// The SHA-256 the register holds for the complaint's received email.
fn archived_email_hash(profile: &Profile, reference: &str) -> TestResult<(String, PathBuf)> {
    let conn = rusqlite::Connection::open(profile.layout().database())?;
    let (hash, relative): (String, String) = conn.query_row(
        "SELECT d.sha256, d.relative_path FROM documents d JOIN complaints c ON c.id = d.complaint_id
         WHERE c.reference = ?1 AND d.kind = 'email_in' AND d.attached_to IS NULL",
        [reference],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((hash, profile.layout().documents().join(relative)))
}

#[tokio::test]
async fn complaints_are_created_from_an_eml_and_a_msg_and_the_originals_archived() -> TestResult {
    let profile = Profile::on("2026-12-01")?;
    let mut app = App::launch(&profile).await?;

    // 1. The hostile .eml: prefilled, its HTML shown as text and never run.
    app.open_intake_form().await?;
    let eml = corpus(HOSTILE_EML);
    read_email(&mut app, &eml).await?;
    let facts = app.value(Some("Réclamation"), "Faits reprochés").await?;
    assert!(!facts.is_empty() && !facts.contains("<script") && !facts.contains("onerror"), "{facts}");
    let injected = app
        .client
        .execute(
            "return document.querySelectorAll('main script, main img, main iframe, main [onerror]').length;",
            vec![],
        )
        .await?;
    assert_eq!(injected.as_i64(), Some(0), "nothing of the message's HTML became elements");
    assert_eq!(app.client.execute("return window.__pwned === undefined;", vec![]).await?.as_bool(), Some(true));
    let subject = app.value(Some("Réception"), "Objet du courriel").await?;
    assert!(!subject.is_empty(), "the decoded subject is prefilled");
    app.fill_intake(&completion().complainant_address("12 rue des Lilas", "69003", "Lyon")).await?;
    app.screenshot("email-intake-eml").await?;
    let reference = app.save_intake().await?;
    let (hash, archived) = archived_email_hash(&profile, &reference)?;
    if let Some(expected) = sha256(&eml)? {
        assert_eq!(hash, expected, "the register's hash is the original's");
    }
    assert_eq!(std::fs::read(&archived)?, std::fs::read(&eml)?, "archived byte for byte");
    let page = app.main_text().await?;
    assert_contains_all("the complaint page", &page, &["Courriel reçu", &hash[..12]]);
    let injected = app
        .client
        .execute(
            "return document.querySelectorAll('main script, main img, main iframe, main [onerror]').length;",
            vec![],
        )
        .await?;
    assert_eq!(injected.as_i64(), Some(0), "the complaint page shows the message as text too");

    // 2. The Outlook .msg, answered by email (no postal address).
    app.open_intake_form().await?;
    let msg = corpus(MSG);
    read_email(&mut app, &msg).await?;
    app.screenshot("email-intake-msg").await?;
    // The firm is in the register now: chosen from the list.
    let msg_intake = Intake { firm: None, firm_address: None, firm_status: vec![], ..completion() }
        .firm_choice(FirmChoice::Listed("Économie Bâtiment Conseil — Paris".into()))
        .reply_by_email();
    app.fill_intake(&msg_intake).await?;
    let reference = app.save_intake().await?;
    let (hash, archived) = archived_email_hash(&profile, &reference)?;
    assert_eq!(std::fs::read(&archived)?, std::fs::read(&msg)?, "the .msg archived byte for byte");
    if let Some(expected) = sha256(&msg)? {
        assert_eq!(hash, expected);
    }
    // The files the core accepts from that message are joined, each linked to the email.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).ok_or("date")?;
    let preview = reclamations_core::store::emails::preview(&msg, today)?;
    let accepted = preview.attachments.iter().filter(|a| a.accepted).count() as i64;
    assert!(accepted >= 1, "{:?}", preview.attachments);
    let joined = db_count(
        &profile,
        &format!(
            "SELECT count(*) FROM documents d JOIN complaints c ON c.id = d.complaint_id
             WHERE c.reference = '{reference}' AND d.attached_to IS NOT NULL"
        ),
    )?;
    assert_eq!(joined, accepted);
    app.quit().await
}

#[tokio::test]
async fn a_letter_is_prepared_by_email_then_marked_sent_with_its_draft_in_the_journal() -> TestResult {
    let profile = Profile::on("2026-12-01")?;
    let mut app = App::launch(&profile).await?;
    app.open_intake_form().await?;
    read_email(&mut app, &corpus(HOSTILE_EML)).await?;
    app.fill_intake(&completion().complainant_address("12 rue des Lilas", "69003", "Lyon")).await?;
    let reference = app.save_intake().await?;

    app.generate_letter("Accusé de réception").await?;
    app.click_text("Préparer par courriel").await?;
    app.wait_text("Courriel préparé pour").await?;
    app.screenshot("email-draft").await?;
    app.mark_letter_sent("Accusé de réception", None).await?;
    let page = app.main_text().await?;
    assert_contains_all("the journal", &page, &["Courriel préparé pour « Accusé de réception »", "par courriel à"]);

    // The draft, read back: the letter's PDF inside, unchanged, and marked unsent for Outlook.
    let conn = rusqlite::Connection::open(profile.layout().database())?;
    let (draft, letter_hash): (String, String) = conn.query_row(
        "SELECT e.relative_path, l.sha256 FROM documents e JOIN documents l ON l.id = e.carries
         JOIN complaints c ON c.id = l.complaint_id WHERE c.reference = ?1 AND e.kind = 'email_draft'",
        [&reference],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let bytes = std::fs::read(profile.layout().documents().join(&draft))?;
    assert!(String::from_utf8_lossy(&bytes).contains("X-Unsent: 1"));
    let read = reclamations_core::mail::read(&bytes, "brouillon.eml")?;
    assert!(read.subject.starts_with(&reference), "{}", read.subject);
    let pdf = read.attachments.first().ok_or("the draft carries no attachment")?;
    assert_eq!(reclamations_core::archive::sha256_hex(&pdf.bytes), letter_hash);
    let sent_by_email = db_count(
        &profile,
        "SELECT count(*) FROM documents WHERE kind = 'acknowledgement' AND send_mode = 'email' AND sent_on = '2026-12-01'",
    )?;
    assert_eq!(sent_by_email, 1);
    app.quit().await
}

/// #26: a Thunderbird message whose address is written in quotes, dated 5 January 2021 and
/// signed with an address and a phone: the address prefilled, the old date said, the
/// signature's coordinates offered « à vérifier » and taken only on the secretary's click.
#[tokio::test]
async fn a_thunderbird_email_gives_its_address_says_its_old_date_and_offers_its_signature() -> TestResult {
    let profile = Profile::on("2026-12-01")?;
    let mut app = App::launch(&profile).await?;
    app.open_intake_form().await?;
    read_email(&mut app, &corpus("thunderbird-quoted-address.eml")).await?;
    assert_eq!(app.value(Some("Plaignant"), "Courriel").await?, "helene.chateau@example.fr");
    assert_eq!(app.value(Some("Plaignant"), "Nom du plaignant").await?, "Hélène Château");
    assert_eq!(app.value(Some("Réception"), "Date de réception").await?, "05/01/2021");
    let page = app.main_text().await?;
    assert_contains_all(
        "the intake card",
        &page,
        &[
            "Courriel daté du 05/01/2021, il y a 2\u{202f}156 jours : vérifiez la date de réception.",
            "Coordonnées trouvées dans le texte du courriel — à vérifier",
            "8 bis, rue des Tilleuls, Résidence Les Érables, 21000 DIJON",
            "03 80 12 34 56",
        ],
    );
    // Offered, not written.
    assert_eq!(app.value(Some("Plaignant"), "Code postal").await?, "");
    assert_eq!(app.value(Some("Plaignant"), "Téléphone").await?, "");
    app.click_text("Reprendre dans le formulaire").await?;
    app.wait_text("Vérifiez les coordonnées reprises").await?;
    assert_eq!(app.value(Some("Plaignant"), "Adresse").await?, "8 bis, rue des Tilleuls\nRésidence Les Érables");
    assert_eq!(app.value(Some("Plaignant"), "Code postal").await?, "21000");
    assert_eq!(app.value(Some("Plaignant"), "Ville").await?, "DIJON");
    assert_eq!(app.value(Some("Plaignant"), "Téléphone").await?, "03 80 12 34 56");
    app.screenshot("email-intake-thunderbird").await?;
    app.quit().await
}
