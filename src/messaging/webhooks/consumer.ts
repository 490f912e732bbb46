import { z } from "@hono/zod-openapi";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Db } from "../../db";
import { messagingIntegrations, webhookAttempts, webhookDeliveries } from "../../db/schema";
import type { Env } from "../../env";
import { newId } from "../../platform/ids";
import { postWebhook, type WebhookResult } from "../outbound";
import { signWebhook, unixSeconds } from "../signing";
import { integrationOf, openedSecret } from "./integrations";

export const WEBHOOKS_QUEUE = "gellhub-webhooks";
export const WEBHOOKS_DLQ = "gellhub-webhooks-dlq";

/**
 * Seconds to wait after failed attempt n (index n-1), before jitter: short first (a receiver
 * that is restarting gets the event within seconds), then spreading out over about 5.5 hours.
 * Its length + 1 is MAX_ATTEMPTS, which must equal wrangler.toml's `max_retries` + 1: the
 * platform dead-letters the message we retry after the last attempt.
 */
export const RETRY_SCHEDULE_SECONDS = [1, 2, 4, 15, 60, 300, 1200, 3600, 14400] as const;
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1;
/** The Queues limit on a retry delay (12 hours). */
const MAX_DELAY_SECONDS = 43_200;

const Job = z.object({ deliveryId: z.string().min(1).max(64), profileId: z.string().min(1).max(64) });

export interface ConsumerOptions {
  fetcher?: typeof fetch;
  now?: () => number;
  /** [0, 1): the jitter source (Math.random unless a test pins it). */
  random?: () => number;
}

/**
 * The delay before the next attempt after failed attempt `attempt` (1-based): the schedule's
 * value with ±25 % jitter so many receivers' retries do not line up, at least 1 s; a receiver's
 * Retry-After (429/503) is honoured when it asks for longer, up to the 12 h Queues limit.
 */
export function retryDelaySeconds(attempt: number, retryAfter: number | undefined, random: () => number = Math.random): number {
  const base = RETRY_SCHEDULE_SECONDS[Math.min(attempt, RETRY_SCHEDULE_SECONDS.length) - 1]!;
  const jittered = Math.max(1, Math.round(base * (0.75 + random() * 0.5)));
  return Math.min(MAX_DELAY_SECONDS, Math.max(jittered, retryAfter ?? 0));
}

/** Worth another try: no answer, a time-out, 429 or a 5xx. Other 4xx, redirects and refused URLs are permanent. */
export function isRetryable(r: WebhookResult): boolean {
  if (r.failure === "network_error" || r.failure === "timeout") return true;
  return r.failure === "http_error" && r.status !== null && (r.status === 429 || r.status >= 500);
}

/** The queue entry point: WEBHOOKS messages are attempted, dead-lettered ones are marked dead. */
export async function handleWebhookQueue(batch: MessageBatch<unknown>, env: Env, opts: ConsumerOptions = {}): Promise<void> {
  const db = getDb(env.DB);
  for (const msg of batch.messages) {
    try {
      if (batch.queue === WEBHOOKS_DLQ) await markDeadLettered(db, msg, opts.now?.() ?? Date.now());
      else await attemptDelivery(env, db, msg, opts);
    } catch (err) {
      // An error of ours (D1 down): try again later rather than fail the whole batch.
      console.error("webhook delivery error", err);
      msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts, undefined, opts.random) });
    }
  }
}

