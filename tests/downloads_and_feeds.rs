//! What investors take away from the example site: CSV, XLSX and JSON figures that equal the
//! TOML exactly, the conference call as a calendar event, the Atom feed, the sitemap, and the
//! structured data search engines read. The synthetic fixture `tests/fixtures/cells` (percent,
//! not-meaningful, blank, nil and N/A cells) reads back exactly from the same downloads.

mod common;

use std::path::Path;

use common::{BASE_URL, example_site, read};
use irsite::finance::{Cell, Statement};

const TABLES: &str = "content/releases/2006-q1/tables";

fn statements() -> Vec<Statement> {
    statements_of(&common::repo_root())
}

/// The tables of the 2006-Q1 release of the site at `root`.
fn statements_of(root: &Path) -> Vec<Statement> {
    let dir = root.join(TABLES);
    common::files_under(&dir)
        .iter()
        .map(|f| {
            irsite::content::load_statement(
                &dir.join(f),
                &irsite::finance::FiscalCalendar::default(),
            )
            .unwrap()
        })
        .collect()
}

/// Rows as the downloads list them: the statement's, then its footnotes'.
fn rows(table: &Statement) -> Vec<&irsite::finance::LineItem> {
    table.all_rows().collect()
}

/// What the downloads say the example's figures are: every table is in thousands of U.S.
/// dollars, its per-share rows in dollars and its share counts in thousands.
fn unit_of(row: &irsite::finance::LineItem) -> &'static str {
    if row.unit == Some(irsite::finance::RowUnit::Percent) {
        return "percent";
    }
    match row.kind {
        irsite::finance::RowKind::PerShare => "USD per share",
        irsite::finance::RowKind::Shares => "thousands of shares",
        _ => "thousands of USD",
    }
}

/// A minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF records.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

/// A CSV field as the cell it writes: the CSV writes nil and blank alike, as an empty field
/// (README, "What a build publishes"), so an empty field reads as nil.
fn cell_from_download(text: &str) -> Cell {
    if text.is_empty() {
        Cell::Nil
    } else {
        text.parse().unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }
}

/// A JSON value as the cell it writes: `null` is nil, `""` blank, any other string the token
/// of the TOML ("8.0%", "NM", "N/A", "-0.00").
fn cell_from_json(value: &serde_json::Value) -> Cell {
    match value.as_str() {
        None => {
            assert!(value.is_null(), "{value}");
            Cell::Nil
        }
        Some("") => Cell::Blank,
        Some(text) => text.parse().unwrap_or_else(|e| panic!("{text:?}: {e}")),
    }
}

/// Cells equal as written, in order (a percent "8.0%" is not "8%", "NM" is not "n/m").
fn assert_identical(read: &[Cell], written: &[Cell], what: &str) {
    assert_eq!(read.len(), written.len(), "{what}");
    for (r, w) in read.iter().zip(written) {
        assert!(r.identical(w), "{what}: read {r:?}, the TOML has {w:?}");
    }
}

#[test]
fn every_csv_equals_its_toml_figure_for_figure() {
    let figures = csv_reads_back(example_site(), statements());
    assert_eq!(figures, 362, "every cell of the seven tables, N/A included");
}

/// Checks every CSV of the 2006-Q1 release built into `out` against `tables`; the number of
/// cells compared.
fn csv_reads_back(out: &Path, tables: Vec<Statement>) -> usize {
    let mut figures = 0;
    for table in tables {
        let csv = read(&out.join(format!("releases/2006-q1/{}.csv", table.id)));
        assert!(
            csv.ends_with("\r\n"),
            "{}: RFC 4180 lines end in CRLF",
            table.id
        );
        let records = parse_csv(&csv);
        let header = &records[0];
        assert_eq!(header[..3], ["Line item", "Row id", "Unit"]);
        for (i, period) in table.columns.iter().enumerate() {
            assert_eq!(
                header[i + 3],
                format!("{} ({})", period.long_label(), table.units)
            );
        }
        let rows = rows(&table);
        assert_eq!(records.len(), rows.len() + 1, "{}", table.id);
        for (record, row) in records[1..].iter().zip(rows) {
            assert_eq!(record[1], *row.id);
            assert!(record[0].ends_with(&*row.label), "{record:?}");
            if row.values.is_empty() {
                assert!(record[2..].iter().all(String::is_empty));
                continue;
            }
            assert_eq!(record[2], unit_of(row), "{}/{}", table.id, row.id);
            let cells: Vec<Cell> = record[3..].iter().map(|f| cell_from_download(f)).collect();
            let written: Vec<Cell> = row
                .values
                .iter()
                .map(|c| if *c == Cell::Blank { Cell::Nil } else { *c })
                .collect();
            assert_identical(&cells, &written, &format!("{}/{}", table.id, row.id));
            figures += row.values.len();
        }
    }
    figures
}

#[test]
fn the_workbook_has_a_sheet_per_table_with_numeric_figures() {
    let numbers = workbook_reads_back(example_site(), statements());
    assert!(numbers > 250, "only {numbers} numeric cells");
}

