//! A site of several quarters (synthetic, including a loss quarter, a missing quarter and a
//! non-GAAP measure first reported in the second): the home page leads with the latest, the
//! archive groups by year, every period has its financials page, the charts, feed and sitemap span
//! every release without inventing a quarter, and a release page's charts link its reconciliation.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{parse, read, text_of};

/// (slug, period, release date, revenue, costs) — 2006-Q1 is missing, 2005-Q3 is a loss.
const QUARTERS: [(&str, &str, &str, &str, &str); 4] = [
    ("2005-q2", "2005-Q2", "2005-07-28", "38210", "37990"),
    ("2005-q3", "2005-Q3", "2005-10-27", "39104", "40338"),
    ("2005-q4", "2005-Q4", "2006-02-09", "40292", "40469"),
    ("2006-q2", "2006-Q2", "2006-07-27", "44871", "43302"),
];

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Builds the fixture once per test binary; returns (site root, output).
fn site() -> &'static (PathBuf, PathBuf) {
    static BUILT: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("archive-fixture");
        let _ = std::fs::remove_dir_all(&root);
        for part in ["templates", "static"] {
            common::copy_tree(&common::repo_root().join(part), &root.join(part));
        }
        write(
            &root.join("site.toml"),
            "title = \"Example IR\"\nbase_url = \"https://owner.github.io/repo/\"\n\n\
             [company]\nname = \"Example Corporation\"\nshort_name = \"Example\"\n\
             ticker = \"EXM\"\nexchange = \"NYSE\"\nwebsite = \"https://example.com\"\n\n\
             [[charts]]\nid = \"revenue\"\ntitle = \"Revenue\"\nmetric = \"revenue\"\n\n\
             [[charts]]\nid = \"net-income\"\ntitle = \"Net income (loss)\"\nmetric = \"net_income\"\n\n\
             [[charts]]\nid = \"adjusted-ebitda\"\ntitle = \"Adjusted EBITDA\"\n\
             metric = \"adjusted_ebitda\"\nnon_gaap = true\ncomparable = \"net-income\"\n\
             reconciliation = \"reconciliation\"\n",
        );
        for (slug, period, date, revenue, costs) in QUARTERS {
            let dir = root.join("content/releases").join(slug);
            let net: i64 = revenue.parse::<i64>().unwrap() - costs.parse::<i64>().unwrap();
            write(
                &dir.join("tables/operations.toml"),
                &format!(
                    "title = \"Statements of Operations\"\nunits = \"in thousands\"\n\
                     columns = [\"{period}\"]\n\n[[rows]]\nid = \"revenue\"\nlabel = \"Revenue\"\n\
                     values = [\"{revenue}\"]\n\n[[rows]]\nid = \"costs\"\n\
                     label = \"Total costs and expenses\"\nvalues = [\"{costs}\"]\n\n\
                     [[rows]]\nid = \"net_income\"\nlabel = \"Net income (loss)\"\n\
                     kind = \"grand_total\"\nvalues = [\"{net}\"]\nequals = \"revenue - costs\"\n"
                ),
            );
            // The oldest release predates the non-GAAP measure, and 2005-Q4's left its
            // reconciliation out: neither has one.
            let reconciled = ![QUARTERS[0].0, QUARTERS[2].0].contains(&slug);
            if reconciled {
                write(
                    &dir.join("tables/reconciliation.toml"),
                    &format!(
                        "title = \"Reconciliation of Net Income (Loss) to Adjusted EBITDA\"\n\
                         units = \"in thousands\"\ncolumns = [\"{period}\"]\nnon_gaap = true\n\n\
                         [[rows]]\nid = \"net_income\"\nlabel = \"Net income (loss)\"\n\
                         values = [\"{net}\"]\nequals = \"operations.net_income\"\n\n\
                         [[rows]]\nid = \"depreciation\"\nlabel = \"Depreciation\"\n\
                         values = [\"1000\"]\n\n\
                         [[rows]]\nid = \"adjusted_ebitda\"\nlabel = \"Adjusted EBITDA\"\n\
                         non_gaap = true\nkind = \"subtotal\"\ncomparable = \"net_income\"\n\
                         values = [\"{}\"]\nequals = \"net_income + depreciation\"\n",
                        net + 1000
                    ),
                );
            }
            let placement = if reconciled {
                "\n{{ table(id=\"reconciliation\") }}\n"
            } else {
                ""
            };
            write(
                &dir.join("index.md"),
                &format!(
                    "+++\ntitle = \"Example Reports {period} Results\"\ndate = {date}\n\
                     dateline = \"NEW YORK\"\nperiod = \"{period}\"\n\
                     summary = \"Results for {period}.\"\nhighlights = [\"Revenue of \
                     {{{{ operations.revenue | millions }}}}\"]\n+++\n\
                     Revenue was {{{{ operations.revenue | millions }}}} and net income (loss) \
                     {{{{ operations.net_income | millions }}}}.\n\n\
                     {{{{ table(id=\"operations\") }}}}\n{placement}"
                ),
            );
        }
        let out = root.join("public");
        irsite::site::build(&irsite::site::Options {
            root: root.clone(),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("the fixture does not build:\n{e}"));
        (root, out)
    })
}

