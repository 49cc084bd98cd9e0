//! « Name + address » text, in every form mail programs and Outlook write it, split into a
//! clean name and a clean address ([`split_mailbox`]): the one place that does it, used for
//! the headers mail-parser could not split, the `.msg` sender properties and the « De : »
//! line of a quoted forward.

use super::{clean_address, clean_name, looks_like_address, Mailbox};

/// Characters that end an address token: brackets, quotes, separators, spaces.
fn is_token_break(c: char) -> bool {
    c.is_whitespace() || matches!(c, '<' | '>' | '[' | ']' | '(' | ')' | '"' | ',' | ';' | '\0')
}

/// A token as an address: « mailto: » and the quotes and dots around it dropped.
fn token_address(token: &str) -> Option<String> {
    let t = token.trim_matches(|c| c == '\'' || c == '.' || c == '`');
    let lower = t.to_ascii_lowercase();
    let t = if lower.starts_with("mailto:") { t.get(7..).unwrap_or_default() } else { t };
    let t = t.trim_matches(|c| c == '\'' || c == '.');
    looks_like_address(t).then(|| t.to_lowercase())
}

/// Every address token of `s` with its byte range, in order.
fn address_tokens(s: &str) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        if is_token_break(c) {
            if let Some(st) = start.take() {
                let token = s.get(st..i).unwrap_or_default();
                if token.contains('@') {
                    if let Some(a) = token_address(token) {
                        found.push((st, i, a));
                    }
                }
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    found
}

/// Encoded words (`=?UTF-8?Q?H=C3=A9l=C3=A8ne?=`) decoded by mail-parser, read as a subject.
fn decode_words(raw: &str) -> String {
    if !(raw.contains("=?") && raw.contains("?=")) {
        return raw.to_owned();
    }
    let one_line: String = raw.chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { c }).collect();
    let header = format!("Subject: {one_line}\r\n\r\n");
    mail_parser::MessageParser::default()
        .parse_headers(header.as_bytes())
        .and_then(|m| m.subject().map(str::to_owned))
        .unwrap_or(one_line)
}

/// Splits « name + address » text written in any of these forms:
/// `Jean Dupont <jean@x.fr>`, `Jean Dupont <"jean@x.fr">`, `"Dupont, Jean" <[jean@x.fr]>`,
/// `Jean Dupont [mailto:jean@x.fr]`, `Jean <jean@x.fr<mailto:jean@x.fr>>` (Outlook's text
/// from HTML), `"jean@x.fr"`, `<jean@x.fr>`, `jean@x.fr (Jean Dupont)`, `'jean@x.fr'`, with
/// the name in encoded words (`=?UTF-8?Q?…?=`) or not. The address is the one in angle or
/// square brackets when there is one, else the first in the text; the name is the rest, its
/// quotes and brackets removed, empty when it only repeats the address. Text without a usable
/// address (an Exchange X.500 name, say) is all name.
pub fn split_mailbox(raw: &str) -> Mailbox {
    let decoded = decode_words(raw);
    let s = decoded.replace('\0', "");
    let s = s.trim();
    let tokens = address_tokens(s);
    let bracketed = tokens
        .iter()
        .find(|(start, _, _)| s.get(..*start).is_some_and(|before| before.contains('<') || before.contains('[')));
    let Some((start, end, address)) = bracketed.or(tokens.first()).cloned() else {
        return Mailbox { name: tidy_name(s), address: String::new() };
    };
    // The name: before the first bracket that opens the address, and after the last one
    // that closes it (« jean@x.fr (Jean Dupont) »).
    let before_end = s.get(..start).and_then(|b| b.find(['<', '['])).unwrap_or(start);
    let after = s.get(end..).unwrap_or_default();
    let after_start = after.rfind(['>', ']']).map_or(0, |i| i + 1);
    let before = s.get(..before_end).unwrap_or_default();
    let after = after.get(after_start..).unwrap_or_default();
    let mut name = tidy_name(&format!("{before} {after}"));
    if name.eq_ignore_ascii_case(&address) || clean_address(&name) == address {
        name.clear();
    }
    Mailbox { name, address }
}

/// A display name without its quotes, brackets, trailing « mailto: » or escaped quotes.
fn tidy_name(raw: &str) -> String {
    let mut n = raw.replace("\\\"", "\"");
    loop {
        let trimmed = n
            .trim_matches(|c: char| c.is_whitespace() || c == '\0' || c == ',' || c == ';')
            .trim_end_matches("mailto:")
            .trim_end_matches("MAILTO:")
            .trim();
        let unwrapped = trimmed
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .or_else(|| trimmed.strip_prefix('<').and_then(|r| r.strip_suffix('>')))
            .unwrap_or(trimmed);
        let cleaned = clean_name(unwrapped);
        // A lone quote left by « "jean@x.fr" » once the address is taken out.
        let cleaned = if cleaned.chars().all(|c| matches!(c, '"' | '\'' | ' ')) { String::new() } else { cleaned };
        if cleaned == n {
            return cleaned;
        }
        n = cleaned;
    }
}