/// Checks the workbook of the 2006-Q1 release built into `out` against `tables`; the number of
/// numeric cells.
fn workbook_reads_back(out: &Path, tables: Vec<Statement>) -> usize {
    use calamine::{Data, Reader, Xlsx};
    let path = out.join("releases/2006-q1/2006-q1-financial-tables.xlsx");
    let mut workbook: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let mut ordered: Vec<&Statement> = Vec::new();
    // Sheets follow the release's placement order; match them by name.
    let names = workbook.sheet_names().to_vec();
    assert_eq!(names.len(), tables.len());
    for name in &names {
        ordered.push(
            tables
                .iter()
                .find(|t| t.id.starts_with(name.as_str()))
                .unwrap(),
        );
    }
    let mut numbers = 0;
    for (name, table) in names.iter().zip(ordered) {
        let range = workbook.worksheet_range(name).unwrap();
        assert_eq!(
            range.get_value((0, 0)),
            Some(&Data::String(table.title.clone()))
        );
        assert_eq!(
            range.get_value((1, 0)),
            Some(&Data::String(format!("({})", table.units)))
        );
        for (r, row) in rows(table).iter().enumerate() {
            let line = u32::try_from(r + 4).unwrap();
            let label = match range.get_value((line, 0)) {
                Some(Data::String(s)) => s.trim().to_string(),
                other => panic!("{name} row {line}: {other:?}"),
            };
            assert!(label.ends_with(&*row.label), "{label} / {}", row.label);
            let unit_column = u32::try_from(table.columns.len() + 1).unwrap();
            let unit = range.get_value((line, unit_column));
            // Blank for an amount of the table's, as its caption says.
            if row.values.is_empty() || unit_of(row) == "thousands of USD" {
                assert!(
                    matches!(unit, None | Some(Data::Empty)),
                    "{name}/{}",
                    row.id
                );
            } else {
                assert_eq!(unit, Some(&Data::String(unit_of(row).into())));
            }
            for (c, cell) in row.values.iter().enumerate() {
                let value = range.get_value((line, u32::try_from(c + 1).unwrap()));
                match (cell, value) {
                    (Cell::Amount(a), Some(Data::String(s))) if a.negative && a.value.is_zero() => {
                        assert_eq!(s, &format!("({})", a.value));
                    }
                    (Cell::Amount(a), Some(Data::Float(f))) => {
                        let back: rust_decimal::Decimal = f.to_string().parse().unwrap();
                        assert_eq!(back, a.value, "{name}/{}", row.id);
                        numbers += 1;
                    }
                    (Cell::Percent(p), Some(Data::String(s)))
                        if p.negative && p.value.is_zero() =>
                    {
                        assert_eq!(s, &format!("({})%", p.value));
                    }
                    // A percent is the ratio it stands for: "8.0%" is 0.08.
                    (Cell::Percent(p), Some(Data::Float(f))) => {
                        let back: rust_decimal::Decimal = f.to_string().parse().unwrap();
                        assert_eq!(back, p.percent_ratio().value, "{name}/{}", row.id);
                        numbers += 1;
                    }
                    (Cell::Nil, Some(Data::String(s))) => assert_eq!(s, "\u{2014}"),
                    (Cell::NotApplicable, Some(Data::String(s))) => assert_eq!(s, "N/A"),
                    (Cell::NotMeaningful(marker), Some(Data::String(s))) => assert_eq!(s, marker),
                    (Cell::Blank, None | Some(Data::Empty)) => {}
                    (cell, value) => panic!("{name}/{}: {cell:?} written as {value:?}", row.id),
                }
            }
        }
    }
    numbers
}

