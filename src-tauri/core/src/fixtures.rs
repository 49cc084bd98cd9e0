//! Realistic French sample data for benchmarks, demonstrations and the scale fixture: firms,
//! complainants and complaints drawn from small word lists by a seeded generator (the same
//! seed gives the same data).

use crate::model::{Addressee, Channel, Checklist, Civility, ComplainantRole, Nature, Step};
use crate::procedure::Decision;
use crate::validate::{ComplainantForm, ComplaintForm, FirmForm};
use chrono::NaiveDate;

/// A small, fast, seeded generator (xorshift64*): no dependency, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

pub const FIRST_NAMES: &[&str] = &[
    "Claire",
    "Jean",
    "Marie",
    "Pierre",
    "Sophie",
    "Luc",
    "Camille",
    "Nicolas",
    "Isabelle",
    "François",
    "Hélène",
    "Thierry",
    "Nathalie",
    "Éric",
    "Anne",
    "Jérôme",
    "Céline",
    "Gérard",
    "Élodie",
    "Benoît",
    "Agnès",
    "Loïc",
];
pub const LAST_NAMES: &[&str] = &[
    "Lefèvre",
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Laurent",
    "Lefebvre",
    "Garnier",
    "Faure",
    "Rousseau",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Chevalier",
    "Gauthier",
    "Perrin",
    "Robin",
    "Clément",
    "Morel",
    "Noël",
    "Lemaître",
    "Besnard",
    "Château",
];
pub const CITIES: &[(&str, &str)] = &[
    ("75011", "Paris"),
    ("69003", "Lyon"),
    ("13008", "Marseille"),
    ("31000", "Toulouse"),
    ("33000", "Bordeaux"),
    ("44000", "Nantes"),
    ("67000", "Strasbourg"),
    ("59000", "Lille"),
    ("35000", "Rennes"),
    ("34000", "Montpellier"),
    ("06000", "Nice"),
    ("42000", "Saint-Étienne"),
    ("21000", "Dijon"),
    ("37000", "Tours"),
    ("63000", "Clermont-Ferrand"),
];
const STREETS: &[&str] = &[
    "rue de la République",
    "avenue Jean Jaurès",
    "boulevard Victor Hugo",
    "rue Pasteur",
    "place de la Mairie",
    "rue des Écoles",
    "chemin des Vignes",
    "allée des Tilleuls",
    "rue du Général de Gaulle",
    "quai de Saône",
];
const FIRM_WORDS: &[&str] = &[
    "Économie",
    "Bâtiment",
    "Métrés",
    "Études",
    "Conseil",
    "Ingénierie",
    "Coordination",
    "Chiffrage",
    "Projets",
    "Ouvrages",
    "Construction",
    "Expertise",
];
const FIRM_FORMS: &[&str] = &["Cabinet", "SARL", "Bureau d'études", "SAS", "Atelier"];
pub const FACTS: &[&str] = &[
    "Le métré remis était faux de 30 % sur le lot gros œuvre.",
    "Les honoraires ont été facturés deux fois pour la même mission.",
    "L'estimation du coût des travaux a été largement sous-évaluée.",
    "Le cabinet utilise la marque OPQTECC sans qualification en cours de validité.",
    "Le rendez-vous de réception des travaux n'a jamais été honoré.",
    "Le dossier de consultation des entreprises comportait des erreurs de quantités.",
    "Le qualifié a refusé de transmettre les pièces du marché.",
    "Retards répétés dans la remise du décompte général définitif.",
];
pub const ACTIONS: &[&str] = &[
    "Courrier recommandé au cabinet resté sans réponse.",
    "Plusieurs relances téléphoniques, sans effet.",
    "Mise en demeure adressée par notre avocat.",
    "Rencontre avec le gérant, qui conteste les faits.",
];

/// The first names of [`FIRST_NAMES`] that are women's (« Camille » counted so).
const WOMEN: &[&str] =
    &["Claire", "Marie", "Sophie", "Camille", "Isabelle", "Hélène", "Nathalie", "Anne", "Céline", "Élodie", "Agnès"];

/// « Madame » for a woman's first name (the first word of `name`), otherwise « Monsieur ».
pub fn civility_of(name: &str) -> Civility {
    if WOMEN.contains(&name.split(' ').next().unwrap_or_default()) {
        Civility::Madame
    } else {
        Civility::Monsieur
    }
}

pub fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES))
}

/// A firm with a valid SIRET (Luhn) built from `n`.
pub fn firm(rng: &mut Rng, n: usize) -> FirmForm {
    let (postcode, city) = *rng.pick(CITIES);
    let (form, first, second, last) =
        (rng.pick(FIRM_FORMS), rng.pick(FIRM_WORDS), rng.pick(FIRM_WORDS), rng.pick(LAST_NAMES));
    // A name that fits an address line (38 characters, La Poste), as the letters require, and
    // says no word twice: a word dropped when too long or repeated, with no other draw (the
    // rest of the data stays the same).
    let full = (first != second).then(|| format!("{form} {first} {second} {last}"));
    let name = full
        .into_iter()
        .chain([format!("{form} {first} {last}"), format!("{form} {last}")])
        .find(|n| n.chars().count() <= 38)
        .unwrap_or_else(|| format!("{form} {last}"));
    FirmForm {
        number: format!("Q-{:05}", n + 1),
        name,
        siret: siret_for(n as u64),
        confirm_siret: false,
        reason: String::new(),
        address_lines: format!("{} {}", 1 + rng.below(120), rng.pick(STREETS)),
        postcode: postcode.into(),
        city: city.into(),
        email: format!("contact{n}@cabinet-exemple.fr"),
        phone: format!(
            "0{} {:02} {:02} {:02} {:02}",
            1 + rng.below(5),
            rng.below(100),
            rng.below(100),
            rng.below(100),
            rng.below(100)
        ),
        is_qualified: rng.chance(90),
        is_certified: rng.chance(20),
        is_rge: rng.chance(30),
    }
}

/// A 14-digit SIRET whose Luhn key is right, distinct for each `n`.
pub fn siret_for(n: u64) -> String {
    let base = format!("{:013}", 100_000_000_000 + n * 7);
    // Exactly one check digit makes the Luhn sum a multiple of 10: the validator finds it.
    (0..10).map(|d| format!("{base}{d}")).find(|s| crate::validate::siret_is_valid(s)).unwrap_or(base)
}

