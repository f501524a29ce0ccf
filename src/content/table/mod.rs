//! Reads one table file (`tables/<id>.toml`) into a `Statement`.

mod plain;

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::Names;
use crate::error::{Error, Lines, Location, Result};
use crate::finance::{
    Cell, FiscalCalendar, Footnote, LineItem, PeriodName, RowKind, RowUnit, Scale, Statement,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    title: String,
    /// Markers of the footnotes the title refers to.
    #[serde(default)]
    title_notes: Vec<String>,
    units: String,
    /// "actual", "thousands" (the default), "millions" or "billions".
    #[serde(default)]
    scale: Option<Scale>,
    columns: Vec<Spanned<String>>,
    #[serde(default)]
    non_gaap: bool,
    /// Columns whose figures restate what an earlier release reported for the period.
    #[serde(default)]
    restated: Vec<Spanned<String>>,
    /// Balance-sheet dates that end no fiscal quarter (an acquisition date), allowed as columns.
    #[serde(default)]
    off_calendar: Vec<Spanned<String>>,
    /// How far apart, in the table's units, tied figures may be: `tolerance = "1"`.
    #[serde(default)]
    tolerance: Option<Spanned<String>>,
    /// Whether the table's quarters carry their years to date beside them; read by `irsite
    /// new`, which rolls the table to the next quarter (see `scaffold::roll`).
    #[serde(default)]
    #[allow(dead_code)]
    year_to_date: Option<bool>,
    #[serde(default)]
    rows: Vec<Spanned<RowFile>>,
    #[serde(default)]
    footnotes: Vec<FootnoteFile>,
}

#[derive(Debug, Deserialize)]
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
    /// "percent" or "count", where the row is not an amount of the currency.
    #[serde(default)]
    unit: Option<RowUnit>,
    /// The row's own scale, where it differs from the table's.
    #[serde(default)]
    scale: Option<Scale>,
    #[serde(default)]
    non_gaap: bool,
    #[serde(default)]
    comparable: Option<String>,
    #[serde(default)]
    values: Vec<Cell>,
    #[serde(default)]
    equals: OneOrMany,
    /// Why the row's figures do not add up over time ("beginning-of-period cash balance").
    #[serde(default)]
    not_additive: Option<String>,
}

/// `equals = "a + b"` or `equals = ["a + b", "other-table.c"]`.
#[derive(Debug, Default)]
struct OneOrMany(Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OneOrMany;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a relation such as \"revenue - total_operating_costs\", or a list of them",
                )
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_string()]))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut all = Vec::new();
                while let Some(text) = seq.next_element::<String>()? {
                    all.push(text);
                }
                Ok(OneOrMany(all))
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FootnoteFile {
    marker: String,
    text: String,
    #[serde(default)]
    rows: Vec<Spanned<RowFile>>,
}

fn line_item(
    path: &Path,
    row: Spanned<RowFile>,
    lines: &Lines,
    names: &mut Names,
) -> Result<LineItem> {
    let line = lines.line_of(row.span().start);
    let row = row.into_inner();
    if row
        .not_additive
        .as_deref()
        .is_some_and(|r| r.trim().is_empty())
    {
        return Err(Error::input(
            Location::line(path, line),
            format!(
                "row {:?}: not_additive gives the reason its figures do not add up over time, \
                 e.g. not_additive = \"beginning-of-period cash balance\"; it is empty",
                row.id
            ),
        ));
    }
    let equals = row
        .equals
        .0
        .iter()
        .map(|text| names.relation(text))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|m| Error::input(Location::line(path, line), format!("row {:?}: {m}", row.id)))?;
    // A row of percent cells is a percent row; one saying unit = "percent" holds percents.
    let unit = crate::finance::statement::row_unit(row.unit, row.kind, &row.values)
        .map_err(|m| Error::input(Location::line(path, line), format!("row {:?} {m}", row.id)))?;
    Ok(LineItem {
        id: names.get(&row.id),
        label: names.get(&row.label),
        kind: row.kind,
        indent: row.indent,
        notes: row.notes,
        currency: row.currency,
        unit,
        scale: row.scale,
        non_gaap: row.non_gaap,
        comparable: row.comparable.map(|c| names.get(&c)),
        values: row.values.into_boxed_slice(),
        equals,
        not_additive: row.not_additive.is_some(),
        line,
    })
}

