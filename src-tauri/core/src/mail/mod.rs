//! Emails in and out, as bytes: reading a received `.eml` or Outlook `.msg` into the values a
//! complaint form needs ([`read`]), and writing a draft `.eml` with a letter attached
//! ([`write_draft`]). No database and no files here: the caller stores what it keeps.
//!
//! Formats handled: RFC 5322/MIME messages (`.eml`, any charset mail-parser knows, encoded
//! words, quoted-printable/base64, nested `message/rfc822`) and Outlook `.msg` (OLE compound
//! files, Unicode string properties). A message forwarded by a colleague is read from the
//! original, whether attached or quoted below a « Message transféré » block (module `quoted`).
//!
//! Handled: text or HTML bodies (HTML only ever converted to text, scripts and styles dropped);
//! attachments with RFC 2231 / encoded-word names, inline images (no name, or shown through
//! `cid:`) left out; attached originals as `message/rfc822`, as an `.eml`/`.msg` file, or as a
//! message embedded in a `.msg` (copied out with `cfb`, module `embedded`); an attached message
//! is taken as the original when the subject says « TR: »/« Fwd: », the outer body is empty or
//! the subjects match, otherwise it stays a file; quoted forwards from Outlook (FR/EN),
//! Thunderbird, Gmail, Apple Mail; `.msg` senders known only by an Exchange X.500 name are
//! resolved through the transport headers when they exist; Outlook items that are not
//! messages (contacts, appointments…) are refused; damaged files are refused, never a crash.
//! Addresses in every form (`Name <"a@b.fr">`, `"a@b.fr"`, `[mailto:…]`, encoded words: module
//! `address`), a `.msg` sender named only in its « sent representing » properties (module
//! `msg_sender`); an address and phone in the text found to be proposed (module `contact`);
//! text decoded with the wrong charset detected ([`damaged_text`]).
//!
//! Not handled: 8-bit (non-Unicode) `.msg` strings in a code page other than UTF-8 come back
//! empty from msg_parser (the subject is then taken from the transport headers; the body is
//! lost unless the message has an HTML or RTF-encapsulated HTML body); RTF-only bodies without
//! encapsulated HTML; signed or encrypted messages (S/MIME, PGP: the signature is just a
//! file); TNEF `winmail.dat` (kept as a file); text attachments come back decoded to UTF-8 by
//! mail-parser rather than byte for byte (binary files are exact); mbox files with several
//! messages (the first is read).

mod address;
mod contact;
mod dates;
mod embedded;
mod msg_sender;
mod quoted;
mod read;
mod text;
mod write;

#[cfg(test)]
mod corpus_tests;

use serde::Serialize;

pub use address::{split_mailbox, split_mailbox_list};
pub use contact::{find_contact, FoundContact};
pub use dates::{paris_date, parse_loose_date};
pub use read::read;
pub use write::{write_draft, Draft};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailFormat {
    Eml,
    Msg,
}

/// A person in a message header. `address` is lower-cased and trimmed, and empty when the
/// message gives no usable SMTP address (an Exchange X.500 name, for instance); `name` is the
/// display name with its quotes removed, empty when it only repeats the address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Mailbox {
    pub name: String,
    pub address: String,
}

impl Mailbox {
    /// A mailbox from a raw display name and address, as a reader gives them, cleaned as the
    /// struct documents. Either may hold the whole « name + address » text in any of the forms
    /// [`split_mailbox`] reads (`Hélène <"h@x.fr">` in the name, `"h@x.fr"` as the address…):
    /// the address is the address field's when it has one, else the name's.
    pub fn new(name: &str, address: &str) -> Self {
        let in_address = split_mailbox(address);
        let in_name = split_mailbox(name);
        let (address, address_name) = if in_address.address.is_empty() {
            (in_name.address.clone(), String::new())
        } else {
            (in_address.address, in_address.name)
        };
        // Without an address, the name field's text is the name (an X.500 path in the
        // address field is not a name).
        let mut name = if in_name.name.is_empty() { address_name } else { in_name.name };
        if name.eq_ignore_ascii_case(&address) {
            name.clear();
        }
        Mailbox { name, address }
    }

    /// True when there is neither a name nor an address.
    pub fn is_empty(&self) -> bool {
        self.name.is_empty() && self.address.is_empty()
    }
}

fn looks_like_address(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !s.chars().any(|c| {
                    c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ',' | ';' | ':' | '/')
                })
        }
        None => false,
    }
}

