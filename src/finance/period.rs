//! Reporting periods ("2006-Q1", "2004-9M", "2005-FY", "2004-Q3-TTM", "2005-12-31"), placed by
//! the company's fiscal calendar, and the column headers made from them.
//!
//! A [`PeriodName`] is what the content writes; a [`Period`] is that name placed by the site's
//! [`FiscalCalendar`]: its first and last day, and how the site words it. Periods are compared
//! and hashed by name (one site has one calendar); [`Period::same_span`] compares their days.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use super::calendar::YEARS;
pub use super::calendar::{FiscalCalendar, Wording};
pub use super::date::Date;

/// A period as the content names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodName {
    /// A fiscal quarter ("2004-Q3").
    Quarter { year: i32, quarter: u8 },
    /// The fiscal year to the end of quarter `quarters` ("2004-3M", "2004-6M", "2004-9M").
    YearToDate { year: i32, quarters: u8 },
    /// A fiscal year ("2004-FY").
    FiscalYear { year: i32 },
    /// The four quarters ending with a quarter ("2004-Q3-TTM").
    TrailingTwelveMonths { year: i32, quarter: u8 },
    /// A balance-sheet date ("2004-06-26").
    Instant(Date),
}

impl PeriodName {
    /// The fiscal year of a period of time.
    pub fn fiscal_year(&self) -> Option<i32> {
        match *self {
            PeriodName::Quarter { year, .. }
            | PeriodName::YearToDate { year, .. }
            | PeriodName::FiscalYear { year }
            | PeriodName::TrailingTwelveMonths { year, .. } => Some(year),
            PeriodName::Instant(_) => None,
        }
    }
}

impl PeriodName {
    /// The one name of the days this period covers under any calendar: the first quarter's
    /// year to date is the first quarter, the twelve months ended with the fourth quarter the
    /// fiscal year.
    pub fn canonical(self) -> PeriodName {
        match self {
            PeriodName::YearToDate { year, quarters: 1 } => {
                PeriodName::Quarter { year, quarter: 1 }
            }
            PeriodName::TrailingTwelveMonths { year, quarter: 4 } => {
                PeriodName::FiscalYear { year }
            }
            other => other,
        }
    }
}

impl fmt::Display for PeriodName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodName::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            PeriodName::YearToDate { year, quarters } => write!(f, "{year}-{}M", quarters * 3),
            PeriodName::FiscalYear { year } => write!(f, "{year}-FY"),
            PeriodName::TrailingTwelveMonths { year, quarter } => {
                write!(f, "{year}-Q{quarter}-TTM")
            }
            PeriodName::Instant(date) => f.write_str(&date.iso()),
        }
    }
}

/// Quarter `quarter` (1–4) of fiscal year `year` counted from year 0, so that quarters can be
/// stepped through across fiscal years: the next quarter is one more, a year is four.
pub fn quarter_index(year: i32, quarter: u8) -> i32 {
    year * 4 + i32::from(quarter) - 1
}

/// The fiscal year and quarter (1–4) of a [`quarter_index`].
pub fn quarter_at(index: i32) -> (i32, u8) {
    let quarter = u8::try_from(index.rem_euclid(4) + 1).unwrap_or(1);
    (index.div_euclid(4), quarter)
}

/// The forms a period is written in, for error messages.
pub const PERIOD_FORMS: &str = "\"2006-Q1\" (a quarter), \"2006-6M\" (the fiscal year to date: \
     3M, 6M or 9M), \"2005-FY\" (a fiscal year), \"2006-Q1-TTM\" (the twelve months ended with a \
     quarter) or \"2005-12-31\" (a balance-sheet date)";

