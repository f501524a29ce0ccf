//! `serve`: a live preview. Builds the site in memory, serves it on 127.0.0.1 under the base
//! URL's path (so links behave as on GitHub Pages), rebuilds when `content/`, `templates/`,
//! `static/` or `site.toml` change, and reloads the open page. A failed build is shown in the
//! page, with every error, until an edit fixes it; nothing is written to disk.
//!
//! An edit inside existing releases reloads and re-audits those releases only and re-renders
//! them, the releases whose chart windows show their figures, and the site-wide pages (home,
//! archive, feeds, charts); anything else (templates, static files, `site.toml`, a new or
//! removed release, a change to the latest release's navigation) rebuilds everything.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::config::{CONFIG_FILE, Config};
use crate::error::{Error, Result};
use crate::output::Memory;
use crate::render::templates::Templates;
use crate::render::{self, Memo, Outputs, escape_html};
use crate::site::{self, Options, OutputFile, Site};

/// The last build: its files by path, or the errors that stopped it.
#[derive(Default)]
struct State {
    files: HashMap<String, Vec<u8>>,
    error: Option<String>,
    /// Bumped by every build, so open pages know to reload.
    version: u64,
}

/// The loaded site behind the last good build, kept so that an edit to one release re-renders
/// only what it touches.
struct Live {
    site: Site,
    templates: Templates,
    memo: Memo,
}

/// Where the preview polls for a new build.
const VERSION_PATH: &str = "__irsite/version";

fn reload_script(base_path: &str) -> String {
    format!(
        "<script>(function(){{var seen=null;function poll(){{fetch(\"{base_path}{VERSION_PATH}\",\
         {{cache:\"no-store\"}}).then(function(r){{return r.text()}}).then(function(v){{\
         if(seen!==null&&v!==seen){{location.reload()}}seen=v}}).catch(function(){{}})\
         .finally(function(){{setTimeout(poll,400)}})}}poll()}})();</script>"
    )
}

fn options(root: &Path, base_url: &str) -> Options {
    Options {
        root: root.to_path_buf(),
        base_url: Some(base_url.to_string()),
        ..Options::default()
    }
}

/// Loads and renders everything.
fn full_build(root: &Path, base_url: &str) -> Result<(Live, Vec<OutputFile>)> {
    let (site, templates) = site::load(&options(root, base_url))?;
    let memory = Memory::default();
    let (_, memo) = site::render_with_memo(&site, &templates, &memory)?;
    Ok((
        Live {
            site,
            templates,
            memo,
        },
        memory.into_files(),
    ))
}

