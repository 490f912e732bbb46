import type { Context } from "hono";
import { sql } from "drizzle-orm";
import type { Db } from "../db";
import type { AppEnv } from "../env";
import { ApiError } from "../platform/errors";
import { enforceRateLimits } from "../platform/rate-limit";
import { prepareTurn, roomOf, runTurn } from "./chat";
import { allowedHostsOf, chatTitleOf, enabledEmbedByPublicId } from "./embed";

/** The longest visitor message the widget accepts (the config tells the widget). */
export const MAX_USER_MESSAGE_CHARS = 1000;
/** Per embed id and visitor IP, per minute; per embed id overall, per minute; per account, per day. */
export const EMBED_TURNS_PER_IP_MINUTE = 20;
export const EMBED_TURNS_PER_EMBED_MINUTE = 300;
export const EMBED_TURNS_PER_ACCOUNT_DAY = 5000;

/** What a visitor reads when the account has no credits (or no agent): a 200, never an error page. */
export const UNAVAILABLE_ANSWER = "Sorry, chat is not available right now. Please try again later.";

/** The allowed Origin of each request, for the CORS header added after the handler (errors included). */
const allowedOrigins = new WeakMap<Request, string>();
export const allowedOriginOf = (req: Request) => allowedOrigins.get(req);

const forbidden = () =>
  new ApiError("origin_not_allowed", "This site is not allowed to use this chat widget (Messaging → Website widget → allowed domains)", {
    headers: { Vary: "Origin" },
  });

/**
 * SECURITY.md's public widget rule, enforced here (not only by CORS headers): the Origin's
 * hostname is in the embed's allowlist (https with the default port outside local dev, where
 * the server itself runs on http), or is this server's own origin (the /chat page and the
 * widget frame). A missing Origin passes only with `Sec-Fetch-Site: same-origin`; `null`,
 * look-alikes and anything else -> 403 `origin_not_allowed`.
 */
export function checkEmbedOrigin(c: Context<AppEnv>, hosts: string[]): void {
  const own = new URL(c.req.url);
  const origin = c.req.header("origin");
  if (origin === undefined) {
    if (c.req.header("sec-fetch-site") === "same-origin") return;
    throw forbidden();
  }
  if (origin === own.origin) {
    allowedOrigins.set(c.req.raw, origin);
    return;
  }
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    throw forbidden();
  }
  const localDev = own.protocol === "http:";
  const schemeOk = u.protocol === "https:" || (localDev && u.protocol === "http:");
  const portOk = u.port === "" || localDev;
  if (!schemeOk || !portOk || u.origin !== origin || !hosts.includes(u.hostname)) throw forbidden();
  allowedOrigins.set(c.req.raw, origin);
}

/** A preflight may pass when its Origin is this server or in the allowlist of some enabled embed (the real request is checked per embed). */
export async function preflightAllowed(db: Db, c: Context<AppEnv>): Promise<string | null> {
  const origin = c.req.header("origin");
  if (!origin) return null;
  const own = new URL(c.req.url);
  if (origin === own.origin) return origin;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return null;
  }
  if (u.origin !== origin) return null;
  const row = await db.get<{ ok: number } | undefined>(sql`
    SELECT 1 AS ok FROM messaging_embeds e, json_each(e.allowed_origins) j WHERE e.enabled = 1 AND j.value = ${u.hostname} LIMIT 1`);
  return row ? origin : null;
}

/** The enabled embed of a public id, with the request's Origin checked; unknown or disabled -> 404 `embed_not_found`. */
export async function embedForRequest(c: Context<AppEnv>, publicId: string | undefined) {
  const row = publicId ? await enabledEmbedByPublicId(c.var.db, publicId) : undefined;
  if (!row) throw new ApiError("embed_not_found", "No enabled chat widget has this embed id");
  checkEmbedOrigin(c, allowedHostsOf(row));
  return row;
}

/** The widget's bootstrap: look and limits only (never a key, balance or internal id). */
export async function publicEmbedConfig(c: Context<AppEnv>, publicId: string) {
  const row = await embedForRequest(c, publicId);
  return {
    embedId: row.publicId,
    chatTitle: await chatTitleOf(c.var.db, row),
    accentColor: row.accentColor,
    launcherIcon: row.launcherIcon,
    showLauncher: row.showLauncher,
    greeting: row.greeting,
    maxUserMessageChars: MAX_USER_MESSAGE_CHARS,
  };
}

const visitorRef = (visitorId: string) => `widget:${visitorId}`;

/**
 * One visitor turn: rate limits per embed id and IP, per embed id and per account per day
 * (429 with Retry-After); a message over MAX_USER_MESSAGE_CHARS -> 400 `message_too_long`;
 * no credits or no agent -> the polite unavailable answer (200, nothing charged).
 */
export async function publicEmbedTurn(c: Context<AppEnv>, publicId: string | undefined, visitorId: string, message: string) {
  const row = await embedForRequest(c, publicId);
  if (message.length > MAX_USER_MESSAGE_CHARS) {
    throw new ApiError("message_too_long", `Messages are limited to ${MAX_USER_MESSAGE_CHARS} characters`);
  }
  const now = Date.now();
  const ip = c.req.header("cf-connecting-ip") ?? "unknown";
  await enforceRateLimits(
    c.var.db,
    [
      { bucket: `embedip:${row.publicId}:${ip}`, limit: EMBED_TURNS_PER_IP_MINUTE, windowMs: 60_000 },
      { bucket: `embed:${row.publicId}`, limit: EMBED_TURNS_PER_EMBED_MINUTE, windowMs: 60_000 },
      { bucket: `embedday:${row.profileId}`, limit: EMBED_TURNS_PER_ACCOUNT_DAY, windowMs: 86_400_000 },
    ],
    now,
  );
  try {
    const input = await prepareTurn(c.var.db, c.env, row.profileId, {
      channel: "widget",
      conversationRef: visitorRef(visitorId),
      messages: [{ role: "user", content: message }],
    });
    const answer = await runTurn(c.env, input);
    return { role: "assistant" as const, content: answer.content };
  } catch (err) {
    if (err instanceof ApiError && (err.code === "insufficient_credits" || err.code === "no_agent")) {
      return { role: "assistant" as const, content: UNAVAILABLE_ANSWER, unavailable: true };
    }
    throw err;
  }
}

/** A visitor's conversation, oldest first, so a reload restores it (role, content and time only). */
export async function publicEmbedHistory(c: Context<AppEnv>, publicId: string, visitorId: string) {
  const row = await embedForRequest(c, publicId);
  const messages = await roomOf(c.env, row.profileId, visitorRef(visitorId)).history();
  return { messages: messages.map((m) => ({ role: m.role, content: m.content, createdAt: m.createdAt })) };
}
