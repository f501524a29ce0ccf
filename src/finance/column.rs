//! The columns of a table: a period, a period of one member (a segment, "As reported",
//! "Adjustments", a measure such as "Units"), or a stated comparison of two columns.
//!
//! A table's figures are positional, one cell per column, so a column says everything a reader
//! of the figure needs: its period, its member and, for a comparison, what it compares. The
//! column of a period with no member is the table's own (consolidated) figure: the only one that
//! charts, restatement checks, citations and ties across releases read (see
//! [`Column::consolidated`]). Comparison columns hold the figures as the release states them
//! (companies compute them from unrounded amounts); [`super::comparisons`] checks them.

use std::fmt;

use super::period::{ColumnHeaders, HeaderGroup, Period, column_headers};

/// One member of a table's columns: `{ id = "domestic", label = "Domestic" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Snake case, unique within the table; relations across members name it.
    pub id: String,
    /// The header printed over or under its periods.
    pub label: String,
}

/// Which header row groups a table with members: the members under each period ("Q1 2006"
/// over "Domestic | Canada | Consolidated") or the periods under each member ("Domestic" over
/// "2006 | 2005").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    #[default]
    Period,
    Member,
}

/// What a comparison column states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// `a − b`, in the table's units.
    Change,
    /// `a − b` where `b` is the quarter before `a`.
    SequentialChange,
    /// `(a − b) / |b| × 100`, a percentage.
    PercentChange,
    /// `(a − b) × 100` of two percentages: the change in basis points.
    BasisPoints,
    /// Each row's figure for the period as a percentage of this row's (`"revenue"`).
    PercentOf(String),
}

impl Comparison {
    /// The key that writes it in a table file.
    pub fn key(&self) -> &'static str {
        match self {
            Comparison::Change => "change",
            Comparison::SequentialChange => "sequential_change",
            Comparison::PercentChange => "percent_change",
            Comparison::BasisPoints => "basis_points",
            Comparison::PercentOf(_) => "percent_of",
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnKind {
    /// The figures of a period.
    Period(Period),
    /// A comparison of the column of period `of[0]` with that of `of[1]` (of the same member);
    /// a percentage of a row has one period, `of[1]` being the same.
    Comparison {
        comparison: Comparison,
        of: [Period; 2],
        /// The header printed over the column ("% Change", "bp", "% of revenue").
        label: String,
    },
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub kind: ColumnKind,
    /// Index into the table's [`Members::members`]; `None` is the table's own figure (the
    /// consolidated one, or the only one of a table without members).
    pub member: Option<usize>,
}

impl Column {
    /// A column of a period's own figures (no member).
    pub fn period(period: Period) -> Column {
        Column {
            kind: ColumnKind::Period(period),
            member: None,
        }
    }

    /// The period of a column of figures (of any member); `None` for a comparison.
    pub fn figures_period(&self) -> Option<&Period> {
        match &self.kind {
            ColumnKind::Period(period) => Some(period),
            ColumnKind::Comparison { .. } => None,
        }
    }

    /// The period of a column of the table's own figures: no member, not a comparison. Charts,
    /// citations, restatement checks and ties across releases read only these.
    pub fn consolidated(&self) -> Option<&Period> {
        self.figures_period().filter(|_| self.member.is_none())
    }

    /// The period a column is about: its own, or the first one it compares.
    pub fn main_period(&self) -> &Period {
        match &self.kind {
            ColumnKind::Period(period) => period,
            ColumnKind::Comparison { of, .. } => &of[0],
        }
    }

    /// Whether the column holds percentages or basis points rather than the table's units.
    pub fn is_ratio(&self) -> bool {
        matches!(
            &self.kind,
            ColumnKind::Comparison {
                comparison: Comparison::PercentChange
                    | Comparison::PercentOf(_)
                    | Comparison::BasisPoints,
                ..
            }
        )
    }

    pub fn is_comparison(&self) -> bool {
        matches!(self.kind, ColumnKind::Comparison { .. })
    }
}

impl fmt::Display for Column {
    /// As written in messages: "2006-Q1", "2006-Q1 domestic", "change 2006-Q1 vs 2005-Q1".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ColumnKind::Period(period) => write!(f, "{period}"),
            ColumnKind::Comparison {
                comparison: Comparison::PercentOf(row),
                of,
                ..
            } => write!(f, "percent of {row} {}", of[0]),
            ColumnKind::Comparison { comparison, of, .. } => {
                write!(f, "{} {} vs {}", comparison.key(), of[0], of[1])
            }
        }
    }
}

