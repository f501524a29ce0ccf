//! Figures cited in prose instead of typed: `{{ operations.revenue | millions }}`.
//!
//! A citation is an expression over the release's tables (see [`super::expr`]) and a format. A
//! reference without `@period` reads the release's own period. Every figure is first restated
//! exactly in currency units from its row's scale (see [`super::units`]), so any format reads a
//! table of any scale, and one citation may combine tables of different scales. Formats, all
//! rounding half away from zero (the one rule of [`super::format::round`]):
//!
//! | format         | accepts                                 | decimals | prints                            |
//! |----------------|-----------------------------------------|----------|-----------------------------------|
//! | `thousands`    | amounts of the currency, no division    | 0        | `$42,625 thousand`                |
//! | `millions`     | the same                                | 1        | `$42.6 million`, `$(0.6 million)` |
//! | `billions`     | the same                                | 1        | `$1.2 billion`                    |
//! | `Millions` ... | the same, capitalised for headlines     | as above | `$42.6 Million`                   |
//! | `dollars`      | per-share rows, no division             | 2        | `$0.01`, `$(0.00)`                |
//! | `percent(N)`   | a ratio: a division, sums of them, or percent cells | N (0-4) | `12.6%`              |
//! | `number`       | any figures of one scale                | as stated| `42,625`, `(570)`, `38.2%`, as in the table |
//!
//! `thousands(N)`, `millions(N)` and `billions(N)` (N from 0 to 4) print N decimals instead.
//! A percent cell ("38.2%") reads as its ratio, so `percent(1)` prints it rounded to one decimal
//! and `number` as the table prints it; `thousands`, `millions`, `billions` and `dollars` refuse
//! it. A citation reading an N/A, not-meaningful or blank cell is refused: there is no figure
//! to print.
//! A citation whose figure its format does not accept is refused, naming the citation.
//!
//! A citation of a non-GAAP row links to its reconciliation (its table), as Regulation G asks.

use rust_decimal::Decimal;

use super::amount::Amount;
use super::expr::{self, EvalError, Expr, Measure, Scope};
use super::format::{format_amount, format_percent, round};
use super::period::Period;
use super::statement::{LineItem, Statement};
use super::units::{self, RowMeasure, Scale};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An amount of the currency restated in thousands, millions or billions.
    Scaled {
        scale: Scale,
        places: u32,
        capital: bool,
    },
    Dollars,
    Percent(u32),
    Number,
}

const UNKNOWN: &str =
    "use thousands, millions, billions (or Millions, ...), dollars, percent(1) or number";

impl Format {
    fn parse(text: &str) -> Result<Format, String> {
        let text = text.trim();
        let (name, places) = match text.split_once('(') {
            Some((name, rest)) => {
                let places = rest
                    .strip_suffix(')')
                    .and_then(|p| p.trim().parse::<u32>().ok())
                    .filter(|p| *p <= 4)
                    .ok_or_else(|| {
                        format!("{name}(N) takes 0 to 4 decimal places; found {text:?}")
                    })?;
                (name.trim(), Some(places))
            }
            None => (text, None),
        };
        let scaled = |scale, default, capital| {
            Ok(Format::Scaled {
                scale,
                places: places.unwrap_or(default),
                capital,
            })
        };
        match (name, places) {
            ("thousands", _) => scaled(Scale::Thousands, 0, false),
            ("Thousands", _) => scaled(Scale::Thousands, 0, true),
            ("millions", _) => scaled(Scale::Millions, 1, false),
            ("Millions", _) => scaled(Scale::Millions, 1, true),
            ("billions", _) => scaled(Scale::Billions, 1, false),
            ("Billions", _) => scaled(Scale::Billions, 1, true),
            ("percent", Some(places)) => Ok(Format::Percent(places)),
            ("dollars", None) => Ok(Format::Dollars),
            ("number", None) => Ok(Format::Number),
            _ => Err(format!("unknown format {text:?}; {UNKNOWN}")),
        }
    }

