import { createRoute } from "@hono/zod-openapi";
import { createRouter, errorResponses, jsonResponse, keyOrSession } from "../platform/openapi";
import { IdParam } from "./schemas";
import { DeliveryListQuery, DeliveryListSchema, DeliverySchema, getDelivery, listDeliveries, replayDelivery } from "./webhooks/deliveries";

/** The merchant's webhook delivery log (every attempt) and replay: msg_ key API and session twin. */
export const deliveryRoutes = createRouter();

const variants = [
  { base: "/api/messaging/v1/deliveries", auth: "key" },
  { base: "/api/messaging/deliveries", auth: "session" },
] as const;

for (const v of variants) {
  const auth = keyOrSession(v.auth, "messaging", ["Messaging handoff"]);

  deliveryRoutes.openapi(
    createRoute({
      method: "get",
      path: v.base,
      ...auth,
      summary: "Webhook deliveries, newest first, each with every attempt (time, status, duration, error)",
      request: { query: DeliveryListQuery },
      responses: { 200: jsonResponse(DeliveryListSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => c.json(await listDeliveries(c.var.db, c.var.auth.profileId, c.req.valid("query")), 200),
  );

  deliveryRoutes.openapi(
    createRoute({
      method: "get",
      path: `${v.base}/{id}`,
      ...auth,
      summary: "One delivery with its attempts",
      request: { params: IdParam },
      responses: { 200: jsonResponse(DeliverySchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(await getDelivery(c.var.db, c.var.auth.profileId, c.req.valid("param").id), 200),
  );

  deliveryRoutes.openapi(
    createRoute({
      method: "post",
      path: `${v.base}/{id}/replay`,
      ...auth,
      summary: "Send a finished delivery again (same X-GellHub-Delivery id, fresh timestamp and signature)",
      request: { params: IdParam },
      responses: { 202: jsonResponse(DeliverySchema, "Queued"), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await replayDelivery(c.env, c.var.db, c.var.auth.profileId, c.req.valid("param").id, Date.now()), 202),
  );
}