/// A complaint against `firm_id`, received on `received`.
pub fn complaint(rng: &mut Rng, firm_id: i64, received: NaiveDate) -> ComplaintForm {
    let (postcode, city) = *rng.pick(CITIES);
    let complete = rng.chance(80);
    let channel = *rng.pick(&[Channel::Letter, Channel::RegisteredLetter, Channel::Email, Channel::Letter]);
    // Drawn in this order, as they always were: the same seed gives the same data.
    let registered_number = if channel == Channel::RegisteredLetter {
        format!("1A {:03} {:03} {:04} {}", rng.below(1000), rng.below(1000), rng.below(10000), rng.below(10))
    } else {
        String::new()
    };
    let addressed_to = *rng.pick(&[Addressee::GeneralDelegate, Addressee::President, Addressee::Secretariat]);
    let role = *rng.pick(&[ComplainantRole::Client, ComplainantRole::Client, ComplainantRole::ThirdParty]);
    let civility = *rng.pick(&[Some(Civility::Madame), Some(Civility::Monsieur), None]);
    let name = person(rng);
    // « Madame » or « Monsieur » as the first name goes (« Madame Jean Dubois » on a letter
    // would give the fixture away).
    let civility = civility.map(|_| civility_of(&name));
    ComplaintForm {
        received_on: received.format("%d/%m/%Y").to_string(),
        channel: channel.code().into(),
        registered_number,
        email_subject: if channel == Channel::Email {
            "Réclamation contre un économiste".into()
        } else {
            String::new()
        },
        addressed_to: addressed_to.code().into(),
        complainant: ComplainantForm {
            role: role.code().into(),
            civility: civility.map_or("", Civility::code).into(),
            name,
            organisation: String::new(),
            address_lines: format!("{} {}", 1 + rng.below(150), rng.pick(STREETS)),
            postcode: postcode.into(),
            city: city.into(),
            email: String::new(),
            phone: String::new(),
        },
        firm_id: Some(firm_id),
        new_firm: None,
        facts: format!("{} {}", rng.pick(FACTS), rng.pick(FACTS)),
        actions_taken: if complete { (*rng.pick(ACTIONS)).into() } else { String::new() },
        natures: vec![rng.pick(&[Nature::Services, Nature::Services, Nature::Ethics, Nature::MarkUse]).code().into()],
        checklist: Checklist { complainant_details: true, firm_details: true, facts: true, actions_taken: complete },
        // Every generated complainant has a postal address.
        reply_by_email: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{siret_is_valid, validate_complaint, validate_firm};

    #[test]
    fn firm_names_fit_an_address_line_and_repeat_no_word() {
        let mut rng = Rng::new(3);
        for n in 0..2000 {
            let name = firm(&mut rng, n).name;
            assert!(name.chars().count() <= 38, "{name}");
            let words: Vec<&str> = name.split(' ').collect();
            let mut unique = words.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), words.len(), "{name}");
        }
    }

    #[test]
    fn populate_writes_valid_chains_and_a_searchable_index() -> crate::Result<()> {
        let mut conn = crate::db::open_in_memory()?;
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        let done = populate(&mut conn, 10, 300, today, 1, |_| {})?;
        assert_eq!((done.firms, done.complaints), (10, 300));
        assert!(done.journal_entries > 300 * 6, "{done:?}");
        let stored: i64 = conn.query_row("SELECT count(*) FROM journal", [], |r| r.get(0))?;
        assert_eq!(stored as usize, done.journal_entries);
        for id in [1, 150, 300] {
            assert_eq!(crate::store::journal::first_broken(&conn, id)?, None);
        }
        let closed: i64 = conn.query_row("SELECT count(*) FROM complaints WHERE step = 'closed'", [], |r| r.get(0))?;
        assert!(closed > 250, "{closed}");
        let page = crate::store::search::list(
            &conn,
            &crate::store::search::ListQuery { text: "honoraires".into(), limit: 10, ..Default::default() },
            today,
        )?;
        assert!(page.total > 0);
        let d = crate::store::dashboard::dashboard(&conn, today)?;
        assert!(d.counts.iter().map(|c| c.count).sum::<i64>() == 300);
        Ok(())
    }

    #[test]
    fn the_fast_fixture_writes_the_workflow_s_sentences_not_codes() -> crate::Result<()> {
        let mut conn = crate::db::open_in_memory()?;
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        populate(&mut conn, 10, 300, today, 1, |_| {})?;
        let summaries: Vec<String> = conn
            .prepare("SELECT summary FROM journal")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for s in &summaries {
            let codes = crate::test_support::codes_in(s);
            assert!(codes.is_empty(), "{codes:?} in « {s} »");
        }
        let has = |text: &str| summaries.iter().any(|s| s.contains(text));
        assert!(has(" : Avertissement, prise par le Responsable des Qualifications. Étape : « Décidée »."));
        assert!(has(" : Classement sans suite, prise par "));
        assert!(has("Dossier clos le ") && has("Étape : « Clôturée »."));
        assert!(has("Qualifié informé de la réclamation par téléphone le "));
        // A complaint received incomplete is asked for its details before it is complete.
        assert!(has("Demande de précisions enregistrée, datée du "));
        let incomplete: i64 = conn.query_row(
            "SELECT count(*) FROM complaints WHERE step <> 'registered' AND has_actions_taken = 0",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(incomplete, 0);
        Ok(())
    }

    #[test]
    fn a_complainant_s_civility_goes_with_the_first_name() {
        let mut rng = Rng::new(5);
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        for _ in 0..300 {
            let c = complaint(&mut rng, 1, today).complainant;
            if !c.civility.is_empty() {
                assert_eq!(c.civility, civility_of(&c.name).code(), "{}", c.name);
            }
        }
        assert_eq!(civility_of("Camille Robin"), Civility::Madame);
        assert_eq!(civility_of("Loïc Morel"), Civility::Monsieur);
    }

    #[test]
    fn generated_data_passes_validation() -> crate::Result<()> {
        let mut rng = Rng::new(42);
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        for n in 0..200 {
            let f = firm(&mut rng, n);
            assert!(siret_is_valid(&f.siret), "{}", f.siret);
            validate_firm(&f, "firm")?;
            validate_complaint(&complaint(&mut rng, 1, today), today)?;
        }
        Ok(())
    }
}

/// A complete complaint by post, against a firm created inline: the tests' usual case.
pub fn sample_complaint() -> ComplaintForm {
    ComplaintForm {
        received_on: "27/11/2026".into(),
        channel: Channel::Letter.code().into(),
        addressed_to: Addressee::GeneralDelegate.code().into(),
        complainant: ComplainantForm {
            role: ComplainantRole::Client.code().into(),
            civility: Civility::Madame.code().into(),
            name: "Claire Lefèvre".into(),
            address_lines: "12 rue des Lilas".into(),
            postcode: "69003".into(),
            city: "Lyon".into(),
            email: "claire.lefevre@example.fr".into(),
            ..ComplainantForm::default()
        },
        new_firm: Some(FirmForm {
            name: "Économie Bâtiment Conseil".into(),
            siret: "73282932000074".into(),
            address_lines: "3 avenue Foch".into(),
            postcode: "75016".into(),
            city: "Paris".into(),
            is_qualified: true,
            ..FirmForm::default()
        }),
        facts: "Le métré remis était faux de 30 %.".into(),
        actions_taken: "Courrier au cabinet le 2 octobre, sans réponse.".into(),
        natures: [Nature::Services, Nature::Ethics].iter().map(|n| n.code().to_owned()).collect(),
        checklist: Checklist { complainant_details: true, firm_details: true, facts: true, actions_taken: true },
        ..ComplaintForm::default()
    }
}

/// What [`populate`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Populated {
    pub firms: usize,
    pub complaints: usize,
    pub journal_entries: usize,
}

