// The meeting screen. On a phone: one section at a time behind a bottom bar (chat, polls, people, voice) with unread
// and open-poll badges and push-to-talk always one tap away; an opened poll is surfaced whatever section is shown.
// From 900 px wide: the sections side by side in columns, no bar. New polls, hands and floor changes are announced
// to screen readers through a live region.
import type { FloorView, ParticipantView, PollView } from "../protocol";
import type { MeetingSession } from "../session";
import { chatView } from "./chatView";
import { isolate, t } from "../i18n";
import { busy, checkbox, field, h, languageMenu, liveRegion, replaceChildren, setAttr, setText, skipLink } from "./dom";
import { headerView } from "./headerView";
import { peopleView } from "./peopleView";
import { pollsView } from "./pollsView";
import type { VoicePanel } from "./voiceView";

// Its strings: locales/<lang>.json, keys "meeting.*" (bound to the language where shown: () => text.x).
const text = {
  get sections() { return t("meeting.sections"); },
  get chat() { return t("meeting.chat"); },
  get polls() { return t("meeting.polls"); },
  get people() { return t("meeting.people"); },
  get voice() { return t("meeting.voice"); },
  get qa() { return t("meeting.qa"); },
  unread: (n: number) => t("meeting.unread", { n }),
  open: (n: number) => t("meeting.open", { n }),
  hands: (n: number) => t("meeting.hands", { n }),
  get leave() { return t("meeting.leave"); },
  get backToStart() { return t("meeting.backToStart"); },
  get startOver() { return t("meeting.startOver"); },
  get ended() { return t("meeting.ended"); },
  gone: (reason: string) => t("meeting.gone", { reason }),
  pollOpened: (question: string) => t("meeting.pollOpened", { question: isolate(question) }),
  get voteNow() { return t("meeting.voteNow"); },
  announcePoll: (question: string) => t("meeting.announcePoll", { question: isolate(question) }),
  announceHand: (name: string) => t("meeting.announceHand", { name: isolate(name) }),
  announceFloor: (name: string) => t("meeting.announceFloor", { name: isolate(name) }),
  get announceFloorMine() { return t("meeting.announceFloorMine"); },
  get announceFloorLost() { return t("meeting.announceFloorLost"); },
  get waitingTitle() { return t("lobby.waitingTitle"); },
  waitingText: (title: string) => t("lobby.waitingText", { title }),
  excluded: (why: "removed" | "denied" | "locked") => why === "removed" ? t("meeting.removed") : why === "denied" ? t("meeting.denied") : t("meeting.locked"),
  waitingBadge: (n: number) => t("meeting.waitingBadge", { n }),
  announceWaiting: (name: string) => t("meeting.announceWaiting", { name }),
  get someone() { return t("meeting.someone"); },
};

type Tab = "chat" | "polls" | "qa" | "people" | "voice";

export interface MeetingActions { leave(): void; startOver(): void }

