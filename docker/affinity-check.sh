#!/usr/bin/env bash
# Proves docker/nginx.conf's sticky sessions over TLS without Docker: redis-server and three hub nodes on loopback
# behind that nginx config (its upstream pointed at them, its certificate one made for this run), then twelve
# SignalR long-polling clients, each with its own cookie jar, negotiate and complete the handshake through the load
# balancer over https, trusting exactly that certificate. Every request of a client must reach
# the node that negotiated it (another node answers 404), and the clients must spread over more than one node
# (all twelve on one of three by chance: p < 1e-5). Plain HTTP must redirect to HTTPS, HTTPS responses must carry
# HSTS, and /metrics must not be served to the public. Stops everything it started, by PID.
# Usage: docker/affinity-check.sh NGINX_BINARY HUB_DLL   (test.sh passes Debian's nginx and the Release build)
set -euo pipefail
nginx=$1
hub_dll=$2
work=$(mktemp -d)
pids=()
cleanup() {
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "affinity-check: $*" >&2
  for log in "$work"/*.log; do [[ -s $log ]] && { echo "--- $log" >&2; tail -20 "$log" >&2; }; done
  exit 1
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
pids+=($!)
export ConnectionStrings__Redis=127.0.0.1:$redis_port
Collab__Conferencing__ResumeTokenKey=$(head -c 32 /dev/urandom | base64)
export Collab__Conferencing__ResumeTokenKey

nodes=()
for n in 1 2 3; do
  dotnet "$hub_dll" --urls http://127.0.0.1:0 >"$work/hub$n.log" 2>&1 &
  pids+=($!)
done
for n in 1 2 3; do
  for _ in $(seq 150); do
    address=$(sed -nE 's/.*Now listening on: (http:\/\/127\.0\.0\.1:[0-9]+).*/\1/p' "$work/hub$n.log" | head -1)
    [[ -n $address ]] && curl -sf "$address/readyz" >/dev/null && break
    address=""
    sleep 0.1
  done
  [[ -n $address ]] || fail "hub node $n did not become ready"
  nodes+=("${address#http://}")
done

lb_port=$(free_port)
http_port=$(free_port)
mkdir "$work/certs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=collab affinity check" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$work/certs/tls.key" -out "$work/certs/tls.crt" 2>"$work/openssl.log" \
  || fail "openssl could not make the test certificate"
upstream=""
for node in "${nodes[@]}"; do upstream+="server $node max_fails=1 fail_timeout=10s; "; done
mkdir "$work/tmp"
sed -e "s/server hub:8080 max_fails=1 fail_timeout=10s;/$upstream/" -e "s/listen 8443 ssl;/listen 127.0.0.1:$lb_port ssl;/" \
  -e "s/listen 8080;/listen 127.0.0.1:$http_port;/" -e "s/listen 8081;/listen 127.0.0.1:$(free_port);/" -e "s|/etc/nginx/certs/|$work/certs/|" \
  -e "s|access_log /dev/stdout collab;|access_log $work/access.log collab;|" -e 's/^worker_rlimit_nofile.*//' -e 's/worker_connections .*/worker_connections 1024;/' \
  -e "s|^http {|http {\n    client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;|" \
  docker/nginx.conf >"$work/nginx.conf"
grep -q "server ${nodes[2]} " "$work/nginx.conf" || fail "docker/nginx.conf no longer has the line 'server hub:8080 max_fails=1 fail_timeout=10s;' this check replaces"
"$nginx" -p "$work" -c nginx.conf -e "$work/nginx-error.log" -g "pid $work/nginx.pid; daemon on;"
lb=https://127.0.0.1:$lb_port
curl() { command curl --cacert "$work/certs/tls.crt" "$@"; }
for _ in $(seq 50); do curl -sf "$lb/lb-healthz" >/dev/null && break; sleep 0.1; done
curl -sf "$lb/lb-healthz" >/dev/null || fail "nginx does not answer /lb-healthz over https"

redirect=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/hubs/meeting/negotiate?negotiateVersion=1")
[[ $redirect == "308 https://127.0.0.1/hubs/meeting/negotiate?negotiateVersion=1" ]] || fail "plain HTTP answered '$redirect', not a redirect to https"
curl -sf "http://127.0.0.1:$http_port/lb-healthz" >/dev/null || fail "the health check over plain HTTP is not answered"
metrics=$(curl -s -o /dev/null -w '%{http_code}' "$lb/metrics")
[[ $metrics == 404 ]] || fail "/metrics answered $metrics through the load balancer; it must stay internal"
curl -s -D - -o /dev/null "$lb/healthz" | grep -qi '^strict-transport-security: max-age=31536000' \
  || fail "HTTPS responses carry no HSTS header"

rs=$'\x1e'
for client in $(seq 12); do
  jar="$work/cookies$client"
  negotiate=$(curl -sf -b "$jar" -c "$jar" -X POST "$lb/hubs/meeting/negotiate?negotiateVersion=1") \
    || fail "client $client: negotiate failed"
  token=$(sed -nE 's/.*"connectionToken":"([^"]+)".*/\1/p' <<<"$negotiate")
  [[ -n $token ]] || fail "client $client: no connection token in $negotiate"
  curl -sf -m 5 -b "$jar" -c "$jar" "$lb/hubs/meeting?id=$token" >/dev/null \
    || fail "client $client: first long poll failed (another node than negotiate's?)"
  curl -sf -m 5 -b "$jar" -c "$jar" -X POST "$lb/hubs/meeting?id=$token" -d "{\"protocol\":\"json\",\"version\":1}$rs" >/dev/null \
    || fail "client $client: handshake send failed"
  reply=$(curl -sf -m 5 -b "$jar" -c "$jar" "$lb/hubs/meeting?id=$token") || fail "client $client: handshake poll failed"
  [[ $reply == "{}$rs"* ]] || fail "client $client: handshake reply was '$reply', not {}"
done

used=$(grep 'negotiate" 200' "$work/access.log" | grep -c 'upstream=' || true)
spread=$(sed -nE 's/.*negotiate" 200 .* upstream=([0-9.:]+) .*/\1/p' "$work/access.log" | sort -u | wc -l)
[[ $used -eq 12 ]] || fail "expected 12 negotiate requests in the access log, found $used"
((spread > 1)) || fail "all 12 clients landed on one node: the affinity cookie does not spread clients"
echo "affinity-check: 12 long-polling clients over https through docker/nginx.conf kept every request on their negotiating node, spread over $spread of 3 nodes; http redirects to https, HSTS sent, /metrics not served"
