//! The ties on small invented archives: each table is one release's, newest release first.

use super::*;
use crate::finance::calendar::Settings as CalendarSettings;
use crate::finance::{LineItem, RowKind};

/// A row: id, kind, figures (one per column).
type Row<'a> = (&'a str, RowKind, &'a [&'a str]);

/// A table of release `release` with the given columns and rows; its source names the release,
/// so messages can be read ("r1/operations.toml:3" is the third row of release 1's table).
fn table(calendar: &FiscalCalendar, release: usize, columns: &[&str], rows: &[Row]) -> Statement {
    Statement {
        title: "Operations".into(),
        source: format!("r{release}/operations.toml").into(),
        ..Statement::for_test(
            "operations",
            "in millions",
            crate::finance::Scale::Millions,
            columns.iter().map(|c| calendar.parse(c).unwrap()).collect(),
            rows.iter()
                .enumerate()
                .map(|(i, &(id, kind, figures))| LineItem::for_test(id, kind, figures, i + 1))
                .collect(),
        )
    }
}

fn december() -> FiscalCalendar {
    FiscalCalendar::default()
}

/// Every tie of `releases` (one table each), every figure wanted.
fn ties_of(calendar: &FiscalCalendar, releases: &[Statement], tolerance: Option<&str>) -> Ties {
    let tables: Vec<&[Statement]> = releases.iter().map(std::slice::from_ref).collect();
    let settings = Settings {
        calendar,
        tolerance: tolerance.map(|t| t.parse().unwrap()),
    };
    verify(&tables, &settings, &Scope::Everything, &|_| true)
}

fn messages(ties: &Ties) -> Vec<String> {
    ties.findings
        .iter()
        .map(|f| format!("r{}:{}: {}", f.release, f.line, f.message))
        .collect()
}

fn figure(release: usize, row: usize, column: usize) -> FigureRef {
    FigureRef {
        release,
        table: 0,
        row,
        column,
    }
}

/// The second quarter's release (Q2 and six months) and the first quarter's (Q1).
fn second_quarter(revenue_6m: &str, kind: RowKind) -> Vec<Statement> {
    let c = december();
    vec![
        table(
            &c,
            0,
            &["2004-Q2", "2004-6M"],
            &[("revenue", kind, &["150", revenue_6m])],
        ),
        table(&c, 1, &["2004-Q1"], &[("revenue", kind, &["100"])]),
    ]
}

#[test]
fn a_year_to_date_is_the_sum_of_its_quarters_from_any_release() {
    let ties = ties_of(&december(), &second_quarter("250", RowKind::Item), None);
    assert_eq!(messages(&ties), Vec::<String>::new());
    let mut tied = ties.tied.clone();
    tied.sort();
    assert_eq!(tied, [figure(0, 0, 0), figure(0, 0, 1), figure(1, 0, 0)]);
}

#[test]
fn a_year_to_date_that_is_not_the_sum_names_every_figure() {
    let ties = ties_of(&december(), &second_quarter("260", RowKind::Item), None);
    assert_eq!(
        messages(&ties),
        [
            "r0:1: revenue, six months ended June 30, 2004: its quarters sum to 250 but the row \
          states 260 (difference 10): Q1 2004 100 (r1/operations.toml:1), Q2 2004 150 \
          (r0/operations.toml:1); a row whose figures do not add up over time (a balance at the \
          start of the period) says so with not_additive = \"reason\""
        ]
    );
}

#[test]
fn per_share_amounts_share_counts_and_rows_that_opt_out_are_not_summed() {
    for kind in [RowKind::PerShare, RowKind::Shares] {
        let ties = ties_of(&december(), &second_quarter("260", kind), None);
        assert_eq!(messages(&ties), Vec::<String>::new(), "{kind:?}");
        assert!(ties.tied.is_empty());
    }
    let mut releases = second_quarter("260", RowKind::Item);
    releases[0].rows[0].not_additive = true;
    assert_eq!(
        messages(&ties_of(&december(), &releases, None)),
        Vec::<String>::new()
    );
}

