//! The view of a statement that templates lay out: every figure already formatted.

use serde::Serialize;

use crate::finance::format::format_cell;
use crate::finance::period::column_headers;
use crate::finance::{Cell, LineItem, Statement};

#[derive(Debug, Serialize)]
pub struct StatementView {
    /// The table id, also its anchor.
    pub id: String,
    pub entity: String,
    pub title: String,
    pub units: String,
    pub non_gaap: bool,
    /// A header spanning every column ("Three months ended March 31,"), if the periods share one.
    pub group_header: Option<String>,
    pub columns: Vec<ColumnView>,
    pub rows: Vec<RowView>,
    pub footnotes: Vec<FootnoteView>,
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
pub struct RowView {
    /// The HTML id: "<table>-<row>".
    pub anchor: String,
    pub id: String,
    pub label: String,
    pub kind: &'static str,
    pub indent: u8,
    pub non_gaap: bool,
    pub notes: Vec<NoteRef>,
    /// Empty for a heading or a row without figures.
    pub cells: Vec<CellView>,
}

#[derive(Debug, Serialize)]
pub struct NoteRef {
    pub marker: String,
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
pub struct FootnoteView {
    pub marker: String,
    pub anchor: String,
    pub text: String,
    pub rows: Vec<RowView>,
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

fn row_views(table: &str, rows: &[LineItem]) -> Vec<RowView> {
    let mut seen_figures = false;
    rows.iter()
        .map(|row| {
            let first_with_figures = !seen_figures && !row.values.is_empty();
            seen_figures |= !row.values.is_empty();
            let currency = row.shows_currency(first_with_figures);
            RowView {
                anchor: format!("{table}-{}", row.id),
                id: row.id.clone(),
                label: row.label.clone(),
                kind: row.kind.name(),
                indent: row.indent,
                non_gaap: row.non_gaap,
                notes: row
                    .notes
                    .iter()
                    .map(|m| NoteRef {
                        marker: m.clone(),
                        href: format!("#{}", note_anchor(table, m)),
                    })
                    .collect(),
                cells: row.values.iter().map(|c| cell_view(c, currency)).collect(),
            }
        })
        .collect()
}

/// Builds the view of `statement`, issued by `entity`.
pub fn statement_view(
    statement: &Statement,
    entity: &str,
    csv: String,
    base_url: &str,
) -> StatementView {
    let headers = column_headers(&statement.columns);
    StatementView {
        id: statement.id.clone(),
        entity: entity.to_string(),
        title: statement.title.clone(),
        units: statement.units.clone(),
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
                marker: f.marker.clone(),
                anchor: note_anchor(&statement.id, &f.marker),
                text: f.text.clone(),
                rows: row_views(&statement.id, &f.rows),
            })
            .collect(),
        csv_url: format!("{base_url}{csv}"),
        csv,
    }
}
