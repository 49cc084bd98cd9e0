//! The outgoing letters: composed from a template and the register, generated into the firm's
//! file (never overwritten) with the journal told, then marked sent and their AR card recorded;
//! and the reply to an oral contact, which needs no complaint.

use super::compose::build_doc;
use super::facts::{civility_name, facts_for, is_reminder, long, reminder_due, signatory, stated_firm_due, Facts};
use super::templates::{template, Template};
use crate::datadir;
use crate::error::{Error, FieldErrors, Result};
use crate::french::{format_fr, format_fr_long};
use crate::letters::kinds::{LetterKind, Signatory};
use crate::letters::merge::MergeValues;
use crate::letters::pdf::{self, Fonts, LetterDoc};
use crate::letters::typography;
use crate::model::{Civility, Direction, SendMode};
use crate::procedure::wording;
use crate::store::complaints;
use crate::store::complaints::ComplaintDetail;
use crate::store::documents::{self, archive_then_record, firm_folder, NewDocument};
use crate::store::journal::{self, JournalKind, NewEntry};
use crate::store::settings;
use crate::validate::{normalise_registered_number, parse_date};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The letter of `kind` for a complaint, with the template in force, before rendering.
pub fn compose(
    conn: &Connection,
    complaint_id: i64,
    kind: LetterKind,
    registered_number: Option<&str>,
    today: NaiveDate,
) -> Result<LetterDoc> {
    let c = complaints::get(conn, complaint_id, today)?;
    Ok(compose_for(conn, &c, kind, registered(registered_number)?, today, None)?.0)
}

/// `person`: the intervenant a declaration form names (`None` for every other letter).
fn compose_for(
    conn: &Connection,
    c: &ComplaintDetail,
    kind: LetterKind,
    number: Option<String>,
    today: NaiveDate,
    person: Option<i64>,
) -> Result<(LetterDoc, Template)> {
    let t = template(conn, kind)?;
    let facts = facts_for(conn, c, kind, today, person)?;
    let doc =
        build_doc(conn, &facts, &t.subject, &t.body, number, today, &format!("{} – {}", kind.label(), c.reference))?;
    Ok((doc, t))
}

/// A registered-letter number typed for a letter: normalised and checked, or refused.
fn registered(number: Option<&str>) -> Result<Option<String>> {
    match number.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(None),
        Some(n) => normalise_registered_number(n).map(|n| Some(spaced_registered(&n))).ok_or_else(|| {
            Error::field("registered_number", "Numéro de recommandé invalide : 13 caractères, comme 1A 123 456 7890 1.")
        }),
    }
}

/// « 1A12345678901 » → « 1A 123 456 7890 1 », as printed on La Poste's slips.
fn spaced_registered(n: &str) -> String {
    if n.len() == 13 && n.as_bytes()[0].is_ascii_digit() {
        format!("{} {} {} {} {}", &n[..2], &n[2..5], &n[5..8], &n[8..12], &n[12..])
    } else {
        n.to_owned()
    }
}

/// A generated, archived letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Generated {
    pub document_id: i64,
    pub path: PathBuf,
    pub sha256: String,
    pub template_version: i64,
}

fn render(doc: &LetterDoc, fonts: &Fonts) -> Result<Vec<u8>> {
    Ok(pdf::render(doc, fonts)?)
}

/// Generates a letter of `kind` for a complaint, archives the PDF in the firm's file (never
/// overwriting) and records it with its SHA-256 in the journal, in one transaction.
#[allow(clippy::too_many_arguments)]
pub fn generate(
    conn: &mut Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    complaint_id: i64,
    kind: LetterKind,
    registered_number: Option<&str>,
    today: NaiveDate,
    author: &str,
) -> Result<Generated> {
    generate_for(conn, documents_dir, fonts, complaint_id, kind, registered_number, today, author, None)
}

/// The printable declaration of interests for the intervenant `intervenant_id` of the
/// register (an instructeur or an expert about to take the file), addressed to them, archived
/// and journalled like every letter.
pub fn generate_declaration_form(
    conn: &mut Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    complaint_id: i64,
    intervenant_id: i64,
    today: NaiveDate,
    author: &str,
) -> Result<Generated> {
    generate_for(
        conn,
        documents_dir,
        fonts,
        complaint_id,
        LetterKind::ConflictDeclaration,
        None,
        today,
        author,
        Some(intervenant_id),
    )
}

