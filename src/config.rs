//! `site.toml`: the site's identity, where it is published, and which charts it draws.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Location, Result};
use crate::finance::calendar::{Setting, Settings};
use crate::finance::{Currency, FiscalCalendar};

/// The parsed `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site name, shown in the header and page titles.
    pub title: String,
    /// One sentence describing the site, for search engines.
    #[serde(default)]
    pub description: String,
    /// The absolute URL the site is served from, e.g. `https://owner.github.io/repo/`.
    pub base_url: String,
    /// Where `build` writes, relative to the site root.
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    /// The `lang` of every page.
    #[serde(default = "default_language")]
    pub language: String,
    pub company: Company,
    /// The last day of the fiscal year: "December 31" (the default), another month end, or a
    /// 52/53-week rule such as "last Saturday of September".
    #[serde(default)]
    fiscal_year_end: Option<Spanned<String>>,
    /// "end" (the default: fiscal 2004 ends in 2004) or "start".
    #[serde(default)]
    fiscal_year_named_by: Option<Spanned<String>>,
    /// Weeks per quarter of a 52/53-week year ("13-13-13-13", "12-12-12-16").
    #[serde(default)]
    quarter_weeks: Option<Spanned<String>>,
    /// "months" ("Three months ended", the default) or "weeks" ("13 weeks ended").
    #[serde(default)]
    period_wording: Option<Spanned<String>>,
    /// Periods whose actual end differs from the rule: `"2004-Q3" = { ends = 2004-07-03 }`.
    #[serde(default)]
    periods: BTreeMap<Spanned<String>, StatedEnd>,
    /// How far apart, in each table's units, the figures of two releases (a period reported
    /// again, a year to date and its quarters) may be and still be accepted, though never
    /// counted as tied: `cross_release_tolerance = "1"`.
    #[serde(default)]
    cross_release_tolerance: Option<Spanned<String>>,
    /// The reporting currency, an ISO 4217 code ("USD", the default), named in captions.
    #[serde(default)]
    currency: Option<Spanned<String>>,
    /// The plural name captions give the currency ("in millions of Norwegian kroner"), for a
    /// code without a built-in one.
    #[serde(default)]
    currency_name: Option<Spanned<String>>,
    /// Charts drawn from table rows, in the order they appear on the page.
    #[serde(default)]
    pub charts: Vec<ChartConfig>,
    /// `currency` and `currency_name`, read.
    #[serde(skip)]
    pub reporting_currency: Currency,
    /// The fiscal calendar the settings above describe.
    #[serde(skip)]
    pub calendar: FiscalCalendar,
    /// `cross_release_tolerance`, read; `None` is exact.
    #[serde(skip)]
    pub tie_tolerance: Option<Decimal>,
}

/// `{ ends = 2004-07-03 }` in `[periods]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatedEnd {
    ends: Spanned<toml::value::Datetime>,
}

/// The issuer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Company {
    /// The legal name printed above every statement.
    pub name: String,
    /// The name used in navigation ("Internap").
    pub short_name: String,
    pub ticker: String,
    pub exchange: String,
    #[serde(default)]
    pub website: Option<String>,
}

/// A chart of one measure over every quarter the content reports it for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartConfig {
    /// Used for the SVG file name and anchors ("revenue").
    pub id: String,
    pub title: String,
    /// The row id whose figures are charted, in any table ("net_income").
    pub metric: String,
    /// The units caption shown under the title, where it should say other than the one the
    /// charted tables give ("in millions of U.S. dollars", from their scale and the site's
    /// currency).
    #[serde(default)]
    pub units: Option<String>,
    /// Whether the measure is non-GAAP (Regulation G applies).
    #[serde(default)]
    pub non_gaap: bool,
    /// For a non-GAAP chart: the id of the chart of its most comparable GAAP measure, which must
    /// come earlier in the list.
    #[serde(default)]
    pub comparable: Option<String>,
    /// For a non-GAAP chart: the id of the table that reconciles it.
    #[serde(default)]
    pub reconciliation: Option<String>,
}

fn default_output_dir() -> PathBuf {
    PathBuf::from("public")
}

fn default_language() -> String {
    "en".into()
}

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.toml";

