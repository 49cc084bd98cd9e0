//! Statistics for the annual management review: what was received, decided and how fast, over
//! any date range, as a table (CSV) or the annual report on the letterhead (PDF). Purged
//! complaints still count, from their anonymous trace.

use crate::deadlines;
use crate::error::{Error, Result};
use crate::french::{format_fr, format_fr_long};
use crate::letters::pdf::LetterDoc;
use crate::letters::typography;
use crate::model::{Addressee, Channel, ComplainantRole, Nature};
use crate::procedure::{CommitteeOutcome, Decision};
use crate::store::letters::letterhead;
use crate::store::settings;
use crate::validate::{invalid_date_of, parse_date};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Count {
    pub code: String,
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// « 2025 », « 2026 (au 28/11) », « du 01/02/2026 au 28/02/2026 ».
    pub label: String,
    pub from: String,
    pub to: String,
    /// Complaints received in the range (purged ones included).
    pub received: i64,
    pub received_purged: i64,
    pub by_nature: Vec<Count>,
    pub by_channel: Vec<Count>,
    pub by_addressee: Vec<Count>,
    pub by_role: Vec<Count>,
    /// Complaints closed in the range, by their decision and committee outcome.
    pub closed: i64,
    pub by_decision: Vec<Count>,
    pub by_committee_outcome: Vec<Count>,
    /// Days from receipt to closure, for complaints closed in the range.
    pub handling_median_days: Option<f64>,
    pub handling_mean_days: Option<f64>,
    pub handling_p90_days: Option<i64>,
    /// Complaints closed in the range that closed within the overall deadline, and their share.
    pub closed_within_deadline: i64,
    pub closed_within_deadline_pct: Option<f64>,
    /// Complaints whose overall deadline fell in the range and which were not closed by then.
    pub overruns: i64,
    pub overruns_justified: i64,
    /// Acknowledgement sent within `ar_days` of receipt, for complaints received in the range.
    pub ar_days: i64,
    pub ar_within_pct: Option<f64>,
    pub top_firms: Vec<Count>,
    /// Received by the end of the range and not closed by then.
    pub open_at_end: i64,
}

/// One complaint's facts, from the register or from a purge trace.
struct Row {
    firm: String,
    received: NaiveDate,
    closed: Option<NaiveDate>,
    channel: String,
    addressee: String,
    role: String,
    natures: [bool; 3],
    decision: String,
    outcome: String,
    justified: bool,
    ar: Option<NaiveDate>,
    purged: bool,
}

fn rows(conn: &Connection, to: NaiveDate) -> Result<Vec<Row>> {
    // The register and the purge traces, as the same columns (a trace has no AR date).
    let queries = [
        (
            false,
            "SELECT f.name, c.received_on, c.closed_on, c.channel, c.addressed_to, p.role, c.nature_services,
                    c.nature_ethics, c.nature_mark_use, c.decision, c.committee_outcome,
                    EXISTS (SELECT 1 FROM deadlines d WHERE d.complaint_id = c.id AND d.clock = 'overall'
                            AND d.justified_on IS NOT NULL),
                    (SELECT min(j.occurred_on) FROM journal j WHERE j.complaint_id = c.id AND j.step_from = 'registered')
             FROM complaints c JOIN complainants p ON p.id = c.complainant_id JOIN firms f ON f.id = c.firm_id
             WHERE c.received_on <= ?1",
        ),
        (
            true,
            "SELECT coalesce(f.name, ''), t.received_on, t.closed_on, t.channel, t.addressed_to, t.complainant_role,
                    t.nature_services, t.nature_ethics, t.nature_mark_use, t.decision, t.committee_outcome,
                    t.overrun_justified, NULL
             FROM purged_complaints t LEFT JOIN firms f ON f.id = t.firm_id WHERE t.received_on <= ?1",
        ),
    ];
    let mut out = Vec::new();
    for (purged, sql) in queries {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut q = stmt.query(params![to.to_string()])?;
        while let Some(r) = q.next()? {
            let Some(received) = parse_date(&r.get::<_, String>(1)?) else { continue };
            out.push(Row {
                firm: r.get(0)?,
                received,
                closed: r.get::<_, Option<String>>(2)?.as_deref().and_then(parse_date),
                channel: r.get(3)?,
                addressee: r.get(4)?,
                role: r.get(5)?,
                natures: [r.get(6)?, r.get(7)?, r.get(8)?],
                decision: r.get(9)?,
                outcome: r.get(10)?,
                justified: r.get(11)?,
                ar: r.get::<_, Option<String>>(12)?.as_deref().and_then(parse_date),
                purged,
            });
        }
    }
    Ok(out)
}

fn tally<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    count: impl Fn(&str) -> i64,
) -> Vec<Count> {
    all.iter().map(|v| Count { code: code(*v).into(), label: label(*v).into(), count: count(code(*v)) }).collect()
}

