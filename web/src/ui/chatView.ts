// Chat: the log in sequence order, messages awaiting acknowledgement (with how long they have waited), and the
// composer. Every message's text and author get dir="auto", so Arabic or Hebrew reads right to left.
import type { ChatMessage } from "../protocol";
import type { MeetingSession, PendingMessage } from "../session";
import { isolate, locale, t } from "../i18n";
import { ago, busy, h, replaceChildren, setText, uid } from "./dom";

// Its strings: locales/<lang>.json, keys "chat.*" (bound to the language where shown: () => text.x).
const text = {
  get heading() { return t("chat.heading"); },
  get log() { return t("chat.log"); },
  get pending() { return t("chat.pending"); },
  get trimmed() { return t("chat.trimmed"); },
  get empty() { return t("chat.empty"); },
  get off() { return t("chat.off"); },
  get message() { return t("chat.message"); },
  get send() { return t("chat.send"); },
  get sending() { return t("chat.sending"); },
  waiting: (age: string) => t("chat.waiting", { age }),
  waitingRetry: (age: string, inSeconds: number) => t("chat.waitingRetry", { age, inSeconds }),
  failed: (reason: string) => t("chat.failed", { reason }),
  get retry() { return t("chat.retry"); },
  get dismiss() { return t("chat.dismiss"); },
  get deleted() { return t("chat.deleted"); },
  get delete() { return t("chat.delete"); },
};

/** Under this, a pending message just says "Sending…"; past it, how long it has waited. */
const quietMs = 2_000;

export function chatView(session: MeetingSession): HTMLElement {
  const list = h("ol", { className: "chat-list" });
  // The log is a scrollable region: focusable, so keyboard users can scroll it.
  const log = h("div", { className: "chat-log", role: "log", "aria-live": "polite", "aria-label": () => text.log, tabindex: 0 }, list);
  const outbox = h("ol", { className: "chat-list pending", "aria-label": () => text.pending });
  const gone = h("p", { className: "notice", hidden: true }, () => text.trimmed);
  const empty = h("p", { className: "muted" }, () => text.empty);
  const textId = uid("chat");
  const input = h("textarea", { id: textId, name: "message", dir: "auto", rows: 2, maxlength: 2000, required: true });
  const send = h("button", { type: "submit" }, () => text.send);
  const form = h("form", { className: "composer" }, h("label", { for: textId }, () => text.message), input, send);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) return;
    session.sendChat(value);
    input.value = "";
    input.focus();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  session.on("chat", (messages) => {
    empty.hidden = true;
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    for (const message of messages) list.append(messageItem(session, message, status));
    if (nearBottom) log.scrollTop = log.scrollHeight;
  });
  // A moderator deleted a message: its place stays, its text goes.
  session.on("chatDeleted", (sequence) => {
    const li = list.querySelector<HTMLElement>(`li[data-sequence="${sequence}"]`);
    if (li) markDeleted(li);
  });
  const status = h("p", { className: "error", role: "alert" });
  let pending: readonly PendingMessage[] = session.pending;
  const renderPending = () => replaceChildren(outbox, ...pending.map((m) => pendingItem(session, m)));
  session.on("outbox", (next) => {
    pending = next;
    renderPending();
  });
  renderPending();
  // Each second only the waiting times change (the items and their buttons stay, so focus does too).
  const ticker = window.setInterval(() => {
    if (!outbox.isConnected) return window.clearInterval(ticker);
    for (const m of pending) {
      const who = outbox.querySelector<HTMLElement>(`li[data-client-id="${CSS.escape(m.clientMessageId)}"] .who`);
      if (who) setText(who, () => pendingState(m));
    }
  }, 1000);
  session.on("truncated", () => (gone.hidden = false));
  // Into a discussion room or back: the room's chat replaces what was shown (the session loads its history).
  session.on("room", () => {
    replaceChildren(list);
    gone.hidden = true;
    empty.hidden = form.hidden;
  });
  const off = h("p", { className: "notice", hidden: true }, () => text.off);
  session.on("joined", (result) => {
    const enabled = result.meeting.settings?.chatEnabled !== false;
    off.hidden = enabled;
    form.hidden = !enabled;
    empty.hidden = !enabled || list.childElementCount > 0;
  });

  return h("section", { className: "panel chat", "aria-labelledby": "chat-h" }, h("h2", { id: "chat-h" }, () => text.heading), off, gone, empty, log, status, outbox, form);
}

function messageItem(session: MeetingSession, message: ChatMessage, status: HTMLElement): HTMLLIElement {
  const when = new Date(message.sentAtUnixMs);
  const li = h("li", { className: message.participantId === session.me?.participantId ? "mine" : "", "data-sequence": message.sequence },
    h("bdi", { className: "who" }, message.displayName),
    " ",
    h("time", { datetime: when.toISOString() }, () => new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit" }).format(when)),
    h("p", { className: "text", dir: "auto" }, message.text));
  if (message.deleted) markDeleted(li);
  else if (session.isModerator) {
    li.append(h("button", { type: "button", className: "small delete", "aria-label": () => `${text.delete}: ${isolate(message.displayName)}, ${isolate(message.text.slice(0, 40))}`,
      onclick: (e) => void busy(e.currentTarget as HTMLButtonElement, status, () => session.deleteChat(message.sequence)) }, () => text.delete));
  }
  return li;
}

function markDeleted(li: HTMLElement): void {
  li.classList.add("deleted");
  li.querySelector(".delete")?.remove();
  const body = li.querySelector(".text");
  if (body) setText(body, () => text.deleted);
}

function pendingState(message: PendingMessage): string {
  const waited = Date.now() - message.queuedAt;
  const retryIn = message.retryAt !== undefined ? Math.ceil((message.retryAt - Date.now()) / 1000) : 0;
  return message.failed ? text.failed(message.failed)
    : waited < quietMs ? text.sending
      : retryIn > 0 ? text.waitingRetry(ago(waited), retryIn) : text.waiting(ago(waited));
}

function pendingItem(session: MeetingSession, message: PendingMessage): HTMLLIElement {
  const li = h("li", { className: `mine sending${message.failed ? " failed" : ""}`, "data-client-id": message.clientMessageId },
    h("span", { className: "who" }, () => pendingState(message)),
    h("p", { className: "text", dir: "auto" }, message.text));
  if (message.failed) {
    li.append(h("div", { className: "row", "data-keep-enabled": "" },
      h("button", { type: "button", className: "small", onclick: () => session.retryMessage(message.clientMessageId) }, () => text.retry),
      h("button", { type: "button", className: "small", onclick: () => session.dismissMessage(message.clientMessageId) }, () => text.dismiss)));
  }
  return li;
}
