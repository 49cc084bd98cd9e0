//! Retention in tiers, as restic's `--keep-daily/--keep-monthly/--keep-yearly`: for each tier,
//! the newest snapshot of each of the N most recent days (months, years) that have one.

use chrono::{Datelike, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tiers {
    pub daily: usize,
    pub monthly: usize,
    pub yearly: usize,
}

impl Default for Tiers {
    fn default() -> Self {
        Tiers { daily: 14, monthly: 12, yearly: 5 }
    }
}

/// A snapshot's day, month or year, as (year, month, day) with zeros for the coarser tiers.
type Period = fn(&NaiveDateTime) -> (i32, u32, u32);

/// The ids to keep among `snapshots` (any order). The newest is always kept, whatever the
/// tiers say: a prune never empties a repository.
pub fn select(snapshots: &[(String, NaiveDateTime)], tiers: &Tiers) -> Vec<String> {
    let mut sorted: Vec<&(String, NaiveDateTime)> = snapshots.iter().collect();
    sorted.sort_by(|a, b| (b.1, &b.0).cmp(&(a.1, &a.0)));
    let mut keep = BTreeSet::new();
    if let Some(newest) = sorted.first() {
        keep.insert(newest.0.clone());
    }
    let periods: [(usize, Period); 3] = [
        (tiers.daily, |t| (t.year(), t.month(), t.day())),
        (tiers.monthly, |t| (t.year(), t.month(), 0)),
        (tiers.yearly, |t| (t.year(), 0, 0)),
    ];
    for (count, period) in periods {
        let mut seen = Vec::new();
        for (id, at) in &sorted {
            let p = period(at);
            if seen.contains(&p) {
                continue;
            }
            if seen.len() == count {
                break;
            }
            seen.push(p);
            keep.insert(id.clone());
        }
    }
    keep.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(h, 0, 0)).unwrap_or_default()
    }

    #[test]
    fn the_newest_of_each_period_is_kept_and_the_newest_always() {
        // Two snapshots on 3 March: only the later one counts for that day.
        let snaps = vec![
            ("a".to_string(), at(2026, 3, 3, 9)),
            ("b".to_string(), at(2026, 3, 3, 18)),
            ("c".to_string(), at(2026, 3, 2, 9)),
            ("d".to_string(), at(2026, 2, 27, 9)),
            ("e".to_string(), at(2025, 12, 30, 9)),
        ];
        let one_day = Tiers { daily: 1, monthly: 0, yearly: 0 };
        assert_eq!(select(&snaps, &one_day), vec!["b"]);
        let two_months = Tiers { daily: 0, monthly: 2, yearly: 0 };
        assert_eq!(select(&snaps, &two_months), vec!["b", "d"]);
        let years = Tiers { daily: 2, monthly: 0, yearly: 5 };
        assert_eq!(select(&snaps, &years), vec!["b", "c", "e"]);
        let nothing = Tiers { daily: 0, monthly: 0, yearly: 0 };
        assert_eq!(select(&snaps, &nothing), vec!["b"]);
        assert!(select(&[], &Tiers::default()).is_empty());
    }
}
