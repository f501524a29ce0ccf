//! The company's fiscal calendar: where each fiscal year and quarter starts and ends.
//!
//! A calendar is one of three kinds of year end, as companies state them in their 10-K:
//! - a month end (`"December 31"`, the default; `"September 30"`, `"May 31"`, `"February 28"`,
//!   which is February 29 in leap years): quarters end on the last day of every third month;
//! - the last given weekday of a month (`"last Saturday of September"`), or
//! - the given weekday nearest a date (`"Saturday nearest January 31"`): 52/53-week years whose
//!   quarters are counted in weeks (13 each by default, another pattern by setting), the fourth
//!   taking whatever the year has left, so a 53rd week falls in it.
//!
//! A fiscal year is named by the calendar year in which it ends (`named_by = End`, the default)
//! or in which it starts. For a 52/53-week year "ends" means its nominal end, the date the rule
//! is stated from: the year that ends on the Saturday nearest December 31, 2004 (January 1,
//! 2005) is fiscal 2004 either way, as the companies that keep such a calendar name it.
//!
//! Where an actual end differs from the rule (a year end that moved, a transition period),
//! stated ends override it, and the periods after follow from the stated end: the next quarter
//! starts the day after it and, on a 52/53-week calendar, is counted in weeks from there.

use std::collections::BTreeMap;

use super::date::{Date, MONTHS, WEEKDAYS, days_in_month};

/// How the year end is stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearEnd {
    /// The last day of a month.
    MonthEnd { month: u8 },
    /// The last `weekday` (Monday = 0) of `month`.
    LastWeekday { weekday: u8, month: u8 },
    /// The `weekday` nearest `month`/`day`.
    NearestWeekday { weekday: u8, month: u8, day: u8 },
}

/// Which calendar year gives a fiscal year its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NamedBy {
    #[default]
    End,
    Start,
}

/// How column headers and prose name a period's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wording {
    /// "Three months ended", "Nine months ended", "Year ended".
    #[default]
    Months,
    /// "13 weeks ended", "39 weeks ended", "53 weeks ended": counted per period.
    Weeks,
}

/// A company's fiscal calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiscalCalendar {
    year_end: YearEnd,
    named_by: NamedBy,
    /// Weeks of the first three quarters of a 52/53-week year; the fourth has the rest.
    quarter_weeks: [u8; 3],
    wording: Wording,
    /// Stated ends: (fiscal year, quarter 1–4) → the last day. The fourth quarter's is the
    /// year's.
    ends: BTreeMap<(i32, u8), Date>,
}

impl Default for FiscalCalendar {
    fn default() -> Self {
        FiscalCalendar {
            year_end: YearEnd::MonthEnd { month: 12 },
            named_by: NamedBy::End,
            quarter_weeks: [13, 13, 13],
            wording: Wording::Months,
            ends: BTreeMap::new(),
        }
    }
}

/// The fiscal years a period may name: every date the calendar computes for them, a year
/// either side included, stays within the years a [`Date`] holds.
pub const YEARS: std::ops::RangeInclusive<i32> = 1002..=9997;

/// The forms `fiscal_year_end` accepts, for error messages.
pub const YEAR_END_FORMS: &str = "a month end such as \"December 31\", \"September 30\" or \
     \"February 28\"; \"last Saturday of September\" (any weekday and month); or \"Saturday \
     nearest January 31\" (any weekday and date)";

fn month_number(name: &str) -> Option<u8> {
    let i = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(name))?;
    u8::try_from(i + 1).ok()
}

fn weekday_number(name: &str) -> Option<u8> {
    let i = WEEKDAYS.iter().position(|w| w.eq_ignore_ascii_case(name))?;
    u8::try_from(i).ok()
}

/// "May 31" → (5, 31), checked against a leap year (February 29 is a valid date to state).
fn month_and_day(words: &[&str]) -> Option<(u8, u8)> {
    let [month, day] = words else { return None };
    let month = month_number(month)?;
    let day: u8 = day.parse().ok()?;
    (day >= 1 && day <= days_in_month(2004, month) && !day.to_string().starts_with('0'))
        .then_some((month, day))
}

