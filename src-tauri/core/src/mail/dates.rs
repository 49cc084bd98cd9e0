//! Dates of messages: the French local date of receipt, and the loose dates written in quoted
//! forward headers (« lundi 2 novembre 2026 10:15 », « Mon, Nov 2, 2026 at 10:15 AM »…).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Europe::Paris;

/// The calendar day in Europe/Paris (CET/CEST) at that instant.
pub fn paris_date(at: &DateTime<FixedOffset>) -> NaiveDate {
    at.with_timezone(&Paris).date_naive()
}

/// An instant expressed with Paris's offset at that time (for dates the source gives in UTC).
pub(crate) fn in_paris(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    let local = at.with_timezone(&Paris);
    local.with_timezone(&local.offset().fix())
}

/// A wall-clock time in Paris as an instant; in the spring gap, the hour after.
fn paris_local(naive: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    let local = Paris
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| Paris.from_local_datetime(&(naive + chrono::Duration::hours(1))).earliest())?;
    Some(local.with_timezone(&local.offset().fix()))
}

/// A date as written in a forward's header block: RFC 2822/3339 first, then French or English
/// words (day name optional, month by name, 24-hour or AM/PM), then « 02/11/2026 10:15 »
/// (day first). Times without an offset are Paris time. `None` when no date can be made out.
pub fn parse_loose_date(raw: &str) -> Option<DateTime<FixedOffset>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(raw) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(raw) {
        return Some(d);
    }
    // mail-parser knows the many broken RFC 2822 variants found in the wild; only trusted when
    // the text gives its own offset (otherwise the time is Paris time, below).
    if has_explicit_offset(raw) {
        if let Some(d) = mail_parser::DateTime::parse_rfc822(raw).filter(|d| d.is_valid()) {
            if let Ok(d) = DateTime::parse_from_rfc3339(&d.to_rfc3339()) {
                return Some(d);
            }
        }
    }
    let (date, time) = words_date(raw).or_else(|| numeric_date(raw))?;
    paris_local(date.and_time(time.unwrap_or(NaiveTime::MIN)))
}

fn has_explicit_offset(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    let b = raw.as_bytes();
    lower.contains("gmt")
        || lower.contains("utc")
        || b.windows(5).any(|w| matches!(w.first(), Some(b'+' | b'-')) && w.iter().skip(1).all(u8::is_ascii_digit))
}

fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [(&[&str], u32); 12] = [
        (&["janvier", "janv", "jan", "january"], 1),
        (&["février", "fevrier", "févr", "fevr", "fév", "fev", "feb", "february"], 2),
        (&["mars", "mar", "march"], 3),
        (&["avril", "avr", "apr", "april"], 4),
        (&["mai", "may"], 5),
        (&["juin", "jun", "june"], 6),
        (&["juillet", "juil", "jul", "july"], 7),
        (&["août", "aout", "aoû", "aug", "august"], 8),
        (&["septembre", "sept", "sep", "september"], 9),
        (&["octobre", "oct", "october"], 10),
        (&["novembre", "nov", "november"], 11),
        (&["décembre", "decembre", "déc", "dec", "december"], 12),
    ];
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(names, _)| names.contains(&w.as_str())).map(|(_, n)| *n)
}

/// Tokens: words, numbers, and times (« 10:15 », « 10:15:30 », « 10h15 », « 10 h 15 »).
fn tokens(raw: &str) -> Vec<String> {
    raw.split(|c: char| c.is_whitespace() || c == ',' || c == '\u{a0}' || c == '\u{202f}')
        .filter(|t| !t.is_empty())
        .map(|t| t.to_lowercase())
        .collect()
}

fn parse_time(token: &str, next: Option<&str>, after: Option<&str>) -> Option<(NaiveTime, usize)> {
    // « 10 h 15 »
    if let (Ok(h), Some("h")) = (token.parse::<u32>(), next) {
        let m = after.and_then(|a| a.parse::<u32>().ok()).unwrap_or(0);
        return NaiveTime::from_hms_opt(h, m, 0).map(|t| (t, if after.is_some() { 3 } else { 2 }));
    }
    let parts: Vec<&str> = token.split([':', 'h']).collect();
    if parts.len() < 2 || parts.len() > 3 || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let n: Vec<u32> =
        parts.iter().map(|p| if p.is_empty() { Ok(0) } else { p.parse() }).collect::<Result<_, _>>().ok()?;
    let mut hour = *n.first()?;
    let used = match next {
        Some("pm" | "p.m.") if hour < 12 => {
            hour += 12;
            2
        }
        Some("am" | "a.m.") if hour == 12 => {
            hour = 0;
            2
        }
        Some("am" | "pm" | "a.m." | "p.m.") => 2,
        _ => 1,
    };
    NaiveTime::from_hms_opt(hour, *n.get(1)?, n.get(2).copied().unwrap_or(0)).map(|t| (t, used))
}

fn find_time(toks: &[String]) -> Option<NaiveTime> {
    (0..toks.len()).find_map(|i| {
        let t = toks.get(i)?;
        parse_time(t, toks.get(i + 1).map(String::as_str), toks.get(i + 2).map(String::as_str))
            .filter(|_| t.contains(':') || t.contains('h') || toks.get(i + 1).is_some_and(|n| n == "h"))
            .map(|(time, _)| time)
    })
}

