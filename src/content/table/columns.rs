//! Reads a table's `columns`, `members`, `total`, `group_by` and `member_equals` into the
//! column model of [`crate::finance::column`], with an error at the offending column.
//!
//! A column written as a string is a period, as before members and comparisons existed; an
//! inline table names a member's period or a comparison. Every comparison must compare columns
//! of figures the table has (of the same member), so that `check` can recompute it.

use std::path::Path;

use super::{ColumnFile, ColumnSpec, MemberFile, TableFile};
use crate::error::{Error, Result, line_of};
use crate::finance::column::{
    Column, ColumnKind, Comparison, GroupBy, Member, MemberRelation, Members, parse_member_sum,
};
use crate::finance::period::{Period, quarter_index};
use crate::finance::{Date, FiscalCalendar, PeriodName};

fn snake_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn member(file: &MemberFile, what: &str) -> std::result::Result<Member, String> {
    if !snake_case(&file.id) {
        return Err(format!(
            "{what} id {:?} must be snake_case: a lowercase letter, then lowercase letters, \
             digits or \"_\"",
            file.id
        ));
    }
    if file.label.trim().is_empty() {
        return Err(format!("{what} {:?} has an empty label", file.id));
    }
    Ok(Member {
        id: file.id.clone(),
        label: file.label.clone(),
    })
}

/// The members, the total and the nesting of the headers.
fn read_members(path: &Path, file: &TableFile) -> Result<Members> {
    let at_top = |m: String| Error::input(crate::error::Location::line(path, 1), m);
    let mut members = Members::default();
    for m in &file.members {
        members.members.push(member(m, "member").map_err(at_top)?);
    }
    members.total = file
        .total
        .as_ref()
        .map(|t| member(t, "total"))
        .transpose()
        .map_err(at_top)?;
    let mut ids: Vec<&str> = members.members.iter().map(|m| m.id.as_str()).collect();
    ids.extend(members.total.as_ref().map(|t| t.id.as_str()));
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(at_top(format!(
                "member id {id:?} is declared twice (members and total share one set of ids)"
            )));
        }
    }
    members.group_by = match &file.group_by {
        Some(text) => match text.get_ref().as_str() {
            "period" => GroupBy::Period,
            "member" => GroupBy::Member,
            other => {
                return Err(Error::input(
                    crate::error::Location::line(path, 1),
                    format!(
                        "group_by is \"period\" (members under each period) or \"member\" \
                         (periods under each member); found {other:?}"
                    ),
                ));
            }
        },
        None if !members.members.is_empty() => {
            return Err(at_top(
                "a table with members states how its headers nest: group_by = \"period\" \
                 (members under each period) or group_by = \"member\" (periods under each \
                 member)"
                    .into(),
            ));
        }
        None => GroupBy::Period,
    };
    if members.members.is_empty() && (members.total.is_some() || file.group_by.is_some()) {
        return Err(at_top(
            "`total` and `group_by` are for a table with members: declare them with members = \
             [{ id = \"domestic\", label = \"Domestic\" }, ...]"
                .into(),
        ));
    }
    Ok(members)
}

/// Places a period written in a column, refusing a balance-sheet date that ends no quarter
/// unless the table lists it in `off_calendar`.
fn place(text: &str, calendar: &FiscalCalendar, off_calendar: &[Date]) -> Result<Period, String> {
    let period = calendar.parse(text)?;
    if let PeriodName::Instant(date) = period.name()
        && !calendar.is_period_end(date)
        && !off_calendar.contains(&date)
    {
        return Err(format!(
            "{} does not end a fiscal quarter of the site's calendar (fiscal_year_end in \
             site.toml); a balance sheet at another date, such as an acquisition date, is \
             listed in the table's `off_calendar = [\"{}\"]`",
            date.long(),
            date.iso()
        ));
    }
    Ok(period)
}

