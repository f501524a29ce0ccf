//! Arithmetic over table figures, shared by relations (`equals` in a table) and citations in
//! prose (`{{ operations.revenue | millions }}`).
//!
//! ```text
//! expr      := term (("+" | "-") term)*
//! term      := unary ("/" unary)*
//! unary     := "-" unary | "(" expr ")" | reference
//! reference := [table-id "."] row_id [".." row_id] ["@" ("start" | "end" | period)]
//! ```
//!
//! `a..b` is the sum of the rows from `a` to `b` in table order (rows without figures are
//! skipped). A percent cell reads as the ratio it stands for ("38.2%" is 0.382), and a value
//! knows its [`Measure`], so that a percent is never added to an amount. N/A, not-meaningful
//! and blank cells are not numbers: an expression reading one has no value. `@end` is the balance-sheet date at the end of the period, `@start` the one before
//! it begins; `@2005-Q4` names a period outright. Table ids contain hyphens, so a binary minus
//! needs spaces around it: `revenue - total_operating_costs`.
//!
//! Figures are read in the scale the scope asks for ([`Scope::scale`]): each amount is
//! converted exactly from its row's scale ([`Statement::measure`], the row's
//! [`RowMeasure`](super::units::RowMeasure)) before any arithmetic, so net income in millions
//! divided by shares in thousands is dollars per share. A percent is a ratio, the same in
//! every scale, and is not converted. [`Measure`] is what a computed value is (an amount, a
//! percent, a quotient); relations check it against the cell the row states.

use std::fmt;

use rust_decimal::Decimal;

use super::amount::{Amount, Cell};
use super::period::{Period, PeriodName};
use super::statement::Statement;
use super::units::{self, Scale};

/// What an overflow message says of the limit it ran into.
pub const LIMIT: &str = "a figure holds at most 79,228,162,514,264,337,593,543,950,335";

/// Which column a reference reads, relative to the column being evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodRef {
    Same,
    /// The balance-sheet date before the period begins.
    Start,
    /// The balance-sheet date at the end of the period.
    End,
    Fixed(PeriodName),
}

