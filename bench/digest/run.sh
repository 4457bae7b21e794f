#!/usr/bin/env bash
# Digest benchmark: `vigia digest` over 1,000,000 stored entries and 20 brands. Goal: the digest
# of the last 24 hours built in under 2 seconds (json and html).
#
# Generates (bench/digest/make_entries.py) ENTRIES synthetic es/it/en posts spread over the DAYS
# days ending now (so the period, the previous period, the same day last week and the 30-day
# chart all hold data), mentioning 20 invented brands (3 of them competitors), with a burst of
# negative mentions of Vuelalto between 9 and 3 hours ago; imports them with `vigia import
# --format jsonl` into a fresh SQLite database (timed, entries/s), runs one `vigia run --once`
# on a one-item local feed so that the spike monitor records its alerts, then times
#   vigia digest --since 24h --format json  (to a file),
#   vigia digest --since 24h --format html,
#   vigia digest --since 24h --format md,
# RUNS times each as separate processes under /usr/bin/time (wall seconds, peak RSS; the first
# run of the first format is the one with the coldest caches), and checks the JSON: 20 brands,
# mentions in the period, the spike visible.
#
#   bash bench/digest/run.sh
#   ENTRIES=200000 RUNS=5 bash bench/digest/run.sh
#   FRESH=1 bash bench/digest/run.sh         # regenerate the entries and import them again
#
# The entries and the database are kept in bench/.work/digest/n$ENTRIES-d$DAYS-s$SEED and reused
# while the entries are younger than MAX_AGE_HOURS (the digest's windows are relative to now: after
# that the spike would leave the last 24 hours), else generated and imported again.
#
# Environment: ENTRIES (default 1000000), DAYS (default 60), SEED (default 2024), RUNS (default 3),
# SINCE (the period, default 24h), MAX_AGE_HOURS (default 12), FRESH (1: start over), SCRATCH
# (swift scratch path, default .build-bench), VIGIA (a vigia binary to use instead of building one).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
ENTRIES=${ENTRIES:-1000000}
DAYS=${DAYS:-60}
SEED=${SEED:-2024}
RUNS=${RUNS:-3}
SINCE=${SINCE:-24h}
MAX_AGE_HOURS=${MAX_AGE_HOURS:-12}
FRESH=${FRESH:-0}
SCRATCH=${SCRATCH:-.build-bench}
GOAL_SECONDS=2
WORK=$ROOT/bench/.work/digest/n$ENTRIES-d$DAYS-s$SEED
mkdir -p "$WORK"

# --- tools -------------------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
    echo "== installing time" >&2
    SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -qq time >&2 || { $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq time >&2; }
fi
if [ -z "${VIGIA:-}" ]; then
    bash scripts/ensure-deps.sh
    echo "== building vigia (release, $SCRATCH)" >&2
    swift build -c release --scratch-path "$SCRATCH" --product vigia >&2
    VIGIA=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/vigia
fi
if ! "$VIGIA" digest --help 2>&1 | grep -q -- '--since'; then
    echo "bench/digest: '$VIGIA digest' is not available (this vigia has no digest command)" >&2
    exit 2
fi
SQLITE=$(command -v sqlite3 || true)

# --- entries -----------------------------------------------------------------------------------
CORPUS=$WORK/entries.jsonl
NOW=$(date +%s)
GENERATED=$(cat "$WORK/generated-at" 2>/dev/null || echo 0)
AGE_HOURS=$(( (NOW - GENERATED) / 3600 ))
if [ "$FRESH" = 1 ] || [ ! -s "$CORPUS" ] || [ "$AGE_HOURS" -ge "$MAX_AGE_HOURS" ]; then
    [ "$FRESH" = 1 ] || [ ! -s "$CORPUS" ] || echo "== the entries are ${AGE_HOURS} h old (MAX_AGE_HOURS=$MAX_AGE_HOURS): generating them again" >&2
    echo "== generating $ENTRIES entries over $DAYS days" >&2
    rm -f "$WORK/generated-at" "$WORK"/vigia.db "$WORK"/vigia.db-wal "$WORK"/vigia.db-shm "$WORK/import.stats"
    python3 bench/digest/make_entries.py "$CORPUS" --entries "$ENTRIES" --days "$DAYS" --seed "$SEED" --now "$NOW" >&2
    echo "$NOW" > "$WORK/generated-at"
    GENERATED=$NOW
fi
CORPUS_MB=$(( $(stat -c %s "$CORPUS") / 1048576 ))

# --- configuration: 20 brands, 3 competitors, one quiet local feed -----------------------------
BRANDS=(Vuelalto Pastaria Zapply Movilia Bancolmo Trenvía "Casa Brisa" Farmalista "Orbita Seguros" "Luce Ora"
        Scarpetti Velocarta "Banca Nuvola" Gustobox Fibralink Parcelio Brightcart Nestwise Ridely Kettlebird)
