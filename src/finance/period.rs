//! Reporting periods ("2006-Q1", "2005-FY", "2005-12-31") and the column headers made from them.
//!
//! Fiscal years follow the calendar: Q1 ends March 31 and the year ends December 31.

use std::fmt;
use std::str::FromStr;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1000..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// "March 31, 2006".
    pub fn long(&self) -> String {
        format!("{}, {}", self.month_day(), self.year)
    }

    /// "March 31".
    pub fn month_day(&self) -> String {
        format!("{} {}", MONTHS[usize::from(self.month - 1)], self.day)
    }

    /// "2006-03-31".
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split('-').collect();
        let well_formed = parts.len() == 3
            && [4, 2, 2]
                .iter()
                .zip(&parts)
                .all(|(len, p)| p.len() == *len && p.bytes().all(|b| b.is_ascii_digit()));
        let parsed = well_formed
            .then(|| {
                Date::new(
                    parts[0].parse().ok()?,
                    parts[1].parse().ok()?,
                    parts[2].parse().ok()?,
                )
            })
            .flatten();
        parsed.ok_or_else(|| format!("expected a date such as \"2006-03-31\"; found {s:?}"))
    }
}

/// The period a column of figures covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// Three months ended the quarter's last day ("2006-Q1").
    Quarter { year: i32, quarter: u8 },
    /// Twelve months ended December 31 ("2005-FY").
    FiscalYear { year: i32 },
    /// A balance-sheet date ("2005-12-31").
    Instant(Date),
}

impl Period {
    /// The last day the period covers.
    pub fn end(&self) -> Date {
        match *self {
            Period::Quarter { year, quarter } => {
                let month = quarter * 3;
                Date {
                    year,
                    month,
                    day: days_in_month(year, month),
                }
            }
            Period::FiscalYear { year } => Date {
                year,
                month: 12,
                day: 31,
            },
            Period::Instant(date) => date,
        }
    }

    /// "Three months ended", "Year ended", or nothing for a point in time.
    pub fn duration_label(&self) -> Option<&'static str> {
        match self {
            Period::Quarter { .. } => Some("Three months ended"),
            Period::FiscalYear { .. } => Some("Year ended"),
            Period::Instant(_) => None,
        }
    }

    /// A short label for charts and lists: "Q1 2006", "FY 2005", "March 31, 2006".
    pub fn short_label(&self) -> String {
        match self {
            Period::Quarter { year, quarter } => format!("Q{quarter} {year}"),
            Period::FiscalYear { year } => format!("FY {year}"),
            Period::Instant(date) => date.long(),
        }
    }

    /// The full label: "Three months ended March 31, 2006".
    pub fn long_label(&self) -> String {
        match self.duration_label() {
            Some(duration) => format!("{duration} {}", self.end().long()),
            None => self.end().long(),
        }
    }

    /// "first quarter of 2006", used in prose such as page descriptions.
    pub fn describe(&self) -> String {
        match self {
            Period::Quarter { year, quarter } => {
                let ordinal = ["first", "second", "third", "fourth"][usize::from(quarter - 1)];
                format!("{ordinal} quarter of {year}")
            }
            Period::FiscalYear { year } => format!("fiscal year {year}"),
            Period::Instant(date) => date.long(),
        }
    }

    /// Periods sort by their end date, and a quarter before the year that ends with it.
    pub fn sort_key(&self) -> (Date, u8) {
        let rank = match self {
            Period::Instant(_) => 0,
            Period::Quarter { .. } => 1,
            Period::FiscalYear { .. } => 2,
        };
        (self.end(), rank)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            Period::FiscalYear { year } => write!(f, "{year}-FY"),
            Period::Instant(date) => f.write_str(&date.iso()),
        }
    }
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let expected = || {
            format!(
                "expected a period such as \"2006-Q1\", \"2005-FY\" or \"2005-12-31\"; found {s:?}"
            )
        };
        let year_of = |y: &str| -> Result<i32, String> {
            if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) && !y.starts_with('0') {
                y.parse().map_err(|_| expected())
            } else {
                Err(expected())
            }
        };
        match s.split_once('-') {
            Some((y, "FY")) => Ok(Period::FiscalYear { year: year_of(y)? }),
            Some((y, q)) if q.starts_with('Q') => match q {
                "Q1" | "Q2" | "Q3" | "Q4" => Ok(Period::Quarter {
                    year: year_of(y)?,
                    quarter: q.as_bytes()[1] - b'0',
                }),
                _ => Err(format!("a quarter is Q1 to Q4; found {s:?}")),
            },
            Some(_) => s
                .parse::<Date>()
                .map(Period::Instant)
                .map_err(|_| expected()),
            None => Err(expected()),
        }
    }
}

