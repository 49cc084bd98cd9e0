//! A postal address and a phone number written in an email's text — its signature, usually —
//! found to be proposed to the secretary « à vérifier ». Nothing here writes them anywhere:
//! the intake card shows them and the secretary takes them or not.
//!
//! Address: the last line giving a French postcode (5 digits) and a town — « 75011 Paris »,
//! « 12 rue des Lilas, 75011 Paris », « 69003 LYON CEDEX 03 » — with the street lines above it
//! (a number or a way: « rue », « avenue », « BP »…). Phone: French numbers, « 06 12 34 56 78 »,
//! « 06.12.34.56.78 », « 0612345678 », « +33 6 12 34 56 78 », « +33 (0)6 … », « 0033 6 … »,
//! given back as « 06 12 34 56 78 »; a number on a line saying « Tél », « Portable »… is
//! preferred, else the last one. Fax lines are left out.

use crate::french::fold;
use serde::Serialize;

/// What the text gives; empty strings where it gives nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FoundContact {
    /// Street lines, top to bottom (none when only the town was found).
    pub address_lines: Vec<String>,
    pub postcode: String,
    pub city: String,
    /// National format, « 06 12 34 56 78 ».
    pub phone: String,
}

impl FoundContact {
    pub fn is_empty(&self) -> bool {
        self.postcode.is_empty() && self.phone.is_empty()
    }
}

/// Words of a street line (accents folded, lower case), or the start of one.
const WAY_WORDS: [&str; 44] = [
    "rue",
    "avenue",
    "av",
    "av.",
    "bd",
    "bd.",
    "boulevard",
    "chemin",
    "ch.",
    "allee",
    "allees",
    "place",
    "pl.",
    "impasse",
    "imp.",
    "route",
    "rte",
    "quai",
    "cours",
    "square",
    "lieu-dit",
    "lieudit",
    "residence",
    "batiment",
    "bat",
    "bat.",
    "bp",
    "cs",
    "lotissement",
    "hameau",
    "faubourg",
    "voie",
    "passage",
    "sentier",
    "rond-point",
    "parvis",
    "esplanade",
    "promenade",
    "cite",
    "domaine",
    "appartement",
    "apt",
    "escalier",
    "chez",
];

/// Words after a 5-digit number that say it is not a postcode.
const NOT_A_TOWN: [&str; 14] =
    ["euros", "euro", "eur", "€", "habitants", "km", "m2", "m²", "ht", "ttc", "kwh", "jours", "ans", "mois"];

/// Searches `text` for an address and a phone number.
pub fn find_contact(text: &str) -> FoundContact {
    let lines: Vec<String> = text.lines().map(|l| l.replace(['\u{a0}', '\u{202f}'], " ").trim().to_owned()).collect();
    let mut found = FoundContact::default();
    for (i, line) in lines.iter().enumerate().rev() {
        let Some((street, postcode, city)) = postcode_line(line) else { continue };
        let mut street_lines: Vec<String> = Vec::new();
        if street.is_empty() {
            for above in lines.get(..i).unwrap_or_default().iter().rev().take(3) {
                if !is_street_line(above) {
                    break;
                }
                street_lines.insert(0, above.clone());
            }
        } else {
            street_lines.push(street);
        }
        found.address_lines = street_lines;
        found.postcode = postcode;
        found.city = city;
        break;
    }
    let mut labelled = None;
    let mut last = None;
    for line in &lines {
        let folded = fold(line);
        let words: Vec<&str> = folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        if words.iter().any(|w| matches!(*w, "fax" | "telecopie")) {
            continue;
        }
        let Some(phone) = phones_in(line).pop() else { continue };
        let labels = ["tel", "telephone", "portable", "port", "mobile", "gsm", "phone", "fixe"];
        if words.iter().any(|w| labels.contains(w)) {
            labelled = Some(phone.clone());
        }
        last = Some(phone.clone());
    }
    found.phone = labelled.or(last).unwrap_or_default();
    found
}

fn is_way_word(word: &str) -> bool {
    let w = fold(word.trim_matches(|c: char| c == ',' || c == ':'));
    WAY_WORDS.contains(&w.as_str())
}

/// « 12 rue des Lilas », « 3bis, avenue … », « Résidence les Pins », « BP 42 ».
fn is_street_line(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty() || line.contains('@') || line.chars().count() > 60 || line.contains("http") {
        return false;
    }
    let has_letters = line.chars().any(char::is_alphabetic);
    let starts_with_number = line.chars().next().is_some_and(|c| c.is_ascii_digit());
    (starts_with_number && has_letters && phones_in(line).is_empty()) || line.split_whitespace().any(is_way_word)
}