/// Re-renders after an edit to existing releases only; `None` when a full build is needed.
fn partial_build(
    live: &mut Live,
    dirs: &BTreeSet<PathBuf>,
    known: &HashMap<String, Vec<u8>>,
) -> Option<Result<Vec<OutputFile>>> {
    let reloaded = match live.site.reload_releases(dirs) {
        Ok(reloaded) => reloaded,
        Err(site::Reload::Everything) => return None,
        Err(site::Reload::Failed(e)) => return Some(Err(e)),
    };
    // Each release page shows the chart figures of the quarters up to its own: besides the
    // edited releases, those whose windows show a quarter whose figures changed.
    let mut releases = render::releases_showing(&live.site, &reloaded.changed_quarters);
    releases.extend(&reloaded.releases);
    let redo = render::Redo {
        releases: &releases,
        previous: &live.memo,
    };
    let memory = Memory::default();
    let out = Outputs::new(
        &memory,
        &live.site.config.base_url(),
        &live.site.config.base_path(),
    );
    let result =
        render::render_some(&live.site, &live.templates, &out, Some(redo)).and_then(|memo| {
            if !memo.same_navigation(&live.memo) || !memo.same_chart_links(&live.memo) {
                // Every page's navigation, or every release page's chart links, changed.
                return Ok(None);
            }
            out.finish_against(known)?;
            Ok(Some(memo))
        });
    match result {
        Ok(Some(memo)) => {
            live.memo = memo;
            Some(Ok(memory.into_files()))
        }
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

/// Rebuilds after `changed` paths: only the edited releases when that is all that changed.
fn rebuild(
    root: &Path,
    base_url: &str,
    live: &mut Option<Live>,
    changed: &[PathBuf],
    state: &Mutex<State>,
) {
    let started = Instant::now();
    let releases = root.join("content/releases");
    // The release folders edited, when every change is inside one.
    let dirs: Option<BTreeSet<PathBuf>> = changed
        .iter()
        .map(|p| {
            let slug = p.strip_prefix(&releases).ok()?.components().next()?;
            Some(releases.join(slug))
        })
        .collect();
    let partial = match (live.as_mut(), dirs) {
        (Some(live_site), Some(dirs)) if !dirs.is_empty() => {
            // The last good build's files are read in place; pages wait the few milliseconds.
            let state = state.lock().unwrap_or_else(|e| e.into_inner());
            if state.error.is_none() {
                let partial = caught(|| Ok(partial_build(live_site, &dirs, &state.files)));
                partial.unwrap_or_else(|e| {
                    // What a panic left half-updated is not kept: the next build starts afresh.
                    *live = None;
                    Some(Err(e))
                })
            } else {
                None
            }
        }
        _ => None,
    };
    let outcome = match partial {
        Some(Ok(files)) => Ok((files, true)),
        Some(Err(e)) => Err(e),
        None => caught(|| full_build(root, base_url)).map(|(fresh, files)| {
            *live = Some(fresh);
            (files, false)
        }),
    };
    let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
    state.version += 1;
    match outcome {
        Ok((files, partial)) => {
            eprintln!(
                "{} {} files in {} ms",
                if partial { "rebuilt" } else { "built" },
                files.len(),
                started.elapsed().as_millis()
            );
            if !partial {
                state.files.clear();
            }
            state
                .files
                .extend(files.into_iter().map(|f| (f.path, f.bytes)));
            state.error = None;
        }
        Err(e) => {
            eprintln!("error: {e}");
            state.error = Some(e.to_string());
        }
    }
}

/// Runs a build, turning a panic (a bug: no input should cause one) into an error the page
/// shows, so that the preview says what happened and keeps watching instead of serving the old
/// pages as if they were current.
fn caught<T>(build: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(build)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(crate::Error::Output(format!(
            "the build stopped on an internal error ({message}); this is a bug in irsite, \
             please report it with the change that caused it. Save again to retry."
        )))
    })
}

/// The script policy of the bundled `base.html`, which forbids every script.
const PUBLISHED_SCRIPTS: &str = "script-src 'none'";

/// The longest request line or header line `serve` reads; a longer one is refused.
const MAX_LINE: u64 = 8 * 1024;
/// The most header lines a request may have.
const MAX_HEADERS: usize = 100;

/// Whether a request's `Host` names this machine's loopback interface. The preview shows
/// unpublished figures: answering any host name would let a web page open in the author's
/// browser read them through DNS rebinding (a name of its own that resolves to 127.0.0.1).
/// A request without a `Host` (HTTP/1.0) comes from no such page.
fn loopback_host(host: Option<&str>) -> bool {
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

fn content_type(path: &str) -> &'static str {
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
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

struct Response {
    status: &'static str,
    content_type: &'static str,
    location: Option<String>,
    body: Vec<u8>,
}

fn error_page(error: &str, base_path: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\" />\
         <title>Build failed</title><style>body{{font:16px system-ui,sans-serif;margin:2rem;\
         max-width:70rem}}pre{{white-space:pre-wrap;background:#fff4f4;border-left:4px solid \
         #a93226;padding:1rem}}</style></head><body><h1>The site does not build</h1>\
         <p>Fix the problem below and save: this page reloads by itself.</p><pre>{}</pre>{}\
         </body></html>",
        escape_html(error),
        reload_script(base_path)
    )
    .into_bytes()
}

