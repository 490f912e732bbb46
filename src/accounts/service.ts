import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db";
import { isUniqueViolation } from "../db/batch";
import { apiKeys, drives, messagingAccounts, plans, profiles, sessions, studios, subscriptions, type ProductLine } from "../db/schema";
import { mintApiKey, newSession } from "../platform/auth";
import { hashPassword, sha256Hex, verifyPassword } from "../platform/crypto";
import { ApiError, notFound } from "../platform/errors";
import { newId } from "../platform/ids";
import { enforceRateLimits } from "../platform/rate-limit";
import { getFreePlan, getPlan, LINE_OF_PLAN_TYPE, PLAN_TYPE_OF_LINE, type PlanRow } from "../plans/service";
import type { AccountType } from "./schemas";

export const LINE_OF_ACCOUNT_TYPE: Record<AccountType, ProductLine> = { studio: "gallery", drive: "drive", messaging: "messaging" };
/** The register response names each line's key like the docs do. */
export const KEY_FIELD: Record<ProductLine, "apiKey" | "driveApiKey" | "messagingApiKey"> = {
  gallery: "apiKey",
  drive: "driveApiKey",
  messaging: "messagingApiKey",
};
const SPACE_ID_FIELD = { gallery: "studioId", drive: "driveId", messaging: "messagingAccountId" } as const;

const LOGIN_WINDOW_MS = 15 * 60_000;
export const LOGIN_LIMIT_PER_EMAIL = 10;
export const LOGIN_LIMIT_PER_IP = 50;

type Stmt = BatchItem<"sqlite">;

/** Statements that create a product space, its subscription and a first key. */
async function productLineStatements(db: Db, profileId: string, line: ProductLine, plan: PlanRow, spaceName: string, now: number) {
  const spaceId = newId(line === "gallery" ? "st" : line === "drive" ? "dr" : "ma");
  const space: Stmt =
    line === "gallery"
      ? db.insert(studios).values({ id: spaceId, profileId, name: spaceName, createdAt: now })
      : line === "drive"
        ? db.insert(drives).values({ id: spaceId, profileId, name: spaceName, createdAt: now })
        : // A paid plan's credits arrive with its first paid invoice (billing), not before payment.
          db.insert(messagingAccounts).values({ id: spaceId, profileId, credits: plan.priceMinor > 0 ? 0 : plan.monthlyCredits, createdAt: now });
  const key = await keyValues(profileId, line, "Default", now);
  const statements: Stmt[] = [
    space,
    db.insert(subscriptions).values({
      id: newId("sub"),
      profileId,
      planType: PLAN_TYPE_OF_LINE[line],
      planId: plan.id,
      // Paid plans wait for Stripe; only a verified payment makes them active.
      status: plan.priceMinor > 0 ? "incomplete" : "active",
      createdAt: now,
      updatedAt: now,
    }),
    db.insert(apiKeys).values(key.row),
  ];
  return { spaceId, rawKey: key.raw, statements };
}

async function resolvePlanForLine(db: Db, line: ProductLine, planId: string | undefined): Promise<PlanRow> {
  if (!planId) return getFreePlan(db, PLAN_TYPE_OF_LINE[line]);
  const plan = await getPlan(db, planId);
  if (!plan || !plan.published) throw new ApiError("unknown_plan", `No published plan has id ${planId}`);
  if (LINE_OF_PLAN_TYPE[plan.planType] !== line) {
    throw new ApiError("plan_mismatch", `Plan ${planId} is a ${plan.planType} plan and cannot be used for this account type`);
  }
  return plan;
}

export interface RegisterInput {
  email: string;
  password: string;
  displayName: string;
  accountType: AccountType;
  planId?: string;
}

/**
 * Creates the profile, its product space, subscription row, first API key and a session,
 * all in one batch (nothing is written when any part fails). The raw key and session id
 * are returned once and never stored.
 */
