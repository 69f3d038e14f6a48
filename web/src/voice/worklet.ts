// AudioWorklet processors (their own bundle, loaded with audioWorklet.addModule):
// - collab-capture: microphone → 10 ms blocks of 48 kHz mono float PCM, posted to the main thread for encoding;
// - collab-playback: one jitter buffer per speaker (start at the target delay, conceal gaps and stalls by fading
//   repetition of the last 10 ms, skip ahead when the backlog grows), mixed to the output.

declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: new (options?: unknown) => WorkletProcessor): void;
declare class WorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}
declare const AudioWorkletProcessor: typeof WorkletProcessor;

const block = 480; // 10 ms at 48 kHz

class CaptureProcessor extends AudioWorkletProcessor {
  private buffer = new Float32Array(block);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0];
    if (!input) return true;
    let offset = 0;
    while (offset < input.length) {
      const n = Math.min(block - this.filled, input.length - offset);
      this.buffer.set(input.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === block) {
        this.port.postMessage(this.buffer, [this.buffer.buffer]);
        this.buffer = new Float32Array(block);
        this.filled = 0;
      }
    }
    return true;
  }
}

interface Stream {
  chunks: Float32Array[];
  read: number; // read position in chunks[0]
  buffered: number;
  started: boolean;
  targetSamples: number;
  last: Float32Array; // the last 10 ms played, for concealment
  concealGain: number;
  concealLeft: number; // samples of requested concealment still to play
  stalledFor: number;
  pos: number; // samples played from this stream
}

type Message =
  | { type: "pcm"; id: string; samples: Float32Array }
  | { type: "conceal"; id: string; samples: number }
  | { type: "target"; id: string; ms: number }
  | { type: "remove"; id: string };

const maxStallConcealSamples = block * 10; // 100 ms, then silence
const catchUpSamples = block * 40; // 400 ms over target: skip ahead

class PlaybackProcessor extends AudioWorkletProcessor {
  private readonly streams = new Map<string, Stream>();
  private stats = { played: 0, concealed: 0, underruns: 0, skipped: 0, energy: 0 };
  private sinceReport = 0;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<Message>) => this.onMessage(event.data);
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]?.[0];
    if (!out) return true;
    out.fill(0);
    for (const stream of this.streams.values()) this.mix(stream, out);
    for (const s of out) this.stats.energy += s * s;
    this.sinceReport += out.length;
    if (this.sinceReport >= sampleRate / 4) {
      this.port.postMessage({ ...this.stats, buffered: Object.fromEntries([...this.streams].map(([id, s]) => [id, s.buffered])) });
      this.sinceReport = 0;
    }
    return true;
  }

  private onMessage(message: Message): void {
    if (message.type === "remove") {
      this.streams.delete(message.id);
      return;
    }
    const stream = this.streams.get(message.id) ?? this.create(message.id);
    if (message.type === "target") stream.targetSamples = Math.round((Math.min(1000, Math.max(40, message.ms)) * sampleRate) / 1000);
    else if (message.type === "conceal") this.push(stream, new Float32Array(0), message.samples);
    else this.push(stream, message.samples, 0);
  }

  private create(id: string): Stream {
    const stream: Stream = { chunks: [], read: 0, buffered: 0, started: false, targetSamples: block * 8, last: new Float32Array(block), concealGain: 1, concealLeft: 0, stalledFor: 0, pos: 0 };
    this.streams.set(id, stream);
    return stream;
  }

  private push(stream: Stream, samples: Float32Array, conceal: number): void {
    // A concealment request is kept in line as an empty chunk tagged with its length.
    const chunk = conceal > 0 ? Object.assign(new Float32Array(0), { conceal }) : samples;
    stream.chunks.push(chunk);
    stream.buffered += conceal > 0 ? conceal : samples.length;
    if (stream.started && stream.buffered > stream.targetSamples + catchUpSamples) {
      while (stream.buffered > stream.targetSamples && stream.chunks.length > 1) {
        const dropped = stream.chunks.shift() as Float32Array & { conceal?: number };
        const n = (dropped.conceal ?? dropped.length) - stream.read;
        stream.read = 0;
        stream.buffered -= n;
        this.stats.skipped += n;
      }
    }
  }

  private mix(stream: Stream, out: Float32Array): void {
    if (!stream.started) {
      if (stream.buffered < stream.targetSamples) return;
      stream.started = true;
    }
    for (let i = 0; i < out.length; i++) {
      const head = stream.chunks[0] as (Float32Array & { conceal?: number }) | undefined;
      let sample: number;
      if (!head) {
        // Stall: conceal up to 100 ms, then silence; rebuffer to the target before playing again.
        if (stream.stalledFor === 0) this.stats.underruns++;
        sample = stream.stalledFor < maxStallConcealSamples ? this.concealSample(stream) : 0;
        stream.stalledFor++;
        if (stream.stalledFor >= maxStallConcealSamples) stream.started = false;
      } else if (head.conceal !== undefined) {
        sample = this.concealSample(stream);
        this.stats.concealed++;
        if (++stream.read >= head.conceal) this.advance(stream);
        stream.buffered--;
      } else {
        sample = head[stream.read] ?? 0;
        stream.concealGain = 1;
        stream.stalledFor = 0;
        stream.last[stream.pos++ % block] = sample;
        this.stats.played++;
        if (++stream.read >= head.length) this.advance(stream);
        stream.buffered--;
      }
      out[i] = (out[i] ?? 0) + sample;
      if (!stream.started) return;
    }
  }

  private concealSample(stream: Stream): number {
    // Repeat the last 10 ms, fading by half every 10 ms.
    const sample = (stream.last[stream.concealLeft % block] ?? 0) * stream.concealGain;
    stream.concealLeft++;
    if (stream.concealLeft % block === 0) stream.concealGain *= 0.5;
    return sample;
  }

  private advance(stream: Stream): void {
    stream.chunks.shift();
    stream.read = 0;
  }
}

registerProcessor("collab-capture", CaptureProcessor);
registerProcessor("collab-playback", PlaybackProcessor);
