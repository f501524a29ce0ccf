//! The XLSX workbook beside each release: a sheet per table, figures as numbers in an
//! accounting format, written directly as SpreadsheetML (ECMA-376 part 1) into a zip.
//!
//! Why not a workbook crate: rust_xlsxwriter took 1.3 ms per workbook and started an OS thread
//! per worksheet (seven per release, with no way to turn it off), which at archive scale cost
//! more than the rest of rendering and halved the parallel build. Our workbooks use a small,
//! fixed part of the format: inline strings, numbers, a few cell styles, column widths and a
//! frozen header, so they are written here in about 0.3 ms a release (a profile of `check` on
//! the synthetic archive), on the thread that renders the release.
//!
//! A figure's `<v>` is its exact decimal string, which the reading spreadsheet turns into the
//! nearest double (exact for every figure of fifteen significant digits or fewer). A loss per
//! share that rounds to zero is written as the text "(0.00)", since a spreadsheet has no
//! negative zero. A percent is its ratio ("8.0%" is 0.080, exact) in a percent format that
//! shows it as written ("8.0%", "(3.0)%"); a negative zero percent is the text "(0.0)%". A
//! not-meaningful marker is text as written, a blank cell no cell at all. The zip is reproducible: fixed entry order and timestamps.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::downloads::labelled_rows;
use super::push_escaped_xml as push_escaped;
use super::zip::Zip;
use crate::content::Release;
use crate::error::{Error, Result};
use crate::finance::format::{NIL, NOT_APPLICABLE, format_percent, push_digits, push_exact};
use crate::finance::{Cell, RowMeasure, Statement};

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
/// Rows above the table's lines: title, units, a blank line, the period headers.
const HEADER_ROWS: u32 = 4;
/// Column widths in characters, as Excel stores them (with its cell padding).
const LABEL_WIDTH: f64 = 60.7109375;
const FIGURE_WIDTH: f64 = 34.7109375;
/// The unit column after the figures ("thousands of USD", "USD per share").
const UNIT_WIDTH: f64 = 22.7109375;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
    Italic,
}

/// A custom number format; amounts' come first, so a workbook without percents numbers its
/// formats as before percents existed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum NumberFormat {
    /// An accounting format with this many decimals.
    Accounting(u32),
    /// A percent with this many decimals, negatives as releases print them: "(3.0)%".
    Percent(u32),
}

impl NumberFormat {
    fn code(self) -> String {
        let digits = |places: u32| {
            if places == 0 {
                "#,##0".to_string()
            } else {
                format!("#,##0.{}", "0".repeat(places as usize))
            }
        };
        match self {
            NumberFormat::Accounting(places) => {
                let digits = digits(places);
                format!("_(* {digits}_);_(* ({digits});_(* \"-\"??_);_(@_)")
            }
            // `_)` leaves the width of ")" after a positive percent, so digits line up.
            NumberFormat::Percent(places) => {
                let digits = digits(places);
                format!("{digits}%_);({digits})%")
            }
        }
    }
}

/// One cell format (`cellXfs` entry): the workbook has only the few its tables use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Style {
    font: Font,
    right: bool,
    indent: u8,
    number: Option<NumberFormat>,
}

const PLAIN: Style = Style {
    font: Font::Regular,
    right: false,
    indent: 0,
    number: None,
};

/// The cell formats of one workbook, numbered in first-use order after the default (0).
struct Styles(Vec<Style>);

impl Styles {
    fn index(&mut self, style: Style) -> usize {
        if let Some(i) = self.0.iter().position(|s| *s == style) {
            return i;
        }
        self.0.push(style);
        self.0.len() - 1
    }

    /// The number formats used, each with its custom number-format id (164 on).
    fn number_formats(&self) -> Vec<NumberFormat> {
        let mut formats: Vec<NumberFormat> = self.0.iter().filter_map(|s| s.number).collect();
        formats.sort_unstable();
        formats.dedup();
        formats
    }