fn line_items(
    path: &Path,
    rows: Vec<Spanned<RowFile>>,
    lines: &Lines,
    names: &mut Names,
) -> Result<Vec<LineItem>> {
    let mut items = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for row in rows {
        match line_item(path, row, lines, names) {
            Ok(item) => items.push(item),
            Err(e) => errors.push(e),
        }
    }
    Error::collect(errors)?;
    Ok(items)
}

/// Parses and validates a table file; the table id is the file stem.
pub fn load_statement(path: &Path, calendar: &FiscalCalendar) -> Result<Statement> {
    load_statement_with(path, calendar, &mut Names::default())
}

/// [`load_statement`], sharing row ids, labels and relations through `names`.
pub(super) fn load_statement_with(
    path: &Path,
    calendar: &FiscalCalendar,
    names: &mut Names,
) -> Result<Statement> {
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
    let file = match plain::read(&source) {
        Some(file) => file,
        // Only full TOML has the escapes that write a control character (`"\r"`, `"\u0000"`).
        None => {
            let file = toml::from_str(&source).map_err(|e| Error::toml(path, &source, &e))?;
            super::control::refuse_in_toml_strings(path, &source, 0, &source)?;
            file
        }
    };
    let lines = Lines::new(&source);
    let mut off_calendar = Vec::with_capacity(file.off_calendar.len());
    for date in &file.off_calendar {
        let at = |m: String| Error::at_offset(path, &source, date.span().start, m);
        match date.get_ref().parse::<PeriodName>().map_err(at)? {
            PeriodName::Instant(date) => off_calendar.push(date),
            other => {
                return Err(at(format!(
                    "off_calendar lists balance-sheet dates such as \"2004-05-14\"; {other} is a \
                     period of time"
                )));
            }
        }
    }
    let mut columns = Vec::with_capacity(file.columns.len());
    for column in &file.columns {
        let at = |m: String| Error::at_offset(path, &source, column.span().start, m);
        let period = calendar.parse(column.get_ref()).map_err(at)?;
        if let PeriodName::Instant(date) = period.name()
            && !calendar.is_period_end(date)
            && !off_calendar.contains(&date)
        {
            return Err(at(format!(
                "{} does not end a fiscal quarter of the site's calendar (fiscal_year_end in \
                 site.toml); a balance sheet at another date, such as an acquisition date, is \
                 listed in the table's `off_calendar = [\"{}\"]`",
                date.long(),
                date.iso()
            )));
        }
        columns.push(period);
    }
    let mut restated = Vec::with_capacity(file.restated.len());
    for column in &file.restated {
        let at = |m: String| Error::at_offset(path, &source, column.span().start, m);
        let period = calendar.parse(column.get_ref()).map_err(at)?;
        if !columns.contains(&period) {
            return Err(at(format!(
                "restated names {period}, which is not one of the table's columns"
            )));
        }
        restated.push(period);
    }
    let tolerance = match &file.tolerance {
        Some(text) => Some(
            crate::finance::amount::parse_tolerance(text.get_ref())
                .map_err(|m| Error::at_offset(path, &source, text.span().start, m))?,
        ),
        None => None,
    };
    let statement = Statement {
        id,
        title: file.title,
        title_notes: file.title_notes,
        units: file.units,
        scale: file.scale.unwrap_or_default(),
        columns,
        non_gaap: file.non_gaap,
        restated,
        tolerance,
        rows: line_items(path, file.rows, &lines, names)?,
        footnotes: file
            .footnotes
            .into_iter()
            .map(|f| {
                Ok(Footnote {
                    marker: f.marker,
                    text: f.text,
                    rows: line_items(path, f.rows, &lines, names)?,
                })
            })
            .collect::<Result<_>>()?,
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
