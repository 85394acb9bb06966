#!/usr/bin/env bash
# make deb: the Debian packages postgresql-NN-hrpolicy, one for each
# PostgreSQL whose server dev files (postgresql-server-dev-NN) are installed
# (15 on Debian 12), built with pg_buildext from debian/ in a copy of the
# sources (the package build cleans its tree, which would remove the build
# in this one).  The .deb files land in dist/.  DEB_VERSIONS: the versions
# to build for instead (e.g. "15"; each needs its server dev package).
. "$(dirname "$0")/lib.sh"

need_packages dpkg-dev debhelper postgresql-server-dev-all "postgresql-server-dev-$PGVER" make gcc
start=$SECONDS
work=$(mktemp -d /tmp/hrpolicy-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
version=$(dpkg-parsechangelog -l "$HRPOLICY_ROOT/debian/changelog" -S Version)
src=$work/hrpolicy-$version
mkdir "$src"
copy_sources "$src"
export PG_SUPPORTED_VERSIONS=${DEB_VERSIONS:-installed}
cd "$src"
versions=$(pg_buildext supported-versions | xargs)
[ -n "$versions" ] || { echo "deb: no PostgreSQL server dev files found (postgresql-server-dev-NN)" >&2; exit 1; }
# debian/control lists one package per version: made for the versions here.
pg_buildext updatecontrol
echo "deb: building hrpolicy $version for PostgreSQL $versions" >&2
if ! dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1; then
	echo "deb: dpkg-buildpackage failed; the end of its log:" >&2
	tail -n 40 "$work/build.log" >&2
	exit 1
fi
mkdir -p "$HRPOLICY_ROOT/dist"
rm -f "$HRPOLICY_ROOT"/dist/postgresql-*-hrpolicy_*.deb
mv "$work"/postgresql-*-hrpolicy_*.deb "$HRPOLICY_ROOT/dist/"
for deb in "$HRPOLICY_ROOT"/dist/postgresql-*-hrpolicy_"$version"_*.deb; do
	echo "deb: $deb ($(dpkg-deb -c "$deb" | wc -l) entries)"
done
echo "deb: built in $((SECONDS - start)) s"