impl YearEnd {
    /// Reads a year end as a 10-K states it.
    pub fn parse(text: &str) -> Result<YearEnd, String> {
        // Read as a 10-K may write it: "Last Saturday of September", "Saturday Nearest ...".
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let refused = || {
            format!("fiscal_year_end {text:?} is not a form this site knows: use {YEAR_END_FORMS}")
        };
        let parsed = match words.as_slice() {
            ["last", weekday, "of", month] => Some(YearEnd::LastWeekday {
                weekday: weekday_number(weekday).ok_or_else(refused)?,
                month: month_number(month).ok_or_else(refused)?,
            }),
            [weekday, "nearest", rest @ ..] | [weekday, "closest", "to", rest @ ..] => {
                let (month, day) = month_and_day(rest).ok_or_else(refused)?;
                Some(YearEnd::NearestWeekday {
                    weekday: weekday_number(weekday).ok_or_else(refused)?,
                    month,
                    day,
                })
            }
            _ => match month_and_day(&words) {
                Some((2, 28 | 29)) => Some(YearEnd::MonthEnd { month: 2 }),
                Some((month, day)) if day == days_in_month(2005, month) => {
                    Some(YearEnd::MonthEnd { month })
                }
                Some((month, day)) => {
                    return Err(format!(
                        "fiscal_year_end {text:?} is not the end of {}: a year that ends on \
                         another fixed day is stated as a 52/53-week rule, such as \"Saturday \
                         nearest {} {day}\"",
                        MONTHS[usize::from(month - 1)],
                        MONTHS[usize::from(month - 1)]
                    ));
                }
                None => None,
            },
        };
        parsed.ok_or_else(refused)
    }

    /// The date the rule is stated from in `year` (the month's last day, or the named date).
    fn nominal(&self, year: i32) -> Option<Date> {
        match *self {
            YearEnd::MonthEnd { month } | YearEnd::LastWeekday { month, .. } => {
                Date::month_end(year, month)
            }
            YearEnd::NearestWeekday { month, day, .. } => {
                Date::new(year, month, day.min(days_in_month(year, month)))
            }
        }
    }

    /// The actual last day of the year whose rule is stated from `year`.
    fn actual(&self, year: i32) -> Option<Date> {
        let nominal = self.nominal(year)?;
        let back_to = |weekday: u8| i64::from((nominal.weekday() + 7 - weekday) % 7);
        match *self {
            YearEnd::MonthEnd { .. } => Some(nominal),
            YearEnd::LastWeekday { weekday, .. } => nominal.add_days(-back_to(weekday)),
            YearEnd::NearestWeekday { weekday, .. } => {
                let back = back_to(weekday);
                nominal.add_days(if back <= 3 { -back } else { 7 - back })
            }
        }
    }

    fn weeks(&self) -> bool {
        !matches!(self, YearEnd::MonthEnd { .. })
    }
}

/// The setting a problem is about, so that the error can point at its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    YearEnd,
    NamedBy,
    QuarterWeeks,
    Wording,
    /// The `[periods]` entry at this index of [`Settings::ends`].
    StatedEnd(usize),
}

/// What `site.toml` says of the calendar, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct Settings<'a> {
    pub fiscal_year_end: Option<&'a str>,
    pub named_by: Option<&'a str>,
    pub quarter_weeks: Option<&'a str>,
    pub wording: Option<&'a str>,
    /// `"2004-Q3"` or `"2004-FY"` → the day it actually ended.
    pub ends: Vec<(&'a str, Date)>,
}

