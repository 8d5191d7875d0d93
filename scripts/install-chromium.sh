#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium) for the headless-browser test (tests/browser.rs).
# Idempotent and quiet: does nothing when /usr/bin/chromium already exists.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-chromium.sh: $CHROMIUM is missing and this is not root (no sudo): install the Debian package 'chromium' by hand" >&2
        exit 1
    fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "install-chromium.sh: installing Debian's chromium package..." >&2
if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-chromium.sh: 'apt-get update' failed; cannot install chromium" >&2
    exit 1
fi
if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "install-chromium.sh: 'apt-get install chromium' failed (output above)" >&2
    exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "install-chromium.sh: the chromium package installed but $CHROMIUM is missing" >&2
    exit 1
fi
echo "install-chromium.sh: $("$CHROMIUM" --version 2>/dev/null || echo chromium) installed" >&2
