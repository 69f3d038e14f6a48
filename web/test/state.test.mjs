// The client's ordering rules from hub/PROTOCOL.md §5, without a browser: chat by sequence (duplicates dropped, pushes
// ahead of a gap held until the gap is filled or fetched), and tallies (highest version wins, final is final).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { build } from "esbuild";
import { compileLocales } from "../tools/locales.mjs";
import { repoRoot } from "./harness.mjs";

let m;
let dir;

before(async () => {
  const out = await build({
    stdin: { contents: 'export * from "./src/chat.ts"; export * from "./src/polls.ts"; export { profileChange } from "./src/ui/voiceView.ts"; export { loadMeetingText, setLanguage } from "./src/i18n.ts"; export { ladder, LinkAdapter, qualityRank } from "./src/voice/ladder.ts"; export { QaBook } from "./src/qa.ts";', resolveDir: join(repoRoot, "web"), loader: "ts" },
    bundle: true, write: false, format: "esm", platform: "neutral", logLevel: "warning", plugins: [compileLocales],
  });
  dir = mkdtempSync(join(tmpdir(), "collab-state-"));
  writeFileSync(join(dir, "state.mjs"), out.outputFiles[0].text);
  m = await import(pathToFileURL(join(dir, "state.mjs")).href);
  await m.setLanguage("en");
  await m.loadMeetingText();
});

after(() => rmSync(dir, { recursive: true, force: true }));

const message = (sequence) => ({ sequence, clientMessageId: `c${sequence}`, participantId: "p", displayName: "Ana", text: `m${sequence}`, sentAtUnixMs: 0 });

/** A chat log over a fake store holding messages 1..n; records what it shows and what it fetched. */
function harness(stored) {
  const shown = [];
  const fetched = [];
  let fetchedSignal;
  const fetchedOnce = new Promise((resolve) => (fetchedSignal = resolve));
  const log = new m.ChatLog(async (after, limit) => {
    fetched.push(after);
    fetchedSignal();
    const messages = stored.filter((s) => s > after).slice(0, limit).map(message);
    return { messages, hasMore: false, truncated: false, lastSequence: stored.at(-1) ?? 0 };
  }, { appended: (ms) => shown.push(...ms.map((x) => x.sequence)), truncated: () => undefined });
  return { log, shown, fetched, fetchedOnce };
}

describe("chat order", () => {
  test("pushes are shown in sequence order; duplicates are dropped", () => {
    const { log, shown } = harness([]);
    log.startFrom([message(1), message(2)]);
    log.accept(message(4));
    log.accept(message(3));
    log.accept(message(2));
    log.accept(message(4));
    assert.deepEqual(shown, [1, 2, 3, 4]);
    assert.equal(log.lastSequence, 4);
  });

  test("pushes before the history loads wait for it", () => {
    const { log, shown } = harness([]);
    log.accept(message(6));
    assert.deepEqual(shown, []);
    log.startFrom([message(4), message(5)]);
    assert.deepEqual(shown, [4, 5, 6]);
  });

  test("a gap that stays open ~1 s is fetched with GetChatSince from the last shown sequence", { timeout: 5_000 }, async () => {
    const { log, shown, fetched, fetchedOnce } = harness([1, 2, 3, 4, 5]);
    log.startFrom([message(1)]);
    log.accept(message(4));
    assert.deepEqual(shown, [1], "4 waits while 2 and 3 are missing");
    await fetchedOnce;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(fetched, [1]);
    assert.deepEqual(shown, [1, 2, 3, 4, 5]);
  });

  test("catch-up after a reconnect continues from the last sequence and merges with pushes", async () => {
    const { log, shown, fetched } = harness([1, 2, 3, 4]);
    log.startFrom([message(1), message(2)]);
    log.accept(message(4));
    await log.catchUp();
    assert.deepEqual(fetched, [2]);
    assert.deepEqual(shown, [1, 2, 3, 4]);
  });
});

