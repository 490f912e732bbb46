import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { createRouter, errorResponses } from "../platform/openapi";
import { actorFor, type Actor } from "./access";
import { parseParams } from "./params";

type Method = "get" | "post" | "put" | "patch" | "delete";

export interface V1Route<S extends z.ZodType | undefined> {
  method: Method;
  path: string;
  summary: string;
  description?: string;
  /** The parameters (query string and body, JSON or Rails-style form fields), parsed with zod. */
  params?: S;
  status?: 200 | 201 | 204;
  tags?: string[];
  run: (ctx: { c: Context<AppEnv>; actor: Actor; path: Record<string, string>; input: S extends z.ZodType ? z.output<S> : undefined; now: number }) => Promise<unknown>;
}

function documented(schema: z.ZodType): Record<string, unknown> {
  try {
    return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  } catch {
    return { type: "object" };
  }
}

/**
 * Adds a v1 route: x-api-key auth (studio key or member key), every parameter from the query
 * string and the body in either encoding through `parseParams`, JSON out. The parameters are
 * documented (not validated) in the OpenAPI document, since zod-openapi would accept JSON only.
 */
export function addV1Route<S extends z.ZodType | undefined>(router: ReturnType<typeof createRouter>, r: V1Route<S>) {
  const pathParams = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const status = r.status ?? 200;
  const hasBody = r.method !== "get" && r.method !== "delete";
  const route = createRoute({
    method: r.method,
    path: r.path,
    tags: r.tags ?? ["Galleries v1"],
    security: [{ ApiKey: [] }],
    summary: r.summary,
    description: r.description,
    request: {
      ...(pathParams.length ? { params: z.object(Object.fromEntries(pathParams.map((p) => [p, z.string().max(64)]))) } : {}),
      ...(r.params && hasBody
        ? {
            body: {
              content: {
                "application/json": { schema: documented(r.params) },
                "application/x-www-form-urlencoded": { schema: { type: "object", description: "The same parameters as Rails bracket fields, e.g. gallery[name]" } },
              },
            },
          }
        : {}),
    },
    responses: { [status]: { description: status === 204 ? "Done" : "OK" }, ...errorResponses(400, 401, 403, 404, 409) },
  });
  router.openapi(route, (async (c: Context<AppEnv>) => {
    const actor = await actorFor(c);
    const path = Object.fromEntries(pathParams.map((p) => [p, c.req.param(p) ?? ""]));
    const input = (r.params ? await parseParams(c, r.params) : undefined) as S extends z.ZodType ? z.output<S> : undefined;
    const body = await r.run({ c, actor, path, input, now: Date.now() });
    return status === 204 ? c.body(null, 204) : c.json(body as object, status);
  }) as never);
}
