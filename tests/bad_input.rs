//! Bad input gets a clear error naming the file and line, and nothing is lost.

mod common;

use std::path::Path;

use common::options;
use irsite::site::{Options, build, check};

/// Every file under `dir` with its bytes, skipping `skip` (a folder name at the top).
fn snapshot(dir: &Path, skip: &str) -> Vec<(String, Vec<u8>)> {
    common::files_under(dir)
        .into_iter()
        .filter(|f| !f.starts_with(&format!("{skip}/")))
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// Builds a copy of the example, applies `edit` to the copy's sources, and builds again: the
/// second build must fail, leave the first output byte for byte, and change no source beyond
/// the edit. Returns the error message.
fn refused_after(edit: impl FnOnce(&Path)) -> String {
    let site = common::copy_of_example();
    let root = site.path();
    build(&options(root)).unwrap_or_else(|e| panic!("the example does not build: {e}"));
    let output_before = snapshot(&root.join("public"), "");
    edit(root);
    let sources_before = snapshot(root, "public");
    let message = match build(&options(root)) {
        Ok(_) => panic!("the broken site was built"),
        Err(e) => e.to_string(),
    };
    assert!(
        output_before == snapshot(&root.join("public"), ""),
        "the previous output changed: {message}"
    );
    assert!(
        sources_before == snapshot(root, "public"),
        "a source changed: {message}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| common::build_leftover(&e.file_name().to_string_lossy()))
        .collect();
    assert!(leftovers.is_empty(), "staging directories left behind");
    message
}

/// `refused_after` with a text edit of one file.
fn error_after(file: &str, edit: impl Fn(String) -> String) -> String {
    refused_after(|root| {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = edit(text.clone());
        assert_ne!(edited, text, "the edit changed nothing in {file}");
        std::fs::write(&path, edited).unwrap();
    })
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
fn a_percent_or_marker_as_printed_is_refused_with_the_token_to_write() {
    // "(3)%" is how the page prints a negative percent; the table writes "-3%".
    let message = error_after(OPERATIONS, |t| t.replacen("\"42625\"", "\"(3)%\"", 1));
    assert!(message.contains("operations.toml:"), "{message}");
    assert!(
        message.contains("a percent is an exact decimal and \"%\""),
        "{message}"
    );
    assert!(message.contains("\"-3%\""), "{message}");
    assert!(message.contains("\"(3)\""), "{message}");
    // A marker spelled otherwise than releases print it, or an empty cell meant as blank.
    let message = error_after(OPERATIONS, |t| t.replacen("\"42625\"", "\"Nm\"", 1));
    assert!(message.contains("operations.toml:"), "{message}");
    assert!(
        message.contains("a not-meaningful marker (\"NM\""),
        "{message}"
    );
    assert!(
        message.contains("\"blank\" for a cell left empty"),
        "{message}"
    );
}

#[test]
fn a_blank_cell_is_no_figure_still_to_fill_in_and_no_number_for_a_relation() {
    // Revenue is read by the gross profit and by citations: a blank revenue cannot be computed
    // with, but it is not reported as still empty.
    let message = error_after(OPERATIONS, |t| t.replacen("\"42625\"", "\"blank\"", 1));
    assert!(
        message.contains("operations.revenue is blank for 2006-Q1"),
        "{message}"
    );
    assert!(!message.contains("still empty"), "{message}");
    let message = error_after(OPERATIONS, |t| t.replacen("\"42625\"", "\"\"", 1));
    assert!(
        message.contains("still empty: fill in the figure"),
        "{message}"
    );
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
        .filter(|e| common::build_leftover(&e.file_name().to_string_lossy()))
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

fn write(root: &Path, file: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_toml_syntax_error_shows_line_column_and_the_line() {
    let message = error_after(OPERATIONS, |t| {
        t.replacen("label = \"Revenue\"", "label = \"Revenue", 1)
    });
    assert!(message.contains("operations.toml:8:17:"), "{message}");
    assert!(message.contains("8 | label = \"Revenue\n"), "{message}");
    assert!(message.contains('^'), "{message}");
}

#[test]
fn a_missing_required_key_is_named() {
    let message = error_after(OPERATIONS, |t| {
        t.replacen(
            "units = \"in thousands, except per share amounts\"\n",
            "",
            1,
        )
    });
    assert!(message.contains("operations.toml:"), "{message}");
    assert!(message.contains("missing field `units`"), "{message}");
}

#[test]
fn an_amount_that_is_not_a_number_is_refused() {
    let message = error_after(OPERATIONS, |t| t.replacen("\"42625\"", "\"abc\"", 1));
    assert!(message.contains("operations.toml:9:11:"), "{message}");
    assert!(
        message.contains("expected an exact decimal string such as \"42625\""),
        "{message}"
    );
}

#[test]
fn a_restated_period_that_is_not_a_column_is_refused() {
    let message = error_after(OPERATIONS, |t| {
        t.replacen(
            "columns = [\"2006-Q1\", \"2005-Q1\"]",
            "columns = [\"2006-Q1\", \"2005-Q1\"]\nrestated = [\"2005-Q2\"]",
            1,
        )
    });
    assert!(message.contains("operations.toml:5:"), "{message}");
    assert!(
        message.contains("restated names 2005-Q2, which is not one of the table's columns"),
        "{message}"
    );
}

#[test]
fn a_tolerance_that_is_not_a_non_negative_amount_is_refused() {
    let with = |tolerance: &'static str| {
        error_after(OPERATIONS, move |t| {
            t.replacen(
                "columns = [\"2006-Q1\", \"2005-Q1\"]",
                &format!("columns = [\"2006-Q1\", \"2005-Q1\"]\ntolerance = {tolerance}"),
                1,
            )
        })
    };
    let message = with("\"-1\"");
    assert!(message.contains("operations.toml:5:13:"), "{message}");
    assert!(
        message.contains(
            "a tolerance is an amount in the table's units, written as a string \
             such as \"1\" or \"0.5\"; a tolerance cannot be negative: \"-1\""
        ),
        "{message}"
    );
    let message = with("\"1,000\"");
    assert!(message.contains("operations.toml:5:13:"), "{message}");
    assert!(message.contains("no thousands separators"), "{message}");
    let message = with("\"N/A\"");
    assert!(message.contains("found \"N/A\""), "{message}");
    let message = with("1");
    assert!(message.contains("operations.toml:5:13:"), "{message}");
    assert!(message.contains("expected a string"), "{message}");
}

#[test]
fn not_additive_needs_a_reason_and_a_row_that_could_be_summed() {
    let message = error_after(OPERATIONS, |t| {
        t.replacen(
            "label = \"Revenue\"",
            "label = \"Revenue\"\nnot_additive = \" \"",
            1,
        )
    });
    assert!(
        message.contains(
            "operations.toml:6: row \"revenue\": not_additive gives the reason its figures do not \
             add up over time, e.g. not_additive = \"beginning-of-period cash balance\"; it is \
             empty"
        ),
        "{message}"
    );
    let message = error_after(OPERATIONS, |t| {
        t.replacen(
            "kind = \"per_share\"",
            "kind = \"per_share\"\nnot_additive = \"a ratio\"",
            1,
        )
    });
    assert!(
        message.contains(
            "row \"basic_eps\" is a per_share row, which is never summed over quarters; remove \
             not_additive"
        ),
        "{message}"
    );
}

#[test]
fn a_reference_to_an_undefined_footnote_is_refused() {
    let message = error_after(OPERATIONS, |t| {
        t.replacen("notes = [\"a\"]", "notes = [\"b\"]", 1)
    });
    assert!(
        message.contains(
            "row \"customer_support\" refers to footnote \"b\", which the table does not define"
        ),
        "{message}"
    );
}

#[test]
fn a_title_note_must_name_a_footnote_of_the_table() {
    let message = error_after(OPERATIONS, |t| {
        t.replacen("units = ", "title_notes = [\"z\"]\nunits = ", 1)
    });
    assert!(
        message.contains(
            "operations.toml:1: title_notes refers to footnote \"z\", which the table does not \
             define"
        ),
        "{message}"
    );
}

#[test]
fn a_duplicate_row_id_is_refused() {
    let message = error_after(OPERATIONS, |t| {
        t.replacen(
            "id = \"product_development\"",
            "id = \"customer_support\"",
            1,
        )
    });
    assert!(
        message.contains(
            "duplicate row id \"customer_support\": row ids must be unique within a table"
        ),
        "{message}"
    );
}

#[test]
fn a_missing_template_or_templates_folder_is_named() {
    let message = refused_after(|root| {
        std::fs::remove_file(root.join("templates/release.html")).unwrap();
    });
    assert!(message.contains("release.html"), "{message}");
    let message = refused_after(|root| {
        std::fs::remove_dir_all(root.join("templates")).unwrap();
    });
    assert!(message.contains("templates"), "{message}");
}

#[test]
fn an_undefined_template_variable_is_an_error() {
    let message = error_after("templates/release.html", |t| {
        t.replacen("{{ release.title }}", "{{ release.titel }}", 1)
    });
    assert!(message.contains("release.html"), "{message}");
    assert!(message.contains("titel"), "{message}");
}

#[test]
fn a_release_without_front_matter_is_refused() {
    let message = error_after(RELEASE, |t| t.replacen("+++\n", "", 1));
    assert!(message.contains("index.md:1:"), "{message}");
    assert!(message.contains("front matter"), "{message}");
}

#[test]
fn a_file_that_is_not_utf8_is_refused() {
    let message = refused_after(|root| {
        let mut bytes = std::fs::read(root.join(RELEASE)).unwrap();
        bytes.splice(4..4, [0xff, 0xfe]);
        write(root, RELEASE, bytes);
    });
    assert!(message.contains("index.md:"), "{message}");
    assert!(message.contains("not valid UTF-8"), "{message}");
}

#[test]
fn two_files_at_the_same_output_path_are_refused() {
    let message = refused_after(|root| write(root, "static/index.html", "<p>mine</p>"));
    assert!(
        message.contains("static file index.html would overwrite a generated file"),
        "{message}"
    );
}

#[test]
fn slugs_cannot_climb_out_of_their_folder() {
    let message = error_after(RELEASE, |t| {
        t.replacen(
            "{{ table(id=\"operations\") }}",
            "{{ table(id=\"../operations\") }}",
            1,
        )
    });
    assert!(message.contains("unknown shortcode"), "{message}");
    let message = refused_after(|root| {
        std::fs::rename(
            root.join("content/releases/2006-q1"),
            root.join("content/releases/Q1 2006"),
        )
        .unwrap();
    });
    assert!(message.contains("is not a valid slug"), "{message}");
}

#[test]
fn two_releases_of_the_same_period_are_refused() {
    let message = refused_after(|root| {
        let releases = root.join("content/releases");
        common::copy_tree(&releases.join("2006-q1"), &releases.join("2006-q1-copy"));
    });
    assert!(
        message.contains("2006-q1/index.md: period 2006-Q1 is already reported by")
            && message.contains("2006-q1-copy/index.md; each release reports its own period"),
        "{message}"
    );
}

#[test]
fn a_base_url_that_is_not_absolute_http_is_refused() {
    let message = error_after("site.toml", |t| {
        t.replacen(
            "base_url = \"https://internap.github.io/investors/\"",
            "base_url = \"internap.github.io/investors\"",
            1,
        )
    });
    assert!(message.contains("site.toml"), "{message}");
    assert!(message.contains("http"), "{message}");
}

#[test]
fn a_javascript_link_in_markdown_is_refused() {
    let message = error_after(RELEASE, |t| {
        t.replacen(
            "## About Internap",
            "[click](javascript:alert(1))\n\n## About Internap",
            1,
        )
    });
    assert!(message.contains("index.md:"), "{message}");
    assert!(message.contains("javascript:"), "{message}");
}

#[test]
fn raw_html_that_would_not_be_published_is_refused_by_check_and_build_with_its_line() {
    // Line 72 is "## About Internap"; the HTML goes two lines above it, the attribute on its
    // second line.
    let message = error_after(RELEASE, |t| {
        t.replacen(
            "## About Internap",
            "<p class=\"note\"\n   onmouseover=\"alert(1)\">Hover</p>\n\n## About Internap",
            1,
        )
    });
    assert!(message.contains("index.md:73"), "{message}");
    assert!(message.contains("`onmouseover` on <p>"), "{message}");
    assert!(message.contains("would not be published"), "{message}");
    let site = common::copy_of_example();
    let path = site.path().join(RELEASE);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen(
            "## About Internap",
            "<iframe src=\"https://evil.example/\"></iframe>\n\n## About Internap",
            1,
        ),
    )
    .unwrap();
    let message = check(&options(site.path())).unwrap_err().to_string();
    assert!(message.contains("index.md:72"), "{message}");
    assert!(message.contains("<iframe>"), "{message}");
}

#[test]
fn a_single_quoted_broken_link_in_raw_html_is_refused() {
    let message = error_after(RELEASE, |t| {
        t.replacen(
            "## About Internap",
            "<p><a href='../../nope/'>Nowhere</a></p>\n\n## About Internap",
            1,
        )
    });
    assert!(
        message.contains("\"../../nope/\" leads to nope/index.html"),
        "{message}"
    );
}

#[test]
fn a_percent_escaped_link_to_a_static_file_with_a_space_is_accepted() {
    let site = common::copy_of_example();
    let root = site.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/static");
    std::fs::copy(
        fixture.join("annual report.pdf"),
        root.join("static/annual report.pdf"),
    )
    .unwrap();
    let path = root.join(RELEASE);
    let text = std::fs::read_to_string(&path).unwrap();
    let linked = |href: &str| {
        text.replacen(
            "## About Internap",
            &format!("[Annual report]({href}) and <a href='../../annual%20report.pdf?v=2#page=3'>the same</a>.\n\n## About Internap"),
            1,
        )
    };
    std::fs::write(&path, linked("../../annual%20report.pdf")).unwrap();
    build(&options(root)).unwrap_or_else(|e| panic!("the link was refused: {e}"));
    std::fs::write(&path, linked("../../annual%20reports.pdf")).unwrap();
    let message = build(&options(root)).unwrap_err().to_string();
    assert!(
        message.contains("annual reports.pdf, which the site does not have"),
        "{message}"
    );
}

#[test]
fn stray_files_in_content_are_refused_with_their_paths() {
    // A table saved as CSV would otherwise be left out of the site without a word; each stray
    // file is named, and so is what else is wrong with its release.
    let message = refused_after(|root| {
        let release = root.join("content/releases/2006-q1");
        std::fs::write(release.join("tables/operations.csv"), "Revenue,42625").unwrap();
        std::fs::write(release.join("draft.md"), "An earlier draft.").unwrap();
        std::fs::write(root.join("content/notes.txt"), "To do.").unwrap();
        let text = std::fs::read_to_string(release.join("index.md")).unwrap();
        std::fs::write(
            release.join("index.md"),
            text.replacen("period = ", "period = 1 #", 1),
        )
        .unwrap();
    });
    for stray in [
        "content/notes.txt",
        "content/releases/2006-q1/draft.md",
        "content/releases/2006-q1/tables/operations.csv",
    ] {
        assert!(
            message.contains(&format!("{stray}: unexpected file or folder in content/")),
            "{stray} not named: {message}"
        );
    }
    assert!(message.contains("index.md:"), "{message}");
}

#[cfg(unix)]
#[test]
fn symbolic_links_in_content_templates_or_static_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "not for the web").unwrap();
    let message = refused_after(|root| {
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            root.join("static/leak.txt"),
        )
        .unwrap();
    });
    assert!(
        message.contains("symbolic links are not followed in static/"),
        "{message}"
    );
    let message = refused_after(|root| {
        std::os::unix::fs::symlink(outside.path(), root.join("content/releases/2006-q2")).unwrap();
    });
    assert!(
        message.contains("symbolic links are not followed in content/"),
        "{message}"
    );
    // A linked template or folder of templates was silently left out of the site.
    std::fs::write(outside.path().join("extra.html"), "<p>{{ secret }}</p>").unwrap();
    let message = refused_after(|root| {
        std::os::unix::fs::symlink(
            outside.path().join("extra.html"),
            root.join("templates/partials/extra.html"),
        )
        .unwrap();
    });
    assert!(message.contains("partials/extra.html"), "{message}");
    assert!(
        message.contains("symbolic links are not followed in templates/"),
        "{message}"
    );
    let message = refused_after(|root| {
        std::os::unix::fs::symlink(outside.path(), root.join("templates/more")).unwrap();
    });
    assert!(message.contains("templates/more"), "{message}");
    assert!(
        message.contains("symbolic links are not followed in templates/"),
        "{message}"
    );
}

