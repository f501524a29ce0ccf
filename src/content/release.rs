//! Reads one release folder: `index.md` (TOML front matter between `+++` lines, then Markdown)
//! and its `tables/`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Location, Result};
use crate::finance::{Date, FiscalCalendar, Period, PeriodName, Statement};

/// A quarterly results release.
#[derive(Debug, Clone)]
pub struct Release {
    /// The folder name, which is also the URL segment.
    pub slug: String,
    /// The `index.md` file.
    pub source: std::path::PathBuf,
    pub title: String,
    pub date: Date,
    /// The city that opens the release ("ATLANTA").
    pub dateline: String,
    /// The period whose results are released.
    pub period: Period,
    /// One sentence for lists and search engines.
    pub summary: String,
    /// Headline bullets, as inline Markdown.
    pub highlights: Vec<Highlight>,
    pub body: Vec<BodyBlock>,
    /// The release's tables, in the order the body places them.
    pub tables: Vec<Statement>,
    /// The conference call on the results, if the release announces one.
    pub call: Option<Call>,
    /// Front-matter fields a scaffolded release has not filled in yet (`""`), with their lines;
    /// `check` lists them and nothing is published until they are filled.
    pub still_empty: Vec<(usize, &'static str)>,
}

/// A conference call, as the front matter's `[call]` table states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub title: String,
    /// The start in UTC, and the offset the release states it in.
    pub start_utc: DateTime,
    pub start_offset_minutes: i32,
    /// The start as written, e.g. "2006-05-04T17:00:00-04:00".
    pub start_text: String,
    pub duration_minutes: Option<u32>,
    pub webcast: Option<String>,
    pub dial_in: Vec<Line>,
    pub replay: Vec<Line>,
    /// The last day the replay is available.
    pub replay_until: Option<Date>,
}

/// A telephone line of a call: "Domestic: 866.202.0886, pass code 86358891".
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub label: String,
    pub number: String,
    pub pass_code: String,
}

/// A calendar date and a time of day, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime {
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallFile {
    title: String,
    start: Spanned<toml::value::Datetime>,
    #[serde(default)]
    duration_minutes: Option<u32>,
    #[serde(default)]
    webcast: Option<String>,
    #[serde(default)]
    dial_in: Vec<Line>,
    #[serde(default)]
    replay: Vec<Line>,
    #[serde(default)]
    replay_until: Option<Spanned<toml::value::Datetime>>,
}

/// A TOML offset date-time ("2006-05-04T17:00:00-04:00") in UTC, with its offset in minutes.
fn to_utc(value: &toml::value::Datetime) -> Option<(DateTime, i32)> {
    let (date, time, offset) = (value.date?, value.time?, value.offset?);
    let offset = match offset {
        toml::value::Offset::Z => 0,
        toml::value::Offset::Custom { minutes } => i32::from(minutes),
    };
    let date = Date::new(i32::from(date.year), date.month, date.day)?;
    let local = date.days() * 1440 + i64::from(time.hour) * 60 + i64::from(time.minute);
    let utc = local - i64::from(offset);
    let date = Date::from_days(utc.div_euclid(1440))?;
    let minutes = utc.rem_euclid(1440);
    Some((
        DateTime {
            date,
            hour: u8::try_from(minutes / 60).ok()?,
            minute: u8::try_from(minutes % 60).ok()?,
        },
        offset,
    ))
}

fn parse_call(path: &Path, source: &str, base: usize, call: CallFile) -> Result<Call> {
    let (start_utc, start_offset_minutes) = to_utc(call.start.get_ref()).ok_or_else(|| {
        Error::at_offset(
            path,
            source,
            base + call.start.span().start,
            "`start` is a date and time with its UTC offset, e.g. 2006-05-04T17:00:00-04:00 \
             for 5:00 p.m. EDT",
        )
    })?;
    if let Some(webcast) = &call.webcast
        && let Err(m) = super::urls::check_link(webcast)
    {
        return Err(Error::input(
            Location::file(path),
            format!("call.webcast: {m}"),
        ));
    }
    let replay_until = call
        .replay_until
        .map(|d| parse_date(path, source, base, &d))
        .transpose()?;
    Ok(Call {
        title: call.title,
        start_utc,
        start_offset_minutes,
        start_text: call.start.get_ref().to_string(),
        duration_minutes: call.duration_minutes,
        webcast: call.webcast,
        dial_in: call.dial_in,
        replay: call.replay,
        replay_until,
    })
}

