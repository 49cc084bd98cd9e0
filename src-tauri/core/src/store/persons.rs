//! People in the register, for a right-of-access request (GDPR art. 15): finding a complainant,
//! a firm (its name and contact details) or an intervenant by name or email, and reading what
//! the register holds about one of them. SQL only; the export on disk is
//! [`crate::files::access`].
//!
//! A complainant is recorded anew with each complaint (`complainants` has one row per
//! complaint): the rows with the same name and the same email, accents and case ignored, are one
//! person. Two rows that differ by their email are two people, even with the same name: an
//! export never holds a namesake's complaint.

use crate::error::{Error, Result};
use crate::french::fold;
use crate::model::{Civility, ComplainantRole, Step};
use crate::procedure::{CommitteeOutcome, Decision};
use crate::store::intervenants::{self, civil_name};
use crate::store::journal::{self, JournalKind};
use crate::store::{code_or_empty, corrupt_row, declarations, documents, firms};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::BTreeSet;

coded_enum!(
    /// Who a person is in the register.
    PersonKind {
        Complainant => "complainant", "Plaignant";
        Firm => "firm", "Qualifié ou certifié";
        Intervenant => "intervenant", "Intervenant";
    }
);

/// One person found by [`find`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonMatch {
    pub kind: PersonKind,
    pub kind_label: &'static str,
    /// For a complainant, the first of the complainant rows that are this person.
    pub id: i64,
    pub name: String,
    pub email: String,
    /// A town, a role, a number: what tells two namesakes apart in the list.
    pub detail: String,
    /// The complaints that name this person.
    pub complaints: i64,
}

/// The most people [`find`] returns.
pub const FIND_LIMIT: usize = 50;

/// The people whose name or email holds every word of `text`, accents and case ignored:
/// complainants, then firms, then intervenants, each by name.
pub fn find(conn: &Connection, text: &str) -> Result<Vec<PersonMatch>> {
    let words: Vec<String> = fold(text).split_whitespace().map(str::to_owned).collect();
    if words.iter().map(|w| w.chars().count()).sum::<usize>() < 2 {
        return Err(Error::field("text", "Saisissez au moins deux lettres du nom ou de l'adresse électronique."));
    }
    // SQL narrows on the longest word; every word is then checked here.
    let longest = words.iter().max_by_key(|w| w.len()).cloned().unwrap_or_default();
    let holds_all = |name: &str, email: &str| {
        let hay = fold(&format!("{name} {email}"));
        words.iter().all(|w| hay.contains(w.as_str()))
    };
    let mut out = Vec::new();

    let mut stmt = conn.prepare_cached(
        "SELECT min(p.id), p.name, p.email, p.city, count(*)
         FROM complainants p JOIN complaints c ON c.complainant_id = p.id
         WHERE instr(fold(p.name || ' ' || p.email), ?1) > 0
         GROUP BY fold(p.name), fold(p.email)
         ORDER BY fold(p.name), min(p.id)",
    )?;
    let rows = stmt.query_map(params![longest], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get(4)?))
    })?;
    for row in rows {
        let (id, name, email, city, complaints) = row?;
        if holds_all(&name, &email) {
            out.push(PersonMatch {
                kind: PersonKind::Complainant,
                kind_label: PersonKind::Complainant.label(),
                id,
                name,
                email,
                detail: city,
                complaints,
            });
        }
    }

    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.name, f.email, coalesce(f.number, ''), f.city,
                (SELECT count(*) FROM complaints c WHERE c.firm_id = f.id)
         FROM firms f
         WHERE instr(fold(f.name || ' ' || f.email), ?1) > 0
         ORDER BY fold(f.name), f.id",
    )?;
    let rows = stmt.query_map(params![longest], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get(5)?,
        ))
    })?;
    for row in rows {
        let (id, name, email, number, city, complaints) = row?;
        if holds_all(&name, &email) {
            let detail = [number, city].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(", ");
            out.push(PersonMatch {
                kind: PersonKind::Firm,
                kind_label: PersonKind::Firm.label(),
                id,
                name,
                email,
                detail,
                complaints,
            });
        }
    }

    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.kind, i.name, i.email FROM intervenants i
         WHERE instr(fold(i.name || ' ' || i.email), ?1) > 0
         ORDER BY fold(i.name), i.id",
    )?;
    let rows = crate::store::read_rows(&mut stmt, params![longest], "intervenants", |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, intervenants::IntervenantKind>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for (id, kind, name, email) in rows {
        if holds_all(&name, &email) {
            let complaints = intervenant_complaints(conn, id, &name)?.len() as i64;
            out.push(PersonMatch {
                kind: PersonKind::Intervenant,
                kind_label: PersonKind::Intervenant.label(),
                id,
                name,
                email,
                detail: kind.label().to_owned(),
                complaints,
            });
        }
    }
    out.truncate(FIND_LIMIT);
    Ok(out)
}

