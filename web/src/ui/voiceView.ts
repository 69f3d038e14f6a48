// Voice controls: push-to-talk (hold the button, or Space/Enter on it; or tap-to-toggle), the same button in the
// phone's bottom bar, microphone mute, text-only mode (SetAudioReceive(false)), what the link does to the voice in
// plain words (details on demand) and what this tab hears. The voice engine (WebCodecs, worklets) is a separate chunk
// loaded the first time voice is used: a press, sound arriving, or "Turn on sound".
import type { MeetingSession } from "../session";
import type { VoiceEngine, VoiceState } from "../voice/engine";
import type { VoiceProfile } from "../voice/ladder";
import { describeError, explain, locale, t } from "../i18n";
import { busy, checkbox, h, setAttr, setText } from "./dom";
import type { SpeakingSource } from "./peopleView";

// Its strings: locales/<lang>.json, keys "voice.*" (bound to the language where shown: () => text.x).
const text = {
  get statusLabel() { return t("voice.statusLabel"); },
  get qualityLabel() { return t("voice.qualityLabel"); },
  get receivedLabel() { return t("voice.receivedLabel"); },
  get pathLabel() { return t("voice.pathLabel"); },
  get paths() { return { unreliable: t("voice.path.unreliable"), signalr: t("voice.path.signalr") }; },
  get heading() { return t("voice.heading"); },
  get hold() { return t("voice.hold"); },
  get tap() { return t("voice.tap"); },
  get talking() { return t("voice.talking"); },
  get barHold() { return t("voice.barHold"); },
  get barTalking() { return t("voice.barTalking"); },
  get hint() { return t("voice.hint"); },
  get toggle() { return t("voice.toggle"); },
  get mute() { return t("voice.mute"); },
  get textOnly() { return t("voice.textOnly"); },
  get noiseSuppression() { return t("voice.noiseSuppression"); },
  get rnnoise() { return t("voice.rnnoise"); },
  get sound() { return t("voice.sound"); },
  get giveBack() { return t("voice.giveBack"); },
  get states() { return { idle: t("voice.states.idle"), talking: t("voice.states.talking"), asked: t("voice.states.asked"), full: t("voice.states.full"), micMuted: t("voice.states.micMuted"), mutedByModerator: t("voice.states.mutedByModerator"), keep: t("voice.states.keep") } satisfies Record<VoiceState, string>; },
  get granted() { return t("voice.granted"); },
  get worse() { return t("voice.worse"); },
  get better() { return t("voice.better"); },
  get details() { return t("voice.details"); },
  profileDetail: (profile: VoiceProfile, reason: string) => t("voice.profileDetail", { name: profile.name, kbps: profile.bitrate / 1000, frameMs: profile.frameMs, reason }),
  get nothingHeard() { return t("voice.nothingHeard"); },
  heard: (frames: number, level: string, concealed: number, underruns: number) => t("voice.heard", { frames, level, concealed, underruns }),
  get floor() { return t("voice.floor"); },
  get openMic() { return t("voice.openMic"); },
  get moderated() { return t("voice.moderated"); },
  get speakers() { return t("voice.speakers"); },
  get setFloor() { return t("voice.setFloor"); },
};

/** A profile change in words: plain first (what it means for the call), the technical reason on demand. The ladder's
 * ranking comes with the voice engine's chunk (`rank`), so the meeting code does not carry the ladder. */
export function profileChange(previous: VoiceProfile, next: VoiceProfile, reason: string, rank: (profile: VoiceProfile) => number): { headline: string; detail: string } {
  return { headline: rank(next) > rank(previous) ? text.worse : text.better, detail: text.profileDetail(next, reason) };
}

export interface VoicePanel { element: HTMLElement; barTalk: HTMLButtonElement; speaking: SpeakingSource; dispose(): void }