/// A line ending with « postcode town », with what comes before it when that is a street.
fn postcode_line(line: &str) -> Option<(String, String, String)> {
    if line.contains('@') || line.chars().count() > 80 {
        return None;
    }
    let bytes = line.as_bytes();
    for start in 0..bytes.len() {
        let digits = bytes.get(start..start + 5)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            continue;
        }
        if start > 0 && bytes.get(start - 1).is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        if bytes.get(start + 5).is_none_or(|b| *b != b' ') {
            continue;
        }
        let postcode = line.get(start..start + 5)?;
        let department: u32 = postcode.get(..2)?.parse().ok()?;
        if !(1..=98).contains(&department) || department == 96 {
            continue;
        }
        let city = line.get(start + 6..)?.trim().trim_end_matches(['.', ',', ';']).trim();
        if !is_town(city) {
            continue;
        }
        let before = line.get(..start)?.trim().trim_end_matches([',', '-', '–', ';']).trim();
        // « Jean Dupont - 3 avenue Foch, 69003 Lyon »: the street from its first segment on.
        let marked = [" - ", " – ", " | ", " / "].iter().fold(before.to_owned(), |b, sep| b.replace(sep, "\u{1}"));
        let segments: Vec<&str> = marked.split('\u{1}').map(str::trim).collect();
        let street = match segments.iter().position(|s| is_street_line(s)) {
            Some(j) => segments.get(j..).unwrap_or_default().join(", "),
            None if before.is_empty() => String::new(),
            None => continue,
        };
        return Some((street, postcode.to_owned(), city.to_owned()));
    }
    None
}

/// « Paris », « Saint-Étienne », « L'Haÿ-les-Roses », « LYON CEDEX 03 »: letters first, at
/// most 5 words and 32 characters, digits only after « cedex ».
fn is_town(city: &str) -> bool {
    let words: Vec<&str> = city.split_whitespace().collect();
    let Some(first) = words.first() else { return false };
    if words.len() > 5 || city.chars().count() > 32 || NOT_A_TOWN.contains(&fold(first).as_str()) {
        return false;
    }
    let cedex = words.iter().position(|w| fold(w) == "cedex");
    words.iter().enumerate().all(|(k, w)| {
        let digits_allowed = cedex.is_some_and(|c| k > c);
        w.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’') || (digits_allowed && c.is_ascii_digit()))
            && (k > 0 || w.chars().next().is_some_and(char::is_alphabetic))
    })
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '/')
}