fn pct(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// Statistics over `from..=to`; `ar_days`: the acknowledgement target in days.
pub fn statistics(conn: &Connection, from: NaiveDate, to: NaiveDate, ar_days: i64) -> Result<Stats> {
    let overall_months = crate::store::settings::deadlines(conn)?.overall_months;
    Ok(figures(&rows(conn, to)?, Period { from, to }, ar_days, overall_months))
}

/// The statistics of `period` from rows read up to its end or later (a row received after it
/// counts nowhere).
fn figures(all: &[Row], period: Period, ar_days: i64, overall_months: u32) -> Stats {
    let Period { from, to } = period;
    let in_range = |d: NaiveDate| d >= from && d <= to;
    let received: Vec<&Row> = all.iter().filter(|r| in_range(r.received)).collect();
    let closed: Vec<&Row> = all.iter().filter(|r| r.closed.is_some_and(in_range)).collect();

    let mut days: Vec<i64> = closed.iter().filter_map(|r| r.closed.map(|c| (c - r.received).num_days())).collect();
    days.sort_unstable();
    let n = days.len();
    let median = match n {
        0 => None,
        _ if n % 2 == 1 => Some(days[n / 2] as f64),
        _ => Some((days[n / 2 - 1] + days[n / 2]) as f64 / 2.0),
    };
    let mean = (n > 0).then(|| (days.iter().sum::<i64>() as f64 / n as f64 * 10.0).round() / 10.0);
    // Nearest rank: the smallest value with at least 90 % of the values at or below it.
    let p90 = (n > 0).then(|| days[(n * 9).div_ceil(10).max(1) - 1]);
    let due = |r: &Row| deadlines::deadline(r.received, overall_months).due;
    let within = closed.iter().filter(|r| r.closed.is_some_and(|c| c <= due(r))).count();
    let overrun: Vec<&Row> = all.iter().filter(|r| in_range(due(r)) && r.closed.is_none_or(|c| c > due(r))).collect();
    let live: Vec<&&Row> = received.iter().filter(|r| !r.purged).collect();
    let ar_ok = live.iter().filter(|r| r.ar.is_some_and(|a| (a - r.received).num_days() <= ar_days)).count();

    let mut firms: Vec<(String, i64)> = Vec::new();
    for r in &received {
        match firms.iter_mut().find(|(name, _)| *name == r.firm) {
            Some(entry) => entry.1 += 1,
            None => firms.push((r.firm.clone(), 1)),
        }
    }
    firms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    firms.truncate(10);

    let count_received = |f: &dyn Fn(&Row) -> bool| received.iter().filter(|r| f(r)).count() as i64;
    Stats {
        label: period_label(from, to),
        from: from.to_string(),
        to: to.to_string(),
        received: received.len() as i64,
        received_purged: received.iter().filter(|r| r.purged).count() as i64,
        by_nature: Nature::ALL
            .iter()
            .enumerate()
            .map(|(i, n)| Count {
                code: n.code().into(),
                label: n.label().into(),
                count: count_received(&|r| r.natures[i]),
            })
            .collect(),
        by_channel: tally(Channel::ALL, Channel::code, Channel::label, |c| count_received(&|r| r.channel == c)),
        by_addressee: tally(Addressee::ALL, Addressee::code, Addressee::label, |c| {
            count_received(&|r| r.addressee == c)
        }),
        by_role: tally(ComplainantRole::ALL, ComplainantRole::code, ComplainantRole::label, |c| {
            count_received(&|r| r.role == c)
        }),
        closed: closed.len() as i64,
        by_decision: tally(Decision::ALL, Decision::code, Decision::label, |c| {
            closed.iter().filter(|r| r.decision == c).count() as i64
        }),
        by_committee_outcome: tally(CommitteeOutcome::ALL, CommitteeOutcome::code, CommitteeOutcome::label, |c| {
            closed.iter().filter(|r| r.outcome == c).count() as i64
        }),
        handling_median_days: median,
        handling_mean_days: mean,
        handling_p90_days: p90,
        closed_within_deadline: within as i64,
        closed_within_deadline_pct: pct(within, closed.len()),
        overruns: overrun.len() as i64,
        overruns_justified: overrun.iter().filter(|r| r.justified).count() as i64,
        ar_days,
        ar_within_pct: pct(ar_ok, live.len()),
        top_firms: firms.into_iter().map(|(name, count)| Count { code: String::new(), label: name, count }).collect(),
        open_at_end: all.iter().filter(|r| r.received <= to && r.closed.is_none_or(|c| c > to)).count() as i64,
    }
}

/// The figures the annual review compares from one period to another: what was received, how
/// much was closed and how much of it within the overall deadline, by nature and by decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// « 2025 », « 2026 (au 28/11) » for a year cut by the period's end, else « du … au … ».
    pub label: String,
    pub from: String,
    pub to: String,
    pub received: i64,
    pub closed: i64,
    pub closed_within_deadline: i64,
    pub closed_within_deadline_pct: Option<f64>,
    /// Complaints received, by nature (a complaint may have several).
    pub by_nature: Vec<Count>,
    /// Complaints closed, by decision.
    pub by_decision: Vec<Count>,
}

impl Summary {
    fn empty(from: NaiveDate, to: NaiveDate) -> Summary {
        let zero = |code: &str, label: &str| Count { code: code.into(), label: label.into(), count: 0 };
        Summary {
            label: period_label(from, to),
            from: from.to_string(),
            to: to.to_string(),
            received: 0,
            closed: 0,
            closed_within_deadline: 0,
            closed_within_deadline_pct: None,
            by_nature: Nature::ALL.iter().map(|n| zero(n.code(), n.label())).collect(),
            by_decision: Decision::ALL.iter().map(|d| zero(d.code(), d.label())).collect(),
        }
    }
}

impl Stats {
    /// The figures of this period that the annual review compares.
    pub fn summary(&self) -> Summary {
        Summary {
            label: self.label.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            received: self.received,
            closed: self.closed,
            closed_within_deadline: self.closed_within_deadline,
            closed_within_deadline_pct: self.closed_within_deadline_pct,
            by_nature: self.by_nature.clone(),
            by_decision: self.by_decision.clone(),
        }
    }
}

/// « 2025 » for a calendar year, « 2026 (au 28/11) » for its start up to a day, else
/// « du 01/02/2026 au 28/02/2026 ».
fn period_label(from: NaiveDate, to: NaiveDate) -> String {
    use chrono::Datelike;
    let starts_year = from.month() == 1 && from.day() == 1 && from.year() == to.year();
    match (starts_year, to.month() == 12 && to.day() == 31) {
        (true, true) => from.year().to_string(),
        (true, false) => format!("{} (au {:02}/{:02})", to.year(), to.day(), to.month()),
        _ => format!("du {} au {}", format_fr(from), format_fr(to)),
    }
}

/// How many calendar years the trend shows: the period's end year and the four before it.
pub const TREND_YEARS: i32 = 5;

/// The annual review: a period's statistics, those of the period before it, and the trend over
/// [`TREND_YEARS`] calendar years, all from one read of the register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub current: Stats,
    pub previous: Stats,
    /// Calendar years, oldest first, the last one being the period's end year, cut at its end
    /// (« 2026 (au 28/11) ») when the period does not end on 31 December.
    pub trend: Vec<Summary>,
}

/// The trend's calendar years ending at `to`'s year, in one pass over the rows.
fn trend(all: &[Row], to: NaiveDate, overall_months: u32) -> Vec<Summary> {
    use chrono::Datelike;
    let last = to.year();
    let first = last - (TREND_YEARS - 1);
    let mut years: Vec<Summary> = (first..=last)
        .filter_map(|y| {
            let from = NaiveDate::from_ymd_opt(y, 1, 1)?;
            let end = NaiveDate::from_ymd_opt(y, 12, 31)?.min(to);
            Some(Summary::empty(from, end))
        })
        .collect();
    // The index of a date's year in `years`, if the trend shows it and the date is not after `to`.
    let slot = |d: NaiveDate| (d <= to && d.year() >= first).then(|| (d.year() - first) as usize);
    for r in all {
        if let Some(y) = slot(r.received).and_then(|i| years.get_mut(i)) {
            y.received += 1;
            for (count, on) in y.by_nature.iter_mut().zip(r.natures) {
                count.count += i64::from(on);
            }
        }
        let Some(closed) = r.closed else { continue };
        if let Some(y) = slot(closed).and_then(|i| years.get_mut(i)) {
            y.closed += 1;
            if closed <= deadlines::deadline(r.received, overall_months).due {
                y.closed_within_deadline += 1;
            }
            if let Some(d) = y.by_decision.iter_mut().find(|d| d.code == r.decision) {
                d.count += 1;
            }
        }
    }
    for y in &mut years {
        y.closed_within_deadline_pct = pct(y.closed_within_deadline as usize, y.closed as usize);
    }
    years
}