export async function registerAccount(db: Db, input: RegisterInput, now: number, pepper = "") {
  const line = LINE_OF_ACCOUNT_TYPE[input.accountType];
  const plan = await resolvePlanForLine(db, line, input.planId);
  const existing = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.email, input.email)).get();
  if (existing) throw new ApiError("email_taken", "An account with this email already exists");

  const profileId = newId("pr");
  const passwordHash = await hashPassword(input.password, pepper);
  const space = await productLineStatements(db, profileId, line, plan, input.displayName, now);
  const session = await newSession(profileId, now);
  try {
    await db.batch([
      db.insert(profiles).values({
        id: profileId,
        email: input.email,
        displayName: input.displayName,
        passwordHash,
        accountType: input.accountType,
        createdAt: now,
      }),
      ...(space.statements as [Stmt, ...Stmt[]]),
      db.insert(sessions).values(session.row),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("email_taken", "An account with this email already exists");
    throw err;
  }
  return {
    response: {
      profileId,
      email: input.email,
      displayName: input.displayName,
      accountType: input.accountType,
      [SPACE_ID_FIELD[line]]: space.spaceId,
      [KEY_FIELD[line]]: space.rawKey,
      plan: { id: plan.id, name: plan.name, price: plan.priceMinor / 100 },
      requiresPayment: plan.priceMinor > 0,
    },
    sessionRaw: session.raw,
    rawKey: space.rawKey,
    line,
    profileId,
    plan,
  };
}

/** Adds another product line (free plan) to an existing profile and returns its first key once. */
export async function enableProductLine(db: Db, profileId: string, line: ProductLine, now: number) {
  const profile = await db.query.profiles.findFirst({ where: eq(profiles.id, profileId) });
  if (!profile) throw notFound("profile");
  const has = await db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.profileId, profileId), eq(subscriptions.planType, PLAN_TYPE_OF_LINE[line])))
    .get();
  if (has) throw new ApiError("product_line_exists", `This account already has ${line}`);
  const plan = await getFreePlan(db, PLAN_TYPE_OF_LINE[line]);
  const space = await productLineStatements(db, profileId, line, plan, profile.displayName, now);
  try {
    await db.batch(space.statements as [Stmt, ...Stmt[]]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("product_line_exists", `This account already has ${line}`);
    throw err;
  }
  return { spaceId: space.spaceId, rawKey: space.rawKey };
}

/**
 * Checks email + password with per-email and per-IP attempt limits. Unknown emails cost
 * the same PBKDF2 work and get the same answer as a wrong password.
 */
export async function authenticate(db: Db, email: string, password: string, ip: string, now: number, pepper = "") {
  await enforceRateLimits(
    db,
    [
      { bucket: `login:email:${await sha256Hex(email)}`, limit: LOGIN_LIMIT_PER_EMAIL, windowMs: LOGIN_WINDOW_MS },
      { bucket: `login:ip:${ip}`, limit: LOGIN_LIMIT_PER_IP, windowMs: LOGIN_WINDOW_MS },
    ],
    now,
  );
  const profile = await db.query.profiles.findFirst({ where: eq(profiles.email, email) });
  const ok = await verifyPassword(password, profile?.passwordHash ?? null, pepper);
  if (!profile || !ok) throw new ApiError("invalid_credentials", "Email or password is incorrect");
  return profile;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The profile and its product lines with plan, status and active key counts. */
export async function getAccountOverview(db: Db, profileId: string) {
  // One round trip: this answers every key and session (GET /api/account, the dashboard).
  const [[profile], subs, keyCounts, [studio], [drive], [msg]] = await db.batch([
    db.select().from(profiles).where(eq(profiles.id, profileId)),
    db
      .select({ sub: subscriptions, planName: plans.name, priceMinor: plans.priceMinor })
      .from(subscriptions)
      .leftJoin(plans, eq(plans.id, subscriptions.planId))
      .where(eq(subscriptions.profileId, profileId)),
    db
      .select({ line: apiKeys.productLine, n: count() })
      .from(apiKeys)
      .where(and(eq(apiKeys.profileId, profileId), isNull(apiKeys.revokedAt)))
      .groupBy(apiKeys.productLine),
    db.select({ id: studios.id }).from(studios).where(eq(studios.profileId, profileId)),
    db.select({ id: drives.id }).from(drives).where(eq(drives.profileId, profileId)),
    db.select({ id: messagingAccounts.id }).from(messagingAccounts).where(eq(messagingAccounts.profileId, profileId)),
  ]);
  if (!profile) throw notFound("profile");
  const spaceIds: Record<ProductLine, string | undefined> = { gallery: studio?.id, drive: drive?.id, messaging: msg?.id };
  const lines = subs.map(({ sub, planName, priceMinor }) => {
    const line = LINE_OF_PLAN_TYPE[sub.planType];
    return {
      productLine: line,
      spaceId: spaceIds[line] ?? "",
      plan: { id: sub.planId, name: planName ?? sub.planId, price: (priceMinor ?? 0) / 100 },
      status: sub.status,
      activeKeys: keyCounts.find((k) => k.line === line)?.n ?? 0,
    };
  });
  const order: ProductLine[] = ["gallery", "drive", "messaging"];
  lines.sort((a, b) => order.indexOf(a.productLine) - order.indexOf(b.productLine));
  return {
    profile: {
      id: profile.id,
      email: profile.email,
      displayName: profile.displayName,
      role: profile.role,
      accountType: profile.accountType,
      createdAt: new Date(profile.createdAt).toISOString(),
    },
    productLines: lines,
  };
}

type KeyRow = typeof apiKeys.$inferSelect;
function toPublicKey(k: KeyRow) {
  return {
    id: k.id,
    productLine: k.productLine,
    label: k.label,
    displayPrefix: k.displayPrefix,
    last4: k.last4,
    partnerAppId: k.partnerAppId,
    createdAt: new Date(k.createdAt).toISOString(),
    lastUsedAt: iso(k.lastUsedAt),
  };
}

/** Active keys of a profile (never the secret). */
export async function listApiKeys(db: Db, profileId: string) {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.profileId, profileId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt))
    .all();
  return rows.map(toPublicKey);
}

