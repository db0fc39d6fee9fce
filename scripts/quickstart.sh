#!/usr/bin/env bash
# The main job on one machine: RabbitMQ (installed if needed), the WeCom simulator, the consumer, and a handful of
# sample commands whose outcomes are printed as they arrive. Everything keeps running afterwards.
#   scripts/quickstart.sh          start (or restart) everything and publish samples/create-members.json
#   scripts/quickstart.sh stop     stop the simulator and the consumer (the broker keeps running)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state="$root/.quickstart"
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

echo "Building (Release)..."
dotnet build Provisioning.sln --configuration Release --nologo --verbosity quiet >"$state/build.log" 2>&1 || { cat "$state/build.log"; exit 1; }

out=bin/Release/net10.0
export ConnectionStrings__RabbitMq="amqp://guest:guest@127.0.0.1:5672/"
export Urls="http://127.0.0.1:8090"

echo "Starting the WeCom simulator on http://127.0.0.1:8090 ..."
(cd "src/Provisioning.WeComSimulator/$out" && exec nohup dotnet Provisioning.WeComSimulator.dll >"$state/simulator.log" 2>&1) &
echo $! >"$state/simulator.pid"
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:8090/healthz >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:8090/healthz >/dev/null || { echo "The simulator did not start; see $state/simulator.log"; exit 1; }

echo "Starting the consumer ..."
(cd "src/Provisioning.Consumer/$out" && WeCom__BaseUrl="http://127.0.0.1:8090" WeCom__CorpId="ww-sim-corp" WeCom__CorpSecret="sim-secret" \
  exec nohup dotnet Provisioning.Consumer.dll >"$state/consumer.log" 2>&1) &
echo $! >"$state/consumer.pid"
consumers() {
  curl -sf -u guest:guest http://127.0.0.1:15672/api/queues/%2F/create-member 2>/dev/null | grep -o '"consumers":[0-9]*' | cut -d: -f2
}
for _ in $(seq 1 150); do [ "$(consumers)" -ge 1 ] 2>/dev/null && break; sleep 0.2; done
[ "$(consumers)" -ge 1 ] 2>/dev/null || { echo "The consumer did not start; see $state/consumer.log"; exit 1; }

echo
cli="src/Provisioning.Cli/$out/provisioning-cli.dll"
dotnet "$cli" publish samples/create-members.json --timeout 60 || true
echo
echo "Now the same userid (case differs) for another person, and a mobile that is taken:"
dotnet "$cli" publish samples/duplicates.json --timeout 60 || true

cat <<TXT

Everything is still running:
  RabbitMQ management   http://127.0.0.1:15672  (guest / guest), queue create-member
  WeCom simulator       http://127.0.0.1:8090/admin/ledger  (members created, create calls per userid)
  Logs                  $state/consumer.log, $state/simulator.log
Publish more:           dotnet src/Provisioning.Cli/$out/provisioning-cli.dll publish samples/create-members.json
Stop:                   scripts/quickstart.sh stop
TXT
