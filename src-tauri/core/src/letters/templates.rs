//! The template engine that merges a letter's wording with a complaint's values (the default
//! wording of each kind is in [`super::defaults`]). The secretariat edits the wording
//! in Paramètres, in MiniJinja's syntax (Jinja2's): `{{ champ }}` prints a field, and
//! `{% if champ %}…{% else %}…{% endif %}` keeps a passage only when a field has a value.
//! Before any PDF is made, the merge refuses a syntax error, an unknown field and a printed
//! field that is empty for this complaint, naming them all; a field only tested by `{% if %}`
//! may be empty. Nothing is escaped: the text goes into a PDF, not into HTML.

use super::merge::FIELDS;
use minijinja::value::{Object, Value};
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Fields that may be printed empty without refusing the letter: the agreements are empty for
/// Monsieur and for a firm.
const OPTIONAL: &[&str] = &["qualifications", "e", "e_expert"];

/// Why a template could not be merged; each message names the fields as the user typed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeError {
    Unknown(Vec<String>),
    Empty(Vec<String>),
    /// The text is not a valid template: the line (1 = first) and what is wrong, in French.
    Syntax {
        line: usize,
        reason: String,
    },
}

impl MergeError {
    pub fn message(&self) -> String {
        let list = |v: &[String]| v.iter().map(|f| format!("{{{{{f}}}}}")).collect::<Vec<_>>().join(", ");
        match self {
            MergeError::Unknown(v) => format!(
                "Champ de fusion inconnu : {}. Corrigez le modèle (la liste des champs possibles est affichée à côté).",
                list(v)
            ),
            MergeError::Empty(v) => format!(
                "Champ de fusion vide pour cette réclamation : {}. Complétez d'abord le dossier (ou retirez ce champ du modèle, ou placez-le dans un bloc {{% if … %}}).",
                list(v)
            ),
            MergeError::Syntax { line, reason } => {
                format!("Erreur dans le modèle, ligne {line} : {reason}")
            }
        }
    }
}

/// A French reading of the engine's error: what the secretary can fix.
fn syntax_error(e: &minijinja::Error) -> MergeError {
    let detail = e.detail().unwrap_or_default();
    let unknown_statement = detail.strip_prefix("unknown statement ").map(str::trim);
    let reason = match e.kind() {
        ErrorKind::SyntaxError if detail.contains("unexpected end of input") => {
            "une balise n'est pas fermée : chaque « {{ » appelle un « }} », chaque « {% » un « %} », et chaque {% if … %} un {% endif %}.".to_owned()
        }
        ErrorKind::SyntaxError if matches!(unknown_statement, Some("endif" | "else" | "elif")) => {
            "un {% else %}, {% elif %} ou {% endif %} n'a pas de {% if … %} correspondant.".to_owned()
        }
        ErrorKind::SyntaxError if unknown_statement.is_some() => format!(
            "instruction inconnue « {} » entre « {{% » et « %}} » : utilisez {{% if champ %}}, {{% elif champ %}}, {{% else %}} et {{% endif %}}.",
            unknown_statement.unwrap_or_default()
        ),
        ErrorKind::SyntaxError if detail.contains("variable block") => {
            "champ mal écrit entre « {{ » et « }} » : un seul nom de champ, comme {{ reference }}.".to_owned()
        }
        ErrorKind::SyntaxError if detail.contains("end of comment") => {
            "un commentaire « {# » n'est pas fermé par « #} ».".to_owned()
        }
        ErrorKind::SyntaxError => {
            "la syntaxe est incorrecte : un champ s'écrit {{ nom_du_champ }}, une condition {% if nom_du_champ %} … {% endif %}.".to_owned()
        }
        ErrorKind::UnknownFilter | ErrorKind::UnknownTest | ErrorKind::UnknownFunction | ErrorKind::UnknownMethod => {
            "filtre ou fonction inconnu : n'utilisez que des champs de fusion et des conditions.".to_owned()
        }
        _ => "le modèle ne peut pas être appliqué à ce dossier : n'utilisez que des champs de fusion et des conditions.".to_owned(),
    };
    MergeError::Syntax { line: e.line().unwrap_or(1), reason }
}

