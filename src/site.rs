//! The pipeline: configuration → content → financial model → rendering → output.
//!
//! `load` reads and validates everything and ties out the figures
//! ([`crate::check::audit_release`]), `render` produces the files in memory and proves their
//! links, and `build` writes them atomically. `check` is `load` + `render` without writing:
//! the same checks, so a site `check` accepts is a site `build` publishes.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::check;
use crate::config::{ChartConfig, Config};
use crate::content::{self, Content, Release};
use crate::error::{Error, Location, Result};
use crate::finance::{Period, ties};
use crate::output::{self, Discard, Sink, Staging};
use crate::render::templates::Templates;
use crate::render::{self, Memo, Outputs, Written, charts};

/// What the command line can override.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The folder holding `site.toml`.
    pub root: PathBuf,
    pub output_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Replace a non-empty output directory this tool did not create.
    pub force: bool,
}

/// A file of the built site, by its path inside the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative, '/'-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: &str, bytes: Vec<u8>) -> Self {
        OutputFile {
            path: path.to_string(),
            bytes,
        }
    }
}

/// Everything a build needs, loaded and validated.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub content: Content,
    /// Each configured chart with its figures.
    pub charts: Vec<(ChartConfig, charts::Series)>,
    /// What the audit of the figures found.
    pub report: check::Report,
}

impl Site {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }

    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }

    /// The folder `build` writes to.
    pub fn output_dir(&self, options: &Options) -> PathBuf {
        let dir = options
            .output_dir
            .clone()
            .unwrap_or_else(|| self.config.output_dir.clone());
        if dir.is_absolute() || options.output_dir.is_some() {
            dir
        } else {
            self.root.join(dir)
        }
    }

    /// Reloads and re-audits the releases in `dirs` in place, with the ties across releases
    /// that read the periods their tables report (so that an edit breaking a tie with an older
    /// or newer release is refused) and the charts they feed. Anything else needs a full
    /// [`load`]. A failed reload may leave some of the edited releases in place: the caller
    /// loads everything again after a failure.
    pub fn reload_releases(&mut self, dirs: &BTreeSet<PathBuf>) -> Result<Reloaded, Reload> {
        let mut reloaded = Reloaded::default();
        let mut charts_changed = false;
        // The periods the edited tables report, before and after: the ties across releases
        // that read them are checked again, whichever release holds their other figures.
        let mut spans = HashSet::new();
        for dir in dirs {
            let index = self
                .content
                .releases
                .iter()
                .position(|r| r.source.parent() == Some(dir.as_path()))
                .ok_or(Reload::Everything)?;
            if !dir.join("index.md").is_file() {
                return Err(Reload::Everything);
            }
            let mut release =
                content::load_release(dir, &self.config.calendar).map_err(Reload::Failed)?;
            let (_, errors) = check::audit_release(&mut release);
            Error::collect(errors).map_err(Reload::Failed)?;
            let old = &self.content.releases[index];
            if (old.date, &old.slug, old.period) != (release.date, &release.slug, release.period) {
                return Err(Reload::Everything);
            }
            charts_changed |= !same_chart_inputs(&self.config, old, &release);
            if old.tables != release.tables {
                for table in old.tables.iter().chain(&release.tables) {
                    spans.extend(table.columns.iter().map(ties::Span::of));
                }
            }
            self.content.releases[index] = release;
            reloaded.releases.insert(index);
        }
        if !spans.is_empty() {
            let tables: Vec<&[crate::finance::Statement]> = (self.content.releases.iter())
                .map(|r| r.tables.as_slice())
                .collect();
            let found = ties::verify(
                &tables,
                &check::tie_settings(&self.config),
                &ties::Scope::Spans(spans),
                &|_| false,
            );
            let errors: Vec<Error> = found
                .findings
                .into_iter()
                .map(|f| {
                    let table = &self.content.releases[f.release].tables[f.table];
                    Error::input(Location::line(&table.source, f.line), f.message)
                })
                .collect();
            Error::collect(errors).map_err(Reload::Failed)?;
        }
        if !charts_changed {
            // The checks and series below read nothing the edit changed.
            return Ok(reloaded);
        }
        let mut errors = Vec::new();
        let charted = check::charted_rows(&self.config, &self.content.releases);
        check::check_charts(
            &self.config,
            &self.root.join(crate::config::CONFIG_FILE),
            &charted,
            &mut errors,
        );
        let charts = collect_charts(&self.root, &self.config, &charted, &mut errors);
        Error::collect(errors).map_err(Reload::Failed)?;
        for ((_, old), (_, new)) in self.charts.iter().zip(&charts) {
            reloaded.changed_quarters.extend(new.changed_since(old));
        }
        self.charts = charts;
        Ok(reloaded)
    }
}