#[allow(clippy::too_many_arguments)]
fn generate_for(
    conn: &mut Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    complaint_id: i64,
    kind: LetterKind,
    registered_number: Option<&str>,
    today: NaiveDate,
    author: &str,
    person: Option<i64>,
) -> Result<Generated> {
    let number = registered(registered_number)?;
    let c = complaints::get(conn, complaint_id, today)?;
    let (doc, t) = compose_for(conn, &c, kind, number.clone(), today, person)?;
    // The answer date the letter states, kept with it: the firm's information letter's
    // (`echeance_qualifie`), which the clock started when it is sent keeps; a reminder's new
    // date (`nouvelle_echeance`), to which its clock moves when it is sent.
    let due_on = match kind {
        LetterKind::FirmNotification => Some(stated_firm_due(conn, c.id, today)?),
        k if is_reminder(k) => Some(reminder_due(conn, today)?),
        _ => None,
    };
    let bytes = render(&doc, fonts)?;
    let folder = Path::new(&firm_folder(c.firm.id, &c.firm.name)).join(&c.reference);
    let stem = format!("{today}_{}_v{}", kind.code(), t.version);
    let row = NewDocument {
        complaint_id: Some(c.id),
        firm_id: Some(c.firm.id),
        direction: Direction::Out.code(),
        kind: kind.code(),
        recipient: kind.recipient().code(),
        template_version: Some(t.version),
        letter_data: serde_json::to_string(&doc).ok(),
        created_on: today,
        registered_number: number.as_deref().unwrap_or_default(),
        send_mode: if number.is_some() { SendMode::Registered.code() } else { "" },
        due_on,
        intervenant_id: person,
        ..NewDocument::default()
    };
    let (path, sha256, document_id) = archive_then_record(documents_dir, &folder, &stem, "pdf", &bytes, |file| {
        let tx = conn.transaction()?;
        let document_id = documents::insert(&tx, &row, file)?;
        // A decision letter names the decision it announces: the obligation checks that one.
        if let Some(decision) = crate::store::decisions::announced_by(&tx, c.id, kind)? {
            tx.execute("UPDATE documents SET decision_id = ?2 WHERE id = ?1", params![document_id, decision])?;
        }
        let summary =
            wording::letter_generated(kind.label(), t.version, number.as_deref(), file.relative_path, file.sha256);
        journal::append(
            &tx,
            c.id,
            &NewEntry {
                document: Some(document_id),
                ..NewEntry::simple(JournalKind::LetterOut, today, author, &summary)
            },
        )?;
        tx.commit()?;
        Ok(document_id)
    })?;
    Ok(Generated { document_id, path, sha256, template_version: t.version })
}

/// « Marquer envoyé »: date and mode, with the registered number checked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SentForm {
    pub date: String,
    /// `simple` or `registered`.
    pub mode: String,
    pub registered_number: String,
}

