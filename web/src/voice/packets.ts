// The Collab audio packet (versions 1 and 2) and batch framing, byte for byte as codec/README.md and
// codec/src/Collab.Codec/Packets define them. Big-endian. Version 2 spreads redundant copies over time: each block's
// first byte is its sequence distance (high 4 bits) and duration in tens of ms (low 4 bits); a writer uses it only
// when the blocks are not the contiguous frames just before the primary.

export const headerBytes = 10;
export const maxRedundantFrames = 2;
export const maxRedundantDistance = 15;
export const maxBatchPackets = 8;
/** Level at or above which (in -dBov) a frame is not speech (AudioLevel.SpeakingThreshold). */
export const speakingThreshold = 50;
export const silenceLevel = 127;

export interface AudioPacket {
  voiceActivity: boolean;
  profileId: number;
  sequence: number;
  timestamp: number;
  durationMs: number;
  level: number;
  /**
   * Oldest first. Each block carries the frame `distance` sequence numbers back (distances strictly decreasing); left
   * out on writing, a block is the next of the contiguous frames before the primary (version 1).
   */
  redundant: RedundantBlock[];
  frame: Uint8Array;
}

export interface RedundantBlock { durationMs: number; frame: Uint8Array; distance?: number }

/** Whether the blocks (oldest first) are anything but the contiguous frames just before the primary. */
function spreads(blocks: readonly RedundantBlock[]): boolean {
  return blocks.some((b, i) => b.distance !== undefined && b.distance !== blocks.length - i);
}

export function writePacket(packet: AudioPacket): Uint8Array {
  const redundant = packet.redundant.slice(-maxRedundantFrames);
  const spread = spreads(redundant);
  if (spread && redundant.some((b, i) => b.distance === undefined || b.distance < 1 || b.distance > maxRedundantDistance || (i > 0 && b.distance >= (redundant[i - 1]?.distance as number)))) {
    throw new Error("Spread redundant frames name their distances (1–15), strictly decreasing oldest first.");
  }
  const size = headerBytes + redundant.reduce((n, r) => n + 3 + r.frame.length, 0) + packet.frame.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = ((spread ? 2 : 1) << 4) | (redundant.length << 2) | (packet.voiceActivity ? 1 : 0);
  out[1] = packet.profileId;
  view.setUint16(2, packet.sequence & 0xffff);
  view.setUint32(4, packet.timestamp >>> 0);
  out[8] = packet.durationMs;
  out[9] = Math.min(silenceLevel, Math.max(0, Math.round(packet.level)));
  let offset = headerBytes;
  for (const block of redundant) {
    out[offset] = spread ? ((block.distance as number) << 4) | (block.durationMs / 10) : block.durationMs;
    view.setUint16(offset + 1, block.frame.length);
    out.set(block.frame, offset + 3);
    offset += 3 + block.frame.length;
  }
  out.set(packet.frame, offset);
  return out;
}

/** Parses one packet; throws with the reason a reader in the codec module would give. */
export function readPacket(bytes: Uint8Array): AudioPacket {
  if (bytes.length < headerBytes + 1) throw new Error(`An audio packet has at least ${headerBytes + 1} bytes; got ${bytes.length}.`);
  const first = bytes[0] as number;
  const version = first >> 4;
  if (version !== 1 && version !== 2) throw new Error(`Audio packet version ${version} is not supported.`);
  const spread = version === 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const durationMs = bytes[8] as number;
  if (durationMs < 10 || durationMs > 120 || durationMs % 10 !== 0) throw new Error(`Frame duration ${durationMs} ms is invalid.`);
  const level = bytes[9] as number;
  if (level > 127) throw new Error(`Audio level ${level} is outside 0–127.`);
  const count = (first >> 2) & 0x3;
  if (count > maxRedundantFrames) throw new Error(`Too many redundant frames (${count}).`);
  let offset = headerBytes;
  const redundant: AudioPacket["redundant"] = [];
  for (let i = 0; i < count; i++) {
    if (bytes.length < offset + 3) throw new Error("The packet ends inside a redundant block header.");
    const b = bytes[offset] as number;
    const d = spread ? (b & 0xf) * 10 : b;
    const distance = spread ? b >> 4 : count - i;
    const length = view.getUint16(offset + 1);
    offset += 3;
    if (d < 10 || d > 120 || d % 10 !== 0 || length === 0 || length > 1275 || bytes.length < offset + length) throw new Error(`Redundant block ${i + 1} is malformed.`);
    const previous = redundant[i - 1]?.distance;
    if (distance === 0 || (previous !== undefined && distance >= previous)) throw new Error(`Redundant block ${i + 1} has distance ${distance}; distances are 1–15, strictly decreasing oldest first.`);
    redundant.push({ durationMs: d, frame: bytes.subarray(offset, offset + length), distance });
    offset += length;
  }
  if (offset >= bytes.length) throw new Error("The packet has no primary frame.");
  return {
    voiceActivity: (first & 1) !== 0, profileId: bytes[1] as number, sequence: view.getUint16(2), timestamp: view.getUint32(4),
    durationMs, level, redundant, frame: bytes.subarray(offset),
  };
}

export function writeBatch(packets: readonly Uint8Array[]): Uint8Array {
  if (packets.length === 0 || packets.length > maxBatchPackets) throw new Error(`A batch holds 1–${maxBatchPackets} packets.`);
  const out = new Uint8Array(1 + packets.reduce((n, p) => n + 2 + p.length, 0));
  const view = new DataView(out.buffer);
  out[0] = packets.length;
  let offset = 1;
  for (const packet of packets) {
    view.setUint16(offset, packet.length);
    out.set(packet, offset + 2);
    offset += 2 + packet.length;
  }
  return out;
}

export function readBatch(batch: Uint8Array): Uint8Array[] {
  if (batch.length === 0) throw new Error("An empty audio batch.");
  const count = batch[0] as number;
  if (count === 0 || count > maxBatchPackets) throw new Error(`An audio batch holds 1–${maxBatchPackets} packets; it says ${count}.`);
  const view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  const packets: Uint8Array[] = [];
  let offset = 1;
  for (let i = 0; i < count; i++) {
    if (batch.length < offset + 2) throw new Error(`The batch ends inside packet ${i + 1}'s length.`);
    const length = view.getUint16(offset);
    offset += 2;
    if (length === 0 || batch.length < offset + length) throw new Error(`Packet ${i + 1} of the batch has a bad length (${length} B).`);
    packets.push(batch.subarray(offset, offset + length));
    offset += length;
  }
  if (offset !== batch.length) throw new Error(`The batch has ${batch.length - offset} bytes after its last packet.`);
  return packets;
}

/** RFC 6464 level of float samples: -dBov, 0 loudest, 127 silence (AudioLevel.Measure). */
export function levelOf(sumOfSquares: number, samples: number): number {
  if (samples === 0) return silenceLevel;
  const rms = Math.sqrt(sumOfSquares / samples);
  if (rms <= 0) return silenceLevel;
  return Math.min(silenceLevel, Math.max(0, Math.round(-20 * Math.log10(rms))));
}
