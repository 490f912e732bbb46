// Messaging inbox: a visitor turn while a person has the conversation (stored, no engine, no
// credit) against an engine turn on the same kind of conversation, and the inbox reads (list
// filtered by status, one transcript) against the bare route. Reported, not enforced (two shared
// cores make single-connection latencies noisy): a silent turn should cost about what an engine
// turn does without the credit and engine work; inbox reads should stay within ~3x the bare route.
import { registerBench } from "./accounts.mjs";

async function account(ctx) {
  const { messagingApiKey: key } = await registerBench(ctx, "messaging", { displayName: "Bench inbox" });
  return { key, json: { "content-type": "application/json", "x-api-key": key } };
}

async function post(ctx, path, headers, body, status = 200) {
  const res = await ctx.fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
  if (res.status !== status) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const turn = (ref, content = "When are you open?") => ({ channel: "web", conversationRef: ref, messages: [{ role: "user", content }] });

export default async function (ctx) {
  const a = await account(ctx);
  await post(ctx, "/api/messaging/v1/agents", a.json, { name: "Bench bot", humanHandoffEnabled: true }, 201);
  // 40 conversations, a quarter of them asking for a person.
  for (let i = 0; i < 40; i++) await post(ctx, "/api/messaging/v1/chat", a.json, turn(`web:v${i}`, i % 4 === 0 ? "a real person please" : "Hello"));
  const taken = await post(ctx, "/api/messaging/v1/chat", a.json, turn("web:taken", "Hello"));
  await post(ctx, `/api/messaging/v1/conversations/${taken.conversationId}/messages`, a.json, { content: "Staff here" }, 201);
  const silent = await post(ctx, "/api/messaging/v1/chat", a.json, turn("web:taken"));
  if (silent.content !== "" || silent.creditsCharged !== 0) throw new Error(`human mode answered: ${JSON.stringify(silent)}`);

  // Conversations queue their turns by design: one connection each.
  const one = { seconds: 3, connections: 1 };
  const bare = ctx.wrk({ name: "GET /api/health (bare, 1 connection)", path: "/api/health", ...one });
  // The free plan's 100 credits run out during the run: an engine turn then answers 402 before any engine work,
  // so the engine turn is measured on a short run only.
  const engine = ctx.wrk({ name: "POST /v1/chat (engine, same conversation)", path: "/api/messaging/v1/chat", method: "POST", headers: a.json, body: turn("web:engine"), seconds: 1, connections: 1 });
  const human = ctx.wrk({ name: "POST /v1/chat (human mode: stored, silent)", path: "/api/messaging/v1/chat", method: "POST", headers: a.json, body: turn("web:taken"), ...one });
  ctx.report("silent turn / engine turn p50", human.p50ms / engine.p50ms, "x");
  const list = ctx.wrk({ name: "GET /v1/conversations?status=handoff_requested", path: "/api/messaging/v1/conversations?status=handoff_requested", headers: { "x-api-key": a.key }, ...one });
  ctx.report("inbox list / bare p50", list.p50ms / bare.p50ms, "x");
  const read = ctx.wrk({ name: "GET /v1/conversations/{id} (transcript)", path: `/api/messaging/v1/conversations/${taken.conversationId}`, headers: { "x-api-key": a.key }, ...one });
  ctx.report("transcript read / bare p50", read.p50ms / bare.p50ms, "x");
}
