//! Text clean-up shared by the readers: bodies, subjects, HTML to text.

/// LF line ends, no trailing spaces, at most 2 blank lines in a row, no blank lines at either
/// end, no NUL characters.
pub(crate) fn normalize_body(raw: &str) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n").replace('\0', "");
    let mut out: Vec<&str> = Vec::new();
    let mut blanks = 0usize;
    for line in unified.split('\n') {
        let line = line.trim_end_matches(|c: char| c.is_whitespace());
        if line.is_empty() {
            blanks += 1;
            if blanks > 2 || out.is_empty() {
                continue;
            }
        } else {
            blanks = 0;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// HTML to plain text: scripts, styles and tags dropped, never kept as HTML.
pub(crate) fn html_to_text(html: &str) -> String {
    // Outlook's HTML recovered from RTF may carry font-table debris before the document.
    let start = html.to_ascii_lowercase().find("<html").unwrap_or(0);
    let html = html.get(start..).unwrap_or(html);
    let converted = html2text::config::plain_no_decorate()
        .no_table_borders()
        .link_footnotes(false)
        .string_from_read(html.as_bytes(), 4000);
    match converted {
        Ok(text) => normalize_body(&text),
        // The converter refused the markup: keep no markup at all rather than nothing.
        Err(_) => normalize_body(&strip_tags(html)),
    }
}

/// Last resort when the HTML converter fails: drop everything between < and >.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut depth = 0usize;
    for c in html.chars() {
        match c {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Trimmed, NULs removed, runs of whitespace (folded header lines) as one space.
pub(crate) fn clean_subject(raw: &str) -> String {
    raw.replace('\0', "").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when the subject starts with a forward prefix (« TR: », « Fwd: », « Fw: »…).
pub(crate) fn is_forward_subject(subject: &str) -> bool {
    strip_one_forward_prefix(subject.trim_start()).is_some()
}

/// The subject with every leading forward prefix removed (« TR : Fwd: Réclamation » →
/// « Réclamation »). Reply prefixes (« RE: ») are kept: they are part of the original's subject.
pub(crate) fn strip_forward_prefixes(subject: &str) -> String {
    let mut s = subject.trim();
    while let Some(rest) = strip_one_forward_prefix(s) {
        s = rest.trim_start();
    }
    s.to_owned()
}

fn strip_one_forward_prefix(s: &str) -> Option<&str> {
    const PREFIXES: [&str; 4] = ["fwd", "fw", "tr", "trans"];
    let s = s.strip_prefix('[').unwrap_or(s);
    let word_end = s.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(s.len());
    let (word, rest) = s.split_at(word_end);
    if !PREFIXES.iter().any(|p| word.eq_ignore_ascii_case(p)) {
        return None;
    }
    let rest = rest.trim_start_matches([' ', '\u{a0}', '\u{202f}']);
    rest.strip_prefix(':')
}

/// The byte a character stands for when UTF-8 text was decoded as Windows-1252 (or Latin-1):
/// `Some` for the characters that come from bytes 0x80 to 0xBF, the continuation bytes of UTF-8.
fn continuation_byte(c: char) -> Option<u8> {
    let code = u32::from(c);
    if (0x80..=0xBF).contains(&code) {
        return u8::try_from(code).ok();
    }
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    match bytes.as_ref() {
        [b] if !unmappable && (0x80..=0xBF).contains(b) => Some(*b),
        _ => None,
    }
}

/// The first trace of text damaged by a wrong decoding, as it reads: UTF-8 read as
/// Windows-1252 (« Ã© » for « é », « â€™ » for « ’ », « Â » before a no-break space or a
/// guillemet), or the replacement character « � » left where bytes could not be decoded.
/// French text never has « Ã », « Â » or « â€ » followed by such a character.
pub(crate) fn mojibake(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == '\u{FFFD}' {
            return Some(c.to_string());
        }
        let next = |k: usize| chars.get(i + k).copied().and_then(continuation_byte);
        // A two-byte sequence of Latin text (lead 0xC2 to 0xC5, read as Â Ã Ä Å) or a three-byte
        // one (lead 0xE2, read as « â »: the punctuation ’ “ ” – — …).
        let lead = u32::from(*c);
        let pair = matches!(lead, 0xC2..=0xC5) && next(1).is_some();
        let triple = lead == 0xE2 && next(1).is_some() && next(2).is_some();
        if triple {
            return Some(chars.get(i..i + 3).map(|s| s.iter().collect()).unwrap_or_default());
        }
        if pair {
            return Some(chars.get(i..i + 2).map(|s| s.iter().collect()).unwrap_or_default());
        }
    }
    None
}

/// A file extension for a MIME type, for naming nameless attachments.
pub(crate) fn extension_for(content_type: &str) -> Option<&'static str> {
    Some(match content_type {
        "application/pdf" => "pdf",
        "image/jpeg" | "image/jpg" | "image/pjpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/tiff" => "tif",
        "text/plain" => "txt",
        "text/html" => "html",
        "message/rfc822" => "eml",
        "application/vnd.ms-outlook" => "msg",
        "application/msword" => "doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/vnd.oasis.opendocument.text" => "odt",
        "application/zip" => "zip",
        _ => return None,
    })
}

/// The name for the `n`-th (1-based) attachment that has none.
pub(crate) fn fallback_name(n: usize, content_type: &str) -> String {
    match extension_for(content_type) {
        Some(ext) => format!("piece-jointe-{n}.{ext}"),
        None => format!("piece-jointe-{n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_normalized() {
        let raw = "\r\n\r\nMadame,  \r\n\r\n\r\n\r\n\r\nje réclame.\t\rFin\r\n\r\n";
        assert_eq!(normalize_body(raw), "Madame,\n\n\nje réclame.\nFin");
    }

    #[test]
    fn html_becomes_text_without_script_or_tags() {
        let html = "<html><head><script>alert(1)</script><style>p{}</style></head><body>\
                    <p>Bonjour&nbsp;!</p><img src=x onerror=\"alert(2)\"><p>Je r&eacute;clame.</p></body></html>";
        let text = html_to_text(html);
        assert!(text.contains("Bonjour\u{a0}!") && text.contains("Je réclame."), "{text}");
        assert!(!text.contains('<') && !text.contains("alert") && !text.contains("onerror"), "{text}");
        assert_eq!(html_to_text("Arial;Courier;*<html><body>ok</body></html>"), "ok");
    }

    #[test]
    fn forward_prefixes_are_removed_but_not_replies() {
        assert_eq!(strip_forward_prefixes("TR: Fwd : [Fw: Réclamation"), "Réclamation");
        assert_eq!(strip_forward_prefixes("TR\u{a0}: RE: Dossier 12"), "RE: Dossier 12");
        assert_eq!(strip_forward_prefixes("Tramway en panne"), "Tramway en panne");
        assert!(is_forward_subject("Fwd: x") && !is_forward_subject("RE: x") && !is_forward_subject("Transfert"));
        assert_eq!(clean_subject("  Réclamation\r\n  urgente\0 "), "Réclamation urgente");
    }

    #[test]
    fn text_decoded_with_the_wrong_charset_is_detected() {
        assert_eq!(mojibake("Je rÃ©clame, câ€™est urgent").as_deref(), Some("Ã©"));
        assert_eq!(mojibake("câ€™est urgent").as_deref(), Some("â€™"));
        assert_eq!(mojibake("Â« devis Â»").as_deref(), Some("Â«"));
        assert_eq!(mojibake("prixÂ\u{a0}: 30 €").as_deref(), Some("Â\u{a0}"));
        assert_eq!(mojibake("ÅŒuvre").as_deref(), Some("ÅŒ"));
        assert_eq!(mojibake("r\u{FFFD}clamation").as_deref(), Some("\u{FFFD}"));
        // Correct French, capitals and guillemets included, is not flagged.
        for fine in [
            "Réclamation : « à côté », c’est l’été. À Ãvila ? ÉTÉ, Â, â, Ça, Œuvre — 30 € – fin…",
            "São Paulo, Ærø, naïve, Noël, où, Â l'heure",
            "",
        ] {
            assert_eq!(mojibake(fine), None, "{fine}");
        }
    }

    #[test]
    fn nameless_files_get_a_name_with_an_extension_when_known() {
        assert_eq!(fallback_name(2, "application/pdf"), "piece-jointe-2.pdf");
        assert_eq!(fallback_name(1, "application/x-unknown"), "piece-jointe-1");
    }
}