/// A row (or a run of rows) of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `None` is the table the expression belongs to.
    pub table: Option<String>,
    pub row: String,
    /// The last row of a range `row..to_row`.
    pub to_row: Option<String>,
    pub period: PeriodRef,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Ref(Reference),
    Neg(Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Every reference, left to right.
    pub fn references(&self) -> Vec<&Reference> {
        let mut out = Vec::new();
        self.collect_references(&mut out);
        out
    }

    fn collect_references<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        match self {
            Expr::Ref(r) => out.push(r),
            Expr::Neg(e) => e.collect_references(out),
            Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Div(a, b) => {
                a.collect_references(out);
                b.collect_references(out);
            }
        }
    }

    /// Whether the expression divides, so that its result is rounded before comparison.
    pub fn divides(&self) -> bool {
        match self {
            Expr::Ref(_) => false,
            Expr::Neg(e) => e.divides(),
            Expr::Add(a, b) | Expr::Sub(a, b) => a.divides() || b.divides(),
            Expr::Div(..) => true,
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(table) = &self.table {
            write!(f, "{table}.")?;
        }
        f.write_str(&self.row)?;
        if let Some(to) = &self.to_row {
            write!(f, "..{to}")?;
        }
        match self.period {
            PeriodRef::Same => Ok(()),
            PeriodRef::Start => f.write_str("@start"),
            PeriodRef::End => f.write_str("@end"),
            PeriodRef::Fixed(p) => write!(f, "@{p}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Plus,
    Minus,
    Slash,
    Open,
    Close,
    Ref(Reference),
}

fn is_row_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn parse_reference(word: &str, period: PeriodRef) -> Result<Reference, String> {
    let spacing = || {
        format!(
            "{word:?} is not a row reference; put spaces around a minus sign \
             (`revenue - total_operating_costs`)"
        )
    };
    let (head, to_row) = match word.split_once("..") {
        Some((head, to)) => (head, Some(to)),
        None => (word, None),
    };
    let (table, row) = match head.split_once('.') {
        Some((table, row)) => (Some(table), row),
        None => (None, head),
    };
    if let Some(table) = table
        && !crate::content::valid_slug(table)
    {
        return Err(format!(
            "{table:?} is not a table id (the file name without .toml, e.g. cash-flows)"
        ));
    }
    for id in std::iter::once(row).chain(to_row) {
        if !is_row_id(id) {
            return Err(if id.contains('-') {
                spacing()
            } else {
                format!("{id:?} is not a row id (snake_case, e.g. net_income)")
            });
        }
    }
    Ok(Reference {
        table: table.map(str::to_string),
        row: row.to_string(),
        to_row: to_row.map(str::to_string),
        period,
    })
}

/// The tokens of `text`, each with the byte range it was read from.
fn tokenize(text: &str) -> Result<Vec<(Token, std::ops::Range<usize>)>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let token = match c {
            c if c.is_whitespace() => continue,
            '+' => Token::Plus,
            '-' => Token::Minus,
            '/' => Token::Slash,
            '(' => Token::Open,
            ')' => Token::Close,
            c if c.is_ascii_lowercase() => {
                let mut end = start + 1;
                while let Some(&(i, c)) = chars.peek() {
                    if c.is_ascii_lowercase() || c.is_ascii_digit() || "_-.".contains(c) {
                        end = i + 1;
                        chars.next();
                    } else {
                        break;
                    }
                }
                let word = &text[start..end];
                let mut period = PeriodRef::Same;
                if chars.peek().is_some_and(|&(_, c)| c == '@') {
                    chars.next();
                    let at = start + word.len() + 1;
                    let mut end = at;
                    while let Some(&(i, c)) = chars.peek() {
                        if c.is_ascii_alphanumeric() || c == '-' {
                            end = i + 1;
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    period = match &text[at..end] {
                        "start" => PeriodRef::Start,
                        "end" => PeriodRef::End,
                        p => PeriodRef::Fixed(
                            p.parse::<PeriodName>()
                                .map_err(|e| format!("after `@`: {e}, or \"start\" or \"end\""))?,
                        ),
                    };
                }
                Token::Ref(parse_reference(word, period)?)
            }
            other => {
                return Err(format!(
                    "unexpected {other:?}; an expression adds, subtracts and divides rows, e.g. \
                     `revenue - total_operating_costs`"
                ));
            }
        };
        let end = chars.peek().map_or(text.len(), |&(i, _)| i);
        tokens.push((token, start..end));
    }
    Ok(tokens)
}

/// Every row reference of an expression with the bytes of `text` it is written in, so that a
/// tool can rewrite one reference (the scaffold naming a period outright) and keep the rest.
pub fn reference_spans(text: &str) -> Result<Vec<(Reference, std::ops::Range<usize>)>, String> {
    parse(text)?;
    Ok(tokenize(text)?
        .into_iter()
        .filter_map(|(token, span)| match token {
            Token::Ref(reference) => Some((reference, span)),
            _ => None,
        })
        .collect())
}

/// How deep parentheses and signs may nest. The parser and everything that walks an expression
/// recurse, and a stack overflow aborts the process rather than failing one file, so depth is
/// refused before it is reached; releases nest two or three deep.
const MAX_NESTING: usize = 32;

/// How many rows one expression may name: a sum of many builds as deep a tree as nesting does
/// (a range, `a..b`, sums any number of rows as one term).
const MAX_TERMS: usize = 256;

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        token
    }

    fn expr(&mut self) -> Result<Expr, String> {
        let mut left = self.term()?;
        loop {
            match self.peek() {
                Some(Token::Plus) => {
                    self.pos += 1;
                    left = Expr::Add(Box::new(left), Box::new(self.term()?));
                }
                Some(Token::Minus) => {
                    self.pos += 1;
                    left = Expr::Sub(Box::new(left), Box::new(self.term()?));
                }
                _ => return Ok(left),
            }
        }
    }

    fn term(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while self.peek() == Some(&Token::Slash) {
            self.pos += 1;
            left = Expr::Div(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        let nests = matches!(self.peek(), Some(Token::Minus | Token::Open));
        if nests {
            self.depth += 1;
            if self.depth > MAX_NESTING {
                return Err(format!(
                    "parentheses and signs are nested more than {MAX_NESTING} deep"
                ));
            }
        }
        let parsed = match self.next() {
            Some(Token::Minus) => Ok(Expr::Neg(Box::new(self.unary()?))),
            Some(Token::Open) => {
                let inner = self.expr()?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err("a `(` is not closed".into()),
                }
            }
            Some(Token::Ref(r)) => Ok(Expr::Ref(r)),
            Some(_) => Err("expected a row id or `(`".into()),
            None => Err("the expression ends where a row id was expected".into()),
        };
        if nests {
            self.depth -= 1;
        }
        parsed
    }
}

/// Parses an expression.
pub fn parse(text: &str) -> Result<Expr, String> {
    let tokens: Vec<Token> = tokenize(text)?
        .into_iter()
        .map(|(token, _)| token)
        .collect();
    let terms = tokens.iter().filter(|t| matches!(t, Token::Ref(_))).count();
    if terms > MAX_TERMS {
        return Err(format!(
            "the expression names {terms} rows; at most {MAX_TERMS} terms are allowed (sum a run \
             of rows as a range, `first_row..last_row`)"
        ));
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = parser.expr()?;
    match parser.peek() {
        None => Ok(expr),
        Some(Token::Close) => Err("a `)` has no `(`".into()),
        Some(_) => Err("expected `+`, `-` or `/` between two rows".into()),
    }
}

/// One figure of one table of a release: (table index, row index in `all_rows`, column).
pub type CellId = (usize, usize, usize);

/// How a message names a cell that is not a number: "N/A", "not meaningful (NM)", "blank".
pub fn not_a_number(cell: &Cell) -> String {
    match cell {
        Cell::NotMeaningful(marker) => format!("not meaningful ({marker})"),
        Cell::Blank => "blank".into(),
        _ => "N/A".into(),
    }
}

/// What a value measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Amounts (nil counts as zero), their sums and differences.
    Amount,
    /// Percent cells read as ratios, their sums and differences (percentage points), alone or
    /// with quotients.
    Percent,
    /// A quotient: a per-share amount or a ratio, as the row that states it says.
    Quotient,
    /// Nil cells only: zero of whatever the others measure.
    Nil,
}

impl Measure {
    /// The measure of a sum or difference; a percent and an amount do not add up.
    fn add(self, other: Measure) -> Result<Measure, EvalError> {
        use Measure::*;
        match (self, other) {
            (Amount, Percent) | (Percent, Amount) => Err(EvalError::Invalid(
                "a percent cannot be added to or subtracted from an amount; a percent takes \
                 part in sums of percents and in ratios (a division)"
                    .into(),
            )),
            (Nil, other) | (other, Nil) => Ok(other),
            (Percent, _) | (_, Percent) => Ok(Percent),
            (Quotient, Quotient) => Ok(Quotient),
            _ => Ok(Amount),
        }
    }
}

/// The value of an expression for one column, and the figures it read.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The sign of a single reference is the cell's ("-0.00" stays negative). A percent is its
    /// ratio.
    pub amount: Amount,
    pub measure: Measure,
    pub cells: Vec<CellId>,
    /// Whether a figure read was stated in a scale finer than the scope's, so that the value
    /// may have more decimal places than a figure of the scope's scale states.
    pub finer: bool,
}

/// Why an expression has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// A table the expression reads has no column for the period (a tie then does not apply).
    NoColumn { table: String, period: PeriodName },
    /// Anything else: the message says what and how to fix it.
    Invalid(String),
}