/// Fills a database with `firms` firms and `complaints` complaints received over the 20 years
/// before `today`, each taken through the procedure as far as its age allows (older ones
/// closed, recent ones at every step of the main path with their clocks running): about ten
/// journal entries each, hash-chained like the app's and worded as its actions word them. One
/// transaction of direct writes (the scale fixture: 100 000 complaints in seconds, where the
/// real workflow would take hours), so without letters: its decisions are marked as taken
/// before the letters were checked (`legacy_obligations`). The demonstration register goes
/// through the real workflow instead: [`populate_by_workflow`]. The search index is rebuilt
/// at the end.
pub fn populate(
    conn: &mut rusqlite::Connection,
    firms: usize,
    complaints: usize,
    today: NaiveDate,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> crate::Result<Populated> {
    use crate::procedure::wording;
    use crate::procedure::{Decider, Manager, Means};
    use crate::store::clocks::{self, Clock, StopReason};
    use crate::store::journal::{append_unindexed, JournalKind, NewEntry};
    use rusqlite::params;

    let mut rng = Rng::new(seed);
    let tx = conn.transaction()?;
    let mut firm_ids = Vec::with_capacity(firms);
    for n in 0..firms {
        let f = crate::validate::validate_firm(&firm(&mut rng, n), "firm")?;
        firm_ids.push(crate::store::firms::insert(&tx, &f, "firm")?);
    }
    let first = today - chrono::Duration::days(20 * 365);
    let span = (today - first).num_days().max(1);
    let staff: &[&str] = &["Sophie Martin", "Luc Petit", "Secrétariat"];
    let manager = Manager::Qualification;
    let mut entries = 0;
    for i in 0..complaints {
        let received = first + chrono::Duration::days((i as i64 * span) / complaints.max(1) as i64);
        let firm_id = *rng.pick(&firm_ids);
        let v = crate::validate::validate_complaint(&complaint(&mut rng, firm_id, received), today)?;
        let (id, _) = crate::store::complaints::insert_valid(&tx, &v, received, rng.pick::<&str>(staff), false)?;
        entries += 1;
        let age = (today - received).num_days();
        let at = |d: i64| received + chrono::Duration::days(d);
        let mut step = Step::Registered;
        // One journal entry; `to`: the step it leads to (the sentence then names it, as the
        // workflow's do).
        let mut log = |kind: JournalKind,
                       day: i64,
                       summary: String,
                       details: &str,
                       author: &str,
                       step: &mut Step,
                       to: Option<Step>|
         -> crate::Result<()> {
            let from = *step;
            let summary = match to {
                Some(to) => wording::with_step(summary, from, to),
                None => summary,
            };
            append_unindexed(
                &tx,
                id,
                &NewEntry {
                    details,
                    step_from: to.map(|_| from),
                    step_to: to,
                    ..NewEntry::simple(kind, at(day), author, &summary)
                },
            )?;
            *step = to.unwrap_or(from);
            entries += 1;
            Ok(())
        };
        if age >= 3 {
            let author = rng.pick::<&str>(staff);
            if v.checklist.is_complete() {
                log(
                    JournalKind::StepChange,
                    2,
                    wording::acknowledged(at(2)),
                    "",
                    author,
                    &mut step,
                    Some(Step::Complete),
                )?;
            } else {
                // Asked on day 1, received on day 2.
                let due = clocks::start(&tx, id, Clock::ComplainantDetails, at(1), 1, true)?;
                log(
                    JournalKind::StepChange,
                    1,
                    wording::details_requested(at(1), &v.checklist.missing(), Some(due)),
                    "",
                    author,
                    &mut step,
                    Some(Step::AwaitingDetails),
                )?;
                clocks::stop(&tx, id, &[Clock::ComplainantDetails], at(2), StopReason::Answered)?;
                tx.execute(
                    "UPDATE complaints SET has_complainant_details = 1, has_firm_details = 1, has_facts = 1,
                                           has_actions_taken = 1 WHERE id = ?1",
                    params![id],
                )?;
                log(
                    JournalKind::StepChange,
                    2,
                    wording::details_received(at(2), &v.checklist.missing(), &[]),
                    DETAILS_RECEIVED,
                    author,
                    &mut step,
                    Some(Step::Complete),
                )?;
            }
        }
        if age >= 6 {
            tx.execute("UPDATE complaints SET manager = ?2 WHERE id = ?1", params![id, manager])?;
            log(
                JournalKind::StepChange,
                5,
                wording::transmitted(manager, at(5)),
                "",
                rng.pick::<&str>(staff),
                &mut step,
                Some(Step::InAnalysis),
            )?;
        }
        if age >= 21 {
            let due = clocks::start(&tx, id, Clock::FirmAnswer, at(20), 1, false)?;
            log(
                JournalKind::StepChange,
                20,
                wording::firm_informed(Means::Phone, at(20), Some(due)),
                "Appel au gérant : la réclamation lui est présentée, il répondra par écrit.",
                rng.pick::<&str>(staff),
                &mut step,
                Some(Step::FirmInformed),
            )?;
        }
        if age >= 46 {
            clocks::stop(&tx, id, &[Clock::FirmAnswer], at(45), StopReason::Answered)?;
            let details = rng.pick::<&str>(FIRM_ANSWERS);
            log(
                JournalKind::LetterIn,
                45,
                wording::firm_answer_received(at(45), false),
                details,
                rng.pick::<&str>(staff),
                &mut step,
                None,
            )?;
        }
        if age >= 51 {
            let details = rng.pick::<&str>(CALLS);
            log(
                JournalKind::Call,
                50,
                "Appel du plaignant : point sur l'avancement du dossier.".into(),
                details,
                rng.pick::<&str>(staff),
                &mut step,
                None,
            )?;
        }
        if age >= 61 && rng.chance(50) {
            let investigator = person(&mut rng);
            tx.execute("UPDATE complaints SET investigator = ?2 WHERE id = ?1", params![id, investigator])?;
            let due = clocks::start(&tx, id, Clock::InvestigatorAnswer, at(60), 1, false)?;
            log(
                JournalKind::StepChange,
                60,
                wording::passed_to_investigator(&investigator, at(60), Some(due)),
                "",
                rng.pick::<&str>(staff),
                &mut step,
                Some(Step::WithInvestigator),
            )?;
            if age >= 86 {
                clocks::stop(&tx, id, &[Clock::InvestigatorAnswer], at(85), StopReason::Answered)?;
                log(
                    JournalKind::LetterIn,
                    85,
                    wording::investigator_answer_received(at(85), false, None),
                    "",
                    rng.pick::<&str>(staff),
                    &mut step,
                    None,
                )?;
            }
        }
        if age >= 101 {
            // The final decisions only: an expert or the appeals committee would lead to
            // steps (and letters) this fast path does not write.
            let decision = *rng.pick(&[
                Decision::Dismissed,
                Decision::Warning,
                Decision::Warning,
                Decision::Dismissed,
                Decision::Dismissed,
            ]);
            tx.execute(
                "UPDATE complaints SET decision = ?2, decision_reasons = ?3, decided_on = ?4 WHERE id = ?1",
                params![id, decision, "Motifs exposés au dossier.", at(100).to_string()],
            )?;
            // Generated history, as if from before the letters were checked: its letters are
            // not in the fixture's documents, and the file says so (`legacy_obligations`).
            tx.execute(
                "INSERT INTO decisions (complaint_id, seq, kind, decided_by, decided_on, reasons_complainant,
                                        reasons_firm, legacy, recorded_at, author)
                 VALUES (?1, 1, ?2, ?3, ?4, ?5, ?5, 1, ?6, 'Secrétariat')",
                params![
                    id,
                    decision,
                    Decider::of(manager),
                    at(100).to_string(),
                    "Motifs exposés au dossier.",
                    at(100).to_string()
                ],
            )?;
            tx.execute("UPDATE complaints SET legacy_obligations = 1 WHERE id = ?1", params![id])?;
            log(
                JournalKind::StepChange,
                100,
                wording::decided(at(100), decision, Decider::of(manager), "", &[], "", &[]),
                "Motifs exposés au dossier.",
                rng.pick::<&str>(staff),
                &mut step,
                Some(Step::Decided),
            )?;
            log(
                JournalKind::Note,
                102,
                "Note interne : projets de courriers relus.".into(),
                "",
                rng.pick::<&str>(staff),
                &mut step,
                None,
            )?;
        }
        if age >= 111 {
            tx.execute("UPDATE complaints SET closed_on = ?2 WHERE id = ?1", params![id, at(110).to_string()])?;
            clocks::stop_all(&tx, id, at(110))?;
            log(
                JournalKind::StepChange,
                110,
                wording::closed(at(110), &[]),
                "",
                rng.pick::<&str>(staff),
                &mut step,
                Some(Step::Closed),
            )?;
        }
        tx.execute("UPDATE complaints SET step = ?2 WHERE id = ?1", params![id, step])?;
        if i % 1000 == 0 {
            progress(i);
        }
    }
    crate::store::search::reindex_all(&tx)?;
    tx.commit()?;
    conn.execute_batch("ANALYZE; PRAGMA optimize;")?;
    Ok(Populated { firms, complaints, journal_entries: entries })
}

