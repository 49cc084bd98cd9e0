//! Finding complaints: the full-text index (FTS5, accents and case ignored) and the list with
//! its filters, sort and paging.

use crate::error::Result;
use crate::model::{ComplaintSummary, Step};
use crate::store::read_rows;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// Rewrites a complaint's row of the index from what is stored: reference, parties, numbers
/// (the registered numbers of the complaint and of its letters, stored without spaces), facts,
/// actions and every journal summary. Migration 12 holds the same statement.
pub fn reindex(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM complaints_fts WHERE rowid = ?1", params![id])?;
    conn.execute(
        "INSERT INTO complaints_fts (rowid, reference, parties, ids, body)
         SELECT c.id, c.reference || ' ' || coalesce(c.legacy_reference, ''),
                p.name || ' ' || p.organisation || ' ' || f.name || ' ' || c.investigator,
                coalesce(f.siret, '') || ' ' || c.registered_number || ' ' || p.email || ' ' || f.email || ' ' ||
                coalesce((SELECT group_concat(d.registered_number, ' ') FROM documents d
                          WHERE d.complaint_id = c.id AND d.registered_number <> ''), ''),
                c.facts || ' ' || c.actions_taken || ' ' || c.email_subject || ' ' ||
                coalesce((SELECT group_concat(j.summary || ' ' || j.details || ' ' || j.participants, ' ')
                          FROM journal j WHERE j.complaint_id = c.id), '')
         FROM complaints c JOIN complainants p ON p.id = c.complainant_id JOIN firms f ON f.id = c.firm_id
         WHERE c.id = ?1",
        params![id],
    )?;
    Ok(())
}

/// Reindexes the complaints of a firm whose name or SIRET changed.
pub fn reindex_firm(conn: &Connection, firm_id: i64) -> Result<()> {
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM complaints WHERE firm_id = ?1")?
        .query_map(params![firm_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        reindex(conn, id)?;
    }
    Ok(())
}

/// Rebuilds the whole index (after a bulk load).
pub fn reindex_all(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM complaints_fts", [])?;
    let ids: Vec<i64> =
        conn.prepare("SELECT id FROM complaints")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    for id in ids {
        reindex(conn, id)?;
    }
    Ok(())
}

/// Turns what the user typed into an FTS5 query: every word must match as a prefix (search as
/// you type, « econ bat » finds « Économie Bâtiment »); punctuation inside a word (« REC-2026-0042 ») makes a phrase. Nothing
/// typed is ever passed as FTS syntax.
pub fn fts_query(text: &str) -> Option<String> {
    // What anyone types in a search box is short; a pasted novel is cut, not searched.
    let text: String = text.chars().take(200).collect();
    // A registered number, with or without its spaces: the one token it is indexed as.
    if let Some(number) = crate::validate::normalise_registered_number(&text) {
        return Some(format!("\"{}\" *", number.to_lowercase()));
    }
    let words: Vec<String> = text
        .split_whitespace()
        .filter_map(|word| {
            let tokens: Vec<String> =
                word.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_lowercase).collect();
            (!tokens.is_empty()).then(|| format!("\"{}\"", tokens.join(" ")))
        })
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(words.iter().map(|w| format!("{w} *")).collect::<Vec<_>>().join(" "))
}

/// The list's search box, filters, sort and page.
///
/// A page is found by its offset, or (faster, for every order but relevance) by a cursor: the
/// id of a complaint of the list, whose sort key the page seeks to. `from_id` starts the page at
/// that complaint (a page kept in the URL), `after_id` right after it (« Page suivante »),
/// `before_id` ends it right before it (« Page précédente »). With a cursor, `offset` only says
/// which page it is; without one, a deep offset is first turned into a cursor on the sort's
/// index alone.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub text: String,
    pub step: String,
    pub nature: String,
    pub channel: String,
    pub firm_id: Option<i64>,
    pub year: Option<i32>,
    pub overdue_only: bool,
    /// `reference`, `received_on`, `complainant`, `firm`, `step`; empty: relevance when
    /// searching, else newest first.
    pub sort: String,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
    pub from_id: Option<i64>,
    pub after_id: Option<i64>,
    pub before_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListPage {
    pub rows: Vec<ComplaintSummary>,
    pub total: i64,
}

