import { z } from "@hono/zod-openapi";
import { userText } from "../platform/text";

/** Epoch milliseconds as the API's ISO 8601 UTC string. */
export const iso = (ms: number) => new Date(ms).toISOString();

/** Multi-line text (instructions, knowledge): valid Unicode, NFC, trimmed; newlines allowed. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const longText = (max: number, min = 0) =>
  z
    .string()
    .refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode text (no unpaired surrogates)")
    .trim()
    .normalize("NFC")
    .min(min)
    .max(max);

const HttpsUrl = z
  .string()
  .max(2000)
  .refine((s) => {
    try {
      return new URL(s).protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an absolute https URL");

export const IdParam = z.object({ id: z.string().min(1).max(64) });
export const SourceParam = z.object({ id: z.string().min(1).max(64), sourceId: z.string().min(1).max(64) });

const agentFields = {
  name: userText({ min: 1, max: 80 }).openapi({ example: "Sales bot" }),
  botDisplayName: userText({ min: 1, max: 80 }).openapi({ example: "Store assistant" }),
  botRoleSummary: userText({ max: 300 }),
  systemInstructions: longText(8000),
  humanHandoffEnabled: z.boolean(),
  humanHandoffUrl: HttpsUrl.nullable(),
  humanHandoffMessage: userText({ max: 500 }).nullable(),
  isDefault: z.boolean(),
};

export const CreateAgentBody = z
  .object({
    name: agentFields.name,
    botDisplayName: agentFields.botDisplayName.optional(),
    botRoleSummary: agentFields.botRoleSummary.optional(),
    systemInstructions: agentFields.systemInstructions.optional(),
    humanHandoffEnabled: agentFields.humanHandoffEnabled.optional(),
    humanHandoffUrl: agentFields.humanHandoffUrl.optional(),
    humanHandoffMessage: agentFields.humanHandoffMessage.optional(),
    isDefault: agentFields.isDefault.optional(),
  })
  .strict()
  .openapi("CreateAgent");
export type CreateAgentInput = z.infer<typeof CreateAgentBody>;

export const UpdateAgentBody = z
  .object({
    name: agentFields.name.optional(),
    botDisplayName: agentFields.botDisplayName.optional(),
    botRoleSummary: agentFields.botRoleSummary.optional(),
    systemInstructions: agentFields.systemInstructions.optional(),
    humanHandoffEnabled: agentFields.humanHandoffEnabled.optional(),
    humanHandoffUrl: agentFields.humanHandoffUrl.optional(),
    humanHandoffMessage: agentFields.humanHandoffMessage.optional(),
    isDefault: z.literal(true).optional().openapi({ description: "true moves the default here; to change the default, set it on another agent" }),
  })
  .strict()
  .openapi("UpdateAgent");
export type UpdateAgentInput = z.infer<typeof UpdateAgentBody>;

export const AgentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    botDisplayName: z.string(),
    botRoleSummary: z.string(),
    systemInstructions: z.string(),
    humanHandoffEnabled: z.boolean(),
    humanHandoffUrl: z.string().nullable(),
    humanHandoffMessage: z.string().nullable(),
    isDefault: z.boolean(),
    sourcesCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Agent");

export const AgentSummarySchema = z
  .object({ id: z.string(), name: z.string(), botDisplayName: z.string(), isDefault: z.boolean(), sourcesCount: z.number().int(), updatedAt: z.string() })
  .openapi("AgentSummary");

export const SourceKinds = ["text", "qa", "url", "file"] as const;
export const CreateSourceBody = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("text"), title: userText({ min: 1, max: 200 }), content: longText(1024 * 1024, 1) }).strict(),
    z.object({ type: z.literal("qa"), question: userText({ min: 1, max: 500 }), answer: longText(4000, 1) }).strict(),
    z.object({ type: z.literal("url"), url: z.string().min(1).max(2000) }).strict(),
    z
      .object({
        type: z.literal("file"),
        fileName: userText({ min: 1, max: 200 }).openapi({ example: "faq.md" }),
        content: z.string().min(1).max(1024 * 1024).openapi({ description: "The file's text (.txt, .md, .html, .csv); or upload it as multipart to …/sources/upload" }),
      })
      .strict(),
  ])
  .openapi("CreateSource");
export type CreateSourceInput = z.infer<typeof CreateSourceBody>;

export const SourceSchema = z
  .object({
    id: z.string(),
    agentId: z.string(),
    type: z.enum(SourceKinds),
    title: z.string(),
    url: z.string().nullable(),
    question: z.string().nullable(),
    answer: z.string().nullable(),
    fileName: z.string().nullable(),
    status: z.enum(["ready", "failed"]),
    failureReason: z.string().nullable(),
    sizeBytes: z.number().int(),
    chunkCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("KnowledgeSource");

export const ChatMessage = z.object({ role: z.enum(["user", "assistant"]), content: longText(4000, 1) }).strict();
export const ChatBody = z
  .object({
    channel: z.string().trim().min(1).max(40).regex(/^[a-z0-9_-]+$/i, "letters, digits, _ and -").optional(),
    agentId: z.string().min(1).max(64).optional(),
    conversationRef: userText({ min: 1, max: 200 }).optional(),
    messages: z.array(ChatMessage).min(1).max(50),
    stream: z.boolean().optional(),
  })
  .passthrough()
  .openapi("ChatRequest");

export const ListQuery = z.object({ cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(100).optional() });
