//! Relations declared in the data (`equals = "..."` on a row), verified exactly, per column.
//!
//! A row states how it follows from other rows: a subtotal from its components, a tie to the
//! same measure in another table, a per-share figure from net income and shares. Each relation
//! is computed with `Decimal` for every column of the row's table (or the columns its
//! `"2005-Q1: ..."` prefix names) and compared exactly. A relation that divides is rounded to
//! the decimal places the row states, half away from zero, before comparison.
//!
//! Figures of different scales are brought to the scale of the row that states the relation
//! before any arithmetic, exactly (see [`super::units`]): a row in millions that sums rows in
//! thousands, earnings per share (in dollars) from net income in millions and shares in
//! thousands. A relation that reads a figure of a finer scale than its row's is rounded to the
//! row's decimal places, as a division is. A division that misses when rounded is checked once
//! more allowing for the rounding of every figure it reads and of the stated figure: each
//! stated figure lies within half a unit of its last decimal place (a loss stated "(0.00)"
//! between -0.005 and 0), and the relation holds if some values within those bounds agree.
//! That is how a company computes earnings per share, from unrounded net income and shares. A tie to another
//! table applies to the periods both tables have; one that applies to none is an error. A
//! relation that reads the very figure it states (its row, its column) is an error: it would
//! hold whatever the figure is.
//!
//! A figure is *tied* when a relation would catch any change to it: the stated figure of every
//! relation, and every figure an exact (non-dividing) relation reads. The figures of a division
//! (shares, say) are not: a change of one share rarely changes a rounded per-share amount.
//!
//! A table may declare a tolerance (`tolerance = "1"`, in its units), as a table in millions
//! whose every figure the company rounded from unrounded amounts misses by a unit now and then.
//! A relation of such a table that misses by no more than the tolerance is accepted, but its
//! figures are not tied, even where another relation covers them exactly: they are counted
//! apart, each with the difference, so that no difference passes unseen. A tolerance never
//! applies to a division or to a per-share row.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::amount::{Amount, Cell};
use super::expr::{self, CellId, EvalError, Expr, Measure, PeriodRef, Scope};
use super::format::{format_amount, format_percent, round};
use super::period::{Period, PeriodName};
use super::statement::{LineItem, RowKind, Statement};

/// How a row follows from other figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// As written, for messages.
    pub text: String,
    /// The columns it applies to; empty means every column.
    pub periods: Vec<PeriodName>,
    pub expr: Expr,
}

impl FromStr for Relation {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (periods, formula) = match text.split_once(':') {
            Some((periods, formula)) => {
                let periods = periods
                    .split(',')
                    .map(|p| p.trim().parse::<PeriodName>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("before `:` come the periods it applies to: {e}"))?;
                (periods, formula)
            }
            None => (Vec::new(), text),
        };
        let expr = expr::parse(formula).map_err(|e| format!("in `equals = {text:?}`: {e}"))?;
        Ok(Relation {
            text: formula.trim().to_string(),
            periods,
            expr,
        })
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A relation that does not hold, or cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the table in the release.
    pub table: usize,
    pub line: usize,
    pub message: String,
}

/// The result of verifying one release's tables.
#[derive(Debug, Default)]
pub struct Audit {
    pub findings: Vec<Finding>,
    /// Every figure (every cell that is not N/A).
    pub figures: Vec<CellId>,
    pub tied: BTreeSet<CellId>,
    /// Figures in a relation that holds only within its table's tolerance (none of them in
    /// `tied`, though another relation may cover them exactly).
    pub within: BTreeMap<CellId, Approximate>,
    /// How many stated comparisons (change, % change, basis points, % of a row) were
    /// recomputed and verified.
    pub comparisons_verified: usize,
    /// The stated comparisons that could not be recomputed (not meaningful, N/A, blank, an
    /// input that is one of those, a base whose range reaches zero), in table order.
    pub comparisons_unverified: Vec<CellId>,
}

