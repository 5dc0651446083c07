#!/usr/bin/env bash
# `npm test`: type checks, lint, unit tests and the browser tests, the tests inside a private keychain session.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1

# The checks, the build and the unit tests don't depend on each other: they run at the same time
# (the unit tests run from the sources), each check's output shown only if it fails. The browser
# tests need the build, so they come after.
echo "== Type checks, lint and format, unused code (knip), build, and unit tests"
logs=$(mktemp -d -t splitsend-checks-XXXXXX)
trap 'rm -rf "$logs"' EXIT
steps=(typecheck lint knip build)
pids=()
for step in "${steps[@]}"; do
  npm run "$step" --silent >"$logs/$step" 2>&1 &
  pids+=("$!")
done
failed=0
bash test/with-keychain.sh npx vitest run || failed=1
echo "== Unit tests done (${SECONDS} s so far)"
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "-- npm run ${steps[$i]} failed:"
    cat "$logs/${steps[$i]}"
    failed=1
  fi
done
[ "$failed" = 0 ]

echo "== Browser tests, Chromium through the web bridge (${SECONDS} s so far)"
bash test/with-keychain.sh npx playwright test
echo "== All passed in ${SECONDS} s"
