//! Bad input gets a clear error naming the file and line, and nothing is lost.

mod common;

use std::path::Path;

use irsite::site::{Options, build, check};

fn options(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        ..Options::default()
    }
}

/// Applies `edit` to a copy of the example, builds it, and returns the error message.
fn error_after(file: &str, edit: impl Fn(String) -> String) -> String {
    let site = common::copy_of_example();
    let path = site.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changed nothing in {file}");
    std::fs::write(&path, edited).unwrap();
    match check(&options(site.path())) {
        Ok(_) => panic!("a broken {file} was accepted"),
        Err(e) => e.to_string(),
    }
}

const OPERATIONS: &str = "content/releases/2006-q1/tables/operations.toml";
const RELEASE: &str = "content/releases/2006-q1/index.md";

#[test]
fn an_unknown_key_in_a_table_names_file_line_and_key() {
    let message = error_after(OPERATIONS, |t| {
        t.replacen(
            "label = \"Revenue\"",
            "label = \"Revenue\"\nlable = \"typo\"",
            1,
        )
    });
    assert!(message.contains("operations.toml:"), "{message}");
    assert!(message.contains("unknown field `lable`"), "{message}");
}

#[test]
fn a_float_amount_is_refused_with_the_fix() {
    let message = error_after(OPERATIONS, |t| {
        t.replacen(
            "values = [\"42625\", \"37855\"]",
            "values = [42625.0, \"37855\"]",
            1,
        )
    });
    assert!(message.contains("operations.toml:"), "{message}");
    assert!(message.contains("floating-point"), "{message}");
}

#[test]
fn a_thousands_separator_in_an_amount_is_refused() {
    let message = error_after(OPERATIONS, |t| t.replacen("\"42625\"", "\"42,625\"", 1));
    assert!(message.contains("no thousands separators"), "{message}");
    assert!(message.contains("\"42,625\""), "{message}");
}

#[test]
fn a_column_count_mismatch_names_the_row() {
    let message = error_after(OPERATIONS, |t| {
        t.replacen("values = [\"42625\", \"37855\"]", "values = [\"42625\"]", 1)
    });
    assert!(
        message.contains("row \"revenue\" has 1 values but the table has 2 columns"),
        "{message}"
    );
    assert!(message.contains("operations.toml:"), "{message}");
}

#[test]
fn a_bad_period_is_refused() {
    let message = error_after(OPERATIONS, |t| t.replacen("\"2005-Q1\"", "\"2005-Q5\"", 1));
    assert!(message.contains("operations.toml:4:"), "{message}");
    assert!(message.contains("Q1 to Q4"), "{message}");
}

#[test]
fn an_unknown_front_matter_key_is_refused() {
    let message = error_after(RELEASE, |t| {
        t.replacen("dateline =", "datline = \"x\"\ndateline =", 1)
    });
    assert!(message.contains("index.md:"), "{message}");
    assert!(message.contains("unknown field `datline`"), "{message}");
}

#[test]
fn a_table_that_is_not_placed_is_an_error() {
    let message = error_after(RELEASE, |t| {
        t.replacen("{{ table(id=\"balance-sheet\") }}", "", 1)
    });
    assert!(
        message.contains("table \"balance-sheet\" is not placed"),
        "{message}"
    );
}

#[test]
fn a_template_syntax_error_is_reported_with_its_template() {
    let message = error_after("templates/release.html", |t| {
        t.replacen("{% endif %}", "{% endfi %}", 1)
    });
    assert!(message.contains("release.html"), "{message}");
}

#[test]
fn a_missing_site_toml_says_where_to_run() {
    let empty = tempfile::tempdir().unwrap();
    let message = check(&options(empty.path())).unwrap_err().to_string();
    assert!(message.contains("site.toml"), "{message}");
    assert!(message.contains("--root"), "{message}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = common::copy_of_example();
    build(&options(site.path())).unwrap();
    let public = site.path().join("public");
    let before: Vec<(String, Vec<u8>)> = common::files_under(&public)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(public.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    let path = site.path().join(OPERATIONS);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"42625\"", "\"4x\"", 1)).unwrap();
    assert!(build(&options(site.path())).is_err());
    let after: Vec<(String, Vec<u8>)> = common::files_under(&public)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(public.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    assert!(before == after, "the previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("irsite-"))
        .collect();
    assert!(leftovers.is_empty(), "staging directories left behind");
}

#[test]
fn a_foreign_non_empty_output_directory_is_not_replaced() {
    let site = common::copy_of_example();
    let foreign = site.path().join("precious");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("thesis.txt"), "years of work").unwrap();
    let message = build(&Options {
        output_dir: Some(foreign.clone()),
        ..options(site.path())
    })
    .unwrap_err()
    .to_string();
    assert!(message.contains("--force"), "{message}");
    assert_eq!(
        std::fs::read_to_string(foreign.join("thesis.txt")).unwrap(),
        "years of work"
    );
}

#[test]
fn the_output_may_not_overlap_the_sources() {
    let site = common::copy_of_example();
    for dir in [".", "content", "templates/out", "static", ".."] {
        let err = build(&Options {
            output_dir: Some(site.path().join(dir)),
            force: true,
            ..options(site.path())
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("refusing"), "{dir}: {err}");
    }
    assert!(
        site.path()
            .join("content/releases/2006-q1/index.md")
            .is_file()
    );
}
