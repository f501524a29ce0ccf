//! The checks that stand between content and publication, run by both `check` and `build`.
//!
//! - [`audit_release`] ties out one release as it is read: the relations its tables declare, the
//!   figures its prose cites (which it expands in place), and Regulation G's prominence rules
//!   for highlights and headings; [`merge`] adds up the releases, ties their figures to each
//!   other's ([`crate::finance::ties`]) and checks the charts.
//! - [`links`] proves every internal link and fragment of the rendered site resolves.

pub mod links;

use std::collections::BTreeSet;
use std::path::Path;

use rust_decimal::Decimal;

use crate::config::Config;
use crate::content::markdown;
use crate::content::{self, BodyBlock, FoundRow, Release};
use crate::error::{Error, Location, Result};
use crate::finance::citations::{self, Cited};
use crate::finance::expr::CellId;
use crate::finance::format::format_cell;
use crate::finance::regulation_g::{self, Interpretation, Measure, MeasureNames, Text};
use crate::finance::relations::{self, Approximate, period_phrase};
use crate::finance::ties::{self, FigureRef};
use crate::finance::{Cell, Statement};

/// What the audit found true, for the summary line and `check --verbose`.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub figures: usize,
    /// Figures a relation or a tie to another release covers exactly.
    pub tied: usize,
    /// Each figure tied only within a tolerance, as "file:line: row, period: figure: what it was
    /// compared with (difference ..., within ... tolerance of ...)".
    pub within_tolerance: Vec<String>,
    /// The tolerances those figures were accepted within, smallest first.
    pub tolerances: Vec<Decimal>,
    /// Each figure nothing covers, as "file:line: row, period: figure".
    pub untied: Vec<String>,
    /// For each release, the Regulation G rules it was checked by, as "slug (date): rules".
    pub regulation_g: Vec<String>,
}

/// "a tolerance of 1", "tolerances of 0.5 and 1": the tolerances of a summary line.
pub fn tolerances_phrase(tolerances: &[Decimal]) -> String {
    match tolerances {
        [one] => format!("a tolerance of {one}"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(ToString::to_string).collect();
            format!("tolerances of {} and {last}", init.join(", "))
        }
        [] => "no tolerance".into(),
    }
}

/// What the audit of one release found, before the archive is put together.
#[derive(Debug, Default)]
pub struct ReleaseAudit {
    pub figures: usize,
    /// How many figures its relations tie exactly.
    pub tied: usize,
    /// The figures its relations do not tie, in table order.
    pub untied: Vec<CellId>,
    /// The figures its relations tie only within a tolerance.
    pub within: Vec<(CellId, Approximate)>,
    /// How many non-GAAP measures it has.
    pub non_gaap_measures: usize,
}

/// Merges the audits of each release (in release order: `audits[i]` is `releases[i]`'s) and
/// checks the charts across releases, given the rows each chart draws ([`charted_rows`]).
pub fn merge(
    config: &Config,
    config_path: &Path,
    releases: &[Release],
    charted: &[Vec<FoundRow>],
    audits: Vec<(ReleaseAudit, Vec<Error>)>,
) -> Result<Report> {
    let mut errors = Vec::new();
    let mut parts = Vec::with_capacity(audits.len());
    for (part, part_errors) in audits {
        errors.extend(part_errors);
        parts.push(part);
    }
    tie_releases(config, releases, &mut parts, &mut errors);
    check_charts(config, config_path, charted, &mut errors);
    Error::collect(errors)?;
    Ok(report(releases, parts))
}

/// The tables of each release, for [`ties::verify`].
fn tables_of(releases: &[Release]) -> Vec<&[Statement]> {
    releases.iter().map(|r| r.tables.as_slice()).collect()
}

/// The settings of the ties across releases.
pub fn tie_settings(config: &Config) -> ties::Settings<'_> {
    ties::Settings {
        calendar: &config.calendar,
        tolerance: config.tie_tolerance,
    }
}

