#!/usr/bin/env bash
# make demo: build, start a throwaway cluster, load the sample HR database
# with the seeds' decrees and print the compliance report (demo/demo.sql).
. "$(dirname "$0")/lib.sh"

if [ -z "${HRPOLICY_IN_CLUSTER:-}" ]; then
	need_base_packages
	need_packages locales
	need_locale id_ID.UTF-8
	build_and_install
	cd "$HRPOLICY_ROOT"
	status=0
	HRPOLICY_IN_CLUSTER=1 with_cluster bash "$0" "$@" || status=$?
	exit $status
fi

cd "$HRPOLICY_ROOT"
psql -qX -v ON_ERROR_STOP=1 -c 'CREATE DATABASE hrpolicy_demo' postgres
# The calendar pictures go to demo/out (the Indonesian one needs the
# id_ID.UTF-8 locale; without it the server refuses lc_messages = id_ID.UTF-8).
mkdir -p demo/out
psql -qX -v ON_ERROR_STOP=1 -d hrpolicy_demo -v calendar_svg="$PWD/demo/out/kupang-2020-11.svg" \
	-v calendar_svg_id="$PWD/demo/out/kupang-2020-11.id.svg" -f demo/demo.sql
