#!/usr/bin/env bash
# Collab's one test command: installs what the tests need and is missing, validates docker/ offline, builds the
# web client, builds the solution (warnings are errors) and runs every test. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n==> %s\n' "$*"; }

# command the tests need -> Debian package that provides it
declare -A needed=(
  [redis-server]=redis-server
  [redis-sentinel]=redis-sentinel
  [chromium]=chromium
  [docker-compose]=docker-compose
  [python3]=python3
  [curl]=curl
  [openssl]=openssl
)
# shared libraries the tests need (checked with ldconfig) -> Debian package.
# libopus.so (the -dev symlink) lets the codec tests prove the native Opus backend beside the managed one.
declare -A needed_libs=(
  [libopus.so]=libopus-dev
)

# kernel-mode load tests (network namespaces, tc, nftables) run only as root; elsewhere they skip with the reason
if [[ $(id -u) -eq 0 ]]; then
  needed[ip]=iproute2
  needed[tc]=iproute2
  needed[nft]=nftables
fi

missing=()
for cmd in "${!needed[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${needed[$cmd]}")
done
for lib in "${!needed_libs[@]}"; do
  ldconfig -p 2>/dev/null | grep -qE "^[[:space:]]+${lib//./\\.} \(" || missing+=("${needed_libs[$lib]}")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "Installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
  else
    echo "test.sh: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