#[test]
fn a_quarter_the_archive_lacks_leaves_the_year_to_date_unchecked() {
    let c = december();
    let releases = [table(
        &c,
        0,
        &["2004-Q2", "2004-6M"],
        &[("revenue", RowKind::Item, &["150", "999"])],
    )];
    let ties = ties_of(&c, &releases, None);
    assert!(ties.findings.is_empty() && ties.tied.is_empty());
}

#[test]
fn a_full_year_and_a_trailing_twelve_months_sum_four_quarters() {
    let c = december();
    let row = |figures: &'static [&'static str]| [("revenue", RowKind::Item, figures)];
    let releases = [
        table(&c, 0, &["2005-Q1", "2005-Q1-TTM"], &row(&["50", "140"])),
        table(&c, 1, &["2004-Q4", "2004-FY"], &row(&["40", "130"])),
        table(&c, 2, &["2004-Q3"], &row(&["30"])),
        table(&c, 3, &["2004-Q2"], &row(&["20"])),
        table(&c, 4, &["2004-Q1"], &row(&["40"])),
    ];
    let ties = ties_of(&c, &releases, None);
    assert_eq!(messages(&ties), Vec::<String>::new());
    // 2004: 40 + 20 + 30 + 40 = 130; the twelve months to March 2005: 20 + 30 + 40 + 50 = 140.
    assert!(ties.tied.contains(&figure(1, 0, 1)) && ties.tied.contains(&figure(0, 0, 1)));
    let mut wrong = releases.clone();
    wrong[1].rows[0].values[1] = "131".parse().unwrap();
    assert_eq!(
        messages(&ties_of(&c, &wrong, None))[0],
        "r1:1: revenue, year ended December 31, 2004: its quarters sum to 130 but the row \
         states 131 (difference 1): Q1 2004 40 (r4/operations.toml:1), Q2 2004 20 \
         (r3/operations.toml:1), Q3 2004 30 (r2/operations.toml:1), Q4 2004 40 \
         (r1/operations.toml:1); a row whose figures do not add up over time (a balance at the \
         start of the period) says so with not_additive = \"reason\""
    );
}

#[test]
fn a_balance_sheet_date_reported_twice_has_the_same_figures_unless_restated() {
    let c = december();
    let releases = [
        table(
            &c,
            0,
            &["2005-03-31", "2004-12-31"],
            &[("cash", RowKind::Item, &["70", "61"])],
        ),
        table(
            &c,
            1,
            &["2004-12-31", "2003-12-31"],
            &[("cash", RowKind::Item, &["60", "50"])],
        ),
    ];
    let ties = ties_of(&c, &releases, None);
    assert_eq!(
        messages(&ties),
        [
            "r1:1: cash, December 31, 2004: 60 here but 61 in r0/operations.toml:1 (difference 1); \
          a period reported again must have the same figures (if the newer figure restates this \
          one, add restated = [\"2004-12-31\"] to r0/operations.toml)"
        ]
    );
    let mut restating = releases.clone();
    restating[0].restated = vec![c.parse("2004-12-31").unwrap()];
    let ties = ties_of(&c, &restating, None);
    assert_eq!(messages(&ties), Vec::<String>::new());
    assert!(
        ties.tied.is_empty(),
        "a restated figure is not tied to the one it restates"
    );
    // Nor to an equal one: a change to the older figure would go unnoticed.
    restating[0].rows[0].values[1] = "60".parse().unwrap();
    let ties = ties_of(&c, &restating, None);
    assert!(ties.findings.is_empty() && ties.tied.is_empty());
    // Equal figures are tied, both of them.
    let mut agreeing = releases.clone();
    agreeing[0].rows[0].values[1] = "60".parse().unwrap();
    let mut tied = ties_of(&c, &agreeing, None).tied;
    tied.sort();
    assert_eq!(tied, [figure(0, 0, 1), figure(1, 0, 0)]);
}

