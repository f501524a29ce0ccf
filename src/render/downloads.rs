//! Downloads beside each table: CSV per table and one JSON file per release (the XLSX workbook
//! is [`super::xlsx`]), with the paths of all three.
//!
//! Figures are exact: CSV and JSON carry the decimal strings of the TOML ("-570", "0.01",
//! "-0.00"), a percent as written with its "%" ("8.0%", "-3%": a spreadsheet opening the CSV
//! reads it as the ratio 0.080, as the workbook holds it), a not-meaningful marker as written
//! ("NM"), not applicable as "N/A". Nil is a JSON `null` and a blank cell a JSON `""`; the CSV
//! writes both as an empty field, as a spreadsheet holds them. A CSV text cell that a
//! spreadsheet would run as a formula starts with an apostrophe (OWASP).
//!
//! Each row says what its figures are: the CSV's "Unit" column ("thousands of USD", "USD per
//! share", "thousands of shares", "percent"). The JSON gives the release's `currency`, each
//! table's `scale` and `unit` (what its amounts are), and a row's `unit`, `measure` and `scale`
//! only where the row differs from the table's amounts (share counts, per-share amounts,
//! percent rows): a row without them is an amount of the table's. That keeps the JSON as small
//! as it was for the tables where nothing differs.

use serde::Serialize;

use crate::content::Release;
use crate::finance::format::{NOT_APPLICABLE, push_exact};
use crate::finance::{Amount, Cell, Currency, LineItem, RowMeasure, Statement};

/// Each measure's words for a download ("thousands of USD"), made once per table rather than
/// once per row.
pub(super) struct UnitWords<'c> {
    code: &'c str,
    made: Vec<(RowMeasure, String)>,
}

impl<'c> UnitWords<'c> {
    pub(super) fn new(code: &'c str) -> Self {
        UnitWords {
            code,
            made: Vec::new(),
        }
    }

    pub(super) fn of(&mut self, measure: RowMeasure) -> &str {
        let at = match self.made.iter().position(|(m, _)| *m == measure) {
            Some(at) => at,
            None => {
                self.made.push((measure, measure.describe(self.code)));
                self.made.len() - 1
            }
        };
        &self.made[at].1
    }
}

/// Where a release's downloads live, relative to the site root.
pub fn csv_path(release: &Release, table: &Statement) -> String {
    format!("releases/{}/{}.csv", release.slug, table.id)
}

pub fn xlsx_path(release: &Release) -> String {
    format!(
        "releases/{}/{}-financial-tables.xlsx",
        release.slug, release.slug
    )
}

pub fn json_path(release: &Release) -> String {
    format!("releases/{}/figures.json", release.slug)
}

/// A table's rows, footnote rows after the statement's, with the label a reader sees.
pub(super) fn labelled_rows(table: &Statement) -> Vec<(String, &LineItem)> {
    let mut rows: Vec<(String, &LineItem)> = table
        .rows
        .iter()
        .map(|r| (r.label.to_string(), r))
        .collect();
    for note in &table.footnotes {
        rows.extend(
            note.rows
                .iter()
                .map(|r| (format!("({}) {}", note.marker, r.label), r)),
        );
    }
    rows
}

#[cfg(test)]
fn csv_field(text: &str) -> String {
    let mut out = String::new();
    push_csv_field(&mut out, text);
    out
}

