// The client's ports of the codec module (web/src/voice/packets.ts, ladder.ts) against the codec module's own test
// vectors and scripted link traces (codec/test/Collab.Codec.Tests: AudioPacketFormatTests, AudioBatchTests,
// LinkAdapterTests), so the browser and .NET agree byte for byte and decision for decision. The shared files in
// codec/test/vectors (packets.json, ladder.json, adapter-traces.json, reception-report.json) are written by the codec
// module (`dotnet run --project codec/src/Collab.Codec.Cli -- vectors`) and verified by its SharedVectorsTests:
// packets, batches, the ladder, adapter traces and the reception report read from them cannot drift between the two.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { build } from "esbuild";
import { repoRoot } from "./harness.mjs";

const vectorsDir = join(repoRoot, "codec", "test", "vectors");
const vectors = Object.fromEntries(["packets", "ladder", "adapter-traces", "reception-report"].map((name) => [name, JSON.parse(readFileSync(join(vectorsDir, `${name}.json`), "utf8"))]));

let m;
let dir;

before(async () => {
  const out = await build({
    stdin: { contents: 'export * from "./src/voice/packets.ts"; export * from "./src/voice/ladder.ts";', resolveDir: join(repoRoot, "web"), loader: "ts" },
    bundle: true, write: false, format: "esm", platform: "neutral", logLevel: "warning",
  });
  dir = mkdtempSync(join(tmpdir(), "collab-codec-port-"));
  const file = join(dir, "codec.mjs");
  writeFileSync(file, out.outputFiles[0].text);
  m = await import(pathToFileURL(file).href);
});

after(() => rmSync(dir, { recursive: true, force: true }));

const header = { voiceActivity: true, profileId: 2, sequence: 0xffff, timestamp: 0xfffffed8, durationMs: 60, level: 23 };

describe("audio packets and batches", () => {
  test("header and primary frame match the codec module's bytes (big-endian, wrapping values)", () => {
    const bytes = m.writePacket({ ...header, redundant: [], frame: Uint8Array.of(1, 2, 3) });
    assert.deepEqual([...bytes], [0x11, 2, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xd8, 60, 23, 1, 2, 3]);
    const back = m.readPacket(bytes);
    assert.deepEqual({ ...back, frame: [...back.frame] }, { ...header, redundant: [], frame: [1, 2, 3] });
  });

  test("redundant blocks are written oldest first; the newest block is the previous frame", () => {
    const bytes = m.writePacket({ ...header, timestamp: 10_000, durationMs: 40, redundant: [{ durationMs: 20, frame: Uint8Array.of(7, 7) }, { durationMs: 40, frame: Uint8Array.of(8, 8, 8) }], frame: Uint8Array.of(9) });
    assert.equal(bytes[0], 0x19, "version 1, two redundant frames, voice activity");
    assert.deepEqual([...bytes.subarray(10)], [20, 0, 2, 7, 7, 40, 0, 3, 8, 8, 8, 9]);
    const back = m.readPacket(bytes);
    assert.deepEqual(back.redundant.map((r) => [r.durationMs, [...r.frame]]), [[20, [7, 7]], [40, [8, 8, 8]]]);
    assert.deepEqual([...back.frame], [9]);
  });

  test("the reserved bit is ignored", () => {
    const back = m.readPacket(Uint8Array.of(0x13, 4, 0, 9, 0, 0, 3, 0xc0, 40, 60, 0xab));
    assert.equal(back.sequence, 9);
    assert.equal(back.timestamp, 960);
    assert.equal(back.durationMs, 40);
    assert.equal(back.level, 60);
    assert.equal(back.voiceActivity, true);
    assert.equal(back.profileId, 4);
  });

  for (const [bytes, reason] of [
    [[0x11, 0, 0, 0, 0, 0, 0, 0, 20, 0], /at least 11 bytes/],
    [[0x31, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1], /version 3 is not supported/],
    [[0x11, 0, 0, 0, 0, 0, 0, 0, 25, 0, 1], /25 ms/],
    [[0x11, 0, 0, 0, 0, 0, 0, 0, 20, 200, 1], /level 200/],
    [[0x15, 0, 0, 0, 0, 0, 0, 0, 20, 0, 20, 0, 9, 1], /Redundant block 1 is malformed/],
    [[0x15, 0, 0, 0, 0, 0, 0, 0, 20, 0, 20, 0, 1, 1], /no primary frame/],
    [[0x1d, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1], /redundant frames/],
  ]) {
    test(`a malformed packet is refused: ${reason.source}`, () => assert.throws(() => m.readPacket(Uint8Array.from(bytes)), reason));
  }

  test("batch framing: count, then uint16 big-endian length and bytes per packet", () => {
    const batch = m.writeBatch([Uint8Array.of(1, 2), Uint8Array.of(3, 4, 5, 6)]);
    assert.deepEqual([...batch], [2, 0, 2, 1, 2, 0, 4, 3, 4, 5, 6]);
    assert.deepEqual(m.readBatch(batch).map((p) => [...p]), [[1, 2], [3, 4, 5, 6]]);
    assert.throws(() => m.readBatch(Uint8Array.of(0)), /1–8 packets/);
    assert.throws(() => m.readBatch(Uint8Array.of(1, 0, 5, 1)), /bad length/);
    assert.throws(() => m.readBatch(Uint8Array.of(1, 0, 1, 1, 9)), /after its last packet/);
  });

  test("levels follow RFC 6464 like AudioLevel.Measure", () => {
    assert.equal(m.levelOf(0, 480), 127);
    assert.equal(m.levelOf(480, 480), 0); // full scale
    assert.equal(m.levelOf(480 * 0.01, 480), 20); // rms 0.1 = -20 dBov
  });
});

