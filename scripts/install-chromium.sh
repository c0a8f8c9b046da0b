#!/usr/bin/env bash
# Installs headless Chromium (Debian's `chromium` package), which the demo's browser test
# (demo/src/test/.../DemoCommandIT) drives with --headless --dump-dom / --screenshot.
# Does nothing when `chromium` is on PATH already (see install-tool.sh).
exec "$(dirname "${BASH_SOURCE[0]}")/install-tool.sh" chromium chromium
