import { and, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db";
import { conversations, type ConversationStatus } from "../db/schema/messaging";
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

/** What one ordered step of a conversation changes in D1 (a turn, a stored visitor message, a staff reply). */
export interface TurnRecord {
  profileId: string;
  agentId: string;
  channel: string;
  ref: string;
  /** The id a new index row gets (unused when the conversation exists). */
  newId: string;
  /** The charged turn whose ledger row gets the conversation, if a credit was taken. */
  turnId?: string;
  preview: string;
  now: number;
  status: ConversationStatus;
  /** Messages added, and how many of them came in (visitor) and went out (bot, staff). */
  inbound: number;
  outbound: number;
}

/**
 * Records a turn in one batch: the conversation's index row (created on first use, the agent
 * being the latest turn's, the status the room's), the account's exact counts and the ledger's
 * conversation. The first statement returns the conversation id.
 */
export function finishTurnStatements(t: TurnRecord): SQL[] {
  const preview = t.preview.slice(0, 140);
  const added = t.inbound + t.outbound;
  return [
    sql`INSERT INTO conversations (id, profile_id, agent_id, channel, ref, status, message_count, last_message_preview, last_activity_at, created_at)
      VALUES (${t.newId}, ${t.profileId}, ${t.agentId}, ${t.channel}, ${t.ref}, ${t.status}, ${added}, ${preview}, ${t.now}, ${t.now})
      ON CONFLICT (profile_id, ref) DO UPDATE SET agent_id = excluded.agent_id, status = excluded.status, message_count = message_count + ${added},
        last_message_preview = excluded.last_message_preview, last_activity_at = excluded.last_activity_at
      RETURNING id`,
    sql`UPDATE messaging_accounts SET inbound_count = inbound_count + ${t.inbound}, outbound_count = outbound_count + ${t.outbound} WHERE profile_id = ${t.profileId}`,
    ...(t.turnId
      ? [
          sql`UPDATE credit_ledger SET conversation_id = (SELECT id FROM conversations WHERE profile_id = ${t.profileId} AND ref = ${t.ref})
      WHERE turn_id = ${t.turnId} AND profile_id = ${t.profileId}`,
        ]
      : []),
  ];
}

/** A staff reply or a status change on an existing conversation (the room runs it in order with turns). */
export function statusStatements(t: { profileId: string; ref: string; status: ConversationStatus; now: number; staffReply?: string }): SQL[] {
  if (t.staffReply === undefined) {
    return [sql`UPDATE conversations SET status = ${t.status} WHERE profile_id = ${t.profileId} AND ref = ${t.ref}`];
  }
  return [
    sql`UPDATE conversations SET status = ${t.status}, message_count = message_count + 1, last_message_preview = ${t.staffReply.slice(0, 140)},
      last_activity_at = ${t.now} WHERE profile_id = ${t.profileId} AND ref = ${t.ref}`,
    sql`UPDATE messaging_accounts SET outbound_count = outbound_count + 1 WHERE profile_id = ${t.profileId}`,
  ];
}

const CursorShape = z.tuple([z.number().int(), z.string()]);

/** The profile's conversations (of one status, when given), newest activity first, keyset-paged. */
export async function listConversations(db: Db, profileId: string, cursor: string | undefined, limit = 50, status?: ConversationStatus) {
  const after = cursor ? decodeCursor(cursor, CursorShape) : null;
  const rows = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.profileId, profileId),
        status ? eq(conversations.status, status) : undefined,
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
