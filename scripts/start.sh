#!/usr/bin/env bash
# The sample run: setup, build, then inspect the two ERP fixture databases on a private PostgreSQL 15.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
echo "start: build"
npm run --silent build
exec node_modules/.bin/tsx tools/sample.ts
