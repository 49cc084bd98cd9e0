//! Owns the complaint-procedure calendar: month/year deadlines computed "date to date", French metropolitan public holidays, rolling to the next working day, and the clock states derived from them.
//!
//! Legal basis (Code de procédure civile):
//! - art. 641: a deadline expressed in months or years expires on the day of
//!   the last month (or year) bearing the same number as the starting day; if
//!   that number does not exist in the last month, it expires on the last day
//!   of that month.
//! - art. 642: a deadline that would normally expire on a Saturday, a Sunday
//!   or a public holiday is extended to the first following working day.
//!
//! Nothing here reads the system clock: "today" is always a parameter, so every
//! result is reproducible and testable.
//!
//! Range: every function accepts any date chrono can represent and never
//! panics. When a result would fall beyond chrono's last representable date
//! (`NaiveDate::MAX`, year 262143), it saturates to `NaiveDate::MAX`; rolling
//! forward stops there too. For dates up to year 9000 this never happens with
//! realistic month counts (it needs `months` in the tens of millions).

use crate::french::{format_fr, french_weekday};
use chrono::{Datelike, Months, NaiveDate, Weekday};

/// Adds `months` to `date` "date to date" (CPC art. 641): same day number in
/// the target month, or the last day of that month when the number does not
/// exist there (31 January + 1 month = 28 or 29 February).
///
/// Saturates to `NaiveDate::MAX` if the result is beyond chrono's range.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    // chrono's checked_add_months already clamps to the last day of the
    // target month, which is exactly the rule of art. 641.
    date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Adds `years` to `date` "date to date" (CPC art. 641): 29 February + 1 year
