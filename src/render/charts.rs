//! Bar charts of one measure across quarters, drawn to SVG with plotters.
//!
//! Figures come from the tables (rows whose id is the chart's metric), never retyped. The same
//! quarter reported by two tables must agree, unless a newer release restates it; a quarter no
//! table reports is left out, never invented. Floats appear here only as plot coordinates;
//! every printed figure is formatted from its exact `Decimal`.
//!
//! A chart over tables of different scales (one release in thousands, a later one in
//! millions) draws every figure in the finest of their scales, the one every figure converts
//! to exactly: 42.6 millions is 42,600 thousands, whereas 42,625 thousands would have to be
//! rounded to be 42.6 millions. Its caption says so, with the site's currency ("in thousands
//! of U.S. dollars"), unless the chart's `units` in `site.toml` gives another.

use std::collections::BTreeMap;
use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::config::ChartConfig;
use crate::content::FoundRow;
use crate::error::{Error, Location, Result};
use crate::finance::format::{format_amount, round};
use crate::finance::units::{self, Currency, RowMeasure};
use crate::finance::{Amount, Period, PeriodName};

/// One chart's data: a figure per quarter, oldest first, as last reported.
#[derive(Debug, Clone)]
pub struct Series {
    pub points: Vec<(Period, Amount)>,
    /// For each quarter a newer release restated (by index into `points`), its figures newest
    /// first, each with the oldest release (by index, newest first) that reported it so.
    pub restated: BTreeMap<usize, Vec<(usize, Amount)>>,
    /// What the figures measure, in the scale they are drawn in.
    pub measure: RowMeasure,
}

impl Series {
    /// The latest `quarters` points, oldest first, as last reported: what a chart draws.
    pub fn latest(&self, quarters: usize) -> Series {
        Series {
            points: self.points[self.points.len().saturating_sub(quarters)..].to_vec(),
            restated: BTreeMap::new(),
            measure: self.measure,
        }
    }

    /// Point `index`'s figure as release `release` (by index, newest first) reported it or
    /// knew it: from the newest report at or before that release, or as last reported when
    /// every report of the quarter is newer.
    pub fn as_of(&self, index: usize, release: usize) -> &Amount {
        let reported = self.restated.get(&index).and_then(|figures| {
            figures
                .iter()
                .find(|(oldest, _)| *oldest >= release)
                .map(|(_, amount)| amount)
        });
        reported.unwrap_or(&self.points[index].1)
    }

    /// Each restated quarter's figures, by quarter.
    fn restatements(&self) -> BTreeMap<(crate::finance::Date, u8), &[(usize, Amount)]> {
        self.restated
            .iter()
            .map(|(&k, figures)| (self.points[k].0.sort_key(), &figures[..]))
            .collect()
    }

    /// Where the latest `quarters` points up to `period` lie (a release page's chart window).
    /// Points are in period order: a binary search keeps every release's window O(log n).
    pub fn window(&self, period: &Period, quarters: usize) -> std::ops::Range<usize> {
        let upto = self
            .points
            .partition_point(|(p, _)| p.sort_key() <= period.sort_key());
        upto.saturating_sub(quarters)..upto
    }

    /// The quarters whose figure differs from `old`'s, as written, or whose earlier figures
    /// differ (a restatement), or that only one of the two has.
    pub fn changed_since(&self, old: &Series) -> Vec<Period> {
        let key = |(p, _): &(Period, Amount)| p.sort_key();
        let before: BTreeMap<_, &Amount> = old.points.iter().map(|pa| (key(pa), &pa.1)).collect();
        let after: BTreeMap<_, &Amount> = self.points.iter().map(|pa| (key(pa), &pa.1)).collect();
        let (restated_before, restated_after) = (old.restatements(), self.restatements());
        let same_figures = |a: Option<&&[(usize, Amount)]>, b: Option<&&[(usize, Amount)]>| {
            let (a, b) = (
                a.copied().unwrap_or_default(),
                b.copied().unwrap_or_default(),
            );
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((i, x), (j, y))| i == j && x.identical(y))
        };
        let added_or_changed = self.points.iter().filter(|pa| {
            !before.get(&key(pa)).is_some_and(|a| a.identical(&pa.1))
                || !same_figures(restated_before.get(&key(pa)), restated_after.get(&key(pa)))
        });
        let removed = old.points.iter().filter(|pa| !after.contains_key(&key(pa)));
        added_or_changed.chain(removed).map(|(p, _)| *p).collect()
    }

    /// The same quarters with the same figures as written, so the same drawing.
    pub fn identical(&self, other: &Series) -> bool {
        self.points.len() == other.points.len()
            && self.measure == other.measure
            && self
                .points
                .iter()
                .zip(&other.points)
                .all(|((p, a), (q, b))| p == q && a.identical(b))
    }
}