/// The first characters that make a spreadsheet program read a cell as a formula: OWASP's
/// "CSV injection" list (`=`, `+`, `-`, `@`, tab, carriage return), with line feed and NUL
/// (OWASP ASVS 1.2.10) and the full-width forms some locales also accept.
const FORMULA_STARTS: &[char] = &[
    '=', '+', '-', '@', '\t', '\r', '\n', '\0', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// A text cell (a label, an id, a header), never a figure: one that a spreadsheet would read as
/// a formula gets OWASP's leading apostrophe, which spreadsheets show as text and hide; then
/// RFC 4180 quoting.
fn push_csv_field(out: &mut String, text: &str) {
    let neutralised;
    let text = if text.starts_with(FORMULA_STARTS) {
        neutralised = format!("'{text}");
        neutralised.as_str()
    } else {
        text
    };
    if text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

fn exact(cell: &Cell) -> String {
    let mut out = String::new();
    push_exact_cell(&mut out, cell);
    out
}

/// A figure with every digit it was reported with, and its sign ("-0.00" stays negative); a
/// percent with its "%", a marker as written; nothing for nil or blank.
fn push_exact_cell(out: &mut String, cell: &Cell) {
    let push_signed = |out: &mut String, a: &Amount| {
        if a.negative && !a.value.is_sign_negative() {
            out.push('-');
        }
        push_exact(out, a.value);
    };
    match cell {
        Cell::Amount(a) => push_signed(out, a),
        Cell::Percent(p) => {
            push_signed(out, p);
            out.push('%');
        }
        Cell::Nil | Cell::Blank | Cell::Missing => {}
        Cell::NotApplicable => out.push_str(NOT_APPLICABLE),
        Cell::NotMeaningful(marker) => out.push_str(marker),
    }
}

/// RFC 4180 CSV: a header of the period labels with the units, then one line per row: its
/// label, id, unit and figures.
pub fn csv(table: &Statement, currency: &Currency) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("Line item,Row id,Unit");
    for period in &table.columns {
        out.push(',');
        push_csv_field(
            &mut out,
            &format!("{} ({})", table.column_label(period), table.units),
        );
    }
    out.push_str("\r\n");
    let mut units = UnitWords::new(&currency.code);
    for (label, row) in labelled_rows(table) {
        push_csv_field(&mut out, &label);
        out.push(',');
        push_csv_field(&mut out, &row.id);
        out.push(',');
        if !row.values.is_empty() {
            push_csv_field(&mut out, units.of(table.measure(row)));
        }
        if row.values.is_empty() {
            out.extend(table.columns.iter().map(|_| ','));
        }
        for cell in &row.values {
            out.push(',');
            push_exact_cell(&mut out, cell);
        }
        out.push_str("\r\n");
    }
    out
}

#[derive(Serialize)]
struct JsonRelease<'a> {
    company: &'a str,
    release: &'a str,
    title: &'a str,
    date: String,
    period: String,
    /// The first and last day of the release's period.
    period_start: String,
    period_end: String,
    /// The reporting currency's ISO 4217 code.
    currency: &'a str,
    figures: &'static str,
    tables: Vec<JsonTable<'a>>,
}

#[derive(Serialize)]
struct JsonTable<'a> {
    id: &'a str,
    title: &'a str,
    units: &'a str,
    /// "actual", "thousands", "millions" or "billions": the scale of its amounts.
    scale: &'static str,
    /// What its amounts are, in words: "thousands of USD".
    unit: String,
    non_gaap: bool,
    columns: Vec<JsonColumn>,
    rows: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonColumn {
    period: String,
    label: String,
    /// The first and last day of a period of time, as the fiscal calendar places it.
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    /// The date of a balance-sheet column.
    #[serde(skip_serializing_if = "Option::is_none")]
    instant: Option<String>,
    /// Present, and true, only for a column that restates an earlier release's figures.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    restated: bool,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    id: &'a str,
    label: String,
    kind: &'static str,
    /// What its figures are, in words ("thousands of shares"); absent for a row of amounts of
    /// its table's (and a row without figures).
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    /// "currency", "per_share", "shares", "count" or "percent".
    #[serde(skip_serializing_if = "Option::is_none")]
    measure: Option<&'static str>,
    /// The scale of its figures ("actual" for per-share amounts and percentages).
    #[serde(skip_serializing_if = "Option::is_none")]
    scale: Option<&'static str>,
    non_gaap: bool,
    /// Exact decimal strings, percents ending in "%", markers as written; `None` (null) is
    /// nil and `""` a blank cell.
    values: Vec<Option<String>>,
}