/// One field of a person's identity or contact details, as held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
}

/// A record of a person's identity: for a complainant, the details given with one complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentityRecord {
    /// Where the record comes from (« Enregistrées avec la réclamation REC-2026-0001 »).
    pub source: String,
    pub fields: Vec<Field>,
}

/// A journal entry that names the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldEntry {
    pub occurred_on: String,
    pub kind_label: String,
    pub summary: String,
    pub details: String,
    pub participants: String,
}

/// A correction of what a complaint recorded (« Corriger »): a previous value and the one that
/// replaced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldCorrection {
    /// ISO.
    pub corrected_on: String,
    pub label: String,
    pub old: String,
    pub new: String,
    /// « erreur de saisie » or « changement ».
    pub cause_label: &'static str,
    pub author: String,
}

/// A complaint that names the person, with what of it concerns them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldComplaint {
    pub id: i64,
    pub reference: String,
    pub received_on: String,
    /// The person's role in it (« Plaignant (client du qualifié) », « Instructeur »…).
    pub role: String,
    pub step_label: &'static str,
    /// Empty when no decision has been taken.
    pub decision_label: String,
    pub closed_on: Option<String>,
    pub journal: Vec<HeldEntry>,
    pub documents: Vec<documents::DocumentView>,
    /// The corrections of what the complaint recorded that concern the person, with the
    /// previous values: for a complainant, every correction of her complaint; for a firm, the
    /// complaint moved to it from another firm.
    pub corrections: Vec<HeldCorrection>,
}

/// What the register holds about one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holdings {
    pub kind: PersonKind,
    pub kind_label: &'static str,
    pub name: String,
    pub identity: Vec<IdentityRecord>,
    pub complaints: Vec<HeldComplaint>,
    /// An intervenant's declarations of interests, with the complaint's reference.
    pub declarations: Vec<(String, declarations::DeclarationView)>,
}

fn field(label: &'static str, value: impl Into<String>) -> Field {
    Field { label, value: value.into() }
}

fn yes_no(b: bool) -> String {
    if b { "oui" } else { "non" }.to_owned()
}

/// The words a journal entry names a person by: the full name, the surname alone (its last
/// word, from three letters) and the email, folded. Empty ones are dropped.
fn needles(name: &str, email: &str, surname_alone: bool) -> Vec<String> {
    let mut out = vec![fold(name.trim()), fold(email.trim())];
    if surname_alone {
        if let Some(last) = fold(name).split_whitespace().last().filter(|w| w.chars().count() >= 3) {
            out.push(last.to_owned());
        }
    }
    out.retain(|n| !n.is_empty());
    out.sort();
    out.dedup();
    out
}

/// The entries of a complaint's journal whose summary, details or participants name the person.
fn entries_naming(conn: &Connection, complaint_id: i64, needles: &[String]) -> Result<Vec<HeldEntry>> {
    Ok(journal::rows(conn, complaint_id)?
        .into_iter()
        .filter(|r| {
            let hay = fold(&format!("{} {} {}", r.summary, r.details, r.participants));
            needles.iter().any(|n| contains_word(&hay, n))
        })
        .map(|r| HeldEntry {
            kind_label: JournalKind::from_code(&r.kind).map_or_else(|| r.kind.clone(), |k| k.label().to_owned()),
            occurred_on: r.occurred_on,
            summary: r.summary,
            details: r.details,
            participants: r.participants,
        })
        .collect())
}

/// Whether `needle` occurs in `hay` as whole words (« roux » not in « rouxel »).
fn contains_word(hay: &str, needle: &str) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    hay.match_indices(needle).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        !is_word(before) && !is_word(after)
    })
}

/// What a complaint row says of its step and decision.
struct ComplaintRow {
    id: i64,
    reference: String,
    received_on: String,
    step: Step,
    decision: Option<Decision>,
    committee: Option<CommitteeOutcome>,
    closed_on: Option<String>,
}