    fn xml(&self) -> String {
        let formats = self.number_formats();
        let mut xml = String::with_capacity(2048);
        xml.push_str(XML_DECLARATION);
        let _ = write!(xml, "<styleSheet xmlns=\"{MAIN_NS}\">");
        if !formats.is_empty() {
            let _ = write!(xml, "<numFmts count=\"{}\">", formats.len());
            for (i, format) in formats.iter().enumerate() {
                let _ = write!(
                    xml,
                    "<numFmt numFmtId=\"{}\" formatCode=\"{}\"/>",
                    164 + i,
                    escape(&format.code())
                );
            }
            xml.push_str("</numFmts>");
        }
        let font = |style: &str| {
            format!(
                "<font>{style}<sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
            )
        };
        let _ = write!(
            xml,
            "<fonts count=\"3\">{}{}{}</fonts>",
            font(""),
            font("<b/>"),
            font("<i/>")
        );
        xml.push_str(
            "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>\
             <fill><patternFill patternType=\"gray125\"/></fill></fills>\
             <borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
             <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>",
        );
        let _ = write!(xml, "<cellXfs count=\"{}\">", self.0.len());
        for style in &self.0 {
            let number_format = style
                .number
                .and_then(|n| formats.iter().position(|f| *f == n))
                .map_or(0, |i| 164 + i);
            let font = match style.font {
                Font::Regular => 0,
                Font::Bold => 1,
                Font::Italic => 2,
            };
            let _ = write!(
                xml,
                "<xf numFmtId=\"{number_format}\" fontId=\"{font}\" fillId=\"0\" borderId=\"0\" xfId=\"0\""
            );
            if number_format != 0 {
                xml.push_str(" applyNumberFormat=\"1\"");
            }
            if font != 0 {
                xml.push_str(" applyFont=\"1\"");
            }
            if style.right {
                xml.push_str(" applyAlignment=\"1\"><alignment horizontal=\"right\"/></xf>");
            } else if style.indent > 0 {
                let _ = write!(
                    xml,
                    " applyAlignment=\"1\"><alignment horizontal=\"left\" indent=\"{}\"/></xf>",
                    style.indent
                );
            } else {
                xml.push_str("/>");
            }
        }
        xml.push_str(
            "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" \
             builtinId=\"0\"/></cellStyles></styleSheet>",
        );
        xml
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends the column letters of a zero-based column: A, B, ... Z, AA, AB, ...
fn push_column_name(out: &mut String, col: usize) {
    if col >= 26 {
        push_column_name(out, col / 26 - 1);
    }
    out.push(char::from(b'A' + (col % 26) as u8));
}

fn column_name(col: usize) -> String {
    let mut name = String::new();
    push_column_name(&mut name, col);
    name
}

/// Sheet names: at most 31 characters, none of `[]:*?/\`, unique ignoring case.
fn sheet_names(ids: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        let base: String = id
            .chars()
            .filter(|c| !"[]:*?/\\'".contains(*c))
            .take(31)
            .collect();
        let base = if base.is_empty() {
            "Sheet".to_string()
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while names.iter().any(|other| other.eq_ignore_ascii_case(&name)) {
            let suffix = format!("~{n}");
            let keep = base.chars().count().min(31 - suffix.len());
            name = base.chars().take(keep).collect::<String>() + &suffix;
            n += 1;
        }
        names.push(name);
    }
    names
}

/// A worksheet's XML, writing the cells row by row.
struct SheetWriter {
    xml: String,
    row: u32,
    /// The widest row, in columns.
    columns: usize,
}

impl SheetWriter {
    fn start_row(&mut self, row: u32) {
        self.row = row;
        self.xml.push_str("<row r=\"");
        push_digits(&mut self.xml, u64::from(row) + 1);
        self.xml.push_str("\">");
    }

    fn end_row(&mut self) {
        self.xml.push_str("</row>");
    }

    fn reference(&mut self, col: usize, style: usize) {
        self.columns = self.columns.max(col + 1);
        self.xml.push_str("<c r=\"");
        push_column_name(&mut self.xml, col);
        push_digits(&mut self.xml, u64::from(self.row) + 1);
        self.xml.push('"');
        if style != 0 {
            self.xml.push_str(" s=\"");
            push_digits(&mut self.xml, style as u64);
            self.xml.push('"');
        }
    }

    fn text(&mut self, col: usize, text: &str, style: usize) {
        self.reference(col, style);
        self.xml.push_str(" t=\"inlineStr\"><is><t>");
        push_escaped(&mut self.xml, text);
        self.xml.push_str("</t></is></c>");
    }

    fn number(&mut self, col: usize, exact: Decimal, style: usize) {
        self.reference(col, style);
        self.xml.push_str("><v>");
        push_exact(&mut self.xml, exact);
        self.xml.push_str("</v></c>");
    }
}

fn worksheet(table: &Statement, code: &str, styles: &mut Styles, first: bool) -> String {
    let bold = styles.index(Style {
        font: Font::Bold,
        ..PLAIN
    });
    let italic = styles.index(Style {
        font: Font::Italic,
        ..PLAIN
    });
    let header = styles.index(Style {
        font: Font::Bold,
        right: true,
        ..PLAIN
    });
    let text_figure = styles.index(Style {
        right: true,
        ..PLAIN
    });
    let header_left = styles.index(Style {
        font: Font::Bold,
        ..PLAIN
    });
    let unit_style = styles.index(Style {
        font: Font::Italic,
        ..PLAIN
    });
    let mut sheet = SheetWriter {
        xml: String::with_capacity(8192),
        row: 0,
        columns: 1,
    };
    sheet.start_row(0);
    sheet.text(0, &table.title, bold);
    sheet.end_row();
    sheet.start_row(1);
    sheet.text(0, &format!("({})", table.units), italic);
    sheet.end_row();
    sheet.start_row(HEADER_ROWS - 1);
    for (c, period) in table.columns.iter().enumerate() {
        sheet.text(c + 1, &table.column_label(period), header);
    }
    // What a row's figures are where they are not amounts of the table's (shares, per-share
    // amounts), after them, so the figures keep their columns.
    let unit_column = table.columns.len() + 1;
    sheet.text(unit_column, "Unit", header_left);
    sheet.end_row();
    let rows = labelled_rows(table);
    let mut units = super::downloads::UnitWords::new(code);
    for (r, (label, row)) in rows.iter().enumerate() {
        sheet.start_row(HEADER_ROWS + u32::try_from(r).unwrap_or(u32::MAX - HEADER_ROWS));
        let label_style = styles.index(Style {
            font: if row.values.is_empty() {
                Font::Bold
            } else {
                Font::Regular
            },
            indent: row.indent,
            ..PLAIN
        });
        sheet.text(0, label, label_style);
        for (c, cell) in row.values.iter().enumerate() {
            match cell {
                Cell::Amount(a) if a.value.is_zero() && a.negative => {
                    sheet.text(c + 1, &format!("({})", a.value.abs()), text_figure);
                }
                Cell::Amount(a) => {
                    let style = styles.index(Style {
                        number: Some(NumberFormat::Accounting(a.value.scale())),
                        ..PLAIN
                    });
                    sheet.number(c + 1, a.value, style);
                }
                Cell::Percent(p) if p.value.is_zero() && p.negative => {
                    sheet.text(c + 1, &format_percent(p), text_figure);
                }
                Cell::Percent(p) => {
                    let style = styles.index(Style {
                        number: Some(NumberFormat::Percent(p.value.scale())),
                        ..PLAIN
                    });
                    sheet.number(c + 1, p.percent_ratio().value, style);
                }
                Cell::Nil => sheet.text(c + 1, NIL, text_figure),
                Cell::NotApplicable => sheet.text(c + 1, NOT_APPLICABLE, text_figure),
                Cell::NotMeaningful(marker) => sheet.text(c + 1, marker, text_figure),
                // A blank cell is an empty cell, as the release leaves it.
                Cell::Blank | Cell::Missing => {}
            }
        }
        // Blank where the row is an amount of the table's, as the caption above states.
        let measure = table.measure(row);
        if !row.values.is_empty() && measure != RowMeasure::Currency(table.scale) {
            sheet.text(unit_column, units.of(measure), unit_style);
        }
        sheet.end_row();
    }
    let last_row = HEADER_ROWS as usize + rows.len();
    let last_col = column_name(sheet.columns.max(table.columns.len() + 1) - 1);
    let mut xml = String::with_capacity(sheet.xml.len() + 1024);
    xml.push_str(XML_DECLARATION);
    let _ = write!(
        xml,
        "<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><dimension ref=\"A1:{last_col}{last_row}\"/>\
         <sheetViews><sheetView{} workbookViewId=\"0\"><pane ySplit=\"{HEADER_ROWS}\" \
         topLeftCell=\"A{}\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>\
         <sheetFormatPr defaultRowHeight=\"15\"/><cols><col min=\"1\" max=\"1\" \
         width=\"{LABEL_WIDTH}\" customWidth=\"1\"/>",
        if first { " tabSelected=\"1\"" } else { "" },
        HEADER_ROWS + 1,
    );
    if !table.columns.is_empty() {
        let _ = write!(
            xml,
            "<col min=\"2\" max=\"{}\" width=\"{FIGURE_WIDTH}\" customWidth=\"1\"/>",
            table.columns.len() + 1
        );
    }
    let _ = write!(
        xml,
        "<col min=\"{unit}\" max=\"{unit}\" width=\"{UNIT_WIDTH}\" customWidth=\"1\"/>",
        unit = table.columns.len() + 2
    );
    xml.push_str("</cols><sheetData>");
    xml.push_str(&sheet.xml);
    xml.push_str(
        "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" \
         header=\"0.3\" footer=\"0.3\"/><pageSetup orientation=\"landscape\" fitToHeight=\"0\"/></worksheet>",
    );
    xml
}

fn relationship(id: usize, kind: &str, target: &str) -> String {
    format!("<Relationship Id=\"rId{id}\" Type=\"{kind}\" Target=\"{target}\"/>")
}

/// Every part of the package, by its name in the zip, in writing order.
fn parts(release: &Release, company: &str, code: &str) -> Vec<(String, String)> {
    let tables = &release.tables;
    let mut styles = Styles(vec![PLAIN]);
    let sheets: Vec<String> = tables
        .iter()
        .enumerate()
        .map(|(i, table)| worksheet(table, code, &mut styles, i == 0))
        .collect();

    let mut types = format!(
        "{XML_DECLARATION}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
    );
    for i in 1..=sheets.len() {
        let _ = write!(
            types,
            "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        );
    }
    types.push_str("</Types>");

    let package_rels = format!(
        "{XML_DECLARATION}<Relationships xmlns=\"{PACKAGE_REL_NS}\">{}{}{}</Relationships>",
        relationship(1, &format!("{REL_NS}/officeDocument"), "xl/workbook.xml"),
        relationship(
            2,
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml"
        ),
        relationship(
            3,
            &format!("{REL_NS}/extended-properties"),
            "docProps/app.xml"
        ),
    );

    let date = &release.date;
    let core = format!(
        "{XML_DECLARATION}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title>\
         <dc:creator>{}</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">\
         {:04}-{:02}-{:02}T00:00:00Z</dcterms:created></cp:coreProperties>",
        escape(&release.title),
        escape(company),
        date.year,
        date.month,
        date.day
    );
    let app = format!(
        "{XML_DECLARATION}<Properties \
         xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
         <Application>irsite</Application><Company>{}</Company></Properties>",
        escape(company)
    );

    let ids: Vec<&str> = tables.iter().map(|t| t.id.as_str()).collect();
    let names = sheet_names(&ids);
    let mut workbook = format!(
        "{XML_DECLARATION}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">\
         <bookViews><workbookView/></bookViews><sheets>"
    );
    let mut workbook_rels = format!("{XML_DECLARATION}<Relationships xmlns=\"{PACKAGE_REL_NS}\">");
    for (i, name) in names.iter().enumerate() {
        let id = i + 1;
        let _ = write!(
            workbook,
            "<sheet name=\"{}\" sheetId=\"{id}\" r:id=\"rId{id}\"/>",
            escape(name)
        );
        workbook_rels.push_str(&relationship(
            id,
            &format!("{REL_NS}/worksheet"),
            &format!("worksheets/sheet{id}.xml"),
        ));
    }
    workbook.push_str("</sheets></workbook>");
    workbook_rels.push_str(&relationship(
        names.len() + 1,
        &format!("{REL_NS}/styles"),
        "styles.xml",
    ));
    workbook_rels.push_str("</Relationships>");

    let mut parts = vec![
        ("[Content_Types].xml".to_string(), types),
        ("_rels/.rels".to_string(), package_rels),
        ("docProps/core.xml".to_string(), core),
        ("docProps/app.xml".to_string(), app),
        ("xl/workbook.xml".to_string(), workbook),
        ("xl/_rels/workbook.xml.rels".to_string(), workbook_rels),
        ("xl/styles.xml".to_string(), styles.xml()),
    ];
    for (i, sheet) in sheets.into_iter().enumerate() {
        parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), sheet));
    }
    parts
}

