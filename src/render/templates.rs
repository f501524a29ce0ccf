//! Loading the Tera templates of `templates/` and rendering them with clear errors.

use std::path::Path;

use tera::{Context, Tera};

use super::statement::BUNDLED_PARTIALS;
use crate::error::{Error, Location, Result};

/// Templates every site must provide.
pub const REQUIRED: [&str; 8] = [
    "base.html",
    "index.html",
    "release.html",
    "archive.html",
    "financials.html",
    "404.html",
    "partials/statement.html",
    "partials/chart.html",
];

/// A site's parsed templates, and how its statements are laid out.
pub struct Templates {
    pub tera: Tera,
    /// Whether the statement partials are the bundled ones, so that
    /// [`render_statement`](super::statement::render_statement) lays statements out.
    pub bundled_statements: bool,
}

impl Templates {
    /// Renders `name` with `context`; `dir` is the templates folder, for errors.
    pub fn render(&self, dir: &Path, name: &str, context: &Context) -> Result<String> {
        render(&self.tera, dir, name, context)
    }
}

/// Parses every `.html` template under `dir`, named by its path relative to `dir`.
pub fn load_templates(dir: &Path) -> Result<Templates> {
    if !dir.is_dir() {
        return Err(Error::input(
            Location::file(dir),
            "the templates folder is missing; a site needs templates/ with base.html, \
             index.html, release.html, archive.html, financials.html, 404.html and partials/",
        ));
    }
    let mut files = Vec::new();
    // Hidden names (an editor's `.#base.html` lock, `.git/`) are skipped, as in content/.
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk {
        let entry = entry.map_err(|e| Error::input(Location::file(dir), e.to_string()))?;
        let path = entry.path();
        // A linked template was silently left out (walkdir does not follow links); the folder
        // itself may be a link, as content/ may.
        if entry.depth() > 0 && entry.path_is_symlink() {
            return Err(Error::input(
                Location::file(path),
                "symbolic links are not followed in templates/; copy the file in instead",
            ));
        }
        if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "html") {
            let name = path
                .strip_prefix(dir)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let text = crate::content::read_text(path)?;
            files.push((name, text));
        }
    }
    let mut tera = Tera::new();
    tera.add_raw_templates(files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| template_error(dir, &e))?;
    let missing: Vec<Error> = REQUIRED
        .iter()
        .filter(|name| !tera.contains_template(name))
        .map(|name| {
            Error::input(
                Location::file(&dir.join(name)),
                "this template is required and missing",
            )
        })
        .collect();
    Error::collect(missing)?;
    let bundled_statements = BUNDLED_PARTIALS.iter().all(|(name, bundled)| {
        files
            .iter()
            .any(|(n, text)| n == name && text.as_str() == *bundled)
    });
    Ok(Templates {
        tera,
        bundled_statements,
    })
}

/// Tera's report already points into the template; say which folder it lives in.
pub fn template_error(dir: &Path, err: &tera::Error) -> Error {
    let mut message = format!("template error in {}/: {err}", dir.display());
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(&format!("\n  caused by: {cause}"));
        source = cause.source();
    }
    Error::Template(message)
}

/// Renders `name` with `context`.
pub fn render(tera: &Tera, dir: &Path, name: &str, context: &Context) -> Result<String> {
    tera.render(name, context)
        .map_err(|e| template_error(dir, &e))
}