#[test]
fn strings_from_toml_and_front_matter_are_escaped() {
    let site = common::copy_of_example();
    let root = site.path();
    let path = root.join(OPERATIONS);
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "label = \"Revenue\"",
        "label = \"Revenue <script>alert(1)</script> & more\"",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let path = root.join(RELEASE);
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "dateline = \"ATLANTA\"",
        "dateline = \"ATLANTA <img src=x onerror=alert(1)>\"",
        1,
    );
    std::fs::write(&path, text).unwrap();
    build(&options(root)).unwrap_or_else(|e| panic!("{e}"));
    let page = common::read(&root.join("public/releases/2006-q1/index.html"));
    assert!(
        !page.contains("<script>alert(1)"),
        "a label was not escaped"
    );
    assert!(!page.contains("<img src=x"), "the dateline was not escaped");
    assert!(page.contains("Revenue &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
}

#[test]
fn the_filesystem_root_and_the_home_directory_are_refused() {
    let site = common::copy_of_example();
    let sources = [site.path().join("content")];
    // Only the guard is called: nothing is ever written to these places.
    for dir in ["/", "/."] {
        let err = irsite::output::check_output_dir(Path::new(dir), site.path(), &sources, true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("it is the filesystem root"), "{dir}: {err}");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| h.len() > 1) {
        let home = Path::new(&home);
        for dir in [home, home.parent().unwrap_or(home)] {
            let err = irsite::output::check_output_dir(dir, site.path(), &sources, true)
                .unwrap_err()
                .to_string();
            assert!(err.contains("refusing"), "{}: {err}", dir.display());
        }
    }
}

#[test]
fn the_command_line_reports_bad_input_without_a_panic() {
    let site = common::copy_of_example();
    let path = site.path().join(OPERATIONS);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"42625\"", "42625", 1)).unwrap();
    for command in ["check", "build"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_irsite"))
            .args(["--root", site.path().to_str().unwrap(), command])
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(
            stderr.contains("write \"42625\" instead of 42625"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains("backtrace"),
            "{stderr}"
        );
    }
    assert!(!site.path().join("public").exists());
}

