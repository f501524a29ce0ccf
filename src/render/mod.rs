//! Rendering: turns the loaded site into output files (HTML pages, SVG charts, static assets).
//!
//! Pages link to each other with paths relative to the page, so the output works from any
//! subpath (GitHub Pages project sites) and from disk. The 404 page is the exception: GitHub
//! Pages serves it at whatever URL was missed, so it links from the base URL's path.

pub mod calendar;
pub mod charts;
pub mod downloads;
pub mod feeds;
pub mod markdown;
pub mod seo;
pub mod statement;
pub mod templates;

use serde::Serialize;
use tera::{Context, Tera};

use crate::config::{ChartConfig, Config};
use crate::content::{BodyBlock, Release};
use crate::error::{Error, Location, Result};
use crate::finance::format::format_amount;
use crate::site::{OutputFile, Site};
use markdown::{PageIds, render_markdown};

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: String,
    company: CompanyView<'a>,
}

#[derive(Serialize)]
struct CompanyView<'a> {
    name: &'a str,
    short_name: &'a str,
    ticker: &'a str,
    exchange: &'a str,
    website: Option<&'a str>,
}

#[derive(Serialize)]
struct PageView {
    /// Prefix that leads from this page to the site root ("", "../../", or "/repo/" on 404).
    root: String,
    /// Open Graph type: "website" or "article".
    og_type: &'static str,
    /// Structured data (schema.org JSON-LD), ready to sit in a script element.
    json_ld: Option<String>,
    /// The page's path under the base URL ("releases/2006-q1/").
    path: String,
    canonical: String,
    title: String,
    description: String,
}

#[derive(Serialize, Clone)]
struct ReleaseView {
    slug: String,
    /// Path from the site root, e.g. "releases/2006-q1/".
    path: String,
    title: String,
    date: String,
    date_iso: String,
    dateline: String,
    period: String,
    period_short: String,
    summary: String,
    highlights: Vec<String>,
    /// The highlights for pages at the site root: links into the release lead to its page.
    highlights_from_root: Vec<String>,
    /// The body as HTML pieces: prose and statements, in order.
    blocks: Vec<String>,
    /// Anchors of the conference-call and contacts sections, for the site navigation.
    events_anchor: Option<String>,
    contacts_anchor: Option<String>,
    /// The statements alone, for the financials page.
    statements: Vec<String>,
    /// Downloads, as paths from the site root.
    xlsx: String,
    json: String,
    ics: Option<String>,
    /// Path from the site root of the period's financials page.
    financials: String,
    year: i32,
    tables: Vec<TableLink>,
}

#[derive(Serialize, Clone)]
struct TableLink {
    id: String,
    title: String,
    non_gaap: bool,
}

#[derive(Serialize, Clone)]
struct ChartView {
    id: String,
    title: String,
    units: String,
    non_gaap: bool,
    /// Path from the site root of the standalone SVG.
    file: String,
    svg: String,
    /// Path from the site root of the reconciliation, for non-GAAP charts.
    reconciliation: Option<String>,
    comparable: Option<String>,
    points: Vec<PointView>,
}

#[derive(Serialize, Clone)]
struct PointView {
    period: String,
    value: String,
    negative: bool,
}

fn release_path(release: &Release) -> String {
    format!("releases/{}/", release.slug)
}

/// Renders inline Markdown (a highlight) without the paragraph around it.
fn render_inline(text: &str, ids: &mut PageIds) -> std::result::Result<String, String> {
    let html = render_markdown(text, ids)?;
    let trimmed = html.trim_end();
    Ok(trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string())
}