#[test]
fn a_nil_figure_is_named_as_written() {
    let c = december();
    let row = |figures: &'static [&'static str]| [("grants", RowKind::Item, figures)];
    let releases = [
        table(&c, 0, &["2004-Q4"], &row(&["5"])),
        table(&c, 1, &["2004-Q4"], &row(&["nil"])),
    ];
    let found = messages(&ties_of(&c, &releases, None));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with(
            "r1:1: grants, three months ended December 31, 2004: nil here but 5 in \
             r0/operations.toml:1 (difference 5)"
        ),
        "{found:?}"
    );
}

#[test]
fn an_older_release_keeps_agreeing_with_the_run_it_belongs_to() {
    // Release 1 has a typo; releases 0 and 2 agree: one error, at the typo.
    let c = december();
    let row = |figures: &'static [&'static str]| [("cash", RowKind::Item, figures)];
    let releases = [
        table(&c, 0, &["2004-12-31"], &row(&["60"])),
        table(&c, 1, &["2004-12-31"], &row(&["66"])),
        table(&c, 2, &["2004-12-31"], &row(&["60"])),
    ];
    let found = messages(&ties_of(&c, &releases, None));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("r1:1: cash, December 31, 2004: 66 here but 60 in r0/"));
}

#[test]
fn a_year_to_date_of_one_quarter_is_the_quarter_itself() {
    let c = december();
    let releases = [
        table(&c, 0, &["2004-Q1"], &[("revenue", RowKind::Item, &["100"])]),
        table(&c, 0, &["2004-3M"], &[("revenue", RowKind::Item, &["101"])]),
    ];
    // Two tables of one release: put both in it.
    let tables = [releases[0].clone(), releases[1].clone()];
    let settings = Settings {
        calendar: &c,
        tolerance: None,
    };
    let ties = verify(&[&tables[..]], &settings, &Scope::Everything, &|_| true);
    assert_eq!(
        ties.findings
            .iter()
            .map(|f| (f.table, f.message.as_str()))
            .collect::<Vec<_>>(),
        [(
            1,
            "revenue, three months ended March 31, 2004: 101 here but 100 for the three months \
             ended March 31, 2004 in r0/operations.toml:1, which covers the same days \
             (difference 1); a period has the same figures wherever it is reported"
        )]
    );
}

#[test]
fn a_sum_reads_each_quarter_as_its_release_knew_it() {
    // Release 2 reported Q1 2004 as 100 and its six months as 250; release 0, a year later,
    // restates Q1 2004 as 110. The older six months still tie to what was known then.
    let c = december();
    let mut restating = table(
        &c,
        0,
        &["2005-Q1", "2004-Q1"],
        &[("revenue", RowKind::Item, &["120", "110"])],
    );
    restating.restated = vec![c.parse("2004-Q1").unwrap()];
    let releases = [
        restating,
        table(
            &c,
            1,
            &["2004-Q2", "2004-6M"],
            &[("revenue", RowKind::Item, &["150", "250"])],
        ),
        table(&c, 2, &["2004-Q1"], &[("revenue", RowKind::Item, &["100"])]),
    ];
    assert_eq!(
        messages(&ties_of(&c, &releases, None)),
        Vec::<String>::new()
    );
}

