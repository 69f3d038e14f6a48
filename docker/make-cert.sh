#!/usr/bin/env bash
# Makes docker/certs/tls.crt and tls.key for a venue laptop or a test server: valid for localhost, this machine's
# addresses on its networks (so phones on the local Wi-Fi can open https://192.168.x.y) and any names given.
# With mkcert on the PATH the certificate is signed by mkcert's local CA (install that CA on the phones once and
# they trust it: README "HTTPS"); without it, a self-signed certificate that each browser must accept by hand.
# Usage: docker/make-cert.sh [NAME_OR_IP...]      e.g. docker/make-cert.sh collab.local
set -euo pipefail
out="$(dirname "$0")/certs"
mkdir -p "$out"
names=(localhost 127.0.0.1 "$@")
# hostname -I: every address of this machine except loopback (Debian/Ubuntu); ip as the fallback.
for address in $(hostname -I 2>/dev/null || ip -o addr show scope global | awk '{sub("/.*", "", $4); print $4}'); do
  [[ $address == fe80:* ]] || names+=("$address")
done

if command -v mkcert >/dev/null 2>&1; then
  mkcert -cert-file "$out/tls.crt" -key-file "$out/tls.key" "${names[@]}"
  echo "Signed by mkcert's local CA ($(mkcert -CAROOT)/rootCA.pem): install that file on each phone to trust it."
else
  san=""
  for name in "${names[@]}"; do
    if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then san+="IP:$name,"; else san+="DNS:$name,"; fi
  done
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 397 -subj "/CN=Collab venue" \
    -addext "subjectAltName=${san%,}" -keyout "$out/tls.key" -out "$out/tls.crt" 2>/dev/null
  echo "Self-signed (browsers warn once per device until accepted; mkcert avoids that)."
fi
chmod 600 "$out/tls.key"
# nginx in the container runs its workers as another user; the key stays readable to it through the read-only mount.
chmod 644 "$out/tls.crt"
echo "Wrote $out/tls.crt and $out/tls.key for: ${names[*]}"
