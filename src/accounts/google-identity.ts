import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db";
import { profiles } from "../db/schema";
import { ApiError } from "../platform/errors";
import { randomToken } from "../platform/ids";
import type { VerifiedIdentity } from "../platform/oidc/client";
import type { AccountType } from "./schemas";
import { registerAccount } from "./service";

/**
 * The profile of a Google identity: found by subject, else by verified email (linking the
 * subject to it), else created with `accountType` and no password. `sessionRaw` is set only
 * for a new profile (registration opens its first session).
 *
 * - email missing or unverified -> 400 `google_email_unverified`
 * - the email's profile is linked to another Google subject -> 400 `google_linked_elsewhere`
 */
export async function profileForGoogleIdentity(
  db: Db,
  id: VerifiedIdentity,
  accountType: AccountType,
  now: number,
  pepper = "",
): Promise<{ profileId: string; created: boolean; sessionRaw?: string }> {
  const bySubject = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.googleSubject, id.subject)).get();
  if (bySubject) return { profileId: bySubject.id, created: false };
  if (!id.email || !id.emailVerified) throw new ApiError("google_email_unverified", "Google has not verified this email address.");
  const byEmail = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.email, id.email)).get();
  if (byEmail) {
    const res = await db
      .update(profiles)
      .set({ googleSubject: id.subject })
      .where(and(eq(profiles.id, byEmail.id), isNull(profiles.googleSubject)))
      .run();
    if (res.meta.changes !== 1) throw new ApiError("google_linked_elsewhere", "This email is already linked to another Google account.");
    return { profileId: byEmail.id, created: false };
  }
  const displayName = (id.name ?? id.email.split("@")[0] ?? "GellHub user").slice(0, 100) || "GellHub user";
  // A random password nobody knows, cleared right after: Google-only accounts have no password.
  const result = await registerAccount(db, { email: id.email, password: randomToken(32), displayName, accountType }, now, pepper);
  await db.update(profiles).set({ googleSubject: id.subject, passwordHash: null }).where(eq(profiles.id, result.profileId));
  return { profileId: result.profileId, created: true, sessionRaw: result.sessionRaw };
}
