//! Rebuilding on change: a watcher on the sources, debounced by `notify-debouncer-mini`, and
//! the builds it starts, full or partial, whose outcome replaces the served files (or the
//! error shown in their place) and is announced to the open pages.
//!
//! Debouncing: a path is reported once it has been quiet for [`QUIET`] (editors save in
//! several steps), which is also the whole latency the debouncer adds to an edit. Reads raise
//! inotify events too (every build reads the sources), so the watcher hands on changes only
//! ([`ChangesOnly`]): otherwise each build would start the next.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{EventHandler, RecommendedWatcher, RecursiveMode, Watcher, WatcherKind};
use notify_debouncer_mini::{Config as DebounceConfig, DebounceEventResult, new_debouncer_opt};
use tokio::sync::watch;

use super::respond::{Announcement, State};
use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::output::Memory;
use crate::render::templates::Templates;
use crate::render::{self, Memo, Outputs};
use crate::site::{self, Options, OutputFile, Site};

/// How long a changed path must stay unchanged before the rebuild starts.
pub(crate) const QUIET: Duration = Duration::from_millis(20);

/// The source folders watched (recursively), beside `site.toml` in the root.
const SOURCES: [&str; 3] = ["content", "templates", "static"];

/// The loaded site behind the last good build, kept so that an edit to one release re-renders
/// only what it touches.
pub(crate) struct Live {
    site: Site,
    templates: Templates,
    memo: Memo,
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

/// Rebuilds after `changed` paths (only the edited releases when that is all that changed),
/// serves the outcome and announces it.
pub(crate) fn rebuild(
    root: &Path,
    base_url: &str,
    live: &mut Option<Live>,
    changed: &[PathBuf],
    state: &Mutex<State>,
    announce: &watch::Sender<Announcement>,
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
    // Under the lock: a page served from now on is of this build, and is told no older one.
    announce.send_replace(state.announcement());
}

/// Runs a build, turning a panic (a bug: no input should cause one) into an error the page
/// shows, so that the preview says what happened and keeps watching instead of serving the old
/// pages as if they were current.
pub(crate) fn caught<T>(build: impl FnOnce() -> Result<T>) -> Result<T> {
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

/// A watcher that hands on changes only: inotify also reports files opened and read, and
/// every build reads the sources. The end of a write (`Close(Write)`) is a change.
struct ChangesOnly(RecommendedWatcher);

impl Watcher for ChangesOnly {
    fn new<F: EventHandler>(mut handler: F, config: notify::Config) -> notify::Result<Self> {
        use notify::event::{AccessKind, AccessMode, EventKind};
        let changes = move |event: notify::Result<notify::Event>| {
            let read = event.as_ref().is_ok_and(|e| {
                matches!(e.kind, EventKind::Access(access)
                    if access != AccessKind::Close(AccessMode::Write))
            });
            if !read {
                handler.handle_event(event);
            }
        };
        RecommendedWatcher::new(changes, config).map(ChangesOnly)
    }

    fn watch(&mut self, path: &Path, recursive_mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, recursive_mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn kind() -> WatcherKind {
        RecommendedWatcher::kind()
    }
}

/// Watches the sources and rebuilds after each burst of changes, on a thread of its own.
pub(crate) fn watch(
    root: PathBuf,
    base_url: String,
    state: Arc<Mutex<State>>,
    announce: watch::Sender<Announcement>,
    live: Option<Live>,
) -> Result<()> {
    let cannot = |path: &Path, e: notify::Error| {
        Error::Output(format!("cannot watch {}: {e}", path.display()))
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let config = DebounceConfig::default()
        .with_timeout(QUIET)
        .with_batch_mode(true);
    let mut debouncer =
        new_debouncer_opt::<_, ChangesOnly>(config, tx).map_err(|e| cannot(&root, e))?;
    let watcher = debouncer.watcher();
    for dir in SOURCES.map(|d| root.join(d)) {
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| cannot(&dir, e))?;
        }
    }
    // site.toml: watch the root itself, without descending into output or build folders.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| cannot(&root, e))?;
    std::thread::spawn(move || {
        let mut live = live;
        let relevant = |p: &PathBuf| {
            p.file_name().is_some_and(|n| n == CONFIG_FILE)
                || SOURCES.iter().any(|d| p.starts_with(root.join(d)))
        };
        let paths = |events: DebounceEventResult| match events {
            Ok(events) => events
                .into_iter()
                .map(|e| e.path)
                .filter(relevant)
                .collect(),
            Err(e) => {
                eprintln!("error: watching {}: {e}", root.display());
                Vec::new()
            }
        };
        while let Ok(events) = rx.recv() {
            let mut changed: Vec<PathBuf> = paths(events);
            // Changes reported while the last build ran, or in the same moment: one build.
            while let Ok(more) = rx.try_recv() {
                changed.extend(paths(more));
            }
            // A source folder removed and made again (a `git checkout` of another branch and
            // back) is a new folder to the kernel: watch it anew, or later edits go unseen.
            let watcher = debouncer.watcher();
            for dir in SOURCES.map(|d| root.join(d)) {
                if changed.contains(&dir) && dir.is_dir() {
                    let _ = watcher.unwatch(&dir);
                    if let Err(e) = watcher.watch(&dir, RecursiveMode::Recursive) {
                        eprintln!("error: cannot watch {}: {e}", dir.display());
                    }
                }
            }
            if !changed.is_empty() {
                rebuild(&root, &base_url, &mut live, &changed, &state, &announce);
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