impl FiscalCalendar {
    /// Checks the settings and builds the calendar; every problem is reported.
    pub fn new(settings: &Settings) -> Result<FiscalCalendar, Vec<(Setting, String)>> {
        let mut errors = Vec::new();
        let mut calendar = FiscalCalendar::default();
        if let Some(text) = settings.fiscal_year_end {
            match YearEnd::parse(text) {
                Ok(year_end) => calendar.year_end = year_end,
                Err(e) => errors.push((Setting::YearEnd, e)),
            }
        }
        match settings.named_by {
            None | Some("end") => {}
            Some("start") => calendar.named_by = NamedBy::Start,
            Some(other) => errors.push((
                Setting::NamedBy,
                format!(
                    "fiscal_year_named_by is \"end\" (fiscal 2004 ends in 2004, the default) or \
                 \"start\" (fiscal 2004 starts in 2004); found {other:?}"
                ),
            )),
        }
        match settings.wording {
            None | Some("months") => {}
            Some("weeks") if calendar.year_end.weeks() => calendar.wording = Wording::Weeks,
            Some("weeks") => errors.push((
                Setting::Wording,
                "period_wording = \"weeks\" is for 52/53-week years; a year that ends on a month \
                 end is worded in months"
                    .to_string(),
            )),
            Some(other) => errors.push((Setting::Wording, format!(
                "period_wording is \"months\" (\"Three months ended\", the default) or \"weeks\" \
                 (\"13 weeks ended\"); found {other:?}"
            ))),
        }
        if let Some(text) = settings.quarter_weeks {
            match parse_quarter_weeks(text) {
                Ok(_) if !calendar.year_end.weeks() => errors.push((
                    Setting::QuarterWeeks,
                    "quarter_weeks is for 52/53-week years; quarters of a year that ends on a \
                     month end end on month ends"
                        .to_string(),
                )),
                Ok(weeks) => calendar.quarter_weeks = weeks,
                Err(e) => errors.push((Setting::QuarterWeeks, e)),
            }
        }
        for (i, &(name, date)) in settings.ends.iter().enumerate() {
            match parse_stated_period(name) {
                Ok(key) => {
                    calendar.ends.insert(key, date);
                }
                Err(e) => errors.push((Setting::StatedEnd(i), e)),
            }
        }
        if errors.is_empty() {
            errors.extend(calendar.check_stated_ends().into_iter().map(|(key, e)| {
                let stated = settings
                    .ends
                    .iter()
                    .position(|&(name, _)| parse_stated_period(name).is_ok_and(|k| k == key));
                (Setting::StatedEnd(stated.unwrap_or(0)), e)
            }));
        }
        if errors.is_empty() {
            Ok(calendar)
        } else {
            Err(errors)
        }
    }

