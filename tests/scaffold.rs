//! `irsite new release 2006-Q2` on the example: what it writes, what `check` then asks for, and a
//! filled-in scaffold that `check` accepts and `build` publishes; and a whole fiscal year of
//! scaffolds for each kind of calendar (December, September, a 52/53-week retailer), filled in
//! from a synthetic company's books, with nothing stale surviving any of them.

mod common;
#[path = "scaffold/model.rs"]
mod model;

use std::collections::HashMap;
use std::path::Path;

use common::irsite;
use irsite::finance::{Cell, FiscalCalendar, Period, PeriodName};
use irsite::site::{Options, build, check};
use model::Company;

/// Row id → the quoted figures of its `values` line.
fn figures_by_row(toml: &str) -> HashMap<String, Vec<String>> {
    let mut map = HashMap::new();
    let mut row = String::new();
    for line in toml.lines() {
        if let Some(id) = line.strip_prefix("id = ") {
            row = id.trim_matches('"').to_string();
        } else if line.starts_with("values = [") {
            map.insert(
                row.clone(),
                line.split('"')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_string)
                    .collect(),
            );
        }
    }
    map
}

/// Fills each empty figure of the example's second quarter (tables that print the quarter
/// alone, cash flows for the six months) so that the books hold together, as the IR team's
/// would: each second quarter repeats its first, so every flow of the quarter is the first
/// quarter's, every balance moves by as much again (June 30 is twice March 31 less December 31)
/// and each six months is twice the three (cash at their start being the year-end balance, and
/// cash at their end twice the first quarter's end less it). Every relation, which adds and
/// subtracts, holds of such columns, and so do the ties across releases: a six months is the
/// sum of its quarters, whichever release reports them.
fn fill(new: &str, old: &str) -> String {
    use rust_decimal::Decimal;
    let old = figures_by_row(old);
    let quoted = |line: &str| -> Vec<String> {
        line.split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    // Twice `a` less `b`: nil counts as zero, and nil twice less nil stays nil.
    let again = |a: &str, b: &str| -> String {
        let amount = |f: &str| match f {
            "nil" => Some(Decimal::ZERO),
            f => f.parse::<Decimal>().ok(),
        };
        match (a, b, amount(a), amount(b)) {
            ("nil", "nil", ..) => "nil".into(),
            (_, _, Some(a), Some(b)) => (a * Decimal::TWO - b).to_string(),
            _ => a.to_string(), // N/A
        }
    };
    let columns = quoted(new.lines().find(|l| l.starts_with("columns = [")).unwrap());
    let mut row = String::new();
    let mut out = Vec::new();
    for line in new.lines() {
        if let Some(id) = line.strip_prefix("id = ") {
            row = id.trim_matches('"').to_string();
        }
        if !line.starts_with("values = [") {
            out.push(line.to_string());
            continue;
        }
        let filled: Vec<String> = quoted(line)
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let was = |id: &str, i: usize| old[id][i].clone();
                let v = match columns[i].as_str() {
                    _ if !v.is_empty() => v.clone(),
                    "2006-06-30" => again(&was(&row, 0), &was(&row, 1)),
                    "2006-6M" | "2005-6M" => match row.as_str() {
                        "cash_beginning" => was(&row, i),
                        "cash_end" => again(&was(&row, i), &was("cash_beginning", i)),
                        _ => again(&was(&row, i), "0"),
                    },
                    _ => was(&row, i), // a second quarter, as its first
                };
                format!("\"{v}\"")
            })
            .collect();
        out.push(format!("values = [{}]", filled.join(", ")));
    }
    out.join("\n") + "\n"
}