/// The caption under a chart's title: its `units` in `site.toml`, or what its figures measure
/// in the site's currency ("in millions of U.S. dollars").
pub fn caption(config: &ChartConfig, series: &Series, currency: &Currency) -> String {
    match &config.units {
        Some(units) => units.clone(),
        None => series.measure.caption(currency),
    }
}

/// What a chart of `rows` measures: the measure of their rows, in the finest of their scales
/// (see the module's documentation). Rows that measure different things (an amount and a
/// share count) cannot share one axis.
fn chart_measure(config: &ChartConfig, rows: &[&FoundRow]) -> Result<RowMeasure> {
    let mut measure: Option<(RowMeasure, &FoundRow)> = None;
    for found in rows {
        let this = found.table.measure(found.row);
        let Some((chart, first)) = measure else {
            measure = Some((this, found));
            continue;
        };
        let finer = match (chart, this) {
            (RowMeasure::Currency(a), RowMeasure::Currency(b)) => RowMeasure::Currency(a.min(b)),
            (RowMeasure::Shares(a), RowMeasure::Shares(b)) => RowMeasure::Shares(a.min(b)),
            (RowMeasure::Count(a), RowMeasure::Count(b)) => RowMeasure::Count(a.min(b)),
            (a, b) if a == b => a,
            _ => {
                return Err(Error::input(
                    Location::line(&found.table.source, found.row.line),
                    format!(
                        "chart {:?}: row {:?} here is a {} row, but in {}:{} it is a {} row; a \
                         chart draws one measure",
                        config.id,
                        found.row.id,
                        this.unit_name(),
                        first.table.source.display(),
                        first.row.line,
                        chart.unit_name()
                    ),
                ));
            }
        };
        measure = Some((finer, first));
    }
    Ok(measure.map_or(RowMeasure::Currency(units::Scale::default()), |(m, _)| m))
}

/// A run of reports of one quarter with the same figure, in consecutive releases.
struct Run<'a> {
    amount: Amount,
    /// The first table found with it, for messages.
    path: &'a Path,
    line: usize,
    /// The oldest release (by index, newest first) with this figure.
    oldest: usize,
}