fn complaint_row(conn: &Connection, id: i64) -> Result<ComplaintRow> {
    conn.query_row(
        "SELECT id, reference, received_on, step, decision, committee_outcome, closed_on FROM complaints WHERE id = ?1",
        params![id],
        |r| {
            Ok(ComplaintRow {
                id: r.get(0)?,
                reference: r.get(1)?,
                received_on: r.get(2)?,
                step: r.get(3)?,
                decision: code_or_empty(r, 4)?,
                committee: code_or_empty(r, 5)?,
                closed_on: r.get(6)?,
            })
        },
    )
    .map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => Error::NotFound { what: "La réclamation", id },
        other => corrupt_row("complaints", id)(other),
    })
}

/// The corrections of complaint `complaint_id`, oldest first; with `field`, of that field only.
fn corrections(conn: &Connection, complaint_id: i64, field: Option<&str>) -> Result<Vec<HeldCorrection>> {
    let mut stmt = conn.prepare_cached(
        "SELECT corrected_on, label, old_value, new_value, cause, author FROM complaint_corrections
         WHERE complaint_id = ?1 AND (?2 IS NULL OR field = ?2) ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![complaint_id, field], |r| {
            let cause: String = r.get(4)?;
            Ok(HeldCorrection {
                corrected_on: r.get(0)?,
                label: r.get(1)?,
                old: r.get(2)?,
                new: r.get(3)?,
                cause_label: if cause == "change" { "changement" } else { "erreur de saisie" },
                author: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn held(
    conn: &Connection,
    c: ComplaintRow,
    role: String,
    needles: &[String],
    docs: Vec<documents::DocumentView>,
    corrected: Vec<HeldCorrection>,
) -> Result<HeldComplaint> {
    let decision_label = match (c.decision, c.committee) {
        (Some(d), Some(o)) => format!("{} ; commission de recours : {}", d.label(), o.label()),
        (Some(d), None) => d.label().to_owned(),
        (None, Some(o)) => format!("commission de recours : {}", o.label()),
        (None, None) => String::new(),
    };
    Ok(HeldComplaint {
        journal: entries_naming(conn, c.id, needles)?,
        id: c.id,
        reference: c.reference,
        received_on: c.received_on,
        role,
        step_label: c.step.label(),
        decision_label,
        closed_on: c.closed_on,
        documents: docs,
        corrections: corrected,
    })
}

/// What the register holds about person `id` of `kind` (as [`find`] returned it).
pub fn holdings(conn: &Connection, kind: PersonKind, id: i64) -> Result<Holdings> {
    match kind {
        PersonKind::Complainant => complainant(conn, id),
        PersonKind::Firm => firm(conn, id),
        PersonKind::Intervenant => intervenant(conn, id),
    }
}

fn complainant(conn: &Connection, id: i64) -> Result<Holdings> {
    let (name, email): (String, String) = conn
        .query_row("SELECT name, email FROM complainants WHERE id = ?1", params![id], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Error::NotFound { what: "Le plaignant", id },
            other => other.into(),
        })?;
    // Every row that is this person: the same name and the same email, folded.
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.role, p.civility, p.name, p.organisation, p.address_lines, p.postcode, p.city, p.email,
                p.phone, c.id, c.reference, c.reply_by_email
         FROM complainants p JOIN complaints c ON c.complainant_id = p.id
         WHERE fold(p.name) = fold(?1) AND fold(p.email) = fold(?2)
         ORDER BY c.received_on, c.id",
    )?;
    let rows = crate::store::read_rows(&mut stmt, params![name, email], "complainants", |r| {
        let role: ComplainantRole = r.get(1)?;
        let civility: Option<Civility> = code_or_empty(r, 2)?;
        let lines: String = r.get(5)?;
        let fields = vec![
            field("Civilité", civility.map_or("", Civility::label)),
            field("Nom", r.get::<_, String>(3)?),
            field("Organisme", r.get::<_, String>(4)?),
            field("Qualité", role.label()),
            field("Adresse", firms::split_lines(&lines).join(", ")),
            field("Code postal", r.get::<_, String>(6)?),
            field("Ville", r.get::<_, String>(7)?),
            field("Courriel", r.get::<_, String>(8)?),
            field("Téléphone", r.get::<_, String>(9)?),
            field("Réponse par courriel", yes_no(r.get(12)?)),
        ];
        Ok((role, fields, r.get::<_, i64>(10)?, r.get::<_, String>(11)?))
    })?;
    let needles = needles(&name, &email, true);
    let mut identity = Vec::new();
    let mut complaints = Vec::new();
    for (role, fields, complaint_id, reference) in rows {
        // The same details given again are listed once, with every complaint they came with.
        match identity.iter_mut().find(|r: &&mut IdentityRecord| r.fields == fields) {
            Some(record) => record.source.push_str(&format!(", {reference}")),
            None => identity
                .push(IdentityRecord { source: format!("Enregistrées avec la réclamation {reference}"), fields }),
        }
        let role = format!("Plaignant ({})", role.label().to_lowercase());
        let docs = documents::documents(conn, complaint_id)?;
        let corrected = corrections(conn, complaint_id, None)?;
        complaints.push(held(conn, complaint_row(conn, complaint_id)?, role, &needles, docs, corrected)?);
    }
    Ok(Holdings {
        kind: PersonKind::Complainant,
        kind_label: PersonKind::Complainant.label(),
        name,
        identity,
        complaints,
        declarations: Vec::new(),
    })
}

fn firm(conn: &Connection, id: i64) -> Result<Holdings> {
    let f = firms::get(conn, id)?;
    let fields = vec![
        field("N° qualifié", f.number.clone()),
        field("Raison sociale", f.name.clone()),
        field("SIRET", f.siret.clone().unwrap_or_default()),
        field("Adresse", f.address.lines.join(", ")),
        field("Code postal", f.address.postcode.clone()),
        field("Ville", f.address.city.clone()),
        field("Courriel", f.email.clone()),
        field("Téléphone", f.phone.clone()),
        field("Qualifié", yes_no(f.is_qualified)),
        field("Certifié", yes_no(f.is_certified)),
        field("RGE", yes_no(f.is_rge)),
    ];
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM complaints WHERE firm_id = ?1 ORDER BY received_on, id")?
        .query_map(params![id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let needles = needles(&f.name, &f.email, false);
    let mut complaints = Vec::new();
    for complaint_id in ids {
        let docs = documents::documents(conn, complaint_id)?;
        complaints.push(held(
            conn,
            complaint_row(conn, complaint_id)?,
            "Qualifié mis en cause".into(),
            &needles,
            docs,
            corrections(conn, complaint_id, Some("firm_id"))?,
        )?);
    }
    Ok(Holdings {
        kind: PersonKind::Firm,
        kind_label: PersonKind::Firm.label(),
        name: f.name.clone(),
        identity: vec![IdentityRecord { source: "Registre des qualifiés et certifiés".into(), fields }],
        complaints,
        declarations: Vec::new(),
    })
}

/// The complaints that name intervenant `id`: as instructeur or expert of the file, by a
/// declaration of interests, a letter addressed to them, or the file's instructeur typed by name
/// (before schema 3).
fn intervenant_complaints(conn: &Connection, id: i64, name: &str) -> Result<BTreeSet<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM complaints WHERE investigator_id = ?1 OR expert_id = ?1
                OR (?2 <> '' AND fold(investigator) = fold(?2))
         UNION SELECT complaint_id FROM declarations WHERE intervenant_id = ?1
         UNION SELECT complaint_id FROM documents WHERE intervenant_id = ?1 AND complaint_id IS NOT NULL",
    )?;
    let ids = stmt.query_map(params![id, name.trim()], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

fn intervenant(conn: &Connection, id: i64) -> Result<Holdings> {
    let i = intervenants::get(conn, id)?;
    let created: String =
        conn.query_row("SELECT created_at FROM intervenants WHERE id = ?1", params![id], |r| r.get(0))?;
    let fields = vec![
        field("Fonction", i.kind_label),
        field("Civilité", i.civility.map_or("", Civility::label)),
        field("Nom", i.name.clone()),
        field("Adresse", i.address.lines.join(", ")),
        field("Code postal", i.address.postcode.clone()),
        field("Ville", i.address.city.clone()),
        field("Courriel", i.email.clone()),
        field("Téléphone", i.phone.clone()),
        field("Spécialité", i.speciality.clone()),
        field("Actif", yes_no(i.active)),
        field(
            "Inscrit le",
            crate::validate::parse_date(created.get(..10).unwrap_or(&created))
                .map_or_else(|| created.clone(), crate::french::format_fr),
        ),
    ];
    let needles = needles(&i.name, &i.email, true);
    let mut complaints = Vec::new();
    let mut declared = Vec::new();
    for complaint_id in intervenant_complaints(conn, id, &i.name)? {
        let c = complaint_row(conn, complaint_id)?;
        let (investigator, expert): (Option<i64>, Option<i64>) = conn.query_row(
            "SELECT investigator_id, expert_id FROM complaints WHERE id = ?1",
            params![complaint_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mine: Vec<_> =
            declarations::list(conn, complaint_id)?.into_iter().filter(|d| d.intervenant_id == Some(id)).collect();
        let mut roles = Vec::new();
        if investigator == Some(id) {
            roles.push("Instructeur");
        }
        if expert == Some(id) {
            roles.push("Expert");
        }
        if !mine.is_empty() {
            roles.push("Déclaration d'intérêts");
        }
        if roles.is_empty() {
            roles.push("Nommé dans le dossier");
        }
        // Only the documents that concern them: addressed to them, or their declarations.
        let their_docs: BTreeSet<i64> = conn
            .prepare_cached(
                "SELECT id FROM documents WHERE complaint_id = ?1 AND (intervenant_id = ?2
                     OR (recipient = 'investigator' AND ?3) OR (recipient = 'expert' AND ?4)
                     OR id IN (SELECT document_id FROM declarations WHERE complaint_id = ?1 AND intervenant_id = ?2))",
            )?
            .query_map(params![complaint_id, id, investigator == Some(id), expert == Some(id)], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let docs =
            documents::documents(conn, complaint_id)?.into_iter().filter(|d| their_docs.contains(&d.id)).collect();
        declared.extend(mine.into_iter().map(|d| (c.reference.clone(), d)));
        complaints.push(held(conn, c, roles.join(", "), &needles, docs, Vec::new())?);
    }
    complaints.sort_by(|a, b| (&a.received_on, a.id).cmp(&(&b.received_on, b.id)));
    Ok(Holdings {
        kind: PersonKind::Intervenant,
        kind_label: PersonKind::Intervenant.label(),
        name: civil_name(i.civility, &i.name),
        identity: vec![IdentityRecord { source: "Registre des intervenants".into(), fields }],
        complaints,
        declarations: declared,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::complaints::{self, tests::sample_complaint};
    use chrono::NaiveDate;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
    }

    /// Registers a complaint by `name` <`email`> against the sample firm (created by the first).
    pub(crate) fn complaint_by(conn: &mut Connection, name: &str, email: &str) -> Result<i64> {
        let mut form = sample_complaint();
        form.complainant.name = name.into();
        form.complainant.email = email.into();
        if conn.query_row("SELECT count(*) FROM firms", [], |r| r.get::<_, i64>(0))? > 0 {
            form.new_firm = None;
            form.firm_id = Some(1);
        }
        Ok(complaints::register(conn, &form, today(), "S")?.id)
    }

    #[test]
    fn a_person_is_found_by_name_or_email_without_accents_and_namesakes_stay_apart() -> Result<()> {
        let mut conn = crate::db::open_in_memory()?;
        complaint_by(&mut conn, "Zoé Méraud", "zoe@example.fr")?;
        complaint_by(&mut conn, "ZOÉ MERAUD", "Zoe@Example.fr")?;
        complaint_by(&mut conn, "Zoé Méraud", "autre@example.fr")?;
        complaint_by(&mut conn, "Paul Gardé", "paul@example.fr")?;
        let found = find(&conn, "meraud zoe")?;
        let counts: Vec<(PersonKind, &str, i64)> =
            found.iter().map(|m| (m.kind, m.email.as_str(), m.complaints)).collect();
        assert_eq!(
            counts,
            vec![(PersonKind::Complainant, "zoe@example.fr", 2), (PersonKind::Complainant, "autre@example.fr", 1)]
        );
        assert_eq!(find(&conn, "PAUL@EXAMPLE")?.len(), 1);
        assert_eq!(find(&conn, "économie bâtiment")?.first().map(|m| m.kind), Some(PersonKind::Firm));
        assert!(find(&conn, "zzz")?.is_empty());
        assert!(matches!(find(&conn, " é "), Err(Error::Validation { .. })));
        Ok(())
    }

    #[test]
    fn an_entry_names_a_person_by_whole_words() {
        assert!(contains_word("appel de mme roux.", "roux"));
        assert!(!contains_word("appel de m. rouxel", "roux"));
        assert_eq!(needles("Anne Roux", "", true), vec!["anne roux".to_owned(), "roux".to_owned()]);
        assert_eq!(needles("Li", "li@x.fr", true), vec!["li".to_owned(), "li@x.fr".to_owned()]);
    }
}
