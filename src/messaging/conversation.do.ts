import { DurableObject } from "cloudflare:workers";
import { getDb } from "../db";
import type { Env } from "../env";
import { newId } from "../platform/ids";
import type { AgentRow } from "./agents";
import { finishTurnStatements } from "./conversations";
import { refundCredit, reserveCreditStatements } from "./credits";
import { pickEngine, type EngineConfig } from "./engine";
import { knowledgeQuery, toHits } from "./retrieval";
import { iso } from "./schemas";
import { runBatchResults } from "./sql-batch";

/** How many earlier messages a turn shows the engine. */
const HISTORY_TURNS = 20;

export interface TurnInput {
  profileId: string;
  agent: AgentRow;
  channel: string;
  ref: string;
  message: string;
  engine: EngineConfig;
}

export interface TurnAnswer {
  role: "assistant";
  content: string;
  creditsCharged: number;
  conversationId: string;
  agentId: string;
}

/** A turn's result across RPC (errors do not keep their type across the boundary, so they are values). */
export type TurnOutcome = { ok: true; answer: TurnAnswer } | { ok: false; code: "insufficient_credits" | "engine_error"; detail: string };

/** The stream events of `turnStream`, one JSON object per line. */
export type TurnEvent = { type: "start" } | { type: "delta"; text: string } | { type: "done"; answer: TurnAnswer } | { type: "error"; code: string; detail: string };

export interface StoredMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  createdAt: string;
}

/**
 * One conversation (idFromName of profile + conversationRef): its history in SQLite storage,
 * and its turns run strictly one after another. The Worker authorises; the object trusts it.
 */
export class ConversationRoom extends DurableObject<Env> {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL, created_at INTEGER NOT NULL)`);
    });
  }

  /** Runs `fn` after every turn queued before it: input gates alone would let awaits on D1 and the engine interleave. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The whole history, oldest first. */
  async history(): Promise<StoredMessage[]> {
    return this.ctx.storage.sql
      .exec<{ id: string; role: "user" | "assistant"; content: string; created_at: number }>("SELECT id, role, content, created_at FROM messages ORDER BY seq")
      .toArray()
      .map((m) => ({ id: m.id, role: m.role, content: m.content, createdAt: iso(m.created_at) }));
  }

  /** One turn, answered as a whole. */
  async turn(input: TurnInput): Promise<TurnOutcome> {
    return this.exclusive(() => this.run(input, () => undefined));
  }

  /** One turn as a stream of TurnEvent lines: `start` (or one `error`), `delta`s, then `done` or `error`. */
  async turnStream(input: TurnInput): Promise<ReadableStream<Uint8Array>> {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const enc = new TextEncoder();
    // Writes are queued, never awaited: a client that stops reading must not stall the turn (its credit and history stay exact).
    const emit = (e: TurnEvent) => void writer.write(enc.encode(JSON.stringify(e) + "\n")).catch(() => undefined);
    void this.exclusive(async () => {
      try {
        const out = await this.run(input, (e) => emit(e));
        emit(out.ok ? { type: "done", answer: out.answer } : { type: "error", code: out.code, detail: out.detail });
      } catch (err) {
        console.error(JSON.stringify({ where: "ConversationRoom.turnStream", error: String(err) }));
        emit({ type: "error", code: "internal_error", detail: "Something went wrong on our side" });
      } finally {
        void writer.close().catch(() => undefined);
      }
    });
    return readable;
  }

  private async run(input: TurnInput, on: (e: TurnEvent) => void): Promise<TurnOutcome> {
    const db = getDb(this.env.DB);
    const now = Date.now();
    const turnId = newId("turn");
    // One round trip: the credit, its ledger row and the retrieval (retrieval first, then generation).
    const search = knowledgeQuery(input.profileId, input.agent.id, input.message);
    const [taken, , found] = await runBatchResults(db, [...reserveCreditStatements(input.profileId, turnId, now), ...(search ? [search] : [])]);
    if (taken!.meta.changes !== 1) {
      return { ok: false, code: "insufficient_credits", detail: "No credits left on this account" };
    }
    on({ type: "start" });
    const sqlStore = this.ctx.storage.sql;
    const earlier = sqlStore
      .exec<{ role: "user" | "assistant"; content: string }>("SELECT role, content FROM (SELECT seq, role, content FROM messages ORDER BY seq DESC LIMIT ?) ORDER BY seq", HISTORY_TURNS)
      .toArray()
      .map((m) => ({ role: m.role, content: m.content }));
    let content = "";
    try {
      const knowledge = toHits(found?.results ?? [], input.message);
      const engine = pickEngine(this.env, input.engine);
      for await (const piece of engine.stream({ agent: input.agent, knowledge, messages: [...earlier, { role: "user", content: input.message }] })) {
        if (!piece) continue;
        content += piece;
        on({ type: "delta", text: piece });
      }
      if (!content.trim()) throw new Error("the engine returned an empty answer");
    } catch (err) {
      console.error(JSON.stringify({ where: "ConversationRoom.run", turnId, error: String(err) }));
      await refundCredit(db, input.profileId, turnId);
      return { ok: false, code: "engine_error", detail: "The AI engine did not answer; no credit was charged" };
    }
    const done = Date.now();
    // Both messages in one write (one storage commit); turns never interleave, the queue sees to that.
    sqlStore.exec(
      "INSERT INTO messages (id, role, content, created_at) VALUES (?, 'user', ?, ?), (?, 'assistant', ?, ?)",
      newId("m"),
      input.message,
      now,
      newId("m"),
      content,
      done,
    );
    const [conv] = await runBatchResults(
      db,
      finishTurnStatements({ profileId: input.profileId, agentId: input.agent.id, channel: input.channel, ref: input.ref, newId: newId("cnv"), turnId, preview: content, now: done }),
    );
    const conversationId = String(conv!.results[0]!.id);
    return { ok: true, answer: { role: "assistant", content, creditsCharged: 1, conversationId, agentId: input.agent.id } };
  }
}
