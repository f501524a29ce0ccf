//! `irsite serve` as a user runs it: the real binary on a free port, a real HTTP client, real
//! edits on disk.

mod common;

#[path = "../examples/synth.rs"]
#[allow(dead_code)]
mod synth;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Stops the server however the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// GET over HTTP/1.1; returns (status line, headers and body as text).
fn get(url: &str) -> (String, String) {
    let (host, path) = (host_of(url), &url["http://".len() + host_of(url).len()..]);
    let mut stream = connect(url);
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or_default().to_string();
    (status, response)
}

fn wait_for(url: &str, what: &str, until: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (_, response) = get(url);
        if until(&response) {
            return response;
        }
        assert!(
            Instant::now() < deadline,
            "{what} never happened:\n{response}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How the server is started: `--root <absolute path>`, or from inside the site's folder with
/// the default root `.`, as the README runs it.
#[derive(Clone, Copy)]
enum Root {
    Absolute,
    CurrentDir,
}

/// Starts `irsite serve` on `root`; returns the server and its URL.
fn start(root: &std::path::Path, how: Root, stderr: Stdio) -> (Server, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_irsite"));
    match how {
        Root::Absolute => command.args(["--root", root.to_str().unwrap()]),
        Root::CurrentDir => command.current_dir(root),
    };
    let mut child = command
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    (server, base)
}

#[test]
fn an_edit_to_an_older_release_rebuilds_only_what_it_touches() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    synth::write_site(12, &root).unwrap();
    let log = dir.path().join("serve.log");
    let (_server, base) = start(
        &root,
        Root::Absolute,
        Stdio::from(std::fs::File::create(&log).unwrap()),
    );
    let oldest = format!("{base}releases/2000-q1/");
    let (status, _) = get(&oldest);
    assert_eq!(status, "HTTP/1.1 200 OK");
    let index = root.join("content/releases/2000-q1/index.md");
    replace_in(&index, "Reports Results", "Reports Revised Results");
    wait_for(&oldest, "the edit", |r| {
        r.contains("Synthetic Networks Reports Revised Results")
    });
    // Pages the edit does not touch are still served, and the archive lists the new title.
    let (status, newest) = get(&format!("{base}releases/2002-q4/"));
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(newest.contains("Synthetic Networks Reports Results for Q4 2002"));
    let (_, archive) = get(&format!("{base}releases/"));
    assert!(archive.contains("Synthetic Networks Reports Revised Results for Q1 2000"));
    assert!(!rebuilds(&log).is_empty(), "no partial rebuild");

    // An edit that changes no summary and no chart figure redoes that release's files alone.
    replace_in(
        &index,
        "dateline = \"ATLANTA\"",
        "dateline = \"ATLANTA, GA\"",
    );
    wait_for(&oldest, "the dateline edit", |r| r.contains("ATLANTA, GA"));
    assert_eq!(
        rebuilds(&log).last(),
        Some(&12),
        "two pages and ten downloads (7 CSV, XLSX, JSON, calendar)"
    );

    // A new label on a row a chart draws changes no chart: that release alone is redone.
    let operations = root.join("content/releases/2000-q1/tables/operations.toml");
    replace_in(
        &operations,
        "label = \"Revenue\"",
        "label = \"Revenue, net\"",
    );
    wait_for(&oldest, "the label edit", |r| r.contains("Revenue, net"));
    assert_eq!(rebuilds(&log).last(), Some(&12));

    // Charts draw the latest quarters: the newest release's page shows them, an older one its
    // own quarters' figures alone.
    let newest = format!("{base}releases/2002-q4/");
    assert!(get(&newest).1.contains("charts/revenue.svg"));
    assert!(!get(&oldest).1.contains("charts/revenue.svg"));

    // Changed figures of the latest quarter (every relation still tying) redraw the charts and
    // the home page that shows them. Without highlights citing them, no summary changes, and
    // the home page is the only site-wide page redone.
    let release = root.join("content/releases/2002-q4");
    let index = release.join("index.md");
    let text = common::read(&index);
    let (front, rest) = text.split_once("highlights = [").unwrap();
    let (_, after) = rest.split_once("\n]\n").unwrap();
    std::fs::write(
        &index,
        format!("{front}highlights = [\"A quarter without figures\"]\n{after}"),
    )
    .unwrap();
    wait_for(&newest, "the highlights edit", |r| {
        r.contains("A quarter without figures")
    });
    let revenue_chart = format!("{base}charts/revenue.svg");
    let (_, chart) = get(&revenue_chart);
    assert!(chart.contains("Q4 2002: 85,250"));
    assert!(
        chart.contains("Q4 2001: ") && !chart.contains("Q3 2001: "),
        "the chart draws the latest five quarters"
    );
    synth::double_latest_quarter(&release).unwrap();
    wait_for(&revenue_chart, "the figure edit", |r| {
        r.contains("Q4 2002: 170,500")
    });
    let (_, home) = get(&base);
    assert!(
        home.contains("Q4 2002: 170,500"),
        "the home page shows the old chart"
    );
}

#[test]
fn a_figure_edit_redoes_older_pages_whose_chart_windows_show_its_quarter() {
    // Without the releases of Q1 and Q2 2001, the figures of Q1 2001 come from the comparative
    // column of Q1 2002, and the page of Q3 2001, an older release, shows them.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    synth::write_site(12, &root).unwrap();
    for slug in ["2001-q1", "2001-q2"] {
        std::fs::remove_dir_all(root.join("content/releases").join(slug)).unwrap();
    }
    let (_server, base) = start(&root, Root::Absolute, Stdio::null());
    let page = format!("{base}releases/2001-q3/");
    let revenue_window = |page: &str| -> String {
        let start = page.find("id=\"chart-revenue\"").expect("a revenue chart");
        let end = start + page[start..].find("</figure>").unwrap();
        page[start..end].to_string()
    };
    let source = root.join("content/releases/2002-q1");
    let (figure, doubled) = (
        revenue(&source, "2001-Q1", 1),
        revenue(&source, "2001-Q1", 2),
    );
    let before = revenue_window(&get(&page).1);
    assert!(before.contains("Q1 2001") && before.contains(&figure) && !before.contains(&doubled));
    synth::double_quarter(&source, "2001-Q1").unwrap();
    wait_for(&page, "the older page's chart window", |r| {
        r.contains("id=\"chart-revenue\"") && revenue_window(r).contains(&doubled)
    });
}

/// The revenue of `quarter` in `release`'s operations table, times `times`, as pages print it.
fn revenue(release: &std::path::Path, quarter: &str, times: i64) -> String {
    use irsite::finance::format::format_amount;
    let table = irsite::content::load_statement(
        &release.join("tables/operations.toml"),
        &irsite::finance::FiscalCalendar::default(),
    )
    .unwrap();
    let period = irsite::finance::FiscalCalendar::default()
        .parse(quarter)
        .unwrap();
    let column = table
        .columns
        .iter()
        .position(|c| *c.main_period() == period)
        .unwrap();
    let row = table.rows.iter().find(|r| &*r.id == "revenue").unwrap();
    let mut amount = *row.values[column].amount().unwrap();
    amount.value *= rust_decimal::Decimal::from(times);
    format_amount(&amount)
}

/// Saves `path` with its first `from` replaced by `to`, as an editor would.
fn replace_in(path: &std::path::Path, from: &str, to: &str) {
    let text = common::read(path);
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// How many files each partial rebuild in the server's log wrote.
fn rebuilds(log: &std::path::Path) -> Vec<usize> {
    common::read(log)
        .lines()
        .filter_map(|l| l.strip_prefix("rebuilt ")?.split(' ').next()?.parse().ok())
        .collect()
}

#[test]
fn serve_answers_under_the_subpath_and_serves_every_edit() {
    let site = common::copy_of_example();
    // Run from inside the site's folder: edits must be seen whatever the root's spelling.
    let (_server, base) = start(site.path(), Root::CurrentDir, Stdio::null());
    // The subpath of site.toml's base_url, as on GitHub Pages.
    assert!(base.ends_with("/investors/"), "{base}");

    let (status, home) = get(&base);
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(home.contains("Internap Reports First Quarter 2006 Financial Results"));
    assert!(home.contains("__irsite/events"), "pages reload themselves");
    let (status, redirect) = get(&format!("{base}releases/2006-q1"));
    assert_eq!(status, "HTTP/1.1 301 Moved Permanently");
    assert!(
        redirect
            .to_lowercase()
            .contains("location: /investors/releases/2006-q1/"),
        "{redirect}"
    );
    let (status, _) = get(&format!("{base}style.css"));
    assert_eq!(status, "HTTP/1.1 200 OK");
    let (status, missing) = get(&format!("{base}nowhere/"));
    assert_eq!(status, "HTTP/1.1 404 Not Found");
    assert!(missing.contains("Page not found"));

    // An edit is served.
    let index = site.path().join("content/releases/2006-q1/index.md");
    let text = common::read(&index);
    std::fs::write(
        &index,
        text.replace("Financial Results\"", "Financial Results, Revised\""),
    )
    .unwrap();
    let release = format!("{base}releases/2006-q1/");
    wait_for(&release, "the edit", |r| {
        r.contains("Internap Reports First Quarter 2006 Financial Results, Revised")
    });

    // A broken figure shows the error in the page; fixing it brings the page back.
    let operations = site
        .path()
        .join("content/releases/2006-q1/tables/operations.toml");
    let table = common::read(&operations);
    std::fs::write(&operations, table.replacen("\"42625\"", "\"42626\"", 1)).unwrap();
    let page = wait_for(&release, "the error page", |r| {
        r.contains("The site does not build")
    });
    assert!(page.starts_with("HTTP/1.1 500"));
    assert!(
        page.contains("income_from_operations, three months ended March 31, 2006: components sum to 193 but the row states 192"),
        "{page}"
    );
    std::fs::write(&operations, table).unwrap();
    wait_for(&release, "the recovery", |r| {
        r.starts_with("HTTP/1.1 200") && r.contains("Revised")
    });
}

#[test]
fn an_edit_that_breaks_a_tie_with_another_release_shows_the_error_until_fixed() {
    use common::releases::{Release, table, write_site};
    // Northwind Pumps' first quarter, and its second with the six months; both report the
    // balance sheet at the prior year-end.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let balance = |figures: &'static [&'static str]| {
        table(
            &["2004-03-31", "2003-12-31"],
            "",
            &[("cash", "", figures, "")],
        )
    };
    write_site(
        &root,
        "",
        &[
            Release {
                slug: "2004-q1",
                period: "2004-Q1",
                date: "2004-04-29",
                tables: vec![
                    (
                        "operations",
                        table(&["2004-Q1"], "", &[("revenue", "", &["100"], "")]),
                    ),
                    ("balance-sheet", balance(&["500", "450"])),
                ],
            },
            Release {
                slug: "2004-q2",
                period: "2004-Q2",
                date: "2004-07-29",
                tables: vec![
                    (
                        "operations",
                        table(
                            &["2004-Q2", "2004-6M"],
                            "",
                            &[("revenue", "", &["110", "210"], "")],
                        ),
                    ),
                    (
                        "balance-sheet",
                        table(
                            &["2004-06-30", "2003-12-31"],
                            "",
                            &[("cash", "", &["520", "450"], "")],
                        ),
                    ),
                ],
            },
        ],
    );
    let (_server, base) = start(&root, Root::Absolute, Stdio::null());
    let page = format!("{base}releases/2004-q1/");
    let (status, _) = get(&page);
    assert_eq!(status, "HTTP/1.1 200 OK");
    let releases = root.join("content/releases");
    let second = releases.join("2004-q2/tables/operations.toml");

    // The first quarter's revenue, edited: the second release's six months no longer tie.
    let first = releases.join("2004-q1/tables/operations.toml");
    replace_in(&first, "\"100\"", "\"101\"");
    let error = wait_for(&page, "the error page", |r| {
        r.contains("The site does not build")
    });
    assert!(
        error.contains(&format!(
            "{}:6: revenue, six months ended June 30, 2004: its quarters sum to 211 but the row \
             states 210 (difference 1): Q1 2004 101 ({}:6), Q2 2004 110 ({}:6)",
            second.display(),
            first.display(),
            second.display()
        )),
        "{error}"
    );
    replace_in(&first, "\"101\"", "\"100\"");
    wait_for(&page, "the recovery", |r| r.starts_with("HTTP/1.1 200"));

    // The second release's prior year-end balance, edited: the first release's no longer ties.
    let newer = releases.join("2004-q2/tables/balance-sheet.toml");
    replace_in(&newer, "\"450\"", "\"455\"");
    let error = wait_for(&page, "the error page", |r| {
        r.contains("The site does not build")
    });
    assert!(
        error.contains(&format!(
            "{}:6: cash, December 31, 2003: 450 here but 455 in {}:6 (difference 5)",
            releases.join("2004-q1/tables/balance-sheet.toml").display(),
            newer.display()
        )),
        "{error}"
    );
    replace_in(&newer, "\"455\"", "\"450\"");
    wait_for(&page, "the recovery", |r| r.starts_with("HTTP/1.1 200"));
}

/// "127.0.0.1:PORT" of `base` ("http://127.0.0.1:PORT/...").
fn host_of(base: &str) -> &str {
    base.strip_prefix("http://")
        .unwrap()
        .split('/')
        .next()
        .unwrap()
}

/// A connection to the server of `base`, reads timing out at 10 s.
fn connect(base: &str) -> TcpStream {
    let host = host_of(base);
    let stream = TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

/// Sends `request` as it is and returns the status line of the answer.
fn raw(base: &str, request: &[u8]) -> String {
    let mut stream = connect(base);
    // The server may answer and close before it has read all of a long request.
    let _ = stream.write_all(request);
    // The status line alone: a connection kept alive is not waited out.
    let mut status = String::new();
    let _ = BufReader::new(stream).read_line(&mut status);
    status.trim_end().to_string()
}

#[test]
fn serve_answers_loopback_names_only_and_refuses_oversized_requests() {
    let site = common::copy_of_example();
    let (_server, url) = start(site.path(), Root::Absolute, Stdio::null());
    let path = url.split_once("127.0.0.1").unwrap().1;
    let path = &path[path.find('/').unwrap()..];
    let port = url.split(':').nth(2).unwrap().split('/').next().unwrap();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n");
        assert!(raw(&url, request.as_bytes()).contains("200"), "{host}");
    }
    // A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) is refused.
    for host in [
        "attacker.example",
        &format!("attacker.example:{port}"),
        "127.0.0.1.nip.io",
    ] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n");
        assert!(raw(&url, request.as_bytes()).contains("403"), "{host}");
    }
    // A request line or header of a megabyte is refused (a head over 16 KiB is too large
    // before its request line ends), and the server goes on answering.
    let long = format!("GET {path}{} HTTP/1.1\r\n\r\n", "a".repeat(1 << 20));
    let status = raw(&url, long.as_bytes());
    assert!(status.contains("414") || status.contains("431"), "{status}");
    let header = format!(
        "GET {path} HTTP/1.1\r\nX-Long: {}\r\n\r\n",
        "b".repeat(1 << 20)
    );
    assert!(raw(&url, header.as_bytes()).contains("431"));
    let many: String = (0..200).map(|i| format!("X-{i}: {i}\r\n")).collect();
    let request = format!("GET {path} HTTP/1.1\r\n{many}\r\n");
    assert!(raw(&url, request.as_bytes()).contains("431"), "200 headers");
    assert!(get(&url).0.contains("200"));
    // Only GET and HEAD.
    let post = format!("POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    assert!(raw(&url, post.as_bytes()).contains("405"));
}

/// Sends `request` and reads the whole answer (the server closes after it), as bytes.
fn exchange(base: &str, request: &str) -> Vec<u8> {
    let mut stream = connect(base);
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    response
}

/// Splits an answer into its head (as text) and body.
fn head_and_body(response: &[u8]) -> (String, &[u8]) {
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    (
        String::from_utf8_lossy(&response[..end]).to_lowercase(),
        &response[end + 4..],
    )
}

#[test]
fn serve_answers_head_without_a_body_and_decodes_percent_escapes() {
    let site = common::copy_of_example();
    // A file whose name has a space, linked as `annual%20report.pdf`.
    let pdf = b"%PDF-1.4\n% a synthetic annual report\n".to_vec();
    std::fs::write(site.path().join("static/annual report.pdf"), &pdf).unwrap();
    let (_server, base) = start(site.path(), Root::Absolute, Stdio::null());
    let host = host_of(&base);
    let path = &base[base.find("/investors/").unwrap()..];
    let request = |method: &str, target: &str| {
        format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
    };

    let got = exchange(&base, &request("GET", path));
    let (get_head, get_body) = head_and_body(&got);
    assert!(get_head.starts_with("http/1.1 200"), "{get_head}");
    let head = exchange(&base, &request("HEAD", path));
    let (head_head, head_body) = head_and_body(&head);
    assert!(head_head.starts_with("http/1.1 200"), "{head_head}");
    assert!(
        head_body.is_empty(),
        "HEAD got a body of {} bytes",
        head_body.len()
    );
    let length = |head: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix("content-length: ").map(str::to_string))
    };
    assert_eq!(length(&head_head), Some(get_body.len().to_string()));
    assert_eq!(length(&get_head), length(&head_head));
    assert!(head_head.contains("content-type: text/html; charset=utf-8"));

    let got = exchange(
        &base,
        &request("GET", &format!("{path}annual%20report.pdf")),
    );
    let (head, body) = head_and_body(&got);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-type: application/pdf"), "{head}");
    assert_eq!(body, pdf);
    // Escapes that decode to a path outside the site name nothing.
    let got = exchange(
        &base,
        &request("GET", &format!("{path}..%2f..%2fsite.toml")),
    );
    assert!(head_and_body(&got).0.starts_with("http/1.1 404"));
}

