//! Correcting what intake recorded (right to rectification): the complainant, the firm, the
//! facts, the actions already taken, the natures, the channel's details, to whom it was
//! addressed, the date of receipt. A correction is a typing error or a change (a move, a new
//! contact); it is one transaction, one journal entry in the hash chain naming each field with its
//! old and new value, and one row per field in `complaint_corrections`. Its consequences are
//! drawn here and said before the user confirms: the overall deadline follows a corrected date of
//! receipt; a new firm after the old one was informed must be informed in its turn (the letters
//! to the old one stay archived, marked « adressé à … avant correction »); letters sent to a
//! mistyped address no longer meet their obligation.

use crate::error::{Error, Result};
use crate::french::format_fr;
use crate::letters::kinds::{LetterKind, Recipient};
use crate::model::{Civility, Nature, SendMode};
use crate::store::clocks::{self, Clock, StopReason};
#[cfg(test)]
use crate::store::complaints::Corrected;
use crate::store::complaints::{self, ComplaintDetail};
use crate::store::firms;
use crate::store::journal::{self, JournalKind, NewEntry};
use crate::validate::{validate_complaint, ComplaintForm, ValidComplaint};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

/// What the « Corriger » form sends: the intake's fields as corrected (prefilled with the
/// current values), why, and a comment.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CorrectionForm {
    /// `error` (« erreur de saisie ») or `change` (« changement » : un déménagement, un nouveau contact).
    pub cause: String,
    pub comment: String,
    pub complaint: ComplaintForm,
}

/// One field corrected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The intake form's key (`complainant.address`, `firm_id`, `received_on`…).
    pub field: &'static str,
    pub label: &'static str,
    pub old: String,
    pub new: String,
}

/// What a correction changes and what follows from it; `applied` false: a preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorrectionReport {
    pub applied: bool,
    pub changes: Vec<FieldChange>,
    pub consequences: Vec<String>,
}

fn address_text(a: &crate::model::Address) -> String {
    let place =
        [a.postcode.as_str(), a.city.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
    a.lines.iter().cloned().chain((!place.is_empty()).then_some(place)).collect::<Vec<_>>().join(", ")
}

fn natures(list: &[Nature]) -> String {
    list.iter().map(|n| n.label()).collect::<Vec<_>>().join(", ")
}

/// The fields that differ between what is recorded and the corrected form, as people read them.
fn changes(old: &ComplaintDetail, new: &ValidComplaint, new_firm_name: &str) -> Vec<FieldChange> {
    let civility = |c: Option<Civility>| c.map_or("", Civility::label).to_owned();
    let mut natures_old = old.natures.clone();
    let mut natures_new = new.natures.clone();
    natures_old.sort_by_key(|n| n.code());
    natures_new.sort_by_key(|n| n.code());
    let c = &new.complainant;
    let list: [(&'static str, &'static str, String, String); 15] = [
        ("received_on", "Date de réception", old.received_on.clone(), new.received_on.to_string()),
        ("addressed_to", "Adressée à", old.addressed_to.label().into(), new.addressed_to.label().into()),
        ("registered_number", "N° de recommandé", old.registered_number.clone(), new.registered_number.clone()),
        ("email_subject", "Objet du courriel", old.email_subject.clone(), new.email_subject.clone()),
        ("complainant.role", "Qualité du plaignant", old.complainant.role.label().into(), c.role.label().into()),
        ("complainant.civility", "Civilité du plaignant", civility(old.complainant.civility), civility(c.civility)),
        ("complainant.name", "Nom du plaignant", old.complainant.name.clone(), c.name.clone()),
        (
            "complainant.organisation",
            "Organisme du plaignant",
            old.complainant.organisation.clone(),
            c.organisation.clone(),
        ),
        (
            "complainant.address",
            "Adresse postale du plaignant",
            address_text(&old.complainant.address),
            address_text(&c.address),
        ),
        ("complainant.email", "Courriel du plaignant", old.complainant.email.clone(), c.email.clone()),
        ("complainant.phone", "Téléphone du plaignant", old.complainant.phone.clone(), c.phone.clone()),
        ("firm_id", "Qualifié", old.firm.name.clone(), new_firm_name.to_owned()),
        ("facts", "Faits reprochés", old.facts.clone(), new.facts.clone()),
        ("actions_taken", "Actions déjà menées", old.actions_taken.clone(), new.actions_taken.clone()),
        ("natures", "Nature de la réclamation", natures(&natures_old), natures(&natures_new)),
    ];
    let firm_changed = matches!(new.firm, crate::validate::FirmChoice::Existing(id) if id != old.firm.id);
    list.into_iter()
        .filter(|(field, _, old, new)| if *field == "firm_id" { firm_changed } else { old != new })
        .map(|(field, label, old, new)| {
            let shown = |v: String| {
                if field == "received_on" {
                    crate::validate::parse_date(&v).map(format_fr).unwrap_or(v)
                } else {
                    v
                }
            };
            FieldChange { field, label, old: shown(old), new: shown(new) }
        })
        .collect()
}

/// The recipients' letters of the complaint already sent (or generated) to `to`.
fn letters_to(
    conn: &Connection,
    id: i64,
    to: Recipient,
    sent_by_post_only: bool,
) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, coalesce(sent_on, ''), send_mode FROM documents
         WHERE complaint_id = ?1 AND direction = 'out' AND superseded = '' ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(doc, kind, sent_on, mode)| {
            let letter = LetterKind::from_code(&kind)?;
            let by_post = SendMode::from_code(&mode) != Some(SendMode::Email);
            let wanted = letter.recipient() == to && (!sent_by_post_only || (!sent_on.is_empty() && by_post));
            wanted.then(|| (doc, letter.label().to_owned(), sent_on))
        })
        .collect())
}

