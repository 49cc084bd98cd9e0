//! Forwards quoted in the body: a separator line (« -------- Message transféré -------- »,
//! « -----Message d'origine----- », Outlook's line of underscores…) followed by a block of
//! header lines (« De : », « Envoyé : », « À : », « Objet : », or their English forms), then the
//! original's text.

use super::address::{split_mailbox, split_mailbox_list};
use super::dates::parse_loose_date;
use super::text::normalize_body;
use super::Mailbox;
use chrono::{DateTime, FixedOffset};

/// The original as a quoted forward gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuotedOriginal {
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub date: Option<DateTime<FixedOffset>>,
    pub subject: Option<String>,
    pub body: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// Only ever written for a forward.
    Forward,
    /// Also written above a reply's quote: trusted only when the subject says « TR: »/« Fwd: ».
    ReplyOrForward,
}

/// Separator phrases, compared after lower-casing and trimming dashes, spaces and colons.
const SEPARATORS: [(&str, Strength); 10] = [
    ("message transféré", Strength::Forward),
    ("message transfere", Strength::Forward),
    ("forwarded message", Strength::Forward),
    ("début du message réexpédié", Strength::Forward),
    ("begin forwarded message", Strength::Forward),
    ("message d'origine", Strength::ReplyOrForward),
    ("message d’origine", Strength::ReplyOrForward),
    ("original message", Strength::ReplyOrForward),
    ("message original", Strength::ReplyOrForward),
    ("mensaje original", Strength::ReplyOrForward),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    From,
    Date,
    To,
    Cc,
    Subject,
    Other,
}

fn field_of(label: &str) -> Option<Field> {
    let l = label.trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '\u{a0}' || c == '\u{202f}');
    Some(match l.to_lowercase().as_str() {
        "de" | "from" | "expéditeur" | "expediteur" => Field::From,
        "date" | "envoyé" | "envoye" | "sent" | "envoyé le" | "date d'envoi" => Field::Date,
        "à" | "a" | "to" | "pour" | "destinataire" | "destinataires" => Field::To,
        "cc" | "cci" | "bcc" | "copie" | "copie à" => Field::Cc,
        "objet" | "subject" | "sujet" => Field::Subject,
        "importance" | "reply-to" | "répondre à" | "repondre a" | "pièces jointes" | "attachments" => Field::Other,
        _ => return None,
    })
}

fn separator_strength(line: &str) -> Option<Strength> {
    let t = line.trim();
    if t.len() >= 10 && t.chars().all(|c| c == '_') {
        return Some(Strength::ReplyOrForward);
    }
    let core =
        t.trim_matches(|c: char| c == '-' || c == '_' || c == ':' || c == '*' || c.is_whitespace()).to_lowercase();
    SEPARATORS.iter().find(|(phrase, _)| core == *phrase).map(|(_, s)| *s)
}

/// A header line « Label : value » (any spaces before the colon), with a known label.
fn header_line(line: &str) -> Option<(Field, &str)> {
    let (label, value) = line.split_once(':')?;
    if label.chars().count() > 20 {
        return None;
    }
    Some((field_of(label)?, value.trim_matches(|c: char| c.is_whitespace() || c == '*')))
}

/// The first forward quoted in `body`, if any. `forward_subject` says whether the outer
/// subject carries a forward prefix (needed for separators that replies use too).
pub(crate) fn find(body: &str, forward_subject: bool) -> Option<QuotedOriginal> {
    let lines: Vec<&str> = body.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(strength) = separator_strength(strip_quote_marks(line)) else { continue };
        if strength == Strength::ReplyOrForward && !forward_subject {
            continue;
        }
        if let Some(found) = header_block(&lines, i + 1) {
            return Some(found);
        }
    }
    None
}

fn strip_quote_marks(line: &str) -> &str {
    let mut l = line.trim_start();
    while let Some(rest) = l.strip_prefix('>') {
        l = rest.trim_start();
    }
    l
}