/// What a spreadsheet application checks before it offers to "repair" a workbook: every part
/// well-formed and typed, every relationship leading to a part, cell styles and number formats
/// that exist, rows and cells in ascending order.
#[test]
fn the_workbook_is_a_well_formed_package() {
    use std::io::Read;
    let path = example_site().join("releases/2006-q1/2006-q1-financial-tables.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut parts: std::collections::BTreeMap<String, String> = Default::default();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert_eq!(
        zip.by_index(0).unwrap().name().unwrap(),
        "[Content_Types].xml"
    );
    for name in &names {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        parts.insert(name.clone(), text);
    }
    let doc = |name: &str| roxmltree::Document::parse(&parts[name]).unwrap();
    let elements = |d: &roxmltree::Document<'_>, tag: &str| -> Vec<Vec<(String, String)>> {
        d.descendants()
            .filter(|n| n.has_tag_name(tag))
            .map(|n| {
                n.attributes()
                    .map(|a| (a.name().to_string(), a.value().to_string()))
                    .collect()
            })
            .collect()
    };
    let attr = |attrs: &[(String, String)], name: &str| -> String {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };

    let types = doc("[Content_Types].xml");
    let overrides: Vec<String> = elements(&types, "Override")
        .iter()
        .map(|a| attr(a, "PartName"))
        .collect();
    for name in names
        .iter()
        .filter(|n| n.ends_with(".xml") && !n.starts_with('['))
    {
        assert!(
            overrides.contains(&format!("/{name}")),
            "{name} has no content type"
        );
    }
    for part in &overrides {
        assert!(
            parts.contains_key(&part[1..]),
            "typed part {part} is missing"
        );
    }
    for (rels, folder) in [("_rels/.rels", ""), ("xl/_rels/workbook.xml.rels", "xl/")] {
        for relationship in elements(&doc(rels), "Relationship") {
            let target = format!("{folder}{}", attr(&relationship, "Target"));
            assert!(
                parts.contains_key(&target),
                "{rels} leads to missing {target}"
            );
        }
    }

    let styles = doc("xl/styles.xml");
    let formats: Vec<String> = elements(&styles, "numFmt")
        .iter()
        .map(|a| attr(a, "numFmtId"))
        .collect();
    let xfs = styles
        .descendants()
        .find(|n| n.has_tag_name("cellXfs"))
        .unwrap();
    let xfs: Vec<roxmltree::Node<'_, '_>> = xfs.children().filter(|n| n.is_element()).collect();
    for xf in &xfs {
        let id = xf.attribute("numFmtId").unwrap();
        assert!(
            id == "0" || formats.iter().any(|f| f == id),
            "number format {id}"
        );
    }

    let tables = statements();
    let mut sheet_rows = 0;
    for name in names.iter().filter(|n| n.starts_with("xl/worksheets/")) {
        let sheet = doc(name);
        let mut last_row = 0;
        for row in sheet.descendants().filter(|n| n.has_tag_name("row")) {
            let r: u32 = row.attribute("r").unwrap().parse().unwrap();
            assert!(r > last_row, "{name}: row {r} after {last_row}");
            last_row = r;
            let mut last_column = String::new();
            for cell in row.children().filter(|n| n.has_tag_name("c")) {
                let reference = cell.attribute("r").unwrap();
                let column = reference.trim_end_matches(|c: char| c.is_ascii_digit());
                assert_eq!(&reference[column.len()..], r.to_string(), "{name}");
                assert!(
                    (column.len(), column) > (last_column.len(), last_column.as_str()),
                    "{name}: {reference} after {last_column}"
                );
                last_column = column.to_string();
                let style: usize = cell.attribute("s").unwrap_or("0").parse().unwrap();
                assert!(style < xfs.len(), "{name} {reference}: style {style}");
            }
            sheet_rows += 1;
        }
    }
    let lines: usize = tables.iter().map(|t| rows(t).len() + 3).sum();
    assert_eq!(sheet_rows, lines, "title, units, headers and every line");

    // Indented lines are indented by the cell format, not by spaces in the label.
    let indented = tables
        .iter()
        .enumerate()
        .find_map(|(i, t)| {
            rows(t)
                .iter()
                .position(|r| r.indent == 1)
                .map(|r| (i, u32::try_from(r).unwrap()))
        })
        .unwrap();
    let sheet = doc(&format!("xl/worksheets/sheet{}.xml", indented.0 + 1));
    let label = sheet
        .descendants()
        .find(|n| n.attribute("r") == Some(&format!("A{}", indented.1 + 5)))
        .unwrap();
    let xf = xfs[label.attribute("s").unwrap().parse::<usize>().unwrap()];
    let alignment = xf.children().find(|n| n.has_tag_name("alignment")).unwrap();
    assert_eq!(alignment.attribute("indent"), Some("1"));
}

#[test]
fn the_json_carries_every_figure_exactly() {
    let json: serde_json::Value =
        serde_json::from_str(&read(&example_site().join("releases/2006-q1/figures.json"))).unwrap();
    assert_eq!(json["period"], "2006-Q1");
    assert_eq!(json["currency"], "USD");
    assert_eq!(
        (&json["period_start"], &json["period_end"]),
        (&"2006-01-01".into(), &"2006-03-31".into())
    );
    let tables = json["tables"].as_array().unwrap();
    // Each column carries the days the fiscal calendar gives it.
    let operations = tables.iter().find(|t| t["id"] == "operations").unwrap();
    let prior = &operations["columns"][1];
    assert_eq!(prior["period"], "2005-Q1");
    assert_eq!(
        (&prior["start"], &prior["end"]),
        (&"2005-01-01".into(), &"2005-03-31".into())
    );
    assert!(prior.get("instant").is_none());
    let balance_sheet = tables.iter().find(|t| t["id"] == "balance-sheet").unwrap();
    let year_end = &balance_sheet["columns"][1];
    assert_eq!(year_end["instant"], "2005-12-31");
    assert!(year_end.get("start").is_none() && year_end.get("end").is_none());
    json_reads_back(&json, statements());
}