/// What [`Site::reload_releases`] changed.
#[derive(Debug, Default)]
pub struct Reloaded {
    /// The indices of the reloaded releases.
    pub releases: BTreeSet<usize>,
    /// The quarters whose charted figures changed, in any chart: the release pages whose chart
    /// windows show them must be rendered again.
    pub changed_quarters: Vec<Period>,
}

/// Whether the charts read the same of both versions of a release: its tables (a chart links
/// the reconciliation table of the page's release, or else the newest) and, of every row a
/// chart draws, its table's periods and restated ones, whether it is a footnote's row, its
/// figures as written and what the chart checks of it (its label is not drawn).
fn same_chart_inputs(config: &Config, old: &Release, new: &Release) -> bool {
    let old_rows = check::charted_rows(config, std::slice::from_ref(old));
    let new_rows = check::charted_rows(config, std::slice::from_ref(new));
    let same_row = |o: &content::FoundRow, n: &content::FoundRow| {
        let (a, b) = (o.row, n.row);
        (o.table.id == n.table.id && o.table.columns == n.table.columns)
            && o.table.restated == n.table.restated
            && o.in_footnote == n.in_footnote
            && (&a.id, a.non_gaap, &a.comparable) == (&b.id, b.non_gaap, &b.comparable)
            && a.values.len() == b.values.len()
            && a.values
                .iter()
                .zip(&b.values[..])
                .all(|(x, y)| x.identical(y))
    };
    old.tables
        .iter()
        .map(|t| &t.id)
        .eq(new.tables.iter().map(|t| &t.id))
        && old_rows.iter().zip(&new_rows).all(|(olds, news)| {
            olds.len() == news.len() && olds.iter().zip(news).all(|(o, n)| same_row(o, n))
        })
}

fn flatten(result: Result<()>, errors: &mut Vec<Error>) {
    match result {
        Ok(()) => {}
        Err(Error::Many(many)) => errors.extend(many),
        Err(e) => errors.push(e),
    }
}

/// Reads `site.toml`, `content/` and `templates/`, reporting every problem found.
pub fn load(options: &Options) -> Result<(Site, Templates)> {
    let root = options.root.clone();
    let mut config = Config::load(&root)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url)?;
    }
    let mut errors = Vec::new();
    // Each release is audited as soon as it is read, while its relations are in memory.
    let content = content::load_each(
        &root.join("content"),
        &config.calendar,
        check::audit_release,
    );
    let templates = render::templates::load_templates(&root.join("templates"));
    let ((content, audits), templates) = match (content, templates) {
        (Ok(c), Ok(t)) => (c, t),
        (c, t) => {
            flatten(c.map(|_| ()), &mut errors);
            flatten(t.map(|_| ()), &mut errors);
            return Err(Error::many(errors));
        }
    };
    if content.releases.is_empty() {
        return Err(Error::input(
            Location::file(&root.join("content/releases")),
            "no releases yet: add content/releases/<slug>/index.md",
        ));
    }
    let charted = check::charted_rows(&config, &content.releases);
    let report = match check::merge(
        &config,
        &root.join(crate::config::CONFIG_FILE),
        &content.releases,
        &charted,
        audits,
    ) {
        Ok(report) => report,
        Err(e) => {
            flatten(Err(e), &mut errors);
            check::Report::default()
        }
    };
    let chart_series = collect_charts(&root, &config, &charted, &mut errors);
    Error::collect(errors)?;
    Ok((
        Site {
            root,
            config,
            content,
            charts: chart_series,
            report,
        },
        templates,
    ))
}

