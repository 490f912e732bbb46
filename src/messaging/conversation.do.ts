import { DurableObject } from "cloudflare:workers";
import { getDb } from "../db";
import type { ConversationStatus } from "../db/schema/messaging";
import type { Env } from "../env";
import { newId } from "../platform/ids";
import type { AgentRow } from "./agents";
import { finishTurnStatements, statusStatements, type TurnRecord } from "./conversations";
import { refundCredit, reserveCreditStatements } from "./credits";
import { pickEngine, type EngineConfig } from "./engine";
import { knowledgeQuery, toHits } from "./retrieval";
import { iso } from "./schemas";
import { asksForPerson } from "./skill-match";
import type { SkillsConfig } from "./skills";
import type { SkillUi } from "./skills-ui";
import { runBatch, runBatchResults } from "./sql-batch";
import { queueHandoff, trySkill } from "./turn-hooks";

/** How many earlier messages a turn shows the engine (and a skill webhook). */
const HISTORY_TURNS = 20;

/** What the visitor reads on a handoff when the agent has no handoff message of its own. */
export const DEFAULT_HANDOFF_MESSAGE = "Thanks, I'm passing this conversation to a person on our team. They'll reply here as soon as they can.";

export interface TurnInput {
  profileId: string;
  agent: AgentRow;
  channel: string;
  ref: string;
  message: string;
  engine: EngineConfig;
  /** The website visitor (widget turns); null on channels without one. */
  visitorId?: string | null;
  /** The account's skills config, read with the agent (the room reads it itself when absent). */
  skills?: SkillsConfig;
}

export interface TurnAnswer {
  role: "assistant";
  /** Empty when a person has the conversation (`status: "human"`): the bot stays silent. */
  content: string;
  creditsCharged: number;
  conversationId: string;
  agentId: string;
  status?: ConversationStatus;
  /** A skill webhook's ui, with the skill's key. */
  ui?: SkillUi;
  skill?: string;
  handoff?: { requested: true; url?: string };
}

/** A turn's result across RPC (errors do not keep their type across the boundary, so they are values). */
export type TurnOutcome = { ok: true; answer: TurnAnswer } | { ok: false; code: "insufficient_credits" | "engine_error"; detail: string };

/** The stream events of `turnStream`, one JSON object per line. */
export type TurnEvent = { type: "start" } | { type: "delta"; text: string } | { type: "done"; answer: TurnAnswer } | { type: "error"; code: string; detail: string };

export interface StoredMessage {
  id: string;
  role: "user" | "assistant" | "staff";
  content: string;
  createdAt: string;
  /** Staff replies: the name the visitor sees, when given. */
  authorName?: string;
  /** Assistant messages answered by a skill: its ui. */
  ui?: SkillUi;
}

type MessageRow = { id: string; role: StoredMessage["role"]; content: string; created_at: number; author_name: string | null; ui: string | null };
type NewMessage = { role: StoredMessage["role"]; content: string; at: number; authorName?: string; ui?: SkillUi };

/**
 * One conversation (idFromName of profile + conversationRef): its history and status in SQLite
 * storage, and its turns, staff replies and status changes run strictly one after another.
 * The Worker authorises; the object trusts it. The status lives here (the D1 row mirrors it).
 */