/// A period the archive already reports keeps every kind of cell as written (a percent, a
/// not-meaningful marker, a blank cell), and a new period's cells are all still to fill in,
/// whatever the kind of the cell beside them.
#[test]
fn a_kept_column_keeps_percents_markers_and_blank_cells() {
    let site = common::fixture_site("cells");
    let root = site.path();
    let (ok, _, stderr) = irsite(root, &["new", "release", "2006-Q2"]);
    assert!(ok, "{stderr}");
    let balance = common::read(&root.join("content/releases/2006-q2/tables/balance-sheet.toml"));
    assert!(
        balance.contains("columns = [\"2006-06-30\", \"2005-12-31\"]"),
        "{balance}"
    );
    for kept in [
        "values = [\"\", \"1650\"]",
        "values = [\"\", \"33.0%\"]",
        "values = [\"\", \"NM\"]",
        "values = [\"\", \"blank\"]",
    ] {
        assert!(balance.contains(kept), "{kept} in\n{balance}");
    }
    let operations = common::read(&root.join("content/releases/2006-q2/tables/operations.toml"));
    // Its periods are all new: every figure, whatever its kind in 2006-Q1, is to fill in.
    let table: toml::Value = toml::from_str(&operations).unwrap();
    let values: Vec<&str> = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|row| row.get("values")?.as_array())
        .flatten()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(values.len() > 40, "{operations}");
    assert!(values.iter().all(|v| v.is_empty()), "{values:?}");
    // The empty figures are listed as still to fill in; the kept markers are not.
    let (ok, _, stderr) = irsite(root, &["check"]);
    assert!(!ok);
    assert!(stderr.contains("still empty"), "{stderr}");
    assert!(stderr.contains("June 30, 2006: still empty"), "{stderr}");
    assert!(
        !stderr.contains("December 31, 2005: still empty"),
        "{stderr}"
    );
}

