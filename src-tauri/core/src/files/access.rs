//! « Données d'une personne »: the export for a right-of-access request (GDPR art. 15). One
//! folder `donnees-<slug>-<date>/` with a readable A4 PDF of what the register holds about the
//! person (identity and contact details, the complaints naming them, the journal entries naming
//! them, the documents of those complaints, an intervenant's declarations of interests), a copy
//! of those documents and a SHA-256 manifest. The rows come from [`store::persons`]; the folder
//! is written here, under a temporary name first, so that a failed export never leaves a
//! half-written folder under the final name.

use crate::archive::{sha256_file, slug, write_new};
use crate::error::{Error, Result};
use crate::files::export::write_manifest;
use crate::french::{format_fr, format_fr_long};
use crate::letters::pdf::{self, Fonts, LetterDoc};
use crate::letters::typography;
use crate::store::persons::{self, Holdings, PersonKind};
use crate::store::{documents, letters, settings};
use crate::validate::parse_date;
use chrono::NaiveDate;
use rusqlite::Connection;
use std::fs;
use std::path::{Path, PathBuf};

/// The folder of the copied documents, inside the export.
pub const DOCUMENTS: &str = "documents";

/// What happened to one document's copy.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Copy {
    /// Copied under this path (relative to the export), its SHA-256 the register's.
    Done(String),
    /// Copied, but its SHA-256 differs from the register's (the archived file was changed).
    Differs(String, String),
    /// The archived file is missing.
    Missing,
}

