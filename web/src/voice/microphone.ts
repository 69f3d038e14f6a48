// The microphone: one track with the browser's own processing, fed into the capture worklet. The browser's noise
// suppression is on by default; switching it re-opens the microphone with the new constraint, because Chromium
// applies audio processing when it opens the track (applyConstraints does not change it on a live one).

/** What getUserMedia is asked for: mono, with echo cancellation and gain control always, noise suppression as chosen. */
export const microphoneConstraints = (noiseSuppression: boolean): MediaStreamConstraints =>
  ({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression, autoGainControl: true } });

export class Microphone {
  private stream: MediaStream | undefined;
  private source: MediaStreamAudioSourceNode | undefined;

  constructor(public noiseSuppression = true) {}

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
    const stream = await navigator.mediaDevices.getUserMedia(microphoneConstraints(this.noiseSuppression));
    const source = context.createMediaStreamSource(stream);
    source.connect(node);
    this.stream = stream;
    this.source = source;
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
