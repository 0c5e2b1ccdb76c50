#!/usr/bin/env bash
# Renders a recorded trace's HTML waterfall (`hypernodes export --format html`)
# in headless Chromium and saves a PNG screenshot of it.
#
# Usage: scripts/html-screenshot.sh TRACE.jsonl OUT.png [--size WIDTH,HEIGHT] [--closed] [--keep PAGE.html]
#   --size     the browser window, in CSS pixels (default 1400,900)
#   --closed   leave the maps closed (by default every map's lanes are opened: #expand=all)
#   --keep     also keep the exported page at PAGE.html
#
# Uses $HYPERNODES_BINARY, else .build/debug/hypernodes (built with `swift build
# --product hypernodes` when missing), and the first of chromium,
# chromium-browser, google-chrome on the PATH (Debian/Ubuntu package: chromium).
set -euo pipefail

usage() { sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
trace=$1
out=$2
shift 2
size=1400,900
fragment="#expand=all"
keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size=${2:?--size needs WIDTH,HEIGHT}; shift 2 ;;
        --closed) fragment=""; shift ;;
        --keep) keep=${2:?--keep needs a file}; shift 2 ;;
        *) echo "html-screenshot: unknown option '$1'" >&2; usage ;;
    esac
done
[ -r "$trace" ] || { echo "html-screenshot: cannot read the trace '$trace'" >&2; exit 1; }
[[ "$size" =~ ^[0-9]+,[0-9]+$ ]] || { echo "html-screenshot: --size must be WIDTH,HEIGHT, not '$size'" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
binary=${HYPERNODES_BINARY:-$root/.build/debug/hypernodes}
if [ ! -x "$binary" ]; then
    (cd "$root" && swift build --product hypernodes >&2)
fi
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "html-screenshot: no chromium on the PATH (apt-get install chromium)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/hn-html-XXXXXX")
trap 'rm -rf "$work"' EXIT
"$binary" export "$trace" --format html -o "$work/page.html"
[ -z "$keep" ] || cp "$work/page.html" "$keep"
case "$out" in /*) target=$out ;; *) target=$PWD/$out ;; esac

# Root needs --no-sandbox; the profile directory keeps Chromium from touching $HOME.
if ! "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --user-data-dir="$work/profile" --window-size="$size" --virtual-time-budget=2000 \
    --run-all-compositor-stages-before-draw \
    --screenshot="$target" "file://$work/page.html$fragment" >"$work/chromium.log" 2>&1; then
    cat "$work/chromium.log" >&2
    exit 1
fi
[ -s "$target" ] || { cat "$work/chromium.log" >&2; echo "html-screenshot: no screenshot written" >&2; exit 1; }
echo "$target"