// ---- The demonstration register: every complaint taken through the real procedure ----

/// How much [`populate_by_workflow`] generates, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Volume {
    pub firms: usize,
    pub complaints: usize,
    /// The complaints are received over these years before « today »…
    pub years: i64,
    /// …of which these in the last four months (evenly, as a busy office receives them: the
    /// newest files at every step), the others evenly before.
    pub recent: usize,
    /// Of the complaints whose firm was informed 26 to 120 days ago, the share (in %) whose
    /// firm has not answered: their answer is overdue (0: every firm answers in time).
    pub lapsed_percent: usize,
}

/// The span of [`Volume::recent`], in days.
const RECENT_DAYS: i64 = 120;

/// Who acts in the demonstration's files (the demonstration adds the first two as staff).
const STAFF: &[&str] = &["Sophie Martin", "Luc Petit", "Secrétariat"];

/// « Clore le dossier » (the workflow's refactoring renames it `CloseFile`).
const CLOSE_FILE: crate::procedure::ActionKind = crate::procedure::ActionKind::CloseFile;

/// What a firm answers, as the journal sums it up.
const FIRM_ANSWERS: &[&str] = &[
    "Le cabinet reconnaît une erreur de quantités sur le lot gros œuvre et propose de reprendre le métré à ses frais.",
    "Le cabinet conteste les faits : l'estimation reposait sur le programme fourni par le maître d'ouvrage.",
    "Le qualifié explique la double facturation par une erreur de saisie et joint l'avoir émis depuis.",
    "Le cabinet indique avoir transmis les pièces du marché par courriel et joint les accusés de lecture.",
    "Réponse circonstanciée : le retard tient aux situations de l'entreprise ; le décompte a été transmis depuis.",
];
const CALLS: &[&str] = &[
    "Appel du plaignant, qui demande où en est son dossier : les prochaines étapes lui sont expliquées.",
    "Appel du plaignant : il signale un nouvel échange avec le cabinet et l'adressera par écrit.",
    "Appel du plaignant, inquiet du délai : le délai de réponse laissé au qualifié lui est rappelé.",
];
const DETAILS_RECEIVED: &str =
    "Courrier du plaignant détaillant ses démarches auprès du cabinet (relances, mise en demeure).";
const FIRST_ANALYSES: &[&str] = &[
    "Faits précis et datés, métré contesté joint : demander au qualifié ses explications.",
    "La mission relève de la qualification du cabinet ; recueillir sa version des faits.",
    "Écart important entre l'estimation et les offres reçues, pièces à l'appui : à instruire.",
    "Litige en partie contractuel ; le manquement allégué à la déontologie justifie d'interroger le qualifié.",
];
const INFORMED: &[&str] = &[
    "Entretien avec le gérant, qui prend connaissance de la réclamation et répondra par écrit.",
    "Le cabinet accuse réception de la réclamation et annonce une réponse détaillée.",
];
const INFORMATION_REQUESTS: &[&str] = &[
    "Copie du contrat de maîtrise d'œuvre et des factures contestées.",
    "Copie des échanges avec le cabinet depuis la réception des travaux.",
];
const INFORMATION_ANSWERS: &[&str] = &[
    "Le plaignant transmet le contrat et les deux factures.",
    "Le plaignant adresse ses échanges de courriels avec le cabinet.",
];
const NOTES: &[&str] = &[
    "Projets de courriers de décision relus par le Responsable.",
    "Dossier présenté en réunion d'équipe : pas d'observation.",
];
const EXPERT_MISSIONS: &[&str] = &[
    "Contre-métré du lot gros œuvre et avis sur l'écart constaté.",
    "Examen de l'estimation du coût des travaux au regard des offres reçues.",
];
const EXPERT_REPORTS: &[&str] = &[
    "L'expert confirme un écart de 25 % imputable au métré du cabinet.",
    "L'expert juge l'estimation cohérente avec les prix du marché à la date de la mission.",
];
const OVERRUN_REASONS: &[&str] = &[
    "L'avis technique demandé est nécessaire à la décision et n'est pas encore rendu.",
    "La commission de recours, saisie du dossier, ne peut se réunir avant l'échéance de six mois.",
];
const WAIVER: &str = "Le qualifié n'a répondu ni dans le délai d'un mois ni après la relance.";
/// The qualifications and certifications the demonstration's firms hold.
const QUALIFICATIONS: &[(&str, &str)] = &[
    ("2.1", "Économie de la construction"),
    ("3.2", "Ordonnancement, pilotage et coordination"),
    ("4.1", "Métrés et quantitatifs"),
];

/// The reasons of a decision, for the complainant and for the firm (`variant`: 0 or 1).
fn reasons(decision: Decision, variant: usize) -> (&'static str, &'static str) {
    let both: [(&str, &str); 2] = match decision {
        Decision::Dismissed => [
            (
                "Après examen de votre réclamation et de la réponse du qualifié, les manquements allégués ne sont pas établis.",
                "Les éléments du dossier n'établissent pas de manquement aux obligations attachées à votre qualification.",
            ),
            (
                "Le désaccord porte sur l'exécution du contrat, que la procédure ne tranche pas : aucun manquement du qualifié n'est établi.",
                "Le différend relève de l'exécution du contrat ; aucun manquement à vos obligations de qualifié n'est retenu.",
            ),
        ],
        Decision::Warning => [
            (
                "Les faits exposés sont établis en partie : un avertissement est adressé au qualifié.",
                "L'erreur reconnue dans le métré constitue un manquement aux règles de l'art attachées à votre qualification.",
            ),
            (
                "Le défaut de transmission des pièces du marché est établi : le qualifié reçoit un avertissement.",
                "Vous n'avez pas transmis les pièces du marché malgré plusieurs demandes : ce manquement justifie un avertissement.",
            ),
        ],
        Decision::Expert => [
            (
                "Les éléments techniques du dossier nécessitent l'avis d'un expert, qui sera désigné prochainement.",
                "Les éléments techniques du dossier nécessitent l'avis d'un expert indépendant, qui sera désigné prochainement.",
            ),
            (
                "Un contre-métré indépendant est nécessaire pour apprécier l'écart que vous signalez.",
                "Un contre-métré indépendant est nécessaire pour apprécier l'écart relevé par le plaignant.",
            ),
        ],
        Decision::AppealsCommittee => [
            (
                "La gravité des faits justifie la saisine de la commission de recours, qui statuera sur les qualifications du cabinet.",
                "Les manquements relevés justifient la saisine de la commission de recours, devant laquelle vous serez convoqué.",
            ),
            (
                "Les manquements répétés du qualifié sont soumis à la commission de recours.",
                "Vos manquements répétés sont soumis à la commission de recours, qui vous entendra.",
            ),
        ],
    };
    both[variant % 2]
}

/// The instructeur's answer for the decision he proposes.
fn investigator_answer(decision: Decision) -> &'static str {
    match decision {
        Decision::Dismissed => "Les faits ne sont pas établis : les écarts relèvent d'aléas de chantier.",
        Decision::Warning => "Après examen des pièces, l'instructeur confirme l'erreur de métré.",
        Decision::Expert => "Un avis technique indépendant est nécessaire pour conclure.",
        Decision::AppealsCommittee => "Les manquements sont graves et répétés.",
    }
}

