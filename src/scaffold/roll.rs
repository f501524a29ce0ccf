//! Where each period goes when a release rolls from its quarter to the next one.
//!
//! A period is read by the part it plays beside the latest release's quarter, and plays the
//! same part beside the new one:
//! - a quarter, or the twelve months ending with one, moves on by as many quarters as the
//!   release does: the same quarter of a prior year stays one, a prior quarter stays the prior
//!   quarter, a trend of eight quarters shifts by one;
//! - the fiscal year to date at the release's quarter (of this year or of a prior one) stays
//!   the year to date at the new quarter: 2006-3M → 2006-6M → 2006-9M → 2006-FY → 2007-3M;
//!   another year to date moves on like a quarter; a full year that is not the release's year
//!   to date (2005-FY beside 2006-Q2) is a completed year, as many years before the release's
//!   fiscal year as it was;
//! - a balance-sheet date at the release's quarter end moves to the new quarter end; a fiscal
//!   year end before it stays as many years before the release's fiscal year as it was, so the
//!   prior year end stays the prior year end, and after a fourth quarter the year end just
//!   reported becomes it; another quarter end moves on like a quarter (a row of quarter-end
//!   balances shifts as a whole); a date that ends no quarter (an acquisition date) stays.
//!
//! Every date is the calendar's: on a 52/53-week calendar a quarter end is a Saturday, not a
//! month end.
//!
//! A table also decides whether its quarters carry year-to-date columns beside them (see
//! [`Roll::columns`]).

use crate::finance::period::{quarter_at, quarter_index};
use crate::finance::{Date, FiscalCalendar, Period, PeriodName};

/// The fiscal year to date at the end of quarter `quarters` of `year`: at the fourth, the year.
fn year_to_date(year: i32, quarters: u8) -> PeriodName {
    if quarters >= 4 {
        PeriodName::FiscalYear { year }
    } else {
        PeriodName::YearToDate { year, quarters }
    }
}

/// The fiscal year and quarters of a year to date or a full year.
fn to_date(name: PeriodName) -> Option<(i32, u8)> {
    match name {
        PeriodName::YearToDate { year, quarters } => Some((year, quarters)),
        PeriodName::FiscalYear { year } => Some((year, 4)),
        _ => None,
    }
}

/// How periods move from the latest release's quarter to the new release's quarter.
pub(super) struct Roll<'a> {
    pub from: Period,
    pub to: Period,
    /// The fiscal year and quarter of each.
    from_quarter: (i32, u8),
    to_quarter: (i32, u8),
    calendar: &'a FiscalCalendar,
}

/// Where a column of the new table comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    /// The latest table's column at this index, rolled.
    Rolled(usize),
    /// The year to date added beside the latest table's quarter column at this index.
    ToDateOf(usize),
}

/// The new table's columns, each with where it comes from.
#[derive(Debug)]
pub(super) struct Plan {
    pub columns: Vec<Period>,
    pub sources: Vec<Source>,
}

impl Plan {
    /// The new columns that the latest table's column `old` became: none where it was dropped,
    /// two for a quarter given its year to date.
    pub fn successors(&self, old: usize) -> impl Iterator<Item = &Period> {
        self.columns
            .iter()
            .zip(&self.sources)
            .filter(move |(_, s)| matches!(s, Source::Rolled(i) | Source::ToDateOf(i) if *i == old))
            .map(|(p, _)| p)
    }
}

