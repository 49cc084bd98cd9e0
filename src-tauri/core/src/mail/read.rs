//! Reading a received message: `.eml` with mail-parser, Outlook `.msg` with msg_parser, then
//! the original found inside a forward.

use super::address::split_mailbox_list;
use super::dates::{from_iso_utc, paris_date};
use super::text::{
    clean_subject, fallback_name, html_to_text, is_forward_subject, normalize_body, strip_forward_prefixes,
};
use super::{quoted, unreadable, Forward, MailAttachment, MailFormat, Mailbox, ReceivedEmail};
use chrono::{DateTime, FixedOffset};
use mail_parser::{Address, MessageParser, MimeHeaders, PartType};

/// The first bytes of every OLE compound file (and so of every Outlook `.msg`).
pub(crate) const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Messages attached inside messages are followed this deep, no further.
const MAX_DEPTH: usize = 4;

/// One message as read, before the forward logic picks the original.
#[derive(Debug, Clone)]
struct Parsed {
    subject: String,
    date: Option<DateTime<FixedOffset>>,
    from: Mailbox,
    to: Vec<Mailbox>,
    body: String,
    body_from_html: bool,
    attachments: Vec<MailAttachment>,
    /// Messages attached to this one, each with the index in `attachments` of the file it
    /// came as (that file is dropped when the message is used as the original).
    embedded: Vec<(usize, Parsed)>,
}

impl Parsed {
    fn is_blank(&self) -> bool {
        self.from.is_empty() && self.body.trim().is_empty()
    }
}

/// Reads an .eml or .msg. `file_name` decides the format by extension (.eml/.msg), but the
/// content wins: OLE magic → Msg, RFC 5322 text → Eml. A file that is neither, that the
/// crates cannot read, or that has no From and no body at all is refused with a French message.
pub fn read(bytes: &[u8], file_name: &str) -> crate::Result<ReceivedEmail> {
    // The parsers are given hostile files; one of them (msg_parser) panics on some damaged
    // compound files: that is a refusal too, not a crash of the app.
    std::panic::catch_unwind(|| read_unguarded(bytes, file_name))
        .unwrap_or_else(|_| Err(unreadable("fichier endommagé")))
}

fn read_unguarded(bytes: &[u8], file_name: &str) -> crate::Result<ReceivedEmail> {
    // Some Windows tools save text with a UTF-8 byte order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Blank lines before the headers would read as an empty header block.
    let bytes = match bytes.iter().position(|b| !matches!(b, b'\r' | b'\n')) {
        Some(start) if !bytes.starts_with(&OLE_MAGIC) => bytes.get(start..).unwrap_or(bytes),
        _ => bytes,
    };
    let named_msg = file_name.to_lowercase().ends_with(".msg");
    let (format, parsed) = if bytes.starts_with(&OLE_MAGIC) {
        (MailFormat::Msg, read_msg(bytes, 0)?)
    } else {
        if bytes.is_empty() {
            return Err(unreadable("le fichier est vide"));
        }
        if named_msg && !looks_like_rfc822(bytes) {
            return Err(unreadable("ce n'est pas un fichier Outlook valide"));
        }
        (MailFormat::Eml, read_eml(bytes, 0)?)
    };
    if parsed.is_blank() {
        return Err(unreadable("ni expéditeur ni texte"));
    }
    Ok(finish(format, parsed))
}

