import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";

/** The v1 galleries API (galleries-v1.txt): galleries, assets, folders, members, teams, rights, metadata. */
export const galleriesV1Feature = new OpenAPIHono<AppEnv>();
