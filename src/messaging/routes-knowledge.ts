import { createRoute, z } from "@hono/zod-openapi";
import { requireApiKey } from "../platform/auth";
import { ApiError } from "../platform/errors";
import { limitBody } from "../platform/http";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../platform/openapi";
import { addFileSource, addSource, MAX_UPLOAD_BYTES, deleteSource, getSource, listSources, toSource, refreshSource } from "./knowledge";
import { CreateSourceBody, IdParam, SourceParam, SourceSchema } from "./schemas";

export const knowledgeRoutes = createRouter();

const auth = { tags: ["Messaging knowledge"], security: [{ ApiKey: [] }], middleware: requireApiKey("messaging") };

knowledgeRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/messaging/v1/agents/{id}/sources",
    ...auth,
    summary: "List an agent's knowledge sources, newest first",
    request: { params: IdParam },
    responses: { 200: jsonResponse(z.object({ sources: z.array(SourceSchema) })), ...errorResponses(401, 403, 404) },
  }),
  async (c) => c.json({ sources: (await listSources(c.var.db, c.var.auth.profileId, c.req.valid("param").id)).map(toSource) }, 200),
);

knowledgeRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/messaging/v1/agents/{id}/sources",
    ...auth,
    summary: "Add a source: text, qa, url (fetched once, server-side) or file (its text)",
    description:
      "`{type:'text',title,content}`, `{type:'qa',question,answer}`, `{type:'url',url}` (https, public hosts only; a fetch failure gives " +
      "status `failed` with a reason), `{type:'file',fileName,content}` for .txt/.md/.html/.csv. Limits: 256 KiB of text per source, " +
      "8 MiB and 2,000 sources per agent (413 `knowledge_limit_exceeded`).",
    request: { params: IdParam, ...jsonBody(CreateSourceBody) },
    responses: { 201: jsonResponse(SourceSchema, "Created"), ...errorResponses(400, 401, 403, 404, 413, 415) },
  }),
  async (c) => {
    const src = await addSource(c.var.db, c.var.auth.profileId, c.req.valid("param").id, c.req.valid("json"), Date.now());
    return c.json(toSource(src), 201);
  },
);

knowledgeRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/messaging/v1/agents/{id}/sources/upload",
    ...auth,
    summary: "Add a file source (multipart field `file`: .txt, .md, .html, .csv; at most 1 MiB)",
    middleware: [requireApiKey("messaging"), limitBody(MAX_UPLOAD_BYTES + 64 * 1024, `Files are limited to ${MAX_UPLOAD_BYTES} bytes`)] as const,
    request: { params: IdParam },
    responses: { 201: jsonResponse(SourceSchema, "Created"), ...errorResponses(400, 401, 403, 404, 413, 415) },
  }),
  async (c) => {
    const form = await c.req.formData().catch(() => null);
    const file = form?.get("file");
    if (!(file instanceof File)) throw new ApiError("invalid_request", [{ path: "file", message: "send the file in a multipart field named file" }]);
    return c.json(toSource(await addFileSource(c.var.db, c.var.auth.profileId, c.req.valid("param").id, file, Date.now())), 201);
  },
);

knowledgeRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/messaging/v1/agents/{id}/sources/{sourceId}",
    ...auth,
    summary: "One knowledge source with its status",
    request: { params: SourceParam },
    responses: { 200: jsonResponse(SourceSchema), ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    const { id, sourceId } = c.req.valid("param");
    return c.json(toSource(await getSource(c.var.db, c.var.auth.profileId, id, sourceId)), 200);
  },
);

knowledgeRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/messaging/v1/agents/{id}/sources/{sourceId}",
    ...auth,
    summary: "Delete a knowledge source and its index entries",
    request: { params: SourceParam },
    responses: { 200: jsonResponse(z.object({ deleted: z.literal(true), id: z.string() })), ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    const { id, sourceId } = c.req.valid("param");
    await deleteSource(c.var.db, c.var.auth.profileId, id, sourceId, Date.now());
    return c.json({ deleted: true as const, id: sourceId }, 200);
  },
);

knowledgeRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/messaging/v1/agents/{id}/sources/{sourceId}/refresh",
    ...auth,
    summary: "Fetch a URL source again and re-index it",
    request: { params: SourceParam },
    responses: { 200: jsonResponse(SourceSchema), ...errorResponses(400, 401, 403, 404, 413) },
  }),
  async (c) => {
    const { id, sourceId } = c.req.valid("param");
    return c.json(toSource(await refreshSource(c.var.db, c.var.auth.profileId, id, sourceId, Date.now())), 200);
  },
);
