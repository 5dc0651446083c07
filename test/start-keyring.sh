#!/usr/bin/env bash
# Starts a fresh, unlocked gnome-keyring in the current D-Bus session and returns once it stores
# secrets. Under load the daemon can answer before its login keyring exists, and a secret stored
# in that moment asks for a prompt nobody can answer ("unlock prompt was dismissed"): so this waits
# until a secret makes the round trip, and starts the daemon again if it stays stuck that way.
set -euo pipefail
start_daemon() { echo -n splitsend-test | gnome-keyring-daemon "$@" --unlock --components=secrets >/dev/null; }
start_daemon
SECONDS=0
restarted_at=0
while [ "$SECONDS" -lt 60 ]; do
  if echo -n ready | timeout 5 secret-tool store --label='Splitsend test keychain' splitsend-test-keychain ready 2>/dev/null &&
    [ "$(timeout 5 secret-tool lookup splitsend-test-keychain ready 2>/dev/null)" = ready ]; then
    timeout 5 secret-tool clear splitsend-test-keychain ready
    exit 0
  fi
  if [ $((SECONDS - restarted_at)) -ge 20 ]; then
    start_daemon --replace
    restarted_at=$SECONDS
  fi
  sleep 0.2
done
echo "The tests' keychain (gnome-keyring) did not start storing secrets within 60 s." >&2
exit 1
