#!/usr/bin/env bash
# The main job on the embedded defaults, with no network: a fresh SQLite database, the bundled
# demo sources (es, it and en) imported through the whole pipeline (parse → language → brand
# matching → sentiment → store), then what was found. (The polling daemon, `vigia run --once`,
# takes over this job once it exists.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build --product vigia >&2
VIGIA="$(swift build --show-bin-path)/vigia"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$VIGIA" init --directory "$WORK" --brand Vuelalto --brand Pastaria --brand Zapply > /dev/null
CONFIG="$WORK/vigia.yaml"
for source in feeds/demo/*; do
    "$VIGIA" import "$source" --config "$CONFIG" --quiet
    echo
done
echo "== negative mentions of any brand, newest first"
"$VIGIA" search 'Vuelalto OR Pastaria OR Zapply' --sentiment neg --sort date --config "$CONFIG"
echo
echo "== positive mentions of any brand, newest first"
"$VIGIA" search 'Vuelalto OR Pastaria OR Zapply' --sentiment pos --sort date --config "$CONFIG"
