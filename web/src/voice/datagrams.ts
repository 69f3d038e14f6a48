// The unreliable voice path (hub/PROTOCOL.md, "Voice datagrams"): a WebRTC data channel, unordered and never
// retransmitted, to the hub node's media edge, which carries its messages as datagrams to the node. Signalling is one
// call on the SignalR connection (OpenVoiceChannel with a non-trickle offer). A message is [type][payload]: 1 audio
// (out: an AudioBatch; in: [speakerId length][speakerId][batch]), 2 ping (8 bytes of our clock), 3 pong (them back).
// Audio goes by the channel while the last pong is under 3 s old, else by PublishAudio; for 1.5 s after a switch
// either way, and while the last pong is over 1.5 s old, it goes by both (listeners drop the duplicates by sequence).
// A refused or broken channel is retried later.
import { HubError } from "../protocol";
import type { MeetingSession } from "../session";

/** The path this tab's voice takes, as the design names it ("VoicePath"). */
export type VoicePathName = "unreliable" | "signalr";

export interface VoicePathEvents {
  /** Audio from the channel, as the AudioReceived push carries it. */
  audio(speakerId: string, batch: Uint8Array): void;
  path(path: VoicePathName): void;
}

const enum Kind { Audio = 1, Ping = 2, Pong = 3 }

const pingMs = 1000;
const freshMs = 3000;
const overlapMs = 1500;
const gatherMs = 5000;
const openMs = 10_000;
/** A channel that stays open with no pong this long is replaced (the edge or the hub forgot the session). */
const silentMs = 20_000;
const retryMs = [3000, 10_000, 30_000, 60_000];
/** About 1 s of the top profile: past it the channel is backed up and a batch is not worth queueing there. */
const maxBufferedBytes = 16 * 1024;
const maxPayloadBytes = 1200 - 33;
const utf8 = new TextDecoder();

export class VoicePath {
  /** "unreliable" while pongs come back within 3 s, else "signalr". */
  path: VoicePathName = "signalr";
  /** Round trip of the last pong, ms. */
  roundTripMs: number | undefined;
  private pc: RTCPeerConnection | undefined;
  private channel: RTCDataChannel | undefined;
  private lastPongAt = -Infinity;
  private openedAt = 0;
  private switchedAt = -Infinity;
  private attempt = 0;
  private generation = 0;
  private retryTimer: number | undefined;
  private readonly ticker: number;
  private closed = false;

  constructor(private readonly session: MeetingSession, private readonly events: VoicePathEvents) {
    this.ticker = window.setInterval(() => this.tick(), pingMs);
    void this.open();
  }

  /** Publishes one batch on the path(s) the rules pick. */
  publish(batch: Uint8Array): void {
    const now = performance.now();
    this.evaluate(now);
    // Both paths for 1.5 s after a switch, and while a pong is late (one missed: the path may be failing).
    const both = now - this.switchedAt < overlapMs || (this.path === "unreliable" && now - this.lastPongAt > freshMs - overlapMs);
    const channel = this.channel;
    const direct = (this.path === "unreliable" || both) && channel?.readyState === "open" && batch.length <= maxPayloadBytes
      && channel.bufferedAmount < maxBufferedBytes;
    if (direct) {
      const message = new Uint8Array(1 + batch.length);
      message[0] = Kind.Audio;
      message.set(batch, 1);
      channel.send(message);
    }
    if (!direct || this.path === "signalr" || both) this.session.connection.send("PublishAudio", batch);
  }

  close(): void {
    this.closed = true;
    window.clearInterval(this.ticker);
    window.clearTimeout(this.retryTimer);
    this.teardown();
    this.setPath("signalr", performance.now());
  }

