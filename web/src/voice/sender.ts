// Speaker side: PCM at 48 kHz → WebCodecs AudioEncoder (Opus, the rung's parameters) → Collab audio packets with
// the rung's redundancy → batches of the rung's frames per message. Mirrors Collab.Codec's VoiceSender: DTX frames
// (1–2 bytes) are not sent and break the redundancy chain; the level is measured on the frame's own samples. WebCodecs
// has no RED, so the redundancy is built here: exact copies of earlier frames, and for rungs that ask for it a
// re-encoding of an earlier frame by a second AudioEncoder at the rung's lower copy bitrate (fed the same audio, so
// its state stays continuous), spread to the distances the rung names.
import { levelOf, speakingThreshold, writeBatch, writePacket, type RedundantBlock } from "./packets";
import { copyBitrate, type VoiceProfile } from "./ladder";

const sampleRate = 48_000;
const dtxFrameBytes = 2;
const blockSamples = 480; // 10 ms: the granularity of level bookkeeping
const historyFrames = 4;

interface SentFrame { frame: Uint8Array; timestamp: number; durationMs: number }

export interface SenderStats { framesEncoded: number; packetsSent: number; dtxFrames: number; batchesSent: number; bytesSent: number }

export function opusConfig(profile: VoiceProfile, expectedLossPercent: number): AudioEncoderConfig {
  return {
    codec: "opus",
    sampleRate,
    numberOfChannels: 1,
    bitrate: profile.bitrate,
    bitrateMode: "variable",
    opus: {
      format: "opus",
      frameDuration: profile.frameMs * 1000,
      complexity: profile.complexity,
      packetlossperc: expectedLossPercent,
      useinbandfec: profile.inbandFec,
      usedtx: profile.dtx,
    },
  } as AudioEncoderConfig;
}

export class VoiceSender {
  readonly stats: SenderStats = { framesEncoded: 0, packetsSent: 0, dtxFrames: 0, batchesSent: 0, bytesSent: 0 };
  private encoder: AudioEncoder | undefined;
  private reencoder: AudioEncoder | undefined;
  /** Re-encoded frames by timestamp, the last few. */
  private reencoded = new Map<number, SentFrame>();
  private profile: VoiceProfile;
  private expectedLoss: number;
  private sequence = Math.floor(Math.random() * 0x10000);
  /** Sample position of the next input sample on the 48 kHz media clock (starts random, wraps at 2^32). */
  private position = Math.floor(Math.random() * 0x7fffffff);
  private readonly origin = this.position;
  private readonly blockEnergy = new Map<number, number>();
  private history: SentFrame[] = [];
  private pending: Uint8Array[] = [];
  private stoppedAt: number | undefined;

  constructor(profile: VoiceProfile, expectedLossPercent: number, private readonly publish: (batch: Uint8Array) => void, private readonly onError: (message: string) => void) {
    this.profile = profile;
    this.expectedLoss = expectedLossPercent;
  }

  get currentProfile(): VoiceProfile {
    return this.profile;
  }

  static async supported(profile: VoiceProfile): Promise<boolean> {
    if (typeof AudioEncoder === "undefined") return false;
    const support = await AudioEncoder.isConfigSupported(opusConfig(profile, profile.expectedLossPercent));
    return support.supported === true;
  }

  /** 10 ms (or any length) of mono float PCM at 48 kHz. */
  encode(samples: Float32Array<ArrayBuffer>): void {
    if (this.stoppedAt !== undefined) {
      // A new talk spurt after a release or a mute. The media clock runs on through the pause, as RTP's does: the hub
      // reads arrival minus media time as uplink delay, so a clock that stood still would look like a backlog as long
      // as the pause. At least 1 s, so listeners read a sequence gap across it (packets the hub refused while a
      // moderator's mute took effect) as a pause, not as loss.
      this.position += Math.max(sampleRate, Math.round(((performance.now() - this.stoppedAt) * sampleRate) / 1000));
      this.stoppedAt = undefined;
    }
    const encoder = this.encoder && this.encoder.state !== "closed" ? this.encoder : this.open();
    let sum = 0;
    for (const s of samples) sum += s * s;
    this.blockEnergy.set(Math.floor((this.position - this.origin) / blockSamples), sum);
    const data = new AudioData({
      format: "f32", sampleRate, numberOfChannels: 1, numberOfFrames: samples.length,
      timestamp: Math.round(((this.position - this.origin) * 1_000_000) / sampleRate),
      data: samples,
    });
    this.position += samples.length;
    const reencoder = copyBitrate(this.profile) === undefined ? undefined : this.reencoder && this.reencoder.state !== "closed" ? this.reencoder : this.openReencoder();
    if (reencoder) {
      const copy = data.clone();
      reencoder.encode(copy);
      copy.close();
    }
    encoder.encode(data);
    data.close();
  }

  /** Switches rung: the encoder is flushed and replaced (a band change resets the codec, as in VoiceEncoder.Apply). */
  async apply(profile: VoiceProfile, expectedLossPercent: number): Promise<void> {
    if (profile.id === this.profile.id && expectedLossPercent === this.expectedLoss) return;
    if (profile.id === this.profile.id) {
      // Same rung, new planned loss: reconfigure in place (no reset, no glitch).
      this.expectedLoss = expectedLossPercent;
      if (this.encoder?.state === "configured") this.encoder.configure(opusConfig(profile, expectedLossPercent));
      return;
    }
    const old = this.encoder;
    this.encoder = undefined;
    this.closeReencoder();
    this.profile = profile;
    this.expectedLoss = expectedLossPercent;
    if (old && old.state === "configured") {
      await old.flush().catch(() => undefined);
      old.close();
    }
    this.flushBatch();
  }

