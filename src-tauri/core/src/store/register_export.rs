//! « Exporter » the register's complaints: one row per complaint, as `.xlsx` (real dates, bold
//! frozen header, autofilter) or as CSV for French Excel (UTF-8 with BOM, « ; », CRLF).
//!
//! What is exported: a year (received that year), the list's filters (exactly the list's rows,
//! every page, in the list's order) or the whole register. Only the register's complaints:
//! purged complaints have left `complaints` (their anonymous traces in `purged_complaints` are
//! counted by the statistics, not listed here). One query with joins reads them all, however
//! many (100 000 in a few seconds, docs/PERFORMANCE.md). The file is written by
//! `files::register_export`.
//!
//! Text typed by people (names, references) is never a formula: in `.xlsx` every text is written
//! as a string cell; in CSV a cell starting with « = », « + », « - », « @ », a tab or a carriage
//! return gets a leading « ' » (OWASP « CSV injection »), as the statistics' CSV does.

use crate::deadlines;
use crate::error::{Error, Result};
use crate::french::format_fr;
use crate::model::{Addressee, Channel, ComplainantRole, Nature, Step};
use crate::procedure::{CommitteeOutcome, Decision};
use crate::store::search::{self, ListQuery};
use crate::validate::parse_date;
use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Which complaints.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// The complaints list's filters and sort (its page and cursor are ignored).
    List { query: Box<ListQuery> },
    /// Received during `year`.
    Year { year: i32 },
    /// The whole register.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }
}

/// Whether the overall deadline was overrun (closed after it, or still open past it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overrun {
    No,
    Justified,
    Unjustified,
}

impl Overrun {
    pub fn label(self) -> &'static str {
        match self {
            Overrun::No => "non",
            Overrun::Justified => "oui, justifié",
            Overrun::Unjustified => "oui, non justifié",
        }
    }
}

/// The column headers, in order.
pub const HEADERS: [&str; 19] = [
    "Référence",
    "Ancienne référence",
    "Date de réception",
    "Canal",
    "Adressée à",
    "Plaignant",
    "Qualité du plaignant",
    "Qualifié",
    "N° qualifié",
    "SIRET",
    "Natures",
    "Étape",
    "Décision",
    "Date de décision",
    "Issue de la commission de recours",
    "Date de clôture",
    "Délai de traitement (jours)",
    "Échéance du délai global",
    "Dépassement du délai global",
];

/// Column widths in the `.xlsx` (characters).
const WIDTHS: [f64; 19] =
    [16.0, 18.0, 12.0, 18.0, 18.0, 26.0, 18.0, 30.0, 12.0, 16.0, 30.0, 24.0, 30.0, 12.0, 20.0, 12.0, 12.0, 12.0, 18.0];

/// One complaint as exported (labels in French, dates as dates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub id: i64,
    pub reference: String,
    pub legacy_reference: String,
    pub received_on: NaiveDate,
    pub channel: &'static str,
    pub addressed_to: &'static str,
    pub complainant: String,
    pub complainant_role: &'static str,
    pub firm: String,
    pub firm_number: String,
    pub siret: String,
    /// « Prestations réalisées, Déontologie ».
    pub natures: String,
    pub step: &'static str,
    /// Empty before a decision.
    pub decision: &'static str,
    pub decided_on: Option<NaiveDate>,
    pub committee_outcome: &'static str,
    pub closed_on: Option<NaiveDate>,
    /// Days from receipt to closure; `None` while open.
    pub handling_days: Option<i64>,
    /// The overall deadline as notified when its clock started (docs/PROCEDURE.md « Clocks »).
    pub overall_due: NaiveDate,
    pub overrun: Overrun,
}

/// A cell of a row, for both formats.
enum Cell<'a> {
    Text(&'a str),
    Date(Option<NaiveDate>),
    Number(Option<i64>),
}

impl ExportRow {
    fn cells(&self) -> [Cell<'_>; 19] {
        [
            Cell::Text(&self.reference),
            Cell::Text(&self.legacy_reference),
            Cell::Date(Some(self.received_on)),
            Cell::Text(self.channel),
            Cell::Text(self.addressed_to),
            Cell::Text(&self.complainant),
            Cell::Text(self.complainant_role),
            Cell::Text(&self.firm),
            Cell::Text(&self.firm_number),
            Cell::Text(&self.siret),
            Cell::Text(&self.natures),
            Cell::Text(self.step),
            Cell::Text(self.decision),
            Cell::Date(self.decided_on),
            Cell::Text(self.committee_outcome),
            Cell::Date(self.closed_on),
            Cell::Number(self.handling_days),
            Cell::Date(Some(self.overall_due)),
            Cell::Text(self.overrun.label()),
        ]
    }
}

