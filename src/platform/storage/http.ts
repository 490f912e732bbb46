import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { limitBody } from "../http";
import type { OwnerKind } from "../../db/schema";
import type { AppEnv } from "../../env";
import { ApiError, notFound } from "../errors";
import { errorResponses } from "../openapi";
import { mediaTokenKey } from "./config";
import { serveObject, verifyMediaToken } from "./media";
import { PROXY_UPLOAD_MAX_BYTES } from "./uploads";

/** What every presign route answers: the PUT to make, the key to complete with, and when the URL expires. */
export const PresignResponse = z
  .object({
    uploadUrl: z.string(),
    storageKey: z.string(),
    headers: z.object({ "Content-Type": z.string() }),
    expiresAt: z.string(),
  })
  .openapi("PresignResponse");

/** The `file` part of a proxy upload's multipart form (documented as binary). */
export const UploadFileField = z
  .any()
  .refine((f): f is File => f instanceof File, "must be a file")
  .openapi({ type: "string", format: "binary" });

/**
 * Body limit of a proxy upload route: the file passes through Worker memory, so past
 * PROXY_UPLOAD_MAX_BYTES (plus room for the multipart envelope) it is a 413 pointing at the
 * route's presign alternative.
 */
export function proxyUploadLimit(presignPath: string) {
  return limitBody(PROXY_UPLOAD_MAX_BYTES + 64 * 1024, `Proxy uploads are limited to ${PROXY_UPLOAD_MAX_BYTES} bytes; use ${presignPath} for larger files`);
}

/** OpenAPI definition of a product line's media route: GET `path?t=<media token>`. */
export const mediaRoute = (path: string, tags: string[], summary: string) =>
  createRoute({
    method: "get",
    path,
    tags,
    summary,
    description:
      "Auth is the short-lived token itself (bound to one file). Supports Range (206) and If-None-Match (304). " +
      "Only allowlisted image, video and audio types display inline; everything else downloads.",
    request: { query: z.object({ t: z.string().min(1).max(2000) }) },
    responses: {
      200: { description: "The file" },
      206: { description: "Part of the file" },
      304: { description: "Not modified" },
      ...errorResponses(400, 403, 404, 416),
    },
  });

/**
 * The handler of `mediaRoute`: the token alone authorises (it must be for `audience` and an
 * owner of `ownerKind`, else 403 `invalid_media_token`); `find` re-checks that the owner's
 * file still exists. Streams the object with serveObject's safety headers; 404 when gone.
 */
export async function serveMediaRequest(
  c: Context<AppEnv>,
  token: string,
  audience: string,
  ownerKind: OwnerKind,
  find: (ownerId: string, storageKey: string) => Promise<{ storageKey: string; contentType: string; name: string } | null>,
): Promise<Response> {
  const claims = await verifyMediaToken(mediaTokenKey(c.env, c.req.url), audience, token, Date.now());
  if (!claims || claims.owner.kind !== ownerKind) throw new ApiError("invalid_media_token", "The media token is invalid or expired");
  const file = await find(claims.owner.id, claims.key);
  if (!file) throw notFound("file");
  const res = await serveObject(c.env.FILES, file.storageKey, c.req.raw, { contentType: file.contentType, fileName: file.name });
  if (!res) throw notFound("file");
  return res;
}
