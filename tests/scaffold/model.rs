//! A synthetic company whose books stay consistent over any number of quarters, to fill in
//! scaffolded releases: each quarter's flows are formulas of the quarter, a year to date is
//! the sum of its quarters, balances roll forward with the cash flows (the balance sheet
//! balances by construction), and every period has one figure per row, so a figure that two
//! releases report is the same in both.

use irsite::finance::{FiscalCalendar, PeriodName};
use rust_decimal::{Decimal, RoundingStrategy};

/// An invented company: `scale` multiplies its amounts, so the fixtures differ.
pub struct Company {
    pub scale: i64,
}

/// Quarters from the first quarter of fiscal 2000, so every formula stays small.
fn index(year: i32, quarter: u8) -> i64 {
    i64::from(year - 2000) * 4 + i64::from(quarter) - 1
}

fn quarter_of(index: i64) -> u8 {
    u8::try_from(index.rem_euclid(4) + 1).unwrap()
}

/// Seasonal swings by quarter.
fn season(table: [i64; 4], index: i64) -> i64 {
    table[usize::from(quarter_of(index) - 1)]
}

/// One quarter's flows.
struct Flows {
    revenue: i64,
    cost_of_revenue: i64,
    selling_general_admin: i64,
    depreciation: i64,
    interest_expense: i64,
    income_before_taxes: i64,
    income_taxes: i64,
    net_income: i64,
    capital_expenditures: i64,
}

/// The balances at the end of a quarter.
struct Balances {
    cash: i64,
    receivables: i64,
    property_net: i64,
    payables: i64,
    common_stock: i64,
    retained_earnings: i64,
}

impl Company {
    fn flows(&self, k: i64) -> Flows {
        let s = self.scale;
        let revenue = s * (5000 + 120 * k + season([0, 300, 150, 700], k));
        let cost_of_revenue = s * (2900 + 60 * k + season([0, 170, 80, 420], k));
        // A one-time charge in the first quarter of fiscal 2005: a loss.
        let charge = if k == index(2005, 1) { 2500 } else { 0 };
        let selling_general_admin = s * (1100 + 20 * k + charge);
        let depreciation = s * (200 + 4 * k);
        let interest_expense = s * 60;
        let income_before_taxes =
            revenue - cost_of_revenue - selling_general_admin - depreciation - interest_expense;
        let income_taxes = income_before_taxes * 3 / 10;
        Flows {
            revenue,
            cost_of_revenue,
            selling_general_admin,
            depreciation,
            interest_expense,
            income_before_taxes,
            income_taxes,
            net_income: income_before_taxes - income_taxes,
            capital_expenditures: s * (250 + 5 * k),
        }
    }

    fn receivables(&self, k: i64) -> i64 {
        self.scale * (1500 + 30 * k + season([0, 200, 100, 400], k))
    }

    fn payables(&self, k: i64) -> i64 {
        self.scale * (900 + 15 * k + season([0, 60, 30, 150], k))
    }

    /// Cash generated in quarter `k`, as the cash-flow statement adds it up.
    fn cash_flow(&self, k: i64) -> (i64, i64) {
        let f = self.flows(k);
        let operating = f.net_income
            + f.depreciation
            + (self.receivables(k - 1) - self.receivables(k))
            + (self.payables(k) - self.payables(k - 1));
        (operating, -f.capital_expenditures)
    }

    /// The balances at the end of quarter `k` (from the end of fiscal 1999, `k` = -1).
    fn balances(&self, k: i64) -> Balances {
        let s = self.scale;
        let (mut cash, mut property_net, mut retained_earnings) = (3000 * s, 4000 * s, 1000 * s);
        let common_stock =
            cash + self.receivables(-1) + property_net - self.payables(-1) - retained_earnings;
        for q in 0..=k {
            let f = self.flows(q);
            let (operating, investing) = self.cash_flow(q);
            cash += operating + investing;
            property_net += f.capital_expenditures - f.depreciation;
            retained_earnings += f.net_income;
        }
        Balances {
            cash,
            receivables: self.receivables(k),
            property_net,
            payables: self.payables(k),
            common_stock,
            retained_earnings,
        }
    }

