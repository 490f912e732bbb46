import { and, eq, inArray, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { Db } from "../db";
import { collections, galleryTeamRights, members, metadataFields, studios, teamMembers, teams, type AccessLevel } from "../db/schema";
import type { AppEnv } from "../env";
import { resolveApiKey } from "../platform/auth";
import { sha256Hex } from "../platform/crypto";
import { ApiError, notFound } from "../platform/errors";
import { getStudio } from "../gallery/service";

/** Who calls the v1 API: the studio itself (its `sk_` key) or one of its members (a member key). */
export type Actor = { kind: "owner"; studioId: string } | { kind: "member"; studioId: string; memberId: string };

/** Member keys: `mk_` + 256 random bits, stored as SHA-256 on the member row. */
export const MEMBER_KEY_PREFIX = "mk_";

const RANK: Record<AccessLevel, number> = { read: 1, write: 2, manage: 3 };

/** The caller of a v1 route from its x-api-key: a studio's gallery key or a member key. */
async function actorFromKey(db: Db, raw: string): Promise<Actor> {
  if (raw.startsWith(MEMBER_KEY_PREFIX)) {
    const member = await db
      .select({ id: members.id, studioId: members.studioId })
      .from(members)
      .where(eq(members.keyHash, await sha256Hex(raw)))
      .get();
    if (!member) throw new ApiError("invalid_api_key", "Unknown or revoked API key");
    return { kind: "member", studioId: member.studioId, memberId: member.id };
  }
  const key = await resolveApiKey(db, raw);
  if (!key) throw new ApiError("invalid_api_key", "Unknown or revoked API key");
  if (key.productLine !== "gallery") throw new ApiError("wrong_key_type", `This route needs a gallery key; this is a ${key.productLine} key`);
  const studio = await getStudio(db, key.profileId);
  return { kind: "owner", studioId: studio.id };
}

/** The caller from x-api-key: the studio's gallery key (acts as the owner) or a member key (acts as that member). */
export async function actorFor(c: Context<AppEnv>): Promise<Actor> {
  const raw = c.req.header("x-api-key")?.trim();
  if (!raw) throw new ApiError("missing_api_key", "Send your API key in the x-api-key header");
  if (raw.length < 10 || raw.length > 200) throw new ApiError("invalid_api_key", "Unknown or revoked API key");
  return actorFromKey(c.var.db, raw);
}

/**
 * The member rows of a signed-in profile: members whose email is the profile's, only when that
 * email is verified (a Google identity confirmed it, or the profile accepted a share link sent to it). Unverified emails link to nothing, so
 * registering someone else's address never opens their galleries.
 */
export async function membershipsOf(db: Db, profile: { email: string; googleSubject: string | null; emailVerifiedAt?: number | null }) {
  if (!profile.googleSubject && !profile.emailVerifiedAt) return [];
  return db.select().from(members).where(eq(members.email, profile.email.toLowerCase())).all();
}

/**
 * Who a dashboard user is for one gallery: the owner when it is their studio's, else the
 * member of its studio their verified email is; null when neither (the page answers 404).
 */
export async function pageActorFor(db: Db, profile: { id: string; email: string; googleSubject: string | null; emailVerifiedAt?: number | null }, galleryId: string): Promise<Actor | null> {
  const gallery = await db
    .select({ studioId: collections.studioId, owner: studios.profileId })
    .from(collections)
    .innerJoin(studios, eq(studios.id, collections.studioId))
    .where(eq(collections.id, galleryId))
    .get();
  if (!gallery) return null;
  if (gallery.owner === profile.id) return { kind: "owner", studioId: gallery.studioId };
  const member = (await membershipsOf(db, profile)).find((m) => m.studioId === gallery.studioId);
  return member ? { kind: "member", studioId: member.studioId, memberId: member.id } : null;
}

/** Studio-wide actions (members, teams, fields, new galleries, bulk team rights): 403 `owner_only` for members. */
export function assertOwner(actor: Actor): void {
  if (actor.kind !== "owner") throw new ApiError("owner_only", "Only the studio (its gallery API key) may do this");
}

const STUDIO_TABLES = { member: members, team: teams, field: metadataFields } as const;

/**
 * Owner-only actions on a studio object: an id unknown in the caller's studio is 404 first (a
 * member of another studio learns nothing), then members get 403 `owner_only`.
 */
export async function assertOwnerOf(db: Db, actor: Actor, kind: keyof typeof STUDIO_TABLES, id: string): Promise<void> {
  const t = STUDIO_TABLES[kind];
  const row = await db.select({ id: t.id }).from(t).where(and(eq(t.id, id), eq(t.studioId, actor.studioId))).get();
  if (!row) throw notFound(kind === "field" ? "custom metadata field" : kind);
  assertOwner(actor);
}

/** SQL: the ids of the teams `memberId` belongs to (own team included). */
export const teamsOfMember = (memberId: string) => sql`(SELECT team_id FROM team_members WHERE member_id = ${memberId})`;

/** The member's level on a gallery (the best over their teams), or null. */
async function memberLevel(db: Db, memberId: string, collectionId: string): Promise<AccessLevel | null> {
  const rows = await db
    .select({ level: galleryTeamRights.level })
    .from(galleryTeamRights)
    .innerJoin(teamMembers, eq(teamMembers.teamId, galleryTeamRights.teamId))
    .where(and(eq(galleryTeamRights.collectionId, collectionId), eq(teamMembers.memberId, memberId)))
    .all();
  return rows.reduce<AccessLevel | null>((best, r) => (!best || RANK[r.level] > RANK[best] ? r.level : best), null);
}

/**
 * Checks that the actor may `need` on a gallery of their studio and returns the gallery row.
 * Unknown, another studio's, or unreadable galleries are 404 (ids never leak); readable but
 * not enough is 403 `write_access_required` / `manage_access_required`.
 */
export async function authorizeGallery(db: Db, actor: Actor, collectionId: string, need: AccessLevel) {
  const gallery = await db
    .select()
    .from(collections)
    .where(and(eq(collections.id, collectionId), eq(collections.studioId, actor.studioId)))
    .get();
  if (!gallery) throw notFound("gallery");
  if (actor.kind === "owner") return { gallery, level: "manage" as AccessLevel };
  const level = await memberLevel(db, actor.memberId, collectionId);
  if (!level) throw notFound("gallery");
  if (RANK[level] < RANK[need]) {
    throw need === "manage"
      ? new ApiError("manage_access_required", "Changing this gallery's rights needs manage access")
      : new ApiError("write_access_required", "This action needs write access to the gallery");
  }
  return { gallery, level };
}

/** Ids of the galleries a member can read, of `ids` (or all when omitted). */
export async function readableGalleryIds(db: Db, memberId: string, ids?: string[]): Promise<Set<string>> {
  const base = sql`${galleryTeamRights.teamId} IN ${teamsOfMember(memberId)}`;
  const rows = await db
    .selectDistinct({ id: galleryTeamRights.collectionId })
    .from(galleryTeamRights)
    .where(ids ? and(base, inArray(galleryTeamRights.collectionId, ids)) : base)
    .all();
  return new Set(rows.map((r) => r.id));
}

export { RANK as ACCESS_RANK };
