#!/usr/bin/env bash
# Installs headless Chromium (Debian's `chromium` package), which the demo's browser test
# (demo/src/test/.../DemoCommandIT) drives with --headless --dump-dom / --screenshot.
#
#   scripts/install-chromium.sh
#
# Idempotent: does nothing when `chromium` is already on PATH. Otherwise runs
# `apt-get install -y --no-install-recommends chromium`, through sudo when not root.
# Exits non-zero with a one-line reason when it cannot install.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "install-chromium: chromium already installed: $(command -v chromium)"
  exit 0
fi

fail() {
  echo "install-chromium: error: $*" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 \
  || fail "no apt-get on this machine; install Chromium yourself so that 'chromium' is on PATH"

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  fail "not root and no password-less sudo; run as root: apt-get install chromium"
fi

export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing (fresh container) or stale (a 404 for an old version).
if ! apt-cache show chromium >/dev/null 2>&1 \
    || ! "${as_root[@]}" apt-get install -y --no-install-recommends chromium; then
  "${as_root[@]}" apt-get update \
    || fail "apt-get update failed (no network or no apt source reachable)"
  "${as_root[@]}" apt-get install -y --no-install-recommends chromium \
    || fail "apt-get install chromium failed (see apt's output above)"
fi

command -v chromium >/dev/null 2>&1 \
  || fail "apt-get installed chromium but 'chromium' is not on PATH"
echo "install-chromium: installed $(chromium --version 2>/dev/null || command -v chromium)"
