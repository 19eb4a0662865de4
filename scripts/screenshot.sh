#!/usr/bin/env bash
# The README's screenshot of the reports' index: headless Chromium, after `make reports`.
#   bash scripts/screenshot.sh [reports/index.html] [docs/index_screenshot.png]
set -euo pipefail
page="${1:-reports/index.html}"
out="${2:-docs/index_screenshot.png}"
browser="$(command -v chromium || command -v chromium-browser)"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --window-size=1280,1500 --screenshot="$out" "file://$(realpath "$page")" 2>/dev/null
echo "wrote $out"