impl FromStr for PeriodName {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let expected = || format!("expected a period such as {PERIOD_FORMS}; found {s:?}");
        let year_of = |y: &str| -> Result<i32, String> {
            if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) && !y.starts_with('0') {
                y.parse().map_err(|_| expected())
            } else {
                Err(expected())
            }
        };
        let quarter_of = |q: &str| match q {
            "Q1" | "Q2" | "Q3" | "Q4" => Ok(q.as_bytes()[1] - b'0'),
            _ => Err(format!("a quarter is Q1 to Q4; found {s:?}")),
        };
        let Some((y, rest)) = s.split_once('-') else {
            return Err(expected());
        };
        match rest {
            "FY" => Ok(PeriodName::FiscalYear { year: year_of(y)? }),
            "3M" | "6M" | "9M" => Ok(PeriodName::YearToDate {
                year: year_of(y)?,
                quarters: (rest.as_bytes()[0] - b'0') / 3,
            }),
            "12M" => Err(format!(
                "a fiscal year to date of twelve months is the fiscal year: write \"{y}-FY\"; \
                 found {s:?}"
            )),
            q if q.starts_with('Q') => match q.split_once('-') {
                Some((q, "TTM")) => Ok(PeriodName::TrailingTwelveMonths {
                    year: year_of(y)?,
                    quarter: quarter_of(q)?,
                }),
                Some(_) => Err(expected()),
                None => Ok(PeriodName::Quarter {
                    year: year_of(y)?,
                    quarter: quarter_of(q)?,
                }),
            },
            _ => s
                .parse::<Date>()
                .map(PeriodName::Instant)
                .map_err(|_| expected()),
        }
    }
}

/// How a site words its periods, from its calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub wording: Wording,
    /// Whether fiscal years differ from calendar years ("Q3 FY2004", "fiscal 2004").
    pub fiscal: bool,
}

/// A period placed by the fiscal calendar.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    name: PeriodName,
    start: Date,
    end: Date,
    style: Style,
}

impl PartialEq for Period {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Period {}

impl Hash for Period {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

const ORDINALS: [&str; 4] = ["first", "second", "third", "fourth"];
const MONTH_COUNTS: [&str; 3] = ["Three", "Six", "Nine"];

impl Period {
    pub fn name(&self) -> PeriodName {
        self.name
    }

    /// The first day the period covers (the date itself for a balance-sheet date).
    pub fn start(&self) -> Date {
        self.start
    }

    /// The last day the period covers.
    pub fn end(&self) -> Date {
        self.end
    }

    pub fn style(&self) -> Style {
        self.style
    }

    pub fn is_instant(&self) -> bool {
        matches!(self.name, PeriodName::Instant(_))
    }

    /// Whether two periods cover the same days ("2006-3M" and "2006-Q1", "2005-FY" and
    /// "2005-Q4-TTM"), a point in time only another point in time.
    pub fn same_span(&self, other: &Period) -> bool {
        (self.start, self.end, self.is_instant()) == (other.start, other.end, other.is_instant())
    }

    /// Whole weeks the period covers (periods of a 52/53-week calendar are whole weeks).
    pub fn weeks(&self) -> i64 {
        (self.end.days_since(self.start) + 1) / 7
    }

    /// "Three months ended", "Nine months ended", "Year ended", "13 weeks ended", or nothing
    /// for a point in time.
    pub fn duration_label(&self) -> Option<String> {
        let weeks = self.style.wording == Wording::Weeks;
        let months = match self.name {
            PeriodName::Instant(_) => return None,
            _ if weeks => return Some(format!("{} weeks ended", self.weeks())),
            PeriodName::Quarter { .. } => "Three months",
            PeriodName::YearToDate { quarters, .. } => {
                return Some(format!(
                    "{} months ended",
                    MONTH_COUNTS[usize::from(quarters.clamp(1, 3) - 1)]
                ));
            }
            PeriodName::FiscalYear { .. } => "Year",
            PeriodName::TrailingTwelveMonths { .. } => "Twelve months",
        };
        Some(format!("{months} ended"))
    }

    /// "FY2004" where fiscal years are not calendar years, "2004" where they are.
    fn year_label(&self, year: i32, space: &str) -> String {
        if self.style.fiscal {
            format!("FY{year}")
        } else {
            format!("{space}{year}")
        }
    }