/// Checks every figure of a release's `figures.json` against `tables`; the number of cells.
fn json_reads_back(json: &serde_json::Value, statements: Vec<Statement>) -> usize {
    let tables = json["tables"].as_array().unwrap();
    let mut figures = 0;
    for table in statements {
        let written = tables
            .iter()
            .find(|t| t["id"] == table.id.as_str())
            .unwrap();
        assert_eq!(written["units"], table.units.as_str());
        assert_eq!(written["scale"], "thousands");
        assert_eq!(written["unit"], "thousands of USD");
        let written_rows = written["rows"].as_array().unwrap();
        assert_eq!(written_rows.len(), rows(&table).len());
        for (row, written) in rows(&table).iter().zip(written_rows) {
            assert_eq!(written["id"], &*row.id);
            // A row states its unit where it is not an amount of the table's.
            if row.values.is_empty() || unit_of(row) == "thousands of USD" {
                assert!(written.get("unit").is_none() && written.get("scale").is_none());
            } else {
                assert_eq!(written["unit"], unit_of(row), "{}/{}", table.id, row.id);
                let (measure, scale) = if row.kind == irsite::finance::RowKind::PerShare {
                    ("per_share", "actual")
                } else if unit_of(row) == "percent" {
                    // A row of percent cells is a percent row, as if it said unit = "percent".
                    ("percent", "actual")
                } else {
                    ("shares", "thousands")
                };
                assert_eq!(
                    (&written["measure"], &written["scale"]),
                    (&measure.into(), &scale.into()),
                    "{}/{}",
                    table.id,
                    row.id
                );
            }
            let cells: Vec<Cell> = written["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(cell_from_json)
                .collect();
            assert_identical(&cells, &row.values, &format!("{}/{}", table.id, row.id));
            figures += cells.len();
        }
    }
    figures
}

/// The cell-kind fixture, built once for this binary.
fn cells_site() -> &'static (tempfile::TempDir, std::path::PathBuf) {
    static BUILT: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> =
        std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let site = common::fixture_site("cells");
        let out = site.path().join("public");
        common::build_into(site.path(), &out);
        (site, out)
    })
}

/// Every kind of cell in the fixture, so that the read-backs below cover them all.
fn cells_fixture_tables() -> Vec<Statement> {
    let tables = statements_of(cells_site().0.path());
    let cells: Vec<Cell> = tables
        .iter()
        .flat_map(|t| t.all_rows().flat_map(|r| r.values.iter().copied()))
        .collect();
    for (kind, present) in [
        (
            "a percent",
            cells
                .iter()
                .any(|c| matches!(c, Cell::Percent(p) if !p.negative)),
        ),
        (
            "a negative percent",
            cells
                .iter()
                .any(|c| matches!(c, Cell::Percent(p) if p.negative)),
        ),
        ("NM", cells.contains(&Cell::NotMeaningful("NM"))),
        ("n/m", cells.contains(&Cell::NotMeaningful("n/m"))),
        ("*", cells.contains(&Cell::NotMeaningful("*"))),
        ("blank", cells.contains(&Cell::Blank)),
        ("nil", cells.contains(&Cell::Nil)),
        ("N/A", cells.contains(&Cell::NotApplicable)),
    ] {
        assert!(present, "the fixture has {kind}");
    }
    tables
}

#[test]
fn every_kind_of_cell_reads_back_from_the_csv_workbook_and_json() {
    let out = &cells_site().1;
    let tables = cells_fixture_tables();
    let cells: usize = tables
        .iter()
        .map(|t| t.all_rows().map(|r| r.values.len()).sum::<usize>())
        .sum();
    assert_eq!(csv_reads_back(out, tables.clone()), cells);
    assert!(workbook_reads_back(out, tables.clone()) >= 10);
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.join("releases/2006-q1/figures.json"))).unwrap();
    assert_eq!(json_reads_back(&json, tables), cells);
}

/// The one stored form of a percent: the JSON and CSV write it as the TOML does ("38.2%"), and
/// the workbook holds the ratio it stands for (0.382) in a percent format that shows "38.2%".
#[test]
fn a_percent_is_the_same_number_in_the_json_and_the_workbook() {
    use calamine::{Data, Reader, Xlsx};
    use std::io::Read;
    let out = &cells_site().1;
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.join("releases/2006-q1/figures.json"))).unwrap();
    let operations = &json["tables"][0];
    let at = |id: &str| {
        operations["rows"]
            .as_array()
            .unwrap()
            .iter()
            .position(|r| r["id"] == id)
            .unwrap()
    };
    let row = at("gross_margin");
    assert_eq!(operations["rows"][row]["values"][0], "38.2%");
    assert_eq!(
        operations["rows"][at("same_store_sales")]["values"][0],
        "-3%"
    );
    assert_eq!(operations["rows"][at("stores_opened")]["values"][1], "");
    assert_eq!(
        operations["rows"][at("restructuring")]["values"][0],
        serde_json::Value::Null
    );
    let path = out.join("releases/2006-q1/2006-q1-financial-tables.xlsx");
    let mut workbook: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let range = workbook.worksheet_range("operations").unwrap();
    let line = u32::try_from(row + 4).unwrap();
    assert_eq!(range.get_value((line, 1)), Some(&Data::Float(0.382)));
    // The cell's number format shows the ratio as the release prints the percent.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut part = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let (sheet, styles) = (part("xl/worksheets/sheet1.xml"), part("xl/styles.xml"));
    let sheet = roxmltree::Document::parse(&sheet).unwrap();
    let styles = roxmltree::Document::parse(&styles).unwrap();
    let cell = sheet
        .descendants()
        .find(|n| n.attribute("r") == Some(&format!("B{}", line + 1)))
        .unwrap();
    assert_eq!(
        cell.descendants()
            .find(|n| n.has_tag_name("v"))
            .unwrap()
            .text(),
        Some("0.382")
    );
    let style: usize = cell.attribute("s").unwrap().parse().unwrap();
    let xf = styles
        .descendants()
        .find(|n| n.has_tag_name("cellXfs"))
        .unwrap()
        .children()
        .filter(|n| n.is_element())
        .nth(style)
        .unwrap();
    let format = styles
        .descendants()
        .find(|n| n.has_tag_name("numFmt") && n.attribute("numFmtId") == xf.attribute("numFmtId"))
        .unwrap();
    assert_eq!(
        format.attribute("formatCode"),
        Some("#,##0.0%_);(#,##0.0)%")
    );
}

