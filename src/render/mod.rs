//! Rendering: turns the loaded site into output files (HTML pages, SVG charts, downloads,
//! feeds), each handed to an [`Outputs`] as soon as it is made.
//!
//! Releases are rendered in parallel, each on its own, and their files go straight out; what
//! other pages need of a release is a small summary. Nothing grows with the square of the
//! archive: every page carries only the latest release's summary and, on a release page, a
//! fixed window of each chart's figures; the charts themselves are drawn once.
//!
//! Pages link to each other with paths relative to the page, so the output works from any
//! subpath (GitHub Pages project sites) and from disk. The 404 page is the exception: GitHub
//! Pages serves it at whatever URL was missed, so it links from the base URL's path.

pub mod calendar;
pub mod charts;
pub mod downloads;
pub mod feeds;
pub mod markdown;
mod per_thread;
pub mod sanitize;
pub mod seo;
pub mod statement;
pub mod templates;
mod views;
pub mod xlsx;
mod zip;

use per_thread::PerThread;
use views::CHART_WINDOW;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use templates::Templates;

use crate::check::links::{LinkCheck, Links};
use crate::content::Release;
use crate::error::{Error, Result};
use crate::output::Sink;
use crate::site::{OutputFile, Site};
use views::{ChartView, ReleaseSummary, ReleaseView, base_context, page, release_path};

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped_html(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`escape_html`] does (also valid XML).
pub fn push_escaped_html(out: &mut String, text: &str) {
    // The escaper Tera's autoescape also uses (`&<>"'`), so code and templates escape alike.
    // Appending to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

/// Escapes text for XML content and attribute values (the feed, the sitemap, chart SVGs).
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped_xml(&mut out, text);
    out
}

/// Appends XML text or an attribute value, escaped as HTML is, without the characters XML 1.0
/// forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF). The loader refuses control
/// characters in every source; this keeps each XML file well formed on its own terms.
pub fn push_escaped_xml(out: &mut String, text: &str) {
    let forbidden = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}' || c == '\u{ffff}'
    };
    if text.contains(forbidden) {
        push_escaped_html(out, &text.replace(forbidden, ""));
    } else {
        push_escaped_html(out, text);
    }
}

/// Takes every rendered file: refuses a second file at the same path, reads each page's links,
/// counts, and passes the file on to its sink.
///
/// Paths and links are kept by the thread that rendered them (a `PerThread` part), so rendering
/// threads never wait for each other here; a path claimed on two threads is found when the parts
/// are merged, by [`Outputs::finish`], before anything is published.
pub struct Outputs<'a> {
    sink: &'a dyn Sink,
    parts: PerThread<Claimed>,
    bytes: AtomicUsize,
    links: LinkCheck,
}

/// What one thread rendered: the paths it claimed and the links of its pages.
#[derive(Default)]
struct Claimed {
    paths: BTreeSet<String>,
    links: Links,
}

/// How many files, and bytes, a render produced.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub files: usize,
    pub bytes: usize,
    /// The hidden files and folders of `static/` left out, by their paths in it.
    pub hidden_static: Vec<String>,
}

fn two_files_at(path: &str) -> Error {
    Error::Output(format!(
        "two files would be written to {path}; give one of them another name"
    ))
}

impl<'a> Outputs<'a> {
    pub fn new(sink: &'a dyn Sink, base_url: &str, base_path: &str) -> Self {
        Outputs {
            sink,
            parts: PerThread::new(),
            bytes: AtomicUsize::new(0),
            links: LinkCheck::new(base_url, base_path),
        }
    }

    /// Whether a file at `path` was handed over, on any thread; for use once rendering is done.
    pub fn contains(&self, path: &str) -> bool {
        self.parts.each().any(|part| part.paths.contains(path))
    }

