//! A fast reader for the plain TOML that table files are written in.
//!
//! Reading tables with `toml` was about a fifth of a build (some 75 instructions a byte). Table
//! files use a small part of TOML: comments, `key = value` lines with bare keys, one-line basic
//! and literal strings, booleans, small integers, arrays of strings, and the `[[rows]]`,
//! `[[footnotes]]` and `[[footnotes.rows]]` headers. This reader reads that part straight into a
//! `TableFile`, in about a quarter of the instructions, and answers `None` at anything else:
//! another construct, an escape other than `\"`, `\\`, `\n` or `\t`, a duplicate, unknown or
//! missing key, a value of the wrong type or one that does not parse. The caller then reads the
//! file with `toml`, which stays the authority on TOML and writes every error message. The tests
//! check that whatever this reader accepts, `toml` reads to the same value, spans included.

use std::borrow::Cow;
use std::ops::Range;

use serde::de::value::{Error as ValueError, StrDeserializer};
use toml::Spanned;

use super::{FootnoteFile, OneOrMany, RowFile, TableFile};
use crate::finance::{Cell, RowKind, RowUnit, Scale};

/// Reads `source`, or `None` where it steps outside the plain subset.
pub(super) fn read(source: &str) -> Option<TableFile> {
    let mut reader = Reader {
        source,
        bytes: source.as_bytes(),
        at: 0,
    };
    let mut top = Top::default();
    let mut table = Table::Top;
    loop {
        reader.skip_blank_lines()?;
        match reader.peek() {
            None => break,
            Some(b'[') => table = reader.header(&mut top)?,
            Some(_) => {
                let key = reader.key()?;
                let value = reader.value()?;
                reader.end_of_line()?;
                match table {
                    Table::Top => top.assign(key, value)?,
                    Table::Row => top.rows.last_mut()?.1.assign(key, value)?,
                    Table::Footnote => top.footnotes.last_mut()?.assign(key, value)?,
                    Table::FootnoteRow => top
                        .footnotes
                        .last_mut()?
                        .rows
                        .last_mut()?
                        .1
                        .assign(key, value)?,
                }
            }
        }
    }
    top.finish()
}

/// The table that `key = value` lines go into: the one the last header opened.
#[derive(Clone, Copy)]
enum Table {
    Top,
    Row,
    Footnote,
    FootnoteRow,
}