#[test]
fn the_page_shows_each_kind_of_cell_distinctly() {
    let out = &cells_site().1;
    let page = read(&out.join("releases/2006-q1/index.html"));
    let doc = common::parse(&page);
    let cells = |row: &str| -> Vec<(String, String)> {
        let tr = common::by_id(&doc, &format!("operations-{row}"))
            .unwrap_or_else(|| panic!("no row {row}"));
        common::children(tr, "td")
            .into_iter()
            .map(|td| {
                (
                    td.attribute("class").unwrap_or_default().to_string(),
                    common::text_of(td),
                )
            })
            .collect()
    };
    let pair = |class: &str, text: &str| (class.to_string(), text.to_string());
    assert_eq!(
        cells("gross_margin"),
        [pair("percent", "38.2%"), pair("percent", "38.0%")]
    );
    assert_eq!(
        cells("same_store_sales"),
        [pair("negative percent", "(3)%"), pair("percent", "2.0%")]
    );
    assert_eq!(
        cells("operating_margin")[1],
        pair("negative percent", "(3.9)%")
    );
    assert_eq!(
        cells("revenue_growth"),
        [pair("percent", "6.7%"), pair("nm", "NM")]
    );
    assert_eq!(
        cells("net_income_growth"),
        [pair("nm", "n/m"), pair("nm", "*")]
    );
    assert_eq!(
        cells("stores_opened"),
        [pair("amount", "3"), pair("blank", "")]
    );
    assert_eq!(cells("restructuring")[0], pair("nil", "\u{2014}"));
    assert_eq!(cells("equity_affiliate")[1], pair("na", "N/A"));
    // The "$" of the first row and of totals goes on amounts, never on a percent or a marker.
    assert_eq!(
        cells("revenue"),
        [pair("amount", "$5,120"), pair("amount", "$4,800")]
    );
    assert_eq!(
        cells("net_income"),
        [pair("amount", "$560"), pair("negative", "$(186)")]
    );
    // A table opening with a row of percents puts its first "$" on its first row of amounts.
    let metrics = |row: &str| -> Vec<String> {
        let tr = common::by_id(&doc, &format!("key-metrics-{row}")).unwrap();
        common::children(tr, "td")
            .into_iter()
            .map(common::text_of)
            .collect()
    };
    assert_eq!(metrics("return_on_equity"), ["12.5%", "(1.50)%"]);
    assert_eq!(metrics("cash_and_equivalents"), ["$2,210", "$1,980"]);
    assert_eq!(metrics("employees"), ["412", "N.M."]);
    // Citations of percent cells print them as the table does, or rounded as asked.
    for cited in [
        "up 6.7% from a year earlier",
        "Gross margin of 38.2%",
        "Gross margin was 38.2%",
        "against 38.0% a\nyear earlier",
        "Operating margin was 10.5%",
    ] {
        assert!(page.contains(cited), "{cited:?} is not on the page");
    }
}

/// Unfolds RFC 5545 content lines.
fn unfold(ics: &str) -> Vec<String> {
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_conference_call_is_a_calendar_event_in_utc() {
    let out = example_site();
    let ics = read(&out.join("releases/2006-q1/conference-call.ics"));
    assert!(
        ics.lines().all(|l| l.len() <= 76),
        "lines fold at 75 octets"
    );
    assert!(!ics.replace("\r\n", "").contains('\n'), "lines end in CRLF");
    let lines = unfold(&ics);
    let field = |name: &str| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .unwrap_or_else(|| panic!("no {name}"))
            .to_string()
    };
    assert_eq!(lines.first().unwrap(), "BEGIN:VCALENDAR");
    assert_eq!(field("VERSION"), "2.0");
    assert_eq!(field("UID"), "2006-q1-conference-call@www.internap.com");
    // 5:00 p.m. EDT (UTC-4) on May 4, 2006.
    assert_eq!(field("DTSTART"), "20060504T210000Z");
    assert_eq!(field("DTSTAMP"), "20060504T000000Z");
    assert_eq!(field("URL"), format!("{BASE_URL}releases/2006-q1/"));
    let description = field("DESCRIPTION");
    for part in [
        "866.202.0886\\, pass code 86358891",
        "617.213.8841\\, pass code 86358891",
        "888.286.8010\\, pass code 91895636",
        "617.801.6888\\, pass code 91895636",
        "Replay until May 11\\, 2006",
        "http://www.internap.com",
    ] {
        assert!(
            description.contains(part),
            "{part} missing from {description}"
        );
    }
    let release = read(&out.join("releases/2006-q1/index.html"));
    assert!(
        release.contains("releases/2006-q1/conference-call.ics\""),
        "the release links the event"
    );
}

