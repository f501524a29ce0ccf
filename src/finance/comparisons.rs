//! Checks of the columns a table states from its other columns: comparison columns (change,
//! % change, basis points, % of a row) and relations across members (`member_equals`).
//!
//! A comparison is stated as the release prints it, computed by the company from unrounded
//! amounts, so it is checked against every value its rounded inputs allow. A figure printed
//! with `d` decimals stands for any amount within half a unit of its last decimal (`1,234`
//! for 1,233.5 to 1,234.5; `8.0%` for 7.95% to 8.05%). A stated comparison is verified when
//! some amounts its inputs stand for give a result its own rounding stands for:
//!
//! - change (and sequential change) `a − b`: `|c − (a − b)| ≤ ½a + ½b + ½c`, `½x` being half a
//!   unit of the last decimal of `x`;
//! - basis points of two percentages: `|bp − (a − b) × 100| ≤ (½a + ½b) × 100 + ½bp`;
//! - % change `(a − b) / |b| × 100` and % of a row `x / base × 100`: the least and greatest
//!   result over the corners of the inputs' ranges (each result is monotonic in each input
//!   where the divisor keeps its sign) must reach the stated figure's own range.
//!
//! A percent cell ("8.0%") is read as the number it prints (8.0). Nil is zero, exactly. A
//! comparison that cannot be recomputed (stated N/A, not meaningful or blank, an input that is
//! one of those, a divisor whose range reaches zero) is not verified and is left
//! listed by `check --verbose`. Arithmetic is exact `Decimal`, checked: an overflow
//! is a finding, never a panic. A verified comparison ties its stated figure (not its inputs,
//! which the allowance for rounding leaves free by a unit).
//!
//! A change, % change or basis points compare two figures of one row, and a relation across
//! members the figures of one row, all in the row's scale, so nothing is converted; a % of a
//! row divides by another row, which may be in another scale (shares in thousands in a table
//! in millions): both figures are first restated exactly in the finer scale
//! ([`units::convert`]), with the rounding they stand for.
//!
//! A relation across members (`consolidated = "domestic + canada"`) holds for every row with
//! figures and every period with a column for each member it names, exactly, or within the
//! table's `tolerance`; it ties the figures it reads like any other exact relation.

use rust_decimal::Decimal;

use super::amount::{Amount, Cell};
use super::column::{ColumnKind, Comparison, MemberRelation};
use super::expr::LIMIT;
use super::format::{format_amount, format_cell, round};
use super::relations::{Approximate, Audit, Finding};
use super::statement::{LineItem, Statement};
use super::units::{self, Scale};

/// A figure as the check reads it: its value and half a unit of its last decimal.
#[derive(Debug, Clone, Copy)]
struct Figure {
    value: Decimal,
    half: Decimal,
}

/// Half a unit of the last of `scale` decimals (5 × 10^-(scale+1)); at the most decimals a
/// `Decimal` holds, its smallest step, which errs on the side of accepting by 10^-28.
fn half_unit(scale: u32) -> Decimal {
    Decimal::try_new(5, scale + 1).unwrap_or(Decimal::new(1, 28))
}

/// What a cell gives a check: a figure, or why it gives none.
fn figure(cell: &Cell) -> Result<Figure, &'static str> {
    match cell {
        // A percent is compared as the number it prints: "8.0%" is 8.0 give or take 0.05.
        Cell::Amount(a) | Cell::Percent(a) => Ok(Figure {
            value: a.value,
            half: half_unit(a.value.scale()),
        }),
        Cell::Nil => Ok(Figure {
            value: Decimal::ZERO,
            half: Decimal::ZERO,
        }),
        Cell::NotApplicable => Err("N/A"),
        Cell::NotMeaningful(_) => Err("not meaningful"),
        Cell::Blank => Err("blank"),
        Cell::Missing => Err("not filled in"),
    }
}

