import type { Env } from "../../env";
import { isLocalhost } from "../http";

/** The S3 side of storage: where presigned URLs point and the credentials that sign them. */
export interface S3Config {
  /** Origin + optional path prefix, without a trailing slash; the bucket follows it. */
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** True when the Worker itself serves the S3-style PUT under /storage/s3 (localhost only). */
  local: boolean;
}

/** Path under which the Worker serves the local S3-style endpoint (dev and tests). */
export const LOCAL_S3_PATH = "/storage/s3";
export const DEFAULT_BUCKET = "gellhub-files";

// Published on purpose: they only ever sign URLs for a loopback host, which production never serves.
export const LOCAL_S3_CREDENTIALS = { accessKeyId: "gellhub-local-dev", secretAccessKey: "gellhub-local-dev-secret-not-for-production" };

export class StorageNotConfiguredError extends Error {}

/**
 * Resolves the S3 configuration. With R2_S3_ENDPOINT set, presigned URLs go to R2 (credentials
 * required). Without it, only a localhost request may continue, and it gets the Worker's own
 * /storage/s3 endpoint with the published local credentials; anywhere else this throws, so a
 * deployment missing its secrets fails closed.
 */
export function s3Config(env: Env, requestUrl: string): S3Config {
  const bucket = env.R2_BUCKET_NAME || DEFAULT_BUCKET;
  if (env.R2_S3_ENDPOINT) {
    if (!env.R2_ACCESS_KEY_ID || !env.R2_SECRET_ACCESS_KEY) {
      throw new StorageNotConfiguredError("R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY must be set with R2_S3_ENDPOINT");
    }
    return {
      endpoint: env.R2_S3_ENDPOINT.replace(/\/+$/, ""),
      bucket,
      accessKeyId: env.R2_ACCESS_KEY_ID,
      secretAccessKey: env.R2_SECRET_ACCESS_KEY,
      local: false,
    };
  }
  if (!isLocalhost(requestUrl)) throw new StorageNotConfiguredError("R2_S3_ENDPOINT and R2 credentials must be configured outside localhost");
  return { endpoint: new URL(requestUrl).origin + LOCAL_S3_PATH, bucket, ...LOCAL_S3_CREDENTIALS, local: true };
}

// Only used when no secret is configured and the request is for localhost (dev and tests).
const LOCAL_MEDIA_SECRET = "gellhub-local-development-media-token-secret-not-for-production";

/** The HS256 key for media tokens; outside localhost MEDIA_TOKEN_SECRET (>= 32 chars) is required. */
export function mediaTokenKey(env: Env, requestUrl: string): Uint8Array {
  const secret = env.MEDIA_TOKEN_SECRET;
  if (secret && secret.length >= 32) return new TextEncoder().encode(secret);
  if (isLocalhost(requestUrl)) return new TextEncoder().encode(LOCAL_MEDIA_SECRET);
  throw new StorageNotConfiguredError("MEDIA_TOKEN_SECRET (>= 32 chars) must be configured outside localhost");
}