impl<'a> Roll<'a> {
    /// The roll from the quarter `from` to a later quarter `to`.
    pub fn new(
        from: Period,
        to: Period,
        calendar: &'a FiscalCalendar,
    ) -> std::result::Result<Roll<'a>, String> {
        let PeriodName::Quarter {
            year: from_year,
            quarter: from_quarter,
        } = from.name()
        else {
            return Err(format!(
                "only quarterly releases are scaffolded; the latest release reports {from}"
            ));
        };
        let (next_year, next_quarter) = quarter_at(quarter_index(from_year, from_quarter) + 1);
        let next = PeriodName::Quarter {
            year: next_year,
            quarter: next_quarter,
        };
        let PeriodName::Quarter {
            year: to_year,
            quarter: to_quarter,
        } = to.name()
        else {
            return Err(format!(
                "a release reports a fiscal quarter; {to} is not one (the quarter after the \
                 latest release, {from}, is {next})"
            ));
        };
        if quarter_index(to_year, to_quarter) <= quarter_index(from_year, from_quarter) {
            return Err(format!(
                "{to} does not come after {from}, the period of the latest release; the next \
                 quarter is {next}"
            ));
        }
        Ok(Roll {
            from,
            to,
            from_quarter: (from_year, from_quarter),
            to_quarter: (to_year, to_quarter),
            calendar,
        })
    }

    fn quarters(&self) -> i32 {
        quarter_index(self.to_quarter.0, self.to_quarter.1)
            - quarter_index(self.from_quarter.0, self.from_quarter.1)
    }

    /// Fiscal years between the two releases.
    fn years(&self) -> i32 {
        self.to_quarter.0 - self.from_quarter.0
    }

    fn shift(&self, year: i32, quarter: u8) -> (i32, u8) {
        quarter_at(quarter_index(year, quarter) + self.quarters())
    }

    /// Whether `name` is a fiscal year to date at the latest release's quarter (2006-6M or
    /// 2005-6M beside 2006-Q2; 2006-3M beside 2006-Q1; 2005-FY beside 2006-Q4).
    fn is_release_to_date(&self, name: PeriodName) -> bool {
        to_date(name).is_some_and(|(_, quarters)| quarters == self.from_quarter.1)
    }

    /// The year to date of `year` (a year to date at the latest release's quarter, or that
    /// quarter) at the new release's quarter, as many years before its fiscal year.
    fn release_to_date(&self, year: i32) -> PeriodName {
        year_to_date(year + self.years(), self.to_quarter.1)
    }

    /// Where one period goes on its own (in prose, and in the references of a relation).
    pub fn name(&self, name: PeriodName) -> PeriodName {
        match name {
            PeriodName::Quarter { year, quarter } => {
                let (year, quarter) = self.shift(year, quarter);
                PeriodName::Quarter { year, quarter }
            }
            PeriodName::TrailingTwelveMonths { year, quarter } => {
                let (year, quarter) = self.shift(year, quarter);
                PeriodName::TrailingTwelveMonths { year, quarter }
            }
            PeriodName::YearToDate { year, .. } | PeriodName::FiscalYear { year }
                if self.is_release_to_date(name) =>
            {
                self.release_to_date(year)
            }
            PeriodName::FiscalYear { year } => PeriodName::FiscalYear {
                year: year + self.years(),
            },
            PeriodName::YearToDate { year, quarters } => {
                let (year, quarters) = self.shift(year, quarters);
                year_to_date(year, quarters)
            }
            PeriodName::Instant(date) => self.instant(date, false),
        }
    }

    /// Where a balance-sheet date goes; in a `trend`, every quarter end moves on like a quarter.
    fn instant(&self, date: Date, trend: bool) -> PeriodName {
        let moved = if date == self.from.end() {
            Some(self.to.end())
        } else {
            match self.calendar.quarter_ending_on(date) {
                Some((year, 4)) if !trend => self.calendar.year_end(year + self.years()),
                Some((year, quarter)) => {
                    let (year, quarter) = self.shift(year, quarter);
                    self.calendar.quarter_end(year, quarter)
                }
                // An acquisition date, say: not a period of the calendar, so it stays.
                None => Some(date),
            }
        };
        PeriodName::Instant(moved.unwrap_or(date))
    }

    /// Whether `columns` are the latest release's quarter and the same quarter of prior years,
    /// each once: the comparative statement whose quarters a release prints beside their years
    /// to date.
    fn is_comparative(&self, columns: &[PeriodName]) -> bool {
        let (year, quarter) = self.from_quarter;
        columns.len() >= 2
            && columns.contains(&PeriodName::Quarter { year, quarter })
            && columns
                .iter()
                .all(|c| matches!(c, PeriodName::Quarter { quarter: q, .. } if *q == quarter))
    }

    /// The new table's columns.
    ///
    /// Besides moving each column as [`Roll::name`] does, a table whose columns include
    /// quarters may carry, beside them, the year to date of each quarter column that is the
    /// release's quarter (or that quarter of a prior year): six months beside the second
    /// quarter, nine beside the third, the full year beside the fourth, none beside the first.
    /// `year_to_date` (the table's key) says whether it does; without it, a table does if it
    /// already has such columns, or if it rolls from a first quarter and its columns are that
    /// quarter and the same quarter of prior years. A table whose columns are years to date
    /// and no quarters (cash flows: 2006-3M, 2005-3M) is a year-to-date table and keeps being
    /// one, whatever `year_to_date` says.
    pub fn columns(
        &self,
        columns: &[Period],
        year_to_date: Option<bool>,
    ) -> std::result::Result<Plan, String> {
        let names: Vec<PeriodName> = columns.iter().map(Period::name).collect();
        let has_quarters = names
            .iter()
            .any(|n| matches!(n, PeriodName::Quarter { .. }));
        let beside_quarters = |n: PeriodName| has_quarters && self.is_release_to_date(n);
        let has_to_date = names.iter().any(|n| beside_quarters(*n));
        let wanted = self.to_quarter.1 > 1
            && has_quarters
            && year_to_date.unwrap_or(
                has_to_date || (self.from_quarter.1 == 1 && self.is_comparative(&names)),
            );
        let mut new: Vec<(PeriodName, Source)> = Vec::with_capacity(names.len() * 2);
        for (i, &name) in names.iter().enumerate() {
            let rolled = match to_date(name) {
                Some((year, _)) if beside_quarters(name) => {
                    wanted.then(|| self.release_to_date(year))
                }
                _ => Some(self.name(name)),
            };
            new.extend(rolled.map(|r| (r, Source::Rolled(i))));
        }
        if wanted && !has_to_date {
            // After the last quarter, in the order of their quarters.
            let at = new
                .iter()
                .rposition(|(n, _)| matches!(n, PeriodName::Quarter { .. }))
                .map_or(new.len(), |i| i + 1);
            let added: Vec<(PeriodName, Source)> = names
                .iter()
                .enumerate()
                .filter_map(|(i, n)| match *n {
                    PeriodName::Quarter { year, quarter } if quarter == self.from_quarter.1 => {
                        Some((self.release_to_date(year), Source::ToDateOf(i)))
                    }
                    _ => None,
                })
                .collect();
            new.splice(at..at, added);
        }
        if duplicate(&new).is_some() {
            // Quarter-end balances side by side (a five-quarter balance sheet): a trend.
            for (name, source) in &mut new {
                if let (PeriodName::Instant(_), Source::Rolled(i)) = (*name, *source)
                    && let PeriodName::Instant(date) = names[i]
                {
                    *name = self.instant(date, true);
                }
            }
        }
        if let Some((a, b)) = duplicate(&new) {
            let old = |s: Source| match s {
                Source::Rolled(i) => names[i].to_string(),
                Source::ToDateOf(i) => format!("the year to date beside {}", names[i]),
            };
            return Err(format!(
                "the columns {} and {} would both become {}; write the columns this table \
                 should have for {} by hand",
                old(new[a].1),
                old(new[b].1),
                new[a].0,
                self.to
            ));
        }
        let mut plan = Plan {
            columns: Vec::with_capacity(new.len()),
            sources: Vec::with_capacity(new.len()),
        };
        for (name, source) in new {
            plan.columns.push(self.calendar.place(name)?);
            plan.sources.push(source);
        }
        Ok(plan)
    }
}

