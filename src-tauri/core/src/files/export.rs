//! Dossier export for an audit: one folder per complaint with a PDF summary, the journal in
//! full with its hash chain and the result of the integrity check, every archived document
//! as-is, a SHA-256 manifest (`sha256sum -c` format) and a JSON of the same data. The rows come
//! from `store`; the folders are written here.

use crate::archive::{sha256_file, slug, write_new};
use crate::datadir;
use crate::error::{Error, Result};
use crate::french::format_fr;
use crate::letters::pdf::{self, Fonts, LetterDoc};
use crate::store::complaints::{self, ComplaintDetail};
use crate::store::journal::{self, JournalRow};
use crate::store::{declarations, documents, firms, letters, settings};
use crate::validate::parse_date;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Serialize)]
struct Dossier<'a> {
    exported_on: String,
    complaint: &'a ComplaintDetail,
    journal: Vec<JournalRow>,
    integrity: journal::Integrity,
    documents: Vec<documents::DocumentView>,
    declarations: Vec<declarations::DeclarationView>,
    /// The register's digest of the export's day (`store::digest`).
    register_digest: crate::store::digest::Digest,
}

fn summary_doc(
    conn: &Connection,
    c: &ComplaintDetail,
    integrity: &journal::Integrity,
    today: NaiveDate,
) -> Result<LetterDoc> {
    let org = settings::organisation(conn)?;
    let date = |iso: &str| parse_date(iso).map(format_fr).unwrap_or_default();
    let mut p = vec![
        format!(
            "Réclamation reçue le {} ({}), adressée : {}. Étape actuelle : {}.",
            date(&c.received_on),
            c.channel_label.to_lowercase(),
            c.addressed_to_label,
            c.step_label
        ),
        format!(
            "Plaignant : {} ({}), {} {} {}.",
            c.complainant.name,
            c.complainant_role_label.to_lowercase(),
            c.complainant.address.lines.join(", "),
            c.complainant.address.postcode,
            c.complainant.address.city
        ),
        format!(
            "Qualifié ou certifié : {}{}.",
            c.firm.name,
            c.firm.siret.as_ref().map(|s| format!(", SIRET {s}")).unwrap_or_default()
        ),
        format!("Nature : {}.", c.nature_labels.join(", ")),
        "Étapes :".to_owned(),
    ];
    for e in c.journal.iter().rev().filter(|e| e.kind == "step_change") {
        p.push(format!("- {} : {}", date(&e.occurred_on), e.summary));
    }
    p.push("Délais :".to_owned());
    for k in &c.workflow.clocks {
        let met = match (k.stopped_on.as_deref(), k.state) {
            (Some(stop), _) if stop <= k.due_on.as_str() => "respecté".to_owned(),
            (Some(stop), _) => format!("dépassé (arrêté le {})", date(stop)),
            (None, "overdue" | "overrun") => "dépassé, en cours".to_owned(),
            (None, _) => "en cours".to_owned(),
        };
        p.push(format!("- {} : échéance {} ({}) — {met}", k.label, k.due_label, k.explanation));
    }
    let declared = declarations::list(conn, c.id)?;
    if !declared.is_empty() {
        p.push("Déclarations d'intérêts :".to_owned());
        for d in &declared {
            let comment =
                if d.comment.is_empty() { String::new() } else { format!(" ({})", d.comment.replace('\n', " ")) };
            p.push(format!(
                "- {} : {} ({}) — {}{comment}",
                date(&d.declared_on),
                d.person_name,
                d.role_label.to_lowercase(),
                d.answer_label.to_lowercase()
            ));
        }
    }
    if !c.decision_label.is_empty() {
        p.push(format!("Décision : {}. Motifs : {}", c.decision_label, c.decision_reasons));
    }
    p.push(format!("Journal : {}", integrity.message));
    p.push(crate::store::digest::current(conn, today)?.full_line());
    Ok(LetterDoc {
        letterhead: letters::letterhead(conn, &org)?,
        recipient: vec!["Dossier d'audit".into(), org.name.clone()],
        place_date: format!("{}, le {}", org.letter_place.trim(), crate::french::format_fr_long(today)),
        reference: c.reference.clone(),
        subject: format!("Synthèse du dossier {}", c.reference),
        registered_number: None,
        salutation: String::new(),
        paragraphs: p.iter().map(|x| crate::letters::typography::french(x)).collect(),
        closing: String::new(),
        signatory_name: org.general_delegate_name.clone(),
        signatory_title: org.general_delegate_title.clone(),
        title: format!("Synthèse du dossier {}", c.reference),
        created: chrono::Local::now().naive_local(),
        register_digest: crate::store::digest::current(conn, today)?.footer(),
    })
}

/// What « Exporter le dossier » exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DossierOf {
    Complaint(i64),
    /// A firm's whole file: each of its complaints.
    Firm(i64),
}

