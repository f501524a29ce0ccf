//! What `static/` publishes: what the author meant, not the hidden files an editor, a version
//! control system or a secret leaves beside it.

mod common;

use std::path::Path;

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn hidden_files_of_static_are_left_out_and_named_but_well_known_is_published() {
    let site = common::copy_of_example();
    let root = site.path();
    write(root, "static/.env", "API_KEY=secret");
    write(root, "static/.git/config", "[remote \"origin\"]");
    write(root, "static/img/.DS_Store", "finder");
    write(root, "static/img/logo.svg", "<svg/>");
    write(
        root,
        "static/.well-known/security.txt",
        "Contact: mailto:ir@example.com",
    );
    write(root, "static/.well-known/.secret", "hidden inside");
    let (ok, stdout, stderr) = common::irsite(root, &["build"]);
    assert!(ok, "{stderr}");
    let public = root.join("public");
    assert!(public.join(".well-known/security.txt").is_file());
    assert!(public.join("img/logo.svg").is_file());
    for hidden in [".env", ".git", "img/.DS_Store", ".well-known/.secret"] {
        assert!(!public.join(hidden).exists(), "{hidden} was published");
    }
    assert!(
        stdout.contains(
            "left out 4 hidden files of static/: .env, .git/, .well-known/.secret, \
             img/.DS_Store"
        ),
        "{stdout}"
    );
    // `check` says the same, so what it accepts is what `build` publishes.
    let (ok, stdout, stderr) = common::irsite(root, &["check"]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("left out 4 hidden files of static/"),
        "{stdout}"
    );
}

#[test]
fn a_site_without_hidden_static_files_says_nothing_of_them() {
    let site = common::copy_of_example();
    let (ok, stdout, stderr) = common::irsite(site.path(), &["build"]);
    assert!(ok, "{stderr}");
    assert!(!stdout.contains("left out"), "{stdout}");
}
