//! How figures are written in financial style, and the one rounding rule.
//!
//! - Thousands separators, and exactly the decimal places the figure was reported with.
//! - Negatives in parentheses: "(570)", "(0.00)".
//! - Nil is an em dash, not-applicable is "N/A".
//! - A percent is its number as written, in the same style, then "%": "8.0%", "(3)%" (the
//!   parenthesis before the sign, as releases print it). A not-meaningful marker is printed as
//!   written ("NM", "n/m", "*"), a blank cell as nothing.
//! - Rounding is half away from zero ("MidpointAwayFromZero"), as financial statements round:
//!   0.05 becomes 0.1 and -0.05 becomes -0.1. It is the only rounding this crate performs.

use rust_decimal::{Decimal, RoundingStrategy};

use super::amount::{Amount, Cell};

/// The em dash printed for a nil figure.
pub const NIL: &str = "\u{2014}";
/// What is printed for a figure that does not apply to the period.
pub const NOT_APPLICABLE: &str = "N/A";

/// Rounds to `decimal_places` digits, half away from zero.
pub fn round(value: Decimal, decimal_places: u32) -> Decimal {
    value.round_dp_with_strategy(decimal_places, RoundingStrategy::MidpointAwayFromZero)
}

/// "42,625", "(570)", "0.01", "(0.00)".
pub fn format_amount(amount: &Amount) -> String {
    let mut magnitude = String::with_capacity(24);
    push_exact(&mut magnitude, amount.value.abs());
    let (whole, fraction) = match magnitude.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (magnitude.as_str(), None),
    };
    let mut out = String::with_capacity(magnitude.len() + whole.len() / 3 + 2);
    if amount.negative {
        out.push('(');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    if amount.negative {
        out.push(')');
    }
    out
}

/// Appends `n` in decimal digits.
pub fn push_digits(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// Appends `value` exactly as `Decimal`'s `Display` writes it: a "-" when negative, then every
/// digit its scale keeps ("42625.0", "0.05"). Pages, downloads and workbooks write every
/// figure, and `Display` through the formatting machinery cost about 600 instructions a figure,
/// a twentieth of a build; the digits are `itoa`'s, the decimal point placed here.
pub fn push_exact(out: &mut String, value: Decimal) {
    if value.is_sign_negative() {
        out.push('-');
    }
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(value.mantissa().unsigned_abs());
    let scale = value.scale() as usize;
    if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        out.push_str(whole);
        if scale > 0 {
            out.push('.');
            out.push_str(fraction);
        }
    } else {
        // A fraction below one gets its leading zeros: "0.05".
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', scale - digits.len()));
        out.push_str(digits);
    }
}

/// "8.0%", "(3)%", "1,250%": a percent as written, in the style of amounts.
pub fn format_percent(percent: &Amount) -> String {
    let mut out = format_amount(percent);
    out.push('%');
    out
}

/// A cell as printed in a statement, without the currency sign.
pub fn format_cell(cell: &Cell) -> String {
    match cell {
        Cell::Amount(amount) => format_amount(amount),
        Cell::Percent(percent) => format_percent(percent),
        Cell::Nil => NIL.to_string(),
        Cell::NotApplicable => NOT_APPLICABLE.to_string(),
        Cell::NotMeaningful(marker) => (*marker).to_string(),
        Cell::Blank | Cell::Missing => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn digits_are_written_as_display_writes_them() {
        for n in [0, 7, 10, 99, 100, 1_048_576, u64::MAX] {
            let mut out = String::from("r");
            push_digits(&mut out, n);
            assert_eq!(out, format!("r{n}"));
        }
    }

    fn exact(value: Decimal) -> String {
        let mut out = String::new();
        push_exact(&mut out, value);
        out
    }

    #[test]
    fn exact_figures_are_written_as_display_writes_them() {
        for text in [
            "0", "-0", "0.00", "-0.00", "42625", "-570", "0.05", "-0.01", "42625.0",
        ] {
            let value: Decimal = text.parse().unwrap();
            assert_eq!(exact(value), value.to_string(), "{text}");
        }
        for value in [
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(1, 28),
            Decimal::new(-1, 28),
        ] {
            assert_eq!(exact(value), value.to_string());
        }
    }

    proptest! {
        #[test]
        fn any_decimal_is_written_as_display_writes_it(
            mantissa in -(1i128 << 96) + 1..(1i128 << 96),
            scale in 0u32..=28,
            negative_zero in any::<bool>(),
        ) {
            let mut value = Decimal::from_i128_with_scale(mantissa, scale);
            if mantissa == 0 && negative_zero {
                value.set_sign_negative(true);
            }
            prop_assert_eq!(exact(value), value.to_string());
        }
    }

    fn cell(s: &str) -> Cell {
        s.parse().unwrap()
    }

    fn shown(s: &str) -> String {
        format_cell(&cell(s))
    }

    #[test]
    fn thousands_get_separators() {
        assert_eq!(shown("42625"), "42,625");
        assert_eq!(shown("971908"), "971,908");
        assert_eq!(shown("1234567"), "1,234,567");
        assert_eq!(shown("2"), "2");
        assert_eq!(shown("0"), "0");
        assert_eq!(shown("100"), "100");
        assert_eq!(shown("1000"), "1,000");
    }

    #[test]
    fn negatives_go_in_parentheses() {
        assert_eq!(shown("-570"), "(570)");
        assert_eq!(shown("-859571"), "(859,571)");
        assert_eq!(shown("-1"), "(1)");
    }

    #[test]
    fn nil_is_an_em_dash_and_not_applicable_is_na() {
        assert_eq!(shown("nil"), "\u{2014}");
        assert_eq!(shown("N/A"), "N/A");
    }

    #[test]
    fn percents_keep_their_decimals_with_the_parenthesis_before_the_sign() {
        assert_eq!(shown("8.0%"), "8.0%");
        assert_eq!(shown("38.25%"), "38.25%");
        assert_eq!(shown("-3%"), "(3)%");
        assert_eq!(shown("-3.0%"), "(3.0)%");
        assert_eq!(shown("-0.0%"), "(0.0)%");
        assert_eq!(shown("1250%"), "1,250%");
    }

    #[test]
    fn markers_print_as_written_and_blank_as_nothing() {
        for marker in ["NM", "n/m", "*", "N/M", "nm"] {
            assert_eq!(shown(marker), marker);
        }
        assert_eq!(shown("blank"), "");
    }

    #[test]
    fn per_share_figures_keep_their_decimals_and_sign() {
        assert_eq!(shown("0.01"), "0.01");
        assert_eq!(shown("0.00"), "0.00");
        assert_eq!(shown("-0.00"), "(0.00)");
        assert_eq!(shown("-0.01"), "(0.01)");
        assert_eq!(shown("1234.50"), "1,234.50");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(round(d("0.05"), 1), d("0.1"));
        assert_eq!(round(d("-0.05"), 1), d("-0.1"));
        assert_eq!(round(d("0.15"), 1), d("0.2"));
        assert_eq!(round(d("0.25"), 1), d("0.3"));
        assert_eq!(round(d("0.0049"), 2), d("0.00"));
        // Truncation would give 42.6 and 0.0; rounding must not truncate.
        assert_eq!(round(d("42.69"), 1), d("42.7"));
    }
}
