import { z } from "@hono/zod-openapi";
import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { webhookAttempts, webhookDeliveries } from "../../db/schema";
import type { Env } from "../../env";
import { decodeCursor, encodeCursor } from "../../platform/cursor";
import { ApiError, notFound } from "../../platform/errors";
import { runBatch } from "../sql-batch";
import { queueDelivery } from "./enqueue";
import { integrationOf } from "./integrations";

const DELIVERY_STATUSES = ["pending", "retrying", "delivered", "failed", "dead", "disabled"] as const;
const FINISHED = ["delivered", "failed", "dead", "disabled"] as const;

export const AttemptSchema = z
  .object({
    attempt: z.number().int(),
    startedAt: z.string(),
    url: z.string(),
    httpStatus: z.number().int().nullable(),
    durationMs: z.number().int(),
    outcome: z.enum(["delivered", "retry", "failed", "dead", "disabled"]),
    error: z.string().nullable(),
    retryInSeconds: z.number().int().nullable(),
  })
  .openapi("WebhookAttempt");

export const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: "The X-GellHub-Delivery header, the same on every attempt", example: "dlv_3fZkq9Xc01AbCdEf" }),
    event: z.literal("handoff.requested"),
    status: z.enum(DELIVERY_STATUSES),
    conversationId: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()).openapi({ type: "object", additionalProperties: true, description: "The event's body fields as sent" }),
    attemptCount: z.number().int(),
    lastHttpStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
    attempts: z.array(AttemptSchema),
  })
  .openapi("WebhookDelivery");
export type DeliveryView = z.infer<typeof DeliverySchema>;

export const DeliveryListQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});
export type DeliveryListQuery = z.infer<typeof DeliveryListQuery>;

export const DeliveryListSchema = z.object({ deliveries: z.array(DeliverySchema), nextCursor: z.string().nullable() }).openapi("WebhookDeliveryList");

const Position = z.object({ at: z.number().int(), id: z.string().max(64) });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
type DeliveryRow = typeof webhookDeliveries.$inferSelect;
type AttemptRow = typeof webhookAttempts.$inferSelect;

function toView(d: DeliveryRow, attempts: AttemptRow[]): DeliveryView {
  return {
    id: d.id,
    event: d.event,
    status: d.status,
    conversationId: d.conversationId,
    payload: JSON.parse(d.payload) as Record<string, unknown>,
    attemptCount: d.attemptCount,
    lastHttpStatus: d.lastHttpStatus,
    lastError: d.lastError,
    nextAttemptAt: iso(d.nextAttemptAt),
    deliveredAt: iso(d.deliveredAt),
    createdAt: iso(d.createdAt)!,
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: iso(a.startedAt)!,
      url: a.url,
      httpStatus: a.httpStatus,
      durationMs: a.durationMs,
      outcome: a.outcome,
      error: a.error,
      retryInSeconds: a.retryInSeconds,
    })),
  };
}

async function attemptsOf(db: Db, profileId: string, ids: string[]): Promise<Map<string, AttemptRow[]>> {
  const map = new Map<string, AttemptRow[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return map;
  const rows = await db
    .select()
    .from(webhookAttempts)
    .where(and(eq(webhookAttempts.profileId, profileId), inArray(webhookAttempts.deliveryId, ids)))
    .orderBy(webhookAttempts.deliveryId, webhookAttempts.attempt)
    .all();
  for (const r of rows) map.get(r.deliveryId)?.push(r);
  return map;
}

/** The profile's deliveries, newest first, each with every attempt; keyset-paged. */
export async function listDeliveries(db: Db, profileId: string, q: DeliveryListQuery): Promise<z.infer<typeof DeliveryListSchema>> {
  const conds = [eq(webhookDeliveries.profileId, profileId)];
  if (q.status) conds.push(eq(webhookDeliveries.status, q.status));
  if (q.cursor) {
    const p = decodeCursor(q.cursor, Position);
    conds.push(or(lt(webhookDeliveries.createdAt, p.at), and(eq(webhookDeliveries.createdAt, p.at), lt(webhookDeliveries.id, p.id)))!);
  }
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(...conds))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(q.limit + 1)
    .all();
  const page = rows.slice(0, q.limit);
  const attempts = await attemptsOf(db, profileId, page.map((d) => d.id));
  const last = page[page.length - 1];
  return {
    deliveries: page.map((d) => toView(d, attempts.get(d.id)!)),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}

/** One delivery of the profile with its attempts; 404 for another account's id. */
export async function getDelivery(db: Db, profileId: string, id: string): Promise<DeliveryView> {
  const d = await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.profileId, profileId))).get();
  if (!d) throw notFound("delivery");
  return toView(d, (await attemptsOf(db, profileId, [id])).get(id)!);
}

/**
 * Sends a finished delivery again (same id, so receivers can de-duplicate; attempts continue
 * their numbering). 409 `delivery_in_progress` while it is still queued, 409 `webhook_disabled`
 * while a 410 keeps the endpoint off, 400 `webhook_url_required` without a URL.
 */
export async function replayDelivery(env: Pick<Env, "WEBHOOKS">, db: Db, profileId: string, id: string, now: number): Promise<DeliveryView> {
  const current = await getDelivery(db, profileId, id);
  const config = await integrationOf(db, profileId);
  if (!config?.handoffWebhookUrl) throw new ApiError("webhook_url_required", "Set a handoff webhook URL first");
  if (config.handoffDisabledAt) throw new ApiError("webhook_disabled", "The endpoint answered 410 Gone; save the handoff webhook again to re-enable it");
  const [changed] = await db
    .update(webhookDeliveries)
    .set({ status: "pending", lastError: null, nextAttemptAt: null, deliveredAt: null, updatedAt: now })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.profileId, profileId), inArray(webhookDeliveries.status, [...FINISHED])))
    .returning({ id: webhookDeliveries.id });
  if (!changed) throw new ApiError("delivery_in_progress", `Delivery ${current.id} is still being attempted`);
  await queueDelivery(env, db, { deliveryId: id, profileId }, now);
  return getDelivery(db, profileId, id);
}

/** How long the delivery log and the skill-call log are kept. */
export const WEBHOOK_LOG_RETENTION_MS = 30 * 24 * 3600_000;

/** Cron: forgets finished deliveries (and their attempts) and skill calls older than the retention. */
export async function pruneWebhookLogs(db: Db, now: number): Promise<void> {
  const cutoff = now - WEBHOOK_LOG_RETENTION_MS;
  await runBatch(db, [
    sql`DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE created_at < ${cutoff} AND status NOT IN ('pending', 'retrying'))`,
    sql`DELETE FROM webhook_deliveries WHERE created_at < ${cutoff} AND status NOT IN ('pending', 'retrying')`,
    sql`DELETE FROM skill_calls WHERE created_at < ${cutoff}`,
  ]);
}