describe("poll tallies", () => {
  const tally = (version, counts, final = false) => ({ pollId: "p1", counts, voters: counts.reduce((a, b) => a + b, 0), version, final });
  const poll = (t, state = "Open") => ({ pollId: "p1", question: "Q", options: ["A", "B"], multipleChoice: false, anonymous: true, state, tally: t });

  test("the highest version wins, whatever order pushes arrive in", () => {
    const book = new m.PollBook();
    book.reset([poll(tally(1, [0, 0]))], []);
    assert.ok(book.tally(tally(5, [3, 2])));
    assert.equal(book.tally(tally(4, [3, 1])), undefined, "an older tally changes nothing");
    assert.deepEqual(book.get("p1").tally.counts, [3, 2]);
  });

  test("once final, a later non-final tally is ignored; a closing PollUpdated keeps the newer tally", () => {
    const book = new m.PollBook();
    book.reset([poll(tally(1, [0, 0]))], []);
    book.tally(tally(9, [4, 4], true));
    assert.equal(book.tally(tally(12, [5, 4])), undefined);
    book.update(poll(tally(3, [1, 1]), "Closed"));
    assert.deepEqual(book.get("p1").tally.counts, [4, 4]);
    assert.equal(book.get("p1").state, "Closed");
  });

  test("a rejoin snapshot restores my ballots", () => {
    const book = new m.PollBook();
    book.reset([poll(tally(1, [1, 0]))], [{ pollId: "p1", optionIndexes: [0] }]);
    assert.deepEqual(book.ballot("p1"), [0]);
  });
});

describe("voice status in plain words", () => {
  test("a downgrade says the connection is weak, an upgrade that it is better; the jargon is only in the details", () => {
    const [lifeline, narrowRed, , , standard, wideFec, clear] = m.ladder;
    const down = m.profileChange(standard, narrowRed, "the link no longer fits standard: loss 12.0 %, burst 60 ms", m.qualityRank);
    assert.equal(down.headline, "Weak connection: voice quality lowered to stay clear.");
    assert.doesNotMatch(down.headline, /\b(narrow-red|narrow|fec|profile|loss|kbit)\b/i);
    assert.match(down.detail, /narrow-red .*loss 12\.0 %/);
    assert.equal(m.profileChange(wideFec, clear, "upgrade one rung", m.qualityRank).headline, "Connection better: voice quality raised.");
    assert.equal(m.profileChange(standard, lifeline, "x", m.qualityRank).headline, "Weak connection: voice quality lowered to stay clear.");
  });

  test("the adapter's downgrade is what the panel reports as weak (same order of preference)", () => {
    const adapter = new m.LinkAdapter(m.ladder[6]);
    const decision = adapter.update({ lossFraction: 0.3, meanLossBurstMs: 100, lateFraction: 0, roundTripMs: 100, sendBacklogMs: 0 }, 0);
    assert.ok(decision.changed);
    assert.equal(m.profileChange(m.ladder[6], decision.profile, decision.reason, m.qualityRank).headline, "Weak connection: voice quality lowered to stay clear.");
  });
});

describe("Q&A (PROTOCOL.md §10)", () => {
  const q = (id, number, votes, version, extra = {}) => ({
    questionId: id, number, text: id, authorId: null, displayName: null, anonymous: true, askedAtUnixMs: 0,
    votes, answered: false, hidden: false, highlighted: false, version, ...extra,
  });

  test("the newest version wins, a removal outlives older pushes, and a snapshot keeps newer pushes", () => {
    const book = new m.QaBook();
    book.reset({ settings: { allowAnonymous: false }, questions: [q("q1", 1, 3, 3), q("q2", 2, 0, 0)], myUpvotes: ["q1"] });
    assert.equal(book.update(q("q1", 1, 5, 5)), true);
    assert.equal(book.update(q("q1", 1, 4, 4)), false, "an older push from another node is dropped");
    assert.equal(book.remove({ questionId: "q2", version: 1 }, false), true);
    assert.equal(book.update(q("q2", 2, 1, 1)), false, "a vote push from before the hide does not bring it back");
    assert.equal(book.update(q("q2", 2, 1, 2, { hidden: false })), true, "shown again: a newer version");
    book.reset({ settings: { allowAnonymous: true }, questions: [q("q1", 1, 4, 4), q("q2", 2, 1, 2)], myUpvotes: [] });
    assert.equal(book.sorted("votes")[0].votes, 5, "the snapshot was older than the push");
    assert.equal(book.upvoted.size, 0);
    assert.equal(book.settings.allowAnonymous, true);
  });

  test("the highlighted question first, answered ones last; by votes (ties: older first) or newest first", () => {
    const book = new m.QaBook();
    book.reset({ settings: { allowAnonymous: false }, myUpvotes: [], questions: [
      q("q1", 1, 2, 1), q("q2", 2, 9, 1, { answered: true }), q("q3", 3, 2, 1), q("q4", 4, 0, 1, { highlighted: true }), q("q5", 5, 7, 1),
    ] });
    assert.deepEqual(book.sorted("votes").map((x) => x.questionId), ["q4", "q5", "q1", "q3", "q2"]);
    assert.deepEqual(book.sorted("time").map((x) => x.questionId), ["q4", "q5", "q3", "q1", "q2"]);
  });
});