/// Each configured chart's figures, from every release.
fn collect_charts(
    root: &Path,
    config: &Config,
    charted: &[Vec<content::FoundRow>],
    errors: &mut Vec<Error>,
) -> Vec<(ChartConfig, charts::Series)> {
    let mut chart_series = Vec::new();
    for (chart, rows) in config.charts.iter().zip(charted) {
        match charts::collect_series(chart, rows) {
            Ok(series) if series.points.is_empty() => errors.push(Error::input(
                Location::file(&root.join(crate::config::CONFIG_FILE)),
                format!(
                    "chart {:?}: no table has a row {:?} with quarterly figures",
                    chart.id, chart.metric
                ),
            )),
            Ok(series) => chart_series.push((chart.clone(), series)),
            Err(e) => flatten(Err(e), errors),
        }
    }
    chart_series
}

/// Why a site cannot be updated in place and must be loaded again.
#[derive(Debug)]
pub enum Reload {
    /// The change is not to existing releases alone (a new or removed release, templates,
    /// static files, `site.toml`, or an edit that reorders releases).
    Everything,
    /// The edited releases do not load or do not tie out.
    Failed(Error),
}

/// Files under `static/`, copied to the output root as they are, and the hidden files and
/// folders left out (a folder's name ends in '/'), by their paths in `static/`.
///
/// Hidden names (`.env`, `.git/`, `.DS_Store`) are what an editor, a version control system
/// or a secret leaves beside the files, never what the author meant to publish; `.well-known/`
/// at the top is the exception, as it holds what the web expects there (`security.txt`,
/// domain verification).
fn static_files(dir: &Path) -> Result<(Vec<OutputFile>, Vec<String>)> {
    let (mut files, mut left_out) = (Vec::new(), Vec::new());
    if !dir.is_dir() {
        return Ok((files, left_out));
    }
    let relative = |path: &Path| {
        path.strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut walk = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(|e| Error::input(Location::file(dir), e.to_string()))?;
        let path = entry.path();
        let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
        let well_known =
            entry.depth() == 1 && entry.file_name() == ".well-known" && entry.file_type().is_dir();
        if hidden && !well_known {
            let mut name = relative(path);
            if entry.file_type().is_dir() {
                name.push('/');
                walk.skip_current_dir();
            }
            left_out.push(name);
            continue;
        }
        if entry.path_is_symlink() {
            return Err(Error::input(
                Location::file(path),
                "symbolic links are not followed in static/; copy the file in instead",
            ));
        }
        if entry.file_type().is_file() {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            files.push(OutputFile::new(&relative(path), bytes));
        }
    }
    Ok((files, left_out))
}

/// Renders every file of the site, pages and static assets, into `sink`: no two at the same
/// path, and no link that leads nowhere.
pub fn render(site: &Site, templates: &Templates, sink: &dyn Sink) -> Result<Written> {
    render_with_memo(site, templates, sink).map(|(written, _)| written)
}

/// [`render()`], returning also what a later partial render needs.
pub fn render_with_memo(
    site: &Site,
    templates: &Templates,
    sink: &dyn Sink,
) -> Result<(Written, Memo)> {
    let out = Outputs::new(sink, &site.config.base_url(), &site.config.base_path());
    let memo = render::render_site(site, templates, &out)?;
    let (files, hidden_static) = static_files(&site.static_dir())?;
    for file in files {
        if out.contains(&file.path) || file.path == output::MARKER {
            return Err(Error::input(
                Location::file(&site.static_dir().join(&file.path)),
                format!(
                    "static file {} would overwrite a generated file of the same path",
                    file.path
                ),
            ));
        }
        out.put(file)?;
    }
    let written = Written {
        hidden_static,
        ..out.finish()?
    };
    Ok((written, memo))
}

/// What a build or check produced.
#[derive(Debug)]
pub struct Summary {
    pub releases: usize,
    pub tables: usize,
    /// Figures in the tables (cells that are not N/A).
    pub figures: usize,
    /// Figures covered exactly by at least one relation or tie to another release.
    pub tied: usize,
    /// The figures tied only within a tolerance, with their differences, for `check --verbose`.
    pub within_tolerance: Vec<String>,
    /// The tolerances those were accepted within, smallest first.
    pub tolerances: Vec<rust_decimal::Decimal>,
    /// The figures nothing covers, for `check --verbose`.
    pub untied: Vec<String>,
    /// For each release, the Regulation G rules in force on its date that it was checked by,
    /// for `check --verbose`.
    pub regulation_g: Vec<String>,
    pub files: usize,
    pub bytes: usize,
    /// The hidden files and folders of `static/` left out of the site.
    pub hidden_static: Vec<String>,
    pub output_dir: Option<PathBuf>,
}

