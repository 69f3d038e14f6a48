// Voice for one session: microphone capture and sending while holding the floor, per-speaker receivers mixed
// through the playback worklet, reception reports, link feedback driving the ladder, speaking indicators.
import { t } from "../i18n";
import type { MeetingSession } from "../session";
import type { FloorView, LinkFeedbackView } from "../protocol";
import { LinkAdapter, UplinkCapacityEstimator, defaultProfile, wireKilobits, type VoiceProfile } from "./ladder";

// What the voice view needs of the ladder, with the engine (the meeting chunk does not carry the ladder).
export { defaultProfile, qualityRank } from "./ladder";
import { Microphone } from "./microphone";
import { SpeakerReceiver } from "./receiver";
import { VoiceSender } from "./sender";
import { VoicePath, type VoicePathName } from "./datagrams";

declare const __WORKLET_FILE__: string;
const workletUrl = new URL(__WORKLET_FILE__, import.meta.url).toString();
const speakingHoldMs = 400;

export interface PlaybackStats { played: number; concealed: number; underruns: number; skipped: number; energy: number }

/** What the speaker's side is doing, for the panel to put in words. */
export type VoiceState = "idle" | "talking" | "asked" | "full" | "micMuted" | "mutedByModerator" | "keep";

export interface VoiceEvents {
  state(state: VoiceState): void;
  speaking(ids: ReadonlySet<string>): void;
  error(message: string): void;
  profile(profile: VoiceProfile, reason: string): void;
  /** The path this tab's voice takes now (the unreliable data channel, or the SignalR connection). */
  path?(path: VoicePathName): void;
}

