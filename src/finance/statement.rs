//! Financial statements: a table of line items over reporting periods, with its footnotes.

use std::collections::HashSet;
use std::path::PathBuf;

use serde::Deserialize;

use super::amount::Cell;
use super::column::{Column, ColumnKind, Comparison, Members};
use super::period::Period;
use super::relations::Relation;
use super::units::{RowMeasure, RowUnit, Scale};

/// The text of a row id or label: shared between the releases that repeat it (see
/// `content::names`).
pub type Name = std::sync::Arc<str>;

/// What a row is, which decides its rules and its currency sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A section label with no figures ("Current assets:").
    Heading,
    /// An ordinary line item.
    #[default]
    Item,
    /// A sum printed under a single rule.
    Subtotal,
    /// A total printed under a single rule with the currency sign.
    Total,
    /// A bottom line: a rule above, a double rule below, the currency sign.
    GrandTotal,
    /// An amount per share, with the currency sign.
    PerShare,
    /// A share count, never with a currency sign.
    Shares,
}

impl RowKind {
    /// The CSS class and the name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            RowKind::Heading => "heading",
            RowKind::Item => "item",
            RowKind::Subtotal => "subtotal",
            RowKind::Total => "total",
            RowKind::GrandTotal => "grand_total",
            RowKind::PerShare => "per_share",
            RowKind::Shares => "shares",
        }
    }
}

/// One row of a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct LineItem {
    /// Stable within its statement; the same id in two statements names the same measure.
    pub id: Name,
    pub label: Name,
    pub kind: RowKind,
    pub indent: u8,
    /// Markers of the footnotes this row refers to ("a", "1").
    pub notes: Vec<String>,
    /// Forces the currency sign on or off; `None` follows the default rule.
    pub currency: Option<bool>,
    /// `unit = "percent"` or `"count"`: what the row measures where it is neither an amount
    /// of the currency nor (by its kind) a per-share amount or a share count.
    pub unit: Option<RowUnit>,
    /// The row's own scale where it differs from the table's (shares in thousands in a table
    /// in millions); see [`Statement::measure`].
    pub scale: Option<Scale>,
    pub non_gaap: bool,
    /// For a non-GAAP row: the row id of its most comparable GAAP measure (Regulation G).
    pub comparable: Option<Name>,
    /// One cell per column, or none for a row without figures.
    pub values: Box<[Cell]>,
    /// How the row follows from other figures; see [`crate::finance::relations`].
    pub equals: Vec<std::sync::Arc<Relation>>,
    /// Whether the row's figures for periods of time do not add up over time (a balance at
    /// the beginning of a period), so that a year to date is not the sum of its quarters. The
    /// reason the table gives is checked when it is read and not kept.
    pub not_additive: bool,
    /// Line in the source file, for messages.
    pub line: usize,
}

