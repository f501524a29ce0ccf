//! Figures that tie across releases: the archive holds every quarter, so each release's figures
//! are checked against the others'.
//!
//! - **The same period, reported again.** A period that two releases report (a prior-year
//!   quarter, a balance-sheet date), or that one release reports under two names covering the
//!   same days (`2006-3M` beside `2006-Q1`, `2005-FY` beside `2005-Q4-TTM`), has the same
//!   figures wherever it appears, row by row (the same row id is the same measure in any table).
//!   A newer release may differ from an older one only where its table marks the period
//!   `restated`. Within one release, the same period under the same name in two tables is left
//!   to the relations (`equals = "operations.net_income"`).
//! - **Periods that add up.** A year to date of two or more quarters, a fiscal year and a
//!   trailing twelve months are the sum of their fiscal quarters (as the site's calendar places
//!   them) wherever the archive reports all of them, for rows whose figures add up over time:
//!   not per-share amounts, share counts or a row marked `not_additive`. Each quarter is taken
//!   as the release of the sum knew it: from the newest release at or before it (itself
//!   included), else from the oldest after it, so that a restatement published later does not
//!   fault a release for not knowing it.
//!
//! A tolerance (the site's `cross_release_tolerance`, or the `tolerance` of a table whose
//! figures are compared; the largest applies) accepts a difference of at most that much, never
//! for a per-share amount; such figures are reported apart, never counted as tied.
//!
//! Cost: the columns of every table are grouped by the days they cover; each group's figures are
//! matched by row id through an index made for the group (one hash a figure, each id's reports
//! chained) and reused for the next, so memory stays flat however large the archive, and the
//! work is linear in the figures reported.

mod rules;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::amount::{Amount, Cell};
use super::calendar::FiscalCalendar;
use super::date::Date;
use super::period::{Period, PeriodName, quarter_at, quarter_index};
use super::relations::Approximate;
use super::statement::Statement;
use rules::{Index, Report, same_period, sum_of_quarters};

/// A figure of the archive: its release (by index, newest first), table, row (in
/// [`Statement::all_rows`] order) and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FigureRef {
    pub release: usize,
    pub table: usize,
    pub row: usize,
    pub column: usize,
}

/// The days a period covers: columns covering the same days report the same figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    // In this order, so that spans sort by their last day.
    end: Date,
    start: Date,
    instant: bool,
}

impl Span {
    pub fn of(period: &Period) -> Span {
        Span {
            end: period.end(),
            start: period.start(),
            instant: period.is_instant(),
        }
    }
}

/// What to check: everything, or (after an edit) the periods the edited tables report or
/// reported, and the sums of quarters that read them.
#[derive(Debug, Clone)]
pub enum Scope {
    Everything,
    Spans(HashSet<Span>),
}

/// What the site says about ties across releases.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    pub calendar: &'a FiscalCalendar,
    /// `cross_release_tolerance` in `site.toml`.
    pub tolerance: Option<Decimal>,
}

/// A tie that does not hold, at the figure that breaks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub release: usize,
    pub table: usize,
    pub line: usize,
    /// The column of the figure, which orders the findings of a row.
    pub column: usize,
    pub message: String,
}

/// What the ties found.
#[derive(Debug, Default)]
pub struct Ties {
    pub findings: Vec<Finding>,
    /// The figures tied exactly that `wanted` asked about (a figure a relation already ties
    /// need not be listed again: an archive has millions).
    pub tied: Vec<FigureRef>,
    /// Every figure in a difference a tolerance accepted, with what it was compared with.
    pub within: Vec<(FigureRef, Approximate)>,
}

/// Checks the ties across `releases` (each release's tables, newest release first).
pub fn verify(
    releases: &[&[Statement]],
    settings: &Settings,
    scope: &Scope,
    wanted: &(dyn Fn(FigureRef) -> bool + Sync),
) -> Ties {
    let archive = Archive::new(releases, settings);
    let selected: Vec<usize> = (0..archive.groups.len())
        .filter(|&g| archive.selected(g, scope))
        .collect();
    // Contiguous runs of groups, so that a sum finds its quarters' lists still made.
    let parts: Vec<Ties> = selected
        .par_chunks(GROUPS_PER_JOB)
        .map(|groups| {
            let mut worker = Worker {
                archive: &archive,
                wanted,
                out: Ties::default(),
                quarters: HashMap::new(),
                spare: Index::default(),
            };
            for &g in groups {
                worker.check(g);
            }
            worker.out
        })
        .collect();
    let mut ties = Ties::default();
    for part in parts {
        ties.findings.extend(part.findings);
        ties.tied.extend(part.tied);
        ties.within.extend(part.within);
    }
    // In the order of the files, whatever order the groups were checked in.
    ties.findings
        .sort_by_key(|f| (f.release, f.table, f.line, f.column));
    ties
}

