// The web client in its participants' languages, in real headless Chromium against one hub: browsers set to Arabic,
// Russian, Kyrgyz, Bosnian and Ukrainian open the landing page and one meeting together (one browser, a context per
// participant). Arabic is right to left; no screen shows English apart from what people typed; Russian counts people
// and votes in its plural forms; the language menu, ?lang= and bad stored values; switching language mid-meeting
// keeps the chat, the vote, the floor, the draft and the connection. Screenshots of each go to the artifacts.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import MessageFormat from "@messageformat/core";
import { parse } from "@messageformat/parser";
import { expectNoAxeViolations, launchBrowser, phone, repoRoot, screenshot, startHub } from "./harness.mjs";

const T = { timeout: 120_000 };
const table = (lang) => JSON.parse(readFileSync(join(repoRoot, "web", "locales", `${lang}.json`), "utf8"));
const en = table("en");
const languages = Object.fromEntries(readdirSync(join(repoRoot, "web", "locales")).filter((f) => f.endsWith(".json")).map((f) => [f.slice(0, -5), true]));
const compiled = new Map();
/** A message of `lang` as the client renders it (the same compiler; digits are Latin in these locales). */
const msg = (lang, key, values) => {
  let mf = compiled.get(lang);
  if (!mf) compiled.set(lang, (mf = new MessageFormat(lang, { strict: true })));
  return mf.compile(table(lang)[key])(values);
};

/** Every run of English words the client could show: the literal text of each English message, 4 letters or more. */
function englishFragments() {
  const out = new Set();
  const walk = (tokens) => {
    for (const token of tokens) {
      if (token.type === "content") for (const part of token.value.split(/[:;·()“”"…?.,!✓]|\s-\s/)) if (/[A-Za-z]{4}/.test(part)) out.add(part.trim());
      for (const c of token.cases ?? []) walk(c.tokens);
    }
  };
  for (const [key, message] of Object.entries(en)) if (!key.startsWith("language.")) walk(parse(message, { strict: true }));
  return [...out];
}
const fragments = englishFragments();

/**
 * What the page says: visible text, screen-reader text and accessible labels, without what people typed (names in
 * <bdi>, titles, questions, options and messages, all dir="auto") and without the language menu's endonyms.
 */
const pageText = (page) => page.evaluate(() => {
  const out = [];
  const skip = (el) => el.closest("bdi, [dir='auto'], h1, select.language, script, style, [hidden]");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || skip(el) || !el.checkVisibility()) continue;
    out.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll("[aria-label]")) if (!skip(el) && el.checkVisibility()) out.push(el.getAttribute("aria-label"));
  return out;
});

/** Fails with every English phrase found on the page, unless the language itself uses it (a product or format name). */
async function expectNoEnglish(page, lang, screenName, allowed = []) {
  const own = Object.values(table(lang)).join("\n");
  const text = (await pageText(page)).join("\n");
  const english = fragments.filter((f) => !own.includes(f) && new RegExp(`(^|[^A-Za-z])${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z])`).test(text));
  assert.deepEqual(english, [], `English on ${screenName} (${lang}):\n${text}`);
  if (lang === "ar") {
    // Arabic script has no Latin letters: any Latin word is left-over English, but for names the language keeps.
    const latin = [...new Set(text.match(/[A-Za-z]{2,}/g) ?? [])].filter((w) => !own.includes(w) && !allowed.includes(w));
    assert.deepEqual(latin, [], `Latin words on ${screenName} (ar):\n${text}`);
  }
}

/** Every label of the bottom bar fits its button: none runs out of it, none is broken inside a word. */
async function expectBarFits(page, screenName) {
  const bad = await page.evaluate(() => [...document.querySelectorAll(".bar button")].flatMap((b) => {
    const text = [...b.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!text) return [];
    const range = document.createRange();
    range.selectNodeContents(text);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    const words = text.textContent.trim().split(/\s+/).length;
    return b.scrollWidth > b.clientWidth + 1 || lines > words ? [`"${text.textContent}" ${lines} line(s), ${b.scrollWidth}/${b.clientWidth} px`] : [];
  }));
  assert.deepEqual(bad, [], `bottom bar labels that do not fit on ${screenName}`);
}

async function expectLanguage(page, lang, dir) {
  assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), [lang, dir]);
}

