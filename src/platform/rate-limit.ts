import { sql } from "drizzle-orm";
import type { Db } from "../db";
import { ApiError } from "./errors";

/**
 * Counts one hit in a fixed window and says whether it is within `limit`.
 * Exact under concurrency: one atomic upsert returns the new count.
 */
export async function hitRateLimit(db: Db, bucket: string, limit: number, windowMs: number, now: number) {
  const windowStart = now - (now % windowMs);
  const row = await db.get<{ count: number }>(sql`
    INSERT INTO rate_limits (bucket, window_start, count) VALUES (${bucket}, ${windowStart}, 1)
    ON CONFLICT (bucket, window_start) DO UPDATE SET count = count + 1
    RETURNING count`);
  const retryAfter = Math.ceil((windowStart + windowMs - now) / 1000);
  return { allowed: row.count <= limit, count: row.count, retryAfter };
}

/** Throws 429 `too_many_attempts` with Retry-After once any bucket is over its limit. */
export async function enforceRateLimits(
  db: Db,
  rules: { bucket: string; limit: number; windowMs: number }[],
  now: number,
): Promise<void> {
  const results = await Promise.all(rules.map((r) => hitRateLimit(db, r.bucket, r.limit, r.windowMs, now)));
  const over = results.filter((r) => !r.allowed);
  if (over.length > 0) {
    const retryAfter = Math.max(...over.map((r) => r.retryAfter));
    throw new ApiError("too_many_attempts", "Too many attempts; try again later", {
      headers: { "Retry-After": String(retryAfter) },
    });
  }
}

/** Deletes windows that ended before `now` (called by the cron). */
export async function pruneRateLimits(db: Db, now: number, maxWindowMs: number): Promise<void> {
  await db.run(sql`DELETE FROM rate_limits WHERE window_start < ${now - maxWindowMs}`);
}