/// The engine as letters use it: no HTML escaping, and an undefined value may be tested but
/// not printed.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env
}

/// Whether a trimmed line holds only `{% … %}` and `{# … #}` tags.
fn only_tags(line: &str) -> bool {
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        let close = if rest.starts_with("{%") {
            "%}"
        } else if rest.starts_with("{#") {
            "#}"
        } else {
            return false;
        };
        match rest[2..].find(close) {
            Some(end) => rest = rest[2 + end + 2..].trim_start(),
            None => return false,
        }
    }
    true
}

/// A line holding only tags (`{% if x %}` alone on its line) vanishes with its line break, so
/// that it leaves no blank line (which would split a paragraph); a tag after text on a line
/// keeps the line break that follows it. The break is moved inside the last tag (« {% if x
/// \n%} »), so that the engine's line numbers stay those the secretary sees.
fn standalone_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        match body.map(str::trim) {
            Some(tags) if !tags.is_empty() && only_tags(tags) => {
                // The closing « %} », « -%} », « #} »… keeps its control character.
                let cut = tags.len() - 2 - usize::from(tags[..tags.len() - 2].ends_with(['-', '+']));
                out.push_str(&tags[..cut]);
                out.push('\n');
                out.push_str(&tags[cut..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// The variables a text uses, in order of first appearance; a syntax error is refused.
fn variables(env: &Environment<'_>, text: &str) -> Result<Vec<String>, MergeError> {
    let source = standalone_tags(text);
    let template = env.template_from_str(&source).map_err(|e| syntax_error(&e))?;
    let mut names: Vec<String> = template.undeclared_variables(false).into_iter().collect();
    names.sort_by_key(|n| (text.find(n.as_str()).unwrap_or(usize::MAX), n.clone()));
    Ok(names)
}

fn unknown_among(names: &[String], fields: &[(&str, &str)]) -> Vec<String> {
    names.iter().filter(|n| !fields.iter().any(|(f, _)| f == n)).cloned().collect()
}

/// The merge fields a text uses, in order of first appearance (printed or tested).
pub fn fields_used(text: &str) -> Result<Vec<String>, MergeError> {
    variables(&environment(), text)
}

/// Checks a template without data: a syntax error or an unknown field is refused.
pub fn check(subject: &str, body: &str) -> Result<(), MergeError> {
    let env = environment();
    let mut unknown = Vec::new();
    for text in [subject, body] {
        for name in unknown_among(&variables(&env, text)?, FIELDS) {
            if !unknown.contains(&name) {
                unknown.push(name);
            }
        }
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(MergeError::Unknown(unknown))
    }
}

/// An empty field: false in `{% if %}`, and named by the formatter when printed.
#[derive(Debug)]
struct EmptyField(String);

impl Object for EmptyField {
    fn repr(self: &Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Plain
    }

    fn is_true(self: &Arc<Self>) -> bool {
        false
    }

    fn render(self: &Arc<Self>, _f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Ok(())
    }
}

/// Merges a text with the values: unknown fields, then empty printed ones (unless
/// [`OPTIONAL`]) are refused, all of them named at once; `{% if %}` on an empty field is false.
pub fn merge(text: &str, values: &BTreeMap<String, String>) -> Result<String, MergeError> {
    merge_fields(text, values, FIELDS, OPTIONAL)
}

/// [`merge`] with another set of fields (an email's covering text has its own), of which
/// `optional` may be printed empty.
pub fn merge_fields(
    text: &str,
    values: &BTreeMap<String, String>,
    fields: &[(&str, &str)],
    optional: &'static [&'static str],
) -> Result<String, MergeError> {
    let mut env = environment();
    let unknown = unknown_among(&variables(&env, text)?, fields);
    if !unknown.is_empty() {
        return Err(MergeError::Unknown(unknown));
    }
    let printed_empty: Arc<Mutex<Vec<String>>> = Arc::default();
    let record = Arc::clone(&printed_empty);
    env.set_formatter(move |out, state, value| {
        if let Some(EmptyField(name)) = value.downcast_object_ref::<EmptyField>() {
            if let Ok(mut names) = record.lock() {
                if !names.contains(name) && !optional.contains(&name.as_str()) {
                    names.push(name.clone());
                }
            }
            return Ok(());
        }
        minijinja::escape_formatter(out, state, value)
    });
    let context: BTreeMap<&str, Value> = fields
        .iter()
        .map(|(name, _)| {
            let value = match values.get(*name).filter(|v| !v.trim().is_empty()) {
                Some(v) => Value::from(v.as_str()),
                None => Value::from_object(EmptyField((*name).to_owned())),
            };
            (*name, value)
        })
        .collect();
    let source = standalone_tags(text);
    let template = env.template_from_str(&source).map_err(|e| syntax_error(&e))?;
    let out = template.render(context).map_err(|e| syntax_error(&e))?;
    let empty = printed_empty.lock().map(|v| v.clone()).unwrap_or_default();
    if empty.is_empty() {
        Ok(out)
    } else {
        Err(MergeError::Empty(empty))
    }
}

/// Splits a merged body into paragraphs: blank lines separate paragraphs, and every line of a
/// list (« - … ») is a paragraph of its own.
pub fn paragraphs(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in body.replace("\r\n", "\n").split("\n\n") {
        let mut current = String::new();
        for line in block.lines().map(str::trim) {
            if line.is_empty() {
                continue;
            }
            if line.starts_with("- ") {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                out.push(line.to_owned());
            } else {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(line);
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn merge_fills_fields_and_names_every_unknown_or_empty_one() {
        let v = values(&[("reference", "REC-2026-0042"), ("appel", "Madame"), ("motifs", " ")]);
        assert_eq!(merge("Réf. {{reference}} – {{ appel }}", &v), Ok("Réf. REC-2026-0042 – Madame".to_owned()));
        // Unknown fields are named in order of appearance, before anything is merged.
        assert_eq!(
            merge("{{refrence}} {% if x %}{{motifs}}{% endif %}", &v),
            Err(MergeError::Unknown(vec!["refrence".into(), "x".into()]))
        );
        assert_eq!(
            merge("{{motifs}} {{date_decision}} {{motifs}}", &v),
            Err(MergeError::Empty(vec!["motifs".into(), "date_decision".into()]))
        );
        assert_eq!(merge("{{qualifications}}.", &v), Ok(".".to_owned()), "optional field");
        assert!(MergeError::Unknown(vec!["refrence".into()]).message().contains("{{refrence}}"));
    }

    #[test]
    fn conditions_keep_a_passage_only_when_its_field_has_a_value() {
        let text = "Après analyse{% if reponse_qualifie %} et de la réponse du qualifié{% endif %}, décision.";
        let answered = values(&[("reponse_qualifie", "4 mai 2026")]);
        assert_eq!(merge(text, &answered), Ok("Après analyse et de la réponse du qualifié, décision.".into()));
        // An empty field may be tested: only printing it is refused.
        assert_eq!(merge(text, &values(&[])), Ok("Après analyse, décision.".into()));
        let with_else = "{% if canal_courriel %}votre courriel{% else %}votre courrier{% endif %}";
        assert_eq!(merge(with_else, &values(&[("canal_courriel", "courriel")])), Ok("votre courriel".into()));
        assert_eq!(merge(with_else, &values(&[("canal_courriel", "")])), Ok("votre courrier".into()));
        // A block alone on its lines leaves no blank line behind.
        let block = "Un.\n\n{% if pieces_jointes %}\nPièce jointe : {{pieces_jointes}}.\n{% endif %}\nDeux.";
        assert_eq!(merge(block, &values(&[])), Ok("Un.\n\nDeux.".into()));
        assert_eq!(
            merge(block, &values(&[("pieces_jointes", "copie")])),
            Ok("Un.\n\nPièce jointe : copie.\nDeux.".into())
        );
        // Printed inside a condition that holds, an empty field is still refused.
        let nested = "{% if reference %}{{motifs}}{% endif %}";
        assert_eq!(merge(nested, &values(&[("reference", "R")])), Err(MergeError::Empty(vec!["motifs".into()])));
    }

    #[test]
    fn agreement_fields_may_be_empty_and_old_neutral_text_still_merges() {
        let text = "Vous serez informé{{e}} ; {{expert}} a été désigné{{e_expert}}.";
        let v = |e: &str, x: &str| values(&[("e", e), ("e_expert", x), ("expert", "Madame Roux")]);
        assert_eq!(merge(text, &v("e", "e")), Ok("Vous serez informée ; Madame Roux a été désignée.".into()));
        assert_eq!(merge(text, &v("", "")), Ok("Vous serez informé ; Madame Roux a été désigné.".into()));
        assert_eq!(merge(text, &v("(e)", "(e)")), Ok("Vous serez informé(e) ; Madame Roux a été désigné(e).".into()));
        // A template edited before the agreement fields: its « (e) » is kept as typed.
        let old = "{{appel}},\n\nVous serez informé(e) de la décision.";
        assert_eq!(check("Objet", old), Ok(()));
        assert_eq!(
            merge(old, &values(&[("appel", "Madame"), ("e", "e")])),
            Ok("Madame,\n\nVous serez informé(e) de la décision.".into())
        );
    }

    #[test]
    fn values_are_printed_as_typed_never_escaped_nor_evaluated() {
        let v = values(&[("faits", "Devis < 5 000 € & « métré » {{ reference }} {% if %}")]);
        assert_eq!(merge("{{faits}}", &v), Ok("Devis < 5 000 € & « métré » {{ reference }} {% if %}".into()));
    }

    #[test]
    fn syntax_errors_are_refused_in_french_with_their_line() {
        for (text, line, words) in [
            ("{{appel}},\n\n{{reference", 3, "n'est pas fermée"),
            ("{{appel}},\n{% if motifs %}Motifs", 2, "n'est pas fermée"),
            ("{% endif %}", 1, "correspondant"),
            ("{% if reference %}x{% endif %}\n{% else %}", 2, "correspondant"),
            ("{% tant_que motifs %}", 1, "instruction inconnue « tant_que »"),
            ("{{ a b }}", 1, "champ mal écrit"),
        ] {
            let err = check("Objet", text);
            let Err(MergeError::Syntax { line: l, reason }) = &err else { panic!("{text:?}: {err:?}") };
            assert_eq!(*l, line, "{text:?}");
            assert!(reason.contains(words), "{text:?}: {reason}");
            let message = err.as_ref().err().map(MergeError::message).unwrap_or_default();
            assert!(message.starts_with(&format!("Erreur dans le modèle, ligne {line} :")), "{message}");
            assert!(merge(text, &values(&[])).is_err());
        }
        assert!(matches!(check("{{ reference", ""), Err(MergeError::Syntax { .. })), "the subject is checked too");
        assert!(matches!(
            merge("{{ reference | inconnu }}", &values(&[("reference", "R")])),
            Err(MergeError::Syntax { .. })
        ));
    }

    #[test]
    fn fields_used_lists_printed_and_tested_fields_in_order() {
        assert_eq!(
            fields_used("{% if reponse_qualifie %}{{motifs}}{% endif %} {{reference}} {{motifs}}"),
            Ok(vec!["reponse_qualifie".to_owned(), "motifs".to_owned(), "reference".to_owned()])
        );
    }

    #[test]
    fn list_lines_become_their_own_paragraphs() {
        let p = paragraphs("Madame,\n\nIl manque :\n- un\n- deux\n\nFin\nsur deux lignes.");
        assert_eq!(p, ["Madame,", "Il manque :", "- un", "- deux", "Fin sur deux lignes."]);
    }
}
