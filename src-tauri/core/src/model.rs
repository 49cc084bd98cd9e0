//! The register's vocabulary: enums with their stored codes and French labels, and the records
//! the UI reads.

use serde::{Deserialize, Serialize};

/// Declares an enum stored as a text code, with its French label.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database and exchanged with the UI.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// What the user reads.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.code().into())
            }
        }

        /// A code this version does not know is an error carrying it, never a default.
        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let code = value.as_str()?;
                $name::from_code(code).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(Box::new($crate::model::UnknownCode {
                        of: stringify!($name),
                        code: code.to_owned(),
                    }))
                })
            }
        }
    };
}

coded_enum!(
    /// What a journal entry records (docs/PROCEDURE.md « Journal »).
    JournalKind {
        StepChange => "step_change", "Changement d'étape";
        LetterIn => "letter_in", "Courrier reçu";
        LetterOut => "letter_out", "Courrier envoyé";
        EmailIn => "email_in", "Courriel reçu";
        EmailOut => "email_out", "Courriel envoyé";
        Call => "call", "Appel téléphonique";
        Meeting => "meeting", "Entretien";
        Note => "note", "Note interne";
        Correction => "correction", "Correction";
    }
);

/// A stored code that no variant of `of` has: a corrupt row, or one written by a newer version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    /// The coded type (`Step`, `Channel`…).
    pub of: &'static str,
    pub code: String,
}

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "code « {} » inconnu ({})", self.code, self.of)
    }
}

impl std::error::Error for UnknownCode {}

coded_enum!(
    /// How the written complaint arrived.
    Channel {
        Letter => "letter", "Courrier simple";
        RegisteredLetter => "registered_letter", "Courrier recommandé";
        Email => "email", "Courriel";
    }
);

coded_enum!(
    /// To whom the complaint was addressed.
    Addressee {
        President => "president", "Président";
        GeneralDelegate => "general_delegate", "Déléguée Générale";
        Secretariat => "secretariat", "Secrétariat";
    }
);

coded_enum!(
    ComplainantRole {
        Client => "client", "Client du qualifié";
        ThirdParty => "third_party", "Tiers";
    }
);

coded_enum!(
    Civility {
        Madame => "madame", "Madame";
        Monsieur => "monsieur", "Monsieur";
    }
);

coded_enum!(
    /// What the complaint is about (procedure 5.2).
    Nature {
        Services => "services", "Prestations réalisées";
        Ethics => "ethics", "Déontologie";
        MarkUse => "mark_use", "Usage de la marque";
    }
);

coded_enum!(
    /// The steps of the procedure (docs/PROCEDURE.md « Steps and actions »).
    Step {
        Registered => "registered", "Enregistrée";
        AwaitingDetails => "awaiting_details", "En attente de précisions";
        Complete => "complete", "Complète (recevable)";
        Inadmissible => "inadmissible", "Irrecevable";
        InAnalysis => "in_analysis", "Transmise — en analyse";
        FirmInformed => "firm_informed", "Qualifié informé";
        WithInvestigator => "with_investigator", "Chez l'instructeur";
        Expertise => "expertise", "Expertise en cours";
        AppealsCommittee => "appeals_committee", "En commission de recours";
        Decided => "decided", "Décidée";
        Closed => "closed", "Clôturée";
    }
);

coded_enum!(
    /// How a letter was posted (`documents.send_mode`).
    SendMode {
        Simple => "simple", "Courrier simple";
        Registered => "registered", "Recommandé avec AR";
        Email => "email", "Courriel (courrier en pièce jointe)";
    }
);

coded_enum!(
    /// Whether an archived document was received or sent (`documents.direction`).
    Direction {
        In => "in", "Reçu";
        Out => "out", "Envoyé";
    }
);

coded_enum!(
    /// What the import did with one line of the CSV.
    ImportOutcome {
        Created => "created", "Créé";
        Updated => "updated", "Mis à jour";
        Unchanged => "unchanged", "Inchangé";
        Rejected => "rejected", "Refusé";
    }
);

coded_enum!(
    /// The kinds of line of the dashboard (`Item::category`).
    DashboardCategory {
        Overdue => "overdue", "Échéance dépassée";
        Overrun => "overrun", "Délai global dépassé";
        Soon => "soon", "Échéance proche";
        ArToSend => "ar_to_send", "Accusé de réception";
        ToTransmit => "to_transmit", "À transmettre";
        FirstAnalysis => "first_analysis", "Première analyse";
        ToDecide => "to_decide", "À décider";
        NextStep => "next_step", "Étape à mener";
        ToNotify => "to_notify", "Décision à notifier";
        ToClose => "to_close", "À clore";
        LetterToSend => "letter_to_send", "Courrier à envoyer";
        ArAwaited => "ar_awaited", "AR attendu";
        Awaiting => "awaiting", "Réponse attendue";
        Purge => "purge", "Purge possible";
        Flagged => "flagged", "Plus de 5 mois";
    }
);