fn release_view(site: &Site, tera: &Tera, release: &Release) -> Result<ReleaseView> {
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
        .map(|h| render_inline(&h.text, &mut ids).map_err(|m| at(h.line, m)))
        .collect::<Result<Vec<_>>>()?;
    let mut blocks = Vec::with_capacity(release.body.len());
    let mut statements = Vec::with_capacity(release.tables.len());
    let mut dateline_pending = true;
    for block in &release.body {
        match block {
            BodyBlock::Markdown { text, first_line } => {
                let mut source = String::new();
                if dateline_pending {
                    // The dateline opens the first paragraph, as in a printed release.
                    source.push_str(&format!(
                        "<span class=\"dateline\">{} ({})</span> ",
                        escape_html(&release.dateline),
                        release.date.long()
                    ));
                    source.push_str(text.trim_start());
                    dateline_pending = false;
                } else {
                    source.push_str(text);
                }
                blocks.push(render_markdown(&source, &mut ids).map_err(|m| at(*first_line, m))?);
            }
            BodyBlock::Table { id, line } => {
                let table = release
                    .table(id)
                    .ok_or_else(|| at(*line, format!("no table {id:?}")))?;
                let mut context = Context::new();
                context.insert(
                    "statement",
                    &statement::statement_view(
                        table,
                        &site.config.company.name,
                        downloads::csv_path(release, table),
                        &site.config.base_url(),
                    ),
                );
                // Release and financials pages both sit two folders below the root.
                context.insert("root", "../../");
                let html = templates::render(
                    tera,
                    &site.templates_dir(),
                    "partials/statement.html",
                    &context,
                )?;
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
fn section_anchor(blocks: &[String], prefixes: &[&str]) -> Option<String> {
    blocks.iter().find_map(|html| {
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
fn table_path(releases: &[Release], id: &str) -> Option<String> {
    releases
        .iter()
        .find(|r| r.table(id).is_some())
        .map(|r| format!("{}#{id}", release_path(r)))
}

fn chart_view(site: &Site, config: &ChartConfig, series: &charts::Series) -> Result<ChartView> {
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
        units: config.units.clone(),
        non_gaap: config.non_gaap,
        file: format!("charts/{}.svg", config.id),
        svg: charts::render_chart_svg(config, series)?,
        reconciliation,
        comparable,
        points: series
            .points
            .iter()
            .map(|(period, amount)| PointView {
                period: period.short_label(),
                value: format_amount(amount),
                negative: amount.negative,
            })
            .collect(),
    })
}

fn base_context(site: &Site, page: PageView) -> Context {
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

fn page(site: &Site, path: &str, title: String, description: String) -> PageView {
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

/// Renders every page and chart of the site.
pub fn render_site(site: &Site, tera: &Tera) -> Result<Vec<OutputFile>> {
    let dir = site.templates_dir();
    let mut files = Vec::new();
    let charts = site
        .charts
        .iter()
        .map(|(config, series)| chart_view(site, config, series))
        .collect::<Result<Vec<_>>>()?;
    for chart in &charts {
        files.push(OutputFile::new(&chart.file, chart.svg.clone().into_bytes()));
    }
    let releases = site
        .content
        .releases
        .iter()
        .map(|r| release_view(site, tera, r))
        .collect::<Result<Vec<_>>>()?;

    let mut home_page = page(
        site,
        "",
        site.config.title.clone(),
        site.config.description.clone(),
    );
    home_page.json_ld = Some(seo::home(&site.config));
    let mut home = base_context(site, home_page);
    home.insert("latest", &releases.first());
    home.insert("releases", &releases);
    home.insert("charts", &charts);
    files.push(OutputFile::new(
        "index.html",
        templates::render(tera, &dir, "index.html", &home)?.into_bytes(),
    ));

    for (release, source) in releases.iter().zip(&site.content.releases) {
        let mut release_page = page(
            site,
            &release.path,
            release.title.clone(),
            release.summary.clone(),
        );
        release_page.og_type = "article";
        release_page.json_ld = Some(seo::release(&site.config, source, &release_page.canonical));
        let mut context = base_context(site, release_page);
        context.insert("release", release);
        context.insert("latest", &releases.first());
        context.insert("releases", &releases);
        context.insert("charts", &charts);
        files.push(OutputFile::new(
            &format!("{}index.html", release.path),
            templates::render(tera, &dir, "release.html", &context)?.into_bytes(),
        ));
    }

    files.extend(archive_and_financials(site, tera, &releases, &charts)?);
    files.extend(downloads_and_feeds(site)?);

    let mut not_found_page = page(site, "404.html", "Page not found".into(), String::new());
    not_found_page.root = site.config.base_path();
    let mut not_found = base_context(site, not_found_page);
    not_found.insert("latest", &releases.first());
    files.push(OutputFile::new(
        "404.html",
        templates::render(tera, &dir, "404.html", &not_found)?.into_bytes(),
    ));
    // GitHub Pages must serve the files as they are, without a Jekyll pass.
    files.push(OutputFile::new(".nojekyll", Vec::new()));
    Ok(files)
}

#[derive(Serialize)]
struct YearView<'a> {
    year: i32,
    releases: Vec<&'a ReleaseView>,
}

/// The releases archive, grouped by year, newest first; and a financials page per period.
fn archive_and_financials(
    site: &Site,
    tera: &Tera,
    releases: &[ReleaseView],
    charts: &[ChartView],
) -> Result<Vec<OutputFile>> {
    let dir = site.templates_dir();
    let mut files = Vec::new();
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
    files.push(OutputFile::new(
        "releases/index.html",
        templates::render(tera, &dir, "archive.html", &archive)?.into_bytes(),
    ));
    for release in releases {
        let mut context = base_context(
            site,
            page(
                site,
                &release.financials,
                format!("Financial statements: {}", release.period.to_lowercase()),
                format!(
                    "{} financial statements and non-GAAP reconciliations, {}.",
                    site.config.company.name,
                    release.period.to_lowercase()
                ),
            ),
        );
        context.insert("release", release);
        context.insert("latest", &releases.first());
        context.insert("charts", charts);
        files.push(OutputFile::new(
            &format!("{}index.html", release.financials),
            templates::render(tera, &dir, "financials.html", &context)?.into_bytes(),
        ));
    }
    Ok(files)
}

/// CSV, XLSX, JSON and calendar downloads of every release; the feed, sitemap and robots.txt.
fn downloads_and_feeds(site: &Site) -> Result<Vec<OutputFile>> {
    let config = &site.config;
    let base_url = config.base_url();
    let company = &config.company.name;
    let authority = feeds::authority(config.company.website.as_deref(), &base_url);
    let releases = &site.content.releases;
    let mut files = Vec::new();
    let mut pages = vec![
        ("".to_string(), releases.first().map(|r| r.date.iso())),
        (
            "releases/".to_string(),
            releases.first().map(|r| r.date.iso()),
        ),
    ];
    for release in releases {
        for table in &release.tables {
            files.push(OutputFile::new(
                &downloads::csv_path(release, table),
                downloads::csv(table).into_bytes(),
            ));
        }
        files.push(OutputFile::new(
            &downloads::xlsx_path(release),
            downloads::xlsx(release, company)?,
        ));
        files.push(OutputFile::new(
            &downloads::json_path(release),
            downloads::json(release, company).into_bytes(),
        ));
        let path = release_path(release);
        if let Some(call) = &release.call {
            files.push(OutputFile::new(
                &calendar::ics_path(release),
                calendar::ics(release, call, &format!("{base_url}{path}"), &authority).into_bytes(),
            ));
        }
        pages.push((path, Some(release.date.iso())));
        pages.push((
            format!("financials/{}/", release.slug),
            Some(release.date.iso()),
        ));
    }
    files.push(OutputFile::new(
        "feed.xml",
        feeds::atom(
            releases,
            &config.title,
            &config.description,
            company,
            &base_url,
            &authority,
        )
        .into_bytes(),
    ));
    files.push(OutputFile::new(
        "sitemap.xml",
        feeds::sitemap(&base_url, &pages).into_bytes(),
    ));
    files.push(OutputFile::new(
        "robots.txt",
        feeds::robots(&base_url).into_bytes(),
    ));
    Ok(files)
}
