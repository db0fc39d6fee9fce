# Multi-stage build for the consumer and the WeCom simulator (docker compose picks the target).
#   docker build --target consumer -t provisioning-consumer .
#   docker build --target simulator -t provisioning-wecom-simulator .
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
# The consumer is published ReadyToRun (precompiled): a container often starts on a backlog, and precompiled code
# keeps the first 10 s of a cold drain at 80-85 % of the rate after them (JIT only: 77-84 %; README, Benchmark).
RUN dotnet publish src/Provisioning.Consumer/Provisioning.Consumer.csproj -c Release -a $TARGETARCH --self-contained false \
      -p:PublishReadyToRun=true -o /out/consumer \
 && dotnet publish src/Provisioning.WeComSimulator/Provisioning.WeComSimulator.csproj -c Release -o /out/simulator

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS consumer
WORKDIR /app
COPY --from=build /out/consumer ./
RUN mkdir -p /data && chown app /data
USER app
ENTRYPOINT ["dotnet", "Provisioning.Consumer.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS simulator
WORKDIR /app
COPY --from=build /out/simulator ./
USER app
ENV Urls=http://0.0.0.0:8090
EXPOSE 8090
ENTRYPOINT ["dotnet", "Provisioning.WeComSimulator.dll"]
