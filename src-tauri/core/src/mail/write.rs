//! Writing a draft `.eml` that a mail client opens ready to send.

use super::Mailbox;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::MessageBuilder;

/// What goes into a draft: one plain-text body and one PDF.
pub struct Draft<'a> {
    pub from: &'a Mailbox,
    pub to: &'a Mailbox,
    pub subject: &'a str,
    /// Plain text, UTF-8.
    pub body: &'a str,
    /// E.g. "REC-2026-0001_accuse-de-reception.pdf".
    pub attachment_name: &'a str,
    /// application/pdf.
    pub attachment: &'a [u8],
    pub date: chrono::DateTime<chrono::FixedOffset>,
    /// E.g. "rec-2026-0001-12@reclamations.opqtecc.local" (caller-chosen, without <>).
    pub message_id: &'a str,
}

/// A header value on one line: control characters (CR, LF, tabs…) become spaces, so that
/// no value can start a header of its own.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn address(m: &Mailbox) -> mail_builder::headers::address::Address<'static> {
    let name = one_line(&m.name);
    let address: String = one_line(&m.address).replace(' ', "");
    if name.is_empty() {
        address.into()
    } else {
        (name, address).into()
    }
}

/// A draft .eml: UTF-8 (subject/names as encoded words where needed), `X-Unsent: 1`,
/// multipart/mixed with the text and the PDF (base64), CRLF line endings.
pub fn write_draft(d: &Draft<'_>) -> Vec<u8> {
    let body = d.body.replace("\r\n", "\n").replace('\r', "\n").replace('\n', "\r\n");
    let message_id = one_line(d.message_id).replace(' ', "");
    let message_id = message_id.trim_start_matches('<').trim_end_matches('>').to_owned();
    let builder = MessageBuilder::new()
        .from(address(d.from))
        .to(address(d.to))
        .subject(Text::new(one_line(d.subject)))
        .header("Date", Raw::new(d.date.to_rfc2822()))
        .message_id(message_id)
        .header("X-Unsent", Raw::new("1"))
        .text_body(body)
        .attachment("application/pdf", one_line(d.attachment_name), d.attachment);
    // Writing into a Vec cannot fail (no I/O); an empty result would be refused by the caller
    // reading it back.
    builder.write_to_vec().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::{MessageParser, MimeHeaders};
    use sha2::{Digest, Sha256};

    fn pdf() -> Vec<u8> {
        let mut v = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        v.extend((0..=255u8).cycle().take(3000));
        v.extend_from_slice(b"\n%%EOF\n");
        v
    }

    #[test]
    fn a_draft_reads_back_with_its_headers_text_and_pdf() {
        let from = Mailbox { name: "OPQTECC — Secrétariat".into(), address: "secretariat@opqtecc.fr".into() };
        let to = Mailbox { name: "Hélène Lefèvre".into(), address: "helene.lefevre@exemple.fr".into() };
        let attachment = pdf();
        let date = chrono::DateTime::parse_from_rfc3339("2026-11-02T10:15:00+01:00").unwrap_or_default();
        let bytes = write_draft(&Draft {
            from: &from,
            to: &to,
            subject: "REC-2026-0001 — Accusé de réception de votre réclamation",
            body: "Madame,\n\nVeuillez trouver ci-joint l'accusé de réception.\n\nLe secrétariat",
            attachment_name: "REC-2026-0001_accuse-de-reception.pdf",
            attachment: &attachment,
            date,
            message_id: "rec-2026-0001-12@reclamations.opqtecc.local",
        });
        let text = String::from_utf8_lossy(&bytes);
        // CRLF everywhere, plain ASCII on the wire, the draft flag for Outlook.
        assert!(!text.replace("\r\n", "").contains('\n'), "bare LF in {text}");
        assert!(bytes.is_ascii());
        assert!(text.contains("\r\nX-Unsent: 1\r\n"), "{text}");
        assert!(text.contains("multipart/mixed"));

        let Some(m) = MessageParser::default().parse(&bytes) else { panic!("unreadable draft") };
        assert_eq!(m.subject(), Some("REC-2026-0001 — Accusé de réception de votre réclamation"));
        let f = m.from().and_then(|a| a.first());
        assert_eq!(f.and_then(|a| a.name()), Some("OPQTECC — Secrétariat"));
        assert_eq!(f.and_then(|a| a.address()), Some("secretariat@opqtecc.fr"));
        let t = m.to().and_then(|a| a.first());
        assert_eq!(
            (t.and_then(|a| a.name()), t.and_then(|a| a.address())),
            (Some("Hélène Lefèvre"), Some("helene.lefevre@exemple.fr"))
        );
        assert_eq!(m.header_raw("X-Unsent").map(str::trim), Some("1"));
        assert_eq!(m.message_id(), Some("rec-2026-0001-12@reclamations.opqtecc.local"));
        assert_eq!(m.date().map(|d| d.to_rfc3339()).as_deref(), Some("2026-11-02T10:15:00+01:00"));
        let body = m.body_text(0).map(|b| b.replace("\r\n", "\n"));
        assert_eq!(
            body.as_deref().map(str::trim_end),
            Some("Madame,\n\nVeuillez trouver ci-joint l'accusé de réception.\n\nLe secrétariat")
        );
        assert_eq!(m.attachment_count(), 1);
        let Some(a) = m.attachment(0) else { panic!("no attachment") };
        assert_eq!(a.attachment_name(), Some("REC-2026-0001_accuse-de-reception.pdf"));
        assert!(a.is_content_type("application", "pdf"));
        assert_eq!(a.content_transfer_encoding(), Some("base64"));
        assert_eq!(Sha256::digest(a.contents()), Sha256::digest(&attachment));
        // And our own reader takes it as a message from the secretariat.
        let read = super::super::read(&bytes, "brouillon.eml").map(|r| (r.from.address, r.attachments.len()));
        assert_eq!(read.ok(), Some(("secretariat@opqtecc.fr".to_owned(), 1)));
    }

    #[test]
    fn header_values_cannot_add_headers() {
        let from = Mailbox { name: "Secr\r\nBcc: espion@x.fr".into(), address: "a@b.fr".into() };
        let to = Mailbox { name: String::new(), address: "c@d.fr\r\nBcc: espion@x.fr".into() };
        let bytes = write_draft(&Draft {
            from: &from,
            to: &to,
            subject: "Objet\r\nBcc: espion@x.fr",
            body: "x",
            attachment_name: "a.pdf\r\nX-Evil: 1",
            attachment: b"%PDF-1.4\n%%EOF",
            date: chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap_or_default(),
            message_id: "x@y\r\nBcc: espion@x.fr",
        });
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("\r\nBcc:") && !text.contains("\r\nX-Evil"), "{text}");
        let Some(msg) = MessageParser::default().parse(&bytes) else { panic!("unreadable") };
        assert_eq!(msg.bcc(), None);
        assert_eq!(msg.subject(), Some("Objet Bcc: espion@x.fr"));
    }

    #[test]
    fn a_name_with_accents_in_the_attachment_survives() {
        let m = Mailbox { name: String::new(), address: "a@b.fr".into() };
        let bytes = write_draft(&Draft {
            from: &m,
            to: &m,
            subject: "Plain",
            body: "x",
            attachment_name: "décision été.pdf",
            attachment: b"%PDF-1.4\n%%EOF",
            date: chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap_or_default(),
            message_id: "<x@y>",
        });
        let Some(msg) = MessageParser::default().parse(&bytes) else { panic!("unreadable") };
        assert_eq!(msg.attachment(0).and_then(|a| a.attachment_name()), Some("décision été.pdf"));
        assert_eq!(msg.message_id(), Some("x@y"));
        assert_eq!(msg.from().and_then(|a| a.first()).and_then(|a| a.name()), None);
    }
}