const connection = (page, lang) => page.getByRole("status", { name: table(lang)["header.connection"] }).filter({ hasText: table(lang)["header.connected"] });
const tab = (page, lang, key) => page.getByRole("tab", { name: new RegExp(`^${table(lang)[key]}`) });

/** Creates a meeting through the landing page in `lang`; returns the invite link. */
async function createMeeting(page, url, lang, title, name) {
  const L = table(lang);
  await page.goto(url);
  await page.getByLabel(L["landing.title"]).fill(title);
  await page.getByRole("form", { name: L["landing.start"] }).getByLabel(L["landing.yourName"]).fill(name);
  await page.getByRole("button", { name: L["landing.create"] }).click();
  await connection(page, lang).waitFor();
  return page.getByLabel(L["header.inviteLink"]).inputValue();
}

async function joinAs(page, link, lang, name) {
  const L = table(lang);
  await page.goto(link);
  await page.getByRole("form", { name: L["landing.join"] }).getByLabel(L["landing.yourName"]).fill(name);
  await page.getByRole("button", { name: L["landing.joinButton"], exact: true }).click();
  await connection(page, lang).waitFor();
}

let hub;
let chromium;

before(async () => {
  hub = await startHub();
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await hub?.stop();
});

describe("web client in its participants' languages", () => {
  test("the language: the browser's, ?lang=, the menu (remembered); bad values in the address or storage fall back without errors", T, async () => {
    const { page, context, close } = await phone(chromium.browser, { locale: "ar-EG" });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      // Storage holds garbage and the address an invalid tag: the browser's language (ar-EG → ar).
      await context.addInitScript(() => {
        if (!sessionStorage.getItem("seeded")) {
          localStorage.setItem("collab:lang", "not a language!!");
          sessionStorage.setItem("seeded", "1");
        }
      });
      await page.goto(`${hub.url}/?lang=%E2%80%AEzz-@@`);
      await page.getByRole("form", { name: table("ar")["landing.join"] }).waitFor();
      await expectLanguage(page, "ar", "rtl");
      for (const lang of ["ru", "ky", "bs", "ar"]) {
        await page.goto(`${hub.url}/?lang=${lang}`);
        await page.getByRole("form", { name: table(lang)["landing.join"] }).waitFor();
        await expectLanguage(page, lang, lang === "ar" ? "rtl" : "ltr");
        await expectNoEnglish(page, lang, "the landing page");
        await screenshot(page, `i18n-${lang}-landing`, { fullPage: false });
        if (lang === "ar") await expectNoAxeViolations(page, "the Arabic landing page");
      }
      // Right to left: the title at the right, the language menu at the left of the header.
      const [title, menu] = await Promise.all([page.locator("header h1").boundingBox(), page.locator("header .language-menu").boundingBox()]);
      assert.ok(title.x > menu.x, `in Arabic the title (x ${title.x}) is right of the menu (x ${menu.x})`);
      assert.equal(await page.locator(".landing form").first().evaluate((f) => getComputedStyle(f).direction), "rtl");

      // ?lang= is for one visit; without it the browser's language is back (the garbage is still stored).
      await page.goto(hub.url);
      await expectLanguage(page, "ar", "rtl");
      // The menu: switches in place (no reload: the typed name stays), and is remembered.
      const name = page.getByRole("form", { name: table("ar")["landing.join"] }).getByLabel(table("ar")["landing.yourName"]);
      await name.fill("ليلى");
      await page.getByLabel(table("ar")["common.language"]).selectOption("bs");
      await page.getByRole("form", { name: table("bs")["landing.join"] }).waitFor();
      await expectLanguage(page, "bs", "ltr");
      assert.equal(await page.getByRole("form", { name: table("bs")["landing.join"] }).getByLabel(table("bs")["landing.yourName"]).inputValue(), "ليلى");
      assert.equal(await page.evaluate(() => localStorage.getItem("collab:lang")), "bs");
      await page.reload();
      await page.getByRole("form", { name: table("bs")["landing.join"] }).waitFor();
      await expectLanguage(page, "bs", "ltr");
      assert.deepEqual(errors, [], "no page errors");
    } finally {
      await close();
    }
  });

  test("one meeting in Russian, Arabic, Kyrgyz, Bosnian and Ukrainian: plurals, right to left, no English; a mid-meeting switch keeps everything", T, async () => {
    const olga = await phone(chromium.browser, { locale: "ru-RU" });
    const layla = await phone(chromium.browser, { locale: "ar" });
    const aigul = await phone(chromium.browser, { locale: "ky-KG" });
    const edin = await phone(chromium.browser, { locale: "bs-BA" });
    const oksana = await phone(chromium.browser, { locale: "uk-UA" });
    try {
      const R = table("ru");
      const link = await createMeeting(olga.page, hub.url, "ru", "Консультация по воде", "Ольга");
      await expectLanguage(olga.page, "ru", "ltr");
      await joinAs(layla.page, link, "ar", "ليلى");
      await joinAs(aigul.page, link, "ky", "Айгүл");
      await joinAs(edin.page, link, "bs", "Edin");
      // Russian counts people in its plural forms: 4 → "4 человека" (few), 5 → "5 человек" (many).
      await tab(olga.page, "ru", "meeting.people").click();
      const heading = olga.page.getByRole("heading", { name: new RegExp(`^${R["people.heading"]}`) });
      await heading.filter({ hasText: `(${msg("ru", "people.count", { n: 4 })})` }).waitFor();
      assert.equal(msg("ru", "people.count", { n: 4 }), "4 человека");
      await joinAs(oksana.page, link, "uk", "Оксана");
      await heading.filter({ hasText: `(${msg("ru", "people.count", { n: 5 })})` }).waitFor();
      assert.equal(msg("ru", "people.count", { n: 5 }), "5 человек");

      // A message and a poll, from the moderator in Russian.
      await tab(olga.page, "ru", "meeting.chat").click();
      await olga.page.getByLabel(R["chat.message"], { exact: true }).fill("Добро пожаловать");
      await olga.page.getByLabel(R["chat.message"], { exact: true }).press("Enter");
      await tab(olga.page, "ru", "meeting.polls").click();
      await olga.page.getByText(R["polls.newPoll"]).click();
      await olga.page.getByLabel(R["polls.question"], { exact: true }).fill("Что важнее?");
      await olga.page.getByLabel(R["polls.options"], { exact: true }).fill("Вода\nДороги");
      await olga.page.getByRole("button", { name: R["polls.createButton"] }).click();
      const results = (voters) => olga.page.getByRole("article", { name: "Что важнее?" }).getByRole("list", { name: msg("ru", "polls.results", { voters }) });

      // Each votes in their language; the moderator's tally reads 1 (one), 2 (few), 5 (many) in Russian.
      const vote = async ({ page }, lang, option) => {
        const L = table(lang);
        await page.getByRole("button", { name: L["meeting.voteNow"] }).click();
        const card = page.getByRole("article", { name: "Что важнее?" });
        await card.getByLabel(option).check();
        await card.getByRole("button", { name: L["polls.vote"], exact: true }).click();
        await card.getByRole("button", { name: L["polls.changeVote"] }).waitFor();
      };
      await vote(layla, "ar", "Вода");
      await results(1).waitFor();
      assert.equal(msg("ru", "polls.results", { voters: 1 }), "Итоги: проголосовал 1 участник");
      await vote(aigul, "ky", "Дороги");
      await results(2).waitFor();
      assert.equal(msg("ru", "polls.results", { voters: 2 }), "Итоги: проголосовали 2 участника");
      await vote(edin, "bs", "Вода");
      await vote(oksana, "uk", "Вода");
      const card = olga.page.getByRole("article", { name: "Что важнее?" });
      await card.getByLabel("Дороги").check();
      await card.getByRole("button", { name: R["polls.vote"], exact: true }).click();
      await results(5).waitFor();
      assert.equal(msg("ru", "polls.results", { voters: 5 }), "Итоги: проголосовали 5 участников");
      await screenshot(olga.page, "i18n-ru-meeting-polls", { fullPage: false });

      // A question in Q&A, from the moderator in Russian.
      await tab(olga.page, "ru", "meeting.qa").click();
      await olga.page.getByLabel(R["qa.question"], { exact: true }).fill("Когда начнём?");
      await olga.page.getByRole("button", { name: R["qa.ask"], exact: true }).click();
      await olga.page.getByRole("list", { name: R["qa.list"], exact: true }).getByText("Когда начнём?").waitFor();

      await expectBarFits(olga.page, "the Russian meeting");
      // Arabic: right to left, the bottom bar's first tab at the right, no English on any tab, axe clean.
      await expectLanguage(layla.page, "ar", "rtl");
      await expectBarFits(layla.page, "the Arabic meeting");
      const [chatTab, voiceTab] = await Promise.all([tab(layla.page, "ar", "meeting.chat").boundingBox(), tab(layla.page, "ar", "meeting.voice").boundingBox()]);
      assert.ok(chatTab.x > voiceTab.x, "in Arabic the bar reads from the right: Chat right of Voice");
      for (const key of ["meeting.chat", "meeting.polls", "meeting.people", "meeting.voice", "meeting.qa"]) {
        await tab(layla.page, "ar", key).click();
        if (key === "meeting.qa") await layla.page.getByText("Когда начнём?").waitFor();
        await expectNoEnglish(layla.page, "ar", `the Arabic meeting's ${key} tab`, ["WebSockets"]);
        // axe on the tabs with the most text (the English ones are all checked in phone.test.mjs).
        if (key === "meeting.chat" || key === "meeting.polls") await expectNoAxeViolations(layla.page, `the Arabic meeting's ${key} tab`);
        await screenshot(layla.page, `i18n-ar-meeting-${key.slice("meeting.".length)}`, { fullPage: false });
      }
      // Kyrgyz and Bosnian (neither has any English left either), Ukrainian.
      for (const [who, lang] of [[aigul, "ky"], [edin, "bs"], [oksana, "uk"]]) {
        await expectLanguage(who.page, lang, "ltr");
        await expectBarFits(who.page, `the ${lang} meeting`);
        for (const key of ["meeting.chat", "meeting.polls", "meeting.people"]) {
          await tab(who.page, lang, key).click();
          await expectNoEnglish(who.page, lang, `the meeting's ${key} tab`);
        }
        await screenshot(who.page, `i18n-${lang}-meeting-people`, { fullPage: false });
        await tab(who.page, lang, "meeting.chat").click();
        await screenshot(who.page, `i18n-${lang}-meeting-chat`, { fullPage: false });
      }

      // Edin has a draft in the composer, his vote, the chat, and the floor; then switches to English mid-meeting.
      const B = table("bs");
      await edin.page.getByLabel(B["chat.message"], { exact: true }).fill("nacrt poruke");
      await tab(olga.page, "ru", "meeting.people").click();
      await olga.page.getByRole("button", { name: `${R["people.give"]}: Edin` }).click();
      await tab(edin.page, "bs", "meeting.people").click();
      await edin.page.getByRole("list", { name: B["people.list"] }).locator("li", { hasText: "Edin" }).getByText(B["people.holds"]).waitFor();
      const sockets = [];
      edin.page.on("websocket", (ws) => sockets.push(ws.url()));
      await edin.page.evaluate(() => (window.__sameDocument = true));
      await edin.page.getByLabel(B["common.language"]).selectOption("en");
      await edin.page.getByRole("tab", { name: /^People/ }).waitFor();
      await expectLanguage(edin.page, "en", "ltr");
      assert.equal(await edin.page.evaluate(() => window.__sameDocument), true, "the page was not reloaded");
      await edin.page.getByRole("list", { name: "Participants" }).locator("li", { hasText: "Edin" }).getByText("has the floor").waitFor();
      await edin.page.getByRole("tab", { name: /^Chat/ }).click();
      await edin.page.getByRole("log", { name: "Chat messages" }).getByText("Добро пожаловать").waitFor();
      assert.equal(await edin.page.getByLabel("Message", { exact: true }).inputValue(), "nacrt poruke", "the draft is kept");
      await edin.page.getByRole("tab", { name: /^Polls/ }).click();
      const edinCard = edin.page.getByRole("article", { name: "Что важнее?" });
      await edinCard.getByRole("button", { name: "Change vote" }).waitFor();
      assert.ok(await edinCard.getByLabel("Вода").isChecked(), "the vote is kept");
      await edinCard.getByRole("list", { name: "Results: 5 voters" }).waitFor();
      await edinCard.getByText("Poll open · anonymous").waitFor();
      await edin.page.getByRole("tab", { name: /^Voice/ }).click();
      await edin.page.getByRole("status", { name: "Voice status" }).filter({ hasText: "You have the floor: hold the button to talk." }).waitFor();
      await edin.page.getByRole("status", { name: "Connection" }).filter({ hasText: "Connected" }).waitFor();
      // The Q&A chunk (rendered in Bosnian on joining) switched too.
      const E = table("en");
      await tab(edin.page, "en", "meeting.qa").click();
      await edin.page.getByRole("heading", { name: E["qa.heading"], exact: true }).waitFor();
      await edin.page.getByRole("button", { name: E["qa.ask"], exact: true }).waitFor();
      await edin.page.getByRole("list", { name: E["qa.list"], exact: true }).getByText(msg("en", "qa.votes", { n: 0 })).waitFor();
      assert.deepEqual(sockets, [], "no new connection to the hub");
      await screenshot(edin.page, "i18n-bs-switched-to-en", { fullPage: false });
      // Every language's bottom bar fits a 360 px phone; then back to Bosnian, the same in place.
      for (const lang of Object.keys(languages)) {
        await edin.page.locator("footer select.language").selectOption(lang);
        await edin.page.waitForFunction((l) => document.documentElement.lang === l, lang);
        await expectBarFits(edin.page, `the meeting in ${lang}`);
      }
      await edin.page.locator("footer select.language").selectOption("bs");
      await tab(edin.page, "bs", "meeting.polls").click();
      await edinCard.getByRole("button", { name: B["polls.changeVote"] }).waitFor();
      await expectLanguage(edin.page, "bs", "ltr");

      // The moderator's lobby panel (its own chunk) in Russian, no English; then a switch to Ukrainian re-renders it.
      await tab(olga.page, "ru", "meeting.people").click();
      await olga.page.getByLabel(R["lobby.enable"], { exact: true }).check();
      await olga.page.getByText(R["lobby.none"], { exact: true }).waitFor();
      await expectNoEnglish(olga.page, "ru", "the moderator's People tab with the lobby");
      await screenshot(olga.page, "i18n-ru-lobby", { fullPage: false });
      const U = table("uk");
      await olga.page.locator("footer select.language").selectOption("uk");
      await olga.page.getByRole("heading", { name: U["lobby.heading"], exact: true }).waitFor();
      assert.ok(await olga.page.getByLabel(U["lobby.enable"], { exact: true }).isChecked(), "the lobby setting is kept");
      await olga.page.getByText(U["lobby.none"], { exact: true }).waitFor();
      await olga.page.getByRole("button", { name: U["people.lowerAll"], exact: true }).waitFor();
      await expectNoEnglish(olga.page, "uk", "the moderator's People tab with the lobby, switched from Russian");
    } finally {
      for (const p of [olga, layla, aigul, edin, oksana]) await p.close();
    }
  });
});
