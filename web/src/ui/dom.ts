// Building DOM without innerHTML: every string child becomes a text node, so user text is never parsed as HTML.
// Text in the interface language is given as a function (() => t("key")): the node or attribute is bound to it and
// re-rendered in place when the language changes, so a switch touches text only (focus, drafts, ticks stay).
import { chooseLanguage, describeError, explain, languages, locale, onLanguageChange, t } from "../i18n";

/** A string as it is, or text in the interface language, re-read on every language switch. */
export type Text = string | (() => string);
type Child = Node | Text | number | false | null | undefined;
/** Props: "on…" functions are listeners; any other function is an attribute in the interface language. */
type Props = { [key: string]: string | number | boolean | ((event: Event) => void) | (() => string) | undefined | null };

// Nodes bound to the language: for each, its text ("") and attributes, each with what renders it.
const bindings = new WeakMap<Node, Map<string, () => string>>();
const bound = new Set<WeakRef<Node>>();
const render = (node: Node, slot: string, text: () => string) => {
  if (slot === "") node.textContent = text();
  else (node as Element).setAttribute(slot, text());
};
function bind(node: Node, slot: string, text: (() => string) | undefined): void {
  let slots = bindings.get(node);
  if (!text) {
    slots?.delete(slot);
    return;
  }
  if (!slots) {
    bindings.set(node, (slots = new Map()));
    bound.add(new WeakRef(node));
  }
  slots.set(slot, text);
  render(node, slot, text);
}
onLanguageChange(() => {
  for (const ref of bound) {
    const node = ref.deref();
    const slots = node && bindings.get(node);
    if (!node || !slots || slots.size === 0) {
      bound.delete(ref);
      continue;
    }
    for (const [slot, text] of slots) render(node, slot, text);
  }
});

/** Sets an element's text: a string as it is, a function bound to the language. */
export function setText(node: Node, text: Text): void {
  if (typeof text === "string") {
    bind(node, "", undefined);
    node.textContent = text;
  } else bind(node, "", text);
}

/** Sets an attribute (aria-label, title…): a string as it is, a function bound to the language. */
export function setAttr(el: Element, name: string, text: Text): void {
  if (typeof text === "string") {
    bind(el, name, undefined);
    el.setAttribute(name, text);
  } else bind(el, name, text);
}

/** The current string of a Text. */
export const str = (text: Text): string => (typeof text === "string" ? text : text());

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function" && /^on[a-z]/i.test(key)) el.addEventListener(key.replace(/^on/, "").toLowerCase(), value as (event: Event) => void);
    else if (typeof value === "function") setAttr(el, key, value as () => string);
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
    if (typeof child === "function") {
      const node = document.createTextNode("");
      setText(node, child);
      parent.appendChild(node);
    } else parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

let ids = 0;
export const uid = (prefix: string) => `${prefix}-${++ids}`;

/** A labelled form field: <label for> + control, the label text set as text. */
export function field(label: Text, control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, hint?: Text): HTMLElement {
  control.id ||= uid("f");
  const wrap = h("div", { className: "field" }, h("label", { for: control.id }, label), control);
  if (hint) {
    const hintEl = h("small", { id: uid("hint") }, hint);
    control.setAttribute("aria-describedby", hintEl.id);
    wrap.append(hintEl);
  }
  return wrap;
}

export function checkbox(label: Text, checked = false): { wrap: HTMLElement; input: HTMLInputElement } {
  const input = h("input", { type: "checkbox" });
  input.checked = checked;
  input.id = uid("c");
  return { wrap: h("div", { className: "check" }, input, h("label", { for: input.id }, label)), input };
}

/** Runs an action from a button, disabling it meanwhile and reporting a failure in `status`. */
export async function busy(button: HTMLButtonElement, status: HTMLElement, action: () => Promise<void>): Promise<void> {
  button.disabled = true;
  setText(status, "");
  try {
    await action();
  } catch (error) {
    explain(error);
    setText(status, () => describeError(error));
  } finally {
    button.disabled = false;
  }
}

/** The first element of every screen: jumps keyboard and screen-reader users past the header to <main id="main">. */
export function skipLink(): HTMLAnchorElement {
  return h("a", { className: "skip", href: "#main" }, () => t("common.skip"));
}

/** A polite live region; `say` announces a sentence to screen readers (the same text twice is announced again). */
export function liveRegion(): { element: HTMLElement; say(text: string): void } {
  const element = h("div", { className: "sr-only", role: "status", "aria-live": "polite", "aria-label": () => t("common.announcements") });
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

/**
 * The language menu: every shipped language named in itself (and marked with its own lang, so a screen reader
 * says it right, and recognisable to a reader of that language whatever is shown); choosing one switches the whole page
 * to it, in place, and remembers it. Its label reads "Language" in the current language.
 */
export function languageMenu(): HTMLElement {
  const select = h("select", { id: uid("lang"), name: "lang", className: "language" },
    ...Object.entries(languages).map(([tag, name]) => h("option", { value: tag, lang: tag }, name)));
  select.value = locale();
  const off = onLanguageChange(() => (select.isConnected ? (select.value = locale()) : off()));
  select.addEventListener("change", () => {
    select.disabled = true;
    // A failed fetch (offline) keeps the language shown.
    void chooseLanguage(select.value).catch(() => (select.value = locale())).finally(() => (select.disabled = false));
  });
  return h("div", { className: "language-menu" },
    h("label", { for: select.id }, () => t("common.language")), select);
}