impl Config {
    /// Reads and validates `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let source = crate::content::read_text(&path).map_err(|err| match err {
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Error::input(
                    Location::file(&path),
                    format!(
                        "no {CONFIG_FILE} here; run the command in a site's root folder or pass \
                         --root DIR"
                    ),
                )
            }
            other => other,
        })?;
        let mut config: Config =
            toml::from_str(&source).map_err(|e| Error::toml(&path, &source, &e))?;
        crate::content::refuse_control_in_toml(&path, &source, 0, &source)?;
        config.calendar = config.fiscal_calendar(&path, &source)?;
        if let Some(text) = &config.cross_release_tolerance {
            config.tie_tolerance = Some(
                crate::finance::amount::parse_tolerance(text.get_ref())
                    .map_err(|m| Error::at_offset(&path, &source, text.span().start, m))?,
            );
        }
        if let Some(code) = &config.currency {
            let name = config.currency_name.as_ref().map(|n| n.get_ref().as_str());
            config.reporting_currency = Currency::new(code.get_ref(), name)
                .map_err(|m| Error::at_offset(&path, &source, code.span().start, m))?;
            // A figure in euros printed as "$ 42,625" would misstate it: refuse rather than
            // publish a sign the company does not use.
            if !config.reporting_currency.is_dollar_signed() {
                return Err(Error::at_offset(
                    &path,
                    &source,
                    code.span().start,
                    format!(
                        "currency {:?} is not written with \"$\", and statements and citations \
                         print their currency sign as \"$\"; the currencies written with it \
                         are AUD, CAD, HKD, MXN, NZD, SGD and USD",
                        code.get_ref()
                    ),
                ));
            }
        } else if let Some(name) = &config.currency_name {
            return Err(Error::at_offset(
                &path,
                &source,
                name.span().start,
                "currency_name names the currency `currency` gives (an ISO 4217 code such as \
                 \"NOK\"); give currency too",
            ));
        }
        config.check_chart_ids(&path, &source)?;
        config.validate(&path)?;
        Ok(config)
    }

    /// The fiscal calendar `site.toml` states; an error names the line of the setting.
    fn fiscal_calendar(&self, path: &Path, source: &str) -> Result<FiscalCalendar> {
        let mut errors = Vec::new();
        let mut ends = Vec::new();
        for (name, stated) in &self.periods {
            let at = stated.ends.span().start;
            let date = stated.ends.get_ref();
            match (date.date, date.time, date.offset) {
                (Some(d), None, None) => {
                    match crate::finance::Date::new(i32::from(d.year), d.month, d.day) {
                        Some(date) => ends.push((name.get_ref().as_str(), date)),
                        None => errors.push(Error::at_offset(
                            path,
                            source,
                            at,
                            "a date between the years 1000 and 9999",
                        )),
                    }
                }
                _ => errors.push(Error::at_offset(
                    path,
                    source,
                    at,
                    "`ends` is a plain date such as 2004-07-03",
                )),
            }
        }
        Error::collect(errors)?;
        fn text(setting: &Option<Spanned<String>>) -> Option<&str> {
            setting.as_ref().map(|s| s.get_ref().as_str())
        }
        let settings = Settings {
            fiscal_year_end: text(&self.fiscal_year_end),
            named_by: text(&self.fiscal_year_named_by),
            quarter_weeks: text(&self.quarter_weeks),
            wording: text(&self.period_wording),
            ends,
        };
        FiscalCalendar::new(&settings).map_err(|problems| {
            let start = |s: &Option<Spanned<String>>| s.as_ref().map_or(0, |s| s.span().start);
            let keys: Vec<usize> = self.periods.keys().map(|k| k.span().start).collect();
            Error::Many(
                problems
                    .into_iter()
                    .map(|(setting, message)| {
                        let at = match setting {
                            Setting::YearEnd => start(&self.fiscal_year_end),
                            Setting::NamedBy => start(&self.fiscal_year_named_by),
                            Setting::QuarterWeeks => start(&self.quarter_weeks),
                            Setting::Wording => start(&self.period_wording),
                            Setting::StatedEnd(i) => keys.get(i).copied().unwrap_or(0),
                        };
                        Error::at_offset(path, source, at, message)
                    })
                    .collect(),
            )
        })
    }

    /// Refuses a chart id that is not a plain name. It becomes a file name
    /// (`charts/<id>.svg`), so one such as `../../elsewhere` would be written outside the
    /// output, and `../charts/revenue` over another chart's file.
    fn check_chart_ids(&self, path: &Path, source: &str) -> Result<()> {
        if self.charts.iter().all(|c| valid_chart_id(&c.id)) {
            return Ok(());
        }
        // Only now is site.toml read again, for the lines of the ids.
        #[derive(Deserialize)]
        struct Ids {
            #[serde(default)]
            charts: Vec<Id>,
        }
        #[derive(Deserialize)]
        struct Id {
            id: Spanned<String>,
        }
        let ids = toml::from_str::<Ids>(source).map_err(|e| Error::toml(path, source, &e))?;
        Error::collect(
            ids.charts
                .iter()
                .filter(|c| !valid_chart_id(c.id.get_ref()))
                .map(|c| {
                    Error::at_offset(
                        path,
                        source,
                        c.id.span().start,
                        format!(
                            "chart id {:?} is not a plain name: it names the chart's file \
                             (charts/<id>.svg) and anchor, so use lowercase letters, digits, \
                             hyphens and underscores, starting and ending with a letter or \
                             digit, e.g. \"net-income\"",
                            c.id.get_ref()
                        ),
                    )
                })
                .collect(),
        )
    }

    /// Replaces the base URL (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        self.base_url = url.to_string();
        check_base_url(url).map_err(|m| Error::input(Location::file(Path::new("--base-url")), m))
    }

    fn validate(&self, path: &Path) -> Result<()> {
        let mut errors = Vec::new();
        let mut fail = |m: String| errors.push(Error::input(Location::file(path), m));
        if let Err(m) = check_base_url(&self.base_url) {
            fail(m);
        }
        if let Some(website) = &self.company.website
            && let Err(m) = crate::content::urls::check_link(website)
        {
            fail(format!("company.website: {m}"));
        }
        for (i, chart) in self.charts.iter().enumerate() {
            let earlier = &self.charts[..i];
            if earlier.iter().any(|c| c.id == chart.id) {
                fail(format!("two charts have the id {:?}", chart.id));
            }
            if !chart.non_gaap {
                if chart.comparable.is_some() || chart.reconciliation.is_some() {
                    fail(format!(
                        "chart {:?}: `comparable` and `reconciliation` are for non-GAAP charts \
                         (non_gaap = true)",
                        chart.id
                    ));
                }
                continue;
            }
            // Regulation G (C&DI 102.10): a non-GAAP measure never stands alone or first.
            match &chart.comparable {
                None => fail(format!(
                    "chart {:?} is non-GAAP: name the chart of its most comparable GAAP measure \
                     with `comparable = \"...\"` (Regulation G)",
                    chart.id
                )),
                Some(id) => match earlier.iter().find(|c| &c.id == id) {
                    Some(c) if !c.non_gaap => {}
                    Some(_) => fail(format!(
                        "chart {:?}: its comparable chart {id:?} must be a GAAP measure",
                        chart.id
                    )),
                    None => fail(format!(
                        "chart {:?}: its comparable GAAP chart {id:?} must come before it in \
                         site.toml, so it is shown first (Regulation G)",
                        chart.id
                    )),
                },
            }
            if chart.reconciliation.is_none() {
                fail(format!(
                    "chart {:?} is non-GAAP: name the table that reconciles it with \
                     `reconciliation = \"table-id\"` (Regulation G)",
                    chart.id
                ));
            }
        }
        Error::collect(errors)
    }

    /// The base URL with a trailing slash.
    pub fn base_url(&self) -> String {
        let mut url = self.base_url.clone();
        if !url.ends_with('/') {
            url.push('/');
        }
        url
    }

    /// The path part of the base URL, e.g. `/repo/` for `https://owner.github.io/repo/`.
    pub fn base_path(&self) -> String {
        let url = self.base_url();
        let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".into(),
        }
    }
}