const COLUMNS: &str = "c.id, c.reference, coalesce(c.legacy_reference, ''), c.received_on, c.channel, c.addressed_to,
     p.name, p.role, f.name, coalesce(f.number, ''), coalesce(f.siret, ''),
     c.nature_services, c.nature_ethics, c.nature_mark_use, c.step, c.decision, c.decided_on,
     c.committee_outcome, c.closed_on, d.due_on, d.justified_on IS NOT NULL";

/// Reads the complaints of `scope` in order, each passed to `each`; returns how many.
///
/// One query: the complaint, its complainant, its firm and its overall clock (the first one
/// started, as the complaint page reads it). A complaint without an overall clock (none in
/// practice) gets the deadline computed from its receipt and today's settings.
pub fn for_each(
    conn: &Connection,
    scope: &Scope,
    today: NaiveDate,
    mut each: impl FnMut(&ExportRow) -> Result<()>,
) -> Result<usize> {
    let (from, filter, args, order) = match scope {
        Scope::List { query } => {
            let f = search::filter(query, today);
            let order = search::list_order(query, f.searching);
            (f.from, f.filter, f.args, order)
        }
        Scope::Year { year } => (
            "complaints c".to_owned(),
            "WHERE c.received_on BETWEEN ?1 AND ?2".to_owned(),
            vec![Value::Text(format!("{year:04}-01-01")), Value::Text(format!("{year:04}-12-31"))],
            "c.received_on, c.id".to_owned(),
        ),
        Scope::All => ("complaints c".to_owned(), String::new(), Vec::new(), "c.received_on, c.id".to_owned()),
    };
    let sql = format!(
        "SELECT {COLUMNS}
         FROM {from} JOIN complainants p ON p.id = c.complainant_id JOIN firms f ON f.id = c.firm_id
         LEFT JOIN deadlines d ON d.id = (SELECT min(k.id) FROM deadlines k
                                          WHERE k.complaint_id = c.id AND k.clock = 'overall')
         {filter} ORDER BY {order}"
    );
    let overall_months = crate::store::settings::deadlines(conn)?.overall_months;
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(args.iter()))?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let row = read_row(r, id, today, overall_months)?;
        each(&row)?;
        n += 1;
    }
    Ok(n)
}

/// Every row of `scope` (the tests, and callers that want them all in memory).
pub fn rows(conn: &Connection, scope: &Scope, today: NaiveDate) -> Result<Vec<ExportRow>> {
    let mut out = Vec::new();
    for_each(conn, scope, today, |r| {
        out.push(r.clone());
        Ok(())
    })?;
    Ok(out)
}

fn read_row(r: &rusqlite::Row<'_>, id: i64, today: NaiveDate, overall_months: u32) -> Result<ExportRow> {
    let corrupt = |value: String| Error::CorruptRow { table: "complaints", id, value };
    let date = |idx: usize| -> Result<Option<NaiveDate>> {
        match r.get::<_, Option<String>>(idx)? {
            None => Ok(None),
            Some(text) if text.is_empty() => Ok(None),
            Some(text) => parse_date(&text).map(Some).ok_or_else(|| corrupt(text)),
        }
    };
    // A stored code this version does not know names its row (never a default).
    let coded = |idx: usize| -> Result<String> { Ok(r.get::<_, String>(idx)?) };
    let label = |code: String, of: fn(&str) -> Option<&'static str>| -> Result<&'static str> {
        if code.is_empty() {
            Ok("")
        } else {
            of(&code).ok_or_else(|| corrupt(code))
        }
    };
    let received_on = date(3)?.ok_or_else(|| corrupt(String::new()))?;
    let mut natures: Vec<&str> = Vec::new();
    for (i, nature) in Nature::ALL.iter().enumerate() {
        if r.get::<_, bool>(11 + i)? {
            natures.push(nature.label());
        }
    }
    let closed_on = date(18)?;
    let overall_due = date(19)?.unwrap_or_else(|| deadlines::deadline(received_on, overall_months).due);
    let justified: Option<bool> = r.get(20)?;
    let overrun = match closed_on {
        Some(closed) if closed <= overall_due => Overrun::No,
        None if today <= overall_due => Overrun::No,
        _ if justified == Some(true) => Overrun::Justified,
        _ => Overrun::Unjustified,
    };
    Ok(ExportRow {
        id,
        reference: r.get(1)?,
        legacy_reference: r.get(2)?,
        received_on,
        channel: label(coded(4)?, |c| Channel::from_code(c).map(Channel::label))?,
        addressed_to: label(coded(5)?, |c| Addressee::from_code(c).map(Addressee::label))?,
        complainant: r.get(6)?,
        complainant_role: label(coded(7)?, |c| ComplainantRole::from_code(c).map(ComplainantRole::label))?,
        firm: r.get(8)?,
        firm_number: r.get(9)?,
        siret: r.get(10)?,
        natures: natures.join(", "),
        step: label(coded(14)?, |c| Step::from_code(c).map(Step::label))?,
        decision: label(coded(15)?, |c| Decision::from_code(c).map(Decision::label))?,
        decided_on: date(16)?,
        committee_outcome: label(coded(17)?, |c| CommitteeOutcome::from_code(c).map(CommitteeOutcome::label))?,
        closed_on,
        handling_days: closed_on.map(|c| (c - received_on).num_days()),
        overall_due,
        overrun,
    })
}