/// The reload events of a `serve`, read as a browser's `EventSource` reads them.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(base: &str) -> Events {
        let host = host_of(base);
        let path = &base[base.find("/investors/").unwrap()..];
        let mut stream = connect(base);
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET {path}__irsite/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut head = String::new();
        while line.trim() != "" {
            line.clear();
            reader.read_line(&mut line).unwrap();
            head.push_str(&line.to_lowercase());
        }
        assert!(head.contains("content-type: text/event-stream"), "{head}");
        Events(reader)
    }

    /// The builds announced until one that `until` accepts, which is returned: the versions
    /// rise by one. (A save may take two builds: an editor, or a test, preempted between the
    /// steps of a save for longer than the debounce, makes two bursts of one edit.)
    fn until(
        &mut self,
        after: u64,
        until: impl Fn(&Option<String>) -> bool,
    ) -> (u64, Option<String>) {
        let mut last = after;
        loop {
            let (version, error) = self.next();
            assert_eq!(version, last + 1, "a build not announced");
            if until(&error) {
                return (version, error);
            }
            last = version;
        }
    }

    /// The next build announced: its version and its error, if it failed.
    fn next(&mut self) -> (u64, Option<String>) {
        loop {
            let mut line = String::new();
            let read = self.0.read_line(&mut line).expect("an event in time");
            assert!(read > 0, "the stream ended");
            // The stream is chunked: each event is one chunk, its lines intact.
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                let event: serde_json::Value = serde_json::from_str(data).unwrap();
                return (
                    event["version"].as_u64().unwrap(),
                    event["error"].as_str().map(str::to_string),
                );
            }
        }
    }
}

