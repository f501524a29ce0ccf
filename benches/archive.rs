//! Archive-scale benchmark: prints figures, asserts nothing (speed is measured, not tested).
//!
//! ```sh
//! cargo bench --bench archive                 # N = 100, 1,000 and 10,000
//! cargo bench --bench archive -- 100 1000     # chosen sizes
//! ```
//!
//! For each N it writes a synthetic site (`examples/synth.rs`) once under `target/bench-sites/`,
//! then times the release binary: a `check`, a clean `build` (into an empty directory) and a
//! `rebuild` (the same build again, over its own output), each the best of three runs up to
//! N = 1,000, with wall time, releases per second and peak memory (the child's maximum resident
//! set size). Then it writes the built files again from memory, with no work but the writing,
//! which is the filesystem's share of a clean build on this machine. It also times the bundled
//! example's build, and the rebuild `serve` makes after one release changes (from the write on
//! disk to the new build being served).

#[path = "../examples/synth.rs"]
#[allow(dead_code)]
mod synth;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const IRSITE: &str = env!("CARGO_BIN_EXE_irsite");

/// What one run of irsite took.
#[derive(Clone, Copy)]
struct Run {
    wall: Duration,
    /// Processor time in user and system mode, over all threads: the work done, which a shared
    /// machine's wandering wall-clock times hide.
    user: Duration,
    system: Duration,
    /// Peak resident memory, in bytes.
    peak: u64,
}

fn duration(time: libc::timeval) -> Duration {
    let micros = time.tv_sec * 1_000_000 + time.tv_usec;
    Duration::from_micros(u64::try_from(micros).unwrap_or(0))
}

/// Runs irsite with `args`.
// The child is reaped by `wait4`, which also reports its resource use; `Child::wait` cannot.
#[allow(clippy::zombie_processes)]
fn measure(args: &[&str]) -> Run {
    let started = Instant::now();
    let child = Command::new(IRSITE)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("irsite runs");
    let pid = i32::try_from(child.id()).expect("a pid");
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills; `pid` is our own child, reaped here once.
    // (wait4 is the one call that gives a child's peak memory; std has no counterpart.)
    #[allow(unsafe_code)]
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::wait4(pid, &mut status, 0, &mut usage);
        usage
    };
    let wall = started.elapsed();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "irsite {args:?} failed"
    );
    Run {
        wall,
        user: duration(usage.ru_utime),
        system: duration(usage.ru_stime),
        // Linux reports ru_maxrss in kilobytes.
        peak: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn site(n: i32) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-sites")
        .join(n.to_string());
    if !dir.join("site.toml").is_file() {
        let _ = std::fs::remove_dir_all(&dir);
        let started = Instant::now();
        let message = synth::write_site(n, &dir).expect("the synthetic site is written");
        println!("{message} in {:.1} s", started.elapsed().as_secs_f64());
    }
    // A site written by an earlier run gets the templates of this one.
    synth::copy_bundled(&dir).expect("the bundled templates are copied");
    dir
}

fn row(what: &str, n: i32, run: Run) {
    println!(
        "{what:<7} N = {n:>6}: {:>8.3} s  {:>9.0} releases/s  cpu {:>6.2} s user {:>5.2} s sys  \
         peak {:>8}",
        run.wall.as_secs_f64(),
        f64::from(n) / run.wall.as_secs_f64(),
        run.user.as_secs_f64(),
        run.system.as_secs_f64(),
        mib(run.peak)
    );
}

/// Writes the files of a built site again, from memory, on two threads as a build does: what
/// creating the output takes this machine's filesystem, without any of irsite's work.
fn write_floor(built: &Path, into: &Path) -> (Duration, usize, u64) {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(built).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(built).unwrap().to_path_buf();
            files.push((relative, std::fs::read(entry.path()).unwrap()));
        }
    }
    let bytes = files.iter().map(|(_, b)| b.len() as u64).sum();
    let started = Instant::now();
    std::thread::scope(|scope| {
        for half in files.chunks(files.len().div_ceil(2)) {
            scope.spawn(move || {
                for (relative, bytes) in half {
                    let path = into.join(relative);
                    if std::fs::write(&path, bytes).is_err() {
                        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                        std::fs::write(&path, bytes).unwrap();
                    }
                }
            });
        }
    });
    (started.elapsed(), files.len(), bytes)
}

fn get(url: &str) -> String {
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host).expect("serve answers");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

