//! Checks what the secretariat typed and turns it into typed values, one French message per
//! refused field. Pure: no I/O; « today » is a parameter.

use crate::error::{Error, FieldErrors, Result};
use crate::model::{Address, Channel, Checklist, Civility, Complainant, ComplainantRole, Nature};
use chrono::NaiveDate;
use serde::Deserialize;

/// La Poste (NF Z10-011): at most 38 characters per address line.
pub const ADDRESS_LINE_MAX: usize = 38;
/// At most 6 lines in all: name, organisation or complement, up to 3 street lines, postcode + city.
pub const STREET_LINES_MAX: usize = 3;
const SHORT_TEXT_MAX: usize = 200;
/// Facts and actions can be long letters typed or pasted in; 200 000 characters is ~60 pages.
const LONG_TEXT_MAX: usize = 200_000;

/// The « Nouvelle réclamation » form as typed (every value as text, so that a wrong one comes
/// back as a message next to its field rather than as a decoding failure).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ComplaintForm {
    pub received_on: String,
    pub channel: String,
    pub registered_number: String,
    pub email_subject: String,
    pub addressed_to: String,
    pub complainant: ComplainantForm,
    /// An existing firm of the register…
    pub firm_id: Option<i64>,
    /// …or one created inline.
    pub new_firm: Option<FirmForm>,
    pub facts: String,
    pub actions_taken: String,
    pub natures: Vec<String>,
    pub checklist: Checklist,
    /// « Répondre par courriel (pas d'adresse postale) »: only for a complaint received by
    /// email, and then the complainant's email is required instead of a postal address.
    pub reply_by_email: bool,
}

/// What a complainant must be reachable by, at intake: « Adresse postale incomplète … ».
pub const ADDRESS_REQUIRED: &str = "Adresse postale incomplète : indiquez l'adresse, le code postal et la ville du plaignant (ou, pour une réclamation reçue par courriel, cochez « Répondre par courriel »).";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ComplainantForm {
    pub role: String,
    pub civility: String,
    pub name: String,
    pub organisation: String,
    /// Street lines separated by line breaks.
    pub address_lines: String,
    pub postcode: String,
    pub city: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FirmForm {
    /// « N° qualifié »: the firm's number in the organisation; empty when unknown.
    pub number: String,
    pub name: String,
    pub siret: String,
    /// The secretary confirmed a SIRET whose check digit fails: kept, flagged « à vérifier ».
    pub confirm_siret: bool,
    /// Why an existing firm is changed (its history says it); empty for a new firm.
    pub reason: String,
    pub address_lines: String,
    pub postcode: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub is_qualified: bool,
    pub is_certified: bool,
    pub is_rge: bool,
}

/// A firm ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidFirm {
    pub number: Option<String>,
    pub name: String,
    pub siret: Option<String>,
    pub address: Address,
    pub email: String,
    pub phone: String,
    pub is_qualified: bool,
    pub is_certified: bool,
    pub is_rge: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirmChoice {
    Existing(i64),
    New(ValidFirm),
}

/// A complaint ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidComplaint {
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub registered_number: String,
    pub email_subject: String,
    pub addressed_to: crate::model::Addressee,
    pub complainant: Complainant,
    pub firm: FirmChoice,
    pub facts: String,
    pub actions_taken: String,
    pub natures: Vec<Nature>,
    pub checklist: Checklist,
    /// Answered by email: no postal address was required (the complainant's email was).
    pub reply_by_email: bool,
    /// Things worth a second look that do not block saving.
    pub warnings: Vec<String>,
}

/// Collects messages field by field.
#[derive(Default)]
struct Check {
    errors: FieldErrors,
}

