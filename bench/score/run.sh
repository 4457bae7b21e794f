#!/usr/bin/env bash
# Sentiment scoring speed: `vigia score` against VADER on the same texts, one core.
#
# Builds vigia in release mode, repeats the sentiment dev texts (../shared/data/sentiment, read
# only, never copied into the repository) to at least 100,000 texts, and times the scoring loop
# of `vigia score` pinned to core 0 (the `loop_seconds=` it prints on stderr), best of 3:
#   - English texts with --lang en (the same texts VADER gets),
#   - English texts with --lang auto (language identification included),
#   - all three languages with --lang auto.
# Then installs vaderSentiment into bench/.venv (gitignored) and times VADER's polarity_scores
# loop on the same English texts, best of 3, and prints texts/s for each and the ratio.
# Runs bench/score/langid.sh at the end when it exists.
#
# Environment: SCRATCH=<swift scratch path> (default .build), RUNS=<n> (default 3),
# DATA=<dir with {en,es,it}-dev.tsv>.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DATA=${DATA:-$ROOT/../shared/data/sentiment}
SCRATCH=${SCRATCH:-.build}
RUNS=${RUNS:-3}
WORK=$ROOT/bench/.work/score
mkdir -p "$WORK"

if [ ! -f "$DATA/en-dev.tsv" ]; then
    echo "bench/score: $DATA/en-dev.tsv not found; set DATA to the folder of the sentiment dev sets" >&2
    exit 2
fi

echo "== building vigia (release)" >&2
swift build -c release --scratch-path "$SCRATCH" --product vigia >&2
VIGIA=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/vigia

# Texts: the last column of each dev set, header dropped, repeated to >= 100,000 lines.
texts() { tail -n +2 "$1" | awk -F'\t' '{print $NF}'; }
repeat_to() {  # repeat_to SOURCE TARGET MIN
    local count copies
    count=$(wc -l < "$1")
    copies=$(( ($3 + count - 1) / count ))
    : > "$2"
    for _ in $(seq "$copies"); do cat "$1" >> "$2"; done
}
texts "$DATA/en-dev.tsv" > "$WORK/en.txt"
: > "$WORK/all.txt"
for language in en es it; do
    [ -f "$DATA/$language-dev.tsv" ] && texts "$DATA/$language-dev.tsv" >> "$WORK/all.txt"
done
repeat_to "$WORK/en.txt" "$WORK/en-100k.txt" 100000
repeat_to "$WORK/all.txt" "$WORK/all-100k.txt" 100000
EN_COUNT=$(wc -l < "$WORK/en-100k.txt")
ALL_COUNT=$(wc -l < "$WORK/all-100k.txt")

# best_rate INPUT COMMAND... : best texts/s over RUNS runs of COMMAND < INPUT, from the
# loop_seconds= it prints on stderr.
best_rate() {
    local input=$1; shift
    local count best=0 seconds rate
    count=$(wc -l < "$input")
    for _ in $(seq "$RUNS"); do
        seconds=$("$@" < "$input" 2>&1 >/dev/null | sed -n 's/^loop_seconds=//p' | tail -1)
        rate=$(python3 -c "print(int($count / $seconds))")
        [ "$rate" -gt "$best" ] && best=$rate
    done
    echo "$best"
}

echo "== vigia score, one core (taskset -c 0), best of $RUNS" >&2
VIGIA_EN=$(best_rate "$WORK/en-100k.txt" taskset -c 0 "$VIGIA" score --lang en)
VIGIA_EN_AUTO=$(best_rate "$WORK/en-100k.txt" taskset -c 0 "$VIGIA" score)
VIGIA_ALL_AUTO=$(best_rate "$WORK/all-100k.txt" taskset -c 0 "$VIGIA" score)

echo "== VADER (vaderSentiment in bench/.venv)" >&2
VENV=$ROOT/bench/.venv
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" >&2
fi
"$VENV/bin/python" -c "import vaderSentiment" 2>/dev/null || "$VENV/bin/pip" install --quiet vaderSentiment >&2
VADER=$(taskset -c 0 "$VENV/bin/python" - "$WORK/en-100k.txt" "$RUNS" <<'PY'
import sys, time
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
texts = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
analyzer = SentimentIntensityAnalyzer()
best = 0.0
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    for text in texts:
        analyzer.polarity_scores(text)
    best = max(best, len(texts) / (time.perf_counter() - start))
print(int(best))
PY
)

ratio() { python3 -c "print(f'{$1 / $2:.1f}')"; }
echo
echo "Sentiment scoring, texts/s of the scoring loop, one core (taskset -c 0), best of $RUNS"
printf '%-44s %10s %8s\n' "scorer" "texts/s" "× VADER"
printf '%-44s %10s %8s\n' "VADER (vaderSentiment), en-dev ×$(( EN_COUNT / $(wc -l < "$WORK/en.txt") ))" "$VADER" "1.0"
printf '%-44s %10s %8s\n' "vigia score --lang en, same texts" "$VIGIA_EN" "$(ratio "$VIGIA_EN" "$VADER")"
printf '%-44s %10s %8s\n' "vigia score (--lang auto), same texts" "$VIGIA_EN_AUTO" "$(ratio "$VIGIA_EN_AUTO" "$VADER")"
printf '%-44s %10s %8s\n' "vigia score (--lang auto), en+es+it dev" "$VIGIA_ALL_AUTO" "$(ratio "$VIGIA_ALL_AUTO" "$VADER")"
echo "($EN_COUNT English texts, $ALL_COUNT mixed texts; machine load: $(cut -d' ' -f1-3 /proc/loadavg))"

if [ -x bench/score/langid.sh ] || [ -f bench/score/langid.sh ]; then
    echo
    echo "== bench/score/langid.sh" >&2
    bash bench/score/langid.sh
fi