    /// A short label for charts and lists: "Q1 2006", "Q3 FY2004", "9M FY2004", "FY 2005",
    /// "TTM Q3 2004", "March 31, 2006".
    pub fn short_label(&self) -> String {
        match self.name {
            PeriodName::Quarter { year, quarter } => {
                format!("Q{quarter} {}", self.year_label(year, ""))
            }
            PeriodName::YearToDate { year, quarters } => {
                format!("{}M {}", quarters * 3, self.year_label(year, ""))
            }
            PeriodName::FiscalYear { year } if self.style.fiscal => format!("FY{year}"),
            PeriodName::FiscalYear { year } => format!("FY {year}"),
            PeriodName::TrailingTwelveMonths { year, quarter } => {
                format!("TTM Q{quarter} {}", self.year_label(year, ""))
            }
            PeriodName::Instant(date) => date.long(),
        }
    }

    /// The full label: "Three months ended March 31, 2006".
    pub fn long_label(&self) -> String {
        match self.duration_label() {
            Some(duration) => format!("{duration} {}", self.end.long()),
            None => self.end.long(),
        }
    }

    /// "first quarter of 2006", "third quarter of fiscal 2004", "first nine months of fiscal
    /// 2004", used in prose such as page descriptions.
    pub fn describe(&self) -> String {
        let of_year = |year: i32| {
            if self.style.fiscal {
                format!("fiscal {year}")
            } else {
                year.to_string()
            }
        };
        match self.name {
            PeriodName::Quarter { year, quarter } => format!(
                "{} quarter of {}",
                ORDINALS[usize::from(quarter.clamp(1, 4) - 1)],
                of_year(year)
            ),
            PeriodName::YearToDate { year, quarters } => format!(
                "first {} months of {}",
                MONTH_COUNTS[usize::from(quarters.clamp(1, 3) - 1)].to_lowercase(),
                of_year(year)
            ),
            PeriodName::FiscalYear { year } => format!("fiscal year {year}"),
            PeriodName::TrailingTwelveMonths { .. } => {
                format!("twelve months ended {}", self.end.long())
            }
            PeriodName::Instant(date) => date.long(),
        }
    }

    /// Periods sort by their end date; of periods ending the same day, a balance-sheet date
    /// first, then the shorter.
    pub fn sort_key(&self) -> (Date, u8) {
        let rank = match self.name {
            PeriodName::Instant(_) => 0,
            PeriodName::Quarter { .. } => 1,
            PeriodName::YearToDate { .. } => 2,
            PeriodName::TrailingTwelveMonths { .. } => 3,
            PeriodName::FiscalYear { .. } => 4,
        };
        (self.end, rank)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.name.fmt(f)
    }
}

impl FiscalCalendar {
    /// How this calendar words its periods.
    pub fn style(&self) -> Style {
        Style {
            wording: self.wording(),
            fiscal: !self.is_calendar_year(),
        }
    }

    /// Places a named period; an error says why it cannot be placed.
    pub fn place(&self, name: PeriodName) -> Result<Period, String> {
        let unplaced = || format!("the fiscal calendar cannot place {name}");
        let (start, end) = match name {
            PeriodName::Instant(date) => (Some(date), Some(date)),
            _ if !name.fiscal_year().is_some_and(|y| YEARS.contains(&y)) => {
                return Err(format!(
                    "{name} is outside the fiscal years {}–{} the calendar places",
                    YEARS.start(),
                    YEARS.end()
                ));
            }
            PeriodName::Quarter { year, quarter } => (
                self.quarter_start(year, quarter),
                self.quarter_end(year, quarter),
            ),
            PeriodName::YearToDate { year, quarters } => {
                (self.year_start(year), self.quarter_end(year, quarters))
            }
            PeriodName::FiscalYear { year } => (self.year_start(year), self.year_end(year)),
            PeriodName::TrailingTwelveMonths { year, quarter } => (
                self.quarter_end(year - 1, quarter)
                    .and_then(|d| d.add_days(1)),
                self.quarter_end(year, quarter),
            ),
        };
        let (start, end) = start.zip(end).ok_or_else(unplaced)?;
        Ok(Period {
            name,
            start,
            end,
            style: self.style(),
        })
    }

