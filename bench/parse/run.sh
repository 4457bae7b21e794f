#!/usr/bin/env bash
# Feed-parsing benchmark: vigia vs Python's feedparser vs `xmllint --stream` on the same bytes,
# plus peak memory on a 1 GB Stack Exchange-style export and agreement with feedparser.
#
#   bash bench/parse/run.sh            # everything
#   SKIP_MEMORY=1 bash bench/parse/run.sh
#
# Reads ../shared/data/feeds (skips when absent). Installs feedparser into bench/.venv and
# libxml2-utils (xmllint) when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SHARED="$ROOT/../shared/data/feeds"
WORK="$ROOT/bench/.work"
mkdir -p "$WORK"
if [ ! -d "$SHARED" ]; then
    echo "bench/parse: $SHARED not found; skipping"
    exit 0
fi
bash scripts/ensure-deps.sh
for tool in xmllint:libxml2-utils /usr/bin/time:time; do
    if ! command -v "${tool%%:*}" >/dev/null; then
        apt-get install -y -qq "${tool##*:}" >/dev/null 2>&1 || sudo apt-get install -y -qq "${tool##*:}" >/dev/null
    fi
done
if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
fi
bench/.venv/bin/pip install -q feedparser >/dev/null

echo "building release binaries…" >&2
swift build -c release --product vigia >&2
swift build -c release --product vigia-bench >&2
BIN=$(swift build -c release --show-bin-path)

mapfile -t FILES < <(ls "$SHARED"/real/* "$SHARED"/forum/*.xml)
MIN_BYTES=$((50 * 1024 * 1024))
ROUND_BYTES=$(cat "${FILES[@]}" | wc -c)
ROUNDS=$(( (MIN_BYTES + ROUND_BYTES - 1) / ROUND_BYTES ))

value() { grep "^$1=" | cut -d= -f2; }

echo "corpus: ${#FILES[@]} files, $ROUND_BYTES bytes, repeated $ROUNDS times (parsed from memory)"

# Rates use CPU time (user + system) so that other jobs on a shared machine do not skew the
# ratios; wall-clock rates are printed too. Best of three runs for the compiled tools.
best_vigia=""
for attempt in 1 2 3; do
    out=$("$BIN/vigia-bench" parse --min-bytes "$MIN_BYTES" "${FILES[@]}")
    cpu=$(echo "$out" | value cpu_seconds)
    if [ -z "$best_vigia" ] || awk "BEGIN{exit !($cpu < $(echo "$best_vigia" | value cpu_seconds))}"; then best_vigia=$out; fi
done
V_BYTES=$(echo "$best_vigia" | value bytes); V_ITEMS=$(echo "$best_vigia" | value items)
V_CPU=$(echo "$best_vigia" | value cpu_seconds); V_SEC=$(echo "$best_vigia" | value seconds)
V_PAR=$(echo "$best_vigia" | value parallel_seconds); V_CORES=$(echo "$best_vigia" | value cores)

ALL=()
for ((i = 0; i < ROUNDS; i++)); do ALL+=("${FILES[@]}"); done
X_CPU=""; X_SEC=""
for attempt in 1 2 3; do
    /usr/bin/time -f "%U %S %e" -o "$WORK/xmllint-time.txt" xmllint --stream --noout "${ALL[@]}" >/dev/null 2>&1 || true
    read -r user system elapsed < <(tail -1 "$WORK/xmllint-time.txt")
    cpu=$(awk "BEGIN{print $user + $system}")
    if [ -z "$X_CPU" ] || awk "BEGIN{exit !($cpu < $X_CPU)}"; then X_CPU=$cpu; X_SEC=$elapsed; fi
done
X_BYTES=$((ROUND_BYTES * ROUNDS))

fp=$(bench/.venv/bin/python bench/parse/feedparser_rate.py "$MIN_BYTES" "${FILES[@]}")
F_BYTES=$(echo "$fp" | value bytes); F_ITEMS=$(echo "$fp" | value items)
F_CPU=$(echo "$fp" | value cpu_seconds); F_SEC=$(echo "$fp" | value seconds)

awk -v vb="$V_BYTES" -v vi="$V_ITEMS" -v vc="$V_CPU" -v vs="$V_SEC" -v xb="$X_BYTES" -v xc="$X_CPU" -v xs="$X_SEC" \
    -v fb="$F_BYTES" -v fi="$F_ITEMS" -v fc="$F_CPU" -v fs="$F_SEC" -v vp="$V_PAR" -v cores="$V_CORES" 'BEGIN {
    vr = vb / vc / 1048576; xr = xb / xc / 1048576; fr = fb / fc / 1048576; pr = vb / vp / 1048576
    printf "\n%-34s %12s %12s %14s\n", "parser", "MB/s (CPU)", "items/s", "MB/s (wall)"
    printf "%-34s %12.1f %12.0f %14.1f\n", "vigia parse (one core)", vr, vi / vc, vb / vs / 1048576
    printf "%-34s %12s %12.0f %14.1f\n", "vigia parse (" cores " cores, by document)", "-", vi / vp, pr
    printf "%-34s %12.1f %12s %14.1f\n", "xmllint --stream --noout", xr, "-", xb / xs / 1048576
    printf "%-34s %12.1f %12.0f %14.1f\n", "feedparser (Python)", fr, fi / fc, fb / fs / 1048576
    printf "\none core, CPU time:  vigia / xmllint --stream %.2f (goal >= 0.50), vigia / feedparser %.1fx (goal >= 40x)\n", vr / xr, vr / fr
    printf "whole machine, wall: vigia / xmllint --stream %.2f, vigia / feedparser %.1fx\n", pr / (xb / xs / 1048576), pr / (fb / fs / 1048576)
}'

echo
echo "agreement with feedparser (field by field, visible text):"
python3 bench/parse/edgecases.py "$WORK/edgecases" >/dev/null
echo -n "  shared real-world feeds: "; bench/.venv/bin/python bench/parse/compare_feedparser.py "$BIN/vigia" "$SHARED/real" | sed -n 1p
echo -n "  edge-case feeds:         "; bench/.venv/bin/python bench/parse/compare_feedparser.py "$BIN/vigia" "$WORK/edgecases" | sed -n 1p

if [ "${SKIP_MEMORY:-0}" != 1 ]; then
    EXPORT="$WORK/posts-1g.xml"
    if [ ! -f "$EXPORT" ]; then
        echo; echo "generating a 1 GB Stack Exchange-style export…" >&2
        python3 bench/parse/make_export.py "$EXPORT" 1024 >&2
    fi
    echo
    echo "1 GB export ($(du -m "$EXPORT" | cut -f1) MB):"
    /usr/bin/time -f "%M %e" -o "$WORK/time.txt" "$BIN/vigia-bench" stream "$EXPORT" > "$WORK/stream.txt"
    read -r rss secs < <(tail -1 "$WORK/time.txt")
    echo "  streaming parse: $(value items < "$WORK/stream.txt") entries in ${secs}s, peak RSS $((rss / 1024)) MB (goal < 100 MB)"
    /usr/bin/time -f "%M %e" -o "$WORK/time.txt" "$BIN/vigia" parse "$EXPORT" --json > /dev/null
    read -r rss secs < <(tail -1 "$WORK/time.txt")
    echo "  vigia parse --json > /dev/null: ${secs}s, peak RSS $((rss / 1024)) MB"
fi
