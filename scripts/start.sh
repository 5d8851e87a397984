#!/usr/bin/env bash
# `npm start`: setup (PostgreSQL 15 and code-server, scripts/setup.sh --start), build, then
# tools/start.ts: the CLI sample on the two ERP fixture files, then the same two schemas on a
# private PostgreSQL 15 cluster and pgdrift in VS Code for the Web, until Ctrl-C.
# Arguments go to tools/start.ts (--exit-after-ready).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --start
echo "start: build"
npm run --silent build
# node itself, with tsx as its loader: the tsx command would sit between the shell and node as a
# parent that relays Ctrl-C, and it kills its child with SIGKILL when the child does not answer
# within 30 ms, which it cannot while it waits for code-server to stop.
exec node --import tsx tools/start.ts "$@"
