// The list of speakers (hub/PROTOCOL.md §12) and the people tools that come with it (§13): ask to speak and
// withdraw; who waits, in order; who speaks now and for how long (on the hub's clock, with the countdown of the time
// limit); each person's speaking time. Moderators give the floor to the next or to one of the list, take people off
// it and set the limit; they rename people and make them moderators (or no longer). Anyone renames themself.
// Its own chunk, loaded once the meeting is on screen (not part of the first load).
import type { ParticipantView, SpeakersView } from "../protocol";
import type { MeetingSession } from "../session";
import { isolate, t } from "../i18n";
import type * as Dom from "./dom";

/** The DOM helpers, passed in by the people view (importing them here would split them into a chunk of their own). */
export type DomKit = Pick<typeof Dom, "busy" | "field" | "h" | "replaceChildren" | "setText">;

// Its strings: locales/<lang>.json, keys "speakers.*" and "people.*" (read when rendered, so a language switch takes effect).
const text = {
  get heading() { return t("speakers.heading"); },
  get ask() { return t("speakers.ask"); },
  get withdraw() { return t("speakers.withdraw"); },
  get queue() { return t("speakers.queue"); },
  get empty() { return t("speakers.empty"); },
  get next() { return t("speakers.next"); },
  get give() { return t("speakers.give"); },
  get takeOff() { return t("speakers.takeOff"); },
  now: (name: string, time: string) => t("speakers.now", { name, time }),
  get nobody() { return t("speakers.nobody"); },
  left: (time: string) => t("speakers.left", { time }),
  over: (time: string) => t("speakers.over", { time }),
  get limit() { return t("speakers.limit"); },
  get noLimit() { return t("speakers.noLimit"); },
  get times() { return t("speakers.times"); },
  total: (name: string, time: string, n: number) => t("speakers.total", { name, time, n }),
  position: (n: number) => t("speakers.position", { n }),
  get rename() { return t("people.rename"); },
  renameTo: (name: string) => t("people.renameTo", { name }),
  get save() { return t("people.save"); },
  get cancel() { return t("people.cancel"); },
  get myName() { return t("people.myName"); },
  get yourName() { return t("people.yourName"); },
  get promote() { return t("people.promote"); },
  get demote() { return t("people.demote"); },
};

/** m:ss (h:mm:ss past an hour) of a duration in ms. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const mmss = `${Math.floor(s / 60) % 60}:${String(s % 60).padStart(2, "0")}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss.padStart(5, "0")}` : mmss;
}

export interface PeopleTools {
  /** A moderator's rename and moderator controls for one person (null for yourself and for participants). */
  personTools(p: ParticipantView, rerender: () => void): HTMLElement | null;
}

