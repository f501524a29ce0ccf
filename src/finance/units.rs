//! What a figure means: the scale a table states its amounts in, the unit of a row that
//! differs, and the exact conversions between scales.
//!
//! A table states its scale (`scale = "millions"`; thousands when absent, as every table was
//! before scales existed). A row may differ: a share count or a count in its own scale
//! (`scale = "thousands"` on the row), a per-share amount (always in currency units, "actual"),
//! a percentage. Converting between scales multiplies or divides by a power of 1,000, which a
//! `Decimal` does exactly: 42.6 (millions) is 42,600 (thousands), 42,625 (thousands) is 42.625
//! (millions). Nothing here rounds.
//!
//! The printed caption ("in millions, except per share amounts") is free text, but it may not
//! contradict the scale: [`caption_scale`] reads the scale word it names before any "except",
//! and the table loader refuses a caption whose word differs from `scale`.

use std::fmt;

use rust_decimal::Decimal;
use serde::Deserialize;

/// The power of 1,000 a table's figures are stated in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Figures as they are: dollars, shares, a count.
    Actual,
    #[default]
    Thousands,
    Millions,
    Billions,
}

impl Scale {
    /// The name in table files, downloads and messages.
    pub fn name(self) -> &'static str {
        match self {
            Scale::Actual => "actual",
            Scale::Thousands => "thousands",
            Scale::Millions => "millions",
            Scale::Billions => "billions",
        }
    }

    /// How many factors of 1,000 one unit of this scale is.
    fn power(self) -> u32 {
        match self {
            Scale::Actual => 0,
            Scale::Thousands => 1,
            Scale::Millions => 2,
            Scale::Billions => 3,
        }
    }

    /// "in millions of U.S. dollars", "in U.S. dollars", "in thousands of shares".
    pub fn caption(self, of_what: &str) -> String {
        match self {
            Scale::Actual => format!("in {of_what}"),
            other => format!("in {} of {of_what}", other.name()),
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `value`, stated in `from`, restated exactly in `to`; `None` when it cannot be held (more
/// than 28 digits after the point, or more than a `Decimal` holds).
///
/// Scaling up keeps the decimal places that are still meaningful: 42.6 millions is 42,600
/// thousands, not 42,600.0; 0.25 millions is 250 thousands.
pub fn convert(value: Decimal, from: Scale, to: Scale) -> Option<Decimal> {
    let (from, to) = (from.power(), to.power());
    // Relations read every figure through here, nearly always in their own scale.
    if from == to {
        return Some(value);
    }
    if from > to {
        let steps = 3 * (from - to);
        let factor = Decimal::from_i128_with_scale(10_i128.checked_pow(steps)?, 0);
        let mut scaled = value.checked_mul(factor)?;
        scaled.rescale(value.scale().saturating_sub(steps));
        Some(scaled)
    } else {
        let places = value.scale() + 3 * (to - from);
        if places > 28 {
            return None;
        }
        let mut scaled = Decimal::from_i128_with_scale(value.mantissa(), places);
        scaled.set_sign_negative(value.is_sign_negative());
        Some(scaled)
    }
}

/// The scale a units caption names: the first of "thousand(s)", "million(s)", "billion(s)"
/// among its words before any "except" ("in millions, except shares in thousands" names
/// millions), or `None` when it names none ("Unaudited", "in dollars").
pub fn caption_scale(caption: &str) -> Option<Scale> {
    let lower = caption.to_lowercase();
    for word in lower.split(|c: char| !c.is_alphanumeric()) {
        match word {
            "except" => return None,
            "thousand" | "thousands" => return Some(Scale::Thousands),
            "million" | "millions" => return Some(Scale::Millions),
            "billion" | "billions" => return Some(Scale::Billions),
            _ => {}
        }
    }
    None
}

/// A row's unit where it is not the table's currency amount (`unit = "percent"` or
/// `unit = "count"` in the table file; share counts and per-share amounts are row kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowUnit {
    /// A percentage as printed: "8.0" is 8.0 percent.
    Percent,
    /// A count of things other than shares or money (employees, stores, subscribers).
    Count,
}

impl RowUnit {
    /// The name in table files.
    pub fn name(self) -> &'static str {
        match self {
            RowUnit::Percent => "percent",
            RowUnit::Count => "count",
        }
    }
}

/// What a row's figures measure, with the scale they are stated in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowMeasure {
    /// An amount of the reporting currency.
    Currency(Scale),
    /// An amount of currency per share, in currency units.
    PerShare,
    /// A number of shares.
    Shares(Scale),
    /// A count of something else.
    Count(Scale),
    /// A percentage.
    Percent,
}

