import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_ATTEMPTS, retryDelaySeconds } from "../../src/messaging/webhooks/consumer";
import { enqueueHandoff } from "../../src/messaging/webhooks/enqueue";
import { api, ok } from "../factories";
import { consume, expectedSignature, fakeReceiver, insertDelivery, json, RECEIVER, registerMessaging, setHandoff } from "./helpers";

afterEach(() => vi.restoreAllMocks());

interface Delivery {
  id: string;
  status: string;
  attemptCount: number;
  lastError: string | null;
  attempts: { attempt: number; httpStatus: number | null; outcome: string; error: string | null; durationMs: number; retryInSeconds: number | null; url: string }[];
}

async function setup(secret: string | null = "your-hmac-secret") {
  const a = await registerMessaging();
  await setHandoff(a, { handoffWebhookUrl: `${RECEIVER}/api/gellhub/handoff`, handoffWebhookSecret: secret });
  const d = await insertDelivery(a.profileId);
  return { a, d, job: { deliveryId: d.id, profileId: a.profileId } };
}

const delivery = (a: { key: string }, id: string) => ok<Delivery>(api("GET", `/api/messaging/v1/deliveries/${id}`, a));

describe("WEBHOOKS consumer", () => {
  it("POSTs the guide's handoff.requested body with the guide's headers and a valid signature, then acks", async () => {
    const { a, d, job } = await setup();
    const seen = fakeReceiver(RECEIVER, () => json({ ok: true }));
    const result = await consume(job, 1);
    expect(result.explicitAcks).toEqual([`msg-1-${d.id}`]);
    expect(result.retryMessages).toEqual([]);
    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect(req.url).toBe(`${RECEIVER}/api/gellhub/handoff`);
    expect(JSON.parse(req.body)).toEqual({ version: 1, event: "handoff.requested", ...d.payload });
    expect(Object.keys(JSON.parse(req.body))).toEqual(["version", "event", "profileId", "conversationRef", "conversationId", "visitorId", "agentId", "channel", "message", "requestedAt"]);
    expect(req.headers["x-gellhub-event"]).toBe("handoff.requested");
    expect(req.headers["x-gellhub-delivery"]).toBe(d.id);
    const ts = req.headers["x-gellhub-timestamp"]!;
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    expect(req.headers["x-gellhub-signature"]).toBe(await expectedSignature("your-hmac-secret", ts, req.body));
    const log = await delivery(a, d.id);
    expect(log).toMatchObject({ status: "delivered", attemptCount: 1, attempts: [{ attempt: 1, httpStatus: 200, outcome: "delivered", error: null }] });
  });

  it("sends no signature header when no secret is set", async () => {
    const { job } = await setup(null);
    const seen = fakeReceiver(RECEIVER, () => new Response(null, { status: 204 }));
    await consume(job, 1);
    expect(seen[0]!.headers).not.toHaveProperty("x-gellhub-signature");
  });

  it("fails 3 times (503, network error, 500) then succeeds: retries with growing delays, same delivery id, fresh signature each time", async () => {
    const { a, d, job } = await setup();
    let t = Date.parse("2026-12-01T12:00:00Z");
    const seen = fakeReceiver(RECEIVER, (n) => {
      if (n === 1) return new Response("down", { status: 503 });
      if (n === 2) throw new TypeError("Network connection lost.");
      if (n === 3) return new Response("oops", { status: 500 });
      return json({ ok: true });
    });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const r = await consume(job, attempt, { now: () => t });
      expect(r.explicitAcks).toEqual([]);
      expect(r.retryMessages).toHaveLength(1);
      delays.push(r.retryMessages[0]!.delaySeconds!);
      t += delays[delays.length - 1]! * 1000;
    }
    expect(delays).toEqual([1, 2, 4]);
    const last = await consume(job, 4, { now: () => t });
    expect(last.explicitAcks).toHaveLength(1);
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((s) => s.headers["x-gellhub-delivery"]))).toEqual(new Set([d.id]));
    expect(new Set(seen.map((s) => s.headers["x-gellhub-timestamp"])).size).toBe(4);
    for (const s of seen) expect(s.headers["x-gellhub-signature"]).toBe(await expectedSignature("your-hmac-secret", s.headers["x-gellhub-timestamp"]!, s.body));
    const log = await delivery(a, d.id);
    expect(log.status).toBe("delivered");
    expect(log.attempts.map((x) => [x.attempt, x.httpStatus, x.outcome])).toEqual([
      [1, 503, "retry"],
      [2, null, "retry"],
      [3, 500, "retry"],
      [4, 200, "delivered"],
    ]);
    expect(log.attempts[1]!.error).toContain("Network connection lost");
    expect(log.attempts[0]!.retryInSeconds).toBe(1);
  });

  it("honours Retry-After on 429", async () => {
    const { job } = await setup();
    fakeReceiver(RECEIVER, () => new Response("slow down", { status: 429, headers: { "retry-after": "120" } }));
    const r = await consume(job, 1);
    expect(r.retryMessages).toEqual([{ msgId: expect.any(String), delaySeconds: 120 }]);
  });

  it("jitters delays within ±25 % and caps them at the 12 h Queues limit", () => {
    expect(retryDelaySeconds(4, undefined, () => 0)).toBe(11);
    expect(retryDelaySeconds(4, undefined, () => 0.999)).toBe(19);
    expect(retryDelaySeconds(1, undefined, () => 0)).toBe(1);
    expect(retryDelaySeconds(1, 999_999, () => 0.5)).toBe(43_200);
  });

  it("after the last attempt marks the delivery dead and retries the message so the platform dead-letters it", async () => {
    const { a, d, job } = await setup();
    fakeReceiver(RECEIVER, () => new Response("down", { status: 502 }));
    const r = await consume(job, MAX_ATTEMPTS);
    expect(r.explicitAcks).toEqual([]);
    expect(r.retryMessages).toEqual([{ msgId: expect.any(String), delaySeconds: undefined }]);
    const log = await delivery(a, d.id);
    expect(log).toMatchObject({ status: "dead", attempts: [{ httpStatus: 502, outcome: "dead" }] });
    expect(log.lastError).toMatch(/Gave up after 10 attempts/);
  });

  it("the dead-letter consumer marks an unfinished delivery dead and acks", async () => {
    const { a, d, job } = await setup();
    await env.DB.prepare("UPDATE webhook_deliveries SET status = 'retrying' WHERE id = ?").bind(d.id).run();
    const r = await consume(job, 1, {}, "gellhub-webhooks-dlq");
    expect(r.explicitAcks).toHaveLength(1);
    expect((await delivery(a, d.id)).status).toBe("dead");
  });

  it("a permanent refusal (400, 404, a redirect) fails at once without retries", async () => {
    for (const res of [new Response("bad", { status: 400 }), new Response("nope", { status: 404 }), new Response(null, { status: 301, headers: { location: "https://elsewhere.example.com/" } })]) {
      vi.restoreAllMocks();
      const { a, d, job } = await setup();
      fakeReceiver(RECEIVER, () => res);
      const r = await consume(job, 1);
      expect(r.explicitAcks).toHaveLength(1);
      expect(r.retryMessages).toEqual([]);
      expect((await delivery(a, d.id)).status).toBe("failed");
    }
  });

  it("410 Gone disables the endpoint until the handoff config is saved again", async () => {
    const { a, d, job } = await setup();
    const seen = fakeReceiver(RECEIVER, (n) => (n === 1 ? new Response("gone", { status: 410 }) : json({ ok: true })));
    const r = await consume(job, 1);
    expect(r.explicitAcks).toHaveLength(1);
    expect((await delivery(a, d.id)).status).toBe("disabled");
    expect(await ok(api("GET", "/api/messaging/v1/handoff", a))).toMatchObject({ handoffWebhookDisabled: true });
    // While disabled: new events are recorded as disabled, not sent; replay is refused.
    const later = await enqueueHandoff(env, (await import("./helpers")).db(), { ...d.payload, profileId: a.profileId });
    expect(later).toMatchObject({ status: "disabled" });
    const refused = await api("POST", `/api/messaging/v1/deliveries/${d.id}/replay`, a);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: "webhook_disabled" });
    expect(seen).toHaveLength(1);
    // Saving again re-enables it.
    expect(await setHandoff(a, { handoffWebhookUrl: `${RECEIVER}/api/gellhub/handoff` })).toMatchObject({ handoffWebhookDisabled: false });
    const d2 = await insertDelivery(a.profileId);
    await consume({ deliveryId: d2.id, profileId: a.profileId }, 1);
    expect(seen).toHaveLength(2);
  });

  it("acks without sending: unknown delivery, malformed job, already delivered, another account's delivery id", async () => {
    const { a, d } = await setup();
    const b = await registerMessaging();
    const seen = fakeReceiver(RECEIVER, () => json({ ok: true }));
    for (const body of [{ deliveryId: "dlv_nope", profileId: a.profileId }, { nonsense: true }, { deliveryId: d.id, profileId: b.profileId }]) {
      const r = await consume(body as never, 1);
      expect(r.explicitAcks).toHaveLength(1);
    }
    const done = await insertDelivery(a.profileId, { status: "delivered", attemptCount: 1 });
    expect((await consume({ deliveryId: done.id, profileId: a.profileId }, 1)).explicitAcks).toHaveLength(1);
    expect(seen).toHaveLength(0);
  });

  it("re-checks the URL rule at send time: a stored URL that is no longer allowed fails without a request", async () => {
    const { a, d, job } = await setup();
    await env.DB.prepare("UPDATE messaging_integrations SET handoff_webhook_url = 'https://169.254.169.254/latest' WHERE profile_id = ?").bind(a.profileId).run();
    const spy = vi.spyOn(globalThis, "fetch");
    const r = await consume(job, 1);
    expect(r.explicitAcks).toHaveLength(1);
    expect(spy).not.toHaveBeenCalled();
    expect(await delivery(a, d.id)).toMatchObject({ status: "failed", attempts: [{ outcome: "failed", httpStatus: null }] });
  });
});