/// Whether `id` may name a chart: lowercase letters, digits, hyphens and underscores, starting
/// and ending with a letter or digit (what the example's and every test's ids use, and a
/// metric's row id). Capitals are refused so that two ids never name one file on a
/// case-insensitive file system.
pub fn valid_chart_id(id: &str) -> bool {
    let plain = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = id.as_bytes();
    bytes.first().is_some_and(|&b| plain(b))
        && bytes.last().is_some_and(|&b| plain(b))
        && bytes.iter().all(|&b| plain(b) || b == b'-' || b == b'_')
}

fn check_base_url(url: &str) -> std::result::Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split('/').next().unwrap_or(""));
    let bad_char = url
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '?' | '#' | '\\'));
    match host {
        Some(h) if !h.is_empty() && !bad_char => Ok(()),
        _ => Err(format!(
            "base_url must be an absolute http(s) URL such as \"https://owner.github.io/repo/\"; \
             found {url:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_ids_are_plain_names() {
        for good in ["revenue", "net-income", "adjusted_ebitda", "q4-2006", "x"] {
            assert!(valid_chart_id(good), "{good:?} was refused");
        }
        for bad in [
            "",
            "..",
            "../charts/revenue",
            "../../victim/important",
            "/etc/passwd",
            "a/b",
            "a\\b",
            "Revenue",
            "-revenue",
            "revenue-",
            "net income",
            "c:revenue",
        ] {
            assert!(!valid_chart_id(bad), "{bad:?} was accepted");
        }
    }

    #[test]
    fn base_url_must_be_absolute_http() {
        assert!(check_base_url("https://owner.github.io/repo/").is_ok());
        assert!(check_base_url("http://127.0.0.1:1111/").is_ok());
        for bad in [
            "/repo/",
            "owner.github.io",
            "ftp://x/",
            "https://",
            "https:// x/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
