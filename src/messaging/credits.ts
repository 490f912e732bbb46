import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { runBatch } from "./sql-batch";
import { IN_FORCE_STATUSES, getFreePlan } from "../plans/service";
import { ApiError } from "../platform/errors";

/** Credits and exact message counts of a profile's messaging account; 409 when the line is not enabled. */
export async function messagingAccountOf(db: Db, profileId: string) {
  const row = await db.get<{ id: string; credits: number; inbound: number; outbound: number } | undefined>(sql`
    SELECT id, credits, inbound_count AS inbound, outbound_count AS outbound FROM messaging_accounts WHERE profile_id = ${profileId}`);
  if (!row) throw new ApiError("product_line_not_enabled", "Enable Messaging for this account first");
  return row;
}

/**
 * Takes one credit for a turn before the engine runs: a conditional UPDATE that never goes
 * below zero (exact under any number of parallel turns) and its ledger row. Run both in one
 * batch; the UPDATE's `changes` is 1 when the credit was taken, 0 at a zero balance.
 */
export function reserveCreditStatements(profileId: string, turnId: string, now: number): SQL[] {
  return [
    sql`UPDATE messaging_accounts SET credits = credits - 1 WHERE profile_id = ${profileId} AND credits >= 1`,
    sql`INSERT INTO credit_ledger (id, profile_id, delta, reason, conversation_id, turn_id, created_at)
      SELECT ${turnId}, ${profileId}, -1, 'ai_turn', NULL, ${turnId}, ${now} WHERE changes() = 1`,
  ];
}

/** Gives a reserved credit back (the engine failed): the ledger row goes, the credit returns, once. */
export async function refundCredit(db: Db, profileId: string, turnId: string): Promise<void> {
  await runBatch(db, [
    sql`DELETE FROM credit_ledger WHERE turn_id = ${turnId} AND profile_id = ${profileId}`,
    sql`UPDATE messaging_accounts SET credits = credits + 1 WHERE profile_id = ${profileId} AND changes() = 1`,
  ]);
}

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/**
 * Cron: once per calendar month (UTC), tops every messaging account on the free plan (or on a
 * paid plan no longer in force) up to the free plan's monthly credits, with a ledger row for
 * what it added. Paid plans get their credits per paid invoice (billing) instead.
 */
export async function topUpFreeCredits(db: Db, now: number): Promise<number> {
  const free = await getFreePlan(db, "messaging");
  const allowance = free.monthlyCredits;
  const month = monthOf(now);
  const inForce = sql.join(IN_FORCE_STATUSES.map((s) => sql`${s}`), sql`, `);
  const eligible = sql`(ma.free_topup_month IS NULL OR ma.free_topup_month <> ${month}) AND EXISTS (
      SELECT 1 FROM subscriptions s JOIN plans p ON p.id = s.plan_id
      WHERE s.profile_id = ma.profile_id AND s.plan_type = 'messaging' AND (p.price_minor = 0 OR s.status NOT IN (${inForce})))`;
  const [, updated] = await runBatch(db, [
    sql`INSERT OR IGNORE INTO credit_ledger (id, profile_id, delta, reason, conversation_id, turn_id, created_at)
      SELECT 'topup_' || ma.profile_id || '_' || ${month}, ma.profile_id, ${allowance} - ma.credits, 'free_topup', NULL, NULL, ${now}
      FROM messaging_accounts ma WHERE ma.credits < ${allowance} AND ${eligible}`,
    sql`UPDATE messaging_accounts AS ma SET credits = max(ma.credits, ${allowance}), free_topup_month = ${month} WHERE ${eligible}`,
  ]);
  return updated ?? 0;
}
