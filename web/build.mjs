// Bundles the client into the hub's wwwroot (minified, split) and prints what a first visit downloads.
// Output: hub/src/Collab.Hub/wwwroot/index.html and wwwroot/app/*, every file under app/ named by its content hash
// (app-<hash>.js, its lazily loaded chunks, app-<hash>.css, voice-worklet-<hash>.js, noise-worklet-<hash>.js and
// rnnoise-<hash>.wasm), so the hub may let browsers
// cache them for good; index.html is the one unhashed file and is revalidated. The hub serves the brotli and gzip
// copies the .NET build makes of each file (MapStaticAssets).
import { createHash } from "node:crypto";
import { build } from "esbuild";
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { compileLocales } from "./tools/locales.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const wwwroot = join(here, "..", "hub", "src", "Collab.Hub", "wwwroot");
const appDir = join(wwwroot, "app");

await rm(appDir, { recursive: true, force: true });
await mkdir(appDir, { recursive: true });

const common = { bundle: true, minify: true, sourcemap: false, target: ["chrome110", "firefox115", "safari16"], logLevel: "warning", legalComments: "none", metafile: true };
const outputOf = (result, entry) => basename(Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint?.endsWith(entry))?.[0] ?? "");

// The worklet is loaded by URL (audioWorklet.addModule), not imported: its hashed name is passed in as a constant.
const worklet = await build({ ...common, entryPoints: { "voice-worklet": join(here, "src", "voice", "worklet.ts") }, outdir: appDir, entryNames: "[name]-[hash]", format: "esm" });
const workletFile = outputOf(worklet, "worklet.ts");
// The stronger noise reduction: RNNoise's worklet and its WebAssembly, fetched only when it is switched on.
const noiseWorklet = await build({ ...common, entryPoints: { "noise-worklet": join(here, "src", "voice", "noise-worklet.ts") }, outdir: appDir, entryNames: "[name]-[hash]", format: "esm" });
const noiseWorkletFile = outputOf(noiseWorklet, "noise-worklet.ts");
const rnnoiseWasm = await readFile(join(here, "node_modules", "@jitsi", "rnnoise-wasm", "dist", "rnnoise.wasm"));
const rnnoiseWasmFile = `rnnoise-${createHash("sha256").update(rnnoiseWasm).digest("hex").slice(0, 8).toUpperCase()}.wasm`;
await writeFile(join(appDir, rnnoiseWasmFile), rnnoiseWasm);
// The landing screen is the entry; the meeting (SignalR, MessagePack, views) and voice load by dynamic import().
const app = await build({
  ...common, entryPoints: { app: join(here, "src", "main.ts") }, outdir: appDir, format: "esm", splitting: true,
  entryNames: "[name]-[hash]", chunkNames: "[name]-[hash]",
  define: { __WORKLET_FILE__: JSON.stringify(workletFile), __NOISE_WORKLET_FILE__: JSON.stringify(noiseWorkletFile), __RNNOISE_WASM_FILE__: JSON.stringify(rnnoiseWasmFile) }, plugins: [compileLocales],
});
const css = await build({ ...common, entryPoints: { app: join(here, "static", "app.css") }, outdir: appDir, entryNames: "[name]-[hash]" });
const page = (await readFile(join(here, "static", "index.html"), "utf8"))
  .replace("app/app.css", `app/${outputOf(css, "app.css")}`)
  .replace("app/app.js", `app/${outputOf(app, "main.ts")}`);
await writeFile(join(wwwroot, "index.html"), page);

// What a phone downloads before it can join: the page, the entry script and the styles, plus the meeting code it
// starts fetching once the form is up. Voice loads only when used.
const kb = (n) => (n / 1024).toFixed(1);
const sizes = async (file) => {
  const bytes = await readFile(file);
  return { raw: bytes.length, br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, gz: gzipSync(bytes, { level: 9 }).length };
};
const files = ["index.html", ...(await readdir(appDir)).map((f) => `app/${f}`)];
console.log(`web bundle → ${relative(process.cwd(), wwwroot)}:`);
for (const file of files) {
  const s = await sizes(join(wwwroot, file));
  console.log(`  ${file.padEnd(40)} ${kb(s.raw).padStart(6)} KiB raw, ${kb(s.br).padStart(5)} KiB brotli, ${kb(s.gz).padStart(5)} KiB gzip`);
}
