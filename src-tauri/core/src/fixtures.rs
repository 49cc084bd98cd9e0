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
        name,
        siret: siret_for(n as u64),
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
    ComplaintForm {
        received_on: received.format("%d/%m/%Y").to_string(),
        channel: channel.code().into(),
        registered_number: if channel == Channel::RegisteredLetter {
            format!("1A {:03} {:03} {:04} {}", rng.below(1000), rng.below(1000), rng.below(10000), rng.below(10))
        } else {
            String::new()
        },
        email_subject: if channel == Channel::Email {
            "Réclamation contre un économiste".into()
        } else {
            String::new()
        },
        addressed_to: rng
            .pick(&[Addressee::GeneralDelegate, Addressee::President, Addressee::Secretariat])
            .code()
            .into(),
        complainant: ComplainantForm {
            role: rng
                .pick(&[ComplainantRole::Client, ComplainantRole::Client, ComplainantRole::ThirdParty])
                .code()
                .into(),
            civility: rng
                .pick(&[Some(Civility::Madame), Some(Civility::Monsieur), None])
                .map_or("", Civility::code)
                .into(),
            name: person(rng),
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
/// closed, recent ones at every step with their clocks running): about ten journal entries
/// each, hash-chained like the app's. One transaction; the search index is rebuilt at the end.
pub fn populate(
    conn: &mut rusqlite::Connection,
    firms: usize,
    complaints: usize,
    today: NaiveDate,
    seed: u64,
    progress: impl FnMut(usize),
) -> crate::Result<Populated> {
    populate_with(conn, Volume { firms, complaints, years: 20, lapsed_percent: 0 }, today, seed, progress)
}

/// How much [`populate_with`] generates, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Volume {
    pub firms: usize,
    pub complaints: usize,
    /// The complaints are received evenly over these years before « today ».
    pub years: i64,
    /// Of the complaints whose firm was informed 26 to 120 days ago, the share (in %) whose
    /// firm has not answered: their answer is overdue (0: every firm answers in time).
    pub lapsed_percent: usize,
}

/// As [`populate`], with the volume, span and overdue answers of `volume` (the demonstration
/// register: a few years, some answers overdue).
pub fn populate_with(
    conn: &mut rusqlite::Connection,
    volume: Volume,
    today: NaiveDate,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> crate::Result<Populated> {
    let Volume { firms, complaints, years, lapsed_percent } = volume;
    use crate::french::format_fr;
    use crate::store::clocks::{self, Clock};
    use crate::store::journal::{append_unindexed, JournalKind, NewEntry};
    use rusqlite::params;

    let mut rng = Rng::new(seed);
    let tx = conn.transaction()?;
    let mut firm_ids = Vec::with_capacity(firms);
    for n in 0..firms {
        let f = crate::validate::validate_firm(&firm(&mut rng, n), "firm")?;
        firm_ids.push(crate::store::firms::insert(&tx, &f, "firm")?);
    }
    let first = today - chrono::Duration::days(years.max(1) * 365);
    let span = (today - first).num_days().max(1);
    let staff: &[&str] = &["Sophie Martin", "Luc Petit", "Secrétariat"];
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
        let mut log = |kind: JournalKind,
                       day: i64,
                       summary: String,
                       details: &str,
                       rng: &mut Rng,
                       moves: Option<(Step, Step)>|
         -> crate::Result<()> {
            append_unindexed(
                &tx,
                id,
                &NewEntry {
                    details,
                    step_from: moves.map(|m| m.0),
                    step_to: moves.map(|m| m.1),
                    ..NewEntry::simple(kind, at(day), rng.pick::<&str>(staff), &summary)
                },
            )?;
            entries += 1;
            Ok(())
        };
        if age >= 3 {
            log(
                JournalKind::StepChange,
                2,
                format!("Accusé de réception adressé au plaignant le {}.", format_fr(at(2))),
                "",
                &mut rng,
                Some((Step::Registered, Step::Complete)),
            )?;
            step = Step::Complete;
        }
        if age >= 6 {
            log(
                JournalKind::StepChange,
                5,
                format!("Transmise au Responsable des Qualifications le {}.", format_fr(at(5))),
                "",
                &mut rng,
                None,
            )?;
            step = Step::InAnalysis;
        }
        if age >= 21 {
            clocks::start(&tx, id, Clock::FirmAnswer, at(20), 1, false)?;
            log(
                JournalKind::StepChange,
                20,
                format!("Qualifié informé par courrier le {}.", format_fr(at(20))),
                "",
                &mut rng,
                None,
            )?;
            step = Step::FirmInformed;
        }
        // No draw when nothing lapses: `populate` gives the same data as before this option.
        let lapsed = lapsed_percent > 0 && (46..=140).contains(&age) && rng.chance(lapsed_percent);
        'answered: {
            if lapsed {
                break 'answered;
            }
            if age >= 46 {
                clocks::stop(&tx, id, &[Clock::FirmAnswer], at(45), clocks::StopReason::Answered)?;
                log(
                    JournalKind::LetterIn,
                    45,
                    format!("Réponse du qualifié reçue le {}.", format_fr(at(45))),
                    rng.pick::<&str>(ACTIONS),
                    &mut rng,
                    None,
                )?;
            }
            if age >= 51 {
                log(
                    JournalKind::Call,
                    50,
                    "Appel du plaignant : point sur l'avancement.".into(),
                    rng.pick::<&str>(FACTS),
                    &mut rng,
                    None,
                )?;
            }
            if age >= 61 && rng.chance(50) {
                tx.execute("UPDATE complaints SET investigator = ?2 WHERE id = ?1", params![id, person(&mut rng)])?;
                clocks::start(&tx, id, Clock::InvestigatorAnswer, at(60), 1, false)?;
                log(
                    JournalKind::StepChange,
                    60,
                    format!("Dossier transmis à un instructeur le {}.", format_fr(at(60))),
                    "",
                    &mut rng,
                    None,
                )?;
                step = Step::WithInvestigator;
                if age >= 86 {
                    clocks::stop(&tx, id, &[Clock::InvestigatorAnswer], at(85), clocks::StopReason::Answered)?;
                    log(
                        JournalKind::LetterIn,
                        85,
                        format!("Réponse de l'instructeur reçue le {}.", format_fr(at(85))),
                        "",
                        &mut rng,
                        None,
                    )?;
                }
            }
            if age >= 101 {
                let decision = *rng.pick(&[
                    Decision::Dismissed,
                    Decision::Warning,
                    Decision::Warning,
                    Decision::Dismissed,
                    Decision::AppealsCommittee,
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
                 VALUES (?1, 1, ?2, 'qualification_manager', ?3, ?4, ?4, 1, ?5, 'Secrétariat')",
                    params![id, decision, at(100).to_string(), "Motifs exposés au dossier.", at(100).to_string()],
                )?;
                tx.execute("UPDATE complaints SET legacy_obligations = 1 WHERE id = ?1", params![id])?;
                log(
                    JournalKind::StepChange,
                    100,
                    format!("Décision du {} : {}.", format_fr(at(100)), decision.code()),
                    "",
                    &mut rng,
                    None,
                )?;
                step = Step::Decided;
                log(JournalKind::Note, 102, "Note interne : projets de courriers relus.".into(), "", &mut rng, None)?;
            }
            if age >= 111 {
                tx.execute("UPDATE complaints SET closed_on = ?2 WHERE id = ?1", params![id, at(110).to_string()])?;
                clocks::stop_all(&tx, id, at(110))?;
                log(
                    JournalKind::StepChange,
                    110,
                    format!("Dossier clos le {}.", format_fr(at(110))),
                    "",
                    &mut rng,
                    None,
                )?;
                step = Step::Closed;
            }
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
