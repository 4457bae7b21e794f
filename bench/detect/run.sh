#!/usr/bin/env bash
# Spike detection: `vigia detect` scored with NAB's rules on the dev series, and its speed.
#
# Runs `vigia detect SERIES.csv` on every series of ../shared/data/volume (NAB's
# artificialNoAnomaly, artificialWithAnomaly and realKnownCause; read only, never copied into the
# repository), keeps each run's stdout in bench/.work/detect/vigia/, and scores the alerts with
# bench/detect/nab_score.py (NAB's standard, reward_low_FP and reward_low_FN normalised scores,
# window recall, alert precision, false alerts per 1,000 points) per category, overall and per
# file, next to two reference detectors from bench/detect/reference.py: "never fires" (NAB's null
# detector, 0 by definition) and a seasonal baseline (mean + 4 sd of the same time of day over the
# previous 7 days, one alert per 2 hours). Speed: rows / wall time summed over the `vigia detect`
# processes of the dev series, and on one generated series of 1,000,000 rows.
#
# What `vigia detect` must print (stdout, exit 0): one line per alert, the timestamp exactly as in
# the input CSV, optionally followed by a tab and a number (the alert's score), e.g.
#   2014-11-02 09:30:00<TAB>7.25
# Nothing else on stdout (messages go to stderr); no alert, no line.
#
#   bash bench/detect/run.sh
#   VIGIA=/path/to/vigia bash bench/detect/run.sh   # use this binary instead of building one
#
# Environment: VIGIA (binary), DATA (default ../shared/data/volume beside the repository),
# SYNTH_ROWS (default 1000000), SCRATCH (swift scratch path, default .build).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DATA=${DATA:-$(dirname "$ROOT")/shared/data/volume}
SYNTH_ROWS=${SYNTH_ROWS:-1000000}
SCRATCH=${SCRATCH:-.build}
HERE=$ROOT/bench/detect
WORK=$ROOT/bench/.work/detect

if [ ! -f "$DATA/labels/combined_windows.json" ]; then
    echo "bench/detect: skipped: $DATA/labels/combined_windows.json not found (the NAB dev series live in ../shared/data/volume beside the repository; set DATA to use another folder)"
    exit 0
fi

python3 "$HERE/nab_score.py" --self-test >&2

if [ -z "${VIGIA:-}" ]; then
    echo "== building vigia (release)" >&2
    swift build -c release --scratch-path "$SCRATCH" --product vigia >&2
    VIGIA=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/vigia
fi
[ -x "$VIGIA" ] || { echo "bench/detect: $VIGIA is not an executable" >&2; exit 2; }

rm -rf "$WORK/vigia" "$WORK/reference"
mkdir -p "$WORK/vigia"

# now_ns: wall clock in nanoseconds without a fork (bash 5 EPOCHREALTIME).
now_ns() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"000; }

# run_detect CSV OUT: runs vigia detect, stdout to OUT, stderr to OUT.stderr; prints
# "ELAPSED_NS EXIT_STATUS". A failure is reported and the run goes on (its alerts so far are scored).
run_detect() {
    local start end status=0
    start=$(now_ns)
    "$VIGIA" detect "$1" > "$2" 2> "$2.stderr" || status=$?
    end=$(now_ns)
    if [ "$status" != 0 ]; then
        echo "bench/detect: '$VIGIA detect $1' exited with $status; its stderr:" >&2
        sed 's/^/  /' "$2.stderr" | head -20 >&2
    fi
    echo "$(( end - start )) $status"
}
FAILED=()

echo "== vigia detect on the dev series ($DATA)" >&2
: > "$WORK/vigia/timings.tsv"
TOTAL_ROWS=0
TOTAL_NS=0
SERIES=$(python3 -c 'import json, sys; print("\n".join(sorted(json.load(open(sys.argv[1])))))' \
    "$DATA/labels/combined_windows.json")
