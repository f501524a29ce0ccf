//! irsite: a static site generator for investor-relations pages.
//!
//! The modules follow the pipeline, in order:
//! - [`config`] — `site.toml`.
//! - [`content`] — releases (Markdown with front matter) and their tables (TOML).
//! - [`finance`] — the financial model: exact amounts, periods, statements, formatting rules,
//!   relations, ties across releases, citations and Regulation G.
//! - [`check`] — the audit run before anything is published: relations, ties across releases,
//!   citations, Regulation G, links.
//! - [`render`] — Markdown, statements, charts and Tera templates to HTML and SVG.
//! - [`output`] — writing the output directory atomically and safely.
//! - [`site`] — the orchestration of all of the above (`check`, `build`).
//! - [`serve`] — the live preview: in-memory builds, a local server, rebuild on change.
//! - [`scaffold`] — `new release`: the next quarter's files, rolled forward from the latest.

pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod finance;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;

pub use error::{Error, Result};