#[test]
fn an_unknown_fiscal_year_end_names_site_toml_its_line_and_the_forms_accepted() {
    let message = error_after("site.toml", |t| {
        t.replacen(
            "output_dir = \"public\"",
            "output_dir = \"public\"\nfiscal_year_end = \"end of September\"",
            1,
        )
    });
    assert!(message.contains("site.toml:7"), "{message}");
    assert!(message.contains("\"end of September\""), "{message}");
    for form in [
        "September 30",
        "last Saturday of September",
        "Saturday nearest January 31",
    ] {
        assert!(message.contains(form), "{message}");
    }
}

#[test]
fn a_stated_period_end_that_breaks_the_calendar_names_its_line() {
    let message = error_after("site.toml", |t| {
        t.replacen(
            "[company]",
            "[periods]\n\"2005-Q4\" = { ends = 2006-02-15 }\n\n[company]",
            1,
        )
    });
    assert!(message.contains("site.toml:"), "{message}");
    assert!(
        message.contains("2005-FY") || message.contains("2005-Q4"),
        "{message}"
    );
    assert!(message.contains("eight and eighteen weeks"), "{message}");
}

#[test]
fn a_balance_sheet_date_that_ends_no_fiscal_quarter_is_refused_unless_listed() {
    const BALANCE_SHEET: &str = "content/releases/2006-q1/tables/balance-sheet.toml";
    let message = error_after(BALANCE_SHEET, |t| {
        t.replacen("\"2005-12-31\"]", "\"2005-12-30\"]", 1)
    });
    assert!(message.contains("balance-sheet.toml:"), "{message}");
    assert!(
        message.contains("December 30, 2005 does not end a fiscal quarter"),
        "{message}"
    );
    assert!(
        message.contains("off_calendar = [\"2005-12-30\"]"),
        "{message}"
    );
    // Under a calendar whose quarters end there, the same date is a period end.
    let site = common::copy_of_example();
    let root = site.path();
    let path = root.join(BALANCE_SHEET);
    let text = common::read(&path).replacen("\"2005-12-31\"]", "\"2005-12-30\"]", 1);
    std::fs::write(
        &path,
        text.replacen("columns =", "off_calendar = [\"2005-12-30\"]\ncolumns =", 1),
    )
    .unwrap();
    let message = check(&options(root)).unwrap_err().to_string();
    // Listed, the date is a column; what fails now is the tie of beginning cash to it.
    assert!(
        !message.contains("does not end a fiscal quarter"),
        "{message}"
    );
    assert!(message.contains("cash_beginning"), "{message}");
}