/// Gathers `config.metric` for every quarter any release reports it for, from the rows named by
/// it (`check::charted_rows`), newest release first. A quarter's figure is its newest report;
/// all the tables of one release must agree. An older release may report another figure only
/// where a newer one restates the quarter (`restated` in its table), which the ties across
/// releases check (`finance::ties`) for every figure, charted or not.
pub fn collect_series(config: &ChartConfig, rows: &[FoundRow]) -> Result<Series> {
    let mut by_period: BTreeMap<(crate::finance::Date, u8), (Period, Vec<Run>)> = BTreeMap::new();
    let mut errors = Vec::new();
    // A footnote's rows explain the table's; the table's own row is the figure.
    let rows: Vec<&FoundRow> = rows.iter().filter(|found| !found.in_footnote).collect();
    let measure = chart_measure(config, &rows)?;
    for found in rows {
        let FoundRow {
            table,
            row,
            release,
            ..
        } = *found;
        let from = table.measure(row).scale();
        // Only the table's own (consolidated) figures chart, never a member's or a comparison.
        for (period, cell) in table
            .consolidated()
            .filter_map(|(c, period)| Some((period, row.values.get(c)?)))
        {
            let (PeriodName::Quarter { .. }, Some(stated)) = (period.name(), cell.amount()) else {
                continue;
            };
            // Exact: the chart's scale is the finest of its rows'.
            let amount = &match units::convert(stated.value, from, measure.scale()) {
                Some(value) => Amount {
                    value,
                    negative: stated.negative,
                },
                None => {
                    errors.push(Error::input(
                        Location::line(&table.source, row.line),
                        format!(
                            "{}, {}: {} in {from} is more than a figure holds in {} ({})",
                            row.id,
                            crate::finance::relations::period_phrase(period),
                            format_amount(stated),
                            measure.scale(),
                            crate::finance::expr::LIMIT
                        ),
                    ));
                    continue;
                }
            };
            let report = Run {
                amount: *amount,
                path: table.source.as_path(),
                line: row.line,
                oldest: release,
            };
            let (_, runs) = by_period
                .entry(period.sort_key())
                .or_insert_with(|| (*period, Vec::new()));
            match runs.last_mut() {
                None => runs.push(report),
                Some(run) if run.amount.value == amount.value => {
                    run.oldest = release;
                }
                // An older release that reports the quarter otherwise: where no newer one
                // restates it, the ties across releases (`finance::ties`) refuse it, with a
                // tolerance if the site has one; the chart keeps it as that release knew it.
                Some(run) if run.oldest < release => runs.push(report),
                Some(run) => errors.push(Error::input(
                    Location::line(&table.source, row.line),
                    format!(
                        "{}, {}: {} here but {} in {}:{}, a table of the same release; the chart \
                         {:?} needs one figure per quarter",
                        row.id,
                        crate::finance::relations::period_phrase(period),
                        format_amount(amount),
                        format_amount(&run.amount),
                        run.path.display(),
                        run.line,
                        config.id
                    ),
                )),
            }
        }
    }
    Error::collect(errors)?;
    let mut series = Series {
        points: Vec::with_capacity(by_period.len()),
        restated: BTreeMap::new(),
        measure,
    };
    for (k, (period, runs)) in by_period.into_values().enumerate() {
        series.points.push((period, runs[0].amount));
        if runs.len() > 1 {
            let figures = runs.iter().map(|r| (r.oldest, r.amount)).collect();
            series.restated.insert(k, figures);
        }
    }
    Ok(series)
}

const WIDTH: u32 = 640;
const HEIGHT: u32 = 320;
const GAAP_BLUE: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
const NON_GAAP_TEAL: RGBColor = RGBColor(0x2f, 0x6f, 0x6a);
const LOSS_RED: RGBColor = RGBColor(0xa9, 0x32, 0x26);
const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
const FONT: &str = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif";

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A tick value (a plot coordinate) printed as a figure: rounded to a whole unit, half away from
/// zero, with separators and parentheses.
fn tick_label(value: f64) -> String {
    let exact = Decimal::try_from(value).unwrap_or_default();
    format_amount(&Amount::new(round(exact, 0)))
}

fn drawing_error<E: std::fmt::Debug>(chart: &str) -> impl Fn(E) -> Error + '_ {
    move |e| Error::Output(format!("chart {chart:?} could not be drawn: {e:?}"))
}

