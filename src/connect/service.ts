import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { createApiKey, enableProductLine, getAccountOverview, revokeApiKey } from "../accounts/service";
import type { Db } from "../db";
import { connectCodes, partnerLinks, type ProductLine } from "../db/schema";
import { isInForce, LINE_OF_PLAN_TYPE } from "../plans/service";
import { sha256Hex, timingSafeEqualStr } from "../platform/crypto";
import { ApiError } from "../platform/errors";
import { base64url, randomToken } from "../platform/ids";
import { enforceRateLimits } from "../platform/rate-limit";
import { assertActive, authenticateClient, findAppByClientId, recordEvent, type PartnerApp } from "./apps";

/** Authenticated partner calls allowed per app and minute. */
export const PARTNER_LIMITS_PER_MINUTE = { exchange: 60, verify: 120 } as const;

/** Codes live at most this long (RFC 9700: short-lived, single use). */
export const CODE_TTL_MS = 10 * 60_000;
/** Used codes stay this long past expiry so a late replay is still detected. */
const USED_CODE_RETENTION_MS = 24 * 3600_000;

/**
 * The partner app `clientId` when profile `profileId` completed embedded connect with it
 * (and the app is not suspended); null otherwise. For features that scope data to an app.
 */
export async function findLinkedApp(db: Db, profileId: string, clientId: string): Promise<PartnerApp | null> {
  const app = await findAppByClientId(db, clientId);
  if (!app || app.status !== "active") return null;
  const link = await db
    .select({ appId: partnerLinks.appId })
    .from(partnerLinks)
    .where(and(eq(partnerLinks.appId, app.id), eq(partnerLinks.profileId, profileId)))
    .get();
  return link ? app : null;
}

/** Gives the profile the app's product line (free plan) when it does not have it yet. */
export async function ensureProductLine(db: Db, profileId: string, line: ProductLine, now: number): Promise<void> {
  const overview = await getAccountOverview(db, profileId);
  if (overview.productLines.some((l) => l.productLine === line)) return;
  try {
    await enableProductLine(db, profileId, line, now);
  } catch (err) {
    if (!(err instanceof ApiError && err.code === "product_line_exists")) throw err;
  }
}

export interface FinalizeInput {
  returnUrl: string;
  state?: string;
  codeChallenge?: string;
}

/**
 * Issues a one-time code for (app, profile), links them, and returns the partner URL:
 * return_url with `code` and the untouched `state`. Only the code's hash is stored.
 */
export async function finalizeConnect(db: Db, app: PartnerApp, profileId: string, input: FinalizeInput, now: number): Promise<string> {
  assertActive(app);
  const code = randomToken(32);
  await db.batch([
    db.insert(connectCodes).values({
      codeHash: await sha256Hex(code),
      appId: app.id,
      profileId,
      state: input.state ?? null,
      codeChallenge: input.codeChallenge ?? null,
      createdAt: now,
      expiresAt: now + CODE_TTL_MS,
    }),
    db
      .insert(partnerLinks)
      .values({ appId: app.id, profileId, createdAt: now, lastConnectedAt: now })
      .onConflictDoUpdate({ target: [partnerLinks.appId, partnerLinks.profileId], set: { lastConnectedAt: now } }),
    db.delete(connectCodes).where(lt(connectCodes.expiresAt, now - USED_CODE_RETENTION_MS)),
  ]);
  await recordEvent(db, app.id, "finalize", now);
  const url = new URL(input.returnUrl);
  url.searchParams.set("code", code);
  if (input.state !== undefined) url.searchParams.set("state", input.state);
  return url.toString();
}

async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

/** What both exchange and verify tell a partner about the account, for the app's line. */
async function accountSnapshot(db: Db, app: PartnerApp, profileId: string) {
  const overview = await getAccountOverview(db, profileId);
  const line = LINE_OF_PLAN_TYPE[app.productType];
  const sub = overview.productLines.find((l) => l.productLine === line);
  const msg = overview.productLines.find((l) => l.productLine === "messaging");
  return {
    overview,
    line,
    hasMessagingSubscription: !!msg && isInForce(msg.status),
    spaceOf: (l: ProductLine) => overview.productLines.find((p) => p.productLine === l)?.spaceId ?? null,
    plan: sub
      ? { scope: line, id: sub.plan.id, name: sub.plan.name, price: sub.plan.price, status: sub.status }
      : { scope: line, id: null, name: null, price: null, status: "none" },
  };
}

async function revokeKeys(db: Db, profileId: string, keyIds: string[], now: number) {
  for (const id of keyIds) {
    try {
      await revokeApiKey(db, profileId, id, now);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === "not_found")) throw err;
    }
  }
}

const invalidGrant = (detail: string) => new ApiError("invalid_grant", detail);

export interface ExchangeInput {
  code: string;
  client_id: string;
  client_secret: string;
  code_verifier?: string;
}

/**
 * Authenticates the partner backend (401 `invalid_client`), refuses a suspended app (403),
 * then counts the call against the app's own rate limit. Counting only authenticated calls
 * means nobody can use a public client_id to exhaust a partner's quota.
 */
