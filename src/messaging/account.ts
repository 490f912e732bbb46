import { and, desc, eq, isNull } from "drizzle-orm";
import { createApiKey, revokeApiKey, rotateApiKey } from "../accounts/service";
import type { Db } from "../db";
import { apiKeys } from "../db/schema";
import { listAgents, toAgent, toAgentSummary } from "./agents";
import { messagingAccountOf } from "./credits";
import { getEmbedSettings } from "./embed";
import { iso } from "./schemas";

/** The dashboard's messaging key: the newest active msg_ key not issued to a partner app (partners keep theirs). */
async function dashboardKeys(db: Db, profileId: string) {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.profileId, profileId), eq(apiKeys.productLine, "messaging"), isNull(apiKeys.revokedAt), isNull(apiKeys.partnerAppId)))
    .orderBy(desc(apiKeys.createdAt))
    .all();
}

/** GET /api/messaging/account: credits, exact counts and the key's prefix and last 4 (never the key). */
export async function accountSummary(db: Db, profileId: string) {
  const acc = await messagingAccountOf(db, profileId);
  const [key] = await dashboardKeys(db, profileId);
  return {
    credits: acc.credits,
    inboundCount: acc.inbound,
    outboundCount: acc.outbound,
    hasApiKey: Boolean(key),
    apiKey: key ? { displayPrefix: key.displayPrefix, last4: key.last4, createdAt: iso(key.createdAt) } : null,
  };
}

/**
 * Creates the messaging key, or rotates it: the previous dashboard keys stop at once and the
 * full new key is returned once.
 */
export async function createOrRotateKey(db: Db, profileId: string, now: number) {
  await messagingAccountOf(db, profileId);
  const [current, ...older] = await dashboardKeys(db, profileId);
  const created = current ? await rotateApiKey(db, profileId, current.id, now) : await createApiKey(db, profileId, "messaging", "Dashboard", now);
  for (const k of older) await revokeApiKey(db, profileId, k.id, now);
  return { key: created.key, displayPrefix: created.displayPrefix, last4: created.last4, createdAt: created.createdAt, rotated: Boolean(current) };
}

/** GET /api/messaging/v1/bot: the read-only snapshot of the guide. */
export async function botSnapshot(db: Db, profileId: string, origin: string) {
  const acc = await messagingAccountOf(db, profileId);
  const agents = await listAgents(db, profileId);
  const def = agents.find((a) => a.isDefault);
  return { credits: acc.credits, agents: agents.map(toAgentSummary), defaultAgent: def ? toAgent(def) : null, ...(await getEmbedSettings(db, profileId, origin, Date.now())) };
}
