//! The views templates receive: plain, already-formatted data (every figure a string).

use serde::Serialize;
use tera::Context;

use super::templates::Templates;

use super::markdown::{PageIds, Refused, render_markdown};
use super::{calendar, charts, downloads, escape_html, statement};
use crate::config::{ChartConfig, Config};
use crate::content::{BodyBlock, Release};
use crate::error::{Error, Location, Result};
use crate::finance::format::format_amount;
use crate::site::Site;

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) language: &'a str,
    pub(super) base_url: String,
    pub(super) company: CompanyView<'a>,
}

#[derive(Serialize)]
pub(super) struct CompanyView<'a> {
    pub(super) name: &'a str,
    pub(super) short_name: &'a str,
    pub(super) ticker: &'a str,
    pub(super) exchange: &'a str,
    pub(super) website: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct PageView {
    /// Prefix that leads from this page to the site root ("", "../../", or "/repo/" on 404).
    pub(super) root: String,
    /// Open Graph type: "website" or "article".
    pub(super) og_type: &'static str,
    /// Structured data (schema.org JSON-LD), ready to sit in a script element.
    pub(super) json_ld: Option<String>,
    /// The page's path under the base URL ("releases/2006-q1/").
    pub(super) path: String,
    pub(super) canonical: String,
    pub(super) title: String,
    pub(super) description: String,
}

#[derive(Serialize, Clone)]
/// A release as its own page shows it: everything, rendered.
pub(super) struct ReleaseView {
    pub(super) slug: String,
    /// Path from the site root, e.g. "releases/2006-q1/".
    pub(super) path: String,
    pub(super) title: String,
    pub(super) date: String,
    pub(super) date_iso: String,
    pub(super) dateline: String,
    pub(super) period: String,
    pub(super) period_short: String,
    pub(super) summary: String,
    pub(super) highlights: Vec<String>,
    /// The highlights for pages at the site root: links into the release lead to its page.
    pub(super) highlights_from_root: Vec<String>,
    /// The body as HTML pieces: prose and statements, in order. Template values, so that the
    /// statements' HTML is shared with `statements` (and with both pages' contexts) rather
    /// than copied into each.
    pub(super) blocks: Vec<tera::Value>,
    /// Anchors of the conference-call and contacts sections, for the site navigation.
    pub(super) events_anchor: Option<String>,
    pub(super) contacts_anchor: Option<String>,
    /// The statements alone, for the financials page.
    pub(super) statements: Vec<tera::Value>,
    /// Downloads, as paths from the site root.
    pub(super) xlsx: String,
    pub(super) json: String,
    pub(super) ics: Option<String>,
    /// Path from the site root of the period's financials page.
    pub(super) financials: String,
    pub(super) year: i32,
    pub(super) tables: Vec<TableLink>,
}

#[derive(Serialize, Clone)]
pub(super) struct TableLink {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) non_gaap: bool,
}

#[derive(Serialize, Clone, PartialEq)]
pub(super) struct ChartView {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) units: String,
    pub(super) non_gaap: bool,
    /// Path from the site root of the standalone SVG; on a release page only when the chart
    /// draws the quarters of the page's window.
    pub(super) file: Option<String>,
    /// The SVG itself, inlined on the home page; other pages show the file.
    pub(super) svg: Option<String>,
    /// Path from the site root of the reconciliation, for non-GAAP charts.
    pub(super) reconciliation: Option<String>,
    pub(super) comparable: Option<String>,
    pub(super) points: Vec<PointView>,
}

#[derive(Serialize, Clone, PartialEq)]
pub(super) struct PointView {
    pub(super) period: String,
    pub(super) value: String,
    pub(super) negative: bool,
}

/// A release as other pages list it: no body, so every page can carry the latest one cheaply.
#[derive(Serialize, Clone, PartialEq)]
pub(super) struct ReleaseSummary {
    pub(super) slug: String,
    pub(super) path: String,
    pub(super) title: String,
    pub(super) date: String,
    pub(super) date_iso: String,
    pub(super) period: String,
    pub(super) period_short: String,
    pub(super) summary: String,
    pub(super) highlights_from_root: Vec<String>,
    pub(super) financials: String,
    pub(super) year: i32,
    pub(super) events_anchor: Option<String>,
    pub(super) contacts_anchor: Option<String>,
}