impl RowMeasure {
    /// The scale its figures are stated in (actual for per-share amounts and percentages).
    pub fn scale(self) -> Scale {
        match self {
            RowMeasure::Currency(s) | RowMeasure::Shares(s) | RowMeasure::Count(s) => s,
            RowMeasure::PerShare | RowMeasure::Percent => Scale::Actual,
        }
    }

    /// The name downloads give it: "currency", "per_share", "shares", "count", "percent".
    pub fn unit_name(self) -> &'static str {
        match self {
            RowMeasure::Currency(_) => "currency",
            RowMeasure::PerShare => "per_share",
            RowMeasure::Shares(_) => "shares",
            RowMeasure::Count(_) => "count",
            RowMeasure::Percent => "percent",
        }
    }

    /// What a download says a figure is, with the currency's code: "thousands of USD", "USD
    /// per share", "millions of shares", "shares", "count", "percent".
    pub fn describe(self, code: &str) -> String {
        let of = |scale: Scale, what: &str| match scale {
            Scale::Actual => what.to_string(),
            other => format!("{} of {what}", other.name()),
        };
        match self {
            RowMeasure::Currency(scale) => of(scale, code),
            RowMeasure::PerShare => format!("{code} per share"),
            RowMeasure::Shares(scale) => of(scale, "shares"),
            RowMeasure::Count(Scale::Actual) => "count".into(),
            RowMeasure::Count(scale) => format!("count in {}", scale.name()),
            RowMeasure::Percent => "percent".into(),
        }
    }

    /// The caption of a chart of it: "in millions of U.S. dollars", "in U.S. dollars per
    /// share", "in thousands of shares", "in percent".
    pub fn caption(self, currency: &Currency) -> String {
        match self {
            RowMeasure::Currency(scale) => scale.caption(&currency.name),
            RowMeasure::PerShare => format!("in {} per share", currency.name),
            RowMeasure::Shares(scale) => scale.caption("shares"),
            RowMeasure::Count(Scale::Actual) => "as a count".into(),
            RowMeasure::Count(scale) => format!("in {}", scale.name()),
            RowMeasure::Percent => "in percent".into(),
        }
    }
}

/// The reporting currency: its ISO 4217 code, the plural name captions use and its sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency {
    pub code: String,
    /// "U.S. dollars", as in "in millions of U.S. dollars".
    pub name: String,
}

impl Default for Currency {
    fn default() -> Self {
        Currency {
            code: "USD".into(),
            name: "U.S. dollars".into(),
        }
    }
}

/// The ISO 4217 codes of common reporting currencies with the plural names captions use.
/// Another code is accepted with its name given (`currency_name` in `site.toml`).
const KNOWN: &[(&str, &str)] = &[
    ("AUD", "Australian dollars"),
    ("BRL", "Brazilian reais"),
    ("CAD", "Canadian dollars"),
    ("CHF", "Swiss francs"),
    ("CNY", "Chinese yuan"),
    ("DKK", "Danish kroner"),
    ("EUR", "euros"),
    ("GBP", "pounds sterling"),
    ("HKD", "Hong Kong dollars"),
    ("INR", "Indian rupees"),
    ("JPY", "Japanese yen"),
    ("KRW", "Korean won"),
    ("MXN", "Mexican pesos"),
    ("NOK", "Norwegian kroner"),
    ("NZD", "New Zealand dollars"),
    ("SEK", "Swedish kronor"),
    ("SGD", "Singapore dollars"),
    ("USD", "U.S. dollars"),
    ("ZAR", "South African rand"),
];

/// The reporting currencies written with "$" in their own releases. Statements and citations
/// print the currency sign as "$" (the bundled partials and the citation formats), so only these
/// may be a site's currency until the sign follows the currency.
const DOLLAR_SIGNED: &[&str] = &["AUD", "CAD", "HKD", "MXN", "NZD", "SGD", "USD"];

impl Currency {
    /// Whether its figures are printed with "$", the sign statements and citations print.
    pub fn is_dollar_signed(&self) -> bool {
        DOLLAR_SIGNED.contains(&self.code.as_str())
    }

