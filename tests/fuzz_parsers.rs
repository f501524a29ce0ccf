//! Bounded property tests over the parsers: whatever the input, they answer with a value or an
//! error naming the file, never a panic; what they accept round-trips.

mod common;
#[path = "common/mutate.rs"]
mod mutate;

use std::sync::OnceLock;

use irsite::finance::format::format_cell;
use irsite::finance::{Cell, FiscalCalendar, Period, PeriodName, Statement, citations, expr};
use mutate::mutate;
use proptest::prelude::*;

const TABLES: &str = "content/releases/2006-q1/tables";

fn example_tables() -> &'static [Statement] {
    static TABLES_LOADED: OnceLock<Vec<Statement>> = OnceLock::new();
    TABLES_LOADED.get_or_init(|| {
        common::files_under(&common::repo_root().join(TABLES))
            .iter()
            .map(|f| {
                let path = common::repo_root().join(TABLES).join(f);
                irsite::content::load_statement(&path, &FiscalCalendar::default())
            })
            .collect::<Result<_, _>>()
            .unwrap()
    })
}

/// Text made of the characters the formats give meaning to, and some that they do not.
fn syntax_soup() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[-+/()@.,:|{} a-zQF0-9_\"\\[\\]=\n#$%é]{0,40}").unwrap()
}

