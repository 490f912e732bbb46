import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db";
import { drives, studios, type OwnerKind } from "../../db/schema";
import { ApiError } from "../errors";

/** A space that owns stored bytes: a studio (Client Gallery) or a drive. */
export interface OwnerRef {
  kind: OwnerKind;
  id: string;
}

/** The table holding used_bytes / reserved_bytes for each owner kind (identifiers, never user input). */
export const OWNER_TABLE = { studio: studios, drive: drives } as const;

/**
 * An owner's storage as a feature describes it to platform: whose bytes, the key prefix every
 * one of its objects starts with, and its limit. Platform knows no plans: the feature reads the
 * limit (the plan in force) and storage only calls `limitBytes` where a check needs it.
 */
export interface StorageSpace {
  owner: OwnerRef;
  /** Ends with "/" (`drive/<driveId>/`); keys outside it are unknown to this owner. */
  keyPrefix: string;
  limitBytes: () => Promise<number>;
}

/** Bytes of completed files and bytes reserved by open upload intents. */
export async function getUsage(db: Db, owner: OwnerRef): Promise<{ usedBytes: number; reservedBytes: number }> {
  const t = OWNER_TABLE[owner.kind];
  const row = await db.select({ usedBytes: t.usedBytes, reservedBytes: t.reservedBytes }).from(t).where(eq(t.id, owner.id)).get();
  return row ?? { usedBytes: 0, reservedBytes: 0 };
}

/** `{ usedBytes, limitBytes }` of a space; usedBytes counts completed files and open reservations. */
export async function getStorageSummary(db: Db, space: StorageSpace) {
  const [usage, limitBytes] = await Promise.all([getUsage(db, space.owner), space.limitBytes()]);
  return { usedBytes: usage.usedBytes + usage.reservedBytes, limitBytes };
}

/** SQL for "this owner's used + reserved bytes plus `extra` stays within `limit`". */
export function fitsQuota(owner: OwnerRef, extra: number, limit: number): SQL {
  const t = OWNER_TABLE[owner.kind];
  return sql`(SELECT ${t.usedBytes} + ${t.reservedBytes} FROM ${t} WHERE ${t.id} = ${owner.id}) + ${extra} <= ${limit}`;
}

/** Statement lowering used_bytes by `bytes` (a SQL expression), never below zero. */
export function releaseUsedStatement(db: Db, owner: OwnerRef, bytes: SQL, guard?: SQL) {
  const t = OWNER_TABLE[owner.kind];
  return db
    .update(t)
    .set({ usedBytes: sql`max(0, ${t.usedBytes} - ${bytes})` })
    .where(guard ? and(eq(t.id, owner.id), guard) : eq(t.id, owner.id));
}

export function storageLimitExceeded(limit: number): ApiError {
  return new ApiError("storage_limit_exceeded", `This upload would exceed your plan's storage limit of ${limit} bytes`);
}
