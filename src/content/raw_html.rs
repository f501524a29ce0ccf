//! What raw HTML in a release's Markdown may contain: ONE allow-list, read by the check that
//! refuses anything else (with the line and what was refused, so an IR team learns that what
//! they wrote would not be published) and by the sanitizer every rendered body with raw HTML
//! goes through ([`crate::render::sanitize`]), as defence in depth.
//!
//! The check reads the raw HTML with a real HTML tokenizer (html5gum), so character references,
//! any quoting, case and line breaks are read as a browser reads them: `&#106;avascript:`,
//! `java&#9;script:` and `JaVaScRiPt:` are the `javascript:` they are. Every URL goes through
//! the site's link rule ([`crate::content::urls::check_link`]).
//!
//! HTML comments are allowed and are not published (they are the authors' notes).

use std::convert::Infallible;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

use crate::content::urls::check_link;

/// The elements raw HTML may use, each with the attributes it may carry besides [`GENERIC`].
/// It keeps what releases use (tables, `sup`, `sub`, `abbr`, `br`, links, images with `alt`)
/// and everything pulldown-cmark itself writes, so a body is published as written.
pub const ELEMENTS: &[(&str, &[&str])] = &[
    ("a", &["href"]),
    ("abbr", &[]),
    ("b", &[]),
    ("blockquote", &[]),
    ("br", &[]),
    ("caption", &[]),
    ("cite", &[]),
    ("code", &[]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("dd", &[]),
    ("del", &[]),
    ("div", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("em", &[]),
    ("figcaption", &[]),
    ("figure", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("hr", &[]),
    ("i", &[]),
    ("img", &["src", "alt", "width", "height"]),
    ("ins", &[]),
    ("li", &["value"]),
    ("ol", &["start", "type"]),
    ("p", &[]),
    ("pre", &[]),
    ("s", &[]),
    ("small", &[]),
    ("span", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("sup", &[]),
    ("table", &[]),
    ("tbody", &[]),
    ("td", &["colspan", "rowspan", "style"]),
    ("tfoot", &[]),
    ("th", &["colspan", "rowspan", "scope", "style"]),
    ("thead", &[]),
    ("tr", &[]),
    ("u", &[]),
    ("ul", &[]),
];

/// Attributes any allowed element may carry: the site's ids and anchors, its CSS classes, and
/// `title` (which gives `abbr` its expansion).
pub const GENERIC: &[&str] = &["id", "class", "title", "lang"];

/// The only `style` values allowed: the alignments pulldown-cmark writes on table cells.
pub const STYLES: &[&str] = &[
    "text-align: left",
    "text-align: center",
    "text-align: right",
];

/// Whether raw HTML may use the element `name` (lower case).
pub fn element_allowed(name: &str) -> bool {
    ELEMENTS.binary_search_by(|(e, _)| e.cmp(&name)).is_ok()
}

/// `Ok` where `element` may carry `attribute="value"` (names in lower case, the value with its
/// character references decoded); otherwise why not.
pub fn attribute_allowed(element: &str, attribute: &str, value: &str) -> Result<(), String> {
    let own = ELEMENTS
        .binary_search_by(|(e, _)| e.cmp(&element))
        .map_or(&[][..], |i| ELEMENTS[i].1);
    if !GENERIC.contains(&attribute) && !own.contains(&attribute) {
        let why = if attribute.starts_with("on") {
            " (event handlers run scripts)"
        } else {
            ""
        };
        return Err(format!(
            "the attribute `{attribute}` on <{element}> is not allowed{why}"
        ));
    }
    match attribute {
        "href" | "src" => check_link(value),
        "style" if !STYLES.contains(&value.trim_end_matches(';').trim()) => Err(format!(
            "style={value:?} on <{element}> is not allowed; only text-align: left, center or \
             right"
        )),
        _ => Ok(()),
    }
}

/// An attribute read: where it starts, its name, and its value.
type Attribute = (usize, String, String);

/// Checks the attribute just read, if any, against the allow-list.
fn finish_attribute(element: &str, found: &mut Vec<(usize, String)>, read: &mut Option<Attribute>) {
    if let Some((at, name, value)) = read.take()
        && element_allowed(element)
        && let Err(why) = attribute_allowed(element, &name, &value)
    {
        found.push((at, why));
    }
}

/// What raw HTML holds that may not be published: each problem with the byte offset in `html`
/// where it was found. Empty when all of it is allowed.
pub fn refused(html: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut element = String::new();
    // The attribute being read: where it starts, its name, and its value once read.
    let mut attribute: Option<Attribute> = None;
    let emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, span: Span<usize>| {
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).to_ascii_lowercase();
        match event {
            CallbackEvent::OpenStartTag { name } => {
                element = text(name);
                if !element_allowed(&element) {
                    found.push((
                        span.start,
                        format!("the element <{element}> is not allowed"),
                    ));
                }
            }
            CallbackEvent::AttributeName { name } => {
                finish_attribute(&element, &mut found, &mut attribute);
                attribute = Some((span.start, text(name), String::new()));
            }
            CallbackEvent::AttributeValue { value } => {
                if let Some((_, _, read)) = &mut attribute {
                    *read = String::from_utf8_lossy(value).into_owned();
                }
            }
            CallbackEvent::CloseStartTag { .. } => {
                finish_attribute(&element, &mut found, &mut attribute);
            }
            CallbackEvent::EndTag { name } => {
                // Attributes on an end tag are dropped by every parser: not published either.
                attribute = None;
                element = text(name);
                if !element_allowed(&element) {
                    found.push((
                        span.start,
                        format!("the element </{element}> is not allowed"),
                    ));
                }
            }
            CallbackEvent::Error(html5gum::Error::EofInTag) => found.push((
                span.start,
                "a tag is not closed with `>` before the raw HTML ends (a blank line ends it)"
                    .to_string(),
            )),
            CallbackEvent::Error(html5gum::Error::EofInComment) => {
                found.push((span.start, "a comment is not closed with `-->`".to_string()))
            }
            CallbackEvent::Doctype { .. } => {
                found.push((span.start, "a doctype is not allowed".to_string()));
            }
            _ => {}
        }
        None::<Infallible>
    });
    let _ = Tokenizer::new_with_emitter(html, emitter).finish();
    found.sort_by_key(|(at, _)| *at);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_is_sorted_for_binary_search() {
        assert!(ELEMENTS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