/// What a figure tied only within a tolerance was compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approximate {
    pub tolerance: Decimal,
    /// The comparison and its difference, as a message would put it.
    pub note: String,
}

impl Audit {
    /// The figures no relation covers, exactly or within a tolerance, in table order.
    pub fn untied(&self) -> impl Iterator<Item = &CellId> {
        self.figures
            .iter()
            .filter(|c| !self.tied.contains(c) && !self.within.contains_key(c))
    }
}

/// The tolerance within which `row` of `table` accepts a relation that misses by `difference`,
/// if it does.
fn tolerated(
    table: &Statement,
    row: &LineItem,
    divides: bool,
    difference: Difference,
) -> Option<Decimal> {
    let tolerance = table.tolerance?;
    match difference {
        Difference::By(d) if !divides && row.kind != RowKind::PerShare && d.value <= tolerance => {
            Some(tolerance)
        }
        _ => None,
    }
}

/// "three months ended March 31, 2006", as used in messages.
pub fn period_phrase(period: &Period) -> String {
    let label = period.long_label();
    match period.is_instant() {
        true => label,
        false => {
            let mut chars = label.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

fn describe(relation: &Relation, home: &Statement, computed: &str) -> String {
    let local =
        relation.expr.references().iter().all(|r| {
            r.table.as_deref().is_none_or(|t| t == home.id) && r.period == PeriodRef::Same
        });
    if relation.expr.divides() {
        format!("{relation} rounds to {computed}")
    } else if local && !matches!(&relation.expr, Expr::Ref(r) if r.to_row.is_none()) {
        format!("components sum to {computed}")
    } else {
        format!("{relation} is {computed}")
    }
}

/// How far a stated figure lies from the figure computed for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Difference {
    /// The same digits, opposite signs: "(0.00)" stated where "0.00" is computed.
    Sign,
    By(Amount),
    /// Further apart than a figure can hold.
    Overflow,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Sign => f.write_str("the sign differs"),
            Difference::By(amount) => write!(f, "difference {}", format_amount(amount)),
            Difference::Overflow => f.write_str("the difference is larger than a figure can hold"),
        }
    }
}

pub(super) fn difference(stated: Decimal, computed: Decimal) -> Difference {
    match stated.checked_sub(computed) {
        Some(d) if d.is_zero() => Difference::Sign,
        Some(d) => Difference::By(Amount::new(d.abs())),
        None => Difference::Overflow,
    }
}

/// Compares a stated figure with a computed one; `None` when they agree, else the computed
/// figure as compared (rounded for a division) and how far apart they are.
fn disagreement(stated: &Amount, computed: &Amount, divides: bool) -> Option<(Amount, Difference)> {
    if divides {
        let rounded = Amount {
            value: round(computed.value, stated.value.scale()),
            negative: computed.value.is_sign_negative() && !computed.value.is_zero(),
        };
        let agrees = rounded.value == stated.value && rounded.negative == stated.negative;
        (!agrees).then(|| (rounded, difference(stated.value, rounded.value)))
    } else {
        (computed.value != stated.value)
            .then(|| (*computed, difference(stated.value, computed.value)))
    }
}

/// Whether some values within the rounding of the figures `expr` reads give a figure that
/// rounds to `stated` (see the module's documentation).
fn within_rounding(scope: &Scope, expr: &Expr, stated: &Amount) -> bool {
    let Ok(Some((low, high))) = scope.bounds(expr) else {
        return false;
    };
    let half = Decimal::new(5, stated.value.scale() + 1);
    let (stated_low, stated_high) = if stated.value.is_zero() {
        // "(0.00)" is a loss that rounds to zero, "0.00" is not a loss.
        if stated.negative {
            (-half, Decimal::ZERO)
        } else {
            (Decimal::ZERO, half)
        }
    } else {
        match stated
            .value
            .checked_sub(half)
            .zip(stated.value.checked_add(half))
        {
            Some(bounds) => bounds,
            None => return false,
        }
    };
    low <= stated_high && high >= stated_low
}

