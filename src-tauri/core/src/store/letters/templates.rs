//! The templates table: the wording of each letter kind, versioned (the latest version is in
//! force, and every letter records the version it used), and the preview of unsaved wording.
//!
//! When the app's default wording changes, a kind whose version in force is a default never
//! edited (`is_default = 1`) moves to the new default as a new version, the first time it is
//! read; an edited version stays, checked with the engine: one that no longer checks (unknown
//! field, syntax) is « à revoir » ([`Template::review`]) and its letters are refused with the
//! reason until it is corrected in Paramètres.

use super::compose::{assemble, build_doc, merge_values, without_recording};
use super::facts::{facts, signatory, Facts};
use crate::error::{Error, FieldErrors, Result};
use crate::french::format_fr_long;
use crate::letters::kinds::LetterKind;
use crate::letters::merge::{MergeValues, FIELDS};
use crate::letters::pdf::{self, Fonts};
use crate::letters::{defaults, templates};
use crate::procedure::Manager;
use crate::store::settings;
use crate::store::{complaints, now_timestamp};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A template as stored: the latest version of a kind is the one in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    pub kind: LetterKind,
    pub kind_label: &'static str,
    pub recipient_label: &'static str,
    pub version: i64,
    pub subject: String,
    pub body: String,
    pub is_default: bool,
    pub created_at: String,
    pub author: String,
    /// Why this version must be reviewed before letters can use it (it no longer checks with
    /// the template engine); `None` when it is fine.
    pub review: Option<String>,
}

fn insert_template(
    conn: &Connection,
    kind: LetterKind,
    subject: &str,
    body: &str,
    is_default: bool,
    author: &str,
) -> Result<i64> {
    let version: i64 = conn.query_row(
        "SELECT coalesce(max(version), 0) + 1 FROM letter_templates WHERE kind = ?1",
        params![kind.code()],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO letter_templates (kind, version, subject, body, is_default, created_at, author)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![kind.code(), version, subject, body, is_default, now_timestamp(), author],
    )?;
    Ok(version)
}

/// Who the automatic move to a new default wording is recorded as.
const UPGRADE_AUTHOR: &str = "mise à jour de l'application";