/// Checks the figures that tie across releases ([`ties`]) and counts what they cover: an untied
/// figure a tie covers exactly is tied, and a figure in a difference a tolerance accepted is
/// within that tolerance, not tied, whatever else ties it.
fn tie_releases(
    config: &Config,
    releases: &[Release],
    parts: &mut [ReleaseAudit],
    errors: &mut Vec<Error>,
) {
    let tables = tables_of(releases);
    let found = {
        let parts = &*parts;
        let wanted = |f: FigureRef| {
            parts
                .get(f.release)
                .is_some_and(|part| part.untied.binary_search(&cell_of(f)).is_ok())
        };
        ties::verify(
            &tables,
            &tie_settings(config),
            &ties::Scope::Everything,
            &wanted,
        )
    };
    errors.extend(found.findings.into_iter().map(|f| {
        Error::input(
            Location::line(&releases[f.release].tables[f.table].source, f.line),
            f.message,
        )
    }));
    let mut tied = found.tied;
    tied.sort_unstable();
    tied.dedup();
    for release in tied.chunk_by(|a, b| a.release == b.release) {
        let part = &mut parts[release[0].release];
        let before = part.untied.len();
        part.untied
            .retain(|c| release.binary_search_by(|f| cell_of(*f).cmp(c)).is_err());
        part.tied += before - part.untied.len();
    }
    let mut within = found.within;
    within.sort_by_key(|(f, _)| *f);
    within.dedup_by_key(|(f, _)| *f);
    for (f, approximate) in within {
        let part = &mut parts[f.release];
        let cell = cell_of(f);
        let at = part.within.partition_point(|(c, _)| *c < cell);
        if part.within.get(at).is_some_and(|(c, _)| *c == cell) {
            continue; // Within a tolerance already, with the relation's difference.
        }
        match part.untied.binary_search(&cell) {
            Ok(i) => {
                part.untied.remove(i);
            }
            // Counted as tied by a relation; a release that stopped short of its relations
            // (figures still empty) counted nothing, and fails the check anyway.
            Err(_) => part.tied = part.tied.saturating_sub(1),
        }
        part.within.insert(at, (cell, approximate));
    }
}

fn cell_of(f: FigureRef) -> CellId {
    (f.table, f.row, f.column)
}

/// The summary of every release's figures, in words.
fn report(releases: &[Release], parts: Vec<ReleaseAudit>) -> Report {
    let mut report = Report::default();
    let mut tolerances = BTreeSet::new();
    for (release, part) in releases.iter().zip(parts) {
        let rules = if part.non_gaap_measures == 0 {
            "no non-GAAP measures"
        } else {
            Interpretation::on(release.date).describe()
        };
        report.regulation_g.push(format!(
            "{} ({}): {rules}",
            release.slug,
            release.date.long()
        ));
        report.figures += part.figures;
        report.tied += part.tied;
        for cell in part.untied {
            report.untied.extend(figure_line(release, cell));
        }
        for (cell, approximate) in part.within {
            tolerances.insert(approximate.tolerance);
            if let Some(line) = figure_line(release, cell) {
                report
                    .within_tolerance
                    .push(format!("{line}: {}", approximate.note));
            }
        }
    }
    report.tolerances = tolerances.into_iter().collect();
    report
}

/// "file:line: row, period: figure" for a figure of `release`.
fn figure_line(release: &Release, (t, r, c): CellId) -> Option<String> {
    let table = release.tables.get(t)?;
    let row = table.all_rows().nth(r)?;
    Some(format!(
        "{}: {}, {}: {}",
        Location::line(&table.source, row.line),
        row.id,
        period_phrase(table.columns.get(c)?),
        format_cell(row.values.get(c)?)
    ))
}

