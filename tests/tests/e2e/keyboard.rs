//! Keyboard first: a complaint walked from intake to a generated letter with keys only (Ctrl+N,
//! Tab, typing, Space, Ctrl+S, Enter, Échap), and the help panel opened by « ? » and F1, its
//! focus kept inside and given back when Échap closes it. The test reads the page (which element
//! has the focus) but never clicks.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::Locator;
use reclamations_e2e::{db_count, App, Profile, TestResult};

/// Presses `keys` together (held in order, released in reverse), as a user does Ctrl+N.
async fn chord(app: &mut App, keys: &[char]) -> TestResult {
    let mut actions = KeyActions::new("clavier".into());
    for &k in keys {
        actions = actions.then(KeyAction::Down { value: k });
    }
    for &k in keys.iter().rev() {
        actions = actions.then(KeyAction::Up { value: k });
    }
    app.client.perform_actions(actions).await?;
    app.client.release_actions().await?;
    Ok(())
}

async fn press(app: &mut App, key: impl Into<char>) -> TestResult {
    chord(app, &[key.into()]).await
}

/// Types `text` into the focused element.
async fn type_text(app: &mut App, text: &str) -> TestResult {
    app.client.active_element().await?.send_keys(text).await?;
    Ok(())
}

/// What the focused element is called: a field's label (without the « * »), a button's or a
/// link's text, a heading's text; with its tag.
async fn focused(app: &mut App) -> TestResult<String> {
    let v = app
        .client
        .execute(
            r#"const el = document.activeElement;
            if (!el || el === document.body) return 'body';
            const name = (el.labels && el.labels[0] ? el.labels[0].textContent : el.textContent) || '';
            return el.tagName.toLowerCase() + ':' + name.replace(/\*/g, '').replace(/\s+/g, ' ').trim();"#,
            vec![],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Presses Tab until the focus is on `target` (as [`focused`] names it); fails after 120 presses.
async fn tab_to(app: &mut App, target: &str) -> TestResult {
    for _ in 0..120 {
        press(app, Key::Tab).await?;
        if focused(app).await? == target {
            return Ok(());
        }
    }
    Err(format!("Tab never reached « {target} » (last: {})", focused(app).await?).into())
}

/// Tabs to `label`'s field and types `text` there.
async fn fill_by_keys(app: &mut App, label: &str, text: &str) -> TestResult {
    let tag = if label.starts_with("Adresse") { "textarea" } else { "input" };
    tab_to(app, &format!("{tag}:{label}")).await?;
    type_text(app, text).await
}

/// Tabs to the checkbox or radio `label` and presses Space.
async fn tick_by_keys(app: &mut App, label: &str) -> TestResult {
    tab_to(app, &format!("input:{label}")).await?;
    press(app, ' ').await
}

async fn visible_help(app: &mut App) -> TestResult<bool> {
    let v = app
        .client
        .execute(
            "const d = document.getElementById('keyboard-help'); return Boolean(d && d.offsetParent !== null && d.getAttribute('role') === 'dialog' && d.getAttribute('aria-modal') === 'true');",
            vec![],
        )
        .await?;
    Ok(v.as_bool().unwrap_or(false))
}

/// From Ctrl+N to « Accusé de réception » generated and marked sent, with the keyboard only.
#[tokio::test]
async fn a_complaint_goes_from_intake_to_its_letter_with_the_keyboard_only() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    // The start page's heading has the focus.
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='Tableau de bord']")).await?;
    assert_eq!(focused(&mut app).await?, "h1:Tableau de bord");

    chord(&mut app, &[Key::Control.into(), 'n']).await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='Nouvelle réclamation']")).await?;
    assert_eq!(focused(&mut app).await?, "h1:Nouvelle réclamation");

    // In the form's order: Tab, then type (Space ticks a box or picks a radio button).
    tab_to(&mut app, "input:Client du qualifié").await?;
    press(&mut app, ' ').await?;
    fill_by_keys(&mut app, "Nom du plaignant", "Claire Lefèvre").await?;
    fill_by_keys(&mut app, "Adresse", "12 rue des Lilas").await?;
    fill_by_keys(&mut app, "Code postal", "69003").await?;
    fill_by_keys(&mut app, "Ville", "Lyon").await?;
    // No firm in the register yet: the form creates one.
    fill_by_keys(&mut app, "Raison sociale", "Économie Bâtiment Conseil").await?;
    fill_by_keys(&mut app, "Adresse du qualifié", "3 avenue Foch").await?;
    fill_by_keys(&mut app, "Code postal du qualifié", "75016").await?;
    fill_by_keys(&mut app, "Ville du qualifié", "Paris").await?;
    tick_by_keys(&mut app, "Qualifié").await?;
    tab_to(&mut app, "textarea:Faits reprochés").await?;
    type_text(&mut app, "Le métré remis était faux de 30 %.").await?;
    tab_to(&mut app, "textarea:Actions déjà menées").await?;
    type_text(&mut app, "Courrier au cabinet le 2 octobre, sans réponse.").await?;
    tick_by_keys(&mut app, "Prestations réalisées").await?;
    app.wait_text("Réclamation complète : un accusé de réception sera adressé.").await?;
    app.screenshot("keyboard-01-saisie").await?;

    // Ctrl+S saves from wherever the focus is in the form.
    chord(&mut app, &[Key::Control.into(), 's']).await?;
    app.wait_text("Réclamation REC-2026-0001 enregistrée.").await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='REC-2026-0001']")).await?;
    assert_eq!(focused(&mut app).await?, "h1:REC-2026-0001");
    assert_eq!(db_count(&profile, "SELECT count(*) FROM complaints")?, 1);

    tab_to(&mut app, "button:Générer : Accusé de réception").await?;
    press(&mut app, Key::Enter).await?;
    // The preview opens with the focus on « Valider et archiver »: Entrée validates.
    app.wait_text("Aperçu : Accusé de réception").await?;
    assert_eq!(focused(&mut app).await?, "button:Valider et archiver");
    press(&mut app, Key::Enter).await?;
    app.wait_text("Courrier généré et archivé : Accusé de réception.").await?;
    assert_eq!(db_count(&profile, "SELECT count(*) FROM documents WHERE kind = 'acknowledgement'")?, 1);
    // The card re-rendered: the focus is on its heading, to go on from there.
    assert_eq!(focused(&mut app).await?, "h2:Courriers");

    // « Marquer envoyé » opens its panel with the focus in it; Échap closes it and gives the
    // focus back to the button.
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='REC-2026-0001']")).await?;
    tab_to(&mut app, "button:Marquer envoyé").await?;
    press(&mut app, Key::Enter).await?;
    app.wait_for(Locator::Css("form[aria-label='Marquer envoyé : Accusé de réception']")).await?;
    assert_eq!(focused(&mut app).await?, "input:Date d’envoi");
    press(&mut app, Key::Escape).await?;
    assert!(
        app.client.find_all(Locator::Css("form[aria-label^='Marquer envoyé']")).await?.is_empty(),
        "Échap left the panel open"
    );
    assert_eq!(focused(&mut app).await?, "button:Marquer envoyé");

    // Again, and Ctrl+S validates the panel holding the focus.
    press(&mut app, Key::Enter).await?;
    app.wait_for(Locator::Css("form[aria-label='Marquer envoyé : Accusé de réception']")).await?;
    chord(&mut app, &[Key::Control.into(), 's']).await?;
    app.wait_text("Courrier marqué envoyé : Accusé de réception.").await?;
    assert_eq!(
        db_count(&profile, "SELECT count(*) FROM documents WHERE kind = 'acknowledgement' AND sent_on = '2026-11-28'")?,
        1
    );
    app.screenshot("keyboard-02-courrier").await?;
    app.quit().await
}

