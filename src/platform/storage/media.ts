import { errors, jwtVerify, SignJWT } from "jose";
import type { Env } from "../../env";
import { mediaTokenKey } from "./config";
import type { OwnerRef } from "./quota";

/** Media tokens are short-lived: a files listing is refreshed long before they expire. */
export const MEDIA_TOKEN_TTL_SECONDS = 60 * 60;

export interface MediaClaims {
  /** The one object this token opens. */
  key: string;
  owner: OwnerRef;
}

/**
 * Signs a media token (HS256 JWT) bound to one object and owner. `audience` separates product
 * lines (a Drive token never opens a gallery URL).
 */
export async function mintMediaToken(secret: Uint8Array | CryptoKey, audience: string, claims: MediaClaims, now: number, ttlSeconds = MEDIA_TOKEN_TTL_SECONDS): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ k: claims.key, ok: claims.owner.kind, oi: claims.owner.id })
    .setProtectedHeader({ alg: "HS256" })
    .setAudience(audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(secret);
}

/** Imports the HS256 key once, so signing a page of tokens does not re-import it per token. */
export function importMediaKey(secret: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/**
 * A signed link per object key of one owner, in key order: a media token for `audience` and the
 * URL of the product line's media route (`origin` + `mediaPath`) carrying it.
 */
export async function mediaLinks(env: Env, origin: string, audience: string, mediaPath: string, owner: OwnerRef, keys: string[], now: number) {
  const secret = await importMediaKey(mediaTokenKey(env, origin));
  const expiresAt = new Date(now + MEDIA_TOKEN_TTL_SECONDS * 1000).toISOString();
  return Promise.all(
    keys.map(async (key) => {
      const mediaToken = await mintMediaToken(secret, audience, { key, owner }, now);
      return { url: `${origin}${mediaPath}?t=${mediaToken}`, mediaToken, expiresAt };
    }),
  );
}

/** The token's claims, or null when it is malformed, tampered, expired or for another audience. */
export async function verifyMediaToken(secret: Uint8Array, audience: string, token: string, now: number): Promise<MediaClaims | null> {
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ["HS256"], audience, currentDate: new Date(now) });
    const { k, ok, oi } = payload as Record<string, unknown>;
    if (typeof k !== "string" || (ok !== "studio" && ok !== "drive") || typeof oi !== "string") return null;
    return { key: k, owner: { kind: ok, id: oi } };
  } catch (err) {
    if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
    throw err;
  }
}

/** Media types shown inline; everything else (HTML, SVG, XML, scripts, unknown) downloads. */
const INLINE_TYPES = new Set([
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/avif",
  "video/mp4",
  "video/webm",
  "video/quicktime",
  "audio/mpeg",
  "audio/mp4",
  "audio/ogg",
  "audio/wav",
]);

export function isInlineMedia(contentType: string): boolean {
  return INLINE_TYPES.has(contentType);
}

type ByteRange = { offset: number; length: number };

/** Parses one `bytes=` range against `size`: null = ignore (serve whole), "unsatisfiable" = 416. */
export function parseRange(header: string | null, size: number): ByteRange | null | "unsatisfiable" {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    const length = Math.min(suffix, size);
    return { offset: size - length, length };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}

function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Streams an R2 object to the client with what browsers need to be safe with user files:
 * an allowlisted Content-Type (else octet-stream), `nosniff`, a sandboxing CSP and
 * `Content-Disposition: attachment` unless the type is allowlisted media. Supports one
 * `Range` (206 / 416) and `If-None-Match` (304) on the object's ETag.
 */
export async function serveObject(bucket: R2Bucket, key: string, request: Request, opts: { contentType: string; fileName: string }): Promise<Response | null> {
  const head = await bucket.head(key);
  if (!head) return null;
  const inline = isInlineMedia(opts.contentType);
  const headers = new Headers({
    "Content-Type": inline ? opts.contentType : "application/octet-stream",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", opts.fileName),
    "Cache-Control": "private, max-age=300",
    "Accept-Ranges": "bytes",
    ETag: head.httpEtag,
  });
  const inm = request.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim().replace(/^W\//, "") === head.httpEtag || t.trim() === "*")) {
    return new Response(null, { status: 304, headers });
  }
  const range = parseRange(request.headers.get("range"), head.size);
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${head.size}`);
    return new Response(null, { status: 416, headers });
  }
  const object = await bucket.get(key, range ? { range } : {});
  if (!object) return null;
  if (range) {
    headers.set("Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`);
    headers.set("Content-Length", String(range.length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set("Content-Length", String(head.size));
  return new Response(object.body, { status: 200, headers });
}
