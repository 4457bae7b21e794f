#!/usr/bin/env bash
# The main job on the embedded defaults: parses the bundled demo feeds (no network).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build -c release --product vigia >&2
VIGIA=.build/release/vigia
for feed in feeds/demo/*; do
    case "$feed" in *.opml|*.md) continue ;; esac
    "$VIGIA" parse "$feed"
    echo
done
