// The web client on a 360×740 phone in real headless Chromium, over Chromium's Regular 2G preset where the link
// matters: first load, polls that keep an unsent choice, the outbox through rate limits, reloads and offline periods,
// a hub restart, the moderator link, right-to-left chat, ending and leaving, discussion rooms, the phone layout and axe
// on every screen.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import {
  chatLog, createMeetingAsModerator, expectNoAxeViolations, joinByLink, launchBrowser, phone, regular2G, screenshot, sendChat, startHub,
} from "./harness.mjs";

const T = { timeout: 90_000 };
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

const connection = (page) => page.getByRole("status", { name: "Connection" });
const tab = (page, name) => page.getByRole("tab", { name: new RegExp(`^${name}`) });
const card = (page, question) => page.getByRole("article", { name: question });

/** A moderator and a participant (Ana), both on phones; `throttle` puts Ana on Regular 2G. */
async function phoneMeeting({ throttle = false, title = "Water committee" } = {}) {
  const moderator = await phone(chromium.browser);
  const ana = await phone(chromium.browser, { throttle });
  const meeting = await createMeetingAsModerator(moderator.page, hub.url, { title });
  await joinByLink(ana.page, meeting.link, "Ana");
  return {
    moderator, ana, meeting,
    async close() {
      await moderator.close();
      await ana.close();
    },
  };
}

/** Keeps every text the page's live region announces, from now on, in window.__said. */
async function recordAnnouncements(page) {
  await page.evaluate(() => {
    window.__said = [];
    const region = document.querySelector('[aria-label="Announcements"]');
    new MutationObserver(() => region.textContent && window.__said.push(region.textContent)).observe(region, { childList: true, characterData: true, subtree: true });
  });
}
const said = (page, text) => page.waitForFunction((t) => window.__said.includes(t), text, { timeout: 15_000 });

async function createPoll(page, question, options) {
  await tab(page, "Polls").click();
  await page.getByText("New poll").click();
  await page.getByLabel("Question", { exact: true }).fill(question);
  await page.getByLabel("Options", { exact: true }).fill(options.join("\n"));
  await page.getByRole("button", { name: "Create poll" }).click();
  await card(page, question).getByText("Poll open").waitFor();
}

