import { OpenAPIHono } from "@hono/zod-openapi";
import { googleRoutes } from "../accounts/google";
import { adminPages } from "../admin/pages";
import { adminRoutes } from "../admin/routes";
import { consolePages } from "../console/pages";
import { consoleRoutes } from "../console/routes";
import type { AppEnv } from "../env";
import { connectRoutes } from "./routes";

/** Embedded connect, partner verification, Developer Console, admin moderation and Google sign-in, mounted together. */
export const connectFeature = new OpenAPIHono<AppEnv>();
connectFeature.route("/", connectRoutes);
connectFeature.route("/", consoleRoutes);
connectFeature.route("/", adminRoutes);
connectFeature.route("/", googleRoutes);
connectFeature.route("/", consolePages);
connectFeature.route("/", adminPages);