impl DossierOf {
    /// The dossier asked for by the page: the complaint when there is one, else the firm.
    pub fn chosen(complaint_id: Option<i64>, firm_id: Option<i64>) -> Result<DossierOf> {
        match (complaint_id, firm_id) {
            (Some(id), _) => Ok(DossierOf::Complaint(id)),
            (None, Some(id)) => Ok(DossierOf::Firm(id)),
            (None, None) => Err(Error::refused("Rien à exporter.")),
        }
    }
}

/// Exports `what` into a new folder under `target`; `progress(done, total)` as it goes.
pub fn export(
    conn: &Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    what: DossierOf,
    target: &Path,
    today: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<PathBuf> {
    match what {
        DossierOf::Complaint(id) => export_complaint(conn, documents_dir, fonts, id, target, today, progress),
        DossierOf::Firm(id) => export_firm(conn, documents_dir, fonts, id, target, today, progress),
    }
}

/// Exports one complaint into a new folder under `target`; `progress(done, total)` per file.
pub fn export_complaint(
    conn: &Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    id: i64,
    target: &Path,
    today: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<PathBuf> {
    let c = complaints::get(conn, id, today)?;
    let dir = target.join(format!("dossier-{}", c.reference));
    if dir.exists() {
        return Err(Error::refused(format!(
            "Le dossier {} existe déjà : choisissez un autre emplacement.",
            dir.display()
        )));
    }
    fs::create_dir_all(&dir)?;
    let integrity = journal::verify(conn, id)?;
    let docs = documents::documents(conn, id)?;
    let total = docs.len() + 4;
    let summary = pdf::render(&summary_doc(conn, &c, &integrity, today)?, fonts)?;
    write_new(&dir, "synthese", "pdf", &summary)?;
    progress(1, total);
    let rows = journal::rows(conn, id)?;
    let mut csv = String::from(
        "\u{feff}N°;Date;Enregistré le;Auteur;Type;Résumé;Détails;Participants;Empreinte précédente;Empreinte\r\n",
    );
    let q = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    for r in &rows {
        csv.push_str(&format!(
            "{};{};{};{};{};{};{};{};{};{}\r\n",
            r.seq,
            r.occurred_on,
            r.recorded_at,
            q(&r.author),
            r.kind,
            q(&r.summary),
            q(&r.details),
            q(&r.participants),
            r.prev_hash,
            r.hash
        ));
    }
    write_new(&dir, "journal", "csv", csv.as_bytes())?;
    write_new(&dir, "integrite-du-journal", "txt", format!("{}\n", integrity.message).as_bytes())?;
    progress(2, total);
    for (i, d) in docs.iter().enumerate() {
        let source = documents::document_path(conn, documents_dir, d.id)?;
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("document-{}", d.id));
        fs::copy(&source, dir.join(datadir::DOCUMENTS).join(&name)).or_else(|_| {
            fs::create_dir_all(dir.join(datadir::DOCUMENTS))?;
            fs::copy(&source, dir.join(datadir::DOCUMENTS).join(&name))
        })?;
        progress(3 + i, total);
    }
    let json = serde_json::to_vec_pretty(&Dossier {
        exported_on: today.to_string(),
        complaint: &c,
        journal: rows,
        integrity,
        documents: docs,
        declarations: declarations::list(conn, id)?,
        register_digest: crate::store::digest::current(conn, today)?,
    })
    .map_err(json_failure)?;
    write_new(&dir, "dossier", "json", &json)?;
    write_manifest(&dir)?;
    progress(total, total);
    Ok(dir)
}

/// Writes `manifeste-sha256.txt` in `dir`, over every file already there (sub-folders included,
/// sorted, `/` separators): `sha256sum -c manifeste-sha256.txt` checks it. Call it last.
pub(crate) fn write_manifest(dir: &Path) -> Result<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)?.flatten() {
            if entry.file_type()?.is_dir() {
                stack.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    let mut manifest = String::new();
    for f in files {
        let (sha, _) = sha256_file(&f)?;
        manifest
            .push_str(&format!("{sha}  {}\n", f.strip_prefix(dir).unwrap_or(&f).to_string_lossy().replace('\\', "/")));
    }
    write_new(dir, "manifeste-sha256", "txt", manifest.as_bytes())
}

/// Exports a firm's file: one folder per complaint, inside `dossier-qualifie-<name>/`.
pub fn export_firm(
    conn: &Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    firm_id: i64,
    target: &Path,
    today: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<PathBuf> {
    let file = firms::firm_file(conn, firm_id, today)?;
    let dir = target.join(format!("dossier-qualifie-{}", slug(&file.firm.name, 40)));
    if dir.exists() {
        return Err(Error::refused(format!(
            "Le dossier {} existe déjà : choisissez un autre emplacement.",
            dir.display()
        )));
    }
    fs::create_dir_all(&dir)?;
    let json = serde_json::to_vec_pretty(&file).map_err(json_failure)?;
    write_new(&dir, "qualifie", "json", &json)?;
    let total = file.complaints.len();
    for (i, c) in file.complaints.iter().enumerate() {
        export_complaint(conn, documents_dir, fonts, c.id, &dir, today, &mut |_, _| {})?;
        progress(i + 1, total);
    }
    Ok(dir)
}

/// The dossier's JSON could not be written (it never fails on the app's own types; said in French).
fn json_failure(e: serde_json::Error) -> Error {
    Error::Export(format!("Le fichier JSON du dossier n'a pas pu être écrit ({e}) : réessayez l'export."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::complaints::tests::sample_complaint;
    use crate::store::letters;

    #[test]
    fn the_declarations_of_interests_are_in_the_export() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let mut conn = crate::db::open(&tmp.path().join("db.sqlite3"))?;
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        let id = complaints::register(&mut conn, &sample_complaint(), today, "S")?.id;
        let mut expert =
            crate::store::intervenants::tests::form(crate::store::intervenants::IntervenantKind::Expert, "Anne Roux");
        expert.speciality = String::new();
        let expert = crate::store::intervenants::save(&mut conn, None, &expert)?;
        let form = declarations::DeclarationForm {
            intervenant_id: Some(expert),
            date: "28/11/2026".into(),
            conflict: true,
            comment: "cousine du gérant".into(),
            ..Default::default()
        };
        declarations::record(&mut conn, id, &form, today, "S")?;
        let fonts = Fonts::liberation().map_err(|e| Error::field("f", e.to_string()))?;
        let dir = export_complaint(
            &conn,
            &tmp.path().join("documents"),
            &fonts,
            id,
            &tmp.path().join("export"),
            today,
            &mut |_, _| {},
        )?;
        let json: serde_json::Value = serde_json::from_slice(&fs::read(dir.join("dossier.json"))?)
            .map_err(|e| Error::field("j", e.to_string()))?;
        assert_eq!(json["declarations"][0]["person_name"], "Mme Anne Roux");
        assert_eq!(json["declarations"][0]["conflict"], true);
        assert_eq!(json["declarations"][0]["comment"], "cousine du gérant");
        if let Some(text) = crate::test_support::pdftotext_file(&dir.join("synthese.pdf"))? {
            let text = crate::test_support::flat(&text);
            assert!(text.contains("Déclarations d’intérêts") || text.contains("Déclarations d'intérêts"), "{text}");
            assert!(text.contains("Mme Anne Roux (expert)") && text.contains("cousine du gérant"), "{text}");
        }
        Ok(())
    }

    #[test]
    fn an_exported_dossier_round_trips() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let mut conn = crate::db::open(&tmp.path().join("db.sqlite3"))?;
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        let id = complaints::register(&mut conn, &sample_complaint(), today, "S")?.id;
        let fonts = Fonts::liberation().map_err(|e| Error::field("f", e.to_string()))?;
        let docs = tmp.path().join("documents");
        letters::generate(
            &mut conn,
            &docs,
            &fonts,
            id,
            crate::letters::kinds::LetterKind::Acknowledgement,
            None,
            today,
            "S",
        )?;
        let mut calls = 0;
        let dir =
            export_complaint(&conn, &docs, &fonts, id, &tmp.path().join("export"), today, &mut |_, _| calls += 1)?;
        assert!(calls >= 3);
        // Every hash in the manifest matches its file, and every file is listed.
        let manifest = fs::read_to_string(dir.join("manifeste-sha256.txt"))?;
        let lines: Vec<&str> = manifest.lines().collect();
        assert_eq!(lines.len(), 5, "{manifest}"); // synthèse, journal.csv, intégrité, the letter, dossier.json
        for line in lines {
            let (sha, name) = line.split_once("  ").ok_or(Error::field("m", "format"))?;
            assert_eq!(sha256_file(&dir.join(name))?.0, sha, "{name}");
        }
        // The archived letter is copied byte for byte.
        let letter =
            fs::read_dir(dir.join("documents"))?.flatten().next().map(|e| e.path()).ok_or(Error::field("d", "none"))?;
        let original = documents::document_path(&conn, &docs, 1)?;
        assert_eq!(fs::read(&letter)?, fs::read(original)?);
        // The JSON reloads with the journal and its integrity.
        let json: serde_json::Value = serde_json::from_slice(&fs::read(dir.join("dossier.json"))?)
            .map_err(|e| Error::field("j", e.to_string()))?;
        assert_eq!(json["complaint"]["reference"], "REC-2026-0001");
        assert_eq!(json["journal"].as_array().map(Vec::len), Some(2));
        assert_eq!(json["integrity"]["intact"], true);
        assert!(fs::read_to_string(dir.join("integrite-du-journal.txt"))?.starts_with("Journal intègre"));
        if let Some(text) = crate::test_support::pdftotext_file(&dir.join("synthese.pdf"))? {
            let text = crate::test_support::flat(&text);
            assert!(text.contains("Synthèse du dossier REC-2026-0001") && text.contains("Claire Lefèvre"), "{text}");
        }
        // A firm's file exports each of its complaints.
        let firm_dir = export_firm(&conn, &docs, &fonts, 1, &tmp.path().join("export2"), today, &mut |_, _| {})?;
        assert!(firm_dir.join("dossier-REC-2026-0001/manifeste-sha256.txt").exists());
        assert!(firm_dir.join("qualifie.json").exists());
        Ok(())
    }
}
