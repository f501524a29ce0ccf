//! A table file rolled to the new release, edited in place so that its comments, its layout
//! (one-line or multi-line arrays) and its key order stay as written.

use toml_edit::{Array, Decor, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use super::archive::Archive;
use super::relation;
use super::roll::{Plan, Roll, Source};
use super::toml_string;
use crate::error::{Error, Location, Result};
use crate::finance::relations::Relation;
use crate::finance::{ColumnKind, Period, Statement};

/// What a relation that no longer applies leaves behind, above the relation as it was.
const RETIRED: &str = "# No longer applies to these periods; review it:";

/// The latest release's table `statement` (its file's text `source`) rolled: new columns, the
/// figures the archive reports for them, every other figure empty, relations rolled, no
/// restatement.
pub(super) fn roll(
    statement: &Statement,
    source: &str,
    roll: &Roll,
    archive: &Archive,
) -> Result<DocumentMut> {
    let path = &statement.source;
    let at = |message: String| Error::input(Location::file(path), message);
    let mut doc: DocumentMut = source
        .parse()
        .map_err(|e: toml_edit::TomlError| at(e.message().to_string()))?;
    let year_to_date = doc.get("year_to_date").and_then(Item::as_bool);
    let periods = periods(statement);
    let plan = roll.columns(&periods, year_to_date).map_err(at)?;
    let Some(columns) = doc.get_mut("columns").and_then(Item::as_array_mut) else {
        return Err(at("`columns` is not an array".into()));
    };
    let reports: Vec<_> = if periods.len() == statement.columns.len() {
        // Every column is a period's own figures (the table has no members or comparisons).
        set_strings(columns, plan.columns.iter().map(ToString::to_string));
        plan.columns
            .iter()
            .map(|p| Some(archive.reports(&statement.id, p)))
            .collect()
    } else {
        roll_columns(&periods, &plan, columns).map_err(at)?;
        // A period's figures (a member's too) come from the archive; a comparison is filled
        // in anew.
        statement
            .columns
            .iter()
            .map(|c| {
                let period = c.figures_period()?;
                let index = periods.iter().position(|p| p == period)?;
                let member = c.member.map(|_| statement.members.id(c.member));
                Some(archive.reports_of(&statement.id, &plan.columns[index], member))
            })
            .collect()
    };
    remove_restated(&mut doc);
    let mut problems = Vec::new();
    for_each_row(&mut doc, &mut |mut row| {
        let id = row
            .table()
            .get("id")
            .and_then(Item::as_str)
            .unwrap_or_default()
            .to_string();
        if let Some(values) = row.table().get_mut("values").and_then(Item::as_array_mut)
            && !values.is_empty()
        {
            set_strings(
                values,
                reports
                    .iter()
                    .map(|r| r.as_ref().and_then(|r| r.figure(&id)).unwrap_or_default()),
            );
        }
        roll_relations(&mut row, roll, statement, &plan)
            .unwrap_or_else(|m| problems.push(at(format!("row {id:?}: {m}"))));
    });
    Error::collect(problems)?;
    Ok(doc)
}

/// The periods a table's columns name, each once, in the order they first appear: a table of
/// period columns alone has one per column.
fn periods(statement: &Statement) -> Vec<Period> {
    let mut periods: Vec<Period> = Vec::with_capacity(statement.columns.len());
    for column in &statement.columns {
        let named = match &column.kind {
            ColumnKind::Period(period) => std::slice::from_ref(period),
            ColumnKind::Comparison { of, .. } => &of[..],
        };
        for period in named {
            if !periods.contains(period) {
                periods.push(*period);
            }
        }
    }
    periods
}

/// Rolls the columns of a table with members or comparisons: each period it names becomes
/// the period the plan makes of it, in place, so a member's column stays the member's and a
/// comparison compares the rolled periods. Such a table rolls its periods one for one: a plan
/// that adds or drops a period (a year to date beside a quarter) is refused.
fn roll_columns(
    periods: &[Period],
    plan: &Plan,
    columns: &mut Array,
) -> std::result::Result<(), String> {
    let one_for_one = plan.sources.len() == periods.len()
        && plan
            .sources
            .iter()
            .enumerate()
            .all(|(i, s)| *s == Source::Rolled(i));
    if !one_for_one {
        return Err(format!(
            "its periods ({}) would become {}: a table with members or comparison columns rolls              its periods one for one; write the new columns by hand (or set year_to_date)",
            periods
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            plan.columns
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let rolled = |text: &str| {
        let index = periods.iter().position(|p| p.to_string() == text)?;
        Some(plan.columns[index].to_string())
    };
    for value in columns.iter_mut() {
        match value {
            Value::String(text) => {
                if let Some(new) = rolled(text.value()) {
                    let decor = text.decor().clone();
                    *value = Value::from(new);
                    *value.decor_mut() = decor;
                }
            }
            Value::InlineTable(table) => {
                for (_, item) in table.iter_mut() {
                    match item {
                        Value::String(_) => roll_string(item, &rolled),
                        Value::Array(pair) => pair
                            .iter_mut()
                            .for_each(|period| roll_string(period, &rolled)),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Replaces a string that names a period with the period it rolls to, keeping its layout.
fn roll_string(value: &mut Value, rolled: &impl Fn(&str) -> Option<String>) {
    if let Some(new) = value.as_str().and_then(rolled) {
        let decor = value.decor().clone();
        *value = Value::from(new);
        *value.decor_mut() = decor;
    }
}

/// Comments out the relations of `doc` that `retired` names by row id.
pub(super) fn retire(doc: &mut DocumentMut, retired: &[(&str, &Relation)]) {
    for_each_row(doc, &mut |mut row| {
        let id = row
            .table()
            .get("id")
            .and_then(Item::as_str)
            .unwrap_or_default()
            .to_string();
        comment_out(&mut row, |text| {
            text.parse::<Relation>()
                .is_ok_and(|r| retired.iter().any(|(i, d)| *i == id && **d == r))
        });
    });
}

/// Rolls a row's `equals`; a relation left with no period is commented out.
fn roll_relations(
    row: &mut Row,
    roll: &Roll,
    statement: &Statement,
    plan: &Plan,
) -> std::result::Result<(), String> {
    let relations: Vec<&mut Value> =
        match row.table().get_mut("equals").and_then(Item::as_value_mut) {
            Some(Value::Array(list)) => list.iter_mut().collect(),
            Some(value) => vec![value],
            None => Vec::new(),
        };
    let mut gone: Vec<String> = Vec::new();
    for value in relations {
        let Some(text) = value.as_str() else {
            continue;
        };
        match relation::roll(text, roll, &periods(statement), plan)? {
            Some(rolled) => {
                let decor = value.decor().clone();
                *value = Value::from(rolled);
                *value.decor_mut() = decor;
            }
            None => gone.push(text.to_string()),
        }
    }
    comment_out(row, |text| gone.iter().any(|g| g == text));
    Ok(())
}

/// A row of the table: a `[[rows]]` table, or an inline table in a `rows` array.
enum Row<'a> {
    Table(&'a mut Table),
    Inline(&'a mut InlineTable),
}

impl Row<'_> {
    fn table(&mut self) -> &mut dyn TableLike {
        match self {
            Row::Table(t) => *t,
            Row::Inline(t) => *t,
        }
    }
}

/// Calls `f` on every row: those of the table and those of its footnotes.
fn for_each_row(doc: &mut DocumentMut, f: &mut dyn FnMut(Row)) {
    fn rows(item: Option<&mut Item>, f: &mut dyn FnMut(Row)) {
        match item {
            Some(Item::ArrayOfTables(tables)) => tables.iter_mut().for_each(|t| f(Row::Table(t))),
            Some(Item::Value(Value::Array(list))) => list
                .iter_mut()
                .filter_map(Value::as_inline_table_mut)
                .for_each(|t| f(Row::Inline(t))),
            _ => {}
        }
    }
    rows(doc.get_mut("rows"), f);
    match doc.get_mut("footnotes") {
        Some(Item::ArrayOfTables(notes)) => notes
            .iter_mut()
            .for_each(|note| rows(note.get_mut("rows"), f)),
        Some(Item::Value(Value::Array(notes))) => {
            for note in notes.iter_mut().filter_map(Value::as_inline_table_mut) {
                rows(TableLike::get_mut(note, "rows"), f);
            }
        }
        _ => {}
    }
}

/// Removes the relations of a row's `equals` for which `gone` holds, leaving each as a comment
/// below the row's last remaining key (in a `[[rows]]` table) or above the row (an inline one).
fn comment_out(row: &mut Row, gone: impl Fn(&str) -> bool) {
    let table = row.table();
    let mut removed = Vec::new();
    let empty = match table.get_mut("equals").and_then(Item::as_value_mut) {
        Some(Value::Array(list)) => {
            removed.extend(
                list.iter()
                    .filter_map(Value::as_str)
                    .filter(|t| gone(t))
                    .map(str::to_string),
            );
            list.retain(|v| v.as_str().is_none_or(|t| !gone(t)));
            list.is_empty()
        }
        Some(value) => {
            removed.extend(value.as_str().filter(|t| gone(t)).map(str::to_string));
            !removed.is_empty()
        }
        None => false,
    };
    if removed.is_empty() {
        return;
    }
    let comment: String = removed
        .iter()
        .map(|text| format!("{RETIRED}\n# equals = {}\n", toml_string(text)))
        .collect();
    let append = |decor: &mut Decor| {
        let suffix = decor.suffix().and_then(|s| s.as_str()).unwrap_or_default();
        decor.set_suffix(format!("{suffix}\n{}", comment.trim_end_matches('\n')));
    };
    let prepend = |decor: &mut Decor| {
        let prefix = decor.prefix().and_then(|s| s.as_str()).unwrap_or_default();
        decor.set_prefix(format!("\n{comment}{prefix}"));
    };
    match row {
        Row::Table(table) => {
            if empty {
                table.remove("equals");
            }
            // Below the row's last key, whose value's suffix ends its line; else above the row.
            match table
                .iter_mut()
                .last()
                .and_then(|(_, item)| item.as_value_mut())
            {
                Some(value) => append(value.decor_mut()),
                None => prepend(table.decor_mut()),
            }
        }
        Row::Inline(table) => {
            if empty {
                let last = table.iter().last().is_some_and(|(k, _)| k == "equals");
                let removed = table.remove("equals");
                // The space before the closing brace was the removed value's.
                let suffix = removed.as_ref().and_then(|v| v.decor().suffix()).cloned();
                if let (true, Some(suffix), Some((_, v))) = (last, suffix, table.iter_mut().last())
                {
                    v.decor_mut().set_suffix(suffix);
                }
            }
            // Above the row, inside the array: a line break inside an inline table is not TOML 1.0.
            prepend(table.decor_mut());
        }
    }
}

/// Removes `restated` (a restatement is its release's own), keeping the comments above it
/// that a blank line sets apart from it, such as the file's opening comment.
fn remove_restated(doc: &mut DocumentMut) {
    let root = doc.as_table_mut();
    let keys: Vec<String> = root.iter().map(|(k, _)| k.to_string()).collect();
    let Some(at) = keys.iter().position(|k| k == "restated") else {
        return;
    };
    let Some((key, _)) = root.remove_entry("restated") else {
        return;
    };
    let prefix = key
        .leaf_decor()
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or_default();
    let kept = prefix.rfind("\n\n").map_or("", |i| &prefix[..i + 2]);
    if kept.trim().is_empty() {
        return;
    }
    let prepend = |decor: &mut Decor| {
        let own = decor.prefix().and_then(|p| p.as_str()).unwrap_or_default();
        decor.set_prefix(format!("{kept}{own}"));
    };
    let Some(next) = keys.get(at + 1) else {
        return;
    };
    if root.get(next).is_some_and(Item::is_value) {
        if let Some(mut key) = root.key_mut(next) {
            prepend(key.leaf_decor_mut());
        }
    } else if let Some(Item::ArrayOfTables(tables)) = root.get_mut(next)
        && let Some(first) = tables.get_mut(0)
    {
        prepend(first.decor_mut());
    }
}

/// Replaces the strings of `array` with `texts`, each in the place (and layout) of the string
/// it replaces; strings beyond the old ones are laid out like the last of them.
fn set_strings(array: &mut Array, texts: impl Iterator<Item = String>) {
    let decors: Vec<Decor> = array.iter().map(|v| v.decor().clone()).collect();
    let multi_line = decors.iter().any(|d| {
        d.prefix()
            .and_then(|p| p.as_str())
            .is_some_and(|p| p.contains('\n'))
    });
    array.clear();
    for (i, text) in texts.enumerate() {
        let mut value = Value::from(text);
        let decor = match (decors.get(i), decors.last()) {
            (Some(own), _) => own.clone(),
            // The last string's indent, without a comment it may carry.
            (None, Some(last)) if decors.len() > 1 || multi_line => {
                let prefix = last.prefix().and_then(|p| p.as_str()).unwrap_or_default();
                Decor::new(prefix.rfind('\n').map_or(prefix, |n| &prefix[n..]), "")
            }
            _ if i == 0 => Decor::new("", ""),
            _ => Decor::new(" ", ""),
        };
        *value.decor_mut() = decor;
        array.push_formatted(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::FiscalCalendar;

    /// `source` (table id `operations`) rolled from `from` to `to`, with itself as the archive.
    fn rolled(source: &str, from: &str, to: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("operations.toml");
        std::fs::write(&path, source).unwrap();
        let calendar = FiscalCalendar::default();
        let statement = crate::content::load_statement(&path, &calendar).unwrap();
        let r = Roll::new(
            calendar.parse(from).unwrap(),
            calendar.parse(to).unwrap(),
            &calendar,
        )
        .unwrap();
        let archive = Archive::of(std::iter::once(&statement));
        roll(&statement, source, &r, &archive).unwrap().to_string()
    }

    #[test]
    fn comments_layout_and_key_order_stay_as_written() {
        let source = r#"# An invented company's statement of operations.
title = "Statements of Operations"
columns = [
  "2006-Q1",
  "2005-Q1",
]

# The prior year, restated:
restated = ["2005-Q1"]  # for the sale of the widget line
units = "in thousands"

[[rows]]
id = "revenue"   # the top line
label = "Revenue"
values = [
  "100",  # this year
  "90",
]

[[rows]]
label = "Costs"
id = "costs"
values = ["60", "-0.00"]

# The bottom line.
[[rows]]
id = "net_income"
label = "Net income"
kind = "grand_total"
values = ["40", "90.00"]
equals = [
  "revenue - costs",  # every column
  "2005-Q1: revenue@2005-Q1 - costs",
]
"#;
        let expected = r#"# An invented company's statement of operations.
title = "Statements of Operations"
columns = [
  "2006-Q2",
  "2005-Q2",
  "2006-6M",
  "2005-6M",
]
units = "in thousands"

[[rows]]
id = "revenue"   # the top line
label = "Revenue"
values = [
  "",  # this year
  "",
  "",
  "",
]

[[rows]]
label = "Costs"
id = "costs"
values = ["", "", "", ""]

# The bottom line.
[[rows]]
id = "net_income"
label = "Net income"
kind = "grand_total"
values = ["", "", "", ""]
equals = [
  "revenue - costs",  # every column
  "2005-Q2, 2005-6M: revenue@2005-Q2 - costs",
]
"#;
        assert_eq!(rolled(source, "2006-Q1", "2006-Q2"), expected);
    }

    #[test]
    fn figures_come_from_the_columns_that_reported_their_period() {
        let source = r#"title = "Sequential"
units = "in thousands"
columns = ["2006-Q1", "2005-Q4", "2005-Q1"]
rows = [
  { id = "revenue", label = "Revenue", values = ["100", "-0.00", "90.50"] },
  { id = "heading", label = "Heading", kind = "heading" },
]
"#;
        let out = rolled(source, "2006-Q1", "2006-Q2");
        assert!(
            out.contains(r#"columns = ["2006-Q2", "2006-Q1", "2005-Q2"]"#),
            "{out}"
        );
        assert!(out.contains(r#"values = ["", "100", ""]"#), "{out}");
        let out = rolled(source, "2006-Q1", "2006-Q3");
        assert!(out.contains(r#"values = ["", "", ""]"#), "{out}");
    }

    #[test]
    fn a_relation_of_a_dropped_column_is_left_as_a_comment() {
        let source = r#"title = "Fourth quarter"
units = "in thousands"
columns = ["2006-Q4", "2005-Q4", "2006-FY", "2005-FY"]

[[rows]]
id = "a"
label = "A"
values = ["1", "2", "3", "4"]

[[rows]]
id = "b"
label = "B"
values = ["1", "2", "3", "4"]
equals = "2006-FY: a"  # the year

[[rows]]
id = "c"
label = "C"
values = ["1", "2", "3", "4"]
equals = ["2006-Q4, 2006-FY: a", "2005-FY: b"]
notes = ["x"]

[[footnotes]]
marker = "x"
text = "A note."
rows = [{ id = "d", label = "D", values = ["1", "2", "3", "4"], equals = "2005-FY: a" }]
"#;
        let expected = r#"title = "Fourth quarter"
units = "in thousands"
columns = ["2007-Q1", "2006-Q1"]

[[rows]]
id = "a"
label = "A"
values = ["", ""]

[[rows]]
id = "b"
label = "B"
values = ["", ""]
# No longer applies to these periods; review it:
# equals = "2006-FY: a"

[[rows]]
id = "c"
label = "C"
values = ["", ""]
equals = ["2007-Q1: a"]
notes = ["x"]
# No longer applies to these periods; review it:
# equals = "2005-FY: b"

[[footnotes]]
marker = "x"
text = "A note."
rows = [
# No longer applies to these periods; review it:
# equals = "2005-FY: a"
{ id = "d", label = "D", values = ["", ""] }]
"#;
        assert_eq!(rolled(source, "2006-Q4", "2007-Q1"), expected);
    }
}
