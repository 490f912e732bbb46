import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { billingPageRoutes } from "./pages";
import { billingApiRoutes } from "./routes";

/** Billing API, Stripe webhook, dashboard billing page and the local test mode pages, mounted together. */
export const billingFeature = new OpenAPIHono<AppEnv>();
billingFeature.route("/", billingApiRoutes);
billingFeature.route("/", billingPageRoutes);