    /// The scale the figures are read in: the scale of the figures themselves for `number`
    /// (which refuses figures of two scales), currency units for the rest.
    fn scale(self, read: &[(&Statement, &LineItem)]) -> Result<Scale, String> {
        if self != Format::Number {
            return Ok(Scale::Actual);
        }
        let mut scales = read.iter().map(|(t, r)| (t, r, t.measure(r).scale()));
        let Some((table, row, first)) = scales.next() else {
            return Ok(Scale::Actual);
        };
        match scales.find(|(_, _, s)| *s != first) {
            None => Ok(first),
            Some((other_table, other_row, other)) => Err(format!(
                "`number` prints figures as their table states them, and {}.{} is in {first} \
                 while {}.{} is in {other}; cite the amount with thousands, millions or billions",
                table.id, row.id, other_table.id, other_row.id
            )),
        }
    }
}

/// A row a citation reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedRow {
    pub table: String,
    pub row: String,
    pub non_gaap: bool,
}

/// One citation, placed in the expanded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited {
    /// Byte range of the replacement in the expanded text.
    pub start: usize,
    pub end: usize,
    pub rows: Vec<CitedRow>,
}

/// Text with its citations replaced by figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    pub cited: Vec<Cited>,
}

/// A citation that cannot be expanded, at a byte offset of the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationError {
    pub offset: usize,
    pub message: String,
}

fn sign_of(value: &Amount) -> bool {
    value.negative || (value.value.is_sign_negative() && !value.value.is_zero())
}

/// Whether `expr` is a ratio: a division, its negation, or a sum or difference of ratios
/// (percentage points), where a percent cell is a ratio too.
fn is_ratio(expr: &Expr, measure: Measure) -> bool {
    match expr {
        Expr::Ref(_) => measure == Measure::Percent,
        Expr::Neg(e) => is_ratio(e, measure),
        Expr::Add(a, b) | Expr::Sub(a, b) => is_ratio(a, measure) && is_ratio(b, measure),
        Expr::Div(..) => true,
    }
}

/// Refuses a figure the format does not print: `dollars` takes per-share amounts,
/// `thousands`, `millions` and `billions` amounts of the currency (in any scale), `percent`
/// ratios from a division; `number` takes anything of one scale.
/// Without this, `{{ operations.revenue | dollars }}` would print "$42,625" for $42.6 million.
fn check_fits(
    format: Format,
    expr: &Expr,
    measure: Measure,
    read: &[(&Statement, &LineItem)],
) -> Result<(), String> {
    let name = |(table, row): &(&Statement, &LineItem)| format!("{}.{}", table.id, row.id);
    if measure == Measure::Percent && matches!(format, Format::Scaled { .. } | Format::Dollars) {
        return Err(
            "it reads percent cells, which `thousands`, `millions`, `billions` and `dollars` \
             do not print: cite a percent with `percent(N)` or `number`"
                .into(),
        );
    }
    match format {
        Format::Number => Ok(()),
        Format::Dollars => {
            if expr.divides() {
                return Err(
                    "`dollars` prints a per-share amount as its table states it, and a \
                     division is a ratio: cite the per-share row, or the ratio with `percent(N)`"
                        .into(),
                );
            }
            match read
                .iter()
                .find(|(table, row)| table.measure(row) != RowMeasure::PerShare)
            {
                Some(other) => Err(format!(
                    "`dollars` prints a per-share amount, and {} is not a per-share row \
                     (kind = \"per_share\"); cite an amount with `millions` or `number`",
                    name(other)
                )),
                None => Ok(()),
            }
        }
        Format::Scaled { scale, .. } => {
            let word = scale.name();
            if expr.divides() {
                return Err(format!(
                    "`{word}` restates an amount, and a division is a ratio: cite it \
                     with `percent(N)`"
                ));
            }
            for read in read {
                let (table, row) = read;
                let what = match table.measure(row) {
                    RowMeasure::Currency(_) => continue,
                    RowMeasure::PerShare => "a per-share amount: cite it with `dollars`",
                    RowMeasure::Shares(_) => "a share count: cite it with `number`",
                    RowMeasure::Count(_) => "a count: cite it with `number`",
                    RowMeasure::Percent => "a percentage: cite it with `number`",
                };
                return Err(format!(
                    "`{word}` restates an amount of the currency, and {} is {what}",
                    name(read)
                ));
            }
            Ok(())
        }
        Format::Percent(_) if is_ratio(expr, measure) => Ok(()),
        Format::Percent(_) => Err(
            "`percent(N)` prints a ratio, which comes from a division, e.g. \
             {{ (operations.revenue - operations.revenue@2005-Q1) / operations.revenue@2005-Q1 | \
             percent(1) }}; this citation does not divide"
                .into(),
        ),
    }
}

