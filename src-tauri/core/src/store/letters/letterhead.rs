//! The organisation's letterhead, on every PDF the app prints: letters, the statistics report,
//! the cover of an audit export.

use crate::letters::pdf::Letterhead;
use crate::store::settings::Organisation;

/// The default logo, shipped in `assets/`.
pub(crate) const LOGO_PNG: &[u8] = include_bytes!("../../../../../assets/logo.png");

pub(crate) fn letterhead(org: &Organisation) -> Letterhead {
    let mut lines: Vec<String> =
        org.address_lines.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    lines.push(format!("{} {}", org.postcode.trim(), org.city.trim().to_uppercase()));
    for (label, value) in [("Tél. ", &org.phone), ("", &org.email), ("", &org.website)] {
        if !value.trim().is_empty() {
            lines.push(format!("{label}{}", value.trim()));
        }
    }
    Letterhead {
        name: org.name.clone(),
        lines,
        footer: format!("{} – {}", org.name, org.one_line_address()),
        logo_png: Some(LOGO_PNG.to_vec()),
    }
}