/// Exports what the register holds about person `id` of `kind` into a new folder under
/// `target_dir`; refused when that folder exists.
pub fn export_person(
    conn: &Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    kind: PersonKind,
    id: i64,
    target_dir: &Path,
    today: NaiveDate,
) -> Result<PathBuf> {
    let held = persons::holdings(conn, kind, id)?;
    let name = format!("donnees-{}-{today}", slug(&held.name, 40));
    let dir = target_dir.join(&name);
    if dir.exists() {
        return Err(Error::refused(format!(
            "Le dossier {} existe déjà : choisissez un autre emplacement, ou déplacez l'export précédent.",
            dir.display()
        )));
    }
    if !target_dir.is_dir() {
        return Err(Error::refused(format!(
            "Le dossier {} n'existe pas : choisissez un dossier existant.",
            target_dir.display()
        )));
    }
    // Written under a temporary name, renamed once complete.
    let tmp = target_dir.join(format!(".{name}.{}.tmp", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp)?;
    }
    fs::create_dir(&tmp)?;
    let written = write_all(conn, documents_dir, fonts, &held, &tmp, today);
    let placed = written.and_then(|()| {
        if dir.exists() {
            return Err(Error::refused(format!(
                "Le dossier {} existe déjà : choisissez un autre emplacement, ou déplacez l'export précédent.",
                dir.display()
            )));
        }
        fs::rename(&tmp, &dir)?;
        if let Ok(parent) = fs::File::open(target_dir) {
            let _ = parent.sync_all();
        }
        Ok(())
    });
    if let Err(e) = placed {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    Ok(dir)
}

fn write_all(
    conn: &Connection,
    documents_dir: &Path,
    fonts: &Fonts,
    held: &Holdings,
    dir: &Path,
    today: NaiveDate,
) -> Result<()> {
    // The documents first: the PDF says of each whether its copy matches the register.
    let mut copies = Vec::new();
    for c in &held.complaints {
        for d in &c.documents {
            copies.push(copy_document(conn, documents_dir, dir, &c.reference, d)?);
        }
    }
    let doc = summary(conn, held, &copies, today)?;
    let bytes = pdf::render(&doc, fonts)?;
    write_new(dir, "donnees-personnelles", "pdf", &bytes)?;
    write_manifest(dir)?;
    Ok(())
}

fn copy_document(
    conn: &Connection,
    documents_dir: &Path,
    dir: &Path,
    reference: &str,
    d: &documents::DocumentView,
) -> Result<Copy> {
    let source = documents::document_path(conn, documents_dir, d.id)?;
    let Ok(bytes) = fs::read(&source) else { return Ok(Copy::Missing) };
    let file = d.relative_path.rsplit('/').next().unwrap_or(&d.relative_path);
    // The archived name is the app's own (a slug, a date, a kind); kept unless the row was
    // tampered with, in which case it is made safe again.
    let (stem, ext) = file.rsplit_once('.').unwrap_or((file, "bin"));
    let safe = |t: &str, max: usize| {
        let plain = !t.is_empty()
            && t.len() <= max
            && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && !crate::archive::is_windows_reserved(t);
        if plain {
            t.to_owned()
        } else {
            slug(t, max)
        }
    };
    let folder = dir.join(DOCUMENTS).join(slug(reference, 40));
    let path = write_new(&folder, &safe(stem, 120), &safe(ext, 10), &bytes)?;
    let relative = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
    let (sha, _) = sha256_file(&path)?;
    Ok(if sha == d.sha256 { Copy::Done(relative) } else { Copy::Differs(relative, sha) })
}

fn summary(conn: &Connection, held: &Holdings, copies: &[Copy], today: NaiveDate) -> Result<LetterDoc> {
    let org = settings::organisation(conn)?;
    let date = |iso: &str| parse_date(iso.get(..10).unwrap_or(iso)).map(format_fr).unwrap_or_else(|| iso.to_owned());
    let who = &held.name;
    let mut p = vec![format!(
        "Ce document recense, au {}, les données que le registre des réclamations de {} détient sur {who} ({}) : \
         son identité et ses coordonnées, les réclamations qui nomment cette personne, les entrées de leur journal qui la nomment{}{}, \
         et les documents de ces réclamations, dont une copie est jointe dans le dossier « {DOCUMENTS} ». \
         Aucune autre réclamation n'y figure.",
        format_fr(today),
        org.name,
        held.kind_label.to_lowercase(),
        if held.kind == PersonKind::Intervenant { ", ses déclarations d'intérêts" } else { "" },
        if held.complaints.iter().any(|c| !c.corrections.is_empty()) {
            ", les corrections de ce que ces réclamations avaient enregistré, avec les valeurs antérieures"
        } else {
            ""
        },
    )];
    p.push("Identité et coordonnées".into());
    for record in &held.identity {
        p.push(format!("{} :", record.source));
        for f in &record.fields {
            let value = if f.value.trim().is_empty() { "—" } else { f.value.as_str() };
            p.push(format!("- {} : {value}", f.label));
        }
    }
    p.push(format!("Réclamations qui nomment cette personne ({})", held.complaints.len()));
    if held.complaints.is_empty() {
        p.push("Aucune.".into());
    }
    for c in &held.complaints {
        let decision =
            if c.decision_label.is_empty() { "aucune à ce jour".to_owned() } else { c.decision_label.clone() };
        let closed = c.closed_on.as_deref().map(|d| format!(" ; clos le {}", date(d))).unwrap_or_default();
        p.push(format!(
            "- {}, reçue le {} : {} ; étape : {} ; décision : {decision}{closed}.",
            c.reference,
            date(&c.received_on),
            c.role,
            c.step_label
        ));
    }
    p.push("Entrées du journal qui nomment cette personne".into());
    let mut any = false;
    for c in &held.complaints {
        for e in &c.journal {
            any = true;
            let mut line = format!("- {}, {} — {} : {}", c.reference, date(&e.occurred_on), e.kind_label, e.summary);
            if !e.participants.trim().is_empty() {
                line.push_str(&format!(" (participants : {})", e.participants.trim()));
            }
            if !e.details.trim().is_empty() {
                line.push_str(&format!("\n{}", e.details.trim()));
            }
            p.push(line);
        }
    }
    if !any {
        p.push("Aucune.".into());
    }
    if held.complaints.iter().any(|c| !c.corrections.is_empty()) {
        p.push("Corrections des données enregistrées (valeurs antérieures)".into());
        for c in &held.complaints {
            for k in &c.corrections {
                let was = if k.old.trim().is_empty() { "—" } else { k.old.as_str() };
                let now = if k.new.trim().is_empty() { "—" } else { k.new.as_str() };
                p.push(format!(
                    "- {}, corrigé le {} ({}, par {}) — {} : « {was} » → « {now} »",
                    c.reference,
                    date(&k.corrected_on),
                    k.cause_label,
                    k.author,
                    k.label
                ));
            }
        }
    }
    p.push("Documents de ces réclamations".into());
    let mut n = 0;
    for c in &held.complaints {
        for d in &c.documents {
            let copy = match copies.get(n) {
                Some(Copy::Done(path)) => format!("copie : {path}"),
                Some(Copy::Differs(path, sha)) => format!(
                    "copie : {path} — ATTENTION : le fichier archivé a changé depuis son enregistrement (SHA-256 actuel {sha})"
                ),
                Some(Copy::Missing) | None => "fichier archivé introuvable : aucune copie".to_owned(),
            };
            n += 1;
            let file = d.relative_path.rsplit('/').next().unwrap_or(&d.relative_path);
            p.push(format!(
                "- {}, {} — {} — {file}\nSHA-256 : {}\n{copy}",
                c.reference,
                date(&d.created_on),
                d.kind_label,
                d.sha256
            ));
        }
    }
    if n == 0 {
        p.push("Aucun.".into());
    }
    if held.kind == PersonKind::Intervenant {
        p.push("Déclarations d'intérêts".into());
        if held.declarations.is_empty() {
            p.push("Aucune.".into());
        }
        for (reference, d) in &held.declarations {
            let comment = if d.comment.trim().is_empty() {
                String::new()
            } else {
                format!(" — {}", d.comment.replace('\n', " "))
            };
            p.push(format!(
                "- {reference}, {} : {} ({}){comment}",
                date(&d.declared_on),
                d.answer_label,
                d.role_label.to_lowercase()
            ));
        }
    }
    let years = settings::deadlines(conn)?.retention_years;
    p.push(format!(
        "Conservation : une réclamation, son journal et ses documents sont effacés {years} ans après la clôture du dossier. \
         Rectification : adressez-vous au secrétariat, qui corrige les données inexactes en gardant la trace de la correction."
    ));
    let title = format!("Données personnelles détenues sur {who}");
    let digest = crate::store::digest::current(conn, today)?;
    Ok(LetterDoc {
        letterhead: letters::letterhead(conn, &org)?,
        recipient: vec!["Demande de droit d'accès".into(), who.chars().take(38).collect()],
        place_date: format!("{}, le {}", org.letter_place.trim(), format_fr_long(today)),
        reference: format!("Droit d'accès — {}", format_fr(today)),
        subject: title.clone(),
        registered_number: None,
        salutation: String::new(),
        paragraphs: p.iter().map(|x| typography::french(x)).collect(),
        closing: String::new(),
        signatory_name: org.general_delegate_name.clone(),
        signatory_title: org.general_delegate_title.clone(),
        title,
        created: chrono::Local::now().naive_local(),
        register_digest: digest.footer(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::kinds::LetterKind;
    use crate::store::journal::{add_manual, ManualEntryForm};
    use crate::store::persons::tests::complaint_by;
    use crate::test_support::{flat, fonts, pdftotext_file};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
    }

    fn note(conn: &mut Connection, id: i64, kind: &str, participants: &str, summary: &str) -> Result<i64> {
        let form = ManualEntryForm {
            kind: kind.into(),
            date: "27/11/2026".into(),
            participants: participants.into(),
            summary: summary.into(),
            corrects_seq: None,
        };
        add_manual(conn, id, "S", &form, today())
    }

    /// Every file under `dir`, relative, sorted.
    fn files(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).into_iter().flatten().flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else {
                    out.push(e.path().strip_prefix(dir).unwrap_or(&e.path()).to_string_lossy().into_owned());
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn the_export_of_a_complainant_holds_every_complaint_naming_her_and_no_other() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let mut conn = crate::db::open(&tmp.path().join("db.sqlite3"))?;
        let docs = tmp.path().join("documents");
        // Hers (0001, 0003: the same person, written differently), a namesake's with another
        // email (0004), and someone else's (0002) that names her in its journal.
        let first = complaint_by(&mut conn, "Zoé Méraud", "zoe.meraud@example.fr")?;
        let other = complaint_by(&mut conn, "Paul Gardé", "paul.garde@example.fr")?;
        let second = complaint_by(&mut conn, "ZOE MERAUD", "Zoe.Meraud@example.fr")?;
        let namesake = complaint_by(&mut conn, "Zoé Méraud", "zoe.lyon@example.fr")?;
        for id in [first, other, second, namesake] {
            crate::store::letters::generate(
                &mut conn,
                &docs,
                fonts(),
                id,
                LetterKind::Acknowledgement,
                None,
                today(),
                "S",
            )?;
        }
        note(&mut conn, first, "call", "Mme Méraud", "Mme Méraud précise le montant du devis.")?;
        note(&mut conn, first, "note", "", "Relance interne du dossier, sans la nommer.")?;
        note(&mut conn, other, "note", "", "M. Gardé cite Mme Méraud comme témoin.")?;

        let found = persons::find(&conn, "meraud")?;
        assert_eq!(found.len(), 2, "{found:?}");
        let her = found.iter().find(|m| m.email == "zoe.meraud@example.fr").ok_or(Error::field("find", "none"))?;
        assert_eq!(her.complaints, 2);

        let target = tmp.path().join("export");
        fs::create_dir_all(&target)?;
        let dir = export_person(&conn, &docs, fonts(), PersonKind::Complainant, her.id, &target, today())?;
        assert_eq!(dir, target.join("donnees-zoe-meraud-2026-11-28"));
        // Her two letters, copied byte for byte under their complaint, with the register's hashes.
        let listed = files(&dir);
        assert_eq!(listed.len(), 4, "{listed:?}");
        assert!(listed.iter().any(|f| f.starts_with("documents/rec-2026-0001/")), "{listed:?}");
        assert!(listed.iter().any(|f| f.starts_with("documents/rec-2026-0003/")), "{listed:?}");
        assert!(!listed.iter().any(|f| f.contains("0002") || f.contains("0004")), "{listed:?}");
        for id in [first, second] {
            for d in documents::documents(&conn, id)? {
                let name = d.relative_path.rsplit('/').next().unwrap_or_default().to_owned();
                let copy = dir.join(DOCUMENTS).join(slug(&d.reference, 40)).join(&name);
                assert_eq!(sha256_file(&copy)?.0, d.sha256, "{name}");
                assert_eq!(fs::read(&copy)?, fs::read(documents::document_path(&conn, &docs, d.id)?)?);
            }
        }
        let manifest = fs::read_to_string(dir.join("manifeste-sha256.txt"))?;
        for line in manifest.lines() {
            let (sha, name) = line.split_once("  ").ok_or(Error::field("manifest", line.to_owned()))?;
            assert_eq!(sha256_file(&dir.join(name))?.0, sha, "{name}");
        }
        if let Some(text) = pdftotext_file(&dir.join("donnees-personnelles.pdf"))? {
            let text = flat(&text);
            for expected in [
                "Données personnelles détenues sur Zoé Méraud",
                "REC-2026-0001, reçue le",
                "REC-2026-0003, reçue le",
                "Plaignant (client du qualifié)",
                "zoe.meraud@example.fr",
                "Enregistrées avec la réclamation REC-2026-0001",
                "Mme Méraud précise le montant du devis",
                "Accusé de réception",
            ] {
                assert!(text.contains(expected), "« {expected} » missing:\n{text}");
            }
            for absent in ["REC-2026-0002", "REC-2026-0004", "Gardé", "zoe.lyon", "sans la nommer"] {
                assert!(!text.contains(absent), "« {absent} » must not be there:\n{text}");
            }
            for d in documents::documents(&conn, first)? {
                assert!(text.contains(&d.sha256), "{} missing:\n{text}", d.sha256);
            }
        }
        // The same export again is refused in French, and nothing is left half-written.
        let again = export_person(&conn, &docs, fonts(), PersonKind::Complainant, her.id, &target, today());
        assert!(matches!(&again, Err(Error::Refused { message }) if message.contains("existe déjà")), "{again:?}");
        assert_eq!(fs::read_dir(&target)?.count(), 1);
        Ok(())
    }

    #[test]
    fn an_intervenant_export_holds_their_declarations_and_only_their_files() -> Result<()> {
        let tmp = tempfile::tempdir()?;
        let mut conn = crate::db::open(&tmp.path().join("db.sqlite3"))?;
        let docs = tmp.path().join("documents");
        let theirs = complaint_by(&mut conn, "Zoé Méraud", "zoe@example.fr")?;
        let not_theirs = complaint_by(&mut conn, "Paul Gardé", "paul@example.fr")?;
        let expert = crate::test_support::cleared_intervenant(&conn, theirs, "expert", "Anne Roux")?;
        let expert: i64 = expert.parse().map_err(|_| Error::field("id", expert.clone()))?;
        note(&mut conn, theirs, "call", "M. Anne Roux", "Appel de l'expert.")?;
        note(&mut conn, not_theirs, "note", "", "Rien sur l'expert.")?;
        let found = persons::find(&conn, "anne roux")?;
        assert_eq!(
            found.iter().map(|m| (m.kind, m.id, m.complaints)).collect::<Vec<_>>(),
            vec![(PersonKind::Intervenant, expert, 1)]
        );
        let target = tmp.path().join("export");
        fs::create_dir_all(&target)?;
        let dir = export_person(&conn, &docs, fonts(), PersonKind::Intervenant, expert, &target, today())?;
        if let Some(text) = pdftotext_file(&dir.join("donnees-personnelles.pdf"))? {
            let text = flat(&text);
            for expected in [
                "M. Anne Roux",
                "REC-2026-0001",
                "Déclaration d’intérêts",
                "Absence de conflit d’intérêts (expert)",
                "Appel de l’expert",
                "4 rue des Experts",
            ] {
                assert!(text.contains(expected), "« {expected} » missing:\n{text}");
            }
            assert!(!text.contains("REC-2026-0002") && !text.contains("Méraud"), "{text}");
        }
        Ok(())
    }

    #[test]
    fn the_export_of_a_complainant_holds_her_corrections_with_her_previous_values() -> Result<()> {
        use crate::store::corrections::{correct, CorrectionForm};
        let tmp = tempfile::tempdir()?;
        let mut conn = crate::db::open(&tmp.path().join("db.sqlite3"))?;
        let docs = tmp.path().join("documents");
        let hers = complaint_by(&mut conn, "Zoé Méraud", "zoe.meraud@example.fr")?;
        let other = complaint_by(&mut conn, "Paul Gardé", "paul.garde@example.fr")?;
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        // She moved (a change), and her phone was mistyped; Paul's address is corrected too.
        let detail = crate::store::complaints::get(&conn, hers, day)?;
        let mut form = CorrectionForm { cause: "change".into(), comment: String::new(), ..CorrectionForm::default() };
        form.complaint = crate::validate::ComplaintForm {
            received_on: format_fr(parse_date(&detail.received_on).unwrap_or(day)),
            channel: detail.channel.code().into(),
            addressed_to: detail.addressed_to.code().into(),
            complainant: crate::validate::ComplainantForm {
                role: detail.complainant.role.code().into(),
                civility: detail.complainant.civility.map_or("", crate::model::Civility::code).into(),
                name: detail.complainant.name.clone(),
                address_lines: "8 quai Saint-Vincent".into(),
                postcode: detail.complainant.address.postcode.clone(),
                city: detail.complainant.address.city.clone(),
                email: detail.complainant.email.clone(),
                phone: "04 78 12 34 56".into(),
                ..Default::default()
            },
            firm_id: Some(detail.firm.id),
            facts: detail.facts.clone(),
            actions_taken: detail.actions_taken.clone(),
            natures: detail.natures.iter().map(|n| n.code().to_owned()).collect(),
            ..Default::default()
        };
        correct(&mut conn, hers, &form, "Claire", day, true)?;
        let mut his = form.clone();
        his.complaint.complainant.name = "Paul Gardé".into();
        his.complaint.complainant.email = "paul.garde@example.fr".into();
        his.complaint.complainant.address_lines = "1 place Bellecour".into();
        correct(&mut conn, other, &his, "Claire", day, true)?;

        let her = persons::find(&conn, "meraud")?.first().map(|m| m.id).ok_or(Error::field("find", "none"))?;
        let held = persons::holdings(&conn, PersonKind::Complainant, her)?;
        let corrections: Vec<(String, String, String, &str)> = held
            .complaints
            .iter()
            .flat_map(|c| c.corrections.iter())
            .map(|k| (k.label.clone(), k.old.clone(), k.new.clone(), k.cause_label))
            .collect();
        assert_eq!(
            corrections,
            [
                (
                    "Adresse postale du plaignant".to_owned(),
                    "12 rue des Lilas, 69003 Lyon".to_owned(),
                    "8 quai Saint-Vincent, 69003 Lyon".to_owned(),
                    "changement"
                ),
                ("Téléphone du plaignant".to_owned(), String::new(), "04 78 12 34 56".to_owned(), "changement"),
            ]
        );
        let target = tmp.path().join("export");
        fs::create_dir_all(&target)?;
        let dir = export_person(&conn, &docs, fonts(), PersonKind::Complainant, her, &target, today())?;
        if let Some(text) = pdftotext_file(&dir.join("donnees-personnelles.pdf"))? {
            let text = flat(&text);
            for expected in [
                "Corrections des données enregistrées (valeurs antérieures)",
                "REC-2026-0001, corrigé le 28/11/2026 (changement, par Claire)",
                "Adresse postale du plaignant : « 12 rue des Lilas, 69003 Lyon » → « 8 quai Saint-Vincent, 69003 Lyon »",
                "Téléphone du plaignant : « — » → « 04 78 12 34 56 »",
            ] {
                assert!(text.contains(&flat(&typography::french(expected))), "« {expected} » missing:\n{text}");
            }
            assert!(!text.contains("Bellecour") && !text.contains("REC-2026-0002"), "{text}");
        }
        Ok(())
    }
}
