//! Corrections of what intake recorded: an address mistyped, corrected with its cause, the letter
//! sent to it owed again and the next one printed with the new address; a homonym firm picked at
//! intake replaced after it was informed, the new firm's letter owed; the civility, the addressee
//! and the registered number corrected, each marked « corrigé le … ».

use fantoccini::Locator;
use reclamations_e2e::tools::{files_named, pdf_text};
use reclamations_e2e::{
    db_count, App, Channel, Civility, FirmChoice, Intake, Nature, Profile, Role, SeedFirm, TestResult,
};

const FIRM: &str = "Économie Bâtiment Conseil — Paris";
const HOMONYM: &str = "Économie Bâtiment Conseil Sud — Marseille";

fn intake() -> Intake {
    Intake::blank()
        .received("27/11/2026")
        .role(Role::Client)
        .complainant("Claire Lefèvre")
        .complainant_address("12 rue des Lilas", "69003", "Lyon")
        .facts("Le métré remis était faux de 30 %.")
        .actions_taken("Courrier au cabinet le 2 octobre, sans réponse.")
        .natures(&[Nature::Services])
        .firm_choice(FirmChoice::Listed(FIRM.into()))
}

fn seed(profile: &Profile) -> TestResult {
    for (name, street, postcode, city) in [
        ("Économie Bâtiment Conseil", "3 avenue Foch", "75016", "Paris"),
        ("Économie Bâtiment Conseil Sud", "1 rue Haute", "13001", "Marseille"),
    ] {
        profile.seed_firm(&SeedFirm {
            name: name.into(),
            street: street.into(),
            postcode: postcode.into(),
            city: city.into(),
            is_qualified: true,
            ..SeedFirm::default()
        })?;
    }
    Ok(())
}

/// Says why the correction is made, and asks what it changes.
async fn preview_correction(app: &mut App, cause: &str) -> TestResult {
    app.choose(Some("Pourquoi"), cause).await?;
    app.click_text("Voir ce qui change").await
}

#[tokio::test]
async fn a_mistyped_address_is_corrected_its_letter_owed_again_and_the_next_one_printed_with_it() -> TestResult {
    let profile = Profile::on("2026-12-03")?;
    seed(&profile)?;
    let mut app = App::launch(&profile).await?;
    app.register(&intake()).await?;
    // Marked sent, the acknowledgement acknowledges the complaint.
    app.send_letter("Accusé de réception").await?;

    app.click_text("Corriger…").await?;
    app.fill(Some("Plaignant"), "Adresse", "14 rue des Lilas").await?;
    // Without a cause, the form says so next to it and keeps what was typed.
    app.click_text("Voir ce qui change").await?;
    app.wait_text("Dites s'il s'agit d'une erreur de saisie ou d'un changement").await?;
    assert_eq!(app.value(Some("Plaignant"), "Adresse").await?, "14 rue des Lilas");
    app.fill(Some("Pourquoi"), "Commentaire (facultatif)", "Appel de la plaignante le 3 décembre.").await?;
    preview_correction(&mut app, "Erreur de saisie").await?;
    app.wait_text("Adresse postale du plaignant : « 12 rue des Lilas, 69003 Lyon » → « 14 rue des Lilas, 69003 Lyon »")
        .await?;
    app.wait_text("ne comptent plus").await?;
    app.screenshot("60-correction-apercu").await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaint_corrections")?, 0, "a preview keeps nothing");
    app.click_text("Confirmer la correction").await?;
    app.wait_text("Correction enregistrée au journal.").await?;
    app.wait_text("corrigé le 03/12/2026").await?;
    app.wait_text("Correction (erreur de saisie) : adresse postale du plaignant").await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaint_corrections WHERE cause = 'error'")?, 1);
    assert_eq!(
        db_count(&profile, "SELECT count(*) FROM documents WHERE superseded LIKE 'Envoyé à l''adresse erronée%'")?,
        1
    );

    // The acknowledgement is owed again; generated now, it carries the corrected address.
    app.generate_letter("Accusé de réception").await?;
    let letters = files_named(&profile.data_dir().join("documents"), "acknowledgement");
    assert_eq!(letters.len(), 2, "{letters:?}");
    let mut texts = Vec::new();
    for letter in &letters {
        if let Some(text) = pdf_text(letter)? {
            texts.push(text);
        }
    }
    if !texts.is_empty() {
        assert!(texts.iter().any(|t| t.contains("14 rue des Lilas")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("12 rue des Lilas")), "the archived letter never changes");
    }
    app.screenshot("61-correction-faite").await?;
    app.quit().await
}