    /// Every stated end must leave each quarter of its year and the next a real length.
    fn check_stated_ends(&self) -> Vec<((i32, u8), String)> {
        let mut errors = Vec::new();
        let years: std::collections::BTreeSet<i32> = self
            .ends
            .keys()
            .flat_map(|&(year, _)| [year, year + 1])
            .collect();
        for &(year, quarter) in self.ends.keys() {
            if !YEARS.contains(&year) {
                errors.push((
                    (year, quarter),
                    format!(
                        "[periods]: {} is outside the fiscal years {}–{}",
                        stated_name(year, quarter),
                        YEARS.start(),
                        YEARS.end()
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return errors;
        }
        for year in years {
            let mut previous = self.year_end(year - 1);
            for quarter in 1..=4 {
                let end = self.quarter_end(year, quarter);
                let days = match (previous, end) {
                    (Some(p), Some(e)) => e.days_since(p),
                    _ => 0,
                };
                if !(56..=126).contains(&days) {
                    let around = self.ends.keys().find(|&&(y, _)| y == year || y + 1 == year);
                    let (y, q) = around.copied().unwrap_or((year, quarter));
                    errors.push(((y, q), format!(
                        "[periods]: with {} ending {}, quarter {quarter} of fiscal {year} would \
                         last {days} days; a stated end must leave every quarter between eight \
                         and eighteen weeks",
                        stated_name(y, q),
                        self.ends.get(&(y, q)).map_or_else(String::new, Date::long),
                    )));
                    return errors;
                }
                previous = end;
            }
        }
        errors
    }

    /// Whether fiscal years are calendar years (December 31 year ends named by that year):
    /// labels then say "Q1 2006", not "Q1 FY2006".
    pub fn is_calendar_year(&self) -> bool {
        self.year_end == YearEnd::MonthEnd { month: 12 }
    }

    pub fn wording(&self) -> Wording {
        self.wording
    }

    /// The year whose rule dates fiscal year `year`'s end.
    fn rule_year(&self, year: i32) -> i32 {
        let nominal_year_end = match self.year_end {
            YearEnd::MonthEnd { month } | YearEnd::LastWeekday { month, .. } => month == 12,
            YearEnd::NearestWeekday { month, day, .. } => (month, day) == (12, 31),
        };
        match self.named_by {
            NamedBy::Start if !nominal_year_end => year + 1,
            _ => year,
        }
    }

    /// The last day of fiscal year `year`.
    pub fn year_end(&self, year: i32) -> Option<Date> {
        match self.ends.get(&(year, 4)) {
            Some(&date) => Some(date),
            None => self.year_end.actual(self.rule_year(year)),
        }
    }

    /// The first day of fiscal year `year`.
    pub fn year_start(&self, year: i32) -> Option<Date> {
        self.year_end(year - 1)?.add_days(1)
    }

    /// The last day of quarter `quarter` (1–4) of fiscal year `year`.
    pub fn quarter_end(&self, year: i32, quarter: u8) -> Option<Date> {
        if quarter >= 4 {
            return self.year_end(year);
        }
        if let Some(&date) = self.ends.get(&(year, quarter)) {
            return Some(date);
        }
        let previous = if quarter == 1 {
            self.year_end(year - 1)?
        } else {
            self.quarter_end(year, quarter - 1)?
        };
        match self.year_end {
            YearEnd::MonthEnd { .. } => {
                // Three months on from the previous quarter's month (a stated end in the
                // middle of a month counts as that month's end).
                let month0 = i32::from(previous.month) - 1 + 3;
                let year = previous.year + month0.div_euclid(12);
                Date::month_end(year, u8::try_from(month0.rem_euclid(12) + 1).ok()?)
            }
            _ => {
                let weeks = self.quarter_weeks[usize::from(quarter - 1)];
                previous.add_days(7 * i64::from(weeks))
            }
        }
    }

    /// The first day of quarter `quarter` of fiscal year `year`.
    pub fn quarter_start(&self, year: i32, quarter: u8) -> Option<Date> {
        if quarter <= 1 {
            self.year_start(year)
        } else {
            self.quarter_end(year, quarter - 1)?.add_days(1)
        }
    }

    /// The fiscal quarter that ends on `date`, if one does.
    pub fn quarter_ending_on(&self, date: Date) -> Option<(i32, u8)> {
        (date.year - 1..=date.year + 1)
            .filter(|y| YEARS.contains(y))
            .flat_map(|y| (1..=4).map(move |q| (y, q)))
            .find(|&(y, q)| self.quarter_end(y, q) == Some(date))
    }
}

fn stated_name(year: i32, quarter: u8) -> String {
    if quarter == 4 {
        format!("{year}-FY")
    } else {
        format!("{year}-Q{quarter}")
    }
}

/// `"2004-Q3"` or `"2004-FY"` (or `"2004-Q4"`, the same end) as a key of `[periods]`.
fn parse_stated_period(name: &str) -> Result<(i32, u8), String> {
    let refused = || {
        format!(
            "[periods]: {name:?} is not a quarter or fiscal year such as \"2004-Q3\" or \
             \"2004-FY\"; only their ends can be stated"
        )
    };
    let (year, which) = name.split_once('-').ok_or_else(refused)?;
    let year: i32 = (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
        .then(|| year.parse().ok())
        .flatten()
        .ok_or_else(refused)?;
    let quarter = match which {
        "Q1" => 1,
        "Q2" => 2,
        "Q3" => 3,
        "Q4" | "FY" => 4,
        _ => return Err(refused()),
    };
    Ok((year, quarter))
}

/// `"13-13-13-13"`, `"12-12-12-16"`, `"16-12-12-12"`: weeks per quarter, adding to 52 (the 53rd
/// week goes to the fourth); `"4-4-5"`, `"4-5-4"`, `"5-4-4"`: weeks per month of 13-week
/// quarters (the site reports no months, so these place quarters as 13-13-13-13 does).
fn parse_quarter_weeks(text: &str) -> Result<[u8; 3], String> {
    let refused = || {
        format!(
            "quarter_weeks is the weeks of each quarter, adding to 52 (\"13-13-13-13\", \
             \"12-12-12-16\", \"16-12-12-12\"), or a month pattern of 13-week quarters \
             (\"4-4-5\", \"4-5-4\", \"5-4-4\"); found {text:?}"
        )
    };
    let weeks: Vec<u8> = text
        .split('-')
        .map(|w| w.trim().parse::<u8>().ok().filter(|&w| w > 0))
        .collect::<Option<_>>()
        .ok_or_else(refused)?;
    let total: u32 = weeks.iter().map(|&w| u32::from(w)).sum();
    match (weeks.as_slice(), total) {
        ([_, _, _], 13) => Ok([13, 13, 13]),
        ([a, b, c, d], 52) if [a, b, c, d].iter().all(|&&w| (4..=28).contains(&w)) => {
            Ok([*a, *b, *c])
        }
        _ => Err(refused()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn calendar(year_end: &str) -> FiscalCalendar {
        FiscalCalendar::new(&Settings {
            fiscal_year_end: Some(year_end),
            ..Settings::default()
        })
        .unwrap()
    }

    fn quarter_ends(calendar: &FiscalCalendar, year: i32) -> Vec<Date> {
        (1..=4)
            .map(|q| calendar.quarter_end(year, q).unwrap())
            .collect()
    }

    #[test]
    fn december_calendar_is_the_calendar_year() {
        let c = FiscalCalendar::default();
        assert!(c.is_calendar_year());
        assert_eq!(
            quarter_ends(&c, 2006),
            [
                d("2006-03-31"),
                d("2006-06-30"),
                d("2006-09-30"),
                d("2006-12-31")
            ]
        );
        assert_eq!(c.year_start(2006), Some(d("2006-01-01")));
        assert_eq!(c.quarter_start(2006, 2), Some(d("2006-04-01")));
        assert_eq!(c, calendar("December 31"));
    }

    #[test]
    fn month_end_years_end_in_the_year_they_are_named_by() {
        let september = calendar("September 30");
        assert!(!september.is_calendar_year());
        assert_eq!(
            quarter_ends(&september, 2004),
            [
                d("2003-12-31"),
                d("2004-03-31"),
                d("2004-06-30"),
                d("2004-09-30")
            ]
        );
        let may = calendar("May 31");
        assert_eq!(
            quarter_ends(&may, 2004),
            [
                d("2003-08-31"),
                d("2003-11-30"),
                d("2004-02-29"),
                d("2004-05-31")
            ]
        );
        let february = calendar("February 28");
        assert_eq!(february.year_end(2004), Some(d("2004-02-29")));
        assert_eq!(february.year_end(2005), Some(d("2005-02-28")));
        let named_by_start = FiscalCalendar::new(&Settings {
            fiscal_year_end: Some("January 31"),
            named_by: Some("start"),
            ..Settings::default()
        })
        .unwrap();
        assert_eq!(named_by_start.year_end(2004), Some(d("2005-01-31")));
        assert_eq!(named_by_start.year_start(2004), Some(d("2004-02-01")));
    }

    #[test]
    fn last_saturday_of_september() {
        // Fiscal 2004 ended September 25, 2004, fiscal 2005 September 24, 2005, and fiscal
        // 2006, a 53-week year, September 30, 2006.
        let c = calendar("last Saturday of September");
        assert_eq!(c.year_end(2004), Some(d("2004-09-25")));
        assert_eq!(c.year_end(2005), Some(d("2005-09-24")));
        assert_eq!(c.year_end(2006), Some(d("2006-09-30")));
        assert_eq!(c.year_start(2005), Some(d("2004-09-26")));
        assert_eq!(
            quarter_ends(&c, 2005),
            [
                d("2004-12-25"),
                d("2005-03-26"),
                d("2005-06-25"),
                d("2005-09-24")
            ]
        );
        // Fiscal 2006 has 53 weeks; the fourth quarter has 14 of them.
        let q3 = c.quarter_end(2006, 3).unwrap();
        assert_eq!(c.year_end(2006).unwrap().days_since(q3), 14 * 7);
        assert_eq!(c.quarter_ending_on(d("2005-06-25")), Some((2005, 3)));
        assert_eq!(calendar("Last Saturday Of September"), c);
        assert_eq!(
            calendar("saturday closest to january 31"),
            calendar("Saturday nearest January 31")
        );
        assert_eq!(c.quarter_ending_on(d("2005-06-30")), None);
        assert_eq!(c.quarter_start(2005, 1), Some(d("2004-09-26")));
    }

    #[test]
    fn saturday_nearest_january_31_named_by_start() {
        let c = FiscalCalendar::new(&Settings {
            fiscal_year_end: Some("Saturday nearest January 31"),
            named_by: Some("start"),
            ..Settings::default()
        })
        .unwrap();
        // Fiscal 2004 ended January 29, 2005; fiscal 2005 January 28, 2006; fiscal 2006
        // February 3, 2007 (53 weeks).
        assert_eq!(c.year_end(2004), Some(d("2005-01-29")));
        assert_eq!(c.year_end(2005), Some(d("2006-01-28")));
        assert_eq!(c.year_end(2006), Some(d("2007-02-03")));
        assert_eq!(c.year_start(2006), Some(d("2006-01-29")));
        assert_eq!(c.quarter_end(2004, 2), Some(d("2004-07-31")));
        let by_end = calendar("Saturday nearest January 31");
        assert_eq!(by_end.year_end(2005), Some(d("2005-01-29")));
    }

    #[test]
    fn a_year_ending_nearest_december_31_is_named_by_that_december() {
        for named_by in ["end", "start"] {
            let c = FiscalCalendar::new(&Settings {
                fiscal_year_end: Some("Saturday nearest December 31"),
                named_by: Some(named_by),
                ..Settings::default()
            })
            .unwrap();
            assert_eq!(c.year_end(2004), Some(d("2005-01-01")), "{named_by}");
            assert_eq!(c.year_end(2002), Some(d("2002-12-28")), "{named_by}");
            assert_eq!(c.year_start(2003), Some(d("2002-12-29")), "{named_by}");
        }
    }

    #[test]
    fn other_quarter_patterns() {
        let c = FiscalCalendar::new(&Settings {
            fiscal_year_end: Some("Sunday nearest August 31"),
            quarter_weeks: Some("12-12-12-16"),
            ..Settings::default()
        })
        .unwrap();
        let start = c.year_start(2005).unwrap();
        assert_eq!(c.quarter_end(2005, 1), start.add_days(12 * 7 - 1));
        assert_eq!(c.quarter_end(2005, 3), start.add_days(36 * 7 - 1));
        let months = FiscalCalendar::new(&Settings {
            fiscal_year_end: Some("last Saturday of September"),
            quarter_weeks: Some("4-4-5"),
            ..Settings::default()
        })
        .unwrap();
        assert_eq!(months, calendar("last Saturday of September"));
        for bad in ["13-13-13", "12-12-12", "1-1-1-49", "13-13-13-14", "a-b", ""] {
            let settings = Settings {
                fiscal_year_end: Some("last Saturday of September"),
                quarter_weeks: Some(bad),
                ..Settings::default()
            };
            assert!(FiscalCalendar::new(&settings).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn stated_ends_move_the_periods_after_them() {
        let c = FiscalCalendar::new(&Settings {
            fiscal_year_end: Some("last Saturday of September"),
            ends: vec![("2004-Q3", d("2004-07-03"))],
            ..Settings::default()
        })
        .unwrap();
        assert_eq!(c.quarter_end(2004, 3), Some(d("2004-07-03")));
        assert_eq!(c.quarter_start(2004, 4), Some(d("2004-07-04")));
        assert_eq!(c.year_end(2004), Some(d("2004-09-25")));
        let moved = FiscalCalendar::new(&Settings {
            fiscal_year_end: Some("last Saturday of September"),
            ends: vec![("2004-FY", d("2004-10-02"))],
            ..Settings::default()
        })
        .unwrap();
        assert_eq!(moved.year_start(2005), Some(d("2004-10-03")));
        assert_eq!(moved.quarter_end(2005, 1), Some(d("2005-01-01")));
        let bad = FiscalCalendar::new(&Settings {
            ends: vec![("2004-Q3", d("2004-12-01"))],
            ..Settings::default()
        });
        assert!(bad.unwrap_err()[0].1.contains("2004-Q3"));
    }

    #[test]
    fn unknown_forms_are_refused_with_the_accepted_ones() {
        for bad in [
            "Dec 31",
            "September 25",
            "last day of September",
            "Saturday nearest Januray 31",
            "first Saturday of October",
            "June 31",
            "31 December",
        ] {
            let err = FiscalCalendar::new(&Settings {
                fiscal_year_end: Some(bad),
                ..Settings::default()
            })
            .unwrap_err();
            assert!(
                err[0].1.contains("last Saturday of September") || err[0].1.contains("nearest"),
                "{bad:?}: {err:?}"
            );
        }
        let wording = FiscalCalendar::new(&Settings {
            wording: Some("weeks"),
            ..Settings::default()
        });
        assert!(wording.is_err());
    }
}
