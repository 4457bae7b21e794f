#!/usr/bin/env bash
# Output check for speed work on `vigia score` and `vigia lang`: every output must stay
# byte-identical.
#
#   bash bench/score/outputs.sh record BINARY   writes reference outputs to bench/.work/outputs/ref
#   bash bench/score/outputs.sh check BINARY    writes bench/.work/outputs/new and diffs it with ref
#
# Inputs: the texts of ../shared/data/sentiment/{en,es,it}-dev.tsv (read in place, never copied
# into the repository) and the hostile inputs of bench/score/hostile.py (empty lines, 1 MB lines,
# invalid UTF-8, control characters, emoji-only…). Outputs: `vigia score` in tsv for every
# --lang, with --explain, and --format json --explain; `vigia lang` in text and json.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODE=${1:?record or check}
BINARY=${2:?path to vigia}
DATA=${DATA:-../shared/data/sentiment}
WORK=bench/.work/outputs
mkdir -p "$WORK"
INPUTS=$WORK/inputs
mkdir -p "$INPUTS"
for language in en es it; do
    tail -n +2 "$DATA/$language-dev.tsv" | awk -F'\t' '{print $NF}' > "$INPUTS/$language.txt"
done
python3 bench/score/hostile.py > "$INPUTS/hostile.txt"

case $MODE in
    record) OUT=$WORK/ref ;;
    check) OUT=$WORK/new ;;
    *) echo "usage: outputs.sh record|check BINARY" >&2; exit 2 ;;
esac
rm -rf "$OUT"; mkdir -p "$OUT"
for input in en es it hostile; do
    file=$INPUTS/$input.txt
    for lang in auto en es it und; do
        "$BINARY" score --lang "$lang" < "$file" > "$OUT/$input.score.$lang.tsv" 2>/dev/null
    done
    "$BINARY" score --explain < "$file" > "$OUT/$input.score.explain.txt" 2>/dev/null
    "$BINARY" score --format json --explain < "$file" > "$OUT/$input.score.json" 2>/dev/null
    "$BINARY" score --lang en --format json < "$file" > "$OUT/$input.score.en.json" 2>/dev/null
    "$BINARY" lang < "$file" > "$OUT/$input.lang.txt" 2>/dev/null
    "$BINARY" lang --format json < "$file" > "$OUT/$input.lang.json" 2>/dev/null
done
# Texts given as arguments.
"$BINARY" score --explain "Me encanta Iberia pero odio Vueling" "not bad at all" "" "😀" > "$OUT/args.score.txt" 2>/dev/null
"$BINARY" lang "Me encanta Iberia" "non c'è male" "" "good" > "$OUT/args.lang.txt" 2>/dev/null

if [ "$MODE" = check ]; then
    if diff -rq "$WORK/ref" "$OUT"; then
        echo "outputs: identical ($(ls "$OUT" | wc -l) files)"
    else
        echo "outputs: DIFFERENT" >&2
        exit 1
    fi
else
    echo "outputs: recorded $(ls "$OUT" | wc -l) files in $OUT"
fi
