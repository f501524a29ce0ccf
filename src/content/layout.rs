//! What may sit where under `content/`: the release folders, and each release's files.
//!
//! A misplaced or misnamed file is an error, never silently left out of the site. The folders
//! of `content/` and `content/releases/` are read first, on one thread; each release's own
//! folders are read by whichever thread loads the release, so that listing an archive's
//! thousands of folders is shared between cores (at N = 1,000 it took 40 ms of one core while
//! the other waited).

use std::fs::FileType;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location};

const UNEXPECTED: &str = "unexpected file or folder in content/; a release is \
                          content/releases/<slug>/index.md with its tables in \
                          content/releases/<slug>/tables/<table-id>.toml";
const SYMLINK: &str = "symbolic links are not followed in content/; copy the file in instead";

/// One entry of a folder, hidden names (`.git`, `.DS_Store`) left out.
struct Entry {
    /// `None` when the name is not UTF-8, which no expected file has.
    name: Option<String>,
    path: PathBuf,
    kind: FileType,
}

/// The entries of `dir`, sorted by name; what cannot be read is reported in `errors`.
fn entries(dir: &Path, errors: &mut Vec<Error>) -> Vec<Entry> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) => {
            errors.push(Error::io(dir, e));
            return Vec::new();
        }
    };
    let mut entries = Vec::new();
    for entry in listing {
        let entry = match entry.and_then(|e| e.file_type().map(|kind| (e, kind))) {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(Error::io(dir, e));
                continue;
            }
        };
        let (entry, kind) = entry;
        let name = entry.file_name().into_string().ok();
        if name.as_deref().is_some_and(|n| n.starts_with('.')) {
            continue;
        }
        entries.push(Entry {
            name,
            path: entry.path(),
            kind,
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    entries
}

/// Reports a symbolic link, or anything else found where it does not belong.
fn refuse(entry: &Entry, errors: &mut Vec<Error>) {
    let message = if entry.kind.is_symlink() {
        SYMLINK
    } else {
        UNEXPECTED
    };
    errors.push(Error::input(Location::file(&entry.path), message));
}

/// The folders of `content/releases/`, sorted by name; anything else in `content/` or
/// `content/releases/` is reported in `errors`.
pub fn release_dirs(content_dir: &Path, errors: &mut Vec<Error>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for entry in entries(content_dir, errors) {
        if entry.name.as_deref() != Some("releases") || !entry.kind.is_dir() {
            refuse(&entry, errors);
            continue;
        }
        for release in entries(&entry.path, errors) {
            if release.kind.is_dir() {
                dirs.push(release.path);
            } else {
                refuse(&release, errors);
            }
        }
    }
    dirs
}

/// What a release folder holds, as far as its layout goes.
pub struct ReleaseFiles {
    pub has_index: bool,
    /// `tables/*.toml`, sorted by name.
    pub tables: Vec<PathBuf>,
    /// Anything else in the folder, a symbolic link among them.
    pub errors: Vec<Error>,
}

/// Lists a release folder: `index.md`, and `tables/` holding `<table-id>.toml` files.
pub fn release_files(dir: &Path) -> ReleaseFiles {
    let mut files = ReleaseFiles {
        has_index: false,
        tables: Vec::new(),
        errors: Vec::new(),
    };
    for entry in entries(dir, &mut files.errors) {
        match (entry.name.as_deref(), entry.kind.is_dir()) {
            (Some("index.md"), false) if entry.kind.is_file() => files.has_index = true,
            (Some("tables"), true) => {
                for table in entries(&entry.path, &mut files.errors) {
                    let toml = table.name.as_deref().is_some_and(|n| n.ends_with(".toml"));
                    if toml && table.kind.is_file() {
                        files.tables.push(table.path);
                    } else {
                        refuse(&table, &mut files.errors);
                    }
                }
            }
            _ => refuse(&entry, &mut files.errors),
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(errors: &[Error], root: &Path) -> Vec<String> {
        errors
            .iter()
            .map(|e| e.to_string().replace(&root.display().to_string(), "ROOT"))
            .collect()
    }

    #[test]
    fn only_a_release_layout_is_accepted() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        let release = root.join("content/releases/2006-q1");
        std::fs::create_dir_all(release.join("tables/old")).unwrap();
        for file in [
            "content/README.txt",
            "content/releases/notes.md",
            "content/releases/2006-q1/index.md",
            "content/releases/2006-q1/draft.md",
            "content/releases/2006-q1/.DS_Store",
            "content/releases/2006-q1/tables/operations.toml",
            "content/releases/2006-q1/tables/balance-sheet.toml",
            "content/releases/2006-q1/tables/operations.csv",
        ] {
            std::fs::write(root.join(file), "").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            root.join("content/README.txt"),
            release.join("tables/linked.toml"),
        )
        .unwrap();

        let mut errors = Vec::new();
        let dirs = release_dirs(&root.join("content"), &mut errors);
        assert_eq!(dirs, std::slice::from_ref(&release));
        let refused = messages(&errors, root);
        assert_eq!(refused.len(), 2, "{refused:#?}");
        assert!(refused[0].starts_with("ROOT/content/README.txt: unexpected file or folder"));
        assert!(refused[1].starts_with("ROOT/content/releases/notes.md: unexpected"));

        let files = release_files(&release);
        assert!(files.has_index);
        assert_eq!(
            files.tables,
            [
                release.join("tables/balance-sheet.toml"),
                release.join("tables/operations.toml")
            ]
        );
        let refused = messages(&files.errors, root);
        let expected = [
            "ROOT/content/releases/2006-q1/draft.md: unexpected",
            #[cfg(unix)]
            "ROOT/content/releases/2006-q1/tables/linked.toml: symbolic links are not followed",
            "ROOT/content/releases/2006-q1/tables/old: unexpected",
            "ROOT/content/releases/2006-q1/tables/operations.csv: unexpected",
        ];
        assert_eq!(refused.len(), expected.len(), "{refused:#?}");
        for (message, start) in refused.iter().zip(expected) {
            assert!(message.starts_with(start), "{message} should start {start}");
        }
    }
}
