import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { connectRoutes } from "./routes";

export { publicPlansRoutes } from "./public-plans";

/** Embedded connect: start, finalize, exchange and verify. */
export const connectFeature = new OpenAPIHono<AppEnv>();
connectFeature.route("/", connectRoutes);