fn header_block(lines: &[&str], start: usize) -> Option<QuotedOriginal> {
    let mut i = start;
    while lines.get(i).is_some_and(|l| strip_quote_marks(l).is_empty()) {
        i += 1;
    }
    let mut fields: Vec<(Field, String)> = Vec::new();
    while let Some(raw) = lines.get(i) {
        let line = strip_quote_marks(raw);
        if line.is_empty() {
            break;
        }
        if let Some((field, value)) = header_line(line) {
            fields.push((field, value.to_owned()));
        } else if let Some((Field::To | Field::Cc, value)) = fields.last_mut() {
            // A long recipient list wrapped onto the next line.
            value.push(' ');
            value.push_str(line);
        } else {
            break;
        }
        i += 1;
    }
    let get = |f: Field| fields.iter().find(|(k, _)| *k == f).map(|(_, v)| v.as_str());
    let from = split_mailbox(get(Field::From)?);
    if from.is_empty() {
        return None;
    }
    let rest: Vec<&str> = lines.get(i..).unwrap_or_default().to_vec();
    let quoted = rest.iter().filter(|l| !l.trim().is_empty()).all(|l| l.trim_start().starts_with('>'));
    let text = if quoted {
        rest.iter()
            .map(|l| {
                let l = l.trim_start();
                let l = l.strip_prefix('>').unwrap_or(l);
                l.strip_prefix(' ').unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        rest.join("\n")
    };
    Some(QuotedOriginal {
        from,
        to: get(Field::To).map(split_mailbox_list).unwrap_or_default(),
        date: get(Field::Date).and_then(parse_loose_date),
        subject: get(Field::Subject).map(super::text::clean_subject).filter(|s| !s.is_empty()),
        body: normalize_body(&text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mb(name: &str, address: &str) -> Mailbox {
        Mailbox { name: name.into(), address: address.into() }
    }

    #[test]
    fn an_outlook_french_forward_with_non_breaking_spaces() {
        let body = "Pour suite à donner.\n\nClaire\n\n________________________________\n\
                    De\u{a0}: Jean Dupont <jean.dupont@exemple.fr>\nEnvoyé\u{a0}: lundi 2 novembre 2026 10:15\n\
                    À\u{a0}: Accueil <accueil@opqtecc.fr>\nObjet\u{a0}: Réclamation chantier\n\n\
                    Madame, Monsieur,\n\nje réclame.\n";
        assert_eq!(find(body, false), None, "a line of underscores alone is also a reply's");
        let found = find(body, true);
        let Some(q) = found else { panic!("no forward found") };
        assert_eq!(q.from, mb("Jean Dupont", "jean.dupont@exemple.fr"));
        assert_eq!(q.to, vec![mb("Accueil", "accueil@opqtecc.fr")]);
        assert_eq!(q.date.map(|d| d.to_rfc3339()).as_deref(), Some("2026-11-02T10:15:00+01:00"));
        assert_eq!(q.subject.as_deref(), Some("Réclamation chantier"));
        assert_eq!(q.body, "Madame, Monsieur,\n\nje réclame.");
    }

    #[test]
    fn thunderbird_and_gmail_forwards() {
        let tb = "-------- Message transféré --------\nSujet : Réclamation\nDate : Mon, 2 Nov 2026 10:15:00 +0100\n\
                  De : Jean <jean@exemple.fr>\nPour : accueil@opqtecc.fr\n\nBonjour";
        let q = find(tb, false);
        assert_eq!(
            q.as_ref().map(|q| (q.from.address.as_str(), q.body.as_str())),
            Some(("jean@exemple.fr", "Bonjour"))
        );
        assert_eq!(q.and_then(|q| q.date).map(|d| d.to_rfc3339()).as_deref(), Some("2026-11-02T10:15:00+01:00"));
        let gm = "FYI\n\n---------- Forwarded message ---------\nFrom: Jean Dupont <jean@exemple.fr>\n\
                  Date: Mon, Nov 2, 2026 at 10:15 AM\nSubject: Complaint\nTo: <a@b.fr>\n\n\n> Hello\n> there\n";
        let q = find(gm, false);
        assert_eq!(q.as_ref().map(|q| q.body.as_str()), Some("Hello\nthere"));
        assert_eq!(q.and_then(|q| q.subject).as_deref(), Some("Complaint"));
    }

    #[test]
    fn a_reply_quote_is_not_a_forward() {
        let reply = "Merci.\n\n-----Message d'origine-----\nDe : Cabinet <c@x.fr>\nEnvoyé : 2/11/2026\n\nTexte";
        assert_eq!(find(reply, false), None);
        assert!(find(reply, true).is_some());
        assert_eq!(find("-------- Message transféré --------\nrien", false), None);
    }
}
