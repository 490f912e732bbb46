import type { Context } from "hono";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db";
import { conversations, type ConversationStatus } from "../db/schema/messaging";
import type { AppEnv } from "../env";
import { ApiError } from "../platform/errors";
import { isLocalDev } from "../platform/local";
import { enforceRateLimits, hitRateLimit } from "../platform/rate-limit";
import { prepareTurn, roomOf, runTurn, startStreamedTurn } from "./chat";
import type { TurnAnswer, TurnEvent } from "./conversation.do";
import { allowedHostsOf, chatTitleOf, enabledEmbedByPublicId } from "./embed";
import type { SkillUi } from "./skills-ui";

/** The longest visitor message the widget accepts (the config tells the widget). */
export const MAX_USER_MESSAGE_CHARS = 1000;
/** Abuse limits, per minute: one visitor, one IP on one embed, one embed overall. */
export const EMBED_TURNS_PER_VISITOR_MINUTE = 10;
export const EMBED_TURNS_PER_IP_MINUTE = 20;
export const EMBED_TURNS_PER_EMBED_MINUTE = 300;
/** The account's daily widget spend cap: at most this many widget turns (a turn costs at most one credit) a UTC day. */
export const EMBED_TURNS_PER_ACCOUNT_DAY = 5000;

/** What a visitor reads when the account has no credits, no agent or hit its daily cap: a 200, never an error page. */
export const UNAVAILABLE_ANSWER = "Sorry, chat is not available right now. Please try again later.";

export const EMBED_ID_PATTERN = /^emb_[0-9A-Za-z]{1,64}$/;
type EmbedRow = NonNullable<Awaited<ReturnType<typeof enabledEmbedByPublicId>>>;

/** The allowed Origin of each request, for the CORS header added after the handler (errors included). */
const allowedOrigins = new WeakMap<Request, string>();
export const allowedOriginOf = (req: Request) => allowedOrigins.get(req);
/** The embed the Origin gate already resolved and checked for a request, so the handler does not look it up again. */
const gatedEmbeds = new WeakMap<Request, EmbedRow>();

const forbidden = () =>
  new ApiError("origin_not_allowed", "This site is not allowed to use this chat widget (Messaging → Website widget → allowed domains)", {
    headers: { Vary: "Origin" },
  });

/**
 * The hostname of a well-formed cross-site Origin, or null: exactly `scheme://host[:port]`,
 * https with the default port outside local dev (where http and any port are allowed too).
 */
function originHost(c: Context<AppEnv>, origin: string): string | null {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return null;
  }
  const local = isLocalDev(c.env);
  const schemeOk = u.protocol === "https:" || (local && u.protocol === "http:");
  const portOk = u.port === "" || local;
  return schemeOk && portOk && u.origin === origin ? u.hostname : null;
}

const ownOrigin = (c: Context<AppEnv>) => new URL(c.req.url).origin;

/**
 * SECURITY.md's public widget rule, enforced here (not only by CORS headers): the Origin's
 * hostname is in the embed's allowlist, or the Origin is this server's own (the /chat page and
 * the widget frame). A missing Origin passes only with `Sec-Fetch-Site: same-origin`; `null`,
 * look-alikes and anything else -> 403 `origin_not_allowed`.
 */
export function checkEmbedOrigin(c: Context<AppEnv>, hosts: string[]): void {
  const origin = c.req.header("origin");
  if (origin === undefined) {
    if (c.req.header("sec-fetch-site") === "same-origin") return;
    throw forbidden();
  }
  if (origin !== ownOrigin(c)) {
    const host = originHost(c, origin);
    if (!host || !hosts.includes(host)) throw forbidden();
  }
  allowedOrigins.set(c.req.raw, origin);
}

/** An Origin this server may talk to before it knows the embed: its own, or one in the allowlist of some enabled embed. */
export async function originAllowedSomewhere(db: Db, c: Context<AppEnv>): Promise<string | null> {
  const origin = c.req.header("origin");
  if (!origin) return null;
  if (origin === ownOrigin(c)) return origin;
  const host = originHost(c, origin);
  if (!host) return null;
  const row = await db.get<{ ok: number } | undefined>(sql`
    SELECT 1 AS ok FROM messaging_embeds e, json_each(e.allowed_origins) j WHERE e.enabled = 1 AND j.value = ${host} LIMIT 1`);
  return row ? origin : null;
}

/**
 * The Origin gate's first step, before anything is read: a missing Origin (not same-origin) is
 * refused, and so is a cross-site Origin that no enabled embed allows.
 */
export async function refuseForeignOrigin(c: Context<AppEnv>): Promise<void> {
  const origin = c.req.header("origin");
  if (origin === undefined) {
    if (c.req.header("sec-fetch-site") === "same-origin") return;
    throw forbidden();
  }
  if (!(await originAllowedSomewhere(c.var.db, c))) throw forbidden();
  allowedOrigins.set(c.req.raw, origin);
}

/**
 * The Origin gate, run before any input validation so a foreign site learns nothing from a
 * 400: with a known embed id (header, query or body) that embed's allowlist decides; without
 * one (malformed or unknown) only an Origin that some enabled embed allows, or our own,
 * reaches validation (which then answers 400 or 404).
 */
export async function embedOriginGate(c: Context<AppEnv>, id: string | undefined): Promise<void> {
  const row = id && EMBED_ID_PATTERN.test(id) ? await enabledEmbedByPublicId(c.var.db, id) : undefined;
  if (!row) return refuseForeignOrigin(c);
  checkEmbedOrigin(c, allowedHostsOf(row));
  gatedEmbeds.set(c.req.raw, row);
}

