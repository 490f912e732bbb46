import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, ok } from "../factories";
import { chat, createAgent, creditsOf, registerMessaging, setCredits, type Agent, type ChatAnswer } from "./helpers";

describe("messaging under concurrency", () => {
  it("50 parallel turns on 10 credits: exactly 10 answered, 40 refused with 402, balance 0, 10 ledger rows", async () => {
    const a = await registerMessaging();
    await createAgent(a);
    await setCredits(a.profileId, 10);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => chat(a, `Hello ${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 402)).toHaveLength(40);
    expect(await creditsOf(a.profileId)).toBe(0);
    const ledger = await env.DB.prepare("SELECT count(*) AS n, sum(delta) AS total FROM credit_ledger WHERE profile_id = ? AND reason = 'ai_turn'")
      .bind(a.profileId)
      .first<{ n: number; total: number }>();
    expect(ledger).toEqual({ n: 10, total: -10 });
    const counts = await env.DB.prepare("SELECT inbound_count AS i, outbound_count AS o FROM messaging_accounts WHERE profile_id = ?").bind(a.profileId).first();
    expect(counts).toEqual({ i: 10, o: 10 });
  });

  it("parallel creates never pass 25 agents, and exactly one is the default", async () => {
    const a = await registerMessaging();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => api("POST", "/api/messaging/v1/agents", a, { name: `Bot ${i}`, isDefault: i % 3 === 0 })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(25);
    expect(results.filter((r) => r.status === 409)).toHaveLength(5);
    const list = await ok<{ agents: Agent[] }>(api("GET", "/api/messaging/v1/agents", a));
    expect(list.agents).toHaveLength(25);
    expect(list.agents.filter((x) => x.isDefault)).toHaveLength(1);
  });

  it("concurrent PATCHes setting isDefault leave exactly one default", async () => {
    const a = await registerMessaging();
    const agents: Agent[] = [];
    for (let i = 0; i < 8; i++) agents.push(await createAgent(a, { name: `Bot ${i}` }));
    const res = await Promise.all(agents.map((x) => api("PATCH", `/api/messaging/v1/agents/${x.id}`, a, { isDefault: true })));
    expect(res.every((r) => r.status === 200)).toBe(true);
    const list = await ok<{ agents: Agent[] }>(api("GET", "/api/messaging/v1/agents", a));
    expect(list.agents.filter((x) => x.isDefault)).toHaveLength(1);
    // Concurrent deletes of defaults still end with one default among the survivors.
    const defaultId = list.agents.find((x) => x.isDefault)!.id;
    const others = list.agents.filter((x) => x.id !== defaultId).slice(0, 3);
    await Promise.all([defaultId, ...others.map((x) => x.id)].map((id) => api("DELETE", `/api/messaging/v1/agents/${id}`, a)));
    const after = await ok<{ agents: Agent[] }>(api("GET", "/api/messaging/v1/agents", a));
    expect(after.agents).toHaveLength(4);
    expect(after.agents.filter((x) => x.isDefault)).toHaveLength(1);
  });

  it("answers two messages sent at once to one conversation in order, never interleaved", async () => {
    const a = await registerMessaging();
    await createAgent(a);
    const ref = "whatsapp:+15550000000:ordered";
    const sent = ["Hello", "Hi", "Hey", "Hello there"];
    const answers = await Promise.all(sent.map((m) => ok<ChatAnswer>(chat(a, m, { conversationRef: ref }))));
    const id = answers[0]!.conversationId;
    expect(answers.every((x) => x.conversationId === id)).toBe(true);
    const detail = await ok<{ messages: { role: string; content: string }[]; messageCount: number }>(api("GET", `/api/messaging/v1/conversations/${id}`, a));
    expect(detail.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant", "user", "assistant", "user", "assistant"]);
    expect(detail.messages.filter((m) => m.role === "user").map((m) => m.content).sort()).toEqual([...sent].sort());
    expect(detail.messageCount).toBe(8);
  });
});
