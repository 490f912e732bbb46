import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../db";
import { inChunks, isUniqueViolation } from "../db/batch";
import { galleryTeamRights, members, teamMembers, teams } from "../db/schema";
import { sha256Hex } from "../platform/crypto";
import { ApiError, notFound } from "../platform/errors";
import { newId, randomToken } from "../platform/ids";
import { MEMBER_KEY_PREFIX } from "./access";

type MemberRow = typeof members.$inferSelect;
type TeamRow = typeof teams.$inferSelect;

const iso = (ms: number) => new Date(ms).toISOString();

export function toV1Member(m: MemberRow) {
  return {
    id: m.id,
    email: m.email,
    name: m.name,
    manager: m.manager,
    own_team_id: m.ownTeamId,
    api_key: m.keyPrefix ? { prefix: m.keyPrefix, last4: m.keyLast4 } : null,
    created_at: iso(m.createdAt),
  };
}

export function toV1Team(t: TeamRow, memberIds: string[]) {
  return { id: t.id, name: t.name, own_team: t.ownMemberId !== null, member_id: t.ownMemberId, member_ids: memberIds, created_at: iso(t.createdAt) };
}

async function memberRow(db: Db, studioId: string, id: string) {
  const row = await db.select().from(members).where(and(eq(members.id, id), eq(members.studioId, studioId))).get();
  if (!row) throw notFound("member");
  return row;
}

export async function listMembers(db: Db, studioId: string) {
  const rows = await db.select().from(members).where(eq(members.studioId, studioId)).orderBy(asc(members.email)).all();
  return { members: rows.map(toV1Member) };
}

export async function getMember(db: Db, studioId: string, id: string) {
  return toV1Member(await memberRow(db, studioId, id));
}

