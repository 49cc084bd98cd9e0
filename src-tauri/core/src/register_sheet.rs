//! The register of complaints kept before the application, as a spreadsheet (`.xlsx`, `.ods`
//! or CSV, read by [`crate::import::read_table`]): each column mapped to a field, each row
//! read into a [`SheetComplaint`] with the steps its dates tell. No SQL here: matching the
//! firms and writing the complaints is [`crate::store::register_import`].
//!
//! The header is recognised as in the firms import (case, accents, spaces and punctuation
//! ignored); the mapping found is shown and may be changed before anything is written. A row
//! that cannot be a complaint — no old reference, no readable date of receipt, no firm, no
//! nature, a date that cannot be read or lies in the future, dates out of order — is a line
//! error (« Ligne 12 : date de réception illisible (« 31/02/2023 ») »). What can be taken with
//! a default (channel, addressee, complainant's role) comes in with a warning that names the
//! default, and the complaint's journal says it too.

use crate::import::{clean_siret, normalize_key, parse_date_text, parse_flag, single_line, siret_warning, Table};
use crate::model::{Addressee, Channel, ComplainantRole, Nature, Step};
use crate::procedure::{CommitteeOutcome, Decision, Manager};
use chrono::NaiveDate;
use serde::Serialize;

/// A field of a complaint the sheet may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    LegacyReference,
    ReceivedOn,
    Channel,
    RegisteredNumber,
    AddressedTo,
    ComplainantName,
    ComplainantRole,
    ComplainantAddress,
    ComplainantPostcode,
    ComplainantCity,
    ComplainantEmail,
    ComplainantPhone,
    FirmNumber,
    FirmSiret,
    FirmName,
    Natures,
    NatureServices,
    NatureEthics,
    NatureMarkUse,
    Facts,
    ActionsTaken,
    AcknowledgedOn,
    FirmInformedOn,
    FirmAnsweredOn,
    Manager,
    Decision,
    DecidedOn,
    ClosedOn,
    Step,
}