impl Check {
    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.entry(field.to_owned()).or_insert_with(|| message.into());
    }

    /// Trims, refuses control characters (other than line breaks where allowed) and overlong text.
    fn text(&mut self, field: &str, value: &str, max: usize, multiline: bool) -> String {
        let cleaned = if multiline { value.replace("\r\n", "\n").replace('\r', "\n") } else { value.to_owned() };
        let trimmed = cleaned.trim();
        if trimmed.chars().count() > max {
            self.fail(field, format!("Ce texte est trop long : {max} caractères au plus."));
        } else if trimmed.chars().any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t'))) {
            self.fail(field, "Ce texte contient des caractères invisibles non autorisés : retapez-le.");
        }
        trimmed.to_owned()
    }

    fn required(&mut self, field: &str, value: &str, message: &str) -> String {
        let v = self.text(field, value, SHORT_TEXT_MAX, false);
        if v.is_empty() {
            self.fail(field, message);
        }
        v
    }

    /// `complete_if_any`: once one part is typed, all three are required (a complainant must be
    /// reachable by post); a firm of the register may be known by its town only.
    fn address(&mut self, prefix: &str, lines: &str, postcode: &str, city: &str, complete_if_any: bool) -> Address {
        let lines_field = format!("{prefix}.address_lines");
        let raw = self.text(&lines_field, lines, SHORT_TEXT_MAX, true);
        let lines: Vec<String> =
            raw.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect();
        if lines.len() > STREET_LINES_MAX {
            self.fail(&lines_field, format!("{STREET_LINES_MAX} lignes d'adresse au plus (norme postale)."));
        }
        if let Some(long) = lines.iter().find(|l| l.chars().count() > ADDRESS_LINE_MAX) {
            self.fail(
                &lines_field,
                format!("La ligne « {long} » dépasse {ADDRESS_LINE_MAX} caractères (norme postale) : coupez-la en deux lignes."),
            );
        }
        let postcode_field = format!("{prefix}.postcode");
        let postcode = self.text(&postcode_field, postcode, SHORT_TEXT_MAX, false).replace(' ', "");
        if !postcode.is_empty() && (postcode.len() != 5 || !postcode.chars().all(|c| c.is_ascii_digit())) {
            self.fail(&postcode_field, "Le code postal compte 5 chiffres (par exemple 75007).");
        }
        let city_field = format!("{prefix}.city");
        let city = self.text(&city_field, city, SHORT_TEXT_MAX, false);
        if city.chars().count() > ADDRESS_LINE_MAX - 6 {
            self.fail(
                &city_field,
                format!("Le nom de la ville compte {} caractères au plus (norme postale).", ADDRESS_LINE_MAX - 6),
            );
        }
        let any = !lines.is_empty() || !postcode.is_empty() || !city.is_empty();
        if complete_if_any && any {
            if lines.is_empty() {
                self.fail(&lines_field, "Indiquez au moins une ligne d'adresse (numéro et voie).");
            }
            if postcode.is_empty() {
                self.fail(&postcode_field, "Indiquez le code postal.");
            }
            if city.is_empty() {
                self.fail(&city_field, "Indiquez la ville.");
            }
        }
        Address { lines, postcode, city }
    }

    fn email(&mut self, field: &str, value: &str) -> String {
        let v = self.text(field, value, SHORT_TEXT_MAX, false);
        if !v.is_empty() && !is_plausible_email(&v) {
            self.fail(field, "Cette adresse électronique n'est pas valide (exemple : nom@domaine.fr).");
        }
        v
    }

    fn phone(&mut self, field: &str, value: &str) -> String {
        let v = self.text(field, value, SHORT_TEXT_MAX, false);
        let digits = v.chars().filter(char::is_ascii_digit).count();
        let allowed = v.chars().all(|c| c.is_ascii_digit() || " .-+()".contains(c));
        if !v.is_empty() && (!allowed || !(10..=15).contains(&digits)) {
            self.fail(field, "Ce numéro de téléphone n'est pas valide (exemple : 01 23 45 67 89).");
        }
        v
    }

    fn finish<T>(self, value: T) -> Result<T> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(Error::Validation { fields: self.errors })
        }
    }
}

pub(crate) fn is_plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
        && !domain.contains('@')
}

