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

/// The first control character of `text` that is not a tab, a line feed or the CR of a CRLF,
/// with its byte offset.
///
/// Every such character is found by its bytes in UTF-8: a C0 control or DEL is one byte, a C1
/// control is 0xC2 followed by 0x80–0x9F. Blocks of 64 bytes are first tested with no early
/// exit, which the compiler turns into vector instructions: every source is read through here,
/// and most hold no byte worth a second look.
fn first_refused(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let suspect = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f || b == 0xc2;
    for (block, chunk) in bytes.chunks(64).enumerate() {
        if !chunk.iter().fold(false, |any, &b| any | suspect(b)) {
            continue;
        }
        for (i, &b) in chunk.iter().enumerate() {
            let at = block * 64 + i;
            let next = bytes.get(at + 1).copied();
            match b {
                b'\r' if next == Some(b'\n') => {}
                0xc2 => {
                    if let Some(c1 @ 0x80..=0x9f) = next {
                        return Some((at, char::from(c1)));
                    }
                }
                b if suspect(b) => return Some((at, char::from(b))),
                _ => {}
            }
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

    /// The rule as characters state it, which the byte scan must agree with.
    fn by_chars(text: &str) -> Option<(usize, char)> {
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let crlf = c == '\r' && chars.peek().is_some_and(|(_, next)| *next == '\n');
            if c.is_control() && c != '\t' && c != '\n' && !crlf {
                return Some((at, c));
            }
        }
        None
    }

    #[test]
    fn the_byte_scan_agrees_with_the_rule_on_characters() {
        // Characters next to the edges: C0, DEL, C1, no-break space and other 0xC2 letters,
        // CR before and not before LF, across the 64-byte blocks.
        let alphabet = [
            "a", "é", "\u{a0}", "©", "\u{80}", "\u{9f}", "\u{7f}", "\u{0}", "\u{1f}", "\t", "\n",
            "\r", "\r\n", "—",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2_000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 150) as usize;
            let mut state = seed;
            for _ in 0..len {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                // Mostly letters, so that a refused character often lies deep in the text.
                let pick = (state >> 33) as usize % (alphabet.len() * 8);
                text.push_str(if pick < alphabet.len() {
                    alphabet[pick]
                } else {
                    "a"
                });
            }
            assert_eq!(first_refused(&text), by_chars(&text), "{text:?}");
        }
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
