import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { drivePageRoutes } from "./pages";
import { driveRoutes } from "./routes";

/** Drive: its API (folders, uploads, Recycle Bin, media) and its dashboard page. */
export const driveFeature = new OpenAPIHono<AppEnv>();
driveFeature.route("/", driveRoutes);
driveFeature.route("/", drivePageRoutes);

export { purgeExpiredTrash } from "./service";
