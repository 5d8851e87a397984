#!/usr/bin/env bash
# Prepares this checkout on a Debian 12 machine: PostgreSQL 15 server binaries, the PostgreSQL
# client tools, the packages of the headless VS Code test bench (all skipped with --no-postgres),
# node_modules, and that test bench itself (scripts/vscode-bench.sh, also skipped with
# --no-postgres). Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }

command -v node >/dev/null && command -v npm >/dev/null || die "Node.js 20 or later (with npm) is required"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || die "Node.js 20 or later is required (found $(node --version))"

# --- system packages -------------------------------------------------------------------------
# --no-postgres (npm start): the sample loads SQL files into an embedded PostgreSQL and needs none.
with_postgres=true
[ "${1:-}" = "--no-postgres" ] && with_postgres=false
packages=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || packages+=(postgresql-15)
{ command -v psql && command -v pg_dump; } >/dev/null || packages+=(postgresql-client)
# The integration suites run the extension in VS Code for the Web (code-server, scripts/vscode-bench.sh)
# driven by Debian's Chromium; VS Code's own ripgrep package downloads its binary from GitHub, so it
# uses Debian's; libkrb5-dev builds code-server's kerberos module; sshd serves the SSH tunnel tests.
[ -x /usr/bin/chromium ] || packages+=(chromium)
command -v rg >/dev/null || packages+=(ripgrep)
dpkg-query -W -f '${Status}' libkrb5-dev 2>/dev/null | grep -q 'ok installed' || packages+=(libkrb5-dev)
[ -x /usr/sbin/sshd ] || packages+=(openssh-server)

if ! $with_postgres; then
  say "PostgreSQL and the test packages not needed (--no-postgres)"
elif [ ${#packages[@]} -eq 0 ]; then
  say "PostgreSQL 15 server binaries, client tools and test packages present"
else
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null; then
    SUDO=(sudo)
  else
    die "missing ${packages[*]}; run as root or install sudo, or install them yourself: apt-get install ${packages[*]}"
  fi
  command -v apt-get >/dev/null || die "missing ${packages[*]} and no apt-get here (this script expects Debian 12)"

  # The tests start private clusters of their own and never use a system-wide one, so keep the
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
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
  undo
  trap - EXIT
  [ -x /usr/lib/postgresql/15/bin/postgres ] || die "postgresql-15 installed but /usr/lib/postgresql/15/bin/postgres is missing"
fi

# --- pg_dump 18 ------------------------------------------------------------------------------
# The tests dump PostgreSQL 18 servers, which pg_dump 15 refuses: pg_dump 18 from Debian sid,
# unpacked under .cache/pg-client-18/ (nothing installed system-wide; see the script).
if $with_postgres; then
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

# --- headless VS Code for the integration suites (test/vscode) ----------------------------------
if $with_postgres; then bash scripts/vscode-bench.sh; fi
