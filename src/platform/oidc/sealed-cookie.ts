import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { jwtVerify, SignJWT } from "jose";
import type { AppEnv } from "../../env";
import { isLocalhost } from "../http";

// Only used when no secret is configured and the request is for localhost (dev and tests).
const LOCAL_ONLY_SECRET = "gellhub-local-development-cookie-secret-not-for-production";

function signingKey(c: Context<AppEnv>): Uint8Array {
  const secret = c.env.CONNECT_COOKIE_SECRET;
  if (secret && secret.length >= 32) return new TextEncoder().encode(secret);
  if (isLocalhost(c.req.url)) return new TextEncoder().encode(LOCAL_ONLY_SECRET);
  throw new Error("CONNECT_COOKIE_SECRET (>= 32 chars) must be configured outside localhost");
}

export interface SealedCookieOptions {
  /** Binds the value to one use: a connect cookie never verifies as an OIDC cookie. */
  purpose: string;
  maxAgeSeconds: number;
  path?: string;
}

/**
 * Sets an httpOnly, SameSite=Lax cookie holding `payload` as an HS256 JWT (signed, with
 * expiry and purpose), so the server can trust what it reads back without storing it.
 */
export async function setSealedCookie(c: Context<AppEnv>, name: string, payload: Record<string, unknown>, opts: SealedCookieOptions) {
  const jwt = await new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256" })
    .setAudience(opts.purpose)
    .setIssuedAt()
    .setExpirationTime(`${opts.maxAgeSeconds}s`)
    .sign(signingKey(c));
  setCookie(c, name, jwt, {
    httpOnly: true,
    sameSite: "Lax",
    secure: !isLocalhost(c.req.url),
    path: opts.path ?? "/",
    maxAge: opts.maxAgeSeconds,
  });
}

/** The payload of a valid, unexpired cookie of this purpose; null when absent or forged. */
export async function readSealedCookie(c: Context<AppEnv>, name: string, purpose: string): Promise<Record<string, unknown> | null> {
  const raw = getCookie(c, name);
  if (!raw || raw.length > 8000) return null;
  try {
    const { payload } = await jwtVerify(raw, signingKey(c), { audience: purpose, algorithms: ["HS256"] });
    return payload as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function clearSealedCookie(c: Context<AppEnv>, name: string, path = "/") {
  deleteCookie(c, name, { path, secure: !isLocalhost(c.req.url), httpOnly: true, sameSite: "Lax" });
}
