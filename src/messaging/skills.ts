import { and, desc, eq, ne } from "drizzle-orm";
import type { Db } from "../db";
import { skillCalls } from "../db/schema";
import type { Env } from "../env";
import { newId } from "../platform/ids";
import { postWebhook, type WebhookFailure } from "./outbound";
import { signWebhook, unixSeconds } from "./signing";
import type { SkillsConfig } from "./skills-config";
import { skillAnswerSchema, type SkillUi } from "./skills-ui";
import { openedSecret } from "./webhooks/integrations";

export { loadSkillsConfig, type SkillDef, type SkillsConfig } from "./skills-config";

/** How much conversation a skill call carries: the last messages, each capped. */
const MAX_CALL_MESSAGES = 20;
const MAX_CALL_MESSAGE_CHARS = 4000;

export interface SkillCallInput {
  profileId: string;
  config: SkillsConfig;
  /** The matched skill (its key is what the receiver sees). */
  skill: string | { key: string };
  conversationRef: string;
  /** The widget visitor; null on channels without one. */
  visitorId: string | null | undefined;
  channel: string;
  /** The user's message that matched. */
  message: string;
  /** The conversation so far (this message included), oldest first. */
  messages: ReadonlyArray<{ role: string; content: string }>;
}

export type SkillCallResult = { ok: true; message: string; ui?: SkillUi } | { ok: false; reason: string };

/** What a skill call came to, as the merchant's log shows it. */
export const SKILL_CALL_OUTCOMES = ["ok", "invalid_answer", "timeout", "http_error", "url_refused", "network_error", "too_large", "redirect", "secret_error"] as const;
type CallOutcome = (typeof SKILL_CALL_OUTCOMES)[number] & (WebhookFailure | "ok" | "invalid_answer" | "secret_error");

/**
 * The synchronous skill call (guide, "Dynamic skills webhook"): POSTs the version-1 body to the
 * merchant's skills URL with X-GellHub-Timestamp, X-GellHub-Skill, X-GellHub-Delivery and, when
 * a secret is set, X-GellHub-Signature; the URL rule again, 5 s, no redirects, capped answer,
 * validated against the version-1 answer shape. Every call is recorded in `skill_calls` (the
 * merchant's log, X-GellHub-Delivery is its id). Never throws: a failure is `{ ok: false }`
 * and the turn falls back to the engine.
 */
export async function callSkill(
  env: Pick<Env, "LOCAL_DEV" | "WEBHOOK_SECRET_KEY">,
  db: Db,
  input: SkillCallInput,
  opts: { fetcher?: typeof fetch; now?: () => number } = {},
): Promise<SkillCallResult> {
  const now = opts.now ?? Date.now;
  const started = now();
  const skill = typeof input.skill === "string" ? input.skill : input.skill.key;
  const id = newId("skc");
  const log = async (outcome: CallOutcome, httpStatus: number | null, error: string | null, durationMs: number) => {
    try {
      await db.insert(skillCalls).values({ id, profileId: input.profileId, skill, conversationRef: input.conversationRef.slice(0, 300), outcome, httpStatus, error: error?.slice(0, 500) ?? null, durationMs, createdAt: started });
    } catch (err) {
      console.error("skill call log failed", err);
    }
  };
  const url = input.config.skillsWebhookUrl;
  if (!url) return { ok: false, reason: "no skills webhook URL" };
  let secret: string | null;
  try {
    secret = await openedSecret(env, input.profileId, "skills", input.config.secretSealed);
  } catch {
    await log("secret_error", null, "The stored signing secret cannot be opened (WEBHOOK_SECRET_KEY changed?); save it again", 0);
    return { ok: false, reason: "secret_error" };
  }
  const body = JSON.stringify({
    version: 1,
    skill,
    profileId: input.profileId,
    conversationRef: input.conversationRef,
    visitorId: input.visitorId ?? null,
    channel: input.channel,
    message: input.message,
    messages: input.messages.slice(-MAX_CALL_MESSAGES).map((m) => ({ role: m.role, content: m.content.slice(0, MAX_CALL_MESSAGE_CHARS) })),
  });
  const timestamp = unixSeconds(now());
  const headers: Record<string, string> = { "X-GellHub-Timestamp": timestamp, "X-GellHub-Skill": skill, "X-GellHub-Delivery": id };
  if (secret) headers["X-GellHub-Signature"] = await signWebhook(secret, timestamp, body);
  const res = await postWebhook(env, url, body, headers, opts);
  if (!res.ok) {
    await log(res.failure!, res.status, res.error ?? null, res.durationMs);
    return { ok: false, reason: res.failure! };
  }
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    await log("invalid_answer", res.status, "The answer is not JSON", res.durationMs);
    return { ok: false, reason: "invalid_answer" };
  }
  const parsed = skillAnswerSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    await log("invalid_answer", res.status, `The answer does not match the version-1 shape: ${detail}`, res.durationMs);
    return { ok: false, reason: "invalid_answer" };
  }
  await log("ok", res.status, null, res.durationMs);
  return parsed.data.ui ? { ok: true, message: parsed.data.message, ui: parsed.data.ui } : { ok: true, message: parsed.data.message };
}

export interface SkillCallView {
  id: string;
  skill: string;
  conversationRef: string;
  outcome: CallOutcome;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  createdAt: string;
}

/** The profile's most recent skill calls, newest first. */
export async function listSkillCalls(db: Db, profileId: string, opts: { limit: number; failedOnly?: boolean }): Promise<SkillCallView[]> {
  const conds = [eq(skillCalls.profileId, profileId)];
  if (opts.failedOnly) conds.push(ne(skillCalls.outcome, "ok"));
  const rows = await db.select().from(skillCalls).where(and(...conds)).orderBy(desc(skillCalls.createdAt), desc(skillCalls.id)).limit(opts.limit).all();
  return rows.map((r) => ({ id: r.id, skill: r.skill, conversationRef: r.conversationRef, outcome: r.outcome, httpStatus: r.httpStatus, error: r.error, durationMs: r.durationMs, createdAt: new Date(r.createdAt).toISOString() }));
}