/// The four elements a complaint must contain (procedure 5.1), as confirmed by the secretariat.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    pub complainant_details: bool,
    pub firm_details: bool,
    pub facts: bool,
    pub actions_taken: bool,
}

impl Checklist {
    pub fn is_complete(&self) -> bool {
        self.complainant_details && self.firm_details && self.facts && self.actions_taken
    }

    /// The four elements: (code, French name, present), in the procedure's order.
    pub fn elements(&self) -> [(&'static str, &'static str, bool); 4] {
        [
            ("complainant_details", "les coordonnées précises du plaignant", self.complainant_details),
            ("firm_details", "le nom et les coordonnées précises du qualifié ou certifié", self.firm_details),
            ("facts", "l'exposé détaillé et précis des faits reprochés", self.facts),
            ("actions_taken", "la mention des actions déjà menées auprès du qualifié ou certifié", self.actions_taken),
        ]
    }

    /// The French names of the missing elements, in the procedure's order.
    pub fn missing(&self) -> Vec<&'static str> {
        self.elements().into_iter().filter(|(_, _, present)| !present).map(|(_, name, _)| name).collect()
    }

    /// The missing elements as (code, name): the options of « précisions reçues ».
    pub fn missing_options(&self) -> Vec<(String, String)> {
        self.elements()
            .into_iter()
            .filter(|(_, _, present)| !present)
            .map(|(code, name, _)| (code.to_owned(), name.to_owned()))
            .collect()
    }

    /// Marks the element `code` present; `false` when the code is not one of the four.
    pub fn receive(&mut self, code: &str) -> bool {
        let flag = match code {
            "complainant_details" => &mut self.complainant_details,
            "firm_details" => &mut self.firm_details,
            "facts" => &mut self.facts,
            "actions_taken" => &mut self.actions_taken,
            _ => return false,
        };
        *flag = true;
        true
    }
}

/// A postal address in French form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Street lines, one per line (« 12 rue de la Paix », « Bâtiment B »).
    pub lines: Vec<String>,
    pub postcode: String,
    pub city: String,
}

impl Address {
    pub fn is_complete(&self) -> bool {
        !self.lines.is_empty() && !self.postcode.is_empty() && !self.city.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complainant {
    pub role: ComplainantRole,
    pub civility: Option<Civility>,
    pub name: String,
    pub organisation: String,
    pub address: Address,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Firm {
    pub id: i64,
    /// The firm's number in the organisation (« N° qualifié »); empty when unknown.
    #[serde(default)]
    pub number: String,
    pub name: String,
    pub siret: Option<String>,
    /// The SIRET was kept although its check digit fails or it has not 14 digits: « SIRET à vérifier ».
    #[serde(default)]
    pub siret_to_check: bool,
    pub address: Address,
    pub email: String,
    pub phone: String,
    pub is_qualified: bool,
    pub is_certified: bool,
    pub is_rge: bool,
}

/// One line of the complaints list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintSummary {
    pub id: i64,
    pub reference: String,
    pub received_on: String,
    pub complainant_name: String,
    pub firm_name: String,
    pub step: Step,
    pub step_label: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    pub id: i64,
    pub seq: i64,
    pub kind: String,
    pub kind_label: &'static str,
    pub participants: String,
    /// The sequence number of the entry this one corrects.
    pub corrects_seq: Option<i64>,
    pub occurred_on: String,
    pub recorded_at: String,
    pub author: String,
    pub summary: String,
    pub details: String,
    pub hash: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for s in Step::ALL {
            assert_eq!(Step::from_code(s.code()), Some(*s));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::from_code(c.code()), Some(*c));
        }
        assert_eq!(Nature::from_code("inconnu"), None);
    }

    #[test]
    fn checklist_lists_missing_elements_in_order() {
        let c = Checklist { complainant_details: true, firm_details: false, facts: true, actions_taken: false };
        assert!(!c.is_complete());
        assert_eq!(
            c.missing(),
            vec![
                "le nom et les coordonnées précises du qualifié ou certifié",
                "la mention des actions déjà menées auprès du qualifié ou certifié"
            ]
        );
    }
}
