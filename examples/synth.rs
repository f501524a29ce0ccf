//! Writes a synthetic IR site of N quarterly releases, for benchmarks:
//!
//! ```sh
//! cargo run --release --example synth -- --releases 1000 /tmp/ir-1000
//! ```
//!
//! The archive starts with the first quarter of 2000. Each release is the bundled Q1 2006 release (its prose, citations and seven tables) moved to
//! its own quarter: periods advance a quarter at a time, every fifth quarter is a loss (the
//! seed's 2005 columns), and figures grow with a per-quarter integer scale, so every relation
//! still foots and ties and every quarter reported twice (as a period and as a comparative) has
//! the same figures. Relations that compare a quarter with the balance sheet at its start are
//! left out: the synthetic balance sheet only holds the period end and the prior year-end. The
//! bundled templates and static files are used unchanged.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use irsite::finance::format::round;
use irsite::finance::{Amount, Cell, RowKind, Statement};
use rust_decimal::Decimal;

const SEED: &str = "content/releases/2006-q1";

#[derive(Clone, Copy, PartialEq, Eq)]
struct Quarter(i32); // year * 4 + quarter - 1

impl Quarter {
    fn year(self) -> i32 {
        self.0.div_euclid(4)
    }
    fn number(self) -> i32 {
        self.0.rem_euclid(4) + 1
    }
    fn code(self) -> String {
        format!("{}-Q{}", self.year(), self.number())
    }
    fn end(self) -> String {
        let (month, day) = [(3, 31), (6, 30), (9, 30), (12, 31)][(self.number() - 1) as usize];
        format!("{}-{month:02}-{day:02}", self.year())
    }
    fn prior_year_end(self) -> String {
        format!("{}-12-31", self.year() - 1)
    }
    /// The release date: the 4th of the second month after the quarter.
    fn release_date(self) -> String {
        let month = self.number() * 3 + 2;
        let (year, month) = if month > 12 {
            (self.year() + 1, month - 12)
        } else {
            (self.year(), month)
        };
        format!("{year}-{month:02}-04")
    }
    fn slug(self) -> String {
        self.code().to_lowercase()
    }
}

/// Which of the seed's columns a quarter copies, and by how much it scales them.
fn is_loss(q: Quarter, first: Quarter) -> bool {
    (q.0 - first.0).rem_euclid(5) == 3
}

fn scale(q: Quarter, first: Quarter) -> i64 {
    1 + i64::from((q.0 - first.0).max(0) / 8)
}

/// Row id → figures of a quarter for one table shape, as the seed has them.
type Column = HashMap<String, Cell>;

fn column(table: &Statement, index: usize) -> Column {
    table
        .all_rows()
        .filter(|r| !r.values.is_empty())
        .map(|r| (r.id.to_string(), r.values[index]))
        .collect()
}

/// The value of a figure, nil counting as zero.
fn value(column: &Column, id: &str) -> Decimal {
    column[id].amount().map_or(Decimal::ZERO, |a| a.value)
}

fn figure_of(value: Decimal) -> Cell {
    Cell::Amount(Amount::new(value))
}

/// A per-share figure as a statement states it: rounded to cents, half away from zero, keeping
/// the sign of a loss that rounds to zero.
fn per_share(amount: Decimal, shares: Decimal) -> Cell {
    let exact = amount / shares;
    Cell::Amount(Amount {
        value: round(exact, 2),
        negative: exact.is_sign_negative() && !exact.is_zero(),
    })
}