    /// Hands a file to the sink; an HTML file's links and ids join the link check.
    pub fn put(&self, file: OutputFile) -> Result<()> {
        let html = file
            .path
            .ends_with(".html")
            .then(|| std::str::from_utf8(&file.bytes).ok())
            .flatten();
        self.claim(&file.path, html)?;
        self.send(file)
    }

    /// [`Outputs::put`] for a page rendered here, whose text is known to be UTF-8 and need not
    /// be validated again (that was 1.5% of a `check`'s instructions).
    pub fn put_page(&self, path: &str, html: String) -> Result<()> {
        self.claim(path, path.ends_with(".html").then_some(html.as_str()))?;
        self.send(OutputFile::new(path, html.into_bytes()))
    }

    /// Refuses a path that is not plain names (so that `check` and `serve` refuse what `build`
    /// would) or a second file at `path` on this thread, and reads the links of `html`.
    fn claim(&self, path: &str, html: Option<&str>) -> Result<()> {
        crate::output::check_relative(path)?;
        self.parts.with(|part| {
            if !part.paths.insert(path.to_string()) {
                return Err(two_files_at(path));
            }
            if let Some(html) = html {
                self.links.page(&mut part.links, path, html);
            }
            Ok(())
        })
    }

    fn send(&self, file: OutputFile) -> Result<()> {
        self.bytes.fetch_add(file.bytes.len(), Ordering::Relaxed);
        self.sink.put(file)
    }

    /// Every path claimed and every page's links, from all threads; a path claimed on two
    /// threads is refused.
    fn merged(parts: PerThread<Claimed>) -> Result<(BTreeSet<String>, Links)> {
        let mut parts: Vec<Claimed> = parts.into_parts().collect();
        // The largest part is the base, the others are added to it.
        parts.sort_by_key(|part| std::cmp::Reverse(part.paths.len()));
        let mut parts = parts.into_iter();
        let Claimed {
            mut paths,
            mut links,
        } = parts.next().unwrap_or_default();
        for part in parts {
            for path in part.paths {
                if paths.contains(&path) {
                    return Err(two_files_at(&path));
                }
                paths.insert(path);
            }
            links.merge(part.links);
        }
        Ok((paths, links))
    }

    /// Finishes a partial render: the links of the pages rendered this time are checked against
    /// `known`, the other files of the site (their pages read only where a link points in).
    pub fn finish_against(
        self,
        known: &std::collections::HashMap<String, Vec<u8>>,
    ) -> Result<Written> {
        let (mut paths, mut links) = Self::merged(self.parts)?;
        for target in links.unseen_targets() {
            if !paths.contains(&target)
                && let Some(html) = known.get(&target).and_then(|b| std::str::from_utf8(b).ok())
            {
                self.links.page(&mut links, &target, html);
            }
        }
        let rendered = paths.len();
        paths.extend(known.keys().cloned());
        Error::collect(links.finish(&paths))?;
        Ok(Written {
            files: rendered,
            bytes: self.bytes.into_inner(),
            hidden_static: Vec::new(),
        })
    }

    /// Checks the links to other files now that every file is known.
    pub fn finish(self) -> Result<Written> {
        let (paths, links) = Self::merged(self.parts)?;
        Error::collect(links.finish(&paths))?;
        Ok(Written {
            files: paths.len(),
            bytes: self.bytes.into_inner(),
            hidden_static: Vec::new(),
        })
    }
}

/// Reports every error of a parallel step, in input order.
fn all<T>(results: Vec<Result<T>>) -> Result<Vec<T>> {
    let mut values = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(v) => values.push(v),
            Err(Error::Many(many)) => errors.extend(many),
            Err(e) => errors.push(e),
        }
    }
    Error::collect(errors)?;
    Ok(values)
}

fn render_page(
    site: &Site,
    templates: &Templates,
    template: &str,
    context: &tera::Context,
    path: &str,
    out: &Outputs,
) -> Result<()> {
    let html = templates.render(&site.templates_dir(), template, context)?;
    out.put_page(path, html)
}

