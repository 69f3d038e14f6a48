// Writes voice-datagram.json: known-answer cases for the voice datagram framing (hub/PROTOCOL.md, "Voice datagrams"),
// sealed with Node's own AES-128-GCM (OpenSSL), so the hub's C# framing and the media edge are each checked against
// an implementation that is neither of them. Run: node codec/test/vectors/voice-datagram.mjs
import { createCipheriv } from "node:crypto";
import { writeFileSync } from "node:fs";

const directions = { clientToHub: 1, hubToClient: 2 };
const types = { audio: 1, ping: 2, pong: 3 };

function seal({ key, sessionId, counter, direction, type, payload }) {
  const header = Buffer.alloc(17);
  header[0] = (1 << 4) | types[type];
  Buffer.from(sessionId, "hex").copy(header, 1);
  header.writeBigUInt64BE(BigInt(counter), 9);
  const nonce = Buffer.alloc(12);
  nonce.writeUInt32BE(directions[direction], 0);
  nonce.writeBigUInt64BE(BigInt(counter), 4);
  const cipher = createCipheriv("aes-128-gcm", Buffer.from(key, "hex"), nonce);
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(Buffer.from(payload, "hex")), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]).toString("hex");
}

// The "one packet" AudioBatch of packets.json (a well-formed batch the hub's publish gate accepts).
const batch = "01000d1106002900004b001428f8fffe";
const speaker = Buffer.from("speaker-1", "utf8");
const hubAudio = Buffer.concat([Buffer.from([speaker.length]), speaker, Buffer.from(batch, "hex")]).toString("hex");

const cases = [
  { name: "ping", key: "000102030405060708090a0b0c0d0e0f", sessionId: "1122334455667788", counter: 1, direction: "clientToHub", type: "ping", payload: "0000019a2b3c4d5e" },
  { name: "pong", key: "000102030405060708090a0b0c0d0e0f", sessionId: "1122334455667788", counter: 1, direction: "hubToClient", type: "pong", payload: "0000019a2b3c4d5e" },
  { name: "audio from a speaker", key: "f0e1d2c3b4a5968778695a4b3c2d1e0f", sessionId: "0102030405060708", counter: 513, direction: "clientToHub", type: "audio", payload: batch },
  { name: "audio to a listener", key: "f0e1d2c3b4a5968778695a4b3c2d1e0f", sessionId: "0102030405060708", counter: 4294967297, direction: "hubToClient", type: "audio", payload: hubAudio },
].map((c) => ({ ...c, datagram: seal(c) }));

const about = "Written by `node codec/test/vectors/voice-datagram.mjs` (Node's AES-128-GCM); checked by the hub's datagram framing tests and the media edge's tests. Do not edit by hand.";
writeFileSync(new URL("./voice-datagram.json", import.meta.url), JSON.stringify({ about, directions, types, cases }, null, 2) + "\n");
