#!/usr/bin/env bash
# Starts throw-away RabbitMQ nodes beside the system broker, for chaos tests (a broker restarted mid-run) and for a
# cluster with quorum queues (a node killed mid-run). Idempotent: running nodes are left as they are.
#
#   scripts/start-rabbitmq-nodes.sh NAME COUNT BASE_PORT
#
# Node i (1..COUNT) is NAME-i@localhost with AMQP on 127.0.0.1:BASE_PORT+i-1, management on BASE_PORT+10000+i-1 and
# Erlang distribution on BASE_PORT+20000+i-1; data under /var/tmp/provisioning-rabbit/NAME-i. With COUNT > 1 the
# nodes are joined into one cluster with NAME-1. Stop them with: scripts/start-rabbitmq-nodes.sh stop NAME COUNT.
# Needs Debian's rabbitmq-server (scripts/start-rabbitmq.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
base_dir=/var/tmp/provisioning-rabbit
export ERL_EPMD_ADDRESS=127.0.0.1

ctl() { $SUDO env ERL_EPMD_ADDRESS=127.0.0.1 rabbitmqctl -q -n "$@"; }

if [ "${1:-}" = "stop" ]; then
  name=$2 count=$3
  for i in $(seq 1 "$count"); do ctl "$name-$i@localhost" stop >/dev/null 2>&1 || true; done
  exit 0
fi

name=${1:?usage: start-rabbitmq-nodes.sh NAME COUNT BASE_PORT} count=${2:?COUNT} base=${3:?BASE_PORT}
command -v rabbitmq-server >/dev/null 2>&1 || scripts/start-rabbitmq.sh >/dev/null

start_node() {
  local i=$1 node="$name-$1@localhost" amqp=$((base + $1 - 1)) dir="$base_dir/$name-$1"
  if ctl "$node" await_startup --timeout 2 >/dev/null 2>&1; then
    return 0
  fi
  $SUDO mkdir -p "$dir/mnesia" "$dir/log"
  $SUDO tee "$dir/rabbitmq.conf" >/dev/null <<CONF
listeners.tcp.default = 127.0.0.1:$amqp
management.tcp.ip = 127.0.0.1
management.tcp.port = $((amqp + 10000))
loopback_users.guest = true
CONF
  echo '[rabbitmq_management].' | $SUDO tee "$dir/enabled_plugins" >/dev/null
  $SUDO chown -R rabbitmq:rabbitmq "$dir"
  ulimit -n "$(ulimit -Hn)" || true
  $SUDO env ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_NODENAME="$node" RABBITMQ_NODE_PORT="$amqp" RABBITMQ_DIST_PORT="$((amqp + 20000))" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_PID_FILE="$dir/pid" \
    rabbitmq-server -detached
}

wait_node() {
  local node=$1
  for _ in $(seq 1 60); do
    if ctl "$node" await_startup --timeout 10 >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "RabbitMQ node $node did not start; see $base_dir/${node%@localhost}/log" >&2
  return 1
}

for i in $(seq 1 "$count"); do start_node "$i"; done
for i in $(seq 1 "$count"); do wait_node "$name-$i@localhost"; done

first="$name-1@localhost"
for i in $(seq 2 "$count"); do
  node="$name-$i@localhost"
  if ! ctl "$node" cluster_status 2>/dev/null | grep -q "$first"; then
    # (joining prints the node's own start-up chatter on stderr: kept out of the way)
    ctl "$node" stop_app >/dev/null 2>&1
    ctl "$node" reset >/dev/null 2>&1
    ctl "$node" join_cluster "$first" >/dev/null 2>&1
    ctl "$node" start_app >/dev/null 2>&1
    wait_node "$node"
  fi
done
echo "RabbitMQ nodes $name-1..$count are ready on 127.0.0.1:$base..$((base + count - 1)) (management from $((base + 10000)))."
