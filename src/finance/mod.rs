//! The financial model: exact amounts, reporting periods and statements.
//!
//! Everything here is plain data plus the rules that make it trustworthy: strict parsing,
//! structural validation, relations between figures, ties between the figures of different
//! releases, citations of figures in prose and Regulation G's prominence rules. Nothing in this
//! module knows about HTML.

pub mod amount;
pub mod calendar;
pub mod citations;
pub mod date;
pub mod expr;
pub mod format;
pub mod period;
pub mod regulation_g;
pub mod relations;
pub mod statement;
pub mod ties;
pub mod units;

pub use amount::{Amount, Cell};
pub use calendar::FiscalCalendar;
pub use date::Date;
pub use period::{Period, PeriodName};
pub use statement::{Footnote, LineItem, Name, RowKind, Statement};
pub use units::{Currency, RowMeasure, RowUnit, Scale};
