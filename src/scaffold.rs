//! `new release 2006-Q2`: the next quarter's release, scaffolded from the latest one.
//!
//! Every table is copied with its periods rolled forward (2006-Q1 becomes 2006-Q2, 2005-Q1
//! becomes 2005-Q2, the balance sheet's March 31, 2006 becomes June 30, 2006, a prior year-end
//! stays). A column whose rolled period the latest table already reported keeps its figures
//! (the December 31, 2005 balance sheet, a prior quarter); every other figure is emptied (`""`)
//! for the IR team to fill in. Relations roll with their periods; one that no longer applies to
//! any column is kept as a comment. The prose is carried over with its citations rolled and a
//! TODO note at the top; title, date and summary are emptied. `check` lists everything still
//! empty, and nothing is published until it is all filled in.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{self, Release};
use crate::error::{Error, Location, Result};
use crate::finance::expr::{PeriodRef, Scope, resolve_period};
use crate::finance::{FiscalCalendar, Period, PeriodName};

/// How periods move from the latest release to the new one.
struct Roll<'a> {
    from: Period,
    to: Period,
    quarters: i32,
    calendar: &'a FiscalCalendar,
}

fn quarter_index(year: i32, quarter: u8) -> i32 {
    year * 4 + i32::from(quarter) - 1
}

fn from_index(index: i32) -> (i32, u8) {
    (
        index.div_euclid(4),
        u8::try_from(index.rem_euclid(4) + 1).unwrap_or(1),
    )
}