    /// The currency of `code` (three capital letters, ISO 4217), named `name` or by the table
    /// of common currencies.
    pub fn new(code: &str, name: Option<&str>) -> Result<Currency, String> {
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(format!(
                "currency is an ISO 4217 code of three capital letters, such as \"USD\" or \
                 \"EUR\"; found {code:?}"
            ));
        }
        let known = KNOWN.iter().find(|(c, _)| *c == code).map(|(_, n)| *n);
        match (name.map(str::trim), known) {
            (Some(""), _) => Err(
                "currency_name is empty; give the plural name captions use, \
                 e.g. currency_name = \"Norwegian kroner\""
                    .into(),
            ),
            (Some(name), _) => Ok(Currency {
                code: code.into(),
                name: name.into(),
            }),
            (None, Some(name)) => Ok(Currency {
                code: code.into(),
                name: name.into(),
            }),
            (None, None) => Err(format!(
                "currency {code:?} has no built-in name; give the plural name captions use with \
                 currency_name = \"...\" (built in: {})",
                KNOWN.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn conversions_are_exact_both_ways() {
        let convert = |v: &str, from, to| convert(d(v), from, to).unwrap().to_string();
        assert_eq!(convert("42.6", Scale::Millions, Scale::Thousands), "42600");
        assert_eq!(convert("0.25", Scale::Millions, Scale::Thousands), "250");
        assert_eq!(
            convert("1.2345", Scale::Millions, Scale::Thousands),
            "1234.5"
        );
        assert_eq!(convert("3", Scale::Billions, Scale::Actual), "3000000000");
        assert_eq!(
            convert("42625", Scale::Thousands, Scale::Millions),
            "42.625"
        );
        assert_eq!(convert("-570", Scale::Thousands, Scale::Millions), "-0.570");
        assert_eq!(
            convert("-570", Scale::Thousands, Scale::Billions),
            "-0.000570"
        );
        assert_eq!(convert("7", Scale::Thousands, Scale::Thousands), "7");
        // Past what a figure holds: refused, never wrapped.
        assert!(super::convert(Decimal::MAX, Scale::Billions, Scale::Actual).is_none());
        assert!(super::convert(Decimal::new(1, 26), Scale::Actual, Scale::Billions).is_none());
    }

    #[test]
    fn a_caption_names_its_scale_before_any_except() {
        assert_eq!(
            caption_scale("in thousands, except per share amounts"),
            Some(Scale::Thousands)
        );
        assert_eq!(
            caption_scale("Unaudited, In Millions, except shares in thousands"),
            Some(Scale::Millions)
        );
        assert_eq!(caption_scale("$ in billions"), Some(Scale::Billions));
        assert_eq!(
            caption_scale("in dollars, except shares in thousands"),
            None
        );
        assert_eq!(caption_scale("Unaudited"), None);
        // A word that merely contains a scale word is not one.
        assert_eq!(caption_scale("in millionths"), None);
    }

    #[test]
    fn captions_name_the_scale_and_the_currency() {
        let usd = Currency::default();
        assert_eq!(
            RowMeasure::Currency(Scale::Millions).caption(&usd),
            "in millions of U.S. dollars"
        );
        assert_eq!(
            RowMeasure::Currency(Scale::Actual).caption(&usd),
            "in U.S. dollars"
        );
        assert_eq!(
            RowMeasure::PerShare.caption(&usd),
            "in U.S. dollars per share"
        );
        assert_eq!(
            RowMeasure::Shares(Scale::Thousands).caption(&usd),
            "in thousands of shares"
        );
        assert_eq!(
            RowMeasure::Currency(Scale::Millions).describe("USD"),
            "millions of USD"
        );
        assert_eq!(RowMeasure::PerShare.describe("USD"), "USD per share");
        assert_eq!(RowMeasure::Shares(Scale::Actual).describe("USD"), "shares");
        assert_eq!(
            RowMeasure::Count(Scale::Thousands).describe("USD"),
            "count in thousands"
        );
        let eur = Currency::new("EUR", None).unwrap();
        assert_eq!(
            RowMeasure::Currency(Scale::Billions).caption(&eur),
            "in billions of euros"
        );
    }

    #[test]
    fn a_currency_is_an_iso_code_with_a_name() {
        assert_eq!(Currency::new("USD", None).unwrap(), Currency::default());
        assert_eq!(
            Currency::new("ISK", Some("Icelandic krónur")).unwrap().name,
            "Icelandic krónur"
        );
        assert!(
            Currency::new("usd", None)
                .unwrap_err()
                .contains("three capital letters")
        );
        assert!(Currency::new("US", None).is_err());
        assert!(
            Currency::new("ISK", None)
                .unwrap_err()
                .contains("currency_name")
        );
        assert!(Currency::new("EUR", Some(" ")).is_err());
    }
}
