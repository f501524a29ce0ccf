//! Markdown to HTML with pulldown-cmark: tables, footnotes, smart punctuation and heading ids.
//!
//! The text is read by [`crate::content::markdown::walk`], the one walk the audit reads headings
//! from too (options: no math, which would read the "$" of "$42.6 million" as a formula); the
//! walk also hands over the raw HTML and link destinations with their offsets, so the checks
//! below name a line without a second parse. Link and image destinations follow the site's link policy ([`crate::content::urls`]); raw
//! HTML may hold what the allow-list of [`crate::content::raw_html`] allows, and is refused
//! otherwise, naming the line and what was refused; a body with raw HTML is then sanitized
//! ([`super::sanitize`]) as defence in depth.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Tag};

use crate::content::markdown::{Walk, walk};

/// Ids already used on a page, so generated heading ids never collide.
#[derive(Debug, Default)]
pub struct PageIds(HashSet<String>);

impl PageIds {
    /// Reserves `wanted`, or `wanted-1`, `wanted-2`, ... if taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        let mut id = wanted.to_string();
        let mut n = 1;
        while !self.0.insert(id.clone()) {
            id = format!("{wanted}-{n}");
            n += 1;
        }
        id
    }
}

/// "Use of Non-GAAP Financial Measures" becomes "use-of-non-gaap-financial-measures".
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// A problem found in Markdown: the line of the text it is on (0 for the first), and what it is.
pub type Refused = (usize, String);

/// The line of `text` that `offset` is on, counting from 0.
fn line_of(text: &str, offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset.min(text.len())]).count()
}

/// Refuses raw HTML (from `offset` in `text`) that holds anything the allow-list does not allow.
fn check_raw_html(text: &str, offset: usize, html: &str) -> Result<(), Refused> {
    match crate::content::raw_html::refused(html).into_iter().next() {
        None => Ok(()),
        Some((at, why)) => Err((
            line_of(text, offset) + line_of(html, at),
            format!(
                "raw HTML: {why}; it would not be published (see \"Raw HTML\" in docs/guide.md)"
            ),
        )),
    }
}