impl ReleaseView {
    pub(super) fn summary(&self) -> ReleaseSummary {
        ReleaseSummary {
            slug: self.slug.clone(),
            path: self.path.clone(),
            title: self.title.clone(),
            date: self.date.clone(),
            date_iso: self.date_iso.clone(),
            period: self.period.clone(),
            period_short: self.period_short.clone(),
            summary: self.summary.clone(),
            highlights_from_root: self.highlights_from_root.clone(),
            financials: self.financials.clone(),
            year: self.year,
            events_anchor: self.events_anchor.clone(),
            contacts_anchor: self.contacts_anchor.clone(),
        }
    }
}

pub(super) fn release_path(release: &Release) -> String {
    format!("releases/{}/", release.slug)
}

/// Renders inline Markdown (a highlight) without the paragraph around it.
fn render_inline(text: &str, ids: &mut PageIds) -> std::result::Result<String, Refused> {
    let html = render_markdown(text, 0, ids)?;
    let trimmed = html.trim_end();
    Ok(trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string())
}

pub(super) fn release_view(
    site: &Site,
    templates: &Templates,
    release: &Release,
) -> Result<ReleaseView> {
    let mut ids = PageIds::default();
    // Anchors the layout and the tables use; prose headings must not take them.
    for reserved in ["main", "highlights", "charts", "top"] {
        ids.claim(reserved);
    }
    for table in &release.tables {
        ids.claim(&table.id);
    }
    let at =
        |line: usize, message: String| Error::input(Location::line(&release.source, line), message);
    let highlights = release
        .highlights
        .iter()
        .map(|h| render_inline(&h.text, &mut ids).map_err(|(line, m)| at(h.line + line, m)))
        .collect::<Result<Vec<_>>>()?;
    let mut blocks = Vec::with_capacity(release.body.len());
    let mut statements = Vec::with_capacity(release.tables.len());
    let mut dateline_pending = true;
    for block in &release.body {
        match block {
            BodyBlock::Markdown { text, first_line } => {
                let mut source = String::new();
                // Lines of `text` left out of `source` before its first: trimmed with the dateline.
                let mut lines_before = 0;
                // The length of the site's own markup `source` opens with.
                let mut own_html = 0;
                if dateline_pending {
                    // The dateline opens the first paragraph, as in a printed release.
                    source.push_str(&format!(
                        "<span class=\"dateline\">{} ({})</span> ",
                        escape_html(&release.dateline),
                        release.date.long()
                    ));
                    let trimmed = text.trim_start();
                    let left_out = &text[..text.len() - trimmed.len()];
                    lines_before = left_out.matches('\n').count();
                    own_html = source.len();
                    source.push_str(trimmed);
                    dateline_pending = false;
                } else {
                    source.push_str(text);
                }
                let html = render_markdown(&source, own_html, &mut ids).map_err(|(line, m)| {
                    // Lines of the dateline are not lines of the file.
                    let own_lines = source[..own_html].matches('\n').count();
                    at(
                        *first_line + lines_before + line.saturating_sub(own_lines),
                        m,
                    )
                })?;
                blocks.push(tera::Value::from(html));
            }
            BodyBlock::Table { id, line } => {
                let table = release
                    .table(id)
                    .ok_or_else(|| at(*line, format!("no table {id:?}")))?;
                let view = statement::statement_view(
                    table,
                    &site.config.company.name,
                    downloads::csv_path(release, table),
                    &site.config.base_url(),
                );
                // Release and financials pages both sit two folders below the root.
                let root = "../../";
                let html = if templates.bundled_statements {
                    statement::render_statement(&view, root)
                } else {
                    let mut context = Context::new();
                    context.insert("statement", &view);
                    context.insert("root", root);
                    templates.render(&site.templates_dir(), "partials/statement.html", &context)?
                };
                let html = tera::Value::from(html);
                statements.push(html.clone());
                blocks.push(html);
            }
        }
    }
    let events_anchor = section_anchor(&blocks, &["conference-call", "events", "webcast"]);
    let contacts_anchor = section_anchor(&blocks, &["contacts", "contact", "investor-contact"]);
    let path = release_path(release);
    let highlights_from_root = highlights
        .iter()
        .map(|h| h.replace("href=\"#", &format!("href=\"{path}#")))
        .collect();
    Ok(ReleaseView {
        slug: release.slug.clone(),
        path,
        title: release.title.clone(),
        date: release.date.long(),
        date_iso: release.date.iso(),
        dateline: release.dateline.clone(),
        period: release.period.long_label(),
        period_short: release.period.short_label(),
        summary: release.summary.clone(),
        highlights,
        highlights_from_root,
        blocks,
        events_anchor,
        contacts_anchor,
        statements,
        xlsx: downloads::xlsx_path(release),
        json: downloads::json_path(release),
        ics: release.call.as_ref().map(|_| calendar::ics_path(release)),
        financials: format!("financials/{}/", release.slug),
        year: release.date.year,
        tables: release
            .tables
            .iter()
            .map(|t| TableLink {
                id: t.id.clone(),
                title: t.title.clone(),
                non_gaap: t.non_gaap,
            })
            .collect(),
    })
}