/// Parses « 28/11/2026 » (as typed) or « 2026-11-28 » (ISO).
/// The one message for a date that cannot be read.
pub const INVALID_DATE: &str = "Date invalide : utilisez le format JJ/MM/AAAA.";

/// « Date de la séance invalide : utilisez le format JJ/MM/AAAA. »
pub fn invalid_date_of(what: &str) -> String {
    format!("{what} invalide : utilisez le format JJ/MM/AAAA.")
}

/// A typed date (JJ/MM/AAAA, or ISO), or the message to show next to its field.
pub fn read_date(typed: &str) -> std::result::Result<NaiveDate, &'static str> {
    parse_date(typed).ok_or(INVALID_DATE)
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d/%m/%Y").or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d")).ok()
}

use crate::french::fold;

/// SIRET: 14 digits whose Luhn sum is a multiple of 10 — except La Poste's establishments
/// (SIREN 356 000 000), whose digit sum is a multiple of 5 (INSEE rule).
pub fn siret_is_valid(siret: &str) -> bool {
    if siret.len() != 14 || !siret.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits: Vec<u32> = siret.bytes().map(|b| u32::from(b - b'0')).collect();
    let luhn: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    luhn.is_multiple_of(10) || (siret.starts_with("356000000") && digits.iter().sum::<u32>().is_multiple_of(5))
}

/// A French registered-letter number: « 1A 123 456 7890 1 » (2 + 11 characters) or the
/// international form « RR 123 456 789 FR ». Returns it normalised without spaces.
pub fn normalise_registered_number(s: &str) -> Option<String> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let b = compact.as_bytes();
    let domestic =
        b.len() == 13 && b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2..].iter().all(u8::is_ascii_digit);
    let international = b.len() == 13
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..11].iter().all(u8::is_ascii_digit)
        && b[11..].iter().all(u8::is_ascii_uppercase);
    (domestic || international).then_some(compact)
}

/// A registered number as printed on La Poste's slips: « 1A12345678901 » → « 1A 123 456 7890 1 »,
/// « RR123456789FR » → « RR 123 456 789 FR ». Numbers are stored without spaces (see
/// [`normalise_registered_number`]) and shown with them; anything else is shown as it is.
pub fn spaced_registered(n: &str) -> String {
    match normalise_registered_number(n) {
        Some(c) if c.as_bytes()[0].is_ascii_digit() => {
            format!("{} {} {} {} {}", &c[..2], &c[2..5], &c[5..8], &c[8..12], &c[12..])
        }
        Some(c) => format!("{} {} {} {} {}", &c[..2], &c[2..5], &c[5..8], &c[8..11], &c[11..]),
        None => n.trim().to_owned(),
    }
}

/// A SIRET that has not 14 digits; the form offers to keep it anyway (« à vérifier »).
pub const SIRET_LENGTH: &str = "Le SIRET compte 14 chiffres : vérifiez-le, laissez-le vide s'il n'est pas connu, \
     ou cochez « Garder ce SIRET (à vérifier) ».";
/// A SIRET whose check digit fails; the form offers to keep it anyway (« à vérifier »).
pub const SIRET_CHECK_DIGIT: &str = "La clé de contrôle de ce SIRET est incorrecte : vérifiez les 14 chiffres, \
     ou cochez « Garder ce SIRET (à vérifier) » s'il est bien celui du document reçu.";

/// A stored SIRET that a secretary should check: not 14 digits, or its check digit fails.
pub fn siret_to_check(siret: Option<&str>) -> bool {
    siret.is_some_and(|s| !siret_is_valid(s))
}

pub fn validate_firm(form: &FirmForm, prefix: &str) -> Result<ValidFirm> {
    let mut c = Check::default();
    let firm = firm_fields(&mut c, form, prefix);
    c.finish(firm)
}