/// Draws the bar chart as a standalone SVG document (no accessibility wrapper yet).
fn draw(config: &ChartConfig, series: &Series) -> Result<String> {
    let values: Vec<f64> = series.points.iter().map(|(_, a)| to_f64(a.value)).collect();
    let max = values.iter().copied().fold(0.0_f64, f64::max);
    let min = values.iter().copied().fold(0.0_f64, f64::min);
    let span = (max - min).max(1.0);
    // Headroom for the value labels above positive bars and below negative ones.
    let top = if max > 0.0 {
        max + span * 0.15
    } else {
        span * 0.08
    };
    let bottom = if min < 0.0 { min - span * 0.15 } else { 0.0 };
    let labels: Vec<String> = series.points.iter().map(|(p, _)| p.short_label()).collect();
    let bar_color = if config.non_gaap {
        NON_GAAP_TEAL
    } else {
        GAAP_BLUE
    };
    let fail = drawing_error(&config.id);

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let count = series.points.len().max(1);
        // An integer range is inclusive in plotters: 0..count-1 makes exactly `count` bars.
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(88)
            .build_cartesian_2d((0..count - 1).into_segmented(), bottom..top)
            .map_err(&fail)?;
        let label_font = (FONT, 20).into_font().color(&INK);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .axis_style(RGBColor(0x99, 0x99, 0x99))
            .y_labels(5)
            .x_labels(count)
            .label_style(label_font.clone())
            .y_label_formatter(&|v| tick_label(*v))
            .x_label_formatter(&|segment| match segment {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(&fail)?;
        // Bars are drawn in period order (plotters' Histogram keeps a HashMap, which would make
        // the SVG differ from build to build).
        chart
            .draw_series(values.iter().enumerate().map(|(i, v)| {
                let color = if *v < 0.0 { LOSS_RED } else { bar_color };
                // A bar ends where the next quarter's segment starts. Over one quarter the range
                // 0..0 has no width, so plotters maps every exact value to its left edge (a bar
                // of negative width once its margins are taken): the bar ends at the axis end.
                let end = if count == 1 {
                    SegmentValue::Last
                } else {
                    SegmentValue::Exact(i + 1)
                };
                let mut bar =
                    Rectangle::new([(SegmentValue::Exact(i), 0.0), (end, *v)], color.filled());
                bar.set_margin(0, 0, 24, 24);
                bar
            }))
            .map_err(&fail)?;
        let value_font = (FONT, 21).into_font().style(FontStyle::Bold).color(&INK);
        chart
            .draw_series(series.points.iter().enumerate().map(|(i, (_, amount))| {
                let v = to_f64(amount.value);
                let anchor = if v < 0.0 { VPos::Top } else { VPos::Bottom };
                let offset = span * 0.02 * if v < 0.0 { -1.0 } else { 1.0 };
                Text::new(
                    format_amount(amount),
                    (SegmentValue::CenterOf(i), v + offset),
                    value_font.clone().pos(Pos::new(HPos::Center, anchor)),
                )
            }))
            .map_err(&fail)?;
        root.present().map_err(&fail)?;
    }
    Ok(svg)
}

/// The chart as SVG with `role="img"`, a `<title>` and a `<desc>` that lists every figure.
pub fn render_chart_svg(config: &ChartConfig, series: &Series, caption: &str) -> Result<String> {
    let svg = draw(config, series)?;
    let title_id = format!("chart-{}-title", config.id);
    let desc_id = format!("chart-{}-desc", config.id);
    let title = format!(
        "{}{}",
        config.title,
        if config.non_gaap { " (non-GAAP)" } else { "" }
    );
    let figures: Vec<String> = series
        .points
        .iter()
        .map(|(p, a)| format!("{}: {}", p.short_label(), format_amount(a)))
        .collect();
    let desc = format!(
        "Bar chart of {} by quarter, {}. {}.",
        config.title.to_lowercase(),
        caption,
        figures.join("; ")
    );
    let open_end = svg
        .find('>')
        .ok_or_else(|| Error::Output("empty SVG".into()))?;
    let (open, rest) = svg.split_at(open_end);
    Ok(format!(
        "{open} role=\"img\" aria-labelledby=\"{title_id} {desc_id}\" class=\"chart\">\n\
         <title id=\"{title_id}\">{}</title>\n<desc id=\"{desc_id}\">{}</desc>{}",
        super::escape_xml(&title),
        super::escape_xml(&desc),
        &rest[1..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::{LineItem, RowKind, Statement};

    fn table(columns: &[&str], restated: &[&str], revenue: &[&str]) -> Statement {
        let period = |p: &&str| crate::finance::period::december(p);
        Statement {
            title: "Operations".into(),
            restated: restated.iter().map(period).collect(),
            ..Statement::for_test(
                "operations",
                "in thousands",
                crate::finance::Scale::Thousands,
                columns.iter().map(period).collect(),
                vec![LineItem {
                    label: "Revenue".into(),
                    ..LineItem::for_test("revenue", RowKind::Item, revenue, 1)
                }],
            )
        }
    }

    /// The chart of revenue, as `site.toml` would configure it, with no units override.
    fn revenue_chart() -> ChartConfig {
        ChartConfig {
            id: "revenue".into(),
            title: "Revenue".into(),
            metric: "revenue".into(),
            units: None,
            non_gaap: false,
            comparable: None,
            reconciliation: None,
        }
    }

    /// The revenue series of `tables`, each with its release index, newest release first.
    fn collect(tables: &[(usize, &Statement)]) -> Result<Series> {
        let config = revenue_chart();
        let rows: Vec<FoundRow> = tables
            .iter()
            .map(|&(release, table)| FoundRow {
                table,
                row: &table.rows[0],
                in_footnote: false,
                release,
            })
            .collect();
        collect_series(&config, &rows)
    }

    /// The points of [`collect`], as "2005-Q1 105".
    fn series(tables: &[(usize, &Statement)]) -> Result<Vec<String>> {
        Ok(collect(tables)?
            .points
            .iter()
            .map(|(p, a)| format!("{p} {}", format_amount(a)))
            .collect())
    }

    #[test]
    fn a_quarter_is_charted_as_last_reported_where_a_newer_release_restates_it() {
        let restating = table(&["2006-Q1", "2005-Q1"], &["2005-Q1"], &["120", "105"]);
        let silent = table(&["2006-Q1", "2005-Q1"], &[], &["120", "105"]);
        let first = table(&["2005-Q1"], &[], &["100"]);
        assert_eq!(
            series(&[(0, &restating), (1, &first)]).unwrap(),
            ["2005-Q1 105", "2006-Q1 120"]
        );
        // Without the declaration the ties across releases refuse the difference, as a typo
        // would be; the chart takes the newer figure.
        assert_eq!(
            series(&[(0, &silent), (1, &first)]).unwrap(),
            ["2005-Q1 105", "2006-Q1 120"]
        );
        // Another table of the restating release must agree with it.
        let message = series(&[(0, &restating), (0, &first)])
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("100 here but 105 in operations.toml:1, a table of the same release"),
            "{message}"
        );
        // A declaration in a newer release that agrees with the restating one still counts.
        assert_eq!(
            series(&[(0, &silent), (1, &restating), (2, &first)]).unwrap(),
            ["2005-Q1 105", "2006-Q1 120"]
        );
    }

    #[test]
    fn tables_of_different_scales_are_drawn_in_the_finest_exactly() {
        let mut newer = table(&["2006-Q1", "2005-Q1"], &[], &["42.6", "37.9"]);
        newer.scale = crate::finance::Scale::Millions;
        newer.units = "in millions".into();
        let older = table(&["2005-Q1", "2004-Q1"], &[], &["37855", "30012"]);
        // The newer release reports 2005-Q1 rounded: the ties across releases judge that; the
        // chart takes the newer figure, restated in thousands.
        let both = collect(&[(0, &newer), (1, &older)]).unwrap();
        let drawn: Vec<String> = both
            .points
            .iter()
            .map(|(p, a)| format!("{p} {}", format_amount(a)))
            .collect();
        assert_eq!(
            drawn,
            ["2004-Q1 30,012", "2005-Q1 37,900", "2006-Q1 42,600"]
        );
        let usd = Currency::default();
        let mut config = revenue_chart();
        assert_eq!(
            caption(&config, &both, &usd),
            "in thousands of U.S. dollars"
        );
        let millions = collect(&[(0, &newer)]).unwrap();
        assert_eq!(
            caption(&config, &millions, &usd),
            "in millions of U.S. dollars"
        );
        assert_eq!(format_amount(&millions.points[1].1), "42.6");
        let nok = Currency::new("NOK", None).unwrap();
        assert_eq!(
            caption(&config, &millions, &nok),
            "in millions of Norwegian kroner"
        );
        config.units = Some("in millions of dollars, unaudited".into());
        assert_eq!(
            caption(&config, &millions, &usd),
            "in millions of dollars, unaudited"
        );
        let svg = render_chart_svg(&config, &millions, "in millions of U.S. dollars").unwrap();
        assert!(
            svg.contains("Bar chart of revenue by quarter, in millions of U.S. dollars. Q1 2005: 37.9; Q1 2006: 42.6."),
            "{svg}"
        );
    }

    #[test]
    fn a_chart_draws_one_measure() {
        let amounts = table(&["2006-Q1"], &[], &["42625"]);
        let mut shares = table(&["2005-Q1"], &[], &["338199"]);
        shares.rows[0].kind = RowKind::Shares;
        let message = collect(&[(0, &amounts), (1, &shares)])
            .unwrap_err()
            .to_string();
        assert!(
            message.ends_with(
                "chart \"revenue\": row \"revenue\" here is a shares row, but in \
                 operations.toml:1 it is a currency row; a chart draws one measure"
            ),
            "{message}"
        );
    }

    #[test]
    fn a_release_page_shows_a_restated_quarter_as_that_release_knew_it() {
        // Releases, newest first: 0 reports Q1 2006 only, 1 restates Q1 2005 to 105, 2 and 3
        // reported 100.
        let newest = table(&["2006-Q1"], &[], &["120"]);
        let restating = table(&["2006-Q1", "2005-Q1"], &["2005-Q1"], &["120", "105"]);
        let first = table(&["2005-Q1"], &[], &["100"]);
        let series = collect(&[(0, &newest), (1, &restating), (2, &first), (3, &first)]).unwrap();
        let q1_2005 = 0;
        let as_of = |release| format_amount(series.as_of(q1_2005, release));
        assert_eq!(
            [as_of(0), as_of(1), as_of(2), as_of(3)],
            ["105", "105", "100", "100"]
        );
        // A release older than every report of the quarter shows it as last reported.
        assert_eq!(as_of(4), "105");
        assert_eq!(format_amount(series.as_of(1, 3)), "120");

        // Changing the first figure changes the quarter, though its latest figure is the same.
        let corrected = table(&["2005-Q1"], &[], &["101"]);
        let after = collect(&[
            (0, &newest),
            (1, &restating),
            (2, &corrected),
            (3, &corrected),
        ])
        .unwrap();
        assert_eq!(
            after.changed_since(&series),
            [crate::finance::period::december("2005-Q1")]
        );
        assert!(series.changed_since(&series).is_empty());
    }

    /// The width of every bar of `svg`: the filled rectangles in the bar colours.
    fn bar_widths(svg: &str) -> Vec<f64> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        let bar_fills = ["#1F4E79", "#2F6F6A", "#A93226"].map(str::to_ascii_lowercase);
        doc.descendants()
            .filter(|n| n.has_tag_name("rect"))
            .filter(|n| {
                n.attribute("fill")
                    .is_some_and(|f| bar_fills.contains(&f.to_ascii_lowercase()))
            })
            .map(|n| n.attribute("width").unwrap().parse().unwrap())
            .collect()
    }

    #[test]
    fn a_chart_of_one_quarter_draws_one_visible_bar() {
        let one = table(&["2006-Q1"], &[], &["120"]);
        let series = collect(&[(0, &one)]).unwrap();
        let config = revenue_chart();
        let caption = "in thousands of U.S. dollars";
        let widths = bar_widths(&render_chart_svg(&config, &series, caption).unwrap());
        assert_eq!(widths.len(), 1, "{widths:?}");
        assert!(widths[0] > 100.0, "{widths:?}");
        // Two quarters: two bars of one width.
        let two = table(&["2006-Q1", "2005-Q1"], &[], &["120", "105"]);
        let widths = bar_widths(
            &render_chart_svg(&config, &collect(&[(0, &two)]).unwrap(), caption).unwrap(),
        );
        assert_eq!(widths.len(), 2, "{widths:?}");
        assert!(
            widths.iter().all(|w| *w > 100.0 && *w == widths[0]),
            "{widths:?}"
        );
    }
}