/// The id of the first section heading (`<h2>`) whose id starts with one of `prefixes`.
fn section_anchor(blocks: &[tera::Value], prefixes: &[&str]) -> Option<String> {
    blocks
        .iter()
        .filter_map(tera::Value::as_str)
        .find_map(|html| {
            html.match_indices("<h2 id=\"").find_map(|(i, needle)| {
                let start = i + needle.len();
                let id = &html[start..start + html[start..].find('"')?];
                prefixes
                    .iter()
                    .any(|p| id.starts_with(p))
                    .then(|| id.to_string())
            })
        })
}

/// The path of the newest release that holds table `id`, with the table's anchor.
pub(super) fn table_path(releases: &[Release], id: &str) -> Option<String> {
    releases
        .iter()
        .find(|r| r.table(id).is_some())
        .map(|r| format!("{}#{id}", release_path(r)))
}

/// A chart as the home page shows it: the SVG inline, every quarter in its table.
pub(super) fn chart_view(
    site: &Site,
    config: &ChartConfig,
    series: &charts::Series,
    svg: String,
) -> Result<ChartView> {
    let mut view = chart_links(site, config)?;
    view.units = charts::caption(config, series, &site.config.reporting_currency);
    view.svg = Some(svg);
    view.points = points(&series.points);
    Ok(view)
}

/// How many quarters a chart draws and its data table shows: the latest quarter and the four
/// before it, so every chart holds a year-over-year comparison (on a release page, the quarters
/// up to the release). Pages and charts stay the same size however long the archive grows, and
/// five bars with their figures stay legible on a phone.
pub const CHART_WINDOW: usize = 5;

/// A chart as a release page shows it: the shared SVG file, and the quarters up to its period
/// with their figures as the release knew them. `index` is the release's, newest first.
pub(super) fn chart_window(
    config: &ChartConfig,
    home: &ChartView,
    series: &charts::Series,
    release: &Release,
    index: usize,
) -> ChartView {
    let window = series.window(&release.period, CHART_WINDOW);
    let shown: Vec<_> = window
        .clone()
        .map(|k| (series.points[k].0, *series.as_of(k, index)))
        .collect();
    // The chart draws the latest quarters as last reported: a page with other quarters, or
    // with figures restated since, has its figures alone.
    let drawn = window.end == series.points.len()
        && window
            .clone()
            .zip(&shown)
            .all(|(k, (_, figure))| series.points[k].1.identical(figure));
    ChartView {
        id: home.id.clone(),
        title: home.title.clone(),
        units: home.units.clone(),
        non_gaap: home.non_gaap,
        file: home.file.clone().filter(|_| drawn),
        svg: None,
        // The release's own reconciliation covers the figures it reports; the newest one is
        // a fallback for a release without it.
        reconciliation: match &config.reconciliation {
            Some(id) if release.table(id).is_some() => {
                Some(format!("{}#{id}", release_path(release)))
            }
            _ => home.reconciliation.clone(),
        },
        comparable: home.comparable.clone(),
        points: points(&shown),
    }
}

/// Leaves out of a release page the charts with no figures in its window (a measure first
/// reported after the release), and a non-GAAP chart whose comparable GAAP chart is left out:
/// shown alone, it would be more prominent than its GAAP measure (Regulation G).
pub(super) fn drop_empty_windows(windows: &mut Vec<ChartView>, configs: &[ChartConfig]) {
    let shown: Vec<String> = windows
        .iter()
        .filter(|w| !w.points.is_empty())
        .map(|w| w.id.clone())
        .collect();
    let comparable = |id: &str| {
        configs
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.comparable.as_deref())
    };
    windows.retain(|w| {
        !w.points.is_empty() && comparable(&w.id).is_none_or(|c| shown.iter().any(|s| s == c))
    });
}