/// A list of mailboxes (« a@x.fr, B <b@y.fr>; C <c@z.fr> »), each split by [`split_mailbox`];
/// commas inside a quoted name (« "Dupont, Jean" <j@x.fr> ») do not split.
pub fn split_mailbox_list(raw: &str) -> Vec<Mailbox> {
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut angle = 0usize;
    for c in raw.chars() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => angle += 1,
            '>' if !quoted => angle = angle.saturating_sub(1),
            // « Dupont, Jean <j@x.fr> » unquoted: a comma before any address does not split.
            ',' | ';' if !quoted && angle == 0 && (current.contains('@') || c == ';') => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts.iter().map(|p| split_mailbox(p)).filter(|m| !m.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mb(name: &str, address: &str) -> Mailbox {
        Mailbox { name: name.into(), address: address.into() }
    }

    #[test]
    fn every_written_form_is_split() {
        let cases = [
            ("Jean Dupont <Jean.Dupont@exemple.fr>", mb("Jean Dupont", "jean.dupont@exemple.fr")),
            // Thunderbird, as reported (#26): the address itself in quotes.
            ("Hélène Château <\"helene.chateau@example.fr\">", mb("Hélène Château", "helene.chateau@example.fr")),
            ("\"Hélène Château\" <\"helene.chateau@example.fr\">", mb("Hélène Château", "helene.chateau@example.fr")),
            ("\"helene.chateau@example.fr\"", mb("", "helene.chateau@example.fr")),
            ("<jean@exemple.fr>", mb("", "jean@exemple.fr")),
            ("jean@exemple.fr", mb("", "jean@exemple.fr")),
            ("'jean@exemple.fr'", mb("", "jean@exemple.fr")),
            ("'contact@opqtecc.fr' <contact@opqtecc.fr>", mb("", "contact@opqtecc.fr")),
            ("\"Dupont, Jean\" <[jean@exemple.fr]>", mb("Dupont, Jean", "jean@exemple.fr")),
            ("Jean Dupont [mailto:jean@exemple.fr]", mb("Jean Dupont", "jean@exemple.fr")),
            ("Jean Dupont <jean@exemple.fr<mailto:jean@exemple.fr>>", mb("Jean Dupont", "jean@exemple.fr")),
            ("jean@exemple.fr (Jean Dupont)", mb("Jean Dupont", "jean@exemple.fr")),
            ("mailto:jean@exemple.fr", mb("", "jean@exemple.fr")),
            ("Jean Dupont mailto:jean@exemple.fr", mb("Jean Dupont", "jean@exemple.fr")),
            ("\"Jean \\\"JD\\\" Dupont\" <jean@exemple.fr>", mb("Jean \"JD\" Dupont", "jean@exemple.fr")),
            // An address in the name is not the address when another is in brackets.
            ("\"jean@perso.fr via Site\" <noreply@site.fr>", mb("jean@perso.fr via Site", "noreply@site.fr")),
            (
                "=?UTF-8?Q?H=C3=A9l=C3=A8ne_Ch=C3=A2teau?= <\"helene.chateau@example.fr\">",
                mb("Hélène Château", "helene.chateau@example.fr"),
            ),
            ("=?iso-8859-1?Q?Fran=E7ois?= <f@exemple.fr>", mb("François", "f@exemple.fr")),
            ("Cabinet Martin", mb("Cabinet Martin", "")),
            ("/O=HOSTED/OU=FIRST/CN=RECIPIENTS/CN=KEVIN", mb("/O=HOSTED/OU=FIRST/CN=RECIPIENTS/CN=KEVIN", "")),
            ("Jean <pas une adresse>", mb("Jean <pas une adresse>", "")),
            ("a:b@y.fr", mb("a:b@y.fr", "")),
            ("Pirate <pirate@exemple.com", mb("Pirate", "pirate@exemple.com")),
            ("  \"  \"  ", mb("", "")),
        ];
        for (raw, expected) in cases {
            assert_eq!(split_mailbox(raw), expected, "{raw}");
        }
    }

    #[test]
    fn lists_split_at_separators_outside_quotes() {
        assert_eq!(
            split_mailbox_list("a@x.fr, Bé <b@y.fr>; C <c@z.fr>"),
            vec![mb("", "a@x.fr"), mb("Bé", "b@y.fr"), mb("C", "c@z.fr")]
        );
        assert_eq!(
            split_mailbox_list("\"Dupont, Jean\" <j@x.fr>, Accueil <\"accueil@opqtecc.fr\">"),
            vec![mb("Dupont, Jean", "j@x.fr"), mb("Accueil", "accueil@opqtecc.fr")]
        );
        assert_eq!(split_mailbox_list("Dupont, Jean <j@x.fr>"), vec![mb("Dupont, Jean", "j@x.fr")]);
    }
}
