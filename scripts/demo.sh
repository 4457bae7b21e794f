#!/usr/bin/env bash
# The main job on the embedded defaults, with no network: parses every bundled demo source.
# (The polling daemon `vigia run --once` replaces this once it exists.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build --product vigia >&2
VIGIA="$(swift build --show-bin-path)/vigia"
for source in feeds/demo/*; do
    echo "== $source"
    "$VIGIA" parse "$source"
    echo
done
