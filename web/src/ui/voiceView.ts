// Voice controls. Text-only mode asks the hub to stop sending this tab any audio (SetAudioReceive(false)).
import type { MeetingSession } from "../session";
import { busy, checkbox, h } from "./dom";
import type { SpeakingSource } from "./peopleView";

export interface VoicePanel { element: HTMLElement; speaking: SpeakingSource; dispose(): void }

export function voicePanel(session: MeetingSession): VoicePanel {
  const status = h("p", { className: "error", role: "alert" });
  const textOnly = checkbox("Text only (no audio download)");
  textOnly.input.addEventListener("change", () => {
    const wanted = !textOnly.input.checked;
    void busy(textOnly.input as unknown as HTMLButtonElement, status, async () => {
      try {
        await session.setAudioReceive(wanted);
      } catch (error) {
        textOnly.input.checked = !wanted;
        throw error;
      }
    });
  });
  const listeners: ((speaking: ReadonlySet<string>) => void)[] = [];
  const element = h("section", { className: "panel", "aria-labelledby": "voice-h" }, h("h2", { id: "voice-h" }, "Voice"), textOnly.wrap, status);
  return { element, speaking: { on: (l) => listeners.push(l) }, dispose: () => undefined };
}
