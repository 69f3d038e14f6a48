// The web client in real headless Chromium against a real hub process on a loopback socket:
// a moderator and a participant in two browser contexts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { get } from "node:http";
import { after, before, describe, test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { chatLog, createMeetingAsModerator, joinByLink, launchBrowser, repoRoot, screenshot, sendChat, startHub } from "./harness.mjs";

const hubHasMeetingSettings = readFileSync(join(repoRoot, "hub", "src", "Collab.Conferencing", "Meetings", "Meetings.cs"), "utf8").includes("ChatEnabled");

const T = { timeout: 60_000 };

/** One GET with node:http (bytes as sent), bounded by a timeout. */
function rawGet(url, headers) {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers, timeout: 10_000 }, (response) => {
      const chunks = [];
      response.on("data", (c) => chunks.push(c));
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on("error", reject);
  });
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

/** A moderator's page and a participant's page, each in its own browser context (own storage, own connection). */
async function meetingPair(options = {}) {
  const moderatorContext = await chromium.browser.newContext({ viewport: options.moderatorViewport ?? { width: 1200, height: 900 } });
  const participantContext = await chromium.browser.newContext({ viewport: options.participantViewport ?? { width: 1200, height: 900 } });
  const moderator = await moderatorContext.newPage();
  const participant = await participantContext.newPage();
  for (const page of [moderator, participant]) page.setDefaultTimeout(15_000);
  if (options.beforeJoin) await options.beforeJoin(participantContext, participant);
  const meeting = await createMeetingAsModerator(moderator, hub.url, { title: options.title ?? "Water committee", chat: options.chat });
  await joinByLink(participant, meeting.link, "Ana");
  return {
    moderator, participant, meeting,
    async close() {
      await moderatorContext.close();
      await participantContext.close();
    },
  };
}

