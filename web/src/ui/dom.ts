// Building DOM without innerHTML: every string child becomes a text node, so user text is never parsed as HTML.
import { explain, t } from "../i18n";

type Child = Node | string | number | false | null | undefined;
type Props = { [key: string]: string | number | boolean | ((event: Event) => void) | undefined | null };

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function") el.addEventListener(key.replace(/^on/, "").toLowerCase(), value);
    else if (key === "className") el.className = String(value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

let ids = 0;
export const uid = (prefix: string) => `${prefix}-${++ids}`;

/** A labelled form field: <label for> + control, the label text set as text. */
export function field(label: string, control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, hint?: string): HTMLElement {
  control.id ||= uid("f");
  const wrap = h("div", { className: "field" }, h("label", { for: control.id }, label), control);
  if (hint) {
    const hintEl = h("small", { id: uid("hint") }, hint);
    control.setAttribute("aria-describedby", hintEl.id);
    wrap.append(hintEl);
  }
  return wrap;
}

export function checkbox(label: string, checked = false): { wrap: HTMLElement; input: HTMLInputElement } {
  const input = h("input", { type: "checkbox" });
  input.checked = checked;
  input.id = uid("c");
  return { wrap: h("div", { className: "check" }, input, h("label", { for: input.id }, label)), input };
}

/** Runs an action from a button, disabling it meanwhile and reporting a failure in `status`. */
export async function busy(button: HTMLButtonElement, status: HTMLElement, action: () => Promise<void>): Promise<void> {
  button.disabled = true;
  status.textContent = "";
  try {
    await action();
  } catch (error) {
    status.textContent = explain(error);
  } finally {
    button.disabled = false;
  }
}

/** The first element of every screen: jumps keyboard and screen-reader users past the header to <main id="main">. */
export function skipLink(): HTMLAnchorElement {
  return h("a", { className: "skip", href: "#main" }, t("common.skip"));
}

/** A polite live region; `say` announces a sentence to screen readers (the same text twice is announced again). */
export function liveRegion(): { element: HTMLElement; say(text: string): void } {
  const element = h("div", { className: "sr-only", role: "status", "aria-live": "polite", "aria-label": t("common.announcements") });
  return {
    element,
    say(text: string) {
      element.textContent = "";
      window.setTimeout(() => (element.textContent = text), 50);
    },
  };
}

/** "12 s", "3 min" */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 90 ? t("common.seconds", { n: s }) : t("common.minutes", { n: Math.round(s / 60) });
}
