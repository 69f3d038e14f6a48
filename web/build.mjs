// Bundles the client into the hub's wwwroot (minified) and prints the bundle size, raw and gzip.
// Output: hub/src/Collab.Hub/wwwroot/{index.html, app/app.js, app/app.css, app/voice-worklet.js}.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const wwwroot = join(here, "..", "hub", "src", "Collab.Hub", "wwwroot");
const appDir = join(wwwroot, "app");

await rm(appDir, { recursive: true, force: true });
await mkdir(appDir, { recursive: true });

const common = { bundle: true, minify: true, sourcemap: false, target: ["chrome110", "firefox115", "safari16"], logLevel: "warning", legalComments: "none" };
// File names stay fixed (the hub serves wwwroot as it is); a content hash in each URL makes a new build reach
// browsers that cached the old one.
const version = async (file) => createHash("sha256").update(await readFile(file)).digest("hex").slice(0, 12);
await build({ ...common, entryPoints: [join(here, "src", "voice", "worklet.ts")], outfile: join(appDir, "voice-worklet.js"), format: "esm" });
await build({
  ...common, entryPoints: [join(here, "src", "main.ts")], outfile: join(appDir, "app.js"), format: "esm",
  define: { __WORKLET_VERSION__: JSON.stringify(await version(join(appDir, "voice-worklet.js"))) },
});
await build({ ...common, entryPoints: [join(here, "static", "app.css")], outfile: join(appDir, "app.css") });
const page = (await readFile(join(here, "static", "index.html"), "utf8"))
  .replace("app/app.css", `app/app.css?v=${await version(join(appDir, "app.css"))}`)
  .replace("app/app.js", `app/app.js?v=${await version(join(appDir, "app.js"))}`);
await writeFile(join(wwwroot, "index.html"), page);

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