/// The first two entries with the same period.
fn duplicate(columns: &[(PeriodName, Source)]) -> Option<(usize, usize)> {
    columns.iter().enumerate().find_map(|(b, (name, _))| {
        columns[..b]
            .iter()
            .position(|(other, _)| other == name)
            .map(|a| (a, b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::calendar::Settings;

    fn december() -> FiscalCalendar {
        FiscalCalendar::default()
    }

    fn calendar(year_end: &str, named_by: Option<&str>) -> FiscalCalendar {
        FiscalCalendar::new(&Settings {
            fiscal_year_end: Some(year_end),
            named_by,
            ..Settings::default()
        })
        .unwrap()
    }

    fn roll<'a>(c: &'a FiscalCalendar, from: &str, to: &str) -> Roll<'a> {
        Roll::new(c.parse(from).unwrap(), c.parse(to).unwrap(), c).unwrap()
    }

    /// The new columns of `columns` rolled from `from` to `to`.
    fn columns(
        c: &FiscalCalendar,
        from: &str,
        to: &str,
        columns: &[&str],
        year_to_date: Option<bool>,
    ) -> Vec<String> {
        let periods: Vec<Period> = columns.iter().map(|p| c.parse(p).unwrap()).collect();
        roll(c, from, to)
            .columns(&periods, year_to_date)
            .unwrap()
            .columns
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_comparative_statement_gains_its_year_to_date_and_starts_over_each_year() {
        let c = december();
        let q2 = columns(&c, "2006-Q1", "2006-Q2", &["2006-Q1", "2005-Q1"], None);
        assert_eq!(q2, ["2006-Q2", "2005-Q2", "2006-6M", "2005-6M"]);
        let q3 = columns(
            &c,
            "2006-Q2",
            "2006-Q3",
            &["2006-Q2", "2005-Q2", "2006-6M", "2005-6M"],
            None,
        );
        assert_eq!(q3, ["2006-Q3", "2005-Q3", "2006-9M", "2005-9M"]);
        let q4 = columns(
            &c,
            "2006-Q3",
            "2006-Q4",
            &["2006-Q3", "2005-Q3", "2006-9M", "2005-9M"],
            None,
        );
        assert_eq!(q4, ["2006-Q4", "2005-Q4", "2006-FY", "2005-FY"]);
        let q1 = columns(
            &c,
            "2006-Q4",
            "2007-Q1",
            &["2006-Q4", "2005-Q4", "2006-FY", "2005-FY"],
            None,
        );
        assert_eq!(q1, ["2007-Q1", "2006-Q1"]);
        // A skipped quarter: from the first to the third.
        let q3 = columns(&c, "2006-Q1", "2006-Q3", &["2006-Q1", "2005-Q1"], None);
        assert_eq!(q3, ["2006-Q3", "2005-Q3", "2006-9M", "2005-9M"]);
    }

    #[test]
    fn the_table_key_opts_in_and_out_of_year_to_date_columns() {
        let c = december();
        let out = columns(
            &c,
            "2006-Q1",
            "2006-Q2",
            &["2006-Q1", "2005-Q1"],
            Some(false),
        );
        assert_eq!(out, ["2006-Q2", "2005-Q2"]);
        let dropped = columns(
            &c,
            "2006-Q2",
            "2006-Q3",
            &["2006-Q2", "2005-Q2", "2006-6M", "2005-6M"],
            Some(false),
        );
        assert_eq!(dropped, ["2006-Q3", "2005-Q3"]);
        // A sequential table has none unless it asks, and then beside its release quarters.
        let sequential = ["2006-Q1", "2005-Q4", "2005-Q1"];
        assert_eq!(
            columns(&c, "2006-Q1", "2006-Q2", &sequential, None),
            ["2006-Q2", "2006-Q1", "2005-Q2"]
        );
        assert_eq!(
            columns(&c, "2006-Q1", "2006-Q2", &sequential, Some(true)),
            ["2006-Q2", "2006-Q1", "2005-Q2", "2006-6M", "2005-6M"]
        );
        // A table that dropped them by hand does not get them back without asking.
        let by_hand = ["2006-Q2", "2005-Q2"];
        assert_eq!(
            columns(&c, "2006-Q2", "2006-Q3", &by_hand, None),
            ["2006-Q3", "2005-Q3"]
        );
        assert_eq!(
            columns(&c, "2006-Q2", "2006-Q3", &by_hand, Some(true)),
            ["2006-Q3", "2005-Q3", "2006-9M", "2005-9M"]
        );
        // A single quarter is not a comparative statement.
        assert_eq!(
            columns(&c, "2006-Q1", "2006-Q2", &["2006-Q1"], None),
            ["2006-Q2"]
        );
    }

    #[test]
    fn a_year_to_date_table_stays_one_through_the_year() {
        let c = december();
        let mut cols = vec!["2006-3M".to_string(), "2005-3M".to_string()];
        let steps = [
            ("2006-Q1", "2006-Q2", ["2006-6M", "2005-6M"]),
            ("2006-Q2", "2006-Q3", ["2006-9M", "2005-9M"]),
            ("2006-Q3", "2006-Q4", ["2006-FY", "2005-FY"]),
            ("2006-Q4", "2007-Q1", ["2007-3M", "2006-3M"]),
        ];
        for (from, to, expected) in steps {
            let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
            // The key is about year-to-date columns beside quarters; this table has none.
            cols = columns(&c, from, to, &refs, Some(false));
            assert_eq!(cols, expected, "{from} → {to}");
        }
    }

    #[test]
    fn balance_sheets_roll_to_the_new_quarter_end_and_the_prior_year_end() {
        let c = december();
        let bs = |from, to, cols: &[&str]| columns(&c, from, to, cols, None);
        assert_eq!(
            bs("2006-Q1", "2006-Q2", &["2006-03-31", "2005-12-31"]),
            ["2006-06-30", "2005-12-31"]
        );
        assert_eq!(
            bs("2006-Q3", "2006-Q4", &["2006-09-30", "2005-12-31"]),
            ["2006-12-31", "2005-12-31"]
        );
        assert_eq!(
            bs("2006-Q4", "2007-Q1", &["2006-12-31", "2005-12-31"]),
            ["2007-03-31", "2006-12-31"]
        );
        // The same quarter end of the prior year moves like a quarter.
        assert_eq!(
            bs("2006-Q1", "2006-Q2", &["2006-03-31", "2005-03-31"]),
            ["2006-06-30", "2005-06-30"]
        );
        // Five quarter ends side by side shift as a whole.
        assert_eq!(
            bs(
                "2006-Q1",
                "2006-Q2",
                &[
                    "2006-03-31",
                    "2005-12-31",
                    "2005-09-30",
                    "2005-06-30",
                    "2005-03-31"
                ]
            ),
            [
                "2006-06-30",
                "2006-03-31",
                "2005-12-31",
                "2005-09-30",
                "2005-06-30"
            ]
        );
    }

    #[test]
    fn dates_come_from_a_52_53_week_calendar() {
        // Fiscal 2006 of a retailer runs from January 29, 2006 to February 3, 2007 (53 weeks).
        let c = calendar("Saturday nearest January 31", Some("start"));
        let bs = |from, to, cols: &[&str]| columns(&c, from, to, cols, None);
        assert_eq!(
            bs("2006-Q1", "2006-Q2", &["2006-04-29", "2006-01-28"]),
            ["2006-07-29", "2006-01-28"]
        );
        assert_eq!(
            bs("2006-Q3", "2006-Q4", &["2006-10-28", "2006-01-28"]),
            ["2007-02-03", "2006-01-28"]
        );
        assert_eq!(
            bs("2006-Q4", "2007-Q1", &["2007-02-03", "2006-01-28"]),
            ["2007-05-05", "2007-02-03"]
        );
        let r = roll(&c, "2006-Q4", "2007-Q1");
        assert_eq!(r.to.end().iso(), "2007-05-05");
        assert_eq!(r.to.weeks(), 13);
        let september = calendar("September 30", None);
        assert_eq!(
            columns(
                &september,
                "2006-Q1",
                "2006-Q2",
                &["2005-12-31", "2005-09-30"],
                None
            ),
            ["2006-03-31", "2005-09-30"]
        );
    }

    #[test]
    fn trend_and_sequential_tables_shift_by_a_quarter() {
        let c = december();
        let trend = [
            "2006-Q1", "2005-Q4", "2005-Q3", "2005-Q2", "2005-Q1", "2004-Q4", "2004-Q3", "2004-Q2",
        ];
        assert_eq!(
            columns(&c, "2006-Q1", "2006-Q2", &trend, None),
            [
                "2006-Q2", "2006-Q1", "2005-Q4", "2005-Q3", "2005-Q2", "2005-Q1", "2004-Q4",
                "2004-Q3"
            ]
        );
        assert_eq!(
            columns(
                &c,
                "2006-Q4",
                "2007-Q1",
                &["2006-Q4", "2006-Q3", "2005-Q4"],
                None
            ),
            ["2007-Q1", "2006-Q4", "2006-Q1"]
        );
        assert_eq!(
            columns(
                &c,
                "2006-Q2",
                "2006-Q3",
                &["2006-Q2-TTM", "2005-Q2-TTM"],
                None
            ),
            ["2006-Q3-TTM", "2005-Q3-TTM"]
        );
        // A completed year beside the quarters stays until the next year is complete.
        assert_eq!(
            columns(&c, "2006-Q2", "2006-Q3", &["2006-Q2", "2005-FY"], None),
            ["2006-Q3", "2005-FY"]
        );
    }

    #[test]
    fn single_periods_roll_for_prose_and_references() {
        let c = december();
        let r = roll(&c, "2006-Q1", "2006-Q2");
        let name = |s: &str| r.name(s.parse().unwrap()).to_string();
        assert_eq!(name("2005-Q4"), "2006-Q1");
        assert_eq!(name("2006-3M"), "2006-6M");
        assert_eq!(name("2005-FY"), "2005-FY");
        assert_eq!(name("2006-03-31"), "2006-06-30");
        assert_eq!(name("2005-12-31"), "2005-12-31");
        assert_eq!(name("2006-Q1-TTM"), "2006-Q2-TTM");
        assert_eq!(name("2006-02-14"), "2006-02-14");
        let r = roll(&c, "2006-Q4", "2007-Q1");
        assert_eq!(r.name("2006-FY".parse().unwrap()).to_string(), "2007-3M");
        assert_eq!(
            r.name("2005-12-31".parse().unwrap()).to_string(),
            "2006-12-31"
        );
    }

    #[test]
    fn only_a_later_quarter_is_a_target() {
        let c = december();
        let p = |s: &str| c.parse(s).unwrap();
        let err = Roll::new(p("2006-Q2"), p("2006-Q1"), &c).err().unwrap();
        assert!(err.contains("2006-Q1 does not come after 2006-Q2"), "{err}");
        assert!(err.contains("the next quarter is 2006-Q3"), "{err}");
        assert!(Roll::new(p("2006-Q2"), p("2006-Q2"), &c).is_err());
        let err = Roll::new(p("2006-Q2"), p("2006-6M"), &c).err().unwrap();
        assert!(err.contains("2006-6M is not one"), "{err}");
        let err = Roll::new(p("2006-FY"), p("2007-Q1"), &c).err().unwrap();
        assert!(err.contains("only quarterly releases"), "{err}");
    }

    #[test]
    fn columns_that_would_coincide_are_refused() {
        let c = december();
        let periods = [c.parse("2006-9M").unwrap(), c.parse("2006-FY").unwrap()];
        let err = roll(&c, "2006-Q3", "2006-Q4")
            .columns(&periods, None)
            .unwrap_err();
        assert_eq!(
            err,
            "the columns 2006-9M and 2006-FY would both become 2006-FY; write the columns this \
             table should have for 2006-Q4 by hand"
        );
    }
}
