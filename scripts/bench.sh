#!/usr/bin/env bash
# Build-time benchmark: coachbook against Hugo on the same generated notes.
#
#   bash scripts/bench.sh
#
# 1. builds coachbook and the corpus generator in release;
# 2. generates a 10k-note corpus (with a Hugo copy, a copy with ~1 KB
#    longer bodies, and one with a git history) and a 100k-note corpus
#    under $BENCH_DIR (reused when a marker shows the same N, seed and
#    generator source);
# 3. times cold builds with hyperfine: coachbook and Hugo at 10k, coachbook
#    at 100k. Cold means no earlier output: every run writes into a folder
#    of its own that did not exist (nothing is deleted between runs, see
#    below);
# 4. runs $PAIRS alternating coachbook/Hugo pairs at 10k and prints each
#    pair's ratio and the median ratio (less sensitive to load drift than
#    two separate medians);
# 5. measures the peak RSS of a 10k coachbook build;
# 6. times rebuilds: coachbook building the 10k site again over its own
#    earlier output (what a user or a CI cache sees);
# 7. when node and playwright-core are there (as .ci/run installs them in
#    $PW_DIR), serves the built 10k and 100k sites from 127.0.0.1 and runs
#    tests/browser/search_bench.js on each: index bytes fetched before the
#    first result and the time from keystroke to first result;
# 8. the floor (#16): at 10k and 100k, $FLOOR_RUNS alternating pairs of a
#    cold build into a new folder and `cp -r` of that very output into
#    another new folder (each command from the same start: nothing
#    dirty, and as root the page cache holding only its own input and
#    the programs; see settle_io), with the output's files and bytes and
#    the build's peak RSS; the ratio build / cp -r is the figure (target
#    1.25x);
# 9. history: $HISTORY_PAIRS alternating cold builds of the 10k corpus as a
#    git repository of $HISTORY_COMMITS commits (examples/gen_history.rs)
#    and of the same files without it; the figure is what the history
#    adds (target under 1 s);
# 10. watch mode: `examples/bench_serve` on a 10k corpus with about 1 KB
#    more body per note (`gen_corpus --extra-body 1000`), 15 saves (and
#    on the 100k corpus unless WATCH_LARGE=0);
# then prints a summary table, each figure beside its target.
#
# Why runs never delete: on an ext4 file system without a journal (this
# VM's disk) the kernel skips every inode freed in the last 60 s (300 s
# while its inode-table block is dirty) when it allocates a new one
# (`recently_deleted`), so after `rm -rf` of a built site every file and
# folder created for minutes costs a scan over the freed ones: builds take
# 2-4x longer, for both tools. The script therefore removes old outputs
# first, syncs and waits $SETTLE seconds (default 330 on disk, 0 on tmpfs)
# before timing anything, and removes its outputs only at the end.
#
# Environment overrides: BENCH_DIR (/tmp/coachbook-bench), BENCH_OUT (where
# the built sites go, default $BENCH_DIR/out; a tmpfs such as /dev/shm/cb-out
# takes the disk out of the numbers), SEED (1), N_SMALL (10000),
# N_LARGE (100000), RUNS (5), RUNS_LARGE (3), PAIRS (7), FLOOR_RUNS (3),
# WATCH_LARGE (1), HISTORY_COMMITS (2000), HISTORY_PAIRS (5), FLOOR_REST (2),
# SETTLE.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BENCH_DIR=${BENCH_DIR:-/tmp/coachbook-bench}
SEED=${SEED:-1}
N_SMALL=${N_SMALL:-10000}
N_LARGE=${N_LARGE:-100000}
RUNS=${RUNS:-5}
RUNS_LARGE=${RUNS_LARGE:-3}
PAIRS=${PAIRS:-7}
FLOOR_RUNS=${FLOOR_RUNS:-3}
FLOOR_REST=${FLOOR_REST:-2}
WATCH_LARGE=${WATCH_LARGE:-1}
HISTORY_COMMITS=${HISTORY_COMMITS:-2000}
HISTORY_PAIRS=${HISTORY_PAIRS:-5}

