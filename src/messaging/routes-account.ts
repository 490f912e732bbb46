import { createRoute, z } from "@hono/zod-openapi";
import { requireApiKey, requireSession } from "../platform/auth";
import { createRouter, errorResponses, jsonResponse } from "../platform/openapi";
import { accountSummary, botSnapshot, createOrRotateKey } from "./account";
import { AgentSchema, AgentSummarySchema } from "./schemas";

export const accountRoutes = createRouter();

const AccountSchema = z
  .object({
    credits: z.number().int(),
    inboundCount: z.number().int(),
    outboundCount: z.number().int(),
    hasApiKey: z.boolean(),
    apiKey: z.object({ displayPrefix: z.string(), last4: z.string(), createdAt: z.string() }).nullable(),
  })
  .openapi("MessagingAccount");

accountRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/messaging/account",
    tags: ["Dashboard"],
    security: [{ Session: [] }],
    middleware: requireSession(),
    summary: "Credits, inbound/outbound counts and the masked API key",
    responses: { 200: jsonResponse(AccountSchema), ...errorResponses(401, 409) },
  }),
  async (c) => c.json(await accountSummary(c.var.db, c.var.auth.profileId), 200),
);

accountRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/messaging/api-key",
    tags: ["Dashboard"],
    security: [{ Session: [] }],
    middleware: requireSession(),
    summary: "Create or rotate the Messaging API key (the full msg_… key is returned once; the old one stops at once)",
    responses: {
      201: jsonResponse(z.object({ key: z.string(), displayPrefix: z.string(), last4: z.string(), createdAt: z.string(), rotated: z.boolean() }), "Created"),
      ...errorResponses(401, 403, 409),
    },
  }),
  async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await createOrRotateKey(c.var.db, c.var.auth.profileId, Date.now()), 201);
  },
);

const BotSchema = z
  .object({
    credits: z.number().int(),
    agents: z.array(AgentSummarySchema),
    defaultAgent: AgentSchema.nullable(),
    embedEnabled: z.boolean(),
    embedPublicId: z.string().nullable(),
    embedAllowedOrigins: z.array(z.string()),
    embedAccentColor: z.string(),
    embedLauncherIcon: z.string(),
    embedShowLauncher: z.boolean(),
    embedGreeting: z.string(),
    embedShareLink: z.string().nullable(),
    embedCodeFloating: z.string(),
    embedCodeButton: z.string(),
  })
  .openapi("BotSnapshot");

accountRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/messaging/v1/bot",
    tags: ["Messaging"],
    security: [{ ApiKey: [] }],
    middleware: requireApiKey("messaging"),
    summary: "Read-only snapshot: credits, agents, default agent, embed settings and install snippets",
    responses: { 200: jsonResponse(BotSchema), ...errorResponses(401, 403) },
  }),
  async (c) => c.json(await botSnapshot(c.var.db, c.var.auth.profileId, new URL(c.req.url).origin), 200),
);
