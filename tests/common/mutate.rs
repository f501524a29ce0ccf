//! Damaging text for property tests: shared by `tests/fuzz_parsers.rs` and the unit tests of
//! the fast table reader (`src/content/table/plain.rs`), each including it by path.

use proptest::prelude::*;

/// Deletes and inserts at a few places of `text`, on character boundaries.
pub fn mutate(text: &str, edits: &[(prop::sample::Index, usize, String)]) -> String {
    let mut out = text.to_string();
    for (at, delete, insert) in edits {
        let mut start = at.index(out.len() + 1);
        while !out.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + delete).min(out.len());
        while !out.is_char_boundary(end) {
            end += 1;
        }
        out.replace_range(start..end, insert);
    }
    out
}
