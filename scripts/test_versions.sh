#!/usr/bin/env bash
# make test-versions: the whole suite (scripts/test.sh: pg_regress and pgTAP
# tests, isolation specs, test/checks; not the libFuzzer run) against every
# supported PostgreSQL, one line per version:
#   postgresql <major version>: N passed, M failed
#
# 15 is Debian 12's server (the packages make test uses).  17 and 18 are
# built from Debian's source packages, fetched with apt-get source through
# a private apt configuration (deb-src lines of its own under the cache; the
# system's apt sources are never read or changed), and built once into
# HRPOLICY_CACHE (default /var/cache/hrpolicy), which later runs reuse:
# the server, ltree and the isolation tester, and pgTAP from Debian's pgtap
# source package.  A version whose source is not served is reported as
# skipped (17, whose files the archive has not served; 18 must build).  Each version's hrpolicy is built in a copy of the sources, so
# the build in the tree (PostgreSQL 15) is left alone.
#
# Environment:
#   TEST_VERSIONS   the versions to run (default: "15 17 18")
#   HRPOLICY_CACHE  where the servers are built and kept
#   TEST_CHECKS     the checks to run, as for make test
#   VERSIONS_KEEP=1 keep each version's work directory (logs, copy)
. "$(dirname "$0")/lib.sh"

cache=${HRPOLICY_CACHE:-/var/cache/hrpolicy}
versions=${TEST_VERSIONS:-15 17 18}
# Where each version's source package comes from (Debian suites).
declare -A suite=([17]=trixie [18]=sid)
# Versions whose source may be missing from the archive (17's files were
# not served): skipped then, rather than failed.
declare -A optional=([17]=1)
apt_opts=(
	-o "Dir::Etc::SourceList=$cache/apt/sources.list"
	-o "Dir::Etc::SourceParts=$cache/apt/sources.list.d"
	-o "Dir::State::Lists=$cache/apt/lists"
	-o "Dir::Cache=$cache/apt/cache"
	-o "APT::Sandbox::User=root"
)

say() { echo "test-versions: $*" >&2; }

# private_apt_update: the deb-src index of the suites above, in the cache.
private_apt_update() {
	mkdir -p "$cache/apt/sources.list.d" "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial"
	local s
	: >"$cache/apt/sources.list"
	for s in $(printf '%s\n' "${suite[@]}" | sort -u); do
		echo "deb-src http://deb.debian.org/debian $s main" >>"$cache/apt/sources.list"
	done
	say "updating the private deb-src index ($cache/apt)"
	apt-get "${apt_opts[@]}" -qq update >&2 ||
		{ say "apt-get update of the private deb-src index failed (is the Debian archive reachable?)"; return 1; }
}

# fetch_source PACKAGE SUITE DIR [apt-get source options]: the source
# package unpacked under DIR; fails when the archive does not serve it.
fetch_source() {
	local package=$1 from=$2 dir=$3
	shift 3
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && apt-get "${apt_opts[@]}" -qq source "$@" "$package/$from") >"$dir.fetch.log" 2>&1 || {
		say "apt-get source $package/$from failed:"
		grep -E '^(E|W):' "$dir.fetch.log" | head -n 5 >&2
		rm -rf "$dir" "$dir.fetch.log"
		return 1
	}
}

# build_server VERSION: the server, ltree, the isolation tester and pgTAP
# installed under $cache/postgresql-VERSION (kept; built once).  Prints the
# prefix.  Returns 2 when the source is not available.
# What a cached server was built with: a cache built otherwise is rebuilt.
server_build_id="icu libxml nls"
server_ready() { [ "$(cat "$cache/postgresql-$1/.complete" 2>/dev/null)" = "$server_build_id" ]; }

build_server() {
	local major=$1 prefix=$cache/postgresql-$1 work
	if server_ready "$major"; then
		echo "$prefix"
		return 0
	fi
	need_packages dpkg-dev gcc make bison flex perl pkg-config libicu-dev zlib1g-dev \
		libxml2-dev gettext
	work=$cache/build-$major
	fetch_source "postgresql-$major" "${suite[$major]}" "$work" || return 2
	local tree
	tree=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name "postgresql-$major*" | head -n 1)
	[ -n "$tree" ] || { say "no source tree was unpacked in $work"; return 1; }
	say "building PostgreSQL $major from $(basename "$tree") into $prefix (once; kept for later runs)"
	rm -rf "$prefix"
	local log=$work/build.log
	(
		set -e
		# PostgreSQL generates its headers only in a top-level make: not in
		# one that make test-versions' own make would make a sub-make.
		unset MAKELEVEL MAKEFLAGS MFLAGS
		cd "$tree"
		# ICU: a test needs a nondeterministic ICU collation; libxml: the
		# calendar's SVG is checked with xml_is_well_formed(); NLS: the
		# Indonesian messages (Debian's servers have all three).  The prefix
		# holds "postgresql", so Debian's per-version-dirs patch keeps the
		# libraries under it.
		./configure --prefix="$prefix" --without-readline --without-llvm --with-icu \
			--with-libxml --enable-nls
		nice make -j"$(nproc)"
		make install
		nice make -C contrib/ltree -j"$(nproc)" install
		nice make -C src/test/isolation -j"$(nproc)" install
	) >"$log" 2>&1 || { say "building PostgreSQL $major failed; the end of $log:"; tail -n 30 "$log" >&2; return 1; }
	# pgTAP, from Debian's source package (its orig tarball: the packaging
	# files are not always served).
	fetch_source pgtap sid "$work/pgtap" --tar-only || { say "pgTAP's source could not be fetched"; return 1; }
	local tarball
	tarball=$(ls "$work"/pgtap/pgtap_*.orig.tar.* | head -n 1)
	tar -xf "$tarball" -C "$work/pgtap"
	(
		set -e
		unset MAKELEVEL MAKEFLAGS MFLAGS
		cd "$(find "$work/pgtap" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
		make PG_CONFIG="$prefix/bin/pg_config"
		make PG_CONFIG="$prefix/bin/pg_config" install
	) >>"$log" 2>&1 || { say "building pgTAP for PostgreSQL $major failed; the end of $log:"; tail -n 30 "$log" >&2; return 1; }
	chmod -R a+rX "$prefix"
	echo "$server_build_id" >"$prefix/.complete"
	rm -rf "$work"
	echo "$prefix"
}

