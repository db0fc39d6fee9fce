#!/usr/bin/env bash
# The main job on one machine: RabbitMQ (installed if needed), the WeCom simulator, the consumer, and a handful of
# sample commands whose outcomes are printed as they arrive. Everything keeps running afterwards.
#   scripts/quickstart.sh          start (or restart) everything and publish samples/create-members.json
#   scripts/quickstart.sh stop     stop the simulator and the consumer (the broker keeps running)
# Overrides (used by the end-to-end test): QUICKSTART_STATE (pid and log folder), QUICKSTART_CONFIGURATION (Release),
# QUICKSTART_NO_BUILD=1, QUICKSTART_VHOST (/), SIMULATOR_PORT (8090), CONSUMER_PORT (8091, its health endpoints).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state="${QUICKSTART_STATE:-$root/.quickstart}"
configuration="${QUICKSTART_CONFIGURATION:-Release}"
vhost="${QUICKSTART_VHOST:-/}"
port="${SIMULATOR_PORT:-8090}"
consumer_port="${CONSUMER_PORT:-8091}"
if [ "$vhost" = "/" ]; then vhost_path=%2F; amqp_vhost=""; else vhost_path="$vhost"; amqp_vhost="$vhost"; fi
mkdir -p "$state"

stop() {
  for name in consumer simulator; do
    if [ -f "$state/$name.pid" ]; then
      pid=$(cat "$state/$name.pid")
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$state/$name.pid"
    fi
  done
}

if [ "${1:-}" = "stop" ]; then
  stop
  echo "Stopped the consumer and the simulator. (RabbitMQ keeps running: 'rabbitmqctl -n rabbit@localhost stop' stops it.)"
  exit 0
fi

stop
scripts/start-rabbitmq.sh

if [ "${QUICKSTART_NO_BUILD:-}" != "1" ]; then
  echo "Building ($configuration)..."
  dotnet build Provisioning.sln --configuration "$configuration" --nologo --verbosity quiet >"$state/build.log" 2>&1 || { cat "$state/build.log"; exit 1; }
fi

out="bin/$configuration/net10.0"
simulator="http://127.0.0.1:$port"
export ConnectionStrings__RabbitMq="amqp://guest:guest@127.0.0.1:5672/$amqp_vhost"
export Urls="$simulator"

echo "Starting the WeCom simulator on $simulator ..."
(cd "src/Provisioning.WeComSimulator/$out" && exec nohup dotnet Provisioning.WeComSimulator.dll >"$state/simulator.log" 2>&1) &
echo $! >"$state/simulator.pid"
for _ in $(seq 1 100); do curl -sf "$simulator/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$simulator/healthz" >/dev/null || { echo "The simulator did not start; see $state/simulator.log"; exit 1; }

echo "Starting the consumer ..."
# The simulator starts empty each time, so the consumer's idempotency store does too: the CLI gives the same file the
# same request ids on every run, and an old store would answer them with the outcomes of a simulator that is gone.
rm -f "$state"/idempotency.db*
(cd "src/Provisioning.Consumer/$out" && Urls="http://127.0.0.1:$consumer_port" WeCom__BaseUrl="$simulator" WeCom__CorpId="ww-sim-corp" WeCom__CorpSecret="sim-secret" \
  Storage__SqlitePath="$state/idempotency.db" Storage__RequestLog__SqlitePath="$state/provisioning-log.db" Operator__KeysPath="$state/console-keys" exec nohup dotnet Provisioning.Consumer.dll >"$state/consumer.log" 2>&1) &
echo $! >"$state/consumer.pid"
consumers() {
  curl -sf -u guest:guest "http://127.0.0.1:15672/api/queues/$vhost_path/create-member" 2>/dev/null | grep -o '"consumers":[0-9]*' | cut -d: -f2
}
for _ in $(seq 1 150); do [ "$(consumers)" -ge 1 ] 2>/dev/null && break; sleep 0.2; done
[ "$(consumers)" -ge 1 ] 2>/dev/null || { echo "The consumer did not start; see $state/consumer.log"; exit 1; }

echo
cli="src/Provisioning.Cli/$out/provisioning-cli.dll"
# Exit code 1 only says some outcome was a failure (or some row invalid), which the samples include on purpose; 3 is a time-out.
publish() { dotnet "$cli" publish "$1" --timeout 60 || [ $? -eq 1 ]; }
publish samples/create-members.json
echo
echo "Now the same userid (case differs) for another person, and a mobile that is taken:"
publish samples/duplicates.json
echo
echo "One person's life, published back to back: hired, moved (position, department), leaves (disabled), rehired"
echo "(enabled); then a delete, refused because deletes are off by default (Lifecycle:AllowDelete):"
publish samples/lifecycle.json
echo
echo "Commands that break WeCom's rules are refused by the CLI, every broken rule named, before anything is published:"
dotnet "$cli" publish samples/invalid.json || [ $? -eq 2 ]
echo
echo "A bulk import from a sheet with WeCom's template headers (姓名, 账号, 手机, 部门, ...): invalid rows reported first,"
echo "the others synced, a report written; run again, every row already has its outcome:"
rm -f "$state/members.report.csv"
import() { dotnet "$cli" import samples/members.csv --report "$state/members.report.csv" --timeout 60 || [ $? -eq 1 ]; }
import
import

cat <<TXT

Everything is still running:
  RabbitMQ management   http://127.0.0.1:15672  (guest / guest), queue create-member
  WeCom simulator       $simulator/admin/ledger  (members created, create calls per userid)
  Consumer health       http://127.0.0.1:$consumer_port/health/ready
  Operator console      http://127.0.0.1:$consumer_port/console  (every request, its steps and outcome; dead letters; no key needed from this machine)
  Logs                  $state/consumer.log, $state/simulator.log
Publish more:           dotnet src/Provisioning.Cli/$out/provisioning-cli.dll publish samples/create-members.json
Import a sheet:         dotnet src/Provisioning.Cli/$out/provisioning-cli.dll import samples/members.csv --report $state/members.report.csv
What happened to one:   dotnet src/Provisioning.Cli/$out/provisioning-cli.dll status zhaoliu
Every verb's options:   dotnet src/Provisioning.Cli/$out/provisioning-cli.dll --help
Stop:                   scripts/quickstart.sh stop
TXT
