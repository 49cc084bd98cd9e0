//! Complaints: registering one (with its reference, complainant and journal entry, in one
//! transaction), the list, and one complaint's page.

use crate::error::{Error, Result};
use crate::model::{Address, Addressee, Channel, Checklist, Civility, Complainant, Firm, JournalEntry, Nature, Step};
use crate::procedure::{Decision, Manager};
use crate::store::firms::{scope_on, split_lines, Scope};
use crate::store::workflow::{self, WorkflowView};
use crate::store::{bool_int, clocks, code_or_empty, corrupt_row, firms, journal, now_timestamp};
use crate::validate::{validate_complaint, ComplaintForm, FirmChoice, ValidComplaint};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// What the secretariat learns after saving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Registered {
    pub id: i64,
    pub reference: String,
    pub complete: bool,
    pub warnings: Vec<String>,
}

/// Everything about one complaint, for its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintDetail {
    pub id: i64,
    pub reference: String,
    /// Its reference in the register kept before the application, when it was taken from it.
    pub legacy_reference: Option<String>,
    pub received_on: String,
    pub channel: Channel,
    pub channel_label: &'static str,
    /// Stored without spaces (« 1A12345678901 »): found however it is typed.
    pub registered_number: String,
    /// As printed on La Poste's slip (« 1A 123 456 7890 1 »), for the page.
    pub registered_number_shown: String,
    pub email_subject: String,
    pub addressed_to: Addressee,
    pub addressed_to_label: &'static str,
    pub complainant: Complainant,
    pub complainant_role_label: &'static str,
    /// Answered by email (« Répondre par courriel »): no postal address was required.
    pub reply_by_email: bool,
    pub firm: Firm,
    /// The firm's status on the date of receipt (within the procedure or not).
    pub scope: Scope,
    pub facts: String,
    pub actions_taken: String,
    pub natures: Vec<Nature>,
    pub nature_labels: Vec<&'static str>,
    pub checklist: Checklist,
    pub missing_elements: Vec<&'static str>,
    pub step: Step,
    pub step_label: &'static str,
    pub created_at: String,
    pub decision_label: &'static str,
    pub decision_reasons: String,
    pub investigator: String,
    pub closed_on: Option<String>,
    pub workflow: WorkflowView,
    pub journal: Vec<JournalEntry>,
    /// The fields corrected since intake, each with the day of its last correction.
    pub corrected: Vec<Corrected>,
}

/// When each field was last corrected, for « corrigé le … » on the complaint page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Corrected {
    pub field: String,
    pub corrected_on: String,
}

