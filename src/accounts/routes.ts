import { createRoute, z } from "@hono/zod-openapi";
import { requireKeyOrSession, requireSession } from "../platform/auth";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../platform/openapi";
import {
  AccountSchema,
  ApiKeySchema,
  CreatedKeySchema,
  CreateKeyBody,
  IdParam,
  ProductLineSchema,
} from "./schemas";
import { createApiKey, enableProductLine, getAccountOverview, listApiKeys, revokeApiKey, rotateApiKey } from "./service";

export const accountRoutes = createRouter();

const keyAuth: Record<string, string[]>[] = [{ ApiKey: [] }, { Session: [] }];

accountRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/account",
    tags: ["Accounts"],
    summary: "The calling account and its product lines",
    description: "Answers for any product key (x-api-key) or a dashboard session.",
    middleware: [requireKeyOrSession("any")] as const,
    security: keyAuth,
    responses: { 200: jsonResponse(AccountSchema), ...errorResponses(401) },
  }),
  async (c) => {
    const auth = c.var.auth;
    const overview = await getAccountOverview(c.var.db, auth.profileId);
    return c.json({ ...overview, authenticatedBy: auth.via, keyProductLine: auth.product }, 200);
  },
);

accountRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/account/product-lines",
    tags: ["Accounts"],
    summary: "Enable another product line (free plan) and get its first key once",
    middleware: [requireSession()] as const,
    security: [{ Session: [] }],
    request: jsonBody(z.object({ productLine: ProductLineSchema }).strict()),
    responses: {
      201: jsonResponse(z.object({ productLine: ProductLineSchema, spaceId: z.string(), key: z.string() }), "Enabled"),
      ...errorResponses(400, 401, 409),
    },
  }),
  async (c) => {
    const { productLine } = c.req.valid("json");
    const res = await enableProductLine(c.var.db, c.var.auth.profileId, productLine, Date.now());
    return c.json({ productLine, spaceId: res.spaceId, key: res.rawKey }, 201);
  },
);

accountRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/account/keys",
    tags: ["API keys"],
    summary: "List active API keys (prefix and last 4 only)",
    middleware: [requireSession()] as const,
    security: [{ Session: [] }],
    responses: { 200: jsonResponse(z.object({ keys: z.array(ApiKeySchema) })), ...errorResponses(401) },
  }),
  async (c) => c.json({ keys: await listApiKeys(c.var.db, c.var.auth.profileId) }, 200),
);

accountRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/account/keys",
    tags: ["API keys"],
    summary: "Create an API key (the full key is returned once)",
    middleware: [requireSession()] as const,
    security: [{ Session: [] }],
    request: jsonBody(CreateKeyBody),
    responses: { 201: jsonResponse(CreatedKeySchema, "Created"), ...errorResponses(400, 401, 409) },
  }),
  async (c) => {
    const { productLine, label } = c.req.valid("json");
    const key = await createApiKey(c.var.db, c.var.auth.profileId, productLine, label ?? "Dashboard", Date.now());
    return c.json(key, 201);
  },
);

accountRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/account/keys/{id}/rotate",
    tags: ["API keys"],
    summary: "Rotate a key: the old key stops working now, the new one is returned once",
    middleware: [requireSession()] as const,
    security: [{ Session: [] }],
    request: { params: IdParam },
    responses: { 200: jsonResponse(CreatedKeySchema), ...errorResponses(401, 404) },
  }),
  async (c) => c.json(await rotateApiKey(c.var.db, c.var.auth.profileId, c.req.valid("param").id, Date.now()), 200),
);

accountRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/account/keys/{id}",
    tags: ["API keys"],
    summary: "Revoke a key",
    middleware: [requireSession()] as const,
    security: [{ Session: [] }],
    request: { params: IdParam },
    responses: { 200: jsonResponse(z.object({ ok: z.literal(true) })), ...errorResponses(401, 404) },
  }),
  async (c) => {
    await revokeApiKey(c.var.db, c.var.auth.profileId, c.req.valid("param").id, Date.now());
    return c.json({ ok: true as const }, 200);
  },
);
