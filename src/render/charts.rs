//! Bar charts of one measure across quarters, drawn to SVG with plotters.
//!
//! Figures come from the tables (rows whose id is the chart's metric), never retyped. The same
//! quarter reported by two tables must agree; a quarter no table reports is left out, never
//! invented. Floats appear here only as plot coordinates; every printed figure is formatted from
//! its exact `Decimal`.

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
use crate::finance::{Amount, Period};

/// One chart's data: a figure per quarter, oldest first.
#[derive(Debug, Clone)]
pub struct Series {
    pub points: Vec<(Period, Amount)>,
}

impl Series {
    /// The latest `quarters` points, oldest first: what a chart draws.
    pub fn latest(&self, quarters: usize) -> Series {
        Series {
            points: self.points[self.points.len().saturating_sub(quarters)..].to_vec(),
        }
    }

    /// Where the latest `quarters` points up to `period` lie (a release page's chart window).
    /// Points are in period order: a binary search keeps every release's window O(log n).
    pub fn window(&self, period: &Period, quarters: usize) -> std::ops::Range<usize> {
        let upto = self
            .points
            .partition_point(|(p, _)| p.sort_key() <= period.sort_key());
        upto.saturating_sub(quarters)..upto
    }

    /// The quarters whose figure differs from `old`'s, as written, or that only one of the two
    /// has.
    pub fn changed_since(&self, old: &Series) -> Vec<Period> {
        let key = |(p, _): &(Period, Amount)| p.sort_key();
        let before: BTreeMap<_, &Amount> = old.points.iter().map(|pa| (key(pa), &pa.1)).collect();
        let after: BTreeMap<_, &Amount> = self.points.iter().map(|pa| (key(pa), &pa.1)).collect();
        let added_or_changed = self
            .points
            .iter()
            .filter(|pa| !before.get(&key(pa)).is_some_and(|a| a.identical(&pa.1)));
        let removed = old.points.iter().filter(|pa| !after.contains_key(&key(pa)));
        added_or_changed.chain(removed).map(|(p, _)| *p).collect()
    }

    /// The same quarters with the same figures as written, so the same drawing.
    pub fn identical(&self, other: &Series) -> bool {
        self.points.len() == other.points.len()
            && self
                .points
                .iter()
                .zip(&other.points)
                .all(|((p, a), (q, b))| p == q && a.identical(b))
    }
}

/// Gathers `config.metric` for every quarter any release reports it for, from the rows named by
/// it (`check::charted_rows`).
pub fn collect_series(config: &ChartConfig, rows: &[FoundRow]) -> Result<Series> {
    let mut by_period: BTreeMap<(crate::finance::Date, u8), (Period, Amount, &Path, usize)> =
        BTreeMap::new();
    let mut errors = Vec::new();
    // A footnote's rows explain the table's; the table's own row is the figure.
    for FoundRow { table, row, .. } in rows.iter().filter(|found| !found.in_footnote) {
        for (period, cell) in table.columns.iter().zip(&row.values) {
            let (Period::Quarter { .. }, Some(amount)) = (period, cell.amount()) else {
                continue;
            };
            match by_period.get(&period.sort_key()) {
                Some((_, seen, path, line)) if seen.value != amount.value => {
                    errors.push(Error::input(
                        Location::line(&table.source, row.line),
                        format!(
                            "{}, {}: {} here but {} in {}:{line}; the chart {:?} needs \
                                 one figure per quarter",
                            row.id,
                            crate::finance::relations::period_phrase(period),
                            format_amount(amount),
                            format_amount(seen),
                            path.display(),
                            config.id
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    by_period.insert(
                        period.sort_key(),
                        (*period, *amount, table.source.as_path(), row.line),
                    );
                }
            }
        }
    }
    Error::collect(errors)?;
    Ok(Series {
        points: by_period.into_values().map(|(p, a, _, _)| (p, a)).collect(),
    })
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
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0.0),
                        (SegmentValue::Exact(i + 1), *v),
                    ],
                    color.filled(),
                );
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
pub fn render_chart_svg(config: &ChartConfig, series: &Series) -> Result<String> {
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
        config.units,
        figures.join("; ")
    );
    let open_end = svg
        .find('>')
        .ok_or_else(|| Error::Output("empty SVG".into()))?;
    let (open, rest) = svg.split_at(open_end);
    Ok(format!(
        "{open} role=\"img\" aria-labelledby=\"{title_id} {desc_id}\" class=\"chart\">\n\
         <title id=\"{title_id}\">{}</title>\n<desc id=\"{desc_id}\">{}</desc>{}",
        super::escape_html(&title),
        super::escape_html(&desc),
        &rest[1..]
    ))
}