/// = 28 February. Saturates to `NaiveDate::MAX` on overflow.
pub fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
    match years.checked_mul(12) {
        Some(months) => add_months(date, months),
        None => NaiveDate::MAX,
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (anonymous Gregorian
/// algorithm, a.k.a. Meeus/Jones/Butcher). Easter Monday, Ascension and Whit
/// Monday are derived from it.
///
/// Euclidean division keeps the computation consistent for proleptic
/// (negative) years. If the date cannot be represented by chrono (years
/// at the very edge of its range), returns `NaiveDate::MIN` or `NaiveDate::MAX`.
pub fn easter_sunday(year: i32) -> NaiveDate {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    // month is 3 or 4 and day 1..=31 by construction, so the casts are exact.
    let month = n.div_euclid(31) as u32;
    let day = (n.rem_euclid(31) + 1) as u32;
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(if year < 0 { NaiveDate::MIN } else { NaiveDate::MAX })
}

/// French name of the metropolitan public holiday falling on `date`, if any
/// (Code du travail art. L3133-1). Alsace-Moselle's extra days (Vendredi
/// saint, 26 décembre) are not included.
pub fn public_holiday(date: NaiveDate) -> Option<&'static str> {
    let fixed = match (date.month(), date.day()) {
        (1, 1) => Some("Jour de l'an"),
        (5, 1) => Some("Fête du Travail"),
        (5, 8) => Some("Victoire 1945"),
        (7, 14) => Some("Fête nationale"),
        (8, 15) => Some("Assomption"),
        (11, 1) => Some("Toussaint"),
        (11, 11) => Some("Armistice"),
        (12, 25) => Some("Noël"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    // Movable feasts only fall between late March and mid June.
    if !(3..=6).contains(&date.month()) {
        return None;
    }
    let easter = easter_sunday(date.year());
    let offset = date.signed_duration_since(easter).num_days();
    match offset {
        1 => Some("Lundi de Pâques"),
        39 => Some("Ascension"),
        50 => Some("Lundi de Pentecôte"),
        _ => None,
    }
}

/// True when `date` is neither a Saturday, a Sunday nor a public holiday.
pub fn is_working_day(date: NaiveDate) -> bool {
    non_working_reason(date).is_none()
}

/// Why `date` is not a working day: the holiday name if it is a public
/// holiday (it wins over the weekday, being the more informative reason),
/// else "samedi" or "dimanche"; `None` for a working day.
pub fn non_working_reason(date: NaiveDate) -> Option<&'static str> {
    if let Some(name) = public_holiday(date) {
        return Some(name);
    }
    match date.weekday() {
        Weekday::Sat => Some("samedi"),
        Weekday::Sun => Some("dimanche"),
        _ => None,
    }
}

/// Moves `date` to the first working day on or after it (CPC art. 642).
/// A working day is returned unchanged.
pub fn roll_to_working_day(date: NaiveDate) -> NaiveDate {
    roll_with_reasons(date).0
}

/// Rolls forward (art. 642) and records each skipped day with its reason.
/// Stops at `NaiveDate::MAX` if the end of chrono's range is reached.
fn roll_with_reasons(date: NaiveDate) -> (NaiveDate, Vec<(NaiveDate, String)>) {
    let mut current = date;
    let mut skipped = Vec::new();
    while let Some(reason) = non_working_reason(current) {
        skipped.push((current, reason.to_string()));
        match current.succ_opt() {
            Some(next) => current = next,
            None => break,
        }
    }
    (current, skipped)
}

/// A deadline together with how it was computed, so the UI can explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub start: NaiveDate,
    pub months: u32,
    /// start + months, date to date (art. 641).
    pub plain: NaiveDate,
    /// plain rolled to the next working day (art. 642).
    pub due: NaiveDate,
    /// Each non-working day skipped and why: "samedi", "dimanche", or the holiday name.
    pub skipped: Vec<(NaiveDate, String)>,
}

/// Computes the deadline of `months` months starting from `start`
/// (art. 641 then art. 642).
pub fn deadline(start: NaiveDate, months: u32) -> Deadline {
    let plain = add_months(start, months);
    let (due, skipped) = roll_with_reasons(plain);
    Deadline { start, months, plain, due, skipped }
}

impl Deadline {
    /// Human-readable French explanation:
    /// - nothing skipped: « reçue le 04/03/2026 → + 2 mois = 04/05/2026 »;
    /// - weekend only: the first skipped day's reason,
    ///   « reçue le 31/01/2026 → + 1 mois = 28/02/2026 → samedi → lundi 02/03/2026 »;
    /// - a holiday among the skipped days: all reasons, joined by ", ",
    ///   « … = 23/05/2026 → samedi, dimanche, Lundi de Pentecôte → mardi 26/05/2026 ».
    pub fn explain(&self, start_label: &str) -> String {
        let mut text =
            format!("{} {} → + {} mois = {}", start_label, format_fr(self.start), self.months, format_fr(self.plain));
        if !self.skipped.is_empty() {
            // A plain weekend needs no detail: "samedi" alone says why the due
            // date moved to Monday. When a public holiday is involved, every
            // skipped day is listed so the reader sees the whole chain.
            let holiday_involved = self.skipped.iter().any(|(day, _)| public_holiday(*day).is_some());
            let shown = if holiday_involved { self.skipped.len() } else { 1 };
            let reasons: Vec<&str> = self.skipped.iter().take(shown).map(|(_, reason)| reason.as_str()).collect();
            text.push_str(&format!(" → {} → {} {}", reasons.join(", "), french_weekday(self.due), format_fr(self.due)));
        }
        text
    }
}

/// State of a procedural clock for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    Ok,
    DueSoon,
    Overdue,
    Stopped,
}

/// Whole days from `today` to `due`; negative when late, 0 on the due date.
pub fn days_left(due: NaiveDate, today: NaiveDate) -> i64 {
    due.signed_duration_since(today).num_days()
}

