import { describe, expect, it } from "vitest";
import { api, call, dash, ok } from "../factories";
import { addSource, chat, createAgent, OPENING_HOURS, readSse, registerMessaging, type Agent, type ChatAnswer } from "./helpers";

describe("messaging happy paths", () => {
  it("runs the guide's examples verbatim: create and patch an agent, chat, bot", async () => {
    const a = await registerMessaging();
    const created = await ok<Agent>(
      api("POST", "/api/messaging/v1/agents", a, {
        name: "Sales bot",
        botDisplayName: "Store assistant",
        botRoleSummary: "Help with products and prices",
        systemInstructions: "Be friendly and concise.",
        humanHandoffEnabled: false,
        isDefault: true,
      }),
      201,
    );
    expect(created).toMatchObject({ name: "Sales bot", botDisplayName: "Store assistant", isDefault: true, sourcesCount: 0 });
    const patched = await ok<Agent>(
      api("PATCH", `/api/messaging/v1/agents/${created.id}`, a, { botDisplayName: "Updated name", systemInstructions: "New instructions…", isDefault: true }),
    );
    expect(patched).toMatchObject({ botDisplayName: "Updated name", systemInstructions: "New instructions…", isDefault: true });
    // The guide's body as printed, placeholder agentId included: it means the default agent.
    const answer = await ok<ChatAnswer>(
      api("POST", "/api/messaging/v1/chat", a, {
        channel: "api",
        agentId: "optional-agent-cuid",
        conversationRef: "whatsapp:+15551234567:thread-1",
        messages: [{ role: "user", content: "Hello" }],
      }),
    );
    expect(answer).toMatchObject({ role: "assistant", creditsCharged: 1, agentId: created.id });
    expect(answer.content).toContain("Updated name");
    expect(answer.conversationId).toMatch(/^cnv_/);
    const bot = await ok<Record<string, unknown>>(api("GET", "/api/messaging/v1/bot", a));
    expect(bot).toMatchObject({ agents: [{ id: created.id, isDefault: true }], defaultAgent: { id: created.id, humanHandoffEnabled: false } });
    for (const k of ["credits", "embedEnabled", "embedAllowedOrigins", "embedAccentColor", "embedLauncherIcon", "embedShowLauncher", "embedGreeting", "embedShareLink", "embedCodeFloating", "embedCodeButton"]) {
      expect(bot).toHaveProperty(k);
    }
  });

  it("answers a Q&A source on the built-in engine and says it does not know otherwise", async () => {
    const a = await registerMessaging();
    const agent = await createAgent(a);
    await addSource(a, agent.id, OPENING_HOURS);
    await addSource(a, agent.id, { type: "text", title: "Shipping", content: "We ship worldwide with DHL. Delivery takes 3 to 5 days." });
    const open = await ok<ChatAnswer>(chat(a, "When are you open?"));
    expect(open.content).toContain("We are open 9am to 5pm, Monday to Friday.");
    const unknown = await ok<ChatAnswer>(chat(a, "Do you sell bicycles?"));
    expect(unknown.content).toMatch(/don't know/i);
    expect(unknown.content).not.toMatch(/9am|DHL/);
    const ship = await ok<ChatAnswer>(chat(a, "How long does delivery take?"));
    expect(ship.content).toContain("3 to 5 days");
  });

  it("streams a turn as delta events and one done event carrying the JSON answer", async () => {
    const a = await registerMessaging();
    const agent = await createAgent(a);
    await addSource(a, agent.id, OPENING_HOURS);
    const res = await chat(a, "When are you open?", { stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readSse(res);
    const deltas = events.filter((e) => e.event === "delta");
    expect(deltas.length).toBeGreaterThan(1);
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    const answer = done.data as ChatAnswer;
    expect(deltas.map((d) => (d.data as { content: string }).content).join("")).toBe(answer.content);
    expect(answer).toMatchObject({ role: "assistant", creditsCharged: 1, agentId: agent.id });
  });

  it("keeps a conversation's history and lists conversations newest first", async () => {
    const a = await registerMessaging();
    await createAgent(a);
    const first = await ok<ChatAnswer>(chat(a, "Hello", { conversationRef: "web:visitor-1" }));
    const again = await ok<ChatAnswer>(chat(a, "Hi", { conversationRef: "web:visitor-1" }));
    expect(again.conversationId).toBe(first.conversationId);
    const other = await ok<ChatAnswer>(chat(a, "Hello"));
    expect(other.conversationId).not.toBe(first.conversationId);
    const list = await ok<{ conversations: { id: string; messageCount: number }[] }>(api("GET", "/api/messaging/v1/conversations", a));
    expect(list.conversations.map((c) => c.id)).toEqual([other.conversationId, first.conversationId]);
    const detail = await ok<{ messages: { role: string; content: string }[]; messageCount: number }>(api("GET", `/api/messaging/v1/conversations/${first.conversationId}`, a));
    expect(detail.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(detail.messageCount).toBe(4);
    const acc = await ok<{ inboundCount: number; outboundCount: number; credits: number }>(dash("GET", "/api/messaging/account", a));
    expect(acc).toMatchObject({ inboundCount: 3, outboundCount: 3 });
  });

  it("shows the key masked and rotates it: the new key works once shown, the old one stops", async () => {
    const a = await registerMessaging();
    const before = await ok<{ hasApiKey: boolean; apiKey: { last4: string } }>(dash("GET", "/api/messaging/account", a));
    expect(before.hasApiKey).toBe(true);
    expect(JSON.stringify(before)).not.toContain(a.key);
    expect(before.apiKey.last4).toBe(a.key.slice(-4));
    const rotated = await ok<{ key: string }>(dash("POST", "/api/messaging/api-key", a), 201);
    expect(rotated.key).toMatch(/^msg_/);
    expect((await api("GET", "/api/messaging/v1/agents", a)).status).toBe(401);
    expect((await api("GET", "/api/messaging/v1/agents", { key: rotated.key })).status).toBe(200);
  });

  it("documents every messaging route in the OpenAPI document", async () => {
    const doc = await ok<{ paths: Record<string, Record<string, unknown>> }>(call("/api/openapi.json"));
    for (const [path, verbs] of Object.entries({
      "/api/messaging/account": ["get"],
      "/api/messaging/api-key": ["post"],
      "/api/messaging/v1/bot": ["get"],
      "/api/messaging/v1/chat": ["post"],
      "/api/messaging/v1/agents": ["get", "post"],
      "/api/messaging/v1/agents/{id}": ["get", "patch", "delete"],
      "/api/messaging/v1/agents/{id}/sources": ["get", "post"],
      "/api/messaging/v1/agents/{id}/sources/{sourceId}": ["get", "delete"],
      "/api/messaging/v1/agents/{id}/sources/{sourceId}/refresh": ["post"],
      "/api/messaging/v1/conversations": ["get"],
      "/api/messaging/v1/conversations/{id}": ["get"],
    })) {
      expect(Object.keys(doc.paths[path] ?? {}).sort(), path).toEqual([...verbs].sort());
    }
  });
});