/// The CSV export: UTF-8 with BOM, « ; » separators, CRLF and French decimals, as French
/// Excel opens it. Cells that a spreadsheet would run as a formula are neutralised. The period's
/// rows come first, then the period before it and each year of the trend, as sections.
pub fn to_csv(review: &Review) -> Result<String> {
    let s = &review.current;
    let num = |v: Option<f64>| v.map(|x| crate::french::decimal(x, 1)).unwrap_or_default();
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    let mut rows: Vec<[String; 3]> = vec![["Rubrique".into(), "Valeur".into(), "Nombre".into()]];
    let mut line = |section: &str, label: &str, value: String| {
        rows.push([section.to_owned(), label.to_owned(), value]);
    };
    line("Période", &format!("{} au {}", s.from, s.to), String::new());
    line("Réclamations reçues", "Total", s.received.to_string());
    line("Réclamations reçues", "dont purgées (trace anonyme)", s.received_purged.to_string());
    for (section, counts) in [
        ("Nature", &s.by_nature),
        ("Canal", &s.by_channel),
        ("Adressée à", &s.by_addressee),
        ("Plaignant", &s.by_role),
        ("Décision (dossiers clos)", &s.by_decision),
        ("Commission de recours", &s.by_committee_outcome),
        ("Qualifiés les plus concernés", &s.top_firms),
    ] {
        for c in counts {
            line(section, &c.label, c.count.to_string());
        }
    }
    line("Dossiers clos", "Total", s.closed.to_string());
    line("Délai de traitement (jours)", "Médiane", num(s.handling_median_days));
    line("Délai de traitement (jours)", "Moyenne", num(s.handling_mean_days));
    line("Délai de traitement (jours)", "90e centile", s.handling_p90_days.map(|d| d.to_string()).unwrap_or_default());
    line("Clos dans le délai global", "Total", s.closed_within_deadline.to_string());
    line("Clos dans le délai global", "%", num(s.closed_within_deadline_pct));
    line("Dépassements du délai global", "Total", s.overruns.to_string());
    line("Dépassements du délai global", "dont justifiés", s.overruns_justified.to_string());
    line("Accusé de réception", &format!("% sous {} jours", s.ar_days), num(s.ar_within_pct));
    line("Encore ouvertes en fin de période", "Total", s.open_at_end.to_string());
    let previous = review.previous.summary();
    let compared = std::iter::once((format!("Période précédente : {}", previous.label), &previous))
        .chain(review.trend.iter().map(|y| (format!("Évolution sur {TREND_YEARS} ans : {}", y.label), y)));
    for (section, y) in compared {
        line(&section, "Période", format!("{} au {}", y.from, y.to));
        line(&section, "Réclamations reçues", y.received.to_string());
        line(&section, "Dossiers clos", y.closed.to_string());
        line(&section, "Clos dans le délai global", y.closed_within_deadline.to_string());
        line(&section, "Clos dans le délai global (%)", num(y.closed_within_deadline_pct));
        for c in &y.by_nature {
            line(&section, &format!("Nature : {}", c.label), c.count.to_string());
        }
        for c in &y.by_decision {
            line(&section, &format!("Décision : {}", c.label), c.count.to_string());
        }
    }
    // Written into memory: the crate can only fail here on an I/O error, which a Vec never has.
    let failed = || Error::Export("Le fichier CSV des statistiques n'a pas pu être produit : réessayez.".into());
    for row in &rows {
        writer.write_record(row.iter().map(|cell| neutralise(cell))).map_err(|_| failed())?;
    }
    let bytes = writer.into_inner().map_err(|_| failed())?;
    String::from_utf8(bytes).map_err(|_| failed())
}

/// A cell that starts with « = », « + », « - », « @ », a tab or a carriage return would be run
/// as a formula by Excel or LibreOffice (a firm named `=HYPERLINK(…)`): it gets a leading « ' »,
/// which spreadsheets show as text. A plain number (« -3 », « -2,5 ») stays a number.
pub(crate) fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// An optional sign, digits, and optionally a decimal comma or point followed by digits.
fn is_plain_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let (whole, fraction) = unsigned.split_once([',', '.']).unwrap_or((unsigned, "0"));
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