CB=$ROOT/target/release/coachbook
GEN=$ROOT/target/release/examples/gen_corpus
SERVE_BENCH=$ROOT/target/release/examples/bench_serve
GEN_HISTORY=$ROOT/target/release/examples/gen_history
SMALL=$BENCH_DIR/site-$N_SMALL
SMALL_LONG=$BENCH_DIR/site-$N_SMALL-long
HIST=$BENCH_DIR/site-$N_SMALL-history
HIST_NOREPO=$BENCH_DIR/site-$N_SMALL-history-norepo
LARGE=$BENCH_DIR/site-$N_LARGE
OUT=${BENCH_OUT:-$BENCH_DIR/out}
RES=$BENCH_DIR/results

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench.sh: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- tools

apt_install() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "need root or sudo to install $*"
        sudo=(sudo)
    fi
    log "installing $* (apt)"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null
}

command -v hyperfine >/dev/null || apt_install hyperfine
command -v hugo >/dev/null || apt_install hugo
[ -x /usr/bin/time ] || apt_install time
command -v python3 >/dev/null || apt_install python3
command -v cargo >/dev/null || die "cargo not found"

# ---------------------------------------------------------------- build

log "building coachbook, gen_corpus, gen_history and bench_serve (release)"
cargo build --release --bin coachbook --example gen_corpus --example bench_serve --example gen_history
[ -x "$CB" ] && [ -x "$GEN" ] && [ -x "$SERVE_BENCH" ] && [ -x "$GEN_HISTORY" ] || die "release binaries missing"

# ---------------------------------------------------------------- corpora

gen_hash=$(sha256sum "$ROOT/examples/gen_corpus.rs" | cut -d' ' -f1)

# corpus DIR N [--hugo | --extra-body BYTES]: generate unless the marker
# matches.
corpus() {
    local dir=$1 n=$2 hugo=${3:-} extra=${4:-}
    local want="notes=$n seed=$SEED flags=$hugo$extra gen=$gen_hash"
    if [ -f "$dir/.bench-marker" ] && [ "$(cat "$dir/.bench-marker")" = "$want" ]; then
        log "reusing $dir ($n notes)"
        return
    fi
    log "generating $n notes into $dir"
    rm -f "$dir/.bench-marker"
    mkdir -p "$dir"
    local flags=(--notes "$n" --seed "$SEED")
    [ -n "$hugo" ] && flags+=("$hugo")
    [ -n "$extra" ] && flags+=("$extra")
    "$GEN" "$dir" "${flags[@]}"
    printf '%s\n' "$want" >"$dir/.bench-marker"
}

# history_corpus: the 10k corpus as a git repository of HISTORY_COMMITS
# commits (examples/gen_history.rs), and the same working files without
# the repository; regenerated unless the marker matches.
history_corpus() {
    local want
    want="notes=$N_SMALL seed=$SEED commits=$HISTORY_COMMITS gen=$gen_hash hist=$(sha256sum "$ROOT/examples/gen_history.rs" | cut -d' ' -f1)"
    if [ -f "$HIST_NOREPO/.bench-marker" ] && [ "$(cat "$HIST_NOREPO/.bench-marker")" = "$want" ]; then
        log "reusing $HIST ($HISTORY_COMMITS commits)"
        return
    fi
    log "generating $N_SMALL notes with $HISTORY_COMMITS commits into $HIST"
    rm -rf "$HIST" "$HIST_NOREPO"
    mkdir -p "$HIST"
    "$GEN" "$HIST" --notes "$N_SMALL" --seed "$SEED"
    "$GEN_HISTORY" "$HIST" --commits "$HISTORY_COMMITS" --files 3 --seed "$SEED"
    # gen_history writes loose objects; a clone, and any repository git
    # has auto-packed (past 6,700 loose objects), is a pack.
    if command -v git >/dev/null; then
        git -C "$HIST" gc -q
    fi
    cp -a "$HIST" "$HIST_NOREPO"
    rm -rf "$HIST_NOREPO/.git"
    printf '%s\n' "$want" >"$HIST_NOREPO/.bench-marker"
}

