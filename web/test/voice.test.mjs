// Voice in real headless Chromium: WebCodecs Opus on the ladder's rungs with the fake microphone fed by the
// committed speech WAV. The loopback tests run the client's real voice modules in one page (no hub audio needed);
// the meeting test sends voice from one page to the other through the hub.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { build } from "esbuild";
import { collabLoadDll, createMeetingAsModerator, joinByLink, launchBrowser, repoRoot, screenshot, speechWav, startHub } from "./harness.mjs";

const hubHasAudio = readFileSync(join(repoRoot, "hub", "src", "Collab.Hub", "Hubs", "MeetingHub.cs"), "utf8").includes("PublishAudio");
let hub;
let chromium;

let loopbackScript;
/** The worklet's URL in the built bundle (named by its content hash). */
const workletUrl = () => `/app/${readdirSync(join(repoRoot, "hub", "src", "Collab.Hub", "wwwroot", "app")).find((f) => /^voice-worklet-.*\.js$/.test(f))}`;

before(async () => {
  const bundled = await build({
    entryPoints: [join(repoRoot, "web", "test", "fixtures", "voice-loopback.ts")],
    bundle: true, write: false, format: "esm", target: "chrome110", logLevel: "warning",
  });
  loopbackScript = bundled.outputFiles[0].text;
  hub = await startHub();
  chromium = await launchBrowser({ fakeMicWav: speechWav });
});

after(async () => {
  await chromium?.close();
  await hub?.stop();
});

/** A page on the hub's origin (a secure context at 127.0.0.1) that loads the loopback script. */
async function loopbackPage() {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.route(`${hub.url}/__voice-loopback.html`, (route) => route.fulfill({
    contentType: "text/html", body: '<!doctype html><meta charset="utf-8"><script type="module" src="/__voice-loopback.js"></script>',
  }));
  await page.route(`${hub.url}/__voice-loopback.js`, (route) => route.fulfill({ contentType: "text/javascript", body: loopbackScript }));
  await page.goto(`${hub.url}/__voice-loopback.html`);
  await page.waitForFunction(() => typeof window.runLoopback === "function");
  return { page, close: () => context.close() };
}

const T = { timeout: 60_000 };

/** Milliseconds of audio in an Opus packet from its TOC byte (RFC 6716 §3.1): frame size by config × frame count. */
function opusDurationMs([toc, second]) {
  const config = toc >> 3;
  const size = config < 12 ? [10, 20, 40, 60][config % 4] : config < 16 ? [10, 20][config % 2] : [2.5, 5, 10, 20][config % 4];
  const code = toc & 3;
  const frames = code === 0 ? 1 : code < 3 ? 2 : second & 0x3f;
  return size * frames;
}

/** The bandwidth an Opus packet codes (RFC 6716 table 2). */
function opusBand(toc) {
  const config = toc >> 3;
  if (config < 12) return ["narrow", "medium", "wide"][Math.floor(config / 4)];
  if (config < 16) return config < 14 ? "super-wide" : "full";
  return ["narrow", "wide", "super-wide", "full"][Math.floor((config - 16) / 4)];
}

