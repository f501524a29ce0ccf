//! `serve`: a live preview. Builds the site in memory, serves it on 127.0.0.1 under the base
//! URL's path (so links behave as on GitHub Pages), rebuilds when `content/`, `templates/`,
//! `static/` or `site.toml` change, and pushes each build to the open pages, which reload. A
//! failed build is shown in the page, with every error, until an edit fixes it; nothing is
//! written to disk.
//!
//! An edit inside existing releases reloads and re-audits those releases only and re-renders
//! them, the releases whose chart windows show their figures, and the site-wide pages (home,
//! archive, feeds, charts); anything else (templates, static files, `site.toml`, a new or
//! removed release, a change to the latest release's navigation) rebuilds everything.
//!
//! The parts:
//! - `respond`: what a request is answered, a pure function of its path and the files held
//!   (percent-decoding, redirects, the 404 and error pages, the one content-type table, the
//!   reload script, the loopback `Host` check);
//! - `http`: hyper's HTTP/1.1 server, bounded in request size, connections and event
//!   streams, with the builds pushed as server-sent events;
//! - `rebuild`: the watcher, debounced by `notify-debouncer-mini` (20 ms of quiet), and the
//!   full or partial builds it starts.
//!
//! Why hyper, on tokio's single-threaded runtime, and not tiny_http or axum: tiny_http (0.12)
//! reads a request line without a limit and serves each connection on a thread of a pool that
//! grows without one, which are two of the faults this module had to fix; axum, which mdBook
//! uses, brings a router, tower and a WebSocket stack that one route and an event stream do not
//! need. hyper is what both axum and Zola stand on: it bounds the request head and answers 431
//! beyond it, sends no body to HEAD, and with tokio's `rt`, `net`, `time` and `sync`
//! features alone adds about a dozen small crates to the build. Server-sent events rather than
//! a WebSocket: the push goes one way, a streamed response carries it, and the page's
//! `EventSource` (a few bytes of script, no client library) reconnects by itself.
//!
//! [`serve_directory`] serves a built site through the same code, as published (no reload
//! script, its Content-Security-Policy untouched): the browser tests load pages through it.

mod http;
mod rebuild;
mod respond;

use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::error::{Error, Result};
use respond::{Announcement, Pages, State};

/// Listens on 127.0.0.1:`port` (0 picks a free port); returns the listener and its port.
fn listen(port: u16) -> Result<(TcpListener, u16)> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| Error::Output(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::Output(e.to_string()))?
        .port();
    Ok((listener, port))
}

/// Serves the site at `root` on 127.0.0.1:`port` (0 picks a free port) until interrupted;
/// `ready` receives the URL once the first build is done.
pub fn serve(root: &Path, port: u16, ready: impl FnOnce(&str)) -> Result<()> {
    // The watcher reports absolute paths; a root such as "." must be absolute too, or no
    // change would be recognised as a change to the sources.
    let root = &root.canonicalize().map_err(|e| Error::io(root, e))?;
    let config = Config::load(root)?;
    let base_path = config.base_path();
    let (listener, port) = listen(port)?;
    let base_url = format!("http://127.0.0.1:{port}{base_path}");
    let state = Arc::new(Mutex::new(State::default()));
    let (announce, builds) = tokio::sync::watch::channel(Announcement::default());
    let mut live = None;
    rebuild::rebuild(root, &base_url, &mut live, &[], &state, &announce);
    rebuild::watch(
        root.to_path_buf(),
        base_url.clone(),
        Arc::clone(&state),
        announce,
        live,
    )?;
    ready(&base_url);
    http::run(
        listener,
        http::Shared {
            state,
            base_path,
            pages: Pages::Live,
            builds: Some(builds),
        },
    )
}

/// Serves the files under `dir`, as they are now, on 127.0.0.1 at a free port under
/// `base_path` (such as `/repo/`: a project site on GitHub Pages), from a thread that lasts as
/// long as the process; returns the site's URL. Pages are served as published, without the
/// preview's reload script.
pub fn serve_directory(dir: &Path, base_path: &str) -> Result<String> {
    if !base_path.starts_with('/') || !base_path.ends_with('/') {
        return Err(Error::Output(format!(
            "a base path starts and ends with '/', not {base_path:?}"
        )));
    }
    let mut files = std::collections::HashMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry =
            entry.map_err(|e| Error::Output(format!("cannot read {}: {e}", dir.display())))?;
        if entry.file_type().is_file() {
            let path = entry.path();
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            let relative = path.strip_prefix(dir).unwrap_or(path);
            files.insert(relative.to_string_lossy().replace('\\', "/"), bytes);
        }
    }
    let (listener, port) = listen(0)?;
    let shared = http::Shared {
        state: Arc::new(Mutex::new(State {
            files,
            ..State::default()
        })),
        base_path: base_path.to_string(),
        pages: Pages::Published,
        builds: None,
    };
    std::thread::spawn(move || {
        if let Err(e) = http::run(listener, shared) {
            eprintln!("error: {e}");
        }
    });
    Ok(format!("http://127.0.0.1:{port}{base_path}"))
}
