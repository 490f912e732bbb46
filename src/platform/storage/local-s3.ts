import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { LOCAL_S3_PATH, s3Config, StorageNotConfiguredError } from "./config";
import { verifyPresignedPut } from "./presign";

// Large enough for the dashboard's photos and videos in dev; R2 itself takes up to 5 GiB per PUT.
const MAX_LOCAL_PUT_BYTES = 512 * 1024 * 1024;

function s3Error(status: number, code: string, message: string): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`, {
    status,
    headers: { "Content-Type": "application/xml" },
  });
}

/**
 * The S3-style PUT endpoint for presigned URLs on localhost (dev, tests, e2e): verifies the
 * SigV4 query signature like R2 does and writes into the FILES bucket. It answers 404 when R2's
 * real endpoint is configured, so a deployment never accepts uploads here.
 */
export const localS3Routes = new Hono<AppEnv>();

localS3Routes.on(["PUT", "OPTIONS"], `${LOCAL_S3_PATH}/*`, async (c) => {
  let config;
  try {
    config = s3Config(c.env, c.req.url);
  } catch (err) {
    if (err instanceof StorageNotConfiguredError) return s3Error(404, "NoSuchBucket", "Not served here");
    throw err;
  }
  if (!config.local) return s3Error(404, "NoSuchBucket", "Not served here");
  if (c.req.method === "OPTIONS") {
    return new Response(null, {
      status: 204,
      headers: { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "PUT", "Access-Control-Allow-Headers": "content-type", "Access-Control-Max-Age": "600" },
    });
  }
  const check = await verifyPresignedPut(config, c.req.raw, Date.now());
  if (!check.ok) return s3Error(403, check.reason === "expired" ? "AccessDenied" : "SignatureDoesNotMatch", `Request refused: ${check.reason}`);
  const length = Number(c.req.header("content-length"));
  if (!Number.isInteger(length) || length < 0) return s3Error(411, "MissingContentLength", "Content-Length is required");
  if (length > MAX_LOCAL_PUT_BYTES) return s3Error(400, "EntityTooLarge", "Object too large for the local endpoint");
  const body = c.req.raw.body ?? new Uint8Array(0);
  const stream = body instanceof ReadableStream ? body.pipeThrough(new FixedLengthStream(length)) : body;
  const object = await c.env.FILES.put(check.key, stream, { httpMetadata: { contentType: c.req.header("content-type") } });
  return new Response(null, { status: 200, headers: { ETag: object.httpEtag, "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag" } });
});