#[test]
fn a_period_the_calendar_cannot_place_names_file_and_line() {
    let message = error_after(OPERATIONS, |t| {
        t.replacen(
            "columns = [\"2006-Q1\", \"2005-Q1\"]",
            "columns = [\"2006-Q1\", \"9999-Q1\"]",
            1,
        )
    });
    assert!(message.contains("operations.toml:"), "{message}");
    assert!(
        message.contains("9999-Q1 is outside the fiscal years"),
        "{message}"
    );
    let message = error_after(OPERATIONS, |t| {
        t.replacen(
            "columns = [\"2006-Q1\", \"2005-Q1\"]",
            "columns = [\"2006-Q1\", \"2005-12M\"]",
            1,
        )
    });
    assert!(message.contains("write \"2005-FY\""), "{message}");
}

/// Runs `irsite check` on a copy of the example after `edit`; returns its exit code and stderr.
fn check_exit_after(edit: impl FnOnce(&Path)) -> (Option<i32>, String) {
    let site = common::copy_of_example();
    edit(site.path());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_irsite"))
        .arg("--root")
        .arg(site.path())
        .arg("check")
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn edit_file(root: &Path, file: &str, edit: impl Fn(String) -> String) {
    let path = root.join(file);
    let text = common::read(&path);
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changed nothing in {file}");
    std::fs::write(&path, edited).unwrap();
}

#[test]
fn a_relation_or_citation_nested_thousands_deep_is_an_error_not_a_stack_overflow() {
    let deep = |inner: &str| format!("{}{inner}{}", "(".repeat(5000), ")".repeat(5000));
    let (code, stderr) = check_exit_after(|root| {
        edit_file(root, OPERATIONS, |t| {
            t.replacen(
                "equals = \"revenue - total_operating_costs\"",
                &format!("equals = \"{}\"", deep("revenue - total_operating_costs")),
                1,
            )
        })
    });
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("operations.toml:"), "{stderr}");
    assert!(stderr.contains("nested"), "{stderr}");
    let (code, stderr) = check_exit_after(|root| {
        edit_file(root, RELEASE, |t| {
            t.replacen(
                "{{ operations.revenue | millions }}",
                &format!("{{{{ {} | millions }}}}", deep("operations.revenue")),
                1,
            )
        })
    });
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("index.md:"), "{stderr}");
    assert!(stderr.contains("nested"), "{stderr}");
    // A long flat sum builds as deep a tree as nesting does.
    let terms = vec!["revenue"; 20_000].join(" + ");
    let (code, stderr) = check_exit_after(|root| {
        edit_file(root, OPERATIONS, |t| {
            t.replacen(
                "equals = \"revenue - total_operating_costs\"",
                &format!("equals = \"{terms}\""),
                1,
            )
        })
    });
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("terms"), "{stderr}");
}

