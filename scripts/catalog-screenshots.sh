#!/usr/bin/env bash
# Screenshots of the catalog of the three examples: the index and one product page, taken
# with headless Chromium (Debian's `chromium`) at 1280×900.
# Usage: scripts/catalog-screenshots.sh [OUT_DIR] [PRODUCT]
#   OUT_DIR defaults to target/catalog-screenshots, PRODUCT to customer-360.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/catalog-screenshots}
product=${2:-customer-360}
command -v chromium >/dev/null 2>&1 || {
  echo "chromium is needed: apt-get install chromium" >&2
  exit 2
}
cargo build --quiet
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/debug/dpc catalog examples --out "$work/site" >/dev/null

shot() { # shot FILE URL
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size=1280,900 --screenshot="$1" "$2" \
    >/dev/null 2>&1
  echo "wrote $1"
}
shot "$out/catalog-index.png" "file://$work/site/index.html"
shot "$out/catalog-$product.png" "file://$work/site/products/$product/index.html"
