import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Db } from "../db";
import type { Env } from "../env";
import { ApiError } from "../platform/errors";
import { newId } from "../platform/ids";
import { resolveChatAgent } from "./agents";
import type { ConversationRoom, TurnAnswer, TurnEvent, TurnInput } from "./conversation.do";
import { engineConfigOf } from "./engine";
import { loadSkillsConfig } from "./skills";

/**
 * The guide's chat example sends this placeholder as `agentId`; integrators copy the example
 * verbatim, so it means "no agentId" (the default agent) instead of an unknown agent.
 */
export const GUIDE_PLACEHOLDER_AGENT_ID = "optional-agent-cuid";

/** Fields the guide forbids: the platform picks the engine. */
const FORBIDDEN_FIELDS = ["model", "provider"] as const;

export interface ChatRequest {
  channel?: string;
  agentId?: string;
  conversationRef?: string;
  messages: { role: "user" | "assistant"; content: string }[];
  [k: string]: unknown;
}

/**
 * Checks a chat body and builds the turn: `model`/`provider` are 400 `unsupported_field`,
 * the last message must be the user's, the agent is the named one (another profile's -> 404)
 * or the default (none -> 409 `no_agent`). Credits are taken by the conversation's room
 * (402 there at zero, before any engine work).
 */
export async function prepareTurn(db: Db, env: Env, profileId: string, body: ChatRequest, opts: { visitorId?: string } = {}): Promise<TurnInput> {
  for (const f of FORBIDDEN_FIELDS) {
    if (f in body) throw new ApiError("unsupported_field", `Do not send "${f}": GellHub picks the engine`);
  }
  const last = body.messages.at(-1)!;
  if (last.role !== "user") throw new ApiError("invalid_request", [{ path: "messages", message: "the last message must have role user" }]);
  // The skills config is read alongside the agent, so a turn that calls no skill pays no extra round trip.
  const [agent, skills] = await Promise.all([resolveChatAgent(db, profileId, body.agentId === GUIDE_PLACEHOLDER_AGENT_ID ? undefined : body.agentId), loadSkillsConfig(db, profileId)]);
  // Without a ref the turn still lands in a conversation of its own.
  const ref = body.conversationRef ?? `auto:${newId("ref")}`;
  return { profileId, agent, channel: body.channel ?? "api", ref, message: last.content, engine: engineConfigOf(env), visitorId: opts.visitorId ?? null, skills };
}

export const insufficientCredits = () => new ApiError("insufficient_credits", "No credits left on this account; top up or upgrade the plan");

/** The conversation's Durable Object. */
export function roomOf(env: Env, profileId: string, ref: string) {
  // env.ts sits below the features, so the binding is typed here.
  return env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(`${profileId}:${ref}`)) as unknown as DurableObjectStub<ConversationRoom>;
}

/** Runs one turn and returns the guide's answer, or throws the turn's error. */
export async function runTurn(env: Env, input: TurnInput): Promise<TurnAnswer> {
  const out = await roomOf(env, input.profileId, input.ref).turn(input);
  if (out.ok) return out.answer;
  if (out.code === "insufficient_credits") throw insufficientCredits();
  throw new ApiError("engine_error", out.detail);
}

/**
 * Starts a streamed turn. Resolves once the turn has its credit (so 402 is still an HTTP
 * status), with the remaining events to relay.
 */
export async function startStreamedTurn(env: Env, input: TurnInput): Promise<AsyncGenerator<TurnEvent>> {
  const stream = await roomOf(env, input.profileId, input.ref).turnStream(input);
  const events = readEvents(stream);
  const first = await events.next();
  if (first.done) throw new ApiError("engine_error", "The AI engine did not answer; no credit was charged");
  const e = first.value;
  if (e.type === "error") {
    if (e.code === "insufficient_credits") throw insufficientCredits();
    throw new ApiError("engine_error", e.detail);
  }
  return events;
}

async function* readEvents(stream: ReadableStream<Uint8Array>): AsyncGenerator<TurnEvent> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buf += value;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line) as TurnEvent;
    }
    if (done) return;
  }
}

/** Relays a turn's events as Server-Sent Events: `delta` {content}, then `done` (the JSON answer) or `error` {error, detail}. */
export function relaySse(c: Context, events: AsyncGenerator<TurnEvent>): Response {
  c.header("Cache-Control", "no-store");
  c.header("X-Accel-Buffering", "no");
  return streamSSE(c, async (sse) => {
    for await (const e of events) {
      if (e.type === "delta") await sse.writeSSE({ event: "delta", data: JSON.stringify({ content: e.text }) });
      else if (e.type === "done") await sse.writeSSE({ event: "done", data: JSON.stringify(e.answer) });
      else if (e.type === "error") await sse.writeSSE({ event: "error", data: JSON.stringify({ error: e.code, detail: e.detail }) });
    }
  });
}