fn firm_fields(c: &mut Check, form: &FirmForm, prefix: &str) -> ValidFirm {
    let name = c.required(&format!("{prefix}.name"), &form.name, "Indiquez la raison sociale du qualifié ou certifié.");
    let siret_field = format!("{prefix}.siret");
    let siret_raw: String =
        c.text(&siret_field, &form.siret, SHORT_TEXT_MAX, false).chars().filter(|ch| !ch.is_whitespace()).collect();
    let siret = if siret_raw.is_empty() {
        None
    } else {
        if !form.confirm_siret {
            if siret_raw.len() != 14 || !siret_raw.bytes().all(|b| b.is_ascii_digit()) {
                c.fail(&siret_field, SIRET_LENGTH);
            } else if !siret_is_valid(&siret_raw) {
                c.fail(&siret_field, SIRET_CHECK_DIGIT);
            }
        }
        Some(siret_raw)
    };
    let number = c.text(&format!("{prefix}.number"), &form.number, 40, false);
    let number = (!number.is_empty()).then_some(number);
    let address = c.address(prefix, &form.address_lines, &form.postcode, &form.city, false);
    if !address.postcode.is_empty() && address.city.is_empty() {
        c.fail(&format!("{prefix}.city"), "Indiquez la ville qui va avec le code postal.");
    }
    let email = c.email(&format!("{prefix}.email"), &form.email);
    let phone = c.phone(&format!("{prefix}.phone"), &form.phone);
    ValidFirm {
        number,
        name,
        siret,
        address,
        email,
        phone,
        is_qualified: form.is_qualified,
        is_certified: form.is_certified,
        is_rge: form.is_rge,
    }
}

/// A person the organisation writes to (an instructeur, an expert) as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContactForm<'a> {
    pub civility: &'a str,
    pub name: &'a str,
    pub address_lines: &'a str,
    pub postcode: &'a str,
    pub city: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub speciality: &'a str,
}

/// A person ready to be stored: letters go to `address`, which is complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidContact {
    pub civility: Option<Civility>,
    pub name: String,
    pub address: Address,
    pub email: String,
    pub phone: String,
    pub speciality: String,
}

/// Checks a person the letters are addressed to: name and a complete postal address required,
/// email and phone plausible when given. Messages are keyed by the form's own field names
/// (`name`, `address_lines`, `postcode`, `city`, `email`, …).
pub fn validate_contact(form: &ContactForm<'_>) -> Result<ValidContact> {
    let mut c = Check::default();
    let civility = match form.civility.trim() {
        "" => None,
        code => {
            let parsed = Civility::from_code(code);
            if parsed.is_none() {
                c.fail("civility", "Choisissez Madame, Monsieur ou rien.");
            }
            parsed
        }
    };
    let name = c.required("name", form.name, "Indiquez le nom de la personne.");
    if name.chars().count() > ADDRESS_LINE_MAX {
        c.fail(
            "name",
            format!("Le nom compte {ADDRESS_LINE_MAX} caractères au plus (il figure sur l'adresse des courriers)."),
        );
    }
    let address = c.address("p", form.address_lines, form.postcode, form.city, true);
    if address.lines.is_empty() && address.postcode.is_empty() && address.city.is_empty() {
        c.fail("p.address_lines", "Indiquez l'adresse postale complète : les courriers lui sont adressés.");
    }
    let email = c.email("email", form.email);
    let phone = c.phone("phone", form.phone);
    let speciality = c.text("speciality", form.speciality, SHORT_TEXT_MAX, false);
    // The address rules key their messages `p.<field>`: the form's keys have no prefix.
    c.errors = std::mem::take(&mut c.errors)
        .into_iter()
        .map(|(k, v)| (k.strip_prefix("p.").map_or_else(|| k.clone(), str::to_owned), v))
        .collect();
    c.finish(ValidContact { civility, name, address, email, phone, speciality })
}

