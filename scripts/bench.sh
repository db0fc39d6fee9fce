#!/usr/bin/env bash
# The benchmark: starts RabbitMQ and PostgreSQL (installing them if needed), builds in Release, runs bench/ and prints
# its table. Pass --quick for the smoke mode (under a minute); see bench/Provisioning.Benchmark/BenchOptions.cs for more.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/start-rabbitmq.sh >/dev/null
scripts/start-postgres.sh >/dev/null
dotnet build Provisioning.sln --configuration Release --nologo --verbosity quiet >/dev/null
exec dotnet bench/Provisioning.Benchmark/bin/Release/net10.0/Provisioning.Benchmark.dll "$@"
