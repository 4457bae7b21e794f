#!/usr/bin/env bash
# The HTML digest in a real headless browser (Debian's Chromium), for a person to look at.
#
# Builds vigia, makes a throwaway project with the bundled demo feeds (`vigia run --once`, as in
# scripts/demo.sh) plus a few hostile and awkward mentions imported from a small JSON Lines file
# (a title and text holding <script>document.title='PWNED'</script> and <img onerror>, a
# javascript: link, a markup source name; a very long unbroken word), writes
#   digest.html     vigia digest --since 3650d --format html
#   digest-es.html  the same with --language es
# and takes screenshots with chromium --headless: digest.png (800 px wide), digest-phone.png
# (390 px, a phone) and digest-es.png (800 px). It also dumps each page's DOM as Chromium built
# it and fails (exit 1) when the DOM holds a <script> element, an element with an on…= handler
# from the hostile text, a javascript: link, or a document title changed to PWNED, or when the
# page does not finish loading (an alert() that ran blocks headless Chromium).
#
#   bash scripts/digest-screenshot.sh                 # writes to bench/.work/digest-screenshot/
#   OUT=/tmp/shots bash scripts/digest-screenshot.sh
#   VIGIA=.build/debug/vigia bash scripts/digest-screenshot.sh
#
# Environment: OUT (default bench/.work/digest-screenshot), VIGIA (a vigia binary to use instead
# of building one), SCRATCH (swift scratch path; swift's default when unset), CHROMIUM (the
# browser, default chromium), HEIGHT (screenshot height in px, default 2400), TIMEOUT (seconds
# per Chromium run, default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/bench/.work/digest-screenshot}
HEIGHT=${HEIGHT:-2400}
TIMEOUT=${TIMEOUT:-60}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# --- tools -------------------------------------------------------------------------------------
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
[ -n "$CHROMIUM" ] || [ ! -x /usr/bin/chromium ] || CHROMIUM=/usr/bin/chromium
if [ -z "$CHROMIUM" ]; then
    echo "== installing chromium" >&2
    SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -qq chromium >&2 \
        || { $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq chromium >&2; }
    CHROMIUM=/usr/bin/chromium
fi
if [ -z "${VIGIA:-}" ]; then
    bash scripts/ensure-deps.sh
    scratch=(); [ -n "${SCRATCH:-}" ] && scratch=(--scratch-path "$SCRATCH")
    echo "== building vigia" >&2
    swift build "${scratch[@]}" --product vigia >&2
    VIGIA="$(swift build "${scratch[@]}" --show-bin-path)/vigia"
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# --- a project: the demo feeds and a few hostile mentions --------------------------------------
"$VIGIA" init --directory "$WORK" --brand Vuelalto --brand Pastaria --brand Zapply > /dev/null
CONFIG="$WORK/vigia.yaml"
"$VIGIA" feeds import feeds/demo.opml --config "$CONFIG" > /dev/null
echo "== vigia run --once on the demo feeds" >&2
"$VIGIA" run --once --quiet --config "$CONFIG" --log-level warning > /dev/null

# Recent, strongly negative (so they rank among the mentions that matter: one per brand, the demo
# fills the other places), with markup where the digest shows text: title, text, link, author,
# source; and a very long unbroken word and link (layout at phone width).
HOSTILE="$WORK/hostile.jsonl"
python3 - "$HOSTILE" <<'PY'
import json, sys, time
now = time.time()
stamp = lambda hours: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - hours * 3600))
records = [
    {"id": "hostile-1",
     "title": "<script>document.title='PWNED'</script> Vuelalto <img src=x onerror=alert(1)> worst airline",
     "text": "Vuelalto is a terrible, awful disaster <script>document.title='PWNED'</script> "
             "<img src=x onerror=alert(1)> they lost my luggage and the refund never came. Never again!",
     "link": "javascript:alert(document.cookie)", "author": "<b>mallory</b>",
     "published": stamp(1), "source": "<img src=x onerror=alert(2)>forum", "lang": "en"},
    {"id": "hostile-2",
     "title": "Zapply: &lt;script&gt;alert(3)&lt;/script&gt; </td></tr></table></div> terrible service",
     "text": "Pésimo servicio de Zapply &lt;img src=x onerror=alert(4)&gt; </p></li></ul> "
             "un desastre horrible, nunca más.",
     "link": "JaVaScRiPt:alert(5)", "published": stamp(2), "source": "\"><svg onload=alert(6)>", "lang": "es"},
    {"id": "long-1",
     "title": "Pastaria " + "ordine" * 30,
     "text": "Pessimo servizio di Pastaria https://example.org/" + "a" * 180 + " "
             + "supercalifragilistichespiralidoso" * 5 + " un disastro orribile, mai più.",
     "link": "https://example.org/" + "b" * 200, "published": stamp(3), "source": "long.example.org", "lang": "it"},
]
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
PY
"$VIGIA" import "$HOSTILE" --format jsonl --quiet --config "$CONFIG" > /dev/null