/// The outcome of checking one stated comparison.
enum Outcome {
    Verified,
    /// Cannot be recomputed: `check --verbose` lists it.
    Unverifiable,
    /// The stated figure and the figure the inputs give, rounded as stated.
    Mismatch(Decimal),
    Overflow,
}

fn overflow<T>(value: Option<T>) -> Result<T, Outcome> {
    value.ok_or(Outcome::Overflow)
}

/// `|stated − computed| ≤ allowance`.
fn within(stated: Decimal, computed: Decimal, allowance: Decimal) -> Result<bool, Outcome> {
    let gap = overflow(stated.checked_sub(computed))?.abs();
    Ok(gap <= allowance)
}

/// `a − b` against a stated change `c`.
fn change(c: Figure, a: Figure, b: Figure) -> Result<Outcome, Outcome> {
    let computed = overflow(a.value.checked_sub(b.value))?;
    let allowance = overflow(
        a.half
            .checked_add(b.half)
            .and_then(|s| s.checked_add(c.half)),
    )?;
    Ok(match within(c.value, computed, allowance)? {
        true => Outcome::Verified,
        false => Outcome::Mismatch(round(computed, c.value.scale())),
    })
}

/// `(a − b) × 100` against stated basis points.
fn basis_points(bp: Figure, a: Figure, b: Figure) -> Result<Outcome, Outcome> {
    let hundred = Decimal::ONE_HUNDRED;
    let computed = overflow(
        a.value
            .checked_sub(b.value)
            .and_then(|d| d.checked_mul(hundred)),
    )?;
    let allowance = overflow(
        a.half
            .checked_add(b.half)
            .and_then(|s| s.checked_mul(hundred))
            .and_then(|s| s.checked_add(bp.half)),
    )?;
    Ok(match within(bp.value, computed, allowance)? {
        true => Outcome::Verified,
        false => Outcome::Mismatch(round(computed, bp.value.scale())),
    })
}

/// A ratio `f(x, d)` checked over the corners of the ranges of `x` and of the divisor `d`
/// (each in its range, the divisor's range clear of zero).
fn ratio(
    stated: Figure,
    x: Figure,
    d: Figure,
    f: impl Fn(Decimal, Decimal) -> Option<Decimal>,
) -> Result<Outcome, Outcome> {
    let (d_low, d_high) = (
        overflow(d.value.checked_sub(d.half))?,
        overflow(d.value.checked_add(d.half))?,
    );
    if d_low <= Decimal::ZERO && d_high >= Decimal::ZERO {
        return Ok(Outcome::Unverifiable);
    }
    let xs = [
        overflow(x.value.checked_sub(x.half))?,
        overflow(x.value.checked_add(x.half))?,
    ];
    let mut low: Option<Decimal> = None;
    let mut high: Option<Decimal> = None;
    for x in xs {
        for d in [d_low, d_high] {
            let v = overflow(f(x, d))?;
            low = Some(low.map_or(v, |l| l.min(v)));
            high = Some(high.map_or(v, |h| h.max(v)));
        }
    }
    let (Some(low), Some(high)) = (low, high) else {
        return Ok(Outcome::Unverifiable);
    };
    let reaches = high >= overflow(stated.value.checked_sub(stated.half))?
        && low <= overflow(stated.value.checked_add(stated.half))?;
    Ok(match reaches {
        true => Outcome::Verified,
        false => {
            let computed = overflow(f(x.value, d.value))?;
            Outcome::Mismatch(round(computed, stated.value.scale()))
        }
    })
}

/// `figure`, stated in `from`, restated exactly in `to` with its rounding; an overflow when it
/// cannot be held.
fn in_scale(figure: Figure, from: Scale, to: Scale) -> Result<Figure, Outcome> {
    Ok(Figure {
        value: overflow(units::convert(figure.value, from, to))?,
        half: overflow(units::convert(figure.half, from, to))?,
    })
}

