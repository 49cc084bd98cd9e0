//! French typography for letter text and La Poste rules for postal addresses (pure functions).

/// No-break space (U+00A0): before « : », inside « guillemets », after « n° ».
pub const NBSP: char = '\u{00A0}';
/// Narrow no-break space (U+202F): before « ; ! ? ».
pub const NNBSP: char = '\u{202F}';

/// Most lines the postal norm allows in an address block.
pub const ADDRESS_MAX_LINES: usize = 6;
/// Most characters the postal norm allows on one address line.
pub const ADDRESS_MAX_CHARS: usize = 38;

/// Applies French typographic spacing and signs to `text`.
///
/// - U+202F before `; ! ?`, U+00A0 before `:` (an existing space is replaced, a missing one
///   inserted); no space in URLs or e-mail addresses, in times or ratios (`10:30`), or after
///   another sign (`?!`);
/// - U+00A0 after `«` and before `»`;
/// - `'` → `’`, `...` → `…`;
/// - `n° 12` / `N°12` → `n°` + U+00A0 + `12`, and the groups of a number after « n° » joined
///   by U+00A0 (`n° 1A 123 456 7890 1`, a registered letter's number, stays on one line);
/// - `12 €`, `15 %` → U+00A0 between the number and the sign (keeps them on one line);
/// - a date `23 avril 2026`, `1er juin 2026`, `23 avril` → U+00A0 between the day, the month
///   and the year: a letter never breaks a date across lines (the dates merged into a letter
///   come from [`crate::french::format_fr_long`], which keeps plain spaces for the journal and
///   the screens).
///
/// Idempotent: `french(&french(x)) == french(x)`.
pub fn french(text: &str) -> String {
    let spaced = signs(text);
    let chars: Vec<char> = spaced.chars().collect();
    let mut chars = keep_dates_together(chars);
    keep_numbers_together(&mut chars);
    chars.into_iter().collect()
}

/// The months as `format_fr_long` writes them.
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// The word of `chars` starting at `i` (letters and digits), and where it ends.
fn word_at(chars: &[char], i: usize) -> (String, usize) {
    let mut end = i;
    while end < chars.len() && chars[end].is_alphanumeric() {
        end += 1;
    }
    (chars[i..end].iter().collect(), end)
}

/// After `i`, the horizontal blanks (no line break), and where the next character is.
fn blanks_after(chars: &[char], i: usize) -> usize {
    let mut j = i;
    while j < chars.len() && is_hspace(chars[j]) {
        j += 1;
    }
    j
}

/// A day of a date: `1` to `31`, or `1er`.
fn is_day(word: &str) -> bool {
    word == "1er" || (word.len() <= 2 && word.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d)))
}

