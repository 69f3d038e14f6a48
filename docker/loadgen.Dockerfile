# syntax=docker/dockerfile:1
# The load generator image: the collab-load CLI on the .NET runtime with native libopus. Build from the repository
# root and pass the CLI's arguments after the image (or after `loadgen` in `docker compose run`):
#   docker build -f docker/loadgen.Dockerfile -t collab-loadgen .
#   docker run --rm collab-loadgen --help

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore from the build settings and project files alone, so this layer is reused until one of them changes.
# List every project the tool references (test.sh checks the list against the ProjectReferences).
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY codec/src/Collab.Codec/Collab.Codec.csproj codec/src/Collab.Codec/
COPY hub/src/Collab.Conferencing.Contracts/Collab.Conferencing.Contracts.csproj hub/src/Collab.Conferencing.Contracts/
COPY hub/src/Collab.Conferencing.Client/Collab.Conferencing.Client.csproj hub/src/Collab.Conferencing.Client/
COPY codec/src/Collab.Codec.Evaluation/Collab.Codec.Evaluation.csproj codec/src/Collab.Codec.Evaluation/
COPY loadtests/src/Collab.BareHub/Collab.BareHub.csproj loadtests/src/Collab.BareHub/
COPY loadtests/src/Collab.TcpForwarding/Collab.TcpForwarding.csproj loadtests/src/Collab.TcpForwarding/
COPY loadtests/src/Collab.LoadGenerator/Collab.LoadGenerator.csproj loadtests/src/Collab.LoadGenerator/
RUN dotnet restore loadtests/src/Collab.LoadGenerator/Collab.LoadGenerator.csproj
COPY . .
RUN dotnet publish loadtests/src/Collab.LoadGenerator/Collab.LoadGenerator.csproj -c Release --no-restore -o /app \
    -p:UseAppHost=false

# The plain .NET runtime: the tool is a SignalR client and needs no ASP.NET Core (use aspnet:10.0 if it ever
# hosts a hub in-process).
FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
# Native Opus: Concentus loads the library by the name libopus.so, which only the -dev package provides (libopus0
# alone installs libopus.so.0); without it the codec falls back to its slower managed port.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libopus-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENTRYPOINT ["dotnet", "collab-load.dll"]
CMD ["--help"]
