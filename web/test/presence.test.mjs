// Presence in a large meeting, in real headless Chromium: past the hub's broadcast limit (2 here, 200 by default)
// only moderators see each arrival; everyone else sees the head count and fetches the list on request.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createMeetingAsModerator, joinByLink, launchBrowser, startHub } from "./harness.mjs";

const T = { timeout: 60_000 };
let hub;
let chromium;

before(async () => {
  hub = await startHub(["--Collab:Conferencing:PresenceBroadcastLimit=2", "--Collab:Conferencing:ParticipantCountPushIntervalMilliseconds=200"]);
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await hub?.stop();
});

test("past the broadcast limit attendees see the head count and the list on request, moderators see everyone arrive", T, async () => {
  const contexts = await Promise.all([0, 1, 2].map(() => chromium.browser.newContext({ viewport: { width: 1200, height: 900 } })));
  try {
    const [moderator, ana, ben] = await Promise.all(contexts.map((c) => c.newPage()));
    for (const page of [moderator, ana, ben]) page.setDefaultTimeout(15_000);
    const meeting = await createMeetingAsModerator(moderator, hub.url);
    await joinByLink(ana, meeting.link, "Ana");
    await joinByLink(ben, meeting.link, "Ben");
    const people = (page) => page.getByRole("list", { name: "Participants" });
    const heading = (page) => page.getByRole("heading", { name: /^People/ });

    // The moderator's list is live at any size.
    await people(moderator).getByText("Ben", { exact: true }).waitFor();
    // Ana joined within the limit; Ben's arrival reaches her only as the count.
    await heading(ana).filter({ hasText: "(3 people)" }).waitFor();
    await ana.getByText(/A large meeting/).waitFor();
    assert.equal(await people(ana).getByText("Ben", { exact: true }).count(), 0);
    // Ben joined past it: no list until he asks for one.
    await heading(ben).filter({ hasText: "(3 people)" }).waitFor();
    assert.equal(await people(ben).locator("li").count(), 0);
    await ben.getByRole("button", { name: "Show list" }).click();
    await people(ben).getByText("Lea", { exact: true }).waitFor();
    assert.deepEqual((await people(ben).locator("li .name").allTextContents()).sort(), ["Ana", "Ben", "Lea"]);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
