import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { adminPages } from "./pages";
import { adminRoutes } from "./routes";

/** Staff moderation of partner apps: its JSON API and its pages. */
export const adminFeature = new OpenAPIHono<AppEnv>();
adminFeature.route("/", adminRoutes);
adminFeature.route("/", adminPages);