/// Previews (`apply` false) or applies a correction of complaint `id`.
pub fn correct(
    conn: &mut Connection,
    id: i64,
    form: &CorrectionForm,
    author: &str,
    today: NaiveDate,
    apply: bool,
) -> Result<CorrectionReport> {
    let error = match form.cause.as_str() {
        "error" => true,
        "change" => false,
        _ => {
            return Err(Error::field(
                "cause",
                "Dites s'il s'agit d'une erreur de saisie ou d'un changement (déménagement, nouveau contact).",
            ))
        }
    };
    let tx = conn.transaction()?;
    let old = complaints::get(&tx, id, today)?;
    // What intake decided and a correction does not touch: the channel, the answer by email,
    // the checklist (précisions fill it); the firm is one of the register.
    let mut f = form.complaint.clone();
    f.channel = old.channel.code().to_owned();
    f.reply_by_email = old.reply_by_email;
    f.checklist = old.checklist;
    f.new_firm = None;
    if f.firm_id.is_none() {
        return Err(Error::field("firm_id", "Choisissez le qualifié dans le registre."));
    }
    let new = validate_complaint(&f, today)?;
    let new_firm_id = f.firm_id.unwrap_or(old.firm.id);
    let new_firm = firms::get(&tx, new_firm_id)
        .map_err(|_| Error::field("firm_id", "Ce qualifié n'existe plus dans le registre : choisissez-en un autre."))?;
    let changes = changes(&old, &new, &new_firm.name);
    if changes.is_empty() {
        return Err(Error::refused("Rien à corriger : les valeurs saisies sont celles déjà enregistrées."));
    }
    let changed = |field: &str| changes.iter().any(|c| c.field == field);
    let mut consequences = Vec::new();
    let on = format_fr(today);

    if changed("received_on") {
        let rows: Vec<(i64, u32, String)> = tx
            .prepare_cached("SELECT id, months, due_on FROM deadlines WHERE complaint_id = ?1 AND clock = 'overall'")?
            .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (row, months, due) in rows {
            let new_due = crate::deadlines::deadline(new.received_on, months).due;
            let old_due = crate::validate::parse_date(&due).map(format_fr).unwrap_or(due);
            consequences.push(format!("Délai global : échéance du {old_due} → {}.", format_fr(new_due)));
            tx.execute(
                "UPDATE deadlines SET start_on = ?2, due_on = ?3 WHERE id = ?1",
                params![row, new.received_on.to_string(), new_due.to_string()],
            )?;
        }
    }
    if changed("firm_id") {
        let informed: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM deadlines WHERE complaint_id = ?1 AND clock = 'firm_answer')
                 OR EXISTS (SELECT 1 FROM journal WHERE complaint_id = ?1 AND step_to = 'firm_informed')",
            params![id],
            |r| r.get(0),
        )?;
        let to_old = letters_to(&tx, id, Recipient::Firm, false)?;
        let mark = format!("Adressé à « {} » avant la correction du {on}", old.firm.name);
        for (doc, _, _) in &to_old {
            tx.execute("UPDATE documents SET superseded = ?2 WHERE id = ?1", params![doc, mark])?;
        }
        if !to_old.is_empty() {
            let names: Vec<&str> = to_old.iter().map(|(_, label, _)| label.as_str()).collect();
            consequences.push(format!(
                "Les courriers au qualifié ({}) restent archivés, marqués « adressé à {} avant correction » ; ils ne comptent plus pour « {} ».",
                names.join(", "),
                old.firm.name,
                new_firm.name
            ));
        }
        if informed {
            let stopped = clocks::stop(&tx, id, &[Clock::FirmAnswer], today, StopReason::Closed)?;
            tx.execute("UPDATE complaints SET firm_corrected_on = ?2 WHERE id = ?1", params![id, today.to_string()])?;
            consequences.push(format!(
                "« {} » avait été informé ; « {} » doit l'être à son tour : le courrier d'information lui est dû avant la décision, et son délai de réponse partira de son information{}.",
                old.firm.name,
                new_firm.name,
                if stopped.is_empty() { "" } else { " (le délai de réponse de l'ancien qualifié est arrêté)" }
            ));
        }
        consequences.push(format!(
            "La réclamation passe au dossier de « {} » ; celui de « {} » en garde la trace dans son historique.",
            new_firm.name, old.firm.name
        ));
        let why = format!(
            "Réclamation {} corrigée ({})",
            old.reference,
            if error { "erreur de saisie" } else { "changement" }
        );
        let trace = firms::Change {
            field: "Réclamation",
            old: old.reference.clone(),
            new: format!("rattachée à « {} »", new_firm.name),
        };
        firms::history::write(&tx, old.firm.id, None, &[trace], firms::By { author, reason: &why, import_id: None })?;
    }
    if changed("complainant.address") {
        if error {
            let sent = letters_to(&tx, id, Recipient::Complainant, true)?;
            let mark = format!("Envoyé à l'adresse erronée, corrigée le {on}");
            for (doc, _, _) in &sent {
                tx.execute("UPDATE documents SET superseded = ?2 WHERE id = ?1", params![doc, mark])?;
            }
            if sent.is_empty() {
                consequences.push("Aucun courrier n'avait encore été envoyé par la poste à l'adresse erronée.".into());
            } else {
                let names: Vec<String> = sent
                    .iter()
                    .map(|(_, label, sent_on)| {
                        let d = crate::validate::parse_date(sent_on).map(format_fr).unwrap_or_default();
                        format!("{label} du {d}")
                    })
                    .collect();
                consequences.push(format!(
                    "Erreur de saisie : les courriers envoyés à l'adresse erronée ({}) ne comptent plus ; la liste des courriers propose de les renvoyer à l'adresse corrigée.",
                    names.join(", ")
                ));
            }
        } else {
            consequences.push("Changement d'adresse : les courriers déjà envoyés restent valables.".into());
        }
    }
    consequences.push(
        "Les prochains courriers reprendront les valeurs corrigées ; les courriers archivés ne changent pas.".into(),
    );
    let report = CorrectionReport { applied: apply, changes, consequences };
    if !apply {
        tx.rollback()?;
        return Ok(report);
    }
    write(&tx, id, &new, new_firm_id)?;
    let cause = if error { "erreur de saisie" } else { "changement" };
    let summary = format!(
        "Correction ({cause}) : {}",
        report.changes.iter().map(|c| c.label.to_lowercase()).collect::<Vec<_>>().join(", ")
    );
    let mut details: Vec<String> =
        report.changes.iter().map(|c| format!("{} : « {} » → « {} »", c.label, c.old, c.new)).collect();
    details.extend(report.consequences.iter().cloned());
    if !form.comment.trim().is_empty() {
        details.push(format!("Motif : {}", form.comment.trim()));
    }
    let details = details.join("\n");
    let entry = NewEntry { details: &details, ..NewEntry::simple(JournalKind::Correction, today, author, &summary) };
    let journal_id = journal::append(&tx, id, &entry)?;
    for c in &report.changes {
        tx.execute(
            "INSERT INTO complaint_corrections (complaint_id, journal_id, field, label, old_value, new_value, cause,
                                                corrected_on, author)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![id, journal_id, c.field, c.label, c.old, c.new, form.cause, today.to_string(), author],
        )?;
    }
    crate::store::search::reindex(&tx, id)?;
    tx.commit()?;
    Ok(report)
}