struct RowContext<'a> {
    tables: &'a [Statement],
    table: usize,
    row_index: usize,
    row: &'a LineItem,
}

fn verify_relation(context: &RowContext, relation: &Relation, audit: &mut Audit) {
    let table = &context.tables[context.table];
    let row = context.row;
    // "net_cash_operating, three months ended March 31, 2006: ..." or "net_cash_operating: ...".
    let finding = |message: String| Finding {
        table: context.table,
        line: row.line,
        message: format!(
            "{}{}{message}",
            row.id,
            if message.starts_with('`') { ": " } else { ", " }
        ),
    };
    let mut applied = 0;
    for (column, period) in table.consolidated() {
        if !relation.periods.is_empty() && !relation.periods.contains(&period.name()) {
            continue;
        }
        // Only a finding needs the period in words.
        let phrase = || period_phrase(period);
        // A percent is stated as its ratio, which is what expressions compute.
        let (stated, percent) = match row.values.get(column) {
            Some(Cell::Amount(a)) => (*a, false),
            Some(Cell::Percent(p)) => (p.percent_ratio(), true),
            Some(Cell::Nil) => (Amount::new(Decimal::ZERO), false),
            // Reported by the audit, which verifies no relation until every figure is in.
            Some(Cell::Missing) => continue,
            // Not numbers: as for N/A, the relation names the periods it applies to.
            Some(cell @ (Cell::NotApplicable | Cell::NotMeaningful(_) | Cell::Blank)) => {
                audit.findings.push(finding(format!(
                    "{}: the row is {}, so `equals = {:?}` cannot hold; name the periods \
                     it applies to, e.g. `equals = \"{}: {relation}\"`",
                    phrase(),
                    expr::not_a_number(cell),
                    relation.text,
                    other_period(table, period)
                )));
                continue;
            }
            None => {
                audit.findings.push(finding(format!(
                    "{}: the row is N/A, so `equals = {:?}` cannot hold; name the periods \
                     it applies to, e.g. `equals = \"{}: {relation}\"`",
                    phrase(),
                    relation.text,
                    other_period(table, period)
                )));
                continue;
            }
        };
        let scope = Scope {
            tables: context.tables,
            home: Some(context.table),
            period: *period,
            scale: table.measure(row).scale(),
        };
        let value = match scope.eval(&relation.expr) {
            Ok(value) => value,
            Err(EvalError::NoColumn { .. }) => continue,
            Err(EvalError::Invalid(message)) => {
                let hint = if message.contains("N/A")
                    || message.contains("not meaningful")
                    || message.contains(" is blank for ")
                {
                    format!(
                        "; name the periods it applies to, e.g. `equals = \"{}: {relation}\"`",
                        other_period(table, period)
                    )
                } else {
                    String::new()
                };
                audit.findings.push(finding(format!(
                    "{}: `equals = {:?}`: {message}{hint}",
                    phrase(),
                    relation.text
                )));
                return;
            }
        };
        let cell = (context.table, context.row_index, column);
        // A relation over its own figure holds whatever the figure is, and would tie it.
        if value.cells.contains(&cell) {
            audit.findings.push(finding(format!(
                "{}: `equals = {:?}` reads the row's own figure, so it would hold whatever the \
                 figure is; a relation states the row from other figures (the row itself at \
                 another period, as in {}@{}, is fine)",
                phrase(),
                relation.text,
                row.id,
                other_period(table, period).name()
            )));
            return;
        }
        // A percent equals a ratio or other percents; an amount is no percent.
        let mismatched = match value.measure {
            Measure::Amount if percent => Some(
                "the row states a percent, and it computes an amount: a percent row equals a \
                 ratio (a division such as `gross_profit / revenue`) or other percents",
            ),
            Measure::Percent if !percent && !matches!(row.values.get(column), Some(Cell::Nil)) => {
                Some("the row states an amount, and it computes a percent")
            }
            _ => None,
        };
        if let Some(why) = mismatched {
            audit.findings.push(finding(format!(
                "{}: `equals = {:?}`: {why}",
                phrase(),
                relation.text
            )));
            continue;
        }
        applied += 1;
        let divides = relation.expr.divides();
        let rounds = divides || value.finer;
        let miss = disagreement(&stated, &value.amount, rounds)
            .filter(|_| !(divides && within_rounding(&scope, &relation.expr, &stated)));
        let Some((computed, difference)) = miss else {
            audit.tied.insert(cell);
            if !rounds {
                audit.tied.extend(value.cells.iter().copied());
            }
            continue;
        };
        let shown = |figure: &Amount| match percent {
            true => format_percent(&figure.ratio_as_percent().unwrap_or(*figure)),
            false => format_amount(figure),
        };
        let mismatch = format!(
            "{}: {} but the row states {}",
            phrase(),
            describe(relation, table, &shown(&computed)),
            shown(&stated),
        );
        // A tolerance is in the table's units, which a percent is not.
        match tolerated(table, row, divides || percent, difference) {
            Some(tolerance) => {
                let note = format!(
                    "{}, {mismatch} ({difference}, within the table's tolerance of {tolerance})",
                    row.id
                );
                let read = value.cells.iter().copied();
                for cell in std::iter::once(cell).chain(read) {
                    audit.within.entry(cell).or_insert_with(|| Approximate {
                        tolerance,
                        note: note.clone(),
                    });
                }
            }
            None => audit
                .findings
                .push(finding(format!("{mismatch} ({difference})"))),
        }
    }
    if table.consolidated().next().is_none() {
        audit.findings.push(finding(format!(
            "`equals = {:?}` reads the columns without a member, and this table has none: \
             relate its members with member_equals",
            relation.text
        )));
    } else if applied == 0 {
        audit.findings.push(finding(format!(
            "`equals = {:?}` applies to no column: the tables it reads share none of this \
             table's periods ({})",
            relation.text,
            table
                .consolidated()
                .map(|(_, p)| p.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
}

/// A period of the table other than `period`, for hints.
fn other_period(table: &Statement, period: &Period) -> Period {
    table
        .consolidated()
        .map(|(_, p)| p)
        .find(|p| *p != period)
        .copied()
        .unwrap_or(*period)
}

/// Verifies every relation of a release's tables and measures how many figures they cover.
pub fn verify(tables: &[Statement]) -> Audit {
    let mut audit = Audit::default();
    for (t, table) in tables.iter().enumerate() {
        for (r, row) in table.all_rows().enumerate() {
            for (c, cell) in row.values.iter().enumerate() {
                if cell.is_figure() {
                    audit.figures.push((t, r, c));
                }
            }
            let context = RowContext {
                tables,
                table: t,
                row_index: r,
                row,
            };
            for relation in &row.equals {
                verify_relation(&context, relation, &mut audit);
            }
        }
        super::comparisons::verify(tables, t, &mut audit);
    }
    // A figure in a difference a tolerance accepted is not tied, whatever else ties it: no
    // difference goes unseen.
    let Audit { tied, within, .. } = &mut audit;
    tied.retain(|cell| !within.contains_key(cell));
    audit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::Scale;

    #[test]
    fn a_relation_may_name_its_periods() {
        let r: Relation = "2005-Q1, 2006-Q1: net_income - stock_based_compensation"
            .parse()
            .unwrap();
        assert_eq!(r.periods.len(), 2);
        assert_eq!(r.text, "net_income - stock_based_compensation");
        assert!("2005-Q9: a".parse::<Relation>().is_err());
        assert!("a -".parse::<Relation>().is_err());
    }

    #[test]
    fn division_compares_at_the_stated_places_with_the_stated_sign() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let stated = |s: &str| *s.parse::<Cell>().unwrap().amount().unwrap();
        // -570 / 338,199 = -0.0017: "(0.00)", not "0.00".
        let eps = Amount::new(d("-570") / d("338199"));
        assert_eq!(disagreement(&stated("-0.00"), &eps, true), None);
        assert!(disagreement(&stated("0.00"), &eps, true).is_some());
        assert!(disagreement(&stated("-0.01"), &eps, true).is_some());
        // 2,048 / 344,567 = 0.0059 rounds up to 0.01.
        let pro_forma = Amount::new(d("2048") / d("344567"));
        assert_eq!(disagreement(&stated("0.01"), &pro_forma, true), None);
        // Exact relations compare exactly, whatever the scale.
        assert_eq!(
            disagreement(&stated("5541"), &Amount::new(d("5541.00")), false),
            None
        );
        let (computed, difference) =
            disagreement(&stated("5541"), &Amount::new(d("5540")), false).unwrap();
        assert_eq!(format_amount(&computed), "5,540");
        assert_eq!(difference.to_string(), "difference 1");
        let (_, sign) = disagreement(&stated("0.00"), &eps, true).unwrap();
        assert_eq!(sign, Difference::Sign);
        let (_, overflow) = disagreement(
            &stated("79228162514264337593543950335"),
            &Amount::new(Decimal::MIN),
            false,
        )
        .unwrap();
        assert_eq!(overflow, Difference::Overflow);
    }

    /// A one-column table of 2006-Q1 with the given rows (id, kind, figure, relation).
    fn table(tolerance: Option<&str>, rows: &[(&str, RowKind, &str, Option<&str>)]) -> Statement {
        let line_item =
            |(i, &(id, kind, figure, equals)): (usize, &(&str, RowKind, &str, Option<&str>))| {
                LineItem {
                    equals: equals
                        .map(|e| std::sync::Arc::new(e.parse::<Relation>().unwrap()))
                        .into_iter()
                        .collect(),
                    ..LineItem::for_test(id, kind, &[figure], i + 1)
                }
            };
        Statement {
            title: "Operations".into(),
            tolerance: tolerance.map(|t| t.parse().unwrap()),
            ..Statement::for_test(
                "operations",
                "in millions",
                crate::finance::Scale::Millions,
                vec![crate::finance::period::december("2006-Q1")],
                rows.iter().enumerate().map(line_item).collect(),
            )
        }
    }

    const SUBTOTAL: [(&str, RowKind, &str, Option<&str>); 3] = [
        ("a", RowKind::Item, "10", None),
        ("b", RowKind::Item, "20", None),
        ("total", RowKind::Subtotal, "31", Some("a..b")),
    ];

    #[test]
    fn a_miss_within_the_tables_tolerance_is_accepted_but_not_tied() {
        let audit = verify(&[table(Some("1"), &SUBTOTAL)]);
        assert_eq!(audit.findings, []);
        assert!(audit.tied.is_empty(), "{:?}", audit.tied);
        assert_eq!(
            audit.within.keys().copied().collect::<Vec<_>>(),
            [(0, 0, 0), (0, 1, 0), (0, 2, 0)],
            "the stated figure and both it reads"
        );
        assert_eq!(audit.untied().count(), 0);
        let approximate = &audit.within[&(0, 2, 0)];
        assert_eq!(approximate.tolerance, Decimal::ONE);
        assert_eq!(
            approximate.note,
            "total, three months ended March 31, 2006: components sum to 30 but the row states 31 \
             (difference 1, within the table's tolerance of 1)"
        );
    }

    #[test]
    fn a_miss_beyond_the_tolerance_or_without_one_is_an_error() {
        let mut rows = SUBTOTAL;
        rows[2].2 = "32";
        let audit = verify(&[table(Some("1"), &rows)]);
        assert_eq!(audit.findings.len(), 1);
        assert!(
            audit.findings[0].message.ends_with("(difference 2)"),
            "{:?}",
            audit.findings
        );
        assert!(audit.within.is_empty());
        let audit = verify(&[table(None, &SUBTOTAL)]);
        assert_eq!(audit.findings.len(), 1);
        assert!(audit.within.is_empty());
    }

    #[test]
    fn a_figure_in_an_accepted_difference_is_within_though_tied_exactly_elsewhere() {
        let mut rows = SUBTOTAL.to_vec();
        rows.push(("a_again", RowKind::Item, "10", Some("a")));
        let audit = verify(&[table(Some("1"), &rows)]);
        assert!(!audit.tied.contains(&(0, 0, 0)) && audit.within.contains_key(&(0, 0, 0)));
        assert!(
            audit.tied.contains(&(0, 3, 0)),
            "the other figure of the exact relation"
        );
    }

    #[test]
    fn a_tolerance_never_applies_to_per_share_rows_or_divisions() {
        let per_share = [
            ("basic", RowKind::PerShare, "0.10", None),
            ("dilution", RowKind::PerShare, "-0.01", None),
            (
                "diluted",
                RowKind::PerShare,
                "0.08",
                Some("basic + dilution"),
            ),
        ];
        assert_eq!(verify(&[table(Some("1"), &per_share)]).findings.len(), 1);
        let division = [
            ("income", RowKind::Item, "10", None),
            ("shares", RowKind::Shares, "100", None),
            ("ratio", RowKind::Item, "0.2", Some("income / shares")),
        ];
        assert_eq!(verify(&[table(Some("1"), &division)]).findings.len(), 1);
    }

    /// A row of [`in_millions`]: id, kind, its own scale, figure, relation.
    type ScaledRow<'a> = (&'a str, RowKind, Option<Scale>, &'a str, Option<&'a str>);

    /// A table in millions with the given rows.
    fn in_millions(rows: &[ScaledRow]) -> Statement {
        let mut table = table(None, &[]);
        table.scale = Scale::Millions;
        table.rows = rows
            .iter()
            .enumerate()
            .map(|(i, &(id, kind, scale, figure, equals))| LineItem {
                scale,
                equals: equals
                    .map(|e| std::sync::Arc::new(e.parse::<Relation>().unwrap()))
                    .into_iter()
                    .collect(),
                ..LineItem::for_test(id, kind, &[figure], i + 1)
            })
            .collect();
        table
    }

    /// Earnings per share from net income in millions and shares in thousands.
    fn verify_eps(net_income: &str, shares: &str, eps: &str) -> Audit {
        verify(&[in_millions(&[
            ("net_income", RowKind::Item, None, net_income, None),
            (
                "diluted_shares",
                RowKind::Shares,
                Some(Scale::Thousands),
                shares,
                None,
            ),
            (
                "diluted_eps",
                RowKind::PerShare,
                None,
                eps,
                Some("net_income / diluted_shares"),
            ),
        ])])
    }

    #[test]
    fn earnings_per_share_from_millions_and_thousands() {
        // 1,234 million / 456,789 thousand shares = $2.7014...
        let audit = verify_eps("1234", "456789", "2.70");
        assert_eq!(audit.findings, []);
        assert!(audit.tied.contains(&(0, 2, 0)));
        let audit = verify_eps("1234", "456789", "2.71");
        assert_eq!(
            audit.findings[0].message,
            "diluted_eps, three months ended March 31, 2006: net_income / diluted_shares rounds \
             to 2.70 but the row states 2.71 (difference 0.01)"
        );
    }

    #[test]
    fn a_division_allows_for_the_rounding_of_its_inputs_and_of_the_stated_figure() {
        // 12 million / 4,800 thousand = 2.50 exactly, but net income may have been anything
        // from 11.5 to 12.5 million and shares 4,799.5 to 4,800.5 thousand: $2.3956 to $2.6044.
        let audit = verify_eps("12", "4800", "2.49");
        assert_eq!(audit.findings, [], "within the rounding of its inputs");
        assert!(audit.tied.contains(&(0, 2, 0)));
        assert!(
            !audit.tied.contains(&(0, 0, 0)),
            "a division ties only its result"
        );
        // 2.60 covers 2.595 to 2.605, which meets 2.6044; 2.61 (2.605 to 2.615) does not.
        assert_eq!(verify_eps("12", "4800", "2.60").findings, []);
        let audit = verify_eps("12", "4800", "2.61");
        assert_eq!(
            audit.findings[0].message,
            "diluted_eps, three months ended March 31, 2006: net_income / diluted_shares rounds \
             to 2.50 but the row states 2.61 (difference 0.11)"
        );
        // A loss, however small, is never stated as a profit of zero: (0.00), not 0.00.
        assert_eq!(verify_eps("-1", "456789", "-0.00").findings, []);
        assert_eq!(verify_eps("-1", "456789", "0.00").findings.len(), 1);
    }

    #[test]
    fn a_row_in_millions_sums_rows_in_thousands_rounded_to_its_places() {
        let rows = [
            ("a", RowKind::Item, Some(Scale::Thousands), "20300", None),
            ("b", RowKind::Item, Some(Scale::Thousands), "22325", None),
            ("total", RowKind::Total, None, "42.6", Some("a + b")),
        ];
        let audit = verify(&[in_millions(&rows)]);
        assert_eq!(audit.findings, []);
        assert!(audit.tied.contains(&(0, 2, 0)));
        assert!(
            !audit.tied.contains(&(0, 0, 0)),
            "rounded, so its inputs are not tied"
        );
        let mut rows = rows;
        rows[2].3 = "42.7";
        assert_eq!(
            verify(&[in_millions(&rows)]).findings[0].message,
            "total, three months ended March 31, 2006: components sum to 42.6 but the row \
             states 42.7 (difference 0.1)"
        );
        // A row in thousands summing rows in millions is exact: 1.5 million is 1,500 thousand.
        let rows = [
            ("a", RowKind::Item, None, "1.5", None),
            ("b", RowKind::Item, None, "2", None),
            (
                "total",
                RowKind::Total,
                Some(Scale::Thousands),
                "3500",
                Some("a + b"),
            ),
        ];
        let audit = verify(&[in_millions(&rows)]);
        assert_eq!(audit.findings, []);
        assert!(audit.tied.contains(&(0, 0, 0)));
    }

    #[test]
    fn a_figure_too_large_to_restate_is_an_error_naming_it() {
        let rows = [
            (
                "net_income",
                RowKind::Item,
                Some(Scale::Billions),
                "79228162514264337594",
                None,
            ),
            ("shares", RowKind::Shares, None, "2", None),
            (
                "eps",
                RowKind::PerShare,
                None,
                "1.00",
                Some("net_income / shares"),
            ),
        ];
        assert_eq!(
            verify(&[in_millions(&rows)]).findings[0].message,
            "eps, three months ended March 31, 2006: `equals = \"net_income / shares\"`: \
             operations.net_income for 2006-Q1, 79,228,162,514,264,337,594 in billions, cannot \
             be restated in actual (a figure holds at most 79,228,162,514,264,337,593,543,950,335, \
             with at most 28 decimal places)"
        );
    }

    fn messages(audit: &Audit) -> Vec<&str> {
        audit.findings.iter().map(|f| f.message.as_str()).collect()
    }

    #[test]
    fn a_percent_row_equals_a_ratio_rounded_to_its_places() {
        let margin = |stated: &'static str| {
            [
                ("gross_profit", RowKind::Item, "1956", None),
                ("revenue", RowKind::Item, "5120", None),
                (
                    "margin",
                    RowKind::Item,
                    stated,
                    Some("gross_profit / revenue"),
                ),
            ]
        };
        // 1,956 / 5,120 = 0.38203: 38.2%.
        let audit = verify(&[table(None, &margin("38.2%"))]);
        assert_eq!(messages(&audit), Vec::<&str>::new());
        assert!(audit.tied.contains(&(0, 2, 0)));
        let audit = verify(&[table(Some("1"), &margin("38.3%"))]);
        assert_eq!(
            messages(&audit),
            [
                "margin, three months ended March 31, 2006: gross_profit / revenue rounds to 38.2% \
              but the row states 38.3% (difference 0.001)"
            ],
            "shown as percents, never within a tolerance in the table's units"
        );
        // A percent of more places is held to them, allowing for the rounding of the inputs
        // as any division does (1,955.5 / 5,120.5 to 1,956.5 / 5,119.5 is 38.190% to 38.217%):
        // 38.20% and 38.21% are right, 38.25% is not.
        for right in ["38.20%", "38.21%"] {
            assert!(
                verify(&[table(None, &margin(right))]).findings.is_empty(),
                "{right}"
            );
        }
        assert_eq!(verify(&[table(None, &margin("38.25%"))]).findings.len(), 1);
    }

    #[test]
    fn percents_add_up_to_percents_and_never_mix_with_amounts() {
        let rows = [
            ("product", RowKind::Item, "30.5%", None),
            ("service", RowKind::Item, "8.0%", None),
            (
                "total",
                RowKind::Subtotal,
                "38.5%",
                Some("product..service"),
            ),
            ("revenue", RowKind::Item, "100", None),
        ];
        let audit = verify(&[table(None, &rows)]);
        assert_eq!(messages(&audit), Vec::<&str>::new());
        assert!(audit.tied.contains(&(0, 0, 0)) && audit.tied.contains(&(0, 2, 0)));

        let mut mixed = rows;
        mixed[2].3 = Some("product + revenue");
        let found = verify(&[table(None, &mixed)]);
        assert!(
            messages(&found)[0]
                .contains("a percent cannot be added to or subtracted from an amount"),
            "{:?}",
            found.findings
        );
        let mut amount_for_percent = rows;
        amount_for_percent[2].3 = Some("revenue");
        let found = verify(&[table(None, &amount_for_percent)]);
        assert!(
            messages(&found)[0].contains("the row states a percent, and it computes an amount"),
            "{:?}",
            found.findings
        );
        let mut percent_for_amount = rows;
        percent_for_amount[3].3 = Some("total");
        let found = verify(&[table(None, &percent_for_amount)]);
        assert!(
            messages(&found)[0].contains("the row states an amount, and it computes a percent"),
            "{:?}",
            found.findings
        );
    }

    #[test]
    fn not_meaningful_and_blank_cells_are_refused_like_na() {
        for (marker, words) in [
            ("N/A", "N/A"),
            ("NM", "not meaningful (NM)"),
            ("n/m", "not meaningful (n/m)"),
            ("blank", "blank"),
        ] {
            let stated = [
                ("a", RowKind::Item, "10", None),
                ("growth", RowKind::Item, marker, Some("a")),
            ];
            let audit = verify(&[table(None, &stated)]);
            assert_eq!(
                messages(&audit)[0],
                format!(
                    "growth, three months ended March 31, 2006: the row is {words}, so `equals = \
                     \"a\"` cannot hold; name the periods it applies to, e.g. `equals = \
                     \"2006-Q1: a\"`"
                )
            );
            // A marker is no figure: coverage counts the amount only.
            assert_eq!(audit.figures, [(0, 0, 0)]);
            let read = [
                ("growth", RowKind::Item, marker, None),
                ("a", RowKind::Item, "10", Some("growth")),
            ];
            let audit = verify(&[table(None, &read)]);
            assert!(
                messages(&audit)[0].contains(&format!("operations.growth is {words} for 2006-Q1")),
                "{:?}",
                audit.findings
            );
            assert!(messages(&audit)[0].contains("name the periods it applies to"));
        }
    }

    #[test]
    fn periods_read_as_prose() {
        assert_eq!(
            period_phrase(&crate::finance::period::december("2006-Q1")),
            "three months ended March 31, 2006"
        );
        assert_eq!(
            period_phrase(&crate::finance::period::december("2005-12-31")),
            "December 31, 2005"
        );
    }
}
