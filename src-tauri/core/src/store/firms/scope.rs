//! Whether a complaint falls within the procedure: the firm's qualifications and
//! certifications valid on the date the complaint was received (procedure § 1: complaints
//! against qualified, RGE included, or certified firms).

use super::qualifications::{held, QualificationStatus};
use super::{get, Firm, Qualification};
use crate::error::{Error, Result};
use crate::french::format_fr;
use crate::procedure::Manager;
use crate::validate::parse_date;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A firm's status on one day, as the intake form and the complaint page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// The day looked at (ISO).
    pub on: String,
    /// Qualifications and certifications valid that day.
    pub valid: Vec<Qualification>,
    /// Those not valid that day (expired, or not yet in force).
    pub not_valid: Vec<Qualification>,
    /// Valid that day and RGE, or the firm flagged RGE when it has no dated qualification.
    pub rge: bool,
    /// The firm has no dated qualification: its status is only the register's flags.
    pub flags_only: bool,
    /// At least one qualification or certification valid that day.
    pub in_scope: bool,
    /// Who the complaint goes to: Certifications when the firm holds only certifications.
    pub proposed_manager: &'static str,
    /// « Qualifié et certifié le 02/03/2026 : 2.1 Économie de la construction … ».
    pub summary: String,
    /// When out of scope, what the intake form says next to the firm (saving stays allowed).
    pub warning: Option<String>,
}

/// The three flags of the register, for a firm that holds no dated qualification (or one being
/// created on the intake form).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct StatusFlags {
    pub is_qualified: bool,
    pub is_certified: bool,
    pub is_rge: bool,
}

impl StatusFlags {
    pub fn of(firm: &Firm) -> Self {
        StatusFlags { is_qualified: firm.is_qualified, is_certified: firm.is_certified, is_rge: firm.is_rge }
    }
}

/// The warning shown at intake for a firm with nothing valid on `day`.
pub fn out_of_scope_warning(day: NaiveDate) -> String {
    format!(
        "Aucune qualification ni certification valide le {} : la réclamation est hors du champ de la procédure. \
         Vous pouvez l'enregistrer puis la déclarer irrecevable (hors du champ de la procédure).",
        format_fr(day)
    )
}

fn valid_on(q: &Qualification, status: Option<&QualificationStatus>, day: NaiveDate) -> bool {
    let from = parse_date(&q.valid_from);
    let until = parse_date(&q.valid_until);
    from.is_none_or(|f| f <= day) && until.is_none_or(|u| day <= u) && !status.is_some_and(|s| s.suspends_on(day))
}

/// A qualification's dates as they matter on `day`: « jusqu'au … », « expirée le … »,
/// « en vigueur à partir du … », or the committee's suspension or withdrawal in force.
fn dates_on(q: &Qualification, status: Option<&QualificationStatus>, day: NaiveDate) -> String {
    if let Some(s) = status.filter(|s| s.suspends_on(day)) {
        return format!(" {}", s.text());
    }
    match (parse_date(&q.valid_from), parse_date(&q.valid_until)) {
        (Some(f), _) if day < f => format!(" en vigueur à partir du {}", format_fr(f)),
        (_, Some(u)) if u < day => format!(" expirée le {}", format_fr(u)),
        (_, Some(u)) => format!(" jusqu'au {}", format_fr(u)),
        _ => String::new(),
    }
}

/// The firm's status on `day`: its dated qualifications decide; without any, its flags.
pub fn scope_on(conn: &Connection, firm_id: i64, day: NaiveDate) -> Result<Scope> {
    scope_of_firm(conn, &get(conn, firm_id)?, day)
}

/// As [`scope_on`], for a firm already read.
pub fn scope_of_firm(conn: &Connection, firm: &Firm, day: NaiveDate) -> Result<Scope> {
    let (qualifications, statuses) = held(conn, firm.id)?;
    Ok(scope_of(StatusFlags::of(firm), qualifications, &statuses, day))
}

/// A firm's status today, as the firms list and the firm file show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// `valid`, `expired`, `future`, `suspended`, `withdrawn` (from the dated qualifications), or
    /// `declared` / `none` (the register's flags, for a firm without dated qualifications).
    pub code: &'static str,
    /// « Qualifié jusqu'au 14/03/2027 », « Qualification expirée le 31/12/2020 »,
    /// « Suspendue du 01/06/2026 au 30/11/2026 », « Qualifié — statut déclaré, sans dates ».
    pub text: String,
}