fn render(format: Format, value: &Amount, measure: Measure) -> Result<String, String> {
    let negative = sign_of(value);
    let wrap = |magnitude: String, suffix: &str| {
        if negative {
            format!("({magnitude}{suffix})")
        } else {
            format!("{magnitude}{suffix}")
        }
    };
    Ok(match format {
        Format::Scaled {
            scale,
            places,
            capital,
        } => {
            let restated = units::convert(value.value, Scale::Actual, scale)
                .ok_or("the figure has too many decimal places to restate")?;
            let scaled = Amount {
                value: round(restated, places).abs(),
                negative: false,
            };
            let word = scale.name().trim_end_matches('s');
            let word = if capital {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                    .unwrap_or_default()
            } else {
                word.to_string()
            };
            // Thousands separators as in the tables: "$1,234.5 million".
            format!("${}", wrap(format_amount(&scaled), &format!(" {word}")))
        }
        Format::Dollars => {
            let dollars = Amount {
                value: round(value.value, 2).abs(),
                negative: false,
            };
            format!("${}", wrap(format_amount(&dollars), ""))
        }
        Format::Percent(places) => {
            let hundredfold = value
                .value
                .checked_mul(Decimal::ONE_HUNDRED)
                .ok_or("the percentage is too large to represent")?;
            let percent = round(hundredfold, places).abs();
            let percent = Amount {
                value: percent,
                negative: false,
            };
            // Parentheses go around the number, the sign after it: "(5.2)%".
            format!("{}%", wrap(format_amount(&percent), ""))
        }
        // A percent as its table prints it: the ratio's digits two places over, "38.2%".
        Format::Number if measure == Measure::Percent => {
            let percent = value
                .ratio_as_percent()
                .ok_or("the percentage is too large to represent")?;
            format_percent(&Amount {
                value: percent.value,
                negative,
            })
        }
        Format::Number => format_amount(&Amount {
            value: value.value,
            negative,
        }),
    })
}

/// Every row `expr` reads, with its table, in order (a range gives each of its rows).
fn rows_read<'a>(
    expr: &Expr,
    tables: &'a [Statement],
) -> Result<Vec<(&'a Statement, &'a LineItem)>, String> {
    let mut rows = Vec::new();
    for reference in expr.references() {
        let table = tables
            .iter()
            .find(|t| Some(&t.id) == reference.table.as_ref())
            .ok_or("unreachable: the reference was resolved")?;
        let to = reference.to_row.as_deref().unwrap_or(&reference.row);
        let mut inside = false;
        for row in table.all_rows() {
            inside |= *row.id == *reference.row;
            if inside {
                rows.push((table, row));
            }
            if &*row.id == to {
                break;
            }
        }
    }
    Ok(rows)
}

/// Expands one citation's inner text (`expr | format`).
fn expand_one(
    inner: &str,
    tables: &[Statement],
    period: Period,
) -> Result<(String, Vec<CitedRow>), String> {
    let (formula, format) = inner.rsplit_once('|').ok_or(
        "a citation is {{ table-id.row_id | format }}, e.g. {{ operations.revenue | millions }}",
    )?;
    let format = Format::parse(format)?;
    let expr = expr::parse(formula)?;
    // The rows are looked up before the figures are read, to know their scales; an unknown
    // table or row is left to the evaluation, whose message names it.
    let read = rows_read(&expr, tables).unwrap_or_default();
    let scope = Scope {
        tables,
        home: None,
        period,
        scale: format.scale(&read)?,
    };
    let value = scope.eval(&expr).map_err(|e| match e {
        EvalError::NoColumn { table, period } => {
            format!("table {table:?} has no column for {period}")
        }
        EvalError::Invalid(message) => message,
    })?;
    check_fits(format, &expr, value.measure, &read)?;
    let mut text = render(format, &value.amount, value.measure)?;
    let rows: Vec<CitedRow> = read
        .iter()
        .map(|(table, row)| CitedRow {
            table: table.id.clone(),
            row: row.id.to_string(),
            non_gaap: row.non_gaap,
        })
        .collect();
    // A non-GAAP figure links to its reconciliation.
    if let Some(reconciliation) = rows.iter().find(|r| r.non_gaap) {
        text = format!(
            "[{text}](#{} \"A non-GAAP measure: see its reconciliation to GAAP\")",
            reconciliation.table
        );
    }
    Ok((text, rows))
}