impl Release {
    pub fn table(&self, id: &str) -> Option<&Statement> {
        self.tables.iter().find(|t| t.id == id)
    }
}

/// A headline bullet and the line of `index.md` it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlight {
    pub text: String,
    pub line: usize,
}

/// A piece of the release body: prose, or a table placed with `{{ table(id="...") }}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyBlock {
    Markdown { text: String, first_line: usize },
    Table { id: String, line: usize },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Spanned<String>,
    /// A TOML date, or `""` while a scaffolded release is still being written.
    date: Spanned<toml::Value>,
    dateline: Spanned<String>,
    period: Spanned<String>,
    summary: Spanned<String>,
    #[serde(default)]
    highlights: Vec<Spanned<String>>,
    #[serde(default)]
    call: Option<CallFile>,
}

const FENCE: &str = "+++";

/// Splits `+++` front matter from the body; returns (front matter, its byte offset, body, the
/// body's first line).
fn split_front_matter<'a>(
    path: &Path,
    source: &'a str,
) -> Result<(&'a str, usize, &'a str, usize)> {
    let missing = || {
        Error::input(
            Location::line(path, 1),
            "a release starts with TOML front matter between two lines of `+++`, e.g.\n+++\n\
             title = \"...\"\ndate = 2006-05-04\n+++",
        )
    };
    let first_line_end = source.find('\n').ok_or_else(missing)?;
    if source[..first_line_end].trim_end() != FENCE {
        return Err(missing());
    }
    let front_start = first_line_end + 1;
    let mut offset = front_start;
    for line in source[front_start..].split_inclusive('\n') {
        if line.trim_end() == FENCE {
            let body_start = offset + line.len();
            let body_line = crate::error::line_of(source, body_start);
            return Ok((
                &source[front_start..offset],
                front_start,
                &source[body_start..],
                body_line,
            ));
        }
        offset += line.len();
    }
    Err(Error::input(
        Location::line(path, 1),
        "the front matter is not closed: add a line `+++` after it",
    ))
}

/// Parses a shortcode line such as `{{ table(id="operations") }}`.
fn parse_shortcode(line: &str) -> Option<std::result::Result<String, String>> {
    let inner = line.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let parsed = inner
        .strip_prefix("table(")
        .and_then(|rest| rest.strip_suffix(')'))
        .and_then(|args| args.trim().strip_prefix("id"))
        .and_then(|rest| rest.trim_start().strip_prefix('='))
        .and_then(|rest| rest.trim().strip_prefix('"'))
        .and_then(|rest| rest.strip_suffix('"'));
    Some(match parsed {
        Some(id) if super::valid_slug(id) => Ok(id.to_string()),
        _ => Err(format!(
            "unknown shortcode `{}`; a table is placed with a line `{{{{ table(id=\"table-id\") }}}}`",
            line.trim()
        )),
    })
}

fn split_body(path: &Path, body: &str, first_line: usize) -> Result<Vec<BodyBlock>> {
    let mut blocks = Vec::new();
    let mut text = String::new();
    let mut text_line = first_line;
    let mut in_fence = false;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let line_no = first_line + i;
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        match (in_fence, parse_shortcode(line)) {
            (false, Some(Ok(id))) => {
                if !text.trim().is_empty() {
                    blocks.push(BodyBlock::Markdown {
                        text: std::mem::take(&mut text),
                        first_line: text_line,
                    });
                }
                text.clear();
                text_line = line_no + 1;
                blocks.push(BodyBlock::Table { id, line: line_no });
            }
            (false, Some(Err(message))) => {
                return Err(Error::input(Location::line(path, line_no), message));
            }
            _ => text.push_str(line),
        }
    }
    if !text.trim().is_empty() {
        blocks.push(BodyBlock::Markdown {
            text,
            first_line: text_line,
        });
    }
    Ok(blocks)
}