/** Fills `slot` with the list of speakers and the rename form; returns the per-person tools for the People list. */
export function speakersView(session: MeetingSession, slot: HTMLElement, { busy, field, h, replaceChildren, setText }: DomKit): PeopleTools {
  const c = session.connection;
  let view: SpeakersView | undefined;
  let offset = 0; // hub clock − our clock, from the last view
  const status = h("p", { className: "error", role: "alert" });
  const apply = (next: SpeakersView) => {
    if (view && view.version > next.version) return;
    view = next;
    offset = next.serverNowUnixMs - Date.now();
    render();
  };
  const call = (name: "AskToSpeak" | "WithdrawFromSpeakers" | "NextSpeaker") => async () => apply(await c.invoke(name));
  c.on("SpeakersUpdated", apply);
  const refresh = () => void c.invoke("GetSpeakers").then(apply, () => undefined);
  session.on("joined", refresh);
  if (session.me) refresh();

  const ask = h("button", { type: "button" });
  ask.addEventListener("click", () => void busy(ask, status, call(mine() ? "WithdrawFromSpeakers" : "AskToSpeak")));
  const next = h("button", { type: "button" }, () => text.next);
  next.addEventListener("click", () => void busy(next, status, call("NextSpeaker")));
  const limit = h("select", {}, h("option", { value: "0" }, () => text.noLimit), ...[60, 120, 180, 300].map((s) => h("option", { value: String(s) }, clock(s * 1000))));
  limit.addEventListener("change", () => void busy(next, status, async () => apply(await c.invoke("SetSpeakerTimeLimit", Number(limit.value)))));
  const tools = h("div", { className: "row" }, next, field(() => text.limit, limit));
  const now = h("p", { "aria-live": "off" });
  const place = h("p", { className: "muted" });
  const queue = h("ol", { className: "people speakers", "aria-label": () => text.queue });
  const empty = h("p", { className: "muted" }, () => text.empty);
  const times = h("ul", { className: "people", "aria-label": () => text.times });

  const mine = () => view?.queue.some((q) => q.participantId === session.me?.participantId) ?? false;

  function running(): string {
    const current = view?.times.find((s) => s.participantId === view?.currentSpeakerId && s.speakingSinceUnixMs !== null);
    if (!view || !current?.speakingSinceUnixMs) return text.nobody;
    const spoken = Date.now() + offset - current.speakingSinceUnixMs;
    const sentence = text.now(isolate(current.displayName), clock(spoken));
    const rest = view.timeLimitSeconds * 1000 - spoken;
    return view.timeLimitSeconds === 0 ? sentence : `${sentence} · ${rest >= 0 ? text.left(clock(rest)) : text.over(clock(-rest))}`;
  }

  function render(): void {
    const moderator = session.isModerator;
    tools.hidden = !moderator;
    setText(ask, () => (mine() ? text.withdraw : text.ask));
    ask.setAttribute("aria-pressed", String(mine()));
    ask.disabled = session.ended;
    next.disabled = session.ended || !view?.queue.length;
    limit.value = String(view?.timeLimitSeconds ?? 0);
    setText(now, running);
    const index = view?.queue.findIndex((q) => q.participantId === session.me?.participantId) ?? -1;
    place.hidden = index < 0;
    setText(place, () => text.position(index + 1));
    const list = view?.queue ?? [];
    empty.hidden = list.length > 0;
    replaceChildren(queue, ...list.map((q) => {
      const li = h("li", { "data-speaker": q.participantId }, h("bdi", { className: "name" }, q.displayName));
      if (moderator) {
        const act = (label: () => string, run: () => Promise<void>) =>
          h("button", { type: "button", className: "small", "aria-label": () => `${label()}: ${isolate(q.displayName)}`, onclick: (e) => void busy(e.currentTarget as HTMLButtonElement, status, run) }, label);
        li.append(h("span", { className: "row" },
          act(() => text.give, async () => apply(await c.invoke("GiveFloorTo", q.participantId))),
          act(() => text.takeOff, async () => apply(await c.invoke("RemoveFromSpeakers", q.participantId)))));
      }
      return li;
    }));
    renderTimes();
  }

  /** Each person's speaking time, a running turn included (so it counts up with the current speaker's clock). */
  function renderTimes(): void {
    const spoken = [...(view?.times ?? [])].map((s) => ({ ...s, ms: s.totalMs + (s.speakingSinceUnixMs ? Date.now() + offset - s.speakingSinceUnixMs : 0) })).sort((a, b) => b.ms - a.ms);
    replaceChildren(times, ...spoken.map((s) => h("li", { "data-spoken": s.participantId }, () => text.total(isolate(s.displayName), clock(s.ms), s.turns))));
  }
  // The running time, the countdown and the running totals, once a second, only while someone holds the floor.
  window.setInterval(() => {
    if (!view?.times.some((s) => s.speakingSinceUnixMs)) return;
    setText(now, running);
    renderTimes();
  }, 1000);

  // Renaming yourself: a small form behind "Change your name".
  const myName = h("input", { name: "myName", maxlength: 64, required: true, autocomplete: "name" });
  const save = h("button", { type: "submit" }, () => text.save);
  const renameForm = h("form", { className: "row" }, field(() => text.yourName, myName), save);
  renameForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void busy(save, status, async () => {
      await c.invoke("Rename", myName.value);
      myName.value = "";
    });
  });
  const details = h("details", {}, h("summary", {}, () => text.myName), renameForm);
  details.addEventListener("toggle", () => details.open && (myName.value = session.me?.displayName ?? ""));

  session.on("ended", render);
  replaceChildren(slot, h("h3", {}, () => text.heading), ask, place, now, tools, empty, queue, h("h3", {}, () => text.times), times, details, status);
  render();

  // Whose rename a moderator is typing (kept across re-renders of the People list).
  const renaming = new Map<string, string>();
  return {
    personTools(p, rerender) {
      if (!session.isModerator || p.participantId === session.me?.participantId) return null;
      const act = (label: () => string, run: () => Promise<void>) =>
        h("button", { type: "button", className: "small", "aria-label": () => `${label()}: ${isolate(p.displayName)}`, onclick: (e) => void busy(e.currentTarget as HTMLButtonElement, status, run) }, label);
      const toggle = (on: boolean) => {
        if (on) renaming.set(p.participantId, p.displayName); else renaming.delete(p.participantId);
        rerender();
      };
      if (!renaming.has(p.participantId)) {
        return h("span", { className: "row" },
          act(() => text.rename, async () => toggle(true)),
          p.role === "Moderator"
            ? act(() => text.demote, async () => void (await c.invoke("DemoteParticipant", p.participantId)))
            : act(() => text.promote, async () => void (await c.invoke("PromoteParticipant", p.participantId))));
      }
      const input = h("input", { name: "rename", maxlength: 64, required: true });
      input.value = renaming.get(p.participantId) ?? "";
      input.addEventListener("input", () => renaming.set(p.participantId, input.value));
      const ok = h("button", { type: "submit", className: "small" }, () => text.save);
      const form = h("form", { className: "row" }, field(() => text.renameTo(isolate(p.displayName)), input), ok,
        h("button", { type: "button", className: "small", onclick: () => toggle(false) }, () => text.cancel));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        void busy(ok, status, async () => {
          await c.invoke("RenameParticipant", p.participantId, input.value);
          toggle(false);
        });
      });
      return form;
    },
  };
}