describe("voice", () => {
  test("standard rung: speech from the microphone is encoded as 40 ms Opus packets, batched, decoded and played", T, async () => {
    const { page, close } = await loopbackPage();
    try {
      const r = await page.evaluate((url) => window.runLoopback({ profileId: 4, dropEvery: 0, seconds: 3, workletUrl: url }), workletUrl());
      assert.deepEqual(r.errors, []);
      assert.ok(r.sender.framesEncoded >= 60, `encoded ${r.sender.framesEncoded} frames in 3 s of 40 ms frames`);
      assert.ok(r.headers.length >= 30, `sent ${r.headers.length} packets`);
      for (const h of r.headers) {
        assert.equal(h.profileId, 4);
        assert.equal(h.durationMs, 40);
        assert.ok(h.level >= 0 && h.level <= 127);
      }
      // Sequences advance by one per packet sent; timestamps by whole 40 ms frames (DTX gaps skip time, not sequence).
      for (let i = 1; i < r.headers.length; i++) {
        assert.equal(r.headers[i].sequence, (r.headers[i - 1].sequence + 1) & 0xffff);
        const step = (r.headers[i].timestamp - r.headers[i - 1].timestamp) >>> 0;
        assert.ok(step >= 1920 && step % 1920 === 0, `timestamp step ${step}`);
      }
      assert.ok(r.headers.some((h) => h.voiceActivity && h.level < 40), "speech frames carry a speech level");
      // Two 40 ms frames per message; a talk spurt's last message (or one cut by DTX silence) may carry one.
      assert.ok(r.batchSizes.every((n) => n === 1 || n === 2), `batch sizes ${[...new Set(r.batchSizes)]}`);
      assert.ok(r.batchSizes.filter((n) => n === 2).length * 2 >= r.batchSizes.length, "the standard rung sends two packets per message");
      // The encoder really used the rung's frame duration: each Opus packet holds 40 ms, as its header says.
      assert.deepEqual([...new Set(r.tocs.map(opusDurationMs))], [40]);
      assert.ok(r.tocs.every(([toc]) => ["wide", "super-wide", "full"].includes(opusBand(toc))), `bands ${[...new Set(r.tocs.map(([t]) => opusBand(t)))]}`);
      assert.ok(r.totals.decodedFrames >= 30, `decoded ${r.totals.decodedFrames} frames`);
      assert.ok(r.totals.decodedDbfs > -45, `decoded speech at ${r.totals.decodedDbfs.toFixed(1)} dBFS`);
      assert.equal(r.totals.lost, 0);
      assert.ok(r.playback.played > 48_000, `the worklet played ${r.playback.played} samples`);
      assert.ok(r.playback.energy > 0, "the worklet's output carries signal");
    } finally {
      await close();
    }
  });

  test("a batch that arrives by both paths (around a path switch) is played once: duplicates are neither late nor lost", T, async () => {
    const { page, close } = await loopbackPage();
    try {
      const r = await page.evaluate((url) => window.runLoopback({ profileId: 4, dropEvery: 0, duplicateEvery: 2, seconds: 3, workletUrl: url }), workletUrl());
      assert.deepEqual(r.errors, []);
      assert.ok(r.totals.duplicates >= r.headers.length / 4, `dropped ${r.totals.duplicates} duplicates of ${r.headers.length} packets`);
      assert.equal(r.totals.packets, r.headers.length, "each packet counted once");
      assert.equal(r.totals.late, 0);
      assert.equal(r.totals.lost, 0);
      assert.ok(r.totals.decodedFrames >= 30, `decoded ${r.totals.decodedFrames} frames`);
    } finally {
      await close();
    }
  });

  test("narrow-red rung: each packet carries the previous frame, so lost messages are rebuilt from redundancy", T, async () => {
    const { page, close } = await loopbackPage();
    try {
      const r = await page.evaluate((url) => window.runLoopback({ profileId: 1, dropEvery: 4, seconds: 4, workletUrl: url }), workletUrl());
      assert.deepEqual(r.errors, []);
      assert.ok(r.headers.every((h) => h.profileId === 1 && h.durationMs === 60));
      assert.deepEqual([...new Set(r.tocs.map(opusDurationMs))], [60], "60 ms Opus packets");
      assert.ok(r.redundantCounts.filter((n) => n === 1).length >= r.redundantCounts.length * 0.7, `redundant blocks: ${r.redundantCounts.join(",")}`);
      assert.ok(r.dropped >= 5, `dropped ${r.dropped} packets`);
      assert.ok(r.totals.lost >= r.dropped - 1, `the receiver saw ${r.totals.lost} losses of ${r.dropped} dropped`);
      assert.ok(r.totals.recovered >= r.dropped * 0.5, `recovered ${r.totals.recovered} of ${r.dropped} from redundancy`);
      assert.equal(r.totals.recovered + r.totals.concealedFrames, r.totals.lost, "every loss is recovered or concealed");
      assert.ok(r.totals.decodedDbfs > -45, `decoded speech at ${r.totals.decodedDbfs.toFixed(1)} dBFS`);
    } finally {
      await close();
    }
  });

  test("heavy-red rung: 120 ms packets carry an exact copy of the previous frame and a smaller re-encoding of the one before, built in the client", T, async () => {
    const { page, close } = await loopbackPage();
    try {
      const r = await page.evaluate((url) => window.runLoopback({ profileId: 7, dropEvery: 3, seconds: 5, workletUrl: url }), workletUrl());
      assert.deepEqual(r.errors, []);
      assert.ok(r.headers.every((h) => h.profileId === 7 && h.durationMs === 120));
      assert.deepEqual([...new Set(r.tocs.map(opusDurationMs))], [120], "120 ms Opus packets");
      assert.ok(r.redundantCounts.filter((n) => n === 2).length >= r.redundantCounts.length * 0.6, `redundant blocks: ${r.redundantCounts.join(",")}`);
      const previous = r.copies.filter((c) => c.distance === 1);
      const older = r.copies.filter((c) => c.distance === 2);
      assert.ok(previous.length >= 10 && previous.every((c) => c.exact), "the previous frame is copied byte for byte");
      assert.ok(older.length >= 10 && older.every((c) => !c.exact), "the frame before it is a second encoding");
      const ratio = older.reduce((n, c) => n + c.bytes, 0) / older.reduce((n, c) => n + c.primaryBytes, 0);
      assert.ok(ratio < 0.85, `re-encoded copies are ${(ratio * 100).toFixed(0)} % of the primaries' size (6 kb/s against 10 kb/s)`);
      assert.ok(r.dropped >= 5, `dropped ${r.dropped} packets`);
      assert.ok(r.totals.recovered >= r.dropped * 0.8, `recovered ${r.totals.recovered} of ${r.dropped} from redundancy`);
      assert.equal(r.totals.recovered + r.totals.concealedFrames, r.totals.lost, "every loss is recovered or concealed");
      assert.ok(r.totals.decodedDbfs > -45, `decoded speech at ${r.totals.decodedDbfs.toFixed(1)} dBFS`);
    } finally {
      await close();
    }
  });

  test("lifeline rung: two 60 ms packets per message; losses without redundancy are concealed", T, async () => {
    const { page, close } = await loopbackPage();
    try {
      const r = await page.evaluate((url) => window.runLoopback({ profileId: 0, dropEvery: 5, seconds: 4, workletUrl: url }), workletUrl());
      assert.deepEqual(r.errors, []);
      assert.ok(r.batchSizes.slice(0, -1).filter((n) => n === 2).length >= (r.batchSizes.length - 1) * 0.8, `batch sizes ${r.batchSizes.join(",")}`);
      assert.ok(r.redundantCounts.every((n) => n === 0));
      assert.equal(r.totals.recovered, 0);
      assert.ok(r.totals.concealedFrames >= 2, `concealed ${r.totals.concealedFrames} frames`);
      assert.ok(r.playback.concealed > 0, "the worklet played concealment");
    } finally {
      await close();
    }
  });

  test("a moderator's mute is not loss: batches the hub refused before the speaker stopped do not count as lost", T, async () => {
    const { page, close } = await loopbackPage();
    try {
      const r = await page.evaluate((url) => window.runLoopback({ profileId: 4, dropEvery: 0, seconds: 4, muteAtSeconds: 1.5, workletUrl: url }), workletUrl());
      assert.deepEqual(r.errors, []);
      assert.ok(r.dropped >= 3, `the hub refused ${r.dropped} packets while the mute took effect`);
      // The speaker marks the next talk spurt with a media-clock jump; the listener resumes there without a loss.
      const jump = r.headers.findIndex((h, i) => i > 0 && ((h.timestamp - r.headers[i - 1].timestamp) >>> 0) >= 48_000);
      assert.ok(jump > 0, "the second talk spurt starts with a jump of at least 1 s of media time");
      assert.equal(r.totals.lost, 0, `the listener counted ${r.totals.lost} losses across a mute`);
      assert.equal(r.totals.concealedFrames, 0);
      assert.ok(r.totals.decodedFrames >= 40, `decoded ${r.totals.decodedFrames} frames on both sides of the mute`);
    } finally {
      await close();
    }
  });

  test("a participant's voice reaches the moderator's page through the hub and is decoded", {
    ...T, skip: hubHasAudio ? false : "needs hub audio (PublishAudio) from main",
  }, async () => {
    const moderatorContext = await chromium.browser.newContext();
    const participantContext = await chromium.browser.newContext();
    try {
      const moderator = await moderatorContext.newPage();
      const participant = await participantContext.newPage();
      for (const page of [moderator, participant]) page.setDefaultTimeout(20_000);
      const meeting = await createMeetingAsModerator(moderator, hub.url, { title: "Voice check" });
      await joinByLink(participant, meeting.link, "Ana");
      // The moderator's tab must be allowed to play: a click on "Turn on sound" if shown is the user's gesture.
      const talk = participant.getByRole("button", { name: /talk/i });
      await talk.focus();
      await participant.keyboard.down("Space");
      const voiceStatus = participant.getByRole("status", { name: "Voice status" });
      if (await voiceStatus.filter({ hasText: "Asked for the floor" }).isVisible().catch(() => false)) {
        await moderator.getByRole("button", { name: "Give floor: Ana" }).click();
        await participant.keyboard.up("Space");
        await participant.keyboard.down("Space");
      }
      await voiceStatus.filter({ hasText: "Talking" }).waitFor();
      const heard = moderator.getByLabel("Voice received");
      await moderator.waitForFunction(() => Number(document.querySelector('[aria-label="Voice received"]')?.getAttribute("data-decoded-frames") ?? 0) >= 40, null, { timeout: 20_000 });
      // Speaking is said in words too, not by colour alone.
      await moderator.getByRole("list", { name: "Participants" }).locator("li.speaking", { hasText: "Ana" }).getByText("speaking").waitFor();
      // The listener's reception reports come back to the speaker as link feedback, which the adapter acts on.
      await participant.getByRole("status", { name: "Connection" }).filter({ hasText: /loss \d+ % · voice (standard|wide-fec|clear)/ }).waitFor();
      await screenshot(moderator, "voice-moderator");
      await screenshot(participant, "voice-speaker");
      await participant.keyboard.up("Space");
      const dbfs = Number(await heard.getAttribute("data-decoded-dbfs"));
      assert.ok(dbfs > -45, `decoded speech at ${dbfs} dBFS`);
    } finally {
      await moderatorContext.close();
      await participantContext.close();
    }
  });

  test("moderated floor on a phone: one grant lasts across presses until the speaker gives it back; a mute is said plainly and is not loss", {
    ...T, skip: hubHasAudio ? false : "needs hub audio (PublishAudio) from main",
  }, async () => {
    const moderatorContext = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const participantContext = await chromium.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    try {
      const moderator = await moderatorContext.newPage();
      const ana = await participantContext.newPage();
      for (const page of [moderator, ana]) page.setDefaultTimeout(20_000);
      const meeting = await createMeetingAsModerator(moderator, hub.url, { title: "Moderated call" });
      await joinByLink(ana, meeting.link, "Ana");
      await moderator.getByLabel("Floor", { exact: true }).selectOption("Moderated");
      await moderator.getByRole("button", { name: "Set floor" }).click();
      await ana.waitForFunction(() => document.querySelector(".bar"));
      await ana.evaluate(() => {
        window.__said = [];
        const region = document.querySelector('[aria-label="Announcements"]');
        new MutationObserver(() => region.textContent && window.__said.push(region.textContent)).observe(region, { childList: true, characterData: true, subtree: true });
      });

      await ana.getByRole("tab", { name: /^Voice/ }).click();
      const talk = ana.locator("#panel-voice").getByRole("button", { name: /talk/i });
      const voiceStatus = ana.getByRole("status", { name: "Voice status" });
      const row = moderator.getByRole("list", { name: "Participants" }).locator("li", { hasText: "Ana" });
      await talk.focus();
      await ana.keyboard.down("Space");
      await voiceStatus.filter({ hasText: "You asked for the floor; a moderator can give it to you." }).waitFor();
      await ana.keyboard.up("Space");
      await moderator.getByRole("button", { name: "Give floor: Ana" }).click();
      await voiceStatus.filter({ hasText: "You have the floor: hold the button to talk." }).waitFor();
      await ana.waitForFunction(() => window.__said.includes("You have the floor."));

      for (let press = 1; press <= 2; press++) {
        await talk.focus();
        await ana.keyboard.down("Space");
        await voiceStatus.filter({ hasText: /^Talking$/ }).waitFor();
        const sent = Number(await talk.getAttribute("data-packets-sent") ?? 0);
        await ana.waitForFunction((before) => Number(document.querySelector("#panel-voice .talk")?.dataset.packetsSent ?? 0) > before + 5, sent);
        await ana.keyboard.up("Space");
        await voiceStatus.filter({ hasText: "You still have the floor" }).waitFor();
        await row.getByText(/has the floor/).waitFor();
        assert.equal(await row.getByText(/asks for the floor/).count(), 0, `press ${press} needed no new grant`);
      }
      await ana.getByRole("button", { name: "Give the floor back" }).click();
      await row.getByText(/has the floor/).waitFor({ state: "detached" });

      // Granted again, talking: the moderator mutes Ana. She is told in words; her voice profile is not lowered.
      await moderator.getByRole("button", { name: "Give floor: Ana" }).click();
      await voiceStatus.filter({ hasText: "You have the floor" }).waitFor();
      await talk.focus();
      await ana.keyboard.down("Space");
      await voiceStatus.filter({ hasText: /^Talking$/ }).waitFor();
      const profileBefore = await talk.getAttribute("data-profile");
      await moderator.getByRole("button", { name: "Mute: Ana" }).click();
      await voiceStatus.filter({ hasText: "A moderator muted you." }).waitFor();
      await ana.keyboard.up("Space");
      await moderator.getByRole("button", { name: "Unmute: Ana" }).click();
      await moderator.getByRole("button", { name: "Give floor: Ana" }).click();
      await talk.focus();
      await ana.keyboard.down("Space");
      await voiceStatus.filter({ hasText: /^Talking$/ }).waitFor();
      // Two link feedback rounds (1 s each) after talking resumed.
      const sent = Number(await talk.getAttribute("data-packets-sent") ?? 0);
      await ana.waitForFunction((before) => Number(document.querySelector("#panel-voice .talk")?.dataset.packetsSent ?? 0) > before + 40, sent, { timeout: 20_000 });
      await ana.keyboard.up("Space");
      assert.equal(await talk.getAttribute("data-profile"), profileBefore, "the mute did not push the profile down");
      assert.equal(await ana.getByText("Weak connection").count(), 0);
      await screenshot(ana, "phone-voice-moderated");
    } finally {
      await moderatorContext.close();
      await participantContext.close();
    }
  });

  test("text-only mode: a listener who turned audio off receives none while another listener hears the speaker", {
    ...T, skip: hubHasAudio ? false : "needs hub audio (PublishAudio) from main",
  }, async () => {
    const contexts = await Promise.all([0, 1, 2].map(() => chromium.browser.newContext()));
    try {
      const [moderator, speaker, listener] = await Promise.all(contexts.map((c) => c.newPage()));
      for (const page of [moderator, speaker, listener]) page.setDefaultTimeout(20_000);
      const meeting = await createMeetingAsModerator(moderator, hub.url, { title: "Quiet room" });
      await joinByLink(speaker, meeting.link, "Ana");
      await joinByLink(listener, meeting.link, "Kofi");

      const textOnly = moderator.getByLabel("Text only (no audio download)");
      await textOnly.check();
      await moderator.waitForFunction(() => {
        const box = [...document.querySelectorAll("label")].find((l) => l.textContent?.startsWith("Text only"))?.control;
        return box instanceof HTMLInputElement && box.checked && !box.disabled;
      });
      assert.equal(await moderator.getByRole("alert").filter({ hasText: /SetAudioReceive|does not offer/ }).count(), 0);

      await speaker.getByRole("button", { name: /talk/i }).focus();
      await speaker.keyboard.down("Space");
      await speaker.getByRole("status", { name: "Voice status" }).filter({ hasText: "Talking" }).waitFor();
      await listener.waitForFunction(() => Number(document.querySelector('[aria-label="Voice received"]')?.getAttribute("data-decoded-frames") ?? 0) >= 40, null, { timeout: 20_000 });
      await speaker.keyboard.up("Space");
      assert.equal(await moderator.getByLabel("Voice received").getAttribute("data-decoded-frames"), null, "the text-only tab decoded nothing");
      assert.equal(await moderator.getByLabel("Voice received").textContent(), "Nothing heard yet.");
    } finally {
      await Promise.all(contexts.map((c) => c.close()));
    }
  });

  test("one format: a .NET speaker (the codec module) is heard in the browser, and a browser speaker is decoded by .NET", {
    ...T, skip: hubHasAudio && collabLoadDll() ? false : "needs hub audio and the built load generator (dotnet build loadtests/src/Collab.LoadGenerator)",
  }, async () => {
    const contexts = await Promise.all([0, 1].map(() => chromium.browser.newContext()));
    let dotnet;
    try {
      const [moderator, participant] = await Promise.all(contexts.map((c) => c.newPage()));
      for (const page of [moderator, participant]) page.setDefaultTimeout(20_000);
      const meeting = await createMeetingAsModerator(moderator, hub.url, { title: "One format" });
      await joinByLink(participant, meeting.link, "Ana");

      // The .NET participant speaks the speech sample for 4 s, then stays 12 s more, decoding what it hears.
      let stdout = "";
      let stderr = "";
      dotnet = spawn("dotnet", [collabLoadDll(), "speak", "--hub", hub.url, "--meeting", meeting.meetingId, "--code", meeting.joinCode,
        "--seconds", "16", "--speak-seconds", "4"], { stdio: ["ignore", "pipe", "pipe"] });
      dotnet.stdout.setEncoding("utf8").on("data", (c) => (stdout += c));
      dotnet.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
      const exited = new Promise((resolve) => dotnet.once("exit", resolve));

      await moderator.waitForFunction(() => Number(document.querySelector('[aria-label="Voice received"]')?.getAttribute("data-decoded-frames") ?? 0) >= 40, null, { timeout: 20_000 });
      const heardInBrowser = Number(await moderator.getByLabel("Voice received").getAttribute("data-decoded-dbfs"));
      assert.ok(heardInBrowser > -45, `the browser decoded the .NET speaker at ${heardInBrowser} dBFS`);

      // The .NET speaker has released the floor: the browser participant talks for about 3 s.
      await participant.getByRole("button", { name: /talk/i }).focus();
      await participant.keyboard.down("Space");
      await participant.getByRole("status", { name: "Voice status" }).filter({ hasText: "Talking" }).waitFor();
      await participant.waitForTimeout(3_000);
      await participant.keyboard.up("Space");

      const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve("timeout"), 30_000))]);
      assert.equal(code, 0, `collab-load speak exited with ${code}: ${stderr}`);
      const heardByDotnet = JSON.parse(stdout.trim().split("\n").pop());
      assert.ok(heardByDotnet.framesSent >= 90, `the .NET speaker sent ${heardByDotnet.framesSent} frames`);
      assert.ok(heardByDotnet.framesDecoded >= 40, `.NET decoded ${heardByDotnet.framesDecoded} browser frames`);
      assert.ok(heardByDotnet.decodedDbfs > -45, `.NET decoded the browser speaker at ${heardByDotnet.decodedDbfs} dBFS`);
    } finally {
      if (dotnet && dotnet.exitCode === null) process.kill(dotnet.pid, "SIGKILL");
      await Promise.all(contexts.map((c) => c.close()));
    }
  });
});
