// Messaging: one chat turn on the built-in engine (auth, rate limit, agent, credit reservation,
// the conversation's Durable Object, FTS5 retrieval, D1 bookkeeping) as a ratio to the bare
// route (target <= 2x), and the same turn against an agent holding 1,000 knowledge sources.
import { registerBench } from "./accounts.mjs";

/** A fresh Messaging account on the Scale plan, paid through the local test checkout (25,000 credits). */
async function paidAccount(ctx) {
  const { messagingApiKey: key } = await registerBench(ctx, "messaging", { displayName: "Bench shop", planId: "plan_msg_scale" });
  const json = { "content-type": "application/json", "x-api-key": key };
  const checkout = await ctx.fetch("/api/billing/checkout-session", { method: "POST", headers: json, body: JSON.stringify({ planId: "plan_msg_scale" }) });
  if (checkout.status !== 200) throw new Error(`checkout: ${checkout.status} ${await checkout.text()}`);
  const { url } = await checkout.json();
  const pay = await ctx.fetch(new URL(url).pathname + "/pay", { method: "POST", headers: { origin: ctx.baseUrl }, redirect: "manual" });
  if (pay.status !== 303) throw new Error(`pay: ${pay.status}`);
  const bot = await (await ctx.fetch("/api/messaging/v1/bot", { headers: { "x-api-key": key } })).json();
  if (bot.credits < 10_000) throw new Error(`credits not granted: ${bot.credits}`);
  return { key, json };
}

async function post(ctx, path, headers, body, status = 201) {
  const res = await ctx.fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
  if (res.status !== status) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const TURN = { channel: "api", messages: [{ role: "user", content: "When are you open?" }] };

export default async function (ctx) {
  const small = await paidAccount(ctx);
  const agent = await post(ctx, "/api/messaging/v1/agents", small.json, { name: "Bench bot" });
  await post(ctx, `/api/messaging/v1/agents/${agent.id}/sources`, small.json, { type: "qa", question: "What are your opening hours?", answer: "We are open 9am to 5pm, Monday to Friday." });
  const check = await post(ctx, "/api/messaging/v1/chat", small.json, TURN, 200);
  if (!/9am/.test(check.content)) throw new Error(`unexpected answer: ${check.content}`);

  // Short runs: each key may run 1,200 turns a minute before 429.
  const opts = { seconds: 4, connections: 4 };
  const bare = ctx.wrk({ name: "GET /api/health (bare)", path: "/api/health", ...opts });
  const list = ctx.wrk({ name: "GET /v1/agents (key + one query)", path: "/api/messaging/v1/agents", headers: { "x-api-key": small.key }, ...opts });
  ctx.report("agents list / bare p50", list.p50ms / bare.p50ms, "x");
  // Without a conversationRef every turn opens a new conversation (a new Durable Object).
  const turn = ctx.wrk({ name: "POST /v1/chat (new conversation each turn)", path: "/api/messaging/v1/chat", method: "POST", headers: small.json, body: TURN, ...opts });
  ctx.report("chat turn (new conversation) / bare p50", turn.p50ms / bare.p50ms, "x");
  ctx.report("chat turn (new conversation) / bare throughput", turn.rps / bare.rps, "x");
  // A bridge's usual turn: an existing conversation, one turn at a time (its turns queue by design).
  const one = { seconds: 4, connections: 1 };
  const bare1 = ctx.wrk({ name: "GET /api/health (bare, 1 connection)", path: "/api/health", ...one });
  const thread = ctx.wrk({ name: "POST /v1/chat (same conversation)", path: "/api/messaging/v1/chat", method: "POST", headers: small.json, body: { ...TURN, conversationRef: "whatsapp:+15550000001:bench" }, ...one });
  ctx.report("chat turn (same conversation) / bare p50", thread.p50ms / bare1.p50ms, "x");

  const big = await paidAccount(ctx);
  const bigAgent = await post(ctx, "/api/messaging/v1/agents", big.json, { name: "Big bot" });
  const started = Date.now();
  for (let i = 0; i < 1000; i += 20) {
    await Promise.all(
      Array.from({ length: 20 }, (_, j) =>
        i + j === 500
          ? post(ctx, `/api/messaging/v1/agents/${bigAgent.id}/sources`, big.json, { type: "qa", question: "What are your opening hours?", answer: "We are open 9am to 5pm, Monday to Friday." })
          : post(ctx, `/api/messaging/v1/agents/${bigAgent.id}/sources`, big.json, {
              type: "text",
              title: `Product note ${i + j}`,
              content: `Article ${i + j}: the model ${i + j} kettle boils water in ${(i + j) % 7} minutes and ships in a recycled box. Warranty covers parts for ${(i + j) % 5} years.`,
            }),
      ),
    );
  }
  ctx.report("1,000 sources added", (Date.now() - started) / 1000, "s");
  const bigCheck = await post(ctx, "/api/messaging/v1/chat", big.json, TURN, 200);
  if (!/9am/.test(bigCheck.content)) throw new Error(`unexpected answer at 1,000 sources: ${bigCheck.content}`);
  const fts = ctx.wrk({ name: "POST /v1/chat (built-in, 1,000 sources)", path: "/api/messaging/v1/chat", method: "POST", headers: big.json, body: TURN, ...opts });
  ctx.report("FTS at 1,000 sources / 1 source p50", fts.p50ms / turn.p50ms, "x");
  ctx.report("FTS at 1,000 sources / bare p50", fts.p50ms / bare.p50ms, "x");
}
