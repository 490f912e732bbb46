import { describe, expect, it } from "vitest";
import { call, expectLoginRedirect, sessionHeaders, submitForm } from "../factories";
import { handoffAccount, say, transcript } from "./helpers";

const inbox = (a: { cookie: string }, query = "") => call(`/dashboard/messaging/inbox${query}`, { headers: sessionHeaders(a) });

describe("the dashboard inbox", () => {
  it("sends visitors without a session to the login page", async () => {
    await expectLoginRedirect("/dashboard/messaging/inbox", "/login?next=%2Fdashboard%2Fmessaging%2Finbox");
  });

  it("lists handoff requests first, shows a transcript, and replies, releases and closes through forms", async () => {
    const { a } = await handoffAccount();
    const waiting = await say(a, "I need to speak with someone on your team", "web:visitor-wait");
    const later = await say(a, "Hello", "web:visitor-later"); // newer, but not waiting
    let res = await inbox(a);
    expect(res.status).toBe(200);
    let html = await res.text();
    expect(html.indexOf(`data-conversation-id="${waiting.conversationId}"`)).toBeGreaterThan(-1);
    expect(html.indexOf(`data-conversation-id="${waiting.conversationId}"`)).toBeLessThan(html.indexOf(`data-conversation-id="${later.conversationId}"`));

    html = await (await inbox(a, "?status=handoff_requested")).text();
    expect(html).toContain(waiting.conversationId);
    expect(html).not.toContain(later.conversationId);

    html = await (await inbox(a, `?conversation=${waiting.conversationId}`)).text();
    expect(html).toContain('aria-label="Transcript"');
    expect(html).toContain("I need to speak with someone on your team");

    const replied = await submitForm(a, `/dashboard/messaging/inbox/${waiting.conversationId}/reply`, { content: "Hi, this is Sam.", authorName: "Sam", filter: "handoff_requested" });
    expect(replied.status).toBe(303);
    expect(replied.headers.get("location")).toBe(`/dashboard/messaging/inbox?status=handoff_requested&conversation=${waiting.conversationId}`);
    let t = await transcript(a, waiting.conversationId);
    expect(t.status).toBe("human");
    expect(t.messages.at(-1)).toMatchObject({ role: "staff", content: "Hi, this is Sam.", authorName: "Sam" });
    expect((await say(a, "thanks", "web:visitor-wait")).content).toBe("");

    expect((await submitForm(a, `/dashboard/messaging/inbox/${waiting.conversationId}/release`, { filter: "" })).status).toBe(303);
    expect((await transcript(a, waiting.conversationId)).status).toBe("open");
    expect((await submitForm(a, `/dashboard/messaging/inbox/${waiting.conversationId}/close`)).status).toBe(303);
    t = await transcript(a, waiting.conversationId);
    expect(t.status).toBe("closed");
  });

  it("re-renders a refused reply with its message and what was typed, and writes nothing", async () => {
    const { a } = await handoffAccount();
    const conv = await say(a, "Hello", "web:visitor-x");
    const res = await submitForm(a, `/dashboard/messaging/inbox/${conv.conversationId}/reply`, { content: "   ", authorName: "Kim" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/content/);
    expect(html).toContain('value="Kim"');
    expect((await transcript(a, conv.conversationId)).messages).toHaveLength(2);
  });

  it("keeps other tenants out: another account's conversation is a 404 on the page and its actions", async () => {
    const { a } = await handoffAccount();
    const { a: b } = await handoffAccount();
    const conv = await say(a, "a real person please", "web:visitor-y");
    expect((await inbox(b, `?conversation=${conv.conversationId}`)).status).toBe(404);
    expect(await (await inbox(b)).text()).not.toContain(conv.conversationId);
    for (const action of ["reply", "release", "close"]) {
      const res = await submitForm(b, `/dashboard/messaging/inbox/${conv.conversationId}/${action}`, { content: "hijack" });
      expect(res.status, action).toBe(404);
    }
    const t = await transcript(a, conv.conversationId);
    expect(t.status).toBe("handoff_requested");
    expect(t.messages).toHaveLength(2);
  });

  it("escapes what visitors and staff wrote", async () => {
    const { a } = await handoffAccount();
    const conv = await say(a, "<script>alert(1)</script> human please", "web:visitor-z");
    const html = await (await inbox(a, `?conversation=${conv.conversationId}`)).text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