export function renderMeeting(root: HTMLElement, session: MeetingSession, joinCode: string | undefined, voice: VoicePanel, actions: MeetingActions): void {
  const live = liveRegion();
  const wide = window.matchMedia("(min-width: 900px)");
  let active: Tab = "chat";
  let unread = 0;

  const panels: Record<Tab, HTMLElement> = {
    chat: chatView(session),
    polls: pollsView(session),
    qa: h("section", { className: "panel", "aria-labelledby": "qa-h" }),
    people: peopleView(session, voice.speaking),
    voice: voice.element,
  };
  const badges = {} as Record<Tab, HTMLElement>;
  const tabs = {} as Record<Tab, HTMLButtonElement>;
  const order: Tab[] = ["chat", "polls", "qa", "people", "voice"];
  for (const tab of order) {
    badges[tab] = h("span", { className: "badge", "aria-hidden": "true", hidden: true });
    tabs[tab] = h("button", { type: "button", role: "tab", id: `tab-${tab}`, "aria-controls": `panel-${tab}`, "aria-selected": "false", tabindex: -1 }, () => text[tab], badges[tab]);
    tabs[tab].addEventListener("click", () => select(tab));
  }
  const tabpanels = order.map((tab) => h("div", { className: `tabpanel area-${tab}`, role: "tabpanel", id: `panel-${tab}`, "aria-labelledby": `tab-${tab}` }, panels[tab]));
  const tablist = h("div", { role: "tablist", "aria-label": () => text.sections, className: "tablist" }, ...order.map((t) => tabs[t]));
  tablist.addEventListener("keydown", (e) => {
    // Arrows follow the reading direction: in a right-to-left page the next tab is to the left.
    const forward = getComputedStyle(tablist).direction === "rtl" ? "ArrowLeft" : "ArrowRight";
    const back = forward === "ArrowLeft" ? "ArrowRight" : "ArrowLeft";
    const step = e.key === forward ? 1 : e.key === back ? -1 : 0;
    if (!step) return;
    const next = order[(order.indexOf(active) + step + order.length) % order.length] as Tab;
    select(next);
    tabs[next].focus();
  });

  const setBadge = (tab: Tab, value: string, label: () => string) => {
    badges[tab].textContent = value;
    badges[tab].hidden = value === "";
    setAttr(tabs[tab], "aria-label", () => (value === "" ? text[tab] : `${text[tab]}, ${label()}`));
  };
  const visible = (tab: Tab) => wide.matches || active === tab;
  function select(tab: Tab): void {
    active = tab;
    for (const t of order) {
      tabs[t].setAttribute("aria-selected", String(t === tab));
      tabs[t].tabIndex = t === tab ? 0 : -1;
    }
    for (const [i, panel] of tabpanels.entries()) panel.classList.toggle("active", order[i] === tab);
    if (tab === "chat") {
      unread = 0;
      setBadge("chat", "", () => "");
    }
    if (tab === "polls") surfaced.hidden = true;
  }

  // Unread chat while another section is shown (on a phone).
  session.on("chat", (messages) => {
    if (visible("chat")) return;
    unread += messages.filter((m) => m.participantId !== session.me?.participantId).length;
    const n = unread;
    if (n > 0) setBadge("chat", String(n), () => text.unread(n));
  });

  // Open polls I have not voted in; a newly opened poll is surfaced and announced.
  const pollState = new Map<string, PollView["state"]>();
  const voteNow = h("button", { type: "button", className: "small" }, () => text.voteNow);
  const surfacedText = h("span", {});
  const surfaced = h("div", { className: "notice poll-alert", hidden: true }, surfacedText, " ", voteNow);
  let surfacedPoll: string | undefined;
  voteNow.addEventListener("click", () => {
    select("polls");
    const card = panels.polls.querySelector<HTMLElement>(`[data-poll-id="${surfacedPoll ?? ""}"]`);
    card?.scrollIntoView({ block: "start" });
    card?.querySelector<HTMLInputElement>("input")?.focus();
  });
  const countOpen = () => {
    const open = session.polls.all.filter((p) => p.state === "Open" && !session.polls.ballot(p.pollId)).length;
    setBadge("polls", open > 0 ? String(open) : "", () => text.open(open));
  };
  const onPoll = (poll: PollView, announce: boolean) => {
    const before = pollState.get(poll.pollId);
    pollState.set(poll.pollId, poll.state);
    if (poll.state === "Open" && before !== "Open" && announce) {
      live.say(text.announcePoll(poll.question));
      if (!session.polls.ballot(poll.pollId) && !(visible("polls") && !wide.matches)) {
        surfacedPoll = poll.pollId;
        setText(surfacedText, () => text.pollOpened(poll.question));
        surfaced.hidden = false;
      }
    }
    if (surfacedPoll === poll.pollId && (poll.state !== "Open" || session.polls.ballot(poll.pollId))) surfaced.hidden = true;
    countOpen();
  };
  session.on("poll", (poll) => onPoll(poll, true));
  session.on("polls", (polls) => {
    const first = pollState.size === 0;
    for (const poll of polls) onPoll(poll, !first);
    countOpen();
  });

  // Hands and the floor, for the people badge and the live region.
  let hands = new Map<string, boolean>();
  let knownPeople = false;
  session.on("participants", (people: readonly ParticipantView[]) => {
    const next = new Map(people.map((p) => [p.participantId, p.handRaised]));
    if (knownPeople) {
      for (const p of people) if (p.handRaised && !hands.get(p.participantId) && p.participantId !== session.me?.participantId) live.say(text.announceHand(p.displayName));
    }
    knownPeople = true;
    hands = next;
    raised = people.filter((p) => p.handRaised).length;
    peopleBadge();
  });
  // People waiting in the lobby (moderators): on the people badge, and each newcomer announced.
  let raised = 0;
  let waiters = new Set<string>();
  const peopleBadge = () => {
    const n = waiters.size;
    setBadge("people", [raised > 0 ? `✋${raised}` : "", n > 0 ? `⌛${n}` : ""].filter(Boolean).join(" "),
      () => [raised > 0 ? text.hands(raised) : "", n > 0 ? text.waitingBadge(n) : ""].filter(Boolean).join(", "));
  };
  session.on("lobby", (lobby) => {
    for (const w of lobby.waiting) if (!waiters.has(w.waiterId)) live.say(text.announceWaiting(isolate(w.displayName)));
    waiters = new Set(lobby.waiting.map((w) => w.waiterId));
    peopleBadge();
  });
  let speakers: readonly string[] | undefined;
  session.on("floor", (floor: FloorView) => {
    const me = session.me?.participantId;
    if (speakers) {
      for (const id of floor.speakers) {
        if (speakers.includes(id)) continue;
        live.say(id === me ? text.announceFloorMine : text.announceFloor(session.participants.get(id)?.displayName ?? text.someone));
      }
      if (me && speakers.includes(me) && !floor.speakers.includes(me)) live.say(text.announceFloorLost);
    }
    speakers = floor.speakers;
  });

  const leave = h("button", { type: "button", className: "small" }, () => text.leave);
  leave.addEventListener("click", actions.leave);
  const main = h("main", { id: "main", className: "meeting-grid", tabindex: -1 }, ...tabpanels);
  const disableMain = () => {
    for (const control of main.querySelectorAll<HTMLButtonElement | HTMLTextAreaElement | HTMLInputElement | HTMLSelectElement>("button, textarea, input, select")) {
      if (!control.closest("[data-keep-enabled]")) control.disabled = true;
    }
    voice.barTalk.disabled = true;
    surfaced.hidden = true;
  };
  const ended = h("p", { className: "notice ended", role: "alert", hidden: true }, () => text.ended);
  session.on("ended", () => {
    ended.hidden = false;
    disableMain();
    setText(leave, () => text.backToStart);
  });
  const startOver = h("button", { type: "button" }, () => text.startOver);
  startOver.addEventListener("click", actions.startOver);
  const goneText = h("span", {});
  const gone = h("div", { className: "notice ended", role: "alert", hidden: true }, goneText, h("div", { className: "row" }, startOver));
  session.on("gone", (reason) => {
    setText(goneText, () => text.gone(reason.replace(/\.?$/, ".")));
    gone.hidden = false;
    disableMain();
    setText(leave, () => text.backToStart);
  });

  // Waiting in the lobby: this screen instead of the meeting, until a moderator admits (or declines) us.
  const waitingText = h("p", {});
  const waiting = h("section", { className: "notice", role: "status", hidden: true, "aria-labelledby": "waiting-h" },
    h("h2", { id: "waiting-h" }, () => text.waitingTitle), waitingText);
  const nav = h("nav", { className: "bar", "aria-label": () => text.sections }, tablist, voice.barTalk);
  session.on("waiting", (on) => {
    setText(waitingText, () => text.waitingText(isolate(session.title)));
    waiting.hidden = !on;
    for (const panel of tabpanels) panel.hidden = on;
    nav.hidden = on;
  });
  main.prepend(waiting);
  // Removed, declined, or locked out: said plainly, and nothing more to do here but go back.
  const excludedText = h("span", {});
  const excludedBack = h("button", { type: "button" }, () => text.backToStart);
  excludedBack.addEventListener("click", actions.leave);
  const excluded = h("div", { className: "notice ended", role: "alert", hidden: true }, excludedText, h("div", { className: "row" }, excludedBack));
  session.on("excluded", (why) => {
    setText(excludedText, () => text.excluded(why));
    excluded.hidden = false;
    waiting.hidden = true; // someone turned away at the lobby never saw the meeting: its sections stay hidden
    disableMain();
    setText(leave, () => text.backToStart);
  });

  // The Q&A panel is its own chunk, fetched once the meeting is on screen (it is not part of the first load).
  void import("./qaView").then(({ qaView }) => qaView(session, panels.qa, (sentence) => live.say(sentence), { busy, checkbox, field, h, replaceChildren, setText }));
  // Discussion rooms too (in the People section; the chat shows which room I am in).
  void import("./roomsView").then(({ roomsView }) => roomsView(session, panels.people, panels.chat, (sentence) => live.say(sentence), { busy, checkbox, field, h, replaceChildren, setText }));

  select("chat");
  wide.addEventListener("change", () => select(active));
  replaceChildren(root,
    skipLink(),
    headerView(session, joinCode),
    ended, gone, excluded, surfaced,
    main,
    nav,
    h("footer", { className: "row spread" }, leave, languageMenu()),
    live.element);
}
