// What the browser's noise suppression does to speech in noise: Chromium's fake microphone plays a noisy WAV (speech
// mixed with venue-like noise), the page opens it with the voice client's constraints (web/src/voice/microphone.ts)
// with noiseSuppression off, on, and off with RNNoise (the client's built worklet and WebAssembly, from the hub's
// wwwroot: run `npm run build` first) between the track and the recorder, records what comes out, and the codec's
// STOI scores it against the clean speech (and the noisy input itself as the baseline).
//   node tools/measure-noise-suppression.mjs --clean CLEAN.wav --noisy NOISY.wav [--out DIR]
// Needs the codec's tool built: dotnet build -c Release codec/src/Collab.Codec.Cli. Venue-like noise with sox, from
// the repository root (D=codec/test/Collab.Codec.Tests/data): babble of three reversed or delayed voices and pink noise,
//   sox $D/speech2-48k.wav b1.wav reverse; sox $D/speech2-48k.wav b2.wav pad 1.7 0; sox $D/speech-48k.wav b3.wav reverse pad 0.9 0
//   sox -m b1.wav b2.wav b3.wav babble-raw.wav; sox babble-raw.wav babble.wav trim 0 6.680146
//   sox -n -r 48000 -c 1 -b 16 pink.wav synth 6.680146 pinknoise vol 0.3; sox -m babble.wav pink.wav venue.wav
//   sox -m -v 1 $D/speech-48k.wav -v 1.167 venue.wav noisy5.wav        (speech 5 dB over the noise, RMS from sox stat)
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { launchBrowser, repoRoot } from "../test/harness.mjs";

const { values } = parseArgs({ options: { clean: { type: "string" }, noisy: { type: "string" }, out: { type: "string", default: "/tmp/collab-noise" } } });
if (!values.clean || !values.noisy) throw new Error("Give --clean and --noisy (48 kHz mono 16-bit WAV files).");
mkdirSync(values.out, { recursive: true });

/** Samples of a 16-bit mono PCM WAV as floats (the data chunk found by name). */
function readWav(path) {
  const b = readFileSync(path);
  let at = 12;
  while (at < b.length && b.toString("ascii", at, at + 4) !== "data") at += 8 + b.readUInt32LE(at + 4);
  const n = b.readUInt32LE(at + 4) / 2;
  return Float32Array.from({ length: n }, (_, i) => b.readInt16LE(at + 8 + 2 * i) / 32768);
}

function writeWav(path, samples) {
  const b = Buffer.alloc(44 + 2 * samples.length);
  b.write("RIFF", 0, "ascii"); b.writeUInt32LE(36 + 2 * samples.length, 4); b.write("WAVEfmt ", 8, "ascii");
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(48_000, 24); b.writeUInt32LE(96_000, 28);
  b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34); b.write("data", 36, "ascii"); b.writeUInt32LE(2 * samples.length, 40);
  samples.forEach((s, i) => b.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(s * 32767))), 44 + 2 * i));
  writeFileSync(path, b);
}

/** The lag (in samples) at which `recorded` best matches `reference`, by cross-correlation at 8 kHz, then refined at 48 kHz. */
function lagOf(recorded, reference) {
  const d = 6;
  const r = Float32Array.from({ length: Math.floor(recorded.length / d) }, (_, i) => recorded[i * d]);
  const x = Float32Array.from({ length: Math.floor(reference.length / d) }, (_, i) => reference[i * d]);
  const span = Math.min(x.length, r.length - x.length);
  let best = 0;
  let bestScore = -Infinity;
  for (let lag = 0; lag < r.length - span; lag++) {
    let s = 0;
    for (let i = 0; i < span; i += 2) s += r[lag + i] * x[i];
    if (s > bestScore) { bestScore = s; best = lag; }
  }
  let fine = best * d;
  bestScore = -Infinity;
  for (let lag = Math.max(0, best * d - d); lag <= best * d + d; lag++) {
    let s = 0;
    for (let i = 0; i < reference.length && lag + i < recorded.length; i += 3) s += recorded[lag + i] * reference[i];
    if (s > bestScore) { bestScore = s; fine = lag; }
  }
  return fine;
}

