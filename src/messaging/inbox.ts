import type { Db } from "../db";
import type { ConversationStatus } from "../db/schema/messaging";
import type { Env } from "../env";
import { roomOf } from "./chat";
import type { StoredMessage } from "./conversation.do";
import { getConversation, toConversation } from "./conversations";

/**
 * The inbox: a person takes a conversation over. Every change runs in the conversation's room,
 * in order with the visitor's turns, so a reply and a turn never race. Another account's
 * conversation id is 404, as an unknown one.
 */

/** One conversation and its transcript, oldest first. */
export async function conversationTranscript(env: Env, db: Db, profileId: string, id: string) {
  const conv = await getConversation(db, profileId, id);
  const messages = await roomOf(env, profileId, conv.ref).history();
  return { ...toConversation(conv), messages };
}

/** A staff reply: stored with role `staff` (and the author's name); the conversation becomes `human`. */
export async function postStaffReply(env: Env, db: Db, profileId: string, id: string, reply: { content: string; authorName?: string }): Promise<{ message: StoredMessage; conversation: ReturnType<typeof toConversation> }> {
  const conv = await getConversation(db, profileId, id);
  const { message } = await roomOf(env, profileId, conv.ref).staffReply({ profileId, ref: conv.ref, content: reply.content, authorName: reply.authorName });
  return { message, conversation: toConversation(await getConversation(db, profileId, id)) };
}

/** Release (`open`: the bot answers again) or close a conversation; both are idempotent. */
export async function setConversationStatus(env: Env, db: Db, profileId: string, id: string, status: Extract<ConversationStatus, "open" | "closed">) {
  const conv = await getConversation(db, profileId, id);
  await roomOf(env, profileId, conv.ref).changeStatus({ profileId, ref: conv.ref, status });
  return toConversation(await getConversation(db, profileId, id));
}