/// Where a complaint's walk stops short of where its age would take it, so that the newest
/// files show every step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pin {
    None,
    At(Step),
    /// Informed, and its firm does not answer: its answer is overdue.
    Lapsed,
}

/// The steps the newest files are kept at, each with the least age (days since receipt) that
/// lets a file reach it with the longest delays of its path (a delay rolled to a working day
/// adds up to three days), in the order they are given out: each goes to the newest file old
/// enough that has none yet.
const PINS: &[(Pin, i64)] = &[
    (Pin::At(Step::Registered), 0),
    (Pin::At(Step::AwaitingDetails), 6),
    (Pin::At(Step::Complete), 6),
    (Pin::At(Step::Inadmissible), 13),
    (Pin::At(Step::InAnalysis), 14),
    (Pin::At(Step::FirmInformed), 22),
    (Pin::Lapsed, 66),
    (Pin::At(Step::WithInvestigator), 68),
    (Pin::At(Step::Decided), 74),
    (Pin::At(Step::AppealsCommittee), 93),
    (Pin::At(Step::Expertise), 95),
    (Pin::Lapsed, 100),
    (Pin::Lapsed, 110),
];

/// How the firm is told of the complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inform {
    Letter { registered: bool },
    Phone,
    Email,
}

/// The path a complaint takes, drawn at once.
#[derive(Debug, Clone, Copy)]
struct Plan {
    inadmissible: bool,
    details_answered: bool,
    first_analysis: bool,
    inform: Inform,
    lapses: bool,
    reminder: bool,
    /// The firm never answers: decided without waiting, after a reminder.
    no_answer: bool,
    call: bool,
    information: bool,
    investigator: bool,
    /// The first instructeur asked declares a conflict of interest.
    conflict: bool,
    by_investigator: bool,
    decision: Decision,
    after_expert: Decision,
    outcome: crate::procedure::CommitteeOutcome,
    registered: bool,
    ar_returned: bool,
    note: bool,
    pin: Pin,
}

impl Plan {
    fn draw(rng: &mut Rng, lapsed_percent: usize) -> Plan {
        use crate::procedure::CommitteeOutcome as O;
        use Decision as D;
        let mut chance = |percent| rng.chance(percent);
        let (inadmissible, details_answered, first_analysis) = (chance(3), chance(70), chance(60));
        let (lapses, reminder, no_answer, call) = (chance(lapsed_percent), chance(10), chance(4), chance(30));
        let (information, investigator, conflict, by_investigator) = (chance(15), chance(35), chance(8), chance(50));
        let (registered, ar_returned, note) = (chance(50), chance(60), chance(25));
        let inform = match rng.below(20) {
            0..=10 => Inform::Letter { registered: rng.chance(30) },
            11..=16 => Inform::Phone,
            _ => Inform::Email,
        };
        let decision = *rng.pick(&[
            D::Dismissed,
            D::Dismissed,
            D::Dismissed,
            D::Dismissed,
            D::Warning,
            D::Warning,
            D::Warning,
            D::Expert,
            D::AppealsCommittee,
        ]);
        let after_expert = *rng.pick(&[D::Dismissed, D::Warning, D::Warning, D::AppealsCommittee]);
        let outcome = *rng.pick(&[O::NoSanction, O::Suspension, O::Suspension, O::Withdrawal]);
        // A reminder follows an information letter: a firm informed by phone and reminded by
        // letter would be listed as still owed the information letter (`store::obligations`
        // takes the reminder's clock for the letter's).
        let by_letter = matches!(inform, Inform::Letter { .. });
        Plan {
            inadmissible,
            details_answered,
            first_analysis,
            inform,
            lapses: lapsed_percent > 0 && lapses,
            reminder: reminder && by_letter,
            no_answer: no_answer && by_letter,
            call,
            information,
            investigator,
            conflict,
            by_investigator,
            decision,
            after_expert,
            outcome,
            registered,
            ar_returned,
            note,
            pin: Pin::None,
        }
    }

    /// The plan of a pinned complaint: the shortest path to its step.
    fn pinned(self, pin: Pin) -> Plan {
        if pin == Pin::None {
            return self;
        }
        let final_decision = match self.decision {
            Decision::Dismissed | Decision::Warning => self.decision,
            _ => Decision::Warning,
        };
        Plan {
            pin,
            inadmissible: pin == Pin::At(Step::Inadmissible),
            details_answered: true,
            first_analysis: self.first_analysis && !matches!(pin, Pin::At(Step::InAnalysis | Step::FirmInformed)),
            lapses: pin == Pin::Lapsed,
            reminder: false,
            no_answer: false,
            call: false,
            information: false,
            investigator: pin == Pin::At(Step::WithInvestigator),
            conflict: false,
            decision: match pin {
                Pin::At(Step::Expertise) => Decision::Expert,
                Pin::At(Step::AppealsCommittee) => Decision::AppealsCommittee,
                _ => final_decision,
            },
            ar_returned: false,
            ..self
        }
    }
}

/// One thing done to a complaint, through the app's entry point for it.
#[derive(Debug, Clone)]
enum Op {
    /// `store::workflow::perform`.
    Act(crate::store::workflow::ActionForm),
    /// `store::letters::generate`, then `mark_sent` the same day (registered with its number).
    Send { kind: crate::letters::kinds::LetterKind, number: Option<String> },
    /// `store::letters::record_ar_returned` for the complaint's latest registered letter.
    ArReturned,
    /// `store::journal::add_manual`: a call (with its participants) or an internal note.
    Manual { kind: crate::store::journal::JournalKind, participants: &'static str, summary: &'static str },
    /// `store::declarations::record` for an instructeur or an expert of the register.
    Declare { intervenant: i64, conflict: bool },
    /// The committee's outcome (`perform`), for each qualification the firm holds that day.
    Committee { form: crate::store::workflow::ActionForm, outcome: crate::procedure::CommitteeOutcome },
}

/// An operation on its date, by a member of staff.
#[derive(Debug, Clone)]
struct Planned {
    on: NaiveDate,
    author: &'static str,
    op: Op,
}

/// Why planning a complaint's path stopped before the end of the procedure: the next step
/// falls after « today », or the file is pinned at this step.
struct Halt;

type Walked<T = ()> = std::result::Result<T, Halt>;

/// One complaint's path through the procedure, planned on dates that only move forward.
struct Walker<'a> {
    rng: Rng,
    /// Who handles the file.
    handler: &'static str,
    plan: Plan,
    manager: crate::procedure::Manager,
    /// The firm was qualified or certified on the date of receipt.
    in_scope: bool,
    /// The elements missing at receipt (codes).
    missing: Vec<String>,
    today: NaiveDate,
    /// The date of the latest step: the next one is on or after it.
    on: NaiveDate,
    overall_due: NaiveDate,
    /// The overrun's reason is recorded (once is enough).
    justified: bool,
    investigators: &'a [i64],
    experts: &'a [i64],
    ops: Vec<Planned>,
}