impl Field {
    pub const ALL: &'static [Field] = &[
        Field::LegacyReference,
        Field::ReceivedOn,
        Field::Channel,
        Field::RegisteredNumber,
        Field::AddressedTo,
        Field::ComplainantName,
        Field::ComplainantRole,
        Field::ComplainantAddress,
        Field::ComplainantPostcode,
        Field::ComplainantCity,
        Field::ComplainantEmail,
        Field::ComplainantPhone,
        Field::FirmNumber,
        Field::FirmSiret,
        Field::FirmName,
        Field::Natures,
        Field::NatureServices,
        Field::NatureEthics,
        Field::NatureMarkUse,
        Field::Facts,
        Field::ActionsTaken,
        Field::AcknowledgedOn,
        Field::FirmInformedOn,
        Field::FirmAnsweredOn,
        Field::Manager,
        Field::Decision,
        Field::DecidedOn,
        Field::ClosedOn,
        Field::Step,
    ];

    /// (code, French label, header spellings once normalised).
    fn spec(self) -> (&'static str, &'static str, &'static [&'static str]) {
        use Field as F;
        match self {
            F::LegacyReference => (
                "legacy_reference",
                "Ancienne référence",
                &[
                    "reference",
                    "ref",
                    "anciennereference",
                    "referencereclamation",
                    "nreclamation",
                    "noreclamation",
                    "numeroreclamation",
                    "ndossier",
                    "nodossier",
                    "numerodossier",
                    "dossier",
                    "numero",
                    "n",
                    "no",
                    "nordre",
                    "numerodordre",
                ],
            ),
            F::ReceivedOn => (
                "received_on",
                "Date de réception",
                &[
                    "datedereception",
                    "datereception",
                    "recuele",
                    "recule",
                    "recue",
                    "recu",
                    "datereclamation",
                    "datedelareclamation",
                    "date",
                    "datedarrivee",
                    "datearrivee",
                    "dateentree",
                ],
            ),
            F::Channel => ("channel", "Canal", &["canal", "modedereception", "modereception", "mode", "moyen", "voie"]),
            F::RegisteredNumber => (
                "registered_number",
                "N° de recommandé",
                &["nrecommande", "norecommande", "numerorecommande", "numeroderecommande", "nlrar", "numerolrar"],
            ),
            F::AddressedTo => ("addressed_to", "Adressée à", &["adresseea", "adressea", "destinataire"]),
            F::ComplainantName => (
                "complainant_name",
                "Réclamant (nom)",
                &[
                    "reclamant",
                    "plaignant",
                    "nomduplaignant",
                    "nomplaignant",
                    "nomdureclamant",
                    "nomreclamant",
                    "demandeur",
                    "auteur",
                ],
            ),
            F::ComplainantRole => (
                "complainant_role",
                "Qualité du réclamant (client ou tiers)",
                &[
                    "qualite",
                    "qualiteduplaignant",
                    "qualitedureclamant",
                    "clientoutiers",
                    "typedeplaignant",
                    "typeplaignant",
                    "typedereclamant",
                ],
            ),
            F::ComplainantAddress => (
                "complainant_address",
                "Adresse du réclamant",
                &["adresse", "adresseduplaignant", "adressedureclamant", "adresse1", "adresse2", "adresse3", "rue"],
            ),
            F::ComplainantPostcode => ("complainant_postcode", "Code postal du réclamant", &["codepostal", "cp"]),
            F::ComplainantCity => ("complainant_city", "Ville du réclamant", &["ville", "commune", "localite"]),
            F::ComplainantEmail => (
                "complainant_email",
                "Courriel du réclamant",
                &["courriel", "email", "mail", "adressemail", "courrielduplaignant", "emailduplaignant"],
            ),
            F::ComplainantPhone => ("complainant_phone", "Téléphone du réclamant", &["telephone", "tel", "portable"]),
            F::FirmNumber => (
                "firm_number",
                "N° qualifié",
                &["nqualifie", "noqualifie", "numeroqualifie", "nadherent", "numeroadherent", "codequalifie"],
            ),
            F::FirmSiret => ("firm_siret", "SIRET du qualifié", &["siret", "siretduqualifie", "siretentreprise"]),
            F::FirmName => (
                "firm_name",
                "Qualifié (raison sociale)",
                &[
                    "entreprise",
                    "qualifie",
                    "qualifieconcerne",
                    "raisonsociale",
                    "societe",
                    "entrepriseconcernee",
                    "nomduqualifie",
                    "cabinet",
                    "qualifiecertifie",
                ],
            ),
            F::Natures => {
                ("natures", "Nature(s)", &["nature", "natures", "naturedelareclamation", "typedereclamation", "motif"])
            }
            F::NatureServices => ("nature_services", "Nature : prestations", &["prestations", "prestationsrealisees"]),
            F::NatureEthics => ("nature_ethics", "Nature : déontologie", &["deontologie"]),
            F::NatureMarkUse => {
                ("nature_mark_use", "Nature : usage de la marque", &["usagedelamarque", "usagemarque", "marque"])
            }
            F::Facts => {
                ("facts", "Faits", &["faits", "exposedesfaits", "faitsreproches", "objet", "description", "resume"])
            }
            F::ActionsTaken => (
                "actions_taken",
                "Actions déjà menées",
                &["actionsdejamenees", "actionsmenees", "actions", "demarches", "demarchesdejaentreprises"],
            ),
            F::AcknowledgedOn => (
                "acknowledged_on",
                "Accusé de réception le",
                &[
                    "ar",
                    "datear",
                    "arle",
                    "accusedereception",
                    "dateaccusedereception",
                    "dateaccuse",
                    "arenvoyele",
                    "datedelar",
                ],
            ),
            F::FirmInformedOn => (
                "firm_informed_on",
                "Qualifié informé le",
                &[
                    "qualifieinforme",
                    "qualifieinformele",
                    "dateinformationqualifie",
                    "informationqualifie",
                    "datedinformation",
                    "informele",
                    "entrepriseinformee",
                    "entrepriseinformeele",
                ],
            ),
            F::FirmAnsweredOn => (
                "firm_answered_on",
                "Réponse du qualifié le",
                &[
                    "reponsequalifie",
                    "reponseduqualifie",
                    "reponseduqualifiele",
                    "datereponse",
                    "datereponsequalifie",
                    "reponserecuele",
                    "reponsele",
                    "reponseentreprise",
                ],
            ),
            F::Manager => ("manager", "Responsable (qualification ou certification)", &["responsable", "pole"]),
            F::Decision => (
                "decision",
                "Décision",
                &["decision", "typededecision", "suitedonnee", "suite", "issue", "decisionprise"],
            ),
            F::DecidedOn => (
                "decided_on",
                "Date de décision",
                &["datededecision", "datedecision", "decisionle", "decidele", "datedeladecision"],
            ),
            F::ClosedOn => (
                "closed_on",
                "Clôturée le",
                &["cloturele", "clotureele", "datedecloture", "datecloture", "cloture", "clos", "closle", "cloturee"],
            ),
            F::Step => ("step", "Étape (contrôle)", &["etape", "statut", "etat", "avancement", "situation"]),
        }
    }

    pub fn code(self) -> &'static str {
        self.spec().0
    }

    pub fn label(self) -> &'static str {
        self.spec().1
    }

    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.code() == code)
    }

    /// The field a header names, if any.
    fn of_header(header: &str) -> Option<Field> {
        let key = normalize_key(header);
        Field::ALL.iter().copied().find(|f| f.spec().2.contains(&key.as_str()))
    }

    /// Several columns may fill it (address lines); for the others only the first is used.
    fn repeats(self) -> bool {
        self == Field::ComplainantAddress
    }
}

