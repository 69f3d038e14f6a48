// Test harness: a real hub process on a free loopback port and Debian's Chromium driven by playwright-core.
// Every wait is bounded; processes are ended by the PID we started.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, "..", "..");
const hubProject = join(repoRoot, "hub", "src", "Collab.Hub");
export const artifactsDir = process.env.COLLAB_WEB_ARTIFACTS ?? join(repoRoot, "web", "test-results");
export const speechWav = join(repoRoot, "codec", "test", "Collab.Codec.Tests", "data", "speech-48k.wav");

/** The newest built hub (Release from test.sh, Debug from a developer's build), or COLLAB_HUB_DLL. */
function hubDll() {
  if (process.env.COLLAB_HUB_DLL) return process.env.COLLAB_HUB_DLL;
  const candidates = ["Release", "Debug"].map((c) => join(hubProject, "bin", c, "net10.0", "Collab.Hub.dll")).filter(existsSync);
  if (candidates.length === 0) throw new Error("Collab.Hub is not built: run `dotnet build hub/src/Collab.Hub` (or ./test.sh) first.");
  return candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** The load generator's build output (Release from test.sh, else Debug), which has the `speak` command; undefined if not built. */
export function collabLoadDll() {
  return ["Release", "Debug"].map((c) => join(repoRoot, "loadtests", "src", "Collab.LoadGenerator", "bin", c, "net10.0", "collab-load.dll")).find(existsSync);
}

/** Starts the hub on 127.0.0.1 with a port the OS picks (or `port`, to restart a hub where it was) and reads the address it reports. */
export async function startHub(extraArgs = [], { port = 0 } = {}) {
  const dll = hubDll();
  if (!existsSync(join(hubProject, "wwwroot", "index.html"))) throw new Error("The web bundle is missing: run `npm run build` in web/.");
  const child = spawn("dotnet", [dll, "--urls", `http://127.0.0.1:${port}`, "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information", ...extraArgs], {
    cwd: hubProject, // content root: wwwroot and appsettings.json
    env: { ...process.env, ASPNETCORE_ENVIRONMENT: "Production", DOTNET_NOLOGO: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const address = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The hub did not report an address within 30 s. Output:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const match = /Now listening on: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", (c) => (output += c));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The hub exited (${code}) before listening. Output:\n${output}`));
    });
  });
  return {
    url: address,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(child.pid, "SIGTERM");
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Headless Chromium from Debian with the flags shared/ENVIRONMENT.md lists; `fakeMicWav` feeds the microphone. */
export async function launchBrowser({ fakeMicWav } = {}) {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) throw new Error(`Chromium is missing at ${executablePath}: apt-get install chromium (test.sh does).`);
  const userDataDir = mkdtempSync(join(tmpdir(), "collab-chromium-"));
  const args = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
  ];
  if (fakeMicWav) args.push(`--use-file-for-fake-audio-capture=${fakeMicWav}`);
  // Playwright manages the profile of a normal launch; the temp dir holds anything Chromium writes beside it.
  const browser = await chromium.launch({ executablePath, headless: true, args, timeout: 30_000, env: { ...process.env, TMPDIR: userDataDir } });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage });
}

/** Creates a meeting through the UI as moderator; returns its id and join code as shown on screen. */
export async function createMeetingAsModerator(page, hubUrl, { title = "Water committee", name = "Lea", chat = true } = {}) {
  await page.goto(hubUrl);
  await page.getByLabel("Meeting title").fill(title);
  await page.getByLabel(/^Chat/).setChecked(chat !== false);
  await page.getByRole("form", { name: "Start a meeting" }).getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Create meeting" }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor({ timeout: 15_000 });
  await page.getByRole("status", { name: "Connection" }).filter({ hasText: "Connected" }).waitFor({ timeout: 15_000 });
  const link = await page.getByLabel("Invite link").inputValue();
  const url = new URL(link);
  return { link, meetingId: url.searchParams.get("meeting"), joinCode: url.searchParams.get("code") };
}

/** Joins through the invite link as a participant. */
export async function joinByLink(page, link, name = "Ana") {
  await page.goto(link);
  await page.getByRole("form", { name: "Join a meeting" }).getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Join meeting" }).click();
  await page.getByRole("status", { name: "Connection" }).filter({ hasText: "Connected" }).waitFor({ timeout: 15_000 });
}

export async function sendChat(page, text) {
  await page.getByLabel("Message", { exact: true }).fill(text);
  await page.getByLabel("Message", { exact: true }).press("Enter");
}

export const chatLog = (page) => page.getByRole("log", { name: "Chat messages" });

/** Chromium's "Regular 2G" throttling preset (DevTools): 300 ms latency, 250 kbit/s down, 50 kbit/s up. */
export const regular2G = { offline: false, latency: 300, downloadThroughput: (250 * 1024) / 8, uploadThroughput: (50 * 1024) / 8 };

/**
 * A phone: 360×740, touch, in its own context; `network` sets DevTools network conditions (e.g. regular2G, offline);
 * `locale` is the browser's language (navigator.languages, Accept-Language).
 */
export async function phone(browser, { throttle = false, locale } = {}) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, ...(locale ? { locale } : {}) });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  const network = (conditions) => cdp.send("Network.emulateNetworkConditions", conditions);
  if (throttle) await network(regular2G);
  return { context, page, cdp, network, close: () => context.close() };
}

const axeSource = readFileSync(join(here, "..", "node_modules", "axe-core", "axe.min.js"), "utf8");

/** Runs axe-core (WCAG 2.x A/AA and best practices) on the page as it is; fails with every violation and its nodes. */
export async function expectNoAxeViolations(page, screenName) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.split("\n").join(" ")}`).join("\n")}`);
  if (found.length > 0) throw new Error(`axe found ${found.length} violation(s) on ${screenName}:\n${found.join("\n")}`);
}
