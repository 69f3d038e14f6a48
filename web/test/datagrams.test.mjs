// The unreliable voice path end to end in headless Chromium: two pages, the real hub with its datagram endpoint and
// its media edge (hub/src/Collab.MediaEdge, `npm ci` there first). The edge's datagrams to the hub go through a
// loopback UDP relay this test controls, so it can block the path mid-stream: voice falls back to the SignalR
// connection and comes back to the data channel when the path works again. A .NET participant (`collab-load speak
// --voice-path unreliable`) talks to the hub's endpoint directly: heard by a page on its data channel, and hearing one.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { collabLoadDll, createMeetingAsModerator, joinByLink, launchBrowser, repoRoot, screenshot, speechWav, startHub } from "./harness.mjs";

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
 * back there returns to the edge. While `blocked`, nothing passes either way. Counts audio datagrams (first byte 0x11)
 * and every datagram passed on to the hub.
 */
async function startRelay(hubPort) {
  const front = createSocket("udp4");
  const back = createSocket("udp4");
  await Promise.all([front, back].map((s) => new Promise((resolve) => s.bind(0, "127.0.0.1", resolve))));
  const state = { blocked: false, edge: undefined, toHub: 0, audioToHub: 0, audioToEdge: 0, droppedWhileBlocked: 0 };
  front.on("message", (datagram, from) => {
    if (state.blocked) return void state.droppedWhileBlocked++;
    state.edge = from;
    state.toHub++;
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
    "--Collab:Telemetry:Prometheus=true",
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

/** A counter from the hub's /metrics (Prometheus text; OpenTelemetry adds `_total`), summed over its series; 0 before its first count. */
async function hubCounter(name) {
  const response = await fetch(`${hub.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(response.status, 200, "the hub serves /metrics");
  const series = [...(await response.text()).matchAll(new RegExp(`^${name}(?:_total)?(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?)`, "gm"))];
  return series.reduce((sum, [, value]) => sum + Number(value), 0);
}

test("a .NET speaker on the datagram path is heard by a page on its data channel, and a page speaking on its channel is decoded by .NET over datagrams", {
  timeout: 120_000, skip: !edgeInstalled ? "the media edge is not installed: npm ci in hub/src/Collab.MediaEdge"
    : collabLoadDll() ? false : "the load generator is not built: dotnet build loadtests/src/Collab.LoadGenerator",
}, async (t) => {
  const startedAt = Date.now();
  const contexts = await Promise.all([0, 1].map(() => chromium.browser.newContext()));
  let dotnet;
  let stdout = "";
  let stderr = "";
  let listener;
  let speaker;
  try {
    [listener, speaker] = await Promise.all(contexts.map((c) => c.newPage()));
    for (const page of [listener, speaker]) page.setDefaultTimeout(20_000);
    const meeting = await createMeetingAsModerator(listener, hub.url, { title: "Direct both ways" });
    await joinByLink(speaker, meeting.link, "Ana");
    const path = (page) => page.getByRole("status", { name: "Voice path" });

    // The listener talks a moment first: its press starts its voice engine, and its sound the other page's, and with
    // them both pages' data channels. The listener hears nobody, so what it decodes next is the .NET speaker alone.
    await listener.getByRole("button", { name: /talk/i }).focus();
    await listener.keyboard.down("Space");
    await listener.getByRole("status", { name: "Voice status" }).filter({ hasText: /^Talking$/ }).waitFor();
    for (const page of [listener, speaker]) await path(page).filter({ hasText: "Voice: direct" }).waitFor();
    await listener.keyboard.up("Space");
    await listener.getByRole("status", { name: "Voice status" }).filter({ hasText: "Not talking" }).waitFor();
    assert.equal(await decodedFrames(listener), 0);
    const relayBefore = { ...relay.state };
    const hubInBefore = await hubCounter("collab_voice_datagrams_in");

    // The .NET participant speaks the speech sample for 4 s by datagram only (no SignalR fallback), and stays 5 s
    // more decoding what it hears, by whichever path the hub sends it (by datagram while its session is live).
    dotnet = spawn("dotnet", [collabLoadDll(), "speak", "--hub", hub.url, "--meeting", meeting.meetingId, "--code", meeting.joinCode,
      "--seconds", "9", "--speak-seconds", "4", "--voice-path", "unreliable"], { stdio: ["ignore", "pipe", "pipe"] });
    dotnet.stdout.setEncoding("utf8").on("data", (c) => (stdout += c));
    dotnet.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
    const exited = new Promise((resolve) => dotnet.once("exit", resolve));
    const spawnedAt = Date.now();

    await decodesMore(listener, 1, "the .NET speaker's first sound");
    const heardAt = Date.now();
    const heard = { ...relay.state };
    await decodesMore(listener, 40, "the .NET speaker decoded on the listener's data channel");
    const heardInBrowser = Number(await listener.getByLabel("Voice received").getAttribute("data-decoded-dbfs"));
    assert.ok(heardInBrowser > -45, `the page decoded the .NET speaker at ${heardInBrowser} dBFS`);
    assert.equal(await path(listener).getAttribute("data-path"), "unreliable", "the listener stayed on its data channel");
    assert.ok(relay.state.audioToEdge - heard.audioToEdge >= 20, `the .NET speaker's audio came to the pages by datagram (${relay.state.audioToEdge - heard.audioToEdge})`);
    assert.equal(relay.state.audioToHub, relayBefore.audioToHub, "the pages sent no audio meanwhile");
    t.diagnostic(`collab-load first heard after ${heardAt - spawnedAt} ms, 40 frames decoded ${Date.now() - heardAt} ms later`);

    // Back: the other page, already on its data channel, talks until the .NET participant leaves.
    await speaker.getByRole("button", { name: /talk/i }).focus();
    await speaker.keyboard.down("Space");
    await speaker.getByRole("status", { name: "Voice status" }).filter({ hasText: /^Talking$/ }).waitFor();
    const talking = { ...relay.state };
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve("timeout"), 30_000))]);
    await speaker.keyboard.up("Space");
    assert.equal(code, 0, `collab-load speak exited with ${code}: ${stderr}`);
    assert.equal(await path(speaker).getAttribute("data-path"), "unreliable", "the page spoke on its data channel");
    assert.ok(relay.state.audioToHub - talking.audioToHub >= 20, `the page's audio went by datagram (${relay.state.audioToHub - talking.audioToHub})`);

    const report = JSON.parse(stdout.trim().split("\n").pop());
    t.diagnostic(`.NET report: ${JSON.stringify(report)}`);
    assert.ok(report.framesSent >= 90, `the .NET speaker sent ${report.framesSent} frames`);
    assert.equal(report.voiceUnavailable, null);
    assert.equal(report.voicePath, "unreliable", "the .NET participant's pings were answered to the end");
    assert.ok(report.batchesSent.unreliable >= report.framesSent / 2, `${report.batchesSent.unreliable} batches of two 40 ms frames by datagram`);
    assert.equal(report.batchesSent.signalr, 0, "nothing by SignalR");
    assert.ok(report.framesDecoded >= 40, `.NET decoded ${report.framesDecoded} frames of the page`);
    assert.ok(report.framesHeard.unreliable >= 40, `.NET heard ${report.framesHeard.unreliable} of them first by datagram (${report.framesHeard.signalr} by SignalR)`);
    assert.ok(report.decodedDbfs > -45, `.NET decoded the page at ${report.decodedDbfs} dBFS`);

    // The hub's own count: what it took in by datagram beyond what came through the edge's relay is the .NET
    // participant's, its audio batches and its pings.
    const fromDotnet = (await hubCounter("collab_voice_datagrams_in")) - hubInBefore - (relay.state.toHub - relayBefore.toHub);
    assert.ok(fromDotnet >= report.batchesSent.unreliable, `the hub took ${fromDotnet} datagrams from .NET, which sent ${report.batchesSent.unreliable} audio batches`);
    t.diagnostic(`the hub took ${fromDotnet} datagrams from .NET (${report.batchesSent.unreliable} audio batches, the rest pings)`);
    t.diagnostic(`both directions in ${Date.now() - startedAt} ms`);
  } catch (error) {
    error.message += `\n.NET stdout: ${stdout}\n.NET stderr: ${stderr.slice(-3000)}\nrelay: ${JSON.stringify(relay.state)}\nhub output (end):\n${hub.output().slice(-6000)}`;
    throw error;
  } finally {
    if (dotnet && dotnet.exitCode === null) process.kill(dotnet.pid, "SIGKILL");
    await Promise.all(contexts.map((c) => c.close()));
  }
});