/** A new member with their own team, in one batch; 409 `member_exists` for a known email. */
export async function createMember(db: Db, studioId: string, input: { email: string; name?: string; manager?: boolean }, now: number) {
  const id = newId("mem");
  const ownTeamId = newId("team");
  const row: MemberRow = { id, studioId, email: input.email.toLowerCase(), name: input.name ?? "", manager: input.manager ?? false, ownTeamId, keyHash: null, keyPrefix: null, keyLast4: null, createdAt: now };
  try {
    await db.batch([
      db.insert(members).values(row),
      db.insert(teams).values({ id: ownTeamId, studioId, name: row.name || row.email, ownMemberId: id, createdAt: now }),
      db.insert(teamMembers).values({ teamId: ownTeamId, memberId: id, studioId }),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("member_exists", "This studio already has a member with this email");
    throw err;
  }
  return toV1Member(row);
}

export async function updateMember(db: Db, studioId: string, id: string, input: { name?: string; manager?: boolean }) {
  const row = await memberRow(db, studioId, id);
  const set: Partial<MemberRow> = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.manager !== undefined) set.manager = input.manager;
  if (Object.keys(set).length) {
    await db.batch([
      db.update(members).set(set).where(and(eq(members.id, id), eq(members.studioId, studioId))),
      db.update(teams).set({ name: (input.name ?? row.name) || row.email }).where(and(eq(teams.id, row.ownTeamId), eq(teams.studioId, studioId))),
    ]);
  }
  return toV1Member({ ...row, ...set });
}

/** Deletes a member, their own team and its rights, and their place in every team; their key stops working. */
export async function deleteMember(db: Db, studioId: string, id: string) {
  const row = await memberRow(db, studioId, id);
  await db.batch([
    db.delete(galleryTeamRights).where(and(eq(galleryTeamRights.teamId, row.ownTeamId), eq(galleryTeamRights.studioId, studioId))),
    db.delete(teamMembers).where(and(eq(teamMembers.memberId, id), eq(teamMembers.studioId, studioId))),
    db.delete(teams).where(and(eq(teams.id, row.ownTeamId), eq(teams.studioId, studioId))),
    db.delete(members).where(and(eq(members.id, id), eq(members.studioId, studioId))),
  ]);
}

/** A new member key (`mk_…`), shown once; the previous one stops working. */
export async function rotateMemberKey(db: Db, studioId: string, id: string) {
  await memberRow(db, studioId, id);
  const raw = MEMBER_KEY_PREFIX + randomToken(32);
  const prefix = raw.slice(0, MEMBER_KEY_PREFIX.length + 4);
  await db
    .update(members)
    .set({ keyHash: await sha256Hex(raw), keyPrefix: prefix, keyLast4: raw.slice(-4) })
    .where(and(eq(members.id, id), eq(members.studioId, studioId)));
  return { api_key: raw, prefix, last4: raw.slice(-4) };
}

// ---------- teams ----------

async function teamRow(db: Db, studioId: string, id: string) {
  const row = await db.select().from(teams).where(and(eq(teams.id, id), eq(teams.studioId, studioId))).get();
  if (!row) throw notFound("team");
  return row;
}

async function editableTeam(db: Db, studioId: string, id: string) {
  const row = await teamRow(db, studioId, id);
  if (row.ownMemberId) throw new ApiError("own_team_not_editable", "A member's own team changes only with the member");
  return row;
}

async function memberIdsOf(db: Db, teamIds: string[]) {
  const rows = await inChunks(teamIds, (chunk) => db.select().from(teamMembers).where(inArray(teamMembers.teamId, chunk)).all());
  const by = new Map<string, string[]>();
  for (const r of rows) by.set(r.teamId, [...(by.get(r.teamId) ?? []), r.memberId]);
  return by;
}

/** The studio's teams: normal teams first, then members' own teams. */
export async function listTeams(db: Db, studioId: string) {
  const rows = await db.select().from(teams).where(eq(teams.studioId, studioId)).orderBy(sql`${teams.ownMemberId} IS NOT NULL`, asc(teams.name)).all();
  const byTeam = await memberIdsOf(db, rows.map((t) => t.id));
  return { teams: rows.map((t) => toV1Team(t, byTeam.get(t.id) ?? [])) };
}

export async function getTeam(db: Db, studioId: string, id: string) {
  const row = await teamRow(db, studioId, id);
  return toV1Team(row, (await memberIdsOf(db, [id])).get(id) ?? []);
}

export async function createTeam(db: Db, studioId: string, name: string, now: number) {
  const row: TeamRow = { id: newId("team"), studioId, name, ownMemberId: null, createdAt: now };
  await db.insert(teams).values(row);
  return toV1Team(row, []);
}

export async function renameTeam(db: Db, studioId: string, id: string, name: string) {
  await editableTeam(db, studioId, id);
  await db.update(teams).set({ name }).where(and(eq(teams.id, id), eq(teams.studioId, studioId), isNull(teams.ownMemberId)));
  return getTeam(db, studioId, id);
}

export async function deleteTeam(db: Db, studioId: string, id: string) {
  await editableTeam(db, studioId, id);
  await db.batch([
    db.delete(galleryTeamRights).where(and(eq(galleryTeamRights.teamId, id), eq(galleryTeamRights.studioId, studioId))),
    db.delete(teamMembers).where(and(eq(teamMembers.teamId, id), eq(teamMembers.studioId, studioId))),
    db.delete(teams).where(and(eq(teams.id, id), eq(teams.studioId, studioId))),
  ]);
}

/** Replaces a normal team's members; every id must be a member of the studio (404 otherwise). */
export async function setTeamMembers(db: Db, studioId: string, id: string, memberIds: string[]) {
  await editableTeam(db, studioId, id);
  const unique = [...new Set(memberIds)];
  const known = await inChunks(unique, (chunk) => db.select({ id: members.id }).from(members).where(and(eq(members.studioId, studioId), inArray(members.id, chunk))).all());
  if (known.length !== unique.length) throw notFound("member");
  await db.batch([
    db.delete(teamMembers).where(and(eq(teamMembers.teamId, id), eq(teamMembers.studioId, studioId))),
    ...unique.map((m) => db.insert(teamMembers).values({ teamId: id, memberId: m, studioId })),
  ]);
  return getTeam(db, studioId, id);
}
