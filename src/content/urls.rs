//! Which links may be published: every URL from content or configuration (the company's
//! website, the call's webcast, Markdown links and images) is an http, https, mailto or tel URL,
//! or a reference within the site. `javascript:`, `data:`, `file:` and every other scheme are
//! refused, as is a network-path reference (`//host/...`), which leaves the site without saying
//! so.
//!
//! The URL is read as a browser reads it: tabs and line breaks anywhere are dropped and control
//! characters and spaces at either end are trimmed before its scheme is found, so
//! `java\tscript:` and ` JavaScript:` are the `javascript:` they run as.

/// The schemes a published link may use.
pub const SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// `Ok` where `url` may be published; otherwise why not.
pub fn check_link(url: &str) -> Result<(), String> {
    let read: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let read = read.trim_matches(|c: char| c <= ' ');
    if read.chars().any(char::is_control) {
        return Err(format!("the link {url:?} holds a control character"));
    }
    let head = read.split(['/', '?', '#']).next().unwrap_or_default();
    if let Some((scheme, _)) = head.split_once(':') {
        let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if is_scheme && SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
            return Ok(());
        }
        return Err(format!(
            "the link {url:?} uses the scheme `{scheme}:`; links are http, https, mailto or tel \
             URLs, or paths within the site"
        ));
    }
    if read.starts_with("//") || read.starts_with('\\') || read.starts_with("/\\") {
        return Err(format!(
            "the link {url:?} leaves the site without naming its scheme; write https://..."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_mail_phone_and_site_links_are_published() {
        for url in [
            "http://www.internap.com",
            "https://example.com/javascript:x",
            "HTTPS://EXAMPLE.COM",
            "mailto:ir@example.com",
            "tel:+1-866-202-0886",
            "../releases/2006-q1/",
            "#use-of-non-gaap-financial-measures",
            "static/annual%20report.pdf",
            "?page=2",
            "/repo/releases/",
            "",
        ] {
            assert_eq!(check_link(url), Ok(()), "{url:?}");
        }
    }

    #[test]
    fn other_schemes_and_network_paths_are_refused_however_written() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            " \u{1}javascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "file:///etc/passwd",
            "//evil.example/",
            "\\\\evil.example\\share",
            "/\\evil.example",
            "ja\u{0}vascript:alert(1)",
        ] {
            assert!(check_link(url).is_err(), "{url:?} was accepted");
        }
        assert!(
            check_link("javascript:x")
                .unwrap_err()
                .contains("`javascript:`")
        );
    }
}