fn out() -> &'static Path {
    &site().1
}

#[test]
fn the_home_page_leads_with_the_latest_results() {
    let home = read(&out().join("index.html"));
    let doc = parse(&home);
    let lead = common::by_id(&doc, "latest-title").unwrap();
    assert_eq!(text_of(lead), "Example Reports 2006-Q2 Results");
    assert!(home.contains("Revenue of $44.9 million"));
}

#[test]
fn the_archive_groups_releases_by_year_newest_first() {
    let archive = read(&out().join("releases/index.html"));
    let doc = parse(&archive);
    let years: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "h2")
        .map(text_of)
        .collect();
    assert_eq!(years, ["2006", "2005"]);
    let titles: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "a")
        .map(text_of)
        .filter(|t| t.starts_with("Example Reports"))
        .collect();
    assert_eq!(
        titles,
        [
            "Example Reports 2006-Q2 Results",
            "Example Reports 2005-Q4 Results",
            "Example Reports 2005-Q3 Results",
            "Example Reports 2005-Q2 Results",
        ]
    );
}

#[test]
fn every_period_has_its_release_and_financials_page() {
    for (slug, period, ..) in QUARTERS {
        let release = read(&out().join(format!("releases/{slug}/index.html")));
        assert!(release.contains(&format!("Example Reports {period} Results")));
        let financials = read(&out().join(format!("financials/{slug}/index.html")));
        let doc = parse(&financials);
        assert!(common::by_id(&doc, "operations").is_some(), "{slug}");
    }
}