    /// Reads and places a period written as text.
    pub fn parse(&self, text: &str) -> Result<Period, String> {
        self.place(text.parse()?)
    }

    /// Whether `date` ends a fiscal quarter (and so may head a balance sheet's column).
    pub fn is_period_end(&self, date: Date) -> bool {
        self.quarter_ending_on(date).is_some()
    }
}

/// A spanning header over consecutive columns ("Nine months ended June 26,"); an empty label
/// spans columns that share nothing worth a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderGroup {
    pub label: String,
    /// How many columns it spans.
    pub span: usize,
}

/// Column headers generated from a table's periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnHeaders {
    /// Spanning headers, left to right, covering every column; empty when there are none.
    pub groups: Vec<HeaderGroup>,
    /// One header per column.
    pub columns: Vec<String>,
}

impl ColumnHeaders {
    /// The one spanning header shared by every column, if there is exactly one.
    pub fn single_group(&self) -> Option<&str> {
        match self.groups.as_slice() {
            [only] if !only.label.is_empty() => Some(&only.label),
            _ => None,
        }
    }
}

/// The headers a statement prints above its columns, in the conventional financial style:
/// shared words go into a spanning header so each column names only what differs.
/// - Columns of the same length of time ending on the same day of the year share "Three months
///   ended June 26," over their years; of the same length ending on different days, "13 weeks
///   ended" over their dates. Runs of different lengths side by side each get their own
///   ("Three months ended December 31," | "Year ended December 31,").
/// - A trend table, four or more consecutive quarters, groups its quarters by fiscal year
///   ("Fiscal 2004" over "Q1 | Q2 | Q3 | Q4"; "2005" where fiscal years are calendar years).
/// - Balance-sheet dates print in full, with no spanning header.
pub fn column_headers(periods: &[Period]) -> ColumnHeaders {
    if periods.iter().all(Period::is_instant) {
        return ColumnHeaders {
            groups: Vec::new(),
            columns: periods.iter().map(|p| p.end().long()).collect(),
        };
    }
    if let Some(trend) = trend_headers(periods) {
        return trend;
    }
    let mut groups = Vec::new();
    let mut columns = Vec::with_capacity(periods.len());
    for run in periods.chunk_by(|a, b| a.duration_label() == b.duration_label()) {
        let first = run[0];
        let same_day = run
            .iter()
            .all(|p| (p.end().month, p.end().day) == (first.end().month, first.end().day));
        let label = match first.duration_label() {
            None => String::new(),
            Some(duration) if same_day && run.len() > 1 => {
                columns.extend(run.iter().map(|p| p.end().year.to_string()));
                groups.push(HeaderGroup {
                    label: format!("{duration} {},", first.end().month_day()),
                    span: run.len(),
                });
                continue;
            }
            Some(duration) => duration,
        };
        columns.extend(run.iter().map(|p| p.end().long()));
        groups.push(HeaderGroup {
            label,
            span: run.len(),
        });
    }
    if groups.iter().all(|g| g.label.is_empty()) {
        groups.clear();
    }
    ColumnHeaders { groups, columns }
}

