import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { collections, galleryTeamRights, members, teamMembers, teams, type AccessLevel } from "../db/schema";
import { notFound } from "../platform/errors";
import { ACCESS_RANK, assertOwnerOf, authorizeGallery, type Actor } from "./access";

const flags = (level: AccessLevel) => ({ access: level, read: true, write: ACCESS_RANK[level] >= 2, manage: level === "manage" });

/** The level a rights change asks for: manage > write > read. */
export const levelOf = (input: { write?: boolean; manage?: boolean }): AccessLevel => (input.manage ? "manage" : input.write ? "write" : "read");

async function teamOfStudio(db: Db, studioId: string, teamId: string) {
  const team = await db.select().from(teams).where(and(eq(teams.id, teamId), eq(teams.studioId, studioId))).get();
  if (!team) throw notFound("team");
  return team;
}

/** Every team with rights on the gallery, with those rights (manage access). */
export async function listGalleryTeams(db: Db, actor: Actor, id: string) {
  await authorizeGallery(db, actor, id, "manage");
  const rows = await db
    .select({ team: teams, level: galleryTeamRights.level })
    .from(galleryTeamRights)
    .innerJoin(teams, eq(teams.id, galleryTeamRights.teamId))
    .where(eq(galleryTeamRights.collectionId, id))
    .orderBy(sql`${teams.ownMemberId} IS NOT NULL`, asc(teams.name))
    .all();
  return { teams: rows.map((r) => ({ id: r.team.id, name: r.team.name, own_team: r.team.ownMemberId !== null, member_id: r.team.ownMemberId, ...flags(r.level) })) };
}

function upsertRight(db: Db, studioId: string, id: string, teamId: string, level: AccessLevel, now: number) {
  return db
    .insert(galleryTeamRights)
    .values({ collectionId: id, teamId, studioId, level, updatedAt: now })
    .onConflictDoUpdate({ target: [galleryTeamRights.collectionId, galleryTeamRights.teamId], set: { level, updatedAt: now } });
}

/** Inserts the rights rows `select` yields (collection, team, studio, level, time), updating the level of existing ones. */
const upsertRights = (select: SQL) =>
  sql`INSERT INTO gallery_team_rights (collection_id, team_id, studio_id, level, updated_at) ${select}
    ON CONFLICT (collection_id, team_id) DO UPDATE SET level = excluded.level, updated_at = excluded.updated_at`;

/** Grants a team read, write or manage on the gallery (manage access). */
export async function setTeamRight(db: Db, actor: Actor, id: string, teamId: string, level: AccessLevel, now: number) {
  await authorizeGallery(db, actor, id, "manage");
  const team = await teamOfStudio(db, actor.studioId, teamId);
  await upsertRight(db, actor.studioId, id, team.id, level, now);
  return { gallery_id: id, team_id: team.id, ...flags(level) };
}

/** Removes a team's rights on the gallery (manage access); idempotent for a known team. */
export async function revokeTeamRight(db: Db, actor: Actor, id: string, teamId: string) {
  await authorizeGallery(db, actor, id, "manage");
  await teamOfStudio(db, actor.studioId, teamId);
  await db.delete(galleryTeamRights).where(and(eq(galleryTeamRights.collectionId, id), eq(galleryTeamRights.teamId, teamId)));
}

/**
 * Bulk rights on one gallery (manage access): every member's own team (`ownTeams`) or every
 * normal team gets `level`, or loses its rights with `revoke`.
 */
export async function bulkGalleryRights(db: Db, actor: Actor, id: string, input: { ownTeams: boolean; revoke: boolean; level: AccessLevel }, now: number) {
  await authorizeGallery(db, actor, id, "manage");
  const kind = input.ownTeams ? sql`own_member_id IS NOT NULL` : sql`own_member_id IS NULL`;
  if (input.revoke) {
    await db
      .delete(galleryTeamRights)
      .where(and(eq(galleryTeamRights.collectionId, id), sql`${galleryTeamRights.teamId} IN (SELECT id FROM teams WHERE studio_id = ${actor.studioId} AND ${kind})`));
  } else {
    await db.run(upsertRights(sql`SELECT ${id}, id, ${actor.studioId}, ${input.level}, ${now} FROM teams WHERE studio_id = ${actor.studioId} AND ${kind}`));
  }
  return listGalleryTeams(db, actor, id);
}

/** One team on every gallery of the studio (owner only): `level`, or no rights with `revoke`. */
export async function teamRightsEverywhere(db: Db, actor: Actor, teamId: string, input: { revoke: boolean; level: AccessLevel }, now: number) {
  await assertOwnerOf(db, actor, "team", teamId);
  const team = await teamOfStudio(db, actor.studioId, teamId);
  if (input.revoke) {
    await db.delete(galleryTeamRights).where(and(eq(galleryTeamRights.teamId, team.id), eq(galleryTeamRights.studioId, actor.studioId)));
  } else {
    await db.run(upsertRights(sql`SELECT id, ${team.id}, ${actor.studioId}, ${input.level}, ${now} FROM ${collections} WHERE studio_id = ${actor.studioId}`));
  }
  const count = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(galleryTeamRights).where(eq(galleryTeamRights.teamId, team.id)).get();
  return { team_id: team.id, galleries: count?.n ?? 0, ...(input.revoke ? { access: null } : flags(input.level)) };
}

/** Each member with access to the gallery: their best level and the teams that give it (manage access). */
export async function effectiveAccess(db: Db, actor: Actor, id: string) {
  await authorizeGallery(db, actor, id, "manage");
  const rows = await db
    .select({ member: members, teamId: teams.id, teamName: teams.name, own: teams.ownMemberId, level: galleryTeamRights.level })
    .from(galleryTeamRights)
    .innerJoin(teams, eq(teams.id, galleryTeamRights.teamId))
    .innerJoin(teamMembers, eq(teamMembers.teamId, teams.id))
    .innerJoin(members, eq(members.id, teamMembers.memberId))
    .where(and(eq(galleryTeamRights.collectionId, id), eq(galleryTeamRights.studioId, actor.studioId)))
    .orderBy(asc(members.email), asc(teams.name))
    .all();
  const by = new Map<string, { member: (typeof rows)[0]["member"]; level: AccessLevel; teams: { id: string; name: string; own_team: boolean; access: AccessLevel }[] }>();
  for (const r of rows) {
    const e = by.get(r.member.id) ?? { member: r.member, level: r.level, teams: [] };
    if (ACCESS_RANK[r.level] > ACCESS_RANK[e.level]) e.level = r.level;
    e.teams.push({ id: r.teamId, name: r.teamName, own_team: r.own !== null, access: r.level });
    by.set(r.member.id, e);
  }
  return {
    members: [...by.values()].map((e) => ({ id: e.member.id, email: e.member.email, name: e.member.name, ...flags(e.level), teams: e.teams })),
  };
}
