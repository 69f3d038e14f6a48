// Collab's media edge (hub/PROTOCOL.md, "Voice datagrams"; README "Hub <-> media edge"). The hub node starts it as
// `node edge.mjs` with COLLAB_EDGE_SECRET and COLLAB_EDGE_HUB_UDP; it listens HTTP on 127.0.0.1:0, prints
// {"listening":<port>} on stdout, and exits when its stdin closes (the hub is gone) or on SIGTERM.
import { startEdge } from "./server.mjs";

function fail(message) {
  process.stderr.write(`edge: ${message}\n`);
  process.exit(2);
}

function intFromEnv(name, fallback, min, max) {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) fail(`${name}=${text} is not a whole number from ${min} to ${max}`);
  return value;
}

const secret = process.env.COLLAB_EDGE_SECRET ?? "";
if (secret.length < 16) fail("COLLAB_EDGE_SECRET is missing or shorter than 16 characters");
const hubUdp = /^(.+):(\d{1,5})$/.exec(process.env.COLLAB_EDGE_HUB_UDP ?? "");
if (!hubUdp || Number(hubUdp[2]) < 1 || Number(hubUdp[2]) > 65535) fail("COLLAB_EDGE_HUB_UDP is missing or not host:port");
let icePortRange;
if (process.env.COLLAB_EDGE_ICE_PORTS) {
  const range = /^(\d{1,5})-(\d{1,5})$/.exec(process.env.COLLAB_EDGE_ICE_PORTS);
  if (!range || Number(range[1]) >= Number(range[2]) || Number(range[2]) > 65535) fail("COLLAB_EDGE_ICE_PORTS is not min-max (min < max)");
  icePortRange = [Number(range[1]), Number(range[2])];
}

const edge = await startEdge({
  secret,
  hubUdp: { host: hubUdp[1].replace(/^\[(.*)\]$/, "$1"), port: Number(hubUdp[2]) },
  maxSessions: intFromEnv("COLLAB_EDGE_MAX_SESSIONS", 2000, 1, 100_000),
  openTimeoutMs: intFromEnv("COLLAB_EDGE_OPEN_TIMEOUT_MS", 15_000, 100, 300_000),
  iceAddresses: (process.env.COLLAB_EDGE_ICE_ADDRESSES ?? "").split(",").map((a) => a.trim()).filter(Boolean),
  icePortRange,
  log: (line) => process.stderr.write(`edge: ${line}\n`),
});
process.stdout.write(`${JSON.stringify({ listening: edge.port })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  const forced = setTimeout(() => process.exit(0), 3000);
  forced.unref();
  await edge.close();
  process.exit(0);
}
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.on("error", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