/// What a row with these figures measures where it says no `unit` or says `unit = "percent"`:
/// a row whose cells are percents ("8.0%") is a percent row, whether or not it says so, and a
/// row that says `unit = "percent"` holds percent cells. Percent rows are one notion, so the
/// rules for them (no currency sign, never summed over quarters, no scale) hold for both.
/// `Err` says what disagrees: an amount in a percent row, or percent cells in a per-share,
/// shares or count row.
///
/// Only the row's own figures say what it measures: a cell under a comparison column
/// (`comparison[i]` true) is a change, a percent change or basis points of them, whose kind
/// `Statement::validate` checks against its column instead ("10.0%" beside amounts, "300"
/// basis points beside percents).
pub fn row_unit(
    declared: Option<RowUnit>,
    kind: RowKind,
    values: &[Cell],
    comparison: &[bool],
) -> Result<Option<RowUnit>, String> {
    let own = |i: &usize| !comparison.get(*i).copied().unwrap_or(false);
    let first_percent = (0..values.len())
        .filter(own)
        .find(|&i| matches!(values[i], Cell::Percent(_)));
    let first_amount = (0..values.len())
        .filter(own)
        .find(|&i| matches!(values[i], Cell::Amount(_)));
    let ordinal = |i: usize| format!("figure {} of the row", i + 1);
    match (declared, first_percent) {
        (Some(RowUnit::Percent), _) | (None, Some(_)) => {}
        (Some(RowUnit::Count), Some(p)) => {
            return Err(format!(
                "has unit = \"count\" but its {} is a percent ({}); a count holds amounts, and a \
                 percent row is one without `unit` or with unit = \"percent\"",
                ordinal(p),
                values[p].token()
            ));
        }
        (declared, None) => return Ok(declared),
    }
    if matches!(kind, RowKind::PerShare | RowKind::Shares) && declared.is_some() {
        return Ok(declared); // A unit on such a row is refused by `Statement::validate`.
    }
    if let (Some(p), RowKind::PerShare | RowKind::Shares) = (first_percent, kind) {
        return Err(format!(
            "is a {} row, but its {} is a percent ({}); a percent row has no such kind",
            kind.name(),
            ordinal(p),
            values[p].token()
        ));
    }
    if let Some(a) = first_amount {
        let why = if declared.is_some() {
            "has unit = \"percent\""
        } else {
            "holds percent cells"
        };
        let amount = values[a].token();
        return Err(format!(
            "{why}, so every figure is a percent, but its {} is the amount \"{amount}\": write \
             it with its \"%\" (\"{amount}%\")",
            ordinal(a)
        ));
    }
    Ok(Some(RowUnit::Percent))
}

impl LineItem {
    /// A plain row for unit tests: `id` as its label, `figures` parsed, no notes or relations.
    #[cfg(test)]
    pub(crate) fn for_test(id: &str, kind: RowKind, figures: &[&str], line: usize) -> LineItem {
        let values: Box<[Cell]> = figures.iter().map(|f| f.parse::<Cell>().unwrap()).collect();
        LineItem {
            id: id.into(),
            label: id.into(),
            kind,
            indent: 0,
            notes: vec![],
            currency: None,
            unit: row_unit(None, kind, &values, &[]).unwrap(),
            scale: None,
            non_gaap: false,
            comparable: None,
            values,
            equals: vec![],
            not_additive: false,
            line,
        }
    }

    /// Whether a year to date of this row is the sum of its quarters: amounts of a flow, not
    /// per-share amounts, share counts, percentages or a row that says it does not add up
    /// over time.
    pub fn is_additive(&self) -> bool {
        !self.not_additive
            && self.unit != Some(RowUnit::Percent)
            && !matches!(
                self.kind,
                RowKind::Heading | RowKind::PerShare | RowKind::Shares
            )
    }

    /// Whether the row's figures carry the currency sign.
    ///
    /// By convention a statement prints "$" on its first row of figures, on totals and on
    /// per-share amounts, never on a percentage or a count; the data can override it where
    /// the published release differs.
    pub fn shows_currency(&self, first_with_figures: bool) -> bool {
        if self.values.is_empty() {
            return false;
        }
        // The one rule for percents: a percent row (see [`row_unit`]) never has the sign.
        if self.unit == Some(RowUnit::Percent) {
            return false;
        }
        if self.unit.is_some() && self.kind != RowKind::PerShare {
            return self.currency.unwrap_or(false);
        }
        self.currency.unwrap_or(match self.kind {
            RowKind::Total | RowKind::GrandTotal | RowKind::PerShare => true,
            RowKind::Shares | RowKind::Heading => false,
            RowKind::Item | RowKind::Subtotal => first_with_figures,
        })
    }
}

/// A footnote, possibly with a small table of its own over the statement's columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    pub marker: String,
    pub text: String,
    pub rows: Vec<LineItem>,
}