#[tokio::test]
async fn a_homonym_firm_informed_by_mistake_is_replaced_and_the_right_one_is_owed_its_letter() -> TestResult {
    let profile = Profile::on("2026-12-03")?;
    seed(&profile)?;
    let mut app = App::launch(&profile).await?;
    app.register(&intake()).await?;
    app.act("Accuser réception (réclamation complète)", &[]).await?;
    app.act("Transmettre au Responsable", &[("Transmise au", "Responsable des Qualifications")]).await?;
    app.send_letter("Information du qualifié").await?;

    app.click_text("Corriger…").await?;
    app.select(Some("Qualifié et réclamation"), "Qualifié", HOMONYM).await?;
    preview_correction(&mut app, "Erreur de saisie").await?;
    app.wait_text("doit l'être à son tour").await?;
    app.click_text("Confirmer la correction").await?;
    app.wait_text("Correction enregistrée au journal.").await?;
    // The letter to the old firm stays archived, marked; the new firm's letter is offered again.
    app.wait_text("Adressé à « Économie Bâtiment Conseil » avant la correction du 03/12/2026 : ne compte plus").await?;
    app.wait_text("Générer : Information du qualifié").await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaints WHERE firm_corrected_on = '2026-12-03'")?, 1);
    app.send_letter("Information du qualifié").await?;
    assert_eq!(
        db_count(&profile, "SELECT count(*) FROM deadlines WHERE clock = 'firm_answer' AND stopped_on IS NULL")?,
        1,
        "the new firm's own clock"
    );
    app.screenshot("62-correction-qualifie").await?;
    app.quit().await
}

#[tokio::test]
async fn the_civility_the_addressee_and_the_registered_number_corrected_each_say_corrige_le() -> TestResult {
    let profile = Profile::on("2026-12-03")?;
    seed(&profile)?;
    let mut app = App::launch(&profile).await?;
    app.register(
        &intake()
            .civility(Civility::Madame)
            .channel(Channel::RegisteredLetter { number: "1A 123 456 7890 1".to_owned() }),
    )
    .await?;
    app.click_text("Corriger…").await?;
    app.select(Some("Plaignant"), "Civilité", "Monsieur").await?;
    app.select(Some("Réception"), "Adressée à", "Président").await?;
    app.fill(Some("Réception"), "N° de recommandé", "1A 987 654 3210 9").await?;
    preview_correction(&mut app, "Erreur de saisie").await?;
    app.wait_text("Civilité du plaignant : « Madame » → « Monsieur »").await?;
    app.wait_text("N° de recommandé : « 1A12345678901 » → « 1A98765432109 »").await?;
    app.click_text("Confirmer la correction").await?;
    app.wait_text("Correction enregistrée au journal.").await?;
    for field in ["complainant.civility", "addressed_to", "registered_number"] {
        let mark = app.wait_for(Locator::Css(&format!(".corrected[data-field='{field}']"))).await?;
        assert_eq!(mark.text().await?, "corrigé le 03/12/2026", "{field}");
    }
    app.wait_text("adressée au Président").await?;
    app.wait_text("Monsieur Claire Lefèvre").await?;
    app.quit().await
}