/// French phone numbers in `line`, in national format.
fn phones_in(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.replace(['\u{a0}', '\u{202f}'], " ").chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars.get(i).is_some_and(|c| *c == '+' || *c == '0')
            && (i == 0 || chars.get(i - 1).is_some_and(|p| !p.is_alphanumeric() && *p != '+'));
        if starts {
            if let Some((phone, used)) = phone_at(chars.get(i..).unwrap_or_default()) {
                out.push(phone);
                i += used;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The phone number starting at `chars[0]`, and how many characters it takes.
fn phone_at(chars: &[char]) -> Option<(String, usize)> {
    let text: String = chars.iter().take(8).collect();
    let (mut k, needed) = if text.starts_with("+33") {
        (3, 9)
    } else if text.starts_with("0033") {
        (4, 9)
    } else {
        (0, 10)
    };
    let international = needed == 9;
    if international {
        while chars.get(k).is_some_and(|c| *c == ' ') {
            k += 1;
        }
        let rest: String = chars.get(k..).unwrap_or_default().iter().take(3).collect();
        if rest == "(0)" {
            k += 3;
            while chars.get(k).is_some_and(|c| *c == ' ') {
                k += 1;
            }
        }
    }
    let mut groups: Vec<String> = vec![String::new()];
    let mut count = 0;
    while count < needed {
        match chars.get(k) {
            Some(c) if c.is_ascii_digit() => {
                groups.last_mut()?.push(*c);
                count += 1;
                k += 1;
            }
            // One separator between groups; the first group of « +33 6 » may follow one.
            Some(c) if is_separator(*c) && chars.get(k + 1).is_some_and(char::is_ascii_digit) => {
                if !groups.last().is_some_and(String::is_empty) {
                    groups.push(String::new());
                }
                k += 1;
            }
            _ => return None,
        }
    }
    // A longer number (a SIRET, a reference) is not a phone.
    let next = chars.get(k);
    let after = chars.get(k + 1);
    if next.is_some_and(|c| c.is_alphanumeric())
        || (next.is_some_and(|c| is_separator(*c)) && after.is_some_and(char::is_ascii_digit))
    {
        return None;
    }
    let sizes: Vec<usize> = groups.iter().map(String::len).collect();
    let digits: String = groups.concat();
    let national = if international {
        let grouped = sizes == [9] || sizes == [1, 2, 2, 2, 2] || sizes == [3, 2, 2, 2];
        (grouped && !digits.starts_with('0')).then(|| format!("0{digits}"))?
    } else {
        let grouped = sizes == [10] || sizes.iter().all(|s| *s == 2);
        (grouped && digits.get(1..2).is_some_and(|d| d != "0")).then_some(digits)?
    };
    let pairs: Vec<&str> = (0..5).filter_map(|p| national.get(p * 2..p * 2 + 2)).collect();
    Some((pairs.join(" "), k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_phone_numbers_in_their_usual_forms() {
        for (written, expected) in [
            ("06 12 34 56 78", "06 12 34 56 78"),
            ("06.12.34.56.78", "06 12 34 56 78"),
            ("06-12-34-56-78", "06 12 34 56 78"),
            ("0612345678", "06 12 34 56 78"),
            ("01\u{a0}23\u{a0}45\u{a0}67\u{a0}89", "01 23 45 67 89"),
            ("+33 6 12 34 56 78", "06 12 34 56 78"),
            ("+33 (0)6 12 34 56 78", "06 12 34 56 78"),
            ("+33 (0) 1 23 45 67 89", "01 23 45 67 89"),
            ("+336 12 34 56 78", "06 12 34 56 78"),
            ("+33612345678", "06 12 34 56 78"),
            ("0033 6 12 34 56 78", "06 12 34 56 78"),
        ] {
            assert_eq!(phones_in(&format!("Tél. : {written}.")), vec![expected.to_owned()], "{written}");
        }
        for not_a_phone in [
            "SIRET 012 345 678 00012",
            "dossier 0612345678901",
            "le 05/01/2021",
            "00 12 34 56 78",
            "06 12 34 56",
            "réf. A0612345678",
            "+44 20 7946 0958",
            "montant 0,50 €",
        ] {
            assert!(phones_in(not_a_phone).is_empty(), "{not_a_phone}: {:?}", phones_in(not_a_phone));
        }
        assert_eq!(phones_in("01 23 45 67 89 - 06 12 34 56 78").len(), 2);
    }

    #[test]
    fn a_signature_gives_its_address_and_phone() {
        let text = "Madame,\n\nJe réclame depuis le 12 mars 2025 pour 12500 euros.\n\nCordialement,\n\n\
                    Hélène Château\n12, rue des Lilas\nBât. B\n75011 PARIS\nTél. : 06 12 34 56 78\nFax : 01 23 45 67 00";
        let c = find_contact(text);
        assert_eq!(c.address_lines, ["12, rue des Lilas", "Bât. B"]);
        assert_eq!((c.postcode.as_str(), c.city.as_str()), ("75011", "PARIS"));
        assert_eq!(c.phone, "06 12 34 56 78");

        let one_line = "Jean Dupont - 3 avenue Foch, 69003 Lyon Cedex 03\nPortable +33 (0)7 11 22 33 44\n\
                        Le cabinet m'a appelé du 01 40 00 00 00.";
        let c = find_contact(one_line);
        assert_eq!(c.address_lines, ["3 avenue Foch"]);
        assert_eq!((c.postcode.as_str(), c.city.as_str()), ("69003", "Lyon Cedex 03"));
        assert_eq!(c.phone, "07 11 22 33 44", "the labelled number, not the last one");

        let town_only = "Bien à vous,\nPaul\n13001 Marseille\n";
        let c = find_contact(town_only);
        assert!(c.address_lines.is_empty());
        assert_eq!((c.postcode.as_str(), c.city.as_str(), c.phone.as_str()), ("13001", "Marseille", ""));
    }

    #[test]
    fn numbers_that_are_not_addresses_are_left_alone() {
        for text in [
            "Le devis était de 12500 euros.",
            "Montant : 15000 € TTC",
            "J'habite à 75011 Paris depuis dix ans et je réclame.",
            "Référence 00123 Dossier",
            "99999 Nulle-Part",
            "Dossier n°75011 Paris",
            "courriel jean@75011.fr",
        ] {
            let c = find_contact(text);
            assert!(c.postcode.is_empty(), "{text}: {c:?}");
        }
        assert!(find_contact("").is_empty());
    }
}
