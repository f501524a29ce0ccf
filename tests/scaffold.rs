//! `irsite new release 2006-Q2` on the example: what it writes, what `check` then asks for, and a
//! filled-in scaffold that `check` accepts and `build` publishes.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn irsite(root: &Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_irsite"))
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

/// Row id → the quoted figures of its `values` line.
fn figures_by_row(toml: &str) -> HashMap<String, Vec<String>> {
    let mut map = HashMap::new();
    let mut row = String::new();
    for line in toml.lines() {
        if let Some(id) = line.strip_prefix("id = ") {
            row = id.trim_matches('"').to_string();
        } else if line.starts_with("values = [") {
            map.insert(
                row.clone(),
                line.split('"')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_string)
                    .collect(),
            );
        }
    }
    map
}

/// Fills each empty figure with the figure in the same place of the source table: every new
/// column is then a copy of a real, internally consistent column.
fn fill(new: &str, old: &str) -> String {
    let old = figures_by_row(old);
    let mut row = String::new();
    let mut out = Vec::new();
    for line in new.lines() {
        if let Some(id) = line.strip_prefix("id = ") {
            row = id.trim_matches('"').to_string();
        }
        if line.starts_with("values = [") {
            let filled: Vec<String> = line
                .split('"')
                .skip(1)
                .step_by(2)
                .enumerate()
                .map(|(i, v)| {
                    let v = if v.is_empty() {
                        old[&row][i].as_str()
                    } else {
                        v
                    };
                    format!("\"{v}\"")
                })
                .collect();
            out.push(format!("values = [{}]", filled.join(", ")));
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n") + "\n"
}

#[test]
fn a_scaffolded_quarter_lists_what_is_empty_and_publishes_once_filled_in() {
    let site = common::copy_of_example();
    let root = site.path();
    let (ok, stdout, stderr) = irsite(root, &["new", "release", "2006-Q2"]);
    assert!(ok, "{stderr}");
    let new_dir = root.join("content/releases/2006-q2");
    assert!(stdout.contains(&new_dir.join("index.md").display().to_string()));
    let old_dir = root.join("content/releases/2006-q1");

    // Periods and headers roll forward; what was already reported is kept.
    let balance = common::read(&new_dir.join("tables/balance-sheet.toml"));
    assert!(balance.contains("columns = [\"2006-06-30\", \"2005-12-31\"]"));
    assert!(
        balance.contains("values = [\"\", \"24434\"]"),
        "year-end cash is kept"
    );
    let recon = common::read(&new_dir.join("tables/reconciliation-adjusted-ebitda.toml"));
    assert!(recon.contains("columns = [\"2006-Q2\", \"2006-Q1\", \"2005-Q2\"]"));
    assert!(
        recon.contains("values = [\"\", \"5807\", \"\"]"),
        "Q1 2006 is kept"
    );
    // The statement of operations, a quarter beside the same quarter of the prior year, gains
    // the six months beside it; the relations stated for 2005 follow to both 2005 columns.
    let operations = common::read(&new_dir.join("tables/operations.toml"));
    assert!(operations.contains("columns = [\"2006-Q2\", \"2005-Q2\", \"2006-6M\", \"2005-6M\"]"));
    assert!(operations.contains("values = [\"\", \"\", \"\", \"\"]"));
    let normalized = common::read(&new_dir.join("tables/normalized-net-income.toml"));
    assert!(
        normalized.contains("\"2005-Q2, 2005-6M: net_income - stock_based_compensation\""),
        "{normalized}"
    );

    // Scaffolding never overwrites, and only moves forward.
    let (ok, _, stderr) = irsite(root, &["new", "release", "2006-Q2"]);
    assert!(!ok && stderr.contains("already exists"), "{stderr}");
    let (ok, _, stderr) = irsite(root, &["new", "release", "2005-Q4"]);
    assert!(
        !ok && stderr.contains("does not come after 2006-Q2")
            && stderr.contains("the next quarter is 2006-Q3"),
        "{stderr}"
    );
    assert!(!root.join("content/releases/2005-q4").exists());

    // check lists everything still empty, and nothing is published.
    let (ok, _, stderr) = irsite(root, &["check"]);
    assert!(!ok);
    for expected in [
        "`title` is still empty in the front matter",
        "`date` is still empty in the front matter",
        "`summary` is still empty in the front matter",
        "still to do: rewrite this release for the second quarter of 2006",
        "operations.toml:6: revenue, three months ended June 30, 2006: still empty: fill in the figure",
        "operations.toml:6: revenue, six months ended June 30, 2005: still empty: fill in the figure",
        "balance-sheet.toml:17: cash_and_equivalents, June 30, 2006: still empty",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    assert!(
        !stderr.contains("December 31, 2005: still empty"),
        "{stderr}"
    );
    let empties = stderr.matches("still empty: fill in the figure").count();
    assert!(empties > 300, "{empties} empty figures");

    // A company that prints the quarter alone says so in its tables (`year_to_date = false`),
    // and the scaffold then has the latest release's columns, rolled.
    std::fs::remove_dir_all(&new_dir).unwrap();
    for table in common::files_under(&old_dir.join("tables")) {
        let path = old_dir.join("tables").join(&table);
        let text =
            common::read(&path).replacen("columns = [", "year_to_date = false\ncolumns = [", 1);
        std::fs::write(&path, text).unwrap();
    }
    let (ok, _, stderr) = irsite(root, &["new", "release", "2006-Q2"]);
    assert!(ok, "{stderr}");
    let operations = common::read(&new_dir.join("tables/operations.toml"));
    assert!(operations.contains("year_to_date = false\ncolumns = [\"2006-Q2\", \"2005-Q2\"]"));

    // Fill everything in, as the IR team would.
    for table in common::files_under(&new_dir.join("tables")) {
        let new = new_dir.join("tables").join(&table);
        let filled = fill(
            &common::read(&new),
            &common::read(&old_dir.join("tables").join(&table)),
        );
        assert!(!filled.contains("\"\""), "{table} still has empty figures");
        std::fs::write(&new, filled).unwrap();
    }
    let index = new_dir.join("index.md");
    let text = common::read(&index)
        .replacen(
            "title = \"\"",
            "title = \"Internap Reports Second Quarter 2006 Results\"",
            1,
        )
        .replacen("date = \"\"", "date = 2006-08-03", 1)
        .replacen("summary = \"\"", "summary = \"Second quarter results.\"", 1);
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("<!-- TODO"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&index, text).unwrap();

    let (ok, stdout, stderr) = irsite(root, &["check"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("2 releases"), "{stdout}");
    let (ok, _, stderr) = irsite(root, &["build"]);
    assert!(ok, "{stderr}");
    let home = common::read(&root.join("public/index.html"));
    assert!(home.contains("Internap Reports Second Quarter 2006 Results"));
    assert!(root.join("public/financials/2006-q2/index.html").is_file());
}
