//! Exact amounts and table cells, parsed strictly from TOML strings.
//!
//! Amounts are `Decimal`, never floats. A cell is one of a closed set of kinds, each written
//! with its own token and each distinct from the others and from zero:
//!
//! | written                         | cell                 | printed          |
//! |---------------------------------|----------------------|------------------|
//! | `"42625"`, `"-570"`, `"-0.00"`  | an amount            | `42,625` `(570)` |
//! | `"8.0%"`, `"-3%"`               | a percent            | `8.0%` `(3)%`    |
//! | `"nil"`                         | nil                  | an em dash       |
//! | `"N/A"`                         | not applicable       | `N/A`            |
//! | `"NM"`, `"n/m"`, `"*"`, ...     | not meaningful       | as written       |
//! | `"blank"`                       | left empty on purpose| nothing          |
//! | `""`                            | still to fill in     | (never published)|
//!
//! A percent keeps the number as written (`8.0` of `"8.0%"`, with its decimals and sign); the
//! ratio it stands for ([`Amount::percent_ratio`], 0.080) is the one stored form that
//! workbooks, relations and citations read: the same digits two places over, so no rounding.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer, Visitor};

/// An exact amount as reported.
///
/// `negative` keeps the sign as published: a per-share loss that rounds to zero is reported as
/// "(0.00)", and `Decimal` has no negative zero, so the sign is stored beside the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    pub value: Decimal,
    pub negative: bool,
}

impl Amount {
    /// Equal as written, not only in value: "42625" and "42625.0" are equal amounts, but a
    /// page prints each as it was given.
    pub fn identical(&self, other: &Amount) -> bool {
        self.negative == other.negative && self.value.serialize() == other.value.serialize()
    }

    /// An amount whose reported sign is the sign of `value`.
    pub fn new(value: Decimal) -> Self {
        Amount {
            value,
            negative: value.is_sign_negative() && !value.is_zero(),
        }
    }

    /// The ratio a percent stands for, exactly: the same digits two places over, so "8.0%" is
    /// 0.080 and "-3%" is -0.03 (its sign kept as reported). The parser refuses a percent with
    /// more decimals than this leaves room for.
    pub fn percent_ratio(&self) -> Amount {
        let mut value = self.value;
        // At most `MAX_PERCENT_PLACES` decimals were accepted, so the scale stays within 28.
        let _ = value.set_scale(value.scale() + 2);
        Amount {
            value,
            negative: self.negative,
        }
    }
}

impl Amount {
    /// The percent a ratio stands for, the inverse of [`Amount::percent_ratio`]: 0.382 is
    /// 38.2, the same digits two places over; a ratio of fewer than two decimals is multiplied
    /// (`None` if that overflows).
    pub fn ratio_as_percent(&self) -> Option<Amount> {
        let mut value = self.value;
        let scale = value.scale();
        let percent = match scale >= 2 && value.set_scale(scale - 2).is_ok() {
            true => value,
            false => self.value.checked_mul(Decimal::ONE_HUNDRED)?,
        };
        Some(Amount {
            value: percent,
            negative: self.negative,
        })
    }
}

/// The most decimals a percent may have: its ratio has two more, and a `Decimal` holds 28.
pub const MAX_PERCENT_PLACES: u32 = 26;

/// The markers of a figure that is not meaningful (a change from zero, a ratio of a loss), as
/// releases print them. Each is printed exactly as written.
pub const NOT_MEANINGFUL: [&str; 9] = ["NM", "N/M", "nm", "n/m", "n.m.", "N.M.", "NMF", "*", "**"];

/// One cell of a financial table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Amount(Amount),
    /// A percentage, the number as written: `"8.0%"` holds 8.0, `"-3%"` holds (3). Its ratio
    /// is [`Amount::percent_ratio`].
    Percent(Amount),
    /// Nothing to report for the period ("--" in the copy, an em dash on the page).
    Nil,
    /// The line does not apply to the period ("N/A").
    NotApplicable,
    /// A figure the release calls not meaningful, with the marker it prints (one of
    /// [`NOT_MEANINGFUL`]).
    NotMeaningful(&'static str),
    /// A cell the release leaves empty on purpose (`"blank"`): printed as nothing, and not a
    /// figure still to fill in.
    Blank,
    /// Not filled in yet (`""`, as `irsite new` scaffolds it): `check` lists every one, and
    /// nothing is published until all are filled.
    Missing,
}