#[test]
fn figures_at_the_limits_of_a_decimal_overflow_into_an_error_naming_the_figure() {
    // 79,228,162,514,264,337,593,543,950,335 is the largest a Decimal holds.
    let huge = "79228162514264337593543950335";
    let (code, stderr) = check_exit_after(|root| {
        edit_file(root, OPERATIONS, |t| {
            t.replacen(
                "values = [\"42625\", \"37855\"]",
                &format!("values = [\"{huge}\", \"-{huge}\"]"),
                1,
            )
        })
    });
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("operations.toml:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // A percentage of a huge ratio overflows when multiplied by a hundred.
    let (code, stderr) = check_exit_after(|root| {
        edit_file(root, RELEASE, |t| {
            t.replacen(
                "{{ operations.revenue | millions }}",
                "{{ operations.revenue / operations.revenue@2005-Q1 | percent(1) }}",
                1,
            )
        });
        edit_file(root, OPERATIONS, |t| {
            t.replacen(
                "values = [\"42625\", \"37855\"]",
                &format!("values = [\"{huge}\", \"1\"]"),
                1,
            )
        })
    });
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn only_web_mail_phone_and_site_links_are_published() {
    let message = error_after("site.toml", |t| {
        t.replacen(
            "website = \"http://www.internap.com\"",
            "website = \"javascript:alert(document.cookie)\"",
            1,
        )
    });
    assert!(message.contains("site.toml"), "{message}");
    assert!(message.contains("company.website"), "{message}");
    assert!(message.contains("`javascript:`"), "{message}");
    let message = error_after(RELEASE, |t| {
        t.replacen(
            "webcast = \"http://www.internap.com\"",
            "webcast = \"data:text/html,<script>alert(1)</script>\"",
            1,
        )
    });
    assert!(message.contains("index.md"), "{message}");
    assert!(message.contains("call.webcast"), "{message}");
    // A Markdown link that leaves the site without a scheme, and one hidden behind a character
    // reference (which Markdown decodes in a destination).
    for link in [
        "[report](//evil.example/report.pdf)",
        "[x](&#106;avascript:alert(1))",
        "![chart](data:image/svg+xml;base64,PHN2Zz4=)",
    ] {
        let message = error_after(RELEASE, |t| {
            t.replacen(
                "## 2006 Full Year Guidance",
                &format!("{link}\n\n## 2006 Full Year Guidance"),
                1,
            )
        });
        assert!(message.contains("index.md"), "{link}: {message}");
    }
}

/// A chart id becomes a file name (`charts/<id>.svg`): one that climbs out of `charts/` would
/// write outside the output, into the site here, before any later check refused the build.
#[test]
fn a_chart_id_that_leaves_the_output_is_refused_before_anything_is_written() {
    let message = error_after("site.toml", |t| {
        t.replacen("id = \"revenue\"", "id = \"../../victim/important\"", 1)
    });
    assert!(message.contains("site.toml:20:"), "{message}");
    assert!(message.contains("\"../../victim/important\""), "{message}");
    assert!(message.contains("lowercase letters, digits"), "{message}");
}

/// `../charts/revenue` would land on the revenue chart's own file and silently replace it.
#[test]
fn a_chart_id_that_names_another_charts_file_is_refused() {
    let message = error_after("site.toml", |t| {
        t.replace("\"net-income\"", "\"../charts/revenue\"")
    });
    assert!(message.contains("site.toml:25:"), "{message}");
    assert!(message.contains("\"../charts/revenue\""), "{message}");
}

/// A table id names its CSV (`releases/<slug>/<table-id>.csv`): it is checked as a slug, as
/// the release folder's name is (above).
#[test]
fn a_table_file_whose_name_is_not_a_slug_is_refused() {
    let message = refused_after(|root| {
        std::fs::rename(
            root.join(OPERATIONS),
            root.join("content/releases/2006-q1/tables/Operations.toml"),
        )
        .unwrap();
    });
    assert!(message.contains("Operations.toml"), "{message}");
    assert!(message.contains("is not a valid table id"), "{message}");
}

/// A control character breaks the XML of the feed and the charts, puts a NUL in pages and a
/// bare CR in the calendar file: one anywhere in a source, written or escaped, is refused with
/// its file, line and field. Tab and line breaks (LF, CRLF) are text.
#[test]
fn control_characters_in_text_are_refused_with_file_line_and_field() {
    const SITE: &str = "site.toml";
    let cases: [(&str, &str, &str, &str, &str); 6] = [
        // The release's call title, as an escape: a bare CR would start a new .ics line.
        (
            RELEASE,
            "title = \"Internap first quarter 2006 teleconference\"",
            "title = \"Internap call\\rLOCATION:http://evil.example\"",
            "`call.title`",
            "U+000D",
        ),
        // An escaped NUL in the release title.
        (
            RELEASE,
            "title = \"Internap Reports",
            "title = \"Internap\\u0000Reports",
            "`title`",
            "U+0000",
        ),
        // An escaped ESC in the site title.
        (
            SITE,
            "title = \"Internap Investor Relations\"",
            "title = \"Internap\\u001bInvestor Relations\"",
            "`title`",
            "U+001B",
        ),
        // An escaped BEL in a table label (outside the fast reader's subset).
        (
            OPERATIONS,
            "label = \"Revenue\"",
            "label = \"Rev\\u0007enue\"",
            "`rows.label`",
            "U+0007",
        ),
        // A C1 control written as is in a table label.
        (
            OPERATIONS,
            "label = \"Revenue\"",
            "label = \"Rev\u{85}enue\"",
            "",
            "U+0085",
        ),
        // A control character written as is in the Markdown body.
        (
            RELEASE,
            "\nFor the first quarter of 2006,",
            "\nFor the first\u{1} quarter of 2006,",
            "",
            "U+0001",
        ),
    ];
    for (file, from, to, field, code) in cases {
        let site = common::copy_of_example();
        let root = site.path();
        let path = root.join(file);
        let text = common::read(&path);
        assert!(text.contains(from), "{file}: {from}");
        let edited = text.replacen(from, to, 1);
        std::fs::write(&path, &edited).unwrap();
        let line = edited[..edited.find(to).unwrap() + 1].lines().count()
            + usize::from(to.starts_with('\n'));
        // The first line names the place; the lines under it show the source.
        let errors = common::errors_of(root);
        assert!(
            errors[0].starts_with(&format!("{}:{line}:", path.display()))
                && errors[0].contains(field)
                && errors[0].contains(code)
                && errors[0].contains("control character"),
            "{to}: {}",
            errors[0]
        );
    }
    // Tabs and CRLF line endings are text, not control characters to refuse.
    let site = common::copy_of_example();
    let root = site.path();
    for file in [RELEASE, OPERATIONS, SITE] {
        let path = root.join(file);
        let text = common::read(&path).replace('\n', "\r\n");
        std::fs::write(&path, text).unwrap();
    }
    let path = root.join(OPERATIONS);
    let text = common::read(&path).replacen("label = \"Revenue\"", "label = \"Rev\\tenue\"", 1);
    std::fs::write(&path, text).unwrap();
    check(&options(root)).unwrap_or_else(|e| panic!("{e}"));
}

/// Columns with members and comparisons that cannot be read: each error names the table file,
/// the line of the column (or of the table's key) and what was expected.
#[test]
fn bad_member_and_comparison_columns_name_the_column_and_what_was_expected() {
    let cases: [(&str, &str, &str, &str); 9] = [
        (
            "segments",
            "{ period = \"2023-Q2\", member = \"wholesale\" }",
            "{ period = \"2023-Q2\", member = \"export\" }",
            "member \"export\" is not declared (members: retail, wholesale, consolidated)",
        ),
        (
            "operations",
            "{ change = [\"2024-Q2\", \"2023-Q2\"] }",
            "{ change = [\"2024-Q2\", \"2022-Q2\"] }",
            "compares 2022-Q2, which is not a column of the table",
        ),
        (
            "operations",
            "{ sequential_change = [\"2024-Q2\", \"2024-Q1\"] }",
            "{ sequential_change = [\"2024-Q2\", \"2023-Q2\"] }",
            "a sequential change compares a quarter with the quarter before it",
        ),
        (
            "operations",
            "{ percent_change = [\"2024-Q2\", \"2023-Q2\"] }",
            "{ percent_change = [\"2024-Q2\", \"2023-Q2\"], change = [\"2024-Q2\", \"2023-Q2\"] }",
            "a column is one comparison",
        ),
        (
            "segments",
            "group_by = \"member\"\n",
            "",
            "a table with members states how its headers nest: group_by = \"period\"",
        ),
        (
            "reconciliation",
            "total = { id = \"as_reported\", label = \"As reported\" }\n",
            "",
            "has no member in a table with members: declare the id and header",
        ),
        (
            "segments",
            "member_equals = { consolidated = \"retail + wholesale\" }",
            "member_equals = { consolidated = \"retail + export\" }",
            "member_equals: \"export\" is not a declared member or the total's id",
        ),
        (
            "operations",
            "\"1130\", \"10.0%\"",
            "\"1130\", \"10.0\"",
            "a percentage column holds percents such as \"8.0%\"",
        ),
        (
            "operations",
            "\"1130\", \"10.0%\"",
            "\"11.3%\", \"10.0%\"",
            "a change or basis-point column holds plain figures",
        ),
    ];
    for (table, from, to, expected) in cases {
        let site = common::columns_site();
        let path = site
            .path()
            .join(format!("content/releases/2024-q2/tables/{table}.toml"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{table}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let errors = common::errors_of(site.path());
        assert!(
            errors[0].starts_with(&format!("{}:", path.display())) && errors[0].contains(expected),
            "{to:?}: expected {expected:?} in {errors:#?}"
        );
    }
}

#[test]
fn a_units_caption_that_names_another_scale_than_the_table_is_refused() {
    let message = error_after(OPERATIONS, |t| {
        t.replace(
            "units = \"in thousands, except per share amounts\"",
            "units = \"in millions, except per share amounts\"",
        )
    });
    assert!(
        message.ends_with(
            "operations.toml:1: the units caption \"in millions, except per share amounts\" \
             says millions but the table's scale is thousands (the default): the caption is \
             printed and the scale is what the figures mean, so they must agree; write scale = \
             \"millions\" or correct the caption"
        ),
        "{message}"
    );
    let message = error_after(OPERATIONS, |t| {
        t.replace(
            "columns = [\"2006-Q1\", \"2005-Q1\"]",
            "scale = \"millions\"\ncolumns = [\"2006-Q1\", \"2005-Q1\"]",
        )
    });
    assert!(
        message.contains("says thousands but the table's scale is millions: the caption"),
        "{message}"
    );
    let message = error_after(OPERATIONS, |t| {
        t.replace(
            "columns = [\"2006-Q1\", \"2005-Q1\"]",
            "scale = \"trillions\"\ncolumns = [\"2006-Q1\", \"2005-Q1\"]",
        )
    });
    assert!(message.contains("unknown variant `trillions`"), "{message}");
}

#[test]
fn a_row_unit_that_contradicts_its_kind_is_refused() {
    let message = error_after(OPERATIONS, |t| {
        t.replace(
            "kind = \"per_share\"\nvalues = [\"0.00\", \"-0.00\"]\nequals = \"net_income / basic_shares\"",
            "kind = \"per_share\"\nscale = \"thousands\"\nvalues = [\"0.00\", \"-0.00\"]\nequals = \"net_income / basic_shares\"",
        )
    });
    assert!(
        message.contains(
            "row \"basic_eps\" is a per_share row, stated in currency units, so it has no `scale`"
        ),
        "{message}"
    );
    let message = error_after(OPERATIONS, |t| {
        t.replacen(
            "kind = \"shares\"\n",
            "kind = \"shares\"\nunit = \"percent\"\n",
            1,
        )
    });
    assert!(
        message.contains(
            "row \"basic_shares\" is a shares row, so it cannot also have unit = \"percent\""
        ),
        "{message}"
    );
}

#[test]
fn a_percent_row_holding_an_amount_is_refused_naming_file_row_and_figure() {
    // unit = "percent" promises percent cells: an amount in it is a typo for "…%".
    let message = error_after(OPERATIONS, |t| {
        t.replacen(
            "label = \"Revenue\"\nvalues = [\"42625\", \"37855\"]",
            "label = \"Revenue\"\nunit = \"percent\"\nvalues = [\"42.6%\", \"37855\"]",
            1,
        )
    });
    assert!(
        message.contains(
            "operations.toml:6: row \"revenue\" has unit = \"percent\", so every figure is a \
             percent, but its figure 2 of the row is the amount \"37855\": write it with its \
             \"%\" (\"37855%\")"
        ),
        "{message}"
    );
    // Percent cells make a percent row without the key, and it may not mix in amounts either.
    let message = error_after(OPERATIONS, |t| {
        t.replacen(
            "values = [\"42625\", \"37855\"]",
            "values = [\"42625\", \"8.0%\"]",
            1,
        )
    });
    assert!(
        message.contains(
            "operations.toml:6: row \"revenue\" holds percent cells, so every figure is a \
             percent, but its figure 1 of the row is the amount \"42625\""
        ),
        "{message}"
    );
}

#[test]
fn a_currency_whose_figures_would_print_with_a_dollar_sign_it_does_not_use_is_refused() {
    // Statements and citations print "$": a company reporting in euros must not publish its
    // figures as dollars. Dollar currencies are accepted.
    let message = error_after("site.toml", |t| {
        t.replace("language = \"en\"", "language = \"en\"\ncurrency = \"EUR\"")
    });
    assert!(
        message.contains(
            "site.toml:8:12: currency \"EUR\" is not written with \"$\", and statements and \
             citations print their currency sign as \"$\""
        ),
        "{message}"
    );
    let site = common::copy_of_example();
    let path = site.path().join("site.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("language = \"en\"", "language = \"en\"\ncurrency = \"CAD\""),
    )
    .unwrap();
    let (ok, _, stderr) = common::irsite(site.path(), &["check"]);
    assert!(ok, "{stderr}");
}

#[test]
fn a_reporting_currency_that_is_not_an_iso_code_is_refused_at_its_line() {
    let message = error_after("site.toml", |t| {
        t.replace("language = \"en\"", "language = \"en\"\ncurrency = \"usd\"")
    });
    assert!(
        message.contains(
            "site.toml:8:12: currency is an ISO 4217 code of three capital letters, such as \
             \"USD\" or \"EUR\"; found \"usd\""
        ),
        "{message}"
    );
    let message = error_after("site.toml", |t| {
        t.replace("language = \"en\"", "language = \"en\"\ncurrency = \"ISK\"")
    });
    assert!(
        message.contains("currency \"ISK\" has no built-in name; give the plural name"),
        "{message}"
    );
}
