//! Reads one table file (`tables/<id>.toml`) into a `Statement`.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Location, Result, line_of};
use crate::finance::{Cell, Footnote, LineItem, Period, RowKind, Statement};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    title: String,
    units: String,
    columns: Vec<Spanned<String>>,
    #[serde(default)]
    non_gaap: bool,
    #[serde(default)]
    rows: Vec<Spanned<RowFile>>,
    #[serde(default)]
    footnotes: Vec<FootnoteFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RowFile {
    id: String,
    label: String,
    #[serde(default)]
    kind: RowKind,
    #[serde(default)]
    indent: u8,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    currency: Option<bool>,
    #[serde(default)]
    non_gaap: bool,
    #[serde(default)]
    values: Vec<Cell>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FootnoteFile {
    marker: String,
    text: String,
    #[serde(default)]
    rows: Vec<Spanned<RowFile>>,
}

fn line_item(row: Spanned<RowFile>, source: &str) -> LineItem {
    let line = line_of(source, row.span().start);
    let row = row.into_inner();
    LineItem {
        id: row.id,
        label: row.label,
        kind: row.kind,
        indent: row.indent,
        notes: row.notes,
        currency: row.currency,
        non_gaap: row.non_gaap,
        values: row.values,
        line,
    }
}

/// Parses and validates a table file; the table id is the file stem.
pub fn load_statement(path: &Path) -> Result<Statement> {
    let source = super::read_text(path)?;
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    if !super::valid_slug(&id) {
        return Err(Error::input(
            Location::file(path),
            format!(
                "table file name {id:?} is not a valid table id: use lowercase letters, digits \
                 and hyphens, e.g. balance-sheet.toml"
            ),
        ));
    }
    let file: TableFile = toml::from_str(&source).map_err(|e| Error::toml(path, &source, &e))?;
    let mut columns = Vec::with_capacity(file.columns.len());
    for column in &file.columns {
        let period = column
            .get_ref()
            .parse::<Period>()
            .map_err(|m| Error::at_offset(path, &source, column.span().start, m))?;
        columns.push(period);
    }
    let statement = Statement {
        id,
        title: file.title,
        units: file.units,
        columns,
        non_gaap: file.non_gaap,
        rows: file
            .rows
            .into_iter()
            .map(|r| line_item(r, &source))
            .collect(),
        footnotes: file
            .footnotes
            .into_iter()
            .map(|f| Footnote {
                marker: f.marker,
                text: f.text,
                rows: f.rows.into_iter().map(|r| line_item(r, &source)).collect(),
            })
            .collect(),
        source: path.to_path_buf(),
    };
    let problems = statement.validate();
    Error::collect(
        problems
            .into_iter()
            .map(|p| Error::input(Location::line(path, p.line), p.message))
            .collect(),
    )?;
    Ok(statement)
}