#[test]
fn the_atom_feed_lists_the_release_with_a_permanent_id() {
    let feed = read(&example_site().join("feed.xml"));
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let root = doc.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let child = |node: roxmltree::Node, name: &str| {
        node.children()
            .find(|n| n.tag_name().name() == name)
            .and_then(|n| n.text().map(str::to_string))
    };
    assert_eq!(child(root, "id").unwrap(), format!("{BASE_URL}feed.xml"));
    assert_eq!(child(root, "updated").unwrap(), "2006-05-04T00:00:00Z");
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 1);
    let entry = entries[0];
    assert_eq!(
        child(entry, "title").unwrap(),
        "Internap Reports First Quarter 2006 Financial Results"
    );
    assert_eq!(
        child(entry, "id").unwrap(),
        "tag:www.internap.com,2006-05-04:releases/2006-q1"
    );
    let link = entry
        .children()
        .find(|n| n.tag_name().name() == "link")
        .unwrap();
    assert_eq!(
        link.attribute("href"),
        Some(format!("{BASE_URL}releases/2006-q1/").as_str())
    );
}

#[test]
fn every_sitemap_url_resolves_in_the_output() {
    let out = example_site();
    let sitemap = read(&out.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(locs.len(), 4, "{locs:?}");
    for loc in locs {
        let path = loc
            .strip_prefix(BASE_URL)
            .unwrap_or_else(|| panic!("{loc} is not under {BASE_URL}"));
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        assert!(out.join(&file).is_file(), "{loc} has no {file}");
    }
    let robots = read(&out.join("robots.txt"));
    assert!(robots.contains(&format!("Sitemap: {BASE_URL}sitemap.xml")));
}

fn json_ld(page: &Path) -> serde_json::Value {
    let html = read(page);
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn pages_carry_open_graph_tags_and_structured_data() {
    let out = example_site();
    let home = json_ld(&out.join("index.html"));
    assert_eq!(home["@type"], "Corporation");
    assert_eq!(home["tickerSymbol"], "AMEX IIP");
    let release = json_ld(&out.join("releases/2006-q1/index.html"));
    let graph = release["@graph"].as_array().unwrap();
    let article = graph.iter().find(|n| n["@type"] == "NewsArticle").unwrap();
    assert_eq!(article["datePublished"], "2006-05-04");
    assert_eq!(article["url"], format!("{BASE_URL}releases/2006-q1/"));
    let event = graph.iter().find(|n| n["@type"] == "Event").unwrap();
    assert_eq!(event["startDate"], "2006-05-04T17:00:00-04:00");
    let page = read(&out.join("releases/2006-q1/index.html"));
    for tag in [
        "<meta property=\"og:type\" content=\"article\" />",
        "<meta property=\"og:title\" content=\"Internap Reports First Quarter 2006 Financial Results\" />",
        &format!("<meta property=\"og:url\" content=\"{BASE_URL}releases/2006-q1/\" />"),
        "<link rel=\"alternate\" type=\"application/atom+xml\"",
    ] {
        assert!(page.contains(tag), "missing {tag}");
    }
    // Pages forbid scripts: the site runs none, and raw HTML in a release cannot add one.
    for page in ["index.html", "releases/2006-q1/index.html", "404.html"] {
        let html = read(&example_site().join(page));
        assert!(
            html.contains(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; \
                 script-src 'none'; object-src 'none'; base-uri 'self'; form-action 'none'\" />"
            ),
            "{page}"
        );
    }
    // The financials page names its period as prose does: the month keeps its capital.
    let financials = read(&example_site().join("financials/2006-q1/index.html"));
    assert!(financials.contains(
        "<title>Financial statements: three months ended March 31, 2006 | Internap Investor \
         Relations</title>"
    ));
}

#[test]
fn every_table_links_its_csv_and_the_release_its_workbook_and_json() {
    let out = example_site();
    for page in [
        "releases/2006-q1/index.html",
        "financials/2006-q1/index.html",
    ] {
        let html = read(&out.join(page));
        let doc = common::parse(&html);
        for table in statements() {
            let statement = common::by_id(&doc, &table.id).unwrap();
            let link = statement
                .descendants()
                .find(|n| n.has_class_name("download"))
                .unwrap_or_else(|| panic!("{page}: no download beside {}", table.id));
            assert!(
                link.attribute("href")
                    .unwrap()
                    .ends_with(&format!("releases/2006-q1/{}.csv", table.id)),
                "{page}"
            );
        }
        assert!(html.contains("2006-q1-financial-tables.xlsx\""), "{page}");
        assert!(html.contains("figures.json\""), "{page}");
    }
}

trait HasClass {
    fn has_class_name(&self, class: &str) -> bool;
}

impl HasClass for roxmltree::Node<'_, '_> {
    fn has_class_name(&self, class: &str) -> bool {
        self.attribute("class")
            .is_some_and(|c| c.split_whitespace().any(|x| x == class))
    }
}

/// A text cell a spreadsheet would read as a formula (OWASP "CSV injection") starts with an
/// apostrophe; figures stay exact numbers, minus sign and all.
#[test]
fn csv_text_cells_cannot_start_a_formula() {
    let site = common::copy_of_example();
    let root = site.path();
    let table = root.join(TABLES).join("operations.toml");
    let labels = [
        (
            "\"Revenue\"",
            "\"=HYPERLINK(\\\"http://evil.example\\\",\\\"Revenue\\\")\"",
        ),
        ("\"Customer support\"", "\"+1+cmd|' /C calc'!A0\""),
        ("\"Product development\"", "\"-2+3\""),
        ("\"Sales and marketing\"", "\"@SUM(1,2)\""),
        ("\"General and administrative\"", "\"\\tGeneral\""),
    ];
    let mut text = read(&table);
    for (label, attack) in labels {
        assert!(text.contains(label), "{label}");
        text = text.replacen(label, attack, 1);
    }
    std::fs::write(&table, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    common::build_into(root, &out.path().join("site"));
    let csv = read(&out.path().join("site/releases/2006-q1/operations.csv"));
    let records = parse_csv(&csv);
    let label_of = |id: &str| {
        records
            .iter()
            .find(|r| r[1] == id)
            .unwrap_or_else(|| panic!("no row {id}"))
            .clone()
    };
    assert_eq!(
        label_of("revenue")[0],
        "'=HYPERLINK(\"http://evil.example\",\"Revenue\")"
    );
    assert_eq!(label_of("customer_support")[0], "'+1+cmd|' /C calc'!A0");
    assert_eq!(label_of("product_development")[0], "'-2+3");
    assert_eq!(label_of("sales_and_marketing")[0], "'@SUM(1,2)");
    assert_eq!(label_of("general_and_administrative")[0], "'\tGeneral");
    assert!(
        records.iter().skip(1).all(|r| r[0].starts_with(['\'', '('])
            || !r[0].starts_with(['=', '+', '-', '@', '\t', '\r'])),
        "{records:?}"
    );
    // Figures are numbers, not text: a negative figure keeps its minus sign and no apostrophe.
    assert!(csv.contains(",-570"), "{csv}");
    assert!(!csv.contains("'-570"), "{csv}");
}

/// RFC 5545 TEXT holds no control character but tab: a line break inside a value (a CRLF, as a
/// file with Windows line endings writes it) is the escape `\n`, and no line holds a bare CR.
#[test]
fn a_line_break_in_the_call_title_stays_inside_its_calendar_value() {
    let site = common::copy_of_example();
    let root = site.path();
    let release = root.join("content/releases/2006-q1/index.md");
    let text = read(&release).replacen(
        "title = \"Internap first quarter 2006 teleconference\"",
        "title = \"Internap first quarter 2006 teleconference,\\r\\nLOCATION:http://evil.example; \
         a long title that runs past seventy-five octets\"",
        1,
    );
    std::fs::write(&release, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    common::build_into(root, &out.path().join("site"));
    let ics = read(&out.path().join("site/releases/2006-q1/conference-call.ics"));
    assert!(
        ics.split("\r\n")
            .all(|l| !l.contains(['\r', '\n']) && l.len() <= 75),
        "{ics:?}"
    );
    let lines = unfold(&ics);
    assert!(
        !lines.iter().any(|l| l.starts_with("LOCATION:http://evil")),
        "{lines:#?}"
    );
    assert!(
        lines.contains(
            &"SUMMARY:Internap first quarter 2006 teleconference\\,\\nLOCATION:http://evil.example\\; \
              a long title that runs past seventy-five octets"
                .to_string()
        ),
        "{lines:#?}"
    );
}

/// The fixture of a company that reports in millions, with shares in thousands and per-share
/// amounts in dollars (tests/fixtures/units, a synthetic company).
const UNITS_RELEASE: &str = "content/releases/2024-q2";

#[test]
fn a_release_in_millions_with_shares_in_thousands_ties_and_reads_back_exactly() {
    use calamine::{Data, Reader, Xlsx};
    let site = common::fixture_site("units");
    let root = site.path();
    let (ok, stdout, stderr) = common::irsite(root, &["check"]);
    assert!(ok, "{stderr}");
    // Every figure but supplemental's (net income in thousands, read by a rounded tie; stock
    // compensation and employees, cited or shown only) is tied, earnings per share included.
    assert!(stdout.contains("32/38 figures tied"), "{stdout}");
    let out = tempfile::tempdir().unwrap();
    common::build_into(root, out.path());
    let out = out.path();

    let home = read(&out.join("index.html"));
    let captions: Vec<&str> = home
        .split("<span class=\"chart-units\">")
        .skip(1)
        .map(|s| &s[..s.find('<').unwrap()])
        .collect();
    assert_eq!(
        captions,
        [
            "in millions of U.S. dollars",
            "in millions of U.S. dollars",
            "in U.S. dollars per share"
        ]
    );
    let svg = read(&out.join("charts/revenue.svg"));
    assert!(
        svg.contains("in millions of U.S. dollars. Q2 2023: 11,020.3; Q2 2024: 12,345.6."),
        "{svg}"
    );
    let page = read(&out.join("releases/2024-q2/index.html"));
    for cited in [
        "Revenue of $12.3 billion, up 12.0% from a year earlier",
        "Revenue was $12.35 billion, against $11.02 billion",
        "Net income was $1,314.1 million, or\n$2.53 per diluted share, on\n518,902 thousand",
        "Stock-based compensation was\n$88.4 million.",
    ] {
        assert!(page.contains(cited), "{cited:?} not in the page");
    }

    let dir = root.join(UNITS_RELEASE).join("tables");
    let table = |id: &str| {
        irsite::content::load_statement(
            &dir.join(format!("{id}.toml")),
            &irsite::finance::FiscalCalendar::default(),
        )
        .unwrap()
    };
    let units_of = |id: &str| -> Vec<(&'static str, &'static str)> {
        match id {
            "operations" => vec![
                ("revenue", "millions of USD"),
                ("net_income", "millions of USD"),
                ("diluted_eps", "USD per share"),
                ("diluted_shares", "thousands of shares"),
            ],
            _ => vec![
                ("reported_net_income", "thousands of USD"),
                ("employees", "count"),
            ],
        }
    };
    let workbook_path = out.join("releases/2024-q2/2024-q2-financial-tables.xlsx");
    let mut workbook: Xlsx<_> = calamine::open_workbook(&workbook_path).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.join("releases/2024-q2/figures.json"))).unwrap();
    assert_eq!(json["currency"], "USD");
    for (sheet, id) in workbook
        .sheet_names()
        .to_vec()
        .iter()
        .zip(["operations", "supplemental"])
    {
        let table = table(id);
        let rows: Vec<_> = table.all_rows().collect();
        // CSV: the unit after the row id, then the figures as the table file states them.
        let csv = parse_csv(&read(&out.join(format!("releases/2024-q2/{id}.csv"))));
        for (record, row) in csv[1..].iter().zip(&rows) {
            assert_eq!(record[1], *row.id);
            if !row.values.is_empty() {
                let cells: Vec<Cell> = record[3..].iter().map(|f| cell_from_download(f)).collect();
                assert_eq!(cells, *row.values, "{id}/{}", row.id);
            }
        }
        for (row_id, unit) in units_of(id) {
            let record = csv.iter().find(|r| r[1] == row_id).unwrap();
            assert_eq!(record[2], unit, "{id}/{row_id}");
        }
        // JSON: the table's scale, each row's unit and scale, the figures exactly.
        let written = json["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap();
        let scale = if id == "operations" {
            "millions"
        } else {
            "thousands"
        };
        assert_eq!(written["scale"], scale);
        assert_eq!(written["unit"], format!("{scale} of USD"));
        for (row, written) in rows.iter().zip(written["rows"].as_array().unwrap()) {
            let cells: Vec<Cell> = written["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().map_or(Cell::Nil, cell_from_download))
                .collect();
            assert_eq!(cells, *row.values, "{id}/{}", row.id);
        }
        for (row_id, unit) in units_of(id) {
            let row = written["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == row_id)
                .unwrap();
            if unit == written["unit"] {
                assert!(row.get("unit").is_none(), "{id}/{row_id}: the table's unit");
            } else {
                assert_eq!(row["unit"], unit, "{id}/{row_id}");
            }
        }
        let shares = written["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "diluted_shares");
        if let Some(shares) = shares {
            assert_eq!(
                (&shares["measure"], &shares["scale"]),
                (&"shares".into(), &"thousands".into())
            );
        }
        // Workbook: numbers equal to the figures, and the unit after them.
        let range = workbook.worksheet_range(sheet).unwrap();
        for (r, row) in rows.iter().enumerate() {
            let line = u32::try_from(r + 4).unwrap();
            for (c, cell) in row.values.iter().enumerate() {
                let column = u32::try_from(c + 1).unwrap();
                match (cell, range.get_value((line, column))) {
                    (Cell::Amount(a), Some(Data::Float(f))) => {
                        let back: rust_decimal::Decimal = f.to_string().parse().unwrap();
                        assert_eq!(back, a.value, "{id}/{}", row.id);
                    }
                    (cell, value) => panic!("{id}/{}: {cell:?} written as {value:?}", row.id),
                }
            }
        }
        for (row_id, unit) in units_of(id) {
            let r = rows.iter().position(|row| &*row.id == row_id).unwrap();
            let line = u32::try_from(r + 4).unwrap();
            let written = range.get_value((line, u32::try_from(table.columns.len() + 1).unwrap()));
            if unit == format!("{scale} of USD") {
                assert!(matches!(written, None | Some(Data::Empty)), "{id}/{row_id}");
            } else {
                assert_eq!(written, Some(&Data::String(unit.into())), "{id}/{row_id}");
            }
        }
    }
}
