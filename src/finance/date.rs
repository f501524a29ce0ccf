//! Calendar dates: exact civil dates with the day arithmetic fiscal calendars need.
//!
//! Days are counted with Howard Hinnant's civil-from-days algorithm, exact for every date of
//! the proleptic Gregorian calendar; a [`Date`] is kept to the years 1000–9999 so that every
//! date prints as four digits and every period a calendar places stays inside that range.

use std::str::FromStr;

pub(crate) const MONTHS: [&str; 12] = [
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

/// Months as the AP stylebook abbreviates them before a day; March to July are never shortened.
const MONTHS_ABBREVIATED: [&str; 12] = [
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];

/// Monday first, as ISO 8601 numbers them (Monday = 0 here).
pub(crate) const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// The number of days in `month` of `year`.
pub fn days_in_month(year: i32, month: u8) -> u8 {
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

    /// The last day of `month` in `year`.
    pub fn month_end(year: i32, month: u8) -> Option<Date> {
        Date::new(year, month, days_in_month(year, month))
    }

    /// "March 31, 2006".
    pub fn long(&self) -> String {
        format!("{}, {}", self.month_day(), self.year)
    }

    /// "March 31".
    pub fn month_day(&self) -> String {
        format!("{} {}", MONTHS[usize::from(self.month - 1)], self.day)
    }

    /// "Dec. 31, 2005", "March 31, 2006": the date as the AP stylebook shortens it, for a
    /// column header on a narrow screen.
    pub fn abbreviated(&self) -> String {
        let month = MONTHS_ABBREVIATED[usize::from(self.month - 1)];
        format!("{month} {}, {}", self.day, self.year)
    }

    /// "2006-03-31".
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Days since 1970-01-01.
    pub fn days(&self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year) - i64::from(self.month <= 2),
            i64::from(self.month),
            i64::from(self.day),
        );
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01; `None` outside the years 1000–9999.
    pub fn from_days(days: i64) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = u8::try_from(doy - (153 * mp + 2) / 5 + 1).ok()?;
        let month = u8::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).ok()?;
        let year = i32::try_from(yoe + era * 400 + i64::from(month <= 2)).ok()?;
        Date::new(year, month, day)
    }

    /// The date `n` days later (earlier for a negative `n`); `None` outside the years 1000–9999.
    pub fn add_days(&self, n: i64) -> Option<Date> {
        Date::from_days(self.days().checked_add(n)?)
    }

    /// The number of days from `earlier` to this date.
    pub fn days_since(&self, earlier: Date) -> i64 {
        self.days() - earlier.days()
    }

    /// The day of the week, Monday = 0 to Sunday = 6 (1970-01-01 was a Thursday).
    pub fn weekday(&self) -> u8 {
        u8::try_from((self.days() + 3).rem_euclid(7)).unwrap_or(0)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn abbreviates_months_as_the_ap_stylebook_does() {
        assert_eq!(d("2005-12-31").abbreviated(), "Dec. 31, 2005");
        assert_eq!(d("2005-09-30").abbreviated(), "Sept. 30, 2005");
        assert_eq!(d("2006-03-31").abbreviated(), "March 31, 2006");
        assert_eq!(d("2006-07-01").abbreviated(), "July 1, 2006");
    }

    #[test]
    fn days_round_trip_and_count() {
        for days in [-354_000, -1, 0, 1, 12_000, 13_149, 2_900_000] {
            assert_eq!(Date::from_days(days).unwrap().days(), days);
        }
        assert_eq!(d("1970-01-01").days(), 0);
        assert_eq!(d("2004-03-01").days_since(d("2004-02-28")), 2);
        assert_eq!(d("2004-12-31").add_days(1), Some(d("2005-01-01")));
        assert_eq!(d("2005-03-01").add_days(-1), Some(d("2005-02-28")));
        assert_eq!(d("9999-12-31").add_days(1), None);
        assert_eq!(d("1000-01-01").add_days(-1), None);
    }

    #[test]
    fn weekdays() {
        // 1970-01-01 was a Thursday; 2004-09-25 (Apple's fiscal 2004 year end) a Saturday.
        assert_eq!(WEEKDAYS[usize::from(d("1970-01-01").weekday())], "Thursday");
        assert_eq!(WEEKDAYS[usize::from(d("2004-09-25").weekday())], "Saturday");
        assert_eq!(WEEKDAYS[usize::from(d("2005-01-01").weekday())], "Saturday");
        assert_eq!(WEEKDAYS[usize::from(d("2000-02-29").weekday())], "Tuesday");
    }

    #[test]
    fn month_ends() {
        assert_eq!(Date::month_end(2004, 2), Some(d("2004-02-29")));
        assert_eq!(Date::month_end(1900, 2), Some(d("1900-02-28")));
        assert_eq!(Date::month_end(2005, 6), Some(d("2005-06-30")));
    }
}
