import { describe, expect, it } from "vitest";
import { api, call, dash, ok, registerAccount } from "../factories";
import { addSource, chat, createAgent, OPENING_HOURS, registerMessaging, type ChatAnswer } from "./helpers";

describe("messaging security", () => {
  it("needs a msg_ key: none is 401, a gallery or drive key is 403 wrong_key_type, a session never authenticates", async () => {
    const a = await registerMessaging();
    const studio = await registerAccount("studio");
    const drive = await registerAccount("drive");
    for (const path of ["/api/messaging/v1/agents", "/api/messaging/v1/bot", "/api/messaging/v1/conversations"]) {
      expect((await call(path)).status).toBe(401);
      for (const other of [studio, drive]) {
        const res = await api("GET", path, other);
        expect(res.status).toBe(403);
        expect(await res.json()).toMatchObject({ error: "wrong_key_type" });
      }
      expect((await dash("GET", path, a)).status).toBe(401);
    }
    expect((await api("POST", "/api/messaging/v1/chat", studio, { messages: [{ role: "user", content: "hi" }] })).status).toBe(403);
  });

  it("dashboard routes take the session only, never a key, and refuse a foreign Origin", async () => {
    const a = await registerMessaging();
    expect((await api("GET", "/api/messaging/account", a)).status).toBe(401);
    expect((await api("POST", "/api/messaging/api-key", a)).status).toBe(401);
    const foreign = await call("/api/messaging/api-key", { method: "POST", headers: { cookie: a.cookie, origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
  });

  it("isolates tenants: B's key on A's agents, sources and conversations is a 404, and lists never leak", async () => {
    const a = await registerMessaging();
    const b = await registerMessaging();
    const agent = await createAgent(a);
    const src = await addSource(a, agent.id, OPENING_HOURS);
    const turn = await ok<ChatAnswer>(chat(a, "When are you open?", { conversationRef: "shared-ref" }));
    await createAgent(b);
    const paths: [string, string, unknown?][] = [
      ["GET", `/api/messaging/v1/agents/${agent.id}`],
      ["PATCH", `/api/messaging/v1/agents/${agent.id}`, { isDefault: true }],
      ["DELETE", `/api/messaging/v1/agents/${agent.id}`],
      ["GET", `/api/messaging/v1/agents/${agent.id}/sources`],
      ["POST", `/api/messaging/v1/agents/${agent.id}/sources`, { type: "qa", question: "q?", answer: "a" }],
      ["GET", `/api/messaging/v1/agents/${agent.id}/sources/${src.id}`],
      ["DELETE", `/api/messaging/v1/agents/${agent.id}/sources/${src.id}`],
      ["POST", `/api/messaging/v1/agents/${agent.id}/sources/${src.id}/refresh`],
      ["GET", `/api/messaging/v1/conversations/${turn.conversationId}`],
    ];
    for (const [method, path, body] of paths) expect([method, path, (await api(method, path, b, body)).status]).toEqual([method, path, 404]);
    expect((await chat(b, "When are you open?", { agentId: agent.id })).status).toBe(404);
    // The same conversationRef on B is B's own conversation, with B's agent and none of A's knowledge.
    const bTurn = await ok<ChatAnswer>(chat(b, "When are you open?", { conversationRef: "shared-ref" }));
    expect(bTurn.conversationId).not.toBe(turn.conversationId);
    expect(bTurn.content).not.toContain("9am");
    const bList = await ok<{ conversations: { id: string }[] }>(api("GET", "/api/messaging/v1/conversations", b));
    expect(bList.conversations.map((c) => c.id)).toEqual([bTurn.conversationId]);
    const bAgents = await ok<{ agents: { id: string }[] }>(api("GET", "/api/messaging/v1/agents", b));
    expect(bAgents.agents.map((x) => x.id)).not.toContain(agent.id);
    expect((await ok<{ sourcesCount: number }>(api("GET", `/api/messaging/v1/agents/${agent.id}`, a))).sourcesCount).toBe(1);
  });

  it("refuses URL sources outside SECURITY.md's outbound rule with 400 url_not_allowed", async () => {
    const a = await registerMessaging();
    const agent = await createAgent(a);
    const bad = [
      "http://example.com/faq",
      "https://127.0.0.1/",
      "https://2130706433/",
      "https://0x7f.0.0.1/",
      "https://[::1]/",
      "https://localhost/",
      "https://printer.local/",
      "https://db.internal/",
      "https://metadata.google.internal/computeMetadata/v1/",
      "https://user:pw@example.com/",
      "https://example.com:8443/",
      "ftp://example.com/",
    ];
    for (const url of bad) {
      const res = await api("POST", `/api/messaging/v1/agents/${agent.id}/sources`, a, { type: "url", url });
      expect([url, res.status, ((await res.json()) as { error: string }).error]).toEqual([url, 400, "url_not_allowed"]);
    }
  });

  it("never returns the key from the account route and rotation revokes the old key at once", async () => {
    const a = await registerMessaging();
    const first = await ok<{ key: string }>(dash("POST", "/api/messaging/api-key", a), 201);
    const second = await ok<{ key: string }>(dash("POST", "/api/messaging/api-key", a), 201);
    expect((await api("GET", "/api/messaging/v1/bot", { key: first.key })).status).toBe(401);
    expect((await api("GET", "/api/messaging/v1/bot", { key: second.key })).status).toBe(200);
    const acc = await (await dash("GET", "/api/messaging/account", a)).text();
    expect(acc).not.toContain(second.key);
  });
});
