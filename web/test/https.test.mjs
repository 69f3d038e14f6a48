// The hub serving HTTPS itself (Kestrel PEM settings) to Chromium under a host name that is not localhost, as a
// venue laptop serves phones on the local Wi-Fi: the page is a secure context (microphone and WebCodecs allowed),
// plain HTTP redirects to HTTPS, and a meeting runs over wss. The certificate is made for this run with openssl
// and Chromium trusts exactly its key (--ignore-certificate-errors-spki-list); the name resolves to 127.0.0.1.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { X509Certificate, createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium as playwright } from "playwright-core";
import { chatLog, createMeetingAsModerator, joinByLink, screenshot, sendChat, startHub } from "./harness.mjs";

const venueHost = "venue.collab.test";
const T = { timeout: 60_000 };
let certDir;
let hub;
let browser;
let httpsUrl;
let httpUrl;

/** Waits (bounded) for the hub to log its HTTPS address. */
async function httpsAddress(hubProcess) {
  for (let i = 0; i < 100; i++) {
    const match = /Now listening on: https:\/\/127\.0\.0\.1:(\d+)/.exec(hubProcess.output());
    if (match) return Number(match[1]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The hub did not report an https address. Output:\n${hubProcess.output()}`);
}

before(async () => {
  certDir = mkdtempSync(join(tmpdir(), "collab-web-tls-"));
  const crt = join(certDir, "tls.crt");
  const key = join(certDir, "tls.key");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", crt,
    "-days", "2", "-subj", "/CN=Collab test", "-addext", `subjectAltName=DNS:${venueHost},DNS:localhost,IP:127.0.0.1`], { stdio: "ignore", timeout: 20_000 });
  const spki = createHash("sha256").update(new X509Certificate(readFileSync(crt)).publicKey.export({ type: "spki", format: "der" })).digest("base64");

  hub = await startHub([
    "--Kestrel:Endpoints:Http:Url=http://127.0.0.1:0",
    "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0",
    `--Kestrel:Endpoints:Https:Certificate:Path=${crt}`,
    `--Kestrel:Endpoints:Https:Certificate:KeyPath=${key}`,
  ]);
  httpUrl = `http://${venueHost}:${new URL(hub.url).port}`;
  httpsUrl = `https://${venueHost}:${await httpsAddress(hub)}`;
  browser = await playwright.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    timeout: 30_000,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
      "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
      `--host-resolver-rules=MAP ${venueHost} 127.0.0.1`,
      `--ignore-certificate-errors-spki-list=${spki}`,
    ],
  });
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await hub?.stop();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

describe("https", () => {
  test("a page on a LAN host name over https is a secure context: microphone and Opus encoder are there", T, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${httpsUrl}/`);
    assert.equal(response.status(), 200);
    const secure = await page.evaluate(async () => ({
      secure: window.isSecureContext,
      microphone: typeof navigator.mediaDevices?.getUserMedia === "function",
      tracks: await navigator.mediaDevices.getUserMedia({ audio: true }).then((stream) => stream.getAudioTracks().length),
      opus: typeof AudioEncoder !== "undefined" && (await AudioEncoder.isConfigSupported({ codec: "opus", sampleRate: 48000, numberOfChannels: 1 })).supported,
    }));
    assert.deepEqual(secure, { secure: true, microphone: true, tracks: 1, opus: true });
    assert.match((await response.allHeaders())["strict-transport-security"] ?? "", /^max-age=\d+/);
    await context.close();
  });

  test("plain http redirects to https on the same host name", T, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${httpUrl}/?meeting=abc`);
    assert.equal(page.url(), `${httpsUrl}/?meeting=abc`);
    assert.equal(await page.evaluate(() => window.isSecureContext), true);
    await context.close();
  });

  test("a moderator and a participant chat over wss", T, async () => {
    const moderatorContext = await browser.newContext();
    const participantContext = await browser.newContext();
    const moderator = await moderatorContext.newPage();
    const participant = await participantContext.newPage();
    for (const page of [moderator, participant]) page.setDefaultTimeout(15_000);
    const sockets = [];
    participant.on("websocket", (socket) => sockets.push(socket.url()));

    const meeting = await createMeetingAsModerator(moderator, httpsUrl, { title: "Venue over TLS" });
    assert.ok(meeting.link.startsWith(`${httpsUrl}/`), `the invite link is an https link: ${meeting.link}`);
    await joinByLink(participant, meeting.link, "Ana");
    await sendChat(participant, "hello over wss");
    await chatLog(moderator).getByText("hello over wss").waitFor();

    assert.ok(sockets.some((url) => url.startsWith(`wss://${venueHost}:`)), `the participant's WebSocket is wss: ${sockets.join(", ")}`);
    await screenshot(moderator, "https-moderator");
    await moderatorContext.close();
    await participantContext.close();
  });
});