impl Walker<'_> {
    fn date(&self) -> String {
        self.on.format("%d/%m/%Y").to_string()
    }

    /// Who does it: the file's handler, sometimes a colleague.
    fn push(&mut self, op: Op) {
        let author = if self.rng.chance(75) { self.handler } else { *self.rng.pick(STAFF) };
        self.ops.push(Planned { on: self.on, author, op });
    }

    /// Moves on by `min` to `max` days, to a working day; stops past « today ». An overrun of
    /// the overall deadline met on the way is justified first, as the secretariat would on
    /// noticing it.
    fn wait(&mut self, min: i64, max: i64) -> Walked {
        use crate::letters::kinds::LetterKind as K;
        let days = min + self.rng.below((max - min + 1) as usize) as i64;
        let next = crate::deadlines::roll_to_working_day(self.on + chrono::Duration::days(days));
        if next > self.today {
            return Err(Halt);
        }
        self.on = next;
        if !self.justified && next > self.overall_due {
            self.justified = true;
            let mut f = self.form(crate::procedure::ActionKind::JustifyOverrun);
            f.text = (*self.rng.pick(OVERRUN_REASONS)).into();
            let expected = crate::deadlines::roll_to_working_day(next + chrono::Duration::days(45));
            f.expected = expected.format("%d/%m/%Y").to_string();
            self.push(Op::Act(f));
            self.send(K::OverrunComplainant, false);
            self.send(K::OverrunFirm, false);
        }
        Ok(())
    }

    /// Stops here when the file is pinned at `step`.
    fn reached(&self, step: Step) -> Walked {
        if self.plan.pin == Pin::At(step) {
            Err(Halt)
        } else {
            Ok(())
        }
    }

    fn form(&self, action: crate::procedure::ActionKind) -> crate::store::workflow::ActionForm {
        crate::store::workflow::ActionForm::of(action, &self.date())
    }

    fn act(&mut self, action: crate::procedure::ActionKind) {
        let f = self.form(action);
        self.push(Op::Act(f));
    }

    fn text(&mut self, action: crate::procedure::ActionKind, text: &str) {
        let mut f = self.form(action);
        f.text = text.into();
        self.push(Op::Act(f));
    }

    fn send(&mut self, kind: crate::letters::kinds::LetterKind, registered: bool) {
        let number = registered.then(|| {
            let r = &mut self.rng;
            format!("1A {:03} {:03} {:04} {}", r.below(1000), r.below(1000), r.below(10000), r.below(10))
        });
        self.push(Op::Send { kind, number });
    }

    fn decide(&mut self, decision: Decision, by: crate::procedure::Decider, waiver: bool) {
        let mut f = self.form(crate::procedure::ActionKind::Decide);
        let (complainant, firm) = reasons(decision, self.rng.below(2));
        f.choice = decision.code().into();
        f.by = by.code().into();
        f.text = complainant.into();
        f.firm_text = firm.into();
        if waiver {
            f.waiver = WAIVER.into();
        }
        self.push(Op::Act(f));
    }

    /// Both letters of a decision, the firm's registered when the plan says so (its AR card
    /// returned a few days later).
    fn announce(&mut self, letters: [crate::letters::kinds::LetterKind; 2]) -> Walked {
        self.send(letters[0], false);
        self.send(letters[1], self.plan.registered);
        if self.plan.registered && self.plan.ar_returned {
            self.wait(2, 5)?;
            self.push(Op::ArReturned);
        }
        Ok(())
    }

    /// Plans the complaint's path as far as its plan and « today » allow.
    fn walk(&mut self) -> Walked {
        use crate::letters::kinds::LetterKind as K;
        use crate::procedure::{ActionKind as A, Decider};
        use crate::store::journal::JournalKind;
        let plan = self.plan;
        self.reached(Step::Registered)?;
        if plan.inadmissible {
            self.wait(1, 3)?;
            self.send(K::Acknowledgement, false);
            self.wait(1, 4)?;
            let why = if self.in_scope {
                "La réclamation ne porte que sur un différend d'honoraires relevant du juge du contrat, hors du champ de la procédure."
            } else {
                "Hors du champ de la procédure : le cabinet n'était ni qualifié ni certifié à la date de réception de la réclamation."
            };
            self.text(A::DeclareInadmissible, why);
            self.reached(Step::Inadmissible)?;
            self.wait(0, 2)?;
            self.send(K::Inadmissible, false);
            self.wait(1, 5)?;
            self.act(CLOSE_FILE);
            return Ok(());
        }
        self.wait(1, 3)?;
        if self.missing.is_empty() {
            // Marking the acknowledgement sent acknowledges the complaint.
            self.send(K::Acknowledgement, false);
        } else {
            // Marking the request sent records it.
            self.send(K::RequestDetails, false);
            self.reached(Step::AwaitingDetails)?;
            if !plan.details_answered {
                // Past the date the request states (one month, rolled to a working day).
                self.wait(36, 45)?;
                // Marking the closing letter sent closes the file.
                self.send(K::LackOfDetailsClosure, false);
                return Ok(());
            }
            self.wait(8, 25)?;
            let mut f = self.form(A::RecordDetailsReceived);
            f.elements = self.missing.clone();
            f.text = DETAILS_RECEIVED.into();
            // The content of what was missing completes the complaint.
            if f.elements.iter().any(|e| e == "facts") {
                f.facts = DETAILS_RECEIVED.into();
            }
            if f.elements.iter().any(|e| e == "actions_taken") {
                f.actions_taken = DETAILS_RECEIVED.into();
            }
            self.push(Op::Act(f));
        }
        self.reached(Step::Complete)?;
        self.wait(1, 5)?;
        let mut f = self.form(A::Transmit);
        f.choice = self.manager.code().into();
        self.push(Op::Act(f));
        self.reached(Step::InAnalysis)?;
        if plan.first_analysis {
            self.wait(1, 6)?;
            let analysis = *self.rng.pick(FIRST_ANALYSES);
            self.text(A::RecordFirstAnalysis, analysis);
        }
        self.wait(1, 5)?;
        match plan.inform {
            Inform::Letter { registered } => self.send(K::FirmNotification, registered),
            means => {
                let mut f = self.form(A::InformFirm);
                f.choice = if means == Inform::Phone { "phone" } else { "email" }.into();
                f.text = (*self.rng.pick(INFORMED)).into();
                self.push(Op::Act(f));
            }
        }
        self.reached(Step::FirmInformed)?;
        let waited = (self.today - self.on).num_days();
        if plan.pin == Pin::Lapsed || (plan.lapses && (26..=120).contains(&waited)) {
            return Err(Halt);
        }
        if plan.reminder || plan.no_answer {
            // Past the answer date (one month, rolled to a working day): the firm is reminded.
            self.wait(36, 40)?;
            self.send(K::FirmReminder, false);
        }
        if !plan.no_answer {
            self.wait(5, 25)?;
            let answer = *self.rng.pick(FIRM_ANSWERS);
            self.text(A::RecordFirmAnswer, answer);
        }
        if plan.call {
            self.wait(1, 6)?;
            let summary = *self.rng.pick(CALLS);
            self.push(Op::Manual { kind: JournalKind::Call, participants: "Le plaignant ; le secrétariat", summary });
        }
        if plan.information {
            self.wait(1, 4)?;
            let asked = *self.rng.pick(INFORMATION_REQUESTS);
            self.text(A::RequestInformation, asked);
            self.wait(7, 20)?;
            let answer = *self.rng.pick(INFORMATION_ANSWERS);
            self.text(A::RecordComplainantAnswer, answer);
        }
        let mut by = Decider::of(self.manager);
        if plan.investigator {
            self.wait(1, 5)?;
            let first = self.rng.below(self.investigators.len());
            let mut chosen = self.investigators[first];
            if plan.conflict && self.investigators.len() > 1 {
                self.push(Op::Declare { intervenant: chosen, conflict: true });
                chosen = self.investigators[(first + 1) % self.investigators.len()];
            }
            self.push(Op::Declare { intervenant: chosen, conflict: false });
            let mut f = self.form(A::PassToInvestigator);
            f.intervenant = chosen.to_string();
            self.push(Op::Act(f));
            self.send(K::InvestigatorTransmission, false);
            self.reached(Step::WithInvestigator)?;
            self.wait(15, 35)?;
            let mut f = self.form(A::RecordInvestigatorAnswer);
            f.text = investigator_answer(plan.decision).into();
            f.choice = plan.decision.code().into();
            self.push(Op::Act(f));
            if plan.by_investigator {
                by = Decider::Investigator;
            }
        }
        self.wait(3, 12)?;
        let mut decision = plan.decision;
        self.decide(decision, by, plan.no_answer);
        loop {
            match decision {
                Decision::Expert => {
                    self.wait(1, 3)?;
                    self.announce(K::for_decision(decision))?;
                    self.wait(2, 7)?;
                    let expert = self.experts[self.rng.below(self.experts.len())];
                    self.push(Op::Declare { intervenant: expert, conflict: false });
                    let mut f = self.form(A::AppointExpert);
                    f.intervenant = expert.to_string();
                    f.text = (*self.rng.pick(EXPERT_MISSIONS)).into();
                    self.push(Op::Act(f));
                    self.wait(0, 2)?;
                    for kind in [K::ExpertMission, K::ExpertInformationComplainant, K::ExpertInformationFirm] {
                        self.send(kind, false);
                    }
                    self.reached(Step::Expertise)?;
                    self.wait(25, 45)?;
                    let report = *self.rng.pick(EXPERT_REPORTS);
                    self.text(A::RecordExpertReport, report);
                    self.wait(3, 10)?;
                    decision = plan.after_expert;
                    self.decide(decision, Decider::of(self.manager), false);
                }
                Decision::AppealsCommittee => {
                    self.wait(1, 3)?;
                    self.announce(K::for_decision(decision))?;
                    self.wait(3, 10)?;
                    let later = chrono::Duration::days(21 + self.rng.below(15) as i64);
                    let hearing = crate::deadlines::roll_to_working_day(self.on + later);
                    let mut f = self.form(A::ScheduleHearing);
                    f.hearing = hearing.format("%d/%m/%Y").to_string();
                    self.push(Op::Act(f));
                    self.send(K::CommitteeConvocation, true);
                    self.reached(Step::AppealsCommittee)?;
                    let days = (hearing - self.on).num_days();
                    self.wait(days, days)?;
                    let mut form = self.form(A::RecordCommitteeOutcome);
                    form.text = COMMITTEE_REASONS.0.into();
                    form.firm_text = COMMITTEE_REASONS.1.into();
                    self.push(Op::Committee { form, outcome: plan.outcome });
                    self.reached(Step::Decided)?;
                    self.wait(2, 6)?;
                    self.announce([K::CommitteeOutcomeComplainant, K::CommitteeOutcomeFirm])?;
                    break;
                }
                Decision::Dismissed | Decision::Warning => {
                    self.reached(Step::Decided)?;
                    if plan.note {
                        self.wait(0, 2)?;
                        let summary = *self.rng.pick(NOTES);
                        self.push(Op::Manual { kind: JournalKind::Note, participants: "", summary });
                    }
                    self.wait(1, 4)?;
                    self.announce(K::for_decision(decision))?;
                    break;
                }
            }
        }
        self.wait(0, 4)?;
        self.act(CLOSE_FILE);
        Ok(())
    }
}

