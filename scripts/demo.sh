#!/usr/bin/env bash
# make demo: build, start a throwaway cluster, load the sample HR database
# with the seeds' decrees and print the compliance report (demo/demo.sql).
. "$(dirname "$0")/lib.sh"

if [ -z "${HRPOLICY_IN_CLUSTER:-}" ]; then
	need_base_packages
	build_and_install
	cd "$HRPOLICY_ROOT"
	status=0
	HRPOLICY_IN_CLUSTER=1 with_cluster bash "$0" "$@" || status=$?
	exit $status
fi

cd "$HRPOLICY_ROOT"
psql -qX -v ON_ERROR_STOP=1 -c 'CREATE DATABASE hrpolicy_demo' postgres
psql -qX -v ON_ERROR_STOP=1 -d hrpolicy_demo -f demo/demo.sql
