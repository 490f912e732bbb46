import { createRoute, z } from "@hono/zod-openapi";
import { appAnalytics, createApp, deleteOwnApp, getOwnApp, listOwnApps, rotateAppSecret, toPublicApp, updateOwnApp } from "../connect/apps";
import { requireSession } from "../platform/auth";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../platform/openapi";
import { AnalyticsQuery, AnalyticsSchema, AppIdParam, AppSchema, AppWithSecretSchema, CreateAppBody, UpdateAppBody } from "./schemas";

export const consoleRoutes = createRouter();

const session = { middleware: [requireSession()], security: [{ Session: [] }], tags: ["Developer Console"] };

consoleRoutes.use("/api/console/*", async (c, next) => {
  await next();
  c.header("Cache-Control", "no-store");
});

consoleRoutes.openapi(
  createRoute({
    ...session,
    method: "get",
    path: "/api/console/apps",
    summary: "List my partner apps (client_id only, never the secret)",
    responses: { 200: jsonResponse(z.object({ apps: z.array(AppSchema) })), ...errorResponses(401) },
  }),
  async (c) => c.json({ apps: await listOwnApps(c.var.db, c.var.auth.profileId) }, 200),
);

consoleRoutes.openapi(
  createRoute({
    ...session,
    method: "post",
    path: "/api/console/apps",
    summary: "Register a partner app; the client secret is returned once",
    request: jsonBody(CreateAppBody),
    responses: { 201: jsonResponse(AppWithSecretSchema, "Created"), ...errorResponses(400, 401, 415) },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const app = await createApp(c.var.db, c.var.auth.profileId, body, Date.now());
    return c.json(app, 201);
  },
);

consoleRoutes.openapi(
  createRoute({
    ...session,
    method: "get",
    path: "/api/console/apps/{id}",
    summary: "One of my apps",
    request: { params: AppIdParam },
    responses: { 200: jsonResponse(AppSchema), ...errorResponses(401, 404) },
  }),
  async (c) => c.json(toPublicApp(await getOwnApp(c.var.db, c.var.auth.profileId, c.req.valid("param").id)), 200),
);

consoleRoutes.openapi(
  createRoute({
    ...session,
    method: "patch",
    path: "/api/console/apps/{id}",
    summary: "Rename an app or replace its redirect URIs",
    request: { params: AppIdParam, ...jsonBody(UpdateAppBody) },
    responses: { 200: jsonResponse(AppSchema), ...errorResponses(400, 401, 404) },
  }),
  async (c) => {
    const app = await updateOwnApp(c.var.db, c.var.auth.profileId, c.req.valid("param").id, c.req.valid("json"), Date.now());
    return c.json(app, 200);
  },
);

consoleRoutes.openapi(
  createRoute({
    ...session,
    method: "delete",
    path: "/api/console/apps/{id}",
    summary: "Delete an app (its pending codes and links go with it)",
    request: { params: AppIdParam },
    responses: { 200: jsonResponse(z.object({ ok: z.literal(true) })), ...errorResponses(401, 404) },
  }),
  async (c) => {
    await deleteOwnApp(c.var.db, c.var.auth.profileId, c.req.valid("param").id, Date.now());
    return c.json({ ok: true as const }, 200);
  },
);

consoleRoutes.openapi(
  createRoute({
    ...session,
    method: "post",
    path: "/api/console/apps/{id}/rotate-secret",
    summary: "Rotate the client secret: the old one stops working now, the new one is returned once",
    request: { params: AppIdParam },
    responses: { 200: jsonResponse(AppWithSecretSchema), ...errorResponses(401, 404) },
  }),
  async (c) => c.json(await rotateAppSecret(c.var.db, c.var.auth.profileId, c.req.valid("param").id, Date.now()), 200),
);

consoleRoutes.openapi(
  createRoute({
    ...session,
    method: "get",
    path: "/api/console/apps/{id}/analytics",
    summary: "Connect funnel per day: starts, registrations, logins, finalizations, exchanges, verify calls",
    request: { params: AppIdParam, query: AnalyticsQuery },
    responses: { 200: jsonResponse(AnalyticsSchema), ...errorResponses(400, 401, 404) },
  }),
  async (c) => {
    const app = await getOwnApp(c.var.db, c.var.auth.profileId, c.req.valid("param").id);
    return c.json(await appAnalytics(c.var.db, app.id, c.req.valid("query").days, Date.now()), 200);
  },
);
