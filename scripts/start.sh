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
exec node_modules/.bin/tsx tools/start.ts "$@"