/// A financial statement or reconciliation as published.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The file stem, used in URLs and anchors.
    pub id: String,
    pub title: String,
    /// Markers of the footnotes the title refers to ("a"), printed after it as rows print
    /// theirs.
    pub title_notes: Vec<String>,
    /// The units caption, e.g. "in thousands, except per share amounts", printed as is; it
    /// names no scale other than `scale` (see [`crate::finance::units::caption_scale`]).
    pub units: String,
    /// The scale of its amounts (and of its share counts and counts unless a row says
    /// otherwise).
    pub scale: Scale,
    /// One per figure of each row: a period's figures, a member's, or a comparison.
    pub columns: Vec<Column>,
    /// The members columns belong to, how the headers nest, and relations across members.
    pub members: Members,
    /// Whether the table reconciles to a non-GAAP measure.
    pub non_gaap: bool,
    /// Columns whose figures restate what an earlier release reported for the period.
    pub restated: Vec<Period>,
    /// How far apart, in the table's units, its relations and its figures' ties to other
    /// releases may be and still be accepted (never counted as tied); `None` is exact.
    pub tolerance: Option<rust_decimal::Decimal>,
    pub rows: Vec<LineItem>,
    pub footnotes: Vec<Footnote>,
    pub source: PathBuf,
}

/// A structural problem found in a statement, with the line it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

