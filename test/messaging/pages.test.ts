import { describe, expect, it } from "vitest";
import { api, call, expectLoginRedirect, ok, registerAccount, sessionHeaders, submitForm } from "../factories";
import { readSse, registerMessaging, type Agent, type ChatAnswer } from "./helpers";

const page = (a: { cookie: string }, query = "") => call(`/dashboard/messaging${query}`, { headers: sessionHeaders(a) });

describe("messaging dashboard page", () => {
  it("sends visitors without a session to the login page", async () => {
    await expectLoginRedirect("/dashboard/messaging", "/login?next=%2Fdashboard%2Fmessaging");
  });

  it("creates an agent, adds a Q&A source and answers it in the streaming playground", async () => {
    const a = await registerMessaging();
    const created = await submitForm(a, "/dashboard/messaging/agents", { name: "Front desk", botDisplayName: "Mia" });
    expect(created.status).toBe(303);
    const agentId = new URL(created.headers.get("location")!, "http://x").searchParams.get("agent")!;
    const qa = await submitForm(a, `/dashboard/messaging/agents/${agentId}/sources/qa`, { question: "What are your opening hours?", answer: "We are open 9am to 5pm, Monday to Friday." });
    expect(qa.status).toBe(303);
    const html = await (await page(a, `?agent=${agentId}`)).text();
    expect(html).toContain("What are your opening hours?");
    expect(html).toContain('aria-label="Playground"');
    const res = await call("/dashboard/messaging/playground", {
      method: "POST",
      headers: sessionHeaders(a, { "content-type": "application/json" }),
      body: JSON.stringify({ agentId, conversationRef: "playground:t1", messages: [{ role: "user", content: "When are you open?" }] }),
    });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const done = (await readSse(res)).at(-1)!;
    expect(done.event).toBe("done");
    expect((done.data as ChatAnswer).content).toBe("We are open 9am to 5pm, Monday to Friday.");
    const list = await ok<{ agents: Agent[] }>(api("GET", "/api/messaging/v1/agents", a));
    expect(list.agents).toEqual([expect.objectContaining({ id: agentId, isDefault: true, sourcesCount: 1 })]);
    const withConv = await (await page(a)).text();
    expect(withConv).toContain("playground:t1");
  });

  it("shows a rotated key once and re-renders form errors with their status", async () => {
    const a = await registerMessaging();
    const rotated = await submitForm(a, "/dashboard/messaging/key");
    expect(rotated.status).toBe(201);
    const html = await rotated.text();
    const key = /data-testid="new-key">(msg_[^<]+)</.exec(html)?.[1];
    expect(key).toBeTruthy();
    expect((await api("GET", "/api/messaging/v1/bot", { key: key! })).status).toBe(200);
    expect(await (await page(a)).text()).not.toContain(key!);
    const bad = await submitForm(a, "/dashboard/messaging/agents", { name: "" });
    expect(bad.status).toBe(400);
  });

  it("keeps other tenants' agents out: another profile's agent id is a 404 on the page and its actions", async () => {
    const a = await registerMessaging();
    const b = await registerMessaging();
    const created = await submitForm(a, "/dashboard/messaging/agents", { name: "Private" });
    const agentId = new URL(created.headers.get("location")!, "http://x").searchParams.get("agent")!;
    expect((await page(b, `?agent=${agentId}`)).status).toBe(404);
    expect((await submitForm(b, `/dashboard/messaging/agents/${agentId}/delete`)).status).toBe(404);
    expect((await submitForm(b, `/dashboard/messaging/agents/${agentId}/sources/qa`, { question: "q?", answer: "a" })).status).toBe(404);
  });

  it("tells a profile without Messaging that it is not enabled", async () => {
    const studio = await registerAccount("studio");
    expect((await page(studio)).status).toBe(404);
  });
});