  /** End of a talk spurt (push-to-talk released): send what is batched and start the next spurt clean. */
  async stop(): Promise<void> {
    const old = this.encoder;
    this.encoder = undefined;
    this.closeReencoder();
    if (old && old.state === "configured") {
      await old.flush().catch(() => undefined);
      old.close();
    }
    this.flushBatch();
    this.history = [];
    this.blockEnergy.clear();
    this.stoppedAt = performance.now();
  }

  private open(): AudioEncoder {
    const profile = this.profile;
    const encoder = new AudioEncoder({
      output: (chunk) => this.onChunk(chunk, profile),
      error: (error) => this.onError(`Voice encoder: ${error.message}`),
    });
    encoder.configure(opusConfig(profile, this.expectedLoss));
    this.encoder = encoder;
    return encoder;
  }

  private openReencoder(): AudioEncoder {
    const profile = this.profile;
    const encoder = new AudioEncoder({
      output: (chunk) => {
        const frame = new Uint8Array(chunk.byteLength);
        chunk.copyTo(frame);
        const timestamp = (this.origin + Math.round((chunk.timestamp * sampleRate) / 1_000_000)) >>> 0;
        const durationMs = Math.round((chunk.duration ?? profile.frameMs * 1000) / 1000) || profile.frameMs;
        this.reencoded.set(timestamp, { frame, timestamp, durationMs });
        if (this.reencoded.size > historyFrames + 2) this.reencoded.delete(this.reencoded.keys().next().value as number);
      },
      error: (error) => this.onError(`Voice re-encoder: ${error.message}`),
    });
    encoder.configure(opusConfig({ ...profile, bitrate: copyBitrate(profile) as number, inbandFec: false }, this.expectedLoss));
    this.reencoder = encoder;
    return encoder;
  }

  private closeReencoder(): void {
    const old = this.reencoder;
    this.reencoder = undefined;
    this.reencoded.clear();
    if (old && old.state !== "closed") old.close();
  }

  private onChunk(chunk: EncodedAudioChunk, profile: VoiceProfile): void {
    this.stats.framesEncoded++;
    const frame = new Uint8Array(chunk.byteLength);
    chunk.copyTo(frame);
    const offset = Math.round((chunk.timestamp * sampleRate) / 1_000_000);
    const timestamp = (this.origin + offset) >>> 0;
    const durationMs = Math.round((chunk.duration ?? profile.frameMs * 1000) / 1000) || profile.frameMs;
    if (profile.dtx && frame.length <= dtxFrameBytes) {
      this.stats.dtxFrames++;
      this.history = [];
      this.reencoded.clear();
      this.forget(offset + (durationMs * sampleRate) / 1000);
      return;
    }
    const level = this.levelFor(offset, durationMs);
    // Only frames contiguous with this one (and, for spread copies, all of this duration), oldest first
    // (EncodedFrameHistory.TryGet).
    const chain: SentFrame[] = [];
    let expectedEnd = timestamp;
    for (let back = this.history.length - 1; back >= 0; back--) {
      const h = this.history[back] as SentFrame;
      if (((h.timestamp + h.durationMs * 48) >>> 0) !== expectedEnd) break;
      chain.push(h);
      expectedEnd = h.timestamp;
    }
    const spread = profile.redundancy.some((copy, i) => copy.distance !== profile.redundancy.length - i);
    const redundant: RedundantBlock[] = [];
    for (const copy of profile.redundancy) {
      const original = chain[copy.distance - 1];
      if (!original || (spread && chain.slice(0, copy.distance).some((h) => h.durationMs !== durationMs))) continue;
      const source = copy.bitrate === undefined ? original : this.reencoded.get(original.timestamp);
      if (source) redundant.push({ durationMs: source.durationMs, frame: source.frame, distance: copy.distance });
    }
    const packet = writePacket({
      voiceActivity: level < speakingThreshold, profileId: profile.id, sequence: this.sequence, timestamp, durationMs, level, redundant, frame,
    });
    this.sequence = (this.sequence + 1) & 0xffff;
    this.history.push({ frame, timestamp, durationMs });
    if (this.history.length > historyFrames) this.history.shift();
    this.forget(offset + (durationMs * sampleRate) / 1000);
    this.pending.push(packet);
    this.stats.packetsSent++;
    if (this.pending.length >= profile.framesPerMessage) this.flushBatch();
  }

  private flushBatch(): void {
    if (this.pending.length === 0) return;
    const batch = writeBatch(this.pending);
    this.pending = [];
    this.stats.batchesSent++;
    this.stats.bytesSent += batch.length;
    this.publish(batch);
  }

  private levelFor(offset: number, durationMs: number): number {
    const first = Math.floor(offset / blockSamples);
    const blocks = Math.max(1, Math.round(durationMs / 10));
    let sum = 0;
    let samples = 0;
    for (let b = first; b < first + blocks; b++) {
      const energy = this.blockEnergy.get(b);
      if (energy === undefined) continue;
      sum += energy;
      samples += blockSamples;
    }
    return levelOf(sum, samples);
  }

  private forget(beforeOffset: number): void {
    const limit = Math.floor(beforeOffset / blockSamples);
    for (const key of this.blockEnergy.keys()) if (key < limit) this.blockEnergy.delete(key);
  }
}
