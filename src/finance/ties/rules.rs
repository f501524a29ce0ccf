//! The rules of [`super`]: a period reported again, and a period that adds up its quarters.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use ahash::RandomState;
use rust_decimal::Decimal;

use super::{Archive, FigureRef, Finding, Ties};
use crate::finance::amount::Amount;
use crate::finance::format::{format_amount, format_percent};
use crate::finance::period::Period;
use crate::finance::relations::{Approximate, Difference, difference, period_phrase};
use crate::finance::statement::{LineItem, RowKind, Statement};

/// A figure as one column of one table reports it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Report<'a> {
    pub id: &'a str,
    pub at: FigureRef,
    pub table: &'a Statement,
    pub row: &'a LineItem,
    pub period: &'a Period,
    /// Nil counts as zero, as in relations.
    pub amount: Amount,
    /// Whether its table marks the period restated.
    pub restates: bool,
    /// Whether the figure is written "nil" (its amount is then zero).
    pub nil: bool,
    /// Whether the figure is a percent (its amount is then the ratio).
    pub percent: bool,
}

impl Report<'_> {
    /// "file:line" of its row.
    fn place(&self) -> String {
        format!("{}:{}", shown(&self.table.source), self.row.line)
    }

    /// The figure as messages show it: as the table writes it, "nil" for a nil figure.
    fn figure(&self) -> String {
        match (self.nil, self.percent) {
            (true, _) => "nil".into(),
            (false, true) => format_percent(&self.amount.ratio_as_percent().unwrap_or(self.amount)),
            (false, false) => format_amount(&self.amount),
        }
    }

    /// "30,007 in file:line", naming the period too where it differs from `period`'s name.
    fn as_reported(&self, period: &Period) -> String {
        if self.period.name() == period.name() {
            format!("{} in {}", self.figure(), self.place())
        } else {
            format!(
                "{} for the {} in {}, which covers the same days",
                self.figure(),
                period_phrase(self.period),
                self.place()
            )
        }
    }
}

/// A group's figures, newest release first, then in table, column and row order, with each row
/// id's reports chained: matching them by id costs one hash a figure, where sorting them by id
/// cost a dozen comparisons of text.
#[derive(Default)]
pub(super) struct Index<'a> {
    pub reports: Vec<Report<'a>>,
    /// Each row id's first and last report.
    ends: HashMap<&'a str, (u32, u32), RandomState>,
    /// The first report of each row id, in order.
    firsts: Vec<u32>,
    /// The next report of the same row id; `u32::MAX` after the last.
    next: Vec<u32>,
}

impl<'a> Index<'a> {
    /// Empties the index, keeping its memory for the next group's reports.
    pub fn clear(&mut self) {
        self.reports.clear();
        self.ends.clear();
        self.firsts.clear();
        self.next.clear();
    }

    /// Adds a report; reports come newest release first, then in table, column and row order.
    pub fn push(&mut self, report: Report<'a>) {
        // A group holds far fewer than 2^32 figures: each is a cell of a file read whole.
        let i = self.reports.len() as u32;
        match self.ends.entry(report.id) {
            Entry::Occupied(mut ends) => {
                let (_, last) = ends.get_mut();
                self.next[*last as usize] = i;
                *last = i;
            }
            Entry::Vacant(slot) => {
                slot.insert((i, i));
                self.firsts.push(i);
            }
        }
        self.reports.push(report);
        self.next.push(u32::MAX);
    }

    /// The reports of the row id whose first report is `first`, into `out`.
    fn chain<'i>(&'i self, first: u32, out: &mut Vec<&'i Report<'a>>) {
        out.clear();
        let mut at = first;
        while let Some(report) = self.reports.get(at as usize) {
            out.push(report);
            at = self.next[at as usize];
        }
    }

    /// The reports of row `id`, into `out`.
    fn of<'i>(&'i self, id: &str, out: &mut Vec<&'i Report<'a>>) {
        match self.ends.get(id) {
            Some(&(first, _)) => self.chain(first, out),
            None => out.clear(),
        }
    }

    /// Calls `each` with the reports of each row id in turn.
    pub fn by_row<'i>(&'i self, mut each: impl FnMut(&[&'i Report<'a>])) {
        let mut reports = Vec::new();
        for &first in &self.firsts {
            self.chain(first, &mut reports);
            each(&reports);
        }
    }
}

/// How a figure compares with what it should be.
enum Outcome {
    Tied,
    Within(Decimal),
    Differs(Difference),
}

