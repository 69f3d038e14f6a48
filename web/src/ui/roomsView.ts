// Discussion rooms: the list with who is in each, join and return, opening a room when allowed; moderators create
// rooms (names, people shared out, a timer), broadcast to every room, close rooms and let participants organise
// themselves. While I am in a room the chat says so on top ("You are in room X · Return to main room"). Loaded on its
// own after joining (not part of the first load).
import { RoomsController } from "../rooms";
import type { RoomView } from "../protocol";
import type { MeetingSession } from "../session";
import { isolate, locale, t } from "../i18n";
import type * as Dom from "./dom";

/** The DOM helpers, passed in by the meeting view (importing them here would split them into a chunk of their own). */
export type DomKit = Pick<typeof Dom, "busy" | "checkbox" | "field" | "h" | "replaceChildren" | "setText">;

// Its strings: locales/<lang>.json, keys "rooms.*" (read when rendered, so a language switch takes effect).
const text = {
  get heading() { return t("rooms.heading"); },
  get list() { return t("rooms.list"); },
  get none() { return t("rooms.none"); },
  get inMain() { return t("rooms.inMain"); },
  inRoom: (name: string) => t("rooms.inRoom", { name }),
  get returnToMain() { return t("rooms.returnToMain"); },
  members: (n: number) => t("rooms.members", { n }),
  get join() { return t("rooms.join"); },
  get here() { return t("rooms.here"); },
  get close() { return t("rooms.close"); },
  closesAt: (time: string) => t("rooms.closesAt", { time }),
  get open() { return t("rooms.open"); },
  get newRoom() { return t("rooms.newRoom"); },
  get createOpen() { return t("rooms.createOpen"); },
  get create() { return t("rooms.create"); },
  get names() { return t("rooms.names"); },
  get shareOut() { return t("rooms.shareOut"); },
  get timer() { return t("rooms.timer"); },
  get createButton() { return t("rooms.createButton"); },
  get selfOrganised() { return t("rooms.selfOrganised"); },
  get broadcast() { return t("rooms.broadcast"); },
  get broadcastButton() { return t("rooms.broadcastButton"); },
  broadcastFrom: (name: string, message: string) => t("rooms.broadcastFrom", { name, message }),
  announceRoom: (name: string) => t("rooms.announceRoom", { name }),
  get announceMain() { return t("rooms.announceMain"); },
  get announceClosed() { return t("rooms.announceClosed"); },
  get announceTimer() { return t("rooms.announceTimer"); },
};