COMPETITORS=(Fibralink Brightcart Kettlebird)
CONFIG=$WORK/vigia.yaml
if [ ! -f "$CONFIG" ]; then
    brand_args=()
    for brand in "${BRANDS[@]}"; do brand_args+=(--brand "$brand"); done
    "$VIGIA" init --directory "$WORK" "${brand_args[@]}" > /dev/null
    # `vigia init` has no --competitor: mark them in the YAML (a `competitor: true` under the name).
    python3 - "$CONFIG" "${COMPETITORS[@]}" <<'PY'
import sys
path, competitors = sys.argv[1], set(sys.argv[2:])
lines = open(path, encoding="utf-8").read().split("\n")
out = []
for line in lines:
    out.append(line)
    if line.startswith("  - name: ") and line[len("  - name: "):].strip("'\"") in competitors:
        out.append("    competitor: true")
open(path, "w", encoding="utf-8").write("\n".join(out))
missing = competitors - {l[len("  - name: "):].strip("'\"") for l in lines if l.startswith("  - name: ")}
if missing:
    sys.exit("bench/digest: no brand line for %s in %s" % (", ".join(sorted(missing)), path))
PY
    # One local feed with one neutral item: `vigia run --once` needs a feed to poll; its pass runs
    # the spike monitor over the stored mentions and records the alerts the digest lists.
    cat > "$WORK/quiet.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Bench: a quiet feed</title><link>https://quiet.example/</link>
<description>One item so that the poll has something to read.</description>
<item><title>Nothing to report</title><link>https://quiet.example/1</link><guid>quiet-1</guid>
<description>A quiet day in town.</description></item>
</channel></rss>
EOF
    "$VIGIA" feeds add "file://$WORK/quiet.xml" --title "Bench quiet feed" --config "$CONFIG" > /dev/null
fi

# --- import ------------------------------------------------------------------------------------
DB=$WORK/vigia.db
if [ ! -f "$DB" ] || [ ! -f "$WORK/import.stats" ]; then
    rm -f "$DB" "$DB-wal" "$DB-shm"
    echo "== importing $ENTRIES entries ($CORPUS_MB MB of JSON Lines)" >&2
    /usr/bin/time -f '%e %M' -o "$WORK/import.time" \
        "$VIGIA" import "$CORPUS" --format jsonl --map engagement=score --config "$CONFIG" --quiet > "$WORK/import.txt" 2> "$WORK/import.err" \
        || { echo "bench/digest: vigia import failed:" >&2; tail -20 "$WORK/import.err" >&2; exit 1; }
    read -r seconds rss_kb < <(tail -1 "$WORK/import.time")
    echo "$seconds $rss_kb" > "$WORK/import.stats"
    echo "== spike monitor: vigia run --once on the quiet feed" >&2
    /usr/bin/time -f '%e %M' -o "$WORK/alerts.time" \
        "$VIGIA" run --once --quiet --config "$CONFIG" --log-level warning > "$WORK/run.txt" 2> "$WORK/run.err" \
        || { echo "bench/digest: vigia run --once failed:" >&2; tail -20 "$WORK/run.err" >&2; exit 1; }
    IMPORTED_NOW=1
else
    IMPORTED_NOW=0
    echo "== reusing the database imported $(( (NOW - $(stat -c %Y "$WORK/import.stats")) / 60 )) min ago (FRESH=1 imports again)" >&2
fi
read -r IMPORT_SECONDS IMPORT_RSS_KB < "$WORK/import.stats"

# --- digests -----------------------------------------------------------------------------------
# time_runs NAME ARGS…: RUNS runs of `vigia digest ARGS`, one "wall rss_kb" line each in NAME.runs.
time_runs() {
    local name=$1; shift
    : > "$WORK/$name.runs"
    for run in $(seq "$RUNS"); do
        /usr/bin/time -f '%e %M' -o "$WORK/$name.time" "$VIGIA" digest "$@" --config "$CONFIG" 2> "$WORK/$name.err" \
            || { echo "bench/digest: vigia digest $* failed:" >&2; tail -20 "$WORK/$name.err" >&2; exit 1; }
        tail -1 "$WORK/$name.time" >> "$WORK/$name.runs"
        echo "  $name run $run: $(tail -1 "$WORK/$name.time" | awk '{ printf "%.2f s, %.0f MB", $1, $2 / 1024 }')" >&2
    done
}
# (Into files under bench/.work, not /dev/null: --out writes atomically, through a temporary file
# renamed over the target.)
echo "== vigia digest --since $SINCE, $RUNS runs per format" >&2
time_runs json --since "$SINCE" --format json --out "$WORK/digest.json"
time_runs html --since "$SINCE" --format html --out "$WORK/digest.html"
time_runs md --since "$SINCE" --format md --out "$WORK/digest.md"