export class VoiceEngine {
  readonly receivers = new Map<string, SpeakerReceiver>();
  readonly adapter = new LinkAdapter(defaultProfile);
  private readonly capacity = new UplinkCapacityEstimator();
  playback: PlaybackStats = { played: 0, concealed: 0, underruns: 0, skipped: 0, energy: 0 };
  private context: AudioContext | undefined;
  private ready: Promise<AudioContext> | undefined;
  private playNode: AudioWorkletNode | undefined;
  private captureNode: AudioWorkletNode | undefined;
  readonly microphone = new Microphone();
  private sender: VoiceSender | undefined;
  private talking = false;
  private micMuted = false;
  private receiving = true;
  private timer: number | undefined;
  private lastSpeaking = "";
  private warnedNoDecoder = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly session: MeetingSession, private readonly events: VoiceEvents) {
    this.unsubscribe.push(
      session.on("audio", (speakerId, batch) => this.onAudio(speakerId, batch)),
      session.on("linkFeedback", (f) => this.onFeedback(f)),
      session.on("floor", (floor) => this.onFloor(floor)),
      session.on("participants", (people) => {
        for (const id of this.receivers.keys()) if (!people.some((p) => p.participantId === id)) this.dropSpeaker(id);
      }),
    );
    this.timer = window.setInterval(() => this.tick(), 1000);
    // The unreliable path (datagrams.ts): audio from its channel joins the AudioReceived path; publishing goes
    // through it, and it picks the channel, PublishAudio or both.
    this.voicePath = new VoicePath(session, { audio: (speakerId, batch) => this.onAudio(speakerId, batch), path: (path) => events.path?.(path) });
    this.unsubscribe.push(() => this.voicePath.close());
  }

  private readonly voicePath: VoicePath;

  /** "unreliable" | "signalr": where this tab's voice goes now. */
  get path(): VoicePathName {
    return this.voicePath.path;
  }

  get profile(): VoiceProfile {
    return this.adapter.current;
  }

  get sending(): boolean {
    return this.talking && !this.micMuted;
  }

  get senderStats() {
    return this.sender?.stats;
  }

  /** Starts or resumes audio output (a click or key press lets the page make sound). */
  async enableAudio(): Promise<AudioContext> {
    this.ready ??= (async () => {
      const context = new AudioContext({ sampleRate: 48_000, latencyHint: "interactive" });
      await context.audioWorklet.addModule(workletUrl);
      const node = new AudioWorkletNode(context, "collab-playback", { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
      node.port.onmessage = (event: MessageEvent<PlaybackStats>) => (this.playback = event.data);
      node.connect(context.destination);
      this.context = context;
      this.playNode = node;
      return context;
    })();
    const context = await this.ready;
    if (context.state === "suspended") await context.resume();
    return context;
  }

  get audioSuspended(): boolean {
    return this.context?.state === "suspended";
  }

  /** Text-only mode: the hub stops sending this tab audio; local playback stops too. */
  async setReceive(receive: boolean): Promise<void> {
    await this.session.setAudioReceive(receive);
    this.receiving = receive;
    if (!receive) for (const id of [...this.receivers.keys()]) this.dropSpeaker(id);
  }

  /** Push-to-talk pressed: ask for the floor if needed, open the microphone, start sending. */
  async talk(): Promise<void> {
    if (this.talking) return;
    this.talking = true;
    try {
      const me = this.session.me?.participantId;
      if (me && !this.session.floor?.speakers.includes(me)) {
        const floor = await this.session.connection.invoke("RequestFloor");
        await this.session.floorCall(async () => floor);
        if (!floor.speakers.includes(me)) {
          this.events.state(floor.mode === "Moderated" ? "asked" : "full");
          this.talking = false;
          return;
        }
      }
      await this.openMicrophone();
      this.events.state(this.micMuted ? "micMuted" : "talking");
    } catch (error) {
      this.talking = false;
      throw error;
    }
  }

  /**
   * Push-to-talk released: send what is batched. In open mic the floor goes back at once (someone else may take it);
   * in moderated mode the speaker keeps the granted floor for the next press until they give it back or a moderator
   * revokes it.
   */
  async release(): Promise<void> {
    if (!this.talking) return;
    this.talking = false;
    await this.sender?.stop();
    const me = this.session.me?.participantId;
    const holds = me !== undefined && (this.session.floor?.speakers.includes(me) ?? false);
    if (holds && this.session.floor?.mode !== "Moderated") await this.giveBack();
    this.events.state(holds && this.session.floor?.mode === "Moderated" ? "keep" : "idle");
  }

  /** Gives the floor back (the speaker's choice). */
  async giveBack(): Promise<void> {
    const me = this.session.me?.participantId;
    if (me && this.session.floor?.speakers.includes(me)) await this.session.floorCall(() => this.session.connection.invoke("ReleaseFloor"));
  }

  /** The browser's noise suppression on the microphone (on by default); an open microphone re-opens with it. */
  setNoiseSuppression(on: boolean): Promise<void> {
    return this.microphone.setNoiseSuppression(on, this.context, this.captureNode);
  }

  /** The stronger noise reduction (RNNoise in a worklet, loaded on first use) instead of the browser's. */
  setRnnoise(on: boolean): Promise<void> {
    return this.microphone.setRnnoise(on, this.context, this.captureNode);
  }

  setMicMuted(muted: boolean): void {
    this.micMuted = muted;
    if (muted) void this.sender?.stop();
  }

  dispose(): void {
    window.clearInterval(this.timer);
    for (const off of this.unsubscribe) off();
    for (const r of this.receivers.values()) r.close();
    this.receivers.clear();
    void this.sender?.stop();
    this.microphone.stop();
    void this.context?.close();
  }

  private async openMicrophone(): Promise<void> {
    if (!window.isSecureContext || !navigator.mediaDevices) throw new Error(t("voice.insecure"));
    if (!(await VoiceSender.supported(this.adapter.current))) throw new Error(t("voice.noEncoder"));
    const context = await this.enableAudio();
    if (!this.captureNode) {
      const node = new AudioWorkletNode(context, "collab-capture", { numberOfInputs: 1, numberOfOutputs: 0 });
      node.port.onmessage = (event: MessageEvent<Float32Array<ArrayBuffer>>) => {
        if (this.sending) this.sender?.encode(event.data);
      };
      await this.microphone.connect(context, node);
      this.captureNode = node;
    }
    this.sender ??= new VoiceSender(this.adapter.current, this.adapter.expectedLossPercent,
      (batch) => this.voicePath.publish(batch), (message) => this.events.error(message));
  }

  private onAudio(speakerId: string, batch: Uint8Array): void {
    if (!this.receiving) return;
    if (typeof AudioDecoder === "undefined") {
      if (!this.warnedNoDecoder) this.events.error(t("voice.noDecoder"));
      this.warnedNoDecoder = true;
      return;
    }
    let receiver = this.receivers.get(speakerId);
    if (!receiver) {
      receiver = new SpeakerReceiver(speakerId, {
        pcm: (id, samples) => this.playNode?.port.postMessage({ type: "pcm", id, samples }, [samples.buffer]),
        conceal: (id, samples) => this.playNode?.port.postMessage({ type: "conceal", id, samples }),
      }, (message) => this.events.error(message));
      this.receivers.set(speakerId, receiver);
      void this.enableAudio().catch((error: Error) => this.events.error(t("voice.soundOff", { reason: error.message })));
    }
    receiver.receive(batch);
  }

  private onFeedback(f: LinkFeedbackView): void {
    this.session.connection.send("AckLinkFeedback", f.sentAtMs);
    // Feedback about a pause (released, or muted by a moderator) is not about the link: the profile stays.
    if (!this.sending) return;
    const now = performance.now();
    const sent = this.sender ? wireKilobits(this.sender.stats.bytesSent, this.sender.stats.batchesSent) : 0;
    const availableKbps = this.capacity.update(sent, now, f.uplinkDelayMs ?? 0);
    const decision = this.adapter.update({ lossFraction: f.lossFraction, meanLossBurstMs: f.meanLossBurstMs, lateFraction: f.lateFraction, roundTripMs: f.roundTripMs, sendBacklogMs: f.uplinkDelayMs ?? 0, availableKbps }, now);
    this.session.reportVoice(f.lossFraction, decision.profile.name);
    void this.sender?.apply(decision.profile, decision.expectedLossPercent);
    if (decision.changed) this.events.profile(decision.profile, decision.reason);
  }

  private onFloor(floor: FloorView): void {
    const me = this.session.me?.participantId;
    if (!me) return;
    if (floor.muted.includes(me) && this.talking) {
      void this.release().then(() => this.events.state("mutedByModerator"));
    }
  }

  private dropSpeaker(id: string): void {
    this.receivers.get(id)?.close();
    this.receivers.delete(id);
    this.playNode?.port.postMessage({ type: "remove", id });
  }

  private tick(): void {
    const now = performance.now();
    const speaking = new Set<string>();
    let worstLoss: number | undefined;
    for (const [id, receiver] of this.receivers) {
      if (now - receiver.lastVoiceAt < speakingHoldMs + 1000) speaking.add(id);
      const report = receiver.takeReport();
      if (report) {
        this.session.connection.send("ReportReception", { speakerId: id, ...report });
        worstLoss = Math.max(worstLoss ?? 0, report.lossFraction);
        this.playNode?.port.postMessage({ type: "target", id, ms: 2 * report.jitterMs + Math.max(60, receiver.frameMs) });
      }
    }
    const me = this.session.me?.participantId;
    if (me && this.sending) speaking.add(me);
    const key = [...speaking].sort().join(",");
    if (key !== this.lastSpeaking) {
      this.lastSpeaking = key;
      this.events.speaking(speaking);
    }
    if (worstLoss !== undefined && !this.sending) this.session.reportVoice(worstLoss, undefined);
  }
}
