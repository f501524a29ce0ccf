//! Shared helpers for the integration tests: build a site once, parse its pages.
#![allow(dead_code)]

pub mod releases;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use irsite::site::{Options, build};

pub const BASE_URL: &str = "https://owner.github.io/repo/";
pub const BASE_PATH: &str = "/repo/";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the bundled example site once per test binary, served under a project subpath.
pub fn example_site() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "example-site-{}",
            std::env::current_exe()
                .ok()
                .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .unwrap_or_default()
        ));
        build(&Options {
            root: repo_root(),
            output_dir: Some(out.clone()),
            base_url: Some(BASE_URL.into()),
            force: false,
        })
        .unwrap_or_else(|e| panic!("the example site does not build:\n{e}"));
        out
    })
}

/// The options of a `check` or `build` of the site at `root`, writing where it says.
pub fn options(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        ..Options::default()
    }
}

/// The lines of the errors `check` finds in the site at `root`, without the closing count;
/// panics if it finds none.
pub fn errors_of(root: &Path) -> Vec<String> {
    match irsite::site::check(&options(root)) {
        Ok(summary) => panic!("the site was accepted: {summary:?}"),
        Err(e) => {
            let text = e.to_string();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            if lines.len() > 1 {
                lines.pop(); // "N errors found"
            }
            lines
        }
    }
}

/// Runs the `irsite` binary on the site at `root`: whether it succeeded, its stdout and stderr.
pub fn irsite(root: &Path, args: &[&str]) -> (bool, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_irsite"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Pages are polyglot markup, so an XML parser reads them; a page it cannot read is malformed.
pub fn parse(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("page is not well-formed: {e}"))
}

/// All text under `node`, as a reader would see it.
pub fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<String>()
}

pub fn by_id<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    id: &str,
) -> Option<roxmltree::Node<'a, 'i>> {
    doc.descendants().find(|n| n.attribute("id") == Some(id))
}

pub fn children<'a, 'i>(node: roxmltree::Node<'a, 'i>, tag: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(|n| n.tag_name().name() == tag)
        .collect()
}

/// Every file under `dir`, relative paths with '/'.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// A copy of the bundled site (sources only) in a fresh temporary folder, for tests that break it.
pub fn copy_of_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["site.toml", "content", "templates", "static"] {
        copy_tree(&repo_root().join(part), &dir.path().join(part));
    }
    dir
}

/// Builds the site at `root` into `out`, served from [`BASE_URL`]; panics with the errors.
pub fn build_into(root: &Path, out: &Path) {
    build(&Options {
        root: root.to_path_buf(),
        output_dir: Some(out.to_path_buf()),
        base_url: Some(BASE_URL.into()),
        force: false,
    })
    .unwrap_or_else(|e| panic!("{} does not build:\n{e}", root.display()));
}

/// Adds the table `id` (TOML text) to the example's release in a copy at `root`, placed at the
/// end of the release's prose.
pub fn add_example_table(root: &Path, id: &str, toml: &str) {
    let release = root.join("content/releases/2006-q1");
    std::fs::write(release.join(format!("tables/{id}.toml")), toml).unwrap();
    let index = release.join("index.md");
    let text = read(&index) + &format!("\n{{{{ table(id=\"{id}\") }}}}\n");
    std::fs::write(&index, text).unwrap();
}

/// Whether a name beside an output folder is something a build should not have left there: a
/// staging or previous-site folder (the lock file that builds share stays, by design).
pub fn build_leftover(name: &str) -> bool {
    name.contains(".irsite-") && !name.ends_with(".irsite-lock")
}

pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_file() {
        std::fs::copy(from, to).unwrap();
        return;
    }
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A small site with the bundled templates and static files, one release for 2006-Q1 with the
/// given tables (id, TOML) placed in order, and the given highlights and prose.
pub fn mini_site(tables: &[(&str, &str)], highlights: &[&str], prose: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for part in ["templates", "static"] {
        copy_tree(&repo_root().join(part), &root.join(part));
    }
    std::fs::write(
        root.join("site.toml"),
        "title = \"Example IR\"\nbase_url = \"https://owner.github.io/repo/\"\n\n[company]\n\
         name = \"Example Corporation\"\nshort_name = \"Example\"\nticker = \"EXM\"\n\
         exchange = \"NYSE\"\n",
    )
    .unwrap();
    let release = root.join("content/releases/2006-q1");
    std::fs::create_dir_all(release.join("tables")).unwrap();
    let mut index = String::from(
        "+++\ntitle = \"Example Reports First Quarter 2006 Results\"\ndate = 2006-05-04\n\
         dateline = \"ATLANTA\"\nperiod = \"2006-Q1\"\nsummary = \"Results.\"\nhighlights = [\n",
    );
    for h in highlights {
        index.push_str(&format!("  {h:?},\n"));
    }
    index.push_str("]\n+++\n");
    index.push_str(prose);
    index.push('\n');
    for (id, toml) in tables {
        std::fs::write(release.join(format!("tables/{id}.toml")), toml).unwrap();
        index.push_str(&format!("\n{{{{ table(id=\"{id}\") }}}}\n"));
    }
    std::fs::write(release.join("index.md"), index).unwrap();
    dir
}

/// A copy of the fixture site `tests/fixtures/<name>` (a synthetic company) with the bundled
/// templates and static files, in a fresh temporary folder.
pub fn fixture_site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("tests/fixtures").join(name), dir.path());
    for part in ["templates", "static"] {
        copy_tree(&repo_root().join(part), &dir.path().join(part));
    }
    dir
}
