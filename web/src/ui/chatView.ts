// Chat: the log in sequence order, messages awaiting acknowledgement, and the composer.
import type { ChatMessage } from "../protocol";
import type { MeetingSession, PendingMessage } from "../session";
import { h, replaceChildren, uid } from "./dom";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export function chatView(session: MeetingSession): HTMLElement {
  const log = h("ol", { className: "chat-log", role: "log", "aria-live": "polite", "aria-label": "Chat messages" });
  const outbox = h("ol", { className: "chat-log pending", "aria-label": "Messages being sent" });
  const gone = h("p", { className: "notice", hidden: true }, "Older messages were removed by the meeting's retention.");
  const empty = h("p", { className: "muted" }, "No messages yet.");
  const textId = uid("chat");
  const text = h("textarea", { id: textId, name: "message", rows: 2, maxlength: 2000, required: true });
  const send = h("button", { type: "submit" }, "Send");
  const form = h("form", { className: "composer" }, h("label", { for: textId }, "Message"), text, send);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = text.value.trim();
    if (!value) return;
    session.sendChat(value);
    text.value = "";
    text.focus();
  });
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  session.on("chat", (messages) => {
    empty.hidden = true;
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    for (const message of messages) log.append(messageItem(message, message.participantId === session.me?.participantId));
    if (nearBottom) log.scrollTop = log.scrollHeight;
  });
  session.on("outbox", (pending) => replaceChildren(outbox, ...pending.map(pendingItem)));
  session.on("truncated", () => (gone.hidden = false));
  const off = h("p", { className: "notice", hidden: true }, "Chat is turned off for this meeting.");
  session.on("joined", (result) => {
    const enabled = result.meeting.settings?.chatEnabled !== false;
    off.hidden = enabled;
    form.hidden = !enabled;
    empty.hidden = !enabled || log.childElementCount > 0;
  });

  return h("section", { className: "panel chat", "aria-labelledby": "chat-h" }, h("h2", { id: "chat-h" }, "Chat"), off, gone, empty, log, outbox, form);
}

function messageItem(message: ChatMessage, mine: boolean): HTMLLIElement {
  const when = new Date(message.sentAtUnixMs);
  return h("li", { className: mine ? "mine" : "", "data-sequence": message.sequence },
    h("span", { className: "who" }, message.displayName),
    " ",
    h("time", { datetime: when.toISOString() }, timeFormat.format(when)),
    h("p", { className: "text" }, message.text));
}

function pendingItem(message: PendingMessage): HTMLLIElement {
  return h("li", { className: "mine sending" }, h("span", { className: "who" }, "Sending…"), h("p", { className: "text" }, message.text));
}
