// Noise suppression in real headless Chromium: the browser's own noiseSuppression is on by default, the voice panel's
// switch turns it off and on, and what getUserMedia's track applied (MediaStreamTrack.getSettings) follows the switch
// while the microphone keeps feeding the sender; the stronger option loads RNNoise's worklet and WebAssembly on
// demand and runs it in place of the browser's suppression.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createMeetingAsModerator, launchBrowser, speechWav, startHub } from "./harness.mjs";

let hub;
let chromium;

before(async () => {
  hub = await startHub();
  chromium = await launchBrowser({ fakeMicWav: speechWav });
});

after(async () => {
  await chromium?.close();
  await hub?.stop();
});

describe("noise suppression", () => {
  test("on by default on the microphone's track; the switch turns it off and on again; RNNoise loads when chosen", { timeout: 90_000 }, async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await createMeetingAsModerator(page, hub.url, { title: "Noisy hall", name: "Lea" });
      const panel = page.locator("#panel-voice");
      const talk = panel.getByRole("button", { name: /talk/i });
      const noise = panel.getByLabel("Reduce background noise");
      const applied = () => page.evaluate(() => document.querySelector("#panel-voice .noise-suppression")?.dataset.applied);
      const waitApplied = (value) => page.waitForFunction((v) => document.querySelector("#panel-voice .noise-suppression")?.dataset.applied === v, value);
      const packetsSent = async () => Number(await talk.getAttribute("data-packets-sent") ?? 0);
      const talkAWhile = async () => {
        await talk.focus();
        await page.keyboard.down("Space");
        await page.getByRole("status", { name: "Voice status" }).filter({ hasText: /^Talking$/ }).waitFor();
        const sent = await packetsSent();
        await page.waitForFunction((before) => Number(document.querySelector("#panel-voice .talk")?.dataset.packetsSent ?? 0) > before + 5, sent);
        await page.keyboard.up("Space");
      };

      assert.equal(await noise.isChecked(), true, "the switch starts on");
      await talkAWhile();
      await waitApplied("true");

      await noise.setChecked(false);
      await waitApplied("false");
      assert.equal(await noise.isChecked(), false);
      await talkAWhile();
      assert.equal(await applied(), "false", "the re-opened microphone still has it off after talking");

      await noise.setChecked(true);
      await waitApplied("true");
      await talkAWhile();

      // The stronger option: RNNoise in a worklet, loaded now, with the browser's own suppression off meanwhile.
      const strong = panel.getByLabel(/^Stronger noise reduction/);
      assert.equal(await strong.isChecked(), false, "RNNoise starts off");
      assert.equal(await page.evaluate(() => performance.getEntriesByType("resource").some((e) => /rnnoise-.*\.wasm$/.test(e.name))), false, "RNNoise is not fetched before it is chosen");
      await strong.setChecked(true);
      await page.waitForFunction(() => document.querySelector("#panel-voice .rnnoise")?.dataset.state === "ready");
      await waitApplied("false");
      await talkAWhile();
      await strong.setChecked(false);
      await waitApplied("true");
      await talkAWhile();
    } finally {
      await context.close();
    }
  });
});