/// Where a page starts or ends relative to a complaint of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seek {
    From(i64),
    After(i64),
    Before(i64),
}

/// The sort key of an order: expressions with their direction (true: descending), the last one
/// the complaint's id so that the order is total and a cursor is exact.
fn sort_key(sort: &str, descending: bool, searching: bool) -> Option<Vec<(&'static str, bool)>> {
    let d = descending;
    Some(match sort {
        "reference" => vec![("c.reference", d), ("c.id", d)],
        "received_on" => vec![("c.received_on", d), ("c.id", d)],
        "complainant" => vec![("p.name COLLATE NOCASE", d), ("p.id", d), ("c.id", d)],
        "firm" => vec![("f.name COLLATE NOCASE", d), ("f.id", d), ("c.received_on", d), ("c.id", d)],
        // Ascending: by step, the newest first within a step; descending is its exact reverse
        // (index `complaints_step_received`).
        "step" => vec![("c.step", d), ("c.received_on", !d), ("c.id", !d)],
        _ if searching => return None, // relevance: paged by offset (at most RANKED_MAX ranked)
        _ => vec![("c.received_on", true), ("c.id", true)],
    })
}

/// `ORDER BY` of a key, or of its reverse.
fn order_by(key: &[(&str, bool)], reverse: bool) -> String {
    key.iter()
        .map(|(e, desc)| format!("{e} {}", if desc ^ reverse { "DESC" } else { "ASC" }))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows strictly after (or, `inclusive`, from) the key values bound at `first..` in the
/// order of `key` (reversed: before), as a range on the first column (for the index) and the
/// exact lexicographic condition.
fn seek_condition(key: &[(&str, bool)], first: usize, reverse: bool, inclusive: bool) -> String {
    let op = |desc: bool, strict: bool| match (desc ^ reverse, strict) {
        (false, true) => ">",
        (false, false) => ">=",
        (true, true) => "<",
        (true, false) => "<=",
    };
    let mut condition = String::new();
    for (i, (e, desc)) in key.iter().enumerate().rev() {
        let n = first + i;
        let last = i + 1 == key.len();
        condition = if last {
            format!("{e} {} ?{n}", op(*desc, !inclusive))
        } else {
            format!("({e} {} ?{n} OR ({e} = ?{n} AND {condition}))", op(*desc, true))
        };
    }
    match key.first() {
        Some((e, desc)) => format!("{e} {} ?{first} AND {condition}", op(*desc, false)),
        None => "1".to_owned(),
    }
}

const COLUMNS: &str = "c.id, c.reference, c.received_on, p.name, f.name, c.step";

/// The list's rows as SQL: the tables (`complaints c`, joined to the text index `s` when a text
/// is searched), the `WHERE` of the filters and the values it binds (`?1`…). The list pages
/// through it; the register's export reads all of it (store::register_export).
pub(crate) struct Filter {
    pub from: String,
    pub filter: String,
    pub args: Vec<Value>,
    pub searching: bool,
}

/// The filters of `q` (not its sort nor its page).
pub(crate) fn filter(q: &ListQuery, today: NaiveDate) -> Filter {
    let mut conditions: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let arg = |args: &mut Vec<Value>, v: Value| {
        args.push(v);
        format!("?{}", args.len())
    };
    let fts = fts_query(&q.text);
    let from = if let Some(query) = &fts {
        let n = arg(&mut args, Value::Text(query.clone()));
        format!("complaints_fts s JOIN complaints c ON c.id = s.rowid AND complaints_fts MATCH {n}")
    } else {
        "complaints c".to_owned()
    };
    if let Some(step) = Step::from_code(&q.step) {
        let n = arg(&mut args, Value::Text(step.code().into()));
        conditions.push(format!("c.step = {n}"));
    }
    match q.nature.as_str() {
        "services" => conditions.push("c.nature_services = 1".into()),
        "ethics" => conditions.push("c.nature_ethics = 1".into()),
        "mark_use" => conditions.push("c.nature_mark_use = 1".into()),
        _ => {}
    }
    if crate::model::Channel::from_code(&q.channel).is_some() {
        let n = arg(&mut args, Value::Text(q.channel.clone()));
        conditions.push(format!("c.channel = {n}"));
    }
    if let Some(firm) = q.firm_id {
        let n = arg(&mut args, Value::Integer(firm));
        conditions.push(format!("c.firm_id = {n}"));
    }
    if let Some(year) = q.year.filter(|y| (1900..=9999).contains(y)) {
        let from_n = arg(&mut args, Value::Text(format!("{year:04}-01-01")));
        let to_n = arg(&mut args, Value::Text(format!("{year:04}-12-31")));
        conditions.push(format!("c.received_on BETWEEN {from_n} AND {to_n}"));
    }
    if q.overdue_only {
        let n = arg(&mut args, Value::Text(today.to_string()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM deadlines d WHERE d.complaint_id = c.id AND d.stopped_on IS NULL
                     AND d.due_on < {n} AND (d.clock <> 'overall' OR d.justified_on IS NULL))"
        ));
    }
    let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    Filter { from, filter, args, searching: fts.is_some() }
}

