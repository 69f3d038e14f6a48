#!/usr/bin/env bash
# Collab's one test command: installs what the tests need and is missing, builds the web client,
# builds the solution (warnings are errors) and runs every test. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n==> %s\n' "$*"; }

# command the tests need -> Debian package that provides it
declare -A needed=(
  [redis-server]=redis-server
  [chromium]=chromium
)
# shared libraries the tests need (checked with ldconfig) -> Debian package.
# libopus.so (the -dev symlink) lets the codec tests prove the native Opus backend beside the managed one.
declare -A needed_libs=(
  [libopus.so]=libopus-dev
)

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
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test.sh: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if [[ -f web/package.json ]]; then
  log "Building the web client (npm ci && npm run build in web/)"
  command -v npm >/dev/null 2>&1 || { echo "test.sh: npm is missing; install Node.js 20+" >&2; exit 1; }
  (cd web && npm ci --no-audit --no-fund && npm run typecheck && npm run build)
fi

log "Building Collab.sln (Release, warnings as errors)"
dotnet build Collab.sln -c Release -nologo -clp:ErrorsOnly

log "Running tests"
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
dotnet test Collab.sln -c Release --no-build -nologo 2>&1 | tee "$results/out.txt" || status=$?

touch "$results/web.txt"
if [[ -f web/package.json ]]; then
  log "Running the web client's browser tests (headless Chromium against the Release hub)"
  web_status=0
  (cd web && COLLAB_HUB_DLL="$PWD/../hub/src/Collab.Hub/bin/Release/net10.0/Collab.Hub.dll" npm test) >"$results/web.txt" 2>&1 || web_status=$?
  # TAP: print the results and, on failure, everything (the failing assertion and the hub's output).
  if ((web_status)); then cat "$results/web.txt"; status=1; else grep -E '^ *(not )?ok |^# (tests|pass|fail|skipped) ' "$results/web.txt"; fi
fi

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
' "$results/out.txt" "$results/web.txt"
exit "$status"
