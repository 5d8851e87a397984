#!/usr/bin/env bash
# Makes pg_dump 18 runnable on Debian 12 without installing anything system-wide.
#
# Debian 12 (bookworm) ships PostgreSQL 15's client only, and pg_dump refuses to dump a server newer
# than itself, so the tests' dumps of PostgreSQL 18 servers need pg_dump 18. Debian sid has it
# (postgresql-client-18), built against a newer glibc (>= 2.38) and libldap2. This script:
#
#   1. runs apt-get with a private configuration: its own sources list (sid main from
#      deb.debian.org, signed-by Debian's archive keyring, so apt verifies the signatures), its own
#      state, cache and lists directories and an empty dpkg status, all under .cache/pg-client-18/
#      (git-ignored). The system's apt sources and state are neither read nor changed;
#   2. `apt-get download`s postgresql-client-18 and the sid libraries it needs that bookworm lacks
#      or has too old (glibc, libpq5, libldap2, ...), and extracts them with `dpkg-deb -x`;
#   3. writes .cache/pg-client-18/bin/pg_dump, a wrapper that runs the real binary through sid's own
#      dynamic loader with sid's libraries first and the system's after them.
#
# Safe to run again: nothing is fetched when the wrapper already runs. Prints where pg_dump 18 is and
# its --version. Works as root (CI) or as any user who can write to the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "pg-client-18: $*"; }
die() { echo "pg-client-18: error: $*" >&2; exit 1; }

MIRROR=${PG_CLIENT_18_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
CACHE=$PWD/.cache/pg-client-18
ROOT=$CACHE/root
WRAPPER=$CACHE/bin/pg_dump
LIBDIR=usr/lib/x86_64-linux-gnu

# What pg_dump 18 needs from sid: the client itself, libpq5 18, glibc 2.38 or later (libc6, whose
# loader runs the binary) and libldap2 (libldap.so.2 and liblber.so.2; bookworm has libldap-2.5-0,
# another soname). Everything else comes from bookworm with the sonames and symbol versions sid's
# binaries ask for (libssl.so.3/libcrypto.so.3 at OPENSSL_3.0.0, so no libssl3t64; the Kerberos
# libraries, libsasl2, zlib, lz4, zstd), which the loader's --list below checks.
PACKAGES=(postgresql-client-18 libpq5 libc6 libldap2)

show() {
  say "pg_dump 18: $WRAPPER"
  "$WRAPPER" --version
}

if [ -x "$WRAPPER" ] && "$WRAPPER" --version 2>/dev/null | grep -q '^pg_dump (PostgreSQL) 18'; then
  show
  exit 0
fi

[ "$(uname -m)" = x86_64 ] || die "only x86_64 (amd64) is supported, this is $(uname -m)"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "apt-get and dpkg-deb are required (this script expects Debian 12)"
[ -r "$KEYRING" ] || die "$KEYRING is missing: install the debian-archive-keyring package"

# --- private apt -----------------------------------------------------------------------------
APT=$CACHE/apt
mkdir -p "$APT/sources.list.d" "$APT/preferences.d" "$APT/lists/partial" "$APT/archives/partial" "$APT/debs"
: > "$APT/status"
echo "deb [arch=amd64 signed-by=$KEYRING] $MIRROR sid main" > "$APT/sources.list"
# Read after the system's configuration (which may set a proxy or the like): every directory apt
# reads or writes is a private one, and the system's update hooks (PackageKit, AppStream) are
# cleared, as they concern the system's package lists, not these.
cat > "$APT/apt.conf" <<EOF
Dir::State "$APT";
Dir::State::lists "$APT/lists";
Dir::State::status "$APT/status";
Dir::Cache "$APT";
Dir::Cache::archives "$APT/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Dir::Etc::sourcelist "$APT/sources.list";
Dir::Etc::sourceparts "$APT/sources.list.d";
Dir::Etc::preferences "$APT/preferences";
Dir::Etc::preferencesparts "$APT/preferences.d";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
// apt drops to the _apt user to download, who may not be able to enter the checkout.
APT::Sandbox::User "root";
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
#clear DPkg::Post-Invoke;
EOF
if [ "$(id -u)" -ne 0 ]; then
  # Not root: apt cannot drop privileges anyway; say nothing about a sandbox user.
  sed -i '/APT::Sandbox::User/d;/_apt user/d' "$APT/apt.conf"
fi
apt_get() { apt-get -c "$APT/apt.conf" -q "$@"; }

say "reading the package lists of Debian sid ($MIRROR, signatures checked against $KEYRING)"
# apt-get update exits with 0 when an index cannot be fetched (only a warning): look at what it said.
if ! apt_get update >"$APT/update.log" 2>&1 || grep -qE '^E: |Failed to fetch|failed to download|GPG error' "$APT/update.log"; then
  sed 's/^/  /' "$APT/update.log" >&2
  die "could not read Debian sid's package lists from $MIRROR (is the mirror reachable? apt's output is above); pg_dump 18 is not available"
fi
policy=$(apt-cache -c "$APT/apt.conf" policy postgresql-client-18)
grep -q 'Candidate: 18\.' <<<"$policy" \
  || die "Debian sid ($MIRROR) has no postgresql-client-18 any more: scripts/pg-client-18.sh needs updating"

say "downloading ${PACKAGES[*]}"
rm -f "$APT/debs"/*.deb
(cd "$APT/debs" && apt_get download "${PACKAGES[@]}") \
  || die "could not download ${PACKAGES[*]} from $MIRROR"

# --- extract ---------------------------------------------------------------------------------
rm -rf "$ROOT.new"
mkdir -p "$ROOT.new"
for pkg in "${PACKAGES[@]}"; do
  deb=$(ls -t "$APT/debs/${pkg}"_*.deb | head -n1)
  dpkg-deb -x "$deb" "$ROOT.new"
done
rm -rf "$ROOT"
mv "$ROOT.new" "$ROOT"

LOADER=$ROOT/$LIBDIR/ld-linux-x86-64.so.2
REAL=$ROOT/usr/lib/postgresql/18/bin/pg_dump
[ -x "$LOADER" ] || die "no dynamic loader in the extracted libc6 ($LOADER)"
[ -x "$REAL" ] || die "no pg_dump in the extracted postgresql-client-18 ($REAL)"

# sid's libraries first (glibc must be the loader's own), then the system's for what sid's
# packages above do not bring.
LIBPATH=$ROOT/$LIBDIR:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu
libs=$("$LOADER" --library-path "$LIBPATH" --list "$REAL" 2>&1) && ! grep -q 'not found' <<<"$libs" \
  || die "pg_dump 18 cannot load its libraries with sid's ${PACKAGES[*]} and the system's:
$libs"

mkdir -p "$(dirname "$WRAPPER")"
# The wrapper finds the extracted tree next to itself, so it does not depend on where the checkout is.
cat > "$WRAPPER.new" <<'EOF'
#!/bin/sh
# pg_dump 18 from Debian sid, written by scripts/pg-client-18.sh: run through sid's own dynamic
# loader, with sid's libraries first and the system's after them.
root=$(cd "$(dirname "$0")/../root" && pwd) || exit 127
lib=$root/usr/lib/x86_64-linux-gnu
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu" \
  "$root/usr/lib/postgresql/18/bin/pg_dump" "$@"
EOF
chmod 755 "$WRAPPER.new"
mv "$WRAPPER.new" "$WRAPPER"

"$WRAPPER" --version | grep -q '^pg_dump (PostgreSQL) 18' || die "$WRAPPER does not run: $("$WRAPPER" --version 2>&1 || true)"
show
