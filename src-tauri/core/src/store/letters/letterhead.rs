//! The organisation's letterhead, on every PDF the app prints: letters, the statistics report,
//! the cover of an audit export.

use crate::error::Result;
use crate::letters::pdf::Letterhead;
use crate::store::logo;
use crate::store::settings::Organisation;
use rusqlite::Connection;

/// The default logo, shipped in `assets/` (see [`logo::current`] for the one in force).
pub(crate) const LOGO_PNG: &[u8] = include_bytes!("../../../../../assets/logo.png");

/// The letterhead of `org`, with the logo in force.
pub(crate) fn letterhead(conn: &Connection, org: &Organisation) -> Result<Letterhead> {
    let mut lines: Vec<String> =
        org.address_lines.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    lines.push(format!("{} {}", org.postcode.trim(), org.city.trim().to_uppercase()));
    for (label, value) in [("Tél. ", &org.phone), ("", &org.email), ("", &org.website)] {
        if !value.trim().is_empty() {
            lines.push(format!("{label}{}", value.trim()));
        }
    }
    Ok(Letterhead {
        name: org.name.clone(),
        lines,
        footer: format!("{} – {}", org.name, org.one_line_address()),
        logo_png: Some(logo::current(conn)?),
    })
}
