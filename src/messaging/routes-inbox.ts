import { createRoute, z } from "@hono/zod-openapi";
import { requireApiKey } from "../platform/auth";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../platform/openapi";
import { ConversationSchema, StaffReplyBody, StoredMessageSchema } from "./chat-schemas";
import { postStaffReply, setConversationStatus } from "./inbox";
import { IdParam } from "./schemas";

/** The inbox API (msg key): staff replies, release and close. Lists and transcripts are in routes-chat. */
export const inboxRoutes = createRouter();

const auth = { security: [{ ApiKey: [] }], middleware: requireApiKey("messaging") };

inboxRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/messaging/v1/conversations/{id}/messages",
    tags: ["Messaging conversations"],
    ...auth,
    summary: "Post a staff reply; the conversation becomes `human` and the bot stays silent until release or close",
    description:
      "The visitor sees the reply in the widget within a few seconds (the widget polls the conversation's history). " +
      "While the conversation is `human`, visitor messages are stored and counted, with no bot answer and no credit.",
    request: { params: IdParam, ...jsonBody(StaffReplyBody) },
    responses: {
      201: jsonResponse(z.object({ message: StoredMessageSchema, conversation: ConversationSchema }), "The stored staff message"),
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const out = await postStaffReply(c.env, c.var.db, c.var.auth.profileId, c.req.valid("param").id, c.req.valid("json"));
    return c.json(out, 201);
  },
);

for (const [action, status, summary] of [
  ["release", "open", "Hand the conversation back to the bot (status `open`): it answers the next visitor message again"],
  ["close", "closed", "Close the conversation (status `closed`); a new visitor message reopens it for the bot"],
] as const) {
  inboxRoutes.openapi(
    createRoute({
      method: "post",
      path: `/api/messaging/v1/conversations/{id}/${action}`,
      tags: ["Messaging conversations"],
      ...auth,
      summary,
      request: { params: IdParam },
      responses: { 200: jsonResponse(ConversationSchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(await setConversationStatus(c.env, c.var.db, c.var.auth.profileId, c.req.valid("param").id, status), 200),
  );
}