#[test]
fn a_difference_within_the_sites_tolerance_is_accepted_and_reported_apart() {
    let ties = ties_of(
        &december(),
        &second_quarter("251", RowKind::Item),
        Some("1"),
    );
    assert_eq!(messages(&ties), Vec::<String>::new());
    assert!(ties.tied.is_empty());
    let within: Vec<(FigureRef, &str)> = ties
        .within
        .iter()
        .map(|(f, a)| (*f, a.note.as_str()))
        .collect();
    let note = "revenue, six months ended June 30, 2004: its quarters sum to 250 and the row \
                states 251 (difference 1, within a tolerance of 1): Q1 2004 100 \
                (r1/operations.toml:1), Q2 2004 150 (r0/operations.toml:1)";
    assert_eq!(
        within,
        [
            (figure(0, 0, 1), note),
            (figure(1, 0, 0), note),
            (figure(0, 0, 0), note)
        ]
    );
    // Beyond it, an error; a table's own tolerance counts as well; never for per-share rows.
    assert_eq!(
        ties_of(
            &december(),
            &second_quarter("252", RowKind::Item),
            Some("1")
        )
        .findings
        .len(),
        1
    );
    let mut releases = second_quarter("251", RowKind::Item);
    releases[1].tolerance = Some(Decimal::ONE);
    assert_eq!(ties_of(&december(), &releases, None).within.len(), 3);
    let c = december();
    let per_share = [
        table(
            &c,
            0,
            &["2004-12-31"],
            &[("eps", RowKind::PerShare, &["0.11"])],
        ),
        table(
            &c,
            1,
            &["2004-12-31"],
            &[("eps", RowKind::PerShare, &["0.10"])],
        ),
    ];
    assert_eq!(ties_of(&c, &per_share, Some("1")).findings.len(), 1);
}

#[test]
fn only_wanted_figures_are_listed() {
    let c = december();
    let tables: Vec<Statement> = second_quarter("250", RowKind::Item);
    let tables: Vec<&[Statement]> = tables.iter().map(std::slice::from_ref).collect();
    let settings = Settings {
        calendar: &c,
        tolerance: None,
    };
    let ties = verify(&tables, &settings, &Scope::Everything, &|f| f.release == 1);
    assert_eq!(ties.tied, [figure(1, 0, 0)]);
}

#[test]
fn a_scope_checks_the_periods_it_names_and_the_sums_that_read_them() {
    let c = december();
    let releases = second_quarter("260", RowKind::Item);
    let tables: Vec<&[Statement]> = releases.iter().map(std::slice::from_ref).collect();
    let settings = Settings {
        calendar: &c,
        tolerance: None,
    };
    let only = |period: &str| Scope::Spans([Span::of(&c.parse(period).unwrap())].into());
    // The first quarter is read by the six months, which is checked.
    assert_eq!(
        verify(&tables, &settings, &only("2004-Q1"), &|_| true)
            .findings
            .len(),
        1
    );
    assert_eq!(
        verify(&tables, &settings, &only("2004-6M"), &|_| true)
            .findings
            .len(),
        1
    );
    assert!(
        verify(&tables, &settings, &only("2003-Q4"), &|_| true)
            .findings
            .is_empty()
    );
}

#[test]
fn a_sum_that_overflows_is_an_error_naming_the_figure() {
    let c = december();
    let largest = "79228162514264337593543950335";
    let releases = [
        table(
            &c,
            0,
            &["2004-Q2", "2004-6M"],
            &[("revenue", RowKind::Item, &[largest, "1"])],
        ),
        table(
            &c,
            1,
            &["2004-Q1"],
            &[("revenue", RowKind::Item, &[largest])],
        ),
    ];
    assert_eq!(
        messages(&ties_of(&c, &releases, None)),
        [
            "r0:1: revenue, six months ended June 30, 2004: its quarters cannot be added up: the \
          sum overflows at Q2 2004 79,228,162,514,264,337,593,543,950,335 (a figure holds at \
          most 79,228,162,514,264,337,593,543,950,335)"
        ]
    );
}