fn words_date(raw: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let toks = tokens(raw);
    // The last month word: « mar. 3 nov. » starts with Tuesday, not March.
    let month_at = toks.iter().rposition(|t| month_number(t).is_some())?;
    let month = month_number(toks.get(month_at)?)?;
    let number = |t: &String| t.trim_end_matches(['.', 'e', 'r']).parse::<u32>().ok();
    let year_at = toks.iter().position(|t| t.len() == 4 && t.parse::<i32>().is_ok())?;
    let year: i32 = toks.get(year_at)?.parse().ok()?;
    // The day is the small number right before the month (« 2 novembre », « 1er ») or right
    // after it (« November 2 »).
    let before = month_at.checked_sub(1).and_then(|i| toks.get(i)).and_then(number);
    let after = toks.get(month_at + 1).filter(|_| month_at + 1 != year_at).and_then(number);
    let day = before.filter(|d| (1..=31).contains(d)).or(after.filter(|d| (1..=31).contains(d)))?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some((date, find_time(&toks)))
}

fn numeric_date(raw: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let toks = tokens(raw);
    let date = toks.iter().find_map(|t| {
        let p: Vec<&str> = t.split(['/', '.', '-']).collect();
        match p.as_slice() {
            [d, m, y] if y.len() == 4 => NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
            _ => None,
        }
    })?;
    Some((date, find_time(&toks)))
}

/// A date from a MAPI time as msg_parser gives it (ISO 8601 in UTC).
pub(crate) fn from_iso_utc(raw: &str) -> Option<DateTime<FixedOffset>> {
    let raw = raw.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    let utc = DateTime::parse_from_rfc3339(raw).ok()?.with_timezone(&Utc);
    // MAPI's « no date » is the FILETIME epoch or thereabouts.
    (utc.year() > 1980).then(|| in_paris(utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc2822(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_date_of_receipt_is_the_paris_calendar_day() {
        // 25 October 2026 ended summer time: 23:30 UTC on the 31st is 00:30 CET on 1 November.
        assert_eq!(paris_date(&rfc("Sat, 31 Oct 2026 23:30:00 +0000")), ymd(2026, 11, 1));
        assert_eq!(paris_date(&rfc("Sat, 31 Oct 2026 22:30:00 +0000")), ymd(2026, 10, 31));
        // Summer time starts on 29 March 2026 at 01:00 UTC: 23:30 UTC on the 28th is still
        // winter time (+01:00), so 00:30 on the 29th…
        assert_eq!(paris_date(&rfc("Sat, 28 Mar 2026 23:30:00 +0000")), ymd(2026, 3, 29));
        assert_eq!(paris_date(&rfc("Sat, 28 Mar 2026 22:59:00 +0000")), ymd(2026, 3, 28));
        // …and 22:30 UTC on the 29th is summer time (+02:00): 00:30 on the 30th, where a fixed
        // +01:00 would say the 29th.
        assert_eq!(paris_date(&rfc("Sun, 29 Mar 2026 22:30:00 +0000")), ymd(2026, 3, 30));
        // A sender far west: the 1st at 20:00 in Montreal (-05:00) is the 2nd in Paris.
        assert_eq!(paris_date(&rfc("Sun, 1 Nov 2026 20:00:00 -0500")), ymd(2026, 11, 2));
    }

    #[test]
    fn utc_instants_are_shown_with_the_paris_offset() {
        let at = from_iso_utc("2026-07-14T08:00:00.123Z").map(|d| d.to_rfc3339());
        assert_eq!(at.as_deref(), Some("2026-07-14T10:00:00.123+02:00"));
        assert_eq!(from_iso_utc("1601-01-01T00:00:00Z"), None);
        assert_eq!(from_iso_utc(""), None);
    }

    #[test]
    fn loose_dates_in_french_and_english() {
        let s = |raw: &str| parse_loose_date(raw).map(|d| d.to_rfc3339());
        assert_eq!(s("lundi 2 novembre 2026 10:15").as_deref(), Some("2026-11-02T10:15:00+01:00"));
        assert_eq!(s("jeudi 1er octobre 2026 09 h 05").as_deref(), Some("2026-10-01T09:05:00+02:00"));
        assert_eq!(s("lun. 2 nov. 2026 à 10:15").as_deref(), Some("2026-11-02T10:15:00+01:00"));
        assert_eq!(s("Monday, November 2, 2026 3:05 PM").as_deref(), Some("2026-11-02T15:05:00+01:00"));
        assert_eq!(s("Mon, Nov 2, 2026 at 12:10 AM").as_deref(), Some("2026-11-02T00:10:00+01:00"));
        assert_eq!(s("Mon, 2 Nov 2026 10:15:00 +0000").as_deref(), Some("2026-11-02T10:15:00+00:00"));
        assert_eq!(s("02/11/2026 10:15").as_deref(), Some("2026-11-02T10:15:00+01:00"));
        assert_eq!(s("mercredi 15 août 2026").as_deref(), Some("2026-08-15T00:00:00+02:00"));
        // 29 March 2026, 02:30 does not exist in Paris: the hour after.
        assert_eq!(s("dimanche 29 mars 2026 02:30").as_deref(), Some("2026-03-29T03:30:00+02:00"));
        assert_eq!(s("mar. 3 nov. 2026 14:00").as_deref(), Some("2026-11-03T14:00:00+01:00"));
        assert_eq!(s("la semaine dernière"), None);
        assert_eq!(s("31 février 2026 10:00"), None);
    }
}
