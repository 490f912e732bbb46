import { createRoute, z } from "@hono/zod-openapi";
import { ApiError, notFound } from "../platform/errors";
import { createRouter, errorResponses } from "../platform/openapi";
import { PlanByIdQuerySchema, PlanSchema, PlansQuerySchema } from "./schemas";
import { getPlan, listPublishedPlans, toPublicPlan } from "./service";

export const plansRoutes = createRouter();

// No partner app exists until the Developer Console ships, so every client_id is unknown.
const unknownClient = () => new ApiError("unknown_client", "No partner app has this client_id", { status: 400 });

plansRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/public/plans",
    tags: ["Plans"],
    summary: "List published plans",
    description: "Public. `type` limits the list to one product line.",
    request: { query: PlansQuerySchema },
    responses: {
      200: { description: "Plans", content: { "application/json": { schema: z.array(PlanSchema) } } },
      ...errorResponses(400),
    },
  }),
  async (c) => {
    const { type, client_id } = c.req.valid("query");
    if (client_id) throw unknownClient();
    const rows = await listPublishedPlans(c.var.db, type);
    c.header("Cache-Control", "public, max-age=60");
    return c.json(rows.map(toPublicPlan), 200);
  },
);

plansRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/public/plans/by-id",
    tags: ["Plans"],
    summary: "Get one plan by id",
    request: { query: PlanByIdQuerySchema },
    responses: {
      200: { description: "The plan", content: { "application/json": { schema: PlanSchema } } },
      ...errorResponses(400, 404),
    },
  }),
  async (c) => {
    const { id, client_id } = c.req.valid("query");
    if (client_id) throw unknownClient();
    const plan = await getPlan(c.var.db, id);
    if (!plan || !plan.published) throw notFound("plan");
    return c.json(toPublicPlan(plan), 200);
  },
);
