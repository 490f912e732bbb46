import { and, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db";
import { conversations } from "../db/schema/messaging";
import { decodeCursor, encodeCursor } from "../platform/cursor";
import { notFound } from "../platform/errors";
import { iso } from "./schemas";

type ConversationRow = typeof conversations.$inferSelect;

export function toConversation(c: ConversationRow) {
  return {
    id: c.id,
    agentId: c.agentId,
    channel: c.channel,
    conversationRef: c.ref,
    status: c.status,
    messageCount: c.messageCount,
    lastMessagePreview: c.lastMessagePreview,
    lastActivityAt: iso(c.lastActivityAt),
    createdAt: iso(c.createdAt),
  };
}

/**
 * Records an answered turn in one batch: the conversation's index row (created on first use,
 * the agent being the latest turn's), the account's exact counts and the ledger's
 * conversation. The first statement returns the conversation id.
 */
export function finishTurnStatements(t: { profileId: string; agentId: string; channel: string; ref: string; newId: string; turnId: string; preview: string; now: number }): SQL[] {
  const preview = t.preview.slice(0, 140);
  return [
    sql`INSERT INTO conversations (id, profile_id, agent_id, channel, ref, status, message_count, last_message_preview, last_activity_at, created_at)
      VALUES (${t.newId}, ${t.profileId}, ${t.agentId}, ${t.channel}, ${t.ref}, 'open', 2, ${preview}, ${t.now}, ${t.now})
      ON CONFLICT (profile_id, ref) DO UPDATE SET agent_id = excluded.agent_id, message_count = message_count + 2,
        last_message_preview = excluded.last_message_preview, last_activity_at = excluded.last_activity_at
      RETURNING id`,
    sql`UPDATE messaging_accounts SET inbound_count = inbound_count + 1, outbound_count = outbound_count + 1 WHERE profile_id = ${t.profileId}`,
    sql`UPDATE credit_ledger SET conversation_id = (SELECT id FROM conversations WHERE profile_id = ${t.profileId} AND ref = ${t.ref})
      WHERE turn_id = ${t.turnId} AND profile_id = ${t.profileId}`,
  ];
}

const CursorShape = z.tuple([z.number().int(), z.string()]);

/** The profile's conversations, newest activity first, keyset-paged. */
export async function listConversations(db: Db, profileId: string, cursor: string | undefined, limit = 50) {
  const after = cursor ? decodeCursor(cursor, CursorShape) : null;
  const rows = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.profileId, profileId),
        after ? or(lt(conversations.lastActivityAt, after[0]), and(eq(conversations.lastActivityAt, after[0]), lt(conversations.id, after[1]))) : undefined,
      ),
    )
    .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { conversations: page.map(toConversation), nextCursor: rows.length > limit && last ? encodeCursor([last.lastActivityAt, last.id]) : null };
}

export async function getConversation(db: Db, profileId: string, id: string): Promise<ConversationRow> {
  const row = await db.select().from(conversations).where(and(eq(conversations.id, id), eq(conversations.profileId, profileId))).get();
  if (!row) throw notFound("conversation");
  return row;
}
