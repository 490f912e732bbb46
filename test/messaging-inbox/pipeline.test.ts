import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ok } from "../factories";
import { chat, creditsOf, readSse } from "../messaging/helpers";
import { expectedSignature, fakeReceiver, json, RECEIVER } from "../messaging-webhooks/helpers";
import { handoffAccount, reply, say, transcript, type Answer } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const SLOTS = {
  version: 1,
  message: "Available times tomorrow:",
  ui: {
    type: "slot_list",
    items: [
      { id: "10:00", title: "10:00", subtitle: "30 min" },
      { id: "11:30", title: "11:30", subtitle: "Available" },
    ],
  },
};

async function withSkills(a: { key: string }, over: Record<string, unknown> = {}) {
  await ok(
    api("PUT", "/api/messaging/v1/skills", a, {
      skillsEnabled: true,
      skillsWebhookUrl: `${RECEIVER}/skills`,
      skillsWebhookSecret: "your-hmac-secret",
      skills: [
        { key: "booking", label: "Booking", keywords: ["book", "appointment"] },
        { key: "catalog", label: "Products", keywords: ["product", "price"] },
      ],
      ...over,
    }),
  );
}

describe("skills in the turn pipeline", () => {
  it("a keyword calls the skill webhook (signed, the guide's body) and answers its ui for 0 credits", async () => {
    const { a } = await handoffAccount();
    await withSkills(a);
    const received = fakeReceiver(RECEIVER, () => json(SLOTS));
    const before = await creditsOf(a.profileId);
    const answer = await say(a, "book an appointment tomorrow", "whatsapp:+1555:t1");
    expect(answer).toMatchObject({ role: "assistant", content: "Available times tomorrow:", creditsCharged: 0, skill: "booking", ui: SLOTS.ui, status: "open" });
    expect(await creditsOf(a.profileId)).toBe(before);
    expect(received).toHaveLength(1);
    const call = received[0]!;
    expect(call.url).toBe(`${RECEIVER}/skills`);
    expect(call.headers["x-gellhub-skill"]).toBe("booking");
    const ts = call.headers["x-gellhub-timestamp"]!;
    expect(call.headers["x-gellhub-signature"]).toBe(await expectedSignature("your-hmac-secret", ts, call.body));
    expect(JSON.parse(call.body)).toMatchObject({
      version: 1,
      skill: "booking",
      profileId: a.profileId,
      conversationRef: "whatsapp:+1555:t1",
      channel: "api",
      message: "book an appointment tomorrow",
      messages: [{ role: "user", content: "book an appointment tomorrow" }],
    });
    // The ui stays on the assistant message in the history.
    const t = await transcript(a, answer.conversationId);
    expect(t.messages[1]).toMatchObject({ role: "assistant", content: "Available times tomorrow:", ui: SLOTS.ui });
    // The next call carries the history so far.
    await say(a, "What about the price?", "whatsapp:+1555:t1");
    expect(JSON.parse(received[1]!.body)).toMatchObject({ skill: "catalog", messages: [{ role: "user" }, { role: "assistant" }, { role: "user", content: "What about the price?" }] });
  });

  it("streams a skill answer: its text as a delta, then done with the ui", async () => {
    const { a } = await handoffAccount();
    await withSkills(a);
    fakeReceiver(RECEIVER, () => json(SLOTS));
    const events = await readSse(await chat(a, "Can I book?", { stream: true }));
    expect(events.map((e) => e.event)).toEqual(["delta", "done"]);
    expect(events[1]!.data).toMatchObject({ creditsCharged: 0, skill: "booking", ui: SLOTS.ui });
  });

  it("falls back to the engine (charged as usual) when the webhook fails or answers badly", async () => {
    const { a } = await handoffAccount();
    await withSkills(a);
    const answers = [json({ error: "down" }, 500), json({ message: "x", ui: { type: "iframe", url: "http://insecure.example" } })];
    fakeReceiver(RECEIVER, (n) => answers[n - 1]!);
    const before = await creditsOf(a.profileId);
    for (const text of ["book please", "book again"]) {
      const answer = await say(a, text, "web:fallback");
      expect(answer.creditsCharged).toBe(1);
      expect(answer.ui).toBeUndefined();
      expect(answer.skill).toBeUndefined();
      expect(answer.content.length).toBeGreaterThan(0);
    }
    expect(await creditsOf(a.profileId)).toBe(before - 2);
  });

  it("calls nothing when skills are off, no keyword matches, or a person has the conversation", async () => {
    const { a } = await handoffAccount();
    await withSkills(a, { skillsEnabled: false });
    const received = fakeReceiver(RECEIVER, () => json(SLOTS));
    expect((await say(a, "book an appointment", "web:off")).creditsCharged).toBe(1);
    await withSkills(a);
    expect((await say(a, "bookings and ebooks", "web:off")).creditsCharged).toBe(1);
    const conv = await say(a, "hello", "web:human");
    await ok(reply(a, conv.conversationId, { content: "Staff here" }), 201);
    const silent = await say(a, "book an appointment", "web:human");
    expect(silent).toMatchObject({ content: "", creditsCharged: 0, status: "human" });
    expect(received).toHaveLength(0);
  });

  it("a skill turn works at zero credits (it costs none)", async () => {
    const { a } = await handoffAccount();
    await withSkills(a);
    fakeReceiver(RECEIVER, () => json(SLOTS));
    await env.DB.prepare("UPDATE messaging_accounts SET credits = 0 WHERE profile_id = ?").bind(a.profileId).run();
    expect(await say(a, "book", "web:zero")).toMatchObject({ creditsCharged: 0, skill: "booking" });
    expect((await chat(a, "hello", { conversationRef: "web:zero" })).status).toBe(402);
  });

  it("a handoff request wins over a skill keyword in the same message", async () => {
    const { a } = await handoffAccount();
    await withSkills(a);
    const received = fakeReceiver(RECEIVER, () => json(SLOTS));
    const answer = await say(a, "I want to book with a real person", "web:both");
    expect(answer.handoff).toEqual({ requested: true, url: "https://shop.example/contact" });
    expect(received.filter((r) => r.url.endsWith("/skills"))).toHaveLength(0);
  });
});

