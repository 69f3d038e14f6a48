import MessageFormat from "@messageformat/core";
import compileModule from "@messageformat/core/compile-module.js";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The keys the landing screen needs; the rest of a language ("meeting") loads when a meeting is joined. */
export const landingKey = (key) => /^(common|landing|error)\./.test(key);

// import "locale:<lang>/landing" or "locale:<lang>/meeting" → an ES module of message functions compiled from
// web/locales/<lang>.json by @messageformat/core (ICU MessageFormat), so the browser gets no parser; each part of
// each language is a chunk of its own (<lang>-landing-<hash>.js, <lang>-meeting-<hash>.js), imported when needed.
export const compileLocales = {
  name: "locales",
  setup(b) {
    b.onResolve({ filter: /^locale:/ }, (args) => {
      const [lang, part] = args.path.slice("locale:".length).split("/");
      if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang ?? "") || !["landing", "meeting"].includes(part)) return { errors: [{ text: `bad locale import ${args.path}` }] };
      return { path: `${lang}-${part}`, namespace: "locale", pluginData: { lang, part } };
    });
    b.onLoad({ filter: /.*/, namespace: "locale" }, async (args) => {
      const { lang, part } = args.pluginData;
      const file = join(web, "locales", `${lang}.json`);
      const all = JSON.parse(await readFile(file, "utf8"));
      const messages = Object.fromEntries(Object.entries(all).filter(([key]) => landingKey(key) === (part === "landing")));
      return { contents: compileModule(new MessageFormat(lang, { strict: true }), messages), loader: "js", resolveDir: web, watchFiles: [file] };
    });
  },
};