#[test]
fn a_scaffolded_quarter_lists_what_is_empty_and_publishes_once_filled_in() {
    let site = common::copy_of_example();
    let root = site.path();
    let (ok, stdout, stderr) = irsite(root, &["new", "release", "2006-Q2"]);
    assert!(ok, "{stderr}");
    let new_dir = root.join("content/releases/2006-q2");
    assert!(stdout.contains(&new_dir.join("index.md").display().to_string()));
    let old_dir = root.join("content/releases/2006-q1");

    // Periods and headers roll forward; what was already reported is kept.
    let balance = common::read(&new_dir.join("tables/balance-sheet.toml"));
    assert!(balance.contains("columns = [\"2006-06-30\", \"2005-12-31\"]"));
    assert!(
        balance.contains("values = [\"\", \"24434\"]"),
        "year-end cash is kept"
    );
    let recon = common::read(&new_dir.join("tables/reconciliation-adjusted-ebitda.toml"));
    assert!(recon.contains("columns = [\"2006-Q2\", \"2006-Q1\", \"2005-Q2\"]"));
    assert!(
        recon.contains("values = [\"\", \"5807\", \"\"]"),
        "Q1 2006 is kept"
    );
    // The statement of operations, a quarter beside the same quarter of the prior year, gains
    // the six months beside it; the relations stated for 2005 follow to both 2005 columns.
    let operations = common::read(&new_dir.join("tables/operations.toml"));
    assert!(operations.contains("columns = [\"2006-Q2\", \"2005-Q2\", \"2006-6M\", \"2005-6M\"]"));
    assert!(operations.contains("values = [\"\", \"\", \"\", \"\"]"));
    // The cash flows are year to date, so they become six months; a citation of them that read
    // the first quarter's own year to date names the six months it now reads.
    let cash_flows = common::read(&new_dir.join("tables/cash-flows.toml"));
    assert!(
        cash_flows.contains("columns = [\"2006-6M\", \"2005-6M\"]"),
        "{cash_flows}"
    );
    let index = common::read(&new_dir.join("index.md"));
    assert!(
        index.contains("{{ cash-flows.net_cash_operating@2006-6M | millions }}")
            && index.contains("{{ cash-flows.net_cash_operating@2005-6M | millions }}"),
        "{index}"
    );
    let normalized = common::read(&new_dir.join("tables/normalized-net-income.toml"));
    assert!(
        normalized
            .contains("\"2005-Q2, 2005-6M: net_income - pro_forma_stock_based_compensation\""),
        "{normalized}"
    );

    // Scaffolding never overwrites, and only moves forward.
    let (ok, _, stderr) = irsite(root, &["new", "release", "2006-Q2"]);
    assert!(!ok && stderr.contains("already exists"), "{stderr}");
    let (ok, _, stderr) = irsite(root, &["new", "release", "2005-Q4"]);
    assert!(
        !ok && stderr.contains("does not come after 2006-Q2")
            && stderr.contains("the next quarter is 2006-Q3"),
        "{stderr}"
    );
    assert!(!root.join("content/releases/2005-q4").exists());

    // check lists everything still empty, and nothing is published.
    let (ok, _, stderr) = irsite(root, &["check"]);
    assert!(!ok);
    for expected in [
        "`title` is still empty in the front matter",
        "`date` is still empty in the front matter",
        "`summary` is still empty in the front matter",
        "still to do: rewrite this release for the second quarter of 2006",
        "operations.toml:6: revenue, three months ended June 30, 2006: still empty: fill in the figure",
        "operations.toml:6: revenue, six months ended June 30, 2005: still empty: fill in the figure",
        "balance-sheet.toml:17: cash_and_equivalents, June 30, 2006: still empty",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    assert!(
        !stderr.contains("December 31, 2005: still empty"),
        "{stderr}"
    );
    let empties = stderr.matches("still empty: fill in the figure").count();
    assert!(empties > 300, "{empties} empty figures");

    // A company that prints the quarter alone says so in its tables (`year_to_date = false`),
    // and the scaffold then has the latest release's columns, rolled.
    std::fs::remove_dir_all(&new_dir).unwrap();
    for table in common::files_under(&old_dir.join("tables")) {
        let path = old_dir.join("tables").join(&table);
        let text =
            common::read(&path).replacen("columns = [", "year_to_date = false\ncolumns = [", 1);
        std::fs::write(&path, text).unwrap();
    }
    let (ok, _, stderr) = irsite(root, &["new", "release", "2006-Q2"]);
    assert!(ok, "{stderr}");
    let operations = common::read(&new_dir.join("tables/operations.toml"));
    assert!(operations.contains("year_to_date = false\ncolumns = [\"2006-Q2\", \"2005-Q2\"]"));

    // Fill everything in, as the IR team would.
    for table in common::files_under(&new_dir.join("tables")) {
        let new = new_dir.join("tables").join(&table);
        let filled = fill(
            &common::read(&new),
            &common::read(&old_dir.join("tables").join(&table)),
        );
        assert!(!filled.contains("\"\""), "{table} still has empty figures");
        std::fs::write(&new, filled).unwrap();
    }
    let index = new_dir.join("index.md");
    let text = common::read(&index)
        .replacen(
            "title = \"\"",
            "title = \"Internap Reports Second Quarter 2006 Results\"",
            1,
        )
        .replacen("date = \"\"", "date = 2006-08-03", 1)
        .replacen("summary = \"\"", "summary = \"Second quarter results.\"", 1);
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("<!-- TODO"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&index, text).unwrap();

    let (ok, stdout, stderr) = irsite(root, &["check"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("2 releases"), "{stdout}");
    let (ok, _, stderr) = irsite(root, &["build"]);
    assert!(ok, "{stderr}");
    let home = common::read(&root.join("public/index.html"));
    assert!(home.contains("Internap Reports Second Quarter 2006 Results"));
    assert!(root.join("public/financials/2006-q2/index.html").is_file());
}

/// A copy of a fixture site of `tests/fixtures/calendars/` with the bundled templates and
/// static files.
fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = common::repo_root().join("tests/fixtures/calendars");
    common::copy_tree(&fixtures.join(name), dir.path());
    for part in ["templates", "static"] {
        common::copy_tree(&common::repo_root().join(part), &dir.path().join(part));
    }
    dir
}

/// Every fixture release has these tables.
const TABLES: [&str; 3] = ["operations", "balance-sheet", "cash-flows"];

/// A column as its table names it, and the header words it is printed with.
type Column = (&'static str, &'static str);

/// One release of the year: what `new release` is asked for, when it is dated once filled in,
/// the columns each table must then have, and where the prior-year rule of `income_taxes`
/// (stated for 2005-Q1 in the first quarter) must have gone.
struct Step {
    period: &'static str,
    date: &'static str,
    operations: &'static [Column],
    /// The spanning headers the statement of operations is printed under, left to right.
    operations_headers: &'static [&'static str],
    balance_sheet: &'static [Column],
    cash_flows: &'static [Column],
    prior_year_rule: &'static str,
}

