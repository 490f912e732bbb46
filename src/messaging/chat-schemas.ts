import { z } from "@hono/zod-openapi";
import { CONVERSATION_STATUSES } from "../db/schema/messaging";
import { userText } from "../platform/text";
import { ListQuery, longText } from "./schemas";
import { skillUiDoc } from "./skills-ui";

/** The chat answer (POST /v1/chat, and the `done` event of a streamed turn). */
export const ChatResponse = z
  .object({
    role: z.literal("assistant"),
    content: z.string().openapi({ description: "Empty while a person has the conversation (status human): the bot stays silent" }),
    creditsCharged: z.number().int(),
    conversationId: z.string(),
    agentId: z.string(),
    status: z.enum(CONVERSATION_STATUSES).optional(),
    ui: skillUiDoc.optional().openapi({ description: "A dynamic skill's ui (slot_list, product_cards, buttons or iframe); 0 credits" }),
    skill: z.string().optional().openapi({ description: "The key of the skill that answered" }),
    handoff: z.object({ requested: z.literal(true), url: z.string().optional() }).optional().openapi({ description: "The visitor asked for a person (0 credits)" }),
  })
  .openapi("ChatResponse");

export const ConversationSchema = z
  .object({
    id: z.string(),
    agentId: z.string(),
    channel: z.string(),
    conversationRef: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    messageCount: z.number().int(),
    lastMessagePreview: z.string(),
    lastActivityAt: z.string(),
    createdAt: z.string(),
  })
  .openapi("Conversation");

export const StoredMessageSchema = z
  .object({
    id: z.string(),
    role: z.enum(["user", "assistant", "staff"]),
    content: z.string(),
    createdAt: z.string(),
    authorName: z.string().optional(),
    ui: skillUiDoc.optional(),
  })
  .openapi("ConversationMessage");

export const ConversationListQuery = ListQuery.extend({
  status: z.enum(CONVERSATION_STATUSES).optional().openapi({ description: "Only conversations in this status" }),
});

/** A staff reply from the inbox. */
export const StaffReplyBody = z
  .object({
    content: longText(4000, 1),
    authorName: userText({ min: 1, max: 80 }).optional().openapi({ description: 'The name the visitor sees, e.g. "Anna from support"' }),
  })
  .strict()
  .openapi("StaffReply");