/// The list's `ORDER BY` for `q` (its sort, or the relevance of a search; `c`, `p`, `f`, `s`).
pub(crate) fn list_order(q: &ListQuery, searching: bool) -> String {
    match sort_key(&q.sort, q.descending, searching) {
        Some(key) => order_by(&key, false),
        None => "s.rank, c.received_on DESC, c.id DESC".to_owned(),
    }
}

/// One page of complaints matching the query, with the total count.
pub fn list(conn: &Connection, q: &ListQuery, today: NaiveDate) -> Result<ListPage> {
    let arg = |args: &mut Vec<Value>, v: Value| {
        args.push(v);
        format!("?{}", args.len())
    };
    let fts = fts_query(&q.text);
    let cursor = q.from_id.map(Seek::From).or(q.after_id.map(Seek::After)).or(q.before_id.map(Seek::Before));
    let only_text = q.step.is_empty()
        && q.nature.is_empty()
        && q.channel.is_empty()
        && q.firm_id.is_none()
        && q.year.is_none()
        && !q.overdue_only
        && q.sort.is_empty();
    if let (Some(query), true) = (&fts, only_text) {
        return text_only(conn, query, q);
    }
    let Filter { from, filter, mut args, .. } = filter(q, today);
    let total: i64 =
        conn.query_row(&format!("SELECT count(*) FROM {from} {filter}"), params_from_iter(args.iter()), |r| r.get(0))?;
    let limit = q.limit.clamp(1, 500);
    let offset = q.offset.max(0);
    // Sorting by a name walks that name's index first (CROSS JOIN fixes the order of the
    // tables), so that a page does not sort 100 000 rows.
    let (joined, id_joined) = match (fts.is_some(), q.sort.as_str()) {
        (false, "complainant") => (
            "complainants p CROSS JOIN complaints c ON p.id = c.complainant_id JOIN firms f ON f.id = c.firm_id"
                .to_owned(),
            "complainants p CROSS JOIN complaints c ON p.id = c.complainant_id".to_owned(),
        ),
        (false, "firm") => (
            "firms f CROSS JOIN complaints c ON c.firm_id = f.id JOIN complainants p ON p.id = c.complainant_id"
                .to_owned(),
            "firms f CROSS JOIN complaints c ON c.firm_id = f.id".to_owned(),
        ),
        // The other keys are the complaint's own columns: its index alone (a join would read
        // every skipped complaint's row).
        (_, sort) => {
            let all = format!("{from} JOIN complainants p ON p.id = c.complainant_id JOIN firms f ON f.id = c.firm_id");
            if matches!(sort, "complainant" | "firm") {
                (all.clone(), all)
            } else {
                (all, from)
            }
        }
    };
    let Some(key) = sort_key(&q.sort, q.descending, fts.is_some()) else {
        // Relevance: by offset.
        let sql = format!(
            "SELECT {COLUMNS} FROM {joined} {filter} ORDER BY s.rank, c.received_on DESC, c.id DESC LIMIT {} OFFSET {}",
            arg(&mut args, Value::Integer(limit)),
            arg(&mut args, Value::Integer(offset))
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = read_rows(&mut stmt, params_from_iter(args.iter()), "complaints", summary)?;
        return Ok(ListPage { rows, total });
    };
    let cursor = match cursor {
        Some(c) => Some(c),
        None if offset > 0 => {
            // A jump to a page: its first row's id, found on the sort's tables alone.
            let sql = format!(
                "SELECT c.id FROM {id_joined} {filter} ORDER BY {} LIMIT 1 OFFSET {}",
                order_by(&key, false),
                arg(&mut args, Value::Integer(offset))
            );
            let id: Option<i64> = conn.query_row(&sql, params_from_iter(args.iter()), |r| r.get(0)).optional()?;
            args.pop();
            match id {
                Some(id) => Some(Seek::From(id)),
                None => return Ok(ListPage { rows: Vec::new(), total }),
            }
        }
        None => None,
    };
    let (seek, reverse) = match cursor {
        None => (None, false),
        Some(seek) => {
            let (id, reverse, inclusive) = match seek {
                Seek::From(id) => (id, false, true),
                Seek::After(id) => (id, false, false),
                Seek::Before(id) => (id, true, false),
            };
            let values = anchor(conn, &key, id)?;
            let Some(values) = values else {
                // The complaint is gone: back to the offset.
                let q = ListQuery { from_id: None, after_id: None, before_id: None, ..q.clone() };
                return list(conn, &q, today);
            };
            let first = args.len() + 1;
            args.extend(values);
            (Some(seek_condition(&key, first, reverse, inclusive)), reverse)
        }
    };
    let filter = match (filter.is_empty(), seek) {
        (_, None) => filter,
        (true, Some(seek)) => format!("WHERE {seek}"),
        (false, Some(seek)) => format!("{filter} AND {seek}"),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM {joined} {filter} ORDER BY {} LIMIT {}",
        order_by(&key, reverse),
        arg(&mut args, Value::Integer(limit))
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = read_rows(&mut stmt, params_from_iter(args.iter()), "complaints", summary)?;
    if reverse {
        rows.reverse();
    }
    Ok(ListPage { rows, total })
}

/// The sort key's values for one complaint (None if it does not exist).
fn anchor(conn: &Connection, key: &[(&str, bool)], id: i64) -> Result<Option<Vec<Value>>> {
    let columns = key.iter().map(|(e, _)| *e).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT {columns} FROM complaints c JOIN complainants p ON p.id = c.complainant_id
         JOIN firms f ON f.id = c.firm_id WHERE c.id = ?1"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let values = stmt
        .query_row(params![id], |r| (0..key.len()).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>())
        .optional()?;
    Ok(values)
}

fn summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<ComplaintSummary> {
    let step: Step = r.get(5)?;
    Ok(ComplaintSummary {
        id: r.get(0)?,
        reference: r.get(1)?,
        received_on: r.get(2)?,
        complainant_name: r.get(3)?,
        firm_name: r.get(4)?,
        step,
        step_label: step.label(),
    })
}

/// Beyond this many matches, relevance ranking costs more than it helps: the newest first.
pub const RANKED_MAX: i64 = 2_000;

/// Text alone: counted and paged on the index itself, then the page's rows fetched by id.
fn text_only(conn: &Connection, query: &str, q: &ListQuery) -> Result<ListPage> {
    let total: i64 =
        conn.query_row("SELECT count(*) FROM complaints_fts WHERE complaints_fts MATCH ?1", params![query], |r| {
            r.get(0)
        })?;
    let order = if total <= RANKED_MAX { "rank" } else { "rowid DESC" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ?1 ORDER BY {order} LIMIT ?2 OFFSET ?3"
    ))?;
    let ids: Vec<i64> = stmt
        .query_map(params![query, q.limit.clamp(1, 500), q.offset.max(0)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.reference, c.received_on, p.name, f.name, c.step
         FROM complaints c JOIN complainants p ON p.id = c.complainant_id JOIN firms f ON f.id = c.firm_id
         WHERE c.id = ?1",
    )?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = stmt.query_row(params![id], summary).optional()? {
            rows.push(row);
        }
    }
    Ok(ListPage { rows, total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_a_safe_prefix_query() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("lefe"), Some("\"lefe\" *".into()));
        assert_eq!(fts_query("REC-2026-0042"), Some("\"rec 2026 0042\" *".into()));
        assert_eq!(fts_query("métré faux"), Some("\"métré\" * \"faux\" *".into()));
        // FTS operators and quotes typed by the user are only text.
        assert_eq!(fts_query("\"a\" OR b* NEAR(c)"), Some("\"a\" * \"or\" * \"b\" * \"near c\" *".into()));
        assert_eq!(fts_query("'; DROP TABLE complaints; --"), Some("\"drop\" * \"table\" * \"complaints\" *".into()));
        // A registered number, typed with or without its spaces: its one indexed token.
        assert_eq!(fts_query("1A 123 456 7890 1"), Some("\"1a12345678901\" *".into()));
        assert_eq!(fts_query("rr123456789fr"), Some("\"rr123456789fr\" *".into()));
    }
}

#[cfg(test)]
mod store_tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::complaints::{self, tests::sample_complaint};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
    }

    fn refs(page: &ListPage) -> Vec<&str> {
        page.rows.iter().map(|r| r.reference.as_str()).collect()
    }

    #[test]
    fn search_ignores_accents_and_case_and_ranks_and_filters() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut form = sample_complaint(); // Claire Lefèvre vs Économie Bâtiment Conseil
        form.facts = "Réclamation sur le métré du lot gros œuvre.".into();
        complaints::register(&mut conn, &form, day(), "S")?;
        form.new_firm = None;
        form.firm_id = Some(1);
        form.complainant.name = "Jean Martin".into();
        form.complainant.email = "j.martin@example.fr".into();
        form.facts = "Honoraires facturés deux fois.".into();
        form.channel = "registered_letter".into();
        form.registered_number = "1A 123 456 7890 1".into();
        form.natures = vec!["ethics".into()];
        form.received_on = "15/03/2025".into();
        complaints::register(&mut conn, &form, day(), "S")?;

        let q = |text: &str| ListQuery { text: text.into(), limit: 50, ..ListQuery::default() };
        assert_eq!(refs(&list(&conn, &q("LEFEVRE"), day())?), ["REC-2026-0001"]);
        assert_eq!(refs(&list(&conn, &q("metre"), day())?), ["REC-2026-0001"], "« metre » finds « métré »");
        assert_eq!(
            list(&conn, &q("reclamation"), day())?.total,
            2,
            "« reclamation » finds « Réclamation » in both journals"
        );
        assert_eq!(refs(&list(&conn, &q("oeuvre"), day())?), Vec::<&str>::new(), "œ is not « oe » for unicode61");
        assert_eq!(refs(&list(&conn, &q("œuvre"), day())?), ["REC-2026-0001"]);
        assert_eq!(refs(&list(&conn, &q("econ bat"), day())?).len(), 2, "prefix of the firm's name");
        assert_eq!(refs(&list(&conn, &q("73282932000074"), day())?).len(), 2, "SIRET");
        assert_eq!(refs(&list(&conn, &q("1A12345678901"), day())?), ["REC-2025-0001"], "registered number");
        assert_eq!(refs(&list(&conn, &q("1a 123 456 7890 1"), day())?), ["REC-2025-0001"], "typed with spaces");
        assert_eq!(refs(&list(&conn, &q("REC-2025-0001"), day())?), ["REC-2025-0001"]);
        assert_eq!(refs(&list(&conn, &q("honoraires martin"), day())?), ["REC-2025-0001"]);
        // Journal summaries are searched too.
        assert_eq!(refs(&list(&conn, &q("enregistrée"), day())?).len(), 2);
        // Filters, combined with the text.
        let services = ListQuery { nature: "services".into(), limit: 50, ..ListQuery::default() };
        assert_eq!(refs(&list(&conn, &services, day())?), ["REC-2026-0001"]);
        let year = ListQuery { year: Some(2026), text: "econ".into(), limit: 50, ..ListQuery::default() };
        assert_eq!(list(&conn, &year, day())?.total, 1);
        let by_ref = ListQuery { sort: "reference".into(), limit: 1, ..ListQuery::default() };
        let page = list(&conn, &by_ref, day())?;
        assert_eq!((refs(&page), page.total), (vec!["REC-2025-0001"], 2));
        Ok(())
    }

    #[test]
    fn the_best_match_comes_first() -> Result<()> {
        let mut conn = open_in_memory()?;
        let mut form = sample_complaint();
        form.facts = "Métré faux.".into();
        complaints::register(&mut conn, &form, day(), "S")?;
        form.new_firm = None;
        form.firm_id = Some(1);
        form.complainant.name = "Paul Durand".into();
        form.complainant.email = String::new();
        form.facts = "Métré faux, métré refait, métré encore faux : le métré reste le cœur du litige.".into();
        complaints::register(&mut conn, &form, day(), "S")?;
        let q = ListQuery { text: "metre".into(), limit: 10, ..ListQuery::default() };
        assert_eq!(
            refs(&list(&conn, &q, day())?),
            ["REC-2026-0002", "REC-2026-0001"],
            "bm25: more mentions rank first"
        );
        Ok(())
    }

    /// Every order, both directions, with and without a filter: walking the pages forward by
    /// cursor, back by cursor, restoring a page from its first row and jumping to a page by
    /// offset all give exactly the pages of a plain `ORDER BY … LIMIT … OFFSET` of the whole list.
    #[test]
    fn keyset_pages_are_the_offset_pages_in_every_order() -> Result<()> {
        let mut conn = open_in_memory()?;
        crate::fixtures::populate(&mut conn, 12, 230, day(), 7, |_| {})?;
        // Many complaints per complainant and per firm, so that ties on the names are walked.
        conn.execute("UPDATE complaints SET complainant_id = 1 + (id % 40)", [])?;
        let ids = |page: &ListPage| page.rows.iter().map(|r| r.id).collect::<Vec<_>>();
        let common: String =
            conn.query_row("SELECT step FROM complaints GROUP BY step ORDER BY count(*) DESC LIMIT 1", [], |r| {
                r.get(0)
            })?;
        let orders = [
            ("reference", "c.reference {d}, c.id {d}"),
            ("received_on", "c.received_on {d}, c.id {d}"),
            ("complainant", "p.name COLLATE NOCASE {d}, p.id {d}, c.id {d}"),
            ("firm", "f.name COLLATE NOCASE {d}, f.id {d}, c.received_on {d}, c.id {d}"),
            ("step", "c.step {d}, c.received_on {r}, c.id {r}"),
            ("", "c.received_on DESC, c.id DESC"),
        ];
        for (sort, order) in orders {
            for descending in [false, true] {
                // « rec » (every reference) sorts the matches of a search.
                for (step, text) in [("", ""), (common.as_str(), ""), ("", "rec")] {
                    if !text.is_empty() && sort.is_empty() {
                        continue; // relevance, paged by offset
                    }
                    let (d, r) = if descending { ("DESC", "ASC") } else { ("ASC", "DESC") };
                    let order = order.replace("{d}", d).replace("{r}", r);
                    let filter = if step.is_empty() { "1" } else { "c.step = ?1" };
                    let sql = format!(
                        "SELECT c.id FROM complaints c JOIN complainants p ON p.id = c.complainant_id
                         JOIN firms f ON f.id = c.firm_id WHERE {filter} ORDER BY {order}"
                    );
                    let mut stmt = conn.prepare(&sql)?;
                    let bound: Vec<Value> = if step.is_empty() { vec![] } else { vec![Value::Text(step.into())] };
                    let expected: Vec<i64> = stmt
                        .query_map(params_from_iter(bound.iter()), |r| r.get(0))?
                        .collect::<rusqlite::Result<_>>()?;
                    let pages: Vec<&[i64]> = expected.chunks(17).collect();
                    assert!(pages.len() > 2, "{sort} {step}: enough pages");
                    let base = ListQuery {
                        sort: sort.into(),
                        descending,
                        step: step.into(),
                        limit: 17,
                        ..ListQuery::default()
                    };
                    let what = format!("sort « {sort} », descending {descending}, step « {step} »");
                    // Forward, by cursor.
                    let mut q = base.clone();
                    let mut seen = Vec::new();
                    for (n, want) in pages.iter().enumerate() {
                        let page = list(&conn, &q, day())?;
                        assert_eq!(page.total, expected.len() as i64);
                        assert_eq!(ids(&page), *want, "{what}: page {n} forward");
                        seen.push(page.rows.clone());
                        q = ListQuery {
                            after_id: page.rows.last().map(|r| r.id),
                            offset: q.offset + 17,
                            ..base.clone()
                        };
                    }
                    assert!(list(&conn, &q, day())?.rows.is_empty(), "{what}: nothing after the last page");
                    // Back, by cursor, from the last page.
                    for n in (0..pages.len() - 1).rev() {
                        let first = seen[n + 1].first().map(|r| r.id);
                        let page = list(&conn, &ListQuery { before_id: first, ..base.clone() }, day())?;
                        assert_eq!(ids(&page), pages[n], "{what}: page {n} backward");
                    }
                    // A page restored from its first row, and a jump by offset.
                    for n in [1, pages.len() - 1] {
                        let from = list(&conn, &ListQuery { from_id: Some(pages[n][0]), ..base.clone() }, day())?;
                        assert_eq!(ids(&from), pages[n], "{what}: page {n} from its first row");
                        let jump = list(&conn, &ListQuery { offset: 17 * n as i64, ..base.clone() }, day())?;
                        assert_eq!(ids(&jump), pages[n], "{what}: jump to page {n}");
                    }
                    let beyond = ListQuery { offset: 17 * pages.len() as i64, ..base.clone() };
                    assert!(list(&conn, &beyond, day())?.rows.is_empty());
                }
            }
        }
        // A cursor on a complaint that does not exist falls back to the offset.
        let q = ListQuery {
            sort: "reference".into(),
            after_id: Some(999_999),
            offset: 17,
            limit: 17,
            ..ListQuery::default()
        };
        let by_offset = ListQuery { sort: "reference".into(), offset: 17, limit: 17, ..ListQuery::default() };
        assert_eq!(ids(&list(&conn, &q, day())?), ids(&list(&conn, &by_offset, day())?));
        Ok(())
    }
}