mkdir -p "$BENCH_DIR" "$OUT" "$RES"
corpus "$SMALL" "$N_SMALL" --hugo
corpus "$LARGE" "$N_LARGE"
corpus "$SMALL_LONG" "$N_SMALL" --extra-body 1000
history_corpus

log "coachbook check --strict on the $N_SMALL-note corpus"
"$CB" check "$SMALL" --strict

# ---------------------------------------------------------------- settle

rm -rf "${OUT:?}"/run-*
sync
if [ "$(stat -f -c %T "$OUT")" = tmpfs ]; then
    SETTLE=${SETTLE:-0}
else
    SETTLE=${SETTLE:-330}
fi
if [ "$SETTLE" -gt 0 ]; then
    log "waiting ${SETTLE}s for freed inodes to age (see the header)"
    sleep "$SETTLE"
fi

# ---------------------------------------------------------------- hyperfine

# Each command names a folder that does not exist yet ($$ and the clock).
fresh() { printf '%s/run-%s-$(date +%%s%%N)' "$OUT" "$1"; }
cb_small="$CB build $SMALL -o $(fresh cb-small)"
hugo_small="hugo --source $SMALL/hugo -d $(fresh hugo-small) --quiet"
cb_large="$CB build $LARGE -o $(fresh cb-large)"

# median_of JSON INDEX: the median (seconds) of command INDEX (0-based).
median_of() {
    grep -o '"median": *[0-9.eE+-]*' "$1" | sed -n "$(($2 + 1))p" | sed 's/.*: *//'
}

log "hyperfine: $N_SMALL notes, coachbook vs hugo (cold: a new output folder each run)"
hyperfine --warmup 1 --runs "$RUNS" \
    --export-json "$RES/small.json" \
    -n "coachbook build ($N_SMALL)" "$cb_small" \
    -n "hugo ($N_SMALL)" "$hugo_small"
cb_small_median=$(median_of "$RES/small.json" 0)
hugo_small_median=$(median_of "$RES/small.json" 1)

# ---------------------------------------------------------------- pairs

ns() { date +%s%N; }
# lower_median: the median of the numbers on stdin, one a line (of an
# even count, the lower of the middle two).
lower_median() {
    sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
# next_out NAME: a new output folder name. Unique by the clock: it is
# called in command substitutions, subshells whose variables die with
# them (a counter here gave every call the same name, so the floor's
# pairs after the first, and the Hugo pairs after the first, rebuilt
# the first pair's output and copied into its copy until session 15).
next_out() {
    printf '%s/run-%s-%s' "$OUT" "$1" "$(date +%s%N)"
}

# timed CMD...: runs CMD, prints "seconds peak_rss_kb cpu_seconds" (the
# CPU time is user + system).
timed() {
    local t0 t1
    t0=$(ns)
    /usr/bin/time -f '%M %U %S' -o "$RES/rss.tmp" "$@" >/dev/null 2>&1 || die "failed: $*"
    t1=$(ns)
    printf '%s %s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')" \
        "$(tail -n1 "$RES/rss.tmp" | awk '{ printf "%s %.2f", $1, $2 + $3 }')"
}

