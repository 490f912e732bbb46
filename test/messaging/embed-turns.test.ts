import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EMBED_TURNS_PER_ACCOUNT_DAY, EMBED_TURNS_PER_VISITOR_MINUTE, UNAVAILABLE_ANSWER } from "../../src/messaging/embed-public";
import { enabledEmbed, errorOf, history, send, SHOP, visitor } from "./embed-helpers";
import { creditsOf, readSse, setCredits } from "./helpers";

const PUBLIC_KEYS = ["role", "content", "ui", "handoff", "status", "unavailable"];

describe("widget turns", () => {
  it("streams when asked (stream:true or Accept): delta events that add up to the done answer, which shows only public fields", async () => {
    const { a, embedId } = await enabledEmbed();
    const before = await creditsOf(a.profileId);
    for (const [headers, extra] of [
      [{ origin: SHOP }, { stream: true }],
      [{ origin: SHOP, accept: "text/event-stream" }, {}],
    ] as const) {
      const res = await send(embedId, visitor(), "What are your opening hours?", headers, extra);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
      expect(res.headers.get("access-control-allow-origin")).toBe(SHOP);
      const events = await readSse(res);
      const deltas = events.filter((e) => e.event === "delta").map((e) => (e.data as { content: string }).content);
      expect(deltas.length).toBeGreaterThan(1);
      const done = events.at(-1)!;
      expect(done.event).toBe("done");
      const answer = done.data as Record<string, unknown>;
      expect(answer.content).toBe(deltas.join(""));
      expect(answer.content).toContain("9am to 5pm");
      expect(Object.keys(answer).filter((k) => !PUBLIC_KEYS.includes(k))).toEqual([]);
      expect(JSON.stringify(events)).not.toMatch(/credit|cnv_|conv_|agt_|msg_/i);
    }
    expect(await creditsOf(a.profileId)).toBe(before - 2);
  });

  it("a streamed turn without credits is the polite answer as one done event, nothing charged", async () => {
    const { a, embedId } = await enabledEmbed();
    await setCredits(a.profileId, 0);
    const events = await readSse(await send(embedId, visitor(), "hello", { origin: SHOP }, { stream: true }));
    expect(events).toEqual([{ event: "done", data: { role: "assistant", content: UNAVAILABLE_ANSWER, unavailable: true } }]);
    expect(await creditsOf(a.profileId)).toBe(0);
  });

  it("one visitor is limited per minute (429 with Retry-After) while another visitor from the same IP still gets answers", async () => {
    const { embedId } = await enabledEmbed();
    const v = visitor();
    const ip = { origin: SHOP, "cf-connecting-ip": "198.51.100.7" };
    for (let i = 0; i < EMBED_TURNS_PER_VISITOR_MINUTE; i++) expect((await send(embedId, v, "hello", ip)).status).toBe(200);
    const limited = await send(embedId, v, "hello", ip);
    expect(limited.status).toBe(429);
    expect(await errorOf(limited)).toBe("too_many_attempts");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await send(embedId, visitor(), "hello", ip)).status).toBe(200);
  });

  it("past the account's daily widget cap visitors get the polite answer (200) and nothing is charged", async () => {
    const { a, embedId } = await enabledEmbed();
    const day = 86_400_000;
    const now = Date.now();
    await env.DB.prepare("INSERT INTO rate_limits (bucket, window_start, count) VALUES (?, ?, ?)")
      .bind(`embedday:${a.profileId}`, now - (now % day), EMBED_TURNS_PER_ACCOUNT_DAY)
      .run();
    const before = await creditsOf(a.profileId);
    const res = await send(embedId, visitor(), "What are your opening hours?");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ role: "assistant", content: UNAVAILABLE_ANSWER, unavailable: true });
    expect(await creditsOf(a.profileId)).toBe(before);
    // Another account is not affected.
    const other = await enabledEmbed();
    expect(((await (await send(other.embedId, visitor(), "What are your opening hours?")).json()) as { content: string }).content).toContain("9am");
  });

  it("history gives message ids and the conversation status (open by default) and nothing internal", async () => {
    const { a, embedId } = await enabledEmbed();
    const v = visitor();
    expect(await (await history(embedId, v)).json()).toEqual({ status: "open", messages: [] });
    await send(embedId, v, "What are your opening hours?");
    const h = (await (await history(embedId, v)).json()) as { status: string; messages: Record<string, unknown>[] };
    expect(h.status).toBe("open");
    expect(h.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    for (const m of h.messages) {
      expect(typeof m.id).toBe("string");
      expect(Object.keys(m).filter((k) => !["id", "role", "content", "createdAt", "authorName", "ui"].includes(k))).toEqual([]);
    }
    expect(new Set(h.messages.map((m) => m.id)).size).toBe(2);
    expect(JSON.stringify(h)).not.toContain(a.profileId);
  });
});
