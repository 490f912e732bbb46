import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { consolePages } from "./pages";
import { consoleRoutes } from "./routes";

/** The Developer Console: its JSON API and its dashboard pages. */
export const consoleFeature = new OpenAPIHono<AppEnv>();
consoleFeature.route("/", consoleRoutes);
consoleFeature.route("/", consolePages);