/// Audits one release: what is unfinished, its relations, its citations (expanded in place) and
/// Regulation G's prominence rules.
pub fn audit_release(release: &mut Release) -> (ReleaseAudit, Vec<Error>) {
    let mut report = ReleaseAudit::default();
    let mut errors = unfinished(release);
    if !errors.is_empty() {
        // Relations and citations mean nothing until every figure is in.
        return (report, errors);
    }
    audit_relations(release, &mut report, &mut errors);
    // Relations are proven now and nothing renders them: free them before the archive grows.
    for table in &mut release.tables {
        for row in table
            .rows
            .iter_mut()
            .chain(table.footnotes.iter_mut().flat_map(|f| f.rows.iter_mut()))
        {
            row.equals = Vec::new();
        }
    }
    let cited = expand_citations(release, &mut errors);
    match regulation_g::measures(&release.tables) {
        Ok(measures) => {
            report.non_gaap_measures = measures.len();
            if let Some(highlights) = cited {
                check_prominence(release, &highlights, &measures, &mut errors);
            }
        }
        Err(problems) => errors.extend(problems.into_iter().map(|(t, line, message)| {
            Error::input(Location::line(&release.tables[t].source, line), message)
        })),
    }
    (report, errors)
}

/// What a scaffolded release still needs: empty front-matter fields and figures, and
/// `<!-- TODO ... -->` notes.
fn unfinished(release: &Release) -> Vec<Error> {
    let mut errors: Vec<Error> = release
        .still_empty
        .iter()
        .map(|(line, key)| {
            Error::input(
                Location::line(&release.source, *line),
                format!("`{key}` is still empty in the front matter"),
            )
        })
        .collect();
    for table in &release.tables {
        for row in table.all_rows() {
            for (period, cell) in table.columns.iter().zip(&row.values) {
                if *cell == Cell::Missing {
                    errors.push(Error::input(
                        Location::line(&table.source, row.line),
                        format!(
                            "{}, {}: still empty: fill in the figure",
                            row.id,
                            period_phrase(period)
                        ),
                    ));
                }
            }
        }
    }
    for block in &release.body {
        let BodyBlock::Markdown { text, first_line } = block else {
            continue;
        };
        if memchr::memmem::find(text.as_bytes(), b"<!-- TODO").is_none() {
            continue; // Nothing to parse for.
        }
        for (offset, note) in markdown::walk(text).todos {
            let todo = note.trim_start().trim_start_matches("<!-- TODO");
            errors.push(Error::input(
                Location::line(
                    &release.source,
                    markdown::line_at(text, *first_line, offset),
                ),
                format!(
                    "still to do: {}",
                    todo.trim_start_matches(':').trim_end_matches("-->").trim()
                ),
            ));
        }
    }
    errors
}

fn audit_relations(release: &Release, report: &mut ReleaseAudit, errors: &mut Vec<Error>) {
    let audit = relations::verify(&release.tables);
    errors.extend(audit.findings.iter().map(|f| {
        Error::input(
            Location::line(&release.tables[f.table].source, f.line),
            f.message.clone(),
        )
    }));
    report.figures += audit.figures.len();
    report.tied += audit.tied.len();
    report.untied = audit.untied().copied().collect();
    report.within = audit.within.into_iter().collect();
}

/// Expands citations in the summary, highlights and body; returns the highlights' citations.
fn expand_citations(release: &mut Release, errors: &mut Vec<Error>) -> Option<Vec<Vec<Cited>>> {
    let source = release.source.clone();
    let period = release.period;
    let tables = std::mem::take(&mut release.tables);
    let mut expand = |text: &mut String, first_line: usize| -> Option<Vec<Cited>> {
        match citations::expand(text, &tables, period) {
            Ok(expanded) => {
                *text = expanded.text;
                // The archive keeps every release's prose until it is rendered: no slack.
                text.shrink_to_fit();
                Some(expanded.cited)
            }
            Err(problems) => {
                for problem in problems {
                    let line = first_line + text[..problem.offset].matches('\n').count();
                    errors.push(Error::input(Location::line(&source, line), problem.message));
                }
                None
            }
        }
    };
    expand(&mut release.summary, 1);
    // Every highlight is expanded (and every error reported) before the results are combined.
    let highlights: Option<Vec<_>> = release
        .highlights
        .iter_mut()
        .map(|h| expand(&mut h.text, h.line))
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    for block in &mut release.body {
        if let BodyBlock::Markdown { text, first_line } = block {
            expand(text, *first_line);
        }
    }
    release.tables = tables;
    highlights
}