/// The column of figures of `period` for `member`.
fn figures_column(
    table: &Statement,
    member: Option<usize>,
    period: &super::period::Period,
) -> Option<usize> {
    table
        .columns
        .iter()
        .position(|c| c.member == member && c.figures_period() == Some(period))
}

/// Checks one comparison cell of `row`; `c` is its column.
fn check_cell(table: &Statement, row: &LineItem, c: usize) -> Result<Outcome, Outcome> {
    let column = &table.columns[c];
    let ColumnKind::Comparison { comparison, of, .. } = &column.kind else {
        return Ok(Outcome::Unverifiable);
    };
    let Ok(stated) = figure(&row.values[c]) else {
        return Ok(Outcome::Unverifiable);
    };
    let cell_of = |period| {
        let index = figures_column(table, column.member, period)?;
        figure(row.values.get(index)?).ok()
    };
    if let Comparison::PercentOf(base_row) = comparison {
        let index = figures_column(table, column.member, &of[0]);
        let Some(base_row) = table.all_rows().find(|r| *r.id == **base_row) else {
            return Ok(Outcome::Unverifiable);
        };
        let base = index.and_then(|i| figure(base_row.values.get(i)?).ok());
        let (Some(x), Some(base)) = (cell_of(&of[0]), base) else {
            return Ok(Outcome::Unverifiable);
        };
        // Two rows may differ in scale (a row in thousands of a total in millions): both are
        // restated exactly in the finer before dividing, their rounding with them.
        let (from_x, from_base) = (table.measure(row).scale(), table.measure(base_row).scale());
        let to = from_x.min(from_base);
        let (x, base) = (in_scale(x, from_x, to)?, in_scale(base, from_base, to)?);
        return ratio(stated, x, base, |x, d| {
            x.checked_div(d)?.checked_mul(Decimal::ONE_HUNDRED)
        });
    }
    let (Some(a), Some(b)) = (cell_of(&of[0]), cell_of(&of[1])) else {
        return Ok(Outcome::Unverifiable);
    };
    match comparison {
        Comparison::Change | Comparison::SequentialChange => change(stated, a, b),
        Comparison::BasisPoints => basis_points(stated, a, b),
        // (a − b) / |b| × 100, the range of `a` standing in for that of `a − b`'s numerator.
        Comparison::PercentChange => ratio(stated, a, b, |a, b| {
            a.checked_sub(b)?
                .checked_div(b.abs())?
                .checked_mul(Decimal::ONE_HUNDRED)
        }),
        Comparison::PercentOf(_) => Ok(Outcome::Unverifiable),
    }
}

/// Checks every comparison column and every relation across members of table `t`.
pub fn verify(tables: &[Statement], t: usize, audit: &mut Audit) {
    let table = &tables[t];
    for (r, row) in table.all_rows().enumerate() {
        if row.values.len() != table.columns.len() {
            continue;
        }
        for (c, column) in table.columns.iter().enumerate() {
            if !column.is_comparison() {
                continue;
            }
            let outcome = check_cell(table, row, c).unwrap_or_else(|o| o);
            let finding = |message: String| Finding {
                table: t,
                line: row.line,
                message: format!("{}, {}: {message}", row.id, table.column_phrase(column)),
            };
            match outcome {
                Outcome::Verified => {
                    audit.tied.insert((t, r, c));
                    audit.comparisons_verified += 1;
                }
                Outcome::Unverifiable => audit.comparisons_unverified.push((t, r, c)),
                Outcome::Mismatch(computed) => audit.findings.push(finding(format!(
                    "the table states {} but its columns give {} (allowing for the rounding of \
                     each figure)",
                    format_cell(&row.values[c]),
                    match row.values[c] {
                        Cell::Percent(_) => format_cell(&Cell::Percent(Amount::new(computed))),
                        _ => format_amount(&Amount::new(computed)),
                    },
                ))),
                Outcome::Overflow => audit
                    .findings
                    .push(finding(format!("the comparison overflows ({LIMIT})"))),
            }
        }
        for relation in &table.members.relations {
            verify_member_relation(table, t, (r, row), relation, audit);
        }
    }
}

