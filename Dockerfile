# Multi-stage build for the consumer and the WeCom simulator (docker compose picks the target).
#   docker build --target consumer -t provisioning-consumer .
#   docker build --target simulator -t provisioning-wecom-simulator .
# The SDK and runtime images follow global.json's .NET 10.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
# Project files first: the restore layer is cached until a project or a package version changes.
COPY src/Provisioning.Contracts/Provisioning.Contracts.csproj src/Provisioning.Contracts/
COPY src/Provisioning.Rules/Provisioning.Rules.csproj src/Provisioning.Rules/
COPY src/Provisioning.Broker/Provisioning.Broker.csproj src/Provisioning.Broker/
COPY src/Provisioning.Storage/Provisioning.Storage.csproj src/Provisioning.Storage/
COPY src/Provisioning.Operations/Provisioning.Operations.csproj src/Provisioning.Operations/
COPY src/Provisioning.Consumer/Provisioning.Consumer.csproj src/Provisioning.Consumer/
COPY src/Provisioning.WeComSimulator/Provisioning.WeComSimulator.csproj src/Provisioning.WeComSimulator/
COPY src/Provisioning.Cli/Provisioning.Cli.csproj src/Provisioning.Cli/
RUN dotnet restore src/Provisioning.Consumer/Provisioning.Consumer.csproj -a $TARGETARCH -p:PublishReadyToRun=true \
 && dotnet restore src/Provisioning.WeComSimulator/Provisioning.WeComSimulator.csproj \
 && dotnet restore src/Provisioning.Cli/Provisioning.Cli.csproj
COPY src/ src/
# The consumer is published ReadyToRun (precompiled): a container often starts on a backlog, and precompiled code
# keeps the first 10 s of a cold drain at 80-85 % of the rate after them (JIT only: 77-84 %; README, Benchmark).
RUN dotnet publish src/Provisioning.Consumer/Provisioning.Consumer.csproj -c Release -a $TARGETARCH --self-contained false \
      -p:PublishReadyToRun=true --no-restore -o /out/consumer \
 && dotnet publish src/Provisioning.WeComSimulator/Provisioning.WeComSimulator.csproj -c Release --no-restore -o /out/simulator \
 && dotnet publish src/Provisioning.Cli/Provisioning.Cli.csproj -c Release --no-restore -o /out/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS consumer
WORKDIR /app
COPY --from=build /out/consumer ./
COPY --from=build /out/cli ./cli/
# The CLI in the image: docker compose exec consumer provisioning-cli replay --all --dry-run
RUN printf '#!/bin/sh\nexec dotnet /app/cli/provisioning-cli.dll "$@"\n' > /usr/local/bin/provisioning-cli \
 && chmod +x /usr/local/bin/provisioning-cli \
 && mkdir -p /data && chown app /data
USER app
# Defaults that work without compose: listen on every interface inside the container (probes come from outside it),
# and keep the idempotency store (and beside it the provisioning log and the console's cookie keys) in /data, writable by the non-root
# user (a volume keeps them across restarts). Every API or console request needs a key, from inside the container too:
# a plain TCP forwarder (kubectl port-forward, docker's userland proxy, ssh -L) delivers outside requests from loopback.
ENV Urls=http://0.0.0.0:8091 \
    Operator__AllowLocalWithoutKey=false \
    Storage__SqlitePath=/data/idempotency.db \
    Telemetry__Prometheus=true
VOLUME /data
EXPOSE 8091
HEALTHCHECK --interval=10s --timeout=5s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8091 && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '\"status\":\"Healthy\"' <&3"]
ENTRYPOINT ["dotnet", "Provisioning.Consumer.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS simulator
WORKDIR /app
COPY --from=build /out/simulator ./
USER app
ENV Urls=http://0.0.0.0:8090
EXPOSE 8090
HEALTHCHECK --interval=5s --timeout=5s --retries=20 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8090 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ok <&3"]
ENTRYPOINT ["dotnet", "Provisioning.WeComSimulator.dll"]
