// Polls: a moderator's form to create one; each poll with its state, a ballot while open and live result bars.
import type { PollView } from "../protocol";
import type { MeetingSession } from "../session";
import { busy, checkbox, field, h, replaceChildren, uid } from "./dom";

export function pollsView(session: MeetingSession): HTMLElement {
  const list = h("div", { className: "polls" });
  const items = new Map<string, HTMLElement>();
  const creator = h("div");
  const empty = h("p", { className: "muted" }, "No polls yet.");

  const render = (poll: PollView) => {
    const next = pollCard(session, poll);
    const existing = items.get(poll.pollId);
    // Keep keyboard focus where it was when a live tally redraws the card.
    const focusedId = existing?.contains(document.activeElement) ? document.activeElement?.getAttribute("data-focus-key") : null;
    if (existing) existing.replaceWith(next); else list.prepend(next);
    items.set(poll.pollId, next);
    if (focusedId) (next.querySelector(`[data-focus-key="${focusedId}"]`) as HTMLElement | null)?.focus();
    empty.hidden = items.size > 0;
  };

  session.on("polls", (polls) => {
    items.clear();
    list.replaceChildren();
    for (const poll of polls) render(poll);
    empty.hidden = items.size > 0;
  });
  session.on("poll", render);
  session.on("joined", () => replaceChildren(creator, session.isModerator ? createForm(session) : null));

  return h("section", { className: "panel", "aria-labelledby": "polls-h" }, h("h2", { id: "polls-h" }, "Polls"), creator, empty, list);
}

function createForm(session: MeetingSession): HTMLElement {
  const question = h("input", { name: "question", required: true, maxlength: 500 });
  const options = h("textarea", { name: "options", rows: 3, required: true });
  const multiple = checkbox("Several answers allowed");
  const anonymous = checkbox("Anonymous", true);
  const openNow = checkbox("Open for voting now", true);
  const status = h("p", { className: "error", role: "alert" });
  const submit = h("button", { type: "submit" }, "Create poll");
  const form = h("form", { className: "poll-create", "aria-label": "Create a poll" },
    field("Question", question),
    field("Options", options, "One per line, 2 to 10"),
    multiple.wrap, anonymous.wrap, openNow.wrap, submit, status);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const choices = options.value.split("\n").map((o) => o.trim()).filter((o) => o.length > 0);
    void busy(submit, status, async () => {
      await session.createPoll({ question: question.value.trim(), options: choices, multipleChoice: multiple.input.checked, anonymous: anonymous.input.checked }, openNow.input.checked);
      question.value = "";
      options.value = "";
      form.closest("details")?.removeAttribute("open");
    });
  });
  return h("details", { className: "create" }, h("summary", {}, "New poll"), form);
}

function pollCard(session: MeetingSession, poll: PollView): HTMLElement {
  const headingId = uid("poll");
  const status = h("p", { className: "error", role: "alert" });
  const mine = session.polls.ballot(poll.pollId) ?? [];
  const total = poll.tally.voters;
  const stateText = poll.state === "Open" ? "open" : poll.state === "Closed" ? "closed" : "draft";

  const results = h("ul", { className: "results", "aria-label": `Results: ${total} ${total === 1 ? "voter" : "voters"}` },
    ...poll.options.map((option, i) => {
      const count = poll.tally.counts[i] ?? 0;
      const percent = total > 0 ? Math.round((count / total) * 100) : 0;
      return h("li", {},
        h("span", { className: "option" }, option, mine.includes(i) ? " ✓" : ""),
        h("span", { className: "count" }, `${count} (${percent} %)`),
        h("span", { className: "bar", "aria-hidden": "true" }, h("span", { style: `width:${percent}%` })));
    }));

  let ballot: HTMLElement | null = null;
  if (poll.state === "Open") {
    const type = poll.multipleChoice ? "checkbox" : "radio";
    const inputs = poll.options.map((_, i) => {
      const input = h("input", { type, name: `vote-${poll.pollId}`, value: i, "data-focus-key": `opt-${i}` });
      input.checked = mine.includes(i);
      input.id = uid("opt");
      return input;
    });
    const vote = h("button", { type: "submit", "data-focus-key": "vote" }, mine.length > 0 ? "Change vote" : "Vote");
    ballot = h("form", { className: "ballot" },
      h("fieldset", {}, h("legend", {}, poll.multipleChoice ? "Choose one or more" : "Choose one"),
        ...inputs.map((input, i) => h("div", { className: "check" }, input, h("label", { for: input.id }, poll.options[i] ?? "")))),
      vote);
    ballot.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = inputs.filter((input) => input.checked).map((input) => Number(input.value));
      if (chosen.length === 0) {
        status.textContent = "Choose an option first.";
        return;
      }
      void busy(vote, status, () => session.vote(poll.pollId, chosen));
    });
  }

  const controls = session.isModerator && poll.state !== "Closed"
    ? h("div", { className: "row" }, poll.state === "Draft"
      ? h("button", { type: "button", onclick: (e) => void busy(e.currentTarget as HTMLButtonElement, status, () => session.openPoll(poll.pollId)) }, "Open poll")
      : h("button", { type: "button", onclick: (e) => void busy(e.currentTarget as HTMLButtonElement, status, () => session.closePoll(poll.pollId)) }, "Close poll"))
    : null;

  return h("article", { className: `poll ${stateText}`, "aria-labelledby": headingId, "data-poll-id": poll.pollId },
    h("h3", { id: headingId }, poll.question),
    h("p", { className: "muted" }, `Poll ${stateText}${poll.anonymous ? " · anonymous" : " · named"}${poll.tally.final ? " · final results" : ""}`),
    ballot, results, controls, status);
}
