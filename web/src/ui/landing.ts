// The first screen: join a meeting with its code (prefilled from a link), rejoin as moderator from a moderator link,
// or start a meeting.
import { createMeeting } from "../api";
import type { Credentials } from "../session";
import { stored } from "../storage";
import { isolate, t } from "../i18n";
import { busy, checkbox, field, h, languageMenu, replaceChildren, setText, skipLink, type Text } from "./dom";

export interface LandingResult { credentials: Credentials; joinCode?: string }
/** What the landing page says on arrival: a notice (you left) or an error (the join was refused). */
export interface LandingState { notice?: Text; error?: Text }

// Its strings: locales/<lang>.json, keys "landing.*", bound to the language (a switch re-renders them in place).
const text = (key: string, values?: Record<string, unknown>) => () => t(`landing.${key}`, values);

export function renderLanding(root: HTMLElement, params: URLSearchParams, onReady: (result: LandingResult) => Promise<void>, state: LandingState = {}): void {
  const savedName = stored.name();
  const linkMeeting = params.get("meeting") ?? "";
  const moderatorKey = linkMeeting ? stored.moderatorKey(linkMeeting) : undefined;

  const joinStatus = h("p", { className: "error", role: "alert" });
  const meetingInput = h("input", { name: "meeting", className: "ltr", required: true, autocomplete: "off", spellcheck: "false", value: linkMeeting });
  const codeInput = h("input", { name: "code", className: "ltr", required: !moderatorKey, autocomplete: "off", autocapitalize: "characters", spellcheck: "false", value: params.get("code") ?? "" });
  const nameInput = h("input", { name: "name", dir: "auto", required: true, maxlength: 64, autocomplete: "nickname", value: savedName });
  const joinButton = h("button", { type: "submit" }, moderatorKey ? text("moderatorRejoin") : text("joinButton"));
  const joinForm = h("form", { "aria-labelledby": "join-h" },
    h("h2", { id: "join-h" }, moderatorKey ? text("moderatorRejoin") : text("join")),
    moderatorKey ? h("p", { className: "muted" }, () => t("landing.moderatorRejoinHint", { meetingId: isolate(linkMeeting) })) : null,
    moderatorKey ? null : field(text("meetingId"), meetingInput),
    moderatorKey ? null : field(text("joinCode"), codeInput, text("joinCodeHint")),
    field(text("yourName"), nameInput),
    joinButton, joinStatus);
  joinForm.addEventListener("submit", (event) => {
    event.preventDefault();
    stored.setName(nameInput.value.trim());
    const meetingId = moderatorKey ? linkMeeting : meetingInput.value.trim();
    void busy(joinButton, joinStatus, () => onReady({
      credentials: moderatorKey
        ? { meetingId, displayName: nameInput.value.trim(), moderatorKey }
        : { meetingId, displayName: nameInput.value.trim(), joinCode: codeInput.value.trim() },
    }));
  });

  const createStatus = h("p", { className: "error", role: "alert" });
  const titleInput = h("input", { name: "title", dir: "auto", required: true, maxlength: 200 });
  const hostName = h("input", { name: "host", dir: "auto", required: true, maxlength: 64, autocomplete: "nickname", value: savedName });
  const chatOn = checkbox(text("chat"), true);
  const createButton = h("button", { type: "submit" }, text("create"));
  const createForm = h("form", { "aria-labelledby": "create-h" },
    h("h2", { id: "create-h" }, text("start")),
    field(text("title"), titleInput),
    field(text("yourName"), hostName),
    chatOn.wrap,
    createButton, createStatus);
  createForm.addEventListener("submit", (event) => {
    event.preventDefault();
    stored.setName(hostName.value.trim());
    void busy(createButton, createStatus, async () => {
      const created = await createMeeting(titleInput.value.trim(), { chatEnabled: chatOn.input.checked });
      // The hub shows the moderator key once: the tab keeps it (a reload still moderates) and the meeting screen
      // shows the moderator link until the moderator says it is saved.
      stored.setModeratorKey(created.meetingId, created.moderatorKey);
      stored.setJoinCode(created.meetingId, created.joinCode);
      await onReady({
        credentials: { meetingId: created.meetingId, displayName: hostName.value.trim(), moderatorKey: created.moderatorKey },
        joinCode: created.joinCode,
      });
    });
  });

  const fromLink = params.has("meeting") && (params.has("code") || moderatorKey !== undefined);
  if (state.error) setText(joinStatus, state.error);
  replaceChildren(root,
    skipLink(),
    h("header", { className: "top row spread" }, h("h1", {}, text("app")), languageMenu()),
    h("main", { id: "main", tabindex: -1 },
      state.notice ? h("p", { className: "notice", role: "status" }, state.notice) : null,
      h("div", { className: "landing" }, joinForm, fromLink ? null : createForm)));
  document.title = t("landing.app");
  (fromLink ? nameInput : meetingInput.value ? codeInput : meetingInput).focus();
}