describe("voice ladder and link adapter", () => {
  const clean = { lossFraction: 0, meanLossBurstMs: 0, lateFraction: 0, roundTripMs: 80, sendBacklogMs: 0 };
  const run = (adapter, reports) => reports.map((report, second) => adapter.update(report, second * 1000).profile.name);
  const repeat = (report, n) => Array.from({ length: n }, () => report);

  test("the rungs are the codec module's, with the same ids and nominal wire cost", () => {
    assert.deepEqual(m.ladder.map((p) => [p.id, p.name, p.bitrate, p.frameMs, p.redundantFrames, p.inbandFec, p.framesPerMessage]),
      vectors.ladder.ladder.map((p) => [p.id, p.name, p.bitrate, p.frameMs, p.redundantFrames, p.inbandFec, p.framesPerMessage]));
    assert.equal(m.defaultProfile.name, "standard");
    assert.ok(m.nominalWireKbps(m.profileById(0)) <= 24 * 0.7, "lifeline fits a 24 kb/s link with headroom");
  });

  test("a clean link climbs one rung per 8 s hold to the best profile", () => {
    const trace = run(new m.LinkAdapter(), repeat(clean, 40));
    assert.equal(trace[0], "standard");
    assert.equal(trace[7], "standard");
    assert.equal(trace[8], "wide-fec");
    assert.equal(trace[16], "wide-fec");
    assert.equal(trace[17], "clear");
  });

  test("a stall (late packets, send backlog) drops at once to protection", () => {
    const trace = run(new m.LinkAdapter(m.profileById(6)), [...repeat(clean, 3), { ...clean, lateFraction: 0.4, sendBacklogMs: 900 }, ...repeat(clean, 4)]);
    assert.equal(trace[2], "clear");
    assert.equal(trace[3], "heavy-red");
    assert.equal(trace[7], "heavy-red");
  });

  test("bursty loss picks heavy redundancy, light loss FEC, moderate loss one-frame redundancy", () => {
    assert.equal(run(new m.LinkAdapter(), [{ ...clean, lossFraction: 0.2, meanLossBurstMs: 120 }])[0], "heavy-red");
    assert.equal(run(new m.LinkAdapter(), [{ ...clean, lossFraction: 0.04, meanLossBurstMs: 42 }])[0], "wide-fec");
    assert.equal(run(new m.LinkAdapter(), [{ ...clean, lossFraction: 0.12, meanLossBurstMs: 65 }])[0], "wide-red");
  });

  test("long round trips choose longer frames", () => {
    assert.equal(m.ladder.find((p) => p.name === run(new m.LinkAdapter(), [{ ...clean, roundTripMs: 1300 }])[0]).frameMs, 60);
    assert.ok(m.ladder.find((p) => p.name === run(new m.LinkAdapter(), [{ ...clean, roundTripMs: 600 }])[0]).frameMs >= 40);
  });

  test("one report of uplink delay (a retransmission stall) is not congestion; a persistent one steps down once", () => {
    const stall = { ...clean, sendBacklogMs: 300 };
    assert.deepEqual(run(new m.LinkAdapter(), Array.from({ length: 40 }, (_, s) => (s % 5 === 3 ? stall : clean))), run(new m.LinkAdapter(), repeat(clean, 40)));
    const queued = { ...clean, sendBacklogMs: 400 };
    const trace = run(new m.LinkAdapter(m.profileById(6)), [clean, queued, queued, queued, queued, queued, clean]);
    assert.deepEqual(trace, ["clear", "clear", "wide-fec", "wide-fec", "wide-fec", "wide-fec", "wide-fec"]);
  });

  test("a measured 50 kbit/s uplink keeps every rung within it until the capacity memory ends", () => {
    const queued = { ...clean, sendBacklogMs: 400 };
    const trace = run(new m.LinkAdapter(m.profileById(5)), [queued, { ...queued, availableKbps: 50 }, ...repeat(clean, 130)]);
    assert.equal(trace[1], "standard");
    for (const name of trace.slice(1, 121)) assert.ok(m.nominalWireKbps(m.ladder.find((p) => p.name === name)) <= 50 * 0.7, name);
    assert.equal(trace.at(-1), "wide-fec");
  });

  test("redundant rungs keep their planned loss; FEC plans for the measured loss", () => {
    assert.equal(new m.LinkAdapter().update({ ...clean, lossFraction: 0.3, meanLossBurstMs: 100 }, 0).expectedLossPercent, 20);
    const light = new m.LinkAdapter().update({ ...clean, lossFraction: 0.07, meanLossBurstMs: 40 }, 0);
    assert.equal(light.profile.name, "wide-fec");
    assert.equal(light.expectedLossPercent, 7);
  });
});