/// Writes the corrected values.
fn write(conn: &Connection, id: i64, v: &ValidComplaint, firm_id: i64) -> Result<()> {
    let c = &v.complainant;
    conn.execute(
        "UPDATE complainants SET role = ?2, civility = ?3, name = ?4, organisation = ?5, address_lines = ?6,
                                 postcode = ?7, city = ?8, email = ?9, phone = ?10
         WHERE id = (SELECT complainant_id FROM complaints WHERE id = ?1)",
        params![
            id,
            c.role,
            c.civility.map_or("", Civility::code),
            c.name,
            c.organisation,
            c.address.lines.join("\n"),
            c.address.postcode,
            c.address.city,
            c.email,
            c.phone
        ],
    )?;
    conn.execute(
        "UPDATE complaints SET received_on = ?2, registered_number = ?3, email_subject = ?4, addressed_to = ?5,
                               firm_id = ?6, facts = ?7, actions_taken = ?8,
                               nature_services = ?9, nature_ethics = ?10, nature_mark_use = ?11
         WHERE id = ?1",
        params![
            id,
            v.received_on.to_string(),
            v.registered_number,
            v.email_subject,
            v.addressed_to,
            firm_id,
            v.facts,
            v.actions_taken,
            v.natures.contains(&Nature::Services),
            v.natures.contains(&Nature::Ethics),
            v.natures.contains(&Nature::MarkUse),
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::fixtures::sample_complaint;
    use crate::procedure::ActionKind;
    use crate::store::workflow::{perform, view};
    use crate::test_support::{form, pdftotext_file, send_letter};
    use crate::validate::{ComplainantForm, FirmForm};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// The « Corriger » form as the page prefills it: the values recorded.
    fn current(conn: &Connection, id: i64, today: NaiveDate) -> Result<ComplaintForm> {
        let c = complaints::get(conn, id, today)?;
        let p = &c.complainant;
        Ok(ComplaintForm {
            received_on: c.received_on.clone(),
            channel: c.channel.code().into(),
            registered_number: c.registered_number.clone(),
            email_subject: c.email_subject.clone(),
            addressed_to: c.addressed_to.code().into(),
            complainant: ComplainantForm {
                role: p.role.code().into(),
                civility: p.civility.map_or("", Civility::code).into(),
                name: p.name.clone(),
                organisation: p.organisation.clone(),
                address_lines: p.address.lines.join("\n"),
                postcode: p.address.postcode.clone(),
                city: p.address.city.clone(),
                email: p.email.clone(),
                phone: p.phone.clone(),
            },
            firm_id: Some(c.firm.id),
            new_firm: None,
            facts: c.facts.clone(),
            actions_taken: c.actions_taken.clone(),
            natures: c.natures.iter().map(|n| n.code().to_owned()).collect(),
            checklist: c.checklist,
            reply_by_email: c.reply_by_email,
        })
    }

    /// A complete complaint received 02/03/2026, acknowledged by letter sent 03/03.
    fn acknowledged(conn: &mut Connection) -> Result<i64> {
        let mut intake = sample_complaint();
        intake.received_on = "02/03/2026".into();
        let id = complaints::register(conn, &intake, day(2026, 3, 2), "S")?.id;
        // Marking the acknowledgement sent acknowledges the complaint.
        send_letter(conn, id, LetterKind::Acknowledgement, "03/03/2026")?;
        Ok(id)
    }

    fn owed(conn: &Connection, id: i64, today: NaiveDate) -> Result<Vec<(&'static str, &'static str)>> {
        Ok(view(conn, id, today)?.obligations.iter().map(|o| (o.letter, o.state)).collect())
    }

    #[test]
    fn an_address_mistyped_is_corrected_the_letter_to_it_owed_again_and_the_next_letter_uses_the_new_one() -> Result<()>
    {
        let mut conn = open_in_memory()?;
        let id = acknowledged(&mut conn)?;
        let today = day(2026, 3, 10);
        assert_eq!(owed(&conn, id, today)?, [("acknowledgement", "sent")]);
        // The register's digest printed on a letter before the correction.
        let printed = crate::store::digest::current(&conn, day(2026, 3, 9))?;
        let mut f = CorrectionForm {
            cause: "error".into(),
            comment: "Appel de la plaignante.".into(),
            complaint: current(&conn, id, today)?,
        };
        f.complaint.complainant.address_lines = "14 rue des Lilas".into();
        let preview = correct(&mut conn, id, &f, "Claire", today, false)?;
        assert_eq!(
            preview.changes,
            [FieldChange {
                field: "complainant.address",
                label: "Adresse postale du plaignant",
                old: "12 rue des Lilas, 69003 Lyon".into(),
                new: "14 rue des Lilas, 69003 Lyon".into()
            }]
        );
        assert!(preview.consequences[0].contains("ne comptent plus"), "{:?}", preview.consequences);
        assert_eq!(
            complaints::get(&conn, id, today)?.complainant.address.lines,
            ["12 rue des Lilas"],
            "a preview keeps nothing"
        );

        correct(&mut conn, id, &f, "Claire", today, true)?;
        let c = complaints::get(&conn, id, today)?;
        assert_eq!(c.complainant.address.lines, ["14 rue des Lilas"]);
        assert_eq!(c.corrected, [Corrected { field: "complainant.address".into(), corrected_on: "2026-03-10".into() }]);
        let entry = c.journal.iter().find(|e| e.kind == "correction").ok_or(Error::refused("no entry"))?;
        assert_eq!(entry.summary, "Correction (erreur de saisie) : adresse postale du plaignant");
        assert!(
            entry.details.contains("« 12 rue des Lilas, 69003 Lyon » → « 14 rue des Lilas, 69003 Lyon »"),
            "{}",
            entry.details
        );
        assert!(entry.details.contains("Motif : Appel de la plaignante."));
        assert!(journal::verify(&conn, id)?.intact);
        // A correction is appended: the digest printed before it still checks.
        assert!(crate::store::digest::verify(&conn, &printed.root, day(2026, 3, 9))?.matches);
        // The acknowledgement sent to the wrong address no longer counts; sent again, it does.
        assert_eq!(owed(&conn, id, today)?, [("acknowledgement", "to_prepare")]);
        let dir = tempfile::tempdir()?;
        let g = crate::store::letters::generate(
            &mut conn,
            dir.path(),
            crate::test_support::fonts(),
            id,
            LetterKind::Acknowledgement,
            None,
            today,
            "Claire",
        )?;
        if let Some(text) = pdftotext_file(&g.path)? {
            assert!(crate::test_support::flat(&text).contains("14 rue des Lilas"), "{text}");
        }
        Ok(())
    }

    #[test]
    fn a_move_keeps_the_letters_already_sent_valid() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = acknowledged(&mut conn)?;
        let today = day(2026, 3, 10);
        let mut f =
            CorrectionForm { cause: "change".into(), comment: String::new(), complaint: current(&conn, id, today)? };
        f.complaint.complainant.address_lines = "8 quai Saint-Vincent".into();
        f.complaint.complainant.postcode = "69001".into();
        let r = correct(&mut conn, id, &f, "Claire", today, true)?;
        assert!(r.consequences.iter().any(|c| c.contains("restent valables")));
        assert_eq!(owed(&conn, id, today)?, [("acknowledgement", "sent")]);
        Ok(())
    }

    #[test]
    fn a_corrected_date_of_receipt_moves_the_overall_deadline_and_says_both_dates() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = acknowledged(&mut conn)?;
        let today = day(2026, 3, 10);
        let mut f =
            CorrectionForm { cause: "error".into(), comment: String::new(), complaint: current(&conn, id, today)? };
        f.complaint.received_on = "27/02/2026".into();
        let r = correct(&mut conn, id, &f, "Claire", today, true)?;
        assert_eq!(r.consequences[0], "Délai global : échéance du 02/09/2026 → 27/08/2026.");
        let due: String = conn.query_row(
            "SELECT due_on FROM deadlines WHERE complaint_id = ?1 AND clock = 'overall'",
            params![id],
            |row| row.get(0),
        )?;
        assert_eq!(due, "2026-08-27");
        Ok(())
    }

    #[test]
    fn a_homonym_firm_informed_by_letter_is_replaced_the_new_one_owes_its_letter_and_gets_its_own_clock() -> Result<()>
    {
        let mut conn = open_in_memory()?;
        let id = acknowledged(&mut conn)?;
        let mut today = day(2026, 3, 4);
        perform(&mut conn, id, "S", &form(ActionKind::Transmit, "04/03/2026", &[("choice", "qualification")]), today)?;
        send_letter(&mut conn, id, LetterKind::FirmNotification, "05/03/2026")?;
        let homonym = firms::save(
            &mut conn,
            None,
            &FirmForm {
                name: "Économie Bâtiment Conseil Sud".into(),
                postcode: "13001".into(),
                city: "Marseille".into(),
                address_lines: "1 rue Haute".into(),
                ..FirmForm::default()
            },
            "S",
        )?;
        let old_firm = complaints::get(&conn, id, today)?.firm.id;
        today = day(2026, 3, 12);
        let mut f =
            CorrectionForm { cause: "error".into(), comment: String::new(), complaint: current(&conn, id, today)? };
        f.complaint.firm_id = Some(homonym);
        let r = correct(&mut conn, id, &f, "Claire", today, true)?;
        assert_eq!(r.changes[0].field, "firm_id");
        assert!(r.consequences.iter().any(|c| c.contains("doit l'être à son tour")), "{:?}", r.consequences);
        // The old letter stays archived, marked; the new firm is owed its letter before a decision.
        let page = crate::store::page::read(&conn, id, today)?;
        let old_letter =
            page.letters.documents.iter().find(|d| d.kind == "firm_notification").ok_or(Error::refused("letter"))?;
        assert!(old_letter.superseded.starts_with("Adressé à « Économie Bâtiment Conseil » avant la correction"));
        assert!(owed(&conn, id, today)?.contains(&("firm_notification", "to_prepare")));
        let clocks_running: i64 = conn.query_row(
            "SELECT count(*) FROM deadlines WHERE complaint_id = ?1 AND clock = 'firm_answer' AND stopped_on IS NULL",
            params![id],
            |row| row.get(0),
        )?;
        assert_eq!(clocks_running, 0, "the old firm's clock stops");
        // The complaint is in the new firm's file; the old one's history keeps a trace.
        assert_eq!(firms::firm_file(&conn, homonym, today)?.complaints.len(), 1);
        assert!(firms::firm_file(&conn, old_firm, today)?.history.iter().any(|h| h.field == "Réclamation"));
        // Informing the new firm starts its own clock.
        send_letter(&mut conn, id, LetterKind::FirmNotification, "13/03/2026")?;
        let due: String = conn.query_row(
            "SELECT due_on FROM deadlines WHERE complaint_id = ?1 AND clock = 'firm_answer' AND stopped_on IS NULL",
            params![id],
            |row| row.get(0),
        )?;
        assert_eq!(due, "2026-04-13");
        assert!(owed(&conn, id, day(2026, 3, 13))?.contains(&("firm_notification", "sent")));
        assert!(journal::verify(&conn, id)?.intact);
        Ok(())
    }

    #[test]
    fn nothing_to_correct_or_no_cause_is_refused() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = acknowledged(&mut conn)?;
        let today = day(2026, 3, 10);
        let same =
            CorrectionForm { cause: "error".into(), comment: String::new(), complaint: current(&conn, id, today)? };
        assert!(matches!(correct(&mut conn, id, &same, "C", today, true), Err(Error::Refused { .. })));
        let mut no_cause = same.clone();
        no_cause.cause.clear();
        no_cause.complaint.facts = "Autres faits.".into();
        assert!(
            matches!(correct(&mut conn, id, &no_cause, "C", today, true), Err(Error::Validation { fields }) if fields.contains_key("cause"))
        );
        Ok(())
    }

    #[test]
    fn the_actions_taken_received_as_precisions_fill_the_complaint_and_the_firms_letter_quotes_them() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut intake = sample_complaint();
        intake.received_on = "02/03/2026".into();
        intake.actions_taken.clear();
        intake.checklist.actions_taken = false;
        let id = complaints::register(&mut conn, &intake, day(2026, 3, 2), "S")?.id;
        let today = day(2026, 3, 20);
        send_letter(&mut conn, id, LetterKind::RequestDetails, "03/03/2026")?;
        let received = form(
            ActionKind::RecordDetailsReceived,
            "10/03/2026",
            &[
                ("elements", "actions_taken"),
                ("text", "Lettre du 9 mars."),
                ("actions_taken", "Mise en demeure du 5 janvier, restée sans réponse."),
            ],
        );
        perform(&mut conn, id, "S", &received, today)?;
        assert_eq!(
            complaints::get(&conn, id, today)?.actions_taken,
            "Mise en demeure du 5 janvier, restée sans réponse."
        );
        perform(&mut conn, id, "S", &form(ActionKind::Transmit, "11/03/2026", &[("choice", "qualification")]), today)?;
        let dir = tempfile::tempdir()?;
        let g = crate::store::letters::generate(
            &mut conn,
            dir.path(),
            crate::test_support::fonts(),
            id,
            LetterKind::FirmNotification,
            None,
            today,
            "S",
        )?;
        if let Some(text) = pdftotext_file(&g.path)? {
            assert!(
                crate::test_support::flat(&text).contains("Mise en demeure du 5 janvier, restée sans réponse."),
                "{text}"
            );
        }
        Ok(())
    }
}