/// The members a table's columns may belong to, and how the headers group them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Members {
    pub members: Vec<Member>,
    /// The id and header of the columns without a member ("consolidated", "Consolidated"), for
    /// a table that has members; relations across members name it by this id.
    pub total: Option<Member>,
    pub group_by: GroupBy,
    /// Relations across the members of each row and period: `consolidated = domestic + canada`.
    pub relations: Vec<MemberRelation>,
}

impl Members {
    /// The header of a column's member: its label, the total's, or nothing.
    pub fn label(&self, member: Option<usize>) -> Option<&str> {
        match member {
            Some(m) => self.members.get(m).map(|m| m.label.as_str()),
            None => self.total.as_ref().map(|t| t.label.as_str()),
        }
    }

    /// The member an id names: `Some(None)` is the total, `None` an unknown id.
    pub fn find(&self, id: &str) -> Option<Option<usize>> {
        if self.total.as_ref().is_some_and(|t| t.id == id) {
            return Some(None);
        }
        self.members.iter().position(|m| m.id == id).map(Some)
    }

    /// The id of a column's member, for messages; the total's id or "the table's own figure".
    pub fn id(&self, member: Option<usize>) -> &str {
        match member {
            Some(m) => self.members.get(m).map_or("", |m| m.id.as_str()),
            None => self
                .total
                .as_ref()
                .map_or("the table's own figure", |t| t.id.as_str()),
        }
    }
}

/// `consolidated = "domestic + canada"`: a member's figure as a sum and difference of others',
/// for every row with figures and every period that has columns for all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRelation {
    /// As written, for messages.
    pub text: String,
    /// The member it states (`None` is the total).
    pub stated: Option<usize>,
    /// The members it adds up, each with its sign (`true` subtracts).
    pub terms: Vec<(Option<usize>, bool)>,
    /// The line of the table file, for messages.
    pub line: usize,
}

/// Reads `"domestic + canada - eliminations"` into signed member ids.
pub fn parse_member_sum(text: &str) -> Result<Vec<(&str, bool)>, String> {
    let mut terms = Vec::new();
    let mut negative = false;
    let mut expect_term = true;
    for token in text.split_whitespace() {
        match (token, expect_term) {
            ("+", false) => (negative, expect_term) = (false, true),
            ("-", false) => (negative, expect_term) = (true, true),
            (id, true)
                if id.starts_with(|c: char| c.is_ascii_lowercase())
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') =>
            {
                terms.push((id, negative));
                expect_term = false;
            }
            _ => {
                return Err(format!(
                    "expected member ids joined by \" + \" and \" - \" (spaces around each sign), \
                     such as \"domestic + canada\"; found {token:?} in {text:?}"
                ));
            }
        }
    }
    if expect_term {
        return Err(format!(
            "expected member ids joined by \" + \" and \" - \", such as \"domestic + canada\"; \
             found {text:?}"
        ));
    }
    Ok(terms)
}

/// The headers over a table's columns, up to three rows: `top` over `groups` over `columns`.
/// `top` is empty for every table without members (two rows, as before members existed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableHeaders {
    pub top: Vec<HeaderGroup>,
    pub groups: Vec<HeaderGroup>,
    pub columns: Vec<String>,
}

/// An empty group over `span` columns, merged into an empty group just before it.
fn push_group(groups: &mut Vec<HeaderGroup>, label: String, span: usize) {
    match groups.last_mut() {
        Some(last) if label.is_empty() && last.label.is_empty() => last.span += span,
        _ => groups.push(HeaderGroup { label, span }),
    }
}

/// The label of a comparison column (the member's header before it under a period).
fn comparison_label(column: &Column) -> &str {
    match &column.kind {
        ColumnKind::Comparison { label, .. } => label,
        ColumnKind::Period(_) => "",
    }
}

/// The headers of columns with no member or of one member: the period headers of its period
/// columns ([`column_headers`]), each comparison under the spanning header of the column to its
/// left ("Three months ended June 30," over "2024 | 2023 | % Change").
fn flat_headers(columns: &[&Column]) -> ColumnHeaders {
    let periods: Vec<Period> = columns
        .iter()
        .filter_map(|c| c.figures_period().copied())
        .collect();
    let sub = column_headers(&periods);
    let mut group_of = Vec::with_capacity(periods.len());
    for (g, group) in sub.groups.iter().enumerate() {
        group_of.extend(std::iter::repeat_n(g, group.span));
    }
    let mut spans = vec![0; sub.groups.len()];
    let mut leading = 0;
    let mut names = Vec::with_capacity(columns.len());
    let mut period_names = sub.columns.into_iter();
    let mut seen: usize = 0;
    for column in columns {
        if column.is_comparison() {
            names.push(comparison_label(column).to_string());
        } else {
            names.push(period_names.next().unwrap_or_default());
            seen += 1;
        }
        match seen.checked_sub(1).and_then(|i| group_of.get(i)) {
            Some(&g) => spans[g] += 1,
            None => leading += 1,
        }
    }
    let mut groups = Vec::with_capacity(sub.groups.len() + 1);
    if !sub.groups.is_empty() {
        if leading > 0 {
            groups.push(HeaderGroup {
                label: String::new(),
                span: leading,
            });
        }
        for (group, span) in sub.groups.into_iter().zip(spans) {
            groups.push(HeaderGroup {
                label: group.label,
                span,
            });
        }
    }
    ColumnHeaders {
        groups,
        columns: names,
    }
}

