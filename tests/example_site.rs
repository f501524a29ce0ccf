//! The bundled example site (Internap, Q1 2006), built once and inspected as a reader would.

mod common;

use common::{BASE_PATH, by_id, children, example_site, files_under, parse, read, text_of};
use std::collections::{BTreeMap, HashMap};

fn release_page() -> String {
    read(&example_site().join("releases/2006-q1/index.html"))
}

/// The table files of the bundled release, read with a plain TOML parser (not the generator's).
fn table_files() -> Vec<(String, toml::Table)> {
    let dir = common::repo_root().join("content/releases/2006-q1/tables");
    let mut tables: Vec<(String, toml::Table)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, read(&p).parse::<toml::Table>().unwrap())
        })
        .collect();
    tables.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(tables.len() >= 7, "the seed has seven tables");
    tables
}

/// The rows of a table file in groups that each start their own "$" sequence: the table's rows,
/// then each footnote's rows.
fn rows(v: Option<&toml::Value>) -> Vec<&toml::Table> {
    v.and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|r| r.as_table()).collect())
        .unwrap_or_default()
}

fn row_groups(table: &toml::Table) -> Vec<Vec<&toml::Table>> {
    let mut groups = vec![rows(table.get("rows"))];
    if let Some(notes) = table.get("footnotes").and_then(|f| f.as_array()) {
        for note in notes {
            groups.push(rows(note.get("rows")));
        }
    }
    groups
}

