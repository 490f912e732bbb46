import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { requireApiKey } from "../platform/auth";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../platform/openapi";
import { CollectionIdParam } from "../gallery/schemas";
import { getStudio } from "../gallery/service";
import { favoritesByClient, listActivity } from "./favorites";
import { ShareBody, ShareSchema } from "./schemas";
import { getShare, saveShare, toPublicShare } from "./share";

/** The owner's API of share links, favorites and activity (gallery key). */
export const shareApiRoutes = createRouter();

const security = [{ ApiKey: [] }];
const middleware = requireApiKey("gallery");
const tags = ["Client Gallery"];
const studioOf = (c: Context<AppEnv>) => getStudio(c.var.db, c.var.auth.profileId);

shareApiRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/collections/{id}/share",
    tags,
    security,
    middleware,
    summary: "Get a collection's share link settings",
    description: "Never returns the password or PIN, only whether one is set. `url` is null until the collection is first shared.",
    request: { params: CollectionIdParam },
    responses: { 200: jsonResponse(ShareSchema), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    const { id } = c.req.valid("param");
    const now = Date.now();
    return c.json(toPublicShare(id, await getShare(c.var.db, studio.id, id), new URL(c.req.url).origin, now), 200);
  },
);

shareApiRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/collections/{id}/share",
    tags,
    security,
    middleware,
    summary: "Share a collection (create or change its link)",
    description:
      "Send only the fields to change. The first call turns the link on (`enabled: false` to prepare it switched off). " +
      "`password` and `pin` (4 digits) are stored hashed; null removes them. `expiresAt` is a date (the link works through that " +
      "day, UTC) or a date-time; after it the page says the gallery has expired, and nothing is deleted. `downloads` is " +
      "`none`, `web` (web size) or `original`. `regenerateSlug: true` issues a new `/g/{slug}` URL; the old one stops at once, " +
      "as do visitor cookies whenever the slug, password or PIN change.",
    request: { params: CollectionIdParam, ...jsonBody(ShareBody) },
    responses: { 200: jsonResponse(ShareSchema), ...errorResponses(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    const { id } = c.req.valid("param");
    const now = Date.now();
    const share = await saveShare(c.var.db, studio.id, id, c.req.valid("json"), now, c.env.PASSWORD_PEPPER);
    return c.json(toPublicShare(id, share, new URL(c.req.url).origin, now), 200);
  },
);

const FavoritesSchema = z.array(z.object({ email: z.string(), files: z.array(z.object({ id: z.string(), name: z.string() })) })).openapi("ClientFavorites");
const ActivitySchema = z
  .array(z.object({ kind: z.enum(["view", "favorite", "unfavorite", "download"]), email: z.string().nullable(), detail: z.string(), at: z.string() }))
  .openapi("GalleryActivity");

shareApiRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/collections/{id}/favorites",
    tags,
    security,
    middleware,
    summary: "Clients' favorites of a shared collection",
    description: "One entry per client email, with the file names they hearted (in gallery order).",
    request: { params: CollectionIdParam },
    responses: { 200: jsonResponse(FavoritesSchema), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    return c.json(await favoritesByClient(c.var.db, studio.id, c.req.valid("param").id), 200);
  },
);

shareApiRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/collections/{id}/activity",
    tags,
    security,
    middleware,
    summary: "Views, favorites and downloads of a shared collection",
    description: "The latest 100 events, newest first, with the client's email where they gave one.",
    request: { params: CollectionIdParam },
    responses: { 200: jsonResponse(ActivitySchema), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const studio = await studioOf(c);
    return c.json(await listActivity(c.var.db, studio.id, c.req.valid("param").id), 200);
  },
);
