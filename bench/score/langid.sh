#!/usr/bin/env bash
# Language-identification benchmark: `vigia lang` against lingua (restricted to es/it/en) on the
# dev texts, each labelled by its file's language (en-dev → en, es-dev → es, it-dev → it),
# repeated to at least 100,000 texts, both pinned to one core. Prints accuracy (overall and on
# texts under 30 characters), texts/second for each, and the speed ratio.
#
# Usage: bash bench/score/langid.sh
# Env:   SCRATCH (SwiftPM scratch path, default .build), MIN_TEXTS (default 100000),
#        RUNS (vigia runs, the fastest loop is reported; default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."

DATA=../shared/data/sentiment
if [ ! -f "$DATA/en-dev.tsv" ] || [ ! -f "$DATA/es-dev.tsv" ] || [ ! -f "$DATA/it-dev.tsv" ]; then
    echo "langid: $DATA/{en,es,it}-dev.tsv not found; skipping the language-id benchmark"
    exit 0
fi

SCRATCH=${SCRATCH:-.build}
MIN_TEXTS=${MIN_TEXTS:-100000}
WORK=bench/.work/langid
mkdir -p "$WORK"

PIN=()
if command -v taskset >/dev/null 2>&1; then PIN=(taskset -c 0); else echo "taskset missing: not pinned"; fi

python3 bench/score/langid.py prepare "$DATA" "$WORK" "$MIN_TEXTS"

echo "building vigia (release, scratch path $SCRATCH)…"
if ! swift build -c release --scratch-path "$SCRATCH" --product vigia >"$WORK/build.log" 2>&1; then
    grep -E "error:" "$WORK/build.log" | head -20 || true
    echo "langid: release build failed (full log: $WORK/build.log)" >&2
    exit 1
fi
VIGIA="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/vigia"

# vigia's loop is short (a fraction of a second), so one busy moment on a shared machine skews
# it: run it RUNS times and report the fastest loop (the median is printed too).
RUNS=${RUNS:-5}
echo "running vigia lang ($RUNS runs)…"
rm -f "$WORK"/vigia.err*
for run in $(seq "$RUNS"); do
    "${PIN[@]}" "$VIGIA" lang <"$WORK/texts.txt" >"$WORK/vigia.out" 2>"$WORK/vigia.err.$run"
done

VENV=bench/.venv
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
if ! "$VENV/bin/python" -c "import lingua" 2>/dev/null; then
    echo "installing lingua-language-detector into $VENV…"
    "$VENV/bin/pip" install -q lingua-language-detector
fi
echo "running lingua (es/it/en)…"
"${PIN[@]}" "$VENV/bin/python" bench/score/langid.py lingua "$WORK/texts.txt" "$WORK/lingua.out" 2>"$WORK/lingua.err"

python3 bench/score/langid.py report "$WORK"