/// The firm's status on `day`: its dated qualifications decide; without any, its flags, said
/// to be declared without dates.
pub fn standing(
    flags: StatusFlags,
    all: &[Qualification],
    statuses: &HashMap<i64, QualificationStatus>,
    day: NaiveDate,
) -> Standing {
    let date = |iso: &str| parse_date(iso);
    if all.is_empty() {
        let (code, what) = match (flags.is_qualified, flags.is_certified) {
            (true, true) => ("declared", "Qualifié et certifié"),
            (true, false) => ("declared", "Qualifié"),
            (false, true) => ("declared", "Certifié"),
            (false, false) => ("none", "Ni qualifié ni certifié"),
        };
        return Standing { code, text: format!("{what} — statut déclaré, sans dates") };
    }
    let valid: Vec<&Qualification> = all.iter().filter(|q| valid_on(q, statuses.get(&q.id), day)).collect();
    let word = |qs: &[&Qualification]| {
        let q = qs.iter().any(|q| q.kind == "qualification");
        let c = qs.iter().any(|q| q.kind == "certification");
        match (q, c) {
            (true, true) => ("Qualifié et certifié", "Qualification"),
            (false, true) => ("Certifié", "Certification"),
            _ => ("Qualifié", "Qualification"),
        }
    };
    if !valid.is_empty() {
        let (who, _) = word(&valid);
        // Valid until the latest end among those in force; open-ended if one has no end.
        let ends: Option<Vec<NaiveDate>> = valid.iter().map(|q| date(&q.valid_until)).collect();
        let text = match ends.and_then(|e| e.into_iter().max()) {
            Some(end) => format!("{who} jusqu'au {}", format_fr(end)),
            None => who.to_owned(),
        };
        return Standing { code: "valid", text };
    }
    let everything: Vec<&Qualification> = all.iter().collect();
    let (_, noun) = word(&everything);
    let in_force = |q: &&Qualification| statuses.get(&q.id).filter(|s| s.suspends_on(day));
    if let Some(s) = all.iter().filter_map(|q| in_force(&q)).find(|s| s.status == "suspended") {
        let text = s.text();
        let text = text.split(" (réclamation").next().unwrap_or(&text).to_owned();
        return Standing { code: "suspended", text: capitalised(&text) };
    }
    if let Some(s) = all.iter().filter_map(|q| in_force(&q)).find(|s| s.status == "withdrawn") {
        let from = date(&s.status_from).map(format_fr).unwrap_or_default();
        return Standing { code: "withdrawn", text: format!("{noun} retirée le {from}") };
    }
    let next = all.iter().filter_map(|q| date(&q.valid_from)).filter(|f| day < *f).min();
    if let Some(from) = next {
        return Standing { code: "future", text: format!("{noun} en vigueur à partir du {}", format_fr(from)) };
    }
    let ended = all.iter().filter_map(|q| date(&q.valid_until)).filter(|u| *u < day).max();
    match ended {
        Some(end) => Standing { code: "expired", text: format!("{noun} expirée le {}", format_fr(end)) },
        None => Standing { code: "none", text: "Aucune qualification en vigueur".into() },
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|first| first.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The status of a firm not yet in the register (the intake form's « nouveau qualifié »).
pub fn scope_of_new_firm(flags: StatusFlags, day: NaiveDate) -> Scope {
    scope_of(flags, Vec::new(), &HashMap::new(), day)
}

fn scope_of(
    flags: StatusFlags,
    all: Vec<Qualification>,
    statuses: &HashMap<i64, QualificationStatus>,
    day: NaiveDate,
) -> Scope {
    let flags_only = all.is_empty();
    let (valid, not_valid): (Vec<Qualification>, Vec<Qualification>) =
        all.into_iter().partition(|q| valid_on(q, statuses.get(&q.id), day));
    let (qualified, certified, rge) = if flags_only {
        (flags.is_qualified, flags.is_certified, flags.is_rge)
    } else {
        (
            valid.iter().any(|q| q.kind == "qualification"),
            valid.iter().any(|q| q.kind == "certification"),
            valid.iter().any(|q| q.is_rge),
        )
    };
    let in_scope = qualified || certified;
    let manager = if certified && !qualified { Manager::Certification } else { Manager::Qualification };
    let date = format_fr(day);
    let status = match (qualified, certified) {
        (true, true) => "Qualifié et certifié",
        (true, false) => "Qualifié",
        (false, true) => "Certifié",
        (false, false) => "Ni qualifié ni certifié",
    };
    let rge_text = if rge { " (RGE)" } else { "" };
    let detail = if flags_only {
        if in_scope {
            " — statut du registre, sans dates de validité".to_owned()
        } else {
            String::new()
        }
    } else {
        let list = |qs: &[Qualification]| {
            qs.iter()
                .map(|q| {
                    let label = if q.label.is_empty() { String::new() } else { format!(" {}", q.label) };
                    format!("{}{label}{}", q.reference, dates_on(q, statuses.get(&q.id), day))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        // Suspended or withdrawn by the committee that day: said beside the valid ones.
        let suspended: Vec<Qualification> =
            not_valid.iter().filter(|q| statuses.get(&q.id).is_some_and(|s| s.suspends_on(day))).cloned().collect();
        match (valid.is_empty(), not_valid.is_empty()) {
            (false, _) if !suspended.is_empty() => {
                format!(" : {} ; non valide ce jour-là : {}", list(&valid), list(&suspended))
            }
            (false, _) => format!(" : {}", list(&valid)),
            (true, false) => {
                format!(" : aucune qualification ou certification valide ce jour-là ({})", list(&not_valid))
            }
            (true, true) => String::new(),
        }
    };
    Scope {
        on: day.to_string(),
        valid,
        not_valid,
        rge,
        flags_only,
        in_scope,
        proposed_manager: manager.code(),
        summary: format!("{status}{rge_text} le {date}{detail}."),
        warning: (!in_scope).then(|| out_of_scope_warning(day)),
    }
}

/// What the intake form shows once a firm is chosen (`firm_id`) or being created (`new_firm`,
/// its ticked boxes) and the date of receipt typed (« 28/11/2026 » or ISO).
pub fn scope_at_intake(
    conn: &Connection,
    firm_id: Option<i64>,
    new_firm: Option<StatusFlags>,
    received_on: &str,
) -> Result<Scope> {
    let Some(day) = parse_date(received_on) else {
        return Err(Error::field("received_on", crate::validate::INVALID_DATE));
    };
    match (firm_id, new_firm) {
        (Some(id), _) => scope_on(conn, id, day),
        (None, Some(flags)) => Ok(scope_of_new_firm(flags, day)),
        (None, None) => Err(Error::field("firm_id", "Choisissez le qualifié ou certifié concerné, ou créez-le.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::firms::{add_qualification, save};
    use crate::validate::FirmForm;
    use rusqlite::params;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn firm(conn: &mut Connection, qualified: bool) -> Result<i64> {
        let form = FirmForm { name: "Cabinet Test".into(), is_qualified: qualified, ..FirmForm::default() };
        save(conn, None, &form, "Test")
    }

    #[test]
    fn scope_on_the_date_of_receipt_valid_expired_none() -> Result<()> {
        let mut conn = open_in_memory()?;
        // Dated qualifications decide, whatever the flags say.
        let id = firm(&mut conn, true)?;
        let q = Qualification {
            reference: "2.1".into(),
            valid_from: "01/01/2024".into(),
            valid_until: "31/12/2025".into(),
            ..Qualification::default()
        };
        add_qualification(&conn, id, &q, "Test")?;
        let cert = Qualification {
            kind: "certification".into(),
            reference: "C1".into(),
            valid_from: "01/06/2026".into(),
            ..Qualification::default()
        };
        add_qualification(&conn, id, &cert, "Test")?;
        let valid = scope_on(&conn, id, day(2025, 12, 31))?;
        assert!(valid.in_scope && valid.valid.len() == 1, "{valid:?}");
        assert_eq!(valid.proposed_manager, "qualification");
        assert!(valid.summary.contains("2.1 jusqu'au 31/12/2025"), "{}", valid.summary);
        assert_eq!(valid.warning, None);
        let expired = scope_on(&conn, id, day(2026, 1, 2))?;
        assert!(!expired.in_scope, "{expired:?}");
        assert!(expired.summary.contains("aucune qualification ou certification valide"), "{}", expired.summary);
        assert!(expired.summary.contains("2.1 expirée le 31/12/2025"), "{}", expired.summary);
        assert!(expired.summary.contains("C1 en vigueur à partir du 01/06/2026"), "{}", expired.summary);
        assert_eq!(expired.not_valid.len(), 2);
        let warning = expired.warning.as_deref().unwrap_or_default();
        assert!(
            warning.starts_with("Aucune qualification ni certification valide le 02/01/2026 : la réclamation est hors du champ de la procédure."),
            "{warning}"
        );
        let certified = scope_on(&conn, id, day(2026, 6, 1))?;
        assert!(certified.in_scope);
        assert_eq!(certified.proposed_manager, "certification");
        // No dated qualification: the flags are the status.
        let none = firm(&mut conn, false)?;
        let s = scope_on(&conn, none, day(2026, 1, 2))?;
        assert!(!s.in_scope && s.flags_only);
        assert_eq!(s.summary, "Ni qualifié ni certifié le 02/01/2026.");
        assert!(s.warning.is_some());
        let flagged = firm(&mut conn, true)?;
        assert!(scope_on(&conn, flagged, day(2026, 1, 2))?.in_scope);
        // A firm being created: its ticked boxes are its status.
        let new = scope_of_new_firm(StatusFlags::default(), day(2026, 1, 2));
        assert!(!new.in_scope && new.warning.is_some(), "{new:?}");
        let certified = StatusFlags { is_certified: true, is_rge: true, ..StatusFlags::default() };
        let new = scope_of_new_firm(certified, day(2026, 1, 2));
        assert!(new.in_scope && new.rge && new.warning.is_none(), "{new:?}");
        assert_eq!(new.proposed_manager, "certification");
        assert!(new.summary.starts_with("Certifié (RGE) le 02/01/2026"), "{}", new.summary);
        // The intake form's question: a date as typed, a firm of the register or a new one.
        assert!(!scope_at_intake(&conn, Some(id), None, "02/01/2026")?.in_scope);
        assert!(scope_at_intake(&conn, Some(id), None, "2025-12-31")?.in_scope);
        assert!(scope_at_intake(&conn, None, Some(certified), "02/01/2026")?.in_scope);
        match scope_at_intake(&conn, Some(id), None, "31/02/2026") {
            Err(Error::Validation { fields }) => {
                assert!(fields["received_on"].starts_with("Date invalide"), "{fields:?}")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(scope_at_intake(&conn, Some(9999), None, "02/01/2026"), Err(Error::NotFound { .. })));
        Ok(())
    }

    #[test]
    fn a_qualification_suspended_or_withdrawn_by_the_committee_is_not_valid_on_those_days() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = firm(&mut conn, true)?;
        let eco = Qualification { reference: "2.1".into(), label: "Économie".into(), ..Qualification::default() };
        let eco = add_qualification(&conn, id, &eco, "Test")?;
        let opc = Qualification { reference: "3.2".into(), label: "OPC".into(), ..Qualification::default() };
        let opc = add_qualification(&conn, id, &opc, "Test")?;
        let complaint = crate::store::complaints::register(
            &mut conn,
            &crate::store::complaints::tests::sample_complaint(),
            day(2026, 12, 1),
            "S",
        )?;
        conn.execute(
            "UPDATE firm_qualifications SET status = 'suspended', status_from = '2026-06-01',
                    status_until = '2026-11-30', status_complaint_id = ?2 WHERE id = ?1",
            params![eco, complaint.id],
        )?;
        let before = scope_on(&conn, id, day(2026, 5, 31))?;
        assert_eq!(before.valid.len(), 2, "{before:?}");
        let during = scope_on(&conn, id, day(2026, 6, 1))?;
        assert!(during.in_scope, "3.2 still valid: {during:?}");
        assert_eq!(during.valid.iter().map(|q| q.id).collect::<Vec<_>>(), [opc]);
        let expected =
            format!("2.1 Économie suspendue du 01/06/2026 au 30/11/2026 (réclamation {})", complaint.reference);
        assert!(during.summary.contains(&expected), "{}", during.summary);
        assert!(during.summary.contains("non valide ce jour-là"), "{}", during.summary);
        assert!(scope_on(&conn, id, day(2026, 11, 30))?.valid.len() == 1, "the last day still suspended");
        assert_eq!(scope_on(&conn, id, day(2026, 12, 1))?.valid.len(), 2, "valid again after");
        // Both out of force: withdrawn from a date, for good.
        conn.execute(
            "UPDATE firm_qualifications SET status = 'withdrawn', status_from = '2026-07-01', status_complaint_id = ?2
             WHERE id = ?1",
            params![opc, complaint.id],
        )?;
        assert!(scope_on(&conn, id, day(2026, 6, 30))?.in_scope);
        let out = scope_on(&conn, id, day(2026, 7, 1))?;
        assert!(!out.in_scope && out.warning.is_some(), "{out:?}");
        assert!(out.summary.contains("3.2 OPC retirée à compter du 01/07/2026"), "{}", out.summary);
        let later = scope_on(&conn, id, day(2030, 1, 1))?;
        assert_eq!(later.valid.iter().map(|q| q.id).collect::<Vec<_>>(), [eco], "a withdrawal has no end: {later:?}");
        Ok(())
    }
}
