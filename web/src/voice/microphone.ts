// The microphone: one track with the browser's own processing, fed into the capture worklet. The browser's noise
// suppression is on by default; switching it re-opens the microphone with the new constraint, because Chromium
// applies audio processing when it opens the track (applyConstraints does not change it on a live one). The stronger
// option runs RNNoise in an AudioWorklet between the track and the capture worklet (loaded the first time it is
// chosen), with the browser's own suppression off.

declare const __NOISE_WORKLET_FILE__: string;
declare const __RNNOISE_WASM_FILE__: string;
const noiseWorkletUrl = new URL(__NOISE_WORKLET_FILE__, import.meta.url).toString();
const rnnoiseWasmUrl = new URL(__RNNOISE_WASM_FILE__, import.meta.url).toString();

/** What getUserMedia is asked for: mono, with echo cancellation and gain control always, noise suppression as chosen. */
export const microphoneConstraints = (noiseSuppression: boolean): MediaStreamConstraints =>
  ({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression, autoGainControl: true } });

export class Microphone {
  private stream: MediaStream | undefined;
  private source: MediaStreamAudioSourceNode | undefined;
  private denoiser: Promise<AudioWorkletNode> | undefined;
  /** "ready" once RNNoise runs, "error" if it could not start (the microphone then passes through it unchanged). */
  rnnoiseState: "off" | "loading" | "ready" | "error" = "off";

  constructor(public noiseSuppression = true, public rnnoise = false) {}

  get open(): boolean {
    return this.stream !== undefined;
  }

  /** The track's settings as the browser applied them (noiseSuppression among them), once open. */
  get settings(): MediaTrackSettings | undefined {
    return this.stream?.getAudioTracks()[0]?.getSettings();
  }

  /**
   * Opens the microphone into `node`, or re-opens it with the current constraints. The old track stops first: while
   * it is open Chromium keeps the device's processing as it was and gives the new track the same.
   */
  async connect(context: AudioContext, node: AudioNode): Promise<void> {
    this.source?.disconnect();
    this.source = undefined;
    this.stop();
    const strong = this.noiseSuppression && this.rnnoise;
    const stream = await navigator.mediaDevices.getUserMedia(microphoneConstraints(this.noiseSuppression && !strong));
    const source = context.createMediaStreamSource(stream);
    source.connect(strong ? await this.rnnoiseNode(context, node) : node);
    this.stream = stream;
    this.source = source;
  }

  /** RNNoise's worklet node, connected to `node`: its module and WebAssembly load once, on first use. */
  private rnnoiseNode(context: AudioContext, node: AudioNode): Promise<AudioWorkletNode> {
    this.denoiser ??= (async () => {
      this.rnnoiseState = "loading";
      const [wasm] = await Promise.all([fetch(rnnoiseWasmUrl).then((r) => r.arrayBuffer()), context.audioWorklet.addModule(noiseWorkletUrl)]);
      const denoiser = new AudioWorkletNode(context, "collab-rnnoise", { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], processorOptions: { wasm } });
      denoiser.port.onmessage = (event: MessageEvent<{ type: "ready" | "error" }>) => (this.rnnoiseState = event.data.type);
      denoiser.connect(node);
      return denoiser;
    })();
    return this.denoiser;
  }

  /** Turns RNNoise on or off (it replaces the browser's suppression while on); an open microphone re-opens with it. */
  async setRnnoise(on: boolean, context: AudioContext | undefined, node: AudioNode | undefined): Promise<void> {
    this.rnnoise = on;
    if (this.stream && context && node) await this.connect(context, node);
  }

  /** Turns the browser's noise suppression on or off; an open microphone re-opens with it. */
  async setNoiseSuppression(on: boolean, context: AudioContext | undefined, node: AudioNode | undefined): Promise<void> {
    this.noiseSuppression = on;
    if (this.stream && context && node) await this.connect(context, node);
  }

  stop(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
  }
}
