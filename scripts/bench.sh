#!/usr/bin/env bash
# The benchmark: starts RabbitMQ and PostgreSQL (installing them if needed), builds in Release, publishes the consumer
# with ReadyToRun as the container image does (for --knobs), runs bench/ and prints its table. Pass --quick for the
# smoke mode (a few minutes); see bench/Provisioning.Benchmark/BenchOptions.cs for more.
set -euo pipefail
cd "$(dirname "$0")/.."
# What this run starts, it stops at the end (the shared broker and PostgreSQL when they were not running before it).
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
to_stop=()
up 5672 || to_stop+=(broker)
up 55432 || to_stop+=(postgres)
trap '[ ${#to_stop[@]} -eq 0 ] || scripts/stop-services.sh "${to_stop[@]}"' EXIT
scripts/start-rabbitmq.sh >/dev/null
scripts/start-postgres.sh >/dev/null
dotnet build Provisioning.sln --configuration Release --nologo --verbosity quiet >/dev/null
if [[ " $* " == *" --knobs "* ]]; then
  dotnet publish src/Provisioning.Consumer/Provisioning.Consumer.csproj --configuration Release --runtime linux-x64 --self-contained false \
    -p:PublishReadyToRun=true --output artifacts/consumer-r2r --nologo --verbosity quiet >/dev/null
fi
dotnet bench/Provisioning.Benchmark/bin/Release/net10.0/Provisioning.Benchmark.dll "$@"