/** Puts the rooms section after `panel` (the people section) and the "you are in room X" header to the chat panel; `say` announces moves and broadcasts. */
export function roomsView(session: MeetingSession, panel: HTMLElement, chat: HTMLElement, say: (text: string) => void, { busy, checkbox, field, h, replaceChildren, setText }: DomKit): RoomsController {
  const rooms = new RoomsController(session);
  const status = h("p", { className: "error", role: "alert" });
  const where = h("p", { className: "muted" });
  const list = h("ul", { className: "rooms", "aria-label": () => text.list });
  const none = h("p", { className: "muted" }, () => text.none);
  const heard = h("p", { className: "notice", role: "status", hidden: true });

  // The chat's header while in a room.
  const bannerText = h("span", {});
  const back = h("button", { type: "button", className: "small" }, () => text.returnToMain);
  back.addEventListener("click", () => void busy(back, status, () => rooms.returnToMain()));
  const banner = h("div", { className: "notice room-banner", role: "status", hidden: true }, bannerText, " · ", back);
  chat.querySelector("h2")?.after(banner);

  // Open a room (self-organised meetings, and moderators).
  const name = h("input", { name: "room-name", maxlength: 60, required: true, autocomplete: "off" });
  const openButton = h("button", { type: "submit" }, () => text.createOpen);
  const openForm = h("form", { className: "row", "aria-label": () => text.createOpen }, field(() => text.newRoom, name), openButton);
  openForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = name.value.trim();
    if (value) void busy(openButton, status, async () => {
      await rooms.createOpen(value);
      name.value = "";
    });
  });

  // Moderators: create rooms, let participants organise themselves, broadcast.
  const names = h("textarea", { name: "room-names", rows: 3, required: true });
  const shareOut = checkbox(() => text.shareOut, true);
  const minutes = h("input", { name: "room-minutes", type: "number", min: 1, max: 1440, inputMode: "numeric" });
  const createButton = h("button", { type: "submit" }, () => text.createButton);
  const createForm = h("form", { "aria-label": () => text.create }, field(() => text.names, names), shareOut.wrap, field(() => text.timer, minutes), createButton);
  createForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const wanted = names.value.split("\n").map((n) => n.trim()).filter(Boolean);
    if (wanted.length === 0) return;
    const m = Number(minutes.value);
    void busy(createButton, status, async () => {
      await rooms.create(wanted, shareOut.input.checked, m > 0 ? m : undefined);
      names.value = "";
    });
  });
  const self = checkbox(() => text.selfOrganised);
  self.input.addEventListener("change", () => {
    const wanted = self.input.checked;
    self.input.disabled = true;
    void busy(createButton, status, () => rooms.setSelfOrganised(wanted)).finally(() => {
      self.input.disabled = false;
      self.input.checked = rooms.view.settings.selfOrganised;
    });
  });
  const message = h("input", { name: "room-broadcast", maxlength: 2000, required: true, autocomplete: "off" });
  const sendButton = h("button", { type: "submit" }, () => text.broadcastButton);
  const broadcastForm = h("form", { className: "row", "aria-label": () => text.broadcast }, field(() => text.broadcast, message), sendButton);
  broadcastForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = message.value.trim();
    if (value) void busy(sendButton, status, async () => {
      await rooms.sendBroadcast(value);
      message.value = "";
    });
  });
  const moderatorTools = h("details", { className: "room-tools", hidden: true }, h("summary", {}, () => text.create), createForm, self.wrap, broadcastForm);

  const time = (ms: number) => new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit" }).format(new Date(ms));
  function item(room: RoomView): HTMLLIElement {
    const mine = session.room?.roomId === room.roomId;
    const details = () => [text.members(room.members.length), room.open ? text.open : "", room.closesAtUnixMs ? text.closesAt(time(room.closesAtUnixMs)) : ""].filter(Boolean).join(" · ");
    const label = () => (mine ? text.here : text.join);
    const join = h("button", { type: "button", className: "small", "aria-label": () => `${label()}: ${isolate(room.name)}` }, label);
    join.disabled = mine || !rooms.mayJoin(room);
    join.addEventListener("click", () => void busy(join, status, () => rooms.join(room.roomId)));
    const li = h("li", { className: `room${mine ? " here" : ""}`, "data-room-id": room.roomId },
      h("div", {},
        h("p", { className: "room-name", dir: "auto" }, room.name),
        h("p", { className: "muted" }, details),
        h("p", { className: "room-members", dir: "auto" }, room.members.map((m) => m.displayName).join(", "))),
      h("div", { className: "row" }, join));
    if (session.isModerator) {
      const close = h("button", { type: "button", className: "small", "aria-label": () => `${text.close}: ${isolate(room.name)}` }, () => text.close);
      close.addEventListener("click", () => void busy(close, status, () => rooms.close(room.roomId)));
      li.lastElementChild?.append(close);
    }
    return li;
  }

  function render(): void {
    const room = session.room;
    replaceChildren(list, ...rooms.rooms.map(item));
    none.hidden = rooms.rooms.length > 0;
    setText(where, room ? () => text.inRoom(isolate(room.roomName ?? "")) : () => text.inMain);
    setText(bannerText, () => text.inRoom(isolate(room?.roomName ?? "")));
    banner.hidden = !room;
    openForm.hidden = !rooms.mayCreate;
    moderatorTools.hidden = !session.isModerator;
    self.input.checked = rooms.view.settings.selfOrganised;
    if (session.ended) {
      for (const control of section.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLTextAreaElement>("button, input, textarea")) control.disabled = true;
      back.disabled = true;
    }
  }

  session.on("room", (location) => {
    const reason = location?.reason;
    say(location?.roomId ? text.announceRoom(isolate(location.roomName ?? "")) : reason === "Closed" ? text.announceClosed : reason === "TimerEnded" ? text.announceTimer : text.announceMain);
  });
  rooms.broadcast = (b) => {
    const line = text.broadcastFrom(isolate(b.displayName), isolate(b.text));
    setText(heard, () => line);
    heard.hidden = false;
    say(line);
  };
  rooms.changed = render;
  session.on("ended", render);
  const section = h("section", { className: "panel rooms-panel", "aria-labelledby": "rooms-h" },
    h("h2", { id: "rooms-h" }, () => text.heading), where, heard, none, list, openForm, moderatorTools, status);
  panel.after(section);
  render();
  return rooms;
}
