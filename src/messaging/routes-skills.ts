import { createRoute, z } from "@hono/zod-openapi";
import { createRouter, errorResponses, jsonBody, jsonResponse, keyOrSession } from "../platform/openapi";
import { listSkillCalls, SKILL_CALL_OUTCOMES } from "./skills";
import { getSkillsSettings, SkillsSchema, SkillsUpdate, updateSkillsSettings } from "./skills-config";

/** Dynamic skills config: the msg_ key API and the dashboard's session twin, plus the call log. */
export const skillsRoutes = createRouter();

const SkillCallSchema = z
  .object({
    id: z.string().openapi({ description: "The X-GellHub-Delivery header of the call" }),
    skill: z.string(),
    conversationRef: z.string(),
    outcome: z.enum(SKILL_CALL_OUTCOMES),
    httpStatus: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int(),
    createdAt: z.string(),
  })
  .openapi("SkillCall");

const CallsQuery = z.object({
  failed: z.enum(["true", "false"]).optional().openapi({ description: "true: failures only" }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const variants = [
  { config: "/api/messaging/v1/skills", calls: "/api/messaging/v1/skills/calls", auth: "key" },
  { config: "/api/messaging/skills-config", calls: "/api/messaging/skills-config/calls", auth: "session" },
] as const;

for (const v of variants) {
  skillsRoutes.openapi(
    createRoute({
      method: "get",
      path: v.config,
      ...keyOrSession(v.auth, "messaging", ["Messaging skills"]),
      summary: "Read skillsEnabled, the webhook URL, whether a secret is set, and the skills with their keywords",
      responses: { 200: jsonResponse(SkillsSchema), ...errorResponses(401, 403, 409) },
    }),
    async (c) => c.json(await getSkillsSettings(c.var.db, c.var.auth.profileId), 200),
  );

  skillsRoutes.openapi(
    createRoute({
      method: "put",
      path: v.config,
      ...keyOrSession(v.auth, "messaging", ["Messaging skills"]),
      summary: "Save the skills webhook (https, checked against the outbound URL rule), its write-only secret and the skills",
      request: jsonBody(SkillsUpdate),
      responses: { 200: jsonResponse(SkillsSchema), ...errorResponses(400, 401, 403, 409, 503) },
    }),
    async (c) => c.json(await updateSkillsSettings(c.env, c.var.db, c.var.auth.profileId, c.req.valid("json"), Date.now()), 200),
  );

  skillsRoutes.openapi(
    createRoute({
      method: "get",
      path: v.calls,
      ...keyOrSession(v.auth, "messaging", ["Messaging skills"]),
      summary: "Recent skill webhook calls, newest first (failures: invalid answer, timeout, HTTP error, refused URL …)",
      request: { query: CallsQuery },
      responses: { 200: jsonResponse(z.object({ calls: z.array(SkillCallSchema) })), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json({ calls: await listSkillCalls(c.var.db, c.var.auth.profileId, { limit: q.limit, failedOnly: q.failed === "true" }) }, 200);
    },
  );
}