/// « Bilan annuel des réclamations »: the statistics as a printable report on the letterhead,
/// signed by the Déléguée Générale.
///
/// An empty title reads « Bilan des réclamations »; a title is cut at 120 characters. After the
/// period's figures come the comparison with the period before and the trend over
/// [`TREND_YEARS`] years, with bars drawn in block characters.
pub fn statistics_report(conn: &Connection, review: &Review, title: &str, today: NaiveDate) -> Result<LetterDoc> {
    let s = &review.current;
    let title: String = if title.trim().is_empty() {
        "Bilan des réclamations".to_owned()
    } else {
        title.trim().chars().take(120).collect()
    };
    let title = title.as_str();
    let org = settings::organisation(conn)?;
    let n = |v: Option<f64>| v.map(|x| crate::french::decimal(x, 1)).unwrap_or_else(|| "—".into());
    let list =
        |counts: &[Count]| -> Vec<String> { counts.iter().map(|c| format!("- {} : {}", c.label, c.count)).collect() };
    let mut p: Vec<String> = vec![format!(
        "Période du {} au {}. {} réclamation(s) reçue(s), dont {} purgée(s) à l'issue de leur durée de conservation (comptées d'après leur trace anonyme) ; {} dossier(s) clos.",
        parse_date(&s.from).map(format_fr).unwrap_or_default(),
        parse_date(&s.to).map(format_fr).unwrap_or_default(),
        s.received,
        s.received_purged,
        s.closed
    )];
    for (heading, counts) in [
        ("Réclamations reçues par nature :", &s.by_nature),
        ("Par canal :", &s.by_channel),
        ("Par destinataire :", &s.by_addressee),
        ("Par qualité du plaignant :", &s.by_role),
        ("Décisions des dossiers clos :", &s.by_decision),
        ("Commission de recours :", &s.by_committee_outcome),
    ] {
        p.push(heading.into());
        p.extend(list(counts));
    }
    p.push(format!(
        "Délai de traitement (de la réception à la clôture) : médiane {} jours, moyenne {} jours, 90e centile {} jours. Dossiers clos dans le délai global : {} %.",
        n(s.handling_median_days),
        n(s.handling_mean_days),
        s.handling_p90_days.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
        n(s.closed_within_deadline_pct)
    ));
    p.push(format!(
        "Dépassements du délai global : {}, dont {} justifié(s) auprès des deux parties. Accusés de réception adressés sous {} jours : {} %. Réclamations encore ouvertes en fin de période : {}.",
        s.overruns, s.overruns_justified, s.ar_days, n(s.ar_within_pct), s.open_at_end
    ));
    if !s.top_firms.is_empty() {
        p.push("Qualifiés les plus concernés :".into());
        p.extend(list(&s.top_firms));
    }
    p.extend(comparison_paragraphs(&s.summary(), &review.previous.summary()));
    p.extend(trend_paragraphs(&review.trend));
    p.push(crate::store::digest::current(conn, today)?.full_line());
    Ok(LetterDoc {
        letterhead: letterhead(conn, &org)?,
        recipient: vec!["Revue de direction".into(), org.name.clone()],
        place_date: format!("{}, le {}", org.letter_place.trim(), format_fr_long(today)),
        reference: title.to_owned(),
        subject: title.to_owned(),
        registered_number: None,
        salutation: String::new(),
        paragraphs: p.iter().map(|x| typography::french(x)).collect(),
        closing: String::new(),
        signatory_name: org.general_delegate_name.clone(),
        signatory_title: org.general_delegate_title.clone(),
        title: title.to_owned(),
        created: chrono::Local::now().naive_local(),
        register_digest: crate::store::digest::current(conn, today)?.footer(),
    })
}

/// « 30 sur 38, soit 78,9 % »: the files closed within the overall deadline out of those closed.
fn within_deadline(y: &Summary) -> String {
    let pct =
        y.closed_within_deadline_pct.map(|x| format!(", soit {} %", crate::french::decimal(x, 1))).unwrap_or_default();
    format!("{} sur {}{pct}", y.closed_within_deadline, y.closed)
}

/// The report's comparison of the period with the one before: each figure, then the previous one.
fn comparison_paragraphs(now: &Summary, before: &Summary) -> Vec<String> {
    let was = |v: i64| format!("{} : {v}", before.label);
    let mut p = vec![
        format!("Comparaison avec la période précédente ({}) :", before.label),
        format!("- Réclamations reçues : {} ({})", now.received, was(before.received)),
        format!("- Dossiers clos : {} ({})", now.closed, was(before.closed)),
        format!(
            "- Clos dans le délai global : {} ({} : {})",
            within_deadline(now),
            before.label,
            within_deadline(before)
        ),
    ];
    for (heading, a, b) in
        [("Reçues", &now.by_nature, &before.by_nature), ("Closes", &now.by_decision, &before.by_decision)]
    {
        for (c, old) in a.iter().zip(b) {
            p.push(format!("- {heading}, {} : {} ({})", lower_first(&c.label), c.count, was(old.count)));
        }
    }
    p
}

/// « Prestations réalisées » → « prestations réalisées », inside a sentence.
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// Cells of a bar in the report: a full block per step, light shade for the rest, so that the
/// text after every bar starts at the same place.
const BAR_CELLS: usize = 16;

fn text_bar(value: i64, max: i64) -> String {
    let full = if max > 0 {
        ((value.max(0) as f64 * BAR_CELLS as f64 / max as f64).round() as usize).min(BAR_CELLS)
    } else {
        0
    };
    let full = if value > 0 { full.max(1) } else { full };
    format!("{}{}", "\u{2588}".repeat(full), "\u{2591}".repeat(BAR_CELLS - full))
}

/// The report's trend: a bar of the complaints received each year with its figures, then each
/// nature and decision as a series over the years.
fn trend_paragraphs(trend: &[Summary]) -> Vec<String> {
    let (Some(first), Some(last)) = (trend.first(), trend.last()) else { return Vec::new() };
    let span = format!("de {} à {}", first.label, last.label);
    let max = trend.iter().map(|y| y.received).max().unwrap_or(0);
    let mut p = vec![format!("Évolution sur {TREND_YEARS} ans, {span} (réclamations reçues) :")];
    for y in trend {
        let year = y.label.split_whitespace().next().unwrap_or_default();
        let cut = y.label.strip_prefix(year).unwrap_or_default();
        p.push(format!(
            "- {year} {} {} reçues{cut} ; clos dans le délai global : {}",
            text_bar(y.received, max),
            y.received,
            within_deadline(y)
        ));
    }
    let series = |pick: &dyn Fn(&Summary) -> &Vec<Count>| -> Vec<String> {
        pick(first)
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let values: Vec<String> =
                    trend.iter().map(|y| pick(y).get(i).map_or(0, |v| v.count).to_string()).collect();
                format!("- {} : {}", c.label, values.join(" \u{2192} "))
            })
            .collect()
    };
    p.push(format!("Réclamations reçues par nature, {span} :"));
    p.extend(series(&|y| &y.by_nature));
    p.push(format!("Décisions des dossiers clos, {span} :"));
    p.extend(series(&|y| &y.by_decision));
    p
}

/// Acknowledgements are expected within 8 days of receipt (a week and a weekend).
pub const AR_DAYS: i64 = 8;

