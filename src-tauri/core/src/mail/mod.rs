//! PLACEHOLDER while the mail helper builds the real module (replaced at merge).
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailFormat {
    Eml,
    Msg,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Mailbox {
    pub name: String,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailAttachment {
    pub name: String,
    pub content_type: String,
    pub size: u64,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forward {
    pub by: Mailbox,
    pub on: Option<String>,
    pub how: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceivedEmail {
    pub format: MailFormat,
    pub subject: String,
    pub sent_at: Option<String>,
    pub received_on: Option<chrono::NaiveDate>,
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub body: String,
    pub body_from_html: bool,
    pub forwarded: Option<Forward>,
    pub attachments: Vec<MailAttachment>,
}

pub fn read(_bytes: &[u8], _file_name: &str) -> crate::Result<ReceivedEmail> {
    Err(crate::Error::refused("placeholder"))
}

pub struct Draft<'a> {
    pub from: &'a Mailbox,
    pub to: &'a Mailbox,
    pub subject: &'a str,
    pub body: &'a str,
    pub attachment_name: &'a str,
    pub attachment: &'a [u8],
    pub date: chrono::DateTime<chrono::FixedOffset>,
    pub message_id: &'a str,
}

pub fn write_draft(d: &Draft<'_>) -> Vec<u8> {
    format!(
        "From: {}\r\nTo: {}\r\nSubject: {}\r\nX-Unsent: 1\r\n\r\n{}",
        d.from.address, d.to.address, d.subject, d.body
    )
    .into_bytes()
}