/// From saving one release to the new build being served, for three kinds of edit.
fn serve_rebuild(n: i32) {
    let root = site(n);
    let mut child = Command::new(IRSITE)
        .args(["--root", root.to_str().unwrap(), "serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http"))
        .unwrap();
    let version = format!("{base}__irsite/version");
    let release = root.join("content/releases/2000-q1");
    let newest = std::fs::read_dir(root.join("content/releases"))
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path()))
        .max()
        .unwrap();
    let replace = |file: &'static str, from: &'static str, to: &'static str| {
        let path = release.join(file);
        move || {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{} has no {from:?}", path.display());
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        }
    };
    // The prose only; the title, which every site-wide page lists; the label of a row a chart
    // draws; the figures of the latest quarter (every relation still tying), which the charts
    // draw.
    type Edit<'a> = (&'static str, Box<dyn Fn() + 'a>);
    let edits: [Edit; 4] = [
        (
            "prose",
            Box::new(replace(
                "index.md",
                "dateline = \"ATLANTA\"",
                "dateline = \"ATLANTA, GA\"",
            )),
        ),
        (
            "title",
            Box::new(replace(
                "index.md",
                "Reports Results",
                "Reports Its Results",
            )),
        ),
        (
            "charted row's label",
            Box::new(replace(
                "tables/operations.toml",
                "label = \"Revenue\"",
                "label = \"Revenue, net\"",
            )),
        ),
        (
            "charted figures",
            Box::new(|| synth::double_latest_quarter(&newest).unwrap()),
        ),
    ];
    let files: Vec<PathBuf> = [&release, &newest]
        .into_iter()
        .flat_map(walkdir::WalkDir::new)
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    for (what, edit) in edits {
        let saved: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        let mut before = get(&version);
        let started = Instant::now();
        edit();
        while get(&version) == before {
            std::thread::sleep(Duration::from_millis(2));
        }
        let elapsed = started.elapsed();
        before = get(&version);
        for (file, bytes) in files.iter().zip(&saved) {
            if std::fs::read(file).unwrap() != *bytes {
                std::fs::write(file, bytes).unwrap();
            }
        }
        while get(&version) == before {
            std::thread::sleep(Duration::from_millis(2));
        }
        // A restore of several files may come in two rebuilds: let both end.
        std::thread::sleep(Duration::from_millis(300));
        println!(
            "serve   N = {n:>6}: {:>8.3} s  from saving a {what} edit to serving the rebuild",
            elapsed.as_secs_f64()
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn main() {
    let sizes: Vec<i32> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100, 1_000, 10_000]
    } else {
        sizes
    };
    let repo = env!("CARGO_MANIFEST_DIR");
    wait_if_just_cleaned();
    let out = tempfile::tempdir().unwrap();
    let example = out.path().join("example");
    let best = (0..10)
        .map(|_| {
            let _ = std::fs::remove_dir_all(&example);
            measure(&["--root", repo, "build", "-o", example.to_str().unwrap()])
        })
        .min_by_key(|run| run.wall)
        .unwrap();
    println!(
        "example (1 release): {:.1} ms build, best of 10 (process start included)",
        best.wall.as_secs_f64() * 1000.0
    );
    for &n in &sizes {
        let root = site(n);
        let root = root.to_str().unwrap();
        // Timings on a shared machine wander; the best of three is the machine's own speed.
        let runs = if n <= 1_000 { 3 } else { 1 };
        let best = |run: &dyn Fn(usize) -> Run| (0..runs).map(run).min_by_key(|r| r.wall).unwrap();
        let output = |i: usize| out.path().join(format!("site-{n}-{i}"));
        row("check", n, best(&|_| measure(&["--root", root, "check"])));
        // Outputs are removed only when the benchmark ends: a filesystem may be slow to reuse
        // the inodes of thousands of files it has just deleted (ext4 without a journal waits
        // a minute or more), which would time the disk rather than the build.
        row(
            "build",
            n,
            best(&|i| measure(&["--root", root, "build", "-o", output(i).to_str().unwrap()])),
        );
        row(
            "rebuild",
            n,
            best(&|_| measure(&["--root", root, "build", "-o", output(0).to_str().unwrap()])),
        );
        let (wall, files, bytes) = write_floor(&output(0), &out.path().join(format!("floor-{n}")));
        println!(
            "write   N = {n:>6}: {:>8.3} s  the same {files} files ({}) from memory, 2 threads: \
             the filesystem's share of a build",
            wall.as_secs_f64(),
            mib(bytes)
        );
    }
    for &n in sizes.iter().filter(|&&n| n <= 1_000) {
        serve_rebuild(n);
    }
    drop(out);
    let _ = std::fs::write(cleaned_stamp(), "");
}

/// Where the time the last run removed its outputs is kept (as the file's modification time).
fn cleaned_stamp() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-sites/.outputs-removed")
}

/// A filesystem may create files slowly for minutes after thousands were deleted: ext4 without
/// a journal does not reuse an inode freed in the last minute, or in the last six while its
/// inode table block is not yet written back, and scans past each one, which made clean builds
/// on this machine two to five times as long. A run that starts within six minutes of the last
/// one removing its outputs waits out the rest.
fn wait_if_just_cleaned() {
    const SETTLE: Duration = Duration::from_secs(360);
    let since = std::fs::metadata(cleaned_stamp())
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok());
    if let Some(left) = since.and_then(|s| SETTLE.checked_sub(s)) {
        println!(
            "waiting {} s: the last run removed its outputs {} s ago, and creating files right \
             after thousands were deleted is slow on some filesystems (ext4 without a journal)",
            left.as_secs(),
            (SETTLE - left).as_secs()
        );
        std::thread::sleep(left);
    }
}