fn parse_date(
    path: &Path,
    source: &str,
    base: usize,
    date: &Spanned<toml::value::Datetime>,
) -> Result<Date> {
    let value = date.get_ref();
    let parsed = match (&value.date, &value.time) {
        (Some(d), None) => Date::new(i32::from(d.year), d.month, d.day),
        _ => None,
    };
    parsed.ok_or_else(|| {
        Error::at_offset(
            path,
            source,
            base + date.span().start,
            format!("`date` is a plain date such as 2006-05-04; found {value}"),
        )
    })
}

/// Loads `dir/index.md` and `dir/tables/*.toml`.
pub fn load(dir: &Path, calendar: &FiscalCalendar) -> Result<Release> {
    load_with(dir, calendar, &mut super::Names::default())
}

/// [`load`], sharing row ids, labels and relations with other releases through `names`.
pub(super) fn load_with(
    dir: &Path,
    calendar: &FiscalCalendar,
    names: &mut super::Names,
) -> Result<Release> {
    let slug = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let path = dir.join("index.md");
    if !super::valid_slug(&slug) {
        return Err(Error::input(
            Location::file(dir),
            format!(
                "release folder {slug:?} is not a valid slug: use lowercase letters, digits and \
                 hyphens, e.g. 2006-q1"
            ),
        ));
    }
    let files = super::layout::release_files(dir);
    if !files.has_index {
        let mut errors = files.errors;
        errors.push(Error::input(
            Location::file(&path),
            "every release folder needs an index.md with the release text",
        ));
        return Err(Error::many(errors));
    }
    // A misplaced file is reported with whatever else is wrong with the release.
    let mut errors = files.errors;
    match read_release(
        slug,
        path,
        &dir.join("tables"),
        files.tables,
        calendar,
        names,
    ) {
        Ok(release) if errors.is_empty() => Ok(release),
        Ok(_) => Err(Error::many(errors)),
        Err(Error::Many(many)) => {
            errors.extend(many);
            Err(Error::many(errors))
        }
        Err(e) => {
            errors.push(e);
            Err(Error::many(errors))
        }
    }
}

