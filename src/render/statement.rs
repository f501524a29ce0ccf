//! The view of a statement that templates lay out: every figure already formatted.

use serde::Serialize;

use crate::finance::format::format_cell;
use crate::finance::period::column_headers;
use crate::finance::{Cell, LineItem, Statement};

#[derive(Debug, Serialize)]
pub struct StatementView<'a> {
    /// The table id, also its anchor.
    pub id: &'a str,
    pub entity: &'a str,
    pub title: &'a str,
    pub units: &'a str,
    pub non_gaap: bool,
    /// A header spanning every column ("Three months ended March 31,"), if the periods share one.
    pub group_header: Option<String>,
    pub columns: Vec<ColumnView>,
    pub rows: Vec<RowView<'a>>,
    pub footnotes: Vec<FootnoteView<'a>>,
    /// The table as CSV: its path from the site root, and its absolute URL for print.
    pub csv: String,
    pub csv_url: String,
}

#[derive(Debug, Serialize)]
pub struct ColumnView {
    pub header: String,
    /// The full period, for screen readers and tooltips ("Three months ended March 31, 2006").
    pub period: String,
}

#[derive(Debug, Serialize)]
pub struct RowView<'a> {
    /// The HTML id: "<table>-<row>".
    pub anchor: String,
    pub id: &'a str,
    pub label: &'a str,
    pub kind: &'static str,
    pub indent: u8,
    pub non_gaap: bool,
    pub notes: Vec<NoteRef<'a>>,
    /// Empty for a heading or a row without figures.
    pub cells: Vec<CellView>,
}

#[derive(Debug, Serialize)]
pub struct NoteRef<'a> {
    pub marker: &'a str,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct CellView {
    pub text: String,
    pub currency: bool,
    /// "amount", "negative", "nil" or "na": the CSS class that aligns it.
    pub class: &'static str,
}

#[derive(Debug, Serialize)]
pub struct FootnoteView<'a> {
    pub marker: &'a str,
    pub anchor: String,
    pub text: &'a str,
    pub rows: Vec<RowView<'a>>,
}

fn note_anchor(table: &str, marker: &str) -> String {
    format!("{table}-note-{marker}")
}

fn cell_view(cell: &Cell, currency: bool) -> CellView {
    let class = match cell {
        Cell::Amount(a) if a.negative => "negative",
        Cell::Amount(_) => "amount",
        Cell::Nil => "nil",
        Cell::NotApplicable => "na",
        Cell::Missing => "missing",
    };
    CellView {
        text: format_cell(cell),
        currency,
        class,
    }
}

fn row_views<'a>(table: &str, rows: &'a [LineItem]) -> Vec<RowView<'a>> {
    let mut seen_figures = false;
    rows.iter()
        .map(|row| {
            let first_with_figures = !seen_figures && !row.values.is_empty();
            seen_figures |= !row.values.is_empty();
            let currency = row.shows_currency(first_with_figures);
            RowView {
                anchor: format!("{table}-{}", row.id),
                id: &row.id,
                label: &row.label,
                kind: row.kind.name(),
                indent: row.indent,
                non_gaap: row.non_gaap,
                notes: row
                    .notes
                    .iter()
                    .map(|m| NoteRef {
                        marker: m,
                        href: format!("#{}", note_anchor(table, m)),
                    })
                    .collect(),
                cells: row.values.iter().map(|c| cell_view(c, currency)).collect(),
            }
        })
        .collect()
}

/// Builds the view of `statement`, issued by `entity`.
pub fn statement_view<'a>(
    statement: &'a Statement,
    entity: &'a str,
    csv: String,
    base_url: &str,
) -> StatementView<'a> {
    let headers = column_headers(&statement.columns);
    StatementView {
        id: &statement.id,
        entity,
        title: &statement.title,
        units: &statement.units,
        non_gaap: statement.non_gaap,
        group_header: headers.group,
        columns: headers
            .columns
            .into_iter()
            .zip(&statement.columns)
            .map(|(header, period)| ColumnView {
                header,
                period: period.long_label(),
            })
            .collect(),
        rows: row_views(&statement.id, &statement.rows),
        footnotes: statement
            .footnotes
            .iter()
            .map(|f| FootnoteView {
                marker: &f.marker,
                anchor: note_anchor(&statement.id, &f.marker),
                text: &f.text,
                rows: row_views(&statement.id, &f.rows),
            })
            .collect(),
        csv_url: format!("{base_url}{csv}"),
        csv,
    }
}
