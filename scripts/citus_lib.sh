# Citus for the distributed tests (sourced after lib.sh, not run).
#
# Citus is not in Debian's archive: it is built once from the vendored
# source archive (../shared/vendor, or CITUS_VENDOR) into a cache kept
# between runs, CITUS_CACHE (default /var/cache/hrpolicy), in a directory
# named after the Citus version, the PostgreSQL version it was built for
# and a hash of the archive and patch, so that a change to either builds
# anew.  The cached tree is a DESTDIR image: citus_install_into copies it
# beside hrpolicy's private install, which the server reads through
# extension_destdir.

CITUS_VERSION=13.2.2
CITUS_VENDOR=${CITUS_VENDOR:-$(cd "$HRPOLICY_ROOT/.." && pwd)/shared/vendor}
CITUS_CACHE=${CITUS_CACHE:-/var/cache/hrpolicy}

citus_build_packages() {
	need_packages libcurl4-gnutls-dev liblz4-dev libzstd-dev libicu-dev \
		libkrb5-dev libpam0g-dev libselinux1-dev libssl-dev libxslt1-dev \
		uuid-dev flex autoconf
}

# citus_dir: the cache directory for this Citus, PostgreSQL and source.
citus_dir() {
	local tarball="$CITUS_VENDOR/citus-$CITUS_VERSION.tar.gz"
	local pgminor sum
	if [ ! -f "$tarball" ]; then
		echo "hrpolicy: $tarball not found (set CITUS_VENDOR to the directory holding it)" >&2
		return 1
	fi
	pgminor=$("$PG_CONFIG" --version | awk '{print $2}')
	sum=$(cat "$tarball" "$CITUS_VENDOR"/citus-$CITUS_VERSION-pg*.patch 2>/dev/null |
		sha256sum | cut -c1-12)
	echo "$CITUS_CACHE/citus-$CITUS_VERSION-pg$pgminor-$sum"
}

# citus_cached: whether Citus is built in the cache.
citus_cached() {
	local dir
	dir=$(citus_dir 2>/dev/null) && [ -f "$dir/.complete" ]
}

# citus_build: build Citus into the cache unless it is there; prints the
# cache directory.  A build that fails leaves nothing behind.
citus_build() {
	local dir build patch start
	dir=$(citus_dir)
	if [ -f "$dir/.complete" ]; then
		echo "hrpolicy: Citus $CITUS_VERSION from the cache, $dir" >&2
		echo "$dir"
		return 0
	fi
	citus_build_packages
	start=$(date +%s)
	echo "hrpolicy: building Citus $CITUS_VERSION into $dir (once; 5-10 minutes on 2 cores)" >&2
	build=$(mktemp -d /tmp/citus-build.XXXXXX)
	mkdir -p "$CITUS_CACHE"
	rm -rf "$dir" "$dir.tmp"
	(
		set -e
		tar -xzf "$CITUS_VENDOR/citus-$CITUS_VERSION.tar.gz" -C "$build"
		cd "$build/citus-$CITUS_VERSION"
		for patch in "$CITUS_VENDOR"/citus-$CITUS_VERSION-pg*.patch; do
			[ -f "$patch" ] && patch -s -p1 < "$patch"
		done
		./configure -q PG_CONFIG="$PG_CONFIG" >/dev/null
		nice make -s -j2 >/dev/null
		make -s install DESTDIR="$dir.tmp" >/dev/null
	) >&2 || { rm -rf "$build" "$dir.tmp"; echo "hrpolicy: the Citus build failed" >&2; return 1; }
	rm -rf "$build"
	chmod -R a+rX "$dir.tmp"
	mv "$dir.tmp" "$dir"
	echo "built in $(( $(date +%s) - start )) s" > "$dir/.complete"
	echo "hrpolicy: Citus built in $(( $(date +%s) - start )) s" >&2
	echo "$dir"
}