fn respond(path: &str, base_path: &str, state: &State) -> Response {
    let html = |status, body| Response {
        status,
        content_type: "text/html; charset=utf-8",
        location: None,
        body,
    };
    let Some(relative) = path.strip_prefix(base_path) else {
        if path == "/" || format!("{path}/") == base_path {
            return Response {
                status: "302 Found",
                content_type: "text/plain; charset=utf-8",
                location: Some(base_path.to_string()),
                body: Vec::new(),
            };
        }
        return html("404 Not Found", b"not under the site's path".to_vec());
    };
    if relative == VERSION_PATH {
        return Response {
            status: "200 OK",
            content_type: "text/plain; charset=utf-8",
            location: None,
            body: state.version.to_string().into_bytes(),
        };
    }
    let file = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    };
    if let Some(error) = &state.error
        && (file.ends_with(".html") || !state.files.contains_key(&file))
    {
        return html("500 Internal Server Error", error_page(error, base_path));
    }
    let (status, file) = if state.files.contains_key(&file) {
        ("200 OK", file)
    } else if state.files.contains_key(&format!("{file}/index.html")) {
        return Response {
            status: "301 Moved Permanently",
            content_type: "text/plain; charset=utf-8",
            location: Some(format!("{path}/")),
            body: Vec::new(),
        };
    } else {
        ("404 Not Found", "404.html".to_string())
    };
    let mut body = state.files.get(&file).cloned().unwrap_or_default();
    if file.ends_with(".html") {
        // Published pages forbid scripts (their Content-Security-Policy); the preview's pages
        // run one, the reload script, and say so.
        let text = String::from_utf8_lossy(&body).replacen(
            PUBLISHED_SCRIPTS,
            "script-src 'self' 'unsafe-inline'",
            1,
        );
        let script = reload_script(base_path);
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

/// Reads one line of at most [`MAX_LINE`] bytes; `None` for a longer one or a read error.
fn bounded_line(reader: &mut impl BufRead) -> Option<String> {
    let mut line = String::new();
    let read = reader.by_ref().take(MAX_LINE).read_line(&mut line).ok()?;
    (read > 0 && line.ends_with('\n')).then_some(line)
}

fn handle(mut stream: TcpStream, base_path: &str, state: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(&stream);
    let refuse = |stream: &mut TcpStream, status: &str, why: &str| {
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \
             {}\r\nConnection: close\r\n\r\n{why}",
            why.len()
        );
        let _ = stream.write_all(head.as_bytes());
    };
    let Some(request) = bounded_line(&mut reader) else {
        drop(reader);
        return refuse(
            &mut stream,
            "414 URI Too Long",
            "the request line is too long",
        );
    };
    // Read the headers for Host; a GET has no body worth reading.
    let mut host = None;
    let mut headers = 0;
    loop {
        let Some(header) = bounded_line(&mut reader) else {
            drop(reader);
            return refuse(
                &mut stream,
                "431 Request Header Fields Too Large",
                "bad headers",
            );
        };
        if header.trim().is_empty() {
            break;
        }
        headers += 1;
        if headers > MAX_HEADERS {
            drop(reader);
            return refuse(
                &mut stream,
                "431 Request Header Fields Too Large",
                "too many headers",
            );
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("host")
        {
            host = Some(value.trim().to_string());
        }
    }
    drop(reader);
    if !loopback_host(host.as_deref()) {
        return refuse(
            &mut stream,
            "403 Forbidden",
            "the preview answers only 127.0.0.1, localhost and [::1]",
        );
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let response = {
        let state = state.lock().unwrap_or_else(|e| e.into_inner());
        respond(path, base_path, &state)
    };
    let mut head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         Connection: close\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    if let Some(location) = response.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&response.body);
}

/// Watches the sources and rebuilds after each burst of changes.
fn watch(
    root: PathBuf,
    base_url: String,
    state: Arc<Mutex<State>>,
    live: Option<Live>,
) -> Result<()> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading the sources (each build does) raises access events: only changes count.
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            let _ = tx.send(event.paths);
        }
    })
    .map_err(|e| Error::Output(format!("cannot watch {}: {e}", root.display())))?;
    for dir in ["content", "templates", "static"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| Error::Output(format!("cannot watch {}: {e}", path.display())))?;
        }
    }
    // site.toml: watch the root itself, without descending into output or build folders.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Output(format!("cannot watch {}: {e}", root.display())))?;
    std::thread::spawn(move || {
        let mut watcher = watcher;
        let mut live = live;
        let relevant = |p: &PathBuf| {
            p.file_name().is_some_and(|n| n == CONFIG_FILE)
                || ["content", "templates", "static"]
                    .iter()
                    .any(|d| p.starts_with(root.join(d)))
        };
        while let Ok(paths) = rx.recv() {
            let mut changed: Vec<PathBuf> = paths.into_iter().filter(|p| relevant(p)).collect();
            // Editors save in several steps: wait for the burst to end.
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(25)) {
                changed.extend(more.into_iter().filter(|p| relevant(p)));
            }
            // A source folder removed and made again (a `git checkout` of another branch and
            // back) is a new folder to the kernel: watch it anew, or later edits go unseen.
            for dir in ["content", "templates", "static"].map(|d| root.join(d)) {
                if changed.contains(&dir) && dir.is_dir() {
                    let _ = watcher.unwatch(&dir);
                    if let Err(e) = watcher.watch(&dir, RecursiveMode::Recursive) {
                        eprintln!("error: cannot watch {}: {e}", dir.display());
                    }
                }
            }
            if !changed.is_empty() {
                rebuild(&root, &base_url, &mut live, &changed, &state);
            }
        }
    });
    Ok(())
}

