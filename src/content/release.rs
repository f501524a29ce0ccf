//! Reads one release folder: `index.md` (TOML front matter between `+++` lines, then Markdown)
//! and its `tables/`.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Location, Result};
use crate::finance::{Date, Period, Statement};

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
    title: String,
    date: Spanned<toml::value::Datetime>,
    dateline: String,
    period: Spanned<String>,
    summary: String,
    #[serde(default)]
    highlights: Vec<Spanned<String>>,
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
pub fn load(dir: &Path) -> Result<Release> {
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
    if !path.is_file() {
        return Err(Error::input(
            Location::file(&path),
            "every release folder needs an index.md with the release text",
        ));
    }
    let source = super::read_text(&path)?;
    let (front, base, body, body_line) = split_front_matter(&path, &source)?;
    let front_matter: FrontMatter = toml::from_str(front).map_err(|e| {
        e.span().map_or_else(
            || Error::input(Location::file(&path), e.message()),
            |span| Error::at_offset(&path, &source, base + span.start, e.message()),
        )
    })?;
    let date = parse_date(&path, &source, base, &front_matter.date)?;
    let period = front_matter
        .period
        .get_ref()
        .parse::<Period>()
        .map_err(|m| {
            Error::at_offset(&path, &source, base + front_matter.period.span().start, m)
        })?;
    let body = split_body(&path, body, body_line)?;

    let mut errors = Vec::new();
    let mut tables = Vec::new();
    let tables_dir = dir.join("tables");
    if tables_dir.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(&tables_dir)
            .map_err(|e| Error::io(&tables_dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for file in files {
            match super::load_statement(&file) {
                Ok(t) => tables.push(t),
                Err(Error::Many(many)) => errors.extend(many),
                Err(e) => errors.push(e),
            }
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
        title: front_matter.title,
        date,
        dateline: front_matter.dateline,
        period,
        summary: front_matter.summary,
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
