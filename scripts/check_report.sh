#!/usr/bin/env bash
# Renders the seed example's reports and screenshots the HTML pages in a real
# browser (Debian's headless Chromium), so a person can look at them:
#
#   scripts/check_report.sh [OUT_DIR]     (default: build/default/report-check)
#
# Installs Chromium and CJK fonts through scripts/setup.sh browser, builds the
# seed_report tool, writes the reports, parses their SVG with Python's
# xml.etree, and takes one screenshot per language. Prints the PNG paths; open
# them and look (CJK text, tables, the Gantt chart with its critical bars,
# milestones, today line and shaded weekends/holidays). CI runs only the
# lighter ctest checks (report_test, report_svg_parses_with_python).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/default/report-check}

bash scripts/setup.sh browser
cmake --preset default >/dev/null
cmake --build --preset default -j2 --target seed_report
build/default/tests/seed_report "$out" >/dev/null
/usr/bin/python3 tests/report/check_report_xml.py "$out"

browser=$(command -v chromium || command -v chromium-browser || true)
[[ -n "$browser" ]] || { echo "check_report.sh: chromium not found" >&2; exit 1; }
shot() {  # shot PAGE SIZE
  local profile png="$PWD/$out/${1%.*}.png"
  profile=$(mktemp -d)
  rm -f "$png"
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --window-size="$2" \
    --screenshot="$png" "file://$PWD/$out/$1" >/dev/null 2>&1 || true
  rm -rf "$profile"
  [[ -s "$png" ]] || { echo "check_report.sh: no screenshot of $1" >&2; exit 1; }
  echo "$png"
}
shot report.zh.html 1400,1800
shot report.en.html 1400,1800
shot gantt.holiday.zh.svg 1300,420