/// The financial style, written independently of the generator: thousands separators, the
/// reported decimals, parentheses for negatives, an em dash for nil.
fn styled(raw: &str) -> String {
    match raw {
        "nil" => "\u{2014}".into(),
        "N/A" => "N/A".into(),
        _ => {
            let negative = raw.starts_with('-');
            let digits = raw.trim_start_matches('-');
            let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
            let mut grouped = String::new();
            for (i, c) in whole.chars().enumerate() {
                if i > 0 && (whole.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            if !fraction.is_empty() {
                grouped = format!("{grouped}.{fraction}");
            }
            if negative {
                format!("({grouped})")
            } else {
                grouped
            }
        }
    }
}

#[test]
fn styled_is_the_financial_style() {
    assert_eq!(styled("-859571"), "(859,571)");
    assert_eq!(styled("-0.00"), "(0.00)");
    assert_eq!(styled("1507"), "1,507");
}

#[test]
fn every_table_figure_is_in_its_row_and_column_with_its_sign_style() {
    let page = release_page();
    let doc = parse(&page);
    let mut checked = 0;
    for (table_id, table) in table_files() {
        let columns = table["columns"].as_array().unwrap().len();
        for group in row_groups(&table) {
            let mut first_with_figures = true;
            for row in group {
                let row_id = row["id"].as_str().unwrap();
                let anchor = format!("{table_id}-{row_id}");
                let tr = by_id(&doc, &anchor).unwrap_or_else(|| panic!("no row {anchor}"));
                let label = text_of(children(tr, "th")[0]);
                assert!(
                    label.starts_with(row["label"].as_str().unwrap()),
                    "{anchor}: label {label:?}"
                );
                let cells = children(tr, "td");
                assert_eq!(cells.len(), columns, "{anchor}: one cell per column");
                let Some(values) = row.get("values").and_then(|v| v.as_array()) else {
                    assert!(cells.iter().all(|c| text_of(*c).is_empty()), "{anchor}");
                    continue;
                };
                let kind = row.get("kind").and_then(|k| k.as_str()).unwrap_or("item");
                let forced = row.get("currency").and_then(|c| c.as_bool());
                let wants_dollar = forced.unwrap_or(match kind {
                    "total" | "grand_total" | "per_share" => true,
                    "shares" => false,
                    _ => first_with_figures,
                });
                first_with_figures = false;
                for (column, (cell, raw)) in cells.iter().zip(values).enumerate() {
                    let raw = raw.as_str().unwrap();
                    let text = text_of(*cell);
                    let (dollar, figure) = match text.strip_prefix('$') {
                        Some(rest) => (true, rest),
                        None => (false, text.as_str()),
                    };
                    assert_eq!(figure, styled(raw), "{anchor}, column {column}");
                    assert_eq!(
                        dollar, wants_dollar,
                        "{anchor}, column {column}: currency sign"
                    );
                    let class = cell.attribute("class").unwrap_or_default();
                    assert_eq!(
                        class == "negative",
                        raw.starts_with('-'),
                        "{anchor}, column {column}: class {class}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} figures checked");
}

#[test]
fn totals_have_rules_and_grand_totals_a_double_rule() {
    let css = read(&example_site().join("style.css"));
    assert!(
        css.contains("tr.grand_total td { border-bottom: 3px double"),
        "double rule"
    );
    assert!(css.contains(
        "tr.subtotal td, table.fin tr.total td, table.fin tr.grand_total td { border-top: 1px solid"
    ));
    let page = release_page();
    let doc = parse(&page);
    let net_income = by_id(&doc, "operations-net_income").unwrap();
    assert_eq!(net_income.attribute("class"), Some("grand_total indent-0"));
    let subtotal = by_id(&doc, "operations-total_operating_costs").unwrap();
    assert!(subtotal.attribute("class").unwrap().starts_with("subtotal"));
}

#[test]
fn column_headers_are_generated_from_periods() {
    let page = release_page();
    let doc = parse(&page);
    // Each header as a screen reader reads it (the full header) and as a phone shows it (the
    // compact form, where the column has one, and never read aloud).
    let headers = |table: &str| -> (Vec<String>, Vec<String>) {
        let section = by_id(&doc, table).unwrap_or_else(|| panic!("no table {table}"));
        let thead = section
            .descendants()
            .find(|n| n.tag_name().name() == "thead")
            .unwrap();
        let cells = thead.descendants().filter(|n| n.tag_name().name() == "th");
        fn span<'a, 'i>(
            th: roxmltree::Node<'a, 'i>,
            class: &str,
        ) -> Option<roxmltree::Node<'a, 'i>> {
            th.children().find(|n| n.attribute("class") == Some(class))
        }
        cells
            .map(|th| match span(th, "compact") {
                Some(compact) => {
                    assert_eq!(compact.attribute("aria-hidden"), Some("true"));
                    (text_of(span(th, "full").unwrap()), text_of(compact))
                }
                None => (text_of(th), text_of(th)),
            })
            .unzip()
    };
    let same = |headers: &[&str]| -> (Vec<String>, Vec<String>) {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        (headers.clone(), headers)
    };
    assert_eq!(
        headers("operations"),
        same(&["Three months ended March 31,", "2006", "2005"])
    );
    assert_eq!(
        headers("cash-flows"),
        same(&["Three months ended March 31,", "2006", "2005"])
    );
    let (full, compact) = headers("balance-sheet");
    assert_eq!(full, ["March 31, 2006", "December 31, 2005"]);
    assert_eq!(compact, ["March 31, 2006", "Dec. 31, 2005"]);
    let (full, compact) = headers("reconciliation-adjusted-ebitda");
    assert_eq!(
        full,
        [
            "Three months ended",
            "March 31, 2006",
            "December 31, 2005",
            "March 31, 2005"
        ]
    );
    assert_eq!(
        compact,
        ["Three months ended", "Q1 2006", "Q4 2005", "Q1 2005"]
    );
    let (full, compact) = headers("pro-forma-net-income");
    assert_eq!(
        full,
        ["Three months ended", "March 31, 2006", "December 31, 2005"]
    );
    assert_eq!(compact, ["Three months ended", "Q1 2006", "Q4 2005"]);
}

#[test]
fn every_table_has_a_caption_with_its_units_and_header_cells() {
    let page = release_page();
    let doc = parse(&page);
    for (table_id, table) in table_files() {
        let section = by_id(&doc, &table_id).unwrap();
        let caption = text_of(by_id(&doc, &format!("{table_id}-caption")).unwrap());
        assert!(
            caption.contains(table["title"].as_str().unwrap()),
            "{caption}"
        );
        assert!(
            caption.contains(&format!("({})", table["units"].as_str().unwrap())),
            "{caption}"
        );
        assert!(caption.contains("Internap Network Services Corporation"));
        for th in section
            .descendants()
            .filter(|n| n.tag_name().name() == "th")
        {
            let scope = th.attribute("scope").unwrap_or_default();
            assert!(
                ["row", "col", "colgroup"].contains(&scope),
                "th without scope"
            );
        }
    }
}

/// Words and figures of a text: lowercase words, and figures with their parentheses.
fn tokens(text: &str) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let text = text.replace(['\u{2019}', '\u{2018}'], "'");
    let mut words = BTreeMap::new();
    let mut figures = BTreeMap::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() || (c == '(' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || ((chars[i] == ',' || chars[i] == '.')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            if c == '(' && chars.get(i) == Some(&')') {
                i += 1;
            }
            let figure: String = chars[start..i].iter().collect();
            *figures.entry(figure).or_insert(0) += 1;
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && (chars[i].is_alphabetic() || chars[i] == '\'') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
            *words
                .entry(word.trim_end_matches('\'').to_string())
                .or_insert(0) += 1;
        } else {
            i += 1;
        }
    }
    (words, figures)
}

/// The published copy with its known defects cleaned (escaped dollars, mojibake), and the one
/// column header the generator words differently: headers are made from periods, and the
/// statement of operations' "For the three months ended" reads "Three months ended" like the
/// release's other tables.
fn cleaned_seed() -> String {
    read(&common::repo_root().join("tests/fixtures/seed-release.txt"))
        .replace("\\$", "$")
        .replace("\u{e2}\u{20ac}", "")
        .replacen("For the three months ended", "three months ended", 1)
}

fn missing(seed: &BTreeMap<String, usize>, page: &BTreeMap<String, usize>) -> Vec<String> {
    seed.iter()
        .filter(|(token, count)| page.get(*token).copied().unwrap_or(0) < **count)
        .map(|(token, count)| {
            format!(
                "{token} ({count} in the seed, {} on the page)",
                page.get(token).copied().unwrap_or(0)
            )
        })
        .collect()
}

#[test]
fn every_word_and_figure_of_the_seed_is_on_the_release_page() {
    let page = release_page();
    let doc = parse(&page);
    let main = by_id(&doc, "main").unwrap();
    // Cells and inline elements are separate text nodes: keep them apart.
    let text: Vec<&str> = main
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    let (page_words, page_figures) = tokens(&text.join(" "));
    let (seed_words, seed_figures) = tokens(&cleaned_seed());
    let missing_figures = missing(&seed_figures, &page_figures);
    assert!(
        missing_figures.is_empty(),
        "figures missing: {missing_figures:#?}"
    );
    let missing_words = missing(&seed_words, &page_words);
    assert!(
        missing_words.is_empty(),
        "words missing: {missing_words:#?}"
    );
}

#[test]
fn the_page_shows_no_copy_defects() {
    let page = release_page();
    for defect in ["\\$", "\u{e2}\u{20ac}", "$$", " ;", "4 th"] {
        assert!(!page.contains(defect), "the page shows {defect:?}");
    }
}

fn chart_svg(id: &str) -> String {
    read(&example_site().join(format!("charts/{id}.svg")))
}

#[test]
fn charts_are_valid_svg_with_text_alternatives_and_their_figures() {
    let tables = table_files();
    for (chart, metric) in [
        ("revenue", "revenue"),
        ("net-income", "net_income"),
        ("adjusted-ebitda", "adjusted_ebitda"),
    ] {
        let svg = chart_svg(chart);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{chart}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert!(root.attribute("viewBox").is_some(), "{chart}: viewBox");
        assert_eq!(root.attribute("role"), Some("img"));
        let title = root
            .children()
            .find(|n| n.tag_name().name() == "title")
            .unwrap();
        let desc = root
            .children()
            .find(|n| n.tag_name().name() == "desc")
            .unwrap();
        assert!(!text_of(title).is_empty() && !text_of(desc).is_empty());
        let labels = text_of(root);
        // Every quarter any table reports for the metric, with its figure.
        let mut expected = HashMap::new();
        for (_, table) in &tables {
            let columns: Vec<&str> = table["columns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            for row in row_groups(table).concat() {
                if row["id"].as_str() != Some(metric) {
                    continue;
                }
                for (period, value) in columns.iter().zip(row["values"].as_array().unwrap()) {
                    if period.contains("-Q") {
                        expected.insert(period.to_string(), styled(value.as_str().unwrap()));
                    }
                }
            }
        }
        assert_eq!(
            expected.len(),
            3,
            "{chart}: the seed reports three quarters"
        );
        for (period, figure) in &expected {
            let (year, quarter) = period.split_once('-').unwrap();
            assert!(
                labels.contains(&format!("{quarter} {year}")),
                "{chart}: no label for {period}"
            );
            assert!(
                labels.contains(figure.as_str()),
                "{chart}: no value {figure} for {period}"
            );
        }
    }
}

#[test]
fn the_non_gaap_chart_follows_its_gaap_chart_at_equal_size_and_links_its_reconciliation() {
    for page in ["index.html", "releases/2006-q1/index.html"] {
        let html = read(&example_site().join(page));
        let doc = parse(&html);
        let net = html
            .find("id=\"chart-net-income\"")
            .expect("net income chart");
        let ebitda = html
            .find("id=\"chart-adjusted-ebitda\"")
            .expect("adjusted EBITDA chart");
        assert!(net < ebitda, "{page}: the GAAP chart must come first");
        // The home page inlines each chart; a release page shows the chart's file.
        let size = |id: &str| {
            let figure = by_id(&doc, id).unwrap();
            let chart = figure
                .descendants()
                .find(|n| ["svg", "img"].contains(&n.tag_name().name()))
                .unwrap();
            (
                chart.attribute("viewBox").map(str::to_owned),
                chart.attribute("width").map(str::to_owned),
                chart.attribute("height").map(str::to_owned),
                chart.attribute("class").map(str::to_owned),
            )
        };
        assert_eq!(size("chart-net-income"), size("chart-adjusted-ebitda"));
        let figure = by_id(&doc, "chart-adjusted-ebitda").unwrap();
        assert!(text_of(figure).contains("Non-GAAP"));
        let link = figure
            .descendants()
            .filter_map(|n| n.attribute("href"))
            .find(|h| h.ends_with("#reconciliation-adjusted-ebitda"))
            .expect("link to the reconciliation");
        assert!(link.contains("releases/2006-q1/"), "{link}");
    }
}

/// Resolves `href` from the page at `page` (a path relative to the output), as a browser does
/// when the site is served under BASE_PATH. Returns the file and the fragment; `None` for
/// external links.
fn resolve(page: &str, href: &str) -> Option<(String, Option<String>)> {
    if ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|s| href.starts_with(s))
    {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    if path.is_empty() {
        return Some((page.to_string(), fragment));
    }
    let mut parts: Vec<String> = Vec::new();
    let relative = if path.starts_with('/') {
        path.strip_prefix(BASE_PATH)
            .unwrap_or_else(|| panic!("{page}: {href} lies outside {BASE_PATH}"))
    } else {
        parts = page.split('/').map(str::to_owned).collect();
        parts.pop();
        path
    };
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => assert!(
                parts.pop().is_some(),
                "{page}: {href} escapes the site root"
            ),
            s => parts.push(s.to_owned()),
        }
    }
    if path.ends_with('/') || parts.is_empty() {
        parts.push("index.html".into());
    }
    Some((parts.join("/"), fragment))
}

#[test]
fn every_internal_link_and_asset_resolves_under_the_subpath() {
    let out = example_site();
    let files = files_under(out);
    let pages: Vec<&String> = files.iter().filter(|f| f.ends_with(".html")).collect();
    assert!(pages.len() >= 3);
    let mut ids: HashMap<String, Vec<String>> = HashMap::new();
    let sources: HashMap<&String, String> =
        pages.iter().map(|p| (*p, read(&out.join(p)))).collect();
    for (page, html) in &sources {
        let doc = parse(html);
        ids.insert(
            page.to_string(),
            doc.descendants()
                .filter_map(|n| n.attribute("id").map(str::to_owned))
                .collect(),
        );
    }
    let mut links = 0;
    for (page, html) in &sources {
        let doc = parse(html);
        for node in doc.descendants() {
            for attr in ["href", "src"] {
                let Some(href) = node.attribute(attr) else {
                    continue;
                };
                if page.as_str() != "404.html" {
                    assert!(!href.starts_with('/'), "{page}: {href} is root-relative");
                }
                let Some((file, fragment)) = resolve(page, href) else {
                    continue;
                };
                assert!(
                    files.contains(&file),
                    "{page}: {href} -> {file} does not exist"
                );
                if let Some(fragment) = fragment {
                    assert!(
                        ids.get(&file).is_some_and(|ids| ids.contains(&fragment)),
                        "{page}: {href}: no id {fragment:?} in {file}"
                    );
                }
                links += 1;
            }
        }
    }
    assert!(links > 50, "only {links} links checked");
}

#[test]
fn the_output_deploys_to_github_pages() {
    let out = example_site();
    assert!(out.join(".nojekyll").is_file());
    let not_found = read(&out.join("404.html"));
    assert!(
        not_found.contains(&format!("href=\"{BASE_PATH}style.css\"")),
        "404 links from the base path"
    );
    let home = read(&out.join("index.html"));
    assert!(home.contains(&format!(
        "<link rel=\"canonical\" href=\"{}\" />",
        common::BASE_URL
    )));
    let release = release_page();
    assert!(release.contains("href=\"../../style.css\""));
}

#[test]
fn builds_are_reproducible_wherever_the_output_goes() {
    let first = example_site();
    let second = tempfile::tempdir().unwrap();
    let out = second.path().join("elsewhere");
    irsite::site::build(&irsite::site::Options {
        root: common::repo_root(),
        output_dir: Some(out.clone()),
        base_url: Some(common::BASE_URL.into()),
        force: false,
    })
    .unwrap();
    let files = files_under(first);
    assert_eq!(files, files_under(&out));
    for file in &files {
        assert!(
            std::fs::read(first.join(file)).unwrap() == std::fs::read(out.join(file)).unwrap(),
            "{file} differs between two builds"
        );
    }
}

#[test]
fn every_page_is_well_formed_and_declares_its_language() {
    let out = example_site();
    for page in files_under(out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&out.join(page));
        assert!(html.starts_with("<!DOCTYPE html>"), "{page}");
        let doc = parse(&html);
        assert_eq!(doc.root_element().attribute("lang"), Some("en"), "{page}");
    }
}

#[test]
fn a_rebuild_links_unchanged_files_and_writes_changed_ones_anew() {
    use std::os::unix::fs::MetadataExt;
    let site = common::copy_of_example();
    let options = irsite::site::Options {
        root: site.path().to_path_buf(),
        ..Default::default()
    };
    irsite::site::build(&options).unwrap();
    let out = site.path().join("public");
    let inode = |file: &str| std::fs::metadata(out.join(file)).unwrap().ino();
    let (css, csv, page) = (
        "style.css",
        "releases/2006-q1/operations.csv",
        "releases/2006-q1/index.html",
    );
    let before: Vec<u64> = [css, csv, page].iter().map(|f| inode(f)).collect();
    let old_page = read(&out.join(page));
    // A second name for the first build's page, to see that the rebuild never writes into it.
    let kept = tempfile::tempdir_in(site.path()).unwrap();
    std::fs::hard_link(out.join(page), kept.path().join("old.html")).unwrap();

    let source = site.path().join("content/releases/2006-q1/index.md");
    let text = read(&source);
    assert!(text.contains("Internap Network Services Corporation"));
    std::fs::write(
        &source,
        text.replacen(
            "Internap Network Services Corporation",
            "Internap Network Services Corp.",
            1,
        ),
    )
    .unwrap();
    irsite::site::build(&options).unwrap();

    assert_eq!(inode(css), before[0], "an unchanged file is the same file");
    assert_eq!(
        inode(csv),
        before[1],
        "an unchanged download is the same file"
    );
    assert_ne!(inode(page), before[2], "a changed page is a new file");
    assert!(read(&out.join(page)).contains("Internap Network Services Corp."));
    assert_eq!(
        read(&kept.path().join("old.html")),
        old_page,
        "the old file was not written into"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| common::build_leftover(n))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn statements_laid_out_in_code_match_the_bundled_partials() {
    // Two copies of the example, the second with its statement partials changed by a comment
    // only: it is laid out by Tera, the first by `render_statement`. A label with characters
    // that need escaping checks that both escape alike.
    let sites = [common::copy_of_example(), common::copy_of_example()];
    let mut outputs = Vec::new();
    for (i, site) in sites.iter().enumerate() {
        let root = site.path();
        let table = root.join("content/releases/2006-q1/tables/operations.toml");
        // A restated column checks that both mark it alike.
        let text = read(&table)
            .replace(
                "label = \"Customer support\"",
                "label = \"Customer <support> & \\\"care\\\" isn't free\"",
            )
            .replacen(
                "columns = [\"2006-Q1\", \"2005-Q1\"]",
                "columns = [\"2006-Q1\", \"2005-Q1\"]\nrestated = [\"2005-Q1\"]",
                1,
            );
        std::fs::write(&table, text).unwrap();
        // A table whose columns fall into several spanning headers, one over no header, with
        // footnotes on its title and on a heading row.
        common::add_example_table(
            root,
            "bookings",
            "title = \"Bookings\"\ntitle_notes = [\"a\"]\nunits = \"in thousands\"\n\
             columns = [\"2006-Q1\", \"2005-Q1\", \"2005-FY\", \"2004-FY\", \"2006-03-31\"]\n\
             [[rows]]\nid = \"orders\"\nlabel = \"Orders:\"\nkind = \"heading\"\n\
             notes = [\"b\"]\n\
             [[rows]]\nid = \"bookings\"\nlabel = \"Bookings\"\n\
             values = [\"1\", \"2\", \"3\", \"4\", \"5\"]\n\
             [[footnotes]]\nmarker = \"a\"\ntext = \"Unaudited.\"\n\
             [[footnotes]]\nmarker = \"b\"\ntext = \"Signed contracts.\"\n",
        );
        let templates = root.join("templates");
        if i == 1 {
            for (name, bundled) in irsite::render::statement::BUNDLED_PARTIALS {
                std::fs::write(templates.join(name), format!("{{# customised #}}{bundled}"))
                    .unwrap();
            }
        }
        let loaded = irsite::render::templates::load_templates(&templates).unwrap();
        assert_eq!(loaded.bundled_statements, i == 0);
        let out = root.join("public");
        common::build_into(root, &out);
        outputs.push(out);
    }
    let page = read(&outputs[0].join("releases/2006-q1/index.html"));
    assert!(page.contains("Customer &lt;support&gt; &amp; &quot;care&quot; isn&#39;t free"));
    assert!(page.contains(
        "<th scope=\"col\" title=\"Three months ended March 31, 2005, as restated\">2005\
         <span class=\"restated\">As restated</span></th>"
    ));
    assert!(page.contains(
        "<tr><td class=\"corner\"></td><th scope=\"colgroup\" colspan=\"2\">Three months ended \
         March 31,</th><th scope=\"colgroup\" colspan=\"2\">Year ended December 31,</th>\
         <td colspan=\"1\"></td></tr>"
    ));
    // The title's and the heading's markers link to their footnotes.
    assert!(
        page.contains(
            "<span class=\"statement-title\">Bookings<sup class=\"note-ref\"><a \
             href=\"#bookings-note-a\">(a)</a></sup></span>"
        ),
        "{page}"
    );
    assert!(
        page.contains(
            "<tr id=\"bookings-orders\" class=\"heading indent-0\"><th scope=\"row\">Orders:\
             <sup class=\"note-ref\"><a href=\"#bookings-note-b\">(b)</a></sup></th>"
        ),
        "{page}"
    );
    assert!(page.contains("<div class=\"footnote\" id=\"bookings-note-a\">"));
    assert!(page.contains("<div class=\"footnote\" id=\"bookings-note-b\">"));
    let files = files_under(&outputs[0]);
    assert_eq!(files, files_under(&outputs[1]));
    for file in &files {
        assert!(
            std::fs::read(outputs[0].join(file)).unwrap()
                == std::fs::read(outputs[1].join(file)).unwrap(),
            "{file} differs between the two layouts"
        );
    }
}
