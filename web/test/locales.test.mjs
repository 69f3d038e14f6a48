// The message tables: every key the client's source reads is in the English source table; every language has every
// English key with the same placeholders and select cases, its plurals use exactly the plural categories of its
// locale (Intl.PluralRules, CLDR), every message parses as ICU MessageFormat and compiles for its language, and no
// message is left in English. `npm run check-locales` runs just this file (the translators' one command).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import MessageFormat from "@messageformat/core";
import { parse } from "@messageformat/parser";
import { repoRoot } from "./harness.mjs";

const web = join(repoRoot, "web");
const read = (lang) => JSON.parse(readFileSync(join(web, "locales", `${lang}.json`), "utf8"));
const en = read("en");
const translations = readdirSync(join(web, "locales")).filter((f) => f.endsWith(".json") && f !== "en.json").map((f) => f.slice(0, -5)).sort();
/** The languages the issue asks for; a file may be added beside them, never one of them dropped. */
const required = ["es", "fr", "pt", "ru", "uk", "ar", "ky", "bs", "ro", "az"];
const sources = (dir) => readdirSync(dir, { withFileTypes: true, recursive: true })
  .filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => readFileSync(join(e.parentPath ?? e.path, e.name), "utf8"));

// Messages that may read the same as English in a language, because they are the same there (a product name, units,
// a mark, or the word the language itself uses). Anything else identical to English is an untranslated message.
const sameAnywhere = new Set(["landing.app", "common.seconds", "common.minutes", "polls.count", "polls.mine", "header.exportJson"]);
const sameIn = {
  es: ["chat.heading", "meeting.chat", "header.exportChat"],
  pt: ["chat.heading", "meeting.chat", "header.exportChat"],
  fr: ["qa.heading", "qa.list"],
  ro: ["chat.heading", "meeting.chat", "header.exportChat", "people.moderator"],
  bs: ["people.moderator"],
  az: ["people.moderator"],
};

/** Walks a parsed message: every argument name, every select's cases, every plural's categories. */
function shape(tokens, out = { args: new Set(), selects: new Map(), plurals: [] }) {
  for (const token of tokens) {
    if ("arg" in token) out.args.add(token.arg);
    if (token.type === "select") out.selects.set(token.arg, token.cases.map((c) => c.key).sort().join(","));
    if (token.type === "plural") out.plurals.push({ arg: token.arg, categories: token.cases.map((c) => c.key).filter((k) => !k.startsWith("=")).sort() });
    for (const c of token.cases ?? []) shape(c.tokens, out);
  }
  return out;
}

