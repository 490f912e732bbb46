import { createRoute } from "@hono/zod-openapi";
import { createRouter, errorResponses, jsonBody, jsonResponse, keyOrSession } from "../platform/openapi";
import { EmbedSchema, EmbedUpdate, getEmbedSettings, updateEmbedSettings } from "./embed";

/** Website widget settings: the msg_ key API and the dashboard's session twin. */
export const embedSettingsRoutes = createRouter();

const baseOf = (url: string) => new URL(url).origin;

const variants = [
  { path: "/api/messaging/v1/embed", auth: "key" },
  { path: "/api/messaging/embed-config", auth: "session" },
] as const;

for (const v of variants) {
  embedSettingsRoutes.openapi(
    createRoute({
      method: "get",
      path: v.path,
      ...keyOrSession(v.auth, "messaging", ["Messaging"]),
      summary: "Website widget settings, share link and the two install snippets",
      responses: { 200: jsonResponse(EmbedSchema), ...errorResponses(401, 403, 409) },
    }),
    async (c) => c.json(await getEmbedSettings(c.var.db, c.var.auth.profileId, baseOf(c.req.url), Date.now()), 200),
  );

  embedSettingsRoutes.openapi(
    createRoute({
      method: "put",
      path: v.path,
      ...keyOrSession(v.auth, "messaging", ["Messaging"]),
      summary: "Save website widget settings (at least one allowed domain when enabled; rotateEmbedId:true invalidates the old emb_… id)",
      request: jsonBody(EmbedUpdate),
      responses: { 200: jsonResponse(EmbedSchema), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => c.json(await updateEmbedSettings(c.var.db, c.var.auth.profileId, c.req.valid("json"), baseOf(c.req.url), Date.now()), 200),
  );
}