#[test]
fn quarters_come_from_the_sites_calendar() {
    // Fiscal 2004 of a 52/53-week year ending the last Saturday of September: the quarters
    // are 13 weeks each, from September 28, 2003 to September 25, 2004.
    let c = FiscalCalendar::new(&CalendarSettings {
        fiscal_year_end: Some("last Saturday of September"),
        ..CalendarSettings::default()
    })
    .unwrap();
    let row = |figures: &'static [&'static str]| [("revenue", RowKind::Item, figures)];
    let releases = [
        table(&c, 0, &["2004-Q4", "2004-FY"], &row(&["40", "100"])),
        table(&c, 1, &["2004-Q3", "2004-9M"], &row(&["30", "60"])),
        table(&c, 2, &["2004-Q2", "2004-6M"], &row(&["20", "30"])),
        table(&c, 3, &["2004-Q1", "2004-3M"], &row(&["10", "10"])),
    ];
    let ties = ties_of(&c, &releases, None);
    assert_eq!(messages(&ties), Vec::<String>::new());
    // 6M, 9M and FY each tie their quarters; 3M is the first quarter.
    for release in 0..4 {
        assert!(ties.tied.contains(&figure(release, 0, 1)), "{release}");
    }
    assert_eq!(
        quarters_of("2004-Q1-TTM".parse().unwrap()),
        Some(vec![(2003, 2), (2003, 3), (2003, 4), (2004, 1)])
    );
}

#[test]
fn a_percent_reported_again_ties_and_a_different_one_is_named_as_written() {
    let c = december();
    let row = |figures: &'static [&'static str]| [("gross_margin", RowKind::Item, figures)];
    let releases = [
        table(&c, 0, &["2005-Q1", "2004-Q1"], &row(&["38.2%", "37.5%"])),
        table(&c, 1, &["2004-Q1"], &row(&["37.5%"])),
    ];
    let ties = ties_of(&c, &releases, Some("1"));
    assert_eq!(messages(&ties), Vec::<String>::new());
    let mut tied = ties.tied.clone();
    tied.sort();
    assert_eq!(tied, [figure(0, 0, 1), figure(1, 0, 0)]);

    // A tolerance in the table's units never applies to a percent.
    let releases = [
        table(&c, 0, &["2004-Q1"], &row(&["37.6%"])),
        table(&c, 1, &["2004-Q1"], &row(&["37.5%"])),
    ];
    let found = messages(&ties_of(&c, &releases, Some("1")));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            "r1:1: gross_margin, three months ended March 31, 2004: 37.5% here but 37.6% in \
             r0/operations.toml:1"
        ),
        "{found:?}"
    );
}

#[test]
fn a_percent_is_never_an_amount_and_never_summed_over_quarters() {
    let c = december();
    let row = |figures: &'static [&'static str]| [("margin", RowKind::Item, figures)];
    let releases = [
        table(&c, 0, &["2004-Q1"], &row(&["0.38"])),
        table(&c, 1, &["2004-Q1"], &row(&["38%"])),
    ];
    let found = messages(&ties_of(&c, &releases, None));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("38% here is a percent but 0.38 in r0/operations.toml:1 is an amount"),
        "{found:?}"
    );
    // Six months of 40% and 50% quarters is not 90%: no finding, nothing tied.
    let releases = [
        table(&c, 0, &["2004-Q2", "2004-6M"], &row(&["50%", "45%"])),
        table(&c, 1, &["2004-Q1"], &row(&["40%"])),
    ];
    let ties = ties_of(&c, &releases, None);
    assert_eq!(messages(&ties), Vec::<String>::new());
    assert!(ties.tied.is_empty());
}

#[test]
fn markers_are_no_figures_to_tie() {
    let c = december();
    let row = |figures: &'static [&'static str]| [("growth", RowKind::Item, figures)];
    let releases = [
        table(&c, 0, &["2004-Q1"], &row(&["NM"])),
        table(&c, 1, &["2004-Q1"], &row(&["blank"])),
    ];
    let ties = ties_of(&c, &releases, None);
    assert_eq!(messages(&ties), Vec::<String>::new());
    assert!(ties.tied.is_empty());
}
