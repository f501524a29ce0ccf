//! Small invented archives of several releases (Northwind Pumps, a company that does not
//! exist), written from Rust, for the tests of figures that tie across releases.

use std::path::Path;

use super::{copy_tree, repo_root};

/// A row of a table: id, kind ("" for an item), figures, and any further keys as TOML lines.
pub type Row<'a> = (&'a str, &'a str, &'a [&'a str], &'a str);

/// A table's TOML: `head` goes after `columns` (a `restated` or `tolerance` line, say).
pub fn table(columns: &[&str], head: &str, rows: &[Row]) -> String {
    let quoted = |items: &[&str]| {
        let items: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
        items.join(", ")
    };
    let mut text = format!(
        "title = \"Statements of Operations\"\nunits = \"in millions, except per share amounts\"\n\
         scale = \"millions\"\ncolumns = [{}]\n{head}",
        quoted(columns)
    );
    for (id, kind, figures, more) in rows {
        text.push_str(&format!("\n[[rows]]\nid = {id:?}\nlabel = \"{id}\"\n"));
        if !kind.is_empty() {
            text.push_str(&format!("kind = {kind:?}\n"));
        }
        text.push_str(&format!("values = [{}]\n{more}", quoted(figures)));
    }
    text
}

/// A release: folder, period, release date and its tables (id, TOML).
pub struct Release<'a> {
    pub slug: &'a str,
    pub period: &'a str,
    pub date: &'a str,
    pub tables: Vec<(&'a str, String)>,
}

/// Writes the site into `root`: `settings` are extra top-level lines of `site.toml` (a fiscal
/// calendar, a tolerance).
pub fn write_site(root: &Path, settings: &str, releases: &[Release]) {
    for part in ["templates", "static"] {
        copy_tree(&repo_root().join(part), &root.join(part));
    }
    std::fs::write(
        root.join("site.toml"),
        format!(
            "title = \"Northwind Pumps Investor Relations\"\n\
             base_url = \"https://owner.github.io/repo/\"\n{settings}\n\n[company]\n\
             name = \"Northwind Pumps, Inc.\"\nshort_name = \"Northwind\"\nticker = \"NWP\"\n\
             exchange = \"NYSE\"\n"
        ),
    )
    .unwrap();
    for release in releases {
        let dir = root.join("content/releases").join(release.slug);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("tables")).unwrap();
        let mut index = format!(
            "+++\ntitle = \"Northwind Pumps Reports {period} Results\"\ndate = {date}\n\
             dateline = \"DULUTH\"\nperiod = \"{period}\"\nsummary = \"Results.\"\n+++\n\
             Results for {period}.\n",
            period = release.period,
            date = release.date
        );
        for (id, text) in &release.tables {
            std::fs::write(dir.join(format!("tables/{id}.toml")), text).unwrap();
            index.push_str(&format!("\n{{{{ table(id=\"{id}\") }}}}\n"));
        }
        std::fs::write(dir.join("index.md"), index).unwrap();
    }
}

/// The 1-based line of the `[[rows]]` header of row `id` in a table's TOML, which messages name.
pub fn row_line(toml: &str, id: &str) -> usize {
    let lines: Vec<&str> = toml.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == format!("id = \"{id}\""))
        .unwrap_or_else(|| panic!("no row {id}"));
    lines[..at]
        .iter()
        .rposition(|l| l.starts_with("[["))
        .map(|i| i + 1)
        .unwrap()
}