/// A chart as every release page starts from it: its configuration, its home-page view and all
/// its figures.
type Window<'a> = (
    &'a crate::config::ChartConfig,
    &'a ChartView,
    &'a charts::Series,
);

/// One release: its page, its financials page and its downloads.
fn render_release(
    site: &Site,
    templates: &Templates,
    out: &Outputs,
    (index, release): (usize, &Release),
    view: &ReleaseView,
    latest: &ReleaseSummary,
    charts: &[Window],
) -> Result<()> {
    let mut release_page = page(site, &view.path, view.title.clone(), view.summary.clone());
    release_page.og_type = "article";
    release_page.json_ld = Some(seo::release(&site.config, release, &release_page.canonical));
    let mut windows: Vec<ChartView> = charts
        .iter()
        .map(|&(config, chart, series)| views::chart_window(config, chart, series, release, index))
        .collect();
    views::drop_empty_windows(&mut windows, &site.config.charts);
    // Both pages show the same release: it becomes a template value once.
    let value = tera::Value::from_serializable(view);
    let mut context = base_context(site, release_page);
    context.insert_value("release", value.clone());
    context.insert("latest", latest);
    context.insert("charts", &windows);
    render_page(
        site,
        templates,
        "release.html",
        &context,
        &format!("{}index.html", view.path),
        out,
    )?;

    // "three months ended March 31, 2006": the month keeps its capital.
    let period = crate::finance::relations::period_phrase(&release.period);
    let mut context = base_context(
        site,
        page(
            site,
            &view.financials,
            format!("Financial statements: {period}"),
            format!(
                "{} financial statements and non-GAAP reconciliations, {period}.",
                site.config.company.name
            ),
        ),
    );
    context.insert_value("release", value);
    context.insert("latest", latest);
    render_page(
        site,
        templates,
        "financials.html",
        &context,
        &format!("{}index.html", view.financials),
        out,
    )?;

    let company = &site.config.company.name;
    for table in &release.tables {
        out.put(OutputFile::new(
            &downloads::csv_path(release, table),
            downloads::csv(table, &site.config.reporting_currency).into_bytes(),
        ))?;
    }
    out.put(OutputFile::new(
        &downloads::xlsx_path(release),
        xlsx::workbook(release, company, &site.config.reporting_currency.code)?,
    ))?;
    out.put(OutputFile::new(
        &downloads::json_path(release),
        downloads::json(release, company, &site.config.reporting_currency).into_bytes(),
    ))?;
    if let Some(call) = &release.call {
        let base_url = site.config.base_url();
        let authority = feeds::authority(site.config.company.website.as_deref(), &base_url);
        out.put(OutputFile::new(
            &calendar::ics_path(release),
            calendar::ics(
                release,
                call,
                &format!("{base_url}{}", view.path),
                &authority,
            )
            .into_bytes(),
        ))?;
    }
    Ok(())
}

/// What a render learned of each release (in release order) and of the charts, so that a
/// later render can redo only some releases.
pub struct Memo {
    summaries: Vec<ReleaseSummary>,
    charts: Vec<ChartView>,
    /// Each chart's figures, to tell which charts an edit changed.
    series: Vec<charts::Series>,
}

/// A partial render: the releases to render again, and what the previous render made.
#[derive(Clone, Copy)]
pub struct Redo<'a> {
    /// Indices of the releases to render (the others keep their previous files). Charts whose
    /// figures did not change are kept, and so are the home page when no chart and no summary
    /// changed, and the archive, feeds and 404 page when no summary changed.
    pub releases: &'a BTreeSet<usize>,
    pub previous: &'a Memo,
}

impl Memo {
    /// The latest release's summary, which every page's navigation shows.
    fn latest(&self) -> Option<&ReleaseSummary> {
        self.summaries.first()
    }

