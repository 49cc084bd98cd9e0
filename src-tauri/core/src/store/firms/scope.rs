//! Whether a complaint falls within the procedure: the firm's qualifications and
//! certifications valid on the date the complaint was received (procedure § 1: complaints
//! against qualified, RGE included, or certified firms).

use super::{get, qualifications, Qualification};
use crate::error::Result;
use crate::french::format_fr;
use crate::validate::parse_date;
use crate::workflow::Manager;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

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
}

fn valid_on(q: &Qualification, day: NaiveDate) -> bool {
    let from = parse_date(&q.valid_from);
    let until = parse_date(&q.valid_until);
    from.is_none_or(|f| f <= day) && until.is_none_or(|u| day <= u)
}

/// The firm's status on `day`.
pub fn scope_on(conn: &Connection, firm_id: i64, day: NaiveDate) -> Result<Scope> {
    let firm = get(conn, firm_id)?;
    let all = qualifications(conn, firm_id)?;
    let flags_only = all.is_empty();
    let (valid, not_valid): (Vec<Qualification>, Vec<Qualification>) = all.into_iter().partition(|q| valid_on(q, day));
    let (qualified, certified, rge) = if flags_only {
        (firm.is_qualified, firm.is_certified, firm.is_rge)
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
                    let until =
                        parse_date(&q.valid_until).map(|u| format!(" jusqu'au {}", format_fr(u))).unwrap_or_default();
                    format!("{}{label}{until}", q.reference)
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (valid.is_empty(), not_valid.is_empty()) {
            (false, _) => format!(" : {}", list(&valid)),
            (true, false) => {
                format!(" : aucune qualification ou certification valide ce jour-là ({})", list(&not_valid))
            }
            (true, true) => String::new(),
        }
    };
    Ok(Scope {
        on: day.to_string(),
        valid,
        not_valid,
        rge,
        flags_only,
        in_scope,
        proposed_manager: manager.code(),
        summary: format!("{status}{rge_text} le {date}{detail}."),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::firms::{add_qualification, save};
    use crate::validate::FirmForm;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn firm(conn: &mut Connection, qualified: bool) -> Result<i64> {
        let form = FirmForm { name: "Cabinet Test".into(), is_qualified: qualified, ..FirmForm::default() };
        save(conn, None, &form)
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
        add_qualification(&conn, id, &q)?;
        let cert = Qualification {
            kind: "certification".into(),
            reference: "C1".into(),
            valid_from: "01/06/2026".into(),
            ..Qualification::default()
        };
        add_qualification(&conn, id, &cert)?;
        let valid = scope_on(&conn, id, day(2025, 12, 31))?;
        assert!(valid.in_scope && valid.valid.len() == 1, "{valid:?}");
        assert_eq!(valid.proposed_manager, "qualification");
        let expired = scope_on(&conn, id, day(2026, 1, 2))?;
        assert!(!expired.in_scope, "{expired:?}");
        assert!(expired.summary.contains("aucune qualification ou certification valide"), "{}", expired.summary);
        let certified = scope_on(&conn, id, day(2026, 6, 1))?;
        assert!(certified.in_scope);
        assert_eq!(certified.proposed_manager, "certification");
        // No dated qualification: the flags are the status.
        let none = firm(&mut conn, false)?;
        let s = scope_on(&conn, none, day(2026, 1, 2))?;
        assert!(!s.in_scope && s.flags_only);
        assert_eq!(s.summary, "Ni qualifié ni certifié le 02/01/2026.");
        let flagged = firm(&mut conn, true)?;
        assert!(scope_on(&conn, flagged, day(2026, 1, 2))?.in_scope);
        Ok(())
    }
}