command -v npm >/dev/null 2>&1 || { echo "test.sh: npm is missing; install Node.js 20+" >&2; exit 1; }
docker_check=$(mktemp -d)
trap 'rm -rf "$docker_check"' EXIT
# The docker/ checks need no build and little CPU (mostly npm ci and two package downloads): they run beside the
# web client's and the solution's builds, and their output is shown once the build is done.
validate_docker() {
  log "Validating docker/ (no Docker engine here: the files are checked, the images are not built)"
  # Compose: docker-compose 1.29 interpolates and checks its schema (and must refuse to run without the shared
  # resume-token key); dclint checks the current Compose spec and conventions; dockerfilelint the Dockerfiles.
  # An empty env file, so a developer's docker/.env does not stand in for the variables.
  : >"$docker_check/empty.env"
  COLLAB_RESUME_TOKEN_KEY=validation-only \
    docker-compose --env-file "$docker_check/empty.env" -f docker/compose.yaml --profile load config -q
  if docker-compose --env-file "$docker_check/empty.env" -f docker/compose.yaml config -q 2>/dev/null; then
    echo "test.sh: docker/compose.yaml starts without COLLAB_RESUME_TOKEN_KEY; replicas would sign resume tokens with different keys" >&2
    exit 1
  fi
  (cd docker && npm ci --no-audit --no-fund --silent && npx dclint --max-warnings 0 compose.yaml \
    && npx dockerfilelint hub.Dockerfile loadgen.Dockerfile)
  # Each Dockerfile restores from project files copied ahead of the sources: it must copy every project its app
  # references (transitively), and every path it copies must exist.
  for dockerfile in docker/*.Dockerfile; do
    projects=("$(sed -nE 's/^RUN dotnet restore ([^ ]+\.csproj).*/\1/p' "$dockerfile")")
    for ((i = 0; i < ${#projects[@]}; i++)); do
      [[ -f ${projects[i]} ]] || { echo "test.sh: $dockerfile names ${projects[i]}, which does not exist" >&2; exit 1; }
      grep -qE "^COPY ${projects[i]//./\\.} " "$dockerfile" \
        || { echo "test.sh: $dockerfile restores before copying ${projects[i]}" >&2; exit 1; }
      while read -r ref; do
        ref=$(realpath -m --relative-to=. "$(dirname "${projects[i]}")/$ref")
        [[ " ${projects[*]} " == *" $ref "* ]] || projects+=("$ref")
      done < <(sed -nE 's/.*<ProjectReference Include="([^"]+)".*/\1/p' "${projects[i]}")
    done
    while read -r source; do
      [[ -e $source ]] || { echo "test.sh: $dockerfile copies $source, which does not exist" >&2; exit 1; }
    done < <(sed -nE 's/^COPY ([^-][^ ]*( [^ ]+)*) [^ ]+$/\1/p' "$dockerfile" | tr ' ' '\n' | grep -vx '\.')
  done
  # nginx -t on the load balancer's config, with Debian's nginx unpacked into a temporary folder (installing the
  # package would start a server on port 80). Outside compose the upstream name `hub` does not resolve, so the
  # copy under test points it at 127.0.0.1, reads a certificate made here instead of the mounted one and keeps
  # nginx's temporary files in the folder.
  (cd "$docker_check" && { apt-get download -qq nginx 2>/dev/null \
    || { [[ $(id -u) -eq 0 ]] && apt-get update -qq && apt-get download -qq nginx; }; }) \
    || { echo "test.sh: cannot download Debian's nginx package to check docker/nginx.conf" >&2; exit 1; }
  dpkg-deb -x "$docker_check"/nginx_*.deb "$docker_check/root"
  mkdir "$docker_check/certs"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=nginx-t \
    -keyout "$docker_check/certs/tls.key" -out "$docker_check/certs/tls.crt" 2>/dev/null
  sed -e 's/server hub:8080 /server 127.0.0.1:8080 /' -e "s|/etc/nginx/certs/|$docker_check/certs/|" \
    -e "s|^http {|http {\n    client_body_temp_path $docker_check/tmp; proxy_temp_path $docker_check/tmp; fastcgi_temp_path $docker_check/tmp; uwsgi_temp_path $docker_check/tmp; scgi_temp_path $docker_check/tmp;|" \
    docker/nginx.conf >"$docker_check/nginx.conf"
  "$docker_check/root/usr/sbin/nginx" -t -q -p "$docker_check" -c nginx.conf -e /dev/stderr
  # The monitoring profile: promtool, from Debian's prometheus package unpacked the same way, checks Prometheus's
  # config; check-dashboard.py ties every query of the Grafana dashboard to an instrument the hub creates.
  (cd "$docker_check" && apt-get download -qq prometheus 2>/dev/null) \
    || { echo "test.sh: cannot download Debian's prometheus package (for promtool) to check docker/monitoring/" >&2; exit 1; }
  dpkg-deb -x "$docker_check"/prometheus_*.deb "$docker_check/root"
  "$docker_check/root/usr/bin/promtool" check config docker/monitoring/prometheus.yml
  python3 docker/monitoring/check-dashboard.py

  log "Validating docker/kubernetes (kubectl kustomize, then the Kubernetes API schemas; no cluster here)"
  # kubectl 1.21+ (its built-in kustomize renders components); the machine image ships one. Unknown fields are
  # refused by the strict load in hub/test/Collab.Hub.Tests/Deploy, which runs with the other tests.
  command -v kubectl >/dev/null 2>&1 || { echo "test.sh: kubectl is missing; install kubectl 1.21+ (https://kubernetes.io/docs/tasks/tools/)" >&2; exit 1; }
  mkdir "$docker_check/kubernetes"
  for overlay in docker/kubernetes/overlays/*/; do
    kubectl kustomize "$overlay" >"$docker_check/kubernetes/$(basename "$overlay").yaml"
  done
  (cd docker/kubernetes/validate && npm ci --no-audit --no-fund --silent)
  node docker/kubernetes/validate/validate.mjs "$docker_check"/kubernetes/*.yaml
}
validate_docker >"$docker_check/validate.log" 2>&1 &
docker_pid=$!
# A failed build must not leave the checks running: they end before the folder they work in is removed.
trap 'wait "$docker_pid" 2>/dev/null; rm -rf "$docker_check"' EXIT

log "Installing the media edge (npm ci in hub/src/Collab.MediaEdge, beside the web client's install and build)"
# The hub starts the edge when its node_modules exist. werift asks for Node 22 in its engines field and runs on
# Node 20 here (the edge's tests prove it): npm only warns.
(cd hub/src/Collab.MediaEdge && npm ci --no-audit --no-fund --silent) &
edge_pid=$!

if [[ -f web/package.json ]]; then
  log "Building the web client (npm ci && npm run build in web/)"
  (cd web && npm ci --no-audit --no-fund && npm run typecheck && npm run build)
fi
wait "$edge_pid" || { echo "test.sh: npm ci in hub/src/Collab.MediaEdge failed" >&2; exit 1; }

log "Building Collab.sln (Release, warnings as errors)"
dotnet build Collab.sln -c Release -nologo -clp:ErrorsOnly

docker_status=0
wait "$docker_pid" || docker_status=$?
cat "$docker_check/validate.log"
((docker_status == 0)) || { echo "test.sh: validating docker/ failed (exit $docker_status)" >&2; exit 1; }

log "Checking the load balancer's sticky sessions (docker/nginx.conf in front of three hub nodes)"
docker/affinity-check.sh "$docker_check/root/usr/sbin/nginx" hub/src/Collab.Hub/bin/Release/net10.0/Collab.Hub.dll

log "Running tests"
results=$(mktemp -d)
trap 'rm -rf "$results" "$docker_check"' EXIT
status=0
dotnet test Collab.sln -c Release --no-build -nologo 2>&1 | tee "$results/out.txt" || status=$?

touch "$results/web.txt" "$results/edge.txt"
if [[ -f web/package.json ]]; then
  log "Running the web client's browser tests (headless Chromium against the Release hub)"
  web_status=0
  (cd web && COLLAB_HUB_DLL="$PWD/../hub/src/Collab.Hub/bin/Release/net10.0/Collab.Hub.dll" npm test) >"$results/web.txt" 2>&1 || web_status=$?
  # TAP: print the results and, on failure, everything (the failing assertion and the hub's output).
  if ((web_status)); then cat "$results/web.txt"; status=1; else grep -E '^ *(not )?ok |^# (tests|pass|fail|skipped) ' "$results/web.txt"; fi
fi

log "Running the media edge's tests (framing vector, HTTP API, headless Chromium over a real data channel)"
edge_status=0
(cd hub/src/Collab.MediaEdge && npm test) >"$results/edge.txt" 2>&1 || edge_status=$?
if ((edge_status)); then cat "$results/edge.txt"; status=1; else grep -E '^ *(not )?ok |^# (tests|pass|fail|skipped) ' "$results/edge.txt"; fi

# One closing line across all test assemblies: "N passed, N failed, N skipped".
awk '
  /(Passed|Failed)! +- +Failed: / {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i + 1) + 0
      if ($i == "Passed:") p += $(i + 1) + 0
      if ($i == "Skipped:") s += $(i + 1) + 0
    }
  }
  /^# pass / { p += $3 }
  /^# fail / { f += $3 }
  /^# skipped / { s += $3 }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }
' "$results/out.txt" "$results/web.txt" "$results/edge.txt"
exit "$status"
