// The first screen: join a meeting with its code (prefilled from a link), or start one as moderator.
import { createMeeting } from "../api";
import type { Credentials } from "../session";
import { busy, checkbox, field, h, replaceChildren } from "./dom";

export interface LandingResult { credentials: Credentials; joinCode?: string }

export function renderLanding(root: HTMLElement, params: URLSearchParams, onReady: (result: LandingResult) => Promise<void>, message?: string): void {
  const savedName = localStorage.getItem("collab:name") ?? "";

  const joinStatus = h("p", { className: "error", role: "alert" });
  const meetingInput = h("input", { name: "meeting", required: true, autocomplete: "off", spellcheck: "false", value: params.get("meeting") ?? "" });
  const codeInput = h("input", { name: "code", required: true, autocomplete: "off", autocapitalize: "characters", spellcheck: "false", value: params.get("code") ?? "" });
  const nameInput = h("input", { name: "name", required: true, maxlength: 64, autocomplete: "nickname", value: savedName });
  const joinButton = h("button", { type: "submit" }, "Join meeting");
  const joinForm = h("form", { "aria-labelledby": "join-h" },
    h("h2", { id: "join-h" }, "Join a meeting"),
    field("Meeting ID", meetingInput),
    field("Join code", codeInput, "8 letters and digits, as the moderator shared it"),
    field("Your name", nameInput),
    joinButton, joinStatus);
  joinForm.addEventListener("submit", (event) => {
    event.preventDefault();
    localStorage.setItem("collab:name", nameInput.value.trim());
    void busy(joinButton, joinStatus, () => onReady({
      credentials: { meetingId: meetingInput.value.trim(), displayName: nameInput.value.trim(), joinCode: codeInput.value.trim() },
    }));
  });

  const createStatus = h("p", { className: "error", role: "alert" });
  const titleInput = h("input", { name: "title", required: true, maxlength: 200 });
  const hostName = h("input", { name: "host", required: true, maxlength: 64, autocomplete: "nickname", value: savedName });
  const chatOn = checkbox("Chat (off: a polls-only meeting)", true);
  const createButton = h("button", { type: "submit" }, "Create meeting");
  const createForm = h("form", { "aria-labelledby": "create-h" },
    h("h2", { id: "create-h" }, "Start a meeting"),
    field("Meeting title", titleInput),
    field("Your name", hostName),
    chatOn.wrap,
    createButton, createStatus);
  createForm.addEventListener("submit", (event) => {
    event.preventDefault();
    localStorage.setItem("collab:name", hostName.value.trim());
    void busy(createButton, createStatus, async () => {
      const created = await createMeeting(titleInput.value.trim(), { chatEnabled: chatOn.input.checked });
      // The moderator key is shown once by the hub: keep it for this tab so a reload can still moderate and export.
      sessionStorage.setItem(`collab:${created.meetingId}:moderator`, created.moderatorKey);
      await onReady({
        credentials: { meetingId: created.meetingId, displayName: hostName.value.trim(), moderatorKey: created.moderatorKey },
        joinCode: created.joinCode,
      });
    });
  });

  const fromLink = params.has("meeting") && params.has("code");
  replaceChildren(root,
    h("header", { className: "top" }, h("h1", {}, "Collab")),
    message ? h("p", { className: "notice", role: "alert" }, message) : null,
    h("div", { className: "landing" }, joinForm, fromLink ? null : createForm));
  (fromLink ? nameInput : meetingInput.value ? codeInput : meetingInput).focus();
}
