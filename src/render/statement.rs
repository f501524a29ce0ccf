//! The view of a statement that templates lay out: every figure already formatted.

use serde::Serialize;

use super::push_escaped_html as push_escaped;
use crate::finance::format::{format_cell, push_digits};
use crate::finance::period::{Period, column_headers};
use crate::finance::{Cell, LineItem, Statement};

#[derive(Debug, Serialize)]
pub struct StatementView<'a> {
    /// The table id, also its anchor.
    pub id: &'a str,
    pub entity: &'a str,
    pub title: &'a str,
    /// The footnotes the title refers to, marked after it.
    pub title_notes: Vec<NoteRef<'a>>,
    pub units: &'a str,
    pub non_gaap: bool,
    /// A header spanning every column ("Three months ended March 31,"), if the periods share
    /// exactly one (kept for templates written before `column_groups`).
    pub group_header: Option<String>,
    /// Spanning headers over runs of columns, left to right, covering every column ("Three
    /// months ended June 26," over two, "Nine months ended June 26," over two); empty when none.
    pub column_groups: Vec<ColumnGroupView>,
    pub columns: Vec<ColumnView>,
    pub rows: Vec<RowView<'a>>,
    pub footnotes: Vec<FootnoteView<'a>>,
    /// The table as CSV: its path from the site root, and its absolute URL for print.
    pub csv: String,
    pub csv_url: String,
}

#[derive(Debug, Serialize)]
pub struct ColumnGroupView {
    /// Empty over columns that share no header.
    pub label: String,
    pub span: usize,
}

#[derive(Debug, Serialize)]
pub struct ColumnView {
    pub header: String,
    /// The header a phone shows instead, where it is shorter ("Q1 2006" for "March 31, 2006"
    /// under "Three months ended"); the full header stays in the page for screen readers.
    pub compact: Option<String>,
    /// The full period, for screen readers and tooltips ("Three months ended March 31, 2006"),
    /// with ", as restated" for a restated column.
    pub period: String,
    /// Whether the column restates what an earlier release reported for the period.
    pub restated: bool,
}

#[derive(Debug, Serialize)]
pub struct RowView<'a> {
    /// The HTML id: `<table>-<row>`.
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
    /// The CSS class that aligns it: "amount", "negative", "percent", "negative percent",
    /// "nil", "na", "nm" (not meaningful) or "blank".
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

/// The markers of `notes`, each linked to its footnote in `table`.
fn note_refs<'a>(table: &str, notes: &'a [String]) -> Vec<NoteRef<'a>> {
    notes
        .iter()
        .map(|m| NoteRef {
            marker: m,
            href: format!("#{}", note_anchor(table, m)),
        })
        .collect()
}

fn cell_view(cell: &Cell, currency: bool) -> CellView {
    let class = match cell {
        Cell::Amount(a) if a.negative => "negative",
        Cell::Amount(_) => "amount",
        Cell::Percent(p) if p.negative => "negative percent",
        Cell::Percent(_) => "percent",
        Cell::Nil => "nil",
        Cell::NotApplicable => "na",
        Cell::NotMeaningful(_) => "nm",
        Cell::Blank => "blank",
        Cell::Missing => "missing",
    };
    // A "$" belongs to amounts (and to nil and N/A in their place), never to a not-meaningful
    // marker or an empty cell. A percent never has one because its row is a percent row
    // (`LineItem::shows_currency`).
    let currency = currency && !matches!(cell, Cell::NotMeaningful(_) | Cell::Blank);
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
            // The "$" of the first row goes on the first row of money: a row of percents or
            // markers above it (a margin, a growth rate) takes none, so it passes down.
            let money = row
                .values
                .iter()
                .any(|c| matches!(c, Cell::Amount(_) | Cell::Nil | Cell::NotApplicable));
            let first_with_figures = !seen_figures && money;
            seen_figures |= money;
            let currency = row.shows_currency(first_with_figures);
            RowView {
                anchor: format!("{table}-{}", row.id),
                id: &row.id,
                label: &row.label,
                kind: row.kind.name(),
                indent: row.indent,
                non_gaap: row.non_gaap,
                notes: note_refs(table, &row.notes),
                cells: row.values.iter().map(|c| cell_view(c, currency)).collect(),
            }
        })
        .collect()
}

