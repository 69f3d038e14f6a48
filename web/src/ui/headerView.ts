// The meeting's header: title, link quality, the reconnecting banner, and the moderator's share/export/end tools.
import { downloadExport, type ExportKind } from "../api";
import type { MeetingSession, Quality } from "../session";
import { busy, h, replaceChildren } from "./dom";

export function headerView(session: MeetingSession, joinCode: string | undefined): HTMLElement {
  const title = h("h1", {});
  const quality = h("p", { className: "quality", role: "status", "aria-live": "polite", "aria-label": "Connection" });
  const retry = h("button", { type: "button", className: "small", onclick: () => session.connection.retryNow() }, "Reconnect now");
  const banner = h("div", { className: "banner", role: "alert", hidden: true }, h("span", { className: "reconnecting" }, "Reconnecting…"), " ", retry);
  const notice = h("p", { className: "notice", role: "status", hidden: true });
  const tools = h("div");
  let noticeTimer: number | undefined;

  session.on("link", (q) => {
    if (session.ended) return;
    replaceChildren(quality, ...describe(q));
    quality.dataset.state = q.state;
    banner.hidden = q.state !== "reconnecting";
  });
  session.on("notice", (text) => {
    notice.textContent = text;
    notice.hidden = false;
    window.clearTimeout(noticeTimer);
    noticeTimer = window.setTimeout(() => (notice.hidden = true), 8000);
  });
  session.on("joined", (result) => {
    title.textContent = result.meeting.title;
    document.title = `${result.meeting.title} · Collab`;
    replaceChildren(tools, session.isModerator ? moderatorTools(session, joinCode) : null);
  });
  session.on("ended", () => {
    banner.hidden = true;
    replaceChildren(quality, "Meeting ended");
    quality.dataset.state = "ended";
  });

  return h("header", { className: "top meeting" }, h("div", { className: "row spread" }, title, quality), banner, notice, tools);
}

function describe(q: Quality): string[] {
  const state = { connecting: "Connecting…", connected: "Connected", reconnecting: "Reconnecting…", stopped: "Disconnected" }[q.state];
  const parts = [state];
  if (q.state === "connected") {
    if (q.rttMs !== undefined) parts.push(`RTT ${q.rttMs} ms`);
    parts.push(q.transport);
    if (q.lossFraction !== undefined) parts.push(`loss ${(q.lossFraction * 100).toFixed(0)} %`);
    if (q.profile) parts.push(`voice ${q.profile}`);
  }
  return [parts.join(" · ")];
}

function moderatorTools(session: MeetingSession, knownCode: string | undefined): HTMLElement {
  const { meetingId, moderatorKey } = session.credentials;
  const status = h("p", { className: "error", role: "alert" });
  const code = knownCode ?? sessionStorage.getItem(`collab:${meetingId}:code`) ?? "";
  if (code) sessionStorage.setItem(`collab:${meetingId}:code`, code);
  const link = new URL(location.pathname, location.origin);
  link.searchParams.set("meeting", meetingId);
  if (code) link.searchParams.set("code", code);
  const linkInput = h("input", { id: "share-link", readonly: true, value: link.toString() });
  const copy = h("button", { type: "button", className: "small" }, "Copy link");
  copy.addEventListener("click", () => {
    linkInput.select();
    void navigator.clipboard?.writeText(linkInput.value).then(() => (copy.textContent = "Copied"), () => undefined);
  });

  const exportButton = (label: string, kind: ExportKind) => {
    const b = h("button", { type: "button", className: "small" }, label);
    b.addEventListener("click", () => void busy(b, status, () => downloadExport(meetingId, moderatorKey ?? "", kind)));
    return b;
  };

  const end = h("button", { type: "button", className: "danger" }, "End meeting");
  const confirm = h("button", { type: "button", className: "danger", hidden: true }, "Yes, end it for everyone");
  end.addEventListener("click", () => {
    confirm.hidden = false;
    confirm.focus();
  });
  confirm.addEventListener("click", () => void busy(confirm, status, () => session.endMeeting()));

  return h("section", { className: "share", "aria-label": "Moderator tools" },
    h("p", {}, "Join code: ", h("strong", { className: "code", "aria-label": "Join code" }, code || "(not known in this tab)")),
    h("div", { className: "field" }, h("label", { for: "share-link" }, "Invite link"), h("div", { className: "row" }, linkInput, copy)),
    h("div", { className: "row" }, h("span", {}, "Export: "), exportButton("Record (JSON)", "json"), exportButton("Chat (CSV)", "chat.csv"), exportButton("Polls (CSV)", "polls.csv")),
    h("div", { className: "row" }, end, confirm), status);
}
