//! The complaint page as one read model: the complaint with its workflow (obligations derived
//! once), and its letters card (what is offered, the documents, the email addresses). The page
//! reads it once, and an action answers with it, so the UI never reads the complaint twice.

use crate::error::Result;
use crate::store::complaints::{self, ComplaintDetail};
use crate::store::documents::{self, DocumentView};
use crate::store::letters;
use crate::store::workflow::{self, ActionForm};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// A letter the file calls for now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offered {
    pub code: &'static str,
    pub label: &'static str,
    pub recipient_label: &'static str,
}

/// What the complaint page shows in « Courriers ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LettersView {
    pub offered: Vec<Offered>,
    pub documents: Vec<DocumentView>,
    /// For each unsent letter whose recipient has an email address: that address.
    pub email_recipients: BTreeMap<i64, String>,
}

/// Everything the complaint page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintPage {
    pub complaint: ComplaintDetail,
    pub letters: LettersView,
}

/// The page of complaint `id` on `today`.
pub fn read(conn: &Connection, id: i64, today: NaiveDate) -> Result<ComplaintPage> {
    let complaint = complaints::get(conn, id, today)?;
    let offered = letters::offered(conn, &complaint)?
        .into_iter()
        .map(|k| Offered { code: k.code(), label: k.label(), recipient_label: k.recipient().label() })
        .collect();
    let letters = LettersView {
        offered,
        documents: documents::documents(conn, id)?,
        email_recipients: letters::email_recipients(conn, id)?,
    };
    Ok(ComplaintPage { complaint, letters })
}

/// Performs an action ([`workflow::perform`]) and answers with the page as it now is.
pub fn perform(
    conn: &mut Connection,
    id: i64,
    author: &str,
    form: &ActionForm,
    today: NaiveDate,
) -> Result<ComplaintPage> {
    workflow::perform(conn, id, author, form, today)?;
    read(conn, id, today)
}