describe("handoff events", () => {
  it("records one handoff.requested delivery per request with the guide's fields, not one per repeated ask", async () => {
    const { a, agent } = await handoffAccount();
    await ok(api("PUT", "/api/messaging/v1/handoff", a, { handoffWebhookUrl: `${RECEIVER}/handoff`, handoffWebhookSecret: "your-hmac-secret" }));
    fakeReceiver(RECEIVER, () => json({ ok: true }));
    const first: Answer = await say(a, "I need to speak with someone on your team", "web:emb_x:visitor-1");
    await say(a, "hello? a human please", "web:emb_x:visitor-1");
    const rows = await env.DB.prepare("SELECT payload, conversation_id FROM webhook_deliveries WHERE profile_id = ?").bind(a.profileId).all<{ payload: string; conversation_id: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.conversation_id).toBe(first.conversationId);
    const payload = JSON.parse(rows.results[0]!.payload);
    expect(payload).toMatchObject({
      profileId: a.profileId,
      conversationRef: "web:emb_x:visitor-1",
      conversationId: first.conversationId,
      visitorId: null,
      agentId: agent.id,
      channel: "api",
      message: "I need to speak with someone on your team",
    });
    expect(new Date(payload.requestedAt).toISOString()).toBe(payload.requestedAt);
    // After the team released it, a new request pages them again.
    await ok(api("POST", `/api/messaging/v1/conversations/${first.conversationId}/release`, a));
    await say(a, "operator", "web:emb_x:visitor-1");
    const again = await env.DB.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE profile_id = ?").bind(a.profileId).first<{ n: number }>();
    expect(again!.n).toBe(2);
  });

  it("without a handoff URL the visitor still gets the handoff answer and nothing is recorded", async () => {
    const { a } = await handoffAccount();
    expect((await say(a, "real person", "web:nourl")).handoff).toBeDefined();
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE profile_id = ?").bind(a.profileId).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });
});