fn points(points: &[(crate::finance::Period, crate::finance::Amount)]) -> Vec<PointView> {
    points
        .iter()
        .map(|(period, amount)| PointView {
            period: period.short_label(),
            value: format_amount(amount),
            negative: amount.negative,
        })
        .collect()
}

fn chart_links(site: &Site, config: &ChartConfig) -> Result<ChartView> {
    let config_path = site.root.join(crate::config::CONFIG_FILE);
    let reconciliation = match &config.reconciliation {
        Some(id) => Some(table_path(&site.content.releases, id).ok_or_else(|| {
            Error::input(
                Location::file(&config_path),
                format!(
                    "chart {:?}: its reconciliation table {id:?} is in no release",
                    config.id
                ),
            )
        })?),
        None => None,
    };
    let comparable = config.comparable.as_ref().and_then(|id| {
        site.config
            .charts
            .iter()
            .find(|c| &c.id == id)
            .map(|c| c.title.clone())
    });
    Ok(ChartView {
        id: config.id.clone(),
        title: config.title.clone(),
        // The caption needs the series: `chart_view` sets it.
        units: String::new(),
        non_gaap: config.non_gaap,
        file: Some(format!("charts/{}.svg", config.id)),
        svg: None,
        reconciliation,
        comparable,
        points: Vec::new(),
    })
}

pub(super) fn base_context(site: &Site, page: PageView) -> Context {
    let config: &Config = &site.config;
    let mut context = Context::new();
    context.insert(
        "site",
        &SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base_url: config.base_url(),
            company: CompanyView {
                name: &config.company.name,
                short_name: &config.company.short_name,
                ticker: &config.company.ticker,
                exchange: &config.company.exchange,
                website: config.company.website.as_deref(),
            },
        },
    );
    context.insert("page", &page);
    context
}

pub(super) fn page(site: &Site, path: &str, title: String, description: String) -> PageView {
    let depth = path.matches('/').count();
    PageView {
        root: if depth == 0 {
            "./".to_string()
        } else {
            "../".repeat(depth)
        },
        og_type: "website",
        json_ld: None,
        path: path.to_string(),
        canonical: format!("{}{path}", site.config.base_url()),
        title,
        description,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(id: &str, points: usize) -> (ChartView, ChartConfig) {
        let non_gaap = id == "adjusted-ebitda";
        let view = ChartView {
            id: id.to_string(),
            title: id.to_string(),
            units: String::new(),
            non_gaap,
            file: None,
            svg: None,
            reconciliation: None,
            comparable: None,
            points: (0..points)
                .map(|i| PointView {
                    period: format!("Q{i}"),
                    value: "1".to_string(),
                    negative: false,
                })
                .collect(),
        };
        let config = ChartConfig {
            id: id.to_string(),
            title: id.to_string(),
            metric: id.to_string(),
            units: None,
            non_gaap,
            comparable: non_gaap.then(|| "net-income".to_string()),
            reconciliation: None,
        };
        (view, config)
    }

    fn shown(charts: &[(&str, usize)]) -> Vec<String> {
        let (mut windows, configs): (Vec<_>, Vec<_>) =
            charts.iter().map(|&(id, n)| chart(id, n)).unzip();
        drop_empty_windows(&mut windows, &configs);
        windows.into_iter().map(|w| w.id).collect()
    }

    #[test]
    fn empty_windows_are_left_out_and_a_non_gaap_chart_never_stands_alone() {
        let all = [("revenue", 5), ("net-income", 5), ("adjusted-ebitda", 5)];
        assert_eq!(shown(&all), ["revenue", "net-income", "adjusted-ebitda"]);
        let later_measure = [("revenue", 5), ("net-income", 5), ("adjusted-ebitda", 0)];
        assert_eq!(shown(&later_measure), ["revenue", "net-income"]);
        // Without its GAAP measure, the non-GAAP chart would be the more prominent.
        let no_gaap = [("revenue", 5), ("net-income", 0), ("adjusted-ebitda", 3)];
        assert_eq!(shown(&no_gaap), ["revenue"]);
    }
}
