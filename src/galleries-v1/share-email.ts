import { and, eq, gt, isNull } from "drizzle-orm";
import { markEmailVerified } from "../accounts/service";
import type { Db } from "../db";
import { collections, galleryShareLinks, members, studios } from "../db/schema";
import { sha256Hex } from "../platform/crypto";
import { z } from "@hono/zod-openapi";
import { deliverEmail, insertEmail, newEmailRow, type TransportEnv } from "../platform/email";
import { ApiError } from "../platform/errors";
import { newId, randomToken } from "../platform/ids";
import { authorizeGallery, type Actor } from "./access";
import { createMember, toV1Member } from "./people";
import { Bool } from "./params";
import { levelOf, setTeamRight } from "./rights";
import { shareEmailContent } from "./share-email-view";

/** A share link works once, for seven days. */
export const SHARE_LINK_TTL_MS = 7 * 24 * 3600_000;
/** Where share links point: `/share/<token>` (the accept page). */
export const SHARE_LINK_PATH = "/share/";

/** `share_via_email`'s parameters (JSON or form fields). */
export const ShareParams = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  manage: Bool.optional(),
});

/** The studio member with this email, created (with their own team) when missing. */
async function memberFor(db: Db, studioId: string, email: string, now: number) {
  const find = () => db.select().from(members).where(and(eq(members.studioId, studioId), eq(members.email, email))).get();
  const existing = await find();
  if (existing) return existing;
  try {
    await createMember(db, studioId, { email }, now);
  } catch (err) {
    // A concurrent share created them first: use that member.
    if (!(err instanceof ApiError && err.code === "member_exists")) throw err;
  }
  const created = await find();
  if (!created) throw new Error("member missing right after creation");
  return created;
}

/**
 * `share_via_email` (manage access on the gallery): the person becomes a member of the studio
 * when they are not, their own team gets read (manage: manage, which includes write) on the
 * gallery, and an email with a fresh single-use link goes into the outbox. Repeating it keeps one
 * member and one grant (set to the asked level) and revokes the older unused links. The raw
 * link exists only in the email; the caller never sees it.
 */
export async function shareViaEmail(
  db: Db,
  env: TransportEnv & { APP_NAME?: string },
  actor: Actor,
  galleryId: string,
  input: { email: string; manage: boolean },
  ctx: { origin: string; now: number },
) {
  const { gallery } = await authorizeGallery(db, actor, galleryId, "manage");
  const studio = await db.select().from(studios).where(eq(studios.id, actor.studioId)).get();
  if (!studio) throw new Error("gallery without a studio");
  const member = await memberFor(db, actor.studioId, input.email, ctx.now);
  const level = levelOf({ manage: input.manage });
  const right = await setTeamRight(db, actor, galleryId, member.ownTeamId, level, ctx.now);

  const token = randomToken(32);
  const expiresAt = ctx.now + SHARE_LINK_TTL_MS;
  const content = await shareEmailContent({
    studio: studio.name,
    gallery: gallery.name,
    level,
    link: `${ctx.origin}${SHARE_LINK_PATH}${token}`,
    expiresAt,
    appName: env.APP_NAME ?? "GellHub",
  });
  const email = newEmailRow(env, { to: member.email, ...content, kind: "gallery_share", profileId: studio.profileId }, ctx.now);
  await db.batch([
    db
      .update(galleryShareLinks)
      .set({ revokedAt: ctx.now })
      .where(and(eq(galleryShareLinks.collectionId, galleryId), eq(galleryShareLinks.memberId, member.id), isNull(galleryShareLinks.usedAt), isNull(galleryShareLinks.revokedAt))),
    db.insert(galleryShareLinks).values({
      id: newId("shl"),
      tokenHash: await sha256Hex(token),
      studioId: actor.studioId,
      collectionId: galleryId,
      memberId: member.id,
      email: member.email,
      level,
      emailId: email.id,
      createdAt: ctx.now,
      expiresAt,
    }),
    insertEmail(db, email),
  ]);
  return {
    response: {
      gallery_id: galleryId,
      email: member.email,
      member: toV1Member(member),
      team_id: member.ownTeamId,
      access: right.access,
      read: right.read,
      write: right.write,
      manage: right.manage,
      email_id: email.id,
      email_status: email.status,
      link_expires_at: new Date(expiresAt).toISOString(),
    },
    emailId: email.id,
  };
}

/** Sends a share's email right after the answer (when a transport is configured); the cron retries what this misses. */
export function sendSoon(waitUntil: (p: Promise<unknown>) => void, db: Db, env: TransportEnv, shared: { emailId: string; response: { email_status: string } }, now: number) {
  if (shared.response.email_status === "pending") waitUntil(deliverEmail(db, env, shared.emailId, now).catch(() => undefined));
}

/** 410 `share_link_invalid`: unknown, used, replaced or expired (the page says which). */
export const linkInvalid = () => new ApiError("share_link_invalid", "This link is no longer valid: it was used, replaced by a newer one, or expired");

export type ShareLinkState = "valid" | "used" | "expired" | "revoked";

/** A share link by its raw token with its gallery and studio names and state; null when unknown. */
export async function findShareLink(db: Db, token: string, now: number) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await db
    .select({ link: galleryShareLinks, gallery: collections.name, studio: studios.name })
    .from(galleryShareLinks)
    .innerJoin(collections, eq(collections.id, galleryShareLinks.collectionId))
    .innerJoin(studios, eq(studios.id, galleryShareLinks.studioId))
    .where(eq(galleryShareLinks.tokenHash, await sha256Hex(token)))
    .get();
  if (!row) return null;
  const l = row.link;
  const state: ShareLinkState = l.usedAt !== null ? "used" : l.revokedAt !== null ? "revoked" : l.expiresAt <= now ? "expired" : "valid";
  return { ...row, state };
}

/**
 * Accepts a share link for a signed-in profile: only a profile whose email is the link's may
 * (403 `share_link_wrong_account`); the link is spent by one conditional UPDATE (unused, not
 * revoked, not expired), so of concurrent accepts exactly one wins and the rest get 410
 * `share_link_invalid`. Accepting verifies the profile's email (the link reached its inbox),
 * which is what links a login to its memberships. Returns the gallery to land on.
 */
export async function acceptShareLink(db: Db, token: string, profile: { id: string; email: string }, now: number) {
  const found = await findShareLink(db, token, now);
  if (!found || found.state !== "valid") throw linkInvalid();
  if (found.link.email !== profile.email.toLowerCase()) {
    throw new ApiError("share_link_wrong_account", `This invitation is for ${found.link.email}; sign in with that email to accept it`);
  }
  const spent = await db
    .update(galleryShareLinks)
    .set({ usedAt: now, usedByProfileId: profile.id })
    .where(
      and(
        eq(galleryShareLinks.id, found.link.id),
        isNull(galleryShareLinks.usedAt),
        isNull(galleryShareLinks.revokedAt),
        gt(galleryShareLinks.expiresAt, now),
      ),
    )
    .returning({ id: galleryShareLinks.id })
    .get();
  if (!spent) throw linkInvalid();
  await markEmailVerified(db, profile.id, found.link.email, now);
  return { galleryId: found.link.collectionId };
}
