import { OpenAPIHono } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { AppEnv } from "../env";
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
