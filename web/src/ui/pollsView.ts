// Polls: a moderator's form to create one; each poll as a card that is updated in place (bars, counts, state), so a
// choice ticked but not yet sent survives everyone else's votes. The ballot is rebuilt only when the poll's state
// changes.
import type { PollView } from "../protocol";
import type { MeetingSession } from "../session";
import { t } from "../i18n";
import { busy, checkbox, field, h, replaceChildren, setAttr, setText, uid } from "./dom";

// Its strings: locales/<lang>.json, keys "polls.*" (bound to the language where shown: () => text.x).
const text = {
  get heading() { return t("polls.heading"); },
  get empty() { return t("polls.empty"); },
  get newPoll() { return t("polls.newPoll"); },
  get create() { return t("polls.create"); },
  get question() { return t("polls.question"); },
  get options() { return t("polls.options"); },
  get optionsHint() { return t("polls.optionsHint"); },
  get multiple() { return t("polls.multiple"); },
  get anonymous() { return t("polls.anonymous"); },
  get openNow() { return t("polls.openNow"); },
  get createButton() { return t("polls.createButton"); },
  get chooseOne() { return t("polls.chooseOne"); },
  get chooseMany() { return t("polls.chooseMany"); },
  get vote() { return t("polls.vote"); },
  get changeVote() { return t("polls.changeVote"); },
  get chooseFirst() { return t("polls.chooseFirst"); },
  get open() { return t("polls.open"); },
  get close() { return t("polls.close"); },
  summary: (state: string, anonymous: boolean, final: boolean) => t("polls.summary", { state, anonymous: String(anonymous), final: String(final) }),
  results: (voters: number) => t("polls.results", { voters }),
  count: (count: number, percent: number) => t("polls.count", { count, percent, fraction: percent / 100 }),
  get mine() { return t("polls.mine"); },
};

interface Card { element: HTMLElement; update(poll: PollView): void }

export function pollsView(session: MeetingSession): HTMLElement {
  const list = h("div", { className: "polls" });
  const cards = new Map<string, Card>();
  const creator = h("div");
  const empty = h("p", { className: "muted" }, () => text.empty);

  const render = (poll: PollView) => {
    const existing = cards.get(poll.pollId);
    if (existing) existing.update(poll);
    else {
      const card = pollCard(session, poll);
      cards.set(poll.pollId, card);
      list.prepend(card.element);
    }
    empty.hidden = cards.size > 0;
  };

  session.on("polls", (polls) => {
    // A rejoin's snapshot: update the cards we have, add new ones, drop those the hub no longer lists.
    const ids = new Set(polls.map((p) => p.pollId));
    for (const [id, card] of cards) if (!ids.has(id)) {
      card.element.remove();
      cards.delete(id);
    }
    for (const poll of polls) render(poll);
    empty.hidden = cards.size > 0;
  });
  session.on("poll", render);
  session.on("joined", () => {
    if (session.isModerator && !creator.hasChildNodes()) replaceChildren(creator, createForm(session));
    if (!session.isModerator) creator.replaceChildren();
  });

  return h("section", { className: "panel", "aria-labelledby": "polls-h" }, h("h2", { id: "polls-h" }, () => text.heading), creator, empty, list);
}

