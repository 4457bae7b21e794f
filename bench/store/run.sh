#!/usr/bin/env bash
# Store benchmark: a generated corpus of 1,000,000 es/it/en entries (20 brands, 5% mentioning
# one) imported end to end (parse → match → score → store), database size, 20 searches of
# different shapes (p50/p95, in process) against the same searches with grep over a JSON Lines
# export, and 200 brand queries matched alone.
#
#   bash bench/store/run.sh            # 1,000,000 entries
#   ENTRIES=200000 bash bench/store/run.sh
#   REUSE_DATABASE=1 bash bench/store/run.sh   # searches and matching only, on the last import
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
ENTRIES=${ENTRIES:-1000000}
WORK="$ROOT/bench/.work/store-$ENTRIES"
mkdir -p "$WORK"
bash scripts/ensure-deps.sh
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null 2>&1 || true

echo "building release binaries…" >&2
swift build -c release --product vigia >&2
swift build -c release --product vigia-bench >&2
BIN=$(swift build -c release --show-bin-path)

if [ ! -f "$WORK/corpus.jsonl" ]; then
    echo "generating $ENTRIES entries…" >&2
    python3 bench/store/make_corpus.py "$WORK" "$ENTRIES" >&2
fi
CORPUS_MB=$(( $(stat -c %s "$WORK/corpus.jsonl") / 1048576 ))

echo
if [ "${REUSE_DATABASE:-0}" = 1 ] && [ -f "$WORK/vigia.db" ]; then
    echo "import: skipped (REUSE_DATABASE=1: searching the database of the last run)"
else
    rm -f "$WORK"/vigia.db "$WORK"/vigia.db-wal "$WORK"/vigia.db-shm "$WORK/export.jsonl"

    echo "import: $ENTRIES entries ($CORPUS_MB MB of JSON Lines), parse → language → match → score → store"
    /usr/bin/time -f "%e %M" -o "$WORK/import-time.txt" \
        "$BIN/vigia" import "$WORK/corpus.jsonl" --config "$WORK/vigia.yaml" --quiet > "$WORK/import.txt"
    read -r SECONDS_TAKEN PEAK_KB < <(tail -1 "$WORK/import-time.txt")
    sed -n '1,5p' "$WORK/import.txt" | sed 's/^/  /'
    awk -v n="$ENTRIES" -v s="$SECONDS_TAKEN" -v m="$PEAK_KB" 'BEGIN { printf "  throughput: %.0f entries/s end to end (goal >= 20,000), peak memory %d MB\n", n / s, m / 1024 }'
    DB_BYTES=$( (stat -c %s "$WORK"/vigia.db "$WORK"/vigia.db-wal 2>/dev/null || true) | awk '{ total += $1 } END { print total + 0 }')
    awk -v b="$DB_BYTES" -v n="$ENTRIES" 'BEGIN { printf "  database size: %.0f MB (%.0f MB per 1M entries)\n", b / 1048576, b / 1048576 * 1000000 / n }'
fi

EXPORT="$WORK/export.jsonl"
if [ ! -f "$EXPORT" ]; then
    "$BIN/vigia" export --config "$WORK/vigia.yaml" > "$EXPORT" 2>/dev/null
fi
export EXPORT

echo
echo "search: 20 queries, in process (best of 5 runs each) vs grep over the export ($(( $(stat -c %s "$EXPORT") / 1048576 )) MB)"
"$BIN/vigia-bench" search "$WORK/vigia.yaml" bench/store/queries.tsv --runs 5 > "$WORK/search.txt"
printf "  %-22s %10s %10s %8s %12s %10s %8s\n" query "vigia ms" "p-max ms" hits "grep ms" "grep count" ratio
GREP_TIMES=()
while IFS= read -r row; do
    # Fields are cut one by one: `read` would merge the empty options column into its neighbour.
    label=$(printf '%s' "$row" | cut -f1)
    grep_command=$(printf '%s' "$row" | cut -f4)
    case "$label" in "#"*|"") continue ;; esac
    start=$(date +%s%N)
    # Into a variable, not /dev/null: GNU grep stops at the first match when it sees /dev/null.
    grep_count=$(bash -c "$grep_command" 2>/dev/null || true)
    end=$(date +%s%N)
    grep_ms=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
    GREP_TIMES+=("$grep_ms")
    line=$(grep -P "^query\t$label\t" "$WORK/search.txt")
    vigia_ms=$(echo "$line" | cut -f3); max_ms=$(echo "$line" | cut -f4); hits=$(echo "$line" | cut -f5)
    ratio=$(awk -v g="$grep_ms" -v v="$vigia_ms" 'BEGIN { printf "%.0fx", g / (v > 0 ? v : 0.01) }')
    printf "  %-22s %10s %10s %8s %12s %10s %8s\n" "$label" "$vigia_ms" "$max_ms" "$hits" "$grep_ms" "$grep_count" "$ratio"
done < bench/store/queries.tsv
P50=$(grep '^p50_ms=' "$WORK/search.txt" | cut -d= -f2)
P95=$(grep '^p95_ms=' "$WORK/search.txt" | cut -d= -f2)
GREP_P50=$(printf "%s\n" "${GREP_TIMES[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
awk -v p50="$P50" -v p95="$P95" -v g="$GREP_P50" 'BEGIN {
    printf "  vigia: p50 %.2f ms, p95 %.2f ms (goal p95 <= 50 ms); grep: p50 %.1f ms; grep / vigia at p50: %.0fx (goal >= 20x)\n", p50, p95, g, g / p50
}'

echo
echo "matching alone: 200 brand queries, one core"
taskset -c 0 "$BIN/vigia-bench" match "$WORK/corpus.jsonl" --entries 200000 | sed 's/^/  /'
