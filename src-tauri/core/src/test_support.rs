//! Helpers shared by the core's unit tests: the letter fonts, loaded once, and the PDF tools
//! (poppler's `pdftotext`, `pdfinfo`, `pdftoppm`, and `qpdf`) that read a PDF as a reader would.
//!
//! A test that needs a PDF tool fails when the tool is missing: `scripts/setup.sh` installs them.
//! Only `RECLAMATIONS_SKIP_PDF_TOOLS=1` skips those checks, each one saying so on stderr.

use crate::letters::pdf::Fonts;
use std::io;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The variable that lets the tests run on a machine without poppler and qpdf.
pub(crate) const SKIP_PDF_TOOLS: &str = "RECLAMATIONS_SKIP_PDF_TOOLS";

/// The shipped Liberation fonts, parsed once for all the tests of the process.
pub(crate) fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts::liberation().unwrap_or_else(|e| panic!("fonts: {e}")))
}

/// Runs a PDF tool. `Ok(None)` only when [`SKIP_PDF_TOOLS`] is `1`; a missing tool is an error.
pub(crate) fn pdf_tool(tool: &str, args: &[&str]) -> io::Result<Option<Output>> {
    if std::env::var(SKIP_PDF_TOOLS).is_ok_and(|v| v == "1") {
        eprintln!("SKIPPED: {tool} {args:?} ({SKIP_PDF_TOOLS}=1)");
        return Ok(None);
    }
    match Command::new(tool).args(args).output() {
        Ok(out) => Ok(Some(out)),
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!(
                "{tool} is needed by this test ({e}): install poppler-utils and qpdf (scripts/setup.sh), \
                 or set {SKIP_PDF_TOOLS}=1 to skip the PDF checks"
            ),
        )),
    }
}

