// Listener side, one per speaker: packets in sequence order over a TCP-borne stream or the voice data channel (a
// copy that came both ways around a path switch is dropped). A gap with later packets already here is a loss (the
// hub dropped audio for us): rebuilt from a later packet's redundant copy when one carries it, else concealed by the playback worklet. Decoding is WebCodecs AudioDecoder (Opus, 48 kHz mono).
// Reception statistics feed ReportReception once a second.
import { maxRedundantDistance, readBatch, readPacket, speakingThreshold, type AudioPacket } from "./packets";

const sampleRate = 48_000;
const maxWaiting = 64;
/** A sender marks each new talk spurt (after a release or a mute) with a jump of its media clock; past this, a
 *  sequence gap is the pause between spurts (packets the hub refused while muted), not loss on the way. */
const spurtGapSamples = sampleRate / 2;
const arrivalPauseMs = 500;
/** Sequences remembered for dropping duplicates: 5 s of 20 ms frames, more than the 1.5 s both paths overlap. */
const recentSize = 256;

export interface ReceiverOutput {
  pcm(speakerId: string, samples: Float32Array): void;
  conceal(speakerId: string, samples: number): void;
}

export interface ReceptionTotals {
  packets: number; lost: number; recovered: number; concealedFrames: number; late: number; decodedFrames: number;
  /** Copies of a packet already here (both paths carry audio for 1.5 s around a switch): dropped, not counted late. */
  duplicates: number;
  /** RMS of everything decoded so far, dBFS. */
  decodedDbfs: number;
}

interface Interval { expected: number; lost: number; late: number; concealed: number; frames: number; bursts: number; burstMs: number; inBurst: boolean }

type Pending = { kind: "decode" } | { kind: "conceal"; samples: number };

export class SpeakerReceiver {
  readonly totals: ReceptionTotals = { packets: 0, lost: 0, recovered: 0, concealedFrames: 0, late: 0, decodedFrames: 0, duplicates: 0, decodedDbfs: -Infinity };
  lastVoiceAt = 0;
  private decoder: AudioDecoder | undefined;
  private next: number | undefined;
  private readonly waiting = new Map<number, AudioPacket>();
  private readonly queue: Pending[] = [];
  private energy = 0;
  private energySamples = 0;
  private interval: Interval = fresh();
  private jitter = 0;
  private lastTransit: number | undefined;
  private lastArrivalAt = 0;
  private lastPlayed: { timestamp: number; durationMs: number } | undefined;
  /** The last `recentSize` sequences accepted, to drop a second copy of one (two paths, or a datagram repeated). */
  private readonly recent = new Set<number>();
  private readonly recentOrder: number[] = [];

  constructor(readonly speakerId: string, private readonly output: ReceiverOutput, private readonly onError: (message: string) => void) {}

  receive(batch: Uint8Array): void {
    let packets: Uint8Array[];
    try {
      packets = readBatch(batch);
    } catch (error) {
      this.onError(`Dropped a bad audio batch from ${this.speakerId}: ${(error as Error).message}`);
      return;
    }
    for (const bytes of packets) {
      let packet: AudioPacket;
      try {
        packet = readPacket(bytes);
      } catch (error) {
        this.onError(`Dropped a bad audio packet: ${(error as Error).message}`);
        continue;
      }
      this.accept(packet);
    }
    this.drain();
  }

  /** The figures for ReportReception since the last call. */
  takeReport(): { lossFraction: number; meanLossBurstMs: number; lateFraction: number; jitterMs: number; concealedFraction: number; packets: number } | undefined {
    const i = this.interval;
    this.interval = fresh();
    if (i.expected === 0) return undefined;
    return {
      lossFraction: i.lost / i.expected,
      meanLossBurstMs: i.bursts > 0 ? i.burstMs / i.bursts : 0,
      lateFraction: i.late / i.expected,
      jitterMs: this.jitter,
      concealedFraction: i.frames > 0 ? i.concealed / i.frames : 0,
      packets: i.expected,
    };
  }

  /** Duration of the speaker's frames, from the last one played (120 ms on the heavy-loss rung). */
  get frameMs(): number {
    return this.lastPlayed?.durationMs ?? 20;
  }

  close(): void {
    if (this.decoder && this.decoder.state !== "closed") this.decoder.close();
  }

  private accept(packet: AudioPacket): void {
    if (this.recent.has(packet.sequence)) {
      this.totals.duplicates++;
      return;
    }
    this.recent.add(packet.sequence);
    this.recentOrder.push(packet.sequence);
    if (this.recentOrder.length > recentSize) this.recent.delete(this.recentOrder.shift() as number);
    this.totals.packets++;
    if (packet.level < speakingThreshold) this.lastVoiceAt = performance.now();
    // RFC 3550 interarrival jitter on the media clock.
    const now = performance.now();
    // A pause in arrivals (between talk spurts) says nothing about jitter.
    if (now - this.lastArrivalAt > arrivalPauseMs) this.lastTransit = undefined;
    this.lastArrivalAt = now;
    const arrival = (now * sampleRate) / 1000;
    const transit = arrival - packet.timestamp;
    if (this.lastTransit !== undefined) {
      const d = Math.abs(transit - this.lastTransit);
      if (d < sampleRate * 10) this.jitter += ((d * 1000) / sampleRate - this.jitter) / 16;
    }
    this.lastTransit = transit;

    if (this.next === undefined) this.next = packet.sequence;
    const ahead = (packet.sequence - this.next) & 0xffff;
    if (ahead >= 0x8000) {
      this.totals.late++;
      this.interval.late++;
      return; // older than what already played: a duplicate or too late
    }
    this.waiting.set(packet.sequence, packet);
    if (this.waiting.size > maxWaiting) this.skipTo(Math.min(...[...this.waiting.keys()].map((s) => (s - (this.next as number)) & 0xffff)));
  }

