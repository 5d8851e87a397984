#!/usr/bin/env bash
# Installs the headless VS Code the integration suites run in: VS Code for the Web from the npm
# package code-server, into the git-ignored .cache/code-server/ (about 320 MB, 2 minutes the first
# time). Safe to run again: a marker naming the version skips a finished install; an interrupted
# one is started over. The steps follow /work/shared/notes/headless-vscode.md (why each is needed
# is said there and below). Needs the Debian packages ripgrep and libkrb5-dev (scripts/setup.sh
# installs them) and Chromium to drive it (chromium, also from setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=4.100.3   # bundles VS Code 1.100.3; later releases need Node 22 or 24
DIR="$PWD/.cache/code-server"
MARKER="$DIR/.pgdrift-installed"

say() { echo "vscode-bench: $*"; }
die() { echo "vscode-bench: error: $*" >&2; exit 1; }

if [ "$(cat "$MARKER" 2>/dev/null)" = "code-server@$VERSION" ] && [ -x "$DIR/node_modules/.bin/code-server" ]; then
  say "code-server $VERSION present in .cache/code-server"
  exit 0
fi

command -v rg >/dev/null || die "ripgrep (rg) not found: run scripts/setup.sh or apt-get install ripgrep"
[ -e /usr/include/krb5.h ] || [ -e /usr/include/krb5/krb5.h ] \
  || die "libkrb5-dev not found (needed to build code-server's kerberos module): run scripts/setup.sh or apt-get install libkrb5-dev"

say "installing code-server $VERSION into .cache/code-server (about 2 minutes)"
rm -rf "$DIR"
mkdir -p "$DIR"
quiet=(--no-audit --no-fund --loglevel=error)

# The package's own postinstall refuses root without unsafe-perm and then fails on the ripgrep
# download from GitHub, so scripts are skipped and its steps done here.
npm install "${quiet[@]}" --ignore-scripts --prefix "$DIR" "code-server@$VERSION"

(
  cd "$DIR/node_modules/code-server/lib/vscode"
  npm install "${quiet[@]}" --omit=dev --ignore-scripts
  # npm_config_yes lets node-pty's rebuild fetch node-gyp through npx.
  npm_config_yes=true npm rebuild "${quiet[@]}" node-pty @vscode/spdlog native-watchdog kerberos @parcel/watcher @vscode/deviceid
  # VS Code's ripgrep package downloads its binary from GitHub, which these machines cannot reach.
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sf code-linux.sh code-server)
  (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
  (cd extensions && npm install "${quiet[@]}" --omit=dev --ignore-scripts)
)
# argon2's binding is not prebuilt for this platform.
(cd "$DIR" && npm rebuild "${quiet[@]}" argon2)

"$DIR/node_modules/.bin/code-server" --version >/dev/null || die "code-server installed but does not start"
echo "code-server@$VERSION" > "$MARKER"
say "code-server $VERSION installed ($(du -sh "$DIR" | cut -f1))"