/// Validates the « Nouvelle réclamation » form against « today ».
pub fn validate_complaint(form: &ComplaintForm, today: NaiveDate) -> Result<ValidComplaint> {
    let mut c = Check::default();
    let mut warnings = Vec::new();

    let received_on = match parse_date(&form.received_on) {
        None if form.received_on.trim().is_empty() => {
            c.fail("received_on", "Indiquez la date de réception.");
            today
        }
        None => {
            c.fail("received_on", INVALID_DATE);
            today
        }
        Some(d) if d > today => {
            c.fail("received_on", "La date de réception ne peut pas être dans le futur.");
            d
        }
        Some(d) if d.year_ce().1 < 2000 => {
            c.fail("received_on", "La date de réception est antérieure à l'an 2000 : vérifiez l'année.");
            d
        }
        Some(d) => d,
    };

    let channel = Channel::from_code(&form.channel);
    let mut registered_number = String::new();
    let mut email_subject = String::new();
    match channel {
        None => c.fail("channel", "Choisissez le canal : courrier simple, courrier recommandé ou courriel."),
        Some(Channel::RegisteredLetter) => {
            let raw = c.text("registered_number", &form.registered_number, SHORT_TEXT_MAX, false);
            if raw.is_empty() {
                c.fail("registered_number", "Indiquez le numéro du recommandé (par exemple 1A 123 456 7890 1).");
            } else if let Some(n) = normalise_registered_number(&raw) {
                registered_number = n;
            } else {
                c.fail(
                    "registered_number",
                    "Numéro de recommandé invalide : 13 caractères, comme 1A 123 456 7890 1 ou RR 123 456 789 FR.",
                );
            }
        }
        Some(Channel::Email) => {
            email_subject = c.required("email_subject", &form.email_subject, "Indiquez l'objet du courriel reçu.");
            if !email_subject.is_empty() && !subject_mentions_reclamation(&email_subject) {
                warnings.push(
                    "L'objet du courriel ne contient pas « réclamation » : vérifiez qu'il s'agit bien d'une réclamation."
                        .to_owned(),
                );
            }
        }
        Some(Channel::Letter) => {}
    }

    let addressed_to = crate::model::Addressee::from_code(&form.addressed_to);
    if addressed_to.is_none() {
        c.fail("addressed_to", "Indiquez à qui la réclamation était adressée.");
    }

    let cf = &form.complainant;
    let role = ComplainantRole::from_code(&cf.role);
    if role.is_none() {
        c.fail("complainant.role", "Indiquez si le plaignant est un client du qualifié ou un tiers.");
    }
    let civility = match cf.civility.as_str() {
        "" => None,
        code => {
            let civ = Civility::from_code(code);
            if civ.is_none() {
                c.fail("complainant.civility", "Civilité inconnue : choisissez Madame, Monsieur ou rien.");
            }
            civ
        }
    };
    let name = c.required("complainant.name", &cf.name, "Indiquez le nom du plaignant.");
    let civility_len = civility.map_or(0, |civ| civ.label().chars().count() + 1);
    if name.chars().count() + civility_len > ADDRESS_LINE_MAX {
        c.fail(
            "complainant.name",
            format!("Civilité et nom dépassent {ADDRESS_LINE_MAX} caractères (norme postale) : abrégez le prénom."),
        );
    }
    let organisation = c.text("complainant.organisation", &cf.organisation, SHORT_TEXT_MAX, false);
    if organisation.chars().count() > ADDRESS_LINE_MAX {
        c.fail("complainant.organisation", format!("{ADDRESS_LINE_MAX} caractères au plus (norme postale)."));
    }
    let address = c.address("complainant", &cf.address_lines, &cf.postcode, &cf.city, true);
    let email = c.email("complainant.email", &cf.email);
    let phone = c.phone("complainant.phone", &cf.phone);
    // Every complainant can be written to (procedure 5.4: both parties are informed by letter):
    // a complete postal address, unless an email complaint is to be answered by email.
    let reply_by_email = form.reply_by_email;
    if reply_by_email {
        if channel.is_some_and(|ch| ch != Channel::Email) {
            c.fail(
                "reply_by_email",
                "« Répondre par courriel » n'est possible que pour une réclamation reçue par courriel : décochez-le ou indiquez l'adresse postale.",
            );
        }
        if email.is_empty() {
            c.fail(
                "complainant.email",
                "Indiquez le courriel du plaignant : c'est à cette adresse qu'il lui sera répondu (« Répondre par courriel » est coché).",
            );
        }
    } else if address.lines.is_empty() && address.postcode.is_empty() && address.city.is_empty() {
        // A partly typed address already has a message on each missing part.
        c.fail("complainant.address_lines", ADDRESS_REQUIRED);
    }

    let firm = match (&form.new_firm, form.firm_id) {
        (Some(f), _) => FirmChoice::New(firm_fields(&mut c, f, "firm")),
        (None, Some(id)) if id > 0 => FirmChoice::Existing(id),
        _ => {
            c.fail("firm_id", "Choisissez le qualifié ou certifié concerné, ou créez-le.");
            FirmChoice::Existing(0)
        }
    };

    let facts = c.text("facts", &form.facts, LONG_TEXT_MAX, true);
    let actions_taken = c.text("actions_taken", &form.actions_taken, LONG_TEXT_MAX, true);

    let mut natures = Vec::new();
    for code in &form.natures {
        match Nature::from_code(code) {
            Some(n) if !natures.contains(&n) => natures.push(n),
            Some(_) => {}
            None => c.fail("natures", "Nature inconnue."),
        }
    }
    if natures.is_empty() {
        c.fail("natures", "Cochez au moins une nature : prestations, déontologie ou usage de la marque.");
    }

    // The checklist is the secretariat's judgement, but it cannot confirm what is not there.
    let list = form.checklist;
    if list.facts && facts.is_empty() {
        c.fail("checklist.facts", "Les faits ne sont pas saisis : décochez cet élément ou saisissez les faits.");
    }
    if list.actions_taken && actions_taken.is_empty() {
        c.fail(
            "checklist.actions_taken",
            "Les actions déjà menées ne sont pas saisies : décochez cet élément ou saisissez-les.",
        );
    }
    if list.complainant_details && !address.is_complete() && email.is_empty() && phone.is_empty() {
        c.fail(
            "checklist.complainant_details",
            "Les coordonnées du plaignant ne sont pas saisies : décochez cet élément.",
        );
    }

    let complainant = Complainant {
        role: role.unwrap_or(ComplainantRole::Client),
        civility,
        name,
        organisation,
        address,
        email,
        phone,
    };
    let valid = ValidComplaint {
        received_on,
        channel: channel.unwrap_or(Channel::Letter),
        registered_number,
        email_subject,
        addressed_to: addressed_to.unwrap_or(crate::model::Addressee::Secretariat),
        complainant,
        firm,
        facts,
        actions_taken,
        natures,
        checklist: list,
        reply_by_email,
        warnings,
    };
    c.finish(valid)
}