/// Text as a cell may hold it (Excel's limit: 32 767 characters).
fn cell_text(text: &str) -> &str {
    match text.char_indices().nth(32_767) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

fn xlsx_failed(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Export(format!("Le classeur .xlsx n'a pas pu être produit ({e}) : réessayez."))
}

/// The complaints of `scope` as an `.xlsx` workbook: `(bytes, rows)`.
pub fn to_xlsx(conn: &Connection, scope: &Scope, today: NaiveDate) -> Result<(Vec<u8>, usize)> {
    use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Réclamations").map_err(xlsx_failed)?;
    let bold = CellFormat::new().set_bold();
    let date_format = CellFormat::new().set_num_format("dd/mm/yyyy");
    for (col, (header, width)) in HEADERS.iter().zip(WIDTHS).enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *header, &bold).map_err(xlsx_failed)?;
        sheet.set_column_width(col, width).map_err(xlsx_failed)?;
    }
    let mut row_n: u32 = 0;
    let n = for_each(conn, scope, today, |row| {
        row_n += 1;
        if row_n >= 1_048_576 {
            return Err(Error::Export(
                "Plus d'un million de réclamations : une feuille Excel ne peut pas les contenir. Exportez une année, ou en CSV."
                    .into(),
            ));
        }
        for (col, cell) in row.cells().iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text("") | Cell::Date(None) | Cell::Number(None) => {}
                // A string cell: never a formula, whatever it starts with.
                Cell::Text(text) => {
                    sheet.write_string(row_n, col, cell_text(text)).map_err(xlsx_failed)?;
                }
                Cell::Date(Some(d)) => {
                    let (y, m, day) = (u16::try_from(d.year()).unwrap_or(1900), d.month() as u8, d.day() as u8);
                    let date = ExcelDateTime::from_ymd(y, m, day).map_err(xlsx_failed)?;
                    sheet.write_date_with_format(row_n, col, &date, &date_format).map_err(xlsx_failed)?;
                }
                Cell::Number(Some(v)) => {
                    sheet.write_number(row_n, col, *v as f64).map_err(xlsx_failed)?;
                }
            }
        }
        Ok(())
    })?;
    sheet.set_freeze_panes(1, 0).map_err(xlsx_failed)?;
    sheet.autofilter(0, 0, row_n, (HEADERS.len() - 1) as u16).map_err(xlsx_failed)?;
    let bytes = workbook.save_to_buffer().map_err(xlsx_failed)?;
    Ok((bytes, n))
}

/// The complaints of `scope` as CSV for French Excel: `(bytes, rows)`. Dates JJ/MM/AAAA.
pub fn to_csv(conn: &Connection, scope: &Scope, today: NaiveDate) -> Result<(Vec<u8>, usize)> {
    let failed = || Error::Export("Le fichier CSV des réclamations n'a pas pu être produit : réessayez.".into());
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    writer.write_record(HEADERS).map_err(|_| failed())?;
    let n = for_each(conn, scope, today, |row| {
        let cells = row.cells().map(|cell| match cell {
            Cell::Text(text) => crate::store::stats::neutralise(text),
            Cell::Date(d) => d.map(format_fr).unwrap_or_default(),
            Cell::Number(v) => v.map(|v| v.to_string()).unwrap_or_default(),
        });
        writer.write_record(cells).map_err(|_| failed())
    })?;
    let bytes = writer.into_inner().map_err(|_| failed())?;
    Ok((bytes, n))
}

