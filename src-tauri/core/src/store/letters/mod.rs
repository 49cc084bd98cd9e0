//! Letters of a complaint, one module per job: the templates table and the preview of unsaved
//! wording (`templates`); what a letter quotes from the register (`facts`) and how a template
//! becomes a letter document with it (`compose`); the outgoing
//! letters, generated, marked sent, their AR returned, and the reply to an oral contact
//! (`outgoing`); which letters a complaint calls for now (`offered`); the day's mail
//! (`day_mail`). The files they become are rows of [`super::documents`].

mod compose;
mod day_mail;
mod email;
mod facts;
mod letterhead;
mod offered;
mod outgoing;
mod templates;

pub use day_mail::day_mail;
pub use email::{
    cover as email_cover, email_recipients, prepare as prepare_email, save_cover as save_email_cover, EmailCover,
    Prepared, COVER_FIELDS,
};
pub(crate) use letterhead::{letterhead, LOGO_PNG};
pub use offered::offered;
pub use outgoing::{
    compose, generate, generate_chosen, generate_declaration_form, how_to_complain, mark_sent, merged_text,
    preview_letter, record_ar_returned, Adapted, ContactForm, Generated, LetterChoice, Preview, Replaced, SentForm,
};
pub use templates::{list_templates, preview, restore_default, save_template, template, Template};

/// A complaint taken through the procedure, for the letters' tests.
#[cfg(test)]
pub(crate) mod tests {
    use crate::error::Result;
    use crate::letters::kinds::LetterKind;
    use crate::procedure::ActionKind;
    use crate::store::complaints::{self, tests::sample_complaint};
    use crate::store::workflow::{perform, ActionForm};
    use crate::test_support::{form, send_letter};
    use chrono::NaiveDate;
    use rusqlite::Connection;

    pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn act(conn: &mut Connection, id: i64, action: &str, date: &str, choice: &str, text: &str) -> Result<()> {
        let form = ActionForm {
            action: action.into(),
            date: date.into(),
            choice: choice.into(),
            text: text.into(),
            ..ActionForm::default()
        };
        perform(conn, id, "Sophie Martin", &form, day(2026, 4, 30)).map(|_| ())
    }

    /// A complete complaint received 02/03/2026, taken to a warning decision.
    pub(crate) fn decided(conn: &mut Connection) -> Result<i64> {
        let mut intake = sample_complaint();
        intake.received_on = "02/03/2026".into();
        let id = complaints::register(conn, &intake, day(2026, 3, 2), "S")?.id;
        act(conn, id, "acknowledge", "02/03/2026", "", "")?;
        act(conn, id, "transmit", "03/03/2026", "qualification", "")?;
        // The firm is informed when its letter is marked sent.
        send_letter(conn, id, LetterKind::FirmNotification, "04/03/2026")?;
        act(conn, id, "request_information", "05/03/2026", "", "Copie du contrat de maîtrise d'œuvre.")?;
        let bernard = crate::test_support::cleared_intervenant(conn, id, "investigator", "Paul Bernard")?;
        let pass = ActionForm { intervenant: bernard, ..ActionForm::of(ActionKind::PassToInvestigator, "06/03/2026") };
        perform(conn, id, "Sophie Martin", &pass, day(2026, 4, 30))?;
        let reasons = "Métré erroné de 30 %, reconnu par le cabinet.";
        let decide = form(
            ActionKind::Decide,
            "20/04/2026",
            &[
                ("choice", "warning"),
                ("by", "qualification_manager"),
                ("text", reasons),
                ("firm_text", reasons),
                ("waiver", "Faute reconnue par le cabinet : l'analyse de l'instructeur n'est plus nécessaire."),
            ],
        );
        perform(conn, id, "Sophie Martin", &decide, day(2026, 4, 30))?;
        Ok(id)
    }
}