/// The rows of a table file with their figures, by table.
fn load(dir: &Path, table: &str, calendar: &FiscalCalendar) -> irsite::finance::Statement {
    irsite::content::load_statement(&dir.join(format!("tables/{table}.toml")), calendar)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The model's figure as a cell.
fn model_cell(
    company: &Company,
    table: &str,
    row: &str,
    period: &Period,
    calendar: &FiscalCalendar,
) -> Cell {
    company
        .figure(table, row, period.name(), calendar)
        .parse()
        .unwrap()
}

/// Fills every empty figure of the release in `dir` from the company's books, in place.
fn fill_tables(dir: &Path, company: &Company, calendar: &FiscalCalendar) {
    for table in TABLES {
        let path = dir.join(format!("tables/{table}.toml"));
        let mut doc: toml_edit::DocumentMut = common::read(&path).parse().unwrap();
        let columns: Vec<PeriodName> = doc["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().parse().unwrap())
            .collect();
        for row in doc["rows"].as_array_of_tables_mut().unwrap().iter_mut() {
            let id = row["id"].as_str().unwrap().to_string();
            let Some(values) = row.get_mut("values").and_then(|v| v.as_array_mut()) else {
                continue;
            };
            for (value, period) in values.iter_mut().zip(&columns) {
                if value.as_str() == Some("") {
                    let decor = value.decor().clone();
                    *value = company.figure(table, &id, *period, calendar).into();
                    *value.decor_mut() = decor;
                }
            }
        }
        std::fs::write(&path, doc.to_string()).unwrap();
    }
}

/// Fills in the front matter and takes the TODO note out, as the IR team would.
fn fill_index(dir: &Path, step: &Step) {
    let index = dir.join("index.md");
    let text = common::read(&index)
        .replacen(
            "title = \"\"",
            &format!("title = \"Results for {}\"", step.period),
            1,
        )
        .replacen("date = \"\"", &format!("date = {}", step.date), 1)
        .replacen("summary = \"\"", "summary = \"Results.\"", 1);
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("<!-- TODO"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&index, text).unwrap();
}

/// Scaffolds each of `steps` in turn from the fixture's first quarter, and checks the columns
/// and headers each table gets, that every figure of a period no release reported is empty
/// and listed by `check`, that every other figure is the one reported for its period (a stale
/// figure, such as six months' under a nine-month header, is not the model's), that layout and
/// comments survive, and that the release, filled in from the company's books, passes `check`
/// (its figures tie within the release and with the releases before it) and is published.
fn roll_through_the_year(name: &str, company: &Company, steps: &[Step]) {
    let site = fixture(name);
    let root = site.path();
    let calendar = irsite::config::Config::load(root).unwrap().calendar;
    let options = Options {
        root: root.to_path_buf(),
        output_dir: Some(root.join("public")),
        base_url: None,
        force: false,
    };
    // What the archive reports, by table; the fixture's figures are the company's.
    let mut reported: Vec<(&str, Period)> = Vec::new();
    let first = root.join("content/releases/2006-q1");
    for table in TABLES {
        let statement = load(&first, table, &calendar);
        for row in statement.all_rows().filter(|r| !r.values.is_empty()) {
            for (period, cell) in statement.columns.iter().zip(&row.values) {
                let model = model_cell(company, table, &row.id, period, &calendar);
                assert!(
                    cell.identical(&model),
                    "{name}: fixture {table}.{} {period}",
                    row.id
                );
            }
        }
        reported.extend(statement.columns.iter().map(|p| (table, *p)));
    }
    for (n, step) in steps.iter().enumerate() {
        let at = format!("{name}, {}", step.period);
        irsite::scaffold::new_release(root, step.period.parse().unwrap())
            .unwrap_or_else(|e| panic!("{at}: {e}"));
        let dir = root
            .join("content/releases")
            .join(step.period.to_lowercase());

        // The columns, and the periods their headers are made of, from the calendar.
        for (table, expected) in
            TABLES
                .into_iter()
                .zip([step.operations, step.balance_sheet, step.cash_flows])
        {
            let columns: Vec<(String, String)> = load(&dir, table, &calendar)
                .columns
                .iter()
                .map(|p| (p.to_string(), p.long_label()))
                .collect();
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(p, label)| (p.to_string(), label.to_string()))
                .collect();
            assert_eq!(columns, expected, "{at}: {table}");
        }

        // Comments, multi-line arrays and trailing comments are as written; a restatement and
        // its comment are gone; the prior-year rule follows its columns.
        let operations = common::read(&dir.join("tables/operations.toml"));
        // Revenue's figures stay one a line, the first with its comment.
        let revenue = operations
            .split_once("id = \"revenue\"\nlabel = \"Revenue\"\nvalues = [\n")
            .and_then(|(_, rest)| rest.split_once("\n]\n"))
            .map(|(lines, _)| lines.lines().collect::<Vec<_>>())
            .unwrap_or_default();
        assert_eq!(revenue.len(), step.operations.len(), "{at}:\n{operations}");
        assert!(
            revenue[0].ends_with("\",  # this year"),
            "{at}: {revenue:?}"
        );
        assert!(
            revenue[1..]
                .iter()
                .all(|l| l.starts_with("  \"") && l.ends_with("\",")),
            "{at}: {revenue:?}"
        );
        for expected in [
            "# Condensed consolidated statements of operations of an invented company",
            "# Stated for the prior year only, to follow that column through the year.\n",
            "equals = [\n  \"income_before_taxes - income_taxes\",  # the bottom line\n  \"cash-flows.net_income\",\n]",
            &format!(
                "equals = [\"{}: income_before_taxes - net_income\"]",
                step.prior_year_rule
            ),
        ] {
            assert!(
                operations.contains(expected),
                "{at}: {expected:?} in\n{operations}"
            );
        }
        assert!(
            !operations.contains("restated") && !operations.contains("field-radio"),
            "{at}"
        );
        let balance = common::read(&dir.join("tables/balance-sheet.toml"));
        assert!(
            balance.contains("\"]  # the quarter end and the prior fiscal year end\n"),
            "{at}"
        );
        let cash = common::read(&dir.join("tables/cash-flows.toml"));
        assert!(
            cash.contains(&format!(
                "columns = [\n  \"{}\",\n  \"{}\",\n]",
                step.cash_flows[0].0, step.cash_flows[1].0
            )),
            "{at}:\n{cash}"
        );

        // Every figure is the one the archive reports for its period, or empty.
        let mut empty = 0;
        for table in TABLES {
            let statement = load(&dir, table, &calendar);
            for row in statement.all_rows().filter(|r| !r.values.is_empty()) {
                for (period, cell) in statement.columns.iter().zip(&row.values) {
                    let known = reported
                        .iter()
                        .any(|(t, p)| *t == table && (p == period || p.same_span(period)));
                    let id = &row.id;
                    if known {
                        let model = model_cell(company, table, id, period, &calendar);
                        assert!(
                            cell.identical(&model),
                            "{at}: {table}.{id} {period}: {cell:?}, reported {model:?}"
                        );
                    } else {
                        assert_eq!(*cell, Cell::Missing, "{at}: {table}.{id} {period} is new");
                        empty += 1;
                    }
                }
            }
        }
        assert!(empty > 0, "{at}");

        // `check` lists each empty figure and fails.
        let errors = check(&options).map(|_| ()).unwrap_err().to_string();
        assert_eq!(
            errors.matches("still empty: fill in the figure").count(),
            empty,
            "{at}:\n{errors}"
        );
        assert!(
            errors.contains("`title` is still empty in the front matter"),
            "{at}"
        );

        // Filled in from the books, it passes and is published.
        fill_tables(&dir, company, &calendar);
        fill_index(&dir, step);
        let summary = check(&options).unwrap_or_else(|e| panic!("{at}:\n{e}"));
        assert_eq!(summary.releases, n + 2, "{at}");
        build(&options).unwrap_or_else(|e| panic!("{at}:\n{e}"));
        let slug = step.period.to_lowercase();
        let page = common::read(&root.join(format!("public/releases/{slug}/index.html")));
        assert!(
            page.contains(&format!("Results for {}", step.period)),
            "{at}"
        );
        // The revenue chart labels its quarters by fiscal year where it is not the calendar year.
        let label = calendar.parse(step.period).unwrap().short_label();
        assert_eq!(label.contains("FY"), name != "december", "{at}: {label}");
        let home = common::read(&root.join("public/index.html"));
        assert!(
            home.contains(&format!(">{label}<")),
            "{at}: no {label} on the home page"
        );
        let doc = common::parse(&page);
        let operations = common::by_id(&doc, "operations").unwrap();
        let spanning: Vec<String> = operations
            .descendants()
            .filter(|n| n.attribute("scope") == Some("colgroup"))
            .map(common::text_of)
            .collect();
        assert_eq!(spanning, step.operations_headers, "{at}");
        for table in TABLES {
            reported.extend(
                load(&dir, table, &calendar)
                    .columns
                    .iter()
                    .map(|p| (table, *p)),
            );
        }
    }
}

#[test]
fn a_december_year_rolls_quarter_by_quarter() {
    roll_through_the_year(
        "december",
        &Company { scale: 1 },
        &[
            Step {
                period: "2006-Q2",
                date: "2006-07-27",
                operations: &[
                    ("2006-Q2", "Three months ended June 30, 2006"),
                    ("2005-Q2", "Three months ended June 30, 2005"),
                    ("2006-6M", "Six months ended June 30, 2006"),
                    ("2005-6M", "Six months ended June 30, 2005"),
                ],
                operations_headers: &["Three months ended June 30,", "Six months ended June 30,"],
                balance_sheet: &[
                    ("2006-06-30", "June 30, 2006"),
                    ("2005-12-31", "December 31, 2005"),
                ],
                cash_flows: &[
                    ("2006-6M", "Six months ended June 30, 2006"),
                    ("2005-6M", "Six months ended June 30, 2005"),
                ],
                prior_year_rule: "2005-Q2, 2005-6M",
            },
            Step {
                period: "2006-Q3",
                date: "2006-10-26",
                operations: &[
                    ("2006-Q3", "Three months ended September 30, 2006"),
                    ("2005-Q3", "Three months ended September 30, 2005"),
                    ("2006-9M", "Nine months ended September 30, 2006"),
                    ("2005-9M", "Nine months ended September 30, 2005"),
                ],
                operations_headers: &[
                    "Three months ended September 30,",
                    "Nine months ended September 30,",
                ],
                balance_sheet: &[
                    ("2006-09-30", "September 30, 2006"),
                    ("2005-12-31", "December 31, 2005"),
                ],
                cash_flows: &[
                    ("2006-9M", "Nine months ended September 30, 2006"),
                    ("2005-9M", "Nine months ended September 30, 2005"),
                ],
                prior_year_rule: "2005-Q3, 2005-9M",
            },
            Step {
                period: "2006-Q4",
                date: "2007-02-01",
                operations: &[
                    ("2006-Q4", "Three months ended December 31, 2006"),
                    ("2005-Q4", "Three months ended December 31, 2005"),
                    ("2006-FY", "Year ended December 31, 2006"),
                    ("2005-FY", "Year ended December 31, 2005"),
                ],
                operations_headers: &["Three months ended December 31,", "Year ended December 31,"],
                balance_sheet: &[
                    ("2006-12-31", "December 31, 2006"),
                    ("2005-12-31", "December 31, 2005"),
                ],
                cash_flows: &[
                    ("2006-FY", "Year ended December 31, 2006"),
                    ("2005-FY", "Year ended December 31, 2005"),
                ],
                prior_year_rule: "2005-Q4, 2005-FY",
            },
            Step {
                period: "2007-Q1",
                date: "2007-04-26",
                operations: &[
                    ("2007-Q1", "Three months ended March 31, 2007"),
                    ("2006-Q1", "Three months ended March 31, 2006"),
                ],
                operations_headers: &["Three months ended March 31,"],
                balance_sheet: &[
                    ("2007-03-31", "March 31, 2007"),
                    ("2006-12-31", "December 31, 2006"),
                ],
                cash_flows: &[
                    ("2007-3M", "Three months ended March 31, 2007"),
                    ("2006-3M", "Three months ended March 31, 2006"),
                ],
                prior_year_rule: "2006-Q1",
            },
            Step {
                period: "2007-Q2",
                date: "2007-07-26",
                operations: &[
                    ("2007-Q2", "Three months ended June 30, 2007"),
                    ("2006-Q2", "Three months ended June 30, 2006"),
                    ("2007-6M", "Six months ended June 30, 2007"),
                    ("2006-6M", "Six months ended June 30, 2006"),
                ],
                operations_headers: &["Three months ended June 30,", "Six months ended June 30,"],
                balance_sheet: &[
                    ("2007-06-30", "June 30, 2007"),
                    ("2006-12-31", "December 31, 2006"),
                ],
                cash_flows: &[
                    ("2007-6M", "Six months ended June 30, 2007"),
                    ("2006-6M", "Six months ended June 30, 2006"),
                ],
                prior_year_rule: "2006-Q2, 2006-6M",
            },
        ],
    );
}

#[test]
fn a_september_year_rolls_quarter_by_quarter() {
    roll_through_the_year(
        "september",
        &Company { scale: 3 },
        &[
            Step {
                period: "2006-Q2",
                date: "2006-04-27",
                operations: &[
                    ("2006-Q2", "Three months ended March 31, 2006"),
                    ("2005-Q2", "Three months ended March 31, 2005"),
                    ("2006-6M", "Six months ended March 31, 2006"),
                    ("2005-6M", "Six months ended March 31, 2005"),
                ],
                operations_headers: &["Three months ended March 31,", "Six months ended March 31,"],
                balance_sheet: &[
                    ("2006-03-31", "March 31, 2006"),
                    ("2005-09-30", "September 30, 2005"),
                ],
                cash_flows: &[
                    ("2006-6M", "Six months ended March 31, 2006"),
                    ("2005-6M", "Six months ended March 31, 2005"),
                ],
                prior_year_rule: "2005-Q2, 2005-6M",
            },
            Step {
                period: "2006-Q3",
                date: "2006-07-27",
                operations: &[
                    ("2006-Q3", "Three months ended June 30, 2006"),
                    ("2005-Q3", "Three months ended June 30, 2005"),
                    ("2006-9M", "Nine months ended June 30, 2006"),
                    ("2005-9M", "Nine months ended June 30, 2005"),
                ],
                operations_headers: &["Three months ended June 30,", "Nine months ended June 30,"],
                balance_sheet: &[
                    ("2006-06-30", "June 30, 2006"),
                    ("2005-09-30", "September 30, 2005"),
                ],
                cash_flows: &[
                    ("2006-9M", "Nine months ended June 30, 2006"),
                    ("2005-9M", "Nine months ended June 30, 2005"),
                ],
                prior_year_rule: "2005-Q3, 2005-9M",
            },
            Step {
                period: "2006-Q4",
                date: "2006-11-02",
                operations: &[
                    ("2006-Q4", "Three months ended September 30, 2006"),
                    ("2005-Q4", "Three months ended September 30, 2005"),
                    ("2006-FY", "Year ended September 30, 2006"),
                    ("2005-FY", "Year ended September 30, 2005"),
                ],
                operations_headers: &[
                    "Three months ended September 30,",
                    "Year ended September 30,",
                ],
                balance_sheet: &[
                    ("2006-09-30", "September 30, 2006"),
                    ("2005-09-30", "September 30, 2005"),
                ],
                cash_flows: &[
                    ("2006-FY", "Year ended September 30, 2006"),
                    ("2005-FY", "Year ended September 30, 2005"),
                ],
                prior_year_rule: "2005-Q4, 2005-FY",
            },
            Step {
                period: "2007-Q1",
                date: "2007-01-25",
                operations: &[
                    ("2007-Q1", "Three months ended December 31, 2006"),
                    ("2006-Q1", "Three months ended December 31, 2005"),
                ],
                operations_headers: &["Three months ended December 31,"],
                balance_sheet: &[
                    ("2006-12-31", "December 31, 2006"),
                    ("2006-09-30", "September 30, 2006"),
                ],
                cash_flows: &[
                    ("2007-3M", "Three months ended December 31, 2006"),
                    ("2006-3M", "Three months ended December 31, 2005"),
                ],
                prior_year_rule: "2006-Q1",
            },
            Step {
                period: "2007-Q2",
                date: "2007-04-26",
                operations: &[
                    ("2007-Q2", "Three months ended March 31, 2007"),
                    ("2006-Q2", "Three months ended March 31, 2006"),
                    ("2007-6M", "Six months ended March 31, 2007"),
                    ("2006-6M", "Six months ended March 31, 2006"),
                ],
                operations_headers: &["Three months ended March 31,", "Six months ended March 31,"],
                balance_sheet: &[
                    ("2007-03-31", "March 31, 2007"),
                    ("2006-09-30", "September 30, 2006"),
                ],
                cash_flows: &[
                    ("2007-6M", "Six months ended March 31, 2007"),
                    ("2006-6M", "Six months ended March 31, 2006"),
                ],
                prior_year_rule: "2006-Q2, 2006-6M",
            },
        ],
    );
}

/// Fiscal 2005 of this retailer ended on January 28, 2006 (52 weeks); fiscal 2006 runs to
/// February 3, 2007 (53 weeks, the extra one in the fourth quarter).
#[test]
fn a_52_53_week_year_rolls_quarter_by_quarter() {
    roll_through_the_year(
        "retail",
        &Company { scale: 7 },
        &[
            Step {
                period: "2006-Q2",
                date: "2006-08-24",
                operations: &[
                    ("2006-Q2", "13 weeks ended July 29, 2006"),
                    ("2005-Q2", "13 weeks ended July 30, 2005"),
                    ("2006-6M", "26 weeks ended July 29, 2006"),
                    ("2005-6M", "26 weeks ended July 30, 2005"),
                ],
                operations_headers: &["13 weeks ended", "26 weeks ended"],
                balance_sheet: &[
                    ("2006-07-29", "July 29, 2006"),
                    ("2006-01-28", "January 28, 2006"),
                ],
                cash_flows: &[
                    ("2006-6M", "26 weeks ended July 29, 2006"),
                    ("2005-6M", "26 weeks ended July 30, 2005"),
                ],
                prior_year_rule: "2005-Q2, 2005-6M",
            },
            Step {
                period: "2006-Q3",
                date: "2006-11-22",
                operations: &[
                    ("2006-Q3", "13 weeks ended October 28, 2006"),
                    ("2005-Q3", "13 weeks ended October 29, 2005"),
                    ("2006-9M", "39 weeks ended October 28, 2006"),
                    ("2005-9M", "39 weeks ended October 29, 2005"),
                ],
                operations_headers: &["13 weeks ended", "39 weeks ended"],
                balance_sheet: &[
                    ("2006-10-28", "October 28, 2006"),
                    ("2006-01-28", "January 28, 2006"),
                ],
                cash_flows: &[
                    ("2006-9M", "39 weeks ended October 28, 2006"),
                    ("2005-9M", "39 weeks ended October 29, 2005"),
                ],
                prior_year_rule: "2005-Q3, 2005-9M",
            },
            Step {
                period: "2006-Q4",
                date: "2007-03-08",
                operations: &[
                    ("2006-Q4", "14 weeks ended February 3, 2007"),
                    ("2005-Q4", "13 weeks ended January 28, 2006"),
                    ("2006-FY", "53 weeks ended February 3, 2007"),
                    ("2005-FY", "52 weeks ended January 28, 2006"),
                ],
                operations_headers: &[
                    "14 weeks ended",
                    "13 weeks ended",
                    "53 weeks ended",
                    "52 weeks ended",
                ],
                balance_sheet: &[
                    ("2007-02-03", "February 3, 2007"),
                    ("2006-01-28", "January 28, 2006"),
                ],
                cash_flows: &[
                    ("2006-FY", "53 weeks ended February 3, 2007"),
                    ("2005-FY", "52 weeks ended January 28, 2006"),
                ],
                prior_year_rule: "2005-Q4, 2005-FY",
            },
            Step {
                period: "2007-Q1",
                date: "2007-05-31",
                operations: &[
                    ("2007-Q1", "13 weeks ended May 5, 2007"),
                    ("2006-Q1", "13 weeks ended April 29, 2006"),
                ],
                operations_headers: &["13 weeks ended"],
                balance_sheet: &[
                    ("2007-05-05", "May 5, 2007"),
                    ("2007-02-03", "February 3, 2007"),
                ],
                cash_flows: &[
                    ("2007-3M", "13 weeks ended May 5, 2007"),
                    ("2006-3M", "13 weeks ended April 29, 2006"),
                ],
                prior_year_rule: "2006-Q1",
            },
            Step {
                period: "2007-Q2",
                date: "2007-08-30",
                operations: &[
                    ("2007-Q2", "13 weeks ended August 4, 2007"),
                    ("2006-Q2", "13 weeks ended July 29, 2006"),
                    ("2007-6M", "26 weeks ended August 4, 2007"),
                    ("2006-6M", "26 weeks ended July 29, 2006"),
                ],
                operations_headers: &["13 weeks ended", "26 weeks ended"],
                balance_sheet: &[
                    ("2007-08-04", "August 4, 2007"),
                    ("2007-02-03", "February 3, 2007"),
                ],
                cash_flows: &[
                    ("2007-6M", "26 weeks ended August 4, 2007"),
                    ("2006-6M", "26 weeks ended July 29, 2006"),
                ],
                prior_year_rule: "2006-Q2, 2006-6M",
            },
        ],
    );
}

#[test]
fn a_table_that_cannot_roll_names_its_file_and_leaves_no_folder_behind() {
    let site = fixture("december");
    let root = site.path();
    let cash = root.join("content/releases/2006-q1/tables/cash-flows.toml");
    let text = common::read(&cash).replacen("\"2005-3M\",", "\"2006-FY\",", 1);
    std::fs::write(&cash, text).unwrap();
    // Three quarters on, the year to date and the full year are the same period.
    let error = irsite::scaffold::new_release(root, "2006-Q4".parse().unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("2006-q1/tables/cash-flows.toml: the columns 2006-3M and 2006-FY would both become 2006-FY"),
        "{error}"
    );
    assert!(!root.join("content/releases/2006-q4").exists());
    let error = irsite::scaffold::new_release(root, "2006-9M".parse().unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "2006-9M is not one (the quarter after the latest release, 2006-Q1, is 2006-Q2)"
        ),
        "{error}"
    );
    assert!(!root.join("content/releases/2006-9m").exists());
}