/// Where an expression is evaluated: a release's tables, its own table, and its column.
pub struct Scope<'a> {
    pub tables: &'a [Statement],
    /// The table whose rows unqualified ids name; `None` in prose, where ids are qualified.
    pub home: Option<usize>,
    pub period: Period,
    /// The scale every figure is converted to before it is used.
    pub scale: Scale,
}

/// The period `wanted` names, seen from a column of `period`: `@end` is the balance-sheet
/// date on its last day, `@start` the one on the day before its first, both as the fiscal
/// calendar placed the period.
pub fn resolve_period(period: Period, wanted: PeriodRef) -> Result<PeriodName, String> {
    match wanted {
        PeriodRef::Same => Ok(period.name()),
        PeriodRef::Fixed(p) => Ok(p),
        PeriodRef::End => Ok(PeriodName::Instant(period.end())),
        PeriodRef::Start if period.is_instant() => Err(format!(
            "`@start` needs a period of time, but {period} is a single date"
        )),
        PeriodRef::Start => period
            .start()
            .add_days(-1)
            .map(PeriodName::Instant)
            .ok_or_else(|| format!("{period} starts before the first date this site can place")),
    }
}

/// The column of `columns` that `wanted` reads from a column of `period`: the one so named, or
/// one that covers the same days ("2006-3M" in a cash-flow statement for "2006-Q1" in the
/// statement of operations).
pub fn find_column(columns: &[Period], period: Period, wanted: PeriodRef) -> Option<usize> {
    let name = resolve_period(period, wanted).ok()?;
    columns.iter().position(|p| p.name() == name).or_else(|| {
        let canonical = name.canonical();
        columns
            .iter()
            .position(|p| p.name().canonical() == canonical)
    })
}

