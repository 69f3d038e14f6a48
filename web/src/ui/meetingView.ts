// The meeting screen: header, people, chat, polls and voice, laid out in one column on a phone.
import type { MeetingSession } from "../session";
import { chatView } from "./chatView";
import { h, replaceChildren } from "./dom";
import { headerView } from "./headerView";
import { peopleView, type SpeakingSource } from "./peopleView";
import { pollsView } from "./pollsView";

export function renderMeeting(root: HTMLElement, session: MeetingSession, joinCode: string | undefined, voice: HTMLElement, speaking: SpeakingSource, onLeave: () => void): void {
  const leave = h("button", { type: "button", className: "small" }, "Leave");
  leave.addEventListener("click", onLeave);
  const ended = h("p", { className: "notice ended", role: "alert", hidden: true }, "The moderator ended this meeting. Chat and polls are closed.");
  session.on("ended", () => {
    ended.hidden = false;
    for (const control of root.querySelectorAll<HTMLButtonElement | HTMLTextAreaElement | HTMLInputElement>("main button, main textarea, main input")) {
      if (control !== leave) control.disabled = true;
    }
    leave.textContent = "Back to start";
  });
  replaceChildren(root,
    headerView(session, joinCode),
    ended,
    h("main", { className: "grid" },
      h("div", { className: "col" }, peopleView(session, speaking), voice),
      h("div", { className: "col wide" }, chatView(session)),
      h("div", { className: "col" }, pollsView(session))),
    h("footer", {}, leave));
}
