import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Db } from "../../db";
import { messagingIntegrations } from "../../db/schema";
import type { Env } from "../../env";
import { openSecret, sealSecret } from "../../platform/secret-box";
import { messagingAccountOf } from "../credits";
import { assertWebhookUrl } from "../outbound";

export type IntegrationRow = typeof messagingIntegrations.$inferSelect;
export type SecretPurpose = "skills" | "handoff";
type SecretEnv = Pick<Env, "WEBHOOK_SECRET_KEY" | "WEBHOOK_SECRET_KEY_PREVIOUS" | "LOCAL_DEV">;

/** A webhook URL as typed (the URL rule itself runs in the service, where env is known); null clears it. */
export const WebhookUrlField = z.string().trim().min(1).max(2000).nullable();
/** A signing secret: write-only, 8..256 characters without spaces; null or "" removes it. */
export const WebhookSecretField = z
  .string()
  .max(256)
  .refine((s) => s === "" || (s.length >= 8 && !/\s/.test(s)), "8 to 256 characters without spaces (or empty to remove it)")
  .nullable();

/** The profile's integrations row, if any was ever saved. */
export function integrationOf(db: Db, profileId: string): Promise<IntegrationRow | undefined> {
  return db.select().from(messagingIntegrations).where(eq(messagingIntegrations.profileId, profileId)).get();
}

/** Creates or updates the row with `patch` (409 without a messaging account); returns the saved row. */
export async function saveIntegration(db: Db, profileId: string, patch: Partial<Omit<IntegrationRow, "profileId" | "updatedAt">>, now: number): Promise<IntegrationRow> {
  await messagingAccountOf(db, profileId);
  const [row] = await db
    .insert(messagingIntegrations)
    .values({ profileId, ...patch, updatedAt: now })
    .onConflictDoUpdate({ target: messagingIntegrations.profileId, set: { ...patch, updatedAt: now } })
    .returning();
  return row!;
}

/** Checks a webhook URL as the save path must (400 `url_not_allowed`); null passes as "none". */
export function checkedWebhookUrl(env: Pick<Env, "LOCAL_DEV">, raw: string | null): string | null {
  return raw === null ? null : assertWebhookUrl(raw, env).toString();
}

const context = (profileId: string, purpose: SecretPurpose) => `gellhub:${purpose}:${profileId}`;

/** The sealed form of a secret to store: undefined keeps the stored one, null or "" removes it. */
export async function sealedOrCleared(env: SecretEnv, profileId: string, purpose: SecretPurpose, secret: string | null | undefined): Promise<string | null | undefined> {
  if (secret === undefined) return undefined;
  if (secret === null || secret === "") return null;
  return sealSecret(env, secret, context(profileId, purpose));
}

/** The clear secret for signing, or null when none is stored. */
export function openedSecret(env: SecretEnv, profileId: string, purpose: SecretPurpose, sealed: string | null): Promise<string | null> {
  return sealed ? openSecret(env, sealed, context(profileId, purpose)) : Promise.resolve(null);
}