/// Compares two figures; the tolerance is looked up only where they differ.
fn compare(
    stated: Amount,
    expected: Amount,
    tolerance: impl FnOnce() -> Option<Decimal>,
) -> Outcome {
    if stated.value == expected.value && stated.negative == expected.negative {
        return Outcome::Tied;
    }
    match (difference(stated.value, expected.value), tolerance()) {
        (Difference::By(d), Some(t)) if d.value <= t => Outcome::Within(t),
        (d, _) => Outcome::Differs(d),
    }
}

/// A run of reports of one figure, newest release first, that agree.
struct Run<'r, 'a> {
    /// The report of the oldest release in the run, which the next older one is compared with.
    last: &'r Report<'a>,
    /// Whether a table of the run marks the period restated, so that an older release may
    /// report it otherwise.
    restates: bool,
}

/// The largest tolerance the site and the tables of `reports` allow, none for per-share rows
/// or percents (a tolerance is in a table's units).
fn tolerance(archive: &Archive, reports: &[&Report]) -> Option<Decimal> {
    if reports
        .iter()
        .any(|r| r.row.kind == RowKind::PerShare || r.percent)
    {
        return None;
    }
    reports
        .iter()
        .filter_map(|r| r.table.tolerance)
        .chain(archive.settings.tolerance)
        .max()
}

fn tie(out: &mut Ties, wanted: &dyn Fn(FigureRef) -> bool, reports: &[&Report]) {
    out.tied
        .extend(reports.iter().map(|r| r.at).filter(|&at| wanted(at)));
}

/// The note of `report`'s figure, which `other` reported again within `tolerance`.
fn within_note(report: &Report, other: &Report, tolerance: Decimal) -> String {
    format!(
        "{}, {}: {} here and {} ({}, within a tolerance of {tolerance})",
        report.id,
        period_phrase(report.period),
        report.figure(),
        other.as_reported(report.period),
        difference(report.amount.value, other.amount.value)
    )
}

fn approximately(out: &mut Ties, reports: &[&Report], tolerance: Decimal, note: String) {
    for report in reports {
        out.within.push((
            report.at,
            Approximate {
                tolerance,
                note: note.clone(),
            },
        ));
    }
}

fn finding(report: &Report, message: String) -> Finding {
    Finding {
        release: report.at.release,
        table: report.at.table,
        line: report.row.line,
        column: report.at.column,
        message: format!("{}, {}: {message}", report.id, period_phrase(report.period)),
    }
}

/// Checks the reports of one row id for one span (newest release first): each release's first
/// report against the newest release's that agree with it, and, within a release, a report under
/// another name of the same days against that release's first.
pub(super) fn same_period(
    archive: &Archive,
    wanted: &dyn Fn(FigureRef) -> bool,
    out: &mut Ties,
    reports: &[&Report],
) {
    // A row is a percent wherever it is reported, or nowhere: 38.2% is not 0.382.
    if let Some(odd) = reports.iter().find(|r| r.percent != reports[0].percent) {
        let kind = |r: &Report| if r.percent { "a percent" } else { "an amount" };
        out.findings.push(finding(
            odd,
            format!(
                "{} here is {} but {} is {}; a row reports the same kind of figure wherever it \
                 appears",
                odd.figure(),
                kind(odd),
                reports[0].as_reported(odd.period),
                kind(reports[0])
            ),
        ));
        return;
    }
    let mut newer: Option<Run> = None;
    for release in reports.chunk_by(|a, b| a.at.release == b.at.release) {
        let head = release[0];
        for &other in &release[1..] {
            if other.period.name() == head.period.name() {
                continue; // The same column name in two tables: the relations' to tie.
            }
            let pair = [head, other];
            match compare(other.amount, head.amount, || tolerance(archive, &pair)) {
                Outcome::Tied => tie(out, wanted, &pair),
                Outcome::Within(t) => approximately(out, &pair, t, within_note(other, head, t)),
                Outcome::Differs(d) => out.findings.push(finding(
                    other,
                    format!(
                        "{} here but {} ({d}); a period has the same figures wherever it is \
                         reported",
                        other.figure(),
                        head.as_reported(other.period)
                    ),
                )),
            }
        }
        let restates = release.iter().any(|r| r.restates);
        let Some(run) = newer.as_mut() else {
            newer = Some(Run {
                last: head,
                restates,
            });
            continue;
        };
        let pair = [head, run.last];
        let extends = match compare(head.amount, run.last.amount, || tolerance(archive, &pair)) {
            Outcome::Tied => {
                if !run.restates {
                    tie(out, wanted, &pair);
                }
                true
            }
            // A newer release restated the period: this one starts a run of its own.
            _ if run.restates => false,
            Outcome::Within(t) => {
                approximately(out, &pair, t, within_note(head, run.last, t));
                true
            }
            Outcome::Differs(d) => {
                out.findings.push(finding(
                    head,
                    format!(
                        "{} here but {} ({d}); a period reported again must have the same \
                         figures (if the newer figure restates this one, add restated = \
                         [\"{}\"] to {})",
                        head.figure(),
                        run.last.as_reported(head.period),
                        run.last.period,
                        shown(&run.last.table.source)
                    ),
                ));
                // The older releases are compared with the newer figure still.
                continue;
            }
        };
        if extends {
            run.last = head;
            run.restates |= restates;
        } else {
            newer = Some(Run {
                last: head,
                restates,
            });
        }
    }
}

