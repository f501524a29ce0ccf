//! The sanitizer every rendered body with raw HTML goes through, once, whole (pulldown-cmark
//! hands raw HTML over in pieces, and only the whole body reads as a browser reads it).
//!
//! ammonia (html5ever's parser) keeps what the allow-list of [`crate::content::raw_html`]
//! allows and drops the rest; the check has already refused anything it would drop, so this is
//! defence in depth, not a silent filter. Its output is HTML5 serialisation (`<br>`,
//! `&nbsp;`), which is re-written here token by token in the form pulldown-cmark writes
//! (`<br />`, characters for references), so every page stays well-formed XML as well as HTML.
//!
//! A body without raw HTML is not sanitized: pulldown-cmark escapes all its text, and its link
//! and image destinations are checked as they are read ([`super::markdown`]).

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};
use pulldown_cmark_escape::{escape_html, escape_html_body_text};

use crate::content::raw_html::{ELEMENTS, GENERIC, attribute_allowed};
use crate::content::urls::SCHEMES;

/// Elements written with no end tag, as `<br />`.
const VOID: &[&str] = &["br", "col", "hr", "img"];

/// Whose content goes with them, not only their tags.
const DROPPED_WITH_CONTENT: &[&str] = &["script", "style"];

/// The sanitizer, made once: building one sets up ammonia's default sets before ours replace
/// them, which costs more than cleaning a paragraph. It is a constant (nothing changes it).
static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .tags(ELEMENTS.iter().map(|(element, _)| *element).collect())
        .tag_attributes(
            ELEMENTS
                .iter()
                .map(|(element, own)| (*element, own.iter().copied().collect()))
                .collect::<HashMap<_, HashSet<_>>>(),
        )
        .generic_attributes(GENERIC.iter().copied().collect())
        .url_schemes(SCHEMES.iter().copied().collect())
        .url_relative(UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .attribute_filter(|element, attribute, value| {
            attribute_allowed(element, attribute, value)
                .ok()
                .map(|()| value.into())
        });
    builder
});

/// `html` with what the allow-list does not allow removed, written as well-formed XHTML.
pub fn sanitize(html: &str) -> String {
    xhtml(&SANITIZER.clean(html).to_string())
}

/// Re-writes HTML5 serialisation (every element closed, as html5ever writes it) as XHTML.
fn xhtml(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut element: Vec<u8> = Vec::new();
    let mut in_value = false;
    let emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| {
        let text = |bytes| std::str::from_utf8(bytes).unwrap_or_default();
        match event {
            CallbackEvent::OpenStartTag { name } => {
                element.clear();
                element.extend_from_slice(name);
                out.push('<');
                out.push_str(text(name));
            }
            CallbackEvent::AttributeName { name } => {
                if in_value {
                    out.push('"');
                }
                out.push(' ');
                out.push_str(text(name));
                out.push_str("=\"");
                in_value = true;
            }
            CallbackEvent::AttributeValue { value } => {
                let _ = escape_html(&mut out, text(value));
            }
            CallbackEvent::CloseStartTag { .. } => {
                if in_value {
                    out.push('"');
                    in_value = false;
                }
                let void = VOID.iter().any(|v| v.as_bytes() == element.as_slice());
                out.push_str(if void { " />" } else { ">" });
            }
            CallbackEvent::EndTag { name } => {
                out.push_str("</");
                out.push_str(text(name));
                out.push('>');
            }
            CallbackEvent::String { value } => {
                let _ = escape_html_body_text(&mut out, text(value));
            }
            _ => {}
        }
        None::<Infallible>
    });
    let _ = Tokenizer::new_with_emitter(html, emitter).finish();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sanitizer_alone_drops_every_bypass_the_check_refuses() {
        for (html, _) in crate::render::markdown::tests::BYPASSES {
            let clean = sanitize(html).to_ascii_lowercase();
            for gone in [
                "javascript",
                "onclick",
                "onerror",
                "<script",
                "<iframe",
                "<object",
                "style=",
                "evil.example",
                "data:",
                "<form",
                "<svg",
            ] {
                assert!(!clean.contains(gone), "{html:?} became {clean:?}");
            }
        }
    }

    #[test]
    fn output_is_well_formed_xml_with_void_elements_closed() {
        let clean = sanitize("<p>a<br>b&nbsp;&amp;<img src=\"x.png\" alt=\"&quot;q&quot;\"></p>");
        assert_eq!(
            clean,
            "<p>a<br />b\u{a0}&amp;<img src=\"x.png\" alt=\"&quot;q&quot;\" /></p>"
        );
    }
}