const clean = readWav(values.clean);
const noisy = readWav(values.noisy);
const seconds = (2 * noisy.length) / 48_000 + 1;
const page = `<!doctype html><meta charset="utf-8"><script type="module">
const worklet = "registerProcessor('rec', class extends AudioWorkletProcessor { process(inputs) { const c = inputs[0]?.[0]; if (c) this.port.postMessage(c.slice()); return true; } });";
window.record = async (noiseSuppression, rnnoise, seconds) => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression, autoGainControl: true } });
  const settings = stream.getAudioTracks()[0].getSettings();
  const context = new AudioContext({ sampleRate: 48000 });
  await context.audioWorklet.addModule(URL.createObjectURL(new Blob([worklet], { type: "text/javascript" })));
  const node = new AudioWorkletNode(context, "rec", { numberOfInputs: 1, numberOfOutputs: 0 });
  const chunks = [];
  node.port.onmessage = (e) => chunks.push(e.data);
  let into = node;
  if (rnnoise) {
    await context.audioWorklet.addModule("/app/" + rnnoise.worklet);
    const wasm = await fetch("/app/" + rnnoise.wasm).then((r) => r.arrayBuffer());
    into = new AudioWorkletNode(context, "collab-rnnoise", { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], processorOptions: { wasm } });
    const ready = new Promise((resolve, reject) => (into.port.onmessage = (e) => (e.data.type === "ready" ? resolve() : reject(new Error(e.data.message)))));
    into.connect(node);
    await ready;
  }
  context.createMediaStreamSource(stream).connect(into);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  stream.getTracks().forEach((t) => t.stop());
  await context.close();
  const all = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) for (const s of c) all[at++] = Math.max(-32768, Math.min(32767, Math.round(s * 32767)));
  let text = "";
  const bytes = new Uint8Array(all.buffer);
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { settings, pcm: btoa(text) };
};
</script>`;
const appDir = join(repoRoot, "hub", "src", "Collab.Hub", "wwwroot", "app");
const built = readdirSync(appDir);
const rnnoise = { worklet: built.find((f) => /^noise-worklet-.*\.js$/.test(f)), wasm: built.find((f) => /^rnnoise-.*\.wasm$/.test(f)) };
if (!rnnoise.worklet || !rnnoise.wasm) throw new Error("RNNoise's worklet is not built: npm run build in web/.");
const server = createServer((req, res) => {
  const file = /^\/app\/([\w.-]+)$/.exec(req.url ?? "")?.[1];
  if (file && built.includes(file)) {
    res.setHeader("content-type", file.endsWith(".wasm") ? "application/wasm" : "text/javascript");
    return res.end(readFileSync(join(appDir, file)));
  }
  res.setHeader("content-type", "text/html");
  res.end(page);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const chromium = await launchBrowser({ fakeMicWav: values.noisy });
const cli = join(repoRoot, "codec", "src", "Collab.Codec.Cli", "bin", "Release", "net10.0", "collab-codec.dll");
const stoi = (degraded) => JSON.parse(execFileSync("dotnet", [cli, "stoi", values.clean, degraded, "--json"], { encoding: "utf8" }));
writeWav(join(values.out, "input.wav"), noisy);
const results = { input: stoi(join(values.out, "input.wav")) };
try {
  for (const [name, ns, strong] of [["noiseSuppression off", false, false], ["noiseSuppression on", true, false], ["RNNoise (browser's off)", false, true]]) {
    const context = await chromium.browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => typeof window.record === "function");
    const { settings, pcm } = await tab.evaluate(([n, r, s]) => window.record(n, r, s), [ns, strong ? rnnoise : undefined, seconds]);
    await context.close();
    const raw = Buffer.from(pcm, "base64");
    const recorded = Float32Array.from({ length: raw.length / 2 }, (_, i) => raw.readInt16LE(2 * i) / 32768);
    // Skip the first second (the processing settles), then one whole loop of the file, aligned with the clean speech.
    const tail = recorded.subarray(48_000);
    const lag = lagOf(tail, noisy);
    const file = join(values.out, `${name.split(" ")[0].toLowerCase()}-${ns ? "on" : "off"}.wav`);
    writeWav(file, tail.subarray(lag, lag + clean.length));
    results[name] = { applied: settings.noiseSuppression, lagSamples: lag, ...stoi(file) };
  }
} finally {
  await chromium.close();
  server.close();
}
console.log(JSON.stringify(results, null, 2));