/// The file name proposed in the save dialog: `reclamations-2026.xlsx`,
/// `reclamations-liste-2026-11-28.csv`, `reclamations-registre-2026-11-28.xlsx`.
pub fn file_name(scope: &Scope, format: Format, today: NaiveDate) -> String {
    let stem = match scope {
        Scope::Year { year } => format!("reclamations-{year}"),
        Scope::List { .. } => format!("reclamations-liste-{today}"),
        Scope::All => format!("reclamations-registre-{today}"),
    };
    format!("{stem}.{}", format.extension())
}

/// `path` with the format's extension (added when the name typed has another one or none).
pub fn with_extension(path: &Path, format: Format) -> std::path::PathBuf {
    let ext = format.extension();
    match path.extension().map(|e| e.to_string_lossy().to_lowercase()) {
        Some(e) if e == ext => path.to_path_buf(),
        _ => {
            let mut name = path.as_os_str().to_owned();
            name.push(format!(".{ext}"));
            name.into()
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::db::open_in_memory;
    use crate::store::complaints::{self, tests::sample_complaint};
    use rusqlite::params;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    pub(crate) fn today() -> NaiveDate {
        day(2026, 11, 28)
    }

    /// Registers a complaint received on `received` (JJ/MM/AAAA) from `complainant` to the
    /// first firm (created by the first complaint); returns its id.
    fn register(conn: &mut Connection, received: &str, complainant: &str, channel: &str) -> Result<i64> {
        let mut f = sample_complaint();
        f.received_on = received.into();
        f.complainant.name = complainant.into();
        f.complainant.email = String::new(); // one complainant each
        f.channel = channel.into();
        if channel == "registered_letter" {
            f.registered_number = "1A 123 456 7890 1".into();
        }
        if channel == "email" {
            f.email_subject = "Réclamation".into();
        }
        if conn.query_row("SELECT count(*) FROM firms", [], |r| r.get::<_, i64>(0))? > 0 {
            f.new_firm = None;
            f.firm_id = Some(1);
        }
        Ok(complaints::register(conn, &f, today(), "S")?.id)
    }

    /// Sets what the workflow would have set (the export only reads it).
    fn settle(conn: &Connection, id: i64, step: &str, decision: &str, decided: &str, closed: &str) -> Result<()> {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        conn.execute(
            "UPDATE complaints SET step = ?2, decision = ?3, decided_on = ?4, closed_on = ?5 WHERE id = ?1",
            params![id, step, decision, opt(decided), opt(closed)],
        )?;
        if let Some(closed) = opt(closed) {
            conn.execute(
                "UPDATE deadlines SET stopped_on = ?2, stop_reason = 'closed' WHERE complaint_id = ?1",
                params![id, closed],
            )?;
        }
        Ok(())
    }

    /// Five complaints: open within the deadline, open past it, closed within it, closed past
    /// it with the overrun justified (another year, appeals committee), and one with an old
    /// register's reference whose names look like formulas. Returns the expected rows, cells as
    /// text (dates ISO).
    pub(crate) fn register_of_five(conn: &mut Connection) -> Result<Vec<[String; 19]>> {
        register(conn, "05/01/2026", "Claire Lefèvre", "letter")?; // open, past its deadline
        register(conn, "01/10/2026", "Jean Martin", "email")?; // open, within it
        let closed_ok = register(conn, "02/02/2026", "Paul Durand", "registered_letter")?;
        settle(conn, closed_ok, "closed", "dismissed", "2026-05-10", "2026-05-15")?;
        let closed_late = register(conn, "03/01/2025", "Anne Roux", "letter")?;
        settle(conn, closed_late, "closed", "appeals_committee", "2025-06-20", "2025-09-01")?;
        conn.execute("UPDATE complaints SET committee_outcome = 'suspension' WHERE id = ?1", params![closed_late])?;
        conn.execute(
            "UPDATE deadlines SET justified_on = '2025-07-01' WHERE complaint_id = ?1 AND clock = 'overall'",
            params![closed_late],
        )?;
        let legacy = register(conn, "10/03/2026", "x", "letter")?;
        conn.execute(
            "UPDATE complaints SET legacy_reference = 'ANC-2019/12', step = 'with_investigator' WHERE id = ?1",
            params![legacy],
        )?;
        conn.execute(
            "UPDATE complainants SET name = '=HYPERLINK(\"http://x\",\"y\")'
             WHERE id = (SELECT complainant_id FROM complaints WHERE id = ?1)",
            params![legacy],
        )?;
        conn.execute("UPDATE firms SET number = '+33 1234', name = '@SUM(A1)' WHERE id = 1", [])?;
        let months = crate::store::settings::deadlines(conn)?.overall_months;
        let due = |y, m, d| deadlines::deadline(day(y, m, d), months).due.to_string();
        let firm = ["@SUM(A1)", "+33 1234", "73282932000074"];
        let row = |reference: &str,
                   legacy: &str,
                   received: String,
                   channel: &str,
                   complainant: &str,
                   step: &str,
                   decision: [&str; 3],
                   closed: [&str; 2],
                   due: String,
                   overrun: &str| {
            [
                reference.to_owned(),
                legacy.to_owned(),
                received,
                channel.to_owned(),
                "Déléguée Générale".to_owned(),
                complainant.to_owned(),
                "Client du qualifié".to_owned(),
                firm[0].to_owned(),
                firm[1].to_owned(),
                firm[2].to_owned(),
                "Prestations réalisées, Déontologie".to_owned(),
                step.to_owned(),
                decision[0].to_owned(),
                decision[1].to_owned(),
                decision[2].to_owned(),
                closed[0].to_owned(),
                closed[1].to_owned(),
                due,
                overrun.to_owned(),
            ]
        };
        // The register's order: by date of receipt.
        Ok(vec![
            row(
                "REC-2025-0001",
                "",
                "2025-01-03".into(),
                "Courrier simple",
                "Anne Roux",
                "Clôturée",
                ["Passage en commission de recours", "2025-06-20", "Suspension"],
                ["2025-09-01", "241"],
                due(2025, 1, 3),
                "oui, justifié",
            ),
            row(
                "REC-2026-0001",
                "",
                "2026-01-05".into(),
                "Courrier simple",
                "Claire Lefèvre",
                "Enregistrée",
                ["", "", ""],
                ["", ""],
                due(2026, 1, 5),
                "oui, non justifié",
            ),
            row(
                "REC-2026-0003",
                "",
                "2026-02-02".into(),
                "Courrier recommandé",
                "Paul Durand",
                "Clôturée",
                ["Classement sans suite", "2026-05-10", ""],
                ["2026-05-15", "102"],
                due(2026, 2, 2),
                "non",
            ),
            row(
                "REC-2026-0004",
                "ANC-2019/12",
                "2026-03-10".into(),
                "Courrier simple",
                "=HYPERLINK(\"http://x\",\"y\")",
                "Chez l'instructeur",
                ["", "", ""],
                ["", ""],
                due(2026, 3, 10),
                "oui, non justifié",
            ),
            row(
                "REC-2026-0002",
                "",
                "2026-10-01".into(),
                "Courriel",
                "Jean Martin",
                "Enregistrée",
                ["", "", ""],
                ["", ""],
                due(2026, 10, 1),
                "non",
            ),
        ])
    }

    /// A cell of the workbook as text: dates ISO (and only date cells), numbers without « .0 ».
    fn xlsx_cell(cell: &calamine::Data) -> String {
        use calamine::Data;
        match cell {
            Data::String(s) => s.clone(),
            Data::Float(f) => format!("{f}"),
            Data::Int(i) => i.to_string(),
            Data::DateTime(d) => {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                format!("{y:04}-{m:02}-{day:02}")
            }
            Data::Empty => String::new(),
            other => format!("?{other:?}"),
        }
    }

    fn read_xlsx(bytes: Vec<u8>) -> Result<(Vec<Vec<calamine::Data>>, usize)> {
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
            .map_err(|e: calamine::XlsxError| Error::Export(e.to_string()))?;
        let range = book.worksheet_range("Réclamations").map_err(|e| Error::Export(e.to_string()))?;
        let formulas = book.worksheet_formula("Réclamations").map_err(|e| Error::Export(e.to_string()))?;
        let n_formulas = formulas.used_cells().filter(|(_, _, f)| !f.is_empty()).count();
        Ok((range.rows().map(|r| r.to_vec()).collect(), n_formulas))
    }

    #[test]
    fn the_xlsx_read_back_is_the_register() -> Result<()> {
        let mut conn = open_in_memory()?;
        let expected = register_of_five(&mut conn)?;
        let (bytes, n) = to_xlsx(&conn, &Scope::All, today())?;
        assert_eq!(n, 5);
        let (rows, formulas) = read_xlsx(bytes)?;
        assert_eq!(formulas, 0, "no cell is a formula");
        assert_eq!(rows.len(), 6, "header and five complaints");
        let header: Vec<String> = rows[0].iter().map(xlsx_cell).collect();
        assert_eq!(header, HEADERS);
        for (got, want) in rows[1..].iter().zip(&expected) {
            let got: Vec<String> = got.iter().map(xlsx_cell).collect();
            assert_eq!(got, want.to_vec());
        }
        // Dates are date cells; text that looks like a formula is a string cell.
        for (col, is_date) in [(2, true), (13, true), (15, true), (17, true), (0, false)] {
            assert_eq!(matches!(rows[1][col], calamine::Data::DateTime(_)), is_date, "column {col}");
        }
        assert_eq!(rows[4][5], calamine::Data::String("=HYPERLINK(\"http://x\",\"y\")".into()));
        assert_eq!(rows[1][7], calamine::Data::String("@SUM(A1)".into()));
        assert_eq!(rows[1][16], calamine::Data::Float(241.0), "days to closure as a number");
        // A year: that year's complaints only.
        let (bytes, n) = to_xlsx(&conn, &Scope::Year { year: 2025 }, today())?;
        assert_eq!((n, read_xlsx(bytes)?.0.len()), (1, 2));
        Ok(())
    }

    #[test]
    fn the_csv_read_back_is_the_register_with_formulas_neutralised() -> Result<()> {
        let mut conn = open_in_memory()?;
        let expected = register_of_five(&mut conn)?;
        let (bytes, n) = to_csv(&conn, &Scope::All, today())?;
        assert_eq!(n, 5);
        let text = String::from_utf8(bytes).map_err(|e| Error::Export(e.to_string()))?;
        let body = text.strip_prefix('\u{feff}').ok_or_else(|| Error::Export("no BOM".into()))?;
        assert!(body.starts_with("Référence;Ancienne référence;Date de réception;"), "{body}");
        assert!(body.contains("\r\n") && !body.replace("\r\n", "").contains('\n'));
        let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(body.as_bytes());
        let headers: Vec<String> =
            reader.headers().map_err(|e| Error::Export(e.to_string()))?.iter().map(str::to_owned).collect();
        assert_eq!(headers, HEADERS);
        let records: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::Export(e.to_string()))?;
        assert_eq!(records.len(), 5);
        let fr = |iso: &str| parse_date(iso).map(format_fr).unwrap_or_default();
        for (got, want) in records.iter().zip(&expected) {
            let mut want = want.to_vec();
            for col in [2, 13, 15, 17] {
                want[col] = fr(&want[col]);
            }
            for cell in &mut want {
                if cell.starts_with(['=', '+', '@']) {
                    *cell = format!("'{cell}");
                }
            }
            assert_eq!(got, &want);
        }
        assert_eq!(records[0][7], "'@SUM(A1)");
        assert_eq!(records[0][2], "03/01/2025");
        Ok(())
    }

    /// The list's filters and sort: exactly the list's rows, every page, in its order.
    #[test]
    fn the_list_scope_gives_the_list_rows() -> Result<()> {
        let mut conn = open_in_memory()?;
        crate::fixtures::populate(&mut conn, 12, 300, today(), 7, |_| {})?;
        let common: String =
            conn.query_row("SELECT step FROM complaints GROUP BY step ORDER BY count(*) DESC LIMIT 1", [], |r| {
                r.get(0)
            })?;
        let queries = [
            ListQuery::default(),
            ListQuery { step: common, ..ListQuery::default() },
            ListQuery { year: Some(2020), sort: "firm".into(), ..ListQuery::default() },
            ListQuery { nature: "ethics".into(), sort: "complainant".into(), descending: true, ..ListQuery::default() },
            ListQuery { overdue_only: true, ..ListQuery::default() },
            ListQuery { text: "rec".into(), ..ListQuery::default() },
            ListQuery { text: "rec".into(), channel: "email".into(), sort: "reference".into(), ..ListQuery::default() },
            // The page the list was on does not matter.
            ListQuery { offset: 100, limit: 100, after_id: Some(5), sort: "step".into(), ..ListQuery::default() },
        ];
        for q in queries {
            let page = search::list(
                &conn,
                &ListQuery { offset: 0, limit: 500, from_id: None, after_id: None, before_id: None, ..q.clone() },
                today(),
            )?;
            assert!(page.total <= 500);
            let listed: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
            let exported: Vec<i64> =
                rows(&conn, &Scope::List { query: Box::new(q.clone()) }, today())?.iter().map(|r| r.id).collect();
            if q.text.is_empty() || !q.sort.is_empty() {
                assert_eq!(exported, listed, "{q:?}");
            } else {
                // Relevance: the same complaints (the ties of bm25 may fall either way).
                let (mut a, mut b) = (exported.clone(), listed.clone());
                a.sort_unstable();
                b.sort_unstable();
                assert_eq!(a, b, "{q:?}");
            }
            assert!(!exported.is_empty() || q.overdue_only, "{q:?}");
        }
        // A year, and the whole register: by date of receipt.
        let ids = |sql: &str| -> Result<Vec<i64>> {
            Ok(conn.prepare(sql)?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
        };
        let year: Vec<i64> = rows(&conn, &Scope::Year { year: 2020 }, today())?.iter().map(|r| r.id).collect();
        assert_eq!(year, ids("SELECT id FROM complaints WHERE received_on LIKE '2020-%' ORDER BY received_on, id")?);
        assert_eq!(rows(&conn, &Scope::All, today())?.len(), 300);
        Ok(())
    }

    /// The overrun as the complaint page and the « En retard » filter see it: the overall clock's
    /// notified due date, justified or not.
    #[test]
    fn the_overrun_follows_the_overall_clock() -> Result<()> {
        let mut conn = open_in_memory()?;
        crate::fixtures::populate(&mut conn, 5, 200, today(), 3, |_| {})?;
        for row in rows(&conn, &Scope::All, today())? {
            let (due, justified): (String, bool) = conn.query_row(
                "SELECT due_on, justified_on IS NOT NULL FROM deadlines WHERE complaint_id = ?1 AND clock = 'overall'
                 ORDER BY id LIMIT 1",
                params![row.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            assert_eq!(row.overall_due.to_string(), due);
            let end = row.closed_on.unwrap_or(today());
            let over = end > row.overall_due;
            let want = match (over, justified) {
                (false, _) => Overrun::No,
                (true, true) => Overrun::Justified,
                (true, false) => Overrun::Unjustified,
            };
            assert_eq!(row.overrun, want, "{}", row.reference);
            assert_eq!(row.handling_days.is_some(), row.closed_on.is_some());
        }
        Ok(())
    }

    #[test]
    fn names_and_extensions() {
        let dir = Path::new("/tmp/x");
        assert_eq!(with_extension(&dir.join("export"), Format::Csv), dir.join("export.csv"));
        assert_eq!(with_extension(&dir.join("a.XLSX"), Format::Xlsx), dir.join("a.XLSX"));
        assert_eq!(with_extension(&dir.join("a.csv"), Format::Xlsx), dir.join("a.csv.xlsx"));
        assert_eq!(file_name(&Scope::Year { year: 2026 }, Format::Xlsx, today()), "reclamations-2026.xlsx");
        assert_eq!(file_name(&Scope::All, Format::Csv, today()), "reclamations-registre-2026-11-28.csv");
    }

    #[test]
    fn a_scope_reads_from_the_ui() -> std::result::Result<(), serde_json::Error> {
        let s: Scope = serde_json::from_str(r#"{"kind":"list","query":{"step":"closed","year":2025}}"#)?;
        assert!(matches!(s, Scope::List { query } if query.step == "closed" && query.year == Some(2025)));
        assert!(matches!(serde_json::from_str::<Scope>(r#"{"kind":"year","year":2026}"#)?, Scope::Year { year: 2026 }));
        assert!(matches!(serde_json::from_str::<Scope>(r#"{"kind":"all"}"#)?, Scope::All));
        assert_eq!(serde_json::from_str::<Format>(r#""csv""#)?, Format::Csv);
        Ok(())
    }
}