/// Clock state: `Stopped` wins when `stopped`; otherwise `Overdue` when
/// today is after `due` (the due day itself is still in time), `DueSoon`
/// when 0 <= days left <= `soon_days`, else `Ok`. A negative `soon_days` is
/// treated as 0, so the due day itself is always `DueSoon`.
pub fn clock_state(due: NaiveDate, today: NaiveDate, stopped: bool, soon_days: i64) -> ClockState {
    if stopped {
        return ClockState::Stopped;
    }
    let left = days_left(due, today);
    if left < 0 {
        ClockState::Overdue
    } else if left <= soon_days.max(0) {
        ClockState::DueSoon
    } else {
        ClockState::Ok
    }
}

/// State of the overall clock of a complaint (e.g. 6 months from receipt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverallState {
    Normal,
    /// From received + flag_months (plain date to date, no roll), inclusive.
    Flagged,
    /// today > deadline(received, limit_months).due.
    Overrun,
}

/// Overall clock: `Overrun` once today is past the rolled limit deadline,
/// else `Flagged` from the plain flag date (inclusive), else `Normal`.
/// `Overrun` takes precedence even if `flag_months > limit_months`.
pub fn overall_flag(received: NaiveDate, today: NaiveDate, flag_months: u32, limit_months: u32) -> OverallState {
    if today > deadline(received, limit_months).due {
        OverallState::Overrun
    } else if today >= add_months(received, flag_months) {
        OverallState::Flagged
    } else {
        OverallState::Normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::french::format_fr_long;
    use proptest::prelude::*;

    type TestResult = Result<(), String>;
    /// (year, month, day)
    type Ymd = (i32, u32, u32);

    fn d(y: i32, m: u32, day: u32) -> Result<NaiveDate, String> {
        NaiveDate::from_ymd_opt(y, m, day).ok_or_else(|| format!("invalid date {y}-{m}-{day}"))
    }

    /// Last day of the month of `date`, computed independently of chrono's
    /// month arithmetic (for the property tests).
    fn last_day_of_month(year: i32, month: u32) -> u32 {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            _ if leap => 29,
            _ => 28,
        }
    }

    // (start, months, plain, due), every row checked with python3's
    // datetime/calendar and dateutil.easter, not with this module.
    const TABLE: &[(Ymd, u32, Ymd, Ymd)] = &[
        ((2026, 1, 31), 1, (2026, 2, 28), (2026, 3, 2)),  // Sat → Mon
        ((2028, 1, 31), 1, (2028, 2, 29), (2028, 2, 29)), // leap, Tue
        ((2100, 1, 31), 1, (2100, 2, 28), (2100, 3, 1)),  // 2100 not leap, Sun
        ((2000, 1, 31), 1, (2000, 2, 29), (2000, 2, 29)), // 2000 leap, Tue
        ((2026, 3, 31), 1, (2026, 4, 30), (2026, 4, 30)),
        ((2026, 8, 31), 1, (2026, 9, 30), (2026, 9, 30)),
        ((2026, 1, 30), 1, (2026, 2, 28), (2026, 3, 2)),
        ((2026, 12, 31), 1, (2027, 1, 31), (2027, 2, 1)), // Sun → Mon
        ((2026, 8, 31), 6, (2027, 2, 28), (2027, 3, 1)),
        ((2027, 8, 31), 6, (2028, 2, 29), (2028, 2, 29)),
        ((2099, 8, 31), 6, (2100, 2, 28), (2100, 3, 1)),
        ((2026, 1, 15), 1, (2026, 2, 15), (2026, 2, 16)),
        ((2028, 2, 29), 12, (2029, 2, 28), (2029, 2, 28)),
        ((2026, 1, 15), 0, (2026, 1, 15), (2026, 1, 15)),
        ((2025, 11, 30), 6, (2026, 5, 30), (2026, 6, 1)),
        ((2026, 3, 4), 2, (2026, 5, 4), (2026, 5, 4)),
        ((2026, 6, 25), 1, (2026, 7, 25), (2026, 7, 27)),
        ((2026, 3, 31), 2, (2026, 5, 31), (2026, 6, 1)),
        // Ascension Thu 7 May 2043 + Fri 8 May + weekend: 4-day roll.
        ((2043, 4, 7), 1, (2043, 5, 7), (2043, 5, 11)),
        ((2042, 11, 8), 6, (2043, 5, 8), (2043, 5, 11)),
    ];

    #[test]
    fn hand_checked_table() -> TestResult {
        for &(s, m, p, due) in TABLE {
            let start = d(s.0, s.1, s.2)?;
            let dl = deadline(start, m);
            let plain = d(p.0, p.1, p.2)?;
            let due = d(due.0, due.1, due.2)?;
            if dl.plain != plain || dl.due != due {
                return Err(format!("{start} + {m}: got {dl:?}, want {plain} / {due}"));
            }
            if dl.plain != add_months(start, m) {
                return Err(format!("add_months mismatch for {start}"));
            }
        }
        Ok(())
    }

    #[test]
    fn issue_example_explain() -> TestResult {
        let dl = deadline(d(2026, 1, 31)?, 1);
        assert_eq!(dl.plain, d(2026, 2, 28)?);
        assert_eq!(dl.due, d(2026, 3, 2)?);
        assert_eq!(dl.skipped, vec![(d(2026, 2, 28)?, "samedi".to_string()), (d(2026, 3, 1)?, "dimanche".to_string())]);
        assert_eq!(dl.explain("reçue le"), "reçue le 31/01/2026 → + 1 mois = 28/02/2026 → samedi → lundi 02/03/2026");
        Ok(())
    }

    #[test]
    fn explain_without_skip_and_with_holidays() -> TestResult {
        assert_eq!(deadline(d(2026, 3, 4)?, 2).explain("reçue le"), "reçue le 04/03/2026 → + 2 mois = 04/05/2026");
        assert_eq!(
            deadline(d(2026, 1, 15)?, 1).explain("reçue le"),
            "reçue le 15/01/2026 → + 1 mois = 15/02/2026 → dimanche → lundi 16/02/2026"
        );
        // Friday holiday + weekend: all reasons listed.
        assert_eq!(
            deadline(d(2026, 1, 1)?, 4).explain("reçue le"),
            "reçue le 01/01/2026 → + 4 mois = 01/05/2026 → Fête du Travail, samedi, dimanche → lundi 04/05/2026"
        );
        // Holiday on a Saturday, then Sunday.
        assert_eq!(
            deadline(d(2021, 12, 1)?, 1).explain("reçue le"),
            "reçue le 01/12/2021 → + 1 mois = 01/01/2022 → Jour de l'an, dimanche → lundi 03/01/2022"
        );
        // Sat 23 May 2026, Sun 24, Whit Monday 25 → Tue 26.
        assert_eq!(
            deadline(d(2026, 4, 23)?, 1).explain("reçue le"),
            "reçue le 23/04/2026 → + 1 mois = 23/05/2026 → samedi, dimanche, Lundi de Pentecôte → mardi 26/05/2026"
        );
        // Sat 4 April 2026, Sun 5, Easter Monday 6 → Tue 7.
        assert_eq!(
            deadline(d(2026, 1, 4)?, 3).explain("notifiée le"),
            "notifiée le 04/01/2026 → + 3 mois = 04/04/2026 → samedi, dimanche, Lundi de Pâques → mardi 07/04/2026"
        );
        Ok(())
    }

    #[test]
    fn easter_dates() -> TestResult {
        let cases = [
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25), // latest possible
            (2100, 3, 28),
            (2000, 4, 23),
            (2019, 4, 21),
            (2285, 3, 22), // earliest possible
            (1990, 4, 15),
            (2200, 4, 6),
        ];
        for (y, m, day) in cases {
            assert_eq!(easter_sunday(y), d(y, m, day)?, "Easter {y}");
        }
        Ok(())
    }

    #[test]
    fn movable_feasts_2024_2027() -> TestResult {
        // (Easter Monday, Ascension, Whit Monday), checked with dateutil.easter.
        let cases = [
            ((2024, 4, 1), (2024, 5, 9), (2024, 5, 20)),
            ((2025, 4, 21), (2025, 5, 29), (2025, 6, 9)),
            ((2026, 4, 6), (2026, 5, 14), (2026, 5, 25)),
            ((2027, 3, 29), (2027, 5, 6), (2027, 5, 17)),
        ];
        for (em, asc, whit) in cases {
            let em = d(em.0, em.1, em.2)?;
            let asc = d(asc.0, asc.1, asc.2)?;
            let whit = d(whit.0, whit.1, whit.2)?;
            assert_eq!(public_holiday(em), Some("Lundi de Pâques"));
            assert_eq!(public_holiday(asc), Some("Ascension"));
            assert_eq!(public_holiday(whit), Some("Lundi de Pentecôte"));
            assert_eq!(em.weekday(), Weekday::Mon);
            assert_eq!(asc.weekday(), Weekday::Thu);
            assert_eq!(whit.weekday(), Weekday::Mon);
            // Neighbours are not holidays (off-by-one guard).
            for day in [em, asc, whit] {
                for n in [day.pred_opt(), day.succ_opt()].into_iter().flatten() {
                    if n.month() != 5 || (n.day() != 1 && n.day() != 8) {
                        assert_eq!(public_holiday(n), None, "{n}");
                    }
                }
            }
        }
        Ok(())
    }

    #[test]
    fn fixed_holidays_and_non_holidays() -> TestResult {
        let cases = [
            ((2026, 1, 1), "Jour de l'an"),
            ((2026, 5, 1), "Fête du Travail"),
            ((2026, 5, 8), "Victoire 1945"),
            ((2026, 7, 14), "Fête nationale"),
            ((2026, 8, 15), "Assomption"),
            ((2026, 11, 1), "Toussaint"),
            ((2026, 11, 11), "Armistice"),
            ((2026, 12, 25), "Noël"),
        ];
        for ((y, m, day), name) in cases {
            assert_eq!(public_holiday(d(y, m, day)?), Some(name));
        }
        // Good Friday and 26 December are Alsace-Moselle only; Easter Sunday
        // and Whit Sunday are Sundays, not listed holidays.
        assert_eq!(public_holiday(d(2026, 4, 3)?), None);
        assert_eq!(public_holiday(d(2026, 12, 26)?), None);
        assert_eq!(public_holiday(d(2026, 4, 5)?), None);
        assert_eq!(public_holiday(d(2026, 12, 31)?), None);
        assert!(is_working_day(d(2026, 12, 31)?)); // Thursday
        assert!(!is_working_day(d(2026, 12, 26)?)); // Saturday
        assert!(!is_working_day(d(2026, 12, 27)?)); // Sunday
        assert!(!is_working_day(d(2026, 11, 11)?)); // Wednesday, holiday
        Ok(())
    }

    #[test]
    fn rolls_around_holidays_and_weekends() -> TestResult {
        // (due date, rolled, reasons), checked with python3.
        let cases: &[(Ymd, Ymd, &[&str])] = &[
            // Friday holiday followed by a weekend.
            ((2026, 5, 1), (2026, 5, 4), &["Fête du Travail", "samedi", "dimanche"]),
            ((2028, 7, 14), (2028, 7, 17), &["Fête nationale", "samedi", "dimanche"]),
            ((2025, 8, 15), (2025, 8, 18), &["Assomption", "samedi", "dimanche"]),
            // 25 December on a Friday.
            ((2026, 12, 25), (2026, 12, 28), &["Noël", "samedi", "dimanche"]),
            ((2020, 12, 25), (2020, 12, 28), &["Noël", "samedi", "dimanche"]),
            // Weekend followed by a holiday Monday → Tuesday.
            ((2027, 5, 15), (2027, 5, 18), &["samedi", "dimanche", "Lundi de Pentecôte"]),
            ((2026, 5, 23), (2026, 5, 26), &["samedi", "dimanche", "Lundi de Pentecôte"]),
            ((2026, 4, 4), (2026, 4, 7), &["samedi", "dimanche", "Lundi de Pâques"]),
            // 1 January on a Saturday → Monday 3 January.
            ((2022, 1, 1), (2022, 1, 3), &["Jour de l'an", "dimanche"]),
            ((2028, 1, 1), (2028, 1, 3), &["Jour de l'an", "dimanche"]),
            // Holiday on a Saturday / Sunday.
            ((2027, 5, 8), (2027, 5, 10), &["Victoire 1945", "dimanche"]),
            ((2026, 11, 1), (2026, 11, 2), &["Toussaint"]),
            ((2021, 12, 25), (2021, 12, 27), &["Noël", "dimanche"]),
            // Mid-week holidays.
            ((2026, 5, 14), (2026, 5, 15), &["Ascension"]),
            ((2026, 11, 11), (2026, 11, 12), &["Armistice"]),
            // Ascension Thursday + 8 May Friday + weekend.
            ((2043, 5, 7), (2043, 5, 11), &["Ascension", "Victoire 1945", "samedi", "dimanche"]),
            // Working day unchanged.
            ((2026, 3, 2), (2026, 3, 2), &[]),
        ];
        for &(from, to, reasons) in cases {
            let from = d(from.0, from.1, from.2)?;
            let to = d(to.0, to.1, to.2)?;
            assert_eq!(roll_to_working_day(from), to, "roll {from}");
            let (rolled, skipped) = roll_with_reasons(from);
            assert_eq!(rolled, to);
            let got: Vec<&str> = skipped.iter().map(|(_, r)| r.as_str()).collect();
            assert_eq!(got, reasons, "reasons for {from}");
            // Skipped days are consecutive, starting at `from`.
            for (i, (day, _)) in skipped.iter().enumerate() {
                assert_eq!(day.signed_duration_since(from).num_days(), i as i64);
            }
        }
        Ok(())
    }

    #[test]
    fn add_years_cases() -> TestResult {
        assert_eq!(add_years(d(2028, 2, 29)?, 1), d(2029, 2, 28)?);
        assert_eq!(add_years(d(2028, 2, 29)?, 4), d(2032, 2, 29)?);
        assert_eq!(add_years(d(2096, 2, 29)?, 4), d(2100, 2, 28)?);
        assert_eq!(add_years(d(2026, 3, 31)?, 2), d(2028, 3, 31)?);
        assert_eq!(add_years(d(2026, 3, 31)?, 0), d(2026, 3, 31)?);
        Ok(())
    }

    #[test]
    fn clock_states() -> TestResult {
        let due = d(2026, 3, 2)?;
        assert_eq!(days_left(due, d(2026, 3, 2)?), 0);
        assert_eq!(days_left(due, d(2026, 2, 20)?), 10);
        assert_eq!(days_left(due, d(2026, 3, 5)?), -3);
        assert_eq!(clock_state(due, d(2026, 3, 2)?, false, 7), ClockState::DueSoon);
        assert_eq!(clock_state(due, d(2026, 2, 23)?, false, 7), ClockState::DueSoon);
        assert_eq!(clock_state(due, d(2026, 2, 22)?, false, 7), ClockState::Ok);
        assert_eq!(clock_state(due, d(2026, 3, 3)?, false, 7), ClockState::Overdue);
        assert_eq!(clock_state(due, d(2026, 3, 3)?, true, 7), ClockState::Stopped);
        assert_eq!(clock_state(due, d(2026, 1, 1)?, true, 7), ClockState::Stopped);
        // soon_days = 0: only the due day is DueSoon; negative acts as 0.
        assert_eq!(clock_state(due, d(2026, 3, 2)?, false, 0), ClockState::DueSoon);
        assert_eq!(clock_state(due, d(2026, 3, 1)?, false, 0), ClockState::Ok);
        assert_eq!(clock_state(due, d(2026, 3, 2)?, false, -5), ClockState::DueSoon);
        Ok(())
    }

    #[test]
    fn overall_states() -> TestResult {
        // Received 31/08/2026: flag at 4 months = 31/12/2026 (plain);
        // limit 6 months = 28/02/2027 (Sunday) → due Monday 01/03/2027.
        let received = d(2026, 8, 31)?;
        let st = |y, m, day| -> Result<OverallState, String> { Ok(overall_flag(received, d(y, m, day)?, 4, 6)) };
        assert_eq!(st(2026, 9, 1)?, OverallState::Normal);
        assert_eq!(st(2026, 12, 30)?, OverallState::Normal);
        assert_eq!(st(2026, 12, 31)?, OverallState::Flagged);
        assert_eq!(st(2027, 2, 28)?, OverallState::Flagged);
        assert_eq!(st(2027, 3, 1)?, OverallState::Flagged);
        assert_eq!(st(2027, 3, 2)?, OverallState::Overrun);
        // Flag date on a weekend is not rolled: 31/01/2026 + 1 = Sat 28/02.
        assert_eq!(overall_flag(d(2026, 1, 31)?, d(2026, 2, 28)?, 1, 6), OverallState::Flagged);
        Ok(())
    }

    #[test]
    fn extremes_do_not_panic() -> TestResult {
        let far = d(9000, 12, 31)?;
        assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(add_months(far, u32::MAX), NaiveDate::MAX);
        assert_eq!(add_years(far, u32::MAX), NaiveDate::MAX);
        assert_eq!(add_years(far, 1), d(9001, 12, 31)?);
        assert_eq!(add_months(NaiveDate::MIN, 0), NaiveDate::MIN);
        let dl = deadline(NaiveDate::MAX, 5);
        assert_eq!(dl.plain, NaiveDate::MAX);
        assert!(dl.due == NaiveDate::MAX);
        let _ = deadline(far, 1).explain("reçue le");
        let _ = deadline(NaiveDate::MIN, 1).explain("reçue le");
        for y in [i32::MIN, i32::MAX, -262_144, 262_143, 0, -1, 1583, 9000] {
            let _ = easter_sunday(y);
        }
        let _ = public_holiday(NaiveDate::MIN);
        let _ = public_holiday(NaiveDate::MAX);
        let _ = format_fr_long(NaiveDate::MAX);
        let _ = overall_flag(NaiveDate::MAX, NaiveDate::MIN, u32::MAX, u32::MAX);
        let _ = clock_state(NaiveDate::MAX, NaiveDate::MIN, false, i64::MAX);
        let _ = days_left(NaiveDate::MIN, NaiveDate::MAX);
        Ok(())
    }

    /// Easter always lies between 22 March and 25 April, on a Sunday, over a
    /// full 400-year Gregorian cycle and beyond.
    #[test]
    fn easter_bounds() -> TestResult {
        for y in 1583..=4099 {
            let e = easter_sunday(y);
            assert_eq!(e.weekday(), Weekday::Sun, "{y}");
            assert!(e >= d(y, 3, 22)? && e <= d(y, 4, 25)?, "{y}: {e}");
        }
        Ok(())
    }

    /// Brute force: the largest roll (due - plain) over every date of
    /// 1990–2200 is 4 days (Ascension Thursday 7 May + Friday 8 May +
    /// weekend, e.g. 2043), and no roll exceeds 4 over 1583–4099.
    #[test]
    fn maximum_roll_is_four_days() -> TestResult {
        let mut max = 0;
        let mut first = None;
        let mut day = d(1990, 1, 1)?;
        let end = d(2200, 12, 31)?;
        while day <= end {
            let roll = roll_to_working_day(day).signed_duration_since(day).num_days();
            if roll > max {
                max = roll;
                first = Some(day);
            }
            day = day.succ_opt().ok_or("overflow")?;
        }
        assert_eq!(max, 4);
        assert_eq!(first, Some(d(2043, 5, 7)?));

        let mut day = d(1583, 1, 1)?;
        let end = d(4099, 12, 31)?;
        while day <= end {
            let roll = roll_to_working_day(day).signed_duration_since(day).num_days();
            assert!(roll <= 4, "{day}: {roll}");
            day = day.succ_opt().ok_or("overflow")?;
        }
        Ok(())
    }

    fn date_in(from: Ymd, to: Ymd) -> impl Strategy<Value = NaiveDate> {
        let lo = NaiveDate::from_ymd_opt(from.0, from.1, from.2).map(|x| x.num_days_from_ce()).unwrap_or(0);
        let hi = NaiveDate::from_ymd_opt(to.0, to.1, to.2).map(|x| x.num_days_from_ce()).unwrap_or(0);
        (lo..=hi).prop_filter_map("valid date", NaiveDate::from_num_days_from_ce_opt)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn due_is_working_and_close(start in date_in((1990, 1, 1), (2200, 12, 31)), months in 0u32..=120) {
            let dl = deadline(start, months);
            prop_assert!(is_working_day(dl.due));
            prop_assert!(dl.due >= dl.plain);
            let roll = dl.due.signed_duration_since(dl.plain).num_days();
            prop_assert!(roll <= 4);
            prop_assert_eq!(dl.skipped.len() as i64, roll);
            for (day, reason) in &dl.skipped {
                prop_assert!(!is_working_day(*day));
                prop_assert_eq!(non_working_reason(*day), Some(reason.as_str()));
            }
            prop_assert_eq!(roll_to_working_day(dl.plain), dl.due);
        }

        #[test]
        fn plain_is_date_to_date(start in date_in((1990, 1, 1), (2200, 12, 31)), months in 0u32..=120) {
            let plain = add_months(start, months);
            let total = start.month0() + months;
            let want_year = start.year() + (total / 12) as i32;
            let want_month = total % 12 + 1;
            prop_assert_eq!(plain.year(), want_year);
            prop_assert_eq!(plain.month(), want_month);
            let last = last_day_of_month(want_year, want_month);
            if start.day() <= last {
                prop_assert_eq!(plain.day(), start.day());
            } else {
                prop_assert_eq!(plain.day(), last);
            }
        }

        #[test]
        fn add_months_is_monotonic(
            a in date_in((1990, 1, 1), (2200, 12, 31)),
            b in date_in((1990, 1, 1), (2200, 12, 31)),
            months in 0u32..=120,
        ) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(add_months(lo, months) <= add_months(hi, months));
            prop_assert!(roll_to_working_day(add_months(lo, months)) <= roll_to_working_day(add_months(hi, months)));
        }

        #[test]
        fn add_years_is_twelve_months(start in date_in((1990, 1, 1), (2200, 12, 31)), years in 0u32..=10) {
            prop_assert_eq!(add_years(start, years), add_months(start, years * 12));
        }

        #[test]
        fn never_panics_anywhere(days in any::<i32>(), months in any::<u32>(), soon in any::<i64>()) {
            let start = NaiveDate::from_num_days_from_ce_opt(days).unwrap_or(NaiveDate::MIN);
            let dl = deadline(start, months);
            let _ = dl.explain("reçue le");
            let _ = add_years(start, months);
            let _ = clock_state(dl.due, start, false, soon);
            let _ = overall_flag(start, dl.due, months, months);
            let _ = format_fr_long(dl.due);
        }
    }
}
