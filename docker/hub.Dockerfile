# syntax=docker/dockerfile:1
# The hub image: built with the .NET SDK (plus Node.js 20 for the web client's bundle), run on the ASP.NET Core
# runtime as a non-root user, with Node.js 22 and the media edge beside the hub. Build from the repository root:
#   docker build -f docker/hub.Dockerfile -t collab-hub .

FROM node:20-bookworm-slim AS node

# The media edge (hub/src/Collab.MediaEdge: browsers' voice data channels, WebRTC in werift, which asks for Node 22):
# its runtime dependencies only, installed from the lock file. The hub starts it from media-edge/ beside itself.
FROM node:22-bookworm-slim AS edge
WORKDIR /edge
COPY hub/src/Collab.MediaEdge/package.json hub/src/Collab.MediaEdge/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY hub/src/Collab.MediaEdge/edge.mjs hub/src/Collab.MediaEdge/server.mjs hub/src/Collab.MediaEdge/framing.mjs ./

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The hub's build bundles web/ with npm once web/package.json exists. The SDK image (Ubuntu 24.04) has no Node.js
# and its distribution's nodejs is 18, so Node.js 20 and npm come from the official node image.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && node --version && npm --version
WORKDIR /src
# Restore from the build settings and project files alone, so this layer is reused until one of them changes.
# List every project the hub references (test.sh checks the list against the ProjectReferences).
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY codec/src/Collab.Codec/Collab.Codec.csproj codec/src/Collab.Codec/
COPY hub/src/Collab.Conferencing.Contracts/Collab.Conferencing.Contracts.csproj hub/src/Collab.Conferencing.Contracts/
COPY hub/src/Collab.Conferencing/Collab.Conferencing.csproj hub/src/Collab.Conferencing/
COPY hub/src/Collab.Conferencing.Redis/Collab.Conferencing.Redis.csproj hub/src/Collab.Conferencing.Redis/
COPY hub/src/Collab.Hub/Collab.Hub.csproj hub/src/Collab.Hub/
RUN dotnet restore hub/src/Collab.Hub/Collab.Hub.csproj
COPY . .
# Bundle the web client into the hub's wwwroot before publishing (as test.sh does), so the bundle exists when
# MSBuild gathers the files to publish; the hub's own build step then finds it up to date.
RUN if [ -f web/package.json ]; then cd web && npm ci --no-audit --no-fund && npm run build; fi
RUN dotnet publish hub/src/Collab.Hub/Collab.Hub.csproj -c Release --no-restore -o /app -p:UseAppHost=false -p:RestoreMediaEdge=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl for the health check: the ASP.NET Core image has no HTTP client, and curl gives a check with a timeout and
# an exit code that anyone can also run by hand (docker compose exec hub curl ...). The hub relays voice without
# decoding it, so no libopus here.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# Node.js for the media edge (one binary; glibc of this image is newer than bookworm's) and the edge itself. Without
# them the hub logs one line and browsers' voice uses SignalR. A browser reaches the edge over UDP only where the
# container's ICE ports are reachable: Collab__Voice__MediaEdge__IceAddresses (the address browsers can reach) and
# Collab__Voice__MediaEdge__IcePorts (a range the container publishes); otherwise voice falls back to SignalR.
COPY --from=edge /usr/local/bin/node /usr/local/bin/node
COPY --from=edge /edge /app/media-edge
# appsettings.json listens on localhost:5080 for development; in a container, every interface on 8080.
ENV Urls=http://+:8080
EXPOSE 8080
# The non-root user the .NET images provide.
USER $APP_UID
# Liveness: the process serves HTTP. Compose checks readiness (/readyz) instead, which also needs Redis. The hub
# starts in seconds, inside the 30 s that three retries allow (no --start-period: dockerfilelint 1.8 rejects it).
HEALTHCHECK --interval=10s --timeout=5s --retries=3 \
    CMD curl --fail --silent --show-error --max-time 3 http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "Collab.Hub.dll"]
