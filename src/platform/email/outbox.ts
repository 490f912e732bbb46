import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../../db";
import { emailOutbox, type EmailStatus } from "../../db/schema";
import { newId } from "../ids";
import { emailTransport, SendFailure } from "./transport";

export type EmailRow = typeof emailOutbox.$inferSelect;
type TransportEnv = Parameters<typeof emailTransport>[0];

/** Tries per message; after the last failed one the row is `failed`. */
export const MAX_EMAIL_ATTEMPTS = 6;
/** Wait after failed try N (1-based): 1 min, 5 min, 30 min, 2 h, 6 h. */
export const EMAIL_BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 6 * 3600_000];
/** A claimed send that has not finished after this long may be claimed again. */
export const EMAIL_LEASE_MS = 2 * 60_000;
/** Finished rows (sent, failed, held) are kept this long after their last change, then deleted. */
export const EMAIL_RETENTION_MS = 90 * 24 * 3600_000;
/** Rows the cron sends per run. */
const CRON_BATCH = 50;

export interface NewEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  kind: string;
  /** The account the message is sent for; its dashboard lists the message and its status. */
  profileId?: string | null;
}

/**
 * Writes one message to the outbox and returns its row: `pending` when a transport is
 * configured (send it with `deliverEmail`, e.g. in waitUntil; the cron retries), else `held`
 * (nothing leaves the machine; /dev/mailbox shows it under the local flag).
 */
export async function enqueueEmail(db: Db, env: TransportEnv, email: NewEmail, now: number): Promise<EmailRow> {
  const row = newEmailRow(env, email, now);
  await db.insert(emailOutbox).values(row);
  return row;
}

/** The insert of a row from `newEmailRow`, for callers that write it in one batch with their own rows. */
export function insertEmail(db: Db, row: EmailRow) {
  return db.insert(emailOutbox).values(row);
}

/** The row `enqueueEmail` would write, without writing it (to batch it with other writes). */
export function newEmailRow(env: TransportEnv, email: NewEmail, now: number): EmailRow {
  return {
    id: newId("eml"),
    profileId: email.profileId ?? null,
    kind: email.kind,
    toAddress: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    status: emailTransport(env) ? "pending" : "held",
    attempts: 0,
    lastError: null,
    nextAttemptAt: now,
    providerId: null,
    createdAt: now,
    updatedAt: now,
    sentAt: null,
  };
}

/**
 * Sends one due message. The claim is one conditional UPDATE (due `pending`, or `sending` whose
 * lease lapsed), so concurrent senders never both send; each claim counts an attempt. Success
 * -> `sent`; a retryable failure -> `pending` again after the backoff (or Retry-After), until
 * MAX_EMAIL_ATTEMPTS -> `failed`; a final failure -> `failed`. Returns the row's new status,
 * or null when it was not due (sent, held, claimed elsewhere, not yet time).
 */
export async function deliverEmail(db: Db, env: TransportEnv, id: string, now: number): Promise<EmailStatus | null> {
  const transport = emailTransport(env);
  if (!transport) return null;
  const claimed = await db
    .update(emailOutbox)
    .set({ status: "sending", attempts: sql`${emailOutbox.attempts} + 1`, nextAttemptAt: now + EMAIL_LEASE_MS, updatedAt: now })
    .where(and(eq(emailOutbox.id, id), inArray(emailOutbox.status, ["pending", "sending"]), lte(emailOutbox.nextAttemptAt, now)))
    .returning()
    .get();
  if (!claimed) return null;
  try {
    const providerId = await transport.send({ id: claimed.id, to: claimed.toAddress, subject: claimed.subject, text: claimed.text, html: claimed.html });
    await db
      .update(emailOutbox)
      .set({ status: "sent", providerId: providerId || null, lastError: null, sentAt: now, updatedAt: now })
      .where(and(eq(emailOutbox.id, id), eq(emailOutbox.status, "sending")));
    return "sent";
  } catch (err) {
    const failure = err instanceof SendFailure ? err : new SendFailure(String((err as Error)?.message ?? err).slice(0, 300), true);
    const final = !failure.retryable || claimed.attempts >= MAX_EMAIL_ATTEMPTS;
    const wait = Math.max(EMAIL_BACKOFF_MS[Math.min(claimed.attempts, EMAIL_BACKOFF_MS.length) - 1]!, failure.retryAfterMs ?? 0);
    const status: EmailStatus = final ? "failed" : "pending";
    await db
      .update(emailOutbox)
      .set({ status, lastError: failure.message, nextAttemptAt: final ? now : now + wait, updatedAt: now })
      .where(and(eq(emailOutbox.id, id), eq(emailOutbox.status, "sending")));
    return status;
  }
}

/**
 * The cron's pass: deletes finished rows older than EMAIL_RETENTION_MS, then sends every due
 * message (pending whose time came, or a lapsed claim), oldest first. Returns how many were sent.
 */
export async function sendDueEmails(db: Db, env: TransportEnv, now: number): Promise<number> {
  await db.delete(emailOutbox).where(and(inArray(emailOutbox.status, ["sent", "failed", "held"]), lte(emailOutbox.updatedAt, now - EMAIL_RETENTION_MS)));
  if (!emailTransport(env)) return 0;
  const due = await db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(inArray(emailOutbox.status, ["pending", "sending"]), lte(emailOutbox.nextAttemptAt, now)))
    .orderBy(emailOutbox.nextAttemptAt)
    .limit(CRON_BATCH)
    .all();
  let sent = 0;
  for (const { id } of due) if ((await deliverEmail(db, env, id, now)) === "sent") sent++;
  return sent;
}

/** The messages sent for one account, newest first (its dashboard's Emails page). */
export function listEmailsOf(db: Db, profileId: string, limit = 100) {
  return db.select().from(emailOutbox).where(eq(emailOutbox.profileId, profileId)).orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id)).limit(limit).all();
}

/** Every message, newest first (the local /dev/mailbox only). */
export function listAllEmails(db: Db, limit = 200) {
  return db.select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id)).limit(limit).all();
}

export type { TransportEnv };
