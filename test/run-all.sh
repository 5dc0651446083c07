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
declare -A results=()
for step in "${steps[@]}"; do
  npm run "$step" --silent >"$logs/$step" 2>&1 &
  pids+=("$!")
done
bash test/with-keychain.sh npx vitest run >"$logs/unit" 2>&1 &
unit_pid=$!
failed=0
show_if_failed() { # index of the step
  if ! wait "${pids[$1]}"; then
    echo "-- npm run ${steps[$1]} failed:"
    cat "$logs/${steps[$1]}"
    results[${steps[$1]}]=failed
    failed=1
  fi
}
show_if_failed 3
browser=skipped
if [ "$failed" = 0 ]; then
  echo "== Browser tests, Chromium through the web bridge (${SECONDS} s so far)"
  browser=passed
  # Kept in a log for the summary; on a terminal Playwright still reports as on one (one line it rewrites).
  [ -t 1 ] && export PLAYWRIGHT_FORCE_TTY=1
  bash test/with-keychain.sh npx playwright test 2>&1 | tee "$logs/browser" || { browser=failed; failed=1; }
  echo "== Browser tests done (${SECONDS} s so far)"
fi
for i in 0 1 2; do show_if_failed "$i"; done
unit=passed
wait "$unit_pid" || { unit=failed; failed=1; }
echo "== Unit tests (Vitest)"
cat "$logs/unit"

# Whoever reads only the end of this output (a CI page showing its last lines) still sees what failed.
echo "== Summary after ${SECONDS} s"
for step in "${steps[@]}"; do echo "${step}: ${results[$step]:-passed}"; done
echo "unit tests: $unit"
echo "browser tests: $browser"
# Playwright's own closing lines name the tests that failed, and those that passed only when run again.
without_colours() { sed 's/\x1b\[[0-9;]*m//g' "$1"; }
[ -f "$logs/browser" ] &&
  without_colours "$logs/browser" | sed -n '/^ *[0-9]\+ \(failed\|flaky\|interrupted\|did not run\)/,$p'
# Vitest's "Errors" line: errors outside any test (unhandled rejections) fail the run with every test passed.
[ "$unit" = passed ] || without_colours "$logs/unit" | grep -aE ' FAIL |Test Files |Tests  |Errors  ' | awk '!seen[$0]++' || true
[ "$failed" = 0 ]
echo "== All passed in ${SECONDS} s"