/// Serves the site at `root` on 127.0.0.1:`port` (0 picks a free port) until interrupted;
/// `ready` receives the URL once the first build is done.
pub fn serve(root: &Path, port: u16, ready: impl FnOnce(&str)) -> Result<()> {
    // The watcher reports absolute paths; a root such as "." must be absolute too, or no
    // change would be recognised as a change to the sources.
    let root = &root.canonicalize().map_err(|e| Error::io(root, e))?;
    let config = Config::load(root)?;
    let base_path = config.base_path();
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| Error::Output(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::Output(e.to_string()))?
        .port();
    let base_url = format!("http://127.0.0.1:{port}{base_path}");
    let state = Arc::new(Mutex::new(State::default()));
    let mut live = None;
    rebuild(root, &base_url, &mut live, &[], &state);
    watch(
        root.to_path_buf(),
        base_url.clone(),
        Arc::clone(&state),
        live,
    )?;
    ready(&base_url);
    for stream in listener.incoming().flatten() {
        let state = Arc::clone(&state);
        let base_path = base_path.clone();
        std::thread::spawn(move || handle(stream, &base_path, &state));
    }
    Ok(())
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
            ]
            .into_iter()
            .collect(),
            error: None,
            version: 3,
        }
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
        let page = String::from_utf8(respond("/repo/", "/repo/", &state).body).unwrap();
        assert!(page.contains("script-src 'self' 'unsafe-inline'"), "{page}");
        assert!(!page.contains(PUBLISHED_SCRIPTS), "{page}");
        assert!(page.contains(VERSION_PATH), "{page}");
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
    fn a_panicking_build_becomes_an_error_the_page_shows() {
        // The panic's own message is printed to stderr, as any panic's is.
        let error = caught(|| -> Result<()> { panic!("index out of bounds") }).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("internal error (index out of bounds)"),
            "{text}"
        );
        assert_eq!(caught(|| Ok(7)).unwrap(), 7);
    }

    #[test]
    fn answers_like_github_pages_under_the_subpath() {
        let s = state();
        let home = respond("/repo/", "/repo/", &s);
        assert_eq!(home.status, "200 OK");
        let body = String::from_utf8(home.body).unwrap();
        assert!(body.starts_with("<html><body>home<script>") && body.ends_with("</body></html>"));
        assert_eq!(respond("/repo/style.css", "/repo/", &s).body, b"body{}");
        let redirect = respond("/repo/releases/q1", "/repo/", &s);
        assert_eq!(redirect.location.as_deref(), Some("/repo/releases/q1/"));
        assert_eq!(respond("/repo/nope", "/repo/", &s).status, "404 Not Found");
        assert_eq!(
            respond("/", "/repo/", &s).location.as_deref(),
            Some("/repo/")
        );
        assert_eq!(respond("/repo/__irsite/version", "/repo/", &s).body, b"3");
    }

    #[test]
    fn a_failed_build_is_shown_in_the_page() {
        let mut s = state();
        s.error = Some("content/x.toml:3: <bad>".into());
        let page = respond("/repo/releases/q1/", "/repo/", &s);
        assert_eq!(page.status, "500 Internal Server Error");
        let body = String::from_utf8(page.body).unwrap();
        assert!(body.contains("content/x.toml:3: &lt;bad&gt;"));
        assert!(
            body.contains("__irsite/version"),
            "the error page reloads itself"
        );
        // Assets of the last good build still load.
        assert_eq!(respond("/repo/style.css", "/repo/", &s).status, "200 OK");
    }
}
