import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { addCollectionSection } from "../gallery/slots";
import { shareApiRoutes } from "./api";
import { renderShareSection, shareDashboardRoutes } from "./dashboard";
import { publicGalleryRoutes } from "./public";

/**
 * Client Gallery sharing: the owner's share API and dashboard section, and the public
 * `/g/{slug}` page a client opens (grid, viewer, favorites, downloads).
 */
export const clientGalleryFeature = new OpenAPIHono<AppEnv>();
clientGalleryFeature.route("/", shareApiRoutes);
clientGalleryFeature.route("/", shareDashboardRoutes);
clientGalleryFeature.route("/", publicGalleryRoutes);

addCollectionSection(renderShareSection);
