// First load of the web client on a phone over Chromium's "Regular 2G" throttling preset (DevTools: 300 ms latency,
// 250 kbit/s down, 50 kbit/s up), through the DevTools protocol: bytes transferred (encoded, headers included) and
// the time from navigation to the join form being on screen. Fresh profile (empty cache) for each run.
//   node tools/measure-first-load.mjs [--runs 3] [--url http://127.0.0.1:PORT]   (without --url it starts the built hub)
import { parseArgs } from "node:util";
import { launchBrowser, startHub } from "../test/harness.mjs";

export const regular2G = { offline: false, latency: 300, downloadThroughput: (250 * 1024) / 8, uploadThroughput: (50 * 1024) / 8 };

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, url: { type: "string" } } });
const runs = Math.max(1, Math.min(10, Number(values.runs) || 3));
const hub = values.url ? undefined : await startHub();
const url = values.url ?? hub.url;
const chromium = await launchBrowser();

async function once() {
  const context = await chromium.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", regular2G);
    const requests = new Map();
    let pending = 0;
    let lastActivity = Date.now();
    cdp.on("Network.requestWillBeSent", (e) => {
      if (!requests.has(e.requestId)) pending++;
      requests.set(e.requestId, { url: e.request.url, bytes: 0 });
      lastActivity = Date.now();
    });
    const finish = (e, bytes) => {
      const r = requests.get(e.requestId);
      if (r && r.done === undefined) {
        r.done = true;
        r.bytes = bytes;
        pending--;
      }
      lastActivity = Date.now();
    };
    cdp.on("Network.responseReceived", (e) => {
      const r = requests.get(e.requestId);
      if (r) r.encoding = e.response.headers["content-encoding"] ?? e.response.headers["Content-Encoding"] ?? "identity";
    });
    cdp.on("Network.loadingFinished", (e) => finish(e, e.encodedDataLength));
    cdp.on("Network.loadingFailed", (e) => finish(e, 0));

    const started = Date.now();
    await page.goto(url, { waitUntil: "commit", timeout: 60_000 });
    await page.getByRole("form", { name: "Join a meeting" }).getByLabel("Your name").waitFor({ state: "visible", timeout: 60_000 });
    const formMs = Date.now() - started;
    // Whatever else the first visit fetches without the user doing anything: wait until the network is quiet for 1 s.
    const deadline = Date.now() + 60_000;
    while ((pending > 0 || Date.now() - lastActivity < 1000) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const list = [...requests.values()].filter((r) => !r.url.startsWith("data:"));
    return { formMs, bytes: list.reduce((sum, r) => sum + r.bytes, 0), requests: list };
  } finally {
    await context.close();
  }
}

try {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once());
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const r of results[0].requests) console.log(`  ${String(r.bytes).padStart(7)} B  ${r.encoding ?? "-"}  ${new URL(r.url).pathname}`);
  console.log(`first load on Regular 2G, 360×740, ${runs} runs: ${median(results.map((r) => r.bytes))} B transferred` +
    ` (${(median(results.map((r) => r.bytes)) / 1024).toFixed(1)} KiB), join form after ${median(results.map((r) => r.formMs))} ms` +
    ` (median; each run: ${results.map((r) => `${r.formMs} ms/${r.bytes} B`).join(", ")})`);
} finally {
  await chromium.close();
  await hub?.stop();
}
