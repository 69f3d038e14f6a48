// The client's language: its messages (web/locales/<lang>.json, ICU MessageFormat) compiled at build time by
// @messageformat/core into one chunk per language and part, fetched on demand, so a first visit downloads only the
// active language and no message parser. Views call t(key, values) when they render, and bind what they show to the
// language (ui/dom.ts), so a switch re-renders the text in place.
import { languages as shipped, loaders } from "locale:index";
import { stored } from "./storage";

type Message = (values?: Record<string, unknown>) => string;
type Catalog = Record<string, Message>;

/** Every language the client ships (one file each in web/locales), named in itself: what the language menu shows. */
export const languages: Readonly<Record<string, string>> = shipped;
export const sourceLanguage = "en";

// The landing screen's messages (landing, common, error), and the meeting's, fetched on joining: the first load
// carries only the active language's landing text.
type Part = "landing" | "meeting";
const parts = new Set<Part>(["landing"]);

let catalog: Catalog = {};
let active = sourceLanguage;
const listeners = new Set<() => void>();

/** The message `key` of the active language with `values` filled in; the key itself if no language is loaded yet. */
export function t(key: string, values?: Record<string, unknown>): string {
  const message = catalog[key];
  return message ? message(values) : key;
}

/** The active language's BCP 47 tag, for Intl formatters. */
export const locale = (): string => active;

// Languages written right to left (CLDR's script direction); of those shipped, Arabic.
const rightToLeft = new Set(["ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"]);
/** "rtl" or "ltr" for a language tag. */
export const direction = (lang: string): "rtl" | "ltr" => (rightToLeft.has(lang.split("-")[0] ?? "") ? "rtl" : "ltr");

// Letters that set a direction: Hebrew, Arabic, Syriac, Thaana and their presentation forms; Latin, Greek, Cyrillic.
const strongRtl = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const strongLtr = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]/;
/**
 * Something people typed (a name, a title, a question), for a sentence in the interface language: isolated
 * (U+2068…U+2069) when it holds letters of the other direction, so an Arabic name in a Russian sentence, or a Latin
 * title in an Arabic one, keeps the words and the punctuation around it in place. Elements use <bdi> or dir="auto".
 */
export function isolate(text: string): string {
  return (direction(active) === "rtl" ? strongLtr : strongRtl).test(text) ? `\u2068${text}\u2069` : text;
}

/** The first supported language among `requested` (BCP 47 tags, best first), by exact tag then by base language. */
export function pickLanguage(requested: readonly (string | null | undefined)[]): string | undefined {
  for (const tag of requested) {
    if (typeof tag !== "string" || tag.length > 64) continue;
    let canonical: string;
    try {
      canonical = Intl.getCanonicalLocales(tag)[0] ?? "";
    } catch {
      continue; // not a BCP 47 tag
    }
    if (Object.hasOwn(languages, canonical)) return canonical;
    const base = canonical.split("-")[0] ?? "";
    if (Object.hasOwn(languages, base)) return base;
  }
  return undefined;
}

/** Loads the meeting's messages of the active language (and of every language chosen from now on). */
export async function loadMeetingText(): Promise<void> {
  if (parts.has("meeting")) return;
  parts.add("meeting");
  const load = loaders[active];
  if (load) Object.assign(catalog, (await load.meeting()).default);
}

/**
 * Loads `lang` (a supported tag) and makes it the active language: `<html lang>` and `dir` follow, and everything
 * bound to the language is re-rendered. Until its messages have arrived the previous language stays.
 */
export async function setLanguage(lang: string): Promise<void> {
  const load = loaders[lang];
  if (!load) throw new Error(`unsupported language ${lang}`);
  const loaded = await Promise.all([...parts].map((part) => load[part]()));
  catalog = Object.assign({}, ...loaded.map((m) => m.default)) as Catalog;
  active = lang;
  if (typeof document !== "undefined") {
    document.documentElement.lang = lang;
    document.documentElement.dir = direction(lang);
  }
  for (const listener of listeners) listener();
}

/**
 * The language to start in: a `?lang=` in the address, then the one chosen before (localStorage), then the
 * browser's (navigator.languages), then English. Unknown or malformed values are passed over.
 */
export function initialLanguage(params: URLSearchParams, browser: readonly string[]): string {
  return pickLanguage([params.get("lang")]) ?? pickLanguage([stored.language()]) ?? pickLanguage(browser) ?? sourceLanguage;
}

/** The user's choice (the language menu): switches to `lang` and remembers it; a `?lang=` in the address goes. */
export async function chooseLanguage(lang: string): Promise<void> {
  const supported = pickLanguage([lang]);
  if (!supported) throw new Error(`unsupported language ${lang}`);
  await setLanguage(supported);
  stored.setLanguage(supported);
  const url = new URL(location.href);
  if (url.searchParams.has("lang")) {
    url.searchParams.delete("lang");
    history.replaceState(history.state, "", url);
  }
}

/** Calls `listener` after every language switch; returns the way to stop. */
export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const httpCodes: Record<number, string> = { 400: "invalid_input", 403: "forbidden", 404: "not_found", 409: "conflict", 429: "rate_limited", 503: "unavailable" };

/** An HTTP refusal as an Error carrying the same stable codes as the hub's ("code: reason"), the reason its message. */
export function httpError(status: number, reason: string): Error {
  return Object.assign(new Error(reason), { code: httpCodes[status] ?? "other" });
}

// The message functions' helpers: the compiled language chunks import them from here (web/tools/locales.mjs), so
// they travel in this module's chunk.
export { number, plural, select, strictNumber } from "@messageformat/runtime";

/** A refused HTTP response as httpError, the reason read from its problem details. */
export async function responseError(response: Response): Promise<Error> {
  let reason = `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { title?: string; detail?: string };
    reason = body.detail ?? body.title ?? reason;
  } catch {
    // Not problem details: the status says it.
  }
  return httpError(response.status, reason);
}

const codeOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string" ? (error as { code: string }).code : undefined;

/**
 * What to tell the user about a refusal or failure, in the active language. The hub (PROTOCOL.md §6) and the HTTP
 * API refuse with a stable code and an English reason: in English the reason is shown as it is (it is the most
 * precise); in another language the code's message ("error.<code>").
 */
export function describeError(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const code = codeOf(error);
  if (active === sourceLanguage || code === undefined) return reason;
  return catalog[`error.${code}`] ? t(`error.${code}`) : t("error.other");
}

/** describeError, with the code and English reason logged to the console (for logs and tools) when not shown. */
export function explain(error: unknown): string {
  const code = codeOf(error);
  if (active !== sourceLanguage && code !== undefined) console.warn(`${code}: ${error instanceof Error ? error.message : String(error)}`);
  return describeError(error);
}