    /// The figure a table reports for a row and a period, as a table file writes it.
    pub fn figure(
        &self,
        table: &str,
        row: &str,
        period: PeriodName,
        calendar: &FiscalCalendar,
    ) -> String {
        if let PeriodName::Instant(date) = period {
            let (year, quarter) = calendar
                .quarter_ending_on(date)
                .unwrap_or_else(|| panic!("{date:?} ends no quarter"));
            return self.balance(row, index(year, quarter)).to_string();
        }
        let quarters: Vec<i64> = match period {
            PeriodName::Quarter { year, quarter } => vec![index(year, quarter)],
            PeriodName::YearToDate { year, quarters } => {
                (1..=quarters).map(|q| index(year, q)).collect()
            }
            PeriodName::FiscalYear { year } => (1..=4).map(|q| index(year, q)).collect(),
            PeriodName::TrailingTwelveMonths { year, quarter } => {
                (0..4).map(|back| index(year, quarter) - back).collect()
            }
            PeriodName::Instant(_) => unreachable!(),
        };
        let fiscal_year = period.fiscal_year().unwrap();
        let sum = |f: &dyn Fn(i64) -> i64| quarters.iter().map(|&k| f(k)).sum::<i64>();
        let (first, last) = (quarters[0], quarters[quarters.len() - 1]);
        let shares = 8000 + 200 * i64::from(fiscal_year - 2000);
        let value = match (table, row) {
            (_, "diluted_shares") => shares,
            (_, "diluted_eps") => {
                let net_income = sum(&|k| self.flows(k).net_income);
                return per_share(net_income, shares);
            }
            ("cash-flows", row) => match row {
                "net_income" => sum(&|k| self.flows(k).net_income),
                "depreciation" => sum(&|k| self.flows(k).depreciation),
                "change_in_receivables" => self.receivables(first - 1) - self.receivables(last),
                "change_in_payables" => self.payables(last) - self.payables(first - 1),
                "net_cash_operating" => sum(&|k| self.cash_flow(k).0),
                "capital_expenditures" => sum(&|k| self.cash_flow(k).1),
                "net_change_in_cash" => sum(&|k| self.cash_flow(k).0 + self.cash_flow(k).1),
                "cash_beginning" => self.balances(first - 1).cash,
                "cash_end" => self.balances(last).cash,
                other => panic!("no cash-flow row {other}"),
            },
            (_, row) => sum(&|k| {
                let f = self.flows(k);
                match row {
                    "revenue" => f.revenue,
                    "cost_of_revenue" => f.cost_of_revenue,
                    "gross_profit" => f.revenue - f.cost_of_revenue,
                    "selling_general_admin" => f.selling_general_admin,
                    "depreciation" => f.depreciation,
                    "total_operating_expenses" => f.selling_general_admin + f.depreciation,
                    "operating_income" => {
                        f.revenue - f.cost_of_revenue - f.selling_general_admin - f.depreciation
                    }
                    "interest_expense" => f.interest_expense,
                    "income_before_taxes" => f.income_before_taxes,
                    "income_taxes" => f.income_taxes,
                    "net_income" => f.net_income,
                    other => panic!("no row {other} in {table}"),
                }
            }),
        };
        value.to_string()
    }

    fn balance(&self, row: &str, k: i64) -> i64 {
        let b = self.balances(k);
        let equity = b.common_stock + b.retained_earnings;
        match row {
            "cash" => b.cash,
            "receivables" => b.receivables,
            "total_current_assets" => b.cash + b.receivables,
            "property_net" => b.property_net,
            "total_assets" => b.cash + b.receivables + b.property_net,
            "payables" => b.payables,
            "common_stock" => b.common_stock,
            "retained_earnings" => b.retained_earnings,
            "total_equity" => equity,
            "total_liabilities_and_equity" => b.payables + equity,
            other => panic!("no balance-sheet row {other}"),
        }
    }
}

/// Net income per share, rounded half away from zero to cents, a loss that rounds to nothing
/// printed "-0.00" as releases print "(0.00)".
fn per_share(net_income: i64, shares: i64) -> String {
    let value = (Decimal::from(net_income) / Decimal::from(shares))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    if net_income < 0 && value.is_zero() {
        "-0.00".into()
    } else {
        format!("{value:.2}")
    }
}