export function voicePanel(session: MeetingSession): VoicePanel {
  const status = h("p", { className: "error", role: "alert" });
  const state = h("p", { className: "muted", role: "status", "aria-label": () => text.statusLabel }, () => text.states.idle);
  const quality = h("p", { className: "voice-quality", role: "status", "aria-label": () => text.qualityLabel, hidden: true });
  const detail = h("p", { className: "muted" });
  const details = h("details", { className: "voice-details", hidden: true }, h("summary", {}, () => text.details), detail);
  const heard = h("p", { className: "muted", "aria-label": () => text.receivedLabel }, () => text.nothingHeard);
  // Which way this tab's voice goes (the data channel, or the SignalR connection): shown once the engine runs.
  const path = h("p", { className: "muted", role: "status", "aria-label": () => text.pathLabel, hidden: true });
  const showState = (s: VoiceState | "granted") => setText(state, () => (s === "granted" ? text.granted : text.states[s]));
  let stateShown: VoiceState | "granted" = "idle";
  const setState = (s: VoiceState | "granted") => showState((stateShown = s));
  const showError = (message: () => string) => setText(status, message);
  const speakingListeners: ((speaking: ReadonlySet<string>) => void)[] = [];
  let engine: VoiceEngine | undefined;
  let loading: Promise<VoiceEngine> | undefined;
  let receive = true;
  let disposed = false;
  const load = (): Promise<VoiceEngine> => loading ??= import("../voice/engine").then(async ({ VoiceEngine, defaultProfile, qualityRank }) => {
    let shownProfile: VoiceProfile = defaultProfile;
    const e = new VoiceEngine(session, {
      state: (s) => setState(s),
      speaking: (ids) => speakingListeners.forEach((l) => l(ids)),
      error: (message) => setText(status, message),
      path: (p) => {
        setText(path, () => text.paths[p]);
        path.dataset.path = p;
        path.hidden = false;
      },
      profile: (profile, reason) => {
        const previous = shownProfile;
        shownProfile = profile;
        setText(quality, () => profileChange(previous, profile, reason, qualityRank).headline);
        setText(detail, () => profileChange(previous, profile, reason, qualityRank).detail);
        quality.hidden = false;
        details.hidden = false;
      },
    });
    if (disposed) e.dispose();
    if (!receive) await e.setReceive(false);
    engine = e;
    return e;
  });

  const talk = h("button", { type: "button", className: "talk", "aria-pressed": "false", "aria-describedby": "talk-hint" }, () => text.hold);
  const barTalk = h("button", { type: "button", className: "talk bar-talk", "aria-pressed": "false", "aria-label": () => text.hold }, () => text.barHold);
  const hint = h("small", { id: "talk-hint", className: "muted" }, () => text.hint);
  const toggleMode = checkbox(() => text.toggle);
  const mute = checkbox(() => text.mute);
  const textOnly = checkbox(() => text.textOnly);
  const noise = checkbox(() => text.noiseSuppression, true);
  noise.input.classList.add("noise-suppression");
  const strong = checkbox(() => text.rnnoise);
  strong.input.classList.add("rnnoise");
  const sound = h("button", { type: "button", className: "small", hidden: true }, () => text.sound);
  const giveBack = h("button", { type: "button", className: "small", hidden: true }, () => text.giveBack);
  giveBack.addEventListener("click", () => void busy(giveBack, status, async () => {
    await (await load()).giveBack();
    setState("idle");
  }));

  const pressed = () => talk.getAttribute("aria-pressed") === "true";
  const setPressed = (on: boolean) => {
    for (const b of [talk, barTalk]) b.setAttribute("aria-pressed", String(on));
    const toggle = toggleMode.input.checked;
    setText(talk, () => (on ? text.talking : toggle ? text.tap : text.hold));
    setText(barTalk, () => (on ? text.barTalking : text.barHold));
    setAttr(barTalk, "aria-label", () => (on ? text.talking : toggle ? text.tap : text.hold));
  };
  const start = () => {
    if (pressed()) return;
    setPressed(true);
    setText(status, "");
    void load().then((e) => e.talk().then(() => { if (!e.sending && !mute.input.checked) setPressed(false); })).catch((error: Error) => {
      setPressed(false);
      explain(error);
      showError(() => describeError(error));
    });
  };
  const stop = () => {
    if (!pressed()) return;
    setPressed(false);
    void load().then((e) => e.release()).catch((error: Error) => {
      explain(error);
      showError(() => describeError(error));
    });
  };
  for (const button of [talk, barTalk]) {
    button.addEventListener("pointerdown", (e) => {
      if (toggleMode.input.checked) return;
      button.setPointerCapture(e.pointerId);
      start();
    });
    button.addEventListener("pointerup", () => !toggleMode.input.checked && stop());
    button.addEventListener("pointercancel", () => !toggleMode.input.checked && stop());
    button.addEventListener("click", (e) => {
      if (!toggleMode.input.checked || e.detail === 0) return; // keyboard "clicks" are handled by keydown
      if (pressed()) stop(); else start();
    });
    button.addEventListener("keydown", (e) => {
      if ((e.key !== " " && e.key !== "Enter") || e.repeat) return;
      e.preventDefault();
      if (toggleMode.input.checked && pressed()) stop(); else start();
    });
    button.addEventListener("keyup", (e) => {
      if ((e.key === " " || e.key === "Enter") && !toggleMode.input.checked) {
        e.preventDefault();
        stop();
      }
    });
    button.addEventListener("blur", () => !toggleMode.input.checked && stop());
  }
  toggleMode.input.addEventListener("change", () => setPressed(pressed()));
  mute.input.addEventListener("change", () => engine?.setMicMuted(mute.input.checked));
  const switchNoise = (input: HTMLInputElement, apply: (e: VoiceEngine, on: boolean) => Promise<void>) => input.addEventListener("change", () => {
    const on = input.checked;
    input.disabled = true;
    setText(status, "");
    void load().then((e) => apply(e, on)).catch((error: Error) => {
      explain(error);
      showError(() => describeError(error));
    }).finally(() => {
      input.disabled = false;
      strong.input.disabled = !noise.input.checked;
    });
  });
  switchNoise(noise.input, (e, on) => e.setNoiseSuppression(on));
  switchNoise(strong.input, (e, on) => e.setRnnoise(on));
  textOnly.input.addEventListener("change", () => {
    const next = !textOnly.input.checked;
    textOnly.input.disabled = true;
    setText(status, "");
    (engine ? engine.setReceive(next) : session.setAudioReceive(next)).then(() => (receive = next), (error: Error) => {
      textOnly.input.checked = !next;
      explain(error);
      showError(() => describeError(error));
    }).finally(() => (textOnly.input.disabled = false));
  });
  // Sound arriving loads the engine (the first batches are perishable and may be missed while it loads).
  session.on("audio", () => {
    if (receive && !engine) void load().catch((error: Error) => {
      explain(error);
      showError(() => describeError(error));
    });
  });

  // Moderators choose how the floor works: open mic (up to N speakers at once) or moderated (they grant it).
  const floorTools = h("div");
  session.on("joined", () => {
    if (!session.isModerator) return floorTools.replaceChildren();
    if (floorTools.hasChildNodes()) return;
    const mode = h("select", { id: "floor-mode" },
      h("option", { value: "OpenMic" }, () => text.openMic), h("option", { value: "Moderated" }, () => text.moderated));
    const max = h("input", { id: "floor-max", type: "number", min: 1, max: 10, value: 3, inputmode: "numeric" });
    const apply = h("button", { type: "button", className: "small" }, () => text.setFloor);
    apply.addEventListener("click", () => void busy(apply, status, () => session.floorCall(() =>
      session.connection.invoke("SetFloorMode", { mode: mode.value as "OpenMic" | "Moderated", maxSpeakers: Number(max.value) }))));
    floorTools.replaceChildren(h("div", { className: "row" },
      h("label", { for: "floor-mode" }, () => text.floor), mode, h("label", { for: "floor-max" }, () => text.speakers), max, apply));
  });
  let held = false;
  session.on("floor", (floor) => {
    const mode = floorTools.querySelector<HTMLSelectElement>("#floor-mode");
    const max = floorTools.querySelector<HTMLInputElement>("#floor-max");
    if (mode && document.activeElement !== mode) mode.value = floor.mode;
    if (max && document.activeElement !== max) max.value = String(floor.maxSpeakers);
    const me = session.me?.participantId;
    const holds = me !== undefined && floor.speakers.includes(me);
    giveBack.hidden = !(holds && floor.mode === "Moderated");
    if (holds && !held && !pressed()) setState("granted");
    if (!holds && held && !pressed() && stateShown !== "mutedByModerator") setState("idle");
    held = holds;
  });

  sound.addEventListener("click", () => void busy(sound, status, async () => { await (await load()).enableAudio(); }));

  const timer = window.setInterval(() => {
    if (!engine) return;
    sound.hidden = !engine.audioSuspended;
    let frames = 0;
    let concealed = 0;
    let dbfs = -Infinity;
    for (const r of engine.receivers.values()) {
      frames += r.totals.decodedFrames;
      concealed += r.totals.concealedFrames;
      dbfs = Math.max(dbfs, r.totals.decodedDbfs);
    }
    if (frames > 0 || concealed > 0) {
      const underruns = engine.playback.underruns;
      setText(heard, () => text.heard(frames, Number.isFinite(dbfs) ? new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(dbfs) : "−∞", concealed, underruns));
      heard.dataset.decodedFrames = String(frames);
      heard.dataset.decodedDbfs = Number.isFinite(dbfs) ? dbfs.toFixed(1) : "-Infinity";
    }
    const sent = engine.senderStats;
    if (sent) talk.dataset.packetsSent = String(sent.packetsSent);
    talk.dataset.profile = engine.profile.name;
    const applied = engine.microphone.settings?.noiseSuppression;
    if (applied !== undefined) noise.input.dataset.applied = String(applied);
    strong.input.dataset.state = engine.microphone.rnnoiseState;
  }, 500);

  const element = h("section", { className: "panel", "aria-labelledby": "voice-h" },
    h("h2", { id: "voice-h" }, () => text.heading),
    talk, hint, giveBack, toggleMode.wrap, mute.wrap, noise.wrap, strong.wrap, textOnly.wrap, floorTools, sound, state, quality, details, heard, path, status);
  return {
    element,
    barTalk,
    speaking: { on: (l) => speakingListeners.push(l) },
    dispose: () => {
      disposed = true;
      window.clearInterval(timer);
      engine?.dispose();
    },
  };
}