/// Groups of columns one job checks: enough to keep both cores busy, few enough that a job
/// rarely makes a quarter's list another job made too.
const GROUPS_PER_JOB: usize = 256;

/// A column of a table of a release.
#[derive(Debug, Clone, Copy)]
struct Column {
    span: Span,
    release: usize,
    table: usize,
    column: usize,
}

/// Every column of the archive, grouped by the days it covers.
struct Archive<'a> {
    releases: &'a [&'a [Statement]],
    settings: Settings<'a>,
    /// Sorted by span, then newest release first, then table and column.
    columns: Vec<Column>,
    /// Each span's columns, in span order.
    groups: Vec<Range<usize>>,
    /// For a group whose period sums quarters, the groups of those quarters, oldest first;
    /// `None` where it sums none or the archive lacks one of them.
    quarters: Vec<Option<Vec<usize>>>,
    /// Whether a group is one of the quarters some other group sums.
    summed: Vec<bool>,
}

impl<'a> Archive<'a> {
    fn new(releases: &'a [&'a [Statement]], settings: &Settings<'a>) -> Self {
        let mut columns = Vec::new();
        for (release, tables) in releases.iter().enumerate() {
            for (table, statement) in tables.iter().enumerate() {
                for (column, period) in statement.columns.iter().enumerate() {
                    columns.push(Column {
                        span: Span::of(period),
                        release,
                        table,
                        column,
                    });
                }
            }
        }
        columns.sort_unstable_by_key(|c| (c.span, c.release, c.table, c.column));
        let mut groups = Vec::new();
        let mut start = 0;
        for i in 1..=columns.len() {
            if i == columns.len() || columns[i].span != columns[start].span {
                groups.push(start..i);
                start = i;
            }
        }
        let mut archive = Archive {
            releases,
            settings: *settings,
            columns,
            groups,
            quarters: Vec::new(),
            summed: Vec::new(),
        };
        archive.quarters = (0..archive.groups.len())
            .map(|g| archive.quarter_groups(g))
            .collect();
        archive.summed = vec![false; archive.groups.len()];
        for &q in archive.quarters.iter().flatten().flatten() {
            archive.summed[q] = true;
        }
        archive
    }

    fn period(&self, column: &Column) -> &'a Period {
        &self.releases[column.release][column.table].columns[column.column]
    }

    fn group(&self, g: usize) -> &[Column] {
        &self.columns[self.groups[g].clone()]
    }

    fn find_group(&self, span: Span) -> Option<usize> {
        let at = self
            .groups
            .partition_point(|range| self.columns[range.start].span < span);
        (at < self.groups.len() && self.columns[self.groups[at].start].span == span).then_some(at)
    }

    /// The groups of the quarters group `g`'s period adds up, if it adds up quarters and the
    /// archive reports every one of them.
    fn quarter_groups(&self, g: usize) -> Option<Vec<usize>> {
        let whole = self.group(g).iter().find_map(|c| {
            let period = self.period(c);
            quarters_of(period.name()).map(|q| (period, q))
        });
        let (whole, quarters) = whole?;
        let calendar = self.settings.calendar;
        let placed: Vec<Period> = quarters
            .into_iter()
            .map(|(year, quarter)| calendar.place(PeriodName::Quarter { year, quarter }).ok())
            .collect::<Option<_>>()?;
        // The calendar's quarters cover the period's days exactly, or the period is not theirs.
        let first_last = (placed.first()?.start(), placed.last()?.end());
        let adjoining = placed
            .windows(2)
            .all(|w| w[0].end().add_days(1) == Some(w[1].start()));
        if first_last != (whole.start(), whole.end()) || !adjoining {
            return None;
        }
        placed
            .iter()
            .map(|q| self.find_group(Span::of(q)))
            .collect()
    }

    /// Whether group `g` is checked in `scope`.
    fn selected(&self, g: usize, scope: &Scope) -> bool {
        let Scope::Spans(spans) = scope else {
            return true;
        };
        let span_of = |g: usize| self.columns[self.groups[g].start].span;
        spans.contains(&span_of(g))
            || self.quarters[g]
                .iter()
                .flatten()
                .any(|&q| spans.contains(&span_of(q)))
    }
}

