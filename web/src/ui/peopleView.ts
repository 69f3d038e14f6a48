// Who is here: role, raised hands, who holds the floor or is speaking, and a moderator's floor controls.
import type { ParticipantView } from "../protocol";
import type { MeetingSession } from "../session";
import { isolate, t } from "../i18n";
import { busy, field, h, replaceChildren, setText } from "./dom";
import type { PeopleTools } from "./speakersView";

// Its strings: locales/<lang>.json, keys "people.*" (bound to the language where shown: () => text.x).
const text = {
  get heading() { return t("people.heading"); },
  get list() { return t("people.list"); },
  get raise() { return t("people.raise"); },
  get lower() { return t("people.lower"); },
  get showList() { return t("people.showList"); },
  get large() { return t("people.large"); },
  get moderator() { return t("people.moderator"); },
  get you() { return t("people.you"); },
  get hand() { return t("people.hand"); },
  get speaking() { return t("people.speaking"); },
  get holds() { return t("people.holds"); },
  get asks() { return t("people.asks"); },
  get muted() { return t("people.muted"); },
  get give() { return t("people.give"); },
  get revoke() { return t("people.revoke"); },
  get mute() { return t("people.mute"); },
  get unmute() { return t("people.unmute"); },
  get remove() { return t("people.remove"); },
  confirmRemove: (name: string) => t("people.confirmRemove", { name }),
  get removeYes() { return t("people.removeYes"); },
  get cancel() { return t("people.cancel"); },
  count: (n: number) => t("people.count", { n }),
  get lowerAll() { return t("people.lowerAll"); },
  get muteAll() { return t("people.muteAll"); },
};

export interface SpeakingSource { on(listener: (speaking: ReadonlySet<string>) => void): void }

export function peopleView(session: MeetingSession, speaking: SpeakingSource): HTMLElement {
  const list = h("ul", { className: "people", "aria-label": () => text.list });
  const count = h("span", { className: "muted" });
  const status = h("p", { className: "error", role: "alert" });
  const hand = h("button", { type: "button", "aria-pressed": "false" }, () => text.raise);
  const showList = h("button", { type: "button", className: "small" }, () => text.showList);
  const large = h("p", { className: "muted", hidden: true },
    () => text.large, showList);
  showList.addEventListener("click", () => void busy(showList, status, () => session.loadParticipants()));
  let nowSpeaking: ReadonlySet<string> = new Set();
  // Whose removal a moderator is confirming (kept across re-renders of the list).
  const confirming = new Set<string>();
  // A moderator's lobby panel: its own chunk, loaded when the hub first sends the lobby (moderators only).
  const lobbySlot = h("div", {});
  session.on("lobby", () => {
    if (lobbySlot.childElementCount === 0) void import("./lobbyView").then((m) => lobbySlot.childElementCount === 0 && m.lobbyView(session, lobbySlot));
  });

  // The list of speakers, renames and co-moderators: their own chunk, loaded once the meeting is on screen.
  const speakersSlot = h("div", {});
  let tools: PeopleTools | undefined;
  void import("./speakersView").then((m) => {
    tools = m.speakersView(session, speakersSlot, { busy, field, h, replaceChildren, setText });
    render([...session.participants.values()]);
  });

  hand.addEventListener("click", () => {
    const raised = hand.getAttribute("aria-pressed") !== "true";
    void busy(hand, status, () => session.setHand(raised));
  });

  const render = (people: readonly ParticipantView[]) => {
    const n = session.participantCount || people.length;
    setText(count, () => ` (${text.count(n)})`);
    large.hidden = session.participantsLive;
    const rerender = () => render([...session.participants.values()]);
    replaceChildren(list, ...people.map((p) => {
      const li = personItem(session, p, nowSpeaking.has(p.participantId), status, confirming, rerender);
      li.append(tools?.personTools(p, rerender) ?? "");
      return li;
    }));
    const me = session.me && session.participants.get(session.me.participantId);
    const raised = me?.handRaised ?? false;
    hand.setAttribute("aria-pressed", String(raised));
    setText(hand, () => (raised ? text.lower : text.raise));
  };
  session.on("participants", render);
  session.on("floor", () => render([...session.participants.values()]));
  speaking.on((set) => {
    nowSpeaking = set;
    // Not by colour alone: the row also says "speaking" in words (and the mark before the name).
    for (const li of list.querySelectorAll<HTMLElement>("li[data-participant]")) {
      const on = set.has(li.dataset.participant ?? "");
      li.classList.toggle("speaking", on);
      const tag = li.querySelector<HTMLElement>(".speaking-tag");
      if (tag) tag.hidden = !on;
    }
  });

  // A moderator's tools for everyone at once (PROTOCOL.md §11).
  const lowerAll = h("button", { type: "button", className: "small" }, () => text.lowerAll);
  lowerAll.addEventListener("click", () => void busy(lowerAll, status, () => session.lowerAllHands()));
  const muteAll = h("button", { type: "button", className: "small" }, () => text.muteAll);
  muteAll.addEventListener("click", () => void busy(muteAll, status, () => session.muteAll()));
  const everyone = h("div", { className: "row", hidden: true }, lowerAll, muteAll);
  session.on("joined", () => (everyone.hidden = !session.isModerator));

  return h("section", { className: "panel", "aria-labelledby": "people-h" }, h("h2", { id: "people-h" }, () => text.heading, count), hand, everyone, lobbySlot, speakersSlot, large, list, status);
}

