import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { googleRoutes } from "./google";
import { signinPages } from "./pages";
import { signinRoutes } from "./routes";

/**
 * The sign-in edge: register, login and logout (API and pages), Google sign-in, the landing
 * page, the dashboard home and /docs. Mounted last: its page headers apply to every page.
 */
export const signinFeature = new OpenAPIHono<AppEnv>();
signinFeature.route("/", signinRoutes);
signinFeature.route("/", googleRoutes);
signinFeature.route("/", signinPages);
