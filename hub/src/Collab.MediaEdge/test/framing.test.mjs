// The framing against the shared known-answer vector (the hub's C# framing tests read the same file).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Direction, MAX_DATAGRAM_BYTES, MAX_PAYLOAD_BYTES, OVERHEAD_BYTES, ReplayWindow, Type, open, readHeader, seal } from "../framing.mjs";

const vector = JSON.parse(readFileSync(new URL("../../../../codec/test/vectors/voice-datagram.json", import.meta.url), "utf8"));
const hex = (text) => Buffer.from(text, "hex");
const inputs = (c) => ({ key: hex(c.key), sessionId: hex(c.sessionId), direction: Direction[c.direction], counter: BigInt(c.counter), type: Type[c.type], payload: hex(c.payload) });

test("the vector's numbers are the edge's", () => {
  assert.deepEqual(vector.directions, { ...Direction });
  assert.deepEqual(vector.types, { ...Type });
  assert.ok(vector.cases.length >= 4);
});

for (const c of vector.cases) {
  test(`seals "${c.name}" to the vector's bytes`, () => {
    assert.equal(seal(inputs(c)).toString("hex"), c.datagram);
  });

  test(`opens "${c.name}" to its payload, and refuses it with another key, direction or a changed byte`, () => {
    const datagram = hex(c.datagram);
    const header = readHeader(datagram);
    assert.equal(header.type, Type[c.type]);
    assert.equal(header.sessionId.toString("hex"), c.sessionId);
    assert.equal(header.counter, BigInt(c.counter));
    const { key, direction } = inputs(c);
    assert.equal(open({ key, direction, datagram, counter: header.counter }).toString("hex"), c.payload);
    const otherKey = Buffer.from(key).fill(0x5a, 0, 1);
    assert.equal(open({ key: otherKey, direction, datagram, counter: header.counter }), null);
    assert.equal(open({ key, direction: 3 - direction, datagram, counter: header.counter }), null);
    for (const at of [0, 5, 12, datagram.length - 1]) {
      const changed = Buffer.from(datagram);
      changed[at] ^= 0x01;
      const h = readHeader(changed);
      if (h.reason) continue; // a changed version/type byte is refused before the tag
      assert.equal(open({ key, direction, datagram: changed, counter: h.counter }), null, `byte ${at} changed`);
    }
  });
}

test("datagrams over 1200 bytes are neither sealed nor read; under the 33-byte overhead is not read", () => {
  const base = inputs(vector.cases[0]);
  assert.equal(seal({ ...base, payload: Buffer.alloc(MAX_PAYLOAD_BYTES) }).length, MAX_DATAGRAM_BYTES);
  assert.equal(seal({ ...base, payload: Buffer.alloc(MAX_PAYLOAD_BYTES + 1) }), null);
  assert.equal(readHeader(Buffer.alloc(MAX_DATAGRAM_BYTES + 1, 0x11)).reason, "size");
  assert.equal(readHeader(Buffer.alloc(OVERHEAD_BYTES - 1, 0x11)).reason, "size");
  const wrongVersion = hex(vector.cases[0].datagram);
  wrongVersion[0] = 0x22;
  assert.equal(readHeader(wrongVersion).reason, "version");
  const wrongType = hex(vector.cases[0].datagram);
  wrongType[0] = 0x14;
  assert.equal(readHeader(wrongType).reason, "version");
});

test("the replay window takes each counter once, late ones within 64, nothing older", () => {
  const window = new ReplayWindow();
  const take = (n) => {
    const fresh = window.fresh(BigInt(n));
    if (fresh) window.accept(BigInt(n));
    return fresh;
  };
  assert.equal(take(0), false, "counters start at 1");
  assert.equal(take(1), true);
  assert.equal(take(1), false, "a repeat");
  assert.equal(take(3), true);
  assert.equal(take(2), true, "late but in the window");
  assert.equal(take(2), false);
  assert.equal(take(100), true);
  assert.equal(take(37), true, "63 behind the highest");
  assert.equal(take(36), false, "64 behind: outside the window");
  assert.equal(take(99), true);
  assert.equal(take(1000), true, "a jump clears the window");
  assert.equal(take(999), true);
  assert.equal(take(1000), false);
  assert.equal(take(2n ** 63n), true, "64-bit counters");
});