const COMMITTEE_REASONS: (&str, &str) = (
    "La commission de recours a entendu le qualifié et statué sur chacune de ses qualifications.",
    "Après vous avoir entendu, la commission de recours a statué sur chacune de vos qualifications.",
);

/// A registered complaint, as its operations need it.
struct Filed {
    id: i64,
    firm_id: i64,
    /// Its latest letter sent registered.
    registered: Option<i64>,
}

/// Carries out one planned operation through the app's entry point.
fn execute(
    conn: &mut rusqlite::Connection,
    documents: &std::path::Path,
    fonts: &crate::letters::pdf::Fonts,
    file: &mut Filed,
    p: &Planned,
) -> crate::Result<()> {
    use crate::store::letters::{generate, mark_sent, record_ar_returned, SentForm};
    let (on, author) = (p.on, p.author);
    let date = on.format("%d/%m/%Y").to_string();
    match &p.op {
        Op::Act(form) => {
            crate::store::workflow::perform(conn, file.id, author, form, on)?;
        }
        Op::Send { kind, number } => {
            let g = generate(conn, documents, fonts, file.id, *kind, number.as_deref(), on, author)?;
            let sent = SentForm {
                date,
                mode: if number.is_some() { "registered" } else { "simple" }.into(),
                registered_number: number.clone().unwrap_or_default(),
            };
            mark_sent(conn, g.document_id, &sent, on, author)?;
            if number.is_some() {
                file.registered = Some(g.document_id);
            }
        }
        Op::ArReturned => {
            if let Some(document) = file.registered {
                record_ar_returned(conn, document, &date, on, author)?;
            }
        }
        Op::Manual { kind, participants, summary } => {
            let form = crate::store::journal::ManualEntryForm {
                kind: kind.code().into(),
                date,
                participants: (*participants).into(),
                summary: (*summary).into(),
                corrects_seq: None,
            };
            crate::store::journal::add_manual(conn, file.id, author, &form, on)?;
        }
        Op::Declare { intervenant, conflict } => {
            let form = crate::store::declarations::DeclarationForm {
                intervenant_id: Some(*intervenant),
                date,
                conflict: *conflict,
                comment: if *conflict {
                    "A conseillé le plaignant sur un autre chantier.".into()
                } else {
                    String::new()
                },
                ..Default::default()
            };
            crate::store::declarations::record(conn, file.id, &form, on, author)?;
        }
        Op::Committee { form, outcome } => {
            use crate::procedure::CommitteeOutcome as O;
            let fr = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
            let effective = on + chrono::Duration::days(15);
            let mut form = form.clone();
            for (n, q) in crate::store::firms::qualifications(conn, file.firm_id)?.into_iter().enumerate() {
                let (decided, from, until) = match (outcome, n) {
                    (O::Suspension, 0) => ("suspended", fr(effective), fr(effective + chrono::Months::new(6))),
                    (O::Withdrawal, 0) => ("withdrawn", fr(effective), String::new()),
                    _ => ("maintained", String::new(), String::new()),
                };
                form.outcomes.push(crate::store::workflow::OutcomeForm {
                    qualification_id: q.id,
                    outcome: decided.into(),
                    from,
                    until,
                });
            }
            crate::store::workflow::perform(conn, file.id, author, &form, on)?;
        }
    }
    Ok(())
}