async function requireLine(db: Db, profileId: string, line: ProductLine) {
  const sub = await db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.profileId, profileId), eq(subscriptions.planType, PLAN_TYPE_OF_LINE[line])))
    .get();
  if (!sub) throw new ApiError("product_line_not_enabled", `Enable ${line} for this account first`);
}

async function keyValues(profileId: string, line: ProductLine, label: string, now: number, partnerAppId: string | null = null) {
  const key = await mintApiKey(line);
  const row: KeyRow = {
    id: newId("key"),
    profileId,
    productLine: line,
    keyHash: key.keyHash,
    displayPrefix: key.displayPrefix,
    last4: key.last4,
    label,
    partnerAppId,
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  };
  return { raw: key.raw, row };
}

/** Creates a key for a line the profile has; the full key is in the result only. */
export async function createApiKey(db: Db, profileId: string, line: ProductLine, label: string, now: number, partnerAppId: string | null = null) {
  await requireLine(db, profileId, line);
  const { raw, row } = await keyValues(profileId, line, label, now, partnerAppId);
  await db.insert(apiKeys).values(row);
  return { ...toPublicKey(row), key: raw };
}

/** Revokes one of the profile's keys; another profile's key id is a 404. */
export async function revokeApiKey(db: Db, profileId: string, keyId: string, now: number) {
  const res = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.profileId, profileId), isNull(apiKeys.revokedAt)))
    .run();
  if (res.meta.changes !== 1) throw notFound("API key");
}

/** Replaces a key with a new one of the same line and label; the old key stops working at once. */
export async function rotateApiKey(db: Db, profileId: string, keyId: string, now: number) {
  const old = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.profileId, profileId), isNull(apiKeys.revokedAt)))
    .get();
  if (!old) throw notFound("API key");
  const { raw, row } = await keyValues(profileId, old.productLine, old.label, now, old.partnerAppId);
  const [revoked] = await db.batch([
    db.update(apiKeys).set({ revokedAt: now }).where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt))),
    db.insert(apiKeys).values(row),
  ]);
  if (revoked.meta.changes !== 1) throw notFound("API key");
  return { ...toPublicKey(row), key: raw };
}

/** Revokes every active key a partner app issued through embedded connect (the app was deleted). */
export async function revokePartnerAppKeys(db: Db, partnerAppId: string, now: number): Promise<number> {
  const res = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.partnerAppId, partnerAppId), isNull(apiKeys.revokedAt)))
    .run();
  return res.meta.changes;
}

/**
 * Records that the profile's own email was verified by a link sent to it (a gallery share);
 * `email` must still be the profile's. Idempotent: the first verification time is kept.
 */
export async function markEmailVerified(db: Db, profileId: string, email: string, now: number): Promise<void> {
  await db
    .update(profiles)
    .set({ emailVerifiedAt: now })
    .where(and(eq(profiles.id, profileId), eq(profiles.email, email.toLowerCase()), isNull(profiles.emailVerifiedAt)));
}

/** Whether a login with this email exists (pages that offer "sign in" or "create account" for a known email). */
export async function hasAccount(db: Db, email: string): Promise<boolean> {
  return !!(await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.email, email.toLowerCase())).get());
}