describe("enqueueHandoff", () => {
  it("does nothing without a handoff URL", async () => {
    const a = await registerMessaging();
    const send = vi.fn();
    const r = await enqueueHandoff({ WEBHOOKS: { send } as never }, (await import("./helpers")).db(), {
      profileId: a.profileId,
      conversationRef: "api:1",
      conversationId: "cnv_1",
      visitorId: null,
      agentId: "agt_1",
      channel: "api",
      message: "human please",
      requestedAt: new Date().toISOString(),
    });
    expect(r).toBeNull();
    expect(send).not.toHaveBeenCalled();
  });

  it("records a pending delivery and queues its id; a queue outage leaves it dead and replayable", async () => {
    const a = await registerMessaging();
    await setHandoff(a, { handoffWebhookUrl: `${RECEIVER}/h` });
    const send = vi.fn().mockResolvedValueOnce(undefined).mockRejectedValueOnce(new Error("queue unavailable"));
    const event = { profileId: a.profileId, conversationRef: "api:1", conversationId: "cnv_1", visitorId: null, agentId: "agt_1", channel: "api", message: "human please", requestedAt: new Date().toISOString() };
    const { db } = await import("./helpers");
    const first = await enqueueHandoff({ WEBHOOKS: { send } as never }, db(), event);
    expect(first).toMatchObject({ status: "pending", deliveryId: expect.stringMatching(/^dlv_/) });
    expect(send).toHaveBeenCalledWith({ deliveryId: first!.deliveryId, profileId: a.profileId }, { contentType: "json" });
    const second = await enqueueHandoff({ WEBHOOKS: { send } as never }, db(), event);
    expect(second!.status).toBe("dead");
    expect(await delivery(a, second!.deliveryId)).toMatchObject({ status: "dead", lastError: expect.stringContaining("queue unavailable"), payload: { message: "human please" } });
  });
});