/// One column of the sheet and the field it fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub header: String,
    /// A [`Field::code`], or `None`: ignored.
    pub field: Option<&'static str>,
    /// What the first data rows hold, to help choose.
    pub sample: String,
}

/// The fields a column can be given, for the mapping's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChoice {
    pub code: &'static str,
    pub label: &'static str,
}

pub fn field_choices() -> Vec<FieldChoice> {
    Field::ALL.iter().map(|f| FieldChoice { code: f.code(), label: f.label() }).collect()
}

/// The firm a row names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetFirm {
    pub number: String,
    pub siret: String,
    pub name: String,
}

impl SheetFirm {
    /// Rows naming the same firm share this key: its number, else its SIRET, else its name.
    pub fn key(&self) -> String {
        if !self.number.is_empty() {
            format!("n:{}", crate::french::fold(&self.number))
        } else if !self.siret.is_empty() {
            format!("s:{}", self.siret)
        } else {
            format!("r:{}", normalize_key(&self.name))
        }
    }

    /// « Bâtir Plus (n° Q-0012, SIRET …) », or « n° Q-0012 » without a name.
    pub fn describe(&self) -> String {
        let mut ids = Vec::new();
        if !self.number.is_empty() {
            ids.push(format!("n° {}", self.number));
        }
        if !self.siret.is_empty() {
            ids.push(format!("SIRET {}", self.siret));
        }
        match (self.name.is_empty(), ids.is_empty()) {
            (false, true) => self.name.clone(),
            (false, false) => format!("{} ({})", self.name, ids.join(", ")),
            (true, _) => ids.join(", "),
        }
    }
}

/// What was decided, as the sheet says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetDecision {
    Decision(Decision),
    Committee(CommitteeOutcome),
    Inadmissible,
}

impl SheetDecision {
    pub fn label(self) -> &'static str {
        match self {
            SheetDecision::Decision(d) => d.label(),
            SheetDecision::Committee(o) => o.label(),
            SheetDecision::Inadmissible => "Irrecevable",
        }
    }

    /// The step the decision leads to.
    pub fn step(self) -> Step {
        match self {
            SheetDecision::Decision(d) => crate::procedure::decision_step(d),
            SheetDecision::Committee(_) => Step::Decided,
            SheetDecision::Inadmissible => Step::Inadmissible,
        }
    }
}

/// A complaint of the old register, as its row tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetComplaint {
    pub line: usize,
    pub legacy_reference: String,
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub registered_number: String,
    pub addressed_to: Addressee,
    pub complainant_name: String,
    pub role: ComplainantRole,
    pub address_lines: Vec<String>,
    pub postcode: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub firm: SheetFirm,
    pub natures: Vec<Nature>,
    pub facts: String,
    pub actions_taken: String,
    pub acknowledged_on: Option<NaiveDate>,
    pub firm_informed_on: Option<NaiveDate>,
    pub firm_answered_on: Option<NaiveDate>,
    pub manager: Option<Manager>,
    pub decision: Option<(SheetDecision, NaiveDate)>,
    pub closed_on: Option<NaiveDate>,
    /// The values not in the sheet that were taken by default, as the journal states them
    /// (« canal : courrier simple »).
    pub defaults: Vec<String>,
    pub warnings: Vec<String>,
}

impl SheetComplaint {
    /// The step its dates reach.
    pub fn step(&self) -> Step {
        if self.closed_on.is_some() {
            return Step::Closed;
        }
        if let Some((decision, _)) = self.decision {
            return decision.step();
        }
        if self.firm_informed_on.is_some() {
            Step::FirmInformed
        } else if self.acknowledged_on.is_some() {
            Step::Complete
        } else {
            Step::Registered
        }
    }
}

/// The sheet read: its format, columns and mapping, the complaints and the line errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSheet {
    pub format: &'static str,
    pub encoding: &'static str,
    pub delimiter: String,
    pub columns: Vec<Column>,
    pub rows: Vec<SheetComplaint>,
    /// (line, French message).
    pub errors: Vec<(usize, String)>,
    /// Whole-file problems of the mapping (a required field no column fills).
    pub missing: Vec<String>,
}

