#!/usr/bin/env bash
# calendar_svg() as a person sees it: the SVG of a month is valid XML
# (xmllint), text from the catalog renders as text (a decree titled
# <script>...</script>, a code with < and &), headless Chromium renders it
# to a PNG of the SVG's size in which each verdict's colour covers its cells
# (test/picture/pixels.py counts them), and the same picture speaks
# Indonesian under lc_messages = 'id_ID.UTF-8'.
# Runs inside the throwaway cluster (PG* variables set by pg_virtualenv).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
work=$(mktemp -d /tmp/hrpolicy-picture.XXXXXX)
trap 'rm -rf "$work"; psql -qX -d postgres -c "DROP DATABASE IF EXISTS hrpolicy_picture" >/dev/null 2>&1 || true' EXIT
fail() { echo "calendar_picture: $*" >&2; exit 1; }

psql -qX -v ON_ERROR_STOP=1 -d postgres -c 'DROP DATABASE IF EXISTS hrpolicy_picture' -c 'CREATE DATABASE hrpolicy_picture'
psql -qX -v ON_ERROR_STOP=1 -d hrpolicy_picture -f test/picture/fixture.sql >/dev/null
svg() {  # lc_messages file
	psql -qXAt -v ON_ERROR_STOP=1 -d hrpolicy_picture -c "SET lc_messages = '$1'" \
		-c "SELECT hrpolicy.calendar_svg('2020-11-01', '2020-11-30')" > "$2"
}
svg C "$work/month.svg"
svg id_ID.UTF-8 "$work/bulan.svg"

# Valid XML, and markup from the catalog is text.
xmllint --noout "$work/month.svg" "$work/bulan.svg" || fail "the SVG is not well-formed XML"
xpath() { xmllint --xpath "$1" "$work/month.svg"; }
[ "$(xpath 'count(//*[local-name()="script"])')" = 0 ] || fail "a decree's title became a script element"
xpath 'string(//*[local-name()="text"][contains(., "alert(1)")])' | grep -qxF 'SE-CAP/2020: <script>alert(1)</script>' \
	|| fail "the decree title <script>alert(1)</script> is not shown as text"
xpath 'string(//*[local-name()="text"][starts-with(., "SE-MIN")])' | grep -qxF "SE-MIN<&>/2020: ]]>& \"quoted\" 'single'" \
	|| fail "the decree code SE-MIN<&>/2020 or its title is not shown as text"
xpath 'string((//*[local-name()="rect"][@class="short"])[1]/*[local-name()="title"])' | grep -qF 'SE-MIN<&>/2020 rule min</title>' \
	|| fail "a cell's hover text does not name its decree and rule as written"
grep -q 'melebihi batas kuota' "$work/bulan.svg" || fail "the legend is not in Indonesian under lc_messages = id_ID.UTF-8"
grep -q '1 dari 4 pegawai hadir di kantor; paling sedikit 2 diwajibkan oleh SE-MIN&lt;&amp;&gt;/2020 aturan min&lt;/title&gt;' "$work/bulan.svg" \
	|| fail "the hover sentences are not in Indonesian under lc_messages = id_ID.UTF-8"

# Rendered by a browser.
width=$(xpath 'string(/*/@width)')
height=$(xpath 'string(/*/@height)')
env -u LD_PRELOAD HOME="$work" timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	--force-device-scale-factor=1 --window-size="$width,$height" --screenshot="$work/month.png" \
	"file://$work/month.svg" >"$work/chromium.log" 2>&1 || { cat "$work/chromium.log" >&2; fail "Chromium could not render the SVG"; }
[ -s "$work/month.png" ] || fail "Chromium wrote no PNG"
# Colours of calendar_legend(); cells: 20 working days of each of 5 units,
# 9 weekend days and 1 holiday of each.
# Debian's python3, where python3-pil installs PIL (not a python3 of pyenv first in PATH)
/usr/bin/python3 test/picture/pixels.py "$work/month.png" "$width" "$height" \
	over='#d32f2f':20 short='#1565c0':20 close='#ffb300':20 ok='#43a047':20 \
	no-rule='#90a4ae':20 weekend='#e0e0e0':45 no-roster='#d7ccc8':5 || fail "the PNG does not show the verdicts' colours"
if [ -n "${HRPOLICY_PICTURE_DIR:-}" ]; then
	cp "$work/month.svg" "$work/month.png" "$work/bulan.svg" "$HRPOLICY_PICTURE_DIR/"
fi
echo "calendar_picture: valid SVG (${width}x${height}), markup from the catalog shown as text, Indonesian under id_ID, rendered by Chromium with every verdict's colour"
