// AudioWorklet processor collab-rnnoise (its own bundle, loaded only when the stronger noise reduction is switched
// on): RNNoise (@jitsi/rnnoise-wasm, Xiph's recurrent network) on 10 ms frames of 48 kHz mono, between the
// microphone and the capture worklet. The main thread fetches the WebAssembly file and passes its bytes in
// processorOptions (a worklet cannot fetch). Adds one frame (10 ms) of delay; until the module is ready the microphone
// passes through unchanged.
import createRNNWasmModule, { type RnnoiseModule } from "@jitsi/rnnoise-wasm/dist/rnnoise.js";

declare function registerProcessor(name: string, ctor: new (options: { processorOptions: { wasm: ArrayBuffer } }) => WorkletProcessor): void;
declare class WorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}
declare const AudioWorkletProcessor: typeof WorkletProcessor;

const frame = 480; // RNNoise's frame: 10 ms at 48 kHz
const scale = 32768; // RNNoise works on 16-bit sample values

class RnnoiseProcessor extends AudioWorkletProcessor {
  private rnnoise: { module: RnnoiseModule; state: number; pointer: number } | undefined;
  private readonly input = new Float32Array(frame);
  private filled = 0;
  private readonly output = new Float32Array(frame * 4);
  private read = 0;
  private queued = 0;

  constructor(options: { processorOptions: { wasm: ArrayBuffer } }) {
    super(options);
    createRNNWasmModule({
      instantiateWasm: (imports, receive) => {
        void WebAssembly.instantiate(options.processorOptions.wasm, imports).then((r) => receive(r.instance, r.module));
        return {};
      },
    }).then((module) => {
      this.rnnoise = { module, state: module._rnnoise_create(0), pointer: module._malloc(frame * 4) };
      this.port.postMessage({ type: "ready" });
    }, (error: unknown) => this.port.postMessage({ type: "error", message: String(error) }));
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0];
    const output = outputs[0]?.[0];
    if (!input || !output) return true;
    const rnnoise = this.rnnoise;
    if (!rnnoise) {
      output.set(input);
      return true;
    }
    for (const sample of input) {
      this.input[this.filled++] = sample;
      if (this.filled === frame) {
        this.denoise(rnnoise);
        this.filled = 0;
      }
    }
    for (let i = 0; i < output.length; i++) {
      if (this.queued === 0) break;
      output[i] = this.output[this.read] as number;
      this.read = (this.read + 1) % this.output.length;
      this.queued--;
    }
    return true;
  }

  /** One frame in place in the module's memory (RNNoise allows input and output to be the same buffer). */
  private denoise({ module, state, pointer }: { module: RnnoiseModule; state: number; pointer: number }): void {
    const heap = module.HEAPF32.subarray(pointer / 4, pointer / 4 + frame);
    for (let i = 0; i < frame; i++) heap[i] = (this.input[i] as number) * scale;
    module._rnnoise_process_frame(state, pointer, pointer);
    const fresh = module.HEAPF32.subarray(pointer / 4, pointer / 4 + frame);
    let write = (this.read + this.queued) % this.output.length;
    for (let i = 0; i < frame && this.queued < this.output.length; i++) {
      this.output[write] = (fresh[i] as number) / scale;
      write = (write + 1) % this.output.length;
      this.queued++;
    }
  }
}

registerProcessor("collab-rnnoise", RnnoiseProcessor);
