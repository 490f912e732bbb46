import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CHAT_TURNS_PER_MINUTE } from "../../src/messaging/routes-chat";
import { api, dash, ok } from "../factories";
import { addSource, chat, createAgent, creditsOf, OPENING_HOURS, registerMessaging, setCredits, type Agent, type Source } from "./helpers";

describe("messaging errors", () => {
  it("refuses model and provider fields with 400 unsupported_field", async () => {
    const a = await registerMessaging();
    await createAgent(a);
    for (const extra of [{ model: "gpt-4o" }, { provider: "openai" }]) {
      const res = await chat(a, "Hello", extra);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "unsupported_field" });
    }
  });

  it("answers 409 no_agent before an agent exists, and 404 for an unknown agentId", async () => {
    const a = await registerMessaging();
    const res = await chat(a, "Hello");
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "no_agent" });
    await createAgent(a);
    expect((await chat(a, "Hello", { agentId: "agt_doesnotexist00000" })).status).toBe(404);
  });

  it("answers 402 insufficient_credits at zero and charges nothing", async () => {
    const a = await registerMessaging();
    await createAgent(a);
    await setCredits(a.profileId, 0);
    const res = await chat(a, "Hello");
    expect(res.status).toBe(402);
    expect(await res.json()).toMatchObject({ error: "insufficient_credits" });
    const streamed = await chat(a, "Hello", { stream: true });
    expect(streamed.status).toBe(402);
    expect(await creditsOf(a.profileId)).toBe(0);
    const list = await ok<{ conversations: unknown[] }>(api("GET", "/api/messaging/v1/conversations", a));
    expect(list.conversations).toEqual([]);
  });

  it("validates chat bodies: no messages, an assistant last message, bad JSON", async () => {
    const a = await registerMessaging();
    await createAgent(a);
    expect((await api("POST", "/api/messaging/v1/chat", a, { messages: [] })).status).toBe(400);
    expect((await api("POST", "/api/messaging/v1/chat", a, { messages: [{ role: "assistant", content: "hi" }] })).status).toBe(400);
    const bad = await api("POST", "/api/messaging/v1/chat", a, undefined, { "content-type": "application/json" });
    expect(bad.status).toBe(400);
  });

  it("refuses the 26th agent with 409 agent_limit", async () => {
    const a = await registerMessaging();
    for (let i = 0; i < 25; i++) await createAgent(a, { name: `Bot ${i}` });
    const res = await api("POST", "/api/messaging/v1/agents", a, { name: "One too many" });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "agent_limit" });
  });

  it("refuses to delete the only agent with 409 last_agent, and promotes another when the default goes", async () => {
    const a = await registerMessaging();
    const first = await createAgent(a, { name: "First" });
    const res = await api("DELETE", `/api/messaging/v1/agents/${first.id}`, a);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "last_agent" });
    const second = await createAgent(a, { name: "Second" });
    expect(second.isDefault).toBe(false);
    await ok(api("DELETE", `/api/messaging/v1/agents/${first.id}`, a));
    const list = await ok<{ agents: Agent[] }>(api("GET", "/api/messaging/v1/agents", a));
    expect(list.agents).toEqual([expect.objectContaining({ id: second.id, isDefault: true })]);
  });

  it("validates agent fields: names, control characters, unknown fields, non-https handoff URL", async () => {
    const a = await registerMessaging();
    for (const body of [{}, { name: "" }, { name: "a\u0000b" }, { name: "ok", temperature: 1 }, { name: "ok", humanHandoffUrl: "http://example.com" }]) {
      const res = await api("POST", "/api/messaging/v1/agents", a, body);
      expect(res.status).toBe(400);
    }
    const agent = await createAgent(a);
    expect((await api("PATCH", `/api/messaging/v1/agents/${agent.id}`, a, { isDefault: false })).status).toBe(400);
  });

  it("validates sources: unknown type, empty Q&A, oversized text, unsupported file type", async () => {
    const a = await registerMessaging();
    const agent = await createAgent(a);
    const path = `/api/messaging/v1/agents/${agent.id}/sources`;
    expect((await api("POST", path, a, { type: "pdf" })).status).toBe(400);
    expect((await api("POST", path, a, { type: "qa", question: "", answer: "x" })).status).toBe(400);
    const big = await api("POST", path, a, { type: "text", title: "Big", content: "word ".repeat(60_000) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: "knowledge_limit_exceeded" });
    const exe = await api("POST", path, a, { type: "file", fileName: "tool.exe", content: "MZ" });
    expect(exe.status).toBe(415);
    expect((await ok<{ sources: Source[] }>(api("GET", path, a))).sources).toEqual([]);
  });

  it("deletes a source and forgets its knowledge", async () => {
    const a = await registerMessaging();
    const agent = await createAgent(a);
    const src = await addSource(a, agent.id, OPENING_HOURS);
    await ok(api("DELETE", `/api/messaging/v1/agents/${agent.id}/sources/${src.id}`, a));
    expect((await api("GET", `/api/messaging/v1/agents/${agent.id}/sources/${src.id}`, a)).status).toBe(404);
    expect((await api("DELETE", `/api/messaging/v1/agents/${agent.id}/sources/${src.id}`, a)).status).toBe(404);
    const answer = await ok<{ content: string }>(chat(a, "When are you open?"));
    expect(answer.content).toMatch(/don't know/i);
    expect((await ok<Agent>(api("GET", `/api/messaging/v1/agents/${agent.id}`, a))).sourcesCount).toBe(0);
  });

  it("answers 409 on the dashboard routes for a profile without Messaging", async () => {
    const studio = await (await import("../factories")).registerAccount("studio");
    expect((await dash("GET", "/api/messaging/account", studio)).status).toBe(409);
    expect((await dash("POST", "/api/messaging/api-key", studio)).status).toBe(409);
  });

  it("rejects a garbled conversations cursor with 400", async () => {
    const a = await registerMessaging();
    expect((await api("GET", "/api/messaging/v1/conversations?cursor=%%%", a)).status).toBe(400);
  });

  it("lets a key run at least 600 turns a minute, then answers 429 with Retry-After", async () => {
    expect(CHAT_TURNS_PER_MINUTE).toBeGreaterThanOrEqual(600);
    const a = await registerMessaging();
    await createAgent(a);
    const key = await env.DB.prepare("SELECT id FROM api_keys WHERE profile_id = ? AND revoked_at IS NULL").bind(a.profileId).first<{ id: string }>();
    const now = Date.now();
    await env.DB.prepare("INSERT INTO rate_limits (bucket, window_start, count) VALUES (?, ?, ?)")
      .bind(`msgchat:${key!.id}`, now - (now % 60_000), CHAT_TURNS_PER_MINUTE)
      .run();
    const res = await chat(a, "Hello");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
