//! Figures that tie across releases, on an invented company's first two quarters: a year to
//! date is the sum of its quarters from any release, a balance sheet reported twice has the same
//! figures unless restated, per-share amounts, share counts and rows that opt out are not summed,
//! a tolerance is reported apart, and the calendar's own quarters are summed on a September and
//! on a 52/53-week fiscal year.

mod common;

use std::path::Path;

use common::releases::{Release, row_line, table, write_site};
use common::{errors_of, irsite, options};
use irsite::site::check;

/// What differs between the calendars the fixture is written for.
struct Calendar {
    /// Lines of `site.toml`.
    settings: &'static str,
    /// The release dates of the first and second quarters.
    dates: [&'static str; 2],
    /// The balance-sheet dates of each release: its quarter's end and the prior year-end.
    balance_sheets: [[&'static str; 2]; 2],
    /// The six months of fiscal 2004, in words; and the quarters as charts label them.
    six_months: &'static str,
    quarters: [&'static str; 2],
}

const DECEMBER: Calendar = Calendar {
    settings: "",
    dates: ["2004-04-29", "2004-07-29"],
    balance_sheets: [["2004-03-31", "2003-12-31"], ["2004-06-30", "2003-12-31"]],
    six_months: "six months ended June 30, 2004",
    quarters: ["Q1 2004", "Q2 2004"],
};

const SEPTEMBER: Calendar = Calendar {
    settings: "fiscal_year_end = \"September 30\"",
    dates: ["2004-02-05", "2004-05-06"],
    balance_sheets: [["2003-12-31", "2003-09-30"], ["2004-03-31", "2003-09-30"]],
    six_months: "six months ended March 31, 2004",
    quarters: ["Q1 FY2004", "Q2 FY2004"],
};

/// Fiscal 2004 ends on the last Saturday of September 2004; its quarters are 13 weeks, the first
/// ending December 27, 2003, the second March 27, 2004.
const FIFTY_TWO_WEEKS: Calendar = Calendar {
    settings: "fiscal_year_end = \"last Saturday of September\"\nperiod_wording = \"weeks\"",
    dates: ["2004-02-05", "2004-05-06"],
    balance_sheets: [["2003-12-27", "2003-09-27"], ["2004-03-27", "2003-09-27"]],
    six_months: "26 weeks ended March 27, 2004",
    quarters: ["Q1 FY2004", "Q2 FY2004"],
};

/// The tables of both releases, each as (id, TOML), first quarter's release first.
type Tables = [Vec<(&'static str, String)>; 2];

/// Fiscal 2004's first two quarters, with the prior year's as comparatives. Every figure ties:
/// the six months are the sum of the quarters; the beginning and ending cash balances say that
/// they do not add up; per-share amounts and share counts are never summed.
fn tables(calendar: &Calendar) -> Tables {
    const NOT_ADDITIVE: &str = "not_additive = \"a balance at the beginning of the period\"\n";
    const ENDING: &str = "not_additive = \"a balance at the end of the period\"\n\
                          equals = \"cash_beginning + net_change\"\n";
    let [q1_sheet, q2_sheet] = calendar.balance_sheets;
    let first = vec![
        (
            "operations",
            table(
                &["2004-Q1", "2003-Q1"],
                "",
                &[
                    ("revenue", "", &["100", "90"], ""),
                    ("costs", "", &["60", "55"], ""),
                    (
                        "net_income",
                        "grand_total",
                        &["40", "35"],
                        "equals = \"revenue - costs\"\n",
                    ),
                    ("diluted_eps", "per_share", &["0.40", "0.36"], ""),
                    ("diluted_shares", "shares", &["100", "98"], ""),
                ],
            ),
        ),
        (
            "cash-flows",
            table(
                &["2004-Q1", "2003-Q1"],
                "",
                &[
                    ("net_change", "", &["50", "20"], ""),
                    ("cash_beginning", "", &["450", "380"], NOT_ADDITIVE),
                    ("cash_end", "total", &["500", "400"], ENDING),
                ],
            ),
        ),
        (
            "balance-sheet",
            table(&q1_sheet, "", &[("cash", "", &["500", "450"], "")]),
        ),
    ];
    let second = vec![
        (
            "operations",
            table(
                &["2004-Q2", "2003-Q2", "2004-6M", "2003-6M"],
                "",
                &[
                    ("revenue", "", &["110", "95", "210", "185"], ""),
                    ("costs", "", &["65", "60", "125", "115"], ""),
                    (
                        "net_income",
                        "grand_total",
                        &["45", "35", "85", "70"],
                        "equals = \"revenue - costs\"\n",
                    ),
                    // Per-share amounts and weighted shares of six months are not the sums.
                    (
                        "diluted_eps",
                        "per_share",
                        &["0.44", "0.35", "0.85", "0.70"],
                        "",
                    ),
                    (
                        "diluted_shares",
                        "shares",
                        &["102", "99", "101", "98.5"],
                        "",
                    ),
                ],
            ),
        ),
        (
            "cash-flows",
            table(
                &["2004-Q2", "2003-Q2", "2004-6M", "2003-6M"],
                "",
                &[
                    ("net_change", "", &["20", "10", "70", "30"], ""),
                    (
                        "cash_beginning",
                        "",
                        &["500", "400", "450", "380"],
                        NOT_ADDITIVE,
                    ),
                    ("cash_end", "total", &["520", "410", "520", "410"], ENDING),
                ],
            ),
        ),
        (
            "balance-sheet",
            table(&q2_sheet, "", &[("cash", "", &["520", "450"], "")]),
        ),
    ];
    [first, second]
}

/// Writes the fixture for `calendar`, after `edit` (release 0 or 1, table id, its TOML).
fn site(calendar: &Calendar, edit: impl Fn(usize, &str, &mut String)) -> tempfile::TempDir {
    site_with(calendar, "", edit)
}

fn site_with(
    calendar: &Calendar,
    settings: &str,
    edit: impl Fn(usize, &str, &mut String),
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut tables = tables(calendar);
    for (release, tables) in tables.iter_mut().enumerate() {
        for (id, text) in tables {
            edit(release, id, text);
        }
    }
    let [first, second] = tables;
    write_site(
        dir.path(),
        &format!("{}\n{settings}", calendar.settings),
        &[
            Release {
                slug: "2004-q1",
                period: "2004-Q1",
                date: calendar.dates[0],
                tables: first,
            },
            Release {
                slug: "2004-q2",
                period: "2004-Q2",
                date: calendar.dates[1],
                tables: second,
            },
        ],
    );
    dir
}

/// Replaces `from` with `to` in one table of one release; the edit must change something.
fn replace(
    release: usize,
    id: &'static str,
    from: &'static str,
    to: &'static str,
) -> impl Fn(usize, &str, &mut String) {
    move |r, table, text| {
        if r == release && table == id {
            assert!(text.contains(from), "no {from:?} in {table}");
            *text = text.replacen(from, to, 1);
        }
    }
}

/// "<root>/content/releases/<slug>/tables/<id>.toml:<line of row>".
fn place(root: &Path, slug: &str, id: &str, row: &str) -> String {
    let path = root.join(format!("content/releases/{slug}/tables/{id}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    format!("{}:{}", path.display(), row_line(&text, row))
}

#[test]
fn a_year_to_date_that_is_the_sum_of_its_quarters_passes_and_ties() {
    let dir = site(&DECEMBER, |_, _, _| {});
    let summary = check(&options(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    // Untied: the per-share amounts and share counts (never summed, each reported once) and
    // the balance sheets at the quarters' ends (each reported once, read by no relation). Of
    // the 38 tied, relations tie 36; December 31, 2003's balance, which both releases report,
    // ties the other two.
    let mut untied: Vec<String> = summary
        .untied
        .iter()
        .map(|line| line.split(": ").nth(1).unwrap().to_string())
        .collect();
    untied.sort();
    let mut expected = [
        "diluted_eps, three months ended March 31, 2004",
        "diluted_eps, three months ended March 31, 2003",
        "diluted_shares, three months ended March 31, 2004",
        "diluted_shares, three months ended March 31, 2003",
        "cash, March 31, 2004",
        "diluted_eps, three months ended June 30, 2004",
        "diluted_eps, three months ended June 30, 2003",
        "diluted_eps, six months ended June 30, 2004",
        "diluted_eps, six months ended June 30, 2003",
        "diluted_shares, three months ended June 30, 2004",
        "diluted_shares, three months ended June 30, 2003",
        "diluted_shares, six months ended June 30, 2004",
        "diluted_shares, six months ended June 30, 2003",
        "cash, June 30, 2004",
    ];
    expected.sort();
    assert_eq!(untied, expected);
    assert_eq!((summary.tied, summary.figures), (38, 52));
    assert!(summary.within_tolerance.is_empty());
}

/// The six months' revenue of 2004 one more than its quarters' (`by` more), and net income
/// with it, so that the relation between them holds.
fn six_months_off_by(by: u8) -> impl Fn(usize, &str, &mut String) {
    let revenue = format!("[\"110\", \"95\", \"{}\", \"185\"]", 210 + u32::from(by));
    let net_income = format!("[\"45\", \"35\", \"{}\", \"70\"]", 85 + u32::from(by));
    move |release, id, text| {
        if release == 1 && id == "operations" {
            let edited = text
                .replacen("[\"110\", \"95\", \"210\", \"185\"]", &revenue, 1)
                .replacen("[\"45\", \"35\", \"85\", \"70\"]", &net_income, 1);
            assert_ne!(&edited, text);
            *text = edited;
        }
    }
}

#[test]
fn a_year_to_date_that_is_not_the_sum_of_its_quarters_names_every_file_and_line() {
    let dir = site(&DECEMBER, six_months_off_by(1));
    let root = dir.path();
    let q1 = |row: &str| place(root, "2004-q1", "operations", row);
    let q2 = |row: &str| place(root, "2004-q2", "operations", row);
    let message = |row: &str, q1_figure, q2_figure, sum, stated| {
        format!(
            "{}: {row}, six months ended June 30, 2004: its quarters sum to {sum} but the row \
             states {stated} (difference 1): Q1 2004 {q1_figure} ({}), Q2 2004 {q2_figure} ({}); a \
             row whose figures do not add up over time (a balance at the start of the period) \
             says so with not_additive = \"reason\"",
            q2(row),
            q1(row),
            q2(row)
        )
    };
    assert_eq!(
        errors_of(root),
        [
            message("revenue", "100", "110", "210", "211"),
            message("net_income", "40", "45", "85", "86"),
        ]
    );
}

#[test]
fn the_prior_years_six_months_sum_its_quarters_from_both_releases() {
    // 2003's first quarter is in the first release, its second in the second.
    let dir = site(
        &DECEMBER,
        replace(0, "operations", "[\"60\", \"55\"]", "[\"60\", \"56\"]"),
    );
    let errors = errors_of(dir.path());
    // The first release's net income no longer ties to its costs either.
    assert!(
        errors.iter().any(|e| e.contains(
            "costs, six months ended June 30, 2003: its quarters sum to 116 but the row states \
             115 (difference 1): Q1 2003 56"
        )),
        "{errors:#?}"
    );
}

#[test]
fn per_share_amounts_and_share_counts_are_not_summed_but_items_are() {
    // The fixture's six-month per-share amounts and shares are not the sums of the quarters',
    // and it passes; the same figures as items do not.
    for (kind, row, sum, stated) in [
        ("per_share", "diluted_eps", "0.84", "0.85 (difference 0.01)"),
        ("shares", "diluted_shares", "202", "101 (difference 101)"),
    ] {
        let dir = site(&DECEMBER, |_, id, text| {
            if id == "operations" {
                *text = text.replace(&format!("kind = \"{kind}\"\n"), "");
            }
        });
        let errors = errors_of(dir.path());
        let expected = format!(
            "{row}, six months ended June 30, 2004: its quarters sum to {sum} but the row states \
             {stated}"
        );
        assert!(
            errors.iter().any(|e| e.contains(&expected)),
            "{expected}\n{errors:#?}"
        );
    }
}

#[test]
fn a_row_that_opts_out_with_its_reason_is_not_summed() {
    // Without the opt-out, the six months' beginning balance is not the sum of the quarters'.
    // (An opt-out in either release's table would do: a row id names one measure.)
    let dir = site(&DECEMBER, |_, id, text| {
        if id == "cash-flows" {
            *text = text.replacen(
                "not_additive = \"a balance at the beginning of the period\"\n",
                "",
                1,
            );
        }
    });
    let root = dir.path();
    let errors = errors_of(root);
    assert_eq!(
        errors,
        [
            format!(
                "{}: cash_beginning, six months ended June 30, 2004: its quarters sum to 950 but \
                 the row states 450 (difference 500): Q1 2004 450 ({}), Q2 2004 500 ({}); a row \
                 whose figures do not add up over time (a balance at the start of the period) \
                 says so with not_additive = \"reason\"",
                place(root, "2004-q2", "cash-flows", "cash_beginning"),
                place(root, "2004-q1", "cash-flows", "cash_beginning"),
                place(root, "2004-q2", "cash-flows", "cash_beginning"),
            ),
            format!(
                "{}: cash_beginning, six months ended June 30, 2003: its quarters sum to 780 but \
                 the row states 380 (difference 400): Q1 2003 380 ({}), Q2 2003 400 ({}); a row \
                 whose figures do not add up over time (a balance at the start of the period) \
                 says so with not_additive = \"reason\"",
                place(root, "2004-q2", "cash-flows", "cash_beginning"),
                place(root, "2004-q1", "cash-flows", "cash_beginning"),
                place(root, "2004-q2", "cash-flows", "cash_beginning"),
            ),
        ]
    );
}

#[test]
fn a_balance_sheet_date_reported_twice_has_the_same_figures_unless_restated() {
    let mistyped = replace(
        0,
        "balance-sheet",
        "[\"500\", \"450\"]",
        "[\"500\", \"451\"]",
    );
    let dir = site(&DECEMBER, &mistyped);
    let root = dir.path();
    let newer = root.join("content/releases/2004-q2/tables/balance-sheet.toml");
    assert_eq!(
        errors_of(root),
        [format!(
            "{}: cash, December 31, 2003: 451 here but 450 in {} (difference 1); a period \
             reported again must have the same figures (if the newer figure restates this one, \
             add restated = [\"2003-12-31\"] to {})",
            place(root, "2004-q1", "balance-sheet", "cash"),
            place(root, "2004-q2", "balance-sheet", "cash"),
            newer.display()
        )]
    );
    // The newer release says it restates the balance: both figures stand, neither tied.
    let dir = site(&DECEMBER, |r, id, text| {
        mistyped(r, id, text);
        if r == 1 && id == "balance-sheet" {
            *text = text.replacen("\n\n", "\nrestated = [\"2003-12-31\"]\n\n", 1);
        }
    });
    let summary = check(&options(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((summary.tied, summary.figures), (36, 52));
}

#[test]
fn a_difference_within_a_tolerance_is_accepted_reported_and_not_counted_as_tied() {
    // The second quarter's table declares it, or the site does for ties across releases.
    let by_table = site(&DECEMBER, |r, id, text| {
        six_months_off_by(1)(r, id, text);
        if r == 1 && id == "operations" {
            *text = text.replacen("\n\n", "\ntolerance = \"1\"\n\n", 1);
        }
    });
    let by_site = site_with(
        &DECEMBER,
        "cross_release_tolerance = \"1\"",
        six_months_off_by(1),
    );
    for dir in [&by_table, &by_site] {
        let root = dir.path();
        let (ok, stdout, stderr) = irsite(root, &["check", "--verbose"]);
        assert!(ok, "{stderr}");
        // The six months' revenue and net income and the four quarters they sum: six figures
        // that relations tie exactly, but whose ties across releases miss by one.
        assert!(
            stdout.contains(", 32/52 figures tied, 6 within a tolerance of 1, "),
            "{stdout}"
        );
        assert!(
            stdout.contains("\n6 figures tied only within a tolerance:\n"),
            "{stdout}"
        );
        let listed = format!(
            "\n  {}: revenue, three months ended March 31, 2004: 100: revenue, six months ended \
             June 30, 2004: its quarters sum to 210 and the row states 211 (difference 1, within \
             a tolerance of 1): Q1 2004 100 ({}), Q2 2004 110 ({})\n",
            place(root, "2004-q1", "operations", "revenue"),
            place(root, "2004-q1", "operations", "revenue"),
            place(root, "2004-q2", "operations", "revenue"),
        );
        assert!(stdout.contains(&listed), "{listed}\n{stdout}");
        assert!(
            stdout.contains(&format!(
                "\n  {}: net_income, six months ended June 30, 2004: 86: net_income, six months \
                 ended June 30, 2004: its quarters sum to 85 and the row states 86 (difference 1, \
                 within a tolerance of 1)",
                place(root, "2004-q2", "operations", "net_income")
            )),
            "{stdout}"
        );
        // The summary without --verbose says so too.
        let (_, stdout, _) = irsite(root, &["check"]);
        assert!(
            stdout.contains("32/52 figures tied, 6 within a tolerance of 1"),
            "{stdout}"
        );
    }
    // Without a tolerance, or beyond it, the differences are errors.
    assert_eq!(
        errors_of(site(&DECEMBER, six_months_off_by(1)).path()).len(),
        2
    );
    let by_two = site_with(
        &DECEMBER,
        "cross_release_tolerance = \"1\"",
        six_months_off_by(2),
    );
    assert_eq!(errors_of(by_two.path()).len(), 2);
}

#[test]
fn a_sites_tolerance_that_is_not_an_amount_is_refused_with_its_line() {
    let dir = site_with(&DECEMBER, "cross_release_tolerance = \"-1\"", |_, _, _| {});
    let message = check(&options(dir.path())).unwrap_err().to_string();
    assert!(
        message.contains("site.toml:4:27: a tolerance is an amount in the table's units")
            && message.contains("cannot be negative"),
        "{message}"
    );
}

/// The fixture passes on `calendar`, and a six months one more than its quarters fails with
/// the calendar's period and quarters in the message.
fn ties_by_the_calendars_quarters(calendar: &Calendar) {
    let dir = site(calendar, |_, _, _| {});
    let summary = check(&options(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((summary.tied, summary.figures), (38, 52));
    let dir = site(
        calendar,
        replace(
            1,
            "cash-flows",
            "[\"20\", \"10\", \"70\", \"30\"]",
            "[\"20\", \"10\", \"71\", \"30\"]",
        ),
    );
    let root = dir.path();
    let errors = errors_of(root);
    let expected = format!(
        "{}: net_change, {}: its quarters sum to 70 but the row states 71 (difference 1): {} 50 \
         ({}), {} 20 ({});",
        place(root, "2004-q2", "cash-flows", "net_change"),
        calendar.six_months,
        calendar.quarters[0],
        place(root, "2004-q1", "cash-flows", "net_change"),
        calendar.quarters[1],
        place(root, "2004-q2", "cash-flows", "net_change"),
    );
    // The ending balance no longer follows from the change either (a relation).
    assert!(
        errors.iter().any(|e| e.starts_with(&expected)),
        "{expected}\n{errors:#?}"
    );
}

#[test]
fn a_september_fiscal_year_ties_by_its_quarters() {
    ties_by_the_calendars_quarters(&SEPTEMBER);
}

#[test]
fn a_52_53_week_fiscal_year_ties_by_its_quarters() {
    ties_by_the_calendars_quarters(&FIFTY_TWO_WEEKS);
}

/// Ties across releases read only the columns without a member: a segment's figure for a
/// quarter may be restated by a later release (a re-segmentation) without `restated`, and a
/// comparison column is never tied to anything; the consolidated figure still ties.
#[test]
fn only_the_consolidated_columns_tie_across_releases() {
    let segments = |columns: &str, values: &str| {
        format!(
            "title = \"Revenue by Segment\"\nunits = \"in millions\"\nscale = \"millions\"\n\
             group_by = \"member\"\n\
             members = [{{ id = \"pumps\", label = \"Pumps\" }}]\n\
             total = {{ id = \"total\", label = \"Total\" }}\ncolumns = [{columns}]\n\n\
             [[rows]]\nid = \"revenue\"\nlabel = \"Revenue\"\nvalues = [{values}]\n"
        )
    };
    let q1 = segments(
        "{ period = \"2004-Q1\", member = \"pumps\" }, \"2004-Q1\"",
        "\"70\", \"100\"",
    );
    let q2 = |total_q1: &str| {
        segments(
            "{ period = \"2004-Q2\", member = \"pumps\" }, { period = \"2004-Q1\", member = \
             \"pumps\" }, { change = [\"2004-Q2\", \"2004-Q1\"], member = \"pumps\" }, \
             \"2004-Q2\", \"2004-Q1\"",
            &format!("\"75\", \"64\", \"11\", \"110\", \"{total_q1}\""),
        )
    };
    let site = tempfile::tempdir().unwrap();
    let write = |total_q1: &str| {
        write_site(
            site.path(),
            "",
            &[
                Release {
                    slug: "2004-q1",
                    period: "2004-Q1",
                    date: "2004-04-29",
                    tables: vec![("segments", q1.clone())],
                },
                Release {
                    slug: "2004-q2",
                    period: "2004-Q2",
                    date: "2004-07-29",
                    tables: vec![("segments", q2(total_q1))],
                },
            ],
        )
    };
    // Pumps' first quarter is 70 in one release and 64 in the next: a member's figure is not
    // tied across releases.
    write("100");
    check(&options(site.path())).unwrap_or_else(|e| panic!("{e}"));
    // The consolidated first quarter still is.
    write("101");
    let errors = errors_of(site.path());
    assert!(
        errors
            .iter()
            .any(|e| e.contains("2004-q2/tables/segments.toml")
                && e.contains("101")
                && e.contains("100")),
        "{errors:#?}"
    );
}