use chrono::Datelike as _;

/// Whether an e-mail's subject says « réclamation », accents and case aside: the intake form
/// warns (without refusing) when it does not.
pub fn subject_mentions_reclamation(subject: &str) -> bool {
    fold(subject).contains("reclamation")
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
    }

    /// The fixtures' sample complaint, with a second street line and one nature.
    pub(crate) fn sample_form() -> ComplaintForm {
        let mut form = crate::fixtures::sample_complaint();
        form.complainant.address_lines = "12 rue des Lilas\nBâtiment B".into();
        form.natures = vec!["services".into()];
        form
    }

    fn errors(form: &ComplaintForm) -> FieldErrors {
        match validate_complaint(form, today()) {
            Err(Error::Validation { fields }) => fields,
            _ => FieldErrors::new(),
        }
    }

    #[test]
    fn a_complete_form_is_accepted() -> Result<()> {
        let v = validate_complaint(&sample_form(), today())?;
        assert_eq!(v.received_on, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default());
        assert_eq!(v.complainant.address.lines, vec!["12 rue des Lilas", "Bâtiment B"]);
        assert!(v.checklist.is_complete());
        assert!(v.warnings.is_empty());
        Ok(())
    }

    #[test]
    fn an_empty_form_names_each_required_field() {
        let e = errors(&ComplaintForm::default());
        for field in
            ["received_on", "channel", "addressed_to", "complainant.role", "complainant.name", "firm_id", "natures"]
        {
            assert!(e.contains_key(field), "{field} missing from {e:?}");
        }
    }

    #[test]
    fn receipt_date_cannot_be_in_the_future_or_malformed() {
        let mut f = sample_form();
        f.received_on = "29/11/2026".into();
        assert_eq!(errors(&f)["received_on"], "La date de réception ne peut pas être dans le futur.");
        f.received_on = "31/02/2026".into();
        assert!(errors(&f)["received_on"].starts_with("Date invalide"));
        f.received_on = "2026-11-28".into();
        assert!(errors(&f).is_empty());
    }

    #[test]
    fn registered_letter_needs_a_well_formed_number() -> Result<()> {
        let mut f = sample_form();
        f.channel = "registered_letter".into();
        assert!(errors(&f).contains_key("registered_number"));
        f.registered_number = "1A 123".into();
        assert!(errors(&f)["registered_number"].starts_with("Numéro de recommandé invalide"));
        f.registered_number = "1a 123 456 7890 1".into();
        assert_eq!(validate_complaint(&f, today())?.registered_number, "1A12345678901");
        f.registered_number = "RR 123 456 789 FR".into();
        assert_eq!(validate_complaint(&f, today())?.registered_number, "RR123456789FR");
        Ok(())
    }

    #[test]
    fn email_subject_without_reclamation_warns_but_passes() -> Result<()> {
        let mut f = sample_form();
        f.channel = "email".into();
        f.email_subject = "Problème avec mon économiste".into();
        let v = validate_complaint(&f, today())?;
        assert_eq!(v.warnings.len(), 1);
        f.email_subject = "RECLAMATION cabinet Dupont".into();
        assert!(validate_complaint(&f, today())?.warnings.is_empty());
        f.email_subject = "Réclamation".into();
        assert!(validate_complaint(&f, today())?.warnings.is_empty());
        Ok(())
    }

    #[test]
    fn siret_checksum() {
        assert!(siret_is_valid("73282932000074")); // a published SIRET
        assert!(!siret_is_valid("73282932000075"));
        assert!(!siret_is_valid("7328293200007"));
        assert!(!siret_is_valid("7328293200007A"));
        assert!(siret_is_valid("35600000000048")); // La Poste's head office: Luhn
        assert!(siret_is_valid("35600000000010")); // a La Poste establishment: digit sum 15
        assert!(!siret_is_valid("35600000000011"));
        let mut f = sample_form();
        if let Some(firm) = f.new_firm.as_mut() {
            firm.siret = "732 829 320 00075".into();
        }
        assert!(errors(&f)["firm.siret"].contains("clé de contrôle"));
        // Confirmed by the secretary: kept as typed, and flagged « à vérifier ».
        if let Some(firm) = f.new_firm.as_mut() {
            firm.confirm_siret = true;
        }
        assert!(!errors(&f).contains_key("firm.siret"));
        assert!(siret_to_check(Some("73282932000075")) && !siret_to_check(Some("73282932000074")));
        assert!(!siret_to_check(None));
    }

    #[test]
    fn address_follows_postal_rules() {
        let mut f = sample_form();
        f.complainant.postcode = "6900".into();
        f.complainant.address_lines = "1\n2\n3\n4".into();
        let e = errors(&f);
        assert!(e["complainant.postcode"].contains("5 chiffres"));
        assert!(e["complainant.address_lines"].contains("3 lignes"));
        f = sample_form();
        f.complainant.address_lines = "Résidence des Grands Chênes, escalier C, appartement 42".into();
        assert!(errors(&f)["complainant.address_lines"].contains("38 caractères"));
    }

    /// An email complaint with an email address and no postal address.
    fn email_form_without_address() -> ComplaintForm {
        let mut f = sample_form();
        f.channel = "email".into();
        f.email_subject = "Réclamation".into();
        f.complainant.address_lines.clear();
        f.complainant.postcode.clear();
        f.complainant.city.clear();
        f
    }

    #[test]
    fn a_letter_without_a_postal_address_is_refused_next_to_the_address() {
        let mut f = sample_form();
        f.complainant.address_lines.clear();
        f.complainant.postcode.clear();
        f.complainant.city.clear();
        // An email address is not enough: the letters of the procedure go by post.
        assert!(!f.complainant.email.is_empty());
        let e = errors(&f);
        assert_eq!(e["complainant.address_lines"], ADDRESS_REQUIRED);
        assert!(
            ADDRESS_REQUIRED.starts_with("Adresse postale incomplète : indiquez l'adresse, le code postal et la ville")
        );
        assert_eq!(e.len(), 1, "{e:?}");
        // A partly typed address names each missing part next to it.
        f.complainant.address_lines = "12 rue des Lilas".into();
        let e = errors(&f);
        assert_eq!(e["complainant.postcode"], "Indiquez le code postal.");
        assert_eq!(e["complainant.city"], "Indiquez la ville.");
        assert!(!e.contains_key("complainant.address_lines"), "{e:?}");
        // An email complaint not ticked « Répondre par courriel » needs the address as well.
        let e = errors(&email_form_without_address());
        assert_eq!(e["complainant.address_lines"], ADDRESS_REQUIRED);
    }

    #[test]
    fn an_email_complaint_answered_by_email_needs_no_postal_address() -> Result<()> {
        let mut f = email_form_without_address();
        f.reply_by_email = true;
        let v = validate_complaint(&f, today())?;
        assert!(v.reply_by_email);
        assert!(!v.complainant.address.is_complete());
        assert_eq!(v.complainant.email, "claire.lefevre@example.fr");
        // The checklist's « coordonnées » stay the secretariat's judgement: an email counts.
        assert!(v.checklist.complainant_details);
        // Not ticked, the flag is not stored.
        assert!(!validate_complaint(&sample_form(), today())?.reply_by_email);
        Ok(())
    }

    #[test]
    fn answering_by_email_needs_the_complainants_email() {
        let mut f = email_form_without_address();
        f.reply_by_email = true;
        f.complainant.email.clear();
        f.checklist.complainant_details = false;
        let e = errors(&f);
        assert!(e["complainant.email"].starts_with("Indiquez le courriel du plaignant"), "{e:?}");
        assert!(!e.contains_key("complainant.address_lines"), "{e:?}");
        assert_eq!(e.len(), 1, "{e:?}");
    }

    #[test]
    fn answering_by_email_is_only_for_an_email_complaint() {
        for channel in ["letter", "registered_letter"] {
            let mut f = email_form_without_address();
            f.channel = channel.into();
            f.registered_number = "1A 123 456 7890 1".into();
            f.reply_by_email = true;
            let e = errors(&f);
            assert!(e["reply_by_email"].contains("réclamation reçue par courriel"), "{channel}: {e:?}");
            assert_eq!(e.len(), 1, "{channel}: {e:?}");
        }
    }

    #[test]
    fn checklist_cannot_confirm_what_is_missing() {
        let mut f = sample_form();
        f.facts = "   ".into();
        assert!(errors(&f).contains_key("checklist.facts"));
        f.checklist.facts = false;
        assert!(errors(&f).is_empty());
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_kept() -> Result<()> {
        let mut f = sample_form();
        f.facts = "ligne 1\r\nligne 2".into();
        assert_eq!(validate_complaint(&f, today())?.facts, "ligne 1\nligne 2");
        f.complainant.name = "Claire\u{0}".into();
        assert!(errors(&f).contains_key("complainant.name"));
        Ok(())
    }

    #[test]
    fn a_subject_mentions_reclamation_whatever_its_accents() {
        assert!(subject_mentions_reclamation("RÉCLAMATION contre Durand"));
        assert!(subject_mentions_reclamation("Ma reclamation"));
        assert!(!subject_mentions_reclamation("Question sur un devis"));
    }
}
