import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { getDb } from "../../src/db";
import { handleWebhookQueue, type ConsumerOptions } from "../../src/messaging/webhooks/consumer";
import { api, ok, type TestAccount } from "../factories";
import { registerMessaging } from "../messaging/helpers";

export { registerMessaging };

/** What a partner's receiver saw: one request as it arrived on the wire. */
export interface Received {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A partner's webhook receiver behind a fetch spy: requests to `origin` are recorded and
 * answered by `answer` (the n-th request gets `answer(n)`); everything else goes out unchanged.
 */
export function fakeReceiver(origin: string, answer: (n: number, req: Received) => Response | Promise<Response>) {
  const real = globalThis.fetch;
  const received: Received[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    if (!req.url.startsWith(origin)) return real(input, init);
    const r: Received = { url: req.url, method: req.method, headers: Object.fromEntries(req.headers), body: await req.text() };
    received.push(r);
    return answer(received.length, r);
  });
  return received;
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** Node's crypto, not our code: the receiver's own check of X-GellHub-Signature. */
export async function expectedSignature(secret: string, timestamp: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${timestamp}.${body}`)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const RECEIVER = "https://receiver.example.com";

export function setHandoff(a: TestAccount, body: Record<string, unknown>) {
  return ok<Record<string, unknown>>(api("PUT", "/api/messaging/v1/handoff", a, body));
}

/** A handoff.requested delivery row, as enqueueHandoff writes it, without queueing it (the test drives the consumer). */
export async function insertDelivery(profileId: string, over: Partial<{ status: string; attemptCount: number }> = {}) {
  const id = `dlv_test${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const payload = {
    profileId,
    conversationRef: "web:emb_x:visitor-1",
    conversationId: "cnv_test1",
    visitorId: "visitor-1",
    agentId: "agt_test1",
    channel: "web",
    message: "I need to speak with someone on your team",
    requestedAt: "2026-12-01T12:00:00.000Z",
  };
  await env.DB.prepare(
    "INSERT INTO webhook_deliveries (id, profile_id, event, payload, conversation_id, status, attempt_count, created_at, updated_at) VALUES (?, ?, 'handoff.requested', ?, 'cnv_test1', ?, ?, ?, ?)",
  )
    .bind(id, profileId, JSON.stringify(payload), over.status ?? "pending", over.attemptCount ?? 0, Date.now(), Date.now())
    .run();
  return { id, payload };
}

/** Calls the WEBHOOKS consumer with one message of the given delivery, as attempt `attempts`. */
export async function consume(job: { deliveryId: string; profileId: string }, attempts: number, opts: ConsumerOptions = {}, queue = "gellhub-webhooks") {
  const batch = createMessageBatch(queue, [{ id: `msg-${attempts}-${job.deliveryId}`, timestamp: new Date(), attempts, body: job }]);
  // getQueueResult does not report a retry's delay: record what retry() was called with.
  const delays = new Map<string, number | undefined>();
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (o?: QueueRetryOptions) => {
      delays.set(m.id, o?.delaySeconds);
      retry(o);
    };
  }
  const ctx = createExecutionContext();
  await handleWebhookQueue(batch, env, { random: () => 0.5, ...opts });
  const result = await getQueueResult(batch, ctx);
  return { ...result, retryMessages: result.retryMessages.map((r) => ({ ...r, delaySeconds: delays.get(r.msgId) })) };
}

export const db = () => getDb(env.DB);
