import { describe, expect, it } from "vitest";
import { call, dash, ok } from "../factories";
import { chat, creditsOf, readSse } from "../messaging/helpers";
import { closeConv, handoffAccount, HANDOFF_AGENT, listByStatus, release, reply, say, transcript, type Conversation, type Message } from "./helpers";

describe("the turn pipeline and the inbox", () => {
  it("a request for a person costs nothing, answers the agent's handoff message and marks the conversation", async () => {
    const { a, agent } = await handoffAccount();
    const before = await creditsOf(a.profileId);
    const answer = await say(a, "I need to speak with someone on your team", "web:v-1");
    expect(answer).toMatchObject({
      role: "assistant",
      creditsCharged: 0,
      agentId: agent.id,
      status: "handoff_requested",
      handoff: { requested: true, url: HANDOFF_AGENT.humanHandoffUrl },
    });
    expect(answer.content).toBe(`${HANDOFF_AGENT.humanHandoffMessage}\n${HANDOFF_AGENT.humanHandoffUrl}`);
    expect(await creditsOf(a.profileId)).toBe(before);
    const waiting = await listByStatus(a, "handoff_requested");
    expect(waiting.map((c) => c.id)).toEqual([answer.conversationId]);
    expect(await listByStatus(a, "open")).toEqual([]);
    // While waiting, the bot still answers other questions (charged as usual) and the request stays visible.
    const next = await say(a, "When are you open?", "web:v-1");
    expect(next).toMatchObject({ creditsCharged: 1, status: "handoff_requested" });
    expect(next.handoff).toBeUndefined();
    expect(await creditsOf(a.profileId)).toBe(before - 1);
  });

  it("without handoff on the agent, the same words get the engine's answer", async () => {
    const { a } = await handoffAccount({ humanHandoffEnabled: false });
    const answer = await say(a, "Can I talk to a real person?", "web:v-2");
    expect(answer).toMatchObject({ creditsCharged: 1, status: "open" });
    expect(answer.handoff).toBeUndefined();
    expect(answer.content.length).toBeGreaterThan(0);
  });

  it("uses a default handoff message when the agent has none, and no url field without a link", async () => {
    const { a } = await handoffAccount({ humanHandoffEnabled: true });
    const answer = await say(a, "operator please", "web:v-3");
    expect(answer.handoff).toEqual({ requested: true });
    expect(answer.content).toMatch(/person on our team/);
  });

  it("a staff reply silences the bot until release; close, then a visitor message reopens it", async () => {
    const { a } = await handoffAccount();
    const first = await say(a, "human please", "web:v-4");
    const id = first.conversationId;
    const posted = await ok<{ message: Message; conversation: Conversation }>(reply(a, id, { content: "Hi, Anna here. How can I help?", authorName: "Anna" }), 201);
    expect(posted.message).toMatchObject({ role: "staff", content: "Hi, Anna here. How can I help?", authorName: "Anna" });
    expect(posted.conversation).toMatchObject({ id, status: "human", messageCount: 3, lastMessagePreview: "Hi, Anna here. How can I help?" });
    const credits = await creditsOf(a.profileId);

    const silent = await say(a, "When are you open?", "web:v-4");
    expect(silent).toMatchObject({ role: "assistant", content: "", creditsCharged: 0, status: "human", conversationId: id });
    expect(await creditsOf(a.profileId)).toBe(credits);
    // Streamed too: one done event, empty, no credit.
    const events = await readSse(await chat(a, "Are you there?", { conversationRef: "web:v-4", stream: true }));
    expect(events.map((e) => e.event)).toEqual(["done"]);
    expect(events[0]!.data).toMatchObject({ content: "", creditsCharged: 0, status: "human" });

    let t = await transcript(a, id);
    expect(t.status).toBe("human");
    expect(t.messages.map((m) => m.role)).toEqual(["user", "assistant", "staff", "user", "user"]);
    expect(t.messages[2]).toMatchObject({ authorName: "Anna" });
    expect(t.messageCount).toBe(5);
    expect(await listByStatus(a, "human")).toHaveLength(1);

    expect(await ok<Conversation>(release(a, id))).toMatchObject({ id, status: "open" });
    const back = await say(a, "When are you open?", "web:v-4");
    expect(back.creditsCharged).toBe(1);
    expect(back.content.length).toBeGreaterThan(0);
    expect(back.status).toBe("open");

    expect(await ok<Conversation>(closeConv(a, id))).toMatchObject({ status: "closed" });
    expect(await listByStatus(a, "closed")).toHaveLength(1);
    const reopened = await say(a, "One more question", "web:v-4");
    expect(reopened).toMatchObject({ creditsCharged: 1, status: "open" });
    t = await transcript(a, id);
    expect(t.messages).toHaveLength(9);
  });

  it("a staff reply on a conversation that never asked for a person also takes it over", async () => {
    const { a } = await handoffAccount();
    const first = await say(a, "Hello", "api:thread-9");
    await ok(reply(a, first.conversationId, { content: "Taking over from here" }), 201);
    const t = await transcript(a, first.conversationId);
    expect(t.messages.at(-1)).toMatchObject({ role: "staff", content: "Taking over from here" });
    expect(t.messages.at(-1)!.authorName).toBeUndefined();
    expect((await say(a, "ok", "api:thread-9")).content).toBe("");
  });

  it("counts visitor messages in human mode as inbound and staff replies as outbound", async () => {
    const { a } = await handoffAccount();
    const first = await say(a, "Hello", "web:v-5");
    await ok(reply(a, first.conversationId, { content: "Hi!" }), 201);
    await say(a, "Thanks", "web:v-5");
    const account = await ok<{ inboundCount: number; outboundCount: number }>(dash("GET", "/api/messaging/account", a));
    expect(account).toMatchObject({ inboundCount: 2, outboundCount: 2 });
  });

  it("lists every status by default, newest first", async () => {
    const { a } = await handoffAccount();
    const one = await say(a, "Hello", "web:a");
    const two = await say(a, "a real person please", "web:b");
    const all = await listByStatus(a);
    expect(all.map((c) => c.id)).toEqual([two.conversationId, one.conversationId]);
    expect(all.map((c) => c.status)).toEqual(["handoff_requested", "open"]);
  });

  it("documents the inbox routes and the additive chat fields in the OpenAPI document", async () => {
    const doc = await ok<{ paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties: Record<string, unknown> }> } }>(call("/api/openapi.json"));
    for (const action of ["messages", "release", "close"]) {
      expect(doc.paths[`/api/messaging/v1/conversations/{id}/${action}`]?.post, action).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas.ChatResponse!.properties)).toEqual(expect.arrayContaining(["status", "ui", "skill", "handoff"]));
    expect(JSON.stringify(doc.paths["/api/messaging/v1/conversations"]!.get)).toContain("handoff_requested");
  });
});
