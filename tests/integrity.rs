//! Numbers that cannot disagree: every relation kind fails with its exact message, prose cites
//! its figures, Regulation G is enforced, and every figure of the bundled tables is tied.

mod common;

use std::path::Path;
use std::process::Command;

use common::releases::row_line;
use common::{errors_of, options};
use irsite::site::check;

fn table_path(root: &Path, id: &str) -> String {
    root.join(format!("content/releases/2006-q1/tables/{id}.toml"))
        .display()
        .to_string()
}

const OPERATIONS: &str = r#"title = "Statements of Operations"
units = "in thousands, except per share amounts"
columns = ["2006-Q1", "2005-Q1"]

[[rows]]
id = "revenue"
label = "Revenue"
values = ["42625", "37855"]

[[rows]]
id = "direct_cost"
label = "Direct cost of revenue"
indent = 1
values = ["22217", "19887"]

[[rows]]
id = "other_costs"
label = "Other operating costs"
indent = 1
values = ["20216", "18425"]

[[rows]]
id = "total_costs"
label = "Total operating costs"
kind = "subtotal"
values = ["42433", "38312"]
equals = "direct_cost..other_costs"

[[rows]]
id = "income_from_operations"
label = "Income (loss) from operations"
kind = "subtotal"
values = ["192", "-457"]
equals = "revenue - total_costs"

[[rows]]
id = "non_operating"
label = "Non-operating (income) expense"
values = ["-349", "113"]

[[rows]]
id = "net_income"
label = "Net income (loss)"
kind = "grand_total"
values = ["541", "-570"]
equals = "income_from_operations - non_operating"

[[rows]]
id = "diluted_eps"
label = "Diluted net income (loss) per share"
kind = "per_share"
values = ["0.00", "-0.00"]
equals = "net_income / diluted_shares"

[[rows]]
id = "diluted_shares"
label = "Weighted average diluted shares"
kind = "shares"
values = ["344567", "338199"]
"#;

const BALANCE_SHEET: &str = r#"title = "Balance Sheets"
units = "in thousands"
columns = ["2006-03-31", "2005-12-31"]

[[rows]]
id = "cash"
label = "Cash and cash equivalents"
values = ["30007", "24434"]

[[rows]]
id = "other_assets"
label = "Other assets"
values = ["125583", "130935"]

[[rows]]
id = "total_assets"
label = "Total assets"
kind = "grand_total"
values = ["155590", "155369"]
equals = "cash + other_assets"
"#;

const CASH_FLOWS: &str = r#"title = "Statements of Cash Flows"
units = "in thousands"
columns = ["2006-Q1", "2005-Q1"]

[[rows]]
id = "net_income"
label = "Net income (loss)"
values = ["541", "-570"]
equals = "operations.net_income"

[[rows]]
id = "other_changes"
label = "Other changes, net"
values = ["5032", "-4080"]

[[rows]]
id = "net_change_in_cash"
label = "Net increase (decrease) in cash"
kind = "subtotal"
values = ["5573", "-4650"]
equals = "net_income + other_changes"

[[rows]]
id = "cash_beginning"
label = "Cash at beginning of period"
values = ["24434", "33823"]
equals = "balance-sheet.cash@start"

[[rows]]
id = "cash_end"
label = "Cash at end of period"
kind = "grand_total"
values = ["30007", "29173"]
equals = ["cash_beginning + net_change_in_cash", "balance-sheet.cash@end"]
"#;

const RECONCILIATION: &str = r#"title = "Reconciliation of Net Income (Loss) to Adjusted EBITDA"
units = "in thousands"
columns = ["2006-Q1", "2005-Q1"]
non_gaap = true

[[rows]]
id = "net_income"
label = "Net income (loss)"
currency = true
values = ["541", "-570"]
equals = "operations.net_income"

[[rows]]
id = "addbacks"
label = "Depreciation, amortization, interest and stock-based compensation"
values = ["5266", "3595"]

[[rows]]
id = "adjusted_ebitda"
label = "Adjusted EBITDA"
kind = "subtotal"
non_gaap = true
comparable = "net_income"
values = ["5807", "3025"]
equals = "net_income + addbacks"
"#;

const HIGHLIGHTS: [&str; 3] = [
    "Revenues of {{ operations.revenue | millions }}",
    "Net income of {{ operations.net_income | millions }}",
    "Adjusted EBITDA of {{ reconciliation.adjusted_ebitda | millions }}",
];

const PROSE: &str = "Revenues grew {{ (operations.revenue - operations.revenue@2005-Q1) / \
                     operations.revenue@2005-Q1 | percent(1) }}.";

/// The fixture with `edit` applied to one of its tables (by id).
fn fixture(table: &str, edit: impl Fn(&str) -> String) -> (tempfile::TempDir, String) {
    let mut tables = vec![
        ("operations", OPERATIONS.to_string()),
        ("balance-sheet", BALANCE_SHEET.to_string()),
        ("cash-flows", CASH_FLOWS.to_string()),
        ("reconciliation", RECONCILIATION.to_string()),
    ];
    let mut edited = String::new();
    for (id, text) in &mut tables {
        if *id == table {
            let new = edit(text);
            assert_ne!(&new, text, "the edit changed nothing in {id}");
            *text = new;
            edited = text.clone();
        }
    }
    let refs: Vec<(&str, &str)> = tables.iter().map(|(i, t)| (*i, t.as_str())).collect();
    (common::mini_site(&refs, &HIGHLIGHTS, PROSE), edited)
}

