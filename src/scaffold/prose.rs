//! The prose carried into the new release: the periods its citations name, rolled.
//!
//! Citations are found by their `{{ ... }}` braces and periods by their written forms
//! ("2005-Q1", "2006-6M", "2005-FY", "2006-Q1-TTM", "2005-12-31"); moving this onto the
//! Markdown parser is a separate piece of work.

use super::roll::Roll;
use crate::finance::expr::{self, PeriodRef, Reference, resolve_period};
use crate::finance::{PeriodName, Statement};

impl Roll<'_> {
    /// Rolls every period written in `text`.
    pub(super) fn text(&self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        'scan: while i < text.len() {
            if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
                // "2006-Q1-TTM", "2005-12-31", then "2006-Q1", "2006-6M", "2005-FY".
                for len in [11, 10, 7] {
                    let Some(candidate) = text.get(i..i + len) else {
                        continue;
                    };
                    let ends = bytes
                        .get(i + len)
                        .is_none_or(|b| !b.is_ascii_alphanumeric() && *b != b'-');
                    if let (true, Ok(name)) = (ends, candidate.parse::<PeriodName>()) {
                        out.push_str(&self.name(name).to_string());
                        i += len;
                        continue 'scan;
                    }
                }
            }
            let c = text[i..].chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8().max(1);
        }
        out
    }

    /// Names outright the column a reference of `citation` read from `tables` where the
    /// latest period named another period of the same days: `cash-flows.net_cash_operating` in
    /// a first-quarter release read the year-to-date `2006-3M` column, and reads `2006-6M`
    /// once rolled, not a second-quarter column the year-to-date table does not have.
    fn name_same_day_columns(&self, citation: &str, tables: &[Statement]) -> String {
        let Some(formula) = citation
            .strip_prefix("{{")
            .and_then(|c| c.strip_suffix("}}"))
            .and_then(|c| c.rsplit_once('|'))
            .map(|(formula, _)| formula)
        else {
            return citation.to_string();
        };
        let Ok(spans) = expr::reference_spans(formula) else {
            return citation.to_string();
        };
        let mut out = citation.to_string();
        // Right to left, so that the spans before each rewrite stay where they were.
        for (reference, span) in spans.into_iter().rev() {
            let table = tables
                .iter()
                .find(|t| reference.table.as_deref() == Some(t.id.as_str()));
            let (Some(table), Ok(wanted)) = (table, resolve_period(self.from, reference.period))
            else {
                continue;
            };
            if table.consolidated().any(|(_, c)| c.name() == wanted) {
                continue;
            }
            let Some((_, column)) = table
                .consolidated()
                .find(|(_, c)| c.name().canonical() == wanted.canonical())
            else {
                continue;
            };
            let named = Reference {
                period: PeriodRef::Fixed(column.name()),
                ..reference
            };
            out.replace_range(span.start + 2..span.end + 2, &named.to_string());
        }
        out
    }

    /// Rolls the periods inside `{{ ... }}` citations, turning `@start`/`@end` into the dates
    /// they meant for the latest period first, so a comparison with a year-end stays one, and
    /// naming the column a reference read where it was not the latest period's own.
    pub(super) fn citations(&self, text: &str, tables: &[Statement]) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            let Some(close) = rest[open..].find("}}").map(|c| open + c + 2) else {
                break;
            };
            out.push_str(&rest[..open]);
            let citation = self.name_same_day_columns(&rest[open..close], tables);
            let explicit = [("@start", PeriodRef::Start), ("@end", PeriodRef::End)]
                .iter()
                .fold(citation, |c, (word, which)| {
                    match resolve_period(self.from, *which) {
                        Ok(p) => c.replace(word, &format!("@{p}")),
                        Err(_) => c,
                    }
                });
            // A reference with no period read the latest period and now reads the new one.
            out.push_str(&self.text(&explicit));
            rest = &rest[close..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::FiscalCalendar;
    use crate::finance::calendar::Settings;

    #[test]
    fn text_and_citations_roll_their_periods_once() {
        let c = FiscalCalendar::default();
        let r = Roll::new(c.parse("2006-Q1").unwrap(), c.parse("2006-Q2").unwrap(), &c).unwrap();
        assert_eq!(
            r.text("2005-Q1: a - b@2005-Q4, 2006-Q1"),
            "2005-Q2: a - b@2006-Q1, 2006-Q2"
        );
        assert_eq!(r.text("x12005-Q1 2005-Q12"), "x12005-Q1 2005-Q12");
        assert_eq!(
            r.text("a@2006-3M b@2006-Q1-TTM c@2005-FY d@2006-Q1-x"),
            "a@2006-6M b@2006-Q2-TTM c@2005-FY d@2006-Q1-x"
        );
        assert_eq!(
            r.citations(
                "in 2006-Q1 {{ bs.cash@end - bs.cash@start | millions }}",
                &[]
            ),
            "in 2006-Q1 {{ bs.cash@2006-06-30 - bs.cash@2005-12-31 | millions }}"
        );
    }

    #[test]
    fn citations_follow_a_52_53_week_calendar_into_the_next_year() {
        let c = FiscalCalendar::new(&Settings {
            fiscal_year_end: Some("Saturday nearest January 31"),
            named_by: Some("start"),
            ..Settings::default()
        })
        .unwrap();
        let r = Roll::new(c.parse("2006-Q4").unwrap(), c.parse("2007-Q1").unwrap(), &c).unwrap();
        assert_eq!(
            r.citations(
                "{{ bs.cash@end - bs.cash@2006-01-28 }} {{ cf.net@2006-FY }}",
                &[]
            ),
            "{{ bs.cash@2007-05-05 - bs.cash@2007-02-03 }} {{ cf.net@2007-3M }}"
        );
    }
}