fn valid_row_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl Statement {
    /// A table for unit tests: its `id` names its source (`<id>.toml`), its columns are the
    /// `periods` without members, and it has no notes, restatements, tolerance or footnotes.
    #[cfg(test)]
    pub(crate) fn for_test(
        id: &str,
        units: &str,
        scale: Scale,
        periods: Vec<Period>,
        rows: Vec<LineItem>,
    ) -> Statement {
        Statement {
            id: id.into(),
            title: id.into(),
            title_notes: vec![],
            units: units.into(),
            scale,
            columns: periods.into_iter().map(Column::period).collect(),
            members: Members::default(),
            non_gaap: false,
            restated: vec![],
            tolerance: None,
            rows,
            footnotes: vec![],
            source: format!("{id}.toml").into(),
        }
    }

    /// A period as headers name it: "Three months ended March 31, 2005", with ", as restated"
    /// for a restated period.
    pub fn period_label(&self, period: &Period) -> String {
        let label = period.long_label();
        if self.restated.contains(period) {
            format!("{label}, as restated")
        } else {
            label
        }
    }

    /// A column as downloads and screen readers name it: "Three months ended March 31, 2006",
    /// "Three months ended March 31, 2006 (Domestic)", "% Change: Q1 2006 vs. Q1 2005".
    pub fn column_label(&self, column: &Column) -> String {
        let mut label = match &column.kind {
            ColumnKind::Period(period) => self.period_label(period),
            ColumnKind::Comparison {
                comparison: Comparison::PercentOf(_),
                of,
                label,
            } => format!("{label}: {}", of[0].short_label()),
            ColumnKind::Comparison { of, label, .. } => format!(
                "{label}: {} vs. {}",
                of[0].short_label(),
                of[1].short_label()
            ),
        };
        // A table has a total's label only beside members.
        if let Some(member) = self.members.label(column.member) {
            label.push_str(" (");
            label.push_str(member);
            label.push(')');
        }
        label
    }

    /// The units of a column's figures: a percentage or basis points for those comparisons,
    /// else the table's units.
    pub fn column_units<'a>(&'a self, column: &Column) -> &'a str {
        match &column.kind {
            ColumnKind::Comparison {
                comparison: Comparison::PercentChange | Comparison::PercentOf(_),
                ..
            } => "percent",
            ColumnKind::Comparison {
                comparison: Comparison::BasisPoints,
                ..
            } => "basis points",
            _ => &self.units,
        }
    }

    /// A column in the words of a message: "three months ended March 31, 2006", with its
    /// member or comparison.
    pub fn column_phrase(&self, column: &Column) -> String {
        match (&column.kind, column.member) {
            (ColumnKind::Period(period), None) if self.members.members.is_empty() => {
                super::relations::period_phrase(period)
            }
            _ => {
                let label = self.column_label(column);
                let mut chars = label.chars();
                chars
                    .next()
                    .map(|c| c.to_lowercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        }
    }

    /// The periods of the table's own figures (no member, no comparison), with their column.
    pub fn consolidated(&self) -> impl Iterator<Item = (usize, &Period)> {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(c, column)| Some((c, column.consolidated()?)))
    }

    /// Gives each `percent_of` column without a label of its own "% of " and its row's label.
    pub fn label_percent_of_columns(&mut self) {
        for c in 0..self.columns.len() {
            if let ColumnKind::Comparison {
                comparison: Comparison::PercentOf(row),
                label,
                ..
            } = &self.columns[c].kind
                && label.is_empty()
            {
                let of = self
                    .all_rows()
                    .find(|r| *r.id == **row)
                    .map_or_else(|| row.clone(), |r| r.label.to_lowercase());
                if let ColumnKind::Comparison { label, .. } = &mut self.columns[c].kind {
                    *label = format!("% of {of}");
                }
            }
        }
    }

    /// What `row`'s figures measure, in which scale: a per-share row is in currency units, a
    /// percentage has no scale, a share count or count is in its own scale (`scale` on the
    /// row) or else the table's (a count: actual), and any other row is an amount of the
    /// currency in the table's scale (or its own).
    pub fn measure(&self, row: &LineItem) -> RowMeasure {
        match (row.kind, row.unit) {
            (RowKind::PerShare, _) => RowMeasure::PerShare,
            (_, Some(RowUnit::Percent)) => RowMeasure::Percent,
            (RowKind::Shares, _) => RowMeasure::Shares(row.scale.unwrap_or(self.scale)),
            (_, Some(RowUnit::Count)) => RowMeasure::Count(row.scale.unwrap_or(Scale::Actual)),
            _ => RowMeasure::Currency(row.scale.unwrap_or(self.scale)),
        }
    }

    /// Every row, the footnotes' rows included, in order.
    pub fn all_rows(&self) -> impl Iterator<Item = &LineItem> {
        self.rows
            .iter()
            .chain(self.footnotes.iter().flat_map(|f| f.rows.iter()))
    }

    pub fn row(&self, id: &str) -> Option<&LineItem> {
        self.all_rows().find(|r| &*r.id == id)
    }

    /// Checks the statement's structure: ids, value counts, headings, footnote references.
    pub fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut problem = |line: usize, message: String| problems.push(Problem { line, message });
        if self.columns.is_empty() {
            problem(1, "`columns` must name at least one period".into());
        }
        for (c, column) in self.columns.iter().enumerate() {
            let twice = self.columns[..c]
                .iter()
                .any(|other| other.member == column.member && other.kind == column.kind);
            if twice {
                let member = match column.member {
                    Some(_) => format!(" of member {:?}", self.members.id(column.member)),
                    None => String::new(),
                };
                problem(
                    1,
                    format!("column {column}{member} appears twice in `columns`"),
                );
            }
            if let ColumnKind::Comparison {
                comparison: Comparison::PercentOf(row),
                ..
            } = &column.kind
                && !self
                    .all_rows()
                    .any(|r| *r.id == **row && !r.values.is_empty())
            {
                problem(
                    1,
                    format!(
                        "column {column}: percent_of names row {row:?}, which is not a row \
                         with figures in this table"
                    ),
                );
            }
        }
        if self.rows.is_empty() {
            problem(1, "a table needs at least one [[rows]] entry".into());
        }
        if let Some(named) = super::units::caption_scale(&self.units)
            && named != self.scale
        {
            problem(
                1,
                format!(
                    "the units caption {:?} says {named} but the table's scale is {}{}: the \
                     caption is printed and the scale is what the figures mean, so they must \
                     agree; write scale = \"{named}\" or correct the caption",
                    self.units,
                    self.scale,
                    if self.scale == Scale::default() {
                        " (the default)"
                    } else {
                        ""
                    }
                ),
            );
        }
        let markers: HashSet<&str> = self.footnotes.iter().map(|f| f.marker.as_str()).collect();
        let mut referenced = HashSet::new();
        for marker in &self.title_notes {
            if markers.contains(marker.as_str()) {
                referenced.insert(marker.as_str());
            } else {
                problem(
                    1,
                    format!(
                        "title_notes refers to footnote {marker:?}, which the table does not \
                         define"
                    ),
                );
            }
        }
        let mut ids = HashSet::new();
        for row in self.all_rows() {
            if !valid_row_id(&row.id) {
                problem(
                    row.line,
                    format!(
                        "row id {:?} must be snake_case: a lowercase letter, then lowercase \
                         letters, digits or \"_\"",
                        row.id
                    ),
                );
            }
            if !ids.insert(&*row.id) {
                problem(
                    row.line,
                    format!(
                        "duplicate row id {:?}: row ids must be unique within a table",
                        row.id
                    ),
                );
            }
            if row.label.trim().is_empty() {
                problem(row.line, format!("row {:?} has an empty label", row.id));
            }
            if row.indent > 3 {
                problem(
                    row.line,
                    format!("row {:?}: indent is 0 to 3; found {}", row.id, row.indent),
                );
            }
            if row.kind == RowKind::Heading && !row.values.is_empty() {
                problem(
                    row.line,
                    format!(
                        "row {:?} is a heading and cannot have values; use kind = \"item\"",
                        row.id
                    ),
                );
            } else if !row.values.is_empty() && row.values.len() != self.columns.len() {
                problem(
                    row.line,
                    format!(
                        "row {:?} has {} values but the table has {} columns ({})",
                        row.id,
                        row.values.len(),
                        self.columns.len(),
                        self.columns
                            .iter()
                            .map(|c| match c.member {
                                Some(_) => format!("{c} {}", self.members.id(c.member)),
                                None => c.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            if row.values.len() == self.columns.len() {
                for (column, cell) in self.columns.iter().zip(&row.values) {
                    let percent = matches!(
                        &column.kind,
                        ColumnKind::Comparison {
                            comparison: Comparison::PercentChange | Comparison::PercentOf(_),
                            ..
                        }
                    );
                    let wrong = match cell {
                        Cell::Amount(_) => percent,
                        Cell::Percent(_) => column.is_comparison() && !percent,
                        _ => false,
                    };
                    if wrong {
                        problem(
                            row.line,
                            format!(
                                "row {:?}, column {column}: {}; found {:?}",
                                row.id,
                                if percent {
                                    "a percentage column holds percents such as \"8.0%\" \
                                     (or NM, nil, N/A, blank)"
                                } else {
                                    "a change or basis-point column holds plain figures such \
                                     as \"1130\" or \"-45\" (or NM, nil, N/A, blank)"
                                },
                                super::format::format_cell(cell)
                            ),
                        );
                    }
                }
            }
            if row.not_additive
                && matches!(
                    row.kind,
                    RowKind::Heading | RowKind::PerShare | RowKind::Shares
                )
            {
                problem(
                    row.line,
                    format!(
                        "row {:?} is a {} row, which is never summed over quarters; remove \
                         not_additive",
                        row.id,
                        row.kind.name()
                    ),
                );
            }
            let unit_clash = match (row.kind, row.unit, row.scale) {
                (RowKind::PerShare, Some(unit), _) => Some(format!(
                    "is a per_share row, so it cannot also have unit = \"{}\"",
                    unit.name()
                )),
                (RowKind::PerShare, None, Some(_)) => Some(
                    "is a per_share row, stated in currency units, so it has no `scale`".into(),
                ),
                (RowKind::Shares, Some(unit), _) => Some(format!(
                    "is a shares row, so it cannot also have unit = \"{}\"",
                    unit.name()
                )),
                (_, Some(RowUnit::Percent), Some(_)) => {
                    Some("is a percentage, which has no `scale`".into())
                }
                (RowKind::Heading, Some(_), _) | (RowKind::Heading, _, Some(_)) => {
                    Some("is a heading, without figures, so it has no `unit` or `scale`".into())
                }
                _ => None,
            };
            if let Some(clash) = unit_clash {
                problem(row.line, format!("row {:?} {clash}", row.id));
            }
            if row.values.is_empty() && !row.equals.is_empty() {
                problem(
                    row.line,
                    format!("row {:?} has no values, so it cannot have `equals`", row.id),
                );
            }
            for period in row.equals.iter().flat_map(|r| &r.periods) {
                if !self.consolidated().any(|(_, c)| c.name() == *period) {
                    problem(
                        row.line,
                        format!(
                            "row {:?}: `equals` names period {period}, which is not a column of \
                             this table",
                            row.id
                        ),
                    );
                }
            }
            match (row.non_gaap, &row.comparable) {
                (true, None) => problem(
                    row.line,
                    format!(
                        "row {:?} is non-GAAP: name its most comparable GAAP measure with \
                         comparable = \"net_income\" (a row id; Regulation G)",
                        row.id
                    ),
                ),
                (false, Some(_)) => problem(
                    row.line,
                    format!(
                        "row {:?}: `comparable` is for non-GAAP rows (non_gaap = true)",
                        row.id
                    ),
                ),
                _ => {}
            }
            if row.non_gaap && !self.non_gaap {
                problem(
                    row.line,
                    format!(
                        "row {:?} is non-GAAP, so its table is its reconciliation and must say \
                         non_gaap = true",
                        row.id
                    ),
                );
            }
            for marker in &row.notes {
                if markers.contains(marker.as_str()) {
                    referenced.insert(marker.as_str());
                } else {
                    problem(
                        row.line,
                        format!(
                            "row {:?} refers to footnote {marker:?}, which the table does not define",
                            row.id
                        ),
                    );
                }
            }
        }
        let mut seen_markers = HashSet::new();
        for note in &self.footnotes {
            let line = note.rows.first().map_or(1, |r| r.line);
            if !seen_markers.insert(note.marker.as_str()) {
                problem(line, format!("footnote {:?} is defined twice", note.marker));
            }
            if !referenced.contains(note.marker.as_str()) {
                problem(
                    line,
                    format!(
                        "footnote {:?} is not referred to by any row; add notes = [{:?}] to the \
                         rows it explains",
                        note.marker, note.marker
                    ),
                );
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: Vec<LineItem>) -> Statement {
        Statement {
            title: "Operations".into(),
            ..Statement::for_test(
                "operations",
                "in millions, except shares in thousands",
                Scale::Millions,
                vec![crate::finance::period::december("2006-Q1")],
                rows,
            )
        }
    }

    #[test]
    fn a_rows_measure_follows_its_kind_unit_and_scale() {
        let row = |kind, unit, scale| LineItem {
            unit,
            scale,
            ..LineItem::for_test("x", kind, &["1"], 1)
        };
        let t = table(vec![]);
        let measure = |kind, unit, scale| t.measure(&row(kind, unit, scale));
        assert_eq!(
            measure(RowKind::Total, None, None),
            RowMeasure::Currency(Scale::Millions)
        );
        assert_eq!(
            measure(RowKind::Item, None, Some(Scale::Thousands)),
            RowMeasure::Currency(Scale::Thousands)
        );
        assert_eq!(measure(RowKind::PerShare, None, None), RowMeasure::PerShare);
        assert_eq!(
            measure(RowKind::Shares, None, None),
            RowMeasure::Shares(Scale::Millions)
        );
        assert_eq!(
            measure(RowKind::Shares, None, Some(Scale::Thousands)),
            RowMeasure::Shares(Scale::Thousands)
        );
        assert_eq!(
            measure(RowKind::Item, Some(RowUnit::Count), None),
            RowMeasure::Count(Scale::Actual)
        );
        assert_eq!(
            measure(RowKind::Item, Some(RowUnit::Percent), None),
            RowMeasure::Percent
        );
    }

    #[test]
    fn percentages_and_counts_carry_no_currency_sign_and_percentages_do_not_add_up() {
        // Percent cells make a percent row without `unit = "percent"`.
        let percent = LineItem::for_test("margin", RowKind::Total, &["40.0%"], 1);
        assert_eq!(percent.unit, Some(RowUnit::Percent));
        assert!(!percent.shows_currency(true));
        assert!(!percent.is_additive());
        let count = LineItem {
            unit: Some(RowUnit::Count),
            ..LineItem::for_test("employees", RowKind::Item, &["41250"], 1)
        };
        assert!(!count.shows_currency(true));
        assert!(count.is_additive());
        let forced = LineItem {
            currency: Some(true),
            ..count
        };
        assert!(
            forced.shows_currency(false),
            "a count may be given the sign"
        );
        let forced = LineItem {
            currency: Some(true),
            ..percent
        };
        assert!(!forced.shows_currency(true), "a percent never has it");
    }

    #[test]
    fn a_percent_row_is_one_of_percent_cells_and_holds_nothing_else() {
        let cells = |figures: &[&str]| -> Vec<Cell> {
            figures.iter().map(|f| f.parse::<Cell>().unwrap()).collect()
        };
        let percent = Some(RowUnit::Percent);
        let item = RowKind::Item;
        assert_eq!(
            row_unit(None, item, &cells(&["8.0%", "NM"]), &[]),
            Ok(percent)
        );
        assert_eq!(
            row_unit(percent, item, &cells(&["8.0%", "nil"]), &[]),
            Ok(percent)
        );
        assert_eq!(
            row_unit(percent, item, &cells(&["blank", "N/A"]), &[]),
            Ok(percent)
        );
        assert_eq!(row_unit(None, item, &cells(&["8.0", "nil"]), &[]), Ok(None));
        assert_eq!(
            row_unit(percent, item, &cells(&["8.0%", "7.5"]), &[]),
            Err(
                "has unit = \"percent\", so every figure is a percent, but its figure 2 of the \
                 row is the amount \"7.5\": write it with its \"%\" (\"7.5%\")"
                    .into()
            )
        );
        assert!(
            row_unit(None, item, &cells(&["8.0%", "-3"]), &[])
                .unwrap_err()
                .starts_with("holds percent cells, so every figure is a percent")
        );
        assert!(
            row_unit(None, RowKind::Shares, &cells(&["8.0%"]), &[])
                .unwrap_err()
                .starts_with("is a shares row, but its figure 1 of the row is a percent (8.0%)")
        );
        assert!(
            row_unit(Some(RowUnit::Count), item, &cells(&["3", "8%"]), &[])
                .unwrap_err()
                .starts_with("has unit = \"count\" but its figure 2 of the row is a percent (8%)")
        );
    }

    #[test]
    fn a_rows_unit_ignores_its_comparison_columns() {
        let cells = |t: &[&str]| -> Vec<Cell> { t.iter().map(|c| c.parse().unwrap()).collect() };
        let item = RowKind::Item;
        // Amounts with a % change: an amount row; percents with basis points: a percent row.
        let comparison = [false, false, true];
        assert_eq!(
            row_unit(
                None,
                item,
                &cells(&["12480", "11350", "10.0%"]),
                &comparison
            ),
            Ok(None)
        );
        assert_eq!(
            row_unit(None, item, &cells(&["42.2%", "39.2%", "300"]), &comparison),
            Ok(Some(RowUnit::Percent))
        );
        // The same cells as the row's own figures are refused.
        assert!(row_unit(None, item, &cells(&["12480", "11350", "10.0%"]), &[]).is_err());
    }

    #[test]
    fn a_caption_naming_another_scale_and_contradictory_units_are_problems() {
        let mut t = table(vec![LineItem {
            unit: Some(RowUnit::Percent),
            scale: Some(Scale::Thousands),
            ..LineItem::for_test("margin", RowKind::Item, &["40.0%"], 7)
        }]);
        t.units = "in billions".into();
        let problems: Vec<String> = t.validate().into_iter().map(|p| p.message).collect();
        assert_eq!(
            problems,
            [
                "the units caption \"in billions\" says billions but the table's scale is \
                 millions: the caption is printed and the scale is what the figures mean, so \
                 they must agree; write scale = \"billions\" or correct the caption",
                "row \"margin\" is a percentage, which has no `scale`"
            ]
        );
    }
}
