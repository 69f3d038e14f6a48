// Bundles the client into the hub's wwwroot (minified) and prints the bundle size, raw and gzip.
// Output: hub/src/Collab.Hub/wwwroot/{index.html, app/app.js, app/app.css, app/voice-worklet.js}.
import { build } from "esbuild";
import { copyFile, mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const wwwroot = join(here, "..", "hub", "src", "Collab.Hub", "wwwroot");
const appDir = join(wwwroot, "app");

await rm(appDir, { recursive: true, force: true });
await mkdir(appDir, { recursive: true });

const common = { bundle: true, minify: true, sourcemap: false, target: ["chrome110", "firefox115", "safari16"], logLevel: "warning", legalComments: "none" };
await build({ ...common, entryPoints: [join(here, "src", "main.ts")], outfile: join(appDir, "app.js"), format: "esm" });
await build({ ...common, entryPoints: [join(here, "src", "voice", "worklet.ts")], outfile: join(appDir, "voice-worklet.js"), format: "esm" });
await build({ ...common, entryPoints: [join(here, "static", "app.css")], outfile: join(appDir, "app.css") });
await copyFile(join(here, "static", "index.html"), join(wwwroot, "index.html"));

// The initial payload is what a phone downloads before it can join: the page, the script and the styles.
// The worklet loads only when voice starts.
const initial = ["index.html", "app/app.js", "app/app.css"];
let raw = 0;
let gzip = 0;
for (const file of initial) {
  const bytes = await readFile(join(wwwroot, file));
  raw += bytes.length;
  gzip += gzipSync(bytes, { level: 9 }).length;
}
const worklet = await readFile(join(appDir, "voice-worklet.js"));
const kb = (n) => (n / 1024).toFixed(1);
console.log(`web bundle → ${relative(process.cwd(), wwwroot)}: initial payload ${kb(raw)} KiB raw, ${kb(gzip)} KiB gzip` +
  ` (${initial.join(", ")}); voice worklet ${kb(gzipSync(worklet, { level: 9 }).length)} KiB gzip, loaded on demand`);