log "$PAIRS alternating pairs at $N_SMALL notes (ratio = coachbook / hugo; < 1: coachbook faster)"
printf '%-5s %12s %12s %10s %10s %8s\n' pair coachbook_s hugo_s cb_rss_MB hugo_rss_MB ratio
: >"$RES/ratios.txt"
for i in $(seq 1 "$PAIRS"); do
    c=$(timed "$CB" build "$SMALL" -o "$(next_out cb-pair)")
    h=$(timed hugo --source "$SMALL/hugo" -d "$(next_out hugo-pair)" --quiet)
    read -r c_s c_kb _ <<<"$c"
    read -r h_s h_kb _ <<<"$h"
    ratio=$(awk -v c="$c_s" -v h="$h_s" 'BEGIN { printf "%.3f", c / h }')
    echo "$ratio" >>"$RES/ratios.txt"
    printf '%-5s %12s %12s %10.1f %10.1f %8s\n' "$i" "$c_s" "$h_s" \
        "$(awk -v k="$c_kb" 'BEGIN { print k / 1024 }')" "$(awk -v k="$h_kb" 'BEGIN { print k / 1024 }')" "$ratio"
done
median_ratio=$(sort -g "$RES/ratios.txt" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "median ratio: $median_ratio"

# ---------------------------------------------------------------- 100k

log "hyperfine: $N_LARGE notes, coachbook ($RUNS_LARGE runs, cold)"
hyperfine --runs "$RUNS_LARGE" \
    --export-json "$RES/large.json" \
    -n "coachbook build ($N_LARGE)" "$cb_large"
cb_large_median=$(median_of "$RES/large.json" 0)

# ---------------------------------------------------------------- peak RSS

log "peak RSS of a cold $N_SMALL-note build"
/usr/bin/time -v "$CB" build "$SMALL" -o "$(next_out cb-rss)" 2>"$RES/time-v.txt" >/dev/null ||
    { cat "$RES/time-v.txt" >&2; die "build failed"; }
rss_kb=$(awk -F': *' '/Maximum resident set size/ { print $2 }' "$RES/time-v.txt")
rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')

# ---------------------------------------------------------------- rebuild

# Last, since each rebuild replaces (and so frees) a whole output folder.
log "hyperfine: $N_SMALL notes, coachbook rebuilding over its own output"
rebuild_out=$(next_out cb-rebuild)
"$CB" build "$SMALL" -o "$rebuild_out" 2>/dev/null
hyperfine --runs "$RUNS" \
    --export-json "$RES/rebuild.json" \
    -n "coachbook rebuild ($N_SMALL)" "$CB build $SMALL -o $rebuild_out"
cb_rebuild_median=$(median_of "$RES/rebuild.json" 0)

# ---------------------------------------------------------------- search

PW_DIR=${PW_DIR:-$HOME/.cache/coachbook-playwright}
search_small="(skipped: needs node, python3 and $PW_DIR/node_modules/playwright-core)"
search_large=$search_small
# search_bench DIR NAME: serves DIR on a free port of 127.0.0.1, runs the
# browser benchmark into $RES/search-NAME.txt, prints its summary.
search_bench() {
    local dir=$1 name=$2 log="$RES/search-$2.serve" port="" pid
    python3 -u -m http.server --bind 127.0.0.1 0 --directory "$dir" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 50); do
        port=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$log" | head -n1)
        [ -n "$port" ] && break
        sleep 0.2
    done
    if [ -z "$port" ]; then
        kill "$pid" 2>/dev/null || true
        echo "(the static server did not start)"
        return
    fi
    NODE_PATH="$PW_DIR/node_modules" node tests/browser/search_bench.js "http://127.0.0.1:$port/" \
        >"$RES/search-$name.txt" 2>&1 || true
    kill "$pid" 2>/dev/null || true
    local data=$dir/search/data
    # The largest file: a term shard, or the one combined file of a small index.
    printf 'index %s in %s files (largest %s); %s\n' \
        "$(du -sh --apparent-size "$data" | cut -f1)" "$(find "$data" -type f | wc -l)" \
        "$(find "$data" \( -name 't-*' -o -name 'all-*' \) -printf '%s\n' | sort -n | tail -n1 | awk '{ printf "%.0f KB", $1 / 1024 }')" \
        "$(grep '^cold:' "$RES/search-$name.txt" | sed 's/^cold: //')"
}
if command -v node >/dev/null && command -v python3 >/dev/null && [ -d "$PW_DIR/node_modules/playwright-core" ]; then
    log "search in headless Chromium ($N_SMALL and $N_LARGE notes, served from 127.0.0.1)"
    search_small=$(search_bench "$rebuild_out" small)
    large_out=$(find "$OUT" -maxdepth 1 -name 'run-cb-large-*' | head -n1)
    if [ -n "$large_out" ] && [ -f "$large_out/search/data/manifest.json" ]; then
        search_large=$(search_bench "$large_out" large)
    else
        search_large="(no built $N_LARGE-note site left)"
    fi
