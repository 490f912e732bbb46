import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { getAccountOverview } from "../accounts/service";
import { listAllApps, setAppStatus } from "../connect/apps";
import { AppIdParam, AppSchema, FiguresSchema } from "../console/schemas";
import type { AppEnv } from "../env";
import { requireSession } from "../platform/auth";
import { ApiError } from "../platform/errors";
import { createRouter, errorResponses, jsonResponse, withFields } from "../platform/openapi";

export const adminRoutes = createRouter();

/** Platform staff only (profiles.role = staff); runs after requireSession. */
export const requireStaff: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { profile } = await getAccountOverview(c.var.db, c.var.auth.profileId);
  if (profile.role !== "staff") throw new ApiError("forbidden", "Platform staff only");
  await next();
};

const staff = { middleware: [requireSession(), requireStaff], security: [{ Session: [] }], tags: ["Admin"] };

const AdminAppSchema = withFields(AppSchema, {
  owner: z.object({ profileId: z.string(), email: z.string().nullable(), displayName: z.string().nullable() }),
  linkedProfiles: z.number().int(),
  figures: FiguresSchema,
}).openapi("AdminPartnerApp");

adminRoutes.openapi(
  createRoute({
    ...staff,
    method: "get",
    path: "/api/admin/apps",
    summary: "Every partner app with its owner and connect figures (staff)",
    responses: { 200: jsonResponse(z.object({ apps: z.array(AdminAppSchema) })), ...errorResponses(401, 403) },
  }),
  async (c) => c.json({ apps: await listAllApps(c.var.db) }, 200),
);

adminRoutes.openapi(
  createRoute({
    ...staff,
    method: "patch",
    path: "/api/admin/apps/{id}",
    summary: "Suspend or reactivate an app (staff)",
    description: "A suspended app's connect start, exchange and verify fail with 403 app_suspended.",
    request: {
      params: AppIdParam,
      body: { required: true, content: { "application/json": { schema: z.object({ status: z.enum(["active", "suspended"]) }).strict() } } },
    },
    responses: { 200: jsonResponse(AppSchema), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => c.json(await setAppStatus(c.var.db, c.req.valid("param").id, c.req.valid("json").status, Date.now()), 200),
);
