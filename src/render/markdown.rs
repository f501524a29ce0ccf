//! Markdown to HTML with pulldown-cmark: tables, footnotes, smart punctuation and heading ids.
//!
//! The text is read by [`crate::content::markdown::walk`], the one walk the audit reads headings
//! from too (options: no math, which would read the "$" of "$42.6 million" as a formula).
//! Link and image destinations follow the site's link policy ([`crate::content::urls`]); raw
//! HTML is allowed (the IR team is the author) but `javascript:` URLs in it are refused.

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

fn is_javascript_url(url: &str) -> bool {
    let compact: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    compact.to_ascii_lowercase().starts_with("javascript:")
}

fn html_has_javascript_url(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    ["href", "src", "action", "formaction"].iter().any(|attr| {
        lower.match_indices(attr).any(|(i, _)| {
            let rest = lower[i + attr.len()..].trim_start();
            rest.strip_prefix('=')
                .map(|v| v.trim_start().trim_start_matches(['"', '\'']))
                .is_some_and(is_javascript_url)
        })
    })
}

/// Renders Markdown to HTML; the error names what was refused.
pub fn render_markdown(text: &str, ids: &mut PageIds) -> Result<String, String> {
    let Walk {
        mut events,
        headings,
        ..
    } = walk(text);
    for event in &events {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                crate::content::urls::check_link(dest_url)?;
            }
            Event::Html(html) | Event::InlineHtml(html) if html_has_javascript_url(html) => {
                return Err(format!(
                    "`javascript:` URLs are not allowed: {}",
                    html.trim()
                ));
            }
            _ => {}
        }
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
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str) -> String {
        render_markdown(md, &mut PageIds::default()).unwrap()
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

    #[test]
    fn javascript_urls_are_refused() {
        let mut ids = PageIds::default();
        assert!(render_markdown("[x](javascript:alert(1))", &mut ids).is_err());
        assert!(render_markdown("[x]( JavaScript:alert(1))", &mut ids).is_err());
        assert!(render_markdown("<a href=\"javascript:alert(1)\">x</a>", &mut ids).is_err());
        assert!(render_markdown("<p>x <a HREF = 'JAVASCRIPT:x'>y</a></p>", &mut ids).is_err());
        assert!(render_markdown("[ok](https://example.com/javascript:x)", &mut ids).is_ok());
    }
}
