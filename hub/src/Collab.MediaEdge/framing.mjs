// The voice datagram (hub/PROTOCOL.md, "Voice datagrams"), all integers big-endian:
//   0      (version << 4) | type       version 1; types 1 audio, 2 ping, 3 pong
//   1..8   session id
//   9..16  counter (uint64), per session per direction, from 1
//   17..   AES-128-GCM ciphertext of the payload, then the 16-byte tag
// nonce = 4-byte direction (1 client->hub, 2 hub->client) + the 8-byte counter; associated data = bytes 0..16.
import { createCipheriv, createDecipheriv } from "node:crypto";

export const VERSION = 1;
export const HEADER_BYTES = 17;
export const TAG_BYTES = 16;
export const OVERHEAD_BYTES = HEADER_BYTES + TAG_BYTES;
export const MAX_DATAGRAM_BYTES = 1200;
export const MAX_PAYLOAD_BYTES = MAX_DATAGRAM_BYTES - OVERHEAD_BYTES;
export const SESSION_ID_BYTES = 8;
export const KEY_BYTES = 16;
export const Direction = Object.freeze({ clientToHub: 1, hubToClient: 2 });
export const Type = Object.freeze({ audio: 1, ping: 2, pong: 3 });
const REPLAY_WINDOW = 64n;

function nonceOf(direction, counter) {
  const nonce = Buffer.alloc(12);
  nonce.writeUInt32BE(direction, 0);
  nonce.writeBigUInt64BE(counter, 4);
  return nonce;
}

/** Seals one datagram; `counter` is a bigint. Returns null when the payload would make it larger than 1200 bytes. */
export function seal({ key, sessionId, direction, counter, type, payload }) {
  if (payload.length > MAX_PAYLOAD_BYTES) return null;
  const datagram = Buffer.allocUnsafe(OVERHEAD_BYTES + payload.length);
  datagram[0] = (VERSION << 4) | type;
  Buffer.from(sessionId.buffer, sessionId.byteOffset, sessionId.byteLength).copy(datagram, 1);
  datagram.writeBigUInt64BE(counter, 9);
  const cipher = createCipheriv("aes-128-gcm", key, nonceOf(direction, counter));
  cipher.setAAD(datagram.subarray(0, HEADER_BYTES));
  const body = cipher.update(payload);
  body.copy(datagram, HEADER_BYTES);
  cipher.final();
  cipher.getAuthTag().copy(datagram, HEADER_BYTES + body.length);
  return datagram;
}

/**
 * Reads a datagram's header without trusting it: { version, type, sessionId (Buffer), counter (bigint) }, or a
 * reason ("size" | "version") it cannot be a datagram of this version.
 */
export function readHeader(datagram) {
  if (datagram.length < OVERHEAD_BYTES || datagram.length > MAX_DATAGRAM_BYTES) return { reason: "size" };
  const version = datagram[0] >> 4;
  const type = datagram[0] & 0x0f;
  if (version !== VERSION || type < Type.audio || type > Type.pong) return { reason: "version" };
  return { version, type, sessionId: datagram.subarray(1, 9), counter: datagram.readBigUInt64BE(9) };
}

/** Opens a datagram whose header `readHeader` read; returns the payload, or null when the tag does not verify. */
export function open({ key, direction, datagram, counter }) {
  const decipher = createDecipheriv("aes-128-gcm", key, nonceOf(direction, counter));
  decipher.setAAD(datagram.subarray(0, HEADER_BYTES));
  decipher.setAuthTag(datagram.subarray(datagram.length - TAG_BYTES));
  const payload = decipher.update(datagram.subarray(HEADER_BYTES, datagram.length - TAG_BYTES));
  try {
    decipher.final();
  } catch {
    return null;
  }
  return payload;
}

/** The 64-wide replay window of what a receiver accepted: a counter seen, or older than the window, is refused. */
export class ReplayWindow {
  #highest = 0n;
  #seen = 0n; // bit i = counter (highest - i) was accepted

  /** Whether `counter` would be accepted (call `accept` only after the tag verified). */
  fresh(counter) {
    if (counter === 0n) return false;
    if (counter > this.#highest) return true;
    const age = this.#highest - counter;
    return age < REPLAY_WINDOW && (this.#seen & (1n << age)) === 0n;
  }

  accept(counter) {
    if (counter > this.#highest) {
      const shift = counter - this.#highest;
      this.#seen = shift >= REPLAY_WINDOW ? 1n : ((this.#seen << shift) | 1n) & ((1n << REPLAY_WINDOW) - 1n);
      this.#highest = counter;
    } else {
      this.#seen |= 1n << (this.#highest - counter);
    }
  }
}