/// The headers a table prints over its columns, as printed releases group them:
/// - without members, each run of periods gets its period headers ([`column_headers`]), and a
///   comparison its label ("% Change") under no spanning header;
/// - periods under members (`group_by = "member"`): each member's label spans its columns,
///   over the headers its own columns would have without members;
/// - members under periods (`group_by = "period"`): each period spans its members' labels,
///   and the periods' shared words ("Three months ended March 31,") span the periods.
pub fn table_headers(columns: &[Column], members: &Members) -> TableHeaders {
    let all: Vec<&Column> = columns.iter().collect();
    if members.members.is_empty() {
        let flat = flat_headers(&all);
        return TableHeaders {
            top: Vec::new(),
            groups: flat.groups,
            columns: flat.columns,
        };
    }
    let label = |member| members.label(member).unwrap_or_default().to_string();
    match members.group_by {
        GroupBy::Member => {
            let mut top = Vec::new();
            let mut groups = Vec::new();
            let mut names = Vec::with_capacity(columns.len());
            for run in all.chunk_by(|a, b| a.member == b.member) {
                top.push(HeaderGroup {
                    label: label(run[0].member),
                    span: run.len(),
                });
                let flat = flat_headers(run);
                names.extend(flat.columns);
                if flat.groups.is_empty() {
                    push_group(&mut groups, String::new(), run.len());
                }
                for group in flat.groups {
                    push_group(&mut groups, group.label, group.span);
                }
            }
            let mut labels = groups.iter().filter(|g| !g.label.is_empty());
            let shared = labels.next().map(|g| g.label.clone());
            match shared {
                // Two rows: the members over their columns.
                None => TableHeaders {
                    top: Vec::new(),
                    groups: top,
                    columns: names,
                },
                // The words every member's periods share, once over all the members.
                Some(label) if labels.all(|g| g.label == label) => TableHeaders {
                    top: vec![HeaderGroup {
                        label,
                        span: columns.len(),
                    }],
                    groups: top,
                    columns: names,
                },
                Some(_) => TableHeaders {
                    top,
                    groups,
                    columns: names,
                },
            }
        }
        GroupBy::Period => {
            // Runs of columns of one period (a percentage of a row goes with its period), and
            // runs of comparisons of two periods.
            let key = |c: &Column| match &c.kind {
                ColumnKind::Period(p) => Some(*p),
                ColumnKind::Comparison {
                    comparison: Comparison::PercentOf(_),
                    of,
                    ..
                } => Some(of[0]),
                ColumnKind::Comparison { .. } => None,
            };
            let names: Vec<String> = columns
                .iter()
                .map(|c| match (&c.kind, key(c)) {
                    (ColumnKind::Period(_), _) => label(c.member),
                    (_, Some(_)) => comparison_label(c).to_string(),
                    (_, None) => match c.member {
                        Some(_) => format!("{} {}", label(c.member), comparison_label(c)),
                        None => comparison_label(c).to_string(),
                    },
                })
                .collect();
            let runs: Vec<&[&Column]> = all.chunk_by(|a, b| key(a) == key(b)).collect();
            let mut top = Vec::new();
            let mut groups = Vec::new();
            for segment in runs.chunk_by(|a, b| key(a[0]).is_some() == key(b[0]).is_some()) {
                let width: usize = segment.iter().map(|r| r.len()).sum();
                let periods: Option<Vec<Period>> = segment.iter().map(|r| key(r[0])).collect();
                let Some(periods) = periods else {
                    push_group(&mut top, String::new(), width);
                    push_group(&mut groups, String::new(), width);
                    continue;
                };
                let sub = column_headers(&periods);
                for (run, name) in segment.iter().zip(sub.columns) {
                    groups.push(HeaderGroup {
                        label: name,
                        span: run.len(),
                    });
                }
                if sub.groups.is_empty() {
                    push_group(&mut top, String::new(), width);
                }
                let mut at = 0;
                for group in sub.groups {
                    let span = segment[at..at + group.span].iter().map(|r| r.len()).sum();
                    at += group.span;
                    push_group(&mut top, group.label, span);
                }
            }
            if top.iter().all(|g| g.label.is_empty()) {
                top.clear();
            }
            TableHeaders {
                top,
                groups,
                columns: names,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::finance::period::december;

    fn groups(groups: &[HeaderGroup]) -> Vec<(&str, usize)> {
        groups.iter().map(|g| (g.label.as_str(), g.span)).collect()
    }

    fn of(period: &str, member: Option<usize>) -> Column {
        Column {
            kind: ColumnKind::Period(december(period)),
            member,
        }
    }

    fn change(comparison: Comparison, a: &str, b: &str, member: Option<usize>) -> Column {
        Column {
            kind: ColumnKind::Comparison {
                comparison,
                of: [december(a), december(b)],
                label: "% Change".into(),
            },
            member,
        }
    }

    fn segments(group_by: GroupBy) -> Members {
        let member = |id: &str, label: &str| Member {
            id: id.into(),
            label: label.into(),
        };
        Members {
            members: vec![member("domestic", "Domestic"), member("canada", "Canada")],
            total: Some(member("consolidated", "Consolidated")),
            group_by,
            relations: vec![],
        }
    }

    #[test]
    fn a_comparison_goes_under_the_header_of_the_column_to_its_left() {
        let columns = [
            of("2006-Q1", None),
            of("2005-Q1", None),
            change(Comparison::PercentChange, "2006-Q1", "2005-Q1", None),
        ];
        let h = table_headers(&columns, &Members::default());
        assert_eq!(h.top, []);
        assert_eq!(groups(&h.groups), [("Three months ended March 31,", 3)]);
        assert_eq!(h.columns, ["2006", "2005", "% Change"]);
        // Without comparisons the headers are the periods' own.
        let plain = table_headers(&columns[..2], &Members::default());
        let periods = column_headers(&[december("2006-Q1"), december("2005-Q1")]);
        assert_eq!(
            (plain.groups, plain.columns),
            (periods.groups, periods.columns)
        );
    }

    #[test]
    fn members_under_periods_print_the_periods_over_the_members() {
        let columns = [
            of("2006-Q1", Some(0)),
            of("2006-Q1", Some(1)),
            of("2006-Q1", None),
            of("2005-Q1", Some(0)),
            of("2005-Q1", Some(1)),
            of("2005-Q1", None),
        ];
        let h = table_headers(&columns, &segments(GroupBy::Period));
        assert_eq!(groups(&h.top), [("Three months ended March 31,", 6)]);
        assert_eq!(groups(&h.groups), [("2006", 3), ("2005", 3)]);
        assert_eq!(
            h.columns,
            [
                "Domestic",
                "Canada",
                "Consolidated",
                "Domestic",
                "Canada",
                "Consolidated"
            ]
        );
    }

    #[test]
    fn periods_under_members_print_the_members_over_the_periods() {
        let columns = [
            of("2006-Q1", Some(0)),
            of("2005-Q1", Some(0)),
            change(Comparison::PercentChange, "2006-Q1", "2005-Q1", Some(0)),
            of("2006-Q1", None),
            of("2005-Q1", None),
        ];
        let h = table_headers(&columns, &segments(GroupBy::Member));
        assert_eq!(groups(&h.top), [("Three months ended March 31,", 5)]);
        assert_eq!(groups(&h.groups), [("Domestic", 3), ("Consolidated", 2)]);
        assert_eq!(h.columns, ["2006", "2005", "% Change", "2006", "2005"]);
        // Balance sheets share no words: the members over the dates, two rows.
        let dates = [of("2006-03-31", Some(0)), of("2006-03-31", Some(1))];
        let h = table_headers(&dates, &segments(GroupBy::Member));
        assert_eq!(h.top, []);
        assert_eq!(groups(&h.groups), [("Domestic", 1), ("Canada", 1)]);
        assert_eq!(h.columns, ["March 31, 2006", "March 31, 2006"]);
    }

    #[test]
    fn member_sums_parse_with_their_signs() {
        assert_eq!(
            parse_member_sum("domestic + canada - eliminations").unwrap(),
            [
                ("domestic", false),
                ("canada", false),
                ("eliminations", true)
            ]
        );
        assert_eq!(
            parse_member_sum("as_reported").unwrap(),
            [("as_reported", false)]
        );
        for bad in ["", "a +", "+ a", "a+b", "a + + b", "Domestic", "a b"] {
            assert!(parse_member_sum(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