/// Column headers generated from a table's periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnHeaders {
    /// A spanning header shared by every column, such as "Three months ended March 31,".
    pub group: Option<String>,
    /// One header per column.
    pub columns: Vec<String>,
}

/// The headers a statement prints above its columns, in the conventional financial style:
/// shared words go into a spanning header so each column names only what differs.
pub fn column_headers(periods: &[Period]) -> ColumnHeaders {
    let Some(first) = periods.first() else {
        return ColumnHeaders {
            group: None,
            columns: Vec::new(),
        };
    };
    let same_duration = periods
        .iter()
        .all(|p| p.duration_label() == first.duration_label());
    let same_month_day = periods
        .iter()
        .all(|p| (p.end().month, p.end().day) == (first.end().month, first.end().day));
    match (same_duration, first.duration_label()) {
        (true, Some(duration)) if same_month_day && periods.len() > 1 => ColumnHeaders {
            group: Some(format!("{duration} {},", first.end().month_day())),
            columns: periods.iter().map(|p| p.end().year.to_string()).collect(),
        },
        (true, Some(duration)) => ColumnHeaders {
            group: Some(duration.to_string()),
            columns: periods.iter().map(|p| p.end().long()).collect(),
        },
        (true, None) => ColumnHeaders {
            group: None,
            columns: periods.iter().map(|p| p.end().long()).collect(),
        },
        (false, _) => ColumnHeaders {
            group: None,
            columns: periods.iter().map(Period::long_label).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn parses_quarters_years_and_dates() {
        assert_eq!(
            p("2006-Q1"),
            Period::Quarter {
                year: 2006,
                quarter: 1
            }
        );
        assert_eq!(p("2005-FY"), Period::FiscalYear { year: 2005 });
        assert_eq!(p("2005-12-31").end(), Date::new(2005, 12, 31).unwrap());
        assert_eq!(p("2006-Q1").end().long(), "March 31, 2006");
        assert_eq!(
            p("2005-Q4").long_label(),
            "Three months ended December 31, 2005"
        );
        assert_eq!(p("2006-Q2").to_string(), "2006-Q2");
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
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad:?} was accepted");
        }
        assert!("2004-02-29".parse::<Period>().is_ok());
    }

    #[test]
    fn same_quarter_of_different_years_share_a_spanning_header() {
        let h = column_headers(&[p("2006-Q1"), p("2005-Q1")]);
        assert_eq!(h.group.as_deref(), Some("Three months ended March 31,"));
        assert_eq!(h.columns, ["2006", "2005"]);
    }

    #[test]
    fn consecutive_quarters_name_their_dates() {
        let h = column_headers(&[p("2006-Q1"), p("2005-Q4"), p("2005-Q1")]);
        assert_eq!(h.group.as_deref(), Some("Three months ended"));
        assert_eq!(
            h.columns,
            ["March 31, 2006", "December 31, 2005", "March 31, 2005"]
        );
    }

    #[test]
    fn balance_sheet_dates_have_no_spanning_header() {
        let h = column_headers(&[p("2006-03-31"), p("2005-12-31")]);
        assert_eq!(h.group, None);
        assert_eq!(h.columns, ["March 31, 2006", "December 31, 2005"]);
    }

    #[test]
    fn mixed_durations_spell_out_each_column() {
        let h = column_headers(&[p("2005-Q4"), p("2005-FY")]);
        assert_eq!(h.group, None);
        assert_eq!(
            h.columns,
            [
                "Three months ended December 31, 2005",
                "Year ended December 31, 2005"
            ]
        );
    }

    #[test]
    fn periods_sort_by_end_date() {
        let mut v = vec![p("2006-Q1"), p("2005-FY"), p("2005-Q1"), p("2005-Q4")];
        v.sort_by_key(Period::sort_key);
        assert_eq!(v, [p("2005-Q1"), p("2005-Q4"), p("2005-FY"), p("2006-Q1")]);
    }
}
