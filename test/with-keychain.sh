#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a fresh, unlocked gnome-keyring,
# so tests use a real OS keychain (Secret Service) and never touch the person's own.
set -euo pipefail
if [ "${SPLITSEND_IN_KEYCHAIN_SESSION:-}" = "1" ]; then exec "$@"; fi
for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
  command -v "$tool" >/dev/null || { echo "Missing '$tool': install the Debian packages dbus, gnome-keyring and libsecret-tools (see .ci/run)." >&2; exit 1; }
done
data_home=$(mktemp -d -t splitsend-keyring-XXXXXX)
trap 'rm -rf "$data_home"' EXIT
export XDG_DATA_HOME="$data_home"
export SPLITSEND_IN_KEYCHAIN_SESSION=1
START_KEYRING="$(cd "$(dirname "$0")" && pwd)/start-keyring.sh"
export START_KEYRING
# SPLITSEND_KEYCHAIN_ADDRESS_FILE: where to write the session's address, for processes outside it
# that look into the same keychain (the browser tests' workers, each beside its own web bridge).
# Not exec: the EXIT trap above must still run to remove the keyring folder.
dbus-run-session -- bash -c '
  bash "$START_KEYRING" || exit 1
  if [ -n "${SPLITSEND_KEYCHAIN_ADDRESS_FILE:-}" ]; then
    mkdir -p "$(dirname "$SPLITSEND_KEYCHAIN_ADDRESS_FILE")"
    echo "$DBUS_SESSION_BUS_ADDRESS" > "$SPLITSEND_KEYCHAIN_ADDRESS_FILE"
  fi
  exec "$@"' keychain "$@"