impl Cell {
    pub fn amount(&self) -> Option<&Amount> {
        match self {
            Cell::Amount(a) => Some(a),
            _ => None,
        }
    }

    /// Whether the cell holds a figure a relation can tie (an amount, a percent or nil, or one
    /// still to fill in), rather than a marker (N/A, not meaningful, blank).
    pub fn is_figure(&self) -> bool {
        matches!(
            self,
            Cell::Amount(_) | Cell::Percent(_) | Cell::Nil | Cell::Missing
        )
    }

    /// Equal as written: see [`Amount::identical`].
    pub fn identical(&self, other: &Cell) -> bool {
        match (self, other) {
            (Cell::Amount(a), Cell::Amount(b)) | (Cell::Percent(a), Cell::Percent(b)) => {
                a.identical(b)
            }
            _ => self == other,
        }
    }

    /// The cell as a table file writes it ("42625", "-0.00", "8.0%", "nil", "N/A", "NM",
    /// "blank", and "" for one still to fill in): parsing it gives an identical cell.
    pub fn token(&self) -> String {
        let signed = |a: &Amount| {
            let sign = if a.negative { "-" } else { "" };
            format!("{sign}{}", a.value.abs())
        };
        match self {
            Cell::Amount(a) => signed(a),
            Cell::Percent(p) => format!("{}%", signed(p)),
            Cell::Nil => "nil".into(),
            Cell::NotApplicable => "N/A".into(),
            Cell::NotMeaningful(marker) => (*marker).into(),
            Cell::Blank => "blank".into(),
            Cell::Missing => String::new(),
        }
    }
}

/// Why a cell's text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError(String);

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CellError {}

const CELL_SYNTAX: &str = "expected an exact decimal string such as \"42625\", \"-570\" or \"0.01\" \
     (no thousands separators, no \"$\", negatives with a leading \"-\"), a percent such as \
     \"8.0%\" or \"-3%\", \"nil\", \"N/A\", a not-meaningful marker (\"NM\", \"N/M\", \"nm\", \
     \"n/m\", \"n.m.\", \"N.M.\", \"NMF\", \"*\", \"**\"), or \"blank\" for a cell left empty";

const PERCENT_SYNTAX: &str = "a percent is an exact decimal and \"%\", such as \"8.0%\" or \"-3%\" \
     (no thousands separators, a negative with a leading \"-\")";

impl FromStr for Cell {
    type Err = CellError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // Figures start with a digit or "-" and words never do, so a figure (nearly every
        // cell) is parsed without comparing it with each word.
        if !matches!(text.as_bytes().first(), Some(b'0'..=b'9' | b'-')) {
            match text {
                "nil" => return Ok(Cell::Nil),
                "N/A" => return Ok(Cell::NotApplicable),
                "blank" => return Ok(Cell::Blank),
                "" => return Ok(Cell::Missing),
                _ => {}
            }
            if let Some(marker) = NOT_MEANINGFUL.iter().find(|m| **m == text) {
                return Ok(Cell::NotMeaningful(marker));
            }
        }
        if let Some(number) = text.strip_suffix('%') {
            let percent = parse_amount(number, PERCENT_SYNTAX)?;
            if percent.value.scale() > MAX_PERCENT_PLACES {
                return Err(CellError(format!(
                    "a percent has at most {MAX_PERCENT_PLACES} decimal places; found {text:?}"
                )));
            }
            return Ok(Cell::Percent(percent));
        }
        parse_amount(text, CELL_SYNTAX).map(Cell::Amount)
    }
}