# run_suite_built PREFIX WORK: hrpolicy built in a copy of the sources and
# installed into the server's own tree, then scripts/test.sh inside a
# throwaway cluster of that server.  Output in WORK/suite.log.
run_suite_built() {
	local prefix=$1 work=$2 src=$2/src
	mkdir -p "$src"
	copy_sources "$src" || return 1
	local pg_config=$prefix/bin/pg_config
	rm -f "$($pg_config --sharedir)"/extension/hrpolicy* "$($pg_config --pkglibdir)"/hrpolicy.so
	make -C "$src" -s -j"$(nproc)" PG_CONFIG="$pg_config" PG_CFLAGS="-Wall -Werror" >"$work/build.log" 2>&1 &&
		make -C "$src" -s PG_CONFIG="$pg_config" install >>"$work/build.log" 2>&1 || {
		cat "$work/build.log" >"$work/suite.log"
		return 1
	}
	chmod -R a+rX "$prefix" "$work"
	HRPOLICY_PG_CONFIG=$pg_config with_own_cluster "$work" \
		bash -c "cd '$src' && HRPOLICY_IN_CLUSTER=1 TEST_FUZZ=0 bash scripts/test.sh" >"$work/suite.log" 2>&1
}

# with_own_cluster WORK CMD...: CMD against a throwaway cluster of the
# server HRPOLICY_PG_CONFIG names (pg_virtualenv knows only Debian's).
with_own_cluster() {
	local work=$1 bindir status=0
	shift
	bindir=$("$HRPOLICY_PG_CONFIG" --bindir)
	# The server's own directory (data, socket, log), which it must own.
	local server=$work/server port=$((30000 + RANDOM % 20000))
	mkdir -p "$server"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$server"
	as_server_owner "$bindir/initdb" -D "$server/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$work/initdb.log" 2>&1 ||
		{ say "initdb failed:"; cat "$work/initdb.log" >&2; return 1; }
	as_server_owner "$bindir/pg_ctl" -D "$server/data" -l "$server/log" -w \
		-o "-p $port -c listen_addresses= -c unix_socket_directories=$server -c max_prepared_transactions=10 -c fsync=off" start >/dev/null ||
		{ say "the server did not start:"; tail -n 20 "$server/log" >&2; return 1; }
	PGHOST=$server PGPORT=$port PGUSER=postgres PGDATABASE=postgres PATH=$bindir:$PATH "$@" || status=$?
	as_server_owner "$bindir/pg_ctl" -D "$server/data" -m fast -w stop >/dev/null || true
	return $status
}

as_server_owner() {  # initdb and pg_ctl refuse to run as root
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# totals LOG: "N passed, M failed" from scripts/test.sh's summary.
totals() {
	local line
	line=$(grep -E '^tests: [0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	[ -n "$line" ] && echo "${line#tests: }" || echo "0 passed, 1 failed (no summary; see the log)"
}

start=$SECONDS
# The deb-src index, once a run, when some server is still to be built.
for v in $versions; do
	if [ -n "${suite[$v]:-}" ] && ! server_ready "$v"; then
		need_packages apt dpkg-dev
		private_apt_update || true
		break
	fi
done
results=()
status=0
for v in $versions; do
	t=$SECONDS
	work=$(mktemp -d /tmp/hrpolicy-versions-$v.XXXXXX)
	chmod 755 "$work"
	if [ "$v" = "$PGVER" ] && [ -d "/usr/lib/postgresql/$v/bin" ] || [ -z "${suite[$v]:-}" ]; then
		# A Debian server package: the ordinary make test machinery.
		say "PostgreSQL $v: Debian's server (postgresql-$v)"
		PGVERSION=$v TEST_FUZZ=0 bash "$HRPOLICY_ROOT/scripts/test.sh" >"$work/suite.log" 2>&1 || true
	else
		prefix=$(build_server "$v") || {
			rc=$?
			if [ $rc -eq 2 ] && [ -n "${optional[$v]:-}" ]; then
				results+=("postgresql $v: skipped (source not available)")
			else
				results+=("postgresql $v: 0 passed, 1 failed (the server could not be built)")
				status=1
			fi
			rm -rf "$work"
			continue
		}
		version=$("$prefix/bin/pg_config" --version | awk '{print $2}')
		say "PostgreSQL $version from $prefix"
		run_suite_built "$prefix" "$work" || true
	fi
	line="postgresql $v: $(totals "$work/suite.log")"
	case $line in
	*" 0 failed") ;;
	*)
		status=1
		say "postgresql $v failed; the end of its log ($work/suite.log):"
		grep -vE '^ok ' "$work/suite.log" | tail -n 60 >&2
		VERSIONS_KEEP=1
		;;
	esac
	say "postgresql $v took $((SECONDS - t)) s"
	results+=("$line")
	[ -n "${VERSIONS_KEEP:-}" ] && say "kept $work" || rm -rf "$work"
done
printf '%s\n' "${results[@]}"
echo "test-versions: $([ $status -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - start)) s"
exit $status