describe("message tables", () => {
  test("every key the source reads is in locales/en.json", () => {
    const used = new Set();
    for (const code of sources(join(web, "src"))) {
      for (const [, key] of code.matchAll(/\bt\("([a-zA-Z]+\.[a-zA-Z.]+)"/g)) used.add(key);
      // The landing screen's text("key") is t(`landing.${key}`).
      if (code.includes("t(`landing.${key}`")) for (const [, key] of code.matchAll(/\btext\("(\w+)"/g)) used.add(`landing.${key}`);
    }
    assert.ok(used.size > 100, `found ${used.size} keys in the source`);
    assert.deepEqual([...used].filter((k) => !(k in en)), [], "keys missing from en.json");
  });

  test("every English message parses and compiles", () => {
    const mf = new MessageFormat("en", { strict: true });
    for (const [key, message] of Object.entries(en)) {
      assert.doesNotThrow(() => parse(message, { strict: true }), `${key}: ${message}`);
      assert.equal(typeof mf.compile(message), "function", key);
    }
  });

  test("every required language has a file", () => {
    assert.deepEqual(required.filter((lang) => !translations.includes(lang)), [], "languages without web/locales/<lang>.json");
  });

  test("every language has every English key and no other", () => {
    const problems = [];
    for (const lang of translations) {
      const table = read(lang);
      const missing = Object.keys(en).filter((k) => !(k in table));
      const extra = Object.keys(table).filter((k) => !(k in en));
      if (missing.length > 0) problems.push(`${lang}.json lacks ${missing.length} key(s), to translate from en.json:\n    ${missing.join("\n    ")}`);
      if (extra.length > 0) problems.push(`${lang}.json has key(s) en.json does not (renamed or removed?):\n    ${extra.join("\n    ")}`);
    }
    assert.ok(problems.length === 0, problems.join("\n"));
  });

  for (const lang of translations) {
    test(`${lang}: every message parses, compiles, keeps the English placeholders and uses ${lang}'s plural categories`, () => {
      const table = read(lang);
      const mf = new MessageFormat(lang, { strict: true });
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.slice().sort();
      const problems = [];
      for (const [key, message] of Object.entries(table)) {
        if (!(key in en)) continue; // reported by the key test
        let tokens;
        try {
          tokens = parse(message, { strict: true });
          mf.compile(message);
        } catch (error) {
          problems.push(`${key}: does not parse or compile (${error.message}): ${message}`);
          continue;
        }
        const mine = shape(tokens);
        const source = shape(parse(en[key], { strict: true }));
        const names = (set) => [...set].sort().join(", ");
        if (names(mine.args) !== names(source.args)) problems.push(`${key}: placeholders {${names(mine.args)}}, English has {${names(source.args)}}`);
        for (const [arg, cases] of source.selects) if (mine.selects.get(arg) !== cases) problems.push(`${key}: select {${arg}} has cases ${mine.selects.get(arg)}, English ${cases}`);
        for (const plural of mine.plurals) {
          if (plural.categories.join(",") !== categories.join(",")) problems.push(`${key}: plural {${plural.arg}} has ${plural.categories.join(", ")}; ${lang} has ${categories.join(", ")}`);
        }
        if (message === en[key] && !sameAnywhere.has(key) && !(sameIn[lang] ?? []).includes(key)) problems.push(`${key}: still English: ${message}`);
        if (/^\s*$/.test(message) && !/^\s*$/.test(en[key])) problems.push(`${key}: empty`);
      }
      assert.ok(problems.length === 0, `${lang}.json:\n  ${problems.join("\n  ")}`);
    });
  }

  test("a button's visible text is part of its accessible name in every language (WCAG 2.5.3, label in name)", () => {
    // The bottom bar's talk button shows the short text and is named by the long one.
    const pairs = [["voice.barHold", "voice.hold"], ["voice.barHold", "voice.tap"], ["voice.barTalking", "voice.talking"]];
    const problems = [];
    for (const lang of ["en", ...translations]) {
      const table = read(lang);
      for (const [shown, name] of pairs) {
        if (!(shown in table) || !(name in table)) continue;
        // As axe-core checks it: the visible words, in order, among the name's words.
        const words = (text) => text.toLocaleLowerCase(lang).split(/[\s\p{P}]+/u).filter(Boolean).join(" ");
        if (!` ${words(table[name])} `.includes(` ${words(table[shown])} `)) problems.push(`${lang}: "${table[shown]}" (${shown}) is not within "${table[name]}" (${name})`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test("every voice profile of the ladder has its name in voice.profileName", () => {
    const ladder = readFileSync(join(web, "src", "voice", "ladder.ts"), "utf8");
    const names = [...ladder.matchAll(/\bp\(\d+, "([a-z-]+)"/g)].map((m) => m[1].replaceAll("-", "_"));
    assert.ok(names.length >= 5, `found ${names.length} profiles in ladder.ts`);
    const [select] = parse(en["voice.profileName"], { strict: true });
    const cases = select.cases.map((c) => c.key);
    assert.deepEqual(names.filter((n) => !cases.includes(n)), [], "profiles without a name in voice.profileName");
  });

  test("each language is named in itself, every name different", () => {
    const names = ["en", ...translations].map((lang) => read(lang)["language.name"]);
    assert.ok(names.every((n) => typeof n === "string" && n.length > 1), names.join(", "));
    assert.equal(new Set(names).size, names.length, names.join(", "));
  });
});
