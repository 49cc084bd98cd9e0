//! Letter wording: OPQTECC's default text for each kind, drawn from the procedure, in the
//! syntax of the template engine ([`super::templates`]) that merges it with a complaint's values.

use super::kinds::LetterKind;

const CLOSING: &str = "Nous vous prions d'agréer, {{appel}}, l'expression de nos salutations distinguées.";

/// The data-protection notice of the acknowledgements (GDPR art. 13): who processes the data,
/// why, for how long, the person's rights, whom to contact, and the CNIL.
const DATA_PROTECTION: &str = "Protection des données personnelles : {{organisation}} traite les informations de ce dossier pour instruire votre réclamation selon sa procédure de traitement des réclamations. Elles sont conservées {{duree_conservation}} après la clôture du dossier, puis supprimées. Vous pouvez y accéder, les faire rectifier ou effacer, en demander la limitation ou vous opposer à leur traitement en écrivant à {{organisation}}, {{adresse_organisation}}, ou à {{courriel_organisation}}. Vous pouvez aussi adresser une réclamation à la CNIL (www.cnil.fr).";

/// How the firm was told of the complaint, at the head of its later letters (the date only
/// when its clock recorded one).
const FIRM_INFORMED: &str = "{% if date_information_qualifie %}Le {{date_information_qualifie}}, nous vous avons informé{% else %}Nous vous avons informé{% endif %} de la réclamation enregistrée sous la référence {{reference}}, déposée à votre encontre par {{plaignant}}.";

const COMPLAINANT_REMINDER: &str = "Nous revenons vers vous au sujet de votre réclamation du {{date_reception}} concernant {{qualifie}}, enregistrée sous la référence {{reference}}.";

/// « Après analyse de votre réclamation et de la réponse du qualifié » only when he answered.
const AFTER_ANALYSIS_COMPLAINANT: &str =
    "Après analyse de votre réclamation{% if reponse_qualifie %} et de la réponse du qualifié{% endif %}, {{decideur}} a décidé le {{date_decision}}";
const AFTER_ANALYSIS_FIRM: &str =
    "Après analyse de cette réclamation{% if reponse_qualifie %} et de votre réponse{% endif %}, {{decideur}} a décidé le {{date_decision}}";

/// The committee's outcome: per qualification when it was recorded so, else the one outcome
/// of files decided before (schema 2).
const COMMITTEE_DECIDED: &str = "{% if decisions_par_qualification %}Elle a décidé, pour chacune des qualifications ou certifications concernées :\n\n{{decisions_par_qualification}}\n\nLes motifs de sa décision sont les suivants :{% else %}Elle a décidé : {{decision_commission}}{% if qualifications %} {{qualifications}}{% endif %}, pour les motifs suivants :{% endif %}";

/// What the appeals committee may decide, without prejudging it.
const COMMITTEE_ROLE: &str = "La commission de recours examinera le dossier et décidera des suites à lui donner : aucune sanction, ou la suspension ou le retrait de qualifications ou de certifications.";

