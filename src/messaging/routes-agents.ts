import { createRoute, z } from "@hono/zod-openapi";
import { requireApiKey } from "../platform/auth";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../platform/openapi";
import { createAgent, deleteAgent, getAgent, listAgents, toAgent, toAgentSummary, updateAgent } from "./agents";
import { AgentSchema, AgentSummarySchema, CreateAgentBody, IdParam, UpdateAgentBody } from "./schemas";

export const agentRoutes = createRouter();

const auth = { tags: ["Messaging agents"], security: [{ ApiKey: [] }], middleware: requireApiKey("messaging") };

agentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/messaging/v1/agents",
    ...auth,
    summary: "List agents (id, name, botDisplayName, isDefault, sourcesCount, updatedAt)",
    responses: { 200: jsonResponse(z.object({ agents: z.array(AgentSummarySchema) })), ...errorResponses(401, 403) },
  }),
  async (c) => c.json({ agents: (await listAgents(c.var.db, c.var.auth.profileId)).map(toAgentSummary) }, 200),
);

agentRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/messaging/v1/agents",
    ...auth,
    summary: "Create an agent (the first one becomes the default; at most 25)",
    request: jsonBody(CreateAgentBody),
    responses: { 201: jsonResponse(AgentSchema, "Created"), ...errorResponses(400, 401, 403, 409) },
  }),
  async (c) => c.json(toAgent(await createAgent(c.var.db, c.var.auth.profileId, c.req.valid("json"), Date.now())), 201),
);

agentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/messaging/v1/agents/{id}",
    ...auth,
    summary: "Full agent record including systemInstructions and handoff settings",
    request: { params: IdParam },
    responses: { 200: jsonResponse(AgentSchema), ...errorResponses(401, 403, 404) },
  }),
  async (c) => c.json(toAgent(await getAgent(c.var.db, c.var.auth.profileId, c.req.valid("param").id)), 200),
);

agentRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/api/messaging/v1/agents/{id}",
    ...auth,
    summary: "Partial update; isDefault:true makes this the default agent",
    request: { params: IdParam, ...jsonBody(UpdateAgentBody) },
    responses: { 200: jsonResponse(AgentSchema), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => c.json(toAgent(await updateAgent(c.var.db, c.var.auth.profileId, c.req.valid("param").id, c.req.valid("json"), Date.now())), 200),
);

agentRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/messaging/v1/agents/{id}",
    ...auth,
    summary: "Delete an agent and its knowledge (not the only one; deleting the default promotes another)",
    request: { params: IdParam },
    responses: { 200: jsonResponse(z.object({ deleted: z.literal(true), id: z.string() })), ...errorResponses(401, 403, 404, 409) },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    await deleteAgent(c.var.db, c.var.auth.profileId, id);
    return c.json({ deleted: true as const, id }, 200);
  },
);
