// End to end on loopback: real headless Chromium opens the "voice" data channel (unordered, no retransmission) to
// the real edge process; this test plays the hub node's datagram endpoint on a real UDP socket with the real framing.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { after, before, test } from "node:test";
import { Direction, Type, open, readHeader, seal } from "../framing.mjs";
import { eventually, launchBrowser, startEdge } from "./support.mjs";

let chromium;
before(async () => {
  chromium = await launchBrowser();
});
after(() => chromium?.close());

/** The hub's side: a UDP socket on loopback that keeps every datagram it receives. */
async function fakeHubEndpoint() {
  const socket = createSocket("udp4");
  const received = [];
  socket.on("message", (datagram, from) => received.push({ datagram, from }));
  await new Promise((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { socket, received, address: `127.0.0.1:${socket.address().port}`, close: () => socket.close() };
}

/** A page with an offer for the "voice" channel as Collab's client makes it; returns the SDP after ICE gathering. */
async function offerFrom(page) {
  return page.evaluate(async () => {
    const pc = new RTCPeerConnection();
    const channel = pc.createDataChannel("voice", { ordered: false, maxRetransmits: 0 });
    channel.binaryType = "arraybuffer";
    Object.assign(window, { pc, channel, received: [] });
    channel.onmessage = (event) => window.received.push(Array.from(new Uint8Array(event.data)));
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("ICE gathering did not complete in 5 s")), 5000);
      const done = () => pc.iceGatheringState === "complete" && (clearTimeout(timer), resolve());
      pc.addEventListener("icegatheringstatechange", done);
      done();
    });
    return pc.localDescription.sdp;
  });
}

async function openChannel(edge, page, sessionId, key) {
  const offer = await offerFrom(page);
  const response = await edge.request("/sessions", { method: "POST", body: { sessionId: sessionId.toString("base64"), key: key.toString("base64"), offer } });
  assert.equal(response.status, 200, await response.clone().text());
  const { answer } = await response.json();
  assert.match(answer, /^v=0/);
  for (const line of answer.split("\r\n").filter((l) => l.startsWith("a=candidate:"))) assert.equal(line.split(" ")[4], "127.0.0.1", line);
  await page.evaluate((sdp) => window.pc.setRemoteDescription({ type: "answer", sdp }), answer);
  await page.waitForFunction(() => window.channel.readyState === "open", null, { timeout: 15_000 });
}

const send = (page, bytes) => page.evaluate((b) => window.channel.send(new Uint8Array(b)), [...bytes]);
const stats = async (edge) => (await edge.request("/stats")).json();

