#!/usr/bin/env bash
# Build-time benchmark: coachbook against Hugo on the same generated notes.
#
#   bash scripts/bench.sh
#
# 1. builds coachbook and the corpus generator in release;
# 2. generates a 10k-note corpus (with a Hugo copy) and a 100k-note corpus
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
#    another new folder (each pair from the same start: nothing dirty,
#    and as root the page cache holding the notes only; see settle_io),
#    with the output's files and bytes and
#    the build's peak RSS; the ratio build / cp -r is the figure (target
#    1.25x);
# 9. watch mode: `examples/bench_serve` on a 10k corpus with about 1 KB
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
# WATCH_LARGE (1), SETTLE.
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

CB=$ROOT/target/release/coachbook
GEN=$ROOT/target/release/examples/gen_corpus
SERVE_BENCH=$ROOT/target/release/examples/bench_serve
SMALL=$BENCH_DIR/site-$N_SMALL
SMALL_LONG=$BENCH_DIR/site-$N_SMALL-long
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
command -v cargo >/dev/null || die "cargo not found"

# ---------------------------------------------------------------- build

log "building coachbook and gen_corpus (release)"
cargo build --release --bin coachbook --example gen_corpus --example bench_serve
[ -x "$CB" ] && [ -x "$GEN" ] && [ -x "$SERVE_BENCH" ] || die "release binaries missing"

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

mkdir -p "$BENCH_DIR" "$OUT" "$RES"
corpus "$SMALL" "$N_SMALL" --hugo
corpus "$LARGE" "$N_LARGE"
corpus "$SMALL_LONG" "$N_SMALL" --extra-body 1000

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
run_no=0
# next_out NAME: a new output folder name.
next_out() {
    run_no=$((run_no + 1))
    printf '%s/run-%s-%s' "$OUT" "$1" "$run_no"
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

# settle_io SITE: the same start for every floor pair. Every dirty page
# is written back first: the copy of the pair before left 100 MB-1.3 GB
# of them, written back 30 s later on the two cores the build then used.
# Then, where this user may (root), the clean page cache is dropped and
# the site's notes and both programs (coachbook, cp) read back into it:
# the outputs of the earlier runs (tens of GB by then) had filled the
# memory, and from the third pair on the kernel evicted the fresh output
# before `cp -r` read it, so the copy read it back from the disk (2.0 s
# instead of 0.9 s at 10k, 22 s instead of 9 s at 100k; ratios of 0.5
# measuring the disk, not the build). The programs are read back as a
# user's are after their first run: without it the build paid for
# faulting its 14 MB binary in from the disk (about 0.1 s at 10k).
settle_io() {
    sync
    if [ -w /proc/sys/vm/drop_caches ]; then
        echo 1 >/proc/sys/vm/drop_caches
        find "$1" -type f -exec cat {} + >/dev/null
        cat "$CB" "$(command -v cp)" >/dev/null
    fi
    sleep "$FLOOR_REST"
}

# floor SITE N: FLOOR_RUNS pairs of (settle_io, cold build into a new
# folder, cp -r of that output into another right after); sets
# floor_<N>_{build,cp,ratio,rss,files,bytes,void}.
#
# A pair whose copy spent under 85% of its time on the CPU (user +
# system) waited for the disk: its output was no longer all in the page
# cache when cp read it, or the disk was busy. Such a pair measures the
# disk, not the build: it is printed, marked void and left out of the
# medians. (A copy of the 10k output takes 0.8 s with 0.78 s of CPU
# here; in one run of this script the copies took 0.8-2.7 s while the
# builds took 1.6-1.9 s, ratios of 0.7-2.3.)
floor() {
    local site=$1 n=$2 b c b_s b_kb b_cpu c_s c_cpu out void=0
    : >"$RES/floor-$n.txt"
    printf '%-5s %10s %10s %10s %10s %8s %10s\n' pair build_s build_cpu cp_r_s cp_cpu ratio rss_MB
    for i in $(seq 1 "$FLOOR_RUNS"); do
        out=$(next_out "cb-floor-$n")
        settle_io "$site"
        b=$(timed "$CB" build "$site" -o "$out")
        c=$(timed cp -r "$out" "$(next_out "cp-floor-$n")")
        read -r b_s b_kb b_cpu <<<"$b"
        read -r c_s _ c_cpu <<<"$c"
        local mark=""
        if awk -v w="$c_s" -v u="$c_cpu" 'BEGIN { exit !(u < 0.85 * w) }'; then
            mark="  void: the copy waited for the disk"
            void=$((void + 1))
        else
            printf '%s %s %s\n' "$b_s" "$c_s" "$b_kb" >>"$RES/floor-$n.txt"
        fi
        printf '%-5s %10s %10s %10s %10s %8s %10.1f%s\n' "$i" "$b_s" "$b_cpu" "$c_s" "$c_cpu" \
            "$(awk -v b="$b_s" -v c="$c_s" 'BEGIN { printf "%.2f", b / c }')" \
            "$(awk -v k="$b_kb" 'BEGIN { print k / 1024 }')" "$mark"
    done
    eval "floor_${n}_void=$void"
    eval "floor_${n}_files=$(find "$out" -type f | wc -l)"
    eval "floor_${n}_bytes=$(du -sb "$out" | cut -f1)"
    if [ ! -s "$RES/floor-$n.txt" ]; then
        eval "floor_${n}_build=0 floor_${n}_cp=0 floor_${n}_rss=0 floor_${n}_ratio=void"
        return
    fi
    # Medians of each column, and the median of the pair ratios.
    local col
    col() { awk -v c="$1" '{ print $c }' "$RES/floor-$n.txt" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
    eval "floor_${n}_build=$(col 1)"
    eval "floor_${n}_cp=$(col 2)"
    eval "floor_${n}_rss=$(awk -v k="$(col 3)" 'BEGIN { printf "%.0f", k / 1024 }')"
    eval "floor_${n}_ratio=$(awk '{ printf "%.3f\n", $1 / $2 }' "$RES/floor-$n.txt" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
}

log "floor at $N_SMALL notes: cold build vs cp -r of its output ($FLOOR_RUNS pairs)"
floor "$SMALL" "$N_SMALL"
log "floor at $N_LARGE notes: cold build vs cp -r of its output ($FLOOR_RUNS pairs)"
floor "$LARGE" "$N_LARGE"

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
    eval "f=\$floor_${n}_files b=\$floor_${n}_bytes bs=\$floor_${n}_build cs=\$floor_${n}_cp r=\$floor_${n}_ratio m=\$floor_${n}_rss"
    printf '%-44s %-22s %s\n' \
        "$n notes: output files" "$f" "(the floor's file count)" \
        "$n notes: output bytes" "$b" "(the floor's bytes)" \
        "$n notes: cp -r of the output" "$(sec "$cs")" "(the floor)" \
        "$n notes: cold build" "$(sec "$bs")" "at most 1.25x the floor" \
        "$n notes: build / cp -r (median of pairs)" "$r" "<= 1.25" \
        "$n notes: pairs void (the copy read the disk)" "$(eval "echo \$floor_${n}_void") of $FLOOR_RUNS" "(left out of the medians)" \
        "$n notes: peak RSS of the build" "$m MB" "$([ "$n" = "$N_LARGE" ] && echo '< 400 MB' || echo '(grows less than linearly)')"
done
printf '%-44s %-22s %s\n' \
    "watch, $N_SMALL notes +1 KB bodies: save -> page" "$watch_small ms" "< 50 ms" \
    "watch, $N_LARGE notes: save -> page" "$watch_large ms" "< 100 ms"