#[test]
fn each_build_is_pushed_to_the_open_pages_a_failed_one_with_its_error() {
    let site = common::copy_of_example();
    let log = site.path().join("serve.log");
    let (_server, base) = start(
        site.path(),
        Root::Absolute,
        Stdio::from(std::fs::File::create(&log).unwrap()),
    );
    let mut events = Events::open(&base);
    // On connecting, the build the page may be of.
    let (first, error) = events.next();
    assert_eq!(error, None);

    let index = site.path().join("content/releases/2006-q1/index.md");
    let text = common::read(&index);
    let started = Instant::now();
    std::fs::write(
        &index,
        text.replace("Financial Results\"", "Financial Results, Revised\""),
    )
    .unwrap();
    let (mut second, error) = events.next();
    let pushed = started.elapsed();
    assert_eq!(second, first + 1);
    if error.is_some() {
        // The file read half-saved; its next burst builds it whole.
        second = events.until(second, Option::is_none).0;
    }
    let built = common::read(&log)
        .lines()
        .rev()
        .find_map(|l| {
            l.split(" files in ")
                .nth(1)?
                .strip_suffix(" ms")?
                .parse::<u64>()
                .ok()
        })
        .unwrap();
    println!(
        "edit to push: {} ms, of which the build took {built} ms",
        pushed.as_millis()
    );
    let (_, page) = get(&format!("{base}releases/2006-q1/"));
    assert!(
        page.contains("Financial Results, Revised"),
        "pushed before it was served"
    );

    // A failed build is pushed too, with its error; the fix, without.
    let operations = site
        .path()
        .join("content/releases/2006-q1/tables/operations.toml");
    let table = common::read(&operations);
    std::fs::write(&operations, table.replacen("\"42625\"", "\"42626\"", 1)).unwrap();
    let (third, error) = events.until(second, Option::is_some);
    let error = error.unwrap();
    assert!(
        error.contains("components sum to 193 but the row states 192"),
        "{error}"
    );
    std::fs::write(&operations, table).unwrap();
    events.until(third, Option::is_none);

    // Event streams are bounded (each holds a connection); pages are still answered past the
    // bound, and a stream past it is refused.
    let open: Vec<Events> = (1..32).map(|_| Events::open(&base)).collect();
    let host = host_of(&base);
    let path = &base[base.find("/investors/").unwrap()..];
    let refused = raw(
        &base,
        format!("GET {path}__irsite/events HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
    );
    assert!(refused.contains("503"), "{refused}");
    assert!(get(&base).0.contains("200"));
    drop(open);
}

#[test]
fn serve_keeps_seeing_edits_after_content_is_removed_and_restored() {
    // A `git checkout` of another branch and back removes and restores content/.
    let site = common::copy_of_example();
    let (_server, base) = start(site.path(), Root::Absolute, Stdio::null());
    let release = format!("{base}releases/2006-q1/");
    let content = site.path().join("content");
    let away = site.path().join("content-elsewhere");
    std::fs::rename(&content, &away).unwrap();
    wait_for(&release, "the error page", |r| {
        r.contains("The site does not build")
    });
    std::fs::rename(&away, &content).unwrap();
    wait_for(&release, "the restored site", |r| {
        r.starts_with("HTTP/1.1 200")
    });
    let index = content.join("releases/2006-q1/index.md");
    let text = common::read(&index);
    std::fs::write(
        &index,
        text.replace("Financial Results\"", "Financial Results, Revised\""),
    )
    .unwrap();
    wait_for(&release, "the edit after the restore", |r| {
        r.contains("Results, Revised")
    });
}
