// Test support: the real edge process (`node edge.mjs`, as the hub starts it) and Debian's headless Chromium.
// Every wait is bounded; processes are ended by the PID we started.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const edgeDir = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Starts `node edge.mjs` with a fresh secret toward `hubUdp` ("127.0.0.1:port"); reads its {"listening":port} line. */
export async function startEdge({ hubUdp, env = {} } = {}) {
  const secret = randomBytes(24).toString("base64url");
  const child = spawn(process.execPath, [join(edgeDir, "edge.mjs")], {
    cwd: edgeDir,
    env: { ...process.env, COLLAB_EDGE_SECRET: secret, COLLAB_EDGE_HUB_UDP: hubUdp, COLLAB_EDGE_ICE_ADDRESSES: "127.0.0.1", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  child.stderr.setEncoding("utf8").on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The edge did not print its port within 10 s. Output:\n${output}`)), 10_000);
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk;
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n")) {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line).listening);
        } catch {
          reject(new Error(`The edge's first line is not {"listening":port}: ${line}`));
        }
      }
    });
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`The edge exited (${code}) before listening. Output:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    secret,
    child,
    exited,
    output: () => output,
    request: (path, { method = "GET", body, auth = `Bearer ${secret}` } = {}) =>
      fetch(`${url}${path}`, {
        method,
        headers: { ...(auth !== null ? { authorization: auth } : {}), ...(body ? { "content-type": "application/json" } : {}) },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => process.kill(child.pid, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Headless Chromium from Debian with the flags shared/ENVIRONMENT.md lists. */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) throw new Error(`Chromium is missing at ${executablePath}: apt-get install chromium (test.sh does).`);
  const tmp = mkdtempSync(join(tmpdir(), "collab-edge-chromium-"));
  const args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];
  const browser = await chromium.launch({ executablePath, headless: true, args, timeout: 30_000, env: { ...process.env, TMPDIR: tmp } });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Resolves with the first value `poll` returns that is not undefined, or rejects after `ms`. */
export async function eventually(poll, { ms = 10_000, every = 25, what = "the condition" } = {}) {
  const deadline = Date.now() + ms;
  for (let round = 0; Date.now() < deadline && round < ms / every + 1; round++) {
    const value = await poll();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
}