/// The fields corrected since intake (`store::corrections`), each with its last day.
pub fn corrected_fields(conn: &Connection, id: i64) -> Result<Vec<Corrected>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, max(corrected_on) FROM complaint_corrections WHERE complaint_id = ?1 GROUP BY field ORDER BY field",
    )?;
    let rows = stmt
        .query_map(params![id], |r| Ok(Corrected { field: r.get(0)?, corrected_on: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// `REC-<year>-<sequence>`: four digits, more only past 9 999 complaints in a year.
pub fn format_reference(year: i32, seq: i64) -> String {
    format!("REC-{year}-{seq:04}")
}

/// Takes the next sequence number of the year. Numbers are never handed out twice, even if
/// the complaint that had one is later purged.
pub(crate) fn next_reference(conn: &Connection, year: i32) -> Result<String> {
    let seq: i64 = conn.query_row(
        "INSERT INTO reference_sequences (year, last_seq) VALUES (?1, 1)
         ON CONFLICT (year) DO UPDATE SET last_seq = last_seq + 1
         RETURNING last_seq",
        params![year],
        |r| r.get(0),
    )?;
    Ok(format_reference(year, seq))
}

/// Validates and records a written complaint in step « Enregistrée ». Nothing is written
/// unless everything is.
pub fn register(conn: &mut Connection, form: &ComplaintForm, today: NaiveDate, author: &str) -> Result<Registered> {
    let tx = conn.transaction()?;
    let registered = register_in(&tx, form, today, author)?;
    tx.commit()?;
    Ok(registered)
}

/// [`register`] inside the caller's transaction (a complaint read from an email archives the
/// email in the same one).
pub(crate) fn register_in(tx: &Connection, form: &ComplaintForm, today: NaiveDate, author: &str) -> Result<Registered> {
    let mut v = validate_complaint(form, today)?;
    let (id, reference) = insert_valid(tx, &v, today, author, true)?;
    // Out of the procedure's scope on the date of receipt: recorded all the same (the register
    // keeps what was received), with the warning that it may be declared inadmissible.
    let firm_id: i64 = tx.query_row("SELECT firm_id FROM complaints WHERE id = ?1", params![id], |r| r.get(0))?;
    if let Some(warning) = scope_on(tx, firm_id, v.received_on)?.warning {
        v.warnings.push(warning);
    }
    Ok(Registered { id, reference, complete: v.checklist.is_complete(), warnings: v.warnings })
}

/// The folder of a complaint's files under `documents/`: the firm's file, then the reference.
pub(crate) fn folder(conn: &Connection, complaint_id: i64) -> Result<(i64, std::path::PathBuf)> {
    let (firm_id, firm_name, reference): (i64, String, String) = conn
        .query_row(
            "SELECT c.firm_id, f.name, c.reference FROM complaints c JOIN firms f ON f.id = c.firm_id WHERE c.id = ?1",
            params![complaint_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?
        .ok_or(Error::NotFound { what: "La réclamation", id: complaint_id })?;
    Ok((firm_id, std::path::Path::new(&crate::store::documents::firm_folder(firm_id, &firm_name)).join(reference)))
}

/// Writes a validated complaint, its complainant, reference, overall clock and first journal
/// entry; the caller holds the transaction. `index`: update the search row now (bulk loads
/// rebuild the index at the end instead).
pub(crate) fn insert_valid(
    tx: &Connection,
    v: &ValidComplaint,
    today: NaiveDate,
    author: &str,
    index: bool,
) -> Result<(i64, String)> {
    let firm_id = match &v.firm {
        FirmChoice::Existing(id) => {
            let exists: Option<i64> =
                tx.query_row("SELECT id FROM firms WHERE id = ?1", params![id], |r| r.get(0)).optional()?;
            exists.ok_or_else(|| {
                Error::field("firm_id", "Ce qualifié n'existe plus dans le registre : choisissez-en un autre.")
            })?
        }
        FirmChoice::New(firm) => firms::insert(tx, firm, "firm")?,
    };
    let c = &v.complainant;
    tx.execute(
        "INSERT INTO complainants (role, civility, name, organisation, address_lines, postcode, city, email, phone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
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
    let complainant_id = tx.last_insert_rowid();
    let reference = next_reference(tx, v.received_on.year())?;
    let list = v.checklist;
    tx.execute(
        "INSERT INTO complaints (reference, received_on, channel, registered_number, email_subject, addressed_to,
                                 complainant_id, firm_id, facts, actions_taken,
                                 nature_services, nature_ethics, nature_mark_use,
                                 has_complainant_details, has_firm_details, has_facts, has_actions_taken,
                                 step, created_at, reply_by_email)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        params![
            reference,
            v.received_on.to_string(),
            v.channel,
            v.registered_number,
            v.email_subject,
            v.addressed_to,
            complainant_id,
            firm_id,
            v.facts,
            v.actions_taken,
            bool_int(v.natures.contains(&Nature::Services)),
            bool_int(v.natures.contains(&Nature::Ethics)),
            bool_int(v.natures.contains(&Nature::MarkUse)),
            bool_int(list.complainant_details),
            bool_int(list.firm_details),
            bool_int(list.facts),
            bool_int(list.actions_taken),
            Step::Registered,
            now_timestamp(),
            bool_int(v.reply_by_email),
        ],
    )?;
    let id = tx.last_insert_rowid();
    clocks::start_overall(tx, id, v.received_on)?;
    let completeness = if list.is_complete() {
        "complète (les quatre éléments obligatoires sont présents)".to_owned()
    } else {
        format!("incomplète — manque : {}", list.missing().join(" ; "))
    };
    let summary = format!("Réclamation {reference} enregistrée ({}), {completeness}", v.channel.label().to_lowercase());
    let entry_fn = if index { journal::append } else { journal::append_unindexed };
    entry_fn(
        tx,
        id,
        &journal::NewEntry {
            step_to: Some(Step::Registered),
            ..journal::NewEntry::simple(journal::JournalKind::StepChange, today, author, &summary)
        },
    )?;
    Ok((id, reference))
}

/// The four required elements as last confirmed.
pub fn checklist(conn: &Connection, id: i64) -> Result<Checklist> {
    conn.query_row(
        "SELECT has_complainant_details, has_firm_details, has_facts, has_actions_taken FROM complaints WHERE id = ?1",
        params![id],
        |r| {
            Ok(Checklist {
                complainant_details: r.get(0)?,
                firm_details: r.get(1)?,
                facts: r.get(2)?,
                actions_taken: r.get(3)?,
            })
        },
    )
    .optional()?
    .ok_or(Error::NotFound { what: "La réclamation", id })
}

/// Everything about one complaint, with its workflow as of `today`.
pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<ComplaintDetail> {
    let mut c = get_for_letter(conn, id)?;
    let proposed =
        if c.scope.proposed_manager == "certification" { Manager::Certification } else { Manager::Qualification };
    c.workflow = workflow::view_for_page(conn, id, today, proposed)?;
    c.journal = journal::list(conn, id)?;
    c.corrected = corrected_fields(conn, id)?;
    Ok(c)
}

/// [`get`] without what only the complaint page shows: the workflow, the journal and the
/// corrected fields are left empty. A letter quotes none of them, and reading them was most of
/// the time composing a letter took.
pub(crate) fn get_for_letter(conn: &Connection, id: i64) -> Result<ComplaintDetail> {
    let row = conn
        .query_row(
            "SELECT c.reference, c.received_on, c.channel, c.registered_number, c.email_subject, c.addressed_to,
                    c.firm_id, c.facts, c.actions_taken, c.nature_services, c.nature_ethics, c.nature_mark_use,
                    c.has_complainant_details, c.has_firm_details, c.has_facts, c.has_actions_taken, c.step,
                    c.created_at, c.decision, c.decision_reasons, c.investigator, c.closed_on, c.reply_by_email,
                    p.role, p.civility, p.name, p.organisation, p.address_lines, p.postcode, p.city, p.email, p.phone,
                    c.legacy_reference
             FROM complaints c JOIN complainants p ON p.id = c.complainant_id
             WHERE c.id = ?1",
            params![id],
            |r| {
                let natures: Vec<Nature> = [(9, Nature::Services), (10, Nature::Ethics), (11, Nature::MarkUse)]
                    .into_iter()
                    .filter_map(|(i, n)| match r.get::<_, bool>(i) {
                        Ok(true) => Some(Ok(n)),
                        Ok(false) => None,
                        Err(e) => Some(Err(e)),
                    })
                    .collect::<rusqlite::Result<_>>()?;
                let lines: String = r.get(27)?;
                let complainant = Complainant {
                    role: r.get(23)?,
                    civility: code_or_empty(r, 24)?,
                    name: r.get(25)?,
                    organisation: r.get(26)?,
                    address: Address { lines: split_lines(&lines), postcode: r.get(28)?, city: r.get(29)? },
                    email: r.get(30)?,
                    phone: r.get(31)?,
                };
                let channel: Channel = r.get(2)?;
                let addressed_to: Addressee = r.get(5)?;
                let checklist = Checklist {
                    complainant_details: r.get(12)?,
                    firm_details: r.get(13)?,
                    facts: r.get(14)?,
                    actions_taken: r.get(15)?,
                };
                let step: Step = r.get(16)?;
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    channel,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    addressed_to,
                    r.get::<_, i64>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                    natures,
                    checklist,
                    step,
                    r.get::<_, String>(17)?,
                    complainant,
                    (
                        code_or_empty::<Decision>(r, 18)?,
                        r.get::<_, String>(19)?,
                        r.get::<_, String>(20)?,
                        r.get::<_, Option<String>>(21)?,
                    ),
                    r.get::<_, bool>(22)?,
                    r.get::<_, Option<String>>(32)?,
                ))
            },
        )
        .optional()
        .map_err(corrupt_row("complaints", id))?
        .ok_or(Error::NotFound { what: "La réclamation", id })?;
    let (
        reference,
        received_on,
        channel,
        registered_number,
        email_subject,
        addressed_to,
        firm_id,
        facts,
        actions_taken,
        natures,
        checklist,
        step,
        created_at,
        complainant,
        (decision, decision_reasons, investigator, closed_on),
        reply_by_email,
        legacy_reference,
    ) = row;
    let firm = firms::get(conn, firm_id)?;
    let scope = match NaiveDate::parse_from_str(&received_on, "%Y-%m-%d") {
        Ok(day) => firms::scope_of_firm(conn, &firm, day)?,
        Err(_) => return Err(Error::CorruptRow { table: "complaints", id, value: received_on }),
    };
    Ok(ComplaintDetail {
        id,
        reference,
        legacy_reference,
        received_on,
        channel,
        channel_label: channel.label(),
        registered_number_shown: crate::validate::spaced_registered(&registered_number),
        registered_number,
        email_subject,
        addressed_to,
        addressed_to_label: addressed_to.label(),
        complainant_role_label: complainant.role.label(),
        complainant,
        reply_by_email,
        firm,
        scope,
        facts,
        actions_taken,
        nature_labels: natures.iter().map(|n| n.label()).collect(),
        natures,
        missing_elements: checklist.missing(),
        checklist,
        step,
        step_label: step.label(),
        created_at,
        decision_label: decision.map_or("", Decision::label),
        decision_reasons,
        investigator,
        closed_on,
        workflow: WorkflowView::default(),
        journal: Vec::new(),
        corrected: Vec::new(),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::validate::FirmForm;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
    }

    /// Tests across the store build on it.
    pub use crate::fixtures::sample_complaint;

    #[test]
    fn registering_stores_every_field_and_a_chained_journal_entry() -> Result<()> {
        let mut conn = open_in_memory()?;
        let r = register(&mut conn, &sample_complaint(), today(), "Secrétariat")?;
        assert_eq!(r.reference, "REC-2026-0001");
        assert!(r.complete);
        let d = get(&conn, r.id, today())?;
        assert_eq!(d.received_on, "2026-11-27");
        assert_eq!(d.complainant.name, "Claire Lefèvre");
        assert_eq!(d.complainant.civility, Some(Civility::Madame));
        assert_eq!(d.complainant.address.lines, vec!["12 rue des Lilas"]);
        assert_eq!(d.firm.name, "Économie Bâtiment Conseil");
        assert_eq!(d.firm.siret.as_deref(), Some("73282932000074"));
        assert_eq!(d.natures, vec![Nature::Services, Nature::Ethics]);
        assert_eq!(d.step, Step::Registered);
        assert_eq!(d.journal.len(), 1);
        assert!(d.journal[0].summary.contains("REC-2026-0001"));
        assert_eq!(journal::first_broken(&conn, r.id)?, None);
        Ok(())
    }

    #[test]
    fn the_detail_shows_the_firms_scope_on_the_date_of_receipt() -> Result<()> {
        let mut conn = open_in_memory()?;
        let r = register(&mut conn, &sample_complaint(), today(), "S")?;
        let d = get(&conn, r.id, today())?;
        // The sample firm is flagged « Qualifié » and holds no dated qualification.
        assert!(d.scope.in_scope && d.scope.flags_only, "{:?}", d.scope);
        assert_eq!(d.scope.on, "2026-11-27");
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        // Its only qualification expired before the complaint was received: out of scope,
        // registered all the same, with the warning.
        let q = firms::Qualification {
            reference: "2.1".into(),
            label: "Économie de la construction".into(),
            valid_from: "01/01/2022".into(),
            valid_until: "31/10/2026".into(),
            ..firms::Qualification::default()
        };
        firms::add_qualification(&conn, d.firm.id, &q, "Test")?;
        let mut form = sample_complaint();
        form.new_firm = None;
        form.firm_id = Some(d.firm.id);
        let late = register(&mut conn, &form, today(), "S")?;
        assert!(late.warnings.iter().any(|w| w.contains("hors du champ de la procédure")), "{:?}", late.warnings);
        let late = get(&conn, late.id, today())?;
        assert!(!late.scope.in_scope, "{:?}", late.scope);
        assert_eq!(late.scope.not_valid.len(), 1);
        assert!(
            late.scope.summary.contains("2.1 Économie de la construction expirée le 31/10/2026"),
            "{}",
            late.scope.summary
        );
        // Received while the qualification was valid: in scope.
        form.received_on = "30/10/2026".into();
        let id = register(&mut conn, &form, today(), "S")?.id;
        let early = get(&conn, id, today())?;
        assert!(early.scope.in_scope && early.scope.valid.len() == 1, "{:?}", early.scope);
        Ok(())
    }

    #[test]
    fn reply_by_email_is_stored_and_shown() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut form = sample_complaint();
        form.channel = "email".into();
        form.email_subject = "Réclamation".into();
        form.complainant.address_lines.clear();
        form.complainant.postcode.clear();
        form.complainant.city.clear();
        // Without the box ticked, the missing address is refused and nothing is written.
        let refused = register(&mut conn, &form, today(), "S");
        assert!(
            matches!(&refused, Err(Error::Validation { fields }) if fields.contains_key("complainant.address_lines")),
            "{refused:?}"
        );
        form.reply_by_email = true;
        let id = register(&mut conn, &form, today(), "S")?.id;
        let d = get(&conn, id, today())?;
        assert!(d.reply_by_email);
        assert!(d.complainant.address.lines.is_empty());
        assert_eq!(d.complainant.email, "claire.lefevre@example.fr");
        let mut letter = sample_complaint();
        letter.new_firm = None;
        letter.firm_id = Some(d.firm.id);
        let id = register(&mut conn, &letter, today(), "S")?.id;
        assert!(!get(&conn, id, today())?.reply_by_email);
        Ok(())
    }

    #[test]
    fn references_follow_the_year_of_receipt_and_are_never_reused() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut form = sample_complaint();
        let first = register(&mut conn, &form, today(), "S")?;
        let firm_id = first.id; // the firm created with the first complaint has id 1 as well
        form.new_firm = None;
        form.firm_id = Some(firm_id);
        assert_eq!(register(&mut conn, &form, today(), "S")?.reference, "REC-2026-0002");
        form.received_on = "31/12/2025".into();
        assert_eq!(register(&mut conn, &form, today(), "S")?.reference, "REC-2025-0001");
        // Even with the complaint rows gone (as after a purge), a number is not given again.
        conn.execute_batch("DELETE FROM journal; DELETE FROM deadlines; DELETE FROM complaints;")?;
        form.received_on = "01/11/2026".into();
        assert_eq!(register(&mut conn, &form, today(), "S")?.reference, "REC-2026-0003");
        Ok(())
    }

    #[test]
    fn a_refused_complaint_writes_nothing() -> Result<()> {
        let mut conn = open_in_memory()?;
        register(&mut conn, &sample_complaint(), today(), "S")?;
        // Same SIRET again as a new firm: refused after validation, inside the transaction.
        let err = register(&mut conn, &sample_complaint(), today(), "S");
        assert!(matches!(&err, Err(Error::Validation { fields }) if fields.contains_key("firm.siret")));
        let counts: (i64, i64, i64, i64) = conn.query_row(
            "SELECT (SELECT count(*) FROM complaints), (SELECT count(*) FROM complainants),
                    (SELECT count(*) FROM firms), (SELECT last_seq FROM reference_sequences)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        assert_eq!(counts, (1, 1, 1, 1));
        Ok(())
    }

    #[test]
    fn the_list_is_newest_first() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut form = sample_complaint();
        form.received_on = "01/10/2026".into();
        register(&mut conn, &form, today(), "S")?;
        form.new_firm = Some(FirmForm { name: "Cabinet Martin".into(), is_qualified: true, ..Default::default() });
        form.received_on = "15/11/2026".into();
        register(&mut conn, &form, today(), "S")?;
        let rows = crate::store::search::list(
            &conn,
            &crate::store::search::ListQuery { limit: 50, ..Default::default() },
            today(),
        )?
        .rows;
        assert_eq!(rows.iter().map(|r| r.reference.as_str()).collect::<Vec<_>>(), ["REC-2026-0002", "REC-2026-0001"]);
        assert_eq!(rows[0].firm_name, "Cabinet Martin");
        assert_eq!(rows[0].step_label, "Enregistrée");
        Ok(())
    }

    #[test]
    fn an_incomplete_complaint_records_what_is_missing() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut form = sample_complaint();
        form.actions_taken.clear();
        form.checklist.actions_taken = false;
        let r = register(&mut conn, &form, today(), "S")?;
        assert!(!r.complete);
        let d = get(&conn, r.id, today())?;
        assert_eq!(d.missing_elements, vec!["la mention des actions déjà menées auprès du qualifié ou certifié"]);
        assert!(d.journal[0].summary.contains("incomplète"));
        Ok(())
    }

    #[test]
    fn editing_a_journal_row_in_sqlite_is_detected() -> Result<()> {
        let mut conn = open_in_memory()?;
        let r = register(&mut conn, &sample_complaint(), today(), "S")?;
        conn.execute_batch("DROP TRIGGER journal_no_update; UPDATE journal SET summary = 'falsifié' WHERE seq = 1;")?;
        assert_eq!(journal::first_broken(&conn, r.id)?, Some(1));
        Ok(())
    }

    #[test]
    fn the_app_cannot_update_the_journal() -> Result<()> {
        let mut conn = open_in_memory()?;
        register(&mut conn, &sample_complaint(), today(), "S")?;
        assert!(conn.execute("UPDATE journal SET summary = 'x'", []).is_err());
        Ok(())
    }

    #[test]
    fn a_stored_code_that_does_not_parse_names_its_row() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = register(&mut conn, &sample_complaint(), today(), "S")?.id;
        // What a damaged file or a newer version could hold, past the CHECK constraints.
        conn.execute_batch("PRAGMA ignore_check_constraints = ON")?;
        conn.execute("UPDATE complaints SET channel = 'pigeon' WHERE id = ?1", params![id])?;
        match get(&conn, id, today()) {
            Err(Error::CorruptRow { table: "complaints", id: row, value }) => {
                assert_eq!((row, value.as_str()), (id, "pigeon"))
            }
            other => panic!("{other:?}"),
        }
        conn.execute("UPDATE complaints SET channel = 'letter', step = 'archivee' WHERE id = ?1", params![id])?;
        let page = crate::store::search::list(
            &conn,
            &crate::store::search::ListQuery { limit: 50, ..Default::default() },
            today(),
        );
        assert!(matches!(page, Err(Error::CorruptRow { value, .. }) if value == "archivee"));
        let refused = crate::store::workflow::view(&conn, id, today());
        assert!(matches!(&refused, Err(e @ Error::CorruptRow { .. }) if e.user_message().contains("archivee")));
        Ok(())
    }

    #[test]
    fn unknown_complaint_is_not_found() -> Result<()> {
        let conn = open_in_memory()?;
        assert!(matches!(get(&conn, 42, today()), Err(Error::NotFound { id: 42, .. })));
        Ok(())
    }
}