/// A statistics period, both days included, as typed in « Du » and « Au ».
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Parses « JJ/MM/AAAA » (or ISO) dates; refusals are keyed `from` and `to`, the UI's fields.
    pub fn parse(from: &str, to: &str) -> Result<Period> {
        let from = parse_date(from).ok_or_else(|| Error::field("from", invalid_date_of("Date de début")))?;
        let to = parse_date(to).ok_or_else(|| Error::field("to", invalid_date_of("Date de fin")))?;
        if to < from {
            return Err(Error::field("to", "La fin de la période précède son début."));
        }
        Ok(Period { from, to })
    }

    /// The period just before this one: as many whole months when it is whole months (the
    /// year before a calendar year, leap or not; the month before a month), else as many days.
    pub fn previous(self) -> Period {
        use chrono::Datelike;
        let day_before = self.from - chrono::Duration::days(1);
        let whole_months = self.from.day() == 1 && (self.to + chrono::Duration::days(1)).day() == 1;
        let months = (self.to.year() - self.from.year()) * 12 + self.to.month() as i32 - self.from.month() as i32 + 1;
        let by_months = u32::try_from(months)
            .ok()
            .filter(|_| whole_months)
            .and_then(|m| self.from.checked_sub_months(chrono::Months::new(m)));
        match by_months {
            Some(from) => Period { from, to: day_before },
            None => Period { from: day_before - (self.to - self.from), to: day_before },
        }
    }

    /// The figures of this period, with the [`AR_DAYS`] acknowledgement target.
    pub fn statistics(self, conn: &Connection) -> Result<Stats> {
        statistics(conn, self.from, self.to, AR_DAYS)
    }

    /// This period beside the one before it and the trend over [`TREND_YEARS`] calendar years
    /// ending at its end, from one read of the register.
    pub fn review(self, conn: &Connection) -> Result<Review> {
        let overall_months = settings::deadlines(conn)?.overall_months;
        let all = rows(conn, self.to)?;
        Ok(Review {
            current: figures(&all, self, AR_DAYS, overall_months),
            previous: figures(&all, self.previous(), AR_DAYS, overall_months),
            trend: trend(&all, self.to, overall_months),
        })
    }
}

#[cfg(test)]
mod period_tests {
    use super::*;

    #[test]
    fn a_period_parses_and_knows_the_one_before() -> Result<()> {
        let p = Period::parse("01/01/2026", "2026-12-31")?;
        assert_eq!(p.from, NaiveDate::from_ymd_opt(2026, 1, 1).ok_or_else(|| Error::field("t", "date"))?);
        let prev = p.previous();
        assert_eq!((prev.from.to_string(), prev.to.to_string()), ("2025-01-01".into(), "2025-12-31".into()));
        let march = Period::parse("01/03/2026", "31/03/2026")?.previous();
        assert_eq!((march.from.to_string(), march.to.to_string()), ("2026-02-01".into(), "2026-02-28".into()));
        let leap = Period::parse("01/01/2025", "31/12/2025")?.previous();
        assert_eq!((leap.from.to_string(), leap.to.to_string()), ("2024-01-01".into(), "2024-12-31".into()));
        let quarter = Period::parse("01/01/2026", "31/03/2026")?.previous();
        assert_eq!((quarter.from.to_string(), quarter.to.to_string()), ("2025-10-01".into(), "2025-12-31".into()));
        let days = Period::parse("10/03/2026", "19/03/2026")?.previous();
        assert_eq!((days.from.to_string(), days.to.to_string()), ("2026-02-28".into(), "2026-03-09".into()));
        Ok(())
    }

