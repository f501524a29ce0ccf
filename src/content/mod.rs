//! Content loading: reads `content/` into plain data (releases with their statements).
//!
//! Layout: `content/releases/<slug>/index.md` (TOML front matter + Markdown) and
//! `content/releases/<slug>/tables/<table-id>.toml`. Any other file is an error, so that a
//! misplaced or misnamed file is never silently left out of the site (see `layout.rs`).

mod control;
mod layout;
pub mod markdown;
mod names;
pub mod raw_html;
mod release;
mod table;
pub mod urls;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

pub use control::refuse_in_toml_strings as refuse_control_in_toml;
pub use names::Names;
pub use release::load as load_release;
pub use release::{BodyBlock, Call, DateTime, Highlight, Line, Release};
pub use table::load_statement;

use crate::error::{Error, Location, Result};
use crate::finance::{FiscalCalendar, LineItem, Period, Statement};

/// Everything under `content/`.
#[derive(Debug, Clone)]
pub struct Content {
    /// Newest first.
    pub releases: Vec<Release>,
}

impl Content {
    pub fn latest(&self) -> Option<&Release> {
        self.releases.first()
    }
}

/// Reads a UTF-8 text file, refusing anything else with the byte offset of the first bad byte,
/// and a control character with its line (`control.rs`).
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            control::refuse_in_source(path, &text)?;
            Ok(text)
        }
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&err.as_bytes()[..offset]).into_owned();
            let line = crate::error::line_of(&valid, offset);
            Err(Error::input(
                Location::line(path, line),
                format!("the file is not valid UTF-8 (at byte {offset}); save it as UTF-8"),
            ))
        }
    }
}

/// A slug names a folder and a URL segment: lowercase letters, digits and inner hyphens.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Loads every release under `content_dir`, reporting all problems together.
pub fn load(content_dir: &Path, calendar: &FiscalCalendar) -> Result<Content> {
    load_each(content_dir, calendar, |_| ()).map(|(content, _)| content)
}

/// [`load`], handing each release to `each` as soon as it is read (on the thread that read
/// it), so that work such as the audit runs while the release is fresh and can shed what it
/// no longer needs; returns what `each` returned, in the releases' order.
pub fn load_each<T: Send>(
    content_dir: &Path,
    calendar: &FiscalCalendar,
    each: impl Fn(&mut Release) -> T + Sync,
) -> Result<(Content, Vec<T>)> {
    if !content_dir.is_dir() {
        return Err(Error::input(
            Location::file(content_dir),
            "the content folder is missing; a site keeps its releases in content/releases/<slug>/",
        ));
    }
    let mut errors = Vec::new();
    let release_dirs = layout::release_dirs(content_dir, &mut errors);
    // Releases are independent: parse them in parallel, report in folder order. Each run of
    // releases interns its own names, so loading takes no lock.
    let load_all = || -> Vec<Result<(Release, T)>> {
        release_dirs
            .par_chunks(RELEASES_PER_JOB)
            .flat_map_iter(|dirs| {
                let mut names = Names::default();
                dirs.iter()
                    .map(|d| {
                        release::load_with(d, calendar, &mut names).map(|mut release| {
                            let done = each(&mut release);
                            (release, done)
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let loaded = match reading_pool(release_dirs.len()) {
        Some(pool) => pool.install(load_all),
        None => load_all(),
    };
    let mut releases = Vec::with_capacity(loaded.len());
    for result in loaded {
        match result {
            Ok(pair) => releases.push(pair),
            Err(Error::Many(many)) => errors.extend(many),
            Err(err) => errors.push(err),
        }
    }
    releases.sort_by(|(a, _), (b, _)| (b.date, &b.slug).cmp(&(a.date, &a.slug)));
    let (releases, done): (Vec<Release>, Vec<T>) = releases.into_iter().unzip();
    check_unique_periods(&releases, &mut errors);
    Error::collect(errors)?;
    Ok((Content { releases }, done))
}

/// Releases loaded one after the other on one core, sharing one [`Names`]: runs short enough
/// that every core has work to the end, long enough that a name is kept once per 32 releases.
const RELEASES_PER_JOB: usize = 32;

/// Threads that load releases beyond one per core. Files the page cache does not hold (the
/// first build after a reboot or a checkout, or files the kernel evicted since the last build)
/// are read from the disk, and a thread waiting for a read leaves its core idle. On a 2-core
/// machine, with the page cache dropped before each run, the 10,000-release synthetic archive
/// loaded in 6.6–7.3 s on two threads and in 4.1–4.9 s on six (4.0–4.3 s on eight or sixteen,
/// 5.5 s once on twelve); from the page cache it took 1.5–1.8 s on two threads or six.
const EXTRA_READERS: usize = 4;

/// A pool for loading `releases`, with threads to wait on the disk as well as to parse; `None`
/// where one run of releases is all there is, or no thread can be started (the global pool
/// loads them then).
fn reading_pool(releases: usize) -> Option<rayon::ThreadPool> {
    if releases <= RELEASES_PER_JOB {
        return None;
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads() + EXTRA_READERS)
        .thread_name(|i| format!("reader-{i}"))
        .build()
        .ok()
}

fn check_unique_periods(releases: &[Release], errors: &mut Vec<Error>) {
    use std::collections::hash_map::Entry;
    let mut first: HashMap<Period, &Release> = HashMap::with_capacity(releases.len());
    for release in releases {
        match first.entry(release.period) {
            Entry::Vacant(slot) => {
                slot.insert(release);
            }
            Entry::Occupied(other) => errors.push(Error::input(
                Location::file(&release.source),
                format!(
                    "period {} is already reported by {}; each release reports its own period",
                    release.period,
                    other.get().source.display()
                ),
            )),
        }
    }
}

/// A row found by its id in a release's table.
#[derive(Clone, Copy)]
pub struct FoundRow<'a> {
    pub table: &'a Statement,
    pub row: &'a LineItem,
    /// Whether it is a row of a footnote's table rather than of the table itself.
    pub in_footnote: bool,
    /// The index of its release, newest first.
    pub release: usize,
}

/// For each of `ids`, the rows with that id in every table of `releases`, in release order.
/// One pass: an archive holds hundreds of thousands of rows, and reading each once is what
/// this costs.
pub fn rows_by_id<'a>(releases: &'a [Release], ids: &[&str]) -> Vec<Vec<FoundRow<'a>>> {
    let mut found = vec![Vec::new(); ids.len()];
    let tables = releases.iter().enumerate();
    for (release, table) in tables.flat_map(|(i, r)| r.tables.iter().map(move |t| (i, t))) {
        let main = table.rows.iter().map(|row| (row, false));
        let notes = table
            .footnotes
            .iter()
            .flat_map(|f| f.rows.iter().map(|row| (row, true)));
        for (row, in_footnote) in main.chain(notes) {
            for (k, id) in ids.iter().enumerate() {
                if *row.id == **id {
                    found[k].push(FoundRow {
                        table,
                        row,
                        in_footnote,
                        release,
                    });
                }
            }
        }
    }
    found
}
