//! A relation (`equals`) rolled with its table's columns.
//!
//! The periods before `:` name columns of the table: each becomes the columns its column
//! became (a quarter given its year to date names both; a dropped column none). A period named
//! in a reference (`operations.net_income@2005-Q4`) moves on its own. The formula is kept as
//! written unless it names a period, and is then written again from its parsed form.

use std::fmt::Write;

use super::roll::{Plan, Roll};
use crate::finance::expr::{Expr, PeriodRef};
use crate::finance::relations::Relation;
use crate::finance::{Period, PeriodName};

/// `text` rolled; `None` where every period it was stated for is gone (a full-year rule after
/// a fourth quarter), so it applies to nothing.
pub(super) fn roll(
    text: &str,
    roll: &Roll,
    columns: &[Period],
    plan: &Plan,
) -> std::result::Result<Option<String>, String> {
    let relation: Relation = text.parse()?;
    let mut periods: Vec<PeriodName> = Vec::with_capacity(relation.periods.len());
    for &period in &relation.periods {
        let rolled: Vec<PeriodName> = match columns.iter().position(|c| c.name() == period) {
            Some(i) => plan.successors(i).map(Period::name).collect(),
            None => vec![roll.name(period)],
        };
        for name in rolled {
            if !periods.contains(&name) {
                periods.push(name);
            }
        }
    }
    if !relation.periods.is_empty() && periods.is_empty() {
        return Ok(None);
    }
    let names_a_period = relation
        .expr
        .references()
        .iter()
        .any(|r| matches!(r.period, PeriodRef::Fixed(_)));
    let formula = if names_a_period {
        let mut out = String::with_capacity(relation.text.len());
        write_expr(&relation.expr, roll, &mut out);
        out
    } else {
        relation.text
    };
    if periods.is_empty() {
        return Ok(Some(formula));
    }
    let periods: Vec<String> = periods.iter().map(ToString::to_string).collect();
    Ok(Some(format!("{}: {formula}", periods.join(", "))))
}

/// How tightly an expression binds: sums, then quotients, then a negation or a reference.
fn precedence(expr: &Expr) -> u8 {
    match expr {
        Expr::Add(..) | Expr::Sub(..) => 1,
        Expr::Div(..) => 2,
        Expr::Neg(_) | Expr::Ref(_) => 3,
    }
}

/// Writes `expr` as the expression parser reads it, with its named periods rolled.
fn write_expr(expr: &Expr, roll: &Roll, out: &mut String) {
    let operand = |e: &Expr, at_least: u8, out: &mut String| {
        if precedence(e) < at_least {
            out.push('(');
            write_expr(e, roll, out);
            out.push(')');
        } else {
            write_expr(e, roll, out);
        }
    };
    match expr {
        Expr::Ref(reference) => {
            let mut reference = reference.clone();
            if let PeriodRef::Fixed(period) = reference.period {
                reference.period = PeriodRef::Fixed(roll.name(period));
            }
            let _ = write!(out, "{reference}");
        }
        Expr::Neg(e) => {
            out.push('-');
            operand(e, 3, out);
        }
        Expr::Add(a, b) | Expr::Sub(a, b) => {
            operand(a, 1, out);
            out.push_str(if matches!(expr, Expr::Add(..)) {
                " + "
            } else {
                " - "
            });
            operand(b, 2, out);
        }
        Expr::Div(a, b) => {
            operand(a, 2, out);
            out.push_str(" / ");
            operand(b, 3, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::FiscalCalendar;
    use crate::finance::expr::parse;

    fn rolled(from: &str, to: &str, columns: &[&str], text: &str) -> Option<String> {
        let c = FiscalCalendar::default();
        let r = Roll::new(c.parse(from).unwrap(), c.parse(to).unwrap(), &c).unwrap();
        let columns: Vec<Period> = columns.iter().map(|p| c.parse(p).unwrap()).collect();
        let plan = r.columns(&columns, None).unwrap();
        roll(text, &r, &columns, &plan).unwrap()
    }

    #[test]
    fn periods_follow_their_columns_and_a_year_to_date_joins_its_quarter() {
        let cols = ["2006-Q1", "2005-Q1"];
        assert_eq!(
            rolled("2006-Q1", "2006-Q2", &cols, "revenue - total_costs").as_deref(),
            Some("revenue - total_costs")
        );
        assert_eq!(
            rolled("2006-Q1", "2006-Q2", &cols, "2005-Q1: net_income  -  sbc").as_deref(),
            Some("2005-Q2, 2005-6M: net_income  -  sbc")
        );
        let q4 = ["2006-Q4", "2005-Q4", "2006-FY", "2005-FY"];
        assert_eq!(rolled("2006-Q4", "2007-Q1", &q4, "2006-FY: a"), None);
        assert_eq!(
            rolled("2006-Q4", "2007-Q1", &q4, "2006-Q4, 2006-FY: a").as_deref(),
            Some("2007-Q1: a")
        );
    }

    #[test]
    fn named_periods_roll_and_the_formula_reads_back_the_same() {
        let cols = ["2006-Q1", "2005-Q4", "2005-Q1"];
        assert_eq!(
            rolled(
                "2006-Q1",
                "2006-Q2",
                &cols,
                "2006-Q1: a - (b@2005-Q4 - -c) / (d + e)"
            )
            .as_deref(),
            Some("2006-Q2: a - (b@2006-Q1 - -c) / (d + e)")
        );
        let c = FiscalCalendar::default();
        let r = Roll::new(c.parse("2006-Q1").unwrap(), c.parse("2006-Q2").unwrap(), &c).unwrap();
        for (text, expected) in [
            ("a + b + c", "a + b + c"),
            ("a + (b + c)", "a + (b + c)"),
            ("a - (b - c)", "a - (b - c)"),
            ("((a - b)) - c", "a - b - c"),
            ("-a / b", "-a / b"),
            ("-(a / b)", "-(a / b)"),
            ("a / (b / c)", "a / (b / c)"),
            ("--x.y@2005-Q4", "--x.y@2006-Q1"),
            (
                "-(balance-sheet.cash@end+c..d)",
                "-(balance-sheet.cash@end + c..d)",
            ),
            ("t.a..b / (c - d@2005-12-31)", "t.a..b / (c - d@2005-12-31)"),
        ] {
            let expr = parse(text).unwrap();
            let mut out = String::new();
            write_expr(&expr, &r, &mut out);
            assert_eq!(out, expected);
            if !text.contains('@') {
                assert_eq!(parse(&out).unwrap(), expr, "{text} → {out}");
            }
        }
    }
}
