import { createRoute } from "@hono/zod-openapi";
import { createRouter, errorResponses, jsonBody, jsonResponse, keyOrSession } from "../platform/openapi";
import { getHandoffSettings, HandoffSchema, HandoffUpdate, updateHandoffSettings } from "./handoff-config";

/** The handoff webhook (one SaaS endpoint per merchant): the msg_ key API and the dashboard's session twin. */
export const handoffRoutes = createRouter();

const variants = [
  { path: "/api/messaging/v1/handoff", auth: "key" },
  { path: "/api/messaging/handoff-config", auth: "session" },
] as const;

for (const v of variants) {
  handoffRoutes.openapi(
    createRoute({
      method: "get",
      path: v.path,
      ...keyOrSession(v.auth, "messaging", ["Messaging handoff"]),
      summary: "Read the handoff webhook URL, whether a secret is set, and whether a 410 disabled it",
      responses: { 200: jsonResponse(HandoffSchema), ...errorResponses(401, 403, 409) },
    }),
    async (c) => c.json(await getHandoffSettings(c.var.db, c.var.auth.profileId), 200),
  );

  handoffRoutes.openapi(
    createRoute({
      method: "put",
      path: v.path,
      ...keyOrSession(v.auth, "messaging", ["Messaging handoff"]),
      summary: "Set the handoff webhook (https, outbound URL rule) and its write-only secret; saving re-enables a disabled endpoint",
      request: jsonBody(HandoffUpdate),
      responses: { 200: jsonResponse(HandoffSchema), ...errorResponses(400, 401, 403, 409, 503) },
    }),
    async (c) => c.json(await updateHandoffSettings(c.env, c.var.db, c.var.auth.profileId, c.req.valid("json"), Date.now()), 200),
  );
}
