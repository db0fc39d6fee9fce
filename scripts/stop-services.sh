#!/usr/bin/env bash
# Stops what a test or benchmark run started, so that it leaves the machine as it found it (issue 19).
#
#   scripts/stop-services.sh throwaway      the chaos runs' RabbitMQ nodes and PostgreSQL (always started by the run)
#   scripts/stop-services.sh broker         the loopback RabbitMQ of scripts/start-rabbitmq.sh, and epmd
#   scripts/stop-services.sh postgres       the PostgreSQL of scripts/start-postgres.sh
#
# Each is a no-op when nothing of it runs.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
bin=/usr/lib/postgresql/15/bin

stop_postgres() {
  local data=$1
  [ -f "$data/PG_VERSION" ] || return 0
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$bin/pg_ctl -D '$data' status" >/dev/null 2>&1 &&
      su postgres -s /bin/sh -c "$bin/pg_ctl -D '$data' -m fast -w stop" >/dev/null 2>&1
  else
    "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1 && "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1
  fi
  return 0
}

for what in "$@"; do
  case "$what" in
    throwaway)
      if command -v rabbitmqctl >/dev/null 2>&1; then
        scripts/start-rabbitmq-nodes.sh stop chaos 1
        scripts/start-rabbitmq-nodes.sh stop cluster 3
      fi
      stop_postgres /var/tmp/provisioning-pg-chaos
      ;;
    broker)
      if command -v rabbitmqctl >/dev/null 2>&1; then
        $SUDO env ERL_EPMD_ADDRESS=127.0.0.1 rabbitmqctl -q -n rabbit@localhost stop >/dev/null 2>&1 || true
        # The first RabbitMQ CLI call started epmd, which outlives every node: gone once no node is left.
        $SUDO epmd -names 2>/dev/null | grep -q '^name ' || $SUDO epmd -kill >/dev/null 2>&1 || true
      fi
      ;;
    postgres)
      stop_postgres "${PROVISIONING_PGDATA:-/var/tmp/provisioning-pg}"
      ;;
    *) echo "usage: stop-services.sh throwaway|broker|postgres ..." >&2; exit 2 ;;
  esac
done
exit 0