  private async open(): Promise<void> {
    if (this.closed || typeof RTCPeerConnection === "undefined") return;
    const generation = ++this.generation;
    const pc = new RTCPeerConnection({ iceServers: [] });
    const channel = pc.createDataChannel("voice", { ordered: false, maxRetransmits: 0 });
    channel.binaryType = "arraybuffer";
    this.pc = pc;
    this.channel = channel;
    this.openedAt = performance.now();
    channel.onopen = () => this.ping();
    channel.onmessage = (event: MessageEvent<ArrayBuffer>) => this.onMessage(event.data);
    channel.onclose = () => generation === this.generation && this.broken();
    try {
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      const view = await this.session.connection.invoke("OpenVoiceChannel", { offer: pc.localDescription?.sdp ?? "" });
      if (generation !== this.generation) return;
      if (!view.answer) throw new Error("The hub gave no answer to the offer.");
      await pc.setRemoteDescription({ type: "answer", sdp: view.answer });
    } catch (error) {
      if (generation !== this.generation) return;
      // A hub without the method (older) never will have it on this connection; anything else may pass.
      if (error instanceof HubError && error.code === "unsupported") {
        this.teardown();
        return;
      }
      this.broken();
    }
  }

  private tick(): void {
    const now = performance.now();
    this.evaluate(now);
    const channel = this.channel;
    if (!channel) return;
    if (channel.readyState === "open") {
      this.ping();
      if (now - Math.max(this.lastPongAt, this.openedAt) > silentMs) this.broken();
    } else if (channel.readyState === "connecting" && now - this.openedAt > openMs) {
      this.broken();
    }
  }

  private ping(): void {
    if (this.channel?.readyState !== "open") return;
    const message = new Uint8Array(9);
    message[0] = Kind.Ping;
    new DataView(message.buffer).setFloat64(1, performance.now());
    this.channel.send(message);
  }

  private onMessage(data: ArrayBuffer): void {
    const bytes = new Uint8Array(data);
    if (bytes[0] === Kind.Pong && bytes.length === 9) {
      const now = performance.now();
      const sent = new DataView(data).getFloat64(1);
      if (!(sent <= now && now - sent < 60_000)) return; // not a ping of this page's clock
      this.roundTripMs = now - sent;
      this.lastPongAt = now;
      this.attempt = 0;
      this.evaluate(now);
    } else if (bytes[0] === Kind.Audio && bytes.length > 2) {
      const idLength = bytes[1] ?? 0;
      if (bytes.length <= 2 + idLength) return;
      this.events.audio(utf8.decode(bytes.subarray(2, 2 + idLength)), bytes.slice(2 + idLength));
    }
  }

  private evaluate(now: number): void {
    const fresh = this.channel?.readyState === "open" && now - this.lastPongAt < freshMs;
    this.setPath(fresh ? "unreliable" : "signalr", now);
  }

  private setPath(path: VoicePathName, now: number): void {
    if (path === this.path) return;
    this.path = path;
    this.switchedAt = now;
    this.events.path(path);
  }

  /** The channel failed, closed or never opened: voice stays on SignalR and a new channel is tried later. */
  private broken(): void {
    this.teardown();
    this.evaluate(performance.now());
    if (this.closed) return;
    const delay = retryMs[Math.min(this.attempt, retryMs.length - 1)] ?? 60_000;
    this.attempt++;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => void this.open(), delay * (0.8 + 0.4 * Math.random()));
  }

  private teardown(): void {
    this.generation++;
    const { pc, channel } = this;
    this.pc = undefined;
    this.channel = undefined;
    this.lastPongAt = -Infinity;
    if (channel) channel.onclose = channel.onmessage = channel.onopen = null;
    channel?.close();
    pc?.close();
  }
}

/** Resolves when ICE gathering is complete (a non-trickle offer carries every candidate), at most after 5 s. */
function gathered(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      if (pc.iceGatheringState !== "complete") return;
      window.clearTimeout(timer);
      pc.removeEventListener("icegatheringstatechange", done);
      resolve();
    };
    const timer = window.setTimeout(() => {
      pc.removeEventListener("icegatheringstatechange", done);
      resolve();
    }, gatherMs);
    pc.addEventListener("icegatheringstatechange", done);
    done();
  });
}
