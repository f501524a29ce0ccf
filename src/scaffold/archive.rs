//! The figures the archive already reports, by table id, row id and period.

use std::collections::HashMap;

use crate::content::Release;
use crate::finance::{Cell, Period, Statement};

/// Every release's tables by id, newest release first.
pub(super) struct Archive<'a> {
    tables: HashMap<&'a str, Vec<&'a Statement>>,
}

/// The tables of one id that report a period, newest first, each with the column that does.
pub(super) struct Reports<'a>(Vec<(&'a Statement, usize)>);

impl<'a> Archive<'a> {
    /// `releases` newest first, as `content::load` orders them.
    pub fn new(releases: &'a [Release]) -> Self {
        Archive::of(releases.iter().flat_map(|r| &r.tables))
    }

    /// The archive of `tables`, newest first.
    pub fn of(tables: impl Iterator<Item = &'a Statement>) -> Self {
        let mut by_id: HashMap<&str, Vec<&Statement>> = HashMap::new();
        for table in tables {
            by_id.entry(table.id.as_str()).or_default().push(table);
        }
        Archive { tables: by_id }
    }

    /// The tables with id `table` that report `period`: a column of that name, or else one
    /// covering the same days (2006-3M for 2006-Q1).
    pub fn reports(&self, table: &str, period: &Period) -> Reports<'a> {
        let tables = self.tables.get(table).map_or(&[][..], Vec::as_slice);
        Reports(
            tables
                .iter()
                .filter_map(|t| {
                    let by_name = t.columns.iter().position(|c| c == period);
                    let column =
                        by_name.or_else(|| t.columns.iter().position(|c| c.same_span(period)));
                    column.map(|c| (*t, c))
                })
                .collect(),
        )
    }
}

impl Reports<'_> {
    /// The figure of row `row` as the newest table that reports it wrote it; a figure still
    /// to fill in there is no report.
    pub fn figure(&self, row: &str) -> Option<String> {
        self.0.iter().find_map(|(table, column)| {
            let cell = table.row(row)?.values.get(*column)?;
            cell_text(cell)
        })
    }
}

/// A cell as a table file writes it ("42625", "-0.00", "8.0%", "nil", "N/A", "NM", "blank"):
/// a period reported before keeps what it reported, markers included; one still to fill in is
/// no report.
fn cell_text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Missing => None,
        _ => Some(cell.token()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_table_reporting_a_period_by_name_or_days_gives_the_figure() {
        let dir = tempfile::tempdir().unwrap();
        let calendar = crate::finance::FiscalCalendar::default();
        let table = |sub: &str, columns: &str, values: &str| {
            let path = dir.path().join(sub).join("cash-flows.toml");
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(
                &path,
                format!(
                    "title = \"T\"\nunits = \"u\"\ncolumns = {columns}\n\
                     [[rows]]\nid = \"cash\"\nlabel = \"Cash\"\nvalues = {values}\n"
                ),
            )
            .unwrap();
            crate::content::load_statement(&path, &calendar).unwrap()
        };
        let newer = table(
            "b",
            r#"["2006-Q2", "2006-Q1", "2005-Q2"]"#,
            r#"["7", "", "-0.50"]"#,
        );
        let older = table("a", r#"["2006-3M", "2005-3M"]"#, r#"["5", "nil"]"#);
        let archive = Archive::of([&newer, &older].into_iter());
        let figure = |period: &str, row: &str| {
            archive
                .reports("cash-flows", &calendar.parse(period).unwrap())
                .figure(row)
        };
        assert_eq!(figure("2006-Q2", "cash").as_deref(), Some("7"));
        // Still to fill in in the newer table: the older one's, by the same days.
        assert_eq!(figure("2006-Q1", "cash").as_deref(), Some("5"));
        assert_eq!(figure("2005-Q1", "cash").as_deref(), Some("nil"));
        assert_eq!(figure("2005-Q2", "cash").as_deref(), Some("-0.50"));
        assert_eq!(figure("2006-6M", "cash"), None);
        assert_eq!(figure("2006-Q2", "other"), None);
        assert!(
            archive
                .reports("operations", &calendar.parse("2006-Q2").unwrap())
                .figure("cash")
                .is_none()
        );
    }

    #[test]
    fn cells_are_written_back_exactly() {
        for text in [
            "42625", "-570", "0.01", "-0.00", "42625.0", "nil", "N/A", "8.0%", "-3%", "-0.0%",
            "NM", "n/m", "*", "blank",
        ] {
            assert_eq!(cell_text(&text.parse().unwrap()).as_deref(), Some(text));
        }
        assert_eq!(cell_text(&Cell::Missing), None);
    }
}