/// Renders Markdown to HTML; the error names the line and what was refused. The first
/// `own_html` bytes of `text` are the site's own markup (the dateline), not raw HTML of the
/// author's. A body with raw HTML of the author's is checked against the allow-list and then
/// sanitized whole ([`super::sanitize`]).
pub fn render_markdown(text: &str, own_html: usize, ids: &mut PageIds) -> Result<String, Refused> {
    let Walk {
        mut events,
        headings,
        raw_html,
        destinations,
        ..
    } = walk(text);
    // The first problem in the text, links and raw HTML alike.
    let mut first: Option<(usize, Refused)> = None;
    let mut refuse = |offset: usize, refused: Refused| {
        if first
            .as_ref()
            .is_none_or(|(earliest, _)| offset < *earliest)
        {
            first = Some((offset, refused));
        }
    };
    if let Some((offset, why)) = destinations
        .iter()
        .find_map(|(offset, url)| Some((*offset, crate::content::urls::check_link(url).err()?)))
    {
        refuse(offset, (line_of(text, offset), why));
    }
    let authors = raw_html.iter().filter(|(offset, _)| *offset >= own_html);
    let has_raw_html = authors.clone().next().is_some();
    if let Some((offset, refused)) = authors
        .map(|(offset, html)| (*offset, check_raw_html(text, *offset, html)))
        .find_map(|(offset, checked)| Some((offset, checked.err()?)))
    {
        refuse(offset, refused);
    }
    if let Some((_, refused)) = first {
        return Err(refused);
    }
    for heading in headings {
        let unique = match &heading.id {
            Some(explicit) => ids.claim(explicit),
            None => ids.claim(&slugify(&heading.text)),
        };
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[heading.event] {
            *id = Some(CowStr::from(unique));
        }
    }
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if has_raw_html {
        html = super::sanitize::sanitize(&html);
    }
    Ok(html)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::markdown::options;
    use pulldown_cmark::Parser;

    fn render(md: &str) -> String {
        render_markdown(md, 0, &mut PageIds::default()).unwrap()
    }

    #[test]
    fn dollar_signs_are_text_not_math() {
        let html = render("Revenue of $42.6 million and $(0.6 million).");
        assert!(html.contains("$42.6 million and $(0.6 million)"), "{html}");
    }

    #[test]
    fn headings_get_unique_ids() {
        let mut ids = PageIds::default();
        ids.claim("contacts");
        let html = render_markdown(
            "## Use of Non-GAAP Measures\n\n## Contacts\n\n## Custom {#mine}\n",
            0,
            &mut ids,
        )
        .unwrap();
        assert!(
            html.contains(r#"<h2 id="use-of-non-gaap-measures">"#),
            "{html}"
        );
        assert!(html.contains(r#"<h2 id="contacts-1">"#), "{html}");
        assert!(html.contains(r#"<h2 id="mine">"#), "{html}");
    }

    #[test]
    fn smart_punctuation_and_tables() {
        let html = render(
            "\"Internap started 2006,\" said the CEO's team.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        assert!(
            html.contains("\u{201c}Internap started 2006,\u{201d}"),
            "{html}"
        );
        assert!(html.contains("CEO\u{2019}s"), "{html}");
        assert!(html.contains("<table>"), "{html}");
    }

    /// Raw HTML that would run a script, load a frame or leave the site, however it is written.
    pub(crate) const BYPASSES: &[(&str, &str)] = &[
        ("<a href=\"&#106;avascript:alert(1)\">x</a>", "javascript:"),
        (
            "<a href=\"&#x6A;avascript&colon;alert(1)\">x</a>",
            "javascript:",
        ),
        ("<a href=\"java\tscript:alert(1)\">x</a>", "javascript:"),
        ("<a href=\"java&#9;script:alert(1)\">x</a>", "javascript:"),
        ("<a href='JaVaScRiPt:alert(1)'>x</a>", "JaVaScRiPt:"),
        ("<a href=\"java\nscript:alert(1)\">x</a>", "javascript:"),
        ("<a\nhref=javascript:alert(1)>x</a>", "javascript:"),
        ("<p onclick=\"alert(1)\">x</p>", "`onclick`"),
        (
            "<img src=\"a.png\" alt=\"\" onerror=\"alert(1)\">",
            "`onerror`",
        ),
        ("<script>alert(1)</script>", "<script>"),
        (
            "<iframe src=\"https://evil.example/\"></iframe>",
            "<iframe>",
        ),
        ("<object data=\"x.swf\"></object>", "<object>"),
        ("<p style=\"background: url(x)\">x</p>", "`style`"),
        ("<td style=\"background: url(x)\">x</td>", "style="),
        ("<a href=\"//evil.example/\">x</a>", "//evil.example/"),
        (
            "<img src=\"//evil.example/x.png\" alt=\"x\">",
            "//evil.example/",
        ),
        ("<a href=\"data:text/html,x\">x</a>", "data:"),
        (
            "<form action=\"https://evil.example/\"><input></form>",
            "<form>",
        ),
        ("<svg><a href=\"javascript:alert(1)\">x</a></svg>", "<svg>"),
    ];

    #[test]
    fn raw_html_that_would_not_be_published_is_refused_with_its_line() {
        for (html, named) in BYPASSES {
            for written in [
                format!("{html}\n"),
                format!("Revenue rose.\n\nIt rose {html} again.\n"),
                format!("> {html}\n"),
            ] {
                let (line, why) =
                    render_markdown(&written, 0, &mut PageIds::default()).expect_err(&written);
                assert!(why.contains(named), "{written:?}: {why}");
                assert!(why.contains("would not be published"), "{why}");
                let expected = written.lines().position(|l| l.contains('<')).unwrap();
                let extra = html[..html.find(named.trim_matches('`')).unwrap_or(0)]
                    .matches('\n')
                    .count();
                assert!(
                    line == expected || line == expected + extra,
                    "{written:?}: line {line}"
                );
            }
        }
    }

    #[test]
    fn a_tag_split_over_lines_of_an_html_block_is_read_whole() {
        let (line, why) = render_markdown(
            "Intro.\n\n<table>\n<tr><td\nonclick=\"alert(1)\">1</td></tr>\n</table>\n",
            0,
            &mut PageIds::default(),
        )
        .unwrap_err();
        assert_eq!(line, 4, "{why}");
        assert!(why.contains("`onclick` on <td>"), "{why}");
        // A tag a blank line cuts off is not raw HTML: pulldown-cmark escapes it as text.
        let html = render_markdown(
            "<a href='javascript:x'\n\nText.\n",
            0,
            &mut PageIds::default(),
        );
        assert!(html.unwrap().starts_with("<p>&lt;a href="));
    }

    #[test]
    fn markdown_links_still_follow_the_link_rule() {
        let mut ids = PageIds::default();
        let (line, _) = render_markdown("a\n\n[x](javascript:alert(1))", 0, &mut ids).unwrap_err();
        assert_eq!(line, 2);
        assert!(render_markdown("[x]( JavaScript:alert(1))", 0, &mut ids).is_err());
        assert!(render_markdown("![x](//evil.example/a.png)", 0, &mut ids).is_err());
        assert!(render_markdown("[ok](https://example.com/javascript:x)", 0, &mut ids).is_ok());
    }

    #[test]
    fn the_first_problem_in_the_text_is_named_links_and_raw_html_alike() {
        let mut ids = PageIds::default();
        let html_first = "a <script>x</script>\n\n[x](javascript:alert(1))\n";
        assert_eq!(render_markdown(html_first, 0, &mut ids).unwrap_err().0, 0);
        let link_first = "[x](javascript:alert(1))\n\nb <script>x</script>\n";
        let (line, why) = render_markdown(link_first, 0, &mut ids).unwrap_err();
        assert_eq!(line, 0);
        assert!(!why.contains("raw HTML"), "{why}");
    }

    /// What a browser would make of `html`: its elements, attributes and text, in order.
    fn meaning(html: &str) -> Vec<String> {
        use html5gum::{Token, Tokenizer};
        let mut read = Vec::new();
        for token in Tokenizer::new(html).flatten() {
            match token {
                Token::StartTag(tag) => {
                    let mut attributes: Vec<String> = tag
                        .attributes
                        .iter()
                        .map(|(k, v)| {
                            let text = |s: &[u8]| String::from_utf8_lossy(s).into_owned();
                            format!("{}={}", text(k), text(v))
                        })
                        .collect();
                    attributes.sort();
                    let name = String::from_utf8_lossy(&tag.name);
                    read.push(format!("<{name} {}>", attributes.join(" ")));
                }
                Token::EndTag(tag) => {
                    read.push(format!("</{}>", String::from_utf8_lossy(&tag.name)));
                }
                Token::String(text) => read.push(String::from_utf8_lossy(&text).into_owned()),
                _ => {}
            }
        }
        read
    }

    #[test]
    fn allowed_markup_is_published_unchanged_in_meaning_and_well_formed() {
        let body = "Results.<sup><a href=\"#note-1\">1</a></sup>\n\n\
            <table class=\"figures\">\n\
            <tr><th scope=\"col\">Item</th><th style=\"text-align: right\">Q1</th></tr>\n\
            <tr><td><abbr title=\"Earnings before interest\">EBITDA</abbr><sub>a</sub></td>\
            <td>$1.2<br>million&nbsp;net</td></tr>\n\
            </table>\n\n\
            <p id=\"note-1\">See <img src=\"../../static/logo.png\" alt=\"Logo &amp; mark\"> \
            <a href=\"https://example.com/?a=1&amp;b=2\" title=\"Site\">the site</a>, \
            <a href=\"mailto:ir@example.com\">mail</a>, <a href=\"tel:+1-555-0100\">call</a>.</p>\n";
        let mut ids = PageIds::default();
        let sanitized = render_markdown(body, 0, &mut ids).unwrap();
        let mut unsanitized = String::new();
        pulldown_cmark::html::push_html(&mut unsanitized, Parser::new_ext(body, options()));
        let normalise = |html: &str| {
            meaning(html)
                .into_iter()
                .map(|t| t.replace("<tbody >", "").replace("</tbody>", ""))
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            normalise(&sanitized),
            normalise(&unsanitized),
            "{sanitized}"
        );
        for kept in [
            "<sup><a href=\"#note-1\">1</a></sup>",
            "<abbr title=\"Earnings before interest\">EBITDA</abbr>",
            "<br />",
            "alt=\"Logo &amp; mark\" />",
            "<p id=\"note-1\">",
            "<th style=\"text-align: right\">",
            "href=\"https://example.com/?a=1&amp;b=2\"",
        ] {
            assert!(sanitized.contains(kept), "{kept} in {sanitized}");
        }
        roxmltree::Document::parse(&format!("<body>{sanitized}</body>")).expect(&sanitized);
    }

    #[test]
    fn a_body_without_raw_html_is_not_sanitized() {
        let md = "# Title\n\n| a | b |\n|--:|:-:|\n| 1 | 2 |\n\nText & 3 < 4[^1]\n\n[^1]: Note.\n";
        let mut expected = String::new();
        let mut ids = PageIds::default();
        let html = render_markdown(md, 0, &mut ids).unwrap();
        pulldown_cmark::html::push_html(&mut expected, Parser::new_ext(md, options()));
        assert_eq!(html.replace(" id=\"title\"", ""), expected);
    }

    #[test]
    fn the_sites_own_leading_markup_is_not_raw_html() {
        let lead = "<span class=\"dateline\">ATLANTA (April 1)</span> ";
        let md = format!("{lead}Text with $5 & more.");
        let html = render_markdown(&md, lead.len(), &mut PageIds::default()).unwrap();
        assert_eq!(
            html,
            "<p><span class=\"dateline\">ATLANTA (April 1)</span> Text with $5 &amp; more.</p>\n"
        );
    }
}