describe("log retention", () => {
  it("the cron forgets finished deliveries, their attempts and skill calls older than 30 days, and keeps the rest", async () => {
    const { pruneWebhookLogs, WEBHOOK_LOG_RETENTION_MS } = await import("../../src/messaging/webhooks/deliveries");
    const { db } = await import("./helpers");
    const a = await registerMessaging();
    const now = Date.now();
    const old = now - WEBHOOK_LOG_RETENTION_MS - 1000;
    const oldDead = await insertDelivery(a.profileId, { status: "dead", attemptCount: 1 });
    const oldRetrying = await insertDelivery(a.profileId, { status: "retrying", attemptCount: 1 });
    const recent = await insertDelivery(a.profileId, { status: "delivered", attemptCount: 1 });
    await env.DB.batch([
      env.DB.prepare("UPDATE webhook_deliveries SET created_at = ? WHERE id IN (?, ?)").bind(old, oldDead.id, oldRetrying.id),
      env.DB.prepare("INSERT INTO webhook_attempts (id, delivery_id, profile_id, attempt, url, outcome, duration_ms, started_at) VALUES ('att_old', ?, ?, 1, 'https://x.example.com', 'dead', 5, ?)").bind(oldDead.id, a.profileId, old),
      env.DB.prepare("INSERT INTO skill_calls (id, profile_id, skill, conversation_ref, outcome, duration_ms, created_at) VALUES ('skc_old', ?, 'booking', 'r', 'ok', 5, ?), ('skc_new', ?, 'booking', 'r', 'ok', 5, ?)").bind(a.profileId, old, a.profileId, now),
    ]);
    await pruneWebhookLogs(db(), now);
    const ids = (await env.DB.prepare("SELECT id FROM webhook_deliveries WHERE profile_id = ? ORDER BY id").bind(a.profileId).all<{ id: string }>()).results.map((r) => r.id);
    expect(ids.sort()).toEqual([oldRetrying.id, recent.id].sort());
    expect(await env.DB.prepare("SELECT count(*) AS n FROM webhook_attempts WHERE id = 'att_old'").first("n")).toBe(0);
    const calls = (await env.DB.prepare("SELECT id FROM skill_calls WHERE profile_id = ?").bind(a.profileId).all<{ id: string }>()).results.map((r) => r.id);
    expect(calls).toEqual(["skc_new"]);
  });
});

describe("duplicate messages", () => {
  it("two copies of one message consumed at the same time make one POST", async () => {
    const { a, d, job } = await setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen = fakeReceiver(RECEIVER, async () => {
      await gate;
      return json({ ok: true });
    });
    const both = Promise.all([consume(job, 1), consume(job, 1)]);
    await vi.waitFor(() => expect(seen.length).toBeGreaterThan(0));
    release();
    const results = await both;
    expect(results.every((r) => r.explicitAcks.length === 1)).toBe(true);
    expect(seen).toHaveLength(1);
    expect(await delivery(a, d.id)).toMatchObject({ status: "delivered", attemptCount: 1, attempts: [{ attempt: 1 }] });
  });
});
