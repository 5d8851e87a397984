#!/usr/bin/env bash
# Prepares this checkout on a Debian 12 machine. Two modes:
#   setup.sh          (npm test) PostgreSQL 15 server binaries, the PostgreSQL client tools, the
#                     packages of the headless VS Code test bench (Chromium, ripgrep, libkrb5-dev,
#                     openssh-server), pg_dump 18, node_modules and the test bench itself
#                     (scripts/vscode-bench.sh). Any failure stops it.
#   setup.sh --start  (npm start) PostgreSQL 15 server binaries, what code-server needs (ripgrep,
#                     libkrb5-dev), node_modules and code-server: no browser (the user opens the
#                     URL in their own), no test packages. Only node_modules is required: a package
#                     or code-server that cannot be installed is a warning, and npm start says what
#                     it cannot start because of it.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }

command -v node >/dev/null && command -v npm >/dev/null || die "Node.js 20 or later (with npm) is required"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || die "Node.js 20 or later is required (found $(node --version))"

start=false
case "${1:-}" in
  "") ;;
  --start) start=true ;;
  *) die "unknown option $1 (use --start, or nothing for the tests)" ;;
esac
# In --start mode a missing piece is a warning: npm start still shows the CLI.
fail() { if $start; then echo "setup: warning: $*" >&2; return 0; fi; die "$*"; }

# --- system packages -------------------------------------------------------------------------
packages=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || packages+=(postgresql-15)
# VS Code for the Web (code-server, scripts/vscode-bench.sh): VS Code's own ripgrep package
# downloads its binary from GitHub, so it uses Debian's; libkrb5-dev builds its kerberos module.
command -v rg >/dev/null || packages+=(ripgrep)
dpkg-query -W -f '${Status}' libkrb5-dev 2>/dev/null | grep -q 'ok installed' || packages+=(libkrb5-dev)
if ! $start; then
  # The integration suites drive code-server with Debian's Chromium; sshd serves the SSH tunnel
  # tests; the client tools dump and restore in the acceptance tests.
  { command -v psql && command -v pg_dump; } >/dev/null || packages+=(postgresql-client)
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  [ -x /usr/sbin/sshd ] || packages+=(openssh-server)
fi

install_packages() {
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null; then
    SUDO=(sudo)
  else
    fail "missing ${packages[*]}; run as root or install sudo, or install them yourself: apt-get install ${packages[*]}"
    return 0
  fi
  if ! command -v apt-get >/dev/null; then
    fail "missing ${packages[*]} and no apt-get here (this script expects Debian 12)"
    return 0
  fi

  # pgdrift starts private clusters of its own and never uses a system-wide one, so keep the
  # Debian package from creating a "main" cluster (a data directory plus a server on port 5432)
  # and, via policy-rc.d, from starting any service while apt runs. Both are undone afterwards.
  cleanup=()
  undo() { for f in "${cleanup[@]}"; do "${SUDO[@]}" rm -f "$f"; done; }
  trap undo EXIT
  "${SUDO[@]}" mkdir -p /etc/postgresql-common/createcluster.d
  no_cluster=/etc/postgresql-common/createcluster.d/zz-pgdrift-setup.conf
  echo "create_main_cluster = false" | "${SUDO[@]}" tee "$no_cluster" >/dev/null
  cleanup+=("$no_cluster")
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${SUDO[@]}" chmod 755 /usr/sbin/policy-rc.d
    cleanup+=(/usr/sbin/policy-rc.d)
  fi

  say "installing ${packages[*]} (apt-get)"
  local ok=true
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q \
    && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}" \
    || ok=false
  undo
  trap - EXIT
  $ok || { fail "apt-get could not install ${packages[*]}"; return 0; }
  [ -x /usr/lib/postgresql/15/bin/postgres ] || fail "postgresql-15 installed but /usr/lib/postgresql/15/bin/postgres is missing"
}

if [ ${#packages[@]} -eq 0 ]; then
  say "Debian packages present"
else
  install_packages
fi

# --- pg_dump 18 ------------------------------------------------------------------------------
# The tests dump PostgreSQL 18 servers, which pg_dump 15 refuses: pg_dump 18 from Debian sid,
# unpacked under .cache/pg-client-18/ (nothing installed system-wide; see the script).
if ! $start; then
  bash scripts/pg-client-18.sh
fi

# --- node_modules ----------------------------------------------------------------------------
# npm ci wipes node_modules, so the marker lives inside it and disappears with it.
marker=node_modules/.pgdrift-lock.sha256
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -d node_modules ] && [ "$(cat "$marker" 2>/dev/null)" = "$lock_sum" ]; then
  say "node_modules up to date with package-lock.json"
else
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > "$marker"
fi

# --- VS Code for the Web: the integration suites (test/vscode) and npm start -------------------
bash scripts/vscode-bench.sh || fail "code-server could not be installed (scripts/vscode-bench.sh failed)"