/** One attempt of one delivery; acks, retries with a delay, or lets the platform dead-letter it. */
async function attemptDelivery(env: Env, db: Db, msg: Message<unknown>, opts: ConsumerOptions): Promise<void> {
  const now = opts.now ?? Date.now;
  const job = Job.safeParse(msg.body);
  if (!job.success) {
    console.error("malformed webhook job dropped", msg.id);
    return msg.ack();
  }
  const { deliveryId, profileId } = job.data;
  const delivery = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.profileId, profileId)))
    .get();
  // Gone, done, or a stale copy of a finished one (at-least-once delivery): nothing to send.
  if (!delivery || (delivery.status !== "pending" && delivery.status !== "retrying")) return msg.ack();
  const started = now();
  const config = await integrationOf(db, profileId);
  const finish = (status: "failed" | "disabled", lastError: string) =>
    db.update(webhookDeliveries).set({ status, lastError, nextAttemptAt: null, updatedAt: started }).where(eq(webhookDeliveries.id, deliveryId));
  if (!config?.handoffWebhookUrl) {
    await finish("failed", "No handoff webhook URL is configured");
    return msg.ack();
  }
  if (config.handoffDisabledAt) {
    await finish("disabled", "The endpoint answered 410 Gone earlier; save the handoff URL again to re-enable it");
    return msg.ack();
  }
  let secret: string | null;
  try {
    secret = await openedSecret(env, profileId, "handoff", config.handoffSecretSealed);
  } catch {
    await finish("failed", "The stored signing secret cannot be opened (WEBHOOK_SECRET_KEY changed?); save it again, then replay");
    return msg.ack();
  }

  // Claim this attempt number: a duplicate copy of the message running at the same time
  // (at-least-once delivery) finds it taken and stops, so one attempt is one POST.
  const attempt = delivery.attemptCount + 1;
  const [claimed] = await db
    .update(webhookDeliveries)
    .set({ attemptCount: attempt, updatedAt: started })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.attemptCount, delivery.attemptCount), inArray(webhookDeliveries.status, ["pending", "retrying"])))
    .returning({ id: webhookDeliveries.id });
  if (!claimed) return msg.ack();

  const body = JSON.stringify({ version: 1, event: delivery.event, ...(JSON.parse(delivery.payload) as object) });
  const timestamp = unixSeconds(started);
  const headers: Record<string, string> = { "X-GellHub-Timestamp": timestamp, "X-GellHub-Event": delivery.event, "X-GellHub-Delivery": delivery.id };
  if (secret) headers["X-GellHub-Signature"] = await signWebhook(secret, timestamp, body);
  const res = await postWebhook(env, config.handoffWebhookUrl, body, headers, { fetcher: opts.fetcher, now, ignoreBody: true });

  let outcome: "delivered" | "retry" | "failed" | "dead" | "disabled";
  let delay: number | null = null;
  if (res.ok) outcome = "delivered";
  else if (res.status === 410) outcome = "disabled";
  else if (!isRetryable(res)) outcome = "failed";
  else if (msg.attempts >= MAX_ATTEMPTS) outcome = "dead";
  else {
    outcome = "retry";
    delay = retryDelaySeconds(msg.attempts, res.retryAfterSeconds, opts.random);
  }
  const error = res.ok ? null : [res.error, res.body ? `: ${res.body.slice(0, 200)}` : ""].join("").slice(0, 500);
  const status = outcome === "retry" ? "retrying" : outcome;
  await db.batch([
    db.insert(webhookAttempts).values({
      id: newId("att"),
      deliveryId,
      profileId,
      attempt,
      url: res.url.slice(0, 2000),
      httpStatus: res.status,
      error,
      outcome,
      durationMs: res.durationMs,
      retryInSeconds: delay,
      startedAt: started,
    }),
    db
      .update(webhookDeliveries)
      .set({
        status,
        attemptCount: attempt,
        lastHttpStatus: res.status,
        lastError: outcome === "dead" ? `Gave up after ${msg.attempts} attempts: ${error}` : error,
        nextAttemptAt: delay === null ? null : started + delay * 1000,
        deliveredAt: res.ok ? started : null,
        updatedAt: started,
      })
      .where(eq(webhookDeliveries.id, deliveryId)),
    ...(outcome === "disabled"
      ? [db.update(messagingIntegrations).set({ handoffDisabledAt: started }).where(eq(messagingIntegrations.profileId, profileId))]
      : []),
  ]);
  if (outcome === "retry") return msg.retry({ delaySeconds: delay! });
  // Retrying past max_retries hands the message to the dead-letter queue.
  if (outcome === "dead") return msg.retry();
  msg.ack();
}

/** A message the platform dead-lettered (our last attempt, or our own errors exhausting the retries). */
async function markDeadLettered(db: Db, msg: Message<unknown>, now: number): Promise<void> {
  const job = Job.safeParse(msg.body);
  if (job.success) {
    await db
      .update(webhookDeliveries)
      .set({ status: "dead", nextAttemptAt: null, updatedAt: now })
      .where(and(eq(webhookDeliveries.id, job.data.deliveryId), eq(webhookDeliveries.profileId, job.data.profileId), inArray(webhookDeliveries.status, ["pending", "retrying"])));
  }
  msg.ack();
}