#[test]
fn charts_span_every_quarter_and_invent_none() {
    let svg = read(&out().join("charts/revenue.svg"));
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let labels = text_of(doc.root_element());
    let order: Vec<usize> = ["Q2 2005", "Q3 2005", "Q4 2005", "Q2 2006"]
        .iter()
        .map(|q| {
            labels
                .find(q)
                .unwrap_or_else(|| panic!("no {q} in {labels}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "quarters in order");
    assert!(
        !labels.contains("Q1 2006"),
        "a missing quarter was invented"
    );
    for figure in ["38,210", "39,104", "40,292", "44,871"] {
        assert!(labels.contains(figure), "{figure}");
    }
    let net = read(&out().join("charts/net-income.svg"));
    assert!(
        net.contains("(1,234)"),
        "the loss quarter is in parentheses"
    );
    assert!(net.contains("(177)") && net.contains("1,569") && net.contains("220"));
}

#[test]
fn the_feed_and_sitemap_cover_every_release() {
    let feed = read(&out().join("feed.xml"));
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let ids: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "entry")
        .filter_map(|e| {
            e.children()
                .find(|n| n.tag_name().name() == "id")
                .map(text_of)
        })
        .collect();
    assert_eq!(
        ids,
        [
            "tag:example.com,2006-07-27:releases/2006-q2",
            "tag:example.com,2006-02-09:releases/2005-q4",
            "tag:example.com,2005-10-27:releases/2005-q3",
            "tag:example.com,2005-07-28:releases/2005-q2",
        ]
    );
    let sitemap = read(&out().join("sitemap.xml"));
    assert_eq!(sitemap.matches("<loc>").count(), 2 + 2 * QUARTERS.len());
}

#[path = "../examples/synth.rs"]
#[allow(dead_code)]
mod synth;

/// The synthetic archive of twelve quarters (with non-GAAP charts and reconciliations), built
/// once per test binary; returns its output.
fn synth_site() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("archive-synth");
        let _ = std::fs::remove_dir_all(&dir);
        let root = dir.join("site");
        synth::write_site(12, &root).unwrap();
        let out = dir.join("out");
        irsite::site::build(&irsite::site::Options {
            root: root.clone(),
            output_dir: Some(out.clone()),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("the synthetic archive does not build:\n{e}"));
        out
    })
}

#[test]
fn the_home_page_lists_the_latest_two_years_and_links_the_archive() {
    let out = synth_site();
    let listed = |page: &str| -> Vec<String> {
        let html = read(&out.join(page));
        let doc = parse(&html);
        doc.descendants()
            .filter(|n| n.has_tag_name("ul") && n.attribute("class") == Some("release-list"))
            .flat_map(|ul| ul.descendants().filter(|n| n.has_tag_name("time")))
            .filter_map(|t| t.attribute("datetime").map(str::to_string))
            .collect()
    };
    let home = listed("index.html");
    let archive = listed("releases/index.html");
    assert_eq!(archive.len(), 12);
    assert_eq!(home, archive[..8], "the eight latest, newest first");
    assert!(
        read(&out.join("index.html")).contains("<a href=\"./releases/\">All press releases</a>")
    );
}

#[test]
fn each_release_pages_non_gaap_chart_links_the_reconciliation_in_that_release() {
    let out = synth_site();
    let releases: Vec<String> = std::fs::read_dir(out.join("releases"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(releases.len(), 12);
    for slug in releases {
        let html = read(&out.join("releases").join(&slug).join("index.html"));
        let doc = parse(&html);
        let figure = common::by_id(&doc, "chart-adjusted-ebitda").expect("adjusted EBITDA chart");
        let links: Vec<&str> = figure
            .descendants()
            .filter_map(|n| n.attribute("href"))
            .filter(|h| h.contains("#reconciliation-"))
            .collect();
        assert_eq!(
            links,
            [format!(
                "../../releases/{slug}/#reconciliation-adjusted-ebitda"
            )],
            "{slug}"
        );
        assert!(
            html.contains("id=\"reconciliation-adjusted-ebitda\""),
            "{slug}"
        );
    }
}

/// The links in each chart of a release page, by chart id, in page order.
fn chart_links(slug: &str) -> Vec<(String, Vec<String>)> {
    let html = read(&out().join("releases").join(slug).join("index.html"));
    let doc = parse(&html);
    doc.descendants()
        .filter(|n| n.has_tag_name("figure"))
        .filter_map(|f| {
            let id = f.attribute("id")?.strip_prefix("chart-")?.to_string();
            let links = f
                .descendants()
                .filter_map(|n| n.attribute("href"))
                .map(str::to_string)
                .collect();
            Some((id, links))
        })
        .collect()
}

#[test]
fn a_release_without_its_own_reconciliation_links_the_newest() {
    let links = |slug: &str| {
        chart_links(slug)
            .into_iter()
            .find(|(id, _)| id == "adjusted-ebitda")
            .map(|(_, links)| links)
    };
    // 2005-Q4's window shows 2005-Q3's Adjusted EBITDA; its release has no reconciliation.
    assert_eq!(
        links("2005-q4").unwrap(),
        ["../../releases/2006-q2/#reconciliation"],
    );
    assert_eq!(
        links("2005-q3").unwrap(),
        ["../../releases/2005-q3/#reconciliation"],
    );
}

#[test]
fn a_chart_with_no_figures_up_to_a_release_is_left_off_its_page() {
    let charts =
        |slug: &str| -> Vec<String> { chart_links(slug).into_iter().map(|(id, _)| id).collect() };
    // Adjusted EBITDA was first reported in 2005-Q3.
    assert_eq!(charts("2005-q2"), ["revenue", "net-income"]);
    assert_eq!(
        charts("2005-q3"),
        ["revenue", "net-income", "adjusted-ebitda"]
    );
    let html = read(&out().join("releases/2005-q2/index.html"));
    assert!(!html.contains("<tr></tr>"), "an empty chart table");
}

/// Revenue of Q1 2005 as first reported, as the Q1 2006 release restates it, and of Q1 2006.
const FIRST_REPORTED: &str = "100";
const RESTATED: &str = "105";
const LATEST: &str = "120";

/// Two releases, the newer restating the older's quarter (revenue of Q1 2005 was
/// `FIRST_REPORTED`, then `RESTATED`). `restated` is what the newer table declares.
fn restating_site(root: &Path, restated: &str) {
    write(
        &root.join("site.toml"),
        "title = \"Example IR\"\nbase_url = \"https://owner.github.io/repo/\"\n\n\
         [company]\nname = \"Example Corporation\"\nshort_name = \"Example\"\n\
         ticker = \"EXM\"\nexchange = \"NYSE\"\n\n\
         [[charts]]\nid = \"revenue\"\ntitle = \"Revenue\"\nmetric = \"revenue\"\n",
    );
    for part in ["templates", "static"] {
        common::copy_tree(&common::repo_root().join(part), &root.join(part));
    }
    let releases = [
        (
            "2005-q1",
            "2005-Q1",
            "2005-04-28",
            "[\"2005-Q1\"]".to_string(),
            format!("[\"{FIRST_REPORTED}\"]"),
            "",
        ),
        (
            "2006-q1",
            "2006-Q1",
            "2006-04-27",
            "[\"2006-Q1\", \"2005-Q1\"]".to_string(),
            format!("[\"{LATEST}\", \"{RESTATED}\"]"),
            restated,
        ),
    ];
    for (slug, period, date, columns, revenue, restated) in releases {
        let dir = root.join("content/releases").join(slug);
        write(
            &dir.join("tables/operations.toml"),
            &format!(
                "title = \"Statements of Operations\"\nunits = \"in thousands\"\n\
                 columns = {columns}\n{restated}\n[[rows]]\nid = \"revenue\"\n\
                 label = \"Revenue\"\nvalues = {revenue}\n"
            ),
        );
        write(
            &dir.join("index.md"),
            &format!(
                "+++\ntitle = \"Example Reports {period} Results\"\ndate = {date}\n\
                 dateline = \"NEW YORK\"\nperiod = \"{period}\"\nsummary = \"Results.\"\n+++\n\
                 Revenue was {{{{ operations.revenue | number }}}} thousand.\n\n\
                 {{{{ table(id=\"operations\") }}}}\n"
            ),
        );
    }
}

#[test]
fn a_quarter_two_releases_report_differently_is_refused_unless_the_newer_restates_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    restating_site(&root, "");
    let options = irsite::site::Options {
        root: root.clone(),
        ..Default::default()
    };
    let message = irsite::site::check(&options).unwrap_err().to_string();
    assert!(
        message.contains("2005-q1/tables/operations.toml:5:")
            && message.contains(&format!("{FIRST_REPORTED} here but {RESTATED} in"))
            && message.contains("restated = [\"2005-Q1\"]"),
        "{message}"
    );

    restating_site(&root, "restated = [\"2005-Q1\"]\n");
    irsite::site::build(&options).unwrap_or_else(|e| panic!("{e}"));
    let out = root.join("public");
    // The chart shows the quarter as last reported, a release page as the release reported it.
    let chart = read(&out.join("charts/revenue.svg"));
    assert!(
        chart.contains(&format!("Q1 2005: {RESTATED}; Q1 2006: {LATEST}.</desc>")),
        "{chart}"
    );
    let chart_figures = |page: &str| -> Vec<String> {
        let html = read(&out.join(page));
        let doc = parse(&html);
        let figure = common::by_id(&doc, "chart-revenue").expect("revenue chart");
        figure
            .descendants()
            .filter(|n| n.has_tag_name("td"))
            .map(|n| text_of(n).trim().to_string())
            .collect()
    };
    assert_eq!(chart_figures("index.html"), [RESTATED, LATEST]);
    assert_eq!(
        chart_figures("releases/2006-q1/index.html"),
        [RESTATED, LATEST]
    );
    assert_eq!(
        chart_figures("releases/2005-q1/index.html"),
        [FIRST_REPORTED]
    );
    let page = read(&out.join("releases/2006-q1/index.html"));
    assert!(page.contains("2005<span class=\"restated\">As restated</span></th>"));
    assert!(!read(&out.join("releases/2005-q1/index.html")).contains("As restated"));
    let csv = read(&out.join("releases/2006-q1/operations.csv"));
    assert!(
        csv.starts_with(
            "Line item,Row id,Unit,\"Three months ended March 31, 2006 (in thousands)\",\
             \"Three months ended March 31, 2005, as restated (in thousands)\"\r\n"
        ),
        "{csv}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.join("releases/2006-q1/figures.json"))).unwrap();
    let columns = &json["tables"][0]["columns"];
    assert_eq!(columns[0].get("restated"), None);
    assert_eq!(columns[1]["restated"], true);
    assert_eq!(
        columns[1]["label"],
        "Three months ended March 31, 2005, as restated"
    );
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> =
        calamine::open_workbook(out.join("releases/2006-q1/2006-q1-financial-tables.xlsx"))
            .unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    // The fourth row holds the period headers.
    let headers: Vec<&Data> = (1..=2).filter_map(|c| sheet.get_value((3, c))).collect();
    assert_eq!(
        headers,
        [
            &Data::String("Three months ended March 31, 2006".into()),
            &Data::String("Three months ended March 31, 2005, as restated".into())
        ]
    );
}