/// Checks `relation` for one row, at every period with a column for each member it names.
fn verify_member_relation(
    table: &Statement,
    t: usize,
    (r, row): (usize, &LineItem),
    relation: &MemberRelation,
    audit: &mut Audit,
) {
    for (c, column) in table.columns.iter().enumerate() {
        let Some(period) = column.figures_period() else {
            continue;
        };
        if column.member != relation.stated {
            continue;
        }
        let columns: Option<Vec<(usize, bool)>> = relation
            .terms
            .iter()
            .map(|(member, negative)| Some((figures_column(table, *member, period)?, *negative)))
            .collect();
        let Some(columns) = columns else {
            continue;
        };
        let at = |message: String| Finding {
            table: t,
            line: row.line,
            message: format!(
                "{}, {}: member_equals `{}`: {message}",
                row.id,
                table.column_phrase(column),
                relation.text
            ),
        };
        let value = |cell: &Cell| match cell {
            Cell::Amount(a) => Some(a.value),
            Cell::Nil => Some(Decimal::ZERO),
            _ => None,
        };
        let Some(stated) = value(&row.values[c]) else {
            continue;
        };
        let mut sum = Decimal::ZERO;
        let mut read = Vec::with_capacity(columns.len());
        for (index, negative) in &columns {
            let Some(v) = value(&row.values[*index]) else {
                audit.findings.push(at(format!(
                    "the {} figure is {}, so the relation cannot hold; a row it does not apply \
                     to has no figures for these members",
                    table.columns[*index].member.map_or("total", |_| "member"),
                    format_cell(&row.values[*index]),
                )));
                return;
            };
            let next = if *negative {
                sum.checked_sub(v)
            } else {
                sum.checked_add(v)
            };
            let Some(next) = next else {
                audit
                    .findings
                    .push(at(format!("the sum overflows ({LIMIT})")));
                return;
            };
            sum = next;
            read.push((t, r, *index));
        }
        if sum == stated {
            audit.tied.insert((t, r, c));
            audit.tied.extend(read);
            continue;
        }
        let difference = (stated - sum).abs();
        match table.tolerance {
            Some(tolerance) if difference <= tolerance => {
                let note = format!(
                    "{}, {}: member_equals `{}` gives {} but the row states {} (difference {}, \
                     within the table's tolerance of {tolerance})",
                    row.id,
                    table.column_phrase(column),
                    relation.text,
                    format_amount(&Amount::new(sum)),
                    format_amount(&Amount::new(stated)),
                    difference
                );
                for cell in std::iter::once((t, r, c)).chain(read) {
                    audit.within.entry(cell).or_insert_with(|| Approximate {
                        tolerance,
                        note: note.clone(),
                    });
                }
            }
            _ => audit.findings.push(at(format!(
                "the members give {} but the row states {} (difference {difference})",
                format_amount(&Amount::new(sum)),
                format_amount(&Amount::new(stated)),
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(text: &str) -> Figure {
        figure(&text.parse::<Cell>().unwrap()).unwrap()
    }

    fn verified(outcome: Result<Outcome, Outcome>) -> bool {
        matches!(outcome.unwrap_or_else(|o| o), Outcome::Verified)
    }

    #[test]
    fn a_change_is_verified_within_the_rounding_of_its_inputs() {
        assert!(verified(change(f("100"), f("1100"), f("1000"))));
        // 1,100 and 1,000 may be 1,100.4 and 999.6: a change of 101 is possible, 102 is not.
        assert!(verified(change(f("101"), f("1100"), f("1000"))));
        assert!(!verified(change(f("102"), f("1100"), f("1000"))));
        assert!(!verified(change(f("-100"), f("1100"), f("1000"))));
        assert!(verified(change(f("0.5"), f("1.25"), f("0.75"))));
        assert!(matches!(
            change(f("103"), f("1100"), f("1000")).unwrap_or_else(|o| o),
            Outcome::Mismatch(c) if c == Decimal::ONE_HUNDRED
        ));
    }

    #[test]
    fn a_percent_change_is_verified_over_the_range_of_its_inputs() {
        // (110 − 100) / 100 = 10%; 109.5..110.5 over 99.5..100.5 gives 8.96%..11.06%.
        assert!(verified(ratio_change("10.0", "110", "100")));
        assert!(verified(ratio_change("11", "110", "100")));
        assert!(!verified(ratio_change("11.5", "110", "100")));
        assert!(!verified(ratio_change("-10", "110", "100")));
        // A fall from a negative base: (−50 − (−100)) / |−100| = 50%.
        assert!(verified(ratio_change("50", "-50", "-100")));
        // A base whose range reaches zero cannot be divided by.
        assert!(matches!(
            ratio_change("5", "1", "0").unwrap_or_else(|o| o),
            Outcome::Unverifiable
        ));
    }

    fn ratio_change(stated: &str, a: &str, b: &str) -> Result<Outcome, Outcome> {
        ratio(f(stated), f(a), f(b), |a, b| {
            a.checked_sub(b)?
                .checked_div(b.abs())?
                .checked_mul(Decimal::ONE_HUNDRED)
        })
    }

    #[test]
    fn basis_points_allow_for_the_rounding_of_two_percentages() {
        // 12.5% − 11.0% = 150 bp; each percentage may be 0.05 off: 140..160 bp.
        assert!(verified(basis_points(f("150"), f("12.5"), f("11.0"))));
        assert!(verified(basis_points(f("160"), f("12.5"), f("11.0"))));
        assert!(!verified(basis_points(f("161"), f("12.5"), f("11.0"))));
    }

    #[test]
    fn a_percent_of_a_row_in_another_scale_divides_figures_restated_exactly() {
        // Revenue 12.5 million; a row in thousands, 3,125 thousand, is 25.0% of it (read
        // without restating, 3,125 / 12.5 would be 25,000%).
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("expenses.toml");
        let table = |stated: &str| {
            std::fs::write(
                &path,
                format!(
                    "title = \"Costs\"\nunits = \"in millions\"\nscale = \"millions\"\n\
                     columns = [\"2024-Q2\", {{ percent_of = \"revenue\", period = \"2024-Q2\" }}]\n\n\
                     [[rows]]\nid = \"revenue\"\nlabel = \"Revenue\"\nvalues = [\"12.5\", \"100.0%\"]\n\n\
                     [[rows]]\nid = \"fees\"\nlabel = \"Fees\"\nscale = \"thousands\"\n\
                     values = [\"3125\", \"{stated}\"]\n"
                ),
            )
            .unwrap();
            crate::content::load_statement(&path, &Default::default()).unwrap()
        };
        let t = table("25.0%");
        assert!(verified(check_cell(&t, &t.rows[1], 1)));
        assert!(verified(check_cell(&t, &t.rows[0], 1)));
        // Revenue stands for 12.45 to 12.55 million: 24.90% to 25.10%, so 25.2% is refused.
        let t = table("25.2%");
        assert!(matches!(
            check_cell(&t, &t.rows[1], 1).unwrap_or_else(|o| o),
            Outcome::Mismatch(computed) if computed == Decimal::new(250, 1)
        ));
    }

    #[test]
    fn overflow_is_an_outcome_not_a_panic() {
        let max = Figure {
            value: Decimal::MAX,
            half: Decimal::ONE,
        };
        let min = Figure {
            value: Decimal::MIN,
            half: Decimal::ONE,
        };
        assert!(matches!(
            change(f("1"), max, min).unwrap_or_else(|o| o),
            Outcome::Overflow
        ));
        assert!(matches!(
            basis_points(f("1"), max, min).unwrap_or_else(|o| o),
            Outcome::Overflow
        ));
    }
}