/// One workbook for a release: a sheet per table, in the release's order.
/// `code` is the reporting currency's, named in each row's unit.
pub fn workbook(release: &Release, company: &str, code: &str) -> Result<Vec<u8>> {
    let fail = |e: &dyn std::fmt::Display| {
        Error::Output(format!(
            "cannot write the workbook for {}: {e}",
            release.source.display()
        ))
    };
    // The sheets compress almost as well at the fastest level; parts of a few hundred bytes
    // are stored, as deflating them costs more than it saves.
    let mut zip = Zip::with_capacity(16 * 1024);
    for (name, xml) in parts(release, company, code) {
        if xml.len() < 2048 {
            zip.stored(&name, xml.as_bytes())
        } else {
            zip.deflated(&name, xml.as_bytes())
        }
        .map_err(|e| fail(&e))?;
    }
    zip.finish().map_err(|e| fail(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounting_formats_put_negatives_in_parentheses() {
        let accounting = |places| NumberFormat::Accounting(places).code();
        assert_eq!(accounting(0), "_(* #,##0_);_(* (#,##0);_(* \"-\"??_);_(@_)");
        assert!(accounting(2).contains("#,##0.00"));
    }

    #[test]
    fn percent_formats_put_the_parenthesis_before_the_sign() {
        assert_eq!(NumberFormat::Percent(0).code(), "#,##0%_);(#,##0)%");
        assert_eq!(NumberFormat::Percent(1).code(), "#,##0.0%_);(#,##0.0)%");
    }

    #[test]
    fn columns_are_lettered_like_a_spreadsheet() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_name)
            .collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn sheet_names_are_short_and_unique() {
        let names = sheet_names(&[
            "reconciliation-adjusted-ebitda-and-more-words",
            "reconciliation-adjusted-ebitda-and-other-words",
            "ops",
        ]);
        assert_eq!(
            names,
            [
                "reconciliation-adjusted-ebitda-",
                "reconciliation-adjusted-ebitd~2",
                "ops"
            ]
        );
        assert!(names.iter().all(|n| n.chars().count() <= 31));
    }

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            escape("R&D <net> \"x's\"\u{1}"),
            "R&amp;D &lt;net&gt; &quot;x&#39;s&quot;"
        );
    }
}
