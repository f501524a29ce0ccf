//! `new release 2006-Q2`: the next quarter's release, scaffolded from the latest one.
//!
//! Every table of the latest release is rolled to the new quarter of the site's fiscal
//! calendar (see `roll.rs`): a comparative statement gains or moves its year-to-date columns
//! (six months beside the second quarter, nine beside the third, the full year beside the
//! fourth, none beside the first), a year-to-date table stays one, balance sheets move to the
//! new quarter end and the prior fiscal year end, trend and sequential tables shift by a
//! quarter. Each figure of a new column is the one the archive reports for that period, table
//! and row (the newest release's, by period name or the same days), and empty (`""`) where no
//! release reports it, for the IR team to fill in: a figure is never carried under a period it
//! was not reported for. Relations roll with their periods; one that no longer applies to any
//! column is kept as a comment. A restatement is not carried over. The files are edited in
//! place ([`toml_edit`]), so comments and layout stay as written.
//!
//! The prose is carried over with its citations rolled and a TODO note at the top; title, date
//! and summary are emptied. `check` lists everything still empty, and nothing is published
//! until it is all filled in.

mod archive;
mod prose;
mod relation;
mod roll;
mod table;

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{self, Release};
use crate::error::{Error, Location, Result};
use crate::finance::expr::Scope;
use crate::finance::{FiscalCalendar, PeriodName, Statement};
use archive::Archive;
use roll::Roll;

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

/// The relations of the rolled tables that apply to none of their table's columns, by table,
/// with their rows' ids.
fn relations_to_retire(
    tables: &[Statement],
) -> Vec<Vec<(&str, &crate::finance::relations::Relation)>> {
    tables
        .iter()
        .enumerate()
        .map(|(t, table)| {
            let mut retired = Vec::new();
            for row in table.all_rows() {
                for relation in &row.equals {
                    let applies = table.columns.iter().any(|period| {
                        (relation.periods.is_empty() || relation.periods.contains(&period.name()))
                            && Scope {
                                tables,
                                home: Some(t),
                                period: *period,
                                scale: table.measure(row).scale(),
                            }
                            .applies(&relation.expr)
                    });
                    if !applies {
                        retired.push((&*row.id, &**relation));
                    }
                }
            }
            retired
        })
        .collect()
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
        .map(|h| {
            format!(
                "  {},",
                toml_string(&roll.citations(&h.text, &latest.tables))
            )
        })
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
        roll.citations(body, &latest.tables)
    )
}

/// Writes the new release's files into `dir` (which the caller removes on an error).
fn write_release(
    dir: &Path,
    latest: &Release,
    roll: &Roll,
    archive: &Archive,
    calendar: &FiscalCalendar,
    written: &mut Vec<PathBuf>,
) -> Result<()> {
    // Every table is rolled before anything is written, and every problem reported at once.
    let mut docs = Vec::with_capacity(latest.tables.len());
    let mut errors = Vec::new();
    for statement in &latest.tables {
        let rolled = content::read_text(&statement.source)
            .and_then(|source| table::roll(statement, &source, roll, archive));
        match rolled {
            Ok(doc) => docs.push(doc),
            Err(e) => errors.push(e),
        }
    }
    Error::collect(errors)?;
    let tables_dir = dir.join("tables");
    std::fs::create_dir_all(&tables_dir).map_err(|e| Error::io(&tables_dir, e))?;
    for (statement, doc) in latest.tables.iter().zip(&docs) {
        let path = tables_dir.join(format!("{}.toml", statement.id));
        std::fs::write(&path, doc.to_string()).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    // Whether a relation still applies depends on every rolled table (a tie reads another).
    let tables = written
        .iter()
        .map(|path| content::load_statement(path, calendar))
        .collect::<Result<Vec<_>>>()?;
    for ((retired, doc), path) in relations_to_retire(&tables)
        .iter()
        .zip(&mut docs)
        .zip(&*written)
    {
        if !retired.is_empty() {
            table::retire(doc, retired);
            std::fs::write(path, doc.to_string()).map_err(|e| Error::io(path, e))?;
        }
    }
    let latest_dir = latest.source.parent().unwrap_or(dir);
    let source = content::read_text(&latest_dir.join("index.md"))?;
    let index = dir.join("index.md");
    std::fs::write(&index, index_md(latest, &source, roll)).map_err(|e| Error::io(&index, e))?;
    written.insert(0, index);
    Ok(())
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
    // The release of the latest period, which a new quarter follows.
    let latest = loaded
        .releases
        .iter()
        .max_by_key(|r| r.period.sort_key())
        .ok_or_else(|| {
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
    let archive = Archive::new(&loaded.releases);
    let mut written = Vec::new();
    let result = write_release(&dir, latest, &roll, &archive, calendar, &mut written);
    if let Err(e) = result {
        // The folder is new and ours: leave nothing half-made behind.
        let _ = std::fs::remove_dir_all(&dir);
        return Err(e);
    }
    Ok(written)
}
