//! The core's one error type, and how each failure reads for a secretary.

use crate::model::Step;
use crate::procedure::ActionKind;
use serde::ser::SerializeStruct;
use std::collections::BTreeMap;

/// Messages for refused fields, keyed by the form field they belong to
/// (`"complainant.name"`, `"received_on"`, …).
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more fields were refused; nothing was written.
    #[error("{} champ(s) à corriger", fields.len())]
    Validation { fields: FieldErrors },
    /// The procedure does not allow `action` at `step`; `reason` says why when the step alone
    /// does not forbid it.
    #[error("action {} refusée à l'étape {}", action.code(), step.code())]
    ActionNotAllowed { step: Step, action: ActionKind, reason: Option<&'static str> },
    /// The procedure obliges letters to be sent before `action`: `missing` names each one not
    /// sent (« Le courrier de décision au qualifié n'a pas été envoyé. »).
    #[error("action {} refusée : {} courrier(s) non envoyé(s)", action.code(), missing.len())]
    ObligationsUnmet { action: ActionKind, missing: Vec<String> },
    #[error("introuvable : {what} n° {id}")]
    NotFound { what: &'static str, id: i64 },
    /// The file on disk was written by a newer version of the app.
    #[error("schéma de données trop récent (version {found}, cette application connaît la version {known})")]
    SchemaTooNew { found: i64, known: i64 },
    /// A letter, report or print could not be laid out or written as PDF (font, logo, PDF).
    #[error("PDF : {0}")]
    Pdf(#[from] crate::letters::pdf::PdfError),
    /// A backup could not be made; the sentence says what happened and what to do.
    #[error("sauvegarde : {0}")]
    Backup(String),
    /// A backup was refused or could not be put in place; the current data is kept.
    #[error("restauration : {0}")]
    Restore(String),
    /// An export (statistics, a firm's or a complaint's file) could not be produced.
    #[error("export : {0}")]
    Export(String),
    #[error("base de données : {0}")]
    Database(#[from] rusqlite::Error),
    #[error("fichier : {}", crate::french::io_reason(.0))]
    Io(#[from] std::io::Error),
    /// A stored value (a code, a date) that this version cannot read: the row is named, never
    /// read as a default.
    #[error("ligne {id} de {table} illisible : « {value} »")]
    CorruptRow { table: &'static str, id: i64, value: String },
    /// The system could not show a file in its viewer; the file itself is fine.
    #[error("visionneuse : {path} ({reason})")]
    Viewer { path: String, reason: String },
    /// A request that cannot be carried out as it stands, for a reason that is not one field's
    /// (nothing to print today, a folder that already exists…); the message says what to do.
    #[error("{message}")]
    Refused { message: String },
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A validation error about a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.to_owned(), message.into());
        Error::Validation { fields }
    }

    /// A refusal whose French message says it all (see [`Error::Refused`]).
    pub fn refused(message: impl Into<String>) -> Self {
        Error::Refused { message: message.into() }
    }

    /// A stable machine name for the UI (`{ kind, message }`).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "validation",
            Error::ActionNotAllowed { .. } => "action_not_allowed",
            Error::ObligationsUnmet { .. } => "obligations_unmet",
            Error::NotFound { .. } => "not_found",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::Pdf(crate::letters::pdf::PdfError::Font(_)) => "font",
            Error::Pdf(_) => "pdf",
            Error::Backup(_) => "backup",
            Error::Restore(_) => "restore",
            Error::Export(_) => "export",
            Error::Database(_) => "database",
            Error::Io(_) => "io",
            Error::CorruptRow { .. } => "corrupt_row",
            Error::Viewer { .. } => "viewer",
            Error::Refused { .. } => "refused",
        }
    }

    /// What the secretary reads: French, and saying what to do.
    pub fn user_message(&self) -> String {
        match self {
            Error::Validation { fields } => {
                let n = fields.len();
                if n == 1 {
                    "La saisie n'a pas été enregistrée : un champ est à corriger.".to_owned()
                } else {
                    format!("La saisie n'a pas été enregistrée : {n} champs sont à corriger.")
                }
            }
            Error::ActionNotAllowed { step, action, reason } => {
                let base = format!("L'action « {} » n'est pas possible à l'étape « {} »", action.label(), step.label());
                match reason {
                    Some(why) => format!("{base} : {why}."),
                    None => format!("{base}."),
                }
            }
            Error::ObligationsUnmet { action, missing } => {
                format!("« {} » n'est pas encore possible. {}", action.label(), missing.join(" "))
            }
            Error::NotFound { what, id } => {
                format!("{what} n° {id} est introuvable : elle a peut-être été supprimée. Revenez à la liste.")
            }
            Error::SchemaTooNew { found, known } => format!(
                "Ces données ont été enregistrées par une version plus récente de Réclamations \
                 (schéma {found}, cette version connaît le schéma {known}). Installez la dernière version."
            ),
            Error::Pdf(crate::letters::pdf::PdfError::Font(why)) => {
                format!("La police des courriers est illisible ({why}) : réinstallez l'application.")
            }
            Error::Pdf(crate::letters::pdf::PdfError::Logo(why)) => format!(
                "Le logo des courriers est illisible ({why}) : choisissez une autre image dans Paramètres, puis réessayez."
            ),
            Error::Pdf(crate::letters::pdf::PdfError::Pdf(why)) => format!(
                "Le PDF n'a pas pu être produit ({why}). Réessayez ; si l'erreur persiste, contactez le support."
            ),
            Error::Backup(sentence) | Error::Restore(sentence) | Error::Export(sentence) => sentence.clone(),
            Error::Database(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) => {
                "Le disque est plein : libérez de la place (ou déplacez le dossier de données), puis réessayez. \
                 Rien n'a été modifié et votre saisie est conservée."
                    .to_owned()
            }
            Error::Database(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) => {
                "Le dossier de données est en lecture seule : vérifiez le disque ou les droits du dossier, puis \
                 réessayez. Rien n'a été modifié et votre saisie est conservée."
                    .to_owned()
            }
            Error::Database(e) => format!(
                "La base de données a refusé l'opération ({e}). Rien n'a été modifié et votre saisie est conservée : \
                 réessayez, et si l'erreur persiste, faites une sauvegarde et contactez le support."
            ),
            Error::Io(e) => format!(
                "Un fichier n'a pas pu être lu ou écrit ({}). Vérifiez que le dossier de données est accessible \
                 et que le disque n'est pas plein, puis réessayez.",
                crate::french::io_reason(e)
            ),
            Error::CorruptRow { table, id, value } => format!(
                "Une donnée enregistrée est illisible (table « {table} », ligne n° {id} : « {value} »). Si ces \
                 données viennent d'une version plus récente de Réclamations, installez-la ; sinon restaurez la \
                 dernière sauvegarde (Paramètres) et contactez le support."
            ),
            Error::Viewer { path, reason } => {
                format!("Le fichier {path} n'a pas pu être ouvert ({reason}) : ouvrez-le depuis le dossier.")
            }
            Error::Refused { message } => message.clone(),
        }
    }
}

/// The UI receives `{ kind, message, fields? }`.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let fields = match self {
            Error::Validation { fields } => Some(fields),
            _ => None,
        };
        let mut s = serializer.serialize_struct("Error", if fields.is_some() { 3 } else { 2 })?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.user_message())?;
        if let Some(fields) = fields {
            s.serialize_field("fields", fields)?;
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_error_serialises_with_its_fields() -> std::result::Result<(), serde_json::Error> {
        let e = Error::field("facts", "Décrivez les faits.");
        let v = serde_json::to_value(&e)?;
        assert_eq!(v["kind"], "validation");
        assert_eq!(v["fields"]["facts"], "Décrivez les faits.");
        assert!(v["message"].as_str().is_some_and(|m| m.contains("un champ")));
        Ok(())
    }

    #[test]
    fn failures_that_are_not_fields_say_what_happened() -> std::result::Result<(), serde_json::Error> {
        use crate::letters::pdf::PdfError;
        let font = serde_json::to_value(Error::from(PdfError::Font("glyphes".into())))?;
        assert_eq!(font["kind"], "font");
        assert!(font["message"].as_str().is_some_and(|m| m.contains("police") && !m.contains("champ")));
        assert!(font.get("fields").is_none());
        let restore = serde_json::to_value(Error::Restore("La sauvegarde est tronquée.".into()))?;
        assert_eq!(
            (restore["kind"].as_str(), restore["message"].as_str()),
            (Some("restore"), Some("La sauvegarde est tronquée."))
        );
        let io = Error::from(std::io::Error::from_raw_os_error(2)).user_message();
        assert!(io.contains("fichier ou dossier introuvable") && !io.contains("os error"), "{io}");
        Ok(())
    }

    #[test]
    fn a_viewer_failure_is_not_a_field_error() -> std::result::Result<(), serde_json::Error> {
        let e = Error::Viewer { path: "/tmp/a.pdf".into(), reason: "pas de visionneuse".into() };
        let v = serde_json::to_value(&e)?;
        assert_eq!(v["kind"], "viewer");
        assert!(v.get("fields").is_none());
        assert!(v["message"].as_str().is_some_and(|m| m.contains("/tmp/a.pdf") && m.contains("depuis le dossier")));
        Ok(())
    }

    #[test]
    fn a_refusal_shows_its_own_message() -> std::result::Result<(), serde_json::Error> {
        let v = serde_json::to_value(Error::refused("Rien à exporter."))?;
        assert_eq!(v["kind"], "refused");
        assert_eq!(v["message"], "Rien à exporter.");
        assert!(v.get("fields").is_none());
        Ok(())
    }
}
