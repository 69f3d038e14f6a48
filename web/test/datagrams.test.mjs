// The unreliable voice path end to end in headless Chromium: two pages, the real hub with its datagram endpoint and
// its media edge (hub/src/Collab.MediaEdge, `npm ci` there first). The edge's datagrams to the hub go through a
// loopback UDP relay this test controls, so it can block the path mid-stream: voice falls back to the SignalR
// connection and comes back to the data channel when the path works again.
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createMeetingAsModerator, joinByLink, launchBrowser, repoRoot, screenshot, speechWav, startHub } from "./harness.mjs";

const edgeInstalled = existsSync(join(repoRoot, "hub", "src", "Collab.MediaEdge", "node_modules", "werift"));
let hub;
let chromium;
let relay;

/** A free loopback UDP port (bound, read, closed). */
async function freeUdpPort() {
  const socket = createSocket("udp4");
  await new Promise((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(resolve));
  return port;
}

/**
 * Edge <-> hub relay: datagrams to `port` go on to the hub's endpoint from a second socket, and what the hub sends
 * back there returns to the edge. While `blocked`, nothing passes either way. Counts audio datagrams (first byte 0x11).
 */
async function startRelay(hubPort) {
  const front = createSocket("udp4");
  const back = createSocket("udp4");
  await Promise.all([front, back].map((s) => new Promise((resolve) => s.bind(0, "127.0.0.1", resolve))));
  const state = { blocked: false, edge: undefined, audioToHub: 0, audioToEdge: 0, droppedWhileBlocked: 0 };
  front.on("message", (datagram, from) => {
    if (state.blocked) return void state.droppedWhileBlocked++;
    state.edge = from;
    if (datagram[0] === 0x11) state.audioToHub++;
    back.send(datagram, hubPort, "127.0.0.1");
  });
  back.on("message", (datagram) => {
    if (state.blocked || !state.edge) return void state.droppedWhileBlocked++;
    if (datagram[0] === 0x11) state.audioToEdge++;
    front.send(datagram, state.edge.port, state.edge.address);
  });
  return { state, port: front.address().port, close: () => Promise.all([front, back].map((s) => new Promise((resolve) => s.close(resolve)))) };
}

before(async () => {
  if (!edgeInstalled) return;
  const hubPort = await freeUdpPort();
  relay = await startRelay(hubPort);
  hub = await startHub([
    `--Collab:Voice:Datagrams:Port=${hubPort}`,
    `--Collab:Voice:MediaEdge:HubUdp=127.0.0.1:${relay.port}`,
    "--Collab:Voice:MediaEdge:IceAddresses=127.0.0.1",
  ]);
  chromium = await launchBrowser({ fakeMicWav: speechWav });
});

after(async () => {
  await chromium?.close();
  await hub?.stop();
  await relay?.close();
});

const decodedFrames = (page) => page.evaluate(() => Number(document.querySelector('[aria-label="Voice received"]')?.getAttribute("data-decoded-frames") ?? 0));

/** Waits until the page has decoded `more` frames beyond what it had when called. */
async function decodesMore(page, more, what) {
  const from = await decodedFrames(page);
  await page.waitForFunction((n) => Number(document.querySelector('[aria-label="Voice received"]')?.getAttribute("data-decoded-frames") ?? 0) >= n, from + more, { timeout: 20_000 })
    .catch((error) => { throw new Error(`${what}: ${error.message}`); });
}

async function eventually(check, what, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (let i = 0; Date.now() < deadline && i < ms / 50; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out after ${ms} ms: ${what}`);
}

test("real Opus from the speech sample reaches another page over the data channel; a blocked path falls back to SignalR and recovers", {
  timeout: 120_000, skip: edgeInstalled ? false : "the media edge is not installed: npm ci in hub/src/Collab.MediaEdge",
}, async (t) => {
  const moderatorContext = await chromium.browser.newContext();
  const speakerContext = await chromium.browser.newContext();
  let listener;
  let speaker;
  try {
    listener = await moderatorContext.newPage();
    speaker = await speakerContext.newPage();
    for (const page of [listener, speaker]) page.setDefaultTimeout(20_000);
    const meeting = await createMeetingAsModerator(listener, hub.url, { title: "Direct voice" });
    await joinByLink(speaker, meeting.link, "Ana");
    const path = (page) => page.getByRole("status", { name: "Voice path" });

    await speaker.getByRole("button", { name: /talk/i }).focus();
    await speaker.keyboard.down("Space");
    await speaker.getByRole("status", { name: "Voice status" }).filter({ hasText: "Talking" }).waitFor();
    // Both tabs open their channel (the listener's when its voice engine starts, at the first sound heard).
    for (const page of [speaker, listener]) await path(page).filter({ hasText: "Voice: direct" }).waitFor();
    const before = { ...relay.state };
    await decodesMore(listener, 40, "speech decoded over the data channel");
    assert.ok(relay.state.audioToHub - before.audioToHub >= 10, `the speaker's audio went by datagram (${relay.state.audioToHub - before.audioToHub})`);
    assert.ok(relay.state.audioToEdge - before.audioToEdge >= 10, `the listener's audio came by datagram (${relay.state.audioToEdge - before.audioToEdge})`);
    assert.equal(await path(speaker).getAttribute("data-path"), "unreliable");
    await screenshot(speaker, "voice-direct-speaker");

    // UDP blocked mid-stream: pongs stop, both tabs say so and voice goes on through the SignalR connection.
    relay.state.blocked = true;
    const blockedAt = Date.now();
    for (const page of [speaker, listener]) await path(page).filter({ hasText: "Voice: through the server connection" }).waitFor();
    t.diagnostic(`UDP blocked: both tabs on SignalR after ${Date.now() - blockedAt} ms`);
    await decodesMore(listener, 40, "speech decoded through SignalR while UDP is blocked");
    assert.equal(await path(listener).getAttribute("data-path"), "signalr");
    assert.ok(relay.state.droppedWhileBlocked > 0);
    await screenshot(speaker, "voice-fallback-speaker");

    // The path works again: pings get answers, voice returns to the data channel.
    relay.state.blocked = false;
    const unblockedAt = Date.now();
    for (const page of [speaker, listener]) await path(page).filter({ hasText: "Voice: direct" }).waitFor();
    t.diagnostic(`UDP unblocked: both tabs direct again after ${Date.now() - unblockedAt} ms`);
    const back = { ...relay.state };
    await decodesMore(listener, 40, "speech decoded over the data channel again");
    await eventually(() => relay.state.audioToHub - back.audioToHub >= 10 && relay.state.audioToEdge - back.audioToEdge >= 10, "audio by datagram both ways after recovery");
    await speaker.keyboard.up("Space");
    const concealed = await listener.getByLabel("Voice received").textContent();
    assert.match(concealed ?? "", /\d/);
  } catch (error) {
    for (const [name, page] of [["speaker", speaker], ["listener", listener]]) {
      error.message += `\n${name}: ${await page.evaluate(() => [...document.querySelectorAll('[aria-label="Voice path"]')].map((e) => `${e.outerHTML} visible=${e.checkVisibility()}`).join(" | ")).catch((e) => e.message)}`;
    }
    error.message += `\nrelay: ${JSON.stringify(relay.state)}\nhub output (end):\n${hub.output().slice(-6000)}`;
    throw error;
  } finally {
    await moderatorContext.close();
    await speakerContext.close();
  }
});
