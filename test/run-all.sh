#!/usr/bin/env bash
# `npm test`: type checks, lint, unit tests and the browser tests, the tests inside a private keychain session.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1

# Nothing here waits for anything it doesn't need: the checks, the build and the unit tests (which
# run from the sources) start together; the browser tests start as soon as the build is done, while
# the unit tests still run. Each check's output is shown only if it fails; the unit tests' once done.
echo "== Type checks, lint and format, unused code (knip), build, unit tests; browser tests after the build"
logs=$(mktemp -d -t splitsend-checks-XXXXXX)
trap 'rm -rf "$logs"' EXIT
steps=(typecheck lint knip build)
pids=()
for step in "${steps[@]}"; do
  npm run "$step" --silent >"$logs/$step" 2>&1 &
  pids+=("$!")
done
bash test/with-keychain.sh npx vitest run >"$logs/unit" 2>&1 &
unit=$!
failed=0
show_if_failed() { # index of the step
  if ! wait "${pids[$1]}"; then
    echo "-- npm run ${steps[$1]} failed:"
    cat "$logs/${steps[$1]}"
    failed=1
  fi
}
show_if_failed 3
if [ "$failed" = 0 ]; then
  echo "== Browser tests, Chromium through the web bridge (${SECONDS} s so far)"
  bash test/with-keychain.sh npx playwright test || failed=1
  echo "== Browser tests done (${SECONDS} s so far)"
fi
for i in 0 1 2; do show_if_failed "$i"; done
unit_failed=0
wait "$unit" || unit_failed=1
echo "== Unit tests (Vitest)"
cat "$logs/unit"
[ "$unit_failed" = 0 ] || failed=1
[ "$failed" = 0 ]
echo "== All passed in ${SECONDS} s"