enum Value<'a> {
    Str(Cow<'a, str>),
    Strs(Vec<(Cow<'a, str>, Range<usize>)>),
    Bool(bool),
    Int(u64),
}

impl<'a> Value<'a> {
    fn str(self) -> Option<Cow<'a, str>> {
        match self {
            Value::Str(text) => Some(text),
            _ => None,
        }
    }

    fn string(self) -> Option<String> {
        self.str().map(Cow::into_owned)
    }

    fn strs(self) -> Option<Vec<(Cow<'a, str>, Range<usize>)>> {
        match self {
            Value::Strs(items) => Some(items),
            _ => None,
        }
    }

    fn strings(self) -> Option<Vec<String>> {
        Some(
            self.strs()?
                .into_iter()
                .map(|(s, _)| s.into_owned())
                .collect(),
        )
    }

    fn boolean(self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
}

/// A string read through serde, so the names are exactly those `toml` accepts (`kind`,
/// `unit`, `scale`).
fn by_serde<T: serde::de::DeserializeOwned>(value: Value) -> Option<T> {
    let name = value.str()?;
    T::deserialize(StrDeserializer::<ValueError>::new(&name)).ok()
}

/// Fills an empty slot; a key given twice is an error in TOML, so `None`.
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

#[derive(Default)]
struct Top {
    title: Option<String>,
    units: Option<String>,
    scale: Option<Scale>,
    columns: Option<Vec<Spanned<String>>>,
    non_gaap: Option<bool>,
    restated: Option<Vec<Spanned<String>>>,
    rows: Vec<(Range<usize>, Row)>,
    footnotes: Vec<Footnote>,
}

impl Top {
    fn assign(&mut self, key: &str, value: Value) -> Option<()> {
        match key {
            "title" => set(&mut self.title, value.string()?),
            "units" => set(&mut self.units, value.string()?),
            "scale" => set(&mut self.scale, by_serde(value)?),
            "columns" => {
                let columns = value.strs()?.into_iter();
                let columns = columns.map(|(s, span)| Spanned::new(span, s.into_owned()));
                set(&mut self.columns, columns.collect())
            }
            "non_gaap" => set(&mut self.non_gaap, value.boolean()?),
            "restated" => {
                let columns = value.strs()?.into_iter();
                let columns = columns.map(|(s, span)| Spanned::new(span, s.into_owned()));
                set(&mut self.restated, columns.collect())
            }
            // `off_calendar` and `tolerance` are rare: `toml` reads a table that has them.
            _ => None,
        }
    }

    fn finish(self) -> Option<TableFile> {
        Some(TableFile {
            title: self.title?,
            // `title_notes` is rare: `toml` reads a table that has it.
            title_notes: Vec::new(),
            units: self.units?,
            scale: self.scale,
            columns: self.columns?,
            non_gaap: self.non_gaap.unwrap_or_default(),
            restated: self.restated.unwrap_or_default(),
            off_calendar: Vec::new(),
            tolerance: None,
            year_to_date: None,
            rows: finish_rows(self.rows)?,
            footnotes: self
                .footnotes
                .into_iter()
                .map(Footnote::finish)
                .collect::<Option<_>>()?,
        })
    }
}

#[derive(Default)]
struct Footnote {
    marker: Option<String>,
    text: Option<String>,
    rows: Vec<(Range<usize>, Row)>,
}

impl Footnote {
    fn assign(&mut self, key: &str, value: Value) -> Option<()> {
        match key {
            "marker" => set(&mut self.marker, value.string()?),
            "text" => set(&mut self.text, value.string()?),
            _ => None,
        }
    }

    fn finish(self) -> Option<FootnoteFile> {
        Some(FootnoteFile {
            marker: self.marker?,
            text: self.text?,
            rows: finish_rows(self.rows)?,
        })
    }
}

#[derive(Default)]
struct Row {
    id: Option<String>,
    label: Option<String>,
    kind: Option<RowKind>,
    indent: Option<u8>,
    notes: Option<Vec<String>>,
    currency: Option<bool>,
    unit: Option<RowUnit>,
    scale: Option<Scale>,
    non_gaap: Option<bool>,
    comparable: Option<String>,
    values: Option<Vec<Cell>>,
    equals: Option<Vec<String>>,
    not_additive: Option<String>,
}

impl Row {
    fn assign(&mut self, key: &str, value: Value) -> Option<()> {
        match key {
            "id" => set(&mut self.id, value.string()?),
            "label" => set(&mut self.label, value.string()?),
            "kind" => set(&mut self.kind, by_serde(value)?),
            "unit" => set(&mut self.unit, by_serde(value)?),
            "scale" => set(&mut self.scale, by_serde(value)?),
            "indent" => match value {
                Value::Int(n) => set(&mut self.indent, u8::try_from(n).ok()?),
                _ => None,
            },
            "notes" => set(&mut self.notes, value.strings()?),
            "currency" => set(&mut self.currency, value.boolean()?),
            "non_gaap" => set(&mut self.non_gaap, value.boolean()?),
            "comparable" => set(&mut self.comparable, value.string()?),
            "values" => {
                // `Cell`'s deserialiser parses the string the same way.
                let cells = value.strs()?.into_iter().map(|(s, _)| s.parse().ok());
                set(&mut self.values, cells.collect::<Option<_>>()?)
            }
            "equals" => match value {
                Value::Str(text) => set(&mut self.equals, vec![text.into_owned()]),
                other => set(&mut self.equals, other.strings()?),
            },
            "not_additive" => set(&mut self.not_additive, value.string()?),
            _ => None,
        }
    }

    fn finish(self) -> Option<RowFile> {
        Some(RowFile {
            id: self.id?,
            label: self.label?,
            kind: self.kind.unwrap_or_default(),
            indent: self.indent.unwrap_or_default(),
            notes: self.notes.unwrap_or_default(),
            currency: self.currency,
            unit: self.unit,
            scale: self.scale,
            non_gaap: self.non_gaap.unwrap_or_default(),
            comparable: self.comparable,
            values: self.values.unwrap_or_default(),
            equals: OneOrMany(self.equals.unwrap_or_default()),
            not_additive: self.not_additive,
        })
    }
}

/// A row's span is its `[[rows]]` header, as `toml` gives it.
fn finish_rows(rows: Vec<(Range<usize>, Row)>) -> Option<Vec<Spanned<RowFile>>> {
    rows.into_iter()
        .map(|(span, row)| Some(Spanned::new(span, row.finish()?)))
        .collect()
}

struct Reader<'a> {
    source: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// A comment may hold any character but a control character other than tab.
    fn skip_comment(&mut self) -> Option<()> {
        if self.peek() != Some(b'#') {
            return Some(());
        }
        self.at += 1;
        while let Some(b) = self.peek() {
            match b {
                b'\n' | b'\r' => break,
                b'\t' => {}
                0..=0x1f | 0x7f => return None,
                _ => {}
            }
            self.at += 1;
        }
        Some(())
    }

    /// Steps over one newline: `Some(false)` if there is none here, `None` at a lone CR.
    fn newline(&mut self) -> Option<bool> {
        match self.peek() {
            Some(b'\n') => self.at += 1,
            Some(b'\r') if self.bytes.get(self.at + 1) == Some(&b'\n') => self.at += 2,
            Some(b'\r') => return None,
            _ => return Some(false),
        }
        Some(true)
    }

    /// Steps over blank and comment lines (and the spaces that start the next one).
    fn skip_blank_lines(&mut self) -> Option<()> {
        loop {
            self.skip_spaces();
            self.skip_comment()?;
            if !self.newline()? {
                return Some(());
            }
        }
    }

    /// What may follow a statement: spaces, a comment, then a newline or the end.
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_spaces();
        self.skip_comment()?;
        if self.newline()? || self.peek().is_none() {
            Some(())
        } else {
            None
        }
    }

    /// Opens the table a `[[...]]` header names; its span is the header, as in `toml`.
    fn header(&mut self, top: &mut Top) -> Option<Table> {
        const HEADERS: [(&str, Table); 3] = [
            ("[[rows]]", Table::Row),
            ("[[footnotes]]", Table::Footnote),
            ("[[footnotes.rows]]", Table::FootnoteRow),
        ];
        let rest = &self.bytes[self.at..];
        let (name, table) = HEADERS
            .into_iter()
            .find(|(name, _)| rest.starts_with(name.as_bytes()))?;
        let span = self.at..self.at + name.len();
        self.at = span.end;
        self.end_of_line()?;
        match table {
            Table::Row => top.rows.push((span, Row::default())),
            Table::Footnote => top.footnotes.push(Footnote::default()),
            // Before any `[[footnotes]]`, TOML would make `footnotes` a table: `None`.
            _ => top.footnotes.last_mut()?.rows.push((span, Row::default())),
        }
        Some(table)
    }

    /// A bare key and its `=`.
    fn key(&mut self) -> Option<&'a str> {
        let start = self.at;
        while matches!(
            self.peek(),
            Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-')
        ) {
            self.at += 1;
        }
        let key = &self.source[start..self.at];
        self.skip_spaces();
        if key.is_empty() || self.peek() != Some(b'=') {
            return None;
        }
        self.at += 1;
        self.skip_spaces();
        Some(key)
    }

    fn value(&mut self) -> Option<Value<'a>> {
        match self.peek()? {
            b'"' | b'\'' => {
                let (text, _) = self.string()?;
                Some(Value::Str(text))
            }
            b'[' => self.array(),
            b't' => self.word(b"true", Value::Bool(true)),
            b'f' => self.word(b"false", Value::Bool(false)),
            b'0'..=b'9' => self.integer(),
            _ => None,
        }
    }

    /// What may follow a value: a space, a comment, a newline, a comma, a bracket, the end.
    fn at_delimiter(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(b' ' | b'\t' | b'#' | b'\n' | b'\r' | b',' | b']')
        )
    }

    fn word(&mut self, word: &[u8], value: Value<'a>) -> Option<Value<'a>> {
        if !self.bytes[self.at..].starts_with(word) {
            return None;
        }
        self.at += word.len();
        self.at_delimiter().then_some(value)
    }

    /// A decimal integer without sign, underscores or leading zeros.
    fn integer(&mut self) -> Option<Value<'a>> {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        let digits = &self.source[start..self.at];
        if (digits.len() > 1 && digits.starts_with('0')) || digits.len() > 18 {
            return None;
        }
        if !self.at_delimiter() {
            return None;
        }
        digits.parse().ok().map(Value::Int)
    }

    /// A one-line basic or literal string; its span includes the quotes, as in `toml`.
    fn string(&mut self) -> Option<(Cow<'a, str>, Range<usize>)> {
        let start = self.at;
        let quote = self.bytes[start];
        if self.bytes.get(start + 1) == Some(&quote) && self.bytes.get(start + 2) == Some(&quote) {
            return None; // a multi-line string
        }
        self.at += 1;
        let mut unescaped: Option<String> = None;
        let mut run = self.at;
        loop {
            // The quote or a backslash ends a run of plain text, which is checked for control
            // characters in one pass the compiler can vectorise.
            let stop = &self.bytes[self.at..];
            let len = if quote == b'"' {
                memchr::memchr2(quote, b'\\', stop)?
            } else {
                memchr::memchr(quote, stop)?
            };
            let control = stop[..len].iter().fold(false, |found, &b| {
                found | ((b < 0x20) & (b != b'\t')) | (b == 0x7f)
            });
            if control {
                return None;
            }
            self.at += len;
            if self.bytes[self.at] == quote {
                break;
            }
            let escaped = match self.bytes.get(self.at + 1)? {
                b'"' => '"',
                b'\\' => '\\',
                b'n' => '\n',
                b't' => '\t',
                _ => return None,
            };
            let text = unescaped.get_or_insert_with(String::new);
            text.push_str(&self.source[run..self.at]);
            text.push(escaped);
            self.at += 2;
            run = self.at;
        }
        let text = match unescaped {
            Some(mut text) => {
                text.push_str(&self.source[run..self.at]);
                Cow::Owned(text)
            }
            None => Cow::Borrowed(&self.source[run..self.at]),
        };
        self.at += 1;
        self.at_delimiter().then_some((text, start..self.at))
    }

    /// An array of strings, over as many lines and comments as it likes.
    fn array(&mut self) -> Option<Value<'a>> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_blank_lines()?;
            match self.peek()? {
                b']' => break,
                b'"' | b'\'' => items.push(self.string()?),
                _ => return None,
            }
            self.skip_blank_lines()?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.at += 1;
        Some(Value::Strs(items))
    }
}

