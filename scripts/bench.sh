#!/usr/bin/env bash
# The benchmark: starts RabbitMQ and PostgreSQL (installing them if needed), builds in Release, publishes the consumer
# with ReadyToRun as the container image does (for --knobs), runs bench/ and prints its table. Pass --quick for the
# smoke mode (a few minutes); see bench/Provisioning.Benchmark/BenchOptions.cs for more.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/start-rabbitmq.sh >/dev/null
scripts/start-postgres.sh >/dev/null
dotnet build Provisioning.sln --configuration Release --nologo --verbosity quiet >/dev/null
if [[ " $* " == *" --knobs "* ]]; then
  dotnet publish src/Provisioning.Consumer/Provisioning.Consumer.csproj --configuration Release --runtime linux-x64 --self-contained false \
    -p:PublishReadyToRun=true --output artifacts/consumer-r2r --nologo --verbosity quiet >/dev/null
fi
exec dotnet bench/Provisioning.Benchmark/bin/Release/net10.0/Provisioning.Benchmark.dll "$@"
