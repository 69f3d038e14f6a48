// The meeting's header: title, the link indicator (derived from what arrives), the reconnect banner with its
// countdown and "Retry now", notices, and the moderator's tools (moderator link, invite, export, end).
import { downloadExport, type ExportKind } from "../export";
import type { MeetingSession, Quality } from "../session";
import { stored } from "../storage";
import { t } from "../i18n";
import { ago, busy, h, replaceChildren, setText } from "./dom";

// Its strings: locales/<lang>.json, keys "header.*" (bound to the language where shown: () => text.x).
const text = {
  get connection() { return t("header.connection"); },
  get joinCodeLabel() { return t("header.joinCodeLabel"); },
  get connecting() { return t("header.connecting"); },
  get joining() { return t("header.joining"); },
  get connected() { return t("header.connected"); },
  rtt: (ms: number) => t("header.rtt", { ms }),
  loss: (percent: number) => t("header.loss", { percent, fraction: percent / 100 }),
  voice: (profile: string) => t("header.voice", { profile: t("voice.profileName", { name: profile.replaceAll("-", "_") }) }),
  stale: (silent: string) => t("header.stale", { silent }),
  get staleHint() { return t("header.staleHint"); },
  get staleSpoken() { return t("header.staleSpoken"); },
  get offline() { return t("header.offline"); },
  get reconnecting() { return t("header.reconnecting"); },
  reconnectingIn: (s: number) => t("header.reconnectingIn", { s }),
  get stopped() { return t("header.stopped"); },
  get ended() { return t("header.ended"); },
  get gone() { return t("header.gone"); },
  get retryNow() { return t("header.retryNow"); },
  get moderatorTools() { return t("header.moderatorTools"); },
  get joinCode() { return t("header.joinCode"); },
  get notKnown() { return t("header.notKnown"); },
  get inviteLink() { return t("header.inviteLink"); },
  get copyLink() { return t("header.copyLink"); },
  get copied() { return t("header.copied"); },
  get export() { return t("header.export"); },
  get exportJson() { return t("header.exportJson"); },
  get exportChat() { return t("header.exportChat"); },
  get exportPolls() { return t("header.exportPolls"); },
  get end() { return t("header.end"); },
  get confirmEnd() { return t("header.confirmEnd"); },
  get endedDone() { return t("header.endedDone"); },
  get moderatorLink() { return t("header.moderatorLink"); },
  get saveThis() { return t("header.saveThis"); },
  get copyModeratorLink() { return t("header.copyModeratorLink"); },
  get saved() { return t("header.saved"); },
};

export function headerView(session: MeetingSession, joinCode: string | undefined): HTMLElement {
  const title = h("h1", {});
  const quality = h("p", { className: "quality", role: "status", "aria-live": "polite", "aria-label": () => text.connection });
  const retry = h("button", { type: "button", className: "small", onclick: () => session.connection.retryNow() }, () => text.retryNow);
  const bannerText = h("span", { className: "reconnecting" }, () => text.reconnecting);
  const banner = h("div", { className: "banner", role: "alert", hidden: true }, bannerText, " ", retry);
  const notice = h("p", { className: "notice", role: "status", hidden: true });
  const tools = h("div");
  let noticeTimer: number | undefined;
  let last: Quality = session.link;

  // What is shown ticks every second (the silence, the countdown); what screen readers get changes only with the
  // state, so the live regions do not speak every second.
  const qualityShown = h("span", { "aria-hidden": "true" });
  const qualitySpoken = h("span", { className: "sr-only" });
  quality.append(qualityShown, qualitySpoken);
  const bannerShown = h("span", { "aria-hidden": "true" });
  const bannerSpoken = h("span", { className: "sr-only" });
  bannerText.replaceChildren(bannerShown, bannerSpoken);
  const show = (q: Quality) => {
    const changed = q.state !== last.state || q.offline !== last.offline || qualitySpoken.textContent === "";
    last = q;
    setText(qualityShown, () => describe(q));
    quality.dataset.state = q.state === "connected" && q.offline ? "stale" : q.state;
    const down = q.state === "reconnecting" || q.state === "stale";
    banner.hidden = !down;
    setText(bannerShown, () => (q.state === "stale" ? `${text.stale(ago(q.silentForMs ?? 0))}: ${text.staleHint}.` : describe(q)));
    if (changed) {
      setText(qualitySpoken, () => (q.state === "stale" ? text.staleSpoken : q.state === "reconnecting" ? text.reconnecting
        : q.state === "connected" ? text.connected : describe(q)));
      setText(bannerSpoken, () => (q.state === "stale" ? `${text.staleSpoken} ${text.staleHint}.` : text.reconnecting));
    }
  };
  session.on("link", show);
  // The countdown and the silence count move every second.
  const ticker = window.setInterval(() => {
    if (!quality.isConnected) return window.clearInterval(ticker);
    if (last.state === "reconnecting" || last.state === "stale") show({ ...last, silentForMs: session.connection.silentForMs });
  }, 1000);
  session.on("notice", (message) => {
    setText(notice, message);
    notice.hidden = false;
    window.clearTimeout(noticeTimer);
    noticeTimer = window.setTimeout(() => (notice.hidden = true), 8000);
  });
  session.on("joined", (result) => {
    title.textContent = result.meeting.title;
    document.title = `${result.meeting.title} · Collab`;
    if (session.isModerator && !tools.hasChildNodes()) replaceChildren(tools, moderatorTools(session, joinCode));
    if (!session.isModerator) tools.replaceChildren();
  });

  session.on("waiting", () => {
    title.textContent = session.title; // in the lobby: the title is all a waiter knows of the meeting
    document.title = `${session.title} · Collab`;
  });

  return h("header", { className: "top meeting" }, h("div", { className: "row spread" }, title, quality), banner, notice, tools);
}

