#!/usr/bin/env bash
# Debian's docker-compose (1.29), which the suite uses to validate docker-compose.yml (`docker-compose config`); there
# is no Docker engine here, and `config` needs none. Idempotent.
set -euo pipefail
command -v docker-compose >/dev/null && exit 0
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
echo "Installing docker-compose from Debian..."
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
