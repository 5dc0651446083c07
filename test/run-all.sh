#!/usr/bin/env bash
# `npm test`: type checks, lint, unit tests and the browser tests, the tests inside a private keychain session.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1

# The checks and the build don't depend on each other: they run at the same time, each one's output
# shown only if it fails.
echo "== Type checks, lint and format, unused code (knip), build"
logs=$(mktemp -d -t splitsend-checks-XXXXXX)
trap 'rm -rf "$logs"' EXIT
pids=()
for step in typecheck lint knip build; do
  npm run "$step" --silent >"$logs/$step" 2>&1 &
  pids+=("$!")
done
failed=0
for i in "${!pids[@]}"; do
  step=$(echo typecheck lint knip build | cut -d' ' -f$((i + 1)))
  if ! wait "${pids[$i]}"; then
    echo "-- npm run $step failed:"
    cat "$logs/$step"
    failed=1
  fi
done
[ "$failed" = 0 ]

echo "== Unit tests (${SECONDS} s so far)"
bash test/with-keychain.sh npx vitest run

echo "== Browser tests, Chromium through the web bridge (${SECONDS} s so far)"
bash test/with-keychain.sh npx playwright test
echo "== All passed in ${SECONDS} s"