fn spec_column(
    spec: &ColumnSpec,
    members: &Members,
    calendar: &FiscalCalendar,
    off_calendar: &[Date],
) -> Result<Column, String> {
    let member = match &spec.member {
        None => None,
        Some(id) => members.find(id).ok_or_else(|| {
            let mut known: Vec<&str> = members.members.iter().map(|m| m.id.as_str()).collect();
            known.extend(members.total.as_ref().map(|t| t.id.as_str()));
            if known.is_empty() {
                format!(
                    "member {id:?} is not declared: declare it with members = [{{ id = {id:?}, \
                     label = \"...\" }}]"
                )
            } else {
                format!(
                    "member {id:?} is not declared (members: {})",
                    known.join(", ")
                )
            }
        })?,
    };
    let place = |text: &str| place(text, calendar, off_calendar);
    let pairs = [
        (Comparison::Change, &spec.change),
        (Comparison::SequentialChange, &spec.sequential_change),
        (Comparison::PercentChange, &spec.percent_change),
        (Comparison::BasisPoints, &spec.basis_points),
    ];
    let mut comparisons: Vec<(Comparison, [Period; 2])> = Vec::new();
    for (comparison, pair) in pairs {
        if let Some([a, b]) = pair {
            comparisons.push((comparison, [place(a)?, place(b)?]));
        }
    }
    if let Some(row) = &spec.percent_of {
        let period = spec.period.as_deref().ok_or_else(|| {
            format!(
                "a percent_of column names its period: {{ percent_of = {row:?}, period = \
                 \"2006-Q1\" }}"
            )
        })?;
        let period = place(period)?;
        comparisons.push((Comparison::PercentOf(row.clone()), [period, period]));
    } else if spec.period.is_some() && !comparisons.is_empty() {
        return Err(
            "a comparison names the periods it compares, so it has no `period` (only \
             percent_of does)"
                .into(),
        );
    }
    let kind = match comparisons.len() {
        0 => {
            let Some(period) = &spec.period else {
                return Err("a column names its `period`, or a comparison: change, \
                            sequential_change, percent_change, basis_points or percent_of"
                    .into());
            };
            if spec.label.is_some() {
                return Err(
                    "`label` is for comparison columns; a period column's header comes from \
                     its period and member"
                        .into(),
                );
            }
            ColumnKind::Period(place(period)?)
        }
        1 => {
            let (comparison, of) = comparisons.remove(0);
            if comparison == Comparison::SequentialChange {
                let quarter = |p: &Period| match p.name() {
                    PeriodName::Quarter { year, quarter } => Some(quarter_index(year, quarter)),
                    _ => None,
                };
                match (quarter(&of[0]), quarter(&of[1])) {
                    (Some(a), Some(b)) if a == b + 1 => {}
                    _ => {
                        return Err(format!(
                            "a sequential change compares a quarter with the quarter before it; \
                             {} and {} are not",
                            of[0], of[1]
                        ));
                    }
                }
            } else if of[0] == of[1] && !matches!(comparison, Comparison::PercentOf(_)) {
                return Err(format!(
                    "{} compares {} with itself; name two periods",
                    comparison.key(),
                    of[0]
                ));
            }
            let label = spec.label.clone().unwrap_or_else(|| {
                match &comparison {
                    Comparison::Change => "Change",
                    Comparison::SequentialChange => "Sequential change",
                    Comparison::PercentChange => "% Change",
                    Comparison::BasisPoints => "Change (bp)",
                    // Filled in from the row's label once the rows are read.
                    Comparison::PercentOf(_) => "",
                }
                .to_string()
            });
            ColumnKind::Comparison {
                comparison,
                of,
                label,
            }
        }
        _ => {
            return Err(
                "a column is one comparison: give one of change, sequential_change, \
                 percent_change, basis_points or percent_of"
                    .into(),
            );
        }
    };
    Ok(Column { kind, member })
}

/// Reads the columns and their members; `off_calendar` are the table's balance-sheet dates
/// that end no quarter.
pub(super) fn read(
    path: &Path,
    source: &str,
    file: &TableFile,
    calendar: &FiscalCalendar,
    off_calendar: &[Date],
) -> Result<(Vec<Column>, Members)> {
    let mut members = read_members(path, file)?;
    let mut columns = Vec::with_capacity(file.columns.len());
    for column in &file.columns {
        let at = |m: String| Error::at_offset(path, source, column.span().start, m);
        let read = match column.get_ref() {
            ColumnFile::Period(text) => place(text, calendar, off_calendar).map(Column::period),
            ColumnFile::Spec(spec) => spec_column(spec, &members, calendar, off_calendar),
        };
        columns.push(read.map_err(at)?);
    }
    for (column, written) in columns.iter().zip(&file.columns) {
        let at = |m: String| Error::at_offset(path, source, written.span().start, m);
        if !members.members.is_empty() && column.member.is_none() && members.total.is_none() {
            return Err(at(format!(
                "column {column} has no member in a table with members: declare the id and \
                 header of the columns without one, e.g. total = {{ id = \"consolidated\", \
                 label = \"Consolidated\" }}"
            )));
        }
        if let ColumnKind::Comparison { of, .. } = &column.kind {
            for period in of {
                let compared = columns
                    .iter()
                    .any(|c| c.member == column.member && c.figures_period() == Some(period));
                if !compared {
                    return Err(at(format!(
                        "column {column} compares {period}{}, which is not a column of the \
                         table",
                        match column.member {
                            Some(_) => format!(" of member {:?}", members.id(column.member)),
                            None => String::new(),
                        }
                    )));
                }
            }
        }
    }
    if let Some(relations) = &file.member_equals {
        let line = line_of(source, relations.span().start);
        let at = |m: String| Error::input(crate::error::Location::line(path, line), m);
        for (stated, text) in relations.get_ref() {
            let find = |id: &str| {
                members.find(id).ok_or_else(|| {
                    at(format!(
                        "member_equals: {id:?} is not a declared member or the total's id"
                    ))
                })
            };
            let stated_member = find(stated)?;
            let terms = parse_member_sum(text)
                .map_err(|m| at(format!("member_equals.{stated}: {m}")))?
                .into_iter()
                .map(|(id, negative)| Ok((find(id)?, negative)))
                .collect::<Result<Vec<_>>>()?;
            if terms.iter().any(|(m, _)| *m == stated_member) {
                return Err(at(format!(
                    "member_equals.{stated} = {text:?} reads the member it states, so it would \
                     hold whatever the figure is"
                )));
            }
            members.relations.push(MemberRelation {
                text: format!("{stated} = {text}"),
                stated: stated_member,
                terms,
                line,
            });
        }
    }
    Ok((columns, members))
}