for name in $SERIES; do
    [ -f "$DATA/$name" ] || continue
    out="$WORK/vigia/${name%.csv}.alerts"
    mkdir -p "$(dirname "$out")"
    read -r elapsed status < <(run_detect "$DATA/$name" "$out")
    [ "$status" = 0 ] || FAILED+=("$name (exit $status: $(head -1 "$out.stderr"))")
    rows=$(( $(wc -l < "$DATA/$name") ))
    # wc counts newlines: add the last row when the file does not end with one.
    [ -n "$(tail -c 1 "$DATA/$name")" ] || rows=$(( rows - 1 ))
    printf '%s\t%d\t%d\n' "$name" "$rows" "$elapsed" >> "$WORK/vigia/timings.tsv"
    TOTAL_ROWS=$(( TOTAL_ROWS + rows ))
    TOTAL_NS=$(( TOTAL_NS + elapsed ))
done

echo "== reference detectors (Python)" >&2
python3 "$HERE/reference.py" alerts "$DATA" "$WORK/reference"

SYNTH="$WORK/synthetic-$SYNTH_ROWS.csv"
if [ ! -f "$SYNTH" ]; then
    echo "== generating $SYNTH_ROWS synthetic rows" >&2
    python3 "$HERE/reference.py" synth "$SYNTH.tmp" "$SYNTH_ROWS"
    mv "$SYNTH.tmp" "$SYNTH"
fi
echo "== vigia detect on $SYNTH_ROWS synthetic rows" >&2
read -r SYNTH_NS status < <(run_detect "$SYNTH" "$WORK/synthetic.alerts")
[ "$status" = 0 ] || FAILED+=("$(basename "$SYNTH") (exit $status: $(head -1 "$WORK/synthetic.alerts.stderr"))")
SYNTH_ALERTS=$(grep -c . "$WORK/synthetic.alerts" || true)

echo
echo "NAB scores on the dev series (NAB's rules: probationary first min(15%, 750) rows unscored;"
echo "scores normalised so never-fires = 0 and perfect = 100; '-' = undefined, no window in the set)"
echo
python3 "$HERE/nab_score.py" --data "$DATA" \
    --detector "vigia=$WORK/vigia" \
    --detector "never fires=$WORK/reference/never" \
    --detector "seasonal baseline=$WORK/reference/seasonal" \
    --per-file vigia --json "$WORK/scores.json"
echo
echo "Goal (issue 6): standard score >= 70 and alert precision >= 0.4 on held-out brand-mention"
echo "volume (this dev set is a proxy)."
python3 - "$WORK/scores.json" <<'PY'
import json, sys
overall = json.load(open(sys.argv[1]))["vigia"]["overall"]
std, precision = overall["standard"], overall["precision"]
def mark(ok): return "met" if ok else "not met"
print(f"  vigia on dev: standard {std:.1f} ({mark(std >= 70)}), "
      + (f"alert precision {precision:.2f} ({mark(precision >= 0.4)})" if precision is not None
         else "alert precision - (no alert)"))
PY
echo
awk -v rows="$TOTAL_ROWS" -v ns="$TOTAL_NS" -v files="$(wc -l < "$WORK/vigia/timings.tsv")" \
    -v srows="$SYNTH_ROWS" -v sns="$SYNTH_NS" -v salerts="$SYNTH_ALERTS" 'BEGIN {
    printf "speed: dev series %d rows in %d processes, %.3f s wall in total: %.0f points/s (process start included)\n", rows, files, ns / 1e9, rows / (ns / 1e9)
    printf "       synthetic %d rows, one process, %.3f s wall: %.0f points/s (%d alerts)\n", srows, sns / 1e9, srows / (sns / 1e9), salerts
}'
echo "alerts: $WORK/vigia/<category>/<series>.alerts; scores: $WORK/scores.json"
if [ "${#FAILED[@]}" -gt 0 ]; then
    echo
    echo "FAILED: vigia detect exited non-zero on ${#FAILED[@]} series (scored above with the alerts it printed before failing):"
    printf '  %s\n' "${FAILED[@]}"
    exit 1
fi
