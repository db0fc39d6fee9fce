#!/usr/bin/env bash
# The import benchmark: a 10,000-row sheet (WeCom template headers) imported into a WeCom stand-in that enforces
# WeCom's 10,000 calls a minute. Prints the time to read and validate, to publish, and to drain (every outcome back),
# the CLI's peak memory, then the same import again (every row answered from the report: no publish, no WeCom call),
# and once more with --restart (every row published again and answered from the consumer's idempotency store).
#   scripts/bench-import.sh [ROWS]     (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-10000}"
state=$(mktemp -d /tmp/bench-import.XXXXXX)
vhost="bench-import-$$"
sim_port=8190
consumer_port=8191
scripts/start-rabbitmq.sh >/dev/null
dotnet build Provisioning.sln --configuration Release --nologo --verbosity quiet >"$state/build.log" 2>&1 || { cat "$state/build.log"; exit 1; }
out="bin/Release/net10.0"
rabbitmqctl -n rabbit@localhost add_vhost "$vhost" >/dev/null
rabbitmqctl -n rabbit@localhost set_permissions -p "$vhost" guest ".*" ".*" ".*" >/dev/null
broker="amqp://guest:guest@127.0.0.1:5672/$vhost"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rabbitmqctl -n rabbit@localhost delete_vhost "$vhost" >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap cleanup EXIT

simulator="http://127.0.0.1:$sim_port"
(cd "src/Provisioning.WeComSimulator/$out" && Urls="$simulator" exec dotnet Provisioning.WeComSimulator.dll >"$state/simulator.log" 2>&1) &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "$simulator/healthz" >/dev/null && break; sleep 0.2; done
# WeCom's own limit, enforced by the stand-in: 10,000 calls a minute per enterprise.
curl -sf -X PUT -H 'Content-Type: application/json' -d '{"perMinuteLimit":10000}' "$simulator/admin/faults" >/dev/null
(cd "src/Provisioning.Consumer/$out" && Urls="http://127.0.0.1:$consumer_port" ConnectionStrings__RabbitMq="$broker" WeCom__BaseUrl="$simulator" \
  WeCom__CorpId="ww-sim-corp" WeCom__CorpSecret="sim-secret" Storage__SqlitePath="$state/idempotency.db" \
  exec dotnet Provisioning.Consumer.dll >"$state/consumer.log" 2>&1) &
pids+=($!)
consumers() { curl -sf -u guest:guest "http://127.0.0.1:15672/api/queues/$vhost/sync-member" 2>/dev/null | grep -o '"consumers":[0-9]*' | cut -d: -f2; }
for _ in $(seq 1 150); do [ "$(consumers)" -ge 1 ] 2>/dev/null && break; sleep 0.2; done
[ "$(consumers)" -ge 1 ] 2>/dev/null || { echo "The consumer did not start; see $state/consumer.log"; cat "$state/consumer.log"; exit 1; }

sheet="$state/hires.csv"
awk -v n="$rows" 'BEGIN { print "姓名,账号,别名,职务,部门,性别,手机,个人邮箱,地址";
  for (i = 1; i <= n; i++) printf "成员%d,bench-%d,B%d,工程师,1;2,%s,137%08d,bench%d@example.com,\"深圳市南山区, %d 号\"\n", i, i, i, (i % 2 ? "男" : "女"), i, i, i }' >"$sheet"

cli="src/Provisioning.Cli/$out/provisioning-cli.dll"
calls() { curl -sf "$simulator/admin/ledger" | grep -o '"userCalls":[0-9]*' | cut -d: -f2; }
run() {
  local label=$1; shift
  local before; before=$(calls)
  /usr/bin/time -f "%M %e" -o "$state/time" dotnet "$cli" import "$sheet" --broker "$broker" --json --timeout 120 "$@" >"$state/out.json" 2>"$state/err.txt" || true
  local summary; summary=$(grep '"event":"summary"' "$state/out.json")
  local rss wall; read -r rss wall <"$state/time"
  python3 - "$label" "$summary" "$rss" "$wall" "$before" "$(calls)" <<'PY'
import json, sys
label, summary, rss, wall, before, after = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
pub, heard = summary["publishSeconds"], summary["heardSeconds"]
print(f"{label:<10} rows {summary['rows']:>6}  validate {summary['validatedSeconds']:6.2f} s  "
      f"publish {summary['published']:>6} in {pub:6.2f} s ({summary['published'] / pub if pub else 0:7.0f}/s)  "
      f"drain {summary['heard']:>6} in {heard:6.1f} s ({summary['heard'] / heard if heard else 0:5.0f}/s)  "
      f"wall {wall:6.1f} s  CLI peak RSS {rss / 1024:5.0f} MiB  WeCom calls {after - before:>6}  outcomes {summary['outcomes']}")
PY
}
echo "Import benchmark: $rows rows, WeCom stand-in at 10,000 calls/min, one consumer with its defaults ($(nproc) cores)"
run "first"
run "again"                 # every row has its outcome in the report: nothing published
run "restart" --restart     # every row published again: answered from the consumer's store, no WeCom call
