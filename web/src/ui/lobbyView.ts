// A moderator's lobby: turn it on or off, lock the meeting, and admit or deny the people waiting (one or all).
// Loaded only for moderators (its own chunk), the first time the hub sends the lobby.
import type { LobbyView, WaiterView } from "../protocol";
import type { MeetingSession } from "../session";
import { explain, isolate, t } from "../i18n";
import { busy, checkbox, h, replaceChildren, setText } from "./dom";

// Its strings: locales/<lang>.json, keys "lobby.*", bound to the language (a switch re-renders them in place).
const text = (key: string, values?: Record<string, unknown>) => () => t(`lobby.${key}`, values);

export function lobbyView(session: MeetingSession, into: HTMLElement): void {
  const c = session.connection;
  const status = h("p", { className: "error", role: "alert" });
  const lobby = checkbox(text("enable"));
  const lock = checkbox(text("lock"));
  const count = h("p", { className: "muted" });
  const list = h("ul", { className: "people", "aria-label": text("list") });
  const admitAll = h("button", { type: "button", className: "small" }, text("admitAll"));
  const denyAll = h("button", { type: "button", className: "small" }, text("denyAll"));
  const all = h("div", { className: "row" }, admitAll, denyAll);
  const toggle = (input: HTMLInputElement, call: (on: boolean) => Promise<LobbyView>) => input.addEventListener("change", () => void (async () => {
    input.disabled = true;
    setText(status, "");
    try {
      await session.lobbyCall(() => call(input.checked));
    } catch (error) {
      setText(status, explain(error));
    } finally {
      input.disabled = false;
      if (session.lobby) render(session.lobby); // a refused change shows the setting as it is
    }
  })());
  toggle(lobby.input, (on) => c.invoke("SetLobby", on));
  toggle(lock.input, (on) => c.invoke("SetLocked", on));
  admitAll.addEventListener("click", () => void busy(admitAll, status, () => session.lobbyCall(() => c.invoke("AdmitAllWaiters"))));
  denyAll.addEventListener("click", () => void busy(denyAll, status, () => session.lobbyCall(() => c.invoke("DenyAllWaiters"))));

  const act = (label: () => string, w: WaiterView, call: () => Promise<LobbyView>) =>
    h("button", { type: "button", className: "small", "aria-label": () => `${label()}: ${isolate(w.displayName)}`, onclick: (e) => void busy(e.currentTarget as HTMLButtonElement, status, () => session.lobbyCall(call)) }, label);
  const render = (view: LobbyView) => {
    lobby.input.checked = view.enabled;
    lock.input.checked = view.locked;
    setText(count, view.waiting.length > 0 ? text("waiting", { n: view.waiting.length }) : view.enabled ? text("none") : "");
    all.hidden = view.waiting.length < 2;
    replaceChildren(list, ...view.waiting.map((w) => h("li", { "data-waiter": w.waiterId },
      h("span", { className: "name", dir: "auto" }, w.displayName),
      h("span", { className: "row" },
        act(text("admit"), w, () => c.invoke("AdmitWaiter", w.waiterId)),
        act(text("deny"), w, () => c.invoke("DenyWaiter", w.waiterId))))));
  };
  session.on("lobby", render);
  if (session.lobby) render(session.lobby);
  replaceChildren(into, h("section", { className: "lobby", "aria-labelledby": "lobby-h" }, h("h3", { id: "lobby-h" }, text("heading")), lobby.wrap, lock.wrap, count, all, list, status));
}
