//! Downloads beside each table: CSV per table, one XLSX workbook and one JSON file per release.
//!
//! Figures are exact: CSV and JSON carry the decimal strings of the TOML ("-570", "0.01",
//! "-0.00"); nil is an empty CSV cell and a JSON `null`, not applicable is "N/A". A spreadsheet
//! number is by definition a binary double, so the workbook writes each figure's exact decimal as
//! the nearest double (exact for every figure of fifteen significant digits or fewer) with an
//! accounting number format; a loss per share that rounds to zero is written as the text
//! "(0.00)", since a spreadsheet has no negative zero.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};
use serde::Serialize;

use crate::content::Release;
use crate::error::{Error, Result};
use crate::finance::format::{NIL, NOT_APPLICABLE};
use crate::finance::{Cell, LineItem, Statement};

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
fn labelled_rows(table: &Statement) -> Vec<(String, &LineItem)> {
    let mut rows: Vec<(String, &LineItem)> =
        table.rows.iter().map(|r| (r.label.clone(), r)).collect();
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

fn push_csv_field(out: &mut String, text: &str) {
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
    match cell {
        Cell::Amount(a) if a.negative && !a.value.is_sign_negative() => format!("-{}", a.value),
        Cell::Amount(a) => a.value.to_string(),
        Cell::Nil | Cell::Missing => String::new(),
        Cell::NotApplicable => NOT_APPLICABLE.to_string(),
    }
}

/// RFC 4180 CSV: a header of the period labels with the units, then one line per row.
pub fn csv(table: &Statement) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("Line item,Row id");
    for period in &table.columns {
        out.push(',');
        push_csv_field(
            &mut out,
            &format!("{} ({})", period.long_label(), table.units),
        );
    }
    out.push_str("\r\n");
    for (label, row) in labelled_rows(table) {
        push_csv_field(&mut out, &label);
        out.push(',');
        push_csv_field(&mut out, &row.id);
        if row.values.is_empty() {
            out.extend(table.columns.iter().map(|_| ','));
        }
        for cell in &row.values {
            out.push(',');
            out.push_str(&exact(cell));
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
    figures: &'static str,
    tables: Vec<JsonTable<'a>>,
}

#[derive(Serialize)]
struct JsonTable<'a> {
    id: &'a str,
    title: &'a str,
    units: &'a str,
    non_gaap: bool,
    columns: Vec<JsonColumn>,
    rows: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonColumn {
    period: String,
    label: String,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    id: &'a str,
    label: String,
    kind: &'static str,
    non_gaap: bool,
    /// Exact decimal strings; `None` (null) is nil.
    values: Vec<Option<String>>,
}

/// Every figure of a release, for programs.
pub fn json(release: &Release, company: &str) -> String {
    let tables = release
        .tables
        .iter()
        .map(|table| JsonTable {
            id: &table.id,
            title: &table.title,
            units: &table.units,
            non_gaap: table.non_gaap,
            columns: table
                .columns
                .iter()
                .map(|p| JsonColumn {
                    period: p.to_string(),
                    label: p.long_label(),
                })
                .collect(),
            rows: labelled_rows(table)
                .into_iter()
                .map(|(label, row)| JsonRow {
                    id: &row.id,
                    label,
                    kind: row.kind.name(),
                    non_gaap: row.non_gaap,
                    values: row
                        .values
                        .iter()
                        .map(|c| (*c != Cell::Nil).then(|| exact(c)))
                        .collect(),
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
        figures: "exact decimal strings; null is nil, \"N/A\" is not applicable",
        tables,
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// A sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(id: &str) -> String {
    id.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// The accounting format for a figure with `places` decimals: thousands separators,
/// negatives in parentheses, zero as a dash.
fn accounting(places: u32) -> String {
    let digits = if places == 0 {
        "#,##0".to_string()
    } else {
        format!("#,##0.{}", "0".repeat(places as usize))
    };
    format!("_(* {digits}_);_(* ({digits});_(* \"-\"??_);_(@_)")
}

fn xlsx_error(release: &Release, e: XlsxError) -> Error {
    Error::Output(format!(
        "cannot write the workbook for {}: {e}",
        release.source.display()
    ))
}

/// One workbook, a sheet per table, figures as numbers in accounting format.
pub fn xlsx(release: &Release, company: &str) -> Result<Vec<u8>> {
    let fail = |e| xlsx_error(release, e);
    let mut workbook = Workbook::new();
    // A workbook of a few tables compresses almost as well at the fastest level.
    workbook.set_zip_compression_level(1);
    // Spreadsheets date from 1900; an older release is stamped with the earliest date they know.
    let created = ExcelDateTime::from_ymd(
        u16::try_from(release.date.year.max(1900)).unwrap_or(1900),
        release.date.month,
        release.date.day,
    )
    .map_err(fail)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&release.title)
            .set_company(company)
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let italic = Format::new().set_italic();
    let header = Format::new().set_bold().set_align(FormatAlign::Right);
    let text_figure = Format::new().set_align(FormatAlign::Right);
    for table in &release.tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&table.id)).map_err(fail)?;
        sheet
            .write_string_with_format(0, 0, &table.title, &bold)
            .map_err(fail)?;
        sheet
            .write_string_with_format(1, 0, format!("({})", table.units), &italic)
            .map_err(fail)?;
        sheet.set_column_width(0, 60).map_err(fail)?;
        for (c, period) in table.columns.iter().enumerate() {
            let col = u16::try_from(c + 1).unwrap_or(u16::MAX);
            sheet
                .write_string_with_format(3, col, period.long_label(), &header)
                .map_err(fail)?;
            sheet.set_column_width(col, 34).map_err(fail)?;
        }
        for (r, (label, row)) in labelled_rows(table).iter().enumerate() {
            let line = u32::try_from(r + 4).unwrap_or(u32::MAX);
            let indent = "  ".repeat(usize::from(row.indent));
            let label_format = if row.values.is_empty() {
                &bold
            } else {
                &Format::new()
            };
            sheet
                .write_string_with_format(line, 0, format!("{indent}{label}"), label_format)
                .map_err(fail)?;
            for (c, cell) in row.values.iter().enumerate() {
                let col = u16::try_from(c + 1).unwrap_or(u16::MAX);
                match cell {
                    Cell::Amount(a) if a.value.is_zero() && a.negative => {
                        let text = format!("({})", a.value.abs());
                        sheet
                            .write_string_with_format(line, col, text, &text_figure)
                            .map_err(fail)?;
                    }
                    Cell::Amount(a) => {
                        let format = Format::new().set_num_format(accounting(a.value.scale()));
                        let number = a.value.to_f64().unwrap_or(f64::NAN);
                        sheet
                            .write_number_with_format(line, col, number, &format)
                            .map_err(fail)?;
                    }
                    Cell::Nil => {
                        sheet
                            .write_string_with_format(line, col, NIL, &text_figure)
                            .map_err(fail)?;
                    }
                    Cell::Missing => {}
                    Cell::NotApplicable => {
                        sheet
                            .write_string_with_format(line, col, NOT_APPLICABLE, &text_figure)
                            .map_err(fail)?;
                    }
                }
            }
        }
    }
    workbook.save_to_buffer().map_err(fail)
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
    fn exact_figures_keep_their_sign_and_places() {
        let cell = |s: &str| s.parse::<Cell>().unwrap();
        assert_eq!(exact(&cell("-570")), "-570");
        assert_eq!(exact(&cell("-0.00")), "-0.00");
        assert_eq!(exact(&cell("0.10")), "0.10");
        assert_eq!(exact(&cell("nil")), "");
        assert_eq!(exact(&cell("N/A")), "N/A");
    }

    #[test]
    fn accounting_formats_put_negatives_in_parentheses() {
        assert_eq!(accounting(0), "_(* #,##0_);_(* (#,##0);_(* \"-\"??_);_(@_)");
        assert!(accounting(2).contains("#,##0.00"));
        assert_eq!(
            sheet_name("reconciliation-adjusted-ebitda-and-more-words"),
            "reconciliation-adjusted-ebitda-"
        );
    }
}