/// The outer message, or the original it forwards.
fn finish(format: MailFormat, mut outer: Parsed) -> ReceivedEmail {
    let forward_subject = is_forward_subject(&outer.subject);
    let outer_on = outer.date.map(|d| d.to_rfc3339());
    let attached = outer.embedded.iter().position(|(_, inner)| {
        !inner.is_blank()
            && (forward_subject
                || outer.body.trim().is_empty()
                || (!inner.subject.is_empty() && strip_forward_prefixes(&outer.subject) == inner.subject))
    });
    if let Some(i) = attached {
        let (file_index, inner) = outer.embedded.swap_remove(i);
        // The original's files (messages attached inside it stay files), then the forward's
        // own, less the attached original itself.
        let mut attachments = inner.attachments;
        attachments
            .extend(outer.attachments.into_iter().enumerate().filter(|(j, _)| *j != file_index).map(|(_, file)| file));
        let subject = Some(strip_forward_prefixes(&inner.subject))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| strip_forward_prefixes(&outer.subject));
        let date = inner.date.or(outer.date);
        return email(
            format,
            subject,
            date,
            inner.from,
            inner.to,
            inner.body,
            inner.body_from_html,
            Some(Forward { by: outer.from, on: outer_on, how: "attached" }),
            renumber(attachments),
        );
    }
    let attachments = renumber(outer.attachments);
    if let Some(q) = quoted::find(&outer.body, forward_subject) {
        let subject = q.subject.as_deref().map(strip_forward_prefixes).filter(|s| !s.is_empty());
        return email(
            format,
            subject.unwrap_or_else(|| strip_forward_prefixes(&outer.subject)),
            q.date.or(outer.date),
            q.from,
            q.to,
            q.body,
            outer.body_from_html,
            Some(Forward { by: outer.from, on: outer_on, how: "quoted" }),
            attachments,
        );
    }
    email(format, outer.subject, outer.date, outer.from, outer.to, outer.body, outer.body_from_html, None, attachments)
}

#[allow(clippy::too_many_arguments)]
fn email(
    format: MailFormat,
    subject: String,
    date: Option<DateTime<FixedOffset>>,
    from: Mailbox,
    to: Vec<Mailbox>,
    body: String,
    body_from_html: bool,
    forwarded: Option<Forward>,
    attachments: Vec<MailAttachment>,
) -> ReceivedEmail {
    ReceivedEmail {
        format,
        subject,
        sent_at: date.map(|d| d.to_rfc3339()),
        received_on: date.as_ref().map(paris_date),
        from,
        to,
        body,
        body_from_html,
        forwarded,
        attachments,
    }
}

/// Nameless files are numbered in the order they are finally listed.
fn renumber(mut attachments: Vec<MailAttachment>) -> Vec<MailAttachment> {
    for (i, a) in attachments.iter_mut().enumerate() {
        if a.name.trim().is_empty() {
            a.name = fallback_name(i + 1, &a.content_type);
        }
    }
    attachments
}

// ---------------------------------------------------------------------------------------------
// .eml

/// A quick look at the start: header lines « Name: value » before anything else.
fn looks_like_rfc822(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    if head.contains(&0) {
        return false;
    }
    let text = String::from_utf8_lossy(head);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    // mbox files start with « From sender date »; everything else with a header field.
    first.starts_with("From ")
        || first
            .split_once(':')
            .is_some_and(|(name, _)| !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':'))
}

const KNOWN_HEADERS: [&str; 9] =
    ["from", "date", "subject", "to", "message-id", "mime-version", "received", "content-type", "sender"];

fn read_eml(bytes: &[u8], depth: usize) -> crate::Result<Parsed> {
    if !looks_like_rfc822(bytes) {
        return Err(unreadable("aucun en-tête de courriel"));
    }
    // A leading mbox « From » line is not a header.
    let bytes = match bytes.strip_prefix(b"From ") {
        Some(rest) => rest.iter().position(|b| *b == b'\n').and_then(|i| rest.get(i + 1..)).unwrap_or(rest),
        None => bytes,
    };
    let message = MessageParser::default().parse(bytes).ok_or_else(|| unreadable("aucun en-tête de courriel"))?;
    let known = message
        .headers()
        .iter()
        .filter(|h| KNOWN_HEADERS.iter().any(|k| h.name.as_str().eq_ignore_ascii_case(k)))
        .count();
    if known == 0 {
        return Err(unreadable("aucun en-tête de courriel"));
    }
    Ok(parsed_eml(&message, depth))
}

