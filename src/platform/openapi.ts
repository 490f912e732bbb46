import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { ProductLine } from "../db/schema";
import type { AppEnv } from "../env";
import { requireApiKey, requireSession } from "./auth";
import { ApiError } from "./errors";

/** Flattens zod issues into `{ path, message }` for the `detail` of a 400. */
export function zodDetail(error: ZodError) {
  return error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

/** A feature router whose validation failures become 400 `invalid_request`. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ApiError("invalid_request", zodDetail(result.error as ZodError));
    },
  });
}

/** Standard error body, referenced by every route's 4xx responses. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: "Error",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
    ]),
  );

/** A route's JSON response: `schema` under application/json. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description = "OK") => ({ description, content: { "application/json": { schema } } });

/** A route's required JSON request body, validated against `schema`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });

/**
 * Tags, security and auth middleware of a route served twice: to API keys of `line` (listed
 * under `tags`) and, at a dashboard path, to the browser session (listed under Dashboard).
 */
export const keyOrSession = (auth: "key" | "session", line: ProductLine, tags: string[]) =>
  auth === "key"
    ? { tags, security: [{ ApiKey: [] }], middleware: requireApiKey(line) }
    : { tags: ["Dashboard"], security: [{ Session: [] }], middleware: requireSession() };

/**
 * `base` with more fields, as one flat object. zod's `.extend()` of a registered schema becomes
 * `allOf: [$ref, …]` in the document, which some OpenAPI tools (Scalar among them) flag as invalid.
 */
export const withFields = <B extends z.ZodRawShape, S extends z.ZodRawShape>(base: z.ZodObject<B>, shape: S) => z.object({ ...base.shape, ...shape });
