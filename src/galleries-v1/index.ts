import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { galleriesV1PageRoutes } from "./pages";
import { galleriesV1Routes } from "./routes";
import { studioV1Routes } from "./routes-studio";

/** The v1 galleries API and its dashboard pages (galleries-v1.txt): galleries, assets, folders, members, teams, rights, metadata. */
export const galleriesV1Feature = new OpenAPIHono<AppEnv>();
galleriesV1Feature.route("/", galleriesV1Routes);
galleriesV1Feature.route("/", studioV1Routes);
galleriesV1Feature.route("/", galleriesV1PageRoutes);