/// The text of a PDF file as `pdftotext -layout` extracts it; `Ok(None)` when skipped.
pub(crate) fn pdftotext_file(path: &Path) -> io::Result<Option<String>> {
    let Some(out) = pdf_tool("pdftotext", &["-layout", &path.to_string_lossy(), "-"])? else {
        return Ok(None);
    };
    if !out.status.success() {
        return Err(io::Error::other(format!("pdftotext: {}", String::from_utf8_lossy(&out.stderr))));
    }
    Ok(Some(String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// The text of PDF bytes, through a temporary file; `Ok(None)` when skipped.
pub(crate) fn pdftotext(bytes: &[u8]) -> io::Result<Option<String>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, bytes)?;
    pdftotext_file(&path)
}

/// Blanks (no-break spaces included) as single spaces: what a reader compares.
pub(crate) fn flat(text: &str) -> String {
    text.replace(['\u{A0}', '\u{202F}'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Generates the letter `kind` of a complaint on `date` (JJ/MM/AAAA), into a temporary folder,
/// and marks it sent that day by simple post: what a test needs before an action that waits for
/// the letter. Returns the document's id.
pub(crate) fn send_letter(
    conn: &mut rusqlite::Connection,
    id: i64,
    kind: crate::letters::kinds::LetterKind,
    date: &str,
) -> crate::Result<i64> {
    use crate::store::letters::{generate, mark_sent, SentForm};
    let day = crate::validate::parse_date(date).ok_or_else(|| crate::Error::field("date", date.to_owned()))?;
    let dir = tempfile::tempdir()?;
    let g = generate(conn, dir.path(), fonts(), id, kind, None, day, "Test")?;
    let form = SentForm { date: date.into(), mode: "simple".into(), registered_number: String::new() };
    mark_sent(conn, g.document_id, &form, day, "Test")?;
    Ok(g.document_id)
}

/// An action's form from (key, value) pairs, the keys of
/// [`ActionForm`](crate::store::workflow::ActionForm) (`elements` takes codes separated by commas).
pub(crate) fn form(
    action: crate::procedure::ActionKind,
    date: &str,
    fields: &[(&str, &str)],
) -> crate::store::workflow::ActionForm {
    let mut f = crate::store::workflow::ActionForm::of(action, date);
    for (key, value) in fields {
        let v = (*value).to_owned();
        match *key {
            "text" => f.text = v,
            "choice" => f.choice = v,
            "by" => f.by = v,
            "firm_text" => f.firm_text = v,
            "waiver" => f.waiver = v,
            "expected" => f.expected = v,
            "intervenant" => f.intervenant = v,
            "document" => f.document = v,
            "hearing" => f.hearing = v,
            "facts" => f.facts = v,
            "actions_taken" => f.actions_taken = v,
            "elements" => f.elements = v.split(',').map(str::to_owned).collect(),
            other => panic!("no field {other}"),
        }
    }
    f
}

/// Decides `decision` on `date` by the Responsable des Qualifications, with distinct reasons for
/// each party, sends both letters of the decision that day and, when it ends the file, closes it.
pub(crate) fn decide_and_close(
    conn: &mut rusqlite::Connection,
    id: i64,
    decision: crate::procedure::Decision,
    date: &str,
    today: chrono::NaiveDate,
) -> crate::Result<()> {
    use crate::procedure::ActionKind;
    use crate::store::workflow::perform;
    let decide = form(
        ActionKind::Decide,
        date,
        &[
            ("choice", decision.code()),
            ("by", "qualification_manager"),
            ("text", "Motifs pour le plaignant."),
            ("firm_text", "Motifs pour le qualifié."),
            ("waiver", "Dossier en état d'être décidé."),
        ],
    );
    perform(conn, id, "Test", &decide, today)?;
    for kind in crate::letters::kinds::LetterKind::for_decision(decision) {
        send_letter(conn, id, kind, date)?;
    }
    if matches!(decision, crate::procedure::Decision::Dismissed | crate::procedure::Decision::Warning) {
        perform(conn, id, "Test", &form(ActionKind::CloseFile, date, &[]), today)?;
    }
    Ok(())
}

/// An instructeur or expert (`kind`) of the register, with an address, who has declared no
/// conflict of interest for complaint `complaint_id`: returns its id as the forms send it.
pub(crate) fn cleared_intervenant(
    conn: &rusqlite::Connection,
    complaint_id: i64,
    kind: &str,
    name: &str,
) -> crate::Result<String> {
    use rusqlite::params;
    conn.execute(
        "INSERT INTO intervenants (kind, civility, name, address_lines, postcode, city, created_at)
         VALUES (?1, 'monsieur', ?2, '4 rue des Experts', '69002', 'LYON', '2026-01-01T00:00:00+01:00')",
        params![kind, name],
    )?;
    let id = conn.last_insert_rowid();
    let role = if kind == "expert" { "expert" } else { "investigator" };
    conn.execute(
        "INSERT INTO declarations (complaint_id, intervenant_id, person_name, role, declared_on, conflict, recorded_at, author)
         VALUES (?1, ?2, ?3, ?4, '2026-01-01', 0, '2026-01-01T00:00:00+01:00', 'Test')",
        params![complaint_id, id, name, role],
    )?;
    Ok(id.to_string())
}

/// Gives the firm of complaint `complaint_id` a qualification (valid from 2020): returns its id.
pub(crate) fn qualification_of(conn: &rusqlite::Connection, complaint_id: i64, reference: &str) -> crate::Result<i64> {
    use rusqlite::params;
    conn.execute(
        "INSERT INTO firm_qualifications (firm_id, kind, reference, label, valid_from)
         SELECT firm_id, 'qualification', ?2, 'Économie de la construction', '2020-01-01' FROM complaints WHERE id = ?1",
        params![complaint_id, reference],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The stored codes (steps, decisions, outcomes, actions, letters, journal kinds…) that `text`
/// prints as words where a French label belongs. Codes that are French words too (« expert »,
/// « expertise », « suspension », « qualification », « certification ») are not looked for;
/// a file name (« 2026-03-02_decision_warning_firm_v1.pdf ») is one word, not a code.
pub(crate) fn codes_in(text: &str) -> Vec<String> {
    use crate::letters::kinds::LetterKind;
    use crate::model::Step;
    use crate::procedure::{ActionKind, CommitteeOutcome, Decider, Decision, Manager, Means, QualificationOutcome};
    use crate::store::journal::JournalKind;
    let french = ["expert", "expertise", "suspension", "qualification", "certification"];
    let mut codes: Vec<&str> = Vec::new();
    codes.extend(Step::ALL.iter().map(|c| c.code()));
    codes.extend(Decision::ALL.iter().map(|c| c.code()));
    codes.extend(CommitteeOutcome::ALL.iter().map(|c| c.code()));
    codes.extend(QualificationOutcome::ALL.iter().map(|c| c.code()));
    codes.extend(ActionKind::ALL.iter().map(|c| c.code()));
    codes.extend(Decider::ALL.iter().map(|c| c.code()));
    codes.extend(Manager::ALL.iter().map(|c| c.code()));
    codes.extend(Means::ALL.iter().map(|c| c.code()));
    codes.extend(LetterKind::ALL.iter().map(|c| c.code()));
    codes.extend(JournalKind::ALL.iter().map(|c| c.code()));
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !french.contains(word) && codes.contains(word))
        .map(str::to_owned)
        .collect()
}