function personItem(session: MeetingSession, p: ParticipantView, speaking: boolean, status: HTMLElement, confirming: Set<string>, rerender: () => void): HTMLLIElement {
  const floor = session.floor;
  const holds = floor?.speakers.includes(p.participantId) ?? false;
  const asks = floor?.requests.includes(p.participantId) ?? false;
  const muted = floor?.muted.includes(p.participantId) ?? false;
  const isMe = p.participantId === session.me?.participantId;
  const tags = () => [
    p.role === "Moderator" ? text.moderator : "",
    isMe ? text.you : "",
    p.handRaised ? text.hand : "",
    holds ? text.holds : asks ? text.asks : "",
    muted ? text.muted : "",
  ].filter(Boolean);

  const li = h("li", { "data-participant": p.participantId, className: speaking ? "speaking" : "" },
    h("bdi", { className: "name" }, p.displayName),
    tags().length > 0 ? h("span", { className: "tags" }, () => ` ${tags().join(" · ")}`) : null,
    h("span", { className: "tags speaking-tag", hidden: !speaking }, () => ` · ${text.speaking}`));

  if (session.isModerator && floor && !isMe) {
    const act = (label: () => string, call: () => Promise<void>) =>
      h("button", { type: "button", className: "small", "aria-label": () => `${label()}: ${isolate(p.displayName)}`, onclick: (e) => void busy(e.currentTarget as HTMLButtonElement, status, call) }, label);
    const c = session.connection;
    li.append(h("span", { className: "row" },
      holds ? act(() => text.revoke, () => session.floorCall(() => c.invoke("RevokeFloor", p.participantId)))
        : act(() => text.give, () => session.floorCall(() => c.invoke("GrantFloor", p.participantId))),
      act(() => (muted ? text.unmute : text.mute), () => session.floorCall(() => c.invoke("SetMuted", p.participantId, !muted)))));
  }
  if (session.isModerator && !isMe) li.append(removeControl(session, p, status, confirming, rerender));
  return li;
}

/** Remove, then a confirmation in place (no modal dialog on a phone): "Remove Ana from the meeting? Yes, remove / Cancel". */
function removeControl(session: MeetingSession, p: ParticipantView, status: HTMLElement, confirming: Set<string>, rerender: () => void): HTMLElement {
  const toggle = (on: boolean) => {
    if (on) confirming.add(p.participantId); else confirming.delete(p.participantId);
    rerender();
  };
  if (!confirming.has(p.participantId)) {
    return h("span", { className: "row" }, h("button", { type: "button", className: "small", "aria-label": () => `${text.remove}: ${isolate(p.displayName)}`, onclick: () => toggle(true) }, () => text.remove));
  }
  const yes = h("button", { type: "button", className: "danger" }, () => text.removeYes);
  yes.addEventListener("click", () => void busy(yes, status, async () => {
    await session.removeParticipant(p.participantId);
    confirming.delete(p.participantId);
  }));
  return h("span", { className: "row", role: "group", "aria-label": () => text.confirmRemove(isolate(p.displayName)) },
    h("span", {}, () => text.confirmRemove(isolate(p.displayName))), yes, h("button", { type: "button", className: "small", onclick: () => toggle(false) }, () => text.cancel));
}