/// Reads the release `slug`: its text at `path`, and its `table_files`, in `tables_dir`.
fn read_release(
    slug: String,
    path: PathBuf,
    tables_dir: &Path,
    table_files: Vec<PathBuf>,
    calendar: &FiscalCalendar,
    names: &mut super::Names,
) -> Result<Release> {
    let source = super::read_text(&path)?;
    let (front, base, body, body_line) = split_front_matter(&path, &source)?;
    let front_matter: FrontMatter = toml::from_str(front).map_err(|e| {
        e.span().map_or_else(
            || Error::input(Location::file(&path), e.message()),
            |span| Error::at_offset(&path, &source, base + span.start, e.message()),
        )
    })?;
    super::control::refuse_in_toml_strings(&path, &source, base, front)?;
    let at = |span: std::ops::Range<usize>, message: &str| {
        Error::at_offset(&path, &source, base + span.start, message)
    };
    let period = front_matter
        .period
        .get_ref()
        .parse::<PeriodName>()
        .and_then(|name| calendar.place(name))
        .map_err(|m| {
            Error::at_offset(&path, &source, base + front_matter.period.span().start, m)
        })?;
    let mut still_empty = Vec::new();
    let line_at = |span: std::ops::Range<usize>| crate::error::line_of(&source, base + span.start);
    let date = match front_matter.date.get_ref() {
        toml::Value::Datetime(value) => parse_date(
            &path,
            &source,
            base,
            &Spanned::new(front_matter.date.span(), *value),
        )?,
        toml::Value::String(s) if s.is_empty() => {
            still_empty.push((line_at(front_matter.date.span()), "date"));
            period.end()
        }
        other => {
            return Err(at(
                front_matter.date.span(),
                &format!(
                    "`date` is a plain date such as 2006-05-04; found a {}",
                    other.type_str()
                ),
            ));
        }
    };
    for (key, value) in [
        ("title", &front_matter.title),
        ("summary", &front_matter.summary),
        ("dateline", &front_matter.dateline),
    ] {
        if value.get_ref().trim().is_empty() {
            still_empty.push((line_at(value.span()), key));
        }
    }
    let body = split_body(&path, body, body_line)?;
    let call = front_matter
        .call
        .map(|c| parse_call(&path, &source, base, c))
        .transpose()?;

    let mut errors = Vec::new();
    let mut tables = Vec::with_capacity(table_files.len());
    for file in table_files {
        match super::table::load_statement_with(&file, calendar, names) {
            Ok(t) => tables.push(t),
            Err(Error::Many(many)) => errors.extend(many),
            Err(e) => errors.push(e),
        }
    }
    // Every table is placed exactly once, and every placement names a table.
    let mut placed = HashSet::new();
    let mut ordered = Vec::new();
    for block in &body {
        if let BodyBlock::Table { id, line } = block {
            if !placed.insert(id.clone()) {
                errors.push(Error::input(
                    Location::line(&path, *line),
                    format!("table {id:?} is placed twice"),
                ));
            } else if let Some(pos) = tables.iter().position(|t: &Statement| &t.id == id) {
                ordered.push(tables.remove(pos));
            } else if errors.is_empty() {
                errors.push(Error::input(
                    Location::line(&path, *line),
                    format!(
                        "no table {id:?}: expected a file {}",
                        tables_dir.join(format!("{id}.toml")).display()
                    ),
                ));
            }
        }
    }
    for table in &tables {
        errors.push(Error::input(
            Location::file(&table.source),
            format!(
                "table {:?} is not placed in {}; add a line {{{{ table(id=\"{}\") }}}} where it belongs",
                table.id,
                path.display(),
                table.id
            ),
        ));
    }
    Error::collect(errors)?;
    Ok(Release {
        slug,
        source: path,
        title: front_matter.title.into_inner(),
        date,
        dateline: front_matter.dateline.into_inner(),
        period,
        summary: front_matter.summary.into_inner(),
        highlights: front_matter
            .highlights
            .into_iter()
            .map(|h| Highlight {
                line: crate::error::line_of(&source, base + h.span().start),
                text: h.into_inner(),
            })
            .collect(),
        body,
        tables: ordered,
        call,
        still_empty,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_times_convert_to_utc() {
        let parse = |s: &str| s.parse::<toml::value::Datetime>().unwrap();
        let (utc, offset) = to_utc(&parse("2006-05-04T17:00:00-04:00")).unwrap();
        assert_eq!(
            (utc.date.iso(), utc.hour, utc.minute, offset),
            ("2006-05-04".into(), 21, 0, -240)
        );
        let (utc, _) = to_utc(&parse("2006-12-31T22:30:00-05:00")).unwrap();
        assert_eq!(
            (utc.date.iso(), utc.hour, utc.minute),
            ("2007-01-01".into(), 3, 30)
        );
        let (utc, _) = to_utc(&parse("2008-03-01T01:00:00+09:00")).unwrap();
        assert_eq!((utc.date.iso(), utc.hour), ("2008-02-29".into(), 16));
        assert!(
            to_utc(&parse("2006-05-04T17:00:00")).is_none(),
            "a local time is ambiguous"
        );
    }

    #[test]
    fn shortcodes_are_recognised_strictly() {
        assert_eq!(
            parse_shortcode("{{ table(id=\"operations\") }}"),
            Some(Ok("operations".into()))
        );
        assert_eq!(
            parse_shortcode("  {{table(id = \"a-b\")}}\n"),
            Some(Ok("a-b".into()))
        );
        assert!(matches!(
            parse_shortcode("{{ chart(id=\"x\") }}"),
            Some(Err(_))
        ));
        assert!(matches!(
            parse_shortcode("{{ table(id=\"../x\") }}"),
            Some(Err(_))
        ));
        assert_eq!(parse_shortcode("Revenue grew {{ not a line }} x"), None);
    }

    #[test]
    fn body_splits_around_tables() {
        let body = "Intro.\n\n{{ table(id=\"a\") }}\n\nMore.\n```\n{{ table(id=\"b\") }}\n```\n";
        let blocks = split_body(Path::new("x.md"), body, 5).unwrap();
        assert_eq!(blocks.len(), 3);
        assert_eq!(
            blocks[1],
            BodyBlock::Table {
                id: "a".into(),
                line: 7
            }
        );
        assert!(
            matches!(&blocks[2], BodyBlock::Markdown { text, first_line: 8 } if text.contains("table(id=\"b\")"))
        );
    }
}