/// The Markdown headings of the body that could name a non-GAAP measure, with their lines, as
/// pulldown-cmark reads them ([`markdown::walk`], the walk the renderer writes the page from).
fn headings(release: &Release, names: &MeasureNames) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for block in &release.body {
        let BodyBlock::Markdown { text, first_line } = block else {
            continue;
        };
        if !names.any_non_gaap_named(text) {
            continue; // No heading of it can name one: not worth parsing.
        }
        for heading in markdown::walk(text).headings {
            let line = markdown::line_at(text, *first_line, heading.offset);
            found.push((line, heading.text));
        }
    }
    found
}

fn check_prominence(
    release: &Release,
    highlights: &[Vec<Cited>],
    measures: &[Measure],
    errors: &mut Vec<Error>,
) {
    let interpretation = Interpretation::on(release.date);
    if measures.is_empty() || !interpretation.checks_highlights() {
        return;
    }
    let names = MeasureNames::new(measures);
    let texts: Vec<Text> = release
        .highlights
        .iter()
        .zip(highlights)
        .map(|(h, cited)| Text {
            text: &h.text,
            cited,
        })
        .collect();
    for (i, problem) in regulation_g::check_highlights(&texts, &names) {
        errors.push(Error::input(
            Location::line(&release.source, release.highlights[i].line),
            problem,
        ));
    }
    if !interpretation.checks_headings() {
        return;
    }
    let plain = |text| Text { text, cited: &[] };
    let headings = headings(release, &names);
    let mut titled: Vec<(Location, &str)> = vec![(Location::file(&release.source), &release.title)];
    titled.extend(
        headings
            .iter()
            .map(|(line, text)| (Location::line(&release.source, *line), text.as_str())),
    );
    titled.extend(
        release
            .tables
            .iter()
            .map(|t| (Location::file(&t.source), t.title.as_str())),
    );
    for (location, text) in titled {
        if let Some(problem) = regulation_g::check_heading(&plain(text), &names) {
            errors.push(Error::input(location, format!("{problem} ({text:?})")));
        }
    }
}

/// Each configured chart's rows, in the order of `config.charts`: every row named by its
/// metric, in every release.
pub fn charted_rows<'a>(config: &Config, releases: &'a [Release]) -> Vec<Vec<FoundRow<'a>>> {
    let metrics: Vec<&str> = config.charts.iter().map(|c| c.metric.as_str()).collect();
    content::rows_by_id(releases, &metrics)
}

/// A chart's data must agree with its configuration about what is non-GAAP; `charted` holds
/// each chart's rows ([`charted_rows`]).
pub fn check_charts(
    config: &Config,
    config_path: &Path,
    charted: &[Vec<FoundRow>],
    errors: &mut Vec<Error>,
) {
    'charts: for (chart, rows) in config.charts.iter().zip(charted) {
        let rows = rows.iter().map(|found| (found.table, found.row));
        for (table, row) in rows {
            if row.non_gaap != chart.non_gaap {
                let (says, fix) = if row.non_gaap {
                    (
                        "non-GAAP",
                        "set non_gaap = true with its comparable and reconciliation",
                    )
                } else {
                    ("GAAP", "remove non_gaap = true from the chart")
                };
                errors.push(Error::input(
                    Location::file(config_path),
                    format!(
                        "chart {:?} draws {:?}, which {}:{} marks as {says}; {fix}",
                        chart.id,
                        row.id,
                        table.source.display(),
                        row.line
                    ),
                ));
                // One message per chart: the same mismatch repeats in every release.
                continue 'charts;
            }
            let comparable_metric = chart
                .comparable
                .as_ref()
                .and_then(|id| config.charts.iter().find(|c| &c.id == id))
                .map(|c| c.metric.as_str());
            if let (Some(expected), Some(metric)) = (&row.comparable, comparable_metric)
                && **expected != *metric
            {
                errors.push(Error::input(
                    Location::file(config_path),
                    format!(
                        "chart {:?}: its comparable chart draws {metric:?}, but {}:{} names \
                         {expected:?} as the most comparable GAAP measure",
                        chart.id,
                        table.source.display(),
                        row.line
                    ),
                ));
                continue 'charts;
            }
        }
    }
}