impl<'a> Roll<'a> {
    fn new(
        from: Period,
        to: Period,
        calendar: &'a FiscalCalendar,
    ) -> std::result::Result<Roll<'a>, String> {
        let (
            PeriodName::Quarter {
                year: y0,
                quarter: q0,
            },
            PeriodName::Quarter {
                year: y1,
                quarter: q1,
            },
        ) = (from.name(), to.name())
        else {
            return Err(format!(
                "only quarterly releases are scaffolded; the latest release is for {from} and \
                 the new one for {to}"
            ));
        };
        let (a, b) = (quarter_index(y0, q0), quarter_index(y1, q1));
        if b <= a {
            return Err(format!(
                "{to} does not come after {from}, the period of the latest release"
            ));
        }
        Ok(Roll {
            from,
            to,
            quarters: b - a,
            calendar,
        })
    }

    fn name(&self, name: PeriodName) -> PeriodName {
        let years = (self.quarters % 4 == 0).then_some(self.quarters / 4);
        match name {
            PeriodName::Quarter { year, quarter } => {
                let (year, quarter) = from_index(quarter_index(year, quarter) + self.quarters);
                PeriodName::Quarter { year, quarter }
            }
            PeriodName::TrailingTwelveMonths { year, quarter } => {
                let (year, quarter) = from_index(quarter_index(year, quarter) + self.quarters);
                PeriodName::TrailingTwelveMonths { year, quarter }
            }
            PeriodName::YearToDate { year, quarters } => {
                match from_index(quarter_index(year, quarters) + self.quarters) {
                    (year, 4) => PeriodName::FiscalYear { year },
                    (year, quarters) => PeriodName::YearToDate { year, quarters },
                }
            }
            PeriodName::FiscalYear { year } => PeriodName::FiscalYear {
                year: year + years.unwrap_or(0),
            },
            PeriodName::Instant(date) if date == self.from.end() => {
                PeriodName::Instant(self.to.end())
            }
            PeriodName::Instant(date) => match (years, self.calendar.quarter_ending_on(date)) {
                (Some(n), Some((year, quarter))) => self
                    .calendar
                    .quarter_end(year + n, quarter)
                    .map_or(name, PeriodName::Instant),
                _ => name,
            },
        }
    }

    fn period(&self, period: Period) -> Period {
        self.calendar
            .place(self.name(period.name()))
            .unwrap_or(period)
    }

    /// Rolls every period written in `text` ("2005-Q1", "2005-12-31", "2005-FY").
    fn text(&self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        'scan: while i < text.len() {
            if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
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

    /// Rolls the periods inside `{{ ... }}` citations, turning `@start`/`@end` into the dates
    /// they meant for the latest period first, so a comparison with a year-end stays one.
    fn citations(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            let Some(close) = rest[open..].find("}}").map(|c| open + c + 2) else {
                break;
            };
            out.push_str(&rest[..open]);
            let citation = &rest[open..close];
            let explicit = [("@start", PeriodRef::Start), ("@end", PeriodRef::End)]
                .iter()
                .fold(
                    citation.to_string(),
                    |c, (word, which)| match resolve_period(self.from, *which) {
                        Ok(p) => c.replace(word, &format!("@{p}")),
                        Err(_) => c,
                    },
                );
            // A reference with no period read the latest period and now reads the new one.
            out.push_str(&self.text(&explicit));
            rest = &rest[close..];
        }
        out.push_str(rest);
        out
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The quoted strings of a one-line TOML array.
fn quoted(line: &str) -> Vec<String> {
    line.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// A table file with its periods rolled and new figures emptied.
fn roll_table(text: &str, roll: &Roll) -> String {
    let mut old_columns: Vec<Period> = Vec::new();
    let mut lines = Vec::new();
    let mut in_equals = false;
    let mut in_restated = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("columns = [") {
            old_columns = quoted(line)
                .iter()
                .filter_map(|c| roll.calendar.parse(c).ok())
                .collect();
            let new: Vec<String> = old_columns
                .iter()
                .map(|p| toml_string(&roll.period(*p).to_string()))
                .collect();
            lines.push(format!("columns = [{}]", new.join(", ")));
        } else if trimmed.starts_with("restated = [") || in_restated {
            // A restatement is the release's own: the next quarter does not restate by default.
            in_restated = !trimmed.trim_end().ends_with(']');
        } else if trimmed.starts_with("values = [") {
            let old = quoted(line);
            let new: Vec<String> = old_columns
                .iter()
                .map(|p| {
                    let rolled = roll.period(*p);
                    old_columns
                        .iter()
                        .position(|q| *q == rolled)
                        .and_then(|k| old.get(k))
                        .map_or_else(|| "\"\"".to_string(), |v| toml_string(v))
                })
                .collect();
            lines.push(format!("values = [{}]", new.join(", ")));
        } else if trimmed.starts_with("equals = ") || in_equals {
            in_equals = (in_equals || trimmed.starts_with("equals = [")) && !trimmed.ends_with(']');
            lines.push(roll.text(line));
        } else {
            lines.push(line.to_string());
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Comments out relations that apply to no column of the rolled tables.
fn retire_relations(files: &[PathBuf], calendar: &FiscalCalendar) -> Result<()> {
    let tables = files
        .iter()
        .map(|f| content::load_statement(f, calendar))
        .collect::<Result<Vec<_>>>()?;
    for (t, table) in tables.iter().enumerate() {
        let text = content::read_text(&table.source)?;
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut changed = false;
        for row in table.all_rows() {
            for relation in &row.equals {
                let applies = table.columns.iter().any(|period| {
                    (relation.periods.is_empty() || relation.periods.contains(&period.name()))
                        && Scope {
                            tables: &tables,
                            home: Some(t),
                            period: *period,
                        }
                        .applies(&relation.expr)
                });
                if applies {
                    continue;
                }
                let quoted_text = toml_string(&relation.text);
                if let Some(line) = lines
                    .iter_mut()
                    .skip(row.line)
                    .find(|l| l.contains(&quoted_text) && !l.trim_start().starts_with('#'))
                {
                    *line = format!(
                        "# No longer applies to these periods; review it:\n# {}",
                        line.trim_start()
                    );
                    changed = true;
                }
            }
        }
        if changed {
            std::fs::write(&table.source, lines.join("\n") + "\n")
                .map_err(|e| Error::io(&table.source, e))?;
        }
    }
    Ok(())
}

/// The new `index.md`: front matter to fill in, the latest prose with a TODO note.
fn index_md(latest: &Release, source: &str, roll: &Roll) -> String {
    let body = source
        .find("\n+++")
        .map(|i| &source[i + 4..])
        .map(|b| b.strip_prefix('\n').unwrap_or(b))
        .unwrap_or_default();
    let highlights: Vec<String> = latest
        .highlights
        .iter()
        .map(|h| format!("  {},", toml_string(&roll.citations(&h.text))))
        .collect();
    format!(
        "+++\ntitle = \"\"\ndate = \"\"\ndateline = {}\nperiod = \"{}\"\nsummary = \"\"\n\
         highlights = [\n{}\n]\n+++\n\
         <!-- TODO: rewrite this release for the {}: the text below is the {}'s, with its \
         citations moved on; add the conference call ([call]) if there is one -->\n{}",
        toml_string(&latest.dateline),
        roll.to,
        highlights.join("\n"),
        roll.to.describe(),
        roll.from.describe(),
        roll.citations(body)
    )
}

/// Scaffolds the release for `period` from the latest release; returns the files written.
pub fn new_release(root: &Path, period: PeriodName) -> Result<Vec<PathBuf>> {
    let config = Config::load(root)?;
    let calendar = &config.calendar;
    let content_dir = root.join("content");
    let period = calendar
        .place(period)
        .map_err(|m| Error::input(Location::file(&root.join(crate::config::CONFIG_FILE)), m))?;
    let loaded = content::load(&content_dir, calendar)?;
    let latest = loaded.latest().ok_or_else(|| {
        Error::input(
            Location::file(&content_dir.join("releases")),
            "there is no release to scaffold from; write the first one by hand",
        )
    })?;
    let slug = period.to_string().to_lowercase();
    let dir = content_dir.join("releases").join(&slug);
    if dir.exists() {
        return Err(Error::input(
            Location::file(&dir),
            format!("{slug} already exists; scaffolding never overwrites a release"),
        ));
    }
    let roll = Roll::new(latest.period, period, calendar)
        .map_err(|m| Error::input(Location::file(&latest.source), m))?;
    let latest_dir = latest.source.parent().unwrap_or(root);
    let mut written = Vec::new();
    let result = (|| -> Result<()> {
        std::fs::create_dir_all(dir.join("tables")).map_err(|e| Error::io(&dir, e))?;
        for table in &latest.tables {
            let text = content::read_text(&table.source)?;
            let path = dir.join("tables").join(format!("{}.toml", table.id));
            std::fs::write(&path, roll_table(&text, &roll)).map_err(|e| Error::io(&path, e))?;
            written.push(path);
        }
        retire_relations(&written, calendar)?;
        let source = content::read_text(&latest_dir.join("index.md"))?;
        let index = dir.join("index.md");
        std::fs::write(&index, index_md(latest, &source, &roll))
            .map_err(|e| Error::io(&index, e))?;
        written.insert(0, index);
        Ok(())
    })();
    if let Err(e) = result {
        // The folder is new and ours: leave nothing half-made behind.
        let _ = std::fs::remove_dir_all(&dir);
        return Err(e);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        crate::finance::period::december(s)
    }

    fn roll(from: &str, to: &str) -> std::result::Result<Roll<'static>, String> {
        static DECEMBER: std::sync::LazyLock<FiscalCalendar> =
            std::sync::LazyLock::new(FiscalCalendar::default);
        Roll::new(p(from), p(to), &DECEMBER)
    }

    #[test]
    fn periods_roll_forward_a_quarter() {
        let r = roll("2006-Q1", "2006-Q2").unwrap();
        assert_eq!(r.period(p("2006-Q1")), p("2006-Q2"));
        assert_eq!(r.period(p("2005-Q4")), p("2006-Q1"));
        assert_eq!(r.period(p("2006-03-31")), p("2006-06-30"));
        assert_eq!(r.period(p("2005-12-31")), p("2005-12-31"));
        assert_eq!(r.period(p("2005-FY")), p("2005-FY"));
        let year = roll("2006-Q1", "2007-Q1").unwrap();
        assert_eq!(year.period(p("2005-12-31")), p("2006-12-31"));
        assert!(roll("2006-Q1", "2006-Q1").is_err());
        assert!(roll("2006-Q1", "2005-FY").is_err());
    }

    #[test]
    fn text_and_citations_roll_their_periods_once() {
        let r = roll("2006-Q1", "2006-Q2").unwrap();
        assert_eq!(
            r.text("2005-Q1: a - b@2005-Q4, 2006-Q1"),
            "2005-Q2: a - b@2006-Q1, 2006-Q2"
        );
        assert_eq!(r.text("x12005-Q1 2005-Q12"), "x12005-Q1 2005-Q12");
        assert_eq!(
            r.citations("in 2006-Q1 {{ bs.cash@end - bs.cash@start | millions }}"),
            "in 2006-Q1 {{ bs.cash@2006-06-30 - bs.cash@2005-12-31 | millions }}"
        );
    }

    #[test]
    fn tables_keep_figures_of_periods_already_reported_empty_the_rest_and_restate_nothing() {
        let r = roll("2006-Q1", "2006-Q2").unwrap();
        let table = "columns = [\"2006-Q1\", \"2005-Q4\", \"2005-Q1\"]\n\
                     restated = [\n  \"2005-Q4\",\n  \"2005-Q1\",\n]\n\
                     [[rows]]\nvalues = [\"541\", \"-177\", \"-570\"]\n\
                     equals = \"2005-Q1: x - y\"\n";
        assert_eq!(
            roll_table(table, &r),
            "columns = [\"2006-Q2\", \"2006-Q1\", \"2005-Q2\"]\n[[rows]]\n\
             values = [\"\", \"541\", \"\"]\nequals = \"2005-Q2: x - y\"\n"
        );
    }
}
