#!/usr/bin/env bash
# The sample run: setup, build, then inspect and compare the two ERP fixture files, each loaded
# into an embedded PostgreSQL (no server needed).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --no-postgres
echo "start: build"
npm run --silent build
exec node_modules/.bin/tsx tools/sample.ts
