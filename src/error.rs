//! The error type: every problem names the file, and the line and column where it knows them.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// A place in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(path: &Path) -> Self {
        Location {
            path: path.to_path_buf(),
            line: None,
            column: None,
        }
    }

    pub fn line(path: &Path, line: usize) -> Self {
        Location {
            path: path.to_path_buf(),
            line: Some(line),
            column: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A site in the current folder names its files "content/...", not "./content/...".
        let path = self.path.strip_prefix(".").unwrap_or(&self.path);
        write!(f, "{}", path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Content or configuration that is wrong; the message says what was expected.
    #[error("{location}: {message}")]
    Input { location: Location, message: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A template that does not parse or render; Tera's report carries its own location.
    #[error("{0}")]
    Template(String),
    /// A rendered page links to something the site does not have.
    #[error("{page}: {message}")]
    Link { page: String, message: String },
    /// The output directory cannot be written safely.
    #[error("{0}")]
    Output(String),
    /// Several independent problems, reported together.
    #[error("{}", display_many(.0))]
    Many(Vec<Error>),
}

fn display_many(errors: &[Error]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    format!(
        "{}\n{} error{} found",
        lines.join("\n"),
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    )
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        Error::Input {
            location,
            message: message.into(),
        }
    }

    pub fn io(path: &Path, source: io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A problem at a byte offset of `source`, shown with the offending line.
    pub fn at_offset(path: &Path, source: &str, offset: usize, message: impl Into<String>) -> Self {
        let offset = offset.min(source.len());
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = source[line_start..offset].chars().count() + 1;
        let text = source[line_start..].lines().next().unwrap_or("");
        let gutter = line.to_string().len();
        let message = format!(
            "{}\n{:gutter$} |\n{line} | {text}\n{:gutter$} | {:>column$}",
            message.into(),
            "",
            "",
            "^"
        );
        Error::Input {
            location: Location {
                path: path.to_path_buf(),
                line: Some(line),
                column: Some(column),
            },
            message,
        }
    }

    /// A TOML error (syntax, unknown key, wrong type) with its line and a snippet.
    pub fn toml(path: &Path, source: &str, err: &toml::de::Error) -> Self {
        match err.span() {
            Some(span) => Error::at_offset(path, source, span.start, err.message()),
            None => Error::input(Location::file(path), err.message()),
        }
    }

    /// Collapses a list of problems into one error, or none.
    pub fn collect(errors: Vec<Error>) -> Result<()> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::many(errors))
        }
    }

    /// One error for a list of them: the error itself when there is only one.
    pub fn many(mut errors: Vec<Error>) -> Error {
        if errors.len() == 1 {
            errors.remove(0)
        } else {
            Error::Many(errors)
        }
    }
}

/// Where each line of a text starts, to turn many byte offsets into line numbers without
/// rescanning the text for each.
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(source: &str) -> Self {
        Lines(
            std::iter::once(0)
                .chain(source.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

/// The 1-based line of a byte offset.
pub fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}
