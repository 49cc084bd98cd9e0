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

/// A letter of the complaint still in force (not marked replaced or superseded).
struct OutLetter {
    id: i64,
    label: &'static str,
    /// ISO, when it was marked sent.
    sent_on: Option<String>,
    mode: Option<SendMode>,
}

impl OutLetter {
    /// « Accusé de réception du 03/03/2026 » (the day it was sent), or its name alone.
    fn named(&self) -> String {
        match self.sent_on.as_deref().and_then(crate::validate::parse_date) {
            Some(d) => format!("{} du {}", self.label, format_fr(d)),
            None => self.label.to_owned(),
        }
    }
}

/// The letters of the complaint to `to` still in force, sent or only generated, oldest first.
fn letters_to(conn: &Connection, id: i64, to: Recipient) -> Result<Vec<OutLetter>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, sent_on, send_mode FROM documents
         WHERE complaint_id = ?1 AND direction = 'out' AND superseded = '' ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(doc, kind, sent_on, mode)| {
            let letter = LetterKind::from_code(&kind).filter(|l| l.recipient() == to)?;
            Some(OutLetter { id: doc, label: letter.label(), sent_on, mode: SendMode::from_code(&mode) })
        })
        .collect())
}

/// Marks letters superseded: they stay archived, no longer count, and cannot be marked sent.
fn supersede(conn: &Connection, letters: &[&OutLetter], mark: &str) -> Result<()> {
    for l in letters {
        conn.execute("UPDATE documents SET superseded = ?2 WHERE id = ?1", params![l.id, mark])?;
    }
    Ok(())
}

fn names(letters: &[&OutLetter]) -> String {
    letters.iter().map(|l| l.named()).collect::<Vec<_>>().join(", ")
}