describe("shared vectors (codec/test/vectors)", () => {
  const { packets, ladder, "adapter-traces": traces, "reception-report": reception } = vectors;
  const hex = (bytes) => Buffer.from(bytes).toString("hex");
  const fromHex = (text) => Uint8Array.from(Buffer.from(text, "hex"));

  for (const v of packets.packets) {
    test(`packet "${v.name}": the port writes the module's bytes and reads them back`, () => {
      const redundant = v.redundant.map((b) => ({ durationMs: b.durationMs, frame: Uint8Array.from(b.frame), distance: b.distance }));
      const bytes = m.writePacket({ voiceActivity: v.voiceActivity, profileId: v.profileId, sequence: v.sequence, timestamp: v.timestamp, durationMs: v.durationMs, level: v.level, redundant, frame: Uint8Array.from(v.frame) });
      assert.equal(hex(bytes), v.bytes);
      assert.equal(bytes[0] >> 4, v.version);
      const back = m.readPacket(fromHex(v.bytes));
      assert.deepEqual(back.redundant.map((b) => [b.distance, b.durationMs, [...b.frame]]), v.redundant.map((b) => [b.distance, b.durationMs, b.frame]));
      assert.deepEqual([back.sequence, back.timestamp, back.durationMs, back.level, back.profileId, back.voiceActivity, [...back.frame]], [v.sequence, v.timestamp, v.durationMs, v.level, v.profileId, v.voiceActivity, v.frame]);
    });
  }

  test("every packet the module refuses, the port refuses", () => {
    for (const { why, bytes, error } of packets.malformed) assert.throws(() => m.readPacket(fromHex(bytes)), Error, `${why} (the module: ${error})`);
  });

  for (const v of packets.batches) {
    test(`batch "${v.name}": the port frames the module's packets into the module's bytes`, () => {
      const batch = m.writeBatch(v.packets.map(fromHex));
      assert.equal(hex(batch), v.bytes);
      assert.deepEqual(m.readBatch(fromHex(v.bytes)).map(hex), v.packets);
    });
  }

  test("every batch the module refuses, the port refuses", () => {
    for (const { why, bytes, error } of packets.malformedBatches) assert.throws(() => m.readBatch(fromHex(bytes)), Error, `${why} (the module: ${error})`);
  });

  test("the ladder is the module's, rung for rung, with the same redundancy and nominal wire cost", () => {
    assert.equal(m.defaultProfile.name, ladder.defaultProfile);
    assert.deepEqual(m.ladder.map((p) => ({
      id: p.id, name: p.name, bitrate: p.bitrate, frameMs: p.frameMs, band: p.band, complexity: p.complexity, inbandFec: p.inbandFec,
      expectedLossPercent: p.expectedLossPercent, redundantFrames: p.redundantFrames,
      redundancy: p.redundancy.map((c) => ({ distance: c.distance, bitrate: c.bitrate ?? null })), dtx: p.dtx, framesPerMessage: p.framesPerMessage,
    })), ladder.ladder.map(({ nominalWireKbps, ...rung }) => rung));
    for (const rung of ladder.ladder) assert.ok(Math.abs(m.nominalWireKbps(m.profileById(rung.id)) - rung.nominalWireKbps) < 1e-6, rung.name);
  });

  for (const trace of traces.traces) {
    test(`adapter trace "${trace.name}": the same decisions as the module`, () => {
      const adapter = new m.LinkAdapter(m.ladder.find((p) => p.name === trace.initial));
      const decisions = trace.steps.map((step, second) => adapter.update(step.report, second * 1000));
      assert.deepEqual(decisions.map((d) => [d.profile.name, d.expectedLossPercent]), trace.steps.map((s) => [s.profile, s.expectedLossPercent]));
    });
  }

  test("the uplink capacity estimate is the module's, feedback for feedback", () => {
    const estimator = new m.UplinkCapacityEstimator();
    const estimates = traces.capacity.map((s) => estimator.update(s.sentWireKilobitsTotal, s.nowMs, s.uplinkDelayMs));
    assert.ok(traces.capacity.some((s) => s.capacityKbps !== null) && traces.capacity.some((s) => s.capacityKbps === null));
    traces.capacity.forEach((s, i) => (s.capacityKbps === null ? assert.equal(estimates[i], undefined) : assert.ok(Math.abs(estimates[i] - s.capacityKbps) < 1e-6, `step ${i}`)));
  });

  test("a reception report: the hub's percentile figures lead the port's adapter to the module's rung", () => {
    const keys = ["speakerId", "lossFraction", "meanLossBurstMs", "lateFraction", "jitterMs", "concealedFraction", "packets"];
    for (const { report } of reception.listeners) assert.deepEqual(Object.keys(report), keys, "ReportReception's payload (web/src/protocol.ts ReceptionReportRequest)");
    const worst = Math.max(...reception.listeners.map((l) => l.report.lossFraction));
    assert.equal(reception.aggregated.worstLossFraction, worst);
    assert.ok(reception.aggregated.lossFraction < worst, "the 90th percentile listener, not the single worst phone");
    const decision = new m.LinkAdapter(m.ladder.find((p) => p.name === reception.initial)).update(reception.linkReport, 0);
    assert.deepEqual([decision.profile.name, decision.expectedLossPercent], [reception.profile, reception.expectedLossPercent]);
  });
});
