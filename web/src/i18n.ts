// The client's language: its messages (web/locales/<lang>.json, ICU MessageFormat) compiled at build time by
// @messageformat/core into one chunk per language, fetched on demand, so a first visit downloads only the active
// language and no message parser. Views call t(key, values) when they render.
type Message = (values?: Record<string, unknown>) => string;
type Catalog = Record<string, Message>;

/** Every language the client ships, named in itself (what the language menu shows). */
export const languages: Readonly<Record<string, string>> = { en: "English" };
export const sourceLanguage = "en";

// Each import() is its own chunk; build.mjs compiles the JSON into message functions (see compileLocales there).
const loaders: Record<string, () => Promise<{ default: Catalog }>> = {
  en: () => import("../locales/en.json") as unknown as Promise<{ default: Catalog }>,
};

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

/** Loads `lang` (a supported tag) and makes it the active language; `<html lang>` follows. */
export async function setLanguage(lang: string): Promise<void> {
  const load = loaders[lang];
  if (!load) throw new Error(`unsupported language ${lang}`);
  catalog = (await load()).default;
  active = lang;
  document.documentElement.lang = lang;
}