fn all_mailboxes(address: Option<&Address<'_>>) -> Vec<Mailbox> {
    address
        .map(|a| {
            a.iter()
                .map(|a| Mailbox::new(a.name().unwrap_or_default(), a.address().unwrap_or_default()))
                .filter(|m| !m.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The mailboxes of header `name` as mail-parser read them, or as [`split_mailbox_list`]
/// reads the header's own text when that finds more addresses (mail-parser gives no address
/// for `Hélène <"h@x.fr">`, for one).
fn header_mailboxes(headers: &mail_parser::Message<'_>, name: &str, parsed: Option<&Address<'_>>) -> Vec<Mailbox> {
    let parsed = all_mailboxes(parsed);
    let with_address = |list: &[Mailbox]| list.iter().filter(|m| !m.address.is_empty()).count();
    let raw = headers.header_raw(name).map(split_mailbox_list).unwrap_or_default();
    if with_address(&raw) > with_address(&parsed) {
        raw
    } else {
        parsed
    }
}

fn header_mailbox(headers: &mail_parser::Message<'_>, name: &str, parsed: Option<&Address<'_>>) -> Mailbox {
    header_mailboxes(headers, name, parsed).into_iter().next().unwrap_or_default()
}

fn eml_date(message: &mail_parser::Message<'_>) -> Option<DateTime<FixedOffset>> {
    let d = message.date().filter(|d| d.is_valid())?;
    DateTime::parse_from_rfc3339(&d.to_rfc3339()).ok()
}

fn parsed_eml(message: &mail_parser::Message<'_>, depth: usize) -> Parsed {
    let mut from = header_mailbox(message, "From", message.from());
    if from.is_empty() {
        from = header_mailbox(message, "Sender", message.sender());
    }
    // The plain text part(s); mail-parser also lists an HTML-only body among the text bodies
    // (converted its own way): those are converted here instead.
    let text: Vec<String> = message
        .text_bodies()
        .filter(|p| !p.is_text_html())
        .filter_map(|p| p.text_contents().map(normalize_body))
        .filter(|t| !t.is_empty())
        .collect();
    let html: String = message.html_bodies().filter(|p| p.is_text_html()).filter_map(|p| p.text_contents()).collect();
    let (body, body_from_html) = if !text.is_empty() {
        (text.join("\n\n"), false)
    } else if !html.trim().is_empty() {
        (html_to_text(&html), true)
    } else {
        (String::new(), false)
    };
    let bodies = format!("{html}\n{}", text.join("\n"));
    let mut attachments = Vec::new();
    let mut embedded = Vec::new();
    for part in message.attachments() {
        let content_type = part
            .content_type()
            .map(|ct| match ct.subtype() {
                Some(sub) => format!("{}/{}", ct.ctype(), sub),
                None => ct.ctype().to_owned(),
            })
            .map(|ct| ct.trim().to_lowercase())
            .filter(|ct| !ct.is_empty())
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        let name = part.attachment_name().map(|n| n.replace('\0', "").trim().to_owned()).unwrap_or_default();
        if is_inline_image(&content_type, &name, part.content_id(), &bodies) {
            continue;
        }
        let bytes = part.contents().to_vec();
        let file = MailAttachment { name, content_type, size: bytes.len() as u64, bytes };
        let inner = match &part.body {
            PartType::Message(inner) if depth < MAX_DEPTH => Some(parsed_eml(inner, depth + 1)),
            _ => embedded_file(&file, depth),
        };
        if let Some(inner) = inner {
            embedded.push((attachments.len(), inner));
        }
        attachments.push(file);
    }
    Parsed {
        subject: clean_subject(message.subject().unwrap_or_default()),
        date: eml_date(message),
        from,
        to: header_mailboxes(message, "To", message.to()),
        body,
        body_from_html,
        attachments,
        embedded,
    }
}

/// An image shown in the body rather than attached: no file name, or its Content-ID used by
/// the HTML or the text (`cid:`) given in `bodies`.
fn is_inline_image(content_type: &str, name: &str, content_id: Option<&str>, bodies: &str) -> bool {
    if !content_type.starts_with("image/") {
        return false;
    }
    if name.is_empty() {
        return true;
    }
    let cid = content_id.unwrap_or_default().trim().trim_start_matches('<').trim_end_matches('>');
    !cid.is_empty() && bodies.contains(&format!("cid:{cid}"))
}

/// A message attached as a file (« message.msg », « message.eml »), read when it is one.
fn embedded_file(file: &MailAttachment, depth: usize) -> Option<Parsed> {
    if depth >= MAX_DEPTH {
        return None;
    }
    let lower = file.name.to_lowercase();
    let parsed =
        if file.bytes.starts_with(&OLE_MAGIC) && (lower.ends_with(".msg") || file.content_type.contains("outlook")) {
            read_msg(&file.bytes, depth + 1).ok()?
        } else if lower.ends_with(".eml") || file.content_type == "message/rfc822" {
            read_eml(&file.bytes, depth + 1).ok()?
        } else {
            return None;
        };
    (!parsed.is_blank()).then_some(parsed)
}

// ---------------------------------------------------------------------------------------------
// .msg

fn clean(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\0')
}

/// Outlook items that are not messages (contacts, appointments, tasks, notes) are refused.
fn is_message_class(class: &str) -> bool {
    let c = clean(class).to_ascii_uppercase();
    c.is_empty() || c.starts_with("IPM.NOTE") || c.starts_with("IPM.POST") || c == "IPM"
}

fn read_msg(bytes: &[u8], depth: usize) -> crate::Result<Parsed> {
    let outlook = msg_parser::Outlook::from_slice(bytes).map_err(|_| unreadable("fichier Outlook illisible"))?;
    parsed_msg(&outlook, bytes, depth)
}

fn parsed_msg(o: &msg_parser::Outlook, bytes: &[u8], depth: usize) -> crate::Result<Parsed> {
    if !is_message_class(&o.message_class) {
        return Err(crate::Error::refused(format!(
            "Ce fichier Outlook n'est pas un courriel (élément « {} ») : enregistrez le message lui-même \
             depuis la messagerie, au format .eml ou .msg.",
            clean(&o.message_class)
        )));
    }
    // The transport headers, when the message went through SMTP: they name the sender by
    // address (where Outlook may keep an Exchange X.500 name) and keep the sender's own offset.
    let raw_headers = clean(&o.headers.raw);
    let headers_bytes = format!("{raw_headers}\r\n\r\n");
    let headers =
        if raw_headers.is_empty() { None } else { MessageParser::default().parse_headers(headers_bytes.as_bytes()) };

    // Outlook's « De » (sent representing), the sender, msg_parser's reading of it (which
    // resolves X.500 names through the headers), then the transport headers' From.
    let [represented, sender] = super::msg_sender::read(bytes).candidates();
    let header_from = headers.as_ref().map(|h| header_mailbox(h, "From", h.from())).unwrap_or_default();
    let from = super::msg_sender::pick(&[
        represented,
        sender,
        Mailbox::new(clean(&o.sender.name), clean(&o.sender.email)),
        header_from,
    ]);
    let mut to: Vec<Mailbox> =
        o.to.iter().map(|p| Mailbox::new(clean(&p.name), clean(&p.email))).filter(|m| !m.is_empty()).collect();
    if to.is_empty() {
        to = headers.as_ref().map(|h| header_mailboxes(h, "To", h.to())).unwrap_or_default();
    }
    let mut subject = clean_subject(&o.subject);
    if subject.is_empty() {
        // 8-bit (non-Unicode) .msg strings that are not UTF-8 come back empty from
        // msg_parser; the transport headers may still have the subject.
        subject = headers.as_ref().and_then(|h| h.subject()).map(clean_subject).unwrap_or_default();
    }
    let date = headers
        .as_ref()
        .and_then(eml_date)
        .or_else(|| from_iso_utc(&o.client_submit_time))
        .or_else(|| from_iso_utc(&o.message_delivery_time));

    let text = normalize_body(&o.body);
    let html = match msg_html(&o.html) {
        Some(html) => html,
        None => o.html_from_rtf().unwrap_or_default(),
    };
    let (body, body_from_html) = if !text.is_empty() {
        (text, false)
    } else if !clean(&html).is_empty() {
        (html_to_text(&html), true)
    } else {
        (String::new(), false)
    };

    let bodies = format!("{html}\n{body}");
    let mut attachments = Vec::new();
    let mut embedded = Vec::new();
    // Embedded messages copied out of the compound file, made when first needed.
    let mut copies: Option<Vec<Option<Vec<u8>>>> = None;
    let mut embedded_seen = 0usize;
    for a in &o.attachments {
        let name = [&a.long_file_name, &a.display_name, &a.file_name]
            .into_iter()
            .map(|n| clean(n))
            .find(|n| !n.is_empty())
            .unwrap_or_default()
            .to_owned();
        let content_type = match clean(&a.mime_tag).to_lowercase() {
            ct if ct.contains('/') => ct,
            _ if a.is_embedded_message() => "application/vnd.ms-outlook".to_owned(),
            _ => guess_type(&name).to_owned(),
        };
        let cid = clean(&a.content_id);
        if is_inline_image(&content_type, &name, Some(cid), &bodies) {
            continue;
        }
        if a.is_embedded_message() {
            let nth = embedded_seen;
            embedded_seen += 1;
            let copy = if a.payload_bytes.is_empty() {
                copies.get_or_insert_with(|| super::embedded::embedded_messages(bytes)).get(nth).cloned().flatten()
            } else {
                Some(a.payload_bytes.clone())
            };
            let Some(copy) = copy.filter(|_| depth < MAX_DEPTH) else { continue };
            let file_name = if name.to_lowercase().ends_with(".msg") { name } else { format!("{name}.msg") };
            let file = MailAttachment {
                name: file_name,
                content_type: "application/vnd.ms-outlook".to_owned(),
                size: copy.len() as u64,
                bytes: copy,
            };
            if let Ok(inner) = read_msg(&file.bytes, depth + 1) {
                if !inner.is_blank() {
                    embedded.push((attachments.len(), inner));
                }
            }
            attachments.push(file);
            continue;
        }
        let file =
            MailAttachment { name, content_type, size: a.payload_bytes.len() as u64, bytes: a.payload_bytes.clone() };
        if let Some(inner) = embedded_file(&file, depth) {
            embedded.push((attachments.len(), inner));
        }
        attachments.push(file);
    }
    Ok(Parsed { subject, date, from, to, body, body_from_html, attachments, embedded })
}

/// The HTML body of a .msg: msg_parser gives PidTagHtml (binary) as hex; its bytes are UTF-8
/// or, failing that, read as Windows-1252 (the usual Outlook code page in France).
fn msg_html(raw: &str) -> Option<String> {
    let raw = clean(raw);
    if raw.is_empty() {
        return None;
    }
    let is_hex = raw.len().is_multiple_of(2) && raw.bytes().all(|b| b.is_ascii_hexdigit());
    let bytes = if is_hex { hex::decode(raw).ok()? } else { return Some(raw.to_owned()) };
    match String::from_utf8(bytes) {
        Ok(s) => Some(s),
        Err(e) => Some(encoding_rs::WINDOWS_1252.decode(e.as_bytes()).0.into_owned()),
    }
}

/// A MIME type from a file name, for .msg attachments that do not say theirs.
fn guess_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "tif" | "tiff" => "image/tiff",
        "txt" => "text/plain",
        "htm" | "html" => "text/html",
        "eml" => "message/rfc822",
        "msg" => "application/vnd.ms-outlook",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}
