//! What the server answers, as pure functions of the request and the files it holds: no
//! sockets here, so every rule (paths under the base URL, percent-decoding, redirects, the 404
//! page, the error page, content types, the reload script, the `Host` check) is unit-tested.
//!
//! A request path is percent-decoded before it is looked up (`annual%20report.pdf` names
//! `annual report.pdf`); the files are keys of a map, never paths on disk, so a decoded `..`
//! or `/` names nothing that was not built.

use std::collections::HashMap;

use hyper::StatusCode;
use percent_encoding::percent_decode_str;

use crate::render::escape_html;

/// The files served, and for the live preview the errors of the last build.
#[derive(Default)]
pub(crate) struct State {
    /// Each file's bytes by its path under the site (`releases/2006-q1/index.html`).
    pub files: HashMap<String, Vec<u8>>,
    /// Why the last build failed; its pages are shown until the next build succeeds.
    pub error: Option<String>,
    /// Bumped by every build: a page that was served another one is out of date.
    pub version: u64,
}

impl State {
    /// What the open pages are told after a build.
    pub fn announcement(&self) -> Announcement {
        Announcement {
            version: self.version,
            error: self.error.clone(),
        }
    }
}

/// A build, as the reload events announce it.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Announcement {
    pub version: u64,
    pub error: Option<String>,
}

impl Announcement {
    /// The build as one server-sent event: `data:` a JSON object (`{"version":4,"error":null}`;
    /// the error's text when the build failed). Its one line never breaks the event, as JSON
    /// escapes line breaks.
    pub fn event(&self) -> String {
        let data = serde_json::json!({ "version": self.version, "error": self.error });
        format!("data: {data}\n\n")
    }
}

/// How pages are served: the preview's reload themselves, a built site's are as published.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Pages {
    Live,
    Published,
}

/// Where the preview's pages listen for builds, under the base path.
pub(crate) const EVENTS_PATH: &str = "__irsite/events";

/// The script policy of the bundled `base.html`, which forbids every script.
pub(crate) const PUBLISHED_SCRIPTS: &str = "script-src 'none'";

/// The preview's page script: on each build announced (and on connecting, so that a build
/// finished between serving the page and opening the stream is not missed), reload unless the
/// page is of that build. `EventSource` reconnects by itself when the server restarts.
fn reload_script(base_path: &str, version: u64) -> String {
    format!(
        "<script>new EventSource(\"{base_path}{EVENTS_PATH}\").onmessage=function(e){{\
         if(JSON.parse(e.data).version!=={version})location.reload()}};</script>"
    )
}

/// The one content-type table, for the preview and the browser tests alike.
pub(crate) fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/xml; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Whether a request's `Host` names this machine's loopback interface. The preview shows
/// unpublished figures: answering any host name would let a web page open in the author's
/// browser read them through DNS rebinding (a name of its own that resolves to 127.0.0.1).
/// A request without a `Host` (HTTP/1.0) comes from no such page.
pub(crate) fn loopback_host(host: Option<&str>) -> bool {
    let Some(host) = host else { return true };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map_or(host, |(name, _)| name),
        None => host.split_once(':').map_or(host, |(name, _)| name),
    };
    let port_ok = match host.rsplit_once(':') {
        Some((_, port)) if !host.ends_with(']') => port.parse::<u16>().is_ok(),
        _ => true,
    };
    port_ok && (name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "::1")
}

/// Whether `path` (as requested, before decoding) is the preview's event stream.
pub(crate) fn is_events(path: &str, base_path: &str) -> bool {
    path.strip_prefix(base_path) == Some(EVENTS_PATH)
}

#[derive(Debug)]
pub(crate) struct Response {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

impl Response {
    /// A short answer in plain text: a refusal, or the body of a redirect.
    pub fn text(status: StatusCode, text: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            location: None,
            body: text.as_bytes().to_vec(),
        }
    }

    fn redirect(status: StatusCode, location: String) -> Response {
        Response {
            location: Some(location),
            ..Response::text(status, "")
        }
    }
}

