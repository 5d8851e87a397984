#!/usr/bin/env bash
# Everything CI checks, in order: setup, type check, lint, build, the mocha suite (.mocharc.cjs), then
# the integration suites in a headless VS Code for the Web (test/vscode/run.ts, which packages the
# .vsix it installs). Extra arguments go to mocha, e.g. `npm test -- --grep inspect`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
step() { echo "test: $*"; }
step "typecheck"; npm run --silent typecheck
step "lint";      npm run --silent lint
step "build";     npm run --silent build
step "mocha";     node_modules/.bin/mocha "$@"
step "vscode";    node_modules/.bin/tsx test/vscode/run.ts