export class ConversationRoom extends DurableObject<Env> {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      const sql = ctx.storage.sql;
      sql.exec(`CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL, created_at INTEGER NOT NULL)`);
      const cols = new Set(sql.exec<{ name: string }>("PRAGMA table_info(messages)").toArray().map((c) => c.name));
      if (!cols.has("author_name")) sql.exec("ALTER TABLE messages ADD COLUMN author_name TEXT");
      if (!cols.has("ui")) sql.exec("ALTER TABLE messages ADD COLUMN ui TEXT");
      sql.exec("CREATE TABLE IF NOT EXISTS room (id INTEGER PRIMARY KEY CHECK (id = 1), status TEXT NOT NULL)");
    });
  }

  /** Runs `fn` after every step queued before it: input gates alone would let awaits on D1 and the engine interleave. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private status(): ConversationStatus {
    return this.ctx.storage.sql.exec<{ status: ConversationStatus }>("SELECT status FROM room WHERE id = 1").toArray()[0]?.status ?? "open";
  }

  private setStatus(status: ConversationStatus): void {
    this.ctx.storage.sql.exec("INSERT INTO room (id, status) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status", status);
  }

  /** Appends messages (one statement: one storage commit) and returns them as history reads them. */
  private append(msgs: NewMessage[]): StoredMessage[] {
    const stored = msgs.map((m) => ({ ...m, id: newId("m") }));
    const values = stored.map(() => "(?, ?, ?, ?, ?, ?)").join(", ");
    const args = stored.flatMap((m) => [m.id, m.role, m.content, m.at, m.authorName ?? null, m.ui ? JSON.stringify(m.ui) : null]);
    this.ctx.storage.sql.exec(`INSERT INTO messages (id, role, content, created_at, author_name, ui) VALUES ${values}`, ...args);
    return stored.map((m) => ({
      id: m.id,
      role: m.role,
      content: m.content,
      createdAt: iso(m.at),
      ...(m.authorName ? { authorName: m.authorName } : {}),
      ...(m.ui ? { ui: m.ui } : {}),
    }));
  }

  /** The whole history, oldest first. */
  async history(): Promise<StoredMessage[]> {
    return this.ctx.storage.sql
      .exec<MessageRow>("SELECT id, role, content, created_at, author_name, ui FROM messages ORDER BY seq")
      .toArray()
      .map((m) => ({
        id: m.id,
        role: m.role,
        content: m.content,
        createdAt: iso(m.created_at),
        ...(m.author_name ? { authorName: m.author_name } : {}),
        ...(m.ui ? { ui: JSON.parse(m.ui) as SkillUi } : {}),
      }));
  }

  /** The conversation's status (the room's own; `open` before anything happened). */
  async currentStatus(): Promise<ConversationStatus> {
    return this.status();
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

  /**
   * A staff reply (inbox): stored with role `staff`; the conversation becomes `human`, so the
   * bot stays silent on later visitor messages until it is released or closed.
   */
  async staffReply(input: { profileId: string; ref: string; content: string; authorName?: string }): Promise<{ message: StoredMessage; status: ConversationStatus }> {
    return this.exclusive(async () => {
      const now = Date.now();
      const [message] = this.append([{ role: "staff", content: input.content, at: now, authorName: input.authorName }]);
      this.setStatus("human");
      await runBatch(getDb(this.env.DB), statusStatements({ profileId: input.profileId, ref: input.ref, status: "human", now, staffReply: input.content }));
      return { message: message!, status: "human" as const };
    });
  }

  /** Release (`open`: the bot answers again) or close; returns the new status. */
  async changeStatus(input: { profileId: string; ref: string; status: "open" | "closed" }): Promise<ConversationStatus> {
    return this.exclusive(async () => {
      this.setStatus(input.status);
      await runBatch(getDb(this.env.DB), statusStatements({ profileId: input.profileId, ref: input.ref, status: input.status, now: Date.now() }));
      return input.status;
    });
  }

  /** Stores the turn's messages and the status here, then mirrors them in D1; returns the conversation id. */
  private async record(input: TurnInput, msgs: NewMessage[], status: ConversationStatus, rec: Pick<TurnRecord, "turnId" | "preview">): Promise<string> {
    this.append(msgs);
    this.setStatus(status);
    const [conv] = await runBatchResults(
      getDb(this.env.DB),
      finishTurnStatements({
        profileId: input.profileId,
        agentId: input.agent.id,
        channel: input.channel,
        ref: input.ref,
        newId: newId("cnv"),
        now: msgs.at(-1)!.at,
        status,
        inbound: msgs.filter((m) => m.role === "user").length,
        outbound: msgs.filter((m) => m.role !== "user").length,
        ...rec,
      }),
    );
    return String(conv!.results[0]!.id);
  }

  /** The last messages for the engine or a skill webhook (staff replies read as the assistant's). */
  private earlier(): { role: "user" | "assistant"; content: string }[] {
    return this.ctx.storage.sql
      .exec<{ role: StoredMessage["role"]; content: string }>("SELECT role, content FROM (SELECT seq, role, content FROM messages ORDER BY seq DESC LIMIT ?) ORDER BY seq", HISTORY_TURNS)
      .toArray()
      .map((m) => ({ role: m.role === "user" ? "user" : "assistant", content: m.content }));
  }

  /**
   * The pipeline (DESIGN.md "Messaging"): a person has the conversation -> store only; the
   * visitor asks for a person and the agent allows handoff -> handoff answer and event; a skill
   * keyword -> the merchant's webhook; else the engine (1 credit). Only the engine charges.
   */
  private async run(input: TurnInput, on: (e: TurnEvent) => void): Promise<TurnOutcome> {
    const now = Date.now();
    const current = this.status();
    const agentId = input.agent.id;
    const say = (answer: TurnAnswer): TurnOutcome => {
      on({ type: "start" });
      if (answer.content) on({ type: "delta", text: answer.content });
      return { ok: true, answer };
    };

    if (current === "human") {
      const conversationId = await this.record(input, [{ role: "user", content: input.message, at: now }], "human", { preview: input.message });
      return say({ role: "assistant", content: "", creditsCharged: 0, conversationId, agentId, status: "human" });
    }
    // A visitor writing again reopens a closed conversation.
    const status: ConversationStatus = current === "closed" ? "open" : current;

    if (input.agent.humanHandoffEnabled && asksForPerson(input.message)) {
      const url = input.agent.humanHandoffUrl ?? undefined;
      const text = input.agent.humanHandoffMessage?.trim() || DEFAULT_HANDOFF_MESSAGE;
      const content = url && !text.includes(url) ? `${text}\n${url}` : text;
      const msgs: NewMessage[] = [
        { role: "user", content: input.message, at: now },
        { role: "assistant", content, at: Date.now() },
      ];
      const conversationId = await this.record(input, msgs, "handoff_requested", { preview: content });
      // One event per request: a visitor repeating the request while waiting does not page the team again.
      if (status !== "handoff_requested") {
        try {
          await queueHandoff(this.env, getDb(this.env.DB), {
            profileId: input.profileId,
            conversationRef: input.ref,
            conversationId,
            visitorId: input.visitorId ?? null,
            agentId,
            channel: input.channel,
            message: input.message,
            requestedAt: iso(now),
          });
        } catch (err) {
          console.error(JSON.stringify({ where: "ConversationRoom.handoff", conversationId, error: String(err) }));
        }
      }
      const handoff = url ? { requested: true as const, url } : { requested: true as const };
      return say({ role: "assistant", content, creditsCharged: 0, conversationId, agentId, status: "handoff_requested", handoff });
    }

    const db = getDb(this.env.DB);
    const earlier = this.earlier();
    const skill = await trySkill(this.env, db, input.skills, {
      profileId: input.profileId,
      conversationRef: input.ref,
      visitorId: input.visitorId ?? null,
      channel: input.channel,
      message: input.message,
      messages: [...earlier, { role: "user", content: input.message }],
    });
    if (skill) {
      const msgs: NewMessage[] = [
        { role: "user", content: input.message, at: now },
        { role: "assistant", content: skill.message, at: Date.now(), ui: skill.ui },
      ];
      const conversationId = await this.record(input, msgs, status, { preview: skill.message });
      return say({ role: "assistant", content: skill.message, creditsCharged: 0, conversationId, agentId, status, skill: skill.skill, ...(skill.ui ? { ui: skill.ui } : {}) });
    }

    const turnId = newId("turn");
    // One round trip: the credit, its ledger row and the retrieval (retrieval first, then generation).
    const search = knowledgeQuery(input.profileId, agentId, input.message);
    const [taken, , found] = await runBatchResults(db, [...reserveCreditStatements(input.profileId, turnId, now), ...(search ? [search] : [])]);
    if (taken!.meta.changes !== 1) {
      return { ok: false, code: "insufficient_credits", detail: "No credits left on this account" };
    }
    on({ type: "start" });
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
    // Both messages in one write (one storage commit); turns never interleave, the queue sees to that.
    const msgs: NewMessage[] = [
      { role: "user", content: input.message, at: now },
      { role: "assistant", content, at: Date.now() },
    ];
    const conversationId = await this.record(input, msgs, status, { turnId, preview: content });
    return { ok: true, answer: { role: "assistant", content, creditsCharged: 1, conversationId, agentId, status } };
  }
}