pub fn mark_sent(
    conn: &mut Connection,
    document_id: i64,
    form: &SentForm,
    today: NaiveDate,
    author: &str,
) -> Result<()> {
    let mut errors = FieldErrors::new();
    let date = match parse_date(&form.date) {
        Some(d) if d <= today => Some(d),
        Some(_) => {
            errors.insert("date".into(), "La date d'envoi ne peut pas être dans le futur.".into());
            None
        }
        None => {
            errors.insert("date".into(), crate::validate::INVALID_DATE.into());
            None
        }
    };
    let mode = SendMode::from_code(&form.mode);
    let number = match mode {
        Some(SendMode::Simple | SendMode::Email) => None,
        Some(SendMode::Registered) => match registered(Some(&form.registered_number)) {
            Ok(Some(n)) => Some(n),
            _ => {
                errors.insert(
                    "registered_number".into(),
                    "Numéro de recommandé invalide : 13 caractères, comme 1A 123 456 7890 1.".into(),
                );
                None
            }
        },
        None => {
            errors.insert("mode".into(), "Choisissez courrier simple ou recommandé.".into());
            None
        }
    };
    let (Some(date), true) = (date, errors.is_empty()) else {
        return Err(Error::Validation { fields: errors });
    };
    let tx = conn.transaction()?;
    type Sending = (Option<i64>, String, Option<String>, String, String);
    let row: Option<Sending> = tx
        .query_row(
            "SELECT d.complaint_id, d.kind, d.sent_on, d.created_at,
                    CASE d.recipient WHEN 'firm' THEN f.email WHEN 'complainant' THEN p.email ELSE '' END
             FROM documents d LEFT JOIN complaints c ON c.id = d.complaint_id
                  LEFT JOIN firms f ON f.id = c.firm_id LEFT JOIN complainants p ON p.id = c.complainant_id
             WHERE d.id = ?1 AND d.direction = 'out'",
            params![document_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, Option<String>>(4)?.unwrap_or_default())),
        )
        .optional()?;
    let (complaint_id, kind, sent_on, created, email) =
        row.ok_or(Error::NotFound { what: "Le courrier", id: document_id })?;
    let mode = mode.unwrap_or(SendMode::Simple);
    // Sent by email only as the draft the app prepared: the register names that file.
    let draft = match mode {
        SendMode::Email => Some(super::email::latest_draft(&tx, document_id)?.ok_or_else(|| {
            Error::field(
                "mode",
                if email.is_empty() {
                    "Le destinataire n'a pas d'adresse électronique : envoyez ce courrier par la poste."
                } else {
                    "Préparez d'abord le courriel (« Préparer par courriel ») : seul un courriel préparé par l'application peut être noté envoyé."
                },
            )
        })?),
        _ => None,
    };
    if let Some(sent) = sent_on {
        return Err(Error::field("date", format!("Ce courrier est déjà marqué envoyé le {}.", long(&sent))));
    }
    if parse_date(&created).is_some_and(|c| date < c) {
        return Err(Error::field("date", "La date d'envoi précède la date du courrier."));
    }
    tx.execute(
        "UPDATE documents SET sent_on = ?2, send_mode = ?3, registered_number = coalesce(?4, registered_number)
         WHERE id = ?1",
        params![document_id, date.to_string(), mode, number],
    )?;
    if let Some(complaint_id) = complaint_id {
        let label = documents::kind_label(&kind);
        let how = match (&draft, number) {
            (Some((draft_id, to, file, sha256)), _) => {
                tx.execute(
                    "UPDATE documents SET sent_on = ?2, send_mode = ?3 WHERE id = ?1",
                    params![draft_id, date.to_string(), SendMode::Email.code()],
                )?;
                format!("par courriel à {to}, le courrier en pièce jointe (courriel {file}, SHA-256 {sha256})")
            }
            (None, Some(n)) => wording::sent_by(SendMode::Registered, &n),
            _ => wording::sent_by(SendMode::Simple, ""),
        };
        let summary = wording::letter_sent(&label, date, &how);
        journal::append(
            &tx,
            complaint_id,
            &NewEntry {
                document: Some(document_id),
                ..NewEntry::simple(JournalKind::LetterOut, date, author, &summary)
            },
        )?;
        if let Some(kind) = LetterKind::from_code(&kind) {
            crate::store::workflow::letter_sent(&tx, complaint_id, document_id, kind, date, false, author)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The date on the returned AR card of a registered letter.
pub fn record_ar_returned(
    conn: &mut Connection,
    document_id: i64,
    date: &str,
    today: NaiveDate,
    author: &str,
) -> Result<()> {
    let date = crate::validate::read_date(date).map_err(|m| Error::field("ar_date", m))?;
    if date > today {
        return Err(Error::field("ar_date", "La date de l'avis de réception ne peut pas être dans le futur."));
    }
    let tx = conn.transaction()?;
    let row: Option<(Option<i64>, Option<String>, String, String)> = tx
        .query_row(
            "SELECT complaint_id, sent_on, send_mode, kind FROM documents WHERE id = ?1",
            params![document_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (complaint_id, sent_on, mode, kind) = row.ok_or(Error::NotFound { what: "Le courrier", id: document_id })?;
    if mode != SendMode::Registered.code() || sent_on.as_deref().and_then(parse_date).is_none_or(|s| date < s) {
        return Err(Error::field("ar_date", "Seul un recommandé envoyé a un avis de réception, daté après l'envoi."));
    }
    tx.execute("UPDATE documents SET ar_returned_on = ?2 WHERE id = ?1", params![document_id, date.to_string()])?;
    if let Some(complaint_id) = complaint_id {
        let summary = wording::ar_returned(date);
        journal::append(
            &tx,
            complaint_id,
            &NewEntry {
                document: Some(document_id),
                ..NewEntry::simple(JournalKind::LetterIn, date, author, &summary)
            },
        )?;
        if let Some(kind) = LetterKind::from_code(&kind) {
            crate::store::workflow::letter_sent(&tx, complaint_id, document_id, kind, date, true, author)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The reply to an oral contact, explaining how to complain in writing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub civility: String,
    pub name: String,
    pub address_lines: String,
    pub postcode: String,
    pub city: String,
}

pub fn how_to_complain(
    conn: &mut Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    form: &ContactForm,
    today: NaiveDate,
) -> Result<Generated> {
    let mut errors = FieldErrors::new();
    let civility = match form.civility.as_str() {
        "" => None,
        code => {
            let known = Civility::from_code(code);
            if known.is_none() {
                errors.insert("civility".into(), "Civilité inconnue : choisissez-la dans la liste.".into());
            }
            known
        }
    };
    if form.name.trim().is_empty() {
        errors.insert("name".into(), "Indiquez le nom de la personne.".into());
    }
    let mut lines = vec![civility_name(civility, form.name.trim())];
    lines.extend(form.address_lines.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned));
    lines.push(format!("{} {}", form.postcode.trim(), form.city.trim()));
    let recipient = match typography::postal_address(&lines.iter().map(String::as_str).collect::<Vec<_>>()) {
        Ok(r) => r,
        Err(e) => {
            errors.insert("address_lines".into(), e);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(Error::Validation { fields: errors });
    }
    let org = settings::organisation(conn)?;
    let t = template(conn, LetterKind::HowToComplain)?;
    let (signatory_name, signatory_title) = signatory(&org, Signatory::GeneralDelegate, None);
    // No complaint: the fields about one stay empty, and the merge refuses them if used.
    let values = MergeValues {
        appel: civility.map_or("Madame, Monsieur", Civility::label).to_owned(),
        e: crate::letters::merge::agreement(civility).to_owned(),
        destinataire: lines[0].clone(),
        date_lettre: format_fr_long(today),
        organisation: org.name.clone(),
        adresse_organisation: org.one_line_address(),
        courriel_organisation: org.email.clone(),
        signataire: signatory_name.clone(),
        titre_signataire: signatory_title.clone(),
        ..MergeValues::default()
    };
    let facts = Facts {
        values,
        recipient,
        reference: format!("Contact oral du {}", format_fr(today)),
        signatory_name,
        signatory_title,
        register_digest: crate::store::digest::current(conn, today)?.footer(),
    };
    let doc = build_doc(conn, &facts, &t.subject, &t.body, None, today, LetterKind::HowToComplain.label())?;
    let bytes = render(&doc, fonts)?;
    let stem = format!("{today}_how_to_complain_{}", crate::archive::slug(&form.name, 30));
    let row = NewDocument {
        direction: Direction::Out.code(),
        kind: "how_to_complain",
        recipient: "contact",
        template_version: Some(t.version),
        letter_data: serde_json::to_string(&doc).ok(),
        created_on: today,
        ..NewDocument::default()
    };
    let (path, sha256, document_id) =
        archive_then_record(documents_dir, Path::new(datadir::ORAL_CONTACTS), &stem, "pdf", &bytes, |file| {
            documents::insert(conn, &row, file)
        })?;
    Ok(Generated { document_id, path, sha256, template_version: t.version })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive;
    use crate::db::open_in_memory;
    use crate::letters::pdf::{layout, WINDOW};
    use crate::store::complaints::tests::sample_complaint;
    use crate::store::documents::documents;
    use crate::store::letters::tests::{day, decided};
    use crate::store::letters::{day_mail, restore_default, save_template};
    use crate::test_support::{flat, fonts, pdftotext};

    /// Expected facts for each kind: (kind, texts that must be in the PDF).
    fn expectations() -> Vec<(LetterKind, Vec<&'static str>)> {
        use LetterKind as K;
        let complainant = vec!["Madame Claire Lefèvre", "69003 LYON", "Madame,"];
        let firm = vec!["Économie Bâtiment Conseil", "75016 PARIS", "Madame, Monsieur,"];
        let with =
            |base: &Vec<&'static str>, more: &[&'static str]| base.iter().chain(more).copied().collect::<Vec<_>>();
        vec![
            (K::Acknowledgement, with(&complainant, &["2 mars 2026", "2 septembre 2026"])),
            (K::FirmNotification, with(&firm, &["Madame Claire Lefèvre", "7 avril 2026"])),
            (K::FirmReminder, with(&firm, &["4 mars 2026", "7 avril 2026"])),
            (K::InformationRequest, with(&complainant, &["Copie du contrat de maîtrise d’œuvre.", "7 avril 2026"])),
            (
                K::InvestigatorTransmission,
                vec!["Paul Bernard", "75007 PARIS", "7 avril 2026", "Responsable des Qualifications"],
            ),
            (K::WarningComplainant, with(&complainant, &["20 avril 2026", "Métré erroné de 30", "avertissement"])),
            (K::WarningFirm, with(&firm, &["20 avril 2026", "Métré erroné de 30", "avertissement"])),
        ]
    }

    #[test]
    fn each_kind_names_the_right_people_dates_and_fits_the_window() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        for (kind, expected) in expectations() {
            let doc = compose(&conn, id, kind, None, day(2026, 4, 30))?;
            let placed = layout(&doc, fonts());
            // The recipient's lines, not the same words in the letterhead (the investigator's
            // letter goes c/o the organisation).
            let address: Vec<_> = placed
                .lines
                .iter()
                .filter(|l| {
                    doc.recipient.contains(&l.text)
                        && l.page == 0
                        && l.x_mm > 90.0
                        && l.y_from_top_mm > 40.0
                        && l.y_from_top_mm < 100.0
                })
                .collect();
            assert_eq!(address.len(), doc.recipient.len(), "{kind:?}");
            for l in &address {
                let top = l.y_from_top_mm - l.size_pt * 0.3528 * 0.9;
                let bottom = l.y_from_top_mm + l.size_pt * 0.3528 * 0.25;
                assert!(WINDOW.contains(l.x_mm, top, l.width_mm, bottom), "{kind:?}: {} outside the window", l.text);
            }
            let bytes = pdf::render(&doc, fonts()).map_err(|e| Error::field("pdf", e.to_string()))?;
            let Some(text) = pdftotext(&bytes)? else { continue };
            let flat = flat(&text);
            for e in expected.iter().chain(&["REC-2026-0001", "Paris, le 30 avril 2026"]) {
                assert!(flat.contains(e), "{kind:?}: « {e} » missing from\n{text}");
            }
            assert!(!flat.contains("Lettre recommandée"), "{kind:?}: not registered");
        }
        Ok(())
    }

    #[test]
    fn the_signatory_follows_the_kind_and_the_manager() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let mut org = settings::organisation(&conn)?;
        org.general_delegate_name = "Sophie Martin".into();
        org.qualification_manager_name = "Luc Petit".into();
        settings::save_organisation(&conn, &org)?;
        let ar = compose(&conn, id, LetterKind::Acknowledgement, None, day(2026, 4, 30))?;
        assert_eq!(
            (ar.signatory_name.as_str(), ar.signatory_title.as_str()),
            ("Sophie Martin", "La Déléguée Générale")
        );
        let decision = compose(&conn, id, LetterKind::WarningFirm, None, day(2026, 4, 30))?;
        assert_eq!(decision.signatory_name, "Luc Petit");
        Ok(())
    }

    #[test]
    fn missing_data_and_unknown_fields_are_refused_before_any_pdf() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        // The complaint is complete: no missing elements to list.
        let err = compose(&conn, id, LetterKind::RequestDetails, None, day(2026, 4, 30));
        assert!(
            matches!(&err, Err(Error::Validation { fields }) if fields["letter"].contains("{{elements_manquants}}")),
            "{err:?}"
        );
        // No committee yet.
        assert!(compose(&conn, id, LetterKind::CommitteeOutcomeFirm, None, day(2026, 4, 30)).is_err());
        let e = save_template(&conn, LetterKind::Acknowledgement, "Objet", "{{appel}}, {{referense}}", "S");
        assert!(matches!(&e, Err(Error::Validation { fields }) if fields["body"].contains("{{referense}}")), "{e:?}");
        let dir = tempfile::tempdir()?;
        let generated =
            generate(&mut conn, dir.path(), fonts(), id, LetterKind::RequestDetails, None, day(2026, 4, 30), "S");
        assert!(generated.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).map(|d| d.count()).unwrap_or(0), 0, "no file written");
        Ok(())
    }

    #[test]
    fn an_incomplete_complaint_gets_the_list_of_missing_elements() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut form = sample_complaint();
        form.actions_taken.clear();
        form.checklist.actions_taken = false;
        form.facts.clear();
        form.checklist.facts = false;
        let id = complaints::register(&mut conn, &form, day(2026, 11, 28), "S")?.id;
        let doc = compose(&conn, id, LetterKind::RequestDetails, None, day(2026, 11, 28))?;
        let items: Vec<&String> = doc.paragraphs.iter().filter(|p| p.starts_with("- ")).collect();
        assert_eq!(items.len(), 2, "{:?}", doc.paragraphs);
        assert!(items[0].contains("exposé détaillé") && items[1].contains("actions déjà menées"));
        Ok(())
    }

    #[test]
    fn generated_letters_are_archived_versioned_journaled_and_sent() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let dir = tempfile::tempdir()?;
        let today = day(2026, 4, 30);
        let first = generate(
            &mut conn,
            dir.path(),
            fonts(),
            id,
            LetterKind::WarningFirm,
            Some("1a 123 456 7890 1"),
            today,
            "S",
        )?;
        let again = generate(&mut conn, dir.path(), fonts(), id, LetterKind::WarningFirm, None, today, "S")?;
        assert_ne!(first.path, again.path, "a regenerated letter is a new file");
        let bytes = std::fs::read(&first.path)?;
        assert_eq!(archive::sha256_hex(&bytes), first.sha256);
        let entry = journal::list(&conn, id)?.into_iter().find(|e| e.summary.contains(&first.sha256));
        assert!(entry.is_some_and(|e| e.kind == "letter_out" && e.summary.contains("modèle v1")));
        if let Some(text) = pdftotext(&bytes)? {
            assert!(text.contains("Lettre recommandée avec accusé de réception n° 1A 123 456 7890 1"), "{text}");
        }
        assert!(first.path.starts_with(dir.path().join("Q00001-economie-batiment-conseil").join("REC-2026-0001")));
        // A new template version is recorded on the next letter.
        save_template(
            &conn,
            LetterKind::WarningFirm,
            "Avertissement {{reference}}",
            "{{appel}},\n\nTexte.\n\nSalutations.",
            "S",
        )?;
        let third = generate(&mut conn, dir.path(), fonts(), id, LetterKind::WarningFirm, None, today, "S")?;
        assert_eq!(third.template_version, 2);
        restore_default(&conn, LetterKind::WarningFirm, "S")?;
        assert!(template(&conn, LetterKind::WarningFirm)?.is_default);

        let (pdf, count) = day_mail(&conn, fonts(), today)?;
        assert_eq!(count, 3);
        assert!(pdf.starts_with(b"%PDF"));
        let bad = SentForm { date: "30/04/2026".into(), mode: "registered".into(), registered_number: "123".into() };
        assert!(mark_sent(&mut conn, first.document_id, &bad, today, "S").is_err());
        let sent = SentForm {
            date: "30/04/2026".into(),
            mode: "registered".into(),
            registered_number: "1A 123 456 7890 1".into(),
        };
        mark_sent(&mut conn, first.document_id, &sent, today, "S")?;
        assert!(mark_sent(&mut conn, first.document_id, &sent, today, "S").is_err(), "already sent");
        assert_eq!(day_mail(&conn, fonts(), today)?.1, 2);
        record_ar_returned(&mut conn, first.document_id, "30/04/2026", today, "S")?;
        let docs = documents(&conn, id)?;
        let d = docs.iter().find(|d| d.id == first.document_id);
        assert!(d.is_some_and(
            |d| d.ar_returned_on.as_deref() == Some("2026-04-30") && d.registered_number == "1A 123 456 7890 1"
        ));
        assert_eq!(journal::first_broken(&conn, id)?, None);
        Ok(())
    }

    #[test]
    fn how_to_complain_needs_no_complaint() -> Result<()> {
        let mut conn = open_in_memory()?;
        let dir = tempfile::tempdir()?;
        let form = ContactForm {
            civility: "monsieur".into(),
            name: "Jean Durand".into(),
            address_lines: "4 rue Victor Hugo".into(),
            postcode: "33000".into(),
            city: "Bordeaux".into(),
        };
        let g = how_to_complain(&mut conn, dir.path(), fonts(), &form, day(2026, 11, 28))?;
        if let Some(text) = pdftotext(&std::fs::read(&g.path)?)? {
            let flat = flat(&text);
            assert!(flat.contains("Monsieur Jean Durand") && flat.contains("33000 BORDEAUX"), "{text}");
            assert!(flat.contains("secretariat@opqtecc.org") && flat.contains("« réclamation »"), "{text}");
        }
        assert!(how_to_complain(&mut conn, dir.path(), fonts(), &ContactForm::default(), day(2026, 11, 28)).is_err());
        Ok(())
    }
}