export async function authenticatePartner(db: Db, clientId: string, clientSecret: string, bucket: "exchange" | "verify", now: number) {
  const app = await authenticateClient(db, clientId, clientSecret);
  assertActive(app);
  await enforceRateLimits(db, [{ bucket: `connect:${bucket}:${app.id}`, limit: PARTNER_LIMITS_PER_MINUTE[bucket], windowMs: 60_000 }], now);
  return app;
}

/**
 * Redeems a code once for an authenticated app. The redemption is one conditional UPDATE
 * (single use under concurrency). A second redemption fails and revokes the keys the first
 * one issued. A wrong secret fails in authenticatePartner, so the code stays redeemable.
 */
export async function exchangeCode(db: Db, app: PartnerApp, input: ExchangeInput, now: number) {
  const codeHash = await sha256Hex(input.code);
  const redeemed = await db
    .update(connectCodes)
    .set({ usedAt: now })
    .where(
      and(eq(connectCodes.codeHash, codeHash), eq(connectCodes.appId, app.id), isNull(connectCodes.usedAt), gt(connectCodes.expiresAt, now)),
    )
    .returning()
    .all();
  const row = redeemed[0];
  if (!row) {
    const known = await db.select().from(connectCodes).where(eq(connectCodes.codeHash, codeHash)).get();
    if (known && known.appId === app.id && known.usedAt !== null) {
      // A request racing the first redemption (its keys not recorded yet) is simply refused, so N
      // parallel redemptions give exactly one 200. A replay after it means the code leaked:
      // revoke what the first redemption issued.
      if (known.issuedKeyIds === null) throw invalidGrant("This code is being redeemed");
      await db.update(connectCodes).set({ reusedAt: now }).where(eq(connectCodes.codeHash, codeHash));
      await revokeKeys(db, known.profileId, known.issuedKeyIds, now);
      throw invalidGrant("This code was already used; the keys it issued have been revoked");
    }
    throw invalidGrant("Unknown, expired or already used code");
  }
  if (row.codeChallenge !== null) {
    const ok = input.code_verifier !== undefined && (await timingSafeEqualStr(await s256(input.code_verifier), row.codeChallenge));
    if (!ok) throw invalidGrant("code_verifier does not match the code_challenge sent to start");
  }

  const snap = await accountSnapshot(db, app, row.profileId);
  const label = `Connect: ${app.name}`.slice(0, 60);
  const keys: Partial<Record<ProductLine, { id: string; key: string }>> = {};
  const issue = async (line: ProductLine) => {
    const k = await createApiKey(db, row.profileId, line, label, now, app.id);
    keys[line] = { id: k.id, key: k.key };
  };
  try {
    if (snap.spaceOf(snap.line)) await issue(snap.line);
    if (snap.hasMessagingSubscription && snap.line !== "messaging") await issue("messaging");
  } finally {
    await db
      .update(connectCodes)
      .set({ issuedKeyIds: Object.values(keys).map((k) => k.id) })
      .where(eq(connectCodes.codeHash, codeHash));
  }
  await db
    .update(partnerLinks)
    .set({ lastConnectedAt: now })
    .where(and(eq(partnerLinks.appId, app.id), eq(partnerLinks.profileId, row.profileId)));
  await recordEvent(db, app.id, "exchange", now);
  const p = snap.overview.profile;
  return {
    profileId: p.id,
    email: p.email,
    studioId: snap.spaceOf("gallery"),
    driveId: snap.spaceOf("drive"),
    apiKey: keys.gallery?.key ?? null,
    driveApiKey: keys.drive?.key ?? null,
    messagingApiKey: keys.messaging?.key ?? null,
    hasMessagingSubscription: snap.hasMessagingSubscription,
    accountKind: p.accountType,
    plan: snap.plan,
    state: row.state,
  };
}

export interface VerifyInput {
  profile_id: string;
  client_id: string;
  client_secret: string;
}

/** Is this profile still registered and linked to the (authenticated) app? 404 when never linked. */
export async function verifyLink(db: Db, app: PartnerApp, input: VerifyInput, now: number) {
  const link = await db
    .select({ appId: partnerLinks.appId })
    .from(partnerLinks)
    .where(and(eq(partnerLinks.appId, app.id), eq(partnerLinks.profileId, input.profile_id)))
    .get();
  if (!link) throw new ApiError("not_linked", "This profile never completed connect with your app");
  await recordEvent(db, app.id, "verify", now);
  let snap: Awaited<ReturnType<typeof accountSnapshot>>;
  try {
    snap = await accountSnapshot(db, app, input.profile_id);
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") {
      return { registered: false, linked: true, email: null, displayName: null, accountKind: null, hasMessagingSubscription: false, plan: null };
    }
    throw err;
  }
  const p = snap.overview.profile;
  return {
    registered: true,
    linked: true,
    email: p.email,
    displayName: p.displayName,
    accountKind: p.accountType,
    hasMessagingSubscription: snap.hasMessagingSubscription,
    plan: snap.plan,
  };
}

