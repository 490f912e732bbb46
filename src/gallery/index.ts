import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { localS3Routes } from "../platform/storage";
import { galleryPageRoutes } from "./pages";
import { galleryRoutes } from "./routes";

/** Client Gallery: its API, its dashboard page and the local S3-style endpoint for presigned PUTs. */
export const galleryFeature = new OpenAPIHono<AppEnv>();
galleryFeature.route("/", galleryRoutes);
galleryFeature.route("/", localS3Routes);
galleryFeature.route("/", galleryPageRoutes);