/// What `figures.json` says of its values, for programs.
const FIGURES: &str = "exact decimal strings; a percent ends in \"%\" (\"8.0%\" is the ratio \
     0.080); null is nil, \"N/A\" is not applicable, \"NM\", \"N/M\", \"nm\", \"n/m\", \"n.m.\", \
     \"N.M.\", \"NMF\", \"*\" and \"**\" are not meaningful, \"\" is a cell left blank";

/// Every figure of a release, for programs.
pub fn json(release: &Release, company: &str, currency: &Currency) -> String {
    let tables = release
        .tables
        .iter()
        .map(|table| JsonTable {
            id: &table.id,
            title: &table.title,
            units: &table.units,
            scale: table.scale.name(),
            unit: RowMeasure::Currency(table.scale).describe(&currency.code),
            non_gaap: table.non_gaap,
            columns: table
                .columns
                .iter()
                .map(|p| JsonColumn {
                    period: p.to_string(),
                    label: table.column_label(p),
                    start: (!p.is_instant()).then(|| p.start().iso()),
                    end: (!p.is_instant()).then(|| p.end().iso()),
                    instant: p.is_instant().then(|| p.end().iso()),
                    restated: table.restated.contains(p),
                })
                .collect(),
            rows: labelled_rows(table)
                .into_iter()
                .map(|(label, row)| {
                    let measure = table.measure(row);
                    let differs = (!row.values.is_empty()
                        && measure != RowMeasure::Currency(table.scale))
                    .then_some(measure);
                    JsonRow {
                        id: &row.id,
                        label,
                        kind: row.kind.name(),
                        unit: differs.map(|m| m.describe(&currency.code)),
                        measure: differs.map(RowMeasure::unit_name),
                        scale: differs.map(|m| m.scale().name()),
                        non_gaap: row.non_gaap,
                        values: row
                            .values
                            .iter()
                            .map(|c| (*c != Cell::Nil).then(|| exact(c)))
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let document = JsonRelease {
        company,
        release: &release.slug,
        title: &release.title,
        date: release.date.iso(),
        period: release.period.to_string(),
        period_start: release.period.start().iso(),
        period_end: release.period.end().iso(),
        currency: &currency.code,
        figures: FIGURES,
        tables,
    };
    let mut text = serde_json::to_string(&document).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("Revenue"), "Revenue");
        assert_eq!(
            csv_field("Accounts receivable, net of allowance of $711"),
            "\"Accounts receivable, net of allowance of $711\""
        );
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn text_that_would_start_a_formula_gets_an_apostrophe() {
        assert_eq!(csv_field("=1+2"), "'=1+2");
        assert_eq!(csv_field("-Other, net"), "\"'-Other, net\"");
        assert_eq!(csv_field("\u{FF1D}1+2"), "'\u{FF1D}1+2");
        assert_eq!(csv_field("\rX"), "\"'\rX\"");
        assert_eq!(csv_field("Net loss (income)"), "Net loss (income)");
        assert_eq!(csv_field("Revenue = sales"), "Revenue = sales");
    }

    #[test]
    fn the_json_names_every_not_meaningful_marker() {
        for marker in crate::finance::amount::NOT_MEANINGFUL {
            assert!(FIGURES.contains(&format!("\"{marker}\"")), "{marker}");
        }
    }

    #[test]
    fn exact_figures_keep_their_sign_and_places() {
        let cell = |s: &str| s.parse::<Cell>().unwrap();
        assert_eq!(exact(&cell("-570")), "-570");
        assert_eq!(exact(&cell("-0.00")), "-0.00");
        assert_eq!(exact(&cell("0.10")), "0.10");
        assert_eq!(exact(&cell("nil")), "");
        assert_eq!(exact(&cell("N/A")), "N/A");
        assert_eq!(exact(&cell("8.0%")), "8.0%");
        assert_eq!(exact(&cell("-3%")), "-3%");
        assert_eq!(exact(&cell("-0.0%")), "-0.0%");
        assert_eq!(exact(&cell("n/m")), "n/m");
        assert_eq!(exact(&cell("blank")), "");
    }
}