function createForm(session: MeetingSession): HTMLElement {
  const question = h("input", { name: "question", dir: "auto", required: true, maxlength: 500 });
  const options = h("textarea", { name: "options", dir: "auto", rows: 3, required: true });
  const multiple = checkbox(() => text.multiple);
  const anonymous = checkbox(() => text.anonymous, true);
  const openNow = checkbox(() => text.openNow, true);
  const status = h("p", { className: "error", role: "alert" });
  const submit = h("button", { type: "submit" }, () => text.createButton);
  const form = h("form", { className: "poll-create", "aria-label": () => text.create },
    field(() => text.question, question),
    field(() => text.options, options, () => text.optionsHint),
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
  return h("details", { className: "create" }, h("summary", {}, () => text.newPoll), form);
}

function pollCard(session: MeetingSession, initial: PollView): Card {
  const headingId = uid("poll");
  const status = h("p", { className: "error", role: "alert" });
  const summary = h("p", { className: "muted" });
  const results = h("ul", { className: "results" });
  const rows = initial.options.map((option) => {
    const name = h("span", { className: "option", dir: "auto" }, option);
    const mark = h("span", { className: "mine-mark" });
    const count = h("span", { className: "count" });
    const fill = h("span", {});
    results.append(h("li", {}, h("span", {}, name, mark), count, h("span", { className: "bar", "aria-hidden": "true" }, fill)));
    return { mark, count, fill };
  });
  const ballotSlot = h("div");
  const controls = h("div", { className: "row" });
  let poll = initial;
  let shownState: PollView["state"] | undefined;
  let vote: HTMLButtonElement | undefined;

  const buildBallot = () => {
    vote = undefined;
    if (poll.state !== "Open") return ballotSlot.replaceChildren();
    const type = poll.multipleChoice ? "checkbox" : "radio";
    const mine = session.polls.ballot(poll.pollId) ?? [];
    const inputs = poll.options.map((_, i) => {
      const input = h("input", { type, name: `vote-${poll.pollId}`, value: i });
      input.checked = mine.includes(i);
      input.id = uid("opt");
      return input;
    });
    const button = h("button", { type: "submit" }, () => (mine.length > 0 ? text.changeVote : text.vote));
    vote = button;
    const form = h("form", { className: "ballot" },
      h("fieldset", {}, h("legend", {}, () => (poll.multipleChoice ? text.chooseMany : text.chooseOne)),
        ...inputs.map((input, i) => h("div", { className: "check" }, input, h("label", { for: input.id, dir: "auto" }, poll.options[i] ?? "")))),
      button);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = inputs.filter((input) => input.checked).map((input) => Number(input.value));
      if (chosen.length === 0) {
        setText(status, () => text.chooseFirst);
        return;
      }
      void busy(button, status, () => session.vote(poll.pollId, chosen));
    });
    ballotSlot.replaceChildren(form);
  };

  const buildControls = () => {
    const action = (label: () => string, call: () => Promise<void>) =>
      h("button", { type: "button", onclick: (e) => void busy(e.currentTarget as HTMLButtonElement, status, call) }, label);
    replaceChildren(controls, session.isModerator && poll.state !== "Closed"
      ? poll.state === "Draft" ? action(() => text.open, () => session.openPoll(poll.pollId)) : action(() => text.close, () => session.closePoll(poll.pollId))
      : null);
  };

  const update = (next: PollView) => {
    poll = next;
    const total = poll.tally.voters;
    const mine = session.polls.ballot(poll.pollId) ?? [];
    const { state, anonymous, tally } = poll;
    setText(summary, () => text.summary(state, anonymous, tally.final));
    setAttr(results, "aria-label", () => text.results(total));
    for (const [i, row] of rows.entries()) {
      const count = poll.tally.counts[i] ?? 0;
      const percent = total > 0 ? Math.round((count / total) * 100) : 0;
      setText(row.count, () => text.count(count, percent));
      row.fill.style.width = `${percent}%`;
      setText(row.mark, mine.includes(i) ? () => text.mine : "");
    }
    if (shownState !== poll.state) {
      shownState = poll.state;
      element.className = `poll ${poll.state.toLowerCase()}`;
      buildBallot();
      buildControls();
    }
    if (vote) setText(vote, () => (mine.length > 0 ? text.changeVote : text.vote));
  };

  const element = h("article", { className: "poll", "aria-labelledby": headingId, "data-poll-id": poll.pollId },
    h("h3", { id: headingId, dir: "auto" }, poll.question), summary, ballotSlot, results, controls, status);
  update(initial);
  return { element, update };
}