/// Reads the sheet. `mapping`: the field code of each column as the user chose it (`""`:
/// ignored); `None`, or a list of another length (another file), recognises the headers.
/// `today`: no date may lie after it.
pub fn parse(bytes: &[u8], mapping: Option<&[String]>, today: NaiveDate) -> Result<ParsedSheet, String> {
    let Table { format, encoding, delimiter, records, is_workbook } = crate::import::read_table(bytes)?;
    let mut all = records.into_iter();
    let headers: Vec<String> = match all.next() {
        None => return Err("Le fichier est vide : aucune ligne d'en-tête trouvée.".to_owned()),
        Some((_, Err(message))) => return Err(format!("Ligne d'en-tête illisible. {message}")),
        Some((_, Ok(cells))) => cells.iter().map(|h| single_line(h)).collect(),
    };
    let used = headers.iter().rposition(|h| !h.is_empty()).map_or(0, |last| last + 1);
    let headers: Vec<String> = headers.into_iter().take(if is_workbook { used } else { usize::MAX }).collect();
    let fields: Vec<Option<Field>> = match mapping {
        Some(chosen) if chosen.len() == headers.len() => chosen.iter().map(|c| Field::from_code(c)).collect(),
        _ => recognise(&headers),
    };
    let records: Vec<(usize, Result<Vec<String>, String>)> = all.collect();
    let sample = |index: usize| -> String {
        let values: Vec<String> = records
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok())
            .filter_map(|cells| cells.get(index).map(|v| single_line(v)))
            .filter(|v| !v.is_empty())
            .take(2)
            .map(|v| v.chars().take(40).collect())
            .collect();
        values.join(" ; ")
    };
    let columns: Vec<Column> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| Column { header: h.clone(), field: fields[i].map(Field::code), sample: sample(i) })
        .collect();
    let has = |f: Field| fields.contains(&Some(f));
    let mut missing = Vec::new();
    for (f, why) in [
        (Field::LegacyReference, "sans elle, un second import reprendrait les mêmes réclamations"),
        (Field::ReceivedOn, "les délais en partent"),
        (Field::ComplainantName, "le registre nomme chaque réclamant"),
    ] {
        if !has(f) {
            missing.push(format!("Aucune colonne « {} » : choisissez-la ci-dessous ({why}).", f.label()));
        }
    }
    if !has(Field::FirmName) && !has(Field::FirmNumber) && !has(Field::FirmSiret) {
        missing.push("Aucune colonne pour le qualifié : choisissez sa raison sociale, son n° ou son SIRET.".to_owned());
    }
    if ![Field::Natures, Field::NatureServices, Field::NatureEthics, Field::NatureMarkUse].iter().any(|f| has(*f)) {
        missing.push(
            "Aucune colonne « Nature(s) » : choisissez-la ci-dessous (les statistiques en dépendent).".to_owned(),
        );
    }

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    if missing.is_empty() {
        for (line, record) in records {
            let cells = match record {
                Ok(cells) => cells,
                Err(message) => {
                    errors.push((line, message));
                    continue;
                }
            };
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            match row(line, &cells, &fields, today) {
                Ok(complaint) => {
                    let key = normalize_key(&complaint.legacy_reference);
                    if let Some(first) = seen.get(&key) {
                        errors.push((
                            line,
                            format!(
                                "Ligne {line} : référence « {} » déjà à la ligne {first} : une seule des deux est reprise.",
                                complaint.legacy_reference
                            ),
                        ));
                        continue;
                    }
                    seen.insert(key, line);
                    rows.push(complaint);
                }
                Err(message) => errors.push((line, message)),
            }
        }
    }
    Ok(ParsedSheet { format, encoding, delimiter, columns, rows, errors, missing })
}

/// The field of each header, each field to its first column (address lines to all of theirs).
fn recognise(headers: &[String]) -> Vec<Option<Field>> {
    let mut out: Vec<Option<Field>> = Vec::with_capacity(headers.len());
    for h in headers {
        let f = Field::of_header(h).filter(|f| f.repeats() || !out.contains(&Some(*f)));
        out.push(f);
    }
    out
}

/// The text of the cells `field` maps, joined by line breaks (trimmed, empty ones left out).
fn cell<'a>(cells: &'a [String], fields: &[Option<Field>], field: Field) -> Vec<&'a str> {
    fields
        .iter()
        .enumerate()
        .filter(|(_, f)| **f == Some(field))
        .filter_map(|(i, _)| cells.get(i).map(|v| v.trim()))
        .filter(|v| !v.is_empty())
        .collect()
}

fn parse_channel(raw: &str) -> Option<Channel> {
    let k = normalize_key(raw);
    if k.contains("recommand") || k.contains("lrar") || k == "rar" || k == "ar" {
        Some(Channel::RegisteredLetter)
    } else if k.contains("mail") || k.contains("courriel") || k.contains("electronique") {
        Some(Channel::Email)
    } else if k.contains("courrier") || k.contains("lettre") || k.contains("simple") || k.contains("post") {
        Some(Channel::Letter)
    } else {
        None
    }
}