    /// Whether each chart links the same pages in both renders: every release page's chart
    /// window carries the links (a reconciliation table that moved changes them all).
    pub fn same_chart_links(&self, other: &Memo) -> bool {
        fn links(c: &ChartView) -> (&String, &Option<String>, &Option<String>) {
            (&c.id, &c.reconciliation, &c.comparable)
        }
        self.charts
            .iter()
            .map(links)
            .eq(other.charts.iter().map(links))
    }

    /// Whether the navigation every page carries is the same in both renders.
    pub fn same_navigation(&self, other: &Memo) -> bool {
        match (self.latest(), other.latest()) {
            (Some(a), Some(b)) => {
                (
                    &a.path,
                    &a.title,
                    &a.financials,
                    &a.events_anchor,
                    &a.contacts_anchor,
                ) == (
                    &b.path,
                    &b.title,
                    &b.financials,
                    &b.events_anchor,
                    &b.contacts_anchor,
                )
            }
            (a, b) => a.is_none() && b.is_none(),
        }
    }
}

/// The releases (by index) whose pages' chart windows show any of `quarters`.
pub fn releases_showing(site: &Site, quarters: &[crate::finance::Period]) -> BTreeSet<usize> {
    let keys: Vec<_> = quarters.iter().map(|q| q.sort_key()).collect();
    let releases = site.content.releases.iter().enumerate();
    releases
        .filter(|(_, release)| {
            site.charts.iter().any(|(_, series)| {
                series.points[series.window(&release.period, CHART_WINDOW)]
                    .iter()
                    .any(|(p, _)| keys.contains(&p.sort_key()))
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// Renders every page, chart, download and feed of the site into `out`.
pub fn render_site(site: &Site, templates: &Templates, out: &Outputs) -> Result<Memo> {
    render_some(site, templates, out, None)
}

/// Renders the site's charts, home, archive, feeds and 404 page, and its releases: all of
/// them, or with `redo` only what an edit changed, the rest being known from the previous
/// render. `serve` uses it to rebuild after an edit.
pub fn render_some(
    site: &Site,
    templates: &Templates,
    out: &Outputs,
    redo: Option<Redo>,
) -> Result<Memo> {
    let releases = &site.content.releases;
    let Some(newest) = releases.first() else {
        return Ok(Memo {
            summaries: Vec::new(),
            charts: Vec::new(),
            series: Vec::new(),
        });
    };
    // Each chart is drawn once, its latest quarters: the home page inlines it, the latest
    // release's page shows the file (older pages show their own quarters' figures alone). A
    // partial render keeps the drawing of a chart whose drawn figures did not change.
    let charts: Vec<(ChartView, charts::Series)> = all(site
        .charts
        .par_iter()
        .enumerate()
        .map(|(k, (config, series))| {
            let drawn = series.latest(CHART_WINDOW);
            let previous = redo.and_then(|r| {
                let chart = r.previous.charts.get(k)?;
                let same = r
                    .previous
                    .series
                    .get(k)
                    .is_some_and(|s| s.identical(&drawn));
                (chart.id == config.id && same)
                    .then(|| chart.svg.clone())
                    .flatten()
            });
            let svg = match previous {
                Some(svg) => svg,
                None => {
                    let caption = charts::caption(config, &drawn, &site.config.reporting_currency);
                    let svg = charts::render_chart_svg(config, &drawn, &caption)?;
                    out.put(OutputFile::new(
                        &format!("charts/{}.svg", config.id),
                        svg.clone().into_bytes(),
                    ))?;
                    svg
                }
            };
            let view = views::chart_view(site, config, &drawn, svg)?;
            Ok((view, drawn))
        })
        .collect())?;
    let windows: Vec<Window> = site
        .charts
        .iter()
        .zip(&charts)
        .map(|((config, series), (view, _))| (config, view, series))
        .collect();
    // Every page's navigation leads to the latest release.
    let latest_view = views::release_view(site, templates, newest)?;
    let latest = latest_view.summary();
    let summaries = all(releases
        .par_iter()
        .enumerate()
        .map(|(i, release)| {
            if let Some(redo) = redo
                && !redo.releases.contains(&i)
                && let Some(summary) = redo.previous.summaries.get(i)
            {
                return Ok(summary.clone());
            }
            let rendered;
            let view = if i == 0 {
                &latest_view
            } else {
                rendered = views::release_view(site, templates, release)?;
                &rendered
            };
            render_release(site, templates, out, (i, release), view, &latest, &windows)?;
            Ok(view.summary())
        })
        .collect())?;
    let (charts, series): (Vec<ChartView>, Vec<charts::Series>) = charts.into_iter().unzip();
    // The home page shows the charts and the latest releases' summaries; the other site-wide
    // pages show the summaries only.
    let summaries_kept = redo.is_some_and(|r| r.previous.summaries == summaries);
    let charts_kept = redo.is_some_and(|r| r.previous.charts == charts);
    if !summaries_kept {
        render_site_pages(site, templates, out, &summaries, &charts, &latest)?;
    } else if !charts_kept {
        render_home(site, templates, out, &summaries, &charts)?;
    }
    Ok(Memo {
        summaries,
        charts,
        series,
    })
}

/// The home page, archive, feeds, sitemap and 404 page.
fn render_site_pages(
    site: &Site,
    templates: &Templates,
    out: &Outputs,
    summaries: &[ReleaseSummary],
    charts: &[ChartView],
    latest: &ReleaseSummary,
) -> Result<()> {
    render_home(site, templates, out, summaries, charts)?;
    render_archive(site, templates, out, summaries)?;
    render_feeds(site, out, summaries)?;

    let mut not_found_page = page(site, "404.html", "Page not found".into(), String::new());
    not_found_page.root = site.config.base_path();
    let mut not_found = base_context(site, not_found_page);
    not_found.insert("latest", latest);
    render_page(site, templates, "404.html", &not_found, "404.html", out)?;
    // GitHub Pages must serve the files as they are, without a Jekyll pass.
    out.put(OutputFile::new(".nojekyll", Vec::new()))
}

#[derive(Serialize)]
struct YearView<'a> {
    year: i32,
    releases: Vec<&'a ReleaseSummary>,
}

/// How many of the latest releases the home page lists.
const HOME_RELEASES: usize = 8;

/// The home page: the latest results, the charts and the releases of the last two years.
fn render_home(
    site: &Site,
    templates: &Templates,
    out: &Outputs,
    releases: &[ReleaseSummary],
    charts: &[ChartView],
) -> Result<()> {
    let mut home_page = page(
        site,
        "",
        site.config.title.clone(),
        site.config.description.clone(),
    );
    home_page.json_ld = Some(seo::home(&site.config));
    let mut home = base_context(site, home_page);
    home.insert("latest", &releases.first());
    // The latest two years; the archive lists them all.
    home.insert("releases", &releases[..releases.len().min(HOME_RELEASES)]);
    home.insert("charts", charts);
    render_page(site, templates, "index.html", &home, "index.html", out)
}

/// The archive of releases grouped by year, newest first.
fn render_archive(
    site: &Site,
    templates: &Templates,
    out: &Outputs,
    releases: &[ReleaseSummary],
) -> Result<()> {
    let mut years: Vec<YearView> = Vec::new();
    for release in releases {
        match years.last_mut() {
            Some(group) if group.year == release.year => group.releases.push(release),
            _ => years.push(YearView {
                year: release.year,
                releases: vec![release],
            }),
        }
    }
    let mut archive = base_context(
        site,
        page(
            site,
            "releases/",
            "Press releases".into(),
            format!("Every results release of {}.", site.config.company.name),
        ),
    );
    archive.insert("years", &years);
    archive.insert("latest", &releases.first());
    render_page(
        site,
        templates,
        "archive.html",
        &archive,
        "releases/index.html",
        out,
    )
}

/// The Atom feed, the sitemap and robots.txt.
fn render_feeds(site: &Site, out: &Outputs, summaries: &[ReleaseSummary]) -> Result<()> {
    let config = &site.config;
    let base_url = config.base_url();
    let authority = feeds::authority(config.company.website.as_deref(), &base_url);
    let releases = &site.content.releases;
    let newest = summaries.first().map(|r| r.date_iso.clone());
    let mut pages = vec![
        ("".to_string(), newest.clone()),
        ("releases/".to_string(), newest),
    ];
    for (release, summary) in releases.iter().zip(summaries) {
        pages.push((release_path(release), Some(summary.date_iso.clone())));
        pages.push((summary.financials.clone(), Some(summary.date_iso.clone())));
    }
    out.put(OutputFile::new(
        "feed.xml",
        feeds::atom(
            releases,
            &config.title,
            &config.description,
            &config.company.name,
            &base_url,
            &authority,
        )
        .into_bytes(),
    ))?;
    out.put(OutputFile::new(
        "sitemap.xml",
        feeds::sitemap(&base_url, &pages).into_bytes(),
    ))?;
    out.put(OutputFile::new(
        "robots.txt",
        feeds::robots(&base_url).into_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Discard;

    #[test]
    fn xml_text_is_escaped_and_keeps_only_xml_characters() {
        assert_eq!(
            escape_xml("R&D <b>\u{0}\u{1b}\u{fffe}\tx\r\ny"),
            "R&amp;D &lt;b&gt;\tx\r\ny"
        );
        assert_eq!(escape_xml("plain"), "plain");
    }

    fn page(path: &str) -> OutputFile {
        OutputFile::new(path, b"<p>a page</p>".to_vec())
    }

    /// Runs `f` on the thread of a pool of its own, which keeps a part apart from the test's.
    fn on_a_pool_thread<R: Send>(f: impl FnOnce() -> R + Send) -> R {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        pool.install(f)
    }

    #[test]
    fn a_path_handed_over_twice_on_one_thread_is_refused_at_once() {
        let out = Outputs::new(&Discard, "https://o.github.io/r/", "/r/");
        out.put(page("releases/a/index.html")).unwrap();
        let err = out.put(page("releases/a/index.html")).unwrap_err();
        assert!(
            err.to_string()
                .contains("two files would be written to releases/a/index.html")
        );
    }

    #[test]
    fn a_path_handed_over_on_two_threads_is_refused_when_the_parts_are_merged() {
        let out = Outputs::new(&Discard, "https://o.github.io/r/", "/r/");
        out.put(page("index.html")).unwrap();
        out.put(page("releases/a/index.html")).unwrap();
        on_a_pool_thread(|| out.put(page("releases/a/index.html"))).unwrap();
        assert!(out.contains("releases/a/index.html") && out.contains("index.html"));
        let err = out.finish().unwrap_err();
        assert!(
            err.to_string()
                .contains("two files would be written to releases/a/index.html")
        );
    }

    #[test]
    fn links_read_on_different_threads_are_checked_together() {
        let out = Outputs::new(&Discard, "https://o.github.io/r/", "/r/");
        let linking = |target: &str| {
            OutputFile::new(
                "index.html",
                format!(r#"<a href="{target}">x</a>"#).into_bytes(),
            )
        };
        out.put(linking("releases/a/#ops")).unwrap();
        on_a_pool_thread(|| {
            out.put(OutputFile::new(
                "releases/a/index.html",
                br#"<table id="ops"></table><a href="../../#nope">y</a>"#.to_vec(),
            ))
        })
        .unwrap();
        let errors = out.finish().unwrap_err().to_string();
        // The fragment into the other thread's page resolves; the one missing from it does not.
        assert!(!errors.contains("#ops"), "{errors}");
        assert!(
            errors.contains("index.html has no element with id \"nope\""),
            "{errors}"
        );
    }
}