/// OPQTECC's wording for each kind: (subject, body). The body's paragraphs are separated by
/// blank lines; the salutation line is `{{appel}},`. Every default says only what is true for
/// the file: the Responsable the complaint went to, the durations set in Paramètres, the firm's
/// answer only when there was one.
pub fn default_template(kind: LetterKind) -> (String, String) {
    use LetterKind as K;
    let after_c = |what: &str| format!("{AFTER_ANALYSIS_COMPLAINANT} {what}, pour les motifs suivants :");
    let after_f = |what: &str| format!("{AFTER_ANALYSIS_FIRM} {what}, pour les motifs suivants :");
    let (subject, paragraphs): (&str, Vec<String>) = match kind {
        K::Acknowledgement => ("Accusé de réception de votre réclamation", vec![
            "Nous accusons réception de votre réclamation du {{date_reception}} concernant {{qualifie}}, enregistrée sous la référence {{reference}}.".into(),
            "Votre réclamation comporte l'ensemble des éléments requis par notre procédure. Elle est transmise pour analyse au {{responsable}}, qui en informera {{qualifie}} et lui demandera de répondre aux faits exposés.".into(),
            "Vous serez informé{{e}} des suites données à votre réclamation et de la décision finale. Notre procédure prévoit un délai de traitement de {{delai_global}} au plus à compter de la réception, soit jusqu'au {{echeance_globale}}.".into(),
            DATA_PROTECTION.into(),
        ]),
        K::RequestDetails => ("Accusé de réception de votre réclamation – demande de précisions", vec![
            "Nous accusons réception de votre réclamation du {{date_reception}} concernant {{qualifie}}, enregistrée sous la référence {{reference}}.".into(),
            "Conformément à notre procédure, une réclamation doit comporter plusieurs éléments, dont les suivants ne figurent pas dans votre réclamation :".into(),
            "{{elements_manquants}}".into(),
            "Afin de nous permettre de l'instruire, nous vous remercions de bien vouloir nous adresser ces précisions par courrier ou par courriel ({{courriel_organisation}}), si possible avant le {{echeance_plaignant}}, en rappelant la référence ci-dessus.".into(),
            DATA_PROTECTION.into(),
        ]),
        K::Inadmissible => ("Votre réclamation – irrecevabilité", vec![
            "Nous avons bien reçu votre réclamation du {{date_reception}}, enregistrée sous la référence {{reference}}.".into(),
            "Après examen, nous sommes au regret de vous informer qu'elle ne peut pas être instruite par {{organisation}}, pour le motif suivant : {{motif}}".into(),
            "Notre procédure concerne uniquement les réclamations émanant de clients ou de tiers à l'encontre de qualifiés, y compris RGE, ou de certifiés {{organisation}}. Votre dossier est en conséquence clos.".into(),
        ]),
        K::LackOfDetailsClosure => ("Votre réclamation – clôture faute de précisions", vec![
            "Nous avons accusé réception de votre réclamation du {{date_reception}}, enregistrée sous la référence {{reference}}, et vous avons demandé{% if date_demande_precisions %} le {{date_demande_precisions}}{% endif %} de la compléter des éléments suivants, que notre procédure exige :".into(),
            "{{elements_manquants}}".into(),
            "Ces éléments ne nous étant pas parvenus{% if echeance_plaignant %} à la date indiquée, le {{echeance_plaignant}}{% endif %}, nous ne sommes pas en mesure d'instruire votre réclamation et nous en clôturons le dossier.".into(),
            "Vous pouvez, si vous le souhaitez, nous adresser une nouvelle réclamation comportant l'ensemble de ces éléments, par courrier à {{organisation}}, {{adresse_organisation}}, ou par courriel à {{courriel_organisation}}.".into(),
        ]),
        K::HowToComplain => ("Modalités de dépôt d'une réclamation", vec![
            "Vous nous avez fait part oralement d'une réclamation concernant un qualifié ou certifié {{organisation}}. Conformément à notre procédure, les réclamations faites oralement ne peuvent pas être prises en compte.".into(),
            "Pour que votre réclamation soit examinée, nous vous invitons à nous l'adresser par écrit :".into(),
            "- par courrier simple ou recommandé adressé au Président ou à la Déléguée Générale, {{adresse_organisation}} ;\n- ou par courriel à l'adresse {{courriel_organisation}}, en portant en objet la mention « réclamation ».".into(),
            "Votre courrier ou courriel doit comporter :".into(),
            "- vos coordonnées précises ;\n- le nom et les coordonnées précises du qualifié ou certifié concerné ;\n- l'exposé détaillé et précis des faits reprochés ;\n- la mention des actions déjà menées auprès du qualifié ou certifié.".into(),
        ]),
        K::FirmNotification => ("Réclamation {{reference}} vous concernant", vec![
            "{{organisation}} a reçu le {{date_reception}} une réclamation de {{plaignant}} vous concernant, enregistrée sous la référence {{reference}}. Elle porte sur : {{natures}}.".into(),
            "{% if pieces_jointes %}\nVous trouverez ci-joint la copie de cette réclamation, qui expose les faits qui vous sont reprochés.\n{% else %}\nLes faits exposés par le plaignant, tels que nous les avons enregistrés, sont les suivants :\n\n{{faits}}\n{% if actions_menees %}\n\nLe plaignant indique avoir déjà mené les actions suivantes auprès de vous :\n\n{{actions_menees}}\n{% endif %}\n{% endif %}".into(),
            "Conformément à notre procédure de traitement des réclamations, le {{responsable}} vous demande de bien vouloir nous adresser une réponse circonstanciée à ces faits dans un délai de {{delai_qualifie}}, soit au plus tard le {{echeance_qualifie}}, en rappelant la référence ci-dessus.".into(),
            "Nous restons à votre disposition pour tout renseignement complémentaire.{% if pieces_jointes %}\n\nPièce jointe : {{pieces_jointes}}.{% endif %}".into(),
        ]),
        K::FirmReminder => ("Relance – réclamation {{reference}}", vec![
            "{% if date_information_qualifie %}Le {{date_information_qualifie}}, nous{% else %}Nous{% endif %} vous avons informé de la réclamation enregistrée sous la référence {{reference}} et vous avons demandé d'y répondre de manière circonstanciée au plus tard le {{echeance_qualifie}}.".into(),
            "À ce jour, nous n'avons pas reçu votre réponse. Nous vous remercions de bien vouloir nous l'adresser au plus tard le {{nouvelle_echeance}}. À défaut, la réclamation sera instruite sur la base des seuls éléments en notre possession.".into(),
        ]),
        K::InformationRequest => ("Réclamation {{reference}} – demande d'informations complémentaires", vec![
            "Dans le cadre de l'instruction de votre réclamation enregistrée sous la référence {{reference}}, nous aurions besoin des informations complémentaires suivantes :".into(),
            "{{informations_demandees}}".into(),
            "Nous vous remercions de bien vouloir nous les adresser, si possible avant le {{echeance_plaignant}}, en rappelant la référence ci-dessus.".into(),
        ]),
        K::InvestigatorTransmission => ("Réclamation {{reference}} – demande d'instruction", vec![
            "Le {{responsable}} vous transmet la réclamation enregistrée sous la référence {{reference}}, déposée par {{plaignant}} à l'encontre de {{qualifie}}{% if reponse_qualifie %}, ainsi que la réponse du qualifié{% endif %}.".into(),
            "Conformément à notre procédure, nous vous remercions de bien vouloir nous faire part de votre analyse dans un délai de {{delai_instructeur}}, soit au plus tard le {{echeance_instructeur}}. Vous pouvez, si nécessaire, contacter le plaignant et le qualifié afin de compléter votre analyse.".into(),
            "{% if pieces_jointes %}Pièces jointes :\n\n{{pieces_jointes}}{% endif %}".into(),
        ]),
        K::InvestigatorReminder => ("Relance – réclamation {{reference}}", vec![
            "{% if date_transmission_instructeur %}Le {{date_transmission_instructeur}}, nous{% else %}Nous{% endif %} vous avons transmis pour instruction la réclamation enregistrée sous la référence {{reference}}, déposée par {{plaignant}} à l'encontre de {{qualifie}}{% if echeance_instructeur %}, et vous avons demandé de nous faire part de votre analyse au plus tard le {{echeance_instructeur}}{% endif %}.".into(),
            "À ce jour, nous n'avons pas reçu votre analyse. Nous vous remercions de bien vouloir nous l'adresser au plus tard le {{nouvelle_echeance}}, afin que le {{responsable}} puisse décider des suites à donner à cette réclamation dans le délai prévu par notre procédure.".into(),
        ]),
        K::ExpertReminder => ("Relance – mission d'expertise, réclamation {{reference}}", vec![
            "{% if date_designation_expert %}Le {{date_designation_expert}}, nous{% else %}Nous{% endif %} vous avons confié une mission d'expertise dans le cadre de la réclamation enregistrée sous la référence {{reference}}, déposée par {{plaignant}} à l'encontre de {{qualifie}}, et vous avons demandé de nous remettre votre rapport au plus tard le {{echeance_expert}}.".into(),
            "À ce jour, nous n'avons pas reçu votre rapport. Nous vous remercions de bien vouloir nous l'adresser au plus tard le {{nouvelle_echeance}}, ou de nous faire savoir sans tarder ce qui vous en empêche.".into(),
        ]),
        K::ComplainantReminder => ("Relance – réclamation {{reference}}", vec![
            "Nous vous avons demandé{% if date_demande_plaignant %} le {{date_demande_plaignant}}{% endif %} de nous adresser des éléments complémentaires au sujet de votre réclamation concernant {{qualifie}}, enregistrée sous la référence {{reference}}{% if echeance_plaignant %}, si possible avant le {{echeance_plaignant}}{% endif %}.".into(),
            "{% if elements_manquants %}Il s'agit des éléments suivants, que notre procédure exige :\n\n{{elements_manquants}}\n\n{% elif informations_demandees %}Il s'agit des informations suivantes :\n\n{{informations_demandees}}\n\n{% endif %}À ce jour, nous ne les avons pas reçus. Nous vous remercions de bien vouloir nous les adresser au plus tard le {{nouvelle_echeance}}, par courrier ou par courriel ({{courriel_organisation}}), en rappelant la référence ci-dessus.".into(),
            "{% if elements_manquants %}À défaut, nous ne serons pas en mesure d'instruire votre réclamation et nous en clôturerons le dossier.{% else %}À défaut, votre réclamation sera instruite sur la base des seuls éléments en notre possession.{% endif %}".into(),
        ]),
        K::ConflictDeclaration => ("Déclaration d'intérêts – réclamation {{reference}}", vec![
            "Avant de prendre connaissance du dossier de la réclamation enregistrée sous la référence {{reference}}, déposée par {{plaignant}} à l'encontre de {{qualifie}}, nous vous remercions de bien vouloir compléter, dater et signer la déclaration ci-dessous et nous la retourner. Notre procédure garantit l'impartialité de l'instruction : une personne qui déclare un lien d'intérêts avec l'une des parties ne peut pas se voir confier le dossier.".into(),
            "Je soussigné{{e}} {{destinataire}}{% if role_destinataire %}, sollicité{{e}} en qualité d'{{role_destinataire}}{% endif %} pour la réclamation {{reference}}, déclare (cochez la case qui convient) :".into(),
            "- [   ] n'avoir aucun lien d'intérêts, direct ou indirect, personnel, professionnel ou financier, avec {{qualifie}} ni avec {{plaignant}} ;\n- [   ] avoir le lien d'intérêts suivant avec l'une des parties : ......................................................................".into(),
            "Je m'engage à informer {{organisation}} sans délai de tout lien qui apparaîtrait en cours d'instruction, et à garder confidentielles les informations du dossier.".into(),
            "Fait à ...................................., le ...................................\n\nSignature :".into(),
            "Vous pouvez nous retourner ce formulaire par courrier ou par courriel à {{courriel_organisation}}.".into(),
        ]),
        K::ExpertMission => ("Réclamation {{reference}} – mission d'expertise", vec![
            "Le {{responsable}} a décidé de faire appel à vous, en qualité d'expert, dans le cadre de la réclamation enregistrée sous la référence {{reference}}, déposée par {{plaignant}} à l'encontre de {{qualifie}}{% if date_designation_expert %}, et vous a désigné{{e}} le {{date_designation_expert}}{% endif %}.".into(),
            "Votre mission est la suivante :".into(),
            "{{mission_expert}}".into(),
            "Nous vous remercions de bien vouloir nous remettre votre rapport écrit dans un délai de {{delai_expert}}, soit au plus tard le {{echeance_expert}}, en rappelant la référence ci-dessus. Vous pouvez prendre contact avec le plaignant et le qualifié, qui sont informés de votre désignation, pour l'accomplir. Les informations du dossier vous sont communiquées pour les seuls besoins de cette mission et restent confidentielles.".into(),
            "{% if pieces_jointes %}Pièces jointes :\n\n{{pieces_jointes}}{% else %}Nous vous transmettrons les pièces du dossier sur simple demande.{% endif %}".into(),
        ]),
        K::ExpertInformationComplainant => ("Réclamation {{reference}} – désignation d'un expert", vec![
            COMPLAINANT_REMINDER.into(),
            "Comme nous vous l'avons indiqué, un complément d'enquête est nécessaire : {{expert}} a été désigné{{e_expert}} en qualité d'expert{% if date_designation_expert %} le {{date_designation_expert}}{% endif %}, avec la mission suivante :".into(),
            "{{mission_expert}}".into(),
            "L'expert pourra prendre contact avec vous ; nous vous remercions de lui faciliter l'accomplissement de sa mission. Son rapport est attendu au plus tard le {{echeance_expert}}. Vous serez informé{{e}} de la décision prise à l'issue de cette expertise.".into(),
        ]),
        K::ExpertInformationFirm => ("Réclamation {{reference}} – désignation d'un expert", vec![
            FIRM_INFORMED.into(),
            "Un complément d'enquête étant nécessaire, {{expert}} a été désigné{{e_expert}} en qualité d'expert{% if date_designation_expert %} le {{date_designation_expert}}{% endif %}, avec la mission suivante :".into(),
            "{{mission_expert}}".into(),
            "L'expert pourra prendre contact avec vous ; nous vous remercions de lui faciliter l'accomplissement de sa mission et de lui communiquer les documents qu'il vous demandera. Son rapport est attendu au plus tard le {{echeance_expert}}. Vous serez informé de la décision prise à l'issue de cette expertise.".into(),
        ]),
        K::CommitteeConvocation => ("Réclamation {{reference}} – convocation à la commission de recours", vec![
            FIRM_INFORMED.into(),
            "Comme nous vous l'avons indiqué, le dossier a été soumis à la commission de recours. Nous vous informons qu'elle l'examinera lors de sa séance du {{date_seance}}{% if qualifications_concernees %}, au regard des qualifications ou certifications suivantes : {{qualifications_concernees}}{% endif %}.".into(),
            COMMITTEE_ROLE.into(),
            "Vous pouvez présenter vos observations, par écrit, en nous les adressant avant la séance, ou oralement, lors de la séance : dans ce cas, nous vous remercions de nous indiquer à l'avance si vous souhaitez être entendu, et par qui vous serez représenté. Vous pouvez demander à consulter les pièces du dossier.".into(),
        ]),
        K::DismissedComplainant => ("Réclamation {{reference}} – décision", vec![
            COMPLAINANT_REMINDER.into(),
            after_c("de la classer sans suite"),
            "{{motifs}}".into(),
            "Ce courrier clôt l'instruction de votre réclamation. Nous vous remercions de votre démarche.".into(),
        ]),
        K::DismissedFirm => ("Réclamation {{reference}} – décision", vec![
            FIRM_INFORMED.into(),
            after_f("de la classer sans suite"),
            "{{motifs}}".into(),
        ]),
        K::WarningComplainant => ("Réclamation {{reference}} – décision", vec![
            COMPLAINANT_REMINDER.into(),
            after_c("d'adresser un avertissement à {{qualifie}}"),
            "{{motifs}}".into(),
            "Ce courrier clôt l'instruction de votre réclamation. Nous vous remercions de votre démarche.".into(),
        ]),
        K::WarningFirm => ("Réclamation {{reference}} – avertissement", vec![
            FIRM_INFORMED.into(),
            after_f("de vous adresser un avertissement"),
            "{{motifs}}".into(),
            "Nous vous demandons de prendre toutes les dispositions nécessaires pour qu'une telle situation ne se reproduise pas. Une nouvelle réclamation fondée pourrait conduire à un passage en commission de recours.".into(),
        ]),
        K::ExpertComplainant => ("Réclamation {{reference}} – appel à un expert", vec![
            COMPLAINANT_REMINDER.into(),
            after_c("de faire appel à un expert pour un complément d'enquête"),
            "{{motifs}}".into(),
            "Vous serez informé{{e}} de la décision prise à l'issue de cette expertise.".into(),
        ]),
        K::ExpertFirm => ("Réclamation {{reference}} – appel à un expert", vec![
            FIRM_INFORMED.into(),
            after_f("de faire appel à un expert pour un complément d'enquête"),
            "{{motifs}}".into(),
            "L'expert pourra prendre contact avec vous. Vous serez informé de la décision prise à l'issue de cette expertise.".into(),
        ]),
        K::CommitteeComplainant => ("Réclamation {{reference}} – commission de recours", vec![
            COMPLAINANT_REMINDER.into(),
            after_c("de soumettre le dossier à la commission de recours"),
            "{{motifs}}".into(),
            COMMITTEE_ROLE.into(),
            "Vous serez informé{{e}} de la décision de la commission.".into(),
        ]),
        K::CommitteeFirm => ("Réclamation {{reference}} – passage en commission de recours", vec![
            FIRM_INFORMED.into(),
            after_f("de soumettre le dossier à la commission de recours"),
            "{{motifs}}".into(),
            COMMITTEE_ROLE.into(),
            "Vous serez informé de la date de sa séance et pourrez y présenter vos observations.".into(),
        ]),
        K::CommitteeOutcomeComplainant => ("Réclamation {{reference}} – décision de la commission de recours", vec![
            "La commission de recours, réunie le {{date_commission}}, a examiné le dossier de votre réclamation enregistrée sous la référence {{reference}}, concernant {{qualifie}}.".into(),
            COMMITTEE_DECIDED.into(),
            "{{motifs_commission}}".into(),
            "{% if voies_de_recours %}{{voies_de_recours}}{% endif %}".into(),
            "Ce courrier clôt l'instruction de votre réclamation. Nous vous remercions de votre démarche.".into(),
        ]),
        K::CommitteeOutcomeFirm => ("Réclamation {{reference}} – décision de la commission de recours", vec![
            "La commission de recours, réunie le {{date_commission}}, a examiné le dossier de la réclamation enregistrée sous la référence {{reference}}, déposée à votre encontre par {{plaignant}}.".into(),
            COMMITTEE_DECIDED.into(),
            "{{motifs_commission}}".into(),
            "{% if decisions_par_qualification %}Une qualification ou certification maintenue reste valide sans interruption : la commission n'a prononcé à son égard ni suspension ni retrait. Une qualification ou certification suspendue ne peut pas être utilisée ni mentionnée pendant la période indiquée ; une qualification ou certification retirée ne peut plus l'être à compter de la date indiquée. Le registre de {{organisation}} est mis à jour en conséquence.{% endif %}".into(),
            "{% if voies_de_recours %}{{voies_de_recours}}{% endif %}".into(),
        ]),
        K::OverrunComplainant => ("Réclamation {{reference}} – délai de traitement", vec![
            "Votre réclamation du {{date_reception}}, enregistrée sous la référence {{reference}}, n'a pas pu être traitée dans le délai de {{delai_global}} prévu par notre procédure, arrivé à échéance le {{echeance_globale}}.".into(),
            "Ce dépassement s'explique par les raisons suivantes :".into(),
            "{{justification}}".into(),
            "{% if date_decision_prevue %}La décision devrait intervenir au plus tard le {{date_decision_prevue}}. {% endif %}Nous mettons tout en œuvre pour conclure l'instruction dans les meilleurs délais et vous tiendrons informé{{e}} de la décision finale.".into(),
        ]),
        K::OverrunFirm => ("Réclamation {{reference}} – délai de traitement", vec![
            "L'instruction de la réclamation enregistrée sous la référence {{reference}}, déposée à votre encontre par {{plaignant}}, n'a pas pu être conclue dans le délai de {{delai_global}} prévu par notre procédure, arrivé à échéance le {{echeance_globale}}.".into(),
            "Ce dépassement s'explique par les raisons suivantes :".into(),
            "{{justification}}".into(),
            "{% if date_decision_prevue %}La décision devrait intervenir au plus tard le {{date_decision_prevue}}. {% endif %}Nous vous tiendrons informé de la décision finale.".into(),
        ]),
    };
    let mut body = String::from("{{appel}},");
    for p in paragraphs {
        body.push_str("\n\n");
        body.push_str(&p);
    }
    body.push_str("\n\n");
    body.push_str(CLOSING);
    (subject.to_owned(), body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::templates::check;

    #[test]
    fn every_default_uses_only_known_fields() {
        for kind in LetterKind::ALL {
            let (subject, body) = default_template(*kind);
            assert_eq!(check(&subject, &body), Ok(()), "{kind:?}");
            assert!(body.starts_with("{{appel}},") && body.ends_with("salutations distinguées."), "{kind:?}");
        }
    }
}
