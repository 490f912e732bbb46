import { AwsV4Signer } from "aws4fetch";
import type { S3Config } from "./config";

/** Presigned PUT URLs live this long; the upload intent outlives them so /complete can be retried. */
export const PRESIGN_TTL_SECONDS = 15 * 60;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const SIGNED_HEADERS = "content-type;host";

export interface PresignedPut {
  uploadUrl: string;
  /** Headers the PUT must carry exactly (Content-Type is part of the signature). */
  headers: { "Content-Type": string };
  expiresAt: number;
}

function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, "");
}

function parseAmzDate(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return null;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** `endpoint/bucket/key`, each key segment percent-encoded (keys are server-chosen and already safe). */
export function objectUrl(config: S3Config, key: string): URL {
  return new URL(`${config.endpoint}/${config.bucket}/${key.split("/").map(encodeURIComponent).join("/")}`);
}

async function sign(config: S3Config, url: URL, contentType: string, datetime: string): Promise<string> {
  const signer = new AwsV4Signer({
    method: "PUT",
    url: url.toString(),
    headers: { "content-type": contentType },
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    service: "s3",
    region: "auto",
    datetime,
    signQuery: true,
    // Content-Type is "unsignable" by default in aws4fetch; signing it stops a PUT of other media types.
    allHeaders: true,
  });
  return (await signer.sign()).url.toString();
}

/**
 * A presigned S3 PUT URL for one object (AWS SigV4 query signature, `X-Amz-Expires` set before
 * signing). The same function serves R2 in production and the local endpoint in dev and tests;
 * only `config` differs. Content-Type and host are signed; the URL expires after `ttlSeconds`.
 */
export async function presignPut(config: S3Config, key: string, contentType: string, now: number, ttlSeconds = PRESIGN_TTL_SECONDS): Promise<PresignedPut> {
  const url = objectUrl(config, key);
  url.searchParams.set("X-Amz-Expires", String(ttlSeconds));
  return {
    uploadUrl: await sign(config, url, contentType, amzDate(now)),
    headers: { "Content-Type": contentType },
    expiresAt: now + ttlSeconds * 1000,
  };
}

export type PresignCheck = { ok: true; bucket: string; key: string } | { ok: false; reason: string };

/**
 * Verifies a presigned PUT the way S3 does: recomputes the SigV4 query signature with the
 * configured credentials over the request's own URL and Content-Type, and checks the
 * credential scope, the signed header set and the expiry window. Used by the local endpoint.
 */
export async function verifyPresignedPut(config: S3Config, request: Request, now: number): Promise<PresignCheck> {
  const url = new URL(request.url);
  const q = url.searchParams;
  const date = q.get("X-Amz-Date") ?? "";
  const expires = Number(q.get("X-Amz-Expires"));
  const provided = q.get("X-Amz-Signature") ?? "";
  const signedAt = parseAmzDate(date);
  if (request.method !== "PUT") return { ok: false, reason: "method" };
  if (q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256" || signedAt === null || !/^[0-9a-f]{64}$/.test(provided)) return { ok: false, reason: "malformed" };
  if (q.get("X-Amz-Credential") !== `${config.accessKeyId}/${date.slice(0, 8)}/auto/s3/aws4_request`) return { ok: false, reason: "credential" };
  if (q.get("X-Amz-SignedHeaders") !== SIGNED_HEADERS) return { ok: false, reason: "signed_headers" };
  if (!Number.isInteger(expires) || expires < 1 || expires > 7 * 86400) return { ok: false, reason: "expires" };
  if (signedAt > now + MAX_CLOCK_SKEW_MS || now > signedAt + expires * 1000) return { ok: false, reason: "expired" };

  const unsigned = new URL(url);
  unsigned.searchParams.delete("X-Amz-Signature");
  const expected = new URL(await sign(config, unsigned, request.headers.get("content-type") ?? "", date)).searchParams.get("X-Amz-Signature") ?? "";
  const enc = new TextEncoder();
  if (expected.length !== provided.length || !crypto.subtle.timingSafeEqual(enc.encode(expected), enc.encode(provided))) {
    return { ok: false, reason: "signature" };
  }
  const prefix = new URL(config.endpoint).pathname.replace(/\/+$/, "") + `/${config.bucket}/`;
  if (!url.pathname.startsWith(prefix)) return { ok: false, reason: "bucket" };
  const key = url.pathname.slice(prefix.length).split("/").map(decodeURIComponent).join("/");
  if (!key) return { ok: false, reason: "key" };
  return { ok: true, bucket: config.bucket, key };
}
