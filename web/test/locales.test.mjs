// The message tables: every key the client's source reads is in the English source table, every message there parses
// as ICU MessageFormat and compiles for its language.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import MessageFormat from "@messageformat/core";
import { parse } from "@messageformat/parser";
import { repoRoot } from "./harness.mjs";

const web = join(repoRoot, "web");
const en = JSON.parse(readFileSync(join(web, "locales", "en.json"), "utf8"));
const sources = (dir) => readdirSync(dir, { withFileTypes: true, recursive: true })
  .filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => readFileSync(join(e.parentPath ?? e.path, e.name), "utf8"));

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
});