# --- summary -----------------------------------------------------------------------------------
DB_BYTES=$( (stat -c %s "$DB" "$DB-wal" 2>/dev/null || true) | awk '{ total += $1 } END { print total + 0 }')
echo
echo "Digest: $ENTRIES entries over $DAYS days ($CORPUS_MB MB of JSON Lines, generated $(( (NOW - GENERATED) / 60 )) min ago), ${#BRANDS[@]} brands, period --since $SINCE, $(nproc) cores"
awk -v n="$ENTRIES" -v s="$IMPORT_SECONDS" -v m="$IMPORT_RSS_KB" -v now="$IMPORTED_NOW" 'BEGIN {
    printf "import: %.1f s, %.0f entries/s, peak RSS %.0f MB%s\n", s, n / s, m / 1024, (now ? "" : " (the cached database'"'"'s import)") }'
sed -n '2,5p' "$WORK/import.txt" | sed 's/^ */  /'
if [ -f "$WORK/alerts.time" ]; then
    awk '{ printf "spike monitor (vigia run --once, 8 days replayed): %.2f s, peak RSS %.0f MB\n", $1, $2 / 1024 }' "$WORK/alerts.time"
fi
if [ -n "$SQLITE" ]; then
    read -r DB_ENTRIES DB_MENTIONS DB_COUNTED DB_ALERTS < <("$SQLITE" -separator ' ' "file:$DB?mode=ro" \
        "SELECT (SELECT count(*) FROM entry), (SELECT count(*) FROM mention), (SELECT count(*) FROM mention WHERE counted = 1), (SELECT count(*) FROM alert);")
    echo "database: $(( DB_BYTES / 1048576 )) MB; $DB_ENTRIES entries, $DB_MENTIONS mentions ($DB_COUNTED counted, the rest on duplicates), $DB_ALERTS alerts"
else
    echo "database: $(( DB_BYTES / 1048576 )) MB (no sqlite3 for the counts)"
fi
printf '%-28s %s\n' "" "runs: wall s (peak RSS MB)                 best    median"
GOAL_MET=1
for name in json html md; do
    runs=$(awk '{ printf "%.2f (%.0f)  ", $1, $2 / 1024 }' "$WORK/$name.runs")
    read -r best median < <(cut -d' ' -f1 "$WORK/$name.runs" | sort -g | awk '{ w[NR] = $1 }
        END { printf "%.2f %.2f\n", w[1], (NR % 2 ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2) }')
    printf '%-28s %-42s %6.2f %8.2f\n' "vigia digest --format $name" "$runs" "$best" "$median"
    if [ "$name" != md ] && awk -v m="$median" -v g="$GOAL_SECONDS" 'BEGIN { exit !(m >= g) }'; then GOAL_MET=0; fi
done
echo "goal <${GOAL_SECONDS} s (json and html, median): $([ "$GOAL_MET" = 1 ] && echo met || echo MISSED)"

# Sanity: the JSON's brands, the period's mentions, the spike.
python3 - "$WORK/digest.json" "${#BRANDS[@]}" <<'PY'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
want = int(sys.argv[2])
brands = report["brands"]
total = sum(b["period"]["total"] for b in brands)
previous = sum(b["previous_period"]["total"] for b in brands)
week = sum(b["same_day_last_week"]["total"] for b in brands)
days = sum(sum(b["daily_total"]) for b in brands)
competitors = [b["name"] for b in brands if b["competitor"]]
ok = len(brands) == want and total > 0 and previous > 0 and week > 0
print("check: %d brands in the JSON (want %d), %d competitors (%s); mentions: %d in the period, %d in the previous one, "
      "%d the same day last week, %d over the 30 days: %s" % (
          len(brands), want, len(competitors), ", ".join(competitors), total, previous, week, days, "ok" if ok else "UNEXPECTED"))
spike = next((b for b in brands if b["name"] == "Vuelalto"), None)
if spike:
    p, q = spike["period"], spike["previous_period"]
    terms = "; ".join("%s (%d)" % ("/".join(g["terms"][:3]), g["mentions"]) for g in spike["complaints"][:4]) or "none"
    top = spike["top_negative"][0]["snippet"].replace("\u0002", "[").replace("\u0003", "]") if spike["top_negative"] else "none"
    print("spike: Vuelalto %d negative of %d (previous period %d of %d), %d alerts, share of voice %.1f%%;"
          % (p["negative"], p["total"], q["negative"], q["total"], len(spike["alerts"]), 100 * (spike["share_of_voice"] or 0)))
    print("       complaints: %s; top negative: %s" % (terms, top[:100]))
sys.exit(0 if ok else 1)
PY
echo "(machine load: $(cut -d' ' -f1-3 /proc/loadavg); work files in ${WORK#"$ROOT"/}: digest.json, digest.html, digest.md)"
[ "$GOAL_MET" = 1 ]