fn parse_addressee(raw: &str) -> Option<Addressee> {
    let k = normalize_key(raw);
    if k.contains("president") {
        Some(Addressee::President)
    } else if k.contains("delegu") || k == "dg" {
        Some(Addressee::GeneralDelegate)
    } else if k.contains("secretariat") || k.contains("opqtecc") {
        Some(Addressee::Secretariat)
    } else {
        None
    }
}

fn parse_role(raw: &str) -> Option<ComplainantRole> {
    let k = normalize_key(raw);
    if k.contains("client") || k.contains("maitredouvrage") {
        Some(ComplainantRole::Client)
    } else if k.contains("tiers") || k.contains("voisin") {
        Some(ComplainantRole::ThirdParty)
    } else {
        None
    }
}

fn parse_nature(raw: &str) -> Option<Nature> {
    let k = normalize_key(raw);
    if k.contains("deontolog") || k.contains("ethique") {
        Some(Nature::Ethics)
    } else if k.contains("marque") || k.contains("logo") {
        Some(Nature::MarkUse)
    } else if k.contains("prestation") || k.contains("service") || k.contains("travaux") || k.contains("mission") {
        Some(Nature::Services)
    } else {
        None
    }
}

fn parse_decision(raw: &str) -> Option<SheetDecision> {
    use SheetDecision as S;
    let k = normalize_key(raw);
    Some(if k.contains("irrecevable") {
        S::Inadmissible
    } else if k.contains("suspen") {
        S::Committee(CommitteeOutcome::Suspension)
    } else if k.contains("retrait") || k.contains("retire") || k.contains("radiation") {
        S::Committee(CommitteeOutcome::Withdrawal)
    } else if k.contains("aucunesanction") || k.contains("pasdesanction") || k.contains("sanssanction") {
        S::Committee(CommitteeOutcome::NoSanction)
    } else if k.contains("avertissement") {
        S::Decision(Decision::Warning)
    } else if k.contains("sanssuite") || k.contains("classement") || k.contains("classe") || k.contains("nonfonde") {
        S::Decision(Decision::Dismissed)
    } else if k.contains("expert") {
        S::Decision(Decision::Expert)
    } else if k.contains("commission") || k.contains("recours") {
        S::Decision(Decision::AppealsCommittee)
    } else {
        return None;
    })
}

fn parse_manager(raw: &str) -> Option<Manager> {
    let k = normalize_key(raw);
    if k.contains("certif") {
        Some(Manager::Certification)
    } else if k.contains("qualif") {
        Some(Manager::Qualification)
    } else {
        None
    }
}

/// The step a « étape » cell names, to compare with the dates.
fn parse_step(raw: &str) -> Option<Step> {
    let k = normalize_key(raw);
    Some(if k.contains("clotur") || k.starts_with("clos") || k.contains("termine") || k.contains("classee") {
        Step::Closed
    } else if k.contains("irrecevable") {
        Step::Inadmissible
    } else if k.contains("commission") {
        Step::AppealsCommittee
    } else if k.contains("expert") {
        Step::Expertise
    } else if k.contains("decid") || k.contains("decision") {
        Step::Decided
    } else if k.contains("instructeur") {
        Step::WithInvestigator
    } else if k.contains("inform") {
        Step::FirmInformed
    } else if k.contains("analyse") || k.contains("transmis") {
        Step::InAnalysis
    } else if k.contains("precision") {
        Step::AwaitingDetails
    } else if k.contains("complet") || k.contains("recevable") || k.contains("accuse") || k == "ar" {
        Step::Complete
    } else if k.contains("enregistr") || k.contains("recu") || k.contains("nouveau") || k.contains("nouvelle") {
        Step::Registered
    } else {
        return None;
    })
}

