#!/usr/bin/env bash
# The test command: starts what the tests need (idempotently), runs every test project, and prints the
# closing line "N passed, N failed" summed from the TRX results. Exit code is dotnet test's.
set -uo pipefail
cd "$(dirname "$0")/.."

# What this run starts, it stops at the end: the chaos runs' throw-away nodes and database always, the shared broker and
# PostgreSQL when they were not running before it (a suite leaves the machine as it found it).
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
to_stop=(throwaway)
up 5672 || to_stop+=(broker)
up "${PROVISIONING_PGPORT:-55432}" || to_stop+=(postgres)
trap 'scripts/stop-services.sh "${to_stop[@]}"' EXIT

# Every kind of process a test starts: consumer processes, simulators, the CLI and the benchmark, RabbitMQ nodes and epmd,
# PostgreSQL, the console test's browser, the Python subscriber. Those running now are not this run's; one that started
# since, is this run's and still runs once the run has stopped its services was left behind by a test (checked at the
# end). This run's: it inherited the marker below, or it runs in or names this checkout, a system's folder or a
# throw-away service (the image test's consumer starts with an empty environment). Others' runs on the machine are not.
leftover_pattern='Provisioning\.(Consumer|WeComSimulator|Benchmark)|provisioning-cli|beam\.smp|epmd|postgres|chrom|playwright|consume_outcomes'
export PROVISIONING_TEST_RUN="$$-$(date +%s%N)"
ours() {
  tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null | grep -qxF "PROVISIONING_TEST_RUN=$PROVISIONING_TEST_RUN" && return 0
  { readlink "/proc/$1/cwd"; tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null |
    grep -qE "^$PWD(/|\$)| $PWD/|provisioning-system-|(chaos|cluster)-[0-9]@|provisioning-pg-chaos"
}
running_before=$(pgrep -f "$leftover_pattern" | sort)

scripts/start-rabbitmq.sh || exit 1
scripts/start-postgres.sh || exit 1
scripts/install-docker-compose.sh || exit 1
scripts/install-chromium.sh || exit 1
scripts/install-python-pika.sh || exit 1

# The model-based test's seed and size (tests/Provisioning.Consumer.Tests/Model): fixed here so a run is repeatable;
# a failure prints the seed that reproduces it. This seed made the pipeline before issue 19's fixes fail.
export MODEL_SEED="${MODEL_SEED:-92fZ5-Evi0M3}" MODEL_ITERATIONS="${MODEL_ITERATIONS:-10}"
# The corrupted-message fuzz's seed (tests/Provisioning.IntegrationTests/Chaos/CorruptedMessageTests.cs), fixed the same
# way: this one lost a message before issue 19's fix (a corrupted sent time in the future). Set it empty for a random one.
export PROVISIONING_FUZZ_SEED="${PROVISIONING_FUZZ_SEED-1347820691}"

results="TestResults/run-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$results"
dotnet test Provisioning.sln --configuration Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or the test host failed before any result was written: count it as a failure.
  failed=1
fi

# Stop what this run started (as the trap would at exit), then nothing the tests started may still run.
scripts/stop-services.sh "${to_stop[@]}"
trap - EXIT
# A node or database told to stop may take a few seconds more to exit: it is left over only if it still runs after 20 s.
for _ in $(seq 1 20); do
  left=$(comm -13 <(echo "$running_before") <(pgrep -f "$leftover_pattern" | sort) | while read -r pid; do ours "$pid" && ps -o pid=,args= -p "$pid"; done)
  [ -n "$left" ] || break
  sleep 1
done
if [ -n "$left" ]; then
  echo
  echo "Left running after the tests (a test did not stop what it started):"
  cut -c1-200 <<<"$left"
  failed=$((failed + 1))
  [ "$status" -ne 0 ] || status=1
fi
echo
echo "$passed passed, $failed failed"
exit "$status"