/// A column's header as a phone shows it, if shorter than `header`: the period's short label
/// ("Q1 2006", "FY 2005", "Q3 FY2004") or, for a balance-sheet date, the date as the AP
/// stylebook abbreviates it ("Dec. 31, 2005"). A year under a spanning header ("2006") is
/// already as short as it gets.
fn compact_header(period: &Period, header: &str) -> Option<String> {
    let compact = if period.is_instant() {
        period.end().abbreviated()
    } else {
        period.short_label()
    };
    (compact.chars().count() < header.chars().count()).then_some(compact)
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
        title_notes: note_refs(&statement.id, &statement.title_notes),
        units: &statement.units,
        non_gaap: statement.non_gaap,
        group_header: headers.single_group().map(str::to_string),
        column_groups: headers
            .groups
            .into_iter()
            .map(|g| ColumnGroupView {
                label: g.label,
                span: g.span,
            })
            .collect(),
        columns: headers
            .columns
            .into_iter()
            .zip(&statement.columns)
            .map(|(header, period)| ColumnView {
                compact: compact_header(period, &header),
                header,
                period: statement.column_label(period),
                restated: statement.restated.contains(period),
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

/// The bundled partials that lay out a statement. A site whose `templates/partials/` still holds
/// exactly these gets its statements from [`render_statement`], which writes the same bytes
/// without a template call per row; a site that changed any of them is laid out by its own
/// templates.
pub const BUNDLED_PARTIALS: [(&str, &str); 3] = [
    (
        "partials/statement.html",
        include_str!("../../templates/partials/statement.html"),
    ),
    (
        "partials/statement-head.html",
        include_str!("../../templates/partials/statement-head.html"),
    ),
    (
        "partials/row.html",
        include_str!("../../templates/partials/row.html"),
    ),
];

/// Lays out `statement` as the bundled `partials/statement.html` does, `root` being the path
/// from the page to the site root. A test renders the example site both ways and compares.
pub fn render_statement(statement: &StatementView, root: &str) -> String {
    let mut html = String::with_capacity(4096 + 512 * statement.rows.len());
    let id = statement.id;
    html.push_str("<div class=\"statement");
    if statement.non_gaap {
        html.push_str(" non-gaap");
    }
    html.push_str("\" id=\"");
    push_escaped(&mut html, id);
    html.push_str("\">\n");
    let mut caption = String::from("<span class=\"entity\">");
    push_escaped(&mut caption, statement.entity);
    caption.push_str("</span> <span class=\"statement-title\">");
    push_escaped(&mut caption, statement.title);
    push_note_refs(&mut caption, &statement.title_notes);
    caption.push_str("</span> <span class=\"units\">(");
    push_escaped(&mut caption, statement.units);
    caption.push_str(")</span>");
    push_table(
        &mut html,
        statement,
        id,
        ("fin", ""),
        &caption,
        &statement.rows,
    );
    for note in &statement.footnotes {
        html.push_str("<div class=\"footnote\" id=\"");
        push_escaped(&mut html, &note.anchor);
        html.push_str("\">\n<p><span class=\"marker\">(");
        push_escaped(&mut html, note.marker);
        html.push_str(")</span> ");
        push_escaped(&mut html, note.text);
        html.push_str("</p>\n");
        if !note.rows.is_empty() {
            let mut caption = String::from("Footnote (");
            push_escaped(&mut caption, note.marker);
            caption.push_str(") to ");
            push_escaped(&mut caption, statement.title);
            caption.push_str(": ");
            push_escaped(&mut caption, note.text);
            let classes = ("fin note-table", " class=\"visually-hidden\"");
            push_table(
                &mut html,
                statement,
                &note.anchor,
                classes,
                &caption,
                &note.rows,
            );
        }
        html.push_str("</div>\n");
    }
    html.push_str("<p class=\"table-downloads\"><a class=\"download\" href=\"");
    push_escaped(&mut html, root);
    push_escaped(&mut html, &statement.csv);
    html.push_str("\" data-url=\"");
    push_escaped(&mut html, &statement.csv_url);
    html.push_str("\">Download <span class=\"visually-hidden\">");
    push_escaped(&mut html, statement.title);
    html.push_str(" </span>as CSV</a></p>\n</div>\n");
    html
}

/// A table in its labelled scrolling region: `anchor` names its caption, `classes` are the
/// table's class and the caption's further attributes, `caption` is markup.
fn push_table(
    html: &mut String,
    statement: &StatementView,
    anchor: &str,
    (table_class, caption_attributes): (&str, &str),
    caption: &str,
    rows: &[RowView],
) {
    html.push_str("<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"");
    push_escaped(html, anchor);
    html.push_str("-caption\" tabindex=\"0\">\n<table class=\"");
    html.push_str(table_class);
    html.push_str("\">\n<caption id=\"");
    push_escaped(html, anchor);
    html.push_str("-caption\"");
    html.push_str(caption_attributes);
    html.push('>');
    html.push_str(caption);
    html.push_str("</caption>\n");
    push_head(html, statement);
    html.push_str("\n<tbody>\n");
    push_rows(html, statement, rows);
    html.push_str("</tbody>\n</table>\n</div>\n");
}

/// `partials/statement-head.html`.
fn push_head(html: &mut String, statement: &StatementView) {
    html.push_str("<thead>\n");
    if !statement.column_groups.is_empty() {
        html.push_str("<tr><td class=\"corner\"></td>");
        for group in &statement.column_groups {
            if group.label.is_empty() {
                html.push_str("<td colspan=\"");
                push_digits(html, group.span as u64);
                html.push_str("\"></td>");
            } else {
                html.push_str("<th scope=\"colgroup\" colspan=\"");
                push_digits(html, group.span as u64);
                html.push_str("\">");
                push_escaped(html, &group.label);
                html.push_str("</th>");
            }
        }
        html.push_str("</tr>\n");
    }
    html.push_str("<tr><td class=\"corner\"></td>");
    for column in &statement.columns {
        html.push_str("<th scope=\"col\" title=\"");
        push_escaped(html, &column.period);
        html.push_str("\">");
        match &column.compact {
            Some(compact) => {
                html.push_str("<span class=\"full\">");
                push_escaped(html, &column.header);
                html.push_str("</span><span class=\"compact\" aria-hidden=\"true\">");
                push_escaped(html, compact);
                html.push_str("</span>");
            }
            None => push_escaped(html, &column.header),
        }
        if column.restated {
            html.push_str("<span class=\"restated\">As restated</span>");
        }
        html.push_str("</th>");
    }
    html.push_str("</tr>\n</thead>\n");
}

/// The footnote markers after a label or title, as `partials/row.html` writes them.
fn push_note_refs(html: &mut String, notes: &[NoteRef]) {
    for note in notes {
        html.push_str("<sup class=\"note-ref\"><a href=\"");
        push_escaped(html, &note.href);
        html.push_str("\">(");
        push_escaped(html, note.marker);
        html.push_str(")</a></sup>");
    }
}

/// `partials/row.html` for each row: the partial ends with a newline and the loop adds one.
fn push_rows(html: &mut String, statement: &StatementView, rows: &[RowView]) {
    for row in rows {
        html.push_str("<tr id=\"");
        push_escaped(html, &row.anchor);
        html.push_str("\" class=\"");
        html.push_str(row.kind);
        html.push_str(" indent-");
        push_digits(html, u64::from(row.indent));
        html.push_str("\"><th scope=\"row\">");
        push_escaped(html, row.label);
        push_note_refs(html, &row.notes);
        html.push_str("</th>");
        if row.cells.is_empty() {
            for _ in &statement.columns {
                html.push_str("<td></td>");
            }
        } else {
            for cell in &row.cells {
                html.push_str("<td class=\"");
                html.push_str(cell.class);
                html.push_str("\">");
                if cell.currency {
                    html.push_str("<span class=\"cur\">$</span>");
                }
                push_escaped(html, &cell.text);
                html.push_str("</td>");
            }
        }
        html.push_str("</tr>\n\n");
    }
}
