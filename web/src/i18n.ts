// The client's language: its messages (web/locales/<lang>.json, ICU MessageFormat) compiled at build time by
// @messageformat/core into one chunk per language, fetched on demand, so a first visit downloads only the active
// language and no message parser. Views call t(key, values) when they render.
type Message = (values?: Record<string, unknown>) => string;
type Catalog = Record<string, Message>;

/** Every language the client ships, named in itself (what the language menu shows). */
export const languages: Readonly<Record<string, string>> = { en: "English" };
export const sourceLanguage = "en";

// Each import() is its own chunk, made by web/tools/locales.mjs: the landing screen's messages (landing, common,
// error) and the meeting's, fetched on joining, so the first load carries only the active language's landing text.
type Part = "landing" | "meeting";
const loaders: Record<string, Record<Part, () => Promise<{ default: Catalog }>>> = {
  en: { landing: () => import("locale:en/landing"), meeting: () => import("locale:en/meeting") },
};
const parts = new Set<Part>(["landing"]);

let catalog: Catalog = {};
let active = sourceLanguage;

/** The message `key` of the active language with `values` filled in; the key itself if no language is loaded yet. */
export function t(key: string, values?: Record<string, unknown>): string {
  const message = catalog[key];
  return message ? message(values) : key;
}

/** The active language's BCP 47 tag, for Intl formatters. */
export const locale = (): string => active;

/** The first supported language among `requested` (BCP 47 tags, best first), by exact tag then by base language. */
export function pickLanguage(requested: readonly (string | null | undefined)[]): string | undefined {
  for (const tag of requested) {
    if (typeof tag !== "string") continue;
    let canonical: string;
    try {
      canonical = Intl.getCanonicalLocales(tag)[0] ?? "";
    } catch {
      continue; // not a BCP 47 tag
    }
    if (canonical in languages) return canonical;
    const base = canonical.split("-")[0] ?? "";
    if (base in languages) return base;
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

/** Loads `lang` (a supported tag) and makes it the active language; `<html lang>` follows. */
export async function setLanguage(lang: string): Promise<void> {
  const load = loaders[lang];
  if (!load) throw new Error(`unsupported language ${lang}`);
  const loaded = await Promise.all([...parts].map((part) => load[part]()));
  catalog = Object.assign({}, ...loaded.map((m) => m.default)) as Catalog;
  active = lang;
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

const httpCodes: Record<number, string> = { 400: "invalid_input", 403: "forbidden", 404: "not_found", 409: "conflict", 429: "rate_limited", 503: "unavailable" };

/** An HTTP refusal as an Error carrying the same stable codes as the hub's ("code: reason"), the reason its message. */
export function httpError(status: number, reason: string): Error {
  return Object.assign(new Error(reason), { code: httpCodes[status] ?? "other" });
}

/**
 * What to tell the user about a refusal or failure. The hub (PROTOCOL.md §6) and the HTTP API refuse with a stable
 * code and an English reason: in English the reason is shown as it is (it is the most precise); in another language
 * the code's message ("error.<code>"), and the English reason goes to the console for logs and tools.
 */
export function explain(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const code = typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string" ? (error as { code: string }).code : undefined;
  if (active === sourceLanguage || code === undefined) return reason;
  console.warn(`${code}: ${reason}`);
  return catalog[`error.${code}`] ? t(`error.${code}`) : t("error.other");
}