/// When a corrected date of receipt or firm changes whether the complaint is within the
/// procedure's scope (a qualification or certification valid on the date of receipt), what the
/// page will say; nothing is decided for the user (an inadmissibility stays an action).
fn scope_change(
    conn: &Connection,
    old: &ComplaintDetail,
    new_firm_id: i64,
    new_firm_name: &str,
    received_on: NaiveDate,
) -> Result<Option<String>> {
    let now = firms::scope_on(conn, new_firm_id, received_on)?;
    if now.in_scope == old.scope.in_scope {
        return Ok(None);
    }
    let day = format_fr(received_on);
    Ok(Some(if now.in_scope {
        format!(
            "Le {day}, « {new_firm_name} » détenait une qualification ou une certification valide : la réclamation entre dans le champ de la procédure. {}",
            now.summary
        )
    } else {
        format!(
            "Le {day}, « {new_firm_name} » ne détenait aucune qualification ni certification valide : la réclamation sort du champ de la procédure ; la fiche le signale, et elle peut être déclarée irrecevable tant que l'étape le permet. Rien n'est décidé automatiquement."
        )
    }))
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
        // Informed: the current firm was sent its letter, or its answer clock was started (by
        // letter or by phone). After an earlier correction of the firm, only what happened since
        // counts: the clock of the firm before it (stopped by that correction) is not this one's.
        let informed: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM documents WHERE complaint_id = c.id AND direction = 'out'
                            AND kind = 'firm_notification' AND sent_on IS NOT NULL AND superseded = '')
                 OR EXISTS (SELECT 1 FROM deadlines k WHERE k.complaint_id = c.id AND k.clock = 'firm_answer'
                            AND (c.firm_corrected_on IS NULL OR (k.start_on >= c.firm_corrected_on
                                 AND NOT (coalesce(k.stop_reason, '') = 'closed'
                                          AND k.stopped_on = c.firm_corrected_on))))
                 OR (c.firm_corrected_on IS NULL
                     AND EXISTS (SELECT 1 FROM journal WHERE complaint_id = c.id AND step_to = 'firm_informed'))
             FROM complaints c WHERE c.id = ?1",
            params![id],
            |r| r.get(0),
        )?;
        let to_old = letters_to(&tx, id, Recipient::Firm)?;
        let (sent, unsent): (Vec<&OutLetter>, Vec<&OutLetter>) = to_old.iter().partition(|l| l.sent_on.is_some());
        supersede(&tx, &sent, &format!("Adressé à « {} » avant la correction du {on}", old.firm.name))?;
        supersede(
            &tx,
            &unsent,
            &format!("Rédigé pour « {} » avant la correction du {on} : à régénérer", old.firm.name),
        )?;
        if !sent.is_empty() {
            consequences.push(format!(
                "Les courriers envoyés au qualifié ({}) restent archivés, marqués « adressé à {} avant correction » ; ils ne comptent plus pour « {} ».",
                names(&sent),
                old.firm.name,
                new_firm.name
            ));
        }
        if !unsent.is_empty() {
            consequences.push(format!(
                "Les courriers préparés pour « {} » et pas encore envoyés ({}) ne peuvent plus être marqués envoyés : ils restent archivés, et la liste des courriers propose de les régénérer pour « {} ».",
                old.firm.name,
                names(&unsent),
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
        } else {
            consequences.push(format!(
                "« {} » n'avait pas encore été informé : aucun délai n'est arrêté ; c'est « {} » qui sera informé, à l'étape prévue.",
                old.firm.name, new_firm.name
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
    if changed("received_on") || changed("firm_id") {
        if let Some(note) = scope_change(&tx, &old, new_firm_id, &new_firm.name, new.received_on)? {
            consequences.push(note);
        }
    }
    let to_complainant = letters_to(&tx, id, Recipient::Complainant)?;
    if changed("complainant.address") {
        let old_address = address_text(&old.complainant.address);
        // Generated but not sent: it carries the old address, whatever the cause.
        let unsent: Vec<&OutLetter> = to_complainant.iter().filter(|l| l.sent_on.is_none()).collect();
        supersede(
            &tx,
            &unsent,
            &format!("Rédigé pour l'adresse « {old_address} » avant la correction du {on} : à régénérer"),
        )?;
        if !unsent.is_empty() {
            consequences.push(format!(
                "Les courriers au plaignant préparés pour l'ancienne adresse et pas encore envoyés ({}) ne peuvent plus être marqués envoyés : ils restent archivés, et la liste des courriers propose de les régénérer à la nouvelle adresse.",
                names(&unsent)
            ));
        }
        if error {
            let by_post: Vec<&OutLetter> =
                to_complainant.iter().filter(|l| l.sent_on.is_some() && l.mode != Some(SendMode::Email)).collect();
            supersede(&tx, &by_post, &format!("Envoyé à l'adresse erronée, corrigée le {on}"))?;
            if by_post.is_empty() {
                consequences.push("Aucun courrier n'avait encore été envoyé par la poste à l'adresse erronée.".into());
            } else {
                consequences.push(format!(
                    "Erreur de saisie : les courriers envoyés à l'adresse erronée ({}) ne comptent plus ; la liste des courriers propose de les renvoyer à l'adresse corrigée.",
                    names(&by_post)
                ));
            }
        } else {
            consequences.push("Changement d'adresse : les courriers déjà envoyés restent valables.".into());
        }
    }
    if changed("complainant.email") {
        let old_email = old.complainant.email.trim().to_lowercase();
        let by_email: Vec<&OutLetter> =
            to_complainant.iter().filter(|l| l.sent_on.is_some() && l.mode == Some(SendMode::Email)).collect();
        if error && !by_email.is_empty() {
            supersede(
                &tx,
                &by_email,
                &format!("Envoyé par courriel à l'adresse erronée « {old_email} », corrigée le {on}"),
            )?;
            consequences.push(format!(
                "Erreur de saisie : les courriers envoyés par courriel à l'adresse erronée ({}) ne comptent plus ; la liste des courriers propose de les renvoyer à l'adresse corrigée.",
                names(&by_email)
            ));
        } else if !by_email.is_empty() {
            consequences.push(
                "Changement d'adresse électronique : les courriers déjà envoyés par courriel restent valables.".into(),
            );
        }
        let drafted: i64 = tx.query_row(
            "SELECT count(*) FROM documents d JOIN documents e ON e.carries = d.id
             WHERE d.complaint_id = ?1 AND d.direction = 'out' AND d.recipient = 'complainant'
               AND d.sent_on IS NULL AND d.superseded = '' AND e.email_to <> ?2",
            params![id, new.complainant.email.trim().to_lowercase()],
            |r| r.get(0),
        )?;
        if drafted > 0 {
            consequences.push(
                "Les courriels déjà préparés pour l'ancienne adresse électronique ne peuvent plus être notés envoyés : « Préparer par courriel » en écrit un nouveau pour l'adresse corrigée.".into(),
            );
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

    fn sent_form(date: &str, mode: &str) -> crate::store::letters::SentForm {
        crate::store::letters::SentForm { date: date.into(), mode: mode.into(), registered_number: String::new() }
    }

    fn superseded(conn: &Connection, doc: i64) -> Result<String> {
        Ok(conn.query_row("SELECT superseded FROM documents WHERE id = ?1", params![doc], |r| r.get(0))?)
    }

    fn firm_named(conn: &mut Connection, name: &str, street: &str) -> Result<i64> {
        firms::save(
            conn,
            None,
            &FirmForm {
                name: name.into(),
                postcode: "13001".into(),
                city: "Marseille".into(),
                address_lines: street.into(),
                ..FirmForm::default()
            },
            "S",
        )
    }

    fn firm_clocks(conn: &Connection, id: i64) -> Result<Vec<(String, Option<String>)>> {
        Ok(conn
            .prepare("SELECT start_on, stopped_on FROM deadlines WHERE complaint_id = ?1 AND clock = 'firm_answer' ORDER BY id")?
            .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    #[test]
    fn a_letter_generated_for_the_old_address_and_not_sent_is_superseded_and_owed_again_whatever_the_cause(
    ) -> Result<()> {
        for cause in ["error", "change"] {
            let mut conn = open_in_memory()?;
            let mut intake = sample_complaint();
            intake.received_on = "02/03/2026".into();
            let id = complaints::register(&mut conn, &intake, day(2026, 3, 2), "S")?.id;
            let dir = tempfile::tempdir()?;
            let today = day(2026, 3, 10);
            let fonts = crate::test_support::fonts();
            let draft = crate::store::letters::generate(
                &mut conn,
                dir.path(),
                fonts,
                id,
                LetterKind::Acknowledgement,
                None,
                day(2026, 3, 3),
                "S",
            )?;
            assert_eq!(owed(&conn, id, today)?, [("acknowledgement", "ready")], "{cause}");
            let mut f =
                CorrectionForm { cause: cause.into(), comment: String::new(), complaint: current(&conn, id, today)? };
            f.complaint.complainant.address_lines = "14 rue des Lilas".into();
            let preview = correct(&mut conn, id, &f, "Claire", today, false)?;
            assert!(
                preview.consequences.iter().any(|c| c.contains("pas encore envoyés (Accusé de réception)")),
                "{cause}: {:?}",
                preview.consequences
            );
            assert_eq!(superseded(&conn, draft.document_id)?, "", "a preview marks nothing");
            correct(&mut conn, id, &f, "Claire", today, true)?;
            assert_eq!(
                superseded(&conn, draft.document_id)?,
                "Rédigé pour l'adresse « 12 rue des Lilas, 69003 Lyon » avant la correction du 10/03/2026 : à régénérer"
            );
            // It can no longer be marked sent; the letter is owed and offered again.
            let refused = crate::store::letters::mark_sent(
                &mut conn,
                draft.document_id,
                &sent_form("10/03/2026", "simple"),
                today,
                "S",
            );
            assert!(
                matches!(&refused, Err(Error::Validation { fields }) if fields["date"].contains("à régénérer : ce courrier ne peut plus être marqué envoyé")),
                "{refused:?}"
            );
            assert_eq!(owed(&conn, id, today)?, [("acknowledgement", "to_prepare")], "{cause}");
            let c = complaints::get(&conn, id, today)?;
            assert!(crate::store::letters::offered(&c).contains(&LetterKind::Acknowledgement));
            // Generated again, it carries the corrected address and can be sent.
            let again = crate::store::letters::generate(
                &mut conn,
                dir.path(),
                fonts,
                id,
                LetterKind::Acknowledgement,
                None,
                today,
                "S",
            )?;
            if let Some(text) = pdftotext_file(&again.path)? {
                assert!(crate::test_support::flat(&text).contains("14 rue des Lilas"), "{text}");
            }
            crate::store::letters::mark_sent(
                &mut conn,
                again.document_id,
                &sent_form("10/03/2026", "simple"),
                today,
                "S",
            )?;
            assert_eq!(owed(&conn, id, today)?, [("acknowledgement", "sent")], "{cause}");
            assert!(journal::verify(&conn, id)?.intact);
        }
        Ok(())
    }

    #[test]
    fn an_email_address_mistyped_the_letters_emailed_to_it_are_owed_again_and_a_draft_for_it_cannot_be_sent(
    ) -> Result<()> {
        use crate::store::letters::prepare_email as prepare;
        let tmp = tempfile::tempdir()?;
        let docs = tmp.path().join("documents");
        let mut conn = open_in_memory()?;
        let mut intake = crate::store::emails::tests::email_form();
        intake.received_on = "02/03/2026".into();
        let id = complaints::register(&mut conn, &intake, day(2026, 3, 2), "S")?.id;
        let today = day(2026, 3, 10);
        let now = chrono::Local::now().fixed_offset();
        let letter = crate::store::letters::generate(
            &mut conn,
            &docs,
            crate::test_support::fonts(),
            id,
            LetterKind::Acknowledgement,
            None,
            day(2026, 3, 3),
            "S",
        )?;
        assert_eq!(prepare(&mut conn, &docs, letter.document_id, today, now, "S")?.to, "claire.lefevre@example.fr");
        // A new address (a change): the draft written for the old one cannot be marked sent.
        let mut f =
            CorrectionForm { cause: "change".into(), comment: String::new(), complaint: current(&conn, id, today)? };
        f.complaint.complainant.email = "claire.lefevre@exemple.org".into();
        let r = correct(&mut conn, id, &f, "Claire", today, true)?;
        assert!(r.consequences.iter().any(|c| c.contains("courriels déjà préparés")), "{:?}", r.consequences);
        let refused = crate::store::letters::mark_sent(
            &mut conn,
            letter.document_id,
            &sent_form("10/03/2026", "email"),
            today,
            "S",
        );
        assert!(
            matches!(&refused, Err(Error::Validation { fields }) if fields["mode"].contains("adresse corrigée depuis")),
            "{refused:?}"
        );
        assert_eq!(prepare(&mut conn, &docs, letter.document_id, today, now, "S")?.to, "claire.lefevre@exemple.org");
        crate::store::letters::mark_sent(&mut conn, letter.document_id, &sent_form("10/03/2026", "email"), today, "S")?;
        assert_eq!(owed(&conn, id, today)?, [("acknowledgement", "sent")]);
        // That address was mistyped: the letter emailed to it no longer counts, and is offered again.
        let later = day(2026, 3, 12);
        let mut f =
            CorrectionForm { cause: "error".into(), comment: String::new(), complaint: current(&conn, id, later)? };
        f.complaint.complainant.email = "claire.lefevre@exemple.fr".into();
        let r = correct(&mut conn, id, &f, "Claire", later, true)?;
        assert!(
            r.consequences
                .iter()
                .any(|c| c.contains("envoyés par courriel à l'adresse erronée (Accusé de réception du 10/03/2026)")),
            "{:?}",
            r.consequences
        );
        assert_eq!(
            superseded(&conn, letter.document_id)?,
            "Envoyé par courriel à l'adresse erronée « claire.lefevre@exemple.org », corrigée le 12/03/2026"
        );
        assert_eq!(owed(&conn, id, later)?, [("acknowledgement", "to_prepare")]);
        assert!(journal::verify(&conn, id)?.intact);
        Ok(())
    }

    #[test]
    fn a_firm_changed_before_it_was_informed_stops_nothing_and_the_new_firm_is_owed_its_letter() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = acknowledged(&mut conn)?;
        let today = day(2026, 3, 12);
        perform(&mut conn, id, "S", &form(ActionKind::Transmit, "04/03/2026", &[("choice", "qualification")]), today)?;
        let dir = tempfile::tempdir()?;
        let fonts = crate::test_support::fonts();
        let unsent = crate::store::letters::generate(
            &mut conn,
            dir.path(),
            fonts,
            id,
            LetterKind::FirmNotification,
            None,
            day(2026, 3, 5),
            "S",
        )?;
        let homonym = firm_named(&mut conn, "Économie Bâtiment Conseil Sud", "1 rue Haute")?;
        let mut f =
            CorrectionForm { cause: "error".into(), comment: String::new(), complaint: current(&conn, id, today)? };
        f.complaint.firm_id = Some(homonym);
        let r = correct(&mut conn, id, &f, "Claire", today, true)?;
        assert!(
            r.consequences.iter().any(|c| c.contains("« Économie Bâtiment Conseil » n'avait pas encore été informé")),
            "{:?}",
            r.consequences
        );
        assert!(!r.consequences.iter().any(|c| c.contains("avait été informé ;")), "{:?}", r.consequences);
        assert!(
            r.consequences.iter().any(|c| c.contains("pas encore envoyés (Information du qualifié")),
            "{:?}",
            r.consequences
        );
        // Nothing to stop, no correction-of-an-informed-firm recorded.
        assert!(firm_clocks(&conn, id)?.is_empty());
        let corrected: Option<String> =
            conn.query_row("SELECT firm_corrected_on FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?;
        assert_eq!(corrected, None);
        // The letter drafted for the old firm cannot be sent; the new firm is owed its own.
        assert_eq!(
            superseded(&conn, unsent.document_id)?,
            "Rédigé pour « Économie Bâtiment Conseil » avant la correction du 12/03/2026 : à régénérer"
        );
        assert!(crate::store::letters::mark_sent(
            &mut conn,
            unsent.document_id,
            &sent_form("12/03/2026", "simple"),
            today,
            "S"
        )
        .is_err());
        assert!(
            owed(&conn, id, today)?.contains(&("firm_notification", "to_prepare")),
            "{:?}",
            owed(&conn, id, today)?
        );
        let g = crate::store::letters::generate(
            &mut conn,
            dir.path(),
            fonts,
            id,
            LetterKind::FirmNotification,
            None,
            today,
            "S",
        )?;
        if let Some(text) = pdftotext_file(&g.path)? {
            assert!(crate::test_support::flat(&text).contains("1 rue Haute"), "{text}");
        }
        crate::store::letters::mark_sent(&mut conn, g.document_id, &sent_form("12/03/2026", "simple"), today, "S")?;
        assert_eq!(firm_clocks(&conn, id)?, [("2026-03-12".to_owned(), None)], "the new firm's clock");
        assert!(owed(&conn, id, today)?.contains(&("firm_notification", "sent")));
        assert_eq!(complaints::get(&conn, id, today)?.step, crate::model::Step::FirmInformed);
        assert!(journal::verify(&conn, id)?.intact);
        Ok(())
    }

    #[test]
    fn a_second_firm_correction_counts_only_what_the_firm_it_replaces_was_told() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = acknowledged(&mut conn)?;
        perform(
            &mut conn,
            id,
            "S",
            &form(ActionKind::Transmit, "04/03/2026", &[("choice", "qualification")]),
            day(2026, 3, 4),
        )?;
        send_letter(&mut conn, id, LetterKind::FirmNotification, "05/03/2026")?;
        let b = firm_named(&mut conn, "Cabinet Bertin", "2 rue Basse")?;
        let c = firm_named(&mut conn, "Cabinet Carrel", "3 rue Haute")?;
        let d = firm_named(&mut conn, "Cabinet Dufay", "4 rue Neuve")?;
        let to = |conn: &mut Connection, firm: i64, on: NaiveDate| -> Result<CorrectionReport> {
            let mut f =
                CorrectionForm { cause: "error".into(), comment: String::new(), complaint: current(conn, id, on)? };
            f.complaint.firm_id = Some(firm);
            correct(conn, id, &f, "Claire", on, true)
        };
        // A (informed on 05/03) → B on 12/03: A's clock stops.
        let r = to(&mut conn, b, day(2026, 3, 12))?;
        assert!(r.consequences.iter().any(|x| x.contains("« Économie Bâtiment Conseil » avait été informé")));
        // B, never informed → C on 20/03: the clock A had is not B's.
        let r = to(&mut conn, c, day(2026, 3, 20))?;
        assert!(
            !r.consequences.iter().any(|x| x.contains("« Cabinet Bertin » avait été informé")),
            "{:?}",
            r.consequences
        );
        assert!(
            r.consequences.iter().any(|x| x.contains("« Cabinet Bertin » n'avait pas encore été informé")),
            "{:?}",
            r.consequences
        );
        let corrected = |conn: &Connection| -> Result<Option<String>> {
            Ok(conn.query_row("SELECT firm_corrected_on FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?)
        };
        assert_eq!(corrected(&conn)?.as_deref(), Some("2026-03-12"));
        let entry = complaints::get(&conn, id, day(2026, 3, 20))?
            .journal
            .into_iter()
            .rfind(|e| e.kind == "correction")
            .ok_or(Error::refused("no entry"))?;
        assert!(!entry.details.contains("« Cabinet Bertin » avait été informé"), "{}", entry.details);
        // C is still owed its letter before the decision; informed on 21/03, its own clock runs.
        assert!(owed(&conn, id, day(2026, 3, 20))?.contains(&("firm_notification", "to_prepare")));
        send_letter(&mut conn, id, LetterKind::FirmNotification, "21/03/2026")?;
        assert_eq!(
            firm_clocks(&conn, id)?,
            [("2026-03-05".to_owned(), Some("2026-03-12".to_owned())), ("2026-03-21".to_owned(), None)]
        );
        // C, informed → D on 25/03: C's clock stops and D is owed its letter.
        let r = to(&mut conn, d, day(2026, 3, 25))?;
        assert!(
            r.consequences.iter().any(|x| x.contains("« Cabinet Carrel » avait été informé")),
            "{:?}",
            r.consequences
        );
        assert_eq!(corrected(&conn)?.as_deref(), Some("2026-03-25"));
        assert_eq!(firm_clocks(&conn, id)?.last().map(|k| k.1.clone()), Some(Some("2026-03-25".to_owned())));
        assert!(owed(&conn, id, day(2026, 3, 25))?.contains(&("firm_notification", "to_prepare")));
        assert!(journal::verify(&conn, id)?.intact);
        Ok(())
    }

    /// A complaint's form changed by a test case.
    type Edit = fn(&mut ComplaintForm);

    #[test]
    fn each_field_corrected_is_in_the_journal_and_the_corrections_with_its_old_and_new_value() -> Result<()> {
        let letter = sample_complaint();
        let registered = ComplaintForm {
            channel: "registered_letter".into(),
            registered_number: "1A 123 456 7890 1".into(),
            ..sample_complaint()
        };
        let email = crate::store::emails::tests::email_form();
        let cases: [(&str, &str, &ComplaintForm, Edit, &str, &str); 12] = [
            (
                "complainant.civility",
                "Civilité du plaignant",
                &letter,
                |f| f.complainant.civility = "monsieur".into(),
                "Madame",
                "Monsieur",
            ),
            (
                "complainant.name",
                "Nom du plaignant",
                &letter,
                |f| f.complainant.name = "Claire Lefebvre".into(),
                "Claire Lefèvre",
                "Claire Lefebvre",
            ),
            (
                "complainant.organisation",
                "Organisme du plaignant",
                &letter,
                |f| f.complainant.organisation = "SCI des Lilas".into(),
                "",
                "SCI des Lilas",
            ),
            (
                "complainant.email",
                "Courriel du plaignant",
                &letter,
                |f| f.complainant.email = "c.lefevre@example.fr".into(),
                "claire.lefevre@example.fr",
                "c.lefevre@example.fr",
            ),
            (
                "complainant.phone",
                "Téléphone du plaignant",
                &letter,
                |f| f.complainant.phone = "04 78 00 00 00".into(),
                "",
                "04 78 00 00 00",
            ),
            (
                "complainant.role",
                "Qualité du plaignant",
                &letter,
                |f| f.complainant.role = "third_party".into(),
                "Client du qualifié",
                "Tiers",
            ),
            (
                "natures",
                "Nature de la réclamation",
                &letter,
                |f| f.natures = vec!["mark_use".into()],
                "Déontologie, Prestations réalisées",
                "Usage de la marque",
            ),
            (
                "facts",
                "Faits reprochés",
                &letter,
                |f| f.facts = "Le métré remis était faux de 40 %.".into(),
                "Le métré remis était faux de 30 %.",
                "Le métré remis était faux de 40 %.",
            ),
            (
                "actions_taken",
                "Actions déjà menées",
                &letter,
                |f| f.actions_taken = "Aucune.".into(),
                "Courrier au cabinet le 2 octobre, sans réponse.",
                "Aucune.",
            ),
            (
                "addressed_to",
                "Adressée à",
                &letter,
                |f| f.addressed_to = "president".into(),
                "Déléguée Générale",
                "Président",
            ),
            (
                "registered_number",
                "N° de recommandé",
                &registered,
                |f| f.registered_number = "1A 987 654 3210 9".into(),
                "1A12345678901",
                "1A98765432109",
            ),
            (
                "email_subject",
                "Objet du courriel",
                &email,
                |f| f.email_subject = "Réclamation contre le cabinet Dupont".into(),
                "Réclamation contre le cabinet Durand",
                "Réclamation contre le cabinet Dupont",
            ),
        ];
        let today = day(2026, 12, 1);
        for (field, label, intake, edit, old, new) in cases {
            let mut conn = open_in_memory()?;
            let id = complaints::register(&mut conn, intake, day(2026, 11, 30), "S")?.id;
            let mut f =
                CorrectionForm { cause: "error".into(), comment: String::new(), complaint: current(&conn, id, today)? };
            edit(&mut f.complaint);
            let r = correct(&mut conn, id, &f, "Claire", today, true)?;
            assert_eq!(r.changes, [FieldChange { field, label, old: old.into(), new: new.into() }], "{field}");
            let c = complaints::get(&conn, id, today)?;
            assert_eq!(c.corrected, [Corrected { field: field.into(), corrected_on: "2026-12-01".into() }], "{field}");
            let entry = c.journal.iter().find(|e| e.kind == "correction").ok_or(Error::refused("no entry"))?;
            assert_eq!(entry.summary, format!("Correction (erreur de saisie) : {}", label.to_lowercase()), "{field}");
            assert!(entry.details.contains(&format!("{label} : « {old} » → « {new} »")), "{field}: {}", entry.details);
            let row: (String, String, String, String) = conn.query_row(
                "SELECT field, old_value, new_value, cause FROM complaint_corrections WHERE complaint_id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
            assert_eq!(row, (field.into(), old.into(), new.into(), "error".into()), "{field}");
            assert!(journal::verify(&conn, id)?.intact, "{field}");
        }
        Ok(())
    }
}
