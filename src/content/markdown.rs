//! Markdown as pulldown-cmark reads it, for every reader of the prose: the options the site
//! renders with, and one walk over a text's events that collects what the checks need.
//!
//! The renderer ([`crate::render::markdown`]) writes the page from the walk's events and gives
//! its headings their ids; the audit ([`crate::check`]) reads the same headings for Regulation G
//! and the `<!-- TODO -->` notes of a scaffolded release. What the page shows as a heading
//! (ATX or setext, at the top level, in a block quote or in a list) is what the check reads,
//! and a `#` line in a code block is neither. The same walk hands the renderer what its checks
//! of the author's markup read: each piece of raw HTML (an HTML block whole, as pulldown-cmark
//! hands it over line by line) and each link and image destination, with where it starts, so
//! an error can name its line without parsing the text a second time.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// The extensions the site's Markdown is read with. The math extension stays off: it would
/// read the "$" of "$42.6 million" as a formula.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A heading of a Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The index of its `Start` event in [`Walk::events`].
    pub event: usize,
    /// Where it starts in the text, in bytes.
    pub offset: usize,
    /// Its text and code, without markup ("Use of Non-GAAP Measures").
    pub text: String,
    /// The id it asks for (`## Title {#id}`), if any.
    pub id: Option<String>,
}

/// A text's events and what the walk found in them.
#[derive(Debug)]
pub struct Walk<'a> {
    pub events: Vec<Event<'a>>,
    pub headings: Vec<Heading>,
    /// Raw HTML that opens with `<!-- TODO` (a note `irsite new` leaves), with its offset.
    pub todos: Vec<(usize, String)>,
    /// Raw HTML, in order, with its offset: inline HTML piece by piece, an HTML block whole
    /// (a tag split over its lines is one tag), as a browser would read it.
    pub raw_html: Vec<(usize, CowStr<'a>)>,
    /// Link and image destinations, in order, with the offset of their link or image.
    pub destinations: Vec<(usize, CowStr<'a>)>,
}

/// Parses `text` once, keeping its events and collecting its headings, TODO notes, raw HTML
/// and link destinations.
pub fn walk(text: &str) -> Walk<'_> {
    let mut events = Vec::new();
    let mut headings = Vec::new();
    let mut todos = Vec::new();
    let mut raw_html = Vec::new();
    let mut destinations = Vec::new();
    // Headings do not nest: at most one is open.
    let mut open: Option<Heading> = None;
    // The HTML block being read, which pulldown-cmark hands over line by line: where it starts
    // and its lines so far (borrowed while there is one).
    let mut block: Option<(usize, CowStr<'_>)> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                destinations.push((range.start, dest_url.clone()));
            }
            Event::Start(Tag::HtmlBlock) => block = Some((range.start, CowStr::Borrowed(""))),
            Event::End(TagEnd::HtmlBlock) => raw_html.extend(block.take()),
            _ => {}
        }
        match &event {
            Event::Start(Tag::Heading { id, .. }) => {
                open = Some(Heading {
                    event: events.len(),
                    offset: range.start,
                    text: String::new(),
                    id: id.as_ref().map(ToString::to_string),
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(heading) = &mut open {
                    heading.text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => headings.extend(open.take()),
            Event::Html(html) | Event::InlineHtml(html) => {
                if html.trim_start().starts_with("<!-- TODO") {
                    todos.push((range.start, html.trim().to_string()));
                }
                match (&event, &mut block) {
                    (Event::Html(_), Some((_, read))) if read.is_empty() => *read = html.clone(),
                    (Event::Html(_), Some((_, read))) => {
                        *read = CowStr::from(format!("{read}{html}"));
                    }
                    _ => raw_html.push((range.start, html.clone())),
                }
            }
            _ => {}
        }
        events.push(event);
    }
    Walk {
        events,
        headings,
        todos,
        raw_html,
        destinations,
    }
}

/// The line of `offset` in `text`, the text's first line being `first_line`.
pub fn line_at(text: &str, first_line: usize, offset: usize) -> usize {
    first_line + memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(text: &str) -> Vec<(usize, String)> {
        walk(text)
            .headings
            .into_iter()
            .map(|h| (line_at(text, 1, h.offset), h.text))
            .collect()
    }

    #[test]
    fn headings_are_what_markdown_makes_headings() {
        assert_eq!(
            headings("# One\n\nTwo\n---\n\n> ### Three `x`\n\n- item\n\n  ## Four {#four}\n"),
            [
                (1, "One".to_string()),
                (3, "Two".to_string()),
                (6, "Three x".to_string()),
                (10, "Four".to_string()),
            ]
        );
        assert_eq!(
            walk("## Four {#four}").headings[0].id.as_deref(),
            Some("four")
        );
        assert!(headings("```\n# no\n```\n\n    # no\n\n#1 provider\n").is_empty());
    }

    #[test]
    fn raw_html_is_read_whole_block_by_block_with_its_line() {
        let text = "Intro <b>bold</b>.\n\n<table>\n<tr><td\nonclick=\"x\">1</td></tr>\n</table>\n\n\
            [a](https://example.com/) ![b](c.png)\n\n```\n<i>code</i>\n```\n";
        let walked = walk(text);
        let raw: Vec<(usize, &str)> = walked
            .raw_html
            .iter()
            .map(|(offset, html)| (line_at(text, 1, *offset), &**html))
            .collect();
        assert_eq!(
            raw,
            [
                (1, "<b>"),
                (1, "</b>"),
                (3, "<table>\n<tr><td\nonclick=\"x\">1</td></tr>\n</table>\n"),
            ]
        );
        let destinations: Vec<(usize, &str)> = walked
            .destinations
            .iter()
            .map(|(offset, url)| (line_at(text, 1, *offset), &**url))
            .collect();
        assert_eq!(destinations, [(8, "https://example.com/"), (8, "c.png")]);
    }

    #[test]
    fn todo_notes_are_raw_html_outside_code() {
        let text = "<!-- TODO: the outlook -->\n\nText <!-- TODO inline -->.\n\n```\n<!-- TODO no -->\n```\n";
        let todos: Vec<(usize, String)> = walk(text)
            .todos
            .into_iter()
            .map(|(offset, note)| (line_at(text, 1, offset), note))
            .collect();
        assert_eq!(
            todos,
            [
                (1, "<!-- TODO: the outlook -->".to_string()),
                (3, "<!-- TODO inline -->".to_string())
            ]
        );
    }
}
