// Voice controls: push-to-talk (hold the button, or Space/Enter on it; or tap-to-toggle), microphone mute,
// text-only mode (SetAudioReceive(false)), the sending profile and what this tab hears.
import type { MeetingSession } from "../session";
import { VoiceEngine } from "../voice/engine";
import { busy, checkbox, h } from "./dom";
import type { SpeakingSource } from "./peopleView";

export interface VoicePanel { element: HTMLElement; speaking: SpeakingSource; dispose(): void }

export function voicePanel(session: MeetingSession): VoicePanel {
  const status = h("p", { className: "error", role: "alert" });
  const state = h("p", { className: "muted", role: "status", "aria-label": "Voice status" }, "Not talking");
  const heard = h("p", { className: "muted", "aria-label": "Voice received" }, "Nothing heard yet.");
  const speakingListeners: ((speaking: ReadonlySet<string>) => void)[] = [];
  const engine = new VoiceEngine(session, {
    state: (text) => (state.textContent = text),
    speaking: (ids) => speakingListeners.forEach((l) => l(ids)),
    error: (message) => (status.textContent = message),
    profile: (profile, reason) => (state.textContent = `Voice profile ${profile.name}: ${reason}`),
  });

  const talk = h("button", { type: "button", className: "talk", "aria-pressed": "false", "aria-describedby": "talk-hint" }, "Hold to talk");
  const hint = h("small", { id: "talk-hint", className: "muted" }, "Hold the button, or hold Space while it has focus.");
  const toggleMode = checkbox("Tap to start and stop instead of holding");
  const mute = checkbox("Mute my microphone");
  const textOnly = checkbox("Text only (no audio download)");
  const sound = h("button", { type: "button", className: "small", hidden: true }, "Turn on sound");

  const setPressed = (on: boolean) => {
    talk.setAttribute("aria-pressed", String(on));
    talk.textContent = on ? "Talking… release to stop" : toggleMode.input.checked ? "Tap to talk" : "Hold to talk";
  };
  const start = () => {
    if (talk.getAttribute("aria-pressed") === "true") return;
    setPressed(true);
    status.textContent = "";
    engine.talk().then(() => { if (!engine.sending && !mute.input.checked) setPressed(false); }, (error: Error) => {
      setPressed(false);
      status.textContent = error.message;
    });
  };
  const stop = () => {
    if (talk.getAttribute("aria-pressed") !== "true") return;
    setPressed(false);
    engine.release().catch((error: Error) => (status.textContent = error.message));
  };
  talk.addEventListener("pointerdown", (e) => {
    if (toggleMode.input.checked) return;
    talk.setPointerCapture(e.pointerId);
    start();
  });
  talk.addEventListener("pointerup", () => !toggleMode.input.checked && stop());
  talk.addEventListener("pointercancel", () => !toggleMode.input.checked && stop());
  talk.addEventListener("click", (e) => {
    if (!toggleMode.input.checked || e.detail === 0) return; // keyboard "clicks" are handled by keydown
    if (talk.getAttribute("aria-pressed") === "true") stop(); else start();
  });
  talk.addEventListener("keydown", (e) => {
    if ((e.key !== " " && e.key !== "Enter") || e.repeat) return;
    e.preventDefault();
    if (toggleMode.input.checked && talk.getAttribute("aria-pressed") === "true") stop(); else start();
  });
  talk.addEventListener("keyup", (e) => {
    if ((e.key === " " || e.key === "Enter") && !toggleMode.input.checked) {
      e.preventDefault();
      stop();
    }
  });
  talk.addEventListener("blur", () => !toggleMode.input.checked && stop());
  toggleMode.input.addEventListener("change", () => setPressed(talk.getAttribute("aria-pressed") === "true"));
  mute.input.addEventListener("change", () => engine.setMicMuted(mute.input.checked));
  textOnly.input.addEventListener("change", () => {
    const receive = !textOnly.input.checked;
    textOnly.input.disabled = true;
    status.textContent = "";
    engine.setReceive(receive).catch((error: Error) => {
      textOnly.input.checked = !receive;
      status.textContent = error.message;
    }).finally(() => (textOnly.input.disabled = false));
  });
  // Moderators choose how the floor works: open mic (up to N speakers at once) or moderated (they grant it).
  const floorTools = h("div");
  session.on("joined", () => {
    if (!session.isModerator) return floorTools.replaceChildren();
    const mode = h("select", { id: "floor-mode" },
      h("option", { value: "OpenMic" }, "Open mic"), h("option", { value: "Moderated" }, "Moderated (I give the floor)"));
    const max = h("input", { id: "floor-max", type: "number", min: 1, max: 10, value: 3, inputmode: "numeric" });
    const apply = h("button", { type: "button", className: "small" }, "Set floor");
    apply.addEventListener("click", () => void busy(apply, status, () => session.floorCall(() =>
      session.connection.invoke("SetFloorMode", { mode: mode.value as "OpenMic" | "Moderated", maxSpeakers: Number(max.value) }))));
    floorTools.replaceChildren(h("div", { className: "row" },
      h("label", { for: "floor-mode" }, "Floor"), mode, h("label", { for: "floor-max" }, "Speakers"), max, apply));
  });
  session.on("floor", (floor) => {
    const mode = floorTools.querySelector<HTMLSelectElement>("#floor-mode");
    const max = floorTools.querySelector<HTMLInputElement>("#floor-max");
    if (mode && document.activeElement !== mode) mode.value = floor.mode;
    if (max && document.activeElement !== max) max.value = String(floor.maxSpeakers);
  });

  sound.addEventListener("click", () => void busy(sound, status, async () => { await engine.enableAudio(); }));

  const timer = window.setInterval(() => {
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
      heard.textContent = `Heard ${frames} frames decoded (level ${Number.isFinite(dbfs) ? dbfs.toFixed(0) : "−∞"} dBFS), ${concealed} concealed, ${engine.playback.underruns} underruns.`;
      heard.dataset.decodedFrames = String(frames);
      heard.dataset.decodedDbfs = Number.isFinite(dbfs) ? dbfs.toFixed(1) : "-Infinity";
    }
    const sent = engine.senderStats;
    if (sent) talk.dataset.packetsSent = String(sent.packetsSent);
  }, 500);

  const element = h("section", { className: "panel", "aria-labelledby": "voice-h" },
    h("h2", { id: "voice-h" }, "Voice"),
    talk, hint, toggleMode.wrap, mute.wrap, textOnly.wrap, floorTools, sound, state, heard, status);
  return {
    element,
    speaking: { on: (l) => speakingListeners.push(l) },
    dispose: () => {
      window.clearInterval(timer);
      engine.dispose();
    },
  };
}