fn error_page(error: &str, script: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\" />\
         <title>Build failed</title><style>body{{font:16px system-ui,sans-serif;margin:2rem;\
         max-width:70rem}}pre{{white-space:pre-wrap;background:#fff4f4;border-left:4px solid \
         #a93226;padding:1rem}}</style></head><body><h1>The site does not build</h1>\
         <p>Fix the problem below and save: this page reloads by itself.</p><pre>{}</pre>{script}\
         </body></html>",
        escape_html(error),
    )
    .into_bytes()
}

/// The answer to a GET of `path` (the request target without its query, as sent: still
/// percent-encoded), as GitHub Pages gives it for a project site at `base_path`.
pub(crate) fn respond(path: &str, base_path: &str, state: &State, pages: Pages) -> Response {
    let Ok(decoded) = percent_decode_str(path).decode_utf8() else {
        return Response::text(
            StatusCode::BAD_REQUEST,
            "the path is not UTF-8 once percent-decoded",
        );
    };
    let Some(relative) = decoded.strip_prefix(base_path) else {
        if decoded == "/" || format!("{decoded}/") == base_path {
            return Response::redirect(StatusCode::FOUND, base_path.to_string());
        }
        return Response::text(StatusCode::NOT_FOUND, "not under the site's path");
    };
    let script = match pages {
        Pages::Live => reload_script(base_path, state.version),
        Pages::Published => String::new(),
    };
    let file = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    };
    if let Some(error) = &state.error
        && (file.ends_with(".html") || !state.files.contains_key(&file))
    {
        return Response {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            content_type: "text/html; charset=utf-8",
            location: None,
            body: error_page(error, &script),
        };
    }
    let (status, file) = if state.files.contains_key(&file) {
        (StatusCode::OK, file)
    } else if state.files.contains_key(&format!("{file}/index.html")) {
        // The location as requested, still encoded: a header value holds no raw space.
        return Response::redirect(StatusCode::MOVED_PERMANENTLY, format!("{path}/"));
    } else {
        (StatusCode::NOT_FOUND, "404.html".to_string())
    };
    let mut body = state.files.get(&file).cloned().unwrap_or_default();
    if file.ends_with(".html") && pages == Pages::Live {
        // Published pages forbid scripts (their Content-Security-Policy); the preview's pages
        // run one, the reload script, and say so.
        let text = String::from_utf8_lossy(&body).replacen(
            PUBLISHED_SCRIPTS,
            "script-src 'self' 'unsafe-inline'",
            1,
        );
        body = match text.rfind("</body>") {
            Some(i) => format!("{}{script}{}", &text[..i], &text[i..]),
            None => format!("{text}{script}"),
        }
        .into_bytes();
    }
    Response {
        status,
        content_type: content_type(&file),
        location: None,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State {
            files: [
                (
                    "index.html".to_string(),
                    b"<html><body>home</body></html>".to_vec(),
                ),
                (
                    "releases/q1/index.html".to_string(),
                    b"<body>q1</body>".to_vec(),
                ),
                ("404.html".to_string(), b"<body>missing</body>".to_vec()),
                ("style.css".to_string(), b"body{}".to_vec()),
                ("annual report.pdf".to_string(), b"%PDF-1.4".to_vec()),
            ]
            .into_iter()
            .collect(),
            error: None,
            version: 3,
        }
    }

    fn live(path: &str, state: &State) -> Response {
        respond(path, "/repo/", state, Pages::Live)
    }

    #[test]
    fn previewed_pages_allow_the_reload_script_their_published_policy_forbids() {
        let mut state = state();
        state.files.insert(
            "index.html".into(),
            format!(
                "<head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src \
                 'self'; {PUBLISHED_SCRIPTS}\" /></head><body>home</body>"
            )
            .into_bytes(),
        );
        let page = String::from_utf8(live("/repo/", &state).body).unwrap();
        assert!(page.contains("script-src 'self' 'unsafe-inline'"), "{page}");
        assert!(!page.contains(PUBLISHED_SCRIPTS), "{page}");
        assert!(
            page.contains("new EventSource(\"/repo/__irsite/events\")"),
            "{page}"
        );
        assert!(
            page.contains("version!==3)"),
            "the page knows its build: {page}"
        );
        // A built site is served as published: no script, its policy untouched.
        let published = respond("/repo/", "/repo/", &state, Pages::Published).body;
        assert_eq!(published, state.files["index.html"]);
    }

    #[test]
    fn only_loopback_host_names_are_answered() {
        for host in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "localhost:1111",
            "LOCALHOST",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(loopback_host(Some(host)), "{host}");
        }
        for host in [
            "attacker.example",
            "attacker.example:1111",
            "127.0.0.1.nip.io:1111",
            "localhost.attacker.example",
            "127.0.0.2:1111",
            "[::2]:1111",
            "127.0.0.1:99999",
            "",
        ] {
            assert!(!loopback_host(Some(host)), "{host}");
        }
        assert!(loopback_host(None));
    }

    #[test]
    fn answers_like_github_pages_under_the_subpath() {
        let s = state();
        let home = live("/repo/", &s);
        assert_eq!(home.status, StatusCode::OK);
        let body = String::from_utf8(home.body).unwrap();
        assert!(body.starts_with("<html><body>home<script>") && body.ends_with("</body></html>"));
        let style = live("/repo/style.css", &s);
        assert_eq!(style.body, b"body{}");
        assert_eq!(style.content_type, "text/css; charset=utf-8");
        let redirect = live("/repo/releases/q1", &s);
        assert_eq!(redirect.status, StatusCode::MOVED_PERMANENTLY);
        assert_eq!(redirect.location.as_deref(), Some("/repo/releases/q1/"));
        let missing = live("/repo/nope", &s);
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(String::from_utf8(missing.body).unwrap().contains("missing"));
        assert_eq!(live("/", &s).location.as_deref(), Some("/repo/"));
        assert_eq!(live("/repo", &s).location.as_deref(), Some("/repo/"));
        assert_eq!(live("/elsewhere/", &s).status, StatusCode::NOT_FOUND);
    }

    #[test]
    fn paths_are_percent_decoded_and_name_only_what_was_built() {
        let s = state();
        let pdf = live("/repo/annual%20report.pdf", &s);
        assert_eq!(
            (pdf.status, pdf.content_type),
            (StatusCode::OK, "application/pdf")
        );
        assert_eq!(pdf.body, b"%PDF-1.4");
        assert_eq!(live("/repo/style%2ecss", &s).body, b"body{}");
        // A redirect keeps the path as it was sent, encoded.
        let mut s = s;
        s.files
            .insert("q 1/index.html".into(), b"<body></body>".to_vec());
        assert_eq!(
            live("/repo/q%201", &s).location.as_deref(),
            Some("/repo/q%201/")
        );
        // Nothing outside the build can be named: `..` is a key like any other.
        for path in ["/repo/..%2f..%2fetc/passwd", "/repo/../repo/style.css"] {
            assert_eq!(live(path, &s).status, StatusCode::NOT_FOUND, "{path}");
        }
        assert_eq!(live("/repo/%ff", &s).status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn a_failed_build_is_shown_in_the_page() {
        let mut s = state();
        s.error = Some("content/x.toml:3: <bad>".into());
        let page = live("/repo/releases/q1/", &s);
        assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
        let body = String::from_utf8(page.body).unwrap();
        assert!(body.contains("content/x.toml:3: &lt;bad&gt;"));
        assert!(
            body.contains("__irsite/events"),
            "the error page reloads itself"
        );
        // Assets of the last good build still load.
        assert_eq!(live("/repo/style.css", &s).status, StatusCode::OK);
    }

    #[test]
    fn a_build_is_announced_as_one_event_that_carries_its_error() {
        let good = Announcement {
            version: 4,
            error: None,
        };
        assert_eq!(good.event(), "data: {\"error\":null,\"version\":4}\n\n");
        let bad = Announcement {
            version: 5,
            error: Some("a.toml:3: sums to 193\nb.toml:4: <x>".into()),
        };
        assert_eq!(
            bad.event(),
            "data: {\"error\":\"a.toml:3: sums to 193\\nb.toml:4: <x>\",\"version\":5}\n\n"
        );
        assert!(is_events("/repo/__irsite/events", "/repo/"));
        assert!(!is_events("/repo/__irsite/events/", "/repo/"));
    }
}
