# Shared helpers of the hrpolicy scripts (sourced, not run).
#
# PGVERSION picks the PostgreSQL major version (default: 15, else the newest
# installed server); HRPOLICY_PG_CONFIG names a server's pg_config outside
# Debian's layout instead (make test-versions uses it for the servers it
# builds; the caller provides the cluster).  HRPOLICY_DESTDIR is where the extension is installed
# for the throwaway cluster; the server reads it through Debian's
# extension_destdir setting, so nothing is written to system directories.

set -euo pipefail

HRPOLICY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

pick_pg_version() {
	if [ -n "${PGVERSION:-}" ]; then
		echo "$PGVERSION"
	elif [ -d /usr/lib/postgresql/15/bin ]; then
		echo 15
	else
		ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1
	fi
}

if [ -n "${HRPOLICY_PG_CONFIG:-}" ]; then
	export PG_CONFIG=$HRPOLICY_PG_CONFIG
	PGVER=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
	export PATH=$("$PG_CONFIG" --bindir):$PATH
else
	PGVER=$(pick_pg_version)
	PGVER=${PGVER:-15}
	export PG_CONFIG=/usr/lib/postgresql/$PGVER/bin/pg_config
	export PATH=/usr/lib/postgresql/$PGVER/bin:$PATH
fi

# need_packages PKG...: install missing Debian packages (as root), or say
# exactly what to run and fail.
need_packages() {
	local missing=() pkg
	for pkg in "$@"; do
		if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
			missing+=("$pkg")
		fi
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "hrpolicy: missing packages: ${missing[*]}; install their equivalents for your system." >&2
		exit 1
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "hrpolicy: missing packages: ${missing[*]}" >&2
		echo "Run:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
	echo "hrpolicy: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	# Wait for another apt-get holding the lock rather than fail.
	apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The packages every build and test needs.
need_base_packages() {
	need_packages make gcc "postgresql-$PGVER" "postgresql-client-$PGVER" \
		"postgresql-server-dev-$PGVER" postgresql-common gettext
}

need_test_packages() {
	need_base_packages
	need_packages "postgresql-$PGVER-pgtap" libtap-parser-sourcehandler-pgtap-perl python3 \
		clang libclang-rt-14-dev \
		locales chromium python3-pil libxml2-utils fonts-dejavu-core
	need_locale id_ID.UTF-8
}

# need_locale NAME: generate a locale the tests set lc_messages to (the
# Indonesian messages), as root; otherwise say what to run and fail.
need_locale() {
	local name=$1 short
	short=$(sed 's/\.UTF-8$/.utf8/' <<<"$name")
	locale -a 2>/dev/null | grep -qxF "$short" && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "hrpolicy: the locale $name is missing (the tests of the Indonesian messages need it)" >&2
		echo "Run:  sudo sed -i 's/^# *$name UTF-8/$name UTF-8/' /etc/locale.gen && sudo locale-gen" >&2
		exit 1
	fi
	echo "hrpolicy: generating the locale $name" >&2
	grep -q "^# *$name UTF-8" /etc/locale.gen || echo "# $name UTF-8" >> /etc/locale.gen
	sed -i "s/^# *$name UTF-8/$name UTF-8/" /etc/locale.gen
	locale-gen >&2
}

# copy_sources DIR: the sources as they are in the working tree (tracked
# files and untracked ones git does not ignore) copied into DIR, for a build
# with other flags or for another server that leaves the tree's own alone.
copy_sources() {
	(cd "$HRPOLICY_ROOT" && git ls-files -z --cached --others --exclude-standard |
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$1"
	[ -f "$1/Makefile" ] || { echo "hrpolicy: could not copy the sources to $1" >&2; return 1; }
}

# build_and_install: compile warning-free and install into a private
# directory that the server user (postgres, when run as root) can read.
build_and_install() {
	cd "$HRPOLICY_ROOT"
	make -s -j2 PG_CONFIG="$PG_CONFIG" PG_CFLAGS="-Wall -Werror ${EXTRA_CFLAGS:-}" >&2
	HRPOLICY_DESTDIR=$(mktemp -d /tmp/hrpolicy-install.XXXXXX)
	chmod 755 "$HRPOLICY_DESTDIR"
	make -s PG_CONFIG="$PG_CONFIG" install DESTDIR="$HRPOLICY_DESTDIR" >/dev/null
	chmod -R a+rX "$HRPOLICY_DESTDIR"
	export HRPOLICY_DESTDIR
	trap 'rm -rf "$HRPOLICY_DESTDIR"' EXIT
}

# with_cluster CMD...: run CMD against a throwaway cluster that loads the
# extension from HRPOLICY_DESTDIR.  Extra server settings in CLUSTER_OPTS
# (one "-o guc=value" each).
with_cluster() {
	local opts=(-t -v "$PGVER" -o "extension_destdir=$HRPOLICY_DESTDIR")
	local opt
	for opt in ${CLUSTER_OPTS:-}; do
		opts+=(-o "$opt")
	done
	pg_virtualenv "${opts[@]}" "$@"
}
