//! The financial model: exact amounts, reporting periods and statements.
//!
//! Everything here is plain data plus the rules that make it trustworthy (strict parsing,
//! structural validation). Nothing in this module knows about HTML.

pub mod amount;
pub mod format;
pub mod period;
pub mod statement;

pub use amount::{Amount, Cell};
pub use period::{Date, Period};
pub use statement::{Footnote, LineItem, RowKind, Statement};
