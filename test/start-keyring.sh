#!/usr/bin/env bash
# Starts a fresh, unlocked gnome-keyring in the current D-Bus session and returns once it stores
# secrets. The daemon can return before it owns its name on the bus; a secret-tool call in that
# moment makes D-Bus start a second daemon of its own, whose login keyring is locked and asks for
# a prompt nobody can answer. So nothing touches the keychain until our daemon owns the name, and
# a daemon that still can't store is replaced by a new one.
set -euo pipefail
start_daemon() { echo -n splitsend-test | gnome-keyring-daemon "$@" --unlock --components=secrets >/dev/null; }
owns_secrets_name() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}
stores_a_secret() {
  echo -n ready | timeout 5 secret-tool store --label='Splitsend test keychain' splitsend-test-keychain ready 2>/dev/null &&
    [ "$(timeout 5 secret-tool lookup splitsend-test-keychain ready 2>/dev/null)" = ready ] &&
    timeout 5 secret-tool clear splitsend-test-keychain ready
}
SECONDS=0
for attempt in 1 2 3 4 5 6; do
  if [ "$attempt" = 1 ]; then start_daemon; else start_daemon --replace; fi
  until owns_secrets_name || [ "$SECONDS" -ge 60 ]; do sleep 0.1; done
  for _ in 1 2 3; do
    if stores_a_secret; then exit 0; fi
    sleep 0.3
  done
  [ "$SECONDS" -lt 60 ] || break
done
echo "The tests' keychain (gnome-keyring) did not start storing secrets within 60 s." >&2
exit 1