    #[test]
    fn a_bad_period_is_refused_on_its_field() {
        let field = |r: Result<Period>| match r {
            Err(Error::Validation { fields }) => fields.into_iter().next(),
            _ => None,
        };
        assert_eq!(field(Period::parse("32/01/2026", "31/12/2026")).map(|f| f.0), Some("from".into()));
        assert_eq!(field(Period::parse("01/01/2026", "")).map(|f| f.0), Some("to".into()));
        let (key, message) = field(Period::parse("02/01/2026", "01/01/2026")).unwrap_or_default();
        assert_eq!(key, "to");
        assert!(message.contains("précède"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::complaints::{self, tests::sample_complaint};
    use crate::store::workflow::{perform, ActionForm};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn complaint(
        conn: &mut Connection,
        received: &str,
        channel: &str,
        to: &str,
        role: &str,
        natures: &[&str],
        firm: i64,
    ) -> Result<i64> {
        let mut f = sample_complaint();
        f.received_on = received.into();
        f.channel = channel.into();
        f.registered_number = if channel == "registered_letter" { "1A 123 456 7890 1".into() } else { String::new() };
        f.email_subject = if channel == "email" { "Réclamation".into() } else { String::new() };
        f.addressed_to = to.into();
        f.complainant.role = role.into();
        f.natures = natures.iter().map(|n| (*n).to_owned()).collect();
        f.new_firm = None;
        f.firm_id = Some(firm);
        Ok(complaints::register(conn, &f, day(2026, 1, 15), "S")?.id)
    }

    /// Performs each action, with the letters the procedure requires sent that day: the
    /// firm's information letter (« inform_firm » by « letter »), a decision's two letters
    /// before the step that waits for them, and both overrun letters after its reason.
    fn acts(conn: &mut Connection, id: i64, steps: &[(&str, &str, &str)]) -> Result<()> {
        use crate::letters::kinds::LetterKind;
        use crate::test_support::send_letter;
        let mut last: Option<[LetterKind; 2]> = None;
        for (action, date, choice) in steps {
            if *action == "inform_firm" && *choice == "letter" {
                send_letter(conn, id, LetterKind::FirmNotification, date)?;
                continue;
            }
            if matches!(*action, "mark_letters_sent" | "record_committee_outcome" | "decide") {
                for kind in last.take().into_iter().flatten() {
                    send_letter(conn, id, kind, date)?;
                }
            }
            let mut form = ActionForm {
                action: (*action).into(),
                date: (*date).into(),
                choice: (*choice).into(),
                text: "Motifs.".into(),
                by: "qualification_manager".into(),
                firm_text: "Motifs pour le qualifié.".into(),
                waiver: "Sans attendre.".into(),
                ..ActionForm::default()
            };
            if *action == "record_committee_outcome" {
                // The hearing, the firm's convocation, then the outcome for its one qualification.
                let q = crate::test_support::qualification_of(conn, id, "2.1")?;
                let hearing = crate::test_support::form(
                    crate::procedure::ActionKind::ScheduleHearing,
                    date,
                    &[("hearing", date)],
                );
                perform(conn, id, "S", &hearing, day(2026, 1, 15))?;
                send_letter(conn, id, LetterKind::CommitteeConvocation, date)?;
                let outcome = match *choice {
                    "suspension" => "suspended",
                    "withdrawal" => "withdrawn",
                    _ => "maintained",
                };
                form.outcomes = vec![crate::store::workflow::OutcomeForm {
                    qualification_id: q,
                    outcome: outcome.into(),
                    from: (*date).into(),
                    until: "31/12/2025".into(),
                }];
            }
            perform(conn, id, "S", &form, day(2026, 1, 15))?;
            match *action {
                "decide" => last = crate::procedure::Decision::from_code(choice).map(LetterKind::for_decision),
                "record_committee_outcome" => {
                    last = Some([LetterKind::CommitteeOutcomeComplainant, LetterKind::CommitteeOutcomeFirm])
                }
                "justify_overrun" => {
                    send_letter(conn, id, LetterKind::OverrunComplainant, date)?;
                    send_letter(conn, id, LetterKind::OverrunFirm, date)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn firm(conn: &Connection, name: &str) -> Result<()> {
        let form = crate::validate::FirmForm {
            name: name.into(),
            address_lines: "1 rue de la Paix".into(),
            postcode: "75002".into(),
            city: "PARIS".into(),
            ..Default::default()
        };
        crate::store::firms::insert(conn, &crate::validate::validate_firm(&form, "f")?, "f")?;
        Ok(())
    }

    /// A purge trace: received, closed, natures (services, ethics, mark use), decision.
    fn trace(
        conn: &Connection,
        n: i64,
        received: &str,
        closed: &str,
        natures: [bool; 3],
        decision: &str,
    ) -> Result<()> {
        conn.execute(
            "INSERT INTO purged_complaints (reference, firm_id, received_on, closed_on, channel, addressed_to, complainant_role,
                 nature_services, nature_ethics, nature_mark_use, decision, committee_outcome, overrun_justified, purged_on)
             VALUES (?1, 1, ?2, ?3, 'letter', 'general_delegate', 'client', ?4, ?5, ?6, ?7, '', 0, '2031-01-01')",
            params![format!("REC-OLD-{n:04}"), received, closed, natures[0], natures[1], natures[2], decision],
        )?;
        Ok(())
    }

    /// Received `received`, decided `decision` on `decided` and closed on `closed`.
    fn decided(
        conn: &mut Connection,
        received: &str,
        natures: &[&str],
        dates: [&str; 3],
        decision: &str,
    ) -> Result<()> {
        let id = complaint(conn, received, "letter", "general_delegate", "client", natures, 1)?;
        let [decided_on, closed_on, acked] = dates;
        acts(
            conn,
            id,
            &[
                ("acknowledge", acked, ""),
                ("transmit", acked, "qualification"),
                ("inform_firm", acked, "letter"),
                ("decide", decided_on, decision),
                ("mark_letters_sent", closed_on, ""),
            ],
        )
    }

    /// Six years of complaints (2020 to 2025, and one in 2026 after the period), purged ones
    /// for the older years; each year's figures worked out by hand (see each line).
    #[test]
    fn the_review_compares_with_the_year_before_and_shows_five_years() -> Result<()> {
        let mut conn = crate::db::open_in_memory()?;
        firm(&conn, "Cabinet A")?;
        // Overall deadline: 6 months after receipt.
        trace(&conn, 1, "2020-03-01", "2020-05-01", [true, false, false], "dismissed")?; // 2020 only: outside the trend
        trace(&conn, 2, "2020-11-15", "2021-02-01", [false, true, false], "warning")?; // closed 2021, in time
        trace(&conn, 3, "2021-06-01", "2022-03-01", [true, false, true], "dismissed")?; // closed 2022, late
        trace(&conn, 4, "2022-02-10", "2022-04-10", [false, false, true], "warning")?; // 2022, in time
        trace(&conn, 5, "2023-01-05", "2023-03-01", [true, false, false], "dismissed")?; // 2023, in time
        trace(&conn, 6, "2023-07-01", "2024-03-01", [false, true, false], "appeals_committee")?; // closed 2024, late
                                                                                                 // 2024: one closed in time with a warning, one still open.
        decided(&mut conn, "10/01/2024", &["services"], ["01/03/2024", "10/03/2024", "13/01/2024"], "warning")?;
        complaint(&mut conn, "01/10/2024", "letter", "general_delegate", "client", &["ethics"], 1)?;
        // 2025: in time with a warning; dismissed after its deadline (01/08/2025); one open.
        decided(&mut conn, "10/01/2025", &["services"], ["01/03/2025", "10/03/2025", "13/01/2025"], "warning")?;
        let late = complaint(&mut conn, "01/02/2025", "email", "president", "client", &["services", "ethics"], 1)?;
        acts(
            &mut conn,
            late,
            &[
                ("acknowledge", "03/02/2025", ""),
                ("transmit", "04/02/2025", "qualification"),
                ("inform_firm", "05/02/2025", "email"),
                ("justify_overrun", "05/08/2025", ""),
                ("decide", "20/08/2025", "dismissed"),
                ("mark_letters_sent", "01/09/2025", ""),
            ],
        )?;
        complaint(&mut conn, "20/11/2025", "letter", "general_delegate", "client", &["mark_use"], 1)?;
        // After the period: counts nowhere.
        complaint(&mut conn, "05/01/2026", "letter", "general_delegate", "client", &["services"], 1)?;

        let r = Period::parse("01/01/2025", "31/12/2025")?.review(&conn)?;
        let counts = |v: &[Count]| v.iter().map(|c| c.count).collect::<Vec<_>>();
        // Natures: services, ethics, mark use; decisions: expert, dismissed, warning, appeals committee.
        type Year = (String, i64, i64, i64, Option<f64>, Vec<i64>, Vec<i64>);
        let year = |y: &Summary| -> Year {
            let (n, d) = (counts(&y.by_nature), counts(&y.by_decision));
            (y.label.clone(), y.received, y.closed, y.closed_within_deadline, y.closed_within_deadline_pct, n, d)
        };
        let expected: Vec<Year> = vec![
            ("2021".into(), 1, 1, 1, Some(100.0), vec![1, 0, 1], vec![0, 0, 1, 0]),
            ("2022".into(), 1, 2, 1, Some(50.0), vec![0, 0, 1], vec![0, 1, 1, 0]),
            ("2023".into(), 2, 1, 1, Some(100.0), vec![1, 1, 0], vec![0, 1, 0, 0]),
            ("2024".into(), 2, 2, 1, Some(50.0), vec![1, 1, 0], vec![0, 0, 1, 1]),
            ("2025".into(), 3, 2, 1, Some(50.0), vec![2, 1, 1], vec![0, 1, 1, 0]),
        ];
        assert_eq!(r.trend.iter().map(year).collect::<Vec<_>>(), expected);
        assert_eq!(
            (r.previous.from.as_str(), r.previous.to.as_str(), r.previous.received, r.previous.closed),
            ("2024-01-01", "2024-12-31", 2, 2)
        );
        assert_eq!((r.previous.closed_within_deadline, r.previous.closed_within_deadline_pct), (1, Some(50.0)));
        assert_eq!((r.current.received, r.current.received_purged, r.current.closed_within_deadline), (3, 0, 1));
        // The trend's last two years are the period and the one before, as full statistics count them.
        assert_eq!(r.trend.get(4), Some(&r.current.summary()));
        assert_eq!(r.trend.get(3), Some(&r.previous.summary()));
        assert_eq!(r.trend.first().map(|y| (y.from.as_str(), y.to.as_str())), Some(("2021-01-01", "2021-12-31")));

        // A half year: compared with the half year before; the trend's last year stops at its end.
        let h = Period::parse("01/01/2025", "30/06/2025")?.review(&conn)?;
        assert_eq!((h.previous.from.as_str(), h.previous.received, h.previous.closed), ("2024-07-01", 1, 0));
        let last = h.trend.last().map(|y| (y.label.as_str(), y.to.as_str(), y.received, y.closed));
        assert_eq!(last, Some(("2025 (au 30/06)", "2025-06-30", 2, 1)));
        assert_eq!(h.trend.first().map(|y| y.label.as_str()), Some("2021"));

        // The CSV has the year before and each year of the trend as sections.
        let csv = to_csv(&r)?;
        assert!(csv.contains("Période précédente : 2024;Réclamations reçues;2\r\n"), "{csv}");
        assert!(csv.contains("Période précédente : 2024;Clos dans le délai global (%);50,0\r\n"), "{csv}");
        assert!(csv.contains("Évolution sur 5 ans : 2022;Dossiers clos;2\r\n"), "{csv}");
        assert!(csv.contains("Évolution sur 5 ans : 2025;Nature : Prestations réalisées;2\r\n"), "{csv}");
        assert!(csv.contains("Évolution sur 5 ans : 2024;Décision : Passage en commission de recours;1\r\n"), "{csv}");

        // The report states them too.
        let doc = statistics_report(&conn, &r, "Bilan annuel des réclamations 2025", day(2026, 1, 15))?;
        let text = doc.paragraphs.join("\n");
        assert!(text.contains("Comparaison avec la période précédente (2024)"), "{text}");
        assert!(text.contains("Réclamations reçues\u{a0}: 3 (2024\u{a0}: 2)"), "{text}");
        assert!(
            text.contains(
                "Clos dans le délai global\u{a0}: 1 sur 2, soit 50,0\u{a0}% (2024\u{a0}: 1 sur 2, soit 50,0\u{a0}%)"
            ),
            "{text}"
        );
        assert!(text.contains("Prestations réalisées\u{a0}: 1 \u{2192} 0 \u{2192} 1 \u{2192} 1 \u{2192} 2"), "{text}");
        Ok(())
    }

    /// Five complaints and a purge trace whose figures were worked out by hand (see each line).
    #[test]
    fn figures_for_2025_match_the_hand_count() -> Result<()> {
        let mut conn = crate::db::open_in_memory()?;
        crate::store::firms::insert(
            &conn,
            &crate::validate::validate_firm(
                &crate::validate::FirmForm {
                    name: "Cabinet A".into(),
                    address_lines: "1 rue de la Paix".into(),
                    postcode: "75002".into(),
                    city: "PARIS".into(),
                    ..Default::default()
                },
                "f",
            )?,
            "f",
        )?;
        crate::store::firms::insert(
            &conn,
            &crate::validate::validate_firm(
                &crate::validate::FirmForm {
                    name: "Bureau B".into(),
                    address_lines: "1 rue de la Paix".into(),
                    postcode: "75002".into(),
                    city: "PARIS".into(),
                    ..Default::default()
                },
                "f",
            )?,
            "f",
        )?;
        // C1: received 10/01/2025, AR after 3 days, closed 10/03/2025 (59 days), warning.
        let c1 = complaint(&mut conn, "10/01/2025", "letter", "general_delegate", "client", &["services"], 1)?;
        acts(
            &mut conn,
            c1,
            &[
                ("acknowledge", "13/01/2025", ""),
                ("transmit", "14/01/2025", "qualification"),
                ("inform_firm", "15/01/2025", "letter"),
                ("decide", "01/03/2025", "warning"),
                ("mark_letters_sent", "10/03/2025", ""),
            ],
        )?;
        // C2: received 01/02/2025, AR after 19 days, overall due 01/08/2025, closed 01/09/2025 (212 days), justified overrun, dismissed.
        let c2 = complaint(&mut conn, "01/02/2025", "email", "president", "third_party", &["services", "ethics"], 1)?;
        acts(
            &mut conn,
            c2,
            &[
                ("acknowledge", "20/02/2025", ""),
                ("transmit", "21/02/2025", "qualification"),
                ("inform_firm", "22/02/2025", "email"),
                ("justify_overrun", "05/08/2025", ""),
                ("decide", "20/08/2025", "dismissed"),
                ("mark_letters_sent", "01/09/2025", ""),
            ],
        )?;
        // C3: received 03/03/2025, AR after 2 days, committee → suspension, closed 02/05/2025 (60 days).
        let c3 = complaint(&mut conn, "03/03/2025", "registered_letter", "secretariat", "client", &["mark_use"], 1)?;
        acts(
            &mut conn,
            c3,
            &[
                ("acknowledge", "05/03/2025", ""),
                ("transmit", "06/03/2025", "qualification"),
                ("inform_firm", "07/03/2025", "letter"),
                ("decide", "10/04/2025", "appeals_committee"),
                ("record_committee_outcome", "25/04/2025", "suspension"),
                ("mark_letters_sent", "02/05/2025", ""),
            ],
        )?;
        // C4: received 20/11/2025, AR next day, still open on 31/12/2025.
        let c4 = complaint(&mut conn, "20/11/2025", "letter", "general_delegate", "client", &["services"], 2)?;
        acts(&mut conn, c4, &[("acknowledge", "21/11/2025", "")])?;
        // C5: received 15/12/2024 (previous year), closed 14/02/2025 (61 days), dismissed.
        let c5 = complaint(&mut conn, "15/12/2024", "letter", "general_delegate", "client", &["services"], 2)?;
        acts(
            &mut conn,
            c5,
            &[
                ("acknowledge", "16/12/2024", ""),
                ("transmit", "17/12/2024", "qualification"),
                ("inform_firm", "18/12/2024", "letter"),
                ("decide", "10/02/2025", "dismissed"),
                ("mark_letters_sent", "14/02/2025", ""),
            ],
        )?;
        // P1, purged: received 01/04/2025 by email, ethics, closed 30/06/2025 (90 days), warning, firm A.
        conn.execute(
            "INSERT INTO purged_complaints (reference, firm_id, received_on, closed_on, channel, addressed_to, complainant_role,
                 nature_services, nature_ethics, nature_mark_use, decision, committee_outcome, overrun_justified, purged_on)
             VALUES ('REC-2025-0099', 1, '2025-04-01', '2025-06-30', 'email', 'president', 'client', 0, 1, 0, 'warning', '', 0, '2030-07-01')",
            [],
        )?;

        let s = statistics(&conn, day(2025, 1, 1), day(2025, 12, 31), 8)?;
        let get = |v: &Vec<Count>, code: &str| v.iter().find(|c| c.code == code).map_or(-1, |c| c.count);
        assert_eq!((s.received, s.received_purged), (5, 1), "C1 C2 C3 C4 P1");
        assert_eq!(
            (get(&s.by_nature, "services"), get(&s.by_nature, "ethics"), get(&s.by_nature, "mark_use")),
            (3, 2, 1)
        );
        assert_eq!(
            (get(&s.by_channel, "letter"), get(&s.by_channel, "email"), get(&s.by_channel, "registered_letter")),
            (2, 2, 1)
        );
        assert_eq!((get(&s.by_addressee, "president"), get(&s.by_role, "third_party")), (2, 1));
        assert_eq!(s.closed, 5, "C1 C2 C3 C5 P1");
        assert_eq!(
            (
                get(&s.by_decision, "warning"),
                get(&s.by_decision, "dismissed"),
                get(&s.by_decision, "appeals_committee")
            ),
            (2, 2, 1)
        );
        assert_eq!(get(&s.by_committee_outcome, "suspension"), 1);
        // Days: 59, 60, 61, 90, 212.
        assert_eq!(s.handling_median_days, Some(61.0));
        assert_eq!(s.handling_mean_days, Some(96.4));
        assert_eq!(s.handling_p90_days, Some(212));
        assert_eq!(s.closed_within_deadline_pct, Some(80.0), "4 of 5: C2 closed after its deadline");
        assert_eq!((s.overruns, s.overruns_justified), (1, 1), "C2");
        assert_eq!(s.ar_within_pct, Some(75.0), "C1 C3 C4 within 8 days, not C2 (19 days)");
        assert_eq!(s.top_firms.first().map(|c| (c.label.as_str(), c.count)), Some(("Cabinet A", 4)));
        assert_eq!(s.open_at_end, 1, "C4");

        let review = Period::parse("01/01/2025", "31/12/2025")?.review(&conn)?;
        assert_eq!(review.current, s, "one read of the register gives the same figures");
        assert_eq!(review.previous, statistics(&conn, day(2024, 1, 1), day(2024, 12, 31), 8)?);
        let csv = to_csv(&review)?;
        assert!(csv.starts_with("\u{feff}Rubrique;Valeur;Nombre\r\n"));
        assert!(csv.contains("Clos dans le délai global;Total;4\r\n"), "{csv}");
        assert!(csv.contains("Délai de traitement (jours);Moyenne;96,4\r\n"), "{csv}");
        assert!(csv.contains("Accusé de réception;% sous 8 jours;75,0\r\n"));
        Ok(())
    }
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    fn empty_review() -> Result<Review> {
        let conn = crate::db::open_in_memory()?;
        Period::parse("01/01/2025", "31/12/2025")?.review(&conn)
    }

    #[test]
    fn a_formula_in_a_firm_name_is_neutralised_and_numbers_are_kept() -> Result<()> {
        let mut r = empty_review()?;
        let s = &mut r.current;
        s.top_firms = vec![
            Count { code: String::new(), label: "=HYPERLINK(\"http://x\",\"y\")".into(), count: 3 },
            Count { code: String::new(), label: "@SUM(A1)".into(), count: 1 },
            Count { code: String::new(), label: "-3".into(), count: 1 },
            Count { code: String::new(), label: "-2,5".into(), count: 1 },
            Count { code: String::new(), label: "\tTab; « cité »".into(), count: 1 },
        ];
        s.handling_mean_days = Some(-2.5);
        let csv = to_csv(&r)?;
        assert!(csv.starts_with("\u{feff}Rubrique;Valeur;Nombre\r\n"), "{csv}");
        // The quotes of the formula are doubled and the whole cell quoted (RFC 4180).
        assert!(
            csv.contains("Qualifiés les plus concernés;\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\";3\r\n"),
            "{csv}"
        );
        assert!(csv.contains("Qualifiés les plus concernés;'@SUM(A1);1\r\n"), "{csv}");
        assert!(csv.contains("Qualifiés les plus concernés;-3;1\r\n"), "{csv}");
        assert!(csv.contains("Qualifiés les plus concernés;-2,5;1\r\n"), "{csv}");
        assert!(csv.contains("Qualifiés les plus concernés;\"'\tTab; « cité »\";1\r\n"), "{csv}");
        assert!(csv.contains("Délai de traitement (jours);Moyenne;-2,5\r\n"), "{csv}");
        assert!(csv.ends_with("\r\n") && !csv.contains("\n\n"));
        Ok(())
    }

    #[test]
    fn only_plain_numbers_escape_neutralisation() {
        for n in ["-3", "+4", "-2,5", "-0.5", "12"] {
            assert!(is_plain_number(n), "{n}");
        }
        for f in ["-", "-A1", "=1+1", "-2,", "-,5", "+1-1", "@1"] {
            assert!(!is_plain_number(f), "{f}");
        }
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use crate::test_support::{flat, fonts, pdftotext};

    #[test]
    fn the_pdf_report_extracts_with_its_figures() -> Result<()> {
        let conn = crate::db::open_in_memory()?;
        let mut r = Period::parse("01/01/2025", "31/12/2025")?.review(&conn)?;
        r.current.received = 42;
        r.current.handling_mean_days = Some(96.4);
        r.previous.received = 38;
        if let Some(y) = r.trend.first_mut() {
            y.received = 17;
        }
        let doc = statistics_report(
            &conn,
            &r,
            "Bilan annuel des réclamations 2025",
            NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default(),
        )?;
        let bytes = crate::letters::pdf::render(&doc, fonts()).map_err(|e| crate::Error::field("f", e.to_string()))?;
        if let Some(text) = pdftotext(&bytes)? {
            let text = flat(&text);
            assert!(text.contains("Bilan annuel des réclamations 2025"), "{text}");
            assert!(text.contains("42 réclamation(s) reçue(s)"), "{text}");
            assert!(text.contains("moyenne 96,4 jours"), "{text}");
            assert!(text.contains("Réclamations reçues : 42 (2024 : 38)"), "{text}");
            assert!(text.contains("Évolution sur 5 ans, de 2021 à 2025"), "{text}");
            assert!(text.contains("17 reçues"), "{text}");
        }
        Ok(())
    }
}
