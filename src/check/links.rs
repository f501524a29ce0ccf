//! Every internal link of the rendered site must lead to a file it has, and every fragment to an
//! element of that file, as the pages will be served under the base URL's path.
//!
//! Links are read from `href` and `src` attributes. External links (any scheme, `//host`) are
//! not followed; absolute URLs under the base URL, and root-relative paths under its path, are
//! internal.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::site::OutputFile;

/// The values of attribute `name` in `html`, unescaped.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let start = i + needle.len();
            let end = html[start..].find('"')? + start;
            Some(html[start..end].replace("&amp;", "&"))
        })
        .collect()
}

/// Joins a relative link to the folder of `page`; `None` when it climbs above the root.
fn resolve(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for segment in link.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut path = parts.join("/");
    if link.is_empty() || link.ends_with('/') || link.ends_with("/.") || link == "." {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// Checks every link of every HTML file; `base_url` ends with "/", `base_path` is its path.
pub fn check(files: &[OutputFile], base_url: &str, base_path: &str) -> Vec<Error> {
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let html: BTreeMap<&str, &str> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| Some((f.path.as_str(), std::str::from_utf8(&f.bytes).ok()?)))
        .collect();
    let ids: BTreeMap<&str, BTreeSet<String>> = html
        .iter()
        .map(|(path, text)| (*path, attribute_values(text, "id").into_iter().collect()))
        .collect();
    let mut errors = Vec::new();
    for (page, text) in &html {
        let links = attribute_values(text, "href")
            .into_iter()
            .chain(attribute_values(text, "src"));
        for link in links {
            let (target, fragment) = match link.split_once('#') {
                Some((t, f)) => (t.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            let internal = if let Some(rest) = target.strip_prefix(base_url) {
                Some(rest.to_string())
            } else if target.starts_with("//") || target.contains(':') {
                None
            } else if let Some(rest) = target.strip_prefix(base_path) {
                Some(rest.to_string())
            } else if target.starts_with('/') {
                errors.push(Error::Link {
                    page: page.to_string(),
                    message: format!(
                        "link {link:?} leaves the site's path {base_path}; link relative to \
                         the page"
                    ),
                });
                continue;
            } else {
                // Relative to the page; an empty target is the page itself.
                let resolved = if target.is_empty() {
                    Some(page.to_string())
                } else {
                    resolve(page, &target)
                };
                let Some(resolved) = resolved else {
                    errors.push(Error::Link {
                        page: page.to_string(),
                        message: format!("link {link:?} climbs above the site's root"),
                    });
                    continue;
                };
                check_target(
                    page,
                    &link,
                    &resolved,
                    fragment.as_deref(),
                    &paths,
                    &ids,
                    &mut errors,
                );
                continue;
            };
            if let Some(rest) = internal {
                let resolved = resolve("", &rest).unwrap_or_default();
                check_target(
                    page,
                    &link,
                    &resolved,
                    fragment.as_deref(),
                    &paths,
                    &ids,
                    &mut errors,
                );
            }
        }
    }
    errors
}

fn check_target(
    page: &str,
    link: &str,
    resolved: &str,
    fragment: Option<&str>,
    paths: &BTreeSet<&str>,
    ids: &BTreeMap<&str, BTreeSet<String>>,
    errors: &mut Vec<Error>,
) {
    if !paths.contains(resolved) {
        errors.push(Error::Link {
            page: page.to_string(),
            message: format!("link {link:?} leads to {resolved}, which the site does not have"),
        });
        return;
    }
    if let (Some(fragment), Some(ids)) = (fragment.filter(|f| !f.is_empty()), ids.get(resolved))
        && !ids.contains(fragment)
    {
        errors.push(Error::Link {
            page: page.to_string(),
            message: format!("link {link:?}: {resolved} has no element with id {fragment:?}"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile::new(path, text.as_bytes().to_vec())
    }

    #[test]
    fn resolves_relative_links() {
        assert_eq!(
            resolve("releases/q1/index.html", "../../style.css").unwrap(),
            "style.css"
        );
        assert_eq!(
            resolve("releases/q1/index.html", "../../").unwrap(),
            "index.html"
        );
        assert_eq!(resolve("index.html", "./").unwrap(), "index.html");
        assert_eq!(
            resolve("index.html", "releases/q1/").unwrap(),
            "releases/q1/index.html"
        );
        assert_eq!(resolve("index.html", "../x"), None);
    }

    #[test]
    fn finds_missing_files_and_fragments() {
        let files = [
            file(
                "index.html",
                r##"<a href="releases/q1/#ops">ok</a> <a href="releases/q1/#nope">x</a>
                   <a href="https://example.com/">ext</a> <a href="mailto:a@b.c">m</a>
                   <a href="missing.html">y</a> <link href="https://o.github.io/r/releases/q1/" />
                   <a href="/r/style.css">ok</a> <a href="/elsewhere">z</a> <a href="#top" id="top">t</a>"##,
            ),
            file("releases/q1/index.html", r#"<table id="ops"></table>"#),
            file("style.css", ""),
        ];
        let errors: Vec<String> = check(&files, "https://o.github.io/r/", "/r/")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert!(errors[0].contains("\"releases/q1/#nope\""), "{errors:#?}");
        assert!(errors[1].contains("missing.html, which the site does not have"));
        assert!(errors[2].contains("leaves the site's path"));
    }
}