/// The damage `tests/fuzz_parsers.rs` does to its inputs, for this reader's property test.
#[cfg(test)]
#[path = "../../../tests/common/mutate.rs"]
mod mutate;

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::mutate::mutate;

    use super::*;

    /// The fast reader's answer, after checking that `toml` reads the same (or that the fast
    /// reader declined).
    fn read_checked(source: &str) -> Option<TableFile> {
        let fast = read(source)?;
        let slow = toml::from_str::<TableFile>(source)
            .unwrap_or_else(|e| panic!("toml rejects what the fast reader took: {e}\n{source}"));
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{source}");
        Some(fast)
    }

    fn example_tables() -> Vec<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/content/releases");
        let mut tables = Vec::new();
        for release in std::fs::read_dir(root).unwrap() {
            for table in std::fs::read_dir(release.unwrap().path().join("tables")).unwrap() {
                tables.push(std::fs::read_to_string(table.unwrap().path()).unwrap());
            }
        }
        assert!(tables.len() >= 7, "the example's tables are there");
        // Every kind of cell (percents, markers, blank) for the damage to work on.
        let cells = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/cells/content/releases/2006-q1/tables/operations.toml"
        );
        tables.push(std::fs::read_to_string(cells).unwrap());
        tables
    }

    const HEAD: &str = "title = \"T\"\nunits = \"In thousands\"\ncolumns = [\"2006-Q1\"]\n";

    #[test]
    fn reads_every_example_table_as_toml_does() {
        for table in example_tables() {
            assert!(read_checked(&table).is_some(), "declined:\n{table}");
        }
    }

    #[test]
    fn reads_the_plain_subset_as_toml_does() {
        let row = "[[rows]]\nid = \"revenue\"\nlabel = \"Revenue\"\nvalues = [\"1\"]\n";
        for source in [
            format!("{HEAD}{row}"),
            format!("{HEAD}{row}").replace('\n', "\r\n"),
            format!(
                "# comment é\n\n  {HEAD}\t# tab\n  [[rows]]   # here\n  id='a\\b'\nlabel = \"x \\\"y\\\" \\\\ \\n \\t\"\n"
            ),
            format!(
                "{HEAD}non_gaap = true\n{row}kind = \"grand_total\"\nindent = 2\ncurrency = false\nnon_gaap = false\ncomparable = \"net_loss\"\nnotes = []\n"
            ),
            format!("{HEAD}{row}equals = [\n  \"a + b\", # first\n  'c',\n]\n"),
            format!("{HEAD}{row}not_additive = \"beginning-of-period balance\"\n"),
            format!("{HEAD}scale = \"millions\"\n{row}kind = \"shares\"\nscale = \"thousands\"\n"),
            format!("{HEAD}scale = \"actual\"\n{row}unit = \"percent\"\n"),
            format!("{HEAD}restated = [\n  \"2006-Q1\", # restated\n]\n{row}"),
            format!(
                "{HEAD}{row}equals = \"a\"\n[[footnotes]]\nmarker = \"1\"\ntext = \"t\"\n[[footnotes.rows]]\nid = \"b\"\nlabel = \"B\"\n[[footnotes]]\nmarker = \"2\"\ntext = \"u\"\n[[rows]]\nid = \"c\"\nlabel = \"C\""
            ),
            format!("{HEAD}{row}values = [\"-1.5\", \"nil\", \"N/A\", \"\"]\n")
                .replace("values = [\"1\"]\n", ""),
            format!("{HEAD}{row}values = [\"8.0%\", \"-3%\", \"NM\", \"n/m\", \"*\", \"blank\"]\n")
                .replace("values = [\"1\"]\n", ""),
        ] {
            assert!(read_checked(&source).is_some(), "declined:\n{source}");
        }
    }

    #[test]
    fn declines_what_is_not_plain_or_not_valid() {
        let row = "[[rows]]\nid = \"a\"\nlabel = \"A\"\n";
        for source in [
            // Not TOML at all.
            format!("{HEAD}title = \"again\"\n"),
            format!("{HEAD}{row}label = \"again\"\n"),
            format!("{HEAD}{row}not_additive = \"a\"\nnot_additive = \"b\"\n"),
            format!("{HEAD}{row}indent = 01\n"),
            format!("{HEAD}{row}indent = 1 2\n"),
            format!("{HEAD}{row}values = [\"1\" \"2\"]\n"),
            format!("{HEAD}{row}values = [,]\n"),
            format!("{HEAD}{row}label2 = \"x\" y\n"),
            format!("{HEAD}\r{row}"),
            format!("{HEAD}# bell \u{7}\n{row}"),
            format!("{HEAD}{row}id2 = \"tab\u{7f}\"\n"),
            format!("{HEAD}[[rows]] id = \"a\"\n"),
            format!("{HEAD}{row}label3 = \"a\nb\"\n"),
            format!("{HEAD}{row}label3 = \"unterminated\n"),
            // TOML, but outside the subset or the schema: `toml` reads or explains these.
            format!("{HEAD}{row}label3 = \"\"\"multi\"\"\"\n"),
            format!("{HEAD}{row}label3 = \"\\u00e9\"\n"),
            format!("{HEAD}{row}indent = +1\n"),
            format!("{HEAD}{row}indent = 1_0\n"),
            format!("{HEAD}{row}indent = 256\n"),
            format!("{HEAD}{row}kind = \"sum\"\n"),
            format!("{HEAD}scale = \"trillions\"\n{row}"),
            format!("{HEAD}{row}unit = \"dollars\"\n"),
            format!("{HEAD}{row}scale = \"millions\"\nscale = \"millions\"\n"),
            format!("{HEAD}{row}values = [\"12,5\"]\n"),
            format!("{HEAD}{row}values = [\"(1)\"]\n"),
            format!("{HEAD}{row}values = [\"(3)%\"]\n"),
            format!("{HEAD}{row}values = [\"8 %\"]\n"),
            format!("{HEAD}{row}values = [\"Blank\"]\n"),
            format!("{HEAD}{row}values = [1]\n"),
            format!("{HEAD}{row}not_additive = true\n"),
            format!("tolerance = \"1\"\n{HEAD}{row}"),
            format!("{HEAD}{row}\"quoted\" = 1\n"),
            format!("{HEAD}{row}a.b = 1\n"),
            format!("{HEAD}[[ rows ]]\nid = \"a\"\nlabel = \"A\"\n"),
            format!("{HEAD}[[footnotes.rows]]\nid = \"a\"\nlabel = \"A\"\n"),
            format!("{HEAD}rows = []\n"),
            format!("{HEAD}[[rows]]\nid = \"a\"\n"),
            format!("\u{feff}{HEAD}"),
            HEAD.replace("title = \"T\"\n", ""),
        ] {
            assert!(read_checked(&source).is_none(), "read:\n{source}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever the fast reader accepts of a damaged table, `toml` reads to the same value.
        #[test]
        fn agrees_with_toml_on_damaged_tables(
            table in prop::sample::select(example_tables()),
            edits in prop::collection::vec(
                (
                    any::<prop::sample::Index>(),
                    0usize..4,
                    "[\"'\\\\\\[\\]=,.#\n\r\t _a-z0-9é\u{7}\u{7f}\u{feff}]{0,4}",
                ),
                1..4,
            ),
        ) {
            read_checked(&mutate(&table, &edits));
        }
    }
}
