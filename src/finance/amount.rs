//! Exact amounts and table cells, parsed strictly from TOML strings.
//!
//! Amounts are `Decimal`, never floats. A cell is an amount, nil (published as "--") or not
//! applicable ("N/A"); the two are distinct from zero and from each other.

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
}

/// One cell of a financial table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Amount(Amount),
    /// Nothing to report for the period ("--" in the copy, an em dash on the page).
    Nil,
    /// The line does not apply to the period ("N/A").
    NotApplicable,
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

    /// Equal as written: see [`Amount::identical`].
    pub fn identical(&self, other: &Cell) -> bool {
        match (self, other) {
            (Cell::Amount(a), Cell::Amount(b)) => a.identical(b),
            _ => self == other,
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
     (no thousands separators, no \"$\", negatives with a leading \"-\"), \"nil\" or \"N/A\"";

impl FromStr for Cell {
    type Err = CellError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "nil" => return Ok(Cell::Nil),
            "N/A" => return Ok(Cell::NotApplicable),
            "" => return Ok(Cell::Missing),
            _ => {}
        }
        let digits = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = match digits.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (digits, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
            return Err(CellError(format!("{CELL_SYNTAX}; found {text:?}")));
        }
        if whole.len() > 1 && whole.starts_with('0') {
            return Err(CellError(format!(
                "leading zeros are not allowed in an amount; found {text:?}"
            )));
        }
        let value = Decimal::from_str_exact(text)
            .map_err(|e| CellError(format!("{text:?} is not a representable amount: {e}")))?;
        Ok(Cell::Amount(Amount {
            value,
            negative: text.starts_with('-'),
        }))
    }
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
