import { describe, expect, it } from "vitest";
import { api } from "../factories";
import { handoffAccount, reply, say, transcript } from "./helpers";

describe("inbox errors", () => {
  it("refuses bad staff replies with 400 and writes nothing", async () => {
    const { a } = await handoffAccount();
    const { conversationId: id } = await say(a, "Hello", "web:e-1");
    const bad: unknown[] = [
      {},
      { content: "" },
      { content: "   " },
      { content: "x".repeat(4001) },
      { content: "hi", authorName: "" },
      { content: "hi", authorName: "n".repeat(81) },
      { content: "hi", role: "assistant" },
      { content: 42 },
      { content: "\uD800 broken" },
    ];
    for (const body of bad) {
      const res = await reply(a, id, body as Record<string, unknown>);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_request" });
    }
    const t = await transcript(a, id);
    expect(t.status).toBe("open");
    expect(t.messages).toHaveLength(2);
  });

  it("answers 404 for an unknown conversation and 400 for an unknown status filter", async () => {
    const { a } = await handoffAccount();
    for (const path of ["/messages", "/release", "/close", ""]) {
      const res = await api(path ? "POST" : "GET", `/api/messaging/v1/conversations/cnv_doesNotExist00${path}`, a, path === "/messages" ? { content: "hi" } : undefined);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error: "not_found" });
    }
    const res = await api("GET", "/api/messaging/v1/conversations?status=waiting", a);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });

  it("a malformed JSON body is a 400, not a 500", async () => {
    const { a } = await handoffAccount();
    const { conversationId: id } = await say(a, "Hello", "web:e-2");
    const res = await api("POST", `/api/messaging/v1/conversations/${id}/messages`, a, undefined, { "content-type": "application/json" });
    expect(res.status).toBe(400);
  });
});