/// Headers of four or more consecutive quarters, in either order, grouped by fiscal year.
fn trend_headers(periods: &[Period]) -> Option<ColumnHeaders> {
    let quarters: Vec<(i32, u8)> = periods
        .iter()
        .map(|p| match p.name() {
            PeriodName::Quarter { year, quarter } => Some((year, quarter)),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let index = |&(year, quarter): &(i32, u8)| quarter_index(year, quarter);
    let step = quarters.windows(2).map(|w| index(&w[1]) - index(&w[0]));
    let steps: Vec<i32> = step.collect();
    let consecutive = steps.iter().all(|&s| s == 1) || steps.iter().all(|&s| s == -1);
    if quarters.len() < 4 || !consecutive {
        return None;
    }
    let groups = periods
        .chunk_by(|a, b| a.name().fiscal_year() == b.name().fiscal_year())
        .map(|run| {
            let year = run[0].name().fiscal_year().unwrap_or_default();
            HeaderGroup {
                label: if run[0].style().fiscal {
                    format!("Fiscal {year}")
                } else {
                    year.to_string()
                },
                span: run.len(),
            }
        })
        .collect();
    Some(ColumnHeaders {
        groups,
        columns: quarters.iter().map(|(_, q)| format!("Q{q}")).collect(),
    })
}

/// Test helper: a period placed by the December calendar.
#[cfg(test)]
pub(crate) fn december(text: &str) -> Period {
    FiscalCalendar::default().parse(text).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::calendar::Settings;

    fn p(s: &str) -> Period {
        december(s)
    }

    fn on(year_end: &str, wording: Option<&str>) -> FiscalCalendar {
        FiscalCalendar::new(&Settings {
            fiscal_year_end: Some(year_end),
            wording,
            ..Settings::default()
        })
        .unwrap()
    }

    #[test]
    fn parses_every_kind_of_period() {
        assert_eq!(
            p("2006-Q1").name(),
            PeriodName::Quarter {
                year: 2006,
                quarter: 1
            }
        );
        assert_eq!(p("2005-FY").name(), PeriodName::FiscalYear { year: 2005 });
        assert_eq!(
            p("2004-9M").name(),
            PeriodName::YearToDate {
                year: 2004,
                quarters: 3
            }
        );
        assert_eq!(p("2005-12-31").end(), Date::new(2005, 12, 31).unwrap());
        assert_eq!(p("2006-Q1").end().long(), "March 31, 2006");
        assert_eq!(
            p("2005-Q4").long_label(),
            "Three months ended December 31, 2005"
        );
        for text in [
            "2006-Q2",
            "2006-3M",
            "2006-6M",
            "2006-9M",
            "2006-FY",
            "2006-Q3-TTM",
        ] {
            assert_eq!(p(text).to_string(), text);
        }
        let ttm = p("2006-Q2-TTM");
        assert_eq!(
            (ttm.start().iso(), ttm.end().iso()),
            ("2005-07-01".into(), "2006-06-30".into())
        );
        assert_eq!(ttm.long_label(), "Twelve months ended June 30, 2006");
        assert!(p("2006-3M").same_span(&p("2006-Q1")));
        assert!(p("2005-FY").same_span(&p("2005-Q4-TTM")));
        assert!(!p("2006-3M").same_span(&p("2006-Q2")));
        assert_ne!(p("2006-3M"), p("2006-Q1"));
    }

    #[test]
    fn refuses_malformed_periods() {
        for bad in [
            "2006-Q5",
            "2006-Q0",
            "2006Q1",
            "06-Q1",
            "2006-13-01",
            "2006-02-30",
            "2005-02-29",
            "2006-3-31",
            "Q1-2006",
            "",
            "2006",
            "2006-fy",
            "0999-Q1",
            "2006-12M",
            "2006-4M",
            "2006-Q1-LTM",
            "2006-FY-TTM",
        ] {
            assert!(bad.parse::<PeriodName>().is_err(), "{bad:?} was accepted");
        }
        assert!("2004-02-29".parse::<PeriodName>().is_ok());
        assert!(FiscalCalendar::default().parse("9999-Q1").is_err());
        assert!(FiscalCalendar::default().parse("1001-Q1").is_err());
    }

    #[test]
    fn a_september_calendar_places_and_names_fiscal_quarters() {
        let c = on("September 30", None);
        let q3 = c.parse("2004-Q3").unwrap();
        assert_eq!(q3.start().iso(), "2004-04-01");
        assert_eq!(q3.long_label(), "Three months ended June 30, 2004");
        assert_eq!(q3.short_label(), "Q3 FY2004");
        assert_eq!(q3.describe(), "third quarter of fiscal 2004");
        let nine = c.parse("2004-9M").unwrap();
        assert_eq!(nine.start().iso(), "2003-10-01");
        assert_eq!(nine.long_label(), "Nine months ended June 30, 2004");
        assert_eq!(nine.describe(), "first nine months of fiscal 2004");
        assert_eq!(c.parse("2004-FY").unwrap().short_label(), "FY2004");
        assert_eq!(p("2005-FY").short_label(), "FY 2005");
        assert_eq!(p("2006-Q1").short_label(), "Q1 2006");
        assert_eq!(p("2006-Q1").describe(), "first quarter of 2006");
    }

    #[test]
    fn a_52_53_week_calendar_counts_weeks_per_period() {
        let c = on("last Saturday of September", Some("weeks"));
        let q3 = c.parse("2004-Q3").unwrap();
        assert_eq!(q3.end().iso(), "2004-06-26");
        assert_eq!(q3.long_label(), "13 weeks ended June 26, 2004");
        assert_eq!(
            c.parse("2004-9M").unwrap().long_label(),
            "39 weeks ended June 26, 2004"
        );
        assert_eq!(
            c.parse("2006-Q4").unwrap().long_label(),
            "14 weeks ended September 30, 2006"
        );
        assert_eq!(
            c.parse("2006-FY").unwrap().long_label(),
            "53 weeks ended September 30, 2006"
        );
        let months = on("last Saturday of September", None);
        assert_eq!(
            months.parse("2004-Q3").unwrap().long_label(),
            "Three months ended June 26, 2004"
        );
        assert!(c.is_period_end(Date::new(2004, 6, 26).unwrap()));
        assert!(!c.is_period_end(Date::new(2004, 6, 30).unwrap()));
    }

    fn groups(h: &ColumnHeaders) -> Vec<(&str, usize)> {
        h.groups
            .iter()
            .map(|g| (g.label.as_str(), g.span))
            .collect()
    }

    /// The user guide's table (docs/guide.md) of what `2004-Q3` is under four calendars.
    #[test]
    fn the_readme_calendar_examples_hold() {
        let retailer = FiscalCalendar::new(&Settings {
            fiscal_year_end: Some("Saturday nearest January 31"),
            named_by: Some("start"),
            ..Settings::default()
        })
        .unwrap();
        let cases = [
            (
                FiscalCalendar::default(),
                "2004-07-01",
                "2004-09-30",
                "Q3 2004",
            ),
            (
                on("September 30", None),
                "2004-04-01",
                "2004-06-30",
                "Q3 FY2004",
            ),
            (
                on("last Saturday of September", Some("weeks")),
                "2004-03-28",
                "2004-06-26",
                "Q3 FY2004",
            ),
            (retailer.clone(), "2004-08-01", "2004-10-30", "Q3 FY2004"),
        ];
        for (calendar, start, end, short) in cases {
            let q3 = calendar.parse("2004-Q3").unwrap();
            assert_eq!(
                (q3.start().iso(), q3.end().iso()),
                (start.into(), end.into())
            );
            assert_eq!(q3.short_label(), short);
        }
        assert_eq!(retailer.year_end(2004).unwrap().iso(), "2005-01-29");
    }

    #[test]
    fn same_quarter_of_different_years_share_a_spanning_header() {
        let h = column_headers(&[p("2006-Q1"), p("2005-Q1")]);
        assert_eq!(h.single_group(), Some("Three months ended March 31,"));
        assert_eq!(h.columns, ["2006", "2005"]);
    }

    #[test]
    fn consecutive_quarters_name_their_dates() {
        let h = column_headers(&[p("2006-Q1"), p("2005-Q4"), p("2005-Q1")]);
        assert_eq!(h.single_group(), Some("Three months ended"));
        assert_eq!(
            h.columns,
            ["March 31, 2006", "December 31, 2005", "March 31, 2005"]
        );
    }

    #[test]
    fn balance_sheet_dates_have_no_spanning_header() {
        let h = column_headers(&[p("2006-03-31"), p("2005-12-31")]);
        assert_eq!(h.groups, []);
        assert_eq!(h.columns, ["March 31, 2006", "December 31, 2005"]);
    }

    #[test]
    fn quarter_and_year_to_date_columns_group_side_by_side() {
        let c = on("September 30", None);
        let cols: Vec<Period> = ["2004-Q3", "2003-Q3", "2004-9M", "2003-9M"]
            .iter()
            .map(|t| c.parse(t).unwrap())
            .collect();
        let h = column_headers(&cols);
        assert_eq!(
            groups(&h),
            [
                ("Three months ended June 30,", 2),
                ("Nine months ended June 30,", 2)
            ]
        );
        assert_eq!(h.columns, ["2004", "2003", "2004", "2003"]);
        assert_eq!(h.single_group(), None);
        let h = column_headers(&[p("2005-Q4"), p("2004-Q4"), p("2005-FY"), p("2004-FY")]);
        assert_eq!(
            groups(&h),
            [
                ("Three months ended December 31,", 2),
                ("Year ended December 31,", 2)
            ]
        );
    }

    #[test]
    fn week_counted_columns_ending_on_different_days_print_their_dates() {
        let c = on("last Saturday of September", Some("weeks"));
        let cols: Vec<Period> = ["2004-Q3", "2003-Q3", "2004-9M", "2003-9M"]
            .iter()
            .map(|t| c.parse(t).unwrap())
            .collect();
        let h = column_headers(&cols);
        assert_eq!(groups(&h), [("13 weeks ended", 2), ("39 weeks ended", 2)]);
        assert_eq!(
            h.columns,
            [
                "June 26, 2004",
                "June 28, 2003",
                "June 26, 2004",
                "June 28, 2003"
            ]
        );
        // A 14-week fourth quarter beside a 13-week one: each says its own length.
        let q4: Vec<Period> = ["2006-Q4", "2005-Q4"]
            .iter()
            .map(|t| c.parse(t).unwrap())
            .collect();
        assert_eq!(
            groups(&column_headers(&q4)),
            [("14 weeks ended", 1), ("13 weeks ended", 1)]
        );
    }

    #[test]
    fn single_columns_of_different_lengths_each_get_their_own_header() {
        let h = column_headers(&[p("2005-Q4"), p("2005-FY")]);
        assert_eq!(groups(&h), [("Three months ended", 1), ("Year ended", 1)]);
        assert_eq!(h.columns, ["December 31, 2005", "December 31, 2005"]);
        let h = column_headers(&[p("2006-Q1"), p("2005-Q1"), p("2006-03-31")]);
        assert_eq!(groups(&h), [("Three months ended March 31,", 2), ("", 1)]);
        assert_eq!(h.columns, ["2006", "2005", "March 31, 2006"]);
    }

    #[test]
    fn trend_tables_group_quarters_by_fiscal_year() {
        let c = on("May 31", None);
        let cols: Vec<Period> = (0..8)
            .map(|i| {
                c.parse(&format!("{}-Q{}", 2003 + i / 4, i % 4 + 1))
                    .unwrap()
            })
            .collect();
        let h = column_headers(&cols);
        assert_eq!(groups(&h), [("Fiscal 2003", 4), ("Fiscal 2004", 4)]);
        assert_eq!(h.columns, ["Q1", "Q2", "Q3", "Q4", "Q1", "Q2", "Q3", "Q4"]);
        let newest_first = [
            p("2006-Q1"),
            p("2005-Q4"),
            p("2005-Q3"),
            p("2005-Q2"),
            p("2005-Q1"),
        ];
        let h = column_headers(&newest_first);
        assert_eq!(groups(&h), [("2006", 1), ("2005", 4)]);
        assert_eq!(h.columns, ["Q1", "Q4", "Q3", "Q2", "Q1"]);
    }

    #[test]
    fn periods_sort_by_end_date() {
        let mut v = vec![
            p("2006-Q1"),
            p("2005-FY"),
            p("2005-Q1"),
            p("2005-Q4"),
            p("2005-9M"),
        ];
        v.sort_by_key(Period::sort_key);
        assert_eq!(
            v,
            [
                p("2005-Q1"),
                p("2005-9M"),
                p("2005-Q4"),
                p("2005-FY"),
                p("2006-Q1")
            ]
        );
    }
}