# citus_install_into DESTDIR: copy the cached Citus beside hrpolicy.
citus_install_into() {
	local dir
	dir=$(citus_build)
	cp -a "$dir"/usr "$1"/
	chmod -R a+rX "$1"
}

# citus_free_port: a TCP port on 127.0.0.1 nobody listens on.
citus_free_port() {
	local port=$(( 20000 + ($$ * 7 + RANDOM) % 30000 ))
	while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do
		port=$((port + 1))
	done
	echo $port
}

# citus_cluster_start DIR: a coordinator and two workers on 127.0.0.1,
# their data directories under DIR, loading Citus and hrpolicy from
# HRPOLICY_DESTDIR.  Sets CITUS_PORTS (coordinator first) and
# CITUS_SOCKETS (the socket directory); citus_cluster_stop stops them.
# initdb refuses root: as root the servers run as postgres.  Debian's
# extension_destdir finds extensions' files, but not the libraries Citus
# loads by bare name (citus, citus_columnar): dynamic_library_path does;
# and Citus checks its version against pg_available_extensions, which
# does not look there (citus.enable_version_checks = off: the library and
# its SQL come from the same build).
citus_cluster_start() {
	local dir=$1 node port runas=() i
	CITUS_DIR=$dir
	CITUS_PORTS=()
	CITUS_SOCKETS=$dir/sockets
	mkdir -p "$dir" "$CITUS_SOCKETS"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$dir" "$CITUS_SOCKETS"
		runas=(runuser -u postgres --)
	fi
	for node in coordinator worker1 worker2; do
		port=$(citus_free_port)
		"${runas[@]}" initdb -D "$dir/$node" -A trust -U postgres --no-sync -E UTF8 \
			--locale=C.UTF-8 >/dev/null
		cat >> "$dir/$node/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$CITUS_SOCKETS'
shared_preload_libraries = 'citus'
dynamic_library_path = '$HRPOLICY_DESTDIR$("$PG_CONFIG" --pkglibdir):\$libdir'
citus.enable_version_checks = off
extension_destdir = '$HRPOLICY_DESTDIR'
max_connections = 200
max_prepared_transactions = 50
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
work_mem = 64MB
max_worker_processes = 16
citus.shard_count = ${CITUS_SHARD_COUNT:-8}
log_min_messages = warning
CONF
		"${runas[@]}" pg_ctl -D "$dir/$node" -l "$dir/$node.log" -w -s start ||
			{ cat "$dir/$node.log" >&2; return 1; }
		CITUS_PORTS+=("$port")
	done
	export PGHOST=127.0.0.1 PGUSER=postgres
}

citus_cluster_stop() {
	local node runas=()
	[ -n "${CITUS_DIR:-}" ] || return 0
	[ "$(id -u)" -eq 0 ] && runas=(runuser -u postgres --)
	for node in coordinator worker1 worker2; do
		[ -f "$CITUS_DIR/$node/postmaster.pid" ] &&
			"${runas[@]}" pg_ctl -D "$CITUS_DIR/$node" -m immediate -s stop || true
	done
}

# citus_psql NODE ARGS...: psql on node 0 (coordinator), 1 or 2.
citus_psql() {
	local node=$1
	shift
	psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -p "${CITUS_PORTS[$node]}" "$@"
}

# citus_database NAME: a database on every node with Citus, the workers
# added to the coordinator's metadata.
citus_database() {
	local db=$1 node
	for node in 0 1 2; do
		citus_psql $node -d postgres -c "CREATE DATABASE $db"
		citus_psql $node -d "$db" -c 'SET client_min_messages = warning; CREATE EXTENSION citus'
	done
	citus_psql 0 -d "$db" <<SQL >/dev/null
SELECT citus_set_coordinator_host('127.0.0.1', ${CITUS_PORTS[0]});
SELECT citus_add_node('127.0.0.1', ${CITUS_PORTS[1]});
SELECT citus_add_node('127.0.0.1', ${CITUS_PORTS[2]});
SQL
}
