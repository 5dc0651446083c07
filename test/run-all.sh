#!/usr/bin/env bash
# `npm test`: type checks, unit tests and the browser tests, all inside a private keychain session.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1

echo "== Type checks"
npm run typecheck --silent

echo "== Lint and format"
npm run lint --silent

echo "== Build"
npm run build --silent >/dev/null

echo "== Unit tests"
bash test/with-keychain.sh npx vitest run

echo "== Browser tests (Chromium, through the web bridge)"
bash test/with-keychain.sh npx playwright test
