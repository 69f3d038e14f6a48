// The hub-facing HTTP API of the real edge process: the bearer secret, bounded bodies, sessions, stdin.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { startEdge } from "./support.mjs";

let edge;
before(async () => {
  edge = await startEdge({ hubUdp: "127.0.0.1:9" });
});
after(() => edge?.stop());

test("every call without the bearer secret is refused with 401", async () => {
  const session = { sessionId: randomBytes(8).toString("base64"), key: randomBytes(16).toString("base64"), offer: "v=0\r\n" };
  for (const auth of [null, "", "Bearer", `Bearer ${edge.secret}x`, `Basic ${edge.secret}`, edge.secret]) {
    assert.equal((await edge.request("/sessions", { method: "POST", body: session, auth })).status, 401, `auth ${auth}`);
    assert.equal((await edge.request("/stats", { auth })).status, 401);
    assert.equal((await edge.request("/sessions/AAAAAAAAAAA", { method: "DELETE", auth })).status, 401);
  }
  assert.equal((await edge.request("/stats")).status, 200);
});

test("a malformed session, an oversized body and an unknown session are refused", async () => {
  const good = { sessionId: randomBytes(8).toString("base64"), key: randomBytes(16).toString("base64"), offer: "v=0\r\n" };
  for (const body of ["not json", { ...good, sessionId: randomBytes(9).toString("base64") }, { ...good, key: randomBytes(32).toString("base64") }, { ...good, offer: 7 }, { ...good, offer: "hello" }]) {
    const response = await edge.request("/sessions", { method: "POST", body });
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.match((await response.json()).error, /Expected/);
  }
  assert.equal((await edge.request("/sessions", { method: "POST", body: { ...good, offer: `v=0\r\n${"a".repeat(70_000)}` } }).catch(() => ({ status: 413 }))).status, 413);
  const offerRefused = await edge.request("/sessions", { method: "POST", body: { ...good, offer: "v=0\r\nm=nonsense\r\n" } });
  assert.equal(offerRefused.status, 400);
  assert.equal((await edge.request(`/sessions/${randomBytes(8).toString("base64url")}`, { method: "DELETE" })).status, 404);
  assert.equal((await edge.request("/sessions/short", { method: "DELETE" })).status, 404);
  assert.equal((await (await edge.request("/stats")).json()).sessions, 0, "a refused offer leaves no session");
});

test("the edge exits when its stdin closes (the hub is gone)", async () => {
  const other = await startEdge({ hubUdp: "127.0.0.1:9" });
  other.child.stdin.end();
  const timer = setTimeout(() => process.kill(other.child.pid, "SIGKILL"), 5000);
  const { code, signal } = await other.exited;
  clearTimeout(timer);
  assert.deepEqual({ code, signal }, { code: 0, signal: null });
});

test("the edge refuses to start without a secret or a hub address, and says why", async () => {
  await assert.rejects(startEdge({ hubUdp: "127.0.0.1:9", env: { COLLAB_EDGE_SECRET: "short" } }), /COLLAB_EDGE_SECRET is missing or shorter/);
  await assert.rejects(startEdge({ hubUdp: "nowhere" }), /COLLAB_EDGE_HUB_UDP is missing or not host:port/);
});