/// The profit and loss archetypes of every table, consistent across tables: the seed's own
/// columns where it has one for the quarter, otherwise derived from them by the same relations
/// the tables declare, so nothing is typed here.
fn archetypes(seed: &HashMap<String, Statement>) -> HashMap<&'static str, (Column, Column)> {
    let mut out = HashMap::new();
    for (id, profit, loss) in [
        ("operations", 0, 1),
        ("cash-flows", 0, 1),
        ("reconciliation-adjusted-ebitda", 0, 2),
    ] {
        out.insert(id, (column(&seed[id], profit), column(&seed[id], loss)));
    }
    let (ops_profit, ops_loss) = out["operations"].clone();
    let (cash_profit, cash_loss) = out["cash-flows"].clone();
    let adjusted_loss = out["reconciliation-adjusted-ebitda"].1.clone();
    // The seed's EBITDA reconciliation has no 2005-Q1 column: EBITDA is Adjusted EBITDA less
    // stock-based compensation, every other line the Adjusted EBITDA reconciliation's.
    let mut ebitda_loss = adjusted_loss.clone();
    ebitda_loss.insert(
        "ebitda".into(),
        figure_of(
            value(&adjusted_loss, "adjusted_ebitda")
                - value(&adjusted_loss, "stock_based_compensation"),
        ),
    );
    out.insert(
        "reconciliation-ebitda",
        (column(&seed["reconciliation-ebitda"], 0), ebitda_loss),
    );
    // Nor has its pro forma reconciliation: net income plus stock-based compensation.
    let shares = |ops: &Column| value(ops, "diluted_shares");
    let sbc = adjusted_loss["stock_based_compensation"];
    let pro_forma =
        value(&ops_loss, "net_income") + value(&adjusted_loss, "stock_based_compensation");
    let pro_forma_loss: Column = [
        ("net_income", ops_loss["net_income"]),
        ("stock_based_compensation", sbc),
        ("pro_forma_net_income", figure_of(pro_forma)),
        ("diluted_eps", ops_loss["diluted_eps"]),
        (
            "pro_forma_diluted_eps",
            per_share(pro_forma, shares(&ops_loss)),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    out.insert(
        "pro-forma-net-income",
        (column(&seed["pro-forma-net-income"], 0), pro_forma_loss),
    );
    // Normalized net income: a loss quarter is the seed's 2005-Q1 column; a profit quarter
    // deducts its stock-based compensation the same way.
    let net = value(&ops_profit, "net_income");
    let compensation = value(&cash_profit, "stock_based_compensation");
    let normalized_profit: Column = [
        ("net_income", ops_profit["net_income"]),
        (
            "pro_forma_stock_based_compensation",
            figure_of(compensation),
        ),
        ("normalized_net_income", figure_of(net - compensation)),
        ("diluted_eps", ops_profit["diluted_eps"]),
        (
            "stock_based_compensation_per_share",
            per_share(-compensation, shares(&ops_profit)),
        ),
        (
            "normalized_diluted_eps",
            per_share(net - compensation, shares(&ops_profit)),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    out.insert(
        "normalized-net-income",
        (normalized_profit, column(&seed["normalized-net-income"], 1)),
    );
    // A loss quarter ends with the cash its cash-flow statement reports, which differs from
    // the seed's year-end balance sheet: the difference runs through the totals and payables.
    let balance = &seed["balance-sheet"];
    let mut balance_loss = column(balance, 1);
    let difference = value(&cash_loss, "cash_end") - value(&balance_loss, "cash_and_equivalents");
    for id in [
        "cash_and_equivalents",
        "total_current_assets",
        "total_assets",
        "accounts_payable",
        "total_current_liabilities",
        "total_liabilities",
        "total_liabilities_and_equity",
    ] {
        if let Some(Cell::Amount(a)) = balance_loss.get_mut(id) {
            *a = Amount::new(a.value + difference);
        }
    }
    out.insert("balance-sheet", (column(balance, 0), balance_loss));
    out
}

fn figure(cell: Cell, kind: RowKind, scale: i64) -> String {
    match cell {
        Cell::Amount(a) if kind == RowKind::PerShare => {
            if a.negative {
                format!("-{}", a.value.abs())
            } else {
                a.value.to_string()
            }
        }
        Cell::Amount(a) => (a.value * Decimal::from(scale)).to_string(),
        // Percents, markers, nil and N/A are not scaled: written as the table writes them.
        other => other.token(),
    }
}

struct Generator {
    seed: HashMap<String, Statement>,
    texts: HashMap<String, String>,
    archetypes: HashMap<&'static str, (Column, Column)>,
    first: Quarter,
}

impl Generator {
    /// The quarter whose figures fill a column of `table` in the release for `p`.
    fn columns(table: &str, p: Quarter) -> Vec<(String, Quarter)> {
        let q = |offset: i32| Quarter(p.0 - offset);
        match table {
            "balance-sheet" => vec![
                (p.end(), p),
                (p.prior_year_end(), Quarter(p.year() * 4 - 1)),
            ],
            "reconciliation-ebitda" | "pro-forma-net-income" => {
                vec![(p.code(), p), (q(1).code(), q(1))]
            }
            "reconciliation-adjusted-ebitda" => {
                vec![(p.code(), p), (q(1).code(), q(1)), (q(4).code(), q(4))]
            }
            _ => vec![(p.code(), p), (q(4).code(), q(4))],
        }
    }

    fn table(&self, id: &str, p: Quarter) -> String {
        let columns = Self::columns(id, p);
        if id == "normalized-net-income" {
            return self.normalized(&columns);
        }
        let statement = &self.seed[id];
        let kinds: HashMap<&str, RowKind> =
            statement.all_rows().map(|r| (&*r.id, r.kind)).collect();
        let (profit, loss) = &self.archetypes[id];
        let mut out = Vec::new();
        let mut row = String::new();
        let mut in_equals = false;
        for line in self.texts[id].lines() {
            if let Some(rest) = line.strip_prefix("id = ") {
                row = rest.trim_matches('"').to_string();
            }
            if line.starts_with("columns = ") {
                let names: Vec<String> = columns.iter().map(|(c, _)| format!("\"{c}\"")).collect();
                out.push(format!("columns = [{}]", names.join(", ")));
            } else if line.starts_with("values = ") {
                let values: Vec<String> = columns
                    .iter()
                    .map(|(_, q)| {
                        let source = if is_loss(*q, self.first) {
                            loss
                        } else {
                            profit
                        };
                        let kind = kinds[row.as_str()];
                        format!("\"{}\"", figure(source[&row], kind, scale(*q, self.first)))
                    })
                    .collect();
                out.push(format!("values = [{}]", values.join(", ")));
            } else if line.starts_with("equals = [") {
                in_equals = true;
                out.push(line.to_string());
            } else if in_equals || line.starts_with("equals = ") {
                in_equals &= !line.starts_with(']');
                if !line.contains("@start") {
                    out.push(line.to_string());
                }
            } else {
                out.push(line.to_string());
            }
        }
        out.join("\n") + "\n"
    }

    fn normalized(&self, columns: &[(String, Quarter)]) -> String {
        let (profit, loss) = &self.archetypes["normalized-net-income"];
        let values = |id: &str, per_share: bool| {
            let cells: Vec<String> = columns
                .iter()
                .map(|(_, q)| {
                    let source = if is_loss(*q, self.first) {
                        loss
                    } else {
                        profit
                    };
                    let kind = if per_share {
                        RowKind::PerShare
                    } else {
                        RowKind::Item
                    };
                    format!("\"{}\"", figure(source[id], kind, scale(*q, self.first)))
                })
                .collect();
            format!("values = [{}]", cells.join(", "))
        };
        let names: Vec<String> = columns.iter().map(|(c, _)| format!("\"{c}\"")).collect();
        format!(
            "title = {title:?}\nunits = \"Unaudited, in thousands, except per share data\"\n\
             columns = [{columns}]\nnon_gaap = true\n\n\
             [[rows]]\nid = \"net_income\"\nlabel = \"Net income (loss), as reported\"\n\
             currency = true\n{ni}\nequals = \"operations.net_income\"\n\n\
             [[rows]]\nid = \"pro_forma_stock_based_compensation\"\n\
             label = \"Stock-based compensation expense (pro forma)\"\n{sbc}\n\n\
             [[rows]]\nid = \"normalized_net_income\"\nlabel = \"Normalized net income (loss) \
             including the effect of stock-based compensation expense\"\nkind = \"subtotal\"\n\
             non_gaap = true\ncomparable = \"net_income\"\n{norm}\n\
             equals = \"net_income - pro_forma_stock_based_compensation\"\n\n\
             [[rows]]\nid = \"diluted_eps\"\nlabel = \"Diluted net income (loss) per share\"\n\
             kind = \"per_share\"\n{eps}\nequals = \"operations.diluted_eps\"\n\n\
             [[rows]]\nid = \"stock_based_compensation_per_share\"\n\
             label = \"Stock-based compensation expense, per share\"\nkind = \"per_share\"\n\
             currency = false\n{sbc_ps}\n\
             equals = \"-pro_forma_stock_based_compensation / operations.diluted_shares\"\n\n\
             [[rows]]\nid = \"normalized_diluted_eps\"\nlabel = \"Diluted normalized net income \
             (loss) per share\"\nkind = \"per_share\"\nnon_gaap = true\n\
             comparable = \"diluted_eps\"\n{norm_eps}\n\
             equals = \"normalized_net_income / operations.diluted_shares\"\n",
            title = self.seed["normalized-net-income"].title,
            columns = names.join(", "),
            ni = values("net_income", false),
            sbc = values("pro_forma_stock_based_compensation", false),
            norm = values("normalized_net_income", false),
            eps = values("diluted_eps", true),
            sbc_ps = values("stock_based_compensation_per_share", true),
            norm_eps = values("normalized_diluted_eps", true),
        )
    }

    fn index(&self, p: Quarter) -> String {
        let seed = &self.texts["index.md"];
        let body_start = seed.find("\n+++").map_or(0, |i| i + 5);
        // Through placeholders, so a period already moved is not moved twice.
        let move_on = |text: &str| {
            text.replace("@2005-Q1", "@\u{1}year-ago")
                .replace("@2005-Q4", "@\u{1}quarter-ago")
                .replace("@\u{1}year-ago", &format!("@{}", Quarter(p.0 - 4).code()))
                .replace(
                    "@\u{1}quarter-ago",
                    &format!("@{}", Quarter(p.0 - 1).code()),
                )
                .replace("@start", &format!("@{}", p.prior_year_end()))
        };
        let highlights: Vec<String> = seed
            .lines()
            .filter(|l| l.starts_with("  \"") && l.contains("{{"))
            .map(&move_on)
            .collect();
        let date = p.release_date();
        format!(
            "+++\ntitle = \"Synthetic Networks Reports Results for Q{n} {y}\"\ndate = {date}\n\
             dateline = \"ATLANTA\"\nperiod = \"{code}\"\n\
             summary = \"Synthetic Networks Corporation reported results for the quarter ended \
             {end}.\"\nhighlights = [\n{highlights}\n]\n\n[call]\n\
             title = \"Synthetic Networks Q{n} {y} teleconference\"\n\
             start = {date}T17:00:00-04:00\nwebcast = \"https://example.com/ir\"\n\n\
             [[call.dial_in]]\nlabel = \"domestic\"\nnumber = \"866.555.0100\"\n\
             pass_code = \"{pass}\"\n+++\n{body}",
            n = p.number(),
            y = p.year(),
            code = p.code(),
            end = p.end(),
            highlights = highlights.join("\n"),
            pass = 10_000_000 + p.0,
            body = move_on(&seed[body_start..]),
        )
    }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry?;
        let target = to.join(entry.path().strip_prefix(from).unwrap_or(entry.path()));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Copies the bundled templates and static files into the site in `dir`, replacing its own:
/// a site written earlier then uses the templates as they are now.
pub fn copy_bundled(dir: &Path) -> std::io::Result<()> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["templates", "static"] {
        if dir.join(part).exists() {
            std::fs::remove_dir_all(dir.join(part))?;
        }
        copy_dir(&repo.join(part), &dir.join(part))?;
    }
    Ok(())
}

/// Writes a site of `n` quarterly releases into `dir`, which must be empty or absent.
pub fn write_site(n: i32, dir: &Path) -> Result<String, Box<dyn std::error::Error>> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(format!("{} exists and is not empty", dir.display()).into());
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seed = HashMap::new();
    let mut texts = HashMap::new();
    for entry in std::fs::read_dir(repo.join(SEED).join("tables"))? {
        let path = entry?.path();
        let statement =
            irsite::content::load_statement(&path, &irsite::finance::FiscalCalendar::default())?;
        texts.insert(statement.id.clone(), std::fs::read_to_string(&path)?);
        seed.insert(statement.id.clone(), statement);
    }
    texts.insert(
        "index.md".into(),
        std::fs::read_to_string(repo.join(SEED).join("index.md"))?,
    );
    // The archive starts in 2000 and runs forward a quarter at a time (10,000 quarters end in
    // the 45th century, well inside the four-digit years dates allow).
    let first = Quarter(2000 * 4);
    let last = Quarter(first.0 + n - 1);
    let generator = Generator {
        archetypes: archetypes(&seed),
        seed,
        texts,
        first,
    };
    copy_bundled(dir)?;
    let site = std::fs::read_to_string(repo.join("site.toml"))?
        .replace(
            "Internap Investor Relations",
            "Synthetic Networks Investor Relations",
        )
        .replace(
            "https://internap.github.io/investors/",
            "https://example.github.io/ir/",
        );
    std::fs::write(dir.join("site.toml"), site)?;
    let mut ids: Vec<&String> = generator.seed.keys().collect();
    ids.sort();
    for i in 0..n {
        let p = Quarter(first.0 + i);
        let release = dir.join("content/releases").join(p.slug());
        std::fs::create_dir_all(release.join("tables"))?;
        std::fs::write(release.join("index.md"), generator.index(p))?;
        for id in &ids {
            std::fs::write(
                release.join("tables").join(format!("{id}.toml")),
                generator.table(id, p),
            )?;
        }
    }
    Ok(format!(
        "wrote {n} releases ({} to {}) to {}",
        first.code(),
        last.code(),
        dir.display()
    ))
}

/// Rewrites the tables of the newest release of a synthetic site (in `release`) with every
/// amount of its own quarter (each table's first column) doubled, per-share figures aside: an
/// edit to charted figures of a quarter no other release reports. See [`double_columns`].
pub fn double_latest_quarter(release: &Path) -> Result<(), Box<dyn std::error::Error>> {
    double_columns(release, |index, _| index == 0)
}

/// [`double_latest_quarter`] for the columns headed `period` ("2001-Q1"), which must be a
/// quarter no other release of the site reports.
pub fn double_quarter(release: &Path, period: &str) -> Result<(), Box<dyn std::error::Error>> {
    double_columns(release, |_, header| header == period)
}

/// Doubles every amount, per-share figures aside, in the columns `pick` chooses by index and
/// header, in every table of `release`. Every relation still holds afterwards, as they are sums,
/// differences and ratios within a period; doing it again doubles them again.
fn double_columns(
    release: &Path,
    pick: impl Fn(usize, &str) -> bool,
) -> Result<(), Box<dyn std::error::Error>> {
    // A one-line array of strings, as this generator writes `columns` and `values`.
    let strings = |array: &str| -> Vec<String> {
        let items = array.trim().trim_start_matches('[').trim_end_matches(']');
        if items.trim().is_empty() {
            return Vec::new();
        }
        items
            .split(',')
            .map(|v| v.trim().trim_matches('"').to_string())
            .collect()
    };
    for entry in std::fs::read_dir(release.join("tables"))? {
        let path = entry?.path();
        let text = std::fs::read_to_string(&path)?;
        // Rows come in blocks that give their `kind` before their `values`.
        let mut picked = Vec::new();
        let mut per_share = false;
        let mut out = String::with_capacity(text.len());
        for line in text.lines() {
            if let Some(columns) = line.strip_prefix("columns = ") {
                let headers = strings(columns);
                picked = (0..headers.len()).map(|i| pick(i, &headers[i])).collect();
            } else if line.starts_with("[[") {
                per_share = false;
            } else if line == "kind = \"per_share\"" {
                per_share = true;
            } else if let Some(values) = line.strip_prefix("values = ")
                && !per_share
            {
                let doubled: Vec<String> = strings(values)
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| match v.parse::<Decimal>() {
                        Ok(amount) if picked.get(i) == Some(&true) => {
                            format!("\"{}\"", amount * Decimal::TWO)
                        }
                        _ => format!("\"{v}\""),
                    })
                    .collect();
                out.push_str(&format!("values = [{}]\n", doubled.join(", ")));
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        std::fs::write(&path, out)?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (n, dir) = match args.as_slice() {
        [flag, n, dir] if flag == "--releases" => (n.parse::<i32>()?, PathBuf::from(dir)),
        _ => return Err("usage: synth --releases N DIR".into()),
    };
    println!("{}", write_site(n, &dir)?);
    Ok(())
}