/// The template in force for `kind`; OPQTECC's default becomes version 1 on first use, and a
/// default never edited moves to the current default wording as a new version.
pub fn template(conn: &Connection, kind: LetterKind) -> Result<Template> {
    let row = conn
        .query_row(
            "SELECT version, subject, body, is_default, created_at, author FROM letter_templates
             WHERE kind = ?1 ORDER BY version DESC LIMIT 1",
            params![kind.code()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let (version, subject, body, is_default, created_at, author): (i64, String, String, bool, String, String) =
        match row {
            Some(row) => row,
            None => {
                let (subject, body) = defaults::default_template(kind);
                insert_template(conn, kind, &subject, &body, true, "")?;
                return template(conn, kind);
            }
        };
    let (default_subject, default_body) = defaults::default_template(kind);
    if is_default && (subject != default_subject || body != default_body) {
        insert_template(conn, kind, &default_subject, &default_body, true, UPGRADE_AUTHOR)?;
        return template(conn, kind);
    }
    let review = templates::check(&subject, &body).err().map(|e| e.message());
    Ok(Template {
        kind,
        kind_label: kind.label(),
        recipient_label: kind.recipient().label(),
        version,
        subject,
        body,
        is_default,
        created_at,
        author,
        review,
    })
}

pub fn list_templates(conn: &Connection) -> Result<Vec<Template>> {
    LetterKind::ALL.iter().map(|k| template(conn, *k)).collect()
}

/// Saves a new version of a kind's wording, after checking its merge fields.
pub fn save_template(conn: &Connection, kind: LetterKind, subject: &str, body: &str, author: &str) -> Result<i64> {
    let mut errors = FieldErrors::new();
    if subject.trim().is_empty() {
        errors.insert("subject".into(), "Indiquez l'objet du courrier.".into());
    }
    if body.trim().is_empty() {
        errors.insert("body".into(), "Le texte du courrier est vide.".into());
    }
    if let Err(e) = templates::check(subject, "") {
        errors.insert("subject".into(), e.message());
    }
    if let Err(e) = templates::check("", body) {
        errors.insert("body".into(), e.message());
    }
    if !errors.is_empty() {
        return Err(Error::Validation { fields: errors });
    }
    insert_template(conn, kind, subject.trim(), body.trim(), false, author)
}

/// « Restaurer le texte d'origine »: a new version with OPQTECC's default wording.
pub fn restore_default(conn: &Connection, kind: LetterKind, author: &str) -> Result<i64> {
    let (subject, body) = defaults::default_template(kind);
    insert_template(conn, kind, &subject, &body, true, author)
}

/// « Prévisualiser » in Paramètres: unsaved wording as a PDF, merged with the data of the
/// complaint `reference` when one is given, else with an example where every field has a
/// value. Nothing is written (the day's digest a letter quotes is computed in a transaction
/// rolled back). A refusal is keyed `preview` and says which field, for which file.
pub fn preview(
    conn: &Connection,
    fonts: &Fonts,
    kind: LetterKind,
    subject: &str,
    body: &str,
    reference: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<u8>> {
    let title = format!("Aperçu – {}", kind.label());
    let doc = match reference.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reference) => {
            let id: i64 = conn
                .query_row("SELECT id FROM complaints WHERE reference = ?1", params![reference], |r| r.get(0))
                .optional()?
                .ok_or_else(|| {
                    Error::field(
                        "preview",
                        format!("Aucune réclamation n'a la référence « {reference} » : laissez le champ vide pour un exemple."),
                    )
                })?;
            let c = complaints::get(conn, id, today)?;
            without_recording(conn, |tx| {
                facts(tx, &c, kind, today).and_then(|f| build_doc(tx, &f, subject, body, None, today, &title))
            })
            .map_err(|e| for_preview(e, &format!("Pour {reference} : ")))?
        }
        None => example(conn, kind, subject, body, today, &title)?,
    };
    Ok(pdf::render(&doc, fonts)?)
}

/// A refusal of the preview, keyed `preview` with what it says (the field's own message, not
/// « un champ est à corriger »), after `prefix`.
fn for_preview(e: Error, prefix: &str) -> Error {
    match e {
        Error::Validation { fields } => {
            Error::field("preview", format!("{prefix}{}", fields.into_values().collect::<Vec<_>>().join(" ")))
        }
        Error::Refused { message } => Error::field("preview", format!("{prefix}{message}")),
        e => e,
    }
}

/// The wording merged with an example value for every field, addressed to an example person.
fn example(
    conn: &Connection,
    kind: LetterKind,
    subject: &str,
    body: &str,
    today: NaiveDate,
    title: &str,
) -> Result<crate::letters::pdf::LetterDoc> {
    let org = settings::organisation(conn)?;
    let (signatory_name, signatory_title) = signatory(&org, kind.signatory(), Some(Manager::Qualification));
    let values = FIELDS
        .iter()
        .map(|(name, _)| {
            let value = match *name {
                "organisation" => org.name.clone(),
                "adresse_organisation" => org.one_line_address(),
                "courriel_organisation" => org.email.clone(),
                "signataire" => signatory_name.clone(),
                "titre_signataire" => signatory_title.clone(),
                "date_lettre" => format_fr_long(today),
                other => example_value(other),
            };
            (name.to_string(), value)
        })
        .collect();
    let (subject, body) = merge_values(&values, subject, body).map_err(|e| for_preview(e, ""))?;
    let facts = Facts {
        values: MergeValues::default(),
        recipient: vec!["Madame Claire Exemple".into(), "12 rue des Exemples".into(), "75001 PARIS".into()],
        reference: "REC-2026-0042 (exemple)".into(),
        signatory_name,
        signatory_title,
        register_digest: String::new(),
    };
    assemble(conn, &facts, &subject, &body, None, today, title)
}

/// An example value for a merge field, as a file would give it.
fn example_value(name: &str) -> String {
    let value = match name {
        "reference" => "REC-2026-0042",
        "appel" => "Madame",
        // The example is addressed to a Madame, and so is its expert.
        "e" | "e_expert" => "e",
        "plaignant" | "destinataire" => "Madame Claire Exemple",
        "qualifie" => "Cabinet Exemple Économie",
        "numero_qualifie" => "Q00042",
        "natures" => "prestations réalisées",
        "canal_courriel" => "courriel",
        "responsable" => "Responsable des Qualifications",
        "decideur" => "le Responsable des Qualifications",
        "decision" => "Avertissement",
        "decision_commission" => "suspension",
        "role_destinataire" => "instructeur",
        "instructeur" => "Monsieur Paul Instructeur",
        "expert" => "Madame Anne Experte",
        "duree_conservation" => "5 ans",
        "faits" => "Le métré remis le 3 février 2026 omettait le lot menuiseries.",
        "actions_menees" => "Courrier au cabinet le 10 février 2026, resté sans réponse.",
        "motif" => "La réclamation porte sur un différend d'honoraires, hors du champ de la procédure.",
        "informations_demandees" => "Copie du contrat de mission signé.",
        "motifs" | "motifs_commission" => "Le métré comportait une erreur de 30 %, reconnue par le cabinet.",
        "mission_expert" => "Examiner le métré et dire s'il est conforme aux règles de l'art.",
        "justification" => "L'expert a demandé un délai pour visiter le chantier.",
        "voies_de_recours" => "Cette décision peut être contestée devant le tribunal administratif.",
        "qualifications" => "(2.1 Économie de la construction)",
        "qualifications_concernees" => "2.1 Économie de la construction",
        "elements_manquants" | "pieces_jointes" | "decisions_par_qualification" => {
            "- premier élément d'exemple ;\n- second élément d'exemple."
        }
        n if n.starts_with("date_")
            || n.starts_with("echeance")
            || n == "nouvelle_echeance"
            || n == "reponse_qualifie" =>
        {
            "12 mars 2026"
        }
        n if n.starts_with("delai_") => "1 mois",
        n => return format!("[{n}]"),
    };
    value.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::letters::tests::{day, decided};
    use crate::test_support::{flat, fonts, pdftotext};

    #[test]
    fn a_preview_uses_the_complaint_named() -> Result<()> {
        let mut conn = open_in_memory()?;
        let kind = LetterKind::Acknowledgement;
        let none = preview(
            &conn,
            fonts(),
            kind,
            "Objet {{reference}}",
            "{{appel}},\n\nTexte.",
            Some("REC-2026-0001"),
            day(2026, 4, 30),
        );
        assert!(
            matches!(&none, Err(Error::Validation { fields }) if fields["preview"].contains("Aucune réclamation n'a la référence « REC-2026-0001 »")),
            "{none:?}"
        );
        decided(&mut conn)?;
        let bytes = preview(
            &conn,
            fonts(),
            kind,
            "Objet {{reference}}",
            "{{appel}},\n\nTexte.",
            Some("REC-2026-0001"),
            day(2026, 4, 30),
        )?;
        assert!(bytes.starts_with(b"%PDF"));
        if let Some(text) = pdftotext(&bytes)? {
            assert!(flat(&text).contains("Objet : Objet REC-2026-0001"), "{text}");
        }
        assert_eq!(template(&conn, kind)?.version, 1, "a preview saves no version");
        Ok(())
    }
}

#[cfg(test)]
mod review_tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::letters::tests::{day, decided};
    use crate::store::letters::{compose, generate};
    use crate::test_support::fonts;

    fn add(conn: &Connection, kind: LetterKind, subject: &str, body: &str, is_default: bool) -> Result<i64> {
        insert_template(conn, kind, subject, body, is_default, "S")
    }

    #[test]
    fn a_default_never_edited_moves_to_the_new_wording() -> Result<()> {
        let conn = open_in_memory()?;
        let kind = LetterKind::Acknowledgement;
        // The wording of an earlier version of the app, never edited.
        let old = "{{appel}},\n\nNotre procédure prévoit six mois.\n\nSalutations.";
        assert_eq!(add(&conn, kind, "Accusé de réception", old, true)?, 1);
        let t = template(&conn, kind)?;
        let (subject, body) = defaults::default_template(kind);
        assert_eq!((t.version, t.is_default, t.subject, t.body), (2, true, subject, body));
        assert_eq!(t.author, UPGRADE_AUTHOR);
        assert_eq!(t.review, None);
        // The old version is kept (old letters name it), and reading again adds nothing.
        let kept: String = conn.query_row(
            "SELECT body FROM letter_templates WHERE kind = ?1 AND version = 1",
            params![kind.code()],
            |r| r.get(0),
        )?;
        assert_eq!(kept, old);
        assert_eq!(template(&conn, kind)?.version, 2);
        Ok(())
    }

    #[test]
    fn an_edited_template_that_no_longer_checks_is_flagged_and_refused() -> Result<()> {
        let mut conn = open_in_memory()?;
        let id = decided(&mut conn)?;
        let kind = LetterKind::WarningFirm;
        // Saved by an earlier version: an edited text with a field that no longer exists and
        // a « {% » the new engine reads as a tag.
        add(
            &conn,
            kind,
            "Avertissement {{reference}}",
            "{{appel}},\n\n{{numero_dossier}} {% 100 %}\n\nSalutations.",
            false,
        )?;
        let t = template(&conn, kind)?;
        assert_eq!(t.version, 1, "an edited template is not replaced");
        assert!(!t.is_default);
        let review = t.review.unwrap_or_default();
        assert!(review.starts_with("Erreur dans le modèle, ligne 3"), "{review}");
        assert!(list_templates(&conn)?.iter().any(|t| t.kind == kind && t.review.is_some()));
        let dir = tempfile::tempdir()?;
        let refused = generate(&mut conn, dir.path(), fonts(), id, kind, None, day(2026, 4, 30), "S");
        assert!(
            matches!(&refused, Err(Error::Validation { fields }) if fields["letter"].starts_with("Modèle à revoir") && fields["letter"].contains("ligne 3")),
            "{refused:?}"
        );
        // Only an unknown field left: named.
        add(&conn, kind, "Avertissement {{reference}}", "{{appel}},\n\n{{numero_dossier}}\n\nSalutations.", false)?;
        let review = template(&conn, kind)?.review.unwrap_or_default();
        assert!(review.contains("{{numero_dossier}}"), "{review}");
        // An edited template that still checks keeps working, unflagged.
        save_template(
            &conn,
            kind,
            "Avertissement {{ reference }}",
            "{{appel}},\n\nRéf. {{reference}}.\n\nSalutations.",
            "S",
        )?;
        assert_eq!(template(&conn, kind)?.review, None);
        assert!(compose(&conn, id, kind, None, day(2026, 4, 30)).is_ok());
        Ok(())
    }
}
