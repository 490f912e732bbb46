import { createRoute, z } from "@hono/zod-openapi";
import { requireApiKey } from "../platform/auth";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../platform/openapi";
import { enforceRateLimits } from "../platform/rate-limit";
import { prepareTurn, relaySse, runTurn, startStreamedTurn, type ChatRequest } from "./chat";
import { ChatResponse, ConversationListQuery, ConversationSchema, StoredMessageSchema } from "./chat-schemas";
import { listConversations } from "./conversations";
import { conversationTranscript } from "./inbox";
import { ChatBody, IdParam } from "./schemas";

export const chatRoutes = createRouter();

/** Bridges send bursts: a key runs at least 600 turns a minute before 429. */
export const CHAT_TURNS_PER_MINUTE = 1200;

const auth = { security: [{ ApiKey: [] }], middleware: requireApiKey("messaging") };

chatRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/messaging/v1/chat",
    tags: ["Messaging"],
    ...auth,
    summary: "Run one AI turn (JSON, or Server-Sent Events with stream:true / Accept: text/event-stream)",
    description:
      "The last message is the user's new message; the conversation's history lives on GellHub (keyed by `conversationRef`). " +
      "One credit per answered turn; nothing is charged when the engine fails. Do not send `model` or `provider` (400 `unsupported_field`). " +
      "Turns that cost 0 credits: a dynamic skill's answer (`skill`, `ui`), a request for a person (`handoff`, status `handoff_requested`) " +
      "and any message while a person has the conversation (status `human`: stored, empty `content`, no bot answer). " +
      "Streaming: `delta` events `{content}`, then one `done` event with the JSON answer (or an `error` event).",
    request: jsonBody(ChatBody),
    responses: {
      200: {
        description: "The assistant's answer",
        content: { "application/json": { schema: ChatResponse }, "text/event-stream": { schema: z.string() } },
      },
      ...errorResponses(400, 401, 402, 403, 404, 409, 429, 502),
    },
  }),
  async (c) => {
    const auth = c.var.auth;
    const now = Date.now();
    const body = c.req.valid("json") as ChatRequest & { stream?: boolean };
    // Both only read or count, so they run side by side (one round trip less per turn).
    const [, input] = await Promise.all([
      enforceRateLimits(c.var.db, [{ bucket: `msgchat:${auth.apiKeyId}`, limit: CHAT_TURNS_PER_MINUTE, windowMs: 60_000 }], now),
      prepareTurn(c.var.db, c.env, auth.profileId, body),
    ]);
    const wantsStream = body.stream === true || /\btext\/event-stream\b/i.test(c.req.header("accept") ?? "");
    if (!wantsStream) return c.json(await runTurn(c.env, input), 200);
    const events = await startStreamedTurn(c.env, input);
    return relaySse(c, events) as never;
  },
);

chatRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/messaging/v1/conversations",
    tags: ["Messaging conversations"],
    ...auth,
    summary: "Conversations, newest activity first (pass nextCursor back as cursor); `status` filters (e.g. handoff_requested)",
    request: { query: ConversationListQuery },
    responses: {
      200: jsonResponse(z.object({ conversations: z.array(ConversationSchema), nextCursor: z.string().nullable() })),
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(await listConversations(c.var.db, c.var.auth.profileId, q.cursor, q.limit, q.status), 200);
  },
);

chatRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/messaging/v1/conversations/{id}",
    tags: ["Messaging conversations"],
    ...auth,
    summary: "One conversation with its messages, oldest first (roles user, assistant and staff; skill answers keep their ui)",
    request: { params: IdParam },
    responses: {
      200: jsonResponse(z.object({ ...ConversationSchema.shape, messages: z.array(StoredMessageSchema) })),
      ...errorResponses(401, 403, 404),
    },
  }),
  async (c) => c.json(await conversationTranscript(c.env, c.var.db, c.var.auth.profileId, c.req.valid("param").id), 200),
);
