import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { deliverEmail, EMAIL_BACKOFF_MS, EMAIL_LEASE_MS, EMAIL_RETENTION_MS, MAX_EMAIL_ATTEMPTS, sendDueEmails } from "../../src/platform/email";
import { db, enqueue, fakeProvider, HTTP_ENV, message, row } from "./helpers";

afterEach(() => vi.restoreAllMocks());

describe("email outbox", () => {
  it("holds every message when no transport is configured: nothing is sent, the cron skips it", async () => {
    const { calls } = fakeProvider();
    const held = await enqueue(env);
    expect(held.status).toBe("held");
    expect(await deliverEmail(db(), env, held.id, Date.now())).toBeNull();
    expect(await sendDueEmails(db(), env, Date.now() + 86_400_000)).toBe(0);
    // EMAIL_FROM alone, or a key without a sender, is no transport either.
    expect((await enqueue({ ...env, EMAIL_FROM: "a@b.example" })).status).toBe("held");
    expect((await enqueue({ ...env, EMAIL_API_KEY: "re_x" })).status).toBe("held");
    expect(calls).toHaveLength(0);
    expect((await row(held.id))?.status).toBe("held");
  });

  it("sends through the HTTP provider in Resend's wire format, the outbox id as Idempotency-Key", async () => {
    const { calls } = fakeProvider(() => Response.json({ id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" }));
    const msg = message({ subject: "Hello “you”", html: "<p>Hi</p>", text: "Hi" });
    const queued = await enqueue(HTTP_ENV, msg);
    expect(queued.status).toBe("pending");
    const now = Date.now();
    expect(await deliverEmail(db(), HTTP_ENV, queued.id, now)).toBe("sent");
    expect(calls).toHaveLength(1);
    const c = calls[0]!;
    expect(c.url).toBe("https://email-provider.test/emails");
    expect(c.method).toBe("POST");
    expect(c.headers.get("authorization")).toBe("Bearer re_test_key");
    expect(c.headers.get("content-type")).toBe("application/json");
    expect(c.headers.get("idempotency-key")).toBe(queued.id);
    expect(c.body).toEqual({ from: "GellHub <no-reply@mail.example.com>", to: [msg.to], subject: "Hello “you”", text: "Hi", html: "<p>Hi</p>" });
    const stored = await row(queued.id);
    expect(stored).toMatchObject({ status: "sent", attempts: 1, provider_id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794", last_error: null, sent_at: now });
    // Sent is final: a second delivery sends nothing.
    expect(await deliverEmail(db(), HTTP_ENV, queued.id, now + 3600_000)).toBeNull();
    expect(calls).toHaveLength(1);
  });

  it("retries a 5xx after the backoff, not before, and keeps the error it saw", async () => {
    const { calls } = fakeProvider((_, i) => (i === 0 ? Response.json({ statusCode: 500, name: "internal_server_error", message: "boom" }, { status: 500 }) : Response.json({ id: "ok-2" })));
    const queued = await enqueue(HTTP_ENV);
    const t0 = Date.now();
    expect(await deliverEmail(db(), HTTP_ENV, queued.id, t0)).toBe("pending");
    expect(await row(queued.id)).toMatchObject({ status: "pending", attempts: 1, next_attempt_at: t0 + EMAIL_BACKOFF_MS[0]!, last_error: "provider answered 500: internal_server_error: boom" });
    expect(await deliverEmail(db(), HTTP_ENV, queued.id, t0 + EMAIL_BACKOFF_MS[0]! - 1)).toBeNull();
    expect(calls).toHaveLength(1);
    expect(await deliverEmail(db(), HTTP_ENV, queued.id, t0 + EMAIL_BACKOFF_MS[0]!)).toBe("sent");
    expect(await row(queued.id)).toMatchObject({ status: "sent", attempts: 2, last_error: null });
    // The retry is the same message: same idempotency key.
    expect(calls.map((c) => c.headers.get("idempotency-key"))).toEqual([queued.id, queued.id]);
  });

  it("waits at least what a 429's Retry-After asks", async () => {
    fakeProvider(() => Response.json({ statusCode: 429, name: "rate_limit_exceeded", message: "slow down" }, { status: 429, headers: { "retry-after": "900" } }));
    const queued = await enqueue(HTTP_ENV);
    const t0 = Date.now();
    expect(await deliverEmail(db(), HTTP_ENV, queued.id, t0)).toBe("pending");
    expect((await row(queued.id))?.next_attempt_at).toBe(t0 + 900_000);
  });

  it("treats an unreachable provider as retryable", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("Network connection lost."));
    const queued = await enqueue(HTTP_ENV);
    expect(await deliverEmail(db(), HTTP_ENV, queued.id, Date.now())).toBe("pending");
    expect(String((await row(queued.id))?.last_error)).toContain("provider unreachable: Network connection lost.");
  });

  it("fails at once on a 4xx the provider will never accept (a refused address)", async () => {
    const { calls } = fakeProvider(() => Response.json({ statusCode: 422, name: "validation_error", message: "Invalid `to` field." }, { status: 422 }));
    const queued = await enqueue(HTTP_ENV);
    const t0 = Date.now();
    expect(await deliverEmail(db(), HTTP_ENV, queued.id, t0)).toBe("failed");
    expect(await row(queued.id)).toMatchObject({ status: "failed", attempts: 1, last_error: "provider answered 422: validation_error: Invalid `to` field." });
    await sendDueEmails(db(), HTTP_ENV, t0 + 86_400_000);
    expect(calls.filter((c) => c.headers.get("idempotency-key") === queued.id)).toHaveLength(1);
    expect((await row(queued.id))?.status).toBe("failed");
  });

  it(`gives up after ${MAX_EMAIL_ATTEMPTS} failed tries`, async () => {
    const { calls } = fakeProvider(() => new Response("bad gateway", { status: 502 }));
    const queued = await enqueue(HTTP_ENV);
    let t = Date.now();
    const statuses = [];
    for (let i = 0; i < MAX_EMAIL_ATTEMPTS; i++) {
      statuses.push(await deliverEmail(db(), HTTP_ENV, queued.id, t));
      t = Number((await row(queued.id))?.next_attempt_at);
    }
    expect(statuses).toEqual([...Array(MAX_EMAIL_ATTEMPTS - 1).fill("pending"), "failed"]);
    expect(await row(queued.id)).toMatchObject({ status: "failed", attempts: MAX_EMAIL_ATTEMPTS, last_error: "provider answered 502: bad gateway" });
    expect(await deliverEmail(db(), HTTP_ENV, queued.id, t + 86_400_000)).toBeNull();
    expect(calls).toHaveLength(MAX_EMAIL_ATTEMPTS);
  });

  it("sends a message once when two senders race for it; a lapsed claim is taken over", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { calls } = fakeProvider(async () => {
      await gate;
      return Response.json({ id: "once" });
    });
    const queued = await enqueue(HTTP_ENV);
    const now = Date.now();
    const first = deliverEmail(db(), HTTP_ENV, queued.id, now);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(await deliverEmail(db(), HTTP_ENV, queued.id, now)).toBeNull();
    release();
    expect(await first).toBe("sent");
    expect(calls).toHaveLength(1);

    // A sender that died mid-send leaves `sending`; after the lease another one sends it.
    const stuck = await enqueue(HTTP_ENV);
    await env.DB.prepare("UPDATE email_outbox SET status = 'sending', attempts = 1, next_attempt_at = ? WHERE id = ?").bind(now + EMAIL_LEASE_MS, stuck.id).run();
    expect(await deliverEmail(db(), HTTP_ENV, stuck.id, now + 1000)).toBeNull();
    expect(await deliverEmail(db(), HTTP_ENV, stuck.id, now + EMAIL_LEASE_MS)).toBe("sent");
    expect((await row(stuck.id))?.attempts).toBe(2);
  });

  it("the cron sends what is due (the Worker's scheduled handler)", async () => {
    const { calls } = fakeProvider((_, i) => (i === 0 ? new Response("down", { status: 503 }) : Response.json({ id: `id-${i}` })));
    const queued = await enqueue(HTTP_ENV);
    const t0 = Date.now();
    expect(await deliverEmail(db(), HTTP_ENV, queued.id, t0)).toBe("pending");
    await worker.scheduled(createScheduledController({ scheduledTime: t0 + EMAIL_BACKOFF_MS[0]!, cron: "*/15 * * * *" }), HTTP_ENV);
    expect(await row(queued.id)).toMatchObject({ status: "sent", attempts: 2 });
    expect(calls.filter((c) => c.headers.get("idempotency-key") === queued.id)).toHaveLength(2);
  });

  it("the cron deletes finished messages after the retention period and keeps the rest", async () => {
    const t0 = Date.now();
    const old = await enqueue(env, message(), t0);
    const recent = await enqueue(env, message(), t0 + 1000);
    const waiting = await enqueue(HTTP_ENV, message(), t0);
    await env.DB.prepare("UPDATE email_outbox SET next_attempt_at = ? WHERE id = ?").bind(t0 + 10 * EMAIL_RETENTION_MS, waiting.id).run();
    await sendDueEmails(db(), env, t0 + EMAIL_RETENTION_MS);
    expect(await row(old.id)).toBeNull();
    expect(await row(recent.id)).not.toBeNull();
    expect(await row(waiting.id)).not.toBeNull();
  });
});