/** Every visible control is at least 44×44 CSS px (checkbox and radio rows count with their label). */
async function expectTouchTargets(page, screenName) {
  const small = await page.evaluate(() => {
    const out = [];
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    const controls = document.querySelectorAll('button, [role="tab"], summary, select, textarea, input:not([type="checkbox"]):not([type="radio"]), a[href]');
    for (const el of controls) {
      if (!visible(el) || el.classList.contains("skip")) continue;
      const r = el.getBoundingClientRect();
      if (r.height < 44 || r.width < 44) out.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    for (const row of document.querySelectorAll(".check")) {
      if (visible(row) && row.getBoundingClientRect().height < 44) out.push(`check "${row.textContent.trim().slice(0, 30)}" ${Math.round(row.getBoundingClientRect().height)} high`);
    }
    return out;
  });
  assert.deepEqual(small, [], `touch targets under 44 px on ${screenName}`);
}

describe("web client on a phone", () => {
  test("first load on Regular 2G: at most 45 KB, compressed, no voice code; the join form is accessible", T, async (t) => {
    const { page, cdp, network, close } = await phone(chromium.browser);
    try {
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await network(regular2G);
      const requests = new Map();
      const header = (headers, name) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
      cdp.on("Network.responseReceived", (e) => requests.set(e.requestId, { url: e.response.url, encoding: header(e.response.headers, "content-encoding"), bytes: 0 }));
      cdp.on("Network.loadingFinished", (e) => requests.has(e.requestId) && (requests.get(e.requestId).bytes = e.encodedDataLength));
      await page.goto(hub.url);
      await page.getByRole("form", { name: "Join a meeting" }).getByLabel("Your name").waitFor();
      // The meeting chunk is fetched behind the form: wait until it has arrived, then count everything.
      await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => /\/meeting-[A-Z0-9]+\.js$/.test(e.name) && e.responseEnd > 0), null, { timeout: 30_000 });
      await page.waitForLoadState("networkidle");
      const list = [...requests.values()];
      const total = list.reduce((sum, r) => sum + r.bytes, 0);
      t.diagnostic(`first load transferred ${total} bytes in ${list.length} responses`);
      assert.ok(total <= 45_000, `first load transferred ${total} bytes: ${list.map((r) => `${new URL(r.url).pathname} ${r.bytes}`).join(", ")}`);
      assert.equal(list.filter((r) => /engine-|voice-worklet-/.test(r.url)).length, 0, "no voice code on the first load");
      for (const r of list.filter((r) => /\.(js|css)$|\/$/.test(new URL(r.url).pathname))) assert.equal(r.encoding, "br", `${r.url} is sent as brotli`);
      await screenshot(page, "phone-landing", { fullPage: false });
      await expectNoAxeViolations(page, "the landing page");
      await expectTouchTargets(page, "the landing page");
    } finally {
      await close();
    }
  });

  test("a ticked choice survives other people's votes: the card is updated in place, and Vote sends it", T, async () => {
    const { moderator, ana, meeting, close } = await phoneMeeting();
    const kofi = await phone(chromium.browser);
    try {
      await joinByLink(kofi.page, meeting.link, "Kofi");
      await recordAnnouncements(ana.page);
      await createPoll(moderator.page, "Which priority first?", ["Water", "Roads", "School"]);

      // Ana is on the chat tab: the opened poll is surfaced, badged and announced.
      await ana.page.getByText("New poll: Which priority first?").waitFor();
      await ana.page.getByRole("tab", { name: "Polls, 1 open" }).waitFor();
      await said(ana.page, "A poll opened: Which priority first?");
      await screenshot(ana.page, "phone-poll-surfaced", { fullPage: false });
      await ana.page.getByRole("button", { name: "Vote now" }).click();
      const roads = card(ana.page, "Which priority first?").getByLabel("Roads");
      await roads.check();
      await roads.evaluate((input) => (input.dataset.marker = "ticked before the tally moved"));

      await tab(kofi.page, "Polls").click();
      await card(kofi.page, "Which priority first?").getByLabel("Water").check();
      await card(kofi.page, "Which priority first?").getByRole("button", { name: "Vote" }).click();
      await card(ana.page, "Which priority first?").getByRole("list", { name: "Results: 1 voter" }).waitFor();
      assert.ok(await roads.isChecked(), "Ana's unsent choice is still ticked");
      assert.equal(await roads.getAttribute("data-marker"), "ticked before the tally moved", "the same input, not a redrawn one");

      await card(ana.page, "Which priority first?").getByRole("button", { name: "Vote" }).click();
      await card(moderator.page, "Which priority first?").getByRole("list", { name: "Results: 2 voters" }).waitFor();
      await card(ana.page, "Which priority first?").getByRole("button", { name: "Change vote" }).waitFor();
      assert.equal(await ana.page.getByText("Choose an option first.").count(), 0);
      await ana.page.getByRole("tab", { name: "Polls" }).filter({ hasNotText: "open" }).waitFor();
      await screenshot(ana.page, "phone-polls", { fullPage: false });
      await expectNoAxeViolations(ana.page, "the polls tab");
      await expectTouchTargets(ana.page, "the polls tab");
    } finally {
      await kofi.close();
      await close();
    }
  });

  test("14 messages typed at once are all delivered once, in order, through the rate limit", T, async () => {
    const { moderator, ana, close } = await phoneMeeting();
    try {
      const texts = Array.from({ length: 14 }, (_, i) => `message ${i + 1} of 14`);
      const box = ana.page.getByLabel("Message", { exact: true });
      for (const text of texts) {
        await box.fill(text);
        await box.press("Enter");
      }
      await chatLog(moderator.page).getByText("message 14 of 14", { exact: true }).waitFor({ timeout: 30_000 });
      await chatLog(ana.page).getByText("message 14 of 14", { exact: true }).waitFor({ timeout: 30_000 });
      for (const page of [moderator.page, ana.page]) assert.deepEqual(await chatLog(page).locator("li .text").allTextContents(), texts);
      assert.equal(await ana.page.getByText(/Message not sent/).count(), 0);
      assert.equal(await ana.page.getByRole("list", { name: "Messages being sent" }).locator("li").count(), 0);
      assert.equal(await ana.page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.endsWith(":outbox")).length), 0, "the stored outbox is empty");
    } finally {
      await close();
    }
  });

  test("a reload in the middle of sending on 2G delivers every message exactly once", T, async () => {
    const { moderator, ana, close } = await phoneMeeting({ throttle: true });
    try {
      const texts = Array.from({ length: 6 }, (_, i) => `sent before the reload ${i + 1}`);
      await ana.page.evaluate((all) => {
        const box = document.querySelector("textarea[name=message]");
        for (const text of all) {
          box.value = text;
          box.form.requestSubmit();
        }
      }, texts);
      const stored = await ana.page.evaluate(() => JSON.parse(Object.entries(sessionStorage).find(([k]) => k.endsWith(":outbox"))?.[1] ?? "[]").length);
      assert.ok(stored >= 5, `${stored} messages were waiting in storage when the page reloaded`);
      await ana.page.reload();
      await connection(ana.page).filter({ hasText: /^Connected/ }).waitFor({ timeout: 30_000 });
      await chatLog(moderator.page).getByText(texts.at(-1), { exact: true }).waitFor({ timeout: 30_000 });
      await chatLog(ana.page).getByText(texts.at(-1), { exact: true }).waitFor({ timeout: 30_000 });
      for (const page of [moderator.page, ana.page]) assert.deepEqual(await chatLog(page).locator("li .text").allTextContents(), texts);
    } finally {
      await close();
    }
  });

  test("offline on 2G: the indicator says nothing has arrived within 25 s, messages show their wait, then it reconnects at once and catches up", T, async (t) => {
    const { moderator, ana, close } = await phoneMeeting({ throttle: true });
    const { network } = ana;
    try {
      await sendChat(moderator.page, "before the tunnel");
      await chatLog(ana.page).getByText("before the tunnel").waitFor();
      const wentOffline = Date.now();
      await network({ ...regular2G, offline: true });
      await sendChat(ana.page, "typed in the tunnel");
      await sendChat(moderator.page, "said while Ana was away");
      await connection(ana.page).filter({ hasText: /No data for \d+ s|Offline/ }).waitFor({ timeout: 25_000 });
      const staleAfter = Date.now() - wentOffline;
      assert.ok(staleAfter <= 25_000, `stale shown after ${staleAfter} ms`);
      assert.equal(await connection(ana.page).filter({ hasText: /^Connected/ }).count(), 0, "never 'Connected' on a stopped link");
      await ana.page.getByRole("list", { name: "Messages being sent" }).getByText(/Waiting \d+ s/).waitFor({ timeout: 10_000 });
      await screenshot(ana.page, "phone-offline", { fullPage: false });
      await expectNoAxeViolations(ana.page, "the meeting while offline");

      const back = Date.now();
      await network(regular2G);
      await connection(ana.page).filter({ hasText: /^Connected/ }).waitFor({ timeout: 20_000 });
      await chatLog(ana.page).getByText("said while Ana was away").waitFor({ timeout: 15_000 });
      await chatLog(moderator.page).getByText("typed in the tunnel").waitFor({ timeout: 15_000 });
      const recovered = Date.now() - back;
      t.diagnostic(`stale shown ${staleAfter} ms after going offline; connected and caught up ${recovered} ms after the network returned`);
      assert.ok(recovered < 20_000);
      // Ana's message waited in her outbox, so it was stored after the moderator's.
      assert.deepEqual(await chatLog(moderator.page).locator("li .text").allTextContents(), ["before the tunnel", "said while Ana was away", "typed in the tunnel"]);
      assert.deepEqual(await chatLog(ana.page).locator("li .text").allTextContents(), ["before the tunnel", "said while Ana was away", "typed in the tunnel"]);
    } finally {
      await close();
    }
  });

  test("the moderator link is shown once with 'save this' and restores the role in a new tab", T, async () => {
    const moderator = await phone(chromium.browser);
    const later = await phone(chromium.browser);
    try {
      await createMeetingAsModerator(moderator.page, hub.url, { title: "Budget night" });
      const linkBox = moderator.page.getByRole("textbox", { name: "Moderator link" });
      await moderator.page.getByText(/Save this link now/).waitFor();
      await screenshot(moderator.page, "phone-moderator-link", { fullPage: false });
      await expectNoAxeViolations(moderator.page, "the meeting with the moderator link");
      await expectTouchTargets(moderator.page, "the meeting with the moderator link");
      const link = await linkBox.inputValue();
      assert.match(link, /\?meeting=[a-z0-9]{12}#moderator=[A-Za-z0-9_-]{43}$/);
      await moderator.page.getByRole("button", { name: "I saved it" }).click();
      await linkBox.waitFor({ state: "detached" });
      await moderator.page.reload();
      await connection(moderator.page).filter({ hasText: /^Connected/ }).waitFor();
      assert.equal(await linkBox.count(), 0, "shown once: not again after a reload");

      // Another tab (or device): the link brings the moderator back as moderator.
      await later.page.goto(link);
      assert.ok(!later.page.url().includes("moderator="), "the key leaves the address bar at once");
      await expectNoAxeViolations(later.page, "the moderator's rejoin form");
      await later.page.getByLabel("Your name").fill("Lea");
      await later.page.getByRole("button", { name: "Rejoin as moderator" }).click();
      await connection(later.page).filter({ hasText: /^Connected/ }).waitFor();
      await later.page.getByText("Moderator tools").click();
      await later.page.getByRole("button", { name: "End meeting" }).waitFor();
    } finally {
      await later.close();
      await moderator.close();
    }
  });

  test("Arabic and Hebrew messages render right to left (dir=auto on every message)", T, async () => {
    const { moderator, ana, close } = await phoneMeeting();
    try {
      await sendChat(ana.page, "مرحبا بالجميع، هل نبدأ؟");
      await sendChat(ana.page, "שלום לכולם");
      await sendChat(ana.page, "Hello everyone");
      await chatLog(moderator.page).getByText("Hello everyone").waitFor();
      const directions = await chatLog(moderator.page).locator("li .text").evaluateAll((ps) => ps.map((p) => [p.getAttribute("dir"), getComputedStyle(p).direction]));
      assert.deepEqual(directions, [["auto", "rtl"], ["auto", "rtl"], ["auto", "ltr"]]);
      await screenshot(moderator.page, "phone-chat-rtl", { fullPage: false });
    } finally {
      await close();
    }
  });

  test("ending disables the moderator's End buttons; leaving says so on the landing page", T, async () => {
    const { moderator, ana, meeting, close } = await phoneMeeting();
    const kofi = await phone(chromium.browser);
    try {
      await joinByLink(kofi.page, meeting.link, "Kofi");
      await kofi.page.getByRole("button", { name: "Leave" }).click();
      await kofi.page.getByText("You left “Water committee”. You can join again with the same link.").waitFor();
      await expectNoAxeViolations(kofi.page, "the landing page after leaving");

      await moderator.page.getByText("Moderator tools").click();
      await moderator.page.getByRole("button", { name: "End meeting" }).click();
      await moderator.page.getByRole("button", { name: "Yes, end it for everyone" }).click();
      await moderator.page.getByText("This meeting has ended. Exports still work.").waitFor();
      assert.ok(await moderator.page.getByRole("button", { name: "End meeting" }).isDisabled());
      assert.equal(await moderator.page.getByRole("button", { name: "Yes, end it for everyone" }).count(), 0);
      assert.ok(await moderator.page.getByRole("button", { name: "Chat (CSV)" }).isEnabled(), "exports still work");
      await connection(moderator.page).filter({ hasText: "Meeting ended" }).waitFor();
      await ana.page.getByText("The moderator ended this meeting.").waitFor();
      await connection(ana.page).filter({ hasText: "Meeting ended" }).waitFor();
      await screenshot(ana.page, "phone-ended", { fullPage: false });
      await expectNoAxeViolations(ana.page, "the ended meeting");
      await ana.page.getByRole("button", { name: "Back to start" }).click();
      await ana.page.getByText("You left “Water committee”.", { exact: false }).waitFor();
    } finally {
      await kofi.close();
      await close();
    }
  });

  test("Q&A on phones: ask, upvote once and withdraw, top or newest, the moderator highlights, answers, hides and allows anonymity; a column on desktop", T, async () => {
    const { moderator, ana, meeting, close } = await phoneMeeting();
    const kofi = await phone(chromium.browser);
    try {
      await joinByLink(kofi.page, meeting.link, "Kofi");
      const question = (page, text) => page.locator("li.question", { hasText: text });
      const upvote = (page, text) => question(page, text).getByRole("button", { name: /^Upvote/ });
      const ask = async (page, text) => {
        await tab(page, "Q&A").click();
        await page.getByLabel("Ask something").fill(text);
        await page.getByRole("button", { name: "Ask", exact: true }).click();
        await question(page, text).waitFor();
      };
      await recordAnnouncements(ana.page);
      await ask(ana.page, "Where does the water money go?");
      await ask(kofi.page, "When is the next meeting?");
      assert.equal(await ana.page.getByLabel("Ask anonymously", { exact: true }).isVisible(), false, "no anonymous option until the moderator allows it");

      // Kofi and the moderator upvote Ana's question; Ana sees both votes. Kofi presses twice: the second press withdraws.
      await tab(moderator.page, "Q&A").click();
      await upvote(moderator.page, "water money").click();
      await upvote(kofi.page, "water money").click();
      await question(ana.page, "water money").getByText("2 votes").waitFor();
      await question(kofi.page, "water money").locator('button[aria-pressed="true"]').waitFor();
      await upvote(kofi.page, "water money").click();
      await question(ana.page, "water money").getByText("1 vote", { exact: false }).waitFor();
      await upvote(kofi.page, "water money").click();
      await question(ana.page, "water money").getByText("2 votes").waitFor();

      // Top first (by votes), or newest first.
      assert.match(await ana.page.locator("li.question").first().innerText(), /water money/);
      await ana.page.getByRole("button", { name: "Newest" }).click();
      assert.match(await ana.page.locator("li.question").first().innerText(), /next meeting/);
      await ana.page.getByRole("button", { name: "Top" }).click();

      // The moderator highlights it (announced to Ana), then marks it answered; hides Kofi's, which leaves everyone else's list.
      await question(moderator.page, "water money").getByRole("button", { name: "Answer now" }).click();
      await said(ana.page, "Now being answered: Where does the water money go?");
      await question(ana.page, "water money").getByText("being answered").waitFor();
      await expectNoAxeViolations(moderator.page, "the moderator's Q&A tab");
      await expectTouchTargets(moderator.page, "the moderator's Q&A tab");
      await screenshot(moderator.page, "phone-qa-moderator", { fullPage: false });
      await question(moderator.page, "water money").getByRole("button", { name: "Mark answered" }).click();
      await question(kofi.page, "water money").getByText("answered").waitFor();
      assert.equal(await upvote(ana.page, "water money").isDisabled(), true, "an answered question takes no new upvotes");
      await question(moderator.page, "next meeting").getByRole("button", { name: "Hide" }).click();
      await question(kofi.page, "next meeting").waitFor({ state: "detached" });
      await question(ana.page, "next meeting").waitFor({ state: "detached" });
      await question(moderator.page, "next meeting").getByText("hidden").waitFor();

      // Anonymous questions once allowed: Ana's names nobody, on the moderator's screen too.
      await moderator.page.getByLabel("Let people ask anonymously").check();
      await ana.page.getByLabel("Ask anonymously", { exact: true }).check();
      await ana.page.getByLabel("Ask something").fill("Who decides the budget?");
      await ana.page.getByRole("button", { name: "Ask", exact: true }).click();
      await question(moderator.page, "Who decides").getByText("Anonymous").waitFor();
      await expectNoAxeViolations(ana.page, "the Q&A tab");
      await expectTouchTargets(ana.page, "the Q&A tab");
      await screenshot(ana.page, "phone-qa", { fullPage: false });

      // On a desktop the questions are a column beside the chat.
      await moderator.page.setViewportSize({ width: 1280, height: 800 });
      await moderator.page.locator(".bar").waitFor({ state: "hidden" });
      const chat = await moderator.page.locator("#panel-chat").boundingBox();
      const polls = await moderator.page.locator("#panel-polls").boundingBox();
      const qa = await moderator.page.locator("#panel-qa").boundingBox();
      assert.ok(chat.x < qa.x && Math.abs(qa.x - polls.x) < 5 && qa.y > polls.y, "the questions stand beside the chat, under the polls");
      await expectNoAxeViolations(moderator.page, "the desktop meeting with Q&A");
      await screenshot(moderator.page, "desktop-qa");
    } finally {
      await kofi.close();
      await close();
    }
  });

  test("discussion rooms on phones: the moderator opens a room, two participants move in and chat there unseen by the main room, closing it brings both back", T, async () => {
    const { moderator, ana, meeting, close } = await phoneMeeting();
    const kofi = await phone(chromium.browser);
    try {
      await joinByLink(kofi.page, meeting.link, "Kofi");
      const rooms = (page) => page.getByRole("list", { name: "Discussion rooms" });
      const banner = (page) => page.locator(".room-banner");

      // The moderator lets people move freely and opens a room (People section, "Create rooms").
      await tab(moderator.page, "People").click();
      await moderator.page.getByText("Create rooms", { exact: true }).click();
      await moderator.page.getByLabel("Let participants open rooms and move freely").check();
      await moderator.page.getByLabel("Room names, one per line").fill("Budget");
      await moderator.page.getByLabel("Share out the people present among the rooms").uncheck();
      await moderator.page.getByRole("button", { name: "Create", exact: true }).click();
      await rooms(moderator.page).getByText("Budget").waitFor();

      // Ana and Kofi go in; their chat is the room's, with the header saying where they are.
      for (const person of [ana, kofi]) {
        await tab(person.page, "People").click();
        await rooms(person.page).getByRole("button", { name: "Join: Budget" }).click();
        await rooms(person.page).getByRole("button", { name: "You are here: Budget" }).waitFor();
      }
      await rooms(moderator.page).getByText("Ana, Kofi").waitFor();
      // On a desktop the rooms stand in the people column, the moderator's tools with them.
      await moderator.page.setViewportSize({ width: 1280, height: 800 });
      await moderator.page.locator(".bar").waitFor({ state: "hidden" });
      await rooms(moderator.page).getByRole("button", { name: "Close room: Budget" }).waitFor();
      await expectNoAxeViolations(moderator.page, "the desktop meeting with the rooms");
      await moderator.page.setViewportSize({ width: 360, height: 740 });
      await expectNoAxeViolations(ana.page, "the People section with the rooms, in a room");
      await expectTouchTargets(ana.page, "the People section with the rooms, in a room");
      await screenshot(ana.page, "phone-rooms", { fullPage: false });
      await tab(ana.page, "Chat").click();
      await banner(ana.page).getByText("You are in room Budget").waitFor();
      await sendChat(ana.page, "Only for the budget room");
      await tab(kofi.page, "Chat").click();
      await chatLog(kofi.page).getByText("Only for the budget room").waitFor();
      await tab(moderator.page, "Chat").click();
      await sendChat(moderator.page, "Main room notice");
      await chatLog(moderator.page).getByText("Main room notice").waitFor();
      await expectNoAxeViolations(kofi.page, "the room's chat with its header");
      assert.equal(await chatLog(moderator.page).getByText("Only for the budget room").count(), 0, "the main room does not see the room's chat");
      assert.equal(await chatLog(kofi.page).getByText("Main room notice").count(), 0, "the room does not see the main room's chat");

      // The moderator closes the room: both are back in the main room, live, with its chat.
      await tab(moderator.page, "People").click();
      await rooms(moderator.page).getByRole("button", { name: "Close room: Budget" }).click();
      for (const person of [ana, kofi]) {
        await chatLog(person.page).getByText("Main room notice").waitFor();
        await banner(person.page).waitFor({ state: "hidden" });
        assert.equal(await chatLog(person.page).getByText("Only for the budget room").count(), 0, "back in the main room's chat");
      }
      await rooms(moderator.page).getByText("Budget").waitFor({ state: "detached" });
      await expectNoAxeViolations(ana.page, "the main room's chat after the room closed");
    } finally {
      await kofi.close();
      await close();
    }
  });

  test("moderator tools on phones: a deleted message goes for everyone, live and after a reload; lower all hands; mute all", T, async () => {
    const { moderator, ana, close } = await phoneMeeting();
    try {
      await sendChat(ana.page, "keep this");
      await sendChat(ana.page, "something abusive");
      await chatLog(moderator.page).getByText("something abusive").waitFor();
      await chatLog(moderator.page).getByRole("button", { name: /^Delete: Ana, something abusive/ }).click();
      await chatLog(ana.page).getByText("Message deleted by a moderator").waitFor();
      assert.equal(await chatLog(ana.page).getByText("something abusive").count(), 0, "the text is gone for Ana");
      assert.equal(await chatLog(ana.page).getByRole("button", { name: /^Delete/ }).count(), 0, "participants cannot delete");
      await ana.page.reload();
      await connection(ana.page).filter({ hasText: "Connected" }).waitFor({ timeout: 15_000 });
      await chatLog(ana.page).getByText("Message deleted by a moderator").waitFor();
      await chatLog(ana.page).getByText("keep this").waitFor();
      assert.equal(await chatLog(ana.page).getByText("something abusive").count(), 0, "and gone from the history");

      await tab(ana.page, "People").click();
      await ana.page.getByRole("button", { name: "Raise hand" }).click();
      await moderator.page.getByRole("tab", { name: "People, 1 hand raised" }).waitFor();
      await tab(moderator.page, "People").click();
      await moderator.page.getByRole("button", { name: "Lower all hands" }).click();
      await ana.page.getByRole("button", { name: "Raise hand" }).waitFor();

      // The list of speakers: Ana asks to speak, the moderator gives the floor to the next; her running time shows on both phones.
      await ana.page.getByRole("button", { name: "Ask to speak" }).click();
      await ana.page.getByText("You are number 1 on the list.").waitFor();
      await moderator.page.getByRole("list", { name: "Waiting to speak" }).getByText("Ana").waitFor();
      await moderator.page.getByRole("button", { name: "Next speaker" }).click();
      await ana.page.getByText(/^Now speaking: Ana, 0:0[1-9]/).waitFor();
      await moderator.page.getByText(/^Now speaking: Ana, 0:0[1-9]/).waitFor();
      await ana.page.getByRole("list", { name: "Speaking time" }).getByText(/^Ana: 0:0[1-9], 1 turn$/).waitFor();
      await expectNoAxeViolations(ana.page, "the People tab with the list of speakers");
      await screenshot(ana.page, "phone-speakers");

      // Ana renames herself; the moderator sees the new name in People and in the list of speakers.
      await ana.page.getByText("Change your name").click();
      await ana.page.getByLabel("Your name").fill("Ana Lima");
      await ana.page.getByRole("button", { name: "Save", exact: true }).click();
      await moderator.page.locator("li[data-participant] .name", { hasText: "Ana Lima" }).waitFor();
      await moderator.page.getByText(/^Now speaking: Ana Lima, /).waitFor();

      // A co-moderator: promoted, Ana gets the moderator's tools without reconnecting; demoted, they go.
      await moderator.page.getByRole("button", { name: "Make moderator: Ana Lima" }).click();
      await ana.page.getByRole("button", { name: "Lower all hands" }).waitFor();
      await moderator.page.getByRole("button", { name: "Remove as moderator: Ana Lima" }).click();
      await ana.page.getByRole("button", { name: "Lower all hands" }).waitFor({ state: "hidden" });
      await moderator.page.getByRole("button", { name: "Mute all" }).click();
      await moderator.page.locator("li[data-participant]", { hasText: "Ana" }).getByText("muted", { exact: false }).waitFor();
      await expectNoAxeViolations(moderator.page, "the moderator's People tab with the tools for everyone");
      await expectTouchTargets(moderator.page, "the moderator's People tab with the tools for everyone");
    } finally {
      await close();
    }
  });

  test("phone layout: bottom bar with badges, talk one tap away on every tab, 44 px targets, announcements; desktop keeps columns", T, async () => {
    const { moderator, ana, close } = await phoneMeeting();
    try {
      await recordAnnouncements(moderator.page);
      const viewport = ana.page.viewportSize();
      const inView = async (locator) => {
        const box = await locator.boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= viewport.height && box.x >= 0 && box.x + box.width <= viewport.width;
      };
      assert.ok(await inView(ana.page.getByLabel("Message", { exact: true })), "the message box is on the first screen");
      for (const name of ["Chat", "Polls", "Q&A", "People", "Voice"]) {
        await tab(ana.page, name).click();
        assert.equal(await tab(ana.page, name).getAttribute("aria-selected"), "true");
        assert.ok(await inView(ana.page.locator(".bar").getByRole("button", { name: "Hold to talk" })), `talk is one tap away on ${name}`);
        const overflow = await ana.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow} px`);
        await expectTouchTargets(ana.page, `the ${name} tab`);
        await expectNoAxeViolations(ana.page, `the ${name} tab`);
        await screenshot(ana.page, `phone-${name.toLowerCase()}`, { fullPage: false });
      }
      // Ana is on Voice: chat arriving there is counted on the Chat tab.
      await sendChat(moderator.page, "one");
      await sendChat(moderator.page, "two");
      await ana.page.getByRole("tab", { name: "Chat, 2 unread" }).waitFor();
      await tab(ana.page, "Chat").click();
      await ana.page.getByRole("tab", { name: "Chat", exact: true }).waitFor();

      // A raised hand reaches the moderator's screen reader and the People badge.
      await tab(ana.page, "People").click();
      await ana.page.getByRole("button", { name: "Raise hand" }).click();
      await said(moderator.page, "Ana raised a hand.");
      await moderator.page.getByRole("tab", { name: "People, 1 hand raised" }).waitFor();
      await tab(moderator.page, "People").click();
      await expectNoAxeViolations(moderator.page, "the moderator's People tab");
      await expectTouchTargets(moderator.page, "the moderator's People tab");
      await moderator.page.getByText("Moderator tools").click();
      await expectNoAxeViolations(moderator.page, "the moderator tools");
      await expectTouchTargets(moderator.page, "the moderator tools");
      await screenshot(moderator.page, "phone-moderator-people", { fullPage: false });

      // Desktop: the same meeting in columns, no bar.
      await ana.page.setViewportSize({ width: 1280, height: 800 });
      await ana.page.locator(".bar").waitFor({ state: "hidden" });
      const chat = await ana.page.locator("#panel-chat").boundingBox();
      const polls = await ana.page.locator("#panel-polls").boundingBox();
      const people = await ana.page.locator("#panel-people").boundingBox();
      assert.ok(people.x < chat.x && chat.x < polls.x, "people, chat and polls stand side by side");
      assert.ok(Math.abs(chat.y - polls.y) < 5, "at the same height");
      await expectNoAxeViolations(ana.page, "the desktop layout");
      await screenshot(ana.page, "desktop-meeting");
    } finally {
      await close();
    }
  });

  test("lobby, lock and removal on phones: the moderator admits a waiter, removes a participant who is told, a locked meeting refuses a new join", T, async () => {
    const { moderator, ana, meeting, close } = await phoneMeeting({ title: "Public consultation" });
    const ben = await phone(chromium.browser);
    const cy = await phone(chromium.browser);
    const m = moderator.page;
    try {
      await tab(m, "People").click();
      await m.getByLabel(/^Lobby:/).check();
      await m.getByText("No one is waiting.").waitFor();

      // Ben enters the code: he waits, sees nothing of the meeting, and the moderator is told.
      await recordAnnouncements(m);
      await sendChat(ana.page, "said before Ben was admitted");
      await ben.page.goto(meeting.link);
      await ben.page.getByRole("form", { name: "Join a meeting" }).getByLabel("Your name").fill("Ben");
      await ben.page.getByRole("button", { name: "Join meeting" }).click();
      await ben.page.getByRole("heading", { name: "Waiting for a moderator to admit you" }).waitFor();
      assert.equal(await ben.page.getByRole("log", { name: "Chat messages" }).isVisible(), false, "no chat while waiting");
      assert.equal(await ben.page.getByRole("tablist").isVisible(), false, "no meeting sections while waiting");
      await screenshot(ben.page, "phone-lobby-waiting", { fullPage: false });
      await expectNoAxeViolations(ben.page, "the waiting screen");
      await said(m, "Ben is waiting in the lobby.");
      await tab(m, "Chat").click();
      await tab(m, "People, 1 person waiting").waitFor();
      await tab(m, "People").click();
      const waiting = m.getByRole("list", { name: "People waiting" });
      await waiting.getByText("Ben").waitFor();
      await screenshot(m, "phone-lobby-moderator", { fullPage: false });
      await expectNoAxeViolations(m, "the moderator's lobby");
      await expectTouchTargets(m, "the moderator's lobby");

      await waiting.getByRole("button", { name: "Admit: Ben" }).click();
      await connection(ben.page).filter({ hasText: "Connected" }).waitFor();
      await chatLog(ben.page).getByText("said before Ben was admitted").waitFor();
      await m.getByRole("list", { name: "Participants" }).getByText("Ben").waitFor();
      assert.equal(await waiting.getByRole("listitem").count(), 0);

      // Removing Ana: a confirmation first, then she is told plainly and is gone from the list.
      await m.getByRole("button", { name: "Remove: Ana" }).click();
      await m.getByRole("group", { name: /^Remove Ana from the meeting\?/ }).getByRole("button", { name: "Yes, remove" }).click();
      await ana.page.getByRole("alert").filter({ hasText: "You were removed from this meeting by a moderator." }).waitFor();
      await m.getByRole("list", { name: "Participants" }).getByText("Ana").waitFor({ state: "detached" });
      await screenshot(ana.page, "phone-removed", { fullPage: false });
      await expectNoAxeViolations(ana.page, "the removed participant's screen");
      // Her link no longer rejoins her; with the code she can only ask again, in the lobby.
      await ana.page.reload();
      await ana.page.getByRole("button", { name: "Join meeting" }).click();
      await ana.page.getByRole("heading", { name: "Waiting for a moderator to admit you" }).waitFor();

      // Locked: a new join by code is refused with a clear message.
      await m.getByLabel(/^Lock the meeting/).check();
      await cy.page.goto(meeting.link);
      await cy.page.getByRole("form", { name: "Join a meeting" }).getByLabel("Your name").fill("Cy");
      await cy.page.getByRole("button", { name: "Join meeting" }).click();
      await cy.page.getByRole("alert").filter({ hasText: "This meeting is locked" }).waitFor();

      // Unlocked, with the lobby still on: Cy waits too, and both are denied at once.
      await m.getByLabel(/^Lock the meeting/).uncheck();
      await cy.page.getByRole("button", { name: "Join meeting" }).click();
      await cy.page.getByRole("heading", { name: "Waiting for a moderator to admit you" }).waitFor();
      await waiting.getByText("Cy").waitFor();
      await m.getByRole("button", { name: "Deny all" }).click();
      for (const page of [cy.page, ana.page]) await page.getByRole("alert").filter({ hasText: "A moderator did not let you into this meeting." }).waitFor();
    } finally {
      await cy.close();
      await ben.close();
      await close();
    }
  });
});

describe("hub restart", () => {
  let port;
  let restartable;

  before(async () => {
    port = await new Promise((resolve, reject) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port: p } = server.address();
        server.close(() => resolve(p));
      }).on("error", reject);
    });
    restartable = await startHub([], { port });
  });

  after(async () => restartable?.stop());

  test("after an in-memory hub restart the meeting is reported gone (never green), typed text is kept, and a new meeting can start", T, async () => {
    const moderator = await phone(chromium.browser);
    const ana = await phone(chromium.browser);
    try {
      const meeting = await createMeetingAsModerator(moderator.page, restartable.url, { title: "Night shift" });
      await joinByLink(ana.page, meeting.link, "Ana");
      // Recorded from when the old process has exited: while it shuts down (1–2 s) it still accepts a reconnect and
      // a rejoin, which is rightly shown as connected.
      await restartable.stop();
      await ana.page.evaluate(() => {
        window.__states = [];
        const status = document.querySelector('[aria-label="Connection"]');
        new MutationObserver(() => window.__states.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
      });
      await sendChat(ana.page, "typed while the hub was down");
      restartable = await startHub([], { port });
      await ana.page.getByRole("button", { name: "Retry now" }).click({ timeout: 5_000 }).catch(() => undefined);
      await ana.page.getByRole("alert").filter({ hasText: "This meeting no longer exists on the server" }).waitFor({ timeout: 40_000 });
      await connection(ana.page).filter({ hasText: "Meeting not found" }).waitFor();
      assert.equal(await connection(ana.page).getAttribute("data-state"), "gone");
      const states = await ana.page.evaluate(() => window.__states);
      assert.ok(!states.some((s) => s.startsWith("Connected")), `never shown as connected after the restart: ${states.join(" | ")}`);
      await ana.page.getByRole("list", { name: "Messages being sent" }).getByText("typed while the hub was down").waitFor();
      await screenshot(ana.page, "phone-meeting-gone", { fullPage: false });
      await expectNoAxeViolations(ana.page, "the meeting that is gone");
      await ana.page.getByRole("button", { name: "Start a new meeting" }).click();
      await ana.page.getByRole("form", { name: "Start a meeting" }).waitFor();
    } finally {
      await ana.close();
      await moderator.close();
    }
  });
});
