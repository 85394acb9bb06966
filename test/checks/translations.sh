#!/usr/bin/env bash
# Every message and report text of hrpolicy has a translation in every
# language of po/LINGUAS: the texts are extracted from the sources as
# translators get them (make po/hrpolicy.pot: xgettext over the C, and
# scripts/po_sql.py over the hrpolicy.gettext('...') of the SQL), and each
# po/<lang>.po must translate all of them, none fuzzy, with the
# placeholders of its msgid (test/po_check.py; msgfmt --check for the C
# formats, msgfmt --statistics for the whole file).  A new message fails
# this check until it is translated: make po-update adds it, untranslated,
# to each .po.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail=0
make -s PG_CONFIG="${PG_CONFIG:-pg_config}" -B po/hrpolicy.pot
total=$(($(grep -c '^msgid ' po/hrpolicy.pot) - 1))	# less the header
for lang in $(cat po/LINGUAS); do
	if ! python3 test/po_check.py po/hrpolicy.pot po/"$lang".po >&2; then
		echo "Run make po-update, then translate the new entries of po/$lang.po (a msgstr, no '#, fuzzy')." >&2
		fail=1
	fi
	stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null po/"$lang".po 2>&1) || { echo "$stats" >&2; fail=1; }
	case $stats in
		*untranslated*|*fuzzy*) echo "translations: po/$lang.po: $stats" >&2; fail=1 ;;
	esac
	echo "translations: po/$lang.po: $stats (the sources have $total texts)"
done
exit $fail
