#!/usr/bin/env bash
# hrpolicy.label() depends on nothing but its input: the same names give the
# same labels in databases of every server encoding (UTF8, LATIN1, EUC_JP,
# SQL_ASCII), so that moving a database to another encoding keeps its unit
# paths.  A name a database cannot hold is left out there.
# Runs inside the throwaway cluster (PG* variables set by pg_virtualenv).
set -euo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
export PGCLIENTENCODING=UTF8

names=("'Café Noir'" "'Ærø'" "'ÿ'" "'Büro für Straßenbau'" "'Œuvre Ñandú'" "'PEMKOT-PROBOLINGGO'"
	"'4.01.01'" "'Dinas Kesehatan'" "''" "'--'" "'  a__b  '" "repeat('Kabupaten ', 40)"
	"U&'Re\\0301nover'" "'дом'" "'東京'" "'Sekretariat – Umum'")
labels_in() {  # database: "number label" per name it can hold
	local i
	for i in "${!names[@]}"; do
		psql -qXAt -d "$1" -c "SELECT $i || ' ' || hrpolicy.label(${names[$i]})" 2>/dev/null || true
	done
}
reference=""
held=""
for enc in UTF8 LATIN1 EUC_JP SQL_ASCII; do
	db="hrpolicy_label_$(tr 'A-Z' 'a-z' <<<"$enc")"
	psql -qX -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" \
		-c "CREATE DATABASE $db ENCODING '$enc' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
	psql -qX -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION hrpolicy CASCADE'
	out=$(labels_in "$db")
	psql -qX -d postgres -c "DROP DATABASE $db"
	if [ "$enc" = UTF8 ]; then
		reference=$out
		[ "$(wc -l <<<"$out")" -eq "${#names[@]}" ] \
			|| { echo "label_encodings: FAILED: UTF8 gave $(wc -l <<<"$out") labels of ${#names[@]}"; exit 1; }
		continue
	fi
	mismatch=$(join <(sort <<<"$reference") <(sort <<<"$out") | awk '$2 != $3' || true)
	if [ -n "$mismatch" ]; then
		echo "label_encodings: FAILED in $enc (name number, label in UTF8, label in $enc):"
		echo "$mismatch"
		exit 1
	fi
	held+="$enc $(grep -c . <<<"$out"), "
done
echo "label_encodings: the same labels in every encoding as in UTF8 (names each could hold, of ${#names[@]}: ${held%, })"
