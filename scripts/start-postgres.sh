#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 on 127.0.0.1:55432 (trust auth, fsync off) for the tests and the benchmark,
# installing Debian's postgresql-15 if needed. Idempotent. Data lives in $PROVISIONING_PGDATA (/var/tmp/provisioning-pg).
set -euo pipefail

data="${PROVISIONING_PGDATA:-/var/tmp/provisioning-pg}"
port="${PROVISIONING_PGPORT:-55432}"
bin=/usr/lib/postgresql/15/bin
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi

if [ ! -x "$bin/pg_ctl" ]; then
  echo "Installing postgresql-15 from Debian..."
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi

# initdb refuses to run as root: run the server as the postgres user when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

if [ ! -f "$data/PG_VERSION" ]; then
  mkdir -p "$data"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
  as_owner "$bin/initdb -D '$data' -U postgres --auth=trust -E UTF8 --no-sync" >/dev/null
fi

if as_owner "$bin/pg_ctl -D '$data' status" >/dev/null 2>&1; then
  echo "PostgreSQL is already running on 127.0.0.1:$port."
  exit 0
fi

as_owner "$bin/pg_ctl -D '$data' -w -t 60 -l '$data/server.log' \
  -o \"-c listen_addresses=127.0.0.1 -p $port -k '$data' -c fsync=off -c synchronous_commit=off -c max_connections=300\" start" >/dev/null
echo "PostgreSQL is ready on 127.0.0.1:$port (user postgres, trust)."
