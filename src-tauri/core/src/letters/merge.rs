//! The merge values of a letter: one typed struct, serialised to the map of `{{ champ }}` values
//! the templates take, and the list of merge fields shown in Paramètres, kept equal to the
//! struct by a test. A field that does not apply to the file is empty: a template prints it only
//! inside `{% if champ %}`.

use crate::model::Civility;
use serde::Serialize;
use std::collections::BTreeMap;

/// The agreement `{{e}}` of a firm: a company, « le qualifié », takes the masculine.
pub const FIRM_AGREEMENT: &str = "";

/// The agreement of a past participle with a person (`{{e}}`, `{{e_expert}}`): « e » for
/// Madame, nothing for Monsieur, the neutral « (e) » when the civility is not known.
pub fn agreement(civility: Option<Civility>) -> &'static str {
    match civility {
        Some(Civility::Madame) => "e",
        Some(Civility::Monsieur) => "",
        None => "(e)",
    }
}

/// The merge fields a template may use, with what each holds, in the order Paramètres lists
/// them: exactly the fields of [`MergeValues`] (checked by a test below).
pub const FIELDS: &[(&str, &str)] = &[
    ("reference", "Référence de la réclamation (REC-2026-0042)"),
    ("date_reception", "Date de réception de la réclamation (28 novembre 2026)"),
    ("date_lettre", "Date du courrier"),
    ("appel", "Formule d'appel : Madame, Monsieur, ou Madame, Monsieur"),
    ("e", "Accord avec le destinataire, à écrire après le participe (« informé{{e}} ») : « e » pour Madame, rien pour Monsieur et pour un qualifié (« le qualifié »), « (e) » si la civilité n'est pas connue"),
    ("e_expert", "Accord avec l'expert désigné (« désigné{{e_expert}} »), de même selon sa civilité"),
    ("plaignant", "Civilité et nom du plaignant"),
    ("qualifie", "Raison sociale du qualifié ou certifié"),
    ("numero_qualifie", "Numéro du qualifié dans l'organisme (« N° qualifié ») ; vide s'il n'est pas connu"),
    ("destinataire", "Nom du destinataire du courrier"),
    ("faits", "Exposé des faits, tel qu'enregistré"),
    ("natures", "Nature de la réclamation (prestations réalisées, déontologie, usage de la marque)"),
    ("actions_menees", "Actions déjà menées auprès du qualifié, telles qu'enregistrées"),
    ("canal_courriel", "Non vide si la réclamation est arrivée par courriel (pour {% if canal_courriel %})"),
    ("elements_manquants", "Liste des éléments obligatoires manquants"),
    ("date_demande_precisions", "Date de la dernière demande de précisions au plaignant (la demande, non sa relance)"),
    ("echeance_globale", "Échéance du délai global de traitement"),
    ("delai_global", "Délai global de traitement (« 6 mois », selon Paramètres)"),
    ("delai_qualifie", "Délai de réponse du qualifié (« 1 mois », selon Paramètres)"),
    ("delai_instructeur", "Délai de réponse de l'instructeur (« 1 mois », selon Paramètres)"),
    ("delai_plaignant", "Délai indicatif de réponse du plaignant (« 1 mois », selon Paramètres)"),
    ("duree_conservation", "Durée de conservation du dossier après sa clôture (« 5 ans », selon Paramètres)"),
    ("echeance_plaignant", "Date de réponse indicative indiquée par la demande au plaignant (non par sa relance)"),
    ("echeance_qualifie", "Date limite de réponse du qualifié (celle que le courrier d'information indique, non celle d'une relance)"),
    ("date_information_qualifie", "Date à laquelle le qualifié a été informé (l'information, non une relance)"),
    ("reponse_qualifie", "Date de réception de la réponse du qualifié ; vide s'il n'a pas répondu (pour {% if reponse_qualifie %})"),
    ("nouvelle_echeance", "Nouvelle date de réponse donnée par la relance en cours d'édition (délai de relance, selon Paramètres)"),
    ("pieces_jointes", "Pièces jointes au courrier ; vide s'il n'y en a pas"),
    ("echeance_instructeur", "Date limite de réponse de l'instructeur indiquée à la transmission (non par une relance)"),
    ("instructeur", "Nom de l'instructeur"),
    ("date_transmission_instructeur", "Date à laquelle le dossier a été transmis à l'instructeur (non celle d'une relance)"),
    ("expert", "Civilité et nom de l'expert désigné"),
    ("mission_expert", "Mission confiée à l'expert, telle qu'enregistrée"),
    ("date_designation_expert", "Date de désignation de l'expert"),
    ("delai_expert", "Délai de remise du rapport de l'expert (« 1 mois », selon Paramètres)"),
    ("echeance_expert", "Date limite de remise du rapport de l'expert indiquée à sa désignation (non par une relance)"),
    ("date_demande_plaignant", "Date de la demande adressée au plaignant (précisions ou informations) que la relance rappelle"),
    ("role_destinataire", "Qualité du destinataire dans le dossier (« instructeur », « expert »)"),
    ("responsable", "Responsable des Qualifications ou des Certifications"),
    ("motif", "Motif de l'irrecevabilité"),
    ("informations_demandees", "Informations demandées au plaignant"),
    ("decision", "Décision prise"),
    ("date_decision", "Date de la décision"),
    ("decideur", "Qui a décidé (« le Responsable des Qualifications », « l'instructeur désigné par … »)"),
    ("motifs", "Motifs de la décision adressés au destinataire de ce courrier"),
    ("date_commission", "Date de la commission de recours"),
    ("decision_commission", "Décision de la commission (suspension, retrait, aucune sanction)"),
    ("qualifications", "Qualifications ou certifications concernées par la commission"),
    ("motifs_commission", "Motifs de la décision de la commission adressés au destinataire"),
    ("date_seance", "Date de la séance de la commission de recours à laquelle le qualifié est convoqué"),
    ("qualifications_concernees", "Qualifications ou certifications du qualifié soumises à la commission"),
    ("decisions_par_qualification", "Décision de la commission pour chaque qualification (maintenue, suspendue du … au …, retirée à compter du …), une ligne par qualification ; vide si elle n'a pas été enregistrée ainsi"),
    ("voies_de_recours", "Voies de recours contre la décision de la commission (Paramètres) ; vide s'il n'y en a pas"),
    ("justification", "Justification du dépassement du délai"),
    ("date_decision_prevue", "Date prévue de la décision, donnée en cas de dépassement ; vide si elle n'est pas fixée"),
    ("organisation", "Nom de l'organisme"),
    ("adresse_organisation", "Adresse de l'organisme sur une ligne"),
    ("courriel_organisation", "Adresse électronique de l'organisme"),
    ("signataire", "Nom du signataire"),
    ("titre_signataire", "Fonction du signataire"),
];

