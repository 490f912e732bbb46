import { and, desc, eq, isNull } from "drizzle-orm";
import { createApiKey, revokeApiKey, rotateApiKey } from "../accounts/service";
import type { Db } from "../db";
import { apiKeys } from "../db/schema";
import { listAgents, toAgent, toAgentSummary } from "./agents";
import { messagingAccountOf } from "./credits";
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

/** Embed settings until the widget issue stores them: the guide's keys with their defaults. */
export function embedDefaults(origin: string) {
  return {
    embedEnabled: false,
    embedPublicId: null as string | null,
    embedAllowedOrigins: [] as string[],
    embedAccentColor: "#0d9488",
    embedLauncherIcon: "💬",
    embedShowLauncher: true,
    embedGreeting: "Hi! How can we help?",
    embedShareLink: null as string | null,
    embedCodeFloating: `<!-- Enable the website widget first (PUT ${origin}/api/messaging/v1/embed) -->`,
    embedCodeButton: `<!-- Enable the website widget first (PUT ${origin}/api/messaging/v1/embed) -->`,
  };
}

/** GET /api/messaging/v1/bot: the read-only snapshot of the guide. */
export async function botSnapshot(db: Db, profileId: string, origin: string) {
  const acc = await messagingAccountOf(db, profileId);
  const agents = await listAgents(db, profileId);
  const def = agents.find((a) => a.isDefault);
  return { credits: acc.credits, agents: agents.map(toAgentSummary), defaultAgent: def ? toAgent(def) : null, ...embedDefaults(origin) };
}