function describe(q: Quality): string {
  switch (q.state) {
    case "connecting": return text.connecting;
    case "joining": return text.joining;
    case "waiting": return t("header.waiting");
    case "stopped": return text.stopped;
    case "ended": return text.ended;
    case "gone": return text.gone;
    case "stale": return [q.offline ? text.offline : "", text.stale(ago(q.silentForMs ?? 0))].filter(Boolean).join(" · ");
    case "reconnecting": {
      const seconds = q.retryAt !== undefined ? Math.ceil((q.retryAt - Date.now()) / 1000) : 0;
      const state = seconds > 0 ? text.reconnectingIn(seconds) : text.reconnecting;
      return q.offline ? `${text.offline} · ${state}` : state;
    }
    case "connected": {
      const parts = [text.connected];
      if (q.rttMs !== undefined) parts.push(text.rtt(q.rttMs));
      parts.push(q.transport);
      if (q.lossFraction !== undefined) parts.push(text.loss(Math.round(q.lossFraction * 100)));
      if (q.profile) parts.push(text.voice(q.profile));
      return parts.join(" · ");
    }
  }
}

function moderatorTools(session: MeetingSession, knownCode: string | undefined): HTMLElement {
  const { meetingId, moderatorKey } = session.credentials;
  const status = h("p", { className: "error", role: "alert" });
  const code = knownCode ?? stored.joinCode(meetingId) ?? "";
  if (code) stored.setJoinCode(meetingId, code);
  const link = new URL(location.pathname, location.origin);
  link.searchParams.set("meeting", meetingId);
  if (code) link.searchParams.set("code", code);
  const linkInput = h("input", { id: "share-link", className: "ltr", readonly: true, value: link.toString() });
  const copy = h("button", { type: "button", className: "small" }, () => text.copyLink);
  copy.addEventListener("click", () => {
    linkInput.select();
    void navigator.clipboard?.writeText(linkInput.value).then(() => setText(copy, () => text.copied), () => undefined);
  });

  const exportButton = (label: () => string, kind: ExportKind) => {
    const b = h("button", { type: "button", className: "small" }, label);
    b.addEventListener("click", () => void busy(b, status, () => downloadExport(meetingId, moderatorKey ?? "", kind)));
    return b;
  };

  const end = h("button", { type: "button", className: "danger" }, () => text.end);
  const confirm = h("button", { type: "button", className: "danger", hidden: true }, () => text.confirmEnd);
  end.addEventListener("click", () => {
    confirm.hidden = false;
    confirm.focus();
  });
  confirm.addEventListener("click", () => void busy(confirm, status, () => session.endMeeting()));
  const endedNote = h("p", { className: "muted", hidden: true }, () => text.endedDone);
  session.on("ended", () => {
    end.disabled = true;
    confirm.hidden = true;
    confirm.disabled = true;
    endedNote.hidden = false;
  });

  const panel = h("details", { className: "share" },
    h("summary", {}, () => text.moderatorTools),
    h("p", {}, () => text.joinCode, h("strong", { className: "code", "aria-label": () => text.joinCodeLabel }, code || (() => text.notKnown))),
    h("div", { className: "field" }, h("label", { for: "share-link" }, () => text.inviteLink), h("div", { className: "row" }, linkInput, copy)),
    h("div", { className: "row", "data-keep-enabled": "" }, h("span", {}, () => text.export), exportButton(() => text.exportJson, "json"), exportButton(() => text.exportChat, "chat.csv"), exportButton(() => text.exportPolls, "polls.csv")),
    h("div", { className: "row" }, end, confirm), endedNote, status);
  return h("div", {}, moderatorKey && !stored.moderatorLinkSaved(meetingId) ? moderatorLinkCard(meetingId, moderatorKey) : null, panel);
}

/** The moderator link (the key in the fragment, which never reaches a server log), shown until saved. */
function moderatorLinkCard(meetingId: string, moderatorKey: string): HTMLElement {
  const url = new URL(location.pathname, location.origin);
  url.searchParams.set("meeting", meetingId);
  url.hash = `moderator=${moderatorKey}`;
  const input = h("input", { id: "moderator-link", className: "ltr", readonly: true, value: url.toString() });
  const copy = h("button", { type: "button", className: "small" }, () => text.copyModeratorLink);
  copy.addEventListener("click", () => {
    input.select();
    void navigator.clipboard?.writeText(input.value).then(() => setText(copy, () => text.copied), () => undefined);
  });
  const saved = h("button", { type: "button" }, () => text.saved);
  const card = h("section", { className: "share save-link", "aria-labelledby": "modlink-h" },
    h("h2", { id: "modlink-h" }, () => text.moderatorLink),
    h("p", { id: "modlink-hint" }, () => text.saveThis),
    h("div", { className: "row" }, input, copy),
    saved);
  input.setAttribute("aria-labelledby", "modlink-h");
  input.setAttribute("aria-describedby", "modlink-hint");
  saved.addEventListener("click", () => {
    stored.setModeratorLinkSaved(meetingId);
    card.remove();
  });
  return card;
}
