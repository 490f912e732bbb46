import { describe, expect, it } from "vitest";
import { api, call, dash, registerAccount } from "../factories";
import { handoffAccount, listByStatus, say, transcript } from "./helpers";

describe("inbox security", () => {
  it("isolates tenants: B's key on A's conversation is 404 for reply, release, close and transcript, and changes nothing", async () => {
    const { a } = await handoffAccount();
    const { a: b } = await handoffAccount();
    const { conversationId: id } = await say(a, "I want to talk to someone", "shared-ref");
    await say(b, "Hello", "shared-ref");
    for (const [method, path, body] of [
      ["POST", `/api/messaging/v1/conversations/${id}/messages`, { content: "gotcha" }],
      ["POST", `/api/messaging/v1/conversations/${id}/release`],
      ["POST", `/api/messaging/v1/conversations/${id}/close`],
      ["GET", `/api/messaging/v1/conversations/${id}`],
    ] as const) {
      const res = await api(method, path, b, body);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error: "not_found" });
    }
    const t = await transcript(a, id);
    expect(t.status).toBe("handoff_requested");
    expect(t.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    // B's list, filtered or not, never shows A's conversation (same ref, other account).
    expect((await listByStatus(b, "handoff_requested")).length).toBe(0);
    expect((await listByStatus(b)).map((c) => c.id)).not.toContain(id);
    // B's conversation with the same ref is a different room: A's handoff did not touch it.
    expect((await listByStatus(b, "open")).length).toBe(1);
  });

  it("the inbox API needs a msg_ key: none is 401, another product's key 403, a session 401", async () => {
    const { a } = await handoffAccount();
    const { conversationId: id } = await say(a, "Hello", "web:s-2");
    const studio = await registerAccount("studio");
    for (const action of ["messages", "release", "close"]) {
      const path = `/api/messaging/v1/conversations/${id}/${action}`;
      expect((await call(path, { method: "POST" })).status).toBe(401);
      expect((await api("POST", path, studio, { content: "x" })).status).toBe(403);
      expect((await dash("POST", path, a, { content: "x" })).status).toBe(401);
    }
    expect((await transcript(a, id)).messages).toHaveLength(2);
  });

  it("a staff reply is stored as text: markup stays inert in the transcript", async () => {
    const { a } = await handoffAccount();
    const { conversationId: id } = await say(a, "Hello", "web:s-3");
    const res = await api("POST", `/api/messaging/v1/conversations/${id}/messages`, a, { content: "<img src=x onerror=alert(1)>", authorName: "<b>Eve</b>" });
    expect(res.status).toBe(201);
    const t = await transcript(a, id);
    expect(t.messages.at(-1)).toMatchObject({ content: "<img src=x onerror=alert(1)>", authorName: "<b>Eve</b>" });
  });
});