fi

# ---------------------------------------------------------------- floor

# evict DIR...: the page cache of every file under each DIR dropped
# (their data only: the file system's own blocks stay in memory), after
# their dirty pages are written back.
evict() {
    sync
    python3 - "$@" <<'PY'
import os, sys
for top in sys.argv[1:]:
    for root, _, files in os.walk(top):
        for name in files:
            try:
                fd = os.open(os.path.join(root, name), os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
PY
}

# settle_io SITE: the same start for each floor pair: nothing dirty, the
# site's notes and both programs (coachbook, cp) in the page cache, as a
# user's are after their first run, and no earlier output in it (each
# pair evicts its two folders when it is done, and the floor starts by
# evicting every earlier run's output).
#
# Why not the whole page cache dropped (as this script did in session
# 14): after a drop a 10k build read 34 MB of the file system's own
# blocks back from the disk (inode tables, bitmaps, with readahead) and
# its copy 3 MB: 10k builds took 1.26-1.42 s against 1.11-1.27 s with
# this start, the copies 0.79-0.82 s either way. With this start neither
# command reads from the disk. Without any eviction, the outputs of the
# earlier runs (tens of GB by then) filled the memory and the kernel
# evicted the fresh output before cp -r read it (ratios of 0.5 measuring
# the disk).
settle_io() {
    sync
    find "$1" -type f -exec cat {} + >/dev/null
    cat "$CB" "$(command -v cp)" >/dev/null
    sleep "$FLOOR_REST"
}

# floor SITE N: FLOOR_RUNS pairs of (settle_io, cold build into a new
# folder, cp -r of that output into another right after, both evicted);
# sets
# floor_<N>_{build,cp,ratio,rss,files,bytes,void}.
#
# A pair whose copy spent under 75% of its time on the CPU (user +
# system) waited for the disk: its output was no longer all in the page
# cache when cp read it, or the disk was busy. Such a pair measures the
# disk, not the build: it is printed, marked void and left out of the
# medians. (A copy spends 95-98% of its time on the CPU at 10k, 84-91%
# at 100k; the copies that read the disk, 50%.)
floor() {
    local site=$1 n=$2 b c b_s b_kb b_cpu c_s c_cpu out copy void=0
    : >"$RES/floor-$n.txt"
    : >"$RES/floor-rss-$n.txt"
    printf '%-5s %10s %10s %10s %10s %8s %10s\n' pair build_s build_cpu cp_r_s cp_cpu ratio rss_MB
    for i in $(seq 1 "$FLOOR_RUNS"); do
        out=$(next_out "cb-floor-$n")
        settle_io "$site"
        copy=$(next_out "cp-floor-$n")
        b=$(timed "$CB" build "$site" -o "$out")
        c=$(timed cp -r "$out" "$copy")
        read -r b_s b_kb b_cpu <<<"$b"
        read -r c_s _ c_cpu <<<"$c"
        echo "$b_kb" >>"$RES/floor-rss-$n.txt"
        local mark=""
        if awk -v w="$c_s" -v u="$c_cpu" 'BEGIN { exit !(u < 0.75 * w) }'; then
            mark="  void: the copy waited for the disk"
            void=$((void + 1))
        else
            printf '%s %s %s\n' "$b_s" "$c_s" "$b_kb" >>"$RES/floor-$n.txt"
        fi
        printf '%-5s %10s %10s %10s %10s %8s %10.1f%s\n' "$i" "$b_s" "$b_cpu" "$c_s" "$c_cpu" \
            "$(awk -v b="$b_s" -v c="$c_s" 'BEGIN { printf "%.2f", b / c }')" \
            "$(awk -v k="$b_kb" 'BEGIN { print k / 1024 }')" "$mark"
        evict "$out" "$copy"
    done
    eval "floor_${n}_void=$void"
    # The peak of every build, void pairs too (their builds were fine).
    eval "floor_${n}_rss_max=$(sort -g "$RES/floor-rss-$n.txt" | tail -n1 | awk '{ printf "%.0f", $1 / 1024 }')"
    eval "floor_${n}_files=$(find "$out" -type f | wc -l)"
    eval "floor_${n}_bytes=$(du -sb "$out" | cut -f1)"
    if [ ! -s "$RES/floor-$n.txt" ]; then
        eval "floor_${n}_build=0 floor_${n}_cp=0 floor_${n}_rss=0 floor_${n}_ratio=void"
        return
    fi
    # Medians of each column, and the median of the pair ratios.
    local col
    col() { awk -v c="$1" '{ print $c }' "$RES/floor-$n.txt" | lower_median; }
    eval "floor_${n}_build=$(col 1)"
    eval "floor_${n}_cp=$(col 2)"
    eval "floor_${n}_rss=$(awk -v k="$(col 3)" 'BEGIN { printf "%.0f", k / 1024 }')"
    eval "floor_${n}_ratio=$(awk '{ printf "%.3f\n", $1 / $2 }' "$RES/floor-$n.txt" | lower_median)"
}

# The floor keeps every output it makes (a build and its copy per pair,
# about 1.4 GB each at 100k notes, 0.14 GB at 10k), and so do the history
# pairs after it (two builds of 10k notes each): check the disk has room
# for them first, rather than fail in the middle with a full disk.
need_gb=$(awk -v n="$N_LARGE" -v s="$N_SMALL" -v r="$FLOOR_RUNS" -v h="$HISTORY_PAIRS" \
    'BEGIN { printf "%d", ((2 * r + 1) * 1.4 * n / 100000) + (2 * r + 2 * h) * 0.14 * s / 10000 + 2 }')
have_gb=$(df -P -B1G "$OUT" | awk 'NR == 2 { print $4 }')
[ "$have_gb" -ge "$need_gb" ] ||
    die "the floor needs about $need_gb GB free in $OUT, and $have_gb GB are: remove earlier outputs (wait 5 minutes after deleting many files before timing, see the header)"

evict "$OUT"
log "floor at $N_SMALL notes: cold build vs cp -r of its output ($FLOOR_RUNS pairs)"
floor "$SMALL" "$N_SMALL"
log "floor at $N_LARGE notes: cold build vs cp -r of its output ($FLOOR_RUNS pairs)"
floor "$LARGE" "$N_LARGE"

# ---------------------------------------------------------------- history

# HISTORY_PAIRS alternating cold builds of the same working files with
# their repository of HISTORY_COMMITS commits (what changed, the deal
# histories, the weekly trends) and without it; the figure is the
# median of the pairs' differences. Each build starts as a floor pair
# does (settle_io): right after the floor, whose ~20 GB of output were
# still being written back, the first pairs of session 19's run took
# 0.3-0.4 s longer with the history than without (1.053 s added, against
# 0.65-0.75 s from the same start), measuring the floor's writeback.
log "history: $N_SMALL notes with $HISTORY_COMMITS commits against the same notes without a repository ($HISTORY_PAIRS pairs)"
: >"$RES/history.txt"
printf '%-5s %12s %12s %10s\n' pair history_s norepo_s added_s
for i in $(seq 1 "$HISTORY_PAIRS"); do
    settle_io "$HIST"
    h=$(timed "$CB" build "$HIST" -o "$(next_out cb-history)")
    settle_io "$HIST_NOREPO"
    r=$(timed "$CB" build "$HIST_NOREPO" -o "$(next_out cb-norepo)")
    read -r h_s _ <<<"$h"
    read -r r_s _ <<<"$r"
    d=$(awk -v a="$h_s" -v b="$r_s" 'BEGIN { printf "%.3f", a - b }')
    echo "$h_s $r_s $d" >>"$RES/history.txt"
    printf '%-5s %12s %12s %10s\n' "$i" "$h_s" "$r_s" "$d"
done
history_added=$(awk '{ print $3 }' "$RES/history.txt" | lower_median)

# ---------------------------------------------------------------- watch

# watch SITE: the median of save -> changed page fetched, in ms.
watch() {
    "$SERVE_BENCH" "$1" 15 2>/dev/null | tee -a "$RES/watch.txt" |
        awk '/changed page fetched/ { sub(/.*median /, ""); sub(/ ms.*/, ""); print }'
}
log "watch mode: 15 saves at $N_SMALL notes with ~1 KB longer bodies"
: >"$RES/watch.txt"
watch_small=$(watch "$SMALL_LONG")
watch_large=skipped
if [ "$WATCH_LARGE" = 1 ]; then
    log "watch mode: 15 saves at $N_LARGE notes"
    watch_large=$(watch "$LARGE")
fi

rm -rf "${OUT:?}"/run-*

# ---------------------------------------------------------------- summary

sec() { awk -v s="$1" 'BEGIN { printf "%.3f s", s }'; }
log "summary (outputs in $OUT, $(nproc) cores, $(hugo version | cut -d' ' -f2), $("$CB" --version 2>/dev/null || echo coachbook))"
printf '%-40s %s\n' \
    "coachbook build, $N_SMALL notes (median)" "$(sec "$cb_small_median")" \
    "hugo, $N_SMALL notes (median)" "$(sec "$hugo_small_median")" \
    "median pair ratio coachbook/hugo" "$median_ratio" \
    "coachbook build, $N_LARGE notes (median)" "$(sec "$cb_large_median")" \
    "coachbook rebuild, $N_SMALL notes (median)" "$(sec "$cb_rebuild_median")" \
    "coachbook peak RSS, $N_SMALL notes" "$rss_mb MB" \
    "search, $N_SMALL notes" "$search_small" \
    "search, $N_LARGE notes" "$search_large"

log "targets of #16 (medians; the floor is cp -r of the build's own output)"
printf '%-44s %-22s %s\n' figure measured target
for n in "$N_SMALL" "$N_LARGE"; do
    eval "f=\$floor_${n}_files b=\$floor_${n}_bytes bs=\$floor_${n}_build cs=\$floor_${n}_cp r=\$floor_${n}_ratio m=\$floor_${n}_rss mx=\$floor_${n}_rss_max"
    printf '%-44s %-22s %s\n' \
        "$n notes: output files" "$f" "(the floor's file count)" \
        "$n notes: output bytes" "$b" "(the floor's bytes)" \
        "$n notes: cp -r of the output" "$(sec "$cs")" "(the floor)" \
        "$n notes: cold build" "$(sec "$bs")" "at most 1.25x the floor" \
        "$n notes: build / cp -r (median of pairs)" "$r" "<= 1.25" \
        "$n notes: pairs void (the copy read the disk)" "$(eval "echo \$floor_${n}_void") of $FLOOR_RUNS" "(left out of the medians)" \
        "$n notes: peak RSS of the builds" "$m MB (max $mx)" "$([ "$n" = "$N_LARGE" ] && echo '< 400 MB' || echo '(grows less than linearly)')"
done
printf '%-44s %-22s %s\n' \
    "history, $N_SMALL notes, $HISTORY_COMMITS commits: adds" "$(sec "$history_added")" "< 1 s" \
    "watch, $N_SMALL notes +1 KB bodies: save -> page" "$watch_small ms" "< 50 ms" \
    "watch, $N_LARGE notes: save -> page" "$watch_large ms" "< 100 ms"