/// `23 avril 2026` with one U+00A0 between its words (any blanks between them before).
fn keep_dates_together(chars: Vec<char>) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_word = chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_alphanumeric());
        if starts_word {
            let (day, day_end) = word_at(&chars, i);
            let month_at = blanks_after(&chars, day_end);
            if is_day(&day) && month_at > day_end && month_at < chars.len() {
                let (month, month_end) = word_at(&chars, month_at);
                if MONTHS.contains(&month.as_str()) {
                    out.extend(day.chars());
                    out.push(NBSP);
                    out.extend(month.chars());
                    i = month_end;
                    let year_at = blanks_after(&chars, month_end);
                    if year_at > month_end && year_at < chars.len() {
                        let (year, year_end) = word_at(&chars, year_at);
                        if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) {
                            out.push(NBSP);
                            out.extend(year.chars());
                            i = year_end;
                        }
                    }
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A group of a number: digits, with capitals (`1A`), at least one digit.
fn is_number_group(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit()) && word.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

/// After `n°` + U+00A0, the number's next groups (`1A 123 456 7890 1`) joined by U+00A0.
fn keep_numbers_together(chars: &mut [char]) {
    let mut i = 0;
    while i + 2 < chars.len() {
        let numero = chars[i + 1] == '°' && matches!(chars[i], 'n' | 'N') && chars[i + 2] == NBSP;
        if !numero || (i > 0 && chars[i - 1].is_alphanumeric()) {
            i += 1;
            continue;
        }
        let (first, mut end) = word_at(chars, i + 3);
        if !is_number_group(&first) {
            i += 3;
            continue;
        }
        // Each following group after one blank joins the number.
        while end + 1 < chars.len() && is_hspace(chars[end]) {
            let (group, group_end) = word_at(chars, end + 1);
            if group.is_empty() || !is_number_group(&group) {
                break;
            }
            chars[end] = NBSP;
            end = group_end;
        }
        i = end.max(i + 1);
    }
}

/// The spacing of signs, quotes, apostrophes, ellipses and units (see [`french`]).
fn signs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let verbatim = verbatim_mask(&chars);
    let mut out: Vec<char> = Vec::with_capacity(chars.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if verbatim[i] {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                out.push('…');
                i += 3;
                continue;
            }
            '\'' => out.push('’'),
            ';' | '!' | '?' => space_before(&mut out, NNBSP, c),
            ':' => {
                let digit_before = i > 0 && chars[i - 1].is_ascii_digit();
                let digit_after = chars.get(i + 1).is_some_and(|d| d.is_ascii_digit());
                if digit_before && digit_after {
                    out.push(c);
                } else {
                    space_before(&mut out, NBSP, c);
                }
            }
            '«' => {
                out.push(c);
                let mut j = i + 1;
                while j < chars.len() && is_hspace(chars[j]) {
                    j += 1;
                }
                if j < chars.len() && chars[j] != '\n' && chars[j] != '\r' {
                    out.push(NBSP);
                }
                i = j;
                continue;
            }
            '»' => {
                trim_hspace(&mut out);
                if out.last().is_some_and(|&p| p != '\n' && p != '\r') {
                    out.push(NBSP);
                }
                out.push(c);
            }
            '°' if is_numero_sign(&chars, i) => {
                out.push(c);
                let mut j = i + 1;
                while j < chars.len() && (chars[j] == ' ' || chars[j] == NBSP || chars[j] == NNBSP) {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_alphanumeric() {
                    out.push(NBSP);
                    i = j;
                    continue;
                }
            }
            '€' | '%' => {
                let len = out.len();
                let spaced = len >= 2 && is_hspace(out[len - 1]) && out[len - 2].is_ascii_digit();
                if spaced {
                    out[len - 1] = NBSP;
                }
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// Puts exactly one `space` before the sign `c`, unless nothing visible precedes it on the line
/// or it follows another sign (`?!`, `(?)`).
fn space_before(out: &mut Vec<char>, space: char, c: char) {
    let prev = out.iter().rev().copied().find(|&p| !is_hspace(p));
    let wants_space = match prev {
        None | Some('\n' | '\r' | ';' | '!' | '?' | ':' | '(' | '[' | '«') => false,
        Some(_) => true,
    };
    if wants_space {
        trim_hspace(out);
        out.push(space);
    }
    out.push(c);
}

fn trim_hspace(out: &mut Vec<char>) {
    while out.last().is_some_and(|&p| is_hspace(p)) {
        out.pop();
    }
}

/// Horizontal white space, including the no-break spaces this module inserts.
fn is_hspace(c: char) -> bool {
    matches!(c, ' ' | '\t' | NBSP | NNBSP | '\u{2009}')
}

/// `°` right after a standalone `n` or `N` (« n° », not « 20n° »).
fn is_numero_sign(chars: &[char], i: usize) -> bool {
    i >= 1 && matches!(chars[i - 1], 'n' | 'N') && (i < 2 || !chars[i - 2].is_alphanumeric())
}

/// Marks the characters of URLs and e-mail addresses, which must be left untouched.
fn verbatim_mask(chars: &[char]) -> Vec<bool> {
    let mut mask = vec![false; chars.len()];
    let mut start = 0;
    while start < chars.len() {
        if chars[start].is_whitespace() {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < chars.len() && !chars[end].is_whitespace() {
            end += 1;
        }
        // Opening and closing signs around a URL are text, not part of it.
        let mut s = start;
        while s < end && matches!(chars[s], '«' | '(' | '[' | '"' | '\'') {
            s += 1;
        }
        let mut e = end;
        while e > s && matches!(chars[e - 1], '»' | ')' | ']' | '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'') {
            e -= 1;
        }
        let token: String = chars[s..e].iter().collect();
        if is_url_or_email(&token) {
            mask[s..e].iter_mut().for_each(|m| *m = true);
        }
        start = end;
    }
    mask
}

fn is_url_or_email(token: &str) -> bool {
    let lower = token.to_lowercase();
    if lower.contains("://") || lower.starts_with("www.") || lower.starts_with("mailto:") {
        return true;
    }
    match lower.split_once('@') {
        Some((user, domain)) => !user.is_empty() && domain.contains('.'),
        None => false,
    }
}

/// Checks and normalises a postal address block per La Poste / NF Z10-011.
///
/// Empty lines are dropped, spaces collapsed and trailing commas removed; at most 6 lines of at
/// most 38 characters; the last line must be « CODE_POSTAL VILLE » (5 digits, a space, the
/// city) and comes back in capitals without accents (« 42000 SAINT-ÉTIENNE » →
/// « 42000 SAINT-ETIENNE »). Errors are French sentences for the user.
pub fn postal_address(lines: &[&str]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = lines
        .iter()
        .map(|l| {
            let collapsed = l.split_whitespace().collect::<Vec<_>>().join(" ");
            collapsed.trim_end_matches([',', ' ']).to_string()
        })
        .filter(|l| !l.is_empty())
        .collect();
    if out.is_empty() {
        return Err("L’adresse du destinataire est vide.".to_string());
    }
    if out.len() > ADDRESS_MAX_LINES {
        return Err(format!(
            "L’adresse compte {} lignes : {ADDRESS_MAX_LINES} au plus sont permises par La Poste.",
            out.len()
        ));
    }
    let last = out.len() - 1;
    out[last] = postcode_city(&out[last])?;
    for line in &out {
        let n = line.chars().count();
        if n > ADDRESS_MAX_CHARS {
            return Err(format!("La ligne « {line} » dépasse {ADDRESS_MAX_CHARS} caractères ({n})."));
        }
    }
    Ok(out)
}

/// « 69003 Lyon » → « 69003 LYON »; errors when the line does not start with a 5-digit code.
fn postcode_city(line: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "La dernière ligne « {line} » doit être le code postal à 5 chiffres suivi de la ville, \
             par exemple « 69003 LYON »."
        )
    };
    let (code, city) = line.split_once(' ').ok_or_else(bad)?;
    if code.len() != 5 || !code.chars().all(|c| c.is_ascii_digit()) || city.trim().is_empty() {
        return Err(bad());
    }
    if city.chars().any(|c| c.is_ascii_digit()) && !city.to_uppercase().contains("CEDEX") {
        return Err(bad());
    }
    Ok(format!("{code} {}", capitals_without_accents(city.trim())))
}

/// « Saint-Étienne » → « SAINT-ETIENNE », « L’Haÿ-les-Roses » → « L'HAY-LES-ROSES ».
fn capitals_without_accents(s: &str) -> String {
    crate::french::without_accents(s)
        .chars()
        .map(|c| if matches!(c, '’' | '‘') { '\'' } else { c })
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_idempotent(s: &str) -> String {
        let once = french(s);
        assert_eq!(french(&once), once, "french() is not idempotent on {s:?}");
        once
    }

    #[test]
    fn narrow_space_before_semicolon_exclamation_question() {
        assert_eq!(check_idempotent("Pourquoi ? Voilà ! Et ; fin"), "Pourquoi\u{202F}? Voilà\u{202F}! Et\u{202F}; fin");
        assert_eq!(check_idempotent("Pourquoi? Voilà!"), "Pourquoi\u{202F}? Voilà\u{202F}!");
        assert_eq!(check_idempotent("Vraiment   ?"), "Vraiment\u{202F}?");
        assert_eq!(check_idempotent("Quoi ?!"), "Quoi\u{202F}?!");
    }

    #[test]
    fn no_break_space_before_colon() {
        assert_eq!(check_idempotent("Objet : réclamation"), "Objet\u{A0}: réclamation");
        assert_eq!(check_idempotent("Objet: réclamation"), "Objet\u{A0}: réclamation");
        assert_eq!(check_idempotent("Objet\u{202F}: x"), "Objet\u{A0}: x");
    }

    #[test]
    fn colon_untouched_in_urls_emails_and_times() {
        let s = "Voir https://www.opqtecc.fr/reclamations?id=3 ou contact@opqtecc.fr à 10:30.";
        assert_eq!(check_idempotent(s), s);
        assert_eq!(check_idempotent("Rendez-vous à 9:05 ; merci"), "Rendez-vous à 9:05\u{202F}; merci");
        assert_eq!(check_idempotent("(https://x.fr) :"), "(https://x.fr)\u{A0}:");
        assert_eq!(check_idempotent("Article 3: texte"), "Article 3\u{A0}: texte");
    }

    #[test]
    fn guillemets_get_no_break_spaces() {
        assert_eq!(check_idempotent("«bonjour»"), "«\u{A0}bonjour\u{A0}»");
        assert_eq!(check_idempotent("« bonjour »"), "«\u{A0}bonjour\u{A0}»");
        assert_eq!(check_idempotent("«  bonjour\u{202F}»"), "«\u{A0}bonjour\u{A0}»");
    }

    #[test]
    fn apostrophe_and_ellipsis() {
        assert_eq!(check_idempotent("l'organisme d'instruction..."), "l’organisme d’instruction…");
        assert_eq!(check_idempotent("Déjà’ fait…"), "Déjà’ fait…");
    }

    #[test]
    fn numero_keeps_no_break_space() {
        assert_eq!(check_idempotent("n° 12"), "n°\u{A0}12");
        assert_eq!(check_idempotent("N°12"), "N°\u{A0}12");
        assert_eq!(check_idempotent("le dossier n°\u{A0}12"), "le dossier n°\u{A0}12");
        assert_eq!(check_idempotent("il fait 20° dehors"), "il fait 20° dehors");
    }

    #[test]
    fn a_registered_number_stays_on_one_line() {
        let n = "n°\u{A0}1A\u{A0}123\u{A0}456\u{A0}7890\u{A0}1";
        assert_eq!(check_idempotent("recommandé n° 1A 123 456 7890 1."), format!("recommandé {n}."));
        assert_eq!(check_idempotent("n°1A 123 456 7890 1 du 3 mars"), format!("{n} du 3\u{A0}mars"));
        assert_eq!(check_idempotent("le dossier n° 12 et la pièce"), "le dossier n°\u{A0}12 et la pièce");
        assert_eq!(check_idempotent("n° abc 123"), "n°\u{A0}abc 123");
    }

    #[test]
    fn a_date_never_breaks() {
        assert_eq!(check_idempotent("le 23 avril 2026."), "le 23\u{A0}avril\u{A0}2026.");
        assert_eq!(
            check_idempotent("du 1er juin 2026 au 30 novembre 2026"),
            "du 1er\u{A0}juin\u{A0}2026 au 30\u{A0}novembre\u{A0}2026"
        );
        assert_eq!(check_idempotent("le 3  mars et le 14 juillet"), "le 3\u{A0}mars et le 14\u{A0}juillet");
        assert_eq!(check_idempotent("(2 février 2026)"), "(2\u{A0}février\u{A0}2026)");
        assert_eq!(check_idempotent("le 5 août 2026 : fin"), "le 5\u{A0}août\u{A0}2026\u{A0}: fin");
        // Not dates: a number before another word, a day out of range, a year of three digits.
        assert_eq!(check_idempotent("les 3 mois"), "les 3 mois");
        assert_eq!(check_idempotent("le 12 mars 202"), "le 12\u{A0}mars 202");
        assert_eq!(check_idempotent("32 mai"), "32 mai");
        assert_eq!(check_idempotent("x12 mai"), "x12 mai");
        assert_eq!(check_idempotent("3 marsupiaux"), "3 marsupiaux");
        assert_eq!(check_idempotent("le 23\navril"), "le 23\navril");
    }

    #[test]
    fn number_and_unit_stay_together() {
        assert_eq!(check_idempotent("soit 150 € ou 10 %"), "soit 150\u{A0}€ ou 10\u{A0}%");
        assert_eq!(check_idempotent("en € :"), "en €\u{A0}:");
    }

    #[test]
    fn idempotent_on_a_mixed_paragraph() {
        let s = "Madame,\nVotre demande n°42 du 3 mars : « recours ... » ; l'avez-vous reçue?!  \
                 Écrivez à reclamations@opqtecc.fr ou https://opqtecc.fr:443/a?b=1 avant 18:00 !";
        check_idempotent(s);
        assert!(!french(s).contains(" :"));
        assert!(french(s).contains("https://opqtecc.fr:443/a?b=1 "));
    }

    #[test]
    fn address_last_line_in_capitals_without_accents() -> Result<(), String> {
        let a = postal_address(&["Madame Claire Martin", "", "12 rue de la Paix,", "42000 Saint-Étienne"])?;
        assert_eq!(a, ["Madame Claire Martin", "12 rue de la Paix", "42000 SAINT-ETIENNE"]);
        assert_eq!(postal_address(&["M. X", "69003 Lyon"])?[1], "69003 LYON");
        assert_eq!(postal_address(&["M. X", "75016  paris"])?[1], "75016 PARIS");
        assert_eq!(postal_address(&["M. X", "94240 L’Haÿ-les-Roses"])?[1], "94240 L'HAY-LES-ROSES");
        assert_eq!(postal_address(&["M. X", "02600 Cœuvres-et-Valsery"])?[1], "02600 COEUVRES-ET-VALSERY");
        assert_eq!(postal_address(&["Société Y", "BP 12", "69441 Lyon Cedex 03"])?[2], "69441 LYON CEDEX 03");
        Ok(())
    }

    #[test]
    fn address_limits() {
        let long = "SCI LES JARDINS DU CHATEAU DE VERSAILLES ET DE TRIANON";
        let err = postal_address(&["M. X", long, "78000 VERSAILLES"]).err().unwrap_or_default();
        assert!(err.contains(long) && err.contains("dépasse 38 caractères"), "{err}");
        let seven = ["a", "b", "c", "d", "e", "f", "75001 PARIS"];
        assert!(postal_address(&seven).err().unwrap_or_default().contains("7 lignes"));
        let six = ["a", "b", "c", "", "d", "e", "75001 PARIS"];
        assert!(postal_address(&six).is_ok());
        assert!(postal_address(&["", "  "]).err().unwrap_or_default().contains("vide"));
    }

    #[test]
    fn address_requires_postcode_and_city() {
        for bad in ["Paris", "7500 PARIS", "75001", "75001 ", "PARIS 75001", "A5001 PARIS"] {
            let err = postal_address(&["M. X", bad]).err().unwrap_or_default();
            assert!(err.contains("code postal à 5 chiffres"), "{bad}: {err}");
        }
    }
}
