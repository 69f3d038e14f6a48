// Who is here: role, raised hands, who holds the floor or is speaking, and a moderator's floor controls.
import type { ParticipantView } from "../protocol";
import type { MeetingSession } from "../session";
import { busy, h, replaceChildren } from "./dom";

export interface SpeakingSource { on(listener: (speaking: ReadonlySet<string>) => void): void }

export function peopleView(session: MeetingSession, speaking: SpeakingSource): HTMLElement {
  const list = h("ul", { className: "people", "aria-label": "Participants" });
  const count = h("span", { className: "muted" });
  const status = h("p", { className: "error", role: "alert" });
  const hand = h("button", { type: "button", "aria-pressed": "false" }, "Raise hand");
  const showList = h("button", { type: "button", className: "small" }, "Show list");
  const large = h("p", { className: "muted", hidden: true },
    "A large meeting: only moderators see arrivals as they happen. ", showList);
  showList.addEventListener("click", () => void busy(showList, status, () => session.loadParticipants()));
  let nowSpeaking: ReadonlySet<string> = new Set();

  hand.addEventListener("click", () => {
    const raised = hand.getAttribute("aria-pressed") !== "true";
    void busy(hand, status, () => session.setHand(raised));
  });

  const render = (people: readonly ParticipantView[]) => {
    count.textContent = ` (${session.participantCount || people.length})`;
    large.hidden = session.participantsLive;
    replaceChildren(list, ...people.map((p) => personItem(session, p, nowSpeaking.has(p.participantId), status)));
    const me = session.me && session.participants.get(session.me.participantId);
    const raised = me?.handRaised ?? false;
    hand.setAttribute("aria-pressed", String(raised));
    hand.textContent = raised ? "Lower hand" : "Raise hand";
  };
  session.on("participants", render);
  session.on("floor", () => render([...session.participants.values()]));
  speaking.on((set) => {
    nowSpeaking = set;
    for (const li of list.querySelectorAll<HTMLElement>("li[data-participant]")) {
      li.classList.toggle("speaking", set.has(li.dataset.participant ?? ""));
    }
  });

  return h("section", { className: "panel", "aria-labelledby": "people-h" }, h("h2", { id: "people-h" }, "People", count), hand, large, list, status);
}

function personItem(session: MeetingSession, p: ParticipantView, speaking: boolean, status: HTMLElement): HTMLLIElement {
  const floor = session.floor;
  const holds = floor?.speakers.includes(p.participantId) ?? false;
  const asks = floor?.requests.includes(p.participantId) ?? false;
  const muted = floor?.muted.includes(p.participantId) ?? false;
  const isMe = p.participantId === session.me?.participantId;
  const tags = [
    p.role === "Moderator" ? "moderator" : "",
    isMe ? "you" : "",
    p.handRaised ? "hand raised" : "",
    speaking ? "speaking" : "",
    holds ? "has the floor" : asks ? "asks for the floor" : "",
    muted ? "muted" : "",
  ].filter(Boolean);

  const li = h("li", { "data-participant": p.participantId, className: speaking ? "speaking" : "" },
    h("span", { className: "name" }, p.displayName),
    tags.length > 0 ? h("span", { className: "tags" }, ` ${tags.join(" · ")}`) : null);

  if (session.isModerator && floor && !isMe) {
    const act = (label: string, call: () => Promise<void>) =>
      h("button", { type: "button", className: "small", "aria-label": `${label}: ${p.displayName}`, onclick: (e) => void busy(e.currentTarget as HTMLButtonElement, status, call) }, label);
    const c = session.connection;
    li.append(h("span", { className: "row" },
      holds ? act("Revoke floor", () => session.floorCall(() => c.invoke("RevokeFloor", p.participantId)))
        : act("Give floor", () => session.floorCall(() => c.invoke("GrantFloor", p.participantId))),
      act(muted ? "Unmute" : "Mute", () => session.floorCall(() => c.invoke("SetMuted", p.participantId, !muted)))));
  }
  return li;
}