fn edits() -> impl Strategy<Value = Vec<(prop::sample::Index, usize, String)>> {
    prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            0usize..6,
            proptest::string::string_regex("[-\"\\[\\]={}+.,#\n a-z0-9]{0,6}").unwrap(),
        ),
        1..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn periods_parse_or_explain(text in syntax_soup()) {
        match text.parse::<PeriodName>() {
            Ok(period) => prop_assert_eq!(period.to_string().parse::<PeriodName>(), Ok(period)),
            Err(message) => prop_assert!(
                message.contains("expected") || message.contains("Q1 to Q4") || message.contains("FY")
            ),
        }
    }

    #[test]
    fn valid_periods_round_trip(year in 1002i32..=9997, quarter in 1u8..=4) {
        let text = format!("{year}-Q{quarter}");
        let period: Period = FiscalCalendar::default().parse(&text).unwrap();
        prop_assert_eq!(&period.to_string(), &text);
        let instant = period.end().iso();
        prop_assert_eq!(instant.parse::<PeriodName>().unwrap().to_string(), instant);
        for kind in ["FY", "3M", "6M", "9M"] {
            let text = format!("{year}-{kind}");
            prop_assert_eq!(FiscalCalendar::default().parse(&text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn cells_parse_or_explain(text in syntax_soup()) {
        let _ = text.parse::<Cell>();
    }

    #[test]
    fn amounts_print_their_exact_value(mantissa in any::<i64>(), scale in 0u32..6) {
        let value = rust_decimal::Decimal::new(mantissa, scale);
        let text = value.to_string();
        let cell: Cell = text.parse().unwrap();
        let printed = format_cell(&cell);
        let digits: String = printed
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let back: rust_decimal::Decimal = digits.parse().unwrap();
        prop_assert_eq!(back, value.abs());
        prop_assert_eq!(printed.starts_with('('), text.starts_with('-'));
    }

    /// A percent prints its number as written with the "%" after any parenthesis, reads back
    /// from its token, and stands for exactly a hundredth of itself.
    #[test]
    fn percents_print_and_read_back_exactly(mantissa in any::<i64>(), scale in 0u32..6) {
        let value = rust_decimal::Decimal::new(mantissa, scale);
        let text = format!("{value}%");
        let cell: Cell = text.parse().unwrap();
        prop_assert_eq!(cell.token(), text.clone());
        let printed = format_cell(&cell);
        prop_assert!(printed.ends_with('%'));
        prop_assert_eq!(printed.starts_with('('), text.starts_with('-'));
        let Cell::Percent(percent) = cell else {
            panic!("{text} is not a percent");
        };
        let hundred = rust_decimal::Decimal::ONE_HUNDRED;
        prop_assert_eq!(percent.percent_ratio().value * hundred, value);
    }

    #[test]
    fn expressions_parse_or_explain(text in syntax_soup()) {
        let _ = expr::parse(&text);
    }

    #[test]
    fn citations_expand_or_explain(text in syntax_soup()) {
        let period: Period = FiscalCalendar::default().parse("2006-Q1").unwrap();
        let _ = citations::expand(&text, example_tables(), period);
        let wrapped = format!("{{{{ {text} | millions }}}}");
        let _ = citations::expand(&wrapped, example_tables(), period);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn damaged_tables_load_or_name_their_file(
        file in prop::sample::select(vec!["operations.toml", "cash-flows.toml", "normalized-net-income.toml"]),
        edits in edits(),
    ) {
        let original = common::read(&common::repo_root().join(TABLES).join(file));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(file);
        std::fs::write(&path, mutate(&original, &edits)).unwrap();
        if let Err(e) = irsite::content::load_statement(&path, &FiscalCalendar::default()) {
            prop_assert!(e.to_string().contains(file), "{}", e);
        }
    }

    #[test]
    fn damaged_releases_check_or_name_their_file(edits in edits()) {
        let site = common::copy_of_example();
        let index = site.path().join("content/releases/2006-q1/index.md");
        // Damage the front matter and the prose after it, where citations and links are.
        let original = common::read(&index);
        let head_len = original.find("\n## ").unwrap_or(original.len());
        let damaged = mutate(&original[..head_len], &edits) + &original[head_len..];
        std::fs::write(&index, damaged).unwrap();
        let options = irsite::site::Options {
            root: site.path().to_path_buf(),
            ..Default::default()
        };
        if let Err(e) = irsite::site::check(&options) {
            let message = e.to_string();
            // A source problem names index.md; a broken link names the page it is on.
            prop_assert!(
                message.contains("index.md") || message.contains("index.html"),
                "{}",
                message
            );
        }
    }
}

/// Amounts at and near the limits of a `Decimal` (28–29 digits, 28 decimal places).
fn extreme_amount() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "39614081257132168796771975168",
        "9999999999999999999999999999",
        "0.0000000000000000000000000001",
        "-0.0000000000000000000000000001",
        "7922816251426433759354395033.5",
        "1",
        "0",
    ])
    .prop_map(str::to_string)
}

proptest! {
    // Each case spawns the binary: a few cases cover the classes.
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn the_binary_answers_extreme_amounts_and_nesting_with_an_exit_code_not_a_panic(
        revenue in (extreme_amount(), extreme_amount()),
        costs in (extreme_amount(), extreme_amount()),
        depth in prop::sample::select(vec![0usize, 3, 33, 5_000]),
    ) {
        let site = common::copy_of_example();
        let path = site.path().join(TABLES).join("operations.toml");
        let nested = format!(
            "{}revenue - total_operating_costs{}",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        let text = common::read(&path)
            .replacen(
                "values = [\"42625\", \"37855\"]",
                &format!("values = [\"{}\", \"{}\"]", revenue.0, revenue.1),
                1,
            )
            .replacen(
                "values = [\"42433\", \"38312\"]",
                &format!("values = [\"{}\", \"{}\"]", costs.0, costs.1),
                1,
            )
            .replacen(
                "equals = \"revenue - total_operating_costs\"",
                &format!("equals = \"{nested}\""),
                1,
            );
        std::fs::write(&path, text).unwrap();
        let (ok, _, stderr) = common::irsite(site.path(), &["check"]);
        // Whatever the figures, the answer is an exit code with messages, never a panic or an
        // abort (which would show as a signal or as exit code 101 with "panicked").
        prop_assert!(!stderr.contains("panicked") && !stderr.contains("overflowed its stack"), "{}", stderr);
        prop_assert!(ok || stderr.contains("error:"), "{}", stderr);
    }
}