describe("web client", () => {
  test("the hub serves the page at / (revalidated) and its hashed assets (cached for good), brotli or gzip as asked", T, async () => {
    const page = await fetch(`${hub.url}/`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("cache-control"), "no-cache");
    const html = await page.text();
    const script = /src="(app\/app-[A-Z0-9]{8}\.js)"/.exec(html)?.[1];
    assert.ok(script, "the page loads a script named by its content hash");
    const local = readFileSync(join(repoRoot, "hub", "src", "Collab.Hub", "wwwroot", script));
    for (const [accept, encoding, decode] of [["br", "br", brotliDecompressSync], ["gzip", "gzip", gunzipSync], ["identity", null, (b) => b]]) {
      // node:http, not fetch: fetch would decode the body and hide the bytes on the wire.
      const asset = await rawGet(`${hub.url}/${script}`, { "accept-encoding": accept });
      assert.equal(asset.status, 200);
      assert.match(asset.headers["content-type"] ?? "", /javascript/);
      assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
      assert.equal(asset.headers["content-encoding"], encoding ?? undefined, `Accept-Encoding: ${accept}`);
      assert.equal(asset.headers.vary, "Accept-Encoding");
      assert.ok(decode(asset.body).equals(local), `the ${accept} body is the bundle`);
      if (encoding) assert.ok(asset.body.length < local.length / 1.5, `${encoding} is compressed (${asset.body.length} of ${local.length} bytes)`);
    }
  });

  test("a chat message from one page appears in the other, and both see who is here", T, async () => {
    const { moderator, participant, close } = await meetingPair();
    try {
      await sendChat(participant, "Hello from the back row");
      await chatLog(moderator).getByText("Hello from the back row").waitFor();
      await sendChat(moderator, "Welcome, Ana");
      await chatLog(participant).getByText("Welcome, Ana").waitFor();

      const people = moderator.getByRole("list", { name: "Participants" });
      await people.getByText("Ana", { exact: true }).waitFor();
      await participant.getByRole("button", { name: "Raise hand" }).click();
      await people.locator("li", { hasText: "Ana" }).getByText("hand raised").waitFor();

      // Both logs hold the same messages in the same (sequence) order.
      const order = (page) => chatLog(page).locator("li .text").allTextContents();
      assert.deepEqual(await order(participant), ["Hello from the back row", "Welcome, Ana"]);
      assert.deepEqual(await order(moderator), ["Hello from the back row", "Welcome, Ana"]);
      // The quality indicator names the link: connected, a measured round trip, the transport.
      await moderator.getByRole("status", { name: "Connection" }).filter({ hasText: /^Connected · RTT \d+ ms · WebSockets/ }).waitFor();
      await screenshot(moderator, "meeting-moderator");
    } finally {
      await close();
    }
  });

  test("a participant joining later sees the chat history", T, async () => {
    const { moderator, meeting, close } = await meetingPair();
    const late = await chromium.browser.newContext();
    try {
      await sendChat(moderator, "Agenda: the new well");
      await chatLog(moderator).getByText("Agenda: the new well").waitFor();
      const page = await late.newPage();
      page.setDefaultTimeout(15_000);
      await joinByLink(page, meeting.link, "Kofi");
      await chatLog(page).getByText("Agenda: the new well").waitFor();
    } finally {
      await late.close();
      await close();
    }
  });

  test("a late joiner's meeting screen is complete after one hub invocation: Join carries the history and the floor", T, async () => {
    const { moderator, meeting, close } = await meetingPair();
    const late = await chromium.browser.newContext();
    try {
      await sendChat(moderator, "Minutes of the last meeting");
      await sendChat(moderator, "Agenda: the pump");
      await chatLog(moderator).getByText("Agenda: the pump").waitFor();
      const page = await late.newPage();
      page.setDefaultTimeout(15_000);
      // Every hub method the page invokes, read from the MessagePack frames it sends (a target is a short str: 0xa0 | length).
      const targets = [];
      const known = ["Join", "GetChatHistory", "GetChatSince", "GetFloor", "GetParticipants", "GetPolls", "SendChat", "Leave"];
      page.on("websocket", (ws) => ws.on("framesent", ({ payload }) => {
        const bytes = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
        for (const name of known) {
          const encoded = Buffer.concat([Buffer.from([0xa0 | name.length]), Buffer.from(name, "utf8")]);
          for (let at = bytes.indexOf(encoded); at >= 0; at = bytes.indexOf(encoded, at + 1)) targets.push(name);
        }
      }));
      await joinByLink(page, meeting.link, "Kofi");
      await chatLog(page).getByText("Agenda: the pump").waitFor();
      await page.getByRole("list", { name: "Participants" }).getByText("Lea", { exact: true }).waitFor();
      assert.deepEqual(await chatLog(page).locator("li .text").allTextContents(), ["Minutes of the last meeting", "Agenda: the pump"]);
      assert.deepEqual(targets, ["Join"], "the screen needs nothing but the join");
      // The sender shows its own message once (from the result; the hub no longer pushes it to the sending connection).
      await sendChat(page, "Kofi here");
      await chatLog(moderator).getByText("Kofi here").waitFor();
      await chatLog(page).getByText("Kofi here").waitFor();
      assert.equal(await chatLog(page).getByText("Kofi here").count(), 1);
      assert.equal(await chatLog(moderator).getByText("Agenda: the pump").count(), 1);
    } finally {
      await late.close();
      await close();
    }
  });

  test("the moderator's poll is voted by the participant and both see the live tally; a vote can change", T, async () => {
    const { moderator, participant, close } = await meetingPair();
    try {
      await sendChat(participant, "Ready to vote when you are");
      await chatLog(moderator).getByText("Ready to vote").waitFor();
      await moderator.getByText("New poll").click();
      await moderator.getByLabel("Question", { exact: true }).fill("Which priority first?");
      await moderator.getByLabel("Options", { exact: true }).fill("Water\nRoads\nSchool");
      await moderator.getByRole("button", { name: "Create poll" }).click();

      const card = (page) => page.getByRole("article", { name: "Which priority first?" });
      await card(participant).getByText("Poll open").waitFor();
      await card(participant).getByLabel("Roads").check();
      await card(participant).getByRole("button", { name: "Vote" }).click();

      const results = (page) => card(page).getByRole("list", { name: /^Results/ });
      const row = (page, option) => results(page).locator("li", { hasText: option }).locator(".count");
      await card(moderator).getByRole("list", { name: "Results: 1 voter" }).waitFor();
      await row(moderator, "Roads").filter({ hasText: "1 (100 %)" }).waitFor();
      await row(participant, "Roads").filter({ hasText: "1 (100 %)" }).waitFor();
      await screenshot(participant, "poll-participant");

      // Changing the vote moves the ballot; still one voter.
      await card(participant).getByLabel("Water").check();
      await card(participant).getByRole("button", { name: "Change vote" }).click();
      await row(moderator, "Water").filter({ hasText: "1 (100 %)" }).waitFor();
      await row(moderator, "Roads").filter({ hasText: "0 (0 %)" }).waitFor();
      await card(moderator).getByRole("list", { name: "Results: 1 voter" }).waitFor();
      await screenshot(moderator, "poll-moderator");

      await card(moderator).getByRole("button", { name: "Close poll" }).click();
      await card(participant).getByText("final results").waitFor();
      assert.equal(await card(participant).getByRole("button", { name: /vote/i }).count(), 0, "a closed poll offers no ballot");
      assert.equal(await row(participant, "Water").textContent(), "1 (100 %)");
    } finally {
      await close();
    }
  });

  test("a chat message containing HTML shows as literal text", T, async () => {
    const { moderator, participant, close } = await meetingPair();
    try {
      const hostile = `<img src=x onerror="window.__pwned=1"><b>bold</b> & <script>window.__pwned=2</script>`;
      await sendChat(participant, hostile);
      const item = chatLog(moderator).locator("li", { hasText: "<b>bold</b>" });
      await item.waitFor();
      assert.equal(await item.locator(".text").textContent(), hostile);
      assert.equal(await chatLog(moderator).locator("img, b, script").count(), 0, "no element was made from the message");
      assert.equal(await moderator.evaluate(() => window.__pwned), undefined);
      assert.equal(await participant.evaluate(() => window.__pwned), undefined);
    } finally {
      await close();
    }
  });

  test("a dropped connection shows the reconnecting state, then rejoins and recovers the chat it missed", T, async () => {
    // The participant's WebSocket runs through Playwright's WebSocket route, so the test can cut it for real
    // (both sides close) and hold new connections off by failing negotiation until it lets them through.
    const sockets = [];
    let blocked = false;
    const { moderator, participant, close } = await meetingPair({
      beforeJoin: async (context) => {
        await context.routeWebSocket(/\/hubs\/meeting/, (ws) => {
          if (blocked) return ws.close({ code: 1011, reason: "test: link down" });
          sockets.push({ ws, server: ws.connectToServer() });
        });
        await context.route(/\/hubs\/meeting\/negotiate/, (route) => (blocked ? route.abort("connectionrefused") : route.continue()));
      },
    });
    try {
      await sendChat(moderator, "before the drop");
      await chatLog(participant).getByText("before the drop").waitFor();

      blocked = true;
      assert.ok(sockets.length >= 1, "the participant connected over a WebSocket");
      for (const { ws, server } of sockets.splice(0)) {
        server.close({ code: 1011, reason: "test: link cut" });
        ws.close({ code: 1011, reason: "test: link cut" });
      }
      const banner = participant.getByRole("alert").filter({ hasText: /Reconnecting/ });
      await banner.waitFor();
      await participant.getByRole("status", { name: "Connection" }).filter({ hasText: /Reconnecting/ }).waitFor();

      // The moderator's page sees the participant leave, then talks while the participant is away.
      await moderator.getByRole("list", { name: "Participants" }).getByText("Ana", { exact: true }).waitFor({ state: "detached" });
      await sendChat(moderator, "missed one");
      await sendChat(moderator, "missed two");
      await chatLog(moderator).getByText("missed two").waitFor();
      // A poll opened while the participant is away arrives with the rejoin's snapshot.
      await moderator.getByText("New poll").click();
      await moderator.getByLabel("Question", { exact: true }).fill("Meet again next week?");
      await moderator.getByLabel("Options", { exact: true }).fill("Yes\nNo");
      await moderator.getByRole("button", { name: "Create poll" }).click();
      await moderator.getByRole("article", { name: "Meet again next week?" }).getByText("Poll open").waitFor();
      assert.equal(await chatLog(participant).getByText("missed one").count(), 0, "nothing arrives while the link is down");
      await screenshot(participant, "reconnecting");

      blocked = false;
      // "Retry now" skips the rest of the backoff; the client may get there on its own first, which is fine too.
      await participant.getByRole("button", { name: "Retry now" }).click({ timeout: 3_000 }).catch(() => undefined);
      await participant.getByRole("status", { name: "Connection" }).filter({ hasText: "Connected" }).waitFor();
      await chatLog(participant).getByText("missed two").waitFor();
      assert.deepEqual(await chatLog(participant).locator("li .text").allTextContents(), ["before the drop", "missed one", "missed two"]);
      await participant.getByRole("article", { name: "Meet again next week?" }).getByText("Poll open").waitFor();
      assert.ok(await banner.isHidden());
      // Rejoined as the same participant (resume token): the moderator sees one Ana again, not two.
      await moderator.getByRole("list", { name: "Participants" }).getByText("Ana", { exact: true }).waitFor();
      assert.equal(await moderator.getByRole("list", { name: "Participants" }).getByText("Ana", { exact: true }).count(), 1);
      await sendChat(participant, "back again");
      await chatLog(moderator).getByText("back again").waitFor();
    } finally {
      await close();
    }
  });

  test("the moderator exports the chat as CSV and ends the meeting for everyone", T, async () => {
    const { moderator, participant, close } = await meetingPair();
    try {
      await sendChat(participant, "=SUM(A1) is not a formula here");
      await chatLog(moderator).getByText("=SUM(A1)").waitFor();
      await moderator.getByText("Moderator tools").click();
      const [download] = await Promise.all([moderator.waitForEvent("download"), moderator.getByRole("button", { name: "Chat (CSV)" }).click()]);
      const csv = await readFile(await download.path(), "utf8");
      assert.match(csv, /^sequence,sent_at_utc,participant_id,display_name,text,deleted\r\n/);
      assert.match(csv, /Ana,'=SUM\(A1\) is not a formula here/);

      await moderator.getByRole("button", { name: "End meeting" }).click();
      await moderator.getByRole("button", { name: "Yes, end it for everyone" }).click();
      await participant.getByText("The moderator ended this meeting.").waitFor();
      assert.ok(await participant.getByLabel("Message", { exact: true }).isDisabled());
    } finally {
      await close();
    }
  });

  test("a polls-only meeting (chat off) offers no composer to anyone but still runs polls", {
    ...T, skip: hubHasMeetingSettings ? false : "needs meeting settings (chatEnabled) from main",
  }, async () => {
    const { moderator, participant, close } = await meetingPair({ chat: false, title: "Budget vote" });
    try {
      for (const page of [moderator, participant]) {
        await page.getByText("Chat is turned off for this meeting.").waitFor();
        assert.equal(await page.getByLabel("Message", { exact: true }).isVisible(), false);
      }
      await moderator.getByText("New poll").click();
      await moderator.getByLabel("Question", { exact: true }).fill("Approve the budget?");
      await moderator.getByLabel("Options", { exact: true }).fill("Yes\nNo");
      await moderator.getByRole("button", { name: "Create poll" }).click();
      await participant.getByRole("article", { name: "Approve the budget?" }).getByLabel("Yes").check();
      await participant.getByRole("article", { name: "Approve the budget?" }).getByRole("button", { name: "Vote" }).click();
      await moderator.getByRole("article", { name: "Approve the budget?" }).getByRole("list", { name: "Results: 1 voter" }).waitFor();
    } finally {
      await close();
    }
  });

  test("a wrong join code is refused with the hub's reason", T, async () => {
    const { meeting, close } = await meetingPair();
    const context = await chromium.browser.newContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${hub.url}/?meeting=${meeting.meetingId}&code=ZZZZZZZZ`);
      await page.getByRole("form", { name: "Join a meeting" }).getByLabel("Your name").fill("Mallory");
      await page.getByRole("button", { name: "Join meeting" }).click();
      await page.getByRole("alert").filter({ hasText: /code/i }).waitFor();
      await page.getByRole("button", { name: "Join meeting" }).waitFor();
    } finally {
      await context.close();
      await close();
    }
  });

  test("on a 360 px wide phone the meeting fits without sideways scrolling and works by keyboard", T, async () => {
    const phone = { width: 360, height: 740 };
    const { participant, moderator, close } = await meetingPair({ participantViewport: phone, moderatorViewport: phone });
    try {
      await sendChat(moderator, "A long line with no spaces: " + "x".repeat(120));
      await chatLog(participant).getByText("A long line").waitFor();
      for (const page of [participant, moderator]) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at 360 px`);
      }
      await screenshot(moderator, "meeting-moderator-phone-360");
      // Keyboard only: focus the composer by Tab order and send with Enter.
      await participant.getByLabel("Message", { exact: true }).focus();
      await participant.keyboard.type("typed on a phone");
      await participant.keyboard.press("Enter");
      await chatLog(moderator).getByText("typed on a phone").waitFor();
      await screenshot(participant, "meeting-phone-360");
    } finally {
      await close();
    }
  });
});
