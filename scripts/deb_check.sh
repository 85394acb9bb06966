#!/usr/bin/env bash
# make deb-check: the package as a DBA gets it.  Builds it (make deb) unless
# dist/ holds it, installs dist/postgresql-NN-hrpolicy_*.deb with apt-get
# (no make install: hrpolicy files in the server's directories that no
# package owns are set aside meanwhile), creates the extension in a throwaway
# cluster, loads the seed decrees the package ships as examples and asks
# the rules in force, then removes the package and checks that it left
# nothing behind.  Needs root (it installs a package).
. "$(dirname "$0")/lib.sh"

if [ -n "${HRPOLICY_IN_CLUSTER:-}" ]; then
	examples=$1
	psql -qX -v ON_ERROR_STOP=1 -d postgres -c 'CREATE EXTENSION hrpolicy CASCADE'
	for f in "$examples"/*.sql; do
		psql -qX -v ON_ERROR_STOP=1 -d postgres -o /dev/null -f "$f"
	done
	psql -qXAt -v ON_ERROR_STOP=1 -d postgres <<'SQL'
SELECT 'extension ' || extversion FROM pg_extension WHERE extname = 'hrpolicy';
SELECT 'decrees ' || count(*) FROM hrpolicy.policy;
SELECT 'rules ' || count(*) FROM hrpolicy.rule;
SELECT 'in force at kupang.bkpsdm on 2020-11-18: ' || string_agg(policy || ' ' || rule || ' ' || quota::text, ', ' ORDER BY policy, rule)
FROM hrpolicy.rules_in_force('2020-11-18', 'kupang.bkpsdm');
SQL
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deb-check: installs and removes a package: run it as root" >&2
	exit 1
fi
need_base_packages
start=$SECONDS
package=postgresql-$PGVER-hrpolicy
version=$(dpkg-parsechangelog -l "$HRPOLICY_ROOT/debian/changelog" -S Version)
deb=$(ls "$HRPOLICY_ROOT"/dist/"${package}_${version}"_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
	bash "$HRPOLICY_ROOT/scripts/deb.sh"
	deb=$(ls "$HRPOLICY_ROOT"/dist/"${package}_${version}"_*.deb 2>/dev/null | head -n 1 || true)
	[ -n "$deb" ] || { echo "deb-check: make deb made no ${package}_${version} package in dist/" >&2; exit 1; }
fi

sharedir=$(pg_config --sharedir)/extension
pkglibdir=$(pg_config --pkglibdir)
leftovers() { ls -d "$sharedir"/hrpolicy* "$pkglibdir"/hrpolicy* "$pkglibdir"/bitcode/hrpolicy* 2>/dev/null || true; }
# Files of a make install would hide what the package installs (and dpkg
# would take them over): set aside while the check runs, put back after.
aside=$(mktemp -d /tmp/hrpolicy-deb-check.XXXXXX)
restore() {
	local f
	while IFS= read -r f; do
		[ -n "$f" ] && mkdir -p "$(dirname "$f")" && mv "$aside/files$f" "$f"
	done <"$aside/list"
	rm -rf "$aside"
}
: >"$aside/list"
trap restore EXIT
for f in $(leftovers); do
	if ! dpkg -S "$f" >/dev/null 2>&1; then
		echo "deb-check: $f is from no package (a make install): set aside until the check ends" >&2
		mkdir -p "$aside/files$(dirname "$f")"
		mv "$f" "$aside/files$f"
		echo "$f" >>"$aside/list"
	fi
done

export DEBIAN_FRONTEND=noninteractive
echo "deb-check: installing $deb" >&2
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$deb" >"$aside/apt.log" 2>&1 ||
	{ echo "deb-check: apt-get install $deb failed:" >&2; cat "$aside/apt.log" >&2; exit 1; }
dpkg-query -W -f='${Status}\n' "$package" | grep -q 'install ok installed' ||
	{ echo "deb-check: $package is not installed after apt-get install" >&2; exit 1; }
status=0
examples=/usr/share/doc/$package/examples
HRPOLICY_IN_CLUSTER=1 pg_virtualenv -t -v "$PGVER" bash "$0" "$examples" || status=$?

echo "deb-check: removing $package" >&2
apt-get -o DPkg::Lock::Timeout=600 purge -y -qq "$package" >"$aside/apt.log" 2>&1 ||
	{ echo "deb-check: apt-get purge $package failed:" >&2; cat "$aside/apt.log" >&2; status=1; }
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'installed'; then
	echo "deb-check: $package is still installed after apt-get purge" >&2
	status=1
fi
left=$(leftovers)
if [ -n "$left" ]; then
	echo "deb-check: files left behind after removing $package:" $left >&2
	status=1
fi
if [ $status -eq 0 ]; then
	echo "deb-check: $(basename "$deb") installed, extension created, seeds loaded, removed cleanly in $((SECONDS - start)) s"
else
	echo "deb-check: FAILED"
fi
exit $status
