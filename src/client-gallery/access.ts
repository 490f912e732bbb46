import type { Context } from "hono";
import type { AppEnv } from "../env";
import { verifyPassword } from "../platform/crypto";
import { ApiError } from "../platform/errors";
import { clearSealedCookie, readSealedCookie, setSealedCookie } from "../platform/oidc/sealed-cookie";
import { enforceRateLimits, hitRateLimit } from "../platform/rate-limit";
import type { ShareRow, SharedGallery } from "./share";

const COOKIE = "gh_gallery";
const PURPOSE = "client-gallery";
const MAX_AGE_SECONDS = 30 * 24 * 3600;
const WINDOW_MS = 10 * 60_000;
const ipOf = (c: Context<AppEnv>) => c.req.header("cf-connecting-ip") ?? "local";

/**
 * Wrong guesses allowed per 10 minutes. Per visitor IP and gallery, and per gallery overall so a
 * botnet cannot sweep a 4-digit PIN (10,000 values) or a short password quickly either.
 */
const LIMITS = {
  password: { perIp: 5, perGallery: 50 },
  pin: { perIp: 5, perGallery: 20 },
} as const;

/** What a visitor's signed cookie says about them, for one gallery and one access version. */
export interface Visitor {
  /** Passed the password (or the gallery has none). */
  unlocked: boolean;
  /** Entered the download PIN. */
  pin: boolean;
  /** The email they gave for favorites. */
  email: string | null;
}

const pathOf = (slug: string) => `/g/${slug}`;

/**
 * The visitor of this gallery, from the HttpOnly cookie scoped to `/g/<slug>`. A cookie of
 * another gallery, an older access version (new slug, password or PIN) or a forged one counts
 * for nothing.
 */
export async function readVisitor(c: Context<AppEnv>, share: ShareRow): Promise<Visitor> {
  const p = await readSealedCookie(c, COOKIE, PURPOSE);
  const valid = p && p.c === share.collectionId && p.v === share.accessVersion && p.s === share.slug;
  const email = valid && typeof p.e === "string" ? p.e : null;
  return { unlocked: !share.passwordHash || (!!valid && p.pw === true), pin: !share.pinHash || (!!valid && p.pin === true), email };
}

export async function writeVisitor(c: Context<AppEnv>, share: ShareRow, v: Visitor): Promise<void> {
  const payload = { c: share.collectionId, s: share.slug, v: share.accessVersion, pw: v.unlocked, pin: v.pin, ...(v.email ? { e: v.email } : {}) };
  await setSealedCookie(c, COOKIE, payload, { purpose: PURPOSE, maxAgeSeconds: MAX_AGE_SECONDS, path: pathOf(share.slug) });
}

export const forgetVisitor = (c: Context<AppEnv>, share: ShareRow) => clearSealedCookie(c, COOKIE, pathOf(share.slug));

async function checkSecret(c: Context<AppEnv>, share: ShareRow, kind: "password" | "pin", given: string, now: number): Promise<boolean> {
  const hash = kind === "password" ? share.passwordHash : share.pinHash;
  const limits = LIMITS[kind];
  // Counted before the check: a correct guess past the limit is refused too, so the limit bounds guesses.
  await enforceRateLimits(
    c.var.db,
    [
      { bucket: `gallery-${kind}:${share.collectionId}:${ipOf(c)}`, limit: limits.perIp, windowMs: WINDOW_MS },
      { bucket: `gallery-${kind}:${share.collectionId}`, limit: limits.perGallery, windowMs: WINDOW_MS },
    ],
    now,
  );
  return verifyPassword(given, hash, c.env.PASSWORD_PEPPER);
}

/** Checks the gallery password (rate-limited: 429 `too_many_attempts`); true sets the visitor's cookie. */
export async function unlockWithPassword(c: Context<AppEnv>, g: SharedGallery, password: string, now: number): Promise<boolean> {
  if (!g.share.passwordHash) return true;
  if (!(await checkSecret(c, g.share, "password", password, now))) return false;
  const v = await readVisitor(c, g.share);
  await writeVisitor(c, g.share, { ...v, unlocked: true });
  return true;
}

/** Checks the download PIN (rate-limited); a wrong one is 403 `invalid_pin`. */
export async function unlockDownloads(c: Context<AppEnv>, g: SharedGallery, pin: string, now: number): Promise<void> {
  if (!g.share.pinHash) return;
  if (!(await checkSecret(c, g.share, "pin", pin, now))) throw new ApiError("invalid_pin", "That PIN is not right");
  const v = await readVisitor(c, g.share);
  await writeVisitor(c, g.share, { ...v, pin: true });
}

/** Favorite and email writes per visitor IP and gallery: generous for a client, a wall for a script. */
export const limitClientWrites = (c: Context<AppEnv>, share: ShareRow, now: number) =>
  enforceRateLimits(c.var.db, [{ bucket: `gallery-write:${share.collectionId}:${ipOf(c)}`, limit: 600, windowMs: WINDOW_MS }], now);

/** Whether this page load counts as a new view: one per visitor IP and gallery every 30 minutes. */
export async function isNewView(c: Context<AppEnv>, share: ShareRow, now: number): Promise<boolean> {
  return (await hitRateLimit(c.var.db, `gallery-view:${share.collectionId}:${ipOf(c)}`, 1, 30 * 60_000, now)).allowed;
}