/// Replaces every `{{ ... }}` in `text` with its figure.
pub fn expand(
    text: &str,
    tables: &[Statement],
    period: Period,
) -> Result<Expanded, Vec<CitationError>> {
    let mut out = String::with_capacity(text.len());
    let mut cited = Vec::new();
    let mut errors = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find("{{").map(|i| rest + i) {
        out.push_str(&text[rest..open]);
        let Some(close) = text[open..].find("}}").map(|i| open + i) else {
            errors.push(CitationError {
                offset: open,
                message: "a citation `{{` is not closed with `}}`".into(),
            });
            rest = text.len();
            break;
        };
        let inner = &text[open + 2..close];
        match expand_one(inner, tables, period) {
            Ok((figure, rows)) => {
                let start = out.len();
                out.push_str(&figure);
                cited.push(Cited {
                    start,
                    end: out.len(),
                    rows,
                });
            }
            Err(message) => errors.push(CitationError {
                offset: open,
                message: format!("in citation `{{{{{inner}}}}}`: {message}"),
            }),
        }
        rest = close + 2;
    }
    out.push_str(&text[rest..]);
    if errors.is_empty() {
        Ok(Expanded { text: out, cited })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::{Cell, LineItem, RowKind};

    fn row(id: &str, values: &[&str], non_gaap: bool) -> LineItem {
        LineItem {
            id: id.into(),
            label: id.into(),
            kind: if id == "eps" {
                RowKind::PerShare
            } else {
                RowKind::Item
            },
            indent: 0,
            notes: vec![],
            currency: None,
            unit: None,
            scale: None,
            non_gaap,
            comparable: non_gaap.then(|| "net_income".into()),
            values: values.iter().map(|v| v.parse::<Cell>().unwrap()).collect(),
            equals: vec![],
            not_additive: false,
            line: 1,
        }
    }

    fn tables() -> Vec<Statement> {
        vec![
            Statement {
                title: "Operations".into(),
                ..Statement::for_test(
                    "ops",
                    "in thousands, except per share amounts",
                    crate::finance::Scale::Thousands,
                    vec![
                        crate::finance::period::december("2006-Q1"),
                        crate::finance::period::december("2005-Q1"),
                    ],
                    vec![
                        row("revenue", &["42625", "37855"], false),
                        row("direct_cost", &["22217", "19887"], false),
                        row("net_income", &["541", "-570"], false),
                        row("eps", &["0.00", "-0.00"], false),
                        row("assets", &["1234567", "1"], false),
                        row("margin", &["47.9%", "-3.25%"], false),
                        row("growth", &["12.6%", "NM"], false),
                        row("stores", &["3", "blank"], false),
                    ],
                )
            },
            Statement {
                title: "Reconciliation".into(),
                non_gaap: true,
                ..Statement::for_test(
                    "recon",
                    "in thousands",
                    crate::finance::Scale::Thousands,
                    vec![crate::finance::period::december("2006-Q1")],
                    vec![row("adjusted_ebitda", &["5807"], true)],
                )
            },
            Statement {
                title: "Operations of a larger company".into(),
                ..Statement::for_test(
                    "big",
                    "in millions, except shares in thousands and per share amounts",
                    crate::finance::Scale::Millions,
                    vec![crate::finance::period::december("2006-Q1")],
                    vec![
                        row("revenue", &["12345.6"], false),
                        row("net_income", &["-987.5"], false),
                        LineItem {
                            kind: RowKind::Shares,
                            scale: Some(crate::finance::Scale::Thousands),
                            ..row("shares", &["456789"], false)
                        },
                        row("eps", &["-2.16"], false),
                    ],
                )
            },
        ]
    }

    #[test]
    fn any_scale_is_cited_in_any_scale() {
        assert_eq!(cite("{{ big.revenue | billions }}"), "$12.3 billion");
        assert_eq!(cite("{{ big.revenue | billions(2) }}"), "$12.35 billion");
        assert_eq!(cite("{{ big.revenue | Billions }}"), "$12.3 Billion");
        assert_eq!(cite("{{ big.revenue | millions }}"), "$12,345.6 million");
        assert_eq!(
            cite("{{ big.revenue | thousands }}"),
            "$12,345,600 thousand"
        );
        assert_eq!(
            cite("{{ big.net_income | billions(3) }}"),
            "$(0.988 billion)"
        );
        assert_eq!(cite("{{ ops.revenue | thousands }}"), "$42,625 thousand");
        assert_eq!(cite("{{ ops.revenue | millions(2) }}"), "$42.63 million");
        assert_eq!(cite("{{ ops.revenue | billions(4) }}"), "$0.0426 billion");
        // Tables of two scales in one figure: each is restated before the sum.
        assert_eq!(
            cite("{{ big.revenue + ops.revenue | millions }}"),
            "$12,388.2 million"
        );
        assert_eq!(
            cite("{{ ops.revenue / big.revenue | percent(2) }}"),
            "0.35%"
        );
        assert_eq!(cite("{{ big.eps | dollars }}"), "$(2.16)");
        assert_eq!(cite("{{ big.shares | number }}"), "456,789");
        assert_eq!(cite("{{ big.revenue | number }}"), "12,345.6");
    }

    #[test]
    fn number_refuses_figures_of_two_scales_and_scaled_formats_refuse_shares() {
        let err = |text: &str| {
            expand(text, &tables(), crate::finance::period::december("2006-Q1")).unwrap_err()[0]
                .message
                .clone()
        };
        assert_eq!(
            err("{{ big.revenue - big.shares | number }}"),
            "in citation `{{ big.revenue - big.shares | number }}`: `number` prints figures as \
             their table states them, and big.revenue is in millions while big.shares is in \
             thousands; cite the amount with thousands, millions or billions"
        );
        assert!(err("{{ big.shares | millions }}").ends_with(
            "`millions` restates an amount of the currency, and big.shares is a \
                 share count: cite it with `number`"
        ));
    }

    fn cite(text: &str) -> String {
        expand(text, &tables(), crate::finance::period::december("2006-Q1"))
            .unwrap()
            .text
    }

    fn refusal(text: &str) -> String {
        expand(text, &tables(), crate::finance::period::december("2006-Q1"))
            .unwrap_err()
            .remove(0)
            .message
    }

    #[test]
    fn a_percent_cell_is_cited_as_its_ratio_or_as_the_table_prints_it() {
        assert_eq!(cite("{{ ops.margin | percent(1) }}"), "47.9%");
        assert_eq!(cite("{{ ops.margin | percent(0) }}"), "48%");
        assert_eq!(cite("{{ ops.margin@2005-Q1 | percent(1) }}"), "(3.3)%");
        assert_eq!(cite("{{ ops.margin | number }}"), "47.9%");
        assert_eq!(cite("{{ ops.margin@2005-Q1 | number }}"), "(3.25)%");
        // Percentage points: a difference of percents is a ratio too.
        assert_eq!(
            cite("{{ ops.margin - ops.margin@2005-Q1 | percent(2) }}"),
            "51.15%"
        );
        for format in ["millions", "dollars"] {
            let message = refusal(&format!("{{{{ ops.margin | {format} }}}}"));
            assert!(message.contains("reads percent cells"), "{message}");
        }
        let message = refusal("{{ ops.margin + ops.revenue | number }}");
        assert!(message.contains("cannot be added"), "{message}");
    }

    #[test]
    fn markers_are_not_cited() {
        let message = refusal("{{ ops.growth@2005-Q1 | number }}");
        assert!(
            message.contains("ops.growth is not meaningful (NM) for 2005-Q1"),
            "{message}"
        );
        let message = refusal("{{ ops.stores@2005-Q1 | number }}");
        assert!(
            message.contains("ops.stores is blank for 2005-Q1"),
            "{message}"
        );
    }

    #[test]
    fn formats_millions_per_share_percentages_and_numbers() {
        assert_eq!(cite("{{ ops.revenue | millions }}"), "$42.6 million");
        assert_eq!(cite("{{ ops.assets | millions }}"), "$1,234.6 million");
        assert_eq!(cite("{{ ops.revenue | Millions }}"), "$42.6 Million");
        assert_eq!(
            cite("{{ ops.net_income@2005-Q1 | millions }}"),
            "$(0.6 million)"
        );
        assert_eq!(cite("{{ ops.eps@2005-Q1 | dollars }}"), "$(0.00)");
        assert_eq!(cite("{{ -ops.eps@2005-Q1 | dollars }}"), "$0.00");
        assert_eq!(
            cite("{{ (ops.revenue - ops.revenue@2005-Q1) / ops.revenue@2005-Q1 | percent(1) }}"),
            "12.6%"
        );
        assert_eq!(
            cite("{{ (ops.revenue - ops.direct_cost) / ops.revenue | percent(0) }}"),
            "48%"
        );
        assert_eq!(cite("{{ ops.net_income@2005-Q1 | number }}"), "(570)");
        assert_eq!(cite("a {{ops.revenue|number}} b"), "a 42,625 b");
    }

    #[test]
    fn non_gaap_figures_link_to_their_reconciliation() {
        let expanded = expand(
            "EBITDA of {{ recon.adjusted_ebitda | millions }}.",
            &tables(),
            crate::finance::period::december("2006-Q1"),
        )
        .unwrap();
        assert_eq!(
            expanded.text,
            "EBITDA of [$5.8 million](#recon \"A non-GAAP measure: see its reconciliation to GAAP\")."
        );
        assert_eq!(expanded.cited.len(), 1);
        assert!(expanded.cited[0].rows[0].non_gaap);
    }

    #[test]
    fn bad_citations_say_what_is_wrong() {
        let err = |text: &str| {
            expand(text, &tables(), crate::finance::period::december("2006-Q1")).unwrap_err()[0]
                .message
                .clone()
        };
        assert!(err("{{ ops.revenue }}").contains("a citation is"));
        assert!(err("{{ ops.revenue | trillions }}").contains("unknown format"));
        assert!(err("{{ ops.revenue | millions(5) }}").contains("0 to 4 decimal places"));
        assert!(err("{{ ops.revenue | dollars(2) }}").contains("unknown format"));
        assert!(err("{{ ops.nope | millions }}").contains("has no row \"nope\""));
        assert!(err("{{ revenue | millions }}").contains("needs its table"));
        assert!(err("{{ recon.adjusted_ebitda@2005-Q1 | millions }}").contains("no column"));
        assert!(err("{{ ops.eps / ops.revenue | millions }}").contains("a division is a ratio"));
        assert!(err("{{ ops.eps | millions }}").contains("ops.eps is a per-share amount"));
        assert!(err("{{ ops.eps | billions }}").contains("`billions` restates an amount"));
        assert!(err("{{ ops.revenue | dollars }}").contains("ops.revenue is not a per-share"));
        assert!(err("{{ ops.revenue | percent(1) }}").contains("does not divide"));
        assert!(err("{{ ops.revenue - ops.revenue@2005-Q1 | percent(1) }}").contains("ratio"));
        assert!(err("{{ recon.adjusted_ebitda | dollars }}").contains("per-share"));
        assert!(err("x {{ ops.revenue | millions").contains("not closed"));
        assert_eq!(
            expand(
                "x {{ ops.nope | number }}",
                &tables(),
                crate::finance::period::december("2006-Q1")
            )
            .unwrap_err()[0]
                .offset,
            2
        );
    }
}
