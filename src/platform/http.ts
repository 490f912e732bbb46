import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../env";
import { ApiError } from "./errors";

/** True for loopback hosts: `wrangler dev`, vitest and the e2e runner; never a deployed route. */
export function isLocalhost(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Routes that set or clear the session cookie: never exempt from the Origin check. */
const SESSION_ROUTES = /^\/api\/(?:login|logout)$/;

/**
 * Refuses a browser's cross-site state change: a foreign Origin, or no Origin with a
 * cross-site Sec-Fetch-Site. An API request presenting x-api-key is left to its credential
 * (the docs' browser examples call the API cross-origin with a key): if a session cookie ends
 * up authenticating it instead, the session check in platform/auth refuses it there. Pages,
 * forms and the session routes never accept a key, so a stray header changes nothing for them.
 */
export function sameOriginOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const path = c.req.path;
    const keyRequest = c.req.header("x-api-key") !== undefined && path.startsWith("/api/") && !SESSION_ROUTES.test(path);
    if (!keyRequest) assertSameOrigin(c.req.raw);
    await next();
  };
}

/** A state change (POST, PUT, PATCH, DELETE) must come from our own pages or a non-browser client. */
export function assertSameOrigin(req: Request): void {
  if (UNSAFE.has(req.method) && !isSameOrigin(req)) throw new ApiError("origin_not_allowed", "Cross-site request refused");
}

/** True when the request comes from our own pages (or from a non-browser client). */
export function isSameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (origin) return origin === new URL(req.url).origin;
  const site = req.headers.get("sec-fetch-site");
  return !site || site === "same-origin" || site === "none";
}

/** JSON routes accept JSON bodies only (an empty body is fine). */
export function jsonBodyOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (UNSAFE.has(c.req.method)) {
      const type = c.req.header("content-type");
      const length = c.req.header("content-length");
      const hasBody = (length !== undefined && length !== "0") || c.req.header("transfer-encoding") !== undefined;
      if ((hasBody || type) && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type ?? "")) {
        throw new ApiError("unsupported_media_type", "Send a JSON body with Content-Type: application/json");
      }
    }
    await next();
  };
}

/** Refuses a body over `maxBytes` while it streams in: 413 `payload_too_large` with `detail`. */
export function limitBody(maxBytes: number, detail: string): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError("payload_too_large", detail);
    },
  });
}
