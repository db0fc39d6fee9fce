#!/usr/bin/env bash
# Installs (Debian rabbitmq-server) and starts a RabbitMQ broker on loopback, idempotently.
# No systemd on our machines: the broker is started detached and polled until it has booted.
# See the README, section "Operations", and shared notes on RabbitMQ without systemd.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi

# Loopback only, and a fixed node name so the machine's hostname does not matter.
$SUDO mkdir -p /etc/rabbitmq
if ! grep -qs 'listeners.tcp.default = 127.0.0.1:5672' /etc/rabbitmq/rabbitmq.conf; then
  $SUDO tee /etc/rabbitmq/rabbitmq.conf >/dev/null <<'CONF'
listeners.tcp.default = 127.0.0.1:5672
management.tcp.ip = 127.0.0.1
management.tcp.port = 15672
loopback_users.guest = true
CONF
fi
if ! grep -qs 'NODENAME=rabbit@localhost' /etc/rabbitmq/rabbitmq-env.conf; then
  $SUDO tee /etc/rabbitmq/rabbitmq-env.conf >/dev/null <<'CONF'
NODENAME=rabbit@localhost
ERL_EPMD_ADDRESS=127.0.0.1
CONF
fi
echo '[rabbitmq_management].' | $SUDO tee /etc/rabbitmq/enabled_plugins >/dev/null

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  echo "Installing rabbitmq-server from Debian..."
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
fi

export ERL_EPMD_ADDRESS=127.0.0.1
ready() {
  $SUDO rabbitmqctl -q -n rabbit@localhost await_startup --timeout 10 >/dev/null 2>&1 &&
    (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null
}

if ready; then
  echo "RabbitMQ is already running on 127.0.0.1:5672."
  exit 0
fi

echo "Starting RabbitMQ..."
ulimit -n "$(ulimit -Hn)" || true
$SUDO rabbitmq-server -detached
for _ in $(seq 1 60); do
  if ready; then
    echo "RabbitMQ is ready on 127.0.0.1:5672 (management on 127.0.0.1:15672)."
    exit 0
  fi
  sleep 1
done
echo "RabbitMQ did not become ready within 60 s; see /var/log/rabbitmq/" >&2
exit 1