test("browser channel messages reach the hub as authenticated datagrams; the hub's datagrams reach the browser, forged and replayed ones do not", async () => {
  const hub = await fakeHubEndpoint();
  const edge = await startEdge({ hubUdp: hub.address });
  const page = await chromium.browser.newPage();
  try {
    const sessionId = randomBytes(8);
    const key = randomBytes(16);
    await openChannel(edge, page, sessionId, key);
    assert.deepEqual(await page.evaluate(() => [window.channel.ordered, window.channel.maxRetransmits]), [false, 0]);

    // browser -> edge -> hub: a ping, then an audio batch (the "one packet" AudioBatch of packets.json)
    const clock = Buffer.from("0000019a2b3c4d5e", "hex");
    const batch = Buffer.from("01000d1106002900004b001428f8fffe", "hex");
    await send(page, [Type.ping, ...clock]);
    await send(page, [Type.audio, ...batch]);
    await send(page, [Type.pong, 1, 2]); // not a browser's to send: dropped
    await eventually(() => (hub.received.length >= 2 ? true : undefined), { what: "two datagrams at the hub" });
    const opened = hub.received.map(({ datagram }) => {
      const header = readHeader(datagram);
      assert.equal(header.sessionId.toString("hex"), sessionId.toString("hex"));
      return { type: header.type, counter: header.counter, payload: open({ key, direction: Direction.clientToHub, datagram, counter: header.counter })?.toString("hex") };
    });
    opened.sort((a, b) => Number(a.counter - b.counter)); // the channel is unordered
    assert.deepEqual(opened, [
      { type: Type.ping, counter: 1n, payload: clock.toString("hex") },
      { type: Type.audio, counter: 2n, payload: batch.toString("hex") },
    ]);
    assert.equal(open({ key: randomBytes(16), direction: Direction.clientToHub, datagram: hub.received[0].datagram, counter: 1n }), null);
    const edgeAddress = hub.received[0].from;

    // hub -> edge -> browser: a pong and audio from a speaker, each with the hub's own counter
    const toEdge = (datagram) => new Promise((resolve) => hub.socket.send(datagram, edgeAddress.port, edgeAddress.address, resolve));
    const speaker = Buffer.from("speaker-1");
    const audio = Buffer.concat([Buffer.from([speaker.length]), speaker, batch]);
    const pong = seal({ key, sessionId, direction: Direction.hubToClient, counter: 1n, type: Type.pong, payload: clock });
    await toEdge(pong);
    await toEdge(seal({ key, sessionId, direction: Direction.hubToClient, counter: 2n, type: Type.audio, payload: audio }));
    await eventually(async () => ((await page.evaluate(() => window.received.length)) >= 2 ? true : undefined), { what: "two messages in the browser" });

    // forged (another key), replayed, for another session, sealed for the wrong direction: none is delivered
    await toEdge(seal({ key: randomBytes(16), sessionId, direction: Direction.hubToClient, counter: 3n, type: Type.pong, payload: clock }));
    await toEdge(pong);
    await toEdge(seal({ key, sessionId: randomBytes(8), direction: Direction.hubToClient, counter: 4n, type: Type.pong, payload: clock }));
    await toEdge(seal({ key, sessionId, direction: Direction.clientToHub, counter: 5n, type: Type.pong, payload: clock }));
    await eventually(async () => {
      const { dropped } = await stats(edge);
      return dropped.auth >= 2 && dropped.replay >= 1 && dropped.unknown >= 1 ? true : undefined;
    }, { what: "the edge to count the forged, replayed and unknown datagrams" });
    // then a good one, which proves the channel still carries what the hub sends
    await toEdge(seal({ key, sessionId, direction: Direction.hubToClient, counter: 6n, type: Type.pong, payload: Buffer.alloc(8, 7) }));
    await eventually(async () => ((await page.evaluate(() => window.received.length)) >= 3 ? true : undefined), { what: "the last pong" });
    const received = (await page.evaluate(() => window.received)).map((m) => Buffer.from(m).toString("hex"));
    assert.deepEqual(received.sort(), [
      Buffer.concat([Buffer.from([Type.pong]), clock]).toString("hex"),
      Buffer.concat([Buffer.from([Type.audio]), audio]).toString("hex"),
      Buffer.concat([Buffer.from([Type.pong]), Buffer.alloc(8, 7)]).toString("hex"),
    ].sort());
    const counted = await stats(edge);
    assert.equal(counted.toBrowser, 3);
    assert.equal(counted.toHub, 2);
    assert.equal(counted.dropped.refused, 1, "the browser's pong");

    // the hub drops the session: the edge closes the peer connection and forgets the key
    assert.equal((await edge.request(`/sessions/${sessionId.toString("base64url")}`, { method: "DELETE" })).status, 204);
    await page.waitForFunction(() => window.channel.readyState === "closed", null, { timeout: 15_000 });
    await toEdge(seal({ key, sessionId, direction: Direction.hubToClient, counter: 7n, type: Type.pong, payload: clock }));
    await eventually(async () => ((await stats(edge)).dropped.unknown >= 2 ? true : undefined), { what: "a datagram for the dropped session to be refused" });
    assert.equal((await stats(edge)).sessions, 0);
  } finally {
    await page.close();
    await edge.stop();
    hub.close();
  }
});

test("a session whose channel never opens is dropped after the open timeout; sessions are bounded", async () => {
  const hub = await fakeHubEndpoint();
  const edge = await startEdge({ hubUdp: hub.address, env: { COLLAB_EDGE_OPEN_TIMEOUT_MS: "1000", COLLAB_EDGE_MAX_SESSIONS: "1" } });
  const page = await chromium.browser.newPage();
  try {
    const session = async () => ({ sessionId: randomBytes(8).toString("base64"), key: randomBytes(16).toString("base64"), offer: await offerFrom(page) });
    assert.equal((await edge.request("/sessions", { method: "POST", body: await session() })).status, 200); // the answer never reaches the page
    const full = await edge.request("/sessions", { method: "POST", body: await session() });
    assert.equal(full.status, 503);
    assert.match((await full.json()).error, /maximum of 1 sessions/);
    await eventually(async () => ((await stats(edge)).sessions === 0 ? true : undefined), { what: "the unopened session to be dropped" });
    assert.match(edge.output(), /no data channel within 1000 ms/);
    assert.equal((await edge.request("/sessions", { method: "POST", body: await session() })).status, 200, "room again");
  } finally {
    await page.close();
    await edge.stop();
    hub.close();
  }
});