/// The fiscal quarters a period adds up, oldest first: a year to date of two or more quarters,
/// a fiscal year, a trailing twelve months.
fn quarters_of(name: PeriodName) -> Option<Vec<(i32, u8)>> {
    match name {
        PeriodName::YearToDate { year, quarters } if quarters >= 2 => {
            Some((1..=quarters).map(|q| (year, q)).collect())
        }
        PeriodName::FiscalYear { year } => Some((1..=4).map(|q| (year, q)).collect()),
        PeriodName::TrailingTwelveMonths { year, quarter } => {
            let last = quarter_index(year, quarter);
            Some((last - 3..=last).map(quarter_at).collect())
        }
        _ => None,
    }
}

struct Worker<'w, 'a> {
    archive: &'w Archive<'a>,
    wanted: &'w (dyn Fn(FigureRef) -> bool + Sync),
    out: Ties,
    /// The lists of quarters' groups a sum may read, by group: kept while a later period in
    /// this job may read them.
    quarters: HashMap<usize, Index<'a>>,
    /// An index whose memory the next group's reuses.
    spare: Index<'a>,
}

impl<'a> Worker<'_, 'a> {
    /// Group `g`'s figures, in a spare index's memory.
    fn index(&mut self, g: usize) -> Index<'a> {
        let archive = self.archive;
        let mut index = std::mem::take(&mut self.spare);
        index.clear();
        for column in archive.group(g) {
            let table = &archive.releases[column.release][column.table];
            let period = archive.period(column);
            let restates = table.restated.contains(period);
            for (row_index, row) in table.all_rows().enumerate() {
                // A percent is compared as its ratio; markers (N/A, NM, blank) are no figures.
                let (amount, nil, percent) = match row.values.get(column.column) {
                    Some(Cell::Amount(a)) => (*a, false, false),
                    Some(Cell::Percent(p)) => (p.percent_ratio(), false, true),
                    Some(Cell::Nil) => (Amount::new(Decimal::ZERO), true, false),
                    _ => continue,
                };
                index.push(Report {
                    id: &row.id,
                    at: FigureRef {
                        release: column.release,
                        table: column.table,
                        row: row_index,
                        column: column.column,
                    },
                    table,
                    row,
                    period,
                    amount,
                    restates,
                    nil,
                    percent,
                });
            }
        }
        index
    }

    fn check(&mut self, g: usize) {
        let archive = self.archive;
        let columns = archive.group(g);
        // Groups come in order of their last day, and a sum reads quarters ending within a year
        // before its own: older lists are not read again.
        let end = columns[0].span.end;
        self.quarters
            .retain(|&q, _| within_a_year(archive.group(q)[0].span.end, end));
        let first = archive.period(&columns[0]).name();
        let reported_again = columns
            .iter()
            .any(|c| c.release != columns[0].release || archive.period(c).name() != first);
        let quarters = archive.quarters[g].as_deref();
        if quarters.is_none() && !reported_again && !archive.summed[g] {
            return;
        }
        for &q in quarters.unwrap_or_default() {
            if !self.quarters.contains_key(&q) {
                let index = self.index(q);
                self.quarters.insert(q, index);
            }
        }
        let index = self.index(g);
        let mut out = std::mem::take(&mut self.out);
        if let Some(quarters) = quarters {
            let parts: Vec<&Index> = quarters.iter().map(|q| &self.quarters[q]).collect();
            for report in &index.reports {
                sum_of_quarters(archive, self.wanted, &mut out, report, &parts);
            }
        }
        if reported_again {
            index.by_row(|reports| same_period(archive, self.wanted, &mut out, reports));
        }
        self.out = out;
        if archive.summed[g] {
            self.quarters.insert(g, index);
        } else {
            self.spare = index;
        }
    }
}

fn within_a_year(earlier: Date, later: Date) -> bool {
    // A 53-week year is 371 days; a quarter may end a few days past its calendar month.
    later.days_since(earlier) <= 380
}

#[cfg(test)]
mod tests;