/// « ? » and F1 open the help panel (a modal dialog listing the shortcuts); Tab stays inside;
/// Échap closes it and the focus comes back. Alt+2 and Ctrl+K reach the list's search; Échap
/// leaves the intake form, which keeps what was typed.
#[tokio::test]
async fn the_help_panel_and_the_other_shortcuts() -> TestResult {
    let profile = Profile::on("2026-11-28")?;
    let mut app = App::launch(&profile).await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='Tableau de bord']")).await?;
    let hints = app
        .client
        .execute(
            "return [...document.querySelectorAll('nav a[data-route]')].map((a) => a.getAttribute('aria-keyshortcuts')).join(' ');",
            vec![],
        )
        .await?;
    assert_eq!(hints.as_str(), Some("Alt+1 Alt+2 Alt+3 Alt+4 Alt+5"));

    chord(&mut app, &['?']).await?;
    assert!(visible_help(&mut app).await?, "« ? » did not open the help panel");
    let text = app.client.find(Locator::Id("keyboard-help")).await?.text().await?;
    for part in ["Raccourcis clavier", "Ctrl+N", "Nouvelle réclamation", "Alt+5", "Paramètres", "Ctrl+S", "Échap"] {
        assert!(text.contains(part), "the help lacks « {part} »:\n{text}");
    }
    assert_eq!(focused(&mut app).await?, "button:Fermer");
    for _ in 0..3 {
        press(&mut app, Key::Tab).await?;
        let inside = app
            .client
            .execute("return document.getElementById('keyboard-help').contains(document.activeElement);", vec![])
            .await?;
        assert_eq!(inside.as_bool(), Some(true), "Tab left the help panel");
    }
    app.screenshot("keyboard-03-aide").await?;
    press(&mut app, Key::Escape).await?;
    assert!(!visible_help(&mut app).await?, "Échap did not close the help panel");
    assert_eq!(focused(&mut app).await?, "h1:Tableau de bord");
    press(&mut app, Key::F1).await?;
    assert!(visible_help(&mut app).await?, "F1 did not open the help panel");
    press(&mut app, Key::Escape).await?;
    assert!(!visible_help(&mut app).await?);

    // Alt+2 → the list, the focus on its heading (not in a field), as after every navigation.
    chord(&mut app, &[Key::Alt.into(), '2']).await?;
    app.wait_for(Locator::XPath("//main[not(@aria-busy)]//h1[normalize-space(.)='Réclamations']")).await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(focused(&mut app).await?, "h1:Réclamations");

    // Alt+4 → Statistiques; Ctrl+K goes to the list and into its search field.
    chord(&mut app, &[Key::Alt.into(), '4']).await?;
    app.wait_for(Locator::XPath("//nav//a[@aria-current='page'][@data-route='statistiques']")).await?;
    chord(&mut app, &[Key::Control.into(), 'k']).await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='Réclamations']")).await?;
    let mut searching = false;
    for _ in 0..20 {
        let v = app.client.execute("return document.activeElement.type === 'search';", vec![]).await?;
        if v.as_bool() == Some(true) {
            searching = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(searching, "Ctrl+K did not focus the search field (focus: {})", focused(&mut app).await?);
    // « ? » typed in the search field is text.
    type_text(&mut app, "?").await?;
    assert!(!visible_help(&mut app).await?, "« ? » typed in a field opened the help");

    // Échap leaves the intake form; Ctrl+N finds the typing as it was.
    chord(&mut app, &[Key::Control.into(), 'n']).await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='Nouvelle réclamation']")).await?;
    fill_by_keys(&mut app, "Nom du plaignant", "Claire Lefèvre").await?;
    press(&mut app, Key::Escape).await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='Réclamations']")).await?;
    chord(&mut app, &[Key::Control.into(), 'n']).await?;
    app.wait_for(Locator::XPath("//h1[normalize-space(.)='Nouvelle réclamation']")).await?;
    assert_eq!(app.value(None, "Nom du plaignant").await?, "Claire Lefèvre");
    app.quit().await
}
