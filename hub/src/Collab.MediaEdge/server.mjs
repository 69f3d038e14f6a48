// The media edge's parts: the hub's HTTP API (bearer secret), the browser sessions (werift peer connections with
// the "voice" data channel the browser opens) and the one UDP socket toward the hub's datagram endpoint.
import { timingSafeEqual, createHash } from "node:crypto";
import { createSocket } from "node:dgram";
import { createServer } from "node:http";
import { isIP, isIPv6 } from "node:net";
import { RTCPeerConnection } from "werift";
import { Direction, KEY_BYTES, MAX_PAYLOAD_BYTES, ReplayWindow, SESSION_ID_BYTES, Type, open, readHeader, seal } from "./framing.mjs";

const MAX_BODY_BYTES = 64 * 1024; // an SDP offer is 1-3 KB
const GATHER_TIMEOUT_MS = 5000;
const MAX_CHANNEL_BUFFERED_BYTES = 64 * 1024; // about 2 s of the top profile; past it a datagram is dropped (late anyway)
const CHANNEL_LABEL = "voice";

const digest = (text) => createHash("sha256").update(text).digest();

/** Drops counted by reason, as the hub's collab.voice.datagrams.dropped. */
function newStats() {
  return { sessions: 0, opened: 0, toHub: 0, toBrowser: 0, dropped: { unknown: 0, auth: 0, replay: 0, size: 0, refused: 0 } };
}

/**
 * Starts the edge: resolves to { port, close(), stats }. `iceAddresses` (optional) are the only host addresses the
 * answers advertise and the only local addresses ICE pairs use (loopback included when listed).
 */