# --- digests and screenshots -------------------------------------------------------------------
"$VIGIA" digest --since 3650d --format html --out "$OUT/digest.html" --config "$CONFIG"
"$VIGIA" digest --since 3650d --format html --language es --out "$OUT/digest-es.html" --config "$CONFIG"

# browser ARGS…: one headless Chromium, its own throwaway profile, its noise in chromium.log, at
# most TIMEOUT seconds (a JavaScript dialog such as alert() blocks headless Chromium for ever).
browser() {
    timeout "$TIMEOUT" "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$WORK/chromium-profile" "$@" 2>> "$OUT/chromium.log"
}
: > "$OUT/chromium.log"
shot() {  # shot PAGE PNG WIDTH
    rm -f "$2"
    local status=0
    browser --screenshot="$2" --window-size="$3,$HEIGHT" "file://$1" > /dev/null || status=$?
    [ "$status" != 124 ] || echo "digest-screenshot: chromium did not finish $2 in $TIMEOUT s (a script's alert()?)" >&2
    [ -s "$2" ] || { echo "digest-screenshot: chromium wrote no $2 (exit $status); see $OUT/chromium.log" >&2; exit 1; }
}
echo "== chromium --headless: screenshots" >&2
shot "$OUT/digest.html" "$OUT/digest.png" 800
shot "$OUT/digest.html" "$OUT/digest-phone.png" 390
shot "$OUT/digest-es.html" "$OUT/digest-es.png" 800

# --- the DOM as the browser built it -----------------------------------------------------------
STATUS=0
for page in digest digest-es; do
    problems=()
    status=0
    browser --dump-dom "file://$OUT/$page.html" > "$OUT/$page.dom.html" || status=$?
    [ "$status" != 124 ] || problems+=("the page did not finish loading in $TIMEOUT s (a script's alert() blocks headless Chromium)")
    [ -s "$OUT/$page.dom.html" ] || problems+=("chromium dumped no DOM")
    grep -qi '<script' "$OUT/$page.dom.html" && problems+=("a <script> element")
    grep -qiE '<[a-z][^>]*[[:space:]/]on[a-z]+=' "$OUT/$page.dom.html" && problems+=("an element with an on…= event handler")
    grep -qiE '(href|src)="[[:space:]]*javascript:' "$OUT/$page.dom.html" && problems+=("a javascript: link")
    grep -qiE '<title>[^<]*PWNED' "$OUT/$page.dom.html" && problems+=("the document title was changed to PWNED")
    grep -qi 'PWNED' "$OUT/$page.dom.html" || problems+=("the hostile mention is not in the page (nothing was tested)")
    grep -qi 'ordineordineordine' "$OUT/$page.dom.html" \
        || echo "digest-screenshot: $page.html: note: the long-word mention is not among the mentions shown" >&2
    if ((${#problems[@]})); then
        STATUS=1
        for problem in "${problems[@]}"; do echo "digest-screenshot: $page.html: $problem" >&2; done
    else
        echo "$page.html: the DOM has no <script>, no on…= handler, no javascript: link; the title is intact" >&2
    fi
done

echo
echo "screenshots:"
for png in digest.png digest-phone.png digest-es.png; do echo "  $OUT/$png"; done
echo "pages: $OUT/digest.html, $OUT/digest-es.html (DOM dumps: *.dom.html)"
exit "$STATUS"
