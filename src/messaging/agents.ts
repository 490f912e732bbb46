import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db";
import { agents } from "../db/schema/messaging";
import { ApiError, notFound } from "../platform/errors";
import { runBatch } from "./sql-batch";
import { newId } from "../platform/ids";
import { iso, type CreateAgentInput, type UpdateAgentInput } from "./schemas";

/** The guide's limit: at most 25 agents per profile. */
export const MAX_AGENTS = 25;

export type AgentRow = typeof agents.$inferSelect;

/** The full agent record of the API. */
export function toAgent(a: AgentRow) {
  return {
    id: a.id,
    name: a.name,
    botDisplayName: a.botDisplayName,
    botRoleSummary: a.botRoleSummary,
    systemInstructions: a.systemInstructions,
    humanHandoffEnabled: a.humanHandoffEnabled,
    humanHandoffUrl: a.humanHandoffUrl,
    humanHandoffMessage: a.humanHandoffMessage,
    isDefault: a.isDefault,
    sourcesCount: a.sourcesCount,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
  };
}

/** The list entry of the API. */
export function toAgentSummary(a: AgentRow) {
  return { id: a.id, name: a.name, botDisplayName: a.botDisplayName, isDefault: a.isDefault, sourcesCount: a.sourcesCount, updatedAt: iso(a.updatedAt) };
}

/** The profile's agents, oldest first. */
export async function listAgents(db: Db, profileId: string): Promise<AgentRow[]> {
  return db.select().from(agents).where(eq(agents.profileId, profileId)).orderBy(asc(agents.createdAt), asc(agents.id)).all();
}

/** One agent of the profile; another profile's id is a 404. */
export async function getAgent(db: Db, profileId: string, agentId: string): Promise<AgentRow> {
  const row = await db.select().from(agents).where(and(eq(agents.id, agentId), eq(agents.profileId, profileId))).get();
  if (!row) throw notFound("agent");
  return row;
}

/** The agent a chat turn uses: the named one, else the default; 409 `no_agent` when the profile has none. */
export async function resolveChatAgent(db: Db, profileId: string, agentId: string | undefined): Promise<AgentRow> {
  if (agentId) return getAgent(db, profileId, agentId);
  const row = await db.select().from(agents).where(and(eq(agents.profileId, profileId), eq(agents.isDefault, true))).get();
  if (!row) throw new ApiError("no_agent", "Create an agent first (POST /api/messaging/v1/agents)");
  return row;
}

/**
 * Creates an agent. One batch (one transaction) whose every statement is conditional on the
 * profile having fewer than MAX_AGENTS agents, so parallel creates never pass the limit. The
 * first agent is the default; `isDefault: true` moves the default to the new one.
 */
export async function createAgent(db: Db, profileId: string, input: CreateAgentInput, now: number): Promise<AgentRow> {
  const id = newId("agt");
  const underLimit = sql`(SELECT count(*) FROM agents WHERE profile_id = ${profileId}) < ${MAX_AGENTS}`;
  const wantsDefault = input.isDefault === true ? 1 : 0;
  const [, inserted] = await runBatch(db, [
    sql`UPDATE agents SET is_default = 0, updated_at = ${now}
      WHERE profile_id = ${profileId} AND is_default = 1 AND ${wantsDefault} = 1 AND ${underLimit}`,
    sql`INSERT INTO agents (id, profile_id, name, bot_display_name, bot_role_summary, system_instructions,
        human_handoff_enabled, human_handoff_url, human_handoff_message, is_default, sources_count, knowledge_bytes, created_at, updated_at)
      SELECT ${id}, ${profileId}, ${input.name}, ${input.botDisplayName ?? input.name}, ${input.botRoleSummary ?? ""},
        ${input.systemInstructions ?? ""}, ${input.humanHandoffEnabled ? 1 : 0}, ${input.humanHandoffUrl ?? null},
        ${input.humanHandoffMessage ?? null},
        CASE WHEN ${wantsDefault} = 1 OR NOT EXISTS (SELECT 1 FROM agents WHERE profile_id = ${profileId} AND is_default = 1) THEN 1 ELSE 0 END,
        0, 0, ${now}, ${now}
      WHERE ${underLimit}`,
  ]);
  if (inserted !== 1) throw new ApiError("agent_limit", `An account holds at most ${MAX_AGENTS} agents`);
  return getAgent(db, profileId, id);
}

/**
 * Partial update. `isDefault: true` moves the default in one batch: the other default is
 * cleared and this one set, both guarded by this agent existing, so concurrent moves end with
 * exactly one default (D1 runs each batch as one transaction, one after another).
 */
export async function updateAgent(db: Db, profileId: string, agentId: string, input: UpdateAgentInput, now: number): Promise<AgentRow> {
  const { isDefault, ...fields } = input;
  const set: Partial<AgentRow> = { ...fields, updatedAt: now };
  const mine = and(eq(agents.id, agentId), eq(agents.profileId, profileId));
  if (isDefault) {
    const update = db.update(agents).set({ ...set, isDefault: true }).where(mine).getSQL();
    const [, updated] = await runBatch(db, [
      sql`UPDATE agents SET is_default = 0, updated_at = ${now}
        WHERE profile_id = ${profileId} AND is_default = 1 AND id <> ${agentId}
          AND EXISTS (SELECT 1 FROM agents WHERE id = ${agentId} AND profile_id = ${profileId})`,
      update,
    ]);
    if (updated !== 1) throw notFound("agent");
  } else {
    const res = await db.update(agents).set(set).where(mine).run();
    if (res.meta.changes !== 1) throw notFound("agent");
  }
  return getAgent(db, profileId, agentId);
}

/**
 * Deletes an agent with its knowledge. The only agent stays (409 `last_agent`); deleting the
 * default promotes the oldest remaining agent, in the same transaction.
 */
export async function deleteAgent(db: Db, profileId: string, agentId: string): Promise<void> {
  await getAgent(db, profileId, agentId);
  const others = sql`EXISTS (SELECT 1 FROM agents WHERE profile_id = ${profileId} AND id <> ${agentId})`;
  const [deleted] = await runBatch(db, [
    sql`DELETE FROM agents WHERE id = ${agentId} AND profile_id = ${profileId} AND ${others}`,
    sql`UPDATE agents SET is_default = 1 WHERE id = (
        SELECT id FROM agents WHERE profile_id = ${profileId} ORDER BY created_at, id LIMIT 1)
      AND NOT EXISTS (SELECT 1 FROM agents WHERE profile_id = ${profileId} AND is_default = 1)`,
    sql`DELETE FROM knowledge_fts WHERE agent_id = ${agentId} AND profile_id = ${profileId}
      AND NOT EXISTS (SELECT 1 FROM agents WHERE id = ${agentId})`,
    sql`DELETE FROM agent_sources WHERE agent_id = ${agentId} AND profile_id = ${profileId}
      AND NOT EXISTS (SELECT 1 FROM agents WHERE id = ${agentId})`,
  ]);
  if (deleted !== 1) {
    const still = await db.select({ id: agents.id }).from(agents).where(and(eq(agents.id, agentId), eq(agents.profileId, profileId))).get();
    if (still) throw new ApiError("last_agent", "An account keeps at least one agent; create another before deleting this one");
    throw notFound("agent");
  }
}
