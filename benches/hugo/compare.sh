#!/usr/bin/env bash
# Times Hugo and irsite on the same synthetic archive, for the README's performance section.
#
#   benches/hugo/compare.sh [N] [RUNS]      # default N = 1000, RUNS = 5
#
# Needs `hugo` (Debian: apt-get install hugo) and the release binary (cargo build --release).
# The archive is the benchmark's (`examples/synth.rs`, written under target/bench-sites/N if it is
# not there yet). Hugo gets each release as a page bundle with the same front matter, the same
# Markdown prose and the same seven TOML tables, and a financials page per period, so it makes
# the same 2N pages from the same text: the layouts here read every table and format every figure
# (accounting parentheses, thousands separators, an em dash for nil), which is the least a
# general-purpose generator must do to show these pages. It does none of irsite's other work:
# no audit of relations or citations, no charts, no CSV, workbook, JSON or calendar downloads.
# Runs alternate between the two generators, each into a new directory, and the outputs are
# removed only at the end: wait half a minute before running it again, as creating files soon
# after deleting thousands is slow on ext4 without a journal.
set -euo pipefail
N=${1:-1000}
RUNS=${2:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SITE=$ROOT/target/bench-sites/$N
HUGO_SITE=$ROOT/target/hugo-sites/$N
OUT=$ROOT/target/hugo-compare-out/$$
IRSITE=$ROOT/target/release/irsite

command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)" >&2; exit 1; }
[ -x "$IRSITE" ] || { echo "build irsite first: cargo build --release" >&2; exit 1; }
if [ ! -f "$SITE/site.toml" ]; then
    (cd "$ROOT" && cargo run --release --example synth -- --releases "$N" "$SITE")
fi
# The benchmark copies the bundled templates into its sites; so does this.
rm -rf "$SITE/templates" "$SITE/static"
cp -r "$ROOT/templates" "$ROOT/static" "$SITE/"

# Written once per N and kept, like the benchmark's sites: creating files within half a minute of
# deleting thousands is several times slower on this machine's filesystem (see the README).
if [ ! -d "$HUGO_SITE/content" ]; then
    mkdir -p "$HUGO_SITE/content/financials"
    cp -r "$SITE/content/releases" "$HUGO_SITE/content/"
    printf '+++\ntitle = "Releases"\n+++\n' > "$HUGO_SITE/content/releases/_index.md"
    printf '+++\ntitle = "Financial statements"\n+++\n' > "$HUGO_SITE/content/financials/_index.md"
    for dir in "$SITE"/content/releases/*/; do
        id=$(basename "$dir")
        date=$(sed -n 's/^date = //p' "$dir/index.md" | head -1)
        printf '+++\ntitle = "Financial statements, %s"\ndate = %s\nrelease = "%s"\n+++\n' \
            "$id" "$date" "$id" > "$HUGO_SITE/content/financials/$id.md"
    done
fi
rm -rf "$HUGO_SITE/layouts" "$HUGO_SITE/static"
cp -r "$ROOT/benches/hugo/layouts" "$SITE/static" "$HUGO_SITE/"
cat > "$HUGO_SITE/config.toml" <<TOML
baseURL = "https://example.github.io/ir/"
title = "Synthetic Networks Investor Relations"
languageCode = "en"
disableKinds = ["taxonomy", "term"]
# The synthetic archive runs a quarter at a time past today; Hugo would leave those pages out.
buildFuture = true
[params]
company = "Synthetic Networks Corporation"
description = "Quarterly results and financial statements."
TOML

time_one() { # label, command...
    local label=$1; shift
    /usr/bin/time -f "$label: %e s wall, %U s user, %S s system, %M KiB peak" "$@" \
        >/dev/null 2>"$OUT/time" || { cat "$OUT/time" >&2; exit 1; }
    tail -1 "$OUT/time"
}
mkdir -p "$OUT"
echo "N = $N: $(hugo version | cut -d' ' -f1-2), irsite $("$IRSITE" --version | cut -d' ' -f2)"
for run in $(seq "$RUNS"); do
    time_one "hugo   build" hugo --quiet --source "$HUGO_SITE" --destination "$OUT/hugo-$run"
    time_one "irsite build" "$IRSITE" --root "$SITE" build --output-dir "$OUT/irsite-$run"
done
echo "hugo:   $(find "$OUT/hugo-1" -type f | wc -l) files, $(du -sm "$OUT/hugo-1" | cut -f1) MiB"
echo "irsite: $(find "$OUT/irsite-1" -type f | wc -l) files, $(du -sm "$OUT/irsite-1" | cut -f1) MiB"
rm -rf "$OUT"