/// What a letter's `{{ champ }}` fields are replaced with; the field names are the merge names.
/// An empty value is refused by the merge wherever a template uses it (see
/// [`super::templates::merge`]), so a letter without a complaint leaves the rest empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeValues {
    pub reference: String,
    pub date_reception: String,
    pub date_lettre: String,
    pub appel: String,
    pub e: String,
    pub e_expert: String,
    pub plaignant: String,
    pub qualifie: String,
    pub numero_qualifie: String,
    pub destinataire: String,
    pub faits: String,
    pub natures: String,
    pub actions_menees: String,
    pub canal_courriel: String,
    pub elements_manquants: String,
    pub date_demande_precisions: String,
    pub echeance_globale: String,
    pub delai_global: String,
    pub delai_qualifie: String,
    pub delai_instructeur: String,
    pub delai_plaignant: String,
    pub duree_conservation: String,
    pub echeance_plaignant: String,
    pub echeance_qualifie: String,
    pub date_information_qualifie: String,
    pub reponse_qualifie: String,
    pub nouvelle_echeance: String,
    pub pieces_jointes: String,
    pub echeance_instructeur: String,
    pub instructeur: String,
    pub date_transmission_instructeur: String,
    pub expert: String,
    pub mission_expert: String,
    pub date_designation_expert: String,
    pub delai_expert: String,
    pub echeance_expert: String,
    pub date_demande_plaignant: String,
    pub role_destinataire: String,
    pub responsable: String,
    pub motif: String,
    pub informations_demandees: String,
    pub decision: String,
    pub date_decision: String,
    pub decideur: String,
    pub motifs: String,
    pub date_commission: String,
    pub decision_commission: String,
    pub qualifications: String,
    pub motifs_commission: String,
    pub date_seance: String,
    pub qualifications_concernees: String,
    pub decisions_par_qualification: String,
    pub voies_de_recours: String,
    pub justification: String,
    pub date_decision_prevue: String,
    pub organisation: String,
    pub adresse_organisation: String,
    pub courriel_organisation: String,
    pub signataire: String,
    pub titre_signataire: String,
}

impl MergeValues {
    /// The values by merge name, as [`super::templates::merge`] takes them.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        // Every field is a `String`: serialising cannot fail, and an empty map would only
        // make the merge refuse the letter, naming the fields.
        serde_json::to_value(self).and_then(serde_json::from_value).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_field_is_produced_and_every_produced_field_is_listed() {
        let map = MergeValues::default().to_map();
        let produced: Vec<&str> = map.keys().map(String::as_str).collect();
        let mut listed: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
        listed.sort_unstable();
        assert_eq!(produced, listed);
        assert!(FIELDS.iter().all(|(_, description)| !description.trim().is_empty()));
    }

    #[test]
    fn the_map_holds_each_value_under_its_merge_name() {
        let values = MergeValues {
            reference: "REC-2026-0042".into(),
            titre_signataire: "La Déléguée Générale".into(),
            ..MergeValues::default()
        };
        let map = values.to_map();
        assert_eq!(map.get("reference").map(String::as_str), Some("REC-2026-0042"));
        assert_eq!(map.get("titre_signataire").map(String::as_str), Some("La Déléguée Générale"));
        assert_eq!(map.get("motifs").map(String::as_str), Some(""));
    }
}