export async function startEdge({ secret, hubUdp, maxSessions, openTimeoutMs, iceAddresses = [], icePortRange, log = () => {} }) {
  const secretDigest = digest(`Bearer ${secret}`);
  const sessions = new Map(); // session id (hex) -> Session
  const stats = newStats();
  const udp = createSocket(isIPv6(hubUdp.host) ? "udp6" : "udp4");
  await new Promise((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(0, isIPv6(hubUdp.host) ? "::1" : "127.0.0.1", () => {
      udp.off("error", reject);
      resolve();
    });
  });
  udp.on("error", (error) => log(`udp socket error: ${error.message}`));

  udp.on("message", (datagram, from) => {
    if (from.port !== hubUdp.port || (isIP(hubUdp.host) && from.address !== hubUdp.host)) return; // only the hub's endpoint talks here
    const header = readHeader(datagram);
    if (header.reason) return void stats.dropped.size++;
    const session = sessions.get(header.sessionId.toString("hex"));
    if (!session) return void stats.dropped.unknown++;
    if (!session.window.fresh(header.counter)) return void stats.dropped.replay++;
    const payload = open({ key: session.key, direction: Direction.hubToClient, datagram, counter: header.counter });
    if (!payload) return void stats.dropped.auth++;
    session.window.accept(header.counter);
    const channel = session.channel;
    if (!channel || channel.readyState !== "open" || channel.bufferedAmount > MAX_CHANNEL_BUFFERED_BYTES) return void stats.dropped.refused++;
    const message = Buffer.allocUnsafe(1 + payload.length);
    message[0] = header.type;
    payload.copy(message, 1);
    try {
      channel.send(message);
      stats.toBrowser++;
    } catch {
      stats.dropped.refused++;
    }
  });

  function toHub(session, data) {
    const message = Buffer.isBuffer(data) ? data : Buffer.from(data);
    const type = message[0];
    // A browser sends audio and pings; anything else, or a payload too large for one datagram, is dropped.
    if (message.length < 1 || message.length - 1 > MAX_PAYLOAD_BYTES) return void stats.dropped.size++;
    if (type !== Type.audio && type !== Type.ping) return void stats.dropped.refused++;
    session.counter++;
    const datagram = seal({ key: session.key, sessionId: session.id, direction: Direction.clientToHub, counter: session.counter, type, payload: message.subarray(1) });
    udp.send(datagram, hubUdp.port, hubUdp.host);
    stats.toHub++;
  }

  function drop(session, why) {
    if (sessions.get(session.hex) !== session) return;
    sessions.delete(session.hex);
    stats.sessions = sessions.size;
    clearTimeout(session.openTimer);
    session.pc.close().catch(() => undefined);
    log(`session ${session.hex.slice(0, 4)}… closed (${why})`);
  }

  const allowedIce = new Set(iceAddresses);
  async function answer(id, key, offer) {
    const hex = id.toString("hex");
    const existing = sessions.get(hex);
    if (existing) drop(existing, "replaced");
    if (sessions.size >= maxSessions) return { status: 503, body: { error: `The media edge holds its maximum of ${maxSessions} sessions` } };
    const pc = new RTCPeerConnection({
      iceUseIpv6: false,
      ...(iceAddresses.length ? { iceAdditionalHostAddresses: iceAddresses, iceFilterCandidatePair: (pair) => allowedIce.has(pair.localCandidate.host) } : {}),
      ...(icePortRange ? { icePortRange } : {}),
    });
    const session = { id: Buffer.from(id), hex, key: Buffer.from(key), pc, channel: null, counter: 0n, window: new ReplayWindow(), openTimer: null };
    sessions.set(hex, session);
    stats.sessions = sessions.size;
    session.openTimer = setTimeout(() => drop(session, `no data channel within ${openTimeoutMs} ms`), openTimeoutMs);
    pc.onDataChannel.subscribe((channel) => {
      if (channel.label !== CHANNEL_LABEL || session.channel) return void channel.close();
      session.channel = channel;
      channel.onMessage.subscribe((data) => {
        if (sessions.get(hex) === session) toHub(session, data);
      });
      const opened = () => {
        clearTimeout(session.openTimer);
        stats.opened++;
      };
      if (channel.readyState === "open") opened();
      else channel.stateChanged.subscribe((state) => state === "open" && opened());
      channel.stateChanged.subscribe((state) => state === "closed" && drop(session, "channel closed"));
    });
    pc.connectionStateChange.subscribe((state) => (state === "failed" || state === "closed") && drop(session, `connection ${state}`));
    try {
      await pc.setRemoteDescription({ type: "offer", sdp: offer });
      await pc.setLocalDescription(await pc.createAnswer());
      if (pc.iceGatheringState !== "complete") {
        await new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`ICE gathering did not complete within ${GATHER_TIMEOUT_MS} ms`)), GATHER_TIMEOUT_MS);
          pc.iceGatheringStateChange.subscribe((state) => state === "complete" && (clearTimeout(timer), resolve()));
        });
      }
    } catch (error) {
      drop(session, "offer refused");
      return { status: 400, body: { error: `The offer was not accepted: ${error.message}` } };
    }
    let sdp = pc.localDescription.sdp;
    if (iceAddresses.length) sdp = sdp.split("\r\n").filter((line) => !line.startsWith("a=candidate:") || allowedIce.has(line.split(" ")[4])).join("\r\n");
    return { status: 200, body: { answer: sdp } };
  }

  function authorized(request) {
    const given = digest(request.headers.authorization ?? "");
    return timingSafeEqual(given, secretDigest);
  }

  function decodeId(text, encoding) {
    const bytes = Buffer.from(text, encoding);
    return bytes.length === SESSION_ID_BYTES ? bytes : null;
  }

  async function readJson(request) {
    let size = 0;
    const chunks = [];
    for await (const chunk of request) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return { tooLarge: true };
      chunks.push(chunk);
    }
    try {
      return { value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
    } catch {
      return { value: null };
    }
  }

  async function handle(request) {
    if (!authorized(request)) return { status: 401, body: { error: "A bearer secret is required" } };
    const path = new URL(request.url, "http://edge").pathname;
    if (request.method === "POST" && path === "/sessions") {
      const { value, tooLarge } = await readJson(request);
      if (tooLarge) return { status: 413, body: { error: `The body is over ${MAX_BODY_BYTES} bytes` } };
      const id = typeof value?.sessionId === "string" ? decodeId(value.sessionId, "base64") : null;
      const key = typeof value?.key === "string" ? Buffer.from(value.key, "base64") : null;
      if (!id || key?.length !== KEY_BYTES || typeof value?.offer !== "string" || !value.offer.startsWith("v=0")) {
        return { status: 400, body: { error: "Expected {sessionId: base64 of 8 bytes, key: base64 of 16 bytes, offer: SDP}" } };
      }
      return answer(id, key, value.offer);
    }
    const match = /^\/sessions\/([A-Za-z0-9_-]{11})$/.exec(path);
    if (request.method === "DELETE" && match) {
      const id = decodeId(match[1], "base64url");
      const session = id && sessions.get(id.toString("hex"));
      if (!session) return { status: 404, body: { error: "No such session" } };
      drop(session, "closed by the hub");
      return { status: 204 };
    }
    if (request.method === "GET" && path === "/stats") return { status: 200, body: stats };
    return { status: 404, body: { error: "Not found" } };
  }

  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5000, maxHeaderSize: 8192 }, (request, response) => {
    handle(request).then(
      ({ status, body }) => {
        response.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
        response.end(body === undefined ? undefined : JSON.stringify(body));
      },
      (error) => {
        log(`request failed: ${error.message}`);
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: "The edge failed on this request" }));
      },
    );
  });
  server.maxConnections = 64;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  log(`listening on 127.0.0.1:${server.address().port}, datagrams toward ${hubUdp.host}:${hubUdp.port} from udp port ${udp.address().port}`);

  return {
    port: server.address().port,
    udpPort: udp.address().port,
    stats,
    async close() {
      for (const session of [...sessions.values()]) drop(session, "edge stopping");
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      udp.close();
    },
  };
}