fn clean_address(raw: &str) -> String {
    let a = raw.trim_matches(|c: char| c.is_whitespace() || c == '\0' || c == '<' || c == '>');
    let a = a.strip_prefix("mailto:").or_else(|| a.strip_prefix("MAILTO:")).unwrap_or(a);
    if looks_like_address(a) {
        a.trim().to_lowercase()
    } else {
        String::new()
    }
}

fn clean_name(raw: &str) -> String {
    let mut n = raw.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    loop {
        let stripped =
            ['"', '\''].iter().find_map(|q| n.strip_prefix(*q).and_then(|rest| rest.strip_suffix(*q))).map(str::trim);
        match stripped {
            Some(s) => n = s,
            None => break,
        }
    }
    n.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailAttachment {
    /// As the message names it (decoded); a nameless file is « piece-jointe-N » followed by an
    /// extension guessed from its type when one is known (« piece-jointe-2.pdf »).
    pub name: String,
    /// Lower case, e.g. "application/pdf"; "application/octet-stream" when the message says nothing.
    pub content_type: String,
    pub size: u64,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forward {
    /// The colleague who forwarded.
    pub by: Mailbox,
    /// The forward's own date, RFC 3339, if known.
    pub on: Option<String>,
    /// "attached" (message/rfc822 or embedded msg) | "quoted".
    pub how: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceivedEmail {
    pub format: MailFormat,
    /// Decoded, trimmed, whitespace runs collapsed; forward prefixes (« TR: », « Fwd: »,
    /// « Fw: ») removed when the original is used.
    pub subject: String,
    /// RFC 3339 with offset, of the ORIGINAL message.
    pub sent_at: Option<String>,
    /// `sent_at` as a date in Europe/Paris.
    pub received_on: Option<chrono::NaiveDate>,
    /// The ORIGINAL sender (the complainant).
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    /// The plain-text part, else the HTML part converted to text; LF line ends, trailing
    /// spaces trimmed, at most 2 blank lines in a row.
    pub body: String,
    pub body_from_html: bool,
    pub forwarded: Option<Forward>,
    /// The original's files (and the forward's own files, if any); not the attached original
    /// message itself when it was used as the original; inline images left out.
    pub attachments: Vec<MailAttachment>,
}

/// The first trace of text damaged by a wrong decoding in the message's subject, sender name
/// or text (« Ã© », « â€™ », « � »), as it reads there.
pub fn damaged_text(email: &ReceivedEmail) -> Option<String> {
    [&email.subject, &email.from.name, &email.body].into_iter().find_map(|t| text::mojibake(t))
}

/// The sentence for a file that is not a readable email, with the reason in brackets.
pub(crate) fn unreadable(reason: &str) -> crate::Error {
    crate::Error::refused(format!(
        "Ce fichier n'est pas un courriel lisible ({reason}) : enregistrez-le de nouveau depuis la \
         messagerie, au format .eml ou .msg."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes_are_cleaned() {
        assert_eq!(
            Mailbox::new(" 'Jean Dupont' ", " Jean.Dupont@Exemple.FR "),
            Mailbox { name: "Jean Dupont".into(), address: "jean.dupont@exemple.fr".into() }
        );
        assert_eq!(Mailbox::new("\"a@b.fr\"", "A@B.fr"), Mailbox { name: String::new(), address: "a@b.fr".into() });
        let x500 = Mailbox::new("Kevin Roast", "/O=HOSTED/OU=FIRST/CN=RECIPIENTS/CN=KEVIN");
        assert_eq!(x500, Mailbox { name: "Kevin Roast".into(), address: String::new() });
        assert_eq!(Mailbox::new("mailto:x@y.fr", ""), Mailbox { name: String::new(), address: "x@y.fr".into() });
        assert_eq!(Mailbox::new("a:b@y.fr", "").address, "");
        assert_eq!(Mailbox::new("x@y.fr", ""), Mailbox { name: String::new(), address: "x@y.fr".into() });
        assert_eq!(Mailbox::new("Nom\0", "n@o.fr\0").name, "Nom");
    }

    #[test]
    fn the_refusal_is_french_and_says_what_to_do() {
        let m = unreadable("format inconnu").user_message();
        assert!(m.starts_with("Ce fichier n'est pas un courriel lisible (format inconnu)"), "{m}");
        assert!(m.contains(".eml ou .msg"));
    }
}
