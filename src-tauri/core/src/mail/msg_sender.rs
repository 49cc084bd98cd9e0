//! Who sent an Outlook `.msg`. msg_parser reads only PR_SENDER_NAME and PR_SENDER_SMTP_ADDRESS
//! / PR_SENDER_EMAIL_ADDRESS; Outlook shows as « De » the PR_SENT_REPRESENTING_* properties
//! (the person the message was sent for), and some files name the sender only there, or only
//! in 8-bit strings. Those string properties are read here from the file's root streams with
//! `cfb`, then the first candidate that gives an address is taken ([`pick`]).

use super::Mailbox;
use std::io::{Cursor, Read};

const SENT_REPRESENTING_NAME: u16 = 0x0042;
const SENT_REPRESENTING_EMAIL_ADDRESS: u16 = 0x0065;
const SENT_REPRESENTING_SMTP_ADDRESS: u16 = 0x5D02;
const SENDER_NAME: u16 = 0x0C1A;
const SENDER_EMAIL_ADDRESS: u16 = 0x0C1F;
const SENDER_SMTP_ADDRESS: u16 = 0x5D01;
/// A display name or an address is short: a longer stream is not read.
const MAX_STRING_BYTES: u64 = 4096;

/// The sender string properties of a `.msg`, as found at the root of its compound file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SenderProperties {
    pub represented_name: String,
    pub represented_smtp: String,
    pub represented_email: String,
    pub sender_name: String,
    pub sender_smtp: String,
    pub sender_email: String,
}

impl SenderProperties {
    /// « Sent representing », then « sender », each as one mailbox (the SMTP address before
    /// the other, which may be an Exchange X.500 name).
    pub fn candidates(&self) -> [Mailbox; 2] {
        let mailbox = |name: &str, smtp: &str, email: &str| {
            let by_smtp = Mailbox::new(name, smtp);
            if by_smtp.address.is_empty() {
                Mailbox::new(name, email)
            } else {
                by_smtp
            }
        };
        [
            mailbox(&self.represented_name, &self.represented_smtp, &self.represented_email),
            mailbox(&self.sender_name, &self.sender_smtp, &self.sender_email),
        ]
    }
}

/// The properties read from `bytes` (empty strings where the file has none or is unreadable).
pub(crate) fn read(bytes: &[u8]) -> SenderProperties {
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return SenderProperties::default();
    };
    let mut get = |id: u16| string_property(&mut file, id);
    SenderProperties {
        represented_name: get(SENT_REPRESENTING_NAME),
        represented_smtp: get(SENT_REPRESENTING_SMTP_ADDRESS),
        represented_email: get(SENT_REPRESENTING_EMAIL_ADDRESS),
        sender_name: get(SENDER_NAME),
        sender_smtp: get(SENDER_SMTP_ADDRESS),
        sender_email: get(SENDER_EMAIL_ADDRESS),
    }
}

/// A string property of the root: `…001F` (UTF-16LE) or `…001E` (8-bit: UTF-8, else
/// Windows-1252, the usual code page in France).
fn string_property<F: Read + std::io::Seek>(file: &mut cfb::CompoundFile<F>, id: u16) -> String {
    let mut read = |suffix: &str| -> Option<Vec<u8>> {
        let mut stream = file.open_stream(format!("/__substg1.0_{id:04X}{suffix}")).ok()?;
        if stream.len() > MAX_STRING_BYTES {
            return None;
        }
        let mut out = Vec::new();
        stream.read_to_end(&mut out).ok()?;
        Some(out)
    };
    let text = if let Some(wide) = read("001F") {
        let units: Vec<u16> = wide.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
        String::from_utf16_lossy(&units)
    } else if let Some(narrow) = read("001E") {
        match String::from_utf8(narrow) {
            Ok(s) => s,
            Err(e) => encoding_rs::WINDOWS_1252.decode(e.as_bytes()).0.into_owned(),
        }
    } else {
        String::new()
    };
    text.trim_matches(|c: char| c.is_whitespace() || c == '\0').to_owned()
}

/// The sender among `candidates` (most trusted first): the first that has an address, named
/// by itself or else by the first candidate that has a name; a name alone when none has an
/// address.
pub(crate) fn pick(candidates: &[Mailbox]) -> Mailbox {
    let named = candidates.iter().find(|m| !m.name.is_empty()).map(|m| m.name.clone()).unwrap_or_default();
    match candidates.iter().find(|m| !m.address.is_empty()) {
        Some(m) if m.name.is_empty() => Mailbox::new(&named, &m.address),
        Some(m) => m.clone(),
        None => Mailbox { name: named, address: String::new() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mb(name: &str, address: &str) -> Mailbox {
        Mailbox { name: name.into(), address: address.into() }
    }

    #[test]
    fn the_sender_is_the_first_candidate_with_an_address() {
        let x500 = "/O=EXCHANGE/OU=FIRST/CN=RECIPIENTS/CN=JDUPONT";
        let only_represented = SenderProperties {
            represented_name: "Jean Dupont".into(),
            represented_email: "\"jean.dupont@exemple.fr\"".into(),
            ..SenderProperties::default()
        };
        let [first, second] = only_represented.candidates();
        assert_eq!(first, mb("Jean Dupont", "jean.dupont@exemple.fr"));
        assert!(second.is_empty());
        assert_eq!(pick(&only_represented.candidates()), mb("Jean Dupont", "jean.dupont@exemple.fr"));

        // An Exchange sender: the SMTP property wins over the X.500 one.
        let exchange = SenderProperties {
            sender_name: "Jean Dupont".into(),
            sender_email: x500.into(),
            sender_smtp: "Jean.Dupont@Exemple.fr".into(),
            ..SenderProperties::default()
        };
        assert_eq!(pick(&exchange.candidates()), mb("Jean Dupont", "jean.dupont@exemple.fr"));

        // Named in one place, addressed in another (msg_parser's or the transport headers').
        let named = SenderProperties { represented_name: "Jean Dupont".into(), ..SenderProperties::default() };
        let [a, b] = named.candidates();
        assert_eq!(pick(&[a, b, mb("", "jean.dupont@exemple.fr")]), mb("Jean Dupont", "jean.dupont@exemple.fr"));
        // A whole « Name <address> » in the email property.
        let whole = SenderProperties { sender_email: "Jean Dupont <jean@exemple.fr>".into(), ..Default::default() };
        assert_eq!(pick(&whole.candidates()), mb("Jean Dupont", "jean@exemple.fr"));
        // Nothing but an X.500 name: the name, no address.
        let none = SenderProperties { sender_name: "Kevin".into(), sender_email: x500.into(), ..Default::default() };
        assert_eq!(pick(&none.candidates()), mb("Kevin", ""));
        assert_eq!(pick(&[]), Mailbox::default());
        assert_eq!(read(b"not a compound file"), SenderProperties::default());
    }
}
