#!/usr/bin/env bash
# Installs a tool that tests call from Debian's apt, when it is not on PATH yet:
#
#   scripts/install-tool.sh COMMAND PACKAGE
#
# Idempotent: does nothing when COMMAND is already on PATH. Otherwise runs
# `apt-get install -y --no-install-recommends PACKAGE`, through sudo when not root.
# Exits non-zero with a one-line reason when it cannot install.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: scripts/install-tool.sh COMMAND PACKAGE" >&2
  exit 2
fi
tool="$1"
package="$2"

if command -v "$tool" >/dev/null 2>&1; then
  echo "install-$tool: $tool already installed: $(command -v "$tool")"
  exit 0
fi

fail() {
  echo "install-$tool: error: $*" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 \
  || fail "no apt-get on this machine; install $package yourself so that '$tool' is on PATH"

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  fail "not root and no password-less sudo; run as root: apt-get install $package"
fi

export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing (fresh container) or stale (a 404 for an old version).
if ! apt-cache show "$package" >/dev/null 2>&1 \
    || ! "${as_root[@]}" apt-get install -y --no-install-recommends "$package"; then
  "${as_root[@]}" apt-get update \
    || fail "apt-get update failed (no network or no apt source reachable)"
  "${as_root[@]}" apt-get install -y --no-install-recommends "$package" \
    || fail "apt-get install $package failed (see apt's output above)"
fi

command -v "$tool" >/dev/null 2>&1 \
  || fail "apt-get installed $package but '$tool' is not on PATH"
echo "install-$tool: installed $(command -v "$tool")"