/// One data row, or the line's French error.
fn row(line: usize, cells: &[String], fields: &[Option<Field>], today: NaiveDate) -> Result<SheetComplaint, String> {
    let first = |f: Field| cell(cells, fields, f).first().map(|v| single_line(v)).unwrap_or_default();
    let mut warnings = Vec::new();
    let mut defaults = Vec::new();

    let legacy_reference = first(Field::LegacyReference);
    if legacy_reference.is_empty() {
        return Err(format!(
            "Ligne {line} : ancienne référence absente : sans elle, un second import reprendrait cette réclamation deux fois."
        ));
    }
    let date = |f: Field, what: &str| -> Result<Option<NaiveDate>, String> {
        let raw = first(f);
        if raw.is_empty() {
            return Ok(None);
        }
        match parse_date_text(&raw) {
            None => {
                Err(format!("Ligne {line} : {what} illisible (« {raw} ») : écrivez-la jj/mm/aaaa dans le fichier."))
            }
            Some(d) if d > today => Err(format!("Ligne {line} : {what} dans le futur (« {raw} ») : vérifiez-la.")),
            Some(d) if d.format("%Y").to_string().as_str() < "2000" => {
                Err(format!("Ligne {line} : {what} antérieure à l'an 2000 (« {raw} ») : vérifiez l'année."))
            }
            Some(d) => Ok(Some(d)),
        }
    };
    let received_on = date(Field::ReceivedOn, "date de réception")?
        .ok_or_else(|| format!("Ligne {line} : date de réception absente : les délais en partent."))?;
    let acknowledged_on = date(Field::AcknowledgedOn, "date d'accusé de réception")?;
    let firm_informed_on = date(Field::FirmInformedOn, "date d'information du qualifié")?;
    let firm_answered_on = date(Field::FirmAnsweredOn, "date de réponse du qualifié")?;
    let decided_on = date(Field::DecidedOn, "date de décision")?;
    let closed_on = date(Field::ClosedOn, "date de clôture")?;

    let raw_decision = first(Field::Decision);
    let decision = match (raw_decision.is_empty(), decided_on) {
        (true, None) => None,
        (true, Some(_)) => {
            return Err(format!("Ligne {line} : date de décision sans décision : indiquez laquelle dans le fichier."));
        }
        (false, on) => {
            let Some(kind) = parse_decision(&raw_decision) else {
                return Err(format!(
                    "Ligne {line} : décision « {raw_decision} » inconnue : classement sans suite, avertissement, \
                     appel à un expert, commission de recours, suspension, retrait, aucune sanction ou irrecevable."
                ));
            };
            // A closed file's decision without its own date: the sheet does not say when.
            let Some(on) = on else {
                return Err(format!(
                    "Ligne {line} : décision « {raw_decision} » sans date de décision : indiquez-la dans le fichier."
                ));
            };
            Some((kind, on))
        }
    };

    // Dates in the procedure's order: each event after the ones it follows.
    let mut order: Vec<(&str, NaiveDate)> = vec![("réception", received_on)];
    for (what, d) in [
        ("accusé de réception", acknowledged_on),
        ("information du qualifié", firm_informed_on),
        ("réponse du qualifié", firm_answered_on),
        ("décision", decision.map(|(_, on)| on)),
        ("clôture", closed_on),
    ] {
        if let Some(d) = d {
            if let Some((before, at)) = order.iter().find(|(_, at)| *at > d) {
                return Err(format!(
                    "Ligne {line} : {what} le {} avant la {before} du {} : vérifiez les dates.",
                    crate::french::format_fr(d),
                    crate::french::format_fr(*at)
                ));
            }
            order.push((what, d));
        }
    }
    if firm_answered_on.is_some() && firm_informed_on.is_none() {
        warnings.push(format!("Ligne {line} : réponse du qualifié sans date d'information du qualifié."));
    }

    let raw_channel = first(Field::Channel);
    let channel = match parse_channel(&raw_channel) {
        Some(c) => c,
        None => {
            let why =
                if raw_channel.is_empty() { "non indiqué".to_owned() } else { format!("« {raw_channel} » inconnu") };
            warnings.push(format!("Ligne {line} : canal {why} : « courrier simple » retenu."));
            defaults.push("canal : courrier simple".to_owned());
            Channel::Letter
        }
    };
    let registered_number = match (channel, first(Field::RegisteredNumber)) {
        (Channel::RegisteredLetter, n) if n.is_empty() => {
            warnings.push(format!("Ligne {line} : recommandé sans son numéro."));
            String::new()
        }
        (_, n) => crate::validate::normalise_registered_number(&n).unwrap_or(n),
    };
    let raw_addressee = first(Field::AddressedTo);
    let addressed_to = match parse_addressee(&raw_addressee) {
        Some(a) => a,
        None => {
            if !raw_addressee.is_empty() {
                warnings
                    .push(format!("Ligne {line} : destinataire « {raw_addressee} » inconnu : « Secrétariat » retenu."));
            }
            defaults.push("adressée au secrétariat".to_owned());
            Addressee::Secretariat
        }
    };

    let complainant_name = first(Field::ComplainantName);
    if complainant_name.is_empty() {
        return Err(format!("Ligne {line} : réclamant non indiqué."));
    }
    let raw_role = first(Field::ComplainantRole);
    let role = match parse_role(&raw_role) {
        Some(r) => r,
        None => {
            let why =
                if raw_role.is_empty() { "non indiquée".to_owned() } else { format!("« {raw_role} » inconnue") };
            warnings.push(format!("Ligne {line} : qualité du réclamant {why} : « Tiers » retenu."));
            defaults.push("qualité du réclamant : tiers".to_owned());
            ComplainantRole::ThirdParty
        }
    };
    let address_lines: Vec<String> = cell(cells, fields, Field::ComplainantAddress)
        .iter()
        .flat_map(|v| v.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>())
        .filter(|l| !l.is_empty())
        .collect();
    let postcode = first(Field::ComplainantPostcode);
    let city = first(Field::ComplainantCity);
    let email = first(Field::ComplainantEmail);
    let phone = first(Field::ComplainantPhone);

    let firm = SheetFirm {
        number: first(Field::FirmNumber),
        siret: clean_siret(&first(Field::FirmSiret)),
        name: first(Field::FirmName),
    };
    if firm.number.is_empty() && firm.siret.is_empty() && firm.name.is_empty() {
        return Err(format!("Ligne {line} : qualifié non indiqué (ni raison sociale, ni n°, ni SIRET)."));
    }
    if let Some(w) = siret_warning(line, &firm.siret) {
        warnings.push(w);
    }

    let mut natures: Vec<Nature> = Vec::new();
    let mut unknown = Vec::new();
    for text in cell(cells, fields, Field::Natures) {
        for part in text.split([',', ';', '/', '+', '&', '\n']).flat_map(|p| p.split(" et ")) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            match parse_nature(part) {
                Some(n) if !natures.contains(&n) => natures.push(n),
                Some(_) => {}
                None => unknown.push(part.to_owned()),
            }
        }
    }
    for (f, n) in [
        (Field::NatureServices, Nature::Services),
        (Field::NatureEthics, Nature::Ethics),
        (Field::NatureMarkUse, Nature::MarkUse),
    ] {
        if let Some(raw) = cell(cells, fields, f).first() {
            if parse_flag(raw) == Some(Some(true)) && !natures.contains(&n) {
                natures.push(n);
            }
        }
    }
    if natures.is_empty() {
        let what =
            if unknown.is_empty() { "absente".to_owned() } else { format!("« {} » inconnue", unknown.join(", ")) };
        return Err(format!(
            "Ligne {line} : nature {what} : indiquez prestations, déontologie ou usage de la marque dans le fichier."
        ));
    }
    if !unknown.is_empty() {
        warnings.push(format!("Ligne {line} : nature « {} » inconnue, ignorée.", unknown.join(", ")));
    }

    let raw_manager = first(Field::Manager);
    let manager = parse_manager(&raw_manager);
    if manager.is_none() && !raw_manager.is_empty() {
        warnings.push(format!("Ligne {line} : responsable « {raw_manager} » inconnu, ignoré."));
    }

    let complaint = SheetComplaint {
        line,
        legacy_reference,
        received_on,
        channel,
        registered_number,
        addressed_to,
        complainant_name,
        role,
        address_lines,
        postcode,
        city,
        email,
        phone,
        firm,
        natures,
        facts: cell(cells, fields, Field::Facts).join("\n"),
        actions_taken: cell(cells, fields, Field::ActionsTaken).join("\n"),
        acknowledged_on,
        firm_informed_on,
        firm_answered_on,
        manager,
        decision,
        closed_on,
        defaults,
        warnings,
    };
    let raw_step = first(Field::Step);
    let mut complaint = complaint;
    if !raw_step.is_empty() {
        let reached = complaint.step();
        match parse_step(&raw_step) {
            Some(s) if s == reached => {}
            Some(_) => complaint.warnings.push(format!(
                "Ligne {line} : étape « {raw_step} » dans le fichier, mais ses dates mènent à « {} » : c'est elle qui est retenue.",
                reached.label()
            )),
            None => complaint.warnings.push(format!("Ligne {line} : étape « {raw_step} » inconnue, ignorée.")),
        }
    }
    Ok(complaint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default()
    }

    const HEADER: &str = "N° réclamation;Reçue le;Canal;Plaignant;Qualité;Adresse;CP;Ville;Entreprise;SIRET;Nature;Faits;AR le;Qualifié informé le;Réponse du qualifié le;Décision;Date de décision;Clôturée le;Statut";

    fn sheet(rows: &[&str]) -> Vec<u8> {
        let mut text = HEADER.to_owned();
        for r in rows {
            text.push('\n');
            text.push_str(r);
        }
        text.into_bytes()
    }

    #[test]
    fn headers_are_recognised_and_each_row_reaches_the_step_its_dates_tell() -> Result<(), String> {
        let p = parse(
            &sheet(&[
                "2023-001;12/01/2023;Courrier;M. Martin;client;3 rue Haute;75001;Paris;Bâtir;;Prestations;Retard;15/01/2023;02/02/2023;20/02/2023;Avertissement;10/04/2023;12/04/2023;Clôturée",
                "2024-007;05/03/2024;LRAR;Mme Durand;tiers;;;;Bâtir;;Déontologie, usage de la marque;;08/03/2024;;;;;;En cours",
                "2024-008;06/03/2024;courriel;Société X;;;;;Bâtir;;prestations;;;;;;;;",
            ]),
            None,
            today(),
        )?;
        assert!(p.missing.is_empty(), "{:?}", p.missing);
        assert_eq!(p.errors, vec![]);
        let fields: Vec<Option<&str>> = p.columns.iter().map(|c| c.field).collect();
        assert_eq!(fields[0], Some("legacy_reference"));
        assert_eq!(fields[12], Some("acknowledged_on"));
        assert_eq!(fields[18], Some("step"));
        let steps: Vec<Step> = p.rows.iter().map(SheetComplaint::step).collect();
        assert_eq!(steps, vec![Step::Closed, Step::Complete, Step::Registered]);
        assert_eq!(
            p.rows[0].decision,
            Some((
                SheetDecision::Decision(Decision::Warning),
                NaiveDate::from_ymd_opt(2023, 4, 10).unwrap_or_default()
            ))
        );
        assert_eq!(p.rows[1].natures, vec![Nature::Ethics, Nature::MarkUse]);
        assert_eq!(p.rows[1].channel, Channel::RegisteredLetter);
        assert!(p.rows[1].warnings.iter().any(|w| w.contains("recommandé sans son numéro")));
        assert!(p.rows[1].warnings.iter().any(|w| w.contains("étape « En cours »")), "{:?}", p.rows[1].warnings);
        assert_eq!(p.rows[2].role, ComplainantRole::ThirdParty);
        assert!(p.rows[2].defaults.contains(&"qualité du réclamant : tiers".to_owned()));
        Ok(())
    }

    #[test]
    fn bad_rows_are_line_errors_in_french_and_the_others_come_in() -> Result<(), String> {
        let p = parse(
            &sheet(&[
                "A1;31/02/2023;Courrier;M. A;client;;;;Bâtir;;Prestations;;;;;;;;",
                "A2;12/01/2023;Courrier;M. B;client;;;;Bâtir;;;;;;;;;;",
                "A3;12/01/2023;Courrier;M. C;client;;;;Bâtir;;Prestations;;10/01/2023;;;;;;",
                "A4;12/01/2023;Courrier;M. D;client;;;;Bâtir;;Prestations;;;;;Avertissement;;;",
                "A5;12/01/2030;Courrier;M. E;client;;;;Bâtir;;Prestations;;;;;;;;",
                "A6;12/01/2023;Courrier;M. F;client;;;;Bâtir;;Prestations;;;;;;;;",
                "A6;13/01/2023;Courrier;M. G;client;;;;Bâtir;;Prestations;;;;;;;;",
                ";13/01/2023;Courrier;M. H;client;;;;Bâtir;;Prestations;;;;;;;;",
            ]),
            None,
            today(),
        )?;
        let messages: Vec<&str> = p.errors.iter().map(|(_, m)| m.as_str()).collect();
        assert!(messages[0].starts_with("Ligne 2 : date de réception illisible (« 31/02/2023 »)"), "{messages:?}");
        assert!(messages[1].starts_with("Ligne 3 : nature absente"), "{messages:?}");
        assert!(
            messages[2].starts_with("Ligne 4 : accusé de réception le 10/01/2023 avant la réception"),
            "{messages:?}"
        );
        assert!(messages[3].contains("sans date de décision"), "{messages:?}");
        assert!(messages[4].contains("dans le futur"), "{messages:?}");
        assert!(messages[5].starts_with("Ligne 8 : référence « A6 » déjà à la ligne 7"), "{messages:?}");
        assert!(messages[6].starts_with("Ligne 9 : ancienne référence absente"), "{messages:?}");
        assert_eq!(p.rows.len(), 1);
        Ok(())
    }

    #[test]
    fn a_mapping_chosen_by_hand_replaces_the_recognised_one() -> Result<(), String> {
        let bytes = "Ref;Quand;Qui;Contre qui;Quoi\nX-1;01/02/2024;M. A;Bâtir;marque\n".as_bytes().to_vec();
        let p = parse(&bytes, None, today())?;
        assert!(!p.missing.is_empty());
        let mapping: Vec<String> =
            ["legacy_reference", "received_on", "complainant_name", "firm_name", "natures"].map(String::from).to_vec();
        let p = parse(&bytes, Some(&mapping), today())?;
        assert!(p.missing.is_empty(), "{:?}", p.missing);
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].firm.name, "Bâtir");
        assert_eq!(p.rows[0].natures, vec![Nature::MarkUse]);
        Ok(())
    }
}
