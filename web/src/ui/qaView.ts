// Q&A: ask (anonymously when the moderator allows it), upvote once (press again to withdraw), the list by votes or by
// time with the question being answered on top; moderators highlight, mark answered, hide and allow anonymity. Loaded
// on its own after joining (it is not part of the first load). The list is rebuilt on each change, keeping focus on
// the control that had it.
import { QaController, type QaOrder } from "../qa";
import type { QuestionView } from "../protocol";
import type { MeetingSession } from "../session";
import { explain, isolate, t } from "../i18n";
import type * as Dom from "./dom";

/** The DOM helpers, passed in by the meeting view (importing them here would split them into a chunk of their own). */
export type DomKit = Pick<typeof Dom, "busy" | "checkbox" | "field" | "h" | "replaceChildren" | "setText">;

// Its strings: locales/<lang>.json, keys "qa.*" (read when rendered, so a language switch takes effect).
const text = {
  get heading() { return t("qa.heading"); },
  get empty() { return t("qa.empty"); },
  get ask() { return t("qa.ask"); },
  get question() { return t("qa.question"); },
  get anonymous() { return t("qa.anonymous"); },
  get allowAnonymous() { return t("qa.allowAnonymous"); },
  get order() { return t("qa.order"); },
  get byVotes() { return t("qa.byVotes"); },
  get byTime() { return t("qa.byTime"); },
  get list() { return t("qa.list"); },
  get anonymousAuthor() { return t("qa.anonymousAuthor"); },
  votes: (n: number) => t("qa.votes", { n }),
  get upvote() { return t("qa.upvote"); },
  get answered() { return t("qa.answered"); },
  get highlighted() { return t("qa.highlighted"); },
  get hidden() { return t("qa.hidden"); },
  get highlight() { return t("qa.highlight"); },
  get unhighlight() { return t("qa.unhighlight"); },
  get markAnswered() { return t("qa.markAnswered"); },
  get reopen() { return t("qa.reopen"); },
  get hide() { return t("qa.hide"); },
  get show() { return t("qa.show"); },
  announceHighlight: (question: string) => t("qa.announceHighlight", { question }),
};

/** Fills `panel` with the Q&A; `say` announces the question being answered to screen readers. */
export function qaView(session: MeetingSession, panel: HTMLElement, say: (text: string) => void, { busy, checkbox, field, h, replaceChildren, setText }: DomKit): QaController {
  const qa = new QaController(session);
  let order: QaOrder = "votes";
  let highlighted: string | undefined;
  const status = h("p", { className: "error", role: "alert" });
  const list = h("ol", { className: "questions", "aria-label": () => text.list });
  const empty = h("p", { className: "muted" }, () => text.empty);

  const input = h("textarea", { name: "question", rows: 2, maxlength: 500, required: true });
  const anonymous = checkbox(() => text.anonymous);
  const submit = h("button", { type: "submit" }, () => text.ask);
  const form = h("form", { className: "qa-ask", "aria-label": () => text.ask }, field(() => text.question, input), anonymous.wrap, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    void busy(submit, status, async () => {
      await qa.ask(question, anonymous.input.checked && qa.book.settings.allowAnonymous);
      input.value = "";
    });
  });

  const allow = checkbox(() => text.allowAnonymous);
  allow.input.addEventListener("change", () => {
    const wanted = allow.input.checked;
    allow.input.disabled = true;
    qa.setAnonymous(wanted).catch((error: unknown) => {
      allow.input.checked = !wanted;
      setText(status, explain(error));
    }).finally(() => (allow.input.disabled = false));
  });
  const moderatorTools = h("div", { hidden: true }, allow.wrap);

  const sortButton = (value: QaOrder, label: () => string) => {
    const button = h("button", { type: "button", className: "small", "aria-pressed": String(order === value) }, label);
    button.addEventListener("click", () => {
      order = value;
      for (const b of sorter.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === button));
      render();
    });
    return button;
  };
  const sorter = h("div", { className: "row", role: "group", "aria-label": () => text.order, "data-keep-enabled": true });
  sorter.append(sortButton("votes", () => text.byVotes), sortButton("time", () => text.byTime));

  function render(): void {
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focus : undefined;
    const questions = qa.book.sorted(order);
    replaceChildren(list, ...questions.map((q) => item(q)));
    empty.hidden = questions.length > 0;
    anonymous.wrap.hidden = !qa.book.settings.allowAnonymous;
    allow.input.checked = qa.book.settings.allowAnonymous;
    moderatorTools.hidden = !session.isModerator;
    if (focused) list.querySelector<HTMLElement>(`[data-focus="${CSS.escape(focused)}"]`)?.focus();
    const now = questions.find((q) => q.highlighted);
    if (now && now.questionId !== highlighted) say(text.announceHighlight(isolate(now.text)));
    highlighted = now?.questionId;
    if (session.ended) {
      for (const control of panel.querySelectorAll<HTMLButtonElement | HTMLTextAreaElement | HTMLInputElement>("button, textarea, input")) {
        if (!control.closest("[data-keep-enabled]")) control.disabled = true;
      }
    }
  }

  function item(q: QuestionView): HTMLLIElement {
    const mine = qa.book.upvoted.has(q.questionId);
    const tags = () => [q.highlighted ? text.highlighted : "", q.answered ? text.answered : "", q.hidden ? text.hidden : ""].filter(Boolean);
    const act = (key: string, label: (() => string) | Node[], call: () => Promise<void>, extra: Record<string, string> = {}) =>
      h("button", { type: "button", className: "small", "data-focus": `${q.questionId}:${key}`, ...extra, onclick: (e) => void busy(e.currentTarget as HTMLButtonElement, status, call) }, ...[label].flat());
    // Read as "Upvote 12" (pressed or not); seen as "▲ 12".
    const up = act("up", [h("span", { className: "sr-only" }, () => `${text.upvote} `), h("span", { "aria-hidden": "true" }, "▲ "), document.createTextNode(String(q.votes))],
      () => qa.upvote(q.questionId, !mine), { "aria-pressed": String(mine) });
    up.disabled = q.answered && !mine;
    const li = h("li", { className: `question${q.highlighted ? " highlighted" : ""}${q.answered ? " answered" : ""}`, "data-question-id": q.questionId },
      up,
      h("div", {},
        h("p", { className: "question-text", dir: "auto" }, q.text),
        h("p", { className: "muted" }, h("span", { dir: "auto" }, q.displayName ?? (() => text.anonymousAuthor)), () => [text.votes(q.votes), ...tags()].map((part) => ` · ${part}`).join(""))));
    if (session.isModerator) {
      li.lastElementChild?.append(h("div", { className: "row" },
        q.hidden ? null : act("hl", () => (q.highlighted ? text.unhighlight : text.highlight), () => qa.moderate("SetQuestionHighlighted", q.questionId, !q.highlighted)),
        act("ans", () => (q.answered ? text.reopen : text.markAnswered), () => qa.moderate("SetQuestionAnswered", q.questionId, !q.answered)),
        act("hide", () => (q.hidden ? text.show : text.hide), () => qa.moderate("SetQuestionHidden", q.questionId, !q.hidden))));
    }
    return li;
  }

  qa.changed = render;
  session.on("joined", render);
  session.on("ended", render);
  replaceChildren(panel, h("h2", { id: "qa-h" }, () => text.heading), form, moderatorTools, sorter, empty, list, status);
  render();
  return qa;
}