  private drain(): void {
    for (let guard = 0; guard < 1024 && this.next !== undefined && this.waiting.size > 0; guard++) {
      const packet = this.waiting.get(this.next);
      if (packet) {
        this.waiting.delete(this.next);
        this.play(packet.frame, packet.timestamp, packet.durationMs);
        this.interval.expected++;
        this.interval.inBurst = false;
        this.next = (this.next + 1) & 0xffff;
        continue;
      }
      if (this.newSpurt()) continue;
      // TCP keeps order: a later packet present means this one was dropped on the way.
      this.lose(this.next);
      this.next = (this.next + 1) & 0xffff;
    }
  }

  /** The first waiting packet starts a new talk spurt (its media time jumps past the gap): resume there, no loss. */
  private newSpurt(): boolean {
    if (!this.lastPlayed || this.next === undefined) return false;
    let first: AudioPacket | undefined;
    let distance = Infinity;
    for (const [sequence, packet] of this.waiting) {
      const d = (sequence - this.next) & 0xffff;
      if (d < distance) {
        distance = d;
        first = packet;
      }
    }
    if (!first) return false;
    const elapsed = (first.timestamp - this.lastPlayed.timestamp) >>> 0;
    const explained = ((distance + 1) * this.lastPlayed.durationMs * sampleRate) / 1000;
    if (elapsed - explained < spurtGapSamples || elapsed > 0x80000000) return false;
    this.next = first.sequence;
    return true;
  }

  private lose(sequence: number): void {
    this.totals.lost++;
    this.interval.lost++;
    this.interval.expected++;
    // Redundant copies: a later packet's block names how far back its frame is (s−1, s−2, or spread: s−3), the
    // nearest carrier first (an exact copy before an older re-encoding).
    for (let k = 1; k <= maxRedundantDistance; k++) {
      const carrier = this.waiting.get((sequence + k) & 0xffff);
      const block = carrier?.redundant.find((b) => b.distance === k);
      if (carrier && block) {
        this.totals.recovered++;
        this.play(block.frame, 0, block.durationMs);
        return;
      }
    }
    const later = [...this.waiting.values()][0];
    const durationMs = later?.durationMs ?? 20;
    if (!this.interval.inBurst) this.interval.bursts++;
    this.interval.inBurst = true;
    this.interval.burstMs += durationMs;
    this.interval.concealed++;
    this.interval.frames++;
    this.totals.concealedFrames++;
    this.enqueue({ kind: "conceal", samples: (durationMs * sampleRate) / 1000 });
  }

  private skipTo(distance: number): void {
    for (let i = 0; i < distance; i++) {
      this.interval.lost++;
      this.interval.expected++;
      this.totals.lost++;
      this.next = ((this.next as number) + 1) & 0xffff;
    }
  }

  private play(frame: Uint8Array, timestamp: number, durationMs: number): void {
    if (timestamp !== 0) this.lastPlayed = { timestamp, durationMs };
    const decoder = this.decoder ?? this.open();
    this.interval.frames++;
    this.queue.push({ kind: "decode" });
    decoder.decode(new EncodedAudioChunk({ type: "key", timestamp: Math.round((timestamp * 1_000_000) / sampleRate), duration: durationMs * 1000, data: frame }));
  }

  private enqueue(item: Pending): void {
    // A concealment must play after the frames already sent to the decoder, so it waits its turn in the queue.
    if (this.queue.length === 0 && item.kind === "conceal") this.output.conceal(this.speakerId, item.samples);
    else this.queue.push(item);
  }

  private open(): AudioDecoder {
    const decoder = new AudioDecoder({
      output: (data) => this.decoded(data),
      error: (error) => {
        this.onError(`Voice decoder: ${error.message}`);
        this.decoder = undefined;
        this.queue.length = 0;
      },
    });
    decoder.configure({ codec: "opus", sampleRate, numberOfChannels: 1 });
    this.decoder = decoder;
    return decoder;
  }

  private decoded(data: AudioData): void {
    const samples = new Float32Array(data.numberOfFrames);
    data.copyTo(samples, { planeIndex: 0, format: "f32-planar" });
    data.close();
    // Conceal items queued before this frame were resolved as they came; drop this frame's own marker.
    const head = this.queue.findIndex((q) => q.kind === "decode");
    if (head >= 0) this.queue.splice(head, 1);
    this.totals.decodedFrames++;
    for (const s of samples) this.energy += s * s;
    this.energySamples += samples.length;
    this.totals.decodedDbfs = this.energy > 0 ? 10 * Math.log10(this.energy / this.energySamples) : -Infinity;
    this.output.pcm(this.speakerId, samples);
    while (this.queue.length > 0 && this.queue[0]?.kind === "conceal") {
      const item = this.queue.shift() as { kind: "conceal"; samples: number };
      this.output.conceal(this.speakerId, item.samples);
    }
  }
}

function fresh(): Interval {
  return { expected: 0, lost: 0, late: 0, concealed: 0, frames: 0, bursts: 0, burstMs: 0, inBurst: false };
}
