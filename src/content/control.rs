//! Control characters are refused in every source, at load, with the file, the line and (for a
//! TOML string) the key: a NUL, an ESC or a bare CR in a title would make the feed and the chart
//! SVGs ill-formed XML, put a NUL in pages, and start a new line in the calendar file. Text may
//! hold tabs and line breaks (LF, or CRLF line endings); no other C0 control, DEL or C1 control.
//!
//! Two checks, as a control character reaches a value in two ways: written as is in the file
//! ([`refuse_in_source`], run on every file read as text), or written as a TOML escape such as
//! `"\r"` or `"\u0000"` ([`refuse_in_toml_strings`], on the strings `toml_edit` parses).

use std::path::Path;

use crate::error::{Error, Location, Result};

/// Whether `c` is a control character text may not hold (a CR is judged with what follows it).
fn refused(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// The first control character of `text` that is not a tab, a line feed or the CR of a CRLF,
/// with its byte offset.
fn first_refused(text: &str) -> Option<(usize, char)> {
    // A byte pass first: C0 and DEL are single bytes, and every C1 control starts with 0xC2.
    let suspect = |b: &u8| (*b < 0x20 && *b != b'\t' && *b != b'\n') || *b == 0x7f || *b == 0xc2;
    if !text.as_bytes().iter().any(suspect) {
        return None;
    }
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let crlf = c == '\r' && chars.peek().is_some_and(|(_, next)| *next == '\n');
        if refused(c) && !crlf {
            return Some((at, c));
        }
    }
    None
}

fn why(c: char) -> String {
    format!(
        "a control character (U+{:04X}); text may hold tabs and line breaks, but no other \
         control character, which would break the feed, the charts, the pages and the calendar \
         file: remove it",
        u32::from(c)
    )
}

/// Refuses a control character written as is in `source`, the text of the file at `path`.
pub fn refuse_in_source(path: &Path, source: &str) -> Result<()> {
    match first_refused(source) {
        Some((at, c)) => Err(Error::input(
            Location::line(path, crate::error::line_of(source, at)),
            why(c),
        )),
        None => Ok(()),
    }
}

/// Refuses a control character that an escape puts in a string of the TOML `toml`, which starts
/// at byte `base` of `source`, the text of the file at `path`. TOML `toml_edit` cannot parse is
/// left to the parser that reads it, which reports the error.
pub fn refuse_in_toml_strings(path: &Path, source: &str, base: usize, toml: &str) -> Result<()> {
    // Only an escape writes a control character the source scan has not seen; most files have
    // none, and are not parsed a second time.
    if !toml.contains('\\') {
        return Ok(());
    }
    let Ok(document) = toml_edit::Document::parse(toml) else {
        return Ok(());
    };
    let mut found = None;
    walk_table(document.as_table(), "", &mut found);
    match found {
        Some((key, offset, c)) => Err(Error::at_offset(
            path,
            source,
            base + offset,
            format!("`{key}` holds {}", why(c)),
        )),
        None => Ok(()),
    }
}

/// The first refused character: the key path (`call.title`, `rows.label`), the value's offset.
type Found = Option<(String, usize, char)>;

fn walk_table(table: &dyn toml_edit::TableLike, prefix: &str, found: &mut Found) {
    for (key, item) in table.iter() {
        if found.is_some() {
            return;
        }
        let path = match prefix {
            "" => key.to_string(),
            _ => format!("{prefix}.{key}"),
        };
        match item {
            toml_edit::Item::Value(value) => walk_value(value, &path, found),
            toml_edit::Item::Table(table) => walk_table(table, &path, found),
            toml_edit::Item::ArrayOfTables(tables) => {
                for table in tables {
                    walk_table(table, &path, found);
                }
            }
            toml_edit::Item::None => {}
        }
    }
}

fn walk_value(value: &toml_edit::Value, path: &str, found: &mut Found) {
    match value {
        toml_edit::Value::String(text) => {
            if found.is_none()
                && let Some((_, c)) = first_refused(text.value())
            {
                let offset = text.span().map_or(0, |span| span.start);
                *found = Some((path.to_string(), offset, c));
            }
        }
        toml_edit::Value::Array(array) => {
            for value in array {
                walk_value(value, path, found);
            }
        }
        toml_edit::Value::InlineTable(table) => walk_table(table, path, found),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_and_line_breaks_are_text_and_other_controls_are_not() {
        assert_eq!(first_refused("a\tb\nc\r\nd"), None);
        assert_eq!(first_refused("ab\rc"), Some((2, '\r')));
        assert_eq!(first_refused("a\u{0}"), Some((1, '\u{0}')));
        assert_eq!(first_refused("é\u{7f}"), Some((2, '\u{7f}')));
        assert_eq!(first_refused("\u{85}"), Some((0, '\u{85}')));
        assert_eq!(first_refused("a\r"), Some((1, '\r')));
    }

    #[test]
    fn escaped_controls_name_their_key_and_line() {
        let path = Path::new("x.toml");
        let toml = "a = \"ok\\tfine\\n\"\n[call]\nlines = [{ label = \"x\\u0007\" }]\n";
        let message = refuse_in_toml_strings(path, toml, 0, toml)
            .unwrap_err()
            .to_string();
        assert!(message.starts_with("x.toml:3:"), "{message}");
        assert!(message.contains("`call.lines.label`"), "{message}");
        assert!(message.contains("U+0007"), "{message}");
        assert!(refuse_in_toml_strings(path, "a = 'x\\u0007'", 0, "a = 'x\\u0007'").is_ok());
    }
}
