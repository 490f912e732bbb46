import { eq } from "drizzle-orm";
import type { Db } from "../../db";
import { messagingIntegrations, webhookDeliveries } from "../../db/schema";
import type { Env } from "../../env";
import { newId } from "../../platform/ids";

/** The guide's `handoff.requested` body fields (the consumer adds `version` and `event`). */
export interface HandoffEvent {
  profileId: string;
  conversationRef: string;
  conversationId: string;
  /** The widget visitor; null on channels without one (e.g. `api`). */
  visitorId: string | null;
  agentId: string;
  channel: string;
  /** The visitor's message that asked for a person. */
  message: string;
  /** ISO 8601 UTC. */
  requestedAt: string;
}

/** One queue message: which delivery to attempt (its row holds the payload). */
export interface WebhookJob {
  deliveryId: string;
  profileId: string;
}

export type EnqueueResult = { deliveryId: string; status: "pending" | "disabled" | "dead" } | null;

/**
 * Records a `handoff.requested` delivery and puts it on the WEBHOOKS queue. Does nothing (null)
 * when the merchant has no handoff URL. When the endpoint was disabled by a 410 the delivery is
 * recorded as `disabled` (visible, replayable after the URL is saved again) and not queued.
 * Never throws for a queue outage: the delivery is then `dead` with the reason, replayable.
 */
export async function enqueueHandoff(env: Pick<Env, "WEBHOOKS">, db: Db, event: HandoffEvent, now = Date.now()): Promise<EnqueueResult> {
  const config = await db
    .select({ url: messagingIntegrations.handoffWebhookUrl, disabledAt: messagingIntegrations.handoffDisabledAt })
    .from(messagingIntegrations)
    .where(eq(messagingIntegrations.profileId, event.profileId))
    .get();
  if (!config?.url) return null;
  const id = newId("dlv");
  const payload: HandoffEvent = {
    profileId: event.profileId,
    conversationRef: event.conversationRef,
    conversationId: event.conversationId,
    visitorId: event.visitorId,
    agentId: event.agentId,
    channel: event.channel,
    message: event.message,
    requestedAt: event.requestedAt,
  };
  const status = config.disabledAt ? "disabled" : "pending";
  await db.insert(webhookDeliveries).values({
    id,
    profileId: event.profileId,
    event: "handoff.requested",
    payload: JSON.stringify(payload),
    conversationId: event.conversationId,
    status,
    lastError: config.disabledAt ? "The endpoint answered 410 Gone earlier; save the handoff URL again to re-enable it" : null,
    createdAt: now,
    updatedAt: now,
  });
  if (status === "disabled") return { deliveryId: id, status };
  return { deliveryId: id, status: await queueDelivery(env, db, { deliveryId: id, profileId: event.profileId }, now) };
}

/** Sends one delivery's job to the queue; on a queue error marks it `dead` with the reason. */
export async function queueDelivery(env: Pick<Env, "WEBHOOKS">, db: Db, job: WebhookJob, now = Date.now()): Promise<"pending" | "dead"> {
  try {
    await env.WEBHOOKS.send(job, { contentType: "json" });
    return "pending";
  } catch (err) {
    await db
      .update(webhookDeliveries)
      .set({ status: "dead", lastError: `Could not queue the delivery: ${String(err).slice(0, 200)}`, updatedAt: now })
      .where(eq(webhookDeliveries.id, job.deliveryId));
    return "dead";
  }
}
