#!/usr/bin/env bash
# Debian's python3-pika, for the test that runs docs/subscribers/consume_outcomes.py (a subscriber outside .NET).
# Idempotent.
set -euo pipefail
/usr/bin/python3 -c "import pika" 2>/dev/null && exit 0
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
echo "Installing python3-pika from Debian..."
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pika >/dev/null
