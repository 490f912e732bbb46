import { and, eq, isNull } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Db } from "../db";
import { apiKeys, profiles, sessions, type ProductLine } from "../db/schema";
import type { AppEnv, AuthContext } from "../env";
import { sha256Hex } from "./crypto";
import { ApiError } from "./errors";
import { assertSameOrigin, isLocalhost } from "./http";
import { randomToken } from "./ids";

export const SESSION_COOKIE = "gh_session";
export const SESSION_IDLE_MS = 7 * 24 * 3600_000;
export const SESSION_ABSOLUTE_MS = 30 * 24 * 3600_000;
const SESSION_TOUCH_MS = 3600_000;

/** Key prefix per product line; the prefix alone never authenticates. */
export const KEY_PREFIX: Record<ProductLine, string> = { gallery: "sk_", drive: "drv_", messaging: "msg_" };

// ---------- sessions ----------

/** A new session's row and its raw id (256 bits) for the cookie; only the hash is stored. */
export async function newSession(profileId: string, now: number) {
  const raw = randomToken(32);
  const row: typeof sessions.$inferInsert = {
    idHash: await sha256Hex(raw),
    profileId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + SESSION_ABSOLUTE_MS,
  };
  return { raw, row };
}

/** Creates a session and returns the raw id for the cookie. */
export async function createSession(db: Db, profileId: string, now: number): Promise<string> {
  const { raw, row } = await newSession(profileId, now);
  await db.insert(sessions).values(row);
  return raw;
}

/** Resolves a raw session id to its profile, enforcing idle and absolute expiry. */
export async function resolveSession(db: Db, raw: string, now: number): Promise<string | null> {
  if (raw.length < 20 || raw.length > 100) return null;
  const idHash = await sha256Hex(raw);
  const row = await db.query.sessions.findFirst({ where: eq(sessions.idHash, idHash) });
  if (!row) return null;
  if (row.expiresAt <= now || row.lastSeenAt + SESSION_IDLE_MS <= now) {
    await db.delete(sessions).where(eq(sessions.idHash, idHash));
    return null;
  }
  if (now - row.lastSeenAt > SESSION_TOUCH_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash));
  }
  return row.profileId;
}

export async function destroySession(db: Db, raw: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, await sha256Hex(raw)));
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure except on localhost. */
export function setSessionCookie(c: Context, raw: string): void {
  setCookie(c, SESSION_COOKIE, raw, {
    httpOnly: true,
    sameSite: "Lax",
    secure: !isLocalhost(c.req.url),
    path: "/",
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: !isLocalhost(c.req.url) });
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

// ---------- API keys ----------

/** Makes a new key for a line: `sk_` + 256 random bits. Returns the raw key once. */
export async function mintApiKey(line: ProductLine) {
  const raw = KEY_PREFIX[line] + randomToken(32);
  return {
    raw,
    keyHash: await sha256Hex(raw),
    displayPrefix: raw.slice(0, KEY_PREFIX[line].length + 4),
    last4: raw.slice(-4),
  };
}

/** Resolves a raw key by its SHA-256 to its profile and line; null when unknown or revoked. */
export async function resolveApiKey(db: Db, raw: string) {
  if (raw.length < 10 || raw.length > 200) return null;
  const keyHash = await sha256Hex(raw);
  const row = await db
    .select({ id: apiKeys.id, profileId: apiKeys.profileId, productLine: apiKeys.productLine })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .get();
  return row ?? null;
}

// ---------- middleware ----------

type Accept = ProductLine | "any";

async function authFromKey(c: Context<AppEnv>, accept: Accept): Promise<AuthContext> {
  const raw = c.req.header("x-api-key");
  if (!raw) throw new ApiError("missing_api_key", "Send your API key in the x-api-key header");
  const key = await resolveApiKey(c.var.db, raw.trim());
  if (!key) throw new ApiError("invalid_api_key", "Unknown or revoked API key");
  if (accept !== "any" && key.productLine !== accept) {
    throw new ApiError("wrong_key_type", `This route needs a ${accept} key; this is a ${key.productLine} key`);
  }
  return { profileId: key.profileId, via: "apiKey", product: key.productLine, apiKeyId: key.id };
}

/**
 * The session behind the cookie, or null. Whatever other headers the request carries, a state
 * change that the cookie authenticates must come from our own origin (403 `origin_not_allowed`).
 */
async function authFromSession(c: Context<AppEnv>): Promise<AuthContext | null> {
  const raw = readSessionCookie(c);
  if (!raw) return null;
  const profileId = await resolveSession(c.var.db, raw, Date.now());
  if (!profileId) return null;
  assertSameOrigin(c.req.raw);
  return { profileId, via: "session" };
}

/** x-api-key of one product line (or any line). Cookies never authenticate these routes. */
export function requireApiKey(accept: Accept): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("auth", await authFromKey(c, accept));
    await next();
  };
}

/** Dashboard session only. Keys never authenticate these routes. */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = await authFromSession(c);
    if (!auth) throw new ApiError("unauthenticated", "Sign in first");
    c.set("auth", auth);
    await next();
  };
}

/** Either an x-api-key (when the header is present) or the dashboard session. */
export function requireKeyOrSession(accept: Accept): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.header("x-api-key") !== undefined) {
      c.set("auth", await authFromKey(c, accept));
    } else {
      const auth = await authFromSession(c);
      if (!auth) throw new ApiError("unauthenticated", "Send x-api-key or sign in");
      c.set("auth", auth);
    }
    await next();
  };
}

/** The profile behind the current session for pages (no throw). */
export async function currentProfile(c: Context<AppEnv>) {
  const auth = await authFromSession(c);
  if (!auth) return null;
  return (await c.var.db.query.profiles.findFirst({ where: eq(profiles.id, auth.profileId) })) ?? null;
}