impl Scope<'_> {
    fn table(&self, reference: &Reference) -> Result<usize, EvalError> {
        match (&reference.table, self.home) {
            (Some(id), _) => self.tables.iter().position(|t| &t.id == id).ok_or_else(|| {
                EvalError::Invalid(format!(
                    "no table {id:?} in this release (tables: {})",
                    self.tables
                        .iter()
                        .map(|t| t.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }),
            (None, Some(home)) => Ok(home),
            (None, None) => Err(EvalError::Invalid(format!(
                "{:?} needs its table: write table-id.{}",
                reference.row, reference.row
            ))),
        }
    }

    fn reference(&self, reference: &Reference) -> Result<Value, EvalError> {
        let index = self.table(reference)?;
        let table = &self.tables[index];
        let find = |id: &str| {
            table.all_rows().position(|r| &*r.id == id).ok_or_else(|| {
                EvalError::Invalid(format!("table {:?} has no row {id:?}", table.id))
            })
        };
        let first = find(&reference.row)?;
        let last = match &reference.to_row {
            Some(to) => find(to)?,
            None => first,
        };
        if last < first {
            return Err(EvalError::Invalid(format!(
                "the range {reference} runs backwards: {:?} comes after {:?}",
                reference.row,
                reference.to_row.as_deref().unwrap_or_default()
            )));
        }
        let period = resolve_period(self.period, reference.period).map_err(EvalError::Invalid)?;
        let column =
            find_column(&table.columns, self.period, reference.period).ok_or_else(|| {
                EvalError::NoColumn {
                    table: table.id.clone(),
                    period,
                }
            })?;
        let mut total = Decimal::ZERO;
        let mut negative = false;
        let mut finer = false;
        let mut measure = None;
        let mut cells = Vec::new();
        let range = table.all_rows().skip(first).take(last - first + 1);
        for (offset, row) in range.enumerate() {
            let Some(cell) = row.values.get(column) else {
                if reference.to_row.is_none() {
                    return Err(EvalError::Invalid(format!(
                        "row {:?} of table {:?} has no figures",
                        row.id, table.id
                    )));
                }
                continue;
            };
            // Nil is zero of whatever the row measures: it sets no measure. A percent is a
            // ratio, the same in any scale: only amounts are restated.
            let (figure, kind) = match cell {
                Cell::Amount(a) => {
                    let from = table.measure(row).scale();
                    finer |= from < self.scale;
                    let value = units::convert(a.value, from, self.scale).ok_or_else(|| {
                        EvalError::Invalid(format!(
                            "{}.{} for {period}, {} in {from}, cannot be restated in {} ({LIMIT}, \
                             with at most 28 decimal places)",
                            table.id,
                            row.id,
                            super::format::format_amount(a),
                            self.scale
                        ))
                    })?;
                    let restated = Amount {
                        value,
                        negative: a.negative,
                    };
                    (restated, Some(Measure::Amount))
                }
                Cell::Percent(p) => (p.percent_ratio(), Some(Measure::Percent)),
                Cell::Nil => (Amount::new(Decimal::ZERO), None),
                Cell::Missing => {
                    return Err(EvalError::Invalid(format!(
                        "{}.{} is not filled in yet for {period}",
                        table.id, row.id
                    )));
                }
                Cell::NotApplicable | Cell::NotMeaningful(_) | Cell::Blank => {
                    return Err(EvalError::Invalid(format!(
                        "{}.{} is {} for {period}",
                        table.id,
                        row.id,
                        not_a_number(cell)
                    )));
                }
            };
            match (measure, kind) {
                (Some(m), Some(k)) if m != k => {
                    return Err(EvalError::Invalid(format!(
                        "the range {reference} mixes percents and amounts at {}.{}",
                        table.id, row.id
                    )));
                }
                (None, k) => measure = k,
                _ => {}
            }
            total = total.checked_add(figure.value).ok_or_else(|| {
                EvalError::Invalid(format!(
                    "the sum overflows at {}.{} ({LIMIT})",
                    table.id, row.id
                ))
            })?;
            negative = figure.negative;
            cells.push((index, first + offset, column));
        }
        let amount = if reference.to_row.is_none() {
            Amount {
                value: total,
                negative,
            }
        } else {
            Amount::new(total)
        };
        Ok(Value {
            amount,
            measure: measure.unwrap_or(Measure::Nil),
            cells,
            finer,
        })
    }

    /// Whether every table `expr` reads has a column for the period (figures aside).
    pub fn applies(&self, expr: &Expr) -> bool {
        expr.references().iter().all(|r| {
            let Ok(index) = self.table(r) else {
                return true; // An unknown table is an error the audit reports, not a gap.
            };
            find_column(&self.tables[index].columns, self.period, r.period).is_some()
        })
    }

    /// The least and greatest values `expr` could have had before the figures it reads were
    /// rounded: a figure stated with `d` decimal places in its scale lies within half a unit of
    /// its `d`th place (542 thousands is 541.5 to 542.5 thousands; nil is exactly zero).
    /// `None` where no bounds follow: a divisor that could be zero, or bounds past what a
    /// figure holds.
    pub fn bounds(&self, expr: &Expr) -> Result<Option<(Decimal, Decimal)>, EvalError> {
        Ok(match expr {
            Expr::Ref(r) => {
                let value = self.reference(r)?;
                let mut slack = Decimal::ZERO;
                for &(t, r, c) in &value.cells {
                    let table = &self.tables[t];
                    let Some(row) = table.all_rows().nth(r) else {
                        continue;
                    };
                    if let Some(Cell::Amount(a)) = row.values.get(c) {
                        let half = Decimal::new(5, a.value.scale() + 1);
                        let from = table.measure(row).scale();
                        let Some(half) = units::convert(half, from, self.scale) else {
                            return Ok(None);
                        };
                        let Some(sum) = slack.checked_add(half) else {
                            return Ok(None);
                        };
                        slack = sum;
                    }
                }
                let v = value.amount.value;
                v.checked_sub(slack).zip(v.checked_add(slack))
            }
            Expr::Neg(e) => self.bounds(e)?.map(|(lo, hi)| (-hi, -lo)),
            Expr::Add(a, b) => match (self.bounds(a)?, self.bounds(b)?) {
                (Some(a), Some(b)) => a.0.checked_add(b.0).zip(a.1.checked_add(b.1)),
                _ => None,
            },
            Expr::Sub(a, b) => match (self.bounds(a)?, self.bounds(b)?) {
                (Some(a), Some(b)) => a.0.checked_sub(b.1).zip(a.1.checked_sub(b.0)),
                _ => None,
            },
            Expr::Div(a, b) => match (self.bounds(a)?, self.bounds(b)?) {
                // A divisor that could be zero bounds nothing.
                (Some(_), Some(b))
                    if b.0.is_zero()
                        || b.1.is_zero()
                        || b.0.is_sign_positive() != b.1.is_sign_positive() =>
                {
                    None
                }
                (Some(a), Some(b)) => {
                    let quotients = [
                        a.0.checked_div(b.0),
                        a.0.checked_div(b.1),
                        a.1.checked_div(b.0),
                        a.1.checked_div(b.1),
                    ];
                    match quotients.into_iter().collect::<Option<Vec<_>>>() {
                        Some(q) => q.iter().min().copied().zip(q.iter().max().copied()),
                        None => None,
                    }
                }
                _ => None,
            },
        })
    }

    /// Evaluates `expr` exactly; nothing is rounded here.
    pub fn eval(&self, expr: &Expr) -> Result<Value, EvalError> {
        let combine = |a: Value, b: Value, value: Decimal, measure: Measure| {
            let mut cells = a.cells;
            cells.extend(b.cells);
            Value {
                amount: Amount::new(value),
                measure,
                cells,
                finer: a.finer || b.finer,
            }
        };
        Ok(match expr {
            Expr::Ref(r) => self.reference(r)?,
            Expr::Neg(e) => {
                let v = self.eval(e)?;
                Value {
                    amount: Amount {
                        value: -v.amount.value,
                        negative: !v.amount.negative,
                    },
                    measure: v.measure,
                    cells: v.cells,
                    finer: v.finer,
                }
            }
            Expr::Add(a, b) => {
                let (a, b) = (self.eval(a)?, self.eval(b)?);
                let sum =
                    a.amount.value.checked_add(b.amount.value).ok_or_else(|| {
                        EvalError::Invalid(format!("the sum overflows ({LIMIT})"))
                    })?;
                let measure = a.measure.add(b.measure)?;
                combine(a, b, sum, measure)
            }
            Expr::Sub(a, b) => {
                let (a, b) = (self.eval(a)?, self.eval(b)?);
                let difference = a.amount.value.checked_sub(b.amount.value).ok_or_else(|| {
                    EvalError::Invalid(format!("the difference overflows ({LIMIT})"))
                })?;
                let measure = a.measure.add(b.measure)?;
                combine(a, b, difference, measure)
            }
            Expr::Div(a, b) => {
                let (a, b) = (self.eval(a)?, self.eval(b)?);
                if b.amount.value.is_zero() {
                    return Err(EvalError::Invalid(format!(
                        "division by zero for {}",
                        self.period
                    )));
                }
                let quotient = a.amount.value.checked_div(b.amount.value).ok_or_else(|| {
                    EvalError::Invalid("the quotient is too large to represent".into())
                })?;
                combine(a, b, quotient, Measure::Quotient)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(table: Option<&str>, row: &str, to: Option<&str>, period: PeriodRef) -> Expr {
        Expr::Ref(Reference {
            table: table.map(Into::into),
            row: row.into(),
            to_row: to.map(Into::into),
            period,
        })
    }

    #[test]
    fn parses_sums_differences_ranges_and_periods() {
        assert_eq!(
            parse("revenue - total_operating_costs").unwrap(),
            Expr::Sub(
                Box::new(r(None, "revenue", None, PeriodRef::Same)),
                Box::new(r(None, "total_operating_costs", None, PeriodRef::Same))
            )
        );
        assert_eq!(
            parse("balance-sheet.cash@end").unwrap(),
            r(Some("balance-sheet"), "cash", None, PeriodRef::End)
        );
        assert_eq!(
            parse("-a..b").unwrap(),
            Expr::Neg(Box::new(r(None, "a", Some("b"), PeriodRef::Same)))
        );
        let q4 = "2005-Q4".parse().unwrap();
        assert_eq!(
            parse("(x - x@2005-Q4) / x@2005-Q4").unwrap(),
            Expr::Div(
                Box::new(Expr::Sub(
                    Box::new(r(None, "x", None, PeriodRef::Same)),
                    Box::new(r(None, "x", None, PeriodRef::Fixed(q4)))
                )),
                Box::new(r(None, "x", None, PeriodRef::Fixed(q4)))
            )
        );
        // Division binds tighter than subtraction.
        assert!(matches!(parse("a - b / c").unwrap(), Expr::Sub(_, _)));
    }

    #[test]
    fn references_are_found_where_they_are_written() {
        let text = "(ops.revenue - ops.revenue@2005-Q1) / ops.revenue@2005-Q1";
        let spans = reference_spans(text).unwrap();
        let written: Vec<&str> = spans.iter().map(|(_, span)| &text[span.clone()]).collect();
        assert_eq!(
            written,
            ["ops.revenue", "ops.revenue@2005-Q1", "ops.revenue@2005-Q1"]
        );
        assert_eq!(
            spans[1].0.period,
            PeriodRef::Fixed("2005-Q1".parse().unwrap())
        );
        assert!(reference_spans("a +").is_err());
    }

    #[test]
    fn nesting_and_length_are_bounded_before_recursing() {
        let nested = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&nested(MAX_NESTING)).is_ok());
        assert!(
            parse(&nested(MAX_NESTING + 1))
                .unwrap_err()
                .contains("nested")
        );
        assert!(parse(&nested(100_000)).unwrap_err().contains("nested"));
        assert!(
            parse(&format!("{}a", "-".repeat(100_000)))
                .unwrap_err()
                .contains("nested")
        );
        // Depth is nesting, not the count of parentheses side by side.
        let flat = vec!["(a)"; MAX_NESTING * 2].join(" + ");
        assert!(parse(&flat).is_ok());
        assert!(parse(&vec!["a"; MAX_TERMS].join(" + ")).is_ok());
        assert!(
            parse(&vec!["a"; MAX_TERMS + 1].join(" + "))
                .unwrap_err()
                .contains("terms")
        );
    }

    #[test]
    fn refuses_malformed_expressions_with_a_hint() {
        assert!(parse("revenue-cost").unwrap_err().contains("spaces around"));
        assert!(parse("a +").unwrap_err().contains("ends"));
        assert!(parse("(a + b").unwrap_err().contains("not closed"));
        assert!(parse("a b").unwrap_err().contains("between"));
        assert!(parse("a * b").unwrap_err().contains("unexpected '*'"));
        assert!(parse("a@2005-Q5").unwrap_err().contains("Q1 to Q4"));
        assert!(parse("Revenue").unwrap_err().contains("unexpected 'R'"));
    }

    #[test]
    fn start_and_end_name_balance_sheet_dates() {
        use crate::finance::period::december;
        let q1 = december("2006-Q1");
        let q3 = december("2006-Q3");
        let at = |s: &str| PeriodName::Instant(s.parse().unwrap());
        assert_eq!(resolve_period(q1, PeriodRef::End), Ok(at("2006-03-31")));
        assert_eq!(resolve_period(q1, PeriodRef::Start), Ok(at("2005-12-31")));
        assert_eq!(resolve_period(q3, PeriodRef::Start), Ok(at("2006-06-30")));
        assert_eq!(
            resolve_period(december("2006-9M"), PeriodRef::Start),
            Ok(at("2005-12-31"))
        );
        assert!(resolve_period(december("2006-03-31"), PeriodRef::Start).is_err());
    }

    #[test]
    fn start_and_end_follow_a_52_53_week_calendar() {
        use crate::finance::calendar::{FiscalCalendar, Settings};
        let calendar = FiscalCalendar::new(&Settings {
            fiscal_year_end: Some("last Saturday of September"),
            ..Settings::default()
        })
        .unwrap();
        let q3 = calendar.parse("2004-Q3").unwrap();
        let at = |s: &str| PeriodName::Instant(s.parse().unwrap());
        assert_eq!(resolve_period(q3, PeriodRef::End), Ok(at("2004-06-26")));
        assert_eq!(resolve_period(q3, PeriodRef::Start), Ok(at("2004-03-27")));
        let nine = calendar.parse("2004-9M").unwrap();
        assert_eq!(resolve_period(nine, PeriodRef::Start), Ok(at("2003-09-27")));
    }

    #[test]
    fn the_same_period_reads_a_column_that_covers_the_same_days() {
        use crate::finance::period::december;
        let columns = [december("2006-3M"), december("2005-3M")];
        let q1 = december("2006-Q1");
        assert_eq!(find_column(&columns, q1, PeriodRef::Same), Some(0));
        let fixed = PeriodRef::Fixed("2006-Q1".parse().unwrap());
        assert_eq!(find_column(&columns, december("2005-Q1"), fixed), Some(0));
        let fixed = PeriodRef::Fixed("2006-Q2".parse().unwrap());
        assert_eq!(find_column(&columns, december("2005-Q1"), fixed), None);
        assert_eq!(
            find_column(&columns, december("2006-Q2"), PeriodRef::Same),
            None
        );
    }
}