fn summarize(site: &Site, written: Written, output_dir: Option<PathBuf>) -> Summary {
    let tables = site.content.releases.iter().flat_map(|r| r.tables.iter());
    Summary {
        releases: site.content.releases.len(),
        tables: tables.count(),
        figures: site.report.figures,
        tied: site.report.tied,
        within_tolerance: site.report.within_tolerance.clone(),
        tolerances: site.report.tolerances.clone(),
        untied: site.report.untied.clone(),
        regulation_g: site.report.regulation_g.clone(),
        files: written.files,
        bytes: written.bytes,
        hidden_static: written.hidden_static,
        output_dir,
    }
}

/// Validates and renders everything without writing.
pub fn check(options: &Options) -> Result<Summary> {
    let (site, templates) = load(options)?;
    let written = render(&site, &templates, &Discard)?;
    let summary = summarize(&site, written, None);
    drop_in_background((site, templates));
    Ok(summary)
}

/// Builds the site into its output directory, atomically: files are written beside it as they
/// are rendered, and the new directory replaces the output only when all of them are on disk.
pub fn build(options: &Options) -> Result<Summary> {
    let (site, templates) = load(options)?;
    let output = output::check_output_dir(
        &site.output_dir(options),
        &site.root,
        &[site.content_dir(), site.templates_dir(), site.static_dir()],
        options.force,
    )?;
    let staging = Staging::create(&output)?;
    let written = render(&site, &templates, &staging)?;
    staging.commit()?;
    let summary = summarize(&site, written, Some(output));
    drop_in_background((site, templates));
    Ok(summary)
}

/// Drops `value` on a thread of its own, or here if none can be started. A loaded archive is
/// millions of allocations, a third of a second's work to free at ten thousand releases, and
/// the command that loaded it only has its summary left to print before it exits.
fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example's config and release, and an edit of the release's operations table.
    fn edited(edit: impl Fn(&mut crate::finance::Statement)) -> (Config, Release, Release) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::load(root).unwrap();
        let old = content::load_release(&root.join("content/releases/2006-q1"), &config.calendar)
            .unwrap();
        let mut new = old.clone();
        let operations = new.tables.iter_mut().find(|t| t.id == "operations");
        edit(operations.unwrap());
        (config, old, new)
    }

    fn revenue(table: &mut crate::finance::Statement) -> usize {
        table.rows.iter().position(|r| &*r.id == "revenue").unwrap()
    }

    #[test]
    fn charts_read_a_charted_rows_figures_as_written_but_not_its_label() {
        let (config, old, new) = edited(|_| {});
        assert!(same_chart_inputs(&config, &old, &new));
        let (config, old, new) = edited(|t| {
            let r = revenue(t);
            t.rows[r].label = "Net revenue".into();
        });
        assert!(same_chart_inputs(&config, &old, &new));
        let (config, old, new) = edited(|t| {
            let r = revenue(t);
            // The same value, written with one more decimal place: the chart prints it so.
            assert_eq!(t.rows[r].values[0], "42625".parse().unwrap());
            t.rows[r].values[0] = "42625.0".parse().unwrap();
        });
        assert!(!same_chart_inputs(&config, &old, &new));
    }

    #[test]
    fn a_charted_row_moved_into_a_footnote_changes_the_charts() {
        // A footnote's rows explain the table's and are not charted, so the move changes the
        // series although every figure is the same.
        let (config, old, new) = edited(|t| {
            let r = revenue(t);
            let row = t.rows.remove(r);
            t.footnotes[0].rows.insert(0, row);
        });
        assert!(!same_chart_inputs(&config, &old, &new));
    }

    #[test]
    fn marking_a_column_restated_changes_the_charts() {
        // It decides whether an older release may report the quarter otherwise.
        let (config, old, new) = edited(|t| t.restated = vec![t.columns[1]]);
        assert!(!same_chart_inputs(&config, &old, &new));
    }
}