/// A plain decimal string: digits, at most one point, a leading "-" for a negative; `syntax`
/// says what was expected where it is not one.
fn parse_amount(text: &str, syntax: &str) -> Result<Amount, CellError> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        return Err(CellError(format!("{syntax}; found {text:?}")));
    }
    if whole.len() > 1 && whole.starts_with('0') {
        return Err(CellError(format!(
            "leading zeros are not allowed in an amount; found {text:?}"
        )));
    }
    let value = Decimal::from_str_exact(text)
        .map_err(|e| CellError(format!("{text:?} is not a representable amount: {e}")))?;
    Ok(Amount {
        value,
        negative: text.starts_with('-'),
    })
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CellVisitor;

        impl Visitor<'_> for CellVisitor {
            type Value = Cell;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(CELL_SYNTAX)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
                v.parse().map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
                Err(E::custom(format!(
                    "amounts are written as strings so they stay exact: write \"{v}\" instead of {v}"
                )))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
                self.visit_i64(v as i64)
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
                Err(E::custom(format!(
                    "amounts are written as strings so they stay exact: write \"{v}\" instead of \
                     the floating-point number {v}"
                )))
            }
        }

        deserializer.deserialize_any(CellVisitor)
    }
}

/// Reads a tolerance (`tolerance = "1"` in a table or `site.toml`): how far apart, in the
/// table's units, two figures may be and still be accepted as tying, though not as tied.
pub fn parse_tolerance(text: &str) -> Result<Decimal, String> {
    let expected = "a tolerance is an amount in the table's units, written as a string such as \
                    \"1\" or \"0.5\"";
    match text.parse::<Cell>() {
        Ok(Cell::Amount(a)) if !a.negative => Ok(a.value),
        Ok(Cell::Amount(_)) => Err(format!(
            "{expected}; a tolerance cannot be negative: {text:?}"
        )),
        Ok(_) => Err(format!("{expected}; found {text:?}")),
        Err(e) => Err(format!("{expected}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> Cell {
        text.parse().unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn amount(text: &str) -> Amount {
        *text.parse::<Cell>().unwrap().amount().unwrap()
    }

    #[test]
    fn parses_exact_decimals_with_their_scale() {
        let a = amount("42625");
        assert_eq!(a.value, Decimal::new(42625, 0));
        assert!(!a.negative);
        let eps = amount("0.01");
        assert_eq!(eps.value.scale(), 2);
        assert_eq!(amount("-570").value, Decimal::new(-570, 0));
    }

    #[test]
    fn identical_amounts_are_equal_as_written() {
        assert_eq!(amount("42625"), amount("42625.0"));
        assert!(!amount("42625").identical(&amount("42625.0")));
        assert!(amount("42625").identical(&amount("42625")));
        assert!(!amount("0.00").identical(&amount("-0.00")));
        let cell = |t: &str| t.parse::<Cell>().unwrap();
        assert!(cell("nil").identical(&cell("nil")));
        assert!(!cell("nil").identical(&cell("0")));
    }

    #[test]
    fn keeps_the_sign_of_a_negative_zero() {
        let a = amount("-0.00");
        assert!(a.value.is_zero());
        assert!(a.negative);
        assert!(!amount("0.00").negative);
    }

    #[test]
    fn an_empty_string_is_a_figure_still_to_fill_in() {
        assert_eq!("".parse::<Cell>(), Ok(Cell::Missing));
    }

    #[test]
    fn nil_and_not_applicable_are_not_zero() {
        assert_eq!("nil".parse::<Cell>(), Ok(Cell::Nil));
        assert_eq!("N/A".parse::<Cell>(), Ok(Cell::NotApplicable));
        assert_ne!("nil".parse::<Cell>().unwrap(), "0".parse::<Cell>().unwrap());
    }

    #[test]
    fn percents_keep_the_number_as_written_and_stand_for_an_exact_ratio() {
        let percent = |t: &str| match t.parse::<Cell>() {
            Ok(Cell::Percent(p)) => p,
            other => panic!("{t:?} read as {other:?}"),
        };
        let p = percent("8.0%");
        assert_eq!(p.value.to_string(), "8.0");
        assert_eq!(p.percent_ratio().value.to_string(), "0.080");
        let p = percent("-3%");
        assert!(p.negative);
        assert_eq!(p.percent_ratio().value.to_string(), "-0.03");
        let p = percent("-0.0%");
        assert!(p.negative && p.value.is_zero());
        assert!(p.percent_ratio().negative);
        assert_eq!(percent("1250%").percent_ratio().value.to_string(), "12.50");
        // A percent is not the amount of the same digits, and "8.0%" is not "8%".
        assert_ne!(cell("8%"), cell("8"));
        assert!(!cell("8.0%").identical(&cell("8%")));
        assert!(cell("8.0%").identical(&cell("8.0%")));
        let places = format!("0.{}%", "1".repeat(MAX_PERCENT_PLACES as usize));
        assert_eq!(percent(&places).percent_ratio().value.scale(), 28);
        let err = format!("0.{}%", "1".repeat(27))
            .parse::<Cell>()
            .unwrap_err();
        assert!(
            err.to_string().contains("at most 26 decimal places"),
            "{err}"
        );
    }

    #[test]
    fn not_meaningful_markers_keep_their_spelling_and_blank_is_not_missing() {
        for marker in NOT_MEANINGFUL {
            // The parser looks for words only where a figure cannot start.
            assert!(!marker.starts_with(|c: char| c.is_ascii_digit() || c == '-'));
            assert_eq!(cell(marker), Cell::NotMeaningful(marker));
            assert!(!cell(marker).is_figure());
        }
        assert_ne!(cell("NM"), cell("n/m"));
        // The message for a cell refused names every marker there is.
        for marker in NOT_MEANINGFUL {
            assert!(CELL_SYNTAX.contains(&format!("\"{marker}\"")), "{marker}");
        }
        assert_eq!(cell("blank"), Cell::Blank);
        assert_ne!(cell("blank"), Cell::Missing);
        assert!(!cell("blank").is_figure());
        assert!(cell("").is_figure());
    }

    #[test]
    fn every_cell_is_written_back_as_its_token() {
        for text in [
            "42625", "-570", "0.01", "-0.00", "42625.0", "8.0%", "-3%", "-0.0%", "nil", "N/A",
            "NM", "n/m", "*", "blank", "",
        ] {
            assert_eq!(cell(text).token(), text);
            assert!(cell(&cell(text).token()).identical(&cell(text)));
        }
    }

    #[test]
    fn refuses_malformed_percents_and_markers() {
        for bad in [
            "%", "-%", "8.0 %", " 8%", "(3)%", "(3%)", "8,0%", "1,250%", "+3%", "8%%", "08%",
            ".5%", "5.%", "8 pct", "nM", "Nm", "NA", "n.a.", "***", "Blank", "BLANK", "-NM",
        ] {
            assert!(bad.parse::<Cell>().is_err(), "{bad:?} was accepted");
        }
        let err = "(3)%".parse::<Cell>().unwrap_err().to_string();
        assert!(err.starts_with("a percent is"), "{err}");
    }

    #[test]
    fn refuses_anything_but_plain_decimals() {
        for bad in [
            "42,625", "$42", "(570)", "1e3", " 42", "42 ", "+42", "-", ".5", "5.", "abc", "007",
            "--", "n/a", "NaN",
        ] {
            assert!(bad.parse::<Cell>().is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn tolerances_are_non_negative_exact_decimals() {
        assert_eq!(parse_tolerance("1"), Ok(Decimal::ONE));
        assert_eq!(parse_tolerance("0.5"), Ok(Decimal::new(5, 1)));
        assert_eq!(parse_tolerance("0"), Ok(Decimal::ZERO));
        for bad in [
            "-1", "-0", "", "nil", "N/A", "1,000", "$1", "one", " 1", "1e3",
        ] {
            let err = parse_tolerance(bad).unwrap_err();
            assert!(
                err.starts_with("a tolerance is an amount"),
                "{bad:?}: {err}"
            );
        }
        assert!(
            parse_tolerance("-1")
                .unwrap_err()
                .contains("cannot be negative")
        );
    }

    #[test]
    fn toml_numbers_are_refused_with_a_fix() {
        #[derive(serde::Deserialize, Debug)]
        struct Row {
            #[allow(dead_code)]
            values: Vec<Cell>,
        }
        let err = toml::from_str::<Row>("values = [42625]").unwrap_err();
        assert!(err.to_string().contains("write \"42625\""), "{err}");
        let err = toml::from_str::<Row>("values = [0.01]").unwrap_err();
        assert!(err.to_string().contains("floating-point"), "{err}");
    }
}
