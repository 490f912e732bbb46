import { and, count, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { revokePartnerAppKeys } from "../accounts/service";
import type { Db } from "../db";
import { inChunks } from "../db/batch";
import { connectCodes, connectEvents, partnerApps, partnerLinks, profiles, type ConnectEventKind, type PlanType } from "../db/schema";
import { sha256Hex, timingSafeEqualStr } from "../platform/crypto";
import { ApiError, notFound } from "../platform/errors";
import { newId, randomToken } from "../platform/ids";

export type PartnerApp = typeof partnerApps.$inferSelect;

/** The Console's public view of an app: never the secret or its hash. */
export function toPublicApp(app: PartnerApp) {
  return {
    id: app.id,
    clientId: app.clientId,
    name: app.name,
    allowedProductTypes: [app.productType],
    redirectUris: app.redirectUris,
    status: app.status,
    createdAt: new Date(app.createdAt).toISOString(),
    updatedAt: new Date(app.updatedAt).toISOString(),
  };
}

/** A new client secret (`cs_` + 256 random bits) and its SHA-256; only the hash is stored. */
async function mintSecret() {
  const raw = `cs_${randomToken(32)}`;
  return { raw, hash: await sha256Hex(raw) };
}

export interface CreateAppInput {
  name: string;
  allowedProductTypes: [PlanType];
  redirectUris: string[];
}

/** Registers an app for the owner; the client secret is returned once. */
export async function createApp(db: Db, ownerProfileId: string, input: CreateAppInput, now: number) {
  const secret = await mintSecret();
  const row: PartnerApp = {
    id: newId("app"),
    clientId: newId("ci", 24),
    clientSecretHash: secret.hash,
    ownerProfileId,
    name: input.name,
    productType: input.allowedProductTypes[0],
    redirectUris: input.redirectUris,
    status: "active",
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(partnerApps).values(row);
  return { ...toPublicApp(row), clientSecret: secret.raw };
}

export async function listOwnApps(db: Db, ownerProfileId: string) {
  const rows = await db
    .select()
    .from(partnerApps)
    .where(eq(partnerApps.ownerProfileId, ownerProfileId))
    .orderBy(desc(partnerApps.createdAt))
    .all();
  return rows.map(toPublicApp);
}

/** The owner's app; another owner's id is a 404, never a 403. */
export async function getOwnApp(db: Db, ownerProfileId: string, appId: string): Promise<PartnerApp> {
  const row = await db
    .select()
    .from(partnerApps)
    .where(and(eq(partnerApps.id, appId), eq(partnerApps.ownerProfileId, ownerProfileId)))
    .get();
  if (!row) throw notFound("app");
  return row;
}

export async function updateOwnApp(
  db: Db,
  ownerProfileId: string,
  appId: string,
  patch: { name?: string; redirectUris?: string[] },
  now: number,
) {
  const set: Partial<PartnerApp> = { updatedAt: now };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.redirectUris !== undefined) set.redirectUris = patch.redirectUris;
  const res = await db
    .update(partnerApps)
    .set(set)
    .where(and(eq(partnerApps.id, appId), eq(partnerApps.ownerProfileId, ownerProfileId)))
    .run();
  if (res.meta.changes !== 1) throw notFound("app");
  return toPublicApp(await getOwnApp(db, ownerProfileId, appId));
}

/** Replaces the secret: the old one stops working with this write. The new one is returned once. */
export async function rotateAppSecret(db: Db, ownerProfileId: string, appId: string, now: number) {
  const secret = await mintSecret();
  const res = await db
    .update(partnerApps)
    .set({ clientSecretHash: secret.hash, updatedAt: now })
    .where(and(eq(partnerApps.id, appId), eq(partnerApps.ownerProfileId, ownerProfileId)))
    .run();
  if (res.meta.changes !== 1) throw notFound("app");
  const app = await getOwnApp(db, ownerProfileId, appId);
  return { ...toPublicApp(app), clientSecret: secret.raw };
}

/**
 * Revokes the keys the app issued (a deleted app keeps no access to its merchants' accounts),
 * then deletes the app with its pending codes, links and events in one batch.
 */
export async function deleteOwnApp(db: Db, ownerProfileId: string, appId: string, now: number) {
  const app = await getOwnApp(db, ownerProfileId, appId);
  // Keys first: if the delete below fails, the app stays but has already lost its access (fail closed).
  await revokePartnerAppKeys(db, app.id, now);
  const [res] = await db.batch([
    db.delete(partnerApps).where(and(eq(partnerApps.id, app.id), eq(partnerApps.ownerProfileId, ownerProfileId))),
    db.delete(connectCodes).where(eq(connectCodes.appId, app.id)),
    db.delete(partnerLinks).where(eq(partnerLinks.appId, app.id)),
    db.delete(connectEvents).where(eq(connectEvents.appId, app.id)),
  ]);
  if (res.meta.changes !== 1) throw notFound("app");
}

export async function findAppByClientId(db: Db, clientId: string): Promise<PartnerApp | null> {
  return (await db.select().from(partnerApps).where(eq(partnerApps.clientId, clientId)).get()) ?? null;
}

/** An app that may be used right now; suspended apps answer 403 `app_suspended`. */
export function assertActive(app: PartnerApp): void {
  if (app.status !== "active") throw new ApiError("app_suspended", "This app has been suspended by GellHub staff");
}

/**
 * Authenticates a partner backend by client_id + client_secret. The secret is compared
 * digest to digest in constant time; unknown client and wrong secret give the same 401.
 */
export async function authenticateClient(db: Db, clientId: string, clientSecret: string): Promise<PartnerApp> {
  const app = await findAppByClientId(db, clientId);
  // Hash even for unknown clients so both answers cost the same.
  const presented = await sha256Hex(clientSecret);
  const ok = await timingSafeEqualStr(presented, app?.clientSecretHash ?? "0".repeat(64));
  if (!app || !ok) throw new ApiError("invalid_client", "Unknown client_id or wrong client_secret");
  return app;
}

const DAY_MS = 24 * 3600_000;

/** Counts one funnel event in its app/day/step counter (failures here never break the flow). */
export async function recordEvent(db: Db, appId: string, kind: ConnectEventKind, now: number) {
  try {
    await db
      .insert(connectEvents)
      .values({ appId, day: now - (now % DAY_MS), kind, count: 1 })
      .onConflictDoUpdate({ target: [connectEvents.appId, connectEvents.day, connectEvents.kind], set: { count: sql`${connectEvents.count} + 1` } });
  } catch (err) {
    console.error(JSON.stringify({ msg: "connect event not recorded", appId, kind, error: String(err) }));
  }
}

const KIND_FIELD: Record<ConnectEventKind, string> = {
  start: "starts",
  register: "registrations",
  login: "logins",
  finalize: "finalizations",
  exchange: "exchanges",
  verify: "verifies",
};
type Figures = { starts: number; registrations: number; logins: number; finalizations: number; exchanges: number; verifies: number };
const zero = (): Figures => ({ starts: 0, registrations: 0, logins: 0, finalizations: 0, exchanges: 0, verifies: 0 });

/** Per-day funnel of the last `days` days (UTC), oldest first, with totals. */
export async function appAnalytics(db: Db, appId: string, days: number, now: number) {
  const todayStart = now - (now % DAY_MS);
  const from = todayStart - (days - 1) * DAY_MS;
  const rows = await db
    .select({ day: connectEvents.day, kind: connectEvents.kind, n: connectEvents.count })
    .from(connectEvents)
    .where(and(eq(connectEvents.appId, appId), gte(connectEvents.day, from)))
    .all();
  const byDay = new Map<number, Figures>();
  for (let d = from; d <= todayStart; d += DAY_MS) byDay.set(d, zero());
  const totals = zero();
  for (const r of rows) {
    const field = KIND_FIELD[r.kind] as keyof Figures;
    const f = byDay.get(Number(r.day));
    if (f) f[field] += r.n;
    totals[field] += r.n;
  }
  return {
    appId,
    days: [...byDay.entries()].map(([d, f]) => ({ date: new Date(d).toISOString().slice(0, 10), ...f })),
    totals,
  };
}

/** Every app with its owner and all-time figures (staff moderation). */
export async function listAllApps(db: Db) {
  const apps = await db.select().from(partnerApps).orderBy(desc(partnerApps.createdAt)).all();
  if (apps.length === 0) return [];
  const ids = apps.map((a) => a.id);
  const ownerIds = [...new Set(apps.map((a) => a.ownerProfileId))];
  const [owners, events, links] = await Promise.all([
    inChunks(ownerIds, (part) =>
      db.select({ id: profiles.id, email: profiles.email, displayName: profiles.displayName }).from(profiles).where(inArray(profiles.id, part)).all(),
    ),
    inChunks(ids, (part) =>
      db
        .select({ appId: connectEvents.appId, kind: connectEvents.kind, n: sql<number>`sum(${connectEvents.count})`.mapWith(Number) })
        .from(connectEvents)
        .where(inArray(connectEvents.appId, part))
        .groupBy(connectEvents.appId, connectEvents.kind)
        .all(),
    ),
    inChunks(ids, (part) =>
      db.select({ appId: partnerLinks.appId, n: count() }).from(partnerLinks).where(inArray(partnerLinks.appId, part)).groupBy(partnerLinks.appId).all(),
    ),
  ]);
  return apps.map((a) => {
    const figures = zero();
    for (const e of events) if (e.appId === a.id) figures[KIND_FIELD[e.kind] as keyof Figures] += e.n;
    const owner = owners.find((o) => o.id === a.ownerProfileId);
    return {
      ...toPublicApp(a),
      owner: { profileId: a.ownerProfileId, email: owner?.email ?? null, displayName: owner?.displayName ?? null },
      linkedProfiles: links.find((l) => l.appId === a.id)?.n ?? 0,
      figures,
    };
  });
}

/** Staff: suspend or reactivate any app. */
export async function setAppStatus(db: Db, appId: string, status: "active" | "suspended", now: number) {
  const res = await db.update(partnerApps).set({ status, updatedAt: now }).where(eq(partnerApps.id, appId)).run();
  if (res.meta.changes !== 1) throw notFound("app");
  const row = await db.select().from(partnerApps).where(eq(partnerApps.id, appId)).get();
  return toPublicApp(row!);
}