/// Fills a database the way the secretariat would have over the `volume.years` years before
/// `today`: `volume.firms` firms with their dated qualifications, a few instructeurs and
/// experts, and `volume.complaints` complaints, each registered and taken through the procedure
/// by the app's own entry points (`store::complaints::register`, `store::workflow::perform`,
/// letters generated into `documents` and marked sent, declarations of interests, calls and
/// notes typed in the journal), each on its own date, as far as its age allows: every clock,
/// decision, obligation, letter and journal sentence is the app's own. All the files' steps
/// are taken in date order, as they would have been, so that the register's digest printed on
/// each letter is the one of its day. The older files are closed; the newest are kept at every
/// step (see [`PINS`]), and some firms do not answer (`volume.lapsed_percent`). The same seed
/// gives the same register.
pub fn populate_by_workflow(
    conn: &mut rusqlite::Connection,
    documents: &std::path::Path,
    fonts: &crate::letters::pdf::Fonts,
    volume: Volume,
    today: NaiveDate,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> crate::Result<Populated> {
    use crate::store::{complaints, firms, intervenants, settings};
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let Volume { firms: firm_count, complaints: complaint_count, years, recent, lapsed_percent } = volume;
    if firm_count == 0 {
        return Err(crate::Error::refused("Il faut au moins un qualifié."));
    }
    let mut rng = Rng::new(seed);
    let first = today - chrono::Duration::days((years.max(1) * 365).max(RECENT_DAYS + 1));
    // The register: firms with their dated qualifications (those neither qualified nor
    // certified have none: their complaints are out of the procedure's scope).
    let since = (first - chrono::Duration::days(3 * 365)).format("%d/%m/%Y").to_string();
    let (mut firm_ids, mut qualified) = (Vec::with_capacity(firm_count), Vec::new());
    for n in 0..firm_count {
        let form = firm(&mut rng, n);
        let id = firms::save(conn, None, &form, "Démonstration")?;
        let held = 1 + rng.below(2);
        let start = rng.below(QUALIFICATIONS.len());
        let add = |kind: &str, reference: &str, label: &str| {
            let q = firms::Qualification {
                kind: kind.into(),
                reference: reference.into(),
                label: label.into(),
                is_rge: form.is_rge,
                valid_from: since.clone(),
                ..firms::Qualification::default()
            };
            firms::add_qualification(conn, id, &q, "Démonstration").map(|_| ())
        };
        if form.is_qualified {
            for k in 0..held {
                let (reference, label) = QUALIFICATIONS[(start + k) % QUALIFICATIONS.len()];
                add("qualification", reference, label)?;
            }
        }
        if form.is_certified {
            add("certification", "C.1", "Certification de services de l'économiste")?;
        }
        if form.is_qualified || form.is_certified {
            qualified.push(id);
        }
        firm_ids.push(id);
    }
    if qualified.is_empty() {
        qualified = firm_ids.clone();
    }
    // The instructeurs and experts of the register.
    let mut people = |kind: &str, count: usize, speciality: &str| -> crate::Result<Vec<i64>> {
        (0..count)
            .map(|_| {
                let (postcode, city) = *rng.pick(CITIES);
                let name = person(&mut rng);
                let form = intervenants::IntervenantForm {
                    kind: kind.into(),
                    civility: civility_of(&name).code().into(),
                    name,
                    address_lines: format!("{} {}", 1 + rng.below(90), rng.pick(STREETS)),
                    postcode: postcode.into(),
                    city: city.into(),
                    speciality: speciality.into(),
                    ..Default::default()
                };
                intervenants::save(conn, None, &form)
            })
            .collect()
    };
    let investigators = people("investigator", 4, "Économiste de la construction")?;
    let experts = people("expert", 3, "Expert judiciaire en économie de la construction")?;
    let overall_months = settings::deadlines(conn)?.overall_months;
    let recent = recent.min(complaint_count);
    let older = complaint_count - recent;
    let split = today - chrono::Duration::days(RECENT_DAYS);
    let evenly = |from: NaiveDate, to: NaiveDate, n: usize, i: usize| {
        from + chrono::Duration::days(i as i64 * (to - from).num_days() / n.max(1) as i64)
    };
    let received: Vec<NaiveDate> = (0..complaint_count)
        .map(|i| if i < older { evenly(first, split, older, i) } else { evenly(split, today, recent, i - older) })
        .collect();
    // The pins, newest file first.
    let mut pins = vec![Pin::None; complaint_count];
    let mut next = PINS.iter().peekable();
    for i in (0..complaint_count).rev() {
        if let Some((pin, age)) = next.peek() {
            if (today - received[i]).num_days() >= *age {
                pins[i] = *pin;
                next.next();
            }
        }
    }
    // Each file's planned operations, carried out in date order across the register.
    let mut files: Vec<Filed> = Vec::with_capacity(complaint_count);
    let mut planned: Vec<Vec<Planned>> = Vec::with_capacity(complaint_count);
    let mut queue: BinaryHeap<Reverse<(NaiveDate, usize, usize)>> = BinaryHeap::new();
    let run_until = |conn: &mut rusqlite::Connection,
                     queue: &mut BinaryHeap<Reverse<(NaiveDate, usize, usize)>>,
                     files: &mut Vec<Filed>,
                     planned: &Vec<Vec<Planned>>,
                     until: Option<NaiveDate>|
     -> crate::Result<()> {
        while let Some(Reverse((on, file, n))) = queue.peek().copied() {
            if until.is_some_and(|u| on > u) {
                break;
            }
            queue.pop();
            execute(conn, documents, fonts, &mut files[file], &planned[file][n])?;
        }
        Ok(())
    };
    for i in 0..complaint_count {
        let registered_on = crate::deadlines::roll_to_working_day(received[i]).min(today);
        run_until(conn, &mut queue, &mut files, &planned, Some(registered_on))?;
        // Each complaint draws from its own generator: where another one stopped does not
        // change it.
        let mut own = Rng::new(seed ^ (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let pin = pins[i];
        let plan = Plan::draw(&mut own, lapsed_percent).pinned(pin);
        let mut firm_id = *own.pick(if pin == Pin::None { &firm_ids } else { &qualified });
        if pin != Pin::None {
            // A pinned file goes to a firm within the procedure's scope on that day.
            let start = own.below(qualified.len());
            for k in 0..qualified.len() {
                firm_id = qualified[(start + k) % qualified.len()];
                if firms::scope_on(conn, firm_id, received[i])?.in_scope {
                    break;
                }
            }
        }
        let mut form = complaint(&mut own, firm_id, received[i]);
        match pin {
            Pin::None => {}
            Pin::At(Step::AwaitingDetails) => {
                form.actions_taken.clear();
                form.checklist.actions_taken = false;
            }
            _ if !form.checklist.actions_taken => {
                form.actions_taken = ACTIONS[0].into();
                form.checklist.actions_taken = true;
            }
            _ => {}
        }
        let author = *own.pick(STAFF);
        let id = complaints::register(conn, &form, registered_on, author)?.id;
        let scope = firms::scope_on(conn, firm_id, received[i])?;
        let mut plan = Plan { inadmissible: plan.inadmissible || !scope.in_scope, ..plan };
        // The committee rules on qualifications: a firm without any is warned instead.
        if firms::qualifications(conn, firm_id)?.is_empty() {
            for d in [&mut plan.decision, &mut plan.after_expert] {
                if *d == Decision::AppealsCommittee {
                    *d = Decision::Warning;
                }
            }
        }
        let mut walker = Walker {
            handler: own.pick::<&str>(STAFF),
            rng: own,
            plan,
            manager: crate::procedure::Manager::from_code(scope.proposed_manager)
                .unwrap_or(crate::procedure::Manager::Qualification),
            in_scope: scope.in_scope,
            missing: form.checklist.missing_options().into_iter().map(|(code, _)| code).collect(),
            today,
            on: registered_on,
            overall_due: crate::deadlines::deadline(received[i], overall_months).due,
            justified: false,
            investigators: &investigators,
            experts: &experts,
            ops: Vec::new(),
        };
        // Stopped by « today » or a pin: the file stays where it got to.
        let _ = walker.walk();
        for (n, p) in walker.ops.iter().enumerate() {
            queue.push(Reverse((p.on, i, n)));
        }
        files.push(Filed { id, firm_id, registered: None });
        planned.push(walker.ops);
        progress(i);
    }
    run_until(conn, &mut queue, &mut files, &planned, None)?;
    let entries: i64 = conn.query_row("SELECT count(*) FROM journal", [], |r| r.get(0))?;
    conn.execute_batch("ANALYZE; PRAGMA optimize;")?;
    Ok(Populated { firms: firm_count, complaints: complaint_count, journal_entries: entries as usize })
}
