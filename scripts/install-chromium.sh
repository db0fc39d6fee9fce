#!/usr/bin/env bash
# Debian's Chromium, which the console's browser test drives through Playwright (browsers cannot be downloaded here),
# and a CJK font so that Chinese names render in its screenshots. Idempotent.
set -euo pipefail
if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "wenquanyi"; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
echo "Installing chromium and a CJK font from Debian..."
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