#[test]
fn the_fixture_itself_ties_out() {
    let site = common::mini_site(
        &[
            ("operations", OPERATIONS),
            ("balance-sheet", BALANCE_SHEET),
            ("cash-flows", CASH_FLOWS),
            ("reconciliation", RECONCILIATION),
        ],
        &HIGHLIGHTS,
        PROSE,
    );
    let summary = check(&options(site.path())).unwrap_or_else(|e| panic!("{e}"));
    // Untied: the shares, which only a division reads (one share more rarely moves a rounded
    // per-share figure).
    assert_eq!(
        (summary.tied, summary.figures),
        (38, 40),
        "{:#?}",
        summary.untied
    );
}

fn single_error(table: &str, edit: impl Fn(&str) -> String) -> (String, String, String) {
    let (site, text) = fixture(table, edit);
    let errors = errors_of(site.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    (errors[0].clone(), table_path(site.path(), table), text)
}

#[test]
fn a_range_sum_that_does_not_foot() {
    let (error, path, text) = single_error("operations", |t| {
        t.replace(
            "values = [\"20216\", \"18425\"]",
            "values = [\"20216\", \"18427\"]",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: total_costs, three months ended March 31, 2005: components sum to 38,314 \
             but the row states 38,312 (difference 2)",
            row_line(&text, "total_costs")
        )
    );
}

#[test]
fn a_difference_that_does_not_hold() {
    let (error, path, text) = single_error("operations", |t| {
        // Income from operations and net income both move, so only the subtraction breaks.
        t.replace(
            "values = [\"192\", \"-457\"]",
            "values = [\"193\", \"-457\"]",
        )
        .replace(
            "values = [\"-349\", \"113\"]",
            "values = [\"-348\", \"113\"]",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: income_from_operations, three months ended March 31, 2006: components sum \
             to 192 but the row states 193 (difference 1)",
            row_line(&text, "income_from_operations")
        )
    );
}

#[test]
fn a_tie_to_another_table() {
    let (error, path, text) = single_error("cash-flows", |t| {
        t.replace(
            "values = [\"541\", \"-570\"]",
            "values = [\"542\", \"-570\"]",
        )
        .replace(
            "values = [\"5032\", \"-4080\"]",
            "values = [\"5031\", \"-4080\"]",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: net_income, three months ended March 31, 2006: operations.net_income is \
             541 but the row states 542 (difference 1)",
            row_line(&text, "net_income")
        )
    );
}

#[test]
fn ending_cash_ties_to_the_balance_sheet_at_the_period_end() {
    let (site, _) = fixture("balance-sheet", |t| {
        t.replace(
            "values = [\"30007\", \"24434\"]",
            "values = [\"30070\", \"24434\"]",
        )
        .replace(
            "values = [\"125583\", \"130935\"]",
            "values = [\"125520\", \"130935\"]",
        )
    });
    assert_eq!(
        errors_of(site.path()),
        [format!(
            "{}:{}: cash_end, three months ended March 31, 2006: balance-sheet.cash@end is 30,070 \
             but the row states 30,007 (difference 63)",
            table_path(site.path(), "cash-flows"),
            row_line(CASH_FLOWS, "cash_end")
        )]
    );
}

#[test]
fn beginning_cash_ties_to_the_prior_balance_sheet() {
    let (error, path, text) = single_error("cash-flows", |t| {
        t.replace(
            "values = [\"24434\", \"33823\"]",
            "values = [\"24433\", \"33823\"]",
        )
        .replace(
            "values = [\"5573\", \"-4650\"]",
            "values = [\"5574\", \"-4650\"]",
        )
        .replace(
            "values = [\"5032\", \"-4080\"]",
            "values = [\"5033\", \"-4080\"]",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: cash_beginning, three months ended March 31, 2006: \
             balance-sheet.cash@start is 24,434 but the row states 24,433 (difference 1)",
            row_line(&text, "cash_beginning")
        )
    );
}

#[test]
fn a_per_share_figure_that_does_not_round_from_net_income_and_shares() {
    let (error, path, text) = single_error("operations", |t| {
        t.replace(
            "values = [\"0.00\", \"-0.00\"]",
            "values = [\"0.01\", \"-0.00\"]",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: diluted_eps, three months ended March 31, 2006: net_income / \
             diluted_shares rounds to 0.00 but the row states 0.01 (difference 0.01)",
            row_line(&text, "diluted_eps")
        )
    );
}

#[test]
fn a_per_share_loss_that_rounds_to_zero_keeps_its_parentheses() {
    let (error, path, text) = single_error("operations", |t| {
        t.replace(
            "values = [\"0.00\", \"-0.00\"]",
            "values = [\"0.00\", \"0.00\"]",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: diluted_eps, three months ended March 31, 2005: net_income / \
             diluted_shares rounds to (0.00) but the row states 0.00 (the sign differs)",
            row_line(&text, "diluted_eps")
        )
    );
}

#[test]
fn a_non_gaap_subtotal_recomputed_from_its_components() {
    let (error, path, text) = single_error("reconciliation", |t| {
        t.replace(
            "values = [\"5807\", \"3025\"]",
            "values = [\"5807\", \"3052\"]",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: adjusted_ebitda, three months ended March 31, 2005: components sum to \
             3,025 but the row states 3,052 (difference 27)",
            row_line(&text, "adjusted_ebitda")
        )
    );
}

#[test]
fn a_sum_that_overflows_is_an_error_naming_the_figure_not_a_panic() {
    // The largest amount a figure can hold, twice: the range sum cannot be represented.
    const LARGEST: &str = "79228162514264337593543950335";
    let (error, path, text) = single_error("operations", |t| {
        t.replace(
            "values = [\"22217\", \"19887\"]",
            &format!("values = [\"22217\", \"{LARGEST}\"]"),
        )
        .replace(
            "values = [\"20216\", \"18425\"]",
            &format!("values = [\"20216\", \"{LARGEST}\"]"),
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: total_costs, three months ended March 31, 2005: `equals = \
             \"direct_cost..other_costs\"`: the sum overflows at operations.other_costs (a figure \
             holds at most 79,228,162,514,264,337,593,543,950,335)",
            row_line(&text, "total_costs")
        )
    );
}

#[test]
fn a_difference_too_large_to_represent_is_reported_not_a_panic() {
    // Adjusted EBITDA computes to the most negative amount and states the largest: they are
    // further apart than a figure can hold.
    let (error, path, text) = single_error("reconciliation", |t| {
        t.replace(
            "values = [\"5266\", \"3595\"]",
            "values = [\"5266\", \"-79228162514264337593543949765\"]",
        )
        .replace(
            "values = [\"5807\", \"3025\"]",
            "values = [\"5807\", \"79228162514264337593543950335\"]",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: adjusted_ebitda, three months ended March 31, 2005: components sum to \
             (79,228,162,514,264,337,593,543,950,335) but the row states \
             79,228,162,514,264,337,593,543,950,335 (the difference is larger than a figure can \
             hold)",
            row_line(&text, "adjusted_ebitda")
        )
    );
}

#[test]
fn a_relation_over_a_not_applicable_cell_must_name_its_periods() {
    let (error, path, text) = single_error("reconciliation", |t| {
        t.replace(
            "values = [\"5266\", \"3595\"]",
            "values = [\"5266\", \"N/A\"]",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: adjusted_ebitda, three months ended March 31, 2005: `equals = \
             \"net_income + addbacks\"`: reconciliation.addbacks is N/A for 2005-Q1; name the \
             periods it applies to, e.g. `equals = \"2006-Q1: net_income + addbacks\"`",
            row_line(&text, "adjusted_ebitda")
        )
    );
    // Naming the periods is the explicit way to leave the cell out.
    let (site, _) = fixture("reconciliation", |t| {
        t.replace(
            "values = [\"5266\", \"3595\"]",
            "values = [\"5266\", \"N/A\"]",
        )
        .replace(
            "equals = \"net_income + addbacks\"",
            "equals = \"2006-Q1: net_income + addbacks\"",
        )
    });
    let summary = check(&options(site.path())).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        summary
            .untied
            .iter()
            .any(|u| u.contains("adjusted_ebitda, three months ended March 31, 2005: 3,025")),
        "{:#?}",
        summary.untied
    );
}

#[test]
fn a_tie_that_applies_to_no_period_is_an_error() {
    let (error, path, text) = single_error("cash-flows", |t| {
        t.replace(
            "equals = \"balance-sheet.cash@start\"",
            "equals = \"balance-sheet.cash@2004-12-31\"",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: cash_beginning: `equals = \"balance-sheet.cash@2004-12-31\"` applies to \
             no column: the tables it reads share none of this table's periods (2006-Q1, 2005-Q1)",
            row_line(&text, "cash_beginning")
        )
    );
}

#[test]
fn relations_naming_unknown_rows_tables_or_periods() {
    let (error, path, text) = single_error("operations", |t| {
        t.replace(
            "equals = \"revenue - total_costs\"",
            "equals = \"revenue - total_cost\"",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: income_from_operations, three months ended March 31, 2006: `equals = \
             \"revenue - total_cost\"`: table \"operations\" has no row \"total_cost\"",
            row_line(&text, "income_from_operations")
        )
    );
    let (error, _, _) = single_error("cash-flows", |t| {
        t.replace(
            "equals = \"operations.net_income\"",
            "equals = \"operation.net_income\"",
        )
    });
    assert!(
        error.ends_with(
            "no table \"operation\" in this release (tables: operations, balance-sheet, \
             cash-flows, reconciliation)"
        ),
        "{error}"
    );
    let (error, path, text) = single_error("operations", |t| {
        t.replace(
            "equals = \"revenue - total_costs\"",
            "equals = \"revenue-total_costs\"",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: row \"income_from_operations\": in `equals = \"revenue-total_costs\"`: \
             \"revenue-total_costs\" is not a row reference; put spaces around a minus sign \
             (`revenue - total_operating_costs`)",
            row_line(&text, "income_from_operations")
        )
    );
    let (error, _, _) = single_error("operations", |t| {
        t.replace(
            "equals = \"revenue - total_costs\"",
            "equals = \"2004-Q1: revenue - total_costs\"",
        )
    });
    assert!(
        error.ends_with(
            "row \"income_from_operations\": `equals` names period 2004-Q1, which is not a column \
             of this table"
        ),
        "{error}"
    );
}

#[test]
fn a_citation_of_a_missing_figure_names_the_line() {
    let site = common::mini_site(
        &[
            ("operations", OPERATIONS),
            ("reconciliation", RECONCILIATION),
        ],
        &[],
        "First line.\n\nRevenue was {{ operations.revenue@2005-Q4 | millions }}.",
    );
    let errors = errors_of(site.path());
    let index = site.path().join("content/releases/2006-q1/index.md");
    let line = common::read(&index)
        .lines()
        .position(|l| l.starts_with("Revenue was"))
        .unwrap()
        + 1;
    assert_eq!(
        errors,
        [format!(
            "{}:{line}: in citation `{{{{ operations.revenue@2005-Q4 | millions }}}}`: table \
             \"operations\" has no column for 2005-Q4",
            index.display()
        )]
    );
}

#[test]
fn cited_figures_render_in_financial_style_and_non_gaap_ones_link_to_the_reconciliation() {
    let site = common::mini_site(
        &[
            ("operations", OPERATIONS),
            ("reconciliation", RECONCILIATION),
        ],
        &HIGHLIGHTS,
        "Loss of {{ operations.net_income@2005-Q1 | millions }}, or \
         {{ operations.diluted_eps@2005-Q1 | dollars }} per share; margin \
         {{ (operations.revenue - operations.direct_cost) / operations.revenue | percent(0) }}; \
         Adjusted EBITDA up {{ reconciliation.adjusted_ebitda - \
         reconciliation.adjusted_ebitda@2005-Q1 | millions }}.",
    );
    let out = site.path().join("public");
    irsite::site::build(&options(site.path())).unwrap_or_else(|e| panic!("{e}"));
    let page = common::read(&out.join("releases/2006-q1/index.html"));
    assert!(
        page.contains("Loss of $(0.6 million), or $(0.00) per share; margin 48%;"),
        "{page}"
    );
    assert!(
        page.contains(
            "Adjusted EBITDA up <a href=\"#reconciliation\" title=\"A non-GAAP measure: \
                       see its reconciliation to GAAP\">$2.8 million</a>."
        ),
        "{page}"
    );
    assert!(page.contains("Revenues of $42.6 million"), "{page}");
}

fn reg_g_errors(highlights: &[&str], reconciliation: &str) -> Vec<String> {
    let site = common::mini_site(
        &[
            ("operations", OPERATIONS),
            ("reconciliation", reconciliation),
        ],
        highlights,
        "Text.",
    );
    errors_of(site.path())
}

#[test]
fn a_non_gaap_highlight_before_its_gaap_measure_is_refused() {
    let errors = reg_g_errors(
        &[
            "Adjusted EBITDA of {{ reconciliation.adjusted_ebitda | millions }}",
            "Net income of {{ operations.net_income | millions }}",
        ],
        RECONCILIATION,
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].ends_with(
            "index.md:8: the highlight names the non-GAAP measure \"Adjusted EBITDA\" before, or \
             without, its most comparable GAAP measure \"Net income\"; Regulation G requires the \
             GAAP measure with equal or greater prominence: name or cite Net income first"
        ),
        "{errors:#?}"
    );
}

#[test]
fn a_non_gaap_highlight_without_a_link_to_its_reconciliation_is_refused() {
    let errors = reg_g_errors(
        &[
            "Net income of $0.5 million",
            "Adjusted EBITDA of $5.8 million",
        ],
        RECONCILIATION,
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].ends_with(
            "index.md:9: the highlight names the non-GAAP measure \"Adjusted EBITDA\" without a \
             link to its reconciliation: cite its figure, or link the name, e.g. [Adjusted \
             EBITDA](#reconciliation)"
        ),
        "{errors:#?}"
    );
}

#[test]
fn a_title_naming_the_non_gaap_measure_first_is_refused() {
    let site = common::mini_site(
        &[
            ("operations", OPERATIONS),
            (
                "reconciliation",
                &RECONCILIATION.replace(
                    "Reconciliation of Net Income (Loss) to Adjusted EBITDA",
                    "Adjusted EBITDA Reconciled to Net Income (Loss)",
                ),
            ),
        ],
        &[],
        "Text.",
    );
    // Table titles are checked from C&DI 102.10 (May 17, 2016) on.
    redate(site.path(), "2016-05-17");
    let errors = errors_of(site.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains(
            "reconciliation.toml: the heading names the non-GAAP measure \"Adjusted EBITDA\" before"
        ),
        "{errors:#?}"
    );
}

/// Sets the release's date in its front matter: Regulation G is checked by the rules in force
/// on it.
fn redate(root: &Path, date: &str) {
    let index = root.join("content/releases/2006-q1/index.md");
    let text = common::read(&index);
    let new = text.replace("date = 2006-05-04", &format!("date = {date}"));
    assert_ne!(new, text);
    std::fs::write(&index, new).unwrap();
}

/// Sets the title of the release (its headline).
fn retitle(root: &Path, title: &str) {
    let index = root.join("content/releases/2006-q1/index.md");
    let text = common::read(&index);
    let new = text.replace(
        "title = \"Example Reports First Quarter 2006 Results\"",
        &format!("title = {title:?}"),
    );
    assert_ne!(new, text);
    std::fs::write(&index, new).unwrap();
}

#[test]
fn a_heading_naming_the_non_gaap_measure_first_is_checked_from_may_17_2016() {
    let heading = "## Adjusted EBITDA and net income\n\nText.";
    for (date, refused) in [
        ("2016-05-16", false),
        ("2016-05-17", true),
        ("2023-02-01", true),
    ] {
        let site = common::mini_site(
            &[
                ("operations", OPERATIONS),
                ("reconciliation", RECONCILIATION),
            ],
            &[],
            heading,
        );
        redate(site.path(), date);
        let result = check(&options(site.path()));
        assert_eq!(result.is_err(), refused, "{date}: {result:?}");
        if refused {
            let errors = errors_of(site.path());
            assert_eq!(errors.len(), 1, "{errors:#?}");
            assert!(
                errors[0].ends_with(
                    "index.md:10: the heading names the non-GAAP measure \"Adjusted EBITDA\" \
                     before, or without, its most comparable GAAP measure \"Net income\"; \
                     Regulation G requires the GAAP measure with equal or greater prominence: \
                     name or cite Net income first (\"Adjusted EBITDA and net income\")"
                ),
                "{errors:#?}"
            );
        }
    }
}

#[test]
fn headings_are_read_as_markdown_reads_them_setext_and_quoted_included() {
    let message = "the heading names the non-GAAP measure \"Adjusted EBITDA\" before, or without, \
                   its most comparable GAAP measure \"Net income\"";
    for (prose, line) in [
        ("Adjusted EBITDA and net income\n---\n\nText.", 10),
        (
            "Text.\n\nAdjusted EBITDA and net income\n==============================\n",
            12,
        ),
        ("> ## Adjusted EBITDA and net income\n>\n> Text.", 10),
        ("- Item\n\n  ### Adjusted EBITDA and net income\n", 12),
    ] {
        let site = common::mini_site(
            &[
                ("operations", OPERATIONS),
                ("reconciliation", RECONCILIATION),
            ],
            &[],
            prose,
        );
        redate(site.path(), "2017-05-04");
        let errors = errors_of(site.path());
        assert_eq!(errors.len(), 1, "{prose:?}: {errors:#?}");
        assert!(
            errors[0].contains(&format!("index.md:{line}: {message}")),
            "{prose:?}: {errors:#?}"
        );
    }
    // Not headings: a fenced line, an indented code block, a paragraph starting with "#1".
    for prose in [
        "```\n# Adjusted EBITDA\n```\n",
        "Text.\n\n    # Adjusted EBITDA\n",
        "#1 in Adjusted EBITDA",
    ] {
        let site = common::mini_site(
            &[
                ("operations", OPERATIONS),
                ("reconciliation", RECONCILIATION),
            ],
            &[],
            prose,
        );
        redate(site.path(), "2017-05-04");
        check(&options(site.path())).unwrap_or_else(|e| panic!("{prose:?}: {e}"));
    }
}

#[test]
fn a_release_before_may_2016_is_archived_as_issued_and_verbose_says_by_which_rules() {
    // Headline, heading and table title name the non-GAAP measure alone, as releases did before
    // C&DI 102.10; the highlights still follow Regulation G as adopted in 2003.
    let site = common::mini_site(
        &[
            ("operations", OPERATIONS),
            (
                "reconciliation",
                &RECONCILIATION.replace(
                    "Reconciliation of Net Income (Loss) to Adjusted EBITDA",
                    "Adjusted EBITDA",
                ),
            ),
        ],
        &HIGHLIGHTS,
        "## Record Adjusted EBITDA\n\nText.",
    );
    retitle(site.path(), "Example Reports Record Adjusted EBITDA");
    let (ok, stdout, stderr) = common::irsite(site.path(), &["check", "--verbose"]);
    assert!(ok, "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "Regulation G, by the rules in force on each release's date:\n  2006-q1 (May 4, \
             2006): Regulation G and Item 10(e) as in force from March 28, 2003: the GAAP \
             measure first in the highlights, each non-GAAP measure linked to its \
             reconciliation; headings and titles not checked (dated before C&DI 102.10 of May \
             17, 2016)"
        ),
        "{stdout}"
    );
    // The highlights are still checked in 2006.
    let reversed = [HIGHLIGHTS[0], HIGHLIGHTS[2], HIGHLIGHTS[1]];
    let errors = reg_g_errors(&reversed, RECONCILIATION);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    // The same release dated after May 17, 2016 is refused three times: title, heading, table.
    redate(site.path(), "2017-05-04");
    let errors = errors_of(site.path());
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
fn a_release_before_march_28_2003_is_not_checked_for_regulation_g() {
    let reversed = [HIGHLIGHTS[0], HIGHLIGHTS[2], HIGHLIGHTS[1]];
    for (date, accepted) in [("2003-03-27", true), ("2003-03-28", false)] {
        let site = common::mini_site(
            &[
                ("operations", OPERATIONS),
                ("reconciliation", RECONCILIATION),
            ],
            &reversed,
            "Text.",
        );
        redate(site.path(), date);
        let (ok, stdout, stderr) = common::irsite(site.path(), &["check", "--verbose"]);
        assert_eq!(ok, accepted, "{date}: {stdout}{stderr}");
        if accepted {
            assert!(
                stdout.contains(
                    "  2006-q1 (March 27, 2003): not checked: dated before Regulation G took \
                     effect on March 28, 2003"
                ),
                "{stdout}"
            );
        }
    }
}

/// A GAAP per-share table and a non-GAAP one whose rows share their labels ("Basic",
/// "Diluted") under different headings.
const EPS: &str = r#"title = "Net Income (Loss) per Share"
units = "in U.S. dollars"
columns = ["2006-Q1", "2005-Q1"]

[[rows]]
id = "heading"
label = "Net income (loss) per share:"
kind = "heading"

[[rows]]
id = "basic"
label = "Basic"
kind = "per_share"
values = ["0.02", "-0.01"]

[[rows]]
id = "diluted"
label = "Diluted"
kind = "per_share"
values = ["0.02", "-0.01"]
"#;

const NON_GAAP_EPS: &str = r#"title = "Reconciliation of Net Income (Loss) per Share to Non-GAAP Net Income per Share"
units = "in U.S. dollars"
columns = ["2006-Q1", "2005-Q1"]
non_gaap = true

[[rows]]
id = "heading"
label = "Non-GAAP net income per share:"
kind = "heading"

[[rows]]
id = "non_gaap_basic"
label = "Basic"
kind = "per_share"
non_gaap = true
comparable = "basic"
values = ["0.05", "0.03"]

[[rows]]
id = "non_gaap_diluted"
label = "Diluted"
kind = "per_share"
non_gaap = true
comparable = "diluted"
values = ["0.05", "0.03"]
"#;

#[test]
fn generic_labels_are_not_measure_names_and_messages_name_two_measures() {
    let tables = [("eps", EPS), ("non-gaap-eps", NON_GAAP_EPS)];
    // "Diluted" in prose is not the non-GAAP measure: nothing asks for its reconciliation.
    let site = common::mini_site(
        &tables,
        &[
            "Diluted net income per share of {{ eps.diluted | dollars }}",
            "Non-GAAP diluted net income per share of {{ non-gaap-eps.non_gaap_diluted | dollars }}",
        ],
        "Text.",
    );
    check(&options(site.path())).unwrap_or_else(|e| panic!("{e}"));
    // A non-GAAP figure cited first is refused, in a message naming two different measures.
    let site = common::mini_site(
        &tables,
        &[
            "Non-GAAP diluted net income per share of {{ non-gaap-eps.non_gaap_diluted | dollars }}, \
             against {{ eps.diluted | dollars }} diluted",
        ],
        "Text.",
    );
    let errors = errors_of(site.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].ends_with(
            "index.md:8: the highlight names the non-GAAP measure \"Non-GAAP net income per \
             share: Diluted\" before, or without, its most comparable GAAP measure \"Net income \
             (loss) per share: Diluted\"; Regulation G requires the GAAP measure with equal or \
             greater prominence: cite eps.diluted first"
        ),
        "{errors:#?}"
    );
}

#[test]
fn a_non_gaap_row_must_name_its_comparable_gaap_measure() {
    let errors = reg_g_errors(
        &[],
        &RECONCILIATION.replace("comparable = \"net_income\"\n", ""),
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].ends_with(
            "row \"adjusted_ebitda\" is non-GAAP: name its most comparable GAAP measure with \
             comparable = \"net_income\" (a row id; Regulation G)"
        ),
        "{errors:#?}"
    );
    let errors = reg_g_errors(
        &[],
        &RECONCILIATION.replace("comparable = \"net_income\"", "comparable = \"revenue_x\""),
    );
    assert!(
        errors[0].ends_with(
            "row \"adjusted_ebitda\": comparable = \"revenue_x\" names no GAAP row of this release"
        ),
        "{errors:#?}"
    );
}

#[test]
fn a_chart_of_a_non_gaap_row_must_be_marked_non_gaap() {
    let site = common::mini_site(
        &[
            ("operations", OPERATIONS),
            ("reconciliation", RECONCILIATION),
        ],
        &[],
        "Text.",
    );
    let config = site.path().join("site.toml");
    let mut text = common::read(&config);
    text.push_str("\n[[charts]]\nid = \"ebitda\"\ntitle = \"Adjusted EBITDA\"\nmetric = \"adjusted_ebitda\"\n");
    std::fs::write(&config, text).unwrap();
    let errors = errors_of(site.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains("chart \"ebitda\" draws \"adjusted_ebitda\", which")
            && errors[0].ends_with(
                "marks as non-GAAP; set non_gaap = true with its comparable and reconciliation"
            ),
        "{errors:#?}"
    );
}

#[test]
fn a_broken_link_in_a_template_fails_the_check() {
    let site = common::mini_site(&[("operations", OPERATIONS)], &[], "Text.");
    let template = site.path().join("templates/404.html");
    let text = common::read(&template).replacen(
        "</p>",
        " <a href=\"{{ page.root }}investors.html\">x</a></p>",
        1,
    );
    std::fs::write(&template, text).unwrap();
    let errors = errors_of(site.path());
    assert_eq!(
        errors,
        [
            "404.html: link \"/repo/investors.html\" leads to investors.html, which the site does \
          not have"
        ]
    );
}

#[test]
fn check_reports_every_error_and_exits_non_zero() {
    let (site, _) = fixture("operations", |t| {
        t.replace(
            "values = [\"42625\", \"37855\"]",
            "values = [\"42626\", \"37855\"]",
        )
    });
    let output = Command::new(env!("CARGO_BIN_EXE_irsite"))
        .args(["--root", site.path().to_str().unwrap(), "check"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("income_from_operations, three months ended March 31, 2006: components sum to 193 but the row states 192 (difference 1)"),
        "{stderr}"
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    // build refuses too, and writes nothing.
    let output = Command::new(env!("CARGO_BIN_EXE_irsite"))
        .args(["--root", site.path().to_str().unwrap(), "build"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(!site.path().join("public").exists());
}

#[test]
fn check_verbose_lists_the_untied_figures_of_the_example() {
    let output = Command::new(env!("CARGO_BIN_EXE_irsite"))
        .args([
            "--root",
            common::repo_root().to_str().unwrap(),
            "check",
            "--verbose",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("12 figures no relation ties:"), "{stdout}");
    assert!(
        stdout.contains(
            "operations.toml:132: basic_shares, three months ended March 31, 2006: 342,928"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("348/360 figures tied"), "{stdout}");
    // The example (May 2006) is checked by the rules of 2003, as it was issued.
    assert!(
        stdout.contains(
            "Regulation G, by the rules in force on each release's date:\n  2006-q1 (May 4, \
             2006): Regulation G and Item 10(e) as in force from March 28, 2003:"
        ),
        "{stdout}"
    );
}

/// The figures of the bundled tables that no relation covers. Keep this list short and honest:
/// a figure added here is a figure a typo could change unnoticed.
const UNTIED: [&str; 12] = [
    "cash-flows/cash_paid_for_interest/2006-3M",
    "cash-flows/cash_paid_for_interest/2005-3M",
    "cash-flows/non_cash_fixed_assets/2006-3M",
    "cash-flows/non_cash_fixed_assets/2005-3M",
    "cash-flows/payables_for_property/2006-3M",
    "cash-flows/payables_for_property/2005-3M",
    "operations/basic_shares/2006-Q1",
    "operations/basic_shares/2005-Q1",
    "operations/diluted_shares/2006-Q1",
    "operations/diluted_shares/2005-Q1",
    "pro-forma-net-income/diluted_eps/2005-Q4",
    "pro-forma-net-income/pro_forma_diluted_eps/2005-Q4",
];

/// One unit more in the figure's last place; nil becomes 1.
fn bump(figure: &str) -> String {
    if figure == "nil" {
        return "1".into();
    }
    let value: rust_decimal::Decimal = figure.parse().unwrap();
    (value + rust_decimal::Decimal::new(1, value.scale())).to_string()
}

#[test]
fn bumping_any_tied_figure_of_the_example_by_one_unit_fails_the_check() {
    let site = common::copy_of_example();
    let tables = site.path().join("content/releases/2006-q1/tables");
    let mut accepted = Vec::new();
    let mut bumped = 0;
    for file in common::files_under(&tables) {
        let path = tables.join(&file);
        let original = common::read(&path);
        let table = file.trim_end_matches(".toml");
        let columns: Vec<String> = original
            .lines()
            .find(|l| l.starts_with("columns = "))
            .unwrap()
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        let lines: Vec<&str> = original.lines().collect();
        let mut row = "";
        for (n, line) in lines.iter().enumerate() {
            if let Some(id) = line.strip_prefix("id = ") {
                row = id.trim_matches('"');
            }
            if !line.starts_with("values = [") {
                continue;
            }
            let figures: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
            for (column, figure) in figures.iter().enumerate() {
                if *figure == "N/A" {
                    continue;
                }
                let mut edited: Vec<String> = figures.iter().map(|f| format!("\"{f}\"")).collect();
                edited[column] = format!("\"{}\"", bump(figure));
                let mut text = lines.clone();
                let new_line = format!("values = [{}]", edited.join(", "));
                text[n] = &new_line;
                std::fs::write(&path, text.join("\n")).unwrap();
                bumped += 1;
                if check(&options(site.path())).is_ok() {
                    accepted.push(format!("{table}/{row}/{}", columns[column]));
                }
            }
        }
        std::fs::write(&path, original).unwrap();
    }
    assert_eq!(bumped, 360, "the example's figure count changed");
    let mut expected: Vec<String> = UNTIED.iter().map(|s| s.to_string()).collect();
    expected.sort();
    accepted.sort();
    assert_eq!(
        accepted, expected,
        "figures a one-unit typo would not be caught"
    );
}

/// A relation that reads the figure it states holds whatever the figure is: it would count the
/// row as tied while nothing checks it.
#[test]
fn a_relation_that_reads_its_own_figure_is_refused() {
    let (error, path, text) = single_error("operations", |t| {
        t.replace(
            "values = [\"42625\", \"37855\"]",
            "values = [\"42625\", \"37855\"]\nequals = \"revenue\"",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: revenue, three months ended March 31, 2006: `equals = \"revenue\"` reads \
             the row's own figure, so it would hold whatever the figure is; a relation states \
             the row from other figures (the row itself at another period, as in \
             revenue@2005-Q1, is fine)",
            row_line(&text, "revenue")
        )
    );
    // A range that runs over the row itself, and the row's own column named by its period.
    for (row, values, relation) in [
        (
            "other_costs",
            "[\"20216\", \"18425\"]",
            "direct_cost..other_costs",
        ),
        (
            "revenue",
            "[\"42625\", \"37855\"]",
            "2006-Q1: revenue@2006-Q1",
        ),
    ] {
        let (error, _, text) = single_error("operations", |t| {
            t.replacen(
                &format!("values = {values}"),
                &format!("values = {values}\nequals = \"{relation}\""),
                1,
            )
        });
        assert!(
            error.contains(&format!(
                ":{}: {row}, three months ended March 31, 2006: `equals = ",
                row_line(&text, row)
            )) && error.contains("reads the row's own figure"),
            "{error}"
        );
    }
    // The row at another period is another figure.
    let (site, _) = fixture("operations", |t| {
        t.replace(
            "[[rows]]\nid = \"non_operating\"",
            "[[rows]]\nid = \"flat\"\nlabel = \"Flat\"\nvalues = [\"7\", \"7\"]\n\
             equals = \"2006-Q1: flat@2005-Q1\"\n\n[[rows]]\nid = \"non_operating\"",
        )
    });
    check(&options(site.path())).unwrap_or_else(|e| panic!("{e}"));
}

/// Each citation format prints one kind of figure: `dollars` a per-share amount, `millions` an
/// amount of a table in thousands, `percent` a ratio from a division. Any other figure is
/// refused rather than printed as "$42,625" or "4,262,500%"; `number` prints anything.
#[test]
fn a_citation_format_refuses_a_figure_it_does_not_print() {
    let cases = [
        ("operations.revenue | dollars", "per-share"),
        (
            "operations.net_income - operations.diluted_shares | dollars",
            "per-share",
        ),
        (
            "operations.net_income / operations.diluted_shares | dollars",
            "division",
        ),
        ("operations.revenue | percent(1)", "ratio"),
        (
            "operations.revenue - operations.revenue@2005-Q1 | percent(0)",
            "ratio",
        ),
        ("operations.diluted_eps | millions", "per-share"),
        ("operations.diluted_shares | Millions", "share count"),
        (
            "operations.revenue / operations.revenue@2005-Q1 | millions",
            "division",
        ),
    ];
    for (citation, why) in cases {
        let site = common::mini_site(
            &[("operations", OPERATIONS)],
            &[],
            &format!("First line.\n\nCited {{{{ {citation} }}}} here."),
        );
        let errors = errors_of(site.path());
        let index = site.path().join("content/releases/2006-q1/index.md");
        let line = common::read(&index)
            .lines()
            .position(|l| l.starts_with("Cited"))
            .unwrap()
            + 1;
        assert_eq!(errors.len(), 1, "{citation}: {errors:#?}");
        assert!(
            errors[0].starts_with(&format!(
                "{}:{line}: in citation `{{{{ {citation} }}}}`: ",
                index.display()
            )) && errors[0].contains(why),
            "{citation}: {}",
            errors[0]
        );
    }
    let site = common::mini_site(
        &[("operations", OPERATIONS)],
        &[],
        "Cited {{ operations.revenue | number }}, {{ operations.diluted_shares | number }}, \
         {{ operations.diluted_eps - operations.diluted_eps@2005-Q1 | dollars }}, \
         {{ -(operations.revenue / operations.revenue@2005-Q1) | percent(0) }}, \
         {{ operations.net_income / operations.revenue - operations.net_income@2005-Q1 / \
         operations.revenue@2005-Q1 | percent(1) }}.",
    );
    check(&options(site.path())).unwrap_or_else(|e| panic!("{e}"));
}

/// The units fixture (a synthetic company in millions, shares in thousands) with one table
/// edited: its only error, the table's path and the edited text.
fn units_error(table: &str, edit: impl Fn(&str) -> String) -> (String, String, String) {
    let site = common::fixture_site("units");
    let path = site
        .path()
        .join(format!("content/releases/2024-q2/tables/{table}.toml"));
    let text = edit(&common::read(&path));
    std::fs::write(&path, &text).unwrap();
    let errors = errors_of(site.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    (errors[0].clone(), path.display().to_string(), text)
}

#[test]
fn earnings_per_share_from_net_income_in_millions_and_shares_in_thousands() {
    let (error, path, text) = units_error("operations", |t| {
        t.replace(
            "values = [\"2.53\", \"1.78\"]",
            "values = [\"2.54\", \"1.78\"]",
        )
    });
    assert_eq!(
        error,
        format!(
            "{path}:{}: diluted_eps, three months ended June 30, 2024: net_income / \
             diluted_shares rounds to 2.53 but the row states 2.54 (difference 0.01)",
            row_line(&text, "diluted_eps")
        )
    );
}

#[test]
fn a_figure_in_millions_ties_to_one_in_thousands_rounded_to_its_places() {
    // 1,314,187 thousand is 1,314.187 million: 1,314.2, not the 1,314.1 stated.
    let (error, path, _) = units_error("supplemental", |t| t.replace("\"1314087\"", "\"1314187\""));
    let operations = path.replace("supplemental.toml", "operations.toml");
    let text = common::read(
        &common::repo_root()
            .join("tests/fixtures/units/content/releases/2024-q2/tables/operations.toml"),
    );
    assert_eq!(
        error,
        format!(
            "{operations}:{}: net_income, three months ended June 30, 2024: \
             supplemental.reported_net_income is 1,314.2 but the row states 1,314.1 \
             (difference 0.1)",
            row_line(&text, "net_income")
        )
    );
}
