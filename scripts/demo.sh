#!/usr/bin/env bash
# The main job on the embedded defaults, with no network: `vigia run --once` polls the bundled
# demo sources (file:// feeds and exports under feeds/demo/, in es, it and en) into a fresh SQLite
# database through the whole pipeline (fetch → parse → language → brand matching → sentiment →
# store), and prints what it found: mentions per brand and sentiment, then the feeds' health and
# the negative and positive mentions.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build --product vigia >&2
VIGIA="$(swift build --show-bin-path)/vigia"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$VIGIA" init --directory "$WORK" --brand Vuelalto --brand Pastaria --brand Zapply > /dev/null
CONFIG="$WORK/vigia.yaml"
"$VIGIA" feeds import feeds/demo.opml --config "$CONFIG"
echo
"$VIGIA" run --once --config "$CONFIG" --log-level warning
echo
echo "== feed health"
"$VIGIA" feeds status --config "$CONFIG"
echo
echo "== negative mentions of any brand, newest first"
"$VIGIA" search 'Vuelalto OR Pastaria OR Zapply' --sentiment neg --sort date --limit 5 --config "$CONFIG"
echo
echo "== positive mentions of any brand, newest first"
"$VIGIA" search 'Vuelalto OR Pastaria OR Zapply' --sentiment pos --sort date --limit 5 --config "$CONFIG"
echo
echo "== the digest marketing reads (one brand, in Spanish; also --format html|json|text, --send)"
# The demo entries are dated 2026-11-20: a long period takes them in whatever today is.
"$VIGIA" digest --since 3650d --brand Vuelalto --language es --config "$CONFIG"