/// The report of a quarter as release `release` knew it, from `reports` (newest first): the
/// newest at or before it, else the oldest after it, unless that one restates a figure the
/// archive does not hold.
fn as_of<'r, 'a>(reports: &[&'r Report<'a>], release: usize) -> Option<&'r Report<'a>> {
    let at = reports.partition_point(|r| r.at.release < release);
    if let Some(report) = reports.get(at) {
        return Some(report);
    }
    let oldest = reports.last()?.at.release;
    let first = reports.partition_point(|r| r.at.release < oldest);
    let oldest = &reports[first..];
    (!oldest.iter().any(|r| r.restates)).then(|| oldest[0])
}

/// Checks that `report` (of a period that adds up quarters) is the sum of those quarters.
pub(super) fn sum_of_quarters(
    archive: &Archive,
    wanted: &dyn Fn(FigureRef) -> bool,
    out: &mut Ties,
    report: &Report,
    quarters: &[&Index],
) {
    // Percent rows never add up over time (`LineItem::is_additive`, the one rule for it).
    if !report.row.is_additive() {
        return;
    }
    let mut figures = Vec::with_capacity(quarters.len() + 1);
    figures.push(report);
    let mut reports = Vec::new();
    for index in quarters {
        index.of(report.id, &mut reports);
        match as_of(&reports, report.at.release) {
            Some(quarter) if quarter.row.is_additive() => figures.push(quarter),
            _ => return, // A quarter the archive lacks, or one that does not add up.
        }
    }
    let parts = &figures[1..];
    let mut sum = Decimal::ZERO;
    for part in parts {
        let Some(next) = sum.checked_add(part.amount.value) else {
            out.findings.push(finding(
                report,
                format!(
                    "its quarters cannot be added up: the sum overflows at {} {} ({})",
                    part.period.short_label(),
                    part.figure(),
                    crate::finance::expr::LIMIT
                ),
            ));
            return;
        };
        sum = next;
    }
    let listed = || {
        let each: Vec<String> = parts
            .iter()
            .map(|p| format!("{} {} ({})", p.period.short_label(), p.figure(), p.place()))
            .collect();
        each.join(", ")
    };
    let sum = Amount::new(sum);
    match compare(report.amount, sum, || tolerance(archive, &figures)) {
        Outcome::Tied => tie(out, wanted, &figures),
        Outcome::Within(t) => approximately(
            out,
            &figures,
            t,
            format!(
                "{}, {}: its quarters sum to {} and the row states {} ({}, within a tolerance of \
                 {t}): {}",
                report.id,
                period_phrase(report.period),
                format_amount(&sum),
                report.figure(),
                difference(report.amount.value, sum.value),
                listed()
            ),
        ),
        Outcome::Differs(d) => out.findings.push(finding(
            report,
            format!(
                "its quarters sum to {} but the row states {} ({d}): {}; a row whose figures do \
                 not add up over time (a balance at the start of the period) says so with \
                 not_additive = \"reason\"",
                format_amount(&sum),
                report.figure(),
                listed()
            ),
        )),
    }
}

/// A path as messages show it: a site in the current folder names its files "content/...", not
/// "./content/..." (as [`crate::error::Location`] does).
fn shown(path: &std::path::Path) -> std::path::Display<'_> {
    path.strip_prefix(".").unwrap_or(path).display()
}
