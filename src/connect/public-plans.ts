import { createRoute, z } from "@hono/zod-openapi";
import type { Db } from "../db";
import type { PlanType } from "../db/schema";
import { PlanByIdQuerySchema, PlanSchema, PlansQuerySchema, PlanTypeSchema } from "../plans/schemas";
import { getPlan, listPublishedPlans, toPublicPlan } from "../plans/service";
import { ApiError, notFound } from "../platform/errors";
import { createRouter, errorResponses } from "../platform/openapi";
import { assertActive, findAppByClientId, type PartnerApp } from "./apps";

async function clientApp(db: Db, clientId: string): Promise<PartnerApp> {
  const app = await findAppByClientId(db, clientId);
  if (!app) throw new ApiError("unknown_client", "No partner app has this client_id");
  assertActive(app);
  return app;
}

const notAllowed = (type: PlanType) =>
  new ApiError("product_not_allowed", `This app is not allowed to offer ${type} plans`);

/** The published plans of the app's one product line; `type` of another line is 403. */
async function plansForClient(db: Db, clientId: string, type: PlanType | undefined) {
  const app = await clientApp(db, clientId);
  if (type && type !== app.productType) throw notAllowed(type);
  return { allowedProductTypes: [app.productType], plans: await listPublishedPlans(db, app.productType) };
}

/** 403 when a plan's line is not the app's. */
async function assertPlanAllowedForClient(db: Db, clientId: string, planType: PlanType): Promise<void> {
  const app = await clientApp(db, clientId);
  if (planType !== app.productType) throw notAllowed(planType);
}

/** The public plans API; with a partner's client_id it answers for that app's product line only. */
export const publicPlansRoutes = createRouter();

publicPlansRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/public/plans",
    tags: ["Plans"],
    summary: "List published plans",
    description:
      "Public. `type` limits the list to one product line. With `client_id`, returns `{ allowedProductTypes, plans }` for the " +
      "app's line only; a `type` of another line is 403.",
    request: { query: PlansQuerySchema },
    responses: {
      200: {
        description: "Plans (an array), or `{ allowedProductTypes, plans }` when client_id is given",
        content: {
          "application/json": {
            schema: z.union([z.array(PlanSchema), z.object({ allowedProductTypes: z.array(PlanTypeSchema), plans: z.array(PlanSchema) })]),
          },
        },
      },
      ...errorResponses(400, 403),
    },
  }),
  async (c) => {
    const { type, client_id } = c.req.valid("query");
    if (client_id) {
      const res = await plansForClient(c.var.db, client_id, type);
      return c.json({ allowedProductTypes: res.allowedProductTypes, plans: res.plans.map(toPublicPlan) }, 200);
    }
    const rows = await listPublishedPlans(c.var.db, type);
    c.header("Cache-Control", "public, max-age=60");
    return c.json(rows.map(toPublicPlan), 200);
  },
);

publicPlansRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/public/plans/by-id",
    tags: ["Plans"],
    summary: "Get one plan by id",
    request: { query: PlanByIdQuerySchema },
    responses: {
      200: { description: "The plan", content: { "application/json": { schema: PlanSchema } } },
      ...errorResponses(400, 403, 404),
    },
  }),
  async (c) => {
    const { id, client_id } = c.req.valid("query");
    const plan = await getPlan(c.var.db, id);
    if (!plan || !plan.published) throw notFound("plan");
    if (client_id) await assertPlanAllowedForClient(c.var.db, client_id, plan.planType);
    return c.json(toPublicPlan(plan), 200);
  },
);
