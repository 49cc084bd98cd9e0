//! The core's one error type, and how each failure reads for a secretary.

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
    /// The procedure does not allow this action now; the message names the step and action.
    #[error("{message}")]
    ActionNotAllowed { message: String },
    #[error("introuvable : {what} n° {id}")]
    NotFound { what: &'static str, id: i64 },
    /// The file on disk was written by a newer version of the app.
    #[error("schéma de données trop récent (version {found}, cette application connaît la version {known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("base de données : {0}")]
    Database(#[from] rusqlite::Error),
    #[error("fichier : {0}")]
    Io(#[from] std::io::Error),
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
            Error::NotFound { .. } => "not_found",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::Database(_) => "database",
            Error::Io(_) => "io",
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
            Error::ActionNotAllowed { message } => message.clone(),
            Error::NotFound { what, id } => {
                format!("{what} n° {id} est introuvable : elle a peut-être été supprimée. Revenez à la liste.")
            }
            Error::SchemaTooNew { found, known } => format!(
                "Ces données ont été enregistrées par une version plus récente de Réclamations \
                 (schéma {found}, cette version connaît le schéma {known}). Installez la dernière version."
            ),
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
                "Un fichier n'a pas pu être lu ou écrit ({e}). Vérifiez que le dossier de données est accessible \
                 et que le disque n'est pas plein, puis réessayez."
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
