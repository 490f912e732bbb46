import { OpenAPIHono } from "@hono/zod-openapi";
import { limitBody } from "../platform/http";
import type { AppEnv } from "../env";
import { galleriesV1PageRoutes } from "./pages";
import { galleriesV1Routes } from "./routes";
import { injectV1Routes, tusV1Routes } from "./routes-inject";
import { studioV1Routes } from "./routes-studio";
import { shareEmailV1Routes } from "./routes-share-email";
import { sharePages } from "./share-pages";

/** The v1 galleries API and its dashboard pages (galleries-v1.txt): galleries, assets, folders, members, teams, rights, metadata. */
export const galleriesV1Feature = new OpenAPIHono<AppEnv>();
// Form bodies (Rails clients) skip the app's JSON-only guard and its limit, so the API keeps the same 1 MiB cap.
const V1_BODY_LIMIT = 1024 * 1024;
const v1Limit = limitBody(V1_BODY_LIMIT, `Bodies are limited to ${V1_BODY_LIMIT} bytes`);
// tus PATCH bodies stream straight into R2 and are bounded by Upload-Length instead.
galleriesV1Feature.use("/api/v1/*", (c, next) => (c.req.path.startsWith("/api/v1/uploads") ? next() : v1Limit(c, next)));
galleriesV1Feature.route("/", galleriesV1Routes);
galleriesV1Feature.route("/", studioV1Routes);
galleriesV1Feature.route("/", shareEmailV1Routes);
galleriesV1Feature.route("/", sharePages);
galleriesV1Feature.route("/", injectV1Routes);
galleriesV1Feature.route("/", tusV1Routes);
galleriesV1Feature.route("/", galleriesV1PageRoutes);
