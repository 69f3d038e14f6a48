import MessageFormat from "@messageformat/core";
import compileModule from "@messageformat/core/compile-module.js";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const localesDir = join(web, "locales");

/** The keys the landing screen needs; the rest of a language ("meeting") loads when a meeting is joined. */
export const landingKey = (key) => /^(common|landing|error)\./.test(key);
/** Keys about the language itself (its name in itself, for the language menu): in the index, not in a chunk. */
export const metaKey = (key) => key.startsWith("language.");

/** Every language shipped: one web/locales/<lang>.json each, English first. */
export async function localeFiles() {
  const tags = (await readdir(localesDir)).filter((f) => /^[a-z]{2,3}(-[A-Za-z0-9]+)*\.json$/.test(f)).map((f) => f.slice(0, -5));
  return tags.sort((a, b) => (a === "en" ? -1 : b === "en" ? 1 : a.localeCompare(b)));
}

const readLocale = async (lang) => JSON.parse(await readFile(join(localesDir, `${lang}.json`), "utf8"));

// import "locale:index" → { languages: {tag: endonym}, loaders: {tag: {landing, meeting}} } for every
// web/locales/<lang>.json, so adding a language is adding its file. import "locale:<lang>/landing" or
// "locale:<lang>/meeting" → an ES module of message functions compiled from web/locales/<lang>.json by
// @messageformat/core (ICU MessageFormat), so the browser gets no parser; each part of each language is a chunk of
// its own (<lang>-landing-<hash>.js, <lang>-meeting-<hash>.js), imported when needed.
export const compileLocales = {
  name: "locales",
  setup(b) {
    b.onResolve({ filter: /^locale:/ }, (args) => {
      if (args.path === "locale:index") return { path: "index", namespace: "locale-index" };
      const [lang, part] = args.path.slice("locale:".length).split("/");
      if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang ?? "") || !["landing", "meeting"].includes(part)) return { errors: [{ text: `bad locale import ${args.path}` }] };
      return { path: `${lang}-${part}`, namespace: "locale", pluginData: { lang, part } };
    });
    b.onLoad({ filter: /.*/, namespace: "locale-index" }, async () => {
      const tags = await localeFiles();
      const names = {};
      for (const lang of tags) names[lang] = (await readLocale(lang))["language.name"] ?? lang;
      const loaders = tags.map((lang) => `${JSON.stringify(lang)}: { landing: () => import("locale:${lang}/landing"), meeting: () => import("locale:${lang}/meeting") }`);
      return {
        contents: `export const languages = ${JSON.stringify(names)};\nexport const loaders = {\n${loaders.join(",\n")}\n};\n`,
        loader: "js", resolveDir: web, watchDirs: [localesDir],
      };
    });
    b.onLoad({ filter: /.*/, namespace: "locale" }, async (args) => {
      const { lang, part } = args.pluginData;
      const all = await readLocale(lang);
      const messages = Object.fromEntries(Object.entries(all).filter(([key]) => !metaKey(key) && landingKey(key) === (part === "landing")));
      // The runtime's helpers come through i18n.ts (which re-exports them), so they share its chunk, already loaded
      // with the landing page, instead of a chunk (one more request on a first visit) of their own.
      const code = compileModule(new MessageFormat(lang, { strict: true }), messages).replace(/ from "@messageformat\/runtime";/, ' from "./src/i18n.ts";');
      return { contents: code, loader: "js", resolveDir: web, watchFiles: [join(localesDir, `${lang}.json`)] };
    });
  },
};