/** The enabled embed of a public id, with the request's Origin checked; unknown or disabled -> 404 `embed_not_found`. */
export async function embedForRequest(c: Context<AppEnv>, publicId: string | undefined): Promise<EmbedRow> {
  const gated = gatedEmbeds.get(c.req.raw);
  if (gated && gated.publicId === publicId) return gated;
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

/** A visitor's conversation, named the way the guide's handoff example shows it (`web:emb_…:visitor-uuid`, channel `web`). */
export const visitorRef = (embedId: string, visitorId: string) => `web:${embedId}:${visitorId}`;

/** What a visitor may see of a turn: never credits, balances, or conversation and agent ids. */
export interface PublicAnswer {
  role: "assistant";
  content: string;
  ui?: SkillUi;
  handoff?: { requested: true; url?: string };
  status?: ConversationStatus;
  unavailable?: true;
}

export function toPublicAnswer(a: TurnAnswer): PublicAnswer {
  return {
    role: "assistant",
    content: a.content,
    ...(a.ui ? { ui: a.ui } : {}),
    ...(a.handoff ? { handoff: a.handoff.url ? { requested: true, url: a.handoff.url } : { requested: true } } : {}),
    ...(a.status ? { status: a.status } : {}),
  };
}

const unavailable = (): PublicAnswer => ({ role: "assistant", content: UNAVAILABLE_ANSWER, unavailable: true });

/** A finished answer, or the turn's events to stream (their `done` answer already made public). */
export type EmbedTurnResult = { answer: PublicAnswer } | { events: AsyncGenerator<TurnEvent> };

async function* publicEvents(events: AsyncGenerator<TurnEvent>): AsyncGenerator<TurnEvent> {
  for await (const e of events) {
    // relaySse writes `answer` as the done event's JSON: only the public fields go out.
    yield e.type === "done" ? { type: "done", answer: toPublicAnswer(e.answer) as unknown as TurnAnswer } : e;
  }
}

/** One `done` event: the streamed form of a whole answer (the polite unavailable one). */
export async function* answerEvents(answer: PublicAnswer): AsyncGenerator<TurnEvent> {
  yield { type: "done", answer: answer as unknown as TurnAnswer };
}

/**
 * One visitor turn: a message over MAX_USER_MESSAGE_CHARS -> 400 `message_too_long`; limits
 * per visitor, per IP and per embed (429 with Retry-After); past the account's daily widget
 * cap, without credits or without an agent -> the polite unavailable answer (200, no charge).
 */
export async function publicEmbedTurn(
  c: Context<AppEnv>,
  turn: { embedId: string | undefined; visitorId: string; message: string; stream: boolean },
): Promise<EmbedTurnResult> {
  const row = await embedForRequest(c, turn.embedId);
  if (turn.message.length > MAX_USER_MESSAGE_CHARS) {
    throw new ApiError("message_too_long", `Messages are limited to ${MAX_USER_MESSAGE_CHARS} characters`);
  }
  const now = Date.now();
  const ip = c.req.header("cf-connecting-ip") ?? "unknown";
  await enforceRateLimits(
    c.var.db,
    [
      { bucket: `embedvisitor:${row.publicId}:${turn.visitorId}`, limit: EMBED_TURNS_PER_VISITOR_MINUTE, windowMs: 60_000 },
      { bucket: `embedip:${row.publicId}:${ip}`, limit: EMBED_TURNS_PER_IP_MINUTE, windowMs: 60_000 },
      { bucket: `embed:${row.publicId}`, limit: EMBED_TURNS_PER_EMBED_MINUTE, windowMs: 60_000 },
    ],
    now,
  );
  const day = await hitRateLimit(c.var.db, `embedday:${row.profileId}`, EMBED_TURNS_PER_ACCOUNT_DAY, 86_400_000, now);
  if (!day.allowed) return { answer: unavailable() };
  try {
    const input = await prepareTurn(
      c.var.db,
      c.env,
      row.profileId,
      { channel: "web", conversationRef: visitorRef(row.publicId, turn.visitorId), messages: [{ role: "user", content: turn.message }] },
      { visitorId: turn.visitorId },
    );
    if (turn.stream) return { events: publicEvents(await startStreamedTurn(c.env, input)) };
    return { answer: toPublicAnswer(await runTurn(c.env, input)) };
  } catch (err) {
    if (err instanceof ApiError && (err.code === "insufficient_credits" || err.code === "no_agent")) return { answer: unavailable() };
    throw err;
  }
}

/** A visitor's conversation, oldest first, and its status, so a reload restores it and the widget can follow a handoff. */
export async function publicEmbedHistory(c: Context<AppEnv>, publicId: string, visitorId: string) {
  const row = await embedForRequest(c, publicId);
  const ref = visitorRef(row.publicId, visitorId);
  const [stored, conv] = await Promise.all([
    roomOf(c.env, row.profileId, ref).history(),
    c.var.db
      .select({ status: conversations.status })
      .from(conversations)
      .where(and(eq(conversations.profileId, row.profileId), eq(conversations.ref, ref)))
      .get(),
  ]);
  // What a visitor may see of each message (staff replies carry the name the staff member chose).
  const messages = stored.map((m) => ({
    id: m.id,
    role: m.role,
    content: m.content,
    createdAt: m.createdAt,
    ...(m.authorName ? { authorName: m.authorName } : {}),
    ...(m.ui ? { ui: m.ui } : {}),
  }));
  return { status: conv?.status ?? ("open" as ConversationStatus), messages };
}
